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

#include "io/dpv_terms.h"
#include "io/exporters.h"

namespace blindspot {
namespace {

using Json = nlohmann::ordered_json;

std::string_view PdClass(std::string_view key) {
  std::string_view best;
  size_t best_len = 0;
  for (const auto& [k, v] : dpv::kPersonalData) {
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
  if (l.ends_with("s") && l != "s") l.pop_back();  // "customers", "employees"
  if (l == "applicant") l = "job_applicant";
  if (l == "children") l = "child";
  for (const auto& [key, cls] : dpv::kDataSubjects)
    if (l == key) return cls;
  return "";
}

std::string_view MeasureClass(std::string_view key) {
  for (const auto& [k, cls] : dpv::kMeasures)
    if (key == k) return cls;
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

// A register value as a DPV term: the class itself when the importer reads
// that class back as this very value (`table` lists the value first for its
// class), an instance of the class labelled with the value when the class is
// broader ("user.behavior.purchase_history" is a pd:Behavioral), a labelled
// `fallback` when DPV has no class for it.
template <size_t N>
Json Term(std::string_view value, std::string_view cls,
          const std::pair<std::string_view, std::string_view> (&table)[N], std::string_view fallback) {
  if (cls.empty()) return Labelled(fallback, value);
  for (const auto& [v, c] : table)
    if (c == cls) return v == value ? Id(cls) : Labelled(cls, value);
  return Labelled(cls, value);
}

Json Write(const Register& reg) {
  Json doc;
  doc["@context"] = Json::object();
  for (const auto& [prefix, ns] : dpv::kPrefixes) doc["@context"][std::string(prefix)] = ns;
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
      // The law of a (c) or (e) basis, and the legitimate-interests assessment of (f).
      if (!p.legal_obligation.empty()) sub["dct:description"] = p.legal_obligation;
      if (!p.lia_reference.empty()) sub["dct:references"] = p.lia_reference;
      processes.push_back(std::move(sub));
    }
    auto add = [](Json& list, Json item) {
      if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
    };
    // Each special category with its Art. 9(2) condition has a sub-process of
    // its own (that personal data, that basis), as each purpose has.
    for (size_t i = 0; i < a.special_categories.size(); ++i) {
      const SpecialCategory& sc = a.special_categories[i];
      if (!sc.condition) continue;
      const std::string basis = fmt::format("eu-gdpr:A9-2-{}", *sc.condition);
      add_basis(basis);
      Json sub;
      sub["@id"] =
          Iri("activity", a.id) + ":special:" + Encode(sc.id.empty() ? fmt::format("{}", i + 1) : sc.id);
      sub["@type"] = "dpv:Process";
      sub["rdfs:label"] = sc.category;
      sub["dpv:hasPersonalData"] =
          Term(sc.category, PdClass(sc.category), dpv::kPersonalData, "dpv:SpecialCategoryPersonalData");
      sub["dpv:hasLegalBasis"] = Id(basis);
      if (!sc.justification.empty()) sub["dct:description"] = sc.justification;
      processes.push_back(std::move(sub));
    }
    for (const std::string& c : a.data_categories)
      add(data, Term(c, PdClass(c), dpv::kPersonalData, "dpv:PersonalData"));
    // Special categories (Art. 9(1)) are personal data too, typed as such.
    for (const SpecialCategory& sc : a.special_categories)
      add(data,
          Term(sc.category, PdClass(sc.category), dpv::kPersonalData, "dpv:SpecialCategoryPersonalData"));
    for (const std::string& s : a.data_subjects)
      subjects.push_back(Term(s, DataSubjectClass(s), dpv::kDataSubjects, "dpv:DataSubject"));
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
        Json named = Labelled("dpv:DataTransferLegalBasis", ToString(*t.safeguard));
        if (b.empty())
          tj["dpv:hasLegalBasis"] = std::move(named);
        else if (*t.safeguard == TransferSafeguard::kDataPrivacyFramework)
          tj["dpv:hasLegalBasis"] = Json::array({Id(b), std::move(named)});  // Art. 45(3), and which decision
        else
          tj["dpv:hasLegalBasis"] = Id(b);
      }
      if (!t.reference.empty()) tj["dct:description"] = t.reference;
      processes.push_back(tj);
    }
    for (const std::string& m : a.toms.measures)
      add(toms, Term(m, MeasureClass(m), dpv::kMeasures, "dpv:TechnicalOrganisationalMeasure"));
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
