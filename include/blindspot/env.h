// Env: the one seam for file I/O (after LevelDB's Env and ninja's
// DiskInterface). The library's core does no I/O; the application layer reads
// and writes every file through an Env, so tests run against MemEnv (files in
// memory, with injected faults) and a server can confine what is read.
//
// Errors are values (kIo for the file system, kParse for input that is too
// large). Env::Default() is thread-safe; a MemEnv is thread-safe too (one
// mutex).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"

namespace blindspot {

struct FileInfo {
  bool exists = false;
  bool is_directory = false;
  bool is_regular = false;  // a regular file (not a device, pipe or directory)
  uint64_t size = 0;
  uint64_t device = 0, inode = 0;  // identity, for SameFile
};

class Env {
 public:
  virtual ~Env() = default;

  // Follows symlinks. A missing file gives exists = false, not an error.
  virtual Result<FileInfo> Stat(const std::string& path) = 0;

  // Reads a whole file ("-" is standard input). Refuses, before reading it
  // into memory, a file larger than `max_bytes`, with its size and
  // `limit_hint` (the option that raises it) in the message. A pipe or device
  // has no size: it is read in chunks and refused as soon as it passes the
  // limit, or as soon as a chunk holds a NUL byte (every input is text, YAML
  // or JSON, which never holds one; so /dev/zero or a binary stream is refused
  // after its first chunk instead of filling memory up to the limit). The
  // returned string has capacity for `padding` more bytes (for parsers that
  // read past the end).
  virtual Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes, size_t padding = 0,
                                       std::string_view limit_hint = {}) = 0;

  // Reads a file ("-" is standard input) piece by piece: hands each piece (at
  // most `chunk` bytes, cut anywhere, never empty) to `consume`, in order, and
  // stops at the first error `consume` returns (that error is returned).
  // Refuses a file larger than `max_bytes` as ReadFile does; memory stays at
  // one piece however large the file is. This default reads the whole file
  // with ReadFile first.
  virtual Status ReadFileInChunks(const std::string& path, uint64_t max_bytes, size_t chunk,
                                  const std::function<Status(std::string_view)>& consume,
                                  std::string_view limit_hint = {});

  // Writes `data` so that readers never see a half-written file: a regular
  // file (or a new one) gets a temporary file next to it, then a rename; the
  // mode of a replaced file is kept, a new file gets the process umask
  // applied by the kernel (the umask is never changed). A symlink is followed
  // (its target is replaced); a device or pipe (/dev/stdout) is written
  // through, never replaced. On error nothing is left behind.
  virtual Status WriteFileAtomic(const std::string& path, std::string_view data) = 0;

  // Names (not paths) of the regular files in `dir` whose name ends in
  // `suffix`, sorted.
  virtual Result<std::vector<std::string>> ListDirectory(const std::string& dir, std::string_view suffix) = 0;

  // Paths, relative to `dir` and '/'-separated ("before-consent/capture.har"),
  // of everything under `dir` that is not a directory (regular files, and
  // symlinks, pipes and devices too, so that a check sees them), sorted.
  // Descends into subdirectories but not through symlinks to directories (no
  // loops, nothing outside `dir`). Stops with kUsage after `max_entries`
  // paths. A `dir` that is missing or not a directory is kIo.
  virtual Result<std::vector<std::string>> ListFilesRecursive(const std::string& dir,
                                                              size_t max_entries = 100000) = 0;

  // Creates `path` and its missing parents as directories (mkdir -p; new ones
  // get the umask applied by the kernel). An existing directory is fine; an
  // existing file on the way is kIo.
  virtual Status CreateDirectories(const std::string& path) = 0;

  // Writes a whole folder so that readers never see a half-written one:
  // `files` (paths relative to `dir`, '/'-separated, subfolders created) go
  // into a new folder next to `dir`, which then takes the place of `dir`
  // (a folder that was there is removed, with everything in it: the caller
  // checks it may go). On error nothing is left behind and `dir` is as it was.
  virtual Status ReplaceDirectory(const std::string& dir,
                                  const std::vector<std::pair<std::string, std::string>>& files) = 0;

  // True when both paths name the same existing file (same device and inode),
  // whatever the spelling ("./a.yaml", "a.yaml", a symlink).
  bool SameFile(const std::string& a, const std::string& b);

  // The current time as ISO 8601 UTC ("2026-12-02T10:00:00Z") and date ("2026-12-02").
  virtual std::string NowIso() = 0;
  std::string Today() { return NowIso().substr(0, 10); }

  // The process's real file system. Never null; lives for the program.
  static Env& Default();
};

// Files in memory, for tests: paths are plain strings ("-" is whatever was
// added as "-"). Faults can be injected per path prefix.
class MemEnv : public Env {
 public:
  void AddFile(const std::string& path, std::string data);
  void AddDirectory(const std::string& path);
  // The content of `path`, or nullptr.
  const std::string* Contents(const std::string& path) const;
  // Reads (or writes) of paths starting with `prefix` fail with kIo.
  void FailReads(const std::string& prefix);
  void FailWrites(const std::string& prefix);
  void SetNow(std::string iso) { now_ = std::move(iso); }
  size_t writes() const { return writes_; }

  Result<FileInfo> Stat(const std::string& path) override;
  Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes, size_t padding = 0,
                               std::string_view limit_hint = {}) override;
  Status WriteFileAtomic(const std::string& path, std::string_view data) override;
  Result<std::vector<std::string>> ListDirectory(const std::string& dir, std::string_view suffix) override;
  Result<std::vector<std::string>> ListFilesRecursive(const std::string& dir,
                                                      size_t max_entries = 100000) override;
  Status CreateDirectories(const std::string& path) override;
  Status ReplaceDirectory(const std::string& dir,
                          const std::vector<std::pair<std::string, std::string>>& files) override;
  std::string NowIso() override { return now_; }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> files_;
  std::vector<std::string> dirs_;
  std::vector<std::string> fail_reads_, fail_writes_;
  std::string now_ = "2026-01-01T00:00:00Z";
  size_t writes_ = 0;
};

// The error for a file larger than `limit` (shared by the Env implementations):
// with its size, or, when `at_least` (a pipe or device read up to the limit),
// "larger than the limit"; the limit with its exact byte count.
Error TooLargeError(const std::string& path, uint64_t size_or_more, uint64_t limit,
                    std::string_view limit_hint, bool at_least);

}  // namespace blindspot
