// Statement draft: register + kb -> privacy-statement sections (notice.h).
#include "blindspot/notice.h"

#include <algorithm>
#include <set>

#include "blindspot/text_ids.h"

namespace blindspot {
namespace {

using Kind = NoticeBlock::Kind;

Message Todo(Message what) { return Message(ui::notice_todo).Sub("what", std::move(what)); }

// "Name, e-mail, phone, address" of a contact, the parts it has.
std::string ContactText(const Contact& c) {
  std::string out;
  for (const std::string* part : {&c.name, &c.email, &c.phone, &c.address}) {
    if (part->empty()) continue;
    if (!out.empty()) out += ", ";
    out += *part;
  }
  return out;
}

// The contact line for rights requests: e-mail first, else the whole contact.
std::string RequestContact(const Organisation& org) {
  if (!org.contact.email.empty()) return org.contact.email;
  return ContactText(org.contact);
}

std::vector<MessageArg> DataGroups(const std::vector<std::string>& categories) {
  std::vector<std::string_view> groups;
  for (const std::string& c : categories) {
    std::string_view g = NoticeDataGroup(c);
    if (std::find(groups.begin(), groups.end(), g) == groups.end()) groups.push_back(g);
  }
  // In the vocabulary's order would need the catalogue; the order of first
  // appearance follows the register, which the organisation chose.
  std::vector<MessageArg> items;
  for (std::string_view g : groups) items.push_back(TermItem("notice_data_group", g));
  return items;
}

std::vector<MessageArg> TextItems(const std::vector<std::string>& v) {
  std::vector<MessageArg> items;
  for (const std::string& s : v) items.push_back(TextItem(s));
  return items;
}

// The message id of a channel's purpose phrase ("web-tracking" -> ui.notice_ch_web_tracking).
Message ChannelPurpose(const std::string& channel) {
  static const std::set<std::string, std::less<>> kKnown = {
      "web-tracking", "advertising", "messaging", "chat",   "phone",        "email",
      "video",        "reviews",     "feedback",  "social", "web-resources"};
  if (!kKnown.contains(channel)) return Message(ui::notice_ch_other).Text("channel", channel);
  std::string id = "ui.notice_ch_" + channel;
  std::replace(id.begin(), id.end(), '-', '_');
  return Message(MessageId{id});
}

class Builder {
 public:
  Builder(const Register& reg, const Kb& kb) : reg_(reg), kb_(kb) {}

  NoticeDraft Build(std::string_view date) {
    const Organisation& org = reg_.organisation;
    std::string org_name = org.name.empty() ? std::string("?") : org.name;
    Add(Kind::kTitle, Message(ui::notice_title).Text("organisation", org_name));
    note_index_ = draft_.blocks.size();
    Add(Kind::kNote, Message(ui::notice_draft).Text("date", std::string(date)));
    Controller();
    Activities();
    Touchpoints();
    Rights();
    Add(Kind::kNote, Message(ui::notice_footer), "GDPR Art. 12-14; WP260 rev.01");
    for (const NoticeBlock& b : draft_.blocks) {
      draft_.todos += CountTodos(b.text);
      if (b.kind == Kind::kHeading) ++draft_.sections;
    }
    draft_.blocks[note_index_].text.Number("todos", draft_.todos);
    return std::move(draft_);
  }

 private:
  static int CountTodos(const Message& m) {
    int n = m.id == "ui.notice_todo" ? 1 : 0;
    for (const MessageArg& a : m.args) n += CountTodos(a);
    return n;
  }
  static int CountTodos(const MessageArg& a) {
    int n = 0;
    for (const Message& m : a.message) n += CountTodos(m);
    for (const MessageArg& i : a.items) n += CountTodos(i);
    return n;
  }

  void Add(Kind k, Message m, std::string article = {}) {
    draft_.blocks.push_back(NoticeBlock{k, std::move(m), std::move(article)});
  }

