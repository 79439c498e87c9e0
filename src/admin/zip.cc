// An evidence bundle uploaded as a .zip: its files read into memory with
// libzip, refusing what could escape the folder or flood the memory. No
// file I/O: the archive is a buffer, the files are strings.
#include <fmt/format.h>
#include <sys/stat.h>
#include <zip.h>

#include <memory>
#include <set>

#include "blindspot/admin.h"

namespace blindspot::admin {
namespace {

std::unexpected<Error> Refused(std::string what, std::string hint = {}) {
  Error e;
  e.kind = ErrorKind::kUsage;
  e.message = std::move(what);
  e.path = "bundle";
  e.hint = std::move(hint);
  return std::unexpected(std::move(e));
}

// The entry's name as shown in a message: control characters escaped, at most 120 bytes.
std::string Shown(std::string_view name) {
  std::string out;
  for (unsigned char c : name.substr(0, 120)) {
    if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out += static_cast<char>(c);
  }
  return name.size() > 120 ? out + "..." : out;
}

// A limit for people: "128 MiB", "512 KiB", "100 bytes".
std::string Bytes(uint64_t n) {
  if (n >= (1u << 20) && n % (1u << 20) == 0) return fmt::format("{} MiB", n >> 20);
  if (n >= (1u << 10) && n % (1u << 10) == 0) return fmt::format("{} KiB", n >> 10);
  return fmt::format("{} bytes", n);
}

// Over the limit of one file or of all files: the message names the limit.
std::unexpected<Error> TooLarge(bool one_file, const ZipLimits& limits, std::string_view name) {
  return Refused(
      one_file
          ? fmt::format("the zip entry '{}' unpacks to more than {}, the most one file of a bundle may have",
                        Shown(name), Bytes(limits.max_file_bytes))
          : fmt::format("the zip unpacks to more than {} in all (at '{}'), the most a bundle may have",
                        Bytes(limits.max_bytes), Shown(name)),
      "a bundle of one scan is far smaller; a larger archive is refused as a possible zip bomb");
}

// Why a path inside the archive may not be unpacked (empty: it may).
std::string BadPath(std::string_view name) {
  if (name.empty()) return "an entry without a name";
  if (name.front() == '/') return "an absolute path";
  if (name.size() >= 2 && name[1] == ':') return "a drive letter";
  for (unsigned char c : name) {
    if (c == '\\') return "a backslash";
    if (c < 0x20 || c == 0x7f) return "a control character";
  }
  std::string_view rest = name;
  if (rest.back() == '/') rest.remove_suffix(1);  // a folder entry
  size_t pos = 0;
  while (pos <= rest.size()) {
    size_t end = rest.find('/', pos);
    if (end == std::string_view::npos) end = rest.size();
    std::string_view seg = rest.substr(pos, end - pos);
    if (seg == "..") return "a '..' that leaves the folder";
    if (seg.empty() || seg == ".") return "an empty or '.' path segment";
    pos = end + 1;
  }
  return {};
}

}  // namespace

Result<std::vector<Upload>> ReadZip(std::string_view data, const ZipLimits& limits) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(data.data(), data.size(), 0, &err);
  if (src == nullptr) {
    zip_error_fini(&err);
    return MakeError(ErrorKind::kInternal, "cannot read the zip archive from memory");
  }
  zip_t* raw = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (raw == nullptr) {
    std::string why = zip_error_strerror(&err);
    zip_source_free(src);
    zip_error_fini(&err);
    return Refused("the upload is not a readable zip archive (" + why + ")",
                   "zip the bundle's folder, e.g. `cd evidence && zip -r ../bundle.zip .`");
  }
  zip_error_fini(&err);
  std::unique_ptr<zip_t, void (*)(zip_t*)> za(raw, [](zip_t* z) { zip_discard(z); });
  const zip_int64_t n = zip_get_num_entries(za.get(), 0);
  if (n < 0) return Refused("the zip archive's directory cannot be read");
  if (static_cast<uint64_t>(n) > limits.max_entries)
    return Refused(
        fmt::format("the zip holds {} entries, more than the {} a bundle may have", n, limits.max_entries));
  std::vector<Upload> out;
  std::set<std::string> seen;
  uint64_t total = 0;
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW, &st) != 0 ||
        !(st.valid & ZIP_STAT_NAME))
      return Refused(fmt::format("entry {} of the zip cannot be read", i + 1));
    const std::string name = st.name;
    if (std::string why = BadPath(name); !why.empty())
      return Refused(fmt::format("the zip entry '{}' has {}; a bundle's files stay inside its folder",
                                 Shown(name), why));
    zip_uint8_t opsys = 0;
    zip_uint32_t attrs = 0;
    if (zip_file_get_external_attributes(za.get(), static_cast<zip_uint64_t>(i), 0, &opsys, &attrs) == 0 &&
        opsys == ZIP_OPSYS_UNIX) {
      const mode_t mode = static_cast<mode_t>(attrs >> 16) & S_IFMT;
      if (mode == S_IFLNK)
        return Refused(
            fmt::format("the zip entry '{}' is a symbolic link; a bundle holds only files", Shown(name)));
      if (mode != 0 && mode != S_IFREG && mode != S_IFDIR)
        return Refused(fmt::format("the zip entry '{}' is not a regular file", Shown(name)));
    }
    if (name.back() == '/') continue;  // a folder
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
      return Refused(fmt::format("the zip entry '{}' is encrypted", Shown(name)), "zip without a password");
    if (!seen.insert(name).second) return Refused(fmt::format("the zip holds '{}' twice", Shown(name)));
    // What the header claims is checked first, what really comes out while inflating.
    if ((st.valid & ZIP_STAT_SIZE) && st.size > limits.max_file_bytes) return TooLarge(true, limits, name);
    if ((st.valid & ZIP_STAT_SIZE) && total + st.size > limits.max_bytes)
      return TooLarge(false, limits, name);
    zip_file_t* f = zip_fopen_index(za.get(), static_cast<zip_uint64_t>(i), 0);
    if (f == nullptr)
      return Refused(fmt::format("the zip entry '{}' cannot be opened ({})", Shown(name),
                                 zip_error_strerror(zip_get_error(za.get()))));
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> file(f, zip_fclose);
    Upload u;
    u.name = name;
    char buf[64 * 1024];
    for (;;) {
      zip_int64_t got = zip_fread(file.get(), buf, sizeof buf);
      if (got < 0)
        return Refused(fmt::format("the zip entry '{}' is damaged ({})", Shown(name),
                                   zip_error_strerror(zip_file_get_error(file.get()))));
      if (got == 0) break;
      total += static_cast<uint64_t>(got);
      if (u.content.size() + static_cast<uint64_t>(got) > limits.max_file_bytes)
        return TooLarge(true, limits, name);
      if (total > limits.max_bytes) return TooLarge(false, limits, name);
      u.content.append(buf, static_cast<size_t>(got));
    }
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace blindspot::admin
