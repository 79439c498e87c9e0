// The curated list of terms that reveal a special category of personal data
// (Art. 9(1) GDPR), data/sensitive_terms.yaml, and the whole-word matcher the
// detector runs over the decoded parameter values of third-party requests
// (carried.cc; rule BS040). Internal to bs_detect (and its tests).
//
// Thread-safety: immutable after Parse; Builtin() is parsed once per process.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace blindspot::detect_internal {

class SensitiveTerms {
 public:
  struct Group {
    std::string category;              // a value of the sensitive_category vocabulary
    std::vector<std::string> sources;  // source ids
    std::vector<std::string> terms;    // normalised (see Normalise)
  };
  struct Match {
    std::string_view term;      // as normalised, e.g. "hiv test"
    std::string_view category;  // "health"
  };

  // The list compiled into the binary (data/sensitive_terms.yaml). A broken
  // file is a build defect: the unit tests parse it; here it gives no terms.
  static const SensitiveTerms& Builtin();
  // Parses the YAML text; nullopt with *error set when it does not follow
  // docs/sensitive-terms.md.
  static std::optional<SensitiveTerms> Parse(std::string_view yaml, std::string* error);

  // Lower-cases ASCII letters, keeps digits and non-ASCII bytes (UTF-8
  // letters such as ö), and turns every other character into one space.
  static void Normalise(std::string_view text, std::string* out);

  // The first term found in `text` as whole words (after Normalise).
  // `scratch` is reused between calls.
  std::optional<Match> Find(std::string_view text, std::string* scratch) const;

  const std::vector<Group>& groups() const { return groups_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  struct Candidate {
    std::string term;  // the whole normalised term
    size_t group;
  };
  std::vector<Group> groups_;
  // First word of a term -> the terms that start with it, longest first.
  std::unordered_map<std::string, std::vector<Candidate>, Hash, std::equal_to<>> by_first_word_;
};

}  // namespace blindspot::detect_internal
