// The default fideslang taxonomy (data categories and data uses), as published
// by the fideslang project (ethyca/fideslang, data_files/data_categories.csv and
// data_uses.csv, taxonomy versions 2.0.0 - 3.2.0). Keys deprecated upstream are
// still known (registers written against older taxonomies stay valid) and carry
// the key that replaced them.
// Thread-safety: read-only static tables; safe from any thread.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace blindspot {

struct TaxonomyEntry {
  std::string_view key;          // e.g. "user.contact.email"
  std::string_view name;         // e.g. "User Contact Email"
  std::string_view replaced_by;  // non-empty when deprecated upstream
};

std::span<const TaxonomyEntry> FideslangDataCategories();
std::span<const TaxonomyEntry> FideslangDataUses();

bool IsKnownDataCategory(std::string_view key);
bool IsKnownDataUse(std::string_view key);
const TaxonomyEntry* FindDataCategory(std::string_view key);
const TaxonomyEntry* FindDataUse(std::string_view key);

// Nearest known key for an unknown one ("user.contact.emial" ->
// "user.contact.email", "user.email" -> "user.contact.email"); "" if none is close.
std::string SuggestDataCategory(std::string_view key);
std::string SuggestDataUse(std::string_view key);

// True when the data category is a special category of personal data under
// GDPR Art. 9(1) (racial/ethnic origin, political opinions, religious or
// philosophical beliefs, trade-union membership, genetic, biometric, health,
// sex life/sexual orientation), including its sub-keys.
bool IsSpecialCategoryKey(std::string_view key);

}  // namespace blindspot
