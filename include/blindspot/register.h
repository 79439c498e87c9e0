// The register of processing activities (GDPR Art. 30) as an in-memory model.
//
// Shape: a Register owns everything by value; ids (strings) link activities,
// processors, systems and touchpoints. Nested items that users edit
// (purposes, special categories, recipients, transfers, retention rules) have
// stable ids too: optional in files, derived deterministically when absent
// (AssignDerivedIds: "purpose-1", "transfer-2", ... by position among siblings,
// skipping ids already taken) and written back by every writer, so they
// survive a round trip through YAML, JSON and a database. Touchpoint answers
// are addressed by their fixed question ids (TouchpointQuestionIds()).
//
// The model holds no parse artefacts: readers (src/io) return the Register
// plus a separate SourceMap from field paths to file positions. A field path
// names one value: "organisation.dpo", "activities[newsletter]",
// "activities[newsletter].purposes[purpose-1].lawful_basis",
// "touchpoints[meta-pixel].answers.in_use", "activities[crm].data_categories[2]"
// (items with an id by id, plain string lists by 0-based index).
//
// The core does no I/O. Thread-safety: plain data; const access from many
// threads is safe.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "blindspot/error.h"

namespace blindspot {

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
// Chapter V transfer tools.
enum class TransferSafeguard {
  kAdequacyDecision,
  kDataPrivacyFramework,
  kSccs,
  kBcrs,
  kDerogationArt49,
  kPrivacyShield,  // EU-US Privacy Shield: invalid since 16 July 2020 (C-311/18); kept to be judged
  kNone
};
enum class VendorRole { kProcessor, kJointController, kIndependentController };
enum class AgreementStatus { kSigned, kPending, kMissing, kNotRequired };
enum class DpiaStatus { kNotAssessed, kNotRequired, kRequired, kInProgress, kCompleted };
enum class RecipientKind { kInternal, kExternal, kProcessor };

struct Contact {
  std::string name;
  std::string email;
  std::string phone;
  std::string address;
  bool empty() const { return name.empty() && email.empty() && phone.empty() && address.empty(); }
  bool operator==(const Contact&) const = default;
};

// Art. 30(1)(a): controller, joint controllers, representative, DPO.
struct Organisation {
  std::string name;
  std::string registration;  // e.g. KvK number
  std::string country;       // ISO 3166-1 alpha-2
  Contact contact;
  Contact dpo;  // functionaris gegevensbescherming / Datenschutzbeauftragter
  // `dpo: none` in a file: no DPO is designated because Art. 37 does not apply.
  bool no_dpo = false;
  Contact representative;  // Art. 27, only for non-EU controllers
  // A public authority or body (`public_body: true`): it must designate a DPO
  // (Art. 37(1)(a)) and what it does wrong weighs more (severity in context).
  bool public_body = false;
  bool operator==(const Organisation&) const = default;
};

struct Purpose {
  std::string id;
  std::string description;
  std::optional<LawfulBasis> lawful_basis;
  std::string lia_reference;           // legitimate-interests assessment, required for (f)
  std::string legal_obligation;        // the law, for (c)/(e)
  std::vector<std::string> data_uses;  // fideslang data_use keys, e.g. "marketing.advertising"
  bool operator==(const Purpose&) const = default;
};

struct SpecialCategory {
  std::string id;
  std::string category;                    // fideslang key or free text, e.g. "user.health_and_medical"
  std::optional<Art9Condition> condition;  // 'a'..'j'
  std::string justification;
  bool operator==(const SpecialCategory&) const = default;
};

// Art. 30(1)(d): one category of recipients.
struct Recipient {
  std::string id;
  RecipientKind kind = RecipientKind::kInternal;
  std::string name;       // department/role (internal) or third party (external)
  std::string processor;  // Processor id (kind processor)
  bool operator==(const Recipient&) const = default;
};

// A transfer impact assessment (Schrems II; EDPB Recommendations 01/2020),
// needed with standard contractual clauses.
struct TransferImpactAssessment {
  std::string date;       // ISO 8601
  std::string reference;  // where it is kept
  bool empty() const { return date.empty() && reference.empty(); }
  bool operator==(const TransferImpactAssessment&) const = default;
};

struct Transfer {
  std::string id;
  std::string recipient;  // Processor id or name
  std::string country;    // ISO 3166-1 alpha-2
  std::optional<TransferSafeguard> safeguard;
  std::string reference;  // e.g. "SCC 2021/914 module 2, signed 2024-03-01"
  TransferImpactAssessment tia;
  bool operator==(const Transfer&) const = default;
};

// Art. 10 GDPR: personal data relating to criminal convictions and offences,
// and the provision that allows processing them (in the Netherlands UAVG
// art. 31-33, or a sector law).
struct CriminalData {
  std::string basis;  // e.g. "UAVG art. 33 lid 2 onder a"
  std::string justification;
  bool operator==(const CriminalData&) const = default;
};

// A national identification number (the Dutch BSN) and the law that allows
// using it (UAVG art. 46; Art. 87 GDPR).
struct NationalId {
  std::string law;  // e.g. "Wet op de loonbelasting 1964, art. 28"
  bool operator==(const NationalId&) const = default;
};

struct Retention {
  std::string id;
  std::string data_category;  // fideslang key, or "*" for all
  std::string period;         // free text, e.g. "P2Y", "7 years after end of contract"
  std::string justification;
  bool operator==(const Retention&) const = default;
};

struct Toms {
  std::vector<std::string> measures;  // keys, e.g. "encryption_at_rest", "access_control", "pseudonymisation"
  std::string description;
  bool empty() const { return measures.empty() && description.empty(); }
  bool operator==(const Toms&) const = default;
};

struct Dpia {
  DpiaStatus status = DpiaStatus::kNotAssessed;
  std::string reference;
  std::string date;  // ISO 8601
  bool operator==(const Dpia&) const = default;
};

struct ProcessingActivity {
  std::string id;
  std::string name;
  std::string description;
  std::string business_function;  // owning department
  std::string owner;
  std::vector<Purpose> purposes;
  std::vector<std::string> data_subjects;  // e.g. "customer", "employee"
  // The controller judges the processing large-scale (`large_scale: true`; the
  // factors of WP243 rev.01 section 2.1.3: number of people, volume, duration,
  // geographical extent); raises the severity of some findings.
  bool large_scale = false;
  std::vector<std::string> data_categories;  // fideslang keys
  std::vector<SpecialCategory> special_categories;
  std::optional<CriminalData> criminal_data;  // `criminal_data:` block (Art. 10)
  std::optional<NationalId> national_id;      // `national_id:` block (UAVG art. 46)
  std::vector<Recipient> recipients;
  // `recipients: none` in a file: the register states there are no recipients.
  bool no_recipients = false;
  std::vector<Transfer> transfers;
  std::vector<Retention> retention;
  Toms toms;
  std::vector<std::string> data_sources;
  std::vector<std::string> systems;  // System ids
  std::vector<std::string> access;   // roles with access
  Dpia dpia;
  // What an import could not map to a field (a column, key or phrase it did
  // not understand), kept word for word with where it came from, e.g.
  // "Bewaartermijn: tot einde relatie + 2 jaar". Never read by the rules.
  std::vector<std::string> notes;
  bool operator==(const ProcessingActivity&) const = default;
};

struct AgreementRef {
  AgreementStatus status = AgreementStatus::kMissing;
  std::string date;
  std::string reference;
  std::string expires;  // ISO 8601 date the agreement ends; empty = open-ended (BS008 after that date)
  bool operator==(const AgreementRef&) const = default;
};

// The register's check of a US vendor on the EU-US Data Privacy Framework list
// (dataprivacyframework.gov): whether the organisation was listed, on which
// date the list was checked, and where the check is recorded. BS029 prefers it
// over the knowledge base's claim for the vendor's products.
struct DpfListing {
  std::optional<bool> listed;
  std::string checked;    // ISO 8601 date of the check
  std::string reference;  // e.g. the list entry's URL or a file reference
  bool empty() const { return !listed && checked.empty() && reference.empty(); }
  bool operator==(const DpfListing&) const = default;
};

struct SubProcessor {
  std::string name;
  std::string country;
  std::string purpose;
  bool operator==(const SubProcessor&) const = default;
};

// A vendor: processor (Art. 28), joint controller (Art. 26) or independent controller.
struct Processor {
  std::string id;
  std::string name;
  std::string legal_entity;
  std::string country;
  VendorRole role = VendorRole::kProcessor;
  AgreementRef agreement;  // data processing agreement (processor) or Art. 26 arrangement (joint controller)
  std::optional<TransferSafeguard> transfer_safeguard;  // when country is outside the EEA
  DpfListing dpf_listing;  // US vendors relying on the DPF: the register's check of the list
  std::vector<SubProcessor> sub_processors;
  bool operator==(const Processor&) const = default;
};

struct System {
  std::string id;
  std::string name;
  std::string description;
  std::string location;  // where data is stored (hosting, region)
  std::string country;
  std::string processor;  // Processor id that hosts it (may be empty)
  bool operator==(const System&) const = default;
};

// Art. 30(2): record kept as processor on behalf of a controller.
struct ProcessorRecord {
  std::string controller;
  Contact controller_contact;
  std::vector<std::string> categories_of_processing;
  std::vector<Transfer> transfers;
  Toms toms;
  std::vector<std::string> notes;  // what an import could not map (as ProcessingActivity::notes)
  bool operator==(const ProcessorRecord&) const = default;
};

// Answers to the seven touchpoint questions. An unanswered question stays
// empty/nullopt; rule BS013 reports it. Field names are the stable answer ids
// (TouchpointQuestionIds()).
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
  bool empty() const;
  bool operator==(const TouchpointAnswers&) const = default;
};

