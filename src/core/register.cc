#include "blindspot/register.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <unordered_map>

#include "blindspot/suggest.h"

namespace blindspot {
namespace {

template <class E, size_t N>
std::optional<E> ParseEnum(std::string_view text, const std::array<std::string_view, N>& names) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

template <size_t N>
std::vector<std::string_view> AsVector(const std::array<std::string_view, N>& names) {
  return std::vector<std::string_view>(names.begin(), names.end());
}

// Order must follow the enum declarations in register.h.
constexpr std::array<std::string_view, 6> kLawfulBasis = {
    "consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"};
constexpr std::array<std::string_view, 6> kSafeguard = {
    "adequacy_decision", "data_privacy_framework", "sccs", "bcrs", "derogation_art49", "none"};
constexpr std::array<std::string_view, 3> kRole = {"processor", "joint_controller", "independent_controller"};
constexpr std::array<std::string_view, 4> kAgreement = {"signed", "pending", "missing", "not_required"};
constexpr std::array<std::string_view, 5> kDpia = {"not_assessed", "not_required", "required", "in_progress",
                                                   "completed"};

}  // namespace

std::string_view ToString(LawfulBasis v) { return kLawfulBasis[static_cast<size_t>(v)]; }
std::string_view ToString(TransferSafeguard v) { return kSafeguard[static_cast<size_t>(v)]; }
std::string_view ToString(VendorRole v) { return kRole[static_cast<size_t>(v)]; }
std::string_view ToString(AgreementStatus v) { return kAgreement[static_cast<size_t>(v)]; }
std::string_view ToString(DpiaStatus v) { return kDpia[static_cast<size_t>(v)]; }

std::optional<LawfulBasis> ParseLawfulBasis(std::string_view s) {
  return ParseEnum<LawfulBasis>(s, kLawfulBasis);
}
std::optional<TransferSafeguard> ParseTransferSafeguard(std::string_view s) {
  return ParseEnum<TransferSafeguard>(s, kSafeguard);
}
std::optional<VendorRole> ParseVendorRole(std::string_view s) { return ParseEnum<VendorRole>(s, kRole); }
std::optional<AgreementStatus> ParseAgreementStatus(std::string_view s) {
  return ParseEnum<AgreementStatus>(s, kAgreement);
}
std::optional<DpiaStatus> ParseDpiaStatus(std::string_view s) { return ParseEnum<DpiaStatus>(s, kDpia); }

const std::vector<std::string_view>& LawfulBasisValues() {
  static const auto v = AsVector(kLawfulBasis);
  return v;
}
const std::vector<std::string_view>& TransferSafeguardValues() {
  static const auto v = AsVector(kSafeguard);
  return v;
}
const std::vector<std::string_view>& VendorRoleValues() {
  static const auto v = AsVector(kRole);
  return v;
}
const std::vector<std::string_view>& AgreementStatusValues() {
  static const auto v = AsVector(kAgreement);
  return v;
}
const std::vector<std::string_view>& DpiaStatusValues() {
  static const auto v = AsVector(kDpia);
  return v;
}

std::string AllowedValues(const std::vector<std::string_view>& values) {
  std::string out = "one of ";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += values[i];
  }
  return out;
}

bool IsValidArt9Condition(Art9Condition c) { return c >= 'a' && c <= 'j'; }

bool IsEeaCountry(std::string_view iso2) {
  // EU member states (Art. 52 TEU) plus the EEA EFTA states Iceland, Liechtenstein, Norway.
  static constexpr std::string_view kEea[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
                                              "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
                                              "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"};
  for (auto c : kEea)
    if (c == iso2) return true;
  return false;
}

namespace {
template <class T>
const T* FindById(const std::vector<T>& v, std::string_view id) {
  for (const auto& x : v)
    if (x.id == id) return &x;
  return nullptr;
}
}  // namespace

const ProcessingActivity* Register::FindActivity(std::string_view id) const {
  return FindById(activities, id);
}
const Processor* Register::FindProcessor(std::string_view id) const { return FindById(processors, id); }
const System* Register::FindSystem(std::string_view id) const { return FindById(systems, id); }
const Touchpoint* Register::FindTouchpoint(std::string_view id) const { return FindById(touchpoints, id); }

