#include "app/import_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <set>
#include <unordered_map>

#include "app/access_control.h"
#include "app/record_codec.h"
#include "base/crypto.h"
#include "base/text.h"
#include "domain/registers.h"

namespace rampart::app {

using domain::FieldError;
using domain::FieldSpec;
using domain::FieldType;
using domain::Json;
using domain::Record;
using domain::RegisterSpec;

namespace {

// Headers and labels compared as people write them: case, spaces, '_' and '-' aside.
std::string Folded(std::string_view s) {
  std::string out;
  for (char c : ToLower(Trim(s))) {
    if (c == ' ' || c == '_' || c == '-' || c == '.') continue;
    out += c;
  }
  return out;
}

bool Importable(const FieldSpec& f) { return !f.read_only && !f.sequence; }

std::optional<int> Digits(std::string_view s) {
  int v = 0;
  if (s.empty() || s.size() > 4) return std::nullopt;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<int> MonthNamed(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string lower = ToLower(s);
  if (lower.size() < 3) return std::nullopt;
  static constexpr std::array<std::string_view, 12> kFull = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (lower == kMonths[i] || lower == kFull[i] || (lower == "sept" && i == 8)) {
      return static_cast<int>(i) + 1;
    }
  }
  return std::nullopt;
}

std::optional<std::string> DayOf(int y, int m, int d) {
  if (y < 100) y += 2000;
  if (y < 1000 || y > 9999) return std::nullopt;
  const std::string day = fmt::format("{:04}-{:02}-{:02}", y, m, d);
  if (!IsValidDate(day)) return std::nullopt;
  return day;
}

}  // namespace

std::optional<std::string> ParseSpreadsheetDate(std::string_view cell, bool month_first) {
  std::string_view s = Trim(cell);
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    // ISO, perhaps with a time after it ("2026-12-31T00:00:00", "2026-12-31 10:00").
    const std::string_view day = s.substr(0, 10);
    if (s.size() > 10 && s[10] != 'T' && s[10] != ' ') return std::nullopt;
    if (!IsValidDate(day)) return std::nullopt;
    return std::string(day);
  }
  // Split into parts at separators; a comma after a month name's day is a separator too.
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '/' || s[i] == '.' || s[i] == '-' || s[i] == ' ' || s[i] == ',') {
      if (i > start) parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() != 3) return std::nullopt;
  const auto a = Digits(parts[0]);
  const auto b = Digits(parts[1]);
  const auto c = Digits(parts[2]);
  if (a && b && c) {
    if (parts[0].size() == 4) return DayOf(*a, *b, *c);  // 2026/12/31
    if (parts[2].size() != 4 && parts[2].size() != 2) return std::nullopt;
    return month_first ? DayOf(*c, *a, *b) : DayOf(*c, *b, *a);
  }
  if (a && c && !b) {  // 31 Dec 2026, 31-Dec-26
    const auto m = MonthNamed(parts[1]);
    if (m) return DayOf(*c, *m, *a);
  }
  if (b && c && !a) {  // December 31, 2026
    const auto m = MonthNamed(parts[0]);
    if (m) return DayOf(*c, *m, *b);
  }
  return std::nullopt;
}

std::string_view OutcomeName(ImportRowResult::Outcome outcome) {
  switch (outcome) {
    case ImportRowResult::Outcome::kCreated:
      return "created";
    case ImportRowResult::Outcome::kUpdated:
      return "updated";
    case ImportRowResult::Outcome::kUnchanged:
      return "unchanged";
    case ImportRowResult::Outcome::kError:
      return "error";
  }
  return "error";
}

Result<ImportOptions> ImportOptionsFromJson(const Json& j) {
  ImportOptions out;
  if (!j.is_object()) return InvalidArgument("the mapping must be a JSON object", "columns");
  if (j.contains("columns")) {
    const Json& c = j["columns"];
    if (!c.is_object()) {
      return InvalidArgument(
          "columns must be an object naming, for each column header, the field it holds",
          "columns");
    }
    for (const auto& [header, target] : c.items()) {
      if (!target.is_string() && !target.is_null()) {
        return InvalidArgument(
            fmt::format("columns: what column \"{}\" holds must be a field name or \"\"", header),
            "columns");
      }
      out.columns[header] = target.is_string() ? target.get<std::string>() : "";
    }
  }
  if (j.contains("dates")) {
    const Json& d = j["dates"];
    if (d == "month-first") {
      out.month_first = true;
    } else if (d != "day-first") {
      return InvalidArgument(
          "dates must be \"day-first\" (31/12/2026) or \"month-first\" "
          "(12/31/2026)",
          "dates");
    }
  }
  for (const auto& [key, _] : j.items()) {
    if (key != "columns" && key != "dates") {
      return InvalidArgument(
          fmt::format("unknown mapping key \"{}\" (expected columns and dates)", key), key);
    }
  }
  return out;
}

Json ImportOptionsToJson(const ImportOptions& options) {
  Json columns = Json::object();
  for (const auto& [header, target] : options.columns) columns[header] = target;
  return {{"columns", std::move(columns)},
          {"dates", options.month_first ? "month-first" : "day-first"}};
}

std::vector<std::pair<std::string, std::string>> ImportTargets(const RegisterSpec& spec) {
  std::vector<std::pair<std::string, std::string>> out = {
      {"", "Not imported"},
      {std::string(kImportId), "Rampart id (updates that record)"},
      {std::string(kImportExternalId), "External id (matches earlier imports)"}};
  for (const auto& f : spec.fields) {
    if (Importable(f)) out.emplace_back(f.name, f.label);
  }
  return out;
}

