// Reader "airbyte-records": JSON Lines of Airbyte connector records
// ({"stream": ..., "data": {...}, "emitted_at": <ms>}, or the protocol's
// {"type": "RECORD", "record": {...}} messages), as Airbyte's source
// connectors for Snapchat Marketing, TikTok Marketing, Pinterest, LinkedIn
// Ads, Mailchimp and Klaviyo write them. The format is reverse-engineered from
// the connectors' records (notes: /work/notes/s10/issue11/formats.md §4);
// `data` is the platform API's own object, so each stream has a small mapper
// that reads the platform's field names:
//  - Snapchat `segments` (Snap "Customer Lists": source_type FIRST_PARTY is a
//    customer list; upload_status COMPLETE means a file was uploaded,
//    NO_UPLOAD that the list is empty),
//  - TikTok `audiences` (one audience per audience_id; is_valid false or
//    expired -> paused; the `*_audience_reports_*` streams are report
//    breakdowns, not audiences),
//  - Pinterest `audiences` (audience_type CUSTOMER_LIST/VISITOR/ENGAGEMENT/
//    ACTALIKE),
//  - LinkedIn `account_users` (who holds which role on the ad accounts; the
//    person only by the pseudonymous URN),
//  - Mailchimp `lists` (with how members were added, counted from the
//    `list_members` records, and the list's segments by name and size),
//  - Klaviyo `lists` / `lists_detailed` (one list per id).
// The account/organisation streams give the report's subject. Every other
// stream (campaigns, reports, creatives, member and profile records...) is
// counted in one warning and otherwise not read: member, profile and contact
// fields are never copied (only Mailchimp's member `source` and `list_id`
// are looked at, as counts).
#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "discover/ad_json.h"
#include "discover/ad_mappers.h"
#include "discover/readers.h"

namespace blindspot::discover {

namespace {

using adjson::Json;
using namespace admap;

constexpr std::string_view kName = "airbyte-records";
constexpr std::string_view kExpected =
    R"(one Airbyte record per line: {"stream": "...", "data": {...}, "emitted_at": 1700000000000})";

struct Record {
  uint32_t line = 0;
  std::string stream;
  Json data;
  std::string emitted;  // YYYY-MM-DD of emitted_at
};

bool IsRecord(const Json& j) {
  return j.is_object() && j.contains("stream") && j["stream"].is_string() && j.contains("data") &&
         j["data"].is_object() && j.contains("emitted_at") && j["emitted_at"].is_number();
}

// An Airbyte protocol message ({"type": "RECORD", "record": {...}}; Airbyte
// protocol, docs.airbyte.com/understanding-airbyte/airbyte-protocol): a
// connector's own output. Its other types (LOG, STATE, TRACE...) carry no
// record.
bool IsMessage(const Json& j) {
  if (!j.is_object() || !j.contains("type") || !j["type"].is_string()) return false;
  if (j["type"].get_ref<const std::string&>() != "RECORD")
    return !j.contains("stream") && !j.contains("data");
  return j.contains("record") && IsRecord(j["record"]);
}
bool IsRecordMessage(const Json& j) {
  return IsMessage(j) && j["type"].get_ref<const std::string&>() == "RECORD";
}

// The lines of `bytes` with their 1-based numbers, without "\r\n" endings.
template <class F>
void ForEachLine(std::string_view bytes, F&& f) {
  uint32_t no = 0;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t end = bytes.find('\n', pos);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view line = bytes.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!f(++no, line)) return;
    pos = end + 1;
  }
}

std::string Where(const Record& r) { return fmt::format("line {}", r.line); }

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

