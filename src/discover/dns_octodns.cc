// The dns-octodns reader: an OctoDNS zone file (YAML; one file per zone, named
// <zone>.yaml, the zone itself not in the file). See
// docs/formats/discovery.md (DNS) and https://github.com/octodns/octodns
// (README, "Records"): the top level maps a name relative to the zone ('' is
// the apex) to one record or a list of records, each with a `type` and a
// `value` or `values`.
#include <string>
#include <string_view>
#include <vector>

#include "discover/dns_records.h"
#include "discover/readers.h"
#include "input/yaml_doc.h"

namespace blindspot::discover {

namespace {

namespace yaml = input::yaml;

constexpr std::string_view kName = "dns-octodns";

uint32_t Line(const yaml::Node& n) { return n.GetMark().is_null() ? 0 : n.GetMark().line + 1; }
uint32_t Column(const yaml::Node& n) { return n.GetMark().is_null() ? 0 : n.GetMark().column + 1; }

// OctoDNS writes ';' in TXT values as "\;" and joins the strings of a long
// value with "" (`...EtxWtp""Wvul48...`): one text as DNS resolvers see it.
std::string TxtText(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size() && (v[i + 1] == ';' || v[i + 1] == '\\')) {
      out += v[++i];
    } else if (v[i] == '"' && i + 1 < v.size() && v[i + 1] == '"') {
      ++i;
    } else {
      out += v[i];
    }
  }
  return out;
}

bool IsDnsType(std::string_view t) {
  static constexpr std::string_view kTypes[] = {"A",     "AAAA",   "CAA", "CNAME", "DNAME", "LOC",   "MX",
                                                "NAPTR", "NS",     "PTR", "SPF",   "SRV",   "SSHFP", "TXT",
                                                "ALIAS", "URLFWD", "DS",  "TLSA",  "HTTPS", "SVCB"};
  for (std::string_view k : kTypes)
    if (t == k) return true;
  // Provider-specific types: "Route53Provider/ALIAS".
  size_t slash = t.find('/');
  return slash != std::string_view::npos && slash > 0 && slash + 1 < t.size();
}

// The zone's domain: --domain, else the file name ("<zone>.yaml"; a prefixed
// stem "octodns_<zone>.yaml" gives the part after the last '_', with a warning).
Result<std::string> ZoneDomain(const std::string& file_name, const DiscoveryOptions& options,
                               std::vector<Error>* warnings) {
  if (!options.domain.empty()) return dns::NormaliseHost(options.domain);
  std::string_view stem = file_name;
  size_t slash = stem.find_last_of("/\\");
  if (slash != std::string_view::npos) stem.remove_prefix(slash + 1);
  for (std::string_view ext : {".yaml", ".yml"})
    if (stem.size() > ext.size() && stem.substr(stem.size() - ext.size()) == ext)
      stem.remove_suffix(ext.size());
  bool prefixed = false;
  size_t us = stem.rfind('_');
  if (us != std::string_view::npos) {
    stem.remove_prefix(us + 1);
    prefixed = true;
  }
  std::string zone = dns::NormaliseHost(stem);
  if (zone.find('.') == std::string::npos || zone.front() == '.' || zone.find(' ') != std::string::npos) {
    SourceLocation where;
    where.file = file_name;
    return MakeError(ErrorKind::kParse,
                     "the OctoDNS zone's domain is not in the file and its name does not give it",
                     std::move(where), "a file named <zone>.yaml (e.g. example.org.yaml)",
                     "give the domain with --domain example.org");
  }
  if (prefixed) {
    Error w;
    w.kind = ErrorKind::kParse;
    w.message = "zone domain " + zone + " taken from the file name after its last '_'";
    w.hint = "give --domain if that is not the zone";
    w.where.file = file_name;
    w.warning = true;
    warnings->push_back(std::move(w));
  }
  return zone;
}

// Every value of a record: `values` or `value`, either a list or one item.
std::vector<yaml::Node> Values(const yaml::Node& record) {
  std::vector<yaml::Node> out;
  for (const char* key : {"values", "value"}) {
    yaml::Node v = record[key];
    if (!v || v.IsNull()) continue;
    if (v.IsSequence()) {
      for (size_t i = 0; i < v.size(); ++i) out.push_back(v[i]);
    } else {
      out.push_back(v);
    }
  }
  return out;
}

