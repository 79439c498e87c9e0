// PrintPdf: a page's HTML to PDF in headless Chromium (include/blindspot/print.h).
#include "blindspot/print.h"

#include "scan/cdp.h"
#include "scan/scan_internal.h"

namespace blindspot::scan {

Result<std::string> PrintPdf(std::string_view html, const PrintOptions& options) {
  BrowserOptions bo;
  bo.executable = options.browser;
  bo.extra_args = options.browser_args;
  auto launched = Browser::Launch(bo);
  if (!launched) return std::unexpected(launched.error());
  Browser& browser = **launched;
  const Clock::time_point deadline = Clock::now() + options.timeout;
  auto fail = [&](const Error& e) -> Result<std::string> {
    Error out = e;
    out.message = "printing the report to PDF: " + out.message;
    return std::unexpected(out);
  };
  auto target = browser.Call("Target.createTarget", {{"url", "about:blank"}}, "", deadline);
  if (!target) return fail(target.error());
  auto attached =
      browser.Call("Target.attachToTarget", {{"targetId", target->value("targetId", "")}, {"flatten", true}},
                   "", deadline);
  if (!attached) return fail(attached.error());
  const std::string session = attached->value("sessionId", "");
  auto call = [&](const char* method, Json params) {
    return browser.Call(method, std::move(params), session, deadline);
  };
  if (auto r = call("Page.enable", Json::object()); !r) return fail(r.error());
  auto tree = call("Page.getFrameTree", Json::object());
  if (!tree) return fail(tree.error());
  const std::string frame = (*tree)["frameTree"]["frame"].value("id", "");
  // The page becomes the blank document's content: nothing is fetched.
  if (auto r = call("Page.setDocumentContent", {{"frameId", frame}, {"html", std::string(html)}}); !r)
    return fail(r.error());
  constexpr double kMm = 1 / 25.4;  // inches per millimetre
  Json print = {
      {"landscape", false},
      {"printBackground", true},
      {"paperWidth", 210 * kMm},
      {"paperHeight", 297 * kMm},
      {"marginTop", 14 * kMm},
      {"marginBottom", options.footer_html.empty() ? 14 * kMm : 18 * kMm},
      {"marginLeft", 14 * kMm},
      {"marginRight", 14 * kMm},
      {"displayHeaderFooter", !options.footer_html.empty()},
      {"headerTemplate", "<span></span>"},
      {"footerTemplate", options.footer_html.empty() ? std::string("<span></span>") : options.footer_html},
      {"transferMode", "ReturnAsStream"},
  };
  auto printed = call("Page.printToPDF", print);
  if (!printed) return fail(printed.error());
  // Read in chunks: a long report's PDF is more than one message should hold.
  const std::string stream = printed->value("stream", "");
  std::string pdf;
  if (stream.empty()) {
    pdf = Base64Decode(printed->value("data", ""));
  } else {
    for (;;) {
      auto chunk = call("IO.read", {{"handle", stream}, {"size", 1 << 20}});
      if (!chunk) return fail(chunk.error());
      std::string data = chunk->value("data", "");
      pdf += chunk->value("base64Encoded", false) ? Base64Decode(data) : data;
      if (chunk->value("eof", false)) break;
    }
    (void)call("IO.close", {{"handle", stream}});
  }
  if (!pdf.starts_with("%PDF-"))
    return MakeError(ErrorKind::kInternal, "printing the report to PDF: Chromium returned no PDF");
  return pdf;
}

}  // namespace blindspot::scan
