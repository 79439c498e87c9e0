// The Env seam: MemEnv (files in memory, injected faults) and the POSIX Env
// (atomic writes that keep modes and follow links, size limits, SameFile).
#include "blindspot/env.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "blindspot/input.h"

namespace fs = std::filesystem;

namespace blindspot {
namespace {

// ---- MemEnv -------------------------------------------------------------------

TEST(MemEnv, ReadsWhatWasAddedAndWritten) {
  MemEnv env;
  env.AddFile("reg.yaml", "blindspot_register: 1\n");
  auto r = env.ReadFile("reg.yaml", 1 << 20);
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(*r, "blindspot_register: 1\n");
  auto padded = env.ReadFile("reg.yaml", 1 << 20, 64);
  ASSERT_TRUE(padded.has_value());
  EXPECT_GE(padded->capacity(), padded->size() + 64);

  EXPECT_EQ(env.writes(), 0u);
  ASSERT_TRUE(env.WriteFileAtomic("out/report.html", "<html>").has_value());
  ASSERT_TRUE(env.WriteFileAtomic("out/report.html", "<html>2").has_value());
  EXPECT_EQ(env.writes(), 2u);
  ASSERT_NE(env.Contents("out/report.html"), nullptr);
  EXPECT_EQ(*env.Contents("out/report.html"), "<html>2");
  EXPECT_EQ(env.Contents("nothing"), nullptr);
  EXPECT_EQ(*env.ReadFile("out/report.html", 100), "<html>2");

  auto st = env.Stat("reg.yaml");
  ASSERT_TRUE(st.has_value());
  EXPECT_TRUE(st->exists);
  EXPECT_TRUE(st->is_regular);
  EXPECT_FALSE(st->is_directory);
  EXPECT_EQ(st->size, 22u);
  auto missing = env.Stat("missing.yaml");
  ASSERT_TRUE(missing.has_value());  // a missing file is not an error
  EXPECT_FALSE(missing->exists);
}

// ReadFileInChunks hands out the file in order, in pieces of at most the
// chunk size; a consumer's error stops it; the limits are ReadFile's.
void ExpectChunks(Env& env, const std::string& path, const std::string& want) {
  std::string got;
  size_t pieces = 0;
  auto st = env.ReadFileInChunks(path, 1 << 20, 7, [&](std::string_view p) -> Status {
    EXPECT_FALSE(p.empty());
    EXPECT_LE(p.size(), 7u);
    got.append(p);
    ++pieces;
    return {};
  });
  ASSERT_TRUE(st.has_value()) << st.error().Format();
  EXPECT_EQ(got, want);
  EXPECT_GE(pieces, want.size() / 7);
  size_t calls = 0;
  auto stop = env.ReadFileInChunks(path, 1 << 20, 7, [&](std::string_view) -> Status {
    ++calls;
    return MakeError(ErrorKind::kParse, "stop here");
  });
  ASSERT_FALSE(stop.has_value());
  EXPECT_EQ(stop.error().message, "stop here");
  EXPECT_EQ(calls, 1u);
  auto big = env.ReadFileInChunks(path, 10, 7, [](std::string_view) -> Status { return {}; });
  ASSERT_FALSE(big.has_value());
  EXPECT_NE(big.error().message.find("input too large"), std::string::npos) << big.error().message;
  auto missing = env.ReadFileInChunks(path + ".nope", 100, 7, [](std::string_view) -> Status { return {}; });
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind, ErrorKind::kIo);
}

TEST(MemEnv, ReadsInChunks) {
  MemEnv env;
  std::string text = "line one\nline two\nand a last line without a break";
  env.AddFile("r.tsv", text);
  ExpectChunks(env, "r.tsv", text);
}

TEST(PosixEnv, ReadsInChunks) {
  fs::path p = fs::temp_directory_path() / ("blindspot-chunks-" + std::to_string(::getpid()) + ".tsv");
  std::string text;
  for (int i = 0; i < 100; ++i) text += "request " + std::to_string(i) + "\n";
  std::ofstream(p, std::ios::binary) << text;
  ExpectChunks(Env::Default(), p.string(), text);
  fs::remove(p);
}

TEST(MemEnv, MissingFileDirectoryAndTooLarge) {
  MemEnv env;
  env.AddDirectory("kb");
  env.AddFile("big.har", std::string(2048, 'x'));
  auto missing = env.ReadFile("nope.yaml", 100);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind, ErrorKind::kIo);
  EXPECT_EQ(missing.error().where.file, "nope.yaml");
  auto dir = env.ReadFile("kb", 100);
  ASSERT_FALSE(dir.has_value());
  EXPECT_EQ(dir.error().kind, ErrorKind::kIo);
  EXPECT_EQ(dir.error().message, "is a directory, not a file");
  auto st = env.Stat("kb");
  ASSERT_TRUE(st.has_value());
  EXPECT_TRUE(st->is_directory);
  EXPECT_FALSE(st->is_regular);
  auto wdir = env.WriteFileAtomic("kb", "x");
  ASSERT_FALSE(wdir.has_value());
  EXPECT_EQ(wdir.error().kind, ErrorKind::kIo);

