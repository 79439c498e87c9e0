// The crawler: phases, tabs, pages, and what each page leaves as evidence.
// One Browser per phase (a fresh profile), `concurrency` tabs in it, each
// taking the next page from a shared breadth-first queue. The network events
// of all tabs of a phase land in one PhaseLog (on the reader thread); each
// tab's worker thread waits for its page to settle, then probes it, reads the
// cookie jar, takes the screenshot and fetches HTML bodies.
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <future>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "blindspot/embedded.h"
#include "blindspot/evidence.h"
#include "blindspot/scan.h"
#include "scan/cdp.h"
#include "scan/consent.h"
#include "scan/leaks.h"
#include "scan/scan_internal.h"

namespace blindspot::scan {
namespace {

std::string_view EmbeddedScript(std::string_view name) {
  for (size_t i = 0; i < kDataFiles_count; ++i) {
    if (kDataFiles[i].path == name) return kDataFiles[i].data;
  }
  return {};
}

bool Cancelled() { return CancelFlag().load(); }

// BLINDSPOT_SCAN_TRACE=1: the time of each step of each page on stderr.
void Trace(const std::string& url, const char* step, Clock::time_point since) {
  static const bool on = std::getenv("BLINDSPOT_SCAN_TRACE") != nullptr;
  if (!on) return;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
  std::fprintf(stderr, "trace %6lld ms %-12s %s\n", static_cast<long long>(ms), step, url.c_str());
}

// ---- one tab -----------------------------------------------------------------

class CdpScripting : public PageScripting {
 public:
  CdpScripting(Browser* b, std::string session, Clock::time_point deadline)
      : b_(b), session_(std::move(session)), deadline_(deadline) {}
  void set_deadline(Clock::time_point d) { deadline_ = d; }
  Result<Json> Evaluate(const std::string& expression, int context_id) override {
    Json p = {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}};
    if (context_id != 0) p["contextId"] = context_id;
    auto r = b_->Call("Runtime.evaluate", std::move(p), session_, deadline_);
    if (!r) return std::unexpected(r.error());
    if (auto ex = r->find("exceptionDetails"); ex != r->end()) {
      std::string text = ex->value("text", std::string("exception"));
      if (auto e = ex->find("exception"); e != ex->end())
        text += ": " + e->value("description", std::string());
      return MakeError(ErrorKind::kInternal, "script error: " + text.substr(0, 300));
    }
    auto res = r->find("result");
    if (res == r->end()) return Json();
    return res->value("value", Json());
  }

 private:
  Browser* b_;
  std::string session_;
  Clock::time_point deadline_;
};

}  // namespace

struct Tab {
  std::string target_id, session;
  std::mutex mu;
  std::condition_variable cv;
  int page = -1;  // index into PhaseLog::pages while loading
  int inflight = 0;
  Clock::time_point last_activity = Clock::now();
  bool load_fired = false;
  std::string main_frame;
  std::deque<std::pair<std::string, int>> bindings;  // payload, execution context
  bool dialog = false;
  std::set<std::string> open;  // request ids in flight
  // The consent driver keys frames by (scripting, context): one per tab.
  std::unique_ptr<CdpScripting> scripting;
  std::string consent_script_id;  // Page.addScriptToEvaluateOnNewDocument's identifier, while injected
};

// ---- the events of one phase -------------------------------------------------

