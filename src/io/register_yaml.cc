// The native register format: strict reader (with a SourceMap of field paths)
// and writers (docs/formats/register.md).
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <set>

#include "blindspot/catalog.h"
#include "blindspot/fideslang.h"
#include "blindspot/io.h"
#include "blindspot/suggest.h"
#include "input/yaml_walker.h"
#include "io/json_out.h"
#include "io/register_schema.h"

namespace blindspot {

namespace yaml = input::yaml;
namespace {

using input::Walker;
using register_schema::KeysOf;

class NativeParser {
 public:
  NativeParser(std::string_view text, const std::string& file, const RegisterReadOptions& opts)
      : w_(text, file), opts_(opts) {}

  std::expected<LoadedRegister, Diagnostics> Run() {
    LoadedRegister out;
    out.reg.source = w_.file();
    out.map.file = w_.file();
    reg_ = &out.reg;
    map_ = &out.map;
    std::optional<yaml::Node> root = w_.Load("a YAML or JSON register (docs/formats/register.md)");
    if (root) {
      // About one recorded path per two nodes of the document.
      out.map.Reserve(w_.node_count() / 2);
      Top(*root);
      out.map.Finish();
      // Reference problems are reported together with schema problems: all problems at once.
      for (Error& e : ValidateRegister(out.reg)) {
        bool repeat = false;  // an id/name of the wrong type was already reported
        for (const auto& [p, suffix] : bad_identity_)
          if (e.path == p && e.message.ends_with(suffix)) repeat = true;
        if (repeat) continue;
        Loc l = out.map.Find(e.path);
        e.where.line = l.line;
        e.where.column = l.column;
        w_.Add(std::move(e));
      }
      // Product ids the knowledge base does not have: warnings, the register stays usable.
      if (!opts_.kb_ids.empty()) {
        for (Error& e : CheckProductIds(out.reg, opts_.kb_ids)) {
          Loc l = out.map.Find(e.path);
          e.where.line = l.line;
          e.where.column = l.column;
          w_.Add(std::move(e));
        }
      }
    }
    Diagnostics errors = w_.TakeErrors();
    if (!errors.empty()) return std::unexpected(std::move(errors));
    out.warnings = w_.TakeWarnings();
    return out;
  }

 private:
  void Mark(const std::string& p, const yaml::Node& n, const Loc& fallback) {
    map_->Add(p, w_.LocOf(n, fallback));
  }

  // Walks one object of the schema; records the object's and each key's position.
  template <class Fn>
  bool Obj(const yaml::Node& n, std::string_view object, const std::string& p, const Loc& fallback, Fn&& fn) {
    Mark(p, n, fallback);
    return w_.Map(n, KeysOf(object), p.empty() ? input::Where::Quoted("register") : input::Where::Quoted(p),
                  fallback, [&](std::string_view k, const yaml::Node& v, Loc kl) {
                    std::string fp = path::Field(p, k);
                    map_->Add(fp, v.IsNull() || !v.IsDefined() ? kl : w_.LocOf(v, kl));
                    fn(k, v, kl, fp);
                  });
  }

  std::string Str(const yaml::Node& v, const std::string& p, const Loc& kl) { return w_.Str(v, p, kl); }

  // A list of text values; `references` records each item's position (lists of
  // ids, whose items the validator can name).
  std::vector<std::string> List(const yaml::Node& v, const std::string& p, const Loc& kl,
                                bool references = false) {
    if (!references) return w_.List(v, p, kl);
    std::vector<Loc> locs;
    std::vector<std::string> out = w_.List(v, p, kl, &locs);
    std::string parent(path::Parent(p));
    std::string list = p.substr(p.rfind('.') + 1);
    for (size_t i = 0; i < locs.size(); ++i) map_->Add(path::Index(parent, list, i), locs[i]);
    return out;
  }

  std::vector<std::string> Categories(const yaml::Node& v, const std::string& p, const Loc& kl, bool uses) {
    std::vector<Loc> locs;
    std::vector<std::string> out = w_.List(v, p, kl, &locs);
    for (size_t i = 0; i < out.size(); ++i) CheckTaxonomy(out[i], i < locs.size() ? locs[i] : kl, p, uses);
    return out;
  }

  void CheckTaxonomy(const std::string& key, const Loc& at, const std::string& what, bool uses) {
    if (uses ? IsKnownDataUse(key) : IsKnownDataCategory(key)) return;
    std::string near = uses ? SuggestDataUse(key) : SuggestDataCategory(key);
    w_.Err(ErrorKind::kSchema, at,
           fmt::format("unknown fideslang {} '{}' in '{}'", uses ? "data use" : "data category", key, what),
           uses ? "a fideslang data_use key, e.g. marketing.advertising.third_party.targeted"
                : "a fideslang data_category key, e.g. user.contact.email",
           near.empty() ? std::string("see the fideslang taxonomy: https://ethyca.github.io/fideslang/")
                        : "did you mean '" + near + "'?");
  }

  // A list of objects: the ids of the items are known before they are read
  // (explicit, or derived with `derive_prefix`; top-level lists keep missing
  // ids empty and use the position), so every field gets its final path.
  template <class T, class Fn>
  std::vector<T> Seq(const yaml::Node& v, const std::string& p, const Loc& kl, std::string_view derive_prefix,
                     Fn&& item_fn) {
    std::vector<T> out;
    if (!v.IsDefined() || v.IsNull()) return out;
    if (!v.IsSequence()) {
      w_.Err(ErrorKind::kSchema, w_.LocOf(v, kl),
             fmt::format("'{}' must be a list, found {}", p, input::TypeName(v)),
             "a list of maps, each item starting with '- '",
             v.IsMap() ? "put '- ' in front of the first key" : "");
      return out;
    }
    std::vector<std::string> ids;
    for (size_t i = 0; i < v.size(); ++i) {
      const yaml::Node& item = v[i];
      ids.emplace_back(item.IsMap() && item["id"] && item["id"].IsScalar() ? item["id"].Scalar()
                                                                           : std::string_view());
    }
    if (!derive_prefix.empty()) ids = DeriveIds(ids, derive_prefix);
    std::string parent(path::Parent(p));
    std::string list = p.substr(parent.empty() ? 0 : parent.size() + 1);
    out.reserve(v.size());  // no moves of the items read so far (100,000 activities)
    for (size_t i = 0; i < v.size(); ++i) {
      T x;
      x.id = ids[i];
      std::string ip = ids[i].empty() ? path::Index(parent, list, i) : path::Item(parent, list, ids[i]);
      // Position paths too: the validator names an item without a unique id by position.
      if (!ids[i].empty() && v[i].IsMap() && v[i]["id"])
        map_->Add(path::Index(parent, list, i) + ".id", w_.LocOf(v[i]["id"], kl));
      item_fn(v[i], ip, w_.LocOf(v[i], kl), x);
      if (!derive_prefix.empty()) x.id = ids[i];
      out.push_back(std::move(x));
    }
    return out;
  }

  // id or name of a top-level object: like Str, but remembers a type error so
  // the validator's "has no id/name" for the same object is not reported twice.
  std::string Identity(const yaml::Node& v, const std::string& p, const Loc& kl, const std::string& item_path,
                       bool is_id) {
    if (v.IsDefined() && !v.IsNull() && !v.IsScalar())
      bad_identity_.push_back({item_path, is_id ? "has no id" : "has no name"});
    return Str(v, p, kl);
  }

