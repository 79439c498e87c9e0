// Exporter to the import format of the Dutch Ministry of VWS's
// Verwerkingsregister: the inverse of vws_importer.cc (docs/formats/vws.md has
// the field mapping it inverts). A JSON array of processing records with
// Dutch keys, UTF-8 with a byte-order mark as the ministry's own files.
// Reading it back with the vws importer gives the same register for what the
// format holds; docs/formats/export.md#vws lists what it does not.
#include <fmt/format.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "io/exporters.h"
#include "io/importers.h"

namespace blindspot {
namespace {

using Json = nlohmann::ordered_json;

// The VWS id behind an id the importer derived ("doel-3" -> "3"), else the id itself.
std::string Strip(const std::string& id, std::string_view prefix) {
  return id.starts_with(prefix) ? id.substr(prefix.size()) : id;
}

// A Dutch phrase the importer's phrase table maps back to the basis.
std::string_view BasisPhrase(LawfulBasis b) {
  switch (b) {
    case LawfulBasis::kConsent:
      return "Toestemming";
    case LawfulBasis::kContract:
      return "Uitvoering van een overeenkomst";
    case LawfulBasis::kLegalObligation:
      return "Wettelijke verplichting";
    case LawfulBasis::kVitalInterests:
      return "Vitaal belang";
    case LawfulBasis::kPublicTask:
      return "Publiekrechtelijke taak";
    case LawfulBasis::kLegitimateInterests:
      return "Gerechtvaardigd belang";
  }
  return "";
}

std::string_view SafeguardPhrase(TransferSafeguard s) {
  switch (s) {
    case TransferSafeguard::kAdequacyDecision:
      return "Adequaatheidsbesluit";
    case TransferSafeguard::kSccs:
      return "Standaardcontractbepalingen (SCC)";
    case TransferSafeguard::kBcrs:
      return "Bindende bedrijfsvoorschriften (BCR)";
    default:
      return "";
  }
}

// Record fields the importer keeps as notes "<field>: <value>".
const char* const kNoteFields[] = {"Status", "Versie", "AanmaakDatum", "LaatsteWijzigDatum",
                                   "VerdelingVerantwoordelijkheid"};

Json Record(const Register& reg, const ProcessingActivity& a, bool first) {
  Json r;
  r["Nummer"] = a.id;
  r["Naam"] = a.name;
  if (!a.business_function.empty()) r["Dienst"] = a.business_function;
  Json remarks = Json::array();
  for (const std::string& n : a.notes) {
    bool placed = false;
    for (const char* f : kNoteFields)
      if (n.starts_with(std::string(f) + ": ")) {
        r[f] = n.substr(std::strlen(f) + 2);
        placed = true;
      }
    if (!placed) remarks.push_back(Json{{"Opmerking", n}});
  }
  if (!remarks.empty()) r["Opmerkingen"] = remarks;

  Json controllers = Json::array();
  const Organisation& o = reg.organisation;
  Json c;
  c["Naam"] = o.name;
  if (!o.contact.email.empty()) c["Email"] = o.contact.email;
  if (!o.contact.phone.empty()) c["Telefoon"] = o.contact.phone;
  if (!o.contact.address.empty()) c["Adres"] = o.contact.address;
  if (!o.country.empty()) c["Land"] = o.country;
  controllers.push_back(c);
  if (first)
    for (const Processor& p : reg.processors)
      if (p.role == VendorRole::kJointController) {
        Json j{{"Id", Strip(p.id, "vws-controller-")}, {"Naam", p.name}};
        if (!p.country.empty()) j["Land"] = p.country;
        controllers.push_back(j);
      }
  r["Verantwoordelijken"] = controllers;
  if (!a.owner.empty()) r["Contactpersonen"] = Json::array({Json{{"Naam", a.owner}}});

  Json processors = Json::array(), recipients = Json::array();
  for (const Recipient& rc : a.recipients) {
    if (rc.kind == RecipientKind::kProcessor) {
      const Processor* p = reg.FindProcessor(rc.processor);
      Json j{{"Id", Strip(rc.processor, "vws-processor-")}, {"Naam", p ? p->name : rc.name}};
      if (p && !p->country.empty()) j["Land"] = p->country;
      processors.push_back(j);
    } else {
      recipients.push_back(Json{{"Id", Strip(rc.id, "ontvanger-")}, {"Omschrijving", rc.name}});
    }
  }
  if (!processors.empty()) r["Verwerkers"] = processors;

  Json purposes = Json::array();
  for (const Purpose& p : a.purposes) {
    Json j{{"Id", Strip(p.id, "doel-")}, {"Doel", p.description}};
    if (p.lawful_basis) {
      bool own = !p.legal_obligation.empty() && LawfulBasisFromPhrase(p.legal_obligation) == p.lawful_basis;
      j["Rechtsgrond"] = own ? p.legal_obligation
                             : std::string(BasisPhrase(*p.lawful_basis)) +
                                   (p.legal_obligation.empty() ? "" : ": " + p.legal_obligation);
    }
    purposes.push_back(j);
  }
  r["Doelen"] = purposes;

  // Data subjects; the special categories, criminal data, retention and
  // sources hang on the first (the format has no other place for them).
  Json subjects = Json::array();
  std::vector<std::string> names = a.data_subjects;
  if (names.empty()) names.push_back("");
  for (size_t i = 0; i < names.size(); ++i) {
    Json b;
    b["Omschrijving"] = names[i];
    if (i == 0) {
      for (const auto& [flag, key] : kVwsSpecialCategories)
        for (const SpecialCategory& s : a.special_categories)
          if (s.category == key) b[flag] = true;
      if (a.criminal_data) b["Strafrechtelijk"] = true;
      Json data = Json::array();
      for (const Retention& rt : a.retention)
        data.push_back(Json{{"Id", Strip(rt.id, "bewaartermijn-")},
                            {"Bewaartermijn", rt.justification.empty() || rt.justification == rt.period
                                                  ? rt.period
                                                  : rt.period + " (" + rt.justification + ")"}});
      for (const std::string& s : a.data_sources) {
        if (s == "Betrokkene")
          data.push_back(Json{{"IsBronBetrokkene", true}});
        else
          data.push_back(Json{{"BronOmschrijving", s}});
      }
      if (!data.empty()) b["Gegevens"] = data;
    }
    subjects.push_back(b);
  }
  r["Betrokkenen"] = subjects;

  Json systems = Json::array();
  for (const std::string& id : a.systems) {
    const System* s = reg.FindSystem(id);
    systems.push_back(Json{{"Id", Strip(id, "vws-system-")}, {"Omschrijving", s ? s->name : id}});
  }
  if (!systems.empty()) r["Systemen"] = systems;
  if (!recipients.empty()) r["Ontvangers"] = recipients;

  // Security: the description's lines back to the fields they came from.
  if (!a.toms.description.empty() || !a.access.empty()) {
    Json s;
    Json measures = Json::array(), ways = Json::array();
    size_t start = 0;
    const std::string& d = a.toms.description;
    while (start <= d.size() && !d.empty()) {
      size_t end = d.find('\n', start);
      std::string line = d.substr(start, end == std::string::npos ? std::string::npos : end - start);
      auto take = [&](std::string_view prefix) {
        if (!line.starts_with(prefix)) return false;
        line = line.substr(prefix.size());
        return true;
      };
      if (take("Maatregel: "))
        measures.push_back(line);
      else if (take("Pseudonimisering: "))
        s["Pseudonimisering"] = line;
      else if (take("Encryptie: "))
        s["Encryptie"] = line;
      else if (take("Elektronische weg: "))
        ways.push_back(line);
      else if (take("Verwerkers: "))
        s["Verwerkers"] = line;
      else if (take("Verantwoordelijken: "))
        s["Verantwoordelijken"] = line;
      else if (!line.empty())
        measures.push_back(line);
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (!measures.empty()) s["Maatregelen"] = measures;
    if (!ways.empty()) s["ElectronischeWeg"] = ways;
    if (!a.access.empty()) s["Toegang"] = a.access;
    r["Beveiliging"] = s;
  }

  // Transfers outside the EU: one block; a second transfer is named in the description.
  if (!a.transfers.empty()) {
    const Transfer& t = a.transfers.front();
    Json d{{"BuitenEu", true}};
    // "Meta Platforms (US); Google (GB)": every transfer with its country.
    std::string what;
    for (const Transfer& x : a.transfers) {
      const Processor* p = reg.FindProcessor(x.recipient);
      std::string name = p && !p->name.empty() ? p->name : x.recipient;
      bool named = x.country.empty() || CountryCodeInText(name) == x.country;  // "... in de Verenigde Staten"
      what += (what.empty() ? "" : "; ") + name + (named ? "" : " (" + x.country + ")");
    }
    d["BuitenEuOmschrijving"] = what;
    const std::string prefix = "Passend beschermingsniveau: ";
    if (t.reference.starts_with(prefix)) {
      std::string rest = t.reference.substr(prefix.size());
      size_t semi = rest.find("; ");
      d["BuitenEuPassendBeschermingsniveau"] = rest.substr(0, semi);
      if (semi != std::string::npos)
        d["BuitenEuPassendBeschermingsniveauOmschrijving"] = rest.substr(semi + 2);
    } else {
      std::string level = t.safeguard ? std::string(SafeguardPhrase(*t.safeguard)) : "";
      if (!level.empty()) d["BuitenEuPassendBeschermingsniveau"] = level;
      if (!t.reference.empty()) d["BuitenEuPassendBeschermingsniveauOmschrijving"] = t.reference;
    }
    r["Doorgifte"] = d;
  } else {
    r["Doorgifte"] = Json{{"BuitenEu", false}};
  }

  Json g;
  if (a.large_scale) g["IsGrootschaligeVerwerking"] = true;
  switch (a.dpia.status) {
    case DpiaStatus::kCompleted:
      g["IsGebpiaAlUitgevoerd"] = true;
      break;
    case DpiaStatus::kRequired:
    case DpiaStatus::kInProgress:
      g["IsHoogRisicoRechtenVrijheden"] = true;
      break;
    case DpiaStatus::kNotRequired:
      g["IsGebpiaAlUitgevoerd"] = false;
      g["IsHoogRisicoRechtenVrijheden"] = false;
      break;
    case DpiaStatus::kNotAssessed:
      break;
  }
  if (!g.empty()) r["GebPia"] = g;
  return r;
}

}  // namespace

Exporter VwsExporter() {
  Exporter e;
  e.name = "vws";
  e.description = "VWS Verwerkingsregister JSON (array of processing records, UTF-8 with byte-order mark)";
  e.extensions = {".vws.json"};
  e.write = [](const Register& reg, const ExportOptions&) -> std::expected<std::string, Error> {
    if (reg.activities.empty())
      return MakeError(ErrorKind::kUsage,
                       "the register has no activities; a VWS register needs one record or more", {},
                       "a register with at least one processing activity");
    Json out = Json::array();
    for (size_t i = 0; i < reg.activities.size(); ++i) out.push_back(Record(reg, reg.activities[i], i == 0));
    return "\xEF\xBB\xBF" + out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  };
  return e;
}

}  // namespace blindspot
