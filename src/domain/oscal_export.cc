#include "domain/oscal_export.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <utility>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/text.h"
#include "domain/annex_a.h"
#include "domain/oscal_paths.h"
#include "domain/record.h"
#include "domain/soa.h"

namespace rampart::domain {

namespace {

// Members in the order they are added, as NIST's documents (and the schemas) list them.
using OJson = nlohmann::ordered_json;

constexpr char kNone[] = "(none)";

// --- Text as the schemas require it --------------------------------------------------------------

struct CodePoint {
  uint32_t value;
  bool valid;
};

// The code point at s[i], advancing i past it. Invalid UTF-8 (a stray or truncated sequence, an
// overlong form, a surrogate) reads as U+FFFD one byte long.
CodePoint NextCodePoint(std::string_view s, size_t& i) {
  constexpr CodePoint kInvalid{0xFFFD, false};
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return {lead, true};
  }
  size_t more = 0;
  uint32_t cp = 0;
  uint32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    more = 1;
    cp = lead & 0x1F;
    min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    more = 2;
    cp = lead & 0x0F;
    min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    more = 3;
    cp = lead & 0x07;
    min = 0x10000;
  } else {
    ++i;
    return kInvalid;
  }
  if (i + more >= s.size()) {
    ++i;
    return kInvalid;
  }
  for (size_t k = 1; k <= more; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return kInvalid;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kInvalid;
  }
  i += more + 1;
  return {cp, true};
}

// White space as the schemas' patterns see it: they are ECMAScript regular expressions (ajv runs
// them with the u flag), where \s is this set and '.' matches anything but a line terminator.
bool IsSpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}
bool IsLineTerminator(uint32_t cp) {
  return cp == 0x0A || cp == 0x0D || cp == 0x2028 || cp == 0x2029;
}

// Whether `s` matches OSCAL's StringDatatype, ^\S(.*\S)?$, and is valid UTF-8.
bool IsOscalString(std::string_view s) {
  if (s.empty()) return false;
  CodePoint last{0, true};
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    last = NextCodePoint(s, i);
    if (!last.valid || IsLineTerminator(last.value)) return false;
    if (start == 0 && IsSpace(last.value)) return false;
  }
  return !IsSpace(last.value);
}

// A single-line string (StringDatatype; also used for titles): `s` when it is one already, else
// its white space collapsed to single spaces and trimmed, or `placeholder` when nothing is left.
std::string OneLine(std::string_view s, std::string_view placeholder) {
  if (IsOscalString(s)) return std::string(s);
  std::string out;
  bool space = false;
  for (size_t i = 0; i < s.size();) {
    const CodePoint cp = NextCodePoint(s, i);
    if (IsSpace(cp.value)) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    AppendUtf8(out, cp.value);
  }
  return out.empty() ? std::string(placeholder) : out;
}

// Multi-line text (markup-multiline: descriptions, remarks): trimmed, invalid UTF-8 replaced, or
// `placeholder` when empty.
std::string Prose(std::string_view s, std::string_view placeholder) {
  std::string out;
  size_t end = 0;  // past the last character that is not white space
  for (size_t i = 0; i < s.size();) {
    const CodePoint cp = NextCodePoint(s, i);
    if (IsSpace(cp.value) && out.empty()) continue;
    AppendUtf8(out, cp.value);
    if (!IsSpace(cp.value)) end = out.size();
  }
  out.resize(end);
  return out.empty() ? std::string(placeholder) : out;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsTokenChar(char c) {
  return IsAsciiLetter(c) || IsAsciiDigit(c) || c == '.' || c == '-' || c == '_';
}

// A token (TokenDatatype, ^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$) in ASCII: `s` when it is one, else
// with each other character replaced by '_' and '_' put first when it does not start with a
// letter or '_'; `fallback` when empty.
std::string Token(std::string_view s, std::string_view fallback) {
  if (s.empty()) return std::string(fallback);
  if ((IsAsciiLetter(s[0]) || s[0] == '_') && std::all_of(s.begin(), s.end(), IsTokenChar)) {
    return std::string(s);
  }
  std::string out;
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    NextCodePoint(s, i);
    out += i == start + 1 && IsTokenChar(s[start]) ? s[start] : '_';
  }
  if (!IsAsciiLetter(out[0]) && out[0] != '_') out.insert(out.begin(), '_');
  return out;
}

bool IsHexDigit(char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// The characters a URI holds as they are (RFC 3986's unreserved, sub-delims, ':', '@', '/', '?').
bool IsUriChar(char c) {
  return IsAsciiLetter(c) || IsAsciiDigit(c) ||
         std::string_view("-._~!$&'()*+,;=:@/?").find(c) != std::string_view::npos;
}

// An absolute URI the schemas' URIDatatype accepts (its pattern and ajv-formats' "uri"), on the
// safe side: a scheme of two characters or more, ':', then URI characters, '%' with two hex
// digits and at most one '#', not first. (Checked against ajv-formats on random strings.)
bool IsAbsoluteUri(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon < 2 || !IsAsciiLetter(s[0])) return false;
  for (size_t i = 1; i < colon; ++i) {
    const char c = s[i];
    if (!IsAsciiLetter(c) && !IsAsciiDigit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  const std::string_view rest = s.substr(colon + 1);
  if (rest.empty() || rest[0] == '#' || rest[0] == '?') return false;
  bool fragment = false;
  for (size_t i = 0; i < rest.size(); ++i) {
    const char c = rest[i];
    if (c == '%') {
      if (i + 2 >= rest.size() || !IsHexDigit(rest[i + 1]) || !IsHexDigit(rest[i + 2])) {
        return false;
      }
      i += 2;
    } else if (c == '#') {
      if (fragment) return false;
      fragment = true;
    } else if (!IsUriChar(c)) {
      return false;
    }
  }
  return true;
}

// A URI reference (an href): each byte a URI may not hold percent-encoded, and a '#' after the
// first; `fallback` when empty.
std::string UriReference(std::string_view s, std::string_view fallback) {
  if (s.empty()) return std::string(fallback);
  constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  bool fragment = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool escape =
        c == '%' && i + 2 < s.size() && IsHexDigit(s[i + 1]) && IsHexDigit(s[i + 2]);
    if (IsUriChar(c) || escape || (c == '#' && !fragment)) {
      fragment = fragment || c == '#';
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0F];
    }
  }
  return out;
}