  // ---- objects ----
  void Top(const yaml::Node& root) {
    if (!root.IsDefined() || root.IsNull()) {
      w_.Err(ErrorKind::kSchema, {1, 1}, "the register is empty",
             "a map starting with `blindspot_register: 1`",
             "see docs/formats/register.md for a minimal example");
      return;
    }
    if (root.IsSequence()) {
      w_.Err(ErrorKind::kSchema, w_.LocOf(root, {1, 1}), "the register must be a map, found a list",
             "a map starting with `blindspot_register: 1`",
             "this file is a list of records, probably another tool's export; blindspot reads its own format "
             "(docs/formats/register.md) and the formats of 'blindspot import --help'");
      return;
    }
    bool have_version = false;
    Register& reg = *reg_;
    bool ok = Obj(
        root, "register", "", {1, 1},
        [&](std::string_view k, const yaml::Node& v, Loc kl, const std::string& p) {
          if (k == "blindspot_register") {
            have_version = true;
            std::string s = Str(v, std::string(k), kl);
            if (s != "1")
              w_.Err(ErrorKind::kSchema, w_.LocOf(v, kl),
                     fmt::format("unsupported register format version '{}'", s), "1",
                     "this version of blindspot reads `blindspot_register: 1`");
            reg.version = "1";
          } else if (k == "organisation") {
            Organisation(v, kl, p);
          } else if (k == "activities") {
            reg.activities = Seq<ProcessingActivity>(
                v, p, kl, "", [&](const auto& n, auto ip, Loc il, auto& a) { Activity(n, ip, il, a); });
          } else if (k == "processors") {
            reg.processors = Seq<Processor>(
                v, p, kl, "", [&](const auto& n, auto ip, Loc il, auto& x) { ProcessorObj(n, ip, il, x); });
          } else if (k == "systems") {
            reg.systems = Seq<System>(
                v, p, kl, "", [&](const auto& n, auto ip, Loc il, auto& s) { SystemObj(n, ip, il, s); });
          } else if (k == "touchpoints") {
            reg.touchpoints = Seq<Touchpoint>(
                v, p, kl, "", [&](const auto& n, auto ip, Loc il, auto& t) { TouchpointObj(n, ip, il, t); });
          } else if (k == "processor_records") {
            // Processor records have no id: addressed by position.
            if (!v.IsSequence()) {
              if (!v.IsNull())
                w_.Err(ErrorKind::kSchema, w_.LocOf(v, kl), "'processor_records' must be a list",
                       "a list of maps");
              return;
            }
            for (size_t i = 0; i < v.size(); ++i) {
              ProcessorRecord r;
              ProcessorRecordObj(v[i], path::Index("", "processor_records", i), w_.LocOf(v[i], kl), r);
              reg.processor_records.push_back(std::move(r));
            }
          }
        });
    if (ok && !have_version)
      w_.Err(ErrorKind::kSchema, w_.LocOf(root, {1, 1}), "missing 'blindspot_register' version key",
             "`blindspot_register: 1` at the top of the file",
             "add `blindspot_register: 1` as the first line (Fides files are read with `blindspot import "
             "fides`)");
  }

  void ContactObj(const yaml::Node& n, const std::string& p, const Loc& kl, Contact& c) {
    if (n.IsNull()) return;
    Obj(n, "contact", p, kl, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "name")
        c.name = Str(v, fp, l);
      else if (k == "email")
        c.email = Str(v, fp, l);
      else if (k == "phone")
        c.phone = Str(v, fp, l);
      else if (k == "address")
        c.address = Str(v, fp, l);
    });
  }

