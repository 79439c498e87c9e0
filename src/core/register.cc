#include "blindspot/register.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <unordered_map>
#include <unordered_set>

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

// Order must follow the enum declarations in register.h; the same values are
// the vocabularies of data/vocab.yaml (a unit test keeps them equal).
constexpr std::array<std::string_view, 6> kLawfulBasis = {
    "consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"};
constexpr std::array<std::string_view, 7> kSafeguard = {
    "adequacy_decision", "data_privacy_framework", "sccs", "bcrs",
    "derogation_art49",  "privacy_shield",         "none"};
constexpr std::array<std::string_view, 3> kRole = {"processor", "joint_controller", "independent_controller"};
constexpr std::array<std::string_view, 4> kAgreement = {"signed", "pending", "missing", "not_required"};
constexpr std::array<std::string_view, 5> kDpia = {"not_assessed", "not_required", "required", "in_progress",
                                                   "completed"};
constexpr std::array<std::string_view, 3> kRecipientKind = {"internal", "external", "processor"};
constexpr std::array<std::string_view, 14> kQuestionIds = {"in_use",
                                                           "in_use_since",
                                                           "stored_by_us",
                                                           "stored_by_us_where",
                                                           "stored_by_vendor",
                                                           "stored_by_vendor_details",
                                                           "informed_statement",
                                                           "informed_section",
                                                           "data_collected",
                                                           "lawful_basis",
                                                           "necessity",
                                                           "subsidiarity",
                                                           "proportionality",
                                                           "security_measures"};

}  // namespace

std::string_view ToString(LawfulBasis v) { return kLawfulBasis[static_cast<size_t>(v)]; }
std::string_view ToString(TransferSafeguard v) { return kSafeguard[static_cast<size_t>(v)]; }
std::string_view ToString(VendorRole v) { return kRole[static_cast<size_t>(v)]; }
std::string_view ToString(AgreementStatus v) { return kAgreement[static_cast<size_t>(v)]; }
std::string_view ToString(DpiaStatus v) { return kDpia[static_cast<size_t>(v)]; }
std::string_view ToString(RecipientKind v) { return kRecipientKind[static_cast<size_t>(v)]; }

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
std::optional<RecipientKind> ParseRecipientKind(std::string_view s) {
  return ParseEnum<RecipientKind>(s, kRecipientKind);
}

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
const std::vector<std::string_view>& RecipientKindValues() {
  static const auto v = AsVector(kRecipientKind);
  return v;
}
const std::vector<std::string_view>& TouchpointQuestionIds() {
  static const auto v = AsVector(kQuestionIds);
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

bool TouchpointAnswers::empty() const { return *this == TouchpointAnswers{}; }
bool AudienceList::empty() const { return *this == AudienceList{}; }
bool WhatsAppUse::empty() const { return *this == WhatsAppUse{}; }
bool CallRecording::empty() const { return *this == CallRecording{}; }
bool ChatTranscripts::empty() const { return *this == ChatTranscripts{}; }
bool EmailTracking::empty() const { return *this == EmailTracking{}; }
bool ContactFacts::empty() const { return *this == ContactFacts{}; }
bool AnalyticsExemption::empty() const { return *this == AnalyticsExemption{}; }
bool Discovered::empty() const { return *this == Discovered{}; }

const std::vector<std::string_view>& AnalyticsExemptionConditions() {
  static const std::vector<std::string_view> kAll = {"processor_agreement", "ip_masked", "no_sharing",
                                                     "no_other_services", "informed"};
  return kAll;
}

std::optional<bool> AnalyticsExemptionAnswer(const AnalyticsExemption& a, std::string_view condition) {
  if (condition == "processor_agreement") return a.processor_agreement;
  if (condition == "ip_masked") return a.ip_masked;
  if (condition == "no_sharing") return a.no_sharing;
  if (condition == "no_other_services") return a.no_other_services;
  if (condition == "informed") return a.informed;
  if (condition == "cookieless") return a.cookieless;
  return std::nullopt;
}

bool IsValidArt9Condition(Art9Condition c) { return c >= 'a' && c <= 'j'; }

bool IsEeaCountry(std::string_view iso2) {
  // EU member states (Art. 52 TEU, "EL" being the EU's own code for Greece)
  // plus the EEA EFTA states Iceland, Liechtenstein and Norway.
  static constexpr std::string_view kEea[] = {
      "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE", "IT",
      "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"};
  for (auto c : kEea)
    if (c == iso2) return true;
  return false;
}

bool IsIsoCountryCode(std::string_view code) {
  // ISO 3166-1 alpha-2, officially assigned codes (249).
  static const std::unordered_set<std::string_view> kCodes = {
      "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA",
      "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV",
      "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU",
      "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES",
      "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM",
      "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE",
      "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM",
      "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
      "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT",
      "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU",
      "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA",
      "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM",
      "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL",
      "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE",
      "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW"};
  return kCodes.count(code) > 0;
}

std::optional<std::string_view> CountryCodeHint(std::string_view code) {
  static constexpr std::pair<std::string_view, std::string_view> kHints[] = {
      {"UK", "GB"},  {"EL", "GR"},  {"EN", "GB"},  {"USA", "US"}, {"NED", "NL"},
      {"GER", "DE"}, {"DEU", "DE"}, {"NLD", "NL"}, {"GBR", "GB"}, {"IRL", "IE"},
      {"FRA", "FR"}, {"BEL", "BE"}, {"ESP", "ES"}, {"ITA", "IT"}};
  std::string up;
  for (char c : code) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const auto& [from, to] : kHints)
    if (up == from) return to;
  if (up.size() == 2 && IsIsoCountryCode(up)) {
    static thread_local std::string buf;
    buf = up;
    return std::string_view(buf);
  }
  return std::nullopt;
}

