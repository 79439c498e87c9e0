// Knowledge-base loader: the strict schema of data/kb/<id>.yaml (docs/kb.md),
// read through the shared schema walker (src/input/yaml_walker.h).
#include "blindspot/kb.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "blindspot/catalog.h"
#include "blindspot/embedded.h"
#include "blindspot/fideslang.h"
#include "blindspot/suggest.h"
#include "input/yaml_walker.h"

namespace blindspot {

namespace yaml = input::yaml;

std::string RequestSignature::Pattern() const {
  std::string s = host + path_prefix + path;
  for (size_t i = 0; i < query_has.size(); ++i) s += (i == 0 ? "?" : "&") + query_has[i];
  return s;
}

bool RequestSignature::PathMatches(std::string_view request_path) const {
  if (!path_prefix.empty()) return request_path.starts_with(path_prefix);
  if (!path.empty()) return GlobMatch(path, request_path);
  return true;
}

size_t RequestSignature::PathWeight() const {
  size_t n = path_prefix.size();
  for (char c : path) n += c != '*';
  return n;
}

std::string_view ToString(InferenceConfidence c) {
  switch (c) {
    case InferenceConfidence::kHigh:
      return "high";
    case InferenceConfidence::kMedium:
      return "medium";
    case InferenceConfidence::kLow:
      return "low";
  }
  return "high";
}

bool GlobMatch(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point (the last '*'): linear for the
  // patterns kb entries use.
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

namespace {

using input::Walker;

struct ImpliesRef {
  std::string id;
  Loc loc;
};

class EntryParser {
 public:
  EntryParser(std::string_view text, const std::string& file, const TextCatalog& cat)
      : w_(text, file), cat_(cat) {}

  std::optional<KbEntry> Parse(const std::string& expected_id) {
    auto root = w_.Load("a knowledge-base entry (YAML, docs/kb.md)");
    if (!root) return std::nullopt;
    if (!root->IsDefined() || root->IsNull()) {
      w_.Err(ErrorKind::kSchema, {1, 1}, "empty kb entry", "a YAML mapping with id, name, ...",
             "see docs/kb.md for an example entry");
      return std::nullopt;
    }
    KbEntry e;
    w_.Map(*root,
           {"id", "name", "category", "channel", "description", "vendor", "signatures", "data_signals",
            "data_categories", "data_uses", "role", "consent_required", "analytics_exemption", "sources",
            "examples"},
           "the entry", {1, 1},
           [&](std::string_view k, const yaml::Node& v, Loc kl) {
             if (k == "id") {
               e.id = w_.NonEmpty(v, "id", kl);
               if (!e.id.empty() && e.id != expected_id)
                 w_.Err(ErrorKind::kSchema, w_.LocOf(v, kl), "id '" + e.id + "' does not match the file name",
                        "id: " + expected_id, "the id must equal the file name without .yaml");
               for (char c : e.id) {
                 if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                   w_.Err(ErrorKind::kSchema, w_.LocOf(v, kl), "id '" + e.id + "' is not kebab-case",
                          "lower-case letters, digits and '-'", "rename the file and the id");
                   break;
                 }
               }
             } else if (k == "name") {
               e.name = w_.NonEmpty(v, "name", kl);
             } else if (k == "category") {
               e.category = Vocab(v, "category", kl, "kb_category");
             } else if (k == "channel") {
               e.channel = Vocab(v, "channel", kl, "channel");
             } else if (k == "description") {
               e.description = Text(v, "description", kl);
             } else if (k == "vendor") {
               ParseVendor(v, kl, e.vendor);
             } else if (k == "signatures") {
               ParseSignatures(v, kl, e.signatures);
             } else if (k == "data_signals") {
               ParseSignals(v, kl, e.data_signals);
             } else if (k == "data_categories") {
               e.data_categories = Keys(v, "data_categories", kl, /*uses=*/false);
             } else if (k == "data_uses") {
               e.data_uses = Keys(v, "data_uses", kl, /*uses=*/true);
             } else if (k == "role") {
               ParseClaim(
                   v, "role", kl,
                   [&](const yaml::Node& val, Loc l) {
                     if (auto r = w_.Enum(val, "role.value", l, &ParseVendorRole, VendorRoleValues()))
                       e.role.value = *r;
                   },
                   e.role.reason, e.role.sources);
             } else if (k == "consent_required") {
               ParseClaim(
                   v, "consent_required", kl,
                   [&](const yaml::Node& val, Loc l) {
                     if (auto b = w_.Bool(val, "consent_required.value", l, /*optional=*/false))
                       e.consent_required.value = *b;
                   },
                   e.consent_required.reason, e.consent_required.sources);
             } else if (k == "analytics_exemption") {
               auto& x = e.analytics_exemption;
               w_.Map(v, {"value", "reason", "sources", "contradicted_by"}, "'analytics_exemption'", kl,
                      [&](std::string_view ak, const yaml::Node& av, Loc al) {
                        if (ak == "value") {
                          if (auto b = w_.Bool(av, "analytics_exemption.value", al, /*optional=*/false))
                            x.value = *b;
                        } else if (ak == "reason") {
                          x.reason = Text(av, "analytics_exemption.reason", al);
                        } else if (ak == "sources") {
                          x.sources = Sources(av, "analytics_exemption.sources", al, 1);
                        } else {
                          x.contradicted_by = w_.List(av, "analytics_exemption.contradicted_by", al);
                        }
                      },
                      {"value", "reason", "sources"});
             } else if (k == "sources") {
               e.sources = Sources(v, "sources", kl, 1);
             } else if (k == "examples") {
               std::vector<Loc> locs;
               e.examples = w_.List(v, "examples", kl, &locs);
               for (size_t i = 0; i < e.examples.size(); ++i)
                 if (!e.examples[i].starts_with("https://") && !e.examples[i].starts_with("http://"))
                   w_.Err(ErrorKind::kSchema, i < locs.size() ? locs[i] : kl,
                          "examples item '" + e.examples[i] + "' is not an http(s) URL",
                          "a full request URL, e.g. https://connect.facebook.net/en_US/fbevents.js",
                          "examples are URLs this entry must be recognised in");
             }
           },
           {"id", "name", "category", "channel", "description", "vendor", "signatures", "data_categories",
            "data_uses", "role", "consent_required"});
    if (!w_.ok()) return std::nullopt;
    return e;
  }

  Walker& walker() { return w_; }
  std::vector<ImpliesRef> implies;

 private:
  std::string Vocab(const yaml::Node& v, std::string_view what, const Loc& kl, std::string_view vocab) {
    const auto& values = cat_.Vocabulary(vocab);
    std::vector<std::string_view> allowed(values.begin(), values.end());
    auto s = w_.OneOf(v, what, kl, allowed);
    if (!s && w_.ok())
      w_.Err(ErrorKind::kSchema, w_.LocOf(v, kl), fmt::format("'{}' is empty", what), AllowedValues(allowed));
    return s.value_or("");
  }

  LocalizedText Text(const yaml::Node& n, const std::string& what, const Loc& kl) {
    LocalizedText t;
    auto codes = cat_.LanguageCodes();
    bool en = false;
    w_.Map(n, codes, "'" + what + "'", kl, [&](std::string_view lang, const yaml::Node& v, Loc l) {
      t.Set(lang, w_.NonEmpty(v, what + "." + std::string(lang), l));
      en = en || lang == kBaseLanguage;
    });
    if (n.IsMap() && !en)
      w_.Err(ErrorKind::kSchema, w_.LocOf(n, kl), fmt::format("'{}' has no English text", what),
             "an 'en:' entry (English is the reference language)", "add `en: \"...\"`");
    return t;
  }

  std::vector<Source> Sources(const yaml::Node& n, const std::string& what, const Loc& kl, size_t min) {
    std::vector<Loc> locs;
    std::vector<std::string> ids = w_.List(n, what, kl, &locs);
    std::vector<Source> out;
    for (size_t i = 0; i < ids.size(); ++i) {
      const Source* s = cat_.FindSource(ids[i]);
      if (!s) {
        std::vector<std::string_view> known;
        for (const Source& x : cat_.sources()) known.push_back(x.id);
        w_.Err(ErrorKind::kReference, i < locs.size() ? locs[i] : kl,
               fmt::format("{}: unknown source id '{}'", what, ids[i]),
               "the id of a source in data/sources.yaml or data/sources/*.yaml",
               DidYouMean(ids[i], known).empty()
                   ? "add the source to data/sources/<vendor group>.yaml (docs/sources.md)"
                   : DidYouMean(ids[i], known));
        continue;
      }
      if (std::none_of(out.begin(), out.end(), [&](const Source& x) { return x.id == s->id; }))
        out.push_back(*s);
    }
    if (out.size() < min && w_.ok())
      w_.Err(ErrorKind::kSchema, w_.LocOf(n, kl), fmt::format("{} needs at least {} source(s)", what, min),
             "a list of source ids (data/sources.yaml)",
             "every claim must cite a law, ruling or vendor document");
    return out;
  }

  template <class ValueFn>
  void ParseClaim(const yaml::Node& n, const std::string& what, const Loc& kl, ValueFn&& value,
                  LocalizedText& reason, std::vector<Source>& sources) {
    w_.Map(n, {"value", "reason", "sources"}, "'" + what + "'", kl,
           [&](std::string_view k, const yaml::Node& v, Loc l) {
             if (k == "value")
               value(v, l);
             else if (k == "reason")
               reason = Text(v, what + ".reason", l);
             else
               sources = Sources(v, what + ".sources", l, 1);
           },
           {"value", "reason", "sources"});
  }

  void CheckHost(const yaml::Node& node, const std::string& host, const std::string& what, const Loc& kl) {
    bool bad = host.empty() || host.find("://") != std::string::npos || host.find('/') != std::string::npos ||
               host.front() == '.' || host.back() == '.';
    for (char c : host)
      if ((c >= 'A' && c <= 'Z') || c == ' ' || c == '*' || c == '?') bad = true;
    if (bad)
      w_.Err(ErrorKind::kSchema, w_.LocOf(node, kl),
             fmt::format("{} '{}' is not a bare host name", what, host),
             "a lower-case host without scheme, path or wildcard, e.g. connect.facebook.net",
             "a host also matches its subdomains; put the path in path_prefix");
  }

  void CheckPath(const yaml::Node& node, const std::string& p, const std::string& what, const Loc& kl) {
    if (!p.empty() && p.front() != '/')
      w_.Err(ErrorKind::kSchema, w_.LocOf(node, kl), fmt::format("{} '{}' does not start with '/'", what, p),
             "a path such as /tr", "write the path without the host");
  }

  void ParseVendor(const yaml::Node& n, const Loc& kl, KbEntry::Vendor& v) {
    w_.Map(n, {"legal_entity", "country", "processing_country", "transfer_mechanism", "sources"}, "'vendor'",
           kl,
           [&](std::string_view k, const yaml::Node& x, Loc l) {
             if (k == "legal_entity") {
               v.legal_entity = w_.NonEmpty(x, "vendor.legal_entity", l);
             } else if (k == "country") {
               v.country = w_.Country(x, "vendor.country", l);
             } else if (k == "processing_country") {
               v.processing_country = w_.Country(x, "vendor.processing_country", l);
             } else if (k == "transfer_mechanism") {
               if (auto m = w_.Enum(x, "vendor.transfer_mechanism", l, &ParseTransferSafeguard,
                                    TransferSafeguardValues()))
                 v.transfer_mechanism = *m;
             } else if (k == "sources") {
               v.sources = Sources(x, "vendor.sources", l, 1);
             }
           },
           {"legal_entity", "country", "processing_country", "transfer_mechanism", "sources"});
  }

  void ParseSignatures(const yaml::Node& n, const Loc& kl, Signatures& s) {
    w_.Map(
        n,
        {"requests", "cookies", "first_party_cookies", "links", "html_markers", "script_globals", "records"},
        "'signatures'", kl, [&](std::string_view k, const yaml::Node& v, Loc l) {
          if (k == "records") {
            ParseRecordSignatures(v, l, s);
          } else if (k == "requests") {
            if (!v.IsSequence()) {
              w_.Err(ErrorKind::kSchema, w_.LocOf(v, l), "signatures.requests must be a list",
                     "a list of {host, path_prefix or path, query_has}", "write `- host: ...` per signature");
              return;
            }
            for (size_t i = 0; i < v.size(); ++i) {
              RequestSignature r;
              std::string what = fmt::format("signatures.requests[{}]", i);
              Loc il = w_.LocOf(v[i], l);
              w_.Map(v[i], {"host", "path_prefix", "path", "query_has"}, what, il,
                     [&](std::string_view rk, const yaml::Node& rv, Loc rl) {
                       if (rk == "host") {
                         r.host = w_.NonEmpty(rv, what + ".host", rl);
                         if (r.host != "*") CheckHost(rv, r.host, what + ".host", rl);
                       } else if (rk == "path_prefix") {
                         r.path_prefix = w_.Str(rv, what + ".path_prefix", rl);
                         CheckPath(rv, r.path_prefix, what + ".path_prefix", rl);
                       } else if (rk == "path") {
                         r.path = w_.Str(rv, what + ".path", rl);
                         CheckPath(rv, r.path, what + ".path", rl);
                       } else {
                         r.query_has = w_.List(rv, what + ".query_has", rl);
                       }
                     },
                     {"host"});
              if (r.host == "*" && (r.query_has.empty() || (r.path.empty() && r.path_prefix.empty())))
                w_.Err(ErrorKind::kSchema, il, what + ": host \"*\" needs a path and query_has",
                       "host \"*\" (any host) with path or path_prefix and at least one query_has name",
                       "an any-host signature must be specific on its own: a path pattern and the "
                       "parameter names the product always sends");
              if (!r.path.empty() && !r.path_prefix.empty())
                w_.Err(ErrorKind::kSchema, il, what + " has both path_prefix and path",
                       "one of path_prefix (a prefix) and path (a whole-path pattern with *)",
                       "a pattern ending in * is a prefix too: path: \"/tr*\"");
              s.requests.push_back(std::move(r));
            }
          } else if (k == "cookies") {
            s.cookies = w_.List(v, "signatures.cookies", l);
          } else if (k == "first_party_cookies") {
            s.first_party_cookies = w_.List(v, "signatures.first_party_cookies", l);
          } else if (k == "links") {
            std::vector<Loc> locs;
            s.links = w_.List(v, "signatures.links", l, &locs);
            for (size_t i = 0; i < s.links.size(); ++i)
              if (s.links[i].find("://") != std::string::npos)
                w_.Err(ErrorKind::kSchema, i < locs.size() ? locs[i] : l,
                       "signatures.links item '" + s.links[i] + "' has a scheme",
                       "a link prefix without scheme, e.g. wa.me/", "drop the https:// part");
          } else if (k == "html_markers") {
            s.html_markers = w_.List(v, "signatures.html_markers", l);
          } else if (k == "script_globals") {
            s.script_globals = w_.List(v, "signatures.script_globals", l);
          }
        });
    if (w_.ok() && s.requests.empty() && s.links.empty() && s.html_markers.empty() && s.records.empty())
      w_.Err(ErrorKind::kSchema, w_.LocOf(n, kl), "signatures has no way to detect this entry",
             "at least one of requests, links, html_markers, records (cookies only add evidence)",
             "add the host the product loads from or sends to");
  }

  // signatures.records: [{kind, value, sources}] (kb.h RecordSignature).
  void ParseRecordSignatures(const yaml::Node& v, const Loc& l, Signatures& s) {
    if (!v.IsSequence()) {
      w_.Err(ErrorKind::kSchema, w_.LocOf(v, l), "signatures.records must be a list",
             "a list of {kind, value, sources}", "write `- kind: spf-include` per record signature");
      return;
    }
    std::vector<std::string_view> kinds;
    for (ObservationKind k : AllObservationKinds()) kinds.push_back(ToString(k));
    for (size_t i = 0; i < v.size(); ++i) {
      RecordSignature r;
      std::string what = fmt::format("signatures.records[{}]", i);
      Loc il = w_.LocOf(v[i], l);
      w_.Map(v[i], {"kind", "value", "sources"}, what, il,
             [&](std::string_view rk, const yaml::Node& rv, Loc rl) {
               if (rk == "kind") {
                 std::string k = w_.NonEmpty(rv, what + ".kind", rl);
                 if (auto parsed = ParseObservationKind(k)) {
                   r.kind = *parsed;
                 } else if (!k.empty()) {
                   w_.Err(ErrorKind::kSchema, w_.LocOf(rv, rl),
                          fmt::format("{}.kind '{}' is not an observation kind", what, k),
                          "one of " + JoinNames(kinds), DidYouMean(k, kinds));
                 }
               } else if (rk == "value") {
                 r.value = w_.NonEmpty(rv, what + ".value", rl);
               } else {
                 r.sources = Sources(rv, what + ".sources", rl, 1);
               }
             },
             {"kind", "value", "sources"});
      bool host_like = r.kind == ObservationKind::kSpfInclude || r.kind == ObservationKind::kDkimKey ||
                       r.kind == ObservationKind::kMx || r.kind == ObservationKind::kCname ||
                       r.kind == ObservationKind::kDmarcReportTo || r.kind == ObservationKind::kMailSent;
      if (host_like && !r.value.empty()) {
        bool lower =
            std::none_of(r.value.begin(), r.value.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
        if (!lower || r.value.find('.') == std::string::npos || r.value.front() == '.' ||
            r.value.find_first_of("/:@ ") != std::string::npos)
          w_.Err(ErrorKind::kSchema, il, fmt::format("{}.value '{}' is not a host name", what, r.value),
                 "a lower-case host name the record points at, e.g. servers.mcsv.net",
                 "a record signature of this kind matches that host and the names under it");
      }
      s.records.push_back(std::move(r));
    }
  }

  static std::string JoinNames(const std::vector<std::string_view>& names) {
    std::string out;
    for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
  }

  std::string Category(const yaml::Node& v, const std::string& what, const Loc& kl) {
    std::string s = w_.NonEmpty(v, what, kl);
    if (!s.empty() && !IsKnownDataCategory(s)) {
      std::string near = SuggestDataCategory(s);
      w_.Err(ErrorKind::kSchema, w_.LocOf(v, kl),
             fmt::format("{} '{}' is not a fideslang data category", what, s),
             "a fideslang key such as user.contact.email or user.device.cookie_id",
             near.empty() ? std::string("see the fideslang taxonomy (docs/kb.md)")
                          : "did you mean '" + near + "'?");
    }
    return s;
  }

  std::vector<std::string> Keys(const yaml::Node& v, const std::string& what, const Loc& kl, bool uses) {
    std::vector<Loc> locs;
    std::vector<std::string> keys = w_.List(v, what, kl, &locs);
    if (keys.empty() && w_.ok())
      w_.Err(ErrorKind::kSchema, w_.LocOf(v, kl), what + " must be a non-empty list",
             uses ? "a list of fideslang data_use keys" : "a list of fideslang keys",
             uses ? "e.g. - marketing.advertising.third_party.targeted" : "e.g. - user.device.cookie_id");
    for (size_t i = 0; i < keys.size(); ++i) {
      bool known = uses ? IsKnownDataUse(keys[i]) : IsKnownDataCategory(keys[i]);
      if (known) continue;
      std::string near = uses ? SuggestDataUse(keys[i]) : SuggestDataCategory(keys[i]);
      w_.Err(ErrorKind::kSchema, i < locs.size() ? locs[i] : kl,
             fmt::format("{} item '{}' is not a fideslang {}", what, keys[i],
                         uses ? "data use" : "data category"),
             uses ? "a fideslang data_use key such as analytics.reporting or marketing.advertising.profiling"
                  : "a fideslang key such as user.contact.email",
             near.empty() ? std::string("see the fideslang taxonomy (docs/kb.md)")
                          : "did you mean '" + near + "'?");
    }
    return keys;
  }

  void ParseSignals(const yaml::Node& n, const Loc& kl, std::vector<DataSignal>& out) {
    if (!n.IsSequence()) {
      w_.Err(ErrorKind::kSchema, w_.LocOf(n, kl), "data_signals must be a list",
             "a list of {id, param, data_category, meaning, ...}", "write `- id: ...` per signal");
      return;
    }
    for (size_t i = 0; i < n.size(); ++i) {
      DataSignal d;
      std::string what = fmt::format("data_signals[{}]", i);
      Loc il = w_.LocOf(n[i], kl);
      bool has_confidence = false;
      w_.Map(n[i],
             {"id", "param", "host", "path_prefix", "data_category", "meaning", "implies",
              "implies_confidence", "sources"},
             what, il,
             [&](std::string_view k, const yaml::Node& v, Loc l) {
               if (k == "id") {
                 d.id = w_.NonEmpty(v, what + ".id", l);
               } else if (k == "param") {
                 d.param = w_.NonEmpty(v, what + ".param", l);
               } else if (k == "host") {
                 d.host = w_.NonEmpty(v, what + ".host", l);
                 CheckHost(v, d.host, what + ".host", l);
               } else if (k == "path_prefix") {
                 d.path_prefix = w_.Str(v, what + ".path_prefix", l);
                 CheckPath(v, d.path_prefix, what + ".path_prefix", l);
               } else if (k == "data_category") {
                 d.data_category = Category(v, what + ".data_category", l);
               } else if (k == "meaning") {
                 d.meaning = Text(v, what + ".meaning", l);
               } else if (k == "implies") {
                 d.implies = w_.NonEmpty(v, what + ".implies", l);
                 implies.push_back({d.implies, w_.LocOf(v, l)});
               } else if (k == "implies_confidence") {
                 has_confidence = true;
                 auto c = w_.OneOf(v, what + ".implies_confidence", l, {"high", "medium", "low"});
                 if (c == "medium") d.implies_confidence = InferenceConfidence::kMedium;
                 if (c == "low") d.implies_confidence = InferenceConfidence::kLow;
               } else if (k == "sources") {
                 d.sources = Sources(v, what + ".sources", l, 1);
               }
             },
             {"id", "param", "data_category", "meaning"});
      if (w_.ok() && !d.implies.empty() && !has_confidence)
        w_.Err(ErrorKind::kSchema, il, fmt::format("{} has 'implies' but no 'implies_confidence'", what),
               "implies_confidence: high, medium or low",
               "high when the signal is itself the implied product's data flow, medium or low when it only "
               "suggests it");
      if (w_.ok() && d.implies.empty() && has_confidence)
        w_.Err(ErrorKind::kSchema, il, fmt::format("{} has 'implies_confidence' without 'implies'", what),
               "implies: <kb id> with implies_confidence", "remove implies_confidence");
      out.push_back(std::move(d));
    }
  }

  Walker w_;
  const TextCatalog& cat_;
};

std::string StemOf(const std::string& file) {
  size_t slash = file.find_last_of('/');
  std::string name = slash == std::string::npos ? file : file.substr(slash + 1);
  if (name.size() > 5 && name.ends_with(".yaml")) return name.substr(0, name.size() - 5);
  return name;
}

Result<KbEntry> ParseOne(std::string_view text, const std::string& file, const TextCatalog& cat,
                         std::vector<ImpliesRef>* implies) {
  if (!file.ends_with(".yaml")) {
    SourceLocation where;
    where.file = file;
    return MakeError(ErrorKind::kUsage, "kb file name does not end in .yaml", where, "<id>.yaml",
                     "name the file after the entry id");
  }
  EntryParser p(text, file, cat);
  std::optional<KbEntry> e;
  try {
    e = p.Parse(StemOf(file));
  } catch (const std::exception& ex) {
    // yaml-cpp may throw from node access on malformed input; never let it escape.
    SourceLocation where;
    where.file = file;
    return MakeError(ErrorKind::kInternal, std::string("kb entry reader failed: ") + ex.what(), where);
  }
  Diagnostics errors = p.walker().TakeErrors();
  if (!errors.empty()) {
    // A misspelt key also makes a required key "missing": report the
    // misspelling (with its did-you-mean) first.
    auto it = std::find_if(errors.begin(), errors.end(),
                           [](const Error& e) { return !e.message.starts_with("missing required key"); });
    return std::unexpected(std::move(it != errors.end() ? *it : errors.front()));
  }
  if (implies) *implies = std::move(p.implies);
  return std::move(*e);
}

}  // namespace

Result<Kb> Kb::FromTexts(const std::vector<std::pair<std::string, std::string_view>>& files,
                         const TextCatalog& catalog) {
  struct Parsed {
    KbEntry entry;
    std::string file;
    std::vector<ImpliesRef> implies;
    std::string_view text;
  };
  std::vector<Parsed> parsed;
  parsed.reserve(files.size());
  for (const auto& [file, text] : files) {
    Parsed p;
    auto e = ParseOne(text, file, catalog, &p.implies);
    if (!e) return std::unexpected(e.error());
    p.entry = std::move(*e);
    p.file = file;
    p.text = text;
    parsed.push_back(std::move(p));
  }
  std::sort(parsed.begin(), parsed.end(),
            [](const Parsed& a, const Parsed& b) { return a.entry.id < b.entry.id; });
  for (size_t i = 1; i < parsed.size(); ++i) {
    if (parsed[i].entry.id == parsed[i - 1].entry.id) {
      SourceLocation where;
      where.file = parsed[i].file;
      return MakeError(ErrorKind::kReference, "duplicate kb id '" + parsed[i].entry.id + "'", where,
                       "one file per id", "remove one of " + parsed[i - 1].file + " and " + parsed[i].file);
    }
  }
  std::set<std::string, std::less<>> ids;
  for (const auto& p : parsed) ids.insert(p.entry.id);
  for (const auto& p : parsed) {
    for (const auto& im : p.implies) {
      if (ids.count(im.id)) continue;
      input::Walker w(p.text, p.file);
      Error err;
      err.kind = ErrorKind::kReference;
      err.message = "data signal implies unknown kb entry '" + im.id + "'";
      err.where.file = p.file;
      err.where.line = im.loc.line;
      err.where.column = im.loc.column;
      err.source_line = w.Line(im.loc.line);
      err.expected = "the id of another kb entry";
      err.hint = "add data/kb/" + im.id + ".yaml or fix the id";
      return std::unexpected(err);
    }
  }
  Kb kb;
  kb.entries_.reserve(parsed.size());
  for (auto& p : parsed) kb.entries_.push_back(std::move(p.entry));
  return kb;
}

Result<KbEntry> Kb::ParseEntry(std::string_view yaml_text, const std::string& file,
                               const TextCatalog& catalog) {
  return ParseOne(yaml_text, file, catalog, nullptr);
}

namespace {

Result<Kb> ParseEmbedded() {
  const TextCatalog& cat = TextCatalog::Builtin();
  if (!cat.load_errors().empty()) {
    Error e = cat.load_errors().front();
    e.kind = ErrorKind::kInternal;
    return std::unexpected(e);
  }
  std::vector<std::pair<std::string, std::string_view>> files;
  for (std::size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i) {
    std::string_view path = kDataFiles[i].path;
    if (path.starts_with("kb/") && path.ends_with(".yaml") && path.find('/', 3) == std::string_view::npos)
      files.emplace_back(std::string(path), kDataFiles[i].data);
  }
  if (files.empty())
    return MakeError(ErrorKind::kInternal, "no kb entries compiled into the binary", {}, "data/kb/*.yaml",
                     "rebuild; the kb files are embedded at build time");
  return Kb::FromTexts(files, cat);
}

}  // namespace

Result<Kb> Kb::LoadEmbedded() {
  // The embedded files never change while the program runs: parse them once
  // (thread-safe static initialisation) and hand out copies.
  static const Result<Kb> parsed = ParseEmbedded();
  return parsed;
}

Kb Kb::FromEntries(std::vector<KbEntry> entries) {
  Kb kb;
  kb.entries_ = std::move(entries);
  std::sort(kb.entries_.begin(), kb.entries_.end(),
            [](const KbEntry& a, const KbEntry& b) { return a.id < b.id; });
  return kb;
}

const KbEntry* Kb::Find(std::string_view id) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), id,
                             [](const KbEntry& e, std::string_view v) { return e.id < v; });
  if (it == entries_.end() || it->id != id) return nullptr;
  return &*it;
}

}  // namespace blindspot