int Recognise(std::string_view bytes, std::string_view file_name) {
  if (adjson::FirstNonBlank(bytes) != '{') return 0;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  int score = 0, messages = 0;
  ForEachLine(bytes, [&](uint32_t, std::string_view line) {
    if (Blank(line)) return true;
    // A record line is short enough to parse here; a first line of many
    // megabytes is not one of these files. Airbyte writes "stream" (a
    // record) or "type" (a protocol message) first: a line that names
    // neither near its start (a HAR on one line) is not parsed here.
    std::string_view head = line.substr(0, 64);
    if (line.size() > (4u << 20) || (head.find("\"stream\"") == std::string_view::npos &&
                                     head.find("\"type\"") == std::string_view::npos))
      return false;
    auto j = adjson::Parse(line, std::string(file_name), 1, "");
    if (!j) return false;
    if (IsRecord(*j) || IsRecordMessage(*j)) {
      score = file_name.ends_with(".jsonl") ? 96 : 95;
      return false;
    }
    // Protocol messages without a record (a LOG first): look a little further.
    return IsMessage(*j) && ++messages < 20;
  });
  return score;
}

// "pid=3417636" from a LinkedIn conversion's image pixel tag.
std::string PartnerId(const std::string& tag) {
  size_t p = tag.find("pid=");
  if (p == std::string::npos) return {};
  size_t e = p + 4;
  while (e < tag.size() && tag[e] >= '0' && tag[e] <= '9') ++e;
  return tag.substr(p + 4, e - p - 4);
}

