// BS056: a tag in a tag-manager container (discovery observation
// tag-configured) that is evidence of a product needing consent (the kb
// entries the detector attributed it to, DiscoverySource::attributed) and is
// set to fire with no consent check: consent "not set" or "not needed", not
// paused, no blocking trigger, and no firing trigger that names consent or a
// consent manager. Products whose Dutch analytics exemption is met are not
// judged. One finding per product and container, listing its tags.
#include <algorithm>
#include <map>

#include "audit/ascii.h"
#include "audit/rule.h"

namespace blindspot::audit {
namespace {

constexpr size_t kMaxTags = 10;  // tags listed per finding; the count says how many there are

// A trigger on the consent manager's events ("Consent granted - marketing",
// "CookiebotOnAccept", "OneTrustGroupsUpdated") holds the tag back until the
// visitor chose. Not GTM's built-in "Consent Initialization - All Pages"
// trigger: it fires before every other trigger, so before the visitor chose
// (Google's "Tag Manager page view triggers",
// support.google.com/tagmanager/answer/7679319); nor a trigger on the visitor
// saying no ("consent denied", "cookies rejected").
bool ConsentTrigger(std::string_view trigger) {
  std::string t = AsciiLower(trigger);
  for (std::string_view w : {"initiali", "denied", "deny", "declin", "reject", "refus", "weiger", "afgewezen",
                             "ablehn", "abgelehnt", "no consent", "without consent", "geen toestemming"})
    if (t.find(w) != std::string::npos) return false;
  for (std::string_view w : {"consent", "cookiebot", "onetrust", "optanon", "usercentrics", "didomi",
                             "toestemming", "einwillig", "cmp"})
    if (t.find(w) != std::string::npos) return true;
  return false;
}

// Every trigger the tag fires on holds it back (the names come joined with
// ", "): one that does not is a way to fire without a choice.
bool AllConsentTriggers(std::string_view triggers) {
  if (triggers.empty() || triggers == "none") return false;
  size_t start = 0;
  while (start <= triggers.size()) {
    size_t comma = triggers.find(", ", start);
    std::string_view one =
        triggers.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (!ConsentTrigger(one)) return false;
    if (comma == std::string_view::npos) break;
    start = comma + 2;
  }
  return true;
}

// Set to fire with no consent check of its own.
bool FiresWithoutConsentCheck(const Observation& o) {
  if (o.kind != ObservationKind::kTagConfigured || o.proof == Proof::kPaused) return false;
  std::string_view consent = o.Attr("consent");
  if (consent != "not set" && consent != "not needed") return false;
  if (!o.Attr("blocking_trigger").empty()) return false;
  return !AllConsentTriggers(o.Attr("trigger"));
}

}  // namespace

void CheckTagConsentCheck(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const DiscoverySource& ds : ctx.detection.discoveries) {
    // kb id -> the observations of its tags, in file order, each once.
    std::map<std::string, std::vector<size_t>> tags;
    for (const auto& [index, kb_id] : ds.attributed) {
      const Observation& o = ds.report->observations[index];
      if (!FiresWithoutConsentCheck(o)) continue;
      const KbEntry* e = ctx.kb.Find(kb_id);
      if (!e || !e->consent_required.value) continue;
      std::vector<size_t>& v = tags[kb_id];
      if (std::find(v.begin(), v.end(), index) == v.end()) v.push_back(index);
    }
    for (const auto& [kb_id, indexes] : tags) {
      const ReconciledTouchpoint* row = nullptr;
      for (const ReconciledTouchpoint& r : ctx.touchpoints)
        if (r.kb_id == kb_id && r.detected) row = &r;
      if (row && JudgeAnalyticsExemption(*row).exempt()) continue;
      const KbEntry* e = ctx.kb.Find(kb_id);
      std::string name = e->name.empty() ? e->id : e->name;
      std::vector<MessageArg> items;
      for (size_t i : indexes) {
        if (items.size() >= kMaxTags) break;
        const Observation& o = ds.report->observations[i];
        items.push_back(
            MessageItem(Message(msg::BS056::tag)
                            .Text("name", o.subject)
                            .Text("consent", o.Attr("consent") == "not needed" ? "not_needed" : "not_set")
                            .Text("trigger", std::string(o.Attr("trigger")))
                            .Text("location", o.location)));
      }
      std::string container =
          ds.report->subject.empty() ? ds.name : ds.report->subject + " (" + ds.name + ")";
      out.push_back(ctx.Make(SubjectKind::kDetected, kb_id, name,
                             Message(msg::BS056::no_consent_check)
                                 .Text("product", name)
                                 .Number("count", static_cast<int64_t>(indexes.size()))
                                 .Text("container", container)
                                 .List("tags", std::move(items)),
                             ""));
    }
  }
}

}  // namespace blindspot::audit
