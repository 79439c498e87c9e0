// Knowledge-base loader: strict YAML schema for data/kb/<id>.yaml.
//
// Every error carries file:line:col (1-based), what was expected and a hint.
// yaml-cpp throws; all of its exceptions are caught here and turned into
// Error values, so nothing escapes the public API.
#include "blindspot/kb.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blindspot/embedded.h"
#include "blindspot/fideslang.h"
#include "kb/kb_schema.h"

namespace blindspot {
namespace {

using kb_schema::IsKnownCategory;
using kb_schema::IsKnownChannel;

// The 0-based line `zero_based` of `text`, without its line break; "" if out of range.
std::string LineOf(std::string_view text, int zero_based) {
  if (zero_based < 0) return {};
  size_t pos = 0;
  for (int i = 0; i < zero_based; ++i) {
    pos = text.find('\n', pos);
    if (pos == std::string_view::npos) return {};
    ++pos;
  }
  size_t end = text.find('\n', pos);
  std::string line(text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Thrown only inside this file, caught in ParseEntry.
struct SchemaFailure {
  Error error;
};

class EntryParser {
 public:
  EntryParser(std::string_view text, const std::string& file) : text_(text), file_(file) {}

  [[noreturn]] void Fail(const YAML::Mark& mark, ErrorKind kind, std::string message, std::string expected,
                         std::string hint) const {
    Error e;
    e.kind = kind;
    e.message = std::move(message);
    e.where.file = file_;
    if (!mark.is_null()) {
      e.where.line = static_cast<uint32_t>(mark.line + 1);
      e.where.column = static_cast<uint32_t>(mark.column + 1);
      e.source_line = LineAt(mark.line);
    }
    e.expected = std::move(expected);
    e.hint = std::move(hint);
    throw SchemaFailure{std::move(e)};
  }

  std::string LineAt(int zero_based) const { return LineOf(text_, zero_based); }

  static std::string TypeName(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Null:
        return "nothing (null)";
      case YAML::NodeType::Scalar:
        return "a scalar";
      case YAML::NodeType::Sequence:
        return "a list";
      case YAML::NodeType::Map:
        return "a mapping";
      default:
        return "an undefined node";
    }
  }

  // Checks that `node` is a mapping whose keys are all in `allowed` and that
  // every key in `required` is present. `what` names the object in messages.
  void CheckMap(const YAML::Node& node, std::string_view what,
                std::initializer_list<std::string_view> allowed,
                std::initializer_list<std::string_view> required) const {
    if (!node.IsMap()) {
      Fail(node.Mark(), ErrorKind::kSchema, fmt(what, " must be a mapping, found ", TypeName(node)),
           fmt("a mapping with keys: ", Join(allowed)), "indent the keys of this object under it");
    }
    std::set<std::string> seen;
    for (const auto& kv : node) {
      const YAML::Node& key = kv.first;
      if (!key.IsScalar()) {
        Fail(key.Mark(), ErrorKind::kSchema, fmt("a key in ", what, " is not a plain name"), "a scalar key",
             "use simple `name: value` pairs");
      }
      std::string k = key.Scalar();
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        Fail(key.Mark(), ErrorKind::kSchema, fmt("unknown key '", k, "' in ", what),
             fmt("one of: ", Join(allowed)), "check the spelling; the schema is in docs/kb.md");
      }
      if (!seen.insert(k).second) {
        Fail(key.Mark(), ErrorKind::kSchema, fmt("duplicate key '", k, "' in ", what),
             "each key at most once", "remove one of the two");
      }
    }
    for (std::string_view r : required) {
      if (!seen.count(std::string(r))) {
        Fail(node.Mark(), ErrorKind::kSchema, fmt("missing required key '", r, "' in ", what),
             fmt("key '", r, "'"), "see docs/kb.md for the required keys");
      }
    }
  }

  std::string String(const YAML::Node& node, std::string_view what, bool allow_empty = false) const {
    if (!node.IsScalar()) {
      Fail(node.Mark(), ErrorKind::kSchema, fmt(what, " must be text, found ", TypeName(node)),
           "a text value", "write a single value on the same line as the key");
    }
    std::string s = node.Scalar();
    if (s.empty() && !allow_empty) {
      Fail(node.Mark(), ErrorKind::kSchema, fmt(what, " is empty"), "non-empty text", "fill in a value");
    }
    return s;
  }

  std::vector<std::string> StringList(const YAML::Node& node, std::string_view what) const {
    if (!node.IsSequence()) {
      Fail(node.Mark(), ErrorKind::kSchema, fmt(what, " must be a list, found ", TypeName(node)),
           "a list of text values", "write one `- value` per line");
    }
    std::vector<std::string> out;
    for (const auto& item : node) out.push_back(String(item, fmt(what, " item")));
    return out;
  }

  LocalizedText Text(const YAML::Node& node, std::string_view what) const {
    CheckMap(node, what, {"en", "nl"}, {"en", "nl"});
    LocalizedText t;
    t.en = String(node["en"], fmt(what, ".en"));
    t.nl = String(node["nl"], fmt(what, ".nl"));
    return t;
  }

  Source ParseSource(const YAML::Node& node, std::string_view what) const {
    CheckMap(node, what, {"title", "title_nl", "url"}, {"title", "url"});
    Source s;
    s.title = String(node["title"], fmt(what, ".title"));
    // Optional Dutch citation-style title (Source::Title("nl")); when present it must be non-empty text.
    if (node["title_nl"]) {
      // A bare `title_nl:` is null, and yaml-cpp marks a null value at the next token (the following
      // line); point at the key instead so the location is the line that needs the fix.
      for (const auto& kv : node) {
        if (kv.first.Scalar() == "title_nl" && kv.second.IsNull()) {
          Fail(kv.first.Mark(), ErrorKind::kSchema, fmt(what, ".title_nl has no value"), "non-empty text",
               "write the Dutch title on the same line, or leave the key out to show the English title");
        }
      }
      s.title_nl = String(node["title_nl"], fmt(what, ".title_nl"));
    }
    s.url = String(node["url"], fmt(what, ".url"));
    if (s.url.rfind("https://", 0) != 0 || s.url.size() <= 8) {
      Fail(node["url"].Mark(), ErrorKind::kSchema, fmt(what, ".url is not an https URL: '", s.url, "'"),
           "a URL starting with https://", "cite the https address of the source");
    }
    return s;
  }

  std::vector<Source> Sources(const YAML::Node& node, std::string_view what, size_t min) const {
    if (!node.IsSequence()) {
      Fail(node.Mark(), ErrorKind::kSchema, fmt(what, " must be a list, found ", TypeName(node)),
           "a list of {title, url}", "write `- title: ...` and `url: https://...` per source");
    }
    std::vector<Source> out;
    size_t i = 0;
    for (const auto& item : node) out.push_back(ParseSource(item, fmt(what, "[", i++, "]")));
    if (out.size() < min) {
      Fail(node.Mark(), ErrorKind::kSchema, fmt(what, " needs at least ", min, " source(s)"),
           "at least one {title, url} with an https URL",
           "every claim must cite a law, ruling or vendor document");
    }
    return out;
  }

  Claim ParseClaim(const YAML::Node& node, std::string_view what,
                   std::initializer_list<std::string_view> values) const {
    CheckMap(node, what, {"value", "reason", "sources"}, {"value", "reason", "sources"});
    Claim c;
    c.value = String(node["value"], fmt(what, ".value"));
    if (std::find(values.begin(), values.end(), c.value) == values.end()) {
      Fail(node["value"].Mark(), ErrorKind::kSchema, fmt(what, ".value '", c.value, "' is not allowed"),
           fmt("one of: ", Join(values)), "pick the value the cited source supports");
    }
    c.reason = Text(node["reason"], fmt(what, ".reason"));
    c.sources = Sources(node["sources"], fmt(what, ".sources"), 1);
    return c;
  }

  void CheckHost(const YAML::Node& node, const std::string& host, std::string_view what) const {
    bool bad = host.empty() || host.find("://") != std::string::npos || host.find('/') != std::string::npos ||
               host.front() == '.' || host.back() == '.';
    for (char c : host) {
      if (c >= 'A' && c <= 'Z') bad = true;
      if (c == ' ' || c == '*' || c == '?') bad = true;
    }
    if (bad) {
      Fail(node.Mark(), ErrorKind::kSchema, fmt(what, " '", host, "' is not a bare host name"),
           "a lower-case host without scheme, path or wildcard, e.g. connect.facebook.net",
           "a host also matches its subdomains; put the path in path_prefix");
    }
  }

  void CheckPathPrefix(const YAML::Node& node, const std::string& p, std::string_view what) const {
    if (!p.empty() && p.front() != '/') {
      Fail(node.Mark(), ErrorKind::kSchema, fmt(what, " '", p, "' does not start with '/'"),
           "a path such as /tr", "write the path without the host");
    }
  }

  RequestSignature ParseRequest(const YAML::Node& node, std::string_view what) const {
    CheckMap(node, what, {"host", "path_prefix", "query_has", "description"}, {"host"});
    RequestSignature r;
    r.host = String(node["host"], fmt(what, ".host"));
    CheckHost(node["host"], r.host, fmt(what, ".host"));
    if (node["path_prefix"]) {
      r.path_prefix = String(node["path_prefix"], fmt(what, ".path_prefix"));
      CheckPathPrefix(node["path_prefix"], r.path_prefix, fmt(what, ".path_prefix"));
    }
    if (node["query_has"]) r.query_has = StringList(node["query_has"], fmt(what, ".query_has"));
    if (node["description"]) r.description = String(node["description"], fmt(what, ".description"));
    return r;
  }

  Signatures ParseSignatures(const YAML::Node& node) const {
    CheckMap(node, "signatures", {"requests", "cookies", "links", "html_markers", "script_globals"}, {});
    Signatures s;
    if (node["requests"]) {
      const YAML::Node& reqs = node["requests"];
      if (!reqs.IsSequence()) {
        Fail(reqs.Mark(), ErrorKind::kSchema, "signatures.requests must be a list, found " + TypeName(reqs),
             "a list of {host, path_prefix, query_has, description}", "write `- host: ...` per signature");
      }
      size_t i = 0;
      for (const auto& r : reqs) s.requests.push_back(ParseRequest(r, fmt("signatures.requests[", i++, "]")));
    }
    if (node["cookies"]) s.cookies = StringList(node["cookies"], "signatures.cookies");
    if (node["links"]) {
      s.links = StringList(node["links"], "signatures.links");
      size_t i = 0;
      for (const auto& l : s.links) {
        if (l.find("://") != std::string::npos) {
          Fail(node["links"][i].Mark(), ErrorKind::kSchema, "signatures.links item '" + l + "' has a scheme",
               "a link prefix without scheme, e.g. wa.me/", "drop the https:// part");
        }
        ++i;
      }
    }
    if (node["html_markers"]) s.html_markers = StringList(node["html_markers"], "signatures.html_markers");
    if (node["script_globals"])
      s.script_globals = StringList(node["script_globals"], "signatures.script_globals");
    if (s.requests.empty() && s.cookies.empty() && s.links.empty() && s.html_markers.empty()) {
      Fail(node.Mark(), ErrorKind::kSchema, "signatures has no way to detect this entry",
           "at least one of requests, cookies, links, html_markers",
           "add the host the product loads from or sends to");
    }
    return s;
  }

  std::string DataCategory(const YAML::Node& node, std::string_view what) const {
    std::string v = String(node, what);
    if (!IsKnownDataCategory(v)) {
      std::string suggestion = SuggestDataCategory(v);
      Fail(node.Mark(), ErrorKind::kSchema, fmt(what, " '", v, "' is not a fideslang data category"),
           "a fideslang key such as user.contact.email or user.device.cookie_id",
           suggestion.empty() ? std::string("see the fideslang taxonomy (docs/kb.md)")
                              : "did you mean '" + suggestion + "'?");
    }
    return v;
  }

  DataSignal ParseSignal(const YAML::Node& node, std::string_view what) const {
    CheckMap(node, what,
             {"id", "param", "host", "path_prefix", "data_category", "meaning", "implies", "sources"},
             {"id", "param", "data_category", "meaning"});
    DataSignal d;
    d.id = String(node["id"], fmt(what, ".id"));
    d.param = String(node["param"], fmt(what, ".param"));
    if (node["host"]) {
      d.host = String(node["host"], fmt(what, ".host"));
      CheckHost(node["host"], d.host, fmt(what, ".host"));
    }
    if (node["path_prefix"]) {
      d.path_prefix = String(node["path_prefix"], fmt(what, ".path_prefix"));
      CheckPathPrefix(node["path_prefix"], d.path_prefix, fmt(what, ".path_prefix"));
    }
    d.data_category = DataCategory(node["data_category"], fmt(what, ".data_category"));
    d.meaning = Text(node["meaning"], fmt(what, ".meaning"));
    if (node["implies"]) {
      d.implies = String(node["implies"], fmt(what, ".implies"));
      implies_marks_.push_back({d.implies, node["implies"].Mark()});
    }
    if (node["sources"]) d.sources = Sources(node["sources"], fmt(what, ".sources"), 1);
    return d;
  }

  KbEntry Parse(const std::string& expected_id) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(text_));
    } catch (const YAML::Exception& e) {
      Fail(e.mark, ErrorKind::kParse, "not valid YAML: " + e.msg, "a YAML mapping",
           "check indentation and quoting near this position");
    }
    if (!root.IsDefined() || root.IsNull()) {
      Fail(YAML::Mark{}, ErrorKind::kSchema, "empty kb entry", "a YAML mapping with id, name, ...",
           "see docs/kb.md for an example entry");
    }
    CheckMap(root, "entry",
             {"id", "name", "category", "channel", "description", "vendor", "signatures", "data_signals",
              "data_categories", "data_uses", "role", "consent_required", "sources"},
             {"id", "name", "category", "channel", "description", "vendor", "signatures", "data_categories",
              "data_uses", "role", "consent_required"});
    KbEntry e;
    e.id = String(root["id"], "id");
    if (e.id != expected_id) {
      Fail(root["id"].Mark(), ErrorKind::kSchema, "id '" + e.id + "' does not match the file name",
           "id: " + expected_id, "the id must equal the file name without .yaml");
    }
    for (char c : e.id) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        Fail(root["id"].Mark(), ErrorKind::kSchema, "id '" + e.id + "' is not kebab-case",
             "lower-case letters, digits and '-'", "rename the file and the id");
      }
    }
    e.name = String(root["name"], "name");
    e.category = String(root["category"], "category");
    if (!IsKnownCategory(e.category)) {
      Fail(root["category"].Mark(), ErrorKind::kSchema, "unknown category '" + e.category + "'",
           "one of: " + kb_schema::CategoryList(), "the category list is in docs/kb.md");
    }
    e.channel = String(root["channel"], "channel");
    if (!IsKnownChannel(e.channel)) {
      Fail(root["channel"].Mark(), ErrorKind::kSchema, "unknown channel '" + e.channel + "'",
           "one of: " + kb_schema::ChannelList(), "the channel list is in docs/kb.md");
    }
    e.description = Text(root["description"], "description");

    const YAML::Node& v = root["vendor"];
    CheckMap(v, "vendor", {"legal_entity", "country", "processing_country", "transfer_mechanism", "sources"},
             {"legal_entity", "country", "processing_country", "transfer_mechanism", "sources"});
    e.vendor.legal_entity = String(v["legal_entity"], "vendor.legal_entity");
    e.vendor.country = String(v["country"], "vendor.country");
    e.vendor.processing_country = String(v["processing_country"], "vendor.processing_country");
    for (auto [key, value] : {std::pair{"country", &e.vendor.country},
                              std::pair{"processing_country", &e.vendor.processing_country}}) {
      const std::string& c = *value;
      bool ok = c.size() == 2 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z';
      if (!ok) {
        Fail(v[key].Mark(), ErrorKind::kSchema,
             fmt("vendor.", key, " '", c, "' is not an ISO 3166-1 alpha-2 code"),
             "two upper-case letters, e.g. IE, US, NL", "use the country code, not the name");
      }
    }
    e.vendor.transfer_mechanism = String(v["transfer_mechanism"], "vendor.transfer_mechanism");
    if (!kb_schema::IsKnownTransferMechanism(e.vendor.transfer_mechanism)) {
      Fail(v["transfer_mechanism"].Mark(), ErrorKind::kSchema,
           "unknown transfer_mechanism '" + e.vendor.transfer_mechanism + "'",
           "one of: data_privacy_framework, sccs, adequacy_decision, bcrs, none",
           "use none when the data stays in the EEA");
    }
    e.vendor.sources = Sources(v["sources"], "vendor.sources", 1);

    e.signatures = ParseSignatures(root["signatures"]);
    if (root["data_signals"]) {
      const YAML::Node& ds = root["data_signals"];
      if (!ds.IsSequence()) {
        Fail(ds.Mark(), ErrorKind::kSchema, "data_signals must be a list, found " + TypeName(ds),
             "a list of {id, param, data_category, meaning, ...}", "write `- id: ...` per signal");
      }
      size_t i = 0;
      for (const auto& s : ds) e.data_signals.push_back(ParseSignal(s, fmt("data_signals[", i++, "]")));
    }
    const YAML::Node& dc = root["data_categories"];
    if (!dc.IsSequence() || dc.size() == 0) {
      Fail(dc.Mark(), ErrorKind::kSchema, "data_categories must be a non-empty list",
           "a list of fideslang keys", "e.g. - user.device.cookie_id");
    }
    for (size_t i = 0; i < dc.size(); ++i)
      e.data_categories.push_back(DataCategory(dc[i], "data_categories item"));
    const YAML::Node& du = root["data_uses"];
    if (!du.IsSequence() || du.size() == 0) {
      Fail(du.Mark(), ErrorKind::kSchema, "data_uses must be a non-empty list",
           "a list of fideslang data_use keys", "e.g. - marketing.advertising.third_party.targeted");
    }
    for (size_t i = 0; i < du.size(); ++i) {
      std::string u = String(du[i], "data_uses item");
      if (!IsKnownDataUse(u)) {
        std::string suggestion = SuggestDataUse(u);
        Fail(du[i].Mark(), ErrorKind::kSchema, "data_uses item '" + u + "' is not a fideslang data use",
             "a fideslang data_use key such as analytics.reporting or marketing.advertising.profiling",
             suggestion.empty() ? std::string("see the fideslang taxonomy (docs/kb.md)")
                                : "did you mean '" + suggestion + "'?");
      }
      e.data_uses.push_back(u);
    }
    e.role = ParseClaim(root["role"], "role", {"processor", "joint_controller", "independent_controller"});
    e.consent_required = ParseClaim(root["consent_required"], "consent_required", {"true", "false"});
    if (root["sources"]) e.sources = Sources(root["sources"], "sources", 1);
    return e;
  }

  struct ImpliesMark {
    std::string id;
    YAML::Mark mark;
  };
  mutable std::vector<ImpliesMark> implies_marks_;

 private:
  template <class... Args>
  static std::string fmt(Args&&... args) {
    std::ostringstream os;
    (os << ... << args);
    return os.str();
  }
  static std::string Join(std::initializer_list<std::string_view> items) {
    std::string out;
    for (auto s : items) {
      if (!out.empty()) out += ", ";
      out += s;
    }
    return out;
  }

  std::string_view text_;
  const std::string& file_;
};

