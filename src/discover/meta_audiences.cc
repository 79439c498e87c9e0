// Reader "meta-audiences": Meta Marketing API (Graph API) JSON of an ad
// account's custom audiences, `GET act_<id>/customaudiences`
// ({"data": [...], "paging": {...}}; Meta reference "Custom Audience",
// developers.facebook.com/docs/marketing-api/reference/custom-audience, and
// "Custom Audience Data Source", .../reference/custom-audience-data-source/),
// and of the agencies with access to an ad account or business,
// `GET act_<id>/agencies` / `GET <business-id>/agencies` (a list of Business
// nodes with access_status, access_requested_time, access_updated_time and
// permitted_tasks; Meta reference "Ad Account Agencies",
// developers.facebook.com/docs/marketing-api/reference/ad-account/agencies/).
//
// A custom audience becomes an `audience` observation "meta:<kind>":
// subtype CUSTOM (a customer file) -> customer_list, with who provided the
// file (customer_file_source); WEBSITE -> website; APP -> app; LOOKALIKE ->
// lookalike; ENGAGEMENT and VIDEO -> engagement; OFFLINE_CONVERSION and
// DATA_SET -> offline; anything else -> other with the raw subtype. An agency
// becomes `account-access` "meta:agency" with the business's name. Nothing
// about the people in an audience is in these objects, and nothing is read
// beyond the fields named here.
#include <fmt/format.h>

#include <string>

#include "discover/ad_json.h"
#include "discover/readers.h"

