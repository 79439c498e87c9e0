// Importer for spreadsheet registers (XLSX and CSV) kept in the columns of a
// template: the templates are data (data/import/templates/<name>.yaml: the
// header texts that mean each model field, in column order), the workbook is
// read by src/sheet. The header row is the row among a sheet's first 20 that
// matches most of a template's headers; each row below it is an activity
// (rows with the same name are one activity when the template says rows are
// per purpose or system). Cells are mapped with the phrase tables
// (LawfulBasisFromPhrase, CountryCodeFromName, RetentionDuration); what cannot
// be mapped is kept in the activity's notes as "<Header>: <cell>" with a
// warning naming the sheet and cell. A second sheet in the template's
// processor columns (the XLSX export's) fills the register's processors; its
// cells are read strictly (an error per bad cell). docs/formats/spreadsheets.md.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <tuple>
#include <unordered_map>

#include "blindspot/catalog.h"
#include "blindspot/embedded.h"
#include "blindspot/fideslang.h"
#include "blindspot/io.h"
#include "blindspot/sheet.h"
#include "blindspot/suggest.h"
#include "input/yaml_walker.h"
#include "io/importers.h"
#include "io/json_record_reader.h"

namespace blindspot {

namespace yaml = input::yaml;

namespace {

constexpr size_t kHeaderRows = 20;
constexpr size_t kMaxCellWarnings = 200;

// The fields a column can map to, with what the importer does with a cell.
struct FieldInfo {
  const char* name;
  bool list;  // the cell holds a list (split on newlines, ';' and ',')
  const char* help;
};
constexpr FieldInfo kFields[] = {
    {"id", false, "the activity's id (a slug such as hr-recruitment; else one is made from the name)"},
    {"name", false, "the activity's name (one column must map to it)"},
    {"description", false, "the activity's description"},
    {"business_function", false, "the department that owns the activity"},
    {"owner", false, "the person or role that owns it"},
    {"purposes", true, "purposes (one per line)"},
    {"lawful_basis", false, "the Art. 6 basis, in words (Dutch, English, French, German)"},
    {"lia_reference", false, "where the legitimate-interests assessment is kept"},
    {"data_subjects", true, "categories of data subjects"},
    {"data_categories", true, "categories of personal data (fideslang keys; other text becomes a note)"},
    {"special_categories", true, "special categories of personal data (Art. 9)"},
    {"recipients", true, "categories of recipients"},
    {"processors", true, "processors (names)"},
    {"joint_controllers", true, "joint controllers (names)"},
    {"transfer_countries", true, "countries outside the EEA the data go to (names or codes)"},
    {"transfer_safeguards", false, "the safeguard of those transfers (adequacy, SCCs, BCRs)"},
    {"retention", false, "the retention period (a duration where the text names one)"},
    {"toms", false, "technical and organisational security measures"},
    {"data_sources", true, "where the data come from"},
    {"systems", true, "the systems (applications) used"},
    {"criminal_data", false, "Art. 10 data: the provision that allows processing them (UAVG art. 31-33)"},
    {"national_id", false, "the national identification number (BSN): the law that allows using it"},
    {"large_scale", false, "whether the processing is large-scale (yes/no)"},
    {"dpia", false, "whether a DPIA is required, in progress or done"},
    {"dpia_reference", false, "where the DPIA is kept"},
    {"note", false, "kept word for word in the activity's notes, labelled with the column's header"},
    {"notes", true, "notes, one per line; a line that starts with a label ('Label: text') keeps it"},
    {"ignore", false, "not read"},
};
const FieldInfo* Field(std::string_view name) {
  for (const auto& f : kFields)
    if (name == f.name) return &f;
  return nullptr;
}

struct Column {
  std::string field;
  std::vector<std::string> headers;  // folded
  std::string title;                 // the first header as written (the export's header)
};
struct Template {
  std::string name, description, source;
  std::string language = "en";  // of the template's texts: the export writes values in it
  bool merge_rows = false;
  std::vector<Column> columns;
  // The sheet of the register's processors (processor_sheet,
  // processor_columns): its name as the export writes it and its columns.
  std::string processor_sheet;
  std::vector<Column> processor_columns;
  // The sheet of the organisation (organisation_sheet, organisation_fields):
  // a label in column A, its value in column B.
  std::string organisation_sheet;
  std::vector<Column> organisation_fields;
};

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  std::string_view t = s.substr(b, e - b + 1);
  if (t.find('\r') == std::string_view::npos) return std::string(t);
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i)
    if (!(t[i] == '\r' && i + 1 < t.size() && t[i + 1] == '\n')) out += t[i];
  return out;
}

// True when the cell holds only spaces, tabs and line ends (Trim(s).empty()
// without making the string).
bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// "N/A", "n.v.t.", "geen", "none", "-": a cell that says there is nothing.
bool SaysNothing(std::string_view cell) {
  if (cell.size() > 24) return false;  // longer than every word below, spaces included
  // Every word below starts with one of these letters (a quick no for most cells).
  size_t first = 0;
  while (first < cell.size() && !std::isalnum(static_cast<unsigned char>(cell[first]))) ++first;
  if (first < cell.size() && std::string_view("ngkasNGKAS").find(cell[first]) == std::string_view::npos)
    return false;
  static const std::set<std::string> kNothing = {"",
                                                 "n a",
                                                 "na",
                                                 "n v t",
                                                 "nvt",
                                                 "none",
                                                 "geen",
                                                 "nee",
                                                 "no",
                                                 "non",
                                                 "nein",
                                                 "keine",
                                                 "aucun",
                                                 "aucune",
                                                 "neant",
                                                 "sans objet",
                                                 "nicht zutreffend",
                                                 "not applicable",
                                                 "niet van toepassing"};
  return kNothing.count(FoldHeader(cell)) > 0;
}

// Whether a cell, as read, ends with a line break (spaces after it aside):
// the layout exports end a list cell so when one of its items holds a ',' or
// ';' ("Webhosting Utrecht, Amsterdam B.V."), and such a cell is one item per
// line (SplitList's `by_line`).
bool EndsWithLineBreak(std::string_view raw) {
  size_t e = raw.find_last_not_of(" \t");
  return e != std::string_view::npos && (raw[e] == '\n' || raw[e] == '\r');
}

// Splits a list cell on newlines and ';' and, unless `commas` is false (a
// purpose such as "Advertising, Marketing or Promotion" is one item), on ','.
// With `by_line` only on newlines: each line is one item, commas and
// semicolons included.
std::vector<std::string> SplitList(std::string_view cell, bool commas = true, bool by_line = false) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::string t = Trim(cur);
    if (!t.empty() && !SaysNothing(t) && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    cur.clear();
  };
  int depth = 0;
  for (char c : cell) {
    if (c == '(') ++depth;
    if (c == ')' && depth > 0) --depth;
    bool split =
        c == '\n' ? by_line || depth == 0 : !by_line && depth == 0 && (c == ';' || (c == ',' && commas));
    if (split) {
      if (c == '\n') depth = 0;
      flush();
    } else {
      cur += c;
    }
  }
  flush();
  return out;
}

// ISO 3166-1 alpha-3 codes (as the Fides export writes countries: "CAN, USA,
// GBR") of the countries the phrase table names, to their alpha-2 code (ISO
// 3166 Maintenance Agency). Kept here rather than in the phrase table: there a
// name matches inside free text, and "can" or "ind" are words.
std::string Alpha3(std::string_view code) {
  static const std::map<std::string, std::string, std::less<>> kCodes = {
      {"AUS", "AU"}, {"AUT", "AT"}, {"BEL", "BE"}, {"CAN", "CA"}, {"CHE", "CH"}, {"DEU", "DE"}, {"DNK", "DK"},
      {"ESP", "ES"}, {"FIN", "FI"}, {"FRA", "FR"}, {"GBR", "GB"}, {"IND", "IN"}, {"IRL", "IE"}, {"ITA", "IT"},
      {"JPN", "JP"}, {"LUX", "LU"}, {"NLD", "NL"}, {"POL", "PL"}, {"SWE", "SE"}, {"USA", "US"}};
  auto it = kCodes.find(code);
  return it == kCodes.end() ? "" : it->second;
}

// ---- templates (data/import/templates/*.yaml, embedded by the data/import glob)
// ------------------------------------

Template ReadTemplate(const input::yaml::Node& root) {
  Template t;
  t.name = root["name"].Scalar();
  t.description = root["description"].Scalar();
  t.source = root["source"].Scalar();
  t.merge_rows = root["merge_rows"].IsDefined() && root["merge_rows"].Scalar() == "true";
  if (root["language"].IsDefined()) t.language = root["language"].Scalar();
  auto read_columns = [](const yaml::Node& cols) {
    std::vector<Column> out;
    for (size_t i = 0; i < cols.size(); ++i) {
      Column c;
      c.field = cols[i]["field"].Scalar();
      yaml::Node hs = cols[i]["headers"];
      for (size_t j = 0; j < hs.size(); ++j) c.headers.push_back(FoldHeader(hs[j].Scalar()));
      if (hs.size() > 0) c.title = hs[0].Scalar();
      out.push_back(std::move(c));
    }
    return out;
  };
  t.columns = read_columns(root["columns"]);
  if (root["processor_sheet"].IsDefined()) t.processor_sheet = root["processor_sheet"].Scalar();
  if (root["processor_columns"].IsDefined()) t.processor_columns = read_columns(root["processor_columns"]);
  if (root["organisation_sheet"].IsDefined()) t.organisation_sheet = root["organisation_sheet"].Scalar();
  if (root["organisation_fields"].IsDefined())
    t.organisation_fields = read_columns(root["organisation_fields"]);
  return t;
}

const std::vector<Template>& Templates() {
  static const std::vector<Template> kTemplates = [] {
    std::vector<Template> out;
    for (std::size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i) {
      std::string_view path(kDataFiles[i].path);
      if (!path.starts_with("import/templates/") || !path.ends_with(".yaml")) continue;
      input::Walker w(kDataFiles[i].data, "data/" + std::string(path));
      auto root = w.Load("a spreadsheet template");
      if (!root || !root->IsMap()) continue;
      Template t = ReadTemplate(*root);
      if (std::none_of(out.begin(), out.end(), [&](const Template& o) { return o.name == t.name; }))
        out.push_back(std::move(t));
    }
    // A stable order: the registry lists them alphabetically.
    std::sort(out.begin(), out.end(), [](const Template& a, const Template& b) { return a.name < b.name; });
    return out;
  }();
  return kTemplates;
}

// The key of the fideslang data use whose name `text` is (case and accents
// ignored); "" when none.
std::string DataUseNamed(std::string_view text) {
  static const std::unordered_map<std::string, std::string> kByName = [] {
    std::unordered_map<std::string, std::string> m;
    for (const TaxonomyEntry& e : FideslangDataUses())
      if (e.replaced_by.empty()) m.emplace(FoldHeader(e.name), std::string(e.key));
    return m;
  }();
  if (text.size() > 80) return "";
  auto it = kByName.find(FoldHeader(text));
  return it == kByName.end() ? "" : it->second;
}

// ---- the column map of one sheet ----------------------------------------------------

struct Layout {
  size_t sheet = 0;
  size_t header_row = 0;
  std::vector<std::string> fields;  // per column: a field, "note" or "" (not a header: unknown column)
  std::string template_name;        // "" for a user map
  bool merge_rows = false;
  size_t matched = 0;
};

size_t MatchRow(const std::vector<std::string>& row, const std::vector<Column>& cols,
                std::vector<std::string>* fields) {
  size_t n = 0;
  if (fields) fields->assign(row.size(), "");
  for (size_t c = 0; c < row.size(); ++c) {
    std::string h = FoldHeader(row[c]);
    if (h.empty()) continue;
    for (const auto& col : cols)
      if (std::find(col.headers.begin(), col.headers.end(), h) != col.headers.end()) {
        ++n;
        if (fields) (*fields)[c] = col.field;
        break;
      }
  }
  return n;
}

// The best header row of any sheet for the given templates.
std::optional<Layout> FindLayout(const sheet::Workbook& wb, const std::vector<const Template*>& templates) {
  std::optional<Layout> best;
  for (size_t s = 0; s < wb.sheets.size(); ++s)
    for (size_t r = 0; r < std::min(kHeaderRows, wb.sheets[s].rows.size()); ++r)
      for (const Template* t : templates) {
        size_t n = MatchRow(wb.sheets[s].rows[r], t->columns, nullptr);
        // A visible sheet wins over a hidden one (an old register kept
        // hidden in the workbook), then the most columns recognised.
        auto better = [&] {
          if (!best) return true;
          bool hidden = wb.sheets[s].hidden, best_hidden = wb.sheets[best->sheet].hidden;
          if (!hidden && best_hidden) return n >= 3 || n > best->matched;
          if (hidden && !best_hidden) return best->matched < 3 && n > best->matched;
          return n > best->matched;
        };
        if (n > 0 && better()) {
          best = Layout{s, r, {}, t->name, t->merge_rows, n};
          MatchRow(wb.sheets[s].rows[r], t->columns, &best->fields);
        }
      }
  return best;
}

// ---- forms: one activity per sheet ----------------------------------------------------
// A register kept as forms, one sheet per activity with a label in one
// column and its value to the right (the CNIL's "fiche de registre", and
// many registers made after it), is read as a table: the labels become the
// header row and each form one row under it. Every cell keeps the sheet and
// position it came from, for the messages.

