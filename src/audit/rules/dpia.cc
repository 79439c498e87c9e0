// BS014: a high-risk touchpoint (session recording, custom audiences, DMP,
// retargeting) whose activities have no assessed DPIA status.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

constexpr std::array<std::string_view, 4> kHighRisk = {"session-recording", "custom-audience", "dmp",
                                                       "retargeting"};

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS014-dpia-not-assessed";
  i.severity = Severity::kMedium;
  i.title = {"DPIA not assessed for a high-risk touchpoint",
             "DPIA niet beoordeeld voor een touchpoint met hoog risico"};
  i.remediation = {
      "Assess whether a DPIA is required (large-scale tracking, profiling, combining data sets and session "
      "recording meet several WP248 criteria and appear on the Dutch DPA's mandatory list), record the "
      "outcome "
      "in the activity, and carry out the DPIA before (further) use if it is required.",
      "Beoordeel of een DPIA verplicht is (grootschalig volgen, profilering, het combineren van datasets en "
      "sessie-opnames voldoen aan meerdere WP248-criteria en staan op de lijst van de Autoriteit "
      "Persoonsgegevens), leg de uitkomst vast bij de verwerking en voer de DPIA uit vóór (verder) gebruik "
      "als die verplicht is."};
  i.legal_sources = {src::Gdpr("Art. 35(1) and 35(3) (data protection impact assessment)",
                               "art. 35 leden 1 en 3 (gegevensbeschermingseffectbeoordeling)"),
                     src::Wp248Dpia(), src::ApDpiaList()};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.registered || !row.kb) continue;
    if (std::find(kHighRisk.begin(), kHighRisk.end(), row.kb->category) == kHighRisk.end()) continue;
    const Touchpoint& tp = *row.registered;
    if (tp.answers.in_use == false && !row.detected) continue;
    bool assessed = false;
    for (const ProcessingActivity* a : ctx.ActivitiesOf(tp)) {
      if (a->dpia.status != DpiaStatus::kNotAssessed) assessed = true;
    }
    if (assessed) continue;
    std::string product = row.kb->name.empty() ? row.kb_id : row.kb->name;
    out.push_back(MakeFinding(
        info, SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
        fmt::format(
            "Touchpoint '{}' uses {} (category {}), but none of its activities records whether a DPIA "
            "is required",
            DisplayName(tp), product, row.kb->category),
        fmt::format(
            "Touchpoint '{}' gebruikt {} (categorie {}), maar bij geen van de gekoppelde verwerkingen is "
            "vastgelegd of een DPIA verplicht is",
            DisplayName(tp), product, row.kb->category),
        tp.loc));
  }
}

}  // namespace

Rule DpiaRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit
