// Reports: the documents an auditor asks for, built from the records as a ReportDocument
// (base/report_document.h) and written as PDF, DOCX, XLSX or CSV; the print view (HTML) is
// rendered by the web layer from the same document. Every PDF and DOCX opens with the
// document-control block: organisation, title, version, status, approver and approval date,
// owner, classification, when it was generated and the SHA-256 of its content (the same in
// every format for the same records).
//
// What "version" means: for an approved document (the ISMS scope) its version number; for a
// report generated from registers, the newest change of its records before they were read ("as
// of audit event 1234"): the report holds that state, or a newer one when a change landed while
// it was being built. Changes to what its records refer to (a person's name) do not move it. The
// SoA report names the latest approved version of the statement and its approver.
//
// Reports of one record take its `id`: a document (its published version, or `version`), an
// internal audit (with its findings), a management review (its minutes). The Statement of
// Applicability takes `version`: an approved version, as its snapshot holds it.
//
// `as_of` (YYYY-MM-DD, before today) reports the records as they were at the end of that day,
// reconstructed from the audit trail (app/record_source.h): the scope and the documents' versions
// then in force, the registers' records then, readiness then; the SoA is the latest version
// approved by then. Names of people and of referred-to records are today's. The audit trail
// excerpt ends on that day unless `to` says otherwise.
//
// Permissions: records:read; the audit trail excerpt needs audit:read. Errors: kNotFound (no
// such report, record or version; nothing approved by `as_of`); kInvalidArgument naming "format",
// "classification", "from", "to", "id", "version" or "as_of";
// kTooLarge when a PDF or DOCX table would exceed kMaxPrintedRows rows (use XLSX or CSV);
// kFailedPrecondition for CSV or XLSX of a report without a table. Thread-safe.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/principal.h"
#include "app/readiness_service.h"
#include "app/record_source.h"
#include "app/register_service.h"
#include "app/risk_service.h"
#include "app/soa_service.h"
#include "app/version_service.h"
#include "base/report_document.h"

namespace rampart::app {

struct ReportInfo {
  std::string name;     // in the URL: "statement-of-applicability"
  std::string title;    // "Statement of Applicability"
  std::string clause;   // "6.1.3 d)"
  std::string summary;  // one sentence: what it holds
  bool tabular = true;  // has a main table: CSV and XLSX too
  bool period = false;  // takes from/to (the audit trail excerpt)
  // Of one record, named by `id` (a document, an internal audit, a management review): the
  // register it is chosen from.
  const domain::RegisterSpec* record = nullptr;
};
// Every report, in the order of the standard.
const std::vector<ReportInfo>& Reports();
const ReportInfo* FindReport(std::string_view name);

enum class ReportFormat { kPdf, kDocx, kXlsx, kCsv, kHtml };
// "pdf" (also the default), "docx", "xlsx", "csv", "html"; else kInvalidArgument on "format".
Result<ReportFormat> ParseReportFormat(std::string_view format);
const char* ReportFormatName(ReportFormat format);

struct ReportOptions {
  std::string classification;  // Public, Internal (the default), Confidential, Restricted
  std::string from, to;        // the audit trail excerpt's first and last day (YYYY-MM-DD)
  std::string id;              // reports of one record: its id
  std::string version;         // the document report, the SoA: a version number (the published one)
  std::string as_of;           // YYYY-MM-DD: the records at the end of that day (empty: now)
};

struct ReportFile {
  std::string bytes;
  std::string content_type;
  std::string filename;  // "statement-of-applicability.pdf"
  std::string sha256;    // the content digest of the document
};

class ReportService {
 public:
  ReportService(store::Store& store, const Clock& clock, RegisterService& registers,
                VersionService& versions, RiskService& risks, SoaService& soa,
                ReadinessService& readiness)
      : store_(store),
        clock_(clock),
        registers_(registers),
        versions_(versions),
        risks_(risks),
        soa_(soa),
        readiness_(readiness) {}

