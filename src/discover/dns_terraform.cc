// The dns-terraform reader: Terraform files (HCL) that manage AWS Route 53,
// `resource "aws_route53_zone"` and `resource "aws_route53_record"` blocks
// (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_record:
// zone_id, name, type, ttl, records or an alias block), and modules given
// `txt_records` for a zone. A small HCL subset is parsed (blocks, attributes,
// strings with escapes, heredocs, numbers, lists, objects, references,
// comments); expressions it cannot evaluate (interpolation, function calls,
// operators, variables, locals defined in another file) are never guessed: a
// value that depends on one is a warning at its line. `locals` blocks of the
// same file that set a plain string are resolved. See docs/formats/discovery.md (DNS).
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "discover/dns_records.h"
#include "discover/readers.h"

namespace blindspot::discover {

namespace {

constexpr std::string_view kName = "dns-terraform";
constexpr int kMaxDepth = 64;

enum class Tk { kIdent, kString, kNumber, kPunct, kEnd };

struct Token {
  Tk kind = Tk::kEnd;
  std::string text;     // identifier, decoded string, number, punctuation
  bool interp = false;  // a string holding ${...} or %{...}
  bool nl_before = false;
  uint32_t line = 0;
  uint32_t column = 0;
};

Error ErrorAt(const std::string& file, uint32_t line, uint32_t column, std::string message,
              std::string expected = {}, std::string hint = {}) {
  SourceLocation where;
  where.file = file;
  where.line = line;
  where.column = column;
  return MakeError(ErrorKind::kParse, std::move(message), std::move(where), std::move(expected),
                   std::move(hint))
      .error();
}

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) {
  return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '*';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

class Lexer {
 public:
  Lexer(std::string_view text, const std::string& file) : s_(text), file_(file) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    bool nl = true;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\n') {
        Advance(1);
        nl = true;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        Advance(1);
        continue;
      }
      if (c == '#' || (c == '/' && Peek(1) == '/')) {
        while (i_ < s_.size() && s_[i_] != '\n') Advance(1);
        continue;
      }
      if (c == '/' && Peek(1) == '*') {
        uint32_t l = line_, col = col_;
        size_t end = s_.find("*/", i_ + 2);
        if (end == std::string_view::npos)
          return std::unexpected(ErrorAt(file_, l, col, "comment '/*' not closed before the end of the file",
                                         "'*/'", "the file may be cut off"));
        Advance(end + 2 - i_);
        continue;
      }
      Token t;
      t.nl_before = nl;
      t.line = line_;
      t.column = col_;
      nl = false;
      if (c == '"') {
        auto st = String(&t);
        if (!st) return std::unexpected(st.error());
      } else if (c == '<' && Peek(1) == '<' &&
                 (IsIdentStart(Peek(2)) || (Peek(2) == '-' && IsIdentStart(Peek(3))))) {
        auto st = Heredoc(&t);
        if (!st) return std::unexpected(st.error());
        nl = true;
      } else if (IsIdentStart(c)) {
        t.kind = Tk::kIdent;
        size_t start = i_;
        while (i_ < s_.size() && IsIdentChar(s_[i_])) Advance(1);
        t.text = std::string(s_.substr(start, i_ - start));
      } else if (IsDigit(c)) {
        t.kind = Tk::kNumber;
        size_t start = i_;
        while (i_ < s_.size() && (IsDigit(s_[i_]) || s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E'))
          Advance(1);
        t.text = std::string(s_.substr(start, i_ - start));
      } else if (std::string_view("{}[]()=,:?+-*/%!<>&|.~").find(c) != std::string_view::npos) {
        t.kind = Tk::kPunct;
        t.text = std::string(1, c);
        Advance(1);
        if ((c == '=' || c == '!' || c == '<' || c == '>') && Peek(0) == '=') {
          t.text += '=';
          Advance(1);
        } else if ((c == '&' || c == '|') && Peek(0) == c) {
          t.text += c;
          Advance(1);
        } else if (c == '=' && Peek(0) == '>') {
          t.text += '>';
          Advance(1);
        }
      } else {
        return std::unexpected(ErrorAt(file_, line_, col_,
                                       "unexpected character '" + std::string(1, c) + "' in HCL",
                                       "a block, an attribute, a string, a number or a comment"));
      }
      out.push_back(std::move(t));
    }
    Token end;
    end.kind = Tk::kEnd;
    end.nl_before = true;
    end.line = line_;
    end.column = col_;
    out.push_back(std::move(end));
    return out;
  }

 private:
  char Peek(size_t k) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  void Advance(size_t n) {
    for (size_t k = 0; k < n && i_ < s_.size(); ++k, ++i_) {
      if (s_[i_] == '\n') {
        ++line_;
        col_ = 1;
      } else if ((static_cast<unsigned char>(s_[i_]) & 0xC0) != 0x80) {
        ++col_;
      }
    }
  }

  // A quoted template: escapes decoded, interpolations kept as written.
  Status String(Token* t) {
    t->kind = Tk::kString;
    Advance(1);
    while (true) {
      if (i_ >= s_.size() || s_[i_] == '\n')
        return std::unexpected(ErrorAt(file_, t->line, t->column, "string not closed on its line",
                                       "a closing '\"'", "the file may be cut off"));
      char c = s_[i_];
      if (c == '"') {
        Advance(1);
        return {};
      }
      if (c == '\\') {
        char e = Peek(1);
        static constexpr std::string_view kFrom = "ntr\"\\", kTo = "\n\t\r\"\\";
        size_t k = kFrom.find(e);
        if (e != '\0' && k != std::string_view::npos) {
          t->text += kTo[k];
          Advance(2);
        } else {
          t->text += c;
          Advance(1);
        }
        continue;
      }
      if ((c == '$' || c == '%') && Peek(1) == c && Peek(2) == '{') {  // $${ and %%{: literal
        t->text += c;
        t->text += '{';
        Advance(3);
        continue;
      }
      if ((c == '$' || c == '%') && Peek(1) == '{') {
        t->interp = true;
        size_t start = i_;
        int depth = 0;
        bool quoted = false;
        while (i_ < s_.size()) {
          char d = s_[i_];
          if (d == '\n' && !quoted) break;
          if (quoted) {
            if (d == '\\')
              Advance(1);
            else if (d == '"')
              quoted = false;
          } else if (d == '"') {
            quoted = true;
          } else if (d == '{') {
            ++depth;
          } else if (d == '}' && --depth == 0) {
            Advance(1);
            break;
          }
          Advance(1);
        }
        if (depth != 0)
          return std::unexpected(ErrorAt(file_, t->line, t->column,
                                         "interpolation '${' not closed in a string", "'}'",
                                         "the file may be cut off"));
        t->text += s_.substr(start, i_ - start);
        continue;
      }
      t->text += c;
      Advance(1);
    }
  }

  // <<EOF ... EOF and <<-EOF (indented) heredocs.
  Status Heredoc(Token* t) {
    t->kind = Tk::kString;
    Advance(2);
    if (Peek(0) == '-') Advance(1);
    size_t start = i_;
    while (i_ < s_.size() && IsIdentChar(s_[i_])) Advance(1);
    std::string marker(s_.substr(start, i_ - start));
    while (i_ < s_.size() && s_[i_] != '\n') Advance(1);
    Advance(1);
    while (i_ < s_.size()) {
      size_t eol = s_.find('\n', i_);
      std::string_view l = s_.substr(i_, (eol == std::string_view::npos ? s_.size() : eol) - i_);
      std::string_view trimmed = l;
      while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t'))
        trimmed.remove_prefix(1);
      while (!trimmed.empty() && (trimmed.back() == '\r' || trimmed.back() == ' ')) trimmed.remove_suffix(1);
      Advance(l.size());
      if (trimmed == marker) return {};
      if (l.find("${") != std::string_view::npos || l.find("%{") != std::string_view::npos) t->interp = true;
      if (!t->text.empty()) t->text += '\n';
      t->text += trimmed;
      Advance(1);
    }
    return std::unexpected(ErrorAt(file_, t->line, t->column, "heredoc <<" + marker + " not closed",
                                   "a line holding only " + marker, "the file may be cut off"));
  }

  std::string_view s_;
  const std::string& file_;
  size_t i_ = 0;
  uint32_t line_ = 1;
  uint32_t col_ = 1;
};

struct Value {
  enum Kind { kString, kNumber, kRef, kList, kObject, kOther } kind = kOther;
  std::string text;  // string (decoded), number, reference, or the expression's first token
  bool interp = false;
  std::vector<Value> items;
  uint32_t line = 0;
  uint32_t column = 0;
};

struct Block {
  std::string type;
  std::vector<std::string> labels;
  std::vector<std::pair<std::string, Value>> attrs;
  std::vector<Block> blocks;
  uint32_t line = 0;
  uint32_t column = 0;

