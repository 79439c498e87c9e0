// The zone snapshot (dnslive.h): what a lookup asked and got, as an RFC 1035
// master file that the dns-zonefile reader reads back. Pure.
#include <fmt/format.h>

#include <map>

#include "blindspot/dnslive.h"

namespace blindspot::dnslive {

namespace {

// Control characters (and DEL) as \DDD, so that text from the network cannot
// end a line of the file.
std::string NoControls(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f)
      out += fmt::format("\\{:03d}", u);
    else
      out += c;
  }
  return out;
}

// The owner relative to the origin ("@", "k1._domainkey"), else absolute.
std::string Relative(std::string_view owner, const std::string& domain) {
  std::string lower;
  for (char c : owner) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  std::string abs = domain + ".";
  if (lower == abs || lower == domain) return "@";
  std::string suffix = "." + abs;
  if (lower.size() > suffix.size() && lower.ends_with(suffix))
    return std::string(owner.substr(0, lower.size() - suffix.size()));
  return std::string(owner);
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

std::string ZoneText(const LookupResult& r, std::string_view tool_version) {
  std::map<AnswerStatus, size_t> counts;
  for (const Asked& a : r.asked) ++counts[a.answer.status];
  std::string out;
  out += fmt::format("; DNS snapshot of {}, written by blindspot {} discover dns\n", r.domain, tool_version);
  out += fmt::format("; queried {} to {} (UTC) through the resolver {}, {:g} s per question\n",
                     NoControls(r.started), NoControls(r.finished), NoControls(r.resolver),
                     static_cast<double>(r.timeout.count()) / 1000.0);
  out += "; DNS cannot list a zone: only the names below were asked; other names of the domain may exist.\n";
  std::string summary =
      fmt::format("; {}: {} with records ({} kept)", Plural(r.asked.size(), "question", "questions"),
                  counts[AnswerStatus::kRecords], Plural(r.records(), "record", "records"));
  auto add = [&](AnswerStatus s, std::string_view what) {
    if (counts[s] > 0) summary += fmt::format(", {} {}", counts[s], what);
  };
  add(AnswerStatus::kNoData, "without a record of the type asked");
  add(AnswerStatus::kNxDomain, "NXDOMAIN");
  add(AnswerStatus::kTimeout, "timed out");
  add(AnswerStatus::kServFail, "SERVFAIL");
  add(AnswerStatus::kRefused, "REFUSED");
  add(AnswerStatus::kOtherRcode, "other errors");
  add(AnswerStatus::kNetworkError, "network errors");
  add(AnswerStatus::kNotAsked, "not asked (the resolver had stopped answering)");
  out += summary + "\n;\n; asked (name type: answer; why):\n";
  for (const Asked& a : r.asked) {
    std::string answer;
    if (a.answer.status == AnswerStatus::kRecords) {
      if (a.kept.size() == 1 && a.kept[0].type == "CNAME" && a.probe.type != "CNAME")
        answer = "CNAME";
      else if (a.kept.empty())
        answer = "records already above";
      else
        answer = Plural(a.kept.size(), "record", "records");
    } else {
      answer = std::string(ToString(a.answer.status));
      if (!a.answer.error.empty()) answer += " (" + a.answer.error + ")";
    }
    out +=
        NoControls(fmt::format(";   {} {}: {}; {}", a.probe.name, a.probe.type, answer, a.probe.why)) + "\n";
  }
  out += fmt::format("\n$ORIGIN {}.\n", r.domain);
  for (const Asked& a : r.asked) {
    for (const Rr& rr : a.kept)
      out += fmt::format("{} {} IN {} {}\n", NoControls(Relative(rr.owner, r.domain)), rr.ttl,
                         NoControls(rr.type), NoControls(rr.rdata));
  }
  return out;
}

}  // namespace blindspot::dnslive
