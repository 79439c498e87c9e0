// The HTTP server: cpp-httplib under the route table, authentication,
// permission checks, CSRF, security headers and the one error mapping.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstring>
#include <iostream>
#include <mutex>
#include <regex>
#include <thread>

#include "blindspot/auth.h"
#include "internal.h"
#include "io/json_out.h"
#include "pages.h"

namespace blindspot::http {
namespace {

// The first of en, nl, de in an Accept-Language header, by preference weight ("en" when none).
std::string AcceptLanguage(std::string_view header) {
  std::string best = "en";
  double best_q = -1;
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    pos = end + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    double q = 1.0;
    if (size_t semi = item.find(';'); semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      item = item.substr(0, semi);
      if (size_t qp = params.find("q="); qp != std::string_view::npos)
        q = std::atof(std::string(params.substr(qp + 2)).c_str());
    }
    std::string code(item.substr(0, 2));
    for (char& ch : code) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if ((code == "en" || code == "nl" || code == "de") && q > best_q) {
      best = code;
      best_q = q;
    }
  }
  return best;
}

bool IsStateChanging(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "DELETE";
}

// "/api/v1/orgs/{org}/records/{kind}/{id}" -> regex and the names of its groups.
std::pair<std::string, std::vector<std::string>> TemplateRegex(std::string_view tpl) {
  std::string re;
  std::vector<std::string> names;
  for (size_t i = 0; i < tpl.size(); ++i) {
    char ch = tpl[i];
    if (ch == '{') {
      size_t end = tpl.find('}', i);
      names.emplace_back(tpl.substr(i + 1, end - i - 1));
      re += "([A-Za-z0-9._~%-]+)";
      i = end;
    } else if (std::string_view(".+*?()[]^$|\\").find(ch) != std::string_view::npos) {
      re += '\\';
      re += ch;
    } else {
      re += ch;
    }
  }
  return {re, names};
}

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  std::string all = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find(';', pos);
    if (end == std::string::npos) end = all.size();
    std::string_view part(all.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.starts_with(name) && part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    pos = end + 1;
  }
  return {};
}

std::string BearerToken(const httplib::Request& req) {
  std::string h = req.get_header_value("Authorization");
  if (h.size() > 7 && (h.starts_with("Bearer ") || h.starts_with("bearer "))) return h.substr(7);
  return {};
}

// Decodes application/x-www-form-urlencoded bodies when the library did not.
std::string UrlDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// What the pre-routing handler renames a form's Content-Type to (see there).
constexpr std::string_view kFormType = "application/x-www-form-urlencoded";
constexpr std::string_view kRenamedFormType = "application/x-blindspot-form";

void ParseFormBody(const httplib::Request& req, std::multimap<std::string, std::string>& into) {
  const std::string type = req.get_header_value("Content-Type");
  if (!type.starts_with(kFormType) && !type.starts_with(kRenamedFormType)) return;
  std::string_view body = req.body;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t end = body.find('&', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view pair = body.substr(pos, end - pos);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      into.emplace(UrlDecode(pair.substr(0, eq)),
                   eq == std::string_view::npos ? "" : UrlDecode(pair.substr(eq + 1)));
    }
    pos = end + 1;
  }
}

// Every route with its path template as a regular expression, in table order.
const std::vector<std::pair<std::regex, const RouteHandler*>>& RouteRegexes() {
  static const std::vector<std::pair<std::regex, const RouteHandler*>> routes = [] {
    std::vector<std::pair<std::regex, const RouteHandler*>> v;
    for (const RouteHandler& rh : AllRoutes())
      v.emplace_back(std::regex(TemplateRegex(rh.info.path).first), &rh);
    return v;
  }();
  return routes;
}

// The route that answers `method` on `path` (HEAD as GET), nullptr when none does.
const RouteHandler* MatchRoute(const std::string& method, const std::string& path) {
  const std::string m = method == "HEAD" ? "GET" : method;
  for (const auto& [re, rh] : RouteRegexes())
    if (rh->info.method == m && std::regex_match(path, re)) return rh;
  return nullptr;
}

// The methods the routes whose template matches `path` answer ("GET, HEAD,
// POST"), "" when none does. The library answers HEAD for every GET route.
std::string AllowedMethods(const std::string& path) {
  std::vector<std::string> methods;
  for (const auto& [re, rh] : RouteRegexes()) {
    if (!std::regex_match(path, re)) continue;
    const std::string method(rh->info.method);
    if (std::find(methods.begin(), methods.end(), method) == methods.end()) methods.push_back(method);
    if (method == "GET" && std::find(methods.begin(), methods.end(), "HEAD") == methods.end())
      methods.push_back("HEAD");
  }
  static const std::vector<std::string> order = {"GET", "HEAD", "POST", "PUT", "DELETE"};
  std::string out;
  for (const std::string& m : order)
    if (std::find(methods.begin(), methods.end(), m) != methods.end()) out += (out.empty() ? "" : ", ") + m;
  return out;
}

void SecurityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
  res.set_header("Cross-Origin-Resource-Policy", "same-origin");
  if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
}

