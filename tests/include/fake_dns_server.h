// A fake DNS resolver for tests (no network beyond 127.0.0.1): answers UDP
// questions on 127.0.0.1 at a random port from a table, in a thread of its
// own, as a recursive resolver would. Packets are read and built with ldns.
// The table maps "name TYPE" (lower case, no trailing dot) to the answer
// section as zone-file lines (a CNAME chain is listed as the resolver would
// send it). A name with no entry of any type is NXDOMAIN; a name with
// entries of other types only is NOERROR without records. `silent` drops
// every question (a resolver that does not answer); `rcode` >= 0 answers
// every question with that rcode and nothing else.
#pragma once
#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace blindspot::testing {

class FakeDnsServer {
 public:
  using Table = std::map<std::string, std::vector<std::string>>;
  explicit FakeDnsServer(Table answers, bool silent = false, int rcode = -1)
      : answers_(std::move(answers)), silent_(silent), rcode_(rcode) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind");
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeDnsServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  FakeDnsServer(const FakeDnsServer&) = delete;
  FakeDnsServer& operator=(const FakeDnsServer&) = delete;

  uint16_t port() const { return port_; }
  std::string server() const { return "127.0.0.1:" + std::to_string(port_); }
  int questions() const { return questions_.load(); }

 private:
  static std::string Lower(std::string s) {
    for (char& c : s)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  static std::string Take(char* p) {
    std::string s = p ? p : "";
    std::free(p);
    return s;
  }

  void Serve() {
    std::vector<uint8_t> buf(65536);
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      sockaddr_in from{};
      socklen_t fl = sizeof from;
      ssize_t n = ::recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &fl);
      if (n <= 0) continue;
      ++questions_;
      if (silent_) continue;
      ldns_pkt* q = nullptr;
      if (ldns_wire2pkt(&q, buf.data(), static_cast<size_t>(n)) != LDNS_STATUS_OK) continue;
      ldns_pkt* r = Reply(q);
      uint8_t* wire = nullptr;
      size_t size = 0;
      if (ldns_pkt2wire(&wire, r, &size) == LDNS_STATUS_OK)
        ::sendto(fd_, wire, size, 0, reinterpret_cast<sockaddr*>(&from), fl);
      std::free(wire);
      ldns_pkt_free(r);
      ldns_pkt_free(q);
    }
  }

  ldns_pkt* Reply(ldns_pkt* q) {
    ldns_pkt* r = ldns_pkt_new();
    ldns_pkt_set_id(r, ldns_pkt_id(q));
    ldns_pkt_set_qr(r, true);
    ldns_pkt_set_rd(r, ldns_pkt_rd(q));
    ldns_pkt_set_ra(r, true);
    ldns_rr_list* question = ldns_pkt_question(q);
    if (question == nullptr || ldns_rr_list_rr_count(question) == 0) {
      ldns_pkt_set_rcode(r, LDNS_RCODE_FORMERR);
      return r;
    }
    ldns_rr* qr = ldns_rr_list_rr(question, 0);
    ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION, ldns_rr_clone(qr));
    if (rcode_ >= 0) {
      ldns_pkt_set_rcode(r, static_cast<uint8_t>(rcode_));
      return r;
    }
    std::string name = Lower(Take(ldns_rdf2str(ldns_rr_owner(qr))));
    std::string type = Take(ldns_rr_type2str(ldns_rr_get_type(qr)));
    auto it = answers_.find(name + " " + type);
    if (it == answers_.end()) {
      bool exists = false;
      for (const auto& [key, lines] : answers_) exists = exists || key.substr(0, key.find(' ')) == name;
      ldns_pkt_set_rcode(r, exists ? LDNS_RCODE_NOERROR : LDNS_RCODE_NXDOMAIN);
      return r;
    }
    for (const std::string& line : it->second) {
      ldns_rr* rr = nullptr;
      if (ldns_rr_new_frm_str(&rr, line.c_str(), 3600, nullptr, nullptr) != LDNS_STATUS_OK) {
        std::fprintf(stderr, "fake DNS server: bad answer line: %s\n", line.c_str());
        ldns_pkt_set_rcode(r, LDNS_RCODE_SERVFAIL);
        return r;
      }
      ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, rr);
    }
    return r;
  }

  Table answers_;
  bool silent_;
  int rcode_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> questions_{0};
  std::thread thread_;
};

}  // namespace blindspot::testing
