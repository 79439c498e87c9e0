// FilterEngine: lists -> compiled filters and indexes (Builder), and the
// classification of one request (Match).
//
// Indexes. Every kept filter sits in exactly one place:
//  - the host table, keyed by the hash of a host name, for `||host^`-like
//    filters (PatternKind::kHostname) and `||host/...` ones (kHostAnchored):
//    a request looks up each suffix of its host at a label ("a.b.com",
//    "b.com", "com");
//  - the token table, keyed by one token of the pattern that every matching
//    URL holds as a whole token (the rarest such token over all filters, see
//    ChooseToken): a request looks up each token of its URL, cut once;
//  - the generic list, checked for every request: filters without a certain
//    token (`*$domain=...`, most regexes).
// A bucket holds its blocking filters then its exceptions, so one table
// serves both passes. `important` filters are also listed apart, for the
// pass that runs only when an exception matched.
//
// Per request nothing is allocated once a thread has warmed up: the URL is
// lower-cased and tokenized into thread-local buffers, host hashes go to
// fixed arrays, the public-suffix lookup goes through a small thread-local
// cache.
#include <libpsl.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "blindspot/filter.h"
#include "filter/filter_internal.h"

namespace blindspot {

using namespace filter_internal;

namespace {

// ---- resource type names --------------------------------------------------------

struct TypeAlias {
  std::string_view name;
  ResourceType type;
};
constexpr TypeAlias kTypeNames[] = {
    {"other", ResourceType::kOther},
    {"script", ResourceType::kScript},
    {"image", ResourceType::kImage},
    {"stylesheet", ResourceType::kStylesheet},
    {"object", ResourceType::kObject},
    {"xmlhttprequest", ResourceType::kXmlHttpRequest},
    {"subdocument", ResourceType::kSubdocument},
    {"ping", ResourceType::kPing},
    {"media", ResourceType::kMedia},
    {"font", ResourceType::kFont},
    {"websocket", ResourceType::kWebSocket},
    {"document", ResourceType::kDocument},
    {"popup", ResourceType::kPopup},
    // aliases: filter options, then WebExtension names
    {"xhr", ResourceType::kXmlHttpRequest},
    {"css", ResourceType::kStylesheet},
    {"frame", ResourceType::kSubdocument},
    {"doc", ResourceType::kDocument},
    {"beacon", ResourceType::kPing},
    {"object-subrequest", ResourceType::kObject},
    {"main_frame", ResourceType::kDocument},
    {"sub_frame", ResourceType::kSubdocument},
    {"object_subrequest", ResourceType::kObject},
    {"imageset", ResourceType::kImage},
    {"fetch", ResourceType::kXmlHttpRequest},
    {"csp_report", ResourceType::kOther},
};

// ---- the compiled form ----------------------------------------------------------

enum CompiledFlags : uint8_t {
  kException = 1,
  kImportant = 2,
  kMatchCase = 4,
  kCancelled = 8,  // removed by a $badfilter
};

// One filter as Match() checks it (36 bytes).
struct Compiled {
  uint32_t pattern = 0;      // offset in Rep::arena
  uint16_t pattern_len = 0;  // bytes (patterns longer than 1024 are skipped)
  uint16_t aux = 0;          // kHostAnchored: host bytes; kPlain: offset of the index token
  uint16_t types = 0;        // TypeBit mask
  uint8_t party = 3;         // bit 0 first party, bit 1 third party
  uint8_t anchors = 0;
  PatternKind kind = PatternKind::kAny;
  uint8_t flags = 0;
  uint32_t domains = 0;  // domain=: 1 + index in Rep::domain_sets, 0 = none
  uint32_t to = 0;       // to=, denyallow=: the same for the request host
  uint32_t regex = 0;    // 1 + index in Rep::regexes, 0 = none
  uint32_t info = 0;     // index in Rep::filters
  uint8_t strict = 0;    // bit 0 strict1p, bit 1 strict3p
};

// A compiled domain= list: sorted hashes in Rep::domain_hashes.
struct DomainSet {
  uint32_t include_begin = 0, include_count = 0;
  uint32_t exclude_begin = 0, exclude_count = 0;
  bool entities = false;  // holds `name.*` entries (hashed with kEntitySalt)
};

struct Bucket {
  uint64_t key = 0;  // 0: empty slot
  uint32_t begin = 0;
  uint16_t blocks = 0;      // ids[begin, begin + blocks): blocking filters
  uint16_t exceptions = 0;  // then the exceptions
};

inline uint64_t Mix(uint64_t k) {
  k ^= k >> 29;
  k *= 0xbf58476d1ce4e5b9ULL;
  k ^= k >> 32;
  return k;
}

// Open addressing, linear probing, power-of-two size, at most half full.
class BucketTable {
 public:
  void Build(std::vector<Bucket> buckets) {
    size_t cap = 16;
    while (cap < buckets.size() * 2) cap <<= 1;
    slots_.assign(cap, Bucket{});
    mask_ = cap - 1;
    // A Bloom filter in front (two bits a key, 16 bits a key: about 1 %
    // false positives), small enough to stay in cache while the table is
    // not: most lookups are misses.
    size_t bits = 4096;
    while (bits < buckets.size() * 16) bits <<= 1;
    bloom_.assign(bits / 64, 0);
    bloom_mask_ = bits - 1;
    for (const Bucket& b : buckets) {
      uint64_t m = Mix(b.key);
      size_t i = m & mask_;
      while (slots_[i].key != 0) i = (i + 1) & mask_;
      slots_[i] = b;
      uint64_t b1 = (m >> 20) & bloom_mask_, b2 = (m >> 42) & bloom_mask_;
      bloom_[b1 / 64] |= uint64_t{1} << (b1 % 64);
      bloom_[b2 / 64] |= uint64_t{1} << (b2 % 64);
    }
  }
  const Bucket* Find(uint64_t key) const {
    if (slots_.empty()) return nullptr;
    uint64_t m = Mix(key);
    uint64_t b1 = (m >> 20) & bloom_mask_, b2 = (m >> 42) & bloom_mask_;
    if (!((bloom_[b1 / 64] >> (b1 % 64)) & (bloom_[b2 / 64] >> (b2 % 64)) & 1)) return nullptr;
    size_t i = m & mask_;
    for (;;) {
      const Bucket& b = slots_[i];
      if (b.key == key) return &b;
      if (b.key == 0) return nullptr;
      i = (i + 1) & mask_;
    }
  }
  size_t bytes() const { return slots_.capacity() * sizeof(Bucket) + bloom_.capacity() * 8; }

