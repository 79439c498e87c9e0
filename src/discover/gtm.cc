// Reader "gtm": a Google Tag Manager container export (JSON with
// exportFormatVersion and containerVersion, as "Export container" writes it)
// or the API's container version resource (the same containerVersion
// object). One tag-configured observation per tag of containerVersion.tag[]:
// key = the tag type code ("awct", "googtag", "html"), or for a custom
// template from the Community Template Gallery "template:<host>/<owner>/
// <repository>" of the template's galleryReference. Field names and values:
// the Tag Manager API v2 resources Tag, Trigger, Variable and CustomTemplate
// (developers.google.com/tag-platform/tag-manager/api/reference/rest/v2);
// the export writes enum values upper-case (NOT_SET) where the API uses
// camelCase (notSet): both are accepted. Format notes and edge cases:
// docs/formats/discovery.md "## Google Tag Manager".
//
// Nothing personal goes out: tag, trigger and variable names, tag types,
// account ids and the URLs written in custom-HTML and image tags. A user-provided
// data variable (type awec) is reported by the names of the fields it maps
// ("email, phone_number"), never by their values.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "blindspot/discovery.h"
#include "discover/json_doc.h"
#include "discover/readers.h"

namespace blindspot::discover {
namespace {

constexpr std::string_view kName = "gtm";
constexpr std::string_view kExpected = "a Google Tag Manager container export (JSON with containerVersion)";
constexpr int kMaxParamDepth = 32;       // parameter LIST/MAP nesting walked
constexpr size_t kMaxUrlsPerTag = 200;   // URLs kept from one tag's code
constexpr size_t kMaxVariableHops = 16;  // variable -> variable references followed

// Triggers every web container has without exporting them as objects; tags
// name them by these ids. The names are Google's ("Tag Manager page view
// triggers", support.google.com/tagmanager/answer/7679319: each web container
// includes the "Consent Initialization - All Pages" and "Initialization - All
// Pages" triggers); the id for each is the one public container exports use.
std::string_view BuiltInTrigger(std::string_view id) {
  if (id == "2147479553") return "All Pages";
  if (id == "2147479572") return "Consent Initialization - All Pages";
  if (id == "2147479573") return "Initialization - All Pages";
  return {};
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// Names referenced as {{Name}} in `text`, in order.
std::vector<std::string> VariableRefs(std::string_view text) {
  std::vector<std::string> refs;
  size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    size_t end = text.find("}}", pos + 2);
    if (end == std::string_view::npos) break;
    refs.emplace_back(text.substr(pos + 2, end - pos - 2));
    pos = end + 2;
  }
  return refs;
}

// Every string value under a parameter list (TEMPLATE values, nested LIST/MAP).
void CollectValues(const Json& params, int depth, std::vector<std::string>& out) {
  if (depth > kMaxParamDepth || !params.is_array()) return;
  for (const Json& p : params) {
    if (!p.is_object()) continue;
    if (auto it = p.find("value"); it != p.end() && it->is_string()) out.push_back(it->get<std::string>());
    if (const Json* l = ArrayAt(p, "list")) CollectValues(*l, depth + 1, out);
    if (const Json* m = ArrayAt(p, "map")) CollectValues(*m, depth + 1, out);
  }
}

// The top-level parameter `key` of a tag or variable, as a string ("" if absent).
std::string Param(const Json& owner, std::string_view key) {
  const Json* params = ArrayAt(owner, "parameter");
  if (!params) return {};
  for (const Json& p : *params)
    if (StringAt(p, "key") == key) return StringAt(p, "value");
  return {};
}

bool IsUrlEnd(char c) {
  return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '<' || c == '>' ||
         c == '`' || c == ')' || c == '\\' || c == ';' || c == ',';
}

// URLs in a custom-HTML tag's code or an image tag's URL: absolute http(s)
// URLs, and protocol-relative ones ("//host/path", read as https) where a
// src/href/url value or the whole value starts with "//".
void ScanUrls(std::string_view text, std::vector<std::string>& urls, std::set<std::string>& seen) {
  auto add = [&](std::string url) {
    if (urls.size() >= kMaxUrlsPerTag) return;
    while (!url.empty() && (url.back() == '.' || url.back() == '}')) url.pop_back();
    if (url.size() < 11) return;  // "https://x.y"
    if (seen.insert(url).second) urls.push_back(std::move(url));
  };
  auto take = [&](size_t start) {
    size_t end = start;
    while (end < text.size() && !IsUrlEnd(text[end])) ++end;
    return end;
  };
  std::string lower = Lower(text);
  for (size_t pos = 0; pos < lower.size();) {
    size_t h = lower.find("http", pos);
    if (h == std::string::npos) break;
    size_t scheme_end = 0;
    if (lower.compare(h, 8, "https://") == 0)
      scheme_end = h + 8;
    else if (lower.compare(h, 7, "http://") == 0)
      scheme_end = h + 7;
    if (scheme_end == 0 || (h > 0 && std::isalnum(static_cast<unsigned char>(lower[h - 1])))) {
      pos = h + 4;
      continue;
    }
    size_t end = take(scheme_end);
    if (end > scheme_end) add(std::string(text.substr(h, end - h)));
    pos = std::max(end, h + 4);
  }
  // Protocol-relative: at the start, or right after a quote or '='.
  for (size_t pos = 0; pos + 2 < text.size();) {
    size_t s = text.find("//", pos);
    if (s == std::string_view::npos) break;
    bool starts_value = s == 0 || text[s - 1] == '"' || text[s - 1] == '\'' || text[s - 1] == '=';
    if (starts_value && s + 2 < text.size() && std::isalnum(static_cast<unsigned char>(text[s + 2]))) {
      size_t end = take(s + 2);
      add("https:" + std::string(text.substr(s, end - s)));
      pos = end;
    } else {
      pos = s + 2;
    }
  }
}

// An account id as written in a tag: AW-123456789, G-ABC123DEF4, DC-1234567,
// GT-XXXX with digits, UA-123-1, or a bare conversion number.
bool LooksLikeId(std::string_view v) {
  if (v.empty() || v.size() > 40) return false;
  size_t dash = v.find('-');
  std::string_view body = v;
  if (dash != std::string_view::npos) {
    std::string_view prefix = v.substr(0, dash);
    if (prefix != "AW" && prefix != "G" && prefix != "DC" && prefix != "GT" && prefix != "UA" &&
        prefix != "GTM")
      return false;
    body = v.substr(dash + 1);
  }
  if (body.empty()) return false;
  bool digit = false;
  for (char c : body) {
    if (std::isdigit(static_cast<unsigned char>(c)))
      digit = true;
    else if (!(std::isupper(static_cast<unsigned char>(c)) || c == '-'))
      return false;
  }
  if (Lower(body).find("xxxx") != std::string::npos) return false;
  return digit && (dash != std::string_view::npos || body.size() >= 5);
}

// Tag types whose bare conversion number is a Google Ads "AW-" id.
bool IsAdsType(std::string_view type) {
  return type == "awct" || type == "sp" || type == "awud" || type == "awcc";
}

struct Variable {
  std::string type;
  std::string constant;             // the value of a constant ("c") variable
  std::vector<std::string> refs;    // variables its parameters reference
  std::vector<std::string> fields;  // for a user-provided data variable (awec): the fields it maps
  const Json* json = nullptr;
};

struct Container {
  std::map<std::string, Variable> variables;         // by name
  std::map<std::string, std::string> triggers;       // id -> name
  std::map<std::string, std::string> template_repo;  // tag type ("cvt_...") -> "host/owner/repository"
  std::map<std::string, std::string> template_name;  // tag type -> the template's name
  bool placeholder_seen = false;
  std::set<std::string> unknown_triggers;
};

// The fields a user-provided data variable (awec) maps: its parameter keys
// ("email", "phone_number", "address") other than the mode switch; in
// automatic mode, "automatic detection".
std::vector<std::string> UserDataFields(const Json& var) {
  std::vector<std::string> fields;
  std::string mode = Lower(Param(var, "mode"));
  if (mode == "auto" || mode == "automatic") fields.push_back("automatic detection");
  const Json* params = ArrayAt(var, "parameter");
  if (params)
    for (const Json& p : *params) {
      std::string key = StringAt(p, "key");
      if (key.empty() || key == "mode" || key.starts_with("auto") || key.starts_with("enable")) continue;
      std::vector<std::string> values;
      CollectValues(Json::array({p}), 0, values);
      bool filled =
          std::any_of(values.begin(), values.end(), [](const std::string& v) { return !v.empty(); });
      if (filled && std::find(fields.begin(), fields.end(), key) == fields.end()) fields.push_back(key);
    }
  return fields;
}

// Resolves {{Constant}} references; `unresolved` is set when a reference is
// not a constant of the container (a data-layer value, a lookup table).
std::string ResolveConstants(const std::string& value, const Container& c, bool& unresolved) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t open = value.find("{{", pos);
    if (open == std::string::npos) break;
    size_t close = value.find("}}", open + 2);
    if (close == std::string::npos) break;
    out += value.substr(pos, open - pos);
    std::string name = value.substr(open + 2, close - open - 2);
    auto it = c.variables.find(name);
    if (it != c.variables.end() && it->second.type == "c")
      out += it->second.constant;
    else
      unresolved = true;
    pos = close + 2;
  }
  out += value.substr(pos);
  return out;
}

