#include "app/register_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "app/access_control.h"
#include "app/record_codec.h"
#include "app/sheet_writer.h"
#include "base/text.h"
#include "base/xlsx.h"
#include "domain/registers.h"
#include "domain/tasks.h"

namespace rampart::app {

using domain::FieldError;
using domain::FieldType;
using domain::Json;
using domain::Record;
using domain::RegisterSpec;

namespace {
thread_local WriteBatch* current_batch = nullptr;
}  // namespace

WriteBatch::WriteBatch() : outer_(current_batch) { current_batch = this; }
WriteBatch::~WriteBatch() { current_batch = outer_; }
WriteBatch* WriteBatch::Current() { return current_batch; }

Status FirstError(const std::vector<FieldError>& errors) {
  if (errors.empty()) return Status::Ok();
  return InvalidArgument(errors.front().message, errors.front().field);
}

store::Actor RegisterService::ActorFor(const Principal& p) const {
  return store::Actor{p.org_id, p.user_id, p.username, FormatUtc(clock_.Now()), p.address};
}

namespace {

// True when one of the record's user fields (owner, assignee, ...) names the user.
bool Names(const RegisterSpec& spec, const Json& fields, int64_t user_id) {
  for (const auto& f : spec.fields) {
    const Json& v = fields[f.name];
    if (f.type == FieldType::kUser && v.is_number_integer() && v.get<int64_t>() == user_id) {
      return true;
    }
  }
  return false;
}

}  // namespace

Status RegisterService::Prepare(const Principal& p, const RegisterSpec& spec, Json& fields,
                                const Json* before, std::vector<FieldError>& errors) {
  RETURN_IF_ERROR(CheckReferences(p, spec, fields, before, errors));
  if (!errors.empty()) return Status::Ok();
  const auto hook = hooks_.find(&spec);
  if (hook != hooks_.end()) RETURN_IF_ERROR(hook->second(p, fields, before, errors));
  return Status::Ok();
}

Status RegisterService::RunWriteHook(const Principal& p, const RegisterSpec& spec, Json& fields,
                                     const Json* before, std::vector<FieldError>& errors) {
  const auto hook = hooks_.find(&spec);
  if (hook == hooks_.end()) return Status::Ok();
  return hook->second(p, fields, before, errors);
}

Status RegisterService::AddCompanions(const Principal& p, const RegisterSpec& spec,
                                      const Json& fields, const Json* before,
                                      std::vector<store::Mutation>& mutations) {
  const auto hook = companion_hooks_.find(&spec);
  if (hook == companion_hooks_.end()) return Status::Ok();
  return hook->second(p, fields, before, mutations);
}

Status RegisterService::CheckAcyclic(const Principal& p, const RegisterSpec& spec, int64_t id,
                                     const Json& fields, std::vector<FieldError>& errors) {
  for (const auto& f : spec.fields) {
    if (f.type != FieldType::kRefs || !f.acyclic || f.ref != spec.type) continue;
    const Json& named = fields.value(f.name, Json());
    if (!named.is_array() || named.empty()) continue;
    std::vector<int64_t> start;
    for (const auto& t : named) {
      if (t.is_number_integer()) start.push_back(t.get<int64_t>());
    }
    if (std::find(start.begin(), start.end(), id) != start.end()) {
      errors.push_back(
          {f.name, fmt::format("{}: this {} cannot name itself", f.label, ToLower(spec.singular))});
      continue;
    }
    // Who names whom now, with this record's list as it is about to be: does any record it
    // names lead back to it? (Checked before the write, not inside it: two people closing a
    // loop from both ends at the same moment would both pass.)
    ASSIGN_OR_RETURN(auto links, store_.RecordLinks(p.org_id, spec.type, f.name));
    std::unordered_map<int64_t, std::vector<int64_t>> names;
    for (const auto& [from, to] : links) {
      if (from != id) names[from].push_back(to);
    }
    for (int64_t first : start) {
      std::vector<int64_t> stack = {first};
      std::unordered_set<int64_t> seen = {first};
      bool loops = false;
      while (!stack.empty() && !loops) {
        const int64_t at = stack.back();
        stack.pop_back();
        for (int64_t next : names[at]) {
          if (next == id) loops = true;
          if (seen.insert(next).second) stack.push_back(next);
        }
      }
      if (!loops) continue;
      ASSIGN_OR_RETURN(auto titles, store_.Titles(spec, p.org_id, {first}));
      const auto title = titles.find(first);
      errors.push_back(
          {f.name, fmt::format("{}: {} \"{}\" already {} this one, directly or through "
                               "others: that would make a loop",
                               f.label, ToLower(spec.singular),
                               title != titles.end() ? title->second : std::to_string(first),
                               ToLower(f.label))});
      break;
    }
  }
  return Status::Ok();
}

void RegisterService::SetRefusalHook(const RegisterSpec& spec, RefusalHook hook) {
  refusal_hooks_[&spec] = std::move(hook);
}

void RegisterService::Restate(const Principal& p, const RegisterSpec& spec,
                              std::vector<FieldError>& errors) const {
  const auto hook = refusal_hooks_.find(&spec);
  if (hook != refusal_hooks_.end()) hook->second(p, errors);
}

void RegisterService::SetCompanionHook(const RegisterSpec& spec, CompanionHook hook) {
  companion_hooks_[&spec] = std::move(hook);
}

store::Mutation UpdateOf(const RegisterSpec& spec, const Record& before, Json after,
                         std::string action) {
  Json diff = domain::DiffFields(spec, before.fields, after);
  return {.kind = store::Mutation::Kind::kUpdate,
          .spec = &spec,
          .id = before.id,
          .expected_version = before.version,
          .fields = std::move(after),
          .action = std::move(action),
          .diff = std::move(diff)};
}

Status CheckVersionSeen(const Record& rec, std::optional<int64_t> expected, std::string_view what) {
  if (!expected) {
    return Status(Code::kPreconditionRequired,
                  fmt::format("say which version of the {} you saw (If-Match)", what));
  }
  if (*expected != rec.version) {
    return Conflict(
        fmt::format("{} {} changed since you loaded it; reload and try again", what, rec.id));
  }
  return Status::Ok();
}

Status CheckMayTakeStep(const Principal& p, std::string_view what) {
  if (p.InAccountSetup()) {
    return PermissionDenied("finish setting up your account before making changes");
  }
  if (p.read_only) {
    return PermissionDenied(fmt::format("a read-only token cannot change {}", what));
  }
  return Status::Ok();
}

Result<std::vector<Record>> RegisterService::WriteWithCompanions(const Principal& p,
                                                                 const RegisterSpec& spec,
                                                                 store::Mutation own,
                                                                 const Json* before) {
  std::vector<store::Mutation> mutations;
  mutations.push_back(std::move(own));
  const auto hook = companion_hooks_.find(&spec);
  if (hook != companion_hooks_.end()) {
    // A copy: the hook appends to `mutations`, which may move the record's own fields.
    const Json fields = mutations.front().fields;
    RETURN_IF_ERROR(hook->second(p, fields, before, mutations));
  }
  ASSIGN_OR_RETURN(auto written, store_.Write(ActorFor(p), mutations));
  // The record's own write first: a hook may have put before it a record it refers to.
  for (size_t i = 0; i < mutations.size() && i < written.size(); ++i) {
    if (mutations[i].spec == &spec) {
      std::rotate(written.begin(), written.begin() + static_cast<std::ptrdiff_t>(i),
                  written.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      break;
    }
  }
  return written;
}

void RegisterService::SetWriteHook(const RegisterSpec& spec, WriteHook hook) {
  hooks_[&spec] = std::move(hook);
}

Result<std::map<int64_t, std::string>> RegisterService::Titles(const Principal& p,
                                                               const RegisterSpec& spec,
                                                               const std::vector<int64_t>& ids) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return store_.Titles(spec, p.org_id, ids);
}

Status RegisterService::CheckCanWrite(const Principal& p, const RegisterSpec& spec,
                                      const Json* before, const Json* after) {
  if (spec.workflow_only) {
    return FailedPrecondition(fmt::format("{} are recorded by their workflow, not written directly",
                                          ToLower(spec.plural)));
  }
  if (p.InAccountSetup()) {
    return PermissionDenied(p.must_change_password
                                ? "change your one-time password before making changes"
                                : "set up your second factor before making changes");
  }
  if (p.Can(spec.write_permission)) return Status::Ok();
  if (spec.EditableByOwners() && p.Can(domain::Permission::kEditOwnRecords)) {
    // Own records only: the record must name the user before the change and, when it is
    // created, after it. Without either, the answer waits until the record is known.
    if (before == nullptr && after == nullptr) return Status::Ok();
    const Json* subject = before != nullptr ? before : after;
    if (subject != nullptr && Names(spec, *subject, p.user_id)) return Status::Ok();
    return PermissionDenied(
        fmt::format("your role ({}) may change only {} that name you as owner or assignee",
                    domain::InfoOf(p.role).label, ToLower(spec.plural)));
  }
  return Require(p, spec.write_permission);
}

Status RegisterService::CheckReferences(const Principal& p, const RegisterSpec& spec,
                                        const Json& fields, const Json* before,
                                        std::vector<FieldError>& errors) {
  // People named: user fields, and user columns of tables (a treatment action's owner, a role's
  // holder), each by the field that names them ("actions[2].owner").
  struct Named {
    std::string field;
    const domain::FieldSpec* spec;
    int64_t id;
  };
  std::vector<Named> refs;
  for (const auto& f : spec.fields) {
    if (f.read_only || fields[f.name].is_null()) continue;
    if (f.type == FieldType::kUser) {
      // An unchanged reference stays valid even if its user has since been disabled.
      if (before != nullptr && (*before)[f.name] == fields[f.name]) continue;
      refs.push_back({f.name, &f, fields[f.name].get<int64_t>()});
      continue;
    }
    if (f.type != FieldType::kTable || !fields[f.name].is_array()) continue;
    for (const auto& c : f.columns) {
      if (c.type != FieldType::kUser) continue;
      // A person the table already named in this column stays valid (a disabled action owner).
      std::vector<Json> known;
      if (before != nullptr && (*before)[f.name].is_array()) {
        for (const auto& row : (*before)[f.name]) {
          if (row.is_object()) known.push_back(row.value(c.name, Json()));
        }
      }
      const Json& rows = fields[f.name];
      for (size_t i = 0; i < rows.size(); ++i) {
        const Json v = rows[i].is_object() ? rows[i].value(c.name, Json()) : Json();
        if (!v.is_number_integer()) continue;
        if (std::find(known.begin(), known.end(), v) != known.end()) continue;
        refs.push_back({fmt::format("{}[{}].{}", f.name, i, c.name), &c, v.get<int64_t>()});
      }
    }
  }
  // References to records: every new id must name a record of the organisation.
  for (const auto& f : spec.fields) {
    if ((f.type != FieldType::kRef && f.type != FieldType::kRefs) || fields[f.name].is_null()) {
      continue;
    }
    const Json& value = fields[f.name];
    const Json prev = before != nullptr ? (*before)[f.name] : Json();
    std::vector<int64_t> ids;
    auto consider = [&](const Json& id) {
      const bool known =
          prev == id || (prev.is_array() && std::find(prev.begin(), prev.end(), id) != prev.end());
      if (!known) ids.push_back(id.get<int64_t>());
    };
    if (value.is_array()) {
      for (const auto& id : value) consider(id);
    } else {
      consider(value);
    }
    if (ids.empty()) continue;
    const domain::RegisterSpec* target = domain::FindRegisterByType(f.ref);
    if (target == nullptr) return Internal(fmt::format("{} refers to no register", f.name));
    ASSIGN_OR_RETURN(auto titles, store_.Titles(*target, p.org_id, ids));
    for (int64_t id : ids) {
      if (titles.count(id) == 0) {
        errors.push_back({f.name, fmt::format("{}: there is no {} with id {}", f.label,
                                              ToLower(target->singular), id)});
      }
    }
  }
  if (refs.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto members, store_.ListMembers(p.org_id));
  for (const auto& ref : refs) {
    const bool ok = std::any_of(members.begin(), members.end(),
                                [&](const auto& m) { return m.id == ref.id && !m.disabled; });
    if (!ok) {
      errors.push_back({ref.field, fmt::format("{}: user {} is not an active member of this "
                                               "organisation",
                                               ref.spec->label, ref.id)});
    }
  }
  return Status::Ok();
}

Result<domain::Page> RegisterService::List(const Principal& p, const RegisterSpec& spec,
                                           const domain::ListQuery& query) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return store_.List(spec, p.org_id, query);
}

