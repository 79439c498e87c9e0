// UnimportableFile: what a file given to `import` is when no importer reads it.
#include "io/unimportable.h"

#include <gtest/gtest.h>

#include <string>

#include "blindspot/env.h"
#include "blindspot/io.h"

namespace blindspot {
namespace {

// The first 512-byte sector of an OLE2 compound file ([MS-CFB] 2.2) followed
// by a directory naming `stream` in UTF-16LE, as an .xls names "Workbook".
std::string Ole2With(std::string_view stream) {
  std::string bytes("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  bytes.resize(512, '\0');
  for (char c : stream) {
    bytes += c;
    bytes += '\0';
  }
  bytes.resize(1024, '\0');
  return bytes;
}

// The start of an OpenDocument package: its first zip entry `mimetype`,
// stored, holding the media type (OpenDocument 1.2 part 3).
std::string OdfStart(std::string_view type) {
  std::string bytes("PK\x03\x04", 4);
  bytes += std::string(22, '\0');               // version, flags, method 0 (stored), time, crc, sizes
  bytes += std::string("\x08\x00\x00\x00", 4);  // name length 8, no extra field
  bytes += "mimetype";
  bytes += type;
  bytes += std::string("PK\x03\x04", 4);
  return bytes;
}

Register Webshop() {
  auto text =
      Env::Default().ReadFile(std::string(BLINDSPOT_SOURCE_DIR) + "/examples/webshop/register.yaml", 1 << 24);
  EXPECT_TRUE(text.has_value());
  auto l = ParseRegisterText(text ? *text : "", "register.yaml");
  EXPECT_TRUE(l.has_value());
  return l ? l->reg : Register{};
}

std::string Message(std::string_view text, const std::string& file, bool chosen = false) {
  auto e = UnimportableFile(text, file, chosen);
  if (!e) return "(importable)";
  EXPECT_EQ(e->kind, ErrorKind::kParse);
  return e->message;
}

TEST(UnimportableFile, SaysWhatTheFileIs) {
  EXPECT_EQ(Message("", "empty.xlsx"), "empty.xlsx is empty (0 bytes)");
  EXPECT_EQ(Message("", "empty", true), "empty is empty (0 bytes)");
  const std::string xls =
      " is an Excel 97-2003 workbook (.xls); blindspot reads .xlsx and CSV: open it in a spreadsheet program "
      "and save it as .xlsx";
  EXPECT_EQ(Message(Ole2With("Workbook"), "legacy.xls"), "legacy.xls" + xls);
  EXPECT_EQ(Message(Ole2With("Workbook"), "renamed.xlsx", true), "renamed.xlsx" + xls);
  EXPECT_EQ(Message(Ole2With("Book"), "biff5.xls"), "biff5.xls" + xls);
  EXPECT_EQ(
      Message(Ole2With("EncryptedPackage"), "secret.xlsx"),
      "secret.xlsx is a password-protected (encrypted) Office file; blindspot cannot read it: open it in "
      "a spreadsheet program, remove the password and save it as .xlsx");
  EXPECT_EQ(
      Message(Ole2With("WordDocument"), "letter.doc"),
      "letter.doc is a Microsoft Office 97-2003 file, not a spreadsheet register; blindspot reads .xlsx "
      "and CSV: open it in a spreadsheet program and save it as .xlsx");
  EXPECT_EQ(Message(OdfStart("application/vnd.oasis.opendocument.spreadsheet"), "cnil.ods"),
            "cnil.ods is an OpenDocument spreadsheet (.ods); blindspot reads .xlsx and CSV: open it in a "
            "spreadsheet program and save it as .xlsx");
  EXPECT_EQ(
      Message(OdfStart("application/vnd.oasis.opendocument.text"), "letter.xlsx"),
      "letter.xlsx is an OpenDocument file (application/vnd.oasis.opendocument.text), not a spreadsheet "
      "register");
}

TEST(UnimportableFile, NativeRegistersAndTheDpvExport) {
  const std::string native =
      " is already a blindspot register: use it with --register (or `blindspot export` to convert it)";
  Register r = Webshop();
  EXPECT_EQ(Message(WriteRegisterYaml(r), "out.yaml"), "out.yaml" + native);
  EXPECT_EQ(Message(WriteRegisterJson(r), "out.json"), "out.json" + native);
  EXPECT_EQ(Message("# a comment\nblindspot_register: 1\nactivities: []\n", "r.yaml"), "r.yaml" + native);
  auto dpv = FindExporter("dpv")->write(r, {});
  ASSERT_TRUE(dpv.has_value());
  EXPECT_EQ(Message(*dpv, "out.jsonld"), "(importable)");  // the dpv importer reads it
  // A named importer (--format) gives its own message; an empty file, an
  // .xls or .ods is never a register, named or not.
  EXPECT_EQ(Message(WriteRegisterYaml(r), "out.yaml", true), "(importable)");
  EXPECT_EQ(Message(*dpv, "out.jsonld", true), "(importable)");
  // What the importers read is left to them.
  EXPECT_EQ(Message("Nummer;Naam\n1;x\n", "r.csv"), "(importable)");
  EXPECT_EQ(Message("[{\"Nummer\": \"M1\"}]", "vws.json"), "(importable)");
  EXPECT_EQ(Message("  nested:\n    blindspot_register: 1\n", "x.yaml"), "(importable)");
  EXPECT_EQ(Message("PK\x03\x04", "short.xlsx"), "(importable)");
}

}  // namespace
}  // namespace blindspot
