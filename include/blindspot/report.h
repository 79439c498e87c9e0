// Reports: text (terminal), JSON (docs/formats/report-json.md), HTML
// (self-contained, no external requests). Each format is one file in
// src/report/ plus one line in the registry (src/report/registry.cc).
// Rendering is pure and thread-safe for distinct results.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/audit.h"

namespace blindspot {

struct ReportOptions {
  std::string lang = "en";   // "en" | "nl"
  std::string generated_at;  // ISO 8601 timestamp to print; empty = omit (keeps golden files stable)
  std::string tool_version;
};

struct ReportFormat {
  std::string name;  // "text" | "json" | "html"
  std::string description;
  std::function<Result<std::string>(const AuditResult&, const ReportOptions&)> render;
};
const std::vector<ReportFormat>& AllReportFormats();
const ReportFormat* FindReportFormat(std::string_view name);

// UI strings of the reports, by key, from data/i18n/<lang>.yaml (embedded).
// Falls back to English, then to the key itself. The tables are loaded once
// on first use; the returned reference stays valid for the program's life.
// Thread-safe.
const std::string& Tr(std::string_view lang, std::string_view key);

}  // namespace blindspot
