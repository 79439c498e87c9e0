// The "dmarc" reader: the 15 real reports of ../shared/realdata/dmarc (read
// in place; the expected values are those written by hand in the issue 11
// plan, §7.6, before the reader existed), and synthetic inputs made here for
// the wrappers and the failure cases.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zip.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "blindspot/discovery.h"
#include "blindspot_testing/realdata.h"
#include "discover/discover_test_util.h"
#include "discover/readers.h"

namespace blindspot {
namespace {

using discover::testing::Slurp;

using ::testing::HasSubstr;

const std::string kDir = std::string(BLINDSPOT_REALDATA_DIR) + "/dmarc/";

Result<DiscoveryReport> Read(std::string_view bytes, const std::string& name = "report.xml") {
  return discover::DmarcReader().read(bytes, name, DiscoveryOptions{});
}

int Score(std::string_view bytes, std::string_view name = "") {
  return discover::DmarcReader().recognise(bytes, name);
}

// Everything a report says, as one string: what must not leak is searched in
// it. Without `locations`, the places (which name the report's file, whose
// name starts with the receiver's domain) are left out.
std::string Dump(const DiscoveryReport& r, bool locations = true) {
  std::string s = r.reader + "|" + r.subject + "|" + r.first_date + "|" + r.last_date + "\n";
  for (const Observation& o : r.observations) {
    s += std::string(ToString(o.kind)) + "|" + o.key + "|" + o.subject + "|" + o.detail + "|" +
         (locations ? o.location : "") + "|";
    for (const auto& [k, v] : o.attrs) s += k + "=" + v + ";";
    for (const auto& u : o.urls) s += u + ";";
    s += "\n";
  }
  for (const Error& w : r.warnings) s += (locations ? w.Format() : w.message) + "\n";
  return s;
}

uint64_t Messages(const DiscoveryReport& r) {
  uint64_t n = 0;
  for (const Observation& o : r.observations) n += o.count;
  return n;
}

uint64_t Rows(const DiscoveryReport& r) {
  uint64_t n = 0;
  for (const Observation& o : r.observations) n += std::stoull(std::string(o.Attr("rows")));
  return n;
}

std::string Gzip(std::string_view data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&zs, data.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// A zip archive made in memory with libzip.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& members) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* buf = zip_source_buffer_create(nullptr, 0, 0, &err);
  zip_source_keep(buf);
  zip_t* za = zip_open_from_source(buf, ZIP_TRUNCATE, &err);
  EXPECT_NE(za, nullptr);
  for (const auto& [name, content] : members) {
    zip_source_t* s = zip_source_buffer(za, content.data(), content.size(), 0);
    EXPECT_GE(zip_file_add(za, name.c_str(), s, ZIP_FL_OVERWRITE), 0);
  }
  EXPECT_EQ(zip_close(za), 0);
  EXPECT_EQ(zip_source_open(buf), 0);
  std::string out;
  char chunk[4096];
  zip_int64_t got;
  while ((got = zip_source_read(buf, chunk, sizeof chunk)) > 0) out.append(chunk, static_cast<size_t>(got));
  zip_source_close(buf);
  zip_source_free(buf);
  zip_error_fini(&err);
  return out;
}

// ------------------------------------------------------------- real reports

struct Expected {
  const char* file;
  const char* reporter;
  const char* domain;
  const char* first;
  const char* last;
  size_t observations;
  uint64_t rows;
  uint64_t messages;
  const char* key;       // of the first observation
  const char* selector;  // of the first observation
  const char* disposition;
  const char* warning;  // a warning that must be there ("" = none at all)
};

const Expected kReal[] = {
    {"dmarcviewer_aol.xml", "AOL", "website.com", "2017-09-07", "2017-09-08", 1, 1, 1, "website.com", "",
     "none", ""},
    {"dmarcviewer_gmx.net.xml", "GMX", "myserver.com", "2024-12-03", "2024-12-03", 1, 1, 1, "myserver.com",
     "abc123", "none", ""},
    {"dmarcviewer_google.xml", "google.com", "foo-bar.io", "2024-03-06", "2024-03-06", 1, 1, 1, "foo-bar.io",
     "krs", "none", ""},
    {"dmarcviewer_mail.ru.xml", "Mail.Ru", "foobar.de", "2024-07-18", "2024-07-19", 1, 1, 1, "foobar.de", "",
     "reject", ""},
    // Two rows that differ only in source-IP-free, envelope_to-free detail: merged.
    {"dmarcviewer_outlook.xml", "Outlook.com", "random.net", "2024-03-06", "2024-03-07", 1, 2, 3,
     "random.net", "def", "none", ""},
    {"dmarcviewer_web.de.xml", "WEB.DE", "foobar.com", "2024-08-05", "2024-08-05", 1, 1, 1, "foobar.com",
     "sel123", "none", ""},
    {"dmarcviewer_yahoo.xml", "Yahoo", "random.org", "2024-03-04", "2024-03-04", 1, 1, 1, "random.org", "abc",
     "none", ""},
    {"parsedmarc_estadocuenta1.infonacot.gob.mx_example.com_2940.xml.zip", "XYZ Corporation", "example.com",
     "2018-09-13", "2018-09-14", 1, 1, 1, "example.com", "", "none", ""},
    {"parsedmarc_fastmail.com_example.com_102675056.xml.gz", "FastMail Pty Ltd", "indemed.com", "2018-01-16",
     "2018-01-16", 1, 1, 1, "example.com", "", "none", "outside the policy domain 'indemed.com'"},
    {"parsedmarc_google.com_borschow.com_949348866075514174.eml", "google.com", "borschow.com", "2019-02-12",
     "2019-02-12", 1, 1, 1, "borschow.com", "", "reject", ""},
    {"parsedmarc_ikea.com_example.de_1538690400_1538776800.xml", "ikea.com", "example.de", "2018-10-04",
     "2018-10-05", 1, 1, 1, "example.de", "", "none", "before <feedback> were skipped"},
    {"parsedmarc_large-example.com_1711897200.xml", "", "example.com", "2024-03-31", "2024-04-01", 0, 2286,
     2286, "example.com", "", "none", ""},
    {"parsedmarc_mimecast-weird-gzip.eml", "Mimecast", "ab.id.au", "2023-08-30", "2023-08-30", 1, 1, 1,
     "ab.id.au", "selector1", "none", "2 byte(s) after the end of the gzip stream ignored"},
    {"parsedmarc_protection.outlook.com_example.com_1711756800.xml", "Outlook.com", "example.com",
     "2024-03-30", "2024-03-31", 1, 1, 1, "example.com", "", "none", ""},
    {"parsedmarc_twilight.eml", "google.com", "twlnet.com", "2019-02-10", "2019-02-10", 1, 1, 1, "twlnet.com",
     "201810", "none", ""},
};

TEST(DmarcReal, EveryFileAsPlanned) {
  BLINDSPOT_REQUIRE_REALDATA();
  for (const Expected& e : kReal) {
    SCOPED_TRACE(e.file);
    const std::string bytes = Slurp(kDir + e.file);
    ASSERT_FALSE(bytes.empty());
    const DiscoveryReader* r = RecogniseDiscovery(bytes, e.file);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->name, "dmarc");
    auto rep = Read(bytes, e.file);
    ASSERT_TRUE(rep.has_value()) << rep.error().Format();
    EXPECT_EQ(rep->reader, "dmarc");
    EXPECT_EQ(rep->subject, e.domain);
    EXPECT_EQ(rep->first_date, e.first);
    EXPECT_EQ(rep->last_date, e.last);
    if (e.observations > 0) {
      EXPECT_EQ(rep->observations.size(), e.observations);
    }
    EXPECT_EQ(Rows(*rep), e.rows);
    EXPECT_EQ(Messages(*rep), e.messages);
    ASSERT_FALSE(rep->observations.empty());
    const Observation& o = rep->observations.front();
    EXPECT_EQ(o.kind, ObservationKind::kMailSent);
    EXPECT_EQ(o.proof, Proof::kSendingNow);
    EXPECT_EQ(o.key, e.key);
    EXPECT_EQ(o.Attr("dkim_selector"), e.selector);
    EXPECT_EQ(o.Attr("disposition"), e.disposition);
    EXPECT_EQ(o.Attr("reporter"), e.reporter);
    EXPECT_EQ(o.Attr("policy_domain"), e.domain);
    EXPECT_EQ(o.first_date, e.first);
    EXPECT_EQ(o.last_date, e.last);
    EXPECT_THAT(o.location, HasSubstr("record 1 (line "));
    if (std::string(e.warning).empty()) {
      for (const Error& w : rep->warnings) ADD_FAILURE() << "unexpected warning: " << w.Format();
    } else {
      bool found = false;
      for (const Error& w : rep->warnings) {
        EXPECT_TRUE(w.warning);
        if (w.message.find(e.warning) != std::string::npos) found = true;
      }
      EXPECT_TRUE(found) << "no warning saying '" << e.warning << "' in\n" << Dump(*rep);
    }
  }
}

// What the plan says about particular files beyond the table.
TEST(DmarcReal, ValuesOfParticularFiles) {
  BLINDSPOT_REQUIRE_REALDATA();
  {  // AOL: policy reject, aligned pass, no selector.
    auto r = Read(Slurp(kDir + "dmarcviewer_aol.xml"), "dmarcviewer_aol.xml");
    ASSERT_TRUE(r.has_value());
    const Observation& o = r->observations[0];
    EXPECT_EQ(o.Attr("policy"), "reject");
    EXPECT_EQ(o.Attr("dkim_domain"), "website.com");
    EXPECT_EQ(o.Attr("dkim_result"), "pass");
    EXPECT_EQ(o.Attr("spf_result"), "pass");
    EXPECT_EQ(o.Attr("report_id"), "website.com_1504828800");
    EXPECT_EQ(o.subject, "website.com");
    EXPECT_EQ(o.location, "record 1 (line 21)");
  }
  {  // Mail.ru: no DKIM at all, SPF softfail, rejected.
    auto r = Read(Slurp(kDir + "dmarcviewer_mail.ru.xml"), "dmarcviewer_mail.ru.xml");
    ASSERT_TRUE(r.has_value());
    const Observation& o = r->observations[0];
    EXPECT_EQ(o.Attr("dkim_domain"), "");
    EXPECT_EQ(o.Attr("dkim_result"), "");
    EXPECT_EQ(o.Attr("spf_domain"), "foobar.de");
    EXPECT_EQ(o.Attr("spf_result"), "softfail");
    EXPECT_EQ(o.Attr("dmarc_dkim"), "fail");
    EXPECT_EQ(o.Attr("dmarc_spf"), "fail");
  }
  {  // IKEA: the reporter's verdicts as given (DKIM pass, evaluated fail), SPF helo domain.
    auto r = Read(Slurp(kDir + "parsedmarc_ikea.com_example.de_1538690400_1538776800.xml"), "ikea.xml");
    ASSERT_TRUE(r.has_value());
    const Observation& o = r->observations[0];
    EXPECT_EQ(o.Attr("dkim_result"), "pass");
    EXPECT_EQ(o.Attr("dmarc_dkim"), "fail");
    EXPECT_EQ(o.Attr("spf_domain"), "mailrelay.com");
    EXPECT_EQ(o.Attr("spf_result"), "none");
    EXPECT_EQ(o.Attr("policy"), "none");
    ASSERT_EQ(r->warnings.size(), 1u);
    EXPECT_EQ(r->warnings[0].where.line, 2u);  // <feedback> starts line 2
    EXPECT_TRUE(r->warnings[0].where.has_offset);
    EXPECT_EQ(r->warnings[0].where.offset, 127u);
  }
  {  // Fastmail: header_from example.com under policy domain indemed.com.
    auto r = Read(Slurp(kDir + "parsedmarc_fastmail.com_example.com_102675056.xml.gz"), "fastmail.xml.gz");
    ASSERT_TRUE(r.has_value());
    const Observation& o = r->observations[0];
    EXPECT_EQ(o.subject, "example.com");
    EXPECT_EQ(o.Attr("header_from"), "example.com");
    EXPECT_EQ(o.Attr("spf_result"), "softfail");
    // The label names the gzip's original file name.
    EXPECT_THAT(o.location, HasSubstr("fastmail.com!example.com!1516060800!1516147199!102675056.xml"));
  }
  {  // Protection.outlook: SPF fail, no DKIM.
    auto r = Read(Slurp(kDir + "parsedmarc_protection.outlook.com_example.com_1711756800.xml"), "p.xml");
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->observations[0].Attr("spf_result"), "fail");
    EXPECT_EQ(r->observations[0].Attr("dkim_domain"), "");
  }
  {  // Mimecast: the 2 bytes after the gzip are a warning at their offset.
    auto r = Read(Slurp(kDir + "parsedmarc_mimecast-weird-gzip.eml"), "m.eml");
    ASSERT_TRUE(r.has_value());
    ASSERT_EQ(r->warnings.size(), 1u);
    EXPECT_TRUE(r->warnings[0].where.has_offset);
    EXPECT_GT(r->warnings[0].where.offset, 100u);
    EXPECT_THAT(r->warnings[0].where.file, HasSubstr("attachment mimecast.org!ab.id.au!1693353600"));
  }
}

