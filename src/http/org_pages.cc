// The pages inside an organisation: the dashboard; the records of a kind; a
// record with the seven touchpoint questions, what the latest audit saw,
// assignment, the workflow and its history; "my questions"; the history;
// the audits (upload HARs, the findings with what must change); the import
// of a register. Handlers parse the request, call one use case of
// admin::Admin and render; forms post with the session's CSRF token and
// redirect (303) on success, or render the form again with the message.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "blindspot/catalog.h"
#include "blindspot/fideslang.h"
#include "pages.h"

namespace blindspot::http {
namespace mu = kainjow::mustache;
namespace {

using Json = nlohmann::ordered_json;  // the register's order of fields
using store::RecordKind;
using store::RecordStatus;

// ---- small helpers ----

std::string Base(const Ctx& c) { return "/orgs/" + c.actor->org_id; }

std::string RecordUrl(const Ctx& c, RecordKind k, const std::string& id) {
  return Base(c) + "/records/" + std::string(store::RecordKindName(k)) + "/" + id;
}

std::string Today(Ctx& c) { return c.admin.store().Now().substr(0, 10); }

bool Done(const admin::RecordView& v) {
  return v.record.status == RecordStatus::kApproved || v.record.status == RecordStatus::kPublished ||
         v.record.status == RecordStatus::kObsolete;
}

// Past its due date and not answered yet: as the dashboard counts it (a
// touchpoint with all seven questions answered waits for review, not for
// its owner).
bool Overdue(const admin::RecordView& v, const std::string& today) {
  const bool answered = v.record.kind == RecordKind::kTouchpoint && v.questions_answered == v.questions_total;
  return !Done(v) && !answered && !v.record.due_date.empty() && v.record.due_date < today;
}

std::string StatusLabel(const std::string& lang, RecordStatus s) {
  return Ui(lang, "status_" + std::string(store::RecordStatusName(s)));
}

std::string KindLabel(const std::string& lang, RecordKind k) {
  return Ui(lang, "kind_" + std::string(store::RecordKindName(k)));
}

bool HasText(const std::string& lang, const std::string& key) {
  const auto& t = UiTextTable();
  auto l = t.find(lang);
  return l != t.end() && l->second.contains(key);
}

// A JSON value as text for people: strings as they are, lists joined, maps as
// "key: value" pairs, nested ones in parentheses.
std::string Plain(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_array()) {
    bool scalars = true;
    for (const Json& e : v) scalars = scalars && !e.is_object() && !e.is_array();
    std::string out;
    for (const Json& e : v) out += (out.empty() ? "" : scalars ? ", " : "; ") + Plain(e);
    return out;
  }
  if (v.is_object()) {
    std::string out;
    for (auto it = v.begin(); it != v.end(); ++it) {
      std::string inner = Plain(it.value());
      if (inner.empty()) continue;
      if (it.value().is_object()) inner = "(" + inner + ")";
      out += (out.empty() ? "" : ", ") + it.key() + ": " + inner;
    }
    return out;
  }
  return v.dump();
}

// A stored history value (compact JSON, "" = absent) as text.
std::string PlainStored(const std::string& s) {
  if (s.empty()) return "";
  Json v = Json::parse(s, nullptr, false);
  return v.is_discarded() ? s : Plain(v);
}

std::optional<int64_t> ToInt(const std::string& s) {
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(s);
}

std::optional<RecordKind> KindOf(Ctx& c) {
  auto k = store::ParseRecordKind(c.Path("kind"));
  if (!k) SendError(c, Error{ErrorKind::kNotFound, "no such kind of record", {}, {}, ""});
  return k;
}

// Sets a text only when it is not empty: for mustache an empty text is not
// false, so {{#x}} / {{^x}} need the key absent.
void Opt(mu::data& d, const std::string& key, const std::string& value) {
  if (!value.empty()) d.set(key, value);
}

mu::data Flag(bool b) {
  return b ? mu::data(mu::data::type::bool_true) : mu::data(mu::data::type::bool_false);
}

// A step that cannot be undone from the page (removing a member, revoking
// a token, resetting a second factor, marking a record no longer used) is
// posted with its "confirm" box ticked: a form without it (a stray click,
// a browser without the `required` check) is refused and changes nothing.
bool Confirmed(const Ctx& c) { return c.Param("confirm") == "yes"; }

// The members of the organisation: user id -> e-mail (one query per request).
std::map<std::string, std::string> MemberEmails(Ctx& c) {
  std::map<std::string, std::string> out;
  auto ms = c.admin.Members(*c.actor);
  if (ms)
    for (const auto& [m, email] : *ms) out[m.user_id] = email;
  return out;
}

std::string Who(const std::map<std::string, std::string>& emails, const std::string& actor) {
  auto it = emails.find(actor);
  return it == emails.end() ? actor : it->second;
}

// "2 November" in the reader's language from an ISO date.
std::string HumanDate(const std::string& lang, const std::string& iso) {
  if (iso.size() < 10) return iso;
  int month = std::atoi(iso.substr(5, 2).c_str());
  int day = std::atoi(iso.substr(8, 2).c_str());
  if (month < 1 || month > 12 || day < 1) return iso.substr(0, 10);
  std::string out = Ui(lang, "date_format");
  auto put = [&](const std::string& key, const std::string& v) {
    if (size_t p = out.find(key); p != std::string::npos) out.replace(p, key.size(), v);
  };
  put("{day}", std::to_string(day));
  put("{month}", Ui(lang, "month_" + std::to_string(month)));
  put("{year}", iso.substr(0, 4));
  return out;
}

std::string Fill(std::string text, const std::map<std::string, std::string>& args) {
  for (const auto& [k, v] : args) {
    std::string key = "{" + k + "}";
    for (size_t p = text.find(key); p != std::string::npos; p = text.find(key, p + v.size()))
      text.replace(p, key.size(), v);
  }
  return text;
}

// An audit's counts (Admin::RunAudit stores them as JSON) in the reader's
// language; an older audit's English line as it was stored.
std::string AuditSummaryText(const std::string& lang, const std::string& summary) {
  Json j = Json::parse(summary, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return summary;
  auto n = [&](const char* key) { return std::to_string(j.value(key, int64_t{0})); };
  const int64_t inferred = j.value("inferred", int64_t{0});
  return Fill(
      Ui(lang, "audit_counts"),
      {{"detected", n("detected")},
       {"inferred", inferred > 0 ? Fill(Ui(lang, "audit_counts_inferred"), {{"n", n("inferred")}}) : ""},
       {"blind", n("blind_spots")},
       {"not_seen", n("not_seen")},
       {"findings", n("findings")},
       {"high", n("high")}});
}

// ---- the data categories and lawful bases offered in the questions ----

// The common fideslang data categories of website touchpoints, with a label each in ui.yaml (dc_...).
const std::vector<std::string>& CommonDataCategories() {
  static const std::vector<std::string> v = {
      "user.name",
      "user.contact.email",
      "user.contact.phone_number",
      "user.contact.address",
      "user.device.cookie_id",
      "user.device.ip_address",
      "user.device.device_id",
      "user.behavior.browsing_history",
      "user.behavior.purchase_history",
      "user.location",
      "user.financial",
      "user.content",
  };
  return v;
}

std::string DataCategoryLabel(const std::string& lang, const std::string& key) {
  std::string k = "dc_" + key;
  for (char& ch : k)
    if (ch == '.') ch = '_';
  if (HasText("en", k)) return Ui(lang, k);
  if (const TaxonomyEntry* e = FindDataCategory(key)) return std::string(e->name);
  return key;
}

// ---- the dashboard ----

void Dashboard(Ctx& c) {
  auto org = c.admin.Org(c.actor->org_id);
  if (!org) return SendError(c, org.error());
  auto dash = c.admin.DashboardOf(*c.actor, Today(c));
  if (!dash) return SendError(c, dash.error());
  mu::data list{mu::data::type::list};
  for (const admin::DepartmentCounts& n : dash->departments) {
    mu::data row{mu::data::type::object};
    row.set("name", n.department.empty() ? Ui(c.lang, "no_department") : n.department);
    row.set("records", std::to_string(n.records));
    row.set("answered", std::to_string(n.answered));
    row.set("open", std::to_string(n.open));
    row.set("overdue", std::to_string(n.overdue));
    list.push_back(row);
  }
  mu::data d{mu::data::type::object};
  d.set("org_name", org->name);
  if (!dash->controller.empty()) d.set("controller", dash->controller);
  d.set("departments", list);
  auto audit = c.admin.store().LatestAuditSummary(c.actor->org_id);
  if (audit) {
    mu::data a{mu::data::type::object};
    a.set("at", audit->at);
    a.set("summary", AuditSummaryText(c.lang, audit->summary));
    d.set("audit", a);
  }
  SendPage(c, 200, org->name, "dashboard", d);
}

// ---- records ----

mu::data RecordRow(Ctx& c, const admin::RecordView& v, const std::string& today) {
  mu::data row{mu::data::type::object};
  row.set("href", RecordUrl(c, v.record.kind, v.record.id));
  row.set("name", v.name);
  row.set("id", v.record.id);
  row.set("kind", KindLabel(c.lang, v.record.kind));
  row.set("status", std::string(store::RecordStatusName(v.record.status)));
  row.set("status_label", StatusLabel(c.lang, v.record.status));
  Opt(row, "owner", v.owner_email);
  Opt(row, "due", v.record.due_date);
  row.set("overdue", Flag(Overdue(v, today)));
  if (v.record.kind == RecordKind::kTouchpoint)
    row.set("answered", fmt::format("{}/{}", v.questions_answered, v.questions_total));
  return row;
}

void RecordList(Ctx& c) {
  auto kind = KindOf(c);
  if (!kind) return;
  auto recs = c.admin.Records(*c.actor, *kind);
  if (!recs) return SendError(c, recs.error());
  const std::string today = Today(c);
  mu::data rows{mu::data::type::list};
  for (const admin::RecordView& v : *recs) rows.push_back(RecordRow(c, v, today));
  mu::data d{mu::data::type::object};
  d.set("title", Ui(c.lang, "list_" + std::string(store::RecordKindName(*kind))));
  d.set("records", rows);
  d.set("any_records", Flag(!recs->empty()));
  d.set("touchpoints", Flag(*kind == RecordKind::kTouchpoint));
  SendPage(c, 200, Ui(c.lang, "list_" + std::string(store::RecordKindName(*kind))), "records", d);
}

// The questions of a touchpoint as form data, from its `answers` object.
mu::data QuestionData(const std::string& lang, const Json& answers) {
  auto text = [&](const Json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  mu::data q{mu::data::type::object};
  for (const char* k : {"in_use", "stored_by_us", "stored_by_vendor"}) {
    auto it = answers.find(k);
    bool set = it != answers.end() && it->is_boolean();
    q.set(std::string(k) + "_yes", Flag(set && it->get<bool>()));
    q.set(std::string(k) + "_no", Flag(set && !it->get<bool>()));
    q.set(std::string(k) + "_unknown", Flag(!set));
  }
  for (const char* k : {"in_use_since", "stored_by_us_where", "stored_by_vendor_details", "necessity",
                        "subsidiarity", "proportionality"})
    q.set(k, text(answers, k));
  const Json none = Json::object();
  auto inf = answers.find("informed");
  const Json& informed = inf != answers.end() && inf->is_object() ? *inf : none;
  q.set("informed_statement", text(informed, "statement"));
  q.set("informed_section", text(informed, "section"));
  std::set<std::string> chosen;
  if (auto it = answers.find("data_collected"); it != answers.end() && it->is_array())
    for (const Json& e : *it)
      if (e.is_string()) chosen.insert(e.get<std::string>());
  mu::data cats{mu::data::type::list};
  std::set<std::string> offered;
  auto add_cat = [&](const std::string& key) {
    mu::data o{mu::data::type::object};
    o.set("value", key);
    o.set("label", DataCategoryLabel(lang, key));
    o.set("checked", Flag(chosen.contains(key)));
    cats.push_back(o);
    offered.insert(key);
  };
  for (const std::string& k : CommonDataCategories()) add_cat(k);
  for (const std::string& k : chosen)
    if (!offered.contains(k)) add_cat(k);
  q.set("categories", cats);
  const std::string basis = text(answers, "lawful_basis");
  mu::data bases{mu::data::type::list};
  for (const std::string& b : TextCatalog::Builtin().Vocabulary("lawful_basis")) {
    mu::data o{mu::data::type::object};
    o.set("value", b);
    o.set("label", TextCatalog::Builtin().Term(lang, "lawful_basis", b));
    o.set("selected", Flag(b == basis));
    bases.push_back(o);
  }
  q.set("bases", bases);
  q.set("basis_unknown", Flag(basis.empty()));
  std::string measures;
  if (auto it = answers.find("security_measures"); it != answers.end() && it->is_array())
    for (const Json& e : *it)
      if (e.is_string()) measures += e.get<std::string>() + "\n";
  q.set("security_measures", measures);
  return q;
}

// What the latest audit saw of a register touchpoint, as a sentence.
std::optional<mu::data> EvidenceData(Ctx& c, const Json& report, const std::string& id) {
  if (!report.is_object() || !report.contains("touchpoints") || !report["touchpoints"].is_array())
    return std::nullopt;
  const std::string& lang = c.lang;
  for (const Json& tp : report["touchpoints"]) {
    if (!tp.is_object() || !tp.contains("register_id") || tp["register_id"] != id) continue;
    mu::data e{mu::data::type::object};
    const size_t pages = tp.contains("pages") && tp["pages"].is_array() ? tp["pages"].size() : 0;
    // The capture date: the earliest page start of the evidence.
    std::string captured;
    if (report.contains("evidence") && report["evidence"].contains("pages") &&
        report["evidence"]["pages"].is_array())
      for (const Json& p : report["evidence"]["pages"])
        if (p.contains("started") && p["started"].is_string()) {
          std::string s = p["started"].get<std::string>();
          if (captured.empty() || s < captured) captured = s;
        }
    std::string vendor;
    if (tp.contains("vendor") && tp["vendor"].is_object() && tp["vendor"].contains("legal_entity") &&
        tp["vendor"]["legal_entity"].is_string())
      vendor = tp["vendor"]["legal_entity"].get<std::string>();
    if (vendor.empty() && tp.contains("name") && tp["name"].is_string())
      vendor = tp["name"].get<std::string>();
    std::vector<std::string> data;
    auto add = [&](const std::string& s) {
      if (std::find(data.begin(), data.end(), s) == data.end()) data.push_back(s);
    };
    mu::data meanings{mu::data::type::list};
    std::set<std::string> meanings_seen;
    bool browsing = false;
    if (tp.contains("signals") && tp["signals"].is_array())
      for (const Json& s : tp["signals"]) {
        if (s.contains("data_category") && s["data_category"].is_string()) {
          browsing = browsing || s["data_category"] == "user.behavior.browsing_history";
          std::string label = DataCategoryLabel(lang, s["data_category"].get<std::string>());
          // Inside a sentence: "e-mail address" (German nouns keep their capital; "IP address" too).
          if (lang != "de" && label.size() > 1 && std::isupper(static_cast<unsigned char>(label[0])) &&
              !std::isupper(static_cast<unsigned char>(label[1])))
            label[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(label[0])));
          add(label);
        }
        if (s.contains("meaning") && s["meaning"].is_string()) {
          std::string m = s["meaning"].get<std::string>();
          if (meanings_seen.insert(m).second) meanings.push_back(mu::data(m));
        }
      }
    if (tp.contains("carried") && tp["carried"].is_array())
      for (const Json& s : tp["carried"])
        if (s.contains("kind") && s["kind"].is_string()) {
          std::string kind = s["kind"].get<std::string>();
          if (kind == "page-url" && browsing) continue;  // the same as the browsing-history signal
          add(Ui(lang, "carried_" + kind));
        }
    std::string sentence;
    if (pages == 0) {
      sentence = Ui(lang, "evidence_not_seen");
    } else {
      sentence = Fill(Ui(lang, pages == 1 ? "evidence_seen_one" : "evidence_seen"),
                      {{"n", std::to_string(pages)}, {"date", HumanDate(lang, captured)}});
      if (!data.empty()) {
        std::string list;
        for (size_t i = 0; i < data.size(); ++i)
          list += (i == 0 ? "" : i + 1 == data.size() ? Ui(lang, "list_and") : ", ") + data[i];
        sentence += Fill(Ui(lang, "evidence_sends"), {{"data", list}, {"vendor", vendor}});
      }
    }
    e.set("sentence", sentence);
    e.set("meanings", meanings);
    if (tp.contains("phases_active") && tp["phases_active"].is_array() && !tp["phases_active"].empty()) {
      std::string phases;
      for (const Json& p : tp["phases_active"])
        if (p.is_string())
          phases += (phases.empty() ? "" : ", ") +
                    TextCatalog::Builtin().Term(lang, "consent_phase", p.get<std::string>());
      e.set("phases", phases);
    }
    if (tp.contains("verdict") && tp["verdict"].is_string())
      e.set("verdict", TextCatalog::Builtin().Term(lang, "verdict", tp["verdict"].get<std::string>()));
    return e;
  }
  return std::nullopt;
}

struct FormState {
  std::string error;
  int status = 200;
  std::optional<Json> answers;  // what the user sent, to show again
  std::optional<int64_t> version;
};

// What an audit saw of a touchpoint it found unregistered (the record's
// `discovered`, Touchpoint::discovered) as the question to its owner: who
// found it when, how sure that is, and each thing seen with its place.
mu::data DiscoveredData(const std::string& lang, const Json& found, const std::string& name) {
  auto str = [](const Json& j, const char* k) {
    return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
  };
  const TextCatalog& cat = TextCatalog::Builtin();
  const std::string proof = str(found, "proof");
  const std::string proof_label = proof == "seen" || proof.empty() ? Ui(lang, "discovered_proof_seen")
                                                                   : cat.Term(lang, "record_proof", proof);
  mu::data d{mu::data::type::object};
  d.set("intro",
        Fill(Ui(lang, "discovered_intro"),
             {{"name", name}, {"date", HumanDate(lang, str(found, "date"))}, {"proof", proof_label}}));
  if (!str(found, "first_date").empty()) {
    const std::string first = HumanDate(lang, str(found, "first_date"));
    const std::string last = HumanDate(lang, str(found, "last_date"));
    d.set("period",
          Fill(Ui(lang, "discovered_period"), {{"first", first}, {"last", last.empty() ? first : last}}));
  }
  mu::data rows{mu::data::type::list};
  if (found.contains("seen") && found["seen"].is_array())
    for (const Json& i : found["seen"]) {
      if (!i.is_object()) continue;
      mu::data r{mu::data::type::object};
      const std::string kind = str(i, "kind");
      const bool record = cat.InVocabulary("record_kind", kind);
      r.set("kind", cat.Term(lang, record ? "record_kind" : "evidence_kind", kind));
      r.set("what", str(i, "what"));
      Opt(r, "detail", str(i, "detail"));
      if (!str(i, "proof").empty()) r.set("proof", cat.Term(lang, "record_proof", str(i, "proof")));
      std::string when = HumanDate(lang, str(i, "first_date"));
      if (!str(i, "last_date").empty() && str(i, "last_date") != str(i, "first_date"))
        when += " – " + HumanDate(lang, str(i, "last_date"));
      Opt(r, "when", when);
      if (i.contains("count") && i["count"].is_number_integer() && i["count"].get<int64_t>() > 0)
        r.set("count", std::to_string(i["count"].get<int64_t>()));
      Opt(r, "source", str(i, "source"));
      rows.push_back(r);
    }
  d.set("seen", rows);
  d.set("ask", Ui(lang, "discovered_ask"));
  return d;
}

void RecordPage(Ctx& c, RecordKind kind, const std::string& id, const FormState& st) {
  auto v = c.admin.GetRecord(*c.actor, kind, id);
  if (!v) return SendError(c, v.error());
  const Ctx& cc = c;
  const admin::Actor& a = *cc.actor;
  const store::Record& r = v->record;
  Json body = Json::parse(r.body, nullptr, false);
  if (!body.is_object()) body = Json::object();
  mu::data d{mu::data::type::object};
  d.set("name", v->name);
  d.set("id", r.id);
  d.set("kind", std::string(store::RecordKindName(kind)));
  d.set("kind_label", KindLabel(c.lang, kind));
  d.set("list_href", Base(c) + "/records/" + std::string(store::RecordKindName(kind)));
  d.set("list_label", Ui(c.lang, "list_" + std::string(store::RecordKindName(kind))));
  d.set("href", RecordUrl(c, kind, id));
  d.set("status", std::string(store::RecordStatusName(r.status)));
  d.set("status_label", StatusLabel(c.lang, r.status));
  d.set("version", std::to_string(st.version.value_or(r.version)));
  Opt(d, "owner", v->owner_email);
  Opt(d, "author", v->author_email);
  Opt(d, "due", r.due_date);
  d.set("overdue", Flag(Overdue(*v, Today(c))));
  d.set("updated", r.updated_at);
  if (!st.error.empty()) d.set("error", st.error);
  if (c.req.has_param("saved")) d.set("notice", Ui(c.lang, "saved"));
  // Key facts: the body's fields but the answers.
  mu::data facts{mu::data::type::list};
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() == "answers" || it.key() == "id" || it.key() == "discovered") continue;
    std::string value = Plain(it.value());
    if (value.empty()) continue;
    mu::data f{mu::data::type::object};
    f.set("label", HasText("en", "field_" + it.key()) ? Ui(c.lang, "field_" + it.key()) : it.key());
    f.set("value", value);
    facts.push_back(f);
  }
  d.set("facts", facts);
  if (kind == RecordKind::kTouchpoint) {
    Json answers = st.answers ? *st.answers
                              : (body.contains("answers") && body["answers"].is_object() ? body["answers"]
                                                                                         : Json::object());
    // A draft made from an audit's blind spot: what was seen, and the answers
    // it suggests pre-filled while the owner has given none (saving them
    // makes them answers; until then nothing counts as answered).
    bool prefilled = false;
    if (body.contains("discovered") && body["discovered"].is_object()) {
      const Json& found = body["discovered"];
      d.set("discovered", DiscoveredData(c.lang, found, v->name));
      if (!st.answers && answers.empty() && found.contains("suggested") && found["suggested"].is_object() &&
          !found["suggested"].empty()) {
        answers = found["suggested"];
        prefilled = true;
      }
    }
    mu::data q = QuestionData(c.lang, answers);
    q.set("prefilled", Flag(prefilled && v->editable));
    q.set("editable", Flag(v->editable));
    q.set("answered", fmt::format("{}/{}", v->questions_answered, v->questions_total));
    d.set("questions", q);
    auto audit = c.admin.LatestAudit(a);
    if (audit) {
      Json report = Json::parse(audit->report_json, nullptr, false);
      if (auto e = EvidenceData(c, report, id)) {
        e->set("audit_at", HumanDate(c.lang, audit->at));
        d.set("evidence", *e);
      }
    }
  }
  auto emails = MemberEmails(c);
  if (a.Can(admin::Permission::kAssign)) {
    // Only members who can answer the record are offered (Admin::Assign
    // refuses the others), and whoever has it now.
    std::set<std::string> can_answer{r.owner_user_id};
    if (auto ms = c.admin.Members(*c.actor); ms)
      for (const auto& [m, email] : *ms)
        if (admin::RoleAllows(m.role, admin::Permission::kEditAssigned) ||
            admin::RoleAllows(m.role, admin::Permission::kEditRegister))
          can_answer.insert(m.user_id);
    mu::data members{mu::data::type::list};
    for (const auto& [uid, email] : emails) {
      if (!can_answer.contains(uid)) continue;
      mu::data m{mu::data::type::object};
      m.set("email", email);
      m.set("selected", Flag(uid == r.owner_user_id));
      members.push_back(m);
    }
    mu::data as{mu::data::type::object};
    as.set("members", members);
    as.set("nobody", Flag(r.owner_user_id.empty()));
    d.set("assign", as);
  }
  // Workflow steps the actor may take now.
  mu::data steps{mu::data::type::list};
  auto step = [&](const char* name, bool ok, const char* label = nullptr) {
    if (!ok) return;
    mu::data s{mu::data::type::object};
    s.set("step", std::string(name));
    s.set("label", Ui(c.lang, label != nullptr ? std::string(label) : std::string("step_") + name));
    // Taking a record out of the public register is asked to be confirmed:
    // a form of its own with an "I understand" box.
    s.set("confirm", Flag(std::string_view(name) == "obsolete"));
    steps.push_back(s);
  };
  const bool may_publish = a.Can(admin::Permission::kPublish);
  // Retired by an import: still public until a privacy officer decides.
  const bool retired_by_import = c.admin.RetiredByImport(r);
  if (retired_by_import && !c.req.has_param("saved")) d.set("notice", Ui(c.lang, "retired_by_import"));
  step("submit", r.status == RecordStatus::kDraft && v->editable);
  step("approve", v->approvable);
  step("reject", r.status == RecordStatus::kInReview && a.Can(admin::Permission::kApprove));
  step("publish", r.status == RecordStatus::kApproved && may_publish);
  step("obsolete", r.status != RecordStatus::kObsolete && may_publish);
  step("obsolete", retired_by_import && may_publish, "step_obsolete_confirm");
  step("reinstate", r.status == RecordStatus::kObsolete && may_publish);
  d.set("any_steps", Flag(!steps.is_empty_list()));
  d.set("steps", steps);
  if (r.status == RecordStatus::kInReview && a.Can(admin::Permission::kApprove) && !v->approvable)
    d.set("own_version", Ui(c.lang, "own_version"));
  // The record's history.
  if (a.Can(admin::Permission::kReadHistory)) {
    auto hist = c.admin.RecordHistory(a, kind, id, store::Page{0, 200});
    if (hist) {
      mu::data rows{mu::data::type::list};
      for (const store::HistoryEntry& h : *hist) {
        mu::data row{mu::data::type::object};
        row.set("at", h.at);
        row.set("who", Who(emails, h.actor));
        row.set("version", std::to_string(h.version));
        row.set("field", h.field.empty() ? Ui(c.lang, "whole_record") : h.field);
        row.set("old", PlainStored(h.old_value));
        row.set("new", PlainStored(h.new_value));
        row.set("why", h.reason);
        if (h.version > 1)
          row.set("compare",
                  fmt::format("{}/compare?from={}&to={}", RecordUrl(c, kind, id), h.version - 1, h.version));
        rows.push_back(row);
      }
      mu::data hs{mu::data::type::object};
      hs.set("rows", rows);
      hs.set("compare_action", RecordUrl(c, kind, id) + "/compare");
      hs.set("from", std::to_string(r.version > 1 ? r.version - 1 : 1));
      hs.set("to", std::to_string(r.version));
      d.set("history", hs);
    }
  }
  SendPage(c, st.status, v->name, "record", d);
}

