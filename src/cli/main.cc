// Thin entry point: everything lives in the library (src/cli/cli.cc).
#include <iostream>
#include <string>
#include <vector>

#include "blindspot/cli.h"
#include "cli/allocator.h"

int main(int argc, char** argv) {
  blindspot::TuneAllocator();
  std::vector<std::string> args(argv + 1, argv + argc);
  return blindspot::RunCli(args, std::cout, std::cerr);
}
