// Reader "google-ads-userlists": the JSON answer of the Google Ads API to a
// GAQL query on `user_list` (GoogleAdsService Search: {"results": [...]};
// SearchStream: a list of such batches), each result row holding a
// `userList` object (Google Ads API reference "UserList", REST JSON
// representation, developers.google.com/google-ads/api/rest/reference/rest/v16/UserList,
// and the RPC reference pages of UserList, UserListTypeEnum and
// CrmBasedUserListInfo). The REST names are lowerCamelCase
// (membershipStatus, crmBasedUserList); the snake_case names a client
// library prints with preserved field names are read as well.
//
// type CRM_BASED (Customer Match: a list the advertiser uploads) ->
// "google-ads:customer_list"; REMARKETING, RULE_BASED and BASIC -> website;
// SIMILAR and LOOKALIKE -> lookalike; LOGICAL, EXTERNAL_REMARKETING and
// anything else -> other with the raw type. membershipStatus CLOSED -> paused.
// Google's `CustomAudience` resource (interest audiences of keywords and
// URLs) is not a user list and is not read here.
#include <fmt/format.h>

#include <string>

#include "discover/ad_json.h"
#include "discover/readers.h"

namespace blindspot::discover {

namespace {

using adjson::Json;

constexpr std::string_view kName = "google-ads-userlists";
constexpr std::string_view kExpected =
    R"(the Google Ads API's Search or SearchStream answer to a query on user_list: {"results": [{"userList": {...}}]})";

// A field by its REST (lowerCamelCase) or proto (snake_case) name.
const Json* Get(const Json& j, std::string_view camel, std::string_view snake) {
  if (const Json* v = adjson::Field(j, camel)) return v;
  return adjson::Field(j, snake);
}
std::string Text(const Json& j, std::string_view camel, std::string_view snake) {
  return j.contains(camel) ? adjson::Str(j, camel) : adjson::Str(j, snake);
}
uint64_t Number(const Json& j, std::string_view camel, std::string_view snake) {
  return j.contains(camel) ? adjson::Count(j, camel) : adjson::Count(j, snake);
}

// The result rows of a Search answer or of every batch of a SearchStream
// answer, in order; `batch` is the batch's index (0 for Search).
template <class F>
void ForEachRow(const Json& root, F&& f) {
  auto batch = [&](const Json& b, size_t bi) {
    if (!b.is_object()) return;
    auto it = b.find("results");
    if (it == b.end() || !it->is_array()) return;
    for (size_t i = 0; i < it->size(); ++i) f((*it)[i], bi, i);
  };
  if (root.is_array())
    for (size_t bi = 0; bi < root.size(); ++bi) batch(root[bi], bi);
  else
    batch(root, 0);
}

const Json* UserListOf(const Json& row) {
  const Json* u = Get(row, "userList", "user_list");
  return u && u->is_object() ? u : nullptr;
}

bool LooksLikeUserLists(const Json& root) {
  bool found = false;
  ForEachRow(root, [&](const Json& row, size_t, size_t) {
    if (found) return;
    if (const Json* u = UserListOf(row))
      found = u->contains("type") ||
              Text(*u, "resourceName", "resource_name").find("/userLists/") != std::string::npos;
  });
  return found;
}

int Recognise(std::string_view bytes, std::string_view file_name) {
  char c = adjson::FirstNonBlank(bytes);
  if ((c != '{' && c != '[') || bytes.size() > adjson::kMaxBytes) return 0;
  // The API writes "results" first in every answer (batch); a file that does
  // not name it near the start is not parsed here.
  if (bytes.substr(0, 4096).find("\"results\"") == std::string_view::npos ||
      (bytes.find("\"userList\"") == std::string_view::npos &&
       bytes.find("\"user_list\"") == std::string_view::npos))
    return 0;
  auto j = adjson::Parse(bytes, std::string(file_name), 0, "");
  return j && LooksLikeUserLists(*j) ? 90 : 0;
}

std::string_view Kind(const std::string& type) {
  if (type == "CRM_BASED") return "customer_list";
  if (type == "REMARKETING" || type == "RULE_BASED" || type == "BASIC") return "website";
  if (type == "SIMILAR" || type == "LOOKALIKE") return "lookalike";
  return "other";
}

void AddAttr(Observation& o, std::string name, std::string value) {
  if (!value.empty()) o.attrs.emplace_back(std::move(name), std::move(value));
}

Observation UserListObservation(const Json& u, const std::string& location) {
  Observation o;
  o.kind = ObservationKind::kAudience;
  std::string type = Text(u, "type", "type");
  o.key = fmt::format("google-ads:{}", Kind(type));
  o.subject = Text(u, "name", "name");
  std::string membership = Text(u, "membershipStatus", "membership_status");
  o.proof = membership == "CLOSED" ? Proof::kPaused : Proof::kInUse;
  o.location = location;
  uint64_t display = Number(u, "sizeForDisplay", "size_for_display");
  uint64_t search = Number(u, "sizeForSearch", "size_for_search");
  o.count = std::max(display, search);
  std::string upload_key, data_source;
  if (const Json* crm = Get(u, "crmBasedUserList", "crm_based_user_list"); crm && crm->is_object()) {
    upload_key = Text(*crm, "uploadKeyType", "upload_key_type");
    data_source = Text(*crm, "dataSourceType", "data_source_type");
  }
  std::string source;
  if (type == "CRM_BASED")
    source = data_source.empty() || data_source == "FIRST_PARTY"
                 ? "customer file, uploaded by the advertiser"
                 : "customer file, third-party data (" + data_source + ")";
  std::string access = Text(u, "accessReason", "access_reason");
  o.detail = fmt::format(
      "Google Ads user list, type {}{}{}", type.empty() ? "not given" : type,
      membership.empty() ? "" : ", membership " + membership,
      access.empty() || access == "OWNED" ? "" : ", access " + access + " (from another account)");
  AddAttr(o, "platform", "google-ads");
  AddAttr(o, "audience_id", Text(u, "id", "id"));
  AddAttr(o, "type", type);
  AddAttr(o, "source", source);
  AddAttr(o, "upload_key_type", upload_key);
  AddAttr(o, "data_source_type", data_source);
  AddAttr(o, "membership_status", membership);
  AddAttr(o, "closing_reason", Text(u, "closingReason", "closing_reason"));
  AddAttr(o, "access_reason", access);
  if (u.contains("sizeForDisplay") || u.contains("size_for_display"))
    AddAttr(o, "size_for_display", std::to_string(display));
  if (u.contains("sizeForSearch") || u.contains("size_for_search"))
    AddAttr(o, "size_for_search", std::to_string(search));
  AddAttr(o, "size_range_for_display", Text(u, "sizeRangeForDisplay", "size_range_for_display"));
  AddAttr(o, "size_range_for_search", Text(u, "sizeRangeForSearch", "size_range_for_search"));
  return o;
}

// "1234567890" from "customers/1234567890/userLists/42".
std::string CustomerId(const std::string& resource) {
  if (!resource.starts_with("customers/")) return {};
  size_t slash = resource.find('/', 10);
  return resource.substr(10, slash == std::string::npos ? std::string::npos : slash - 10);
}

Result<DiscoveryReport> Read(std::string_view bytes, const std::string& file, const DiscoveryOptions&) {
  if (bytes.size() > adjson::kMaxBytes)
    return MakeError(ErrorKind::kParse, "file larger than an export is read to",
                     SourceLocation{.file = file});
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  auto j = adjson::Parse(bytes, file, 0, std::string(kExpected));
  if (!j) return std::unexpected(j.error());
  if (!LooksLikeUserLists(*j))
    return MakeError(ErrorKind::kParse, "not a Google Ads user-list answer: no result row with a userList",
                     SourceLocation{.file = file, .line = 1, .column = 1}, std::string(kExpected),
                     "query SELECT user_list.id, user_list.name, user_list.type, ... FROM user_list");
  DiscoveryReport report;
  report.reader = std::string(kName);
  bool stream = j->is_array();
  size_t skipped = 0;
  ForEachRow(*j, [&](const Json& row, size_t bi, size_t i) {
    std::string location =
        stream ? fmt::format("batch[{}].results[{}]", bi, i) : fmt::format("results[{}]", i);
    const Json* u = UserListOf(row);
    if (!u) {
      if (++skipped <= 20) {
        Error w = adjson::Warning(location + " has no userList: skipped", file, 0);
        w.where.pointer = stream ? fmt::format("/{}/results/{}", bi, i) : fmt::format("/results/{}", i);
        report.warnings.push_back(std::move(w));
      }
      return;
    }
    report.observations.push_back(UserListObservation(*u, location));
    if (report.subject.empty()) {
      std::string customer = CustomerId(Text(*u, "resourceName", "resource_name"));
      if (!customer.empty()) report.subject = "customers/" + customer;
    }
  });
  if (skipped > 20)
    report.warnings.push_back(
        adjson::Warning(fmt::format("{} result rows without a userList in all", skipped), file, 0));
  if (!stream && j->contains("nextPageToken") && !adjson::Str(*j, "nextPageToken").empty()) {
    Error w = adjson::Warning(
        "the answer has a next page (nextPageToken) that is not in the file: only this page was read", file,
        0, "use SearchStream, or give every page");
    w.where.pointer = "/nextPageToken";
    report.warnings.push_back(std::move(w));
  }
  return report;
}

}  // namespace

DiscoveryReader GoogleAdsUserListsReader() {
  return {kName, "Google Ads API JSON: user lists (Customer Match and remarketing) from a query on user_list",
          Recognise, Read};
}

}  // namespace blindspot::discover
