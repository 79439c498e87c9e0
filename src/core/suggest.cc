#include "blindspot/suggest.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace blindspot {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

namespace {
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The non-empty '-'-separated parts of `s`.
std::vector<std::string_view> Parts(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t b = 0; b <= s.size();) {
    size_t e = s.find('-', b);
    if (e == std::string_view::npos) e = s.size();
    if (e > b) out.push_back(s.substr(b, e - b));
    b = e + 1;
  }
  return out;
}
}  // namespace

std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string_view>& candidates,
                                        size_t max_distance) {
  if (max_distance == 0) max_distance = std::max<size_t>(2, word.size() / 3);
  std::string w = Lower(word);
  std::optional<std::string> best;
  size_t best_d = max_distance + 1;
  for (auto c : candidates) {
    // Cheap bound: the length difference is a lower bound of the distance.
    size_t diff = c.size() > w.size() ? c.size() - w.size() : w.size() - c.size();
    if (diff >= best_d) continue;
    size_t d = EditDistance(w, Lower(c));
    if (d < best_d) {
      best_d = d;
      best = std::string(c);
    }
  }
  return best;
}

std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
  auto m = ClosestMatch(word, candidates);
  if (!m || *m == word) return "";
  return "did you mean '" + *m + "'?";
}

std::vector<std::string> ClosestMatches(std::string_view word,
                                        const std::vector<std::string_view>& candidates, size_t limit,
                                        size_t max_distance) {
  std::vector<std::string> out;
  if (limit == 0) return out;
  if (max_distance == 0) max_distance = std::max<size_t>(2, word.size() / 3);
  const std::string w = Lower(word);
  std::vector<std::pair<size_t, size_t>> near;  // (distance, candidate index)
  for (size_t i = 0; i < candidates.size(); ++i) {
    std::string_view c = candidates[i];
    if (c == word) continue;
    size_t diff = c.size() > w.size() ? c.size() - w.size() : w.size() - c.size();
    if (diff > max_distance) continue;
    size_t d = EditDistance(w, Lower(c));
    if (d <= max_distance) near.emplace_back(d, i);
  }
  std::stable_sort(near.begin(), near.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [d, i] : near) {
    if (out.size() == limit) break;
    out.emplace_back(candidates[i]);
  }
  if (!out.empty()) return out;
  const std::vector<std::string_view> want = Parts(w);
  if (want.empty()) return out;
  for (std::string_view c : candidates) {
    if (out.size() == limit) break;
    if (c == word) continue;
    const std::string lc = Lower(c);
    const std::vector<std::string_view> have = Parts(lc);
    bool all = std::all_of(want.begin(), want.end(), [&](std::string_view p) {
      return std::find(have.begin(), have.end(), p) != have.end();
    });
    if (all) out.emplace_back(c);
  }
  return out;
}

std::string DidYouMeanOneOf(std::string_view word, const std::vector<std::string_view>& candidates,
                            size_t limit) {
  std::vector<std::string> m = ClosestMatches(word, candidates, limit);
  if (m.empty()) return "";
  std::string out = "did you mean ";
  for (size_t i = 0; i < m.size(); ++i) {
    if (i > 0) out += i + 1 == m.size() ? " or " : ", ";
    out += "'" + m[i] + "'";
  }
  return out + "?";
}

}  // namespace blindspot
