// The reader of a phase's scan.json (docs/formats/evidence.md): what a live
// scan recorded besides the HAR, the parts the audit judges consent by
// (ScanObservations). simdjson On-Demand reads the document into a small tree
// that keeps each value's byte offset, so that every problem, a syntax error
// or a field of the wrong type, is reported with file:line:col and its JSON
// path. Keys the reader does not use are skipped; fields an older scan did not
// write may be absent.
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

#include "blindspot/evidence.h"
#include "evidence/har_util.h"

namespace blindspot {

namespace od = simdjson::ondemand;

bool ScanConsent::HasRole(std::string_view role) const {
  return std::any_of(first_layer_buttons.begin(), first_layer_buttons.end(),
                     [&](const ConsentButton& b) { return b.role == role; });
}

bool ScanObservations::Declares(std::string_view cookie_name) const {
  auto matches = [&](std::string_view declared) {
    // Declarations name cookie families with a trailing wildcard or "xxx" ("_ga_*", "_ga_xxxxxxx").
    if (declared == cookie_name) return true;
    if (declared.ends_with('*')) return cookie_name.starts_with(declared.substr(0, declared.size() - 1));
    return false;
  };
  for (const DeclaredCategory& c : cmp_categories)
    for (const DeclaredCookie& d : c.cookies)
      if (matches(d.name)) return true;
  for (const PageDeclarationRow& r : page_declarations)
    if (!r.cells.empty() && matches(r.cells.front())) return true;
  return false;
}

namespace {

constexpr int kMaxDepth = 256;

// A JSON value with the byte offset where it starts.
struct Node {
  enum class Type { kNull, kBool, kInt, kDouble, kString, kArray, kObject };
  Type type = Type::kNull;
  uint64_t offset = 0;
  bool boolean = false;
  int64_t integer = 0;
  double number = 0;
  std::string text;
  std::vector<std::pair<std::string, Node>> fields;
  std::vector<Node> items;

  const Node* Get(std::string_view key) const {
    for (const auto& [k, v] : fields)
      if (k == key) return &v;
    return nullptr;
  }
};

std::string_view TypeName(Node::Type t) {
  switch (t) {
    case Node::Type::kNull:
      return "null";
    case Node::Type::kBool:
      return "a boolean";
    case Node::Type::kInt:
    case Node::Type::kDouble:
      return "a number";
    case Node::Type::kString:
      return "a string";
    case Node::Type::kArray:
      return "an array";
    case Node::Type::kObject:
      return "an object";
  }
  return "a value";
}

Error At(std::string_view text, const std::string& label, uint64_t offset, ErrorKind kind,
         std::string message, std::string expected, std::string path) {
  Error e;
  e.kind = kind;
  e.where.file = label;
  uint32_t line = 0, column = 0;
  offset = std::min<uint64_t>(offset, text.size());
  evidence_internal::LineColumn(text, offset, &line, &column);
  e.where.line = line;
  e.where.column = column;
  size_t start = offset - (column - 1);
  size_t end = text.find('\n', offset);
  if (end == std::string_view::npos) end = text.size();
  if (end - start <= 160) e.source_line = std::string(text.substr(start, end - start));
  e.message = path.empty() ? std::move(message) : path + ": " + message;
  e.expected = std::move(expected);
  e.path = std::move(path);
  return e;
}

class TreeReader {
 public:
  TreeReader(std::string_view text, const std::string& label) : text_(text), label_(label) {}

  Result<Node> Read() {
    simdjson::padded_string padded(text_);
    base_ = padded.data();
    od::parser parser;
    od::document doc;
    doc_ = &doc;
    if (auto e = parser.iterate(padded).get(doc)) return Syntax(e, 0);
    od::object top;
    if (auto e = doc.get_object().get(top)) {
      if (e == simdjson::INCORRECT_TYPE)
        return std::unexpected(At(text_, label_, FirstNonBlank(), ErrorKind::kSchema,
                                  "expected an object at the top level", "a scan.json object", ""));
      return Syntax(e, Current());
    }
    Node root;
    root.type = Node::Type::kObject;
    root.offset = FirstNonBlank();
    if (!Fields(top, root, 1)) return std::unexpected(std::move(error_));
    const char* rest = nullptr;
    if (doc.current_location().get(rest) == simdjson::SUCCESS)  // something after the object
      return std::unexpected(At(text_, label_, OffsetOf(rest), ErrorKind::kParse,
                                "content after the JSON object", "the end of the file", ""));
    return root;
  }

