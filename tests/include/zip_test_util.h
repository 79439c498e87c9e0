// Zip archives made in memory for the tests of bundle uploads (libzip):
// ordinary ones and hostile ones (links, paths that leave the folder, bombs).
#pragma once
#include <sys/stat.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace blindspot::testing {

struct ZipEntry {
  std::string name;
  std::string content;
  mode_t mode = S_IFREG | 0644;  // S_IFLNK for a symbolic link (content: its target)
};

// The bytes of a zip archive holding `entries` (deflated), or "" when libzip fails.
inline std::string MakeZip(const std::vector<ZipEntry>& entries) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* buf = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (buf == nullptr) return "";
  zip_source_keep(buf);
  zip_t* za = zip_open_from_source(buf, ZIP_TRUNCATE, &err);
  if (za == nullptr) {
    zip_source_free(buf);
    return "";
  }
  for (const ZipEntry& e : entries) {
    zip_source_t* s = zip_source_buffer(za, e.content.data(), e.content.size(), 0);
    zip_int64_t i = zip_file_add(za, e.name.c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (i < 0) {
      zip_source_free(s);
      continue;
    }
    zip_file_set_external_attributes(za, static_cast<zip_uint64_t>(i), 0, ZIP_OPSYS_UNIX,
                                     static_cast<zip_uint32_t>(e.mode) << 16);
  }
  if (zip_close(za) != 0) {
    zip_discard(za);
    zip_source_free(buf);
    return "";
  }
  std::string out;
  if (zip_source_open(buf) == 0) {
    zip_source_seek(buf, 0, SEEK_END);
    zip_int64_t size = zip_source_tell(buf);
    zip_source_seek(buf, 0, SEEK_SET);
    out.resize(static_cast<size_t>(size));
    zip_source_read(buf, out.data(), static_cast<zip_uint64_t>(size));
    zip_source_close(buf);
  }
  zip_source_free(buf);
  return out;
}

// The files of the folder `dir` as entries named `prefix` + their path in it.
inline std::vector<ZipEntry> FolderEntries(const std::string& dir, const std::string& prefix = "") {
  std::vector<ZipEntry> out;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir)) {
    if (!f.is_regular_file()) continue;
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back({prefix + std::filesystem::relative(f.path(), dir).generic_string(), ss.str()});
  }
  return out;
}

}  // namespace blindspot::testing
