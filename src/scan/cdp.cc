#include "scan/cdp.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace blindspot::scan {
namespace {

// Process groups of live browsers, for KillAllBrowsers (signal handlers read
// this without locks).
constexpr size_t kMaxLive = 64;
std::array<std::atomic<int>, kMaxLive> g_live{};

void RegisterLive(int pid) {
  for (auto& slot : g_live) {
    int expected = 0;
    if (slot.compare_exchange_strong(expected, pid)) return;
  }
}
void UnregisterLive(int pid) {
  for (auto& slot : g_live) {
    int expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// Sum of resident memory of the processes in process group `pgid` (from /proc).
uint64_t GroupRss(int pgid) {
  uint64_t total = 0;
  DIR* d = opendir("/proc");
  if (d == nullptr) return 0;
  static const long page = sysconf(_SC_PAGESIZE);
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    std::string base = std::string("/proc/") + e->d_name;
    std::ifstream stat(base + "/stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid pgrp ...; comm may hold spaces and ')'.
    size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    int ppid = 0, pgrp = 0;
    char state = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %d %d", &state, &ppid, &pgrp) != 3) continue;
    if (pgrp != pgid) continue;
    std::ifstream statm(base + "/statm");
    uint64_t size = 0, resident = 0;
    if (statm >> size >> resident) total += resident * static_cast<uint64_t>(page);
  }
  closedir(d);
  return total;
}

void WriteAll(int fd, std::string_view data, std::string* error) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = Errno("writing to the browser");
      return;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

std::atomic<bool>& CancelFlag() {
  static std::atomic<bool> flag{false};
  return flag;
}

void KillAllBrowsers() {
  for (auto& slot : g_live) {
    int pid = slot.load();
    if (pid > 0) ::kill(-pid, SIGKILL);
  }
}

Result<std::unique_ptr<Browser>> Browser::Launch(const BrowserOptions& o) {
  static std::once_flag sigpipe_once;
  std::call_once(sigpipe_once, [] { ::signal(SIGPIPE, SIG_IGN); });

  if (::access(o.executable.c_str(), X_OK) != 0) {
    return MakeError(ErrorKind::kIo, "cannot run the browser " + o.executable + ": " + std::strerror(errno),
                     {}, "Debian's chromium (apt install chromium)",
                     "run scripts/setup.sh, or name another Chromium with --browser");
  }
  std::unique_ptr<Browser> b(new Browser());
  b->max_memory_bytes_ = o.max_memory_mb * 1024 * 1024;

  const char* tmp = std::getenv("TMPDIR");
  std::string templ =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/blindspot-profile-XXXXXX";
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) return MakeError(ErrorKind::kIo, Errno("creating a browser profile"));
  b->profile_dir_ = buf.data();
  {
    // Third-party cookies allowed, as most visitors' browsers still do: the
    // scan must see what a site sets, not what Chromium's defaults block.
    std::filesystem::create_directories(b->profile_dir_ + "/Default");
    std::ofstream prefs(b->profile_dir_ + "/Default/Preferences");
    prefs << R"({"profile":{"cookie_controls_mode":0,"block_third_party_cookies":false,)"
             R"("default_content_setting_values":{"cookies":1}},"intl":{"accept_languages":")"
          << o.lang << R"("}})";
  }

  std::vector<std::string> args = {
      o.executable,
      "--headless",
      "--remote-debugging-pipe",
      "--user-data-dir=" + b->profile_dir_,
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-default-apps",
      "--disable-extensions",
      "--disable-sync",
      "--disable-breakpad",
      "--disable-crash-reporter",
      "--disable-dev-shm-usage",
      "--disable-site-isolation-trials",
      "--disable-renderer-backgrounding",
      "--disable-background-timer-throttling",
      "--disable-backgrounding-occluded-windows",
      "--disable-ipc-flooding-protection",
      "--metrics-recording-only",
      "--mute-audio",
      "--hide-scrollbars",
      "--password-store=basic",
      "--use-mock-keychain",
      "--window-size=1366,768",
      "--lang=" + o.lang,
      "--accept-lang=" + o.lang,
      "--js-flags=--max-old-space-size=" + std::to_string(o.max_heap_mb),
  };
  // Chromium's own sandbox cannot run as root; outside root it stays on.
  if (::geteuid() == 0) args.push_back("--no-sandbox");
  // Chromium honours only the last --disable-features: the caller's list
  // (--browser-arg) is merged into ours. No back/forward cache: the scan never
  // goes back, and keeping each left page alive (in a new renderer per
  // navigation) cost a sixth of the scan's CPU (bench/README.md).
  std::string disabled =
      "IsolateOrigins,site-per-process,Translate,MediaRouter,OptimizationHints,TrackingProtection3pcd,"
      "ThirdPartyStoragePartitioning,PrivacySandboxSettings4,BackForwardCache";
  for (const auto& a : o.extra_args) {
    if (a.starts_with("--disable-features="))
      disabled += "," + a.substr(19);
    else
      args.push_back(a);
  }
  args.push_back("--disable-features=" + disabled);
  args.push_back("about:blank");

  int to_child[2], from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0) return MakeError(ErrorKind::kIo, Errno("pipe"));
  if (::pipe2(from_child, O_CLOEXEC) != 0) {
    ::close(to_child[0]);
    ::close(to_child[1]);
    return MakeError(ErrorKind::kIo, Errno("pipe"));
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int pid = ::fork();
  if (pid < 0) return MakeError(ErrorKind::kIo, Errno("fork"));
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, 0);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    // Move the pipe ends out of the way before placing them at 3 and 4.
    int r = ::fcntl(to_child[0], F_DUPFD, 10);
    int w = ::fcntl(from_child[1], F_DUPFD, 10);
    ::dup2(r, 3);
    ::dup2(w, 4);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent, so there is no race
  ::close(to_child[0]);
  ::close(from_child[1]);
  b->pid_ = pid;
  b->to_browser_ = to_child[1];
  b->from_browser_ = from_child[0];
  RegisterLive(pid);
  b->alive_ = true;
  b->reader_ = std::thread([p = b.get()] { p->ReaderLoop(); });
  b->watcher_ = std::thread([p = b.get()] { p->WatchLoop(); });

  auto version = b->Call("Browser.getVersion", Json::object(), "", Clock::now() + o.start_timeout);
  if (!version) {
    auto e = version.error();
    e.kind = ErrorKind::kIo;  // the browser could not be started: an environment problem, exit 4
    e.message = "the browser " + o.executable + " did not start: " + e.message;
    e.hint = "check that `" + o.executable + " --headless --version` works";
    return std::unexpected(e);
  }
  b->product_ = version->value("product", "");
  b->user_agent_ = version->value("userAgent", "");
  b->protocol_ = version->value("protocolVersion", "");
  return b;
}

