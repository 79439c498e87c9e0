// Importer for Fides (fideslang) manifests: systems with privacy declarations.
// Field names follow fideslang's System / PrivacyDeclaration / Organization
// models (ethyca/fideslang src/fideslang/models.py). Unknown Fides fields are
// ignored (Fides has many that have no Art. 30 meaning); fields that are mapped
// are type-checked, and data categories / data uses must be fideslang keys.
#include <fmt/format.h>

#include <map>

#include "blindspot/fideslang.h"
#include "blindspot/io.h"
#include "blindspot/suggest.h"
#include "input/yaml_walker.h"
#include "io/importers.h"
#include "io/json_record_reader.h"

namespace blindspot {

namespace yaml = input::yaml;
namespace {

using input::ToLoc;

// fideslang LegalBasisForProcessingEnum -> Art. 6(1).
std::optional<LawfulBasis> MapLegalBasis(std::string_view s) {
  if (s == "Consent") return LawfulBasis::kConsent;
  if (s == "Contract") return LawfulBasis::kContract;
  if (s == "Legal obligations") return LawfulBasis::kLegalObligation;
  if (s == "Vital interests") return LawfulBasis::kVitalInterests;
  if (s == "Public interest") return LawfulBasis::kPublicTask;
  if (s == "Legitimate interests" || s == "Legitimate Interests") return LawfulBasis::kLegitimateInterests;
  return std::nullopt;
}
const std::vector<std::string_view> kLegalBases = {
    "Consent", "Contract", "Legal obligations", "Vital interests", "Public interest", "Legitimate interests"};

// fideslang SpecialCategoryLegalBasisEnum -> Art. 9(2) letter.
std::optional<char> MapSpecialBasis(std::string_view s) {
  static const std::pair<std::string_view, char> kMap[] = {
      {"Explicit consent", 'a'},
      {"Employment, social security and social protection", 'b'},
      {"Vital interests", 'c'},
      {"Not-for-profit bodies", 'd'},
      {"Made public by the data subject", 'e'},
      {"Legal claims or judicial acts", 'f'},
      {"Reasons of substantial public interest (with a basis in law)", 'g'},
      {"Health or social care (with a basis in law)", 'h'},
      {"Public health (with a basis in law)", 'i'},
      {"Archiving, research and statistics (with a basis in law)", 'j'},
  };
  for (const auto& [k, v] : kMap)
    if (k == s) return v;
  return std::nullopt;
}

// fideslang LegalBasisForTransfersEnum -> Chapter V safeguard (nullopt: not one we model).
std::optional<TransferSafeguard> MapTransferBasis(std::string_view s) {
  if (s == "Adequacy Decision") return TransferSafeguard::kAdequacyDecision;
  if (s == "SCCs") return TransferSafeguard::kSccs;
  if (s == "BCRs") return TransferSafeguard::kBcrs;
  return std::nullopt;
}

class FidesReader {
 public:
  FidesReader(std::string_view text, const std::string& file) : w_(text, file) {}

  std::expected<LoadedRegister, Diagnostics> Run() {
    LoadedRegister out;
    out.reg.source = w_.file();
    out.reg.version = "1";
    out.map.file = w_.file();
    map_ = &out.map;
    auto root = w_.Load("a Fides manifest (YAML or JSON)");
    if (root) Top(*root, out.reg);
    return FinishImport(w_, std::move(out), root.has_value());
  }

