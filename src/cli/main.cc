// Thin entry point: everything lives in the library (src/cli/cli.cc).
#include <iostream>
#include <string>
#include <vector>

#include "blindspot/cli.h"
#include "cli/allocator.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  blindspot::TuneAllocator(/*batch=*/args.empty() || args[0] != "serve");
  return blindspot::RunCli(args, std::cout, std::cerr);
}