void GetRecord(Ctx& c) {
  auto kind = KindOf(c);
  if (!kind) return;
  RecordPage(c, *kind, c.Path("id"), {});
}

// The form's error: the message of the error, with plain words for a stale version.
FormState Failed(Ctx& c, const Error& e) {
  FormState st;
  st.status = StatusFor(e.kind);
  if (e.kind == ErrorKind::kConflict && e.message.find("version") != std::string::npos) {
    st.error = Ui(c.lang, "stale_version");
  } else {
    st.error = e.message;
    if (e.where.line > 0) st.error += fmt::format(" ({}:{})", e.where.line, e.where.column);
    if (!e.hint.empty()) st.error += " — " + e.hint;
  }
  if (st.status == 500) st.error = Ui(c.lang, "error_title");
  return st;
}

FormState BadInput(Ctx& c, const std::string& key) {
  FormState st;
  st.status = 400;
  st.error = Ui(c.lang, key);
  return st;
}

void PostAnswers(Ctx& c) {
  const std::string id = c.Path("id");
  if (c.Path("kind") != "touchpoint")
    return SendError(c, Error{ErrorKind::kNotFound, "only touchpoints have questions", {}, {}, ""});
  auto version = ToInt(c.Param("version"));
  if (!version) return RecordPage(c, RecordKind::kTouchpoint, id, BadInput(c, "missing_version"));
  auto flag = [&](const char* k) -> Json {
    std::string v = c.Param(k);
    if (v == "yes") return true;
    if (v == "no") return false;
    return nullptr;
  };
  auto trimmed = [](std::string s) {
    size_t b = s.find_first_not_of(" \t\r\n");
    size_t e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  };
  Json ans = Json::object();
  ans["in_use"] = flag("in_use");
  ans["stored_by_us"] = flag("stored_by_us");
  ans["stored_by_vendor"] = flag("stored_by_vendor");
  for (const char* k : {"in_use_since", "stored_by_us_where", "stored_by_vendor_details", "lawful_basis",
                        "necessity", "subsidiarity", "proportionality"})
    ans[k] = trimmed(c.Param(k));
  Json informed = Json::object();
  if (std::string s = trimmed(c.Param("informed_statement")); !s.empty()) informed["statement"] = s;
  if (std::string s = trimmed(c.Param("informed_section")); !s.empty()) informed["section"] = s;
  ans["informed"] = informed.empty() ? Json(nullptr) : informed;
  Json data = Json::array();
  for (const std::string& k : c.Params("data_collected"))
    if (!k.empty()) data.push_back(k);
  ans["data_collected"] = data;
  Json measures = Json::array();
  std::string all = c.Param("security_measures");
  for (size_t pos = 0; pos <= all.size();) {
    size_t end = all.find('\n', pos);
    if (end == std::string::npos) end = all.size();
    if (std::string line = trimmed(all.substr(pos, end - pos)); !line.empty()) measures.push_back(line);
    pos = end + 1;
  }
  ans["security_measures"] = measures;
  std::string reason = trimmed(c.Param("reason"));
  if (reason.empty()) reason = Ui(c.lang, "reason_answered");
  auto r = c.admin.AnswerTouchpoint(*c.actor, id, *version, ans.dump(), reason);
  if (!r) {
    FormState st = Failed(c, r.error());
    if (r.error().kind != ErrorKind::kConflict) {
      // Show what was sent again (nulls and empties dropped), with the version it was based on.
      Json shown = Json::object();
      for (auto it = ans.begin(); it != ans.end(); ++it)
        if (!it.value().is_null() && !(it.value().is_string() && it.value().get<std::string>().empty()))
          shown[it.key()] = it.value();
      st.answers = shown;
      st.version = *version;
    }
    return RecordPage(c, RecordKind::kTouchpoint, id, st);
  }
  Redirect(c, RecordUrl(c, RecordKind::kTouchpoint, id) + "?saved=1");
}