  void Organisation(const yaml::Node& n, const Loc& kl, const std::string& p) {
    if (n.IsNull()) return;
    blindspot::Organisation& o = reg_->organisation;
    Obj(n, "organisation", p, kl, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "name")
        o.name = Str(v, fp, l);
      else if (k == "registration")
        o.registration = Str(v, fp, l);
      else if (k == "country")
        o.country = w_.Country(v, fp, l);
      else if (k == "public_body")
        o.public_body = w_.Bool(v, fp, l).value_or(false);
      else if (k == "contact")
        ContactObj(v, fp, l, o.contact);
      else if (k == "dpo") {
        // `dpo: none`: no DPO designated because Art. 37 does not apply.
        if (v.IsScalar() && v.Scalar() == "none") {
          o.no_dpo = true;
          return;
        }
        if (v.IsScalar()) {
          w_.Err(ErrorKind::kSchema, w_.LocOf(v, l),
                 fmt::format("'{}' must be a contact or 'none', found '{}'", fp, v.Scalar()),
                 "a map with name, email, phone, address; or `none` when no DPO is designated (Art. 37 does "
                 "not apply)",
                 "write `dpo: none`, or the DPO's contact details on indented lines");
          return;
        }
        ContactObj(v, fp, l, o.dpo);
      } else if (k == "representative")
        ContactObj(v, fp, l, o.representative);
    });
  }

  void TransferObj(const yaml::Node& n, const std::string& p, const Loc& il, Transfer& t) {
    Obj(n, "transfer", p, il, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "id")
        ;  // known already
      else if (k == "recipient")
        t.recipient = Str(v, fp, l);
      else if (k == "country")
        t.country = w_.Country(v, fp, l);
      else if (k == "safeguard")
        t.safeguard = w_.Enum(v, fp, l, &ParseTransferSafeguard, TransferSafeguardValues());
      else if (k == "reference")
        t.reference = Str(v, fp, l);
      else if (k == "tia")
        TiaObj(v, fp, l, t.tia);
    });
  }

  void TiaObj(const yaml::Node& n, const std::string& p, const Loc& kl, TransferImpactAssessment& t) {
    if (n.IsNull()) return;
    Obj(n, "tia", p, kl, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "date")
        t.date = w_.Date(v, fp, l);
      else if (k == "reference")
        t.reference = Str(v, fp, l);
    });
  }

  // `criminal_data:` (also empty: the activity processes such data, no basis given).
  void CriminalObj(const yaml::Node& n, const std::string& p, const Loc& kl, std::optional<CriminalData>& c) {
    c.emplace();
    if (n.IsNull()) return;
    Obj(n, "criminal_data", p, kl,
        [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
          if (k == "basis")
            c->basis = Str(v, fp, l);
          else if (k == "justification")
            c->justification = Str(v, fp, l);
        });
  }

  // `national_id:` (also empty: the activity processes a national id number, no law given).
  void NationalIdObj(const yaml::Node& n, const std::string& p, const Loc& kl, std::optional<NationalId>& x) {
    x.emplace();
    if (n.IsNull()) return;
    Obj(n, "national_id", p, kl, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "law") x->law = Str(v, fp, l);
    });
  }

  void TomsObj(const yaml::Node& n, const std::string& p, const Loc& kl, Toms& t) {
    if (n.IsNull()) return;
    Obj(n, "toms", p, kl, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "measures")
        t.measures = List(v, fp, l);
      else if (k == "description")
        t.description = Str(v, fp, l);
    });
  }

  void Activity(const yaml::Node& n, const std::string& ip, const Loc& il, ProcessingActivity& a) {
    Obj(n, "activity", ip, il, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "id")
        a.id = Identity(v, fp, l, ip, true);
      else if (k == "name")
        a.name = Identity(v, fp, l, ip, false);
      else if (k == "description")
        a.description = Str(v, fp, l);
      else if (k == "business_function")
        a.business_function = Str(v, fp, l);
      else if (k == "owner")
        a.owner = Str(v, fp, l);
      else if (k == "large_scale")
        a.large_scale = w_.Bool(v, fp, l).value_or(false);
      else if (k == "purposes")
        a.purposes = Seq<Purpose>(v, fp, l, "purpose", [&](const auto& pn, auto pp, Loc pl, auto& x) {
          PurposeObj(pn, pp, pl, x);
        });
      else if (k == "data_subjects")
        a.data_subjects = List(v, fp, l);
      else if (k == "data_categories")
        a.data_categories = Categories(v, fp, l, false);
      else if (k == "special_categories")
        a.special_categories =
            Seq<SpecialCategory>(v, fp, l, "special-category",
                                 [&](const auto& sn, auto sp, Loc sl, auto& x) { Special(sn, sp, sl, x); });
      else if (k == "criminal_data")
        CriminalObj(v, fp, l, a.criminal_data);
      else if (k == "national_id")
        NationalIdObj(v, fp, l, a.national_id);
      else if (k == "recipients")
        RecipientsObj(v, fp, l, a);
      else if (k == "transfers")
        a.transfers = Seq<Transfer>(v, fp, l, "transfer", [&](const auto& tn, auto tp, Loc tl, auto& x) {
          TransferObj(tn, tp, tl, x);
        });
      else if (k == "retention")
        a.retention = Seq<Retention>(v, fp, l, "retention", [&](const auto& rn, auto rp, Loc rl, auto& x) {
          RetentionObj(rn, rp, rl, x);
        });
      else if (k == "toms")
        TomsObj(v, fp, l, a.toms);
      else if (k == "data_sources")
        a.data_sources = List(v, fp, l);
      else if (k == "systems")
        a.systems = List(v, fp, l, /*references=*/true);
      else if (k == "access")
        a.access = List(v, fp, l);
      else if (k == "dpia")
        DpiaObj(v, fp, l, a.dpia);
      else if (k == "notes")
        a.notes = List(v, fp, l);
    });
  }

  void PurposeObj(const yaml::Node& n, const std::string& p, const Loc& il, Purpose& x) {
    Obj(n, "purpose", p, il, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "description")
        x.description = Str(v, fp, l);
      else if (k == "lawful_basis")
        x.lawful_basis = w_.Enum(v, fp, l, &ParseLawfulBasis, LawfulBasisValues());
      else if (k == "lia_reference")
        x.lia_reference = Str(v, fp, l);
      else if (k == "legal_obligation")
        x.legal_obligation = Str(v, fp, l);
      else if (k == "data_uses")
        x.data_uses = Categories(v, fp, l, true);
    });
  }

  void Special(const yaml::Node& n, const std::string& p, const Loc& il, SpecialCategory& s) {
    Obj(n, "special_category", p, il,
        [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
          if (k == "category") {
            s.category = Str(v, fp, l);
          } else if (k == "justification") {
            s.justification = Str(v, fp, l);
          } else if (k == "condition") {
            std::string c = Str(v, fp, l);
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
            w_.Err(ErrorKind::kSchema, w_.LocOf(v, l),
                   fmt::format("invalid Art. 9(2) condition '{}' in '{}'", c, fp),
                   "one of a, b, c, d, e, f, g, h, i, j (the letter of Art. 9(2))", hint);
          }
        });
  }

  // recipients: a list of {id, kind, name | processor}; `none`; or the
  // by-kind form {internal: [...], external: [...], processors: [...]}.
  void RecipientsObj(const yaml::Node& n, const std::string& p, const Loc& kl, ProcessingActivity& a) {
    if (n.IsNull()) return;
    if (n.IsScalar()) {
      if (n.Scalar() == "none") {
        a.no_recipients = true;
        return;
      }
      w_.Err(ErrorKind::kSchema, w_.LocOf(n, kl),
             fmt::format("'{}' must be a list or 'none', found '{}'", p, n.Scalar()),
             "a list of recipients ({id, kind, name} or {kind: processor, processor: <id>}), or `none` when "
             "the data "
             "is disclosed to no one",
             "write `recipients: none`, or list them");
      return;
    }
    if (n.IsMap()) {
      struct Raw {
        RecipientKind kind;
        std::string value;
        Loc loc;
      };
      std::vector<Raw> raw;
      Obj(n, "recipients_by_kind", p, kl,
          [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
            std::vector<Loc> locs;
            std::vector<std::string> items = w_.List(v, fp, l, &locs);
            RecipientKind kind = k == "internal"   ? RecipientKind::kInternal
                                 : k == "external" ? RecipientKind::kExternal
                                                   : RecipientKind::kProcessor;
            for (size_t i = 0; i < items.size(); ++i)
              raw.push_back({kind, items[i], i < locs.size() ? locs[i] : l});
          });
      std::vector<std::string> ids = DeriveIds(std::vector<std::string>(raw.size()), "recipient");
      for (size_t i = 0; i < raw.size(); ++i) {
        Recipient r;
        r.id = ids[i];
        r.kind = raw[i].kind;
        (r.kind == RecipientKind::kProcessor ? r.processor : r.name) = raw[i].value;
        std::string rp = p + "[" + r.id + "]";  // "activities[x].recipients[recipient-1]"
        map_->Add(rp, raw[i].loc);
        if (r.kind == RecipientKind::kProcessor) map_->Add(rp + ".processor", raw[i].loc);
        a.recipients.push_back(std::move(r));
      }
      return;
    }
    static const std::vector<std::string_view> kKinds = RecipientKindValues();
    a.recipients = Seq<Recipient>(
        n, p, kl, "recipient", [&](const yaml::Node& rn, const std::string& rp, Loc rl, Recipient& r) {
          bool have_kind = false;
          Obj(rn, "recipient", rp, rl,
              [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
                if (k == "kind") {
                  have_kind = true;
                  if (auto kind = w_.Enum(v, fp, l, &ParseRecipientKind, kKinds)) r.kind = *kind;
                } else if (k == "name") {
                  r.name = Str(v, fp, l);
                } else if (k == "processor") {
                  r.processor = Str(v, fp, l);
                }
              });
          if (!rn.IsMap()) return;
          if (!have_kind)
            w_.Err(
                ErrorKind::kSchema, rl, fmt::format("'{}' has no kind", rp), AllowedValues(kKinds),
                "add `kind: internal` (a department), `kind: external` (a third party) or `kind: processor`");
          else if (r.kind == RecipientKind::kProcessor && r.processor.empty())
            w_.Err(ErrorKind::kSchema, rl,
                   fmt::format("'{}' is a processor recipient without 'processor'", rp),
                   "`processor: <id of a processor>`", "");
          else if (r.kind != RecipientKind::kProcessor && r.name.empty())
            w_.Err(ErrorKind::kSchema, rl, fmt::format("'{}' has no name", rp),
                   "`name:` the department (internal) or third party (external)", "");
        });
  }

  void RetentionObj(const yaml::Node& n, const std::string& p, const Loc& il, Retention& r) {
    Obj(n, "retention", p, il, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "data_category") {
        r.data_category = Str(v, fp, l);
        if (!r.data_category.empty() && r.data_category != "*")
          CheckTaxonomy(r.data_category, w_.LocOf(v, l), fp, false);
      } else if (k == "period") {
        r.period = Str(v, fp, l);
      } else if (k == "justification") {
        r.justification = Str(v, fp, l);
      }
    });
  }

  void DpiaObj(const yaml::Node& n, const std::string& p, const Loc& kl, Dpia& d) {
    if (n.IsNull()) return;
    Obj(n, "dpia", p, kl, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "status") {
        if (auto s = w_.Enum(v, fp, l, &ParseDpiaStatus, DpiaStatusValues())) d.status = *s;
      } else if (k == "reference") {
        d.reference = Str(v, fp, l);
      } else if (k == "date") {
        d.date = w_.Date(v, fp, l);
      }
    });
  }

  void ProcessorObj(const yaml::Node& n, const std::string& ip, const Loc& il, Processor& x) {
    Obj(n, "processor", ip, il, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "id") {
        x.id = Identity(v, fp, l, ip, true);
      } else if (k == "name") {
        x.name = Identity(v, fp, l, ip, false);
      } else if (k == "legal_entity") {
        x.legal_entity = Str(v, fp, l);
      } else if (k == "country") {
        x.country = w_.Country(v, fp, l);
      } else if (k == "role") {
        if (auto r = w_.Enum(v, fp, l, &ParseVendorRole, VendorRoleValues())) x.role = *r;
      } else if (k == "agreement") {
        if (v.IsNull()) return;
        Obj(v, "agreement", fp, l,
            [&](std::string_view ak, const yaml::Node& av, Loc al, const std::string& afp) {
              if (ak == "status") {
                if (auto s = w_.Enum(av, afp, al, &ParseAgreementStatus, AgreementStatusValues()))
                  x.agreement.status = *s;
              } else if (ak == "date") {
                x.agreement.date = w_.Date(av, afp, al);
                if (!opts_.today.empty() && IsCalendarDate(x.agreement.date) &&
                    x.agreement.date.substr(0, 10) > opts_.today)
                  w_.Warn(
                      w_.LocOf(av, al),
                      fmt::format("the agreement of '{}' is dated {}, which is in the future (today is {})",
                                  x.id, x.agreement.date, opts_.today),
                      "check the date; a planned signing belongs in status: pending");
              } else if (ak == "reference") {
                x.agreement.reference = Str(av, afp, al);
              } else if (ak == "expires") {
                x.agreement.expires = w_.Date(av, afp, al);
              }
            });
      } else if (k == "transfer_safeguard") {
        x.transfer_safeguard = w_.Enum(v, fp, l, &ParseTransferSafeguard, TransferSafeguardValues());
      } else if (k == "dpf_listing") {
        if (v.IsNull()) return;
        Obj(v, "dpf_listing", fp, l,
            [&](std::string_view dk, const yaml::Node& dv, Loc dl, const std::string& dfp) {
              if (dk == "listed")
                x.dpf_listing.listed = w_.Bool(dv, dfp, dl);
              else if (dk == "checked")
                x.dpf_listing.checked = w_.Date(dv, dfp, dl);
              else if (dk == "reference")
                x.dpf_listing.reference = Str(dv, dfp, dl);
            });
      } else if (k == "sub_processors") {
        if (!v.IsSequence()) {
          if (!v.IsNull())
            w_.Err(ErrorKind::kSchema, w_.LocOf(v, l), fmt::format("'{}' must be a list", fp),
                   "a list of maps");
          return;
        }
        for (size_t i = 0; i < v.size(); ++i) {
          SubProcessor s;
          std::string sp = path::Index(ip, "sub_processors", i);
          Obj(v[i], "sub_processor", sp, w_.LocOf(v[i], l),
              [&](std::string_view sk, const yaml::Node& sv, Loc sl, const std::string& sfp) {
                if (sk == "name")
                  s.name = Str(sv, sfp, sl);
                else if (sk == "country")
                  s.country = w_.Country(sv, sfp, sl);
                else if (sk == "purpose")
                  s.purpose = Str(sv, sfp, sl);
              });
          x.sub_processors.push_back(std::move(s));
        }
      }
    });
  }

  void SystemObj(const yaml::Node& n, const std::string& ip, const Loc& il, System& s) {
    Obj(n, "system", ip, il, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "id")
        s.id = Identity(v, fp, l, ip, true);
      else if (k == "name")
        s.name = Identity(v, fp, l, ip, false);
      else if (k == "description")
        s.description = Str(v, fp, l);
      else if (k == "location")
        s.location = Str(v, fp, l);
      else if (k == "country")
        s.country = w_.Country(v, fp, l);
      else if (k == "processor")
        s.processor = Str(v, fp, l);
    });
  }

  void TouchpointObj(const yaml::Node& n, const std::string& ip, const Loc& il, Touchpoint& t) {
    Obj(n, "touchpoint", ip, il, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "id") {
        t.id = Identity(v, fp, l, ip, true);
      } else if (k == "name") {
        t.name = Identity(v, fp, l, ip, false);
      } else if (k == "channel") {
        const auto& values = TextCatalog::Builtin().Vocabulary("channel");
        std::vector<std::string_view> allowed(values.begin(), values.end());
        if (auto c = w_.OneOf(v, fp, l, allowed)) t.channel = *c;
      } else if (k == "product") {
        t.product = Str(v, fp, l);
      } else if (k == "vendor") {
        t.vendor = Str(v, fp, l);
      } else if (k == "activities") {
        t.activities = List(v, fp, l, /*references=*/true);
      } else if (k == "owner") {
        t.owner = Str(v, fp, l);
      } else if (k == "answers") {
        Answers(v, fp, l, t.answers);
      } else if (k == "audience_list") {
        AudienceListObj(v, fp, l, t.audience_list);
      } else if (k == "contact") {
        ContactObj(v, fp, l, t.contact);
      } else if (k == "analytics_exemption") {
        ExemptionObj(v, fp, l, t.analytics_exemption);
      } else if (k == "discovered") {
        DiscoveredObj(v, fp, l, t.discovered);
      }
    });
  }

  void DiscoveredObj(const yaml::Node& n, const std::string& p, const Loc& kl, Discovered& d) {
    if (n.IsNull()) return;
    Obj(n, "discovered", p, kl, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "audit") {
        d.audit = Str(v, fp, l);
      } else if (k == "date") {
        d.date = w_.Date(v, fp, l);
      } else if (k == "proof") {
        d.proof = Str(v, fp, l);
      } else if (k == "first_date") {
        d.first_date = w_.Date(v, fp, l);
      } else if (k == "last_date") {
        d.last_date = w_.Date(v, fp, l);
      } else if (k == "suggested") {
        Answers(v, fp, l, d.suggested);
      } else if (k == "seen") {
        if (v.IsNull()) return;
        if (!v.IsSequence()) {
          w_.Err(ErrorKind::kSchema, w_.LocOf(v, l), fmt::format("'{}' must be a list", fp),
                 "a list of maps");
          return;
        }
        for (size_t i = 0; i < v.size(); ++i) {
          SeenItem x;
          const std::string sp = path::Index(p, "seen", i);
          Obj(v[i], "seen_item", sp, w_.LocOf(v[i], l),
              [&](std::string_view sk, const yaml::Node& sv, Loc sl, const std::string& sfp) {
                if (sk == "kind")
                  x.kind = Str(sv, sfp, sl);
                else if (sk == "what")
                  x.what = Str(sv, sfp, sl);
                else if (sk == "detail")
                  x.detail = Str(sv, sfp, sl);
                else if (sk == "proof")
                  x.proof = Str(sv, sfp, sl);
                else if (sk == "first_date")
                  x.first_date = w_.Date(sv, sfp, sl);
                else if (sk == "last_date")
                  x.last_date = w_.Date(sv, sfp, sl);
                else if (sk == "count")
                  x.count = Count(sv, sfp, sl).value_or(0);
                else if (sk == "source")
                  x.source = Str(sv, sfp, sl);
              });
          d.seen.push_back(std::move(x));
        }
      }
    });
  }

  std::string VocabValue(const yaml::Node& v, const std::string& fp, const Loc& l, std::string_view vocab) {
    const auto& values = TextCatalog::Builtin().Vocabulary(vocab);
    std::vector<std::string_view> allowed(values.begin(), values.end());
    return w_.OneOf(v, fp, l, allowed).value_or("");
  }

  // A count (0 or more, up to 15 digits).
  std::optional<int64_t> Count(const yaml::Node& v, const std::string& fp, const Loc& l) {
    std::string s = Str(v, fp, l);
    if (s.empty()) return std::nullopt;
    if (s.size() > 15 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      w_.Err(ErrorKind::kSchema, w_.LocOf(v, l), fmt::format("'{}' must be a whole number", fp),
             "a count such as 341");
      return std::nullopt;
    }
    return std::stoll(s);
  }

  // A whole number of days (0 or more).
  std::optional<int64_t> Days(const yaml::Node& v, const std::string& fp, const Loc& l) {
    std::string s = Str(v, fp, l);
    if (s.empty()) return std::nullopt;
    bool digits =
        s.size() <= 6 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
      w_.Err(ErrorKind::kSchema, w_.LocOf(v, l), fmt::format("'{}' must be a whole number of days", fp),
             "a number of days such as 30", "write the period in days (1 year = 365)");
      return std::nullopt;
    }
    return std::stoll(s);
  }

  void ContactObj(const yaml::Node& n, const std::string& p, const Loc& kl, ContactFacts& c) {
    if (n.IsNull()) return;
    Obj(n, "touchpoint_contact", p, kl,
        [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
          if (v.IsNull()) return;
          if (k == "whatsapp") {
            WhatsAppUse& x = c.whatsapp;
            Obj(v, "whatsapp", fp, l,
                [&](std::string_view wk, const yaml::Node& wv, Loc wl, const std::string& wp) {
                  if (wk == "app")
                    x.app = VocabValue(wv, wp, wl, "whatsapp_app");
                  else if (wk == "provider")
                    x.provider = Str(wv, wp, wl);
                  else if (wk == "staff_own_phones")
                    x.staff_own_phones = w_.Bool(wv, wp, wl);
                  else if (wk == "contact_upload")
                    x.contact_upload = w_.Bool(wv, wp, wl);
                });
          } else if (k == "call_recording") {
            CallRecording& x = c.call_recording;
            Obj(v, "call_recording", fp, l,
                [&](std::string_view ck, const yaml::Node& cv, Loc cl, const std::string& cp) {
                  if (ck == "recorded")
                    x.recorded = w_.Bool(cv, cp, cl);
                  else if (ck == "announced")
                    x.announced = w_.Bool(cv, cp, cl);
                  else if (ck == "scope")
                    x.scope = VocabValue(cv, cp, cl, "call_recording_scope");
                  else if (ck == "retention_days")
                    x.retention_days = Days(cv, cp, cl);
                  else if (ck == "purpose")
                    x.purpose = Str(cv, cp, cl);
                });
          } else if (k == "chat_transcripts") {
            ChatTranscripts& x = c.chat_transcripts;
            Obj(v, "chat_transcripts", fp, l,
                [&](std::string_view ck, const yaml::Node& cv, Loc cl, const std::string& cp) {
                  if (ck == "stored")
                    x.stored = w_.Bool(cv, cp, cl);
                  else if (ck == "reused_in_crm")
                    x.reused_in_crm = w_.Bool(cv, cp, cl);
                  else if (ck == "retention_days")
                    x.retention_days = Days(cv, cp, cl);
                });
          } else if (k == "email_tracking") {
            EmailTracking& x = c.email_tracking;
            Obj(v, "email_tracking", fp, l,
                [&](std::string_view ek, const yaml::Node& ev, Loc el, const std::string& ep) {
                  if (ek == "open_tracking")
                    x.open_tracking = w_.Bool(ev, ep, el);
                  else if (ek == "click_tracking")
                    x.click_tracking = w_.Bool(ev, ep, el);
                  else if (ek == "per_recipient")
                    x.per_recipient = w_.Bool(ev, ep, el);
                  else if (ek == "consent")
                    x.consent = w_.Bool(ev, ep, el);
                });
          }
        });
  }

  void ExemptionObj(const yaml::Node& n, const std::string& p, const Loc& kl, AnalyticsExemption& a) {
    if (n.IsNull()) return;
    Obj(n, "analytics_exemption", p, kl,
        [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
          std::optional<bool> b = w_.Bool(v, fp, l);
          if (k == "processor_agreement")
            a.processor_agreement = b;
          else if (k == "ip_masked")
            a.ip_masked = b;
          else if (k == "no_sharing")
            a.no_sharing = b;
          else if (k == "no_other_services")
            a.no_other_services = b;
          else if (k == "informed")
            a.informed = b;
          else if (k == "cookieless")
            a.cookieless = b;
        });
  }

  void AudienceListObj(const yaml::Node& n, const std::string& p, const Loc& kl, AudienceList& a) {
    if (n.IsNull()) return;
    Obj(n, "audience_list", p, kl,
        [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
          if (k == "list_subjects") {
            const auto& values = TextCatalog::Builtin().Vocabulary("audience_list_subjects");
            std::vector<std::string_view> allowed(values.begin(), values.end());
            if (auto c = w_.OneOf(v, fp, l, allowed)) a.subjects = *c;
          } else if (k == "exclusion_list") {
            a.exclusion = w_.Bool(v, fp, l);
          } else if (k == "hashed_before_upload") {
            a.hashed = w_.Bool(v, fp, l);
          } else if (k == "anonymous") {
            a.anonymous = w_.Bool(v, fp, l);
          } else if (k == "consent_reference") {
            a.consent_reference = Str(v, fp, l);
          }
        });
  }

  void Answers(const yaml::Node& n, const std::string& p, const Loc& kl, TouchpointAnswers& a) {
    if (n.IsNull()) return;
    Obj(n, "answers", p, kl, [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
      if (k == "in_use")
        a.in_use = w_.Bool(v, fp, l);
      else if (k == "in_use_since")
        a.in_use_since = w_.Date(v, fp, l);
      else if (k == "stored_by_us")
        a.stored_by_us = w_.Bool(v, fp, l);
      else if (k == "stored_by_us_where")
        a.stored_by_us_where = Str(v, fp, l);
      else if (k == "stored_by_vendor")
        a.stored_by_vendor = w_.Bool(v, fp, l);
      else if (k == "stored_by_vendor_details")
        a.stored_by_vendor_details = Str(v, fp, l);
      else if (k == "informed") {
        if (v.IsNull()) return;
        // Answer ids are flat (informed_statement, informed_section).
        w_.Map(v, KeysOf("informed"), input::Where::Quoted(fp), l,
               [&](std::string_view ik, const yaml::Node& iv, Loc il) {
                 std::string id = path::Field(p, "informed_" + std::string(ik));
                 map_->Add(id, w_.LocOf(iv, il));
                 if (ik == "statement")
                   a.informed_statement = Str(iv, id, il);
                 else if (ik == "section")
                   a.informed_section = Str(iv, id, il);
               });
      } else if (k == "data_collected")
        a.data_collected = Categories(v, fp, l, false);
      else if (k == "lawful_basis")
        a.lawful_basis = w_.Enum(v, fp, l, &ParseLawfulBasis, LawfulBasisValues());
      else if (k == "necessity")
        a.necessity = Str(v, fp, l);
      else if (k == "subsidiarity")
        a.subsidiarity = Str(v, fp, l);
      else if (k == "proportionality")
        a.proportionality = Str(v, fp, l);
      else if (k == "security_measures")
        a.security_measures = List(v, fp, l);
    });
  }

  void ProcessorRecordObj(const yaml::Node& n, const std::string& ip, const Loc& il, ProcessorRecord& r) {
    bool has_controller = false;
    bool ok = Obj(n, "processor_record", ip, il,
                  [&](std::string_view k, const yaml::Node& v, Loc l, const std::string& fp) {
                    if (k == "controller") {
                      r.controller = Str(v, fp, l);
                      has_controller = !r.controller.empty();
                    } else if (k == "controller_contact") {
                      ContactObj(v, fp, l, r.controller_contact);
                    } else if (k == "categories_of_processing") {
                      r.categories_of_processing = List(v, fp, l);
                    } else if (k == "transfers") {
                      r.transfers = Seq<Transfer>(
                          v, fp, l, "transfer",
                          [&](const auto& tn, auto tp, Loc tl, auto& x) { TransferObj(tn, tp, tl, x); });
                    } else if (k == "toms") {
                      TomsObj(v, fp, l, r.toms);
                    } else if (k == "notes") {
                      r.notes = List(v, fp, l);
                    }
                  });
    if (ok && !has_controller)
      w_.Err(ErrorKind::kSchema, il, fmt::format("'{}' has no controller", ip),
             "a 'controller' key naming the controller on whose behalf you process (Art. 30(2)(a))",
             "add `controller: <name of the controller>`");
  }

  Walker w_;
  const RegisterReadOptions& opts_;
  Register* reg_ = nullptr;
  SourceMap* map_ = nullptr;
  std::vector<std::pair<std::string, std::string>> bad_identity_;  // (item path, "has no id"/"has no name")
};

