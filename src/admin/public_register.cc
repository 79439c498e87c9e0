// The public register: the published controller records as JSON.
#include <map>
#include <nlohmann/json.hpp>

#include "blindspot/admin.h"
#include "blindspot/io.h"
#include "blindspot/notice.h"

namespace blindspot::admin {
namespace {

using Json = nlohmann::ordered_json;
using store::Record;
using store::RecordKind;
using store::RecordStatus;

Json Str(const Json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key] : Json(nullptr);
}

Json Strings(const Json& j, const char* key) {
  Json out = Json::array();
  if (j.contains(key) && j[key].is_array())
    for (const Json& v : j[key])
      if (v.is_string()) out.push_back(v);
  return out;
}

// Register ids of processors -> the names the public may read (the legal
// entity, else the name); ids are internal and never shown.
using ProcessorNames = std::map<std::string, std::string>;

// A recipient or transfer's processor id as its name; other text as it is.
Json NameOf(const ProcessorNames& names, const Json& id_or_text) {
  if (!id_or_text.is_string()) return Json(nullptr);
  auto it = names.find(id_or_text.get<std::string>());
  return it != names.end() ? Json(it->second) : id_or_text;
}

// What the public may read of an activity: the items of Art. 30(1)(b)-(g).
Json PublicActivity(const Json& a, const std::string& published_at, const ProcessorNames& names) {
  Json out;
  out["id"] = a.value("id", std::string());
  out["name"] = Str(a, "name");
  out["description"] = Str(a, "description");
  Json purposes = Json::array();
  if (a.contains("purposes") && a["purposes"].is_array()) {
    for (const Json& p : a["purposes"]) {
      if (!p.is_object()) continue;
      purposes.push_back({{"description", Str(p, "description")},
                          {"lawful_basis", Str(p, "lawful_basis")},
                          {"legal_obligation", Str(p, "legal_obligation")}});
    }
  }
  out["purposes"] = purposes;
  out["data_subjects"] = Strings(a, "data_subjects");
  Json cats = Json::array();
  for (const Json& c : Strings(a, "data_categories"))
    cats.push_back({{"key", c}, {"group", std::string(NoticeDataGroup(c.get<std::string>()))}});
  out["data_categories"] = cats;
  Json recipients = Json::array();
  if (a.contains("recipients") && a["recipients"].is_array()) {
    for (const Json& r : a["recipients"]) {
      if (!r.is_object()) continue;
      Json name = Str(r, "name");
      if (name.is_null()) name = NameOf(names, Str(r, "processor"));
      recipients.push_back({{"kind", Str(r, "kind")}, {"name", name}});
    }
  } else if (a.contains("recipients") && a["recipients"] == "none") {
    out["no_recipients"] = true;
  }
  out["recipients"] = recipients;
  Json transfers = Json::array();
  if (a.contains("transfers") && a["transfers"].is_array())
    for (const Json& t : a["transfers"])
      if (t.is_object())
        transfers.push_back({{"recipient", NameOf(names, Str(t, "recipient"))},
                             {"country", Str(t, "country")},
                             {"safeguard", Str(t, "safeguard")}});
  out["transfers"] = transfers;
  Json retention = Json::array();
  if (a.contains("retention") && a["retention"].is_array())
    for (const Json& r : a["retention"])
      if (r.is_object())
        retention.push_back({{"data_category", Str(r, "data_category")}, {"period", Str(r, "period")}});
  out["retention"] = retention;
  Json toms = Json::object();
  if (a.contains("toms") && a["toms"].is_object()) {
    toms["measures"] = Strings(a["toms"], "measures");
    toms["description"] = Str(a["toms"], "description");
  }
  out["security_measures"] = toms;
  out["published_at"] = published_at;
  return out;
}

// The controller block of the public register from an organisation body.
Json PublicController(const Json& body) {
  Json controller = Json::object();
  controller["name"] = Str(body, "name");
  controller["registration"] = Str(body, "registration");
  controller["country"] = Str(body, "country");
  if (body.contains("contact") && body["contact"].is_object()) {
    const Json& c = body["contact"];
    controller["contact"] = {{"name", Str(c, "name")},
                             {"email", Str(c, "email")},
                             {"phone", Str(c, "phone")},
                             {"address", Str(c, "address")}};
  }
  if (body.contains("dpo") && body["dpo"].is_object()) {
    const Json& d = body["dpo"];
    controller["dpo"] = {{"name", Str(d, "name")}, {"email", Str(d, "email")}};
  }
  return controller;
}

// A processor body's public name: the legal entity, else the name.
std::string ProcessorPublicName(const Json& body) {
  Json name = Str(body, "legal_entity");
  if (name.is_null()) name = Str(body, "name");
  return name.is_string() ? name.get<std::string>() : std::string("(processor)");
}

std::string Assemble(Json controller, const std::string& fallback_name, const std::string& generated_at,
                     Json activities) {
  if (!controller.contains("name") || controller["name"].is_null()) controller["name"] = fallback_name;
  Json out;
  out["public_register"] = 1;
  out["organisation"] = controller;
  out["generated_at"] = generated_at;
  out["activities"] = activities;
  return out.dump(2) + "\n";
}

}  // namespace