// No envelope_to, source IP or e-mail address of the reports reaches the
// observations or the warnings' messages.
TEST(DmarcReal, NoPersonalDataOrRecipientDomains) {
  BLINDSPOT_REQUIRE_REALDATA();
  const std::vector<std::string> never = {
      "live.de",       "outlook.de",     "hotmail.com",     "fastmail.fm", "estadocuenta1.infonacot.gob.mx",
      "1.2.3.4",       "100.24.188.149", "125.125.125.125", "12.20.121.1", "@",
      "dmarc.reports", "postmaster",     "noreply"};
  for (const Expected& e : kReal) {
    SCOPED_TRACE(e.file);
    auto r = Read(Slurp(kDir + e.file), "input");
    ASSERT_TRUE(r.has_value());
    const std::string all = Dump(*r, false);
    for (const std::string& s : never) EXPECT_EQ(all.find(s), std::string::npos) << s << " in\n" << all;
  }
}

TEST(DmarcReal, LargeReportReadsFast) {
  BLINDSPOT_REQUIRE_REALDATA();
  const std::string bytes = Slurp(kDir + "parsedmarc_large-example.com_1711897200.xml");
  ASSERT_EQ(bytes.size(), 909324u);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = Read(bytes, "large.xml");
  const auto ms =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count() /
      1000.0;
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  std::cout << "[ timing ] 2,286-record report read in " << ms << " ms into " << r->observations.size()
            << " observations\n";
  RecordProperty("read_ms", std::to_string(ms));
  EXPECT_LT(ms, 2000.0);
  EXPECT_EQ(Rows(*r), 2286u);
  EXPECT_EQ(Messages(*r), 2286u);
  for (const Observation& o : r->observations) {
    EXPECT_EQ(o.key, "example.com");  // no DKIM, empty SPF domain: the header_from domain
    EXPECT_EQ(o.Attr("spf_domain"), "");
    EXPECT_EQ(o.Attr("spf_result"), "none");
    EXPECT_EQ(o.Attr("reporter"), "");
  }
  // The last record is found where it is.
  EXPECT_EQ(r->observations.size() < 2286, true);
}

