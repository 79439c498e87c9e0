// ConsentPhase: the phase folders of an evidence bundle.
#include "blindspot/evidence.h"

namespace blindspot {

std::string_view ToString(ConsentPhase p) {
  switch (p) {
    case ConsentPhase::kBeforeConsent:
      return "before-consent";
    case ConsentPhase::kAfterReject:
      return "after-reject";
    case ConsentPhase::kAfterAccept:
      return "after-accept";
    case ConsentPhase::kUnknown:
      break;
  }
  return "unknown";
}

ConsentPhase ParseConsentPhase(std::string_view folder) {
  for (ConsentPhase p : AllConsentPhases())
    if (ToString(p) == folder) return p;
  return ConsentPhase::kUnknown;
}

const std::vector<ConsentPhase>& AllConsentPhases() {
  static const std::vector<ConsentPhase> kAll = {ConsentPhase::kBeforeConsent, ConsentPhase::kAfterReject,
                                                 ConsentPhase::kAfterAccept};
  return kAll;
}

}  // namespace blindspot
