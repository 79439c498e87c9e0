// Importer for the import format of the Dutch Ministry of VWS's
// Verwerkingsregister: a JSON array (UTF-8, byte-order mark allowed) of
// processing records with Dutch keys (Naam, Nummer, Dienst, Verantwoordelijken,
// Verwerkers, Doelen, Betrokkenen, Ontvangers, Beveiliging, Doorgifte, GebPia,
// ...). docs/formats/vws.md has the field mapping. Every value that has a
// place in the model goes there; free text is mapped where a phrase table
// (data/import/register_terms.yaml) knows it (lawful bases, countries,
// retention periods) and kept as it is otherwise. What has no place is kept as
// a note in the activity's `notes` and listed as a warning with its JSON
// pointer: nothing is dropped silently.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "blindspot/embedded.h"
#include "blindspot/fideslang.h"
#include "blindspot/io.h"
#include "input/yaml_walker.h"
#include "io/importers.h"
#include "io/json_record_reader.h"

namespace blindspot {

namespace yaml = input::yaml;
namespace {

using input::ToLoc;

}  // namespace

namespace {

class VwsReader : public JsonRecordReader {
 public:
  using JsonRecordReader::JsonRecordReader;

 private:
  std::string Address(const yaml::Node& m, const std::string& ptr) {
    std::vector<std::string> parts;
    std::string street = Text(m, "Adres", ptr);
    std::string place = Text(m, "Postcode", ptr);
    std::string city = Text(m, "Plaats", ptr);
    if (!city.empty()) place += (place.empty() ? "" : " ") + city;
    if (!street.empty()) parts.push_back(street);
    if (!place.empty()) parts.push_back(place);
    std::string box = Text(m, "Postbus", ptr);
    std::string box_place = Text(m, "PostbusPostcode", ptr);
    std::string box_city = Text(m, "PostbusPlaats", ptr);
    if (!box_city.empty()) box_place += (box_place.empty() ? "" : " ") + box_city;
    std::string out = fmt::format("{}", fmt::join(parts, ", "));
    if (!box.empty()) {
      std::string p = "Postbus " + box + (box_place.empty() ? "" : ", " + box_place);
      std::string box_land = Text(m, "PostbusLand", ptr);
      std::string land = Text(m, "Land", ptr);
      if (!box_land.empty() && FoldPhrase(box_land) != FoldPhrase(land)) p += ", " + box_land;
      out += (out.empty() ? "" : "; ") + p;
    }
    return out;
  }
  // The country of a party: ISO code, else a note.
  std::string Country(ProcessingActivity& a, const yaml::Node& m, const std::string& ptr,
                      const std::string& who) {
    std::string land = Text(m, "Land", ptr);
    if (land.empty()) return "";
    std::string code = CountryCodeFromName(land);
    if (code.empty())
      Note(a, Get(m, "Land"), LocOf(m), Ptr(ptr, "Land"), who + " country", land,
           "not a country name the phrase table knows (data/import/register_terms.yaml)");
    return code;
  }

  void Top(const yaml::Node& root, Register& reg) override {
    reg_processors_ = &reg.processors;
    if (!root.IsSequence()) {
      w_.Add(Make(ErrorKind::kSchema, LocOf(root, {1, 1}), "",
                  fmt::format("a VWS register export must be a JSON array, found {}", input::TypeName(root)),
                  "a JSON array of processing records ([{\"Naam\": ..., \"Nummer\": ...}, ...])"));
      return;
    }
    if (root.size() == 0) {
      w_.Add(Make(ErrorKind::kSchema, LocOf(root, {1, 1}), "", "the VWS register export has no records",
                  "at least one processing record in the array"));
      return;
    }
    for (size_t i = 0; i < root.size(); ++i) Record(root[i], i, reg);
  }

