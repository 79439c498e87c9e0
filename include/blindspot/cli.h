// The command-line interface as a library call, so tests run it in-process.
// Subcommands are one table in src/cli/commands.cc: {name, help, handler}.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace blindspot {

// Exit codes: 0 ok, 1 findings at/above --fail-on, 2 bad input or usage, 3 internal.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace blindspot
