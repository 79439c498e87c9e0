// Reader "cmp-onetrust": the cookie declaration in a OneTrust domain data
// file (cdn.cookielaw.org/consent/<id>/<id>.json and its language files).
// The format is not published; both layouts below were read from real files
// (docs/formats/discovery.md "## Consent-manager declarations"):
//  - current: {DomainData: {cctId, ConsentModel: "opt-in", Groups: [{
//    OptanonGroupId, GroupName, Status ("always active", "inactive"), Parent,
//    FirstPartyCookies: [{Name, Host, IsSession, Length}], Hosts: [{HostName,
//    DisplayName, Cookies: [...]}]}]}, CommonData};
//  - legacy: the same at the top level, ConsentModel {Name: "Opt-out"},
//    Groups with Cookies[], the name and default in
//    GroupLanguagePropertiesSets[0].{GroupName,DefaultStatus}.Text, and one
//    sub-group per third-party host (OptanonGroupId "0", GroupName = the host)
//    whose Parent is a full copy of the parent group: its cookies are merged
//    into the parent's category, the copy is not read again.
// One declared-cookie observation per cookie (name, category, provider, host,
// expiry, and the category's default state and the consent model).
// A OneTrust *ruleset* file (RuleSet[], OptanonDataJSON) only says which
// domain data applies where: not a declaration, not recognised.
#include <fmt/format.h>

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "blindspot/discovery.h"
#include "discover/json_doc.h"
#include "discover/readers.h"