void ClearLocations(Register& r) {
  r.organisation.loc = {};
  r.organisation.contact.loc = {};
  r.organisation.dpo.loc = {};
  r.organisation.representative.loc = {};
  for (auto& a : r.activities) {
    a.loc = {};
    for (auto& p : a.purposes) p.loc = {};
    for (auto& s : a.special_categories) s.loc = {};
    a.recipients.loc = {};
    for (auto& t : a.transfers) t.loc = {};
    for (auto& t : a.retention) t.loc = {};
    a.toms.loc = {};
    a.dpia.loc = {};
  }
  for (auto& p : r.processors) {
    p.loc = {};
    p.agreement.loc = {};
    for (auto& s : p.sub_processors) s.loc = {};
  }
  for (auto& s : r.systems) s.loc = {};
  for (auto& t : r.touchpoints) {
    t.loc = {};
    t.answers.loc = {};
  }
  for (auto& pr : r.processor_records) {
    pr.loc = {};
    pr.controller_contact.loc = {};
    for (auto& t : pr.transfers) t.loc = {};
    pr.toms.loc = {};
  }
}

namespace {

std::string_view Article(std::string_view noun) {
  return !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos ? "an" : "a";
}

class Validator {
 public:
  Validator(const Register& r, const LocRefiner& refine) : r_(r), refine_(refine) {}

  Diagnostics Run() {
    CheckIds("activity", "activities", r_.activities);
    CheckIds("processor", "processors", r_.processors);
    CheckIds("system", "systems", r_.systems);
    CheckIds("touchpoint", "touchpoints", r_.touchpoints);

    for (const auto& a : r_.activities) {
      for (size_t i = 0; i < a.systems.size(); ++i)
        CheckRef(a.loc, "systems", i, a.systems[i], "system", "activity '" + a.id + "'");
      for (size_t i = 0; i < a.recipients.processors.size(); ++i)
        CheckRef(a.recipients.loc.line ? a.recipients.loc : a.loc, "recipients.processors", i,
                 a.recipients.processors[i], "processor", "activity '" + a.id + "'");
      for (size_t i = 0; i < a.special_categories.size(); ++i) {
        const auto& sc = a.special_categories[i];
        if (sc.condition && !IsValidArt9Condition(*sc.condition)) {
          std::string shown(1, *sc.condition);
          Add(ErrorKind::kSchema, At(sc.loc, "condition", 0),
              fmt::format("invalid Art. 9(2) condition '{}' in activity '{}'", shown, a.id),
              "one of a, b, c, d, e, f, g, h, i, j (the letter of Art. 9(2))",
              "e.g. 'a' for explicit consent, 'b' for employment and social security law");
        }
      }
    }
    for (const auto& s : r_.systems)
      if (!s.processor.empty())
        CheckRef(s.loc, "processor", 0, s.processor, "processor", "system '" + s.id + "'");
    for (const auto& t : r_.touchpoints) {
      if (!t.vendor.empty()) CheckRef(t.loc, "vendor", 0, t.vendor, "processor", "touchpoint '" + t.id + "'");
      for (size_t i = 0; i < t.activities.size(); ++i)
        CheckRef(t.loc, "activities", i, t.activities[i], "activity", "touchpoint '" + t.id + "'");
    }
    return std::move(out_);
  }

 private:
  Loc At(const Loc& owner, std::string_view field, size_t index) const {
    if (refine_) {
      Loc l = refine_(owner, field, index);
      if (l.line) return l;
    }
    return owner;
  }

  void Add(ErrorKind kind, const Loc& loc, std::string message, std::string expected, std::string hint) {
    Error e;
    e.kind = kind;
    e.message = std::move(message);
    e.where.file = r_.source;
    e.where.line = loc.line;
    e.where.column = loc.column;
    e.expected = std::move(expected);
    e.hint = std::move(hint);
    out_.push_back(std::move(e));
  }

  template <class T>
  void CheckIds(const std::string& what, const std::string& list, const std::vector<T>& items) {
    std::unordered_map<std::string, Loc> seen;
    for (size_t i = 0; i < items.size(); ++i) {
      const T& x = items[i];
      if (x.id.empty()) {
        Add(ErrorKind::kSchema, x.loc, fmt::format("{} #{} in '{}' has no id", what, i + 1, list),
            "an 'id' key with a unique, non-empty text value",
            "add e.g. `id: " + SuggestId(x.name, what) + "`");
      } else {
        for (char c : x.id) {
          if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            Add(ErrorKind::kSchema, At(x.loc, "id", 0),
                fmt::format("{} id '{}' contains whitespace", what, x.id), "an id without spaces",
                "use a slug such as '" + SuggestId(x.id, what) + "'");
            break;
          }
        }
        auto [it, inserted] = seen.emplace(x.id, At(x.loc, "id", 0));
        if (!inserted) {
          std::string first = it->second.line ? fmt::format("line {}", it->second.line) : "earlier";
          Add(ErrorKind::kReference, At(x.loc, "id", 0), fmt::format("duplicate {} id '{}'", what, x.id),
              fmt::format("{} {} id that is unique within '{}'", Article(what), what, list),
              fmt::format("'{}' is already defined at {}; rename one of them", x.id, first));
        }
      }
      if (x.name.empty()) {
        Add(ErrorKind::kSchema, x.loc,
            fmt::format("{} '{}' has no name", what, x.id.empty() ? fmt::format("#{}", i + 1) : x.id),
            "a 'name' key with a non-empty text value", "add a human-readable name, e.g. `name: ...`");
      }
    }
  }

