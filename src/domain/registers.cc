#include "domain/registers.h"

#include "domain/context.h"
#include "domain/documents.h"
#include "domain/frameworks.h"
#include "domain/improvement.h"
#include "domain/internal_audit.h"
#include "domain/leadership.h"
#include "domain/management_review.h"
#include "domain/monitoring.h"
#include "domain/operation.h"
#include "domain/planning.h"
#include "domain/risk.h"
#include "domain/support.h"
#include "domain/tasks.h"

namespace rampart::domain {

const std::vector<const RegisterSpec*>& RegistersTasksServe() {
  static const std::vector<const RegisterSpec*> kAll = {&ContextIssues(),
                                                        &InterestedParties(),
                                                        &ScopeStatements(),
                                                        &Assets(),
                                                        &Threats(),
                                                        &Vulnerabilities(),
                                                        &RiskMethodologies(),
                                                        &Risks(),
                                                        &AppliedControls(),
                                                        &RiskAcceptances(),
                                                        &RiskAssessments(),
                                                        &Frameworks(),
                                                        &FrameworkControls(),
                                                        &Commitments(),
                                                        &IsmsRoles(),
                                                        &IsmsProcesses(),
                                                        &Objectives(),
                                                        &PlannedChanges(),
                                                        &Resources(),
                                                        &CompetenceRequirements(),
                                                        &CompetenceRecords(),
                                                        &AwarenessCampaigns(),
                                                        &AwarenessCompletions(),
                                                        &Communications(),
                                                        &CommunicationLog(),
                                                        &Documents(),
                                                        &DocumentVersions(),
                                                        &DocumentAcknowledgements(),
                                                        &Incidents(),
                                                        &Suppliers(),
                                                        &SupplierAssessments(),
                                                        &OperationalActivities(),
                                                        &ActivityOccurrences(),
                                                        &Metrics(),
                                                        &Measurements(),
                                                        &AuditProgrammes(),
                                                        &InternalAudits(),
                                                        &AuditFindings(),
                                                        &ManagementReviews(),
                                                        &Improvements(),
                                                        &Nonconformities()};
  return kAll;
}

const std::vector<const RegisterSpec*>& AllRegisters() {
  static const std::vector<const RegisterSpec*> kAll = [] {
    std::vector<const RegisterSpec*> all = RegistersTasksServe();
    all.push_back(&Tasks());
    return all;
  }();
  return kAll;
}

const RegisterSpec* FindRegisterByPath(std::string_view path) {
  for (const auto* r : AllRegisters()) {
    if (r->path == path) return r;
  }
  return nullptr;
}

const RegisterSpec* FindRegisterByType(std::string_view type) {
  for (const auto* r : AllRegisters()) {
    if (r->type == type) return r;
  }
  return nullptr;
}

}  // namespace rampart::domain
