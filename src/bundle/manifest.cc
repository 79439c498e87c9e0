// manifest.json: the one writer (SerializeManifest) and the one reader
// (ParseManifest) of the format in docs/formats/evidence.md.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "blindspot/bundle.h"
#include "blindspot/suggest.h"

namespace blindspot {

using Json = nlohmann::ordered_json;

const ManifestFile* Manifest::FindFile(std::string_view path) const {
  for (const ManifestFile& f : files)
    if (f.path == path) return &f;
  return nullptr;
}

bool IsSafeBundlePath(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.back() == '/') return false;
  for (char c : path)
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    std::string_view part = path.substr(start, slash == std::string_view::npos ? path.npos : slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

// ---- writing --------------------------------------------------------------------

std::string SerializeManifest(const Manifest& m) {
  Json j;
  j["format"] = std::string(kBundleFormat);
  j["format_version"] = kBundleFormatVersion;
  j["tool"] = {{"name", m.tool.name}, {"version", m.tool.version}};
  j["browser"] = {
      {"product", m.browser.product}, {"user_agent", m.browser.user_agent}, {"protocol", m.browser.protocol}};
  j["command"] = m.command;
  j["start_url"] = m.start_url;
  j["site"] = m.site;
  j["started"] = m.started;
  j["finished"] = m.finished;
  const ManifestOptions& o = m.options;
  j["options"] = {{"pages", o.pages},
                  {"concurrency", o.concurrency},
                  {"page_timeout_s", o.page_timeout_s},
                  {"timeout_s", o.timeout_s},
                  {"lang", o.lang},
                  {"mobile", o.mobile},
                  {"user_agent", o.user_agent},
                  {"fill_forms", o.fill_forms},
                  {"no_private_networks", o.no_private_networks}};
  Json phases = Json::array();
  for (const ManifestPhase& p : m.phases)
    phases.push_back({{"name", std::string(ToString(p.phase))},
                      {"har", p.har},
                      {"scan", p.scan},
                      {"pages", p.pages},
                      {"requests", p.requests}});
  j["phases"] = std::move(phases);
  std::vector<const ManifestFile*> files;
  for (const ManifestFile& f : m.files) files.push_back(&f);
  std::stable_sort(files.begin(), files.end(),
                   [](const ManifestFile* a, const ManifestFile* b) { return a->path < b->path; });
  Json list = Json::array();
  for (const ManifestFile* f : files)
    list.push_back({{"path", f->path}, {"sha256", f->sha256}, {"bytes", f->bytes}});
  j["files"] = std::move(list);
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

// ---- reading --------------------------------------------------------------------

namespace {

std::string Found(const Json& v) {
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.size() > 80) s = s.substr(0, 77) + "...";
    return fmt::format("'{}'", s);
  }
  if (v.is_number_integer() || v.is_number_float()) return fmt::format("{} {}", "number", v.dump());
  return std::string(v.type_name());
}

class Reader {
 public:
  explicit Reader(const std::string& label) : label_(label) {}

  std::unexpected<Error> Fail(ErrorKind kind, const std::string& path, std::string what, std::string expected,
                              std::string hint = {}) const {
    SourceLocation where;
    where.file = label_;
    auto e = MakeError(kind, path.empty() ? what : path + ": " + what, where, std::move(expected),
                       std::move(hint));
    e.error().path = path;
    return e;
  }
  std::unexpected<Error> WrongType(const std::string& path, const Json& v, std::string expected) const {
    return Fail(ErrorKind::kSchema, path, fmt::format("expected {}, found {}", expected, Found(v)), expected);
  }

  // The object at `path` must have exactly `keys`.
  Status Keys(const Json& obj, const std::string& path, const std::vector<std::string_view>& keys) const {
    if (!obj.is_object()) return WrongType(path, obj, "an object");
    for (const auto& [k, v] : obj.items()) {
      if (std::find(keys.begin(), keys.end(), k) != keys.end()) continue;
      std::string guess = DidYouMean(k, keys);
      return Fail(ErrorKind::kSchema, Sub(path, k), "unknown key",
                  fmt::format("one of {}", fmt::join(keys, ", ")), guess);
    }
    for (std::string_view k : keys)
      if (!obj.contains(k))
        return Fail(ErrorKind::kSchema, Sub(path, std::string(k)), "missing", fmt::format("the key '{}'", k),
                    "SerializeManifest writes every key; was the file edited?");
    return {};
  }

  static std::string Sub(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  Result<std::string> String(const Json& obj, const std::string& path, const std::string& key) const {
    const Json& v = obj.at(key);
    if (!v.is_string()) return WrongType(Sub(path, key), v, "a string");
    return v.get<std::string>();
  }
  Result<uint64_t> Count(const Json& obj, const std::string& path, const std::string& key) const {
    const Json& v = obj.at(key);
    if (v.is_number_unsigned()) return v.get<uint64_t>();
    if (v.is_number_integer() && v.get<int64_t>() >= 0) return static_cast<uint64_t>(v.get<int64_t>());
    return WrongType(Sub(path, key), v, "a whole number >= 0");
  }
  Result<bool> Bool(const Json& obj, const std::string& path, const std::string& key) const {
    const Json& v = obj.at(key);
    if (!v.is_boolean()) return WrongType(Sub(path, key), v, "true or false");
    return v.get<bool>();
  }
  // "2026-12-02T10:00:00Z", optionally with fractions of a second.
  Result<std::string> Time(const Json& obj, const std::string& path, const std::string& key) const {
    auto s = String(obj, path, key);
    if (!s) return s;
    const std::string& t = *s;
    auto digits = [&](size_t from, size_t n) {
      if (from + n > t.size()) return false;
      for (size_t i = from; i < from + n; ++i)
        if (t[i] < '0' || t[i] > '9') return false;
      return true;
    };
    bool ok = t.size() >= 20 && digits(0, 4) && t[4] == '-' && digits(5, 2) && t[7] == '-' && digits(8, 2) &&
              t[10] == 'T' && digits(11, 2) && t[13] == ':' && digits(14, 2) && t[16] == ':' &&
              digits(17, 2) && t.back() == 'Z';
    if (ok && t.size() > 20) ok = t[19] == '.' && t.size() > 21 && digits(20, t.size() - 21);
    if (!ok)
      return Fail(ErrorKind::kSchema, Sub(path, key),
                  fmt::format("not an ISO 8601 UTC time: {}", Found(obj.at(key))),
                  "a time like 2026-12-02T10:00:00Z");
    return s;
  }
  Result<std::string> Path(const Json& obj, const std::string& path, const std::string& key,
                           bool may_be_empty) const {
    auto s = String(obj, path, key);
    if (!s || (may_be_empty && s->empty())) return s;
    if (!IsSafeBundlePath(*s))
      return Fail(ErrorKind::kSchema, Sub(path, key),
                  fmt::format("not a path inside the bundle: {}", Found(obj.at(key))),
                  "a relative path with '/' between folders, without '..' (before-consent/capture.har)");
    if (*s == kManifestName)
      return Fail(ErrorKind::kSchema, Sub(path, key), "manifest.json cannot list itself",
                  "a file of the bundle other than manifest.json");
    return s;
  }

 private:
  const std::string& label_;
};

#define BS_TRY(var, expr)                                \
  auto var##_r = (expr);                                 \
  if (!var##_r) return std::unexpected(var##_r.error()); \
  auto var = std::move(*var##_r)

#define BS_CHECK(expr)                             \
  do {                                             \
    auto st_ = (expr);                             \
    if (!st_) return std::unexpected(st_.error()); \
  } while (0)

}  // namespace

Result<Manifest> ParseManifest(std::string_view text, const std::string& label) {
  Reader r(label);
  Json j;
  try {
    j = Json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    SourceLocation where;
    where.file = label;
    where.offset = e.byte > 0 ? e.byte - 1 : 0;
    where.has_offset = true;
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." -> after ": "
    size_t colon = what.find(": ");
    return MakeError(ErrorKind::kParse,
                     "not JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2)), where,
                     "the manifest.json that blindspot scan writes");
  }
  if (!j.is_object()) return r.WrongType("", j, "an object (the manifest)");
  // Say first whether this is a bundle manifest at all, and of which version.
  if (!j.contains("format") || !j["format"].is_string() || j["format"].get<std::string>() != kBundleFormat)
    return r.Fail(ErrorKind::kSchema, "format",
                  j.contains("format")
                      ? fmt::format("not a blindspot evidence manifest: {}", Found(j["format"]))
                      : "missing: not a blindspot evidence manifest",
                  fmt::format("\"format\": \"{}\"", kBundleFormat),
                  "give the folder that 'blindspot scan --out' wrote");
  if (!j.contains("format_version") || !j["format_version"].is_number_integer())
    return r.Fail(ErrorKind::kSchema, "format_version",
                  j.contains("format_version")
                      ? fmt::format("expected a whole number, found {}", Found(j["format_version"]))
                      : "missing",
                  fmt::format("\"format_version\": {}", kBundleFormatVersion));
  if (int64_t v = j["format_version"].get<int64_t>(); v != kBundleFormatVersion)
    return r.Fail(
        ErrorKind::kSchema, "format_version",
        v > kBundleFormatVersion
            ? fmt::format("version {} is newer than this blindspot reads ({})", v, kBundleFormatVersion)
            : fmt::format("unknown version {}", v),
        fmt::format("{}", kBundleFormatVersion), v > kBundleFormatVersion ? "use a newer blindspot" : "");
  BS_CHECK(r.Keys(j, "",
                  {"format", "format_version", "tool", "browser", "command", "start_url", "site", "started",
                   "finished", "options", "phases", "files"}));
  Manifest m;
  BS_CHECK(r.Keys(j["tool"], "tool", {"name", "version"}));
  BS_TRY(tool_name, r.String(j["tool"], "tool", "name"));
  BS_TRY(tool_version, r.String(j["tool"], "tool", "version"));
  m.tool = {tool_name, tool_version};
  BS_CHECK(r.Keys(j["browser"], "browser", {"product", "user_agent", "protocol"}));
  BS_TRY(product, r.String(j["browser"], "browser", "product"));
  BS_TRY(ua, r.String(j["browser"], "browser", "user_agent"));
  BS_TRY(protocol, r.String(j["browser"], "browser", "protocol"));
  m.browser = {product, ua, protocol};
  const Json& cmd = j["command"];
  if (!cmd.is_array()) return r.WrongType("command", cmd, "an array of strings");
  for (size_t i = 0; i < cmd.size(); ++i) {
    if (!cmd[i].is_string()) return r.WrongType(fmt::format("command[{}]", i), cmd[i], "a string");
    m.command.push_back(cmd[i].get<std::string>());
  }
  BS_TRY(start_url, r.String(j, "", "start_url"));
  BS_TRY(site, r.String(j, "", "site"));
  BS_TRY(started, r.Time(j, "", "started"));
  BS_TRY(finished, r.Time(j, "", "finished"));
  m.start_url = start_url;
  m.site = site;
  m.started = started;
  m.finished = finished;

  const Json& o = j["options"];
  BS_CHECK(r.Keys(o, "options",
                  {"pages", "concurrency", "page_timeout_s", "timeout_s", "lang", "mobile", "user_agent",
                   "fill_forms", "no_private_networks"}));
  BS_TRY(pages, r.Count(o, "options", "pages"));
  BS_TRY(concurrency, r.Count(o, "options", "concurrency"));
  BS_TRY(page_timeout, r.Count(o, "options", "page_timeout_s"));
  BS_TRY(timeout, r.Count(o, "options", "timeout_s"));
  BS_TRY(lang, r.String(o, "options", "lang"));
  BS_TRY(mobile, r.Bool(o, "options", "mobile"));
  BS_TRY(opt_ua, r.String(o, "options", "user_agent"));
  BS_TRY(fill_forms, r.Bool(o, "options", "fill_forms"));
  BS_TRY(no_private, r.Bool(o, "options", "no_private_networks"));
  m.options = {pages, concurrency, page_timeout, timeout, lang, mobile, opt_ua, fill_forms, no_private};

  const Json& files = j["files"];
  if (!files.is_array()) return r.WrongType("files", files, "an array");
  for (size_t i = 0; i < files.size(); ++i) {
    std::string at = fmt::format("files[{}]", i);
    BS_CHECK(r.Keys(files[i], at, {"path", "sha256", "bytes"}));
    BS_TRY(path, r.Path(files[i], at, "path", false));
    BS_TRY(sha, r.String(files[i], at, "sha256"));
    bool hex = sha.size() == 64 && std::all_of(sha.begin(), sha.end(), [](char c) {
                 return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
               });
    if (!hex)
      return r.Fail(ErrorKind::kSchema, at + ".sha256",
                    fmt::format("not a SHA-256: {}", Found(files[i]["sha256"])), "64 lower-case hex digits");
    BS_TRY(bytes, r.Count(files[i], at, "bytes"));
    if (m.FindFile(path))
      return r.Fail(ErrorKind::kReference, at + ".path", fmt::format("'{}' is listed twice", path),
                    "each file once");
    m.files.push_back({path, sha, bytes});
  }

  const Json& phases = j["phases"];
  if (!phases.is_array()) return r.WrongType("phases", phases, "an array");
  std::vector<std::string_view> names;
  for (ConsentPhase p : AllConsentPhases()) names.push_back(ToString(p));
  for (size_t i = 0; i < phases.size(); ++i) {
    std::string at = fmt::format("phases[{}]", i);
    BS_CHECK(r.Keys(phases[i], at, {"name", "har", "scan", "pages", "requests"}));
    BS_TRY(name, r.String(phases[i], at, "name"));
    ManifestPhase p;
    p.phase = ParseConsentPhase(name);
    if (p.phase == ConsentPhase::kUnknown)
      return r.Fail(ErrorKind::kSchema, at + ".name",
                    fmt::format("not a consent phase: {}", Found(phases[i]["name"])),
                    fmt::format("one of {}", fmt::join(names, ", ")), DidYouMean(name, names));
    for (const ManifestPhase& q : m.phases)
      if (q.phase == p.phase)
        return r.Fail(ErrorKind::kReference, at + ".name", fmt::format("phase '{}' is listed twice", name),
                      "each phase once");
    BS_TRY(har, r.Path(phases[i], at, "har", false));
    BS_TRY(scan, r.Path(phases[i], at, "scan", true));
    for (const std::string* f : {&har, &scan})
      if (!f->empty() && !m.FindFile(*f))
        return r.Fail(ErrorKind::kReference, at + (f == &har ? ".har" : ".scan"),
                      fmt::format("'{}' is not in files", *f), "a path that files lists (with its SHA-256)");
    BS_TRY(page_count, r.Count(phases[i], at, "pages"));
    BS_TRY(requests, r.Count(phases[i], at, "requests"));
    p.har = har;
    p.scan = scan;
    p.pages = page_count;
    p.requests = requests;
    m.phases.push_back(std::move(p));
  }
  return m;
}

}  // namespace blindspot
