// Importer for W3C Data Privacy Vocabulary (DPV 2.0) JSON-LD registers: a
// JSON object with an @context and an @graph of nodes, as the DPV exporter
// writes them (docs/formats/export.md#dpv) and as other tools that publish DPV
// can: the controller (dpv:DataController), processors (dpv:DataProcessor,
// dpv:JointDataControllers, another dpv:DataController) and each processing
// activity as a top-level dpv:Process. Prefixes are taken from the document's
// own @context, so `dpv:hasPurpose`, `w3:hasPurpose` with w3 bound to DPV's
// namespace, and the full IRI are the same property. This is not a JSON-LD
// processor: a remote @context, @reverse, @list or framing other than a flat
// @graph are not resolved, and properties the register has no place for are
// kept as notes on their activity and reported, never dropped silently.
// Not thread-safe: one reader per import.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <ranges>

#include "blindspot/io.h"
#include "io/dpv_terms.h"
#include "io/importers.h"
#include "io/json_record_reader.h"

namespace blindspot {
namespace {

constexpr std::string_view kActivityUrn = "urn:blindspot:activity:";
constexpr std::string_view kProcessorUrn = "urn:blindspot:processor:";

// Percent-decoding of the exporter's Encode (an id in an IRI).
std::string Decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

class DpvReader : public JsonRecordReader {
 public:
  using JsonRecordReader::JsonRecordReader;

 private:
  // ---- IRIs: every term compared in the exporter's compact form ("dpv:X") ----

  // "p:local" with p bound by the document's @context, or a full IRI in one of
  // DPV's namespaces, as "dpv:local"; anything else as written.
  std::string Canon(std::string_view iri) const {
    std::string full(iri);
    // A term the @context maps to an IRI ("label": rdfs:label's IRI).
    if (auto t = terms_.find(full); t != terms_.end()) full = t->second;
    iri = full;
    if (size_t colon = iri.find(':');
        colon != std::string_view::npos && iri.find("://") == std::string_view::npos) {
      auto it = context_.find(std::string(iri.substr(0, colon)));
      if (it != context_.end()) full = it->second + std::string(iri.substr(colon + 1));
    }
    for (const auto& [prefix, ns] : dpv::kPrefixes)
      if (full.starts_with(ns)) return std::string(prefix) + ":" + full.substr(ns.size());
    return std::string(iri);
  }
  // The value of a property given in compact form, whatever prefix the file uses.
  Node Prop(const Node& node, std::string_view term) const {
    if (!node.IsMap()) return Node();
    for (auto it = node.begin(); it != node.end(); ++it)
      if (it->first.IsScalar() && Canon(it->first.Scalar()) == term) return it->second;
    return Node();
  }
  // A value or a list of values (JSON-LD allows both) as a list.
  static std::vector<Node> Each(const Node& v) {
    std::vector<Node> out;
    if (!v.IsDefined() || v.IsNull()) return out;
    if (v.IsSequence()) {
      for (size_t i = 0; i < v.size(); ++i) out.push_back(v[i]);
    } else {
      out.push_back(v);
    }
    return out;
  }
  // A node's @id (or a plain IRI string), canonical; "" when it has none.
  std::string IdOf(const Node& n) const {
    if (n.IsScalar()) return Canon(n.Scalar());
    Node id = n.IsMap() ? n["@id"] : Node();
    return id.IsDefined() && id.IsScalar() ? Canon(id.Scalar()) : "";
  }
  std::vector<std::string> TypesOf(const Node& n) const {
    std::vector<std::string> out;
    if (!n.IsMap()) return out;
    for (const Node& t : Each(n["@type"]))
      if (t.IsScalar()) out.push_back(Canon(t.Scalar()));
    return out;
  }
  bool HasType(const Node& n, std::string_view type) const {
    auto t = TypesOf(n);
    return std::find(t.begin(), t.end(), type) != t.end();
  }
  // A literal: a string, or a value object {"@value": ...}; "" otherwise.
  static std::string Literal(const Node& v) {
    Node x = v.IsMap() ? v["@value"] : v;
    if (!x.IsDefined() || !x.IsScalar()) return "";
    std::string s(x.Scalar());
    std::string out;
    for (size_t i = 0; i < s.size(); ++i)
      if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out += s[i];
    return out;
  }
  std::string LiteralOf(const Node& node, std::string_view term) const {
    auto all = Each(Prop(node, term));
    return all.empty() ? "" : Literal(all.front());
  }
  std::string Label(const Node& n) const { return LiteralOf(n, "rdfs:label"); }