Browser::~Browser() {
  stopping_ = true;
  if (pid_ > 0) {
    // Closing the command pipe asks Chromium to quit; then the group is ended.
    if (to_browser_ >= 0) ::close(to_browser_);
    to_browser_ = -1;
    int status = 0;
    bool reaped = false;
    for (int i = 0; i < 40 && !reaped; ++i) {  // up to 2 s
      if (::waitpid(pid_, &status, WNOHANG) == pid_)
        reaped = true;
      else
        ::usleep(50 * 1000);
    }
    ::kill(-pid_, SIGKILL);
    if (!reaped) ::waitpid(pid_, &status, 0);
    UnregisterLive(pid_);
  }
  alive_ = false;
  cv_.notify_all();
  if (reader_.joinable()) reader_.join();
  if (watcher_.joinable()) watcher_.join();
  if (from_browser_ >= 0) ::close(from_browser_);
  if (!profile_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(profile_dir_, ec);
  }
}

void Browser::Fail(const std::string& reason) {
  {
    std::lock_guard lock(mu_);
    if (ended_reason_.empty()) ended_reason_ = reason;
  }
  alive_ = false;
  cv_.notify_all();
}

void Browser::Kill(const std::string& reason) {
  Fail(reason);
  if (pid_ > 0) ::kill(-pid_, SIGKILL);
}

std::string Browser::ended_reason() const {
  std::lock_guard lock(mu_);
  return ended_reason_;
}

uint64_t Browser::rss_bytes() const { return pid_ > 0 ? GroupRss(pid_) : 0; }

