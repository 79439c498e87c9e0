// DiffJson: the field-level difference of two JSON documents, the unit of the
// history (one entry per changed leaf or added/removed subtree).
#include <nlohmann/json.hpp>
#include <unordered_set>

#include "blindspot/store.h"

namespace blindspot::store {
namespace {

using Json = nlohmann::ordered_json;

std::string Dump(const Json* j) { return j ? j->dump() : std::string(); }

// An array whose items are all objects with a string "id", each id once
// (an empty array counts: items may be added to it by id).
bool IsIdArray(const Json& a) {
  if (!a.is_array()) return false;
  std::unordered_set<std::string> seen;
  for (const auto& item : a) {
    if (!item.is_object()) return false;
    auto it = item.find("id");
    if (it == item.end() || !it->is_string()) return false;
    if (!seen.insert(it->get<std::string>()).second) return false;
  }
  return true;
}

const Json* FindById(const Json& a, const std::string& id) {
  for (const auto& item : a) {
    if (item["id"].get_ref<const std::string&>() == id) return &item;
  }
  return nullptr;
}

std::string Child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

void Diff(const std::string& path, const Json* a, const Json* b, std::vector<FieldChange>& out) {
  if (!a && !b) return;
  if (!a || !b) {
    out.push_back({path, Dump(a), Dump(b)});
    return;
  }
  if (a->is_object() && b->is_object()) {
    for (auto it = a->begin(); it != a->end(); ++it) {
      auto other = b->find(it.key());
      Diff(Child(path, it.key()), &it.value(), other == b->end() ? nullptr : &other.value(), out);
    }
    for (auto it = b->begin(); it != b->end(); ++it) {
      if (!a->contains(it.key())) Diff(Child(path, it.key()), nullptr, &it.value(), out);
    }
    return;
  }
  if (a->is_array() && b->is_array() && (!a->empty() || !b->empty()) && IsIdArray(*a) && IsIdArray(*b)) {
    // By id; a change of order alone is a change of the array as a whole
    // (the ids both sides share, in their order on each side).
    std::vector<std::string> order_a, order_b;
    for (const auto& item : *a) {
      const auto& id = item["id"].get_ref<const std::string&>();
      if (FindById(*b, id)) order_a.push_back(id);
    }
    for (const auto& item : *b) {
      const auto& id = item["id"].get_ref<const std::string&>();
      if (FindById(*a, id)) order_b.push_back(id);
    }
    if (order_a != order_b) {
      out.push_back({path, a->dump(), b->dump()});
      return;
    }
    for (const auto& item : *a) {
      const auto& id = item["id"].get_ref<const std::string&>();
      Diff(path + "[" + id + "]", &item, FindById(*b, id), out);
    }
    for (const auto& item : *b) {
      const auto& id = item["id"].get_ref<const std::string&>();
      if (!FindById(*a, id)) Diff(path + "[" + id + "]", nullptr, &item, out);
    }
    return;
  }
  // A type change is a change (1 and 1.0 are the same number).
  if (*a != *b) out.push_back({path, a->dump(), b->dump()});
}

Result<std::optional<Json>> Parse(std::string_view text, const char* side) {
  if (text.empty()) return std::optional<Json>();
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return MakeError(ErrorKind::kParse, std::string("the ") + side + " document is not valid JSON");
  return std::optional<Json>(std::move(j));
}

}  // namespace

Result<std::vector<FieldChange>> DiffJson(std::string_view old_json, std::string_view new_json) {
  auto a = Parse(old_json, "old");
  if (!a) return std::unexpected(a.error());
  auto b = Parse(new_json, "new");
  if (!b) return std::unexpected(b.error());
  std::vector<FieldChange> out;
  Diff("", *a ? &**a : nullptr, *b ? &**b : nullptr, out);
  return out;
}

}  // namespace blindspot::store
