// The phrase tables register importers share (data/import/register_terms.yaml):
// free text in a register's cells mapped to model values, or to nothing.
// Pure; the table is read once from the embedded data (thread-safe static).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <unordered_map>

#include "blindspot/embedded.h"
#include "blindspot/fideslang.h"
#include "input/yaml_walker.h"
#include "io/importers.h"

namespace blindspot {

namespace yaml = input::yaml;

std::optional<LawfulBasis> LawfulBasisFromArticleUncached(std::string_view text);

// "P7Y", "P1Y6M", "P2W", "PT12H": P, then number-unit pairs in the order
// Y M W D, optionally T and H M S; at least one pair.
bool IsIsoDuration(std::string_view t) {
  if (t.size() < 3 || t.size() > 40 || t[0] != 'P') return false;
  static constexpr std::string_view kDate = "YMWD", kTime = "HMS";
  std::string_view units = kDate;
  size_t next = 0, pairs = 0;
  bool time = false;
  for (size_t i = 1; i < t.size();) {
    if (t[i] == 'T' && !time) {
      time = true;
      units = kTime;
      next = 0;
      if (++i == t.size()) return false;
      continue;
    }
    size_t j = i;
    while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
    if (j == i || j == t.size()) return false;
    size_t u = units.find(t[j], next);
    if (u == std::string_view::npos) return false;
    next = u + 1;
    ++pairs;
    i = j + 1;
  }
  return pairs > 0;
}

std::vector<std::string> SplitFields(std::string_view text, std::string_view separator, size_t max_parts) {
  std::vector<std::string> out;
  size_t b = 0;
  while (!separator.empty() && (max_parts == 0 || out.size() + 1 < max_parts)) {
    size_t e = text.find(separator, b);
    if (e == std::string_view::npos) break;
    out.emplace_back(text.substr(b, e - b));
    b = e + separator.size();
  }
  out.emplace_back(text.substr(b));
  return out;
}

std::string FoldPhrase(std::string_view s) {
  std::string out;
  bool space = true;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    // A Latin-1 capital in UTF-8 (C3 80..9E, not the sign C3 97) to its small letter: "États" -> "états".
    if (c == 0xC3 && i + 1 < s.size()) {
      unsigned char n = static_cast<unsigned char>(s[i + 1]);
      if (n >= 0x80 && n <= 0x9E && n != 0x97) {
        out += static_cast<char>(c);
        out += static_cast<char>(n + 0x20);
        ++i;
        space = false;
        continue;
      }
    }
    bool sep = c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == ';' || c == '.' ||
               c == ':' || c == '(' || c == ')' || c == '/';
    if (sep) {
      if (!space) out += ' ';
      space = true;
      continue;
    }
    out += static_cast<char>(std::tolower(c));
    space = false;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// Lower case, accents off (Latin-1 letters), punctuation and line breaks as
// one space: "Categorieën\nbetrokkenen (*)" -> "categorieen betrokkenen".
namespace {
// The length of a Unicode space (U+2000..U+200A, U+202F, U+205F, U+3000)
// or zero-width character (U+200B..U+200D, U+2060, U+FEFF) at the start of
// `s`, 0 for anything else. Spaces are a space to FoldHeader, zero-width
// characters nothing: both are invisible in a header cell.
size_t UnicodeSpace(std::string_view s) {
  if (s.size() < 3) return 0;
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  if (b(0) == 0xE2 && b(1) == 0x80 && (b(2) <= 0x8D || b(2) == 0xAF)) return 3;
  if (b(0) == 0xE2 && b(1) == 0x81 && (b(2) == 0x9F || b(2) == 0xA0)) return 3;
  if ((b(0) == 0xE3 && b(1) == 0x80 && b(2) == 0x80) || (b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF))
    return 3;
  return 0;
}
bool ZeroWidth(std::string_view s) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  return (b(0) == 0xE2 && b(1) == 0x80 && b(2) >= 0x8B && b(2) <= 0x8D) ||
         (b(0) == 0xE2 && b(1) == 0x81 && b(2) == 0xA0) || (b(0) == 0xEF && b(1) == 0xBB && b(2) == 0xBF);
}
}  // namespace

std::string FoldHeader(std::string_view s) {
  static const char* kLatin1 =  // U+00C0..U+00FF without accents
      "aaaaaaaceeeeiiiidnooooo ouuuuyts"
      "aaaaaaaceeeeiiiidnooooo ouuuuyty";
  std::string out;
  bool space = true;
  auto put = [&](char c) {
    if (c == ' ') {
      if (!space) out += ' ';
      space = true;
    } else {
      out += c;
      space = false;
    }
  };
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      put(std::isalnum(c) ? static_cast<char>(std::tolower(c)) : ' ');
    } else if (c == 0xC3 && i + 1 < s.size()) {
      unsigned char n = static_cast<unsigned char>(s[i + 1]);
      ++i;
      if (n >= 0x80 && n <= 0xBF) {
        char l = kLatin1[n - 0x80];
        if (l == 's' && n == 0x9F) {  // ß
          put('s');
          put('s');
        } else {
          put(l);
        }
      }
    } else if (c == 0xC5 && i + 1 < s.size() && (s[i + 1] == '\x93' || s[i + 1] == '\x92')) {  // œ Œ
      ++i;
      put('o');
      put('e');
    } else if (c == 0xC2 && i + 1 < s.size()) {
      // U+00A0..U+00BF: a no-break space (as pasted from Word or a web page)
      // and Latin-1 punctuation count as a space, as ASCII punctuation does;
      // a soft hyphen is nothing.
      unsigned char n = static_cast<unsigned char>(s[i + 1]);
      if (n < 0xA0) {
        out += static_cast<char>(c);
        space = false;
        continue;
      }
      ++i;
      if (n != 0xAD) put(' ');
    } else if (size_t w = UnicodeSpace(s.substr(i)); w > 0) {
      if (!ZeroWidth(s.substr(i))) put(' ');
      i += w - 1;
    } else {
      out += static_cast<char>(c);  // other letters as they are
      space = false;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string IdSlug(std::string_view s) {
  std::string out;
  for (char c : FoldHeader(s)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (ok)
      out += c;
    else if (!out.empty() && out.back() != '-')
      out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 60) out.resize(60);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

namespace {

struct Terms {
  std::vector<std::pair<std::string, LawfulBasis>> bases;       // phrase -> basis, longest first
  std::map<std::string, std::string> countries;                 // name -> ISO code
  std::map<std::string, char> units;                            // unit word -> D/W/M/Y
  std::vector<std::pair<std::string, std::string>> categories;  // phrase -> fideslang key, longest first
  std::vector<std::pair<std::string, char>> art9;               // phrase -> Art. 9(2) letter, longest first
};

const Terms& BuiltinTerms() {
  static const Terms kTerms = [] {
    Terms t;
    for (std::size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i) {
      if (std::string_view(kDataFiles[i].path) != "import/register_terms.yaml") continue;
      input::Walker w(kDataFiles[i].data, "data/import/register_terms.yaml");
      auto root = w.Load("the register phrase table");
      if (!root || !root->IsMap()) break;
      yaml::Node bases = (*root)["lawful_bases"];
      for (auto it = bases.begin(); it != bases.end(); ++it) {
        auto basis = ParseLawfulBasis(it->first.Scalar());
        if (!basis) continue;
        for (size_t j = 0; j < it->second.size(); ++j)
          t.bases.emplace_back(FoldPhrase(it->second[j].Scalar()), *basis);
      }
      std::stable_sort(t.bases.begin(), t.bases.end(),
                       [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
      yaml::Node countries = (*root)["countries"];
      for (auto it = countries.begin(); it != countries.end(); ++it)
        for (size_t j = 0; j < it->second.size(); ++j)
          t.countries[FoldPhrase(it->second[j].Scalar())] = std::string(it->first.Scalar());
      yaml::Node units = (*root)["retention_units"];
      for (auto it = units.begin(); it != units.end(); ++it)
        for (size_t j = 0; j < it->second.size(); ++j)
          t.units[FoldPhrase(it->second[j].Scalar())] =
              it->first.Scalar().empty() ? 'D' : it->first.Scalar()[0];
      yaml::Node cats = (*root)["data_categories"];
      for (auto it = cats.begin(); it != cats.end(); ++it)
        for (size_t j = 0; j < it->second.size(); ++j)
          t.categories.emplace_back(FoldPhrase(it->second[j].Scalar()), std::string(it->first.Scalar()));
      std::stable_sort(t.categories.begin(), t.categories.end(),
                       [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
      yaml::Node conds = (*root)["art9_conditions"];
      for (auto it = conds.begin(); it != conds.end(); ++it)
        for (size_t j = 0; j < it->second.size(); ++j)
          t.art9.emplace_back(FoldPhrase(it->second[j].Scalar()),
                              it->first.Scalar().empty() ? 'a' : it->first.Scalar()[0]);
      std::stable_sort(t.art9.begin(), t.art9.end(),
                       [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    }
    return t;
  }();
  return kTerms;
}

bool ContainsWords(std::string_view folded, std::string_view phrase) {
  for (size_t pos = folded.find(phrase); pos != std::string_view::npos; pos = folded.find(phrase, pos + 1)) {
    bool start = pos == 0 || folded[pos - 1] == ' ';
    size_t end = pos + phrase.size();
    // A phrase may be a stem of the cell's word only at its end ("belang" in "belangen").
    if (start && (end == folded.size() || folded[end] == ' ' || phrase.size() >= 6)) return true;
  }
  return false;
}

}  // namespace

// The Art. 6(1) basis a free-text phrase names (Dutch, English, German,
// French), nullopt when none or more than one basis is named.
std::optional<LawfulBasis> LawfulBasisFromPhrase(std::string_view text) {
  if (auto by_article = LawfulBasisFromArticle(text)) return by_article;
  std::string f = FoldPhrase(text);
  std::optional<LawfulBasis> found;
  for (const auto& [phrase, basis] : BuiltinTerms().bases) {
    if (!ContainsWords(f, phrase)) continue;
    if (found && *found != basis) return std::nullopt;
    found = basis;
  }
  return found;
}

// The ISO 3166-1 alpha-2 code of a country name ("NEDERLAND", "Germany",
// "Vereinigte Staaten") or of a code itself ("NL"); "" when unknown.
std::string CountryCodeFromName(std::string_view text) {
  std::string f = FoldPhrase(text);
  auto it = BuiltinTerms().countries.find(f);
  if (it != BuiltinTerms().countries.end()) return it->second;
  std::string upper;
  for (char c : f) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return IsIsoCountryCode(upper) ? upper : "";
}

// An ISO 8601 duration for a retention phrase that names one period
// ("tot uiterlijk 1 maand" -> "P1M", "7 years after the contract ends" ->
// "P7Y"); "" when it names none or several different ones.
std::string RetentionDuration(std::string_view text) {
  // An ISO 8601 duration as it is ("P7Y", "P1Y6M"), alone or before a bracket.
  {
    std::string_view t = text.substr(0, text.find(" ("));
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n' || t.back() == '\r')) t.remove_suffix(1);
    while (!t.empty() && (t.front() == ' ' || t.front() == '\n')) t.remove_prefix(1);
    if (IsIsoDuration(t)) return std::string(t);
  }
  std::string f = FoldPhrase(text);
  std::set<std::string> found;
  size_t i = 0;
  while (i < f.size()) {
    if (!std::isdigit(static_cast<unsigned char>(f[i])) || (i > 0 && f[i - 1] != ' ')) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < f.size() && std::isdigit(static_cast<unsigned char>(f[j]))) ++j;
    std::string number = f.substr(i, j - i);
    if (j < f.size() && f[j] == ' ') {
      size_t k = j + 1;
      size_t e = f.find(' ', k);
      std::string word = f.substr(k, e == std::string::npos ? std::string::npos : e - k);
      auto u = BuiltinTerms().units.find(word);
      if (u != BuiltinTerms().units.end() && number.size() <= 4)
        found.insert(fmt::format("P{}{}", std::stoi(number), u->second));
    }
    i = j;
  }
  return found.size() == 1 ? *found.begin() : "";
}

std::string CountryCodeInText(std::string_view text) {
  std::string f = FoldPhrase(text);
  std::set<std::string> found;
  for (const auto& [name, code] : BuiltinTerms().countries)
    if (ContainsWords(f, name)) found.insert(code);
  return found.size() == 1 ? *found.begin() : "";
}

// The fideslang categories a free-text description of personal data names
// ("NAW-gegevens, e-mailadres en BSN" -> user.name, user.contact.address,
// user.contact.email, user.government_id.national_identification_number), in
// the order they first appear; empty when it names none.
std::vector<std::string> DataCategoriesFromPhrase(std::string_view text) {
  std::string f = FoldPhrase(text);
  std::vector<std::pair<size_t, std::string>> hits;
  std::string covered(f.size(), ' ');  // a longer phrase hides the shorter ones inside it
  for (const auto& [phrase, key] : BuiltinTerms().categories) {
    for (size_t pos = f.find(phrase); pos != std::string::npos; pos = f.find(phrase, pos + 1)) {
      bool start = pos == 0 || f[pos - 1] == ' ' || f[pos - 1] == '-';
      size_t end = pos + phrase.size();
      bool stop = end == f.size() || f[end] == ' ' || f[end] == '-' || phrase.size() >= 6;
      if (!start || !stop || covered.compare(pos, phrase.size(), std::string(phrase.size(), 'x')) == 0)
        continue;
      for (size_t i = pos; i < end; ++i) covered[i] = 'x';
      hits.emplace_back(pos, key);
    }
  }
  std::stable_sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& [pos, key] : hits) {
    // "naw" names three categories, written "user.name+user.contact.address" in the table.
    size_t b = 0;
    while (b <= key.size()) {
      size_t e = key.find('+', b);
      std::string one = key.substr(b, e == std::string::npos ? std::string::npos : e - b);
      if (std::find(out.begin(), out.end(), one) == out.end()) out.push_back(one);
      if (e == std::string::npos) break;
      b = e + 1;
    }
  }
  return out;
}

namespace {
// "art" in any case: whether an article reference may be in the text.
bool HasArt(std::string_view text) {
  for (size_t i = 0; i + 2 < text.size(); ++i)
    if ((text[i] | 0x20) == 'a' && (text[i + 1] | 0x20) == 'r' && (text[i + 2] | 0x20) == 't') return true;
  return false;
}
// The letters of the Art. 9(2) references in the text.
std::set<char> Art9Letters(std::string_view text);
// The lower-cased letters `ref`'s first group captures in the text.
std::set<char> RefLetters(std::string_view text, const std::regex& ref) {
  std::string s(text);
  std::set<char> found;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), ref); it != std::sregex_iterator(); ++it)
    found.insert(static_cast<char>(std::tolower(static_cast<unsigned char>((*it)[1].str()[0]))));
  return found;
}
// compute(text), remembered: a register repeats its phrases. One bounded
// cache per call site (each passes its own lambda type); thread-safe.
template <class Compute>
auto Remembered(std::string_view text, Compute compute) -> decltype(compute(text)) {
  using T = decltype(compute(text));
  static std::mutex mu;
  static std::unordered_map<std::string, T> seen;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = seen.find(std::string(text)); it != seen.end()) return it->second;
  }
  T found = compute(text);
  std::lock_guard<std::mutex> lock(mu);
  if (seen.size() > 4096) seen.clear();
  seen.emplace(std::string(text), found);
  return found;
}
}  // namespace

// The Art. 9(2) condition ('a'..'j') a phrase names: an article reference
// ("art. 9.2 (h) GDPR", "artikel 9 lid 2 sub a AVG") or a phrase of the table
// ("uitdrukkelijke toestemming"); nullopt when none or several.
std::optional<Art9Condition> Art9ConditionFromPhrase(std::string_view text) {
  std::set<char> found;
  // Most cells name no article: no "art" (any case) or no '9', no regex.
  if (HasArt(text) && text.find('9') != std::string_view::npos)
    found = Remembered(text, [](std::string_view t) { return Art9Letters(t); });
  if (found.empty()) {
    std::string f = FoldPhrase(text);
    for (const auto& [phrase, letter] : BuiltinTerms().art9)
      if (ContainsWords(f, phrase)) found.insert(letter);
  }
  if (found.size() != 1) return std::nullopt;
  return *found.begin();
}

namespace {
std::set<char> Art9Letters(std::string_view text) {
  static const std::regex kRef(
      R"(art(?:ikel|icle|\.)?\s*9\s*(?:\.|\(|lid|para(?:graph)?|abs(?:atz|\.)?)?\s*\(?2\)?\s*(?:\.|,)?\s*(?:sub|onder|point|lit(?:\.|era)?|under)?\s*\(?([a-j])\b\)?)",
      std::regex::icase);
  return RefLetters(text, kRef);
}
}  // namespace

// The Art. 6(1) basis named by an article reference ("art. 6.1 (b) GDPR",
// "artikel 6 lid 1 sub e AVG", "Art. 6(1)(f)"); nullopt when none or several.
std::optional<LawfulBasis> LawfulBasisFromArticle(std::string_view text) {
  // Most cells name no article: no "art" (any case) or no '6', no regex.
  if (!HasArt(text) || text.find('6') == std::string_view::npos) return std::nullopt;
  return Remembered(text, [](std::string_view t) { return LawfulBasisFromArticleUncached(t); });
}

std::optional<LawfulBasis> LawfulBasisFromArticleUncached(std::string_view text) {
  static const std::regex kRef(
      R"(art(?:ikel|icle|\.)?\s*6\s*(?:\.|\(|lid|para(?:graph)?|abs(?:atz|\.)?)?\s*\(?1\)?\s*(?:\.|,)?\s*(?:sub|onder|point|lit(?:\.|era)?|under)?\s*\(?([a-f])\b\)?)",
      std::regex::icase);
  std::set<char> found = RefLetters(text, kRef);
  if (found.size() != 1) return std::nullopt;
  static const LawfulBasis kByLetter[] = {LawfulBasis::kConsent,         LawfulBasis::kContract,
                                          LawfulBasis::kLegalObligation, LawfulBasis::kVitalInterests,
                                          LawfulBasis::kPublicTask,      LawfulBasis::kLegitimateInterests};
  return kByLetter[*found.begin() - 'a'];
}

std::pair<Retention, bool> RetentionFromText(std::string_view text) {
  Retention rt;
  rt.data_category = "*";
  std::string t(text);
  std::string d = RetentionDuration(t);
  rt.period = d.empty() ? t : d;
  if (!d.empty() && t != d) {
    if (t.starts_with(d + " (") && t.back() == ')')
      rt.justification = t.substr(d.size() + 2, t.size() - d.size() - 3);
    else
      rt.justification = t;
  }
  return {rt, !d.empty()};
}

std::optional<TransferSafeguard> SafeguardFromPhrase(std::string_view text) {
  size_t semi = text.find("; ");
  std::string f = FoldHeader(semi == std::string_view::npos ? text : text.substr(0, semi));
  auto has = [&](const char* w) { return f.find(w) != std::string::npos; };
  if (has("privacy shield")) return TransferSafeguard::kPrivacyShield;
  if (has("data privacy framework") || has("dpf")) return TransferSafeguard::kDataPrivacyFramework;
  if (has("adequa")) return TransferSafeguard::kAdequacyDecision;
  if (has("scc") || has("standard contractual") || has("modelcontract") || has("standaardcontract") ||
      has("standaardbepaling") || has("clauses contractuelles") || has("standardvertragsklauseln"))
    return TransferSafeguard::kSccs;
  if (has("bcr") || has("binding corporate") || has("bindende bedrijfsvoorschriften"))
    return TransferSafeguard::kBcrs;
  if (has("art 49") || has("article 49") || has("derogation") || has("uitzondering"))
    return TransferSafeguard::kDerogationArt49;
  return std::nullopt;
}

}  // namespace blindspot
