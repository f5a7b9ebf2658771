#include "domain/oscal.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>
#include <utility>

#include "domain/oscal_paths.h"
#include "domain/record.h"

namespace rampart::domain {

namespace {

Status TooLarge(std::string message, std::string field) {
  return {Code::kTooLarge, std::move(message), std::move(field)};
}

std::string Quoted(std::string_view s) {
  // Ids in messages are the document's own text: long ones are cut (at a character boundary, so
  // that the message stays UTF-8).
  constexpr size_t kMax = 80;
  std::string out = "\"";
  if (s.size() <= kMax) {
    out.append(s);
  } else {
    size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    out.append(s.substr(0, cut));
    out += "...";
  }
  out += '"';
  return out;
}

std::string Member(std::string_view base, std::string_view key) {
  std::string out(base);
  if (!out.empty()) out += '.';
  out.append(key);
  return out;
}

// The document's size and how deeply its arrays and objects nest, checked on the text before
// parsing so that a hostile document costs no more than one pass over it.
Status CheckDocument(std::string_view text, const char* root) {
  if (text.size() > kOscalMaxDocumentBytes) {
    return TooLarge("the document is larger than 64 MiB", root);
  }
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kOscalMaxJsonDepth) {
        return TooLarge("the document nests arrays and objects more than " +
                            std::to_string(kOscalMaxJsonDepth) + " deep",
                        root);
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return Status::Ok();
}

Result<Json> ParseDocument(std::string_view text, const char* root) {
  RETURN_IF_ERROR(CheckDocument(text, root));
  Json doc = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return InvalidArgument("the document is not JSON", root);
  if (!doc.is_object() || !doc.contains(root) || !doc[root].is_object()) {
    return InvalidArgument(std::string("the document has no \"") + root + "\" object", root);
  }
  return doc;
}

// --- Reading members of untrusted JSON --------------------------------------------------------

enum class Presence { kOptional, kRequired };

// `obj` is an object. nullptr when it has no member `key`.
const Json* Find(const Json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

Status ReadString(const Json& obj, std::string_view key, std::string_view where, Presence presence,
                  std::string& out) {
  const Json* v = Find(obj, key);
  if (v == nullptr) {
    if (presence == Presence::kRequired) {
      return InvalidArgument(std::string(key) + " is required", Member(where, key));
    }
    return Status::Ok();
  }
  if (!v->is_string()) {
    return InvalidArgument(std::string(key) + " must be a string", Member(where, key));
  }
  out = v->get<std::string>();
  if (presence == Presence::kRequired && out.empty()) {
    return InvalidArgument(std::string(key) + " is required", Member(where, key));
  }
  return Status::Ok();
}

// The member `key` as an array, or nullptr when absent.
Status ReadArray(const Json& obj, std::string_view key, std::string_view where, const Json*& out) {
  out = Find(obj, key);
  if (out != nullptr && !out->is_array()) {
    return InvalidArgument(std::string(key) + " must be an array", Member(where, key));
  }
  return Status::Ok();
}

Status ReadObject(const Json& v, const std::string& field) {
  if (!v.is_object()) return InvalidArgument("must be an object", field);
  return Status::Ok();
}

// Calls `read(item, at)` for each item of the array member `key` (absent: none), each of which
// must be an object; `at` is the item's field path ("controls[3].props[1]").
template <typename Read>
Status ForEachObject(const Json& obj, std::string_view key, std::string_view where, Read&& read) {
  const Json* arr = nullptr;
  RETURN_IF_ERROR(ReadArray(obj, key, where, arr));
  for (size_t i = 0; arr != nullptr && i < arr->size(); ++i) {
    const std::string at = OscalIndexed(where, key, i);
    RETURN_IF_ERROR(ReadObject((*arr)[i], at));
    RETURN_IF_ERROR(read((*arr)[i], at));
  }
  return Status::Ok();
}

Status ReadStrings(const Json& obj, std::string_view key, std::string_view where,
                   std::vector<std::string>& out) {
  const Json* arr = nullptr;
  RETURN_IF_ERROR(ReadArray(obj, key, where, arr));
  if (arr == nullptr) return Status::Ok();
  for (size_t i = 0; i < arr->size(); ++i) {
    const Json& v = (*arr)[i];
    if (!v.is_string()) return InvalidArgument("must be a string", OscalIndexed(where, key, i));
    out.push_back(v.get<std::string>());
  }
  return Status::Ok();
}

Status ReadProps(const Json& obj, std::string_view where, std::vector<OscalProperty>& out) {
  return ForEachObject(obj, "props", where, [&](const Json& p, const std::string& at) {
    OscalProperty prop;
    RETURN_IF_ERROR(ReadString(p, "name", at, Presence::kRequired, prop.name));
    RETURN_IF_ERROR(ReadString(p, "value", at, Presence::kOptional, prop.value));
    RETURN_IF_ERROR(ReadString(p, "class", at, Presence::kOptional, prop.class_name));
    RETURN_IF_ERROR(ReadString(p, "ns", at, Presence::kOptional, prop.ns));
    out.push_back(std::move(prop));
    return Status::Ok();
  });
}

Status ReadSelection(const Json& obj, std::string_view where, std::optional<OscalSelection>& out) {
  const Json* sel = Find(obj, "select");
  if (sel == nullptr) return Status::Ok();
  const std::string at = Member(where, "select");
  RETURN_IF_ERROR(ReadObject(*sel, at));
  OscalSelection s;
  RETURN_IF_ERROR(ReadString(*sel, "how-many", at, Presence::kOptional, s.how_many));
  RETURN_IF_ERROR(ReadStrings(*sel, "choice", at, s.choices));
  out = std::move(s);
  return Status::Ok();
}

Status ReadParams(const Json& obj, std::string_view where, std::vector<OscalParameter>& out) {
  return ForEachObject(obj, "params", where, [&](const Json& p, const std::string& at) {
    OscalParameter param;
    RETURN_IF_ERROR(ReadString(p, "id", at, Presence::kRequired, param.id));
    RETURN_IF_ERROR(ReadString(p, "class", at, Presence::kOptional, param.class_name));
    RETURN_IF_ERROR(ReadString(p, "label", at, Presence::kOptional, param.label));
    RETURN_IF_ERROR(ReadStrings(p, "values", at, param.values));
    RETURN_IF_ERROR(ReadSelection(p, at, param.select));
    RETURN_IF_ERROR(ReadProps(p, at, param.props));
    RETURN_IF_ERROR(ForEachObject(p, "guidelines", at, [&](const Json& g, const std::string& gat) {
      std::string prose;
      RETURN_IF_ERROR(ReadString(g, "prose", gat, Presence::kOptional, prose));
      param.guidelines.push_back(std::move(prose));
      return Status::Ok();
    }));
    out.push_back(std::move(param));
    return Status::Ok();
  });
}

// `level` is the nesting of the parts read: 1 for a control's own parts.
Status ReadParts(const Json& obj, std::string_view where, int level, std::vector<OscalPart>& out) {
  const Json* arr = nullptr;
  RETURN_IF_ERROR(ReadArray(obj, "parts", where, arr));
  if (arr == nullptr || arr->empty()) return Status::Ok();
  if (level > kOscalMaxPartNesting) {
    return TooLarge("parts nest more than " + std::to_string(kOscalMaxPartNesting) + " deep",
                    Member(where, "parts"));
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string at = OscalIndexed(where, "parts", i);
    const Json& p = (*arr)[i];
    RETURN_IF_ERROR(ReadObject(p, at));
    OscalPart part;
    RETURN_IF_ERROR(ReadString(p, "name", at, Presence::kRequired, part.name));
    RETURN_IF_ERROR(ReadString(p, "id", at, Presence::kOptional, part.id));
    RETURN_IF_ERROR(ReadString(p, "ns", at, Presence::kOptional, part.ns));
    RETURN_IF_ERROR(ReadString(p, "class", at, Presence::kOptional, part.class_name));
    RETURN_IF_ERROR(ReadString(p, "title", at, Presence::kOptional, part.title));
    RETURN_IF_ERROR(ReadString(p, "prose", at, Presence::kOptional, part.prose));
    RETURN_IF_ERROR(ReadProps(p, at, part.props));
    RETURN_IF_ERROR(ReadParts(p, at, level + 1, part.parts));
    out.push_back(std::move(part));
  }
  return Status::Ok();
}

// A label prop without a class, else the first label prop.
std::string LabelOf(const std::vector<OscalProperty>& props) {
  const OscalProperty* first = nullptr;
  for (const auto& p : props) {
    if (p.name != "label") continue;
    if (p.class_name.empty()) return p.value;
    if (first == nullptr) first = &p;
  }
  return first == nullptr ? std::string() : first->value;
}

// The control's label, sort id and withdrawn flag, from its props.
void DeriveFromProps(OscalControl& c) {
  c.label = LabelOf(c.props);
  c.sort_id.clear();
  c.withdrawn = false;
  for (const auto& p : c.props) {
    if (p.name == "sort-id" && c.sort_id.empty()) c.sort_id = p.value;
    if (p.name == "status" && p.value == "withdrawn") c.withdrawn = true;
  }
}

// --- Rendering statements and guidance as text ------------------------------------------------

// Renders a control's statement and guidance, replacing parameter insertions. Every byte of
// prose read and of text written counts against kOscalMaxRenderedText, so that insertions
// multiplying text (a selection inserting parameters, a statement inserting one many times)
// stay bounded.
class TextRenderer {
 public:
  // The parameters of `controls`, which must outlive the renderer and keep their params.
  explicit TextRenderer(const std::vector<OscalControl>& controls) {
    for (const auto& c : controls) {
      for (const auto& p : c.params) params_.emplace(p.id, &p);  // the first of an id wins
    }
  }

  // Sets c.statement and c.guidance; kTooLarge once the work is over the limit.
  Status Render(OscalControl& c, const std::string& field) {
    c.statement = RenderParts(c, "statement");
    c.guidance = RenderParts(c, "guidance");
    if (exceeded_) {
      return TooLarge("rendering the statements takes more than 128 MiB of text", field);
    }
    return Status::Ok();
  }

 private:
  // Selections are expanded in text and in a selection's choices, not deeper: a parameter
  // inserted there shows its values or label.
  static constexpr int kMaxInsertLevel = 2;

  bool Charge(size_t bytes) {
    work_ += bytes;
    if (work_ > kOscalMaxRenderedText) exceeded_ = true;
    return !exceeded_;
  }

  const OscalParameter* FindParam(const OscalControl& c, std::string_view id) {
    Charge(c.params.size());
    for (const auto& p : c.params) {
      if (p.id == id) return &p;
    }
    auto it = params_.find(id);
    return it == params_.end() ? nullptr : it->second;
  }

  static void SkipSpaces(std::string_view s, size_t& i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  }
  static bool Expect(std::string_view s, size_t& i, std::string_view word) {
    if (s.substr(i, word.size()) != word) return false;
    i += word.size();
    return true;
  }

  // "{{ insert: param, <id> }}" at s[at]: the id and the index after the closing braces.
  static bool MatchInsert(std::string_view s, size_t at, std::string_view& id, size_t& end) {
    size_t i = at + 2;
    SkipSpaces(s, i);
    if (!Expect(s, i, "insert")) return false;
    SkipSpaces(s, i);
    if (!Expect(s, i, ":")) return false;
    SkipSpaces(s, i);
    if (!Expect(s, i, "param")) return false;
    SkipSpaces(s, i);
    if (!Expect(s, i, ",")) return false;
    SkipSpaces(s, i);
    const size_t start = i;
    while (i < s.size() && s[i] != '}' && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
           s[i] != '\r' && s[i] != '{') {
      ++i;
    }
    if (i == start) return false;
    id = s.substr(start, i - start);
    SkipSpaces(s, i);
    if (!Expect(s, i, "}}")) return false;
    end = i;
    return true;
  }

  void Append(std::string& out, std::string_view text) {
    if (!Charge(text.size())) return;
    out.append(text);
  }

  void AppendProse(std::string_view prose, const OscalControl& c, int level, std::string& out) {
    if (!Charge(prose.size())) return;
    size_t pos = 0;
    while (!exceeded_) {
      const size_t at = prose.find("{{", pos);
      if (at == std::string_view::npos) break;
      out.append(prose.substr(pos, at - pos));
      std::string_view id;
      size_t end = 0;
      if (MatchInsert(prose, at, id, end)) {
        AppendParam(id, c, level, out);
        pos = end;
      } else {
        out.append("{{");
        pos = at + 2;
      }
    }
    if (!exceeded_) out.append(prose.substr(pos));
  }

  void AppendParam(std::string_view id, const OscalControl& c, int level, std::string& out) {
    const OscalParameter* p = FindParam(c, id);
    if (p != nullptr && !p->values.empty()) {
      for (size_t i = 0; i < p->values.size() && !exceeded_; ++i) {
        if (i > 0) Append(out, ", ");
        Append(out, p->values[i]);
      }
    } else if (p != nullptr && p->select.has_value() && level < kMaxInsertLevel) {
      Append(out,
             p->select->how_many == "one-or-more" ? "[Selection (one or more): " : "[Selection: ");
      for (size_t i = 0; i < p->select->choices.size() && !exceeded_; ++i) {
        if (i > 0) Append(out, "; ");
        std::string choice;
        AppendProse(p->select->choices[i], c, level + 1, choice);
        Append(out, Trimmed(choice));
      }
      Append(out, "]");
    } else {
      Append(out, "[Assignment: ");
      Append(out, p != nullptr && !p->label.empty() ? std::string_view(p->label) : id);
      Append(out, "]");
    }
  }

  static std::string_view Trimmed(std::string_view s) {
    const size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
  }

  // The part's line: its label, title and prose, indented two spaces a level.
  void AppendLine(const OscalPart& part, const OscalControl& c, int depth, std::string& out) {
    Charge(1 + part.props.size());
    std::string text;
    AppendProse(part.prose, c, 0, text);
    const std::string_view prose = Trimmed(text);
    std::string line = LabelOf(part.props);
    if (!part.title.empty()) {
      if (!line.empty()) line += ' ';
      line += part.title;
      if (!prose.empty()) line += ':';
    }
    if (!prose.empty()) {
      if (!line.empty()) line += ' ';
      line.append(prose);
    }
    if (line.empty()) return;
    if (!out.empty()) Append(out, "\n");
    Append(out, std::string(2 * static_cast<size_t>(depth), ' '));
    Append(out, line);
  }

  // The part's line, then its parts one level deeper (parts nest at most kOscalMaxPartNesting).
  void AppendPart(const OscalPart& part, const OscalControl& c, int depth, std::string& out) {
    AppendLine(part, c, depth, out);
    for (const auto& child : part.parts) {
      if (exceeded_) return;
      AppendPart(child, c, depth + 1, out);
    }
  }

  std::string RenderParts(const OscalControl& c, std::string_view name) {
    std::string out;
    for (const auto& part : c.parts) {
      if (part.name != name || exceeded_) continue;
      // The statement's own items are the first level of the text.
      AppendLine(part, c, 0, out);
      for (const auto& child : part.parts) {
        if (exceeded_) break;
        AppendPart(child, c, 0, out);
      }
    }
    return out;
  }

  std::unordered_map<std::string_view, const OscalParameter*> params_;
  size_t work_ = 0;
  bool exceeded_ = false;
};

Status RenderAll(std::vector<OscalControl>& controls) {
  TextRenderer renderer(controls);
  for (size_t i = 0; i < controls.size(); ++i) {
    RETURN_IF_ERROR(renderer.Render(controls[i], OscalIndexed("", "controls", i)));
  }
  return Status::Ok();
}

// --- Catalogs -----------------------------------------------------------------------------------

class CatalogReader {
 public:
  explicit CatalogReader(OscalCatalog& out) : out_(out) {}

  // The groups and controls of `container` (the catalog or a group at `path`), at `level`.
  Status ReadContainer(const Json& container, const std::string& path, int level,
                       const std::string& group_id, const std::string& group_title) {
    const Json* groups = nullptr;
    RETURN_IF_ERROR(ReadArray(container, "groups", path, groups));
    const Json* controls = nullptr;
    RETURN_IF_ERROR(ReadArray(container, "controls", path, controls));
    if (((groups != nullptr && !groups->empty()) || (controls != nullptr && !controls->empty())) &&
        level > kOscalMaxNesting) {
      return TooLarge(
          "groups and controls nest more than " + std::to_string(kOscalMaxNesting) + " deep",
          Member(path, groups != nullptr && !groups->empty() ? "groups" : "controls"));
    }
    // OSCAL puts a container's controls before its groups.
    for (size_t i = 0; controls != nullptr && i < controls->size(); ++i) {
      RETURN_IF_ERROR(ReadControl((*controls)[i], level, group_id, group_title, ""));
    }
    for (size_t i = 0; groups != nullptr && i < groups->size(); ++i) {
      const std::string at = OscalIndexed(path, "groups", i);
      const Json& g = (*groups)[i];
      RETURN_IF_ERROR(ReadObject(g, at));
      std::string id;
      std::string title;
      RETURN_IF_ERROR(ReadString(g, "id", at, Presence::kOptional, id));
      RETURN_IF_ERROR(ReadString(g, "title", at, Presence::kRequired, title));
      RETURN_IF_ERROR(ReadContainer(g, at, level + 1, id, title));
    }
    return Status::Ok();
  }

 private:
  Status ReadControl(const Json& c, int level, const std::string& group_id,
                     const std::string& group_title, const std::string& parent_id) {
    const size_t index = out_.controls.size();
    const std::string at = OscalIndexed("", "controls", index);
    if (index >= kOscalMaxControls) {
      return TooLarge(
          "the catalog has more than " + std::to_string(kOscalMaxControls) + " controls", at);
    }
    RETURN_IF_ERROR(ReadObject(c, at));
    OscalControl control;
    RETURN_IF_ERROR(ReadString(c, "id", at, Presence::kRequired, control.id));
    RETURN_IF_ERROR(ReadString(c, "title", at, Presence::kRequired, control.title));
    RETURN_IF_ERROR(ReadString(c, "class", at, Presence::kOptional, control.class_name));
    auto [seen, inserted] = ids_.emplace(control.id, index);
    if (!inserted) {
      return InvalidArgument("control id " + Quoted(control.id) + " is also that of controls[" +
                                 std::to_string(seen->second) + "]",
                             Member(at, "id"));
    }
    RETURN_IF_ERROR(ReadParams(c, at, control.params));
    RETURN_IF_ERROR(ReadProps(c, at, control.props));
    RETURN_IF_ERROR(ReadParts(c, at, 1, control.parts));
    DeriveFromProps(control);
    // Each control repeats its group's id and title and its parent's id: a long title over many
    // controls would multiply memory, so the repeated text is bounded like a document.
    repeated_bytes_ += group_id.size() + group_title.size() + parent_id.size();
    if (repeated_bytes_ > kOscalMaxDocumentBytes) {
      return TooLarge("the group titles and ids repeated in the controls exceed 64 MiB", at);
    }
    control.group_id = group_id;
    control.group_title = group_title;
    control.parent_id = parent_id;
    const std::string id = control.id;
    out_.controls.push_back(std::move(control));

    const Json* children = nullptr;
    RETURN_IF_ERROR(ReadArray(c, "controls", at, children));
    if (children == nullptr || children->empty()) return Status::Ok();
    if (level + 1 > kOscalMaxNesting) {
      return TooLarge(
          "groups and controls nest more than " + std::to_string(kOscalMaxNesting) + " deep",
          Member(at, "controls"));
    }
    for (const Json& child : *children) {
      RETURN_IF_ERROR(ReadControl(child, level + 1, group_id, group_title, id));
    }
    return Status::Ok();
  }

  OscalCatalog& out_;
  std::unordered_map<std::string, size_t> ids_;
  size_t repeated_bytes_ = 0;
};

// --- Profiles ---------------------------------------------------------------------------------

Status ReadSelections(const Json& import, std::string_view key, const std::string& where,
                      std::vector<OscalControlSelection>& out) {
  return ForEachObject(import, key, where, [&](const Json& s, const std::string& at) {
    OscalControlSelection sel;
    RETURN_IF_ERROR(ReadStrings(s, "with-ids", at, sel.with_ids));
    std::string children;
    RETURN_IF_ERROR(ReadString(s, "with-child-controls", at, Presence::kOptional, children));
    if (!children.empty() && children != "yes" && children != "no") {
      return InvalidArgument(R"(with-child-controls must be "yes" or "no")",
                             Member(at, "with-child-controls"));
    }
    sel.with_child_controls = children == "yes";
    RETURN_IF_ERROR(ForEachObject(s, "matching", at, [&](const Json& m, const std::string& mat) {
      std::string pattern;
      RETURN_IF_ERROR(ReadString(m, "pattern", mat, Presence::kRequired, pattern));
      sel.matching.push_back(std::move(pattern));
      return Status::Ok();
    }));
    out.push_back(std::move(sel));
    return Status::Ok();
  });
}

Status ReadImports(const Json& profile, OscalProfile& out) {
  const Json* imports = nullptr;
  RETURN_IF_ERROR(ReadArray(profile, "imports", "", imports));
  if (imports == nullptr || imports->empty()) {
    return InvalidArgument("a profile imports at least one catalog", "imports");
  }
  for (size_t i = 0; i < imports->size(); ++i) {
    const std::string at = OscalIndexed("", "imports", i);
    const Json& im = (*imports)[i];
    RETURN_IF_ERROR(ReadObject(im, at));
    OscalImport import;
    RETURN_IF_ERROR(ReadString(im, "href", at, Presence::kRequired, import.href));
    if (const Json* all = Find(im, "include-all"); all != nullptr) {
      RETURN_IF_ERROR(ReadObject(*all, Member(at, "include-all")));
      import.include_all = true;
    }
    RETURN_IF_ERROR(ReadSelections(im, "include-controls", at, import.include_controls));
    RETURN_IF_ERROR(ReadSelections(im, "exclude-controls", at, import.exclude_controls));
    out.imports.push_back(std::move(import));
  }
  return Status::Ok();
}

Status ReadPosition(const Json& add, const std::string& at, OscalPosition& out) {
  std::string position;
  RETURN_IF_ERROR(ReadString(add, "position", at, Presence::kOptional, position));
  if (position.empty() || position == "ending") {
    out = OscalPosition::kEnding;
  } else if (position == "starting") {
    out = OscalPosition::kStarting;
  } else if (position == "before") {
    out = OscalPosition::kBefore;
  } else if (position == "after") {
    out = OscalPosition::kAfter;
  } else {
    return InvalidArgument("position must be before, after, starting or ending",
                           Member(at, "position"));
  }
  return Status::Ok();
}

Status ReadAlteration(const Json& a, const std::string& at, OscalAlteration& out) {
  RETURN_IF_ERROR(ReadObject(a, at));
  RETURN_IF_ERROR(ReadString(a, "control-id", at, Presence::kRequired, out.control_id));
  RETURN_IF_ERROR(ForEachObject(a, "removes", at, [&](const Json& r, const std::string& rat) {
    OscalRemoval removal;
    RETURN_IF_ERROR(ReadString(r, "by-name", rat, Presence::kOptional, removal.by_name));
    RETURN_IF_ERROR(ReadString(r, "by-class", rat, Presence::kOptional, removal.by_class));
    RETURN_IF_ERROR(ReadString(r, "by-id", rat, Presence::kOptional, removal.by_id));
    RETURN_IF_ERROR(ReadString(r, "by-item-name", rat, Presence::kOptional, removal.by_item_name));
    RETURN_IF_ERROR(ReadString(r, "by-ns", rat, Presence::kOptional, removal.by_ns));
    static constexpr std::array<std::string_view, 6> kItems = {"param", "prop",    "link",
                                                               "part",  "mapping", "map"};
    if (!removal.by_item_name.empty() &&
        std::find(kItems.begin(), kItems.end(), removal.by_item_name) == kItems.end()) {
      return InvalidArgument("by-item-name must be param, prop, link, part, mapping or map",
                             Member(rat, "by-item-name"));
    }
    if (removal.by_name.empty() && removal.by_class.empty() && removal.by_id.empty() &&
        removal.by_item_name.empty() && removal.by_ns.empty()) {
      // Matching everything would empty the control.
      return InvalidArgument("a removal names what it removes (by-name, by-class, by-id, ...)",
                             rat);
    }
    out.removes.push_back(std::move(removal));
    return Status::Ok();
  }));
  return ForEachObject(a, "adds", at, [&](const Json& d, const std::string& aat) {
    OscalAddition add;
    RETURN_IF_ERROR(ReadPosition(d, aat, add.position));
    RETURN_IF_ERROR(ReadString(d, "by-id", aat, Presence::kOptional, add.by_id));
    RETURN_IF_ERROR(ReadString(d, "title", aat, Presence::kOptional, add.title));
    RETURN_IF_ERROR(ReadParams(d, aat, add.params));
    RETURN_IF_ERROR(ReadProps(d, aat, add.props));
    RETURN_IF_ERROR(ReadParts(d, aat, 1, add.parts));
    out.adds.push_back(std::move(add));
    return Status::Ok();
  });
}

Status ReadModify(const Json& profile, OscalProfile& out) {
  const Json* modify = Find(profile, "modify");
  if (modify == nullptr) return Status::Ok();
  RETURN_IF_ERROR(ReadObject(*modify, "modify"));
  RETURN_IF_ERROR(
      ForEachObject(*modify, "set-parameters", "modify", [&](const Json& s, const std::string& at) {
        OscalParameterSetting setting;
        RETURN_IF_ERROR(ReadString(s, "param-id", at, Presence::kRequired, setting.param_id));
        RETURN_IF_ERROR(ReadString(s, "label", at, Presence::kOptional, setting.label));
        RETURN_IF_ERROR(ReadStrings(s, "values", at, setting.values));
        RETURN_IF_ERROR(ReadSelection(s, at, setting.select));
        out.set_parameters.push_back(std::move(setting));
        return Status::Ok();
      }));
  const Json* alters = nullptr;
  RETURN_IF_ERROR(ReadArray(*modify, "alters", "modify", alters));
  for (size_t i = 0; alters != nullptr && i < alters->size(); ++i) {
    OscalAlteration alteration;
    RETURN_IF_ERROR(ReadAlteration((*alters)[i], OscalIndexed("modify", "alters", i), alteration));
    out.alters.push_back(std::move(alteration));
  }
  return Status::Ok();
}

// --- Resolution ---------------------------------------------------------------------------------

// Counts the steps of a resolution (a control, part, prop or parameter visited, a character of
// a pattern compared) against kOscalMaxResolutionSteps, so that a profile repeating a costly
// selection or alteration many times is refused instead of running for hours.
class StepBudget {
 public:
  void Charge(uint64_t steps) { used_ += steps; }
  bool exceeded() const { return used_ > kOscalMaxResolutionSteps; }
  Status Check(const std::string& field) const {
    if (!exceeded()) return Status::Ok();
    return TooLarge("resolving the profile takes more than " +
                        std::to_string(kOscalMaxResolutionSteps) + " steps",
                    field);
  }

 private:
  uint64_t used_ = 0;
};

// Whether `id` matches the glob `pattern` ('*' any run, '?' any one character). Greedy with one
// backtracking point: at most |pattern| * |id| steps, each charged; false once over budget.
bool GlobMatch(std::string_view pattern, std::string_view id, StepBudget& budget) {
  size_t p = 0;
  size_t t = 0;
  size_t star = std::string_view::npos;
  size_t star_t = 0;
  while (t < id.size()) {
    budget.Charge(1);
    if (budget.exceeded()) return false;
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == id[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_t = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_t;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Marks controls of one import as selected (or not), with or without their child controls.
class ControlMarks {
 public:
  ControlMarks(const OscalCatalog& catalog,
               const std::unordered_map<std::string_view, size_t>& index,
               const std::vector<std::vector<size_t>>& children, StepBudget& budget)
      : catalog_(catalog), index_(index), children_(children), budget_(budget) {}

  // Applies `selections` (an import's include-controls or exclude-controls, named by `field`)
  // to `marks`, setting the controls they select to `value`.
  Status Apply(const std::vector<OscalControlSelection>& selections, const std::string& field,
               std::vector<char>& marks, char value) {
    // A control whose subtree was set already in this pass is not walked again.
    std::vector<char> done(marks.size(), 0);
    for (const auto& sel : selections) {
      for (const auto& id : sel.with_ids) {
        budget_.Charge(1);
        auto it = index_.find(id);
        if (it == index_.end()) {
          return InvalidArgument("the catalog has no control " + Quoted(id), field);
        }
        Mark(marks, done, it->second, sel.with_child_controls, value);
        RETURN_IF_ERROR(budget_.Check(field));
      }
      for (const auto& pattern : sel.matching) {
        for (size_t i = 0; i < catalog_.controls.size(); ++i) {
          if (GlobMatch(pattern, catalog_.controls[i].id, budget_)) {
            Mark(marks, done, i, sel.with_child_controls, value);
          }
          RETURN_IF_ERROR(budget_.Check(field));
        }
      }
    }
    return Status::Ok();
  }

 private:
  void Mark(std::vector<char>& marks, std::vector<char>& done, size_t i, bool with_children,
            char value) {
    marks[i] = value;
    if (!with_children || done[i]) return;
    stack_.assign(1, i);
    while (!stack_.empty()) {
      const size_t j = stack_.back();
      stack_.pop_back();
      budget_.Charge(1);
      marks[j] = value;
      if (done[j]) continue;
      done[j] = 1;
      stack_.insert(stack_.end(), children_[j].begin(), children_[j].end());
    }
  }

  const OscalCatalog& catalog_;
  const std::unordered_map<std::string_view, size_t>& index_;
  const std::vector<std::vector<size_t>>& children_;
  StepBudget& budget_;
  std::vector<size_t> stack_;
};

bool RemovalMatches(const OscalRemoval& r, std::string_view item, std::string_view name,
                    std::string_view class_name, std::string_view id, std::string_view ns) {
  return (r.by_item_name.empty() || r.by_item_name == item) &&
         (r.by_name.empty() || r.by_name == name) &&
         (r.by_class.empty() || r.by_class == class_name) && (r.by_id.empty() || r.by_id == id) &&
         (r.by_ns.empty() || r.by_ns == ns);
}

void RemoveProps(const OscalRemoval& r, std::vector<OscalProperty>& props, StepBudget& budget) {
  budget.Charge(props.size());
  std::erase_if(props, [&](const OscalProperty& p) {
    return RemovalMatches(r, "prop", p.name, p.class_name, "", p.ns);
  });
}

// Parts nest at most kOscalMaxPartNesting deep: the recursion is bounded.
void RemoveFromParts(const OscalRemoval& r, std::vector<OscalPart>& parts, StepBudget& budget) {
  budget.Charge(parts.size());
  std::erase_if(parts, [&](const OscalPart& p) {
    return RemovalMatches(r, "part", p.name, p.class_name, p.id, p.ns);
  });
  for (auto& p : parts) {
    RemoveProps(r, p.props, budget);
    RemoveFromParts(r, p.parts, budget);
  }
}

void ApplyRemoval(const OscalRemoval& r, OscalControl& c, StepBudget& budget) {
  budget.Charge(c.params.size());
  std::erase_if(c.params, [&](const OscalParameter& p) {
    return RemovalMatches(r, "param", "", p.class_name, p.id, "");
  });
  RemoveProps(r, c.props, budget);
  RemoveFromParts(r, c.parts, budget);
}

// How many levels of parts `parts` holds (0 when empty).
int PartHeight(const std::vector<OscalPart>& parts, StepBudget& budget) {
  budget.Charge(parts.size());
  int height = 0;
  for (const auto& p : parts) height = std::max(height, 1 + PartHeight(p.parts, budget));
  return height;
}

// The part `id` among `parts` (at `level`, 1 for a control's own), first in document order: the
// list holding it, its index and level; false when there is none.
bool FindPart(std::vector<OscalPart>& parts, std::string_view id, int level, StepBudget& budget,
              std::vector<OscalPart>*& siblings, size_t& index, int& found_level) {
  for (size_t i = 0; i < parts.size(); ++i) {
    budget.Charge(1);
    if (parts[i].id == id) {
      siblings = &parts;
      index = i;
      found_level = level;
      return true;
    }
    if (FindPart(parts[i].parts, id, level + 1, budget, siblings, index, found_level)) {
      return true;
    }
  }
  return false;
}

template <typename T>
void Insert(std::vector<T>& into, const std::vector<T>& items, bool at_start, StepBudget& budget) {
  budget.Charge(items.size() + (at_start ? into.size() : 0));
  into.insert(at_start ? into.begin() : into.end(), items.begin(), items.end());
}

Status ApplyAddition(const OscalAddition& add, OscalControl& c, const std::string& at,
                     StepBudget& budget) {
  const bool at_start =
      add.position == OscalPosition::kStarting || add.position == OscalPosition::kBefore;
  const int height = PartHeight(add.parts, budget);
  Status too_deep =
      TooLarge("parts nest more than " + std::to_string(kOscalMaxPartNesting) + " deep",
               Member(at, "parts"));
  if (add.by_id.empty() || add.by_id == c.id) {
    if (height > kOscalMaxPartNesting) return too_deep;
    if (!add.title.empty()) c.title = add.title;
    Insert(c.params, add.params, at_start, budget);
    Insert(c.props, add.props, at_start, budget);
    Insert(c.parts, add.parts, at_start, budget);
    return Status::Ok();
  }
  std::vector<OscalPart>* siblings = nullptr;
  size_t index = 0;
  int level = 0;
  if (!FindPart(c.parts, add.by_id, 1, budget, siblings, index, level)) {
    return InvalidArgument("control " + Quoted(c.id) + " has no part " + Quoted(add.by_id),
                           Member(at, "by-id"));
  }
  const bool inside =
      add.position == OscalPosition::kStarting || add.position == OscalPosition::kEnding;
  if ((inside ? level : level - 1) + height > kOscalMaxPartNesting) return too_deep;
  OscalPart& target = (*siblings)[index];
  if (!add.title.empty()) target.title = add.title;
  Insert(target.props, add.props, add.position == OscalPosition::kStarting, budget);
  Insert(c.params, add.params, /*at_start=*/false, budget);
  if (inside) {
    Insert(target.parts, add.parts, add.position == OscalPosition::kStarting, budget);
  } else {
    budget.Charge(siblings->size() + add.parts.size());
    const size_t pos = add.position == OscalPosition::kBefore ? index : index + 1;
    siblings->insert(siblings->begin() + static_cast<std::ptrdiff_t>(pos), add.parts.begin(),
                     add.parts.end());
  }
  return Status::Ok();
}

// A setting is copied into every parameter of its id: its bytes are charged, so that a long
// setting of a parameter many controls share stays bounded.
void ApplySetting(const OscalParameterSetting& s, OscalParameter& p, StepBudget& budget) {
  budget.Charge(1 + s.label.size());
  if (!s.label.empty()) p.label = s.label;
  for (const auto& v : s.values) budget.Charge(1 + v.size());
  if (!s.values.empty()) p.values = s.values;
  if (s.select.has_value()) {
    for (const auto& choice : s.select->choices) budget.Charge(1 + choice.size());
    p.select = s.select;
  }
}

// The uuid and metadata (title, version, OSCAL version) of a catalog or profile (`kind`).
template <typename Document>
Status ReadHeader(const Json& root, const std::string& kind, Document& out) {
  RETURN_IF_ERROR(ReadString(root, "uuid", kind, Presence::kRequired, out.uuid));
  const Json* metadata = Find(root, "metadata");
  if (metadata == nullptr) return InvalidArgument("metadata is required", kind + ".metadata");
  const std::string where = kind + ".metadata";
  RETURN_IF_ERROR(ReadObject(*metadata, where));
  RETURN_IF_ERROR(ReadString(*metadata, "title", where, Presence::kRequired, out.title));
  RETURN_IF_ERROR(ReadString(*metadata, "version", where, Presence::kOptional, out.version));
  return ReadString(*metadata, "oscal-version", where, Presence::kOptional, out.oscal_version);
}

}  // namespace

const OscalControl* FindOscalControl(const OscalCatalog& catalog, std::string_view id) {
  for (const auto& c : catalog.controls) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

Result<OscalCatalog> ParseOscalCatalog(std::string_view json_text) {
  ASSIGN_OR_RETURN(const Json doc, ParseDocument(json_text, "catalog"));
  const Json& cat = doc["catalog"];
  OscalCatalog out;
  RETURN_IF_ERROR(ReadHeader(cat, "catalog", out));
  CatalogReader reader(out);
  RETURN_IF_ERROR(reader.ReadContainer(cat, "catalog", 1, "", ""));
  RETURN_IF_ERROR(RenderAll(out.controls));
  return out;
}

Result<OscalProfile> ParseOscalProfile(std::string_view json_text) {
  ASSIGN_OR_RETURN(const Json doc, ParseDocument(json_text, "profile"));
  const Json& prof = doc["profile"];
  OscalProfile out;
  RETURN_IF_ERROR(ReadHeader(prof, "profile", out));
  RETURN_IF_ERROR(ReadImports(prof, out));
  RETURN_IF_ERROR(ReadModify(prof, out));
  return out;
}

Result<OscalCatalog> ResolveOscalProfile(const OscalProfile& profile, const OscalCatalog& catalog) {
  if (profile.imports.empty()) {
    return InvalidArgument("a profile imports at least one catalog", "imports");
  }
  StepBudget budget;
  const size_t n = catalog.controls.size();
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = 0; i < n; ++i) index.emplace(catalog.controls[i].id, i);
  std::vector<std::vector<size_t>> children(n);
  for (size_t i = 0; i < n; ++i) {
    if (catalog.controls[i].parent_id.empty()) continue;
    auto parent = index.find(catalog.controls[i].parent_id);
    // A parent comes before its enhancements; anything else is not a tree to walk.
    if (parent != index.end() && parent->second < i) children[parent->second].push_back(i);
  }

  // Each import selects on its own (its exclusions apply to its inclusions); the selection is
  // the union of the imports'.
  ControlMarks marker(catalog, index, children, budget);
  std::vector<char> selected(n, 0);  // 0 or 1
  std::vector<char> marks(n, 0);
  for (size_t i = 0; i < profile.imports.size(); ++i) {
    const OscalImport& import = profile.imports[i];
    const std::string at = OscalIndexed("", "imports", i);
    budget.Charge(n);
    RETURN_IF_ERROR(budget.Check(at));
    const bool all = import.include_all || import.include_controls.empty();
    std::fill(marks.begin(), marks.end(), all ? 1 : 0);
    RETURN_IF_ERROR(
        marker.Apply(import.include_controls, Member(at, "include-controls"), marks, 1));
    RETURN_IF_ERROR(
        marker.Apply(import.exclude_controls, Member(at, "exclude-controls"), marks, 0));
    for (size_t c = 0; c < n; ++c) {
      if (marks[c] != 0) selected[c] = 1;
    }
  }

  OscalCatalog out{.uuid = profile.uuid,
                   .title = profile.title,
                   .version = profile.version,
                   .oscal_version = profile.oscal_version};
  for (size_t i = 0; i < n; ++i) {
    if (selected[i]) out.controls.push_back(catalog.controls[i]);
  }
  std::unordered_map<std::string_view, size_t> position;  // id -> index in out.controls
  for (size_t i = 0; i < out.controls.size(); ++i) position.emplace(out.controls[i].id, i);

  for (size_t a = 0; a < profile.alters.size(); ++a) {
    const OscalAlteration& alter = profile.alters[a];
    const std::string at = OscalIndexed("modify", "alters", a);
    budget.Charge(1);
    if (!index.contains(alter.control_id)) {
      return InvalidArgument("the catalog has no control " + Quoted(alter.control_id),
                             Member(at, "control-id"));
    }
    auto it = position.find(alter.control_id);
    if (it == position.end()) continue;  // in the catalog, not selected
    OscalControl& control = out.controls[it->second];
    for (const auto& removal : alter.removes) {
      ApplyRemoval(removal, control, budget);
      RETURN_IF_ERROR(budget.Check(at));
    }
    for (size_t d = 0; d < alter.adds.size(); ++d) {
      RETURN_IF_ERROR(ApplyAddition(alter.adds[d], control, OscalIndexed(at, "adds", d), budget));
      RETURN_IF_ERROR(budget.Check(at));
    }
    DeriveFromProps(control);
  }

  if (!profile.set_parameters.empty()) {
    std::unordered_map<std::string_view, std::vector<OscalParameter*>> params;
    for (auto& c : out.controls) {
      for (auto& p : c.params) params[p.id].push_back(&p);
    }
    for (size_t s = 0; s < profile.set_parameters.size(); ++s) {
      const OscalParameterSetting& setting = profile.set_parameters[s];
      budget.Charge(1);
      auto it = params.find(setting.param_id);
      if (it != params.end()) {
        for (OscalParameter* p : it->second) ApplySetting(setting, *p, budget);
      }
      RETURN_IF_ERROR(budget.Check(OscalIndexed("modify", "set-parameters", s)));
    }
  }
  RETURN_IF_ERROR(RenderAll(out.controls));
  return out;
}

}  // namespace rampart::domain
