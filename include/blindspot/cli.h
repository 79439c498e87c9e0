// The command-line interface as a library call, so tests run it in-process.
// A thin door onto the application layer (blindspot/app.h): it parses
// arguments, calls a use case, prints, and maps errors to exit codes
// (app::ExitCodeFor). Subcommands are one table in src/cli/cli.cc.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "blindspot/app.h"

namespace blindspot {

// Exit codes (app.h): 0 ok, 1 findings at/above --fail-on, 2 bad input or
// usage, 3 internal error, 4 a file could not be read or written, 5 input
// that was not read (validate, import).
using app::kExitBadInput;
using app::kExitFindings;
using app::kExitInternal;
using app::kExitIo;
using app::kExitNotRead;
using app::kExitOk;

// `env` defaults to the real file system; tests pass a MemEnv.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err, Env* env = nullptr);

}  // namespace blindspot
