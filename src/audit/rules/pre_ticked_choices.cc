// BS036: the banner's settings layer has a category that is not strictly
// necessary switched on before the visitor chose anything, as a live scan
// recorded it without clicking (before-consent scan.json:
// consent.second_layer). A necessary category that is on (and usually
// locked) is how it should be; per-vendor and legitimate-interest switches
// are not judged here (BS034 reads the consent string). A consent manager's
// declaration given as a file (declared-cookie observations with attr
// "default", cmp-onetrust) whose category that is not necessary is on by
// default ("active") is reported the same way, one finding per file.
#include <algorithm>
#include <set>

#include "audit/ascii.h"
#include "audit/rule.h"

namespace blindspot::audit {

namespace {

// A category whose cookies need no consent, by its label or key in the
// languages the scanner's button classifier reads (OneTrust's group C0001).
// Dutch "functionele cookies" are the exempt category of art. 11.7a(3) Tw, so it is
// read as necessary too (conservative: a false finding is as bad as a miss).
bool IsNecessaryCategory(const std::string& label) {
  std::string words = AsciiLower(label);
  static const char* kWords[] = {"necessar",  "essential", "strictly",   "required",     "noodzakelijk",
                                 "essentie",  "functione", "functional", "funktional",   "fonctionn",
                                 "technisch", "technical", "notwendig",  "erforderlich", "nécessaire",
                                 "necesari",  "unbedingt", "c0001",      "indispensable"};
  return std::any_of(std::begin(kWords), std::end(kWords),
                     [&](const char* w) { return words.find(w) != std::string::npos; });
}

}  // namespace

void CheckPreTickedChoices(const AuditContext& ctx, std::vector<Finding>& out) {
  for (const auto& scan : ObservationsPerScan(ctx)) {
    for (const PhaseObservations& o : scan) {
      if (o.phase != ConsentPhase::kBeforeConsent) continue;
      const ScanConsent& c = o.scan->consent;
      if (!c.has_second_layer) continue;
      std::vector<MessageArg> on;
      for (const ConsentToggle& t : c.second_layer) {
        if (t.kind != "category" || !t.checked || IsNecessaryCategory(t.category + " " + t.key)) continue;
        on.push_back(TextItem(t.category.empty() ? t.key : t.category));
      }
      if (on.empty()) continue;
      BannerSubject who = BannerOf(ctx, *o.scan, o.source);
      out.push_back(ctx.Make(SubjectKind::kDetected, who.id, who.name,
                             Message(msg::BS036::pre_ticked)
                                 .Text("banner", who.name)
                                 .List("categories", std::move(on))
                                 .Text("source", o.scan->file),
                             ""));
    }
  }
  for (const DiscoverySource& ds : ctx.detection.discoveries) {
    std::vector<MessageArg> on;
    std::set<std::string> listed;
    std::string model;
    for (const Observation& o : ds.report->observations) {
      if (o.kind != ObservationKind::kDeclaredCookie || o.Attr("default") != "active") continue;
      std::string category(o.Attr("category"));
      if (IsNecessaryCategory(category) || !listed.insert(category).second) continue;
      on.push_back(TextItem(category));
      if (model.empty()) model = o.Attr("consent_model");
    }
    if (on.empty()) continue;
    // The consent manager by the reader that read the file ("cmp-onetrust" -> kb "onetrust").
    std::string_view reader = ds.report->reader;
    std::string id = reader.starts_with("cmp-") ? std::string(reader.substr(4)) : std::string(reader);
    const KbEntry* cmp = ctx.kb.Find(id);
    std::string name = cmp ? (cmp->name.empty() ? cmp->id : cmp->name) : ds.name;
    out.push_back(ctx.Make(SubjectKind::kDetected, cmp ? cmp->id : ds.name, name,
                           Message(msg::BS036::default_on)
                               .Text("file", ds.name)
                               .List("categories", std::move(on))
                               .Text("model", model.empty() ? "none" : model),
                           ""));
  }
}

}  // namespace blindspot::audit