// ---- YAML writer ----

// True when `s` holds a character that a YAML reader does not take back as it
// is from a plain or double-quoted scalar: control characters other than a line
// feed (YAML allows no C0 or C1 control character and DEL raw in a stream),
// characters YAML 1.1 reads as line breaks (NEL U+0085, LINE SEPARATOR U+2028,
// PARAGRAPH SEPARATOR U+2029), a byte-order mark (U+FEFF) and the
// non-characters U+FFFE and U+FFFF. Such text is written double-quoted with
// every non-ASCII character as an escape; yaml-cpp escapes C0 controls in
// double quotes but writes DEL and U+2028/U+2029 raw, which libyaml then
// refuses or folds into a space.
bool NeedsEscapes(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) return true;
    unsigned char c1 = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    unsigned char c2 = i + 2 < s.size() ? static_cast<unsigned char>(s[i + 2]) : 0;
    if (c == 0xC2 && c1 >= 0x80 && c1 <= 0x9F) return true;                  // U+0080..U+009F
    if (c == 0xE2 && c1 == 0x80 && (c2 == 0xA8 || c2 == 0xA9)) return true;  // U+2028, U+2029
    if (c == 0xEF && c1 == 0xBB && c2 == 0xBF) return true;                  // U+FEFF
    if (c == 0xEF && c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)) return true;  // U+FFFE, U+FFFF
  }
  return false;
}

