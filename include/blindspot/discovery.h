// Discovery beyond the website (issue 11): evidence that is not a capture of
// requests. DNS zones (OctoDNS, Terraform, zone files, dig output), DMARC
// aggregate reports, tag-manager container exports, ad-platform audience and
// access exports and consent-manager declarations are read into
// Observations: one fact each, with what it proves, how fresh it is and where
// in the file it is. The detector (detect.h, Detector::AddDiscovery) matches
// observations against the kb's record signatures (KbEntry::signatures.records)
// and turns them into touchpoints with evidence of kind kRecord; observations
// that match nothing are counted per source as unattributed.
//
// Readers are pure: bytes in, a DiscoveryReport out (no I/O; the application
// layer reads the file through its Env). Each reader is one file in
// src/discover/ plus one line in src/discover/registry.cc; it is recognised by
// content (RecogniseDiscovery), never by the file name alone.
//
// Readers never copy personal data into observations: audience members,
// e-mail addresses of people, message contents stay out; names of lists,
// tags, DNS records and platforms, counts and dates go in.
//
// Errors: a file that is not the format its reader recognised, or is cut off,
// is an Error (kParse, file with line:col or byte offset, what was expected).
// What a reader recovered from (a record it skipped, a value it could not
// resolve, bytes after a compressed stream) is a warning in
// DiscoveryReport::warnings (Error with warning = true and a location).
// Everything here is immutable after construction and thread-safe to share.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blindspot/error.h"

namespace blindspot {

// What kind of fact an observation is.
enum class ObservationKind {
  kVerificationToken,  // a TXT domain-verification token ("facebook-domain-verification=..."):
                       // an account was set up with the platform, perhaps long ago
  kSpfInclude,         // an SPF mechanism naming a platform (include:, a:, mx:, redirect=):
                       // the platform is allowed to send mail as the domain
  kDkimKey,            // a DKIM selector delegated to a platform (CNAME) or a key it issued:
                       // the platform can sign mail as the domain
  kMx,                 // an MX host: the platform receives the domain's mail
  kCname,              // a CNAME (or alias) of a name to a platform: a hosted service, link
                       // tracking of mailings, a tracker served from the organisation's own name
  kDmarcReportTo,      // a DMARC rua/ruf address: a platform receives reports about the domain's mail
  kMailSent,           // a DMARC report row: mail was sent as the domain by a source (DKIM d=,
                       // SPF domain, sending host), with a message count and dates
  kTagConfigured,      // a tag in a tag-manager container (its type, template or code)
  kAudience,           // an audience, customer list or segment on an advertising or mail platform
  kAccountAccess,      // a party (agency, person, business) with access to an ad account or business
  kDeclaredCookie,     // a consent manager's declaration of a cookie (name, provider, category)
};
std::string_view ToString(ObservationKind);  // "verification-token", "spf-include", "dkim-key", "mx",
                                             // "cname", "dmarc-report-to", "mail-sent",
                                             // "tag-configured", "audience", "account-access",
                                             // "declared-cookie"
std::optional<ObservationKind> ParseObservationKind(std::string_view);  // the strings above
const std::vector<ObservationKind>& AllObservationKinds();

// What an observation proves by itself, strongest first. The detector keeps
// the strongest proof per touchpoint; kSendingNow and kInUse count as seen,
// kConfigured as an inference of medium confidence, kPaused and
// kAccountExists of low confidence; kDeclared proves nothing about use.
enum class Proof {
  kSendingNow,     // the platform sent mail as the domain in the report's period (DMARC)
  kInUse,          // live configuration the service needs to work (MX, a hosted portal's CNAME),
                   // or the platform's own record of a list uploaded to it (an audience)
  kConfigured,     // set up, not seen working: an SPF include, a DKIM key, a tag that is not paused
  kPaused,         // set up but switched off or ended: a paused tag, an expired audience
  kAccountExists,  // a verification token: an account was created at some time
  kDeclared,       // declared by the organisation (a consent manager's cookie list)
};
std::string_view ToString(Proof);  // "sending-now", "in-use", "configured", "paused",
                                   // "account-exists", "declared"

struct Observation {
  ObservationKind kind = ObservationKind::kVerificationToken;
  // What the kb is matched on (see RecordSignature in kb.h), lower case for
  // host names: the TXT value for a token, the host for SPF/DKIM/MX/CNAME/DMARC
  // ("servers.mcsv.net", "dkim2.mcsv.net"), the sending domain for kMailSent,
  // the tag type for a tag ("awct", "cvt_123_45"), "<platform>:<audience kind>"
  // for an audience ("meta:customer_list"), "<platform>:<role>" for access.
  std::string key;
  // The name the observation is about, as shown to a person: the DNS name
  // ("k2._domainkey.example.org"), the tag's name, the audience's name.
  std::string subject;
  // The value as shown (a DNS record's value, a tag's type and trigger, an
  // audience's data source); never personal data. May be empty.
  std::string detail;
  Proof proof = Proof::kConfigured;
  // The dates the evidence gives for this fact (YYYY-MM-DD): a DMARC report's
  // period, an audience's creation and last update, a container's export.
  // Empty when the file has none (a DNS zone).
  std::string first_date;
  std::string last_date;
  uint64_t count = 0;    // messages (DMARC), approximate audience size; 0 when unknown
  std::string location;  // where in the file: "line 12", "tag[3]", "record 17", "row 4"
  // URLs the observation points at (a custom-HTML tag's scripts and pixels, an
  // image tag's URL), matched by the kb's request signatures.
  std::vector<std::string> urls;
  // Small facts worth showing or reasoning on, by name: ("selector", "k2"),
  // ("tenant", "justiceuk"), ("consent", "not set"), ("source", "customer file").
  std::vector<std::pair<std::string, std::string>> attrs;
  std::string_view Attr(std::string_view name) const;  // empty when absent
};

// What one file gave.
struct DiscoveryReport {
  std::string reader;      // the registry name of the reader ("dns-octodns", "dmarc")
  std::string subject;     // what the file is about: the zone, the DMARC policy domain,
                           // the container's public id, the ad account
  std::string first_date;  // the period the file speaks about (YYYY-MM-DD), when it says
  std::string last_date;
  std::vector<Observation> observations;
  std::vector<Error> warnings;  // warning = true, with file and line:col or byte offset
};

struct DiscoveryOptions {
  // The organisation's domain for files that do not name it (an OctoDNS zone
  // file named otherwise); empty: the reader tells it from the file or says so.
  std::string domain;
};

// One reader: one file in src/discover/ plus one line in registry.cc.
struct DiscoveryReader {
  std::string_view name;         // "dns-octodns"
  std::string_view description;  // one line for --help and docs ("OctoDNS zone (YAML)")
  // How sure the reader is that `bytes` are its format, from the content
  // (the file name only breaks ties): 0 = not this format, 100 = certain.
  int (*recognise)(std::string_view bytes, std::string_view file_name) = nullptr;
  Result<DiscoveryReport> (*read)(std::string_view bytes, const std::string& file_name,
                                  const DiscoveryOptions& options) = nullptr;
};

// Every reader, in the order they are tried.
const std::vector<DiscoveryReader>& AllDiscoveryReaders();
const DiscoveryReader* FindDiscoveryReader(std::string_view name);
// The reader with the highest recognise() score above 0, else nullptr.
const DiscoveryReader* RecogniseDiscovery(std::string_view bytes, std::string_view file_name);

}  // namespace blindspot
