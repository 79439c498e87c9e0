#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "blindspot/io.h"

namespace blindspot {

Result<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    SourceLocation where;
    where.file = path;
    return MakeError(ErrorKind::kIo, std::string("cannot open file: ") + std::strerror(errno), where, "",
                     "check the path and that the file is readable");
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    SourceLocation where;
    where.file = path;
    return MakeError(ErrorKind::kIo, "read failed", where);
  }
  return ss.str();
}

Status WriteFileAtomic(const std::string& path, std::string_view data) {
  SourceLocation where;
  where.file = path;
  std::string tmp = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0)
    return MakeError(ErrorKind::kIo, std::string("cannot create file: ") + std::strerror(errno), where, "",
                     "check that the directory exists and is writable");
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return MakeError(ErrorKind::kIo, std::string("write failed: ") + std::strerror(e), where);
    }
    done += static_cast<size_t>(n);
  }
  ::fchmod(fd, 0644);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return MakeError(ErrorKind::kIo, std::string("write failed: ") + std::strerror(errno), where);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return MakeError(ErrorKind::kIo, std::string("cannot write file: ") + std::strerror(e), where);
  }
  return {};
}

}  // namespace blindspot
