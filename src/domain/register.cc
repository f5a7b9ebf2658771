#include "domain/register.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include "base/clock.h"
#include "base/text.h"
#include "domain/access.h"

namespace rampart::domain {

namespace {

constexpr std::array<std::string_view, 6> kSystemFields = {
    "id", "version", "created_at", "updated_at", "created_by", "updated_by"};
constexpr size_t kMaxListItems = 500;

int MaxLength(const FieldSpec& f) {
  if (f.max_length > 0) return f.max_length;
  switch (f.type) {
    case FieldType::kLongText:
      return 10000;
    default:
      return 200;
  }
}

// Normalises a string value: trims, rejects invalid UTF-8 and control characters, enforces the
// length. Returns null for an empty string.
Json NormaliseText(const FieldSpec& f, const std::string& path, const Json& v,
                   std::vector<FieldError>& errors) {
  if (!v.is_string()) {
    errors.push_back({path, fmt::format("{} must be a string", f.label)});
    return nullptr;
  }
  const std::string& raw = v.get_ref<const std::string&>();
  std::string s(f.type == FieldType::kLongText ? Trim(raw) : Trim(raw));
  const long len = Utf8Length(s);
  if (len < 0) {
    errors.push_back({path, fmt::format("{} is not valid UTF-8 text", f.label)});
    return nullptr;
  }
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    const bool allowed_ws = f.type == FieldType::kLongText && (c == '\n' || c == '\t' || c == '\r');
    if (u < 0x20 && !allowed_ws) {
      errors.push_back({path, fmt::format("{} contains a control character", f.label)});
      return nullptr;
    }
  }
  if (len > MaxLength(f)) {
    errors.push_back({path, fmt::format("{} is longer than {} characters", f.label, MaxLength(f))});
    return nullptr;
  }
  if (s.empty()) return nullptr;
  return s;
}

Json NormaliseValue(const FieldSpec& f, const std::string& path, const Json& v,
                    std::vector<FieldError>& errors);

Json NormaliseRow(const FieldSpec& table, const std::string& path, const Json& row,
                  std::vector<FieldError>& errors) {
  if (!row.is_object()) {
    errors.push_back({path, fmt::format("each entry of {} must be an object", table.label)});
    return nullptr;
  }
  for (const auto& [key, _] : row.items()) {
    bool known = false;
    for (const auto& c : table.columns) known = known || c.name == key;
    if (!known) errors.push_back({path + "." + key, fmt::format("unknown field \"{}\"", key)});
  }
  Json out = Json::object();
  bool any = false;
  for (const auto& c : table.columns) {
    const std::string cpath = path + "." + c.name;
    const auto it = row.find(c.name);
    Json value = it == row.end() ? Json(nullptr) : NormaliseValue(c, cpath, *it, errors);
    // An unticked box is "no", not "absent": it does not make the row non-empty.
    if (!value.is_null() && !(value.is_boolean() && !value.get<bool>())) any = true;
    if (value.is_null() && c.type == FieldType::kBool) value = false;
    out[c.name] = std::move(value);
  }
  if (!any) {
    // Refused rather than dropped, so that row numbers in every error (including those of the
    // register's rules, which see the stored rows) match the rows as sent. Forms drop their
    // spare blank rows before validation.
    errors.push_back(
        {path, fmt::format("this entry of {} is empty; fill it in or remove it", table.label)});
    return nullptr;
  }
  for (const auto& c : table.columns) {
    const std::string cpath = path + "." + c.name;
    // As for top-level fields: an invalid value has its error already, not also "required".
    if (c.required && out[c.name].is_null() &&
        std::none_of(errors.begin(), errors.end(),
                     [&](const FieldError& e) { return e.field == cpath; })) {
      errors.push_back({cpath, fmt::format("{} is required", c.label)});
    }
  }
  return out;
}

Json NormaliseValue(const FieldSpec& f, const std::string& path, const Json& v,
                    std::vector<FieldError>& errors) {
  if (v.is_null()) return nullptr;
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kLongText:
      return NormaliseText(f, path, v, errors);
    case FieldType::kColour: {
      if (!v.is_string()) {
        errors.push_back({path, fmt::format("{} must be a string", f.label)});
        return nullptr;
      }
      std::string s(Trim(v.get_ref<const std::string&>()));
      if (s.empty()) return nullptr;
      const bool hex = s.size() == 7 && s[0] == '#' &&
                       std::all_of(s.begin() + 1, s.end(),
                                   [](unsigned char c) { return std::isxdigit(c) != 0; });
      if (!hex) {
        errors.push_back({path, fmt::format("{} is written #rrggbb (got \"{}\")", f.label, s)});
        return nullptr;
      }
      std::transform(s.begin(), s.end(), s.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      return s;
    }
    case FieldType::kEnum: {
      if (!v.is_string()) {
        errors.push_back({path, fmt::format("{} must be a string", f.label)});
        return nullptr;
      }
      const std::string s(Trim(v.get_ref<const std::string&>()));
      if (s.empty()) return nullptr;
      if (f.FindChoice(s) == nullptr) {
        std::string allowed;
        for (const auto& c : f.choices) allowed += (allowed.empty() ? "" : ", ") + c.value;
        errors.push_back(
            {path, fmt::format("{} must be one of: {} (got \"{}\")", f.label, allowed, s)});
        return nullptr;
      }
      return s;
    }
    case FieldType::kDate: {
      if (!v.is_string()) {
        errors.push_back({path, fmt::format("{} must be a date string YYYY-MM-DD", f.label)});
        return nullptr;
      }
      const std::string s(Trim(v.get_ref<const std::string&>()));
      if (s.empty()) return nullptr;
      if (!IsValidDate(s)) {
        errors.push_back({path, fmt::format("{} must be a valid date YYYY-MM-DD", f.label)});
        return nullptr;
      }
      return s;
    }
    case FieldType::kBool:
      if (!v.is_boolean()) {
        errors.push_back({path, fmt::format("{} must be true or false", f.label)});
        return nullptr;
      }
      return v;
    case FieldType::kInteger:
    case FieldType::kUser:
    case FieldType::kRef:
      if (!v.is_number_integer() || (f.type != FieldType::kInteger && v.get<int64_t>() <= 0)) {
        errors.push_back({path, fmt::format("{} must be {}", f.label,
                                            f.type == FieldType::kUser  ? "a user id"
                                            : f.type == FieldType::kRef ? "a record id"
                                                                        : "an integer")});
        return nullptr;
      }
      if (f.max_value > 0 && (v.get<int64_t>() < f.min_value || v.get<int64_t>() > f.max_value)) {
        errors.push_back(
            {path, fmt::format("{} must be from {} to {}", f.label, f.min_value, f.max_value)});
        return nullptr;
      }
      return v.get<int64_t>();
    case FieldType::kDecimal: {
      std::optional<double> n;
      if (v.is_number()) {
        n = v.get<double>();
      } else if (v.is_string()) {
        if (Trim(v.get_ref<const std::string&>()).empty()) return nullptr;
        n = ParseNumber(v.get_ref<const std::string&>());
      }
      if (!n) {
        errors.push_back({path, fmt::format("{} must be a number", f.label)});
        return nullptr;
      }
      if (f.max_value > 0 && (*n < f.min_value || *n > f.max_value)) {
        errors.push_back(
            {path, fmt::format("{} must be from {} to {}", f.label, f.min_value, f.max_value)});
        return nullptr;
      }
      return *n == 0 ? 0.0 : *n;  // no -0
    }
    case FieldType::kRefs: {
      if (!v.is_array()) {
        errors.push_back({path, fmt::format("{} must be a list of record ids", f.label)});
        return nullptr;
      }
      if (v.size() > kMaxListItems) {
        errors.push_back({path, fmt::format("{} has more than {} items", f.label, kMaxListItems)});
        return nullptr;
      }
      std::vector<int64_t> ids;
      for (size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_number_integer() || v[i].get<int64_t>() <= 0) {
          errors.push_back({fmt::format("{}[{}]", path, i),
                            fmt::format("{} must be a list of record ids", f.label)});
          return nullptr;
        }
        ids.push_back(v[i].get<int64_t>());
      }
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      return ids.empty() ? Json(nullptr) : Json(ids);
    }
    case FieldType::kList: {
      if (v.is_string() && f.accepts_joined_string) {
        Json words = Json::array();
        for (auto& w : SplitWords(v.get_ref<const std::string&>())) words.push_back(std::move(w));
        return NormaliseValue(f, path, words, errors);
      }
      if (!v.is_array()) {
        errors.push_back({path, fmt::format("{} must be a list of strings", f.label)});
        return nullptr;
      }
      if (v.size() > kMaxListItems) {
        errors.push_back({path, fmt::format("{} has more than {} items", f.label, kMaxListItems)});
        return nullptr;
      }
      FieldSpec item = f;
      item.type = FieldType::kText;
      item.max_length = f.max_length > 0 ? f.max_length : 500;
      Json out = Json::array();
      for (size_t i = 0; i < v.size(); ++i) {
        const std::string ipath = fmt::format("{}[{}]", path, i);
        Json s = NormaliseText(item, ipath, v[i], errors);
        if (s.is_null()) continue;
        if (!f.choices.empty() && f.FindChoice(s.get<std::string>()) == nullptr) {
          errors.push_back({ipath, fmt::format("{}: \"{}\" is not one of the choices", f.label,
                                               s.get<std::string>())});
          continue;
        }
        out.push_back(std::move(s));
      }
      if (!f.choices.empty()) {  // a set, in the order of the choices
        Json set = Json::array();
        for (const auto& c : f.choices) {
          if (std::find(out.begin(), out.end(), Json(c.value)) != out.end()) set.push_back(c.value);
        }
        out = std::move(set);
      }
      return out.empty() ? Json(nullptr) : out;
    }
    case FieldType::kTable: {
      if (!v.is_array()) {
        errors.push_back({path, fmt::format("{} must be a list of objects", f.label)});
        return nullptr;
      }
      if (v.size() > kMaxListItems) {
        errors.push_back(
            {path, fmt::format("{} has more than {} entries", f.label, kMaxListItems)});
        return nullptr;
      }
      Json out = Json::array();
      for (size_t i = 0; i < v.size(); ++i) {
        Json row = NormaliseRow(f, fmt::format("{}[{}]", path, i), v[i], errors);
        if (!row.is_null()) out.push_back(std::move(row));
      }
      return out.empty() ? Json(nullptr) : out;
    }
  }
  return nullptr;
}

}  // namespace

