// Reports (app/report_service.h):
//   GET /api/v1/reports                 the reports there are, with their formats
//   GET /api/v1/reports/{name}?format=pdf|docx|xlsx|csv|html&classification=&from=&to=
//                                       one report as a file, or its print view (html)
//   GET /api/v1/audit-pack?as_of=&from=&evidence=&classification=
//                                       the audit pack (app/audit_pack_service.h), a ZIP
#include <fmt/format.h>

#include "app/audit_pack_service.h"
#include "app/report_service.h"
#include "base/docx.h"
#include "base/xlsx.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

using nlohmann::json;

void WriteReportFile(Request& r, const app::ReportFile& f) {
  r.res.SetHeader("Content-Disposition", fmt::format("attachment; filename=\"{}\"", f.filename));
  r.res.SetHeader("X-Content-SHA256", f.sha256);
  r.res.SetContent(f.bytes, f.content_type);
}

app::ReportOptions ReportOptionsFrom(const Request& r) {
  return {.classification = r.Query("classification"),
          .from = r.Query("from"),
          .to = r.Query("to"),
          .id = r.Query("id"),
          .version = r.Query("version"),
          .as_of = r.Query("as_of")};
}

Result<app::AuditPackOptions> AuditPackOptionsFrom(const Request& r) {
  const std::string evidence = r.Query("evidence");
  if (!evidence.empty() && evidence != "true" && evidence != "false") {
    return InvalidArgument("evidence must be true or false", "evidence");
  }
  return app::AuditPackOptions{.as_of = r.Query("as_of"),
                               .from = r.Query("from"),
                               .evidence = evidence == "true",
                               .classification = r.Query("classification")};
}

void WriteAuditPack(Request& r, const app::AuditPack& pack) {
  r.res.SetHeader("Content-Disposition", fmt::format("attachment; filename=\"{}\"", pack.filename));
  r.res.SetHeader("X-Content-SHA256", pack.sha256);
  r.res.SetContent(pack.bytes, "application/zip");
}

namespace {

json FormatsOf(const app::ReportInfo& info) {
  json formats = json::array({"pdf", "docx"});
  if (info.tabular) {
    formats.push_back("xlsx");
    formats.push_back("csv");
  }
  formats.push_back("html");
  return formats;
}

}  // namespace