  auto big = env.ReadFile("big.har", 1024, 0, "--max-input-size");
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().kind, ErrorKind::kParse);
  EXPECT_EQ(big.error().message, "input too large: " + HumanSize(2048) + " (2048 bytes), the limit is " +
                                     HumanSize(1024) + " (1024 bytes)");
  EXPECT_EQ(big.error().expected, "at most " + HumanSize(1024));
  EXPECT_EQ(big.error().hint, "check that this is the file you meant; raise the limit with --max-input-size");
  EXPECT_TRUE(env.ReadFile("big.har", 2048).has_value());  // the limit itself is allowed
}

TEST(MemEnv, ListDirectoryIsSortedAndFiltered) {
  MemEnv env;
  env.AddDirectory("kb");
  env.AddFile("kb/zeta.yaml", "z");
  env.AddFile("kb/alpha.yaml", "a");
  env.AddFile("kb/readme.md", "r");
  env.AddFile("kb/sub/nested.yaml", "n");  // not directly in kb
  env.AddFile("kbx/other.yaml", "o");      // a sibling with the same prefix
  auto names = env.ListDirectory("kb", ".yaml");
  ASSERT_TRUE(names.has_value()) << names.error().Format();
  EXPECT_EQ(*names, (std::vector<std::string>{"alpha.yaml", "zeta.yaml"}));
  // Paths are plain strings: a directory added with a trailing '/' is listed by that name.
  env.AddDirectory("kb/");
  auto slash = env.ListDirectory("kb/", ".yaml");
  ASSERT_TRUE(slash.has_value());
  EXPECT_EQ(*slash, *names);
  auto all = env.ListDirectory("kb", "");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->size(), 3u);
  auto nodir = env.ListDirectory("missing", ".yaml");
  ASSERT_FALSE(nodir.has_value());
  EXPECT_EQ(nodir.error().kind, ErrorKind::kIo);
}

TEST(MemEnv, CreateDirectoriesAndListRecursively) {
  MemEnv env;
  ASSERT_TRUE(env.CreateDirectories("/scan/evidence/before-consent/screenshots/").has_value());
  for (const char* d : {"/scan", "/scan/evidence", "/scan/evidence/before-consent"}) {
    auto st = env.Stat(d);
    ASSERT_TRUE(st.has_value());
    EXPECT_TRUE(st->is_directory) << d;
  }
  EXPECT_TRUE(env.CreateDirectories("/scan/evidence").has_value());  // exists: fine
  env.AddFile("/scan/evidence/manifest.json", "{}");
  env.AddFile("/scan/evidence/before-consent/capture.har", "{}");
  env.AddFile("/scan/evidence/before-consent/screenshots/001.png", "png");
  env.AddFile("/scan/evidence-2/manifest.json", "{}");  // a sibling with the same prefix
  auto all = env.ListFilesRecursive("/scan/evidence/");
  ASSERT_TRUE(all.has_value()) << all.error().Format();
  EXPECT_EQ(*all, (std::vector<std::string>{"before-consent/capture.har",
                                            "before-consent/screenshots/001.png", "manifest.json"}));
  auto few = env.ListFilesRecursive("/scan/evidence", 2);
  ASSERT_FALSE(few.has_value());
  EXPECT_EQ(few.error().kind, ErrorKind::kUsage);
  auto missing = env.ListFilesRecursive("/nowhere");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().kind, ErrorKind::kIo);
  auto in_the_way = env.CreateDirectories("/scan/evidence/manifest.json/x");
  ASSERT_FALSE(in_the_way.has_value());
  EXPECT_EQ(in_the_way.error().kind, ErrorKind::kIo);
  env.FailWrites("/locked");
  EXPECT_FALSE(env.CreateDirectories("/locked/a").has_value());
}

