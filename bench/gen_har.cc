// gen_har: writes a synthetic HAR (src/evidence/har_gen.h, Chrome DevTools
// shape) to a file, for the large-file check in bench/big_har.sh.
//
//   gen_har --entries N OUT.har     exactly N entries
//   gen_har --bytes B OUT.har       at least B bytes (B may end in K, M or G: powers of
//                                   1024); the entry count is estimated from a sample, so
//                                   the file comes out up to about 1 % larger
//
// Prints "<entries> entries, <bytes> bytes" on stdout. The document is built
// in memory (about the size of the file), then written in one go.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "evidence/har_gen.h"

namespace {

int Usage() {
  std::fprintf(stderr, "usage: gen_har (--entries N | --bytes B[K|M|G]) OUT.har\n");
  return 2;
}

bool ParseCount(const char* s, bool allow_suffix, uint64_t* out) {
  char* end = nullptr;
  errno = 0;
  unsigned long long v = std::strtoull(s, &end, 10);
  if (errno != 0 || end == s) return false;
  uint64_t mul = 1;
  if (allow_suffix && *end != '\0') {
    switch (*end) {
      case 'K':
      case 'k':
        mul = 1ull << 10;
        break;
      case 'M':
      case 'm':
        mul = 1ull << 20;
        break;
      case 'G':
      case 'g':
        mul = 1ull << 30;
        break;
      default:
        return false;
    }
    ++end;
  }
  if (*end != '\0' || v == 0) return false;
  *out = static_cast<uint64_t>(v) * mul;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using blindspot::evidence_testing::GenerateHar;
  using blindspot::evidence_testing::HarGenOptions;
  if (argc != 4) return Usage();
  std::string mode = argv[1];
  uint64_t n = 0;
  HarGenOptions opt;
  if (mode == "--entries") {
    if (!ParseCount(argv[2], false, &n)) return Usage();
    opt.entries = n;
  } else if (mode == "--bytes") {
    if (!ParseCount(argv[2], true, &n)) return Usage();
    // Entry sizes vary with the index (digits, HTML/base64/POST cycles); size
    // a sample, estimate, then correct upwards until the target is reached.
    HarGenOptions probe = opt;
    probe.entries = 1000;
    const double per_entry = static_cast<double>(GenerateHar(probe).size()) / 1000.0;
    opt.entries = static_cast<uint64_t>(static_cast<double>(n) / per_entry) + 1;
  } else {
    return Usage();
  }
  std::string har = GenerateHar(opt);
  if (mode == "--bytes") {
    while (har.size() < n) {
      const double per_entry = static_cast<double>(har.size()) / static_cast<double>(opt.entries);
      opt.entries += static_cast<uint64_t>(static_cast<double>(n - har.size()) / per_entry) + 1;
      har = GenerateHar(opt);
    }
  }
  std::FILE* f = std::fopen(argv[3], "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "gen_har: cannot open %s: %s\n", argv[3], std::strerror(errno));
    return 1;
  }
  bool ok = std::fwrite(har.data(), 1, har.size(), f) == har.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::fprintf(stderr, "gen_har: cannot write %s: %s\n", argv[3], std::strerror(errno));
    return 1;
  }
  std::printf("%llu entries, %zu bytes\n", static_cast<unsigned long long>(opt.entries), har.size());
  return 0;
}
