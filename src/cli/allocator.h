// The process's allocator settings, for binaries linked with mimalloc
// (BLINDSPOT_MIMALLOC): the blindspot CLI and server (src/cli/main.cc) and
// the benchmarks that measure what it does (bench/sheet_bench.cc), so both
// run with the same allocator. Call once at the start of main.
#pragma once
#ifdef BLINDSPOT_MIMALLOC
#include <mimalloc.h>

#include <cstdlib>

namespace blindspot {
// mimalloc gives freed memory back to the OS 25 ms after it is unused (and
// whole segments after 500 ms). A server that builds and frees
// a few hundred KB per request then pays a page fault per page of every
// new request and a TLB shootdown on all its threads per madvise: under
// bench/server_bench.sh's mix that was a third of the server's CPU time.
// Keeping it 2 s (segments 10 s) makes reuse the common case; the memory
// still goes back when the load drops. MIMALLOC_* variables still win.
//
// A one-shot command (`batch`: import, export, validate, audit of a large
// register) also asks for 2 MiB pages (transparent huge pages, madvise):
// it builds hundreds of MB of strings and vectors once, and a page fault per
// 4 KiB was a third of the time of reading a 100,000-row workbook
// (bench/sheet_bench: cells 1.43 -> 0.85 s, import 3.5 -> 2.3 s CPU). The
// server keeps 4 KiB pages: its memory is many small, short-lived blocks.
inline void TuneAllocator(bool batch) {
  if (std::getenv("MIMALLOC_DECOMMIT_DELAY") == nullptr) mi_option_set(mi_option_decommit_delay, 2000);
  if (std::getenv("MIMALLOC_SEGMENT_DECOMMIT_DELAY") == nullptr)
    mi_option_set(mi_option_segment_decommit_delay, 10000);
  if (batch && std::getenv("MIMALLOC_LARGE_OS_PAGES") == nullptr) mi_option_enable(mi_option_large_os_pages);
}
}  // namespace blindspot
#else
namespace blindspot {
inline void TuneAllocator(bool) {}
}  // namespace blindspot
#endif
