// What the DNS readers (dns_octodns.cc, dns_zonefile.cc, dns_terraform.cc)
// share: one DNS record, already taken out of its file's syntax, turned into
// observations by the rules of the discovery contract (docs/formats/discovery.md,
// section DNS). The readers own the syntax (YAML, master file, HCL) and the
// locations; ZoneBuilder owns what a record means: SPF mechanisms, DMARC report
// addresses, DKIM selectors, MX and CNAME targets, verification tokens, and
// which records are infrastructure and not evidence (certificate validation,
// MTA-STS, TLS reporting, Microsoft client discovery names).
// Internal to bs_discover.
#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "blindspot/discovery.h"

namespace blindspot::discover::dns {

// One value of one record.
struct Record {
  std::string name;        // the owner's fully qualified name (any case, trailing dot or not)
  std::string type;        // "TXT", "MX", "CNAME" (any case); other types are not evidence
  std::string value;       // TXT: the text, unescaped and its strings joined; MX: the exchange
                           // host; CNAME: the target host
  std::string preference;  // MX only, as written (shown in the detail); may be empty
  uint32_t line = 0;       // 1-based; 0 unknown
  uint32_t column = 0;     // 1-based; 0 unknown
  // The zone this record is published in, when a file holds several
  // (Terraform); empty: the builder's zone.
  std::string zone;
};

// Lower case, surrounding blanks removed, one trailing dot removed.
std::string NormaliseHost(std::string_view host);

// Whether `name` (normalised) is `zone` or a name under it.
bool InZone(std::string_view name, std::string_view zone);

// Collects the observations and warnings of one file into a report. Not
// thread-safe; one per read.
class ZoneBuilder {
 public:
  // `zone` is the zone's domain (normalised here; may be empty when unknown:
  // then no name is "outside the zone"); `file` names the input in locations.
  ZoneBuilder(std::string zone, std::string file, DiscoveryReport* report);

  void Add(const Record& r);

  // A warning at line:col of the input.
  void Warn(uint32_t line, uint32_t column, std::string message, std::string hint = {});
  // Information that is not a problem (Error::note).
  void Note(uint32_t line, uint32_t column, std::string message);

  const std::string& zone() const { return zone_; }
  size_t records() const { return records_; }

 private:
  void AddTxt(const Record& r, const std::string& name);
  void AddSpf(const Record& r, const std::string& name);
  void AddDmarc(const Record& r, const std::string& name);
  void AddDkimTxt(const Record& r, const std::string& name);
  Observation Make(ObservationKind kind, std::string key, const std::string& name, const Record& r,
                   Proof proof) const;

  std::string zone_;
  std::string file_;
  DiscoveryReport* report_;
  std::set<std::string> outside_warned_;
  size_t records_ = 0;
};

}  // namespace blindspot::discover::dns