// Errors cpp-httplib answers itself (no route, a request it cannot read, a
// body over the limit) and routed responses left without a body: the API's
// JSON error shape with a stable code per status (docs/server.md), a page
// elsewhere. A request whose request line the library could not read (414,
// a malformed line) has no path, so nobody knows it was for a page: it gets
// the JSON shape too.
void CloseConnectionAfterResponse();  // below, with the connection loop
bool ConnectionTimedOut();            // the connection's headers or body did not arrive in time

// Ends the connection after the response to `req` (a body is left unread
// on it). The request is told "Connection: close", so the library's answer
// says it (once).
void CloseAfter(const httplib::Request& req) {
  auto& headers = const_cast<httplib::Request&>(req).headers;
  headers.erase("Connection");
  headers.emplace("Connection", "close");
  CloseConnectionAfterResponse();
}

// What is wrong with a request's Content-Length: "" when it has none, or
// one plain decimal number (RFC 9110 8.6: 1*DIGIT) that fits in 64 bits,
// which is put in `length`. cpp-httplib 0.11 reads "-5" or 2^64 as the
// largest length (and read all the client sent), "abc" as none and "1, 2"
// as 1: the end of the body would be a guess, so the request is refused.
std::string ContentLengthProblem(const httplib::Request& req, uint64_t* length) {
  *length = 0;
  const size_t count = req.headers.count("Content-Length");
  if (count == 0) return "";
  if (count > 1) return "the request has more than one Content-Length header: send one";
  const std::string value = req.get_header_value("Content-Length");
  const std::string shown = value.size() > 40 ? value.substr(0, 40) + "..." : value;
  if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
    return fmt::format(
        "the Content-Length header is \"{}\", not the body's size in bytes: it must be one whole number, "
        "digits only (RFC 9110 8.6)",
        shown);
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), *length);
  if (ec != std::errc() || end != value.data() + value.size()) {
    *length = 0;
    return fmt::format(
        "the Content-Length header is \"{}\", more than any body can be (at most 18446744073709551615 "
        "bytes)",
        shown);
  }
  return "";
}

// `page` renders the page for a stable code and an English detail.
void LibraryError(const httplib::Request& req, httplib::Response& res, size_t max_body_bytes,
                  const std::function<void(std::string_view code, const std::string& what)>& page) {
  // A request the library could not read leaves the connection in an
  // unknown state: it is closed after the answer.
  if (req.path.empty()) CloseAfter(req);
  // The library reads a request whose headers or body came too slowly as
  // one cut short (400).
  if (res.status == 400 && ConnectionTimedOut()) res.status = 408;
  if (!res.body.empty()) return;
  uint64_t length = 0;
  const std::string bad_length = ContentLengthProblem(req, &length);
  const bool api = req.path.empty() || req.path.starts_with("/api/");
  // A path some route serves, asked with a method none of its routes has
  // (PATCH, TRACE, OPTIONS, a GET of a POST-only path): 405 with the
  // methods it has, not the library's 404 (PATCH) or 400 (any other method).
  // On a path no route has, a method the library does not route (TRACE)
  // is 404 like any other.
  if ((res.status == 404 || (res.status == 400 && bad_length.empty())) && !req.path.empty()) {
    static const std::string routed = ", GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH,";
    std::string allow = AllowedMethods(req.path);
    if (!allow.empty() && (", " + allow + ",").find(", " + req.method + ",") == std::string::npos) {
      res.status = 405;
      res.set_header("Allow", allow);
    } else if (allow.empty() && routed.find(", " + req.method + ",") == std::string::npos) {
      res.status = 404;
    }
  }
  std::string_view code = "bad_request";
  std::string what = "the request is not valid HTTP";
  switch (res.status) {
    case 400:
      if (!req.path.empty()) what = "bad request";
      if (!bad_length.empty()) what = bad_length;
      // cpp-httplib stops reading a multipart body at its part limit and
      // answers 400 with the parts read so far: say which limit it was.
      if (req.is_multipart_form_data() && req.files.size() >= kMaxFormParts) {
        code = "too_many_parts";
        what = fmt::format(
            "the form holds more than {} parts (files and fields), the most the server reads: send fewer "
            "files at once, or one evidence bundle (.zip)",
            kMaxFormParts);
      }
      break;
    case 404:
      code = "not_found";
      what = "not found";
      break;
    case 405:
      code = "method_not_allowed";
      what = "this method is not allowed here";
      break;
    case 413:
      code = "too_large";
      what =
          fmt::format("the request is larger than {}, the most the server accepts", SizeText(max_body_bytes));
      // curl --data-binary sends a file as a form unless told its type.
      if ((req.get_header_value("Content-Type").starts_with(kFormType) ||
           req.get_header_value("Content-Type").starts_with(kRenamedFormType)) &&
          req.method == "PUT")
        what =
            "the request is too large for a form: send the file with Content-Type: application/yaml (or "
            "application/json)";
      break;
    case 408:
      code = "request_timeout";
      what =
          "the request arrived too slowly: its headers must be complete within the read timeout of its first "
          "byte, its body within the read timeout of the headers (longer for a large body with valid "
          "credentials, see the limits in docs/server.md)";
      break;
    case 411:
      code = "length_required";
      what =
          "send the body with a Content-Length, not chunked (curl: --data-binary @FILE, not from a pipe); "
          "the "
          "size limit is checked before a body is read";
      break;
    case 414:
      code = "uri_too_long";
      what = "the request line is too long (at most 8,192 bytes): send long values in the body";
      break;
    case 416:
      code = "range_not_satisfiable";
      what = "the requested range is not satisfiable";
      break;
    case 417:
      code = "expectation_failed";
      what = "the Expect header cannot be met";
      break;
    default:
      if (res.status >= 500) {
        code = "internal";
        what = "internal error";
      } else {
        what = "the request failed";
      }
  }
  if (api) {
    res.set_content(fmt::format("{{\"error\":{{\"code\":\"{}\",\"message\":{}}}}}\n", code, JsonString(what)),
                    "application/json");
  } else {
    page(code, what);
  }
}

