// Exporter to W3C DPV JSON-LD: the Data Privacy Vocabulary (DPV) 2.0
// (https://w3id.org/dpv, DPVCG Community Final Specification, 2024) with its
// extensions eu-gdpr (https://w3id.org/dpv/legal/eu/gdpr), pd (personal data,
// https://w3id.org/dpv/pd) and loc (locations, https://w3id.org/dpv/loc).
// Terms are the canonical (unversioned) IRIs of DPV 2.0. Each activity is a
// dpv:Process with its purposes, personal data (fideslang keys mapped to pd:
// classes where one fits, else a dpv:PersonalData with the key as label),
// Art. 6(1) and Art. 9(2) bases (eu-gdpr:A6-1-a..f, A9-2-a..j; each purpose's
// own Art. 6 basis on a sub-process per purpose), data subjects,
// recipients, transfers (a dpv:Transfer sub-process with the country and the
// Chapter V basis, e.g. eu-gdpr:A46-2-c), technical and organisational
// measures and retention (dpv:StorageDuration). docs/formats/export.md#dpv.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "io/exporters.h"

namespace blindspot {
namespace {

using Json = nlohmann::ordered_json;

// fideslang category (and its sub-keys) -> pd: class. The longest matching key wins.
const std::pair<std::string_view, std::string_view> kPersonalData[] = {
    {"user.contact.email", "pd:EmailAddress"},
    {"user.contact.phone_number", "pd:TelephoneNumber"},
    {"user.contact.address", "pd:PhysicalAddress"},
    {"user.contact", "pd:Contact"},
    {"user.name", "pd:Name"},
    {"user.device.ip_address", "pd:IPAddress"},
    {"user.device", "pd:DeviceBased"},
    {"user.location", "pd:Location"},
    {"user.financial", "pd:Financial"},
    {"user.health.genetic", "pd:Genetic"},
    {"user.health", "pd:Health"},
    {"user.health_and_medical", "pd:Health"},
    {"user.biometric", "pd:Biometric"},
    {"user.biometrics", "pd:Biometric"},
    {"user.demographic.race_ethnicity", "pd:EthnicOrigin"},
    {"user.demographic.political_opinion", "pd:PoliticalOpinion"},
    {"user.demographic.religious_belief", "pd:ReligiousBelief"},
    {"user.demographic.union_membership", "pd:TradeUnionMembership"},
    {"user.demographic.sexual_orientation", "pd:Sexual"},
    {"user.demographic.date_of_birth", "pd:BirthDate"},
    {"user.demographic.gender", "pd:Gender"},
    {"user.demographic", "pd:Demographic"},
    {"user.government_id", "pd:OfficialID"},
    {"user.criminal_history", "pd:Criminal"},
    {"user.behavior.browsing_history", "pd:BrowsingBehavior"},
    {"user.behavior", "pd:Behavioral"},
    {"user.authorization", "pd:Authenticating"},
    {"user.unique_id", "pd:UID"},
};

std::string_view PdClass(std::string_view key) {
  std::string_view best;
  size_t best_len = 0;
  for (const auto& [k, v] : kPersonalData) {
    bool match = key == k || (key.starts_with(k) && key.size() > k.size() && key[k.size()] == '.');
    if (match && k.size() > best_len) {
      best = v;
      best_len = k.size();
    }
  }
  return best;
}

std::string_view Art6(LawfulBasis b) {
  switch (b) {
    case LawfulBasis::kConsent:
      return "eu-gdpr:A6-1-a";
    case LawfulBasis::kContract:
      return "eu-gdpr:A6-1-b";
    case LawfulBasis::kLegalObligation:
      return "eu-gdpr:A6-1-c";
    case LawfulBasis::kVitalInterests:
      return "eu-gdpr:A6-1-d";
    case LawfulBasis::kPublicTask:
      return "eu-gdpr:A6-1-e";
    case LawfulBasis::kLegitimateInterests:
      return "eu-gdpr:A6-1-f";
  }
  return "";
}

// Chapter V basis of a safeguard; "" when DPV has no term for it (a derogation
// without its letter, the invalid Privacy Shield, none).
std::string_view TransferBasis(TransferSafeguard s) {
  switch (s) {
    case TransferSafeguard::kAdequacyDecision:
    case TransferSafeguard::kDataPrivacyFramework:  // an adequacy decision (C(2023) 4745)
      return "eu-gdpr:A45-3";
    case TransferSafeguard::kSccs:
      return "eu-gdpr:A46-2-c";
    case TransferSafeguard::kBcrs:
      return "eu-gdpr:A46-2-b";
    default:
      return "";
  }
}

std::string_view DataSubjectClass(std::string_view s) {
  std::string l;
  for (char c : s) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (l == "customer" || l == "customers") return "dpv:Customer";
  if (l == "employee" || l == "employees") return "dpv:Employee";
  if (l == "visitor" || l == "visitors") return "dpv:Visitor";
  if (l == "job_applicant" || l == "job_applicants" || l == "applicant" || l == "applicants")
    return "dpv:JobApplicant";
  if (l == "patient" || l == "patients") return "dpv:Patient";
  if (l == "student" || l == "students") return "dpv:Student";
  if (l == "child" || l == "children") return "dpv:Child";
  return "";
}

std::string_view MeasureClass(std::string_view key) {
  if (key == "encryption" || key == "encryption_at_rest" || key == "encryption_in_transit")
    return "dpv:Encryption";
  if (key == "pseudonymisation") return "dpv:Pseudonymisation";
  if (key == "access_control") return "dpv:AccessControlMethod";
  return "";
}

// A register id in an IRI: characters outside [A-Za-z0-9._~-] percent-encoded.
std::string Encode(std::string_view id) {
  std::string out;
  for (unsigned char c : id) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '~' || c == '-')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

// An IRI for a register id: urn:blindspot:<kind>:<id>.
std::string Iri(std::string_view kind, std::string_view id) {
  return "urn:blindspot:" + std::string(kind) + ":" + Encode(id);
}

Json Labelled(std::string_view type, std::string_view label) {
  Json j;
  j["@type"] = type;
  j["rdfs:label"] = label;
  return j;
}

Json Id(std::string_view iri) { return Json{{"@id", iri}}; }

Json Write(const Register& reg) {
  Json doc;
  doc["@context"] = {
      {"dpv", "https://w3id.org/dpv#"},
      {"eu-gdpr", "https://w3id.org/dpv/legal/eu/gdpr#"},
      {"pd", "https://w3id.org/dpv/pd#"},
      {"loc", "https://w3id.org/dpv/loc#"},
      {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
      {"dct", "http://purl.org/dc/terms/"},
  };
  Json graph = Json::array();
  const std::string controller =
      Iri("organisation", reg.organisation.name.empty() ? "controller" : reg.organisation.name);
  {
    Json c;
    c["@id"] = controller;
    c["@type"] = "dpv:DataController";
    if (!reg.organisation.name.empty()) c["rdfs:label"] = reg.organisation.name;
    if (!reg.organisation.country.empty()) c["dpv:hasCountry"] = Id("loc:" + reg.organisation.country);
    graph.push_back(c);
  }
  for (const Processor& p : reg.processors) {
    Json j;
    j["@id"] = Iri("processor", p.id);
    j["@type"] = p.role == VendorRole::kProcessor         ? "dpv:DataProcessor"
                 : p.role == VendorRole::kJointController ? "dpv:JointDataControllers"
                                                          : "dpv:DataController";
    j["rdfs:label"] = p.name.empty() ? p.id : p.name;
    if (!p.country.empty()) j["dpv:hasCountry"] = Id("loc:" + p.country);
    graph.push_back(j);
  }
  for (const ProcessingActivity& a : reg.activities) {
    Json j;
    j["@id"] = Iri("activity", a.id);
    j["@type"] = "dpv:Process";
    j["rdfs:label"] = a.name;
    if (!a.description.empty()) j["dct:description"] = a.description;
    j["dpv:hasDataController"] = Id(controller);
    Json purposes = Json::array(), bases = Json::array(), data = Json::array(), subjects = Json::array(),
         recipients = Json::array(), toms = Json::array(), storage = Json::array(), processes = Json::array();
    auto add_basis = [&](std::string_view b) {
      Json id = Id(b);
      if (std::find(bases.begin(), bases.end(), id) == bases.end()) bases.push_back(id);
    };
    // Each purpose is a node of its own (an @id under the activity's), and
    // each purpose with an Art. 6(1) basis has a sub-process (dpv:hasProcess)
    // with that purpose and its basis, so that which basis is for which
    // purpose is said (DPV examples E0006, "Nesting Processes"). The
    // activity keeps all purposes and all bases, as before.
    for (size_t i = 0; i < a.purposes.size(); ++i) {
      const Purpose& p = a.purposes[i];
      const std::string pid = p.id.empty() ? fmt::format("purpose-{}", i + 1) : p.id;
      const std::string purpose_iri = Iri("activity", a.id) + ":purpose:" + Encode(pid);
      Json pj;
      pj["@id"] = purpose_iri;
      pj["@type"] = "dpv:Purpose";
      pj["rdfs:label"] = p.description;
      if (!p.data_uses.empty()) pj["dct:subject"] = p.data_uses;  // fideslang data_use keys
      purposes.push_back(pj);
      if (!p.lawful_basis) continue;
      add_basis(Art6(*p.lawful_basis));
      Json sub;
      sub["@id"] = Iri("activity", a.id) + ":process:" + Encode(pid);
      sub["@type"] = "dpv:Process";
      sub["rdfs:label"] = p.description;
      sub["dpv:hasPurpose"] = Id(purpose_iri);
      sub["dpv:hasLegalBasis"] = Id(Art6(*p.lawful_basis));
      processes.push_back(std::move(sub));
    }
    for (const SpecialCategory& s : a.special_categories)
      if (s.condition) add_basis(fmt::format("eu-gdpr:A9-2-{}", *s.condition));
    auto add = [](Json& list, Json item) {
      if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
    };
    for (const std::string& c : a.data_categories) {
      std::string_view pd = PdClass(c);
      add(data, pd.empty() ? Labelled("dpv:PersonalData", c) : Id(pd));
    }
    // Special categories (Art. 9(1)) are personal data too, typed as such.
    for (const SpecialCategory& sc : a.special_categories) {
      std::string_view pd = PdClass(sc.category);
      add(data, pd.empty() ? Labelled("dpv:SpecialCategoryPersonalData", sc.category) : Id(pd));
    }
    for (const std::string& s : a.data_subjects) {
      std::string_view cls = DataSubjectClass(s);
      subjects.push_back(cls.empty() ? Labelled("dpv:DataSubject", s) : Id(cls));
    }
    for (const Recipient& r : a.recipients) {
      if (r.kind == RecipientKind::kProcessor && reg.FindProcessor(r.processor)) {
        recipients.push_back(Id(Iri("processor", r.processor)));
        continue;
      }
      recipients.push_back(Labelled(r.kind == RecipientKind::kExternal ? "dpv:ThirdParty" : "dpv:Recipient",
                                    r.name.empty() ? r.processor : r.name));
    }
    for (const Transfer& t : a.transfers) {
      Json tj;
      tj["@type"] = "dpv:Process";
      tj["dpv:hasProcessing"] = Id("dpv:Transfer");
      Json rec = reg.FindProcessor(t.recipient) ? Id(Iri("processor", t.recipient))
                                                : Labelled("dpv:Recipient", t.recipient);
      if (!t.country.empty() && !rec.contains("@id")) rec["dpv:hasCountry"] = Id("loc:" + t.country);
      tj["dpv:hasRecipient"] = rec;
      if (!t.country.empty()) tj["dpv:hasCountry"] = Id("loc:" + t.country);
      if (t.safeguard) {
        std::string_view b = TransferBasis(*t.safeguard);
        if (!b.empty())
          tj["dpv:hasLegalBasis"] = Id(b);
        else
          tj["dpv:hasLegalBasis"] = Labelled("dpv:DataTransferLegalBasis", ToString(*t.safeguard));
      }
      if (!t.reference.empty()) tj["dct:description"] = t.reference;
      processes.push_back(tj);
    }
    for (const std::string& m : a.toms.measures) {
      std::string_view cls = MeasureClass(m);
      add(toms, cls.empty() ? Labelled("dpv:TechnicalOrganisationalMeasure", m) : Id(cls));
    }
    if (!a.toms.description.empty())
      toms.push_back(Labelled("dpv:TechnicalOrganisationalMeasure", a.toms.description));
    for (const Retention& r : a.retention) {
      Json s = Labelled("dpv:StorageDuration", r.period);
      if (!r.data_category.empty() && r.data_category != "*") s["dct:subject"] = r.data_category;
      if (!r.justification.empty()) s["dct:description"] = r.justification;
      storage.push_back(s);
    }
    auto put = [&](const char* key, Json& v) {
      if (!v.empty()) j[key] = std::move(v);
    };
    put("dpv:hasPurpose", purposes);
    put("dpv:hasLegalBasis", bases);
    put("dpv:hasPersonalData", data);
    put("dpv:hasDataSubject", subjects);
    put("dpv:hasRecipient", recipients);
    put("dpv:hasProcess", processes);
    put("dpv:hasTechnicalOrganisationalMeasure", toms);
    put("dpv:hasStorageCondition", storage);
    graph.push_back(std::move(j));
  }
  doc["@graph"] = std::move(graph);
  return doc;
}

}  // namespace

Exporter DpvExporter() {
  Exporter e;
  e.name = "dpv";
  e.description =
      "W3C Data Privacy Vocabulary (DPV 2.0) JSON-LD: processes, purposes, legal bases, transfers";
  e.extensions = {".jsonld"};
  e.default_for_extension = true;
  e.write = [](const Register& r, const ExportOptions&) -> std::expected<std::string, Error> {
    return Write(r).dump(2) + "\n";
  };
  return e;
}

}  // namespace blindspot
