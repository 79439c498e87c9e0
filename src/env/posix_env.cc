// Env::Default(): the POSIX file system.
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <ctime>

#include "blindspot/env.h"
#include "blindspot/input.h"

namespace blindspot {
namespace {

SourceLocation At(const std::string& path) {
  SourceLocation w;
  w.file = path;
  return w;
}

bool WriteAll(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

// Follows symlinks by hand: realpath fails when the link's target does not exist yet.
std::string ResolveLinks(const std::string& path) {
  std::string target = path;
  struct stat lst;
  for (int hops = 0; hops < 40 && ::lstat(target.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode); ++hops) {
    char buf[PATH_MAX];
    ssize_t n = ::readlink(target.c_str(), buf, sizeof buf - 1);
    if (n <= 0) break;
    std::string link(buf, static_cast<size_t>(n));
    if (link.front() != '/') {
      size_t slash = target.rfind('/');
      link = (slash == std::string::npos ? std::string() : target.substr(0, slash + 1)) + link;
    }
    target = link;
  }
  return target;
}

class PosixEnv : public Env {
 public:
  Result<FileInfo> Stat(const std::string& path) override {
    FileInfo info;
    if (path == "-") return info;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return info;
      return MakeError(ErrorKind::kIo, std::string("cannot access: ") + std::strerror(errno), At(path));
    }
    info.exists = true;
    info.is_directory = S_ISDIR(st.st_mode);
    info.is_regular = S_ISREG(st.st_mode);
    info.size = static_cast<uint64_t>(st.st_size);
    info.device = static_cast<uint64_t>(st.st_dev);
    info.inode = static_cast<uint64_t>(st.st_ino);
    return info;
  }

  // Opens `path` ("-": a duplicate of stdin) for reading and stats it; a
  // directory is an error. The caller owns (and closes) the descriptor.
  static Result<int> OpenForReading(const std::string& path, struct stat* st) {
    int fd = path == "-" ? ::dup(STDIN_FILENO) : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
      return MakeError(ErrorKind::kIo, std::string("cannot open file: ") + std::strerror(errno), At(path), "",
                       "check the path and that the file is readable");
    if (::fstat(fd, st) != 0) {
      int e = errno;
      ::close(fd);
      return MakeError(ErrorKind::kIo, std::string("cannot read file: ") + std::strerror(e), At(path));
    }
    if (S_ISDIR(st->st_mode)) {
      ::close(fd);
      return MakeError(ErrorKind::kIo, "is a directory, not a file", At(path), "a file",
                       "give the path of the file itself");
    }
    return fd;
  }

  Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes, size_t padding,
                               std::string_view limit_hint) override {
    struct stat st {};
    auto opened = OpenForReading(path, &st);
    if (!opened) return std::unexpected(std::move(opened.error()));
    int fd = *opened;
    std::string out;
    if (S_ISREG(st.st_mode)) {
      uint64_t size = static_cast<uint64_t>(st.st_size);
      if (size > max_bytes) {
        ::close(fd);
        return std::unexpected(TooLargeError(path, size, max_bytes, limit_hint, false));
      }
      out.reserve(size + padding);
      out.resize(size);
      size_t done = 0;
      while (done < size) {
        ssize_t n = ::read(fd, out.data() + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
          int e = errno;
          ::close(fd);
          return MakeError(ErrorKind::kIo, std::string("cannot read file: ") + std::strerror(e), At(path));
        }
        if (n == 0) break;  // the file shrank while reading
        done += static_cast<size_t>(n);
      }
      out.resize(done);
      ::close(fd);
      return out;
    }
    // A pipe, terminal or device (stdin, <(...), /dev/zero): its size is
    // unknown, so read in chunks and stop at the limit, or at the first NUL
    // byte: no input (YAML, JSON) holds one, so a binary stream is refused
    // after one chunk instead of being held up to the limit.
    char chunk[1 << 16];
    for (;;) {
      ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int e = errno;
        ::close(fd);
        return MakeError(ErrorKind::kIo, std::string("cannot read: ") + std::strerror(e), At(path));
      }
      if (n == 0) break;
      size_t len = static_cast<size_t>(n);
      if (const void* nul = std::memchr(chunk, 0, len)) {
        ::close(fd);
        out.append(chunk, static_cast<size_t>(static_cast<const char*>(nul) - chunk) + 1);
        // Names what it is (gzip, UTF-16, binary) with the byte offset.
        auto st = CheckTextInput(out, path, "a text file (YAML or JSON)");
        if (!st) return std::unexpected(st.error());
        return MakeError(ErrorKind::kParse, "this is a binary file, not text: it holds a NUL byte", At(path),
                         "a text file (YAML or JSON)", "check that this is the file you meant");
      }
      if (out.size() + len > max_bytes) {
        ::close(fd);
        return std::unexpected(TooLargeError(path, max_bytes, max_bytes, limit_hint, true));
      }
      out.append(chunk, len);
    }
    ::close(fd);
    if (out.capacity() < out.size() + padding) out.reserve(out.size() + padding);
    return out;
  }

