// UnimportableFile: files `import` cannot read, each named for what it is.
#include "io/unimportable.h"

#include <cctype>
#include <cstdint>
#include <string>
#include <utility>

namespace blindspot {

namespace {

// Whether `text` holds `needle` as UTF-16LE (the names in an OLE2 directory).
bool HasUtf16Name(std::string_view text, std::string_view needle) {
  std::string wide;
  for (char c : needle) {
    wide += c;
    wide += '\0';
  }
  return text.find(wide) != std::string_view::npos;
}

uint16_t Le16(std::string_view s, size_t at) {
  return static_cast<uint16_t>(static_cast<unsigned char>(s[at]) |
                               (static_cast<unsigned char>(s[at + 1]) << 8));
}

// An OpenDocument package (OASIS OpenDocument 1.2 part 3, Packages, "MIME
// Media Type"): its first zip entry is `mimetype`, stored, holding the media
// type. Returns that type, or "".
std::string_view OdfMediaType(std::string_view text) {
  if (text.size() < 30 || !text.starts_with(std::string_view("PK\x03\x04", 4))) return {};
  size_t name_len = Le16(text, 26), extra_len = Le16(text, 28);
  if (text.substr(30, name_len) != "mimetype") return {};
  size_t data = 30 + name_len + extra_len;
  if (data >= text.size()) return {};
  std::string_view rest = text.substr(data, 100);
  constexpr std::string_view kPrefix = "application/vnd.oasis.opendocument.";
  if (!rest.starts_with(kPrefix)) return {};
  // Its length is the entry's size; where that is not filled in, the type
  // ends at the first character a media type here does not have.
  size_t size = Le16(text, 22) | (static_cast<size_t>(Le16(text, 24)) << 16);
  if (size >= kPrefix.size() && size <= rest.size()) return rest.substr(0, size);
  size_t end = kPrefix.size();
  while (end < rest.size() &&
         (std::islower(static_cast<unsigned char>(rest[end])) ||
          std::isdigit(static_cast<unsigned char>(rest[end])) || rest[end] == '-' || rest[end] == '.'))
    ++end;
  return rest.substr(0, end);
}

// The text of a JSON object: after an optional BOM and white space, '{'.
bool LooksLikeJsonObject(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  size_t i = text.find_first_not_of(" \t\r\n");
  return i != std::string_view::npos && text[i] == '{';
}

// The native format's marker key (docs/formats/register.md): a YAML line
// `blindspot_register:` at the top level, or the JSON key.
bool LooksNative(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (LooksLikeJsonObject(text)) return text.find("\"blindspot_register\"") != std::string_view::npos;
  return text.starts_with("blindspot_register:") ||
         text.find("\nblindspot_register:") != std::string_view::npos;
}

Error Unimportable(std::string message) {
  Error e;
  e.kind = ErrorKind::kParse;
  e.message = std::move(message);
  return e;
}

}  // namespace

std::optional<Error> UnimportableFile(std::string_view text, const std::string& file, bool importer_chosen) {
  constexpr std::string_view kSaveAs =
      "; blindspot reads .xlsx and CSV: open it in a spreadsheet program and save it as .xlsx";
  if (text.empty()) return Unimportable(file + " is empty (0 bytes)");
  // The OLE2 compound file signature ([MS-CFB] 2.2): Office 97-2003 files,
  // and also an Office 2007+ file encrypted with a password ([MS-OFFCRYPTO]:
  // its "EncryptedPackage" stream). An .xls names its workbook stream
  // "Workbook" ([MS-XLS], BIFF8) or, before Excel 97, "Book" (BIFF5).
  if (text.starts_with(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) {
    if (HasUtf16Name(text, "EncryptedPackage"))
      return Unimportable(
          file +
          " is a password-protected (encrypted) Office file; blindspot cannot read it: open it "
          "in a spreadsheet program, remove the password and save it as .xlsx");
    if (HasUtf16Name(text, "Workbook") || HasUtf16Name(text, "Book"))
      return Unimportable(file + " is an Excel 97-2003 workbook (.xls)" + std::string(kSaveAs));
    return Unimportable(file + " is a Microsoft Office 97-2003 file, not a spreadsheet register" +
                        std::string(kSaveAs));
  }
  std::string_view odf = OdfMediaType(text);
  if (odf.starts_with("application/vnd.oasis.opendocument.spreadsheet"))
    return Unimportable(file + " is an OpenDocument spreadsheet (.ods)" + std::string(kSaveAs));
  if (!odf.empty())
    return Unimportable(file + " is an OpenDocument file (" + std::string(odf) +
                        "), not a spreadsheet register");
  if (importer_chosen) return std::nullopt;
  if (LooksNative(text))
    return Unimportable(file +
                        " is already a blindspot register: use it with --register (or `blindspot export` to "
                        "convert it)");
  return std::nullopt;
}

}  // namespace blindspot
