// The register in a spreadsheet template's layout (the VNG model for Dutch
// municipalities, the ICO's controller template), as XLSX or CSV. The
// columns come from the same template files the spreadsheet importer reads
// (data/import/templates/*.yaml), and every cell is written in the form the
// importer reads back: lists one item per line, the lawful basis in the
// template's language (per purpose as "Purpose: basis" lines when purposes
// differ), special categories as "user.health (Art. 9(2)(h))", retention as
// an ISO 8601 duration with its justification in brackets, notes one per
// line. The XLSX layouts add a second sheet of the register's processors (the
// template's processor_columns, one row per processor) and a third of the
// organisation (organisation_fields, a label and its value per row). What a layout has no
// column for is not written (docs/formats/export.md lists it per layout).
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "blindspot/catalog.h"
#include "io/exporters.h"
#include "io/importers.h"

namespace blindspot {
namespace {

// One item per line; empty items and repeats left out (lists are short).
std::string Lines(const std::vector<std::string>& items) {
  std::string out;
  for (size_t k = 0; k < items.size(); ++k) {
    const std::string& i = items[k];
    if (i.empty() || std::find(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(k), i) !=
                         items.begin() + static_cast<std::ptrdiff_t>(k))
      continue;
    if (!out.empty()) out += '\n';
    out += i;
  }
  return out;
}

// A list cell: one item per line, ending with a line break when an item holds
// a ',' or ';' ("Webhosting Utrecht, Amsterdam B.V."). The importer reads a
// cell that ends so one item per line (sheet_importer.cc EndsWithLineBreak);
// any other list cell it also splits on ',' and ';', as people type them.
std::string ListCell(const std::vector<std::string>& items) {
  std::string out = Lines(items);
  if (std::any_of(items.begin(), items.end(),
                  [](const std::string& i) { return i.find_first_of(",;") != std::string::npos; }))
    out += '\n';
  return out;
}

// Words the importer's DPIA column reads (sheet_importer.cc Dpia).
std::string DpiaWord(DpiaStatus s, std::string_view lang) {
  bool nl = lang == "nl";
  switch (s) {
    case DpiaStatus::kNotAssessed:
      return "";
    case DpiaStatus::kNotRequired:
      return nl ? "niet vereist" : "not required";
    case DpiaStatus::kRequired:
      return nl ? "vereist" : "required";
    case DpiaStatus::kInProgress:
      return nl ? "in uitvoering" : "in progress";
    case DpiaStatus::kCompleted:
      return nl ? "afgerond" : "complete";
  }
  return "";
}

class LayoutWriter {
 public:
  LayoutWriter(const Register& reg, const SheetLayout& layout)
      : reg_(reg), layout_(layout), cat_(TextCatalog::Builtin()) {
    // Every row names processors and systems: looked up by id in a map, not
    // by a walk over the register's lists (the first of a repeated id, as
    // Register::FindProcessor / FindSystem).
    for (const Processor& p : reg_.processors) processors_.try_emplace(p.id, &p);
    for (const System& sy : reg_.systems) systems_.try_emplace(sy.id, &sy);
  }

  FlatTable Table() const {
    FlatTable t;
    for (const auto& [field, title] : layout_.columns) t.header.push_back(title);
    for (const ProcessingActivity& a : reg_.activities) t.rows.push_back(Row(a));
    return t;
  }

  // The register's processors, joint and independent controllers, one per
  // row in the template's processor columns (empty when it has none).
  FlatTable ProcessorTable() const {
    FlatTable t;
    for (const auto& [field, title] : layout_.processor_columns) t.header.push_back(title);
    if (t.header.empty()) return t;
    for (const Processor& p : reg_.processors) t.rows.push_back(ProcessorRow(p));
    return t;
  }

