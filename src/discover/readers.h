// The readers' registry entries, one function per reader file
// (src/discover/<name>.cc), listed in registry.cc.
#pragma once
#include "blindspot/discovery.h"

namespace blindspot::discover {

// DNS (dns_octodns.cc, dns_zonefile.cc, dns_terraform.cc; shared rules in dns_records.h).
DiscoveryReader DnsOctodnsReader();
DiscoveryReader DnsZonefileReader();
DiscoveryReader DnsTerraformReader();
DiscoveryReader DmarcReader();         // dmarc.cc: DMARC aggregate reports (XML, .gz, .zip, e-mail)
DiscoveryReader GtmReader();           // gtm.cc: Google Tag Manager container export
DiscoveryReader CmpCookiebotReader();  // cmp_cookiebot.cc: Cookiebot cc.js declarations
DiscoveryReader CmpOnetrustReader();   // cmp_onetrust.cc: OneTrust domain data JSON
// Ad-platform exports (airbyte_records.cc, meta_audiences.cc, google_ads_userlists.cc,
// platform_audiences.cc).
DiscoveryReader AirbyteRecordsReader();
DiscoveryReader MetaAudiencesReader();
DiscoveryReader GoogleAdsUserListsReader();
DiscoveryReader PlatformAudiencesReader();

}  // namespace blindspot::discover
