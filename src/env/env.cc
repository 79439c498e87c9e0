// Env::SameFile, TooLargeError and MemEnv.
#include "blindspot/env.h"

#include <fmt/format.h>

#include <algorithm>

#include "blindspot/input.h"

namespace blindspot {

bool Env::SameFile(const std::string& a, const std::string& b) {
  if (a == "-" || b == "-") return false;
  auto sa = Stat(a);
  auto sb = Stat(b);
  if (!sa || !sb || !sa->exists || !sb->exists) return false;
  return sa->device == sb->device && sa->inode == sb->inode;
}

Status Env::ReadFileInChunks(const std::string& path, uint64_t max_bytes, size_t chunk,
                             const std::function<Status(std::string_view)>& consume,
                             std::string_view limit_hint) {
  auto data = ReadFile(path, max_bytes, 0, limit_hint);
  if (!data) return std::unexpected(data.error());
  if (chunk == 0) chunk = 1;
  std::string_view rest = *data;
  while (!rest.empty()) {
    std::string_view piece = rest.substr(0, chunk);
    rest.remove_prefix(piece.size());
    if (auto st = consume(piece); !st) return st;
  }
  return {};
}

Error TooLargeError(const std::string& path, uint64_t size, uint64_t limit, std::string_view limit_hint,
                    bool at_least) {
  Error e;
  e.kind = ErrorKind::kParse;
  e.where.file = path;
  // A size with its exact byte count: "4 GiB" alone would hide that the
  // limit is 4095 MiB.
  auto exact = [](uint64_t n) {
    return n >= 1024 ? fmt::format("{} ({} bytes)", HumanSize(n), n) : HumanSize(n);
  };
  // Read from a pipe or device, only "more than the limit" is known.
  e.message = at_least ? fmt::format("input too large: larger than the limit of {}", exact(limit))
                       : fmt::format("input too large: {}, the limit is {}", exact(size), exact(limit));
  e.expected = fmt::format("at most {}", HumanSize(limit));
  e.hint = limit_hint.empty()
               ? "check that this is the file you meant"
               : fmt::format("check that this is the file you meant; raise the limit with {}", limit_hint);
  return e;
}

namespace {
bool HasPrefix(const std::vector<std::string>& prefixes, const std::string& path) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](const std::string& p) { return path.starts_with(p); });
}
SourceLocation At(const std::string& path) {
  SourceLocation w;
  w.file = path;
  return w;
}
}  // namespace

void MemEnv::AddFile(const std::string& path, std::string data) {
  std::lock_guard<std::mutex> l(mu_);
  files_[path] = std::move(data);
}

void MemEnv::AddDirectory(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  dirs_.push_back(path);
}

const std::string* MemEnv::Contents(const std::string& path) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : &it->second;
}

void MemEnv::FailReads(const std::string& prefix) {
  std::lock_guard<std::mutex> l(mu_);
  fail_reads_.push_back(prefix);
}

void MemEnv::FailWrites(const std::string& prefix) {
  std::lock_guard<std::mutex> l(mu_);
  fail_writes_.push_back(prefix);
}

Result<FileInfo> MemEnv::Stat(const std::string& path) {
  std::lock_guard<std::mutex> l(mu_);
  FileInfo info;
  if (std::find(dirs_.begin(), dirs_.end(), path) != dirs_.end()) {
    info.exists = info.is_directory = true;
    info.device = 1;  // an identity, so SameFile tells two directories apart
    info.inode = std::hash<std::string>{}(path + "/");
    return info;
  }
  auto it = files_.find(path);
  if (it == files_.end()) return info;
  info.exists = info.is_regular = true;
  info.size = it->second.size();
  info.device = 1;
  info.inode = std::hash<std::string>{}(path);
  return info;
}

Result<std::string> MemEnv::ReadFile(const std::string& path, uint64_t max_bytes, size_t padding,
                                     std::string_view limit_hint) {
  std::lock_guard<std::mutex> l(mu_);
  if (HasPrefix(fail_reads_, path))
    return MakeError(ErrorKind::kIo, "cannot read file: Input/output error (injected)", At(path));
  if (std::find(dirs_.begin(), dirs_.end(), path) != dirs_.end())
    return MakeError(ErrorKind::kIo, "is a directory, not a file", At(path), "a file",
                     "give the path of the file itself");
  auto it = files_.find(path);
  if (it == files_.end())
    return MakeError(ErrorKind::kIo, "cannot open file: No such file or directory", At(path), "",
                     "check the path and that the file is readable");
  if (it->second.size() > max_bytes)
    return std::unexpected(TooLargeError(path, it->second.size(), max_bytes, limit_hint, false));
  std::string out;
  out.reserve(it->second.size() + padding);
  out = it->second;
  return out;
}

