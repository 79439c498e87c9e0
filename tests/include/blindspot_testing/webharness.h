// tools/webharness as a child process of a test (docs/harness.md): started on
// ephemeral ports with its stdin and stdout on pipes, so that closing stdin
// stops it and a test process that dies takes it along (PR_SET_PDEATHSIG).
// Used by webharness_test.cc and scan_test.cc. Needs WEBHARNESS_BIN (the
// binary's path, a compile definition from tests/CMakeLists.txt).
#pragma once
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace blindspot::testing {

struct HarnessChild {
  pid_t pid = -1;
  int in = -1, out = -1;
};

// Starts webharness with ARGS; its stdin and stdout are pipes, stderr goes to
// ERR_FILE. The child dies with this process (PR_SET_PDEATHSIG) as well.
inline HarnessChild SpawnHarness(const std::vector<std::string>& args,
                                 const std::filesystem::path& err_file) {
  int in[2], out[2];
  if (pipe(in) != 0) return {};
  if (pipe(out) != 0) {
    close(in[0]);
    close(in[1]);
    return {};
  }
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    dup2(in[0], 0);
    dup2(out[1], 1);
    int e = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(e, 2);
    close(in[1]);
    close(out[0]);
    std::vector<char*> argv{const_cast<char*>(WEBHARNESS_BIN)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(WEBHARNESS_BIN, argv.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  return {pid, in[1], out[0]};
}

// Reads lines from FD until one starts with "webharness ready" or the pipe ends.
inline std::vector<std::string> ReadUntilReady(int fd) {
  std::vector<std::string> lines;
  std::string cur;
  char c;
  while (read(fd, &c, 1) == 1) {
    if (c != '\n') {
      cur += c;
      continue;
    }
    lines.push_back(cur);
    if (cur.rfind("webharness ready", 0) == 0) break;
    cur.clear();
  }
  return lines;
}

// The exit code of PID within SECONDS (128 + signal when killed by one);
// -1 when it had to be killed.
inline int WaitExit(pid_t pid, int seconds) {
  for (int i = 0; i < seconds * 20; ++i) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  return -1;
}

// A running harness: its ports and the browser arguments it printed.
class RunningHarness {
 public:
  // Starts webharness with --https-port 0 --http-port 0 and EXTRA; stderr
  // goes to LOG. Empty error() when it is ready.
  bool Start(const std::filesystem::path& log, const std::vector<std::string>& extra = {}) {
    log_ = log;
    std::vector<std::string> args = {"--https-port", "0", "--http-port", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    child_ = SpawnHarness(args, log_);
    if (child_.pid <= 0) {
      error_ = "cannot start " WEBHARNESS_BIN;
      return false;
    }
    auto lines = ReadUntilReady(child_.out);
    std::smatch m;
    if (lines.empty() ||
        !std::regex_match(
            lines.back(), m,
            std::regex(R"(webharness ready https=127\.0\.0\.1:(\d+) http=127\.0\.0\.1:(\d+))"))) {
      std::ifstream in(log_);
      std::stringstream ss;
      ss << in.rdbuf();
      error_ =
          "webharness did not get ready: " + (lines.empty() ? std::string("(no output)") : lines.back()) +
          "\n" + ss.str();
      return false;
    }
    https_port_ = std::stoi(m[1]);
    http_port_ = std::stoi(m[2]);
    for (const auto& l : lines) {
      if (l.rfind("browser-arg ", 0) == 0) browser_args_.push_back(l.substr(12));
    }
    return true;
  }
  // Closes its stdin (which stops it) and returns its exit code.
  int Stop(int seconds = 10) {
    if (child_.pid <= 0) return -1;
    close(child_.in);
    int code = WaitExit(child_.pid, seconds);
    close(child_.out);
    child_ = {};
    return code;
  }
  bool running() const { return child_.pid > 0; }
  const std::string& error() const { return error_; }
  int https_port() const { return https_port_; }
  int http_port() const { return http_port_; }
  const std::vector<std::string>& browser_args() const { return browser_args_; }
  const std::filesystem::path& log() const { return log_; }

 private:
  HarnessChild child_;
  std::filesystem::path log_;
  std::string error_;
  int https_port_ = 0, http_port_ = 0;
  std::vector<std::string> browser_args_;
};

}  // namespace blindspot::testing
