// The match-filters use case and LoadFilterEngine, against files in a MemEnv.
#include <gtest/gtest.h>

#include "blindspot/app.h"

namespace blindspot {
namespace {

class MatchFiltersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    o_.env = &env_;
    env_.AddFile("/lists/a.txt", "||ads.example^\n@@||ads.example/ok.js\n||a.example^$bogus\n");
    env_.AddFile("/lists/b.txt", "||b.example^$third-party\n");
    r_.lists = {"/lists/a.txt", "/lists/b.txt"};
    r_.requests = "/requests.tsv";
  }
  MemEnv env_;
  app::Options o_;
  app::MatchFiltersRequest r_;
};

TEST_F(MatchFiltersTest, OneLinePerRequest) {
  env_.AddFile("/requests.tsv",
               "https://ads.example/x.js\thttps://s.example/\tscript\r\n"
               "\n"
               "https://ads.example/ok.js\thttps://s.example/\tscript\n"
               "https://b.example/p\t\timage\n"
               "https://b.example/p\thttps://www.b.example/\tsub_frame\n");
  auto out = app::MatchFilters(o_, r_);
  ASSERT_TRUE(out.has_value()) << out.error()[0].Format();
  EXPECT_EQ(out->output, "block\t||ads.example^\nallow\nblock\t||b.example^$third-party\nallow\n");
  EXPECT_EQ(out->requests, 4u);
  EXPECT_EQ(out->blocked, 2u);
  // The malformed list line is a note (a warning), not a failure.
  ASSERT_EQ(out->notes.size(), 1u);
  EXPECT_NE(out->notes[0].find("a.txt:3:1: warning: unknown option 'bogus'"), std::string::npos)
      << out->notes[0];
  EXPECT_EQ(out->engine->lists().size(), 2u);
  EXPECT_EQ(out->engine->lists()[0].name, "a.txt");
}

TEST_F(MatchFiltersTest, BadLinesFailWithFileLineAndWhatWasExpected) {
  env_.AddFile("/requests.tsv",
               "https://ads.example/x.js\thttps://s.example/\tscript\n"
               "https://ads.example/x.js\tscript\n"
               "https://ads.example/x.js\tnot-a-url\tscript\n"
               "https://ads.example/x.js\t\tjs\n");
  auto out = app::MatchFilters(o_, r_);
  ASSERT_FALSE(out.has_value());
  const Diagnostics& d = out.error();
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].where.file, "/requests.tsv");
  EXPECT_EQ(d[0].where.line, 2u);
  EXPECT_EQ(d[0].kind, ErrorKind::kParse);
  EXPECT_NE(d[0].expected.find("url<TAB>source_url<TAB>type"), std::string::npos);
  EXPECT_EQ(d[1].where.line, 3u);
  EXPECT_EQ(d[1].where.column, 26u);
  EXPECT_EQ(d[2].where.line, 4u);
  EXPECT_NE(d[2].message.find("unknown type 'js'"), std::string::npos);
  EXPECT_NE(d[2].expected.find("script"), std::string::npos);
  EXPECT_EQ(app::ExitCodeFor(d), app::kExitBadInput);
}

TEST_F(MatchFiltersTest, MissingFilesAreIoErrors) {
  env_.AddFile("/requests.tsv", "");
  r_.lists.push_back("/lists/missing.txt");
  auto out = app::MatchFilters(o_, r_);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error()[0].kind, ErrorKind::kIo);
  EXPECT_EQ(app::ExitCodeFor(out.error()), app::kExitIo);
  r_.lists.pop_back();
  r_.requests = "/missing.tsv";
  out = app::MatchFilters(o_, r_);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(app::ExitCodeFor(out.error()), app::kExitIo);
  env_.AddDirectory("/lists/dir");
  auto e = app::LoadFilterEngine(o_, {"/lists/dir"});
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().kind, ErrorKind::kIo);
}

TEST_F(MatchFiltersTest, BinaryListIsRefusedWithWhereItStopsBeingText) {
  env_.AddFile("/lists/bin.txt", std::string("||a.example^\n\x89PNG\0\0", 19));
  auto e = app::LoadFilterEngine(o_, {"/lists/bin.txt"});
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().kind, ErrorKind::kParse);
  EXPECT_NE(e.error().message.find("binary file"), std::string::npos) << e.error().Format();
  EXPECT_NE(e.error().Format().find("filter list"), std::string::npos) << e.error().Format();
}

TEST_F(MatchFiltersTest, LargeFilesAreReadInPiecesAcrossLineBreaks) {
  // More than one piece (1 MiB): lines cut by a piece boundary still count once.
  std::string text, want;
  for (int i = 0; i < 30000; ++i) {
    bool ad = i % 3 == 0;
    text += (ad ? "https://ads.example/" : "https://cdn.example/") + std::to_string(i) +
            "/a.js\thttps://s.example/\tscript\n";
    want += ad ? "block\t||ads.example^\n" : "allow\n";
  }
  text.pop_back();  // no final line break
  env_.AddFile("/requests.tsv", text);
  auto out = app::MatchFilters(o_, r_);
  ASSERT_TRUE(out.has_value()) << out.error()[0].Format();
  EXPECT_EQ(out->requests, 30000u);
  EXPECT_EQ(out->blocked, 10000u);
  EXPECT_EQ(out->output, want);
}

TEST_F(MatchFiltersTest, StatsNotes) {
  env_.AddFile("/requests.tsv", "https://ads.example/x.js\thttps://s.example/\tscript\n");
  r_.stats = true;
  o_.lang = "nl";
  auto out = app::MatchFilters(o_, r_);
  ASSERT_TRUE(out.has_value());
  ASSERT_GE(out->notes.size(), 3u);
  EXPECT_NE(out->notes[1].find("a.txt: 3 regels"), std::string::npos) << out->notes[1];
  EXPECT_NE(out->notes.back().find("1 verzoek: 1 geblokkeerd"), std::string::npos) << out->notes.back();
}

}  // namespace
}  // namespace blindspot
