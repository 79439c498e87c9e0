// Shared by the CLI's command files (cli.cc, admin_commands.cc). Not public.
#pragma once
#include <CLI/CLI.hpp>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "blindspot/env.h"
#include "blindspot/error.h"

namespace blindspot::cli {

struct Io {
  std::ostream& out;
  std::ostream& err;
  Env* env;
};

// Prints every problem and returns the exit code for their kinds (app::ExitCodeFor).
int Fail(const Diagnostics& diags, std::ostream& err, bool writes, const CLI::App& app);
// Parses `args` with a CLI11 app; an exit code when the caller should stop (help or a usage error).
std::optional<int> Parse(CLI::App& app, const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err);
// An option that was given must not be empty.
std::optional<int> NoEmptyValues(CLI::App& app, std::initializer_list<const char*> opts, std::ostream& err);

// The privacy administration's commands (admin_commands.cc).
int CmdServe(const std::vector<std::string>& args, Io io);
int CmdOrg(const std::vector<std::string>& args, Io io);
int CmdUser(const std::vector<std::string>& args, Io io);
int CmdToken(const std::vector<std::string>& args, Io io);
int CmdDb(const std::vector<std::string>& args, Io io);
int CmdHistory(const std::vector<std::string>& args, Io io);
int CmdPublish(const std::vector<std::string>& args, Io io);

}  // namespace blindspot::cli
