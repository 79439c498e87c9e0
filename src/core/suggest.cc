#include "blindspot/suggest.h"

#include <algorithm>
#include <cctype>

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

}  // namespace blindspot
