// Filter lists: loading them through the Env, and the match-filters use case
// (a requests file classified against the lists).
#include <fmt/format.h>

#include <map>
#include <mutex>

#include "blindspot/app.h"
#include "blindspot/catalog.h"
#include "blindspot/input.h"
#include "blindspot/terminal.h"
#include "blindspot/text_ids.h"

namespace blindspot::app {
namespace {

constexpr size_t kMaxRequestErrors = 20;

bool IsAbsoluteUrl(std::string_view u) {
  size_t colon = u.find("://");
  if (colon == std::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = u[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!ok) return false;
  }
  size_t host = colon + 3;
  return host < u.size() && u[host] != '/' && u[host] != '?' && u[host] != '#';
}

Error RequestLineError(const std::string& path, uint32_t line, uint32_t column, std::string_view text,
                       std::string message, std::string expected) {
  Error e;
  e.kind = ErrorKind::kParse;
  e.message = std::move(message);
  e.where.file = path;
  e.where.line = line;
  e.where.column = column;
  e.expected = std::move(expected);
  e.source_line = std::string(text);
  return e;
}

}  // namespace

Result<std::shared_ptr<const FilterEngine>> LoadFilterEngine(const Options& o,
                                                             const std::vector<std::string>& paths) {
  FilterEngine::Builder b;
  for (const std::string& p : paths) {
    auto info = o.env->Stat(p);
    if (info && info->is_directory) {
      SourceLocation where;
      where.file = p;
      return MakeError(ErrorKind::kIo, "is a directory, not a filter list", where,
                       "a filter list file (Adblock Plus syntax), e.g. easyprivacy.txt");
    }
    auto text = o.env->ReadFile(p, o.limits.max_text_bytes, 0, "--max-input-size");
    if (!text) return std::unexpected(text.error());
    // A binary file (a HAR given as a list by mistake is text; a gzip or an
    // image is not) is refused with where it stops being text.
    if (auto st = CheckTextInput(*text, p, "a filter list in the Adblock Plus syntax (text, UTF-8)"); !st)
      return std::unexpected(st.error());
    b.AddList(BaseName(p), std::move(*text));
  }
  return b.Build();
}

Result<std::shared_ptr<const FilterEngine>> LoadDetectionFilters(const Options& o,
                                                                 std::vector<std::string>* notes) {
  std::vector<std::string> paths;
  if (o.default_filter_lists) {
    bool found = false;
    for (const char* name : {"easyprivacy.txt", "easylist.txt"}) {
      std::string p = std::string(kDefaultFilterListDir) + "/" + name;
      if (auto st = o.env->Stat(p); st && st->exists && !st->is_directory) {
        paths.push_back(p);
        found = true;
      }
    }
    if (!found && notes)
      notes->push_back(TextCatalog::Builtin().Render(
          Message(ui::note_no_filter_lists).Text("dir", std::string(kDefaultFilterListDir)), o.lang));
  }
  paths.insert(paths.end(), o.filter_lists.begin(), o.filter_lists.end());
  if (paths.empty()) return std::shared_ptr<const FilterEngine>();
  // One engine per set of lists for the process (a server audits many
  // captures with the same lists). Only the default Env's files are cached.
  static std::mutex mu;
  static std::map<std::vector<std::string>, std::shared_ptr<const FilterEngine>> cache;
  bool cacheable = o.env == &Env::Default();
  if (cacheable) {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache.find(paths); it != cache.end()) return it->second;
  }
  auto engine = LoadFilterEngine(o, paths);
  if (!engine) return std::unexpected(engine.error());
  if (cacheable) {
    std::lock_guard<std::mutex> lock(mu);
    cache.emplace(paths, *engine);
  }
  return *engine;
}