 private:
  uint64_t OffsetOf(const char* p) const {
    if (p < base_) return 0;
    return std::min<uint64_t>(static_cast<uint64_t>(p - base_), text_.size());
  }
  uint64_t Current() {
    const char* p = nullptr;
    if (doc_->current_location().get(p) == simdjson::SUCCESS) return OffsetOf(p);
    return text_.size();
  }
  uint64_t FirstNonBlank() const {
    size_t i = text_.find_first_not_of(" \t\r\n");
    return i == std::string_view::npos ? text_.size() : i;
  }
  std::unexpected<Error> Syntax(simdjson::error_code e, uint64_t offset) {
    if (text_.find_first_not_of(" \t\r\n") == std::string_view::npos)
      return std::unexpected(
          At(text_, label_, 0, ErrorKind::kParse, "empty file, not JSON", "a scan.json object", ""));
    return std::unexpected(At(text_, label_, offset, ErrorKind::kParse,
                              fmt::format("not valid JSON: {}", simdjson::error_message(e)),
                              "a scan.json written by 'blindspot scan'", ""));
  }
  bool Fail(simdjson::error_code e, uint64_t offset) {
    error_ = Syntax(e, offset).error();
    return false;
  }

  bool Fields(od::object& obj, Node& out, int depth) {
    for (auto field : obj) {
      od::field f;
      if (auto e = std::move(field).get(f)) return Fail(e, Current());
      std::string_view key;
      if (auto e = f.unescaped_key().get(key)) return Fail(e, Current());
      Node child;
      od::value v = f.value();
      if (!Value(v, child, depth + 1)) return false;
      out.fields.emplace_back(std::string(key), std::move(child));
    }
    return true;
  }

  bool Value(od::value& v, Node& out, int depth) {
    if (depth > kMaxDepth) return Fail(simdjson::DEPTH_ERROR, Current());
    out.offset = OffsetOf(v.raw_json_token().data());
    od::json_type type;
    if (auto e = v.type().get(type)) return Fail(e, out.offset);
    switch (type) {
      case od::json_type::object: {
        out.type = Node::Type::kObject;
        od::object obj;
        if (auto e = v.get_object().get(obj)) return Fail(e, out.offset);
        return Fields(obj, out, depth);
      }
      case od::json_type::array: {
        out.type = Node::Type::kArray;
        od::array arr;
        if (auto e = v.get_array().get(arr)) return Fail(e, out.offset);
        for (auto item : arr) {
          od::value iv;
          if (auto e = std::move(item).get(iv)) return Fail(e, Current());
          Node child;
          if (!Value(iv, child, depth + 1)) return false;
          out.items.push_back(std::move(child));
        }
        return true;
      }
      case od::json_type::string: {
        out.type = Node::Type::kString;
        std::string_view s;
        if (auto e = v.get_string().get(s)) return Fail(e, out.offset);
        out.text = std::string(s);
        return true;
      }
      case od::json_type::number: {
        od::number n;
        if (auto e = v.get_number().get(n)) return Fail(e, out.offset);
        if (n.is_int64()) {
          out.type = Node::Type::kInt;
          out.integer = n.get_int64();
        } else {
          out.type = Node::Type::kDouble;
          out.number = n.as_double();
        }
        return true;
      }
      case od::json_type::boolean: {
        out.type = Node::Type::kBool;
        if (auto e = v.get_bool().get(out.boolean)) return Fail(e, out.offset);
        return true;
      }
      case od::json_type::null: {
        out.type = Node::Type::kNull;
        bool is_null = false;
        if (auto e = v.is_null().get(is_null); e || !is_null)
          return Fail(e ? e : simdjson::N_ATOM_ERROR, out.offset);
        return true;
      }
      default:
        return Fail(simdjson::TAPE_ERROR, out.offset);
    }
  }