struct CellOrigin {
  size_t sheet = 0, row = 0, col = 0;
};

// A value of a one-cell field (the name, the id) beyond its first cell: kept
// as a note on the form's activity, never merged into the name.
struct FormExtra {
  size_t row = 0;  // the form's row in Forms::wb.sheets[0]
  CellOrigin at;
  std::string label, text;
};

struct Forms {
  sheet::Workbook wb;  // one sheet: the labels, then one row per form
  // [row][col] of wb.sheets[0]: the cell of the book it came from; nullopt
  // for a label the form does not have (messages then name its sheet's A1).
  std::vector<std::vector<std::optional<CellOrigin>>> origin;
  std::vector<size_t> sheet_of;  // [row]: the book's sheet of the form (row 0: the first form's)
  std::vector<FormExtra> extras;
  Layout layout;
  size_t sheets = 0;             // forms read
  std::vector<size_t> nameless;  // sheets with the template's labels but none for the name
};

// The column of `sh` (among the first three) whose cells name the most of
// the template's fields, the name among them; `matched` their number.
std::pair<size_t, size_t> FormLabelColumn(const sheet::Sheet& sh, const Template& t, bool need_name = true) {
  size_t best_col = 0, best = 0;
  for (size_t c = 0; c < 3; ++c) {
    std::set<std::string> fields;
    for (size_t r = 0; r < sh.rows.size(); ++r) {
      std::string h = FoldHeader(sh.Cell(r, c));
      if (h.empty()) continue;
      for (const Column& col : t.columns)
        if (std::find(col.headers.begin(), col.headers.end(), h) != col.headers.end())
          fields.insert(col.field);
    }
    if ((!need_name || fields.count("name")) && fields.size() > best) {
      best = fields.size();
      best_col = c;
    }
  }
  return {best_col, best};
}

std::optional<Forms> FindForms(const sheet::Workbook& wb, const std::vector<const Template*>& templates) {
  const Template* tpl = nullptr;
  size_t most = 0;
  for (const Template* t : templates) {
    size_t n = 0;
    for (const sheet::Sheet& sh : wb.sheets) n += FormLabelColumn(sh, *t).second >= 3;
    if (n > most) {
      most = n;
      tpl = t;
    }
  }
  if (!tpl) return std::nullopt;
  Forms f;
  f.wb.sheets.resize(1);
  sheet::Sheet& out = f.wb.sheets[0];
  out.name = wb.sheets.empty() ? "" : wb.sheets[0].name;
  out.rows.resize(1);
  f.origin.resize(1);
  std::map<std::string, size_t> column_of;  // folded label -> column
  auto field_of = [&](const std::string& folded) -> std::string {
    for (const Column& col : tpl->columns)
      if (std::find(col.headers.begin(), col.headers.end(), folded) != col.headers.end()) return col.field;
    return "";
  };
  f.sheet_of.push_back(0);
  for (size_t s = 0; s < wb.sheets.size(); ++s) {
    const sheet::Sheet& sh = wb.sheets[s];
    auto [lc, n] = FormLabelColumn(sh, *tpl);
    if (n < 3) {
      if (FormLabelColumn(sh, *tpl, /*need_name=*/false).second >= 3) f.nameless.push_back(s);
      continue;
    }
    if (++f.sheets == 1) f.sheet_of[0] = s;
    const size_t form_row = out.rows.size();
    std::vector<std::string> row;
    std::vector<std::optional<CellOrigin>> from;      // the value's first cell, once there is one
    std::vector<std::optional<CellOrigin>> label_at;  // each label's cell in this form
    constexpr size_t kNone = static_cast<size_t>(-1);
    size_t open = kNone;  // the column a value under its label continues
    // The cells right of a label (and below it, continued): one line each; a
    // one-cell field (name, id) takes the first, the others are extras.
    auto add = [&](size_t c, size_t r) {
      const std::string& field = f.layout.fields[c];
      const bool one = field == "name" || field == "id";
      for (size_t vc = lc + 1; vc < sh.rows[r].size(); ++vc) {
        std::string v = Trim(sh.rows[r][vc]);
        if (v.empty()) continue;
        if (one && !row[c].empty()) {
          f.extras.push_back({form_row, {s, r, vc}, out.rows[0][c], v});
          continue;
        }
        row[c] += (row[c].empty() ? "" : "\n") + v;
        if (!from[c]) from[c] = CellOrigin{s, r, vc};
      }
    };
    for (size_t r = 0; r < sh.rows.size(); ++r) {
      std::string label = Trim(sh.Cell(r, lc));
      bool valued = false;
      for (size_t c = lc + 1; c < sh.rows[r].size() && !valued; ++c) valued = !Trim(sh.rows[r][c]).empty();
      if (label.empty()) {
        if (open != kNone && valued) add(open, r);
        continue;
      }
      open = kNone;
      std::string key = FoldHeader(label);
      std::string field = field_of(key);
      if (!valued && field.empty()) continue;  // a section title
      // The name and the id are one column whichever of their labels a form uses.
      if (field == "name" || field == "id") key = "\x01" + field;
      auto [it, added] = column_of.emplace(key, out.rows[0].size());
      if (added) {
        out.rows[0].push_back(label);
        f.origin[0].push_back(CellOrigin{s, r, lc});
        f.layout.fields.push_back(field);
      }
      size_t c = it->second;
      if (row.size() <= c) {
        row.resize(c + 1);
        from.resize(c + 1);
        label_at.resize(c + 1);
      }
      label_at[c] = CellOrigin{s, r, lc};
      add(c, r);
      open = c;
    }
    // A label without a value: messages name the cell right of it.
    for (size_t c = 0; c < from.size(); ++c)
      if (!from[c] && label_at[c]) from[c] = CellOrigin{s, label_at[c]->row, lc + 1};
    out.rows.push_back(std::move(row));
    f.origin.push_back(std::move(from));
    f.sheet_of.push_back(s);
  }
  f.layout.sheet = 0;
  f.layout.header_row = 0;
  f.layout.template_name = tpl->name;
  f.layout.merge_rows = false;
  f.layout.matched = 0;
  for (const std::string& field : f.layout.fields) f.layout.matched += !field.empty();
  return f;
}

// ---- reading the rows ------------------------------------------------------------------

class SheetReader {
 public:
  SheetReader(const sheet::Workbook& wb, const Layout& layout, const std::string& file)
      : wb_(wb), sh_(wb.sheets[layout.sheet]), layout_(layout), file_(file) {}
  // Reads forms (FindForms): messages name each cell where it is in `book`.
  SheetReader(const Forms& forms, const sheet::Workbook& book, const std::string& file)
      : SheetReader(forms.wb, forms.layout, file) {
    forms_ = &forms;
    book_ = &book;
  }

  std::expected<LoadedRegister, Diagnostics> Run() {
    LoadedRegister out;
    out.reg.source = file_;
    out.reg.version = "1";
    out.map.file = file_;
    map_ = &out.map;
    reg_ = &out.reg;
    for (const Error& w : wb_.warnings) {  // each a cell (or range) cut or read as empty
      warnings_.push_back(w);
      warnings_.back().not_read = true;
    }
    const auto& header = sh_.rows[layout_.header_row];
    size_t name_col = header.size();
    for (size_t c = 0; c < layout_.fields.size(); ++c)
      if (layout_.fields[c] == "name") name_col = c;
    if (name_col == header.size()) {
      Error e =
          Make(layout_.header_row, 0,
               fmt::format("the header row has no column for the activity's name{}",
                           layout_.template_name.empty() ? "" : " (template " + layout_.template_name + ")"),
               false);
      e.expected = "one column that names each activity";
      return std::unexpected(Diagnostics{e});
    }
    Preamble();
    // At most one activity per row: no reallocation moves them all again.
    out.reg.activities.reserve(sh_.rows.size() - layout_.header_row - 1);
    std::map<size_t, size_t> activity_of;  // forms: row -> its activity
    Diagnostics empty_forms;
    for (size_t r = layout_.header_row + 1; r < sh_.rows.size(); ++r) {
      if (forms_ && (Blank(sh_.Cell(r, name_col)) || SaysNothing(sh_.Cell(r, name_col)))) {
        // A form's wording, at the cell right of its name label.
        Error e =
            Make(r, name_col,
                 fmt::format("the form's '{}' is empty; the sheet is not imported", Header(name_col)), true);
        e.expected =
            "the activity's name right of the label (a formula's saved value counts, an unsaved one is "
            "empty)";
        e.not_read = true;
        empty_forms.push_back(std::move(e));
        continue;
      }
      const size_t before = reg_->activities.size();
      Row(r, name_col);
      if (forms_ && reg_->activities.size() > before) activity_of[r] = before;
    }
    if (forms_) FormExtras(activity_of);
    if (out.reg.activities.empty() && !empty_forms.empty()) {
      for (Error& e : empty_forms) e.warning = false;
      return std::unexpected(std::move(empty_forms));
    }
    for (Error& e : empty_forms) warnings_.push_back(std::move(e));
    if (out.reg.activities.empty()) {
      Error e = Make(layout_.header_row, name_col, "no row below the header names an activity", false);
      e.expected = fmt::format("rows with a name in column {} ('{}')", sheet::ColumnName(name_col),
                               Trim(header[name_col]));
      return std::unexpected(Diagnostics{e});
    }
    if (cell_warnings_ > kMaxCellWarnings) {
      Error e = Make(layout_.header_row, 0,
                     fmt::format("{} more cells were kept as notes without a warning each",
                                 cell_warnings_ - kMaxCellWarnings),
                     true);
      warnings_.push_back(std::move(e));
    }
    ProcessorSheet();
    OrganisationSheet();
    ResolveTransferRecipients();
    if (!errors_.empty()) return std::unexpected(std::move(errors_));
    Diagnostics errors;
    for (Error& e : ValidateImported(out)) {
      AtProcessorCell(e);
      InSheet(e);
      (e.warning ? warnings_ : errors).push_back(std::move(e));
    }
    if (!errors.empty()) return std::unexpected(std::move(errors));
    out.warnings = std::move(warnings_);
    return out;
  }

 private:
  Error Make(size_t row, size_t col, std::string message, bool warning) const {
    return MakeIn(sh_, row, col, std::move(message), warning);
  }
  Error MakeIn(const sheet::Sheet& sh, size_t row, size_t col, std::string message, bool warning) const {
    Error e;
    e.kind = ErrorKind::kSchema;
    e.warning = warning;
    e.where.file = file_;
    // The register sheet's cells by their own place (forms: FindForms).
    e.message = (&sh == &sh_ ? Where(row, col) : sheet::Where(sh, row, col)) + ": " + message;
    return e;
  }
  // The validator places an error by the source map, a cell's row and column
  // as line and column; said instead as the sheet and cell, as every other
  // message here ("sheet 'Register' A3: duplicate activity id 'x'"). The
  // processors' and the organisation's places may be on a sheet of their
  // own, which the map does not say: those keep the line and column.
  void InSheet(Error& e) const {
    if (e.where.line == 0 || e.where.column == 0 || e.path.starts_with("processors") ||
        e.path.starts_with("organisation"))
      return;
    e.message = Where(e.where.line - 1, e.where.column - 1) + ": " + e.message;
    e.where.line = e.where.column = 0;
  }
  std::string Where(size_t row, size_t col) const {
    if (forms_ && row < forms_->origin.size()) {
      const auto& from = forms_->origin[row];
      if (col < from.size() && from[col])
        return sheet::Where(book_->sheets[from[col]->sheet], from[col]->row, from[col]->col);
      return sheet::Where(book_->sheets[forms_->sheet_of[row]], 0, 0);
    }
    return sheet::Where(sh_, row, col);
  }
  std::string Header(size_t col) const {
    std::string h = Trim(sh_.Cell(layout_.header_row, col));
    for (char& c : h)
      if (c == '\n') c = ' ';
    return h.empty() ? "Column " + sheet::ColumnName(col) : h;
  }
  // Keeps the cell as a note; `why` empty for columns kept as notes by the map.
  void Note(ProcessingActivity& a, size_t row, size_t col, const std::string& text, const std::string& why) {
    std::string note = Header(col) + ": " + text;
    if (std::find(a.notes.begin(), a.notes.end(), note) != a.notes.end()) return;
    a.notes.push_back(note);
    if (why.empty()) return;
    if (++cell_warnings_ > kMaxCellWarnings) return;
    std::string shown = text.size() > 80 ? text.substr(0, 77) + "..." : text;
    Error e =
        Make(row, col, fmt::format("'{}' kept as a note on activity '{}': {}", Header(col), a.id, why), true);
    e.hint = "kept: \"" + shown + "\"";
    warnings_.push_back(std::move(e));
  }