TEST(MemEnv, InjectedFaultsByPrefix) {
  MemEnv env;
  env.AddFile("in/reg.yaml", "x");
  env.AddFile("ok/reg.yaml", "y");
  env.FailReads("in/");
  env.FailWrites("out/");
  auto r = env.ReadFile("in/reg.yaml", 100);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kIo);
  EXPECT_EQ(r.error().where.file, "in/reg.yaml");
  EXPECT_NE(r.error().message.find("injected"), std::string::npos) << r.error().message;
  EXPECT_TRUE(env.ReadFile("ok/reg.yaml", 100).has_value());

  auto w = env.WriteFileAtomic("out/report.html", "data");
  ASSERT_FALSE(w.has_value());
  EXPECT_EQ(w.error().kind, ErrorKind::kIo);
  EXPECT_EQ(w.error().where.file, "out/report.html");
  EXPECT_EQ(env.Contents("out/report.html"), nullptr);  // nothing written
  EXPECT_EQ(env.writes(), 0u);
  EXPECT_TRUE(env.WriteFileAtomic("elsewhere/report.html", "data").has_value());
  EXPECT_EQ(env.writes(), 1u);
}

TEST(MemEnv, NowAndSameFile) {
  MemEnv env;
  EXPECT_EQ(env.NowIso(), "2026-01-01T00:00:00Z");
  env.SetNow("2025-06-30T12:34:56Z");
  EXPECT_EQ(env.NowIso(), "2025-06-30T12:34:56Z");
  EXPECT_EQ(env.Today(), "2025-06-30");
  env.AddFile("a.yaml", "1");
  env.AddFile("b.yaml", "1");
  EXPECT_TRUE(env.SameFile("a.yaml", "a.yaml"));
  EXPECT_FALSE(env.SameFile("a.yaml", "b.yaml"));
  EXPECT_FALSE(env.SameFile("a.yaml", "missing.yaml"));
  EXPECT_FALSE(env.SameFile("-", "-"));  // standard input is never "the same file"
}

TEST(TooLargeError, ExactSizeOrAtLeast) {
  Error e = TooLargeError("x.har", 3ull << 30, 1ull << 30, "--max-input-size", false);
  EXPECT_EQ(e.kind, ErrorKind::kParse);
  EXPECT_EQ(e.where.file, "x.har");
  EXPECT_EQ(e.message, "input too large: " + HumanSize(3ull << 30) + " (3221225472 bytes), the limit is " +
                           HumanSize(1ull << 30) + " (1073741824 bytes)");
  // The default evidence limit is 4095 MiB, which HumanSize rounds to "4 GiB".
  Error pipe = TooLargeError("-", 4095ull << 20, 4095ull << 20, "", true);
  EXPECT_EQ(pipe.message, "input too large: larger than the limit of 4 GiB (4293918720 bytes)");
  Error small = TooLargeError("r.yaml", 1000, 900, "", false);
  EXPECT_EQ(small.message, "input too large: 1000 bytes, the limit is 900 bytes");
  EXPECT_EQ(pipe.hint, "check that this is the file you meant");
}

// ---- the POSIX Env -----------------------------------------------------------------

class PosixEnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "bs-env-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string P(const std::string& name) const { return (dir_ / name).string(); }
  static std::string Slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static mode_t ModeOf(const std::string& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
  }
  // The process umask; reading it means setting it, so it is put back at once.
  static mode_t CurrentUmask() {
    mode_t m = ::umask(0);
    ::umask(m);
    return m;
  }
  size_t EntriesInDir() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }

  Env& env_ = Env::Default();
  fs::path dir_;
};

