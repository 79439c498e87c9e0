// Exporter to the import format of the Dutch Ministry of VWS's
// Verwerkingsregister: the inverse of vws_importer.cc (docs/formats/vws.md has
// the field mapping it inverts). A JSON array of processing records with
// Dutch keys, UTF-8 with a byte-order mark as the ministry's own files.
// Reading it back with the vws importer gives the same register for what the
// format holds; docs/formats/export.md#vws lists what it does not.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <set>

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

}  // namespace

std::string_view VwsSafeguardPhrase(TransferSafeguard s) {
  switch (s) {
    case TransferSafeguard::kAdequacyDecision:
      return "Adequaatheidsbesluit";
    case TransferSafeguard::kSccs:
      return "Standaardcontractbepalingen (SCC)";
    case TransferSafeguard::kBcrs:
      return "Bindende bedrijfsvoorschriften (BCR)";
    case TransferSafeguard::kDataPrivacyFramework:
      return "EU-US Data Privacy Framework (DPF)";
    case TransferSafeguard::kDerogationArt49:
      return "Uitzondering (art. 49 AVG)";
    case TransferSafeguard::kPrivacyShield:
      return "Privacy Shield";
    default:
      return "";
  }
  return "";
}

namespace {

// Record fields the importer keeps as notes "<field>: <value>".
// "Id" and "Nummer" are notes only beside a number (vws_importer.cc).
const char* const kNoteFields[] = {
    "Status", "Versie", "AanmaakDatum", "LaatsteWijzigDatum", "VerdelingVerantwoordelijkheid",
    "Id",     "Nummer"};

// The record fields that are integers in the VWS database: a note's digits
// go back as a JSON number ("Versie: 1" -> "Versie": 1), anything else as text.
Json NoteFieldValue(std::string_view field, const std::string& text) {
  bool integer = field == "Versie" || field == "Id";
  integer = integer && !text.empty() && text.size() <= 15 && (text == "0" || text[0] != '0') &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (integer) return Json(std::stoll(text));
  return Json(text);
}

// The importer's reading of a special category from a Betrokkenen flag:
// a flag's category with no condition and the justification it writes.
bool FlagSaysAll(const SpecialCategory& s) {
  if (s.condition || !s.id.empty() || !s.justification.starts_with("VWS register: ")) return false;
  for (const auto& [flag, key] : kVwsSpecialCategories)
    if (s.category == key) return true;
  return false;
}

std::string_view AgreementWord(AgreementStatus s) {
  for (const auto& [status, word] : vws_remark::kAgreementWords)
    if (status == s) return word;
  return "";
}

// "Overeenkomst [12]: getekend; VO-3; 2024-03-01" for a party's agreement, once.
void AgreementRemark(const Processor* p, std::string_view id, std::set<std::string>& done, Json& remarks) {
  if (!p || !done.insert(p->id).second) return;
  const AgreementRef& g = p->agreement;
  if (g == AgreementRef{}) return;
  std::vector<std::string> f = {std::string(AgreementWord(g.status)), g.reference, g.date, g.expires};
  while (f.size() > 1 && f.back().empty()) f.pop_back();
  remarks.push_back(
      Json{{"Opmerking", fmt::format("{}{}]: {}", vws_remark::kAgreement, id, fmt::join(f, "; "))}});
}

Json Record(const Register& reg, const ProcessingActivity& a, bool first, std::set<std::string>& agreements) {
  Json r;
  r["Nummer"] = a.id;
  r["Naam"] = a.name;
  if (!a.business_function.empty()) r["Dienst"] = a.business_function;
  // What the record has no field for goes into remarks the importer reads
  // back (vws_remark in importers.h); the notes follow as they are.
  Json remarks = Json::array();
  auto remark = [&](std::string text) { remarks.push_back(Json{{"Opmerking", std::move(text)}}); };
  remark(std::string(vws_remark::kMarker));
  if (!a.description.empty()) remark(std::string(vws_remark::kDescription) + a.description);
  for (const Purpose& p : a.purposes) {
    if (!p.lia_reference.empty())
      remark(fmt::format("{}{}: {}", vws_remark::kLia, Strip(p.id, "doel-"), p.lia_reference));
    if (!p.data_uses.empty())
      remark(
          fmt::format("{}{}: {}", vws_remark::kDataUses, Strip(p.id, "doel-"), fmt::join(p.data_uses, ", ")));
  }
  if (a.dpia.status == DpiaStatus::kInProgress) remark(std::string(vws_remark::kDpiaStatus));
  if (!a.dpia.reference.empty()) remark(std::string(vws_remark::kDpiaReference) + a.dpia.reference);
  if (!a.dpia.date.empty()) remark(std::string(vws_remark::kDpiaDate) + a.dpia.date);
  if (!a.toms.measures.empty())
    remark(fmt::format("{}{}", vws_remark::kMeasureCodes, fmt::join(a.toms.measures, ", ")));
  for (const SpecialCategory& s : a.special_categories)
    if (!FlagSaysAll(s))
      remark(fmt::format("{}{}; {}; {}", vws_remark::kSpecial, s.category,
                         s.condition ? fmt::format("Art. 9(2)({})", *s.condition) : "", s.justification));
  if (a.criminal_data && !a.criminal_data->justification.starts_with("VWS register: "))
    remark(fmt::format("{}{}; {}", vws_remark::kCriminal, a.criminal_data->basis,
                       a.criminal_data->justification));
  if (first)
    for (const Processor& p : reg.processors)
      if (p.role == VendorRole::kJointController)
        AgreementRemark(&p, Strip(p.id, "vws-controller-"), agreements, remarks);
  for (const Recipient& rc : a.recipients)
    if (rc.kind == RecipientKind::kProcessor)
      AgreementRemark(reg.FindProcessor(rc.processor), Strip(rc.processor, "vws-processor-"), agreements,
                      remarks);
  for (const std::string& n : a.notes) {
    bool placed = false;
    for (const char* f : kNoteFields) {
      if (!n.starts_with(std::string(f) + ": ")) continue;
      std::string value = n.substr(std::strlen(f) + 2);
      // The number as written, while the activity's id is still its slug.
      if (std::string_view(f) == "Nummer" && IdSlug(value) != a.id) break;
      r[f] = NoteFieldValue(f, value);
      placed = true;
      break;
    }
    // A note that starts like a field's remark stays a note on the way back.
    if (!placed) remark(IsVwsFieldRemark(n) ? std::string(vws_remark::kPlainNote) + n : n);
  }
  if (remarks.size() > 1) r["Opmerkingen"] = remarks;

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
    const Processor* indep = rc.kind == RecipientKind::kProcessor ? reg.FindProcessor(rc.processor) : nullptr;
    if (indep && indep->role == VendorRole::kIndependentController) {
      // A controller of its own (a payment provider, a carrier) is a
      // recipient, not a processor: "Mollie (zelfstandig verwerkingsverantwoordelijke)".
      recipients.push_back(
          Json{{"Id", indep->id}, {"Omschrijving", indep->name + std::string(kIndependentSuffix)}});
    } else if (rc.kind == RecipientKind::kProcessor) {
      const Processor* p = reg.FindProcessor(rc.processor);
      Json j{{"Id", Strip(rc.processor, "vws-processor-")}, {"Naam", p ? p->name : rc.name}};
      if (p && !p->country.empty()) j["Land"] = p->country;
      processors.push_back(j);
    } else {
      // "Klantenservice (intern)": a recipient inside the organisation, as in the spreadsheets.
      recipients.push_back(
          Json{{"Id", Strip(rc.id, "ontvanger-")},
               {"Omschrijving", rc.kind == RecipientKind::kInternal ? rc.name + " (intern)" : rc.name}});
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
      // Personal data by fideslang key, in order (the special ones are
      // flags as well); a retention period per category names its category.
      for (const std::string& c : a.data_categories) data.push_back(Json{{"Omschrijving", c}});
      for (const Retention& rt : a.retention) {
        Json g{{"Id", Strip(rt.id, "bewaartermijn-")}};
        if (!rt.data_category.empty() && rt.data_category != "*") g["Omschrijving"] = rt.data_category;
        g["Bewaartermijn"] = rt.justification.empty() || rt.justification == rt.period
                                 ? rt.period
                                 : rt.period + " (" + rt.justification + ")";
        data.push_back(g);
      }
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

  // Security: the description's lines back to the fields they came from; a
  // line that starts with two spaces continues the one before it (a value
  // with line breaks, as the VWS importer writes it).
  if (!a.toms.description.empty() || !a.access.empty()) {
    Json s;
    Json measures = Json::array(), ways = Json::array();
    std::vector<std::string> items;
    for (size_t start = 0; !a.toms.description.empty() && start <= a.toms.description.size();) {
      const std::string& d = a.toms.description;
      size_t end = std::min(d.find('\n', start), d.size());
      std::string line = d.substr(start, end - start);
      if (line.starts_with("  ") && !items.empty())
        items.back() += "\n" + line.substr(2);
      else
        items.push_back(std::move(line));
      start = end + 1;
    }
    for (std::string& line : items) {
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
    // A later transfer with another safeguard than the first names it after ": ".
    for (const Transfer& x : a.transfers) {
      const Processor* p = reg.FindProcessor(x.recipient);
      std::string name = p && !p->name.empty() ? p->name : x.recipient;
      bool named = x.country.empty() || CountryCodeInText(name) == x.country;  // "... in de Verenigde Staten"
      what += (what.empty() ? "" : "; ") + name + (named ? "" : " (" + x.country + ")");
      if (&x != &t && x.safeguard != t.safeguard && x.safeguard && !VwsSafeguardPhrase(*x.safeguard).empty())
        what += fmt::format(": {}", VwsSafeguardPhrase(*x.safeguard));
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
      std::string level = t.safeguard ? std::string(VwsSafeguardPhrase(*t.safeguard)) : "";
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
    std::set<std::string> agreements;  // parties whose agreement a remark already gave
    for (size_t i = 0; i < reg.activities.size(); ++i)
      out.push_back(Record(reg, reg.activities[i], i == 0, agreements));
    return "\xEF\xBB\xBF" + out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  };
  return e;
}

}  // namespace blindspot