Status ForEachPage(store::Store& store, const RegisterSpec& spec, int64_t org_id,
                   domain::ListQuery query, const std::function<Status(std::vector<Record>&)>& fn) {
  query.cursor.clear();
  query.limit = 500;
  do {
    ASSIGN_OR_RETURN(auto page, store.List(spec, org_id, query));
    RETURN_IF_ERROR(fn(page.records));
    query.cursor = page.next_cursor;
  } while (!query.cursor.empty());
  return Status::Ok();
}

Result<ExportFormat> ParseExportFormat(std::string_view format) {
  if (format.empty() || format == "csv") return ExportFormat::kCsv;
  if (format == "xlsx") return ExportFormat::kXlsx;
  return InvalidArgument("format must be csv or xlsx", "format");
}

Result<RefTitles> RegisterService::ReferencedTitles(const Principal& p, const RegisterSpec& spec,
                                                    const std::vector<const Json*>& rows) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  RefTitles out;
  for (const auto& [type, ids] : ReferencedIds(spec, rows)) {
    const RegisterSpec* target = domain::FindRegisterByType(type);
    if (target == nullptr) continue;
    auto& titles = out[type];
    // Bounded lists: both databases limit the parameters of one statement.
    for (size_t i = 0; i < ids.size(); i += kTitlesPerStatement) {
      const std::vector<int64_t> chunk(
          ids.begin() + static_cast<std::ptrdiff_t>(i),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), i + kTitlesPerStatement)));
      ASSIGN_OR_RETURN(auto some, store_.Titles(*target, p.org_id, chunk));
      titles.merge(some);
    }
  }
  return out;
}

