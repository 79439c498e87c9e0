// The state of each touchpoint while detecting (AddEvidence is in detector.h).
#include "detect/detector.h"

namespace blindspot {

using namespace detect_internal;

Tp& Detector::Impl::TouchpointFor(uint32_t entry) {
  Tp& tp = tps[entry];
  if (!tp.active) {
    tp.active = true;
    tp.out.kb_id = kb.entries()[entry].id;
    tp.out.kb = &kb.entries()[entry];
  }
  return tp;
}

}  // namespace blindspot
