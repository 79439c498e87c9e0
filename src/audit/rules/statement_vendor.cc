// BS044: a detected or registered touchpoint whose product or vendor no
// privacy statement names, its own traffic not seen (seen: BS047).
#include "audit/rule.h"
#include "audit/statement_match.h"

namespace blindspot::audit {
namespace {

// Its own requests or cookies were seen (not only a link, marker or another product's signal).
bool Active(const DetectedTouchpoint& d) {
  if (d.inferred()) return false;
  for (const EvidenceItem& e : d.evidence)
    if (e.kind == EvidenceKind::kRequest || e.kind == EvidenceKind::kCookie ||
        e.kind == EvidenceKind::kSetCookie)
      return true;
  return false;
}

}  // namespace

// Shared with BS047 (statement_vendor_active.cc): the rows no statement names, `active` chooses.
void ReportUnnamedVendors(const AuditContext& ctx, bool want_active, std::vector<Finding>& out) {
  if (!ctx.statements || ctx.statements->empty()) return;
  std::vector<StatementText> texts;
  std::string names;
  for (const Statement& st : *ctx.statements) {
    texts.emplace_back(st);
    if (!names.empty()) names += ", ";
    names += st.name;
  }
  for (const ReconciledTouchpoint& row : ctx.touchpoints) {
    if (row.inferred()) continue;  // not confirmed (BS020)
    if (row.registered && row.registered->answers.in_use == false && !row.detected) continue;
    std::vector<std::string> vendor_names = VendorNames(ctx, row);
    if (vendor_names.empty()) continue;
    bool named = false;
    for (const StatementText& t : texts) named = named || t.NamesAny(vendor_names);
    if (named) continue;
    bool active = row.detected && Active(*row.detected);
    if (active != want_active) continue;
    std::string vendor =
        row.kb && !row.kb->vendor.legal_entity.empty() ? row.kb->vendor.legal_entity : vendor_names.back();
    std::string product = row.kb ? ProductName(row) : DisplayName(*row.registered);
    Message m = Message(active ? msg::BS047::not_named_active : msg::BS044::not_named)
                    .Text("statement", names)
                    .Text("product", product)
                    .Text("vendor", vendor);
    Finding f = row.registered ? ctx.Make(SubjectKind::kTouchpoint, row.registered->id,
                                          DisplayName(*row.registered), std::move(m), PathOf(*row.registered))
                               : ctx.Make(SubjectKind::kDetected, row.kb_id, product, std::move(m), "");
    out.push_back(std::move(f));
  }
}

void CheckStatementVendors(const AuditContext& ctx, std::vector<Finding>& out) {
  ReportUnnamedVendors(ctx, false, out);
}

}  // namespace blindspot::audit
