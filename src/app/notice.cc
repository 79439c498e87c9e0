// Use case `notice`: a privacy-statement draft from the register (notice.h).
#include "blindspot/notice.h"

#include "blindspot/app.h"
#include "blindspot/catalog.h"
#include "blindspot/text_ids.h"

namespace blindspot::app {
namespace {

Diagnostics One(Error e) { return Diagnostics{std::move(e)}; }

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool IsFolder(const Options& o, const std::string& path) {
  if (path.back() == '/') return true;
  auto info = o.env->Stat(path);
  return info && info->is_directory;
}

}  // namespace

std::expected<NoticeOutcome, Diagnostics> Notice(const Options& o, const NoticeRequest& r) {
  std::string format = r.format;
  if (format.empty())
    format = EndsWith(r.out_path, ".html") || EndsWith(r.out_path, ".htm") ? "html" : "markdown";
  if (format != "markdown" && format != "html")
    return std::unexpected(
        One(MakeError(ErrorKind::kUsage, "unknown statement format '" + format + "'", {}, "markdown or html")
                .error()));
  if (!r.date.empty() && !IsCalendarDate(r.date))
    return std::unexpected(
        One(MakeError(ErrorKind::kUsage, "--date '" + r.date + "' is not a date", {}, "YYYY-MM-DD").error()));
  const std::string example = format == "html" ? "statement.html" : "statement.md";
  if (!r.out_path.empty() && r.out_path != "-" && IsFolder(o, r.out_path))
    return std::unexpected(One(MakeError(ErrorKind::kUsage, "--out '" + r.out_path + "' is a folder", {},
                                         "a file name, e.g. " + example)
                                   .error()));
  auto index = LoadKbIndex(o);
  if (!index) return std::unexpected(One(index.error()));
  auto in = LoadRegister(o, r.register_path, &(*index)->kb());
  if (!in) return std::unexpected(std::move(in.error()));
  NoticeOutcome out;
  out.warnings = std::move(in->warnings);
  NoticeDraft draft = BuildNotice(*in->reg, (*index)->kb(), r.date.empty() ? o.env->Today() : r.date);
  const TextCatalog& texts = TextCatalog::Builtin();
  out.output =
      format == "html" ? RenderNoticeHtml(draft, texts, o.lang) : RenderNoticeMarkdown(draft, texts, o.lang);
  if (auto st = WriteOutput(o, r.out_path, out.output, {r.register_path}, example); !st)
    return std::unexpected(One(st.error()));
  out.written = !r.out_path.empty() && r.out_path != "-";
  out.todos = draft.todos;
  out.summary = texts.Render(Message(ui::notice_summary)
                                 .Text("file", out.written ? r.out_path : r.register_path)
                                 .Number("sections", draft.sections)
                                 .Number("todos", draft.todos),
                             o.lang);
  return out;
}

}  // namespace blindspot::app
