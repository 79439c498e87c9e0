// Filter lists: the Adblock Plus filter syntax, as uBlock Origin reads it,
// classifying network requests against EasyPrivacy and EasyList.
//
//   FilterEngine::Builder b;
//   b.AddList("easyprivacy.txt", text);          // parsed now; text kept
//   std::shared_ptr<const FilterEngine> e = std::move(b).Build();
//   FilterDecision d = e->Match({url, source_url, ResourceType::kScript});
//   if (d.block) ... d.filter->text, d.filter->list, d.filter->line
//
// What is supported (docs/filters.md has the details and the reasons):
//  - Network filters: plain and `*` patterns, `|` and `||` anchors, the `^`
//    separator, regular expressions (/.../, PCRE2 with JIT), `@@` exceptions,
//    the options third-party/3p, first-party/1p/~third-party, strict1p,
//    strict3p, domain= (and from=; `|` lists, `~` exclusions, entity
//    `name.*`), to= and denyallow= (the same for the request host), types and
//    their negations and aliases (script, image, stylesheet/css, object,
//    xmlhttprequest/xhr, subdocument/frame, ping/beacon, media, font,
//    websocket, other, document/doc, popup, all), match-case, important,
//    badfilter, and uBlock Origin's `!#if`/`!#else`/`!#endif` directives.
//  - `redirect=`, `rewrite=abp-resource:`, `empty` and `mp4` on a blocking
//    filter block (the request is blocked; no resource is substituted), as in
//    uBlock Origin.
//  - Everything else is counted and skipped, never fatal: cosmetic (`##`,
//    `#@#`, `#?#`, `#$#`), scriptlet (`##+js`) and HTML filters, and network
//    filters with options this engine does not evaluate (csp=, removeparam=,
//    header=, method=, redirect-rule=, ...), by reason. None of these can
//    block a request in uBlock Origin either, or they can only narrow an
//    exception's effect on something other than blocking, so skipping them
//    does not change a block/allow decision. Malformed lines (a regex that
//    does not compile, an unknown option, a bad domain= value) become warnings
//    with the list name and line number.
//
// Decision (uBlock Origin's order): no blocking filter matches -> allow; a
// blocking filter matches and no exception does -> block; an exception matches
// -> allow, unless an `important` blocking filter matches too -> block, unless
// an `important` exception matches (`@@...$important`) -> allow.
//
// Third party: the registrable domain (eTLD+1, Public Suffix List via libpsl,
// private section included) of the request host differs from that of the
// source host; a request without a source is third-party. `domain=` is
// matched against the source host and its parent domains.
//
// Ownership and threads: a FilterEngine owns copies of the list texts (every
// NetworkFilter::text points into them) and is immutable once built; Match()
// may be called from any number of threads at once. A Builder is not
// thread-safe. The engine does no I/O: callers read lists through an Env.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"

namespace blindspot {

// What a request fetches. The names are those of the filter options;
// ParseResourceType also takes the WebExtension names (main_frame, sub_frame,
// beacon, ...) and the aliases of the options (xhr, css, frame, doc).
enum class ResourceType : uint8_t {
  kOther,
  kScript,
  kImage,
  kStylesheet,
  kObject,
  kXmlHttpRequest,
  kSubdocument,
  kPing,
  kMedia,
  kFont,
  kWebSocket,
  kDocument,  // a top-level page (main frame)
  kPopup,
};
inline constexpr int kResourceTypeCount = 13;

// "script", "xhr", "sub_frame", ... -> the type; nullopt for an unknown name.
// Case-sensitive, as the filter options are.
std::optional<ResourceType> ParseResourceType(std::string_view name);
// The option name: "script", "xmlhttprequest", "subdocument", ...
std::string_view ToString(ResourceType type);
// The names ParseResourceType accepts, for messages ("script, image, ...").
std::string ResourceTypeNames();

// A request to classify. The views must stay valid during Match().
struct FilterRequest {
  std::string_view url;         // absolute URL of the request
  std::string_view source_url;  // the page or frame that made it; empty = none
  ResourceType type = ResourceType::kOther;
};

// A network filter as its list has it. Owned by the engine.
struct NetworkFilter {
  std::string_view text;   // the line, without surrounding white space
  std::string_view list;   // the name of its list, as given to AddList
  uint32_t line = 0;       // 1-based line number in that list
  bool exception = false;  // an @@ filter
  bool important = false;  // $important
};

struct FilterDecision {
  bool block = false;
  // When block: the blocking filter. When not: the exception that allowed
  // the request, or null when no blocking filter matched at all.
  const NetworkFilter* filter = nullptr;
};

// What one list held. Every line is counted once: comments (including blank
// lines and `!#` directives), network filters (kept, badfiltered or
// skipped), cosmetic, scriptlet and HTML filters, lines left out by `!#if`,
// and malformed lines.
struct FilterListStats {
  std::string name;
  std::string licence;  // as given, else the list header's "Licence:"/"License:" line
  uint32_t lines = 0;
  uint32_t comments = 0;
  uint32_t block_filters = 0;      // kept blocking filters (important ones included)
  uint32_t exception_filters = 0;  // kept @@ filters
  uint32_t important_filters = 0;  // of which $important (blocking or exception)
  uint32_t regex_filters = 0;      // of which /regex/
  uint32_t badfilter_filters = 0;  // $badfilter lines
  uint32_t badfiltered = 0;        // filters of this list cancelled by a $badfilter
  uint32_t cosmetic = 0;           // ##, #@#, #?#, #$# (skipped)
  uint32_t scriptlet = 0;          // ##+js(...), #%#// (skipped)
  uint32_t html = 0;               // ##^, $$ (skipped)
  uint32_t excluded_by_if = 0;     // inside a false !#if branch
  uint32_t malformed = 0;          // reported in warnings()
  // Network filters skipped on purpose, by reason ("csp", "removeparam",
  // "redirect-rule", "popup only", ...).
  std::map<std::string, uint32_t> skipped;
};

class FilterEngine {
 public:
  class Builder {
   public:
    Builder();
    ~Builder();
    Builder(const Builder&) = delete;
    Builder& operator=(const Builder&) = delete;

    // Parses `text` (one filter a line; CR LF or LF). `name` names the list in
    // decisions and warnings (a file's base name, say); `licence` is recorded
    // in the stats (empty: taken from the list header).
    void AddList(std::string name, std::string text, std::string licence = {});

    // The engine of the lists added so far (applies $badfilter across all of
    // them, chooses index tokens). The builder is empty afterwards.
    std::shared_ptr<const FilterEngine> Build();

   private:
    struct Rep;
    std::unique_ptr<Rep> rep_;
  };

  ~FilterEngine();
  FilterEngine(const FilterEngine&) = delete;
  FilterEngine& operator=(const FilterEngine&) = delete;

  // Classifies one request. Never fails: a URL that cannot be parsed is
  // matched as it is (only patterns that need no host can match it).
  FilterDecision Match(const FilterRequest& request) const;

  // Per list, in the order added.
  const std::vector<FilterListStats>& lists() const;
  // Malformed lines: warnings (Error::warning set) with file = the list name,
  // the line number, the line, what is wrong and what was expected.
  const Diagnostics& warnings() const;
  // Network filters that take part in matching.
  size_t filter_count() const;
  // Approximate bytes held (list texts, filters, indexes, compiled regexes).
  size_t memory_bytes() const;

 private:
  struct Rep;
  explicit FilterEngine(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

}  // namespace blindspot
