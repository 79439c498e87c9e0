// Texts keyed by language, cited sources, and messages that are rendered in a
// language only when shown.
//
// Every text a user reads lives in data/ (data/i18n/<lang>.yaml for the UI
// and vocabulary labels, data/rules/*.yaml for rule texts and finding
// messages, data/kb/*.yaml for knowledge-base texts, data/sources.yaml for the
// titles of laws, rulings and vendor documents). A language is a data file:
// adding one needs no C++ change. English ("en") is the reference language:
// every text has it, and a text missing in another language falls back to it.
//
// A Finding carries a Message (an id plus named arguments), not finished
// sentences, so a stored result can be shown in any language later; the
// TextCatalog (blindspot/catalog.h) renders it.
// Thread-safety: plain values; const access from many threads is safe.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace blindspot {

// The reference language: every text exists in it.
inline constexpr std::string_view kBaseLanguage = "en";

// One text in several languages: (language code, text) pairs.
class LocalizedText {
 public:
  LocalizedText() = default;
  LocalizedText(std::initializer_list<std::pair<std::string, std::string>> texts);

  // Sets (or replaces) the text of `lang`.
  void Set(std::string_view lang, std::string text);
  // The text of exactly `lang`, or nullptr.
  const std::string* Find(std::string_view lang) const;
  // The text of `lang`, else the English one (then *fell_back is set when
  // given), else an empty string.
  const std::string& Get(std::string_view lang, bool* fell_back = nullptr) const;
  bool empty() const { return texts_.empty(); }
  const std::vector<std::pair<std::string, std::string>>& entries() const { return texts_; }
  bool operator==(const LocalizedText&) const = default;

 private:
  std::vector<std::pair<std::string, std::string>> texts_;
};

// What a cited source is (data/sources.yaml `kind`).
enum class SourceKind { kLaw, kRuling, kGuideline, kDecision, kReference, kVendor };
std::string_view ToString(SourceKind);

// A law, article, ruling, guideline, decision, reference list or vendor
// document, defined once in data/sources.yaml and cited by id.
struct Source {
  std::string id;  // e.g. "gdpr-art-30-1", "cjeu-c-673-17-planet49", "meta-controller-addendum"
  SourceKind kind = SourceKind::kVendor;
  std::string url;      // https
  LocalizedText title;  // citation title per language (a vendor document keeps its own title)
  const std::string& Title(std::string_view lang) const { return title.Get(lang); }
  bool operator==(const Source&) const = default;
};

// ---- messages ---------------------------------------------------------------

struct Message;

enum class ArgKind {
  kText,     // shown as is (names, ids, URLs, user text)
  kNumber,   // an integer; selects plural forms
  kTerm,     // a vocabulary value, shown with its label in the report language
  kList,     // items, each rendered, joined with ", "
  kMessage,  // a nested message rendered in the same language
};

struct MessageArg {
  std::string name;  // placeholder name; empty for list items
  ArgKind kind = ArgKind::kText;
  std::string text;   // kText: the text; kTerm: the value ("consent")
  std::string vocab;  // kTerm: the vocabulary ("lawful_basis")
  int64_t number = 0;
  std::vector<MessageArg> items;  // kList
  std::vector<Message> message;   // kMessage: exactly one
  bool operator==(const MessageArg&) const;
};

// A message id as generated from data files (build/generated/blindspot/text_ids.h):
// ui::report_title, msg::BS004::purpose_no_basis, ... A misspelt id does not compile.
struct MessageId {
  std::string_view id;
};

struct Message {
  std::string id;  // "ui.<key>" or "<rule id>.<name>"
  std::vector<MessageArg> args;

  Message() = default;
  explicit Message(MessageId mid) : id(mid.id) {}
  bool empty() const { return id.empty(); }
  // Builders: Message(msg::BS004::purpose_no_basis).Text("purpose", p).Text("activity", a).
  Message& Text(std::string_view name, std::string value);
  Message& Number(std::string_view name, int64_t value);
  Message& Term(std::string_view name, std::string_view vocab, std::string_view value);
  Message& List(std::string_view name, std::vector<MessageArg> items);
  Message& Sub(std::string_view name, Message value);
  // The argument called `name`, or nullptr.
  const MessageArg* Arg(std::string_view name) const;
  bool operator==(const Message&) const;
};

// List items.
MessageArg TextItem(std::string value);
MessageArg TermItem(std::string_view vocab, std::string_view value);
MessageArg MessageItem(Message value);

}  // namespace blindspot
