#include "blindspot/text.h"

namespace blindspot {

LocalizedText::LocalizedText(std::initializer_list<std::pair<std::string, std::string>> texts) {
  for (const auto& [lang, text] : texts) Set(lang, text);
}

void LocalizedText::Set(std::string_view lang, std::string text) {
  for (auto& [l, t] : texts_) {
    if (l == lang) {
      t = std::move(text);
      return;
    }
  }
  texts_.emplace_back(std::string(lang), std::move(text));
}

const std::string* LocalizedText::Find(std::string_view lang) const {
  for (const auto& [l, t] : texts_)
    if (l == lang) return &t;
  return nullptr;
}

const std::string& LocalizedText::Get(std::string_view lang, bool* fell_back) const {
  if (const std::string* t = Find(lang)) return *t;
  static const std::string kEmpty;
  const std::string* en = Find(kBaseLanguage);
  if (!en) return kEmpty;
  if (fell_back) *fell_back = true;
  return *en;
}

std::string_view ToString(SourceKind k) {
  switch (k) {
    case SourceKind::kLaw:
      return "law";
    case SourceKind::kRuling:
      return "ruling";
    case SourceKind::kGuideline:
      return "guideline";
    case SourceKind::kDecision:
      return "decision";
    case SourceKind::kReference:
      return "reference";
    case SourceKind::kVendor:
      return "vendor";
  }
  return "vendor";
}

bool MessageArg::operator==(const MessageArg& o) const {
  return name == o.name && kind == o.kind && text == o.text && vocab == o.vocab && number == o.number &&
         items == o.items && message == o.message;
}

bool Message::operator==(const Message& o) const { return id == o.id && args == o.args; }

Message& Message::Text(std::string_view name, std::string value) {
  MessageArg a;
  a.name = std::string(name);
  a.kind = ArgKind::kText;
  a.text = std::move(value);
  args.push_back(std::move(a));
  return *this;
}

Message& Message::Number(std::string_view name, int64_t value) {
  MessageArg a;
  a.name = std::string(name);
  a.kind = ArgKind::kNumber;
  a.number = value;
  args.push_back(std::move(a));
  return *this;
}

Message& Message::Term(std::string_view name, std::string_view vocab, std::string_view value) {
  MessageArg a = TermItem(vocab, value);
  a.name = std::string(name);
  args.push_back(std::move(a));
  return *this;
}

Message& Message::List(std::string_view name, std::vector<MessageArg> items) {
  MessageArg a;
  a.name = std::string(name);
  a.kind = ArgKind::kList;
  a.items = std::move(items);
  args.push_back(std::move(a));
  return *this;
}

Message& Message::Sub(std::string_view name, Message value) {
  MessageArg a = MessageItem(std::move(value));
  a.name = std::string(name);
  args.push_back(std::move(a));
  return *this;
}

const MessageArg* Message::Arg(std::string_view name) const {
  for (const MessageArg& a : args)
    if (a.name == name) return &a;
  return nullptr;
}

MessageArg TextItem(std::string value) {
  MessageArg a;
  a.kind = ArgKind::kText;
  a.text = std::move(value);
  return a;
}

MessageArg TermItem(std::string_view vocab, std::string_view value) {
  MessageArg a;
  a.kind = ArgKind::kTerm;
  a.vocab = std::string(vocab);
  a.text = std::string(value);
  return a;
}

MessageArg MessageItem(Message value) {
  MessageArg a;
  a.kind = ArgKind::kMessage;
  a.message.push_back(std::move(value));
  return a;
}

}  // namespace blindspot