// One client connection: reads and writes bounded by the server's timeouts,
// and a deadline for a request's line and headers as a whole and one for
// its body as a whole. cpp-httplib's read timeout bounds each wait alone, so
// a client sending its headers or its body a byte at a time (slowloris)
// held a worker thread for as long as it liked; here the headers must be
// complete within the read timeout of the request's first byte and the body
// within the time StartBody allows, else the connection is closed (after a
// 408 when the library can still answer).
class ConnectionStream final : public httplib::Stream {
 public:
  using Clock = std::chrono::steady_clock;
  ConnectionStream(socket_t sock, std::chrono::milliseconds read_timeout,
                   std::chrono::milliseconds write_timeout)
      : sock_(sock), read_timeout_(read_timeout), write_timeout_(write_timeout) {}

  bool is_readable() const override { return Wait(POLLIN, ReadBudget()); }
  bool is_writable() const override { return Wait(POLLOUT, write_timeout_); }

  ssize_t read(char* ptr, size_t size) override {
    if (off_ < len_) return TakeBuffered(ptr, size);
    if (!is_readable()) {
      if (phase_ != Phase::kOpen && Clock::now() >= deadline_) expired_ = true;
      return -1;
    }
    ssize_t n;
    do n = ::recv(sock_, buf_, sizeof buf_, 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0) return n;
    off_ = 0;
    len_ = static_cast<size_t>(n);
    return TakeBuffered(ptr, size);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { Address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { Address(false, ip, port); }
  socket_t socket() const override { return sock_; }

  // A new request begins (its first byte is there or on its way).
  void StartRequest() {
    phase_ = Phase::kHeaders;
    deadline_ = Clock::now() + read_timeout_;
  }
  // The request line and headers are read; the body, if any, must arrive
  // within `allowed` from now.
  void StartBody(std::chrono::milliseconds allowed) {
    phase_ = Phase::kBody;
    deadline_ = Clock::now() + allowed;
  }
  // The connection ends after this response (a body is left unread on it).
  void CloseAfterResponse() { close_after_ = true; }
  // The headers or the body did not arrive in time.
  bool Expired() const { return expired_; }
  bool Done() const { return expired_ || close_after_; }
  bool HasBuffered() const { return off_ < len_; }

  // Closes the connection. One that ends with a request left unread (a
  // refusal, a timeout) is closed the way HTTP servers do it ("lingering
  // close"): the answer and then the end of the stream are sent, and what
  // the client still sends is read and dropped for at most a second, so
  // that the client, still sending, gets the answer rather than a reset.
  void Close() {
    if (Done()) {
      ::shutdown(sock_, SHUT_WR);
      const auto until = Clock::now() + std::min(read_timeout_, std::chrono::milliseconds(1000));
      char drop[16384];
      for (auto now = Clock::now(); now < until; now = Clock::now()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
        if (!Wait(POLLIN, left) || ::recv(sock_, drop, sizeof drop, 0) <= 0) break;
      }
    }
    ::shutdown(sock_, SHUT_RDWR);
    ::close(sock_);
  }

 private:
  ssize_t TakeBuffered(char* ptr, size_t size) {
    size_t n = std::min(size, len_ - off_);
    std::memcpy(ptr, buf_ + off_, n);
    off_ += n;
    return static_cast<ssize_t>(n);
  }
  std::chrono::milliseconds ReadBudget() const {
    if (phase_ == Phase::kOpen) return read_timeout_;
    // Rounded up: a wait that ends before the deadline would not be seen as its end.
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now());
    return std::clamp(left, std::chrono::milliseconds(0), read_timeout_);
  }
  bool Wait(short events, std::chrono::milliseconds budget) const {
    pollfd p{sock_, events, 0};
    int r;
    do r = ::poll(&p, 1, static_cast<int>(budget.count()));
    while (r < 0 && errno == EINTR);
    return r > 0 && (p.revents & (POLLERR | POLLNVAL)) == 0;
  }
  void Address(bool remote, std::string& ip, int& port) const {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    auto* sa = reinterpret_cast<sockaddr*>(&addr);
    if ((remote ? ::getpeername(sock_, sa, &len) : ::getsockname(sock_, sa, &len)) != 0) return;
    char text[INET6_ADDRSTRLEN] = {};
    if (addr.ss_family == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(&addr);
      ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text);
      port = ntohs(in->sin_port);
    } else if (addr.ss_family == AF_INET6) {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(&addr);
      ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text);
      port = ntohs(in6->sin6_port);
    }
    ip = text;
  }

  socket_t sock_;
  std::chrono::milliseconds read_timeout_, write_timeout_;
  char buf_[4096];
  size_t off_ = 0, len_ = 0;
  // kOpen: no deadline but the read timeout per wait (before the first request).
  enum class Phase { kOpen, kHeaders, kBody } phase_ = Phase::kOpen;
  bool expired_ = false, close_after_ = false;
  Clock::time_point deadline_;
};