  void Record(const yaml::Node& r, size_t index, Register& reg) {
    std::string ptr = "/" + std::to_string(index);
    if (!r.IsMap()) {
      Err(r, {}, ptr, fmt::format("record {} must be an object, found {}", index, input::TypeName(r)),
          "a JSON object with Naam, Nummer, Doelen, ...");
      return;
    }
    notes_.clear();
    remarks_.clear();
    Loc rl = LocOf(r);
    ProcessingActivity a;
    std::string number = Text(r, "Nummer", ptr);
    std::string id = Text(r, "Id", ptr);
    a.id = !number.empty() && std::isalnum(static_cast<unsigned char>(number[0]))
               ? IdSlug(number)
               : (!id.empty() ? "vws-" + IdSlug(id) : fmt::format("vws-record-{}", index + 1));
    std::string ap = path::Item("activities", a.id);
    map_->Add(ap, rl);
    map_->Add(path::Index("", "activities", reg.activities.size()) + ".id", LocOf(Get(r, "Nummer"), rl));
    a.name = Text(r, "Naam", ptr);
    if (a.name.empty()) a.name = a.id;
    map_->Add(path::Field(ap, "name"), LocOf(Get(r, "Naam"), rl));
    a.business_function = Text(r, "Dienst", ptr);
    map_->Add(path::Field(ap, "business_function"), LocOf(Get(r, "Dienst"), rl));

    // Record metadata: no place in the model.
    for (const char* k :
         {"Status", "Versie", "AanmaakDatum", "LaatsteWijzigDatum", "VerdelingVerantwoordelijkheid"})
      Note(a, Get(r, k), rl, Ptr(ptr, k), k, Text(r, k, ptr), "the model has no place for it");
    if (!id.empty() && !number.empty())
      Note(a, Get(r, "Id"), rl, Ptr(ptr, "Id"), "Id", id,
           "the record's number is its id; the database id is kept");
    // The id is the number as a slug ("M5071" -> "m5071"); the number as
    // written is kept for the VWS export, which writes it back.
    if (!number.empty() && a.id != number && a.id == IdSlug(number)) {
      Note(a, Get(r, "Nummer"), rl, Ptr(ptr, "Nummer"), "Nummer", number,
           "the activity id is the number as a slug; the number as written is kept");
      warnings_.back().note = true;  // nothing lost: information, not counted as a warning
    }
    {
      yaml::Node ops = Get(r, "Opmerkingen");
      bool exported = false;  // the record has the exporter's marker (vws_remark::kMarker)
      if (!Absent(ops) && ops.IsSequence()) {
        for (size_t i = 0; i < ops.size(); ++i) {
          std::string p = Ptr(Ptr(ptr, "Opmerkingen"), i);
          std::string t = ops[i].IsScalar() ? std::string(ops[i].Scalar())
                          : ops[i].IsMap()  ? Text(ops[i], "Opmerking", p) + Text(ops[i], "Omschrijving", p)
                                            : "";
          // A remark the exporter wrote for a field waits for the record's
          // other parts (vws_remark in importers.h); other remarks are notes, word for word.
          if (t == vws_remark::kMarker) {
            exported = true;
            continue;
          }
          if (exported && IsVwsFieldRemark(t)) {
            remarks_.push_back({t, LocOf(ops[i], rl), p});
            continue;
          }
          // "Opmerking: Omschrijving: ..." is a note that starts like a field's remark.
          if (exported && t.starts_with(vws_remark::kPlainNote) &&
              IsVwsFieldRemark(std::string_view(t).substr(vws_remark::kPlainNote.size())))
            t = t.substr(vws_remark::kPlainNote.size());
          Note(a, ops[i], rl, p, "Opmerking", t.empty() ? "(not read)" : t,
               "remarks have no place in the model",
               /*labelled=*/false);
        }
      } else if (!Absent(ops)) {
        Err(ops, rl, Ptr(ptr, "Opmerkingen"), "'Opmerkingen' must be a list", "a JSON array");
      }
    }

    // Controllers: the first is the organisation; others are joint controllers.
    auto controllers = Objects(r, "Verantwoordelijken", ptr);
    for (size_t i = 0; i < controllers.size(); ++i) {
      const yaml::Node& c = controllers[i];
      std::string p = Ptr(Ptr(ptr, "Verantwoordelijken"), i);
      std::string name = Text(c, "Naam", p);
      Contact contact;
      contact.email = Text(c, "Email", p);
      contact.phone = Text(c, "Telefoon", p);
      contact.address = Address(c, p);
      std::string country = Country(a, c, p, "controller");
      if (i == 0 && reg.organisation.name.empty()) {
        map_->Add("organisation", LocOf(c));
        reg.organisation.name = name;
        reg.organisation.contact = contact;
        reg.organisation.country = country;
      } else if (i == 0 && FoldPhrase(name) != FoldPhrase(reg.organisation.name)) {
        Note(a, c, rl, p, "Verwerkingsverantwoordelijke", name,
             "the register has one organisation (" + reg.organisation.name + ")");
      } else if (i > 0) {
        Processor jc;
        std::string cid = Text(c, "Id", p);
        jc.id = VwsId("vws-controller-", cid.empty() ? std::to_string(i) : cid);
        jc.name = name;
        jc.country = country;
        jc.role = VendorRole::kJointController;
        AddProcessor(std::move(jc), LocOf(c));
      }
    }
    // Contact persons: the owner of the activity.
    std::vector<std::string> owners;
    for (size_t i = 0; const yaml::Node& c : Objects(r, "Contactpersonen", ptr)) {
      std::string p = Ptr(Ptr(ptr, "Contactpersonen"), i++);
      std::string o = Text(c, "Naam", p);
      std::string role = Text(c, "Functie", p);
      std::string email = Text(c, "Email", p);
      std::string phone = Text(c, "Telefoon", p);
      if (!role.empty()) o += " (" + role + ")";
      if (!email.empty()) o += " <" + email + ">";
      if (!phone.empty()) o += ", " + phone;
      std::string addr = Address(c, p);
      if (!addr.empty()) o += ", " + addr;
      if (!o.empty()) owners.push_back(o);
    }
    a.owner = fmt::format("{}", fmt::join(owners, "; "));
    if (!a.owner.empty()) map_->Add(path::Field(ap, "owner"), LocOf(Get(r, "Contactpersonen"), rl));

    // Processors.
    std::vector<std::string> processor_ids;
    for (size_t i = 0; const yaml::Node& v : Objects(r, "Verwerkers", ptr)) {
      std::string p = Ptr(Ptr(ptr, "Verwerkers"), i++);
      Processor pr;
      std::string pid = Text(v, "Id", p);
      pr.name = Text(v, "Naam", p);
      pr.id = VwsId("vws-processor-", pid.empty() ? std::to_string(i) : pid);
      pr.country = Country(a, v, p, "processor " + pr.name);
      std::string contact;
      for (const char* k : {"Email", "Telefoon"}) {
        std::string t = Text(v, k, p);
        if (!t.empty()) contact += (contact.empty() ? "" : ", ") + t;
      }
      std::string addr = Address(v, p);
      pr.legal_entity =
          pr.name + (addr.empty() ? "" : ", " + addr) + (contact.empty() ? "" : " (" + contact + ")");
      processor_ids.push_back(pr.id);
      Recipient rc;
      rc.kind = RecipientKind::kProcessor;
      rc.name = pr.name;
      rc.processor = pr.id;
      rc.id = pr.id;
      a.recipients.push_back(rc);
      map_->Add(path::Item(ap, "recipients", pr.id), LocOf(v));
      AddProcessor(std::move(pr), LocOf(v));
    }

    // Purposes and their lawful bases.
    for (size_t i = 0; const yaml::Node& d : Objects(r, "Doelen", ptr)) {
      std::string p = Ptr(Ptr(ptr, "Doelen"), i++);
      Purpose pu;
      std::string did = Text(d, "Id", p);
      pu.id = did.empty() ? "" : VwsId("doel-", did);
      pu.description = Text(d, "Doel", p);
      std::string basis = Text(d, "Rechtsgrond", p);
      if (!basis.empty()) {
        pu.lawful_basis = LawfulBasisFromPhrase(basis);
        if (!pu.lawful_basis)
          Note(a, Get(d, "Rechtsgrond"), LocOf(d), Ptr(p, "Rechtsgrond"), "Rechtsgrond", basis,
               "names no single Art. 6(1) basis the phrase table knows");
        else if (*pu.lawful_basis == LawfulBasis::kLegalObligation ||
                 *pu.lawful_basis == LawfulBasis::kPublicTask) {
          // "Publiekrechtelijke taak: Wet X": the law after the basis's phrase.
          size_t colon = basis.find(": ");
          if (colon != std::string::npos && LawfulBasisFromPhrase(basis.substr(0, colon)) == pu.lawful_basis)
            pu.legal_obligation = basis.substr(colon + 2);
          else
            pu.legal_obligation = FoldPhrase(basis).size() > 40 ? basis : "";
        }
      }
      if (!pu.id.empty()) map_->Add(path::Item(ap, "purposes", pu.id), LocOf(d));
      a.purposes.push_back(std::move(pu));
    }

    // Data subjects, special categories, personal data, retention, sources.
    for (size_t i = 0; const yaml::Node& b : Objects(r, "Betrokkenen", ptr)) {
      std::string p = Ptr(Ptr(ptr, "Betrokkenen"), i++);
      std::string subject = Text(b, "Omschrijving", p);
      if (!subject.empty()) a.data_subjects.push_back(subject);
      for (size_t j = 0; const yaml::Node& g : Objects(b, "Gegevens", p)) {
        std::string gp = Ptr(Ptr(p, "Gegevens"), j++);
        std::string gid = Text(g, "Id", gp);
        // Personal data named by its fideslang key (as the exporter writes
        // them) is a data category; free text is kept as a note.
        std::string what = Text(g, "Omschrijving", gp);
        bool key = IsKnownDataCategory(what);
        if (key &&
            std::find(a.data_categories.begin(), a.data_categories.end(), what) == a.data_categories.end())
          a.data_categories.push_back(what);
        if (!key)
          Note(a, g, LocOf(b), Ptr(gp, "Omschrijving"), "Persoonsgegevens (" + subject + ")", what,
               "free-text personal data are not fideslang categories");
        Note(a, g, LocOf(b), Ptr(gp, "Verzameldoel"), "Verzameldoel", Text(g, "Verzameldoel", gp),
             "the model has no place for the purpose of collection per data");
        std::string ret = Text(g, "Bewaartermijn", gp);
        if (!ret.empty()) {
          Retention rt;
          rt.id = gid.empty() ? "" : VwsId("bewaartermijn-", gid);
          rt.data_category = key ? what : "*";  // a period for one category, or for all
          auto [read, duration] = RetentionFromText(ret);
          rt.period = read.period;
          rt.justification = read.justification;
          if (!duration)
            warnings_.push_back([&] {
              Error e =
                  Make(ErrorKind::kSchema, LocOf(Get(g, "Bewaartermijn"), LocOf(g)), Ptr(gp, "Bewaartermijn"),
                       "retention period kept as free text: it names no single duration");
              e.warning = true;
              return e;
            }());
          if (!rt.id.empty())
            map_->Add(path::Item(ap, "retention", rt.id), LocOf(Get(g, "Bewaartermijn"), LocOf(g)));
          a.retention.push_back(std::move(rt));
        }
        auto from_subject = Bool(g, "IsBronBetrokkene", gp);
        std::string source = Text(g, "BronOmschrijving", gp);
        if (source.empty() && from_subject.value_or(false)) source = "Betrokkene";
        if (!source.empty() &&
            std::find(a.data_sources.begin(), a.data_sources.end(), source) == a.data_sources.end())
          a.data_sources.push_back(source);
        auto required = Bool(g, "IsBetrokkeneVerplicht", gp);
        if (required)
          Note(a, Get(g, "IsBetrokkeneVerplicht"), LocOf(g), Ptr(gp, "IsBetrokkeneVerplicht"),
               "Verplichte verstrekking", *required ? "ja" : "nee", "the model has no place for it");
        Note(a, Get(g, "BetrokkeneConsequenties"), LocOf(g), Ptr(gp, "BetrokkeneConsequenties"),
             "Gevolgen niet verstrekken", Text(g, "BetrokkeneConsequenties", gp),
             "the model has no place for it");
        Unknown(a, g, gp,
                {"Id", "Omschrijving", "Verzameldoel", "Bewaartermijn", "IsBronBetrokkene",
                 "BronOmschrijving", "IsBetrokkeneVerplicht", "BetrokkeneConsequenties"},
                "Gegevens.");
      }
      Bool(b, "GeenBijzondereGegevens", p);
      for (const auto& [key, category] : kVwsSpecialCategories) {
        if (!Bool(b, key, p).value_or(false)) continue;
        std::string cat = category;
        if (std::find(a.data_categories.begin(), a.data_categories.end(), cat) == a.data_categories.end())
          a.data_categories.push_back(cat);
        bool have = false;
        for (const auto& s : a.special_categories) have = have || s.category == cat;
        if (have) continue;
        SpecialCategory sc;
        sc.category = cat;
        sc.justification = fmt::format("VWS register: {} (data subjects: {})", key, subject);
        a.special_categories.push_back(sc);
      }
      if (Bool(b, "Strafrechtelijk", p).value_or(false)) {
        if (!a.criminal_data) a.criminal_data = CriminalData{};
        a.criminal_data->justification = "VWS register: Strafrechtelijk (data subjects: " + subject + ")";
      }
      std::vector<std::string_view> known = {"Id", "Omschrijving", "GeenBijzondereGegevens",
                                             "Strafrechtelijk", "Gegevens"};
      for (const auto& [key, category] : kVwsSpecialCategories) known.push_back(key);
      Unknown(a, b, p, known, "Betrokkenen.");
    }

    // Systems.
    for (size_t i = 0; const yaml::Node& s : Objects(r, "Systemen", ptr)) {
      std::string p = Ptr(Ptr(ptr, "Systemen"), i++);
      System sys;
      std::string sid = Text(s, "Id", p);
      sys.id = VwsId("vws-system-", sid.empty() ? std::to_string(i) : sid);
      sys.name = Text(s, "Omschrijving", p);
      if (sys.name.empty()) sys.name = sys.id;
      a.systems.push_back(sys.id);
      if (!system_ids_.insert(sys.id).second) continue;
      map_->Add(path::Item("systems", sys.id), LocOf(s));
      map_->Add(path::Index("", "systems", reg.systems.size()) + ".id", LocOf(s));
      reg.systems.push_back(std::move(sys));
    }

    // Recipients.
    for (size_t i = 0; const yaml::Node& o : Objects(r, "Ontvangers", ptr)) {
      std::string p = Ptr(Ptr(ptr, "Ontvangers"), i++);
      Recipient rc;
      std::string oid = Text(o, "Id", p);
      rc.id = oid.empty() ? "" : VwsId("ontvanger-", oid);
      rc.kind = RecipientKind::kExternal;
      rc.name = Text(o, "Omschrijving", p);
      if (rc.name.empty()) continue;
      // "Klantenservice (intern)": inside the organisation (as the spreadsheets write it).
      if (rc.name.size() > 9 && rc.name.ends_with(" (intern)")) {
        rc.name.resize(rc.name.size() - 9);
        rc.kind = RecipientKind::kInternal;
      }
      // "Mollie (zelfstandig verwerkingsverantwoordelijke)": a controller of its own.
      if (rc.name.size() > kIndependentSuffix.size() && rc.name.ends_with(kIndependentSuffix)) {
        Processor pr;
        pr.name = rc.name.substr(0, rc.name.size() - kIndependentSuffix.size());
        pr.id = oid.empty() ? IdSlug(pr.name) : VwsId("vws-controller-", oid);
        pr.legal_entity = pr.name;
        pr.role = VendorRole::kIndependentController;
        rc.kind = RecipientKind::kProcessor;
        rc.processor = pr.id;
        rc.name = pr.name;
        rc.id = pr.id;
        AddProcessor(std::move(pr), LocOf(o));
      }
      if (!rc.id.empty()) map_->Add(path::Item(ap, "recipients", rc.id), LocOf(o));
      a.recipients.push_back(std::move(rc));
    }

    // Attachments: DPIA and processing agreement by file name; every one kept as a note.
    for (size_t i = 0; const yaml::Node& att : Objects(r, "Bijlagen", ptr)) {
      std::string p = Ptr(Ptr(ptr, "Bijlagen"), i++);
      std::string fname = Text(att, "Bestandsnaam", p);
      std::string folded = FoldPhrase(fname);
      if (folded.find("dpia") != std::string::npos ||
          folded.find("gegevensbeschermingseffect") != std::string::npos) {
        a.dpia.status = DpiaStatus::kCompleted;
        a.dpia.reference = fname;
        map_->Add(path::Field(ap, "dpia"), LocOf(att));
      } else if (folded.find("verwerkersovereenkomst") != std::string::npos) {
        for (const auto& id : processor_ids)
          for (auto& pr : reg.processors)
            if (pr.id == id && pr.agreement.reference.empty()) {
              pr.agreement.status = AgreementStatus::kSigned;
              pr.agreement.reference = fname;
            }
      }
      std::string text = fname;
      for (const char* k : {"Versie", "Aanmaakdatum", "Omschrijving"}) {
        std::string t = Text(att, k, p);
        if (!t.empty()) text += fmt::format(" [{}: {}]", k, t);
      }
      Note(a, att, rl, p, "Bijlage", text, "attachments are kept by name");
    }

    Security(a, r, ptr, rl);
    Transfers(a, r, ptr, rl);
    Assessment(a, r, ptr, rl);

    Unknown(a, r, ptr,
            {"Status",
             "Id",
             "Naam",
             "Nummer",
             "Versie",
             "AanmaakDatum",
             "LaatsteWijzigDatum",
             "Dienst",
             "VerdelingVerantwoordelijkheid",
             "Opmerkingen",
             "Verantwoordelijken",
             "Contactpersonen",
             "Verwerkers",
             "Doelen",
             "Betrokkenen",
             "Systemen",
             "Ontvangers",
             "Bijlagen",
             "Beveiliging",
             "Doorgifte",
             "Besluitvorming",
             "GebPia"},
            "");

    ApplyRemarks(a, reg);
    a.notes = notes_;
    reg.activities.push_back(std::move(a));
  }