  // The organisation, one row per field of the template's
  // organisation_fields: its label, then the value in the form the importer
  // reads back (the country's ISO code, ja/nee or yes/no). Every label is
  // written, also without a value, so the sheet shows what is missing.
  FlatTable OrganisationTable() const {
    FlatTable t;
    if (layout_.organisation_fields.empty()) return t;
    const bool nl = layout_.language == "nl";
    t.header = {nl ? "Gegeven" : "Item", nl ? "Waarde" : "Value"};
    const Organisation& o = reg_.organisation;
    auto yes_no = [&](bool b) { return std::string(b ? (nl ? "ja" : "yes") : (nl ? "nee" : "no")); };
    for (const auto& [field, label] : layout_.organisation_fields) {
      std::string v;
      auto contact = [&](const Contact& c, std::string_view part) {
        if (part == "name") return c.name;
        if (part == "email") return c.email;
        if (part == "phone") return c.phone;
        return c.address;
      };
      size_t us = field.find('_');
      std::string part = us == std::string::npos ? "" : field.substr(us + 1);
      if (field == "name") {
        v = o.name;
      } else if (field == "registration") {
        v = o.registration;
      } else if (field == "country") {
        v = o.country;
      } else if (field == "no_dpo") {
        v = yes_no(o.no_dpo);
      } else if (field == "public_body") {
        v = yes_no(o.public_body);
      } else if (field.starts_with("contact_")) {
        v = contact(o.contact, part);
      } else if (field.starts_with("dpo_")) {
        v = contact(o.dpo, part);
      } else if (field.starts_with("representative_")) {
        v = contact(o.representative, part);
      }
      t.rows.push_back({label, v});
    }
    return t;
  }

 private:
  // The catalog's words, looked up once per value (a register repeats them).
  const std::string& Term(std::string_view vocab, std::string_view value) const {
    std::string key = std::string(vocab) + '\0' + std::string(value);
    auto it = terms_.find(key);
    if (it == terms_.end()) it = terms_.emplace(key, cat_.Term(layout_.language, vocab, value)).first;
    return it->second;
  }
  std::string Basis(const Purpose& p) const {
    std::string s = Term("lawful_basis", ToString(*p.lawful_basis));  // a copy: the law may follow
    if (!p.legal_obligation.empty() &&
        (*p.lawful_basis == LawfulBasis::kLegalObligation || *p.lawful_basis == LawfulBasis::kPublicTask))
      s += "; " + p.legal_obligation;
    return s;
  }
  std::string Bases(const ProcessingActivity& a) const {
    std::vector<std::string> each;
    bool all_same = true;
    for (const Purpose& p : a.purposes) {
      if (!p.lawful_basis) {
        all_same = false;
        continue;
      }
      each.push_back(Basis(p));
      if (each.back() != each.front()) all_same = false;
    }
    if (each.empty()) return "";
    if (all_same) return each.front();
    std::vector<std::string> lines;
    for (const Purpose& p : a.purposes)
      if (p.lawful_basis) lines.push_back(p.description + ": " + Basis(p));
    return Lines(lines);
  }
  std::string Retention(const ProcessingActivity& a) const {
    auto text = [](const blindspot::Retention& r) {
      return r.justification.empty() || r.justification == r.period ? r.period
                                                                    : r.period + " (" + r.justification + ")";
    };
    if (a.retention.size() == 1 &&
        (a.retention[0].data_category.empty() || a.retention[0].data_category == "*"))
      return text(a.retention[0]);
    std::vector<std::string> lines;
    for (const auto& r : a.retention)
      lines.push_back((r.data_category.empty() ? std::string("*") : r.data_category) + ": " + text(r));
    return Lines(lines);
  }
  std::string Safeguards(const ProcessingActivity& a) const {
    std::vector<std::string> each;
    for (const Transfer& t : a.transfers) {
      std::string s = t.safeguard ? Term("transfer_safeguard", ToString(*t.safeguard)) : "";
      if (!t.reference.empty()) s += (s.empty() ? "" : "; ") + t.reference;
      each.push_back(s);
    }
    if (each.empty()) return "";
    if (std::all_of(each.begin(), each.end(), [&](const std::string& s) { return s == each.front(); }))
      return each.front();
    // One line per transfer, in the order of the countries ("-": none).
    std::string out;
    for (std::string s : each) {
      for (char& ch : s)
        if (ch == '\n') ch = ' ';
      out += (out.empty() ? "" : "\n") + (s.empty() ? std::string("-") : s);
    }
    return out;
  }
  std::string ProcessorName(const Recipient& r) const {
    const Processor* p = FindProcessor(r.processor);
    return p && !p->name.empty() ? p->name : r.processor;
  }
  VendorRole Role(const Recipient& r) const {
    const Processor* p = FindProcessor(r.processor);
    return p ? p->role : VendorRole::kProcessor;
  }