bool IsCalendarDate(std::string_view s) {
  auto digits = [&](size_t from, size_t n) {
    if (s.size() < from + n) return -1;
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  int year = digits(0, 4);
  if (year < 0) return false;
  if (s.size() == 4) return year >= 1000;
  if (s[4] != '-') return false;
  int month = digits(5, 2);
  if (month < 1 || month > 12) return false;
  if (s.size() == 7) return true;
  if (s.size() < 10 || s[7] != '-') return false;
  int day = digits(8, 2);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  if (day < 1 || day > max) return false;
  return s.size() == 10 || s[10] == 'T' || s[10] == ' ';
}

// ---- register lookups ---------------------------------------------------------

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
bool Register::empty() const {
  return source.empty() && activities.empty() && processors.empty() && systems.empty() &&
         touchpoints.empty() && processor_records.empty() && organisation == Organisation{};
}

RegisterIndex::RegisterIndex(const Register& r) {
  // First definition wins, as in Register::Find*.
  for (const auto& x : r.activities) activities_.emplace(x.id, &x);
  for (const auto& x : r.processors) processors_.emplace(x.id, &x);
  for (const auto& x : r.systems) systems_.emplace(x.id, &x);
  for (const auto& x : r.touchpoints) touchpoints_.emplace(x.id, &x);
}

namespace {
template <class M>
auto Lookup(const M& m, std::string_view id) -> typename M::mapped_type {
  auto it = m.find(id);
  return it == m.end() ? nullptr : it->second;
}
}  // namespace

const ProcessingActivity* RegisterIndex::FindActivity(std::string_view id) const {
  return Lookup(activities_, id);
}
const Processor* RegisterIndex::FindProcessor(std::string_view id) const { return Lookup(processors_, id); }
const System* RegisterIndex::FindSystem(std::string_view id) const { return Lookup(systems_, id); }
const Touchpoint* RegisterIndex::FindTouchpoint(std::string_view id) const {
  return Lookup(touchpoints_, id);
}

// ---- paths and source maps ------------------------------------------------------

namespace path {
std::string Item(std::string_view list, std::string_view id) {
  std::string s;
  s.reserve(list.size() + id.size() + 2);
  s.append(list).append("[").append(id).append("]");
  return s;
}
std::string Item(std::string_view parent, std::string_view list, std::string_view id) {
  std::string s;
  s.reserve(parent.size() + list.size() + id.size() + 3);
  if (!parent.empty()) s.append(parent).append(".");
  s.append(list).append("[").append(id).append("]");
  return s;
}
std::string Field(std::string_view parent, std::string_view field) {
  std::string s;
  s.reserve(parent.size() + field.size() + 1);
  if (!parent.empty()) s.append(parent).append(".");
  s.append(field);
  return s;
}
std::string Index(std::string_view parent, std::string_view list, size_t index) {
  return Item(parent, list, std::to_string(index));
}
std::string_view Parent(std::string_view p) {
  // The last top-level '.' or '[' (outside brackets) ends the parent.
  size_t cut = 0;
  int depth = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '[') {
      if (depth == 0) cut = i;
      ++depth;
    } else if (c == ']') {
      if (depth > 0) --depth;
    } else if (c == '.' && depth == 0) {
      cut = i;
    }
  }
  return p.substr(0, cut);
}
}  // namespace path