void ReadRecord(const yaml::Node& rec, const std::string& fqdn, dns::ZoneBuilder* zone) {
  if (!rec.IsMap()) {
    zone->Warn(Line(rec), Column(rec), "record of " + fqdn + " is not a map with type and value; skipped");
    return;
  }
  yaml::Node type = rec["type"];
  if (!type.IsScalar()) {
    zone->Warn(Line(rec), Column(rec), "record of " + fqdn + " has no type; skipped");
    return;
  }
  std::vector<yaml::Node> values = Values(rec);
  if (values.empty()) {
    zone->Warn(Line(rec), Column(rec), "record of " + fqdn + " has no value or values; skipped");
    return;
  }
  std::string t(type.Scalar());
  for (const yaml::Node& v : values) {
    dns::Record r;
    r.name = fqdn;
    r.type = t;
    r.line = Line(v);
    r.column = Column(v);
    if (t == "MX") {
      if (v.IsMap()) {
        yaml::Node ex = v["exchange"] ? v["exchange"] : v["value"];
        yaml::Node pref = v["preference"] ? v["preference"] : v["priority"];
        if (!ex.IsScalar() && !ex.IsNull()) {
          zone->Warn(r.line, r.column, "MX value of " + fqdn + " has no exchange; skipped");
          continue;
        }
        r.value = std::string(ex.Scalar());
        r.preference = std::string(pref.Scalar());
      } else {
        zone->Warn(r.line, r.column,
                   "MX value of " + fqdn + " is not a map with exchange and preference; skipped");
        continue;
      }
    } else if (v.IsScalar()) {
      r.value = t == "TXT" || t == "SPF" ? TxtText(v.Scalar()) : std::string(v.Scalar());
    } else {
      continue;  // SRV, CAA, ALIAS maps: not evidence
    }
    zone->Add(r);
  }
}

int Recognise(std::string_view bytes, std::string_view file_name) {
  std::string_view head = bytes.substr(0, 65536);
  size_t first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || head[first] == '{' || head[first] == '[') return 0;
  if (head.find("resource \"") != std::string_view::npos) return 0;
  // Lines "type: <DNS type>" in a record map, with "value:" or "values:".
  int types = 0;
  size_t pos = 0;
  while ((pos = head.find("type: ", pos)) != std::string_view::npos) {
    size_t bol = head.rfind('\n', pos);
    bol = bol == std::string_view::npos ? 0 : bol + 1;
    std::string_view before = head.substr(bol, pos - bol);
    pos += 6;
    if (before.find_first_not_of(" -") != std::string_view::npos) continue;
    size_t eol = head.find_first_of("\r\n", pos);
    std::string_view t = head.substr(pos, (eol == std::string_view::npos ? head.size() : eol) - pos);
    while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
    if (IsDnsType(t)) ++types;
  }
  if (types == 0) return 0;
  if (head.find("value: ") == std::string_view::npos && head.find("values:") == std::string_view::npos &&
      head.find("value:\n") == std::string_view::npos)
    return 0;
  bool yaml_name = file_name.ends_with(".yaml") || file_name.ends_with(".yml");
  return (types >= 3 ? 80 : 60) + (yaml_name ? 5 : 0);
}

Result<DiscoveryReport> Read(std::string_view bytes, const std::string& file_name,
                             const DiscoveryOptions& options) {
  DiscoveryReport report;
  report.reader = std::string(kName);
  yaml::ParseError perr;
  auto doc = yaml::Document::Parse(bytes, &perr);
  if (!doc) {
    SourceLocation where;
    where.file = file_name;
    where.line = perr.mark.is_null() ? 0 : perr.mark.line + 1;
    where.column = perr.mark.is_null() ? 0 : perr.mark.column + 1;
    return MakeError(ErrorKind::kParse, "not a readable OctoDNS zone: " + perr.message, std::move(where),
                     "YAML: a map from record names to records");
  }
  yaml::Node root = doc->root();
  if (!root.IsMap()) {
    SourceLocation where;
    where.file = file_name;
    where.line = root ? Line(root) : 1;
    where.column = root ? Column(root) : 1;
    if (where.line == 0) where.line = where.column = 1;
    return MakeError(ErrorKind::kParse, "not an OctoDNS zone: the top level is not a map of record names",
                     std::move(where), "name: {type: TXT, value: ...} entries");
  }
  auto zone_name = ZoneDomain(file_name, options, &report.warnings);
  if (!zone_name) return std::unexpected(zone_name.error());
  report.subject = *zone_name;
  dns::ZoneBuilder zone(*zone_name, file_name, &report);
  for (const auto& entry : root) {
    if (!entry.first.IsScalar() && !entry.first.IsNull()) {
      zone.Warn(Line(entry.first), Column(entry.first), "a record name that is not text; skipped");
      continue;
    }
    // The key as written: a numeric name (129688) stays text.
    std::string rel(entry.first.Scalar());
    std::string fqdn = rel.empty() ? zone.zone() : rel + "." + zone.zone();
    if (entry.second.IsSequence()) {
      for (size_t i = 0; i < entry.second.size(); ++i) ReadRecord(entry.second[i], fqdn, &zone);
    } else {
      ReadRecord(entry.second, fqdn, &zone);
    }
  }
  if (zone.records() == 0) zone.Warn(1, 1, "the OctoDNS zone holds no record with a type and a value");
  return report;
}

}  // namespace

DiscoveryReader DnsOctodnsReader() {
  return DiscoveryReader{kName, "OctoDNS zone (YAML)", &Recognise, &Read};
}

}  // namespace blindspot::discover
