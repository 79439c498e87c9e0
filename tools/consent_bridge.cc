// Development check (not installed): runs the ConsentDriver against a real
// browser driven by tools/dev/consent_check.mjs. One JSON object per line:
//   in:  {"script":true}                          -> {"script": PageScript()}
//        {"binding":PAYLOAD,"context":N}          -> zero or more {"evaluate":EXPR,"context":N}
//                                                    (each answered by {"result":V} or {"error":MSG}),
//                                                    then {"finished":BOOL}
//        {"poll":true}                            -> {"finished":BOOL}
//        {"outcome":true}                         -> {"outcome":{...}} and exit
// Usage: consent_bridge none|reject|accept
#include <iostream>
#include <string>

#include "scan/consent.h"

using blindspot::Result;
using nlohmann::json;
namespace scan = blindspot::scan;

namespace {

class LinePage : public scan::PageScripting {
 public:
  Result<json> Evaluate(const std::string& expression, int context_id) override {
    std::cout << json{{"evaluate", expression}, {"context", context_id}}.dump() << std::endl;
    std::string line;
    if (!std::getline(std::cin, line))
      return blindspot::MakeError(blindspot::ErrorKind::kIo, "bridge closed");
    json r = json::parse(line, nullptr, false);
    if (r.contains("error")) return blindspot::MakeError(blindspot::ErrorKind::kIo, r["error"].dump());
    return r.value("result", json());
  }
};

json OutcomeJson(const scan::ConsentOutcome& o) {
  json buttons = json::array();
  for (const auto& b : o.first_layer_buttons)
    buttons.push_back({{"text", b.text}, {"role", scan::ToString(b.role)}});
  return {{"action", scan::ToString(o.action)},
          {"cmps_detected", o.cmps_detected},
          {"banner_found", o.banner_found},
          {"cmp", o.cmp},
          {"banner_url", o.banner_url},
          {"first_layer_buttons", buttons},
          {"attempted", o.attempted},
          {"succeeded", o.succeeded},
          {"cosmetic", o.cosmetic},
          {"self_test", o.self_test ? json(*o.self_test) : json()},
          {"clicks", o.clicks},
          {"banner_shown_again", o.banner_shown_again},
          {"error", o.error},
          {"log", o.log}};
}

}  // namespace

int main(int argc, char** argv) {
  std::string a = argc > 1 ? argv[1] : "none";
  scan::ConsentAction action = a == "reject"   ? scan::ConsentAction::kReject
                               : a == "accept" ? scan::ConsentAction::kAccept
                                               : scan::ConsentAction::kNone;
  scan::ConsentDriver driver(action);
  LinePage page;
  std::string line;
  while (std::getline(std::cin, line)) {
    json in = json::parse(line, nullptr, false);
    if (in.contains("script")) {
      std::cout << json{{"script", scan::ConsentDriver::PageScript()}}.dump() << std::endl;
    } else if (in.contains("binding")) {
      driver.OnBindingCalled(in["binding"].get<std::string>(), in.value("context", 0), page);
      std::cout << json{{"finished", driver.Finished()}}.dump() << std::endl;
    } else if (in.contains("poll")) {
      std::cout << json{{"finished", driver.Finished()}}.dump() << std::endl;
    } else if (in.contains("outcome")) {
      std::cout << json{{"outcome", OutcomeJson(driver.Outcome())}}.dump() << std::endl;
      return 0;
    }
  }
  return 0;
}