std::string SequenceText(const FieldSpec& f, const Json& fields) {
  const Json n = fields.value(f.name, Json());
  if (!n.is_number_integer()) return "";
  const Json within = f.sequence_within.empty() ? Json() : fields.value(f.sequence_within, Json());
  if (!within.is_string()) return std::to_string(n.get<int64_t>());
  return fmt::format("{}-{:03}", within.get<std::string>(), n.get<int64_t>());
}

FieldSpec OwnerField() {
  FieldSpec f{.name = "owner", .label = "Owner", .type = FieldType::kUser};
  f.filterable = f.sortable = true;
  f.help = "Who keeps this record current.";
  return f;
}

std::vector<Choice> MembershipRoleChoices() {
  std::vector<Choice> out;
  for (const auto& r : AllRoles()) out.push_back({std::string(r.name), std::string(r.label)});
  return out;
}

std::vector<FieldSpec> AudienceFields(const std::string& prefix, const std::string& label,
                                      std::string people_help) {
  FieldSpec roles{.name = prefix + "_roles",
                  .label = label + ": roles",
                  .type = FieldType::kList,
                  .choices = MembershipRoleChoices(),
                  .help = "Everyone whose membership has one of these roles."};
  FieldSpec isms_roles{.name = prefix + "_isms_roles",
                       .label = label + ": ISMS roles",
                       .type = FieldType::kRefs,
                       .help = "The holders of these ISMS roles.",
                       .ref = "isms_role"};
  FieldSpec people{.name = prefix + "_people",
                   .label = label + ": people",
                   .type = FieldType::kTable,
                   .help = std::move(people_help)};
  people.columns = {
      {.name = "person", .label = "Person", .type = FieldType::kUser, .required = true}};
  return {roles, isms_roles, people};
}

