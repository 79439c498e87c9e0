// kb_check DATA_DIR: checks the knowledge base and the source catalogue as
// they are on disk, without rebuilding blindspot (the binary embeds data/ at
// build time, so `blindspot kb --kb DIR` cannot see new sources).
//
// Loads data/i18n, data/rules, data/vocab.yaml, data/sources.yaml and
// data/sources/*.yaml into a TextCatalog, parses every data/kb/*.yaml entry
// (all problems, not only the first), builds the kb and its index, and checks
// what the unit tests check over the whole kb: every `examples` URL is
// attributed to its entry, no request signature of one entry matches a URL
// of another's, no cookie name is in two entries. Exit 0 when all is well,
// 1 with one line per problem otherwise, 2 on usage or I/O errors.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "blindspot/catalog.h"
#include "blindspot/detect.h"
#include "blindspot/kb.h"

namespace fs = std::filesystem;
using namespace blindspot;

namespace {

bool Slurp(const fs::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

std::vector<fs::path> Yamls(const fs::path& dir) {
  std::vector<fs::path> v;
  if (!fs::is_directory(dir)) return v;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".yaml") v.push_back(e.path());
  std::sort(v.begin(), v.end());
  return v;
}

bool HostMatches(const std::string& host, const std::string& sig) {
  return host == sig || (host.size() > sig.size() && host.ends_with("." + sig));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: kb_check DATA_DIR   (the data/ folder of a blindspot tree)\n";
    return 2;
  }
  fs::path data = argv[1];
  std::vector<std::string> names, texts;
  auto add = [&](const fs::path& p) {
    std::string t;
    if (!Slurp(p, &t)) {
      std::cerr << p.string() << ": cannot read\n";
      std::exit(2);
    }
    names.push_back(fs::relative(p, data).generic_string());
    texts.push_back(std::move(t));
  };
  for (const auto& f : Yamls(data / "i18n")) add(f);
  for (const auto& f : Yamls(data / "rules")) add(f);
  add(data / "vocab.yaml");
  add(data / "sources.yaml");
  for (const auto& f : Yamls(data / "sources")) add(f);
  std::vector<std::pair<std::string, std::string_view>> files;
  for (size_t i = 0; i < texts.size(); ++i) files.emplace_back(names[i], texts[i]);
  auto cat = TextCatalog::FromFiles(files);
  if (!cat) {
    for (Error e : cat.error()) {
      if (!e.where.file.empty()) e.where.file = (data / e.where.file).string();
      std::cerr << e.Format();
    }
    std::cerr << "kb_check: " << cat.error().size() << " problem(s) in the text data\n";
    return 1;
  }

  int problems = 0;
  std::vector<std::string> kb_texts;
  std::vector<std::string> kb_names;
  for (const auto& f : Yamls(data / "kb")) {
    std::string t;
    if (!Slurp(f, &t)) {
      std::cerr << f.string() << ": cannot read\n";
      return 2;
    }
    auto e = Kb::ParseEntry(t, f.string(), *cat);
    if (!e) {
      std::cerr << e.error().Format();
      ++problems;
    }
    kb_names.push_back(f.string());
    kb_texts.push_back(std::move(t));
  }
  if (problems) {
    std::cerr << "kb_check: " << problems << " entry file(s) do not load\n";
    return 1;
  }
  std::vector<std::pair<std::string, std::string_view>> kb_files;
  for (size_t i = 0; i < kb_texts.size(); ++i) kb_files.emplace_back(kb_names[i], kb_texts[i]);
  auto kb = Kb::FromTexts(kb_files, *cat);
  if (!kb) {
    std::cerr << kb.error().Format();
    return 1;
  }
  auto index = KbIndex::Build(std::make_shared<const Kb>(std::move(*kb)));
  const auto& entries = index->kb().entries();
  auto problem = [&](const std::string& id, const std::string& what) {
    std::cerr << (data / "kb" / (id + ".yaml")).string() << ": " << what << "\n";
    ++problems;
  };
  size_t examples = 0;
  std::map<std::string, std::string> cookie_owner;
  for (const KbEntry& e : entries) {
    for (const std::string& url : e.examples) {
      ++examples;
      const KbEntry* got = index->ClassifyUrl(url);
      if (!got || got->id != e.id)
        problem(e.id, "example " + url + " is attributed to " + (got ? got->id : std::string("no entry")));
    }
    if (e.examples.empty() && !e.signatures.requests.empty())
      problem(e.id, "has request signatures but no `examples` URL");
    std::vector<std::string> all = e.signatures.cookies;
    all.insert(all.end(), e.signatures.first_party_cookies.begin(), e.signatures.first_party_cookies.end());
    for (const std::string& c : all) {
      auto [it, fresh] = cookie_owner.emplace(c, e.id);
      if (!fresh) problem(e.id, "cookie '" + c + "' is also in " + it->second);
    }
    for (const RequestSignature& ra : e.signatures.requests) {
      std::string pa = ra.path_prefix;
      for (char c : ra.path) pa += c == '*' ? 'x' : c;
      if (pa.empty()) pa = "/";
      for (const KbEntry& b : entries) {
        if (&b == &e) continue;
        for (const RequestSignature& rb : b.signatures.requests)
          if (HostMatches(ra.host, rb.host) && rb.PathMatches(pa) && rb.query_has.empty())
            problem(e.id, "signature " + ra.Pattern() + " also matches " + b.id + " " + rb.Pattern());
      }
    }
  }
  std::cout << entries.size() << " entries, " << examples << " examples, " << cat->sources().size()
            << " sources: " << (problems ? std::to_string(problems) + " problem(s)" : std::string("ok"))
            << "\n";
  return problems ? 1 : 0;
}