void PostAssign(Ctx& c) {
  auto kind = KindOf(c);
  if (!kind) return;
  const std::string id = c.Path("id");
  auto version = ToInt(c.Param("version"));
  if (!version) return RecordPage(c, *kind, id, BadInput(c, "missing_version"));
  // "nobody" unassigns: the form's date field still holds the old date,
  // which goes with the owner.
  const std::string owner = c.Param("owner");
  auto r = c.admin.Assign(*c.actor, *kind, id, *version, owner, owner.empty() ? "" : c.Param("due"));
  if (!r) return RecordPage(c, *kind, id, Failed(c, r.error()));
  Redirect(c, RecordUrl(c, *kind, id) + "?saved=1");
}

void PostStep(Ctx& c) {
  auto kind = KindOf(c);
  if (!kind) return;
  const std::string id = c.Path("id");
  auto version = ToInt(c.Param("version"));
  if (!version) return RecordPage(c, *kind, id, BadInput(c, "missing_version"));
  std::string step = c.Param("step");
  if (step.empty()) return RecordPage(c, *kind, id, BadInput(c, "missing_step"));
  if (step == "obsolete" && !Confirmed(c)) return RecordPage(c, *kind, id, BadInput(c, "confirm_needed"));
  std::string reason = c.Param("reason");
  if (reason.empty()) reason = Ui(c.lang, "step_" + step);
  auto r = c.admin.Transition(*c.actor, *kind, id, *version, step, reason);
  if (!r) return RecordPage(c, *kind, id, Failed(c, r.error()));
  Redirect(c, RecordUrl(c, *kind, id) + "?saved=1");
}

