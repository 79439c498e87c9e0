// Internal to src/scan: what a phase records (filled on the browser's reader
// thread, read by the tabs' workers and, at the end, by the phase writer).
#pragma once
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "blindspot/scan.h"
#include "scan/consent.h"

namespace blindspot::scan {

using Json = nlohmann::json;
struct Tab;

// One request hop: a HAR entry (a redirect is one hop per URL).
struct Hop {
  std::string request_id;
  std::string url, method, resource_type;  // resource type as CDP names it ("Document", "Script", ...)
  std::string initiator_type, initiator_url;
  std::string frame_id, document_url;
  std::string post_data, post_mime;
  bool post_truncated = false;
  Json req_headers = Json::object();
  bool req_extra = false;  // headers from requestWillBeSentExtraInfo (with Cookie)
  Json associated_cookies = Json::array();
  double wall_time = 0, ts = 0, end_ts = 0;
  int status = 0;
  std::string status_text, mime, protocol, remote_ip;
  Json resp_headers = Json::object();
  bool resp_extra = false;               // headers from responseReceivedExtraInfo (with Set-Cookie)
  Json blocked_cookies = Json::array();  // Set-Cookie lines the browser refused, with reasons
  bool from_cache = false;
  std::string redirect_url;
  std::string body;
  bool finished = false, failed = false;
  std::string error;
  uint64_t encoded_size = 0;
  int page = -1;
  uint64_t seq = 0;
};

struct PageRecord {
  int index = 0;
  std::string url, final_url;
  int depth = 0;
  std::string error;
  double wall_started = 0, wall_finished = 0;
  Json probe;              // data/scan/probe.js's result
  Json filled;             // --fill-forms: the fields typed into
  std::string screenshot;  // JPEG bytes (quality 80), the viewport
};

struct CookieRecord {
  Json cookie;  // as Network.getAllCookies gives it
  int first_page = 0;
  std::string last_value;  // the value when last seen (a consent cookie changes as the visitor chooses)
  int last_page = 0;
};

struct PhaseLog {
  std::mutex mu;
  std::vector<Hop> hops;
  std::map<std::string, size_t> current;                          // request id -> its latest hop
  std::map<std::string, std::deque<Json>> req_extra, resp_extra;  // extra info that came before its hop
  std::vector<PageRecord> pages;
  std::map<std::string, CookieRecord> cookies;  // by name|domain|path
  uint64_t next_seq = 0;
  uint64_t action_seq = 0;  // hops before this one came before the consent choice (phases 2, 3)
  uint64_t max_post_bytes = 64 * 1024;

  void OnEvent(Tab& tab, const std::string& method, const Json& params);
  void ObserveCookie(const Json& cookie, int page);  // under mu
};

void ApplyResponse(Hop& h, const Json& response);
void ApplyRequestExtra(Hop& h, const Json& extra);
void ApplyResponseExtra(Hop& h, const Json& extra);

std::string Base64Decode(std::string_view in);
std::string Base64Encode(std::string_view in);
double WallNow();                       // seconds since the epoch
std::string IsoTime(double wall_time);  // "2026-12-02T10:00:00.123Z"
// The URL as the crawler keys it: without fragment, http(s) only; "" for
// anything else (mailto:, a PDF, an image).
std::string CrawlKey(const std::string& url);
// A consent manager's cookie declaration loaded by the page (OneTrust's
// domain JSON on cdn.cookielaw.org/consent/...): its body is kept and read.
bool IsCmpDeclarationUrl(std::string_view url);
// The declared cookies by category from such a body; null when it is not one.
Json ParseCmpDeclaration(std::string_view url, std::string_view body);

struct PhaseInput {
  Phase phase;
  std::string started, finished;
  std::string site;
  PhaseLog* log;
  const ConsentOutcome* consent;  // null when the consent step did not run
  const ScanOptions* options;
};
// Appends the phase's files (HAR, scan.json, screenshots, texts) and fills
// its summary.
void AppendPhaseFiles(const PhaseInput& in, std::vector<BundleFile>* files, PhaseSummary* summary,
                      std::vector<std::string>* notes);

}  // namespace blindspot::scan