// Every real file cut short or with a byte changed is read or refused with an
// error, never anything else (run under the sanitizers in CI).
TEST(DmarcReal, DamagedFilesAreReadOrRefused) {
  BLINDSPOT_REQUIRE_REALDATA();
  size_t errors = 0, reads = 0;
  for (const Expected& e : kReal) {
    const std::string bytes = Slurp(kDir + e.file);
    if (bytes.size() > 100000) continue;
    for (size_t cut = 0; cut < bytes.size(); cut += 13) {
      auto r = Read(std::string_view(bytes).substr(0, cut), e.file);
      if (r.has_value()) {
        ++reads;
      } else {
        ++errors;
        EXPECT_FALSE(r.error().message.empty());
        EXPECT_FALSE(r.error().where.file.empty());
      }
    }
    std::string flipped = bytes;
    for (size_t at = 0; at < bytes.size(); at += 29) {
      flipped[at] = static_cast<char>(flipped[at] ^ 0x55);
      auto r = Read(flipped, e.file);
      if (!r.has_value()) {
        EXPECT_FALSE(r.error().message.empty());
      }
      flipped[at] = bytes[at];
    }
  }
  EXPECT_GT(errors, 1000u);
  EXPECT_GT(reads, 10u);  // cuts inside a mail's trailing headers or after </feedback>
}