Result<DiscoveryReport> Read(std::string_view bytes, const std::string& file, const DiscoveryOptions&) {
  if (bytes.size() > adjson::kMaxBytes)
    return MakeError(ErrorKind::kParse,
                     fmt::format("file of {} bytes is larger than the {} MiB an export is read to",
                                 bytes.size(), adjson::kMaxBytes >> 20),
                     SourceLocation{.file = file});
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  DiscoveryReport report;
  report.reader = std::string(kName);
  // Subjects by preference: the organisation, then the ad account.
  std::string org_subject, account_subject;
  std::map<std::string, uint64_t> unread;  // stream -> records not read into observations
  uint32_t first_unread_line = 0;
  auto not_read = [&](const Record& r) {
    ++unread[r.stream];
    if (!first_unread_line) first_unread_line = r.line;
  };
  std::vector<std::pair<uint32_t, Observation>> out;  // by line, emitted in file order
  std::set<std::string> tiktok_seen;
  uint64_t tiktok_duplicates = 0;
  std::map<std::string, MailchimpList> mailchimp;  // list id -> what members and segments say
  std::map<std::string, Record> mailchimp_lists;   // list id -> the list's record
  std::vector<std::string> mailchimp_order;
  std::map<std::string, size_t> klaviyo;  // list id -> index in `out`
  struct Access {
    uint32_t line = 0;
    std::string first, last;
    std::vector<std::string> accounts;
  };
  std::map<std::pair<std::string, std::string>, Access> linkedin_access;  // (user, role)
  std::vector<std::pair<std::string, std::string>> linkedin_order;
  uint64_t conversions = 0;
  uint32_t conversions_line = 0;
  std::set<std::string> partner_ids;

  // Each record is read as it comes; only what a mapper keeps stays in memory.
  auto handle = [&](const Record& r) {
    const Json& d = r.data;
    const std::string& s = r.stream;
    if (s == "segments" && (d.contains("source_type") || d.contains("upload_status"))) {
      out.emplace_back(r.line, SnapSegment(r.data, Where(r)));
      if (account_subject.empty()) account_subject = adjson::Str(d, "organization_id");
    } else if (s == "segments" && d.contains("list_id") && d.contains("member_count")) {
      // A Mailchimp segment: named part of a list, shown on the list.
      MailchimpList& m = mailchimp[adjson::Str(d, "list_id")];
      if (!m.first_line) m.first_line = r.line;
      m.segments.push_back(fmt::format("{} ({})", adjson::Str(d, "name"), adjson::Count(d, "member_count")));
    } else if (s == "audiences" && d.contains("audience_id")) {
      if (!tiktok_seen.insert(adjson::Str(d, "audience_id")).second) {
        ++tiktok_duplicates;
        return;
      }
      out.emplace_back(r.line, TikTokAudience(r.data, Where(r), r.emitted));
    } else if (s == "audiences" && d.contains("audience_type")) {
      out.emplace_back(r.line, PinterestAudience(r.data, Where(r)));
      if (account_subject.empty()) account_subject = adjson::Str(d, "ad_account_id");
    } else if ((s == "lists" || s == "lists_detailed") && d.contains("attributes")) {
      std::string id = adjson::Str(d, "id");
      auto it = klaviyo.find(id);
      if (it == klaviyo.end()) {
        klaviyo[id] = out.size();
        out.emplace_back(r.line, KlaviyoList(r.data, Where(r)));
      } else if (s == "lists_detailed") {
        // The detailed record has the profile count: it replaces the plain one.
        out[it->second].second = KlaviyoList(r.data, Where(r));
      }
    } else if (s == "lists" && (d.contains("stats") || d.contains("double_optin"))) {
      std::string id = adjson::Str(d, "id");
      if (!mailchimp_lists.contains(id)) {
        mailchimp_lists.emplace(id, r);
        mailchimp_order.push_back(id);
      }
    } else if (s == "list_members" && d.contains("list_id")) {
      // Only how the member was added is counted; nothing else is read.
      MailchimpList& m = mailchimp[adjson::Str(d, "list_id")];
      if (!m.first_line) m.first_line = r.line;
      ++m.members_seen;
      std::string source = adjson::Str(d, "source");
      ++m.added_by[source.empty() ? "not given" : source];
    } else if (s == "account_users" && d.contains("role") && d.contains("user")) {
      std::pair<std::string, std::string> k{adjson::Str(d, "user"), adjson::Str(d, "role")};
      auto [it, inserted] = linkedin_access.try_emplace(k);
      if (inserted) {
        it->second.line = r.line;
        linkedin_order.push_back(k);
      }
      std::string account = adjson::Str(d, "account");
      if (account.starts_with("urn:li:sponsoredAccount:")) account = account.substr(24);
      if (!account.empty()) it->second.accounts.push_back(account);
      adjson::Widen(it->second.first, it->second.last, adjson::Date(d, "created"),
                    adjson::Date(d, "lastModified"));
    } else if (s == "conversions" && d.contains("imagePixelTag")) {
      ++conversions;
      if (!conversions_line) conversions_line = r.line;
      std::string pid = PartnerId(adjson::Str(d, "imagePixelTag"));
      if (!pid.empty()) partner_ids.insert(pid);
    } else if (s == "organizations") {
      if (org_subject.empty()) org_subject = adjson::Str(d, "id");
    } else if (s == "accounts" && adjson::Str(d, "reference").starts_with("urn:li:organization:")) {
      if (org_subject.empty()) org_subject = adjson::Str(d, "reference");
    } else if (s == "adaccounts" || s == "ad_accounts" || s == "advertisers") {
      if (account_subject.empty())
        account_subject = adjson::Str(d, s == "advertisers" ? "advertiser_id" : "id");
    } else {
      not_read(r);
    }
  };

  uint64_t n_records = 0, other_messages = 0;
  Result<void> failed;
  ForEachLine(bytes, [&](uint32_t no, std::string_view line) {
    if (Blank(line)) return true;
    auto j = adjson::Parse(line, file, no, std::string(kExpected));
    if (!j) {
      failed = std::unexpected(j.error());
      return false;
    }
    if (IsMessage(*j) && !IsRecordMessage(*j)) {
      ++other_messages;  // LOG, STATE, TRACE...: no record in it
      return true;
    }
    Json& rec = IsRecordMessage(*j) ? (*j)["record"] : *j;
    if (!IsRecord(rec)) {
      failed =
          MakeError(ErrorKind::kParse, "not an Airbyte record (no \"stream\", \"data\" and \"emitted_at\")",
                    SourceLocation{.file = file, .line = no, .column = 1}, std::string(kExpected),
                    "give the connector's records file, one JSON record per line");
      return false;
    }
    Record r;
    r.line = no;
    r.stream = rec["stream"].get<std::string>();
    r.emitted = adjson::Date(rec, "emitted_at");
    r.data = std::move(rec["data"]);
    handle(r);
    ++n_records;
    return true;
  });
  if (!failed) return std::unexpected(failed.error());
  if (n_records == 0)
    return MakeError(ErrorKind::kParse, "no Airbyte records in the file",
                     SourceLocation{.file = file, .line = 1, .column = 1}, std::string(kExpected));

  for (const std::string& id : mailchimp_order) {
    const Record& list = mailchimp_lists.at(id);
    out.emplace_back(list.line, MailchimpListObservation(list.data, Where(list), mailchimp[id]));
  }
  for (auto& [id, m] : mailchimp)
    if (!mailchimp_lists.contains(id)) {
      // Members or segments of a list whose record is not in the file.
      report.warnings.push_back(adjson::Warning(
          fmt::format("Mailchimp list {} has {} member and {} segment records but no list record: not read",
                      id, m.members_seen, m.segments.size()),
          file, m.first_line));
    }
  for (const auto& k : linkedin_order) {
    const Access& a = linkedin_access[k];
    Observation o;
    o.kind = ObservationKind::kAccountAccess;
    o.key = "linkedin:" + adjson::Lower(k.second);
    // A person only by the pseudonymous URN; an organisation by its URN.
    o.subject = k.first.starts_with("urn:li:person:") ? "person " + k.first : k.first;
    o.proof = Proof::kInUse;
    o.first_date = a.first;
    o.last_date = a.last;
    o.count = a.accounts.size();
    o.location = fmt::format("line {}", a.line);
    o.detail = fmt::format("LinkedIn ad account role {} on {} account{}", k.second, a.accounts.size(),
                           a.accounts.size() == 1 ? "" : "s");
    o.attrs.emplace_back("platform", "linkedin");
    o.attrs.emplace_back("role", k.second);
    std::string accounts;
    for (const std::string& acc : a.accounts) accounts += (accounts.empty() ? "" : ", ") + acc;
    AddAttr(o, "accounts", accounts);
    out.emplace_back(a.line, std::move(o));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [line, o] : out) report.observations.push_back(std::move(o));

  if (conversions) {
    std::string pids;
    for (const std::string& p : partner_ids) pids += (pids.empty() ? "" : ", ") + p;
    Error w = adjson::Warning(
        fmt::format("{} LinkedIn conversion rule{} (Insight Tag partner id{} {}) not read into observations",
                    conversions, conversions == 1 ? "" : "s", partner_ids.size() == 1 ? "" : "s",
                    pids.empty() ? "not given" : pids),
        file, conversions_line,
        "a conversion rule is defined on LinkedIn; it does not show the tag on the site: capture the site "
        "(HAR) to "
        "see the Insight Tag");
    w.note = true;
    report.warnings.push_back(std::move(w));
  }
  if (other_messages) {
    Error w = adjson::Warning(
        fmt::format("{} Airbyte protocol message{} without a record (LOG, STATE, TRACE...) skipped",
                    other_messages, other_messages == 1 ? "" : "s"),
        file, 0);
    w.note = true;
    report.warnings.push_back(std::move(w));
  }
  if (tiktok_duplicates) {
    Error w = adjson::Warning(
        fmt::format("{} TikTok audience record{} repeated an audience_id already read: counted once",
                    tiktok_duplicates, tiktok_duplicates == 1 ? "" : "s"),
        file, 0);
    w.note = true;
    report.warnings.push_back(std::move(w));
  }
  if (!unread.empty()) {
    uint64_t n = 0;
    std::string list;
    size_t shown = 0;
    for (const auto& [stream, c] : unread) {
      n += c;
      if (shown++ < 40) list += fmt::format("{}{} ({})", list.empty() ? "" : ", ", stream, c);
    }
    if (unread.size() > 40) list += fmt::format(" and {} more", unread.size() - 40);
    report.warnings.push_back(adjson::Warning(
        fmt::format("{} record{} of {} stream{} not read (no audience, list or access in them): {}", n,
                    n == 1 ? "" : "s", unread.size(), unread.size() == 1 ? "" : "s", list),
        file, first_unread_line));
  }
  report.subject = !org_subject.empty() ? org_subject : account_subject;
  adjson::WidenReport(report);
  return report;
}

}  // namespace

DiscoveryReader AirbyteRecordsReader() {
  return {kName, "Airbyte connector records (JSONL): ad-platform audiences, account access, mailing lists",
          Recognise, Read};
}

}  // namespace blindspot::discover