namespace {
uint64_t HashPath(std::string_view s) { return std::hash<std::string_view>{}(s); }
}  // namespace

void SourceMap::Add(std::string_view p, Loc loc) {
  if (loc.line == 0) return;
  entries_.push_back({HashPath(p), loc});
  sorted_ = false;
}

void SourceMap::Finish() {
  if (sorted_) return;
  // LSD radix sort on the hash, 8 bits per pass: stable, so for equal hashes
  // the first recorded position stays first.
  std::vector<Entry> tmp(entries_.size());
  for (int shift = 0; shift < 64; shift += 8) {
    size_t count[257] = {};
    for (const Entry& e : entries_) ++count[((e.hash >> shift) & 0xFF) + 1];
    for (int i = 0; i < 256; ++i) count[i + 1] += count[i];
    for (const Entry& e : entries_) tmp[count[(e.hash >> shift) & 0xFF]++] = e;
    entries_.swap(tmp);
  }
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [](const Entry& a, const Entry& b) { return a.hash == b.hash; }),
                 entries_.end());
  sorted_ = true;
}

const SourceMap::Entry* SourceMap::Lookup(uint64_t h) const {
  if (sorted_) {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), h,
                               [](const Entry& e, uint64_t v) { return e.hash < v; });
    return it != entries_.end() && it->hash == h ? &*it : nullptr;
  }
  for (const Entry& e : entries_)  // not finished: the first recorded wins
    if (e.hash == h) return &e;
  return nullptr;
}

Loc SourceMap::Find(std::string_view p) const {
  while (!p.empty()) {
    if (const Entry* e = Lookup(HashPath(p))) return e->loc;
    p = path::Parent(p);
  }
  return {};
}

// ---- derived ids ------------------------------------------------------------------

std::vector<std::string> DeriveIds(const std::vector<std::string>& ids, std::string_view prefix) {
  std::set<std::string, std::less<>> taken(ids.begin(), ids.end());
  std::vector<std::string> out = ids;
  size_t n = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    if (!out[i].empty()) continue;
    // Position-based, skipping ids an explicit sibling already uses.
    std::string id = fmt::format("{}-{}", prefix, i + 1);
    while (taken.count(id)) id = fmt::format("{}-{}.{}", prefix, i + 1, ++n);
    taken.insert(id);
    out[i] = std::move(id);
  }
  return out;
}

namespace {
template <class T>
void Derive(std::vector<T>& items, std::string_view prefix) {
  std::vector<std::string> ids;
  ids.reserve(items.size());
  for (const T& x : items) ids.push_back(x.id);
  ids = DeriveIds(ids, prefix);
  for (size_t i = 0; i < items.size(); ++i) items[i].id = std::move(ids[i]);
}
}  // namespace

void AssignDerivedIds(Register& reg) {
  for (auto& a : reg.activities) {
    Derive(a.purposes, "purpose");
    Derive(a.special_categories, "special-category");
    Derive(a.recipients, "recipient");
    Derive(a.transfers, "transfer");
    Derive(a.retention, "retention");
  }
  for (auto& pr : reg.processor_records) Derive(pr.transfers, "transfer");
}

