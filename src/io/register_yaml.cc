// The native register format: strict reader and writer (docs/formats/register.md).
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <tuple>

#include "blindspot/fideslang.h"
#include "blindspot/io.h"
#include "blindspot/suggest.h"
#include "io/register_schema.h"
#include "io/yaml_util.h"

namespace blindspot {
namespace {

using yamlutil::ToLoc;

class NativeParser {
 public:
  NativeParser(std::string_view text, const std::string& file) : text_(text), src_(text, file) {}

  std::expected<Register, Diagnostics> Run() {
    Register reg;
    reg.source = src_.file();
    std::optional<YAML::Node> root = yamlutil::Load(text_, src_, errs_);
    if (root) Top(*root, reg);
    // Reference problems are reported together with schema problems: all problems at once.
    if (root) {
      Diagnostics v = ValidateRegister(reg, [this](const Loc& owner, std::string_view field, size_t index) {
        auto it = refs_.find({owner.line, owner.column, std::string(field), index});
        return it == refs_.end() ? Loc{} : it->second;
      });
      for (auto& e : v) {
        // An id/name of the wrong type was already reported; "has no id/name" would repeat it.
        bool repeat = false;
        for (const auto& [loc, suffix] : bad_identity_)
          if (e.where.line == loc.line && e.where.column == loc.column && e.message.ends_with(suffix))
            repeat = true;
        if (!repeat) errs_.push_back(std::move(e));
      }
    }
    src_.Finish(errs_);
    if (!errs_.empty()) return std::unexpected(std::move(errs_));
    return reg;
  }

 private:
  // ---- error helpers ----
  Loc LocOf(const YAML::Node& n, const Loc& fallback = {}) const {
    Loc l = ToLoc(n.Mark());
    return l.line ? l : fallback;
  }
  void Err(ErrorKind kind, const Loc& loc, std::string msg, std::string expected = {},
           std::string hint = {}) {
    errs_.push_back(
        yamlutil::MakeAt(kind, src_.file(), loc, std::move(msg), std::move(expected), std::move(hint)));
  }
  void Remember(const Loc& owner, std::string_view field, size_t index, const Loc& at) {
    refs_[{owner.line, owner.column, std::string(field), index}] = at;
  }

  // Walks a map: reports a non-map, unknown keys (with a suggestion) and
  // duplicate keys; calls fn(key, value, key_loc) for each known key.
  template <class Fn>
  bool Map(const YAML::Node& n, std::string_view object, std::string_view where, const Loc& fallback,
           Fn&& fn) {
    if (!n.IsMap()) {
      Err(ErrorKind::kSchema, LocOf(n, fallback),
          fmt::format("{} must be a map, found {}", where, yamlutil::TypeName(n)),
          fmt::format("a map with keys: {}", Join(register_schema::KeysOf(object))),
          n.IsSequence() ? "remove the '- ' in front: this is a single object, not a list"
          : n.IsScalar() ? fmt::format("put its fields on indented lines below the key, e.g. `{}: ...`",
                                       register_schema::KeysOf(object).front())
                         : "");
      return false;
    }
    const auto& keys = register_schema::KeysOf(object);
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      YAML::Node k = it->first;  // a copy: the iterator proxy is a temporary
      Loc kl = LocOf(k, fallback);
      if (!k.IsScalar()) {
        Err(ErrorKind::kSchema, kl, fmt::format("a key in {} is not a text value", where),
            "a plain key name");
        continue;
      }
      std::string key = k.Scalar();
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        std::string hint = DidYouMean(key, keys);
        if (hint.empty()) hint = "remove it, or check the format description in docs/formats/register.md";
        Err(ErrorKind::kSchema, kl, fmt::format("unknown key '{}' in {}", key, where),
            fmt::format("one of {}", Join(keys)), hint);
        continue;
      }
      if (!seen.insert(key).second) {
        Err(ErrorKind::kSchema, kl, fmt::format("duplicate key '{}' in {}", key, where),
            "each key at most once", "remove one of the two; YAML would silently keep only one value");
        continue;
      }
      fn(key, it->second, kl);
    }
    return true;
  }

