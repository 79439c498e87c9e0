// The `kb` outputs: the list of knowledge-base entries, or one entry in full
// (what it is, who is behind it, how it is recognised, and what the kb
// claims, each claim with its sources), in the language asked for.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "blindspot/terminal.h"
#include "report/formats.h"
#include "report/report_util.h"

namespace blindspot::report_internal {
namespace {

std::vector<const KbEntry*> Selected(const OutputInput& in) {
  std::vector<const KbEntry*> list;
  if (!in.kb_entry.empty()) {
    if (const KbEntry* e = in.kb->Find(in.kb_entry)) list.push_back(e);
  } else {
    for (const auto& e : in.kb->entries()) list.push_back(&e);
  }
  return list;
}

}  // namespace

Result<std::string> RenderKbJson(const OutputInput& in) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const KbEntry* e : Selected(in)) {
    arr.push_back({{"id", e->id},
                   {"name", e->name},
                   {"category", e->category},
                   {"channel", e->channel},
                   {"vendor", e->vendor.legal_entity},
                   {"country", e->vendor.country},
                   {"processing_country", e->vendor.processing_country},
                   {"transfer_mechanism", std::string(ToString(e->vendor.transfer_mechanism))},
                   {"role", std::string(ToString(e->role.value))},
                   {"consent_required", e->consent_required.value}});
  }
  return arr.dump(2) + "\n";
}

Result<std::string> RenderKbText(const OutputInput& in) {
  // Lines of at most kWidth columns except for unbreakable words (URLs), as
  // the text report.
  constexpr size_t kWidth = 100;
  Texts t(in.options.lang);
  std::vector<const KbEntry*> list = Selected(in);
  // The list: id, category (in the language), name, vendor in columns.
  size_t wid = 0, wcat = 0, wname = 0;
  for (const KbEntry* e : list) {
    wid = std::max(wid, DisplayWidth(e->id));
    wcat = std::max(wcat, DisplayWidth(t.Term("kb_category", e->category)));
    wname = std::max(wname, DisplayWidth(e->name));
  }
  auto pad = [](std::string s, size_t w) { return s.append(w - std::min(w, DisplayWidth(s)), ' '); };
  // One entry: "  Label:   value", every label of the language padded to the
  // longest one, so values line up and never touch their label.
  const MessageId kLabels[] = {
      ui::vendor,   ui::col_category,   ui::kb_request,         ui::kb_cookies, ui::kb_first_party_cookies,
      ui::kb_links, ui::kb_data_signal, ui::kb_data_categories, ui::claim_role, ui::claim_consent};
  size_t label_width = 0;
  for (MessageId id : kLabels) label_width = std::max(label_width, DisplayWidth(t.T(id)) + 1);  // with ':'
  const size_t value_col = 2 + label_width + 1;
  std::string out;
  for (const KbEntry* e : list) {
    out += pad(e->id, wid) + "  " + pad(t.Term("kb_category", e->category), wcat) + "  " +
           pad(e->name, wname) + "  " + e->vendor.legal_entity;
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
    if (in.kb_entry.empty()) continue;
    out += "\n" + WordWrap(t.Kb(e->description), 0, 0, kWidth) + "\n";
    auto line = [&](MessageId label, const std::string& value) {
      out += "  " + pad(t.T(label) + ":", label_width);
      if (value.empty()) {
        while (out.back() == ' ') out.pop_back();
        out += '\n';
        return;
      }
      out += " " + WordWrap(value, value_col, value_col, kWidth);
    };
    auto sources = [&](const std::vector<Source>& srcs) {
      for (const Source& s : srcs) {
        out += std::string(value_col, ' ') + "- ";
        out +=
            WordWrap(fmt::format("{} <{}>", s.Title(t.lang()), s.url), value_col + 2, value_col + 2, kWidth);
      }
    };
    line(ui::vendor,
         t.R(Message(ui::kb_vendor_line)
                 .Text("entity", e->vendor.legal_entity)
                 .Text("country", e->vendor.country)
                 .Text("processing_country", e->vendor.processing_country)
                 .Term("mechanism", "transfer_safeguard", ToString(e->vendor.transfer_mechanism))));
    sources(e->vendor.sources);
    line(ui::col_category, t.Term("kb_category", e->category) + " / " + t.Term("channel", e->channel));
    for (const auto& r : e->signatures.requests) line(ui::kb_request, r.Pattern());
    if (!e->signatures.cookies.empty())
      line(ui::kb_cookies, fmt::format("{}", fmt::join(e->signatures.cookies, ", ")));
    if (!e->signatures.first_party_cookies.empty())
      line(ui::kb_first_party_cookies, fmt::format("{}", fmt::join(e->signatures.first_party_cookies, ", ")));
    if (!e->signatures.links.empty())
      line(ui::kb_links, fmt::format("{}", fmt::join(e->signatures.links, ", ")));
    for (const auto& ds : e->data_signals)
      line(ui::kb_data_signal,
           fmt::format("{} = {} ({}){}", ds.param, ds.data_category, ds.id,
                       ds.implies.empty() ? "" : ", " + t.T(ui::kb_implies) + " " + ds.implies));
    line(ui::kb_data_categories, fmt::format("{}", fmt::join(e->data_categories, ", ")));
    line(ui::claim_role, t.Term("vendor_role", ToString(e->role.value)) + ": " + t.Kb(e->role.reason));
    sources(e->role.sources);
    line(ui::claim_consent, t.Term("yes_no", e->consent_required.value ? "yes" : "no") + ": " +
                                t.Kb(e->consent_required.reason));
    sources(e->consent_required.sources);
    if (std::string note = t.FallbackNote(); !note.empty()) out += "\n" + WordWrap(note, 0, 0, kWidth);
  }
  return EscapeControl(out, /*keep_newlines=*/true);
}

}  // namespace blindspot::report_internal
