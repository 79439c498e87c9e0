// ParseScanObservations: a scan.json as the scanner writes it, an older one
// without the newer fields, and broken input (file:line:col and JSON path).
#include <gtest/gtest.h>

#include "blindspot/evidence.h"

namespace blindspot {
namespace {

constexpr const char* kGood = R"({
 "phase": "after-reject",
 "site": "example.nl",
 "consent": {
  "banner_found": true, "consent_manager": "Onetrust", "action": "reject", "result": "clicked",
  "first_layer_buttons": [{"text": "Alles weigeren", "role": "reject"},
                          {"text": "Alles accepteren", "role": "accept"}],
  "self_test": null, "clicks": 2, "banner_shown_again": true, "error": "", "log": ["x"]
 },
 "pages": [{"index": 1, "url": "https://www.example.nl/", "forms": [],
            "cookie_declaration": [["_ga", "Google", "Statistics", "2 years"]]},
           {"index": 2, "url": "https://www.example.nl/b"}],
 "cookies": [{"name": "_fbp", "domain": ".example.nl", "path": "/", "session": false,
              "third_party": false, "set_by": "script", "first_page": 1,
              "expires": "2027-03-02T10:00:03.000Z", "lifetime_days": 90},
             {"name": "sid", "domain": "www.example.nl", "session": true, "set_by": "http", "first_page": 2}],
 "blocked_cookies": [],
 "cmp_declaration": {"consent_manager": "OneTrust", "source": "https://cdn.cookielaw.org/x.json",
   "categories": [{"id": "C0001", "name": "Strikt noodzakelijke cookies", "status": "always active",
                   "cookies": [{"name": "OptanonConsent", "host": "example.nl", "lifetime": "365 dagen",
                                "party": "first"},
                               {"name": "_hj*", "host": "example.nl", "lifetime": "1 dag", "party": "first"}]}]}
}
)";

TEST(ScanObservations, ReadsWhatTheScannerWrites) {
  auto r = ParseScanObservations(kGood, "after-reject/scan.json");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->phase, ConsentPhase::kAfterReject);
  EXPECT_EQ(r->file, "after-reject/scan.json");
  const ScanConsent& c = r->consent;
  EXPECT_TRUE(c.recorded);
  EXPECT_TRUE(c.banner_found);
  EXPECT_EQ(c.consent_manager, "Onetrust");
  EXPECT_EQ(c.action, "reject");
  EXPECT_EQ(c.result, "clicked");
  ASSERT_EQ(c.first_layer_buttons.size(), 2u);
  EXPECT_EQ(c.first_layer_buttons[0].text, "Alles weigeren");
  EXPECT_EQ(c.first_layer_buttons[0].role, "reject");
  EXPECT_TRUE(c.HasRole("accept"));
  EXPECT_FALSE(c.HasRole("settings"));
  EXPECT_FALSE(c.self_test.has_value());  // null: no stored choice checked
  EXPECT_EQ(c.clicks, 2);
  EXPECT_EQ(c.shown_again, true);

  ASSERT_EQ(r->cookies.size(), 2u);
  EXPECT_EQ(r->cookies[0].name, "_fbp");
  EXPECT_EQ(r->cookies[0].domain, ".example.nl");
  EXPECT_EQ(r->cookies[0].set_by, "script");
  EXPECT_EQ(r->cookies[0].lifetime_days, 90);
  EXPECT_EQ(r->cookies[0].first_page, 1u);
  EXPECT_TRUE(r->cookies[1].session);
  EXPECT_FALSE(r->cookies[1].lifetime_days.has_value());
  EXPECT_EQ(r->cookies[1].first_page, 2u);

  EXPECT_TRUE(r->has_cmp_declaration);
  EXPECT_EQ(r->cmp_declaration_manager, "OneTrust");
  ASSERT_EQ(r->cmp_categories.size(), 1u);
  EXPECT_EQ(r->cmp_categories[0].id, "C0001");
  EXPECT_EQ(r->cmp_categories[0].status, "always active");
  ASSERT_EQ(r->cmp_categories[0].cookies.size(), 2u);
  EXPECT_EQ(r->cmp_categories[0].cookies[0].lifetime, "365 dagen");

  ASSERT_EQ(r->page_declarations.size(), 1u);
  EXPECT_EQ(r->page_declarations[0].page, 1u);
  EXPECT_EQ(r->page_declarations[0].cells,
            (std::vector<std::string>{"_ga", "Google", "Statistics", "2 years"}));

  // Declared: by the consent manager's list (exact and prefix) and by a page's table.
  EXPECT_TRUE(r->Declares("OptanonConsent"));
  EXPECT_TRUE(r->Declares("_hjSession_1"));
  EXPECT_TRUE(r->Declares("_ga"));
  EXPECT_FALSE(r->Declares("_fbp"));
  EXPECT_FALSE(r->Declares("_gid"));
}