bool IsPlaceholderText(std::string_view v) {
  std::string l = Lower(v);
  return l.find("xxxx") != std::string::npos || l.find("update") != std::string::npos ||
         l.find("--var") != std::string::npos || l.find("placeholder") != std::string::npos ||
         l.find("your") != std::string::npos;
}

// The account ids a tag's parameters name, when they are real ids.
std::vector<std::string> TagIds(const Json& tag, std::string_view type, Container& c) {
  static constexpr std::string_view kIdKeys[] = {
      "tagId", "conversionId", "measurementId", "measurementIdOverride", "trackingId", "advertiserId"};
  std::vector<std::string> ids;
  for (std::string_view key : kIdKeys) {
    std::string raw = Param(tag, key);
    if (raw.empty()) continue;
    bool unresolved = false;
    std::string v = ResolveConstants(raw, c, unresolved);
    auto trim = [](std::string& s) {
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
      while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
    };
    trim(v);
    if (unresolved) {
      // A variable outside the container's constants: its value is set at
      // run time; only a name that says "placeholder" counts as one.
      if (IsPlaceholderText(raw)) c.placeholder_seen = true;
      continue;
    }
    if (!LooksLikeId(v)) {
      if (IsPlaceholderText(v) || IsPlaceholderText(raw) || !v.empty()) c.placeholder_seen = true;
      continue;
    }
    if (v.find('-') == std::string::npos) {
      if (IsAdsType(type))
        v = "AW-" + v;
      else if (type == "flc" || type == "fls")
        v = "DC-" + v;
    }
    if (std::find(ids.begin(), ids.end(), v) == ids.end()) ids.push_back(v);
  }
  return ids;
}

