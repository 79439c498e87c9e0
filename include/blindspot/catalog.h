// The text catalogue: every text a report shows, by language, loaded from
// data files (compiled into the binary):
//   data/i18n/<lang>.yaml  one file per language: its name, the UI strings
//                          (ui.<key>) and the labels of vocabulary values
//                          (terms.<vocabulary>.<value>). A new file is a new
//                          language; no C++ change.
//   data/vocab.yaml        the vocabularies (channels, kb categories, lawful
//                          bases, ...): the allowed values, in order.
//   data/rules/<id>.yaml   per audit rule: severity, applicability, title,
//                          explanation, remediation (per language), the ids of
//                          its sources, and its finding messages.
//   data/sources.yaml      the shared catalogue of sources (laws, rulings,
//                          guidelines, decisions, vendor documents);
//   data/sources/*.yaml    more of the same catalogue, one file per group of
//                          vendors (ids are unique across all files).
// Message templates use placeholders: "{name}", "{n, plural, one {# page}
// other {# pages}}", "{kind, select, cookie {...} other {...}}" (docs/texts.md).
// The build checks all of it (tools/gen_text_ids): syntax, that every language
// uses only placeholders the English text has, source ids, vocabulary labels;
// and it generates the message-id constants (blindspot/text_ids.h), so a
// misspelt message id is a compile error.
//
// A TextCatalog is immutable after loading; one instance may be shared by any
// number of threads.
#pragma once
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "blindspot/error.h"
#include "blindspot/finding.h"
#include "blindspot/text.h"

namespace blindspot {

struct Language {
  std::string code;  // "en", "nl", "de"
  std::string name;  // in the language itself: "English", "Nederlands", "Deutsch"
};

// The metadata of an audit rule (data/rules/<id>.yaml). The check is C++.
struct RuleMeta {
  std::string id;  // "BS001-blind-spot"
  Severity severity = Severity::kMedium;
  std::vector<SubjectKind> applies_to;  // what its findings are about
  std::vector<std::string> needs;       // "register", "evidence"
  // The verdict check its findings count under (vocabulary verdict_check,
  // docs/verdicts.md); empty: "other".
  std::string check;
  LocalizedText title;
  LocalizedText explanation;  // what it checks and why
  LocalizedText remediation;
  // The one thing to do about the rule's findings of one subject, with {subject}
  // (the action list, docs/actions.md); also the message "<id>.action".
  LocalizedText action;
  std::vector<Source> sources;  // at least one
};

class TextCatalog {
 public:
  // The catalogue compiled into the binary, loaded once on first use
  // (thread-safe). If the embedded data does not load (a build defect),
  // load_errors() says why and lookups fall back to ids.
  static const TextCatalog& Builtin();

  // Builds a catalogue from (path relative to data/, text) pairs:
  // "i18n/en.yaml", "vocab.yaml", "rules/BS001-blind-spot.yaml",
  // "sources.yaml", "sources/<group>.yaml". Every problem is reported with file:line:col. The texts
  // are only read during the call.
  static std::expected<TextCatalog, Diagnostics> FromFiles(
      const std::vector<std::pair<std::string, std::string_view>>& files);

  // True for "sources.yaml" and "sources/*.yaml": the files of the source catalogue.
  static bool IsSourcesFile(std::string_view path);

  const Diagnostics& load_errors() const { return load_errors_; }

  // Languages with a data/i18n file, English first, then by code.
  const std::vector<Language>& languages() const { return languages_; }
  bool HasLanguage(std::string_view code) const;
  std::vector<std::string_view> LanguageCodes() const;

  // The raw text of a message in `lang` (falling back to English), or nullptr
  // for an unknown id. Ids: "ui.<key>", "<rule id>.<name>".
  const std::string* Template(std::string_view lang, std::string_view id) const;
  // A UI string without placeholders; the id itself when unknown.
  const std::string& Ui(std::string_view lang, MessageId id) const;
  // Renders a message in `lang`. Unknown ids render as the id; a placeholder
  // without argument renders as "{name}" (tests check none remain).
  std::string Render(const Message& m, std::string_view lang) const;
  std::string Render(MessageId id, std::string_view lang) const { return Render(Message(id), lang); }

  // The label of a vocabulary value in `lang` (falling back to English), or
  // the value itself when it has no label.
  std::string Term(std::string_view lang, std::string_view vocab, std::string_view value) const;
  // The values of a vocabulary (data/vocab.yaml), in order; empty if unknown.
  const std::vector<std::string>& Vocabulary(std::string_view vocab) const;
  bool InVocabulary(std::string_view vocab, std::string_view value) const;

  const std::vector<Source>& sources() const { return sources_; }
  const Source* FindSource(std::string_view id) const;

  // Rules sorted by id.
  const std::vector<RuleMeta>& rules() const { return rules_; }
  const RuleMeta* FindRule(std::string_view id) const;

  // All message ids with their English template (for the generator and tests).
  std::vector<std::pair<std::string, std::string>> AllMessages() const;

  struct ParsedTemplate;  // a parsed message template (src/text/message_format.h)

 private:
  friend struct CatalogLoader;
  void AppendRendered(std::string& out, const Message& m, std::string_view lang, int depth) const;

  std::vector<Language> languages_;
  // id -> (lang -> parsed template)
  std::unordered_map<std::string, std::vector<std::pair<std::string, std::shared_ptr<const ParsedTemplate>>>>
      messages_;
  std::unordered_map<std::string, std::vector<std::string>> vocabularies_;
  // "vocab\x1fvalue" -> labels
  std::unordered_map<std::string, LocalizedText> terms_;
  std::vector<Source> sources_;
  std::unordered_map<std::string, size_t> source_index_;
  std::vector<RuleMeta> rules_;
  Diagnostics load_errors_;
};

}  // namespace blindspot