  // ---- the document ----

  void Top(const Node& root, Register& reg) override {
    if (!root.IsMap()) {
      w_.Add(
          Make(ErrorKind::kSchema, LocOf(root, {1, 1}), "",
               fmt::format("a DPV JSON-LD register must be a JSON object, found {}", input::TypeName(root)),
               "{\"@context\": {...}, \"@graph\": [...]}"));
      return;
    }
    Node ctx = root["@context"];
    for (const Node& c : Each(ctx)) {
      if (!c.IsMap()) {
        Warn(c, root, "/@context",
             "a remote @context is not fetched: terms are read with DPV's own prefixes (dpv, eu-gdpr, pd, "
             "loc)");
        continue;
      }
      for (auto it = c.begin(); it != c.end(); ++it) {
        if (!it->first.IsScalar()) continue;
        std::string key(it->first.Scalar());
        Node value = it->second.IsMap() ? it->second["@id"] : it->second;  // {"@id": IRI, "@type": ...}
        if (!value.IsDefined() || !value.IsScalar()) continue;
        std::string v(value.Scalar());
        // A prefix ends in '#' or '/'; any other value names one term.
        if (!v.empty() && (v.back() == '#' || v.back() == '/'))
          context_[key] = v;
        else
          terms_[key] = v;
      }
    }
    for (const auto& [prefix, ns] : dpv::kPrefixes)
      context_.try_emplace(std::string(prefix), std::string(ns));
    Node graph = root["@graph"];
    if (!graph.IsDefined() || !graph.IsSequence()) {
      Err(graph.IsDefined() ? graph : root, LocOf(root, {1, 1}), "/@graph",
          graph.IsDefined() ? fmt::format("'@graph' must be a list, found {}", input::TypeName(graph))
                            : "the document has no '@graph'",
          "\"@graph\": [ the controller, processors and one dpv:Process per activity ]");
      return;
    }
    // The activities and the parties (controller, processors).
    std::vector<std::pair<Node, std::string>> processes, parties;
    for (size_t i = 0; i < graph.size(); ++i) {
      const Node& n = graph[i];
      std::string ptr = Ptr("/@graph", i);
      if (!n.IsMap()) {
        Err(n, LocOf(graph), ptr, fmt::format("a graph node must be an object, found {}", input::TypeName(n)),
            "{\"@id\": ..., \"@type\": ...}");
        continue;
      }
      if (HasType(n, "dpv:Process"))
        processes.emplace_back(n, ptr);
      else if (HasType(n, "dpv:DataController") || HasType(n, "dpv:DataProcessor") ||
               HasType(n, "dpv:JointDataControllers"))
        parties.emplace_back(n, ptr);
      else
        Warn(n, graph, ptr,
             fmt::format("graph node '{}' ({}) is not read: only the controller, processors and dpv:Process "
                         "nodes are",
                         IdOf(n), fmt::join(TypesOf(n), ", ")));
    }
    // The controller: the party the activities name with dpv:hasDataController.
    std::string controller;
    for (const auto& [p, ptr] : processes)
      for (const Node& c : Each(Prop(p, "dpv:hasDataController")))
        if (controller.empty()) controller = IdOf(c);
    for (const auto& [n, ptr] : parties) {
      bool is_org = IdOf(n) == controller ||
                    (controller.empty() && HasType(n, "dpv:DataController") && reg.organisation.name.empty());
      if (is_org && reg.organisation.name.empty()) {
        reg.organisation.name = Label(n);
        reg.organisation.country = Country(n);
        if (!reg.organisation.name.empty()) map_->Add("organisation", LocOf(n));
      } else {
        Party(n, ptr, reg);
      }
    }
    if (processes.empty() && w_.ok())
      w_.Add(Make(ErrorKind::kSchema, LocOf(graph, {1, 1}), "/@graph",
                  "the register has no processing activities",
                  "at least one node of @type dpv:Process in @graph"));
    for (const auto& [p, ptr] : processes) Activity(p, ptr, reg);
  }