  std::string_view text_;
  const std::string& label_;
  const char* base_ = nullptr;
  od::document* doc_ = nullptr;
  Error error_;
};

// Reads the fields of the tree into ScanObservations; the first problem wins.
class Shape {
 public:
  Shape(std::string_view text, const std::string& label) : text_(text), label_(label) {}

  bool WrongType(const Node& n, const std::string& path, std::string_view expected) {
    if (error_) return false;
    error_ =
        At(text_, label_, n.offset, ErrorKind::kSchema,
           fmt::format("expected {}, found {}", expected, TypeName(n.type)), std::string(expected), path);
    return false;
  }
  static std::string Sub(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }
  static std::string Index(const std::string& path, size_t i) { return fmt::format("{}[{}]", path, i); }

  // Optional string (null reads as absent when `null_ok`).
  bool Str(const Node& obj, std::string_view key, const std::string& path, std::string* out,
           bool null_ok = false) {
    const Node* v = obj.Get(key);
    if (!v || (null_ok && v->type == Node::Type::kNull)) return true;
    if (v->type != Node::Type::kString) return WrongType(*v, Sub(path, key), "a string");
    *out = v->text;
    return true;
  }
  bool Bool(const Node& obj, std::string_view key, const std::string& path, bool* out) {
    const Node* v = obj.Get(key);
    if (!v) return true;
    if (v->type != Node::Type::kBool) return WrongType(*v, Sub(path, key), "true or false");
    *out = v->boolean;
    return true;
  }
  bool OptBool(const Node& obj, std::string_view key, const std::string& path, std::optional<bool>* out) {
    const Node* v = obj.Get(key);
    if (!v || v->type == Node::Type::kNull) return true;
    if (v->type != Node::Type::kBool) return WrongType(*v, Sub(path, key), "true, false or null");
    *out = v->boolean;
    return true;
  }
  bool Int(const Node& obj, std::string_view key, const std::string& path, std::optional<int64_t>* out) {
    const Node* v = obj.Get(key);
    if (!v) return true;
    if (v->type != Node::Type::kInt || v->integer < 0)
      return WrongType(*v, Sub(path, key), "a whole number >= 0");
    *out = v->integer;
    return true;
  }
  bool Number(const Node& obj, std::string_view key, const std::string& path, double* out) {
    const Node* v = obj.Get(key);
    if (!v) return true;
    if (v->type == Node::Type::kInt) {
      *out = static_cast<double>(v->integer);
      return true;
    }
    if (v->type != Node::Type::kDouble) return WrongType(*v, Sub(path, key), "a number");
    *out = v->number;
    return true;
  }
  bool Strings(const Node& obj, std::string_view key, const std::string& path,
               std::vector<std::string>* out) {
    const Node* list = nullptr;
    if (!Arr(obj, key, path, &list)) return false;
    for (size_t i = 0; list && i < list->items.size(); ++i) {
      if (list->items[i].type != Node::Type::kString)
        return WrongType(list->items[i], Index(Sub(path, key), i), "a string");
      out->push_back(list->items[i].text);
    }
    return true;
  }
  // An array member (absent or null: nullptr and true).
  bool Arr(const Node& obj, std::string_view key, const std::string& path, const Node** out) {
    *out = nullptr;
    const Node* v = obj.Get(key);
    if (!v || v->type == Node::Type::kNull) return true;
    if (v->type != Node::Type::kArray) return WrongType(*v, Sub(path, key), "an array");
    *out = v;
    return true;
  }
  bool IsObject(const Node& n, const std::string& path) {
    return n.type == Node::Type::kObject || WrongType(n, path, "an object");
  }

