// Fixed vocabularies of the kb entry schema (documented in docs/kb.md).
// Internal to bs_kb. Pure functions over static tables; thread-safe.
#pragma once
#include <string>
#include <string_view>

namespace blindspot::kb_schema {

bool IsKnownCategory(std::string_view category);
bool IsKnownChannel(std::string_view channel);
bool IsKnownTransferMechanism(std::string_view mechanism);
// Comma-separated lists for error messages.
std::string CategoryList();
std::string ChannelList();

}  // namespace blindspot::kb_schema
