// webharness: the local "internet" blindspot's live scan is tested on.
//
// A small HTTPS + HTTP server on 127.0.0.1 that serves many host names by the
// Host header from a content tree (default examples/internet/):
//   hosts/<hostname>/...   static files; a directory serves its index.html,
//                          /privacy also finds privacy.html
//   routes.yaml            dynamic answers on given hosts and paths (status,
//                          content type, Set-Cookie, redirects, 1x1 GIF, 204,
//                          query echo, CORS) and pages made from templates
//                          (the shop's numbered product pages)
// The certificate is made at start in memory (EC P-256, self-signed, a SAN per
// host) unless --cert/--key name PEM files. Chromium reaches it through
// --host-resolver-rules (see docs/harness.md); the arguments are printed as
// "browser-arg ARG" lines just before the ready line:
//   webharness ready https=127.0.0.1:PORT http=127.0.0.1:PORT
// It serves until SIGTERM or SIGINT, or until standard input is closed when it
// is a pipe, a socket or a terminal (a test parent that dies takes the
// server with it). Exit 0 after a clean stop, 2 on bad options or a bad tree.
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#ifndef WEBHARNESS_DEFAULT_ROOT
#define WEBHARNESS_DEFAULT_ROOT "examples/internet"
#endif

namespace fs = std::filesystem;

namespace {

constexpr const char kUsage[] =
    "usage: webharness [--root DIR] [--https-port N] [--http-port N] [--cert PEM --key PEM]\n"
    "                  [--verbose] [--print-browser-args] [--no-stdin]\n"
    "  --root DIR            content tree with hosts/ and routes.yaml (default " WEBHARNESS_DEFAULT_ROOT
    ")\n"
    "  --https-port N        HTTPS port on 127.0.0.1, 0 = any free port (default 0)\n"
    "  --http-port N         HTTP port on 127.0.0.1, 0 = any free port (default 0)\n"
    "  --cert/--key PEM      certificate and key files instead of a fresh self-signed one\n"
    "  --verbose             log every request to stderr\n"
    "  --print-browser-args  print the Chromium arguments for the given ports, one per line, and exit\n"
    "                        (needs --https-port and --http-port other than 0)\n"
    "  --no-stdin            do not stop when standard input closes\n";

// 1x1 transparent GIF, as tracking pixels answer.
constexpr unsigned char kGif[] = {0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80,
                                  0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0x21, 0xf9, 0x04,
                                  0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x01,
                                  0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b};

struct BadTree : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::optional<std::string> Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s->find(from, pos)) != std::string::npos; pos += to.size()) {
    s->replace(pos, from.size(), to);
  }
}

std::string JsonEscape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string ContentTypeFor(const fs::path& p) {
  static const std::map<std::string, std::string> kTypes = {{".html", "text/html; charset=utf-8"},
                                                            {".htm", "text/html; charset=utf-8"},
                                                            {".js", "text/javascript; charset=utf-8"},
                                                            {".css", "text/css; charset=utf-8"},
                                                            {".json", "application/json"},
                                                            {".svg", "image/svg+xml"},
                                                            {".png", "image/png"},
                                                            {".gif", "image/gif"},
                                                            {".jpg", "image/jpeg"},
                                                            {".ico", "image/x-icon"},
                                                            {".txt", "text/plain; charset=utf-8"},
                                                            {".woff2", "font/woff2"}};
  auto it = kTypes.find(Lower(p.extension().string()));
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

// ---- routes.yaml --------------------------------------------------------

struct Item {
  std::map<std::string, std::string> vars;
};

struct Route {
  int line = 0;
  std::string host;
  std::set<std::string> methods;  // empty: GET (and HEAD)
  std::string path, path_prefix;
  std::vector<std::string> query_has;
  int status = 200;
  std::string content_type;
  std::string body;
  bool has_body = false;
  std::string file;       // relative to the root
  std::string template_;  // relative to the root
  bool gif = false, echo_query = false, cors = false;
  std::vector<std::string> set_cookies;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string redirect;
  std::map<std::string, std::string> vars;
  int numbered_from = 0, numbered_to = -1;  // path_prefix + N, N in range
  int list_from = 0, list_to = -1;          // {{#catalogue}} over this range
};

struct Band {  // catalogue.ranges[]: vars for the products from..to
  int from = 0, to = -1;
  std::map<std::string, std::string> vars;
};

struct Tree {
  fs::path root;
  std::vector<Band> bands;
  std::set<std::string> hosts;  // directories under hosts/
  std::vector<Route> routes;
  std::vector<Item> catalogue;
  int catalogue_count = 0;
};

[[noreturn]] void Fail(const fs::path& file, const YAML::Node& n, const std::string& what) {
  std::ostringstream ss;
  ss << file.string();
  if (n.IsDefined()) ss << ":" << n.Mark().line + 1 << ":" << n.Mark().column + 1;
  ss << ": " << what;
  throw BadTree(ss.str());
}

std::string Scalar(const fs::path& f, const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) Fail(f, n, key + ": expected a text value");
  return n.as<std::string>();
}

