// The Chrome DevTools Protocol over --remote-debugging-pipe: a Chromium child
// process started with fd 3 (commands to the browser) and fd 4 (replies and
// events from it); messages are JSON texts ended by a NUL byte. No network
// library and no port: only the parent can talk to the browser.
//
// Ownership: a Browser owns its process (and the process group it leads, so
// renderers and helpers end with it), its temporary profile directory and a
// reader thread. The destructor always ends the browser (SIGTERM to the group,
// SIGKILL after a grace period), reaps it and removes the profile; it never
// throws. Every live browser is also in a process-wide list that
// KillAllBrowsers() ends from a signal handler (Ctrl-C).
//
// Threads: Call() may be used from any number of threads at once; each blocks
// until its reply, its deadline or the browser's end. Event handlers run on
// the reader thread, one at a time, and must not call Call().
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "blindspot/error.h"
#include "blindspot/scan.h"

namespace blindspot::scan {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;

struct BrowserOptions {
  std::string executable = "/usr/bin/chromium";
  std::vector<std::string> extra_args;  // --browser-arg, passed last
  std::string lang = "en";              // --lang and Accept-Language
  uint32_t max_heap_mb = 512;           // V8 old space per renderer (--js-flags)
  uint64_t max_memory_mb = 4096;  // resident memory of the whole process group; the browser is ended above it
  std::chrono::milliseconds start_timeout{
      60000};  // generous: three browsers may start at once on a busy machine
};

// The event handler of one session ("" is the browser session).
using EventHandler = std::function<void(const std::string& method, const Json& params)>;

class Browser {
 public:
  // Starts Chromium headless with a new temporary profile and connects.
  // kIo when the executable is missing or does not start; kInternal when
  // the protocol does not answer within start_timeout.
  static Result<std::unique_ptr<Browser>> Launch(const BrowserOptions& options);
  ~Browser();
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  // Sends a command and waits for its result. Errors: kInternal with the
  // protocol's message ("Target.createTarget: No target with given id"),
  // a timeout, or the browser having ended (crashed, killed, cancelled).
  Result<Json> Call(const std::string& method, Json params, const std::string& session,
                    Clock::time_point deadline);

  void SetHandler(const std::string& session, EventHandler handler);
  void RemoveHandler(const std::string& session);

  // "Chrome/156.0.8078.114", the default user agent and the protocol version
  // (Browser.getVersion at start).
  const std::string& product() const { return product_; }
  const std::string& user_agent() const { return user_agent_; }
  const std::string& protocol() const { return protocol_; }
  // False once the browser ended or the pipe broke.
  bool alive() const { return alive_.load(); }
  // Why it ended, when it did ("exceeded 4096 MB of memory", "exited with status 1").
  std::string ended_reason() const;
  // Resident memory of the browser's process group now, and the most seen.
  uint64_t rss_bytes() const;
  uint64_t peak_rss_bytes() const { return peak_rss_.load(); }
  // Ends the browser now (also used on cancel); Call()s in flight fail.
  void Kill(const std::string& reason);

 private:
  Browser() = default;
  void ReaderLoop();
  void WatchLoop();
  void Fail(const std::string& reason);

  int pid_ = -1;
  int to_browser_ = -1;    // our end of its fd 3
  int from_browser_ = -1;  // our end of its fd 4
  std::string profile_dir_;
  std::string product_, user_agent_, protocol_;
  uint64_t max_memory_bytes_ = 0;

  std::mutex write_mu_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int64_t next_id_ = 1;
  struct Pending {
    bool done = false;
    Json reply;
  };
  std::map<int64_t, std::shared_ptr<Pending>> pending_;
  std::map<std::string, EventHandler> handlers_;
  std::string ended_reason_;
  std::atomic<bool> alive_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> peak_rss_{0};
  std::thread reader_, watcher_;
};

}  // namespace blindspot::scan
