// The consent driver against a fake page that plays back the message sequence
// autoconsent 16.23 sends for a OneTrust banner (as recorded from Debian's
// chromium with tools/dev/consent_check.mjs, see docs/scan.md).
#include "scan/consent.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace blindspot::scan {
namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

// Records what the driver evaluates; the button probe gets `buttons`.
class FakePage : public PageScripting {
 public:
  struct Call {
    std::string expression;
    int context;
  };
  Result<Json> Evaluate(const std::string& expression, int context_id) override {
    calls.push_back({expression, context_id});
    if (fail_all) return MakeError(ErrorKind::kIo, "Cannot find context with specified id");
    if (expression.find("querySelectorAll") != std::string::npos)
      return expression.ends_with(")(null)") ? buttons : Json(true);  // list, or click
    if (expression == "EVAL_CODE") return Json(true);
    return Json();
  }
  // The messages sent to autoconsentReceiveMessage, parsed back.
  std::vector<Json> Sent() const {
    std::vector<Json> out;
    const std::string head = "window.autoconsentReceiveMessage(";
    for (const Call& c : calls) {
      std::size_t at = c.expression.find(head);
      if (at == std::string::npos) continue;
      std::string rest = c.expression.substr(at + head.size());
      rest = rest.substr(0, rest.rfind("))"));
      out.push_back(Json::parse(rest));
    }
    return out;
  }
  std::vector<std::string> SentTypes() const {
    std::vector<std::string> t;
    for (const Json& j : Sent()) t.push_back(j["type"].get<std::string>());
    return t;
  }
  Json buttons = Json::array({"Accept All Cookies", "Reject All", "Cookies Settings"});
  bool fail_all = false;
  std::vector<Call> calls;
};

struct FakeClock {
  Clock::time_point t = Clock::time_point{} + std::chrono::hours(1);
  ConsentOptions Options() {
    ConsentOptions o;
    o.now = [this] { return t; };
    return o;
  }
};

std::string Report(const char* lifecycle, bool main = true, const char* url = "https://shop.example.nl/") {
  return Json{{"type", "report"},
              {"instanceId", "abc"},
              {"url", url},
              {"mainFrame", main},
              {"state", {{"lifecycle", lifecycle}, {"prehideOn", false}, {"detectedCmps", Json::array()}}}}
      .dump();
}
const std::string kInit = R"({"type":"init","url":"https://shop.example.nl/"})";
const std::string kCmp = R"({"type":"cmpDetected","cmp":"Onetrust","url":"https://shop.example.nl/"})";
const std::string kPopup = R"({"type":"popupFound","cmp":"Onetrust","url":"https://shop.example.nl/"})";

// The start every page goes through: report(loading), init, reports.
void Start(ConsentDriver& d, FakePage& page, int ctx = 7) {
  d.OnBindingCalled(Report("loading"), ctx, page);
  d.OnBindingCalled(kInit, ctx, page);
  d.OnBindingCalled(Report("initialized"), ctx, page);
  d.OnBindingCalled(Report("started"), ctx, page);
}

