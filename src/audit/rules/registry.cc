// The rule table: one line per rule, id -> check. The rule's metadata and
// messages are data/rules/<id>.yaml; its check is the file named here.
#include "audit/rule.h"

namespace blindspot::audit {

void CheckBlindSpot(const AuditContext&, std::vector<Finding>&);               // blind_spot.cc
void CheckNotSeen(const AuditContext&, std::vector<Finding>&);                 // not_seen.cc
void CheckArt30Fields(const AuditContext&, std::vector<Finding>&);             // art30_field.cc
void CheckLawfulBasis(const AuditContext&, std::vector<Finding>&);             // lawful_basis.cc
void CheckLia(const AuditContext&, std::vector<Finding>&);                     // lia.cc
void CheckConsent(const AuditContext&, std::vector<Finding>&);                 // consent.cc
void CheckSpecialCategory(const AuditContext&, std::vector<Finding>&);         // special_category.cc
void CheckProcessorAgreement(const AuditContext&, std::vector<Finding>&);      // processor_agreement.cc
void CheckTransfer(const AuditContext&, std::vector<Finding>&);                // transfer.cc
void CheckJointController(const AuditContext&, std::vector<Finding>&);         // joint_controller.cc
void CheckRetention(const AuditContext&, std::vector<Finding>&);               // retention.cc
void CheckToms(const AuditContext&, std::vector<Finding>&);                    // toms.cc
void CheckTouchpointQuestions(const AuditContext&, std::vector<Finding>&);     // touchpoint_question.cc
void CheckDpia(const AuditContext&, std::vector<Finding>&);                    // dpia.cc
void CheckUndeclaredSignal(const AuditContext&, std::vector<Finding>&);        // undeclared_signal.cc
void CheckUnknownProduct(const AuditContext&, std::vector<Finding>&);          // unknown_product.cc
void CheckNotInUseButSeen(const AuditContext&, std::vector<Finding>&);         // not_in_use_but_seen.cc
void CheckProcessorRecord(const AuditContext&, std::vector<Finding>&);         // processor_record.cc
void CheckUnidentifiedTracker(const AuditContext&, std::vector<Finding>&);     // unidentified_tracker.cc
void CheckInferredTouchpoint(const AuditContext&, std::vector<Finding>&);      // inferred_touchpoint.cc
void CheckPersonalDataInClear(const AuditContext&, std::vector<Finding>&);     // personal_data_in_clear.cc
void CheckTrackingWithoutConsent(const AuditContext&, std::vector<Finding>&);  // tracking_without_consent.cc
void CheckCriminalData(const AuditContext&, std::vector<Finding>&);            // criminal_data.cc
void CheckNationalId(const AuditContext&, std::vector<Finding>&);              // national_id.cc
void CheckDpiaRequired(const AuditContext&, std::vector<Finding>&);            // dpia_required.cc
void CheckRoleContradictsKb(const AuditContext&, std::vector<Finding>&);       // role_contradicts_kb.cc
void CheckDpiaIndicated(const AuditContext&, std::vector<Finding>&);           // dpia_indicated.cc
void CheckDpiaOneCriterion(const AuditContext&, std::vector<Finding>&);        // dpia_one_criterion.cc
void CheckTransferByDate(const AuditContext&, std::vector<Finding>&);          // transfer_by_date.cc
void CheckNoRejectFirstLayer(const AuditContext&, std::vector<Finding>&);      // no_reject_first_layer.cc
void CheckRejectHarderThanAccept(const AuditContext&, std::vector<Finding>&);  // reject_harder_than_accept.cc
void CheckTrackerDeclaredNecessary(const AuditContext&,
                                   std::vector<Finding>&);                    // tracker_declared_necessary.cc
void CheckCookieNotDeclared(const AuditContext&, std::vector<Finding>&);      // cookie_not_declared.cc
void CheckTcfLegitimateInterest(const AuditContext&, std::vector<Finding>&);  // tcf_legitimate_interest.cc
void CheckPreTickedChoices(const AuditContext&, std::vector<Finding>&);       // pre_ticked_choices.cc
void CheckBrowsingAsConsent(const AuditContext&, std::vector<Finding>&);      // browsing_as_consent.cc
void CheckCookieWall(const AuditContext&, std::vector<Finding>&);             // cookie_wall.cc
void CheckConsentClaimContradicted(const AuditContext&,
                                   std::vector<Finding>&);                    // consent_claim_contradicted.cc
void CheckAudienceListBasis(const AuditContext&, std::vector<Finding>&);      // audience_list_basis.cc
void CheckHashedNotAnonymous(const AuditContext&, std::vector<Finding>&);     // hashed_not_anonymous.cc
void CheckAudienceListStatement(const AuditContext&, std::vector<Finding>&);  // audience_list_statement.cc
void CheckSensitiveInTraffic(const AuditContext&, std::vector<Finding>&);     // sensitive_in_traffic.cc
void CheckStatementElements(const AuditContext&, std::vector<Finding>&);      // statement_element.cc
void CheckStatementVendors(const AuditContext&, std::vector<Finding>&);       // statement_vendor.cc
void CheckStatementLanguage(const AuditContext&, std::vector<Finding>&);      // statement_language.cc
void CheckStatementContradictions(const AuditContext&, std::vector<Finding>&);  // statement_contradiction.cc
void CheckStatementVendorsActive(const AuditContext&, std::vector<Finding>&);   // statement_vendor_active.cc
void CheckPersonalDataInPageUrl(const AuditContext&, std::vector<Finding>&);   // personal_data_in_page_url.cc
void CheckWhatsAppStaffPhones(const AuditContext&, std::vector<Finding>&);     // whatsapp_staff_phones.cc
void CheckCallRecordingAnnounced(const AuditContext&, std::vector<Finding>&);  // call_recording_announced.cc
void CheckContactRetention(const AuditContext&, std::vector<Finding>&);        // contact_retention.cc
void CheckChatTranscriptsReused(const AuditContext&, std::vector<Finding>&);   // chat_transcripts_reused.cc
void CheckEmailTrackingConsent(const AuditContext&, std::vector<Finding>&);    // email_tracking_consent.cc
void CheckAnalyticsExemption(const AuditContext&, std::vector<Finding>&);      // analytics_exemption.cc
void CheckAccountAccess(const AuditContext&, std::vector<Finding>&);           // account_access.cc
void CheckTagConsentCheck(const AuditContext&, std::vector<Finding>&);         // tag_consent_check.cc

const std::vector<RuleEntry>& RuleTable() {
  static const std::vector<RuleEntry> kTable = {
      {rule_id::BS001, CheckBlindSpot},
      {rule_id::BS002, CheckNotSeen},
      {rule_id::BS003, CheckArt30Fields},
      {rule_id::BS004, CheckLawfulBasis},
      {rule_id::BS005, CheckLia},
      {rule_id::BS006, CheckConsent},
      {rule_id::BS007, CheckSpecialCategory},
      {rule_id::BS008, CheckProcessorAgreement},
      {rule_id::BS009, CheckTransfer},
      {rule_id::BS010, CheckJointController},
      {rule_id::BS011, CheckRetention},
      {rule_id::BS012, CheckToms},
      {rule_id::BS013, CheckTouchpointQuestions},
      {rule_id::BS014, CheckDpia},
      {rule_id::BS015, CheckUndeclaredSignal},
      {rule_id::BS016, CheckUnknownProduct},
      {rule_id::BS017, CheckNotInUseButSeen},
      {rule_id::BS018, CheckProcessorRecord},
      {rule_id::BS019, CheckUnidentifiedTracker},
      {rule_id::BS020, CheckInferredTouchpoint},
      {rule_id::BS021, CheckPersonalDataInClear},
      {rule_id::BS022, CheckTrackingWithoutConsent},
      {rule_id::BS023, CheckCriminalData},
      {rule_id::BS024, CheckNationalId},
      {rule_id::BS025, CheckDpiaRequired},
      {rule_id::BS026, CheckRoleContradictsKb},
      {rule_id::BS027, CheckDpiaIndicated},
      {rule_id::BS028, CheckDpiaOneCriterion},
      {rule_id::BS029, CheckTransferByDate},
      {rule_id::BS030, CheckNoRejectFirstLayer},
      {rule_id::BS031, CheckRejectHarderThanAccept},
      {rule_id::BS032, CheckTrackerDeclaredNecessary},
      {rule_id::BS033, CheckCookieNotDeclared},
      {rule_id::BS034, CheckTcfLegitimateInterest},
      {rule_id::BS035, CheckConsentClaimContradicted},
      {rule_id::BS036, CheckPreTickedChoices},
      {rule_id::BS037, CheckAudienceListBasis},
      {rule_id::BS038, CheckHashedNotAnonymous},
      {rule_id::BS039, CheckAudienceListStatement},
      {rule_id::BS040, CheckSensitiveInTraffic},
      {rule_id::BS041, CheckPersonalDataInPageUrl},
      {rule_id::BS042, CheckBrowsingAsConsent},
      {rule_id::BS043, CheckStatementElements},
      {rule_id::BS044, CheckStatementVendors},
      {rule_id::BS045, CheckStatementLanguage},
      {rule_id::BS046, CheckStatementContradictions},
      {rule_id::BS047, CheckStatementVendorsActive},
      {rule_id::BS048, CheckCookieWall},
      {rule_id::BS049, CheckWhatsAppStaffPhones},
      {rule_id::BS050, CheckCallRecordingAnnounced},
      {rule_id::BS051, CheckContactRetention},
      {rule_id::BS052, CheckChatTranscriptsReused},
      {rule_id::BS053, CheckEmailTrackingConsent},
      {rule_id::BS054, CheckAnalyticsExemption},
      {rule_id::BS055, CheckAccountAccess},
      {rule_id::BS056, CheckTagConsentCheck},
  };
  return kTable;
}

}  // namespace blindspot::audit