  // A form's second value of its name or id (FindForms): a note on its
  // activity, said at its cell.
  void FormExtras(const std::map<size_t, size_t>& activity_of) {
    for (const FormExtra& x : forms_->extras) {
      auto it = activity_of.find(x.row);
      if (it == activity_of.end()) continue;
      ProcessingActivity& a = reg_->activities[it->second];
      std::string note = x.label + ": " + x.text;
      if (std::find(a.notes.begin(), a.notes.end(), note) == a.notes.end()) a.notes.push_back(note);
      const size_t c = ColumnOfLabel(x.label);
      const auto& first = forms_->origin[x.row];
      Error e = MakeIn(
          book_->sheets[x.at.sheet], x.at.row, x.at.col,
          fmt::format("a second value of the form's '{}' kept as a note on activity '{}': the {} is "
                      "one cell, {}",
                      x.label, a.id, layout_.fields[c],
                      c < first.size() && first[c] ? sheet::CellName(first[c]->row, first[c]->col) : "?"),
          true);
      e.hint = "kept: \"" + (x.text.size() > 80 ? x.text.substr(0, 77) + "..." : x.text) + "\"";
      warnings_.push_back(std::move(e));
    }
  }
  size_t ColumnOfLabel(const std::string& label) const {
    const auto& header = sh_.rows[layout_.header_row];
    return static_cast<size_t>(std::find(header.begin(), header.end(), label) - header.begin());
  }

  // The block above the header (the Fides export's controller, DPO and
  // representative): "name/address/email/phone" labels with the value to
  // their right, under a section title.
  void Preamble() {
    std::set<std::pair<size_t, size_t>> used;  // cells read as a label, a value or a section title
    for (size_t r = 0; r < layout_.header_row; ++r) {
      const auto& cells = sh_.rows[r];
      for (size_t c = 0; c + 1 < cells.size(); ++c) {
        std::string label = FoldHeader(cells[c]);
        static const std::set<std::string> kLabels = {"name",   "naam",  "address",  "adres", "email",
                                                      "e mail", "phone", "telefoon", "nom",   "adresse"};
        if (!kLabels.count(label) || Blank(cells[c + 1])) continue;
        // The section: the nearest title above in this column.
        std::string section;
        for (size_t up = r; up-- > 0;) {
          std::string t = FoldHeader(sh_.Cell(up, c));
          if (!t.empty() && !kLabels.count(t)) {
            section = t;
            used.emplace(up, c);
            break;
          }
        }
        used.emplace(r, c);
        used.emplace(r, c + 1);
        Contact* who = &reg_->organisation.contact;
        if (section.find("protection officer") != std::string::npos ||
            section.find("dpo") != std::string::npos || section.find("functionaris") != std::string::npos)
          who = &reg_->organisation.dpo;
        else if (section.find("representative") != std::string::npos ||
                 section.find("vertegenwoordiger") != std::string::npos)
          who = &reg_->organisation.representative;
        std::string value = Trim(cells[c + 1]);
        if (label == "name" || label == "naam" || label == "nom") {
          if (who == &reg_->organisation.contact) {
            reg_->organisation.name = value;
            map_->Add("organisation", Loc{static_cast<uint32_t>(r + 1), static_cast<uint32_t>(c + 2)});
          } else {
            who->name = value;
          }
        } else if (label == "address" || label == "adres" || label == "adresse") {
          who->address = value;
        } else if (label == "email" || label == "e mail") {
          who->email = value;
        } else {
          who->phone = value;
        }
      }
    }
    // Text above the header that is not an organisation field (a title, a
    // version line, instructions) has no place in the register: it is listed
    // in one warning, never dropped silently.
    std::vector<std::string> unread;
    size_t first_r = 0, first_c = 0;
    for (size_t r = 0; r < layout_.header_row; ++r)
      for (size_t c = 0; c < sh_.rows[r].size(); ++c) {
        std::string t = Trim(sh_.rows[r][c]);
        if (t.empty() || used.count({r, c})) continue;
        // A merged range's copies of its top-left cell count once.
        if (std::any_of(sh_.merged.begin(), sh_.merged.end(), [&](const sheet::Range& m) {
              return r >= m.row0 && r <= m.row1 && c >= m.col0 && c <= m.col1 && (r != m.row0 || c != m.col0);
            }))
          continue;
        if (unread.empty()) {
          first_r = r;
          first_c = c;
        }
        if (t.size() > 60) t = t.substr(0, 57) + "...";
        unread.push_back(fmt::format("{} '{}'", sheet::CellName(r, c), t));
      }
    if (unread.empty()) return;
    std::string list;
    for (size_t i = 0; i < unread.size() && i < 5; ++i) list += (i ? ", " : "") + unread[i];
    if (unread.size() > 5) list += fmt::format(" and {} more", unread.size() - 5);
    Error e =
        Make(first_r, first_c,
             fmt::format("{} cell(s) above the header row are not read: {}", unread.size(), list), true);
    e.hint =
        "only name, address, e-mail and phone labels (with the value to their right) above the header "
        "are read, into the organisation, its DPO or representative";
    warnings_.push_back(std::move(e));
  }

  // ---- the processor sheet (a template's processor_columns) ----

  // The value of `values` a cell names: the value itself ("signed",
  // "joint_controller") or its words in the catalog (nl, en, de), or the
  // Dutch/German term EnumValueForTerm knows; "" when none.
  static std::string VocabValue(const std::string& cell, std::string_view vocab,
                                const std::vector<std::string_view>& values) {
    std::string f = FoldHeader(cell);
    for (std::string_view v : values) {
      std::string plain(v);
      std::replace(plain.begin(), plain.end(), '_', ' ');
      if (f == plain || IsCatalogTerm(cell, vocab, v)) return std::string(v);
    }
    if (auto en = EnumValueForTerm(cell); en && std::find(values.begin(), values.end(), *en) != values.end())
      return std::string(*en);
    return "";
  }
  static std::string Choices(std::string_view vocab, const std::vector<std::string_view>& values,
                             std::string_view lang) {
    std::string out;
    for (std::string_view v : values)
      out += (out.empty() ? "" : ", ") + TextCatalog::Builtin().Term(std::string(lang), vocab, v);
    return out;
  }

  // The sheet other than the register's whose header row (among its first 20)
  // matches most processor columns of the layout's template (of every
  // template for a user's column map): at least 3, one of them the name.
  struct ProcessorLayout {
    size_t sheet = 0, header_row = 0, matched = 0;
    std::vector<std::string> fields;
    const Template* t = nullptr;
  };
  std::optional<ProcessorLayout> FindProcessorSheet() const {
    std::optional<ProcessorLayout> best;
    for (const Template& t : Templates()) {
      if (t.processor_columns.empty() || (!layout_.template_name.empty() && t.name != layout_.template_name))
        continue;
      for (size_t s = 0; s < wb_.sheets.size(); ++s) {
        if (s == layout_.sheet) continue;
        for (size_t r = 0; r < std::min(kHeaderRows, wb_.sheets[s].rows.size()); ++r) {
          std::vector<std::string> fields;
          size_t n = MatchRow(wb_.sheets[s].rows[r], t.processor_columns, &fields);
          if (n < 3 || std::find(fields.begin(), fields.end(), "name") == fields.end()) continue;
          if (!best || n > best->matched) best = ProcessorLayout{s, r, n, std::move(fields), &t};
        }
      }
    }
    return best;
  }

  // Gives the processor `p` the id `to`, in the recipients and systems that
  // name it too. Where each id is named is indexed at the first rename, so a
  // rename visits the places that name that processor, not every activity
  // (the activities are not added to or moved while the processor sheet is
  // read, so the pointers hold).
  void RenameProcessor(Processor& p, const std::string& to) {
    if (!named_at_built_) {
      for (ProcessingActivity& a : reg_->activities)
        for (Recipient& rc : a.recipients)
          if (rc.kind == RecipientKind::kProcessor) NamedAt(rc.processor);
      for (System& s : reg_->systems) NamedAt(s.processor);
      named_at_built_ = true;
    }
    if (auto node = named_at_.extract(p.id); !node.empty()) {
      for (std::string* at : node.mapped()) *at = to;
      auto& into = named_at_[to];
      into.insert(into.end(), node.mapped().begin(), node.mapped().end());
    }
    processor_ids_.erase(p.id);
    processor_ids_.insert(to);
    p.id = to;
  }
  // Records a place that names a processor id (once the index is built).
  void NamedAt(std::string& id) {
    if (!id.empty()) named_at_[id].push_back(&id);
  }

  // Reads the processor sheet when the workbook has one: each row fills the
  // register's processor with its id, else with its name (as the register
  // sheet made it), else adds one; an independent controller also becomes
  // the processor of the external recipients with its name. The sheet's
  // order is the processors' order (those it does not name follow). A cell
  // the importer cannot read is an error naming the sheet and cell.
  void ProcessorSheet() {
    std::optional<ProcessorLayout> pl = FindProcessorSheet();
    if (!pl) return;
    const sheet::Sheet& sh = wb_.sheets[pl->sheet];
    const std::string& lang = pl->t->language;
    auto col_of = [&](std::string_view field) {
      return static_cast<size_t>(std::find(pl->fields.begin(), pl->fields.end(), field) - pl->fields.begin());
    };
    const size_t name_col = col_of("name"), id_col = col_of("id"), role_col = col_of("role");
    processor_sheet_ = pl->sheet;
    UnknownProcessorColumns(*pl);
    std::vector<std::string> order;
    std::map<std::string, size_t> row_of;  // id -> the sheet row that named it
    // (folded name, role) -> the row: two processors of one role and one name
    // cannot be told apart by the register sheet, which names them.
    std::map<std::pair<std::string, VendorRole>, size_t> row_of_name;
    std::vector<std::string> sheet_names;  // for the closest name to one it lacks
    for (size_t r = pl->header_row + 1; r < sh.rows.size(); ++r) {
      const auto& cells = sh.rows[r];
      size_t filled = 0;
      for (const auto& c : cells)
        if (!Blank(c)) ++filled;
      if (filled == 0) continue;
      const Loc at{static_cast<uint32_t>(r + 1), static_cast<uint32_t>(name_col + 1)};
      std::string name = Trim(sh.Cell(r, name_col));
      if (name.empty()) {
        Error e =
            MakeIn(sh, r, name_col,
                   fmt::format("the row has no processor name; its {} other filled cell(s) are not imported",
                               filled),
                   true);
        e.hint = "give the row a name, or delete it";
        e.not_read = true;
        warnings_.push_back(std::move(e));
        continue;
      }
      sheet_names.push_back(name);
      std::string given = id_col < pl->fields.size() ? Trim(sh.Cell(r, id_col)) : "";
      std::optional<VendorRole> role;
      if (std::string cell = role_col < pl->fields.size() ? Trim(sh.Cell(r, role_col)) : ""; !cell.empty()) {
        role = ParseVendorRole(VocabValue(cell, "vendor_role", VendorRoleValues()));
        if (!role) {
          Error e = MakeIn(sh, r, role_col, fmt::format("'{}' is not a role of a vendor", cell), false);
          e.expected = Choices("vendor_role", VendorRoleValues(), lang);
          errors_.push_back(std::move(e));
          continue;
        }
      }
      // The processor the row is about: by id, else by name (the register
      // sheet's; of the same role when the row names one), else a new one.
      auto& ps = reg_->processors;
      size_t i = ps.size();
      if (!given.empty())
        i = static_cast<size_t>(
            std::find_if(ps.begin(), ps.end(), [&](const Processor& p) { return p.id == given; }) -
            ps.begin());
      for (bool same_role : {true, false})
        for (size_t k = 0; k < ps.size() && i == ps.size(); ++k)
          if (ps[k].name == name && !row_of.count(ps[k].id) && (!same_role || !role || ps[k].role == *role))
            i = k;
      if (i == ps.size()) {
        Processor p;
        p.role = role.value_or(VendorRole::kProcessor);
        if (given.empty()) {
          std::string base =
              (p.role == VendorRole::kJointController ? "joint-controller-" : "processor-") + IdSlug(name);
          given = base;
          for (int n = 2; processor_ids_.count(given); ++n) given = fmt::format("{}-{}", base, n);
        }
        p.id = given;
        processor_ids_.insert(p.id);
        ps.push_back(std::move(p));
      } else if (!given.empty() && ps[i].id != given) {
        if (processor_ids_.count(given)) {
          errors_.push_back(MakeIn(sh, r, id_col,
                                   fmt::format("the id '{}' is already the id of another processor", given),
                                   false));
          continue;
        }
        RenameProcessor(ps[i], given);
      }
      Processor& p = ps[i];
      if (auto seen = row_of.find(p.id); seen != row_of.end()) {
        Error e = MakeIn(
            sh, r, given.empty() || id_col >= pl->fields.size() ? name_col : id_col,
            fmt::format("a second row for processor '{}' (the first is row {})", p.id, seen->second + 1),
            false);
        e.expected = "one row per processor";
        errors_.push_back(std::move(e));
        continue;
      }
      const VendorRole as = role.value_or(p.role);
      if (auto [it, added] = row_of_name.emplace(std::make_pair(FoldHeader(name), as), r); !added) {
        std::string first_id;
        for (const auto& [id, row] : row_of)
          if (row == it->second) first_id = id;
        Error e = MakeIn(sh, r, name_col,
                         fmt::format("a second {} named '{}' (id '{}'); {} names the same with id '{}'",
                                     TextCatalog::Builtin().Term("en", "vendor_role", ToString(as)), name,
                                     p.id, sheet::CellName(it->second, name_col), first_id),
                         false);
        e.expected =
            "one row per processor: the register sheet names processors by name, so two of one role with "
            "one name cannot be told apart (give them distinct names, or merge the rows)";
        errors_.push_back(std::move(e));
        continue;
      }
      row_of[p.id] = r;
      order.push_back(p.id);
      p.name = name;
      if (role) p.role = *role;
      processor_cell_[p.id] = {r, !given.empty() && id_col < pl->fields.size() ? id_col : name_col};
      const std::string pp = path::Item("processors", p.id);
      map_->Add(pp, at);
      for (size_t c = 0; c < cells.size() && c < pl->fields.size(); ++c)
        if (c != name_col && c != id_col && c != role_col) ProcessorCell(sh, p, r, c, pl->fields[c], lang);
      if (p.role == VendorRole::kIndependentController)
        for (ProcessingActivity& a : reg_->activities)
          for (Recipient& rc : a.recipients)
            if (rc.kind == RecipientKind::kExternal && rc.processor.empty() && rc.name == p.name) {
              rc.kind = RecipientKind::kProcessor;
              rc.processor = p.id;
              if (named_at_built_) NamedAt(rc.processor);
            }
    }
    UnlistedProcessors(sh, row_of, sheet_names);
    // The sheet's order first, then the processors it does not name.
    std::stable_sort(reg_->processors.begin(), reg_->processors.end(),
                     [&](const Processor& a, const Processor& b) {
                       auto rank = [&](const Processor& p) {
                         auto it = row_of.find(p.id);
                         return it == row_of.end() ? sh.rows.size() : it->second;
                       };
                       return rank(a) < rank(b);
                     });
  }

