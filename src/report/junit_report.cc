// The audit report as JUnit XML (docs/formats/junit.md) for CI test views:
// one testsuite per rule, one testcase per rule x subject (a finding, named
// by its FindingSubject); a new finding is a failure, one in the baseline or
// accepted is skipped with its state, a resolved baseline entry passes.
// Messages in the report language.
#include <fmt/format.h>

#include <map>

#include "report/formats.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
namespace {

// Text for XML attributes and content: markup and control characters escaped
// (characters XML 1.0 does not allow become U+FFFD).
std::string Xml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\n':
        out += "&#10;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20)
          out += "\xEF\xBF\xBD";
        else
          out += c;
    }
  }
  return out;
}

struct Case {
  const Finding* finding = nullptr;
  size_t index = 0;
  const BaselineEntry* resolved = nullptr;
};

}  // namespace

Result<std::string> RenderJunit(const OutputInput& in) {
  const AuditResult& r = *in.audit;
  const ReportOptions& o = in.options;
  Texts t(o.lang);
  const TextCatalog& cat = t.catalog();
  const GateResult* gate = o.gate && o.gate->active ? o.gate : nullptr;

  // Rule id -> its cases, rules sorted by id.
  std::map<std::string, std::vector<Case>> suites;
  for (size_t i = 0; i < r.findings.size(); ++i)
    suites[r.findings[i].rule_id].push_back({&r.findings[i], i, nullptr});
  if (gate)
    for (const BaselineEntry& e : gate->resolved) {
      std::string id = e.rule;
      for (const RuleMeta& m : cat.rules())
        if (RuleNumber(m.id) == e.rule) id = m.id;
      suites[id.empty() ? "unknown" : id].push_back({nullptr, 0, &e});
    }

  size_t tests = 0, failures = 0, skipped = 0;
  std::string body;
  for (const auto& [id, cases] : suites) {
    const RuleMeta* rule = cat.FindRule(id);
    size_t f_count = 0, s_count = 0;
    std::string cases_xml;
    for (const Case& c : cases) {
      if (c.resolved) {
        std::string subject = c.resolved->subject.empty() ? c.resolved->fingerprint : c.resolved->subject;
        cases_xml += fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n", Xml(id), Xml(subject));
        cases_xml += fmt::format(
            "      <system-out>{}</system-out>\n",
            Xml(t.R(Message(ui::gate_resolved_item).Text("rule", c.resolved->rule).Text("subject", subject)) +
                " " + c.resolved->fingerprint));
        cases_xml += "    </testcase>\n";
        continue;
      }
      const Finding& f = *c.finding;
      std::string subject = FindingSubject(f);
      std::string where = Location(f, r, o);
      cases_xml += fmt::format("    <testcase classname=\"{}\" name=\"{}\"{}>\n", Xml(id), Xml(subject),
                               where.empty() ? "" : " file=\"" + Xml(where) + "\"");
      std::string detail = t.R(f.detail);
      std::string text = detail + "\n" + Fingerprint(f);
      if (gate && !gate->IsNew(c.index)) {
        ++s_count;
        cases_xml += fmt::format("      <skipped message=\"{}\"/>\n", Xml(GateStateText(*gate, c.index, t)));
      } else {
        ++f_count;
        cases_xml += fmt::format("      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                                 ToString(f.severity), Xml(rule ? rule->title.Get(t.lang()) : id), Xml(text));
      }
      cases_xml += "    </testcase>\n";
    }
    tests += cases.size();
    failures += f_count;
    skipped += s_count;
    body +=
        fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
                    Xml(rule ? id + ": " + rule->title.Get(t.lang()) : id), cases.size(), f_count, s_count);
    body += cases_xml;
    body += "  </testsuite>\n";
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"blindspot audit\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
      tests, failures, skipped);
  out += body;
  out += "</testsuites>\n";
  return out;
}

}  // namespace blindspot::report_internal