// The connection the calling worker thread serves (handlers run on it).
thread_local ConnectionStream* t_connection = nullptr;

void CloseConnectionAfterResponse() {
  if (t_connection) t_connection->CloseAfterResponse();
}

bool ConnectionTimedOut() { return t_connection && t_connection->Expired(); }

// cpp-httplib's server with its connection loop replaced: each connection
// is read through a ConnectionStream; a kept-alive connection waits at most
// the keep-alive timeout for its next request and serves at most the
// keep-alive count of them.
class BoundedServer : public httplib::Server {
 private:
  bool process_and_close_socket(socket_t sock) override {
    using std::chrono::milliseconds;
    auto ms = [](time_t sec, time_t usec) { return milliseconds(sec * 1000 + usec / 1000); };
    ConnectionStream strm(sock, ms(read_timeout_sec_, read_timeout_usec_),
                          ms(write_timeout_sec_, write_timeout_usec_));
    t_connection = &strm;
    bool ok = false;
    for (size_t left = keep_alive_max_count_; left > 0 && svr_sock_ != INVALID_SOCKET; --left) {
      if (!strm.HasBuffered() && !NextRequestArrives(sock)) break;
      strm.StartRequest();
      bool closed = false;
      ok = process_request(strm, left == 1, closed, nullptr);
      if (!ok || closed || strm.Done()) break;
    }
    t_connection = nullptr;
    strm.Close();
    return ok;
  }

  // Waits up to the keep-alive timeout for the next request (looking every
  // 50 ms whether the server is stopping).
  bool NextRequestArrives(socket_t sock) const {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(keep_alive_timeout_sec_);
    while (svr_sock_ != INVALID_SOCKET) {
      pollfd p{sock, POLLIN, 0};
      int r = ::poll(&p, 1, 50);
      if (r > 0) return (p.revents & (POLLERR | POLLNVAL)) == 0;
      if (r < 0 && errno != EINTR) return false;
      if (std::chrono::steady_clock::now() >= until) return false;
    }
    return false;
  }
};

// A body of at most this size may come with a request whose credentials are
// checked only after it is read; a larger one is refused first when the
// credentials are missing or wrong.
constexpr uint64_t kUncheckedBodyBytes = 1u << 20;

