// gen_register: writes a synthetic register of processing activities in the
// native YAML format, for the scale check in bench/register_scale.sh.
//
//   gen_register N OUT.yaml      N activities, N touchpoints, N/100+1 processors, N/100+1 systems
//
// Each activity has two purposes (one on legitimate interests without a
// legitimate interests assessment every tenth activity), data subjects and
// categories, a processor recipient, a transfer to the US (without a safeguard
// every twentieth), a retention rule (without a period every fiftieth), TOMs
// and a DPIA status. Each touchpoint names a kb product (cycling through
// common ones), a vendor, two activities and answers most questions (some
// left open), so every rule has findings to report, as a large real register
// would. Deterministic: the same N gives the same file.
#include <cstdio>
#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: gen_register N OUT.yaml\n");
    return 2;
  }
  long n = std::strtol(argv[1], nullptr, 10);
  if (n <= 0) {
    std::fprintf(stderr, "gen_register: N must be a positive number\n");
    return 2;
  }
  static const char* kProducts[] = {"meta-pixel",
                                    "google-analytics",
                                    "google-ads-remarketing",
                                    "hotjar",
                                    "linkedin-insight",
                                    "tiktok-pixel",
                                    "microsoft-clarity",
                                    "whatsapp-click-to-chat",
                                    "tidio",
                                    "callrail",
                                    "mailchimp",
                                    "youtube"};
  static const char* kChannels[] = {"advertising", "web-tracking", "advertising",  "web-tracking",
                                    "advertising", "advertising",  "web-tracking", "messaging",
                                    "chat",        "phone",        "email",        "video"};
  long processors = n / 100 + 1, systems = n / 100 + 1;
  std::string s;
  s.reserve(static_cast<size_t>(n) * 1600);
  s += "blindspot_register: 1\norganisation:\n  name: Schaal B.V.\n  country: NL\n  contact:\n"
       "    email: privacy@schaal.example\n  dpo:\n    name: F. Gegevens\n    email: fg@schaal.example\n";
  s += "activities:\n";
  for (long i = 0; i < n; ++i) {
    std::string id = "act-" + std::to_string(i);
    s += "  - id: " + id + "\n    name: Verwerking " + std::to_string(i) + "\n";
    s += "    description: Verwerking van klantgegevens voor doel " + std::to_string(i) + "\n";
    s += "    business_function: Marketing\n    owner: Afdeling " + std::to_string(i % 17) + "\n";
    s += "    purposes:\n      - description: Klantcontact\n        lawful_basis: contract\n";
    s += "      - description: Marketing\n        lawful_basis: " +
         std::string(i % 10 == 0 ? "legitimate_interests\n" : "consent\n");
    s += "    data_subjects: [customer, website visitor]\n";
    s += "    data_categories: [user.contact.email, user.name, user.device.cookie_id]\n";
    // The by-kind form of recipients, which earlier versions read too (a peer build can be
    // measured on the same file).
    s += "    recipients:\n      internal: [Klantenservice]\n      processors: [proc-" +
         std::to_string(i % processors) + "]\n";
    s += "    transfers:\n      - recipient: proc-" + std::to_string(i % processors) +
         "\n        country: US\n";
    if (i % 20 != 0) s += "        safeguard: data_privacy_framework\n";
    s += "    retention:\n      - data_category: \"*\"\n";
    if (i % 50 != 0) s += "        period: P2Y\n";
    s += "    toms:\n      measures: [access_control, encryption_at_rest]\n";
    s += "    systems: [sys-" + std::to_string(i % systems) + "]\n";
    s += "    dpia:\n      status: " + std::string(i % 7 == 0 ? "not_required" : "completed") + "\n";
  }
  s += "processors:\n";
  for (long i = 0; i < processors; ++i) {
    s += "  - id: proc-" + std::to_string(i) + "\n    name: Leverancier " + std::to_string(i) +
         "\n    country: " + (i % 3 == 0 ? "US" : "NL") +
         "\n    role: processor\n    agreement:\n      status: " + (i % 9 == 0 ? "pending" : "signed") + "\n";
    if (i % 3 == 0) s += "    transfer_safeguard: data_privacy_framework\n";
  }
  s += "systems:\n";
  for (long i = 0; i < systems; ++i)
    s += "  - id: sys-" + std::to_string(i) + "\n    name: Systeem " + std::to_string(i) +
         "\n    processor: proc-" + std::to_string(i % processors) + "\n";
  s += "touchpoints:\n";
  for (long i = 0; i < n; ++i) {
    size_t k = static_cast<size_t>(i) % (sizeof kProducts / sizeof *kProducts);
    s += "  - id: tp-" + std::to_string(i) + "\n    name: Touchpoint " + std::to_string(i) + "\n";
    s += "    channel: " + std::string(kChannels[k]) + "\n    product: " + kProducts[k] + "\n";
    s += "    vendor: proc-" + std::to_string(i % processors) + "\n";
    s += "    activities: [act-" + std::to_string(i) + ", act-" + std::to_string((i + 1) % n) + "]\n";
    s += "    answers:\n      in_use: true\n      stored_by_us: false\n      stored_by_vendor: true\n";
    if (i % 4 != 0) s += "      stored_by_vendor_details: EU, 13 maanden\n";
    s += "      informed:\n        statement: https://schaal.example/privacy\n";
    if (i % 3 != 0) s += "        section: Cookies\n";
    s += "      data_collected: [user.device.cookie_id]\n      lawful_basis: consent\n";
    s += "      necessity: Meten van campagnes\n";
    if (i % 5 != 0) s += "      subsidiarity: Geen minder ingrijpend alternatief\n";
    s += "      security_measures: [consent_management]\n";
  }
  FILE* f = std::fopen(argv[2], "wb");
  if (!f || std::fwrite(s.data(), 1, s.size(), f) != s.size() || std::fclose(f) != 0) {
    std::fprintf(stderr, "gen_register: cannot write %s\n", argv[2]);
    return 1;
  }
  std::printf("%ld activities, %ld touchpoints, %zu bytes\n", n, n, s.size());
  return 0;
}
