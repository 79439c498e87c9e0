#include "kb/kb_schema.h"

#include <algorithm>
#include <array>
#include <vector>

#include "blindspot/kb.h"

namespace blindspot {

const std::vector<std::string_view>& KbCategories() {
  static const std::vector<std::string_view> kCategories = {
      "advertising-pixel",       // conversion/remarketing pixel of an ad platform
      "custom-audience",         // upload or matching of customer lists with an ad platform
      "conversion-tracking",     // conversion measurement with hashed first-party data
      "retargeting",             // DSP / retargeting network
      "dmp",                     // data management platform, audience data
      "analytics",               // web analytics
      "session-recording",       // session replay, heatmaps, experience analytics
      "ab-testing",              // experimentation and personalisation
      "performance-monitoring",  // real-user monitoring
      "tag-manager",             // tag management system
      "messaging",               // messenger apps (WhatsApp, Messenger)
      "live-chat",               // live chat and chatbot widgets
      "call-tracking",           // dynamic number insertion, call analytics
      "video-embed",             // embedded video players
      "feedback-widget",         // on-site surveys and feedback forms
      "review-widget",           // review and trust-mark widgets
      "email-marketing",         // newsletter and e-mail marketing platforms
      "marketing-automation",    // lead tracking linked to CRM/e-mail
      "social-widget",           // share buttons and social plugins
      "web-fonts",               // fonts loaded from a third-party server
  };
  return kCategories;
}

const std::vector<std::string_view>& KbChannels() {
  static const std::vector<std::string_view> kChannels = {
      "web-tracking",   // measurement of website visits
      "advertising",    // online advertising and audiences
      "messaging",      // messenger apps
      "chat",           // chat on the website
      "phone",          // telephone contact
      "email",          // e-mail contact and newsletters
      "video",          // embedded video
      "reviews",        // reviews and ratings
      "feedback",       // surveys and feedback forms
      "social",         // social media sharing
      "web-resources",  // third-party resources such as fonts
  };
  return kChannels;
}

namespace kb_schema {
namespace {

template <class C>
std::string JoinAll(const C& c) {
  std::string out;
  for (auto s : c) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

template <class C>
bool Contains(const C& c, std::string_view v) {
  return std::find(std::begin(c), std::end(c), v) != std::end(c);
}

}  // namespace

bool IsKnownCategory(std::string_view c) { return Contains(KbCategories(), c); }
bool IsKnownChannel(std::string_view c) { return Contains(KbChannels(), c); }
bool IsKnownTransferMechanism(std::string_view m) {
  static constexpr std::array<std::string_view, 5> kMechanisms = {"data_privacy_framework", "sccs",
                                                                  "adequacy_decision", "bcrs", "none"};
  return Contains(kMechanisms, m);
}
std::string CategoryList() { return JoinAll(KbCategories()); }
std::string ChannelList() { return JoinAll(KbChannels()); }

}  // namespace kb_schema
}  // namespace blindspot
