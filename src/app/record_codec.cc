#include "app/record_codec.h"

#include <algorithm>
#include <charconv>

#include "base/text.h"

namespace rampart::app {

using domain::FieldType;
using domain::Json;

namespace {

void AddSystemFields(const domain::Record& r, Json& j) {
  j["id"] = r.id;
  j["version"] = r.version;
  j["created_at"] = r.created_at;
  j["updated_at"] = r.updated_at;
  j["created_by"] = r.created_by;
  j["updated_by"] = r.updated_by;
}

}  // namespace

Json RecordToJson(const domain::Record& r) {
  Json j = r.fields;
  AddSystemFields(r, j);
  return j;
}

Json RecordToJson(domain::Record&& r) {
  Json j = std::move(r.fields);
  r.fields = Json::object();
  AddSystemFields(r, j);
  return j;
}

namespace {

const std::string* FirstValue(const std::multimap<std::string, std::string>& form,
                              const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? nullptr : &it->second;
}

const domain::FieldSpec* ColumnOf(const domain::FieldSpec& table, const std::string& name) {
  for (const auto& c : table.columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Json ScalarFromForm(const domain::FieldSpec& f, const std::string* v) {
  switch (f.type) {
    case FieldType::kBool:
      return v != nullptr && (*v == "on" || *v == "true" || *v == "1");
    case FieldType::kUser:
    case FieldType::kRef:
    case FieldType::kInteger: {
      if (v == nullptr || Trim(*v).empty()) return nullptr;
      int64_t n = 0;
      const auto t = Trim(*v);
      const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
      if (ec != std::errc() || p != t.data() + t.size()) return std::string(t);
      return n;
    }
    case FieldType::kList: {
      if (v == nullptr) return nullptr;
      Json a = Json::array();
      for (auto& line : SplitLines(*v)) a.push_back(line);
      return a;
    }
    default:
      return v == nullptr ? Json() : Json(*v);
  }
}

}  // namespace

Json FormToInput(const domain::RegisterSpec& spec,
                 const std::multimap<std::string, std::string>& form) {
  Json input = Json::object();
  for (const auto& f : spec.fields) {
    if (f.read_only) continue;
    if (f.type == FieldType::kRefs || (f.type == FieldType::kList && !f.choices.empty())) {
      // A multiple select: every value sent under the name; the form also sends an empty one,
      // so that choosing nothing clears the field.
      const auto [first, last] = form.equal_range(f.name);
      if (first == last) continue;
      Json a = Json::array();
      for (auto it = first; it != last; ++it) {
        const auto t = Trim(it->second);
        if (t.empty()) continue;
        int64_t n = 0;
        const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
        const bool number = ec == std::errc() && p == t.data() + t.size();
        if (f.type == FieldType::kRefs && number) {
          a.push_back(n);
        } else {
          a.push_back(std::string(t));
        }
      }
      input[f.name] = std::move(a);
      continue;
    }
    if (f.type != FieldType::kTable) {
      const std::string* v = FirstValue(form, f.name);
      // Absent from the form: absent from the input, so defaults apply. A checkbox is absent
      // when unticked, so a boolean is always set.
      if (v == nullptr && f.type != FieldType::kBool) continue;
      input[f.name] = ScalarFromForm(f, v);
      continue;
    }
    // Rows are numbered name[0], name[1], ...; gaps end nothing (rows may be removed).
    std::map<int, Json> rows;
    const std::string prefix = f.name + "[";
    for (auto it = form.lower_bound(prefix); it != form.end() && it->first.rfind(prefix, 0) == 0;
         ++it) {
      int index = 0;
      const std::string& key = it->first;
      const auto close = key.find("][", prefix.size());
      if (close == std::string::npos || key.back() != ']') continue;
      const auto [p, ec] = std::from_chars(key.data() + prefix.size(), key.data() + close, index);
      if (ec != std::errc() || p != key.data() + close || index < 0 || index > 10000) continue;
      const std::string col = key.substr(close + 2, key.size() - close - 3);
      if (rows[index].is_null()) rows[index] = Json::object();
      // A set of choices in a row (ticked checkboxes) sends each value under the one name.
      const domain::FieldSpec* c = ColumnOf(f, col);
      if (c != nullptr && c->type == FieldType::kList && !c->choices.empty()) {
        if (!rows[index].contains(col)) rows[index][col] = Json::array();
        if (!Trim(it->second).empty()) rows[index][col].push_back(it->second);
      } else {
        rows[index][col] = it->second;
      }
    }
    Json a = Json::array();
    for (auto& [_, raw] : rows) {
      // A row left entirely blank is not an entry (forms offer spare rows).
      // A colour input always sends a colour, so a colour alone does not make an entry.
      bool blank = true;
      for (const auto& [col, value] : raw.items()) {
        const domain::FieldSpec* c = ColumnOf(f, col);
        if (c == nullptr || c->type == FieldType::kColour) continue;
        if (value.is_array() ? !value.empty()
                             : !Trim(value.get<std::string>()).empty() &&
                                   !(c->type == FieldType::kBool && value == "false")) {
          blank = false;
        }
      }
      if (blank) continue;
      Json row = Json::object();
      for (const auto& c : f.columns) {
        if (raw.contains(c.name) && raw[c.name].is_array()) {
          row[c.name] = raw[c.name];
          continue;
        }
        const std::string* v = nullptr;
        if (raw.contains(c.name)) v = &raw[c.name].get_ref<const std::string&>();
        row[c.name] = ScalarFromForm(c, v);
      }
      a.push_back(std::move(row));
    }
    input[f.name] = std::move(a);
  }
  return input;
}

std::map<std::string, std::vector<int64_t>> ReferencedIds(const domain::RegisterSpec& spec,
                                                          const std::vector<const Json*>& rows) {
  std::map<std::string, std::vector<int64_t>> out;
  for (const auto& f : spec.fields) {
    if (f.type != FieldType::kRef && f.type != FieldType::kRefs) continue;
    for (const Json* fields : rows) {
      const auto v = fields->find(f.name);
      if (v == fields->end()) continue;
      if (v->is_number_integer()) out[f.ref].push_back(v->get<int64_t>());
      if (v->is_array()) {
        for (const auto& id : *v) {
          if (id.is_number_integer()) out[f.ref].push_back(id.get<int64_t>());
        }
      }
    }
  }
  for (auto& [_, ids] : out) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  return out;
}

const domain::FieldSpec& RowNameColumn(const domain::FieldSpec& table) {
  for (const auto& c : table.columns) {
    if (c.type == FieldType::kText || c.type == FieldType::kLongText ||
        c.type == FieldType::kUser) {
      return c;
    }
  }
  return table.columns.front();
}

std::vector<RowChange> DiffTableRows(const domain::FieldSpec& table, const Json& before,
                                     const Json& after) {
  std::vector<RowChange> out;
  if (table.columns.empty()) return out;
  const std::string& name = RowNameColumn(table).name;
  const Json none = Json::array();
  const Json& from = before.is_array() ? before : none;
  const Json& to = after.is_array() ? after : none;
  auto cell = [](const Json& row, const std::string& col) {
    return row.is_object() ? row.value(col, Json()) : Json();
  };
  std::vector<bool> matched(to.size(), false);
  for (const auto& b : from) {
    size_t i = 0;
    while (i < to.size() && (matched[i] || cell(to[i], name) != cell(b, name))) ++i;
    if (i == to.size()) {
      out.push_back({.kind = RowChange::Kind::kRemoved, .before = b});
      continue;
    }
    matched[i] = true;
    RowChange change{.kind = RowChange::Kind::kChanged, .before = b, .after = to[i]};
    for (const auto& c : table.columns) {
      if (cell(b, c.name) != cell(to[i], c.name)) change.columns.push_back(&c);
    }
    if (!change.columns.empty()) out.push_back(std::move(change));
  }
  for (size_t i = 0; i < to.size(); ++i) {
    if (!matched[i]) out.push_back({.kind = RowChange::Kind::kAdded, .after = to[i]});
  }
  return out;
}

namespace {

std::string UserNameOf(int64_t id, const std::vector<domain::UserSummary>& members) {
  for (const auto& m : members) {
    if (m.id == id) return m.username;
  }
  return std::to_string(id);
}

std::string PersonNameOf(int64_t id, const std::vector<domain::UserSummary>& members) {
  for (const auto& m : members) {
    if (m.id == id) return m.display_name.empty() ? m.username : m.display_name;
  }
  return "";
}

// A scalar cell as exported: users by user name, booleans as true/false, the rest as stored.
std::string ExportScalar(const domain::FieldSpec& f, const Json& v,
                         const std::vector<domain::UserSummary>& members) {
  if (v.is_null()) return "";
  if (f.type == FieldType::kUser && v.is_number_integer()) {
    return UserNameOf(v.get<int64_t>(), members);
  }
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_float()) return FormatNumber(v.get<double>());  // 95.5, not 95.500000
  return v.dump();
}

std::string TableLines(const domain::FieldSpec& f, const Json& v,
                       const std::vector<domain::UserSummary>& members) {
  std::string out;
  if (!v.is_array() || f.columns.empty()) return out;
  const domain::FieldSpec& name = RowNameColumn(f);
  for (const auto& row : v) {
    std::string line = ExportScalar(name, row.value(name.name, Json()), members);
    for (const auto& c : f.columns) {
      if (&c == &name) continue;
      const std::string cell = ExportScalar(c, row.value(c.name, Json()), members);
      if (cell.empty()) continue;
      line += (line.empty() ? "" : " — ") + ToLower(c.label) + ": " + cell;
    }
    out += (out.empty() ? "" : "\n") + line;
  }
  return out;
}

}  // namespace

ExportSheet RecordsToSheet(const domain::RegisterSpec& spec,
                           const std::vector<domain::Record>& records,
                           const std::vector<domain::UserSummary>& members,
                           const RefTitles& titles) {
  auto named = [](const domain::FieldSpec& f) {
    return f.type == FieldType::kUser || f.type == FieldType::kRef || f.type == FieldType::kRefs;
  };
  auto title_of = [&](const domain::FieldSpec& f, int64_t id) {
    const auto of = titles.find(f.ref);
    if (of != titles.end()) {
      const auto t = of->second.find(id);
      if (t != of->second.end()) return t->second;
    }
    return "#" + std::to_string(id);
  };
  ExportSheet sheet;
  sheet.header = {"id", "version"};
  sheet.numeric = {false, false};
  for (const auto& f : spec.fields) {
    sheet.header.push_back(f.name);
    sheet.numeric.push_back(f.type == FieldType::kInteger || f.type == FieldType::kDecimal);
    if (named(f)) {
      sheet.header.push_back(f.name + "_name");
      sheet.numeric.push_back(false);
    }
  }
  sheet.header.push_back("created_at");
  sheet.header.push_back("updated_at");
  sheet.numeric.resize(sheet.header.size(), false);
  sheet.rows.reserve(records.size());
  for (const auto& r : records) {
    std::vector<std::string> row = {std::to_string(r.id), std::to_string(r.version)};
    for (const auto& f : spec.fields) {
      static const Json kAbsent;
      const auto it = r.fields.find(f.name);
      const Json& v = it == r.fields.end() ? kAbsent : *it;
      std::string cell;
      std::string name;
      if (v.is_null()) {
      } else if (f.type == FieldType::kUser) {
        cell = UserNameOf(v.get<int64_t>(), members);
        name = PersonNameOf(v.get<int64_t>(), members);
      } else if (f.type == FieldType::kRef) {
        cell = v.dump();
        name = title_of(f, v.get<int64_t>());
      } else if (f.type == FieldType::kRefs) {
        for (const auto& id : v) {
          cell += (cell.empty() ? "" : "\n") + id.dump();
          name += (name.empty() ? "" : "\n") + title_of(f, id.get<int64_t>());
        }
      } else if (f.type == FieldType::kList) {
        for (const auto& item : v) cell += (cell.empty() ? "" : "\n") + item.get<std::string>();
      } else if (f.type == FieldType::kTable) {
        cell = TableLines(f, v, members);
      } else {
        cell = ExportScalar(f, v, members);
      }
      row.push_back(std::move(cell));
      if (named(f)) row.push_back(std::move(name));
    }
    row.push_back(r.created_at);
    row.push_back(r.updated_at);
    sheet.rows.push_back(std::move(row));
  }
  return sheet;
}

std::string RecordsToCsv(const domain::RegisterSpec& spec,
                         const std::vector<domain::Record>& records,
                         const std::vector<domain::UserSummary>& members, const RefTitles& titles) {
  return SheetToCsv(RecordsToSheet(spec, records, members, titles));
}

std::string SheetToCsv(const ExportSheet& sheet) {
  std::string out = CsvRow(sheet.header);
  for (const auto& row : sheet.rows) out += CsvRow(row);
  return out;
}

}  // namespace rampart::app
