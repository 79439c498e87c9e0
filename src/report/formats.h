// Internal to src/report: the renderers listed in registry.cc, one file each.
#pragma once
#include <string>

#include "blindspot/report.h"

namespace blindspot::report_internal {

Result<std::string> RenderText(const OutputInput& in);           // text_report.cc
Result<std::string> RenderJson(const OutputInput& in);           // json_report.cc
Result<std::string> RenderHtml(const OutputInput& in);           // html_report.cc
Result<std::string> RenderSarif(const OutputInput& in);          // sarif_report.cc
Result<std::string> RenderJunit(const OutputInput& in);          // junit_report.cc
Result<std::string> RenderXlsx(const OutputInput& in);           // xlsx_report.cc
Result<std::string> RenderDetectionText(const OutputInput& in);  // detection_output.cc
Result<std::string> RenderDetectionJson(const OutputInput& in);  // detection_output.cc
Result<std::string> RenderRulesText(const OutputInput& in);      // rules_output.cc
Result<std::string> RenderRulesJson(const OutputInput& in);      // rules_output.cc
Result<std::string> RenderRulesMarkdown(const OutputInput& in);  // rules_output.cc
Result<std::string> RenderKbText(const OutputInput& in);         // kb_output.cc
Result<std::string> RenderKbJson(const OutputInput& in);         // kb_output.cc
Result<std::string> RenderRegisterYaml(const OutputInput& in);   // register_output.cc
Result<std::string> RenderRegisterJson(const OutputInput& in);   // register_output.cc
Result<std::string> RenderVerifyText(const OutputInput& in);     // bundle_output.cc
Result<std::string> RenderVerifyJson(const OutputInput& in);     // bundle_output.cc
Result<std::string> RenderDiffText(const OutputInput& in);       // bundle_output.cc
Result<std::string> RenderDiffJson(const OutputInput& in);       // bundle_output.cc

}  // namespace blindspot::report_internal
