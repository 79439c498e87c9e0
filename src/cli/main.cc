// Thin entry point: everything lives in the library (src/cli/cli.cc).
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "blindspot/cli.h"

#ifdef BLINDSPOT_MIMALLOC
#include <mimalloc.h>

namespace {
// mimalloc gives freed memory back to the OS 25 ms after it is unused (and
// whole segments after 500 ms). A server that builds and frees
// a few hundred KB per request then pays a page fault per page of every
// new request and a TLB shootdown on all its threads per madvise: under
// bench/server_bench.sh's mix that was a third of the server's CPU time.
// Keeping it 2 s (segments 10 s) makes reuse the common case; the memory
// still goes back when the load drops. MIMALLOC_* variables still win.
void TuneAllocator() {
  if (std::getenv("MIMALLOC_DECOMMIT_DELAY") == nullptr) mi_option_set(mi_option_decommit_delay, 2000);
  if (std::getenv("MIMALLOC_SEGMENT_DECOMMIT_DELAY") == nullptr)
    mi_option_set(mi_option_segment_decommit_delay, 10000);
}
}  // namespace
#endif

int main(int argc, char** argv) {
#ifdef BLINDSPOT_MIMALLOC
  TuneAllocator();
#endif
  std::vector<std::string> args(argv + 1, argv + argc);
  return blindspot::RunCli(args, std::cout, std::cerr);
}
