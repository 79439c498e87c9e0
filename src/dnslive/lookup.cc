// Asking the probes through a Resolver and choosing what the snapshot keeps
// (dnslive.h). No I/O of its own: the network is behind the Resolver.
#include <fmt/format.h>

#include <set>

#include "blindspot/dnslive.h"

namespace blindspot::dnslive {

namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// A presentation-format owner compared with a plain name: lower case, no trailing dot.
std::string Plain(std::string_view name) {
  std::string out;
  for (char c : name) out += Lower(c);
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

constexpr int kMaxTimeoutsInARow = 3;

}  // namespace

std::string_view ToString(AnswerStatus s) {
  switch (s) {
    case AnswerStatus::kRecords:
      return "records";
    case AnswerStatus::kNoData:
      return "no record of this type";
    case AnswerStatus::kNxDomain:
      return "NXDOMAIN";
    case AnswerStatus::kServFail:
      return "SERVFAIL";
    case AnswerStatus::kRefused:
      return "REFUSED";
    case AnswerStatus::kOtherRcode:
      return "error";
    case AnswerStatus::kTimeout:
      return "timed out";
    case AnswerStatus::kNetworkError:
      return "network error";
    case AnswerStatus::kNotAsked:
      return "not asked";
  }
  return "error";
}

size_t LookupResult::records() const {
  size_t n = 0;
  for (const Asked& a : asked) n += a.kept.size();
  return n;
}

Result<std::string> NormaliseDomain(std::string_view domain) {
  std::string d;
  for (char c : domain) d += Lower(c);
  while (!d.empty() && (d.front() == ' ' || d.front() == '\t')) d.erase(d.begin());
  while (!d.empty() && (d.back() == ' ' || d.back() == '\t')) d.pop_back();
  if (!d.empty() && d.back() == '.') d.pop_back();
  auto bad = [&](std::string why, std::string hint = {}) -> Result<std::string> {
    std::string shown;
    for (char c : domain) shown += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
    return MakeError(ErrorKind::kUsage, "'" + shown + "' is not a domain name: " + why, {},
                     "a domain such as example.org", std::move(hint));
  };
  if (d.empty()) return bad("it is empty");
  if (d.find("://") != std::string::npos || d.find('/') != std::string::npos)
    return bad("it looks like a URL", "give the domain alone, e.g. example.org");
  if (d.size() > 253) return bad("longer than 253 characters");
  for (unsigned char c : d)
    if (c >= 0x80) return bad("it is not ASCII", "give its ASCII (xn--) form");
  size_t labels = 0;
  for (size_t s = 0; s <= d.size();) {
    size_t e = d.find('.', s);
    if (e == std::string::npos) e = d.size();
    std::string_view label(d.data() + s, e - s);
    if (label.empty()) return bad("an empty label (two dots, or a leading dot)");
    if (label.size() > 63) return bad("a label longer than 63 characters");
    // A host name's label neither starts nor ends with a hyphen (RFC 952,
    // RFC 1123 section 2.1).
    if (label.front() == '-' || label.back() == '-')
      return bad(fmt::format("the label '{}' starts or ends with a hyphen", label));
    for (char c : label)
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
        return bad(fmt::format("the character '{}' is not allowed", c));
    ++labels;
    s = e + 1;
  }
  if (labels < 2) return bad("a single label", "give the registered domain, e.g. example.org");
  return d;
}

Result<LookupResult> Lookup(Resolver& resolver, std::string_view domain, const std::vector<Probe>& probes,
                            const std::function<std::string()>& now, std::chrono::milliseconds timeout) {
  auto d = NormaliseDomain(domain);
  if (!d) return std::unexpected(d.error());
  LookupResult result;
  result.domain = *d;
  result.resolver = resolver.Describe();
  result.timeout = timeout;
  result.started = now();
  std::set<std::string> kept;  // "owner type rdata" already written
  int timeouts_in_a_row = 0;
  for (size_t i = 0; i < probes.size(); ++i) {
    Asked a;
    a.probe = probes[i];
    a.fqdn = a.probe.name == "@" ? *d : a.probe.name + "." + *d;
    if (timeouts_in_a_row >= kMaxTimeoutsInARow) {
      a.answer.status = AnswerStatus::kNotAsked;
      result.asked.push_back(std::move(a));
      continue;
    }
    a.answer = resolver.Query(a.fqdn, a.probe.type);
    timeouts_in_a_row = a.answer.status == AnswerStatus::kTimeout ? timeouts_in_a_row + 1 : 0;
    if (i == 0 && a.answer.status != AnswerStatus::kRecords && a.answer.status != AnswerStatus::kNoData) {
      std::string q = a.fqdn + " " + a.probe.type;
      std::string secs = fmt::format("{:g} s", static_cast<double>(timeout.count()) / 1000.0);
      switch (a.answer.status) {
        case AnswerStatus::kNxDomain:
          return MakeError(
              ErrorKind::kUsage,
              *d + " does not exist: the resolver " + result.resolver + " answered NXDOMAIN for " + q, {},
              "a registered domain", "check the spelling");
        case AnswerStatus::kTimeout:
          return MakeError(
              ErrorKind::kIo,
              "no answer from the resolver " + result.resolver + " within " + secs + " (" + q + ")", {}, {},
              "check that it is reachable, or give another with --server IP (or a longer --timeout)");
        case AnswerStatus::kServFail:
          return MakeError(
              ErrorKind::kIo, "the resolver " + result.resolver + " could not resolve " + q + " (SERVFAIL)",
              {}, {},
              "the domain's name servers may be down or its DNSSEC broken; try again, or another "
              "resolver with --server IP");
        case AnswerStatus::kRefused:
          return MakeError(
              ErrorKind::kIo, "the resolver " + result.resolver + " refused to answer " + q, {}, {},
              "it may answer only its own network or only its own zones: give a recursive resolver "
              "with --server IP");
        default:
          return MakeError(ErrorKind::kIo,
                           "the resolver " + result.resolver + " gave no usable answer for " + q +
                               (a.answer.error.empty() ? "" : ": " + a.answer.error),
                           {}, {}, "give another resolver with --server IP");
      }
    }
    if (a.answer.status == AnswerStatus::kRecords) {
      const Rr* cname = nullptr;
      std::vector<const Rr*> own;
      for (const Rr& rr : a.answer.records) {
        if (Plain(rr.owner) != a.fqdn) continue;
        if (rr.type == "CNAME" && cname == nullptr) cname = &rr;
        if (rr.type == a.probe.type) own.push_back(&rr);
      }
      // A name that is a CNAME has no other records: its first CNAME names the platform.
      if (cname != nullptr && a.probe.type != "CNAME") own = {cname};
      for (const Rr* rr : own) {
        if (kept.insert(Plain(rr->owner) + " " + rr->type + " " + rr->rdata).second) a.kept.push_back(*rr);
      }
      if (own.empty()) a.answer.status = AnswerStatus::kNoData;
    }
    result.asked.push_back(std::move(a));
  }
  result.finished = now();
  return result;
}

}  // namespace blindspot::dnslive