// ---------------------------------------------------------------- synthetic

// Synthetic (made for this test; shape per RFC 7489 Appendix C and the
// DMARCbis aggregate-reporting draft's dmarc-2.0 namespace): the plan's
// companion report for ima-citizensrights.org.uk, with Mailchimp's k2 and
// SendGrid's s1 selectors on the organisation's own d= and one unaligned
// SendGrid-signed row.
const char kSynthetic[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<d:feedback xmlns:d="urn:ietf:params:xml:ns:dmarc-2.0">
  <d:report_metadata>
    <d:org_name>Example Receiver</d:org_name>
    <d:report_id>synthetic-1</d:report_id>
    <d:date_range><d:begin>1733011200</d:begin><d:end>1733097599</d:end></d:date_range>
  </d:report_metadata>
  <d:policy_published><d:domain>IMA-citizensrights.org.uk.</d:domain><d:p>none</d:p></d:policy_published>
  <d:record>
    <d:row><d:source_ip>192.0.2.1</d:source_ip><d:count>40</d:count>
      <d:policy_evaluated><d:disposition>none</d:disposition><d:dkim>pass</d:dkim><d:spf>fail</d:spf></d:policy_evaluated></d:row>
    <d:identifiers><d:envelope_to>person.example</d:envelope_to><d:header_from>ima-citizensrights.org.uk</d:header_from></d:identifiers>
    <d:auth_results>
      <d:dkim><d:domain>mcsv.net</d:domain><d:selector>k3</d:selector><d:result>pass</d:result></d:dkim>
      <d:dkim><d:domain>ima-citizensrights.org.uk</d:domain><d:selector>k2</d:selector><d:result>pass</d:result></d:dkim>
      <d:spf><d:domain>bounce.mcsv.net</d:domain><d:scope>mfrom</d:scope><d:result>pass</d:result></d:spf>
    </d:auth_results>
  </d:record>
  <d:record>
    <d:row><d:source_ip>192.0.2.2</d:source_ip><d:count>7</d:count>
      <d:policy_evaluated><d:disposition>none</d:disposition><d:dkim>pass</d:dkim><d:spf>fail</d:spf></d:policy_evaluated></d:row>
    <d:identifiers><d:header_from>ima-citizensrights.org.uk</d:header_from></d:identifiers>
    <d:auth_results>
      <d:dkim><d:domain>ima-citizensrights.org.uk</d:domain><d:selector>s1</d:selector><d:result>pass</d:result></d:dkim>
      <d:spf><d:domain>em123.ima-citizensrights.org.uk</d:domain><d:result>pass</d:result></d:spf>
    </d:auth_results>
  </d:record>
  <d:record>
    <d:row><d:source_ip>192.0.2.3</d:source_ip><d:count>3</d:count>
      <d:policy_evaluated><d:disposition>none</d:disposition><d:dkim>fail</d:dkim><d:spf>fail</d:spf></d:policy_evaluated></d:row>
    <d:identifiers><d:header_from>ima-citizensrights.org.uk</d:header_from></d:identifiers>
    <d:auth_results>
      <d:dkim><d:domain>SendGrid.net</d:domain><d:result>pass</d:result></d:dkim>
      <d:spf><d:domain>sendgrid.net</d:domain><d:result>pass</d:result></d:spf>
    </d:auth_results>
  </d:record>
  <d:record>
    <d:row><d:source_ip>192.0.2.4</d:source_ip><d:count>x</d:count>
      <d:policy_evaluated><d:disposition>none</d:disposition><d:dkim>fail</d:dkim><d:spf>fail</d:spf></d:policy_evaluated></d:row>
    <d:identifiers><d:header_from>ima-citizensrights.org.uk</d:header_from></d:identifiers>
    <d:auth_results/>
  </d:record>
</d:feedback>
)";

