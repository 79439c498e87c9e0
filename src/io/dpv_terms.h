// The W3C Data Privacy Vocabulary (DPV 2.0, https://w3id.org/dpv) terms that
// the DPV exporter writes and the DPV importer reads back: the namespaces of
// the JSON-LD context and the fideslang categories that have a pd: class.
// Shared so that the two sides cannot drift apart. Constant data, no state.
#pragma once
#include <string_view>
#include <utility>

namespace blindspot::dpv {

// The JSON-LD context's prefixes and their namespaces (DPV 2.0 canonical IRIs;
// rdfs and Dublin Core terms for labels, descriptions and subjects).
inline constexpr std::pair<std::string_view, std::string_view> kPrefixes[] = {
    {"dpv", "https://w3id.org/dpv#"},
    {"eu-gdpr", "https://w3id.org/dpv/legal/eu/gdpr#"},
    {"pd", "https://w3id.org/dpv/pd#"},
    {"loc", "https://w3id.org/dpv/loc#"},
    {"rdfs", "http://www.w3.org/2000/01/rdf-schema#"},
    {"dct", "http://purl.org/dc/terms/"},
};

// fideslang category (and its sub-keys) -> pd: class (DPV-PD 2.0,
// https://w3id.org/dpv/pd). The exporter takes the longest matching key; the
// importer reads a class back as the first key listed for it.
inline constexpr std::pair<std::string_view, std::string_view> kPersonalData[] = {
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

// The pd: classes of the special categories of Art. 9(1) GDPR (DPV-PD marks
// them as dpv:SpecialCategoryPersonalData): read back as special categories.
inline constexpr std::string_view kSpecialPersonalData[] = {
    "pd:Health",
    "pd:Genetic",
    "pd:Biometric",
    "pd:EthnicOrigin",
    "pd:PoliticalOpinion",
    "pd:ReligiousBelief",
    "pd:TradeUnionMembership",
    "pd:Sexual",
};

// Data subjects with a DPV class; other subjects are a labelled dpv:DataSubject.
inline constexpr std::pair<std::string_view, std::string_view> kDataSubjects[] = {
    {"customer", "dpv:Customer"}, {"employee", "dpv:Employee"},
    {"visitor", "dpv:Visitor"},   {"job_applicant", "dpv:JobApplicant"},
    {"patient", "dpv:Patient"},   {"student", "dpv:Student"},
    {"child", "dpv:Child"},
};

// Measure keys with a DPV class; other measures are a labelled
// dpv:TechnicalOrganisationalMeasure.
inline constexpr std::pair<std::string_view, std::string_view> kMeasures[] = {
    {"encryption", "dpv:Encryption"},
    {"encryption_at_rest", "dpv:Encryption"},
    {"encryption_in_transit", "dpv:Encryption"},
    {"pseudonymisation", "dpv:Pseudonymisation"},
    {"access_control", "dpv:AccessControlMethod"},
};

}  // namespace blindspot::dpv