  // The agreement's state: a state's words; "n.v.t." / "not applicable"
  // (and the like) is `not_required` (what it says: no agreement is needed,
  // as for an independent controller), "geen" / "none" / "nee" is `missing`
  // (there is none), "-" says nothing (left `missing`). Anything else is an
  // error naming the cell, never a silent `missing`.
  void AgreementStatusCell(const sheet::Sheet& sh, Processor& p, size_t r, size_t c, const std::string& cell,
                           const std::string& lang) {
    static const std::set<std::string> kNotApplicable = {"n a",
                                                         "na",
                                                         "n v t",
                                                         "nvt",
                                                         "niet van toepassing",
                                                         "not applicable",
                                                         "sans objet",
                                                         "nicht zutreffend"};
    static const std::set<std::string> kNone = {"geen", "none",  "nee",   "no",     "non",
                                                "nein", "keine", "aucun", "aucune", "neant"};
    const std::string f = FoldHeader(cell);
    const Loc at{static_cast<uint32_t>(r + 1), static_cast<uint32_t>(c + 1)};
    std::optional<AgreementStatus> st;
    if (kNotApplicable.count(f))
      st = AgreementStatus::kNotRequired;
    else if (kNone.count(f))
      st = AgreementStatus::kMissing;
    else if (f.empty())
      return;  // "-"
    else
      st = ParseAgreementStatus(VocabValue(cell, "agreement_status", AgreementStatusValues()));
    if (!st) {
      Error e = MakeIn(sh, r, c, fmt::format("'{}' is not a state of an agreement", cell), false);
      e.expected = Choices("agreement_status", AgreementStatusValues(), lang) +
                   (lang == "nl" ? ", n.v.t." : ", not applicable");
      errors_.push_back(std::move(e));
      return;
    }
    p.agreement.status = *st;
    map_->Add(path::Field(path::Item("processors", p.id), "agreement"), at);
    // A processor needs a contract (Art. 28(3) GDPR), joint controllers an
    // arrangement (Art. 26(1) GDPR): "not required" fits only an independent
    // controller. Read as written, and said.
    if (*st == AgreementStatus::kNotRequired && p.role != VendorRole::kIndependentController) {
      bool joint = p.role == VendorRole::kJointController;
      Error e = MakeIn(sh, r, c,
                       fmt::format("'{}' read as '{}' for {} '{}', which {}", cell,
                                   TextCatalog::Builtin().Term(lang, "agreement_status", "not_required"),
                                   joint ? "joint controller" : "processor", p.name,
                                   joint ? "needs an arrangement with the other controllers (Art. 26(1) GDPR)"
                                         : "needs a contract with the controller (Art. 28(3) GDPR)"),
                       true);
      e.hint =
          "record the agreement's state, or give the row the role it has (an independent controller needs "
          "none)";
      warnings_.push_back(std::move(e));
    }
  }

  // Columns of the processor sheet whose header is no processor column of the
  // template: said with their filled cells (a processor has no notes, so the
  // text is not imported; it is never dropped without a word).
  void UnknownProcessorColumns(const ProcessorLayout& pl) {
    const sheet::Sheet& sh = wb_.sheets[pl.sheet];
    const auto& header = sh.rows[pl.header_row];
    for (size_t c = 0; c < header.size(); ++c) {
      std::string h = Trim(header[c]);
      if (h.empty() || (c < pl.fields.size() && !pl.fields[c].empty())) continue;
      std::vector<std::string> filled;
      for (size_t r = pl.header_row + 1; r < sh.rows.size(); ++r)
        if (std::string v = Trim(sh.Cell(r, c)); !v.empty())
          filled.push_back(
              fmt::format("{} '{}'", sheet::CellName(r, c), v.size() > 40 ? v.substr(0, 37) + "..." : v));
      std::string list;
      for (size_t i = 0; i < filled.size() && i < 5; ++i) list += (i ? ", " : "") + filled[i];
      if (filled.size() > 5) list += fmt::format(" and {} more", filled.size() - 5);
      Error e = MakeIn(
          sh, pl.header_row, c,
          fmt::format("column '{}' is not a processor column of template {}{}", h, pl.t->name,
                      filled.empty()
                          ? "; it is empty"
                          : fmt::format("; its {} filled cell(s) are not imported: {}", filled.size(), list)),
          true);
      e.hint =
          "a processor has no notes field: move the text to one of the template's processor columns "
          "or to the register sheet";
      e.not_read = !filled.empty();
      warnings_.push_back(std::move(e));
    }
  }

  // The processors the register sheet names (its processor and joint
  // controller columns) that have no row on the processor sheet: a typo or a
  // deleted row. Each is imported as it was named (a processor without an
  // agreement) and said at the activity's cell, with the closest name on the sheet.
  void UnlistedProcessors(const sheet::Sheet& sh, const std::map<std::string, size_t>& row_of,
                          const std::vector<std::string>& sheet_names) {
    std::vector<std::string_view> names(sheet_names.begin(), sheet_names.end());
    for (const Processor& p : reg_->processors) {
      if (row_of.count(p.id)) continue;
      Loc l = map_->Find(path::Item("processors", p.id));
      const ProcessingActivity* by = nullptr;
      for (const ProcessingActivity& a : reg_->activities)
        for (const Recipient& rc : a.recipients)
          if (!by && rc.kind == RecipientKind::kProcessor && rc.processor == p.id) by = &a;
      std::string closest;
      if (auto m = ClosestMatch(p.name, names)) closest = fmt::format(" (the closest name there: '{}')", *m);
      Error e = Make(l.line > 0 ? l.line - 1 : layout_.header_row, l.column > 0 ? l.column - 1 : 0,
                     fmt::format("{} '{}'{} is not on sheet '{}'{}; it is imported without an agreement",
                                 p.role == VendorRole::kJointController ? "joint controller" : "processor",
                                 p.name, by ? " (activity '" + by->id + "')" : "", sh.name, closest),
                     true);
      e.hint = fmt::format("correct the name, or add a row for it to sheet '{}'", sh.name);
      warnings_.push_back(std::move(e));
    }
  }

  // A validation error about a processor of the processor sheet (an id that
  // is not a slug or not unique) names the sheet and cell, not a line.
  void AtProcessorCell(Error& e) const {
    if (!processor_sheet_ || e.path.empty()) return;
    const sheet::Sheet& sh = wb_.sheets[*processor_sheet_];
    for (size_t i = 0; i < reg_->processors.size(); ++i) {
      auto it = processor_cell_.find(reg_->processors[i].id);
      if (it == processor_cell_.end()) continue;
      for (const std::string& pp : {path::Item("processors", it->first), path::Index("", "processors", i)})
        if (e.path == pp || (e.path.size() > pp.size() && e.path.starts_with(pp) &&
                             (e.path[pp.size()] == '.' || e.path[pp.size()] == '['))) {
          e.message = sheet::Where(sh, it->second.first, it->second.second) + ": " + e.message;
          e.where.line = 0;
          e.where.column = 0;
          return;
        }
    }
  }

  // A transfer's recipient read as a name ("US (Mailchimp)") becomes the id
  // of the processor with that name (one the activity names first); another
  // name stays as written (a recipient that is no processor).
  void ResolveTransferRecipients() {
    for (ProcessingActivity& a : reg_->activities)
      for (Transfer& t : a.transfers) {
        if (t.recipient == kUnnamedTransferRecipient || reg_->FindProcessor(t.recipient)) continue;
        const Processor* found = nullptr;
        for (const Recipient& rc : a.recipients)
          if (const Processor* p = reg_->FindProcessor(rc.processor); !found && p && p->name == t.recipient)
            found = p;
        for (const Processor& p : reg_->processors)
          if (!found && p.name == t.recipient) found = &p;
        if (found) t.recipient = found->id;
      }
  }

  // The organisation sheet (a template's organisation_fields): the sheet
  // other than the register's and the processors' whose column A holds at
  // least 2 of the labels, the name among them; each label's value is in
  // column B. A label the template does not know, with a value, is said (the
  // sheet's first row is its header); a country or yes/no that cannot be
  // read is an error naming the cell.
  void OrganisationSheet() {
    for (const Template& t : Templates()) {
      if (t.organisation_fields.empty() ||
          (!layout_.template_name.empty() && t.name != layout_.template_name))
        continue;
      for (size_t s = 0; s < wb_.sheets.size(); ++s) {
        if (s == layout_.sheet || (processor_sheet_ && s == *processor_sheet_)) continue;
        const sheet::Sheet& sh = wb_.sheets[s];
        std::vector<std::string> fields(sh.rows.size());
        size_t n = 0;
        bool named = false;
        for (size_t r = 0; r < sh.rows.size(); ++r) {
          std::string h = FoldHeader(sh.Cell(r, 0));
          for (const Column& col : t.organisation_fields)
            if (!h.empty() && std::find(col.headers.begin(), col.headers.end(), h) != col.headers.end())
              fields[r] = col.field;
          n += !fields[r].empty();
          named |= fields[r] == "name";
        }
        if (n < 2 || !named) continue;
        ReadOrganisation(sh, fields, t);
        return;
      }
    }
  }

  void ReadOrganisation(const sheet::Sheet& sh, const std::vector<std::string>& fields, const Template& t) {
    Organisation& o = reg_->organisation;
    bool first = true;  // the sheet's header row
    for (size_t r = 0; r < sh.rows.size(); ++r) {
      std::string label = Trim(sh.Cell(r, 0)), value = Trim(sh.Cell(r, 1));
      if (label.empty() && value.empty()) continue;
      const std::string& field = fields[r];
      const Loc at{static_cast<uint32_t>(r + 1), static_cast<uint32_t>(2)};
      if (field.empty()) {
        if (!first && !value.empty()) {
          Error e =
              MakeIn(sh, r, 1,
                     fmt::format("'{}' is not a label of template {}'s organisation sheet; its value is not "
                                 "imported",
                                 label, t.name),
                     true);
          e.hint = "kept nowhere: \"" + (value.size() > 80 ? value.substr(0, 77) + "..." : value) + "\"";
          warnings_.push_back(std::move(e));
        }
        first = false;
        continue;
      }
      first = false;
      if (value.empty()) continue;
      if (field == "no_dpo" || field == "public_body") {
        std::string f = FoldHeader(value);
        bool yes = f == "ja" || f == "yes" || f == "oui" || f == "true" || f == "1";
        if (!yes && !(f == "nee" || f == "no" || f == "non" || f == "nein" || f == "false" || f == "0")) {
          Error e = MakeIn(sh, r, 1, fmt::format("'{}' is not yes or no", value), false);
          e.expected = t.language == "nl" ? "ja or nee" : "yes or no";
          errors_.push_back(std::move(e));
          continue;
        }
        (field == "no_dpo" ? o.no_dpo : o.public_body) = yes;
        map_->Add(field == "no_dpo" ? "organisation.dpo" : "organisation.public_body", at);
        continue;
      }
      if (SaysNothing(value)) continue;
      if (field == "name") {
        o.name = value;
        map_->Add("organisation", at);
      } else if (field == "registration") {
        o.registration = value;
      } else if (field == "country") {
        std::string code = CountryCodeFromName(value);
        if (code.empty()) code = Alpha3(value);
        if (code.empty()) {
          Error e =
              MakeIn(sh, r, 1,
                     fmt::format("'{}' is not a country name or code the phrase table knows", value), false);
          e.expected = "an ISO 3166-1 code (NL, US) or a country's name (data/import/register_terms.yaml)";
          errors_.push_back(std::move(e));
          continue;
        }
        o.country = code;
      } else {
        size_t us = field.rfind('_');
        std::string who = field.substr(0, us), part = field.substr(us + 1);
        Contact& c = who == "dpo" ? o.dpo : who == "representative" ? o.representative : o.contact;
        (part == "name" ? c.name : part == "email" ? c.email : part == "phone" ? c.phone : c.address) = value;
        map_->Add("organisation." + who, at);
      }
    }
  }