TEST(ScanObservations, OlderScansWithoutNewFieldsLoad) {
  // Phase 1 of an older scan: no clicks, no banner_shown_again, no declaration, no cookies.
  auto r = ParseScanObservations(
      R"({"phase": "before-consent", "consent": {"banner_found": false, "consent_manager": "",
          "action": "none", "result": "no-banner", "first_layer_buttons": [], "self_test": null},
          "pages": [{"index": 1, "url": "https://a.nl/"}], "cmp_declaration": null})",
      "scan.json");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->phase, ConsentPhase::kBeforeConsent);
  EXPECT_FALSE(r->consent.banner_found);
  EXPECT_FALSE(r->consent.clicks.has_value());
  EXPECT_FALSE(r->consent.shown_again.has_value());
  EXPECT_TRUE(r->cookies.empty());
  EXPECT_FALSE(r->has_cmp_declaration);
  EXPECT_TRUE(r->page_declarations.empty());

  // A consent step that did not run, and an empty object.
  auto n = ParseScanObservations(R"({"phase": "after-accept", "consent": {"result": "not-run"}})", "s.json");
  ASSERT_TRUE(n.has_value());
  EXPECT_TRUE(n->consent.recorded);
  EXPECT_FALSE(n->consent.has_buttons);
  auto e = ParseScanObservations("{}", "s.json");
  ASSERT_TRUE(e.has_value());
  EXPECT_FALSE(e->consent.recorded);
  EXPECT_EQ(e->phase, ConsentPhase::kUnknown);
}

TEST(ScanObservations, ReadsTheBannersTogglesBoxAndConsentString) {
  auto r = ParseScanObservations(R"({"phase": "before-consent",
   "consent": {"banner_found": true, "action": "none", "result": "not-attempted",
    "second_layer": [{"category": "Noodzakelijk", "key": "c1", "kind": "category", "checked": true, "disabled": true},
                     {"category": "Marketing", "key": "c4", "kind": "category", "checked": true, "disabled": false},
                     {"category": "Google", "key": "v755", "checked": true}],
    "second_layer_page": 1,
    "banner": {"page": 1, "viewport_share": 0.95, "scroll_locked": true, "inert": false,
               "paywall_terms": ["abonneer", "€ 4,99"]},
    "tcf": {"tc_string": "CQ", "from": "cookie", "page": 3}},
   "pages": [{"index": 1, "url": "https://a.nl/", "third_party_hosts": []},
             {"index": 2, "url": "https://a.nl/b", "third_party_hosts": ["www.google-analytics.com"],
              "tc_string": "CQx"},
             {"index": 3, "url": "https://a.nl/c", "error": "timeout"}]})",
                                 "before-consent/scan.json");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  const ScanConsent& c = r->consent;
  EXPECT_TRUE(c.has_second_layer);
  ASSERT_EQ(c.second_layer.size(), 3u);
  EXPECT_EQ(c.second_layer[0].category, "Noodzakelijk");
  EXPECT_TRUE(c.second_layer[0].disabled);
  EXPECT_TRUE(c.second_layer[1].checked);
  EXPECT_FALSE(c.second_layer[1].disabled);
  EXPECT_EQ(c.second_layer[2].kind, "category");  // absent kind: a category
  EXPECT_TRUE(c.banner.recorded);
  EXPECT_EQ(c.banner.page, 1u);
  EXPECT_DOUBLE_EQ(c.banner.viewport_share, 0.95);
  EXPECT_TRUE(c.banner.scroll_locked);
  EXPECT_FALSE(c.banner.inert);
  EXPECT_EQ(c.banner.paywall_terms, (std::vector<std::string>{"abonneer", "€ 4,99"}));
  EXPECT_EQ(c.tc_string, "CQ");
  EXPECT_EQ(c.tc_from, "cookie");
  ASSERT_EQ(r->pages.size(), 3u);
  EXPECT_TRUE(r->pages[0].has_hosts);
  EXPECT_TRUE(r->pages[0].third_party_hosts.empty());
  EXPECT_EQ(r->pages[1].third_party_hosts, (std::vector<std::string>{"www.google-analytics.com"}));
  EXPECT_EQ(r->pages[1].tc_string, "CQx");
  EXPECT_TRUE(r->pages[2].failed);
  EXPECT_FALSE(r->pages[2].has_hosts);

  // An older scan: none of it recorded.
  auto o = ParseScanObservations(R"({"phase": "before-consent", "consent": {"result": "not-attempted"},
                                     "pages": [{"index": 1, "url": "https://a.nl/"}]})",
                                 "s.json");
  ASSERT_TRUE(o.has_value());
  EXPECT_FALSE(o->consent.has_second_layer);
  EXPECT_FALSE(o->consent.banner.recorded);
  EXPECT_TRUE(o->consent.tc_string.empty());
  EXPECT_FALSE(o->pages[0].has_hosts);
}

