// The flat register (one row per activity, lists joined with newlines) as
// CSV, and the formula neutralising every spreadsheet writer uses.
// CSV: RFC 4180 (comma, CRLF, fields quoted when they hold a comma, quote,
// CR or LF), UTF-8 with a byte-order mark so Excel reads it as UTF-8.
#include <fmt/format.h>

#include "blindspot/catalog.h"
#include "io/exporters.h"

namespace blindspot {

std::string NeutraliseFormula(std::string_view cell) {
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r'))
    return "'" + std::string(cell);
  return std::string(cell);
}

namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    if (i.empty()) continue;
    if (!out.empty()) out += '\n';
    out += i;
  }
  return out;
}

}  // namespace

FlatTable FlatRegister(const Register& reg, std::string_view lang) {
  const TextCatalog& cat = TextCatalog::Builtin();
  FlatTable t;
  for (const std::string& c : cat.Vocabulary("export_column"))
    t.header.push_back(cat.Term(lang, "export_column", c));
  auto term = [&](std::string_view vocab, std::string_view value) { return cat.Term(lang, vocab, value); };
  for (const ProcessingActivity& a : reg.activities) {
    std::vector<std::string> purposes, bases, specials, recipients, transfers, retention, toms;
    for (const Purpose& p : a.purposes) {
      purposes.push_back(p.description);
      if (p.lawful_basis)
        bases.push_back(a.purposes.size() > 1
                            ? p.description + ": " + term("lawful_basis", ToString(*p.lawful_basis))
                            : term("lawful_basis", ToString(*p.lawful_basis)));
    }
    for (const SpecialCategory& s : a.special_categories)
      specials.push_back(s.condition ? fmt::format("{} (Art. 9(2)({}))", s.category, *s.condition)
                                     : s.category);
    for (const Recipient& r : a.recipients) {
      std::string name = r.name;
      if (r.kind == RecipientKind::kProcessor) {
        const Processor* p = reg.FindProcessor(r.processor);
        name = p && !p->name.empty() ? p->name : r.processor;
      }
      recipients.push_back(name + " (" + term("recipient_kind", ToString(r.kind)) + ")");
    }
    for (const Transfer& tr : a.transfers) {
      std::string s = tr.recipient;
      if (!tr.country.empty()) s += ", " + tr.country;
      if (tr.safeguard) s += ", " + term("transfer_safeguard", ToString(*tr.safeguard));
      if (!tr.reference.empty()) s += " (" + tr.reference + ")";
      transfers.push_back(s);
    }
    for (const Retention& r : a.retention)
      retention.push_back((r.data_category.empty() || r.data_category == "*" ? "" : r.data_category + ": ") +
                          r.period + (r.justification.empty() ? "" : " (" + r.justification + ")"));
    toms = a.toms.measures;
    if (!a.toms.description.empty()) toms.push_back(a.toms.description);
    std::string dpia = term("dpia_status", ToString(a.dpia.status));
    if (!a.dpia.reference.empty()) dpia += " (" + a.dpia.reference + ")";
    t.rows.push_back({a.id, a.name, a.description, a.business_function, a.owner, Join(purposes), Join(bases),
                      Join(a.data_subjects), Join(a.data_categories), Join(specials), Join(recipients),
                      Join(transfers), Join(retention), Join(toms), Join(a.data_sources), Join(a.systems),
                      dpia, Join(a.notes)});
  }
  return t;
}

namespace {

void CsvField(std::string& out, std::string_view raw) {
  std::string v = NeutraliseFormula(raw);
  if (v.find_first_of(",\"\r\n") == std::string::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void CsvRow(std::string& out, const std::vector<std::string>& row) {
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out += ',';
    CsvField(out, row[i]);
  }
  out += "\r\n";
}

}  // namespace

Exporter CsvExporter() {
  Exporter e;
  e.name = "csv";
  e.description =
      "flat register as CSV: one row per activity, lists one item per line (formulas neutralised)";
  e.extensions = {".csv"};
  e.default_for_extension = true;
  e.write = [](const Register& r, const ExportOptions& o) -> std::expected<std::string, Error> {
    FlatTable t = FlatRegister(r, o.lang);
    std::string out = "\xEF\xBB\xBF";
    CsvRow(out, t.header);
    for (const auto& row : t.rows) CsvRow(out, row);
    return out;
  };
  return e;
}

}  // namespace blindspot
