// Every product id that the documentation and the examples put in a register
// is an id of the built-in knowledge base. A register names a kb entry as a
// touchpoint's `product`; the audit matches detections to touchpoints by that
// id, so a wrong id in the docs, copied by a user, turns a registered
// touchpoint into a false blind spot (issue 6: found by a new user).
//
// Scanned, from the source tree (BLINDSPOT_SOURCE_DIR):
//   - Markdown (README.md, docs/, examples/, bench/, tests/): fenced blocks
//     that are registers (they hold `blindspot_register`, or a YAML
//     `touchpoints:` key) and inline code `product: <id>`. An id that the same
//     page defines as a new kb entry (a YAML block with `id:` and
//     `signatures:`, as the worked example of docs/kb.md) is accepted.
//   - Register files (YAML/JSON holding `blindspot_register`) under examples/
//     and tests/cases/: read with the native reader and checked with
//     CheckProductIds; a file that does not read (a case about a syntax error)
//     is scanned line by line. An unknown id that the golden case's expected
//     output names is what the case tests and is accepted.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "blindspot/io.h"
#include "blindspot/kb.h"
#include "blindspot/register.h"
#include "blindspot/suggest.h"

namespace blindspot {
namespace {

namespace fs = std::filesystem;

// One product id as used in a file (path relative to the source tree).
struct Use {
  std::string file;
  uint32_t line = 0;
  std::string id;
};

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

// `product: x`, `"product": "x"`, `{..., product: x}` on one line of a register.
const std::regex& ProductValue() {
  static const std::regex re(R"re((?:^|[\s{,\[])"?product"?\s*:\s*["']?([A-Za-z0-9_.-]+))re");
  return re;
}

void ScanLine(const std::string& file, uint32_t n, const std::string& line, std::vector<Use>* out) {
  std::string body = line.substr(0, line.find(" #"));  // a YAML comment may mention anything
  for (std::sregex_iterator it(body.begin(), body.end(), ProductValue()), end; it != end; ++it)
    out->push_back({file, n, (*it)[1].str()});
}

struct MarkdownIds {
  std::vector<Use> uses;          // ids in register snippets and inline `product: x`
  std::set<std::string> defined;  // ids of kb entries the page itself defines
};

MarkdownIds ScanMarkdown(const std::string& file, const std::string& text) {
  static const std::regex fence(R"(^\s*(```|~~~)\s*([A-Za-z0-9_-]*).*$)");
  static const std::regex yaml_touchpoints(R"(^\s*touchpoints\s*:)");
  static const std::regex signatures(R"(^\s*signatures\s*:)");
  static const std::regex entry_id(R"(^\s*id\s*:\s*["']?([a-z0-9-]+))");
  static const std::regex inline_product(R"(`\s*product\s*:\s*["']?([A-Za-z0-9_.-]+)["']?\s*`)");
  MarkdownIds out;
  std::vector<std::string> lines = SplitLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, fence)) {
      for (std::sregex_iterator it(lines[i].begin(), lines[i].end(), inline_product), end; it != end; ++it)
        out.uses.push_back({file, static_cast<uint32_t>(i + 1), (*it)[1].str()});
      continue;
    }
    const std::string marker = m[1].str();
    size_t first = i + 1, last = first;
    auto closes = [&](const std::string& l) {
      size_t b = l.find_first_not_of(' ');
      return b != std::string::npos && l.compare(b, marker.size(), marker) == 0;
    };
    while (last < lines.size() && !closes(lines[last])) ++last;
    bool is_register = false, is_entry = false;
    for (size_t j = first; j < last; ++j) {
      is_register = is_register || lines[j].find("blindspot_register") != std::string::npos ||
                    std::regex_search(lines[j], yaml_touchpoints);
      is_entry = is_entry || std::regex_search(lines[j], signatures);
    }
    for (size_t j = first; j < last; ++j) {
      if (is_register) ScanLine(file, static_cast<uint32_t>(j + 1), lines[j], &out.uses);
      if (is_entry && std::regex_search(lines[j], m, entry_id)) out.defined.insert(m[1].str());
    }
    i = last;  // the closing fence
  }
  return out;
}

std::vector<fs::path> FilesUnder(const fs::path& root, const std::vector<std::string>& exts) {
  std::vector<fs::path> out;
  if (!fs::exists(root)) return out;
  if (fs::is_regular_file(root)) return {root};
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    if (std::find(exts.begin(), exts.end(), ext) != exts.end()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const std::vector<std::string_view>& BuiltinIds() {
  static const std::vector<std::string_view>* ids = [] {
    auto kb = Kb::LoadEmbedded();
    auto* out = new std::vector<std::string_view>();
    if (!kb) {
      ADD_FAILURE() << kb.error().Format();
      return out;
    }
    static const Kb* keep = new Kb(std::move(*kb));
    for (const KbEntry& e : keep->entries()) out->push_back(e.id);
    return out;
  }();
  return *ids;
}

bool Known(std::string_view id) {
  const auto& ids = BuiltinIds();
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string Problem(const Use& u) {
  std::string hint = DidYouMeanOneOf(u.id, BuiltinIds());
  return u.file + ":" + std::to_string(u.line) + ": product '" + u.id +
         "' is not an id of the built-in knowledge base" + (hint.empty() ? "" : "; " + hint);
}

TEST(DocsProductIds, ScannerFindsSnippetsAndInlineCode) {
  const std::string md =
      "Name it as `product: meta-pxel` in prose.\n"
      "```yaml\n"
      "blindspot_register: 1\n"
      "touchpoints:\n"
      "  - id: a\n"
      "    product: whatsapp-chat   # not in the kb\n"
      "  - {id: b, product: \"hotjar\"}\n"
      "```\n"
      "```json\n"
      "{\"product\": \"Meta Pixel\"}\n"
      "```\n"
      "```yaml\n"
      "id: praatpaal\n"
      "signatures:\n"
      "```\n";
  MarkdownIds got = ScanMarkdown("x.md", md);
  ASSERT_EQ(got.uses.size(), 3u);
  EXPECT_EQ(got.uses[0].id, "meta-pxel");
  EXPECT_EQ(got.uses[0].line, 1u);
  EXPECT_EQ(got.uses[1].id, "whatsapp-chat");
  EXPECT_EQ(got.uses[1].line, 6u);
  EXPECT_EQ(got.uses[2].id, "hotjar");
  EXPECT_EQ(got.defined, std::set<std::string>{"praatpaal"});
  EXPECT_EQ(Problem(got.uses[1]),
            "x.md:6: product 'whatsapp-chat' is not an id of the built-in knowledge base; did you mean "
            "'whatsapp-click-to-chat'?");
}

TEST(DocsProductIds, MarkdownRegisterSnippetsNameKnownProducts) {
  const fs::path root(BLINDSPOT_SOURCE_DIR);
  size_t checked = 0;
  std::set<std::string> files_with_ids;
  for (const char* where : {"README.md", "docs", "examples", "bench", "tests"}) {
    for (const fs::path& p : FilesUnder(root / where, {".md"})) {
      const std::string rel = fs::relative(p, root).string();
      MarkdownIds md = ScanMarkdown(rel, Slurp(p));
      for (const Use& u : md.uses) {
        ++checked;
        files_with_ids.insert(u.file);
        if (!Known(u.id) && !md.defined.count(u.id)) ADD_FAILURE() << Problem(u);
      }
    }
  }
  // The scanner must see the register docs, or this test proves nothing.
  EXPECT_TRUE(files_with_ids.count("docs/formats/register.md")) << "no product id found in the register docs";
  EXPECT_GE(checked, 2u);
}

TEST(DocsProductIds, ExampleAndCaseRegistersNameKnownProducts) {
  const fs::path root(BLINDSPOT_SOURCE_DIR);
  size_t checked = 0;
  for (const char* where : {"examples", "tests/cases"}) {
    for (const fs::path& p : FilesUnder(root / where, {".yaml", ".yml", ".json"})) {
      const std::string text = Slurp(p);
      if (text.find("blindspot_register") == std::string::npos) continue;
      const std::string rel = fs::relative(p, root).string();
      std::vector<Use> uses;
      auto loaded = ParseRegisterText(text, rel);
      if (loaded) {
        for (const Touchpoint& tp : loaded->reg.touchpoints) {
          if (tp.product.empty()) continue;
          Loc l = loaded->map.Find(path::Field(path::Item("touchpoints", tp.id), "product"));
          uses.push_back({rel, l.line, tp.product});
        }
        // The library's own check agrees with this test.
        size_t unknown = std::count_if(uses.begin(), uses.end(), [](const Use& u) { return !Known(u.id); });
        EXPECT_EQ(CheckProductIds(loaded->reg, BuiltinIds()).size(), unknown) << rel;
      } else {
        std::vector<std::string> lines = SplitLines(text);
        for (size_t i = 0; i < lines.size(); ++i)
          ScanLine(rel, static_cast<uint32_t>(i + 1), lines[i], &uses);
      }
      // What a golden case or a scenario expects to be told is deliberate.
      std::string expected;
      if (rel.starts_with("tests/cases/"))
        for (const auto& e : fs::directory_iterator(p.parent_path()))
          if (e.path().filename().string().starts_with("expected.") || e.path().filename() == "scenario.yaml")
            expected += Slurp(e.path());
      for (const Use& u : uses) {
        ++checked;
        if (Known(u.id)) continue;
        if (expected.find("'" + u.id + "'") != std::string::npos) continue;
        ADD_FAILURE() << Problem(u);
      }
    }
  }
  EXPECT_GE(checked, 4u);  // the example register alone names four products
}

}  // namespace
}  // namespace blindspot