TEST_F(PosixEnvTest, DefaultIsOneInstance) { EXPECT_EQ(&Env::Default(), &Env::Default()); }

TEST_F(PosixEnvTest, WritesNewFileAndReplacesKeepingMode) {
  std::string p = P("r.html");
  ASSERT_TRUE(env_.WriteFileAtomic(p, "one").has_value());
  EXPECT_EQ(Slurp(p), "one");
  ASSERT_EQ(::chmod(p.c_str(), 0600), 0);
  ASSERT_TRUE(env_.WriteFileAtomic(p, "two").has_value());
  EXPECT_EQ(Slurp(p), "two");
  EXPECT_EQ(ModeOf(p), 0600u);
  ASSERT_EQ(::chmod(p.c_str(), 0754), 0);
  ASSERT_TRUE(env_.WriteFileAtomic(p, "three").has_value());
  EXPECT_EQ(ModeOf(p), 0754u);
  EXPECT_EQ(EntriesInDir(), 1u);  // no temporary file left next to it
}

TEST_F(PosixEnvTest, NewFileGetsTheUmaskAndTheUmaskIsUnchanged) {
  const mode_t original = ::umask(027);
  std::string p = P("new.json");
  auto st = env_.WriteFileAtomic(p, "{}");
  const mode_t during = CurrentUmask();
  ::umask(original);
  ASSERT_TRUE(st.has_value()) << st.error().Format();
  EXPECT_EQ(during, 027u) << "WriteFileAtomic changed the process umask";
  EXPECT_EQ(ModeOf(p), 0640u);  // 0666 & ~027

  const mode_t original2 = ::umask(077);
  std::string q = P("private.json");
  auto st2 = env_.WriteFileAtomic(q, "{}");
  const mode_t during2 = CurrentUmask();
  ::umask(original2);
  ASSERT_TRUE(st2.has_value());
  EXPECT_EQ(during2, 077u);
  EXPECT_EQ(ModeOf(q), 0600u);
  EXPECT_EQ(CurrentUmask(), original);
}

TEST_F(PosixEnvTest, FollowsSymlinkInsteadOfReplacingIt) {
  std::ofstream(P("target.txt")) << "old";
  fs::create_symlink(P("target.txt"), P("link.txt"));
  ASSERT_TRUE(env_.WriteFileAtomic(P("link.txt"), "new").has_value());
  EXPECT_TRUE(fs::is_symlink(P("link.txt")));
  EXPECT_EQ(Slurp(P("target.txt")), "new");
}

TEST_F(PosixEnvTest, FollowsDanglingSymlinkAndCreatesItsTarget) {
  fs::create_symlink("new-target.html", P("link.html"));  // relative, dangling
  ASSERT_FALSE(fs::exists(P("new-target.html")));
  ASSERT_TRUE(env_.WriteFileAtomic(P("link.html"), "report").has_value());
  EXPECT_TRUE(fs::is_symlink(P("link.html")));
  EXPECT_EQ(Slurp(P("new-target.html")), "report");
  EXPECT_EQ(Slurp(P("link.html")), "report");
}

