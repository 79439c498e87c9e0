// Helpers shared by the rule files (see rule.h).
#include <algorithm>
#include <array>
#include <cctype>

#include "audit/rule.h"
#include "blindspot/fideslang.h"

namespace blindspot {

const ProcessingActivity* AuditContext::Activity(std::string_view id) const { return reg.FindActivity(id); }

const Processor* AuditContext::Vendor(std::string_view id) const {
  return id.empty() ? nullptr : reg.FindProcessor(id);
}

const KbEntry* AuditContext::KbFind(std::string_view id) const { return kb.Find(id); }

std::vector<const ProcessingActivity*> AuditContext::ActivitiesOf(const Touchpoint& tp) const {
  std::vector<const ProcessingActivity*> out;
  for (const std::string& id : tp.activities) {
    if (const ProcessingActivity* a = Activity(id)) out.push_back(a);
  }
  return out;
}

namespace audit {

Finding MakeFinding(const RuleInfo& info, SubjectKind kind, std::string subject_id, std::string subject_name,
                    std::string en, std::string nl, Loc loc) {
  Finding f;
  f.rule_id = info.id;
  f.severity = info.severity;
  f.subject_kind = kind;
  f.subject_id = std::move(subject_id);
  f.subject_name = std::move(subject_name);
  f.detail.en = std::move(en);
  f.detail.nl = std::move(nl);
  f.loc = loc;
  return f;
}

LocalizedText LawfulBasisName(LawfulBasis b) {
  switch (b) {
    case LawfulBasis::kConsent:
      return {"consent", "toestemming"};
    case LawfulBasis::kContract:
      return {"contract", "overeenkomst"};
    case LawfulBasis::kLegalObligation:
      return {"legal obligation", "wettelijke verplichting"};
    case LawfulBasis::kVitalInterests:
      return {"vital interests", "vitaal belang"};
    case LawfulBasis::kPublicTask:
      return {"public task", "algemeen belang / openbaar gezag"};
    case LawfulBasis::kLegitimateInterests:
      return {"legitimate interests", "gerechtvaardigd belang"};
  }
  return {"unknown", "onbekend"};
}

LocalizedText SafeguardName(TransferSafeguard s) {
  switch (s) {
    case TransferSafeguard::kAdequacyDecision:
      return {"adequacy decision", "adequaatheidsbesluit"};
    case TransferSafeguard::kDataPrivacyFramework:
      return {"EU-US Data Privacy Framework", "EU-VS Data Privacy Framework"};
    case TransferSafeguard::kSccs:
      return {"SCCs", "modelcontractbepalingen"};
    case TransferSafeguard::kBcrs:
      return {"BCRs", "BCR's"};
    case TransferSafeguard::kDerogationArt49:
      return {"derogation (Art. 49)", "uitzondering (art. 49)"};
    case TransferSafeguard::kNone:
      return {"none", "geen"};
  }
  return {"none", "geen"};
}

std::string_view AgreementStatusEn(AgreementStatus s) {
  switch (s) {
    case AgreementStatus::kSigned:
      return "signed";
    case AgreementStatus::kPending:
      return "pending";
    case AgreementStatus::kMissing:
      return "missing";
    case AgreementStatus::kNotRequired:
      return "not required";
  }
  return "missing";
}

std::string_view AgreementStatusNl(AgreementStatus s) {
  switch (s) {
    case AgreementStatus::kSigned:
      return "getekend";
    case AgreementStatus::kPending:
      return "in behandeling";
    case AgreementStatus::kMissing:
      return "ontbreekt";
    case AgreementStatus::kNotRequired:
      return "niet vereist";
  }
  return "ontbreekt";
}

LocalizedText VendorRoleName(VendorRole r) {
  switch (r) {
    case VendorRole::kProcessor:
      return {"processor", "verwerker"};
    case VendorRole::kJointController:
      return {"joint controller", "gezamenlijke verwerkingsverantwoordelijke"};
    case VendorRole::kIndependentController:
      return {"independent controller", "zelfstandige verwerkingsverantwoordelijke"};
  }
  return {"processor", "verwerker"};
}

// Like IsEeaCountry (src/core) but case-insensitive and accepting "EL", the EU's code for Greece.
bool InEea(std::string_view iso2) {
  static constexpr std::array<std::string_view, 31> kEea = {
      "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
      "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"};
  if (iso2.size() != 2) return false;
  std::string up{static_cast<char>(std::toupper(static_cast<unsigned char>(iso2[0]))),
                 static_cast<char>(std::toupper(static_cast<unsigned char>(iso2[1])))};
  return std::find(kEea.begin(), kEea.end(), up) != kEea.end();
}

namespace {
// A key deprecated in the fideslang taxonomy counts as the key that replaced it.
std::string_view Current(std::string_view key) {
  const TaxonomyEntry* e = FindDataCategory(key);
  return e && !e->replaced_by.empty() ? e->replaced_by : key;
}
}  // namespace

bool CategoryCovered(std::string_view category_in, const std::vector<std::string>& declared) {
  std::string_view category = Current(category_in);
  for (const std::string& declared_key : declared) {
    std::string_view d = Current(declared_key);
    if (d == category) return true;
    if (category.size() > d.size() && category.substr(0, d.size()) == d && category[d.size()] == '.')
      return true;
  }
  return false;
}

std::string DisplayName(const Touchpoint& tp) { return tp.name.empty() ? tp.id : tp.name; }
std::string DisplayName(const ProcessingActivity& a) { return a.name.empty() ? a.id : a.name; }
std::string DisplayName(const Processor& p) { return p.name.empty() ? p.id : p.name; }

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += sep;
    out += items[i];
  }
  return out;
}

}  // namespace audit
}  // namespace blindspot