void PhaseLog::OnEvent(Tab& tab, const std::string& method, const Json& p) {
  auto touch = [&] {
    tab.last_activity = Clock::now();
    tab.cv.notify_all();
  };
  if (method == "Network.requestWillBeSent") {
    std::string id = p.value("requestId", "");
    const Json& req = p.contains("request") ? p["request"] : Json::object();
    std::string url = req.value("url", "");
    if (url.rfind("data:", 0) == 0 || url.rfind("blob:", 0) == 0) return;
    std::lock_guard lock(mu);
    int page;
    {
      std::lock_guard tl(tab.mu);
      page = tab.page;
      if (tab.open.insert(id).second) ++tab.inflight;
      touch();
    }
    if (p.contains("redirectResponse")) {
      auto it = current.find(id);
      if (it != current.end()) {
        Hop& prev = hops[it->second];
        ApplyResponse(prev, p["redirectResponse"]);
        prev.redirect_url = url;
        prev.finished = true;
        prev.end_ts = p.value("timestamp", 0.0);
      }
    }
    Hop h;
    h.request_id = id;
    h.url = url;
    h.method = req.value("method", "GET");
    h.resource_type = p.value("type", "Other");
    h.wall_time = p.value("wallTime", 0.0);
    h.ts = p.value("timestamp", 0.0);
    h.page = page;
    h.frame_id = p.value("frameId", "");
    h.document_url = p.value("documentURL", "");
    h.seq = next_seq++;
    if (req.contains("headers") && req["headers"].is_object()) h.req_headers = req["headers"];
    if (auto pd = req.find("postData"); pd != req.end() && pd->is_string()) {
      h.post_data = pd->get<std::string>();
    } else if (auto entries = req.find("postDataEntries"); entries != req.end() && entries->is_array()) {
      for (const auto& e : *entries) h.post_data += Base64Decode(e.value("bytes", ""));
    }
    if (h.post_data.size() > max_post_bytes) {
      h.post_data.resize(max_post_bytes);
      h.post_truncated = true;
    }
    if (auto ct = h.req_headers.find("Content-Type"); ct != h.req_headers.end() && ct->is_string())
      h.post_mime = ct->get<std::string>();
    else if (auto ct2 = h.req_headers.find("content-type"); ct2 != h.req_headers.end() && ct2->is_string())
      h.post_mime = ct2->get<std::string>();
    if (auto ini = p.find("initiator"); ini != p.end()) {
      h.initiator_type = ini->value("type", "");
      h.initiator_url = ini->value("url", "");
      if (h.initiator_url.empty()) {
        if (auto st = ini->find("stack"); st != ini->end()) {
          for (const auto& f : st->value("callFrames", Json::array())) {
            std::string u = f.value("url", "");
            if (!u.empty()) {
              h.initiator_url = u;
              break;
            }
          }
        }
      }
    }
    // Extra info that came first.
    if (auto ex = req_extra.find(id); ex != req_extra.end() && !ex->second.empty()) {
      ApplyRequestExtra(h, ex->second.front());
      ex->second.pop_front();
    }
    current[id] = hops.size();
    hops.push_back(std::move(h));
    return;
  }
  if (method == "Network.requestWillBeSentExtraInfo") {
    std::string id = p.value("requestId", "");
    std::lock_guard lock(mu);
    auto it = current.find(id);
    if (it != current.end() && !hops[it->second].req_extra) {
      ApplyRequestExtra(hops[it->second], p);
    } else {
      req_extra[id].push_back(p);
    }
    return;
  }
  if (method == "Network.responseReceived") {
    std::string id = p.value("requestId", "");
    std::lock_guard lock(mu);
    auto it = current.find(id);
    if (it == current.end()) return;
    Hop& h = hops[it->second];
    if (p.contains("response")) ApplyResponse(h, p["response"]);
    if (auto ex = resp_extra.find(id); ex != resp_extra.end() && !ex->second.empty()) {
      ApplyResponseExtra(h, ex->second.front());
      ex->second.pop_front();
    }
    return;
  }
  if (method == "Network.responseReceivedExtraInfo") {
    std::string id = p.value("requestId", "");
    std::lock_guard lock(mu);
    auto it = current.find(id);
    // Redirect hops get theirs before the next requestWillBeSent; a final
    // response may get it before or after responseReceived.
    if (it != current.end() && !hops[it->second].resp_extra) {
      ApplyResponseExtra(hops[it->second], p);
    } else {
      resp_extra[id].push_back(p);
    }
    return;
  }
  if (method == "Network.loadingFinished" || method == "Network.loadingFailed") {
    std::string id = p.value("requestId", "");
    {
      std::lock_guard lock(mu);
      auto it = current.find(id);
      if (it != current.end()) {
        Hop& h = hops[it->second];
        h.finished = true;
        h.end_ts = p.value("timestamp", 0.0);
        if (method == "Network.loadingFailed") {
          h.failed = true;
          h.error = p.value("errorText", "");
          if (p.value("canceled", false)) h.error += " (canceled)";
          if (p.contains("blockedReason")) h.error += " (blocked: " + p.value("blockedReason", "") + ")";
        }
        h.encoded_size = static_cast<uint64_t>(p.value("encodedDataLength", 0.0));
      }
    }
    std::lock_guard tl(tab.mu);
    if (tab.open.erase(id) > 0) --tab.inflight;
    touch();
    return;
  }
  if (method == "Page.loadEventFired") {
    std::lock_guard tl(tab.mu);
    tab.load_fired = true;
    touch();
    return;
  }
  if (method == "Runtime.bindingCalled") {
    std::lock_guard tl(tab.mu);
    tab.bindings.emplace_back(p.value("payload", ""), p.value("executionContextId", 0));
    touch();
    return;
  }
  if (method == "Runtime.exceptionThrown" || method == "Runtime.consoleAPICalled") {
    static const bool trace = std::getenv("BLINDSPOT_SCAN_TRACE") != nullptr;
    if (trace) std::fprintf(stderr, "trace page %s: %s\n", method.c_str(), p.dump().substr(0, 400).c_str());
    return;
  }
  if (method == "Page.javascriptDialogOpening") {
    std::lock_guard tl(tab.mu);
    tab.dialog = true;
    touch();
    return;
  }
}