bool TwoDigits(std::string_view s, size_t at, int max) {
  if (!IsAsciiDigit(s[at]) || !IsAsciiDigit(s[at + 1])) return false;
  return (s[at] - '0') * 10 + (s[at + 1] - '0') <= max;
}

// YYYY-MM-DD of the years OSCAL's date-time pattern accepts (1900 to 2999).
bool IsOscalDate(std::string_view s) { return IsValidDate(s) && s[0] <= '2'; }

// RFC 3339 in UTC as OSCAL's DateTimeWithTimezoneDatatype accepts it:
// YYYY-MM-DDTHH:MM:SS[.fraction]Z.
bool IsUtcDateTime(std::string_view s) {
  if (s.size() < 20 || !IsOscalDate(s.substr(0, 10)) || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || !TwoDigits(s, 11, 23) || !TwoDigits(s, 14, 59) || !TwoDigits(s, 17, 59) ||
      s.back() != 'Z') {
    return false;
  }
  const std::string_view rest = s.substr(19, s.size() - 20);
  if (rest.empty()) return true;
  return rest.size() >= 2 && rest[0] == '.' &&
         std::all_of(rest.begin() + 1, rest.end(), IsAsciiDigit);
}

Status CheckMeta(const OscalExportMeta& meta) {
  if (!IsUtcDateTime(meta.generated_at)) {
    return InvalidArgument("generated_at must be a UTC date and time (2026-12-06T22:00:00Z)",
                           "meta.generated_at");
  }
  return Status::Ok();
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!IsHexDigit(s[i])) {
      return false;
    }
  }
  return (s[14] == '4' || s[14] == '5') && std::string_view("89abAB").find(s[19]) != s.npos;
}

std::string Dump(const OJson& doc) {
  return doc.dump(1, ' ', /*ensure_ascii=*/false, OJson::error_handler_t::replace) + "\n";
}

OJson Prop(std::string_view name, std::string_view ns, std::string_view value) {
  OJson p = {{"name", std::string(name)}};
  if (!ns.empty()) p["ns"] = std::string(ns);
  p["value"] = OneLine(value, kNone);
  return p;
}

OJson RampartProp(std::string_view name, std::string_view value) {
  return Prop(name, kOscalRampartNs, value);
}

// --- Metadata ------------------------------------------------------------------------------------

// What a document's metadata holds, gathered while its body is written: its roles, the people
// named in it and who holds which role. Also the source of the document's uuids.
class Document {
 public:
  explicit Document(const OscalExportMeta& meta) : meta_(meta) {
    AddRole("prepared-by", "Prepared By");
    responsible_.emplace_back("prepared-by", std::vector<std::string>{OrganisationUuid()});
  }

  std::string Uuid(std::string_view identity) const {
    return OscalUuid(meta_.uuid_seed + "/" + std::string(identity));
  }
  std::string OrganisationUuid() const { return Uuid("organisation"); }

  // The party uuid of the person `name` (added on first mention); empty for an empty name.
  std::string Person(std::string_view name) {
    const std::string n = OneLine(name, "");
    if (n.empty()) return {};
    auto [it, added] = person_index_.emplace(n, people_.size());
    if (added) people_.emplace_back(n, Uuid("person:" + n));
    return people_[it->second].second;
  }

  // False when a role of that id is there already (the first one stays).
  bool AddRole(const std::string& id, std::string title) {
    if (HasRole(id)) return false;
    roles_.emplace_back(id, std::move(title));
    return true;
  }
  bool HasRole(std::string_view id) const {
    return std::any_of(roles_.begin(), roles_.end(), [&](const auto& r) { return r.first == id; });
  }

  void AddResponsible(std::string role_id, std::vector<std::string> party_uuids) {
    if (!party_uuids.empty()) responsible_.emplace_back(std::move(role_id), std::move(party_uuids));
  }