  bool Consent(const Node& c, ScanConsent* out) {
    const std::string p = "consent";
    if (!IsObject(c, p)) return false;
    if (!Str(c, "result", p, &out->result)) return false;
    out->recorded = !out->result.empty();
    if (!Bool(c, "banner_found", p, &out->banner_found) ||
        !Str(c, "consent_manager", p, &out->consent_manager, true) || !Str(c, "action", p, &out->action) ||
        !OptBool(c, "self_test", p, &out->self_test) || !Int(c, "clicks", p, &out->clicks))
      return false;
    if (const Node* again = c.Get("banner_shown_again"); again && again->type != Node::Type::kNull) {
      if (again->type != Node::Type::kBool)
        return WrongType(*again, Sub(p, "banner_shown_again"), "true or false");
      out->shown_again = again->boolean;
    }
    const Node* buttons = nullptr;
    if (!Arr(c, "first_layer_buttons", p, &buttons)) return false;
    if (buttons) {
      out->has_buttons = true;
      std::string bp = Sub(p, "first_layer_buttons");
      for (size_t i = 0; i < buttons->items.size(); ++i) {
        const Node& b = buttons->items[i];
        std::string ip = Index(bp, i);
        if (!IsObject(b, ip)) return false;
        ConsentButton button;
        if (!Str(b, "text", ip, &button.text) || !Str(b, "role", ip, &button.role)) return false;
        out->first_layer_buttons.push_back(std::move(button));
      }
    }
    const Node* toggles = nullptr;
    if (!Arr(c, "second_layer", p, &toggles)) return false;
    if (toggles) {
      out->has_second_layer = true;
      std::string tp = Sub(p, "second_layer");
      for (size_t i = 0; i < toggles->items.size(); ++i) {
        const Node& t = toggles->items[i];
        std::string ip = Index(tp, i);
        if (!IsObject(t, ip)) return false;
        ConsentToggle toggle;
        if (!Str(t, "category", ip, &toggle.category) || !Str(t, "key", ip, &toggle.key) ||
            !Str(t, "kind", ip, &toggle.kind) || !Bool(t, "checked", ip, &toggle.checked) ||
            !Bool(t, "disabled", ip, &toggle.disabled))
          return false;
        if (toggle.kind.empty()) toggle.kind = "category";
        out->second_layer.push_back(std::move(toggle));
      }
    }
    if (const Node* b = c.Get("banner"); b && b->type != Node::Type::kNull) {
      std::string bp = Sub(p, "banner");
      if (!IsObject(*b, bp)) return false;
      std::optional<int64_t> page;
      BannerBox& box = out->banner;
      if (!Int(*b, "page", bp, &page) || !Number(*b, "viewport_share", bp, &box.viewport_share) ||
          !Bool(*b, "scroll_locked", bp, &box.scroll_locked) || !Bool(*b, "inert", bp, &box.inert) ||
          !Strings(*b, "paywall_terms", bp, &box.paywall_terms))
        return false;
      if (box.viewport_share < 0 || box.viewport_share > 1)
        return WrongType(*b->Get("viewport_share"), Sub(bp, "viewport_share"), "a number from 0 to 1");
      box.page = page ? static_cast<uint64_t>(*page) : 0;
      box.recorded = true;
    }
    if (const Node* t = c.Get("tcf"); t && t->type != Node::Type::kNull) {
      std::string tp = Sub(p, "tcf");
      if (!IsObject(*t, tp)) return false;
      if (!Str(*t, "tc_string", tp, &out->tc_string) || !Str(*t, "from", tp, &out->tc_from)) return false;
    }
    return true;
  }

  bool Cookies(const Node& list, std::vector<ScanCookie>* out) {
    for (size_t i = 0; i < list.items.size(); ++i) {
      const Node& c = list.items[i];
      std::string p = Index("cookies", i);
      if (!IsObject(c, p)) return false;
      ScanCookie k;
      std::optional<int64_t> first_page;
      if (!Str(c, "name", p, &k.name) || !Str(c, "domain", p, &k.domain) ||
          !Bool(c, "session", p, &k.session) || !Bool(c, "third_party", p, &k.third_party) ||
          !Str(c, "set_by", p, &k.set_by) || !Int(c, "first_page", p, &first_page) ||
          !Int(c, "lifetime_days", p, &k.lifetime_days))
        return false;
      k.first_page = first_page ? static_cast<uint64_t>(*first_page) : 0;
      out->push_back(std::move(k));
    }
    return true;
  }