namespace {

// ---- crawl queue ----------------------------------------------------------------

// The pages of the crawling phase, in the order it takes them, handed to the
// later phases as they come: page i of every phase is the same URL.
class PageFeed {
 public:
  void Push(const std::string& url) {
    std::lock_guard lock(mu_);
    urls_.push_back(url);
    cv_.notify_all();
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }
  // Waits until page `i` is known (true) or the crawl has ended without it,
  // the deadline passed or the scan was cancelled (false).
  bool Get(size_t i, Clock::time_point deadline, std::string* url) {
    std::unique_lock lock(mu_);
    while (i >= urls_.size() && !closed_ && !Cancelled() && Clock::now() < deadline)
      cv_.wait_for(lock, std::chrono::milliseconds(100));
    if (i >= urls_.size()) return false;
    *url = urls_[i];
    return true;
  }
  size_t size() const {
    std::lock_guard lock(mu_);
    return urls_.size();
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> urls_;
  bool closed_ = false;
};

// Pages loading at once over all phases (--concurrency). The phases run side
// by side, each in its own browser; on a machine with few cores, more pages
// at once than the cores can render only made every page slower (and its
// scripts' timers fire more often while it waited). A counting semaphore that
// also gives up at the deadline or on cancel (polled, as the other waits here).
class VisitSlots {
 public:
  explicit VisitSlots(size_t n) : free_(n) {}
  // False when the deadline passed or the scan was cancelled first.
  bool Acquire(Clock::time_point deadline) {
    std::unique_lock lock(mu_);
    while (free_ == 0 && !Cancelled() && Clock::now() < deadline)
      cv_.wait_for(lock, std::chrono::milliseconds(100));
    if (free_ == 0) return false;
    --free_;
    return true;
  }
  void Release() {
    {
      std::lock_guard lock(mu_);
      ++free_;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  size_t free_;
};

// One page's hold on a slot: taken before the page loads, given back when its
// load event has fired (the settling that follows mostly waits on the
// network, and the next page of another tab can load meanwhile), or at the
// latest when the visit ends.
class SlotGuard {
 public:
  SlotGuard(VisitSlots* slots, Clock::time_point deadline) : slots_(slots), held_(slots->Acquire(deadline)) {}
  ~SlotGuard() { Release(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;
  bool held() const { return held_; }
  void Release() {
    if (held_) slots_->Release();
    held_ = false;
  }

 private:
  VisitSlots* slots_;
  bool held_;
};

// The crawl queue of the first phase: breadth first, de-duplicated, same site.
// A worker that finds the queue empty waits while other pages are still
// loading (their links may fill it).
class Frontier {
 public:
  Frontier(std::string site, size_t max_pages, PageFeed* feed)
      : site_(std::move(site)), max_(max_pages), feed_(feed) {}
  // Adds a URL when it is a same-site http(s) page not seen before.
  void Add(const std::string& url, int depth, bool priority) {
    std::string key = CrawlKey(url);
    if (key.empty()) return;
    UrlParts parts;
    if (!SplitUrl(key, &parts) || RegistrableDomain(parts.host) != site_) return;
    std::lock_guard lock(mu_);
    if (!seen_.insert(key).second) return;
    if (priority)
      queue_.emplace_front(key, depth);
    else
      queue_.emplace_back(key, depth);
    cv_.notify_all();
  }
  // Takes `url` as page 0 without queueing it (the first page).
  void Reserve(const std::string& url) {
    std::lock_guard lock(mu_);
    seen_.insert(CrawlKey(url));
    ++taken_;
    if (feed_ != nullptr) feed_->Push(url);
  }
  // The next page, or false when the limit is reached, or the queue is empty
  // and no page is loading any more.
  bool Next(std::string* url, int* depth, int* index, Clock::time_point deadline) {
    std::unique_lock lock(mu_);
    while (taken_ < max_ && queue_.empty() && busy_ > 0 && !Cancelled() && Clock::now() < deadline)
      cv_.wait_for(lock, std::chrono::milliseconds(100));
    if (queue_.empty() || taken_ >= max_) return false;
    *url = queue_.front().first;
    *depth = queue_.front().second;
    queue_.pop_front();
    *index = static_cast<int>(taken_++);
    ++busy_;
    if (feed_ != nullptr) feed_->Push(*url);
    return true;
  }
  // A page taken with Next() is done (its links are in).
  void Done() {
    std::lock_guard lock(mu_);
    --busy_;
    cv_.notify_all();
  }

 private:
  std::string site_;
  size_t max_;
  PageFeed* feed_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<std::string, int>> queue_;
  std::set<std::string> seen_;
  size_t taken_ = 0;
  int busy_ = 0;
};

// ---- running a phase ------------------------------------------------------------

class PhaseRunner {
 public:
  PhaseRunner(const ScanOptions& o, Phase phase, size_t phase_index, size_t phase_count, std::string site,
              Clock::time_point scan_deadline, const ProgressFn& progress, std::mutex* progress_mu,
              VisitSlots* slots)
      : o_(o),
        phase_(phase),
        phase_index_(phase_index),
        phase_count_(phase_count),
        site_(std::move(site)),
        deadline_(scan_deadline),
        progress_(progress),
        progress_mu_(progress_mu),
        slots_(slots) {
    log_.max_post_bytes = o.max_post_bytes;
  }

  // Crawls from the start URL (phase 1), or visits `fixed` pages in order
  // (the later phases visit what the first one found).
  // The crawling phase (`list` null) crawls from the start URL; the others
  // operate the banner on the start page, then visit the pages the
  // crawling phase found (`list`, once it is ready), in its order.
  Status Run(const std::string& start_url, PageFeed* feed, bool crawl);

  PhaseLog& log() { return log_; }
  std::vector<std::string>& notes() { return notes_; }
  const ConsentOutcome& consent() const { return consent_; }
  bool consent_ran() const { return consent_ran_; }
  uint64_t peak_rss() const { return peak_rss_; }
  std::string product, user_agent, protocol;

 private:
  Status OpenTab(Tab& tab);
  void Worker(Tab& tab, Frontier& frontier, bool crawl, PageFeed* feed);
  bool VisitPage(Tab& tab, const std::string& url, int index, int depth, bool crawl, Frontier& frontier,
                 bool consent_page, SlotGuard& slot);
  // Waits until `pred` (checked under tab.mu) or the deadline; handles
  // bindings and dialogs meanwhile. False on timeout or cancel.
  bool WaitFor(Tab& tab, Clock::time_point deadline, const std::function<bool()>& pred);
  void Settle(Tab& tab, Clock::time_point page_deadline);
  void DrainBindings(Tab& tab, Clock::time_point deadline);
  void Report(const std::string& url, bool finished);

  const ScanOptions& o_;
  Phase phase_;
  size_t phase_index_, phase_count_;
  std::string site_;
  Clock::time_point deadline_;
  const ProgressFn& progress_;
  std::mutex* progress_mu_;
  VisitSlots* slots_;
  std::unique_ptr<Browser> browser_;
  PhaseLog log_;
  std::vector<std::string> notes_;
  std::mutex notes_mu_;
  std::unique_ptr<ConsentDriver> driver_;  // the first page's (phases 2 and 3), and phase 1's detection
  Tab* driver_tab_ = nullptr;
  ConsentOutcome consent_;
  bool consent_ran_ = false;
  uint64_t peak_rss_ = 0;
  std::atomic<size_t> done_{0};
  std::atomic<size_t> next_fixed_{1};  // the later phases: the next page index to take from the feed
  size_t total_ = 0;
};

void PhaseRunner::Report(const std::string& url, bool finished) {
  if (!progress_) return;
  Progress p;
  p.phase = phase_;
  p.phase_index = phase_index_;
  p.phase_count = phase_count_;
  p.done = done_.load();
  p.total = total_;
  p.url = url;
  p.finished_page = finished;
  std::lock_guard lock(*progress_mu_);
  progress_(p);
}

Status PhaseRunner::OpenTab(Tab& tab) {
  auto dl = std::min(deadline_, Clock::now() + std::chrono::seconds(20));
  // Each tab in its own window: a background tab is not rendered, and its
  // screenshot would wait for the page timeout.
  auto t = browser_->Call("Target.createTarget", {{"url", "about:blank"}, {"newWindow", true}}, "", dl);
  if (!t) return std::unexpected(t.error());
  tab.target_id = t->value("targetId", "");
  auto a = browser_->Call("Target.attachToTarget", {{"targetId", tab.target_id}, {"flatten", true}}, "", dl);
  if (!a) return std::unexpected(a.error());
  tab.session = a->value("sessionId", "");
  browser_->SetHandler(tab.session,
                       [this, &tab](const std::string& m, const Json& p) { log_.OnEvent(tab, m, p); });
  auto call = [&](const char* m, Json p) -> Status {
    auto r = browser_->Call(m, std::move(p), tab.session, dl);
    if (!r) return std::unexpected(r.error());
    return {};
  };
  if (auto s = call("Network.enable", {{"maxPostDataSize", o_.max_post_bytes}}); !s) return s;
  if (auto s = call("Page.enable", Json::object()); !s) return s;
  if (auto s = call("Runtime.enable", Json::object()); !s) return s;
  // No cache between pages of a phase would hide repeat beacons; the cache
  // stays on (a real visitor's), but service workers are bypassed so every
  // request is seen.
  if (auto s = call("Network.setBypassServiceWorker", {{"bypass", true}}); !s) return s;
  std::string ua = o_.user_agent;
  if (o_.mobile && ua.empty()) {
    ua = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) " +
         std::string("Chrome/") + product.substr(product.find('/') + 1) + " Mobile Safari/537.36";
  }
  if (!ua.empty() || !o_.lang.empty()) {
    Json p = {{"userAgent", ua.empty() ? user_agent : ua}, {"acceptLanguage", o_.lang}};
    if (auto s = call("Emulation.setUserAgentOverride", std::move(p)); !s) return s;
  }
  if (o_.mobile) {
    if (auto s = call("Emulation.setDeviceMetricsOverride",
                      {{"width", 412}, {"height", 915}, {"deviceScaleFactor", 2.625}, {"mobile", true}});
        !s)
      return s;
    if (auto s = call("Emulation.setTouchEmulationEnabled", {{"enabled", true}, {"maxTouchPoints", 5}}); !s)
      return s;
  }
  if (auto s = call("Emulation.setFocusEmulationEnabled", {{"enabled", true}}); !s) return s;
  tab.scripting = std::make_unique<CdpScripting>(browser_.get(), tab.session, deadline_);
  return {};
}

bool PhaseRunner::WaitFor(Tab& tab, Clock::time_point deadline, const std::function<bool()>& pred) {
  while (true) {
    DrainBindings(tab, deadline);
    {
      std::unique_lock lock(tab.mu);
      if (pred()) return true;
      if (Cancelled() || !browser_->alive()) return false;
      auto now = Clock::now();
      if (now >= deadline) return false;
      tab.cv.wait_until(lock, std::min(deadline, now + std::chrono::milliseconds(50)));
      if (pred()) return true;
    }
  }
}

void PhaseRunner::DrainBindings(Tab& tab, Clock::time_point deadline) {
  std::deque<std::pair<std::string, int>> items;
  bool dialog = false;
  {
    std::lock_guard lock(tab.mu);
    items.swap(tab.bindings);
    dialog = tab.dialog;
    tab.dialog = false;
  }
  if (dialog) {
    (void)browser_->Call("Page.handleJavaScriptDialog", {{"accept", false}}, tab.session,
                         std::min(deadline, Clock::now() + std::chrono::seconds(2)));
  }
  if (items.empty() || !driver_ || &tab != driver_tab_)
    return;  // the page script runs only in the consent tab
  tab.scripting->set_deadline(std::min(deadline_, Clock::now() + std::chrono::seconds(15)));
  for (auto& [payload, ctx] : items) driver_->OnBindingCalled(payload, ctx, *tab.scripting);
}

void PhaseRunner::Settle(Tab& tab, Clock::time_point page_deadline) {
  auto cap = std::min(page_deadline, Clock::now() + o_.settle_max);
  auto min_until = Clock::now() + o_.settle_min;
  WaitFor(tab, cap, [&] {
    auto now = Clock::now();
    return now >= min_until && tab.inflight <= 0 && now - tab.last_activity >= o_.idle_quiet;
  });
}

bool PhaseRunner::VisitPage(Tab& tab, const std::string& url, int index, int depth, bool crawl,
                            Frontier& frontier, bool consent_page, SlotGuard& slot) {
  auto page_deadline = std::min(deadline_, Clock::now() + o_.page_timeout);
  PageRecord rec;
  rec.index = index;
  rec.url = url;
  rec.depth = depth;
  rec.wall_started = WallNow();
  {
    std::lock_guard lock(log_.mu);
    if (log_.pages.size() <= static_cast<size_t>(index)) log_.pages.resize(static_cast<size_t>(index) + 1);
    log_.pages[static_cast<size_t>(index)] = rec;
  }
  {
    std::lock_guard lock(tab.mu);
    tab.page = index;
    tab.load_fired = false;
    tab.last_activity = Clock::now();
  }
  Report(url, false);
  auto setp = [&](auto&& f) {
    std::lock_guard lock(log_.mu);
    f(log_.pages[static_cast<size_t>(index)]);
  };

  if (consent_page) {
    // autoconsent's page script and its binding, for this page only.
    driver_ = std::make_unique<ConsentDriver>(phase_ == Phase::kAfterReject   ? ConsentAction::kReject
                                              : phase_ == Phase::kAfterAccept ? ConsentAction::kAccept
                                                                              : ConsentAction::kNone);
    driver_tab_ = &tab;
    auto dl = std::min(page_deadline, Clock::now() + std::chrono::seconds(10));
    auto b = browser_->Call("Runtime.addBinding", {{"name", std::string(ConsentDriver::kBinding)}},
                            tab.session, dl);
    auto sc = browser_->Call("Page.addScriptToEvaluateOnNewDocument",
                             {{"source", std::string(ConsentDriver::PageScript())}}, tab.session, dl);
    if (sc) tab.consent_script_id = sc->value("identifier", "");
    (void)b;
  }
  auto nav = browser_->Call("Page.navigate", {{"url", url}}, tab.session, page_deadline);
  if (!nav) {
    setp([&](PageRecord& p) { p.error = nav.error().message; });
    return false;
  }
  if (std::string err = nav->value("errorText", ""); !err.empty()) {
    setp([&](PageRecord& p) { p.error = err; });
    Settle(tab, page_deadline);
    return false;
  }
  auto t0 = Clock::now();
  bool loaded = WaitFor(tab, page_deadline, [&] { return tab.load_fired; });
  Trace(url, "load", t0);
  // The consent page keeps its slot: the banner is operated and the page
  // loaded again.
  if (!consent_page) slot.Release();
  if (!loaded) {
    setp([&](PageRecord& p) {
      p.error = Cancelled() ? "cancelled" : "no load event within the page timeout";
    });
  }
  Settle(tab, page_deadline);
  Trace(url, "settled", t0);

  if (consent_page) {
    // Give the consent manager time to show and the driver time to act.
    auto consent_deadline = std::min(page_deadline, Clock::now() + std::chrono::seconds(12));
    WaitFor(tab, consent_deadline, [&] { return driver_->Finished(); });
    DrainBindings(tab, page_deadline);
    consent_ = driver_->Outcome();
    consent_ran_ = true;
    if (phase_ != Phase::kBeforeConsent) {
      // What counts for this phase is what happens after the choice: the
      // requests from now on, and the page loaded again with it.
      {
        std::lock_guard lock(log_.mu);
        log_.action_seq = log_.next_seq;
      }
      Settle(tab, page_deadline);
      {
        std::lock_guard lock(tab.mu);
        tab.load_fired = false;
      }
      auto re = browser_->Call("Page.reload", Json::object(), tab.session, page_deadline);
      if (re) WaitFor(tab, page_deadline, [&] { return tab.load_fired; });
      Settle(tab, page_deadline);
    }
    if (!tab.consent_script_id.empty()) {
      (void)browser_->Call("Page.removeScriptToEvaluateOnNewDocument",
                           {{"identifier", tab.consent_script_id}}, tab.session, page_deadline);
      tab.consent_script_id.clear();
    }
    driver_tab_ = nullptr;
  }

  if (o_.fill_forms && !Cancelled()) {
    std::string fn(EmbeddedScript("scan/fill.js"));
    Json id = {{"email", o_.identity.email},
               {"first_name", o_.identity.first_name},
               {"last_name", o_.identity.last_name},
               {"phone", o_.identity.phone},
               {"postcode", o_.identity.postcode}};
    tab.scripting->set_deadline(page_deadline);
    auto filled = tab.scripting->Evaluate(fn + "(" + id.dump() + ")", 0);
    if (filled && filled->is_array() && !filled->empty()) {
      setp([&](PageRecord& p) { p.filled = *filled; });
      Settle(tab, page_deadline);
    }
  }

  // The page as it stands: probe, cookies, screenshot, HTML bodies.
  tab.scripting->set_deadline(page_deadline);
  Trace(url, "pre-probe", t0);
  auto probe = tab.scripting->Evaluate(std::string(EmbeddedScript("scan/probe.js")), 0);
  Trace(url, "probe", t0);
  if (probe && probe->is_object()) {
    if (crawl) {
      for (const auto& l : probe->value("statements", Json::array()))
        frontier.Add(l.value("href", ""), depth + 1, true);
      for (const auto& l : probe->value("links", Json::array()))
        frontier.Add(l.value("href", ""), depth + 1, false);
    }
    setp([&](PageRecord& p) { p.probe = std::move(*probe); });
  } else if (!probe) {
    setp([&](PageRecord& p) {
      if (p.error.empty()) p.error = probe.error().message;
    });
  }
  if (auto c = browser_->Call("Network.getAllCookies", Json::object(), tab.session, page_deadline); c) {
    std::lock_guard lock(log_.mu);
    for (const auto& ck : c->value("cookies", Json::array())) log_.ObserveCookie(ck, index);
  }
  if (o_.screenshots) {
    auto shot = browser_->Call("Page.captureScreenshot",
                               Json{{"format", "jpeg"}, {"quality", 80}, {"optimizeForSpeed", true}},
                               tab.session, page_deadline);
    if (shot) setp([&](PageRecord& p) { p.screenshot = Base64Decode(shot->value("data", "")); });
  }
  Trace(url, "screenshot", t0);
  std::vector<std::pair<size_t, std::string>> want;
  {
    std::lock_guard lock(log_.mu);
    for (size_t i = 0; i < log_.hops.size(); ++i) {
      const Hop& h = log_.hops[i];
      if (h.page == index && h.body.empty() && !h.failed && h.redirect_url.empty() && h.status >= 200 &&
          (h.resource_type == "Document" || h.mime.find("html") != std::string::npos ||
           IsCmpDeclarationUrl(h.url)))
        want.emplace_back(i, h.request_id);
    }
  }
  for (auto& [i, rid] : want) {
    auto b = browser_->Call("Network.getResponseBody", {{"requestId", rid}}, tab.session, page_deadline);
    if (!b) continue;
    std::string body = b->value("body", "");
    bool b64 = b->value("base64Encoded", false);
    if (b64) body = Base64Decode(body);
    if (body.size() > o_.max_body_bytes) body.resize(o_.max_body_bytes);
    std::lock_guard lock(log_.mu);
    log_.hops[i].body = std::move(body);
  }
  Trace(url, "bodies", t0);
  setp([&](PageRecord& p) {
    p.wall_finished = WallNow();
    if (p.probe.is_object()) p.final_url = p.probe.value("url", "");
  });
  {
    std::lock_guard lock(tab.mu);
    tab.page = -1;
  }
  return true;
}

void PhaseRunner::Worker(Tab& tab, Frontier& frontier, bool crawl, PageFeed* feed) {
  std::string url;
  int depth = 0, index = 0;
  while (!Cancelled() && Clock::now() < deadline_ && browser_->alive()) {
    if (crawl) {
      if (!frontier.Next(&url, &depth, &index, deadline_)) break;
    } else {
      index = static_cast<int>(next_fixed_.fetch_add(1));
      depth = 1;
      if (static_cast<size_t>(index) >= o_.max_pages ||
          !feed->Get(static_cast<size_t>(index), deadline_, &url))
        break;
    }
    bool visited = false;
    {
      SlotGuard slot(slots_, deadline_);
      if (slot.held()) {
        VisitPage(tab, url, index, depth, crawl, frontier, false, slot);
        visited = true;
      }
    }
    if (crawl) frontier.Done();
    if (!visited) break;
    ++done_;
    Report(url, true);
  }
}

Status PhaseRunner::Run(const std::string& start_url, PageFeed* feed, bool crawl) {
  BrowserOptions bo;
  bo.executable = o_.browser;
  bo.extra_args = o_.browser_args;
  bo.lang = o_.lang;
  bo.max_memory_mb = o_.max_browser_memory_mb;
  auto b = Browser::Launch(bo);
  if (!b) return std::unexpected(b.error());
  browser_ = std::move(*b);
  product = browser_->product();
  user_agent = browser_->user_agent();
  protocol = browser_->protocol();
  total_ = o_.max_pages;

  size_t tabs = std::max<uint32_t>(1, std::min<uint32_t>(o_.concurrency, o_.max_pages));
  std::vector<std::unique_ptr<Tab>> tab_list;
  for (size_t i = 0; i < tabs; ++i) {
    auto t = std::make_unique<Tab>();
    if (auto s = OpenTab(*t); !s) {
      if (i == 0) return s;
      break;  // fewer tabs than asked: go on with those open
    }
    tab_list.push_back(std::move(t));
  }

  Frontier frontier(site_, o_.max_pages, crawl ? feed : nullptr);
  // The first page alone: its links fill the queue, its banner is operated.
  frontier.Reserve(start_url);
  {
    SlotGuard slot(slots_, deadline_);
    if (slot.held()) VisitPage(*tab_list[0], start_url, 0, 0, crawl, frontier, true, slot);
  }
  ++done_;
  Report(start_url, true);
  std::vector<std::thread> threads;
  for (auto& t : tab_list)
    threads.emplace_back([this, &t, &frontier, crawl, feed] { Worker(*t, frontier, crawl, feed); });
  for (auto& t : threads) t.join();
  if (crawl) {
    total_ = done_.load();
    feed->Close();
  }
  peak_rss_ = browser_->peak_rss_bytes();
  if (!browser_->alive() && !Cancelled()) {
    notes_.push_back(std::string(PhaseName(phase_)) + ": " + browser_->ended_reason());
  }
  for (auto& t : tab_list) browser_->RemoveHandler(t->session);
  browser_.reset();  // ends Chromium and removes its profile
  if (Cancelled()) return MakeError(ErrorKind::kInternal, "the scan was cancelled");
  return {};
}

}  // namespace

// ---- public --------------------------------------------------------------------

uint32_t DefaultConcurrency() {
  unsigned cores = std::thread::hardware_concurrency();
  return std::clamp<uint32_t>(cores + 1, 2, 8);
}

std::string_view PhaseName(Phase p) {
  switch (p) {
    case Phase::kBeforeConsent:
      return "before-consent";
    case Phase::kAfterReject:
      return "after-reject";
    case Phase::kAfterAccept:
      return "after-accept";
  }
  return "before-consent";
}

std::optional<Phase> ParsePhase(std::string_view name) {
  for (Phase p : {Phase::kBeforeConsent, Phase::kAfterReject, Phase::kAfterAccept}) {
    if (PhaseName(p) == name) return p;
  }
  return std::nullopt;
}

bool IsNonPublicAddress(std::string_view ip) {
  std::string s(ip);
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    uint32_t a = ntohl(v4.s_addr);
    auto in = [&](uint32_t net, int bits) { return (a >> (32 - bits)) == (net >> (32 - bits)); };
    return in(0x00000000, 8) || in(0x0A000000, 8) || in(0x7F000000, 8) || in(0xA9FE0000, 16) ||
           in(0xAC100000, 12) || in(0xC0A80000, 16) || in(0x64400000, 10) || in(0xC0000000, 24) ||
           in(0xC6120000, 15) || in(0xE0000000, 4) || in(0xF0000000, 4);
  }
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    const uint8_t* b = v6.s6_addr;
    static const uint8_t zero[16] = {};
    bool unspecified = std::equal(b, b + 16, zero);
    bool loopback = std::equal(b, b + 15, zero) && b[15] == 1;
    bool mapped = std::equal(b, b + 10, zero) && b[10] == 0xff && b[11] == 0xff;
    if (mapped) {
      char buf[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, b + 12, buf, sizeof buf);
      return IsNonPublicAddress(buf);
    }
    return unspecified || loopback || (b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
           b[0] == 0xff;
  }
  return false;
}

Result<std::string> CheckStartUrl(std::string_view in, bool no_private_networks) {
  std::string url(in);
  while (!url.empty() && (url.back() == ' ' || url.back() == '\n' || url.back() == '\r')) url.pop_back();
  while (!url.empty() && url.front() == ' ') url.erase(0, 1);
  if (url.empty()) return MakeError(ErrorKind::kUsage, "no URL to scan", {}, "an http:// or https:// URL");
  size_t colon = url.find(':');
  size_t slash = url.find('/');
  bool has_scheme = colon != std::string::npos && (slash == std::string::npos || colon < slash) &&
                    url.compare(colon, 3, "://") == 0;
  bool other_scheme =
      colon != std::string::npos && (slash == std::string::npos || colon < slash) && !has_scheme &&
      url.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-") == colon &&
      !std::all_of(url.begin() + static_cast<std::ptrdiff_t>(colon) + 1, url.end(),
                   [](char c) { return c >= '0' && c <= '9'; });
  if (has_scheme || other_scheme) {
    std::string scheme = url.substr(0, colon);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (scheme != "http" && scheme != "https") {
      return MakeError(ErrorKind::kUsage, "refusing to scan a " + scheme + ": URL: " + url, {},
                       "an http:// or https:// URL", "the scan only visits web pages");
    }
  } else {
    url = "https://" + url;
  }
  UrlParts parts;
  if (!SplitUrl(url, &parts) || parts.host.empty()) {
    return MakeError(ErrorKind::kUsage, "not a URL with a host: " + std::string(in), {},
                     "an http:// or https:// URL such as https://www.example.nl/");
  }
  if (parts.path.empty() && url.find('?') == std::string::npos) url += "/";
  if (no_private_networks) {
    std::string host(parts.host);
    if (!host.empty() && host.front() == '[') host = host.substr(1, host.size() - 2);
    if (IsNonPublicAddress(host) || host == "localhost" || host.ends_with(".localhost")) {
      return MakeError(ErrorKind::kUsage, "refusing to scan " + host + ": a loopback or private address", {},
                       "a public website", "--no-private-networks is set");
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), nullptr, &hints, &res) == 0) {
      for (addrinfo* a = res; a != nullptr; a = a->ai_next) {
        char buf[INET6_ADDRSTRLEN] = {};
        const void* addr =
            a->ai_family == AF_INET
                ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr)
                : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr);
        inet_ntop(a->ai_family, addr, buf, sizeof buf);
        if (IsNonPublicAddress(buf)) {
          freeaddrinfo(res);
          return MakeError(
              ErrorKind::kUsage,
              "refusing to scan " + host + ": it resolves to " + buf + ", a loopback or private address", {},
              "a public website", "--no-private-networks is set");
        }
      }
      freeaddrinfo(res);
    }
  }
  return url;
}