// An audience list uploaded to an ad platform (Custom Audiences, Customer
// Match, Matched Audiences): the facts rules BS037-BS039 need. Consent and
// how people are informed are the touchpoint's answers (lawful_basis,
// informed_statement/informed_section).
struct AudienceList {
  std::string subjects;           // audience_list_subjects vocabulary: customers, prospects, ...
  std::optional<bool> exclusion;  // an exclusion (suppression) list
  std::optional<bool> hashed;     // hashed before upload
  std::optional<bool> anonymous;  // the register treats the list as anonymous / not personal data
  std::string consent_reference;  // where consent for the upload is recorded
  bool empty() const;
  bool operator==(const AudienceList&) const = default;
};

// Customer contact off the website (rules BS049-BS053): the facts a privacy
// officer records per channel of a touchpoint, under its `contact:` block.
// Every field is optional; an unanswered one is left empty and judged as
// unknown (no finding on a guess).
struct WhatsAppUse {
  std::string app;                       // whatsapp_app vocabulary: consumer, business_app, business_platform
  std::string provider;                  // Processor id of the Business Platform provider (BSP)
  std::optional<bool> staff_own_phones;  // answered on the staff's own phones
  std::optional<bool> contact_upload;    // the app reads the phone's address book (uploads it to WhatsApp)
  bool empty() const;
  bool operator==(const WhatsAppUse&) const = default;
};
struct CallRecording {
  std::optional<bool> recorded;
  std::optional<bool> announced;          // callers are told before the recording starts
  std::string scope;                      // call_recording_scope vocabulary: all, sample, on_request
  std::optional<int64_t> retention_days;  // how long recordings are kept
  std::string purpose;                    // why calls are recorded (free text)
  bool empty() const;
  bool operator==(const CallRecording&) const = default;
};
struct ChatTranscripts {
  std::optional<bool> stored;
  std::optional<bool> reused_in_crm;  // transcripts copied into the CRM / customer profile
  std::optional<int64_t> retention_days;
  bool empty() const;
  bool operator==(const ChatTranscripts&) const = default;
};
struct EmailTracking {
  std::optional<bool> open_tracking;   // a tracking pixel in the e-mail
  std::optional<bool> click_tracking;  // links rewritten through a tracking host
  std::optional<bool> per_recipient;   // results kept per recipient (not only in aggregate)
  std::optional<bool> consent;         // recipients consented to the tracking
  bool empty() const;
  bool operator==(const EmailTracking&) const = default;
};
struct ContactFacts {
  WhatsAppUse whatsapp;
  CallRecording call_recording;
  ChatTranscripts chat_transcripts;
  EmailTracking email_tracking;
  bool empty() const;
  bool operator==(const ContactFacts&) const = default;
};