// The user-data fields reaching a tag through the variables it references
// (directly, or through a settings variable that references them).
std::vector<std::string> UserDataOf(const Json& tag, const Container& c) {
  std::vector<std::string> values;
  if (const Json* params = ArrayAt(tag, "parameter")) CollectValues(*params, 0, values);
  std::vector<std::string> queue;
  for (const std::string& v : values)
    for (std::string& r : VariableRefs(v)) queue.push_back(std::move(r));
  std::set<std::string> visited;
  std::vector<std::string> fields;
  for (size_t hops = 0; !queue.empty() && hops < kMaxVariableHops * 64; ++hops) {
    std::string name = std::move(queue.back());
    queue.pop_back();
    if (!visited.insert(name).second) continue;
    auto it = c.variables.find(name);
    if (it == c.variables.end()) continue;
    for (const std::string& f : it->second.fields)
      if (std::find(fields.begin(), fields.end(), f) == fields.end()) fields.push_back(f);
    if (visited.size() < kMaxVariableHops * 16)
      for (const std::string& r : it->second.refs) queue.push_back(r);
  }
  std::sort(fields.begin(), fields.end());
  return fields;
}

std::string TriggerNames(const Json& tag, std::string_view field, Container& c) {
  const Json* ids = ArrayAt(tag, field);
  if (!ids) return {};
  std::vector<std::string> names;
  for (const Json& id_json : *ids) {
    std::string id = id_json.is_string()
                         ? id_json.get<std::string>()
                         : (id_json.is_number() ? std::to_string(id_json.get<int64_t>()) : "");
    if (id.empty()) continue;
    if (auto it = c.triggers.find(id); it != c.triggers.end()) {
      names.push_back(it->second);
    } else if (std::string_view b = BuiltInTrigger(id); !b.empty()) {
      names.emplace_back(b);
    } else {
      names.push_back("trigger " + id);
      c.unknown_triggers.insert(id);
    }
  }
  return Join(names, ", ");
}