Result<ScanResult> Scan(const ScanOptions& options, const std::function<std::string()>& now,
                        const ProgressFn& progress) {
  ScanOptions o = options;
  // --fill-forms without a given e-mail address: a new test address per scan
  // (ScanOptions::identity), the same in every phase so its leaks compare.
  if (o.fill_forms && o.identity.email.empty()) {
    static constexpr char kAlnum[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device rd;
    std::string tag;
    for (int i = 0; i < 10; ++i) tag.push_back(kAlnum[rd() % (sizeof kAlnum - 1)]);
    o.identity.email = TestIdentity::ForTag(tag).email;
  }
  auto url = CheckStartUrl(o.start_url, o.no_private_networks);
  if (!url) return std::unexpected(url.error());
  if (o.max_pages == 0) return MakeError(ErrorKind::kUsage, "--pages must be at least 1");
  if (o.concurrency == 0 || o.concurrency > 16)
    return MakeError(ErrorKind::kUsage, "--concurrency must be 1 to 16");
  if (o.phases.empty()) return MakeError(ErrorKind::kUsage, "no consent phase to scan");
  ScanResult result;
  result.start_url = *url;
  UrlParts parts;
  SplitUrl(*url, &parts);
  result.site = RegistrableDomain(parts.host);
  result.started = now();
  auto deadline = Clock::now() + o.timeout;
  std::mutex progress_mu;
  // The phases run at the same time, each in its own browser: the first one
  // crawls; the others operate the banner meanwhile, then visit its pages.
  PageFeed feed;
  VisitSlots visit_slots(o.concurrency);
  struct Slot {
    std::unique_ptr<PhaseRunner> runner;
    Status status;
    std::string started, finished;
  };
  std::vector<Slot> slots(o.phases.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < o.phases.size(); ++i) {
    slots[i].runner = std::make_unique<PhaseRunner>(o, o.phases[i], i, o.phases.size(), result.site, deadline,
                                                    progress, &progress_mu, &visit_slots);
    threads.emplace_back([&, i] {
      Slot& slot = slots[i];
      slot.started = now();
      slot.status = slot.runner->Run(*url, &feed, /*crawl=*/i == 0);
      if (i == 0) feed.Close();  // also when the crawl failed: the others stop waiting
      slot.finished = now();
    });
  }
  for (auto& t : threads) t.join();
  for (size_t i = 0; i < slots.size(); ++i) {
    if (!slots[i].status) return std::unexpected(slots[i].status.error());
  }
  for (size_t i = 0; i < slots.size(); ++i) {
    PhaseRunner& runner = *slots[i].runner;
    if (result.browser_product.empty()) {
      result.browser_product = runner.product;
      result.browser_user_agent = runner.user_agent;
      result.protocol = runner.protocol;
    }
    result.peak_browser_rss += runner.peak_rss();
    PhaseInput in{o.phases[i], slots[i].started, slots[i].finished,
                  result.site, &runner.log(),    runner.consent_ran() ? &runner.consent() : nullptr,
                  &o};
    PhaseSummary summary;
    AppendPhaseFiles(in, &result.files, &summary, &result.notes);
    for (auto& n : runner.notes()) result.notes.push_back(std::move(n));
    result.phases.push_back(summary);
  }
  if (Clock::now() >= deadline) result.notes.push_back("the scan reached its time limit (--timeout)");
  result.finished = now();
  return result;
}

}  // namespace blindspot::scan