// ---- validation -------------------------------------------------------------------

namespace {

std::string_view Article(std::string_view noun) {
  return !noun.empty() && std::string_view("aeiou").find(noun[0]) != std::string_view::npos ? "an" : "a";
}

class Validator {
 public:
  explicit Validator(const Register& r) : r_(r), index_(r) {}

  Diagnostics Run() {
    CheckIds("activity", "activities", r_.activities);
    CheckIds("processor", "processors", r_.processors);
    CheckIds("system", "systems", r_.systems);
    CheckIds("touchpoint", "touchpoints", r_.touchpoints);

    for (const auto& a : r_.activities) {
      std::string ap = path::Item("activities", a.id);
      for (size_t i = 0; i < a.systems.size(); ++i)
        CheckRef(path::Index(ap, "systems", i), a.systems[i], "system", "activity '" + a.id + "'", "systems");
      CheckNested("purpose", ap, "purposes", a.purposes);
      CheckNested("special category", ap, "special_categories", a.special_categories);
      CheckNested("recipient", ap, "recipients", a.recipients);
      CheckNested("transfer", ap, "transfers", a.transfers);
      CheckNested("retention rule", ap, "retention", a.retention);
      for (const auto& rc : a.recipients) {
        if (rc.kind == RecipientKind::kProcessor && !rc.processor.empty())
          CheckRef(path::Field(path::Item(ap, "recipients", rc.id), "processor"), rc.processor, "processor",
                   "activity '" + a.id + "'", "recipients");
      }
      for (const auto& sc : a.special_categories) {
        if (sc.condition && !IsValidArt9Condition(*sc.condition)) {
          std::string shown(1, *sc.condition);
          Add(ErrorKind::kSchema, path::Field(path::Item(ap, "special_categories", sc.id), "condition"),
              fmt::format("invalid Art. 9(2) condition '{}' in activity '{}'", shown, a.id),
              "one of a, b, c, d, e, f, g, h, i, j (the letter of Art. 9(2))",
              "e.g. 'a' for explicit consent, 'b' for employment and social security law");
        }
      }
    }
    for (const auto& s : r_.systems)
      if (!s.processor.empty())
        CheckRef(path::Field(path::Item("systems", s.id), "processor"), s.processor, "processor",
                 "system '" + s.id + "'", "processor");
    for (const auto& t : r_.touchpoints) {
      std::string tp = path::Item("touchpoints", t.id);
      if (!t.vendor.empty())
        CheckRef(path::Field(tp, "vendor"), t.vendor, "processor", "touchpoint '" + t.id + "'", "vendor");
      for (size_t i = 0; i < t.activities.size(); ++i)
        CheckRef(path::Index(tp, "activities", i), t.activities[i], "activity", "touchpoint '" + t.id + "'",
                 "activities");
      if (!t.contact.whatsapp.provider.empty())
        CheckRef(path::Field(path::Field(path::Field(tp, "contact"), "whatsapp"), "provider"),
                 t.contact.whatsapp.provider, "processor", "touchpoint '" + t.id + "'",
                 "contact.whatsapp.provider");
    }
    return std::move(out_);
  }

 private:
  void Add(ErrorKind kind, std::string p, std::string message, std::string expected, std::string hint) {
    Error e;
    e.kind = kind;
    e.message = std::move(message);
    e.where.file = r_.source;
    e.path = std::move(p);
    e.expected = std::move(expected);
    e.hint = std::move(hint);
    out_.push_back(std::move(e));
  }

