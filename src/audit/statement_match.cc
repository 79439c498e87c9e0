// The term lists of data/statement_terms.yaml (parsed with the input toolkit's
// YAML tree) and the word matching of privacy statements.
#include "audit/statement_match.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "audit/rule.h"
#include "blindspot/embedded.h"
#include "input/yaml_doc.h"

namespace blindspot::audit {
namespace {

namespace yaml = input::yaml;

bool IsWordByte(unsigned char c) { return std::isalnum(c) || c >= 0x80; }

Result<TermLists> ReadLists(const yaml::Node& node, const std::string& file, std::string_view what) {
  TermLists out;
  if (!node.IsMap())
    return MakeError(ErrorKind::kParse, std::string(what) + " is not a map of languages", {file}, "", "");
  for (const auto& entry : node) {
    std::vector<std::string>& list = out[std::string(entry.first.Scalar())];
    if (!entry.second.IsSequence())
      return MakeError(ErrorKind::kParse, std::string(what) + " is not a list of terms", {file}, "", "");
    for (const yaml::Node& t : entry.second) {
      if (t.Scalar().empty())
        return MakeError(ErrorKind::kParse, std::string(what) + " has an empty term", {file}, "", "");
      list.push_back(FoldCase(t.Scalar()));
    }
  }
  return out;
}

}  // namespace

Result<StatementTerms> StatementTerms::Parse(std::string_view text, const std::string& file) {
  yaml::ParseError err;
  auto doc = yaml::Document::Parse(text, &err);
  if (!doc) return MakeError(ErrorKind::kParse, "not YAML: " + err.message, {file}, "", "");
  yaml::Node root = doc->root();
  StatementTerms out;
  for (const yaml::Node& e : root["elements"]) {
    StatementElementSpec spec;
    spec.id = std::string(e["id"].Scalar());
    spec.when = std::string(e["when"].Scalar());
    for (const yaml::Node& src : e["sources"]) spec.sources.emplace_back(src.Scalar());
    auto section = ReadLists(e["section"], file, spec.id + ".section");
    if (!section) return std::unexpected(section.error());
    auto terms = ReadLists(e["terms"], file, spec.id + ".terms");
    if (!terms) return std::unexpected(terms.error());
    spec.section = std::move(*section);
    spec.terms = std::move(*terms);
    out.elements.push_back(std::move(spec));
  }
  for (const auto& a : root["aliases"]) {
    std::vector<std::string>& names = out.aliases[std::string(a.first.Scalar())];
    for (const yaml::Node& n : a.second) names.emplace_back(n.Scalar());
  }
  for (const yaml::Node& c : root["contradictions"]) {
    ContradictionSpec spec;
    spec.id = std::string(c["id"].Scalar());
    spec.when = std::string(c["when"].Scalar());
    for (const yaml::Node& src : c["sources"]) spec.sources.emplace_back(src.Scalar());
    auto terms = ReadLists(c["terms"], file, spec.id + ".terms");
    if (!terms) return std::unexpected(terms.error());
    auto unless = ReadLists(c["unless"], file, spec.id + ".unless");
    if (!unless) return std::unexpected(unless.error());
    spec.terms = std::move(*terms);
    spec.unless = std::move(*unless);
    out.contradictions.push_back(std::move(spec));
  }
  auto consent = ReadLists(root["consent_terms"], file, "consent_terms");
  if (!consent) return std::unexpected(consent.error());
  out.consent_terms = std::move(*consent);
  for (const auto& c : root["country_languages"])
    out.country_languages[std::string(c.first.Scalar())] = std::string(c.second.Scalar());
  return out;
}

const StatementTerms& StatementTerms::Builtin() {
  static const StatementTerms kTerms = [] {
    for (std::size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i) {
      if (std::string_view(kDataFiles[i].path) != "statement_terms.yaml") continue;
      auto parsed = Parse(kDataFiles[i].data, "data/statement_terms.yaml");
      if (parsed) return std::move(*parsed);
    }
    return StatementTerms{};
  }();
  return kTerms;
}

bool ContainsTerm(std::string_view folded, std::string_view term) {
  if (term.empty()) return false;
  bool word_start = IsWordByte(static_cast<unsigned char>(term.front()));
  for (size_t pos = folded.find(term); pos != std::string_view::npos; pos = folded.find(term, pos + 1)) {
    if (!word_start || pos == 0 || !IsWordByte(static_cast<unsigned char>(folded[pos - 1]))) return true;
  }
  return false;
}

bool ContainsAny(std::string_view folded, const TermLists& terms) {
  for (const auto& [lang, list] : terms)
    for (const std::string& t : list)
      if (ContainsTerm(folded, t)) return true;
  return false;
}

StatementText::StatementText(const Statement& st) : st_(st) {
  for (const StatementSection& s : st.sections) {
    headings_.push_back(FoldCase(s.heading));
    all_ += headings_.back();
    all_ += '\n';
    for (const std::string& p : s.paragraphs) {
      all_ += FoldCase(p);
      all_ += '\n';
    }
  }
}

const StatementSection* StatementText::SectionFor(const TermLists& section_terms) const {
  for (size_t i = 0; i < headings_.size(); ++i)
    if (!headings_[i].empty() && ContainsAny(headings_[i], section_terms)) return &st_.sections[i];
  return nullptr;
}

bool StatementText::NamesAny(const std::vector<std::string>& names) const {
  for (const std::string& n : names) {
    std::string f = FoldCase(n);
    if (f.empty()) continue;
    for (size_t pos = all_.find(f); pos != std::string::npos; pos = all_.find(f, pos + 1)) {
      bool start_ok = pos == 0 || !IsWordByte(static_cast<unsigned char>(all_[pos - 1])) ||
                      !IsWordByte(static_cast<unsigned char>(f.front()));
      size_t end = pos + f.size();
      bool end_ok = end >= all_.size() || !IsWordByte(static_cast<unsigned char>(all_[end])) ||
                    !IsWordByte(static_cast<unsigned char>(f.back()));
      if (start_ok && end_ok) return true;
    }
  }
  return false;
}

std::vector<StatementText::Sentence> StatementText::SentencesWith(const TermLists& terms,
                                                                  const TermLists& unless) const {
  std::vector<Sentence> out;
  for (const StatementSection& s : st_.sections) {
    for (const std::string& p : s.paragraphs) {
      size_t b = 0;
      while (b < p.size()) {
        // A sentence ends at ". ", "! ", "? " or ";" (or the paragraph's end).
        size_t e = b;
        while (e < p.size()) {
          char c = p[e];
          if ((c == '.' || c == '!' || c == '?') && (e + 1 == p.size() || p[e + 1] == ' ')) break;
          if (c == ';') break;
          ++e;
        }
        size_t end = e < p.size() ? e + 1 : e;
        std::string sentence = p.substr(b, end - b);
        while (!sentence.empty() && sentence.front() == ' ') sentence.erase(0, 1);
        std::string folded = FoldCase(sentence);
        if (ContainsAny(folded, terms) && !ContainsAny(folded, unless)) out.push_back({&s, sentence});
        b = end;
      }
    }
  }
  return out;
}

namespace {

void AddName(std::vector<std::string>& list, std::string name) {
  if (name.empty() || std::find(list.begin(), list.end(), name) != list.end()) return;
  list.push_back(std::move(name));
}

bool OutsideEea(std::string_view iso2) { return !iso2.empty() && !IsEeaCountry(iso2); }

// "Meta Platforms Ireland Ltd." -> "Meta Platforms Ireland": company forms dropped from the end.
std::string WithoutCompanyForm(std::string name) {
  static const std::vector<std::string_view> kForms = {
      " ltd.", " ltd", " limited", " inc.",        " inc", " llc",    " b.v.", " bv",
      " gmbh", " ag",  " s.a.",    " sa",          " sas", " s.r.l.", " ab",   " a/s",
      " oy",   " plc", " corp.",   " corporation", " co.", ","};
  bool changed = true;
  while (changed) {
    changed = false;
    std::string folded = FoldCase(name);
    for (std::string_view f : kForms) {
      if (folded.size() > f.size() && folded.ends_with(f)) {
        name.resize(name.size() - f.size());
        changed = true;
        break;
      }
    }
  }
  return name;
}

}  // namespace

StatementFacts FactsOf(const AuditContext& ctx) {
  StatementFacts f;
  const Register& reg = ctx.reg;
  f.dpo = !reg.organisation.dpo.empty();
  for (const ProcessingActivity& a : reg.activities) {
    for (const Purpose& p : a.purposes) {
      if (p.lawful_basis == LawfulBasis::kLegitimateInterests) f.legitimate_interests = true;
      if (p.lawful_basis == LawfulBasis::kConsent) f.consent = true;
    }
    for (const Transfer& t : a.transfers)
      if (OutsideEea(t.country)) {
        const Processor* p = ctx.Vendor(t.recipient);
        AddName(f.outside_eea, p ? DisplayName(*p) : t.recipient.empty() ? t.country : t.recipient);
      }
  }
  for (const Touchpoint& t : reg.touchpoints) {
    if (t.answers.lawful_basis == LawfulBasis::kLegitimateInterests) f.legitimate_interests = true;
    if (t.answers.lawful_basis == LawfulBasis::kConsent) f.consent = true;
  }
  for (const Processor& p : reg.processors) {
    AddName(f.third_parties, DisplayName(p));
    if (OutsideEea(p.country)) AddName(f.outside_eea, DisplayName(p));
  }
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.detected || row.detected->inferred()) continue;
    std::string name = ProductName(row);
    AddName(f.third_parties, name);
    if (row.kb && row.kb->consent_required.value) {
      f.consent = true;
      AddName(f.tracking, name);
    }
    if (row.kb && OutsideEea(row.kb->vendor.processing_country)) AddName(f.outside_eea, name);
  }
  for (const UnidentifiedTracker& u : ctx.detection.unidentified) AddName(f.tracking, u.registrable_domain);
  return f;
}

std::vector<std::string> VendorNames(const AuditContext& ctx, const ReconciledTouchpoint& row) {
  std::vector<std::string> names;
  if (row.kb) {
    AddName(names, row.kb->name);
    AddName(names, row.kb->vendor.legal_entity);
    AddName(names, WithoutCompanyForm(row.kb->vendor.legal_entity));
    auto it = StatementTerms::Builtin().aliases.find(row.kb->id);
    if (it != StatementTerms::Builtin().aliases.end())
      for (const std::string& a : it->second) AddName(names, a);
  }
  if (row.registered) {
    if (const Processor* p = ctx.Vendor(row.registered->vendor)) {
      AddName(names, p->name);
      AddName(names, p->legal_entity);
      AddName(names, WithoutCompanyForm(p->legal_entity));
    }
  }
  return names;
}

std::string Excerpt(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

}  // namespace blindspot::audit