// consentSettings -> "not set" / "needed: ad_storage, analytics_storage" / "not needed".
std::string ConsentOf(const Json& tag, bool& unknown, std::string& raw) {
  const Json* cs = ObjectAt(tag, "consentSettings");
  if (!cs) return "not set";  // the API's default: no additional consent check
  raw = StringAt(*cs, "consentStatus");
  std::string s = Lower(raw);
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  if (s.empty() || s == "notset") return "not set";
  if (s == "notneeded") return "not needed";
  if (s == "needed") {
    std::vector<std::string> types;
    if (auto it = cs->find("consentType"); it != cs->end()) {
      const Json* ct = &*it;
      std::vector<std::string> values;
      if (ct->is_object()) {
        if (const Json* l = ArrayAt(*ct, "list")) CollectValues(*l, 0, values);
        if (std::string v = StringAt(*ct, "value"); !v.empty()) values.push_back(v);
      } else if (ct->is_array()) {
        for (const Json& v : *ct)
          if (v.is_string()) values.push_back(v.get<std::string>());
      }
      for (std::string& v : values)
        if (!v.empty()) types.push_back(std::move(v));
    }
    return types.empty() ? "needed" : "needed: " + Join(types, ", ");
  }
  unknown = true;
  return Lower(raw);
}

bool IsTrue(const Json& j, std::string_view key) {
  if (!j.is_object()) return false;
  auto it = j.find(key);
  if (it == j.end()) return false;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) return Lower(it->get<std::string>()) == "true";
  return false;
}

