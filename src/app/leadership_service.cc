#include "app/leadership_service.h"

#include <fmt/format.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/access_control.h"
#include "domain/planning.h"
#include "domain/support.h"

namespace rampart::app {

using domain::Json;
using domain::Record;

namespace {

std::string Text(const Json& fields, const char* key) {
  const Json v = fields.value(key, Json());
  return v.is_string() ? v.get<std::string>() : std::string();
}

int64_t IdOr(const Json& fields, const char* key, int64_t fallback) {
  const Json v = fields.value(key, Json());
  return v.is_number_integer() ? v.get<int64_t>() : fallback;
}

// The record's date field, else the day of the write.
std::string DateOr(const Json& fields, const char* key, const Principal& p,
                   RegisterService& registers) {
  const std::string d = Text(fields, key);
  return d.empty() ? registers.ActorFor(p).now.substr(0, 10) : d;
}

// True when the write makes the record approved: it is now and was not before.
bool Becomes(bool (*approved)(const Json&), const Json& fields, const Json* before) {
  return approved(fields) && (before == nullptr || !approved(*before));
}

bool IsGranted(const Json& f) {
  const Json s = f.is_object() ? f.value("status", Json()) : Json();
  return s == "granted" || s == "in_place";
}

// The record's id: that of the update (the own mutation, first), 0 on create.
int64_t OwnId(const std::vector<store::Mutation>& mutations) {
  return mutations.empty() ? 0 : mutations.front().id;
}

Result<std::vector<Record>> Active(store::Store& store, const domain::RegisterSpec& spec,
                                   int64_t org_id, bool& truncated) {
  // Processes being defined are shown too: their gaps are what remains to settle.
  const Json states = &spec == &domain::IsmsProcesses() ? Json::array({"draft", "active"})
                                                        : Json::array({"active"});
  domain::ListQuery q{
      .filters = {{"status", states}}, .sort = "name", .limit = LeadershipService::kRaciLimit};
  ASSIGN_OR_RETURN(auto page, store.List(spec, org_id, q));
  if (!page.next_cursor.empty()) truncated = true;
  return std::move(page.records);
}

bool NamesActive(const Json& id, const std::vector<Record>& roles) {
  if (!id.is_number_integer()) return false;
  for (const auto& r : roles) {
    if (r.id == id.get<int64_t>()) return true;
  }
  return false;
}

}  // namespace

store::Mutation CommitmentInsert(std::string_view kind, std::string statement, int64_t by,
                                 std::string date, std::string_view source_type,
                                 int64_t source_id) {
  const domain::RegisterSpec& spec = domain::Commitments();
  Json fields = Json::object();
  for (const auto& f : spec.fields) fields[f.name] = nullptr;
  fields["kind"] = std::string(kind);
  fields["statement"] = std::move(statement);
  fields["committed_by"] = by;
  fields["committed_on"] = std::move(date);
  fields["source_type"] = std::string(source_type);
  fields["source_id"] = source_id == 0 ? Json() : Json(source_id);
  fields["origin"] = std::string(domain::kCommitmentAutomatic);
  Json diff = domain::DiffFields(spec, Json(), fields);
  return {.kind = store::Mutation::Kind::kInsert,
          .spec = &spec,
          .fields = std::move(fields),
          .action = "create",
          .diff = std::move(diff)};
}

bool RaciMatrix::MissingResponsible(size_t i) const {
  return !NamesActive(processes[i].fields.value("responsible", Json()), roles);
}

bool RaciMatrix::MissingAccountable(size_t i) const {
  return !NamesActive(processes[i].fields.value("accountable", Json()), roles);
}

Result<RaciMatrix> LeadershipService::Raci(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  RaciMatrix m;
  ASSIGN_OR_RETURN(m.processes, Active(store_, domain::IsmsProcesses(), p.org_id, m.truncated));
  ASSIGN_OR_RETURN(m.roles, Active(store_, domain::IsmsRoles(), p.org_id, m.truncated));
  for (const auto& process : m.processes) {
    std::vector<std::string> row;
    row.reserve(m.roles.size());
    for (const auto& role : m.roles) row.push_back(domain::RaciLetters(process.fields, role.id));
    m.cells.push_back(std::move(row));
  }
  return m;
}

Result<std::vector<Record>> LeadershipService::AddStandardProcesses(const Principal& p) {
  const domain::RegisterSpec& spec = domain::IsmsProcesses();
  RETURN_IF_ERROR(RegisterService::CheckCanWrite(p, spec, nullptr, nullptr));
  RETURN_IF_ERROR(Require(p, domain::Permission::kEditRecords));
  std::set<std::string> names;
  RETURN_IF_ERROR(ForEachPage(store_, spec, p.org_id, {}, [&](std::vector<Record>& page) {
    for (const auto& r : page) names.insert(Text(r.fields, "name"));
    return Status::Ok();
  }));
  std::vector<store::Mutation> mutations;
  for (const auto& standard : domain::StandardIsmsProcesses()) {
    if (names.contains(standard.name)) continue;
    std::vector<domain::FieldError> errors;
    // Being defined (the default) until its roles are named: an active process needs its
    // responsible role.
    Json fields = domain::ValidateFields(
        spec, {{"name", standard.name}, {"description", standard.description}},
        domain::WriteMode::kCreate, nullptr, errors);
    if (!errors.empty()) return FirstError(errors);
    Json diff = domain::DiffFields(spec, Json(), fields);
    mutations.push_back({.kind = store::Mutation::Kind::kInsert,
                         .spec = &spec,
                         .fields = std::move(fields),
                         .action = "create",
                         .diff = std::move(diff)});
  }
  if (mutations.empty()) return std::vector<Record>{};
  return store_.Write(registers_.ActorFor(p), mutations);
}

Status LeadershipService::CheckUniqueName(const Principal& p, const Json& fields,
                                          const Json* before,
                                          std::vector<domain::FieldError>& errors) {
  const std::string name = Text(fields, "name");
  if (name.empty() || (before != nullptr && Text(*before, "name") == name)) return Status::Ok();
  domain::ListQuery q{.filters = {{"name", name}}, .limit = 1};
  ASSIGN_OR_RETURN(auto page, store_.List(domain::IsmsProcesses(), p.org_id, q));
  if (!page.records.empty()) {
    errors.push_back(
        {"name", fmt::format("Name: there is already an ISMS process named \"{}\"", name)});
  }
  return Status::Ok();
}

// What an approval of one register logs: the kind, how the statement names the record, and the
// fields saying who approved it and when.
struct LeadershipService::Approval {
  bool (*approved)(const Json&);
  const char* kind;
  const char* verb;  // "Granted the resource", ...
  const char* title_field;
  const char* by_field;
  const char* on_field;
  const domain::RegisterSpec& spec;
};

Status LeadershipService::LogApproval(const Principal& p, const Approval& a, const Json& fields,
                                      const Json* before, std::vector<store::Mutation>& mutations) {
  if (!Becomes(a.approved, fields, before)) return Status::Ok();
  mutations.push_back(
      CommitmentInsert(a.kind, fmt::format("{} \"{}\"", a.verb, Text(fields, a.title_field)),
                       IdOr(fields, a.by_field, p.user_id),
                       DateOr(fields, a.on_field, p, registers_), a.spec.type, OwnId(mutations)));
  return Status::Ok();
}

Status LeadershipService::OnResourceWrite(const Principal& p, const Json& fields,
                                          const Json* before,
                                          std::vector<store::Mutation>& mutations) {
  return LogApproval(p,
                     {IsGranted, "resources_granted", "Granted the resource", "name", "granted_by",
                      "granted_on", domain::Resources()},
                     fields, before, mutations);
}

Status LeadershipService::OnObjectiveWrite(const Principal& p, const Json& fields,
                                           const Json* before,
                                           std::vector<store::Mutation>& mutations) {
  return LogApproval(p,
                     {domain::IsApprovedObjective, "objectives_approved", "Approved the objective",
                      "title", "approved_by", "approved_on", domain::Objectives()},
                     fields, before, mutations);
}

Status LeadershipService::OnChangeWrite(const Principal& p, const Json& fields, const Json* before,
                                        std::vector<store::Mutation>& mutations) {
  return LogApproval(p,
                     {domain::IsApprovedChange, "change_approved", "Approved the planned change",
                      "title", "approved_by", "approved_on", domain::PlannedChanges()},
                     fields, before, mutations);
}

}  // namespace rampart::app
