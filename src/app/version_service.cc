#include "app/version_service.h"

#include <fmt/format.h>

#include "app/access_control.h"
#include "base/text.h"

namespace rampart::app {

using domain::Json;
using domain::Record;
using domain::RegisterSpec;

namespace {

Status RequireVersions(const RegisterSpec& spec) {
  if (spec.versions) return Status::Ok();
  return InvalidArgument(fmt::format("the {} register has no approved versions", spec.path));
}

}  // namespace

Result<Record> ApprovedVersionInForce(store::Store& store, const RegisterSpec& spec,
                                      int64_t org_id) {
  domain::ListQuery q;
  q.filters.push_back({"status", std::string(domain::kVersionApproved)});
  q.limit = 1;
  ASSIGN_OR_RETURN(auto page, store.List(spec, org_id, q));
  if (page.records.empty()) {
    return NotFound(
        fmt::format("no version of the {} has been approved yet", LowerNoun(spec.plural)));
  }
  return page.records.front();
}

void VersionService::OnApprove(const RegisterSpec& spec, ApprovalExtension extension) {
  extensions_[&spec] = std::move(extension);
}

Result<Record> VersionService::Current(const Principal& p, const RegisterSpec& spec) {
  RETURN_IF_ERROR(RequireVersions(spec));
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return ApprovedVersionInForce(store_, spec, p.org_id);
}

Result<Record> VersionService::Approve(const Principal& p, const RegisterSpec& spec, int64_t id,
                                       std::optional<int64_t> expected_version) {
  RETURN_IF_ERROR(RequireVersions(spec));
  if (p.InAccountSetup()) {
    return PermissionDenied("finish setting up your account before making changes");
  }
  RETURN_IF_ERROR(Require(p, domain::Permission::kApprove));
  ASSIGN_OR_RETURN(Record draft, store_.Get(spec, p.org_id, id));
  if (!expected_version) {
    return Status(Code::kPreconditionRequired, "say which version you are approving (If-Match)");
  }
  if (*expected_version != draft.version) {
    return Conflict(fmt::format("{} {} changed since you loaded it; reload and try again",
                                ToLower(spec.singular), id));
  }
  if (draft.fields["status"] != domain::kVersionDraft) {
    return FailedPrecondition(fmt::format("version {} is {}: only a draft can be approved",
                                          draft.fields["version_number"].dump(),
                                          draft.fields["status"].get<std::string>()));
  }
  if (spec.versions->approval_problems) {
    const auto found = spec.versions->approval_problems(draft.fields);
    if (!found.empty()) return FirstError(found);
  }
  const store::Actor actor = registers_.ActorFor(p);
  std::vector<store::Mutation> mutations;
  auto current = ApprovedVersionInForce(store_, spec, p.org_id);
  if (current.ok()) {
    Json fields = current->fields;
    fields["status"] = std::string(domain::kVersionSuperseded);
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
  Json approved = draft.fields;
  approved["status"] = std::string(domain::kVersionApproved);
  approved["approved_by"] = p.user_id;
  approved["approved_at"] = actor.now;
  mutations.push_back({.kind = store::Mutation::Kind::kUpdate,
                       .spec = &spec,
                       .id = id,
                       .expected_version = draft.version,
                       .fields = approved,
                       .action = "approve",
                       .diff = domain::DiffFields(spec, draft.fields, approved)});
  const size_t approved_at = mutations.size() - 1;
  if (auto ext = extensions_.find(&spec); ext != extensions_.end()) {
    RETURN_IF_ERROR(ext->second(p, approved, mutations));
  }
  ASSIGN_OR_RETURN(auto written, store_.Write(actor, mutations));
  return written[approved_at];
}

Result<Record> VersionService::NewDraft(const Principal& p, const RegisterSpec& spec,
                                        int64_t from_id) {
  RETURN_IF_ERROR(RequireVersions(spec));
  Json input = Json::object();
  if (from_id == 0 && spec.versions->first_draft) {
    input = spec.versions->first_draft();
  } else {
    ASSIGN_OR_RETURN(Record from, registers_.Get(p, spec, from_id));
    for (const auto& f : spec.fields) {
      if (!f.read_only) input[f.name] = from.fields[f.name];
    }
  }
  for (const auto& name : spec.versions->reset_on_new_draft) input[name] = nullptr;
  return registers_.Create(p, spec, input);
}

Result<VersionComparison> VersionService::Compare(const Principal& p, const RegisterSpec& spec,
                                                  int64_t from_id, int64_t to_id) {
  RETURN_IF_ERROR(RequireVersions(spec));
  VersionComparison out;
  auto from = registers_.Get(p, spec, from_id);
  if (!from.ok()) return Status(from.status().code(), from.status().message(), "from");
  auto to = registers_.Get(p, spec, to_id);
  if (!to.ok()) return Status(to.status().code(), to.status().message(), "to");
  out.fields = domain::CompareVersions(spec, from->fields, to->fields);
  out.from = std::move(*from);
  out.to = std::move(*to);
  return out;
}

}  // namespace rampart::app
