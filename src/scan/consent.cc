// The consent-banner driver: autoconsent's message protocol (its
// lib/messages.ts, playwright/content.ts and playwright/runner.ts, version
// pinned in third_party/browser/package.json), answered without a transport.
#include "scan/consent.h"

#include <algorithm>
#include <array>

#include "blindspot/embedded.h"

namespace blindspot {
// third_party/browser/node_modules/@duckduckgo/autoconsent: dist/autoconsent.playwright.js,
// rules/rules.json, package.json (src/CMakeLists.txt).
extern const EmbeddedFile kAutoconsentFiles[];
extern const std::size_t kAutoconsentFiles_count;
}  // namespace blindspot

namespace blindspot::scan {

namespace {

using Json = nlohmann::json;

std::string_view Embedded(std::string_view path) {
  for (std::size_t i = 0; i < kAutoconsentFiles_count; ++i)
    if (kAutoconsentFiles[i].path == path) return kAutoconsentFiles[i].data;
  return {};
}

// Our glue around autoconsent's page bundle (which expects two globals):
// - the CDP binding takes one string, autoconsent sends objects: the glue
//   wraps the binding so each message goes as JSON text;
// - the rules are part of this script, not of each initResp over the pipe: an
//   initResp without rules gets them here (parsed only then, once per document);
// - a second injection into the same document does nothing.
// The bundle keeps its own "use strict" as the first statement of a function.
constexpr std::string_view kGlueHead = R"JS((function () {
  const binding = window.autoconsentSendMessage;
  if (typeof binding !== 'function' || window.autoconsentReceiveMessage) return;
  window.autoconsentSendMessage = (message) => {
    try { binding(JSON.stringify(message)); } catch (e) {}
    return Promise.resolve();
  };
  const rules = () => (
)JS";
constexpr std::string_view kGlueMiddle = R"JS(
  );
  (function () {
)JS";
constexpr std::string_view kGlueTail = R"JS(
  })();
  const receive = window.autoconsentReceiveMessage;
  if (typeof receive !== 'function') return;
  window.autoconsentReceiveMessage = (message) => {
    if (message && message.type === 'initResp' && !message.rules) message = Object.assign({}, message, { rules: rules() });
    return receive(message);
  };
})();
)JS";

// Lists the visible buttons and links of the consent banner in this frame:
// clickable elements (also in open shadow roots) inside a container that looks
// like a banner (its id, class, role or label says cookie/consent/..., or it is
// fixed or sticky and its text speaks of cookies or consent); in an iframe
// whose text does, the whole document. Called with null: returns their texts,
// at most 40; called with a text: clicks the first of them with that text and
// returns whether there was one.
constexpr std::string_view kButtonProbe = R"JS(((clickText) => {
  const words = /cookie|consent|privacy|gdpr|tracking|toestemming|gegevens|einwillig|datenschutz|zustimm|vie priv|confidentialit|traceur/i;
  const names = /cookie|consent|gdpr|cmp|privacy|onetrust|didomi|cookiebot|usercentrics|truste|sp_message|qc-cmp|banner|notice|dialog|modal|overlay/i;
  const clickable = 'button, a[href], [role=button], [role=link], input[type=button], input[type=submit]';
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const s = getComputedStyle(el);
    return s.visibility !== 'hidden' && s.display !== 'none' && Number(s.opacity) > 0.05;
  };
  const label = (el) => (el.innerText || el.value || el.getAttribute('aria-label') || el.title || '')
    .replace(/\s+/g, ' ').trim().slice(0, 80);
  const inBanner = (el) => {
    for (let n = el; n; n = n.parentElement || (n.getRootNode && n.getRootNode().host)) {
      if (n === document.body || n === document.documentElement) break;
      const id = (n.id || '') + ' ' + (typeof n.className === 'string' ? n.className : '') + ' ' +
        (n.getAttribute('role') || '') + ' ' + (n.getAttribute('aria-label') || '') + ' ' + n.tagName;
      if (names.test(id) && words.test(n.innerText || '')) return true;
      const pos = getComputedStyle(n).position;
      if ((pos === 'fixed' || pos === 'sticky') && words.test(n.innerText || '')) return true;
    }
    return false;
  };
  const wholeFrame = window.top !== window && words.test((document.body && document.body.innerText) || '');
  const found = [];
  const seen = new Set();
  const walk = (root) => {
    for (const el of root.querySelectorAll(clickable)) {
      if (found.length >= 40) return;
      if (!visible(el) || !(wholeFrame || inBanner(el))) continue;
      const text = label(el);
      if (!text || seen.has(text)) continue;
      if (clickText !== null && text === clickText) {
        el.click();
        return true;
      }
      seen.add(text);
      found.push(text);
    }
    for (const host of root.querySelectorAll('*')) if (host.shadowRoot && walk(host.shadowRoot)) return true;
    return false;
  };
  if (walk(document)) return true;
  return clickText === null ? found : false;
}))JS";

