// "Did you mean ...?" helpers used for error hints (unknown keys, dangling ids,
// unknown taxonomy keys). Pure functions; thread-safe.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blindspot {

// Levenshtein distance (insert/delete/substitute, each cost 1) over bytes.
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` by EditDistance, if it is within
// `max_distance` (default: max(2, word.size() / 3)). Ties go to the earlier
// candidate. Case is ignored when comparing.
std::optional<std::string> ClosestMatch(std::string_view word,
                                        const std::vector<std::string_view>& candidates,
                                        size_t max_distance = 0);

// "did you mean 'x'?" or "" when nothing is close.
std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace blindspot
