// The result of checking a bundle against its manifest (app::VerifyBundle reads the files).
#include <algorithm>

#include "blindspot/bundle.h"

namespace blindspot {

std::string_view ToString(FileState s) {
  switch (s) {
    case FileState::kOk:
      return "ok";
    case FileState::kChanged:
      return "changed";
    case FileState::kMissing:
      return "missing";
    case FileState::kExtra:
      return "extra";
  }
  return "ok";
}

size_t BundleCheck::Count(FileState s) const {
  return static_cast<size_t>(
      std::count_if(files.begin(), files.end(), [&](const FileCheck& f) { return f.state == s; }));
}

bool BundleCheck::intact() const { return Count(FileState::kOk) == files.size(); }

}  // namespace blindspot
