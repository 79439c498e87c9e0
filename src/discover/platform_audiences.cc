// Reader "platform-audiences": the platforms' own API answers listing an
// account's audiences or mailing lists, read with the same object mappers as
// the Airbyte records (ad_mappers.h):
//  - Snapchat `GET /v1/adaccounts/{id}/segments`: {"request_status": ...,
//    "segments": [{"sub_request_status": ..., "segment": {...}}]} (Snap
//    Marketing API "Customer Lists", developers.snap.com/api/marketing-api/Ads-API/customer-lists),
//  - Pinterest `GET /v5/ad_accounts/{id}/audiences`: {"items": [{"type":
//    "audience", ...}], "bookmark": ...} (Pinterest API v5 "List audiences";
//    the Audience model of Pinterest's API clients),
//  - Mailchimp `GET /3.0/lists`: {"lists": [...], "total_items": n}
//    (Mailchimp Marketing API "Lists/Audiences"),
//  - Klaviyo `GET /api/lists/`: {"data": [{"type": "list", "id", "attributes"}],
//    "links": {...}} (Klaviyo API "Get Lists"),
//  - LinkedIn `GET /rest/dmpSegments?q=account`: {"elements": [{"type",
//    "sourcePlatform", "destinations", ...}], "paging": {...}} (LinkedIn
//    Marketing API "DMP Segments"),
//  - X `GET accounts/:account_id/custom_audiences`: {"request": ..., "data":
//    [{"audience_type", "targetable", ...}], "next_cursor": ...} (X Ads API
//    "Custom Audiences").
// Only the list/audience objects are read; an answer that holds members
// (Mailchimp list members, Klaviyo profiles) is not one of these and is not
// recognised.
#include <fmt/format.h>

#include <string>

#include "discover/ad_json.h"
#include "discover/ad_mappers.h"
#include "discover/readers.h"