  // A VWS id (a number) with the importer's prefix ("3" -> "doel-3"); an id
  // that is not a number came from another register and is kept as it is.
  static std::string VwsId(std::string_view prefix, const std::string& id) {
    bool number =
        !id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
    return number ? std::string(prefix) + id : IdSlug(id);
  }

  // The remarks the exporter wrote for fields the record has none for, read
  // back into those fields once the record's other parts are read. A remark
  // that names nothing of this record (a purpose, a party) is kept as a note.
  void ApplyRemarks(ProcessingActivity& a, Register& reg) {
    namespace rm = vws_remark;
    std::vector<SpecialCategory> specials;
    for (const Remark& k : remarks_) {
      std::string_view t = k.text;
      bool used = true;
      if (t.starts_with(rm::kDescription)) {
        a.description = t.substr(rm::kDescription.size());
      } else if (t == rm::kDpiaStatus) {
        a.dpia.status = DpiaStatus::kInProgress;
      } else if (t.starts_with(rm::kDpiaReference)) {
        a.dpia.reference = t.substr(rm::kDpiaReference.size());
      } else if (t.starts_with(rm::kDpiaDate)) {
        a.dpia.date = t.substr(rm::kDpiaDate.size());
      } else if (t.starts_with(rm::kMeasureCodes)) {
        a.toms.measures.clear();
        for (const std::string& c : SplitFields(t.substr(rm::kMeasureCodes.size()), "; "))
          for (std::string& code : SplitFields(c, ", "))  // "encryption, access_control"
            if (!code.empty()) a.toms.measures.push_back(std::move(code));
      } else if (t.starts_with(rm::kLia) || t.starts_with(rm::kDataUses)) {
        bool lia = t.starts_with(rm::kLia);
        std::string_view rest = t.substr(lia ? rm::kLia.size() : rm::kDataUses.size());
        size_t colon = rest.find(": ");
        used = false;
        if (colon != std::string_view::npos)
          for (Purpose& p : a.purposes)
            if (p.id == VwsId("doel-", std::string(rest.substr(0, colon)))) {
              std::string_view value = rest.substr(colon + 2);
              if (lia) {
                p.lia_reference = value;
              } else {
                p.data_uses.clear();
                // "marketing.advertising, essential.service"
                for (std::string& use : SplitFields(value, ", "))
                  if (!use.empty()) p.data_uses.push_back(std::move(use));
              }
              used = true;
            }
      } else if (t.starts_with(rm::kAgreement)) {
        std::string_view rest = t.substr(rm::kAgreement.size());
        size_t close = rest.find("]: ");
        used = false;
        if (close != std::string_view::npos) {
          std::string id(rest.substr(0, close));
          std::vector<std::string> f = SplitFields(rest.substr(close + 3), "; ");
          f.resize(std::max<size_t>(f.size(), 4));
          for (Processor& p : reg.processors)
            if (p.id == VwsId("vws-processor-", id) || p.id == VwsId("vws-controller-", id))
              for (const auto& [status, word] : rm::kAgreementWords)
                if (f[0] == word) {
                  p.agreement = AgreementRef{status, f[2], f[1], f[3]};
                  used = true;
                }
        }
      } else if (t.starts_with(rm::kSpecial)) {
        // "category; Art. 9(2)(h); justification" (the justification may hold "; " itself).
        std::vector<std::string> f = SplitFields(t.substr(rm::kSpecial.size()), "; ", 3);
        SpecialCategory sc;
        sc.category = f[0];
        if (f.size() > 1 && !f[1].empty()) sc.condition = Art9ConditionFromPhrase(f[1]);
        if (f.size() > 2) sc.justification = f[2];
        used = !sc.category.empty();
        if (used) specials.push_back(std::move(sc));
      } else if (t.starts_with(rm::kCriminal)) {
        std::vector<std::string> f = SplitFields(t.substr(rm::kCriminal.size()), "; ", 2);
        if (!a.criminal_data) a.criminal_data = CriminalData{};
        a.criminal_data->basis = f[0];
        a.criminal_data->justification = f.size() > 1 ? f[1] : "";
      }
      if (!used) {
        notes_.push_back(k.text);
        Error e =
            Make(ErrorKind::kSchema, k.at, k.ptr,
                 fmt::format("remark kept as a note on activity '{}': it names no purpose or party of the "
                             "register",
                             a.id));
        e.warning = true;
        warnings_.push_back(std::move(e));
      }
    }
    // The remarks name the special categories in the register's order with
    // their conditions; a flag they do not name follows.
    if (!specials.empty()) {
      for (const SpecialCategory& s : a.special_categories)
        if (std::none_of(specials.begin(), specials.end(),
                         [&](const SpecialCategory& x) { return x.category == s.category; }))
          specials.push_back(s);
      a.special_categories = std::move(specials);
    }
  }