  static std::string Join(const std::vector<std::string_view>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out += ", ";
      out += v[i];
    }
    return out;
  }

  std::string Str(const YAML::Node& v, const std::string& what, const Loc& kl) {
    if (!v.IsDefined() || v.IsNull()) return "";
    if (!v.IsScalar()) {
      Err(ErrorKind::kSchema, LocOf(v, kl),
          fmt::format("'{}' must be a text value, found {}", what, yamlutil::TypeName(v)), "a text value",
          v.IsSequence() ? "write a single value, or join the items in one text" : "");
      return "";
    }
    const std::string& text = v.Scalar();
    if (text.find('\0') != std::string::npos) {
      // A NUL (from "\u0000") would cut ids and report lines short in other tools.
      Err(ErrorKind::kSchema, LocOf(v, kl), fmt::format("'{}' contains the control character 0x00", what),
          "text without NUL characters", "remove the escape \\u0000 (or \\0) from the value");
      return "";
    }
    return text;
  }

  // id or name of an object: like Str, but remembers a type error so the
  // validator's "has no id/name" for the same object is not reported twice.
  std::string Identity(const YAML::Node& v, const std::string& what, const Loc& kl, const Loc& owner,
                       bool is_id) {
    if (v.IsDefined() && !v.IsNull() && !v.IsScalar())
      bad_identity_.push_back({owner, is_id ? "has no id" : "has no name"});
    std::string s = Str(v, what, kl);
    if (is_id) Remember(owner, "id", 0, LocOf(v, kl));
    return s;
  }

  std::vector<std::string> List(const YAML::Node& v, const std::string& what, const Loc& kl,
                                const Loc& owner = {}, std::string_view ref_field = {}) {
    std::vector<std::string> out;
    if (!v.IsDefined() || v.IsNull()) return out;
    if (!v.IsSequence()) {
      Err(ErrorKind::kSchema, LocOf(v, kl),
          fmt::format("'{}' must be a list, found {}", what, yamlutil::TypeName(v)), "a list of text values",
          v.IsScalar()
              ? fmt::format("write it as a list: `{}: [{}]`", what.substr(what.rfind('.') + 1), v.Scalar())
              : "");
      return out;
    }
    for (size_t i = 0; i < v.size(); ++i) {
      const YAML::Node& item = v[i];
      if (!item.IsScalar()) {
        Err(ErrorKind::kSchema, LocOf(item, kl),
            fmt::format("item {} of '{}' must be a text value, found {}", i + 1, what,
                        yamlutil::TypeName(item)),
            "a text value");
        continue;
      }
      if (!ref_field.empty()) Remember(owner, ref_field, out.size(), LocOf(item, kl));
      out.push_back(item.Scalar());
    }
    return out;
  }

  // Data-category list checked against the fideslang taxonomy.
  std::vector<std::string> Categories(const YAML::Node& v, const std::string& what, const Loc& kl,
                                      bool uses) {
    std::vector<std::string> out = List(v, what, kl);
    if (!v.IsSequence()) return out;
    size_t j = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].IsScalar()) continue;
      CheckTaxonomy(out[j++], LocOf(v[i], kl), what, uses);
    }
    return out;
  }

  void CheckTaxonomy(const std::string& key, const Loc& at, const std::string& what, bool uses) {
    if (uses ? IsKnownDataUse(key) : IsKnownDataCategory(key)) return;
    std::string near = uses ? SuggestDataUse(key) : SuggestDataCategory(key);
    std::string hint = near.empty()
                           ? std::string("see the fideslang taxonomy: https://ethyca.github.io/fideslang/")
                           : "did you mean '" + near + "'?";
    Err(ErrorKind::kSchema, at,
        fmt::format("unknown fideslang {} '{}' in '{}'", uses ? "data use" : "data category", key, what),
        uses ? "a fideslang data_use key, e.g. marketing.advertising.third_party.targeted"
             : "a fideslang data_category key, e.g. user.contact.email",
        hint);
  }

  template <class E>
  std::optional<E> Enum(const YAML::Node& v, const std::string& what, const Loc& kl,
                        std::optional<E> (*parse)(std::string_view),
                        const std::vector<std::string_view>& allowed) {
    std::string s = Str(v, what, kl);
    if (s.empty()) return std::nullopt;
    if (auto e = parse(s)) return e;
    std::string hint = DidYouMean(s, allowed);
    if (auto en = EnumValueForDutchTerm(s))
      hint = fmt::format("'{}' is the Dutch term; the register uses the English value '{}'", s, *en);
    Err(ErrorKind::kSchema, LocOf(v, kl), fmt::format("invalid value '{}' for '{}'", s, what),
        AllowedValues(allowed), hint);
    return std::nullopt;
  }

  std::optional<bool> Bool(const YAML::Node& v, const std::string& what, const Loc& kl) {
    if (!v.IsDefined() || v.IsNull()) return std::nullopt;
    bool b;
    if (v.IsScalar() && YAML::convert<bool>::decode(v, b)) return b;
    Err(ErrorKind::kSchema, LocOf(v, kl),
        fmt::format("'{}' must be true or false, found '{}'", what,
                    v.IsScalar() ? v.Scalar() : std::string(yamlutil::TypeName(v))),
        "true or false (yes/no also accepted)", "leave the key out when the answer is not known yet");
    return std::nullopt;
  }

  std::string Country(const YAML::Node& v, const std::string& what, const Loc& kl) {
    std::string s = Str(v, what, kl);
    if (!s.empty() && !yamlutil::LooksLikeCountryCode(s)) {
      std::string hint;
      if (s.size() == 2)
        hint =
            fmt::format("write it in upper case: '{}{}'", char(std::toupper(s[0])), char(std::toupper(s[1])));
      else
        hint = "use the two-letter code, e.g. NL for the Netherlands, US for the United States";
      Err(ErrorKind::kSchema, LocOf(v, kl),
          fmt::format("'{}' is not an ISO 3166-1 alpha-2 country code in '{}'", s, what),
          "a two-letter upper-case country code such as NL, DE, US", hint);
    }
    return s;
  }

  std::string Date(const YAML::Node& v, const std::string& what, const Loc& kl) {
    std::string s = Str(v, what, kl);
    if (!s.empty() && !yamlutil::LooksLikeIsoDate(s))
      Err(ErrorKind::kSchema, LocOf(v, kl), fmt::format("'{}' is not an ISO 8601 date in '{}'", s, what),
          "a date written as YYYY-MM-DD (or YYYY-MM, YYYY)", "e.g. 2024-03-01");
    return s;
  }

  template <class T, class Fn>
  std::vector<T> Seq(const YAML::Node& v, const std::string& what, const Loc& kl, Fn&& item_fn) {
    std::vector<T> out;
    if (!v.IsDefined() || v.IsNull()) return out;
    if (!v.IsSequence()) {
      Err(ErrorKind::kSchema, LocOf(v, kl),
          fmt::format("'{}' must be a list, found {}", what, yamlutil::TypeName(v)),
          "a list of maps, each item starting with '- '",
          v.IsMap() ? "put '- ' in front of the first key" : "");
      return out;
    }
    for (size_t i = 0; i < v.size(); ++i) {
      T x;
      x.loc = LocOf(v[i], kl);
      item_fn(v[i], fmt::format("{}[{}]", what, i + 1), x);
      out.push_back(std::move(x));
    }
    return out;
  }

  // ---- objects ----
  void Top(const YAML::Node& root, Register& reg) {
    if (!root.IsDefined() || root.IsNull()) {
      Err(ErrorKind::kSchema, {1, 1}, "the register is empty", "a map starting with `blindspot_register: 1`",
          "see docs/formats/register.md for a minimal example");
      return;
    }
    if (root.IsSequence()) {
      Err(ErrorKind::kSchema, LocOf(root, {1, 1}), "the register must be a map, found a list",
          "a map starting with `blindspot_register: 1`",
          "this file is a list of records, probably another tool's export; blindspot reads its own format "
          "(docs/formats/register.md) and the formats of 'blindspot import --help'");
      return;
    }
    bool have_version = false;
    bool ok =
        Map(root, "register", "the register", {1, 1}, [&](const std::string& k, const YAML::Node& v, Loc kl) {
          if (k == "blindspot_register") {
            have_version = true;
            std::string s = Str(v, k, kl);
            if (s != "1")
              Err(ErrorKind::kSchema, LocOf(v, kl),
                  fmt::format("unsupported register format version '{}'", s), "1",
                  "this version of blindspot reads `blindspot_register: 1`");
            reg.version = "1";
          } else if (k == "organisation") {
            Organisation(v, kl, reg.organisation);
          } else if (k == "activities") {
            reg.activities =
                Seq<ProcessingActivity>(v, k, kl, [&](auto& n, auto w, auto& a) { Activity(n, w, a); });
          } else if (k == "processors") {
            reg.processors =
                Seq<Processor>(v, k, kl, [&](auto& n, auto w, auto& p) { ProcessorObj(n, w, p); });
          } else if (k == "systems") {
            reg.systems = Seq<System>(v, k, kl, [&](auto& n, auto w, auto& s) { SystemObj(n, w, s); });
          } else if (k == "touchpoints") {
            reg.touchpoints =
                Seq<Touchpoint>(v, k, kl, [&](auto& n, auto w, auto& t) { TouchpointObj(n, w, t); });
          } else if (k == "processor_records") {
            reg.processor_records = Seq<ProcessorRecord>(
                v, k, kl, [&](auto& n, auto w, auto& p) { ProcessorRecordObj(n, w, p); });
          }
        });
    if (ok && !have_version)
      Err(ErrorKind::kSchema, LocOf(root, {1, 1}), "missing 'blindspot_register' version key",
          "`blindspot_register: 1` at the top of the file",
          "add `blindspot_register: 1` as the first line (Fides files are read with `blindspot import "
          "fides`)");
  }

  void ContactObj(const YAML::Node& n, const std::string& where, const Loc& kl, Contact& c) {
    c.loc = LocOf(n, kl);
    if (n.IsNull()) return;
    Map(n, "contact", "'" + where + "'", kl, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = where + "." + k;
      if (k == "name")
        c.name = Str(v, w, l);
      else if (k == "email")
        c.email = Str(v, w, l);
      else if (k == "phone")
        c.phone = Str(v, w, l);
      else if (k == "address")
        c.address = Str(v, w, l);
    });
  }

  void Organisation(const YAML::Node& n, const Loc& kl, blindspot::Organisation& o) {
    o.loc = LocOf(n, kl);
    if (n.IsNull()) return;
    Map(n, "organisation", "'organisation'", kl, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = "organisation." + k;
      if (k == "name")
        o.name = Str(v, w, l);
      else if (k == "registration")
        o.registration = Str(v, w, l);
      else if (k == "country")
        o.country = Country(v, w, l);
      else if (k == "contact")
        ContactObj(v, w, l, o.contact);
      else if (k == "dpo")
        ContactObj(v, w, l, o.dpo);
      else if (k == "representative")
        ContactObj(v, w, l, o.representative);
    });
  }

  void TransferObj(const YAML::Node& n, const std::string& where, Transfer& t) {
    Map(n, "transfer", "'" + where + "'", t.loc, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = where + "." + k;
      if (k == "recipient")
        t.recipient = Str(v, w, l);
      else if (k == "country")
        t.country = Country(v, w, l);
      else if (k == "safeguard")
        t.safeguard = Enum(v, w, l, &ParseTransferSafeguard, TransferSafeguardValues());
      else if (k == "reference")
        t.reference = Str(v, w, l);
    });
  }

  void TomsObj(const YAML::Node& n, const std::string& where, const Loc& kl, Toms& t) {
    t.loc = LocOf(n, kl);
    if (n.IsNull()) return;
    Map(n, "toms", "'" + where + "'", kl, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = where + "." + k;
      if (k == "measures")
        t.measures = List(v, w, l);
      else if (k == "description")
        t.description = Str(v, w, l);
    });
  }

  void Activity(const YAML::Node& n, const std::string& where, ProcessingActivity& a) {
    Map(n, "activity", "'" + where + "'", a.loc, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = where + "." + k;
      if (k == "id")
        a.id = Identity(v, w, l, a.loc, true);
      else if (k == "name")
        a.name = Identity(v, w, l, a.loc, false);
      else if (k == "description")
        a.description = Str(v, w, l);
      else if (k == "business_function")
        a.business_function = Str(v, w, l);
      else if (k == "owner")
        a.owner = Str(v, w, l);
      else if (k == "purposes")
        a.purposes = Seq<Purpose>(v, w, l, [&](auto& pn, auto pw, auto& p) { PurposeObj(pn, pw, p); });
      else if (k == "data_subjects")
        a.data_subjects = List(v, w, l);
      else if (k == "data_categories")
        a.data_categories = Categories(v, w, l, false);
      else if (k == "special_categories")
        a.special_categories =
            Seq<SpecialCategory>(v, w, l, [&](auto& sn, auto sw, auto& s) { Special(sn, sw, s); });
      else if (k == "recipients")
        RecipientsObj(v, w, l, a.recipients);
      else if (k == "transfers")
        a.transfers = Seq<Transfer>(v, w, l, [&](auto& tn, auto tw, auto& t) { TransferObj(tn, tw, t); });
      else if (k == "retention")
        a.retention = Seq<Retention>(v, w, l, [&](auto& rn, auto rw, auto& r) { RetentionObj(rn, rw, r); });
      else if (k == "toms")
        TomsObj(v, w, l, a.toms);
      else if (k == "data_sources")
        a.data_sources = List(v, w, l);
      else if (k == "systems")
        a.systems = List(v, w, l, a.loc, "systems");
      else if (k == "access")
        a.access = List(v, w, l);
      else if (k == "dpia")
        DpiaObj(v, w, l, a.dpia);
    });
  }

  void PurposeObj(const YAML::Node& n, const std::string& where, Purpose& p) {
    Map(n, "purpose", "'" + where + "'", p.loc, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = where + "." + k;
      if (k == "description")
        p.description = Str(v, w, l);
      else if (k == "lawful_basis")
        p.lawful_basis = Enum(v, w, l, &ParseLawfulBasis, LawfulBasisValues());
      else if (k == "lia_reference")
        p.lia_reference = Str(v, w, l);
      else if (k == "legal_obligation")
        p.legal_obligation = Str(v, w, l);
      else if (k == "data_uses")
        p.data_uses = Categories(v, w, l, true);
    });
  }

  void Special(const YAML::Node& n, const std::string& where, SpecialCategory& s) {
    Map(n, "special_category", "'" + where + "'", s.loc,
        [&](const std::string& k, const YAML::Node& v, Loc l) {
          std::string w = where + "." + k;
          if (k == "category")
            s.category = Str(v, w, l);
          else if (k == "justification")
            s.justification = Str(v, w, l);
          else if (k == "condition") {
            std::string c = Str(v, w, l);
            if (c.empty()) return;
            if (c.size() == 1 && IsValidArt9Condition(c[0])) {
              s.condition = c[0];
              return;
            }
            std::string hint = "use the letter of Art. 9(2), e.g. 'a' for explicit consent";
            // "9(2)(h)", "art9_2_h", "(h)": point at the letter they contain.
            size_t last = c.find_last_not_of(") ");
            if (last != std::string::npos && c[last] >= 'a' && c[last] <= 'j')
              hint = fmt::format("write only the letter: '{}'", c[last]);
            else if (c.size() == 1 && c[0] >= 'A' && c[0] <= 'J')
              hint = fmt::format("write the letter in lower case: '{}'", char(c[0] - 'A' + 'a'));
            Err(ErrorKind::kSchema, LocOf(v, l),
                fmt::format("invalid Art. 9(2) condition '{}' in '{}'", c, w),
                "one of a, b, c, d, e, f, g, h, i, j (the letter of Art. 9(2))", hint);
          }
        });
  }

  void RecipientsObj(const YAML::Node& n, const std::string& where, const Loc& kl, Recipients& r) {
    r.loc = LocOf(n, kl);
    if (n.IsNull()) return;
    Map(n, "recipients", "'" + where + "'", kl, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = where + "." + k;
      if (k == "internal")
        r.internal = List(v, w, l);
      else if (k == "external")
        r.external = List(v, w, l);
      else if (k == "processors")
        r.processors = List(v, w, l, r.loc, "recipients.processors");
    });
  }

  void RetentionObj(const YAML::Node& n, const std::string& where, Retention& r) {
    Map(n, "retention", "'" + where + "'", r.loc, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = where + "." + k;
      if (k == "data_category") {
        r.data_category = Str(v, w, l);
        if (!r.data_category.empty() && r.data_category != "*")
          CheckTaxonomy(r.data_category, LocOf(v, l), w, false);
      } else if (k == "period")
        r.period = Str(v, w, l);
      else if (k == "justification")
        r.justification = Str(v, w, l);
    });
  }

  void DpiaObj(const YAML::Node& n, const std::string& where, const Loc& kl, Dpia& d) {
    d.loc = LocOf(n, kl);
    if (n.IsNull()) return;
    Map(n, "dpia", "'" + where + "'", kl, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = where + "." + k;
      if (k == "status") {
        if (auto s = Enum(v, w, l, &ParseDpiaStatus, DpiaStatusValues())) d.status = *s;
      } else if (k == "reference")
        d.reference = Str(v, w, l);
      else if (k == "date")
        d.date = Date(v, w, l);
    });
  }

  void ProcessorObj(const YAML::Node& n, const std::string& where, Processor& p) {
    Map(n, "processor", "'" + where + "'", p.loc, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = where + "." + k;
      if (k == "id")
        p.id = Identity(v, w, l, p.loc, true);
      else if (k == "name")
        p.name = Identity(v, w, l, p.loc, false);
      else if (k == "legal_entity")
        p.legal_entity = Str(v, w, l);
      else if (k == "country")
        p.country = Country(v, w, l);
      else if (k == "role") {
        if (auto r = Enum(v, w, l, &ParseVendorRole, VendorRoleValues())) p.role = *r;
      } else if (k == "agreement") {
        p.agreement.loc = LocOf(v, l);
        if (v.IsNull()) return;
        Map(v, "agreement", "'" + w + "'", l, [&](const std::string& ak, const YAML::Node& av, Loc al) {
          std::string aw = w + "." + ak;
          if (ak == "status") {
            if (auto s = Enum(av, aw, al, &ParseAgreementStatus, AgreementStatusValues()))
              p.agreement.status = *s;
          } else if (ak == "date")
            p.agreement.date = Date(av, aw, al);
          else if (ak == "reference")
            p.agreement.reference = Str(av, aw, al);
        });
      } else if (k == "transfer_safeguard") {
        p.transfer_safeguard = Enum(v, w, l, &ParseTransferSafeguard, TransferSafeguardValues());
      } else if (k == "sub_processors") {
        p.sub_processors = Seq<SubProcessor>(v, w, l, [&](auto& sn, auto sw, auto& s) {
          Map(sn, "sub_processor", "'" + sw + "'", s.loc,
              [&](const std::string& sk, const YAML::Node& sv, Loc sl) {
                std::string ssw = sw + "." + sk;
                if (sk == "name")
                  s.name = Str(sv, ssw, sl);
                else if (sk == "country")
                  s.country = Country(sv, ssw, sl);
                else if (sk == "purpose")
                  s.purpose = Str(sv, ssw, sl);
              });
        });
      }
    });
  }

  void SystemObj(const YAML::Node& n, const std::string& where, System& s) {
    Map(n, "system", "'" + where + "'", s.loc, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = where + "." + k;
      if (k == "id")
        s.id = Identity(v, w, l, s.loc, true);
      else if (k == "name")
        s.name = Identity(v, w, l, s.loc, false);
      else if (k == "description")
        s.description = Str(v, w, l);
      else if (k == "location")
        s.location = Str(v, w, l);
      else if (k == "country")
        s.country = Country(v, w, l);
      else if (k == "processor") {
        s.processor = Str(v, w, l);
        Remember(s.loc, "processor", 0, LocOf(v, l));
      }
    });
  }

  void TouchpointObj(const YAML::Node& n, const std::string& where, Touchpoint& t) {
    Map(n, "touchpoint", "'" + where + "'", t.loc, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = where + "." + k;
      if (k == "id")
        t.id = Identity(v, w, l, t.loc, true);
      else if (k == "name")
        t.name = Identity(v, w, l, t.loc, false);
      else if (k == "channel")
        t.channel = Str(v, w, l);
      else if (k == "product")
        t.product = Str(v, w, l);
      else if (k == "vendor") {
        t.vendor = Str(v, w, l);
        Remember(t.loc, "vendor", 0, LocOf(v, l));
      } else if (k == "activities")
        t.activities = List(v, w, l, t.loc, "activities");
      else if (k == "owner")
        t.owner = Str(v, w, l);
      else if (k == "answers")
        Answers(v, w, l, t.answers);
    });
  }

  void Answers(const YAML::Node& n, const std::string& where, const Loc& kl, TouchpointAnswers& a) {
    a.loc = LocOf(n, kl);
    if (n.IsNull()) return;
    Map(n, "answers", "'" + where + "'", kl, [&](const std::string& k, const YAML::Node& v, Loc l) {
      std::string w = where + "." + k;
      if (k == "in_use")
        a.in_use = Bool(v, w, l);
      else if (k == "in_use_since")
        a.in_use_since = Date(v, w, l);
      else if (k == "stored_by_us")
        a.stored_by_us = Bool(v, w, l);
      else if (k == "stored_by_us_where")
        a.stored_by_us_where = Str(v, w, l);
      else if (k == "stored_by_vendor")
        a.stored_by_vendor = Bool(v, w, l);
      else if (k == "stored_by_vendor_details")
        a.stored_by_vendor_details = Str(v, w, l);
      else if (k == "informed") {
        if (v.IsNull()) return;
        Map(v, "informed", "'" + w + "'", l, [&](const std::string& ik, const YAML::Node& iv, Loc il) {
          if (ik == "statement")
            a.informed_statement = Str(iv, w + "." + ik, il);
          else if (ik == "section")
            a.informed_section = Str(iv, w + "." + ik, il);
        });
      } else if (k == "data_collected")
        a.data_collected = Categories(v, w, l, false);
      else if (k == "lawful_basis")
        a.lawful_basis = Enum(v, w, l, &ParseLawfulBasis, LawfulBasisValues());
      else if (k == "necessity")
        a.necessity = Str(v, w, l);
      else if (k == "subsidiarity")
        a.subsidiarity = Str(v, w, l);
      else if (k == "proportionality")
        a.proportionality = Str(v, w, l);
      else if (k == "security_measures")
        a.security_measures = List(v, w, l);
    });
  }

  void ProcessorRecordObj(const YAML::Node& n, const std::string& where, ProcessorRecord& p) {
    bool has_controller = false;
    bool ok = Map(n, "processor_record", "'" + where + "'", p.loc,
                  [&](const std::string& k, const YAML::Node& v, Loc l) {
                    std::string w = where + "." + k;
                    if (k == "controller") {
                      p.controller = Str(v, w, l);
                      has_controller = !p.controller.empty();
                    } else if (k == "controller_contact")
                      ContactObj(v, w, l, p.controller_contact);
                    else if (k == "categories_of_processing")
                      p.categories_of_processing = List(v, w, l);
                    else if (k == "transfers")
                      p.transfers =
                          Seq<Transfer>(v, w, l, [&](auto& tn, auto tw, auto& t) { TransferObj(tn, tw, t); });
                    else if (k == "toms")
                      TomsObj(v, w, l, p.toms);
                  });
    if (ok && !has_controller)
      Err(ErrorKind::kSchema, p.loc, fmt::format("'{}' has no controller", where),
          "a 'controller' key naming the controller on whose behalf you process (Art. 30(2)(a))",
          "add `controller: <name of the controller>`");
  }

  std::string_view text_;
  yamlutil::SourceText src_;
  Diagnostics errs_;
  std::map<std::tuple<uint32_t, uint32_t, std::string, size_t>, Loc> refs_;
  std::vector<std::pair<Loc, std::string>> bad_identity_;  // (object loc, "has no id"/"has no name")
};