TEST_F(PosixEnvTest, WritesThroughDeviceWithoutReplacingIt) {
  struct stat before {};
  ASSERT_EQ(::stat("/dev/null", &before), 0);
  ASSERT_TRUE(env_.WriteFileAtomic("/dev/null", "discarded").has_value());
  struct stat after {};
  ASSERT_EQ(::stat("/dev/null", &after), 0);
  EXPECT_TRUE(S_ISCHR(after.st_mode));
  EXPECT_EQ(before.st_ino, after.st_ino);
  EXPECT_EQ(before.st_rdev, after.st_rdev);
  // And through a symlink to it.
  fs::create_symlink("/dev/null", P("null-link"));
  ASSERT_TRUE(env_.WriteFileAtomic(P("null-link"), "discarded").has_value());
  EXPECT_TRUE(fs::is_symlink(P("null-link")));
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST_F(PosixEnvTest, ErrorsLeaveNothingBehind) {
  auto st = env_.WriteFileAtomic(P("missing-dir/r.html"), "x");
  ASSERT_FALSE(st.has_value());
  EXPECT_EQ(st.error().kind, ErrorKind::kIo);
  EXPECT_NE(st.error().Format().find("missing-dir/r.html"), std::string::npos) << st.error().Format();
  auto dir = env_.WriteFileAtomic(dir_.string(), "x");
  ASSERT_FALSE(dir.has_value());
  EXPECT_EQ(dir.error().kind, ErrorKind::kIo);
  EXPECT_NE(dir.error().message.find("directory"), std::string::npos);
  EXPECT_EQ(EntriesInDir(), 0u);
}

TEST_F(PosixEnvTest, ReadFileDirectoryAndMissingAreClearErrors) {
  auto r = env_.ReadFile(dir_.string(), 1 << 20);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kIo);
  EXPECT_EQ(r.error().message, "is a directory, not a file");
  auto m = env_.ReadFile(P("missing.yaml"), 1 << 20);
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().kind, ErrorKind::kIo);
  EXPECT_EQ(m.error().message, "cannot open file: No such file or directory");
  EXPECT_EQ(m.error().where.file, P("missing.yaml"));
}

TEST_F(PosixEnvTest, ReadFileWithPadding) {
  std::ofstream(P("a.har")) << "{\"log\": {}}";
  auto r = env_.ReadFile(P("a.har"), 1 << 20, 64);
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(*r, "{\"log\": {}}");
  EXPECT_GE(r->capacity(), r->size() + 64);
}

TEST_F(PosixEnvTest, ReadFileRefusesAFileOverTheLimitBeforeReadingIt) {
  // A sparse 16 MiB file: the error states its exact size (from stat, not
  // from reading up to the limit, which would give "more than").
  std::string p = P("huge.har");
  {
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::ftruncate(fd, 16 << 20), 0);
    ::close(fd);
  }
  auto r = env_.ReadFile(p, 1 << 20, 0, "--max-input-size");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kParse);
  EXPECT_EQ(r.error().where.file, p);
  EXPECT_EQ(r.error().message, "input too large: " + HumanSize(16 << 20) +
                                   " (16777216 bytes), the limit is " + HumanSize(1 << 20) +
                                   " (1048576 bytes)");
  EXPECT_NE(r.error().hint.find("--max-input-size"), std::string::npos);
}

// A pipe fed by a thread that writes `head` once, then `fill` until the
// reader closes its end; `written` is what the pipe took.
class PipeFeeder {
 public:
  PipeFeeder(std::string head, char fill) {
    ::signal(SIGPIPE, SIG_IGN);
    EXPECT_EQ(::pipe(fds_), 0);
    writer_ = std::thread([this, head = std::move(head), fill] {
      std::string block(1 << 16, fill);
      std::string_view next = head;
      for (;;) {
        if (next.empty()) next = block;
        ssize_t n = ::write(fds_[1], next.data(), next.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // EPIPE: the reader is gone
        written_ += static_cast<uint64_t>(n);
        next.remove_prefix(static_cast<size_t>(n));
      }
      ::close(fds_[1]);
    });
  }
  ~PipeFeeder() {
    if (fds_[0] >= 0) ::close(fds_[0]);
    if (writer_.joinable()) writer_.join();
  }
  std::string path() const { return "/dev/fd/" + std::to_string(fds_[0]); }
  uint64_t Written() {
    ::close(fds_[0]);
    fds_[0] = -1;
    writer_.join();
    return written_;
  }

 private:
  int fds_[2] = {-1, -1};
  std::thread writer_;
  std::atomic<uint64_t> written_{0};
};

TEST_F(PosixEnvTest, ReadFileStopsReadingAPipeAtTheLimit) {
  PipeFeeder feed("", 'x');  // text without end
  auto r = env_.ReadFile(feed.path(), 1 << 20, 0, "--max-input-size");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kParse);
  // Only "larger than the limit" is known, not a size (which would be below the limit).
  EXPECT_EQ(r.error().message, "input too large: larger than the limit of 1 MiB (1048576 bytes)");
  // Read no further than the limit, one chunk and what the pipe buffers.
  EXPECT_LT(feed.Written(), (1u << 20) + (4u << 20));
  // Under the limit, a device reads to its end.
  auto empty = env_.ReadFile("/dev/null", 1 << 20);
  ASSERT_TRUE(empty.has_value()) << empty.error().Format();
  EXPECT_EQ(*empty, "");
}