std::string StemOf(const std::string& file) {
  std::string name = std::filesystem::path(file).filename().string();
  if (name.size() > 5 && name.ends_with(".yaml")) return name.substr(0, name.size() - 5);
  return name;
}

Result<KbEntry> ParseOne(std::string_view text, const std::string& file,
                         std::vector<EntryParser::ImpliesMark>* implies) {
  EntryParser p(text, file);
  try {
    if (!file.ends_with(".yaml")) {
      p.Fail(YAML::Mark::null_mark(), ErrorKind::kUsage, "kb file name does not end in .yaml", "<id>.yaml",
             "name the file after the entry id");
    }
    KbEntry e = p.Parse(StemOf(file));
    if (implies) *implies = p.implies_marks_;
    return e;
  } catch (const SchemaFailure& f) {
    return std::unexpected(f.error);
  } catch (const YAML::Exception& ex) {
    Error err;
    err.kind = ErrorKind::kParse;
    err.message = "YAML error: " + ex.msg;
    err.where.file = file;
    if (!ex.mark.is_null()) {
      err.where.line = static_cast<uint32_t>(ex.mark.line + 1);
      err.where.column = static_cast<uint32_t>(ex.mark.column + 1);
      err.source_line = LineOf(text, ex.mark.line);
    }
    err.expected = "valid YAML";
    err.hint = "check indentation and quoting near this position";
    return std::unexpected(err);
  } catch (const std::exception& ex) {
    Error err;
    err.kind = ErrorKind::kInternal;
    err.message = std::string("unexpected error while reading kb entry: ") + ex.what();
    err.where.file = file;
    return std::unexpected(err);
  }
}

}  // namespace

