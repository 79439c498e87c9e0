// Factories of the register importers; each lives in its own src/io/<name>_importer.cc
// and is listed once in src/io/registry.cc.
#pragma once
#include "blindspot/io.h"

namespace blindspot {

// Fides / fideslang manifests: top-level `system:` list with privacy_declarations
// (and optional `organization:`). See docs/formats/register.md#importing-fides.
Importer FidesImporter();

// The Dutch Ministry of VWS's Verwerkingsregister JSON export: an array of
// processing records (docs/formats/vws.md).
Importer VwsImporter();

// Spreadsheet registers (XLSX, CSV) in a template's columns
// (data/import/templates/*.yaml; docs/formats/spreadsheets.md): one importer
// that recognises the template from the header row, and one per template that
// forces it (named as the template: nl-vng, ico-controller, ...).
Importer SpreadsheetImporter();
std::vector<Importer> SpreadsheetTemplateImporters();

// Free-text mapping shared by importers (phrase table data/import/register_terms.yaml).
// The Art. 6(1) basis a phrase names (Dutch, English, German, French); nullopt
// when it names none or more than one.
std::optional<LawfulBasis> LawfulBasisFromPhrase(std::string_view text);
// ISO 3166-1 alpha-2 code of a country name or code; "" when unknown.
std::string CountryCodeFromName(std::string_view text);
// ISO 8601 duration ("P1M") of a retention phrase naming exactly one period; "" otherwise.
std::string RetentionDuration(std::string_view text);

}  // namespace blindspot