Result<ExportSheet> RegisterService::SheetOf(const Principal& p, const RegisterSpec& spec,
                                             const std::vector<Record>& records) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(auto members, Members(p));
  std::vector<const Json*> rows;
  rows.reserve(records.size());
  for (const auto& r : records) rows.push_back(&r.fields);
  ASSIGN_OR_RETURN(auto titles, ReferencedTitles(p, spec, rows));
  return RecordsToSheet(spec, records, members, titles);
}

Result<std::string> RegisterService::Export(const Principal& p, const RegisterSpec& spec,
                                            const domain::ListQuery& query, ExportFormat format) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  // Page by page: only one page of records and its rows are held (the CSV text, or the XLSX
  // stream's file, grows instead).
  ASSIGN_OR_RETURN(const auto members, Members(p));
  SheetWriter out(format, spec.plural);
  RETURN_IF_ERROR(ForEachPage(store_, spec, p.org_id, query, [&](std::vector<Record>& page) {
    std::vector<const Json*> rows;
    rows.reserve(page.size());
    for (const auto& r : page) rows.push_back(&r.fields);
    ASSIGN_OR_RETURN(auto titles, ReferencedTitles(p, spec, rows));
    return out.Add(RecordsToSheet(spec, page, members, titles));
  }));
  RETURN_IF_ERROR(out.Add(RecordsToSheet(spec, {}, members, {})));  // the header when empty
  return out.Finish();
}