// The same characters in JSON text written by nlohmann::json, which escapes C0
// controls but writes DEL, C1 controls, U+2028/U+2029, U+FEFF and U+FFFE/FFFF
// raw: each becomes a JSON escape (backslash, u, four hex digits). Outside
// strings JSON text is ASCII, so every such character is inside a string.
std::string EscapeJsonText(std::string text) {
  if (!NeedsEscapes(text)) return text;
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    unsigned char c1 = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    unsigned char c2 = i + 2 < text.size() ? static_cast<unsigned char>(text[i + 2]) : 0;
    if (c == 0x7F) {
      out += "\\u007f";
    } else if (c == 0xC2 && c1 >= 0x80 && c1 <= 0x9F) {
      out += fmt::format("\\u{:04x}", c1);
      i += 1;
    } else if (c == 0xE2 && c1 == 0x80 && (c2 == 0xA8 || c2 == 0xA9)) {
      out += c2 == 0xA8 ? "\\u2028" : "\\u2029";
      i += 2;
    } else if (c == 0xEF && ((c1 == 0xBB && c2 == 0xBF) || (c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)))) {
      out += c1 == 0xBB ? "\\ufeff" : c2 == 0xBE ? "\\ufffe" : "\\uffff";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// The code point of the UTF-8 sequence at s[i] and its length; U+FFFD and 1
// for a byte that does not start a well-formed sequence.
std::pair<uint32_t, size_t> DecodeUtf8(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return {c, 1};
  size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (len == 0 || i + len > s.size()) return {0xFFFD, 1};
  uint32_t cp = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < len; ++k) {
    unsigned char b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return {0xFFFD, 1};
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, len};
}

// A Unicode non-character: U+FDD0..U+FDEF and the last two code points of
// every plane (U+FFFE, U+FFFF, U+1FFFE, ... U+10FFFF).
bool IsNoncharacter(uint32_t cp) { return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE; }