  void Controller() {
    const Organisation& org = reg_.organisation;
    Add(Kind::kHeading, Message(ui::notice_h_controller), "GDPR Art. 13(1)(a)-(b)");
    Add(Kind::kParagraph,
        Message(ui::notice_controller).Text("organisation", org.name.empty() ? "?" : org.name),
        "GDPR Art. 13(1)(a)");
    if (!org.registration.empty())
      Add(Kind::kParagraph, Message(ui::notice_registration).Text("registration", org.registration));
    std::string contact = ContactText(org.contact);
    if (contact.empty())
      Add(Kind::kParagraph, Todo(Message(ui::notice_todo_contact)), "GDPR Art. 13(1)(a)");
    else
      Add(Kind::kParagraph, Message(ui::notice_contact).Text("contact", contact), "GDPR Art. 13(1)(a)");
    if (!org.no_dpo) {
      std::string dpo = ContactText(org.dpo);
      if (dpo.empty())
        Add(Kind::kParagraph, Todo(Message(ui::notice_todo_dpo)), "GDPR Art. 13(1)(b)");
      else
        Add(Kind::kParagraph, Message(ui::notice_dpo).Text("dpo", dpo), "GDPR Art. 13(1)(b)");
    }
  }

  std::string ProcessorName(const std::string& id_or_name) const {
    for (const Processor& p : reg_.processors)
      if (p.id == id_or_name)
        return !p.legal_entity.empty() ? p.legal_entity : !p.name.empty() ? p.name : p.id;
    return id_or_name;
  }

  void Activities() {
    if (reg_.activities.empty()) return;
    Add(Kind::kHeading, Message(ui::notice_h_activities), "GDPR Art. 13(1)(c)-(f), 13(2)(a)");
    for (const ProcessingActivity& a : reg_.activities) {
      std::string name = a.name.empty() ? a.id : a.name;
      AddSubheading(name);
      if (!a.description.empty()) Add(Kind::kParagraph, RawText(a.description));
      bool li = false;
      for (const Purpose& p : a.purposes) {
        std::string pd = p.description.empty() ? name : p.description;
        if (!p.lawful_basis) {
          Add(Kind::kItem, Todo(Message(ui::notice_todo_basis).Text("purpose", pd)), "GDPR Art. 13(1)(c)");
          continue;
        }
        Add(Kind::kItem,
            Message(ui::notice_purpose)
                .Text("purpose", pd)
                .Term("basis", "lawful_basis", ToString(*p.lawful_basis)),
            "GDPR Art. 13(1)(c)");
        if (*p.lawful_basis == LawfulBasis::kLegitimateInterests) li = true;
        if ((*p.lawful_basis == LawfulBasis::kLegalObligation ||
             *p.lawful_basis == LawfulBasis::kPublicTask) &&
            !p.legal_obligation.empty())
          Add(Kind::kItem, Message(ui::notice_obligation).Text("law", p.legal_obligation), "GDPR Art. 6(3)");
      }
      if (li) Add(Kind::kItem, Message(ui::notice_li), "GDPR Art. 13(1)(d), 21");
      if (!a.data_categories.empty())
        Add(Kind::kItem, Message(ui::notice_data).List("list", DataGroups(a.data_categories)),
            "GDPR Art. 14(1)(d)");
      for (const SpecialCategory& s : a.special_categories) {
        std::string cat = s.category;
        if (s.condition)
          Add(Kind::kItem,
              Message(ui::notice_special)
                  .Text("category", cat)
                  .Text("condition", std::string(1, *s.condition)),
              "GDPR Art. 9(2)");
        else
          Add(Kind::kItem, Todo(Message(ui::notice_todo_special).Text("category", cat)), "GDPR Art. 9(2)");
      }
      if (!a.data_sources.empty())
        Add(Kind::kItem, Message(ui::notice_sources).List("list", TextItems(a.data_sources)),
            "GDPR Art. 14(2)(f)");
      Recipients(a, name);
      for (const Transfer& t : a.transfers) {
        std::string who = ProcessorName(t.recipient);
        std::string country = t.country.empty() ? "?" : t.country;
        if (!t.safeguard || *t.safeguard == TransferSafeguard::kNone)
          Add(Kind::kItem,
              Todo(Message(ui::notice_todo_transfer).Text("recipient", who).Text("country", country)),
              "GDPR Art. 13(1)(f)");
        else
          Add(Kind::kItem,
              Message(ui::notice_transfer)
                  .Text("recipient", who)
                  .Text("country", country)
                  .Term("safeguard", "transfer_safeguard", ToString(*t.safeguard)),
              "GDPR Art. 13(1)(f)");
      }
      if (a.retention.empty()) {
        Add(Kind::kItem, Todo(Message(ui::notice_todo_retention).Text("activity", name)),
            "GDPR Art. 13(2)(a)");
      } else {
        for (const Retention& r : a.retention) {
          if (!r.data_category.empty() && r.data_category != "*")
            Add(Kind::kItem,
                Message(ui::notice_retention_of)
                    .Term("category", "notice_data_group", NoticeDataGroup(r.data_category))
                    .Text("period", r.period),
                "GDPR Art. 13(2)(a)");
          else
            Add(Kind::kItem, Message(ui::notice_retention).Text("period", r.period), "GDPR Art. 13(2)(a)");
        }
      }
    }
  }