  // A field's value in the TOMs description, one line per field: the
  // value's own line breaks are followed by two spaces, so its continuation
  // lines stay with it (the VWS exporter reads them back into that field).
  static std::string Continued(std::string_view v) {
    std::string out;
    for (char c : v) {
      out += c;
      if (c == '\n') out += "  ";
    }
    return out;
  }

  void Security(ProcessingActivity& a, const yaml::Node& r, const std::string& ptr, const Loc& rl) {
    yaml::Node s = Get(r, "Beveiliging");
    if (Absent(s)) return;
    std::string p = Ptr(ptr, "Beveiliging");
    if (!s.IsMap()) {
      Err(s, rl, p, fmt::format("'Beveiliging' must be an object, found {}", input::TypeName(s)),
          "a JSON object");
      return;
    }
    std::vector<std::string> parts;
    std::set<std::string> keys;
    auto measures = Texts(s, "Maatregelen", p);
    static const std::pair<const char*, const char*> kKeys[] = {
        {"beveiligingsbeleid", "security_policy"},
        {"fysieke maatregelen", "physical_access_control"},
        {"logische toegangscontrole", "access_control"},
        {"logging", "logging"},
        {"versleut", "encryption"},
        {"encryptie", "encryption"},
        {"pseudonim", "pseudonymisation"},
        {"back", "backup"}};
    for (const auto& m : measures) {
      parts.push_back(Continued(m));
      std::string f = FoldPhrase(m);
      for (const auto& [word, key] : kKeys)
        if (f.find(word) != std::string::npos && f.rfind("overige", 0) != 0) keys.insert(key);
    }
    std::string pseudo = Text(s, "Pseudonimisering", p);
    if (!pseudo.empty()) {
      keys.insert("pseudonymisation");
      parts.push_back("Pseudonimisering: " + Continued(pseudo));
    }
    std::string enc = Text(s, "Encryptie", p);
    if (!enc.empty()) {
      keys.insert("encryption");
      parts.push_back("Encryptie: " + Continued(enc));
    }
    for (auto& t : Texts(s, "Toegang", p)) a.access.push_back(t);
    for (auto& t : Texts(s, "ElectronischeWeg", p)) parts.push_back("Elektronische weg: " + Continued(t));
    for (const char* k : {"Verwerkers", "Verantwoordelijken"}) {
      std::string t = Text(s, k, p);
      if (!t.empty()) parts.push_back(fmt::format("{}: {}", k, Continued(t)));
    }
    Bool(s, "HasBeveiliging", p);
    a.toms.measures.assign(keys.begin(), keys.end());
    a.toms.description = fmt::format("{}", fmt::join(parts, "\n"));
    if (!a.toms.empty()) map_->Add(path::Field(path::Item("activities", a.id), "toms"), LocOf(s));
    Unknown(a, s, p,
            {"Pseudonimisering", "Encryptie", "ElectronischeWeg", "Toegang", "Verwerkers",
             "Verantwoordelijken", "Maatregelen", "HasBeveiliging"},
            "Beveiliging.");
  }

