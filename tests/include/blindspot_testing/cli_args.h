// Shared by the data-driven test runners (golden_test.cc, scenario_test.cc):
// a case's `cmd` line split into arguments as a shell would ('…' or "…"
// quote), and plain text substitution for its {case}/{root}/... variables.
#pragma once
#include <string>
#include <vector>

namespace blindspot_testing {

inline std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

inline std::vector<std::string> SplitArgs(const std::string& line) {
  std::vector<std::string> args;
  std::string cur;
  bool have = false;
  char quote = 0;
  for (char c : line) {
    if (quote) {
      if (c == quote)
        quote = 0;
      else
        cur += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      have = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (have || !cur.empty()) args.push_back(cur);
      cur.clear();
      have = false;
    } else {
      cur += c;
    }
  }
  if (have || !cur.empty()) args.push_back(cur);
  return args;
}

}  // namespace blindspot_testing
