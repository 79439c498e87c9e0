// What the CLI tests share: one in-process run of `blindspot` over an
// in-memory file system, with its exit code and what it printed.
#pragma once
#include <sstream>
#include <string>
#include <vector>

#include "blindspot/cli.h"
#include "blindspot/env.h"

namespace blindspot::testing {

struct CliRun {
  int rc = -1;
  std::string out, err;
};

// Runs the CLI with `args` on `env` (the caller's MemEnv keeps what it wrote).
inline CliRun RunCliIn(MemEnv& env, const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CliRun r;
  r.rc = RunCli(args, out, err, &env);
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace blindspot::testing