TEST(ConsentTest, RejectOneTrustWithSelfTest) {
  FakePage page;
  FakeClock clock;
  ConsentDriver d(ConsentAction::kReject, clock.Options());
  Start(d, page);
  ASSERT_EQ(page.SentTypes(), std::vector<std::string>{"initResp"});
  EXPECT_EQ(page.calls[0].context, 7);
  d.OnBindingCalled(kCmp, 7, page);
  d.OnBindingCalled(Report("cmpDetected"), 7, page);
  EXPECT_FALSE(d.Finished());
  d.OnBindingCalled(kPopup, 7, page);
  // The buttons were listed before autoconsent was asked to reject.
  ASSERT_GE(page.calls.size(), 3u);
  EXPECT_NE(page.calls[1].expression.find("querySelectorAll"), std::string::npos);
  EXPECT_EQ(page.SentTypes(), (std::vector<std::string>{"initResp", "optOut"}));
  EXPECT_FALSE(d.Finished());
  d.OnBindingCalled(Report("openPopupDetected"), 7, page);
  d.OnBindingCalled(Report("runningOptOut"), 7, page);
  d.OnBindingCalled(
      R"({"type":"optOutResult","cmp":"Onetrust","result":true,"scheduleSelfTest":true,"url":"https://shop.example.nl/"})",
      7, page);
  EXPECT_FALSE(d.Finished());
  d.OnBindingCalled(
      R"({"type":"autoconsentDone","cmp":"Onetrust","isCosmetic":false,"url":"https://shop.example.nl/","duration":120,"totalClicks":1})",
      7, page);
  EXPECT_EQ(page.SentTypes(), (std::vector<std::string>{"initResp", "optOut", "selfTest"}));
  EXPECT_FALSE(d.Finished());
  d.OnBindingCalled(
      R"({"type":"selfTestResult","cmp":"Onetrust","result":true,"url":"https://shop.example.nl/"})", 7,
      page);
  EXPECT_TRUE(d.Finished());

  ConsentOutcome o = d.Outcome();
  EXPECT_EQ(o.action, ConsentAction::kReject);
  EXPECT_TRUE(o.banner_found);
  EXPECT_EQ(o.cmp, "Onetrust");
  EXPECT_EQ(o.cmps_detected, std::vector<std::string>{"Onetrust"});
  EXPECT_EQ(o.banner_url, "https://shop.example.nl/");
  ASSERT_EQ(o.first_layer_buttons.size(), 3u);
  EXPECT_EQ(o.first_layer_buttons[0].role, ButtonRole::kAccept);
  EXPECT_EQ(o.first_layer_buttons[1].role, ButtonRole::kReject);
  EXPECT_EQ(o.first_layer_buttons[2].role, ButtonRole::kSettings);
  EXPECT_TRUE(o.attempted);
  EXPECT_TRUE(o.succeeded);
  EXPECT_EQ(o.self_test, true);
  EXPECT_EQ(o.clicks, 1);
  EXPECT_FALSE(o.cosmetic);
  EXPECT_TRUE(o.error.empty());
  EXPECT_FALSE(o.log.empty());
}

TEST(ConsentTest, InitConfigPerAction) {
  for (ConsentAction a : {ConsentAction::kNone, ConsentAction::kReject, ConsentAction::kAccept}) {
    FakePage page;
    ConsentDriver d(a);
    Start(d, page);
    auto sent = page.Sent();
    ASSERT_EQ(sent.size(), 1u);
    const Json& c = sent[0]["config"];
    EXPECT_FALSE(sent[0].contains("rules"));  // the page script adds them
    EXPECT_TRUE(c["enabled"].get<bool>());
    EXPECT_TRUE(c["autoAction"].is_null());  // never clicks on its own
    EXPECT_FALSE(c["enablePrehide"].get<bool>());
    EXPECT_TRUE(c["isMainWorld"].get<bool>());
    EXPECT_EQ(c["enableCosmeticRules"].get<bool>(), a == ConsentAction::kNone);
    EXPECT_EQ(c["heuristicMode"], a == ConsentAction::kReject ? "reject" : "tier2");
  }
}

TEST(ConsentTest, DetectOnlyNeverClicks) {
  FakePage page;
  ConsentDriver d(ConsentAction::kNone);
  Start(d, page);
  d.OnBindingCalled(kCmp, 7, page);
  d.OnBindingCalled(kPopup, 7, page);
  EXPECT_TRUE(d.Finished());
  EXPECT_EQ(page.SentTypes(), std::vector<std::string>{"initResp"});
  ConsentOutcome o = d.Outcome();
  EXPECT_TRUE(o.banner_found);
  EXPECT_FALSE(o.attempted);
  EXPECT_EQ(o.first_layer_buttons.size(), 3u);
}

