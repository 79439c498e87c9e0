// Internal to src/report: the renderers listed in registry.cc.
#pragma once
#include <string>

#include "blindspot/report.h"

namespace blindspot::report_internal {

Result<std::string> RenderText(const AuditResult& result, const ReportOptions& options);
Result<std::string> RenderJson(const AuditResult& result, const ReportOptions& options);
Result<std::string> RenderHtml(const AuditResult& result, const ReportOptions& options);

}  // namespace blindspot::report_internal
