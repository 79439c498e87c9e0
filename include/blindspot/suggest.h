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

// Up to `limit` candidates close to `word`, for ids that are often mistyped in
// more than one way (knowledge-base product ids): the candidates within
// `max_distance` (default as in ClosestMatch) nearest first, ties in candidate
// order; when none is that close, the candidates that hold every
// '-'-separated part of `word` as one of their own parts ("whatsapp" and
// "whatsapp-chat" -> "whatsapp-click-to-chat"), in candidate order. Case is
// ignored; a candidate equal to `word` is never suggested.
std::vector<std::string> ClosestMatches(std::string_view word,
                                        const std::vector<std::string_view>& candidates, size_t limit,
                                        size_t max_distance = 0);

// "did you mean 'a'?", "did you mean 'a' or 'b'?", "did you mean 'a', 'b' or
// 'c'?" from ClosestMatches(word, candidates, limit); "" when nothing is close.
std::string DidYouMeanOneOf(std::string_view word, const std::vector<std::string_view>& candidates,
                            size_t limit = 3);

}  // namespace blindspot