  void Transfers(ProcessingActivity& a, const yaml::Node& r, const std::string& ptr, const Loc& rl) {
    yaml::Node d = Get(r, "Doorgifte");
    if (Absent(d)) return;
    std::string p = Ptr(ptr, "Doorgifte");
    if (!d.IsMap()) {
      Err(d, rl, p, fmt::format("'Doorgifte' must be an object, found {}", input::TypeName(d)),
          "a JSON object");
      return;
    }
    auto outside = Bool(d, "BuitenEu", p);
    std::string what = Text(d, "BuitenEuOmschrijving", p);
    std::string level = Text(d, "BuitenEuPassendBeschermingsniveau", p);
    std::string level_text = Text(d, "BuitenEuPassendBeschermingsniveauOmschrijving", p);
    // "Meta (US); Google (GB)": one transfer per "; " part, the country from
    // its name in the text or an ISO code in brackets.
    std::vector<std::string> parts;
    if (outside.value_or(false))
      for (std::string& part : SplitFields(what, "; "))
        if (!part.empty() || parts.empty()) parts.push_back(std::move(part));
    std::optional<TransferSafeguard> block = SafeguardFromPhrase(level.empty() ? level_text : level);
    for (size_t i = 0; i < parts.size(); ++i) {
      std::string part = parts[i];
      blindspot::Transfer t;
      t.safeguard = block;
      // "Support Ltd (GB): Adequaatheidsbesluit": a later transfer's own safeguard.
      if (size_t colon = part.rfind("): "); i > 0 && colon != std::string::npos) {
        if (auto own = SafeguardFromPhrase(part.substr(colon + 3))) {
          t.safeguard = own;
          part.resize(colon + 1);
        }
      }
      t.id = fmt::format("transfer-{}", i + 1);
      t.recipient = part.empty() ? "(not named in the VWS register)" : part;
      t.country = CountryCodeInText(part);
      if (size_t open = part.rfind(" (");
          t.country.empty() && open != std::string::npos && part.back() == ')') {
        t.country = CountryCodeFromName(part.substr(open + 2, part.size() - open - 3));
        if (!t.country.empty()) t.recipient = part.substr(0, open);
      }
      // The level's words stay in the reference unless they are the
      // exporter's own phrase for the safeguard read (then the reference is
      // the description alone, as it was written).
      std::string ref;
      if (!level.empty() && !(block && level == VwsSafeguardPhrase(*block)))
        ref += "Passend beschermingsniveau: " + level;
      if (!level_text.empty()) ref += (ref.empty() ? "" : "; ") + level_text;
      t.reference = i == 0 ? ref : (t.safeguard == block ? ref : "");
      // The recipient by the id of the processor of that name, when there is one.
      for (const Processor& pr : *reg_processors_)
        if (!pr.name.empty() && pr.name == t.recipient) t.recipient = pr.id;
      if (t.country.empty())
        warnings_.push_back([&] {
          Error e =
              Make(ErrorKind::kSchema, LocOf(Get(d, "BuitenEuOmschrijving"), LocOf(d)),
                   Ptr(p, "BuitenEuOmschrijving"),
                   "transfer outside the EU without a country the phrase table knows; the country is left "
                   "empty");
          e.warning = true;
          return e;
        }());
      map_->Add(path::Item(path::Item("activities", a.id), "transfers", t.id), LocOf(d));
      a.transfers.push_back(std::move(t));
    }
    Unknown(a, d, p,
            {"BuitenEu", "BuitenEuOmschrijving", "BuitenEuPassendBeschermingsniveau",
             "BuitenEuPassendBeschermingsniveauOmschrijving"},
            "Doorgifte.");
  }