  OJson Metadata(std::string_view title, std::string_view version, std::string_view remarks) {
    OJson m = {{"title", OneLine(title, "Untitled")},
               {"last-modified", meta_.generated_at},
               {"version", OneLine(version, "current")},
               {"oscal-version", kOscalExportVersion}};
    OJson roles = OJson::array();
    for (const auto& [id, role_title] : roles_) {
      roles.push_back({{"id", id}, {"title", role_title}});
    }
    m["roles"] = std::move(roles);
    OJson parties = OJson::array();
    parties.push_back({{"uuid", OrganisationUuid()},
                       {"type", "organization"},
                       {"name", OneLine(meta_.organisation, "Organisation")}});
    for (const auto& [name, uuid] : people_) {
      parties.push_back({{"uuid", uuid}, {"type", "person"}, {"name", name}});
    }
    m["parties"] = std::move(parties);
    OJson responsible = OJson::array();
    for (const auto& [role_id, uuids] : responsible_) {
      responsible.push_back({{"role-id", role_id}, {"party-uuids", uuids}});
    }
    m["responsible-parties"] = std::move(responsible);
    if (!remarks.empty()) m["remarks"] = std::string(remarks);
    return m;
  }

 private:
  const OscalExportMeta& meta_;
  std::vector<std::pair<std::string, std::string>> roles_;   // id, title
  std::vector<std::pair<std::string, std::string>> people_;  // name, party uuid
  std::map<std::string, size_t> person_index_;               // name -> index in people_
  std::vector<std::pair<std::string, std::vector<std::string>>> responsible_;
};

// --- Annex A -------------------------------------------------------------------------------------

// "5.1" -> "a.05.01": sorts as the controls are ordered.
std::string AnnexASortId(std::string_view id) {
  std::string out = "a";
  size_t start = 0;
  while (start <= id.size()) {
    size_t dot = id.find('.', start);
    if (dot == std::string_view::npos) dot = id.size();
    const std::string_view number = id.substr(start, dot - start);
    out += '.';
    if (number.size() == 1) out += '0';
    out.append(number);
    start = dot + 1;
  }
  return out;
}

std::string AnnexALabel(std::string_view id) { return "A." + std::string(id); }

OJson AnnexAControlJson(const AnnexAControl& c) {
  OJson props = OJson::array();
  props.push_back(Prop("label", "", AnnexALabel(c.id)));
  props.push_back(Prop("sort-id", "", AnnexASortId(c.id)));
  const std::pair<const char*, const std::vector<std::string>*> attributes[] = {
      {"control-type", &c.control_types},
      {"security-property", &c.security_properties},
      {"cybersecurity-concept", &c.cybersecurity_concepts},
      {"operational-capability", &c.operational_capabilities},
      {"security-domain", &c.security_domains}};
  for (const auto& [name, values] : attributes) {
    for (const auto& v : *values) props.push_back(Prop(name, kOscalIso27002Ns, v));
  }
  return {{"id", OscalAnnexAControlId(c.id)},
          {"title", OneLine(c.title, c.id)},
          {"props", std::move(props)}};
}

// --- Catalogs ------------------------------------------------------------------------------------

OJson PropsJson(const std::vector<OscalProperty>& props) {
  OJson out = OJson::array();
  for (const auto& p : props) {
    OJson j = Prop(Token(p.name, "prop"), IsAbsoluteUri(p.ns) ? p.ns : "", p.value);
    if (!p.class_name.empty()) j["class"] = Token(p.class_name, "_");
    out.push_back(std::move(j));
  }
  return out;
}

OJson ParamJson(const OscalParameter& p) {
  OJson j = {{"id", Token(p.id, "param")}};
  if (!p.class_name.empty()) j["class"] = Token(p.class_name, "_");
  if (!p.props.empty()) j["props"] = PropsJson(p.props);
  if (!p.label.empty()) j["label"] = p.label;
  if (!p.guidelines.empty()) {
    OJson guidelines = OJson::array();
    for (const auto& g : p.guidelines) guidelines.push_back({{"prose", g}});
    j["guidelines"] = std::move(guidelines);
  }
  if (!p.values.empty()) {
    OJson values = OJson::array();
    for (const auto& v : p.values) values.push_back(OneLine(v, kNone));
    j["values"] = std::move(values);
  }
  if (p.select.has_value()) {
    OJson select = OJson::object();
    if (p.select->how_many == "one" || p.select->how_many == "one-or-more") {
      select["how-many"] = p.select->how_many;
    }
    if (!p.select->choices.empty()) select["choice"] = p.select->choices;
    j["select"] = std::move(select);
  }
  return j;
}

// Parts nest at most kOscalMaxPartNesting deep in a catalog ParseOscalCatalog read or
// ResolveOscalProfile resolved: the recursion is bounded.
OJson PartJson(const OscalPart& p) {
  OJson j = OJson::object();
  if (!p.id.empty()) j["id"] = Token(p.id, "_");
  j["name"] = Token(p.name, "part");
  if (IsAbsoluteUri(p.ns)) j["ns"] = p.ns;
  if (!p.class_name.empty()) j["class"] = Token(p.class_name, "_");
  if (!p.title.empty()) j["title"] = p.title;
  if (!p.props.empty()) j["props"] = PropsJson(p.props);
  if (!p.prose.empty()) j["prose"] = p.prose;
  if (!p.parts.empty()) {
    OJson parts = OJson::array();
    for (const auto& child : p.parts) parts.push_back(PartJson(child));
    j["parts"] = std::move(parts);
  }
  return j;
}

// How deep enhancements nest under their parents when written: within the 64 levels
// ParseOscalCatalog reads, counting the catalog and the group.
constexpr int kMaxEnhancementDepth = 60;

class CatalogWriter {
 public:
  explicit CatalogWriter(const std::vector<OscalControl>& controls)
      : controls_(controls), children_(controls.size()) {}