SheetLimits ImportService::Limits() { return SheetLimits{}; }

Result<Sheet> ImportService::Read(std::string_view bytes) { return ReadSheet(bytes, Limits()); }

bool ImportService::Imports(const RegisterSpec& spec) {
  return !spec.workflow_only && !spec.versions;
}

Status ImportService::CheckMayImport(const Principal& p, const RegisterSpec& spec) const {
  if (!Imports(spec)) {
    return FailedPrecondition(
        spec.versions
            ? fmt::format("{} are approved versions: each is drafted and approved on its page",
                          ToLower(spec.plural))
            : fmt::format("{} are recorded by their workflow, not written directly",
                          ToLower(spec.plural)));
  }
  RETURN_IF_ERROR(RegisterService::CheckCanWrite(p, spec, nullptr, nullptr));
  RETURN_IF_ERROR(CheckMayTakeStep(p, ToLower(spec.plural)));
  if (!p.Can(spec.write_permission)) {
    return PermissionDenied(fmt::format(
        "importing {} changes any of them: your role ({}) may change only its own records",
        ToLower(spec.plural), domain::InfoOf(p.role).label));
  }
  return Status::Ok();
}

Result<ImportProposal> ImportService::Propose(const Principal& p, const RegisterSpec& spec,
                                              const Sheet& sheet, const ImportOptions* saved) {
  RETURN_IF_ERROR(CheckMayImport(p, spec));
  ImportProposal out;
  out.format = sheet.format;
  out.sheet_name = sheet.sheet_name;
  out.rows = static_cast<int64_t>(sheet.rows.size());
  for (size_t i = 0; i < sheet.rows.size() && i < 5; ++i) out.sample.push_back(sheet.rows[i]);
  std::set<std::string> headers;
  for (const auto& h : sheet.header) headers.insert(Folded(h));
  std::set<std::string> taken;
  for (const auto& header : sheet.header) {
    ColumnProposal c{.header = header};
    const std::string folded = Folded(header);
    auto take = [&](const std::string& target, std::string why) {
      if (!target.empty() && taken.count(target) > 0) {
        c.why = fmt::format("an earlier column already holds {}", target);
        return;
      }
      taken.insert(target);
      c.target = target;
      c.why = std::move(why);
    };
    if (saved != nullptr && saved->columns.count(header) > 0) {
      take(saved->columns.at(header), "the saved mapping");
      out.columns.push_back(std::move(c));
      continue;
    }
    const FieldSpec* by_name = nullptr;
    const FieldSpec* by_label = nullptr;
    const FieldSpec* names_of = nullptr;  // "<field>_name": the export's names of a field
    for (const auto& f : spec.fields) {
      if (Folded(f.name) == folded) by_name = &f;
      if (Folded(f.label) == folded) by_label = &f;
      if (Folded(f.name + "_name") == folded &&
          (f.type == FieldType::kUser || f.type == FieldType::kRef || f.type == FieldType::kRefs)) {
        names_of = &f;
      }
    }
    const FieldSpec* field = by_name != nullptr ? by_name : by_label;
    if (folded == "id") {
      take(std::string(kImportId), "Rampart's record id: the row updates that record");
    } else if (folded == "externalid" || folded == Folded(spec.singular + " id")) {
      take(std::string(kImportExternalId), "an identifier from another system");
    } else if (folded == "version" || folded == "createdat" || folded == "updatedat" ||
               folded == "createdby" || folded == "updatedby") {
      c.why = "kept by Rampart";
    } else if (field != nullptr && !Importable(*field)) {
      c.why = fmt::format("{} is set by Rampart", field->label);
    } else if (field != nullptr) {
      take(field->name, field == by_name ? "the field's name" : "the field's label");
    } else if (names_of != nullptr) {
      if (headers.count(Folded(names_of->name)) > 0) {
        c.why = fmt::format("the names beside the {} column, which is imported", names_of->name);
      } else {
        take(names_of->name, fmt::format("{} by name", names_of->label));
      }
    } else {
      c.why = "no field of this name or label";
    }
    out.columns.push_back(std::move(c));
  }
  return out;
}

namespace {

// One import: what the rows name, resolved in bulk, and the rows' conversion.
class Importer {
 public:
  Importer(store::Store& store, RegisterService& registers, const Principal& p,
           const RegisterSpec& spec, const ImportOptions& options)
      : store_(store), registers_(registers), p_(p), spec_(spec), options_(options) {}