  static std::string SuggestId(std::string_view from, std::string_view what) {
    std::string out;
    for (char c : from) {
      unsigned char u = static_cast<unsigned char>(c);
      if (std::isalnum(u))
        out += static_cast<char>(std::tolower(u));
      else if (!out.empty() && out.back() != '-')
        out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? std::string("my-") + std::string(what) : out;
  }

  std::vector<std::string_view> IdsOf(const std::string& kind) const {
    std::vector<std::string_view> ids;
    if (kind == "system")
      for (const auto& x : r_.systems) ids.push_back(x.id);
    if (kind == "processor")
      for (const auto& x : r_.processors) ids.push_back(x.id);
    if (kind == "activity")
      for (const auto& x : r_.activities) ids.push_back(x.id);
    return ids;
  }

  bool Exists(const std::string& kind, std::string_view id) const {
    if (kind == "system") return r_.FindSystem(id) != nullptr;
    if (kind == "processor") return r_.FindProcessor(id) != nullptr;
    if (kind == "activity") return r_.FindActivity(id) != nullptr;
    return false;
  }

  void CheckRef(const Loc& owner, std::string_view field, size_t index, const std::string& id,
                const std::string& kind, const std::string& from) {
    if (Exists(kind, id)) return;
    std::string plural = kind == "activity" ? "activities" : kind + "s";
    std::string hint = DidYouMean(id, IdsOf(kind));
    if (hint.empty()) {
      for (const char* other : {"system", "processor", "activity"}) {
        if (other != kind && Exists(other, id)) {
          hint = fmt::format("'{}' is {} {}, not {} {}", id, Article(other), other, Article(kind), kind);
          break;
        }
      }
    }
    if (hint.empty()) {
      auto ids = IdsOf(kind);
      if (ids.empty()) {
        hint = fmt::format("there are no {} in this register; add one under '{}:'", plural, plural);
      } else {
        hint = fmt::format("add {} {} with id '{}' under '{}:', or use an existing id", Article(kind), kind,
                           id, plural);
      }
    }
    Add(ErrorKind::kReference, At(owner, field, index),
        fmt::format("{} refers to unknown {} '{}' in '{}'", from, kind, id, field),
        fmt::format("the id of {} {} defined under '{}:'", Article(kind), kind, plural), hint);
  }

  const Register& r_;
  const LocRefiner& refine_;
  Diagnostics out_;
};

}  // namespace

Diagnostics ValidateRegister(const Register& r, const LocRefiner& refine) {
  return Validator(r, refine).Run();
}
Diagnostics ValidateRegister(const Register& r) { return ValidateRegister(r, LocRefiner{}); }

std::optional<std::string_view> EnumValueForDutchTerm(std::string_view term) {
  // Dutch terms from the project glossary (shared/glossary.md, AVG wording).
  static const std::pair<std::string_view, std::string_view> kTerms[] = {
      {"toestemming", "consent"},
      {"overeenkomst", "contract"},
      {"uitvoering overeenkomst", "contract"},
      {"wettelijke verplichting", "legal_obligation"},
      {"vitaal belang", "vital_interests"},
      {"vitale belangen", "vital_interests"},
      {"algemeen belang", "public_task"},
      {"openbaar gezag", "public_task"},
      {"gerechtvaardigd belang", "legitimate_interests"},
      {"gerechtvaardigde belangen", "legitimate_interests"},
      {"adequaatheidsbesluit", "adequacy_decision"},
      {"modelcontractbepalingen", "sccs"},
      {"standaardcontractbepalingen", "sccs"},
      {"uitzondering", "derogation_art49"},
      {"verwerker", "processor"},
      {"gezamenlijke verwerkingsverantwoordelijke", "joint_controller"},
      {"gezamenlijke verwerkingsverantwoordelijken", "joint_controller"},
      {"verwerkingsverantwoordelijke", "independent_controller"},
      {"getekend", "signed"},
      {"ondertekend", "signed"},
      {"ontbreekt", "missing"},
      {"niet nodig", "not_required"},
      {"niet vereist", "not_required"},
  };
  std::string norm;
  for (char c : term) {
    if (c == '_' || c == '-') c = ' ';
    norm += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const auto& [nl, en] : kTerms)
    if (norm == nl) return en;
  return std::nullopt;
}

}  // namespace blindspot