  std::string Country(const Node& n) const {
    std::string c = IdOf(Prop(n, "dpv:hasCountry"));
    return c.starts_with("loc:") ? c.substr(4) : "";
  }

  void Party(const Node& n, const std::string& ptr, Register& reg) {
    Processor p;
    std::string iri = IdOf(n);
    p.id = iri.starts_with(kProcessorUrn) ? Decode(std::string_view(iri).substr(kProcessorUrn.size()))
                                          : IdSlug(Label(n).empty() ? iri : Label(n));
    p.name = Label(n);
    if (p.name == p.id) p.name.clear();  // the exporter labels a processor without a name with its id
    p.role = HasType(n, "dpv:DataProcessor")          ? VendorRole::kProcessor
             : HasType(n, "dpv:JointDataControllers") ? VendorRole::kJointController
                                                      : VendorRole::kIndependentController;
    p.country = Country(n);
    if (p.id.empty() || reg.FindProcessor(p.id)) {
      Err(n, {}, ptr, fmt::format("the party '{}' has no id of its own", iri),
          "a unique @id (urn:blindspot:processor:<id>) or label");
      return;
    }
    processor_iris_[iri] = p.id;
    map_->Add(path::Item("processors", p.id), LocOf(n));
    map_->Add(path::Index("", "processors", reg.processors.size()) + ".id", LocOf(n));
    reg.processors.push_back(std::move(p));
  }

  // A personal-data node: a pd: class (read back as its fideslang key) or a
  // labelled dpv:PersonalData / dpv:SpecialCategoryPersonalData. The key, and
  // whether it is a special category (Art. 9(1)).
  std::pair<std::string, bool> PersonalData(const Node& d) const {
    bool special = HasType(d, "dpv:SpecialCategoryPersonalData");
    for (std::string_view cls : dpv::kSpecialPersonalData) special |= HasType(d, cls);
    if (std::string label = Label(d); !label.empty()) return {label, special};  // an instance: its key
    std::string id = IdOf(d);
    special |= std::find(std::begin(dpv::kSpecialPersonalData), std::end(dpv::kSpecialPersonalData), id) !=
               std::end(dpv::kSpecialPersonalData);
    for (const auto& [key, cls] : dpv::kPersonalData)
      if (cls == id) return {std::string(key), special};
    return {id, special};
  }