int Int(const fs::path& f, const YAML::Node& n, const std::string& key) {
  try {
    return n.as<int>();
  } catch (const YAML::Exception&) {
    Fail(f, n, key + ": expected a whole number");
  }
}

std::pair<int, int> Range(const fs::path& f, const YAML::Node& n, const std::string& key) {
  if (!n.IsMap() || !n["from"] || !n["to"]) Fail(f, n, key + ": expected {from: N, to: M}");
  int a = Int(f, n["from"], key + ".from"), b = Int(f, n["to"], key + ".to");
  if (a > b) Fail(f, n, key + ": from is greater than to");
  return {a, b};
}

Route ParseRoute(const fs::path& f, const YAML::Node& n, const Tree& tree) {
  static const std::set<std::string> kKeys = {
      "host",    "method",   "path",     "path_prefix", "query_has",  "status", "content_type",
      "body",    "file",     "template", "gif",         "echo_query", "cors",   "set_cookies",
      "headers", "redirect", "vars",     "numbered",    "list",       "comment"};
  if (!n.IsMap()) Fail(f, n, "a route must be a map");
  Route r;
  r.line = n.Mark().line + 1;
  for (const auto& kv : n) {
    std::string k = kv.first.as<std::string>();
    if (!kKeys.count(k)) Fail(f, kv.first, "unknown route key '" + k + "'");
  }
  if (!n["host"]) Fail(f, n, "a route needs a host");
  r.host = Lower(Scalar(f, n["host"], "host"));
  if (n["method"]) {
    std::vector<YAML::Node> ms;
    if (n["method"].IsSequence()) {
      for (const auto& m : n["method"]) ms.push_back(m);
    } else {
      ms.push_back(n["method"]);
    }
    for (const auto& m : ms) {
      std::string v = Scalar(f, m, "method");
      if (v != "GET" && v != "POST" && v != "OPTIONS" && v != "ANY")
        Fail(f, m, "method: GET, POST, OPTIONS or ANY");
      r.methods.insert(v);
    }
  }
  if (n["path"]) r.path = Scalar(f, n["path"], "path");
  if (n["path_prefix"]) r.path_prefix = Scalar(f, n["path_prefix"], "path_prefix");
  if (r.path.empty() == r.path_prefix.empty())
    Fail(f, n, "a route needs exactly one of path and path_prefix");
  if (n["query_has"]) {
    if (!n["query_has"].IsSequence()) Fail(f, n["query_has"], "query_has: expected a list");
    for (const auto& q : n["query_has"]) r.query_has.push_back(Scalar(f, q, "query_has"));
  }
  if (n["status"]) r.status = Int(f, n["status"], "status");
  if (r.status < 100 || r.status > 599) Fail(f, n["status"], "status: expected 100..599");
  if (n["content_type"]) r.content_type = Scalar(f, n["content_type"], "content_type");
  if (n["body"]) r.body = Scalar(f, n["body"], "body"), r.has_body = true;
  auto file_in_root = [&](const char* key, std::string* out) {
    if (!n[key]) return;
    *out = Scalar(f, n[key], key);
    if (!fs::is_regular_file(tree.root / *out))
      Fail(f, n[key], std::string(key) + ": no file " + (tree.root / *out).string());
  };
  file_in_root("file", &r.file);
  file_in_root("template", &r.template_);
  if (n["gif"]) r.gif = n["gif"].as<bool>();
  if (n["echo_query"]) r.echo_query = n["echo_query"].as<bool>();
  if (n["cors"]) r.cors = n["cors"].as<bool>();
  int bodies = r.has_body + !r.file.empty() + !r.template_.empty() + r.gif + r.echo_query;
  if (bodies > 1) Fail(f, n, "at most one of body, file, template, gif and echo_query");
  if (n["set_cookies"]) {
    if (!n["set_cookies"].IsSequence()) Fail(f, n["set_cookies"], "set_cookies: expected a list");
    for (const auto& c : n["set_cookies"]) r.set_cookies.push_back(Scalar(f, c, "set_cookies"));
  }
  if (n["headers"]) {
    if (!n["headers"].IsMap()) Fail(f, n["headers"], "headers: expected a map");
    for (const auto& kv : n["headers"])
      r.headers.emplace_back(kv.first.as<std::string>(), Scalar(f, kv.second, "headers"));
  }
  if (n["redirect"]) {
    r.redirect = Scalar(f, n["redirect"], "redirect");
    if (!n["status"]) r.status = 302;
  }
  if (n["vars"]) {
    if (!n["vars"].IsMap()) Fail(f, n["vars"], "vars: expected a map");
    for (const auto& kv : n["vars"]) r.vars[kv.first.as<std::string>()] = Scalar(f, kv.second, "vars");
  }
  if (n["numbered"]) {
    if (r.path_prefix.empty()) Fail(f, n["numbered"], "numbered needs path_prefix");
    std::tie(r.numbered_from, r.numbered_to) = Range(f, n["numbered"], "numbered");
  }
  if (n["list"]) std::tie(r.list_from, r.list_to) = Range(f, n["list"], "list");
  if ((r.numbered_to >= 0 || r.list_to >= 0) && r.template_.empty())
    Fail(f, n, "numbered and list need a template");
  return r;
}

