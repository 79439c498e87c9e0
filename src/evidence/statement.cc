// ParseStatement: a privacy statement (Markdown, plain text or HTML) as
// sections by heading and paragraphs; GuessLanguage: stop words of nl, en, de
// and fr counted. Pure: text in, value out.
#include "blindspot/statement.h"

#include <gumbo.h>

#include <array>
#include <cctype>
#include <map>
#include <utility>

namespace blindspot {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

// Collapses runs of blanks into one space.
std::string Squeeze(std::string_view s) {
  std::string out;
  bool blank = false;
  for (char c : Trim(s)) {
    if (IsBlank(c)) {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

// Markdown emphasis and attribute lists are dropped from a heading:
// "### **How we use cookies**" -> "How we use cookies", "Contact {: #contact }" -> "Contact".
std::string CleanHeading(std::string_view h) {
  if (size_t attr = h.find("{:"); attr != std::string_view::npos) h = h.substr(0, attr);
  std::string out;
  for (char c : h)
    if (c != '*' && c != '_' && c != '#') out += c;
  return Squeeze(out);
}

void AddParagraph(Statement& st, std::string& para) {
  std::string p = Squeeze(para);
  para.clear();
  if (p.empty()) return;
  if (st.sections.empty()) st.sections.push_back({});
  st.sections.back().paragraphs.push_back(std::move(p));
}

void ParseMarkdown(std::string_view text, Statement& st) {
  std::string para;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    std::string_view t = Trim(line);
    int level = 0;
    while (level < static_cast<int>(t.size()) && t[level] == '#') ++level;
    if (level >= 1 && level <= 6 && level < static_cast<int>(t.size()) && t[level] == ' ') {
      AddParagraph(st, para);
      st.sections.push_back({CleanHeading(t.substr(level)), level, {}});
    } else if (t.empty()) {
      AddParagraph(st, para);
    } else {
      if (!para.empty()) para += ' ';
      para += t;
    }
    if (nl == text.size()) break;
  }
  AddParagraph(st, para);
}

// The text of a node, blanks squeezed later.
void NodeText(const GumboNode* node, std::string& out, size_t depth) {
  if (depth > 200) return;
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
      node->type == GUMBO_NODE_CDATA) {
    out += node->v.text.text;
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT) return;
  GumboTag tag = node->v.element.tag;
  if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_NOSCRIPT) return;
  const GumboVector& ch = node->v.element.children;
  for (unsigned i = 0; i < ch.length; ++i) {
    NodeText(static_cast<const GumboNode*>(ch.data[i]), out, depth + 1);
    out += ' ';
  }
}

int HeadingLevel(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_H1:
      return 1;
    case GUMBO_TAG_H2:
      return 2;
    case GUMBO_TAG_H3:
      return 3;
    case GUMBO_TAG_H4:
      return 4;
    case GUMBO_TAG_H5:
      return 5;
    case GUMBO_TAG_H6:
      return 6;
    default:
      return 0;
  }
}

bool IsBlock(GumboTag tag) {
  return tag == GUMBO_TAG_P || tag == GUMBO_TAG_LI || tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH ||
         tag == GUMBO_TAG_DT || tag == GUMBO_TAG_DD || tag == GUMBO_TAG_BLOCKQUOTE || tag == GUMBO_TAG_PRE;
}

void WalkHtml(const GumboNode* node, Statement& st, std::string& loose, size_t depth) {
  if (depth > 200) return;
  if (node->type == GUMBO_NODE_TEXT) {
    loose += node->v.text.text;
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT) return;
  GumboTag tag = node->v.element.tag;
  if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_NOSCRIPT || tag == GUMBO_TAG_HEAD)
    return;
  if (int level = HeadingLevel(tag)) {
    AddParagraph(st, loose);
    std::string h;
    NodeText(node, h, depth);
    st.sections.push_back({CleanHeading(h), level, {}});
    return;
  }
  if (IsBlock(tag)) {
    AddParagraph(st, loose);
    std::string p;
    NodeText(node, p, depth);
    AddParagraph(st, p);
    return;
  }
  const GumboVector& ch = node->v.element.children;
  for (unsigned i = 0; i < ch.length; ++i) {
    WalkHtml(static_cast<const GumboNode*>(ch.data[i]), st, loose, depth + 1);
    loose += ' ';
  }
  if (tag == GUMBO_TAG_DIV || tag == GUMBO_TAG_SECTION || tag == GUMBO_TAG_BR || tag == GUMBO_TAG_TABLE)
    AddParagraph(st, loose);
}