  void ProcessorCell(const sheet::Sheet& sh, Processor& p, size_t r, size_t c, const std::string& field,
                     const std::string& lang) {
    std::string cell = Trim(sh.Cell(r, c));
    if (cell.empty() || field.empty()) return;
    const Loc at{static_cast<uint32_t>(r + 1), static_cast<uint32_t>(c + 1)};
    const std::string pp = path::Item("processors", p.id);
    auto bad = [&](std::string message, std::string expected) {
      Error e = MakeIn(sh, r, c, std::move(message), false);
      e.expected = std::move(expected);
      errors_.push_back(std::move(e));
    };
    auto date = [&](std::string& to, std::string_view what) {
      if (SaysNothing(cell)) return;
      if (!IsCalendarDate(cell))
        return bad(fmt::format("'{}' is not a calendar date ({})", cell, what),
                   "a date written as YYYY-MM-DD (or YYYY-MM, YYYY) that exists in the calendar");
      to = cell;
    };
    if (field == "transfer_safeguard") {
      // "geen"/"none" is the value none here, not an empty cell.
      std::string v = VocabValue(cell, "transfer_safeguard", TransferSafeguardValues());
      std::optional<TransferSafeguard> sg = v.empty() ? SafeguardFromPhrase(cell) : ParseTransferSafeguard(v);
      if (!sg)
        return bad(fmt::format("'{}' names no transfer safeguard", cell),
                   Choices("transfer_safeguard", TransferSafeguardValues(), lang));
      p.transfer_safeguard = sg;
      map_->Add(path::Field(pp, "transfer_safeguard"), at);
      return;
    }
    if (field == "dpf_listed") {
      std::string f = FoldHeader(cell);
      if (f == "ja" || f == "yes" || f == "oui" || f == "true" || f == "1")
        p.dpf_listing.listed = true;
      else if (f == "nee" || f == "no" || f == "non" || f == "nein" || f == "false" || f == "0")
        p.dpf_listing.listed = false;
      else
        return bad(fmt::format("'{}' is not yes or no", cell), lang == "nl" ? "ja or nee" : "yes or no");
      map_->Add(path::Field(pp, "dpf_listing"), at);
      return;
    }
    if (field == "agreement_status") return AgreementStatusCell(sh, p, r, c, cell, lang);
    if (SaysNothing(cell)) return;
    if (field == "legal_entity") {
      p.legal_entity = cell;
    } else if (field == "country") {
      std::string code = CountryCodeFromName(cell);
      if (code.empty()) code = Alpha3(cell);
      if (code.empty())
        return bad(fmt::format("'{}' is not a country name or code the phrase table knows", cell),
                   "an ISO 3166-1 code (NL, US) or a country's name (data/import/register_terms.yaml)");
      p.country = code;
      map_->Add(path::Field(pp, "country"), at);
    } else if (field == "agreement_reference") {
      p.agreement.reference = cell;
    } else if (field == "agreement_date") {
      date(p.agreement.date, "the agreement's date");
    } else if (field == "agreement_expires") {
      date(p.agreement.expires, "the date the agreement ends");
    } else if (field == "dpf_checked") {
      date(p.dpf_listing.checked, "the date the DPF list was checked");
    } else if (field == "dpf_reference") {
      p.dpf_listing.reference = cell;
    } else if (field == "sub_processors") {
      // One per line: "name; country; purpose" (country and purpose optional).
      for (const auto& line : SplitLines(cell)) {
        SubProcessor sp;
        size_t a = line.find("; ");
        sp.name = Trim(line.substr(0, a));
        if (a != std::string::npos) {
          size_t b = line.find("; ", a + 2);
          std::string country =
              Trim(line.substr(a + 2, b == std::string::npos ? std::string::npos : b - a - 2));
          if (b != std::string::npos) sp.purpose = Trim(line.substr(b + 2));
          if (!country.empty()) {
            sp.country = CountryCodeFromName(country);
            if (sp.country.empty()) sp.country = Alpha3(country);
            if (sp.country.empty())
              return bad(
                  fmt::format("sub-processor '{}': '{}' is not a country name or code", sp.name, country),
                  "one line per sub-processor: name; country (ISO code); purpose");
          }
        }
        if (sp.name.empty())
          return bad("a sub-processor line without a name",
                     "one line per sub-processor: name; country; purpose");
        p.sub_processors.push_back(std::move(sp));
      }
      map_->Add(path::Field(pp, "sub_processors"), at);
    }
  }

  ProcessingActivity& ActivityFor(size_t row, size_t name_col) {
    std::string name = Trim(sh_.Cell(row, name_col));
    std::string key = layout_.merge_rows ? FoldHeader(name) : name;
    if (layout_.merge_rows) {
      auto it = by_name_.find(key);
      if (it != by_name_.end()) return reg_->activities[it->second];
    }
    if (!layout_.merge_rows) {
      if (auto seen = by_name_.find(key); seen != by_name_.end()) {
        Error e = Make(row, name_col,
                       fmt::format("a second activity named '{}' (the first is '{}'); both are kept", name,
                                   reg_->activities[seen->second].id),
                       true);
        e.hint = "give each activity its own name, or merge the rows";
        warnings_.push_back(std::move(e));
      }
    }
    ProcessingActivity a;
    a.name = name;
    // An id column's value is taken as it is (the validator says when it is
    // not a slug or not unique); else one is made from the name.
    size_t id_col = std::find(layout_.fields.begin(), layout_.fields.end(), "id") - layout_.fields.begin();
    std::string given = id_col < layout_.fields.size() ? Trim(sh_.Cell(row, id_col)) : "";
    if (!given.empty()) {
      a.id = given;
      ids_.insert(a.id);
    } else {
      std::string base = IdSlug(name);
      if (base.empty()) base = fmt::format("activity-{}", reg_->activities.size() + 1);
      a.id = base;
      for (int n = 2; !ids_.insert(a.id).second; ++n) a.id = fmt::format("{}-{}", base, n);
    }
    std::string ap = path::Item("activities", a.id);
    Loc l{static_cast<uint32_t>(row + 1), static_cast<uint32_t>(given.empty() ? name_col + 1 : id_col + 1)};
    map_->Add(ap, l);
    map_->Add(path::Index("", "activities", reg_->activities.size()) + ".id", l);
    map_->Add(path::Field(ap, "name"), l);
    by_name_[key] = reg_->activities.size();
    reg_->activities.push_back(std::move(a));
    return reg_->activities.back();
  }

  void Row(size_t r, size_t name_col) {
    const auto& cells = sh_.rows[r];
    size_t filled = 0;
    for (const auto& c : cells)
      if (!Blank(c)) ++filled;
    if (filled == 0) return;
    if (Blank(sh_.Cell(r, name_col)) || SaysNothing(sh_.Cell(r, name_col))) {
      Error e =
          Make(r, name_col,
               fmt::format("the row has no activity name (column '{}'); its {} other filled cell(s) are not "
                           "imported",
                           Header(name_col), filled),
               true);
      e.hint = "give the row a name, or delete it";
      e.not_read = true;
      warnings_.push_back(std::move(e));
      return;
    }
    ProcessingActivity& a = ActivityFor(r, name_col);
    std::vector<size_t> row_purposes;  // indexes into a.purposes named by this row
    // Purposes first: the lawful basis of a row applies to its purposes.
    for (size_t c = 0; c < cells.size(); ++c)
      if (c < layout_.fields.size() && layout_.fields[c] == "purposes")
        for (const auto& p : SplitList(cells[c], /*commas=*/false, EndsWithLineBreak(cells[c]))) {
          auto it = std::find_if(a.purposes.begin(), a.purposes.end(),
                                 [&](const Purpose& x) { return x.description == p; });
          if (it == a.purposes.end()) {
            Purpose pu;
            pu.description = p;
            // A purpose written as a fideslang data use's name (the Fides
            // export's "Advertising, Marketing or Promotion") gets that use.
            if (std::string use = DataUseNamed(p); !use.empty()) pu.data_uses.push_back(use);
            a.purposes.push_back(pu);
            it = a.purposes.end() - 1;
          }
          row_purposes.push_back(static_cast<size_t>(it - a.purposes.begin()));
        }
    for (size_t c = 0; c < cells.size(); ++c) {
      std::string cell = Trim(cells[c]);
      if (cell.empty() || c == name_col) continue;
      std::string field = c < layout_.fields.size() ? layout_.fields[c] : "";
      if (field == "ignore" || field == "purposes" || field == "id") continue;
      if (field.empty()) {
        Note(a, r, c, cell,
             layout_.template_name.empty()
                 ? "the column map does not name this column"
                 : "template " + layout_.template_name + " does not know this column");
        continue;
      }
      if (field == "note") {
        if (!SaysNothing(cell)) Note(a, r, c, cell, "");
        continue;
      }
      if (field == "notes") {
        for (const auto& line : SplitLines(cell)) {
          size_t colon = line.find(": ");
          if (colon != std::string::npos && colon > 0 && colon <= 120) {
            if (std::find(a.notes.begin(), a.notes.end(), line) == a.notes.end()) a.notes.push_back(line);
          } else {
            Note(a, r, c, line, "");
          }
        }
        continue;
      }
      if (field == "dpia") {
        Dpia(a, r, c, cell);
        continue;
      }
      if (SaysNothing(cell)) continue;
      list_by_line_ = EndsWithLineBreak(cells[c]);
      Cell(a, r, c, field, cell, row_purposes);
    }
  }

  // The trimmed, non-empty lines of a cell.
  static std::vector<std::string> SplitLines(std::string_view cell) {
    std::vector<std::string> out;
    size_t b = 0;
    while (b <= cell.size()) {
      size_t e = cell.find('\n', b);
      if (e == std::string_view::npos) e = cell.size();
      std::string t = Trim(cell.substr(b, e - b));
      if (!t.empty()) out.push_back(t);
      b = e + 1;
    }
    return out;
  }

  // A lawful-basis cell of "Purpose: basis" lines, each naming one of the
  // row's purposes and one Art. 6 basis: sets each purpose's basis and
  // returns true. False (nothing set) when any line is not of that form.
  static bool PerPurposeBases(ProcessingActivity& a, const std::string& cell,
                              const std::vector<size_t>& row_purposes) {
    std::vector<std::string> lines = SplitLines(cell);
    if (lines.empty() || (lines.size() == 1 && row_purposes.size() < 2)) return false;
    const size_t before = a.purposes.size();  // purposes made here are taken back on failure
    std::vector<std::tuple<size_t, LawfulBasis, std::string>> found;
    for (const auto& line : lines) {
      // The longest purpose whose description and ": " start the line.
      size_t best = a.purposes.size(), best_len = 0;
      for (size_t i : row_purposes) {
        const std::string& d = a.purposes[i].description;
        if (d.size() >= best_len && line.size() > d.size() + 2 && line.starts_with(d) &&
            line.compare(d.size(), 2, ": ") == 0) {
          best = i;
          best_len = d.size();
        }
      }
      if (best == a.purposes.size() && row_purposes.empty()) {
        // No purposes column (the ICO template): the lines name the purposes.
        for (size_t colon = line.find(": "); colon != std::string::npos; colon = line.find(": ", colon + 1))
          if (colon > 0 && LawfulBasisFromPhrase(line.substr(colon + 2))) {
            std::string d = Trim(line.substr(0, colon));
            auto it = std::find_if(a.purposes.begin(), a.purposes.end(),
                                   [&](const Purpose& p) { return p.description == d; });
            if (it == a.purposes.end()) {
              Purpose pu;
              pu.description = d;
              a.purposes.push_back(pu);
              it = a.purposes.end() - 1;
            }
            best = static_cast<size_t>(it - a.purposes.begin());
            best_len = d.size();
            break;
          }
      }
      if (best == a.purposes.size()) return Undo(a, before);
      std::string phrase = Trim(line.substr(line.find(": ", best_len) + 2));
      auto basis = LawfulBasisFromPhrase(phrase);
      if (!basis) return Undo(a, before);
      found.emplace_back(best, *basis, phrase);
    }
    for (const auto& [i, basis, phrase] : found) SetBasis(a.purposes[i], basis, phrase);
    return true;
  }

  static bool Undo(ProcessingActivity& a, size_t before) {
    a.purposes.resize(before);
    return false;
  }

  // Sets the basis; for a legal obligation or public task the law is what
  // follows "; " ("legal obligation (Art. 6(1)(c)); Art. 52 AWR") when the
  // words before it name the basis, else the whole phrase.
  static void SetBasis(Purpose& p, LawfulBasis basis, const std::string& phrase) {
    p.lawful_basis = basis;
    if ((basis != LawfulBasis::kLegalObligation && basis != LawfulBasis::kPublicTask) ||
        !p.legal_obligation.empty())
      return;
    size_t semi = phrase.find("; ");
    if (semi != std::string::npos && LawfulBasisFromPhrase(phrase.substr(0, semi)) == basis)
      p.legal_obligation = Trim(phrase.substr(semi + 2));
    else if (!IsCatalogTerm(phrase, "lawful_basis", ToString(basis)))  // more than the basis's name
      p.legal_obligation = phrase;
  }

