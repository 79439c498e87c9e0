// libFuzzer target for the knowledge-base loader: Kb::ParseEntry on the whole
// input and Kb::FromTexts on the input split into files at lines "#%%" (a
// YAML comment, so the whole input stays one YAML document), both against the
// built-in text catalogue (TextCatalog::Builtin(): source ids, vocabularies,
// languages), as the CLI loads `--kb DIR`. Each file is named after the `id:`
// it declares ("<id>.yaml"), so entries can get past the id/file-name check.
// A Kb that loads is compiled into a KbIndex and a Detector (as `--kb DIR`
// does), and records built from its own signatures are observed.
//
// Checks besides "no crash, no exception, no sanitizer report" (UBSan stops
// the run: the fuzz build uses -fno-sanitize-recover=all):
//   - every error has a message, names the file it came from, has a column
//     when it has a line, and formats;
//   - an entry that parses has the id of its file name, a kebab-case id, a
//     name, a category and channel of their vocabularies, an English
//     description, https sources with an English title, non-empty
//     data_categories/data_uses, vendor/role/consent sources, at least one
//     signature, bare lower-case hosts and '/'-paths;
//   - FromTexts agrees with ParseEntry: when every file parses alone,
//     FromTexts fails only with kReference (duplicate id, dangling implies);
//     when one does not, FromTexts fails with that file's error; on success
//     the entries are sorted, unique, found by Find, and every `implies`
//     names one of them;
//   - over a loaded kb: a request signature with plain host, path and
//     parameter names is classified (KbIndex::ClassifyUrl) for the URL made
//     of it; what ClassifyUrl names is among the Detector's touchpoints; the
//     touchpoints point into the kb.
// See docs/fuzzing.md.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blindspot/catalog.h"
#include "blindspot/detect.h"
#include "blindspot/kb.h"

namespace {

using blindspot::ErrorKind;

[[noreturn]] void Fail() { __builtin_trap(); }

constexpr std::string_view kSeparator = "\n#%%\n";

const blindspot::TextCatalog& Cat() {
  const blindspot::TextCatalog& cat = blindspot::TextCatalog::Builtin();
  if (!cat.load_errors().empty()) std::abort();  // a build defect
  return cat;
}

// "<id>.yaml" for the first line "id: value" (quotes and blanks stripped), else "entry.yaml".
std::string FileNameFor(std::string_view text) {
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (line.starts_with("id:")) {
      std::string_view v = line.substr(3);
      while (!v.empty() && (v.front() == ' ' || v.front() == '"' || v.front() == '\'')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '"' || v.back() == '\'' || v.back() == '\r'))
        v.remove_suffix(1);
      if (!v.empty() && v.size() < 200 && v.find('/') == std::string_view::npos)
        return std::string(v) + ".yaml";
      break;
    }
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return "entry.yaml";
}

void CheckError(const blindspot::Error& e, const std::vector<std::string>& files) {
  if (e.message.empty()) Fail();
  bool known = false;
  for (const auto& f : files) known = known || e.where.file == f;
  if (!known) Fail();
  if (e.where.line > 0 && e.where.column == 0) Fail();
  (void)e.Format();
}

bool SameError(const blindspot::Error& a, const blindspot::Error& b) {
  return a.kind == b.kind && a.message == b.message && a.where.file == b.where.file &&
         a.where.line == b.where.line && a.where.column == b.where.column;
}

bool HasEnglish(const blindspot::LocalizedText& t) {
  const std::string* en = t.Find(blindspot::kBaseLanguage);
  return en != nullptr && !en->empty();
}

bool GoodSource(const blindspot::Source& s) {
  return s.url.starts_with("https://") && s.url.size() > 8 && HasEnglish(s.title) && Cat().FindSource(s.id);
}

// What the loader's host check lets through.
bool BareHost(const std::string& h) {
  if (h.empty() || h.front() == '.' || h.back() == '.' || h.find('/') != std::string::npos) return false;
  for (char c : h)
    if ((c >= 'A' && c <= 'Z') || c == ' ' || c == '*' || c == '?') return false;
  return true;
}

void CheckEntry(const blindspot::KbEntry& e, const std::string& file) {
  if (file != e.id + ".yaml") Fail();
  if (e.id.empty()) Fail();
  for (char c : e.id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) Fail();
  if (e.name.empty() || e.data_categories.empty() || e.data_uses.empty()) Fail();
  if (!Cat().InVocabulary("kb_category", e.category) || !Cat().InVocabulary("channel", e.channel)) Fail();
  if (!HasEnglish(e.description)) Fail();
  if (e.role.sources.empty() || e.consent_required.sources.empty() || e.vendor.sources.empty()) Fail();
  for (const auto* list : {&e.sources, &e.vendor.sources, &e.role.sources, &e.consent_required.sources})
    for (const auto& s : *list)
      if (!GoodSource(s)) Fail();
  const auto& sig = e.signatures;
  if (sig.requests.empty() && sig.cookies.empty() && sig.links.empty() && sig.html_markers.empty()) Fail();
  for (const auto& r : sig.requests) {
    if (!BareHost(r.host)) Fail();
    if (!r.path_prefix.empty() && r.path_prefix.front() != '/') Fail();
  }
  for (const auto& l : sig.links)
    if (l.find("://") != std::string::npos) Fail();
  for (const auto& d : e.data_signals) {
    if (d.id.empty() || d.param.empty() || d.data_category.empty() || !HasEnglish(d.meaning)) Fail();
    if (!d.host.empty() && !BareHost(d.host)) Fail();
    if (!d.path_prefix.empty() && d.path_prefix.front() != '/') Fail();
    for (const auto& s : d.sources)
      if (!GoodSource(s)) Fail();
  }
}

