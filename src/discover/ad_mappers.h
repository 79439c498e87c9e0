// The ad-platform object mappers shared by the readers that meet the same
// platform objects in different envelopes (airbyte_records.cc: Airbyte
// connector records; platform_audiences.cc: the platforms' own API answers).
// Each maps one platform object (its API field names) to an observation;
// nothing but the fields named here is read, and no member data is among
// them. Header-only, stateless.
#pragma once
#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "discover/ad_json.h"

namespace blindspot::discover::admap {

using adjson::Json;

// "<platform>:<kind>" audience observation with the fields every mapper sets.
inline Observation Audience(std::string_view platform, std::string_view kind, const std::string& name,
                            std::string location) {
  Observation o;
  o.kind = ObservationKind::kAudience;
  o.key = fmt::format("{}:{}", platform, kind);
  o.subject = name;
  o.proof = Proof::kInUse;
  o.location = std::move(location);
  o.attrs.emplace_back("platform", std::string(platform));
  return o;
}

inline void AddAttr(Observation& o, std::string name, std::string value) {
  if (!value.empty()) o.attrs.emplace_back(std::move(name), std::move(value));
}

// Snap Marketing API "Customer Lists" (developers.snap.com/api/marketing-api/Ads-API/customer-lists):
// source_type FIRST_PARTY = a customer list; the other source types are the
// platform's own segments.
inline std::string_view SnapKind(const std::string& source_type) {
  if (source_type == "FIRST_PARTY") return "customer_list";
  if (source_type == "ENGAGEMENT") return "engagement";
  if (source_type == "PIXEL") return "website";
  if (source_type == "MOBILE") return "app";
  if (source_type == "LOOKALIKE") return "lookalike";
  return "other";
}

inline Observation SnapSegment(const Json& d, std::string location) {
  std::string source = adjson::Str(d, "source_type"), upload = adjson::Str(d, "upload_status");
  std::string status = adjson::Str(d, "status");
  std::string_view kind = SnapKind(source);
  Observation o = Audience("snapchat", kind, adjson::Str(d, "name"), std::move(location));
  o.first_date = adjson::Date(d, "created_at");
  o.last_date = adjson::Date(d, "updated_at");
  o.count = adjson::Count(d, "approximate_number_users");
  std::string retention = adjson::Str(d, "retention_in_days");
  bool empty_list = kind == "customer_list" && upload == "NO_UPLOAD";
  if (empty_list)
    o.proof = Proof::kAccountExists;  // a list was created, nothing was uploaded to it
  else if (!status.empty() && status != "ACTIVE")
    o.proof = Proof::kPaused;
  o.detail = fmt::format("Snapchat segment, source_type {}{}{}", source.empty() ? "not given" : source,
                         upload.empty() ? "" : ", upload_status " + upload,
                         retention == "9999" ? ", members kept without a time limit (retention 9999 days)"
                         : retention.empty() ? ""
                                             : ", members kept " + retention + " days");
  AddAttr(o, "audience_id", adjson::Str(d, "id"));
  AddAttr(o, "type", source);
  AddAttr(o, "upload_status", upload);
  AddAttr(o, "status", status);
  AddAttr(o, "targetable_status", adjson::Str(d, "targetable_status"));
  AddAttr(o, "retention_days", retention);
  AddAttr(o, "ad_account_id", adjson::Str(d, "ad_account_id"));
  if (kind == "customer_list")
    o.attrs.emplace_back("source",
                         empty_list ? "customer list, nothing uploaded" : "customer file, uploaded");
  return o;
}

// TikTok's audience_type strings as the connector emits them. Only the two
// seen in real records are mapped; a customer-file type string was not
// sourced, so any other string is "other" with the raw value kept.
inline std::string_view TikTokKind(const std::string& type) {
  if (type == "Website Audience") return "website";
  if (type == "Lead Generation") return "engagement";  // people who opened or sent a TikTok lead form
  return "other";
}

// `as_of`: the date the record was taken (an expiry before it ends the audience).
inline Observation TikTokAudience(const Json& d, std::string location, const std::string& as_of) {
  std::string type = adjson::Str(d, "audience_type");
  Observation o = Audience("tiktok", TikTokKind(type), adjson::Str(d, "name"), std::move(location));
  o.first_date = o.last_date = adjson::Date(d, "create_time");
  std::string expires = adjson::Date(d, "expired_time");
  int valid = adjson::Bool(d, "is_valid");
  bool expired = !expires.empty() && !as_of.empty() && expires <= as_of;
  if (valid == 0 || expired) o.proof = Proof::kPaused;
  o.detail = fmt::format("TikTok audience, type {}{}{}", type.empty() ? "not given" : "\"" + type + "\"",
                         valid == 0 ? ", not valid" : "", expires.empty() ? "" : ", expires " + expires);
  AddAttr(o, "audience_id", adjson::Str(d, "audience_id"));
  AddAttr(o, "type", type);
  if (valid >= 0) o.attrs.emplace_back("is_valid", valid ? "true" : "false");
  AddAttr(o, "expires", expires);
  int shared = adjson::Bool(d, "shared");
  if (shared >= 0) o.attrs.emplace_back("shared", shared ? "true" : "false");
  return o;
}

// Pinterest audience types (developers.pinterest.com, "Create audiences";
// Pinterest's generated API client, AudienceType): CUSTOMER_LIST, VISITOR,
// ENGAGEMENT, ACTALIKE.
inline std::string_view PinterestKind(const std::string& type) {
  if (type == "CUSTOMER_LIST") return "customer_list";
  if (type == "VISITOR") return "website";
  if (type == "ENGAGEMENT") return "engagement";
  if (type == "ACTALIKE") return "lookalike";
  return "other";
}

inline Observation PinterestAudience(const Json& d, std::string location) {
  std::string type = adjson::Str(d, "audience_type"), status = adjson::Str(d, "status");
  Observation o = Audience("pinterest", PinterestKind(type), adjson::Str(d, "name"), std::move(location));
  o.first_date = adjson::Date(d, "created_timestamp");
  o.last_date = adjson::Date(d, "updated_timestamp");
  o.count = adjson::Count(d, "size");
  if (status.find("DELETED") != std::string::npos || status.find("ARCHIVED") != std::string::npos ||
      status.find("EXPIRED") != std::string::npos)
    o.proof = Proof::kPaused;
  o.detail = fmt::format("Pinterest audience, type {}{}", type.empty() ? "not given" : type,
                         status.empty() ? "" : ", status " + status);
  AddAttr(o, "audience_id", adjson::Str(d, "id"));
  AddAttr(o, "type", type);
  AddAttr(o, "status", status);
  AddAttr(o, "ad_account_id", adjson::Str(d, "ad_account_id"));
  return o;
}

// LinkedIn Marketing API "DMP Segments"
// (learn.microsoft.com/en-us/linkedin/marketing/matched-audiences/create-and-manage-segments):
// a segment of an ad account made from a list uploaded (sourcePlatform
// LIST_UPLOAD) or streamed from a partner platform; type USER holds people
// (a contact list: Matched Audiences), COMPANY holds companies (account
// targeting, no person on it). Counts and status are per destination.
inline std::string_view LinkedInSegmentKind(const std::string& type) {
  if (type.find("USER") != std::string::npos) return "customer_list";
  return "other";
}

inline Observation LinkedInDmpSegment(const Json& d, std::string location) {
  std::string type = adjson::Str(d, "type"), source = adjson::Str(d, "sourcePlatform");
  Observation o =
      Audience("linkedin", LinkedInSegmentKind(type), adjson::Str(d, "name"), std::move(location));
  o.first_date = adjson::Date(d, "created");
  o.last_date = adjson::Date(d, "lastModified");
  std::string status = adjson::Str(d, "status");
  uint64_t matched = adjson::Count(d, "matchedCount"), size = adjson::Count(d, "audienceSize");
  if (const Json* dest = adjson::Field(d, "destinations"); dest && dest->is_array())
    for (const Json& x : *dest) {
      if (status.empty()) status = adjson::Str(x, "status");
      if (matched == 0) matched = adjson::Count(x, "matchedCount");
      if (size == 0) size = adjson::Count(x, "audienceSize");
    }
  o.count = matched > 0 ? matched : size;
  if (status == "EXPIRED" || status == "FAILED" || status == "ARCHIVED") o.proof = Proof::kPaused;
  o.detail = fmt::format("LinkedIn DMP segment, type {}{}{}", type.empty() ? "not given" : type,
                         source.empty()            ? ""
                         : source == "LIST_UPLOAD" ? ", list upload"
                                                   : ", streamed from " + source,
                         status.empty() ? "" : ", status " + status);
  AddAttr(o, "segment_id", adjson::Str(d, "id"));
  AddAttr(o, "type", type);
  AddAttr(o, "source_platform", source);
  AddAttr(o, "status", status);
  AddAttr(o, "account", adjson::Str(d, "account"));
  if (uint64_t input = adjson::Count(d, "inputCount"); input > 0)
    AddAttr(o, "input_count", std::to_string(input));
  return o;
}

// X Ads API custom audiences (docs.x.com/x-ads-api/audiences; GET
// accounts/:account_id/custom_audiences): audience_type CRM is a list of
// hashed identifiers uploaded through the Audience API; WEB, MOBILE and
// FLEXIBLE are built from the website tag, apps and other audiences.
inline std::string_view XAudienceKind(const std::string& type) {
  if (type == "CRM" || type == "LIST") return "customer_list";
  if (type == "WEB") return "website";
  if (type == "MOBILE") return "app";
  if (type.find("LOOKALIKE") != std::string::npos) return "lookalike";
  return "other";
}

inline Observation XCustomAudience(const Json& d, std::string location) {
  std::string type = adjson::Str(d, "audience_type");
  Observation o = Audience("x", XAudienceKind(type), adjson::Str(d, "name"), std::move(location));
  o.first_date = adjson::Date(d, "created_at");
  o.last_date = adjson::Date(d, "updated_at");
  o.count = adjson::Count(d, "audience_size");
  const int deleted = adjson::Bool(d, "deleted"), targetable = adjson::Bool(d, "targetable");
  if (deleted == 1) o.proof = Proof::kPaused;
  o.detail = fmt::format("X custom audience, type {}{}{}", type.empty() ? "not given" : type,
                         deleted == 1 ? ", deleted" : "", targetable == 0 ? ", not targetable" : "");
  AddAttr(o, "audience_id", adjson::Str(d, "id"));
  AddAttr(o, "type", type);
  AddAttr(o, "partner_source", adjson::Str(d, "partner_source"));
  if (targetable >= 0) o.attrs.emplace_back("targetable", targetable ? "true" : "false");
  return o;
}

// Mailchimp list (an "audience" in Mailchimp's interface): members counted by
// how they were added, segments by name and size. Never a member's data.
struct MailchimpList {
  uint32_t first_line = 0;                   // of the first record naming the list
  std::map<std::string, uint64_t> added_by;  // member `source` -> members in the file
  uint64_t members_seen = 0;
  std::vector<std::string> segments;  // "Customer (2)"
};

inline Observation MailchimpListObservation(const Json& d, std::string location, const MailchimpList& m) {
  Observation o = Audience("mailchimp", "mail_list", adjson::Str(d, "name"), std::move(location));
  const Json* stats = adjson::Field(d, "stats");
  o.first_date = adjson::Date(d, "date_created");
  o.last_date = o.first_date;
  if (stats) {
    o.count = adjson::Count(*stats, "member_count");
    for (const char* k : {"last_sub_date", "last_unsub_date", "campaign_last_sent"})
      adjson::Widen(o.first_date, o.last_date, adjson::Date(*stats, k), {});
  }
  int double_optin = adjson::Bool(d, "double_optin");
  std::string added;
  for (const auto& [source, n] : m.added_by)
    added += fmt::format("{}{} {}", added.empty() ? "" : ", ", source, n);
  o.detail =
      fmt::format("Mailchimp audience (mailing list){}{}", stats ? fmt::format(", {} members", o.count) : "",
                  double_optin < 0 ? ""
                  : double_optin   ? ", double opt-in on"
                                   : ", double opt-in off");
  AddAttr(o, "audience_id", adjson::Str(d, "id"));
  if (double_optin >= 0) o.attrs.emplace_back("double_optin", double_optin ? "true" : "false");
  if (!added.empty())
    o.attrs.emplace_back("members_added_by",
                         fmt::format("{} (of {} member records in the file)", added, m.members_seen));
  if (m.added_by.contains("Import")) o.attrs.emplace_back("source", "members imported from a file");
  std::string segs;
  for (const std::string& s : m.segments) segs += (segs.empty() ? "" : ", ") + s;
  AddAttr(o, "segments", segs);
  return o;
}

// Klaviyo list (JSON:API object; `lists_detailed` adds profile_count).
inline Observation KlaviyoList(const Json& d, std::string location) {
  const Json* a = adjson::Field(d, "attributes");
  const Json& at = a ? *a : d;
  Observation o = Audience("klaviyo", "mail_list", adjson::Str(at, "name"), std::move(location));
  o.first_date = adjson::Date(at, "created");
  o.last_date = adjson::Date(at, "updated");
  o.count = adjson::Count(at, "profile_count");
  std::string opt_in = adjson::Str(at, "opt_in_process");
  o.detail = fmt::format("Klaviyo list{}{}", opt_in.empty() ? "" : ", " + opt_in,
                         at.contains("profile_count") ? fmt::format(", {} profiles", o.count) : "");
  AddAttr(o, "audience_id", adjson::Str(d, "id"));
  AddAttr(o, "opt_in_process", opt_in);
  if (opt_in == "double_opt_in" || opt_in == "single_opt_in")
    o.attrs.emplace_back("double_optin", opt_in == "double_opt_in" ? "true" : "false");
  return o;
}

}  // namespace blindspot::discover::admap