void Compare(Ctx& c) {
  auto kind = KindOf(c);
  if (!kind) return;
  const std::string id = c.Path("id");
  auto from = ToInt(c.Param("from"));
  auto to = ToInt(c.Param("to"));
  if (!from || !to)
    return SendError(c, Error{ErrorKind::kUsage, Ui(c.lang, "compare_needs_versions"), {}, {}, ""});
  auto v = c.admin.GetRecord(*c.actor, *kind, id);
  if (!v) return SendError(c, v.error());
  auto diff = c.admin.CompareVersions(*c.actor, *kind, id, *from, *to);
  if (!diff) return SendError(c, diff.error());
  mu::data rows{mu::data::type::list};
  for (const store::FieldChange& f : *diff) {
    mu::data row{mu::data::type::object};
    row.set("field", f.path.empty() ? Ui(c.lang, "whole_record") : f.path);
    row.set("old", PlainStored(f.old_value));
    row.set("new", PlainStored(f.new_value));
    rows.push_back(row);
  }
  mu::data d{mu::data::type::object};
  d.set("name", v->name);
  d.set("href", RecordUrl(c, *kind, id));
  d.set("from", std::to_string(*from));
  d.set("to", std::to_string(*to));
  d.set("rows", rows);
  d.set("any_rows", Flag(!diff->empty()));
  SendPage(c, 200, v->name, "compare", d);
}

