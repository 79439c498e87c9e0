// Data-driven golden tests (DuckDB style). Each folder tests/cases/<area>/<name>/
// holding a `cmd` file is one test:
//   cmd              blindspot arguments on one line, split on blanks ('…' or "…"
//                    quote); {case} = the case folder, {realdata} = ../shared/realdata,
//                    {out} = a fresh empty temp folder for outputs, {root} = the source tree.
//   expected.exit    exit code (default 0)
//   expected.stdout  stdout must equal this file exactly (UPDATE_GOLDEN=1 rewrites it)
//   expected.contains  every non-empty line must occur in stdout
//   expected.absent  no non-empty line may occur in stdout
//   expected.stderr  every non-empty line must occur in stderr
//   expected.files   one name per line that must exist in {out}; "!name" must not
//   expected.out.NAME  the file NAME written to {out} must equal this file exactly
//                    (UPDATE_GOLDEN=1 rewrites it), e.g. a --write-baseline file
// The CLI runs in-process through blindspot::RunCli.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "blindspot/cli.h"
#include "blindspot_testing/cli_args.h"
#include "blindspot_testing/realdata.h"

namespace fs = std::filesystem;

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
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

using blindspot_testing::ReplaceAll;
using blindspot_testing::SplitArgs;

struct Case {
  fs::path dir;
  std::string name;
};

std::vector<Case> FindCases() {
  std::vector<Case> cases;
  fs::path root = fs::path(BLINDSPOT_SOURCE_DIR) / "tests" / "cases";
  if (!fs::exists(root)) return cases;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file() && e.path().filename() == "cmd") {
      Case c;
      c.dir = e.path().parent_path();
      std::string rel = fs::relative(c.dir, root).string();
      for (char& ch : rel)
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      c.name = rel;
      cases.push_back(c);
    }
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return cases;
}

// Shown by gtest/ctest instead of the struct's bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class Golden : public testing::TestWithParam<Case> {};

TEST_P(Golden, Run) {
  const Case& c = GetParam();
  fs::path out =
      fs::temp_directory_path() / ("blindspot-golden-" + c.name + "-" + std::to_string(::getpid()));
  fs::remove_all(out);
  fs::create_directories(out);
  std::string cmd = Slurp(c.dir / "cmd");
  if (cmd.find("{realdata}") != std::string::npos) BLINDSPOT_REQUIRE_REALDATA();
  cmd = ReplaceAll(cmd, "{case}", c.dir.string());
  cmd = ReplaceAll(cmd, "{realdata}", BLINDSPOT_REALDATA_DIR);
  cmd = ReplaceAll(cmd, "{out}", out.string());
  cmd = ReplaceAll(cmd, "{root}", BLINDSPOT_SOURCE_DIR);
  std::ostringstream so, se;
  int rc = blindspot::RunCli(SplitArgs(cmd), so, se);
  std::string stdout_text = ReplaceAll(so.str(), out.string(), "{out}");
  stdout_text = ReplaceAll(stdout_text, c.dir.string(), "{case}");
  stdout_text = ReplaceAll(stdout_text, BLINDSPOT_REALDATA_DIR, "{realdata}");
  stdout_text = ReplaceAll(stdout_text, BLINDSPOT_SOURCE_DIR, "{root}");
  std::string stderr_text = se.str();

  int want_rc = 0;
  if (fs::exists(c.dir / "expected.exit")) want_rc = std::stoi(Slurp(c.dir / "expected.exit"));
  EXPECT_EQ(rc, want_rc) << "stderr:\n" << stderr_text << "\nstdout:\n" << stdout_text.substr(0, 4000);

  if (fs::exists(c.dir / "expected.stdout")) {
    if (std::getenv("UPDATE_GOLDEN")) {
      std::ofstream(c.dir / "expected.stdout", std::ios::binary) << stdout_text;
    } else {
      EXPECT_EQ(stdout_text, Slurp(c.dir / "expected.stdout"));
    }
  }
  if (fs::exists(c.dir / "expected.contains")) {
    for (const auto& line : Lines(Slurp(c.dir / "expected.contains"))) {
      EXPECT_NE(stdout_text.find(line), std::string::npos) << "stdout lacks: " << line << "\nstdout:\n"
                                                           << stdout_text.substr(0, 4000);
    }
  }
  if (fs::exists(c.dir / "expected.absent")) {
    for (const auto& line : Lines(Slurp(c.dir / "expected.absent"))) {
      EXPECT_EQ(stdout_text.find(line), std::string::npos) << "stdout has: " << line << "\nstdout:\n"
                                                           << stdout_text.substr(0, 4000);
    }
  }
  if (fs::exists(c.dir / "expected.stderr")) {
    for (const auto& line : Lines(Slurp(c.dir / "expected.stderr"))) {
      EXPECT_NE(stderr_text.find(line), std::string::npos) << "stderr lacks: " << line << "\nstderr:\n"
                                                           << stderr_text;
    }
  }
  if (fs::exists(c.dir / "expected.files")) {
    for (const auto& line : Lines(Slurp(c.dir / "expected.files"))) {
      if (line[0] == '!')
        EXPECT_FALSE(fs::exists(out / line.substr(1))) << line.substr(1) << " must not be written";
      else
        EXPECT_TRUE(fs::exists(out / line)) << line << " must be written";
    }
  }
  for (const auto& e : fs::directory_iterator(c.dir)) {
    std::string name = e.path().filename().string();
    if (!name.starts_with("expected.out.")) continue;
    fs::path written = out / name.substr(13);
    if (!fs::exists(written)) {
      ADD_FAILURE() << written.filename() << " was not written";
      continue;
    }
    if (std::getenv("UPDATE_GOLDEN"))
      std::ofstream(e.path(), std::ios::binary) << Slurp(written);
    else
      EXPECT_EQ(Slurp(written), Slurp(e.path())) << written.filename();
  }
  fs::remove_all(out);
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, testing::ValuesIn(FindCases()),
                         [](const testing::TestParamInfo<Case>& i) { return i.param.name; });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