  // The safeguard a text names by keyword (in the words before "; " when
  // there is one) and the reference: what follows "; ", or the text unless
  // it is only the safeguard's name.
  static std::pair<std::optional<TransferSafeguard>, std::string> Safeguard(const std::string& text) {
    size_t semi = text.find("; ");
    std::optional<TransferSafeguard> sg = SafeguardFromPhrase(text);
    std::string reference = text;
    if (sg && semi != std::string::npos)
      reference = Trim(text.substr(semi + 2));
    else if (sg && IsCatalogTerm(text, "transfer_safeguard", ToString(*sg)))
      reference.clear();
    return {sg, reference};
  }

  static bool IsRetentionCategory(const std::string& s) { return s == "*" || IsKnownDataCategory(s); }
  // Whether `cell` is only a value's name as the catalog words it (nl, en, de).
  static bool IsCatalogTerm(const std::string& cell, std::string_view vocab, std::string_view value) {
    // The folded terms, made once per (vocabulary, value).
    static std::map<std::string, std::set<std::string>, std::less<>> folded;
    static std::mutex mu;
    std::string key = std::string(vocab) + '\0' + std::string(value);
    std::string c = FoldHeader(cell);
    std::lock_guard<std::mutex> lock(mu);
    auto it = folded.find(key);
    if (it == folded.end()) {
      const TextCatalog& cat = TextCatalog::Builtin();
      std::set<std::string> terms;
      for (const char* lang : {"nl", "en", "de"}) terms.insert(FoldHeader(cat.Term(lang, vocab, value)));
      it = folded.emplace(key, std::move(terms)).first;
    }
    return it->second.count(c) > 0;
  }

  static void AddText(std::string& to, const std::string& text) {
    if (to.empty())
      to = text;
    else if (to != text && to.find(text) == std::string::npos)
      to += "; " + text;
  }
  static void AddUnique(std::vector<std::string>& to, const std::string& v) {
    if (std::find(to.begin(), to.end(), v) == to.end()) to.push_back(v);
  }

  // The items of a list cell (SplitList), one per line when the cell as read
  // ended with a line break (list_by_line_, set per cell by the row loop).
  std::vector<std::string> Items(std::string_view cell) const { return SplitList(cell, true, list_by_line_); }

  // A cell of names (recipients, processors, joint controllers) that only its
  // commas split into several: said, since a company name can hold a comma
  // ("Jansen, de Vries & Partners B.V." would become two recipients, a
  // processor two processors without an agreement).
  void SayCommaSplit(size_t r, size_t c, std::string_view cell, const std::vector<std::string>& items) {
    if (list_by_line_ || items.size() < 2 || SplitList(cell, /*commas=*/false).size() >= items.size()) return;
    if (++cell_warnings_ > kMaxCellWarnings) return;
    std::vector<std::string> quoted;
    for (const auto& i : items) quoted.push_back("'" + i + "'");
    Error e = Make(r, c,
                   fmt::format("'{}' was read as {} names, split at its commas: {}", Header(c), items.size(),
                               fmt::join(quoted, ", ")),
                   true);
    e.hint =
        "if it is one name, end the cell with a line break (Alt+Enter): a cell that ends so is read one name "
        "per "
        "line";
    warnings_.push_back(std::move(e));
  }

  void Cell(ProcessingActivity& a, size_t r, size_t c, const std::string& field, const std::string& cell,
            std::vector<size_t>& row_purposes) {
    const Loc at{static_cast<uint32_t>(r + 1), static_cast<uint32_t>(c + 1)};
    if (field == "recipients" || field == "processors" || field == "joint_controllers")
      SayCommaSplit(r, c, cell, Items(cell));
    const std::string ap = path::Item("activities", a.id);
    if (field == "description") {
      AddText(a.description, cell);
    } else if (field == "business_function") {
      AddText(a.business_function, cell);
    } else if (field == "owner") {
      AddText(a.owner, cell);
    } else if (field == "lawful_basis" || field == "lia_reference") {
      if (field == "lawful_basis" && row_purposes.empty() && a.purposes.empty() &&
          PerPurposeBases(a, cell, row_purposes)) {
        for (size_t i = 0; i < a.purposes.size(); ++i) row_purposes.push_back(i);
        map_->Add(path::Field(ap, "purposes"), at);
        return;
      }
      if (row_purposes.empty()) {
        if (a.purposes.empty()) {
          Purpose p;
          p.description = a.name;
          a.purposes.push_back(p);
        }
        for (size_t i = 0; i < a.purposes.size(); ++i) row_purposes.push_back(i);
      }
      if (field == "lia_reference") {
        // The assessment belongs to the purposes on legitimate interests
        // (Art. 6(1)(f)); only when none has a basis yet does it go to all.
        bool any = std::any_of(row_purposes.begin(), row_purposes.end(), [&](size_t i) {
          return a.purposes[i].lawful_basis == LawfulBasis::kLegitimateInterests;
        });
        for (size_t i : row_purposes)
          if (!any || a.purposes[i].lawful_basis == LawfulBasis::kLegitimateInterests)
            a.purposes[i].lia_reference = cell;
        return;
      }
      // "Purpose: basis" lines name each purpose's basis (as the export writes
      // them when an activity's purposes have different bases).
      if (PerPurposeBases(a, cell, row_purposes)) {
        map_->Add(path::Field(ap, "purposes"), at);
        return;
      }
      auto basis = LawfulBasisFromPhrase(cell);
      if (!basis) {
        Note(a, r, c, cell,
             "it names no single Art. 6 basis the phrase table knows (data/import/register_terms.yaml)");
        return;
      }
      for (size_t i : row_purposes) SetBasis(a.purposes[i], *basis, cell);
      map_->Add(path::Field(ap, "purposes"), at);
    } else if (field == "data_subjects") {
      for (const auto& v : Items(cell)) AddUnique(a.data_subjects, v);
    } else if (field == "data_categories") {
      for (const auto& v : Items(cell)) {
        if (IsKnownDataCategory(v))
          AddUnique(a.data_categories, v);
        else
          Note(a, r, c, v, "not a fideslang data category key (e.g. user.contact.email)");
      }
    } else if (field == "special_categories") {
      for (const auto& line : SplitLines(cell)) {
        // "user.health (Art. 9(2)(h))": the condition in brackets at the end.
        std::string category = line;
        std::optional<Art9Condition> condition;
        size_t open = line.rfind(" (");
        if (open != std::string::npos && line.back() == ')') {
          condition = Art9ConditionFromPhrase(line.substr(open + 2, line.size() - open - 3));
          if (condition) category = Trim(line.substr(0, open));
        }
        for (const auto& v : condition ? std::vector<std::string>{category} : Items(line)) {
          auto it = std::find_if(a.special_categories.begin(), a.special_categories.end(),
                                 [&](const SpecialCategory& s) { return s.category == v; });
          if (it == a.special_categories.end()) {
            SpecialCategory s;
            s.category = v;
            a.special_categories.push_back(s);
            it = a.special_categories.end() - 1;
          }
          if (condition) it->condition = condition;
        }
      }
    } else if (field == "recipients") {
      for (auto v : Items(cell)) {
        // "Klantenservice (intern)": a recipient inside the organisation.
        RecipientKind kind = RecipientKind::kExternal;
        for (std::string_view suffix : {" (intern)", " (internal)", " (interne)"})
          if (v.size() > suffix.size() && v.ends_with(suffix)) {
            v.resize(v.size() - suffix.size());
            kind = RecipientKind::kInternal;
          }
        if (std::any_of(a.recipients.begin(), a.recipients.end(),
                        [&](const Recipient& x) { return x.name == v; }))
          continue;
        Recipient rc;
        rc.kind = kind;
        rc.name = v;
        a.recipients.push_back(rc);
      }
    } else if (field == "processors" || field == "joint_controllers") {
      bool joint = field == "joint_controllers";
      for (const auto& v : Items(cell)) {
        std::string id = (joint ? "joint-controller-" : "processor-") + IdSlug(v);
        if (processor_ids_.insert(id).second) {
          Processor p;
          p.id = id;
          p.name = v;
          if (joint) p.role = VendorRole::kJointController;
          map_->Add(path::Item("processors", id), at);
          map_->Add(path::Index("", "processors", reg_->processors.size()) + ".id", at);
          reg_->processors.push_back(std::move(p));
        }
        if (std::any_of(a.recipients.begin(), a.recipients.end(),
                        [&](const Recipient& x) { return x.processor == id; }))
          continue;
        Recipient rc;
        rc.kind = RecipientKind::kProcessor;
        rc.name = v;
        rc.processor = id;
        a.recipients.push_back(rc);
      }
    } else if (field == "transfer_countries") {
      for (const auto& item : Items(cell)) {
        // "US (Mailchimp)": the country, then the recipient (the layout
        // exports' form); ResolveTransferRecipients makes a processor's name its id.
        std::string v = item, recipient(kUnnamedTransferRecipient);
        if (size_t open = item.rfind(" ("); open != std::string::npos && item.back() == ')') {
          std::string country = Trim(item.substr(0, open));
          if (!CountryCodeFromName(country).empty() || !Alpha3(country).empty()) {
            v = country;
            recipient = Trim(item.substr(open + 2, item.size() - open - 3));
          }
        }
        std::string code = CountryCodeFromName(v);
        if (code.empty()) code = Alpha3(v);
        if (code.empty()) {
          Note(a, r, c, v,
               "not a country name or code the phrase table knows (data/import/register_terms.yaml)");
          continue;
        }
        if (std::any_of(a.transfers.begin(), a.transfers.end(),
                        [&](const Transfer& t) { return t.country == code && t.recipient == recipient; }))
          continue;
        Transfer t;
        t.country = code;
        t.recipient = recipient;
        a.transfers.push_back(t);
        map_->Add(path::Field(ap, "transfers"), at);
      }
    } else if (field == "transfer_safeguards") {
      if (a.transfers.empty()) {
        Note(a, r, c, cell, "no transfer to a country outside the EEA is named in this row");
        return;
      }
      // One line per transfer (in order) when there are as many lines as
      // transfers, as the export writes different safeguards; else the cell
      // is the safeguard of every transfer.
      std::vector<std::string> lines = SplitLines(cell);
      bool each = lines.size() > 1 && lines.size() == a.transfers.size();
      for (size_t i = 0; i < a.transfers.size(); ++i) {
        if (each && lines[i] == "-") continue;
        auto [sg, reference] = Safeguard(each ? lines[i] : cell);
        if (sg) a.transfers[i].safeguard = sg;
        a.transfers[i].reference = reference;
      }
    } else if (field == "retention") {
      // One period per cell, or one per line as "category: period" where each
      // line starts with a fideslang category key (as the export writes them).
      std::vector<std::string> lines = SplitLines(cell);
      bool per_category = !lines.empty() && std::all_of(lines.begin(), lines.end(), [](const std::string& l) {
        size_t colon = l.find(": ");
        return colon != std::string::npos && IsRetentionCategory(l.substr(0, colon));
      });
      if (!per_category) lines = {cell};
      for (const auto& line : lines) {
        Retention rt;
        rt.data_category = "*";
        std::string text = line;
        if (per_category) {
          size_t colon = line.find(": ");
          rt.data_category = line.substr(0, colon);
          text = Trim(line.substr(colon + 2));
        }
        if (std::any_of(a.retention.begin(), a.retention.end(), [&](const Retention& x) {
              return x.data_category == rt.data_category && (x.period == text || x.justification == text);
            }))
          continue;
        auto [read, duration] = RetentionFromText(text);
        rt.period = read.period;
        rt.justification = read.justification;
        if (!duration) {
          Error e = Make(r, c, "retention period kept as free text: it names no single duration", true);
          e.hint = "kept: \"" + (text.size() > 80 ? text.substr(0, 77) + "..." : text) + "\"";
          if (++cell_warnings_ <= kMaxCellWarnings) warnings_.push_back(std::move(e));
        }
        a.retention.push_back(std::move(rt));
      }
      map_->Add(path::Field(ap, "retention"), at);
    } else if (field == "toms") {
      // Lines that are measure codes (access_control, two_factor_authentication)
      // are measures; the rest is the description.
      std::string text;
      for (const auto& line : SplitLines(cell)) {
        bool code = line.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
        if (code)
          AddUnique(a.toms.measures, line);
        else
          text += (text.empty() ? "" : "\n") + line;
      }
      if (!text.empty() && a.toms.description.find(text) == std::string::npos)
        a.toms.description += (a.toms.description.empty() ? "" : "\n") + text;
    } else if (field == "data_sources") {
      for (const auto& v : Items(cell)) AddUnique(a.data_sources, v);
    } else if (field == "systems") {
      for (const auto& v : Items(cell)) {
        std::string id = "system-" + IdSlug(v);
        AddUnique(a.systems, id);
        if (!system_ids_.insert(id).second) continue;
        System s;
        s.id = id;
        s.name = v;
        map_->Add(path::Item("systems", id), at);
        map_->Add(path::Index("", "systems", reg_->systems.size()) + ".id", at);
        reg_->systems.push_back(std::move(s));
      }
    } else if (field == "dpia_reference") {
      a.dpia.reference = cell;
    } else if (field == "criminal_data") {
      // "UAVG art. 33 (reason)": the provision, then its justification in brackets.
      CriminalData cd;
      cd.basis = cell;
      if (size_t open = cell.rfind(" ("); open != std::string::npos && cell.back() == ')') {
        cd.basis = cell.substr(0, open);
        cd.justification = cell.substr(open + 2, cell.size() - open - 3);
      }
      a.criminal_data = cd;
      map_->Add(path::Field(ap, "criminal_data"), at);
    } else if (field == "national_id") {
      a.national_id = NationalId{cell};
      map_->Add(path::Field(ap, "national_id"), at);
    } else if (field == "large_scale") {
      std::string f = FoldHeader(cell);
      if (f == "ja" || f == "yes" || f == "oui" || f == "true" || f == "1")
        a.large_scale = true;
      else if (!(f == "nee" || f == "no" || f == "non" || f == "nein" || f == "false" || f == "0"))
        Note(a, r, c, cell, "not yes or no");
    } else {
      Note(a, r, c, cell, "the field '" + field + "' is not one the importer knows");
    }
  }

