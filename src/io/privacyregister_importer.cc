// Importer for the JSON of the open Dutch privacy-register standard
// (legalclinic/privacyregister-standard, "Technical specifications": an
// Organisation with processingActivitiesAsController and
// processingActivitiesAsProcessor). The standard gives an example schema, not
// a strict one, so this reader takes the organisation at the top or under an
// `Organisation` key, a text or a list where the standard shows one, and
// numbers where it shows integers. docs/formats/privacyregister.md has the
// mapping. Lawful bases sit on the categories of personal data in the
// standard (`legalGround`), not on purposes: one Art. 6(1) basis for an
// activity goes to every purpose; several are kept as notes and reported,
// since which purpose has which basis is not in the file. What has no place
// in the model is kept as a note and reported (JsonRecordReader).
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "blindspot/fideslang.h"
#include "blindspot/io.h"
#include "io/importers.h"
#include "io/json_record_reader.h"

namespace blindspot {
namespace {

void AddUnique(std::vector<std::string>& v, const std::string& s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

class PrsReader : public JsonRecordReader {
 public:
  using JsonRecordReader::JsonRecordReader;

 private:
  // A text or a list of texts ("departmentPA": "HR" or ["HR", "Finance"]).
  std::vector<std::string> TextOrTexts(const Node& map, std::string_view key, const std::string& ptr) {
    Node v = Get(map, key);
    if (Absent(v)) return {};
    if (v.IsScalar()) {
      std::string t = Text(map, key, ptr);
      return t.empty() ? std::vector<std::string>{} : std::vector<std::string>{t};
    }
    return Texts(map, key, ptr);
  }

  void Top(const Node& root, Register& reg) override {
    if (!root.IsMap()) {
      w_.Add(Make(ErrorKind::kSchema, LocOf(root, {1, 1}), "",
                  fmt::format("a privacy-register standard file must be a JSON object, found {}",
                              input::TypeName(root)),
                  "{\"name\": ..., \"processingActivitiesAsController\": [...]} or the same under "
                  "\"Organisation\""));
      return;
    }
    Node org = root;
    std::string ptr;
    for (const char* k : {"Organisation", "organisation", "organization"}) {
      Node o = Get(root, k);
      if (!Absent(o) && o.IsMap()) {
        org = o;
        ptr = std::string("/") + k;
      }
    }
    Organisation(org, ptr, reg);
    auto controller = Objects(org, "processingActivitiesAsController", ptr);
    auto processor = Objects(org, "processingActivitiesAsProcessor", ptr);
    if (controller.empty() && processor.empty() && w_.ok())
      w_.Add(
          Make(ErrorKind::kSchema, LocOf(org, {1, 1}), ptr, "the register has no processing activities",
               "at least one item in processingActivitiesAsController or processingActivitiesAsProcessor"));
    for (size_t i = 0; i < controller.size(); ++i)
      Controller(controller[i], Ptr(Ptr(ptr, "processingActivitiesAsController"), i), i, reg);
    for (size_t i = 0; i < processor.size(); ++i)
      ProcessorRec(processor[i], Ptr(Ptr(ptr, "processingActivitiesAsProcessor"), i), i, reg);
  }

  void Organisation(const Node& o, const std::string& ptr, Register& reg) {
    auto& org = reg.organisation;
    org.name = Text(o, "name", ptr);
    if (!org.name.empty()) map_->Add("organisation", LocOf(Get(o, "name")));
    org.registration = Text(o, "chamberOfCommerceNo", ptr);
    org.contact.name = Text(o, "contactPerson", ptr);
    org.contact.email = Text(o, "emailAddress", ptr);
    org.contact.phone = Text(o, "phoneNumber", ptr);
    Node addr = Get(o, "postalAddress");
    if (!Absent(addr) && addr.IsMap()) {
      std::string p = Ptr(ptr, "postalAddress");
      std::vector<std::string> parts;
      for (const char* k : {"streetAddress", "postalCode", "city", "locality", "country"}) {
        std::string t = Text(addr, k, p);
        if (!t.empty()) parts.push_back(t);
      }
      org.contact.address = fmt::format("{}", fmt::join(parts, ", "));
    } else {
      org.contact.address = Text(o, Absent(addr) ? "address" : "postalAddress", ptr);
    }
    org.dpo = {Text(o, "dpoName", ptr), Text(o, "dpoEmailAddress", ptr), Text(o, "dpoPhoneNumber", ptr), ""};
    org.representative = {Text(o, "representativeName", ptr), Text(o, "representativeEmailAddress", ptr),
                          Text(o, "representativePhoneNumber", ptr), ""};
    // The organisation has no notes: what is left is reported, not kept.
    static const std::vector<std::string_view> kKnown = {"name",
                                                         "contactPerson",
                                                         "chamberOfCommerceNo",
                                                         "postalAddress",
                                                         "address",
                                                         "phoneNumber",
                                                         "emailAddress",
                                                         "dpoName",
                                                         "dpoEmailAddress",
                                                         "dpoPhoneNumber",
                                                         "representativeName",
                                                         "representativeEmailAddress",
                                                         "representativePhoneNumber",
                                                         "processingActivitiesAsController",
                                                         "processingActivitiesAsProcessor",
                                                         "Organisation",
                                                         "organisation",
                                                         "organization"};
    for (auto it = o.begin(); it != o.end(); ++it) {
      std::string_view k = it->first.Scalar();
      if (std::find(kKnown.begin(), kKnown.end(), k) != kKnown.end() || Absent(it->second)) continue;
      Error e =
          Make(ErrorKind::kSchema, LocOf(it->second, LocOf(o)), Ptr(ptr, k),
               fmt::format("the organisation's '{}' is not read: the register model has no place for it", k));
      e.warning = true;
      warnings_.push_back(std::move(e));
    }
  }

  void Controller(const Node& r, const std::string& ptr, size_t index, Register& reg) {
    notes_.clear();
    ProcessingActivity a;
    a.name = Text(r, "namePA", ptr);
    std::string id = Text(r, "id", ptr);
    a.id = !id.empty() ? "pa-" + IdSlug(id) : !a.name.empty() ? IdSlug(a.name) : "";
    if (a.id.empty() || std::any_of(reg.activities.begin(), reg.activities.end(),
                                    [&](const auto& x) { return x.id == a.id; }))
      a.id = fmt::format("pa-{}", index + 1);
    std::string ap = path::Item("activities", a.id);
    map_->Add(ap, LocOf(r));
    map_->Add(path::Index("", "activities", reg.activities.size()) + ".id", LocOf(r));
    if (!a.name.empty()) map_->Add(path::Field(ap, "name"), LocOf(Get(r, "namePA"), LocOf(r)));

    a.business_function = fmt::format("{}", fmt::join(TextOrTexts(r, "departmentPA", ptr), "; "));
    for (auto& p : TextOrTexts(r, "purposePA", ptr)) a.purposes.push_back({.description = p});
    a.data_subjects = TextOrTexts(r, "categoriesOfDataSubjects", ptr);
    PersonalData(a, r, ptr);
    for (auto& n : TextOrTexts(r, "categoriesOfInternalRecipients", ptr))
      a.recipients.push_back({.kind = RecipientKind::kInternal, .name = n});
    for (auto& n : TextOrTexts(r, "categoriesOfExternalRecipients", ptr))
      a.recipients.push_back({.kind = RecipientKind::kExternal, .name = n});
    a.transfers = Transfers(a.id, r, ptr);
    for (auto& t : TextOrTexts(r, "retentionPeriod", ptr)) {
      Retention rt;
      rt.data_category = "*";
      std::string d = RetentionDuration(t);
      rt.period = d.empty() ? t : d;
      rt.justification = d.empty() ? "" : t;
      if (d.empty())
        Warn(Get(r, "retentionPeriod"), r, Ptr(ptr, "retentionPeriod"),
             "retention period kept as free text: it names no single duration");
      a.retention.push_back(std::move(rt));
    }
    a.toms.description = fmt::format("{}", fmt::join(TextOrTexts(r, "securityMeasures", ptr), "\n"));
    for (const char* k : {"source", "sources", "sourcePA"})
      for (auto& s : TextOrTexts(r, k, ptr)) AddUnique(a.data_sources, s);
    Unknown(a, r, ptr,
            {"id", "namePA", "departmentPA", "purposePA", "categoriesOfDataSubjects",
             "categoriesOfPersonalData", "categoriesOfInternalRecipients", "categoriesOfExternalRecipients",
             "transfersToThirdCountriesInternationalOrganisations", "retentionPeriod", "securityMeasures",
             "source", "sources", "sourcePA"},
            "");
    a.notes = std::move(notes_);
    notes_.clear();
    reg.activities.push_back(std::move(a));
  }

  void Warn(const Node& n, const Node& parent, const std::string& ptr, std::string message) {
    Error e = Make(ErrorKind::kSchema, LocOf(n, LocOf(parent)), ptr, std::move(message));
    e.warning = true;
    warnings_.push_back(std::move(e));
  }

  // categoriesOfPersonalData: [{name, special, legalGround}] (or plain texts).
  void PersonalData(ProcessingActivity& a, const Node& r, const std::string& ptr) {
    const std::string key = "categoriesOfPersonalData";
    Node list = Get(r, key);
    if (Absent(list)) return;
    std::string lp = Ptr(ptr, key);
    if (!list.IsSequence()) {
      Err(list, LocOf(r), lp, fmt::format("'{}' must be a list, found {}", key, input::TypeName(list)),
          "a JSON array of {\"name\", \"special\", \"legalGround\"} objects");
      return;
    }
    std::set<LawfulBasis> bases;
    std::vector<std::string> names, unmapped, grounds;
    for (size_t i = 0; i < list.size(); ++i) {
      const Node& c = list[i];
      std::string p = Ptr(lp, i);
      std::string name, ground;
      std::optional<bool> special;
      if (c.IsScalar()) {
        name = std::string(c.Scalar());
      } else if (c.IsMap()) {
        name = Text(c, "name", p);
        special = Bool(c, "special", p);
        ground = Text(c, "legalGround", p);
        Unknown(a, c, p, {"name", "special", "legalGround"}, "categoriesOfPersonalData.");
      } else {
        Err(c, LocOf(list), p,
            fmt::format("item {} of '{}' must be an object, found {}", i, key, input::TypeName(c)),
            "{\"name\": ..., \"special\": true|false, \"legalGround\": ...}");
        continue;
      }
      if (name.empty()) continue;
      names.push_back(name);
      std::vector<std::string> keys = DataCategoriesFromPhrase(name);
      if (keys.empty()) unmapped.push_back(name);
      for (const auto& k : keys) AddUnique(a.data_categories, k);
      bool is_special = special.value_or(false) || std::any_of(keys.begin(), keys.end(), [](const auto& k) {
                          return IsSpecialCategoryKey(k);
                        });
      if (is_special) {
        SpecialCategory sc;
        auto sk =
            std::find_if(keys.begin(), keys.end(), [](const auto& k) { return IsSpecialCategoryKey(k); });
        sc.category = sk != keys.end() ? *sk : name;
        sc.condition = ground.empty() ? std::nullopt : Art9ConditionFromPhrase(ground);
        sc.justification = ground;
        if (!ground.empty() && !sc.condition)
          Warn(Get(c, "legalGround"), c, Ptr(p, "legalGround"),
               fmt::format("'{}' names no single Art. 9(2) condition; kept as the justification", ground));
        a.special_categories.push_back(std::move(sc));
      } else if (!ground.empty()) {
        auto b = LawfulBasisFromPhrase(ground);
        if (b)
          bases.insert(*b);
        else
          Note(a, Get(c, "legalGround"), LocOf(c), Ptr(p, "legalGround"), "legalGround (" + name + ")",
               ground, "names no single Art. 6(1) basis the phrase table knows");
        grounds.push_back(name + ": " + ground);
      }
    }
    // The names as the register wrote them, with the categories they were mapped to.
    if (!names.empty())
      notes_.push_back("categoriesOfPersonalData: " + fmt::format("{}", fmt::join(names, "; ")));
    if (!unmapped.empty())
      Warn(list, r, lp,
           fmt::format("no data category known for {}: kept in the notes (add a data_categories key by hand)",
                       fmt::join(unmapped, "; ")));
    if (bases.size() == 1) {
      for (auto& pu : a.purposes) pu.lawful_basis = *bases.begin();
      if (a.purposes.empty()) a.purposes.push_back({.lawful_basis = *bases.begin()});
    } else if (bases.size() > 1) {
      Note(a, list, LocOf(r), lp, "legalGround", fmt::format("{}", fmt::join(grounds, "; ")),
           "several Art. 6(1) bases on the data; which purpose has which is not in the file");
    }
  }

  std::vector<Transfer> Transfers(const std::string& activity, const Node& r, const std::string& ptr) {
    const char* key = "transfersToThirdCountriesInternationalOrganisations";
    Node v = Get(r, key);
    std::vector<Transfer> out;
    if (Absent(v)) return out;
    if (v.IsScalar() && (v.Scalar() == "false" || v.Scalar() == "true")) {
      if (v.Scalar() == "true")
        Warn(v, r, Ptr(ptr, key), "transfers outside the EEA are answered 'true' without naming a country");
      return out;
    }
    for (auto& t : TextOrTexts(r, key, ptr)) {
      Transfer tr;
      tr.recipient = t;
      tr.country = CountryCodeFromName(t);
      if (tr.country.empty()) tr.country = CountryCodeInText(t);
      if (tr.country.empty())
        Warn(
            v, r, Ptr(ptr, key),
            fmt::format("no country found in transfer '{}' of activity '{}': add its ISO code", t, activity));
      out.push_back(std::move(tr));
    }
    return out;
  }

  void ProcessorRec(const Node& r, const std::string& ptr, size_t, Register& reg) {
    notes_.clear();
    ProcessorRecord pr;
    ProcessingActivity scratch;  // Note() and Unknown() keep into notes_
    scratch.id = fmt::format("processor record {}", reg.processor_records.size());
    pr.categories_of_processing = TextOrTexts(r, "categoryOfProcessing", ptr);
    Node c = Get(r, "controller");
    std::string cp = Ptr(ptr, "controller");
    if (!Absent(c) && c.IsScalar()) {
      pr.controller = Text(r, "controller", ptr);
    } else if (!Absent(c) && c.IsMap()) {
      for (const char* k : {"name", "nameController", "controllerName"})
        if (pr.controller.empty()) pr.controller = Text(c, k, cp);
      for (const char* k : {"contactDetails", "contact", "contactDetailsController"})
        if (pr.controller_contact.address.empty()) pr.controller_contact.address = Text(c, k, cp);
      pr.controller_contact.email = Text(c, "emailAddress", cp);
      pr.controller_contact.phone = Text(c, "phoneNumber", cp);
      for (const char* k : {"dpoName", "dpoEmailAddress", "dpoPhoneNumber", "representativeName",
                            "representativeEmailAddress", "representativePhoneNumber"})
        Note(scratch, Get(c, k), LocOf(c), Ptr(cp, k), std::string("controller ") + k, Text(c, k, cp),
             "a processor record has no place for the controller's DPO or representative");
      Unknown(
          scratch, c, cp,
          {"name", "nameController", "controllerName", "contactDetails", "contact",
           "contactDetailsController", "emailAddress", "phoneNumber", "dpoName", "dpoEmailAddress",
           "dpoPhoneNumber", "representativeName", "representativeEmailAddress", "representativePhoneNumber"},
          "controller.");
    } else if (!Absent(c)) {
      Err(c, LocOf(r), cp,
          fmt::format("'controller' must be a text or an object, found {}", input::TypeName(c)),
          "{\"name\": ..., \"contactDetails\": ...}");
    }
    if (pr.controller.empty())
      w_.Add(Make(ErrorKind::kSchema, LocOf(r), ptr, "a processing activity as processor names no controller",
                  "a 'controller' with a 'name' (Art. 30(2)(a))"));
    pr.transfers = Transfers(scratch.id, r, ptr);
    pr.toms.description = fmt::format("{}", fmt::join(TextOrTexts(r, "securityMeasures", ptr), "\n"));
    Unknown(scratch, r, ptr,
            {"id", "categoryOfProcessing", "controller",
             "transfersToThirdCountriesInternationalOrganisations", "securityMeasures"},
            "");
    pr.notes = std::move(notes_);
    notes_.clear();
    reg.processor_records.push_back(std::move(pr));
  }
};

bool SniffPrs(std::string_view text) {
  std::string_view head = input::StripBom(text).substr(0, 64 * 1024);
  size_t b = head.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos || head[b] != '{') return false;
  return head.find("\"processingActivitiesAsController\"") != std::string_view::npos ||
         head.find("\"processingActivitiesAsProcessor\"") != std::string_view::npos;
}

}  // namespace

Importer PrivacyRegisterImporter() {
  Importer i;
  i.name = "privacyregister";
  i.description =
      "Open Dutch privacy-register standard JSON (legalclinic/privacyregister-standard: an Organisation with "
      "processingActivitiesAsController and processingActivitiesAsProcessor)";
  i.sniff = SniffPrs;
  i.import = [](std::string_view text, const std::string& file,
                const RegisterReadOptions&) -> std::expected<LoadedRegister, Diagnostics> {
    try {
      PrsReader reader(text, file);
      return reader.Run(
          "a privacy-register standard file (a JSON object with processingActivitiesAsController)");
    } catch (const std::exception& ex) {
      Error e;
      e.kind = ErrorKind::kInternal;
      e.where.file = file;
      e.message = std::string("privacy-register importer failed: ") + ex.what();
      return std::unexpected(Diagnostics{e});
    }
  };
  return i;
}

}  // namespace blindspot
