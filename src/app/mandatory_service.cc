#include "app/mandatory_service.h"

#include <string>
#include <utility>
#include <vector>

#include "app/access_control.h"
#include "app/register_service.h"
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
Result<int64_t> CountWhere(RecordSource& src, const domain::RegisterSpec& spec,
                           const std::string& field, Json values) {
  return src.Count(spec, {{field, std::move(values)}});
}

// The approved version in force of `spec` (one at a time), if one has been approved.
Result<std::optional<domain::Record>> InForce(RecordSource& src, const domain::RegisterSpec& spec) {
  ASSIGN_OR_RETURN(auto approved,
                   src.First(spec, {{"status", std::string(domain::kVersionApproved)}}, 1, "id"));
  if (approved.empty()) return std::optional<domain::Record>();
  return std::optional<domain::Record>(std::move(approved.front()));
}

}  // namespace

// The published documents counted by the store: per type, clause and control, all and those
// past their next review (six statements, whatever the number of documents).
Result<domain::PublishedCounts> PublishedCountedByStore(RecordSource& src) {
  const std::vector<domain::Filter> published = {{"status", "published"}};
  std::vector<domain::Filter> overdue = published;
  overdue.push_back({"next_review", src.Day(), domain::Filter::Match::kBefore});
  domain::PublishedCounts out;
  for (const auto& [field, by] :
       {std::pair{"type", &out.by_type}, std::pair{"clauses", &out.by_clause},
        std::pair{"annex_controls", &out.by_control}}) {
    ASSIGN_OR_RETURN(auto all, src.Tally(domain::Documents(), published, field));
    ASSIGN_OR_RETURN(auto late, src.Tally(domain::Documents(), overdue, field));
    for (const auto& [value, n] : all) {
      const int64_t past = late.count(value) != 0 ? late[value] : 0;
      (*by)[value] = {.in_date = n - past, .overdue = past};
    }
  }
  // Every document has a type: the counts by type sum to all of them.
  for (const auto& [type, n] : out.by_type) {
    out.all.in_date += n.in_date;
    out.all.overdue += n.overdue;
  }
  return out;
}

Result<domain::MandatoryInputs> ReadMandatoryInputs(RecordSource& src, bool name_documents) {
  domain::MandatoryInputs in;
  ASSIGN_OR_RETURN(in.published, PublishedCountedByStore(src));
  if (name_documents) {
    ASSIGN_OR_RETURN(in.published_documents,
                     src.All(domain::Documents(), {{"status", "published"}}));
  }
  ASSIGN_OR_RETURN(in.scope, InForce(src, domain::ScopeStatements()));
  ASSIGN_OR_RETURN(in.methodology, InForce(src, domain::RiskMethodologies()));
  ASSIGN_OR_RETURN(in.objectives,
                   CountWhere(src, domain::Objectives(), "status",
                              Json::array({"planned", "in_progress", "achieved", "not_achieved"})));
  ASSIGN_OR_RETURN(in.competence, CountWhere(src, domain::CompetenceRecords(), "status",
                                             Json::array({"completed"})));
  ASSIGN_OR_RETURN(in.closed_cycles,
                   CountWhere(src, domain::RiskAssessments(), "status", Json::array({"closed"})));
  ASSIGN_OR_RETURN(in.risks_in_plan,
                   CountWhere(src, domain::Risks(), "status",
                              Json::array({std::string(domain::kRiskTreatmentPlanned),
                                           std::string(domain::kRiskTreated)})));
  ASSIGN_OR_RETURN(in.risks_treated, CountWhere(src, domain::Risks(), "status",
                                                Json::array({std::string(domain::kRiskTreated),
                                                             std::string(domain::kRiskAccepted)})));
  // The records of clauses 8.1, 9 and 10 (one count each).
  ASSIGN_OR_RETURN(in.occurrences,
                   CountWhere(src, domain::ActivityOccurrences(), "outcome",
                              Json::array({std::string(domain::kOccurrenceCompleted),
                                           std::string(domain::kOccurrenceIssuesFound)})));
  ASSIGN_OR_RETURN(in.measurements, src.Count(domain::Measurements(), {}));
  ASSIGN_OR_RETURN(in.audits_reported,
                   CountWhere(src, domain::InternalAudits(), "status",
                              Json::array({std::string(domain::kAuditReported),
                                           std::string(domain::kAuditClosed)})));
  ASSIGN_OR_RETURN(in.reviews_approved,
                   CountWhere(src, domain::ManagementReviews(), "status",
                              Json::array({std::string(domain::kReviewApproved)})));
  ASSIGN_OR_RETURN(in.nonconformities, src.Count(domain::Nonconformities(), {}));
  return in;
}

std::string MandatoryDocumentsService::Today() const { return FormatDate(clock_.Now()); }

Result<domain::MandatoryAssessment> MandatoryDocumentsService::Assess(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  auto src = LiveRecords(store_, p.org_id, Today());
  ASSIGN_OR_RETURN(auto in, ReadMandatoryInputs(*src, /*name_documents=*/true));
  ASSIGN_OR_RETURN(auto versions, soa_.Versions(p));
  for (const auto& v : versions) {
    if (v.number > in.soa_version) {
      in.soa_version = v.number;
      in.soa_approved_at = v.approved_at;
    }
  }
  ASSIGN_OR_RETURN(auto excluded, soa_.List(p, domain::SoaFilter{.applicable = "no"}));
  for (const auto& line : excluded) in.not_applicable.insert(line.control->id);
  return domain::AssessMandatoryDocumentation(in, Today());
}

}  // namespace rampart::app