Result<int64_t> RegisterService::Count(const Principal& p, const RegisterSpec& spec,
                                       const domain::ListQuery& query) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return store_.Count(spec, p.org_id, query);
}

Result<Record> RegisterService::Get(const Principal& p, const RegisterSpec& spec, int64_t id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return store_.Get(spec, p.org_id, id);
}

Result<Record> RegisterService::Create(const Principal& p, const RegisterSpec& spec,
                                       const Json& input, std::vector<FieldError>* errors_out) {
  RETURN_IF_ERROR(CheckCanWrite(p, spec, nullptr, nullptr));
  std::vector<FieldError> errors;
  Json fields = domain::ValidateFields(spec, input, domain::WriteMode::kCreate, nullptr, errors);
  if (errors.empty()) RETURN_IF_ERROR(Prepare(p, spec, fields, nullptr, errors));
  if (!errors.empty()) {
    Restate(p, spec, errors);
    if (errors_out != nullptr) *errors_out = errors;
    return FirstError(errors);
  }
  RETURN_IF_ERROR(CheckCanWrite(p, spec, nullptr, &fields));
  store::Mutation m{.kind = store::Mutation::Kind::kInsert,
                    .spec = &spec,
                    .fields = fields,
                    .action = "create",
                    .diff = domain::DiffFields(spec, Json(), fields)};
  ASSIGN_OR_RETURN(auto written, WriteWithCompanions(p, spec, std::move(m), nullptr));
  return written.front();
}