bool Plain(std::string_view s, std::string_view forbidden) {
  for (unsigned char c : s)
    if (c <= ' ' || c >= 0x7f || forbidden.find(static_cast<char>(c)) != std::string_view::npos) return false;
  return true;
}

// Runs a detector over the loaded kb, as `blindspot --kb DIR` would.
void Detect(blindspot::Kb kb_value) {
  auto index = blindspot::KbIndex::Build(std::make_shared<const blindspot::Kb>(std::move(kb_value)));
  const blindspot::Kb& kb = index->kb();
  blindspot::Detector d(index);
  blindspot::EvidenceRecord e;
  e.method = "GET";
  blindspot::Cookie cookies[] = {{"_fbp", "fb.1.1", "", ""}, {"fr", "x", "", ""}, {"_ga_ABC", "1", "", ""}};
  e.request_cookies.assign(std::begin(cookies), std::end(cookies));
  d.BeginSource("kb.har", "har");
  std::set<std::string> must_have;
  uint64_t index_no = 0;
  for (const auto& k : kb.entries()) {
    for (const auto& r : k.signatures.requests) {
      std::string url = "https://" + r.host + r.path_prefix + "?";
      bool plain = Plain(r.host, ":@[]%#?/\\") && Plain(r.path_prefix, "?#");
      for (const auto& q : r.query_has) {
        url += q + "=1&";
        plain = plain && !q.empty() && Plain(q, "&=#%+");
      }
      for (const auto& s : k.data_signals) url += s.param + "=x&";
      e.index = index_no++;
      e.url = url;
      const blindspot::KbEntry* hit = index->ClassifyUrl(url);
      // The URL made of a plain signature matches at least that signature.
      if (plain && hit == nullptr) Fail();
      if (hit != nullptr) {
        if (hit != kb.Find(hit->id)) Fail();
        must_have.insert(hit->id);
      }
      d.Observe(e);
    }
  }
  e = blindspot::EvidenceRecord{};
  e.url = "https://www.example.com/";
  e.resource_type = "document";
  e.mime_type = "text/html";
  std::string body = "<a href=\"https://wa.me/31612345678\">x</a> tel:+31 mailto:a@b.nl fbq('init', '1');";
  for (const auto& k : kb.entries()) {
    for (const auto& m : k.signatures.html_markers) body += " " + m;
    for (const auto& l : k.signatures.links) body += " https://" + l + "x";
  }
  e.body = body;
  e.index = index_no;
  d.Observe(e);
  blindspot::SourceSummary summary;
  summary.kind = "har";
  summary.entries = index_no + 1;
  d.EndSource(summary);
  blindspot::DetectionResult r = d.Finish();
  for (const auto& t : r.touchpoints)
    if (t.kb == nullptr || t.kb != kb.Find(t.kb_id)) Fail();
  for (const std::string& id : must_have)
    if (r.Find(id) == nullptr) Fail();
  if (r.entries != summary.entries) Fail();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const blindspot::TextCatalog& cat = Cat();

  // The whole input as one entry.
  std::string whole = FileNameFor(text);
  auto one = blindspot::Kb::ParseEntry(text, whole, cat);
  if (one)
    CheckEntry(*one, whole);
  else
    CheckError(one.error(), {whole});

  // The input as several files.
  std::vector<std::pair<std::string, std::string_view>> files;
  std::vector<std::string> names;
  for (size_t pos = 0;;) {
    size_t sep = text.find(kSeparator, pos);
    std::string_view part =
        text.substr(pos, sep == std::string_view::npos ? std::string_view::npos : sep - pos);
    files.emplace_back(FileNameFor(part), part);
    names.push_back(files.back().first);
    if (sep == std::string_view::npos || files.size() >= 64) break;
    pos = sep + kSeparator.size();
  }
  // The error of the first file that does not parse alone, if any.
  std::optional<blindspot::Error> first_error;
  if (files.size() == 1) {
    if (!one) first_error = one.error();  // the same text and file name as above
  } else {
    for (const auto& [file, part] : files) {
      auto e = blindspot::Kb::ParseEntry(part, file, cat);
      if (e) {
        CheckEntry(*e, file);
      } else {
        first_error = e.error();
        break;
      }
    }
  }
  auto kb = blindspot::Kb::FromTexts(files, cat);
  if (!kb) {
    CheckError(kb.error(), names);
    if (!first_error && kb.error().kind != ErrorKind::kReference) Fail();
    if (first_error && !SameError(*first_error, kb.error())) Fail();
    return 0;
  }
  if (first_error) Fail();
  const auto& entries = kb->entries();
  if (entries.size() != files.size()) Fail();
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && !(entries[i - 1].id < entries[i].id)) Fail();
    if (kb->Find(entries[i].id) != &entries[i]) Fail();
    for (const auto& s : entries[i].data_signals)
      if (!s.implies.empty() && kb->Find(s.implies) == nullptr) Fail();
  }
  if (files.size() == 1 && (!one || entries[0].id != one->id || entries[0].name != one->name)) Fail();
  Detect(std::move(*kb));
  return 0;
}