 private:
  std::vector<Bucket> slots_;
  size_t mask_ = 0;
  std::vector<uint64_t> bloom_;
  uint64_t bloom_mask_ = 0;
};

struct Regex {
  pcre2_code* code = nullptr;
};

// ---- public suffixes ------------------------------------------------------------

const psl_ctx_t* Psl() {
  static const psl_ctx_t* ctx = [] {
    const psl_ctx_t* c = psl_latest(nullptr);
    return c ? c : psl_builtin();
  }();
  return ctx;
}

bool LooksLikeIp(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[' || host.find(':') != std::string_view::npos) return true;
  return std::all_of(host.begin(), host.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

// The registrable domain (eTLD+1) of a lower-case host, as a suffix of it;
// the host itself when it is an IP address, a public suffix or unknown to
// the list. Cached per thread (pages ask for the same few hosts).
std::string_view RegistrableDomain(std::string_view host, uint64_t host_hash) {
  if (host.empty() || LooksLikeIp(host)) return host;
  struct Cache {
    uint64_t key[512] = {};
    uint16_t len[512] = {};
    std::string buf;
  };
  thread_local Cache cache;
  size_t slot = Mix(host_hash) & 511;
  if (cache.key[slot] == host_hash && cache.len[slot] <= host.size())
    return host.substr(host.size() - cache.len[slot]);
  cache.buf.assign(host);
  const psl_ctx_t* psl = Psl();
  const char* reg = psl ? psl_registrable_domain(psl, cache.buf.c_str()) : nullptr;
  size_t len = reg ? cache.buf.size() - static_cast<size_t>(reg - cache.buf.c_str()) : host.size();
  if (len > 0xffff) return host;
  cache.key[slot] = host_hash;
  cache.len[slot] = static_cast<uint16_t>(len);
  return host.substr(host.size() - len);
}

// ---- URLs -------------------------------------------------------------------------

// Host of an absolute URL: [begin, end) in `url` (which may be the
// lower-cased copy: same offsets). Empty when there is none.
void FindHost(std::string_view url, size_t* begin, size_t* end) {
  *begin = *end = 0;
  const size_t n = url.size();
  size_t i = 0;
  while (i < n &&
         (IsTokenChar(static_cast<unsigned char>(url[i])) || url[i] == '+' || url[i] == '-' || url[i] == '.'))
    ++i;
  if (i == 0 || i + 3 > n || url[i] != ':' || url[i + 1] != '/' || url[i + 2] != '/') return;
  size_t a = i + 3, j = a, at = std::string_view::npos, colon = std::string_view::npos;
  for (; j < n; ++j) {
    char c = url[j];
    if (c == '/' || c == '?' || c == '#') break;
    if (c == '@') {
      at = j;
      colon = std::string_view::npos;  // a colon before the @ was the password's
    } else if (c == ':' && colon == std::string_view::npos) {
      colon = j;
    }
  }
  size_t h = at == std::string_view::npos ? a : at + 1;
  size_t e = j;
  if (h < e && url[h] == '[') {
    size_t close = url.substr(0, e).find(']', h);
    if (close == std::string_view::npos) return;
    *begin = h;
    *end = close + 1;
    return;
  }
  if (colon != std::string_view::npos && colon >= h) e = colon;
  while (e > h && url[e - 1] == '.') --e;  // "example.com."
  *begin = h;
  *end = e;
}

struct TokenAt {
  uint64_t key;
  uint32_t pos;
};

constexpr size_t kMaxLabels = 32;  // deeper hosts: the outermost 32 suffixes

// Everything Match() derives from one request; lives in a thread-local.
struct Scratch {
  std::string lower;   // the URL, lower-case
  std::string source;  // the source host, lower-case
  std::unique_ptr<TokenAt[]> tokens;
  size_t token_cap = 0;
  pcre2_match_data* match_data = nullptr;
  ~Scratch() {
    if (match_data) pcre2_match_data_free(match_data);
  }
};

}  // namespace

// ---- type names ---------------------------------------------------------------------

std::optional<ResourceType> ParseResourceType(std::string_view name) {
  for (const TypeAlias& t : kTypeNames)
    if (t.name == name) return t.type;
  return std::nullopt;
}

std::string_view ToString(ResourceType type) {
  for (const TypeAlias& t : kTypeNames)
    if (t.type == type) return t.name;
  return "other";
}

std::string ResourceTypeNames() {
  std::string out;
  for (const TypeAlias& t : kTypeNames) out += (out.empty() ? "" : ", ") + std::string(t.name);
  return out;
}

// ---- the engine ---------------------------------------------------------------------

struct FilterEngine::Rep {
  std::vector<std::string> texts;
  std::vector<FilterListStats> stats;
  Diagnostics warnings;
  std::vector<NetworkFilter> filters;
  std::vector<Compiled> compiled;
  std::string arena;
  std::vector<uint64_t> domain_hashes;
  std::vector<DomainSet> domain_sets;
  std::vector<Regex> regexes;
  BucketTable hosts, tokens;
  std::vector<uint32_t> ids;
  std::vector<uint32_t> generic_block, generic_allow, important_block, important_allow;
  size_t live = 0;

  ~Rep() {
    for (Regex& r : regexes) pcre2_code_free(r.code);
  }

  // The state of one Match() call.
  struct Ctx {
    std::string_view raw, lower;
    size_t host_b = 0, host_e = 0;
    uint16_t type = 0;
    // suffixes of the request host at a label
    uint64_t host_hash[kMaxLabels];
    uint32_t host_pos[kMaxLabels];
    size_t host_n = 0;
    const TokenAt* tokens = nullptr;
    size_t token_n = 0;
    std::string_view source_url;  // as given
    std::string* source_buf = nullptr;
    bool source_known = false;
    std::string_view source_storage;  // use Source(): the source host, lower-case
    int8_t third = -1;                // -1: not yet known
    bool source_hashed = false, entity_hashed = false;
    uint64_t source_hash[kMaxLabels];
    size_t source_n = 0;
    uint64_t entity_hash[kMaxLabels];
    size_t entity_n = 0;
    bool host_entity_hashed = false;
    uint64_t host_entity_hash[kMaxLabels];
    size_t host_entity_n = 0;
    pcre2_match_data* md = nullptr;
  };

  // The source host, lower-case, found on first use (most requests never
  // need it: only party, domain= and strict options look at it).
  static std::string_view Source(Ctx& c) {
    if (!c.source_known) {
      c.source_known = true;
      size_t sb = 0, se = 0;
      FindHost(c.source_url, &sb, &se);
      c.source_buf->resize(se - sb);
      char* dst = c.source_buf->data();
      for (size_t i = sb; i < se; ++i) dst[i - sb] = Lower(c.source_url[i]);
      c.source_storage = *c.source_buf;
    }
    return c.source_storage;
  }

  bool ThirdParty(Ctx& c) const {
    if (c.third < 0) {
      std::string_view source = Source(c);
      if (source.empty()) {
        c.third = 1;
      } else {
        std::string_view dom = RegistrableDomain(source, HostHash(source));
        std::string_view host = c.lower.substr(c.host_b, c.host_e - c.host_b);
        bool first = host == dom || (host.size() > dom.size() && host.ends_with(dom) &&
                                     host[host.size() - dom.size() - 1] == '.');
        c.third = first ? 0 : 1;
      }
    }
    return c.third == 1;
  }

  static void HashSuffixes(std::string_view host, uint64_t salt, uint64_t* out, size_t* n) {
    HostHasher h;
    *n = 0;
    for (size_t i = host.size(); i-- > 0;) {
      h.Push(host[i]);
      if ((i == 0 || host[i - 1] == '.') && *n < kMaxLabels) out[(*n)++] = h.Value() ^ salt;
    }
  }

  static bool InSorted(const uint64_t* begin, uint32_t count, const uint64_t* keys, size_t n) {
    if (count == 0) return false;
    const uint64_t* end = begin + count;
    for (size_t i = 0; i < n; ++i) {
      if (count <= 8 ? std::find(begin, end, keys[i]) != end : std::binary_search(begin, end, keys[i]))
        return true;
    }
    return false;
  }

  // The hashes of the suffixes of `host` without its public suffix
  // ("www.shop" for www.shop.co.uk), salted: what `shop.*` entries match.
  static void EntitySuffixes(std::string_view host, uint64_t* out, size_t* n) {
    *n = 0;
    if (host.empty() || LooksLikeIp(host)) return;
    std::string_view dom = RegistrableDomain(host, HostHash(host));
    size_t dot = dom.find('.');
    if (dot == std::string_view::npos) return;
    std::string_view suffix = dom.substr(dot);  // ".co.uk"
    HashSuffixes(host.substr(0, host.size() - suffix.size()), kEntitySalt, out, n);
  }

  bool SetMatches(const DomainSet& d, const uint64_t* hosts, size_t nh, const uint64_t* ents,
                  size_t ne) const {
    const uint64_t* h = domain_hashes.data();
    if (d.include_count && !InSorted(h + d.include_begin, d.include_count, hosts, nh) &&
        !(d.entities && InSorted(h + d.include_begin, d.include_count, ents, ne)))
      return false;
    if (d.exclude_count && (InSorted(h + d.exclude_begin, d.exclude_count, hosts, nh) ||
                            (d.entities && InSorted(h + d.exclude_begin, d.exclude_count, ents, ne))))
      return false;
    return true;
  }

  // domain=: against the source host.
  bool DomainsMatch(const DomainSet& d, Ctx& c) const {
    if (!c.source_hashed) {
      HashSuffixes(Source(c), 0, c.source_hash, &c.source_n);
      c.source_hashed = true;
    }
    if (d.entities && !c.entity_hashed) {
      c.entity_hashed = true;
      EntitySuffixes(Source(c), c.entity_hash, &c.entity_n);
    }
    return SetMatches(d, c.source_hash, c.source_n, c.entity_hash, c.entity_n);
  }

  // to=, denyallow=: against the request host.
  bool ToMatches(const DomainSet& d, Ctx& c) const {
    if (d.entities && !c.host_entity_hashed) {
      c.host_entity_hashed = true;
      EntitySuffixes(c.lower.substr(c.host_b, c.host_e - c.host_b), c.host_entity_hash, &c.host_entity_n);
    }
    return SetMatches(d, c.host_hash, c.host_n, c.host_entity_hash, c.host_entity_n);
  }

  // Does filter `id` match? `pos`: where its index key was found (the start
  // of the host suffix, or of the URL token).
  bool Check(uint32_t id, Ctx& c, size_t pos) const {
    const Compiled& f = compiled[id];
    if ((f.types & c.type) == 0 || (f.flags & kCancelled)) return false;
    std::string_view url = (f.flags & kMatchCase) ? c.raw : c.lower;
    std::string_view pat(arena.data() + f.pattern, f.pattern_len);
    switch (f.kind) {
      case PatternKind::kAny:
        break;
      case PatternKind::kHostname: {
        // The table key matched; the bytes must too.
        if (c.host_e - pos != pat.size() || c.lower.compare(pos, pat.size(), pat) != 0) return false;
        break;
      }
      case PatternKind::kHostAnchored:
        if (c.host_e - pos != f.aux || !MatchAt(pat, f.anchors & kAnchorRight, url, pos)) return false;
        break;
      case PatternKind::kPlain: {
        if (pos < f.aux) return false;
        size_t start = pos - f.aux;
        if ((f.anchors & kAnchorLeft) && start != 0) return false;
        if ((f.anchors & kAnchorHost) &&
            !(start >= c.host_b && start < c.host_e && (start == c.host_b || c.lower[start - 1] == '.')))
          return false;
        if (!MatchAt(pat, f.anchors & kAnchorRight, url, start)) return false;
        break;
      }
      case PatternKind::kGeneric:
        if (!PatternMatches(pat, f.anchors, url, c.host_b, c.host_e)) return false;
        break;
      case PatternKind::kRegex: {
        int rc = pcre2_match(regexes[f.regex - 1].code, reinterpret_cast<PCRE2_SPTR>(c.raw.data()),
                             c.raw.size(), 0, 0, c.md, nullptr);
        if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) return false;  // e.g. a resource limit: no match
        if (rc == PCRE2_ERROR_NOMATCH) return false;
        break;
      }
    }
    if (f.party != 3 && !(f.party & (ThirdParty(c) ? 2 : 1))) return false;
    if (f.strict) {
      bool same_host = c.lower.substr(c.host_b, c.host_e - c.host_b) == Source(c);
      if (same_host != (f.strict == 1)) return false;
    }
    if (f.domains && !DomainsMatch(domain_sets[f.domains - 1], c)) return false;
    if (f.to && !ToMatches(domain_sets[f.to - 1], c)) return false;
    return true;
  }

  // The first filter of one realm (blocking or exceptions) that matches.
  const Compiled* FindFirst(Ctx& c, bool exceptions) const {
    auto scan = [&](const Bucket* b, size_t pos) -> const Compiled* {
      uint32_t from = b->begin + (exceptions ? b->blocks : 0);
      uint32_t to = from + (exceptions ? b->exceptions : b->blocks);
      for (uint32_t i = from; i < to; ++i)
        if (Check(ids[i], c, pos)) return &compiled[ids[i]];
      return nullptr;
    };
    for (size_t i = 0; i < c.host_n; ++i) {
      if (const Bucket* b = hosts.Find(c.host_hash[i]))
        if (const Compiled* f = scan(b, c.host_pos[i])) return f;
    }
    for (const TokenAt *t = c.tokens, *end = c.tokens + c.token_n; t != end; ++t) {
      if (const Bucket* b = tokens.Find(t->key))
        if (const Compiled* f = scan(b, t->pos)) return f;
    }
    return FindIn(c, exceptions ? generic_allow : generic_block);
  }

  // The first of `list` that matches, each filter tried wherever its kind can
  // match (the generic lists, and the important filters for the pass that
  // looks at them alone).
  const Compiled* FindIn(Ctx& c, const std::vector<uint32_t>& list) const {
    for (uint32_t id : list) {
      const Compiled& f = compiled[id];
      switch (f.kind) {
        case PatternKind::kHostname:
        case PatternKind::kHostAnchored:
          for (size_t i = 0; i < c.host_n; ++i)
            if (Check(id, c, c.host_pos[i])) return &f;
          break;
        case PatternKind::kPlain:
          for (size_t i = 0; i < c.token_n; ++i)
            if (Check(id, c, c.tokens[i].pos)) return &f;
          break;
        default:
          if (Check(id, c, 0)) return &f;
      }
    }
    return nullptr;
  }
};

FilterEngine::FilterEngine(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
FilterEngine::~FilterEngine() = default;

const std::vector<FilterListStats>& FilterEngine::lists() const { return rep_->stats; }
const Diagnostics& FilterEngine::warnings() const { return rep_->warnings; }
size_t FilterEngine::filter_count() const { return rep_->live; }

size_t FilterEngine::memory_bytes() const {
  const Rep& r = *rep_;
  size_t n = sizeof(Rep);
  for (const std::string& t : r.texts) n += t.capacity();
  n += r.filters.capacity() * sizeof(NetworkFilter) + r.compiled.capacity() * sizeof(Compiled);
  n += r.arena.capacity() + r.domain_hashes.capacity() * 8 + r.domain_sets.capacity() * sizeof(DomainSet);
  n += r.hosts.bytes() + r.tokens.bytes() + r.ids.capacity() * 4;
  n += (r.generic_block.capacity() + r.generic_allow.capacity() + r.important_block.capacity() +
        r.important_allow.capacity()) *
       4;
  for (const Regex& x : r.regexes) {
    size_t size = 0;
    if (pcre2_pattern_info(x.code, PCRE2_INFO_SIZE, &size) == 0) n += size;
    if (pcre2_pattern_info(x.code, PCRE2_INFO_JITSIZE, &size) == 0) n += size;
  }
  return n;
}

FilterDecision FilterEngine::Match(const FilterRequest& request) const {
  const Rep& r = *rep_;
  thread_local Scratch scratch;
  Scratch& s = scratch;
  if (!s.match_data) s.match_data = pcre2_match_data_create(1, nullptr);

  Rep::Ctx c;
  c.raw = request.url;
  c.md = s.match_data;
  c.type = TypeBit(request.type);
  // The URL, lower-case, with 8 bytes of padding so a token key is one load.
  const size_t n = request.url.size();
  s.lower.resize(n + kTokenKeyBytes);
  {
    char* dst = s.lower.data();
    const char* src = request.url.data();
    for (size_t i = 0; i < n; ++i) dst[i] = Lower(src[i]);
    std::memset(dst + n, 0, kTokenKeyBytes);
  }
  c.lower = std::string_view(s.lower.data(), n);
  FindHost(c.lower, &c.host_b, &c.host_e);
  // Host suffixes at labels, right to left.
  {
    HostHasher h;
    const char* p = c.lower.data();
    for (size_t i = c.host_e; i-- > c.host_b;) {
      h.Push(p[i]);
      if ((i == c.host_b || p[i - 1] == '.') && c.host_n < kMaxLabels) {
        c.host_hash[c.host_n] = h.Value();
        c.host_pos[c.host_n] = static_cast<uint32_t>(i);
        ++c.host_n;
      }
    }
  }
  // URL tokens: at most one per two bytes.
  if (s.token_cap < n / 2 + 1) {
    s.token_cap = n / 2 + 1;
    s.tokens = std::make_unique<TokenAt[]>(s.token_cap);
  }
  {
    const char* p = c.lower.data();
    TokenAt* out = s.tokens.get();
    size_t i = 0;
    while (i < n) {
      if (!kTokenChars[static_cast<unsigned char>(p[i])]) {
        ++i;
        continue;
      }
      size_t b = i;
      while (i < n && kTokenChars[static_cast<unsigned char>(p[i])]) ++i;
      uint64_t k;
      std::memcpy(&k, p + b, sizeof k);
      size_t len = i - b;
      if (len < kTokenKeyBytes) k &= (uint64_t{1} << (8 * len)) - 1;
      *out++ = {k, static_cast<uint32_t>(b)};
    }
    c.tokens = s.tokens.get();
    c.token_n = static_cast<size_t>(out - s.tokens.get());
  }
  c.source_url = request.source_url;
  c.source_buf = &s.source;

  const Compiled* block = r.FindFirst(c, /*exceptions=*/false);
  if (!block) return {};
  if (block->flags & kImportant) {
    if (const Compiled* e = r.FindIn(c, r.important_allow)) return {false, &r.filters[e->info]};
    return {true, &r.filters[block->info]};
  }
  const Compiled* allow = r.FindFirst(c, /*exceptions=*/true);
  if (!allow) return {true, &r.filters[block->info]};
  if (const Compiled* imp = r.FindIn(c, r.important_block)) {
    if (const Compiled* e = r.FindIn(c, r.important_allow)) return {false, &r.filters[e->info]};
    return {true, &r.filters[imp->info]};
  }
  return {false, &r.filters[allow->info]};
}

// ---- the builder ------------------------------------------------------------------

struct FilterEngine::Builder::Rep {
  std::unique_ptr<FilterEngine::Rep> e = std::make_unique<FilterEngine::Rep>();
  struct Pending {
    uint32_t list = 0;
    uint32_t text_off = 0, text_len = 0;
    uint64_t key = 0;                       // canonical form, for $badfilter
    uint32_t tok_begin = 0, tok_count = 0;  // candidate tokens in `toks`
    uint64_t host_key = 0;                  // kHostname / kHostAnchored
  };
  struct Tok {
    uint64_t key;
    uint32_t offset;
    uint32_t length;
  };
  std::vector<Pending> pending;  // parallel to e->compiled
  std::vector<Tok> toks;
  std::unordered_set<uint64_t> badfilters;

  void Warn(uint32_t list, uint32_t line, std::string_view text, std::string message, std::string expected) {
    Error w;
    w.kind = ErrorKind::kParse;
    w.warning = true;
    w.message = std::move(message);
    w.expected = std::move(expected);
    w.where.file = e->stats[list].name;
    w.where.line = line;
    w.where.column = 1;
    w.source_line = std::string(text);
    e->warnings.push_back(std::move(w));
    e->stats[list].malformed++;
  }

  // The canonical form of a filter: equal for a filter and its $badfilter.
  static uint64_t CanonicalKey(const ParsedLine& p) {
    std::string k;
    k += p.exception ? '@' : '-';
    k += p.important ? 'i' : '-';
    k += p.match_case ? 'c' : '-';
    k += p.redirect ? 'r' : '-';
    k += static_cast<char>('0' + static_cast<int>(p.pattern_kind));
    k += static_cast<char>('0' + p.anchors);
    k += static_cast<char>('0' + p.party);
    k += std::to_string(p.type_mask);
    k += '|';
    k += p.pattern_kind == PatternKind::kRegex ? p.regex : p.pattern;
    std::vector<std::string> inc = p.include_domains, exc = p.exclude_domains;
    std::sort(inc.begin(), inc.end());
    std::sort(exc.begin(), exc.end());
    for (const std::string& d : inc) k += "|+" + d;
    for (const std::string& d : exc) k += "|~" + d;
    std::vector<std::string> to_inc = p.to_include, to_exc = p.to_exclude;
    std::sort(to_inc.begin(), to_inc.end());
    std::sort(to_exc.begin(), to_exc.end());
    for (const std::string& d : to_inc) k += "|>" + d;
    for (const std::string& d : to_exc) k += "|<" + d;
    k += static_cast<char>('0' + p.strict);
    return std::hash<std::string>{}(k) | 1;
  }

  uint32_t AddDomains(const std::vector<std::string>& include, const std::vector<std::string>& exclude) {
    if (include.empty() && exclude.empty()) return 0;
    DomainSet d;
    auto add = [&](const std::vector<std::string>& list, uint32_t* begin, uint32_t* count) {
      *begin = static_cast<uint32_t>(e->domain_hashes.size());
      for (const std::string& dom : list) {
        if (dom.ends_with(".*")) {
          d.entities = true;
          e->domain_hashes.push_back(HostHash(std::string_view(dom).substr(0, dom.size() - 2)) ^ kEntitySalt);
        } else {
          e->domain_hashes.push_back(HostHash(dom));
        }
      }
      std::sort(e->domain_hashes.begin() + *begin, e->domain_hashes.end());
      e->domain_hashes.erase(std::unique(e->domain_hashes.begin() + *begin, e->domain_hashes.end()),
                             e->domain_hashes.end());
      *count = static_cast<uint32_t>(e->domain_hashes.size() - *begin);
    };
    add(include, &d.include_begin, &d.include_count);
    add(exclude, &d.exclude_begin, &d.exclude_count);
    e->domain_sets.push_back(d);
    return static_cast<uint32_t>(e->domain_sets.size());
  }

  // Compiles a regex filter's expression; an error message when it does not.
  std::string AddRegex(const ParsedLine& p, uint32_t* index) {
    int err = 0;
    PCRE2_SIZE off = 0;
    uint32_t opts = PCRE2_ALT_BSUX | PCRE2_MATCH_UNSET_BACKREF | (p.match_case ? 0 : PCRE2_CASELESS);
    pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(p.regex.data()), p.regex.size(), opts, &err,
                                     &off, nullptr);
    if (!code) {
      PCRE2_UCHAR msg[256];
      pcre2_get_error_message(err, msg, sizeof(msg));
      return std::string("the regular expression does not compile: ") + reinterpret_cast<const char*>(msg) +
             " (at offset " + std::to_string(off) + ")";
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // without JIT it is interpreted
    e->regexes.push_back({code});
    *index = static_cast<uint32_t>(e->regexes.size());
    return {};
  }

  void AddLine(uint32_t list, uint32_t line, std::string_view text, uint32_t text_off) {
    FilterListStats& st = e->stats[list];
    ParsedLine p = ParseLine(text);
    switch (p.kind) {
      case LineKind::kComment:
        st.comments++;
        return;
      case LineKind::kCosmetic:
        st.cosmetic++;
        return;
      case LineKind::kScriptlet:
        st.scriptlet++;
        return;
      case LineKind::kHtml:
        st.html++;
        return;
      case LineKind::kSkipped:
        st.skipped[p.reason]++;
        return;
      case LineKind::kMalformed:
        Warn(list, line, Trimmed(text), p.reason, p.expected);
        return;
      case LineKind::kNetwork:
        break;
    }
    std::string_view trimmed = Trimmed(text);
    if (p.badfilter) {
      st.badfilter_filters++;
      badfilters.insert(CanonicalKey(p));
      return;
    }
    Compiled f;
    if (p.pattern_kind == PatternKind::kRegex) {
      std::string err = AddRegex(p, &f.regex);
      if (!err.empty()) {
        Warn(list, line, trimmed, err, "a regular expression between slashes, /^https?:\\/\\/ads\\./");
        return;
      }
      st.regex_filters++;
    }
    Pending pd;
    pd.list = list;
    pd.text_off = text_off + static_cast<uint32_t>(trimmed.data() - text.data());
    pd.text_len = static_cast<uint32_t>(trimmed.size());
    pd.key = CanonicalKey(p);
    f.pattern = static_cast<uint32_t>(e->arena.size());
    f.pattern_len = static_cast<uint16_t>(p.pattern.size());
    e->arena += p.pattern;
    f.types = p.type_mask;
    f.party = p.party;
    f.anchors = p.anchors;
    f.kind = p.pattern_kind;
    f.flags =
        (p.exception ? kException : 0) | (p.important ? kImportant : 0) | (p.match_case ? kMatchCase : 0);
    f.domains = AddDomains(p.include_domains, p.exclude_domains);
    f.to = AddDomains(p.to_include, p.to_exclude);
    f.strict = p.strict;
    f.info = static_cast<uint32_t>(e->filters.size());
    if (p.pattern_kind == PatternKind::kHostname) {
      pd.host_key = HostHash(p.pattern);
    } else if (p.pattern_kind == PatternKind::kHostAnchored) {
      f.aux = p.host_length;
      pd.host_key = HostHash(std::string_view(p.pattern).substr(0, p.host_length));
    } else if (p.pattern_kind == PatternKind::kPlain || p.pattern_kind == PatternKind::kGeneric) {
      pd.tok_begin = static_cast<uint32_t>(toks.size());
      for (const PatternToken& t : PatternTokens(p.pattern, p.anchors))
        toks.push_back(
            {TokenKey(t.text.data(), t.text.size()), t.offset, static_cast<uint32_t>(t.text.size())});
      pd.tok_count = static_cast<uint32_t>(toks.size()) - pd.tok_begin;
    } else if (p.pattern_kind == PatternKind::kRegex) {
      pd.tok_begin = static_cast<uint32_t>(toks.size());
      for (const std::string& t : RegexTokens(p.regex))
        toks.push_back({TokenKey(t.data(), t.size()), 0, static_cast<uint32_t>(t.size())});
      pd.tok_count = static_cast<uint32_t>(toks.size()) - pd.tok_begin;
    }
    NetworkFilter nf;
    nf.line = line;
    nf.exception = p.exception;
    nf.important = p.important;
    e->filters.push_back(nf);
    e->compiled.push_back(f);
    pending.push_back(pd);
    if (p.exception) {
      st.exception_filters++;
    } else {
      st.block_filters++;
    }
    if (p.important) st.important_filters++;
  }

  static std::string_view Trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
  }
};

namespace {

// `!#if` conditions: identifiers, !, &&, ||, parentheses. True: what uBlock
// Origin on Chromium sets for itself (ext_ublock, env_chromium); everything
// else is false.
class Condition {
 public:
  explicit Condition(std::string_view s) : s_(s) {}
  bool Eval() {
    bool v = Or();
    return v;
  }

 private:
  void Skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  bool Or() {
    bool v = And();
    for (Skip(); s_.substr(i_, 2) == "||"; Skip()) {
      i_ += 2;
      bool r = And();
      v = v || r;
    }
    return v;
  }
  bool And() {
    bool v = Not();
    for (Skip(); s_.substr(i_, 2) == "&&"; Skip()) {
      i_ += 2;
      bool r = Not();
      v = v && r;
    }
    return v;
  }
  bool Not() {
    Skip();
    if (i_ < s_.size() && s_[i_] == '!') {
      ++i_;
      return !Not();
    }
    if (i_ < s_.size() && s_[i_] == '(') {
      ++i_;
      bool v = Or();
      Skip();
      if (i_ < s_.size() && s_[i_] == ')') ++i_;
      return v;
    }
    size_t b = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) ++i_;
    std::string_view id = s_.substr(b, i_ - b);
    return id == "ext_ublock" || id == "env_chromium";
  }
  std::string_view s_;
  size_t i_ = 0;
};

std::string LicenceFromHeader(std::string_view text) {
  size_t pos = 0;
  for (int n = 0; n < 40 && pos < text.size(); ++n) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.starts_with("!")) continue;
    line.remove_prefix(1);
    while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    for (std::string_view k : {"Licence:", "License:"}) {
      if (line.starts_with(k)) {
        line.remove_prefix(k.size());
        while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
        return std::string(line);
      }
    }
  }
  return {};
}

// Tokens that almost every URL holds: a filter indexed by one of them would
// be checked for almost every request.
bool CommonUrlToken(std::string_view t) {
  static const std::unordered_set<std::string_view> kCommon = {
      "http", "https", "www",    "com",    "net",    "org", "js",      "css",  "html", "htm", "php",  "jpg",
      "jpeg", "png",   "gif",    "webp",   "svg",    "ico", "json",    "cdn",  "api",  "v1",  "v2",   "min",
      "img",  "image", "images", "static", "assets", "de",  "uk",      "co",   "io",   "id",  "true", "false",
      "en",   "utm",   "amp",    "index",  "ajax",   "wp",  "content", "www2", "s",    "1",   "0"};
  return kCommon.count(t) > 0;
}

}  // namespace