  const Value* Attr(std::string_view name) const {
    for (const auto& [k, v] : attrs)
      if (k == name) return &v;
    return nullptr;
  }
  bool HasBlock(std::string_view name) const {
    for (const Block& b : blocks)
      if (b.type == name) return true;
    return false;
  }
};

class Parser {
 public:
  Parser(const std::vector<Token>& toks, const std::string& file) : t_(toks), file_(file) {}

  Result<Block> File() {
    Block root;
    auto st = Body(&root, 0, false);
    if (!st) return std::unexpected(st.error());
    return root;
  }

 private:
  const Token& Cur() const { return t_[p_]; }
  bool Is(std::string_view punct) const { return Cur().kind == Tk::kPunct && Cur().text == punct; }
  Error Unexpected(std::string expected) const {
    const Token& c = Cur();
    if (c.kind == Tk::kEnd)
      return ErrorAt(file_, c.line, c.column, "the file ends inside a block or expression",
                     std::move(expected), "the file may be cut off");
    return ErrorAt(file_, c.line, c.column, "unexpected '" + c.text + "'", std::move(expected));
  }

  Status Body(Block* b, int depth, bool nested) {
    if (depth > kMaxDepth)
      return std::unexpected(ErrorAt(file_, Cur().line, Cur().column, "blocks nested too deeply (over 64)"));
    while (true) {
      if (Cur().kind == Tk::kEnd) {
        if (nested) return std::unexpected(Unexpected("'}' closing the block"));
        return {};
      }
      if (Is("}")) {
        if (!nested) return std::unexpected(Unexpected("a block or an attribute"));
        ++p_;
        return {};
      }
      if (Cur().kind != Tk::kIdent) return std::unexpected(Unexpected("a block type or an attribute name"));
      std::string name = Cur().text;
      uint32_t line = Cur().line, col = Cur().column;
      ++p_;
      if (Is("=")) {
        ++p_;
        auto v = Expr(depth + 1);
        if (!v) return std::unexpected(v.error());
        b->attrs.emplace_back(std::move(name), std::move(*v));
        continue;
      }
      Block child;
      child.type = std::move(name);
      child.line = line;
      child.column = col;
      while (Cur().kind == Tk::kString || Cur().kind == Tk::kIdent) {
        child.labels.push_back(Cur().text);
        ++p_;
      }
      if (!Is("{") || Cur().nl_before)
        return std::unexpected(ErrorAt(
            file_, line, col, "'" + child.type + "' is followed by neither '=' nor a block's '{' on its line",
            "name = value, or a block: type \"label\" {", "the file may be cut off"));
      ++p_;
      auto st = Body(&child, depth + 1, true);
      if (!st) return std::unexpected(st.error());
      b->blocks.push_back(std::move(child));
    }
  }