Result<Record> RegisterService::Update(const Principal& p, const RegisterSpec& spec, int64_t id,
                                       std::optional<int64_t> expected_version, const Json& input,
                                       UpdateMode mode, std::vector<FieldError>* errors_out) {
  RETURN_IF_ERROR(CheckCanWrite(p, spec, nullptr, nullptr));
  ASSIGN_OR_RETURN(Record current, store_.Get(spec, p.org_id, id));
  RETURN_IF_ERROR(CheckCanWrite(p, spec, &current.fields, nullptr));
  if (!expected_version) {
    return Status(Code::kPreconditionRequired,
                  "say which version you are changing (If-Match: the record's ETag)");
  }
  if (*expected_version != current.version) {
    return Conflict(
        fmt::format("{} {} is at version {}, not {}: it was changed by someone else; "
                    "reload and try again",
                    spec.singular, id, current.version, *expected_version));
  }
  if (spec.lifecycle) {
    const Json& state = current.fields[spec.lifecycle->field];
    if (state.is_string() && !spec.lifecycle->IsEditableIn(state.get<std::string>())) {
      return FailedPrecondition(fmt::format("this {} is {} and can no longer be changed",
                                            ToLower(spec.singular), state.get<std::string>()));
    }
  }
  Json merged = input;
  if (mode == UpdateMode::kMerge && input.is_object()) {
    merged = current.fields;
    for (const auto& [k, v] : input.items()) merged[k] = v;
  }
  std::vector<FieldError> errors;
  Json fields =
      domain::ValidateFields(spec, merged, domain::WriteMode::kUpdate, &current.fields, errors);
  if (errors.empty()) RETURN_IF_ERROR(Prepare(p, spec, fields, &current.fields, errors));
  if (errors.empty()) RETURN_IF_ERROR(CheckAcyclic(p, spec, id, fields, errors));
  if (!errors.empty()) {
    Restate(p, spec, errors);
    if (errors_out != nullptr) *errors_out = errors;
    return FirstError(errors);
  }
  Json diff = domain::DiffFields(spec, current.fields, fields);
  if (diff.empty()) return current;  // nothing changed: no new version, no event
  store::Mutation m{.kind = store::Mutation::Kind::kUpdate,
                    .spec = &spec,
                    .id = id,
                    .expected_version = *expected_version,
                    .fields = fields,
                    .action = "update",
                    .diff = diff};
  ASSIGN_OR_RETURN(auto written, WriteWithCompanions(p, spec, std::move(m), &current.fields));
  return written.front();
}

Status RegisterService::Delete(const Principal& p, const RegisterSpec& spec, int64_t id,
                               std::optional<int64_t> expected_version) {
  RETURN_IF_ERROR(CheckCanWrite(p, spec, nullptr, nullptr));
  ASSIGN_OR_RETURN(Record current, store_.Get(spec, p.org_id, id));
  RETURN_IF_ERROR(CheckCanWrite(p, spec, &current.fields, nullptr));
  if (!expected_version) {
    return Status(Code::kPreconditionRequired,
                  "say which version you are deleting (If-Match: the record's ETag)");
  }
  if (spec.lifecycle) {
    const Json& state = current.fields[spec.lifecycle->field];
    if (state.is_string() && !spec.lifecycle->IsEditableIn(state.get<std::string>())) {
      return FailedPrecondition(fmt::format("this {} is {} and is kept as a record",
                                            ToLower(spec.singular), state.get<std::string>()));
    }
  }
  ASSIGN_OR_RETURN(auto referring, ReferringRecords(p, spec, id));
  if (!referring.empty()) {
    std::string who;
    for (const auto& by : referring) {
      std::string names;
      for (const auto& [rid, title] : by.records) {
        names += fmt::format("{}\"{}\"", names.empty() ? "" : ", ", title);
      }
      const int64_t more = by.count - static_cast<int64_t>(by.records.size());
      if (more > 0) names += fmt::format(" and {} more", more);
      who += fmt::format("{}{} {} ({})", who.empty() ? "" : " and ", by.count,
                         ToLower(by.count == 1 ? by.spec->singular : by.spec->plural), names);
    }
    return FailedPrecondition(
        fmt::format("{} {} is referred to by {}; remove those references "
                    "first (or retire it)",
                    spec.singular, id, who));
  }
  store::Mutation m{.kind = store::Mutation::Kind::kDelete,
                    .spec = &spec,
                    .id = id,
                    .expected_version = *expected_version,
                    .action = "delete",
                    .diff = domain::DiffFields(spec, current.fields, Json())};
  return store_.Write(ActorFor(p), {m}).status();
}