// The Dutch exemption for analytics with little or no impact on privacy
// (art. 11.7a(3)(b) Telecommunicatiewet) as the Dutch DPA explains it: the
// register's answers per condition, under a touchpoint's
// `analytics_exemption:` block. BS006/BS022/BS035 respect it only when the kb
// says the product can be configured so and every condition is answered yes;
// BS054 names the missing ones.
struct AnalyticsExemption {
  std::optional<bool> processor_agreement;  // a processor agreement with the analytics vendor
  std::optional<bool> ip_masked;            // IP addresses shortened (last octet) before storage
  std::optional<bool> no_sharing;           // data sharing with the vendor switched off
  std::optional<bool> no_other_services;    // not combined with the vendor's other services (ads, user id)
  std::optional<bool> informed;             // visitors told in the privacy statement
  std::optional<bool> cookieless;  // optional: configured without cookies (the evidence may contradict)
  bool empty() const;
  bool operator==(const AnalyticsExemption&) const = default;
};
// The conditions of AnalyticsExemption in order ("processor_agreement", ...,
// "informed"; not the optional cookieless): the analytics_exemption_condition
// vocabulary.
const std::vector<std::string_view>& AnalyticsExemptionConditions();
// The answer for one condition of AnalyticsExemptionConditions().
std::optional<bool> AnalyticsExemptionAnswer(const AnalyticsExemption& a, std::string_view condition);