class HttplibServer : public Server {
 public:
  HttplibServer(admin::Admin& admin, ServeOptions options) : admin_(admin), options_(std::move(options)) {
    svr_.set_payload_max_length(options_.max_body_bytes);
    svr_.set_read_timeout(options_.read_timeout_seconds, 0);
    svr_.set_write_timeout(options_.write_timeout_seconds, 0);
    // A kept-alive connection holds a worker thread while it waits: it waits
    // briefly and serves a bounded number of requests (ConnectionStream
    // bounds each request's headers as a whole).
    svr_.set_keep_alive_max_count(static_cast<size_t>(std::max(1, options_.keep_alive_max_count)));
    svr_.set_keep_alive_timeout(options_.keep_alive_timeout_seconds);
    // The library's default also sets SO_REUSEPORT, which lets a second
    // server bind a port in use and share its traffic; bind only once.
    svr_.set_socket_options([](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const void*>(&yes), sizeof(yes));
    });
    // Headers and body go out in separate writes; with Nagle's algorithm the
    // body waits for the client's delayed ACK (40 ms on Linux) on a kept-alive
    // connection.
    svr_.set_tcp_nodelay(true);
    int threads = std::max(2, options_.threads);
    svr_.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
    svr_.set_post_routing_handler(
        [](const httplib::Request&, httplib::Response& res) { SecurityHeaders(res); });
    svr_.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
      LibraryError(req, res, options_.max_body_bytes,
                   [&](std::string_view code, const std::string& what) { ErrorPage(req, res, code, what); });
    });
    // A request without Content-Length or Transfer-Encoding has no body
    // (RFC 9112 6.3); cpp-httplib 0.11 would instead read a POST or PUT
    // until the client closes the connection (`curl -X POST URL` waited for
    // the read timeout and got no answer). It calls this before it reads
    // the body, on its own (non-const) request object.
    //
    // A chunked body is refused (411) before it is read: cpp-httplib 0.11
    // applies the payload limit to Content-Length only and would read a
    // chunked body of any size into memory, also for a request without
    // credentials. The connection is closed after the answer (the unread
    // body is still on it).
    //
    // A request that declares a body over 1 MiB (or a chunked one) is
    // answered before its body is read unless it comes with valid
    // credentials: 401 on a route that needs them (RefuseUnchecked), so
    // nobody can make the server read large bodies without logging in.
    //
    // A Content-Length that is not one plain number is 400 before the body
    // is read, and a body must arrive in time (Screen).
    //
    // cpp-httplib calls the Expect: 100-continue handler before the
    // pre-routing handler: the same checks run there, so a request that
    // will be refused gets the refusal instead of "100 Continue" (and the
    // client does not start sending its body).
    svr_.set_expect_100_continue_handler([this](const httplib::Request& req, httplib::Response& res) {
      return Screen(req, res) ? res.status : 100;
    });
    svr_.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (Screen(req, res)) return httplib::Server::HandlerResponse::Handled;
      if (!req.has_header("Content-Length"))
        const_cast<httplib::Request&>(req).set_header("Content-Length", "0");
      // Debian's cpp-httplib 0.11 is a compiled library that refuses a
      // url-encoded form over 8 KiB (413): a business owner's long answer
      // was lost. Forms are parsed here (ParseFormBody), so the library is
      // told another type and applies only the server's body limit.
      auto& headers = const_cast<httplib::Request&>(req).headers;
      if (auto it = headers.find("Content-Type"); it != headers.end() && it->second.starts_with(kFormType))
        it->second = std::string(kRenamedFormType) + it->second.substr(kFormType.size());
      return httplib::Server::HandlerResponse::Unhandled;
    });
    svr_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      res.status = 500;
      res.set_content("{\"error\":{\"code\":\"internal\",\"message\":\"internal error\"}}\n",
                      "application/json");
    });
    for (const RouteHandler& rh : AllRoutes()) Register(rh);
  }

  Result<int> Bind() override {
    int port = options_.port == 0 ? svr_.bind_to_any_port(options_.host)
                                  : (svr_.bind_to_port(options_.host, options_.port) ? options_.port : -1);
    if (port < 0)
      return MakeError(ErrorKind::kIo, fmt::format("cannot listen on {}:{}", options_.host, options_.port),
                       {}, {}, "is the port in use? --listen 127.0.0.1:0 picks a free one");
    return port;
  }

  // Stop() may come before Run() has started listening (a signal at start,
  // a quick test): the two flags make sure one of them sees the other.
  Status Run() override {
    run_started_ = true;
    if (stopping_) return {};
    bool ok = svr_.listen_after_bind();
    run_finished_ = true;
    if (!ok && !stopping_) return MakeError(ErrorKind::kIo, "the server stopped with an error");
    return {};
  }

  void Stop() override {
    stopping_ = true;
    if (!run_started_) return;  // Run() will see stopping_ and return
    while (!svr_.is_running() && !run_finished_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    svr_.stop();
  }

 private:
  // An error cpp-httplib answers for a page (no route, 405, 413, ...): the
  // error page in the reader's language (as Dispatch chooses it), with the
  // session's user in the header when there is one.
  void ErrorPage(const httplib::Request& req, httplib::Response& res, std::string_view code,
                 const std::string& what) {
    static const RouteInfo route = [] {
      RouteInfo r;
      r.access = Access::kPublic;
      r.api = false;
      return r;
    }();
    Ctx c{req, res, admin_, options_, route, {}, {}, {}, {}, {}, "en"};
    c.lang = AcceptLanguage(req.get_header_value("Accept-Language"));
    c.session_cookie = CookieValue(req, SessionCookieName(options_));
    if (!c.session_cookie.empty()) {
      store::Principal principal;
      if (auto s = admin_.CheckSession(c.session_cookie, &principal); s) {
        c.session = *s;
        if (!principal.user.lang.empty()) c.lang = principal.user.lang;
      }
    }
    if (auto l = req.get_param_value("lang"); l == "nl" || l == "de" || l == "en") c.lang = l;
    // "not found" and "not allowed here" say no more than the page's sentence.
    const bool plain = code == "not_found" || code == "method_not_allowed";
    SendErrorPage(c, res.status, code, plain ? std::string() : what, "");
  }

  // Checks a request before its body is read: a malformed Content-Length
  // (400), a large body without credentials (RefuseUnchecked), a chunked
  // one (411). True when answered: the connection is then closed with the
  // body unread. Otherwise the body gets its deadline: the read timeout, or
  // with valid credentials its length at the minimum rate when that is
  // longer (a body over what the read timeout allows at that rate is
  // looked at only then: no credentials are checked for a small one).
  bool Screen(const httplib::Request& req, httplib::Response& res) {
    uint64_t length = 0;
    if (!ContentLengthProblem(req, &length).empty()) {
      res.status = 400;  // LibraryError writes the body, saying what is wrong with the header
      CloseAfter(req);
      return true;
    }
    bool credentials = false;
    if (RefuseUnchecked(req, length, res, credentials)) return true;
    if (req.has_header("Transfer-Encoding")) {
      res.status = 411;
      CloseAfter(req);
      return true;
    }
    using std::chrono::milliseconds;
    const milliseconds timeout(int64_t{options_.read_timeout_seconds} * 1000);
    const uint64_t rate = std::max<uint64_t>(1, options_.min_body_bytes_per_second);
    milliseconds allowed = timeout;
    // At most the body limit here (or 1 MiB): the product does not overflow.
    const milliseconds at_rate(
        static_cast<int64_t>((std::min<uint64_t>(length, 1ull << 40) * 1000 + rate - 1) / rate));
    if (at_rate > timeout && (credentials || HasCredentials(req))) allowed = at_rate;
    if (t_connection) t_connection->StartBody(allowed);
    return false;
  }

  // A valid session cookie or API token (not revoked) comes with `req`.
  bool HasCredentials(const httplib::Request& req) {
    if (std::string bearer = BearerToken(req); !bearer.empty()) {
      if (bearer.size() > 200) return false;
      auto t = admin_.store().FindApiToken(auth::HashSecret(bearer));
      return t && t->revoked_at.empty();
    }
    std::string cookie = CookieValue(req, SessionCookieName(options_));
    return !cookie.empty() && admin_.CheckSession(cookie).has_value();
  }

  // A request that declares a body over kUncheckedBodyBytes (its
  // Content-Length `length`) or a chunked one, answered before the body is
  // read: 401 (an API error, or the login page for a page) without valid
  // credentials on a route that needs them, 413 on a route that needs none
  // (the login form is small) and with valid credentials when it is over
  // the body limit (the library would read it all first), 404 on a path no
  // route serves. True when answered; `credentials` is true when they were
  // found valid.
  bool RefuseUnchecked(const httplib::Request& req, uint64_t length, httplib::Response& res,
                       bool& credentials) {
    const bool chunked = req.has_header("Transfer-Encoding");
    if (!chunked && length <= kUncheckedBodyBytes) return false;
    const RouteHandler* rh = MatchRoute(req.method, req.path);
    if (!rh) {
      res.status = 404;  // LibraryError writes the body (405 when the path has other methods)
      CloseAfter(req);
      return true;
    }
    if (rh->info.access == Access::kPublic) {
      res.status = 413;  // LibraryError writes the body
    } else if (HasCredentials(req)) {
      credentials = true;
      if (chunked || length <= options_.max_body_bytes) return false;
      res.status = 413;
    } else {
      Ctx c{req, res, admin_, options_, rh->info, {}, {}, {}, {}, {}, "en"};
      SendError(c, Error{ErrorKind::kAuth,
                         "log in (or send an API token) first: a body over 1 MiB is read only with valid "
                         "credentials",
                         {},
                         {},
                         "send the session cookie or Authorization: Bearer TOKEN with the request"});
    }
    CloseAfter(req);
    return true;
  }

  void Register(const RouteHandler& rh) {
    auto [re, names] = TemplateRegex(rh.info.path);
    auto fn = [this, &rh, names = names](const httplib::Request& req, httplib::Response& res) {
      Dispatch(rh, names, req, res);
    };
    if (rh.info.method == "GET") svr_.Get(re, fn);
    if (rh.info.method == "POST") svr_.Post(re, fn);
    if (rh.info.method == "PUT") svr_.Put(re, fn);
    if (rh.info.method == "DELETE") svr_.Delete(re, fn);
  }

  void Dispatch(const RouteHandler& rh, const std::vector<std::string>& names, const httplib::Request& req,
                httplib::Response& res) {
    Ctx c{req, res, admin_, options_, rh.info, {}, {}, {}, {}, {}, "en"};
    for (size_t i = 0; i < names.size() && i + 1 < req.matches.size(); ++i)
      c.path[names[i]] = UrlDecode(req.matches[i + 1].str());
    c.lang = AcceptLanguage(req.get_header_value("Accept-Language"));
    auto s = Authenticate(c);
    if (auto l = req.get_param_value("lang"); l == "nl" || l == "de" || l == "en") c.lang = l;
    if (c.actor) {
      c.actor->lang = c.lang;  // audits are reported in the reader's language
      c.actor->remote = req.remote_addr;
    }
    if (!s) {
      // A page for a user who must first replace a one-time password or
      // enrol its second factor: that page.
      if (c.must_change_password && !rh.info.api) return Redirect(c, "/account/password");
      if (c.must_enrol && !rh.info.api) return Redirect(c, "/account/totp");
      return SendError(c, s.error());
    }
    if (IsStateChanging(req.method) && c.session && c.bearer.empty() && rh.info.access != Access::kPublic) {
      std::string token = req.get_header_value("X-CSRF-Token");
      if (token.empty()) token = c.Param("csrf");
      if (!auth::SecretsEqual(token, c.session->csrf))
        return SendError(c, Error{ErrorKind::kDenied,
                                  "the form is stale or came from another site (CSRF check)",
                                  {},
                                  {},
                                  "reload the page and try again"});
    }
    try {
      rh.handler(c);
    } catch (const std::exception& e) {
      std::cerr << "blindspot serve: internal error in " << rh.info.method << " " << rh.info.path << ": "
                << e.what() << "\n";
      SendError(c, Error{ErrorKind::kInternal, "internal error"});
    }
  }

  Status Authenticate(Ctx& c) {
    c.bearer = BearerToken(c.req);
    c.session_cookie = CookieValue(c.req, SessionCookieName(options_));
    if (c.route.access == Access::kPublic) {
      if (!c.session_cookie.empty()) {
        auto s = admin_.CheckSession(c.session_cookie);
        if (s) c.session = *s;
      }
      return {};
    }
    if (c.route.session_only && !c.bearer.empty())
      return MakeError(ErrorKind::kUsage,
                       "this is for the logged-in user (session cookie and X-CSRF-Token), not an API token");
    const std::string org = c.Path("org");
    if (!c.bearer.empty()) {
      if (c.route.access == Access::kOrg || !org.empty()) {
        auto a = admin_.ActorForToken(c.bearer, org);
        if (!a) return std::unexpected(a.error());
        c.actor = std::move(*a);
      } else {
        // kSession with a token: the token's own organisation.
        auto a = admin_.ActorForToken(c.bearer, TokenOrg(c.bearer));
        if (!a) return std::unexpected(a.error());
        c.actor = std::move(*a);
      }
    } else {
      store::Principal principal;  // the session's user and memberships, read with it
      auto s = admin_.CheckSession(c.session_cookie, &principal);
      if (!s) return std::unexpected(s.error());
      c.session = *s;
      const bool second_factor_needed = admin::NeedsSecondFactor(principal.memberships) && !s->totp_ok;
      // A session without its second factor yet: does the user still have to
      // enrol one (then only the enrolment routes answer)?
      c.must_enrol = second_factor_needed && principal.user.totp_secret.empty();
      if (!principal.user.lang.empty()) c.lang = principal.user.lang;
      c.principal = std::move(principal);
      // A one-time password (a reset): a new password before anything else.
      c.must_change_password = principal.user.must_change_password;
      if (c.must_change_password && !c.route.before_password_change)
        return MakeError(ErrorKind::kDenied, "choose a new password first: yours is a one-time password", {},
                         {}, "POST /api/v1/account/password, or the page /account/password");
      if (c.route.access == Access::kOrg) {
        auto a = admin_.ActorForSession(*s, org, &*c.principal);
        if (!a) return std::unexpected(a.error());
        c.actor = std::move(*a);
      } else if (second_factor_needed && !(c.must_enrol && c.route.before_second_factor)) {
        return MakeError(ErrorKind::kAuth, c.must_enrol ? "set up your second factor first (/account/totp)"
                                                        : "log in again with your authenticator code");
      }
    }
    if (c.actor && !c.bearer.empty()) c.lang = c.actor->lang;
    if (c.route.access == Access::kOrg) {
      bool ok = false;
      for (store::Role r : c.actor->roles) ok = ok || RoleMayCall(c.route, r);
      if (!ok)
        return MakeError(ErrorKind::kDenied, "your role does not allow this in this organisation", {}, {},
                         "ask a privacy officer or admin of the organisation");
    }
    return {};
  }

  std::string TokenOrg(const std::string& bearer) {
    auto t = admin_.store().FindApiToken(auth::HashSecret(bearer));
    return t ? t->org_id : std::string();
  }

  admin::Admin& admin_;
  ServeOptions options_;
  BoundedServer svr_;
  std::atomic<bool> run_started_{false}, run_finished_{false}, stopping_{false};
};

}  // namespace