TEST(ConsentTest, NoBannerAfterRetries) {
  FakePage page;
  FakeClock clock;
  ConsentDriver d(ConsentAction::kReject, clock.Options());
  Start(d, page, 3);
  // An iframe is still looking.
  d.OnBindingCalled(Report("loading", false, "https://ads.example.com/f"), 9, page);
  d.OnBindingCalled(R"({"type":"init","url":"https://ads.example.com/f"})", 9, page);
  d.OnBindingCalled(Report("nothingDetected"), 3, page);
  EXPECT_FALSE(d.Finished());
  d.OnBindingCalled(Report("nothingDetected", false, "https://ads.example.com/f"), 9, page);
  EXPECT_TRUE(d.Finished());
  ConsentOutcome o = d.Outcome();
  EXPECT_FALSE(o.banner_found);
  EXPECT_FALSE(o.attempted);
  EXPECT_TRUE(o.error.empty());
  // Both contexts got their own initResp.
  ASSERT_EQ(page.calls.size(), 2u);
  EXPECT_EQ(page.calls[0].context, 3);
  EXPECT_EQ(page.calls[1].context, 9);
}

TEST(ConsentTest, FrameThatNeverAnswersTimesOut) {
  FakePage page;
  FakeClock clock;
  ConsentOptions opt = clock.Options();
  opt.detect_retries = 4;
  ConsentDriver d(ConsentAction::kNone, opt);
  Start(d, page, 3);
  d.OnBindingCalled(Report("loading", false), 9, page);  // a frame that goes away
  d.OnBindingCalled(Report("nothingDetected"), 3, page);
  EXPECT_FALSE(d.Finished());
  clock.t += opt.give_up_after + std::chrono::milliseconds(1);
  EXPECT_TRUE(d.Finished());
}

TEST(ConsentTest, CmpWithoutVisibleBannerSettles) {
  FakePage page;
  FakeClock clock;
  ConsentDriver d(ConsentAction::kAccept, clock.Options());
  Start(d, page);
  d.OnBindingCalled(kCmp, 7, page);
  d.OnBindingCalled(Report("cmpDetected"), 7, page);
  EXPECT_FALSE(d.Finished());
  clock.t += std::chrono::seconds(7);
  EXPECT_TRUE(d.Finished());
  ConsentOutcome o = d.Outcome();
  EXPECT_FALSE(o.banner_found);
  EXPECT_EQ(o.cmps_detected, std::vector<std::string>{"Onetrust"});
}

TEST(ConsentTest, AcceptThatFails) {
  FakePage page;
  ConsentDriver d(ConsentAction::kAccept);
  Start(d, page);
  d.OnBindingCalled(kCmp, 7, page);
  d.OnBindingCalled(kPopup, 7, page);
  EXPECT_EQ(page.SentTypes(), (std::vector<std::string>{"initResp", "optIn"}));
  d.OnBindingCalled(
      R"({"type":"optInResult","cmp":"Onetrust","result":false,"scheduleSelfTest":false,"url":"https://shop.example.nl/"})",
      7, page);
  EXPECT_TRUE(d.Finished());
  ConsentOutcome o = d.Outcome();
  EXPECT_TRUE(o.attempted);
  EXPECT_FALSE(o.succeeded);
  EXPECT_FALSE(o.self_test.has_value());
}

TEST(ConsentTest, BannerAgainAfterReloadIsRecorded) {
  FakePage page;
  ConsentDriver d(ConsentAction::kReject);
  Start(d, page);
  d.OnBindingCalled(kPopup, 7, page);
  d.OnBindingCalled(
      R"({"type":"optOutResult","cmp":"Onetrust","result":true,"scheduleSelfTest":false,"url":"https://shop.example.nl/"})",
      7, page);
  d.OnBindingCalled(R"({"type":"autoconsentDone","cmp":"Onetrust","isCosmetic":false,"totalClicks":1})", 7,
                    page);
  EXPECT_TRUE(d.Finished());
  // The page reloads (new context) and shows the banner again: no second click.
  Start(d, page, 8);
  d.OnBindingCalled(kPopup, 8, page);
  EXPECT_EQ(page.SentTypes(), (std::vector<std::string>{"initResp", "optOut", "initResp"}));
  EXPECT_TRUE(d.Outcome().banner_shown_again);
}

TEST(ConsentTest, AcceptOnAHeuristicBannerClicksTheAcceptButton) {
  FakePage page;
  page.buttons = Json::array({"Alle ablehnen", "Alle akzeptieren", "Einstellungen"});
  ConsentDriver d(ConsentAction::kAccept);
  Start(d, page);
  d.OnBindingCalled(R"({"type":"cmpDetected","cmp":"HEURISTIC-TIER2","url":"https://x.example.de/"})", 7,
                    page);
  d.OnBindingCalled(R"({"type":"popupFound","cmp":"HEURISTIC-TIER2","url":"https://x.example.de/"})", 7,
                    page);
  EXPECT_TRUE(d.Finished());
  EXPECT_EQ(page.SentTypes(), std::vector<std::string>{"initResp"});  // no optIn: autoconsent cannot
  ASSERT_EQ(page.calls.size(), 3u);
  EXPECT_TRUE(page.calls[2].expression.ends_with(")(\"Alle akzeptieren\")"))
      << page.calls[2].expression.substr(0, 40);
  EXPECT_TRUE(d.Outcome().attempted);
  EXPECT_TRUE(d.Outcome().succeeded);
}

TEST(ConsentTest, EvalRoundTrip) {
  FakePage page;
  ConsentDriver d(ConsentAction::kReject);
  Start(d, page);
  d.OnBindingCalled(R"({"type":"eval","id":"42abc","code":"EVAL_CODE","snippetId":"EVAL_ONETRUST_1"})", 7,
                    page);
  auto sent = page.Sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1], (Json{{"type", "evalResp"}, {"id", "42abc"}, {"result", true}}));
  EXPECT_EQ(page.calls[1].expression, "EVAL_CODE");
  EXPECT_EQ(page.calls[1].context, 7);
}

