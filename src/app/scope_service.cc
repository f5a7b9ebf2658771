#include "app/scope_service.h"

#include <fmt/format.h>

#include "app/access_control.h"
#include "app/document_approval.h"
#include "domain/context.h"

namespace rampart::app {

using domain::Json;
using domain::Record;

Result<Record> ScopeService::Current(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  auto current = CurrentVersion(store_, domain::ScopeStatements(), p.org_id);
  if (!current.ok() && current.status().code() == Code::kNotFound) {
    return NotFound("no version of the ISMS scope has been approved yet");
  }
  return current;
}

Result<Record> ScopeService::Approve(const Principal& p, int64_t id,
                                     std::optional<int64_t> expected_version) {
  const store::Actor actor = registers_.ActorFor(p);
  ASSIGN_OR_RETURN(Approval approval,
                   PrepareApproval(store_, actor, p, domain::ScopeStatements(), id,
                                   expected_version, domain::ScopeApprovalProblems));
  ASSIGN_OR_RETURN(auto written, store_.Write(actor, approval.mutations));
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