TEST(DmarcSynthetic, PrefixedNamespaceAlignedDkimFirstUnalignedPlatform) {
  EXPECT_EQ(Score(kSynthetic), 95);
  auto r = Read(kSynthetic);
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->subject, "ima-citizensrights.org.uk");
  EXPECT_EQ(r->first_date, "2024-12-01");
  EXPECT_EQ(r->last_date, "2024-12-01");
  ASSERT_EQ(r->observations.size(), 4u);
  const auto& k2 = r->observations[0];
  EXPECT_EQ(k2.key, "ima-citizensrights.org.uk");  // the aligned passing signature before mcsv.net's
  EXPECT_EQ(k2.Attr("dkim_selector"), "k2");
  EXPECT_EQ(k2.Attr("spf_domain"), "bounce.mcsv.net");
  EXPECT_EQ(k2.count, 40u);
  EXPECT_EQ(r->observations[1].Attr("dkim_selector"), "s1");
  EXPECT_EQ(r->observations[1].count, 7u);
  EXPECT_EQ(r->observations[2].key, "sendgrid.net");
  EXPECT_EQ(r->observations[2].Attr("dmarc_dkim"), "fail");
  EXPECT_EQ(r->observations[3].key, "ima-citizensrights.org.uk");  // nothing but header_from
  EXPECT_EQ(r->observations[3].count, 0u);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_THAT(r->warnings[0].message, HasSubstr("1 record(s) without a whole-number <count>"));
  EXPECT_EQ(r->warnings[0].where.line, 37u);
  EXPECT_EQ(Dump(*r).find("person.example"), std::string::npos);
  EXPECT_EQ(Dump(*r).find("192.0.2"), std::string::npos);
}

TEST(DmarcSynthetic, CutXmlIsAnErrorWithItsPlace) {
  const std::string cut = std::string(kSynthetic).substr(0, 700);
  auto r = Read(cut, "cut.xml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().kind, ErrorKind::kParse);
  EXPECT_THAT(r.error().message, HasSubstr("not well-formed"));
  EXPECT_EQ(r.error().where.file, "cut.xml");
  EXPECT_TRUE(r.error().where.has_offset);
  EXPECT_GE(r.error().where.line, 10u);
  EXPECT_THAT(r.error().hint, HasSubstr("cut off"));
  EXPECT_FALSE(r.error().source_line.empty());
}

// Synthetic: a closed wrapper element around <feedback> (a variant of the
// stray start tag of the IKEA report) is read, with a warning.
TEST(DmarcSynthetic, FeedbackInsideAWrapperIsRead) {
  const std::string body = std::string(kSynthetic).substr(std::string(kSynthetic).find("<d:feedback"));
  const std::string xml = "<?xml version=\"1.0\"?>\n<wrapper>\n" + body + "</wrapper>\n";
  auto r = Read(xml, "wrapped.xml");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->observations.size(), 4u);
  ASSERT_EQ(r->warnings.size(), 2u);
  EXPECT_THAT(r->warnings[0].message, HasSubstr("inside <wrapper>"));
  EXPECT_EQ(r->warnings[0].where.line, 3u);
}