// ---- writer ----

bool NeedsQuotes(const std::string& s) {
  static const std::set<std::string> kSpecial = {
      "~",  "null", "Null", "NULL", "true", "false", "True", "False", "TRUE", "FALSE", "yes", "no", "Yes",
      "No", "YES",  "NO",   "on",   "off",  "On",    "Off",  "ON",    "OFF",  "y",     "n",   "Y",  "N"};
  return s.empty() || kSpecial.count(s) > 0;
}

class Writer {
 public:
  std::string Run(const Register& r) {
    e_ << YAML::BeginMap;
    e_ << YAML::Key << "blindspot_register" << YAML::Value << 1;
    const auto& o = r.organisation;
    if (!o.name.empty() || !o.registration.empty() || !o.country.empty() || !o.contact.empty() ||
        !o.dpo.empty() || !o.representative.empty()) {
      e_ << YAML::Key << "organisation" << YAML::Value << YAML::BeginMap;
      S("name", o.name);
      S("registration", o.registration);
      S("country", o.country);
      ContactW("contact", o.contact);
      ContactW("dpo", o.dpo);
      ContactW("representative", o.representative);
      e_ << YAML::EndMap;
    }
    if (!r.activities.empty()) {
      e_ << YAML::Key << "activities" << YAML::Value << YAML::BeginSeq;
      for (const auto& a : r.activities) Activity(a);
      e_ << YAML::EndSeq;
    }
    if (!r.processors.empty()) {
      e_ << YAML::Key << "processors" << YAML::Value << YAML::BeginSeq;
      for (const auto& p : r.processors) ProcessorW(p);
      e_ << YAML::EndSeq;
    }
    if (!r.systems.empty()) {
      e_ << YAML::Key << "systems" << YAML::Value << YAML::BeginSeq;
      for (const auto& s : r.systems) {
        e_ << YAML::BeginMap;
        S("id", s.id);
        S("name", s.name);
        S("description", s.description);
        S("location", s.location);
        S("country", s.country);
        S("processor", s.processor);
        e_ << YAML::EndMap;
      }
      e_ << YAML::EndSeq;
    }
    if (!r.touchpoints.empty()) {
      e_ << YAML::Key << "touchpoints" << YAML::Value << YAML::BeginSeq;
      for (const auto& t : r.touchpoints) TouchpointW(t);
      e_ << YAML::EndSeq;
    }
    if (!r.processor_records.empty()) {
      e_ << YAML::Key << "processor_records" << YAML::Value << YAML::BeginSeq;
      for (const auto& p : r.processor_records) {
        e_ << YAML::BeginMap;
        S("controller", p.controller);
        ContactW("controller_contact", p.controller_contact);
        L("categories_of_processing", p.categories_of_processing);
        TransfersW(p.transfers);
        TomsW(p.toms);
        e_ << YAML::EndMap;
      }
      e_ << YAML::EndSeq;
    }
    e_ << YAML::EndMap;
    return std::string(e_.c_str()) + "\n";
  }

