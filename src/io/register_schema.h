// Key tables of the native register format (docs/formats/register.md). The
// parser accepts exactly these keys per object; io_tests check that
// docs/formats/register.schema.json lists the same ones, so they cannot drift.
// Object names equal the JSON Schema $defs names ("register" is the root).
#pragma once
#include <string_view>
#include <vector>

namespace blindspot::register_schema {

struct ObjectKeys {
  std::string_view object;
  std::vector<std::string_view> keys;
};

const std::vector<ObjectKeys>& AllObjects();
// Keys of one object; empty vector for an unknown object name.
const std::vector<std::string_view>& KeysOf(std::string_view object);

}  // namespace blindspot::register_schema