// ---- my questions ----

void MyQuestions(Ctx& c) {
  auto recs = c.admin.MyQuestions(*c.actor);
  if (!recs) return SendError(c, recs.error());
  std::sort(recs->begin(), recs->end(), [](const admin::RecordView& x, const admin::RecordView& y) {
    // Due dates first, the earliest on top; then by name.
    if (x.record.due_date.empty() != y.record.due_date.empty()) return !x.record.due_date.empty();
    if (x.record.due_date != y.record.due_date) return x.record.due_date < y.record.due_date;
    return x.name < y.name;
  });
  const std::string today = Today(c);
  mu::data rows{mu::data::type::list};
  for (const admin::RecordView& v : *recs) rows.push_back(RecordRow(c, v, today));
  mu::data d{mu::data::type::object};
  d.set("records", rows);
  d.set("any_records", Flag(!recs->empty()));
  SendPage(c, 200, Ui(c.lang, "nav_my"), "my", d);
}

// ---- history ----

void HistoryPage(Ctx& c) {
  int64_t offset = ToInt(c.Param("offset")).value_or(0);
  int64_t limit = std::clamp<int64_t>(ToInt(c.Param("limit")).value_or(50), 1, 500);
  auto hist = c.admin.History(*c.actor, store::Page{offset, limit});
  if (!hist) return SendError(c, hist.error());
  auto total = c.admin.store().HistoryCount(c.actor->org_id);
  if (!total) return SendError(c, total.error());
  auto emails = MemberEmails(c);
  mu::data rows{mu::data::type::list};
  for (const store::HistoryEntry& h : *hist) {
    mu::data row{mu::data::type::object};
    row.set("seq", std::to_string(h.seq));
    row.set("at", h.at);
    row.set("who", Who(emails, h.actor));
    row.set("record", std::string(store::RecordKindName(h.kind)) + " " + h.record_id);
    if (h.kind != RecordKind::kOrganisation || h.record_id == "organisation")
      row.set("href", RecordUrl(c, h.kind, h.record_id));
    row.set("version", std::to_string(h.version));
    row.set("field", h.field.empty() ? Ui(c.lang, "whole_record") : h.field);
    row.set("old", PlainStored(h.old_value));
    row.set("new", PlainStored(h.new_value));
    row.set("why", h.reason);
    rows.push_back(row);
  }
  mu::data d{mu::data::type::object};
  d.set("rows", rows);
  d.set("range", Fill(Ui(c.lang, "history_range"),
                      {{"from", std::to_string(hist->empty() ? 0 : offset + 1)},
                       {"to", std::to_string(offset + static_cast<int64_t>(hist->size()))},
                       {"total", std::to_string(*total)}}));
  if (offset > 0)
    d.set("newer",
          fmt::format("{}/history?offset={}&limit={}", Base(c), std::max<int64_t>(0, offset - limit), limit));
  if (offset + limit < *total)
    d.set("older", fmt::format("{}/history?offset={}&limit={}", Base(c), offset + limit, limit));
  SendPage(c, 200, Ui(c.lang, "nav_history"), "history", d);
}

// ---- audits ----

std::string SubjectHref(Ctx& c, const Json& subject) {
  if (!subject.is_object() || !subject.contains("kind") || !subject["kind"].is_string() ||
      !subject.contains("id") || !subject["id"].is_string())
    return "";
  std::string kind = subject["kind"].get<std::string>();
  auto k = store::ParseRecordKind(kind);
  if (!k || (*k != RecordKind::kTouchpoint && *k != RecordKind::kActivity && *k != RecordKind::kProcessor))
    return "";
  return RecordUrl(c, *k, subject["id"].get<std::string>());
}