Tree LoadTree(const fs::path& root) {
  Tree t;
  t.root = root;
  if (!fs::is_directory(root / "hosts"))
    throw BadTree(root.string() + ": no hosts/ folder (is --root right?)");
  for (const auto& e : fs::directory_iterator(root / "hosts")) {
    if (!e.is_directory()) continue;
    std::string h = e.path().filename().string();
    if (h != Lower(h)) throw BadTree(e.path().string() + ": host folders must be lower case");
    t.hosts.insert(h);
  }
  fs::path rf = root / "routes.yaml";
  if (!fs::exists(rf)) return t;
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(rf.string());
  } catch (const YAML::Exception& e) {
    throw BadTree(rf.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                  std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (!doc.IsMap()) Fail(rf, doc, "expected a map with routes (and catalogue)");
  for (const auto& kv : doc) {
    std::string k = kv.first.as<std::string>();
    if (k != "routes" && k != "catalogue") Fail(rf, kv.first, "unknown key '" + k + "' (routes, catalogue)");
  }
  if (const auto& c = doc["catalogue"]) {
    if (!c.IsMap() || !c["count"] || !c["items"] || !c["items"].IsSequence() || c["items"].size() == 0)
      Fail(rf, c, "catalogue: expected {count: N, items: [ {key: value, ...}, ... ]}");
    t.catalogue_count = Int(rf, c["count"], "catalogue.count");
    for (const auto& it : c["items"]) {
      if (!it.IsMap()) Fail(rf, it, "catalogue item: expected a map");
      Item item;
      for (const auto& kv : it)
        item.vars[kv.first.as<std::string>()] = Scalar(rf, kv.second, "catalogue item");
      t.catalogue.push_back(std::move(item));
    }
    if (const auto& rs = c["ranges"]) {
      if (!rs.IsSequence())
        Fail(rf, rs, "catalogue.ranges: expected a list of {from: N, to: M, key: value...}");
      for (const auto& r : rs) {
        Band b;
        std::tie(b.from, b.to) = Range(rf, r, "catalogue.ranges[]");
        for (const auto& kv : r) {
          std::string k = kv.first.as<std::string>();
          if (k != "from" && k != "to") b.vars[k] = Scalar(rf, kv.second, "catalogue.ranges[]." + k);
        }
        t.bands.push_back(std::move(b));
      }
    }
  }
  if (const auto& rs = doc["routes"]) {
    if (!rs.IsSequence()) Fail(rf, rs, "routes: expected a list");
    for (const auto& r : rs) t.routes.push_back(ParseRoute(rf, r, t));
  }
  for (const auto& r : t.routes) {
    if ((r.numbered_to >= 0 || r.list_to >= 0) && t.catalogue.empty())
      throw BadTree(rf.string() + ":" + std::to_string(r.line) + ": numbered/list routes need a catalogue");
  }
  return t;
}

// ---- templates -----------------------------------------------------------

// Product n's variables: the catalogue item (n-1) % size, the vars of the
// ranges n is in, and n, prev, next.
std::map<std::string, std::string> ItemVars(const Tree& t, int n) {
  std::map<std::string, std::string> v = t.catalogue[(n - 1) % t.catalogue.size()].vars;
  for (const auto& b : t.bands) {
    if (n >= b.from && n <= b.to) {
      for (const auto& [k, x] : b.vars) v[k] = x;
    }
  }
  v["n"] = std::to_string(n);
  v["prev"] = std::to_string(n > 1 ? n - 1 : t.catalogue_count);
  v["next"] = std::to_string(n < t.catalogue_count ? n + 1 : 1);
  return v;
}

std::string Substitute(std::string text, const std::map<std::string, std::string>& vars) {
  for (const auto& [k, v] : vars) ReplaceAll(&text, "{{" + k + "}}", v);
  return text;
}

// {{#catalogue}}...{{/catalogue}} repeats its inside for every product of the
// route's list range; then {{name}} takes the route's vars (and product vars
// on product pages).
std::string Render(const Tree& t, const Route& r, const std::string& tmpl, std::optional<int> n) {
  std::string out = tmpl;
  const std::string open = "{{#catalogue}}", close = "{{/catalogue}}";
  for (size_t a; (a = out.find(open)) != std::string::npos;) {
    size_t b = out.find(close, a);
    if (b == std::string::npos) break;
    std::string inner = out.substr(a + open.size(), b - a - open.size()), rep;
    for (int i = r.list_from; i <= r.list_to && r.list_to >= 0; ++i) rep += Substitute(inner, ItemVars(t, i));
    out.replace(a, b + close.size() - a, rep);
  }
  std::map<std::string, std::string> vars = r.vars;
  if (n) {
    for (auto& [k, v] : ItemVars(t, *n)) vars[k] = v;
  }
  return Substitute(out, vars);
}

// "{q.NAME}" in a redirect target becomes the decoded query value NAME.
std::string ExpandQuery(std::string s, const httplib::Request& req) {
  for (size_t a; (a = s.find("{q.")) != std::string::npos;) {
    size_t b = s.find('}', a);
    if (b == std::string::npos) break;
    std::string name = s.substr(a + 3, b - a - 3);
    s.replace(a, b + 1 - a, req.has_param(name) ? req.get_param_value(name) : "");
  }
  return s;
}

// <!--#include NAME --> in an HTML page is replaced by partials/<host>/NAME
// (shared head, header and footer of a site), up to three levels deep.
std::string ExpandIncludes(const Tree& t, const std::string& host, std::string html, int depth = 0) {
  const std::string open = "<!--#include ";
  for (size_t a = 0; (a = html.find(open, a)) != std::string::npos;) {
    size_t b = html.find("-->", a);
    if (b == std::string::npos) break;
    std::string name = html.substr(a + open.size(), b - a - open.size());
    name.erase(name.find_last_not_of(" ") + 1);
    std::string inner;
    if (name.find("..") == std::string::npos) {
      if (auto text = Slurp(t.root / "partials" / host / name))
        inner = depth < 3 ? ExpandIncludes(t, host, *text, depth + 1) : *text;
      else
        inner = "<!-- webharness: no partial " + name + " -->";
    }
    html.replace(a, b + 3 - a, inner);
    a += inner.size();
  }
  return html;
}

// ---- serving -------------------------------------------------------------

struct Server {
  Tree tree;
  bool verbose = false;

  std::string HostOf(const httplib::Request& req) const {
    std::string h = Lower(req.get_header_value("Host"));
    if (!h.empty() && h.front() == '[') return h.substr(0, h.find(']') + 1);
    return h.substr(0, h.find(':'));
  }

  bool Matches(const Route& r, const std::string& host, const httplib::Request& req) const {
    if (r.host != host) return false;
    std::string m = req.method == "HEAD" ? "GET" : req.method;
    if (r.methods.empty() ? m != "GET" : !(r.methods.count(m) || r.methods.count("ANY"))) return false;
    if (!r.path.empty() && req.path != r.path) return false;
    if (!r.path_prefix.empty() && req.path.rfind(r.path_prefix, 0) != 0) return false;
    for (const auto& q : r.query_has) {
      if (!req.has_param(q)) return false;
    }
    if (r.numbered_to >= 0) {
      std::string rest = req.path.substr(r.path_prefix.size());
      if (rest.empty() || rest.size() > 6 || !std::all_of(rest.begin(), rest.end(), ::isdigit)) return false;
      int n = std::stoi(rest);
      if (n < r.numbered_from || n > r.numbered_to || rest[0] == '0') return false;
    }
    return true;
  }

  void Cors(const httplib::Request& req, httplib::Response& res) const {
    std::string origin = req.get_header_value("Origin");
    res.set_header("Access-Control-Allow-Origin", origin.empty() ? "*" : origin);
    if (!origin.empty()) res.set_header("Access-Control-Allow-Credentials", "true");
    res.set_header("Vary", "Origin");
  }

  std::string Answer(const Route& r, const httplib::Request& req, httplib::Response& res) const {
    res.status = r.status;
    for (const auto& c : r.set_cookies) res.headers.emplace("Set-Cookie", c);
    for (const auto& [k, v] : r.headers) res.set_header(k, v);
    if (r.cors) Cors(req, res);
    if (!r.redirect.empty()) res.set_header("Location", ExpandQuery(r.redirect, req));
    std::string type = r.content_type;
    if (r.gif) {
      res.set_content(reinterpret_cast<const char*>(kGif), sizeof kGif, type.empty() ? "image/gif" : type);
    } else if (r.echo_query) {
      std::string j = "{";
      for (auto it = req.params.begin(); it != req.params.end(); ++it) {
        if (it != req.params.begin()) j += ",";
        j += "\"" + JsonEscape(it->first) + "\":\"" + JsonEscape(it->second) + "\"";
      }
      j += "}";
      res.set_content(j, type.empty() ? "application/json" : type);
    } else if (!r.file.empty()) {
      auto body = Slurp(tree.root / r.file);
      res.set_content(body.value_or(""), type.empty() ? ContentTypeFor(r.file) : type);
    } else if (!r.template_.empty()) {
      std::optional<int> n;
      if (r.numbered_to >= 0) n = std::stoi(req.path.substr(r.path_prefix.size()));
      auto body = Slurp(tree.root / r.template_);
      std::string text = body.value_or("");
      if (ContentTypeFor(r.template_).starts_with("text/html")) text = ExpandIncludes(tree, r.host, text);
      text = Render(tree, r, text, n);
      res.set_content(text, type.empty() ? ContentTypeFor(r.template_) : type);
    } else if (r.has_body) {
      res.set_content(r.body, type.empty() ? "text/plain; charset=utf-8" : type);
    } else if (!type.empty()) {
      res.set_header("Content-Type", type);
    }
    return "route routes.yaml:" + std::to_string(r.line);
  }

  std::string Static(const std::string& host, const httplib::Request& req, httplib::Response& res) const {
    fs::path base = tree.root / "hosts" / host;
    fs::path rel;
    for (const auto& seg : fs::path(req.path).relative_path()) {
      std::string s = seg.string();
      if (s == ".." || s == ".") {
        res.status = 400;
        res.set_content("webharness: bad path\n", "text/plain; charset=utf-8");
        return "bad path";
      }
      if (!s.empty()) rel /= seg;
    }
    fs::path p = base / rel;
    std::error_code ec;
    if (fs::is_directory(p, ec)) p /= "index.html";
    if (!fs::is_regular_file(p, ec) && fs::is_regular_file(p.string() + ".html", ec))
      p = p.string() + ".html";
    if (auto body = fs::is_regular_file(p, ec) ? Slurp(p) : std::nullopt) {
      res.status = 200;
      std::string type = ContentTypeFor(p);
      res.set_content(type.starts_with("text/html") ? ExpandIncludes(tree, host, *body) : *body, type);
      return "file " + fs::relative(p, tree.root).string();
    }
    res.status = 404;
    res.set_content("webharness: no page " + req.path + " on " + host + " (no file under " +
                        (tree.root / "hosts" / host).string() + " and no route in routes.yaml)\n",
                    "text/plain; charset=utf-8");
    return "404 no file";
  }

  void Handle(const std::string& scheme, const httplib::Request& req, httplib::Response& res) const {
    std::string host = HostOf(req), how;
    const Route* hit = nullptr;
    for (const auto& r : tree.routes) {
      if (Matches(r, host, req)) {
        hit = &r;
        break;
      }
    }
    bool known = tree.hosts.count(host) || std::any_of(tree.routes.begin(), tree.routes.end(),
                                                       [&](const Route& r) { return r.host == host; });
    if (hit) {
      how = Answer(*hit, req, res);
    } else if (req.method == "OPTIONS" && known) {  // CORS preflight
      Cors(req, res);
      res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      res.set_header("Access-Control-Allow-Headers", req.get_header_value("Access-Control-Request-Headers"));
      res.set_header("Access-Control-Max-Age", "600");
      res.status = 204;
      how = "preflight";
    } else if (host == "127.0.0.1" || host == "localhost") {
      std::string list = "webharness: hosts served (use a Host header or the browser args):\n";
      for (const auto& h : tree.hosts) list += "  " + h + "\n";
      res.set_content(list, "text/plain; charset=utf-8");
      how = "host list";
    } else if (!known) {
      res.status = 404;
      res.set_content("webharness: unknown host '" + host + "': no folder " +
                          (tree.root / "hosts" / host).string() + " and no route for it in routes.yaml\n",
                      "text/plain; charset=utf-8");
      how = "404 unknown host";
    } else if (req.method == "GET" || req.method == "HEAD") {
      how = Static(host, req, res);
    } else {
      res.status = 405;
      res.set_content("webharness: no route for " + req.method + " " + req.path + " on " + host + "\n",
                      "text/plain; charset=utf-8");
      how = "405 no route";
    }
    if (verbose) {
      std::string line = req.method + " " + scheme + "://" + host + req.target + " -> " +
                         std::to_string(res.status) + " (" + how + ")\n";
      std::fputs(line.c_str(), stderr);
    }
  }
};

// ---- certificate ---------------------------------------------------------

struct Cert {
  X509* x509 = nullptr;
  EVP_PKEY* key = nullptr;
  ~Cert() {
    X509_free(x509);
    EVP_PKEY_free(key);
  }
};

bool AddExt(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// A self-signed EC P-256 certificate for every host of the tree, valid from an
// hour ago for 30 days.
bool MakeCert(const std::set<std::string>& hosts, Cert* out) {
  out->key = EVP_EC_gen("P-256");
  out->x509 = X509_new();
  if (!out->key || !out->x509) return false;
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(out->x509));
  BN_free(bn);
  X509_set_version(out->x509, 2);
  X509_gmtime_adj(X509_getm_notBefore(out->x509), -3600);
  X509_gmtime_adj(X509_getm_notAfter(out->x509), 30L * 24 * 3600);
  X509_set_pubkey(out->x509, out->key);
  X509_NAME* name = X509_get_subject_name(out->x509);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("blindspot webharness"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("webharness test CA"), -1, -1, 0);
  X509_set_issuer_name(out->x509, name);
  std::string san = "IP:127.0.0.1,DNS:localhost";
  for (const auto& h : hosts) san += ",DNS:" + h;
  if (!AddExt(out->x509, NID_subject_alt_name, san) ||
      !AddExt(out->x509, NID_basic_constraints, "critical,CA:TRUE"))
    return false;
  return X509_sign(out->x509, out->key, EVP_sha256()) > 0;
}

bool LoadCert(const std::string& cert_path, const std::string& key_path, Cert* out, std::string* err) {
  FILE* f = std::fopen(cert_path.c_str(), "r");
  if (!f) return *err = "cannot open --cert " + cert_path + ": " + std::strerror(errno), false;
  out->x509 = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!out->x509) return *err = "--cert " + cert_path + ": not a PEM certificate", false;
  f = std::fopen(key_path.c_str(), "r");
  if (!f) return *err = "cannot open --key " + key_path + ": " + std::strerror(errno), false;
  out->key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (!out->key) return *err = "--key " + key_path + ": not a PEM private key (without passphrase)", false;
  if (X509_check_private_key(out->x509, out->key) != 1)
    return *err = "--key " + key_path + " does not belong to --cert " + cert_path, false;
  return true;
}

