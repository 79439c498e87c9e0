// The report formats, one line each. A new format is a file in src/report/
// plus one line here.
#include "blindspot/report.h"
#include "report/formats.h"

namespace blindspot {

const std::vector<ReportFormat>& AllReportFormats() {
  using namespace report_internal;
  static const std::vector<ReportFormat> kFormats = {
      {"text", "plain-text summary for the terminal (100 columns)", RenderText},
      {"json", "machine-readable report, see docs/formats/report-json.md", RenderJson},
      {"html", "self-contained HTML report for the privacy officer (printable)", RenderHtml},
  };
  return kFormats;
}

const ReportFormat* FindReportFormat(std::string_view name) {
  for (const ReportFormat& f : AllReportFormats())
    if (f.name == name) return &f;
  return nullptr;
}

}  // namespace blindspot