  void Recipients(const ProcessingActivity& a, const std::string& name) {
    if (a.no_recipients) {
      Add(Kind::kItem, Message(ui::notice_no_recipients), "GDPR Art. 13(1)(e)");
      return;
    }
    std::vector<std::string> names;
    for (const Recipient& r : a.recipients) {
      std::string n = r.kind == RecipientKind::kProcessor
                          ? ProcessorName(r.processor.empty() ? r.name : r.processor)
                          : r.name;
      if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
    }
    if (names.empty())
      Add(Kind::kItem, Todo(Message(ui::notice_todo_recipients).Text("activity", name)),
          "GDPR Art. 13(1)(e)");
    else
      Add(Kind::kItem, Message(ui::notice_recipients).List("list", TextItems(names)), "GDPR Art. 13(1)(e)");
  }

  void Touchpoints() {
    if (reg_.touchpoints.empty()) return;
    Add(Kind::kHeading, Message(ui::notice_h_touchpoints), "GDPR Art. 13(1)(c)-(f); Art. 11.7a Tw");
    for (const Touchpoint& t : reg_.touchpoints) {
      if (t.answers.in_use && !*t.answers.in_use) continue;  // switched off: nothing to tell
      const KbEntry* kb = t.product.empty() ? nullptr : kb_.Find(t.product);
      const Processor* vendor = nullptr;
      for (const Processor& p : reg_.processors)
        if (p.id == t.vendor) vendor = &p;
      std::string product = kb ? kb->name : !t.name.empty() ? t.name : t.id;
      std::string vendor_name = vendor ? (!vendor->legal_entity.empty() ? vendor->legal_entity : vendor->name)
                                : kb   ? kb->vendor.legal_entity
                                       : t.vendor;
      AddSubheading(t.name.empty() ? product : t.name);
      std::string channel = !t.channel.empty() ? t.channel : kb ? kb->channel : "";
      Message intro(ui::notice_tp);
      intro.Text("product", product).Sub("purpose", ChannelPurpose(channel));
      if (vendor_name.empty()) {  // never guessed: the register names no vendor and no known product
        intro.Sub("vendor", Todo(Message(ui::notice_todo_vendor).Text("product", product)));
        vendor_name = "?";
      } else {
        intro.Text("vendor", vendor_name);
      }
      Add(Kind::kParagraph, std::move(intro), "GDPR Art. 13(1)(c), (e)");
      std::vector<std::string> collected = t.answers.data_collected;
      if (!collected.empty())
        Add(Kind::kItem, Message(ui::notice_tp_data).List("list", DataGroups(collected)),
            "GDPR Art. 13(1)(c)");
      if (t.answers.lawful_basis) {
        Add(Kind::kItem,
            Message(ui::notice_tp_basis).Term("basis", "lawful_basis", ToString(*t.answers.lawful_basis)),
            "GDPR Art. 13(1)(c)");
        if (*t.answers.lawful_basis == LawfulBasis::kConsent)
          // Cookie settings only where the product runs in the visitor's browser.
          Add(Kind::kItem,
              Message(channel == "phone" || channel == "email" || channel == "chat" || channel == "messaging"
                          ? ui::notice_tp_consent_contact
                          : ui::notice_tp_consent),
              "GDPR Art. 7(3), 13(2)(c)");
      } else {
        Add(Kind::kItem, Todo(Message(ui::notice_todo_basis).Text("purpose", product)), "GDPR Art. 13(1)(c)");
      }
      // The role: the register's word, else the knowledge base's.
      std::optional<VendorRole> role;
      if (vendor)
        role = vendor->role;
      else if (kb)
        role = kb->role.value;
      if (role == VendorRole::kJointController)
        Add(Kind::kItem,
            Message(ui::notice_tp_joint)
                .Text("vendor", vendor_name)
                .Sub("essence", Todo(Message(ui::notice_todo_joint).Text("vendor", vendor_name))),
            "GDPR Art. 26(2)");
      else if (role == VendorRole::kIndependentController)
        Add(Kind::kItem, Message(ui::notice_tp_independent).Text("vendor", vendor_name),
            "GDPR Art. 13(1)(e)");
      else if (role == VendorRole::kProcessor)
        Add(Kind::kItem, Message(ui::notice_tp_processor).Text("vendor", vendor_name), "GDPR Art. 13(1)(e)");
      if (kb && !kb->vendor.processing_country.empty() && !IsEeaCountry(kb->vendor.processing_country)) {
        TransferSafeguard s = vendor && vendor->transfer_safeguard ? *vendor->transfer_safeguard
                                                                   : kb->vendor.transfer_mechanism;
        if (s == TransferSafeguard::kNone)
          Add(Kind::kItem,
              Todo(Message(ui::notice_todo_transfer)
                       .Text("recipient", vendor_name)
                       .Text("country", kb->vendor.processing_country)),
              "GDPR Art. 13(1)(f)");
        else
          Add(Kind::kItem,
              Message(ui::notice_tp_transfer)
                  .Text("vendor", vendor_name)
                  .Text("country", kb->vendor.processing_country)
                  .Term("safeguard", "transfer_safeguard", ToString(s)),
              "GDPR Art. 13(1)(f)");
      }
      if (!t.answers.stored_by_vendor_details.empty())
        Add(Kind::kItem,
            Message(ui::notice_tp_stored)
                .Text("vendor", vendor_name)
                .Text("details", t.answers.stored_by_vendor_details),
            "GDPR Art. 13(2)(a)");
      ContactItems(t.contact);
    }
  }

