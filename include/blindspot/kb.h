// The touchpoint knowledge base: one entry per vendor product (data/kb/*.yaml,
// compiled into the binary; `--kb DIR` loads another directory instead).
//
// Every factual claim an entry makes (role, consent, transfer, data) carries
// at least one source, cited by id from the shared catalogue
// (data/sources.yaml; TextCatalog::sources()). Texts are keyed by language
// (English required). Claims are typed: the vendor's role is a VendorRole,
// "consent required" a bool, the transfer mechanism a TransferSafeguard.
// Entries are immutable after loading; a Kb may be shared by many threads for
// reading.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blindspot/discovery.h"
#include "blindspot/error.h"
#include "blindspot/register.h"
#include "blindspot/text.h"

namespace blindspot {

class TextCatalog;

// A request signature. A request matches when its host equals `host` or ends
// with "." + host (so "facebook.com" matches "www.facebook.com"), and, when
// set, its path starts with `path_prefix` or matches the pattern `path`
// ('*' stands for any run of characters, "/*/fbevents.js"), and every name in
// `query_has` occurs as a query (or form body) parameter name.
struct RequestSignature {
  std::string host;  // "*": any host (a tracker served from the site's own CNAME); then a path
                     // and query_has are required, and host-specific signatures win
  std::string path_prefix;
  std::string path;  // a whole-path pattern with '*'; at most one of path_prefix and path
  std::vector<std::string> query_has;
  // The signature as shown in evidence: "facebook.com/tr", "google.com/ads?label",
  // "connect.facebook.net/*/fbevents.js".
  std::string Pattern() const;
  // Whether `request_path` (without query) satisfies path_prefix / path.
  bool PathMatches(std::string_view request_path) const;
  // Literal characters of path_prefix / path: how specific the path part is.
  size_t PathWeight() const;
};

// Whether `text` matches `pattern` as a whole, where '*' in the pattern stands
// for any run of characters (also none). No other character is special.
bool GlobMatch(std::string_view pattern, std::string_view text);

enum class InferenceConfidence { kHigh, kMedium, kLow };
std::string_view ToString(InferenceConfidence c);  // "high", "medium", "low"

// A parameter that carries personal data or a meaningful signal.
// `param` is an exact query/body parameter name (e.g. "ud[em]", "em") or a
// prefix when it ends with '*' (e.g. "ud[*").
struct DataSignal {
  std::string id;  // e.g. "advanced-matching", "remarketing-audiences"
  std::string param;
  std::string host;           // optional: only on requests matching this host (suffix rule as above)
  std::string path_prefix;    // optional
  std::string data_category;  // fideslang key, e.g. "user.contact.email"
  LocalizedText meaning;      // what it tells an auditor
  std::string implies;        // optional kb id this signal points to (e.g. "meta-custom-audiences")
  // How sure `implies` is (required with it): kHigh when the signal is itself
  // that product's data flow (Google Ads' `em` *is* enhanced conversions), so
  // the implied product counts as seen; kMedium or kLow when it only suggests
  // the product (hashed e-mail sent by the Meta Pixel is no proof that customer
  // lists are uploaded), so the implied product is an inference, reported as
  // such with this confidence.
  InferenceConfidence implies_confidence = InferenceConfidence::kHigh;
  std::vector<Source> sources;
};

// A record signature: how discovery evidence (discovery.h) names this
// product. An observation of `kind` matches when its key
//  - kVerificationToken: starts with `value` (case-insensitive), e.g.
//    "facebook-domain-verification=";
//  - kSpfInclude, kDkimKey, kMx, kCname, kDmarcReportTo, kMailSent: is the
//    host `value` or a name under it ("mcsv.net" matches "dkim2.mcsv.net");
//  - kTagConfigured, kAudience, kAccountAccess, kDeclaredCookie: equals
//    `value` ("awct", "meta:customer_list").
// Every record signature cites at least one source (the vendor's page that
// tells customers to publish the record, or the platform's API reference).
struct RecordSignature {
  ObservationKind kind = ObservationKind::kVerificationToken;
  std::string value;
  std::vector<Source> sources;
};

struct Signatures {
  std::vector<RequestSignature> requests;
  // Cookie names; a trailing '*' makes a prefix ("_ga_*"). `cookies` count when
  // sent to or set by one of the entry's request hosts ("fr" on facebook.com);
  // `first_party_cookies` are set by the product's script on the site's own
  // domain ("_fbp", "_ga") and count there too. Either counts only for an
  // entry detected by a request, link or marker in the same capture.
  std::vector<std::string> cookies;
  std::vector<std::string> first_party_cookies;
  std::vector<std::string> links;           // link prefixes without scheme: "wa.me/", "api.whatsapp.com/send"
  std::vector<std::string> html_markers;    // substrings in HTML bodies: "fbq('init'", "wa.me/"
  std::vector<std::string> script_globals;  // JS globals for live scans: "fbq", "_linkedin_partner_id"
  std::vector<RecordSignature> records;     // discovery evidence: DNS, DMARC, tag manager, audiences
};

// A claim with its reasoning and sources (at least one).
template <class T>
struct Claim {
  T value{};
  LocalizedText reason;
  std::vector<Source> sources;
};

struct KbEntry {
  std::string id;        // stable, kebab-case, equals the file name: "meta-pixel"
  std::string name;      // "Meta Pixel"
  std::string category;  // a value of the kb_category vocabulary (data/vocab.yaml)
  std::string channel;   // a value of the channel vocabulary, shared with register touchpoints
  LocalizedText description;
  struct Vendor {
    std::string legal_entity;                                         // "Meta Platforms Ireland Ltd."
    std::string country;                                              // ISO2 of the contracting entity
    std::string processing_country;                                   // where data ends up, e.g. "US"
    TransferSafeguard transfer_mechanism = TransferSafeguard::kNone;  // what the vendor relies on
    std::vector<Source> sources;
  } vendor;
  Signatures signatures;
  std::vector<DataSignal> data_signals;
  std::vector<std::string> data_categories;  // fideslang keys typically collected
  std::vector<std::string> data_uses;        // fideslang data_use keys
  Claim<VendorRole> role;
  Claim<bool> consent_required;
  // The Dutch analytics exemption (art. 11.7a(3)(b) Telecommunicatiewet): true
  // when the product can be configured so that its cookies have little or no
  // impact on privacy as the Dutch DPA explains it; the register's
  // analytics_exemption answers say whether it is (BS054). `contradicted_by`:
  // signatures of this entry (as in EvidenceItem::signature) whose evidence
  // shows a configuration outside the exemption (advertising features).
  struct AnalyticsExemptionClaim : Claim<bool> {
    std::vector<std::string> contradicted_by;
  } analytics_exemption;
  std::vector<Source> sources;  // general documentation
  // URLs that must be attributed to this entry (checked by a unit test over
  // the whole kb): the entry's own test of its request signatures.
  std::vector<std::string> examples;
};

class Kb {
 public:
  // The entries compiled into the binary, checked against the built-in text
  // catalogue. Parsed once per process and copied on later calls.
  static Result<Kb> LoadEmbedded();
  // Builds a Kb from (file name, YAML text) pairs: parses each entry, rejects
  // duplicate ids (kReference) and data_signals[].implies naming no entry
  // (kReference, with line:col). Source ids, channels and categories are
  // checked against `catalog`. Returns the first problem (each with
  // file:line:col); the texts are only read during the call.
  static Result<Kb> FromTexts(const std::vector<std::pair<std::string, std::string_view>>& files,
                              const TextCatalog& catalog);
  // Parses one entry; `file` is used for messages and must end in "<id>.yaml".
  static Result<KbEntry> ParseEntry(std::string_view yaml_text, const std::string& file,
                                    const TextCatalog& catalog);
  // Builds a Kb from entries already in memory (tests, benchmarks); sorts them
  // by id. Does not validate.
  static Kb FromEntries(std::vector<KbEntry> entries);

  const std::vector<KbEntry>& entries() const { return entries_; }
  const KbEntry* Find(std::string_view id) const;  // nullptr if unknown

 private:
  std::vector<KbEntry> entries_;  // sorted by id
};

}  // namespace blindspot