TEST_F(PosixEnvTest, ReadFileRefusesABinaryDeviceAfterItsFirstChunk) {
  // /dev/zero with a limit far above what the test may hold: refused at its
  // first NUL byte, not read up to the limit.
  auto start = std::chrono::steady_clock::now();
  auto r = env_.ReadFile("/dev/zero", 256ull << 20, 0, "--max-input-size");
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kParse);
  EXPECT_EQ(r.error().where.file, "/dev/zero");
  EXPECT_NE(r.error().message.find("binary file, not text: NUL byte at byte 0"), std::string::npos)
      << r.error().Format();
  EXPECT_LT(took, std::chrono::seconds(1));

  // A pipe that starts as text: the NUL byte is named with its place.
  PipeFeeder feed("{\"log\":\n", '\0');
  auto p = env_.ReadFile(feed.path(), 256ull << 20, 0, "--max-input-size");
  ASSERT_FALSE(p.has_value());
  EXPECT_NE(p.error().message.find("NUL byte at byte 8 (line 2, column 1)"), std::string::npos)
      << p.error().Format();
  EXPECT_LT(feed.Written(), 8u << 20);
}

TEST_F(PosixEnvTest, StatAndListDirectory) {
  std::ofstream(P("b.yaml")) << "b";
  std::ofstream(P("a.yaml")) << "aa";
  std::ofstream(P("notes.txt")) << "n";
  fs::create_directory(P("dir.yaml"));  // a directory is not listed
  fs::create_symlink(P("a.yaml"), P("c.yaml"));
  auto names = env_.ListDirectory(dir_.string(), ".yaml");
  ASSERT_TRUE(names.has_value()) << names.error().Format();
  EXPECT_EQ(*names, (std::vector<std::string>{"a.yaml", "b.yaml", "c.yaml"}));
  auto notdir = env_.ListDirectory(P("a.yaml"), ".yaml");
  ASSERT_FALSE(notdir.has_value());
  EXPECT_EQ(notdir.error().kind, ErrorKind::kIo);
  EXPECT_EQ(notdir.error().message, "not a directory");
  EXPECT_FALSE(env_.ListDirectory(P("missing"), ".yaml").has_value());

  auto st = env_.Stat(P("a.yaml"));
  ASSERT_TRUE(st.has_value());
  EXPECT_TRUE(st->exists);
  EXPECT_TRUE(st->is_regular);
  EXPECT_EQ(st->size, 2u);
  auto d = env_.Stat(dir_.string());
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->is_directory);
  auto dev = env_.Stat("/dev/null");
  ASSERT_TRUE(dev.has_value());
  EXPECT_TRUE(dev->exists);
  EXPECT_FALSE(dev->is_regular);
  auto missing = env_.Stat(P("missing"));
  ASSERT_TRUE(missing.has_value());
  EXPECT_FALSE(missing->exists);
}