  // Skips a bracketed group starting at an opening bracket.
  Status SkipGroup() {
    int depth = 0;
    do {
      if (Cur().kind == Tk::kEnd) return std::unexpected(Unexpected("a closing bracket"));
      if (Is("(") || Is("[") || Is("{")) ++depth;
      if (Is(")") || Is("]") || Is("}")) --depth;
      ++p_;
    } while (depth > 0);
    return {};
  }

  // Skips the rest of an expression: up to a ',' or a closing bracket at
  // depth 0, or a new line outside brackets.
  Status SkipRest() {
    while (true) {
      const Token& c = Cur();
      if (c.kind == Tk::kEnd || c.nl_before || Is(",") || Is(")") || Is("]") || Is("}")) return {};
      if (Is("(") || Is("[") || Is("{")) {
        auto st = SkipGroup();
        if (!st) return st;
      } else {
        ++p_;
      }
    }
  }

  Result<Value> Expr(int depth) {
    if (depth > kMaxDepth)
      return std::unexpected(
          ErrorAt(file_, Cur().line, Cur().column, "expression nested too deeply (over 64)"));
    auto v = Primary(depth);
    if (!v) return v;
    // An operator after the value on the same line: not evaluated.
    if (Cur().kind == Tk::kPunct && !Cur().nl_before && !Is(",") && !Is(")") && !Is("]") && !Is("}")) {
      v->kind = Value::kOther;
      auto st = SkipRest();
      if (!st) return std::unexpected(st.error());
    }
    return v;
  }

