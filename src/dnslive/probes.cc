// The probe list of the live DNS lookup (dnslive.h): parsed from YAML, the
// built-in one from data/discover/dns-probe.yaml compiled into the binary.
#include <yaml-cpp/yaml.h>

#include <mutex>
#include <set>

#include "blindspot/dnslive.h"
#include "blindspot/embedded.h"

namespace blindspot::dnslive {

namespace {

constexpr std::string_view kBuiltinPath = "discover/dns-probe.yaml";

Error At(ErrorKind kind, const std::string& file, const YAML::Mark& mark, std::string message,
         std::string expected = {}) {
  SourceLocation where;
  where.file = file;
  if (mark.line >= 0) {
    where.line = static_cast<uint32_t>(mark.line + 1);
    where.column = static_cast<uint32_t>(mark.column + 1);
  }
  return MakeError(kind, std::move(message), std::move(where), std::move(expected)).error();
}

bool ValidName(const std::string& name) {
  if (name == "@") return true;
  if (name.empty() || name.size() > 200 || name.front() == '.' || name.back() == '.') return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
  return name.find("..") == std::string::npos;
}

Result<std::vector<std::string>> Ids(const YAML::Node& n, const std::string& file, const char* key) {
  std::vector<std::string> out;
  if (!n) return out;
  if (!n.IsSequence())
    return std::unexpected(
        At(ErrorKind::kSchema, file, n.Mark(), std::string(key) + " is not a list", "a list of ids: [a, b]"));
  for (const YAML::Node& v : n) {
    if (!v.IsScalar() || v.Scalar().empty())
      return std::unexpected(At(ErrorKind::kSchema, file, v.Mark(), std::string(key) + ": not an id"));
    out.push_back(v.Scalar());
  }
  return out;
}

}  // namespace

Result<std::vector<Probe>> ParseProbes(std::string_view yaml, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return std::unexpected(At(ErrorKind::kParse, file, e.mark, e.msg));
  }
  if (!root.IsMap() || !root["probes"] || !root["probes"].IsSequence())
    return std::unexpected(
        At(ErrorKind::kSchema, file, root.Mark(), "no probes list", "a map with a 'probes' list"));
  std::vector<Probe> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const YAML::Node& p : root["probes"]) {
    if (!p.IsMap())
      return std::unexpected(
          At(ErrorKind::kSchema, file, p.Mark(), "a probe is not a map", "name, type, why, kb, sources"));
    for (const auto& kv : p) {
      std::string k = kv.first.Scalar();
      if (k != "name" && k != "type" && k != "why" && k != "kb" && k != "sources")
        return std::unexpected(At(ErrorKind::kSchema, file, kv.first.Mark(), "unknown key '" + k + "'",
                                  "name, type, why, kb, sources"));
    }
    Probe probe;
    probe.line = static_cast<uint32_t>(p.Mark().line + 1);
    auto scalar = [&](const char* key) -> Result<std::string> {
      const YAML::Node n = p[key];
      if (!n || !n.IsScalar() || n.Scalar().empty())
        return std::unexpected(
            At(ErrorKind::kSchema, file, n ? n.Mark() : p.Mark(), std::string("probe without ") + key));
      return n.Scalar();
    };
    auto name = scalar("name");
    if (!name) return std::unexpected(name.error());
    auto type = scalar("type");
    if (!type) return std::unexpected(type.error());
    auto why = scalar("why");
    if (!why) return std::unexpected(why.error());
    if (!ValidName(*name))
      return std::unexpected(At(ErrorKind::kSchema, file, p["name"].Mark(), "'" + *name + "' is not a name",
                                "@ or a relative name in lower case, e.g. k1._domainkey"));
    if (*type != "TXT" && *type != "MX" && *type != "NS" && *type != "CNAME")
      return std::unexpected(At(ErrorKind::kSchema, file, p["type"].Mark(), "unknown type '" + *type + "'",
                                "TXT, MX, NS or CNAME"));
    if (why->find('\n') != std::string::npos)
      return std::unexpected(At(ErrorKind::kSchema, file, p["why"].Mark(), "why is more than one line"));
    if (!seen.insert({*name, *type}).second)
      return std::unexpected(
          At(ErrorKind::kSchema, file, p.Mark(), "probe " + *name + " " + *type + " is listed twice"));
    auto kb = Ids(p["kb"], file, "kb");
    if (!kb) return std::unexpected(kb.error());
    auto sources = Ids(p["sources"], file, "sources");
    if (!sources) return std::unexpected(sources.error());
    probe.name = *name;
    probe.type = *type;
    probe.why = *why;
    probe.kb = std::move(*kb);
    probe.sources = std::move(*sources);
    out.push_back(std::move(probe));
  }
  if (out.empty())
    return std::unexpected(At(ErrorKind::kSchema, file, root.Mark(), "the probes list is empty"));
  return out;
}

Result<std::vector<Probe>> BuiltinProbes() {
  static const Result<std::vector<Probe>> probes = []() -> Result<std::vector<Probe>> {
    for (std::size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i)
      if (kDataFiles[i].path == kBuiltinPath)
        return ParseProbes(kDataFiles[i].data, "data/" + std::string(kBuiltinPath));
    return MakeError(ErrorKind::kInternal, "data/discover/dns-probe.yaml is not compiled in", {});
  }();
  return probes;
}

}  // namespace blindspot::dnslive