// True when `s` holds a non-character. yaml-cpp 0.7 writes each one as U+FFFD
// in every quoted style (emitterutils.cpp), so such text is written by
// DoubleQuoted below instead.
bool HasNoncharacter(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0xEF) {  // every non-character's UTF-8 form starts with EF, F0..F4
      ++i;
      continue;
    }
    auto [cp, len] = DecodeUtf8(s, i);
    if (IsNoncharacter(cp)) return true;
    i += len;
  }
  return false;
}

// `s` as a YAML double-quoted scalar on one line: printable ASCII as it is
// (with \" and \\), every other character as an escape (\uXXXX, or
// \UXXXXXXXX above U+FFFF), which libyaml reads back as that code point.
std::string DoubleQuoted(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    auto [cp, len] = DecodeUtf8(s, i);
    i += len;
    if (cp == '"' || cp == '\\')
      out += {'\\', static_cast<char>(cp)};
    else if (cp >= 0x20 && cp < 0x7F)
      out += static_cast<char>(cp);
    else if (cp <= 0xFFFF)
      out += fmt::format("\\u{:04x}", cp);
    else
      out += fmt::format("\\U{:08x}", cp);
  }
  return out + "\"";
}

// Marks the place of a scalar that Writer puts in itself (text with a
// non-character): U+FFFE, the scalar's number, U+FFFE. yaml-cpp writes it as
// a plain scalar, as it is; no other raw U+FFFE is in the writer's output,
// as every text with one is such a scalar.
constexpr std::string_view kScalarMark = "\xEF\xBF\xBE";

bool NeedsQuotes(const std::string& s) {
  static const std::set<std::string> kSpecial = {"~",     "null", "Null",  "NULL", "true", "false", "True",
                                                 "False", "TRUE", "FALSE", "yes",  "no",   "Yes",   "No",
                                                 "YES",   "NO",   "on",    "off",  "On",   "Off",   "ON",
                                                 "OFF",   "y",    "n",     "Y",    "N",    "none"};
  return s.empty() || kSpecial.count(s) > 0;
}