FilterEngine::Builder::Builder() : rep_(std::make_unique<Rep>()) {}
FilterEngine::Builder::~Builder() = default;

void FilterEngine::Builder::AddList(std::string name, std::string text, std::string licence) {
  Rep& b = *rep_;
  uint32_t list = static_cast<uint32_t>(b.e->stats.size());
  FilterListStats st;
  st.name = std::move(name);
  st.licence = licence.empty() ? LicenceFromHeader(text) : std::move(licence);
  b.e->stats.push_back(std::move(st));
  b.e->texts.push_back(std::move(text));
  const std::string& t = b.e->texts.back();

  // `!#if` nesting: each level is active or not, and whether its `!#else`
  // was seen.
  struct Level {
    bool active;
    bool cond;
  };
  std::vector<Level> ifs;
  auto active = [&] { return ifs.empty() || ifs.back().active; };
  uint32_t line = 0;
  for (size_t pos = 0; pos < t.size();) {
    size_t end = t.find('\n', pos);
    if (end == std::string::npos) end = t.size();
    std::string_view l(t.data() + pos, end - pos);
    ++line;
    FilterListStats& s = b.e->stats[list];
    s.lines++;
    std::string_view tl = Rep::Trimmed(l);
    if (tl.starts_with("!#if ")) {
      bool parent = active();
      bool cond = Condition(tl.substr(5)).Eval();
      ifs.push_back({parent && cond, cond});
      s.comments++;
    } else if (tl == "!#else") {
      if (ifs.empty()) {
        b.Warn(list, line, tl, "!#else without !#if", "!#if CONDITION ... !#else ... !#endif");
      } else {
        bool parent = ifs.size() < 2 || ifs[ifs.size() - 2].active;
        ifs.back().active = parent && !ifs.back().cond;
        s.comments++;
      }
    } else if (tl == "!#endif") {
      if (ifs.empty()) {
        b.Warn(list, line, tl, "!#endif without !#if", "!#if CONDITION ... !#endif");
      } else {
        ifs.pop_back();
        s.comments++;
      }
    } else if (!active()) {
      s.excluded_by_if++;
    } else if (tl.starts_with("!#include ")) {
      s.skipped["!#include (not followed: the engine reads no files)"]++;
    } else {
      b.AddLine(list, line, l, static_cast<uint32_t>(pos));
    }
    pos = end + 1;
  }
  if (!ifs.empty())
    b.Warn(list, line, "", "!#if without !#endif at the end of the list", "!#endif closing every !#if");
}

