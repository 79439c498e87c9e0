// Errors are values. Every fallible library call returns Result<T> (a
// std::expected<T, Error>) or Status; nothing in the library throws across its
// public API and nothing prints. The CLI maps an Error to a message and exit
// code in one place (src/cli/cli.cc).
#pragma once
#include <cstdint>
#include <expected>
#include <string>
#include <vector>

namespace blindspot {

// Where in an input something went wrong. line/column are 1-based and 0 when
// unknown; offset is a 0-based byte offset and is meaningful only when
// has_offset is set (HAR errors carry offsets, YAML errors carry line:col).
struct SourceLocation {
  std::string file;  // path as given by the user; may be empty
  uint32_t line = 0;
  uint32_t column = 0;
  uint64_t offset = 0;
  bool has_offset = false;
  // A JSON pointer (RFC 6901) into `file` when the input is a JSON document
  // and the place is a value rather than a line ("/answers/in_use").
  std::string pointer;
};

enum class ErrorKind {
  kIo,         // file missing/unreadable/unwritable (exit code 4)
  kParse,      // syntax: not JSON/YAML, truncated, invalid UTF-8
  kSchema,     // well-formed but wrong shape: unknown key, wrong type, bad enum
  kReference,  // dangling or duplicate id
  kUsage,      // bad command-line use
  kInternal,
  // The privacy administration (store, server; HTTP 409/404/401/403):
  kConflict,  // a stale version or a duplicate key: reload and try again
  kNotFound,  // no such organisation, user, record, token
  kAuth,      // not authenticated (no or a bad session, token, password or second factor)
  kDenied,    // authenticated, but the role does not allow it
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message;  // what is wrong, one sentence, no trailing period needed
  SourceLocation where;
  std::string expected;     // what was expected there (may be empty)
  std::string hint;         // how to fix it (may be empty)
  std::string source_line;  // the offending input line, for a caret (may be empty)
  // The field path of the offending value in a register
  // ("activities[crm].purposes[purpose-1].lawful_basis"), when known.
  std::string path;
  bool warning = false;  // a warning (the input is usable) rather than an error
  // With `warning`: information, not a problem (which template a spreadsheet
  // was read as): shown as "note:" and not counted among the warnings.
  bool note = false;
  // With `warning`: part of the input was not read into the register (a row
  // or sheet skipped, a filled column no field takes, a cell cut or read as
  // empty), as opposed to a value kept as a note. `validate` and `import`
  // then exit app::kExitNotRead (app::ExitCodeForWarnings).
  bool not_read = false;

  // "file:line:col: error: message\n  source line\n  ^\n  expected: ...\n  hint: ..."
  // (or "file: byte N: ..." for offset-only locations; "warning:" for warnings,
  // "note:" for notes).
  // Control characters and bytes that are not UTF-8 are shown escaped ("\x1b"),
  // so input cannot drive the terminal.
  std::string Format() const;
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

// Validation reports all problems at once.
using Diagnostics = std::vector<Error>;

inline std::unexpected<Error> MakeError(ErrorKind kind, std::string message, SourceLocation where = {},
                                        std::string expected = {}, std::string hint = {}) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  e.where = std::move(where);
  e.expected = std::move(expected);
  e.hint = std::move(hint);
  return std::unexpected(std::move(e));
}

}  // namespace blindspot