// ---- main ----------------------------------------------------------------

std::vector<std::string> BrowserArgs(int https_port, int http_port) {
  return {"--host-resolver-rules=MAP *:443 127.0.0.1:" + std::to_string(https_port) +
              ", MAP *:80 127.0.0.1:" + std::to_string(http_port),
          "--ignore-certificate-errors", "--disable-features=HttpsUpgrades"};
}

bool ParsePort(const std::string& s, int* out) {
  if (s.empty() || s.size() > 5 || !std::all_of(s.begin(), s.end(), ::isdigit)) return false;
  *out = std::stoi(s);
  return *out <= 65535;
}

int Usage(const std::string& msg) {
  std::cerr << "webharness: " << msg << "\n" << kUsage;
  return 2;
}

void Configure(httplib::Server& s, const Server& srv, const std::string& scheme) {
  s.new_task_queue = [] { return new httplib::ThreadPool(512); };
  s.set_keep_alive_timeout(2);
  s.set_read_timeout(10);
  // No compression: cpp-httplib would brotli-compress every text response at
  // the highest quality, which cost the harness more CPU than the pages cost
  // to serve (a real site's CDN precompresses). Loopback needs none; the
  // Request is the library's own mutable object, handed to us as const.
  s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
    return httplib::Server::HandlerResponse::Unhandled;
  });
  auto h = [&srv, scheme](const httplib::Request& req, httplib::Response& res) {
    srv.Handle(scheme, req, res);
  };
  s.Get(".*", h);
  s.Post(".*", h);
  s.Options(".*", h);
  s.Put(".*", h);
  s.Delete(".*", h);
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = WEBHARNESS_DEFAULT_ROOT, cert_path, key_path;
  int https_port = 0, http_port = 0;
  bool verbose = false, print_args = false, watch_stdin = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    std::string v;
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (a == "--root") {
      if (!value(&root)) return Usage("--root needs a folder");
    } else if (a == "--https-port" || a == "--http-port") {
      if (!value(&v) || !ParsePort(v, a == "--https-port" ? &https_port : &http_port))
        return Usage(a + " needs a port number 0..65535");
    } else if (a == "--cert") {
      if (!value(&cert_path)) return Usage("--cert needs a file");
    } else if (a == "--key") {
      if (!value(&key_path)) return Usage("--key needs a file");
    } else if (a == "--verbose") {
      verbose = true;
    } else if (a == "--print-browser-args") {
      print_args = true;
    } else if (a == "--no-stdin") {
      watch_stdin = false;
    } else {
      return Usage("unknown option '" + a + "'");
    }
  }
  if (cert_path.empty() != key_path.empty()) return Usage("--cert and --key go together");
  if (print_args) {
    if (https_port == 0 || http_port == 0)
      return Usage(
          "--print-browser-args needs fixed --https-port and --http-port (with port 0 the ready output has "
          "the browser-arg lines)");
    for (const auto& arg : BrowserArgs(https_port, http_port)) std::cout << arg << "\n";
    return 0;
  }

  Server srv;
  srv.verbose = verbose;
  try {
    srv.tree = LoadTree(root);
  } catch (const BadTree& e) {
    std::cerr << "webharness: bad content tree: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "webharness: cannot read content tree " << root << ": " << e.what() << "\n";
    return 2;
  }

  Cert cert;
  std::string err;
  if (!cert_path.empty() ? !LoadCert(cert_path, key_path, &cert, &err) : !MakeCert(srv.tree.hosts, &cert)) {
    std::cerr << "webharness: " << (err.empty() ? "could not make a certificate" : err) << "\n";
    return 2;
  }

  // SIGINT/SIGTERM are taken by sigwait in this thread only.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  httplib::SSLServer https(cert.x509, cert.key);
  httplib::Server http;
  if (!https.is_valid()) {
    std::cerr << "webharness: the TLS server could not be set up with this certificate\n";
    return 2;
  }
  Configure(https, srv, "https");
  Configure(http, srv, "http");
  auto bind = [](httplib::Server& s, int port, const char* what) {
    int got = port == 0 ? s.bind_to_any_port("127.0.0.1") : (s.bind_to_port("127.0.0.1", port) ? port : -1);
    if (got <= 0) std::cerr << "webharness: cannot listen on 127.0.0.1:" << port << " (" << what << ")\n";
    return got;
  };
  https_port = bind(https, https_port, "https");
  if (https_port <= 0) return 2;
  http_port = bind(http, http_port, "http");
  if (http_port <= 0) return 2;
  std::thread t1([&] { https.listen_after_bind(); });
  std::thread t2([&] { http.listen_after_bind(); });
  while (!https.is_running() || !http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  for (const auto& arg : BrowserArgs(https_port, http_port)) std::cout << "browser-arg " << arg << "\n";
  std::cout << "webharness ready https=127.0.0.1:" << https_port << " http=127.0.0.1:" << http_port
            << std::endl;

  // A closed stdin (pipe, socket, terminal) stops the server too; /dev/null or a
  // file does not (a script's background job).
  struct stat st;
  if (watch_stdin && fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || isatty(0))) {
    std::thread([] {
      char buf[256];
      while (read(0, buf, sizeof buf) > 0) {
      }
      kill(getpid(), SIGTERM);
    }).detach();
  }
  int sig = 0;
  sigwait(&stop_signals, &sig);
  if (verbose) std::cerr << "webharness: stopping (" << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ")\n";
  https.stop();
  http.stop();
  t1.join();
  t2.join();
  return 0;
}