  void Assessment(ProcessingActivity& a, const yaml::Node& r, const std::string& ptr, const Loc& rl) {
    yaml::Node b = Get(r, "Besluitvorming");
    std::string bp = Ptr(ptr, "Besluitvorming");
    if (!Absent(b) && b.IsMap()) {
      if (Bool(b, "HasBesluitvorming", bp).value_or(false)) {
        Note(a, b, rl, bp, "Geautomatiseerde besluitvorming", "ja", "the model has no place for Art. 22");
        Note(a, Get(b, "Logica"), LocOf(b), Ptr(bp, "Logica"), "Logica", Text(b, "Logica", bp),
             "the model has no place for Art. 22");
        Note(a, Get(b, "BelangGevolgen"), LocOf(b), Ptr(bp, "BelangGevolgen"), "Belang en gevolgen",
             Text(b, "BelangGevolgen", bp), "the model has no place for Art. 22");
      }
    } else if (!Absent(b)) {
      Err(b, rl, bp, "'Besluitvorming' must be an object", "a JSON object");
    }
    yaml::Node g = Get(r, "GebPia");
    std::string gp = Ptr(ptr, "GebPia");
    if (Absent(g)) return;
    if (!g.IsMap()) {
      Err(g, rl, gp, "'GebPia' must be an object", "a JSON object");
      return;
    }
    auto done = Bool(g, "IsGebpiaAlUitgevoerd", gp);
    auto profiling = Bool(g, "IsGeautomatiseerdProfilering", gp);
    auto large = Bool(g, "IsGrootschaligeVerwerking", gp);
    auto monitoring = Bool(g, "IsGrootschaligeMonitoring", gp);
    auto listed = Bool(g, "StaatOpLijstVerplichteGebpia", gp);
    auto two = Bool(g, "VoeldoetAanTweeCriteriaWP248", gp);
    auto high = Bool(g, "IsHoogRisicoRechtenVrijheden", gp);
    a.large_scale = large.value_or(false);
    if (profiling.value_or(false))
      Note(a, Get(g, "IsGeautomatiseerdProfilering"), LocOf(g), Ptr(gp, "IsGeautomatiseerdProfilering"),
           "Geautomatiseerde profilering", "ja", "the model has no place for it");
    if (monitoring.value_or(false))
      Note(a, Get(g, "IsGrootschaligeMonitoring"), LocOf(g), Ptr(gp, "IsGrootschaligeMonitoring"),
           "Grootschalige monitoring", "ja", "the model has no place for it");
    if (a.dpia.status == DpiaStatus::kCompleted) return;  // a DPIA is attached
    if (done.value_or(false)) {
      a.dpia.status = DpiaStatus::kCompleted;
    } else if (listed.value_or(false) || two.value_or(false) || high.value_or(false)) {
      a.dpia.status = DpiaStatus::kRequired;
    } else if (done || listed || two || high) {
      a.dpia.status = DpiaStatus::kNotRequired;
    }
    if (a.dpia.status != DpiaStatus::kNotAssessed)
      map_->Add(path::Field(path::Item("activities", a.id), "dpia"), LocOf(g));
  }