  // Checks the mapping against the header: every target known and importable, used once.
  Status Map(const Sheet& sheet) {
    std::set<std::string> headers(sheet.header.begin(), sheet.header.end());
    for (const auto& [header, _] : options_.columns) {
      if (headers.count(header) == 0) {
        return InvalidArgument(fmt::format("columns: the file has no column \"{}\"", header),
                               "columns");
      }
    }
    std::map<std::string, std::string> used;  // target -> header
    targets_.assign(sheet.header.size(), nullptr);
    id_column_ = external_column_ = -1;
    for (size_t i = 0; i < sheet.header.size(); ++i) {
      const auto it = options_.columns.find(sheet.header[i]);
      const std::string target = it == options_.columns.end() ? "" : it->second;
      if (target.empty()) continue;
      if (used.count(target) > 0) {
        return InvalidArgument(fmt::format("columns: \"{}\" and \"{}\" both hold {}", used[target],
                                           sheet.header[i], target),
                               "columns");
      }
      used[target] = sheet.header[i];
      if (target == kImportId) {
        id_column_ = static_cast<int>(i);
        continue;
      }
      if (target == kImportExternalId) {
        external_column_ = static_cast<int>(i);
        continue;
      }
      const FieldSpec* f = spec_.Field(target);
      if (f == nullptr) {
        return InvalidArgument(fmt::format("columns: {} have no field \"{}\" (column \"{}\")",
                                           ToLower(spec_.plural), target, sheet.header[i]),
                               "columns");
      }
      if (!Importable(*f)) {
        return InvalidArgument(fmt::format("columns: {} is set by Rampart, not imported (column "
                                           "\"{}\")",
                                           f->label, sheet.header[i]),
                               "columns");
      }
      targets_[i] = f;
    }
    if (used.empty()) {
      return InvalidArgument(
          "columns: no column is mapped to a field: say which column holds "
          "which field",
          "columns");
    }
    used_ = std::move(used);
    return Status::Ok();
  }

  // Reads what the rows name: members, the records referred to by title, the register's
  // external ids. The records rows update are read as the rows are gone through (Window).
  Status Resolve(const Sheet& sheet) {
    ASSIGN_OR_RETURN(members_, store_.ListMembers(p_.org_id));
    // References by title need every title of the register referred to; by id, only those.
    std::map<std::string, std::vector<int64_t>> ids;
    std::set<std::string> by_title;
    auto note_ref = [&](const std::string& ref, std::string_view item) {
      const auto id = RefId(item);
      if (id) {
        ids[ref].push_back(*id);
      } else if (!Trim(item).empty()) {
        by_title.insert(ref);
      }
    };
    for (size_t c = 0; c < targets_.size(); ++c) {
      const FieldSpec* f = targets_[c];
      if (f == nullptr || (f->type != FieldType::kRef && f->type != FieldType::kRefs)) continue;
      for (const auto& row : sheet.rows) {
        if (f->type == FieldType::kRef) {
          note_ref(f->ref, row[c]);
        } else {
          for (const auto& item : Items(row[c], false)) note_ref(f->ref, item);
        }
      }
    }
    for (const auto& ref : by_title) {
      const RegisterSpec* target = domain::FindRegisterByType(ref);
      if (target == nullptr) return Internal(fmt::format("no register {}", ref));
      auto& titles = titles_[ref];
      RETURN_IF_ERROR(ForEachPage(store_, *target, p_.org_id, {}, [&](std::vector<Record>& page) {
        for (const auto& r : page) {
          const Json& t = r.fields.value(target->title_field, Json());
          if (!t.is_string()) continue;
          titles.known.insert(r.id);
          auto [it, fresh] = titles.by_title.emplace(ToLower(t.get<std::string>()), r.id);
          if (!fresh) it->second = 0;  // several records have the title
        }
        return Status::Ok();
      }));
    }
    for (auto& [ref, list] : ids) {
      if (by_title.count(ref) > 0) continue;  // every id is known already
      const RegisterSpec* target = domain::FindRegisterByType(ref);
      if (target == nullptr) return Internal(fmt::format("no register {}", ref));
      std::sort(list.begin(), list.end());
      list.erase(std::unique(list.begin(), list.end()), list.end());
      auto& titles = titles_[ref];
      for (size_t at = 0; at < list.size(); at += RegisterService::kTitlesPerStatement) {
        const std::vector<int64_t> some(
            list.begin() + static_cast<std::ptrdiff_t>(at),
            list.begin() + static_cast<std::ptrdiff_t>(
                               std::min(list.size(), at + RegisterService::kTitlesPerStatement)));
        ASSIGN_OR_RETURN(auto found, store_.Titles(*target, p_.org_id, some));
        for (const auto& [id, _] : found) titles.known.insert(id);
      }
    }
    // The records rows update: by id or external id. None named, none read (a first import).
    if (external_column_ >= 0) {
      ASSIGN_OR_RETURN(external_, store_.ExternalIds(p_.org_id, spec_.type));
    }
    return Status::Ok();
  }

  // Before the first row (again, when the rows are gone through once more): forgets the rows
  // seen, by which a row naming a record another row names is refused.
  void StartRows() {
    external_rows_.clear();
    id_rows_.clear();
  }