  // Customer contact off the website: what a caller, chatter or e-mail
  // recipient must be told (Art. 13(1)(c), 13(2)(a)); only what the register
  // answers yes to is written, what it leaves open is a TO COMPLETE.
  void ContactItems(const ContactFacts& c) {
    const CallRecording& calls = c.call_recording;
    if (calls.recorded == true) {
      Message m(ui::notice_tp_calls);
      if (calls.scope.empty())
        m.Sub("scope", Todo(Message(ui::notice_todo_call_scope)));
      else
        m.Term("scope", "call_recording_scope", calls.scope);
      if (calls.purpose.empty())
        m.Sub("purpose", Todo(Message(ui::notice_todo_call_purpose)));
      else
        m.Text("purpose", calls.purpose);
      Add(Kind::kItem, std::move(m), "GDPR Art. 13(1)(c)");
      if (calls.announced == true)
        Add(Kind::kItem, Message(ui::notice_tp_calls_announced), "GDPR Art. 13(1); Art. 5(1)(a)");
      else
        Add(Kind::kItem, Todo(Message(ui::notice_todo_call_announced)), "GDPR Art. 13(1); Art. 5(1)(a)");
      if (calls.retention_days)
        Add(Kind::kItem, Message(ui::notice_tp_calls_retention).Number("days", *calls.retention_days),
            "GDPR Art. 13(2)(a)");
      else
        Add(Kind::kItem, Todo(Message(ui::notice_todo_call_retention)), "GDPR Art. 13(2)(a)");
    }
    const ChatTranscripts& chat = c.chat_transcripts;
    if (chat.stored == true) {
      if (chat.retention_days)
        Add(Kind::kItem, Message(ui::notice_tp_chat_retention).Number("days", *chat.retention_days),
            "GDPR Art. 13(2)(a)");
      else
        Add(Kind::kItem, Todo(Message(ui::notice_todo_chat_retention)), "GDPR Art. 13(2)(a)");
      if (chat.reused_in_crm == true) Add(Kind::kItem, Message(ui::notice_tp_chat_crm), "GDPR Art. 13(1)(c)");
    }
    const EmailTracking& mail = c.email_tracking;
    if (mail.open_tracking == true || mail.click_tracking == true) {
      if (mail.per_recipient == false) {
        Add(Kind::kItem, Message(ui::notice_tp_email_aggregate), "GDPR Art. 13(1)(c)");
      } else {
        Add(Kind::kItem, Message(ui::notice_tp_email_tracking), "GDPR Art. 13(1)(c)");
        if (mail.consent == true)
          Add(Kind::kItem, Message(ui::notice_tp_email_consent), "GDPR Art. 7(3), 13(2)(c)");
        else
          Add(Kind::kItem, Todo(Message(ui::notice_todo_email_basis)),
              "GDPR Art. 13(1)(c); Art. 5(3) ePrivacy");
      }
    }
  }