// Builds a Kb from (file, text) pairs: parses each, rejects duplicate ids and
// dangling `implies`, sorts by id.
Result<Kb> Kb::FromTexts(const std::vector<std::pair<std::string, std::string_view>>& files) {
  struct Parsed {
    KbEntry entry;
    std::string file;
    std::string_view text;
    std::vector<EntryParser::ImpliesMark> implies;
  };
  std::vector<Parsed> parsed;
  parsed.reserve(files.size());
  for (const auto& [file, text] : files) {
    Parsed p;
    auto e = ParseOne(text, file, &p.implies);
    if (!e) return std::unexpected(e.error());
    p.entry = std::move(*e);
    p.file = file;
    p.text = text;
    parsed.push_back(std::move(p));
  }
  std::sort(parsed.begin(), parsed.end(),
            [](const Parsed& a, const Parsed& b) { return a.entry.id < b.entry.id; });
  for (size_t i = 1; i < parsed.size(); ++i) {
    if (parsed[i].entry.id == parsed[i - 1].entry.id) {
      SourceLocation where;
      where.file = parsed[i].file;
      return MakeError(ErrorKind::kReference, "duplicate kb id '" + parsed[i].entry.id + "'", where,
                       "one file per id", "remove one of " + parsed[i - 1].file + " and " + parsed[i].file);
    }
  }
  std::set<std::string, std::less<>> ids;
  for (const auto& p : parsed) ids.insert(p.entry.id);
  auto known = [&](const std::string& id) { return ids.count(id) > 0; };
  for (const auto& p : parsed) {
    for (const auto& im : p.implies) {
      if (!known(im.id)) {
        Error err;
        err.kind = ErrorKind::kReference;
        err.message = "data signal implies unknown kb entry '" + im.id + "'";
        err.where.file = p.file;
        err.where.line = static_cast<uint32_t>(im.mark.line + 1);
        err.where.column = static_cast<uint32_t>(im.mark.column + 1);
        err.source_line = LineOf(p.text, im.mark.line);
        err.expected = "the id of another kb entry";
        err.hint = "add data/kb/" + im.id + ".yaml or fix the id";
        return std::unexpected(err);
      }
    }
  }
  Kb kb;
  kb.entries_.reserve(parsed.size());
  for (auto& p : parsed) kb.entries_.push_back(std::move(p.entry));
  return kb;
}

