#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "blindspot/io.h"

namespace fs = std::filesystem;
using namespace blindspot;

namespace {

fs::path TempDir() {
  fs::path d = fs::temp_directory_path() / ("bs-fileutil-" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

TEST(WriteFileAtomic, WritesNewFileAndReplacesKeepingMode) {
  fs::path d = TempDir();
  std::string p = (d / "r.html").string();
  ASSERT_TRUE(WriteFileAtomic(p, "one").has_value());
  EXPECT_EQ(*ReadFileToString(p), "one");
  ::chmod(p.c_str(), 0600);
  ASSERT_TRUE(WriteFileAtomic(p, "two").has_value());
  EXPECT_EQ(*ReadFileToString(p), "two");
  struct stat st;
  ASSERT_EQ(::stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  fs::remove_all(d);
}

TEST(WriteFileAtomic, FollowsSymlinkInsteadOfReplacingIt) {
  fs::path d = TempDir();
  fs::path target = d / "target.txt";
  std::ofstream(target) << "old";
  fs::create_symlink(target, d / "link.txt");
  ASSERT_TRUE(WriteFileAtomic((d / "link.txt").string(), "new").has_value());
  EXPECT_TRUE(fs::is_symlink(d / "link.txt"));
  EXPECT_EQ(*ReadFileToString(target.string()), "new");
  fs::remove_all(d);
}

TEST(WriteFileAtomic, FollowsDanglingSymlinkAndCreatesItsTarget) {
  fs::path d = TempDir();
  fs::create_symlink("new-target.html", d / "link.html");
  ASSERT_TRUE(WriteFileAtomic((d / "link.html").string(), "report").has_value());
  EXPECT_TRUE(fs::is_symlink(d / "link.html"));
  EXPECT_EQ(*ReadFileToString((d / "new-target.html").string()), "report");
  fs::remove_all(d);
}

TEST(WriteFileAtomic, WritesThroughDeviceWithoutReplacingIt) {
  ASSERT_TRUE(WriteFileAtomic("/dev/null", "discarded").has_value());
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST(WriteFileAtomic, ErrorsLeaveNothingBehind) {
  fs::path d = TempDir();
  auto st = WriteFileAtomic((d / "missing-dir" / "r.html").string(), "x");
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().kind, ErrorKind::kIo);
  EXPECT_NE(st.error().Format().find("missing-dir/r.html"), std::string::npos);
  auto dir = WriteFileAtomic(d.string(), "x");
  ASSERT_FALSE(dir.has_value());
  EXPECT_NE(dir.error().message.find("directory"), std::string::npos);
  EXPECT_EQ(std::distance(fs::directory_iterator(d), fs::directory_iterator()), 0);
  fs::remove_all(d);
}

TEST(ReadFileToString, DirectoryIsAClearError) {
  auto r = ReadFileToString(fs::temp_directory_path().string());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "is a directory, not a file");
}

}  // namespace
