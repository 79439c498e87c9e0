#include "detect/sensitive_terms.h"

#include <algorithm>

#include "blindspot/embedded.h"
#include "input/yaml_doc.h"

namespace blindspot::detect_internal {

namespace {

bool Keep(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80; }

}  // namespace

void SensitiveTerms::Normalise(std::string_view text, std::string* out) {
  out->clear();
  bool space = true;  // no leading space
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if (Keep(c)) {
      out->push_back(static_cast<char>(c));
      space = false;
    } else if (!space) {
      out->push_back(' ');
      space = true;
    }
  }
  if (!out->empty() && out->back() == ' ') out->pop_back();
}

std::optional<SensitiveTerms> SensitiveTerms::Parse(std::string_view yaml, std::string* error) {
  namespace y = input::yaml;
  y::ParseError pe;
  auto doc = y::Document::Parse(yaml, &pe);
  auto fail = [&](std::string what) {
    if (error) *error = std::move(what);
    return std::nullopt;
  };
  if (!doc) return fail("not YAML: " + pe.message);
  y::Node groups = doc->root()["groups"];
  if (!groups.IsSequence() || groups.size() == 0) return fail("'groups' must be a non-empty list");
  SensitiveTerms out;
  std::string norm;
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    y::Node g = groups[gi];
    Group group;
    group.category = std::string(g["category"].Scalar());
    if (group.category.empty()) return fail("groups[" + std::to_string(gi) + "] has no category");
    for (const y::Node& s : g["sources"]) group.sources.emplace_back(s.Scalar());
    if (group.sources.empty()) return fail("groups[" + std::to_string(gi) + "] cites no source");
    y::Node terms = g["terms"];
    if (!terms.IsMap()) return fail("groups[" + std::to_string(gi) + "].terms must map languages to lists");
    for (const auto& lang : terms)
      for (const y::Node& t : lang.second) {
        Normalise(t.Scalar(), &norm);
        if (norm.empty() || norm != t.Scalar())
          return fail("term '" + std::string(t.Scalar()) +
                      "' is not lower case words separated by one space");
        if (std::find(group.terms.begin(), group.terms.end(), norm) == group.terms.end())
          group.terms.push_back(norm);
      }
    if (group.terms.empty()) return fail("groups[" + std::to_string(gi) + "] has no terms");
    out.groups_.push_back(std::move(group));
  }
  for (size_t gi = 0; gi < out.groups_.size(); ++gi)
    for (const std::string& t : out.groups_[gi].terms) {
      std::string first = t.substr(0, t.find(' '));
      out.by_first_word_[first].push_back({t, gi});
    }
  for (auto& [first, list] : out.by_first_word_)
    std::stable_sort(list.begin(), list.end(),
                     [](const Candidate& a, const Candidate& b) { return a.term.size() > b.term.size(); });
  return out;
}

const SensitiveTerms& SensitiveTerms::Builtin() {
  static const SensitiveTerms kTerms = [] {
    for (size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i)
      if (std::string_view(kDataFiles[i].path) == "sensitive_terms.yaml") {
        std::string error;
        if (auto t = Parse(kDataFiles[i].data, &error)) return std::move(*t);
      }
    return SensitiveTerms();
  }();
  return kTerms;
}

std::optional<SensitiveTerms::Match> SensitiveTerms::Find(std::string_view text, std::string* scratch) const {
  if (by_first_word_.empty()) return std::nullopt;
  Normalise(text, scratch);
  std::string_view s = *scratch;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find(' ', pos);
    if (end == std::string_view::npos) end = s.size();
    auto it = by_first_word_.find(s.substr(pos, end - pos));
    if (it != by_first_word_.end())
      for (const Candidate& c : it->second) {
        size_t after = pos + c.term.size();
        if (after <= s.size() && s.compare(pos, c.term.size(), c.term) == 0 &&
            (after == s.size() || s[after] == ' '))
          return Match{c.term, groups_[c.group].category};
      }
    pos = end + 1;
  }
  return std::nullopt;
}

}  // namespace blindspot::detect_internal
