// The readers' registry entries, one function per reader file
// (src/discover/<name>.cc), listed in registry.cc.
#pragma once
#include "blindspot/discovery.h"

namespace blindspot::discover {}  // namespace blindspot::discover