  Result<Value> Primary(int depth) {
    if (depth > kMaxDepth)
      return std::unexpected(
          ErrorAt(file_, Cur().line, Cur().column, "expression nested too deeply (over 64)"));
    const Token& c = Cur();
    Value v;
    v.line = c.line;
    v.column = c.column;
    v.text = c.text;
    if (c.kind == Tk::kString) {
      v.kind = Value::kString;
      v.interp = c.interp;
      ++p_;
    } else if (c.kind == Tk::kNumber) {
      v.kind = Value::kNumber;
      ++p_;
    } else if (c.kind == Tk::kIdent) {
      ++p_;
      if (v.text == "true" || v.text == "false" || v.text == "null") {
        v.kind = Value::kOther;
      } else if ((Is("(") || Is("[")) && !Cur().nl_before) {
        v.kind = Value::kOther;  // a function call or an index
        auto st = SkipGroup();
        if (!st) return std::unexpected(st.error());
      } else {
        v.kind = Value::kRef;
      }
    } else if (Is("[")) {
      v.kind = Value::kList;
      ++p_;
      while (!Is("]")) {
        auto item = Expr(depth + 1);
        if (!item) return item;
        v.items.push_back(std::move(*item));
        if (Is(",")) {
          ++p_;
        } else if (!Is("]")) {
          // A for expression or another form this subset does not evaluate.
          v.kind = Value::kOther;
          v.items.clear();
          while (!Is("]")) {
            if (Cur().kind == Tk::kEnd) return std::unexpected(Unexpected("']'"));
            if (Is("(") || Is("[") || Is("{")) {
              auto st = SkipGroup();
              if (!st) return std::unexpected(st.error());
            } else {
              ++p_;
            }
          }
        }
      }
      ++p_;
    } else if (Is("{")) {
      v.kind = Value::kObject;
      auto st = SkipGroup();  // objects (tags, maps) carry no DNS value here
      if (!st) return std::unexpected(st.error());
    } else if (Is("(")) {
      v.kind = Value::kOther;
      auto st = SkipGroup();
      if (!st) return std::unexpected(st.error());
    } else if (Is("-") || Is("!")) {
      ++p_;
      auto inner = Primary(depth + 1);
      if (!inner) return inner;
      v.kind = Value::kOther;
    } else {
      return std::unexpected(Unexpected("a value (a string, number, list, object or reference)"));
    }
    return v;
  }