  void Activity(const Node& n, const std::string& ptr, Register& reg) {
    notes_.clear();
    ProcessingActivity a;
    const std::string iri = IdOf(n);
    a.name = Label(n);
    a.id = iri.starts_with(kActivityUrn) ? Decode(std::string_view(iri).substr(kActivityUrn.size()))
                                         : IdSlug(a.name);
    if (a.id.empty() || std::any_of(reg.activities.begin(), reg.activities.end(),
                                    [&](const auto& x) { return x.id == a.id; }))
      a.id = fmt::format("activity-{}", reg.activities.size() + 1);
    const std::string ap = path::Item("activities", a.id);
    map_->Add(ap, LocOf(n));
    map_->Add(path::Index("", "activities", reg.activities.size()) + ".id", LocOf(n));
    if (!a.name.empty()) map_->Add(path::Field(ap, "name"), LocOf(Prop(n, "rdfs:label"), LocOf(n)));
    a.description = LiteralOf(n, "dct:description");

    // Purposes, by @id, so that the sub-processes can give each its basis.
    std::map<std::string, size_t> purpose_at;
    const std::string purpose_prefix = iri + ":purpose:";
    for (const Node& p : Each(Prop(n, "dpv:hasPurpose"))) {
      Purpose pu;
      std::string pid = IdOf(p);
      if (pid.starts_with(purpose_prefix))
        pu.id = Decode(std::string_view(pid).substr(purpose_prefix.size()));
      pu.description = p.IsScalar() ? pid : Label(p);
      for (const Node& u : Each(Prop(p, "dct:subject")))
        if (std::string use = Literal(u); !use.empty()) pu.data_uses.push_back(use);
      if (!pid.empty()) purpose_at[pid] = a.purposes.size();
      a.purposes.push_back(std::move(pu));
    }
    for (const Node& d : Each(Prop(n, "dpv:hasPersonalData"))) {
      auto [key, special] = PersonalData(d);
      if (key.empty()) continue;
      if (special) {
        SpecialCategory sc;
        sc.category = key;
        a.special_categories.push_back(sc);
      } else if (std::find(a.data_categories.begin(), a.data_categories.end(), key) ==
                 a.data_categories.end()) {
        a.data_categories.push_back(key);
      }
    }
    for (const Node& s : Each(Prop(n, "dpv:hasDataSubject"))) {
      std::string id = IdOf(s), subject = Label(s);
      for (const auto& [key, cls] : dpv::kDataSubjects)
        if (cls == id && subject.empty()) subject = key;
      if (subject.empty()) subject = id;
      if (!subject.empty()) a.data_subjects.push_back(subject);
    }
    for (const Node& r : Each(Prop(n, "dpv:hasRecipient"))) a.recipients.push_back(RecipientOf(r));
    for (const Node& m : Each(Prop(n, "dpv:hasTechnicalOrganisationalMeasure"))) {
      std::string id = IdOf(m), label = Label(m);
      std::string key;
      for (const auto& [k, cls] : dpv::kMeasures)
        if (cls == id && key.empty() && label.empty()) key = k;
      if (key.empty() && !label.empty() &&
          label.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos)
        key = label;  // a measure code
      if (!key.empty()) {
        if (std::find(a.toms.measures.begin(), a.toms.measures.end(), key) == a.toms.measures.end())
          a.toms.measures.push_back(key);
      } else if (!label.empty()) {
        a.toms.description += (a.toms.description.empty() ? "" : "\n") + label;
      }
    }
    for (const Node& s : Each(Prop(n, "dpv:hasStorageCondition"))) {
      Retention r;
      r.period = Label(s);
      r.data_category = LiteralOf(s, "dct:subject");
      if (r.data_category.empty()) r.data_category = "*";
      r.justification = LiteralOf(s, "dct:description");
      if (!r.period.empty()) a.retention.push_back(std::move(r));
    }
    // Sub-processes: a purpose's basis, a special category's condition, a transfer.
    for (const Node& sub : Each(Prop(n, "dpv:hasProcess"))) SubProcess(a, sub, purpose_at, ptr);
    // The activity's own bases: checked against the sub-processes' (a file
    // from another tool may give them only here).
    std::vector<LawfulBasis> art6;
    for (const Node& b : Each(Prop(n, "dpv:hasLegalBasis")))
      if (auto lb = Art6(IdOf(b))) art6.push_back(*lb);
    bool any_purpose_basis =
        std::any_of(a.purposes.begin(), a.purposes.end(), [](const Purpose& p) { return p.lawful_basis; });
    if (!any_purpose_basis && art6.size() == 1)
      for (Purpose& p : a.purposes) p.lawful_basis = art6.front();
    else if (!any_purpose_basis && art6.size() > 1)
      Note(
          a, Prop(n, "dpv:hasLegalBasis"), LocOf(n), Ptr(ptr, "dpv:hasLegalBasis"), "Lawful bases",
          fmt::format(
              "{}", fmt::join(art6 | std::views::transform([](LawfulBasis b) { return ToString(b); }), ", ")),
          "the file does not say which purpose relies on which basis");
    static const std::vector<std::string_view> kRead = {"@id",
                                                        "@type",
                                                        "rdfs:label",
                                                        "dct:description",
                                                        "dpv:hasDataController",
                                                        "dpv:hasPurpose",
                                                        "dpv:hasLegalBasis",
                                                        "dpv:hasPersonalData",
                                                        "dpv:hasDataSubject",
                                                        "dpv:hasRecipient",
                                                        "dpv:hasProcess",
                                                        "dpv:hasTechnicalOrganisationalMeasure",
                                                        "dpv:hasStorageCondition"};
    for (auto it = n.begin(); it != n.end(); ++it) {
      std::string key = it->first.IsScalar() ? Canon(it->first.Scalar()) : "";
      if (std::find(kRead.begin(), kRead.end(), key) != kRead.end()) continue;
      Note(a, it->second, LocOf(n), Ptr(ptr, key), key, Flat(it->second),
           "the register model has no field for this property");
    }
    a.notes = std::move(notes_);
    notes_.clear();
    reg.activities.push_back(std::move(a));
  }

