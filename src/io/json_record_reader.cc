// See json_record_reader.h.
#include "io/json_record_reader.h"

namespace blindspot {

JsonRecordReader::JsonRecordReader(std::string_view text, const std::string& file)
    : w_(input::StripBom(text), file) {}

std::expected<LoadedRegister, Diagnostics> JsonRecordReader::Run(std::string_view what) {
  LoadedRegister out;
  out.reg.source = w_.file();
  out.reg.version = "1";
  out.map.file = w_.file();
  map_ = &out.map;
  auto root = w_.Load(what);
  if (root) Top(*root, out.reg);
  out.map.Finish();
  if (root && w_.ok()) {
    AssignDerivedIds(out.reg);
    for (Error& e : ValidateRegister(out.reg)) {
      Loc l = out.map.Find(e.path);
      e.where.line = l.line;
      e.where.column = l.column;
      w_.Add(std::move(e));
    }
  }
  Diagnostics errors = w_.TakeErrors();
  if (!errors.empty()) return std::unexpected(std::move(errors));
  out.warnings = w_.TakeWarnings();
  for (Error& e : warnings_) out.warnings.push_back(std::move(e));
  return out;
}

}  // namespace blindspot