FieldSpec NextReviewField() {
  FieldSpec f{.name = "next_review", .label = "Next review", .type = FieldType::kDate};
  f.sortable = f.filterable = true;
  return f;
}

const Choice* FieldSpec::FindChoice(std::string_view value) const {
  for (const auto& c : choices) {
    if (c.value == value) return &c;
  }
  return nullptr;
}

std::string FieldSpec::ChoiceLabel(std::string_view value) const {
  const Choice* c = FindChoice(value);
  return c != nullptr ? c->label : std::string(value);
}

bool Lifecycle::AllowsTransition(std::string_view from, std::string_view to) const {
  if (from == to) return true;
  for (const auto& [f, t] : transitions) {
    if (f == from && t == to) return true;
  }
  return false;
}

bool Lifecycle::IsEditableIn(std::string_view state) const {
  if (editable_in.empty()) return true;
  return std::find(editable_in.begin(), editable_in.end(), state) != editable_in.end();
}

const FieldSpec* RegisterSpec::Field(std::string_view name) const {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool RegisterSpec::EditableByOwners() const {
  return write_permission == Permission::kEditRecords &&
         std::any_of(fields.begin(), fields.end(),
                     [](const FieldSpec& f) { return f.type == FieldType::kUser && !f.read_only; });
}

bool RegisterSpec::IsSortable(std::string_view name) const {
  if (name == "id" || name == "created_at" || name == "updated_at") return true;
  const FieldSpec* f = Field(name);
  return f != nullptr && f->sortable;
}

namespace {

// True when the record's date `field` is before `today` and the record is still open.
bool OpenPast(const RegisterSpec& spec, const Json& fields, std::string_view field,
              std::string_view today) {
  const auto it = fields.find(std::string(field));
  if (it == fields.end() || !it->is_string() || it->get_ref<const std::string&>() >= today) {
    return false;
  }
  if (spec.lifecycle) {
    const auto state = fields.find(spec.lifecycle->field);
    if (state != fields.end() && state->is_string() &&
        std::find(spec.lifecycle->closed.begin(), spec.lifecycle->closed.end(),
                  state->get<std::string>()) != spec.lifecycle->closed.end()) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsReviewOverdue(const RegisterSpec& spec, const Json& fields, std::string_view today) {
  return OpenPast(spec, fields, "next_review", today);
}

bool IsPastDue(const RegisterSpec& spec, const Json& fields, std::string_view today) {
  return spec.lifecycle && !spec.lifecycle->due_field.empty() &&
         OpenPast(spec, fields, spec.lifecycle->due_field, today);
}

bool IsSystemField(std::string_view name) {
  for (auto s : kSystemFields) {
    if (s == name) return true;
  }
  return false;
}

Json ValidateFields(const RegisterSpec& spec, const Json& input, WriteMode mode, const Json* before,
                    std::vector<FieldError>& errors) {
  Json out = Json::object();
  if (!input.is_object()) {
    errors.push_back({"", "the request body must be a JSON object"});
    return out;
  }
  for (const auto& [key, _] : input.items()) {
    if (spec.Field(key) == nullptr && !IsSystemField(key)) {
      errors.push_back(
          {key, fmt::format("unknown field \"{}\" for a {}", key, ToLower(spec.singular))});
    }
  }
  for (const auto& f : spec.fields) {
    const auto it = input.find(f.name);
    const bool present = it != input.end();
    if (f.read_only) {
      const Json prev = before != nullptr && before->contains(f.name) ? (*before)[f.name] : Json();
      const Json initial = mode == WriteMode::kCreate ? f.default_value : prev;
      if (present && *it != initial && !(it->is_null() && initial.is_null())) {
        errors.push_back({f.name, fmt::format("{} is set by the workflow and cannot be changed "
                                              "directly",
                                              f.label)});
      }
      out[f.name] = initial;
      continue;
    }
    Json value = present ? NormaliseValue(f, f.name, *it, errors) : Json(nullptr);
    if (!present && mode == WriteMode::kCreate && !f.default_value.is_null()) {
      value = f.default_value;
    }
    if (value.is_null() && f.type == FieldType::kBool) value = false;
    if (f.required && value.is_null() &&
        std::none_of(errors.begin(), errors.end(),
                     [&](const FieldError& e) { return e.field == f.name; })) {
      errors.push_back({f.name, fmt::format("{} is required", f.label)});
    }
    out[f.name] = std::move(value);
  }
  if (errors.empty() && spec.lifecycle && before != nullptr) {
    const auto& state = spec.lifecycle->field;
    const Json& from = (*before)[state];
    const Json& to = out[state];
    if (from.is_string() && to.is_string() &&
        !spec.lifecycle->AllowsTransition(from.get<std::string>(), to.get<std::string>())) {
      const FieldSpec* sf = spec.Field(state);
      errors.push_back({state, fmt::format("{} cannot change from \"{}\" to \"{}\"",
                                           sf != nullptr ? sf->label : state,
                                           from.get<std::string>(), to.get<std::string>())});
    }
  }
  if (errors.empty() && spec.rule) spec.rule(out, before, errors);
  return out;
}

Json DiffFields(const RegisterSpec& spec, const Json& before, const Json& after) {
  Json diff = Json::object();
  for (const auto& f : spec.fields) {
    const Json from = before.is_object() && before.contains(f.name) ? before[f.name] : Json();
    const Json to = after.is_object() && after.contains(f.name) ? after[f.name] : Json();
    if (from != to) diff[f.name] = Json{{"from", from}, {"to", to}};
  }
  return diff;
}

}  // namespace rampart::domain

namespace rampart::domain {

std::vector<FieldSpec> VersionFields() {
  FieldSpec number{.name = "version_number", .label = "Version", .type = FieldType::kInteger};
  number.read_only = number.sortable = number.sequence = true;
  FieldSpec status{.name = "status",
                   .label = "Status",
                   .type = FieldType::kEnum,
                   .choices = {{std::string(kVersionDraft), "Draft"},
                               {std::string(kVersionApproved), "Approved"},
                               {std::string(kVersionSuperseded), "Superseded"}},
                   .filterable = true,
                   .sortable = true,
                   .default_value = std::string(kVersionDraft)};
  status.read_only = true;
  FieldSpec approved_by{.name = "approved_by", .label = "Approved by", .type = FieldType::kUser};
  approved_by.read_only = true;
  FieldSpec approved_at{.name = "approved_at", .label = "Approved at"};
  approved_at.read_only = true;
  return {number, status, approved_by, approved_at};
}

Lifecycle VersionLifecycle() {
  return Lifecycle{
      .field = "status", .transitions = {}, .editable_in = {std::string(kVersionDraft)}};
}

const char* RowChangeName(RowComparison::Kind kind) {
  switch (kind) {
    case RowComparison::Kind::kSame:
      return "same";
    case RowComparison::Kind::kAdded:
      return "added";
    case RowComparison::Kind::kRemoved:
      return "removed";
    case RowComparison::Kind::kChanged:
      return "changed";
  }
  return "";
}

namespace {

const Json& Rows(const Json& v) {
  static const Json kEmpty = Json::array();
  return v.is_array() ? v : kEmpty;
}

std::vector<std::string> ChangedColumns(const FieldSpec& table, const Json& from, const Json& to) {
  std::vector<std::string> out;
  for (const auto& c : table.columns) {
    if (from.value(c.name, Json()) != to.value(c.name, Json())) out.push_back(c.name);
  }
  return out;
}

// Removed rows a[i0..i1) and added rows b[j0..j1) between two equal pairs: paired in order as
// changed rows, the rest removed or added.
void PairGap(const FieldSpec& table, const Json& a, size_t i0, size_t i1, const Json& b, size_t j0,
             size_t j1, std::vector<RowComparison>& out) {
  using Kind = RowComparison::Kind;
  while (i0 < i1 && j0 < j1) {
    out.push_back({Kind::kChanged, a[i0], b[j0], ChangedColumns(table, a[i0], b[j0])});
    ++i0, ++j0;
  }
  for (; i0 < i1; ++i0) out.push_back({Kind::kRemoved, a[i0], Json(), {}});
  for (; j0 < j1; ++j0) out.push_back({Kind::kAdded, Json(), b[j0], {}});
}

std::vector<RowComparison> CompareRows(const FieldSpec& table, const Json& from, const Json& to) {
  const Json& a = Rows(from);
  const Json& b = Rows(to);
  const size_t n = a.size(), m = b.size();
  // Longest common subsequence of equal rows (tables hold tens of rows, not thousands).
  std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<RowComparison> out;
  size_t i = 0, j = 0, gap_i = 0, gap_j = 0;
  while (i < n && j < m) {
    if (a[i] == b[j]) {
      PairGap(table, a, gap_i, i, b, gap_j, j, out);
      out.push_back({RowComparison::Kind::kSame, a[i], b[j], {}});
      gap_i = ++i;
      gap_j = ++j;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      ++i;
    } else {
      ++j;
    }
  }
  PairGap(table, a, gap_i, n, b, gap_j, m, out);
  return out;
}

}  // namespace

std::vector<FieldComparison> CompareVersions(const RegisterSpec& spec, const Json& from,
                                             const Json& to) {
  std::vector<FieldComparison> out, workflow;
  for (const auto& f : spec.fields) {
    FieldComparison c{
        .field = &f, .from = from.value(f.name, Json()), .to = to.value(f.name, Json())};
    c.changed = c.from != c.to;
    if (f.type == FieldType::kTable) c.rows = CompareRows(f, c.from, c.to);
    (f.read_only ? workflow : out).push_back(std::move(c));
  }
  for (auto& c : workflow) out.push_back(std::move(c));
  return out;
}

}  // namespace rampart::domain
