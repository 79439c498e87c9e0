// Consent banners (issue 7): finds and operates a site's consent banner with
// @duckduckgo/autoconsent (MPL-2.0, compiled into the binary at build time from
// third_party/browser, never fetched at run time), driven over the DevTools
// protocol by whoever owns the page. This file knows no transport: the scanner
//   1. calls Runtime.addBinding{name: kBinding} and
//      Page.addScriptToEvaluateOnNewDocument{source: PageScript()} (main world,
//      every frame; for out-of-process iframes on their own target too),
//   2. forwards each Runtime.bindingCalled{name == kBinding} as
//      OnBindingCalled(payload, executionContextId, page), where `page` evaluates
//      in that target (one PageScripting per target/session),
//   3. polls Finished() until its own deadline, then reads Outcome().
// The driver answers autoconsent's messages (init, eval, popupFound, ...) by
// evaluating autoconsentReceiveMessage(...) in the calling context. It never
// lets autoconsent click on its own: on popupFound it first lists the buttons
// the banner's first layer offers, then asks for opt-out (reject) or opt-in
// (accept), or nothing (ConsentAction::kNone). See docs/scan.md "Consent banners".
//
// Not thread-safe: one driver per page and phase, called from one thread.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blindspot/error.h"

namespace blindspot::scan {

// Phase 1 detects only and never clicks; phase 2 rejects all; phase 3 accepts all.
enum class ConsentAction { kNone, kReject, kAccept };
std::string_view ToString(ConsentAction a);  // "none", "reject", "accept"

// What the scanner provides: evaluates `expression` in the page (the main world;
// in the execution context `context_id` when it is not 0) as Runtime.evaluate
// does with returnByValue and awaitPromise, and returns the value (null for
// undefined), or an Error when it threw or the context is gone.
class PageScripting {
 public:
  virtual ~PageScripting() = default;
  virtual Result<nlohmann::json> Evaluate(const std::string& expression, int context_id) = 0;
};

enum class ButtonRole { kAccept, kReject, kSettings, kOther };
std::string_view ToString(ButtonRole r);  // "accept", "reject", "settings", "other"

// Classifies a consent button by its visible text (Dutch, English, German,
// French; case and blanks do not matter). "Only necessary" and "Alle ablehnen"
// are reject; "Einstellungen", "Voorkeuren", "Personnaliser" settings; "Accept
// all", "Alles accepteren", "Tout accepter" accept; anything else other.
ButtonRole ClassifyButtonText(std::string_view text);

struct ConsentButton {
  std::string text;  // visible text, blanks collapsed, at most 80 bytes
  ButtonRole role = ButtonRole::kOther;
};

struct ConsentOutcome {
  ConsentAction action = ConsentAction::kNone;
  std::vector<std::string> cmps_detected;  // autoconsent rule names whose CMP is on the page
  bool banner_found = false;               // a visible banner (autoconsent's popupFound)
  std::string cmp;         // the rule name of the banner found ("Onetrust", "HEURISTIC-REJECT")
  std::string banner_url;  // the URL of the frame that showed it
  std::vector<ConsentButton> first_layer_buttons;  // what the banner's first layer offers
  bool attempted = false;                          // reject/accept was asked for
  bool succeeded = false;                          // autoconsent reported the click steps worked
  bool cosmetic = false;                           // the rule only hides the banner (no consent given)
  std::optional<bool> self_test;    // the rule's check that the choice was stored, when it has one
  int clicks = 0;                   // clicks autoconsent made (from autoconsentDone)
  bool banner_shown_again = false;  // after the click a later document showed the banner again
  std::string error;                // why it could not finish (empty when it could)
  std::vector<std::string> log;     // what happened, in order, for the evidence
};

struct ConsentOptions {
  // How often autoconsent looks for a CMP (about 0.5 s each; after the second
  // try it also waits for the page to change, up to 60 s on a static page).
  int detect_retries = 10;
  // A frame still looking this long after its init counts as "nothing found".
  std::chrono::milliseconds give_up_after{8000};
  // After a CMP is detected without a visible banner, or after a click that
  // did not end the rule, how long to wait before calling it finished.
  std::chrono::milliseconds settle{6000};
  // The clock (tests pass their own).
  std::function<std::chrono::steady_clock::time_point()> now = [] {
    return std::chrono::steady_clock::now();
  };
};

class ConsentDriver {
 public:
  explicit ConsentDriver(ConsentAction action, ConsentOptions options = {});

  // The script for Page.addScriptToEvaluateOnNewDocument: autoconsent's page
  // bundle, the rules, and glue that hands the rules over on init. The same
  // for every action; built once, immutable.
  static std::string_view PageScript();
  // The version of the autoconsent package compiled in ("16.23.0").
  static std::string_view AutoconsentVersion();
  // The binding name for Runtime.addBinding (the page calls it with a JSON string).
  static constexpr std::string_view kBinding = "autoconsentSendMessage";

  // One Runtime.bindingCalled for kBinding. Answers through page.Evaluate.
  void OnBindingCalled(std::string_view payload, int execution_context_id, PageScripting& page);

  // Done: the click's result (and self test) is in, nothing was found after
  // autoconsent's retries, or an error ended it.
  bool Finished() const;
  // What happened so far (also before Finished, when the scanner's deadline passed).
  ConsentOutcome Outcome() const;

 private:
  enum class Stage { kStarted, kNothing, kCmpDetected, kPopup, kRunning, kDone };
  struct Frame {
    std::string url;
    bool main_frame = false;
    Stage stage = Stage::kStarted;
    std::chrono::steady_clock::time_point since{};
  };
  using FrameKey = std::pair<const PageScripting*, int>;

  bool Send(PageScripting& page, int context_id, const nlohmann::json& message, std::string_view what);
  void OnPopupFound(const nlohmann::json& msg, int context_id, PageScripting& page, Frame& frame);
  void OnResult(const nlohmann::json& msg, int context_id, PageScripting& page);
  void Log(std::string line);

  ConsentAction action_;
  ConsentOptions options_;
  ConsentOutcome outcome_;
  std::map<FrameKey, Frame> frames_;
  bool acted_ = false;              // optOut/optIn sent (once per driver)
  bool result_in_ = false;          // optOutResult/optInResult received
  bool done_ = false;               // finished for good
  bool self_test_pending_ = false;  // selfTest sent, waiting for its result
  bool self_test_wanted_ = false;   // the result asked for a self test
  std::chrono::steady_clock::time_point result_at_{};
};

}  // namespace blindspot::scan
