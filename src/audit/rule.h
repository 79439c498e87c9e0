// Internal to bs_audit: what a rule sees (AuditContext) and small helpers the
// rule files share. A rule is a pure function of the context; it appends
// findings and never reads files or prints.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/audit.h"

namespace blindspot {

struct AuditContext {
  const Register& reg;
  const Kb& kb;
  const DetectionResult& detection;
  const std::vector<ReconciledTouchpoint>& touchpoints;  // reconciled rows, documented order

  const ProcessingActivity* Activity(std::string_view id) const;
  const Processor* Vendor(std::string_view id) const;
  const KbEntry* KbFind(std::string_view id) const;
  // The register activities a touchpoint refers to (unknown ids are skipped).
  std::vector<const ProcessingActivity*> ActivitiesOf(const Touchpoint& tp) const;
};

namespace audit {

// A finding pre-filled from the rule metadata.
Finding MakeFinding(const RuleInfo& info, SubjectKind kind, std::string subject_id, std::string subject_name,
                    std::string en, std::string nl, Loc loc);

// Localised names for messages (independent of src/core's stable string forms).
LocalizedText LawfulBasisName(LawfulBasis);
LocalizedText SafeguardName(TransferSafeguard);
std::string_view AgreementStatusEn(AgreementStatus);
std::string_view AgreementStatusNl(AgreementStatus);
LocalizedText VendorRoleName(VendorRole);

// EU + IS, LI, NO (ISO 3166-1 alpha-2, case-insensitive; "EL" accepted for Greece).
bool InEea(std::string_view iso2);
// Binds a rule's metadata to its check: every rule file ends with
// `Rule XRule() { return MakeRule(Info(), Check); }`.
using CheckFn = void (*)(const RuleInfo&, const AuditContext&, std::vector<Finding>&);
inline Rule MakeRule(RuleInfo info, CheckFn check) {
  return {info, [info, check](const AuditContext& c, std::vector<Finding>& o) { check(info, c, o); }};
}
// A Chapter V tool is recorded (set, and not "none").
inline bool HasSafeguard(const std::optional<TransferSafeguard>& s) {
  return s && *s != TransferSafeguard::kNone;
}

// Fideslang hierarchy: `declared` covers `category` when equal or an ancestor
// ("user.contact" covers "user.contact.email"). Keys deprecated in the
// fideslang taxonomy are compared as the key that replaced them.
bool CategoryCovered(std::string_view category, const std::vector<std::string>& declared);

// The touchpoint's display name: its name, else its id.
std::string DisplayName(const Touchpoint& tp);
std::string DisplayName(const ProcessingActivity& a);
std::string DisplayName(const Processor& p);

// The rule table (src/audit/rules/registry.cc), in registry order.
std::vector<Rule> RuleTable();

// Legal sources used by several rules. Titles name the exact provision; every
// source also has a Dutch title (Source::title_nl) in one citation style: the
// act first, then "art. N lid M onder x", a short Dutch description in
// parentheses, e.g. "AVG art. 6 lid 1 onder a (toestemming)", "Telecommunicatiewet
// art. 11.7a (cookiebepaling)", "HvJ EU C-673/17 Planet49, ECLI:...". Terms follow
// the project glossary (/work/shared/glossary.md).
namespace src {
inline constexpr const char* kGdprUrl = "https://eur-lex.europa.eu/eli/reg/2016/679/oj";
// Gdpr("Art. 30(1) (records ...)", "art. 30 lid 1 (register van verwerkingsactiviteiten)") gives
// title "GDPR (AVG) Art. 30(1) (records ...)" and title_nl "AVG art. 30 lid 1 (register ...)".
Source Gdpr(std::string_view provision, std::string_view provision_nl);
Source EprivacyArt53();
Source TelecomWet117a();
Source Planet49();
Source FashionId();
Source Wirtschaftsakademie();
Source SchremsII();
Source MetaBundeskartellamt();
Source EdpbConsent();
Source EdpbControllerProcessor();
Source EdpbSupplementaryMeasures();
Source EdpbLegitimateInterests();
Source EdpbTargeting();
Source Wp248Dpia();
Source Wp260Transparency();
Source ApDpiaList();
Source ApCookies();
}  // namespace src

// "a, b, c".
std::string Join(const std::vector<std::string>& items, std::string_view sep = ", ");

}  // namespace audit
}  // namespace blindspot
