// TextCatalog: loading data/i18n, data/vocab.yaml, data/rules and
// data/sources.yaml through the shared schema walker, and rendering messages.
#include "blindspot/catalog.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "blindspot/embedded.h"
#include "blindspot/suggest.h"
#include "input/yaml_walker.h"
#include "text/message_format.h"

namespace blindspot {

namespace yaml = input::yaml;
namespace {

using input::Walker;
using text_internal::ParseTemplate;

std::string TermKey(std::string_view vocab, std::string_view value) {
  std::string k(vocab);
  k += '\x1f';
  k += value;
  return k;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace

struct CatalogLoader {
  TextCatalog& cat;
  Diagnostics errors;
  std::vector<std::string> codes;  // known language codes
  // message id -> (lang, text, file, loc) before parsing
  struct RawText {
    std::string lang, text, file;
    Loc loc;
  };
  std::map<std::string, std::vector<RawText>> raw;
  std::map<std::string, std::pair<std::string, Loc>> raw_where;  // id -> (file, loc) of the message
  std::map<std::string, Loc> vocab_locs;  // "vocab.value" -> where data/vocab.yaml defines it
  struct PendingSources {
    std::vector<std::string> ids;
    std::vector<Loc> locs;
    std::string file;
  };

  void Take(Walker& w) {
    for (Error& e : w.TakeErrors()) errors.push_back(std::move(e));
  }

  // A {lang: text} map; languages must have an i18n file.
  LocalizedText Localized(Walker& w, const yaml::Node& n, const std::string& what, const Loc& kl,
                          bool require_en = true, std::vector<std::pair<std::string, Loc>>* locs = nullptr) {
    LocalizedText t;
    std::vector<std::string_view> keys(codes.begin(), codes.end());
    bool have_en = false;
    w.Map(n, keys, "'" + what + "'", kl, [&](std::string_view lang, const yaml::Node& v, Loc l) {
      std::string s = w.NonEmpty(v, what + "." + std::string(lang), l);
      if (lang == kBaseLanguage) have_en = true;
      if (locs) locs->emplace_back(lang, w.LocOf(v, l));
      t.Set(lang, std::move(s));
    });
    if (n.IsMap() && !have_en && require_en)
      w.Err(ErrorKind::kSchema, w.LocOf(n, kl), fmt::format("'{}' has no English text", what),
            "an 'en:' entry (English is the reference language)", "add `en: \"...\"`");
    return t;
  }

  void AddRaw(const std::string& id, const std::string& lang, std::string text, const std::string& file,
              Loc loc) {
    raw[id].push_back({lang, std::move(text), file, loc});
    raw_where.try_emplace(id, file, loc);
  }

  void I18n(const std::string& file, std::string_view text, const std::string& lang) {
    Walker w(text, file);
    auto root = w.Load("a language file (docs/texts.md)");
    if (!root) return Take(w);
    Language language;
    language.code = lang;
    w.Map(*root, {"language", "ui", "terms"}, "the language file", {1, 1},
          [&](std::string_view k, const yaml::Node& v, Loc kl) {
            if (k == "language") {
              language.name = w.NonEmpty(v, "language", kl);
            } else if (k == "ui") {
              if (!v.IsMap()) {
                w.Err(ErrorKind::kSchema, w.LocOf(v, kl), "'ui' must be a map of key: text", "a map");
                return;
              }
              for (auto it = v.begin(); it != v.end(); ++it) {
                std::string key = input::ScalarText(it->first);
                Loc l = w.LocOf(it->first, kl);
                if (!IsIdentifier(key)) {
                  w.Err(ErrorKind::kSchema, l, fmt::format("UI key '{}' is not lower_snake_case", key),
                        "a key of a-z, 0-9 and _", "");
                  continue;
                }
                std::string s = w.NonEmpty(it->second, "ui." + key, l);
                AddRaw("ui." + key, lang, std::move(s), file, w.LocOf(it->second, l));
              }
            } else if (k == "terms") {
              if (!v.IsMap()) {
                w.Err(ErrorKind::kSchema, w.LocOf(v, kl),
                      "'terms' must be a map of vocabulary: {value: label}", "a map");
                return;
              }
              for (auto it = v.begin(); it != v.end(); ++it) {
                std::string vocab = input::ScalarText(it->first);
                Loc vl = w.LocOf(it->first, kl);
                auto vit = cat.vocabularies_.find(vocab);
                if (vit == cat.vocabularies_.end()) {
                  std::vector<std::string_view> names;
                  for (const auto& [n, _] : cat.vocabularies_) names.push_back(n);
                  w.Err(ErrorKind::kReference, vl, fmt::format("unknown vocabulary '{}' in terms", vocab),
                        "a vocabulary of data/vocab.yaml", DidYouMean(vocab, names));
                  continue;
                }
                if (!it->second.IsMap()) {
                  w.Err(ErrorKind::kSchema, w.LocOf(it->second, vl),
                        fmt::format("terms.{} must be a map of value: label", vocab), "a map");
                  continue;
                }
                for (auto jt = it->second.begin(); jt != it->second.end(); ++jt) {
                  std::string value = input::ScalarText(jt->first);
                  Loc l = w.LocOf(jt->first, vl);
                  if (std::find(vit->second.begin(), vit->second.end(), value) == vit->second.end()) {
                    std::vector<std::string_view> vals(vit->second.begin(), vit->second.end());
                    w.Err(ErrorKind::kReference, l,
                          fmt::format("'{}' is not a value of vocabulary '{}'", value, vocab),
                          AllowedValues(vals), DidYouMean(value, vals));
                    continue;
                  }
                  std::string label = w.NonEmpty(jt->second, fmt::format("terms.{}.{}", vocab, value), l);
                  cat.terms_[TermKey(vocab, value)].Set(lang, std::move(label));
                }
              }
            }
          },
          {"language", "ui"});
    Take(w);
    if (language.name.empty()) language.name = lang;
    cat.languages_.push_back(std::move(language));
  }

  void Vocab(const std::string& file, std::string_view text) {
    Walker w(text, file);
    auto root = w.Load("the vocabularies (data/vocab.yaml)");
    if (!root) return Take(w);
    if (!root->IsMap()) {
      w.Err(ErrorKind::kSchema, {1, 1}, "the vocabulary file must be a map of name: [values]", "a map");
      return Take(w);
    }
    for (auto it = root->begin(); it != root->end(); ++it) {
      std::string name = input::ScalarText(it->first);
      Loc l = w.LocOf(it->first);
      if (!IsIdentifier(name)) {
        w.Err(ErrorKind::kSchema, l, fmt::format("vocabulary name '{}' is not lower_snake_case", name),
              "a-z, 0-9, _");
        continue;
      }
      std::vector<Loc> locs;
      std::vector<std::string> values = w.List(it->second, name, l, &locs);
      for (size_t i = 0; i < values.size(); ++i)
        vocab_locs[name + "." + values[i]] = i < locs.size() ? locs[i] : l;
      std::set<std::string> seen;
      for (const auto& v : values)
        if (!seen.insert(v).second)
          w.Err(ErrorKind::kSchema, l, fmt::format("value '{}' twice in vocabulary '{}'", v, name),
                "distinct values");
      cat.vocabularies_[name] = std::move(values);
    }
    Take(w);
  }

  std::optional<SourceKind> KindOf(std::string_view s) {
    for (SourceKind k : {SourceKind::kLaw, SourceKind::kRuling, SourceKind::kGuideline, SourceKind::kDecision,
                         SourceKind::kReference, SourceKind::kVendor})
      if (ToString(k) == s) return k;
    return std::nullopt;
  }

  void Sources(const std::string& file, std::string_view text) {
    Walker w(text, file);
    auto root = w.Load("the source catalogue (data/sources.yaml, data/sources/*.yaml)");
    if (!root) return Take(w);
    if (!root->IsMap()) {
      w.Err(ErrorKind::kSchema, {1, 1}, "the source catalogue must be a map of id: {kind, url, title}",
            "a map");
      return Take(w);
    }
    static const std::vector<std::string_view> kKinds = {"law",      "ruling",    "guideline",
                                                         "decision", "reference", "vendor"};
    for (auto it = root->begin(); it != root->end(); ++it) {
      Source s;
      s.id = input::ScalarText(it->first);
      Loc l = w.LocOf(it->first);
      bool id_ok = !s.id.empty();
      for (char c : s.id) id_ok = id_ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
      if (!id_ok)
        w.Err(ErrorKind::kSchema, l, fmt::format("source id '{}' is not kebab-case", s.id),
              "a-z, 0-9 and '-'");
      if (cat.source_index_.count(s.id))
        w.Err(ErrorKind::kReference, l, fmt::format("duplicate source id '{}'", s.id), "each source once",
              "cite the existing entry instead of adding a second one");
      w.Map(it->second, {"kind", "url", "title"}, "source '" + s.id + "'", l,
            [&](std::string_view k, const yaml::Node& v, Loc kl) {
              if (k == "kind") {
                if (auto kind = w.OneOf(v, s.id + ".kind", kl, kKinds)) s.kind = *KindOf(*kind);
              } else if (k == "url") {
                s.url = w.NonEmpty(v, s.id + ".url", kl);
                if (!s.url.starts_with("https://") || s.url.size() <= 8)
                  w.Err(ErrorKind::kSchema, w.LocOf(v, kl),
                        fmt::format("source url is not an https URL: '{}'", s.url),
                        "a URL starting with https://", "cite the https address of the source");
              } else if (k == "title") {
                s.title = Localized(w, v, s.id + ".title", kl);
              }
            },
            {"kind", "url", "title"});
      cat.source_index_[s.id] = cat.sources_.size();
      cat.sources_.push_back(std::move(s));
    }
    Take(w);
  }

  struct PendingRule {
    RuleMeta meta;
    std::vector<std::string> source_ids;
    std::vector<Loc> source_locs;
    Loc check_loc;
    std::string file;
    std::string text;
  };
  std::vector<PendingRule> pending_rules;

  void Rule(const std::string& file, std::string_view text) {
    Walker w(text, file);
    auto root = w.Load("a rule file (docs/rules-format.md)");
    if (!root) return Take(w);
    PendingRule pr;
    pr.file = file;
    RuleMeta& r = pr.meta;
    static const std::vector<std::string_view> kSev = {"info", "low", "medium", "high"};
    static const std::vector<std::string_view> kSubjects = {"register",  "organisation", "activity",
                                                            "processor", "touchpoint",   "detected"};
    static const std::vector<std::string_view> kNeeds = {"register", "evidence"};
    std::string stem = file.substr(file.rfind('/') + 1);
    stem = stem.substr(0, stem.size() - 5);
    w.Map(*root,
          {"id", "severity", "applies_to", "needs", "check", "title", "explanation", "remediation", "action",
           "sources", "messages"},
          "the rule", {1, 1},
          [&](std::string_view k, const yaml::Node& v, Loc kl) {
            if (k == "id") {
              r.id = w.NonEmpty(v, "id", kl);
              if (r.id != stem)
                w.Err(ErrorKind::kSchema, w.LocOf(v, kl),
                      fmt::format("rule id '{}' does not match the file name", r.id), "id: " + stem,
                      "the id must equal the file name without .yaml");
            } else if (k == "severity") {
              if (auto s = w.OneOf(v, "severity", kl, kSev)) r.severity = *ParseSeverity(*s);
            } else if (k == "applies_to") {
              std::vector<Loc> locs;
              std::vector<std::string> items = w.List(v, "applies_to", kl, &locs);
              for (size_t i = 0; i < items.size(); ++i) {
                if (auto sk = ParseSubjectKind(items[i]))
                  r.applies_to.push_back(*sk);
                else
                  w.Err(ErrorKind::kSchema, i < locs.size() ? locs[i] : kl,
                        fmt::format("'{}' is not a subject kind", items[i]), AllowedValues(kSubjects));
              }
            } else if (k == "needs") {
              for (const auto& s : w.List(v, "needs", kl)) {
                if (std::find(kNeeds.begin(), kNeeds.end(), s) == kNeeds.end())
                  w.Err(ErrorKind::kSchema, w.LocOf(v, kl), fmt::format("'{}' is not a rule input", s),
                        AllowedValues(kNeeds));
                r.needs.push_back(s);
              }
            } else if (k == "check") {
              r.check = w.NonEmpty(v, "check", kl);
              pr.check_loc = w.LocOf(v, kl);
            } else if (k == "title") {
              r.title = Localized(w, v, "title", kl);
            } else if (k == "explanation") {
              r.explanation = Localized(w, v, "explanation", kl);
            } else if (k == "remediation") {
              r.remediation = Localized(w, v, "remediation", kl);
            } else if (k == "action") {
              // A message "<rule id>.action" with {subject}, rendered in the action list.
              std::vector<std::pair<std::string, Loc>> locs;
              r.action = Localized(w, v, "action", kl, true, &locs);
              for (const auto& [lang, txt] : r.action.entries()) {
                Loc tl = kl;
                for (const auto& [ll, loc] : locs)
                  if (ll == lang) tl = loc;
                AddRaw(stem + ".action", lang, txt, file, tl);
              }
            } else if (k == "sources") {
              pr.source_ids = w.List(v, "sources", kl, &pr.source_locs);
              if (pr.source_ids.empty())
                w.Err(ErrorKind::kSchema, w.LocOf(v, kl), "a rule needs at least one source",
                      "a list of source ids", "cite the article, ruling or guideline the rule rests on");
            } else if (k == "messages") {
              if (!v.IsMap()) {
                w.Err(ErrorKind::kSchema, w.LocOf(v, kl), "'messages' must be a map of name: {en, nl, ...}",
                      "a map");
                return;
              }
              for (auto it = v.begin(); it != v.end(); ++it) {
                std::string name = input::ScalarText(it->first);
                Loc l = w.LocOf(it->first, kl);
                if (!IsIdentifier(name)) {
                  w.Err(ErrorKind::kSchema, l, fmt::format("message name '{}' is not lower_snake_case", name),
                        "a-z, 0-9 and _");
                  continue;
                }
                std::vector<std::pair<std::string, Loc>> locs;
                LocalizedText t = Localized(w, it->second, "messages." + name, l, true, &locs);
                for (const auto& [lang, txt] : t.entries()) {
                  Loc tl = l;
                  for (const auto& [ll, loc] : locs)
                    if (ll == lang) tl = loc;
                  AddRaw(stem + "." + name, lang, txt, file, tl);
                }
              }
            }
          },
          {"id", "severity", "applies_to", "title", "remediation", "action", "sources"});
    Take(w);
    pr.text = std::string(text);
    pending_rules.push_back(std::move(pr));
  }

  void ResolveRules() {
    for (PendingRule& pr : pending_rules) {
      // The verdict check its findings count under (docs/verdicts.md); absent: "other".
      if (!pr.meta.check.empty() && !cat.InVocabulary("verdict_check", pr.meta.check)) {
        Error e;
        e.kind = ErrorKind::kSchema;
        e.message = fmt::format("'{}' is not a verdict check", pr.meta.check);
        e.where.file = pr.file;
        e.where.line = pr.check_loc.line;
        e.where.column = pr.check_loc.column;
        e.expected = "a value of the verdict_check vocabulary (data/vocab.yaml)";
        std::vector<std::string_view> checks;
        for (const std::string& c : cat.Vocabulary("verdict_check")) checks.push_back(c);
        e.hint = DidYouMean(pr.meta.check, checks);
        errors.push_back(std::move(e));
      }
      for (size_t i = 0; i < pr.source_ids.size(); ++i) {
        const Source* s = cat.FindSource(pr.source_ids[i]);
        if (!s) {
          std::vector<std::string_view> ids;
          for (const auto& x : cat.sources_) ids.push_back(x.id);
          Error e;
          e.kind = ErrorKind::kReference;
          e.message = fmt::format("unknown source id '{}'", pr.source_ids[i]);
          e.where.file = pr.file;
          if (i < pr.source_locs.size()) {
            e.where.line = pr.source_locs[i].line;
            e.where.column = pr.source_locs[i].column;
          }
          e.expected = "the id of a source in data/sources.yaml or data/sources/*.yaml";
          e.hint = DidYouMean(pr.source_ids[i], ids);
          errors.push_back(std::move(e));
          continue;
        }
        pr.meta.sources.push_back(*s);
      }
      cat.rules_.push_back(std::move(pr.meta));
    }
    std::sort(cat.rules_.begin(), cat.rules_.end(),
              [](const RuleMeta& a, const RuleMeta& b) { return a.id < b.id; });
  }

  void ParseMessages() {
    for (auto& [id, texts] : raw) {
      std::vector<std::pair<std::string, char>> en_args;
      bool have_en = false, en_ok = false;
      for (const RawText& t : texts)
        if (t.lang == kBaseLanguage) have_en = true;
      auto& slot = cat.messages_[id];
      // English first: the other languages are checked against its placeholders.
      std::stable_sort(texts.begin(), texts.end(), [](const RawText& a, const RawText& b) {
        return (a.lang == kBaseLanguage) > (b.lang == kBaseLanguage);
      });
      for (const RawText& t : texts) {
        std::string err;
        auto parsed = ParseTemplate(t.text, &err);
        if (!parsed) {
          Error e;
          e.kind = ErrorKind::kSchema;
          e.message = fmt::format("message '{}' ({}): {}", id, t.lang, err);
          e.where.file = t.file;
          e.where.line = t.loc.line;
          e.where.column = t.loc.column;
          e.expected =
              "placeholders {name}, {n, plural, one {...} other {...}}, {x, select, a {...} other {...}}";
          errors.push_back(std::move(e));
          continue;
        }
        auto args = text_internal::ArgumentsOf(*parsed);
        if (t.lang == kBaseLanguage) {
          en_args = args;
          en_ok = true;
        } else if (have_en && en_ok) {
          for (const auto& [name, how] : args) {
            bool known = false;
            for (const auto& [n, h] : en_args) known = known || n == name;
            if (!known) {
              Error e;
              e.kind = ErrorKind::kSchema;
              e.message = fmt::format(
                  "message '{}' ({}) uses the placeholder '{{{}}}', which the English text does not have", id,
                  t.lang, name);
              e.where.file = t.file;
              e.where.line = t.loc.line;
              e.where.column = t.loc.column;
              e.expected = "only placeholders of the English text";
              errors.push_back(std::move(e));
            }
          }
        }
        slot.emplace_back(t.lang, std::move(parsed));
      }
      if (!have_en) {
        auto [file, loc] = raw_where[id];
        Error e;
        e.kind = ErrorKind::kSchema;
        e.message = fmt::format("message '{}' has no English text", id);
        e.where.file = file;
        e.where.line = loc.line;
        e.where.column = loc.column;
        e.expected = "the text in data/i18n/en.yaml (or `en:` in the rule file)";
        errors.push_back(std::move(e));
      }
    }
  }

  void CheckTerms() {
    // Every vocabulary value needs an English label.
    for (const auto& [vocab, values] : cat.vocabularies_) {
      for (const std::string& v : values) {
        auto it = cat.terms_.find(TermKey(vocab, v));
        if (it == cat.terms_.end() || !it->second.Find(kBaseLanguage)) {
          Error e;
          e.kind = ErrorKind::kSchema;
          e.message = fmt::format("vocabulary value '{}.{}' has no English label in i18n/en.yaml", vocab, v);
          e.where.file = "vocab.yaml";
          Loc l = vocab_locs[vocab + "." + v];
          e.where.line = l.line;
          e.where.column = l.column;
          e.expected = fmt::format("terms: {{{}: {{{}: \"...\"}}}} in i18n/en.yaml", vocab, v);
          errors.push_back(std::move(e));
        }
      }
    }
  }
};

namespace {

const std::vector<std::string>& EmptyVocab() {
  static const std::vector<std::string> kEmpty;
  return kEmpty;
}

}  // namespace

std::expected<TextCatalog, Diagnostics> TextCatalog::FromFiles(
    const std::vector<std::pair<std::string, std::string_view>>& files) {
  TextCatalog cat;
  CatalogLoader ld{cat};
  // Languages first (every localized text is checked against them), then
  // vocabularies (terms refer to them), sources (rules cite them), the rest.
  for (const auto& [path, text] : files) {
    if (path.starts_with("i18n/") && path.ends_with(".yaml"))
      ld.codes.push_back(path.substr(5, path.size() - 10));
  }
  if (std::find(ld.codes.begin(), ld.codes.end(), std::string(kBaseLanguage)) == ld.codes.end()) {
    Error e;
    e.kind = ErrorKind::kSchema;
    e.message = "no English language file";
    e.where.file = "i18n/en.yaml";
    e.expected = "data/i18n/en.yaml (English is the reference language)";
    return std::unexpected(Diagnostics{e});
  }
  for (const auto& [path, text] : files)
    if (path == "vocab.yaml") ld.Vocab(path, text);
  for (const auto& [path, text] : files)
    if (path.starts_with("i18n/") && path.ends_with(".yaml"))
      ld.I18n(path, text, path.substr(5, path.size() - 10));
  for (const auto& [path, text] : files)
    if (IsSourcesFile(path)) ld.Sources(path, text);
  for (const auto& [path, text] : files)
    if (path.starts_with("rules/") && path.ends_with(".yaml")) ld.Rule(path, text);
  ld.ResolveRules();
  ld.ParseMessages();
  ld.CheckTerms();
  std::sort(cat.languages_.begin(), cat.languages_.end(), [](const Language& a, const Language& b) {
    if ((a.code == kBaseLanguage) != (b.code == kBaseLanguage)) return a.code == kBaseLanguage;
    return a.code < b.code;
  });
  if (!ld.errors.empty()) return std::unexpected(std::move(ld.errors));
  return cat;
}

bool TextCatalog::IsSourcesFile(std::string_view path) {
  return path == "sources.yaml" || (path.starts_with("sources/") && path.ends_with(".yaml"));
}

const TextCatalog& TextCatalog::Builtin() {
  static const TextCatalog catalog = [] {
    std::vector<std::pair<std::string, std::string_view>> files;
    for (std::size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i) {
      std::string_view p = kDataFiles[i].path;
      if (p.starts_with("i18n/") || p.starts_with("rules/") || p == "vocab.yaml" || IsSourcesFile(p))
        files.emplace_back(std::string(p), kDataFiles[i].data);
    }
    auto loaded = FromFiles(files);
    if (loaded) return std::move(*loaded);
    TextCatalog broken;
    broken.load_errors_ = std::move(loaded.error());
    broken.languages_.push_back({std::string(kBaseLanguage), "English"});
    return broken;
  }();
  return catalog;
}

bool TextCatalog::HasLanguage(std::string_view code) const {
  for (const Language& l : languages_)
    if (l.code == code) return true;
  return false;
}

std::vector<std::string_view> TextCatalog::LanguageCodes() const {
  std::vector<std::string_view> out;
  for (const Language& l : languages_) out.push_back(l.code);
  return out;
}

const std::string* TextCatalog::Template(std::string_view lang, std::string_view id) const {
  auto it = messages_.find(std::string(id));
  if (it == messages_.end()) return nullptr;
  const std::string* en = nullptr;
  for (const auto& [l, t] : it->second) {
    if (l == lang) return &t->source;
    if (l == kBaseLanguage) en = &t->source;
  }
  return en;
}

const std::string& TextCatalog::Ui(std::string_view lang, MessageId id) const {
  if (const std::string* t = Template(lang, id.id)) return *t;
  static thread_local std::string missing;
  missing = std::string(id.id);
  return missing;
}

std::string TextCatalog::Term(std::string_view lang, std::string_view vocab, std::string_view value) const {
  auto it = terms_.find(TermKey(vocab, value));
  if (it == terms_.end()) return std::string(value);
  const std::string& s = it->second.Get(lang);
  return s.empty() ? std::string(value) : s;
}

const std::vector<std::string>& TextCatalog::Vocabulary(std::string_view vocab) const {
  auto it = vocabularies_.find(std::string(vocab));
  return it == vocabularies_.end() ? EmptyVocab() : it->second;
}

bool TextCatalog::InVocabulary(std::string_view vocab, std::string_view value) const {
  const auto& v = Vocabulary(vocab);
  return std::find(v.begin(), v.end(), value) != v.end();
}

const Source* TextCatalog::FindSource(std::string_view id) const {
  auto it = source_index_.find(std::string(id));
  return it == source_index_.end() ? nullptr : &sources_[it->second];
}

const RuleMeta* TextCatalog::FindRule(std::string_view id) const {
  auto it = std::lower_bound(rules_.begin(), rules_.end(), id,
                             [](const RuleMeta& r, std::string_view v) { return r.id < v; });
  return it != rules_.end() && it->id == id ? &*it : nullptr;
}

std::vector<std::pair<std::string, std::string>> TextCatalog::AllMessages() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [id, langs] : messages_)
    for (const auto& [l, t] : langs)
      if (l == kBaseLanguage) out.emplace_back(id, t->source);
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

using text_internal::Node;

struct RenderCtx {
  const TextCatalog& cat;
  std::string_view lang;
};

void AppendArg(const TextCatalog& cat, std::string& out, const MessageArg& a, std::string_view lang) {
  switch (a.kind) {
    case ArgKind::kText:
      out += a.text;
      return;
    case ArgKind::kNumber:
      out += std::to_string(a.number);
      return;
    case ArgKind::kTerm:
      out += cat.Term(lang, a.vocab, a.text);
      return;
    case ArgKind::kList:
      for (size_t i = 0; i < a.items.size(); ++i) {
        if (i) out += ", ";
        AppendArg(cat, out, a.items[i], lang);
      }
      return;
    case ArgKind::kMessage:
      if (!a.message.empty()) out += cat.Render(a.message.front(), lang);
      return;
  }
}

void RenderNodes(const TextCatalog& cat, std::string& out, const std::vector<Node>& nodes, const Message& m,
                 std::string_view lang, const int64_t* hash) {
  for (const Node& n : nodes) {
    switch (n.kind) {
      case Node::Kind::kText:
        out += n.text;
        break;
      case Node::Kind::kHash:
        if (hash) out += std::to_string(*hash);
        break;
      case Node::Kind::kArg: {
        const MessageArg* a = m.Arg(n.text);
        if (!a) {
          out += "{" + n.text + "}";
          break;
        }
        AppendArg(cat, out, *a, lang);
        break;
      }
      case Node::Kind::kPlural: {
        const MessageArg* a = m.Arg(n.text);
        if (!a) {
          out += "{" + n.text + "}";
          break;
        }
        int64_t v = a ? (a->kind == ArgKind::kNumber ? a->number : static_cast<int64_t>(a->items.size())) : 0;
        const Node::Branch* pick = nullptr;
        std::string exact = "=" + std::to_string(v);
        for (const auto& b : n.branches)
          if (b.key == exact) pick = &b;
        if (!pick && v == 1)
          for (const auto& b : n.branches)
            if (b.key == "one") pick = &b;
        if (!pick)
          for (const auto& b : n.branches)
            if (b.key == "other") pick = &b;
        if (pick) RenderNodes(cat, out, pick->nodes, m, lang, &v);
        break;
      }
      case Node::Kind::kSelect: {
        const MessageArg* a = m.Arg(n.text);
        std::string key;
        if (a) key = a->kind == ArgKind::kNumber ? std::to_string(a->number) : a->text;
        const Node::Branch* pick = nullptr;
        for (const auto& b : n.branches)
          if (b.key == key) pick = &b;
        if (!pick)
          for (const auto& b : n.branches)
            if (b.key == "other") pick = &b;
        if (pick) RenderNodes(cat, out, pick->nodes, m, lang, hash);
        break;
      }
    }
  }
}

}  // namespace

void TextCatalog::AppendRendered(std::string& out, const Message& m, std::string_view lang, int depth) const {
  auto it = messages_.find(m.id);
  if (it == messages_.end() || depth > 8) {
    out += m.id;
    return;
  }
  const TextCatalog::ParsedTemplate* t = nullptr;
  for (const auto& [l, tp] : it->second) {
    if (l == lang) {
      t = tp.get();
      break;
    }
    if (l == kBaseLanguage) t = tp.get();
  }
  if (!t) {
    out += m.id;
    return;
  }
  RenderNodes(*this, out, t->nodes, m, lang, nullptr);
}

std::string TextCatalog::Render(const Message& m, std::string_view lang) const {
  std::string out;
  AppendRendered(out, m, lang, 0);
  return out;
}

}  // namespace blindspot
