// The public register as one static HTML page per language (blindspot
// publish): data/server/templates/public_register.html.mustache with the
// texts of data/server/public_register.yaml and the vocabulary labels of the
// text catalogue. Every value is escaped by the template engine.
#include <yaml-cpp/yaml.h>

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>

#include "blindspot/catalog.h"
#include "blindspot/embedded.h"
#include "blindspot/http.h"
#include "blindspot/io.h"

namespace blindspot::http {
namespace {

namespace mu = kainjow::mustache;
using Json = nlohmann::json;

std::string_view DataFile(std::string_view path) {
  for (const EmbeddedFile* f = kDataFiles; f->path != nullptr; ++f)
    if (path == f->path) return f->data;
  return {};
}

// lang -> key -> text
const std::map<std::string, std::map<std::string, std::string>>& Texts() {
  static const auto texts = [] {
    std::map<std::string, std::map<std::string, std::string>> t;
    YAML::Node root = YAML::Load(std::string(DataFile("server/public_register.yaml")));
    for (const auto& kv : root)
      for (const auto& lv : kv.second)
        t[lv.first.as<std::string>()][kv.first.as<std::string>()] = lv.second.as<std::string>();
    return t;
  }();
  return texts;
}

std::string S(const Json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// Sets `key` only for a non-empty value (an empty string would still open a mustache section).
void SetIf(mu::data& d, const char* key, const std::string& value) {
  if (!value.empty()) d.set(key, value);
}

std::string Readable(std::string s) {
  for (char& c : s)
    if (c == '_') c = ' ';
  return s;
}

// The languages in the order the pages offer them (nl first: the default).
constexpr const char* kSiteLanguages[] = {"nl", "en", "de"};

// Links to the page in every language: `link` with "{}" replaced by the code.
mu::data LanguageLinks(const std::string& lang, std::string_view link) {
  mu::data list{mu::data::type::list};
  for (const char* code : kSiteLanguages) {
    std::string href(link);
    if (auto p = href.find("{}"); p != std::string::npos) href.replace(p, 2, code);
    mu::data l{mu::data::type::object};
    l.set("code", std::string(code));
    l.set("href", href);
    l.set("label", Texts().at(code).at("language_name"));
    l.set("title", Texts().at(code).at("title"));
    l.set("current", lang == code);
    list.push_back(l);
  }
  return list;
}

// What the public register shows as a register model, for the DPV exporter:
// the organisation's name and country and per activity the items of Art.
// 30(1)(b)-(g) as the JSON holds them. Recipients and transfers carry the
// public names (never a processor id), so the JSON-LD says no more than the
// pages. Codes the model does not know are left out, as the pages show "?".
Register PublicRegisterModel(const Json& doc) {
  Register reg;
  const Json& org = doc.contains("organisation") ? doc["organisation"] : Json::object();
  reg.organisation.name = S(org, "name");
  reg.organisation.country = S(org, "country");
  auto strings = [](const Json& a, const char* key) {
    std::vector<std::string> out;
    if (a.contains(key) && a[key].is_array())
      for (const Json& v : a[key])
        if (v.is_string()) out.push_back(v.get<std::string>());
    return out;
  };
  auto objects = [](const Json& a, const char* key) {
    std::vector<Json> out;
    if (a.contains(key) && a[key].is_array())
      for (const Json& v : a[key])
        if (v.is_object()) out.push_back(v);
    return out;
  };
  for (const Json& a : doc["activities"]) {
    if (!a.is_object()) continue;
    ProcessingActivity act;
    act.id = S(a, "id");
    act.name = S(a, "name").empty() ? act.id : S(a, "name");
    act.description = S(a, "description");
    for (const Json& p : objects(a, "purposes")) {
      Purpose purpose;
      purpose.description = S(p, "description");
      purpose.lawful_basis = ParseLawfulBasis(S(p, "lawful_basis"));
      purpose.legal_obligation = S(p, "legal_obligation");
      act.purposes.push_back(std::move(purpose));
    }
    act.data_subjects = strings(a, "data_subjects");
    for (const Json& c : objects(a, "data_categories"))
      if (!S(c, "key").empty()) act.data_categories.push_back(S(c, "key"));
    for (const Json& r : objects(a, "recipients")) {
      Recipient rec;
      rec.kind = ParseRecipientKind(S(r, "kind")).value_or(RecipientKind::kExternal);
      rec.name = S(r, "name");
      act.recipients.push_back(std::move(rec));
    }
    for (const Json& t : objects(a, "transfers")) {
      Transfer tr;
      tr.recipient = S(t, "recipient");
      tr.country = S(t, "country");
      tr.safeguard = ParseTransferSafeguard(S(t, "safeguard"));
      act.transfers.push_back(std::move(tr));
    }
    for (const Json& r : objects(a, "retention")) {
      Retention ret;
      ret.data_category = S(r, "data_category");
      ret.period = S(r, "period");
      act.retention.push_back(std::move(ret));
    }
    if (a.contains("security_measures") && a["security_measures"].is_object()) {
      act.toms.measures = strings(a["security_measures"], "measures");
      act.toms.description = S(a["security_measures"], "description");
    }
    reg.activities.push_back(std::move(act));
  }
  return reg;
}

}  // namespace

Result<std::string> RenderPublicRegisterHtml(std::string_view json, const std::string& lang_in,
                                             std::string_view lang_link, std::string_view data_link) {
  Json doc = Json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("activities"))
    return MakeError(ErrorKind::kParse, "not a public register (JSON with \"activities\")");
  const std::string lang = Texts().contains(lang_in) ? lang_in : "en";
  const TextCatalog& cat = TextCatalog::Builtin();
  mu::data t{mu::data::type::object};
  for (const auto& [k, v] : Texts().at(lang)) t.set(k, v);
  const Json& org = doc["organisation"];
  mu::data o{mu::data::type::object};
  o.set("name", S(org, "name"));
  if (org.contains("contact") && org["contact"].is_object()) {
    mu::data c{mu::data::type::object};
    for (const char* k : {"name", "email", "phone", "address"}) SetIf(c, k, S(org["contact"], k));
    o.set("contact", c);
  }
  if (org.contains("dpo") && org["dpo"].is_object() && !S(org["dpo"], "name").empty()) {
    mu::data d{mu::data::type::object};
    for (const char* k : {"name", "email"}) SetIf(d, k, S(org["dpo"], k));
    o.set("dpo", d);
  }
  mu::data list{mu::data::type::list};
  for (const Json& a : doc["activities"]) {
    mu::data x{mu::data::type::object};
    x.set("id", S(a, "id"));
    x.set("name", S(a, "name").empty() ? S(a, "id") : S(a, "name"));
    SetIf(x, "description", S(a, "description"));
    mu::data purposes{mu::data::type::list};
    for (const Json& p : a.value("purposes", Json::array())) {
      mu::data pd{mu::data::type::object};
      pd.set("description", S(p, "description"));
      std::string basis = S(p, "lawful_basis");
      pd.set("basis", basis.empty() ? std::string("?") : cat.Term(lang, "lawful_basis", basis));
      SetIf(pd, "legal_obligation", S(p, "legal_obligation"));
      purposes.push_back(pd);
    }
    x.set("purposes", purposes);
    std::vector<std::string> subjects;
    for (const Json& s : a.value("data_subjects", Json::array()))
      if (s.is_string()) subjects.push_back(s.get<std::string>());
    x.set("has_subjects", !subjects.empty());
    x.set("subjects", Join(subjects));
    std::vector<std::string> groups;
    for (const Json& c : a.value("data_categories", Json::array())) {
      std::string label = cat.Term(lang, "notice_data_group", S(c, "group"));
      if (std::find(groups.begin(), groups.end(), label) == groups.end()) groups.push_back(label);
    }
    x.set("has_categories", !groups.empty());
    x.set("categories", Join(groups));
    x.set("no_recipients", a.value("no_recipients", false));
    mu::data rec{mu::data::type::list};
    for (const Json& r : a.value("recipients", Json::array())) {
      mu::data rd{mu::data::type::object};
      rd.set("name", S(r, "name"));
      rd.set("kind", cat.Term(lang, "recipient_kind", S(r, "kind")));
      rec.push_back(rd);
    }
    x.set("recipients", rec);
    mu::data tr{mu::data::type::list};
    bool any_transfer = false;
    for (const Json& r : a.value("transfers", Json::array())) {
      mu::data td{mu::data::type::object};
      td.set("recipient", S(r, "recipient"));
      td.set("country", S(r, "country"));
      std::string sg = S(r, "safeguard");
      td.set("safeguard", sg.empty() ? std::string("?") : cat.Term(lang, "transfer_safeguard", sg));
      tr.push_back(td);
      any_transfer = true;
    }
    x.set("has_transfers", any_transfer);
    x.set("transfers", tr);
    mu::data ret{mu::data::type::list};
    bool any_retention = false;
    for (const Json& r : a.value("retention", Json::array())) {
      mu::data rd{mu::data::type::object};
      std::string c = S(r, "data_category");
      rd.set("category", c == "*" || c.empty() ? Texts().at(lang).at("all_data") : c);
      rd.set("period", S(r, "period"));
      ret.push_back(rd);
      any_retention = true;
    }
    x.set("has_retention", any_retention);
    x.set("retention", ret);
    const Json& toms = a.value("security_measures", Json::object());
    std::vector<std::string> measures;
    for (const Json& m : toms.value("measures", Json::array()))
      if (m.is_string()) measures.push_back(Readable(m.get<std::string>()));
    std::string security = Join(measures);
    if (!S(toms, "description").empty()) security += (security.empty() ? "" : ". ") + S(toms, "description");
    x.set("has_security", !security.empty());
    x.set("security", security);
    list.push_back(x);
  }
  std::string intro = Texts().at(lang).at("intro");
  if (auto p = intro.find("{name}"); p != std::string::npos) intro.replace(p, 6, S(org, "name"));
  mu::data d{mu::data::type::object};
  d.set("t", t);
  d.set("lang", lang);
  d.set("org", o);
  d.set("intro", intro);
  d.set("has_activities", !doc["activities"].empty());
  d.set("activities", list);
  d.set("languages", LanguageLinks(lang, lang_link));
  d.set("generated_at", S(doc, "generated_at"));
  if (!data_link.empty()) {
    mu::data links{mu::data::type::object};
    links.set("json", std::string(data_link) + "register.json");
    links.set("jsonld", std::string(data_link) + "register.jsonld");
    d.set("data_links", links);
  }
  mu::mustache tpl{std::string(DataFile("server/templates/public_register.html.mustache"))};
  if (!tpl.is_valid())
    return MakeError(ErrorKind::kInternal, "public register template: " + tpl.error_message());
  return tpl.render(d);
}

Result<std::vector<SiteFile>> RenderPublicRegisterSite(std::string_view json) {
  Json doc = Json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("activities"))
    return MakeError(ErrorKind::kParse, "not a public register (JSON with \"activities\")");
  std::vector<SiteFile> files;
  mu::data d{mu::data::type::object};
  d.set("lang", std::string(kSiteLanguages[0]));
  d.set("org", S(doc["organisation"], "name"));
  d.set("languages", LanguageLinks("", "{}/index.html"));
  mu::mustache tpl{std::string(DataFile("server/templates/public_register_index.html.mustache"))};
  if (!tpl.is_valid())
    return MakeError(ErrorKind::kInternal, "public register index template: " + tpl.error_message());
  files.push_back({"index.html", tpl.render(d)});
  for (const char* lang : kSiteLanguages) {
    auto html = RenderPublicRegisterHtml(json, lang, "../{}/index.html", "../");
    if (!html) return std::unexpected(html.error());
    files.push_back({std::string(lang) + "/index.html", std::move(*html)});
  }
  files.push_back({"register.json", std::string(json)});
  // The same published activities in the W3C Data Privacy Vocabulary.
  const Exporter* dpv = FindExporter("dpv");
  if (dpv == nullptr) return MakeError(ErrorKind::kInternal, "the DPV exporter is not registered");
  auto jsonld = dpv->write(PublicRegisterModel(doc), {});
  if (!jsonld) return std::unexpected(jsonld.error());
  files.push_back({"register.jsonld", std::move(*jsonld)});
  return files;
}

