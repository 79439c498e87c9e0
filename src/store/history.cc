// The hash of a history entry (docs/formats/history.md).
#include "db_internal.h"

namespace blindspot::store {
namespace {

// One item of the canonical serialisation: its length in bytes (decimal),
// ':', the bytes, ',' (so no choice of field contents can make two different
// entries serialise alike).
void Item(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out += ':';
  out += s;
  out += ',';
}

}  // namespace

std::string HistoryHash(const HistoryEntry& e) {
  std::string s;
  s.reserve(256 + e.old_value.size() + e.new_value.size() + e.reason.size());
  Item(s, "blindspot-history-1");
  Item(s, e.org_id);
  Item(s, std::to_string(e.seq));
  Item(s, e.at);
  Item(s, e.actor);
  Item(s, RecordKindName(e.kind));
  Item(s, e.record_id);
  Item(s, std::to_string(e.version));
  Item(s, e.field);
  Item(s, e.old_value);
  Item(s, e.new_value);
  Item(s, e.reason);
  Item(s, e.prev_hash);
  return Sha256Hex(s);
}

}  // namespace blindspot::store