  std::vector<std::string> Row(const ProcessingActivity& a) const {
    std::vector<std::string> row;
    std::vector<bool> note_used(a.notes.size(), false);
    std::set<std::string> done;  // a field written once (the ICO template has two DPIA columns)
    size_t last_notes = layout_.columns.size();
    for (size_t c = 0; c < layout_.columns.size(); ++c)
      if (layout_.columns[c].first == "notes") last_notes = c;
    // Notes labelled with a note column's header go back to that column.
    std::vector<std::string> cells(layout_.columns.size());
    for (size_t c = 0; c < layout_.columns.size(); ++c) {
      const auto& [field, title] = layout_.columns[c];
      if (field != "note") continue;
      std::vector<std::string> mine;
      for (size_t i = 0; i < a.notes.size(); ++i)
        if (!note_used[i] && a.notes[i].starts_with(title + ": ")) {
          mine.push_back(a.notes[i].substr(title.size() + 2));
          note_used[i] = true;
        }
      cells[c] = Lines(mine);
    }
    for (size_t c = 0; c < layout_.columns.size(); ++c) {
      const std::string& field = layout_.columns[c].first;
      if (field == "note" || (field != "notes" && !done.insert(field).second)) continue;
      std::string& v = cells[c];
      if (field == "id") {
        v = a.id;
      } else if (field == "name") {
        v = a.name;
      } else if (field == "description") {
        v = a.description;
      } else if (field == "business_function") {
        v = a.business_function;
      } else if (field == "owner") {
        v = a.owner;
      } else if (field == "purposes") {
        std::vector<std::string> d;
        for (const Purpose& p : a.purposes) d.push_back(p.description);
        v = ListCell(d);
      } else if (field == "lawful_basis") {
        v = Bases(a);
      } else if (field == "lia_reference") {
        for (const Purpose& p : a.purposes)
          if (!p.lia_reference.empty()) v = p.lia_reference;
      } else if (field == "data_subjects") {
        v = ListCell(a.data_subjects);
      } else if (field == "data_categories") {
        v = ListCell(a.data_categories);
      } else if (field == "special_categories") {
        std::vector<std::string> l;
        for (const SpecialCategory& s : a.special_categories)
          l.push_back(s.condition ? fmt::format("{} (Art. 9(2)({}))", s.category, *s.condition) : s.category);
        v = Lines(l);
      } else if (field == "recipients" || field == "processors" || field == "joint_controllers") {
        std::vector<std::string> l;
        for (const Recipient& r : a.recipients) {
          bool proc = r.kind == RecipientKind::kProcessor;
          // An independent controller is a recipient, not a processor.
          VendorRole role = proc ? Role(r) : VendorRole::kProcessor;
          if (field == "recipients" && !proc)
            l.push_back(r.kind == RecipientKind::kInternal
                            ? r.name + (layout_.language == "nl" ? " (intern)" : " (internal)")
                            : r.name);
          if (field == "recipients" && proc && role == VendorRole::kIndependentController)
            l.push_back(ProcessorName(r));
          if (field == "processors" && proc && role == VendorRole::kProcessor) l.push_back(ProcessorName(r));
          if (field == "joint_controllers" && proc && role == VendorRole::kJointController)
            l.push_back(ProcessorName(r));
        }
        v = ListCell(l);
      } else if (field == "transfer_countries") {
        // "US (Mailchimp)": the country, then the recipient by the name the
        // processor sheet and the processor columns give it (the importer
        // finds the processor by that name).
        std::vector<std::string> l;
        for (const Transfer& t : a.transfers) {
          const Processor* p = FindProcessor(t.recipient);
          std::string who = p && !p->name.empty() ? p->name : t.recipient;
          if (who == kUnnamedTransferRecipient) who.clear();
          for (char& ch : who)
            if (ch == '\n' || ch == '(' || ch == ')') ch = ' ';
          l.push_back(who.empty() ? t.country : t.country + " (" + who + ")");
        }
        v = ListCell(l);
      } else if (field == "transfer_safeguards") {
        v = Safeguards(a);
      } else if (field == "retention") {
        v = Retention(a);
      } else if (field == "toms") {
        std::vector<std::string> l;
        if (!a.toms.description.empty()) l.push_back(a.toms.description);
        for (const auto& m : a.toms.measures) l.push_back(m);
        v = Lines(l);
      } else if (field == "data_sources") {
        v = ListCell(a.data_sources);
      } else if (field == "systems") {
        std::vector<std::string> l;
        for (const auto& id : a.systems) {
          const System* s = FindSystem(id);
          l.push_back(s && !s->name.empty() ? s->name : id);
        }
        v = ListCell(l);
      } else if (field == "dpia") {
        v = DpiaWord(a.dpia.status, layout_.language);
      } else if (field == "dpia_reference") {
        v = a.dpia.reference;
      } else if (field == "criminal_data") {
        if (a.criminal_data)
          v = a.criminal_data->justification.empty()
                  ? a.criminal_data->basis
                  : a.criminal_data->basis + " (" + a.criminal_data->justification + ")";
      } else if (field == "national_id") {
        if (a.national_id) v = a.national_id->law;
      } else if (field == "large_scale") {
        if (a.large_scale) v = layout_.language == "nl" ? "ja" : "yes";
      } else if (field == "notes" && c == last_notes) {
        // The importer labels an unlabelled line with this column's header;
        // such a label is left off again. A note's own line breaks become
        // " / " so that each note stays one line.
        const std::string own = layout_.columns[c].second + ": ";
        std::vector<std::string> l;
        for (size_t i = 0; i < a.notes.size(); ++i) {
          if (note_used[i]) continue;
          std::string n = a.notes[i].starts_with(own) ? a.notes[i].substr(own.size()) : a.notes[i];
          for (size_t at = n.find('\n'); at != std::string::npos; at = n.find('\n', at + 3))
            n.replace(at, 1, " / ");
          l.push_back(n);
        }
        v = Lines(l);
      }
    }
    row = std::move(cells);
    while (!row.empty() && row.back().empty()) row.pop_back();
    return row;
  }