bool IsDate(std::string_view s) {
  if (s.size() < 10) return false;
  for (size_t i = 0; i < 10; ++i) {
    bool dash = i == 4 || i == 7;
    if (dash ? s[i] != '-' : !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

int Recognise(std::string_view bytes, std::string_view /*file_name*/) {
  if (!LooksLikeJsonObject(bytes)) return 0;
  bool version = bytes.find("\"containerVersion\"") != std::string_view::npos;
  if (!version) return 0;
  if (bytes.find("\"exportFormatVersion\"") != std::string_view::npos) return 95;
  // The API's container version resource: the same object without the export wrapper.
  if (bytes.find("\"publicId\"") != std::string_view::npos && bytes.find("\"tag\"") != std::string_view::npos)
    return 70;
  return 0;
}

Error Warning(const std::string& file, std::string message, std::string pointer = {}) {
  Error w;
  w.kind = ErrorKind::kSchema;
  w.warning = true;
  w.message = std::move(message);
  w.where.file = file;
  w.where.pointer = std::move(pointer);
  return w;
}

Result<DiscoveryReport> Read(std::string_view bytes, const std::string& file,
                             const DiscoveryOptions& /*options*/) {
  auto parsed = ParseJsonDocument(bytes, file, kExpected);
  if (!parsed) return std::unexpected(parsed.error());
  const Json& root = *parsed;
  auto shape_error = [&](std::string message, std::string pointer) {
    SourceLocation where;
    where.file = file;
    where.pointer = std::move(pointer);
    return MakeError(ErrorKind::kParse, std::move(message), where, std::string(kExpected),
                     "in Tag Manager: Admin > Export Container, and give the JSON file it downloads");
  };
  if (!root.is_object())
    return shape_error("not a Tag Manager container export: the JSON is not an object", "");
  const Json* cv = ObjectAt(root, "containerVersion");
  if (!cv)
    return shape_error("not a Tag Manager container export: no \"containerVersion\" object",
                       "/containerVersion");

  DiscoveryReport report;
  report.reader = std::string(kName);
  const Json* container = ObjectAt(*cv, "container");
  report.subject = container ? StringAt(*container, "publicId") : "";
  if (report.subject.empty()) report.subject = container ? StringAt(*container, "name") : "";
  std::string export_time = StringAt(root, "exportTime");
  if (IsDate(export_time)) report.first_date = report.last_date = export_time.substr(0, 10);

  bool server = false;
  if (container)
    if (const Json* uc = ArrayAt(*container, "usageContext"))
      for (const Json& u : *uc)
        if (u.is_string() && Lower(u.get<std::string>()) == "server") server = true;
  std::string version_id = StringAt(*cv, "containerVersionId");

  Container c;
  if (const Json* vars = ArrayAt(*cv, "variable"))
    for (const Json& v : *vars) {
      std::string name = StringAt(v, "name");
      if (name.empty()) continue;
      Variable var;
      var.type = StringAt(v, "type");
      var.json = &v;
      if (var.type == "c") var.constant = Param(v, "value");
      std::vector<std::string> values;
      if (const Json* params = ArrayAt(v, "parameter")) CollectValues(*params, 0, values);
      for (const std::string& s : values)
        for (std::string& r : VariableRefs(s)) var.refs.push_back(std::move(r));
      if (var.type == "awec") var.fields = UserDataFields(v);
      c.variables.emplace(std::move(name), std::move(var));
    }
  if (const Json* triggers = ArrayAt(*cv, "trigger"))
    for (const Json& t : *triggers) {
      std::string id = StringAt(t, "triggerId");
      if (!id.empty()) c.triggers[id] = StringAt(t, "name");
    }
  if (const Json* templates = ArrayAt(*cv, "customTemplate"))
    for (const Json& t : *templates) {
      std::string container_id = StringAt(t, "containerId");
      std::string template_id = StringAt(t, "templateId");
      std::vector<std::string> types;
      if (!template_id.empty()) {
        types.push_back("cvt_" + template_id);
        if (!container_id.empty()) types.push_back("cvt_" + container_id + "_" + template_id);
      }
      std::string repo;
      if (const Json* g = ObjectAt(t, "galleryReference")) {
        std::string host = StringAt(*g, "host"), owner = StringAt(*g, "owner"),
                    name = StringAt(*g, "repository");
        if (!owner.empty() && !name.empty())
          repo = Lower((host.empty() ? "" : host + "/") + owner + "/" + name);
        if (std::string gid = StringAt(*g, "galleryTemplateId"); !gid.empty()) types.push_back("cvt_" + gid);
      }
      for (const std::string& type : types) {
        if (!repo.empty()) c.template_repo[type] = repo;
        c.template_name[type] = StringAt(t, "name");
      }
    }

  const Json* tags = ArrayAt(*cv, "tag");
  if (!tags && cv->contains("tag"))
    return shape_error("\"tag\" is not a list of tags", "/containerVersion/tag");
  std::set<std::string> unknown_consent;
  if (tags)
    for (size_t i = 0; i < tags->size(); ++i) {
      const Json& tag = (*tags)[i];
      std::string pointer = fmt::format("/containerVersion/tag/{}", i);
      std::string type = StringAt(tag, "type");
      if (!tag.is_object() || type.empty()) {
        report.warnings.push_back(Warning(file, fmt::format("tag[{}] has no type: skipped", i), pointer));
        continue;
      }
      Observation o;
      o.kind = ObservationKind::kTagConfigured;
      o.location = fmt::format("tag[{}]", i);
      o.subject = StringAt(tag, "name");
      if (o.subject.empty()) o.subject = "tag " + StringAt(tag, "tagId");
      o.key = type;
      if (type.starts_with("cvt_")) {
        if (auto it = c.template_repo.find(type); it != c.template_repo.end())
          o.key = "template:" + it->second;
        if (auto it = c.template_name.find(type); it != c.template_name.end() && !it->second.empty())
          o.attrs.emplace_back("template", it->second);
      }
      o.proof = IsTrue(tag, "paused") ? Proof::kPaused : Proof::kConfigured;
      o.first_date = report.first_date;
      o.last_date = report.last_date;

      bool unknown = false;
      std::string raw_consent;
      o.attrs.emplace_back("consent", ConsentOf(tag, unknown, raw_consent));
      if (unknown) unknown_consent.insert(raw_consent);
      std::string trigger = TriggerNames(tag, "firingTriggerId", c);
      o.attrs.emplace_back("trigger", trigger.empty() ? "none" : trigger);
      if (std::string blocking = TriggerNames(tag, "blockingTriggerId", c); !blocking.empty())
        o.attrs.emplace_back("blocking_trigger", blocking);
      if (std::vector<std::string> ids = TagIds(tag, type, c); !ids.empty())
        o.attrs.emplace_back("tag_id", Join(ids, ", "));
      if (std::vector<std::string> fields = UserDataOf(tag, c); !fields.empty())
        o.attrs.emplace_back("user_data", Join(fields, ", "));
      if (server) o.attrs.emplace_back("container", "server");
      if (!version_id.empty())
        o.attrs.emplace_back("container_version",
                             version_id == "0" ? "workspace (not a published version)" : version_id);

      if (type == "html" || type == "img") {
        std::set<std::string> seen;
        for (std::string_view key : {std::string_view("html"), std::string_view("url")}) {
          std::string code = Param(tag, key);
          if (!code.empty()) ScanUrls(code, o.urls, seen);
        }
      }
      o.detail = type + (trigger.empty() ? "" : ", fires on: " + trigger);
      report.observations.push_back(std::move(o));
    }

  if (c.placeholder_seen)
    report.warnings.push_back(Warning(file,
                                      "account ids are placeholders (a template kit, not a live container): "
                                      "no tag_id is reported for them",
                                      "/containerVersion/tag"));
  for (const std::string& s : unknown_consent)
    report.warnings.push_back(Warning(
        file,
        fmt::format("consentStatus \"{}\" is not one the Tag Manager API documents; kept as written", s),
        "/containerVersion/tag"));
  if (!c.unknown_triggers.empty()) {
    std::vector<std::string> ids(c.unknown_triggers.begin(), c.unknown_triggers.end());
    report.warnings.push_back(
        Warning(file,
                fmt::format("trigger ids not in the export and not built in: {} (shown as \"trigger <id>\")",
                            Join(ids, ", ")),
                "/containerVersion/trigger"));
  }
  return report;
}

}  // namespace

DiscoveryReader GtmReader() {
  return DiscoveryReader{kName, "Google Tag Manager container export (JSON)", &Recognise, &Read};
}

}  // namespace blindspot::discover