  // Ids are slugs: lower-case letters a-z, digits, '-', '_' and '.', starting
  // with a letter or digit. They appear in field paths and in the server's
  // URLs (/records/{kind}/{id}), which cannot carry '/', '"', '<', '?', ...
  static constexpr std::string_view kSlug =
      "a slug: lower-case letters a-z, digits 0-9, '-', '_' and '.', starting with a letter or digit";
  static bool SlugChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  }
  // What is wrong with `id` as a slug ("" when nothing).
  static std::string NotASlug(std::string_view id) {
    for (size_t i = 0; i < id.size(); ++i) {
      const char c = id[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return "whitespace";
      if (c == '[' || c == ']') return "a bracket";
      if (c >= 'A' && c <= 'Z') return fmt::format("an upper-case letter ('{}')", c);
      if (static_cast<unsigned char>(c) >= 0x80) return "a character outside a-z";
      if (!SlugChar(c)) return fmt::format("'{}'", c);
      if (i == 0 && (c == '-' || c == '_' || c == '.')) return fmt::format("'{}' at the start", c);
    }
    return "";
  }

  template <class T>
  void CheckIds(const std::string& what, const std::string& list, const std::vector<T>& items) {
    std::unordered_map<std::string_view, size_t> seen;
    for (size_t i = 0; i < items.size(); ++i) {
      const T& x = items[i];
      // An item without id is addressed by position until it has one.
      std::string item_path = x.id.empty() ? path::Index("", list, i) : path::Item(list, x.id);
      if (x.id.empty()) {
        Add(ErrorKind::kSchema, item_path, fmt::format("{} #{} in '{}' has no id", what, i + 1, list),
            "an 'id' key with a unique, non-empty text value",
            "add e.g. `id: " + SuggestId(x.name, what) + "`");
      } else {
        if (std::string bad = NotASlug(x.id); !bad.empty()) {
          Add(ErrorKind::kSchema, path::Field(item_path, "id"),
              fmt::format("{} id '{}' contains {}", what, x.id, bad), std::string(kSlug),
              "use a slug such as '" + SuggestId(x.id, what) + "'");
        }
        auto [it, inserted] = seen.emplace(x.id, i);
        if (!inserted) {
          Add(ErrorKind::kReference, path::Index("", list, i) + ".id",
              fmt::format("duplicate {} id '{}'", what, x.id),
              fmt::format("{} {} id that is unique within '{}'", Article(what), what, list),
              fmt::format("'{}' is already the id of {} #{}; rename one of them", x.id, what,
                          it->second + 1));
        }
      }
      if (x.name.empty()) {
        Add(ErrorKind::kSchema, item_path,
            fmt::format("{} '{}' has no name", what, x.id.empty() ? fmt::format("#{}", i + 1) : x.id),
            "a 'name' key with a non-empty text value", "add a human-readable name, e.g. `name: ...`");
      }
    }
  }

  // Nested items: ids unique among their siblings (derived ids are unique by construction).
  template <class T>
  void CheckNested(const std::string& what, const std::string& parent, std::string_view list,
                   const std::vector<T>& items) {
    std::unordered_map<std::string_view, size_t> seen;
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string& id = items[i].id;
      if (id.empty()) continue;
      if (std::string bad = NotASlug(id); !bad.empty()) {
        Add(ErrorKind::kSchema, path::Index(parent, list, i) + ".id",
            fmt::format("{} id '{}' contains {}", what, id, bad), std::string(kSlug),
            "use a slug such as '" + SuggestId(id, what) + "'");
      }
      auto [it, inserted] = seen.emplace(id, i);
      if (!inserted)
        Add(ErrorKind::kReference, path::Index(parent, list, i) + ".id",
            fmt::format("duplicate {} id '{}' in '{}'", what, id, parent),
            fmt::format("{} {} id that is unique within this list", Article(what), what),
            fmt::format("'{}' is already the id of {} #{}; rename one of them", id, what, it->second + 1));
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
    std::string w(what);
    std::replace(w.begin(), w.end(), ' ', '-');
    return out.empty() ? "my-" + w : out;
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
    if (kind == "system") return index_.FindSystem(id) != nullptr;
    if (kind == "processor") return index_.FindProcessor(id) != nullptr;
    if (kind == "activity") return index_.FindActivity(id) != nullptr;
    return false;
  }

  void CheckRef(std::string p, const std::string& id, const std::string& kind, const std::string& from,
                std::string_view field) {
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
      if (IdsOf(kind).empty()) {
        hint = fmt::format("there are no {} in this register; add one under '{}:'", plural, plural);
      } else {
        hint = fmt::format("add {} {} with id '{}' under '{}:', or use an existing id", Article(kind), kind,
                           id, plural);
      }
    }
    Add(ErrorKind::kReference, std::move(p),
        fmt::format("{} refers to unknown {} '{}' in '{}'", from, kind, id, field),
        fmt::format("the id of {} {} defined under '{}:'", Article(kind), kind, plural), hint);
  }

