// Factories of the register importers; each lives in its own src/io/<name>_importer.cc
// and is listed once in src/io/registry.cc.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blindspot/io.h"

namespace blindspot {

// Fides / fideslang manifests: top-level `system:` list with privacy_declarations
// (and optional `organization:`). See docs/formats/register.md#importing-fides.
Importer FidesImporter();

// W3C DPV 2.0 JSON-LD (an @graph of a controller, processors and dpv:Process
// activities), as the DPV exporter writes it. docs/formats/export.md#dpv.
Importer DpvImporter();

// The Dutch Ministry of VWS's Verwerkingsregister JSON export: an array of
// processing records (docs/formats/vws.md).
Importer VwsImporter();
// The VWS record's Betrokkenen flags for the special categories of personal
// data (Art. 9(1) GDPR) and the fideslang category each stands for; read by
// the VWS importer and written by the VWS exporter.
inline constexpr std::pair<const char*, const char*> kVwsSpecialCategories[] = {
    {"RasOfEtniciteit", "user.demographic.race_ethnicity"},
    {"PolitiekeGezindheid", "user.demographic.political_opinion"},
    {"GodsdienstOfLevensovertuiging", "user.demographic.religious_belief"},
    {"LidmaatschapVakvereniging", "user.demographic.union_membership"},
    {"Genetisch", "user.health.genetic"},
    {"Biometrisch", "user.biometrics"},
    {"Gezondheid", "user.health"},
    {"SeksueleLeven", "user.demographic.sexual_orientation"},
};

// Remarks (`Opmerkingen`) the VWS exporter writes for what the VWS record has
// no field for, and the VWS importer reads back into the fields they name
// (docs/formats/export.md#vws). Each is one remark: the label, then the value.
namespace vws_remark {
// The first remark of every record the exporter writes. Only in a record that
// has it are labelled remarks read as fields; in any other file (a ministry's
// own export) every remark stays a note word for word. A note that itself
// starts with a label is written after "Opmerking: " and read back as the note.
inline constexpr std::string_view kMarker =
    "Geëxporteerd met blindspot: opmerkingen met een label hieronder zijn velden";
inline constexpr std::string_view kPlainNote = "Opmerking: ";
inline constexpr std::string_view kDescription = "Omschrijving: ";  // the activity's description
// "Belangenafweging doel 3: LIA-2024-07": a purpose's legitimate-interests assessment.
inline constexpr std::string_view kLia = "Belangenafweging doel ";
// "Gegevensgebruik doel 3: marketing.advertising, essential.service": a purpose's fideslang data uses.
inline constexpr std::string_view kDataUses = "Gegevensgebruik doel ";
inline constexpr std::string_view kDpiaStatus = "DPIA-status: in uitvoering";  // DpiaStatus::kInProgress
inline constexpr std::string_view kDpiaReference = "DPIA-referentie: ";
inline constexpr std::string_view kDpiaDate = "DPIA-datum: ";
inline constexpr std::string_view kMeasureCodes = "Maatregelcodes: ";  // "encryption, access_control"
// "Overeenkomst [12]: getekend; VO-2024-3; 2024-03-01; 2027-03-01": a
// processor's agreement (or a joint controller's Art. 26 arrangement): status,
// reference, date, end date; in the first record that names the party.
inline constexpr std::string_view kAgreement = "Overeenkomst [";
inline constexpr std::pair<AgreementStatus, std::string_view> kAgreementWords[] = {
    {AgreementStatus::kSigned, "getekend"},
    {AgreementStatus::kPending, "in behandeling"},
    {AgreementStatus::kMissing, "ontbreekt"},
    {AgreementStatus::kNotRequired, "niet nodig"}};
// "Bijzondere gegevens: user.health; Art. 9(2)(h); reason": a special
// category's condition and justification (and one the flags cannot name).
inline constexpr std::string_view kSpecial = "Bijzondere gegevens: ";
// "Strafrechtelijke gegevens: UAVG art. 33; reason": Art. 10 data's basis and justification.
inline constexpr std::string_view kCriminal = "Strafrechtelijke gegevens: ";
}  // namespace vws_remark
// The VWS record's `Ontvangers` entry for an independent controller
// (VendorRole::kIndependentController) ends with this.
inline constexpr std::string_view kIndependentSuffix = " (zelfstandig verwerkingsverantwoordelijke)";
// True when a remark starts with one of the labels above (vws_importer.cc).
bool IsVwsFieldRemark(std::string_view remark);
// The Dutch phrase the VWS exporter writes for a safeguard
// (BuitenEuPassendBeschermingsniveau); SafeguardFromPhrase reads it back. ""
// for kNone.
std::string_view VwsSafeguardPhrase(TransferSafeguard s);

// The open Dutch privacy-register standard's JSON (legalclinic/privacyregister-standard):
// an Organisation with processingActivitiesAsController/AsProcessor
// (docs/formats/privacyregister.md).
Importer PrivacyRegisterImporter();

// Spreadsheet registers (XLSX, CSV) in a template's columns
// (data/import/templates/*.yaml; docs/formats/spreadsheets.md): one importer
// that recognises the template from the header row, and one per template that
// forces it (named as the template: nl-vng, ico-controller, ...).
Importer SpreadsheetImporter();
std::vector<Importer> SpreadsheetTemplateImporters();
// A template's columns in order, as the layout exporters write them: each
// column's field (purposes, lawful_basis, note, ...) and its first header.
struct SheetLayout {
  std::string name, language, source;
  std::vector<std::pair<std::string, std::string>> columns;  // field, header
  // The second sheet of the XLSX layout: the register's processors, one per
  // row (empty name and columns: the template has none).
  std::string processor_sheet;
  std::vector<std::pair<std::string, std::string>> processor_columns;  // field, header
  // The third sheet of the XLSX layout: the organisation, one label (column
  // A) and its value (column B) per row (empty: the template has none).
  std::string organisation_sheet;
  std::vector<std::pair<std::string, std::string>> organisation_fields;  // field, label
};
std::optional<SheetLayout> SheetTemplateLayout(std::string_view name);
// The recipient of a transfer a spreadsheet names only by its country ("US"
// rather than "US (Mailchimp)"); the layout exports write no recipient for it.
inline constexpr std::string_view kUnnamedTransferRecipient = "(not named in the spreadsheet)";

// `text` cut at each `separator`, left to right ("a; b; c" -> a, b, c). Parts
// are kept as they are, empty ones too: "a; ; b" -> a, "", b; "a; " -> a, "";
// "" -> one empty part. A separator is found only whole ("a;b; c" -> "a;b",
// c). With max_parts > 0, the last part is the rest of the text, separators
// and all ("x; y; z; w", 3 -> x, y, "z; w"). The caller skips empty parts
// where they mean nothing.
std::vector<std::string> SplitFields(std::string_view text, std::string_view separator, size_t max_parts = 0);

// Free-text mapping shared by importers (src/io/register_terms.cc, phrase table
// data/import/register_terms.yaml). Matching works on FoldPhrase(text): lower
// case, runs of spaces and punctuation as one space, accents kept.
std::string FoldPhrase(std::string_view text);
// Lower case, accents off (Latin-1 letters), punctuation and line breaks as
// one space: "Categorieën\nbetrokkenen (*)" -> "categorieen betrokkenen".
// For matching column headers and making ids.
std::string FoldHeader(std::string_view text);
// An id slug from a name or record number: FoldHeader's letters and digits,
// other runs as one '-', at most 60 characters ("Werving & selectie" ->
// "werving-selectie", "M5071" -> "m5071").
std::string IdSlug(std::string_view text);
// The Art. 6(1) basis a phrase names (an article reference such as
// "art. 6.1 (b)" first, else the Dutch, English, German, French phrases);
// nullopt when it names none or more than one.
std::optional<LawfulBasis> LawfulBasisFromPhrase(std::string_view text);
// The ISO code of the one country a longer text names ("hosting in de
// Verenigde Staten" -> "US"); "" when it names none or several.
std::string CountryCodeInText(std::string_view text);
// The Art. 6(1) basis an article reference names; nullopt when none or several.
std::optional<LawfulBasis> LawfulBasisFromArticle(std::string_view text);
// The Art. 9(2) condition letter a phrase names; nullopt when none or several.
std::optional<Art9Condition> Art9ConditionFromPhrase(std::string_view text);
// The fideslang data categories a description of personal data names, in
// order; empty when none. The text itself stays the importer's to keep.
std::vector<std::string> DataCategoriesFromPhrase(std::string_view text);
// ISO 3166-1 alpha-2 code of a country name or code; "" when unknown.
std::string CountryCodeFromName(std::string_view text);
// ISO 8601 duration ("P1M") of a retention phrase naming exactly one period; "" otherwise.
std::string RetentionDuration(std::string_view text);
// A retention cell as period and justification: "P7Y (Archiefwet)" -> P7Y,
// "Archiefwet"; "7 jaar na einde contract" -> P7Y with the words as the
// justification; text naming no single duration -> the text as the period
// (the second value is then false: the caller warns).
std::pair<Retention, bool> RetentionFromText(std::string_view text);
// The Chapter V safeguard a phrase names by keyword (nl, en, de, fr), read in
// the words before "; " when there is one; nullopt when none.
std::optional<TransferSafeguard> SafeguardFromPhrase(std::string_view text);

}  // namespace blindspot
