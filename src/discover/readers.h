// The readers' registry entries, one function per reader file
// (src/discover/<name>.cc), listed in registry.cc.
#pragma once
#include "blindspot/discovery.h"

namespace blindspot::discover {

// Ad-platform exports (airbyte_records.cc, meta_audiences.cc, google_ads_userlists.cc,
// platform_audiences.cc).
DiscoveryReader AirbyteRecordsReader();
DiscoveryReader MetaAudiencesReader();
DiscoveryReader GoogleAdsUserListsReader();
DiscoveryReader PlatformAudiencesReader();

}  // namespace blindspot::discover