  bool Declaration(const Node& d, ScanObservations* out) {
    const std::string p = "cmp_declaration";
    if (!IsObject(d, p)) return false;
    out->has_cmp_declaration = true;
    if (!Str(d, "consent_manager", p, &out->cmp_declaration_manager, true)) return false;
    const Node* cats = nullptr;
    if (!Arr(d, "categories", p, &cats)) return false;
    if (!cats) return true;
    for (size_t i = 0; i < cats->items.size(); ++i) {
      const Node& c = cats->items[i];
      std::string cp = Index(Sub(p, "categories"), i);
      if (!IsObject(c, cp)) return false;
      DeclaredCategory cat;
      if (!Str(c, "id", cp, &cat.id) || !Str(c, "name", cp, &cat.name) || !Str(c, "status", cp, &cat.status))
        return false;
      const Node* cookies = nullptr;
      if (!Arr(c, "cookies", cp, &cookies)) return false;
      for (size_t j = 0; cookies && j < cookies->items.size(); ++j) {
        const Node& k = cookies->items[j];
        std::string kp = Index(Sub(cp, "cookies"), j);
        if (!IsObject(k, kp)) return false;
        DeclaredCookie dc;
        if (!Str(k, "name", kp, &dc.name) || !Str(k, "host", kp, &dc.host) ||
            !Str(k, "lifetime", kp, &dc.lifetime))
          return false;
        cat.cookies.push_back(std::move(dc));
      }
      out->cmp_categories.push_back(std::move(cat));
    }
    return true;
  }

  bool Pages(const Node& list, ScanObservations* out) {
    for (size_t i = 0; i < list.items.size(); ++i) {
      const Node& pg = list.items[i];
      std::string p = Index("pages", i);
      if (!IsObject(pg, p)) return false;
      std::optional<int64_t> index;
      if (!Int(pg, "index", p, &index)) return false;
      ScanPage page;
      page.index = index ? static_cast<uint64_t>(*index) : i + 1;
      std::string error;
      if (!Str(pg, "url", p, &page.url) || !Str(pg, "error", p, &error) ||
          !Str(pg, "tc_string", p, &page.tc_string))
        return false;
      page.failed = !error.empty();
      page.has_hosts = pg.Get("third_party_hosts") != nullptr;
      if (!Strings(pg, "third_party_hosts", p, &page.third_party_hosts)) return false;
      out->pages.push_back(std::move(page));
      const Node* rows = nullptr;
      if (!Arr(pg, "cookie_declaration", p, &rows)) return false;
      for (size_t r = 0; rows && r < rows->items.size(); ++r) {
        const Node& row = rows->items[r];
        std::string rp = Index(Sub(p, "cookie_declaration"), r);
        if (row.type != Node::Type::kArray) return WrongType(row, rp, "an array of strings");
        PageDeclarationRow out_row;
        out_row.page = index ? static_cast<uint64_t>(*index) : i + 1;
        for (size_t k = 0; k < row.items.size(); ++k) {
          if (row.items[k].type != Node::Type::kString)
            return WrongType(row.items[k], Index(rp, k), "a string");
          out_row.cells.push_back(row.items[k].text);
        }
        out->page_declarations.push_back(std::move(out_row));
      }
    }
    return true;
  }

  Result<ScanObservations> Read(const Node& root) {
    ScanObservations out;
    out.file = label_;
    std::string phase;
    if (!Str(root, "phase", "", &phase)) return std::unexpected(*error_);
    out.phase = ParseConsentPhase(phase);
    if (const Node* c = root.Get("consent"); c && c->type != Node::Type::kNull)
      if (!Consent(*c, &out.consent)) return std::unexpected(*error_);
    const Node* list = nullptr;
    if (!Arr(root, "cookies", "", &list) || (list && !Cookies(*list, &out.cookies)))
      return std::unexpected(*error_);
    if (const Node* d = root.Get("cmp_declaration"); d && d->type != Node::Type::kNull)
      if (!Declaration(*d, &out)) return std::unexpected(*error_);
    if (!Arr(root, "pages", "", &list) || (list && !Pages(*list, &out))) return std::unexpected(*error_);
    return out;
  }

 private:
  std::string_view text_;
  const std::string& label_;
  std::optional<Error> error_;
};

}  // namespace

Result<ScanObservations> ParseScanObservations(std::string_view json, const std::string& label) {
  TreeReader reader(json, label);
  auto root = reader.Read();
  if (!root) return std::unexpected(root.error());
  return Shape(json, label).Read(*root);
}

}  // namespace blindspot