  // "yes"/"1"/"required" < "in progress" < "complete": the furthest state wins.
  void Dpia(ProcessingActivity& a, size_t r, size_t c, const std::string& cell) {
    static const std::vector<std::pair<const char*, DpiaStatus>> kWords = {
        {"complete", DpiaStatus::kCompleted},
        {"completed", DpiaStatus::kCompleted},
        {"done", DpiaStatus::kCompleted},
        {"afgerond", DpiaStatus::kCompleted},
        {"uitgevoerd", DpiaStatus::kCompleted},
        {"realisee", DpiaStatus::kCompleted},
        {"abgeschlossen", DpiaStatus::kCompleted},
        {"in progress", DpiaStatus::kInProgress},
        {"in uitvoering", DpiaStatus::kInProgress},
        {"loopt", DpiaStatus::kInProgress},
        {"en cours", DpiaStatus::kInProgress},
        {"yes", DpiaStatus::kRequired},
        {"ja", DpiaStatus::kRequired},
        {"oui", DpiaStatus::kRequired},
        {"1", DpiaStatus::kRequired},
        {"true", DpiaStatus::kRequired},
        {"required", DpiaStatus::kRequired},
        {"vereist", DpiaStatus::kRequired},
        {"verplicht", DpiaStatus::kRequired},
        {"no", DpiaStatus::kNotRequired},
        {"nee", DpiaStatus::kNotRequired},
        {"non", DpiaStatus::kNotRequired},
        {"nein", DpiaStatus::kNotRequired},
        {"0", DpiaStatus::kNotRequired},
        {"false", DpiaStatus::kNotRequired},
        {"not required", DpiaStatus::kNotRequired},
        {"niet vereist", DpiaStatus::kNotRequired},
        {"niet nodig", DpiaStatus::kNotRequired}};
    std::string f = FoldHeader(cell);
    if (f == "n a" || f == "na" || f == "n v t" || f == "nvt") return;
    for (const auto& [word, status] : kWords)
      if (f == word) {
        if (static_cast<int>(status) > static_cast<int>(a.dpia.status) ||
            a.dpia.status == DpiaStatus::kNotAssessed)
          if (!(status == DpiaStatus::kNotRequired && a.dpia.status != DpiaStatus::kNotAssessed))
            a.dpia.status = status;
        map_->Add(path::Field(path::Item("activities", a.id), "dpia"),
                  Loc{static_cast<uint32_t>(r + 1), static_cast<uint32_t>(c + 1)});
        return;
      }
    Note(a, r, c, cell, "not a DPIA state the importer knows (yes/no, required, in progress, complete)");
  }

  const sheet::Workbook& wb_;
  const sheet::Sheet& sh_;
  const Layout& layout_;
  const Forms* forms_ = nullptr;           // forms: where each cell came from
  const sheet::Workbook* book_ = nullptr;  // forms: the workbook read
  std::string file_;
  SourceMap* map_ = nullptr;
  Register* reg_ = nullptr;
  std::map<std::string, size_t> by_name_;
  std::set<std::string> ids_, processor_ids_, system_ids_;
  // RenameProcessor's index: processor id -> the strings that name it.
  std::unordered_map<std::string, std::vector<std::string*>> named_at_;
  bool named_at_built_ = false;
  std::optional<size_t> processor_sheet_;  // the processor sheet's index, when read
  // The processor sheet's cell of each processor it names (row, column: its id, else its name).
  std::map<std::string, std::pair<size_t, size_t>> processor_cell_;
  size_t cell_warnings_ = 0;
  bool list_by_line_ = false;  // the cell Cell() reads ended with a line break
  Diagnostics warnings_;
  Diagnostics errors_;  // cells of the processor sheet that cannot be read
};

Diagnostics One(Error e) { return Diagnostics{std::move(e)}; }

// A leading apostrophe before '=', '+', '-', '@', tab or CR is the guard
// NeutraliseFormula writes; it is taken off again (a text cell that really
// starts with "'=" loses its apostrophe: the price of reading exports back).
void StripFormulaGuards(sheet::Workbook& wb) {
  for (auto& sh : wb.sheets)
    for (auto& row : sh.rows)
      for (auto& cell : row)
        if (cell.size() > 1 && cell[0] == '\'' &&
            std::string_view("=+-@\t\r").find(cell[1]) != std::string_view::npos)
          cell.erase(0, 1);
}

Result<sheet::Workbook> ReadBook(std::string_view bytes, const std::string& file) {
  Result<sheet::Workbook> wb =
      sheet::LooksLikeXlsx(bytes) || bytes.starts_with(std::string_view("PK\x03\x04", 4))
          ? sheet::ReadXlsx(bytes, file)  // a zip without a workbook: ReadXlsx says so
          : sheet::ReadCsv(bytes, file);
  if (!wb) return wb;
  StripFormulaGuards(*wb);
  // A NUL character has no place in a register (and no text format keeps it).
  for (const auto& sh : wb->sheets)
    for (size_t r = 0; r < sh.rows.size(); ++r)
      for (size_t c = 0; c < sh.rows[r].size(); ++c)
        if (sh.rows[r][c].find('\0') != std::string::npos) {
          Error e;
          e.kind = ErrorKind::kParse;
          e.where.file = file;
          e.message = sheet::Where(sh, r, c) + ": the cell contains the control character 0x00";
          e.expected = "text without NUL characters";
          return std::unexpected(e);
        }
  return wb;
}

// Where a header text of the user's column map is in the map file, for a
// warning when the sheet has no such header.
struct MapHeader {
  std::string text;  // as written in the map
  Loc at;
  std::string source_line;
};

// The user's column map (--columns map.yaml): `columns:` header text -> field;
// `headers` gets each one's place, in the order of the columns returned.
std::expected<std::vector<Column>, Diagnostics> ReadColumnMap(std::string_view text, const std::string& file,
                                                              bool* merge_rows,
                                                              std::vector<MapHeader>* headers) {
  input::Walker w(text, file);
  auto root = w.Load("a column map (columns: {\"Header text\": field, ...})");
  Diagnostics errs;
  if (!root) return std::unexpected(w.TakeErrors());
  yaml::Node cols = root->IsMap() ? (*root)["columns"] : yaml::Node();
  if (!cols.IsDefined() || !cols.IsMap()) {
    w.Err(ErrorKind::kSchema, w.LocOf(*root, {1, 1}), "the column map has no 'columns:' map",
          "columns: {\"Naam verwerking\": name, \"Doel\": purposes, \"Code\": note}",
          "`blindspot import FILE --columns-template` writes a starting map");
    return std::unexpected(w.TakeErrors());
  }
  std::vector<Column> out;
  std::string names;
  std::vector<std::string_view> field_names;
  for (const auto& f : kFields) {
    names += (names.empty() ? "" : ", ") + std::string(f.name);
    field_names.push_back(f.name);
  }
  for (auto it = cols.begin(); it != cols.end(); ++it) {
    std::string field(it->second.Scalar());
    if (!Field(field)) {
      w.Err(ErrorKind::kSchema, w.LocOf(it->second),
            fmt::format("'{}' is not a field a column can map to", field), "one of " + names,
            DidYouMean(field, field_names));
      continue;
    }
    out.push_back(Column{field, {FoldHeader(it->first.Scalar())}});
    Loc at = w.LocOf(it->first);
    headers->push_back(MapHeader{std::string(it->first.Scalar()), at, w.Line(at.line)});
  }
  yaml::Node m = (*root)["merge_rows"];
  *merge_rows = m.IsDefined() && m.Scalar() == "true";
  Diagnostics e = w.TakeErrors();
  if (!e.empty()) return std::unexpected(std::move(e));
  return out;
}

std::string TemplateNames() {
  std::string out;
  for (const auto& t : Templates()) out += (out.empty() ? "" : ", ") + t.name;
  return out;
}

// The headers found where a header row would be: the row with most cells.
std::pair<size_t, size_t> LikelyHeader(const sheet::Workbook& wb) {
  size_t best_s = 0, best_r = 0, best_n = 0;
  for (size_t s = 0; s < wb.sheets.size(); ++s)
    for (size_t r = 0; r < std::min(kHeaderRows, wb.sheets[s].rows.size()); ++r) {
      size_t n = 0;
      for (const auto& c : wb.sheets[s].rows[r])
        if (!Blank(c)) ++n;
      if (n > best_n) {
        best_n = n;
        best_s = s;
        best_r = r;
      }
    }
  return {best_s, best_r};
}

// One register sheet is read (FindLayout's). Every other sheet with a
// header row of the same template (three fourths of the columns the read one
// has, at least three) is said, with its rows, never dropped silently; and
// the read sheet being hidden is said too.
Diagnostics OtherRegisterSheets(const sheet::Workbook& wb, const Layout& read,
                                const std::vector<const Template*>& templates, const std::string& file) {
  Diagnostics out;
  auto warn = [&](std::string message, std::string hint) {
    Error w;
    w.kind = ErrorKind::kSchema;
    w.warning = true;
    w.where.file = file;
    w.message = std::move(message);
    w.hint = std::move(hint);
    out.push_back(std::move(w));
  };
  const Template* t = nullptr;
  for (const Template* c : templates)
    if (c->name == read.template_name) t = c;
  if (t == nullptr) return out;
  const sheet::Sheet& main = wb.sheets[read.sheet];
  if (main.hidden)
    warn(fmt::format("{}: the register was read from a hidden sheet", sheet::Where(main, read.header_row, 0)),
         "check that it is the current register, not an old copy kept hidden");
  for (size_t s = 0; s < wb.sheets.size(); ++s) {
    if (s == read.sheet) continue;
    const sheet::Sheet& other = wb.sheets[s];
    for (size_t r = 0; r < std::min(kHeaderRows, other.rows.size()); ++r) {
      size_t n = MatchRow(other.rows[r], t->columns, nullptr);
      if (n < 3 || n * 4 < read.matched * 3) continue;
      size_t rows = 0;
      for (size_t k = r + 1; k < other.rows.size(); ++k)
        rows += std::any_of(other.rows[k].begin(), other.rows[k].end(),
                            [](const std::string& c) { return !Blank(c); });
      warn(
          fmt::format(
              "{}: this sheet{} also has a header row of template '{}' ({} filled row(s) below it); it is "
              "not read: only sheet '{}' is",
              sheet::Where(other, r, 0), other.hidden ? " (hidden)" : "", t->name, rows, main.name),
          "put the activities of every sheet on one sheet, or save each sheet as its own file and import it");
      out.back().not_read = true;
      break;
    }
  }
  return out;
}

// "3, 5-6, Z" from the runs of Runs: at most 10, then how many more.
std::string NumberList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < 10; ++i) out += (i == 0 ? "" : ", ") + items[i];
  if (items.size() > 10) out += fmt::format(" ({} more)", items.size() - 10);
  return out;
}
// Runs of consecutive values as "3" or "3-5", each shown by `name`.
template <class Name>
std::vector<std::string> Runs(const std::vector<size_t>& sorted, Name name) {
  std::vector<std::string> out;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    out.push_back(j == i ? name(sorted[i]) : name(sorted[i]) + "-" + name(sorted[j]));
    i = j + 1;
  }
  return out;
}

// Hidden rows and columns of the register sheet that hold register data
// (the header row and below): they are read like the others (hidden is not
// deleted), and said once for the sheet, at the first of them.
std::optional<Error> HiddenRegisterData(const sheet::Sheet& sh, const Layout& layout,
                                        const std::string& file) {
  if (sh.hidden_rows.empty() && sh.hidden_columns.empty()) return std::nullopt;
  auto filled = [](const std::vector<std::string>& row) {
    return std::any_of(row.begin(), row.end(), [](const std::string& c) { return !Blank(c); });
  };
  std::vector<size_t> rows, cols;
  for (size_t r : sh.hidden_rows)
    if (r >= layout.header_row && r < sh.rows.size() && filled(sh.rows[r])) rows.push_back(r);
  // Only the cells a row has are looked at (a span often runs to the last
  // column: "hide the columns after the register"; the spans are ascending),
  // so the work is bounded by the cells read.
  std::set<size_t> with_data;
  for (size_t r = layout.header_row; r < sh.rows.size(); ++r)
    for (const auto& [first, last] : sh.hidden_columns) {
      if (first >= sh.rows[r].size()) break;
      for (size_t c = first; c <= last && c < sh.rows[r].size(); ++c)
        if (!Blank(sh.rows[r][c])) with_data.insert(c);
    }
  cols.assign(with_data.begin(), with_data.end());
  if (rows.empty() && cols.empty()) return std::nullopt;
  auto row_runs = Runs(rows, [](size_t r) { return std::to_string(r + 1); });
  auto col_runs = Runs(cols, [](size_t c) { return sheet::ColumnName(c); });
  std::string what;
  if (!rows.empty()) what = (rows.size() == 1 ? "row " : "rows ") + NumberList(row_runs);
  if (!cols.empty())
    what += (what.empty() ? "" : " and ") + std::string(cols.size() == 1 ? "column " : "columns ") +
            NumberList(col_runs);
  Error w;
  w.kind = ErrorKind::kSchema;
  w.warning = true;
  w.where.file = file;
  w.message = fmt::format(
      "{}: {} {} hidden; {} read like the others",
      sheet::Where(sh, rows.empty() ? layout.header_row : rows[0], rows.empty() ? cols[0] : 0), what,
      rows.size() + cols.size() == 1 ? "is" : "are", rows.size() + cols.size() == 1 ? "it was" : "they were");
  w.hint =
      "hidden is not deleted: unhide them in the spreadsheet program to check them, and delete what "
      "is no longer part of the register";
  return w;
}