 private:
  Loc LocOf(const yaml::Node& n, const Loc& fb = {}) const {
    Loc l = ToLoc(n.GetMark());
    return l.line ? l : fb;
  }
  void Err(ErrorKind k, const Loc& l, std::string m, std::string exp = {}, std::string hint = {}) {
    w_.Err(k, l, std::move(m), std::move(exp), std::move(hint));
  }
  static yaml::Node Get(const yaml::Node& map, const char* key) {
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
    return yaml::Node();
  }
  std::string Str(const yaml::Node& map, const char* key, const std::string& where) {
    yaml::Node v = Get(map, key);
    if (!v.IsDefined() || v.IsNull()) return "";
    if (!v.IsScalar()) {
      Err(ErrorKind::kSchema, LocOf(v, LocOf(map)),
          fmt::format("Fides field '{}.{}' must be a text value, found {}", where, key, input::TypeName(v)),
          "a text value");
      return "";
    }
    if (HasNul(v, fmt::format("{}.{}", where, key), LocOf(map))) return "";
    return std::string(v.Scalar());
  }
  // As the native reader (Walker::Str): a NUL would cut ids and report lines
  // short, and the register could be written but not read back.
  bool HasNul(const yaml::Node& v, const std::string& field, const Loc& fallback) {
    if (v.Scalar().find('\0') == std::string_view::npos) return false;
    Err(ErrorKind::kSchema, LocOf(v, fallback),
        fmt::format("Fides field '{}' contains the control character 0x00", field),
        "text without NUL characters", "remove the escape \\u0000 (or \\0) from the value");
    return true;
  }
  std::optional<bool> Bool(const yaml::Node& map, const char* key, const std::string& where) {
    yaml::Node v = Get(map, key);
    if (!v.IsDefined() || v.IsNull()) return std::nullopt;
    bool b;
    if (v.IsScalar() && yaml::DecodeBool(v, &b)) return b;
    Err(ErrorKind::kSchema, LocOf(v, LocOf(map)),
        fmt::format("Fides field '{}.{}' must be true or false", where, key), "true or false");
    return std::nullopt;
  }
  // List of scalars; `nodes` receives the item nodes when given.
  std::vector<std::string> List(const yaml::Node& map, const char* key, const std::string& where,
                                std::vector<yaml::Node>* nodes = nullptr) {
    std::vector<std::string> out;
    yaml::Node v = Get(map, key);
    if (!v.IsDefined() || v.IsNull()) return out;
    if (!v.IsSequence()) {
      Err(ErrorKind::kSchema, LocOf(v, LocOf(map)),
          fmt::format("Fides field '{}.{}' must be a list, found {}", where, key, input::TypeName(v)),
          "a list of text values");
      return out;
    }
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].IsScalar()) {
        Err(ErrorKind::kSchema, LocOf(v[i], LocOf(v)),
            fmt::format("item {} of Fides field '{}.{}' must be a text value", i + 1, where, key),
            "a text value");
        continue;
      }
      if (HasNul(v[i], fmt::format("{}.{}", where, key), LocOf(v))) continue;
      out.emplace_back(v[i].Scalar());
      if (nodes) nodes->push_back(v[i]);
    }
    return out;
  }
  void Taxonomy(const std::string& key, const Loc& at, const std::string& where, bool use) {
    if (use ? IsKnownDataUse(key) : IsKnownDataCategory(key)) return;
    std::string near = use ? SuggestDataUse(key) : SuggestDataCategory(key);
    Err(ErrorKind::kSchema, at,
        fmt::format("unknown fideslang {} '{}' in '{}'", use ? "data use" : "data category", key, where),
        use ? "a key of the default fideslang data_use taxonomy"
            : "a key of the default fideslang data_category taxonomy",
        near.empty() ? "blindspot knows the default fideslang taxonomy only; map custom keys to a default one"
                     : "did you mean '" + near + "'?");
  }
  Contact ContactOf(const yaml::Node& map, const char* key, const std::string& where) {
    Contact c;
    yaml::Node v = Get(map, key);
    if (!v.IsDefined() || v.IsNull()) return c;
    if (!v.IsMap()) {
      Err(ErrorKind::kSchema, LocOf(v, LocOf(map)),
          fmt::format("Fides field '{}.{}' must be a map", where, key),
          "a map with name, address, email, phone");
      return c;
    }
    std::string w = where + "." + key;
    c.name = Str(v, "name", w);
    c.address = Str(v, "address", w);
    c.email = Str(v, "email", w);
    c.phone = Str(v, "phone", w);
    return c;
  }

  void Top(const yaml::Node& root, Register& reg) {
    if (!root.IsMap()) {
      Err(ErrorKind::kSchema, LocOf(root, {1, 1}),
          fmt::format("a Fides manifest must be a map, found {}", input::TypeName(root)),
          "a map with a top-level 'system:' list",
          "see https://ethyca.github.io/fideslang/resources/system/");
      return;
    }
    yaml::Node orgs = Get(root, "organization");
    if (orgs.IsDefined() && !orgs.IsNull()) {
      yaml::Node org = orgs.IsSequence() && orgs.size() > 0 ? orgs[0] : orgs;
      if (!org.IsMap()) {
        Err(ErrorKind::kSchema, LocOf(orgs, {1, 1}), "Fides 'organization' must be a list of maps",
            "organization: [{fides_key, name, controller, data_protection_officer, representative}]");
      } else {
        map_->Add("organisation", LocOf(org));
        reg.organisation.name = Str(org, "name", "organization");
        reg.organisation.contact = ContactOf(org, "controller", "organization");
        reg.organisation.dpo = ContactOf(org, "data_protection_officer", "organization");
        reg.organisation.representative = ContactOf(org, "representative", "organization");
      }
    }
    yaml::Node systems = Get(root, "system");
    if (!systems.IsDefined() || systems.IsNull()) {
      Err(ErrorKind::kSchema, LocOf(root, {1, 1}), "the Fides manifest has no 'system:' list",
          "a top-level 'system:' list of systems with privacy_declarations",
          "export systems with `fides pull` or write them as in "
          "https://ethyca.github.io/fideslang/resources/system/");
      return;
    }
    if (!systems.IsSequence()) {
      Err(ErrorKind::kSchema, LocOf(systems, {1, 1}),
          fmt::format("Fides 'system' must be a list, found {}", input::TypeName(systems)),
          "a list of systems, each starting with '- fides_key: ...'");
      return;
    }
    for (size_t i = 0; i < systems.size(); ++i) SystemOf(systems[i], i, reg);
  }

  static std::string FlowText(const std::string& type, const std::string& key) {
    if (type == "user" || key == "user") return "user";
    return type.empty() ? key : type + ":" + key;
  }

  void SystemOf(const yaml::Node& s, size_t index, Register& reg) {
    std::string where = fmt::format("system[{}]", index + 1);
    if (!s.IsMap()) {
      Err(ErrorKind::kSchema, LocOf(s),
          fmt::format("Fides {} must be a map, found {}", where, input::TypeName(s)),
          "a map with fides_key, name, privacy_declarations");
      return;
    }
    System sys;
    Loc sys_loc = LocOf(s);
    yaml::Node key_node = Get(s, "fides_key");
    sys.id = Str(s, "fides_key", where);
    if (sys.id.empty()) {
      Err(ErrorKind::kSchema, sys_loc, fmt::format("Fides {} has no fides_key", where),
          "a 'fides_key' identifying the system", "add `fides_key: my_system`");
      return;
    }
    where = sys.id;
    std::string sys_path = path::Item("systems", sys.id);
    map_->Add(sys_path, sys_loc);
    map_->Add(path::Field(sys_path, "id"), LocOf(key_node, sys_loc));
    // The validator names a system whose id is not unique by position.
    map_->Add(path::Index("", "systems", system_count_) + ".id", LocOf(key_node, sys_loc));
    sys.name = Str(s, "name", where);
    if (sys.name.empty()) sys.name = sys.id;
    sys.description = Str(s, "description", where);
    std::string department = Str(s, "administrating_department", where);
    if (department == "Not defined") department.clear();  // the fideslang default means "unknown"

    // Data flows into the system are the sources of its data (Art. 14(2)(f)).
    std::map<std::string, std::string> ingress;  // fides_key -> text
    std::vector<std::string> ingress_all;
    yaml::Node in = Get(s, "ingress");
    if (in.IsDefined() && !in.IsNull()) {
      if (!in.IsSequence()) {
        Err(ErrorKind::kSchema, LocOf(in, sys_loc),
            fmt::format("Fides field '{}.ingress' must be a list", where), "a list of {fides_key, type}");
      } else {
        for (size_t i = 0; i < in.size(); ++i) {
          if (!in[i].IsMap()) continue;
          std::string k = Str(in[i], "fides_key", where + ".ingress");
          std::string t = Str(in[i], "type", where + ".ingress");
          if (k.empty()) continue;
          ingress[k] = FlowText(t, k);
          ingress_all.push_back(FlowText(t, k));
        }
      }
    }

    // System-level fields (newer fideslang) that apply to every declaration.
    std::vector<Transfer> transfers;
    std::vector<Loc> transfer_locs;
    std::vector<yaml::Node> tb_nodes;
    auto bases = List(s, "legal_basis_for_transfers", where, &tb_nodes);
    auto intl = Bool(s, "does_international_transfers", where);
    if (intl.value_or(!bases.empty())) {
      for (size_t i = 0; i < bases.size(); ++i) {
        Transfer t;
        transfer_locs.push_back(LocOf(tb_nodes[i]));
        t.recipient = sys.name;
        t.safeguard = MapTransferBasis(bases[i]);
        t.reference = "Fides legal_basis_for_transfers: " + bases[i];
        transfers.push_back(t);
      }
      if (bases.empty()) {
        Transfer t;
        transfer_locs.push_back(LocOf(Get(s, "does_international_transfers"), sys_loc));
        t.recipient = sys.name;
        transfers.push_back(t);
      }
    }
    Dpia dpia;
    Loc dpia_loc;
    if (auto req = Bool(s, "requires_data_protection_assessments", where)) {
      dpia_loc = LocOf(Get(s, "requires_data_protection_assessments"), sys_loc);
      if (!*req) {
        dpia.status = DpiaStatus::kNotRequired;
      } else {
        std::string progress = Str(s, "dpa_progress", where);
        for (char& c : progress) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (progress.find("complete") != std::string::npos)
          dpia.status = DpiaStatus::kCompleted;
        else if (progress.find("progress") != std::string::npos)
          dpia.status = DpiaStatus::kInProgress;
        else
          dpia.status = DpiaStatus::kRequired;
      }
      dpia.reference = Str(s, "dpa_location", where);
    }
    std::string security = Str(s, "data_security_practices", where);

    yaml::Node decls = Get(s, "privacy_declarations");
    if (decls.IsDefined() && !decls.IsNull() && !decls.IsSequence()) {
      Err(ErrorKind::kSchema, LocOf(decls, sys_loc),
          fmt::format("Fides field '{}.privacy_declarations' must be a list", where),
          "a list of privacy declarations, each with data_categories and data_use");
    } else if (decls.IsSequence()) {
      for (size_t i = 0; i < decls.size(); ++i) {
        const yaml::Node& d = decls[i];
        std::string dw = fmt::format("{}.privacy_declarations[{}]", where, i + 1);
        if (!d.IsMap()) {
          Err(ErrorKind::kSchema, LocOf(d, sys_loc), fmt::format("Fides {} must be a map", dw),
              "a map with data_categories, data_use, data_subjects");
          continue;
        }
        ProcessingActivity a;
        Loc a_loc = LocOf(d, sys_loc);
        a.id = fmt::format("{}-{}", sys.id, i + 1);
        std::string ap = path::Item("activities", a.id);
        map_->Add(ap, a_loc);
        map_->Add(path::Field(ap, "systems"), sys_loc);
        for (size_t t = 0; t < transfer_locs.size(); ++t)
          map_->Add(path::Item(ap, "transfers", fmt::format("transfer-{}", t + 1)), transfer_locs[t]);
        map_->Add(path::Field(ap, "dpia"), dpia_loc);
        a.description = sys.description;
        a.business_function = department;
        a.systems.push_back(sys.id);
        a.transfers = transfers;
        a.dpia = dpia;
        a.toms.description = security;
        if (!security.empty()) map_->Add(path::Field(ap, "toms"), sys_loc);

        std::vector<yaml::Node> cat_nodes;
        a.data_categories = List(d, "data_categories", dw, &cat_nodes);
        for (size_t c = 0; c < a.data_categories.size(); ++c)
          Taxonomy(a.data_categories[c], LocOf(cat_nodes[c], a_loc), dw + ".data_categories", false);
        a.data_subjects = List(d, "data_subjects", dw);

        Purpose p;
        Loc p_loc = a_loc;
        yaml::Node use_node = Get(d, "data_use");
        std::string use = Str(d, "data_use", dw);
        if (use.empty()) {
          Err(ErrorKind::kSchema, a_loc, fmt::format("Fides {} has no data_use", dw),
              "a fideslang data_use key", "add e.g. `data_use: essential.service`");
        } else {
          Taxonomy(use, LocOf(use_node, a_loc), dw + ".data_use", true);
          p.data_uses.push_back(use);
          p_loc = LocOf(use_node, a_loc);
          const TaxonomyEntry* te = FindDataUse(use);
          p.description = te ? std::string(te->name) : use;
        }
        yaml::Node lb_node = Get(d, "legal_basis_for_processing");
        std::string lb = Str(d, "legal_basis_for_processing", dw);
        if (!lb.empty()) {
          p.lawful_basis = MapLegalBasis(lb);
          if (!p.lawful_basis)
            Err(ErrorKind::kSchema, LocOf(lb_node, a_loc),
                fmt::format("unknown Fides legal_basis_for_processing '{}'", lb),
                "one of Consent, Contract, Legal obligations, Vital interests, Public interest, Legitimate "
                "interests",
                DidYouMean(lb, kLegalBases));
        }
        p.lia_reference = Str(d, "impact_assessment_location", dw);
        a.purposes.push_back(p);
        map_->Add(path::Item(ap, "purposes", "purpose-1"), p_loc);

        std::string name = Str(d, "name", dw);
        a.name = !name.empty() ? name : sys.name + ": " + p.description;

        // Special categories (Art. 9).
        auto special = Bool(d, "processes_special_category_data", dw);
        yaml::Node sb_node = Get(d, "special_category_legal_basis");
        std::string sb = Str(d, "special_category_legal_basis", dw);
        std::optional<char> letter;
        if (!sb.empty()) {
          letter = MapSpecialBasis(sb);
          if (!letter)
            Err(ErrorKind::kSchema, LocOf(sb_node, a_loc),
                fmt::format("unknown Fides special_category_legal_basis '{}'", sb),
                "a value of fideslang SpecialCategoryLegalBasisEnum, e.g. Explicit consent");
        }
        if (special.value_or(false) || !sb.empty()) {
          bool any = false;
          for (const auto& c : a.data_categories) {
            if (!IsSpecialCategoryKey(c)) continue;
            SpecialCategory sc;
            sc.category = c;
            sc.condition = letter;
            if (!sb.empty()) sc.justification = "Fides special_category_legal_basis: " + sb;
            a.special_categories.push_back(sc);
            any = true;
          }
          if (!any) {
            SpecialCategory sc;
            sc.category = "special category data (declared in Fides, category not identified)";
            sc.condition = letter;
            if (!sb.empty()) sc.justification = "Fides special_category_legal_basis: " + sb;
            a.special_categories.push_back(sc);
          }
        }

        // Third parties (Art. 30(1)(d)).
        if (Bool(d, "data_shared_with_third_parties", dw).value_or(false)) {
          std::string tp = Str(d, "third_parties", dw);
          Recipient rc;
          rc.kind = RecipientKind::kExternal;
          rc.name = tp.empty() ? "third parties (not named in Fides)" : tp;
          a.recipients.push_back(std::move(rc));
          map_->Add(path::Field(ap, "recipients"), LocOf(Get(d, "data_shared_with_third_parties"), a_loc));
        }
        std::string retention = Str(d, "retention_period", dw);
        if (!retention.empty()) {
          Retention r;
          map_->Add(path::Field(ap, "retention"), LocOf(Get(d, "retention_period"), a_loc));
          r.data_category = "*";
          r.period = retention;
          a.retention.push_back(r);
        }
        // Sources: the declaration's own ingress keys (an empty list: none), else
        // all of the system's.
        auto decl_in = List(d, "ingress", dw);
        yaml::Node decl_in_node = Get(d, "ingress");
        if (decl_in_node.IsDefined() && !decl_in_node.IsNull()) {
          for (const auto& k : decl_in) a.data_sources.push_back(ingress.count(k) ? ingress[k] : k);
        } else {
          a.data_sources = ingress_all;
        }
        reg.activities.push_back(std::move(a));
      }
    }
    reg.systems.push_back(std::move(sys));
    ++system_count_;
  }

  input::Walker w_;
  SourceMap* map_ = nullptr;
  size_t system_count_ = 0;  // systems read so far (their index in reg.systems)
};

bool SniffFides(std::string_view text) {
  text = input::StripBom(text);
  if (text.find("blindspot_register") != std::string_view::npos) return false;
  if (text.find("fides_key") == std::string_view::npos) return false;
  // A top-level `system:` key (YAML) or "system": (JSON).
  if (text.substr(0, 7) == "system:" || text.find("\nsystem:") != std::string_view::npos) return true;
  return text.find("\"system\"") != std::string_view::npos;
}

}  // namespace

Importer FidesImporter() {
  Importer i;
  i.name = "fides";
  i.description = "Fides / fideslang manifest (system: list with privacy_declarations)";
  i.sniff = SniffFides;
  i.import = [](std::string_view text, const std::string& file,
                const RegisterReadOptions&) -> std::expected<LoadedRegister, Diagnostics> {
    try {
      return FidesReader(text, file).Run();
    } catch (const std::exception& ex) {
      Error e;
      e.kind = ErrorKind::kInternal;
      e.where.file = file;
      e.message = std::string("Fides importer failed: ") + ex.what();
      return std::unexpected(Diagnostics{e});
    }
  };
  return i;
}

}  // namespace blindspot