  void AddProcessor(Processor p, const Loc& at) {
    if (!processor_ids_.insert(p.id).second) return;
    map_->Add(path::Item("processors", p.id), at);
    map_->Add(path::Index("", "processors", reg_processors_->size()) + ".id", at);
    reg_processors_->push_back(std::move(p));
  }

  struct Remark {
    std::string text;
    Loc at;
    std::string ptr;
  };
  std::vector<Remark> remarks_;
  std::vector<Processor>* reg_processors_ = nullptr;
  std::set<std::string> processor_ids_, system_ids_;
};

bool SniffVws(std::string_view text) {
  text = input::StripBom(text);
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos || text[b] != '[') return false;
  std::string_view head = text.substr(0, 64 * 1024);
  return head.find("\"Doelen\"") != std::string_view::npos ||
         head.find("\"Verantwoordelijken\"") != std::string_view::npos ||
         head.find("\"Betrokkenen\"") != std::string_view::npos;
}

}  // namespace

bool IsVwsFieldRemark(std::string_view t) {
  namespace r = vws_remark;
  for (std::string_view label : {r::kDescription, r::kLia, r::kDataUses, r::kDpiaReference, r::kDpiaDate,
                                 r::kMeasureCodes, r::kAgreement, r::kSpecial, r::kCriminal})
    if (t.starts_with(label)) return true;
  return t == r::kDpiaStatus;
}

Importer VwsImporter() {
  Importer i;
  i.name = "vws";
  i.description =
      "VWS Verwerkingsregister JSON export (array of processing records: Naam, Nummer, Doelen, Betrokkenen, "
      "...)";
  i.sniff = SniffVws;
  i.import = [](std::string_view text, const std::string& file,
                const RegisterReadOptions&) -> std::expected<LoadedRegister, Diagnostics> {
    try {
      VwsReader reader(text, file);
      return reader.Run("a VWS Verwerkingsregister export (a JSON array of processing records)");
    } catch (const std::exception& ex) {
      Error e;
      e.kind = ErrorKind::kInternal;
      e.where.file = file;
      e.message = std::string("VWS importer failed: ") + ex.what();
      return std::unexpected(Diagnostics{e});
    }
  };
  return i;
}

}  // namespace blindspot