// What an audit saw of a touchpoint nobody had registered (issue 11): the
// server makes each blind spot of an audit a draft touchpoint carrying this,
// so the business owner it is assigned to confirms or corrects what was seen
// instead of filling in a blank form. Facts only, language-neutral (pages
// render the kinds and proofs in the reader's language); never personal data
// (the audit's evidence is masked before it gets here).
struct SeenItem {
  std::string kind;    // an EvidenceKind name ("request", "cookie", ...) or, for a record, its
                       // ObservationKind name ("mail-sent", "audience", "dkim-key", ...)
  std::string what;    // the URL (masked), cookie name, or the record's subject (DNS name, tag, audience)
  std::string detail;  // a record's detail (what the file says of it)
  std::string proof;   // a record's proof (record_proof vocabulary: sending-now, in-use, ...)
  std::string first_date, last_date;  // YYYY-MM-DD, when the evidence says
  int64_t count = 0;                  // messages, matches (0: not counted)
  std::string source;                 // the evidence file's name and the place in it ("zone.txt, line 12")
  bool operator==(const SeenItem&) const = default;
};
struct Discovered {
  std::string audit;  // the audit run that found it (the server's id; "" when made from a file)
  std::string date;   // YYYY-MM-DD the audit ran
  // The strongest proof: "seen" (on the website: a capture showed it) or a
  // record_proof value ("sending-now", "in-use", "configured", "paused",
  // "account-exists").
  std::string proof;
  std::string first_date, last_date;  // the period the evidence speaks of
  std::vector<SeenItem> seen;         // at most DetectedTouchpoint::kMaxEvidence
  // Answers the evidence suggests (in use since when, what data it carried):
  // shown pre-filled to the owner, never counted as answered (BS013 reads
  // `answers` only) until the owner saves them as answers.
  TouchpointAnswers suggested;
  bool empty() const;
  bool operator==(const Discovered&) const = default;
};

struct Touchpoint {
  std::string id;
  std::string name;
  std::string channel;  // a value of the channel vocabulary (data/vocab.yaml), e.g. "advertising", "chat"
  std::string product;  // knowledge-base id, e.g. "meta-pixel"; links detection to the register
  std::string vendor;   // Processor id
  std::vector<std::string> activities;  // ProcessingActivity ids
  std::string owner;
  TouchpointAnswers answers;
  AudienceList audience_list;  // list uploads only; empty otherwise
  ContactFacts contact;  // customer contact off the website (WhatsApp, calls, chat, e-mail); empty otherwise
  AnalyticsExemption analytics_exemption;  // the Dutch analytics exemption's conditions; empty otherwise
  Discovered discovered;                   // made from an audit's blind spot (server drafts); empty otherwise
  bool operator==(const Touchpoint&) const = default;
};

struct Register {
  std::string source;   // file it was read from, as given (reports show its base name)
  std::string version;  // schema version, "1"
  Organisation organisation;
  std::vector<ProcessingActivity> activities;
  std::vector<Processor> processors;
  std::vector<System> systems;
  std::vector<Touchpoint> touchpoints;
  std::vector<ProcessorRecord> processor_records;