  static std::optional<LawfulBasis> Art6(std::string_view id) {
    static constexpr std::pair<std::string_view, LawfulBasis> kArt6[] = {
        {"eu-gdpr:A6-1-a", LawfulBasis::kConsent},
        {"eu-gdpr:A6-1-b", LawfulBasis::kContract},
        {"eu-gdpr:A6-1-c", LawfulBasis::kLegalObligation},
        {"eu-gdpr:A6-1-d", LawfulBasis::kVitalInterests},
        {"eu-gdpr:A6-1-e", LawfulBasis::kPublicTask},
        {"eu-gdpr:A6-1-f", LawfulBasis::kLegitimateInterests}};
    for (const auto& [k, b] : kArt6)
      if (id == k) return b;
    return std::nullopt;
  }

  Recipient RecipientOf(const Node& r) const {
    Recipient rc;
    std::string id = IdOf(r);
    if (auto it = processor_iris_.find(id); it != processor_iris_.end() && Label(r).empty()) {
      rc.kind = RecipientKind::kProcessor;
      rc.processor = it->second;
      return rc;
    }
    rc.kind = HasType(r, "dpv:ThirdParty") ? RecipientKind::kExternal : RecipientKind::kInternal;
    rc.name = Label(r).empty() ? id : Label(r);
    return rc;
  }

  void SubProcess(ProcessingActivity& a, const Node& sub, const std::map<std::string, size_t>& purpose_at,
                  const std::string& ptr) {
    std::vector<std::string> bases;
    for (const Node& b : Each(Prop(sub, "dpv:hasLegalBasis"))) bases.push_back(IdOf(b));
    bool transfer = false;
    for (const Node& p : Each(Prop(sub, "dpv:hasProcessing"))) transfer |= IdOf(p) == "dpv:Transfer";
    if (transfer) {
      Transfer t;
      Node rec = Prop(sub, "dpv:hasRecipient");
      if (auto list = Each(rec); !list.empty()) {
        Recipient r = RecipientOf(list.front());
        t.recipient = r.kind == RecipientKind::kProcessor ? r.processor : r.name;
      }
      t.country = Country(sub);
      t.reference = LiteralOf(sub, "dct:description");
      for (const Node& b : Each(Prop(sub, "dpv:hasLegalBasis"))) {
        std::string id = IdOf(b);
        std::optional<TransferSafeguard> s;
        if (id == "eu-gdpr:A45-3") s = TransferSafeguard::kAdequacyDecision;
        if (id == "eu-gdpr:A46-2-c") s = TransferSafeguard::kSccs;
        if (id == "eu-gdpr:A46-2-b") s = TransferSafeguard::kBcrs;
        if (!s && HasType(b, "dpv:DataTransferLegalBasis")) s = ParseTransferSafeguard(Label(b));
        // A named decision (the Data Privacy Framework) says more than Art. 45(3).
        if (s && (!t.safeguard || *t.safeguard == TransferSafeguard::kAdequacyDecision)) t.safeguard = s;
      }
      a.transfers.push_back(std::move(t));
      return;
    }
    for (const Node& p : Each(Prop(sub, "dpv:hasPurpose"))) {
      auto it = purpose_at.find(IdOf(p));
      if (it == purpose_at.end()) continue;
      Purpose& pu = a.purposes[it->second];
      for (const auto& b : bases)
        if (auto lb = Art6(b)) pu.lawful_basis = lb;
      pu.legal_obligation = LiteralOf(sub, "dct:description");
      pu.lia_reference = LiteralOf(sub, "dct:references");
      return;
    }
    for (const auto& b : bases) {
      if (!b.starts_with("eu-gdpr:A9-2-") || b.size() != 14) continue;
      for (const Node& d : Each(Prop(sub, "dpv:hasPersonalData"))) {
        std::string key = PersonalData(d).first;
        auto it = std::find_if(a.special_categories.begin(), a.special_categories.end(),
                               [&](const SpecialCategory& s) { return s.category == key; });
        if (it == a.special_categories.end()) {
          a.special_categories.push_back({.category = key});
          it = a.special_categories.end() - 1;
        }
        it->condition = b.back();
        it->justification = LiteralOf(sub, "dct:description");
      }
      return;
    }
    Note(a, sub, {}, Ptr(ptr, "dpv:hasProcess"), "Sub-process", Flat(sub),
         "it is neither a transfer nor a purpose's or special category's basis");
  }

