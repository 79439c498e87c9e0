// The register of processing activities (GDPR Art. 30) as an in-memory model.
//
// Shape: a Register owns everything by value; ids (strings) link activities,
// processors, systems and touchpoints. The core does no I/O: src/io parses a
// file into a Register (recording where each object came from in `loc`) and
// ValidateRegister() checks references and required fields.
// Thread-safety: plain data; const access from many threads is safe.
// Every struct has a defaulted operator== that compares all fields, `loc`
// included; use ClearLocations() to compare registers by content.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"

namespace blindspot {

// Where an object was defined in the register file (1-based; 0 = unknown).
struct Loc {
  uint32_t line = 0;
  uint32_t column = 0;
  bool operator==(const Loc&) const = default;
};

// Art. 6(1)(a)-(f).
enum class LawfulBasis {
  kConsent,
  kContract,
  kLegalObligation,
  kVitalInterests,
  kPublicTask,
  kLegitimateInterests
};
// Art. 9(2)(a)-(j): condition letter 'a'..'j'.
using Art9Condition = char;
// Chapter V safeguards.
enum class TransferSafeguard {
  kAdequacyDecision,
  kDataPrivacyFramework,
  kSccs,
  kBcrs,
  kDerogationArt49,
  kNone
};
enum class VendorRole { kProcessor, kJointController, kIndependentController };
enum class AgreementStatus { kSigned, kPending, kMissing, kNotRequired };
enum class DpiaStatus { kNotAssessed, kNotRequired, kRequired, kInProgress, kCompleted };

struct Contact {
  std::string name;
  std::string email;
  std::string phone;
  std::string address;
  Loc loc;
  bool empty() const { return name.empty() && email.empty() && phone.empty() && address.empty(); }
  bool operator==(const Contact&) const = default;
};

// Art. 30(1)(a): controller, joint controllers, representative, DPO.
struct Organisation {
  std::string name;
  std::string registration;  // e.g. KvK number
  std::string country;       // ISO 3166-1 alpha-2
  Contact contact;
  Contact dpo;             // functionaris gegevensbescherming
  Contact representative;  // Art. 27, only for non-EU controllers
  Loc loc;
  bool operator==(const Organisation&) const = default;
};

struct Purpose {
  std::string description;
  std::optional<LawfulBasis> lawful_basis;
  std::string lia_reference;           // legitimate-interests assessment, required for (f)
  std::string legal_obligation;        // the law, for (c)/(e)
  std::vector<std::string> data_uses;  // fideslang data_use keys, e.g. "marketing.advertising"
  Loc loc;
  bool operator==(const Purpose&) const = default;
};

struct SpecialCategory {
  std::string category;                    // fideslang key or free text, e.g. "user.health_and_medical"
  std::optional<Art9Condition> condition;  // 'a'..'j'
  std::string justification;
  Loc loc;
  bool operator==(const SpecialCategory&) const = default;
};

struct Recipients {
  std::vector<std::string> internal;    // departments/roles
  std::vector<std::string> external;    // third parties that are not processors
  std::vector<std::string> processors;  // Processor ids
  Loc loc;
  bool operator==(const Recipients&) const = default;
};

struct Transfer {
  std::string recipient;  // Processor id or name
  std::string country;    // ISO 3166-1 alpha-2
  std::optional<TransferSafeguard> safeguard;
  std::string reference;  // e.g. "SCC 2021/914 module 2, signed 2024-03-01"
  Loc loc;
  bool operator==(const Transfer&) const = default;
};

struct Retention {
  std::string data_category;  // fideslang key, or "*" for all
  std::string period;         // free text, e.g. "P2Y", "7 years after end of contract"
  std::string justification;
  Loc loc;
  bool operator==(const Retention&) const = default;
};

struct Toms {
  std::vector<std::string> measures;  // keys, e.g. "encryption_at_rest", "access_control", "pseudonymisation"
  std::string description;
  Loc loc;
  bool empty() const { return measures.empty() && description.empty(); }
  bool operator==(const Toms&) const = default;
};

struct Dpia {
  DpiaStatus status = DpiaStatus::kNotAssessed;
  std::string reference;
  std::string date;  // ISO 8601
  Loc loc;
  bool operator==(const Dpia&) const = default;
};

struct ProcessingActivity {
  std::string id;
  std::string name;
  std::string description;
  std::string business_function;  // owning department
  std::string owner;
  std::vector<Purpose> purposes;
  std::vector<std::string> data_subjects;    // e.g. "customer", "employee"
  std::vector<std::string> data_categories;  // fideslang keys
  std::vector<SpecialCategory> special_categories;
  Recipients recipients;
  std::vector<Transfer> transfers;
  std::vector<Retention> retention;
  Toms toms;
  std::vector<std::string> data_sources;
  std::vector<std::string> systems;  // System ids
  std::vector<std::string> access;   // roles with access
  Dpia dpia;
  Loc loc;
  bool operator==(const ProcessingActivity&) const = default;
};

struct AgreementRef {
  AgreementStatus status = AgreementStatus::kMissing;
  std::string date;
  std::string reference;
  Loc loc;
  bool operator==(const AgreementRef&) const = default;
};

struct SubProcessor {
  std::string name;
  std::string country;
  std::string purpose;
  Loc loc;
  bool operator==(const SubProcessor&) const = default;
};

// A vendor: processor (Art. 28), joint controller (Art. 26) or independent controller.
struct Processor {
  std::string id;
  std::string name;
  std::string legal_entity;
  std::string country;
  VendorRole role = VendorRole::kProcessor;
  AgreementRef agreement;  // verwerkersovereenkomst (processor) or Art. 26 arrangement (joint controller)
  std::optional<TransferSafeguard> transfer_safeguard;  // when country is outside the EEA
  std::vector<SubProcessor> sub_processors;
  Loc loc;
  bool operator==(const Processor&) const = default;
};

struct System {
  std::string id;
  std::string name;
  std::string description;
  std::string location;  // where data is stored (hosting, region)
  std::string country;
  std::string processor;  // Processor id that hosts it (may be empty)
  Loc loc;
  bool operator==(const System&) const = default;
};

// Art. 30(2): record kept as processor on behalf of a controller.
struct ProcessorRecord {
  std::string controller;
  Contact controller_contact;
  std::vector<std::string> categories_of_processing;
  std::vector<Transfer> transfers;
  Toms toms;
  Loc loc;
  bool operator==(const ProcessorRecord&) const = default;
};

// Answers to the six touchpoint questions. An unanswered question stays
// empty/nullopt; rule TP-QUESTION reports it.
struct TouchpointAnswers {
  std::optional<bool> in_use;               // 1. Is it in use?
  std::string in_use_since;                 //    since when (ISO 8601)
  std::optional<bool> stored_by_us;         // 2. Do we store the data?
  std::string stored_by_us_where;           //    where (System id or text)
  std::optional<bool> stored_by_vendor;     // 3. Does the platform/vendor store it?
  std::string stored_by_vendor_details;     //    where/how long
  std::string informed_statement;           // 4. How are people informed: privacy statement URL/title
  std::string informed_section;             //    which section
  std::vector<std::string> data_collected;  // 5. What data: fideslang keys
  std::optional<LawfulBasis> lawful_basis;  // 6. Lawful and proportionate
  std::string necessity;
  std::string subsidiarity;
  std::string proportionality;
  std::vector<std::string> security_measures;  // 7. (security) TOM keys or text
  Loc loc;
  bool operator==(const TouchpointAnswers&) const = default;
};

struct Touchpoint {
  std::string id;
  std::string name;
  std::string channel;  // e.g. "web-pixel", "messaging", "custom-audience", "live-chat", "call"
  std::string product;  // knowledge-base id, e.g. "meta-pixel"; links detection to the register
  std::string vendor;   // Processor id
  std::vector<std::string> activities;  // ProcessingActivity ids
  std::string owner;
  TouchpointAnswers answers;
  Loc loc;
  bool operator==(const Touchpoint&) const = default;
};

struct Register {
  std::string source;   // file it was read from (for messages)
  std::string version;  // schema version, "1"
  Organisation organisation;
  std::vector<ProcessingActivity> activities;
  std::vector<Processor> processors;
  std::vector<System> systems;
  std::vector<Touchpoint> touchpoints;
  std::vector<ProcessorRecord> processor_records;

