// What a file given to `blindspot import` (or to --register) is when no
// importer reads it (src/io/unimportable.cc); used by app::Import before it
// picks an importer, and by app::LoadRegister.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "blindspot/error.h"

namespace blindspot {

// An empty file, an Excel 97-2003 workbook (OLE2; also a password-protected
// Office file or another OLE2 document), an OpenDocument file (an .ods
// spreadsheet or another), a native blindspot register or blindspot's DPV
// JSON-LD export: a kParse error whose message starts with `file` and says
// what to do; nothing when `text` is none of these. `importer_chosen`
// (--format, --columns) skips the native and DPV checks: the named importer
// gives its own message then (app::LoadRegister passes true: there a native
// register is what is wanted).
std::optional<Error> UnimportableFile(std::string_view text, const std::string& file, bool importer_chosen);

}  // namespace blindspot