namespace blindspot::audit::src {

// Dutch titles follow one citation style: the act first, then "art. N lid M onder x" (see rule.h).

Source Gdpr(std::string_view provision, std::string_view provision_nl) {
  return {"GDPR (AVG) " + std::string(provision), kGdprUrl, "AVG " + std::string(provision_nl)};
}
Source EprivacyArt53() {
  return {"ePrivacy Directive 2002/58/EC, Art. 5(3)", "https://eur-lex.europa.eu/eli/dir/2002/58/oj",
          "Richtlijn 2002/58/EG (e-privacyrichtlijn) art. 5 lid 3"};
}
Source TelecomWet117a() {
  return {"Telecommunicatiewet, art. 11.7a (cookiebepaling)", "https://wetten.overheid.nl/BWBR0009950/",
          "Telecommunicatiewet art. 11.7a (cookiebepaling)"};
}
Source Planet49() {
  return {"CJEU C-673/17 Planet49, ECLI:EU:C:2019:801",
          "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:62017CJ0673",
          "HvJ EU C-673/17 Planet49, ECLI:EU:C:2019:801"};
}
Source FashionId() {
  return {"CJEU C-40/17 Fashion ID, ECLI:EU:C:2019:629",
          "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:62017CJ0040",
          "HvJ EU C-40/17 Fashion ID, ECLI:EU:C:2019:629"};
}
Source Wirtschaftsakademie() {
  return {"CJEU C-210/16 Wirtschaftsakademie Schleswig-Holstein, ECLI:EU:C:2018:388",
          "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:62016CJ0210",
          "HvJ EU C-210/16 Wirtschaftsakademie Schleswig-Holstein, ECLI:EU:C:2018:388"};
}
Source SchremsII() {
  return {"CJEU C-311/18 Facebook Ireland and Schrems (Schrems II), ECLI:EU:C:2020:559",
          "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:62018CJ0311",
          "HvJ EU C-311/18 Facebook Ireland en Schrems (Schrems II), ECLI:EU:C:2020:559"};
}
Source MetaBundeskartellamt() {
  return {"CJEU C-252/21 Meta Platforms v Bundeskartellamt, ECLI:EU:C:2023:537",
          "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:62021CJ0252",
          "HvJ EU C-252/21 Meta Platforms e.a. / Bundeskartellamt, ECLI:EU:C:2023:537"};
}
Source EdpbConsent() {
  return {"EDPB Guidelines 05/2020 on consent under Regulation 2016/679",
          "https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/"
          "guidelines-052020-consent-under-regulation-2016679_en",
          "EDPB-richtsnoeren 05/2020 inzake toestemming overeenkomstig Verordening 2016/679"};
}
Source EdpbControllerProcessor() {
  return {"EDPB Guidelines 07/2020 on the concepts of controller and processor in the GDPR",
          "https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/"
          "guidelines-072020-concepts-controller-and-processor-gdpr_en",
          "EDPB-richtsnoeren 07/2020 over de begrippen verwerkingsverantwoordelijke en verwerker in de AVG"};
}
Source EdpbSupplementaryMeasures() {
  return {"EDPB Recommendations 01/2020 on measures that supplement transfer tools",
          "https://www.edpb.europa.eu/our-work-tools/our-documents/recommendations/"
          "recommendations-012020-measures-supplement-transfer_en",
          "EDPB-aanbevelingen 01/2020 inzake maatregelen die doorgifte-instrumenten aanvullen"};
}
Source EdpbLegitimateInterests() {
  return {
      "EDPB Guidelines 1/2024 on processing of personal data based on Article 6(1)(f) GDPR",
      "https://www.edpb.europa.eu/our-work-tools/documents/public-consultations/2024/"
      "guidelines-12024-processing-personal-data-based_en",
      "EDPB-richtsnoeren 1/2024 over de verwerking van persoonsgegevens op grond van art. 6 lid 1 onder f "
      "AVG (gerechtvaardigd belang)"};
}
Source EdpbTargeting() {
  return {"EDPB Guidelines 8/2020 on the targeting of social media users",
          "https://www.edpb.europa.eu/our-work-tools/our-documents/guidelines/"
          "guidelines-82020-targeting-social-media-users_en",
          "EDPB-richtsnoeren 8/2020 over het targeten van gebruikers van sociale media"};
}
Source Wp248Dpia() {
  return {"Article 29 WP, Guidelines on DPIA (WP248 rev.01), endorsed by the EDPB",
          "https://ec.europa.eu/newsroom/article29/items/611236",
          "Artikel 29-werkgroep, richtsnoeren voor de gegevensbeschermingseffectbeoordeling (DPIA) "
          "(WP248 rev.01), bekrachtigd door de EDPB"};
}
Source Wp260Transparency() {
  return {"Article 29 WP, Guidelines on transparency (WP260 rev.01), endorsed by the EDPB",
          "https://ec.europa.eu/newsroom/article29/items/622227",
          "Artikel 29-werkgroep, richtsnoeren inzake transparantie (WP260 rev.01), bekrachtigd door de EDPB"};
}
Source ApDpiaList() {
  return {
      "Autoriteit Persoonsgegevens, Besluit lijst van verwerkingen waarvoor een DPIA verplicht is "
      "(Stcrt. 2019, 64418)",
      "https://zoek.officielebekendmakingen.nl/stcrt-2019-64418.html",
      "Autoriteit Persoonsgegevens (AP), Besluit inzake lijst van verwerkingen van persoonsgegevens waarvoor "
      "een gegevensbeschermingseffectbeoordeling (DPIA) verplicht is (Stcrt. 2019, 64418)"};
}
Source ApCookies() {
  return {"Autoriteit Persoonsgegevens: Cookies (tracking cookies en toestemming)",
          "https://autoriteitpersoonsgegevens.nl/nl/onderwerpen/internet-telefoon-tv-en-post/cookies",
          "Autoriteit Persoonsgegevens (AP): cookies (trackingcookies en toestemming)"};
}

}  // namespace blindspot::audit::src
