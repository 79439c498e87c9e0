// The rule registry (src/audit/rules/registry.cc) against the rule data files
// (data/rules/*.yaml, TextCatalog::Builtin().rules()): every check has its
// metadata and every data file its check; every rule is described, cited and
// translated.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "audit/rule.h"
#include "blindspot/catalog.h"

namespace blindspot {
namespace {

const char* const kLanguages[] = {"en", "nl", "de"};

TEST(RuleRegistry, CatalogueLoadsWithoutErrorsAndHasTheThreeLanguages) {
  const TextCatalog& cat = TextCatalog::Builtin();
  for (const Error& e : cat.load_errors()) ADD_FAILURE() << e.Format();
  for (const char* lang : kLanguages) EXPECT_TRUE(cat.HasLanguage(lang)) << lang;
  ASSERT_FALSE(cat.languages().empty());
  EXPECT_EQ(cat.languages()[0].code, "en");
}

TEST(RuleRegistry, EveryCheckHasMetadataAndEveryMetadataACheck) {
  const TextCatalog& cat = TextCatalog::Builtin();
  std::set<std::string> table_ids;
  for (const audit::RuleEntry& e : audit::RuleTable()) {
    EXPECT_TRUE(table_ids.insert(std::string(e.id)).second) << "listed twice: " << e.id;
    EXPECT_NE(e.check, nullptr) << e.id;
    const RuleMeta* meta = cat.FindRule(e.id);
    EXPECT_NE(meta, nullptr) << "check without data/rules/" << e.id << ".yaml";
  }
  std::set<std::string> data_ids;
  for (const RuleMeta& m : cat.rules()) {
    EXPECT_TRUE(data_ids.insert(m.id).second) << "two data files for " << m.id;
    EXPECT_TRUE(table_ids.count(m.id)) << "data/rules/" << m.id << ".yaml has no check in registry.cc";
  }
  EXPECT_EQ(table_ids, data_ids);
  EXPECT_EQ(table_ids.size(), 56u);
  // AllRules() skips a check without metadata instead of failing: it must lose none.
  EXPECT_EQ(AllRules().size(), audit::RuleTable().size());
  std::set<std::string> all_ids;
  for (const Rule& r : AllRules()) {
    ASSERT_NE(r.meta, nullptr);
    all_ids.insert(r.meta->id);
    // The check AllRules() runs is the one the table lists for that id.
    for (const audit::RuleEntry& e : audit::RuleTable())
      if (e.id == r.meta->id) {
        EXPECT_EQ(e.check, r.check) << e.id;
      }
  }
  EXPECT_EQ(all_ids, table_ids);
}

TEST(RuleRegistry, EveryRuleIsDescribedCitedAndTranslated) {
  for (const RuleMeta& m : TextCatalog::Builtin().rules()) {
    SCOPED_TRACE(m.id);
    // The rule id is "BSnnn-name".
    EXPECT_EQ(m.id.rfind("BS", 0), 0u);
    EXPECT_TRUE(m.id.size() > 6 && m.id[5] == '-') << m.id;
    EXPECT_FALSE(m.applies_to.empty());
    EXPECT_FALSE(m.needs.empty());
    for (const std::string& n : m.needs) EXPECT_TRUE(n == "register" || n == "evidence") << n;
    struct Field {
      const char* name;
      const LocalizedText* text;
    };
    for (const Field& f : {Field{"title", &m.title}, Field{"explanation", &m.explanation},
                           Field{"remediation", &m.remediation}}) {
      for (const char* lang : kLanguages) {
        const std::string* t = f.text->Find(lang);
        ASSERT_NE(t, nullptr) << f.name << " has no " << lang << " text";
        EXPECT_FALSE(t->empty()) << f.name << " " << lang;
        EXPECT_EQ(t->find('{'), std::string::npos) << f.name << " " << lang << ": " << *t;
      }
      EXPECT_NE(*f.text->Find("nl"), *f.text->Find("en")) << f.name << ": Dutch text is the English one";
      EXPECT_NE(*f.text->Find("de"), *f.text->Find("en")) << f.name << ": German text is the English one";
    }
    ASSERT_GE(m.sources.size(), 1u);
    std::set<std::string> source_ids;
    for (const Source& s : m.sources) {
      EXPECT_TRUE(source_ids.insert(s.id).second) << "cited twice: " << s.id;
      EXPECT_FALSE(s.id.empty());
      EXPECT_EQ(s.url.rfind("https://", 0), 0u) << s.id << " " << s.url;
      ASSERT_NE(s.title.Find("en"), nullptr) << s.id;
      EXPECT_FALSE(s.title.Find("en")->empty()) << s.id;
      // Sources are resolved from data/sources.yaml, not copied per rule.
      const Source* shared = TextCatalog::Builtin().FindSource(s.id);
      ASSERT_NE(shared, nullptr) << s.id;
      EXPECT_EQ(*shared, s) << s.id;
    }
  }
}

// Message ids by rule: "<rule id>.<name>" from data/rules/<rule id>.yaml `messages:`.
std::map<std::string, std::vector<std::string>> MessagesByRule() {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [id, en] : TextCatalog::Builtin().AllMessages()) {
    if (id.starts_with("ui.")) continue;
    out[id.substr(0, id.find('.'))].push_back(id);
  }
  return out;
}

TEST(RuleRegistry, EveryRuleHasMessagesInEveryLanguage) {
  const TextCatalog& cat = TextCatalog::Builtin();
  auto by_rule = MessagesByRule();
  for (const RuleMeta& m : cat.rules()) EXPECT_FALSE(by_rule[m.id].empty()) << m.id << " has no messages";
  size_t n = 0;
  for (const auto& [rule, ids] : by_rule) {
    EXPECT_NE(cat.FindRule(rule), nullptr) << "messages of an unknown rule: " << rule;
    for (const std::string& id : ids) {
      ++n;
      const std::string* en = cat.Template("en", id);
      ASSERT_NE(en, nullptr) << id;
      EXPECT_FALSE(en->empty()) << id;
      // Template() falls back to English: a translation is a different text object.
      for (const char* lang : {"nl", "de"}) {
        const std::string* t = cat.Template(lang, id);
        ASSERT_NE(t, nullptr) << id;
        EXPECT_NE(t, en) << id << " has no " << lang << " text";
        EXPECT_FALSE(t->empty()) << id << " " << lang;
      }
    }
  }
  EXPECT_GE(n, 50u);
}

}  // namespace
}  // namespace blindspot