TEST_F(PosixEnvTest, CreateDirectoriesAndListRecursively) {
  ASSERT_TRUE(env_.CreateDirectories(P("ev/before-consent/screenshots")).has_value());
  EXPECT_TRUE(fs::is_directory(P("ev/before-consent/screenshots")));
  EXPECT_TRUE(env_.CreateDirectories(P("ev/before-consent")).has_value());  // exists: fine
  std::ofstream(P("ev/manifest.json")) << "{}";
  std::ofstream(P("ev/before-consent/capture.har")) << "{}";
  std::ofstream(P("ev/before-consent/screenshots/001.png")) << "png";
  fs::create_directory(P("ev/empty"));
  fs::create_symlink(P("ev/before-consent/capture.har"), P("ev/link.har"));
  fs::create_directory_symlink(P("ev"), P("ev/loop"));  // not followed: no loop
  auto all = env_.ListFilesRecursive(P("ev"));
  ASSERT_TRUE(all.has_value()) << all.error().Format();
  EXPECT_EQ(*all,
            (std::vector<std::string>{"before-consent/capture.har", "before-consent/screenshots/001.png",
                                      "link.har", "loop", "manifest.json"}));
  auto file = env_.ListFilesRecursive(P("ev/manifest.json"));
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().message, "not a directory");
  auto missing = env_.ListFilesRecursive(P("nowhere"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message, "no such directory");
  auto few = env_.ListFilesRecursive(P("ev"), 3);
  ASSERT_FALSE(few.has_value());
  EXPECT_EQ(few.error().kind, ErrorKind::kUsage);
  auto in_the_way = env_.CreateDirectories(P("ev/manifest.json/x"));
  ASSERT_FALSE(in_the_way.has_value());
  EXPECT_EQ(in_the_way.error().kind, ErrorKind::kIo);
  EXPECT_NE(in_the_way.error().message.find("a file is in the way"), std::string::npos);
}

TEST_F(PosixEnvTest, SameFileForTwoSpellingsOfOnePath) {
  std::ofstream(P("a.yaml")) << "a";
  std::ofstream(P("b.yaml")) << "a";
  fs::create_symlink(P("a.yaml"), P("link.yaml"));
  std::string base = dir_.filename().string();
  EXPECT_TRUE(env_.SameFile(P("a.yaml"), P("a.yaml")));
  EXPECT_TRUE(env_.SameFile(P("a.yaml"), (dir_ / "." / "a.yaml").string()));
  EXPECT_TRUE(env_.SameFile(P("a.yaml"), (dir_ / ".." / base / "a.yaml").string()));
  EXPECT_TRUE(env_.SameFile(P("a.yaml"), dir_.string() + "//a.yaml"));
  EXPECT_TRUE(env_.SameFile(P("link.yaml"), P("a.yaml")));
  EXPECT_FALSE(env_.SameFile(P("a.yaml"), P("b.yaml")));  // same content, other file
  EXPECT_FALSE(env_.SameFile(P("a.yaml"), P("missing.yaml")));
  EXPECT_FALSE(env_.SameFile(P("missing.yaml"), P("missing.yaml")));
  EXPECT_FALSE(env_.SameFile("-", "-"));
}

TEST_F(PosixEnvTest, NowIsIsoUtc) {
  std::string now = env_.NowIso();
  ASSERT_EQ(now.size(), 20u) << now;
  EXPECT_EQ(now[4], '-');
  EXPECT_EQ(now[10], 'T');
  EXPECT_EQ(now.back(), 'Z');
  EXPECT_EQ(env_.Today(), now.substr(0, 10));
}

TEST(PosixEnv, ReplaceDirectoryWritesAWholeFolderAndLeavesNothingElse) {
  fs::path base = fs::temp_directory_path() / ("bs-replace-" + std::to_string(::getpid()));
  fs::remove_all(base);
  Env& env = Env::Default();
  const std::string site = (base / "site").string();
  ASSERT_TRUE(env.ReplaceDirectory(site, {{"index.html", "one"}, {"nl/index.html", "nl"}}).has_value());
  EXPECT_EQ(*env.ReadFile(site + "/nl/index.html", 100), "nl");
  // Replacing: the old folder's files are gone, the new ones are there, no temporary folder stays.
  ASSERT_TRUE(env.ReplaceDirectory(site, {{"index.html", "two"}}).has_value());
  EXPECT_EQ(*env.ReadFile(site + "/index.html", 100), "two");
  EXPECT_FALSE(fs::exists(site + "/nl"));
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(base)) ++entries;
  EXPECT_EQ(entries, 1u);
  // A file in the way: an error, the file stays.
  std::ofstream(base / "file") << "x";
  auto bad = env.ReplaceDirectory((base / "file").string(), {{"index.html", "x"}});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().kind, ErrorKind::kIo);
  EXPECT_EQ(*env.ReadFile((base / "file").string(), 100), "x");
  fs::remove_all(base);
}

}  // namespace
}  // namespace blindspot
