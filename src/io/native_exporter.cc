// The native register format as exporters (docs/formats/register.md): the
// text WriteRegisterYaml / WriteRegisterJson write, read back identical.
#include "io/exporters.h"

namespace blindspot {

Exporter YamlExporter() {
  Exporter e;
  e.name = "yaml";
  e.description = "blindspot's native register format, YAML (round trip identical)";
  e.extensions = {".yaml", ".yml"};
  e.default_for_extension = true;
  e.write = [](const Register& r, const ExportOptions&) -> std::expected<std::string, Error> {
    return WriteRegisterYaml(r);
  };
  return e;
}

Exporter JsonExporter() {
  Exporter e;
  e.name = "json";
  e.description = "blindspot's native register format, JSON (round trip identical)";
  e.extensions = {".json"};
  e.default_for_extension = true;
  e.write = [](const Register& r, const ExportOptions&) -> std::expected<std::string, Error> {
    return WriteRegisterJson(r);
  };
  return e;
}

}  // namespace blindspot
