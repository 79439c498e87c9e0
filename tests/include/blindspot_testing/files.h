// Test helpers for files on disk: a temporary folder that is
// removed with its contents, reading a file whole, and editing one part of an
// XLSX (zip) file in place — for writing what libxlsxwriter refuses to write,
// such as a cell over Excel's 32,767 characters. Header-only; tests only.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace blindspot::testing {

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/bs_test_XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(const std::string& name) const { return (std::filesystem::path(path_) / name).string(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Replaces the first `from` by `to` in the zip member `part` of `path`.
inline void ReplaceInPart(const std::string& path, const char* part, const std::string& from,
                          const std::string& to) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), 0, &err);
  ASSERT_NE(z, nullptr);
  zip_file_t* f = zip_fopen(z, part, 0);
  ASSERT_NE(f, nullptr);
  std::string xml;
  char buf[65536];
  for (zip_int64_t n; (n = zip_fread(f, buf, sizeof buf)) > 0;) xml.append(buf, static_cast<size_t>(n));
  zip_fclose(f);
  size_t at = xml.find(from);
  ASSERT_NE(at, std::string::npos);
  xml.replace(at, from.size(), to);
  char* copy = static_cast<char*>(malloc(xml.size()));
  memcpy(copy, xml.data(), xml.size());
  zip_source_t* src = zip_source_buffer(z, copy, xml.size(), 1);
  ASSERT_EQ(zip_file_replace(z, static_cast<zip_uint64_t>(zip_name_locate(z, part, 0)), src, 0), 0);
  ASSERT_EQ(zip_close(z), 0);
}

// Replaces the whole zip member `part` of `path` by `content`.
inline void ReplacePart(const std::string& path, const char* part, const std::string& content) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), 0, &err);
  ASSERT_NE(z, nullptr);
  char* copy = static_cast<char*>(malloc(content.size() + 1));
  memcpy(copy, content.data(), content.size());
  zip_source_t* src = zip_source_buffer(z, copy, content.size(), 1);
  ASSERT_EQ(zip_file_replace(z, static_cast<zip_uint64_t>(zip_name_locate(z, part, 0)), src, 0), 0);
  ASSERT_EQ(zip_close(z), 0);
}

}  // namespace blindspot::testing