TEST(DmarcSynthetic, GzipMultiMemberAndTrailingBytesAreWarnings) {
  const std::string xml = kSynthetic;
  const std::string a = Gzip(xml.substr(0, 500)), b = Gzip(xml.substr(500));
  const std::string gz = a + b + "junk";
  EXPECT_EQ(Score(gz), 90);
  auto r = Read(gz, "two.xml.gz");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->observations.size(), 4u);
  ASSERT_EQ(r->warnings.size(), 3u);  // second member, trailing bytes, the bad count
  EXPECT_THAT(r->warnings[0].message, HasSubstr("second gzip member"));
  EXPECT_EQ(r->warnings[0].where.offset, a.size());
  EXPECT_THAT(r->warnings[1].message, HasSubstr("4 byte(s) after the end of the gzip stream"));
  EXPECT_EQ(r->warnings[1].where.offset, a.size() + b.size());
}

TEST(DmarcSynthetic, CutGzipIsAnError) {
  const std::string gz = Gzip(kSynthetic);
  auto r = Read(gz.substr(0, gz.size() / 2), "cut.xml.gz");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("cut off"));
  EXPECT_EQ(r.error().where.offset, gz.size() / 2);
}

TEST(DmarcSynthetic, GzipBombRefused) {
  // 66 gzip members of 1 MiB each: small to make, 66 MiB unpacked.
  const std::string head =
      Gzip("<?xml version=\"1.0\"?><feedback><report_metadata>" + std::string(1u << 20, ' '));
  const std::string member = Gzip(std::string(1u << 20, ' '));
  std::string gz = head;
  for (int i = 0; i < 65; ++i) gz += member;
  EXPECT_LT(gz.size(), 1u << 20);
  EXPECT_EQ(Score(gz), 90);
  auto r = Read(gz, "bomb.xml.gz");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("refused"));
  EXPECT_THAT(r.error().message, HasSubstr("64 MiB"));
}

TEST(DmarcSynthetic, ZipMemberClaimingTooMuchRefused) {
  // A zip whose second member says (in its local and central headers alike)
  // that it unpacks to 2 GiB: refused before anything is unpacked.
  std::string zip = Zip({{"a.xml", kSynthetic}, {"b.xml", "<feedback/>"}});
  auto patch = [&](std::string_view sig, size_t size_at, int nth) {
    size_t pos = 0;
    for (int i = 0; i <= nth; ++i) {
      pos = zip.find(sig, i == 0 ? 0 : pos + 1);
      ASSERT_NE(pos, std::string::npos);
    }
    const uint32_t big = 0x7fffffff;
    for (int k = 0; k < 4; ++k) zip[pos + size_at + k] = static_cast<char>((big >> (8 * k)) & 0xff);
  };
  patch(std::string_view("PK\x03\x04", 4), 22, 1);  // local header of b.xml: uncompressed size
  patch(std::string_view("PK\x01\x02", 4), 24, 1);  // its central directory entry
  auto r = Read(zip, "bomb.zip");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("refused"));
  EXPECT_THAT(r.error().where.file, HasSubstr("bomb.zip (member b.xml)"));
}

TEST(DmarcSynthetic, ZipWithTwoReportsMergesAndDedupes) {
  std::string second = kSynthetic;
  second.replace(second.find("synthetic-1"), 11, "synthetic-2");
  second.replace(second.find("1733011200"), 10, "1733097600");
  second.replace(second.find("1733097599"), 10, "1733183999");
  const std::string zip = Zip(
      {{"r1.xml", kSynthetic}, {"readme.txt", "hello"}, {"r2.xml", second}, {"r1-again.xml", kSynthetic}});
  EXPECT_EQ(Score(zip), 90);
  auto r = Read(zip, "reports.zip");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  EXPECT_EQ(r->observations.size(), 8u);
  EXPECT_EQ(r->first_date, "2024-12-01");
  EXPECT_EQ(r->last_date, "2024-12-02");
  EXPECT_EQ(r->observations[4].first_date, "2024-12-02");
  EXPECT_THAT(r->observations[4].location, HasSubstr("member r2.xml, record 1"));
  std::string all = Dump(*r);
  EXPECT_THAT(all, HasSubstr("zip member 'readme.txt' skipped"));
  EXPECT_THAT(all, HasSubstr("report 'synthetic-1' appears again"));
}