  // Validates row `index` and appends its writes to `mutations`.
  Status Row(const Sheet& sheet, size_t index, ImportRowResult& out,
             std::vector<store::Mutation>& mutations) {
    const auto& cells = sheet.rows[index];
    out.line = sheet.lines.size() > index ? sheet.lines[index] : static_cast<int64_t>(index) + 2;
    RETURN_IF_ERROR(Window(sheet, index));
    auto fail = [&](std::string field, std::string message) {
      out.outcome = ImportRowResult::Outcome::kError;
      out.errors.push_back({std::move(field), std::move(message)});
    };
    // Which record the row is about.
    const Record* before = nullptr;
    std::string external;
    if (external_column_ >= 0) {
      external = std::string(Trim(cells[external_column_]));
      if (!external.empty()) {
        const auto [seen, fresh] = external_rows_.emplace(external, out.line);
        if (!fresh) {
          fail(std::string(kImportExternalId),
               fmt::format("external id \"{}\" is also on row {}", external, seen->second));
        }
        const auto known = external_.find(external);
        if (known != external_.end()) before = Existing(known->second);
      }
    }
    if (id_column_ >= 0 && !Trim(cells[id_column_]).empty()) {
      const auto id = RefId(cells[id_column_]);
      const Record* named = id ? Existing(*id) : nullptr;
      if (named == nullptr) {
        fail(std::string(kImportId),
             fmt::format("there is no {} with id {}", ToLower(spec_.singular), cells[id_column_]));
      } else if (before != nullptr && before != named) {
        fail(std::string(kImportExternalId),
             fmt::format("external id \"{}\" belongs to {} {}, not {}", external,
                         ToLower(spec_.singular), before->id, named->id));
      } else {
        before = named;
        const auto [seen, fresh] = id_rows_.emplace(named->id, out.line);
        if (!fresh) {
          fail(std::string(kImportId),
               fmt::format("{} {} is also on row {}", spec_.singular, named->id, seen->second));
        }
      }
    }
    if (!out.errors.empty()) return Status::Ok();
    // The mapped cells as input.
    Json input = before != nullptr ? before->fields : Json::object();
    for (size_t c = 0; c < targets_.size(); ++c) {
      const FieldSpec* f = targets_[c];
      if (f == nullptr) continue;
      Json value = Convert(*f, cells[c], out.errors);
      // An empty cell of a new record leaves the field to its default.
      if (value.is_null() && before == nullptr) continue;
      input[f->name] = std::move(value);
    }
    if (!out.errors.empty()) {
      out.outcome = ImportRowResult::Outcome::kError;
      return Status::Ok();
    }
    if (before != nullptr) {
      if (spec_.lifecycle) {
        const Json& state = before->fields[spec_.lifecycle->field];
        if (state.is_string() && !spec_.lifecycle->IsEditableIn(state.get<std::string>())) {
          fail(spec_.lifecycle->field,
               fmt::format("this {} is {} and can no longer be changed", ToLower(spec_.singular),
                           state.get<std::string>()));
          return Status::Ok();
        }
      }
    }
    std::vector<FieldError> errors;
    const Json* prior = before != nullptr ? &before->fields : nullptr;
    Json fields = domain::ValidateFields(
        spec_, input, before != nullptr ? domain::WriteMode::kUpdate : domain::WriteMode::kCreate,
        prior, errors);
    // A row that changes no field is unchanged: not judged again by rules that depend on other
    // records (an auditor's impartiality), which were met when the record was written.
    const auto keyed = external_.find(external);
    const bool key_kept = external.empty() || (keyed != external_.end() && before != nullptr &&
                                               keyed->second == before->id);
    if (errors.empty() && before != nullptr && key_kept &&
        domain::DiffFields(spec_, before->fields, fields).empty()) {
      out.outcome = ImportRowResult::Outcome::kUnchanged;
      out.id = before->id;
      const Json& t = fields.value(spec_.title_field, Json());
      out.title = t.is_string() ? t.get<std::string>() : "";
      return Status::Ok();
    }
    if (errors.empty()) CheckPeople(fields, prior, errors);
    if (errors.empty()) RETURN_IF_ERROR(registers_.RunWriteHook(p_, spec_, fields, prior, errors));
    if (errors.empty() && before != nullptr) {
      RETURN_IF_ERROR(registers_.CheckAcyclic(p_, spec_, before->id, fields, errors));
    }
    if (!errors.empty()) {
      registers_.Restate(p_, spec_, errors);
      out.outcome = ImportRowResult::Outcome::kError;
      out.errors = std::move(errors);
      return Status::Ok();
    }
    const Json& title = fields.value(spec_.title_field, Json());
    out.title = title.is_string() ? title.get<std::string>() : "";
    std::vector<store::Mutation> own;
    if (before == nullptr) {
      out.outcome = ImportRowResult::Outcome::kCreated;
      own.push_back({.kind = store::Mutation::Kind::kInsert,
                     .spec = &spec_,
                     .fields = fields,
                     .action = "create",
                     .diff = domain::DiffFields(spec_, Json(), fields),
                     .external_id = external});
    } else {
      out.id = before->id;
      Json diff = domain::DiffFields(spec_, before->fields, fields);
      const bool key_changes =
          !external.empty() && (external_.count(external) == 0 || external_[external] != out.id);
      if (diff.empty() && !key_changes) {
        out.outcome = ImportRowResult::Outcome::kUnchanged;
        return Status::Ok();
      }
      out.outcome = ImportRowResult::Outcome::kUpdated;
      for (const auto& [k, _] : diff.items()) out.changed.push_back(k);
      // Only the external id is new: the record gains it with an update that changes no field
      // (its event says who attached the record to the other system's identifier, and when).
      if (diff.empty()) out.changed.push_back(std::string(kImportExternalId));
      own.push_back(UpdateOf(spec_, *before, fields, "update"));
      own.back().external_id = external;
    }
    RETURN_IF_ERROR(registers_.AddCompanions(p_, spec_, fields, prior, own));
    // Companion writes refer to mutations by their index within the row's own list.
    const size_t base = mutations.size();
    for (auto& m : own) {
      for (auto& [_, at] : m.ids_of) at += base;
      mutations.push_back(std::move(m));
    }
    return Status::Ok();
  }

  const std::map<std::string, std::string>& Used() const { return used_; }

 private:
  struct Titles {
    std::set<int64_t> known;
    std::unordered_map<std::string, int64_t> by_title;  // lower case; 0: several have it
  };