void ParseHtml(std::string_view text, Statement& st) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  GumboOutput* doc = gumbo_parse_with_options(&options, text.data(), text.size());
  if (!doc) return;
  std::string loose;
  WalkHtml(doc->root, st, loose, 0);
  AddParagraph(st, loose);
  gumbo_destroy_output(&options, doc);
}

// Words of a folded text: runs of letters (ASCII or any byte >= 0x80).
template <typename F>
void ForEachWord(std::string_view s, F&& f) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() &&
           !(std::isalpha(static_cast<unsigned char>(s[i])) || static_cast<unsigned char>(s[i]) >= 0x80))
      ++i;
    size_t b = i;
    while (i < s.size() &&
           (std::isalpha(static_cast<unsigned char>(s[i])) || static_cast<unsigned char>(s[i]) >= 0x80))
      ++i;
    if (i > b) f(s.substr(b, i - b));
  }
}

}  // namespace

std::string FoldCase(std::string_view s) {
  std::string out(s);
  for (size_t i = 0; i < out.size(); ++i) {
    unsigned char c = out[i];
    if (c < 0x80) {
      out[i] = static_cast<char>(std::tolower(c));
    } else if (c == 0xC3 && i + 1 < out.size()) {
      // U+00C0..U+00DE (Latin-1 capitals, except U+00D7 ×) -> +0x20
      unsigned char d = out[i + 1];
      if (d >= 0x80 && d <= 0x9E && d != 0x97) out[i + 1] = static_cast<char>(d + 0x20);
      ++i;
    }
  }
  return out;
}

std::string GuessLanguage(std::string_view text) {
  // Frequent short function words that are not words of the other three.
  static const std::map<std::string_view, std::string_view> kStop = {
      {"the", "en"},  {"and", "en"},    {"of", "en"},   {"to", "en"},     {"we", "en"},   {"you", "en"},
      {"your", "en"}, {"with", "en"},   {"is", "en"},   {"are", "en"},    {"this", "en"}, {"that", "en"},
      {"de", "nl"},   {"het", "nl"},    {"een", "nl"},  {"en", "nl"},     {"van", "nl"},  {"wij", "nl"},
      {"uw", "nl"},   {"niet", "nl"},   {"voor", "nl"}, {"worden", "nl"}, {"zijn", "nl"}, {"deze", "nl"},
      {"der", "de"},  {"dem", "de"},    {"und", "de"},  {"nicht", "de"},  {"wir", "de"},  {"sie", "de"},
      {"ihre", "de"}, {"werden", "de"}, {"mit", "de"},  {"für", "de"},    {"eine", "de"}, {"das", "de"},
      {"le", "fr"},   {"la", "fr"},     {"les", "fr"},  {"et", "fr"},     {"nous", "fr"}, {"vous", "fr"},
      {"des", "fr"},  {"est", "fr"},    {"pour", "fr"}, {"une", "fr"},    {"sont", "fr"}, {"pas", "fr"},
  };
  std::map<std::string_view, size_t> count;
  size_t total = 0;
  std::string folded = FoldCase(text);
  ForEachWord(folded, [&](std::string_view w) {
    auto it = kStop.find(w);
    if (it == kStop.end()) return;
    ++count[it->second];
    ++total;
  });
  if (total < 20) return "";
  std::pair<std::string_view, size_t> best{"", 0}, second{"", 0};
  for (const auto& [lang, n] : count) {
    if (n > best.second) {
      second = best;
      best = {lang, n};
    } else if (n > second.second) {
      second = {lang, n};
    }
  }
  // A clear lead: twice the runner-up (quotes and names in another language are common).
  if (best.second < 2 * second.second) return "";
  return std::string(best.first);
}

Statement ParseStatement(std::string_view text, std::string name, StatementFormat format) {
  Statement st;
  st.name = std::move(name);
  if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
      static_cast<unsigned char>(text[1]) == 0xBB && static_cast<unsigned char>(text[2]) == 0xBF)
    text.remove_prefix(3);
  if (format == StatementFormat::kAuto) {
    std::string_view t = Trim(text);
    format = !t.empty() && t.front() == '<' ? StatementFormat::kHtml : StatementFormat::kMarkdown;
  }
  if (format == StatementFormat::kHtml) {
    ParseHtml(text, st);
  } else {
    ParseMarkdown(text, st);  // plain text: paragraphs without headings
  }
  std::string all;
  for (const StatementSection& s : st.sections) {
    all += s.heading;
    all += '\n';
    for (const std::string& p : s.paragraphs) {
      all += p;
      all += '\n';
    }
  }
  st.lang = GuessLanguage(all);
  return st;
}

}  // namespace blindspot