  const std::vector<Token>& t_;
  const std::string& file_;
  size_t p_ = 0;
};

// A line that begins (after blanks) with `resource "<type>"`: not commented out.
bool HasResource(std::string_view text, std::string_view type) {
  std::string needle = "resource \"" + std::string(type) + "\"";
  size_t pos = 0;
  while ((pos = text.find(needle, pos)) != std::string_view::npos) {
    size_t k = pos;
    while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t')) --k;
    if (k == 0 || text[k - 1] == '\n') return true;
    pos += needle.size();
  }
  return false;
}

int Recognise(std::string_view bytes, std::string_view file_name) {
  std::string_view head = bytes.substr(0, 1 << 20);
  bool tf = file_name.ends_with(".tf");
  if (HasResource(head, "aws_route53_record")) return 90 + (tf ? 5 : 0);
  if (HasResource(head, "aws_route53_zone")) return 70 + (tf ? 5 : 0);
  return 0;
}

struct Context {
  std::map<std::string, const Value*> locals;  // local.<name> -> a plain string in this file
  std::map<std::string, std::string> zones;    // aws_route53_zone label -> its name
  std::string first_zone;
};

// The string a value stands for, when this file gives it; else the reason
// it does not, for a warning.
bool Resolve(const Value& v, const Context& cx, std::string* out, std::string* why) {
  const Value* x = &v;
  if (x->kind == Value::kRef && x->text.starts_with("local.")) {
    auto it = cx.locals.find(x->text.substr(6));
    if (it != cx.locals.end()) x = it->second;
  }
  if (x->kind == Value::kString && !x->interp) {
    *out = x->text;
    return true;
  }
  if (x->kind == Value::kNumber) {
    *out = x->text;
    return true;
  }
  if (v.kind == Value::kRef)
    *why = "reference " + v.text + " (defined outside this file)";
  else if (v.interp)
    *why = "interpolation in \"" + v.text + "\"";
  else
    *why = "an expression this reader does not evaluate ('" + v.text + "...')";
  return false;
}

// The zone a zone_id attribute names: aws_route53_zone.<label>.zone_id.
std::string ZoneOf(const Block& b, const Context& cx) {
  const Value* z = b.Attr("zone_id");
  if (z && z->kind == Value::kRef && z->text.starts_with("aws_route53_zone.")) {
    std::string_view rest = std::string_view(z->text).substr(17);
    auto it = cx.zones.find(std::string(rest.substr(0, rest.find('.'))));
    if (it != cx.zones.end()) return it->second;
  }
  return cx.first_zone;
}

void AddValue(const std::string& name, const std::string& type, const std::string& zone, const Value& item,
              const Context& cx, dns::ZoneBuilder* builder) {
  std::string text, why;
  if (!Resolve(item, cx, &text, &why)) {
    builder->Warn(item.line, item.column,
                  type + " value of " + name + " is not resolvable from this file: " + why + "; not read",
                  "read the file that defines it, or the zone itself (dig, zone export)");
    return;
  }
  dns::Record r;
  r.name = name;
  r.type = type;
  r.zone = zone;
  r.line = item.line;
  r.column = item.column;
  if (type == "TXT" || type == "SPF") {
    // Route 53 strings over 255 characters are split with \"\" (decoded: "").
    for (size_t k = 0; k < text.size(); ++k) {
      if (text[k] == '"' && k + 1 < text.size() && text[k + 1] == '"') {
        ++k;
        continue;
      }
      r.value += text[k];
    }
  } else if (type == "MX") {
    size_t sp = text.find_first_of(" \t");
    if (sp == std::string::npos) {
      builder->Warn(item.line, item.column,
                    "MX value of " + name + " is not '<preference> <exchange>'; skipped");
      return;
    }
    r.preference = text.substr(0, sp);
    size_t h = text.find_first_not_of(" \t", sp);
    r.value = h == std::string::npos ? std::string() : text.substr(h);
  } else {
    r.value = text;
  }
  builder->Add(r);
}

Result<DiscoveryReport> Read(std::string_view bytes, const std::string& file_name,
                             const DiscoveryOptions& options) {
  DiscoveryReport report;
  report.reader = std::string(kName);
  auto toks = Lexer(bytes, file_name).Run();
  if (!toks) return std::unexpected(toks.error());
  auto root = Parser(*toks, file_name).File();
  if (!root) return std::unexpected(root.error());

  Context cx;
  for (const Block& b : root->blocks) {
    if (b.type == "locals") {
      for (const auto& [k, v] : b.attrs) cx.locals[k] = &v;
    } else if (b.type == "resource" && b.labels.size() == 2 && b.labels[0] == "aws_route53_zone") {
      const Value* n = b.Attr("name");
      std::string name, why;
      if (n && Resolve(*n, cx, &name, &why)) {
        cx.zones[b.labels[1]] = dns::NormaliseHost(name);
        if (cx.first_zone.empty()) cx.first_zone = dns::NormaliseHost(name);
      }
    }
  }
  if (cx.first_zone.empty()) cx.first_zone = dns::NormaliseHost(options.domain);
  report.subject = cx.first_zone;
  dns::ZoneBuilder builder("", file_name, &report);

  size_t route53 = cx.zones.size();
  for (const Block& b : root->blocks) {
    if (b.type == "resource" && b.labels.size() == 2 && b.labels[0] == "aws_route53_record") {
      ++route53;
      if (b.HasBlock("alias")) continue;  // an alias to an AWS resource: hosting, not evidence
      const Value* n = b.Attr("name");
      const Value* t = b.Attr("type");
      std::string name, type, why;
      if (!n || !t) {
        builder.Warn(b.line, b.column,
                     "aws_route53_record \"" + b.labels[1] + "\" has no name or type; skipped");
        continue;
      }
      if (!Resolve(*n, cx, &name, &why)) {
        builder.Warn(n->line, n->column,
                     "name of aws_route53_record \"" + b.labels[1] +
                         "\" is not resolvable from this file: " + why + "; record not read");
        continue;
      }
      if (!Resolve(*t, cx, &type, &why)) {
        builder.Warn(t->line, t->column,
                     "type of aws_route53_record \"" + b.labels[1] +
                         "\" is not resolvable from this file: " + why + "; record not read");
        continue;
      }
      for (char& c : type) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
      if (type != "TXT" && type != "SPF" && type != "MX" && type != "CNAME") continue;
      const Value* records = b.Attr("records");
      if (!records) continue;
      std::string zone = ZoneOf(b, cx);
      if (records->kind == Value::kList) {
        for (const Value& item : records->items) AddValue(name, type, zone, item, cx, &builder);
      } else {
        AddValue(name, type, zone, *records, cx, &builder);
      }
    } else if (b.type == "module") {
      const Value* txt = b.Attr("txt_records");
      if (!txt) continue;
      ++route53;
      std::string zone = ZoneOf(b, cx);
      if (zone.empty()) {
        builder.Warn(b.line, b.column,
                     "module \"" + (b.labels.empty() ? std::string() : b.labels[0]) +
                         "\" sets txt_records but the zone is not known from this file; not read",
                     "give the zone's domain with --domain");
        continue;
      }
      // The module publishes its txt_records at the zone's apex.
      if (txt->kind == Value::kList) {
        for (const Value& item : txt->items) AddValue(zone, "TXT", zone, item, cx, &builder);
      } else {
        AddValue(zone, "TXT", zone, *txt, cx, &builder);
      }
    }
  }
  if (route53 == 0) {
    SourceLocation where;
    where.file = file_name;
    where.line = 1;
    where.column = 1;
    return MakeError(
        ErrorKind::kParse, "no Route 53 zone, record or module with txt_records in this Terraform file",
        std::move(where), "resource \"aws_route53_record\" or resource \"aws_route53_zone\" blocks");
  }
  return report;
}

}  // namespace

DiscoveryReader DnsTerraformReader() {
  return DiscoveryReader{kName, "Terraform AWS Route 53 zone and records (HCL)", &Recognise, &Read};
}

}  // namespace blindspot::discover