void AuditsPage(Ctx& c, int status, const std::string& error) {
  mu::data d{mu::data::type::object};
  if (!error.empty()) d.set("error", error);
  if (c.req.has_param("done")) d.set("notice", Ui(c.lang, "audit_done"));
  d.set("may_run", Flag(c.actor->Can(admin::Permission::kRunAudit)));
  d.set("action", Base(c) + "/audits");
  auto audit = c.admin.LatestAudit(*c.actor);
  if (!audit && audit.error().kind != ErrorKind::kNotFound) return SendError(c, audit.error());
  if (audit) {
    Json report = Json::parse(audit->report_json, nullptr, false);
    if (!report.is_object()) report = Json::object();
    std::map<std::string, const Json*> by_fp;
    if (report.contains("findings") && report["findings"].is_array())
      for (const Json& f : report["findings"])
        if (f.contains("fingerprint") && f["fingerprint"].is_string())
          by_fp[f["fingerprint"].get<std::string>()] = &f;
    std::set<std::string> shown;
    auto finding = [&](const Json& f) {
      mu::data o{mu::data::type::object};
      auto str = [&](const char* k) {
        return f.contains(k) && f[k].is_string() ? f[k].get<std::string>() : std::string();
      };
      o.set("rule_id", str("rule_id"));
      o.set("rule", str("rule_id").substr(0, str("rule_id").find('-')));
      o.set("severity", str("severity"));
      o.set("severity_label", TextCatalog::Builtin().Term(c.lang, "severity", str("severity")));
      o.set("title", str("title"));
      Opt(o, "detail", str("detail"));
      o.set("fingerprint", str("fingerprint"));
      if (f.contains("subject") && f["subject"].is_object()) {
        const Json& s = f["subject"];
        o.set("subject_id", s.contains("id") && s["id"].is_string() ? s["id"].get<std::string>() : "");
        Opt(o, "subject", s.contains("name") && s["name"].is_string() ? s["name"].get<std::string>() : "");
        if (std::string href = SubjectHref(c, s); !href.empty()) o.set("href", href);
      }
      return o;
    };
    mu::data actions{mu::data::type::list};
    if (report.contains("actions") && report["actions"].is_array())
      for (const Json& a : report["actions"]) {
        mu::data o{mu::data::type::object};
        auto str = [&](const char* k) {
          return a.contains(k) && a[k].is_string() ? a[k].get<std::string>() : std::string();
        };
        o.set("text", str("text"));
        o.set("priority", str("priority"));
        o.set("priority_label", TextCatalog::Builtin().Term(c.lang, "action_priority", str("priority")));
        Opt(o, "due", str("due"));
        Opt(o, "owner", str("owner"));
        if (a.contains("subject")) {
          if (std::string href = SubjectHref(c, a["subject"]); !href.empty()) o.set("href", href);
        }
        mu::data fs{mu::data::type::list};
        if (a.contains("fingerprints") && a["fingerprints"].is_array())
          for (const Json& fp : a["fingerprints"])
            if (fp.is_string() && by_fp.contains(fp.get<std::string>())) {
              fs.push_back(finding(*by_fp[fp.get<std::string>()]));
              shown.insert(fp.get<std::string>());
            }
        o.set("findings", fs);
        actions.push_back(o);
      }
    mu::data others{mu::data::type::list};
    for (const auto& [fp, f] : by_fp)
      if (!shown.contains(fp)) others.push_back(finding(*f));
    mu::data a{mu::data::type::object};
    a.set("at", audit->at);
    a.set("summary", AuditSummaryText(c.lang, audit->summary));
    // The blind spots this audit made draft touchpoints of, for owners.
    const Json summary = Json::parse(audit->summary, nullptr, false);
    mu::data drafted{mu::data::type::list};
    if (summary.is_object() && summary.contains("drafted") && summary["drafted"].is_array())
      for (const Json& t : summary["drafted"]) {
        if (!t.is_object() || !t.contains("id") || !t["id"].is_string()) continue;
        mu::data o{mu::data::type::object};
        o.set("name", t.value("name", t["id"].get<std::string>()));
        o.set("href", RecordUrl(c, RecordKind::kTouchpoint, t["id"].get<std::string>()));
        drafted.push_back(o);
      }
    if (!drafted.is_empty_list()) {
      a.set("drafted_intro", Ui(c.lang, "audit_drafted"));
      a.set("drafted", drafted);
    }
    if (summary.is_object() && summary.contains("draft_error") && summary["draft_error"].is_string())
      a.set("draft_error",
            Fill(Ui(c.lang, "audit_draft_error"), {{"why", summary["draft_error"].get<std::string>()}}));
    a.set("actions", actions);
    a.set("any_others", Flag(!others.is_empty_list()));
    a.set("others", others);
    d.set("audit", a);
  }
  SendPage(c, status, Ui(c.lang, "nav_audits"), "audits", d);
}

void GetAudits(Ctx& c) { AuditsPage(c, 200, ""); }

void PostAudit(Ctx& c) {
  std::vector<admin::Upload> hars;
  for (auto [it, end] = c.req.files.equal_range("har"); it != end; ++it)
    if (!it->second.content.empty()) hars.push_back({it->second.filename, it->second.content});
  std::string bundle;
  for (auto [it, end] = c.req.files.equal_range("bundle"); it != end; ++it)
    if (!it->second.content.empty()) bundle = it->second.content;
  if (hars.empty() && bundle.empty()) return AuditsPage(c, 400, Ui(c.lang, "audit_needs_har"));
  if (!hars.empty() && !bundle.empty()) return AuditsPage(c, 400, Ui(c.lang, "audit_har_or_bundle"));
  auto r = bundle.empty() ? c.admin.RunAudit(*c.actor, hars) : c.admin.RunBundleAudit(*c.actor, bundle);
  if (!r) {
    FormState st = Failed(c, r.error());
    return AuditsPage(c, st.status, st.error);
  }
  Redirect(c, Base(c) + "/audits?done=1");
}

// ---- import ----

// What an import retired and reinstated, passed on in the redirect as
// "kind:id:status-before" (at most kListedChanges of each) and listed with
// links, so the privacy officer sees what left the register.
constexpr size_t kListedChanges = 50;

std::string ChangesQuery(const char* key, const std::vector<admin::ImportNote>& notes) {
  std::string q = fmt::format("&{}_total={}", key, notes.size());
  for (size_t i = 0; i < notes.size() && i < kListedChanges; ++i)
    q += fmt::format("&{}={}:{}:{}", key, store::RecordKindName(notes[i].kind), notes[i].id,
                     store::RecordStatusName(notes[i].before));
  return q;
}

void ListChanges(Ctx& c, mu::data& d, const std::string& key) {
  mu::data list{mu::data::type::list};
  for (const std::string& item : c.Params(key)) {
    size_t a = item.find(':'), b = item.rfind(':');
    if (a == std::string::npos || b == a) continue;
    auto kind = store::ParseRecordKind(item.substr(0, a));
    auto before = store::ParseRecordStatus(item.substr(b + 1));
    if (!kind || !before) continue;
    const std::string id = item.substr(a + 1, b - a - 1);
    auto v = c.admin.GetRecord(*c.actor, *kind, id);
    mu::data o{mu::data::type::object};
    o.set("name", v ? v->name : id);
    o.set("href", RecordUrl(c, *kind, id));
    o.set("kind", KindLabel(c.lang, *kind));
    o.set("was", StatusLabel(c.lang, *before));
    list.push_back(o);
  }
  const std::string total = c.Param(key + "_total");
  if (list.is_empty_list()) return;
  d.set("any_" + key, Flag(true));
  d.set(key, list);
  if (!total.empty() && total != std::to_string(c.Params(key).size()))
    d.set(key + "_more", Fill(Ui(c.lang, "import_more"), {{"count", total}}));
}

void ImportPage(Ctx& c, int status, const std::string& error, const std::vector<Error>& problems,
                const std::string& notice) {
  mu::data d{mu::data::type::object};
  d.set("action", Base(c) + "/import");
  // The register's version as this page shows it: the import replaces that
  // version or is refused (someone changed the register meanwhile).
  if (auto v = c.admin.RegisterVersion(*c.actor); v) d.set("if_match", *v);
  if (!error.empty()) d.set("error", error);
  if (!notice.empty()) d.set("notice", notice);
  if (!notice.empty()) {
    ListChanges(c, d, "retired");
    ListChanges(c, d, "reinstated");
  }
  mu::data list{mu::data::type::list};
  for (const Error& e : problems) {
    mu::data o{mu::data::type::object};
    if (e.where.line > 0) o.set("where", fmt::format("{}:{}", e.where.line, e.where.column));
    o.set("message", e.message);
    Opt(o, "expected", e.expected);
    Opt(o, "hint", e.hint);
    Opt(o, "line", e.source_line);
    list.push_back(o);
  }
  d.set("problems", list);
  d.set("any_problems", Flag(!problems.empty()));
  SendPage(c, status, Ui(c.lang, "nav_import"), "import", d);
}

void GetImport(Ctx& c) {
  std::string notice;
  if (c.req.has_param("records"))
    notice =
        Fill(Ui(c.lang, "import_done"), {{"records", c.Param("records")}, {"changes", c.Param("changes")}});
  ImportPage(c, 200, "", {}, notice);
}

