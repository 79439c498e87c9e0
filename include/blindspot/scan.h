// Live scan of a website in headless Chromium (issue 7): the start URL and up
// to N same-site pages (eTLD+1), breadth first, in up to three consent phases,
// each in a fresh browser profile: before any interaction, after "reject
// all", after "accept all" (the banner operated by @duckduckgo/autoconsent).
// The result is an evidence bundle held in memory (a HAR and a scan.json per
// phase, screenshots and page texts) that the application layer writes
// through an Env with its manifest (docs/formats/evidence.md).
//
// The browser is Debian's chromium, driven over the DevTools protocol on a
// pipe (no port, no Node.js). It is treated as a sandbox for hostile content:
// bounded memory, time and pages; only http(s) URLs; with
// no_private_networks, loopback and private addresses are refused. It is
// always ended (also on errors, timeouts and CancelFlag()) and its profile
// removed.
//
// Errors: kUsage for a bad start URL or options; kIo when the browser cannot
// be started; a page that fails to load is not an error (it is recorded with
// its error text and the scan goes on). Thread-safety: Scan() may run in
// several threads at once (each starts its own browsers).
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"

namespace blindspot::scan {

enum class Phase { kBeforeConsent, kAfterReject, kAfterAccept };
// "before-consent", "after-reject", "after-accept" (the bundle's folder names).
std::string_view PhaseName(Phase p);
std::optional<Phase> ParsePhase(std::string_view name);

// What --fill-forms types into forms (never submitted); the scan then looks
// for these values leaving the site (plain, encoded or hashed).
struct FormIdentity {
  std::string email;  // empty: blindspot.test+<random tag>@example.org, new per scan
  std::string first_name = "Quirijn";
  std::string last_name = "Testerveld";
  std::string phone = "+31 6 12345678";
  std::string postcode = "1012 AB";
  std::string country_calling_code = "31";  // for a phone typed without one
};

// Pages loading at once over all phases when --concurrency is not given: the
// machine's cores plus one (a page waits on the network part of its time),
// 2 to 8.
uint32_t DefaultConcurrency();

struct ScanOptions {
  std::string start_url;
  uint32_t max_pages = 20;                      // pages per phase, the start page included
  uint32_t concurrency = DefaultConcurrency();  // pages loading at once, all phases together
  std::chrono::seconds page_timeout{30};
  std::chrono::seconds timeout{900};  // the whole scan
  std::vector<Phase> phases = {Phase::kBeforeConsent, Phase::kAfterReject, Phase::kAfterAccept};
  // The browser.
  std::string browser = "/usr/bin/chromium";
  std::vector<std::string> browser_args;  // --browser-arg, passed last
  std::string lang = "nl";                // browser language and Accept-Language
  std::string user_agent;                 // empty: the browser's own
  bool mobile = false;                    // a phone's viewport, touch and user agent
  uint64_t max_browser_memory_mb = 4096;
  // What is kept.
  bool screenshots = true;
  uint64_t max_post_bytes = 64 * 1024;        // request bodies kept up to this size
  uint64_t max_body_bytes = 2 * 1024 * 1024;  // HTML response bodies kept up to this size
  bool fill_forms = false;
  FormIdentity identity;
  bool no_private_networks = false;
  // Settling: after the load event, wait at least settle_min, then until the
  // network is idle for idle_quiet, at most settle_max.
  std::chrono::milliseconds settle_min{600}, idle_quiet{400}, settle_max{6000};
};

// A file of the bundle, relative to its folder ("before-consent/capture.har").
struct BundleFile {
  std::string path;
  std::string data;
};

struct PhaseSummary {
  Phase phase = Phase::kBeforeConsent;
  uint32_t pages = 0, pages_failed = 0;
  uint64_t requests = 0, cookies = 0, third_party_cookies = 0;
  std::string consent_manager;  // "" when none was found
  bool banner_found = false;
  std::string consent_result;  // "not-attempted", "clicked", "failed", "no-banner"
  uint32_t leaks = 0;          // --fill-forms values seen leaving the site
  // One per (field, encoding, host, parameter): "email sha256 -> www.facebook.com (ud[em])".
  std::vector<std::string> leak_lines;
};

struct ScanResult {
  std::string start_url;  // as normalised
  std::string site;       // its eTLD+1
  std::string started, finished;
  std::string browser_product, browser_user_agent, protocol;
  std::vector<PhaseSummary> phases;
  std::vector<BundleFile> files;   // every file but the manifest
  std::vector<std::string> notes;  // pages that failed, limits reached
  uint64_t peak_browser_rss = 0;   // bytes: the peaks of the phases' browsers (they run at once), summed
};

struct Progress {
  Phase phase = Phase::kBeforeConsent;
  size_t phase_index = 0, phase_count = 0;
  size_t done = 0, total = 0;  // pages of this phase
  std::string url;             // the page just started or finished
  bool finished_page = false;
};
using ProgressFn = std::function<void(const Progress&)>;

// Checks a start URL: http(s) only (file:, chrome:, data:, javascript: and
// others are refused), a host; a URL without a scheme gets https://. With
// no_private_networks the host must not be or resolve to a loopback, private,
// link-local or otherwise non-public address. Returns the URL to scan.
Result<std::string> CheckStartUrl(std::string_view url, bool no_private_networks);

// True for loopback, private (RFC 1918, fc00::/7), link-local, CGNAT,
// unspecified and multicast addresses (text form, v4 or v6).
bool IsNonPublicAddress(std::string_view ip);

// Ends every live browser of this process now (async-signal-safe: only
// kill(2)); for a Ctrl-C handler.
void KillAllBrowsers();

// Set (by a signal handler or a test) to cancel running scans: waits end
// within 100 ms and Scan() returns an error; nothing is half-written.
std::atomic<bool>& CancelFlag();

// Runs the scan. `now` gives ISO 8601 UTC times (Env::NowIso). `progress` is
// called from the scanning threads, one call at a time.
Result<ScanResult> Scan(const ScanOptions& options, const std::function<std::string()>& now,
                        const ProgressFn& progress = {});

}  // namespace blindspot::scan