  // Linear search; for many lookups build a RegisterIndex.
  const ProcessingActivity* FindActivity(std::string_view id) const;
  const Processor* FindProcessor(std::string_view id) const;
  const System* FindSystem(std::string_view id) const;
  const Touchpoint* FindTouchpoint(std::string_view id) const;
  // True when nothing was read (no register given).
  bool empty() const;
  bool operator==(const Register&) const = default;
};

// Hash lookups by id over a register that outlives it and does not change.
class RegisterIndex {
 public:
  explicit RegisterIndex(const Register& reg);
  const ProcessingActivity* FindActivity(std::string_view id) const;
  const Processor* FindProcessor(std::string_view id) const;
  const System* FindSystem(std::string_view id) const;
  const Touchpoint* FindTouchpoint(std::string_view id) const;

 private:
  template <class T>
  using Map = std::unordered_map<std::string_view, const T*>;
  Map<ProcessingActivity> activities_;
  Map<Processor> processors_;
  Map<System> systems_;
  Map<Touchpoint> touchpoints_;
};

// ---- field paths and source maps --------------------------------------------

// A position in a file (1-based; 0 = unknown).
struct Loc {
  uint32_t line = 0;
  uint32_t column = 0;
  bool operator==(const Loc&) const = default;
};

// Builds field paths: Path::Item("activities", "crm") = "activities[crm]",
// Path::Item("activities[crm]", "purposes", "purpose-1") =
// "activities[crm].purposes[purpose-1]", Path::Field("organisation", "dpo") =
// "organisation.dpo", Path::Index("activities[crm]", "data_categories", 2) =
// "activities[crm].data_categories[2]".
namespace path {
std::string Item(std::string_view list, std::string_view id);
std::string Item(std::string_view parent, std::string_view list, std::string_view id);
std::string Field(std::string_view parent, std::string_view field);
std::string Index(std::string_view parent, std::string_view list, size_t index);
// The enclosing path ("a[x].b[y].c" -> "a[x].b[y]" -> "a[x]" -> ""): drops the last
// ".field" or "[id]" (brackets are matched, so ids may contain dots).
std::string_view Parent(std::string_view path);
}  // namespace path

// Where each field path of a register was written in its file. Readers fill
// it (Add for every path, then Finish once); reports use it to show
// file:line:col next to a finding's path. A register of 20,000 activities has
// over a million paths, so the map keeps no path text: it keeps a 64-bit hash
// of each path with its position, appended in reading order and sorted once
// (radix sort) by Finish. Two paths with the same hash (odds about 1 in 10^7
// for a million paths) would only show one of them at the other's line.
// Thread-safe for reading once finished.
class SourceMap {
 public:
  std::string file;  // as given by the user
  // Records `path` at `loc`; the first position recorded for a path wins.
  void Add(std::string_view path, Loc loc);
  // Makes room for about `paths` paths (readers call it with an estimate).
  void Reserve(size_t paths) { entries_.reserve(paths); }
  // Sorts what was added; Find needs it (before it, Find scans).
  void Finish();
  // The position of `path`, else of its nearest enclosing path, else {0,0}.
  Loc Find(std::string_view path) const;
  bool empty() const { return entries_.empty(); }
  // Positions recorded; after Finish, distinct paths.
  size_t size() const { return entries_.size(); }

 private:
  // Paths are kept as 64-bit hashes: a register of 100,000 paths has a chance
  // of about 1 in 3.7 billion that two paths share one (the later then reports
  // the earlier's position).
  struct Entry {
    uint64_t hash;
    Loc loc;
  };
  const Entry* Lookup(uint64_t hash) const;
  std::vector<Entry> entries_;
  bool sorted_ = true;
};

// ---- vocabularies -----------------------------------------------------------