namespace blindspot::discover {

namespace {

using adjson::Json;

constexpr std::string_view kName = "platform-audiences";
constexpr std::string_view kExpected =
    "a platform's answer listing audiences or lists: Snapchat {\"segments\": [...]}, Pinterest {\"items\": "
    "[...]}, Mailchimp {\"lists\": [...]}, Klaviyo {\"data\": [{\"type\": \"list\", ...}]}, LinkedIn "
    "{\"elements\": [{\"sourcePlatform\": ...}]} or X {\"data\": [{\"audience_type\": ...}]}";

enum class Shape { kNone, kSnapchat, kPinterest, kMailchimp, kKlaviyo, kLinkedIn, kX };

// The array of `key` when it is a non-empty array of objects.
const Json* Items(const Json& j, std::string_view key) {
  const Json* a = adjson::Field(j, key);
  return a && a->is_array() && !a->empty() && a->front().is_object() ? a : nullptr;
}

// A Snapchat answer wraps each segment ({"segment": {...}}).
const Json& SnapSegmentOf(const Json& e) {
  const Json* s = adjson::Field(e, "segment");
  return s && s->is_object() ? *s : e;
}

Shape ShapeOf(const Json& j) {
  if (!j.is_object()) return Shape::kNone;
  if (const Json* a = Items(j, "segments")) {
    const Json& s = SnapSegmentOf(a->front());
    if (s.contains("source_type") || s.contains("upload_status")) return Shape::kSnapchat;
  }
  if (const Json* a = Items(j, "items")) {
    const Json& e = a->front();
    if (adjson::Str(e, "type") == "audience" && e.contains("audience_type")) return Shape::kPinterest;
  }
  if (const Json* a = Items(j, "lists")) {
    const Json& e = a->front();
    if (e.contains("double_optin") || (e.contains("stats") && e.contains("date_created")))
      return Shape::kMailchimp;
  }
  if (const Json* a = Items(j, "data")) {
    const Json& e = a->front();
    if (adjson::Str(e, "type") == "list" && adjson::Field(e, "attributes")) return Shape::kKlaviyo;
    if (e.contains("audience_type") && (e.contains("targetable") || e.contains("targetable_types")))
      return Shape::kX;
  }
  if (const Json* a = Items(j, "elements")) {
    const Json& e = a->front();
    if (e.contains("sourcePlatform") && e.contains("type") &&
        (e.contains("destinations") || e.contains("account")))
      return Shape::kLinkedIn;
  }
  return Shape::kNone;
}

int Recognise(std::string_view bytes, std::string_view file_name) {
  if (adjson::FirstNonBlank(bytes) != '{' || bytes.size() > adjson::kMaxBytes) return 0;
  // The envelope's list is named near the start in every one of these
  // answers; anything else (a HAR) is not parsed here.
  std::string_view head = bytes.substr(0, 4096);
  if (head.find("\"log\"") != std::string_view::npos && head.find("\"log\"") < 64) return 0;
  bool named =
      head.find("\"segments\"") != std::string_view::npos ||
      head.find("\"items\"") != std::string_view::npos || head.find("\"lists\"") != std::string_view::npos ||
      head.find("\"data\"") != std::string_view::npos || head.find("\"elements\"") != std::string_view::npos;
  if (!named) return 0;
  auto j = adjson::Parse(bytes, std::string(file_name), 0, "");
  return j && ShapeOf(*j) != Shape::kNone ? 85 : 0;
}

Error PageWarning(std::string what, const std::string& file, std::string pointer) {
  Error w = adjson::Warning("the answer has " + what + " that is not in the file: only this page was read",
                            file, 0, "give every page of the answer");
  w.where.pointer = std::move(pointer);
  return w;
}

Result<DiscoveryReport> Read(std::string_view bytes, const std::string& file, const DiscoveryOptions&) {
  if (bytes.size() > adjson::kMaxBytes)
    return MakeError(ErrorKind::kParse, "file larger than an export is read to",
                     SourceLocation{.file = file});
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  auto j = adjson::Parse(bytes, file, 0, std::string(kExpected));
  if (!j) return std::unexpected(j.error());
  Shape shape = ShapeOf(*j);
  if (shape == Shape::kNone)
    return MakeError(
        ErrorKind::kParse,
        "not a platform's list of audiences or lists (no segments, items, lists, elements or data of lists)",
        SourceLocation{.file = file, .line = 1, .column = 1}, std::string(kExpected));
  DiscoveryReport report;
  report.reader = std::string(kName);
  const char* key = shape == Shape::kSnapchat    ? "segments"
                    : shape == Shape::kPinterest ? "items"
                    : shape == Shape::kMailchimp ? "lists"
                    : shape == Shape::kLinkedIn  ? "elements"
                                                 : "data";
  const Json& items = (*j)[key];
  size_t skipped = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string location = fmt::format("{}[{}]", key, i);
    const Json& e = shape == Shape::kSnapchat ? SnapSegmentOf(items[i]) : items[i];
    bool ok =
        e.is_object() && (shape == Shape::kSnapchat ? e.contains("source_type") || e.contains("upload_status")
                          : shape == Shape::kPinterest ? e.contains("audience_type")
                          : shape == Shape::kMailchimp ? e.contains("name")
                          : shape == Shape::kLinkedIn  ? e.contains("sourcePlatform") || e.contains("type")
                          : shape == Shape::kX         ? e.contains("audience_type")
                                                       : adjson::Str(e, "type") == "list");
    if (!ok) {
      if (++skipped <= 20) {
        Error w = adjson::Warning(location + " is not an audience or list object: skipped", file, 0);
        w.where.pointer = fmt::format("/{}/{}", key, i);
        report.warnings.push_back(std::move(w));
      }
      continue;
    }
    switch (shape) {
      case Shape::kSnapchat:
        report.observations.push_back(admap::SnapSegment(e, location));
        if (report.subject.empty()) report.subject = adjson::Str(e, "ad_account_id");
        break;
      case Shape::kPinterest:
        report.observations.push_back(admap::PinterestAudience(e, location));
        if (report.subject.empty()) report.subject = adjson::Str(e, "ad_account_id");
        break;
      case Shape::kMailchimp:
        report.observations.push_back(admap::MailchimpListObservation(e, location, admap::MailchimpList{}));
        break;
      case Shape::kKlaviyo:
        report.observations.push_back(admap::KlaviyoList(e, location));
        break;
      case Shape::kLinkedIn:
        report.observations.push_back(admap::LinkedInDmpSegment(e, location));
        if (report.subject.empty()) report.subject = adjson::Str(e, "account");
        break;
      case Shape::kX:
        report.observations.push_back(admap::XCustomAudience(e, location));
        break;
      case Shape::kNone:
        break;
    }
  }
  if (skipped > 20)
    report.warnings.push_back(adjson::Warning(fmt::format("{} elements skipped in all", skipped), file, 0));
  // More pages than the file holds.
  if (shape == Shape::kPinterest && !adjson::Str(*j, "bookmark").empty())
    report.warnings.push_back(PageWarning("a next page (bookmark)", file, "/bookmark"));
  if (shape == Shape::kMailchimp && adjson::Count(*j, "total_items") > items.size())
    report.warnings.push_back(
        PageWarning(fmt::format("{} lists in all ({} here)", adjson::Count(*j, "total_items"), items.size()),
                    file, "/total_items"));
  if (shape == Shape::kKlaviyo)
    if (const Json* links = adjson::Field(*j, "links"); links && !adjson::Str(*links, "next").empty())
      report.warnings.push_back(PageWarning("a next page (links.next)", file, "/links/next"));
  if (shape == Shape::kX && !adjson::Str(*j, "next_cursor").empty())
    report.warnings.push_back(PageWarning("a next page (next_cursor)", file, "/next_cursor"));
  if (shape == Shape::kLinkedIn)
    if (const Json* paging = adjson::Field(*j, "paging");
        paging && adjson::Count(*paging, "total") > items.size() + adjson::Count(*paging, "start"))
      report.warnings.push_back(PageWarning(
          fmt::format("{} segments in all ({} here)", adjson::Count(*paging, "total"), items.size()), file,
          "/paging/total"));
  if (shape == Shape::kSnapchat)
    if (const Json* paging = adjson::Field(*j, "paging");
        paging && !adjson::Str(*paging, "next_link").empty())
      report.warnings.push_back(PageWarning("a next page (paging.next_link)", file, "/paging/next_link"));
  adjson::WidenReport(report);
  return report;
}

}  // namespace

DiscoveryReader PlatformAudiencesReader() {
  return {
      kName,
      "Snapchat, Pinterest, Mailchimp, Klaviyo, LinkedIn (DMP segments) or X (custom audiences) API JSON: "
      "an account's audiences or mailing lists",
      Recognise, Read};
}

}  // namespace blindspot::discover
