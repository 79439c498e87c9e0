// Factories of the register importers; each lives in its own src/io/<name>_importer.cc
// and is listed once in src/io/registry.cc.
#pragma once
#include "blindspot/io.h"

namespace blindspot {

// Fides / fideslang manifests: top-level `system:` list with privacy_declarations
// (and optional `organization:`). See docs/formats/register.md#importing-fides.
Importer FidesImporter();

}  // namespace blindspot