  void Rights() {
    const Organisation& org = reg_.organisation;
    Add(Kind::kHeading, Message(ui::notice_h_rights), "GDPR Art. 13(2)(b)-(d)");
    std::string contact = RequestContact(org);
    Message rights(ui::notice_rights);
    if (contact.empty())
      rights.Sub("contact", Todo(Message(ui::notice_todo_contact)));
    else
      rights.Text("contact", contact);
    Add(Kind::kParagraph, std::move(rights), "GDPR Art. 12(3), 13(2)(b)");
    bool consent = false, li = false;
    for (const ProcessingActivity& a : reg_.activities)
      for (const Purpose& p : a.purposes) {
        consent |= p.lawful_basis == LawfulBasis::kConsent;
        li |= p.lawful_basis == LawfulBasis::kLegitimateInterests;
      }
    for (const Touchpoint& t : reg_.touchpoints) {
      consent |= t.answers.lawful_basis == LawfulBasis::kConsent;
      li |= t.answers.lawful_basis == LawfulBasis::kLegitimateInterests;
    }
    if (consent) Add(Kind::kParagraph, Message(ui::notice_withdraw), "GDPR Art. 7(3), 13(2)(c)");
    if (li) Add(Kind::kParagraph, Message(ui::notice_object), "GDPR Art. 21(1)-(4)");
    MessageId authority = org.country == "NL"   ? ui::notice_authority_nl
                          : org.country == "BE" ? ui::notice_authority_be
                          : org.country == "DE" ? ui::notice_authority_de
                                                : ui::notice_authority_other;
    Add(Kind::kParagraph, Message(ui::notice_complaint).Sub("authority", Message(authority)),
        "GDPR Art. 13(2)(d), 77");
  }

  // A heading or paragraph whose text is the register's own words.
  static Message RawText(const std::string& s) { return Message(ui::notice_raw).Text("text", s); }
  void AddSubheading(const std::string& s) { Add(Kind::kSubheading, RawText(s)); }

