#include "app/record_codec.h"

#include <charconv>

#include "base/text.h"

namespace rampart::app {

using domain::FieldType;
using domain::Json;

Json RecordToJson(const domain::Record& r) {
  Json j = r.fields;
  j["id"] = r.id;
  j["version"] = r.version;
  j["created_at"] = r.created_at;
  j["updated_at"] = r.updated_at;
  j["created_by"] = r.created_by;
  j["updated_by"] = r.updated_by;
  return j;
}

namespace {

const std::string* FirstValue(const std::multimap<std::string, std::string>& form,
                              const std::string& name) {
  auto it = form.find(name);
  return it == form.end() ? nullptr : &it->second;
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
      rows[index][col] = it->second;
    }
    Json a = Json::array();
    for (auto& [_, raw] : rows) {
      // A row left entirely blank is not an entry (forms offer spare rows).
      bool blank = true;
      for (const auto& [col, value] : raw.items()) {
        const domain::FieldSpec* c = nullptr;
        for (const auto& cs : f.columns) c = cs.name == col ? &cs : c;
        if (c != nullptr && !Trim(value.get<std::string>()).empty() &&
            !(c->type == FieldType::kBool && value == "false")) {
          blank = false;
        }
      }
      if (blank) continue;
      Json row = Json::object();
      for (const auto& c : f.columns) {
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

std::string RecordsToCsv(const domain::RegisterSpec& spec,
                         const std::vector<domain::Record>& records,
                         const std::vector<store::UserSummary>& members) {
  auto username = [&](int64_t id) {
    for (const auto& m : members) {
      if (m.id == id) return m.username;
    }
    return std::to_string(id);
  };
  std::string out = "id,version";
  for (const auto& f : spec.fields) out += "," + CsvField(f.name);
  out += ",created_at,updated_at\r\n";
  for (const auto& r : records) {
    out += std::to_string(r.id) + "," + std::to_string(r.version);
    for (const auto& f : spec.fields) {
      const Json& v = r.fields[f.name];
      std::string cell;
      if (v.is_null()) {
        cell = "";
      } else if (f.type == FieldType::kUser) {
        cell = username(v.get<int64_t>());
      } else if (f.type == FieldType::kList) {
        for (const auto& item : v) cell += (cell.empty() ? "" : "\n") + item.get<std::string>();
      } else if (v.is_string()) {
        cell = v.get<std::string>();
      } else {
        cell = v.dump();
      }
      out += "," + CsvField(cell);
    }
    out += "," + r.created_at + "," + r.updated_at + "\r\n";
  }
  return out;
}

}  // namespace rampart::app
