// The real Resolver (dnslive.h): ldns (libldns-dev) over UDP, with TCP when
// an answer is truncated. One try per nameserver and question, within the
// timeout; recursion desired; EDNS0 with a 1232-byte buffer (the DNS flag
// day 2020 size) so that long TXT records fit.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <ldns/ldns.h>

#include <chrono>
#include <cstdlib>

#include "blindspot/dnslive.h"

namespace blindspot::dnslive {

namespace {

struct Freer {
  void operator()(char* p) const { std::free(p); }
};
std::string Str(char* p) {
  std::unique_ptr<char, Freer> owned(p);
  return p ? std::string(p) : std::string();
}

struct Server {
  std::string address;
  bool v6 = false;
  uint16_t port = 53;
};

Result<Server> ParseServer(const std::string& s) {
  Server out;
  std::string host = s;
  std::string port;
  if (!s.empty() && s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string::npos)
      return MakeError(ErrorKind::kUsage, "--server '" + s + "': '[' without ']'", {},
                       "IP, IP:PORT or [IPv6]:PORT");
    host = s.substr(1, close - 1);
    if (close + 1 < s.size()) {
      if (s[close + 1] != ':')
        return MakeError(ErrorKind::kUsage, "--server '" + s + "': expected ':PORT' after ']'", {},
                         "IP, IP:PORT or [IPv6]:PORT");
      port = s.substr(close + 2);
    }
  } else if (s.find(':') != std::string::npos && s.find(':') == s.rfind(':')) {
    host = s.substr(0, s.find(':'));
    port = s.substr(s.find(':') + 1);
  }
  unsigned char buf[sizeof(struct in6_addr)];
  if (inet_pton(AF_INET, host.c_str(), buf) == 1) {
    out.v6 = false;
  } else if (inet_pton(AF_INET6, host.c_str(), buf) == 1) {
    out.v6 = true;
  } else {
    return MakeError(ErrorKind::kUsage, "--server '" + s + "' is not an IP address", {},
                     "IP, IP:PORT or [IPv6]:PORT, e.g. 192.0.2.53 or 127.0.0.1:5353",
                     "give the resolver's address, not its name");
  }
  out.address = host;
  if (!port.empty() || s.ends_with(":")) {
    char* end = nullptr;
    long p = std::strtol(port.c_str(), &end, 10);
    if (port.empty() || *end != '\0' || p < 1 || p > 65535)
      return MakeError(ErrorKind::kUsage, "--server '" + s + "': '" + port + "' is not a port", {},
                       "a port from 1 to 65535");
    out.port = static_cast<uint16_t>(p);
  }
  return out;
}

class LdnsResolver : public Resolver {
 public:
  LdnsResolver(ldns_resolver* r, std::string description, std::chrono::milliseconds timeout)
      : r_(r), description_(std::move(description)), timeout_(timeout) {}
  ~LdnsResolver() override { ldns_resolver_deep_free(r_); }

  std::string Describe() const override { return description_; }

  Answer Query(const std::string& fqdn, const std::string& type) override {
    Answer a;
    ldns_rr_type t = ldns_get_rr_type_by_name(type.c_str());
    ldns_rdf* name = ldns_dname_new_frm_str((fqdn + ".").c_str());
    if (name == nullptr || t == 0) {
      if (name) ldns_rdf_deep_free(name);
      a.status = AnswerStatus::kNetworkError;
      a.error = "cannot ask " + fqdn + " " + type;
      return a;
    }
    ldns_pkt* pkt = nullptr;
    auto start = std::chrono::steady_clock::now();
    ldns_status st = ldns_resolver_query_status(&pkt, r_, name, t, LDNS_RR_CLASS_IN, LDNS_RD);
    auto elapsed = std::chrono::steady_clock::now() - start;
    ldns_rdf_deep_free(name);
    if (st != LDNS_STATUS_OK || pkt == nullptr) {
      if (pkt) ldns_pkt_free(pkt);
      // ldns reports a timeout as a network error: told apart by the time it took.
      a.status = elapsed >= timeout_ * 9 / 10 ? AnswerStatus::kTimeout : AnswerStatus::kNetworkError;
      a.error = ldns_get_errorstr_by_id(st) ? ldns_get_errorstr_by_id(st) : "unknown error";
      return a;
    }
    switch (ldns_pkt_get_rcode(pkt)) {
      case LDNS_RCODE_NOERROR:
        a.status = AnswerStatus::kRecords;
        break;
      case LDNS_RCODE_NXDOMAIN:
        a.status = AnswerStatus::kNxDomain;
        break;
      case LDNS_RCODE_SERVFAIL:
        a.status = AnswerStatus::kServFail;
        break;
      case LDNS_RCODE_REFUSED:
        a.status = AnswerStatus::kRefused;
        break;
      default:
        a.status = AnswerStatus::kOtherRcode;
        a.error = fmt::format("rcode {}", static_cast<int>(ldns_pkt_get_rcode(pkt)));
        break;
    }
    ldns_rr_list* answer = ldns_pkt_answer(pkt);
    for (size_t i = 0; answer != nullptr && i < ldns_rr_list_rr_count(answer); ++i) {
      ldns_rr* rr = ldns_rr_list_rr(answer, i);
      if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN) continue;
      Rr out;
      out.owner = Str(ldns_rdf2str(ldns_rr_owner(rr)));
      out.ttl = ldns_rr_ttl(rr);
      out.type = Str(ldns_rr_type2str(ldns_rr_get_type(rr)));
      for (size_t k = 0; k < ldns_rr_rd_count(rr); ++k) {
        if (k) out.rdata += ' ';
        out.rdata += Str(ldns_rdf2str(ldns_rr_rdf(rr, k)));
      }
      a.records.push_back(std::move(out));
    }
    if (a.status == AnswerStatus::kRecords && a.records.empty()) a.status = AnswerStatus::kNoData;
    ldns_pkt_free(pkt);
    return a;
  }

