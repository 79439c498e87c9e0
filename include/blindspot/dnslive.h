// Live DNS lookup (`blindspot discover dns DOMAIN`): asks a resolver about
// the names of a probe list (data/discover/dns-probe.yaml: the domain's TXT,
// MX and NS, _dmarc, DKIM selectors that platforms prescribe, marketing
// subdomains) and writes what they answered as an RFC 1035 zone file, which
// the dns-zonefile discovery reader reads back (docs/formats/discovery.md,
// "Live DNS"). DNS cannot list a zone: only the names asked are seen.
//
// Three parts, each testable alone:
//  - the probe list (ParseProbes, BuiltinProbes): data;
//  - the network behind a seam: Resolver (Query one name and type);
//    NewLdnsResolver is the real one (ldns, UDP with TCP fallback), tests use
//    it against a fake server on 127.0.0.1 or implement Resolver themselves;
//  - Lookup (asks every probe through a Resolver) and ZoneText (pure:
//    answers in, zone text out).
//
// Errors are values. kUsage: a domain that is not a DNS name, a --server that
// is not an IP address, a domain that does not exist (NXDOMAIN); kIo: no
// resolver configured, or no usable answer to the first question (timeout,
// network error, SERVFAIL, REFUSED). A later question that times out or
// fails is recorded in the result, not an error. Thread-safety: a Resolver is
// used by one thread at a time; the rest is pure or immutable.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"

namespace blindspot::dnslive {

// One name to ask.
struct Probe {
  std::string name;  // relative to the domain: "@" (the domain), "_dmarc", "k1._domainkey", "email"
  std::string type;  // "TXT", "MX", "NS" or "CNAME"
  std::string why;   // what an answer shows, one line
  std::vector<std::string> kb;       // kb entry ids an answer can match
  std::vector<std::string> sources;  // source ids naming this record name
  uint32_t line = 0;                 // in the probe file
};

// Parses a probe list (the format of data/discover/dns-probe.yaml). Errors
// (kParse/kSchema) name the file and line.
Result<std::vector<Probe>> ParseProbes(std::string_view yaml, const std::string& file);
// The built-in list, parsed once (an error only if the embedded data is broken).
Result<std::vector<Probe>> BuiltinProbes();

// One resource record of an answer, in presentation format.
struct Rr {
  std::string owner;  // absolute, as the resolver gave it ("k1._domainkey.example.org.")
  uint32_t ttl = 0;
  std::string type;   // "TXT", "CNAME", "MX", "NS", ...
  std::string rdata;  // presentation format, escaped: "\"v=spf1 include:mailgun.org ~all\"",
                      // "10 mx.example.org.", "dkim.mcsv.net."
};

enum class AnswerStatus {
  kRecords,   // NOERROR with records of the asked name
  kNoData,    // NOERROR, the name exists but has no record of this type
  kNxDomain,  // the name does not exist
  kServFail,  // the resolver could not get an answer (SERVFAIL)
  kRefused,   // the resolver would not answer (REFUSED)
  kOtherRcode,
  kTimeout,       // no reply within the timeout
  kNetworkError,  // the question could not be sent or the reply was not DNS
  kNotAsked,      // left out: the resolver had stopped answering (three timeouts in a row)
};
std::string_view ToString(AnswerStatus);  // "records", "no data", "NXDOMAIN", "SERVFAIL", ...

struct Answer {
  AnswerStatus status = AnswerStatus::kTimeout;
  std::vector<Rr> records;  // the answer section, as received (CNAME chains included)
  std::string error;        // for kTimeout / kNetworkError / kOtherRcode: what happened
};

// The network seam: one question, one answer.
class Resolver {
 public:
  virtual ~Resolver() = default;
  // `fqdn` without the trailing dot; `type` as in Probe::type.
  virtual Answer Query(const std::string& fqdn, const std::string& type) = 0;
  // Who answers, for the snapshot's header: "127.0.0.1 port 5353", "192.0.2.53 (/etc/resolv.conf)".
  virtual std::string Describe() const = 0;
};

struct ResolverOptions {
  // "IP", "IP:PORT", "[IPv6]:PORT" or "IPv6"; empty: the nameservers of resolv_conf.
  std::string server;
  std::string resolv_conf = "/etc/resolv.conf";
  std::chrono::milliseconds timeout{5000};  // per question and nameserver, one try
};
Result<std::unique_ptr<Resolver>> NewLdnsResolver(const ResolverOptions& options);

// What one probe got.
struct Asked {
  Probe probe;
  std::string fqdn;  // the name asked, lower case, no trailing dot
  Answer answer;
  std::vector<Rr> kept;  // what the snapshot writes: the asked name's records of the asked
                         // type, or its CNAME only (the first of a chain); duplicates of
                         // an earlier probe left out
};

struct LookupResult {
  std::string domain;             // lower case, no trailing dot
  std::string resolver;           // Resolver::Describe()
  std::string started, finished;  // ISO 8601 UTC
  std::chrono::milliseconds timeout{0};
  std::vector<Asked> asked;
  size_t records() const;  // kept records in all
};

// `domain` as a DNS name: lower case, no trailing dot, at least two labels of
// letters, digits, '-' and '_' (63 bytes each, 253 in all); kUsage otherwise
// (a non-ASCII name gets a hint to give its xn-- form).
Result<std::string> NormaliseDomain(std::string_view domain);

// Asks every probe about `domain` in order. The first probe must be answered
// (records or no data): NXDOMAIN is a kUsage error ("does not exist"),
// anything else kIo. After three timeouts in a row the remaining probes are
// not asked (kNotAsked), so a resolver that stops answering costs at most
// three timeouts more. `now` gives ISO 8601 UTC times.
Result<LookupResult> Lookup(Resolver& resolver, std::string_view domain, const std::vector<Probe>& probes,
                            const std::function<std::string()>& now, std::chrono::milliseconds timeout);

// The zone file (pure): a comment header (what was asked, when, through which
// resolver, what each name answered), $ORIGIN, and the kept records as
// "<owner> <ttl> IN <type> <rdata>" lines. Text from the network cannot end a
// line or start a directive: control characters in owners and rdata are
// written as \DDD.
std::string ZoneText(const LookupResult& result, std::string_view tool_version);

}  // namespace blindspot::dnslive
