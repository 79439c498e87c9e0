// The discovery readers: one line per reader (its file in this folder).
// Order matters only for ties of recognise(): more specific formats first.
#include "blindspot/discovery.h"
#include "discover/readers.h"

namespace blindspot {

const std::vector<DiscoveryReader>& AllDiscoveryReaders() {
  static const std::vector<DiscoveryReader> readers = {
      // clang-format off
      discover::DnsTerraformReader(),
      discover::DnsOctodnsReader(),
      discover::DnsZonefileReader(),
      discover::DmarcReader(),
      discover::GtmReader(),
      discover::CmpOnetrustReader(),
      discover::CmpCookiebotReader(),
      discover::AirbyteRecordsReader(),
      discover::MetaAudiencesReader(),
      discover::GoogleAdsUserListsReader(),
      discover::PlatformAudiencesReader(),
      // clang-format on
  };
  return readers;
}

const DiscoveryReader* FindDiscoveryReader(std::string_view name) {
  for (const DiscoveryReader& r : AllDiscoveryReaders())
    if (r.name == name) return &r;
  return nullptr;
}

const DiscoveryReader* RecogniseDiscovery(std::string_view bytes, std::string_view file_name) {
  const DiscoveryReader* best = nullptr;
  int best_score = 0;
  for (const DiscoveryReader& r : AllDiscoveryReaders()) {
    int score = r.recognise ? r.recognise(bytes, file_name) : 0;
    if (score > best_score) {
      best = &r;
      best_score = score;
    }
  }
  return best;
}

}  // namespace blindspot
