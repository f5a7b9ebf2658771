// The JSON API under /api/v1: every register's routes derived from its description, the
// clause-specific workflows, sign-in, and the OpenAPI document describing all of it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "app/evidence_service.h"
#include "app/import_service.h"
#include "app/record_log.h"
#include "app/report_service.h"
#include "domain/readiness.h"
#include "domain/reminders.h"
#include "http/router.h"

namespace rampart::http {

void RegisterApiRoutes(Router& router);
void RegisterAuthApiRoutes(Router& router);
void RegisterMemberApiRoutes(Router& router);
void RegisterEvidenceApiRoutes(Router& router);
// Spreadsheet import (import_api.cc): the routes of every register records can be imported
// into (app::ImportService::Imports), and the report and a saved mapping as JSON, which the
// pages share.
void RegisterImportApiRoutes(Router& router);
nlohmann::json ImportResultToJson(const app::ImportResult& result);
nlohmann::json ImportMappingToJson(const store::ImportMapping& m);
void RegisterSoaApiRoutes(Router& router);
// Frameworks beside Annex A and the OSCAL exports (framework_api.cc).
void RegisterFrameworkApiRoutes(Router& router);
// Approve, new draft, current and compare of every register of approved versions.
void RegisterVersionApiRoutes(Router& router);
// Documented information beyond its registers' routes, and a person's work (document_api.cc).
void RegisterDocumentApiRoutes(Router& router);
// Clause 8.1 beyond its registers' routes (operation_api.cc).
void RegisterOperationApiRoutes(Router& router);

// GET and POST /api/v1/{record path}/{id}/{segment}: a record's log (record_log_api.cc), for a
// communication's log and an operational activity's occurrences. Operation ids
// "<record type>_<segment>" and "add_<log type>".
struct RecordLogDoc {
  std::string segment;       // "log", "occurrences"
  std::string list_summary;  // "The log of a communication"
  std::string add_summary;   // "Add an entry to a communication's log"
};
void AddRecordLogRoutes(Router& router, const app::RecordLog& log, const RecordLogDoc& doc);

// The caller's notifications (notification_api.cc), and one as JSON.
void RegisterNotificationApiRoutes(Router& router);
nlohmann::json NotificationToJson(const domain::Notification& n);

// Readiness for certification and its history (readiness_api.cc), and the readiness as JSON
// (the API's answer, also `rampart check --format json`).
void RegisterReadinessApiRoutes(Router& router);
nlohmann::json ReadinessToJson(const domain::Readiness& r);

// Clause 9.1 beyond its registers' routes: measurements of a metric, statuses (metric_api.cc).
void RegisterMetricApiRoutes(Router& router);
// Clause 9.3 beyond its register's routes: inputs, approval, follow-ups (management_review_api.cc).
void RegisterManagementReviewApiRoutes(Router& router);
// Reports (report_api.cc), and what the report page shares with it: the file as an attachment
// with its content digest in X-Content-SHA256, and the options from the query string.
void RegisterReportApiRoutes(Router& router);
void WriteReportFile(Request& r, const app::ReportFile& f);
app::ReportOptions ReportOptionsFrom(const Request& r);
// The audit pack's options from the query string (kInvalidArgument naming "evidence" for a value
// other than true or false), and the pack as an attachment.
Result<app::AuditPackOptions> AuditPackOptionsFrom(const Request& r);
void WriteAuditPack(Request& r, const app::AuditPack& pack);

// The OpenAPI 3.1 document of these routes: each API route's ApiDoc with who may call it (from
// its guard), the component schemas of every area, and GET /healthz (served outside the router).
// A path shared by routes takes its path parameters from the first of them.
nlohmann::json OpenApiDocument(const std::vector<RouteInfo>& routes);

// Evidence files, shared by the API and the pages (evidence_api.cc).
// A file's metadata as JSON, with `expired` as of `today` (YYYY-MM-DD).
nlohmann::json EvidenceToJson(const domain::EvidenceFile& f, std::string_view today);
// The upload in a multipart request to a record's evidence route: the part `file` and the fields
// title, effective_date and expires. kInvalidArgument naming `file` without a file.
Result<app::EvidenceUpload> EvidenceUploadFrom(const Request& r, const domain::RegisterSpec& spec);
// A file's content as an attachment with a safe name, its checked type and its SHA-256 as ETag.
void WriteEvidenceContent(Request& r, const app::EvidenceContent& c);

}  // namespace rampart::http