void RegisterReportApiRoutes(Router& router) {
  const json tags = json::array({"Reports"});
  router.Get(
      "/api/v1/reports", kRead,
      Doc({{"summary", "The reports there are"},
           {"tags", tags},
           {"operationId", "list_reports"},
           {"responses",
            Merge({{"200",
                    JsonResponse("the reports, in the order of the standard",
                                 ObjectOfAll({{"data", ArrayOf(ObjectOfAll(
                                                           {{"name", kString},
                                                            {"title", kString},
                                                            {"clause", kString},
                                                            {"summary", kString},
                                                            {"formats", ArrayOf(kString)},
                                                            {"period", kBoolean},
                                                            {"record", OrNull(kString)}}))}}))}},
                  ErrorResponses({401, 403}))}}),
      [](Request& r) {
        json data = json::array();
        for (const auto& info : app::Reports()) {
          data.push_back({{"name", info.name},
                          {"title", info.title},
                          {"clause", info.clause},
                          {"summary", info.summary},
                          {"formats", FormatsOf(info)},
                          {"period", info.period},
                          {"record", info.record != nullptr ? json(info.record->path) : json()}});
        }
        WriteJson(r.res, 200, {{"data", std::move(data)}});
      });
  const auto query = [](const char* name, json schema, const char* description) {
    return json{{"name", name}, {"in", "query"}, {"description", description}, {"schema", schema}};
  };
  router.Get(
      R"(/api/v1/reports/([a-z0-9-]+))", kExport,
      Doc({{"summary", "One report as PDF, DOCX, XLSX, CSV or its print view"},
           {"description",
            "Built from the records when asked. PDF and DOCX open with the document-control "
            "block (organisation, title, version, status, approver and approval date, owner, "
            "classification, generated at, the SHA-256 of the content) and number their "
            "pages; XLSX and CSV hold the report's table. The header X-Content-SHA256 carries "
            "the content's digest, the same in every format for the same records."},
           {"tags", tags},
           {"operationId", "get_report"},
           {"parameters",
            json::array({query("format",
                               {{"type", "string"},
                                {"enum", {"pdf", "docx", "xlsx", "csv", "html"}},
                                {"default", "pdf"}},
                               "the file's format; html is the print view"),
                         query("classification",
                               {{"type", "string"},
                                {"enum", {"Public", "Internal", "Confidential", "Restricted"}},
                                {"default", "Internal"}},
                               "printed in the document-control block and on every page"),
                         query("from", kDate, "audit-trail: the first day (required)"),
                         query("to", kDate, "audit-trail: the last day (today when absent)"),
                         query("id", {{"type", "integer"}, {"minimum", 1}},
                               "document, internal-audit, management-review: the record's id"),
                         query("version", {{"type", "integer"}, {"minimum", 1}},
                               "document: a version number (the published version when absent); "
                               "statement-of-applicability: an approved version"),
                         query("as_of", kDate,
                               "the records as they were at the end of this day (today when "
                               "absent)")})},
           {"responses",
            Merge(
                {{"200",
                  {{"description", "the report"},
                   {"content",
                    {{"application/pdf", {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                     {kDocxContentType, {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                     {kXlsxContentType, {{"schema", {{"type", "string"}, {"format", "binary"}}}}},
                     {"text/csv", {{"schema", kString}}},
                     {"text/html", {{"schema", kString}}}}}}}},
                ErrorResponses({400, 401, 403, 404, 409, 413, 429}))}},
          json::array({{{"name", "name"},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}, {"pattern", "^[a-z0-9-]+$"}}},
                        {"description",
                         "statement-of-applicability, risk-register, ... (GET /reports)"}}})),
      [](Request& r) {
        const std::string name = r.http.matches[1];
        auto format = app::ParseReportFormat(r.Query("format"));
        if (!format.ok()) return WriteJsonError(r.res, format.status());
        if (*format == app::ReportFormat::kHtml) {
          auto doc = r.services.reports.Build(r.principal, name, ReportOptionsFrom(r));
          if (!doc.ok()) return WriteJsonError(r.res, doc.status());
          r.res.SetHeader("X-Content-SHA256", doc->control.source_sha256);
          return r.res.SetContent(ReportPrintView(*doc).Release(), "text/html; charset=utf-8");
        }
        auto file = r.services.reports.Render(r.principal, name, *format, ReportOptionsFrom(r));
        if (!file.ok()) return WriteJsonError(r.res, file.status());
        WriteReportFile(r, *file);
      });
  router.Get(
      "/api/v1/audit-pack", Guard{Access::kPermission, domain::Permission::kReadAuditTrail, true},
      Doc({{"summary", "The audit pack: one ZIP for an external auditor"},
           {"description",
            "The scope, the published policies, the Statement of Applicability, the risk "
            "register and treatment plan, objectives, competence and awareness records, internal "
            "audit reports, the last management review's minutes, the nonconformity log and the "
            "readiness summary as they were at the end of as_of, with the audit trail of the "
            "period and a script to verify it offline, an index (index.html) and SHA256SUMS. "
            "Needs records:read too. The download is an audit event; X-Content-SHA256 carries "
            "the ZIP's SHA-256."},
           {"tags", tags},
           {"operationId", "get_audit_pack"},
           {"parameters",
            json::array(
                {query("as_of", kDate, "the records at the end of this day (today when absent)"),
                 query("from", kDate,
                       "the audit trail's first day (364 days before as_of when absent)"),
                 query("evidence", {{"type", "string"}, {"enum", {"true", "false"}}},
                       "include the evidence files of the records (at most 256 MiB)"),
                 query("classification",
                       {{"type", "string"},
                        {"enum", {"Public", "Internal", "Confidential", "Restricted"}},
                        {"default", "Confidential"}},
                       "printed on the reports")})},
           {"responses", Merge({{"200",
                                 {{"description", "the pack"},
                                  {"content",
                                   {{"application/zip",
                                     {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}}}},
                               ErrorResponses({400, 401, 403, 413, 429}))}}),
      [](Request& r) {
        auto options = AuditPackOptionsFrom(r);
        if (!options.ok()) return WriteJsonError(r.res, options.status());
        auto pack = r.services.audit_pack.Build(r.principal, *options);
        if (!pack.ok()) return WriteJsonError(r.res, pack.status());
        WriteAuditPack(r, *pack);
      });
}

}  // namespace rampart::http