Status MemEnv::WriteFileAtomic(const std::string& path, std::string_view data) {
  std::lock_guard<std::mutex> l(mu_);
  if (HasPrefix(fail_writes_, path))
    return MakeError(ErrorKind::kIo, "write failed: No space left on device (injected)", At(path));
  if (std::find(dirs_.begin(), dirs_.end(), path) != dirs_.end())
    return MakeError(ErrorKind::kIo, "is a directory", At(path), "a file name",
                     "add a file name at the end of the path");
  files_[path] = std::string(data);
  ++writes_;
  return {};
}

Result<std::vector<std::string>> MemEnv::ListDirectory(const std::string& dir_in, std::string_view suffix) {
  std::lock_guard<std::mutex> l(mu_);
  std::string dir = dir_in;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (std::find(dirs_.begin(), dirs_.end(), dir) == dirs_.end())
    return MakeError(ErrorKind::kIo, "not a directory", At(dir));
  std::vector<std::string> out;
  std::string prefix = dir.ends_with("/") ? dir : dir + "/";
  for (const auto& [p, _] : files_) {
    if (!p.starts_with(prefix)) continue;
    std::string name = p.substr(prefix.size());
    if (name.find('/') == std::string::npos && name.ends_with(suffix)) out.push_back(name);
  }
  return out;
}

Result<std::vector<std::string>> MemEnv::ListFilesRecursive(const std::string& dir_in, size_t max_entries) {
  std::lock_guard<std::mutex> l(mu_);
  std::string dir = dir_in;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (std::find(dirs_.begin(), dirs_.end(), dir) == dirs_.end())
    return MakeError(ErrorKind::kIo, files_.count(dir) ? "not a directory" : "no such directory", At(dir),
                     "a directory");
  std::vector<std::string> out;
  std::string prefix = dir == "/" ? dir : dir + "/";
  for (const auto& [p, _] : files_) {  // a std::map: sorted already
    if (!p.starts_with(prefix)) continue;
    if (out.size() >= max_entries)
      return MakeError(ErrorKind::kUsage, fmt::format("more than {} files in the folder", max_entries),
                       At(dir));
    out.push_back(p.substr(prefix.size()));
  }
  return out;
}

Status MemEnv::ReplaceDirectory(const std::string& dir_in,
                                const std::vector<std::pair<std::string, std::string>>& files) {
  std::string dir = dir_in;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  {
    std::lock_guard<std::mutex> l(mu_);
    if (files_.count(dir))
      return MakeError(ErrorKind::kIo, "cannot create directory: a file is in the way", At(dir),
                       "a directory");
    for (const auto& [name, data] : files)
      if (HasPrefix(fail_writes_, dir + "/" + name))
        return MakeError(ErrorKind::kIo, "write failed: No space left on device (injected)",
                         At(dir + "/" + name));
    for (auto it = files_.lower_bound(dir + "/"); it != files_.end() && it->first.starts_with(dir + "/");)
      it = files_.erase(it);
  }
  for (const auto& [name, data] : files) {
    std::string path = dir + "/" + name;
    if (auto s = CreateDirectories(path.substr(0, path.rfind('/'))); !s) return s;
    std::lock_guard<std::mutex> l(mu_);
    files_[path] = data;
    ++writes_;
  }
  return {};
}

Status MemEnv::CreateDirectories(const std::string& path_in) {
  std::lock_guard<std::mutex> l(mu_);
  if (HasPrefix(fail_writes_, path_in))
    return MakeError(ErrorKind::kIo, "cannot create directory: Permission denied (injected)", At(path_in));
  std::string path = path_in;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos < path.size() && path[pos] != '/') continue;
    std::string part = path.substr(0, pos);
    if (files_.count(part))
      return MakeError(ErrorKind::kIo, "cannot create directory: a file is in the way", At(part),
                       "a directory");
    if (std::find(dirs_.begin(), dirs_.end(), part) == dirs_.end()) dirs_.push_back(part);
  }
  return {};
}

}  // namespace blindspot