  const ProcessingActivity* FindActivity(std::string_view id) const;
  const Processor* FindProcessor(std::string_view id) const;
  const System* FindSystem(std::string_view id) const;
  const Touchpoint* FindTouchpoint(std::string_view id) const;
  bool operator==(const Register&) const = default;
};

// Stable string forms used by every format ("consent", "legitimate_interests",
// "data_privacy_framework", "joint_controller", ...). Parse* return nullopt
// for unknown text.
std::string_view ToString(LawfulBasis);
std::string_view ToString(TransferSafeguard);
std::string_view ToString(VendorRole);
std::string_view ToString(AgreementStatus);
std::string_view ToString(DpiaStatus);
std::optional<LawfulBasis> ParseLawfulBasis(std::string_view);
std::optional<TransferSafeguard> ParseTransferSafeguard(std::string_view);
std::optional<VendorRole> ParseVendorRole(std::string_view);
std::optional<AgreementStatus> ParseAgreementStatus(std::string_view);
std::optional<DpiaStatus> ParseDpiaStatus(std::string_view);

// Referential integrity and duplicate ids (not completeness: missing Art. 30
// fields are audit findings, not input errors). Returns every problem, each
// with the Loc of the offending object; empty = valid.
Diagnostics ValidateRegister(const Register&);

// Same, with a callback that refines locations: given the Loc of the owning
// object, a field name ("id", "name", "systems", "recipients.processors",
// "processor", "vendor", "activities", "condition") and the list index (0 for
// scalars), it returns the Loc of that value, or {0,0} to keep the owner's.
// Parsers use it to point at the offending list item instead of its object.
using LocRefiner = std::function<Loc(const Loc& owner, std::string_view field, size_t index)>;
Diagnostics ValidateRegister(const Register&, const LocRefiner& refine);

// True for ISO country codes in the EEA (EU + IS, LI, NO).
bool IsEeaCountry(std::string_view iso2);

// True for the Art. 9(2) condition letters 'a'..'j'.
bool IsValidArt9Condition(Art9Condition c);

// The stable strings of each enum in declaration order, and AllowedValues()
// rendering them for messages: "one of consent, contract, legal_obligation, ...".
std::string AllowedValues(const std::vector<std::string_view>& values);
const std::vector<std::string_view>& LawfulBasisValues();
const std::vector<std::string_view>& TransferSafeguardValues();
const std::vector<std::string_view>& VendorRoleValues();
const std::vector<std::string_view>& AgreementStatusValues();
const std::vector<std::string_view>& DpiaStatusValues();

// The English enum value for a Dutch glossary term a user may type instead
// ("toestemming" -> "consent", "gerechtvaardigd belang" -> "legitimate_interests",
// "verwerker" -> "processor"); case, '_' and '-' are ignored. nullopt if unknown.
std::optional<std::string_view> EnumValueForDutchTerm(std::string_view term);

// Sets every Loc in the register to {0,0} (to compare registers by content).
void ClearLocations(Register& reg);

}  // namespace blindspot