class Writer {
 public:
  std::string Run(const Register& r) {
    e_ << YAML::BeginMap;
    e_ << YAML::Key << "blindspot_register" << YAML::Value << 1;
    const auto& o = r.organisation;
    if (!(o == blindspot::Organisation{})) {
      e_ << YAML::Key << "organisation" << YAML::Value << YAML::BeginMap;
      S("name", o.name);
      S("registration", o.registration);
      S("country", o.country);
      if (o.public_body) e_ << YAML::Key << "public_body" << YAML::Value << true;
      ContactW("contact", o.contact);
      if (o.no_dpo)
        e_ << YAML::Key << "dpo" << YAML::Value << "none";
      else
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
        L("notes", p.notes);
        e_ << YAML::EndMap;
      }
      e_ << YAML::EndSeq;
    }
    e_ << YAML::EndMap;
    std::string out = e_.c_str();
    if (!scalars_.empty()) {  // each mark in its place, left to right
      std::string done;
      size_t b = 0;
      for (const std::string& scalar : scalars_) {
        size_t e = out.find(kScalarMark, b);
        size_t end = e == std::string::npos ? e : out.find(kScalarMark, e + kScalarMark.size());
        if (end == std::string::npos) break;  // not written plain: libyaml refuses the raw U+FFFE left
        done.append(out, b, e - b);
        done += scalar;
        b = end + kScalarMark.size();
      }
      out = done + out.substr(b);
    }
    return out + "\n";
  }

 private:
  void Value(const std::string& v) {
    if (HasNoncharacter(v)) {
      e_ << fmt::format("{}{}{}", kScalarMark, scalars_.size(), kScalarMark);
      scalars_.push_back(DoubleQuoted(v));
      return;
    }
    if (NeedsEscapes(v))
      e_ << YAML::DoubleQuoted << YAML::EscapeNonAscii;
    else if (NeedsQuotes(v))
      e_ << YAML::DoubleQuoted;
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
      S("id", t.id);
      S("recipient", t.recipient);
      S("country", t.country);
      if (t.safeguard) S("safeguard", std::string(ToString(*t.safeguard)));
      S("reference", t.reference);
      if (!t.tia.empty()) {
        e_ << YAML::Key << "tia" << YAML::Value << YAML::BeginMap;
        S("date", t.tia.date);
        S("reference", t.tia.reference);
        e_ << YAML::EndMap;
      }
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
        S("id", p.id);
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
    if (a.large_scale) e_ << YAML::Key << "large_scale" << YAML::Value << true;
    L("data_categories", a.data_categories);
    if (!a.special_categories.empty()) {
      e_ << YAML::Key << "special_categories" << YAML::Value << YAML::BeginSeq;
      for (const auto& s : a.special_categories) {
        e_ << YAML::BeginMap;
        S("id", s.id);
        S("category", s.category);
        if (s.condition) S("condition", std::string(1, *s.condition));
        S("justification", s.justification);
        e_ << YAML::EndMap;
      }
      e_ << YAML::EndSeq;
    }
    if (a.criminal_data) {
      e_ << YAML::Key << "criminal_data" << YAML::Value << YAML::BeginMap;
      S("basis", a.criminal_data->basis);
      S("justification", a.criminal_data->justification);
      e_ << YAML::EndMap;
    }
    if (a.national_id) {
      e_ << YAML::Key << "national_id" << YAML::Value << YAML::BeginMap;
      S("law", a.national_id->law);
      e_ << YAML::EndMap;
    }
    if (a.no_recipients) {
      e_ << YAML::Key << "recipients" << YAML::Value << "none";
    } else if (!a.recipients.empty()) {
      e_ << YAML::Key << "recipients" << YAML::Value << YAML::BeginSeq;
      for (const auto& rc : a.recipients) {
        e_ << YAML::BeginMap;
        S("id", rc.id);
        S("kind", std::string(ToString(rc.kind)));
        S("name", rc.name);
        S("processor", rc.processor);
        e_ << YAML::EndMap;
      }
      e_ << YAML::EndSeq;
    }
    TransfersW(a.transfers);
    if (!a.retention.empty()) {
      e_ << YAML::Key << "retention" << YAML::Value << YAML::BeginSeq;
      for (const auto& r : a.retention) {
        e_ << YAML::BeginMap;
        S("id", r.id);
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
    if (!(a.dpia == Dpia{})) {
      e_ << YAML::Key << "dpia" << YAML::Value << YAML::BeginMap;
      S("status", std::string(ToString(a.dpia.status)));
      S("reference", a.dpia.reference);
      S("date", a.dpia.date);
      e_ << YAML::EndMap;
    }
    L("notes", a.notes);
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
    S("expires", ag.expires);
    e_ << YAML::EndMap;
    if (p.transfer_safeguard) S("transfer_safeguard", std::string(ToString(*p.transfer_safeguard)));
    if (!p.dpf_listing.empty()) {
      e_ << YAML::Key << "dpf_listing" << YAML::Value << YAML::BeginMap;
      if (p.dpf_listing.listed) e_ << YAML::Key << "listed" << YAML::Value << *p.dpf_listing.listed;
      S("checked", p.dpf_listing.checked);
      S("reference", p.dpf_listing.reference);
      e_ << YAML::EndMap;
    }
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
  void AnswersW(std::string_view key, const TouchpointAnswers& a) {
    if (!a.empty()) {
      e_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
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
    AnswersW("answers", t.answers);
    const auto& al = t.audience_list;
    if (!al.empty()) {
      e_ << YAML::Key << "audience_list" << YAML::Value << YAML::BeginMap;
      S("list_subjects", al.subjects);
      B("exclusion_list", al.exclusion);
      B("hashed_before_upload", al.hashed);
      B("anonymous", al.anonymous);
      S("consent_reference", al.consent_reference);
      e_ << YAML::EndMap;
    }
    const ContactFacts& c = t.contact;
    if (!c.empty()) {
      e_ << YAML::Key << "contact" << YAML::Value << YAML::BeginMap;
      if (!c.whatsapp.empty()) {
        e_ << YAML::Key << "whatsapp" << YAML::Value << YAML::BeginMap;
        S("app", c.whatsapp.app);
        S("provider", c.whatsapp.provider);
        B("staff_own_phones", c.whatsapp.staff_own_phones);
        B("contact_upload", c.whatsapp.contact_upload);
        e_ << YAML::EndMap;
      }
      if (!c.call_recording.empty()) {
        const CallRecording& r = c.call_recording;
        e_ << YAML::Key << "call_recording" << YAML::Value << YAML::BeginMap;
        B("recorded", r.recorded);
        B("announced", r.announced);
        S("scope", r.scope);
        if (r.retention_days) e_ << YAML::Key << "retention_days" << YAML::Value << *r.retention_days;
        S("purpose", r.purpose);
        e_ << YAML::EndMap;
      }
      if (!c.chat_transcripts.empty()) {
        const ChatTranscripts& r = c.chat_transcripts;
        e_ << YAML::Key << "chat_transcripts" << YAML::Value << YAML::BeginMap;
        B("stored", r.stored);
        B("reused_in_crm", r.reused_in_crm);
        if (r.retention_days) e_ << YAML::Key << "retention_days" << YAML::Value << *r.retention_days;
        e_ << YAML::EndMap;
      }
      if (!c.email_tracking.empty()) {
        const EmailTracking& r = c.email_tracking;
        e_ << YAML::Key << "email_tracking" << YAML::Value << YAML::BeginMap;
        B("open_tracking", r.open_tracking);
        B("click_tracking", r.click_tracking);
        B("per_recipient", r.per_recipient);
        B("consent", r.consent);
        e_ << YAML::EndMap;
      }
      e_ << YAML::EndMap;
    }
    const AnalyticsExemption& ax = t.analytics_exemption;
    if (!ax.empty()) {
      e_ << YAML::Key << "analytics_exemption" << YAML::Value << YAML::BeginMap;
      B("processor_agreement", ax.processor_agreement);
      B("ip_masked", ax.ip_masked);
      B("no_sharing", ax.no_sharing);
      B("no_other_services", ax.no_other_services);
      B("informed", ax.informed);
      B("cookieless", ax.cookieless);
      e_ << YAML::EndMap;
    }
    const Discovered& d = t.discovered;
    if (!d.empty()) {
      e_ << YAML::Key << "discovered" << YAML::Value << YAML::BeginMap;
      S("audit", d.audit);
      S("date", d.date);
      S("proof", d.proof);
      S("first_date", d.first_date);
      S("last_date", d.last_date);
      if (!d.seen.empty()) {
        e_ << YAML::Key << "seen" << YAML::Value << YAML::BeginSeq;
        for (const SeenItem& i : d.seen) {
          e_ << YAML::BeginMap;
          S("kind", i.kind);
          S("what", i.what);
          S("detail", i.detail);
          S("proof", i.proof);
          S("first_date", i.first_date);
          S("last_date", i.last_date);
          if (i.count > 0) e_ << YAML::Key << "count" << YAML::Value << i.count;
          S("source", i.source);
          e_ << YAML::EndMap;
        }
        e_ << YAML::EndSeq;
      }
      AnswersW("suggested", d.suggested);
      e_ << YAML::EndMap;
    }
    e_ << YAML::EndMap;
  }

  YAML::Emitter e_;
  std::vector<std::string> scalars_;  // DoubleQuoted text for the marks in e_'s output, in order
};

// ---- JSON writer: the same structure as the YAML writer ----

// Streams the register through JsonOut (the bytes nlohmann's dump(2) gives,
// without building a tree: a 100,000-activity register is one pass into one
// string). Keys in the order of docs/formats/register.md; empty values left out.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : j_(out) {}

  void Run(const Register& r);

 private:
  void S(std::string_view k, const std::string& v) {
    if (!v.empty()) j_.Member(k, v);
  }
  void L(std::string_view k, const std::vector<std::string>& v) {
    if (v.empty()) return;
    j_.Key(k);
    j_.StrList(v);
  }
  void B(std::string_view k, const std::optional<bool>& b) {
    if (b) j_.Member(k, *b);
  }
  void E(std::string_view k, std::string_view v) { j_.Member(k, v); }
  void ContactJ(std::string_view k, const Contact& c) {
    j_.Key(k);
    j_.BeginObject();
    S("name", c.name);
    S("email", c.email);
    S("phone", c.phone);
    S("address", c.address);
    j_.EndObject();
  }
  void TomsJ(const Toms& t) {
    j_.Key("toms");
    j_.BeginObject();
    L("measures", t.measures);
    S("description", t.description);
    j_.EndObject();
  }
  void TransfersJ(const std::vector<Transfer>& ts) {
    j_.Key("transfers");
    j_.BeginArray();
    for (const auto& t : ts) {
      j_.BeginObject();
      S("id", t.id);
      S("recipient", t.recipient);
      S("country", t.country);
      if (t.safeguard) E("safeguard", ToString(*t.safeguard));
      S("reference", t.reference);
      if (!t.tia.empty()) {
        j_.Key("tia");
        j_.BeginObject();
        S("date", t.tia.date);
        S("reference", t.tia.reference);
        j_.EndObject();
      }
      j_.EndObject();
    }
    j_.EndArray();
  }
  void ActivityJ(const ProcessingActivity& a);
  void ProcessorJ(const Processor& p);
  void TouchpointJ(const Touchpoint& t);
  void AnswersJ(std::string_view key, const TouchpointAnswers& a);

  io_internal::JsonOut j_;
};

void JsonWriter::ActivityJ(const ProcessingActivity& a) {
  j_.BeginObject();
  S("id", a.id);
  S("name", a.name);
  S("description", a.description);
  S("business_function", a.business_function);
  S("owner", a.owner);
  if (!a.purposes.empty()) {
    j_.Key("purposes");
    j_.BeginArray();
    for (const auto& p : a.purposes) {
      j_.BeginObject();
      S("id", p.id);
      S("description", p.description);
      if (p.lawful_basis) E("lawful_basis", ToString(*p.lawful_basis));
      S("lia_reference", p.lia_reference);
      S("legal_obligation", p.legal_obligation);
      L("data_uses", p.data_uses);
      j_.EndObject();
    }
    j_.EndArray();
  }
  L("data_subjects", a.data_subjects);
  if (a.large_scale) j_.Member("large_scale", true);
  L("data_categories", a.data_categories);
  if (!a.special_categories.empty()) {
    j_.Key("special_categories");
    j_.BeginArray();
    for (const auto& s : a.special_categories) {
      j_.BeginObject();
      S("id", s.id);
      S("category", s.category);
      if (s.condition) E("condition", std::string_view(&*s.condition, 1));
      S("justification", s.justification);
      j_.EndObject();
    }
    j_.EndArray();
  }
  if (a.criminal_data) {
    j_.Key("criminal_data");
    j_.BeginObject();
    S("basis", a.criminal_data->basis);
    S("justification", a.criminal_data->justification);
    j_.EndObject();
  }
  if (a.national_id) {
    j_.Key("national_id");
    j_.BeginObject();
    S("law", a.national_id->law);
    j_.EndObject();
  }
  if (a.no_recipients) {
    E("recipients", "none");
  } else if (!a.recipients.empty()) {
    j_.Key("recipients");
    j_.BeginArray();
    for (const auto& rc : a.recipients) {
      j_.BeginObject();
      S("id", rc.id);
      E("kind", ToString(rc.kind));
      S("name", rc.name);
      S("processor", rc.processor);
      j_.EndObject();
    }
    j_.EndArray();
  }
  if (!a.transfers.empty()) TransfersJ(a.transfers);
  if (!a.retention.empty()) {
    j_.Key("retention");
    j_.BeginArray();
    for (const auto& rt : a.retention) {
      j_.BeginObject();
      S("id", rt.id);
      S("data_category", rt.data_category);
      S("period", rt.period);
      S("justification", rt.justification);
      j_.EndObject();
    }
    j_.EndArray();
  }
  if (!a.toms.empty()) TomsJ(a.toms);
  L("data_sources", a.data_sources);
  L("systems", a.systems);
  L("access", a.access);
  if (!(a.dpia == Dpia{})) {
    j_.Key("dpia");
    j_.BeginObject();
    E("status", ToString(a.dpia.status));
    S("reference", a.dpia.reference);
    S("date", a.dpia.date);
    j_.EndObject();
  }
  L("notes", a.notes);
  j_.EndObject();
}

void JsonWriter::ProcessorJ(const Processor& p) {
  j_.BeginObject();
  S("id", p.id);
  S("name", p.name);
  S("legal_entity", p.legal_entity);
  S("country", p.country);
  E("role", ToString(p.role));
  j_.Key("agreement");
  j_.BeginObject();
  E("status", ToString(p.agreement.status));
  S("date", p.agreement.date);
  S("reference", p.agreement.reference);
  S("expires", p.agreement.expires);
  j_.EndObject();
  if (p.transfer_safeguard) E("transfer_safeguard", ToString(*p.transfer_safeguard));
  if (!p.dpf_listing.empty()) {
    j_.Key("dpf_listing");
    j_.BeginObject();
    B("listed", p.dpf_listing.listed);
    S("checked", p.dpf_listing.checked);
    S("reference", p.dpf_listing.reference);
    j_.EndObject();
  }
  if (!p.sub_processors.empty()) {
    j_.Key("sub_processors");
    j_.BeginArray();
    for (const auto& s : p.sub_processors) {
      j_.BeginObject();
      S("name", s.name);
      S("country", s.country);
      S("purpose", s.purpose);
      j_.EndObject();
    }
    j_.EndArray();
  }
  j_.EndObject();
}

void JsonWriter::AnswersJ(std::string_view key, const TouchpointAnswers& a) {
  if (!a.empty()) {
    j_.Key(key);
    j_.BeginObject();
    B("in_use", a.in_use);
    S("in_use_since", a.in_use_since);
    B("stored_by_us", a.stored_by_us);
    S("stored_by_us_where", a.stored_by_us_where);
    B("stored_by_vendor", a.stored_by_vendor);
    S("stored_by_vendor_details", a.stored_by_vendor_details);
    if (!a.informed_statement.empty() || !a.informed_section.empty()) {
      j_.Key("informed");
      j_.BeginObject();
      S("statement", a.informed_statement);
      S("section", a.informed_section);
      j_.EndObject();
    }
    L("data_collected", a.data_collected);
    if (a.lawful_basis) E("lawful_basis", ToString(*a.lawful_basis));
    S("necessity", a.necessity);
    S("subsidiarity", a.subsidiarity);
    S("proportionality", a.proportionality);
    L("security_measures", a.security_measures);
    j_.EndObject();
  }
}

void JsonWriter::TouchpointJ(const Touchpoint& t) {
  j_.BeginObject();
  S("id", t.id);
  S("name", t.name);
  S("channel", t.channel);
  S("product", t.product);
  S("vendor", t.vendor);
  L("activities", t.activities);
  S("owner", t.owner);
  AnswersJ("answers", t.answers);
  const auto& al = t.audience_list;
  if (!al.empty()) {
    j_.Key("audience_list");
    j_.BeginObject();
    S("list_subjects", al.subjects);
    B("exclusion_list", al.exclusion);
    B("hashed_before_upload", al.hashed);
    B("anonymous", al.anonymous);
    S("consent_reference", al.consent_reference);
    j_.EndObject();
  }
  const ContactFacts& c = t.contact;
  if (!c.empty()) {
    j_.Key("contact");
    j_.BeginObject();
    if (!c.whatsapp.empty()) {
      j_.Key("whatsapp");
      j_.BeginObject();
      S("app", c.whatsapp.app);
      S("provider", c.whatsapp.provider);
      B("staff_own_phones", c.whatsapp.staff_own_phones);
      B("contact_upload", c.whatsapp.contact_upload);
      j_.EndObject();
    }
    if (!c.call_recording.empty()) {
      const CallRecording& r = c.call_recording;
      j_.Key("call_recording");
      j_.BeginObject();
      B("recorded", r.recorded);
      B("announced", r.announced);
      S("scope", r.scope);
      if (r.retention_days) j_.Member("retention_days", *r.retention_days);
      S("purpose", r.purpose);
      j_.EndObject();
    }
    if (!c.chat_transcripts.empty()) {
      const ChatTranscripts& r = c.chat_transcripts;
      j_.Key("chat_transcripts");
      j_.BeginObject();
      B("stored", r.stored);
      B("reused_in_crm", r.reused_in_crm);
      if (r.retention_days) j_.Member("retention_days", *r.retention_days);
      j_.EndObject();
    }
    if (!c.email_tracking.empty()) {
      const EmailTracking& r = c.email_tracking;
      j_.Key("email_tracking");
      j_.BeginObject();
      B("open_tracking", r.open_tracking);
      B("click_tracking", r.click_tracking);
      B("per_recipient", r.per_recipient);
      B("consent", r.consent);
      j_.EndObject();
    }
    j_.EndObject();
  }
  const AnalyticsExemption& ax = t.analytics_exemption;
  if (!ax.empty()) {
    j_.Key("analytics_exemption");
    j_.BeginObject();
    B("processor_agreement", ax.processor_agreement);
    B("ip_masked", ax.ip_masked);
    B("no_sharing", ax.no_sharing);
    B("no_other_services", ax.no_other_services);
    B("informed", ax.informed);
    B("cookieless", ax.cookieless);
    j_.EndObject();
  }
  const Discovered& d = t.discovered;
  if (!d.empty()) {
    j_.Key("discovered");
    j_.BeginObject();
    S("audit", d.audit);
    S("date", d.date);
    S("proof", d.proof);
    S("first_date", d.first_date);
    S("last_date", d.last_date);
    if (!d.seen.empty()) {
      j_.Key("seen");
      j_.BeginArray();
      for (const SeenItem& i : d.seen) {
        j_.BeginObject();
        S("kind", i.kind);
        S("what", i.what);
        S("detail", i.detail);
        S("proof", i.proof);
        S("first_date", i.first_date);
        S("last_date", i.last_date);
        if (i.count > 0) j_.Member("count", i.count);
        S("source", i.source);
        j_.EndObject();
      }
      j_.EndArray();
    }
    AnswersJ("suggested", d.suggested);
    j_.EndObject();
  }
  j_.EndObject();
}

void JsonWriter::Run(const Register& r) {
  j_.BeginObject();
  j_.Member("blindspot_register", 1);
  const auto& o = r.organisation;
  if (!(o == Organisation{})) {
    j_.Key("organisation");
    j_.BeginObject();
    S("name", o.name);
    S("registration", o.registration);
    S("country", o.country);
    if (o.public_body) j_.Member("public_body", true);
    if (!o.contact.empty()) ContactJ("contact", o.contact);
    if (o.no_dpo)
      E("dpo", "none");
    else if (!o.dpo.empty())
      ContactJ("dpo", o.dpo);
    if (!o.representative.empty()) ContactJ("representative", o.representative);
    j_.EndObject();
  }
  if (!r.activities.empty()) {
    j_.Key("activities");
    j_.BeginArray();
    for (const auto& a : r.activities) ActivityJ(a);
    j_.EndArray();
  }
  if (!r.processors.empty()) {
    j_.Key("processors");
    j_.BeginArray();
    for (const auto& p : r.processors) ProcessorJ(p);
    j_.EndArray();
  }
  if (!r.systems.empty()) {
    j_.Key("systems");
    j_.BeginArray();
    for (const auto& s : r.systems) {
      j_.BeginObject();
      S("id", s.id);
      S("name", s.name);
      S("description", s.description);
      S("location", s.location);
      S("country", s.country);
      S("processor", s.processor);
      j_.EndObject();
    }
    j_.EndArray();
  }
  if (!r.touchpoints.empty()) {
    j_.Key("touchpoints");
    j_.BeginArray();
    for (const auto& t : r.touchpoints) TouchpointJ(t);
    j_.EndArray();
  }
  if (!r.processor_records.empty()) {
    j_.Key("processor_records");
    j_.BeginArray();
    for (const auto& p : r.processor_records) {
      j_.BeginObject();
      S("controller", p.controller);
      if (!p.controller_contact.empty()) ContactJ("controller_contact", p.controller_contact);
      L("categories_of_processing", p.categories_of_processing);
      if (!p.transfers.empty()) TransfersJ(p.transfers);
      if (!p.toms.empty()) TomsJ(p.toms);
      L("notes", p.notes);
      j_.EndObject();
    }
    j_.EndArray();
  }
  j_.EndObject();
}

}  // namespace

std::expected<LoadedRegister, Diagnostics> ParseRegisterText(std::string_view text, const std::string& file,
                                                             const RegisterReadOptions& options) {
  try {
    return NativeParser(text, file, options).Run();
  } catch (const std::exception& ex) {
    // yaml-cpp may throw from node access on malformed input; never let it escape.
    Error e;
    e.kind = ErrorKind::kInternal;
    e.where.file = file;
    e.message = std::string("register reader failed: ") + ex.what();
    return std::unexpected(Diagnostics{e});
  }
}

std::string WriteRegisterYaml(const Register& reg) { return Writer().Run(reg); }

std::string WriteRegisterJson(const Register& r) {
  std::string out;
  // About 1.7 KB per activity in a filled register; reserved pages that are
  // never written take no memory, and growing by copies is avoided.
  out.reserve(4096 + 2048 * (r.activities.size() + r.processors.size() + r.systems.size() +
                             r.touchpoints.size() + r.processor_records.size()));
  JsonWriter(out).Run(r);
  out += '\n';
  return EscapeJsonText(std::move(out));
}

}  // namespace blindspot
