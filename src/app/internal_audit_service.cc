#include "app/internal_audit_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "app/access_control.h"
#include "domain/annex_a.h"
#include "domain/documents.h"
#include "domain/improvement.h"
#include "domain/leadership.h"
#include "domain/risk.h"

namespace rampart::app {

using domain::Json;
using domain::Record;

namespace {

std::vector<int64_t> Ids(const Json& r, const char* field) {
  std::vector<int64_t> out;
  const Json v = r.value(field, Json());
  if (!v.is_array()) return out;
  for (const auto& s : v) {
    if (s.is_number_integer()) out.push_back(s.get<int64_t>());
  }
  return out;
}

// One clause on the other's branch: equal, or one below the other ("9.2" and "9").
bool SameBranch(const std::string& a, const std::string& b) {
  return domain::ClauseWithin(a, b) || domain::ClauseWithin(b, a);
}

// The first of `have` that is among `scope`, or empty.
std::string FirstShared(const std::vector<std::string>& have,
                        const std::vector<std::string>& scope) {
  for (const auto& h : have) {
    if (std::find(scope.begin(), scope.end(), h) != scope.end()) return h;
  }
  return {};
}

int64_t OwnerOf(const Record& r) { return r.fields.value("owner", Json()).get<int64_t>(); }

std::string Title(const Record& r, const char* field) {
  const Json v = r.fields.value(field, Json());
  return v.is_string() ? v.get<std::string>() : fmt::format("#{}", r.id);
}

// Whether the auditors, the scope or the override changed (or the audit is new).
bool ImpartialityAffected(const Json& fields, const Json* before) {
  if (before == nullptr) return true;
  for (const char* f : {"lead_auditor", "team", "clauses", "annex_controls", "processes",
                        "impartiality_override"}) {
    if (fields.value(f, Json()) != before->value(f, Json())) return true;
  }
  return false;
}

}  // namespace

Result<std::vector<Record>> InternalAuditService::Owned(const domain::RegisterSpec& spec,
                                                        int64_t org_id,
                                                        const std::vector<int64_t>& auditors,
                                                        std::vector<domain::Filter> more) {
  domain::ListQuery q{.sort = "id", .limit = kOwnedChecked};
  q.filters = std::move(more);
  q.filters.push_back({"owner", Json(auditors)});
  ASSIGN_OR_RETURN(auto page, store_.List(spec, org_id, q));
  return std::move(page.records);
}

Result<std::optional<InternalAuditService::Conflict>> InternalAuditService::FindConflict(
    int64_t org_id, const Json& audit, const std::vector<int64_t>& auditors) {
  const std::vector<std::string> clauses = domain::TextsOf(audit, "clauses");
  const std::vector<std::string> controls = domain::TextsOf(audit, "annex_controls");
  const std::vector<int64_t> processes = Ids(audit, "processes");
  std::vector<Conflict> found;
  // 1. Applied controls implementing a scoped Annex A control.
  if (!controls.empty()) {
    ASSIGN_OR_RETURN(auto owned, Owned(domain::AppliedControls(), org_id, auditors));
    for (const auto& c : owned) {
      const std::string shared = FirstShared(domain::TextsOf(c.fields, "annex_controls"), controls);
      if (!shared.empty()) {
        found.push_back({OwnerOf(c), fmt::format("the applied control \"{}\", which implements "
                                                 "Annex A {} in the audit's scope",
                                                 Title(c, "name"), shared)});
        break;
      }
    }
  }
  // 2. Documents serving a scoped clause or Annex A control.
  if (found.empty() && (!clauses.empty() || !controls.empty())) {
    ASSIGN_OR_RETURN(auto owned, Owned(domain::Documents(), org_id, auditors));
    for (const auto& d : owned) {
      std::string shared;
      for (const auto& c : domain::TextsOf(d.fields, "clauses")) {
        for (const auto& s : clauses) {
          if (SameBranch(c, s)) shared = "clause " + c;
        }
        if (!shared.empty()) break;
      }
      if (shared.empty()) {
        const std::string control =
            FirstShared(domain::TextsOf(d.fields, "annex_controls"), controls);
        if (!control.empty()) shared = "Annex A " + control;
      }
      if (!shared.empty()) {
        found.push_back({OwnerOf(d), fmt::format("the document \"{}\", which serves {} in the "
                                                 "audit's scope",
                                                 Title(d, "title"), shared)});
        break;
      }
    }
  }
  // 3. The audit's ISMS processes.
  if (found.empty() && !processes.empty()) {
    ASSIGN_OR_RETURN(auto owned,
                     Owned(domain::IsmsProcesses(), org_id, auditors, {{"id", Json(processes)}}));
    if (!owned.empty()) {
      found.push_back(
          {OwnerOf(owned.front()), fmt::format("the ISMS process \"{}\", which the audit covers",
                                               Title(owned.front(), "name"))});
    }
  }
  // 4. Risks treated by an applied control implementing a scoped Annex A control.
  if (found.empty() && !controls.empty()) {
    ASSIGN_OR_RETURN(auto risks, Owned(domain::Risks(), org_id, auditors));
    std::set<int64_t> treating;
    for (const auto& r : risks) {
      for (const int64_t id : Ids(r.fields, "controls")) treating.insert(id);
    }
    if (!treating.empty()) {
      domain::ListQuery q{
          .filters = {{"id", Json(std::vector<int64_t>(treating.begin(), treating.end()))}},
          .sort = "id",
          .limit = kOwnedChecked};
      ASSIGN_OR_RETURN(auto page, store_.List(domain::AppliedControls(), org_id, q));
      std::map<int64_t, std::string> in_scope;  // applied control -> the Annex A control
      for (const auto& c : page.records) {
        const std::string shared =
            FirstShared(domain::TextsOf(c.fields, "annex_controls"), controls);
        if (!shared.empty()) in_scope[c.id] = shared;
      }
      for (const auto& r : risks) {
        for (const int64_t id : Ids(r.fields, "controls")) {
          const auto it = in_scope.find(id);
          if (it == in_scope.end()) continue;
          found.push_back({OwnerOf(r), fmt::format("the risk \"{}\", treated by a control "
                                                   "implementing Annex A {} in the audit's scope",
                                                   Title(r, "title"), it->second)});
          break;
        }
        if (!found.empty()) break;
      }
    }
  }
  if (found.empty()) return std::optional<Conflict>();
  return std::optional<Conflict>(found.front());
}

Status InternalAuditService::OnAuditWrite(const Principal& p, Json& fields, const Json* before,
                                          std::vector<domain::FieldError>& errors) {
  if (fields.value("impartiality_override", false) == true) return Status::Ok();
  if (!ImpartialityAffected(fields, before)) return Status::Ok();
  const std::vector<int64_t> auditors = domain::AuditorsOf(fields);
  if (auditors.empty()) return Status::Ok();
  ASSIGN_OR_RETURN(auto conflict, FindConflict(p.org_id, fields, auditors));
  if (!conflict) return Status::Ok();
  const bool lead = fields.value("lead_auditor", Json()) == conflict->auditor;
  errors.push_back(
      {lead ? "lead_auditor" : "team",
       fmt::format("{} owns {}: an auditor does not audit their own work; choose another "
                   "auditor, or record an impartiality override with its reason",
                   lead ? "the lead auditor" : "a member of the audit team", conflict->what)});
  return Status::Ok();
}

Status InternalAuditService::OnFindingWrite(const Principal& p, const Json& fields,
                                            const Json* before,
                                            std::vector<store::Mutation>& mutations) {
  if (!domain::IsNonconformityFinding(fields)) return Status::Ok();
  if (fields.value("nonconformity", Json()).is_number_integer()) return Status::Ok();
  const domain::RegisterSpec& ncs = domain::Nonconformities();
  std::string reference = "Internal audit finding";
  if (fields.value("audit", Json()).is_number_integer()) {
    auto audit = store_.Get(domain::InternalAudits(), p.org_id, fields["audit"].get<int64_t>());
    if (!audit.ok() && audit.status().code() != Code::kNotFound) return audit.status();
    if (audit.ok()) {
      reference = fmt::format("Finding \"{}\" of internal audit \"{}\"",
                              fields.value("title", std::string()),
                              audit->fields.value("title", std::string()));
    }
  }
  if (reference.size() > 200) reference = "Internal audit finding";
  std::string description = fields.value("description", std::string());
  const Json evidence = fields.value("evidence", Json());
  if (evidence.is_string() && !evidence.get<std::string>().empty()) {
    const std::string with = description + "\n\nEvidence: " + evidence.get<std::string>();
    if (with.size() <= 10000) description = with;
  }
  Json input = {
      {"title", fields.value("title", std::string())},
      {"source", "internal_audit"},
      {"source_reference", reference},
      {"grade", fields["type"] == domain::kFindingMajor ? "major" : "minor"},
      {"description", description},
      {"requirement", fields.value("requirement", Json())},
      {"detected_on", fields.value("found_on", Json())},
      {"owner", fields.value("owner", Json())},
  };
  if (p.user_id > 0) input["reported_by"] = p.user_id;
  std::vector<domain::FieldError> errors;
  Json nc = domain::ValidateFields(ncs, input, domain::WriteMode::kCreate, nullptr, errors);
  if (errors.empty() && ncs.rule) ncs.rule(nc, nullptr, errors);
  if (!errors.empty()) {
    return Status(Code::kInvalidArgument,
                  fmt::format("the nonconformity this finding raises cannot be recorded: {} ({})",
                              errors.front().message, errors.front().field),
                  "type");
  }
  (void)before;
  // The nonconformity first, so that the finding's write names it.
  mutations.front().ids_of.push_back({"nonconformity", 0});
  mutations.insert(mutations.begin(), store::Mutation{.kind = store::Mutation::Kind::kInsert,
                                                      .spec = &ncs,
                                                      .fields = nc,
                                                      .action = "raise",
                                                      .diff = domain::DiffFields(ncs, Json(), nc)});
  return Status::Ok();
}

Result<std::vector<Record>> InternalAuditService::AuditsOf(const Principal& p,
                                                           int64_t programme_id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  domain::ListQuery q{
      .filters = {{"programme", programme_id}}, .sort = "planned_start", .limit = kShown};
  ASSIGN_OR_RETURN(auto page, store_.List(domain::InternalAudits(), p.org_id, q));
  return std::move(page.records);
}

Result<std::vector<Record>> InternalAuditService::FindingsOf(const Principal& p, int64_t audit_id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  domain::ListQuery q{.filters = {{"audit", audit_id}}, .sort = "number", .limit = kShown};
  ASSIGN_OR_RETURN(auto page, store_.List(domain::AuditFindings(), p.org_id, q));
  return std::move(page.records);
}

Result<domain::AuditCoverage> InternalAuditService::Coverage(const Principal& p,
                                                             int64_t programme_id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(auto programme, store_.Get(domain::AuditProgrammes(), p.org_id, programme_id));
  (void)programme;
  ASSIGN_OR_RETURN(auto audits, AuditsOf(p, programme_id));
  ASSIGN_OR_RETURN(auto entries, store_.SoaEntries(p.org_id));
  std::vector<std::string> applicable;
  int undecided = 0;
  std::set<std::string> decided;
  for (const auto& e : entries) {
    if (!e.applicable.has_value()) continue;
    decided.insert(e.control_id);
    if (*e.applicable) applicable.push_back(e.control_id);
  }
  for (const auto& c : domain::AnnexAControls()) {
    if (!decided.contains(c.id)) ++undecided;
  }
  std::vector<domain::AuditColumnInput> columns;
  for (const auto& a : audits) columns.push_back({.id = a.id, .fields = &a.fields});
  return domain::ComputeAuditCoverage(columns, applicable, undecided);
}

}  // namespace rampart::app