namespace blindspot::discover {
namespace {

constexpr std::string_view kName = "cmp-onetrust";
constexpr std::string_view kExpected = "a OneTrust domain data file (JSON with Groups[].OptanonGroupId)";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A string field; OneTrust writes "null" (a string) for absent values.
std::string Field(const Json& j, std::string_view key) {
  std::string v = StringAt(j, key);
  return v == "null" ? std::string() : v;
}

// The Text of GroupLanguagePropertiesSets[0].<key> (legacy layout).
std::string LanguageText(const Json& group, std::string_view key) {
  const Json* sets = ArrayAt(group, "GroupLanguagePropertiesSets");
  if (!sets || sets->empty()) return {};
  const Json* prop = ObjectAt((*sets)[0], key);
  return prop ? Field(*prop, "Text") : std::string();
}

std::string GroupName(const Json& group) {
  std::string name = Field(group, "GroupName");
  if (name.empty()) name = LanguageText(group, "GroupName");
  return name;
}

// "always active", "active" or "inactive" (as the file says, lower case).
std::string DefaultStatus(const Json& group) {
  std::string s = Field(group, "Status");
  if (s.empty()) s = LanguageText(group, "DefaultStatus");
  return Lower(s);
}

// The groups array and the object holding it (DomainData, or the top level).
const Json* Groups(const Json& root, const Json** holder) {
  const Json* dd = ObjectAt(root, "DomainData");
  const Json* h = dd ? dd : &root;
  const Json* groups = ArrayAt(*h, "Groups");
  if (holder) *holder = h;
  return groups;
}

bool IsDeclaration(const Json& root) {
  if (!root.is_object()) return false;
  const Json* groups = Groups(root, nullptr);
  if (!groups || groups->empty()) return false;
  for (const Json& g : *groups)
    if (!g.is_object() || !g.contains("OptanonGroupId")) return false;
  return true;
}

int Recognise(std::string_view bytes, std::string_view /*file_name*/) {
  if (!LooksLikeJsonObject(bytes) || bytes.find("\"OptanonGroupId\"") == std::string_view::npos ||
      bytes.find("\"Groups\"") == std::string_view::npos)
    return 0;
  // A HAR that captured the file holds it inside a string (escaped quotes), so
  // the unescaped key above is enough to leave HARs out; parse to be sure.
  try {
    Json root = Json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
    if (root.is_discarded()) return 40;  // cut off or broken: read() says where
    return IsDeclaration(root) ? 90 : 0;
  } catch (...) {
    return 0;
  }
}

Error Warning(const std::string& file, std::string pointer, std::string message) {
  Error w;
  w.kind = ErrorKind::kSchema;
  w.warning = true;
  w.message = std::move(message);
  w.where.file = file;
  w.where.pointer = std::move(pointer);
  return w;
}

struct Category {
  std::string name;
  std::string default_status;
};

Result<DiscoveryReport> Read(std::string_view bytes, const std::string& file,
                             const DiscoveryOptions& options) {
  auto parsed = ParseJsonDocument(bytes, file, kExpected);
  if (!parsed) return std::unexpected(parsed.error());
  const Json& root = *parsed;
  const Json* holder = nullptr;
  const Json* groups = root.is_object() ? Groups(root, &holder) : nullptr;
  if (!groups) {
    SourceLocation where;
    where.file = file;
    where.pointer = root.is_object() && root.contains("DomainData") ? "/DomainData/Groups" : "/Groups";
    bool ruleset = root.is_object() && root.contains("RuleSet");
    return MakeError(
        ErrorKind::kParse,
        ruleset ? "a OneTrust ruleset, not a domain data file: it names the declaration (OptanonDataJSON "
                  "\"" +
                      Field(root, "OptanonDataJSON") + "\") but holds no cookies"
                : "not a OneTrust domain data file: no \"Groups\" list",
        where, std::string(kExpected),
        ruleset ? "give the domain data file <id>.json the ruleset names" : "");
  }
  std::string pointer_base = holder == &root ? "/Groups" : "/DomainData/Groups";
  // LastReconsentDate: milliseconds since 1970 when the site last asked visitors
  // again (the declaration was in force then); "null" or absent in many files.
  std::string reconsent = Field(*holder, "LastReconsentDate");

  DiscoveryReport report;
  report.reader = std::string(kName);

  std::string consent_model;
  if (auto it = holder->find("ConsentModel"); it != holder->end()) {
    if (it->is_string())
      consent_model = Lower(it->get<std::string>());
    else if (it->is_object())
      consent_model = Lower(Field(*it, "Name"));
  }
  if (consent_model == "null") consent_model.clear();

  // Top-level categories by OptanonGroupId (and CustomGroupId, which the
  // current layout's Parent names).
  std::map<std::string, Category> by_id;
  for (const Json& g : *groups) {
    if (!g.is_object()) continue;
    std::string id = Field(g, "OptanonGroupId");
    if (id.empty() || id == "0") continue;
    Category c{GroupName(g), DefaultStatus(g)};
    by_id.emplace(id, c);
    if (std::string custom = Field(g, "CustomGroupId"); !custom.empty()) by_id.emplace(custom, c);
  }

  std::set<std::tuple<std::string, std::string, std::string>> seen;  // category, name, host
  std::map<std::string, int> first_party_hosts;
  std::string consent_cookie_host;
  size_t duplicates = 0;
  for (size_t i = 0; i < groups->size(); ++i) {
    const Json& g = (*groups)[i];
    std::string pointer = fmt::format("{}/{}", pointer_base, i);
    if (!g.is_object()) {
      report.warnings.push_back(Warning(file, pointer, fmt::format("group {} is not an object: skipped", i)));
      continue;
    }
    std::string id = Field(g, "OptanonGroupId");
    std::string own_name = GroupName(g);
    // The category this group's cookies belong to: its own, or its parent's.
    Category cat{own_name, DefaultStatus(g)};
    std::string sub_host;  // a per-host sub-group's host (legacy)
    std::string parent_id;
    if (auto it = g.find("Parent"); it != g.end()) {
      if (it->is_object())
        parent_id = Field(*it, "OptanonGroupId");
      else if (it->is_string())
        parent_id = it->get<std::string>() == "null" ? "" : it->get<std::string>();
    }
    if (!parent_id.empty() || id == "0") {
      sub_host = own_name;
      auto pit = by_id.find(parent_id);
      if (pit != by_id.end()) {
        cat = pit->second;
      } else {
        const Json* embedded = ObjectAt(g, "Parent");
        cat = Category{embedded ? GroupName(*embedded) : std::string(),
                       embedded ? DefaultStatus(*embedded) : ""};
        report.warnings.push_back(Warning(
            file, pointer,
            fmt::format(
                "sub-group \"{}\" names parent group \"{}\", which is not in the file: its own copy of the "
                "parent is used",
                own_name, parent_id)));
      }
    }
    if (cat.name.empty()) {
      cat.name = "group " + (id.empty() ? std::to_string(i) : id);
      report.warnings.push_back(Warning(
          file, pointer, fmt::format("group {} has no name: its cookies are under \"{}\"", i, cat.name)));
    }

    auto add = [&](const Json& cookie, const std::string& provider, const std::string& host_fallback,
                   const std::string& where) {
      std::string name = Field(cookie, "Name");
      if (name.empty()) {
        report.warnings.push_back(Warning(file, where, "a cookie without a name: skipped"));
        return;
      }
      std::string host = Lower(Field(cookie, "Host"));
      if (host.empty()) host = Lower(host_fallback);
      if (!seen.emplace(cat.name, name, host).second) {
        ++duplicates;
        return;
      }
      Observation o;
      o.kind = ObservationKind::kDeclaredCookie;
      o.proof = Proof::kDeclared;
      o.key = name;
      o.subject = name;
      o.location = where;
      std::string session = Lower(Field(cookie, "IsSession"));
      std::string length = Field(cookie, "Length");
      std::string expiry = session == "true" || session == "1" ? "session"
                           : length.empty()                    ? ""
                           : length == "0"                     ? "less than a day"
                                                               : length + " days";
      o.attrs.emplace_back("category", cat.name);
      o.attrs.emplace_back("provider", provider.empty() ? host : provider);
      o.attrs.emplace_back("expiry", expiry);
      o.attrs.emplace_back("host", host);
      if (!cat.default_status.empty()) o.attrs.emplace_back("default", cat.default_status);
      if (!consent_model.empty()) o.attrs.emplace_back("consent_model", consent_model);
      o.detail = Field(cookie, "description");
      if (name == "OptanonConsent" && !host.empty()) consent_cookie_host = host;
      report.observations.push_back(std::move(o));
    };

    // Legacy: Cookies[]; current: FirstPartyCookies[] and Hosts[].Cookies[].
    for (std::string_view list : {std::string_view("Cookies"), std::string_view("FirstPartyCookies")})
      if (const Json* cookies = ArrayAt(g, list))
        for (size_t k = 0; k < cookies->size(); ++k) {
          const Json& cookie = (*cookies)[k];
          if (!cookie.is_object()) continue;
          std::string host = Lower(Field(cookie, "Host"));
          if (list == "FirstPartyCookies" && !host.empty()) ++first_party_hosts[host];
          add(cookie, sub_host, sub_host, fmt::format("{}/{}/{}", pointer, list, k));
        }
    if (const Json* hosts = ArrayAt(g, "Hosts"))
      for (size_t h = 0; h < hosts->size(); ++h) {
        const Json& host = (*hosts)[h];
        std::string host_name = Field(host, "HostName");
        std::string display = Field(host, "DisplayName");
        if (const Json* cookies = ArrayAt(host, "Cookies"))
          for (size_t k = 0; k < cookies->size(); ++k)
            if ((*cookies)[k].is_object())
              add((*cookies)[k], display.empty() ? host_name : display, host_name,
                  fmt::format("{}/Hosts/{}/Cookies/{}", pointer, h, k));
      }
  }
  if (duplicates > 0)
    report.warnings.push_back(Warning(
        file, pointer_base,
        fmt::format("{} cookie(s) declared twice in the same category and host: counted once", duplicates)));

  if (reconsent.size() >= 10 && reconsent.size() <= 15 &&
      reconsent.find_first_not_of("0123456789") == std::string::npos) {
    report.first_date = report.last_date = DateFromUnixMillis(std::stoll(reconsent));
    for (Observation& o : report.observations) o.first_date = o.last_date = report.first_date;
  }
  report.subject = options.domain;
  if (report.subject.empty()) report.subject = consent_cookie_host;
  if (report.subject.empty()) {
    int best = 0;
    for (const auto& [host, n] : first_party_hosts)
      if (n > best) {
        best = n;
        report.subject = host;
      }
  }
  while (report.subject.starts_with(".")) report.subject.erase(0, 1);
  if (report.subject.empty())
    report.warnings.push_back(
        Warning(file, pointer_base, "the file does not say which site it declares; give --domain"));
  return report;
}

}  // namespace

DiscoveryReader CmpOnetrustReader() {
  return DiscoveryReader{kName, "OneTrust cookie declaration (domain data JSON)", &Recognise, &Read};
}

}  // namespace blindspot::discover