  // A JSON-LD value as one line of text, for a note.
  std::string Flat(const Node& v) const {
    if (v.IsScalar()) return std::string(v.Scalar());
    std::vector<std::string> parts;
    for (const Node& x : Each(v)) {
      if (x.IsScalar()) {
        parts.emplace_back(x.Scalar());
      } else if (x.IsMap() && !Literal(x).empty()) {
        parts.push_back(Literal(x));
      } else if (x.IsMap()) {
        std::string label = Label(x), id = IdOf(x);
        parts.push_back(!label.empty() ? label : !id.empty() ? id : fmt::format("({})", input::TypeName(x)));
      }
    }
    return fmt::format("{}", fmt::join(parts, "; "));
  }

  void Warn(const Node& n, const Node& parent, const std::string& ptr, std::string message) {
    Error e = Make(ErrorKind::kSchema, LocOf(n, LocOf(parent)), ptr, std::move(message));
    e.warning = true;
    warnings_.push_back(std::move(e));
  }

  std::map<std::string, std::string> context_;         // prefix -> namespace
  std::map<std::string, std::string> terms_;           // term -> IRI (or compact IRI)
  std::map<std::string, std::string> processor_iris_;  // a party's @id -> its processor id
};

bool SniffDpv(std::string_view text) {
  std::string_view head = input::StripBom(text).substr(0, 64 * 1024);
  size_t b = head.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos || head[b] != '{') return false;
  return head.find("\"@context\"") != std::string_view::npos &&
         head.find("w3id.org/dpv") != std::string_view::npos;
}

}  // namespace

Importer DpvImporter() {
  Importer i;
  i.name = "dpv";
  i.description =
      "W3C Data Privacy Vocabulary (DPV 2.0) JSON-LD: an @graph with the controller, processors and a "
      "dpv:Process per activity (as `blindspot export --format dpv` writes it)";
  i.sniff = SniffDpv;
  i.import = [](std::string_view text, const std::string& file,
                const RegisterReadOptions&) -> std::expected<LoadedRegister, Diagnostics> {
    try {
      DpvReader reader(text, file);
      return reader.Run("a DPV JSON-LD document (a JSON object with @context and @graph)");
    } catch (const std::exception& ex) {
      Error e;
      e.kind = ErrorKind::kInternal;
      e.where.file = file;
      e.message = std::string("DPV importer failed: ") + ex.what();
      return std::unexpected(Diagnostics{e});
    }
  };
  return i;
}

}  // namespace blindspot
