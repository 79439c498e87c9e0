// BS017: a touchpoint the register says is not in use, but the traffic shows.
#include <fmt/format.h>

#include "audit/rule.h"

namespace blindspot::audit {
namespace {

RuleInfo Info() {
  RuleInfo i;
  i.id = "BS017-not-in-use-but-seen";
  i.severity = Severity::kMedium;
  i.title = {"Touchpoint registered as not in use, but seen in the traffic",
             "Touchpoint staat als niet in gebruik geregistreerd, maar is gezien in het verkeer"};
  i.remediation = {
      "Remove the remaining tag or integration from the website, or correct the register (in use: yes) and "
      "complete the other touchpoint questions.",
      "Verwijder de achtergebleven tag of koppeling van de website, of corrigeer het register (in gebruik: "
      "ja) en beantwoord de overige touchpointvragen."};
  i.legal_sources = {src::Gdpr("Art. 5(1)(d) (accuracy)", "art. 5 lid 1 onder d (juistheid)"),
                     src::Gdpr("Art. 5(2) (accountability)", "art. 5 lid 2 (verantwoordingsplicht)"),
                     src::Gdpr("Art. 30(1) (records of processing activities)",
                               "art. 30 lid 1 (register van verwerkingsactiviteiten)")};
  return i;
}

void Check(const RuleInfo& info, const AuditContext& ctx, std::vector<Finding>& out) {
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (!row.detected || !row.registered || row.registered->answers.in_use != false) continue;
    const Touchpoint& tp = *row.registered;
    out.push_back(MakeFinding(
        info, SubjectKind::kTouchpoint, tp.id, DisplayName(tp),
        fmt::format("Touchpoint '{}' is registered as not in use, but {} was seen ({} {})", DisplayName(tp),
                    row.kb_id, row.detected->evidence_count,
                    row.detected->evidence_count == 1 ? "piece of evidence" : "pieces of evidence"),
        fmt::format("Touchpoint '{}' staat als niet in gebruik geregistreerd, maar {} is gezien ({} {})",
                    DisplayName(tp), row.kb_id, row.detected->evidence_count,
                    row.detected->evidence_count == 1 ? "bewijsstuk" : "bewijsstukken"),
        tp.answers.loc.line ? tp.answers.loc : tp.loc));
  }
}

}  // namespace

Rule NotInUseButSeenRule() { return MakeRule(Info(), Check); }

}  // namespace blindspot::audit
