// How a discovery record's place and a tag's settings are shown: messages
// rendered in the report's language, shared by the rules' record items
// (rule_util.cc) and the reports (src/report). Stateless; thread-safe.
#pragma once
#include <string_view>

#include "blindspot/detect.h"
#include "blindspot/text.h"

namespace blindspot::audit {

// A discovery record's place in its file ("record 3 (line 40)") as a message
// whose words "line", "record" and "row" before a number are shown in the
// report's language; the rest (file and member names) as it is. The data
// keeps the English string (EvidenceItem::location, Observation::location).
Message LocationMessage(std::string_view location);

// A tag record's consent setting, tag ids and the user data it sends as
// ui.evidence_tag; empty when the record has none. A record's evidence item
// carries them in EvidenceItem::params as "consent=...", "tag_id=...",
// "user_data=..." (discovery_match.cc; masked as the observation is).
Message TagSettings(const EvidenceItem& e);

}  // namespace blindspot::audit
