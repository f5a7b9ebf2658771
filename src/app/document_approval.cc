#include "app/document_approval.h"

#include <fmt/format.h>

#include "app/access_control.h"
#include "app/register_service.h"
#include "base/text.h"

namespace rampart::app {

using domain::Json;
using domain::Record;

Result<Record> CurrentVersion(store::Store& store, const domain::RegisterSpec& spec,
                              int64_t org_id) {
  store::ListQuery q;
  q.filters.push_back({"status", "approved"});
  q.limit = 1;
  ASSIGN_OR_RETURN(auto page, store.List(spec, org_id, q));
  if (page.records.empty()) {
    return NotFound(
        fmt::format("no version of the {} has been approved yet", ToLower(spec.plural)));
  }
  return page.records.front();
}

Result<Approval> PrepareApproval(
    store::Store& store, const store::Actor& actor, const Principal& p,
    const domain::RegisterSpec& spec, int64_t id, std::optional<int64_t> expected_version,
    const std::function<std::vector<domain::FieldError>(const Json&)>& problems) {
  if (p.InAccountSetup()) {
    return PermissionDenied("finish setting up your account before making changes");
  }
  RETURN_IF_ERROR(Require(p, domain::Permission::kApprove));
  Approval out;
  ASSIGN_OR_RETURN(out.draft, store.Get(spec, p.org_id, id));
  if (!expected_version) {
    return Status(Code::kPreconditionRequired, "say which version you are approving (If-Match)");
  }
  if (*expected_version != out.draft.version) {
    return Conflict(fmt::format("{} {} changed since you loaded it; reload and try again",
                                ToLower(spec.singular), id));
  }
  if (out.draft.fields["status"] != "draft") {
    return FailedPrecondition(fmt::format("version {} is {}: only a draft can be approved",
                                          out.draft.fields["version_number"].dump(),
                                          out.draft.fields["status"].get<std::string>()));
  }
  if (problems) {
    const auto found = problems(out.draft.fields);
    if (!found.empty()) return FirstError(found);
  }
  auto current = CurrentVersion(store, spec, p.org_id);
  if (current.ok()) {
    Json fields = current->fields;
    fields["status"] = "superseded";
    out.mutations.push_back({.kind = store::Mutation::Kind::kUpdate,
                             .spec = &spec,
                             .id = current->id,
                             .expected_version = current->version,
                             .fields = fields,
                             .action = "supersede",
                             .diff = domain::DiffFields(spec, current->fields, fields)});
    out.superseded = std::move(*current);
  } else if (current.status().code() != Code::kNotFound) {
    return current.status();
  }
  out.approved_fields = out.draft.fields;
  out.approved_fields["status"] = "approved";
  out.approved_fields["approved_by"] = p.user_id;
  out.approved_fields["approved_at"] = actor.now;
  out.mutations.push_back(
      {.kind = store::Mutation::Kind::kUpdate,
       .spec = &spec,
       .id = id,
       .expected_version = out.draft.version,
       .fields = out.approved_fields,
       .action = "approve",
       .diff = domain::DiffFields(spec, out.draft.fields, out.approved_fields)});
  return out;
}

}  // namespace rampart::app