  const Register& r_;
  RegisterIndex index_;
  Diagnostics out_;
};

}  // namespace

Diagnostics ValidateRegister(const Register& r) { return Validator(r).Run(); }

Diagnostics CheckProductIds(const Register& reg, const std::vector<std::string_view>& kb_ids) {
  Diagnostics out;
  if (reg.touchpoints.empty()) return out;
  const std::unordered_set<std::string_view> known(kb_ids.begin(), kb_ids.end());
  std::unordered_map<std::string_view, std::string> hints;  // one search per distinct unknown id
  for (const Touchpoint& tp : reg.touchpoints) {
    if (tp.product.empty() || known.count(tp.product)) continue;
    auto [it, fresh] = hints.try_emplace(tp.product);
    if (fresh) {
      it->second = DidYouMeanOneOf(tp.product, kb_ids);
      if (it->second.empty())
        it->second =
            "if the knowledge base has no entry for this product, add one (docs/kb.md) or leave 'product' "
            "out";
    }
    Error e;
    e.kind = ErrorKind::kReference;
    e.warning = true;
    e.message = fmt::format(
        "touchpoint '{}' names product '{}', which the knowledge base does not have; the audit cannot match "
        "it with the traffic",
        tp.id, tp.product);
    e.where.file = reg.source;
    e.path = path::Field(path::Item("touchpoints", tp.id), "product");
    e.expected = "a knowledge-base product id; `blindspot kb` lists them";
    e.hint = it->second;
    out.push_back(std::move(e));
  }
  return out;
}

std::optional<std::string_view> EnumValueForTerm(std::string_view term) {
  // Dutch terms from the project glossary (shared/glossary.md, AVG wording) and
  // the German terms of the DSGVO.
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
      {"einwilligung", "consent"},
      {"vertrag", "contract"},
      {"vertragserfüllung", "contract"},
      {"rechtliche verpflichtung", "legal_obligation"},
      {"lebenswichtige interessen", "vital_interests"},
      {"öffentliche aufgabe", "public_task"},
      {"berechtigtes interesse", "legitimate_interests"},
      {"berechtigte interessen", "legitimate_interests"},
      {"angemessenheitsbeschluss", "adequacy_decision"},
      {"standardvertragsklauseln", "sccs"},
      {"standarddatenschutzklauseln", "sccs"},
      {"auftragsverarbeiter", "processor"},
      {"gemeinsam verantwortliche", "joint_controller"},
      {"gemeinsam verantwortlicher", "joint_controller"},
      {"verantwortlicher", "independent_controller"},
      {"unterzeichnet", "signed"},
      {"fehlt", "missing"},
      {"nicht erforderlich", "not_required"},
  };
  std::string norm;
  for (size_t i = 0; i < term.size(); ++i) {
    char c = term[i];
    if (c == '_' || c == '-') c = ' ';
    // Capital umlauts (UTF-8 C3 84/96/9C) to their lower-case forms (C3 A4/B6/BC).
    if (static_cast<unsigned char>(c) == 0xC3 && i + 1 < term.size()) {
      unsigned char n = static_cast<unsigned char>(term[i + 1]);
      if (n == 0x84 || n == 0x96 || n == 0x9C) n += 0x20;
      norm += c;
      norm += static_cast<char>(n);
      ++i;
      continue;
    }
    norm += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  for (const auto& [word, en] : kTerms)
    if (norm == word) return en;
  return std::nullopt;
}

}  // namespace blindspot