std::string AsciiLower(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool blank = true;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\xa0') {
      if (!blank) out.push_back(' ');
      blank = true;
      continue;
    }
    blank = false;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

template <std::size_t N>
bool HasAny(std::string_view s, const std::array<std::string_view, N>& words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return s.find(w) != s.npos; });
}

// A short word that must stand alone ("ok" is in "cookies").
bool HasWord(std::string_view s, std::string_view w) {
  for (std::size_t at = s.find(w); at != s.npos; at = s.find(w, at + 1)) {
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80; };
    bool before = at == 0 || !letter(s[at - 1]);
    bool after = at + w.size() == s.size() || !letter(s[at + w.size()]);
    if (before && after) return true;
  }
  return false;
}

constexpr std::array<std::string_view, 8> kSelection = {
    "selection", "auswahl", "selectie", "sélection", "save and close", "opslaan", "speichern", "enregistrer"};
constexpr std::array<std::string_view, 38> kReject = {"reject",
                                                      "decline",
                                                      "deny",
                                                      "refuse",
                                                      "disagree",
                                                      "do not accept",
                                                      "don't accept",
                                                      "not accept",
                                                      "do not agree",
                                                      "don't agree",
                                                      "no thanks",
                                                      "continue without",
                                                      "accept necessary",
                                                      "accept essential",
                                                      "weiger",
                                                      "afwijzen",
                                                      "niet akkoord",
                                                      "niet accepteren",
                                                      "niet toestaan",
                                                      "ablehnen",
                                                      "verweigern",
                                                      "nicht einverstanden",
                                                      "nicht zustimmen",
                                                      "nicht akzeptieren",
                                                      "nicht erlauben",
                                                      "ohne zustimmung",
                                                      "ohne einwilligung",
                                                      "refuser",
                                                      "je refuse",
                                                      "pas d'accord",
                                                      "continuer sans",
                                                      "ne pas accepter",
                                                      "non merci",
                                                      "tout refuser",
                                                      "alles weigeren",
                                                      "alle ablehnen",
                                                      "reject all",
                                                      "necessary cookies only"};
constexpr std::array<std::string_view, 8> kOnly = {"only", "alleen",     "uitsluitend", "nur ",
                                                   "nur:", "uniquement", "seulement",   "strictly"};
constexpr std::array<std::string_view, 15> kNecessary = {
    "necess",    "essential",  "required",  "functional",   "noodzakelijk",
    "functione", "essentie",   "notwendig", "erforderlich", "essenziell",
    "technisch", "nécessaire", "essentiel", "strictement",  "indispensable"};
constexpr std::array<std::string_view, 30> kSettings = {
    "setting",   "preference",    "manage",      "customi",       "options",      "configur",
    "details",   "purposes",      "choose",      "more choices",  "instellingen", "voorkeur",
    "beheer",    "aanpassen",     "zelf kiezen", "keuze",         "einstellung",  "anpassen",
    "präferenz", "verwalten",     "individuell", "mehr optionen", "optionen",     "paramètre",
    "parametre", "personnaliser", "préférence",  "gérer",         "choisir",      "customize"};
constexpr std::array<std::string_view, 25> kAccept = {
    "accept",       "agree",     "allow",         "got it",   "i understand", "i consent",
    "akzeptier",    "zustimm",   "einverstanden", "annehmen", "erlauben",     "zulassen",
    "alle cookies", "accepteer", "akkoord",       "toestaan", "begrepen",     "accepter",
    "j'accepte",    "d'accord",  "autoriser",     "consent",  "agreed",       "continue with cookies",
    "alles klar"};
constexpr std::array<std::string_view, 7> kAcceptWords = {"ok", "okay", "oké", "yes", "ja", "oui", "prima"};

std::string Brief(const Json& j, std::size_t max = 300) {
  std::string s = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (s.size() > max) s = s.substr(0, max) + "...";
  return s;
}

