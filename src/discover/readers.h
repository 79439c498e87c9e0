// The readers' registry entries, one function per reader file
// (src/discover/<name>.cc), listed in registry.cc.
#pragma once
#include "blindspot/discovery.h"

namespace blindspot::discover {

DiscoveryReader DmarcReader();  // dmarc.cc: DMARC aggregate reports (XML, .gz, .zip, e-mail)

}  // namespace blindspot::discover
