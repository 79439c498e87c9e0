// Writing outputs through the Env, and the one mapping from errors to exit codes.
#include "blindspot/app.h"

namespace blindspot::app {

int ExitCodeFor(const Diagnostics& errors) {
  int code = kExitBadInput;
  for (const Error& e : errors) {
    if (e.warning) continue;
    if (e.kind == ErrorKind::kInternal) return kExitInternal;
    if (e.kind == ErrorKind::kIo) code = kExitIo;
  }
  return code;
}

Status WriteOutput(const Options& o, const std::string& out_path, std::string_view data,
                   const std::vector<std::string>& inputs) {
  if (out_path.empty() || out_path == "-") return {};
  for (const std::string& in : inputs) {
    if (in == out_path || o.env->SameFile(in, out_path)) {
      SourceLocation where;
      where.file = out_path;
      return MakeError(ErrorKind::kUsage, "the output file is one of the inputs; it would be overwritten",
                       where,
                       "an output path that is not the register, a knowledge-base file or evidence file",
                       "choose another file name for --out, e.g. report.html");
    }
  }
  return o.env->WriteFileAtomic(out_path, data);
}

}  // namespace blindspot::app