  const Register& reg_;
  const Kb& kb_;
  NoticeDraft draft_;
  size_t note_index_ = 0;
};

}  // namespace

std::string_view NoticeDataGroup(std::string_view c) {
  auto under = [&](std::string_view prefix) {
    return c == prefix || (c.size() > prefix.size() && c.starts_with(prefix) && c[prefix.size()] == '.');
  };
  if (under("user.name")) return "name";
  if (under("user.contact.address")) return "address";
  if (under("user.contact")) return "contact";
  if (under("user.health_and_medical") || under("user.health") || under("user.biometric.health"))
    return "health";
  if (under("user.criminal_history")) return "criminal";
  if (under("user.government_id")) return "government_id";
  if (under("user.biometric") || under("user.biometrics")) return "biometric";
  if (under("user.behavior.purchase_history")) return "purchase";
  if (under("user.behavior")) return "browsing";
  if (under("user.financial") || under("user.payment")) return "financial";
  if (under("user.location")) return "location";
  if (under("user.demographic")) return "demographic";
  if (under("user.content")) return "content";
  if (under("user.account") || under("user.authorization")) return "account";
  if (under("user.device") || under("user.unique_id") || c.ends_with("cookie_id")) return "online_id";
  return "other";
}

NoticeDraft BuildNotice(const Register& reg, const Kb& kb, std::string_view date) {
  return Builder(reg, kb).Build(date);
}

namespace {

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string RenderNoticeMarkdown(const NoticeDraft& d, const TextCatalog& texts, std::string_view lang) {
  std::string out;
  bool in_list = false;
  for (const NoticeBlock& b : d.blocks) {
    std::string text = texts.Render(b.text, lang);
    if (b.kind != Kind::kItem && in_list) {
      out += "\n";
      in_list = false;
    }
    std::string comment = b.article.empty() ? "" : " <!-- " + b.article + " -->";
    switch (b.kind) {
      case Kind::kTitle:
        out += "# " + text + "\n\n";
        break;
      case Kind::kNote:
        out += "> " + text + "\n\n";
        break;
      case Kind::kHeading:
        out += "## " + text + comment + "\n\n";
        break;
      case Kind::kSubheading:
        out += "### " + text + "\n\n";
        break;
      case Kind::kParagraph:
        out += text + comment + "\n\n";
        break;
      case Kind::kItem:
        out += "- " + text + comment + "\n";
        in_list = true;
        break;
    }
  }
  if (in_list) out += "\n";
  while (out.size() > 1 && out.ends_with("\n\n")) out.pop_back();
  return out;
}

std::string RenderNoticeHtml(const NoticeDraft& d, const TextCatalog& texts, std::string_view lang) {
  std::string title;
  for (const NoticeBlock& b : d.blocks)
    if (b.kind == Kind::kTitle) title = texts.Render(b.text, lang);
  std::string out =
      "<!doctype html>\n<html lang=\"" + Escape(lang) + "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
      Escape(title) +
      "</title>\n<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem "
      "auto;line-height:1.5;padding:0 1rem}.note{border-left:4px solid "
      "#c90;padding:.2rem 1rem;background:#fff8e6}mark{background:#ffe08a}</style>\n</head>\n<body>\n";
  // "[TO COMPLETE:" in this language: the todo message up to its placeholder.
  std::string todo_prefix = Escape(texts.Render(Message(ui::notice_todo).Text("what", "\x01"), lang));
  todo_prefix = todo_prefix.substr(0, todo_prefix.find('\x01'));
  bool in_list = false;
  for (const NoticeBlock& b : d.blocks) {
    std::string text = Escape(texts.Render(b.text, lang));
    // The TO COMPLETE markers stand out in the page.
    for (size_t pos = 0; (pos = text.find(todo_prefix, pos)) != std::string::npos;) {
      size_t end = text.find(']', pos);
      if (end == std::string::npos) break;
      text.replace(end, 1, "]</mark>");
      text.insert(pos, "<mark>");
      pos = end + 14;
    }
    if (b.kind != Kind::kItem && in_list) {
      out += "</ul>\n";
      in_list = false;
    }
    std::string attr = b.article.empty() ? "" : " data-article=\"" + Escape(b.article) + "\"";
    switch (b.kind) {
      case Kind::kTitle:
        out += "<h1>" + text + "</h1>\n";
        break;
      case Kind::kNote:
        out += "<p class=\"note\">" + text + "</p>\n";
        break;
      case Kind::kHeading:
        out += "<h2" + attr + ">" + text + "</h2>\n";
        break;
      case Kind::kSubheading:
        out += "<h3>" + text + "</h3>\n";
        break;
      case Kind::kParagraph:
        out += "<p" + attr + ">" + text + "</p>\n";
        break;
      case Kind::kItem:
        if (!in_list) out += "<ul>\n";
        in_list = true;
        out += "<li" + attr + ">" + text + "</li>\n";
        break;
    }
  }
  if (in_list) out += "</ul>\n";
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace blindspot
