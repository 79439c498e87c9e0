// The touchpoint knowledge base: one entry per vendor product (data/kb/*.yaml,
// compiled into the binary; `--kb DIR` loads another directory instead).
//
// Every factual claim an entry makes (role, consent, transfer, data) carries
// at least one Source. Entries are immutable after loading; a Kb may be shared
// by many threads for reading.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blindspot/error.h"
#include "blindspot/register.h"

namespace blindspot {

struct LocalizedText {
  std::string en;
  std::string nl;
  const std::string& Get(std::string_view lang) const { return lang == "nl" && !nl.empty() ? nl : en; }
};

struct Source {
  std::string
      title;  // e.g. "CJEU C-40/17 Fashion ID, para. 85" or "Meta Business Help: About Advanced Matching"
  std::string url;
  // Optional Dutch title in Dutch citation style, e.g. "HvJ EU C-40/17 Fashion ID, punt 85" or
  // "AVG art. 30 lid 1 (register van verwerkingsactiviteiten)"; empty = use `title`.
  std::string title_nl;
  // The title for a report language: `title_nl` for "nl" when set, else `title`.
  const std::string& Title(std::string_view lang) const {
    return lang == "nl" && !title_nl.empty() ? title_nl : title;
  }
};

// A request signature. A request matches when its host equals `host` or ends
// with "." + host (so "facebook.com" matches "www.facebook.com"), and, when
// set, its path starts with `path_prefix`, and every name in `query_has`
// occurs as a query (or form body) parameter name.
struct RequestSignature {
  std::string host;
  std::string path_prefix;
  std::vector<std::string> query_has;
  std::string description;  // shown as "which signature matched"
};

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
  std::string implies;        // optional kb id this signal proves in use (e.g. "meta-custom-audiences")
  std::vector<Source> sources;
};

struct Signatures {
  std::vector<RequestSignature> requests;
  std::vector<std::string> cookies;         // cookie names; trailing '*' = prefix ("_ga_*")
  std::vector<std::string> links;           // link prefixes without scheme: "wa.me/", "api.whatsapp.com/send"
  std::vector<std::string> html_markers;    // substrings in HTML bodies: "fbq('init'", "wa.me/"
  std::vector<std::string> script_globals;  // JS globals for live scans: "fbq", "_linkedin_partner_id"
};

struct Claim {
  std::string value;  // enum-like text, e.g. "joint_controller", "true"
  LocalizedText reason;
  std::vector<Source> sources;  // at least one
};

struct KbEntry {
  std::string id;        // stable, kebab-case, equals the file name: "meta-pixel"
  std::string name;      // "Meta Pixel"
  std::string category;  // one of KbCategories() (docs/kb.md): advertising-pixel, custom-audience,
                         // conversion-tracking, retargeting, dmp, analytics, session-recording, ab-testing,
                         // performance-monitoring, tag-manager, messaging, live-chat, call-tracking,
                         // video-embed, feedback-widget, review-widget, email-marketing,
                         // marketing-automation, social-widget, web-fonts
  std::string channel;   // one of KbChannels(): web-tracking, advertising, messaging, chat, phone, email,
                         // video, reviews, feedback, social, web-resources
  LocalizedText description;
  struct Vendor {
    std::string legal_entity;        // "Meta Platforms Ireland Ltd."
    std::string country;             // ISO2 of the contracting entity
    std::string processing_country;  // where data ends up, e.g. "US"
    std::string transfer_mechanism;  // "data_privacy_framework", "sccs", "adequacy_decision", "bcrs", "none"
    std::vector<Source> sources;
  } vendor;
  Signatures signatures;
  std::vector<DataSignal> data_signals;
  std::vector<std::string> data_categories;  // fideslang keys typically collected
  std::vector<std::string> data_uses;        // fideslang data_use keys
  Claim role;                                // value: processor | joint_controller | independent_controller
  Claim consent_required;                    // value: "true" | "false"
  std::vector<Source> sources;               // general documentation
};

// The fixed vocabularies of the schema (docs/kb.md): entry categories and
// customer-contact channels, in documentation order. Static data; thread-safe.
const std::vector<std::string_view>& KbCategories();
const std::vector<std::string_view>& KbChannels();

class Kb {
 public:
  // Loads the entries compiled into the binary. They are parsed once per
  // process (about 0.1 s for 60 entries) and copied on later calls.
  static Result<Kb> LoadEmbedded();
  // Loads every *.yaml in `dir` (non-recursive). Errors carry file:line:col.
  static Result<Kb> LoadDirectory(const std::string& dir);
  // Parses one entry; `file` is used for messages and must end in "<id>.yaml".
  static Result<KbEntry> ParseEntry(std::string_view yaml_text, const std::string& file);
  // Builds a Kb from entries already in memory (tests, benchmarks); sorts them
  // by id. Does not validate. Defined in src/kb/kb_from_entries.cc.
  static Kb FromEntries(std::vector<KbEntry> entries);

  // Builds a Kb from (file name, YAML text) pairs, as LoadDirectory does after
  // reading: parses each entry, rejects duplicate ids (kReference) and
  // data_signals[].implies naming no entry (kReference, with line:col).
  // The texts are only read during the call.
  static Result<Kb> FromTexts(const std::vector<std::pair<std::string, std::string_view>>& files);

  const std::vector<KbEntry>& entries() const { return entries_; }
  const KbEntry* Find(std::string_view id) const;  // nullptr if unknown

 private:
  std::vector<KbEntry> entries_;  // sorted by id
};

}  // namespace blindspot