Result<std::vector<domain::AuditEvent>> RegisterService::History(const Principal& p,
                                                                 const RegisterSpec& spec,
                                                                 int64_t id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return store_.RecordHistory(p.org_id, spec.type, id);
}

Result<std::vector<domain::UserSummary>> RegisterService::Members(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return store_.ListMembers(p.org_id);
}

Result<std::vector<RegisterService::Referring>> RegisterService::ReferringRecords(
    const Principal& p, const RegisterSpec& spec, int64_t id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(auto referrers, store_.ReferrersOf(spec, p.org_id, id));
  std::vector<Referring> out;
  for (const auto& r : referrers) {
    ASSIGN_OR_RETURN(auto titles, store_.Titles(*r.spec, p.org_id, r.ids));
    Referring one{.spec = r.spec, .count = r.count};
    for (int64_t rid : r.ids) {
      const auto t = titles.find(rid);
      one.records.emplace_back(rid, t != titles.end() ? t->second : std::to_string(rid));
    }
    out.push_back(std::move(one));
  }
  // Tasks name their record by register and id rather than by a reference field.
  if (domain::TaskRecordType(spec.type) != nullptr) {
    domain::ListQuery q{
        .filters = {{"record_type", spec.type}, {"record_id", id}}, .limit = 5, .with_total = true};
    ASSIGN_OR_RETURN(auto tasks, store_.List(domain::Tasks(), p.org_id, q));
    if (!tasks.records.empty()) {
      Referring one{.spec = &domain::Tasks(), .count = tasks.total.value_or(0)};
      for (const auto& t : tasks.records) {
        one.records.emplace_back(t.id, t.fields.value("title", std::to_string(t.id)));
      }
      out.push_back(std::move(one));
    }
  }
  return out;
}

Result<std::vector<domain::AuditEvent>> RegisterService::RecentEvents(const Principal& p,
                                                                      int limit) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadAuditTrail));
  return store_.RecentEvents(p.org_id, limit);
}

Result<domain::AuditPage> RegisterService::AuditTrail(const Principal& p,
                                                      const domain::AuditQuery& q) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadAuditTrail));
  for (const auto& [name, date] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
    if (!date->empty() && !IsValidDate(*date)) {
      return InvalidArgument(fmt::format("{} must be a date, YYYY-MM-DD", name), name);
    }
  }
  if (!q.from.empty() && !q.to.empty() && q.to < q.from) {
    return InvalidArgument("the last day comes before the first", "to");
  }
  if (q.limit < 1 || q.limit > 1000)
    return InvalidArgument("limit must be from 1 to 1000", "limit");
  for (const auto& [name, text] :
       {std::pair{"action", &q.action}, std::pair{"record_type", &q.record_type}}) {
    const bool plain = std::all_of(text->begin(), text->end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!plain || text->size() > 64) {
      return InvalidArgument(fmt::format("{} is a name such as {}", name,
                                         std::string(name) == "action" ? "update" : "risk"),
                             name);
    }
  }
  if (q.record_id < 0 || q.before_seq < 0 || q.after_seq < 0) {
    return InvalidArgument("ids and sequence numbers are positive");
  }
  return store_.ListAudit(p.org_id, q);
}