 private:
  ldns_resolver* r_;
  std::string description_;
  std::chrono::milliseconds timeout_;
};

}  // namespace

Result<std::unique_ptr<Resolver>> NewLdnsResolver(const ResolverOptions& o) {
  ldns_resolver* r = nullptr;
  std::string description;
  if (!o.server.empty()) {
    auto server = ParseServer(o.server);
    if (!server) return std::unexpected(server.error());
    r = ldns_resolver_new();
    if (r == nullptr) return MakeError(ErrorKind::kInternal, "out of memory (ldns_resolver_new)", {});
    ldns_rdf* addr =
        ldns_rdf_new_frm_str(server->v6 ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, server->address.c_str());
    if (addr == nullptr || ldns_resolver_push_nameserver(r, addr) != LDNS_STATUS_OK) {
      if (addr) ldns_rdf_deep_free(addr);
      ldns_resolver_deep_free(r);
      return MakeError(ErrorKind::kUsage, "--server '" + o.server + "' is not an IP address", {});
    }
    ldns_rdf_deep_free(addr);  // the resolver keeps a copy
    ldns_resolver_set_port(r, server->port);
    description = server->v6 ? "[" + server->address + "]" : server->address;
    description += fmt::format(" port {}", server->port);
  } else {
    ldns_status st = ldns_resolver_new_frm_file(&r, o.resolv_conf.c_str());
    if (st != LDNS_STATUS_OK || r == nullptr) {
      SourceLocation where;
      where.file = o.resolv_conf;
      return MakeError(ErrorKind::kIo,
                       "cannot read the system's resolver from " + o.resolv_conf + ": " +
                           (ldns_get_errorstr_by_id(st) ? ldns_get_errorstr_by_id(st) : "error"),
                       where, {}, "give a resolver with --server IP");
    }
    if (ldns_resolver_nameserver_count(r) == 0) {
      ldns_resolver_deep_free(r);
      SourceLocation where;
      where.file = o.resolv_conf;
      return MakeError(ErrorKind::kIo, "no nameserver in " + o.resolv_conf, where, {},
                       "give a resolver with --server IP");
    }
    ldns_rdf** ns = ldns_resolver_nameservers(r);
    for (size_t i = 0; i < ldns_resolver_nameserver_count(r); ++i)
      description += (i ? ", " : "") + Str(ldns_rdf2str(ns[i]));
    description += " (" + o.resolv_conf + ")";
  }
  struct timeval tv;
  tv.tv_sec = static_cast<time_t>(o.timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((o.timeout.count() % 1000) * 1000);
  ldns_resolver_set_timeout(r, tv);
  ldns_resolver_set_retry(r, 1);
  ldns_resolver_set_retrans(r, 0);
  ldns_resolver_set_random(r, false);
  ldns_resolver_set_recursive(r, true);
  ldns_resolver_set_dnssec(r, false);
  ldns_resolver_set_fallback(r, true);
  ldns_resolver_set_edns_udp_size(r, 1232);
  return std::unique_ptr<Resolver>(new LdnsResolver(r, std::move(description), o.timeout));
}

}  // namespace blindspot::dnslive
