#include "app/scope_service.h"

#include <fmt/format.h>

#include "app/access_control.h"
#include "domain/context.h"

namespace rampart::app {

using domain::Json;
using domain::Record;

Result<Record> ScopeService::Current(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  store::ListQuery q;
  q.filters.push_back({"status", std::string(domain::kScopeApproved)});
  q.limit = 1;
  ASSIGN_OR_RETURN(auto page, store_.List(domain::ScopeStatements(), p.org_id, q));
  if (page.records.empty()) return NotFound("no version of the ISMS scope has been approved yet");
  return page.records.front();
}

Result<Record> ScopeService::Approve(const Principal& p, int64_t id,
                                     std::optional<int64_t> expected_version) {
  const auto& spec = domain::ScopeStatements();
  if (p.InAccountSetup()) {
    return PermissionDenied("finish setting up your account before making changes");
  }
  RETURN_IF_ERROR(Require(p, domain::Permission::kApprove));
  ASSIGN_OR_RETURN(Record draft, store_.Get(spec, p.org_id, id));
  if (!expected_version) {
    return Status(Code::kPreconditionRequired, "say which version you are approving (If-Match)");
  }
  if (*expected_version != draft.version) {
    return Conflict(
        fmt::format("scope statement {} changed since you loaded it; reload and try "
                    "again",
                    id));
  }
  if (draft.fields["status"] != domain::kScopeDraft) {
    return FailedPrecondition(fmt::format("version {} is {}: only a draft can be approved",
                                          draft.fields["version_number"].dump(),
                                          draft.fields["status"].get<std::string>()));
  }
  const auto problems = domain::ScopeApprovalProblems(draft.fields);
  if (!problems.empty()) return FirstError(problems);

  const store::Actor actor = registers_.ActorFor(p);
  std::vector<store::Mutation> mutations;
  auto current = Current(p);
  if (current.ok()) {
    Json fields = current->fields;
    fields["status"] = std::string(domain::kScopeSuperseded);
    mutations.push_back({.kind = store::Mutation::Kind::kUpdate,
                         .spec = &spec,
                         .id = current->id,
                         .expected_version = current->version,
                         .fields = fields,
                         .action = "supersede",
                         .diff = domain::DiffFields(spec, current->fields, fields)});
  } else if (current.status().code() != Code::kNotFound) {
    return current.status();
  }
  Json fields = draft.fields;
  fields["status"] = std::string(domain::kScopeApproved);
  fields["approved_by"] = p.user_id;
  fields["approved_at"] = actor.now;
  mutations.push_back({.kind = store::Mutation::Kind::kUpdate,
                       .spec = &spec,
                       .id = id,
                       .expected_version = draft.version,
                       .fields = fields,
                       .action = "approve",
                       .diff = domain::DiffFields(spec, draft.fields, fields)});
  ASSIGN_OR_RETURN(auto written, store_.Write(actor, mutations));
  return written.back();
}

Result<Record> ScopeService::NewDraftFrom(const Principal& p, int64_t from_id) {
  const auto& spec = domain::ScopeStatements();
  ASSIGN_OR_RETURN(Record from, registers_.Get(p, spec, from_id));
  Json input = Json::object();
  for (const auto& f : spec.fields) {
    if (!f.read_only) input[f.name] = from.fields[f.name];
  }
  return registers_.Create(p, spec, input);
}

}  // namespace rampart::app
