// The `detect` text output: each signal once with its parameters, and an
// empty list of first-party domains said in words.
#include <gtest/gtest.h>

#include "blindspot/catalog.h"
#include "blindspot/report.h"
#include "blindspot/text_ids.h"

namespace blindspot {
namespace {

std::string DetectionText(const DetectionResult& d, const std::string& lang = "en") {
  OutputInput in;
  in.detection = &d;
  in.options.lang = lang;
  const OutputFormat* f = FindOutputFormat(OutputSubject::kDetection, "text");
  EXPECT_NE(f, nullptr);
  auto r = f->render(in);
  EXPECT_TRUE(r.has_value());
  return r ? *r : std::string();
}

TEST(DetectionText, EachSignalOnceWithItsParameters) {
  DetectionResult d;
  DetectedTouchpoint tp;
  tp.kb_id = "meta-pixel";
  tp.evidence_count = 13;
  // One hit per (signal, parameter), as the detector reports them, and a repeat.
  tp.signals.push_back({"advanced-matching", "ud[em]", "user.contact.email", "home.har", 1, ""});
  tp.signals.push_back({"advanced-matching", "ud[ph]", "user.contact.phone_number", "home.har", 2, ""});
  tp.signals.push_back({"enhanced-conversions", "em", "user.contact.email", "checkout.har", 3, ""});
  tp.signals.push_back({"advanced-matching", "ud[em]", "user.contact.email", "checkout.har", 4, ""});
  d.touchpoints.push_back(tp);
  std::string text = DetectionText(d);
  EXPECT_NE(text.find("  signals: advanced-matching (ud[em], ud[ph]), enhanced-conversions (em)\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("advanced-matching,advanced-matching"), std::string::npos) << text;
}

TEST(DetectionText, NoFirstPartyDomainsIsSaid) {
  DetectionResult d;  // a HAR without entries
  const TextCatalog& cat = TextCatalog::Builtin();
  for (const char* lang : {"en", "nl", "de"}) {
    std::string text = DetectionText(d, lang);
    std::string want = cat.Render(ui::first_party_domains, lang) + ": " + cat.Render(ui::none, lang) + "\n";
    EXPECT_NE(text.find(want), std::string::npos) << lang << "\n" << text;
  }
  EXPECT_NE(DetectionText(d).find("First-party domains: (none)\n"), std::string::npos);
}

}  // namespace
}  // namespace blindspot
