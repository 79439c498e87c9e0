// The CI gate of the audit use case: inputs and outcome (gate_inputs.h).
#include "app/gate_inputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "blindspot/catalog.h"
#include "blindspot/suggest.h"
#include "blindspot/text_ids.h"

namespace blindspot::app {
namespace {

std::string Say(const Options& o, const Message& m) { return TextCatalog::Builtin().Render(m, o.lang); }

Error Usage(std::string message, std::string expected, std::string hint) {
  return MakeError(ErrorKind::kUsage, std::move(message), {}, std::move(expected), std::move(hint)).error();
}

// The rule number of a --fail-on-rule value ("bs019", "BS019-unidentified-tracker" -> "BS019").
std::string Normalised(std::string_view id) {
  std::string n(RuleNumber(id));
  for (char& c : n) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return n;
}

}  // namespace

std::expected<GateInputs, Diagnostics> LoadGateInputs(const Options& o, const AuditRequest& r) {
  GateInputs g;
  Diagnostics errors;
  if (!r.as_of.empty() && !IsIsoDate(r.as_of))
    errors.push_back(Usage("--as-of '" + r.as_of + "' is not a date", "a date YYYY-MM-DD, e.g. 2027-01-31",
                           "leave --as-of out to check expiry dates against today"));
  g.as_of = r.as_of.empty() ? o.env->Today() : r.as_of;
  std::vector<std::string_view> numbers;
  for (const Rule& rule : AllRules()) numbers.push_back(RuleNumber(rule.meta->id));
  for (const std::string& id : r.fail_on_rules) {
    std::string n = Normalised(id);
    if (std::find(numbers.begin(), numbers.end(), n) != numbers.end()) continue;
    std::string guess = DidYouMeanOneOf(id, numbers);
    errors.push_back(Usage("--fail-on-rule: no rule '" + id + "'", "a rule id such as BS019",
                           (guess.empty() ? "" : guess + " ") + "run 'blindspot rules' to list the rules"));
  }
  if (!errors.empty()) return std::unexpected(std::move(errors));
  auto read = [&](const std::string& path) -> Result<std::string> {
    return o.env->ReadFile(path, o.limits.max_text_bytes, 0, "--max-input-size");
  };
  if (!r.baseline_path.empty()) {
    auto text = read(r.baseline_path);
    if (!text) return std::unexpected(Diagnostics{text.error()});
    auto b = ParseBaseline(*text, r.baseline_path);
    if (!b) return std::unexpected(std::move(b.error()));
    g.baseline = std::move(*b);
  }
  if (!r.accepted_path.empty()) {
    auto text = read(r.accepted_path);
    if (!text) return std::unexpected(Diagnostics{text.error()});
    auto a = ParseAccepted(*text, r.accepted_path);
    if (!a) return std::unexpected(std::move(a.error()));
    g.accepted = std::move(*a);
  }
  return g;
}

std::string BaselineTitle(const Finding& f) {
  const RuleMeta* rule = TextCatalog::Builtin().FindRule(f.rule_id);
  std::string title = rule ? rule->title.Get("en") : f.rule_id;
  std::string name = !f.subject_name.empty() ? f.subject_name : f.subject_id;
  return name.empty() ? title : title + ": " + name;
}

void GateOutcome(const Options& o, const AuditRequest& r, const AuditResult& res, AuditOutcome& out) {
  const GateResult& g = out.gate;
  for (const Acceptance& a : g.expired)
    out.notes.push_back(
        Say(o, Message(ui::gate_expired_note)
                   .Text("file", r.accepted_path)
                   .Number("line", a.loc.line)
                   .Text("what", a.fingerprint.empty() ? a.rule + " " + a.subject : a.fingerprint)
                   .Text("expires", a.expires)));
  // With a gate file and no criterion, every new finding fails.
  std::optional<Severity> fail_on = r.fail_on;
  if (!fail_on && r.fail_on_rules.empty() && g.active) fail_on = Severity::kInfo;
  std::vector<std::string> rules;
  for (const std::string& id : r.fail_on_rules) rules.push_back(Normalised(id));
  std::map<std::string, size_t> per_rule;
  size_t failing = 0;
  for (size_t i = 0; i < res.findings.size(); ++i) {
    const Finding& f = res.findings[i];
    if (!g.IsNew(i)) continue;
    std::string n(RuleNumber(f.rule_id));
    bool fails =
        (fail_on && f.severity >= *fail_on) || std::find(rules.begin(), rules.end(), n) != rules.end();
    if (!fails) continue;
    ++failing;
    ++per_rule[n];
  }
  out.failing = failing;
  // Which rules make the gate fail, most findings first.
  std::vector<std::pair<std::string, size_t>> sorted(per_rule.begin(), per_rule.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<MessageArg> list;
  for (const auto& [id, n] : sorted) list.push_back(TextItem(fmt::format("{} x{}", id, n)));

  if (!g.active && r.fail_on_rules.empty() && !r.quiet) {
    if (failing > 0 && r.fail_on)
      out.failing_line = Say(o, Message(ui::failing)
                                    .Number("n", static_cast<int64_t>(failing))
                                    .Term("severity", "severity", ToString(*r.fail_on))
                                    .List("rules", list));
    return;
  }
  Message counts = Message(ui::gate_counts)
                       .Number("new", static_cast<int64_t>(g.active ? g.new_count : res.findings.size()))
                       .Number("baseline", static_cast<int64_t>(g.baseline_count))
                       .Number("accepted", static_cast<int64_t>(g.accepted_count))
                       .Number("resolved", static_cast<int64_t>(g.resolved.size()))
                       .Text("date", g.as_of);
  out.gate_line = failing > 0 ? Say(o, Message(ui::gate_failed)
                                           .Number("n", static_cast<int64_t>(failing))
                                           .List("rules", list)
                                           .Sub("counts", counts))
                              : Say(o, Message(ui::gate_passed).Sub("counts", counts));
}

}  // namespace blindspot::app