std::expected<MatchFiltersOutcome, Diagnostics> MatchFilters(const Options& o, const MatchFiltersRequest& r) {
  auto engine = LoadFilterEngine(o, r.lists);
  if (!engine) return std::unexpected(Diagnostics{engine.error()});
  MatchFiltersOutcome out;
  out.engine = std::move(*engine);
  const FilterEngine& e = *out.engine;

  // The requests file is read in pieces (it may be large) and each line
  // classified as it comes. A bad line fails the call: the output built so
  // far is dropped, and the rest of the file is only checked.
  Diagnostics errors;
  const std::string expected_line = "url<TAB>source_url<TAB>type";
  uint32_t n = 0;
  auto line_done = [&](std::string_view line) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || errors.size() >= kMaxRequestErrors) return;
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos || line.find('\t', t2 + 1) != std::string_view::npos) {
      errors.push_back(RequestLineError(r.requests, n, 1, line, "not three tab-separated fields",
                                        expected_line + " (the source URL may be empty)"));
      return;
    }
    std::string_view url = line.substr(0, t1);
    std::string_view source = line.substr(t1 + 1, t2 - t1 - 1);
    std::string_view type = line.substr(t2 + 1);
    if (!IsAbsoluteUrl(url)) {
      errors.push_back(RequestLineError(r.requests, n, 1, line, "the request URL is not an absolute URL",
                                        "a URL with scheme and host, e.g. https://example.com/a.js"));
      return;
    }
    if (!source.empty() && !IsAbsoluteUrl(source)) {
      errors.push_back(RequestLineError(r.requests, n, static_cast<uint32_t>(t1 + 2), line,
                                        "the source URL is not an absolute URL",
                                        "the URL of the page or frame that made the request, or nothing"));
      return;
    }
    auto rt = ParseResourceType(type);
    if (!rt) {
      errors.push_back(RequestLineError(r.requests, n, static_cast<uint32_t>(t2 + 2), line,
                                        "unknown type '" + std::string(type) + "'",
                                        "one of " + ResourceTypeNames()));
      return;
    }
    if (!errors.empty()) return;
    ++out.requests;
    FilterDecision d = e.Match({url, source, *rt});
    if (d.block) {
      ++out.blocked;
      out.output += "block\t";
      out.output += d.filter->text;
      out.output += '\n';
    } else {
      out.output += "allow\n";
    }
  };
  std::string carry;  // a line cut by the end of a piece
  auto read = o.env->ReadFileInChunks(
      r.requests, o.limits.max_evidence_bytes, 1 << 20,
      [&](std::string_view piece) -> Status {
        size_t pos = 0;
        for (size_t nl; (nl = piece.find('\n', pos)) != std::string_view::npos; pos = nl + 1) {
          if (carry.empty()) {
            line_done(piece.substr(pos, nl - pos));
          } else {
            carry.append(piece.substr(pos, nl - pos));
            line_done(carry);
            carry.clear();
          }
        }
        carry.append(piece.substr(pos));
        return {};
      },
      "--max-input-size");
  if (!read) return std::unexpected(Diagnostics{read.error()});
  if (!carry.empty()) line_done(carry);
  if (!errors.empty()) {
    if (errors.size() == kMaxRequestErrors) errors.back().hint = "stopped after 20 bad lines";
    return std::unexpected(std::move(errors));
  }

  for (const Error& w : e.warnings()) out.notes.push_back(w.Format());
  const TextCatalog& cat = TextCatalog::Builtin();
  if (r.stats) {
    for (const FilterListStats& s : e.lists()) {
      uint32_t unsupported = 0;
      std::vector<MessageArg> reasons;
      for (const auto& [reason, count] : s.skipped) {
        unsupported += count;
        reasons.push_back(TextItem(fmt::format("{} {}", reason, count)));
      }
      out.notes.push_back(cat.Render(Message(ui::filter_list_summary)
                                         .Text("list", s.name)
                                         .Number("lines", s.lines)
                                         .Number("blocks", s.block_filters)
                                         .Number("exceptions", s.exception_filters)
                                         .Number("important", s.important_filters)
                                         .Number("regex", s.regex_filters)
                                         .Number("cancelled", s.badfiltered)
                                         .Number("cosmetic", s.cosmetic)
                                         .Number("scriptlet", s.scriptlet)
                                         .Number("html", s.html)
                                         .Number("unsupported", unsupported)
                                         .Number("excluded", s.excluded_by_if)
                                         .Number("malformed", s.malformed),
                                     o.lang));
      if (!reasons.empty())
        out.notes.push_back(cat.Render(
            Message(ui::filter_list_skipped).Text("list", s.name).List("reasons", reasons), o.lang));
    }
    out.notes.push_back(cat.Render(Message(ui::filter_match_summary)
                                       .Number("requests", static_cast<int64_t>(out.requests))
                                       .Number("blocked", static_cast<int64_t>(out.blocked))
                                       .Number("allowed", static_cast<int64_t>(out.requests - out.blocked)),
                                   o.lang));
  }
  return out;
}

}  // namespace blindspot::app