Result<std::string> LabelPublicRegisterJson(std::string_view json, const std::string& lang) {
  using Ordered = nlohmann::ordered_json;
  Ordered doc = Ordered::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("activities") || !doc["activities"].is_array())
    return MakeError(ErrorKind::kParse, "not a public register (JSON with \"activities\")");
  if (!Texts().contains(lang))
    return MakeError(ErrorKind::kUsage, "'" + lang + "' is not a language of blindspot", {}, "nl, en or de");
  const TextCatalog& cat = TextCatalog::Builtin();
  // Next to each code its label in `lang`: "lawful_basis" -> "lawful_basis_label".
  auto label = [&](Ordered& obj, const char* key, std::string_view vocab) {
    if (!obj.is_object() || !obj.contains(key) || !obj[key].is_string()) return;
    obj[std::string(key) + "_label"] = cat.Term(lang, vocab, obj[key].get<std::string>());
  };
  Ordered out;
  out["public_register"] = doc.value("public_register", 1);
  out["lang"] = lang;
  for (auto it = doc.begin(); it != doc.end(); ++it)
    if (it.key() != "public_register") out[it.key()] = it.value();
  for (Ordered& a : out["activities"]) {
    if (!a.is_object()) continue;
    for (const char* list : {"purposes", "data_categories", "recipients", "transfers"}) {
      if (!a.contains(list) || !a[list].is_array()) continue;
      for (Ordered& x : a[list]) {
        label(x, "lawful_basis", "lawful_basis");
        label(x, "group", "notice_data_group");
        label(x, "kind", "recipient_kind");
        label(x, "safeguard", "transfer_safeguard");
      }
    }
  }
  return out.dump(2) + "\n";
}

}  // namespace blindspot::http