TEST(ConsentTest, PageGoneIsAnError) {
  FakePage page;
  page.fail_all = true;
  ConsentDriver d(ConsentAction::kReject);
  Start(d, page);
  EXPECT_TRUE(d.Finished());
  EXPECT_FALSE(d.Outcome().error.empty());
  // Garbage on the binding is ignored.
  ConsentDriver d2(ConsentAction::kNone);
  d2.OnBindingCalled("not json", 1, page);
  d2.OnBindingCalled("[1,2]", 1, page);
  EXPECT_FALSE(d2.Finished());
  EXPECT_FALSE(d2.Outcome().error.empty());  // no autoconsent message at all
}

TEST(ConsentTest, ClassifyButtons) {
  struct Case {
    const char* text;
    ButtonRole role;
  };
  const Case cases[] = {
      {"Alles accepteren", ButtonRole::kAccept},
      {"Accepteren", ButtonRole::kAccept},
      {"Akkoord", ButtonRole::kAccept},
      {"Weigeren", ButtonRole::kReject},
      {"Alles weigeren", ButtonRole::kReject},
      {"Alleen noodzakelijke cookies", ButtonRole::kReject},
      {"Cookie-instellingen", ButtonRole::kSettings},
      {"Voorkeuren beheren", ButtonRole::kSettings},
      {"Accept all", ButtonRole::kAccept},
      {"  ACCEPT ALL COOKIES ", ButtonRole::kAccept},
      {"Reject all", ButtonRole::kReject},
      {"Decline", ButtonRole::kReject},
      {"Necessary cookies only", ButtonRole::kReject},
      {"Accept necessary cookies", ButtonRole::kReject},
      {"Manage preferences", ButtonRole::kSettings},
      {"Cookies Settings", ButtonRole::kSettings},
      {"OK", ButtonRole::kAccept},
      {"Got it!", ButtonRole::kAccept},
      {"Alle akzeptieren", ButtonRole::kAccept},
      {"Alle ablehnen", ButtonRole::kReject},
      {"Nur notwendige Cookies", ButtonRole::kReject},
      {"Einstellungen", ButtonRole::kSettings},
      {"Nicht einverstanden", ButtonRole::kReject},
      {"Einverstanden", ButtonRole::kAccept},
      {"Tout accepter", ButtonRole::kAccept},
      {"Tout refuser", ButtonRole::kReject},
      {"Continuer sans accepter", ButtonRole::kReject},
      {"Personnaliser", ButtonRole::kSettings},
      {"Paramètres des cookies", ButtonRole::kSettings},
      {"Auswahl erlauben", ButtonRole::kOther},
      {"Privacyverklaring", ButtonRole::kOther},
      {"Cookies", ButtonRole::kOther},
      {"", ButtonRole::kOther},
  };
  for (const Case& c : cases) EXPECT_EQ(ToString(ClassifyButtonText(c.text)), ToString(c.role)) << c.text;
}

TEST(ConsentTest, PageScriptHasBundleRulesAndGlue) {
  std::string_view s = ConsentDriver::PageScript();
  EXPECT_GT(s.size(), 500000u);
  EXPECT_TRUE(s.starts_with("(function () {"));
  EXPECT_NE(s.find("\"use strict\""), std::string_view::npos);
  EXPECT_NE(s.find("window.autoconsentReceiveMessage = (message) =>"), std::string_view::npos);  // the bundle
  EXPECT_NE(s.find("{\"autoconsent\":[{\"name\":"), std::string_view::npos);                     // the rules
  EXPECT_NE(s.find("binding(JSON.stringify(message))"), std::string_view::npos);                 // the glue
  EXPECT_EQ(ConsentDriver::AutoconsentVersion(), "16.23.0");
  EXPECT_EQ(ConsentDriver::kBinding, "autoconsentSendMessage");
}

}  // namespace
}  // namespace blindspot::scan