std::string Str(const Json& msg, const char* key) {
  auto it = msg.find(key);
  return it != msg.end() && it->is_string() ? it->get<std::string>() : std::string();
}
bool Bool(const Json& msg, const char* key) {
  auto it = msg.find(key);
  return it != msg.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

std::string_view ToString(ConsentAction a) {
  switch (a) {
    case ConsentAction::kNone:
      return "none";
    case ConsentAction::kReject:
      return "reject";
    case ConsentAction::kAccept:
      return "accept";
  }
  return "none";
}

std::string_view ToString(ButtonRole r) {
  switch (r) {
    case ButtonRole::kAccept:
      return "accept";
    case ButtonRole::kReject:
      return "reject";
    case ButtonRole::kSettings:
      return "settings";
    case ButtonRole::kOther:
      return "other";
  }
  return "other";
}

ButtonRole ClassifyButtonText(std::string_view text) {
  const std::string s = AsciiLower(text);
  if (s.empty()) return ButtonRole::kOther;
  if (HasAny(s, kSelection)) return ButtonRole::kOther;  // saves the current choice: neither all nor none
  if (HasAny(s, kReject) || (HasAny(s, kOnly) && HasAny(s, kNecessary))) return ButtonRole::kReject;
  if (HasWord(s, "no") || HasWord(s, "nee") || HasWord(s, "nein") || HasWord(s, "non"))
    return ButtonRole::kReject;
  if (HasAny(s, kSettings)) return ButtonRole::kSettings;
  if (HasAny(s, kAccept)) return ButtonRole::kAccept;
  for (std::string_view w : kAcceptWords)
    if (HasWord(s, w)) return ButtonRole::kAccept;
  return ButtonRole::kOther;
}

std::string_view ConsentDriver::PageScript() {
  static const std::string script = [] {
    std::string_view bundle = Embedded("dist/autoconsent.playwright.js");
    std::string_view rules = Embedded("rules/rules.json");
    std::string s;
    s.reserve(kGlueHead.size() + rules.size() + kGlueMiddle.size() + bundle.size() + kGlueTail.size());
    s.append(kGlueHead).append(rules).append(kGlueMiddle).append(bundle).append(kGlueTail);
    return s;
  }();
  return script;
}

std::string_view ConsentDriver::AutoconsentVersion() {
  static const std::string version = [] {
    Json j = Json::parse(Embedded("package.json"), nullptr, false);
    return j.is_object() ? Str(j, "version") : std::string();
  }();
  return version;
}

ConsentDriver::ConsentDriver(ConsentAction action, ConsentOptions options)
    : action_(action), options_(std::move(options)) {
  outcome_.action = action;
}

void ConsentDriver::Log(std::string line) { outcome_.log.push_back(std::move(line)); }

bool ConsentDriver::Send(PageScripting& page, int context_id, const Json& message, std::string_view what) {
  // Not awaited: optOut/optIn resolve only when the clicks are over, and their
  // results come back through the binding meanwhile.
  std::string expr = "void (window.autoconsentReceiveMessage && window.autoconsentReceiveMessage(" +
                     message.dump(-1, ' ', false, Json::error_handler_t::replace) + "))";
  auto r = page.Evaluate(expr, context_id);
  if (r) return true;
  Log("could not send " + std::string(what) + " to context " + std::to_string(context_id) + ": " +
      r.error().message);
  return false;
}

void ConsentDriver::OnBindingCalled(std::string_view payload, int execution_context_id, PageScripting& page) {
  Json msg = Json::parse(payload, nullptr, false);
  if (!msg.is_object() || !msg.contains("type") || !msg["type"].is_string()) {
    Log("ignored a binding call that is not an autoconsent message");
    return;
  }
  const std::string type = msg["type"].get<std::string>();
  const FrameKey key{&page, execution_context_id};
  Frame& frame = frames_[key];
  const auto now = options_.now();
  if (frame.since == std::chrono::steady_clock::time_point{}) frame.since = now;

  if (type == "report") {
    frame.main_frame = Bool(msg, "mainFrame");
    if (frame.url.empty()) frame.url = Str(msg, "url");
    const Json& state = msg.contains("state") ? msg["state"] : Json::object();
    std::string lifecycle = state.is_object() ? Str(state, "lifecycle") : std::string();
    if (lifecycle == "nothingDetected" && frame.stage == Stage::kStarted) {
      frame.stage = Stage::kNothing;
      frame.since = now;
      if (frame.main_frame) Log("no consent manager found on " + frame.url);
    }
  } else if (type == "init") {
    frame.url = Str(msg, "url");
    frame.stage = Stage::kStarted;
    frame.since = now;
    Json config = {
        {"enabled", true},
        // Never click on its own: the driver lists the buttons first, then asks.
        {"autoAction", nullptr},
        {"disabledCmps", Json::array()},
        // Hiding banners before they show would hide them from the screenshots.
        {"enablePrehide", false},
        // A cosmetic rule only hides a banner: that is no reject and no accept.
        {"enableCosmeticRules", action_ == ConsentAction::kNone},
        {"enableGeneratedRules", true},
        {"detectRetries", options_.detect_retries},
        // The script runs in the main world: rule snippets run inline, no eval round trip.
        {"isMainWorld", true},
        {"prehideTimeout", 2000},
        {"enableHeuristicDetection", true},
        // The heuristic finds banners no rule knows. It can only reject ("reject"
        // mode finds banners with a reject button); accepting one the driver does
        // itself ("tier2" also finds banners with accept only).
        {"heuristicMode", action_ == ConsentAction::kReject ? "reject" : "tier2"},
        {"enablePopupMutationObserver", false},
        {"visualTest", false},
        {"logs",
         {{"lifecycle", false},
          {"rulesteps", false},
          {"detectionsteps", false},
          {"evals", false},
          {"errors", false},
          {"messages", false},
          {"waits", false}}},
    };
    if (!Send(page, execution_context_id, Json{{"type", "initResp"}, {"config", config}}, "initResp") &&
        frame.main_frame && !acted_) {
      outcome_.error = "autoconsent could not be started in the page";
      done_ = true;
    }
  } else if (type == "eval") {
    // Only when the script runs outside the main world; answered within
    // autoconsent's 1 s timeout or the rule step counts as false.
    Json result = false;
    auto r = page.Evaluate(Str(msg, "code"), execution_context_id);
    if (r) result = *r;
    Send(page, execution_context_id, Json{{"type", "evalResp"}, {"id", Str(msg, "id")}, {"result", result}},
         "evalResp");
  } else if (type == "cmpDetected") {
    std::string cmp = Str(msg, "cmp");
    if (std::find(outcome_.cmps_detected.begin(), outcome_.cmps_detected.end(), cmp) ==
        outcome_.cmps_detected.end()) {
      outcome_.cmps_detected.push_back(cmp);
      Log("consent manager detected: " + cmp + " on " + Str(msg, "url"));
    }
    if (frame.stage == Stage::kStarted || frame.stage == Stage::kNothing) {
      frame.stage = Stage::kCmpDetected;
      frame.since = now;
    }
  } else if (type == "popupFound") {
    OnPopupFound(msg, execution_context_id, page, frame);
  } else if (type == "optOutResult" || type == "optInResult") {
    OnResult(msg, execution_context_id, page);
  } else if (type == "autoconsentDone") {
    outcome_.clicks = msg.contains("totalClicks") && msg["totalClicks"].is_number_integer()
                          ? msg["totalClicks"].get<int>()
                          : outcome_.clicks;
    outcome_.cosmetic = Bool(msg, "isCosmetic");
    frame.stage = Stage::kDone;
    Log("done: " + Str(msg, "cmp") + " after " + std::to_string(outcome_.clicks) + " click(s)" +
        (outcome_.cosmetic ? " (cosmetic: banner hidden only)" : ""));
    if (self_test_wanted_ && !self_test_pending_) {
      self_test_pending_ = true;
      result_at_ = now;
      Send(page, execution_context_id, Json{{"type", "selfTest"}}, "selfTest");
    } else if (!self_test_pending_) {
      done_ = true;
    }
  } else if (type == "selfTestResult") {
    outcome_.self_test = Bool(msg, "result");
    self_test_pending_ = false;
    Log(std::string("self test: ") +
        (*outcome_.self_test ? "the choice is stored" : "the choice is NOT stored"));
    done_ = true;
  } else if (type == "autoconsentError") {
    Log("autoconsent error: " + Brief(msg.contains("details") ? msg["details"] : Json()));
  } else if (type == "visualDelay") {
    // only with visualTest
  } else {
    Log("unknown autoconsent message: " + type);
  }
}

void ConsentDriver::OnPopupFound(const Json& msg, int context_id, PageScripting& page, Frame& frame) {
  const std::string cmp = Str(msg, "cmp");
  frame.stage = Stage::kPopup;
  frame.since = options_.now();
  if (outcome_.banner_found) {
    if (acted_ && result_in_ && outcome_.succeeded) {
      outcome_.banner_shown_again = true;
      Log("banner shown again after the " + std::string(ToString(action_)) + ": " + cmp + " on " +
          Str(msg, "url"));
    } else {
      Log("another banner: " + cmp + " on " + Str(msg, "url"));
    }
    return;
  }
  outcome_.banner_found = true;
  outcome_.cmp = cmp;
  outcome_.banner_url = Str(msg, "url");
  Log("banner found: " + cmp + " on " + outcome_.banner_url);

  auto probe = page.Evaluate("(" + std::string(kButtonProbe) + ")(null)", context_id);
  if (!probe) {
    Log("could not list the banner's buttons: " + probe.error().message);
  } else if (probe->is_array()) {
    for (const Json& t : *probe) {
      if (!t.is_string()) continue;
      ConsentButton b;
      b.text = t.get<std::string>();
      b.role = ClassifyButtonText(b.text);
      outcome_.first_layer_buttons.push_back(std::move(b));
    }
    std::string line = "first layer offers:";
    for (const ConsentButton& b : outcome_.first_layer_buttons)
      line += " [" + b.text + "](" + std::string(ToString(b.role)) + ")";
    if (outcome_.first_layer_buttons.empty()) line += " no visible buttons found";
    Log(std::move(line));
  }

  if (action_ == ConsentAction::kNone) {
    done_ = true;
    return;
  }
  acted_ = true;
  outcome_.attempted = true;
  frame.stage = Stage::kRunning;
  if (action_ == ConsentAction::kAccept && cmp.starts_with("HEURISTIC")) {
    // autoconsent's heuristic finds banners no rule knows but cannot accept
    // them: the driver clicks the first-layer button it classified as accept.
    auto accept = std::find_if(outcome_.first_layer_buttons.begin(), outcome_.first_layer_buttons.end(),
                               [](const ConsentButton& b) { return b.role == ButtonRole::kAccept; });
    result_in_ = true;
    done_ = true;
    if (accept == outcome_.first_layer_buttons.end()) {
      Log("no accept button to click on the heuristic banner");
      return;
    }
    auto clicked =
        page.Evaluate("(" + std::string(kButtonProbe) + ")(" + Json(accept->text).dump() + ")", context_id);
    outcome_.succeeded = clicked && clicked->is_boolean() && clicked->get<bool>();
    outcome_.clicks = outcome_.succeeded ? 1 : 0;
    Log("clicked [" + accept->text +
        "] on the heuristic banner (by blindspot, not by an autoconsent rule): " +
        (outcome_.succeeded ? "done" : "failed"));
    return;
  }
  const bool reject = action_ == ConsentAction::kReject;
  Log(std::string("asking autoconsent to ") + (reject ? "reject (optOut)" : "accept (optIn)"));
  Send(page, context_id, Json{{"type", reject ? "optOut" : "optIn"}}, reject ? "optOut" : "optIn");
}

void ConsentDriver::OnResult(const Json& msg, int context_id, PageScripting& page) {
  const bool result = Bool(msg, "result");
  if (!acted_) {
    Log("unexpected " + Str(msg, "type") + " from " + Str(msg, "cmp"));
    return;
  }
  if (result_in_) {
    Log("another " + Str(msg, "type") + ": " + Str(msg, "cmp") + (result ? " succeeded" : " failed"));
    return;
  }
  result_in_ = true;
  result_at_ = options_.now();
  outcome_.succeeded = result;
  self_test_wanted_ = result && Bool(msg, "scheduleSelfTest");
  Log(Str(msg, "type") + ": " + Str(msg, "cmp") + (result ? " succeeded" : " failed"));
  if (!result) done_ = true;
}

ConsentOutcome ConsentDriver::Outcome() const {
  ConsentOutcome o = outcome_;
  if (frames_.empty() && o.error.empty())
    o.error = "autoconsent sent no message (script or binding missing?)";
  return o;
}

bool ConsentDriver::Finished() const {
  if (done_) return true;
  const auto now = options_.now();
  // A click that worked but whose rule did not say done (an intermediate rule,
  // a reload), or a self test that never answered.
  if (result_in_ && now - result_at_ > options_.settle) return true;
  if (acted_) return false;
  if (outcome_.banner_found) return false;
  // Nothing shown: every frame gave up, or detected a CMP and waited long
  // enough for its banner; a frame still looking gets give_up_after.
  bool main_seen = false;
  const auto searching = options_.give_up_after;
  for (const auto& [key, f] : frames_) {
    main_seen = main_seen || f.main_frame;
    switch (f.stage) {
      case Stage::kNothing:
      case Stage::kDone:
        break;
      case Stage::kCmpDetected:
        if (now - f.since <= options_.settle) return false;
        break;
      case Stage::kStarted:
        if (now - f.since <= searching) return false;
        break;
      case Stage::kPopup:
      case Stage::kRunning:
        return false;
    }
  }
  return main_seen;
}

}  // namespace blindspot::scan