void PostImport(Ctx& c) {
  std::string text, name = "register.yaml";
  if (c.req.has_file("register")) {
    const auto& f = c.req.get_file_value("register");
    text = f.content;
    if (!f.filename.empty()) name = f.filename;
  }
  if (text.empty()) return ImportPage(c, 400, Ui(c.lang, "import_needs_file"), {}, "");
  // A form without the version (made before it carried one) replaces the register as it is.
  std::string if_match = c.Param("if_match");
  auto r = c.admin.PutRegister(*c.actor, text, name, c.Param("reason"),
                               if_match.empty() ? std::nullopt : std::optional<std::string>(if_match));
  if (!r) {
    FormState st = Failed(c, r.error());
    std::vector<Error> problems;
    if (st.status == 400) problems = admin::RegisterProblems(text, name);
    return ImportPage(c, st.status, problems.empty() ? st.error : Ui(c.lang, "import_problems"), problems,
                      "");
  }
  Redirect(c, fmt::format("{}/import?records={}&changes={}{}{}", Base(c), r->records, r->changed,
                          ChangesQuery("retired", r->retired), ChangesQuery("reinstated", r->reinstated)));
}

// ---- members and API tokens ----

mu::data RoleChoices(Ctx& c, const std::vector<store::Role>& checked) {
  mu::data list{mu::data::type::list};
  for (store::Role r : store::AllRoles()) {
    mu::data o{mu::data::type::object};
    o.set("code", std::string(store::RoleName(r)));
    o.set("label", Ui(c.lang, "role_" + std::string(store::RoleName(r))));
    o.set("checked", Flag(std::find(checked.begin(), checked.end(), r) != checked.end()));
    list.push_back(o);
  }
  return list;
}

std::string RolesLabel(Ctx& c, const std::vector<store::Role>& roles) {
  std::string out;
  for (store::Role r : roles)
    out += (out.empty() ? "" : ", ") + Ui(c.lang, "role_" + std::string(store::RoleName(r)));
  return out;
}

// The roles ticked in a form ("role" checkboxes); unknown values are left out.
std::vector<store::Role> TickedRoles(Ctx& c) {
  std::vector<store::Role> out;
  for (const std::string& v : c.Params("role"))
    if (auto r = store::ParseRole(v)) out.push_back(*r);
  return out;
}

void MembersPage(Ctx& c, int status, const std::string& error, const std::string& notice,
                 const std::string& initial_password, const std::string& one_time_password = "") {
  auto members = c.admin.MemberList(*c.actor);
  if (!members) return SendError(c, members.error());
  mu::data d{mu::data::type::object};
  Opt(d, "error", error);
  Opt(d, "notice", notice);
  Opt(d, "initial_password", initial_password);
  Opt(d, "one_time_password", one_time_password);
  d.set("add_action", Base(c) + "/members");
  mu::data list{mu::data::type::list};
  for (const admin::Member& m : *members) {
    mu::data o{mu::data::type::object};
    const std::string url = Base(c) + "/members/" + m.user_id;
    o.set("user", m.user_id);
    o.set("email", m.email);
    o.set("roles", RoleChoices(c, m.roles));
    o.set("roles_label", RolesLabel(c, m.roles));
    o.set("second_factor", Flag(m.second_factor));
    o.set("needs", Flag(m.needs_second_factor));
    o.set("roles_action", url + "/roles");
    o.set("remove_action", url + "/remove");
    o.set("reset_action", url + "/totp-reset");
    o.set("password_action", url + "/password-reset");
    o.set("self", Flag(m.user_id == c.actor->user_id));
    list.push_back(o);
  }
  d.set("members", list);
  auto invitations = c.admin.OrgInvitations(*c.actor);
  if (!invitations) return SendError(c, invitations.error());
  mu::data pending{mu::data::type::list};
  for (const admin::InvitationView& v : *invitations) {
    mu::data o{mu::data::type::object};
    o.set("user", v.invitation.user_id);
    o.set("email", v.email);
    o.set("roles_label", RolesLabel(c, v.invitation.roles));
    o.set("invited_by", v.invited_by_email);
    o.set("created_at", v.invitation.created_at);
    o.set("revoke_action", Base(c) + "/invitations/" + v.invitation.user_id + "/revoke");
    pending.push_back(o);
  }
  d.set("invitations", pending);
  d.set("has_invitations", Flag(!invitations->empty()));
  d.set("all_roles", RoleChoices(c, {}));
  SendPage(c, status, Ui(c.lang, "nav_members"), "members", d);
}

void GetMembers(Ctx& c) {
  std::string notice;
  if (std::string done = c.Param("done");
      done == "roles" || done == "removed" || done == "reset" || done == "revoked")
    notice = Ui(c.lang, "member_" + done);
  MembersPage(c, 200, "", notice, "");
}

void PostMember(Ctx& c) {
  auto r = c.admin.AddMember(*c.actor, c.Param("email"), TickedRoles(c), c.Param("password"));
  if (!r) {
    FormState st = Failed(c, r.error());
    return MembersPage(c, st.status, st.error, "", "");
  }
  // Rendered, not redirected: the initial password is shown this once and
  // never put in a URL. The same words whether the address has an account.
  MembersPage(c, 201, "", Fill(Ui(c.lang, "member_invited_email"), {{"email", r->invitation.email}}),
              r->initial_password);
}

void PostInvitationRevoke(Ctx& c) {
  if (auto s = c.admin.RevokeInvitation(*c.actor, c.Path("user")); !s) {
    FormState st = Failed(c, s.error());
    return MembersPage(c, st.status, st.error, "", "");
  }
  Redirect(c, Base(c) + "/members?done=revoked");
}

void PostMemberRoles(Ctx& c) {
  if (auto s = c.admin.SetMemberRoles(*c.actor, c.Path("user"), TickedRoles(c)); !s) {
    FormState st = Failed(c, s.error());
    return MembersPage(c, st.status, st.error, "", "");
  }
  Redirect(c, Base(c) + "/members?done=roles");
}

void PostMemberRemove(Ctx& c) {
  if (!Confirmed(c)) return MembersPage(c, 400, Ui(c.lang, "confirm_needed"), "", "");
  if (auto s = c.admin.RemoveMember(*c.actor, c.Path("user")); !s) {
    FormState st = Failed(c, s.error());
    return MembersPage(c, st.status, st.error, "", "");
  }
  Redirect(c, Base(c) + "/members?done=removed");
}

void PostMemberTotpReset(Ctx& c) {
  if (!Confirmed(c)) return MembersPage(c, 400, Ui(c.lang, "confirm_needed"), "", "");
  if (auto s = c.admin.ResetSecondFactor(*c.actor, c.Path("user")); !s) {
    FormState st = Failed(c, s.error());
    return MembersPage(c, st.status, st.error, "", "");
  }
  // Resetting one's own second factor ends this session too.
  if (c.Path("user") == c.actor->user_id) return Redirect(c, "/login");
  Redirect(c, Base(c) + "/members?done=reset");
}

void PostMemberPasswordReset(Ctx& c) {
  auto r = c.admin.ResetPassword(*c.actor, c.Path("user"), "");
  if (!r) {
    FormState st = Failed(c, r.error());
    return MembersPage(c, st.status, st.error, "", "");
  }
  std::string email;
  if (auto u = c.admin.store().GetUser(c.Path("user")); u) email = u->email;
  // Rendered, not redirected: the one-time password is shown this once.
  MembersPage(c, 200, "", Fill(Ui(c.lang, "member_password_reset"), {{"email", email}}), "", *r);
}