  // Reads the records that rows `index` to `index + kWindowRows - 1` name by id or external id,
  // unless that row is in the window read last: what an import of records to update holds does
  // not grow with the sheet. Rows go through the sheet in order, so each window is read once
  // per pass; the first row of a pass, or of rows validated after a rollback, starts a window.
  Status Window(const Sheet& sheet, size_t index) {
    if (id_column_ < 0 && external_column_ < 0) return Status::Ok();
    if (index >= window_from_ && index < window_to_) return Status::Ok();
    window_from_ = index;
    window_to_ = std::min(sheet.rows.size(), index + kWindowRows);
    existing_.clear();
    Json ids = Json::array();
    for (size_t i = window_from_; i < window_to_; ++i) {
      const auto& row = sheet.rows[i];
      if (id_column_ >= 0) {
        const auto id = RefId(row[id_column_]);
        if (id) ids.push_back(*id);
      }
      if (external_column_ >= 0) {
        const auto known = external_.find(std::string(Trim(row[external_column_])));
        if (known != external_.end()) ids.push_back(known->second);
      }
    }
    if (ids.empty()) return Status::Ok();  // none named: nothing read (a first import)
    domain::ListQuery query;
    query.filters.push_back({.field = "id", .value = std::move(ids)});
    return ForEachPage(store_, spec_, p_.org_id, std::move(query), [&](std::vector<Record>& page) {
      for (auto& r : page) existing_.emplace(r.id, std::move(r));
      return Status::Ok();
    });
  }

  const Record* Existing(int64_t id) const {
    const auto it = existing_.find(id);
    return it == existing_.end() ? nullptr : &it->second;
  }

  // "12" or "#12".
  static std::optional<int64_t> RefId(std::string_view cell) {
    std::string_view s = Trim(cell);
    if (!s.empty() && s[0] == '#') s.remove_prefix(1);
    int64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
  }

  // The items of a list cell: one per line (the export's form); with `choices` (values or
  // labels, which hold neither), also separated by commas and semicolons.
  static std::vector<std::string> Items(std::string_view cell, bool choices) {
    std::vector<std::string> out;
    for (auto& line : SplitLines(cell)) {
      if (!choices) {
        out.push_back(std::move(line));
        continue;
      }
      size_t start = 0;
      for (size_t i = 0; i <= line.size(); ++i) {
        if (i == line.size() || line[i] == ';' || (choices && line[i] == ',')) {
          const auto item = Trim(std::string_view(line).substr(start, i - start));
          if (!item.empty()) out.emplace_back(item);
          start = i + 1;
        }
      }
    }
    return out;
  }

  Json Choice(const FieldSpec& f, std::string_view cell, std::vector<FieldError>& errors,
              const std::string& where) {
    const std::string lower = ToLower(Trim(cell));
    for (const auto& c : f.choices) {
      if (c.value == Trim(cell)) return c.value;
    }
    for (const auto& c : f.choices) {
      if (ToLower(c.value) == lower || ToLower(c.label) == lower) return c.value;
    }
    std::string allowed;
    for (const auto& c : f.choices) allowed += (allowed.empty() ? "" : ", ") + c.label;
    errors.push_back(
        {where, fmt::format("{}: \"{}\" is not one of {}", f.label, Trim(cell), allowed)});
    return nullptr;
  }

  Json Person(const FieldSpec& f, std::string_view cell, std::vector<FieldError>& errors,
              const std::string& where) {
    const std::string lower = ToLower(Trim(cell));
    const auto id = RefId(cell);
    const domain::UserSummary* found = nullptr;
    int matches = 0;
    for (const auto& m : members_) {
      if (ToLower(m.username) == lower || (id && m.id == *id)) {
        found = &m;
        matches = 1;
        break;
      }
      if ((!m.display_name.empty() && ToLower(m.display_name) == lower) ||
          (!m.email.empty() && ToLower(m.email) == lower)) {
        found = &m;
        ++matches;
      }
    }
    if (matches == 1) return found->id;
    errors.push_back(
        {where, matches == 0 ? fmt::format("{}: no member of this organisation is \"{}\"", f.label,
                                           Trim(cell))
                             : fmt::format("{}: {} members are called \"{}\": give the user name",
                                           f.label, matches, Trim(cell))});
    return nullptr;
  }

  Json Reference(const FieldSpec& f, std::string_view cell, std::vector<FieldError>& errors) {
    const RegisterSpec* target = domain::FindRegisterByType(f.ref);
    const std::string what = target != nullptr ? ToLower(target->singular) : f.ref;
    const Titles& titles = titles_[f.ref];
    const auto id = RefId(cell);
    if (id) {
      if (titles.known.count(*id) > 0) return *id;
      errors.push_back({f.name, fmt::format("{}: there is no {} with id {}", f.label, what, *id)});
      return nullptr;
    }
    const auto it = titles.by_title.find(ToLower(Trim(cell)));
    if (it != titles.by_title.end() && it->second != 0) return it->second;
    errors.push_back(
        {f.name,
         it == titles.by_title.end()
             ? fmt::format("{}: there is no {} titled \"{}\"", f.label, what, Trim(cell))
             : fmt::format("{}: several {} are titled \"{}\": give the id", f.label,
                           target != nullptr ? ToLower(target->plural) : f.ref, Trim(cell))});
    return nullptr;
  }