void Browser::ReaderLoop() {
  std::string buffer;
  std::array<char, 65536> chunk;
  while (!stopping_) {
    pollfd p{from_browser_, POLLIN, 0};
    int pr = ::poll(&p, 1, 100);
    if (pr < 0) {
      if (errno == EINTR) continue;
      Fail(Errno("reading from the browser"));
      return;
    }
    if (pr == 0) continue;
    ssize_t n = ::read(from_browser_, chunk.data(), chunk.size());
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      Fail(Errno("reading from the browser"));
      return;
    }
    if (n == 0) {
      int status = 0;
      std::string why = "the browser ended";
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        if (WIFEXITED(status)) why += " with exit status " + std::to_string(WEXITSTATUS(status));
        if (WIFSIGNALED(status)) why += " by signal " + std::to_string(WTERMSIG(status));
      }
      Fail(why);
      return;
    }
    size_t scan_from = buffer.size();
    buffer.append(chunk.data(), static_cast<size_t>(n));
    size_t start = 0;
    for (size_t nul = buffer.find('\0', scan_from); nul != std::string::npos;
         nul = buffer.find('\0', start)) {
      Json msg = Json::parse(buffer.begin() + static_cast<std::ptrdiff_t>(start),
                             buffer.begin() + static_cast<std::ptrdiff_t>(nul), nullptr, false);
      start = nul + 1;
      if (msg.is_discarded() || !msg.is_object()) continue;
      if (auto id = msg.find("id"); id != msg.end() && id->is_number_integer()) {
        std::lock_guard lock(mu_);
        auto it = pending_.find(id->get<int64_t>());
        if (it != pending_.end()) {
          it->second->reply = std::move(msg);
          it->second->done = true;
          pending_.erase(it);
          cv_.notify_all();
        }
        continue;
      }
      std::string session = msg.value("sessionId", "");
      std::string method = msg.value("method", "");
      EventHandler handler;
      {
        std::lock_guard lock(mu_);
        auto it = handlers_.find(session);
        if (it != handlers_.end()) handler = it->second;
      }
      if (handler) {
        static const Json kEmpty = Json::object();
        auto params = msg.find("params");
        handler(method, params != msg.end() ? *params : kEmpty);
      }
    }
    buffer.erase(0, start);
  }
}

void Browser::WatchLoop() {
  int ticks = 0;
  while (!stopping_ && alive_) {
    ::usleep(100 * 1000);
    if (++ticks % 5 != 0) continue;  // memory every 0.5 s
    uint64_t rss = GroupRss(pid_);
    uint64_t peak = peak_rss_.load();
    while (rss > peak && !peak_rss_.compare_exchange_weak(peak, rss)) {
    }
    if (max_memory_bytes_ > 0 && rss > max_memory_bytes_) {
      Kill("the browser used " + std::to_string(rss >> 20) + " MB, more than the limit of " +
           std::to_string(max_memory_bytes_ >> 20) + " MB");
      return;
    }
  }
}

void Browser::SetHandler(const std::string& session, EventHandler handler) {
  std::lock_guard lock(mu_);
  handlers_[session] = std::move(handler);
}

void Browser::RemoveHandler(const std::string& session) {
  std::lock_guard lock(mu_);
  handlers_.erase(session);
}

Result<Json> Browser::Call(const std::string& method, Json params, const std::string& session,
                           Clock::time_point deadline) {
  auto pending = std::make_shared<Pending>();
  int64_t id;
  {
    std::lock_guard lock(mu_);
    if (!alive_) return MakeError(ErrorKind::kInternal, method + ": " + ended_reason_);
    id = next_id_++;
    pending_[id] = pending;
  }
  Json msg = {{"id", id}, {"method", method}, {"params", std::move(params)}};
  if (!session.empty()) msg["sessionId"] = session;
  std::string text = msg.dump(-1, ' ', false, Json::error_handler_t::replace);
  text.push_back('\0');
  std::string write_error;
  {
    std::lock_guard lock(write_mu_);
    if (to_browser_ >= 0)
      WriteAll(to_browser_, text, &write_error);
    else
      write_error = "the browser is closing";
  }
  std::unique_lock lock(mu_);
  if (!write_error.empty()) {
    pending_.erase(id);
    return MakeError(ErrorKind::kInternal, method + ": " + write_error);
  }
  // In slices, so that a cancel (set by a signal handler, which cannot
  // notify) is seen within 100 ms.
  while (!pending->done && alive_ && !CancelFlag().load() && Clock::now() < deadline) {
    cv_.wait_until(lock, std::min(deadline, Clock::now() + std::chrono::milliseconds(100)));
  }
  if (!pending->done) {
    pending_.erase(id);
    if (CancelFlag().load()) return MakeError(ErrorKind::kInternal, method + ": cancelled");
    if (!alive_) return MakeError(ErrorKind::kInternal, method + ": " + ended_reason_);
    return MakeError(ErrorKind::kInternal, method + ": no answer from the browser in time");
  }
  lock.unlock();
  Json& reply = pending->reply;
  if (auto err = reply.find("error"); err != reply.end()) {
    return MakeError(ErrorKind::kInternal, method + ": " + err->value("message", std::string("error")));
  }
  auto result = reply.find("result");
  return result != reply.end() ? std::move(*result) : Json::object();
}

}  // namespace blindspot::scan
