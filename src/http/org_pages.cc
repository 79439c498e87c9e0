// The pages inside an organisation: the dashboard (what is answered, open
// and overdue per department, the latest audit).
#include <nlohmann/json.hpp>

#include "pages.h"

namespace blindspot::http {
namespace mu = kainjow::mustache;
namespace {

using Json = nlohmann::json;

void Dashboard(Ctx& c) {
  auto org = c.admin.store().GetOrg(c.actor->org_id);
  if (!org) return SendError(c, org.error());
  auto recs = c.admin.Records(*c.actor, std::nullopt);
  if (!recs) return SendError(c, recs.error());
  // Department: an activity's business_function; a touchpoint's first activity's.
  std::map<std::string, std::string> dept_of_activity;
  std::string controller;
  for (const admin::RecordView& v : *recs) {
    if (v.record.kind == store::RecordKind::kOrganisation) {
      Json b = Json::parse(v.record.body, nullptr, false);
      if (b.is_object() && b.contains("name") && b["name"].is_string())
        controller = b["name"].get<std::string>();
    }
    if (v.record.kind != store::RecordKind::kActivity) continue;
    Json b = Json::parse(v.record.body, nullptr, false);
    if (b.is_object() && b.contains("business_function") && b["business_function"].is_string())
      dept_of_activity[v.record.id] = b["business_function"].get<std::string>();
  }
  struct Counts {
    int records = 0, answered = 0, open = 0, overdue = 0;
  };
  std::map<std::string, Counts> by_dept;
  const std::string today = c.admin.store().Now().substr(0, 10);
  for (const admin::RecordView& v : *recs) {
    if (v.record.kind != store::RecordKind::kActivity && v.record.kind != store::RecordKind::kTouchpoint)
      continue;
    if (v.record.status == store::RecordStatus::kObsolete) continue;
    std::string dept;
    Json b = Json::parse(v.record.body, nullptr, false);
    if (v.record.kind == store::RecordKind::kActivity) {
      dept = dept_of_activity[v.record.id];
    } else if (b.is_object() && b.contains("activities") && b["activities"].is_array() &&
               !b["activities"].empty() && b["activities"][0].is_string()) {
      dept = dept_of_activity[b["activities"][0].get<std::string>()];
    }
    Counts& n = by_dept[dept];
    ++n.records;
    bool done =
        v.record.status == store::RecordStatus::kApproved ||
        v.record.status == store::RecordStatus::kPublished ||
        (v.record.kind == store::RecordKind::kTouchpoint && v.questions_answered == v.questions_total);
    if (done) {
      ++n.answered;
    } else {
      ++n.open;
      if (!v.record.due_date.empty() && v.record.due_date < today) ++n.overdue;
    }
  }
  mu::data list{mu::data::type::list};
  for (const auto& [dept, n] : by_dept) {
    mu::data row{mu::data::type::object};
    row.set("name", dept.empty() ? Ui(c.lang, "no_department") : dept);
    row.set("records", std::to_string(n.records));
    row.set("answered", std::to_string(n.answered));
    row.set("open", std::to_string(n.open));
    row.set("overdue", std::to_string(n.overdue));
    list.push_back(row);
  }
  mu::data d{mu::data::type::object};
  d.set("org_name", org->name);
  if (!controller.empty()) d.set("controller", controller);
  d.set("departments", list);
  auto audit = c.admin.store().LatestAudit(c.actor->org_id);
  if (audit) {
    mu::data a{mu::data::type::object};
    a.set("at", audit->at);
    a.set("summary", audit->summary);
    d.set("audit", a);
  }
  SendPage(c, 200, org->name, "dashboard", d);
}

RouteInfo OrgPage(std::string_view method, std::string_view path, std::vector<admin::Permission> perms,
                  std::string_view summary) {
  RouteInfo r;
  r.method = method;
  r.path = path;
  r.access = Access::kOrg;
  r.permissions = std::move(perms);
  r.api = false;
  r.summary = summary;
  return r;
}

}  // namespace

std::vector<RouteHandler> OrgPageRoutes() {
  using P = admin::Permission;
  return {
      {OrgPage("GET", "/orgs/{org}", {P::kRead}, "The dashboard: answered, open and overdue per department"),
       Dashboard},
  };
}

}  // namespace blindspot::http