TEST(DmarcSynthetic, ZipWithoutXmlIsAnError) {
  auto r = Read(Zip({{"readme.txt", "hello"}}), "x.zip");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("no .xml report"));
}

// Synthetic e-mail (RFC 2045/2046 MIME; the RFC 7489 §7.2.1.1 subject and
// file-name conventions): a multipart message with a text part and the
// report as a quoted-printable text/xml attachment.
std::string Mail(const std::string& attachment_part) {
  return "From: reports@receiver.example\r\n"
         "Subject: Report domain: ima-citizensrights.org.uk Submitter: receiver.example\r\n"
         " Report-ID: synthetic-1\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/mixed;\r\n\tboundary=\"=-b1\"\r\n"
         "\r\n"
         "preamble\r\n"
         "--=-b1\r\n"
         "Content-Type: text/plain; charset=utf-8\r\n"
         "\r\n"
         "This is a DMARC aggregate report.\r\n"
         "--=-b1\r\n" +
         attachment_part +
         "\r\n--=-b1--\r\n"
         "epilogue\r\n";
}

std::string QuotedPrintable(const std::string& s) {
  std::string out;
  size_t col = 0;
  for (char c : s) {
    if (c == '\n') {
      out += "\r\n";
      col = 0;
      continue;
    }
    if (c == '=' || c == '"') {
      char buf[4];
      std::snprintf(buf, sizeof buf, "=%02X", static_cast<unsigned char>(c));
      out += buf;
      col += 3;
    } else {
      out += c;
      ++col;
    }
    if (col > 70) {
      out += "=\r\n";
      col = 0;
    }
  }
  return out;
}

TEST(DmarcSynthetic, MailWithQuotedPrintableXml) {
  const std::string mail = Mail(
      "Content-Type: text/xml; "
      "name=\"receiver.example!ima-citizensrights.org.uk!1733011200!1733097599.xml\"\r\n"
      "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
      QuotedPrintable(kSynthetic));
  EXPECT_GE(Score(mail, "r.eml"), 85);
  auto r = Read(mail, "r.eml");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  ASSERT_EQ(r->observations.size(), 4u);
  EXPECT_EQ(r->observations[0].count, 40u);
  EXPECT_THAT(r->observations[0].location,
              HasSubstr("attachment receiver.example!ima-citizensrights.org.uk"));
}

// Synthetic: the report mail forwarded as an attachment (message/rfc822,
// RFC 2046 §5.2.1), its report a base64 gzip.
TEST(DmarcSynthetic, ForwardedMailIsWalked) {
  const std::string inner = Mail(
      "Content-Type: application/gzip\r\nContent-Disposition: attachment; filename=\"r.xml.gz\"\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\n" +
      [] {
        // base64 of the gzip, 76 characters a line
        const std::string gz = Gzip(kSynthetic);
        static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::string b64;
        for (size_t i = 0; i < gz.size(); i += 3) {
          uint32_t v = static_cast<uint8_t>(gz[i]) << 16;
          if (i + 1 < gz.size()) v |= static_cast<uint8_t>(gz[i + 1]) << 8;
          if (i + 2 < gz.size()) v |= static_cast<uint8_t>(gz[i + 2]);
          b64 += kAlphabet[(v >> 18) & 63];
          b64 += kAlphabet[(v >> 12) & 63];
          b64 += i + 1 < gz.size() ? kAlphabet[(v >> 6) & 63] : '=';
          b64 += i + 2 < gz.size() ? kAlphabet[v & 63] : '=';
          if (b64.size() % 78 == 76) b64 += "\r\n";
        }
        return b64;
      }());
  const std::string outer =
      "From: someone@org.example\r\nSubject: Fwd: report\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\nContent-Type: text/plain\r\n\r\nsee "
      "below\r\n"
      "--outer\r\nContent-Type: message/rfc822\r\n\r\n" +
      inner + "\r\n--outer--\r\n";
  auto r = Read(outer, "fwd.eml");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  ASSERT_EQ(r->observations.size(), 4u);
  EXPECT_EQ(r->observations[0].count, 40u);
  EXPECT_THAT(r->observations[0].location,
              HasSubstr("forwarded message, attachment r.xml.gz, gzip, record 1"));
  EXPECT_EQ(Dump(*r).find("someone"), std::string::npos);
}

std::string Base64Lines(const std::string& bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string b64;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 2]);
    b64 += kAlphabet[(v >> 18) & 63];
    b64 += kAlphabet[(v >> 12) & 63];
    b64 += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    b64 += i + 2 < bytes.size() ? kAlphabet[v & 63] : '=';
    if (b64.size() % 78 == 76) b64 += "\r\n";
  }
  return b64;
}

