// Internal to bs_audit: the term lists of data/statement_terms.yaml and the
// matching of a privacy statement (blindspot/statement.h) against them, shared
// by the transparency rules BS043-BS047 (docs/transparency.md). Pure.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"
#include "blindspot/statement.h"

namespace blindspot {
struct AuditContext;
struct ReconciledTouchpoint;
}  // namespace blindspot

namespace blindspot::audit {

// Terms per language code, folded (FoldCase).
using TermLists = std::map<std::string, std::vector<std::string>>;

struct StatementElementSpec {
  std::string id;                    // a statement_element vocabulary value
  std::string when;                  // always | dpo | legitimate_interests | transfer | consent
  std::vector<std::string> sources;  // source ids (data/sources.yaml)
  TermLists section;
  TermLists terms;
};
struct ContradictionSpec {
  std::string id;    // a statement_contradiction vocabulary value
  std::string when;  // tracking | third_parties | eu_only
  std::vector<std::string> sources;
  TermLists terms;
  TermLists unless;
};
struct StatementTerms {
  std::vector<StatementElementSpec> elements;
  std::map<std::string, std::vector<std::string>> aliases;  // kb id -> names (as written)
  std::vector<ContradictionSpec> contradictions;
  TermLists consent_terms;
  std::map<std::string, std::string> country_languages;  // ISO2 -> language code

  // data/statement_terms.yaml compiled in; parsed once (a defect in it is a
  // build-time defect the unit tests catch: Builtin() then has no elements).
  static const StatementTerms& Builtin();
  static Result<StatementTerms> Parse(std::string_view yaml, const std::string& file);
};

// `term` (folded) occurs in `folded` starting at a word start (a term that
// starts with a letter is not matched inside a word: "object" not in "subobject").
bool ContainsTerm(std::string_view folded, std::string_view term);
// Any term of any language.
bool ContainsAny(std::string_view folded, const TermLists& terms);

// A statement with its folded text, for repeated matching.
class StatementText {
 public:
  explicit StatementText(const Statement& st);
  const Statement& statement() const { return st_; }
  const std::string& folded() const { return all_; }
  // The heading of the first section whose heading holds a term (any language), or nullptr.
  const StatementSection* SectionFor(const TermLists& section_terms) const;
  // Whether any of `names` (case-insensitive, word start and word end) occurs.
  bool NamesAny(const std::vector<std::string>& names) const;

  struct Sentence {
    const StatementSection* section;
    std::string text;  // as written
  };
  // Sentences holding a term of `terms` and none of `unless`.
  std::vector<Sentence> SentencesWith(const TermLists& terms, const TermLists& unless) const;

 private:
  const Statement& st_;
  std::string all_;
  std::vector<std::string> headings_;  // folded, per section
};

// What the register and the evidence say that a statement must reflect.
struct StatementFacts {
  bool dpo = false;                        // the register names a DPO
  bool legitimate_interests = false;       // a purpose or touchpoint relies on Art. 6(1)(f)
  bool consent = false;                    // a purpose relies on consent, or a seen product needs it
  std::vector<std::string> tracking;       // seen products that need consent, unidentified trackers
  std::vector<std::string> third_parties;  // seen products, registered processors
  std::vector<std::string>
      outside_eea;  // recorded transfers, processors and seen products' vendors outside the EEA
};
StatementFacts FactsOf(const AuditContext& ctx);

// The names a statement may use for a touchpoint row's product or vendor.
std::vector<std::string> VendorNames(const AuditContext& ctx, const ReconciledTouchpoint& row);

// `s` cut to at most `max` bytes on a UTF-8 boundary, with "..." when cut.
std::string Excerpt(std::string_view s, size_t max);

}  // namespace blindspot::audit
