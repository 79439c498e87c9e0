#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "blindspot/io.h"

namespace blindspot {
namespace {

SourceLocation At(const std::string& path) {
  SourceLocation where;
  where.file = path;
  return where;
}

// Writes all of `data` to `fd`; false with errno set on failure.
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

}  // namespace

Result<std::string> ReadFileToString(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return MakeError(ErrorKind::kIo, std::string("cannot open file: ") + std::strerror(errno), At(path), "",
                     "check the path and that the file is readable");
  if (S_ISDIR(st.st_mode))
    return MakeError(ErrorKind::kIo, "is a directory, not a file", At(path), "a register file",
                     "give the path of the file itself");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return MakeError(ErrorKind::kIo, std::string("cannot open file: ") + std::strerror(errno), At(path), "",
                     "check the path and that the file is readable");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return MakeError(ErrorKind::kIo, "read failed", At(path));
  return ss.str();
}

Status WriteFileAtomic(const std::string& path, std::string_view data) {
  // Follow a symlink so that the link stays and its target gets the report.
  std::string target = path;
  struct stat lst;
  for (int hops = 0; hops < 40 && ::lstat(target.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode); ++hops) {
    // Resolve by hand: realpath fails when the link's target does not exist yet.
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
  struct stat st;
  bool exists = ::stat(target.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode))
    return MakeError(ErrorKind::kIo, "is a directory", At(path), "a file name",
                     "add a file name, e.g. report.html");
  if (exists && !S_ISREG(st.st_mode)) {
    // A device, pipe or terminal (/dev/stdout, /dev/null): write through it,
    // never replace it.
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
  // A regular file (or a new one): write a temp file next to it, then rename,
  // so readers never see a half-written report.
  std::string tmp = target + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0)
    return MakeError(ErrorKind::kIo, std::string("cannot create file: ") + std::strerror(errno), At(path), "",
                     "check that the directory exists and is writable");
  if (!WriteAll(fd, data)) {
    int e = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return MakeError(ErrorKind::kIo, std::string("write failed: ") + std::strerror(e), At(path));
  }
  // Keep the permissions of a file we replace; a new file gets 0644 less the umask.
  mode_t mode = exists ? (st.st_mode & 07777) : 0644;
  if (!exists) {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode &= ~mask;
  }
  ::fchmod(fd, mode);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
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

}  // namespace blindspot