  Status ReadFileInChunks(const std::string& path, uint64_t max_bytes, size_t chunk,
                          const std::function<Status(std::string_view)>& consume,
                          std::string_view limit_hint) override {
    struct stat st {};
    auto opened = OpenForReading(path, &st);
    if (!opened) return std::unexpected(std::move(opened.error()));
    int fd = *opened;
    if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > max_bytes) {
      ::close(fd);
      return std::unexpected(
          TooLargeError(path, static_cast<uint64_t>(st.st_size), max_bytes, limit_hint, false));
    }
    std::string buf(std::max<size_t>(chunk, 1), '\0');
    uint64_t total = 0;
    for (;;) {
      ssize_t n = ::read(fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int e = errno;
        ::close(fd);
        return MakeError(ErrorKind::kIo, std::string("cannot read: ") + std::strerror(e), At(path));
      }
      if (n == 0) break;
      total += static_cast<uint64_t>(n);
      if (total > max_bytes) {
        ::close(fd);
        return std::unexpected(TooLargeError(path, max_bytes, max_bytes, limit_hint, true));
      }
      if (auto status = consume(std::string_view(buf.data(), static_cast<size_t>(n))); !status) {
        ::close(fd);
        return status;
      }
    }
    ::close(fd);
    return {};
  }

  Status WriteFileAtomic(const std::string& path, std::string_view data) override {
    std::string target = ResolveLinks(path);
    struct stat st;
    bool exists = ::stat(target.c_str(), &st) == 0;
    if (exists && S_ISDIR(st.st_mode))
      return MakeError(ErrorKind::kIo, "is a directory", At(path), "a file name",
                       "add a file name at the end of the path");
    if (exists && !S_ISREG(st.st_mode)) {
      // A device, pipe or terminal (/dev/stdout, /dev/null): write through it, never replace it.
      int fd = ::open(target.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
      if (fd < 0)
        return MakeError(ErrorKind::kIo, std::string("cannot open: ") + std::strerror(errno), At(path));
      bool ok = WriteAll(fd, data);
      int e = errno;
      if (::close(fd) != 0 && ok) {
        ok = false;
        e = errno;
      }
      if (!ok) return MakeError(ErrorKind::kIo, std::string("write failed: ") + std::strerror(e), At(path));
      return {};
    }
    // A regular file (or a new one): a temporary file next to it, then a
    // rename. O_EXCL with a fresh name; the kernel applies the umask to a new
    // file's mode, a replaced file's mode is set explicitly.
    static std::atomic<uint64_t> counter{0};
    uint64_t seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    std::string tmp;
    int fd = -1;
    mode_t mode = exists ? (st.st_mode & 07777) : 0666;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
      tmp = fmt::format("{}.tmp-{}-{:x}", target, ::getpid(), seed + counter++ * 7919);
      fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
      if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0)
      return MakeError(ErrorKind::kIo, std::string("cannot create file: ") + std::strerror(errno), At(path),
                       "", "check that the directory exists and is writable");
    auto fail = [&](const char* what) {
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return MakeError(ErrorKind::kIo, std::string(what) + std::strerror(e), At(path));
    };
    if (!WriteAll(fd, data)) return fail("write failed: ");
    if (exists && ::fchmod(fd, mode) != 0) return fail("cannot set the file mode: ");
    if (::fsync(fd) != 0) return fail("write failed: ");
    if (::close(fd) != 0) {
      int e = errno;
      ::unlink(tmp.c_str());
      return MakeError(ErrorKind::kIo, std::string("write failed: ") + std::strerror(e), At(path));
    }
    if (::rename(tmp.c_str(), target.c_str()) != 0) {
      int e = errno;
      ::unlink(tmp.c_str());
      return MakeError(ErrorKind::kIo, std::string("cannot write file: ") + std::strerror(e), At(path));
    }
    return {};
  }

  Result<std::vector<std::string>> ListDirectory(const std::string& dir, std::string_view suffix) override {
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
      int e = errno;
      if (e == ENOTDIR)
        return MakeError(ErrorKind::kIo, "not a directory", At(dir), "a directory",
                         "pass the directory that holds the files");
      return MakeError(ErrorKind::kIo, std::string("cannot list directory: ") + std::strerror(e), At(dir));
    }
    std::vector<std::string> out;
    while (struct dirent* ent = ::readdir(d)) {
      std::string name = ent->d_name;
      if (name == "." || name == ".." || !name.ends_with(suffix)) continue;
      struct stat st;
      if (::stat((dir + "/" + name).c_str(), &st) == 0 && S_ISREG(st.st_mode)) out.push_back(name);
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
  }

  Result<std::vector<std::string>> ListFilesRecursive(const std::string& dir, size_t max_entries) override {
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) {
      int e = errno;
      return MakeError(
          ErrorKind::kIo,
          e == ENOENT ? std::string("no such directory") : std::string("cannot access: ") + std::strerror(e),
          At(dir), "a directory");
    }
    if (!S_ISDIR(st.st_mode)) return MakeError(ErrorKind::kIo, "not a directory", At(dir), "a directory");
    std::vector<std::string> out;
    // Folders still to read, relative to `dir` ("" is `dir` itself).
    std::vector<std::string> todo = {""};
    while (!todo.empty()) {
      std::string rel = std::move(todo.back());
      todo.pop_back();
      std::string full = rel.empty() ? dir : dir + "/" + rel;
      DIR* d = ::opendir(full.c_str());
      if (!d) {
        int e = errno;
        return MakeError(ErrorKind::kIo, std::string("cannot list directory: ") + std::strerror(e), At(full));
      }
      while (struct dirent* ent = ::readdir(d)) {
        std::string name = ent->d_name;
        if (name == "." || name == "..") continue;
        std::string child = rel.empty() ? name : rel + "/" + name;
        struct stat lst;
        if (::lstat((dir + "/" + child).c_str(), &lst) != 0) continue;  // gone meanwhile
        if (S_ISDIR(lst.st_mode)) {
          todo.push_back(child);
          continue;
        }
        if (out.size() >= max_entries) {
          ::closedir(d);
          return MakeError(ErrorKind::kUsage, fmt::format("more than {} files in the folder", max_entries),
                           At(dir));
        }
        out.push_back(std::move(child));
      }
      ::closedir(d);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  Status ReplaceDirectory(const std::string& dir_in,
                          const std::vector<std::pair<std::string, std::string>>& files) override {
    std::string dir = dir_in;
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    struct stat st;
    bool exists = ::lstat(dir.c_str(), &st) == 0;
    if (exists && !S_ISDIR(st.st_mode))
      return MakeError(ErrorKind::kIo, "not a directory", At(dir), "a directory (or a new name)");
    if (auto p = dir.rfind('/'); p != std::string::npos && p > 0)
      if (auto s = CreateDirectories(dir.substr(0, p)); !s) return s;
    // A new folder next to `dir` (mkdir applies the umask; it is never changed).
    static std::atomic<unsigned> counter{0};
    std::string tmp;
    for (int attempt = 0;; ++attempt) {
      tmp = fmt::format("{}.tmp-{}-{}", dir, ::getpid(), counter++);
      if (::mkdir(tmp.c_str(), 0777) == 0) break;
      if (errno != EEXIST || attempt > 100)
        return MakeError(ErrorKind::kIo, std::string("cannot create directory: ") + std::strerror(errno),
                         At(tmp), "", "check that the parent directory exists and is writable");
    }
    auto fail = [&](Error e) -> Status {
      RemoveTree(tmp);
      return std::unexpected(std::move(e));
    };
    for (const auto& [name, data] : files) {
      std::string path = tmp + "/" + name;
      if (auto s = CreateDirectories(path.substr(0, path.rfind('/'))); !s) return fail(s.error());
      if (auto s = WriteFileAtomic(path, data); !s) {
        Error e = s.error();
        e.where = At(dir + "/" + name);
        return fail(e);
      }
    }
    if (exists) {
      // Swap the two folders in one step, then remove the old one.
      if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, dir.c_str(), RENAME_EXCHANGE) != 0)
        return fail(MakeError(ErrorKind::kIo,
                              std::string("cannot replace directory: ") + std::strerror(errno), At(dir))
                        .error());
      RemoveTree(tmp);
      return {};
    }
    if (::rename(tmp.c_str(), dir.c_str()) != 0)
      return fail(
          MakeError(ErrorKind::kIo, std::string("cannot create directory: ") + std::strerror(errno), At(dir))
              .error());
    return {};
  }

  static void RemoveTree(const std::string& path) {
    ::nftw(
        path.c_str(),
        [](const char* p, const struct stat*, int flag, struct FTW*) {
          (flag == FTW_DP ? ::rmdir(p) : ::unlink(p));
          return 0;
        },
        16, FTW_DEPTH | FTW_PHYS);
  }

  Status CreateDirectories(const std::string& path) override {
    std::string p = path;
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    for (size_t pos = 1; pos <= p.size(); ++pos) {
      if (pos < p.size() && p[pos] != '/') continue;
      std::string part = p.substr(0, pos);
      if (::mkdir(part.c_str(), 0777) == 0) continue;
      int e = errno;
      struct stat st;
      if (e == EEXIST && ::stat(part.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) continue;
      if (e == EEXIST)
        return MakeError(ErrorKind::kIo, "cannot create directory: a file is in the way", At(part),
                         "a directory");
      return MakeError(ErrorKind::kIo, std::string("cannot create directory: ") + std::strerror(e), At(part),
                       "", "check that the parent directory exists and is writable");
    }
    return {};
  }

  std::string NowIso() override {
    std::time_t t = std::time(nullptr);
    struct tm tm;
    ::gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
  }
};

}  // namespace

Env& Env::Default() {
  static PosixEnv env;
  return env;
}

}  // namespace blindspot