 private:
  void Value(const std::string& v) {
    if (NeedsQuotes(v)) e_ << YAML::DoubleQuoted;
    e_ << v;
  }
  void S(const char* k, const std::string& v) {
    if (v.empty()) return;
    e_ << YAML::Key << k << YAML::Value;
    Value(v);
  }
  void L(const char* k, const std::vector<std::string>& v) {
    if (v.empty()) return;
    e_ << YAML::Key << k << YAML::Value << YAML::BeginSeq;
    for (const auto& x : v) Value(x);
    e_ << YAML::EndSeq;
  }
  void B(const char* k, const std::optional<bool>& b) {
    if (b) e_ << YAML::Key << k << YAML::Value << *b;
  }
  void ContactW(const char* k, const Contact& c) {
    if (c.empty()) return;
    e_ << YAML::Key << k << YAML::Value << YAML::BeginMap;
    S("name", c.name);
    S("email", c.email);
    S("phone", c.phone);
    S("address", c.address);
    e_ << YAML::EndMap;
  }
  void TomsW(const Toms& t) {
    if (t.empty()) return;
    e_ << YAML::Key << "toms" << YAML::Value << YAML::BeginMap;
    L("measures", t.measures);
    S("description", t.description);
    e_ << YAML::EndMap;
  }
  void TransfersW(const std::vector<Transfer>& ts) {
    if (ts.empty()) return;
    e_ << YAML::Key << "transfers" << YAML::Value << YAML::BeginSeq;
    for (const auto& t : ts) {
      e_ << YAML::BeginMap;
      S("recipient", t.recipient);
      S("country", t.country);
      if (t.safeguard) S("safeguard", std::string(ToString(*t.safeguard)));
      S("reference", t.reference);
      e_ << YAML::EndMap;
    }
    e_ << YAML::EndSeq;
  }
  void Activity(const ProcessingActivity& a) {
    e_ << YAML::BeginMap;
    S("id", a.id);
    S("name", a.name);
    S("description", a.description);
    S("business_function", a.business_function);
    S("owner", a.owner);
    if (!a.purposes.empty()) {
      e_ << YAML::Key << "purposes" << YAML::Value << YAML::BeginSeq;
      for (const auto& p : a.purposes) {
        e_ << YAML::BeginMap;
        S("description", p.description);
        if (p.lawful_basis) S("lawful_basis", std::string(ToString(*p.lawful_basis)));
        S("lia_reference", p.lia_reference);
        S("legal_obligation", p.legal_obligation);
        L("data_uses", p.data_uses);
        e_ << YAML::EndMap;
      }
      e_ << YAML::EndSeq;
    }
    L("data_subjects", a.data_subjects);
    L("data_categories", a.data_categories);
    if (!a.special_categories.empty()) {
      e_ << YAML::Key << "special_categories" << YAML::Value << YAML::BeginSeq;
      for (const auto& s : a.special_categories) {
        e_ << YAML::BeginMap;
        S("category", s.category);
        if (s.condition) S("condition", std::string(1, *s.condition));
        S("justification", s.justification);
        e_ << YAML::EndMap;
      }
      e_ << YAML::EndSeq;
    }
    const auto& rc = a.recipients;
    if (!rc.internal.empty() || !rc.external.empty() || !rc.processors.empty()) {
      e_ << YAML::Key << "recipients" << YAML::Value << YAML::BeginMap;
      L("internal", rc.internal);
      L("external", rc.external);
      L("processors", rc.processors);
      e_ << YAML::EndMap;
    }
    TransfersW(a.transfers);
    if (!a.retention.empty()) {
      e_ << YAML::Key << "retention" << YAML::Value << YAML::BeginSeq;
      for (const auto& r : a.retention) {
        e_ << YAML::BeginMap;
        S("data_category", r.data_category);
        S("period", r.period);
        S("justification", r.justification);
        e_ << YAML::EndMap;
      }
      e_ << YAML::EndSeq;
    }
    TomsW(a.toms);
    L("data_sources", a.data_sources);
    L("systems", a.systems);
    L("access", a.access);
    if (a.dpia.status != DpiaStatus::kNotAssessed || !a.dpia.reference.empty() || !a.dpia.date.empty()) {
      e_ << YAML::Key << "dpia" << YAML::Value << YAML::BeginMap;
      S("status", std::string(ToString(a.dpia.status)));
      S("reference", a.dpia.reference);
      S("date", a.dpia.date);
      e_ << YAML::EndMap;
    }
    e_ << YAML::EndMap;
  }
  void ProcessorW(const Processor& p) {
    e_ << YAML::BeginMap;
    S("id", p.id);
    S("name", p.name);
    S("legal_entity", p.legal_entity);
    S("country", p.country);
    S("role", std::string(ToString(p.role)));
    const auto& ag = p.agreement;
    e_ << YAML::Key << "agreement" << YAML::Value << YAML::BeginMap;
    S("status", std::string(ToString(ag.status)));
    S("date", ag.date);
    S("reference", ag.reference);
    e_ << YAML::EndMap;
    if (p.transfer_safeguard) S("transfer_safeguard", std::string(ToString(*p.transfer_safeguard)));
    if (!p.sub_processors.empty()) {
      e_ << YAML::Key << "sub_processors" << YAML::Value << YAML::BeginSeq;
      for (const auto& s : p.sub_processors) {
        e_ << YAML::BeginMap;
        S("name", s.name);
        S("country", s.country);
        S("purpose", s.purpose);
        e_ << YAML::EndMap;
      }
      e_ << YAML::EndSeq;
    }
    e_ << YAML::EndMap;
  }
  void TouchpointW(const Touchpoint& t) {
    e_ << YAML::BeginMap;
    S("id", t.id);
    S("name", t.name);
    S("channel", t.channel);
    S("product", t.product);
    S("vendor", t.vendor);
    L("activities", t.activities);
    S("owner", t.owner);
    const auto& a = t.answers;
    bool any = a.in_use || !a.in_use_since.empty() || a.stored_by_us || !a.stored_by_us_where.empty() ||
               a.stored_by_vendor || !a.stored_by_vendor_details.empty() || !a.informed_statement.empty() ||
               !a.informed_section.empty() || !a.data_collected.empty() || a.lawful_basis ||
               !a.necessity.empty() || !a.subsidiarity.empty() || !a.proportionality.empty() ||
               !a.security_measures.empty();
    if (any) {
      e_ << YAML::Key << "answers" << YAML::Value << YAML::BeginMap;
      B("in_use", a.in_use);
      S("in_use_since", a.in_use_since);
      B("stored_by_us", a.stored_by_us);
      S("stored_by_us_where", a.stored_by_us_where);
      B("stored_by_vendor", a.stored_by_vendor);
      S("stored_by_vendor_details", a.stored_by_vendor_details);
      if (!a.informed_statement.empty() || !a.informed_section.empty()) {
        e_ << YAML::Key << "informed" << YAML::Value << YAML::BeginMap;
        S("statement", a.informed_statement);
        S("section", a.informed_section);
        e_ << YAML::EndMap;
      }
      L("data_collected", a.data_collected);
      if (a.lawful_basis) S("lawful_basis", std::string(ToString(*a.lawful_basis)));
      S("necessity", a.necessity);
      S("subsidiarity", a.subsidiarity);
      S("proportionality", a.proportionality);
      L("security_measures", a.security_measures);
      e_ << YAML::EndMap;
    }
    e_ << YAML::EndMap;
  }

  YAML::Emitter e_;
};

}  // namespace

std::expected<Register, Diagnostics> ParseRegisterText(std::string_view text, const std::string& file) {
  try {
    return NativeParser(yamlutil::StripBom(text), file).Run();
  } catch (const std::exception& ex) {
    // yaml-cpp may throw from node access on malformed input; never let it escape.
    Diagnostics d;
    d.push_back(yamlutil::MakeAt(ErrorKind::kInternal, file, {},
                                 std::string("register reader failed: ") + ex.what()));
    return std::unexpected(std::move(d));
  }
}

std::expected<Register, Diagnostics> ReadRegisterFile(const std::string& path) {
  auto text = ReadFileToString(path);
  if (!text) return std::unexpected(Diagnostics{text.error()});
  return ParseRegisterText(*text, path);
}

std::string WriteRegisterYaml(const Register& reg) { return Writer().Run(reg); }

}  // namespace blindspot