std::string Ctx::Param(const std::string& key) const {
  if (req.has_param(key)) return req.get_param_value(key);
  if (req.has_file(key)) return req.get_file_value(key).content;
  // Not cached across calls: a thread_local cache keyed by the request's
  // address handed a later request (same thread, same address) the fields of
  // an earlier one.
  std::multimap<std::string, std::string> form;
  ParseFormBody(req, form);
  auto it = form.find(key);
  return it == form.end() ? std::string() : it->second;
}

std::vector<std::string> Ctx::Params(const std::string& key) const {
  std::vector<std::string> out;
  for (auto [it, end] = req.params.equal_range(key); it != end; ++it) out.push_back(it->second);
  if (!out.empty()) return out;
  for (auto [it, end] = req.files.equal_range(key); it != end; ++it) out.push_back(it->second.content);
  if (!out.empty()) return out;
  std::multimap<std::string, std::string> form;
  ParseFormBody(req, form);
  for (auto [it, end] = form.equal_range(key); it != end; ++it) out.push_back(it->second);
  return out;
}

std::string Ctx::Path(const std::string& key) const {
  auto it = path.find(key);
  return it == path.end() ? std::string() : it->second;
}

std::string SessionCookieName(const ServeOptions& o) {
  return o.secure_cookies ? "__Host-bs_session" : "bs_session";
}