struct Bad {
  const char* name;
  const char* json;
  ErrorKind kind;
  uint32_t line, column;
  const char* message_has;
};

TEST(ScanObservations, BadInputIsAnErrorWithLineAndColumn) {
  const Bad cases[] = {
      {"not JSON", "{\n \"phase\": \"x\",\n \"consent\": {,}\n}", ErrorKind::kParse, 0, 0, "not valid JSON"},
      {"cut off", "{\n \"phase\": \"before-consent\",\n \"cookies\": [", ErrorKind::kParse, 0, 0,
       "not valid JSON"},
      {"empty", "  \n", ErrorKind::kParse, 1, 1, "empty file"},
      {"top level array", "\n [1]", ErrorKind::kSchema, 2, 2, "expected an object at the top level"},
      {"wrong type", "{\n \"phase\": \"after-reject\",\n \"consent\": {\"banner_found\": \"yes\"}\n}",
       ErrorKind::kSchema, 3, 30, "consent.banner_found: expected true or false, found a string"},
      {"button not an object", "{\"consent\": {\"first_layer_buttons\": [\n  {\"text\": \"a\"}, 7]}}",
       ErrorKind::kSchema, 2, 18, "consent.first_layer_buttons[1]: expected an object, found a number"},
      {"negative lifetime",
       "{\"cookies\": [\n {\"name\": \"a\"},\n {\"name\": \"b\", \"lifetime_days\": -3}]}",
       ErrorKind::kSchema, 3, 33, "cookies[1].lifetime_days: expected a whole number >= 0"},
      {"declaration row", "{\"pages\": [{\"index\": 1, \"cookie_declaration\": [[\"_ga\", 2]]}]}",
       ErrorKind::kSchema, 1, 56, "pages[0].cookie_declaration[0][1]: expected a string, found a number"},
      {"category cookies", "{\"cmp_declaration\": {\"categories\": [{\"cookies\": {}}]}}", ErrorKind::kSchema,
       1, 49, "cmp_declaration.categories[0].cookies: expected an array, found an object"},
      {"toggle checked",
       "{\"consent\": {\"second_layer\": [\n {\"category\": \"a\", \"checked\": \"yes\"}]}}",
       ErrorKind::kSchema, 2, 31, "consent.second_layer[0].checked: expected true or false, found a string"},
      {"banner share", "{\"consent\": {\"banner\": {\"viewport_share\": 1.5}}}", ErrorKind::kSchema, 1, 43,
       "consent.banner.viewport_share: expected a number from 0 to 1"},
      {"tcf string", "{\"consent\": {\"tcf\": {\"tc_string\": 7}}}", ErrorKind::kSchema, 1, 35,
       "consent.tcf.tc_string: expected a string, found a number"},
      {"page hosts", "{\"pages\": [{\"index\": 1, \"third_party_hosts\": [\"a\", null]}]}",
       ErrorKind::kSchema, 1, 52, "pages[0].third_party_hosts[1]: expected a string, found null"},
      {"after the object", "{\"phase\": \"after-accept\"}\n{}", ErrorKind::kParse, 2, 1,
       "content after the JSON object"},
  };
  for (const Bad& b : cases) {
    SCOPED_TRACE(b.name);
    auto r = ParseScanObservations(b.json, "ev/after-reject/scan.json");
    ASSERT_FALSE(r.has_value());
    const Error& e = r.error();
    EXPECT_EQ(e.kind, b.kind);
    EXPECT_EQ(e.where.file, "ev/after-reject/scan.json");
    EXPECT_NE(e.message.find(b.message_has), std::string::npos) << e.message;
    EXPECT_GE(e.where.line, 1u);
    EXPECT_GE(e.where.column, 1u);
    if (b.line != 0) {
      EXPECT_EQ(e.where.line, b.line) << e.Format();
      EXPECT_EQ(e.where.column, b.column) << e.Format();
    }
    // "file:line:col: error: ..."
    EXPECT_EQ(e.Format().rfind("ev/after-reject/scan.json:" + std::to_string(e.where.line) + ":", 0), 0u)
        << e.Format();
  }
}

}  // namespace
}  // namespace blindspot
