#include "io/register_schema.h"

namespace blindspot::register_schema {

const std::vector<ObjectKeys>& AllObjects() {
  static const std::vector<ObjectKeys> kAll = {
      {"register",
       {"blindspot_register", "organisation", "activities", "processors", "systems", "touchpoints",
        "processor_records"}},
      {"organisation",
       {"name", "registration", "country", "public_body", "contact", "dpo", "representative"}},
      {"contact", {"name", "email", "phone", "address"}},
      {"activity",
       {"id",
        "name",
        "description",
        "business_function",
        "owner",
        "purposes",
        "data_subjects",
        "large_scale",
        "data_categories",
        "special_categories",
        "criminal_data",
        "national_id",
        "recipients",
        "transfers",
        "retention",
        "toms",
        "data_sources",
        "systems",
        "access",
        "dpia",
        "notes"}},
      {"purpose", {"id", "description", "lawful_basis", "lia_reference", "legal_obligation", "data_uses"}},
      {"special_category", {"id", "category", "condition", "justification"}},
      {"recipient", {"id", "kind", "name", "processor"}},
      {"recipients_by_kind", {"internal", "external", "processors"}},
      {"transfer", {"id", "recipient", "country", "safeguard", "reference", "tia"}},
      {"tia", {"date", "reference"}},
      {"criminal_data", {"basis", "justification"}},
      {"national_id", {"law"}},
      {"retention", {"id", "data_category", "period", "justification"}},
      {"toms", {"measures", "description"}},
      {"dpia", {"status", "reference", "date"}},
      {"processor",
       {"id", "name", "legal_entity", "country", "role", "agreement", "transfer_safeguard", "dpf_listing",
        "sub_processors"}},
      {"dpf_listing", {"listed", "checked", "reference"}},
      {"agreement", {"status", "date", "reference", "expires"}},
      {"sub_processor", {"name", "country", "purpose"}},
      {"system", {"id", "name", "description", "location", "country", "processor"}},
      {"touchpoint",
       {"id", "name", "channel", "product", "vendor", "activities", "owner", "answers", "audience_list",
        "contact", "analytics_exemption", "discovered"}},
      {"discovered", {"audit", "date", "proof", "first_date", "last_date", "seen", "suggested"}},
      {"seen_item", {"kind", "what", "detail", "proof", "first_date", "last_date", "count", "source"}},
      {"touchpoint_contact", {"whatsapp", "call_recording", "chat_transcripts", "email_tracking"}},
      {"whatsapp", {"app", "provider", "staff_own_phones", "contact_upload"}},
      {"call_recording", {"recorded", "announced", "scope", "retention_days", "purpose"}},
      {"chat_transcripts", {"stored", "reused_in_crm", "retention_days"}},
      {"email_tracking", {"open_tracking", "click_tracking", "per_recipient", "consent"}},
      {"analytics_exemption",
       {"processor_agreement", "ip_masked", "no_sharing", "no_other_services", "informed", "cookieless"}},
      {"audience_list",
       {"list_subjects", "exclusion_list", "hashed_before_upload", "anonymous", "consent_reference"}},
      {"answers",
       {"in_use", "in_use_since", "stored_by_us", "stored_by_us_where", "stored_by_vendor",
        "stored_by_vendor_details", "informed", "data_collected", "lawful_basis", "necessity", "subsidiarity",
        "proportionality", "security_measures"}},
      {"informed", {"statement", "section"}},
      {"processor_record",
       {"controller", "controller_contact", "categories_of_processing", "transfers", "toms", "notes"}},
  };
  return kAll;
}

const std::vector<std::string_view>& KeysOf(std::string_view object) {
  static const std::vector<std::string_view> kNone;
  for (const auto& o : AllObjects())
    if (o.object == object) return o.keys;
  return kNone;
}

}  // namespace blindspot::register_schema