// Synthetic: the report mail as receivers send it (Google: a .zip; Microsoft,
// Yahoo: a .gz), the attachment in base64 beside a text part; both read the
// same rows as the bare XML.
TEST(DmarcSynthetic, MailWithBase64ZipOrGzipAttachment) {
  struct Case {
    const char* type;
    const char* file;
    std::string bytes;
  };
  for (const Case& c :
       {Case{"application/zip", "receiver.example!ima-citizensrights.org.uk!1733011200!1733097599.zip",
             Zip({{"receiver.example!ima-citizensrights.org.uk!1733011200!1733097599.xml", kSynthetic}})},
        Case{"application/gzip", "report.xml.gz", Gzip(kSynthetic)}}) {
    const std::string mail = Mail(std::string("Content-Type: ") + c.type + "; name=\"" + c.file +
                                  "\"\r\nContent-Disposition: attachment; filename=\"" + c.file +
                                  "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Base64Lines(c.bytes));
    EXPECT_GE(Score(mail, "report.eml"), 85) << c.type;
    auto r = Read(mail, "report.eml");
    ASSERT_TRUE(r.has_value()) << c.type << ": " << r.error().Format();
    auto bare = Read(kSynthetic);
    ASSERT_TRUE(bare.has_value());
    EXPECT_EQ(r->observations.size(), bare->observations.size()) << c.type;
    EXPECT_EQ(Messages(*r), Messages(*bare)) << c.type;
    EXPECT_EQ(r->subject, "ima-citizensrights.org.uk");
    EXPECT_THAT(r->observations[0].location, HasSubstr(std::string("attachment ") + c.file)) << c.type;
    EXPECT_EQ(Dump(*r).find("reports@receiver.example"), std::string::npos);
  }
}

// Two receivers may number their reports alike: the same report_id from
// another org_name is another report, counted too.
TEST(DmarcSynthetic, SameReportIdOfAnotherReceiverIsAnotherReport) {
  std::string other = kSynthetic;
  other.replace(other.find("Example Receiver"), 16, "Other Receiver");
  auto r = Read(Zip({{"a.xml", kSynthetic}, {"b.xml", other}}), "two.zip");
  ASSERT_TRUE(r.has_value()) << r.error().Format();
  auto one = Read(kSynthetic);
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(Messages(*r), 2 * Messages(*one));
  EXPECT_EQ(Dump(*r).find("appears again"), std::string::npos);
}

TEST(DmarcSynthetic, WrappersNestedTooDeepAreRefused) {
  std::string bytes = kSynthetic;
  for (int i = 0; i < 8; ++i) bytes = Gzip(bytes);
  auto r = Read(bytes, "deep.gz");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("nested more than"));
}

TEST(DmarcSynthetic, MailWithoutAReportIsAnError) {
  const std::string mail = Mail(
      "Content-Type: image/png; name=\"logo.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=");
  auto r = Read(mail, "r.eml");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("no DMARC report attachment"));
  EXPECT_EQ(r.error().where.file, "r.eml");
}

TEST(DmarcRecognise, OtherFormatsAreNotReports) {
  EXPECT_EQ(Score(R"({"log":{"version":"1.2","entries":[]}})", "site.har"), 0);
  EXPECT_EQ(Score("hello world\n", "notes.txt"), 0);
  EXPECT_EQ(Score("", "empty.xml"), 0);
  EXPECT_EQ(Score("<?xml version=\"1.0\"?><urlset><url/></urlset>", "sitemap.xml"), 0);
  EXPECT_EQ(Score("$ORIGIN example.org.\n@ IN MX 10 mx.example.org.\n", "zone.txt"), 0);
  EXPECT_EQ(Score("example.org:\n  - type: TXT\n    value: v=spf1 -all\n", "example.org.yaml"), 0);
  EXPECT_EQ(Score(R"({"exportFormatVersion":2,"containerVersion":{"tag":[]}})", "gtm.json"), 0);
  EXPECT_EQ(Score(Gzip("hello world"), "x.gz"), 0);
  EXPECT_EQ(Score(Zip({{"a.txt", "hello"}}), "x.zip"), 0);
  EXPECT_EQ(Score("From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n", "x.eml"), 0);
}

TEST(DmarcRecognise, NotAReportIsAnError) {
  auto r = Read("hello world\n", "notes.txt");
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("not a DMARC aggregate report"));
  auto x = Read("<?xml version=\"1.0\"?><urlset/>", "sitemap.xml");
  ASSERT_FALSE(x.has_value());
  EXPECT_THAT(x.error().message, HasSubstr("root element is <urlset>"));
  EXPECT_EQ(x.error().where.line, 1u);
}

}  // namespace
}  // namespace blindspot