std::shared_ptr<const FilterEngine> FilterEngine::Builder::Build() {
  Rep& b = *rep_;
  FilterEngine::Rep& e = *b.e;

  // Names and texts are final now: point the filters at them.
  for (size_t i = 0; i < e.filters.size(); ++i) {
    const Rep::Pending& pd = b.pending[i];
    e.filters[i].list = e.stats[pd.list].name;
    e.filters[i].text = std::string_view(e.texts[pd.list]).substr(pd.text_off, pd.text_len);
  }

  // $badfilter cancels every filter of the same canonical form, in any list.
  for (size_t i = 0; i < e.compiled.size(); ++i) {
    if (b.badfilters.count(b.pending[i].key)) {
      e.compiled[i].flags |= kCancelled;
      e.stats[b.pending[i].list].badfiltered++;
    }
  }

  // Token frequencies over all candidates, then each filter's rarest.
  std::unordered_map<uint64_t, uint32_t> freq;
  for (size_t i = 0; i < e.compiled.size(); ++i) {
    if (e.compiled[i].flags & kCancelled) continue;
    const Rep::Pending& pd = b.pending[i];
    for (uint32_t k = 0; k < pd.tok_count; ++k) freq[b.toks[pd.tok_begin + k].key]++;
  }

  struct Entry {
    uint64_t key;
    uint32_t exception;  // 0 blocking, 1 exception: blocking first in a bucket
    uint32_t id;
  };
  std::vector<Entry> host_entries, token_entries;
  for (uint32_t i = 0; i < e.compiled.size(); ++i) {
    Compiled& f = e.compiled[i];
    if (f.flags & kCancelled) continue;
    e.live++;
    const Rep::Pending& pd = b.pending[i];
    const uint32_t exc = (f.flags & kException) ? 1 : 0;
    if (f.flags & kImportant) (exc ? e.important_allow : e.important_block).push_back(i);
    if (pd.host_key) {
      host_entries.push_back({pd.host_key, exc, i});
      continue;
    }
    const Rep::Tok* best = nullptr;
    uint64_t best_score = UINT64_MAX;
    for (uint32_t k = 0; k < pd.tok_count; ++k) {
      const Rep::Tok& t = b.toks[pd.tok_begin + k];
      std::string_view text = f.kind == PatternKind::kRegex
                                  ? std::string_view()
                                  : std::string_view(e.arena.data() + f.pattern + t.offset, t.length);
      uint64_t score = freq[t.key];
      if (t.length == 1) score += 1000;
      if (!text.empty() && CommonUrlToken(text)) score += 5000;
      if (f.kind == PatternKind::kRegex && t.length <= 3) score += 1000;
      if (score < best_score || (score == best_score && t.length > best->length)) {
        best = &t;
        best_score = score;
      }
    }
    if (!best) {
      // Checked for every request, at every position.
      if (f.kind == PatternKind::kPlain) f.kind = PatternKind::kGeneric;
      (exc ? e.generic_allow : e.generic_block).push_back(i);
      continue;
    }
    if (f.kind == PatternKind::kPlain) f.aux = static_cast<uint16_t>(best->offset);
    token_entries.push_back({best->key, exc, i});
  }

  auto fill = [&](std::vector<Entry>& entries, BucketTable* table) {
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& c) {
      return a.key != c.key               ? a.key < c.key
             : a.exception != c.exception ? a.exception < c.exception
                                          : a.id < c.id;
    });
    std::vector<Bucket> buckets;
    for (size_t i = 0; i < entries.size();) {
      size_t j = i;
      Bucket bk;
      bk.key = entries[i].key;
      bk.begin = static_cast<uint32_t>(e.ids.size());
      uint32_t blocks = 0, exceptions = 0;
      for (; j < entries.size() && entries[j].key == bk.key; ++j) {
        // A bucket holds up to 65535 of each; any more are checked always.
        uint32_t& count = entries[j].exception ? exceptions : blocks;
        if (count == 0xffff) {
          (entries[j].exception ? e.generic_allow : e.generic_block).push_back(entries[j].id);
          continue;
        }
        ++count;
        e.ids.push_back(entries[j].id);
      }
      bk.blocks = static_cast<uint16_t>(blocks);
      bk.exceptions = static_cast<uint16_t>(exceptions);
      buckets.push_back(bk);
      i = j;
    }
    table->Build(std::move(buckets));
  };
  fill(host_entries, &e.hosts);
  fill(token_entries, &e.tokens);
  std::sort(e.generic_block.begin(), e.generic_block.end());
  std::sort(e.generic_allow.begin(), e.generic_allow.end());

  e.arena.shrink_to_fit();
  e.domain_hashes.shrink_to_fit();
  e.ids.shrink_to_fit();
  std::shared_ptr<const FilterEngine> out(new FilterEngine(std::move(b.e)));
  rep_ = std::make_unique<Rep>();
  return out;
}

}  // namespace blindspot