void TokensPage(Ctx& c, int status, const std::string& error, const std::string& notice,
                const std::string& secret) {
  auto tokens = c.admin.Tokens(*c.actor);
  if (!tokens) return SendError(c, tokens.error());
  auto members = c.admin.MemberList(*c.actor);
  if (!members) return SendError(c, members.error());
  std::map<std::string, std::string> emails;
  for (const admin::Member& m : *members) emails[m.user_id] = m.email;
  mu::data d{mu::data::type::object};
  Opt(d, "error", error);
  Opt(d, "notice", notice);
  Opt(d, "new_token", secret);
  d.set("create_action", Base(c) + "/tokens");
  mu::data list{mu::data::type::list};
  for (auto it = tokens->rbegin(); it != tokens->rend(); ++it) {  // newest first
    const store::ApiToken& t = it->token;
    mu::data o{mu::data::type::object};
    o.set("id", t.id);
    o.set("name", t.name);
    o.set("email", it->email.empty() ? Who(emails, t.user_id) : it->email);
    auto role = store::ParseRole(t.role);
    o.set("role", role ? Ui(c.lang, "role_" + t.role) : Ui(c.lang, "token_all_roles"));
    o.set("created_at", t.created_at);
    Opt(o, "revoked_at", t.revoked_at);
    o.set("revoke_action", Base(c) + "/tokens/" + t.id + "/revoke");
    list.push_back(o);
  }
  d.set("tokens", list);
  d.set("any_tokens", Flag(!tokens->empty()));
  // One choice per member and role the actor may hand out (no role with
  // more rights than the actor's own).
  mu::data choices{mu::data::type::list};
  for (const admin::Member& m : *members)
    for (store::Role r : m.roles) {
      if (m.user_id != c.actor->user_id) continue;  // a token acts as the member who makes it
      bool may = true;
      for (admin::Permission p : admin::AllPermissions())
        if (admin::RoleAllows(r, p) && !c.actor->Can(p)) may = false;
      if (!may) continue;
      mu::data o{mu::data::type::object};
      o.set("value", m.user_id + ":" + std::string(store::RoleName(r)));
      o.set("label", m.email + " — " + Ui(c.lang, "role_" + std::string(store::RoleName(r))));
      choices.push_back(o);
    }
  d.set("choices", choices);
  SendPage(c, status, Ui(c.lang, "nav_tokens"), "tokens", d);
}

void GetTokens(Ctx& c) {
  TokensPage(c, 200, "", c.Param("done") == "revoked" ? Ui(c.lang, "token_revoked_notice") : "", "");
}

void PostToken(Ctx& c) {
  const std::string choice = c.Param("member_role");
  const size_t colon = choice.rfind(':');
  auto role = colon == std::string::npos ? std::nullopt : store::ParseRole(choice.substr(colon + 1));
  if (!role) return TokensPage(c, 400, Ui(c.lang, "token_needs_member"), "", "");
  auto r = c.admin.CreateToken(*c.actor, choice.substr(0, colon), c.Param("name"), *role);
  if (!r) {
    FormState st = Failed(c, r.error());
    return TokensPage(c, st.status, st.error, "", "");
  }
  // Rendered, not redirected: the secret is shown this once.
  TokensPage(c, 201, "", "", r->secret);
}

void PostTokenRevoke(Ctx& c) {
  if (!Confirmed(c)) return TokensPage(c, 400, Ui(c.lang, "confirm_needed"), "", "");
  if (auto s = c.admin.RevokeToken(*c.actor, c.Path("id")); !s) {
    FormState st = Failed(c, s.error());
    return TokensPage(c, st.status, st.error, "", "");
  }
  Redirect(c, Base(c) + "/tokens?done=revoked");
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
      {OrgPage("GET", "/orgs/{org}/records/{kind}", {P::kRead},
               "The records of a kind: status, owner, due date, answered questions"),
       RecordList},
      {OrgPage(
           "GET", "/orgs/{org}/records/{kind}/{id}", {P::kRead},
           "A record: its facts, the touchpoint questions, what the evidence showed, assignment, workflow, "
           "history"),
       GetRecord},
      {OrgPage("POST", "/orgs/{org}/records/{kind}/{id}/answers", {P::kEditRegister, P::kEditAssigned},
               "Answer the seven touchpoint questions (version-checked)"),
       PostAnswers},
      {OrgPage("POST", "/orgs/{org}/records/{kind}/{id}/assign", {P::kAssign},
               "Assign a record to a business owner with a due date"),
       PostAssign},
      {OrgPage("POST", "/orgs/{org}/records/{kind}/{id}/step",
               {P::kEditRegister, P::kEditAssigned, P::kApprove, P::kPublish},
               "A workflow step: submit, approve, reject, publish, obsolete, reinstate"),
       PostStep},
      {OrgPage("GET", "/orgs/{org}/records/{kind}/{id}/compare", {P::kReadHistory},
               "Compare two versions of a record, field by field (?from=&to=)"),
       Compare},
      {OrgPage("GET", "/orgs/{org}/my", {P::kRead},
               "My questions: the records assigned to me, with due dates"),
       MyQuestions},
      {OrgPage("GET", "/orgs/{org}/history", {P::kReadHistory},
               "The change history, paged (?offset=&limit=)"),
       HistoryPage},
      {OrgPage("GET", "/orgs/{org}/audits", {P::kRead},
               "The latest audit: what must change, with its findings, linked to the records"),
       GetAudits},
      {OrgPage("POST", "/orgs/{org}/audits", {P::kRunAudit},
               "Run an audit on uploaded evidence files (HAR, DNS zone, DMARC, GTM, ad-platform, cookie "
               "declaration) or an evidence bundle as a .zip (multipart); its blind spots become draft "
               "touchpoints with what was seen"),
       PostAudit},
      {OrgPage("GET", "/orgs/{org}/import", {P::kEditRegister}, "The import form for a register file"),
       GetImport},
      {OrgPage("POST", "/orgs/{org}/import", {P::kEditRegister},
               "Import a register file (multipart); the reader's errors with line:column"),
       PostImport},
      {OrgPage("GET", "/orgs/{org}/members", {P::kManageMembers},
               "The members (roles, second factor) and pending invitations; invite a member, change roles, "
               "remove, reset a second factor, revoke an invitation"),
       GetMembers},
      {OrgPage("POST", "/orgs/{org}/members", {P::kManageMembers},
               "Invite a member by e-mail (the same answer whether the address has an account or not; a new "
               "account gets an initial password shown once): a member once the person accepts"),
       PostMember},
      {OrgPage("POST", "/orgs/{org}/invitations/{user}/revoke", {P::kManageMembers},
               "Revoke a pending invitation"),
       PostInvitationRevoke},
      {OrgPage("POST", "/orgs/{org}/members/{user}/roles", {P::kManageMembers},
               "Change a member's roles (never the last admin's)"),
       PostMemberRoles},
      {OrgPage("POST", "/orgs/{org}/members/{user}/remove", {P::kManageMembers},
               "Remove a member (never the last admin)"),
       PostMemberRemove},
      {OrgPage("POST", "/orgs/{org}/members/{user}/totp-reset", {P::kManageMembers},
               "Reset a member's second factor (it enrols a new one at its next login)"),
       PostMemberTotpReset},
      {OrgPage("POST", "/orgs/{org}/members/{user}/password-reset", {P::kManageMembers},
               "Give a member a one-time password, shown once: it chooses a new one at its next login"),
       PostMemberPasswordReset},
      {OrgPage("GET", "/orgs/{org}/tokens", {P::kRead},
               "The API tokens (everyone's for admins and privacy officers, else your own): member, role, "
               "created, revoked; create one for yourself (its secret shown once)"),
       GetTokens},
      {OrgPage("POST", "/orgs/{org}/tokens", {P::kRead},
               "Create an API token for yourself, acting with one of your roles"),
       PostToken},
      {OrgPage("POST", "/orgs/{org}/tokens/{id}/revoke", {P::kRead},
               "Revoke an API token (any with manage_tokens, else your own)"),
       PostTokenRevoke},
  };
}

}  // namespace blindspot::http