  // The groups and top-level controls; kInvalidArgument for a repeated id.
  Status Write(OJson& catalog) {
    std::map<std::string_view, size_t> index;
    for (size_t i = 0; i < controls_.size(); ++i) {
      if (!index.emplace(controls_[i].id, i).second) {
        return InvalidArgument("control id \"" + OneLine(controls_[i].id, "") + "\" is repeated",
                               OscalIndexed("", "controls", i) + ".id");
      }
    }
    // An enhancement goes under its parent when the parent comes before it in the same group
    // and the nesting stays within kMaxEnhancementDepth.
    std::vector<int> depth(controls_.size(), 0);
    std::vector<char> nested(controls_.size(), 0);
    for (size_t i = 0; i < controls_.size(); ++i) {
      const OscalControl& c = controls_[i];
      if (c.parent_id.empty()) continue;
      auto parent = index.find(c.parent_id);
      if (parent == index.end() || parent->second >= i) continue;
      const OscalControl& p = controls_[parent->second];
      if (p.group_id != c.group_id || p.group_title != c.group_title) continue;
      if (depth[parent->second] + 1 > kMaxEnhancementDepth) continue;
      depth[i] = depth[parent->second] + 1;
      nested[i] = 1;
      children_[parent->second].push_back(i);
    }
    OJson top = OJson::array();
    std::vector<OJson> groups;
    std::map<std::pair<std::string_view, std::string_view>, size_t> group_index;  // id, title
    for (size_t i = 0; i < controls_.size(); ++i) {
      if (nested[i]) continue;
      const OscalControl& c = controls_[i];
      if (c.group_id.empty() && c.group_title.empty()) {
        top.push_back(ControlJson(i));
        continue;
      }
      const std::pair<std::string_view, std::string_view> key{c.group_id, c.group_title};
      auto [it, added] = group_index.emplace(key, groups.size());
      if (added) {
        OJson g = OJson::object();
        if (!c.group_id.empty()) g["id"] = Token(c.group_id, "_");
        g["title"] = c.group_title.empty() ? c.group_id : c.group_title;
        g["controls"] = OJson::array();
        groups.push_back(std::move(g));
      }
      groups[it->second]["controls"].push_back(ControlJson(i));
    }
    if (!top.empty()) catalog["controls"] = std::move(top);
    if (!groups.empty()) {
      OJson out = OJson::array();
      for (auto& g : groups) out.push_back(std::move(g));
      catalog["groups"] = std::move(out);
    }
    return Status::Ok();
  }

 private:
  // Recursion bounded by kMaxEnhancementDepth.
  OJson ControlJson(size_t i) {
    const OscalControl& c = controls_[i];
    OJson j = {{"id", Token(c.id, "control")}};
    if (!c.class_name.empty()) j["class"] = Token(c.class_name, "_");
    j["title"] = c.title.empty() ? j["id"].get<std::string>() : c.title;
    if (!c.params.empty()) {
      OJson params = OJson::array();
      for (const auto& p : c.params) params.push_back(ParamJson(p));
      j["params"] = std::move(params);
    }
    if (!c.props.empty()) j["props"] = PropsJson(c.props);
    if (!c.parts.empty()) {
      OJson parts = OJson::array();
      for (const auto& p : c.parts) parts.push_back(PartJson(p));
      j["parts"] = std::move(parts);
    }
    if (!children_[i].empty()) {
      OJson controls = OJson::array();
      for (size_t child : children_[i]) controls.push_back(ControlJson(child));
      j["controls"] = std::move(controls);
    }
    return j;
  }

  const std::vector<OscalControl>& controls_;
  std::vector<std::vector<size_t>> children_;
};

// --- System security plan ------------------------------------------------------------------------

// An applied control's status as a component's state.
std::string ComponentState(std::string_view status) {
  if (status == "implemented") return "operational";
  if (status == "not_effective") return "other";
  return "under-development";  // planned, in_progress; an unknown status counts as planned
}

struct ImplementationStatus {
  std::string state;
  std::string remarks;  // empty when the state says it all
};

// An applied control's status as the implementation status of what it implements.
ImplementationStatus AppliedControlImplementation(std::string_view status) {
  if (status == "implemented") return {"implemented", ""};
  if (status == "in_progress") return {"partial", "The applied control is being implemented."};
  if (status == "not_effective") {
    return {"partial", "The applied control is implemented but not effective."};
  }
  return {"planned", ""};
}

// The SoA status of a control no applied control is linked to, as its implementation status.
ImplementationStatus SoaImplementation(std::string_view status) {
  const std::string remarks =
      "No applied control is linked to this control; its status in the "
      "Statement of Applicability is " +
      ToLower(SoaStatusLabel(status.empty() ? "not_implemented" : status)) + ".";
  if (status == "implemented") return {"implemented", remarks};
  if (status == "partially_implemented" || status == "in_progress" || status == "not_effective") {
    return {"partial", remarks};
  }
  return {"planned", remarks};  // planned, not_implemented
}

OJson ImplementationStatusJson(const ImplementationStatus& s) {
  OJson j = {{"state", s.state}};
  if (!s.remarks.empty()) j["remarks"] = s.remarks;
  return j;
}

// "treatment_action" -> "Treatment action": a kind or record type as a placeholder title.
std::string Capitalised(std::string_view snake, std::string_view fallback) {
  std::string out = OneLine(snake, fallback);
  std::replace(out.begin(), out.end(), '_', ' ');
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') {
    out[0] = static_cast<char>(out[0] - 'a' + 'A');
  }
  return out;
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace

std::string OscalUuid(std::string_view seed) {
  std::string hex = Sha256Hex(seed).substr(0, 32);
  hex[12] = '5';
  constexpr char kVariant[] = "89ab";
  const char v = hex[16];
  const int nibble = IsAsciiDigit(v) ? v - '0' : v - 'a' + 10;
  hex[16] = kVariant[nibble & 0x3];
  return hex.substr(0, 8) + '-' + hex.substr(8, 4) + '-' + hex.substr(12, 4) + '-' +
         hex.substr(16, 4) + '-' + hex.substr(20, 12);
}

std::string OscalAnnexAControlId(std::string_view annex_id) { return "a." + std::string(annex_id); }

Result<std::string> OscalAnnexACatalogJson(const OscalExportMeta& meta) {
  RETURN_IF_ERROR(CheckMeta(meta));
  Document doc(meta);
  OJson groups = OJson::array();
  for (const AnnexAControl& c : AnnexAControls()) {
    const std::string theme = c.id.substr(0, c.id.find('.'));  // "5"
    const std::string group_id = OscalAnnexAControlId(theme);
    if (groups.empty() || groups.back()["id"] != group_id) {
      OJson props = OJson::array();
      props.push_back(Prop("label", "", AnnexALabel(theme)));
      props.push_back(Prop("sort-id", "", AnnexASortId(theme)));
      groups.push_back({{"id", group_id},
                        {"title", OneLine(c.theme, "Annex A") + " controls"},
                        {"props", std::move(props)},
                        {"controls", OJson::array()}});
    }
    groups.back()["controls"].push_back(AnnexAControlJson(c));
  }
  OJson catalog = {
      {"uuid", doc.Uuid("annex-a-catalog")},
      {"metadata",
       doc.Metadata("ISO/IEC 27001:2022 Annex A controls", "ISO/IEC 27001:2022",
                    std::string("The identifiers and titles of the controls of ISO/IEC "
                                "27001:2022 Annex A, grouped by theme, with their ISO/IEC "
                                "27002:2022 attributes as props in the namespace ") +
                        kOscalIso27002Ns +
                        ". No text of the standards is included: read the control "
                        "statements in ISO/IEC 27001 and the guidance in ISO/IEC 27002.")},
      {"groups", std::move(groups)}};
  return Dump(OJson{{"catalog", std::move(catalog)}});
}

Result<std::string> OscalSoaProfileJson(const OscalExportMeta& meta,
                                        const std::vector<std::string>& applicable_control_ids,
                                        std::string_view catalog_href) {
  RETURN_IF_ERROR(CheckMeta(meta));
  std::set<std::string, std::less<>> applicable;
  for (size_t i = 0; i < applicable_control_ids.size(); ++i) {
    if (FindAnnexAControl(applicable_control_ids[i]) == nullptr) {
      return InvalidArgument(
          "\"" + OneLine(applicable_control_ids[i], "") + "\" is not a control of Annex A",
          OscalIndexed("", "applicable_control_ids", i));
    }
    applicable.insert(applicable_control_ids[i]);
  }
  if (applicable.empty()) {
    return FailedPrecondition("the Statement of Applicability has no applicable control");
  }
  OJson with_ids = OJson::array();
  for (const AnnexAControl& c : AnnexAControls()) {
    if (applicable.contains(c.id)) with_ids.push_back(OscalAnnexAControlId(c.id));
  }
  Document doc(meta);
  const std::string organisation = OneLine(meta.organisation, "the organisation");
  OJson profile = {
      {"uuid", doc.Uuid("soa-profile")},
      {"metadata", doc.Metadata("Statement of Applicability of " + organisation, meta.version,
                                "The controls of ISO/IEC 27001:2022 Annex A that " + organisation +
                                    " has determined applicable (" +
                                    Plural(applicable.size(), "control", "controls") + ").")},
      {"imports", OJson::array({{{"href", UriReference(catalog_href, "annex-a-catalog.json")},
                                 {"include-controls", OJson::array({{{"with-ids", with_ids}}})}}})},
      {"merge", {{"as-is", true}}}};
  return Dump(OJson{{"profile", std::move(profile)}});
}

Result<std::string> OscalCatalogJson(const OscalCatalog& catalog, const OscalExportMeta& meta) {
  RETURN_IF_ERROR(CheckMeta(meta));
  Document doc(meta);
  const std::string title = OneLine(catalog.title, "Catalog");
  OJson out = OJson::object();
  out["uuid"] =
      IsUuid(catalog.uuid) ? catalog.uuid : doc.Uuid("catalog:" + catalog.uuid + "/" + title);
  out["metadata"] = doc.Metadata(catalog.title.empty() ? title : catalog.title,
                                 catalog.version.empty() ? meta.version : catalog.version, "");
  CatalogWriter writer(catalog.controls);
  RETURN_IF_ERROR(writer.Write(out));
  return Dump(OJson{{"catalog", std::move(out)}});
}