namespace {

Result<Kb> ParseEmbedded() {
  std::vector<std::pair<std::string, std::string_view>> files;
  for (std::size_t i = 0; i < kDataFiles_count && kDataFiles[i].path != nullptr; ++i) {
    std::string_view path = kDataFiles[i].path;
    if (path.starts_with("kb/") && path.ends_with(".yaml") && path.find('/', 3) == std::string_view::npos) {
      files.emplace_back(std::string(path), kDataFiles[i].data);
    }
  }
  if (files.empty()) {
    return MakeError(ErrorKind::kInternal, "no kb entries compiled into the binary", {}, "data/kb/*.yaml",
                     "rebuild; the kb files are embedded at build time");
  }
  return Kb::FromTexts(files);
}

}  // namespace

Result<Kb> Kb::LoadEmbedded() {
  // The embedded files never change while the program runs: parse them once
  // (thread-safe static initialisation) and hand out copies.
  static const Result<Kb> parsed = ParseEmbedded();
  return parsed;
}

Result<Kb> Kb::LoadDirectory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  SourceLocation where;
  where.file = dir;
  if (!fs::is_directory(dir, ec)) {
    return MakeError(ErrorKind::kIo, "not a directory", where, "a directory with <id>.yaml files",
                     "pass the directory that holds the kb entries, e.g. data/kb");
  }
  std::vector<std::string> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".yaml" && it->is_regular_file(ec)) paths.push_back(it->path().string());
  }
  if (ec) return MakeError(ErrorKind::kIo, "cannot list directory: " + ec.message(), where);
  std::sort(paths.begin(), paths.end());
  if (paths.empty()) {
    return MakeError(ErrorKind::kIo, "no *.yaml files in directory", where, "one <id>.yaml per entry",
                     "check the --kb path");
  }
  std::vector<std::string> texts;
  texts.reserve(paths.size());
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      SourceLocation w;
      w.file = p;
      return MakeError(ErrorKind::kIo, "cannot open file", w, "", "check that the file is readable");
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    texts.push_back(ss.str());
  }
  std::vector<std::pair<std::string, std::string_view>> files;
  for (size_t i = 0; i < paths.size(); ++i) files.emplace_back(paths[i], texts[i]);
  return FromTexts(files);
}

Result<KbEntry> Kb::ParseEntry(std::string_view yaml_text, const std::string& file) {
  return ParseOne(yaml_text, file, nullptr);
}

const KbEntry* Kb::Find(std::string_view id) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), id,
                             [](const KbEntry& e, std::string_view v) { return e.id < v; });
  if (it == entries_.end() || it->id != id) return nullptr;
  return &*it;
}

}  // namespace blindspot
