#include "app/mandatory_service.h"

#include <string>
#include <utility>
#include <vector>

#include "app/access_control.h"
#include "app/register_service.h"
#include "app/version_service.h"
#include "domain/context.h"
#include "domain/documents.h"
#include "domain/improvement.h"
#include "domain/internal_audit.h"
#include "domain/management_review.h"
#include "domain/monitoring.h"
#include "domain/operation.h"
#include "domain/planning.h"
#include "domain/risk.h"
#include "domain/support.h"

namespace rampart::app {

using domain::Json;

namespace {

// How many records of `spec` have `field` among `values`.
Result<int64_t> CountWhere(store::Store& store, const domain::RegisterSpec& spec, int64_t org_id,
                           const std::string& field, Json values) {
  domain::ListQuery q;
  q.filters.push_back({field, std::move(values)});
  return store.Count(spec, org_id, q);
}

// The approved version in force of `spec`, if one has been approved.
Result<std::optional<domain::Record>> InForce(store::Store& store, const domain::RegisterSpec& spec,
                                              int64_t org_id) {
  auto r = ApprovedVersionInForce(store, spec, org_id);
  if (r.ok()) return std::optional<domain::Record>(std::move(*r));
  if (r.status().code() == Code::kNotFound) return std::optional<domain::Record>();
  return r.status();
}

}  // namespace

std::string MandatoryDocumentsService::Today() const { return FormatDate(clock_.Now()); }

Result<domain::MandatoryAssessment> MandatoryDocumentsService::Assess(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  domain::MandatoryInputs in;
  domain::ListQuery published;
  published.filters.push_back({"status", "published"});
  RETURN_IF_ERROR(ForEachPage(store_, domain::Documents(), p.org_id, published,
                              [&](std::vector<domain::Record>& page) {
                                for (auto& d : page) in.published_documents.push_back(std::move(d));
                                return Status::Ok();
                              }));
  ASSIGN_OR_RETURN(in.scope, InForce(store_, domain::ScopeStatements(), p.org_id));
  ASSIGN_OR_RETURN(in.methodology, InForce(store_, domain::RiskMethodologies(), p.org_id));
  ASSIGN_OR_RETURN(auto versions, soa_.Versions(p));
  for (const auto& v : versions) {
    if (v.number > in.soa_version) {
      in.soa_version = v.number;
      in.soa_approved_at = v.approved_at;
    }
  }
  ASSIGN_OR_RETURN(auto excluded, soa_.List(p, domain::SoaFilter{.applicable = "no"}));
  for (const auto& line : excluded) in.not_applicable.insert(line.control->id);
  ASSIGN_OR_RETURN(in.objectives,
                   CountWhere(store_, domain::Objectives(), p.org_id, "status",
                              Json::array({"planned", "in_progress", "achieved", "not_achieved"})));
  ASSIGN_OR_RETURN(in.competence, CountWhere(store_, domain::CompetenceRecords(), p.org_id,
                                             "status", Json::array({"completed"})));
  ASSIGN_OR_RETURN(in.closed_cycles, CountWhere(store_, domain::RiskAssessments(), p.org_id,
                                                "status", Json::array({"closed"})));
  ASSIGN_OR_RETURN(in.risks_in_plan,
                   CountWhere(store_, domain::Risks(), p.org_id, "status",
                              Json::array({std::string(domain::kRiskTreatmentPlanned),
                                           std::string(domain::kRiskTreated)})));
  ASSIGN_OR_RETURN(in.risks_treated, CountWhere(store_, domain::Risks(), p.org_id, "status",
                                                Json::array({std::string(domain::kRiskTreated),
                                                             std::string(domain::kRiskAccepted)})));
  // The records of clauses 8.1, 9 and 10 (one count each).
  ASSIGN_OR_RETURN(in.occurrences,
                   CountWhere(store_, domain::ActivityOccurrences(), p.org_id, "outcome",
                              Json::array({std::string(domain::kOccurrenceCompleted),
                                           std::string(domain::kOccurrenceIssuesFound)})));
  ASSIGN_OR_RETURN(in.measurements, store_.Count(domain::Measurements(), p.org_id, {}));
  ASSIGN_OR_RETURN(in.audits_reported,
                   CountWhere(store_, domain::InternalAudits(), p.org_id, "status",
                              Json::array({std::string(domain::kAuditReported),
                                           std::string(domain::kAuditClosed)})));
  ASSIGN_OR_RETURN(in.reviews_approved,
                   CountWhere(store_, domain::ManagementReviews(), p.org_id, "status",
                              Json::array({std::string(domain::kReviewApproved)})));
  ASSIGN_OR_RETURN(in.nonconformities, store_.Count(domain::Nonconformities(), p.org_id, {}));
  return domain::AssessMandatoryDocumentation(in, Today());
}

}  // namespace rampart::app