  // One value of a scalar type, from its cell text; errors name `where` (the field, or the
  // table cell "actions[2].owner").
  Json Scalar(const FieldSpec& f, std::string_view cell, std::vector<FieldError>& errors,
              const std::string& where) {
    const std::string_view t = Trim(cell);
    if (t.empty()) return f.type == FieldType::kBool ? Json(false) : Json();
    switch (f.type) {
      case FieldType::kEnum:
        return Choice(f, t, errors, where);
      case FieldType::kDate: {
        const auto day = ParseSpreadsheetDate(t, options_.month_first);
        if (day) return *day;
        errors.push_back({where, fmt::format("{}: \"{}\" is not a date (2026-12-31, 31/12/2026, "
                                             "31 Dec 2026)",
                                             f.label, t)});
        return nullptr;
      }
      case FieldType::kBool: {
        const std::string lower = ToLower(t);
        if (lower == "true" || lower == "yes" || lower == "y" || lower == "1" || lower == "x") {
          return true;
        }
        if (lower == "false" || lower == "no" || lower == "n" || lower == "0") return false;
        errors.push_back({where, fmt::format("{}: \"{}\" is not yes or no", f.label, t)});
        return nullptr;
      }
      case FieldType::kInteger: {
        const auto n = ParseNumber(t);
        if (n && *n == static_cast<double>(static_cast<int64_t>(*n))) {
          return static_cast<int64_t>(*n);
        }
        errors.push_back({where, fmt::format("{}: \"{}\" is not a whole number", f.label, t)});
        return nullptr;
      }
      case FieldType::kDecimal: {
        const auto n = ParseNumber(t);
        if (n) return *n;
        errors.push_back({where, fmt::format("{}: \"{}\" is not a number", f.label, t)});
        return nullptr;
      }
      case FieldType::kUser:
        return Person(f, t, errors, where);
      case FieldType::kRef: {  // a table's reference column: by id
        const auto id = RefId(t);
        if (id) return *id;
        errors.push_back({where, fmt::format("{}: \"{}\" is not a record id", f.label, t)});
        return nullptr;
      }
      case FieldType::kLongText:
        return std::string(cell);
      default:
        return std::string(t);
    }
  }

