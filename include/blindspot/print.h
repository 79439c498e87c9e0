// Printing a self-contained HTML page to PDF in Debian's chromium, headless,
// over the DevTools pipe (src/scan/cdp.h): the I/O adapter behind the audit
// report's `pdf` format. The report library renders the HTML (pure); the
// application layer hands it here (app::Options::print_pdf) and writes the
// bytes through its Env. Like the scanner, the browser is a child process
// with a temporary profile, always ended and removed; the page is set as the
// document's content (no file, no URL, no network: the report loads nothing).
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/error.h"

namespace blindspot::scan {

struct PrintOptions {
  std::string browser = "/usr/bin/chromium";
  std::vector<std::string> browser_args;
  // Chromium's footer template: HTML whose elements of class pageNumber and
  // totalPages are filled in per page; "" = no header or footer.
  std::string footer_html;
  std::chrono::seconds timeout{120};
};

// The PDF's bytes (A4 portrait, backgrounds printed, margins for the
// footer). kIo when the browser is missing or cannot start (with the hint to
// install chromium), kInternal when it fails or the time is up.
Result<std::string> PrintPdf(std::string_view html, const PrintOptions& options = {});

}  // namespace blindspot::scan
