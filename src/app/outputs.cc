// Writing outputs through the Env, and the one mapping from errors to exit codes.
#include <algorithm>

#include "blindspot/app.h"
#include "blindspot/catalog.h"
#include "blindspot/text_ids.h"

namespace blindspot::app {

namespace {

// The extension of the last path component, lower case with its dot (".html"), or "".
std::string Extension(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  size_t dot = base.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  std::string ext(base.substr(dot));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace

int ExitCodeFor(const Diagnostics& errors) {
  int code = kExitBadInput;
  for (const Error& e : errors) {
    if (e.warning) continue;
    if (e.kind == ErrorKind::kInternal) return kExitInternal;
    if (e.kind == ErrorKind::kIo) code = kExitIo;
  }
  return code;
}

int ExitCodeForWarnings(const Diagnostics& warnings, bool strict) {
  for (const Error& w : warnings)
    if (w.warning && !w.note && (w.not_read || strict)) return kExitNotRead;
  return kExitOk;
}

std::string ExampleOutputName(std::string_view stem, const OutputFormat& format) {
  return std::string(stem) + (format.extensions.empty() ? std::string() : format.extensions.front());
}

Status CheckOutput(const Options& o, const std::string& out_path, const OutputFormat& format,
                   bool explicit_format, std::string_view example, std::vector<std::string>* notes) {
  if (format.binary && (out_path.empty() || out_path == "-"))
    return MakeError(
        ErrorKind::kUsage,
        "the " + format.name + " format is binary: it is written to a file, not to standard output", {},
        "--out with a file name", "e.g. --out " + std::string(example));
  if (out_path.empty() || out_path == "-") return {};
  auto info = o.env->Stat(out_path);
  if (out_path.ends_with('/') || (info && info->is_directory)) {
    SourceLocation where;
    where.file = out_path;
    return MakeError(
        ErrorKind::kUsage, "--out names a directory, not a file", where, "a file name",
        "add a file name, e.g. " + out_path + (out_path.ends_with('/') ? "" : "/") + std::string(example));
  }
  // An explicit format wins over the extension; say so when the extension
  // names another format (JSON in report.html is surprising).
  std::string ext = Extension(out_path);
  if (!explicit_format || ext.empty() || !notes) return {};
  if (std::find(format.extensions.begin(), format.extensions.end(), ext) != format.extensions.end())
    return {};
  for (const OutputFormat& f : AllOutputFormats()) {
    if (f.name == format.name) continue;
    if (std::find(f.extensions.begin(), f.extensions.end(), ext) == f.extensions.end()) continue;
    notes->push_back(TextCatalog::Builtin().Render(Message(ui::note_format_extension)
                                                       .Text("path", out_path)
                                                       .Text("format", format.name)
                                                       .Text("ext", ext)
                                                       .Text("other", f.name),
                                                   o.lang));
    break;
  }
  return {};
}

Status WriteOutput(const Options& o, const std::string& out_path, std::string_view data,
                   const std::vector<std::string>& inputs, std::string_view example) {
  if (out_path.empty() || out_path == "-") return {};
  for (const std::string& in : inputs) {
    if (in == out_path || o.env->SameFile(in, out_path)) {
      SourceLocation where;
      where.file = out_path;
      return MakeError(ErrorKind::kUsage, "the output file is one of the inputs; it would be overwritten",
                       where,
                       "an output path that is not the register, a knowledge-base file or evidence file",
                       "choose another file name for --out, e.g. " + std::string(example));
    }
  }
  return o.env->WriteFileAtomic(out_path, data);
}

}  // namespace blindspot::app