// Stable string forms used by every format ("consent", "legitimate_interests",
// "data_privacy_framework", "joint_controller", ...). They are the values of
// the vocabularies of the same name in data/vocab.yaml, whose labels per
// language are in data/i18n/<lang>.yaml (terms.<vocabulary>.<value>).
// Parse* return nullopt for unknown text.
std::string_view ToString(LawfulBasis);
std::string_view ToString(TransferSafeguard);
std::string_view ToString(VendorRole);
std::string_view ToString(AgreementStatus);
std::string_view ToString(DpiaStatus);
std::string_view ToString(RecipientKind);
std::optional<LawfulBasis> ParseLawfulBasis(std::string_view);
std::optional<TransferSafeguard> ParseTransferSafeguard(std::string_view);
std::optional<VendorRole> ParseVendorRole(std::string_view);
std::optional<AgreementStatus> ParseAgreementStatus(std::string_view);
std::optional<DpiaStatus> ParseDpiaStatus(std::string_view);
std::optional<RecipientKind> ParseRecipientKind(std::string_view);

// The stable strings of each enum in declaration order, and AllowedValues()
// rendering them for messages: "one of consent, contract, legal_obligation, ...".
std::string AllowedValues(const std::vector<std::string_view>& values);
const std::vector<std::string_view>& LawfulBasisValues();
const std::vector<std::string_view>& TransferSafeguardValues();
const std::vector<std::string_view>& VendorRoleValues();
const std::vector<std::string_view>& AgreementStatusValues();
const std::vector<std::string_view>& DpiaStatusValues();
const std::vector<std::string_view>& RecipientKindValues();
// The answer ids of TouchpointAnswers, in question order.
const std::vector<std::string_view>& TouchpointQuestionIds();

// ---- validation ---------------------------------------------------------------

// Gives every nested item without an id its derived id ("purpose-1",
// "special-category-1", "recipient-1", "transfer-1", "retention-1"; processor
// record transfers likewise), skipping ids its siblings already use.
// Idempotent; explicit ids are kept as they are.
void AssignDerivedIds(Register& reg);
// The rule behind AssignDerivedIds for one list: `ids` (explicit ids, "" where
// absent) with every empty one replaced by "<prefix>-<position>" (1-based),
// skipping ids taken by siblings. Readers use it to know an item's path
// before they read it.
std::vector<std::string> DeriveIds(const std::vector<std::string>& ids, std::string_view prefix);

// Referential integrity and duplicate ids (not completeness: missing Art. 30
// fields are audit findings, not input errors). Returns every problem; each
// Error carries the field path of the offending value in Error::path (and
// where.file = reg.source); a reader turns paths into line:col with its
// SourceMap. Empty = valid.
Diagnostics ValidateRegister(const Register& reg);

// Knowledge-base references: every touchpoint whose `product` is not one of
// `kb_ids` (the ids of the knowledge base in use; the core knows no kb) gets
// a warning (ErrorKind::kReference, Error::warning set) naming the touchpoint
// and the product, with the field path "touchpoints[<id>].product", what was
// expected and "did you mean ...?" with the closest ids (DidYouMeanOneOf:
// case ignored, up to three). The audit matches detections to touchpoints by
// this id, so a mistyped one would leave the touchpoint unmatched and the
// detected product a blind spot. A touchpoint without a product is not
// reported (the audit's rule BS016 covers it). Touchpoints are the only
// place of a register that names kb entries.
Diagnostics CheckProductIds(const Register& reg, const std::vector<std::string_view>& kb_ids);

// True for ISO country codes in the EEA (EU + IS, LI, NO); "EL" (the EU's code for Greece) too.
bool IsEeaCountry(std::string_view iso2);
// True for the officially assigned ISO 3166-1 alpha-2 codes (upper case).
bool IsIsoCountryCode(std::string_view code);
// A hint for a near miss: "UK" -> "GB", "EL" -> "GR" (nullopt if none).
std::optional<std::string_view> CountryCodeHint(std::string_view code);
// A real calendar date written as YYYY, YYYY-MM or YYYY-MM-DD (optionally
// followed by 'T' and a time): 2024-02-29 yes, 2023-02-29 and 2024-13-01 no.
bool IsCalendarDate(std::string_view text);

// True for the Art. 9(2) condition letters 'a'..'j'.
bool IsValidArt9Condition(Art9Condition c);

// The English enum value for a Dutch or German term a user may type instead
// ("toestemming" / "Einwilligung" -> "consent", "gerechtvaardigd belang" ->
// "legitimate_interests", "verwerker" / "Auftragsverarbeiter" -> "processor");
// case, '_' and '-' are ignored. nullopt if unknown.
std::optional<std::string_view> EnumValueForTerm(std::string_view term);

}  // namespace blindspot