  // Each value in the form the importer reads back (sheet_importer.cc
  // ProcessorSheet): vocabulary values as the catalog words them in the
  // layout's language, dates as written (ISO 8601), one sub-processor per
  // line as "name; country; purpose" (empty parts at the end left off).
  std::vector<std::string> ProcessorRow(const Processor& p) const {
    const bool nl = layout_.language == "nl";
    std::vector<std::string> row;
    for (const auto& [field, title] : layout_.processor_columns) {
      std::string v;
      if (field == "id") {
        v = p.id;
      } else if (field == "name") {
        v = p.name;
      } else if (field == "role") {
        v = Term("vendor_role", ToString(p.role));
      } else if (field == "legal_entity") {
        v = p.legal_entity;
      } else if (field == "country") {
        v = p.country;
      } else if (field == "agreement_status") {
        v = Term("agreement_status", ToString(p.agreement.status));
      } else if (field == "agreement_reference") {
        v = p.agreement.reference;
      } else if (field == "agreement_date") {
        v = p.agreement.date;
      } else if (field == "agreement_expires") {
        v = p.agreement.expires;
      } else if (field == "transfer_safeguard") {
        if (p.transfer_safeguard) v = Term("transfer_safeguard", ToString(*p.transfer_safeguard));
      } else if (field == "dpf_listed") {
        if (p.dpf_listing.listed) v = *p.dpf_listing.listed ? (nl ? "ja" : "yes") : (nl ? "nee" : "no");
      } else if (field == "dpf_checked") {
        v = p.dpf_listing.checked;
      } else if (field == "dpf_reference") {
        v = p.dpf_listing.reference;
      } else if (field == "sub_processors") {
        std::vector<std::string> l;
        for (const SubProcessor& sp : p.sub_processors) {
          std::string line = sp.name;
          if (!sp.country.empty() || !sp.purpose.empty()) line += "; " + sp.country;
          if (!sp.purpose.empty()) line += "; " + sp.purpose;
          for (char& ch : line)
            if (ch == '\n') ch = ' ';
          l.push_back(line);
        }
        v = Lines(l);
      }
      row.push_back(std::move(v));
    }
    while (!row.empty() && row.back().empty()) row.pop_back();
    return row;
  }