Result<std::string> OscalSspJson(const OscalSsp& ssp) {
  RETURN_IF_ERROR(CheckMeta(ssp.meta));
  // Every reference first: roles, components, requirements.
  std::map<std::string, std::string, std::less<>> role_ids;  // as given -> as written
  for (const auto& r : ssp.roles) role_ids.emplace(r.id, Token(r.id, "role"));
  std::map<int64_t, size_t> component_index;
  for (size_t i = 0; i < ssp.components.size(); ++i) {
    const OscalSspComponent& c = ssp.components[i];
    const std::string at = OscalIndexed("", "components", i);
    if (!component_index.emplace(c.id, i).second) {
      return InvalidArgument("applied control " + std::to_string(c.id) + " is repeated",
                             at + ".id");
    }
    for (size_t j = 0; j < c.responsible_roles.size(); ++j) {
      if (!role_ids.contains(c.responsible_roles[j])) {
        return InvalidArgument("\"" + OneLine(c.responsible_roles[j], "") + "\" is not a role",
                               OscalIndexed(at, "responsible_roles", j));
      }
    }
  }
  std::set<std::string, std::less<>> decided;
  size_t applicable = 0;
  for (size_t i = 0; i < ssp.requirements.size(); ++i) {
    const OscalSspRequirement& r = ssp.requirements[i];
    const std::string at = OscalIndexed("", "requirements", i);
    if (FindAnnexAControl(r.control_id) == nullptr || !decided.insert(r.control_id).second) {
      return InvalidArgument(
          "\"" + OneLine(r.control_id, "") + "\" is not a control of Annex A or is repeated",
          at + ".control_id");
    }
    for (size_t j = 0; j < r.components.size(); ++j) {
      if (!component_index.contains(r.components[j])) {
        return InvalidArgument(
            "applied control " + std::to_string(r.components[j]) + " is not a component",
            OscalIndexed(at, "components", j));
      }
    }
    if (r.applicable) ++applicable;
  }
  if (applicable == 0) {
    return FailedPrecondition("the Statement of Applicability has no applicable control");
  }

  Document doc(ssp.meta);
  const std::string organisation = OneLine(ssp.meta.organisation, "the organisation");
  const bool owners = std::any_of(ssp.components.begin(), ssp.components.end(),
                                  [](const auto& c) { return !OneLine(c.owner, "").empty(); });
  if (owners) doc.AddRole("control-owner", "Applied control owner");

  // Users: one per role.
  OJson users = OJson::array();
  for (const auto& r : ssp.roles) {
    const std::string id = role_ids.at(r.id);
    if (!doc.AddRole(id, OneLine(r.title, id))) continue;
    std::vector<std::string> holders;
    for (const auto& h : r.holders) {
      std::string uuid = doc.Person(h);
      if (!uuid.empty() && std::find(holders.begin(), holders.end(), uuid) == holders.end()) {
        holders.push_back(std::move(uuid));
      }
    }
    doc.AddResponsible(id, std::move(holders));
    users.push_back({{"uuid", doc.Uuid("user:" + id)},
                     {"title", OneLine(r.title, id)},
                     {"role-ids", OJson::array({id})}});
  }
  if (users.empty()) {
    users.push_back(
        {{"uuid", doc.Uuid("user:isms")},
         {"title", "ISMS users"},
         {"description", "The people who work in the ISMS. No ISMS role is recorded."}});
  }

  // Components: the ISMS, then the applied controls.
  const std::string system_name = OneLine(ssp.system_name, organisation + " ISMS");
  const std::string scope = Prose(ssp.scope, "");
  const std::string this_system = doc.Uuid("this-system");
  OJson components = OJson::array();
  components.push_back({{"uuid", this_system},
                        {"type", "this-system"},
                        {"title", system_name},
                        {"description", "The information security management system of " +
                                            organisation + ", as Rampart records it."},
                        {"status", {{"state", "operational"}}}});
  std::vector<OJson> component_roles(ssp.components.size());
  for (size_t i = 0; i < ssp.components.size(); ++i) {
    const OscalSspComponent& c = ssp.components[i];
    OJson roles = OJson::array();
    for (const auto& role : c.responsible_roles) {
      const std::string& id = role_ids.at(role);
      if (std::none_of(roles.begin(), roles.end(),
                       [&](const OJson& r) { return r["role-id"] == id; })) {
        roles.push_back({{"role-id", id}});
      }
    }
    if (const std::string owner = doc.Person(c.owner); !owner.empty()) {
      roles.push_back({{"role-id", "control-owner"}, {"party-uuids", OJson::array({owner})}});
    }
    component_roles[i] = roles;
    const std::string name = OneLine(c.name, "Applied control " + std::to_string(c.id));
    OJson status = {{"state", ComponentState(c.status)}};
    if (c.status == "not_effective") status["remarks"] = "Implemented but not effective.";
    OJson j = {{"uuid", doc.Uuid("applied-control:" + std::to_string(c.id))},
               {"type", "process-procedure"},
               {"title", name},
               {"description", Prose(c.description, name)},
               {"props", OJson::array({RampartProp("applied-control-id", std::to_string(c.id)),
                                       RampartProp("status", c.status)})},
               {"status", std::move(status)}};
    if (!roles.empty()) j["responsible-roles"] = std::move(roles);
    components.push_back(std::move(j));
  }

  // Implemented requirements: the applicable controls; the excluded ones in the description.
  OJson requirements = OJson::array();
  std::string excluded;
  size_t excluded_count = 0;
  for (const OscalSspRequirement& r : ssp.requirements) {
    const AnnexAControl& control = *FindAnnexAControl(r.control_id);
    if (!r.applicable) {
      ++excluded_count;
      excluded += "\n- " + AnnexALabel(control.id) + " " + OneLine(r.title, control.title) + ": " +
                  OneLine(r.justification, "no justification recorded");
      continue;
    }
    const std::string identity = "requirement:" + control.id;
    OJson props = OJson::array({RampartProp("soa-status", r.status)});
    for (const auto& reason : r.reasons) props.push_back(RampartProp("soa-reason", reason));
    OJson by_components = OJson::array();
    for (int64_t id : r.components) {
      const size_t i = component_index.at(id);
      const OscalSspComponent& c = ssp.components[i];
      const std::string component = doc.Uuid("applied-control:" + std::to_string(id));
      if (std::any_of(by_components.begin(), by_components.end(),
                      [&](const OJson& b) { return b["component-uuid"] == component; })) {
        continue;
      }
      const std::string name = OneLine(c.name, "Applied control " + std::to_string(c.id));
      OJson b = {{"component-uuid", component},
                 {"uuid", doc.Uuid(identity + "/applied-control:" + std::to_string(id))},
                 {"description", Prose(c.description, name)},
                 {"implementation-status",
                  ImplementationStatusJson(AppliedControlImplementation(c.status))}};
      if (!component_roles[i].empty()) b["responsible-roles"] = component_roles[i];
      by_components.push_back(std::move(b));
    }
    if (by_components.empty()) {
      by_components.push_back(
          {{"component-uuid", this_system},
           {"uuid", doc.Uuid(identity + "/this-system")},
           {"description", "The ISMS as a whole: no applied control is linked to this control."},
           {"implementation-status", ImplementationStatusJson(SoaImplementation(r.status))}});
    }
    OJson j = {{"uuid", doc.Uuid(identity)},
               {"control-id", OscalAnnexAControlId(control.id)},
               {"props", std::move(props)},
               {"by-components", std::move(by_components)}};
    if (const std::string justification = Prose(r.justification, ""); !justification.empty()) {
      j["remarks"] = justification;
    }
    requirements.push_back(std::move(j));
  }
  std::string description = "How " + organisation +
                            " implements the controls of ISO/IEC 27001:2022 Annex A that its "
                            "Statement of Applicability (" +
                            OneLine(ssp.meta.version, "current") + ") determines applicable: " +
                            Plural(applicable, "control is", "controls are") + " applicable and " +
                            Plural(excluded_count, "is", "are") + " excluded.";
  if (!excluded.empty()) {
    description +=
        "\n\nThe excluded controls and the justification for excluding them:\n" + excluded;
  }

  const std::string boundary = scope.empty()
                                   ? "The scope of the ISMS is not recorded in Rampart yet."
                                   : "The scope of the ISMS:\n\n" + scope;
  OJson characteristics = {
      {"system-ids", OJson::array({{{"identifier-type", "https://ietf.org/rfc/rfc4122"},
                                    {"id", doc.Uuid("system")}}})},
      {"system-name", system_name},
      {"description", scope.empty()
                          ? "The information security management system of " + organisation + "."
                          : scope},
      {"system-information",
       {{"information-types",
         OJson::array({{{"uuid", doc.Uuid("information-type:isms-records")},
                        {"title", "ISMS records"},
                        {"description",
                         "The records of the ISMS kept in Rampart: its context and scope, "
                         "risks and their treatment, the Statement of Applicability, applied "
                         "controls, documented information, audits, nonconformities and "
                         "reviews."}}})}}},
      {"status", {{"state", "operational"}}},
      {"authorization-boundary", {{"description", boundary}}}};

  // The metadata once every person and role is known.
  OJson plan = {
      {"uuid", doc.Uuid("ssp")},
      {"metadata", doc.Metadata("System security plan: " + system_name, ssp.meta.version, "")},
      {"import-profile", {{"href", UriReference(ssp.profile_href, "soa-profile.json")}}},
      {"system-characteristics", std::move(characteristics)},
      {"system-implementation",
       {{"users", std::move(users)}, {"components", std::move(components)}}},
      {"control-implementation",
       {{"description", std::move(description)},
        {"implemented-requirements", std::move(requirements)}}}};
  return Dump(OJson{{"system-security-plan", std::move(plan)}});
}

