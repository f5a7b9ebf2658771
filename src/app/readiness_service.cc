#include "app/readiness_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "app/access_control.h"
#include "app/mandatory_service.h"
#include "app/record_source.h"
#include "domain/annex_a.h"
#include "domain/documents.h"
#include "domain/internal_audit.h"
#include "domain/leadership.h"
#include "domain/operation.h"
#include "domain/planning.h"
#include "domain/registers.h"
#include "domain/risk.h"
#include "domain/risk_methodology.h"
#include "domain/support.h"

namespace rampart::app {

using domain::Json;
using domain::Record;

namespace {

// A failing query check counts its offenders up to this many ("10,000+").
constexpr int64_t kCountCap = 10000;

// The latest certificate expiry of each supplier: the greatest of its assessments' own and
// of the evidence files attached to them (as the suppliers' page counts it).
Result<std::map<int64_t, std::string>> CertificateExpiries(RecordSource& src) {
  ASSIGN_OR_RETURN(auto assessments, src.All(domain::SupplierAssessments(), {}));
  ASSIGN_OR_RETURN(auto evidence, src.EvidenceExpiries(domain::SupplierAssessments()));
  std::map<int64_t, std::string> out;
  for (const auto& a : assessments) {
    const Json& supplier = a.fields.value("supplier", Json());
    if (!supplier.is_number_integer()) continue;
    std::string latest;
    const Json& own = a.fields.value("certificate_expires", Json());
    if (own.is_string()) latest = own.get<std::string>();
    const auto files = evidence.find(a.id);
    if (files != evidence.end()) latest = std::max(latest, files->second.latest);
    if (latest.empty()) continue;
    std::string& kept = out[supplier.get<int64_t>()];
    kept = std::max(kept, latest);
  }
  return out;
}

// The facts the rule checks read, once.
Result<domain::ReadinessFacts> ReadFacts(RecordSource& src, store::Store& store, int64_t org_id) {
  domain::ReadinessFacts f;
  f.day = src.Day();
  const std::string approved(domain::kVersionApproved);
  // The risk levels the methodology in force does not let be retained.
  ASSIGN_OR_RETURN(auto method,
                   src.First(domain::RiskMethodologies(), {{"status", approved}}, 1, "id"));
  domain::RiskMethodology m = domain::DefaultMethodology();
  if (!method.empty()) {
    std::vector<domain::FieldError> errors;
    auto parsed = domain::MethodologyFromRecord(method.front().fields, errors);
    if (errors.empty()) m = std::move(parsed);
  }
  for (const auto& level : m.levels) {
    if (!level.may_retain) f.levels_to_treat.push_back(level.name);
  }
  // The Statement of Applicability and its approved versions.
  ASSIGN_OR_RETURN(auto entries, src.SoaEntries());
  ASSIGN_OR_RETURN(auto controls, src.SoaAppliedControls());
  f.soa = domain::BuildSoaLines(entries, domain::LinkSoaControls(controls, {}, 0));
  ASSIGN_OR_RETURN(auto versions, src.SoaVersions());
  for (const auto& v : versions) {
    if (v.number > f.soa_version) {
      f.soa_version = v.number;
      f.soa_approved_at = v.approved_at;
    }
  }
  ASSIGN_OR_RETURN(f.last_risk_change, src.LastChange(domain::Risks().type));
  // Roles and processes (registers that stay small).
  ASSIGN_OR_RETURN(f.roles, src.All(domain::IsmsRoles(), {}));
  ASSIGN_OR_RETURN(f.processes, src.All(domain::IsmsProcesses(), {{"status", "active"}}));
  // Mandatory documented information, with the SoA's version and exclusions as of the day.
  ASSIGN_OR_RETURN(auto in, ReadMandatoryInputs(src, /*name_documents=*/false));
  in.soa_version = f.soa_version;
  in.soa_approved_at = f.soa_approved_at;
  for (const auto& line : f.soa) {
    if (line.entry.applicable == false) in.not_applicable.insert(line.control->id);
  }
  f.mandatory = domain::AssessMandatoryDocumentation(in, src.Day());
  // The competence matrix.
  std::vector<Record> active_roles;
  for (const auto& r : f.roles) {
    if (r.fields.value("status", Json()) == "active") active_roles.push_back(r);
  }
  ASSIGN_OR_RETURN(auto requirements,
                   src.All(domain::CompetenceRequirements(), {{"status", "active"}}));
  ASSIGN_OR_RETURN(auto records, src.All(domain::CompetenceRecords(),
                                         {{"status", Json::array({"planned", "completed"})}}));
  f.competence = domain::ComputeCompetenceMatrix(active_roles, requirements, records, src.Day());
  if (!f.competence.people.empty()) {
    ASSIGN_OR_RETURN(auto members, store.ListMembers(org_id));
    for (const auto& m : members) {
      f.people[m.id] = m.display_name.empty() ? m.username : m.display_name;
    }
  }
  ASSIGN_OR_RETURN(f.objectives, src.All(domain::Objectives(),
                                         {{"status", Json::array({"planned", "in_progress"})}}));
  ASSIGN_OR_RETURN(f.changes, src.All(domain::PlannedChanges(),
                                      {{"status", Json::array({"approved", "in_progress"})}}));
  ASSIGN_OR_RETURN(f.cycles, src.All(domain::RiskAssessments(), {{"status", "closed"}}));
  // The published policy, whose distribution is to acknowledge it.
  ASSIGN_OR_RETURN(auto policies, src.All(domain::Documents(),
                                          {{"type", "isms_policy"}, {"status", "published"}}));
  for (const auto& d : policies) f.isms_policies.push_back(d.id);
  // Clause 7.4 and 8.1's recurring work: communications and activities (registers that stay
  // small) with the date each was last made or carried out, and the suppliers' certificates.
  ASSIGN_OR_RETURN(f.communications, src.All(domain::Communications(), {{"status", "active"}}));
  ASSIGN_OR_RETURN(f.last_communicated,
                   src.Latest(domain::CommunicationLog(), {}, "communication", "date"));
  ASSIGN_OR_RETURN(f.activities, src.All(domain::OperationalActivities(), {{"status", "active"}}));
  ASSIGN_OR_RETURN(f.last_performed,
                   src.Latest(domain::ActivityOccurrences(),
                              {{"outcome", Json::array({domain::kOccurrenceCompleted,
                                                        domain::kOccurrenceIssuesFound})}},
                              "activity", "date"));
  ASSIGN_OR_RETURN(f.suppliers, src.All(domain::Suppliers(), {{"status", "active"}}));
  ASSIGN_OR_RETURN(f.certificates_expire, CertificateExpiries(src));
  // Implemented controls and their evidence.
  ASSIGN_OR_RETURN(f.implemented_controls,
                   src.All(domain::AppliedControls(), {{"status", "implemented"}}));
  ASSIGN_OR_RETURN(f.control_evidence, src.EvidenceExpiries(domain::AppliedControls()));
  // The active audit programme (the latest by number) and what its audits cover.
  ASSIGN_OR_RETURN(auto programmes, src.All(domain::AuditProgrammes(), {{"status", "active"}}));
  const Record* programme = nullptr;
  for (const auto& p : programmes) {
    if (programme == nullptr ||
        p.fields.value("number", 0) > programme->fields.value("number", 0)) {
      programme = &p;
    }
  }
  if (programme != nullptr) {
    f.programme_id = programme->id;
    const Json& title = programme->fields.value("title", Json());
    f.programme_title = title.is_string() ? title.get<std::string>() : "the programme";
    ASSIGN_OR_RETURN(auto audits,
                     src.All(domain::InternalAudits(), {{"programme", programme->id}}));
    std::vector<domain::AuditColumnInput> columns;
    for (const auto& a : audits) columns.push_back({.id = a.id, .fields = &a.fields});
    std::vector<std::string> applicable;
    int undecided = 0;
    for (const auto& line : f.soa) {
      if (!line.entry.applicable) ++undecided;
      if (line.entry.applicable == true) applicable.push_back(line.control->id);
    }
    f.coverage = domain::ComputeAuditCoverage(columns, applicable, undecided);
  }
  return f;
}

Result<domain::CheckResult> RunQuery(RecordSource& src, const domain::ReadinessCheck& c,
                                     const domain::ReadinessFacts& facts) {
  const auto filters = domain::ReadinessFilters(c, facts, src.Day());
  ASSIGN_OR_RETURN(int64_t count, src.Count(*c.spec, filters, kCountCap));
  const bool capped = count > kCountCap;
  if (capped) count = kCountCap;
  std::vector<domain::Offender> offenders;
  if (c.expect == domain::Expect::kNone && count > 0) {
    ASSIGN_OR_RETURN(auto first, src.First(*c.spec, filters, domain::kReadinessOffenders,
                                           domain::OffenderOrder(c)));
    for (const auto& r : first) {
      const Json& t = r.fields.value(c.spec->title_field, Json());
      offenders.push_back({.type = c.spec->type,
                           .id = r.id,
                           .title = t.is_string()   ? t.get<std::string>()
                                    : t.is_number() ? t.dump()
                                                    : fmt::format("#{}", r.id)});
    }
  }
  return domain::QueryResult(c, count, capped, std::move(offenders));
}

// Every kind of record the checks read: the registers, the SoA's decisions and versions, the
// evidence files.
const std::vector<std::string>& RecordTypesRead() {
  static const std::vector<std::string> kTypes = [] {
    std::vector<std::string> out;
    for (const auto* spec : domain::AllRegisters()) out.push_back(spec->type);
    out.push_back("soa_entry");
    out.push_back("soa_version");
    out.push_back("evidence_file");  // uploads and deletions (the evidence of controls)
    return out;
  }();
  return kTypes;
}

}  // namespace

Result<domain::Readiness> ReadinessService::AssessOrg(int64_t org_id, const std::string& day,
                                                      bool historical) {
  auto src = historical ? RecordsAsOf(store_, org_id, day) : LiveRecords(store_, org_id, day);
  ASSIGN_OR_RETURN(auto facts, ReadFacts(*src, store_, org_id));
  std::vector<domain::CheckResult> results;
  for (const auto& c : domain::ReadinessChecks()) {
    if (c.expect == domain::Expect::kRule) {
      results.push_back(domain::EvaluateRule(c, facts));
    } else {
      ASSIGN_OR_RETURN(auto r, RunQuery(*src, c, facts));
      results.push_back(std::move(r));
    }
  }
  auto out = domain::SummariseReadiness(day, std::move(results));
  out.historical = historical;
  return out;
}

Status ReadinessService::Keep(int64_t org_id, const domain::Readiness& r) {
  return store_
      .PutReadinessDay(org_id, r.as_of, domain::ReadinessSummaryJson(r), FormatUtc(clock_.Now()))
      .status();
}

Result<domain::Readiness> ReadinessService::Assess(const Principal& p, const std::string& as_of) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  const std::string today = Today();
  if (!as_of.empty()) RETURN_IF_ERROR(CheckAsOf(as_of, today));
  const bool historical = !as_of.empty() && as_of < today;
  if (historical) return AssessOrg(p.org_id, as_of, true);
  ASSIGN_OR_RETURN(const int64_t last_change, store_.LastChange(p.org_id, RecordTypesRead()));
  {
    std::lock_guard lock(mu_);
    const auto it = latest_.find(p.org_id);
    if (it != latest_.end() && it->second.day == today && it->second.last_change == last_change) {
      return it->second.readiness;
    }
  }
  ASSIGN_OR_RETURN(auto r, AssessOrg(p.org_id, today, false));
  {
    std::lock_guard lock(mu_);
    latest_[p.org_id] = {today, last_change, r};
  }
  {
    // The first assessment of the day is its history (once per process: the store keeps the
    // first one anyway).
    std::lock_guard lock(mu_);
    if (kept_.insert({p.org_id, today}).second) RETURN_IF_ERROR(Keep(p.org_id, r));
  }
  return r;
}

Result<std::vector<ReadinessDay>> ReadinessService::History(const Principal& p, int days) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  days = std::clamp(days, 1, 3660);
  ASSIGN_OR_RETURN(auto kept,
                   store_.ReadinessDays(p.org_id, domain::AddDays(Today(), -(days - 1))));
  std::vector<ReadinessDay> out;
  for (auto& [day, summary] : kept) out.push_back({std::move(day), std::move(summary)});
  return out;
}

Result<int> ReadinessService::RecordDay() {
  ASSIGN_OR_RETURN(auto orgs, store_.ListOrganisations());
  const std::string today = Today();
  int kept = 0;
  for (const auto& org : orgs) {
    ASSIGN_OR_RETURN(auto days, store_.ReadinessDays(org.id, today));
    if (!days.empty()) continue;
    ASSIGN_OR_RETURN(auto r, AssessOrg(org.id, today, false));
    ASSIGN_OR_RETURN(bool now,
                     store_.PutReadinessDay(org.id, today, domain::ReadinessSummaryJson(r),
                                            FormatUtc(clock_.Now())));
    kept += now ? 1 : 0;
  }
  return kept;
}

}  // namespace rampart::app