  // A table cell: a JSON array of rows, or one row per line as the export writes them
  // ("Deploy EDR — owner: alice — due date: 2026-05-01").
  Json Table(const FieldSpec& f, std::string_view cell, std::vector<FieldError>& errors) {
    const std::string_view t = Trim(cell);
    if (t.empty()) return Json::array();
    if (t.front() == '[') {
      Json rows = Json::parse(t, nullptr, false);
      if (rows.is_array()) return rows;
      errors.push_back({f.name, fmt::format("{}: the cell starts like JSON but is not a JSON list "
                                            "of rows",
                                            f.label)});
      return nullptr;
    }
    const FieldSpec& name = RowNameColumn(f);
    static constexpr std::string_view kDash = " — ";
    Json rows = Json::array();
    for (const auto& line : SplitLines(cell)) {
      std::vector<std::string_view> parts;
      std::string_view rest = line;
      for (size_t at = rest.find(kDash); at != std::string_view::npos; at = rest.find(kDash)) {
        parts.push_back(rest.substr(0, at));
        rest.remove_prefix(at + kDash.size());
      }
      parts.push_back(rest);
      Json row = Json::object();
      const std::string where = fmt::format("{}[{}]", f.name, rows.size());
      // The export leaves out an empty naming cell: a line may start with "label: value".
      size_t first = 1;
      const size_t colon = parts.front().find(": ");
      bool unnamed = false;
      if (colon != std::string_view::npos) {
        const std::string label = ToLower(Trim(parts.front().substr(0, colon)));
        for (const auto& c : f.columns) {
          if (&c != &name && ToLower(c.label) == label) unnamed = true;
        }
      }
      if (unnamed) {
        first = 0;
      } else {
        row[name.name] = Scalar(name, parts.front(), errors, where + "." + name.name);
      }
      for (size_t i = first; i < parts.size(); ++i) {
        const size_t colon = parts[i].find(": ");
        const FieldSpec* column = nullptr;
        if (colon != std::string_view::npos) {
          const std::string label = ToLower(Trim(parts[i].substr(0, colon)));
          for (const auto& c : f.columns) {
            if (ToLower(c.label) == label || c.name == label) column = &c;
          }
        }
        if (column == nullptr) {
          errors.push_back({where, fmt::format("{}: \"{}\" names no column of the table (write "
                                               "\"label: value\")",
                                               f.label, Trim(parts[i]))});
          continue;
        }
        const std::string_view value = parts[i].substr(colon + 2);
        if (column->type == FieldType::kList && Trim(value).starts_with('[')) {
          // The export writes a row's list as JSON (["a","b"]).
          Json items = Json::parse(Trim(value), nullptr, false);
          if (!items.is_array()) {
            errors.push_back(
                {where, fmt::format("{}: {} is not a JSON list", f.label, column->label)});
            continue;
          }
          row[column->name] = std::move(items);
        } else if (column->type == FieldType::kList) {
          Json items = Json::array();
          for (const auto& item : Items(value, true)) {
            items.push_back(column->choices.empty()
                                ? Json(item)
                                : Choice(*column, item, errors, where + "." + column->name));
          }
          row[column->name] = std::move(items);
        } else {
          row[column->name] = Scalar(*column, value, errors, where + "." + column->name);
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Json Convert(const FieldSpec& f, std::string_view cell, std::vector<FieldError>& errors) {
    switch (f.type) {
      case FieldType::kRef:
        return Trim(cell).empty() ? Json() : Reference(f, cell, errors);
      case FieldType::kRefs: {
        Json ids = Json::array();
        // Ids or titles one per line (the export writes ids), or separated by semicolons.
        for (const auto& line : Items(cell, false)) {
          size_t start = 0;
          for (size_t i = 0; i <= line.size(); ++i) {
            if (i < line.size() && line[i] != ';') continue;
            const auto item = Trim(std::string_view(line).substr(start, i - start));
            if (!item.empty()) ids.push_back(Reference(f, item, errors));
            start = i + 1;
          }
        }
        std::sort(ids.begin(), ids.end());
        ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
        return ids;
      }
      case FieldType::kList: {
        Json items = Json::array();
        for (const auto& item : Items(cell, !f.choices.empty())) {
          items.push_back(f.choices.empty() ? Json(item) : Choice(f, item, errors, f.name));
        }
        return items;
      }
      case FieldType::kTable:
        return Table(f, cell, errors);
      default:
        return Scalar(f, cell, errors, f.name);
    }
  }

  // People newly named must be active members (a disabled owner kept as before stays).
  void CheckPeople(const Json& fields, const Json* before, std::vector<FieldError>& errors) const {
    for (const auto& f : spec_.fields) {
      if (f.type != FieldType::kUser || !fields[f.name].is_number_integer()) continue;
      if (before != nullptr && (*before)[f.name] == fields[f.name]) continue;
      const int64_t id = fields[f.name].get<int64_t>();
      const bool active = std::any_of(members_.begin(), members_.end(),
                                      [&](const auto& m) { return m.id == id && !m.disabled; });
      if (!active) {
        errors.push_back(
            {f.name,
             fmt::format("{}: user {} is not an active member of this organisation", f.label, id)});
      }
    }
  }

  store::Store& store_;
  RegisterService& registers_;
  const Principal& p_;
  const RegisterSpec& spec_;
  const ImportOptions& options_;
  std::vector<const FieldSpec*> targets_;  // per column: the field it holds
  int id_column_ = -1;
  int external_column_ = -1;
  std::map<std::string, std::string> used_;
  std::vector<domain::UserSummary> members_;
  std::map<std::string, Titles> titles_;  // by register type referred to
  std::map<std::string, int64_t> external_;
  // A window of rows: at most kWindowRows, so that the records they name (twice as many at most)
  // come in one statement of ForEachPage's 500.
  static constexpr size_t kWindowRows = 250;
  size_t window_from_ = 0;
  size_t window_to_ = 0;                                    // empty: no window read yet
  std::unordered_map<int64_t, Record> existing_;            // the records the window's rows name
  std::unordered_map<std::string, int64_t> external_rows_;  // external id -> first row
  std::unordered_map<int64_t, int64_t> id_rows_;            // record id -> first row
};

}  // namespace

Result<ImportResult> ImportService::Run(const Principal& p, const RegisterSpec& spec,
                                        const Sheet& sheet, const ImportOptions& options) {
  RETURN_IF_ERROR(CheckMayImport(p, spec));
  Importer importer(store_, registers_, p, spec, options);
  RETURN_IF_ERROR(importer.Map(sheet));
  RETURN_IF_ERROR(importer.Resolve(sheet));
  ImportResult out;
  out.format = sheet.format;
  out.sheet_name = sheet.sheet_name;
  for (const auto& header : sheet.header) {
    const auto it = options.columns.find(header);
    out.columns[header] = it == options.columns.end() ? "" : it->second;
  }
  const WriteBatch hooks;  // what the write hooks read, once for every row
  auto start = [&] {
    importer.StartRows();
    out.created = out.updated = out.unchanged = out.errors = 0;
    out.rows.assign(sheet.rows.size(), ImportRowResult{});
  };
  // Validates the rows from `from` on, in order, handing each row's changes (none for a row with
  // errors, each referring only to the row's own by ids_of) to `take`, and stops after a row it
  // answers false for. Returns the row after the last one validated.
  using Take = std::function<Result<bool>(size_t row, std::vector<store::Mutation> & changes)>;
  auto validate = [&](size_t from, const Take& take) -> Result<size_t> {
    std::vector<store::Mutation> changes;
    for (size_t i = from; i < sheet.rows.size(); ++i) {
      changes.clear();
      RETURN_IF_ERROR(importer.Row(sheet, i, out.rows[i], changes));
      switch (out.rows[i].outcome) {
        case ImportRowResult::Outcome::kCreated:
          ++out.created;
          break;
        case ImportRowResult::Outcome::kUpdated:
          ++out.updated;
          break;
        case ImportRowResult::Outcome::kUnchanged:
          ++out.unchanged;
          break;
        case ImportRowResult::Outcome::kError:
          ++out.errors;
          break;
      }
      ASSIGN_OR_RETURN(const bool more, take(i, changes));
      if (!more) return i + 1;
    }
    return sheet.rows.size();
  };
  const Take keep_none = [](size_t, std::vector<store::Mutation>&) -> Result<bool> { return true; };
  if (!options.apply) {
    start();
    RETURN_IF_ERROR(validate(0, keep_none).status());
    return out;
  }
  // Applied: the rows' changes written a batch at a time as the rows are validated, all in one
  // transaction, so that what is held does not grow with the sheet. The first row with errors
  // rolls the transaction back (nothing of the import is written); the rows after it are then
  // validated outside it, for the answer.
  // Four of the store's largest multi-row inserts (256 rows each).
  constexpr size_t kBatchChanges = 1024;
  size_t stopped_at = 0;  // the row after the first with errors; 0: none
  bool wrote = false;
  Status written = store_.WriteInBatches(
      registers_.ActorFor(p), [&](const store::Store::BatchWriter& write) -> Status {
        start();
        stopped_at = 0;
        wrote = false;
        std::vector<store::Mutation> batch;
        std::vector<std::pair<size_t, size_t>> own;  // a created row, its record's change
        auto flush = [&]() -> Status {
          if (batch.empty()) return Status::Ok();
          ASSIGN_OR_RETURN(const auto ids, write(batch));
          for (const auto& [row, at] : own) {
            if (out.rows[row].id == 0) out.rows[row].id = ids[at];
          }
          batch.clear();
          own.clear();
          wrote = true;
          return Status::Ok();
        };
        ASSIGN_OR_RETURN(
            const size_t next,
            validate(0, [&](size_t row, std::vector<store::Mutation>& changes) -> Result<bool> {
              if (out.errors > 0) return false;
              const size_t base = batch.size();
              bool first = true;
              for (auto& m : changes) {
                if (first && m.spec == &spec) {
                  own.emplace_back(row, batch.size());
                  first = false;
                }
                for (auto& [_, at] : m.ids_of) at += base;
                batch.push_back(std::move(m));
              }
              if (batch.size() >= kBatchChanges) RETURN_IF_ERROR(flush());
              return true;
            }));
        if (out.errors > 0) {
          stopped_at = next;
          return Status(Code::kFailedPrecondition, "a row has errors: nothing is written");
        }
        return flush();
      });
  if (stopped_at > 0) {
    // Rolled back: the records the first batches created are not there.
    for (auto& row : out.rows) {
      if (row.outcome == ImportRowResult::Outcome::kCreated) row.id = 0;
    }
    RETURN_IF_ERROR(validate(stopped_at, keep_none).status());
    return out;
  }
  RETURN_IF_ERROR(written);
  out.applied = wrote;
  return out;
}

Result<std::vector<store::ImportMapping>> ImportService::Mappings(const Principal& p,
                                                                  const RegisterSpec& spec) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return store_.ImportMappings(p.org_id, spec.type);
}

Result<store::ImportMapping> ImportService::SaveMapping(const Principal& p,
                                                        const RegisterSpec& spec,
                                                        const std::string& name,
                                                        const ImportOptions& options) {
  RETURN_IF_ERROR(CheckMayImport(p, spec));
  const std::string_view trimmed = Trim(name);
  const long length = Utf8Length(trimmed);
  if (trimmed.empty() || length < 0 || length > 100) {
    return InvalidArgument("name the mapping (up to 100 characters)", "name");
  }
  for (const auto& [header, target] : options.columns) {
    if (target.empty() || target == kImportId || target == kImportExternalId) continue;
    const FieldSpec* f = spec.Field(target);
    if (f == nullptr || !Importable(*f)) {
      return InvalidArgument(
          fmt::format("columns: {} have no field \"{}\" to import (column \"{}\")",
                      ToLower(spec.plural), target, header),
          "columns");
    }
  }
  store::ImportMapping m{.record_type = spec.type,
                         .name = std::string(trimmed),
                         .columns = ImportOptionsToJson(options)};
  return store_.PutImportMapping(registers_.ActorFor(p), std::move(m));
}

Status ImportService::DeleteMapping(const Principal& p, const RegisterSpec& spec, int64_t id) {
  RETURN_IF_ERROR(CheckMayImport(p, spec));
  ASSIGN_OR_RETURN(auto mappings, store_.ImportMappings(p.org_id, spec.type));
  const bool ours = std::any_of(mappings.begin(), mappings.end(),
                                [&](const store::ImportMapping& m) { return m.id == id; });
  if (!ours) return NotFound("no such import mapping");
  return store_.DeleteImportMapping(registers_.ActorFor(p), id);
}

Result<int64_t> ImportService::KeepUpload(const Principal& p, const RegisterSpec& spec,
                                          const std::string& file_name, const std::string& bytes) {
  RETURN_IF_ERROR(CheckMayImport(p, spec));
  const auto now = clock_.Now();
  store::ImportUpload u{.org_id = p.org_id,
                        .user_id = p.user_id,
                        .record_type = spec.type,
                        .file_name = file_name,
                        .size = static_cast<int64_t>(bytes.size()),
                        .sha256 = Sha256Hex(bytes),
                        .created_at = FormatUtc(now)};
  return store_.PutImportUpload(u, bytes, FormatUtc(now - std::chrono::hours(24)));
}

Result<std::pair<store::ImportUpload, std::string>> ImportService::Upload(const Principal& p,
                                                                          const RegisterSpec& spec,
                                                                          int64_t id) {
  RETURN_IF_ERROR(CheckMayImport(p, spec));
  ASSIGN_OR_RETURN(auto upload, store_.GetImportUpload(p.org_id, p.user_id, id));
  if (upload.first.record_type != spec.type)
    return NotFound("no such upload: upload the file again");
  return upload;
}

Status ImportService::ForgetUpload(const Principal& p, int64_t id) {
  return store_.DeleteImportUpload(p.org_id, p.user_id, id);
}

}  // namespace rampart::app
