// Exporter to a Fides (fideslang) manifest: the inverse of fides_importer.cc.
// Field names follow fideslang's System / PrivacyDeclaration / Organization
// models. Each system becomes a `system:` item; each purpose of each activity
// on it a privacy declaration (data_use = the purpose's first fideslang
// data_use key). Reading the manifest back with the fides importer gives the
// same register for what Fides can hold; docs/formats/export.md#fides lists
// what it cannot (countries of transfers, recipients' kinds, notes, ...).
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>

#include "io/exporters.h"

namespace blindspot {
namespace {

std::string_view FidesLegalBasis(LawfulBasis b) {
  switch (b) {
    case LawfulBasis::kConsent:
      return "Consent";
    case LawfulBasis::kContract:
      return "Contract";
    case LawfulBasis::kLegalObligation:
      return "Legal obligations";
    case LawfulBasis::kVitalInterests:
      return "Vital interests";
    case LawfulBasis::kPublicTask:
      return "Public interest";
    case LawfulBasis::kLegitimateInterests:
      return "Legitimate interests";
  }
  return "";
}

std::string_view FidesSpecialBasis(char letter) {
  switch (letter) {
    case 'a':
      return "Explicit consent";
    case 'b':
      return "Employment, social security and social protection";
    case 'c':
      return "Vital interests";
    case 'd':
      return "Not-for-profit bodies";
    case 'e':
      return "Made public by the data subject";
    case 'f':
      return "Legal claims or judicial acts";
    case 'g':
      return "Reasons of substantial public interest (with a basis in law)";
    case 'h':
      return "Health or social care (with a basis in law)";
    case 'i':
      return "Public health (with a basis in law)";
    case 'j':
      return "Archiving, research and statistics (with a basis in law)";
  }
  return "";
}

// The fideslang LegalBasisForTransfersEnum value of a transfer ("" = none).
std::string FidesTransferBasis(const Transfer& t) {
  const std::string prefix = "Fides legal_basis_for_transfers: ";
  if (t.reference.starts_with(prefix)) return t.reference.substr(prefix.size());
  if (!t.safeguard) return "";
  switch (*t.safeguard) {
    case TransferSafeguard::kAdequacyDecision:
      return "Adequacy Decision";
    case TransferSafeguard::kSccs:
      return "SCCs";
    case TransferSafeguard::kBcrs:
      return "BCRs";
    default:
      return "";
  }
}

void ContactOut(YAML::Emitter& y, const char* key, const Contact& c) {
  if (c.empty()) return;
  y << YAML::Key << key << YAML::Value << YAML::BeginMap;
  if (!c.name.empty()) y << YAML::Key << "name" << YAML::Value << c.name;
  if (!c.address.empty()) y << YAML::Key << "address" << YAML::Value << c.address;
  if (!c.email.empty()) y << YAML::Key << "email" << YAML::Value << c.email;
  if (!c.phone.empty()) y << YAML::Key << "phone" << YAML::Value << c.phone;
  y << YAML::EndMap;
}

void List(YAML::Emitter& y, const char* key, const std::vector<std::string>& v) {
  y << YAML::Key << key << YAML::Value << YAML::BeginSeq;
  for (const auto& s : v) y << s;
  y << YAML::EndSeq;
}

// A source as the importer writes it ("type:key", "user" or "key") -> {key, type}.
std::pair<std::string, std::string> Flow(const std::string& s) {
  if (s == "user") return {"user", "user"};
  size_t colon = s.find(':');
  if (colon == std::string::npos) return {s, ""};
  return {s.substr(colon + 1), s.substr(0, colon)};
}

// A recipient as a reader knows it: a processor by its name in the register
// (its id when the register has no such processor), anyone else by name.
std::string RecipientName(const Register& reg, const Recipient& r) {
  if (!r.name.empty()) return r.name;
  const Processor* p = reg.FindProcessor(r.processor);
  return p && !p->name.empty() ? p->name : r.processor;
}

std::expected<std::string, Error> Write(const Register& reg) {
  // Activities by system: the first system each names; activities without one get
  // a system of their own (fides_key = the activity id).
  std::vector<System> systems = reg.systems;
  std::map<std::string, std::vector<const ProcessingActivity*>> by_system;
  for (const ProcessingActivity& a : reg.activities) {
    std::string sys = a.systems.empty() ? "" : a.systems.front();
    if (sys.empty() || !reg.FindSystem(sys)) {
      System s;
      s.id = a.id;
      s.name = a.name;
      s.description = a.description;
      systems.push_back(s);
      sys = a.id;
    }
    by_system[sys].push_back(&a);
  }
  for (const ProcessingActivity& a : reg.activities)
    for (const Purpose& p : a.purposes)
      if (p.data_uses.empty())
        return MakeError(ErrorKind::kUsage,
                         fmt::format("activity '{}', purpose '{}' has no fideslang data_use; a Fides privacy "
                                     "declaration needs one",
                                     a.id, p.id),
                         {}, "every purpose with data_uses (fideslang keys, e.g. marketing.advertising)",
                         "add data_uses to the purpose, or export to another format");

  YAML::Emitter y;
  y << YAML::BeginMap;
  const Organisation& o = reg.organisation;
  if (!o.name.empty() || !o.contact.empty() || !o.dpo.empty() || !o.representative.empty()) {
    y << YAML::Key << "organization" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
    y << YAML::Key << "fides_key" << YAML::Value << "default_organization";
    if (!o.name.empty()) y << YAML::Key << "name" << YAML::Value << o.name;
    ContactOut(y, "controller", o.contact);
    ContactOut(y, "data_protection_officer", o.dpo);
    ContactOut(y, "representative", o.representative);
    y << YAML::EndMap << YAML::EndSeq;
  }
  y << YAML::Key << "system" << YAML::Value << YAML::BeginSeq;
  for (const System& s : systems) {
    const auto& acts = by_system[s.id];
    y << YAML::BeginMap;
    y << YAML::Key << "fides_key" << YAML::Value << s.id;
    y << YAML::Key << "name" << YAML::Value << s.name;
    if (!s.description.empty()) y << YAML::Key << "description" << YAML::Value << s.description;
    // A Fides system holds one department, one transfer setting, one DPIA and one
    // security text for all its declarations, and the importer gives each of them
    // to every activity of the system. So each is written only when every
    // activity of the system has the same value; one that differs is left out.
    auto agreed = [&acts](auto value) -> const ProcessingActivity* {
      if (acts.empty()) return nullptr;
      for (const auto* a : acts)
        if (!(value(*a) == value(*acts.front()))) return nullptr;
      return acts.front();
    };
    auto bases_of = [](const ProcessingActivity& a) {
      std::vector<std::string> bases;
      for (const Transfer& t : a.transfers)
        if (std::string b = FidesTransferBasis(t); !b.empty()) bases.push_back(b);
      return std::make_pair(!a.transfers.empty(), bases);
    };
    if (const auto* a = agreed([](const ProcessingActivity& x) { return x.business_function; }))
      if (!a->business_function.empty())
        y << YAML::Key << "administrating_department" << YAML::Value << a->business_function;
    if (const auto* a = agreed(bases_of)) {
      auto [any, bases] = bases_of(*a);
      if (any) {
        y << YAML::Key << "does_international_transfers" << YAML::Value << true;
        if (!bases.empty()) List(y, "legal_basis_for_transfers", bases);
      }
    }
    if (const auto* a = agreed([](const ProcessingActivity& x) { return x.dpia; })) {
      const Dpia& d = a->dpia;
      if (d.status != DpiaStatus::kNotAssessed) {
        bool req = d.status != DpiaStatus::kNotRequired;
        y << YAML::Key << "requires_data_protection_assessments" << YAML::Value << req;
        if (d.status == DpiaStatus::kCompleted) y << YAML::Key << "dpa_progress" << YAML::Value << "Complete";
        if (d.status == DpiaStatus::kInProgress)
          y << YAML::Key << "dpa_progress" << YAML::Value << "In progress";
        if (!d.reference.empty()) y << YAML::Key << "dpa_location" << YAML::Value << d.reference;
      }
    }
    if (const auto* a = agreed([](const ProcessingActivity& x) { return x.toms.description; }))
      if (!a->toms.description.empty())
        y << YAML::Key << "data_security_practices" << YAML::Value << a->toms.description;
    // The sources of all declarations as the system's ingress.
    std::vector<std::string> seen;
    for (const auto* a : acts)
      for (const auto& src : a->data_sources)
        if (std::find(seen.begin(), seen.end(), src) == seen.end()) seen.push_back(src);
    if (!seen.empty()) {
      y << YAML::Key << "ingress" << YAML::Value << YAML::BeginSeq;
      for (const auto& src : seen) {
        auto [key, type] = Flow(src);
        y << YAML::BeginMap << YAML::Key << "fides_key" << YAML::Value << key;
        if (!type.empty()) y << YAML::Key << "type" << YAML::Value << type;
        y << YAML::EndMap;
      }
      y << YAML::EndSeq;
    }
    y << YAML::Key << "privacy_declarations" << YAML::Value << YAML::BeginSeq;
    for (const auto* a : acts) {
      for (const Purpose& p : a->purposes) {
        y << YAML::BeginMap;
        y << YAML::Key << "name" << YAML::Value << a->name;
        y << YAML::Key << "data_use" << YAML::Value << p.data_uses.front();
        List(y, "data_categories", a->data_categories);
        List(y, "data_subjects", a->data_subjects);
        if (p.lawful_basis)
          y << YAML::Key << "legal_basis_for_processing" << YAML::Value
            << std::string(FidesLegalBasis(*p.lawful_basis));
        if (!p.lia_reference.empty())
          y << YAML::Key << "impact_assessment_location" << YAML::Value << p.lia_reference;
        if (!a->special_categories.empty()) {
          y << YAML::Key << "processes_special_category_data" << YAML::Value << true;
          const auto& sc = a->special_categories.front();
          if (sc.condition)
            y << YAML::Key << "special_category_legal_basis" << YAML::Value
              << std::string(FidesSpecialBasis(*sc.condition));
        }
        std::vector<std::string> third;
        for (const Recipient& r : a->recipients)
          if (r.kind != RecipientKind::kInternal) third.push_back(RecipientName(reg, r));
        if (!third.empty()) {
          y << YAML::Key << "data_shared_with_third_parties" << YAML::Value << true;
          std::string joined;
          for (const auto& t : third) joined += (joined.empty() ? "" : "; ") + t;
          if (joined != "third parties (not named in Fides)")
            y << YAML::Key << "third_parties" << YAML::Value << joined;
        }
        for (const Retention& r : a->retention)
          if (r.data_category == "*" || r.data_category.empty()) {
            y << YAML::Key << "retention_period" << YAML::Value << r.period;
            break;
          }
        // Always the declaration's own list when the system has ingress: without
        // one the importer gives the declaration all of the system's sources.
        if (!a->data_sources.empty() || !seen.empty()) {
          std::vector<std::string> keys;
          for (const auto& src : a->data_sources) keys.push_back(Flow(src).first);
          List(y, "ingress", keys);
        }
        y << YAML::EndMap;
      }
    }
    y << YAML::EndSeq << YAML::EndMap;
  }
  y << YAML::EndSeq << YAML::EndMap;
  if (!y.good()) return MakeError(ErrorKind::kInternal, std::string("Fides exporter: ") + y.GetLastError());
  return std::string(y.c_str()) + "\n";
}

}  // namespace

Exporter FidesExporter() {
  Exporter e;
  e.name = "fides";
  e.description = "Fides / fideslang manifest (system: list with privacy_declarations), YAML";
  e.extensions = {".fides.yaml", ".fides.yml"};
  e.write = [](const Register& r, const ExportOptions&) { return Write(r); };
  return e;
}

}  // namespace blindspot