Result<std::string> Admin::PublicRegisterJson(const std::string& org_id) {
  auto org = store_.GetOrg(org_id);
  if (!org) return std::unexpected(org.error());
  auto recs = store_.ListRecords(org_id);
  if (!recs) return std::unexpected(recs.error());
  // The last published version of a record: the current one, or an earlier one
  // when it was changed (back to draft) after publication, or retired by an
  // import no privacy officer has decided on yet (an import is no decision
  // to publish, nor to take out of the public register).
  auto published = [&](const Record& r) -> std::optional<Record> {
    if (r.status == RecordStatus::kPublished) return r;
    if (r.status == RecordStatus::kObsolete && !RetiredByImport(r)) return std::nullopt;
    for (int64_t v = r.version - 1; v >= 1; --v) {
      auto old = store_.GetRecordVersion(org_id, r.kind, r.id, v);
      if (!old) continue;
      if (old->status == RecordStatus::kPublished) return *old;
    }
    return std::nullopt;
  };
  ProcessorNames names;
  for (const Record& r : *recs) {
    // Obsolete ones too: a published activity version may name one an
    // import retired since, and an id is never shown.
    if (r.kind != RecordKind::kProcessor) continue;
    Json body = Json::parse(r.body, nullptr, false);
    if (!body.is_object()) continue;
    names[r.id] = ProcessorPublicName(body);
  }
  Json controller = Json::object();
  Json activities = Json::array();
  std::vector<const Record*> order;
  for (const Record& r : *recs) order.push_back(&r);
  std::stable_sort(order.begin(), order.end(),
                   [](const Record* a, const Record* b) { return a->position < b->position; });
  for (const Record* r : order) {
    if (r->kind != RecordKind::kOrganisation && r->kind != RecordKind::kActivity) continue;
    auto pub = published(*r);
    if (!pub) continue;
    Json body = Json::parse(pub->body, nullptr, false);
    if (!body.is_object()) continue;
    if (r->kind == RecordKind::kOrganisation) {
      controller = PublicController(body);
    } else {
      activities.push_back(PublicActivity(body, pub->updated_at, names));
    }
  }
  return Assemble(controller, org->name, store_.Now(), activities);
}

std::string PublicRegisterFromRegister(const Register& reg, const std::string& generated_at) {
  Json j = Json::parse(WriteRegisterJson(reg));
  ProcessorNames names;
  if (j.contains("processors") && j["processors"].is_array())
    for (const Json& p : j["processors"])
      if (p.is_object() && p.contains("id") && p["id"].is_string())
        names[p["id"].get<std::string>()] = ProcessorPublicName(p);
  Json controller = j.contains("organisation") && j["organisation"].is_object()
                        ? PublicController(j["organisation"])
                        : Json::object();
  Json activities = Json::array();
  if (j.contains("activities") && j["activities"].is_array())
    for (const Json& a : j["activities"])
      if (a.is_object()) activities.push_back(PublicActivity(a, generated_at, names));
  return Assemble(controller, "", generated_at, activities);
}

}  // namespace blindspot::admin
