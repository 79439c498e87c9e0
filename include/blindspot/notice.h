// Statement draft (`blindspot notice`): the sections of a privacy statement
// (Art. 13 and 14 GDPR) written from the register of processing activities
// and the knowledge base, as a starting text for the organisation. It says
// only what the register holds; every fact the register lacks becomes a
// visible "TO COMPLETE" marker (counted in NoticeDraft::todos), never a guess.
//
// BuildNotice is pure and deterministic (no I/O, no clock: the date is given).
// The draft is language-neutral (messages with ids from data/i18n); the
// renderers turn it into Markdown or a self-contained HTML page in one
// language. Thread-safe: no shared state.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "blindspot/catalog.h"
#include "blindspot/kb.h"
#include "blindspot/register.h"
#include "blindspot/text.h"

namespace blindspot {

struct NoticeBlock {
  enum class Kind { kTitle, kNote, kHeading, kSubheading, kParagraph, kItem };
  Kind kind = Kind::kParagraph;
  Message text;
  // The provision the block answers, for the drafter (Markdown: an HTML
  // comment; HTML: a data attribute), e.g. "GDPR Art. 13(1)(c)"; may be empty.
  std::string article;
};

struct NoticeDraft {
  std::vector<NoticeBlock> blocks;
  int sections = 0;  // headings (kHeading)
  int todos = 0;     // "TO COMPLETE" markers, nested ones included
};

// `date` is shown in the draft note (ISO 8601, e.g. "2026-12-02").
NoticeDraft BuildNotice(const Register& reg, const Kb& kb, std::string_view date);

std::string RenderNoticeMarkdown(const NoticeDraft& draft, const TextCatalog& texts, std::string_view lang);
std::string RenderNoticeHtml(const NoticeDraft& draft, const TextCatalog& texts, std::string_view lang);

// The plain-language group (vocabulary notice_data_group) of a fideslang data
// category key: "user.contact.email" -> "contact", "user.device.cookie_id" ->
// "online_id"; "other" when no group fits.
std::string_view NoticeDataGroup(std::string_view data_category);

}  // namespace blindspot
