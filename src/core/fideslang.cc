// Default fideslang taxonomy. Source: ethyca/fideslang data_files/data_categories.csv and
// data_files/data_uses.csv (commit 1144db3c), fields fides_key, name, replaced_by.
#include "blindspot/fideslang.h"

#include <algorithm>
#include <array>

#include "blindspot/suggest.h"

namespace blindspot {
namespace {

constexpr TaxonomyEntry kCategories[] = {
    {"system", "System Data", ""},
    {"system.authentication", "Authentication Data", ""},
    {"system.operations", "Operations Data", ""},
    {"user", "User Data", ""},
    {"user.account", "Account Information", ""},
    {"user.authorization", "Authorization Information", ""},
    {"user.behavior", "Observed Behavior", ""},
    {"user.biometric", "Biometric Data", "user.biometrics"},
    {"user.biometrics", "Biometrics", ""},
    {"user.childrens", "Children's Data", "user.children"},
    {"user.children", "Children", ""},
    {"user.contact", "Contact Data", ""},
    {"user.content", "User Content", ""},
    {"user.demographic", "Demographic Data", ""},
    {"user.location", "Location Data", ""},
    {"user.device", "Device Data", ""},
    {"user.payment", "Payment Data", ""},
    {"user.social", "Social Data", "user.social_activity"},
    {"user.social_activity", "Social Activity Data", ""},
    {"user.settings", "User Settings", ""},
    {"user.unique_id", "Unique ID", ""},
    {"user.telemetry", "Telemetry Data", "user.device.telemetry"},
    {"user.user_sensor", "User Sensor Data", "user.device.sensor"},
    {"user.sensor", "Sensor Data", "user.device.sensor"},
    {"user.financial", "Financial Data", ""},
    {"user.government_id", "Government ID", ""},
    {"user.health_and_medical", "Health and Medical Data", "user.health"},
    {"user.health", "Health Data", ""},
    {"user.name", "Name", ""},
    {"user.criminal_history", "Criminal History", ""},
    {"user.privacy_preferences", "Privacy Preferences", ""},
    {"user.job_title", "Job Title", "user.professional_information.job_title"},
    {"user.workplace", "Workplace", "user.professional_information.workplace"},
    {"user.professional_information", "Professional Information", ""},
    {"user.account.settings", "Account Settings", "user.settings"},
    {"user.account.username", "Account Username", ""},
    {"user.authorization.credentials", "Account password", ""},
    {"user.authorization.biometric", "Biometric Credentials", "user.authorization.biometrics"},
    {"user.authorization.biometrics", "Biometric Authentication", ""},
    {"user.authorization.password", "Password", ""},
    {"user.behavior.browsing_history", "Browsing History", ""},
    {"user.behavior.media_consumption", "Media Consumption", ""},
    {"user.behavior.purchase_history", "Purchase History", ""},
    {"user.behavior.search_history", "Search History", ""},
    {"user.biometric.fingerprint", "Fingerprint", "user.biometrics.fingerprint"},
    {"user.biometric.retinal", "Retina Scan", "user.biometrics.retinal"},
    {"user.biometric.voice", "Voice Recording", "user.biometrics.voice"},
    {"user.biometric.health", "Biometric Health Data", "user.biometrics"},
    {"user.biometrics.fingerprint", "Fingerprint Data", ""},
    {"user.biometrics.retinal", "Retinal Data", ""},
    {"user.biometrics.voice", "Voice Data", ""},
    {"user.children.children_under_thirteen", "Children Under Thirteen", ""},
    {"user.children.thirteen_to_sixteen", "Children Thirteen to Sixteen", ""},
    {"user.contact.address", "User Contact Address", ""},
    {"user.contact.email", "User Contact Email", ""},
    {"user.contact.phone_number", "User Contact Phone Number", ""},
    {"user.contact.url", "User Website", "user.contact.social_url"},
    {"user.contact.social_url", "Social Media URL", ""},
    {"user.contact.fax_number", "Fax Number", ""},
    {"user.contact.organization", "Organization", "user.contact"},
    {"user.contact.address.city", "User Contact City", ""},
    {"user.contact.address.country", "User Contact Country", ""},
    {"user.contact.address.postal_code", "User Contact Postal Code", ""},
    {"user.contact.address.state", "User Contact State", ""},
    {"user.contact.address.street", "User Contact Street", ""},
    {"user.contact.address.mailing_address", "Mailing Address", ""},
    {"user.content.private", "Private Content", ""},
    {"user.content.public", "Public Content", ""},
    {"user.content.self_image", "User Image", ""},
    {"user.demographic.age_range", "Age Range", ""},
    {"user.demographic.date_of_birth", "Birth Date", ""},
    {"user.demographic.gender", "Gender", ""},
    {"user.demographic.language", "Language", ""},
    {"user.demographic.marital_status", "Marital Status", ""},
    {"user.demographic.political_opinion", "Political Opinion", ""},
    {"user.demographic.profile", "User Profile Data", ""},
    {"user.demographic.race_ethnicity", "Race", ""},
    {"user.demographic.religious_belief", "Religion", ""},
    {"user.demographic.sexual_orientation", "Sexual Orientation", ""},
    {"user.demographic.citizenship_or_immigration_status", "Citizenship or Immigration Status", ""},
    {"user.demographic.philosophical_belief", "Philosophical Belief", ""},
    {"user.demographic.protected_classifications", "Protected Classifications", ""},
    {"user.demographic.union_membership", "Union Membership", ""},
    {"user.device.cookie", "Device Cookie", ""},
    {"user.device.cookie_id", "Cookie ID", ""},
    {"user.device.device_id", "Device ID", ""},
    {"user.device.ip_address", "IP Address", ""},
    {"user.device.sensor", "Device Sensor Data", ""},
    {"user.device.telemetry", "Device Telemetry", ""},
    {"user.financial.bank_account", "Bank Account Information", ""},
    {"user.financial.credit_card", "Credit Card Information", ""},
    {"user.government_id.birth_certificate", "Birth Certificate", ""},
    {"user.government_id.drivers_license_number", "Driver's License Number", ""},
    {"user.government_id.immigration", "Immigration ID", ""},
    {"user.government_id.national_identification_number", "National Identification Number", ""},
    {"user.government_id.passport_number", "Passport Number", ""},
    {"user.government_id.vehicle_registration", "Vehicle Registration", ""},
    {"user.health.genetic", "Genetic Data", ""},
    {"user.health.insurance_beneficiary_id", "Health Insurance ID", ""},
    {"user.health.record_id", "Health Record ID", ""},
    {"user.health.baby_formula", "Baby Formula Information", ""},
    {"user.health.condition", "Health Condition", ""},
    {"user.health.maternity_clothing", "Maternity Clothing", ""},
    {"user.health.medical_diagnosis", "Medical Diagnosis", ""},
    {"user.health.medications", "Medications", ""},
    {"user.health.prescriptions", "Prescriptions", ""},
    {"user.health.reproductive_or_sexual", "Reproductive or Sexual Health", ""},
    {"user.health.social_psychological_behavioral", "Social, Psychological, or Behavioral Health", ""},
    {"user.health.symptons", "Health Symptoms", ""},  // sic: the upstream key
    {"user.health.treatment", "Medical Treatment", ""},
    {"user.health_and_medical.genetic", "User's Genetic Data", "user.health.genetic"},
    {"user.health_and_medical.insurance_beneficiary_id", "Medical Insurance ID",
     "user.health.insurance_beneficiary_id"},
    {"user.health_and_medical.record_id", "Medical Record ID", "user.health.record_id"},
    {"user.location.imprecise", "Imprecise Subject Location", "user.location.coarse"},
    {"user.location.coarse", "Coarse Subject Location", ""},
    {"user.location.precise", "Precise Subject Location", ""},
    {"user.name.first", "First Name", ""},
    {"user.name.last", "Last Name", ""},
    {"user.professional_information.job_title", "Professional Job Title", ""},
    {"user.professional_information.workplace", "Professional Workplace", ""},
    {"user.unique_id.pseudonymous", "Pseudonymous User ID", "user.unique_id"},
    {"user.unique_id.deterministic", "Deterministic User ID", ""},
    {"user.unique_id.probablistic", "Probabilistic User ID", ""},  // sic: the upstream key
};

constexpr TaxonomyEntry kUses[] = {
    {"analytics", "Analytics", ""},
    {"analytics.reporting", "Analytics for Reporting", ""},
    {"analytics.reporting.ad_performance", "Analytics for Advertising Performance", ""},
    {"analytics.reporting.content_performance", "Analytics for Content Performance", ""},
    {"analytics.reporting.campaign_insights", "Analytics for Insights", ""},
    {"analytics.reporting.system", "Analytics for System Activity", ""},
    {"analytics.reporting.system.performance", "Analytics for System Performance", ""},
    {"collect", "Collect", ""},
    {"employment", "Employment", ""},
    {"employment.recruitment", "Employment Recruitment", ""},
    {"essential", "Essential", ""},
    {"essential.fraud_detection", "Essential Fraud Detection", ""},
    {"essential.legal_obligation", "Essential Legal Obligation", ""},
    {"essential.service", "Essential for Service", ""},
    {"essential.service.authentication", "Essential Service Authentication", ""},
    {"essential.service.notifications", "Essential Service Notifications", ""},
    {"essential.service.operations", "Essential for Operations", ""},
    {"essential.service.payment_processing", "Essential for Payment Processing", ""},
    {"essential.service.security", "Essential for Security", ""},
    {"essential.service.upgrades", "Essential for Service Upgrades", ""},
    {"essential.service.notifications.email", "Essential Email Service Notifications", ""},
    {"essential.service.notifications.sms", "Essential SMS Service Notifications", ""},
    {"essential.service.operations.support", "Essential for Operations Support", ""},
    {"essential.service.operations.improve", "Essential for Support Improvement", ""},
    {"finance", "Finance", ""},
    {"functional", "Functional", ""},
    {"functional.storage", "Local Data Storage", ""},
    {"functional.service", "Service", ""},
    {"functional.service.improve", "Improve Service", ""},
    {"functional.storage.privacy_preferences", "Local Data Storage for Privacy Preferences", ""},
    {"marketing", "Marketing", ""},
    {"marketing.advertising", "Advertising, Marketing or Promotion", ""},
    {"marketing.communications", "Marketing Communications", ""},
    {"marketing.advertising.first_party", "First Party Advertising", ""},
    {"marketing.advertising.frequency_capping", "Frequency Capping", ""},
    {"marketing.advertising.negative_targeting", "Negative Targeting", ""},
    {"marketing.advertising.profiling", "Profiling for Advertising", ""},
    {"marketing.advertising.serving", "Essential for Serving Ads", ""},
    {"marketing.advertising.third_party", "Third Party Advertising", ""},
    {"marketing.advertising.first_party.contextual", "First Party Contextual Advertising", ""},
    {"marketing.advertising.first_party.targeted", "First Party Personalized Advertising", ""},
    {"marketing.advertising.third_party.targeted", "Third Party Targeted Advertising", ""},
    {"marketing.communications.email", "Marketing Email Communications", ""},
    {"marketing.communications.sms", "Marketing SMS Communications", ""},
    {"operations", "Operations", ""},
    {"personalize", "Personalize", ""},
    {"personalize.content", "Content Personalization", ""},
    {"personalize.profiling", "Personalized Profiling", "personalize.content.profiling"},
    {"personalize.system", "System Personalization", ""},
    {"personalize.content.limited", "Limited Content Personalization", ""},
    {"personalize.content.profiling", "Profiling for Personalization", ""},
    {"personalize.content.profiled", "Targeted Content Personalization", ""},
    {"sales", "Sales", ""},
    {"third_party_sharing", "Third Party Sharing", ""},
    {"third_party_sharing.legal_obligation", "Sharing for Legal Obligation", ""},
    {"train_ai_system", "Train AI System", ""},
};

const TaxonomyEntry* Find(std::span<const TaxonomyEntry> table, std::string_view key) {
  for (const auto& e : table)
    if (e.key == key) return &e;
  return nullptr;
}

std::string_view LastSegment(std::string_view key) {
  size_t dot = key.rfind('.');
  return dot == std::string_view::npos ? key : key.substr(dot + 1);
}

std::string Suggest(std::span<const TaxonomyEntry> table, std::string_view key) {
  if (key.empty()) return "";
  std::vector<std::string_view> keys, all;
  for (const auto& e : table) {
    all.push_back(e.key);
    if (e.replaced_by.empty()) keys.push_back(e.key);
  }
  // A typo in the full key ("user.contact.emial"); a deprecated key leads to its replacement.
  if (auto m = ClosestMatch(key, all, std::max<size_t>(2, key.size() / 5))) {
    const TaxonomyEntry* e = Find(table, *m);
    return e && !e->replaced_by.empty() ? std::string(e->replaced_by) : *m;
  }
  // The right leaf under the wrong parent ("user.email" -> "user.contact.email").
  std::string_view leaf = LastSegment(key);
  std::vector<std::string_view> leaf_hits;
  for (auto k : keys)
    if (LastSegment(k) == leaf) leaf_hits.push_back(k);
  if (!leaf_hits.empty()) {
    std::sort(leaf_hits.begin(), leaf_hits.end(),
              [&](auto a, auto b) { return EditDistance(key, a) < EditDistance(key, b); });
    return std::string(leaf_hits.front());
  }
  // A looser typo.
  if (auto m = ClosestMatch(key, keys, std::max<size_t>(3, key.size() / 3))) return *m;
  return "";
}

}  // namespace

std::span<const TaxonomyEntry> FideslangDataCategories() { return kCategories; }
std::span<const TaxonomyEntry> FideslangDataUses() { return kUses; }
bool IsKnownDataCategory(std::string_view key) { return Find(kCategories, key) != nullptr; }
bool IsKnownDataUse(std::string_view key) { return Find(kUses, key) != nullptr; }
const TaxonomyEntry* FindDataCategory(std::string_view key) { return Find(kCategories, key); }
const TaxonomyEntry* FindDataUse(std::string_view key) { return Find(kUses, key); }
std::string SuggestDataCategory(std::string_view key) { return Suggest(kCategories, key); }
std::string SuggestDataUse(std::string_view key) { return Suggest(kUses, key); }

bool IsSpecialCategoryKey(std::string_view key) {
  // GDPR Art. 9(1); fideslang keys under which such data is classified.
  static constexpr std::string_view kRoots[] = {
      "user.demographic.race_ethnicity",
      "user.demographic.political_opinion",
      "user.demographic.religious_belief",
      "user.demographic.philosophical_belief",
      "user.demographic.union_membership",
      "user.demographic.sexual_orientation",
      "user.health",
      "user.health_and_medical",
      "user.biometric",
      "user.biometrics",
      "user.authorization.biometric",
      "user.authorization.biometrics",
  };
  for (auto root : kRoots) {
    if (key == root) return true;
    if (key.size() > root.size() && key.substr(0, root.size()) == root && key[root.size()] == '.')
      return true;
  }
  return false;
}

}  // namespace blindspot