int StatusFor(ErrorKind k) {
  switch (k) {
    case ErrorKind::kAuth:
      return 401;
    case ErrorKind::kDenied:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kParse:
    case ErrorKind::kSchema:
    case ErrorKind::kReference:
    case ErrorKind::kUsage:
      return 400;
    case ErrorKind::kIo:
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

std::string_view ErrorCode(ErrorKind k) {
  switch (k) {
    case ErrorKind::kAuth:
      return "auth";
    case ErrorKind::kDenied:
      return "denied";
    case ErrorKind::kNotFound:
      return "not_found";
    case ErrorKind::kConflict:
      return "conflict";
    case ErrorKind::kParse:
      return "parse";
    case ErrorKind::kSchema:
      return "schema";
    case ErrorKind::kReference:
      return "reference";
    case ErrorKind::kUsage:
      return "bad_request";
    case ErrorKind::kIo:
    case ErrorKind::kInternal:
      return "internal";
  }
  return "internal";
}

std::string SizeText(uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

std::string JsonString(std::string_view s) {
  // The report's quoting (control characters, invalid UTF-8 as U+FFFD), and
  // < > & as \u escapes so the JSON is safe inside HTML too (never part of
  // an escape sequence, so replacing them after quoting is exact).
  std::string quoted;
  io_internal::JsonOut::Quote(quoted, s);
  if (quoted.find_first_of("<>&") == std::string::npos) return quoted;
  std::string out;
  out.reserve(quoted.size() + 16);
  for (char ch : quoted) {
    if (ch == '<')
      out += "\\u003c";
    else if (ch == '>')
      out += "\\u003e";
    else if (ch == '&')
      out += "\\u0026";
    else
      out += ch;
  }
  return out;
}

namespace {
// Response::set_content copies; a page or a list can be large.
void SetBody(httplib::Response& res, std::string body, const char* content_type) {
  res.body = std::move(body);
  res.headers.erase("Content-Type");
  res.set_header("Content-Type", content_type);
}
}  // namespace

void SendJson(Ctx& c, int status, std::string body) {
  c.res.status = status;
  SetBody(c.res, std::move(body), "application/json");
}

void SendHtml(Ctx& c, int status, std::string body) {
  c.res.status = status;
  SetBody(c.res, std::move(body), "text/html; charset=utf-8");
}

void Redirect(Ctx& c, const std::string& to) {
  c.res.status = 303;
  c.res.set_header("Location", to);
}

void SendError(Ctx& c, const Error& e) {
  int status = StatusFor(e.kind);
  // Internal and database errors: no details to the client (logged here, without secrets).
  std::string message = e.message;
  if (status == 500) {
    std::cerr << "blindspot serve: " << c.req.method << " " << c.route.path << ": " << e.Format();
    message = "internal error";
  }
  if (!c.route.api && status == 401) {
    Redirect(c, "/login");
    return;
  }
  if (c.route.api) {
    std::string body = fmt::format("{{\"error\":{{\"code\":{},\"message\":{}", JsonString(ErrorCode(e.kind)),
                                   JsonString(message));
    if (status != 500) {
      // Where in the client's input: the file or part it sent (or "request
      // body"), a line and column, a byte offset, a JSON pointer: each only
      // when known (a line 0 pointed nowhere).
      const SourceLocation& w = e.where;
      if (!w.file.empty() || w.line > 0 || w.has_offset || !w.pointer.empty()) {
        std::string where;
        auto add = [&](std::string_view key, const std::string& value) {
          where += (where.empty() ? "\"" : ",\"") + std::string(key) + "\":" + value;
        };
        if (!w.file.empty()) add("file", JsonString(w.file));
        if (w.line > 0) {
          add("line", std::to_string(w.line));
          add("column", std::to_string(w.column));
        }
        if (w.has_offset) add("offset", std::to_string(w.offset));
        if (!w.pointer.empty()) add("pointer", JsonString(w.pointer));
        body += ",\"where\":{" + where + "}";
      }
      if (!e.path.empty()) body += ",\"path\":" + JsonString(e.path);
      if (!e.expected.empty()) body += ",\"expected\":" + JsonString(e.expected);
      if (!e.hint.empty()) body += ",\"hint\":" + JsonString(e.hint);
    }
    body += "}}\n";
    SendJson(c, status, body);
  } else {
    // The stable code as a sentence in the reader's language; the library's
    // own (English) message below it as the details (none for a 500).
    SendErrorPage(c, status, ErrorCode(e.kind), status == 500 ? std::string() : message,
                  status == 500 ? std::string() : e.hint);
  }
}

bool RoleMayCall(const RouteInfo& r, store::Role role) {
  if (r.access != Access::kOrg) return true;
  for (admin::Permission p : r.permissions)
    if (admin::RoleAllows(role, p)) return true;
  return false;
}

const std::vector<RouteHandler>& AllRoutes() {
  static const std::vector<RouteHandler> all = [] {
    std::vector<RouteHandler> v = ApiRoutes();
    for (RouteHandler& p : PageRoutes()) v.push_back(std::move(p));
    return v;
  }();
  return all;
}

const std::vector<RouteInfo>& Routes() {
  static const std::vector<RouteInfo> all = [] {
    std::vector<RouteInfo> v;
    for (const RouteHandler& r : AllRoutes()) v.push_back(r.info);
    return v;
  }();
  return all;
}

std::unique_ptr<Server> Server::Create(admin::Admin& admin, ServeOptions options) {
  return std::make_unique<HttplibServer>(admin, std::move(options));
}

Result<std::pair<std::string, int>> ParseListen(std::string_view s) {
  size_t colon = s.rfind(':');
  auto bad = [&] {
    return MakeError(ErrorKind::kUsage, "'" + std::string(s) + "' is not an address to listen on", {},
                     "HOST:PORT, e.g. 127.0.0.1:8080 (port 0 picks a free one)");
  };
  if (colon == std::string_view::npos || colon == 0) return bad();
  std::string host(s.substr(0, colon));
  std::string_view port = s.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos)
    return bad();
  int p = std::stoi(std::string(port));
  if (p > 65535) return bad();
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::pair{host, p};
}

}  // namespace blindspot::http