namespace blindspot::discover {

namespace {

using adjson::Json;

constexpr std::string_view kName = "meta-audiences";
constexpr std::string_view kExpected =
    R"(the Graph API's answer to GET act_<id>/customaudiences or .../agencies: {"data": [...], "paging": {...}})";

enum class Shape { kNone, kAudiences, kAgencies };

// What the `data` array holds, from its first element.
Shape ShapeOf(const Json& j) {
  if (!j.is_object() || !j.contains("data") || !j["data"].is_array() || j.contains("log"))
    return Shape::kNone;
  const Json& data = j["data"];
  if (data.empty()) return Shape::kNone;  // nothing says which edge it was
  const Json& e = data.front();
  if (!e.is_object()) return Shape::kNone;
  if (e.contains("subtype") &&
      (e.contains("approximate_count_lower_bound") || e.contains("approximate_count") ||
       e.contains("customer_file_source") || e.contains("data_source") || e.contains("operation_status") ||
       e.contains("delivery_status") || e.contains("time_created")))
    return Shape::kAudiences;
  if (e.contains("name") && (e.contains("access_status") || e.contains("permitted_tasks")) &&
      (e.contains("access_requested_time") || e.contains("access_status")))
    return Shape::kAgencies;
  return Shape::kNone;
}

int Recognise(std::string_view bytes, std::string_view file_name) {
  if (adjson::FirstNonBlank(bytes) != '{' || bytes.size() > adjson::kMaxBytes) return 0;
  // The Graph API writes "data" first; a file that does not name it near the
  // start (a HAR, whose "log" holds everything) is not parsed here at all.
  if (bytes.substr(0, 4096).find("\"data\"") == std::string_view::npos ||
      bytes.substr(0, 256).find("\"log\"") != std::string_view::npos)
    return 0;
  bool audience_words = bytes.find("\"subtype\"") != std::string_view::npos;
  bool agency_words = bytes.find("\"access_status\"") != std::string_view::npos ||
                      bytes.find("\"permitted_tasks\"") != std::string_view::npos;
  if (!audience_words && !agency_words) return 0;
  auto j = adjson::Parse(bytes, std::string(file_name), 0, "");
  if (!j) return 0;
  switch (ShapeOf(*j)) {
    case Shape::kAudiences:
      return 90;
    case Shape::kAgencies:
      return 80;
    case Shape::kNone:
      return 0;
  }
  return 0;
}

std::string_view Kind(const std::string& subtype) {
  if (subtype == "CUSTOM") return "customer_list";
  if (subtype == "WEBSITE") return "website";
  if (subtype == "APP") return "app";
  if (subtype == "LOOKALIKE") return "lookalike";
  if (subtype == "ENGAGEMENT" || subtype == "VIDEO") return "engagement";
  if (subtype == "OFFLINE_CONVERSION" || subtype == "DATA_SET") return "offline";
  return "other";
}

// customer_file_source (enum CustomerFileSource of Meta's Business SDK).
std::string FileSource(const std::string& v) {
  if (v == "USER_PROVIDED_ONLY") return "customer file, uploaded by the advertiser";
  if (v == "PARTNER_PROVIDED_ONLY") return "customer file, provided by a partner";
  if (v == "BOTH_USER_AND_PARTNER_PROVIDED") return "customer file, from the advertiser and from a partner";
  return {};
}

// "471 (description)" of a {code, description} status object.
std::string Status(const Json& e, std::string_view key) {
  const Json* s = adjson::Field(e, key);
  if (!s || !s->is_object()) return {};
  std::string code = adjson::Str(*s, "code"), text = adjson::Str(*s, "description");
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  return code.empty() ? text : text.empty() ? code : code + " (" + text + ")";
}

void AddAttr(Observation& o, std::string name, std::string value) {
  if (!value.empty()) o.attrs.emplace_back(std::move(name), std::move(value));
}

Observation AudienceObservation(const Json& e, size_t i) {
  Observation o;
  o.kind = ObservationKind::kAudience;
  std::string subtype = adjson::Str(e, "subtype");
  o.key = fmt::format("meta:{}", Kind(subtype));
  o.subject = adjson::Str(e, "name");
  o.proof = Proof::kInUse;
  o.location = fmt::format("data[{}]", i);
  o.first_date = adjson::Date(e, "time_created");
  o.last_date = adjson::Date(e, "time_content_updated");
  std::string updated = adjson::Date(e, "time_updated");
  if (o.last_date.empty() || (!updated.empty() && updated > o.last_date)) o.last_date = updated;
  o.count = e.contains("approximate_count_lower_bound") ? adjson::Count(e, "approximate_count_lower_bound")
                                                        : adjson::Count(e, "approximate_count");
  std::string file_source = adjson::Str(e, "customer_file_source");
  std::string ds_type, ds_sub;
  if (const Json* ds = adjson::Field(e, "data_source"); ds && ds->is_object()) {
    ds_type = adjson::Str(*ds, "type");
    ds_sub = adjson::Str(*ds, "sub_type");
  }
  std::string source = FileSource(file_source);
  if (source.empty() && subtype == "CUSTOM") {
    if (ds_type == "THIRD_PARTY_IMPORTED")
      source = "customer file, third-party data";
    else if (ds_type == "FILE_IMPORTED" || ds_type == "COPY_PASTE" || ds_type == "CONTACT_IMPORTER")
      source = "customer file";
  }
  std::string operation = Status(e, "operation_status"), delivery = Status(e, "delivery_status");
  o.detail =
      fmt::format("Meta custom audience, subtype {}{}{}", subtype.empty() ? "not given" : subtype,
                  ds_type.empty() ? "" : ", data source " + ds_type + (ds_sub.empty() ? "" : "/" + ds_sub),
                  source.empty() ? "" : ", " + source);
  AddAttr(o, "platform", "meta");
  AddAttr(o, "audience_id", adjson::Str(e, "id"));
  AddAttr(o, "type", subtype);
  AddAttr(o, "source", source);
  AddAttr(o, "customer_file_source", file_source);
  AddAttr(o, "data_source", ds_type.empty() ? "" : ds_type + (ds_sub.empty() ? "" : "/" + ds_sub));
  if (e.contains("approximate_count_upper_bound"))
    AddAttr(o, "size", fmt::format("{} - {}", o.count, adjson::Count(e, "approximate_count_upper_bound")));
  AddAttr(o, "operation_status", operation);
  AddAttr(o, "delivery_status", delivery);
  AddAttr(o, "retention_days", adjson::Str(e, "retention_days"));
  // Meta flags an audience that suggests health or financial status with
  // operation_status 471 (Custom Audience reference, from 2 September 2025).
  if (const Json* os = adjson::Field(e, "operation_status"); os && adjson::Str(*os, "code") == "471")
    o.attrs.emplace_back("flagged",
                         "restricted: may suggest health or financial status (operation_status 471)");
  return o;
}

Observation AgencyObservation(const Json& e, size_t i) {
  Observation o;
  o.kind = ObservationKind::kAccountAccess;
  o.key = "meta:agency";
  o.subject = adjson::Str(e, "name");
  std::string status = adjson::Str(e, "access_status");
  o.proof = status.empty() || status == "CONFIRMED" ? Proof::kInUse
            : status == "PENDING"                   ? Proof::kConfigured
                                                    : Proof::kPaused;
  o.location = fmt::format("data[{}]", i);
  o.first_date = adjson::Date(e, "access_requested_time");
  o.last_date = adjson::Date(e, "access_updated_time");
  if (o.last_date.empty()) o.last_date = o.first_date;
  std::string tasks;
  if (const Json* t = adjson::Field(e, "permitted_tasks"); t && t->is_array())
    for (const Json& x : *t)
      if (x.is_string()) tasks += (tasks.empty() ? "" : ", ") + x.get<std::string>();
  o.detail = fmt::format("business with access to the Meta ad account{}{}",
                         status.empty() ? "" : ", access " + status, tasks.empty() ? "" : ", tasks " + tasks);
  AddAttr(o, "platform", "meta");
  AddAttr(o, "business_id", adjson::Str(e, "id"));
  AddAttr(o, "access_status", status);
  AddAttr(o, "permitted_tasks", tasks);
  return o;
}

Result<DiscoveryReport> Read(std::string_view bytes, const std::string& file, const DiscoveryOptions&) {
  if (bytes.size() > adjson::kMaxBytes)
    return MakeError(ErrorKind::kParse, "file larger than an export is read to",
                     SourceLocation{.file = file});
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  auto j = adjson::Parse(bytes, file, 0, std::string(kExpected));
  if (!j) return std::unexpected(j.error());
  Shape shape = ShapeOf(*j);
  if (shape == Shape::kNone) {
    SourceLocation where{.file = file, .line = 1, .column = 1};
    where.pointer = "/data";
    std::string why = !j->is_object() || !j->contains("data") ? "no \"data\" list"
                      : !(*j)["data"].is_array()              ? "\"data\" is not a list"
                      : (*j)["data"].empty() ? "\"data\" is empty, so nothing tells which edge it is"
                                             : "its first element is neither a custom audience nor an agency";
    return MakeError(ErrorKind::kParse, "not a Meta custom audiences or agencies answer: " + why, where,
                     std::string(kExpected),
                     "ask for the fields id,name,subtype,... (see docs/formats/discovery.md)");
  }
  DiscoveryReport report;
  report.reader = std::string(kName);
  const Json& data = (*j)["data"];
  size_t skipped = 0;
  for (size_t i = 0; i < data.size(); ++i) {
    const Json& e = data[i];
    if (!e.is_object() || (shape == Shape::kAudiences ? !e.contains("subtype") : !e.contains("name"))) {
      ++skipped;
      Error w = adjson::Warning(fmt::format("data[{}] is not a {} object: skipped", i,
                                            shape == Shape::kAudiences ? "custom audience" : "business"),
                                file, 0);
      w.where.pointer = fmt::format("/data/{}", i);
      if (skipped <= 20) report.warnings.push_back(std::move(w));
      continue;
    }
    if (shape == Shape::kAudiences) {
      report.observations.push_back(AudienceObservation(e, i));
      if (report.subject.empty() && !adjson::Str(e, "account_id").empty())
        report.subject = "act_" + adjson::Str(e, "account_id");
    } else {
      report.observations.push_back(AgencyObservation(e, i));
    }
  }
  if (skipped > 20)
    report.warnings.push_back(
        adjson::Warning(fmt::format("{} elements of data skipped in all", skipped), file, 0));
  if (const Json* paging = adjson::Field(*j, "paging"); paging && paging->contains("next")) {
    Error w = adjson::Warning("the answer has a next page that is not in the file: only this page was read",
                              file, 0, "follow paging.next (or raise limit=) and give every page");
    w.where.pointer = "/paging/next";
    report.warnings.push_back(std::move(w));
  }
  adjson::WidenReport(report);
  return report;
}

}  // namespace

DiscoveryReader MetaAudiencesReader() {
  return {kName, "Meta Marketing API JSON: an ad account's custom audiences or agencies", Recognise, Read};
}

}  // namespace blindspot::discover