  const Processor* FindProcessor(std::string_view id) const {
    auto it = processors_.find(id);
    return it == processors_.end() ? nullptr : it->second;
  }
  const System* FindSystem(std::string_view id) const {
    auto it = systems_.find(id);
    return it == systems_.end() ? nullptr : it->second;
  }
  std::unordered_map<std::string_view, const Processor*> processors_;
  std::unordered_map<std::string_view, const System*> systems_;
  const Register& reg_;
  const SheetLayout& layout_;
  const TextCatalog& cat_;
  mutable std::unordered_map<std::string, std::string> terms_;
};

Exporter LayoutExporter(std::string name, std::string layout, std::string extension, bool is_default,
                        std::string description) {
  Exporter e;
  e.name = std::move(name);
  e.description = std::move(description);
  e.extensions = {extension};
  e.default_for_extension = is_default;
  bool xlsx = extension == ".xlsx";
  e.write = [layout, xlsx](const Register& r, const ExportOptions&) -> std::expected<std::string, Error> {
    auto l = SheetTemplateLayout(layout);
    if (!l) return MakeError(ErrorKind::kInternal, "no spreadsheet template named " + layout);
    LayoutWriter w(r, *l);
    FlatTable t = w.Table();
    if (!xlsx) return CsvTable(t);  // one sheet: the processor details are not written
    std::vector<XlsxSheet> sheets(1);
    sheets[0].name = layout == "nl-vng" ? "Verwerkingsregister" : "Register";
    sheets[0].header = std::move(t.header);
    sheets[0].rows = std::move(t.rows);
    sheets[0].widths.assign(sheets[0].header.size(), 28);
    if (!l->processor_sheet.empty()) {
      FlatTable pt = w.ProcessorTable();
      XlsxSheet& ps = sheets.emplace_back();
      ps.name = l->processor_sheet;
      ps.header = std::move(pt.header);
      ps.rows = std::move(pt.rows);
      ps.widths.assign(ps.header.size(), 24);
    }
    if (!l->organisation_sheet.empty()) {
      FlatTable ot = w.OrganisationTable();
      XlsxSheet& os = sheets.emplace_back();
      os.name = l->organisation_sheet;
      os.header = std::move(ot.header);
      os.rows = std::move(ot.rows);
      os.widths = {36, 48};
    }
    return WriteXlsx(sheets);
  };
  return e;
}

}  // namespace

FlatTable LayoutTable(const Register& reg, std::string_view layout) {
  auto l = SheetTemplateLayout(layout);
  if (!l) return {};
  return LayoutWriter(reg, *l).Table();
}

Exporter XlsxExporter() {
  return LayoutExporter("xlsx", "nl-vng", ".xlsx", true,
                        "XLSX in the VNG model layout (Dutch), one row per activity; imports back");
}
Exporter CsvExporter() {
  return LayoutExporter("csv", "nl-vng", ".csv", true,
                        "CSV in the VNG model layout (Dutch), lists one item per line; imports back");
}
Exporter IcoXlsxExporter() {
  return LayoutExporter("ico-xlsx", "ico-controller", ".xlsx", false,
                        "XLSX in the ICO controller documentation template's layout; imports back");
}
Exporter IcoCsvExporter() {
  return LayoutExporter("ico-csv", "ico-controller", ".csv", false,
                        "CSV in the ICO controller documentation template's layout; imports back");
}

}  // namespace blindspot