  // PDF and DOCX tables longer than this are refused (thousands of pages help no one).
  static constexpr size_t kMaxPrintedRows = 5000;

  Result<ReportDocument> Build(const Principal& p, std::string_view name,
                               const ReportOptions& options);
  // The same, with the records read from `records` (today's, or those at the end of its Day()),
  // not from a source of the report's own; `options.as_of` is not read. The audit pack builds
  // every report from one source, so the past is reconstructed once for all of them.
  Result<ReportDocument> Build(const Principal& p, std::string_view name,
                               const ReportOptions& options, RecordSource& records);
  // The report built by Build, as a file in `format`; kHtml is refused.
  static Result<ReportFile> Write(const ReportInfo& info, const ReportDocument& doc,
                                  ReportFormat format);
  // The report as a file; kHtml is refused here (the web layer renders it).
  Result<ReportFile> Render(const Principal& p, std::string_view name, ReportFormat format,
                            const ReportOptions& options);

 private:
  // Where a report's records come from: today's (LiveRecords), or those at the end of an earlier
  // day (RecordsAsOf).
  struct Source {
    std::string day;  // as_of, or today
    bool past = false;
    RecordSource* records = nullptr;      // `owned`, or one the caller lends
    std::unique_ptr<RecordSource> owned;  // a report's own
  };
  Result<Source> SourceOf(const Principal& p, const std::string& as_of);
  // Build, from `shared` when given, else from a source of its own (as_of).
  Result<ReportDocument> BuildFrom(const Principal& p, std::string_view name,
                                   const ReportOptions& options, RecordSource* shared);
  // Record `id` of `spec` from `src`: kNotFound when it did not exist (then).
  Result<domain::Record> RecordOf(const Principal& p, const Source& src,
                                  const domain::RegisterSpec& spec, int64_t id);

  Result<ReportDocument> RegisterReport(const Principal& p, const domain::RegisterSpec& spec,
                                        const ReportInfo& info, const Source& src);
  Result<ReportDocument> SoaReport(const Principal& p, const ReportInfo& info,
                                   const ReportOptions& options, const Source& src);
  Result<ReportDocument> TreatmentPlanReport(const Principal& p, const ReportInfo& info,
                                             const Source& src);
  Result<ReportDocument> ScopeReport(const Principal& p, const ReportInfo& info, const Source& src);
  Result<ReportDocument> DocumentReport(const Principal& p, const ReportOptions& options,
                                        const Source& src);
  // An internal audit with its findings, or a management review's minutes.
  Result<ReportDocument> OneRecordReport(const Principal& p, const domain::RegisterSpec& spec,
                                         const ReportInfo& info, const ReportOptions& options,
                                         const Source& src);
  // Appends `record`'s fields (those with a value) to `doc`: a label/value list, each table
  // field as a table; `row` is its row in `sheet` (RegisterService::SheetOf).
  void RecordBlocks(const domain::RegisterSpec& spec, const domain::Record& record,
                    const ExportSheet& sheet, size_t row,
                    const std::vector<domain::UserSummary>& members, ReportDocument& doc,
                    const std::vector<std::string>& skip = {});
  Result<ReportDocument> ReadinessReport(const Principal& p, const ReportInfo& info,
                                         const Source& src);
  Result<ReportDocument> AuditTrailReport(const Principal& p, const ReportInfo& info,
                                          const ReportOptions& options, const Source& src);

  // "as of audit event N": the newest change of records of `types` (see Store::LastChange); for
  // a day before today, "As of the end of <day>".
  Result<std::string> AsOfEvent(const Principal& p, const std::vector<std::string>& types,
                                const Source& src);

  store::Store& store_;
  const Clock& clock_;
  RegisterService& registers_;
  VersionService& versions_;
  RiskService& risks_;
  SoaService& soa_;
  ReadinessService& readiness_;
};

}  // namespace rampart::app
