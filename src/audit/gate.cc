// The CI gate: baseline and accepted-findings files (docs/formats/baseline.md)
// and the classification of findings as new, in baseline or accepted.
#include "blindspot/gate.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "input/yaml_walker.h"

namespace blindspot {
namespace {

bool IsFingerprint(std::string_view s) {
  return s.size() == 16 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// A YAML double-quoted scalar (JSON escapes are valid YAML).
std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// The top-level map of a gate file, with `list_key` holding a list of maps.
template <class Fn>
void WalkList(input::Walker& w, const input::yaml::Node& root, std::string_view list_key,
              const std::vector<std::string_view>& top_keys, std::string_view what, Fn&& item) {
  w.Map(root, top_keys, what, {1, 1}, [&](std::string_view key, const input::yaml::Node& v, const Loc& kl) {
    if (key != list_key) return item(key, v, kl, -1);
    if (v.IsNull()) return;
    if (!v.IsSequence()) {
      w.Err(ErrorKind::kSchema, w.LocOf(v, kl),
            fmt::format("'{}' must be a list, found {}", list_key, input::TypeName(v)), "a list of maps",
            "start each entry with '- '");
      return;
    }
    for (size_t i = 0; i < v.size(); ++i) item(key, v[i], w.LocOf(v[i], kl), static_cast<int>(i));
  });
}

}  // namespace

bool IsIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  int y = std::stoi(std::string(s.substr(0, 4))), m = std::stoi(std::string(s.substr(5, 2))),
      d = std::stoi(std::string(s.substr(8, 2)));
  if (m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::string_view ToString(GateState s) {
  switch (s) {
    case GateState::kNew:
      return "new";
    case GateState::kInBaseline:
      return "baseline";
    case GateState::kAccepted:
      return "accepted";
  }
  return "new";
}

// ---- baseline ----------------------------------------------------------------------

std::expected<Baseline, Diagnostics> ParseBaseline(std::string_view text, const std::string& file) {
  input::Walker w(text, file);
  Baseline b;
  b.file = file;
  auto root = w.Load("a blindspot baseline (YAML or JSON)");
  if (root) {
    std::set<std::string> seen;
    WalkList(
        w, *root, "findings", {"version", "created", "findings"}, "the baseline",
        [&](std::string_view key, const input::yaml::Node& v, const Loc& kl, int i) {
          if (key == "version") {
            if (w.Str(v, "version", kl) != "1")
              w.Err(ErrorKind::kSchema, w.LocOf(v, kl),
                    "unknown baseline version '" + input::ScalarText(v) + "'", "version: 1",
                    "write the baseline again with this blindspot (--write-baseline)");
          } else if (key == "created") {
            b.created = w.Str(v, "created", kl);
            if (!b.created.empty() && !IsIsoDate(b.created))
              w.Err(ErrorKind::kSchema, w.LocOf(v, kl), "'created' is not a date: '" + b.created + "'",
                    "a date YYYY-MM-DD");
          } else {
            BaselineEntry e;
            e.loc = kl;
            std::string where = fmt::format("findings[{}]", i);
            w.Map(v, {"fingerprint", "rule", "subject", "title"}, where, kl,
                  [&](std::string_view k, const input::yaml::Node& x, const Loc& xl) {
                    std::string s = w.Str(x, where + "." + std::string(k), xl);
                    if (k == "fingerprint") {
                      e.fingerprint = s;
                      if (!IsFingerprint(s))
                        w.Err(ErrorKind::kSchema, w.LocOf(x, xl), "'" + s + "' is not a finding fingerprint",
                              "16 hexadecimal digits (lower case), as in the JSON report's 'fingerprint'");
                      else if (!seen.insert(s).second)
                        w.Err(ErrorKind::kSchema, w.LocOf(x, xl), "fingerprint '" + s + "' is listed twice",
                              "each fingerprint once", "remove one of the two entries");
                    } else if (k == "rule") {
                      e.rule = s;
                    } else if (k == "subject") {
                      e.subject = s;
                    } else {
                      e.title = s;
                    }
                  },
                  {"fingerprint"});
            b.findings.push_back(std::move(e));
          }
        });
    if (!(*root)["findings"].IsDefined() && root->IsMap())
      w.Err(ErrorKind::kSchema, {1, 1}, "missing required key 'findings' in the baseline", "key 'findings'",
            "write a baseline with 'blindspot audit ... --write-baseline FILE'");
  }
  if (!w.ok()) return std::unexpected(w.TakeErrors());
  return b;
}

std::string SerializeBaseline(const std::vector<Finding>& findings, std::string_view created,
                              std::string (*title_of)(const Finding&)) {
  struct Row {
    std::string rule, subject, fingerprint, title;
  };
  std::map<std::string, Row> rows;  // by fingerprint
  for (const Finding& f : findings) {
    std::string fp = Fingerprint(f);
    if (rows.count(fp)) continue;
    rows[fp] = Row{std::string(RuleNumber(f.rule_id)), FindingSubject(f), fp, title_of ? title_of(f) : ""};
  }
  std::vector<Row> sorted;
  for (auto& [fp, r] : rows) sorted.push_back(std::move(r));
  std::sort(sorted.begin(), sorted.end(), [](const Row& a, const Row& b) {
    return std::tie(a.rule, a.subject, a.fingerprint) < std::tie(b.rule, b.subject, b.fingerprint);
  });
  std::string out = "# blindspot baseline: docs/formats/baseline.md\nversion: 1\n";
  out += "created: " + Quote(created) + "\n";
  if (sorted.empty()) return out + "findings: []\n";
  out += "findings:\n";
  for (const Row& r : sorted) {
    out += "  - fingerprint: " + Quote(r.fingerprint) + "\n";
    out += "    rule: " + Quote(r.rule) + "\n";
    out += "    subject: " + Quote(r.subject) + "\n";
    if (!r.title.empty()) out += "    title: " + Quote(r.title) + "\n";
  }
  return out;
}

// ---- accepted findings ----------------------------------------------------------------

bool Acceptance::Matches(const Finding& f, std::string_view fp) const {
  if (!fingerprint.empty()) return fingerprint == fp;
  return rule == RuleNumber(f.rule_id) && subject == FindingSubject(f);
}

std::expected<AcceptedList, Diagnostics> ParseAccepted(std::string_view text, const std::string& file) {
  input::Walker w(text, file);
  AcceptedList list;
  list.file = file;
  auto root = w.Load("a blindspot accepted-findings file (YAML or JSON)");
  if (root) {
    WalkList(
        w, *root, "accepted", {"accepted"}, "the accepted-findings file",
        [&](std::string_view, const input::yaml::Node& v, const Loc& kl, int i) {
          Acceptance a;
          a.loc = kl;
          std::string where = fmt::format("accepted[{}]", i);
          bool is_map =
              w.Map(v, {"fingerprint", "rule", "subject", "reason", "accepted_by", "expires"}, where, kl,
                    [&](std::string_view k, const input::yaml::Node& x, const Loc& xl) {
                      std::string what = where + "." + std::string(k);
                      if (k == "fingerprint") {
                        a.fingerprint = w.Str(x, what, xl);
                        if (!IsFingerprint(a.fingerprint))
                          w.Err(ErrorKind::kSchema, w.LocOf(x, xl),
                                "'" + a.fingerprint + "' is not a finding fingerprint",
                                "16 hexadecimal digits (lower case), as in the JSON report's 'fingerprint'");
                      } else if (k == "rule") {
                        a.rule = w.NonEmpty(x, what, xl);
                        a.rule = std::string(RuleNumber(a.rule));  // "BS019-unidentified-tracker" -> "BS019"
                      } else if (k == "subject") {
                        a.subject = w.NonEmpty(x, what, xl);
                      } else if (k == "reason") {
                        a.reason = w.NonEmpty(x, what, xl);
                      } else if (k == "accepted_by") {
                        a.accepted_by = w.Str(x, what, xl);
                      } else {
                        a.expires = w.Str(x, what, xl);
                        if (!IsIsoDate(a.expires))
                          w.Err(ErrorKind::kSchema, w.LocOf(x, xl),
                                "'" + a.expires + "' is not a date in " + what, "a date YYYY-MM-DD",
                                "an acceptance must end: give the last day it counts, e.g. 2027-06-30");
                      }
                    },
                    {"reason", "expires"});
          if (is_map) {
            bool by_fp = !a.fingerprint.empty(), by_subject = !a.rule.empty() || !a.subject.empty();
            if (by_fp == by_subject || (by_subject && (a.rule.empty() || a.subject.empty())))
              w.Err(
                  ErrorKind::kSchema, kl,
                  where + " must name its finding by 'fingerprint' or by 'rule' and 'subject'",
                  "either fingerprint: <16 hex digits>, or rule: BS0nn with subject: <the report's subject>");
          }
          list.items.push_back(std::move(a));
        });
    if (root->IsMap() && !(*root)["accepted"].IsDefined())
      w.Err(ErrorKind::kSchema, {1, 1}, "missing required key 'accepted' in the accepted-findings file",
            "key 'accepted' with a list");
  }
  if (!w.ok()) return std::unexpected(w.TakeErrors());
  return list;
}

// ---- the gate ------------------------------------------------------------------------------

GateResult EvaluateGate(const std::vector<Finding>& findings, const Baseline* baseline,
                        std::optional<AcceptedList> accepted, std::string_view as_of) {
  GateResult g;
  g.active = baseline != nullptr || accepted.has_value();
  g.has_baseline = baseline != nullptr;
  g.as_of = std::string(as_of);
  if (accepted) g.accepted = std::move(*accepted);
  std::set<std::string> in_baseline, seen;
  if (baseline)
    for (const BaselineEntry& e : baseline->findings) in_baseline.insert(e.fingerprint);
  for (const Acceptance& a : g.accepted.items)
    if (a.expires < g.as_of) g.expired.push_back(a);
  for (const Finding& f : findings) {
    std::string fp = Fingerprint(f);
    const Acceptance* by = nullptr;
    for (const Acceptance& a : g.accepted.items)
      if (a.expires >= g.as_of && a.Matches(f, fp)) {
        by = &a;
        break;
      }
    GateState s = by                      ? GateState::kAccepted
                  : in_baseline.count(fp) ? GateState::kInBaseline
                                          : GateState::kNew;
    (s == GateState::kNew ? g.new_count : s == GateState::kAccepted ? g.accepted_count : g.baseline_count)++;
    g.states.push_back(s);
    g.acceptance.push_back(by);
    seen.insert(fp);
    g.fingerprints.push_back(std::move(fp));
  }
  if (baseline)
    for (const BaselineEntry& e : baseline->findings)
      if (!seen.count(e.fingerprint)) g.resolved.push_back(e);
  return g;
}

}  // namespace blindspot
