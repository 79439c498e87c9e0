// Runs the golden cases of tests/cases/register/ against the library the way
// `blindspot validate FILE` and `blindspot import fides FILE --out F` use it, so
// the cases are verified before (and independently of) the CLI: the exit code
// (0 valid / 2 bad input), every expected.stderr line among the formatted
// errors, expected.contains against the summary line, expected.files.
#include <gtest/gtest.h>

#include "blindspot_testing/realdata.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "blindspot/io.h"

namespace fs = std::filesystem;

namespace blindspot {
namespace {

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(line);
  return out;
}

std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

TEST(RegisterGoldenCases, LibraryBehaviourMatchesExpectations) {
  BLINDSPOT_REQUIRE_REALDATA();
  fs::path root = fs::path(BLINDSPOT_SOURCE_DIR) / "tests/cases/register";
  int cases = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!fs::exists(dir.path() / "cmd")) continue;
    SCOPED_TRACE(dir.path().filename().string());
    fs::path out = fs::temp_directory_path() / ("bs-register-golden-" + dir.path().filename().string());
    fs::remove_all(out);
    fs::create_directories(out);
    std::string cmd = Slurp(dir.path() / "cmd");
    cmd = Replace(cmd, "{case}", dir.path().string());
    cmd = Replace(cmd, "{realdata}", BLINDSPOT_REALDATA_DIR);
    cmd = Replace(cmd, "{out}", out.string());
    auto args = Words(cmd);
    ASSERT_GE(args.size(), 2u);
    std::string stdout_text, stderr_text;
    int rc = 0;
    if (args[0] == "validate") {
      auto r = LoadAnyRegister(args[1]);
      if (r) {
        stdout_text = args[1] + ": valid register: " + std::to_string(r->activities.size()) +
                      " activities, " + std::to_string(r->processors.size()) + " processors, " +
                      std::to_string(r->systems.size()) + " systems, " +
                      std::to_string(r->touchpoints.size()) + " touchpoints\n";
      } else {
        rc = 2;
        for (const auto& e : r.error()) stderr_text += e.Format();
      }
    } else if (args[0] == "import") {
      ASSERT_EQ(args.size(), 5u);
      ASSERT_EQ(args[3], "--out");
      const Importer* imp = FindImporter(args[1]);
      ASSERT_NE(imp, nullptr);
      auto text = ReadFileToString(args[2]);
      ASSERT_TRUE(text.has_value());
      auto r = imp->import(*text, args[2]);
      if (r) {
        auto st = WriteFileAtomic(args[4], WriteRegisterYaml(*r));
        ASSERT_TRUE(st.has_value());
        // What was written is a valid native register with the same content.
        auto back = ReadRegisterFile(args[4]);
        ASSERT_TRUE(back.has_value());
        EXPECT_EQ(back->activities.size(), r->activities.size());
        EXPECT_EQ(back->systems.size(), r->systems.size());
      } else {
        rc = 2;
        for (const auto& e : r.error()) stderr_text += e.Format();
      }
    } else {
      FAIL() << "unknown command " << args[0];
    }
    int want = fs::exists(dir.path() / "expected.exit") ? std::stoi(Slurp(dir.path() / "expected.exit")) : 0;
    EXPECT_EQ(rc, want) << stderr_text;
    if (fs::exists(dir.path() / "expected.stderr"))
      for (const auto& line : Lines(Slurp(dir.path() / "expected.stderr")))
        EXPECT_NE(stderr_text.find(line), std::string::npos) << "stderr lacks: " << line << "\n"
                                                             << stderr_text;
    if (fs::exists(dir.path() / "expected.contains"))
      for (const auto& line : Lines(Slurp(dir.path() / "expected.contains")))
        EXPECT_NE(stdout_text.find(line), std::string::npos) << "stdout lacks: " << line << "\n"
                                                             << stdout_text;
    if (fs::exists(dir.path() / "expected.files"))
      for (const auto& line : Lines(Slurp(dir.path() / "expected.files"))) {
        if (line[0] == '!')
          EXPECT_FALSE(fs::exists(out / line.substr(1))) << line;
        else
          EXPECT_TRUE(fs::exists(out / line)) << line;
      }
    fs::remove_all(out);
    ++cases;
  }
  EXPECT_GE(cases, 14);
}

}  // namespace
}  // namespace blindspot
