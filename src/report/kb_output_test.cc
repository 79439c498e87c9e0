// The `kb` text output: labels aligned to the longest label of the language
// (never touching their value), lines wrapped, categories in the language.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "blindspot/app.h"
#include "blindspot/catalog.h"
#include "blindspot/report.h"
#include "blindspot/text_ids.h"

namespace blindspot {
namespace {

size_t Columns(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string KbText(const Kb& kb, const std::string& id, const std::string& lang) {
  OutputInput in;
  in.kb = &kb;
  in.kb_entry = id;
  in.options.lang = lang;
  auto r = FindOutputFormat(OutputSubject::kKb, "text")->render(in);
  EXPECT_TRUE(r.has_value());
  return r ? *r : std::string();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

const Kb& BuiltinKb() {
  static auto index = app::LoadKbIndex(app::Options{});
  EXPECT_TRUE(index.has_value());
  return (*index)->kb();
}

TEST(KbText, LabelsAlignToTheLongestLabelOfTheLanguage) {
  const TextCatalog& cat = TextCatalog::Builtin();
  const MessageId labels[] = {
      ui::vendor,   ui::col_category,   ui::kb_request,         ui::kb_cookies, ui::kb_first_party_cookies,
      ui::kb_links, ui::kb_data_signal, ui::kb_data_categories, ui::claim_role, ui::claim_consent};
  for (const char* lang : {"en", "nl", "de"}) {
    SCOPED_TRACE(lang);
    size_t longest = 0;
    for (MessageId id : labels) longest = std::max(longest, Columns(cat.Ui(lang, id)));
    const size_t value_col = 2 + longest + 2;  // indent, label, ':', at least one space
    std::string text = KbText(BuiltinKb(), "meta-pixel", lang);
    size_t labelled = 0;
    for (const std::string& line : Lines(text)) {
      for (MessageId id : labels) {
        const std::string& label = cat.Ui(lang, id);
        // Labels start with a capital letter in every language.
        EXPECT_TRUE(std::isupper(static_cast<unsigned char>(label[0]))) << label;
        if (!line.starts_with("  " + label + ":")) continue;
        ++labelled;
        std::string_view rest = std::string_view(line).substr(2 + label.size() + 1);
        size_t spaces = rest.find_first_not_of(' ');
        EXPECT_GE(spaces, 1u) << line;  // "Rol van de leverancier:gezamenlijke" was the bug
        EXPECT_EQ(Columns(line.substr(0, 2 + label.size() + 1)) + spaces, value_col) << line;
      }
    }
    EXPECT_GE(labelled, 9u) << text;
  }
}

TEST(KbText, EveryEntryWrapsAtOneHundredColumns) {
  for (const KbEntry& e : BuiltinKb().entries()) {
    for (const char* lang : {"en", "nl", "de"}) {
      for (const std::string& line : Lines(KbText(BuiltinKb(), e.id, lang))) {
        if (line.starts_with(e.id + "  ")) continue;  // the header row is a table row
        std::string_view words = line;
        words.remove_prefix(std::min(words.size(), words.find_first_not_of(' ')));
        if (words.starts_with("- ")) words.remove_prefix(2);
        bool one_word = words.find(' ') == std::string_view::npos;  // a long URL
        EXPECT_TRUE(Columns(line) <= 100 || one_word) << e.id << " " << lang << ": " << line;
      }
    }
  }
}

TEST(KbText, ListShowsCategoriesInTheLanguage) {
  const TextCatalog& cat = TextCatalog::Builtin();
  std::string de = KbText(BuiltinKb(), "", "de");
  std::string call = cat.Term("de", "kb_category", "call-tracking");
  ASSERT_NE(call, "call-tracking");
  EXPECT_NE(de.find("\ncallrail "), std::string::npos);
  std::string row = de.substr(de.find("\ncallrail ") + 1);
  row = row.substr(0, row.find('\n'));
  EXPECT_NE(row.find("  " + call + "  "), std::string::npos) << row;
  EXPECT_EQ(de.find(" call-tracking "), std::string::npos);
  std::string one = KbText(BuiltinKb(), "meta-pixel", "nl");
  EXPECT_TRUE(
      one.starts_with("meta-pixel  " + cat.Term("nl", "kb_category", "advertising-pixel") + "  Meta Pixel"))
      << one.substr(0, 200);
}

}  // namespace
}  // namespace blindspot