// The header texts of the user's column map that no cell of the header row
// read has: each said at its line in the map, with the closest header there.
Diagnostics UnmatchedMapHeaders(const std::vector<MapHeader>& headers, const sheet::Sheet& sh,
                                size_t header_row, const std::string& map_file) {
  Diagnostics out;
  std::vector<std::string> texts, folded;
  if (header_row < sh.rows.size())
    for (const std::string& c : sh.rows[header_row]) {
      std::string t = Trim(c);
      if (t.empty()) continue;
      for (char& ch : t)
        if (ch == '\n') ch = ' ';
      texts.push_back(t);
      folded.push_back(FoldHeader(t));
    }
  std::vector<std::string_view> candidates(folded.begin(), folded.end());
  for (const MapHeader& h : headers) {
    std::string f = FoldHeader(h.text);
    if (std::find(folded.begin(), folded.end(), f) != folded.end()) continue;
    std::string closest;
    if (auto m = ClosestMatch(f, candidates)) {
      closest = texts[std::find(folded.begin(), folded.end(), *m) - folded.begin()];
    } else if (f.size() >= 4) {
      // No header is a few letters off; one that holds the text, or is held in it
      // ("Grondslag" and "Rechtmatige grondslag").
      for (size_t i = 0; i < folded.size() && closest.empty(); ++i)
        if (folded[i].size() >= 4 &&
            (folded[i].find(f) != std::string::npos || f.find(folded[i]) != std::string::npos))
          closest = texts[i];
    }
    Error w;
    w.kind = ErrorKind::kSchema;
    w.warning = true;
    w.where.file = map_file;
    w.where.line = h.at.line;
    w.where.column = h.at.column;
    w.source_line = h.source_line;
    w.message = fmt::format("'{}' matches no header of {}{}", h.text,
                            sh.name.empty() ? "the CSV file" : "sheet '" + sh.name + "'",
                            closest.empty() ? "" : " (closest: '" + closest + "')");
    w.hint = fmt::format(
        "the header row read is {}row {}; a header matches ignoring case, accents, punctuation and line "
        "breaks",
        sh.name.empty() ? "" : "sheet '" + sh.name + "' ", header_row + 1);
    out.push_back(std::move(w));
  }
  return out;
}

// "; the CSV file's cells were split on ';'" for a CSV file; "" for a workbook.
std::string SplitOn(const sheet::Workbook& wb) {
  if (wb.delimiter == 0) return "";
  return fmt::format("; the CSV file's cells were split on {}",
                     wb.delimiter == '\t' ? std::string("tabs") : fmt::format("'{}'", wb.delimiter));
}

std::expected<LoadedRegister, Diagnostics> ImportSheet(std::string_view bytes, const std::string& file,
                                                       const RegisterReadOptions& o,
                                                       const std::string& forced) {
  auto wb = ReadBook(bytes, file);
  if (!wb) return std::unexpected(One(wb.error()));
  std::vector<const Template*> candidates;
  Template user;
  std::vector<MapHeader> map_headers;
  if (!o.column_map.empty()) {
    auto cols = ReadColumnMap(o.column_map, o.column_map_file, &user.merge_rows, &map_headers);
    if (!cols) return std::unexpected(std::move(cols.error()));
    user.columns = std::move(*cols);
    candidates.push_back(&user);
  } else {
    for (const auto& t : Templates())
      if (forced.empty() || t.name == forced) candidates.push_back(&t);
  }
  auto layout = FindLayout(*wb, candidates);
  // A template is recognised when at least three of its headers (or all of a
  // shorter user map) are in one row.
  size_t needed = o.column_map.empty() ? 3 : std::min<size_t>(user.columns.size(), 1);
  // No header row, but sheets that are forms (a label column naming the
  // activity and two more of a template's fields): one activity per form.
  if ((!layout || layout->matched < needed) && o.column_map.empty())
    if (auto forms = FindForms(*wb, candidates)) {
      SheetReader reader(*forms, *wb, file);
      auto out = reader.Run();
      if (out) {
        Error e;
        e.kind = ErrorKind::kSchema;
        e.warning = true;
        e.note = true;  // information: not counted as a warning
        e.where.file = file;
        e.message =
            fmt::format("read as {} form(s) of template '{}', one activity per sheet ({} labels recognised)",
                        forms->sheets, forms->layout.template_name, forms->layout.matched);
        out->warnings.insert(out->warnings.begin(), std::move(e));
        // A form without a name is not an activity; it is said, never skipped silently.
        for (size_t sh : forms->nameless) {
          Error w;
          w.kind = ErrorKind::kSchema;
          w.warning = true;
          w.where.file = file;
          w.message = fmt::format(
              "{}: the sheet has labels of template '{}' but none that names the activity; it is not "
              "imported",
              sheet::Where(wb->sheets[sh], 0, 0), forms->layout.template_name);
          w.hint = "add the activity's name (e.g. 'Nom / sigle') with its value to the right";
          w.not_read = true;
          out->warnings.push_back(std::move(w));
        }
      }
      return out;
    }
  if (!layout || layout->matched < needed) {
    auto [s, r] = LikelyHeader(*wb);
    std::string seen;
    if (r < wb->sheets[s].rows.size())
      for (const auto& c : wb->sheets[s].rows[r]) {
        std::string t = Trim(c);
        if (t.empty()) continue;
        for (char& ch : t)
          if (ch == '\n') ch = ' ';
        if (seen.size() < 300) seen += (seen.empty() ? "" : ", ") + ("'" + t + "'");
      }
    Error e;
    e.kind = ErrorKind::kSchema;
    e.where.file = file;
    e.message =
        o.column_map.empty()
            ? fmt::format(
                  "the columns match no spreadsheet template{} (the likeliest header row, {}, has {}{})",
                  forced.empty() ? "" : " '" + forced + "'", sheet::Where(wb->sheets[s], r, 0),
                  seen.empty() ? "no text" : seen, SplitOn(*wb))
            : fmt::format("no row among the first {} of any sheet has a header the column map names{}",
                          kHeaderRows, SplitOn(*wb));
    e.expected = o.column_map.empty() ? "a header row of one of the templates: " + TemplateNames()
                                      : "the map's header texts as they are in the sheet";
    e.hint = "map the columns yourself: `blindspot import " + file +
             " --columns-template > map.yaml`, edit it, then "
             "`blindspot import " +
             file + " --columns map.yaml`";
    return std::unexpected(One(std::move(e)));
  }
  if (!o.column_map.empty()) layout->template_name.clear();
  SheetReader reader(*wb, *layout, file);
  auto out = reader.Run();
  // Said with the register, or with the errors (a map header that matches
  // nothing is often why the name column is missing).
  Diagnostics& said = out ? out->warnings : out.error();
  for (Error& w :
       UnmatchedMapHeaders(map_headers, wb->sheets[layout->sheet], layout->header_row, o.column_map_file))
    said.push_back(std::move(w));
  if (out)
    if (auto hidden = HiddenRegisterData(wb->sheets[layout->sheet], *layout, file))
      out->warnings.push_back(std::move(*hidden));
  if (out && !layout->template_name.empty()) {
    Error e;
    e.kind = ErrorKind::kSchema;
    e.warning = true;
    e.note = true;  // information: not counted as a warning
    e.where.file = file;
    e.message = fmt::format("{}: read as template '{}' ({} of the header row's columns recognised)",
                            sheet::Where(wb->sheets[layout->sheet], layout->header_row, 0),
                            layout->template_name, layout->matched);
    out->warnings.insert(out->warnings.begin(), std::move(e));
    for (Error& w : OtherRegisterSheets(*wb, *layout, candidates, file))
      out->warnings.push_back(std::move(w));
  }
  return out;
}

bool SniffSheet(std::string_view text) {
  if (sheet::LooksLikeXlsx(text)) return true;
  // A CSV file: recognised only when its header row is a template's.
  if (text.starts_with(std::string_view("PK\x03\x04", 4))) return false;
  std::string_view head = text.substr(0, 64 * 1024);
  size_t cut = head.rfind('\n');
  if (cut == std::string_view::npos) return false;
  auto wb = sheet::ReadCsv(head.substr(0, cut + 1), "");
  if (!wb) return false;
  std::vector<const Template*> all;
  for (const auto& t : Templates()) all.push_back(&t);
  auto layout = FindLayout(*wb, all);
  return layout && layout->matched >= 3;
}

}  // namespace

Importer SpreadsheetImporter() {
  Importer i;
  i.name = "spreadsheet";
  i.description = "XLSX or CSV register; the template (" + TemplateNames() +
                  ") is recognised from the header row; --columns map.yaml for other columns";
  i.sniff = SniffSheet;
  i.import = [](std::string_view text, const std::string& file, const RegisterReadOptions& o) {
    return ImportSheet(text, file, o, "");
  };
  return i;
}

std::optional<SheetLayout> SheetTemplateLayout(std::string_view name) {
  for (const auto& t : Templates()) {
    if (t.name != name) continue;
    SheetLayout l;
    l.name = t.name;
    l.language = t.language;
    l.source = t.source;
    for (const auto& c : t.columns) l.columns.emplace_back(c.field, c.title);
    l.processor_sheet = t.processor_sheet;
    for (const auto& c : t.processor_columns) l.processor_columns.emplace_back(c.field, c.title);
    l.organisation_sheet = t.organisation_sheet;
    for (const auto& c : t.organisation_fields) l.organisation_fields.emplace_back(c.field, c.title);
    return l;
  }
  return std::nullopt;
}

std::vector<Importer> SpreadsheetTemplateImporters() {
  std::vector<Importer> out;
  for (const auto& t : Templates()) {
    Importer i;
    i.name = t.name;
    i.description = t.description;
    std::string name = t.name;
    i.import = [name](std::string_view text, const std::string& file, const RegisterReadOptions& o) {
      return ImportSheet(text, file, o, name);
    };
    out.push_back(std::move(i));
  }
  return out;
}

std::expected<std::string, Diagnostics> SpreadsheetColumnMap(std::string_view bytes,
                                                             const std::string& file) {
  auto wb = ReadBook(bytes, file);
  if (!wb) return std::unexpected(One(wb.error()));
  std::vector<const Template*> all;
  for (const auto& t : Templates()) all.push_back(&t);
  auto layout = FindLayout(*wb, all);
  size_t s, r;
  if (layout && layout->matched >= 2) {
    s = layout->sheet;
    r = layout->header_row;
  } else {
    std::tie(s, r) = LikelyHeader(*wb);
  }
  const sheet::Sheet& sh = wb->sheets[s];
  std::string out = fmt::format(
      "# Column map for `blindspot import {} --columns THIS_FILE`.\n"
      "# Header row: {} (the row below it is the first activity).\n"
      "# Each header text maps to a field of the register, to `note` (kept word for\n"
      "# word in the activity's notes) or to `ignore` (not read). One column must be `name`.\n"
      "# Fields:\n",
      file, sheet::Where(sh, r, 0));
  for (const auto& f : kFields) out += fmt::format("#   {:<19} {}\n", f.name, f.help);
  out +=
      "# Rows with the same name become one activity when merge_rows is true.\nmerge_rows: false\ncolumns:\n";
  if (r < sh.rows.size())
    for (size_t c = 0; c < sh.rows[r].size(); ++c) {
      std::string h = Trim(sh.rows[r][c]);
      if (h.empty()) continue;
      std::string folded = FoldHeader(h);
      std::string guess, from;
      for (const auto& t : Templates()) {
        for (const auto& col : t.columns)
          if (std::find(col.headers.begin(), col.headers.end(), folded) != col.headers.end()) {
            guess = col.field;
            from = t.name;
            break;
          }
        if (!guess.empty()) break;
      }
      std::string quoted;
      for (char ch : h) {
        if (ch == '"' || ch == '\\') quoted += '\\';
        if (ch == '\n')
          quoted += "\\n";
        else
          quoted += ch;
      }
      out += fmt::format("  \"{}\": {}  # {}: {}\n", quoted, guess.empty() ? "note" : guess,
                         sheet::ColumnName(c),
                         guess.empty() ? "no guess; kept as a note" : "as in template " + from);
    }
  return out;
}

}  // namespace blindspot