Result<std::string> OscalPoamJson(const OscalPoam& poam) {
  RETURN_IF_ERROR(CheckMeta(poam.meta));
  std::set<std::pair<std::string, int64_t>> seen;
  for (size_t i = 0; i < poam.items.size(); ++i) {
    const OscalPoamItem& item = poam.items[i];
    const std::string at = OscalIndexed("", "items", i);
    if (!seen.emplace(Token(item.kind, "action"), item.id).second) {
      return InvalidArgument(
          OneLine(item.kind, "action") + " " + std::to_string(item.id) + " is repeated",
          at + ".id");
    }
    if (!item.due.empty() && !IsOscalDate(item.due)) {
      return InvalidArgument("due must be a date (YYYY-MM-DD) from 1900 to 2999", at + ".due");
    }
    for (size_t j = 0; j < item.controls.size(); ++j) {
      if (FindAnnexAControl(item.controls[j]) == nullptr) {
        return InvalidArgument(
            "\"" + OneLine(item.controls[j], "") + "\" is not a control of Annex A",
            OscalIndexed(at, "controls", j));
      }
    }
  }
  if (poam.items.empty()) return FailedPrecondition("there is no open action to plan");

  Document doc(poam.meta);
  const bool owners = std::any_of(poam.items.begin(), poam.items.end(),
                                  [](const auto& i) { return !OneLine(i.owner, "").empty(); });
  if (owners) doc.AddRole("action-owner", "Action owner");

  // The records acted on, in order of first mention, each with its actions.
  std::vector<std::pair<std::string, int64_t>> records;
  std::map<std::pair<std::string, int64_t>, std::vector<size_t>> actions;
  for (size_t i = 0; i < poam.items.size(); ++i) {
    std::pair<std::string, int64_t> key{Token(poam.items[i].record_type, "record"),
                                        poam.items[i].record_id};
    auto& list = actions[key];
    if (list.empty()) records.push_back(key);
    list.push_back(i);
  }
  const auto action_identity = [](const OscalPoamItem& item) {
    return Token(item.kind, "action") + ":" + std::to_string(item.id);
  };
  const auto record_identity = [](const std::pair<std::string, int64_t>& key) {
    return key.first + ":" + std::to_string(key.second);
  };

  OJson risks = OJson::array();
  for (const auto& key : records) {
    const std::vector<size_t>& list = actions.at(key);
    const OscalPoamItem& first = poam.items[list.front()];
    const std::string what = key.first + " " + std::to_string(key.second);  // "risk 12"
    std::string deadline;
    bool in_progress = false;
    OJson remediations = OJson::array();
    for (size_t i : list) {
      const OscalPoamItem& item = poam.items[i];
      const std::string identity = action_identity(item);
      const std::string title =
          OneLine(item.title, Capitalised(item.kind, "action") + " " + std::to_string(item.id));
      in_progress = in_progress || item.status == "in_progress";
      if (!item.due.empty()) deadline = std::max(deadline, item.due);
      OJson response = {{"uuid", doc.Uuid(identity + "/remediation")},
                        {"lifecycle", "planned"},
                        {"title", title},
                        {"description", Prose(item.description, title)},
                        {"props", OJson::array({RampartProp("kind", item.kind),
                                                RampartProp("status", item.status)})}};
      const std::string owner = doc.Person(item.owner);
      if (!item.due.empty() || !owner.empty()) {
        OJson task = {{"uuid", doc.Uuid(identity + "/milestone")},
                      {"type", "milestone"},
                      {"title", "Completion: " + title}};
        if (!item.due.empty()) {
          task["timing"] = {{"on-date", {{"date", item.due + "T23:59:59Z"}}}};
        }
        if (!owner.empty()) {
          task["responsible-roles"] =
              OJson::array({{{"role-id", "action-owner"}, {"party-uuids", OJson::array({owner})}}});
        }
        response["tasks"] = OJson::array({std::move(task)});
      }
      remediations.push_back(std::move(response));
    }
    const std::string title = OneLine(first.record_title, "");
    OJson risk = {
        {"uuid", doc.Uuid(record_identity(key))},
        {"title", title.empty() ? Capitalised(what, "") : title},
        {"description",
         "Recorded in Rampart as " + what + (title.empty() ? std::string() : ": " + title) + "."},
        {"statement", "Its assessment and consequences are recorded with " + what + " in Rampart."},
        {"props", OJson::array({RampartProp("record-type", key.first),
                                RampartProp("record-id", std::to_string(key.second))})},
        {"status", in_progress ? "remediating" : "open"}};
    if (!deadline.empty()) risk["deadline"] = deadline + "T23:59:59Z";
    risk["remediations"] = std::move(remediations);
    risks.push_back(std::move(risk));
  }

  OJson items = OJson::array();
  for (const OscalPoamItem& item : poam.items) {
    const std::string title =
        OneLine(item.title, Capitalised(item.kind, "action") + " " + std::to_string(item.id));
    OJson props =
        OJson::array({RampartProp("kind", item.kind), RampartProp("status", item.status)});
    if (!item.due.empty()) props.push_back(RampartProp("due", item.due));
    for (const auto& control : item.controls) {
      props.push_back(RampartProp("control-id", OscalAnnexAControlId(control)));
    }
    const std::pair<std::string, int64_t> key{Token(item.record_type, "record"), item.record_id};
    items.push_back(
        {{"uuid", doc.Uuid(action_identity(item))},
         {"title", title},
         {"description", Prose(item.description, title)},
         {"props", std::move(props)},
         {"related-risks", OJson::array({{{"risk-uuid", doc.Uuid(record_identity(key))}}})}});
  }

  OJson plan = OJson::object();
  plan["uuid"] = doc.Uuid("poam");
  plan["metadata"] = doc.Metadata(
      "Plan of action and milestones of " + OneLine(poam.meta.organisation, "the organisation"),
      poam.meta.version,
      "The open risk treatment actions and corrective actions of the ISMS, each with the risk or "
      "nonconformity it acts on.");
  if (!poam.ssp_href.empty()) {
    plan["import-ssp"] = {{"href", UriReference(poam.ssp_href, "ssp.json")}};
  } else {
    plan["system-id"] = {{"identifier-type", "https://ietf.org/rfc/rfc4122"},
                         {"id", doc.Uuid("system")}};
  }
  plan["risks"] = std::move(risks);
  plan["poam-items"] = std::move(items);
  return Dump(OJson{{"plan-of-action-and-milestones", std::move(plan)}});
}

}  // namespace rampart::domain
