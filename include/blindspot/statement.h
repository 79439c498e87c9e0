// A privacy statement as a structured value: sections by heading, paragraphs,
// the detected language. Parsed from Markdown, plain text or HTML (gumbo); no
// I/O. The audit (BS043-BS047, docs/transparency.md) matches it against the
// register and the evidence.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace blindspot {

struct StatementSection {
  std::string heading;  // "" for the text before the first heading
  int level = 0;        // 1-6 for headings, 0 for the leading text
  std::vector<std::string> paragraphs;
};

struct Statement {
  std::string name;  // where it came from: the file's base name, or "<phase>/text/NNN.txt" of a bundle
  std::string lang;  // detected: "en", "nl", "de", "fr", or "" when the text says too little
  // The audience language when known (register organisation country, the scan's
  // page language); "" = unknown. Set by the application layer.
  std::string audience_lang;
  std::string audience_from;  // what told the audience language: "register", "scan"
  std::vector<StatementSection> sections;
};

enum class StatementFormat { kAuto, kMarkdown, kText, kHtml };

// Parses a statement. kAuto: HTML when the text starts (after blanks) with '<',
// else Markdown (plain text is Markdown without headings). Never fails: a
// statement without headings is one section of paragraphs.
Statement ParseStatement(std::string_view text, std::string name,
                         StatementFormat format = StatementFormat::kAuto);

// A stop-word guess of the language of `text` among nl, en, de and fr; "" when
// fewer than 20 stop words were found or no language leads clearly.
std::string GuessLanguage(std::string_view text);

// Lower-case (ASCII and the Latin-1 letters of nl/de/fr in UTF-8) copy of `s`.
std::string FoldCase(std::string_view s);

}  // namespace blindspot
