// The application's use cases wired to one store and clock: what the HTTP server and the CLI
// are given. Owns the services; borrows the store and clock, which must outlive it.
#pragma once

#include "app/audit_pack_service.h"
#include "app/audit_service.h"
#include "app/auth_service.h"
#include "app/awareness_service.h"
#include "app/communication_service.h"
#include "app/competence_service.h"
#include "app/document_service.h"
#include "app/evidence_service.h"
#include "app/framework_service.h"
#include "app/idempotency_service.h"
#include "app/import_service.h"
#include "app/internal_audit_service.h"
#include "app/leadership_service.h"
#include "app/management_review_service.h"
#include "app/mandatory_service.h"
#include "app/member_service.h"
#include "app/metric_service.h"
#include "app/operation_service.h"
#include "app/readiness_service.h"
#include "app/register_service.h"
#include "app/reminder_service.h"
#include "app/report_service.h"
#include "app/risk_service.h"
#include "app/setup_service.h"
#include "app/soa_service.h"
#include "app/task_service.h"
#include "app/version_service.h"
#include "domain/documents.h"
#include "domain/leadership.h"
#include "domain/planning.h"
#include "domain/risk.h"
#include "domain/support.h"

namespace rampart::app {

struct Services {
  Services(store::Store& s, const Clock& c, AuthOptions auth_options = {},
           EvidenceOptions evidence_options = {})
      : store(s),
        clock(c),
        registers(s, c),
        versions(s, registers),
        risks(s, c, registers),
        soa(s, registers),
        auth(s, c, std::move(auth_options)),
        members(s, c, auth),
        evidence(s, c, registers, evidence_options),
        competence(s, c),
        communications(s, c),
        awareness(s, c, registers),
        documents(s, c, registers),
        mandatory(s, c, soa),
        leadership(s, registers),
        tasks(s, c),
        operation(s, c),
        metrics(s, c, registers),
        internal_audits(s),
        reviews(s, c, registers, metrics),
        reminders(s, c),
        notifications(s, c),
        readiness(s, c),
        reports(s, c, registers, versions, risks, soa, readiness),
        audit_pack(s, c, reports),
        imports(s, c, registers),
        idempotency(s, c),
        frameworks(s, c, registers, soa),
        setup(s, c, registers, versions, risks) {
    registers.SetWriteHook(domain::Measurements(), [this](const Principal& p, domain::Json& fields,
                                                          const domain::Json* before,
                                                          std::vector<domain::FieldError>& errors) {
      return metrics.OnMeasurementWrite(p, fields, before, errors);
    });
    registers.SetWriteHook(domain::Tasks(), [this](const Principal& p, domain::Json& fields,
                                                   const domain::Json* before,
                                                   std::vector<domain::FieldError>& errors) {
      return tasks.OnTaskWrite(p, fields, before, errors);
    });
    registers.SetCompanionHook(
        domain::Tasks(),
        [this](const Principal& p, const domain::Json& fields, const domain::Json* before,
               std::vector<store::Mutation>& mutations) {
          return tasks.OnTaskDone(p, fields, before, mutations);
        });
    registers.SetWriteHook(domain::Nonconformities(),
                           [](const Principal&, domain::Json& fields, const domain::Json* before,
                              std::vector<domain::FieldError>&) {
                             domain::ClearCarriedOverReview(fields, before);
                             return Status::Ok();
                           });
    registers.SetCompanionHook(
        domain::Nonconformities(),
        [this](const Principal& p, const domain::Json& fields, const domain::Json* before,
               std::vector<store::Mutation>& mutations) {
          return tasks.OnNonconformityWrite(p, fields, before, mutations);
        });
    registers.SetWriteHook(
        domain::InternalAudits(),
        [this](const Principal& p, domain::Json& fields, const domain::Json* before,
               std::vector<domain::FieldError>& errors) {
          return internal_audits.OnAuditWrite(p, fields, before, errors);
        });
    registers.SetCompanionHook(
        domain::AuditFindings(),
        [this](const Principal& p, const domain::Json& fields, const domain::Json* before,
               std::vector<store::Mutation>& mutations) {
          return internal_audits.OnFindingWrite(p, fields, before, mutations);
        });
    registers.SetWriteHook(
        domain::ManagementReviews(),
        [this](const Principal& p, domain::Json& fields, const domain::Json* before,
               std::vector<domain::FieldError>& errors) {
          return reviews.OnReviewWrite(p, fields, before, errors);
        });
    versions.OnApprove(domain::RiskMethodologies(),
                       [this](const Principal& p, const domain::Json& approved,
                              std::vector<store::Mutation>& mutations) {
                         return risks.ReevaluateOnApproval(p, approved, mutations);
                       });
    registers.SetCompanionHook(
        domain::PlannedChanges(),
        [this](const Principal& p, const domain::Json& change, const domain::Json* before,
               std::vector<store::Mutation>& mutations) {
          RETURN_IF_ERROR(risks.ReviewRisksBeforeChange(p, change, before, mutations));
          return leadership.OnChangeWrite(p, change, before, mutations);
        });
    registers.SetCompanionHook(
        domain::Resources(),
        [this](const Principal& p, const domain::Json& fields, const domain::Json* before,
               std::vector<store::Mutation>& mutations) {
          return leadership.OnResourceWrite(p, fields, before, mutations);
        });
    registers.SetCompanionHook(
        domain::Objectives(),
        [this](const Principal& p, const domain::Json& fields, const domain::Json* before,
               std::vector<store::Mutation>& mutations) {
          return leadership.OnObjectiveWrite(p, fields, before, mutations);
        });
    registers.SetWriteHook(
        domain::IsmsProcesses(),
        [this](const Principal& p, domain::Json& fields, const domain::Json* before,
               std::vector<domain::FieldError>& errors) {
          return leadership.CheckUniqueName(p, fields, before, errors);
        });
    registers.SetWriteHook(domain::Documents(), [this](const Principal& p, domain::Json& fields,
                                                       const domain::Json* before,
                                                       std::vector<domain::FieldError>& errors) {
      return documents.OnDocumentWrite(p, fields, before, errors);
    });
    registers.SetWriteHook(domain::Objectives(), [this](const Principal& p, domain::Json& fields,
                                                        const domain::Json* before,
                                                        std::vector<domain::FieldError>& errors) {
      return documents.CheckPolicies(p, fields, before, errors);
    });
  }
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  // Verifies the audit trail's hash chain (interfaces reach the store only through use cases),
  // reporting one organisation's figures when `org_id` is not 0.
  Result<AuditVerification> VerifyAudit(int64_t org_id = 0) {
    return VerifyAuditChain(store, org_id);
  }

  store::Store& store;
  const Clock& clock;
  RegisterService registers;
  VersionService versions;
  RiskService risks;
  SoaService soa;
  AuthService auth;
  MemberService members;
  EvidenceService evidence;
  CompetenceService competence;
  CommunicationService communications;
  AwarenessService awareness;
  DocumentService documents;
  MandatoryDocumentsService mandatory;
  LeadershipService leadership;
  TaskService tasks;
  OperationService operation;
  MetricService metrics;
  InternalAuditService internal_audits;
  ManagementReviewService reviews;
  ReminderService reminders;
  NotificationService notifications;
  ReadinessService readiness;
  ReportService reports;
  AuditPackService audit_pack;
  ImportService imports;
  IdempotencyService idempotency;
  FrameworkService frameworks;
  SetupService setup;
};

}  // namespace rampart::app