Result<RegisterService::EventTitles> RegisterService::TitlesOfEvents(
    const Principal& p, const std::vector<domain::AuditEvent>& events) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadAuditTrail));
  std::map<std::string, std::vector<int64_t>> ids;
  for (const auto& e : events) ids[e.record_type].push_back(e.record_id);
  EventTitles titles;
  for (auto& [type, list] : ids) {
    const auto* spec = domain::FindRegisterByType(type);
    if (spec == nullptr) continue;
    ASSIGN_OR_RETURN(auto found, store_.Titles(*spec, p.org_id, list));
    for (const auto& [id, title] : found) titles[{type, id}] = title;
  }
  return titles;
}

Result<std::string> RegisterService::AuditTrailCsv(const Principal& p, domain::AuditQuery q) {
  ASSIGN_OR_RETURN(const ExportSheet sheet, AuditTrailSheet(p, std::move(q)));
  return SheetToCsv(sheet);
}

Result<ExportSheet> RegisterService::AuditTrailSheet(const Principal& p, domain::AuditQuery q) {
  q.limit = 1000;
  q.after_seq = 0;
  ExportSheet out;
  out.header = {"seq",       "at",     "actor",   "action",  "record_type",
                "record_id", "record", "changed", "address", "hash"};
  int64_t rows = 0;
  for (;;) {
    ASSIGN_OR_RETURN(domain::AuditPage page, AuditTrail(p, q));
    rows += static_cast<int64_t>(page.events.size());
    if (rows > kAuditCsvLimit) {
      return Status(Code::kTooLarge,
                    fmt::format("more than {} events match; narrow the days (from, to) or the "
                                "other filters",
                                kAuditCsvLimit));
    }
    ASSIGN_OR_RETURN(const EventTitles titles, TitlesOfEvents(p, page.events));
    for (const auto& e : page.events) {
      std::string changed;
      if (e.diff.is_object()) {
        for (const auto& [k, _] : e.diff.items()) changed += (changed.empty() ? "" : "; ") + k;
      }
      const auto title = titles.find({e.record_type, e.record_id});
      out.rows.push_back({std::to_string(e.seq), e.at, e.actor, e.action, e.record_type,
                          std::to_string(e.record_id), title != titles.end() ? title->second : "",
                          changed, e.address, e.hash});
    }
    if (page.older == 0) return out;
    q.before_seq = page.older;
  }
}

Result<domain::Filter> RegisterService::ParseFilter(const RegisterSpec& spec,
                                                    const std::string& name,
                                                    const std::string& value) {
  const domain::FieldSpec* f = spec.Field(name);
  if (f == nullptr || !f->filterable) {
    return InvalidArgument(fmt::format("cannot filter {} by \"{}\"", ToLower(spec.plural), name),
                           name);
  }
  if (value.empty()) return domain::Filter{name, nullptr};
  switch (f->type) {
    case FieldType::kBool:
      if (value != "true" && value != "false") {
        return InvalidArgument(fmt::format("{} must be true or false", name), name);
      }
      return domain::Filter{name, value == "true"};
    case FieldType::kUser:
    case FieldType::kRef:
    case FieldType::kRefs:
    case FieldType::kInteger: {
      int64_t v = 0;
      const auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
      if (ec != std::errc() || ptr != value.data() + value.size()) {
        return InvalidArgument(fmt::format("{} must be a number", name), name);
      }
      return domain::Filter{name, v};
    }
    case FieldType::kDecimal: {
      const auto v = ParseNumber(value);
      if (!v) return InvalidArgument(fmt::format("{} must be a number", name), name);
      return domain::Filter{name, *v};
    }
    case FieldType::kEnum:
      if (f->FindChoice(value) == nullptr) {
        return InvalidArgument(fmt::format("\"{}\" is not a value of {}", value, name), name);
      }
      return domain::Filter{name, value};
    case FieldType::kDate:
      if (!IsValidDate(value)) {
        return InvalidArgument(fmt::format("{} must be a date YYYY-MM-DD", name), name);
      }
      return domain::Filter{name, value};
    default:
      return domain::Filter{name, value};
  }
}

}  // namespace rampart::app
