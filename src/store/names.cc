// The names of roles, record kinds and workflow statuses (as stored and as
// the API shows them).
#include "blindspot/store.h"

namespace blindspot::store {

std::string_view RoleName(Role r) {
  switch (r) {
    case Role::kAdmin:
      return "admin";
    case Role::kPrivacyOfficer:
      return "privacy_officer";
    case Role::kDpo:
      return "dpo";
    case Role::kBusinessOwner:
      return "business_owner";
    case Role::kApprover:
      return "approver";
    case Role::kAuditor:
      return "auditor";
  }
  return "";
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kAll = {Role::kAdmin,         Role::kPrivacyOfficer, Role::kDpo,
                                         Role::kBusinessOwner, Role::kApprover,       Role::kAuditor};
  return kAll;
}

std::optional<Role> ParseRole(std::string_view s) {
  for (Role r : AllRoles()) {
    if (RoleName(r) == s) return r;
  }
  return std::nullopt;
}

std::string_view RecordKindName(RecordKind k) {
  switch (k) {
    case RecordKind::kOrganisation:
      return "organisation";
    case RecordKind::kActivity:
      return "activity";
    case RecordKind::kProcessor:
      return "processor";
    case RecordKind::kSystem:
      return "system";
    case RecordKind::kTouchpoint:
      return "touchpoint";
    case RecordKind::kProcessorRecord:
      return "processor_record";
  }
  return "";
}

std::string_view RecordKindList(RecordKind k) {
  switch (k) {
    case RecordKind::kOrganisation:
      return "organisation";
    case RecordKind::kActivity:
      return "activities";
    case RecordKind::kProcessor:
      return "processors";
    case RecordKind::kSystem:
      return "systems";
    case RecordKind::kTouchpoint:
      return "touchpoints";
    case RecordKind::kProcessorRecord:
      return "processor_records";
  }
  return "";
}

const std::vector<RecordKind>& AllRecordKinds() {
  static const std::vector<RecordKind> kAll = {RecordKind::kOrganisation, RecordKind::kActivity,
                                               RecordKind::kProcessor,    RecordKind::kSystem,
                                               RecordKind::kTouchpoint,   RecordKind::kProcessorRecord};
  return kAll;
}

std::optional<RecordKind> ParseRecordKind(std::string_view s) {
  for (RecordKind k : AllRecordKinds()) {
    if (RecordKindName(k) == s) return k;
  }
  return std::nullopt;
}

std::string_view RecordStatusName(RecordStatus s) {
  switch (s) {
    case RecordStatus::kDraft:
      return "draft";
    case RecordStatus::kInReview:
      return "in_review";
    case RecordStatus::kApproved:
      return "approved";
    case RecordStatus::kPublished:
      return "published";
    case RecordStatus::kObsolete:
      return "obsolete";
  }
  return "";
}

std::optional<RecordStatus> ParseRecordStatus(std::string_view s) {
  for (RecordStatus st : {RecordStatus::kDraft, RecordStatus::kInReview, RecordStatus::kApproved,
                          RecordStatus::kPublished, RecordStatus::kObsolete}) {
    if (RecordStatusName(st) == s) return st;
  }
  return std::nullopt;
}

}  // namespace blindspot::store
