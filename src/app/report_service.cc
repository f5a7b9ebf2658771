#include "app/report_service.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "app/access_control.h"
#include "base/docx.h"
#include "base/markdown.h"
#include "base/pdf.h"
#include "base/text.h"
#include "base/xlsx.h"
#include "domain/context.h"
#include "domain/documents.h"
#include "domain/improvement.h"
#include "domain/internal_audit.h"
#include "domain/management_review.h"
#include "domain/planning.h"
#include "domain/readiness.h"
#include "domain/registers.h"
#include "domain/risk.h"
#include "domain/soa.h"

namespace rampart::app {

using domain::FieldSpec;
using domain::FieldType;
using domain::RegisterSpec;

namespace {

constexpr const char* kDefaultClassification = "Internal";
// The treatment plan report reads this many risks at a time.
constexpr size_t kPlanPage = 500;

// The register whose every record a report lists, a row each ("risk-register": the risks); null
// for the other reports.
const RegisterSpec* ListedRegister(std::string_view report) {
  static const std::vector<std::pair<std::string_view, const RegisterSpec*>> kListed = {
      {"risk-register", &domain::Risks()},
      {"objectives", &domain::Objectives()},
      {"competence-records", &domain::CompetenceRecords()},
      {"awareness-records", &domain::AwarenessCompletions()},
      {"nonconformities", &domain::Nonconformities()}};
  for (const auto& [name, spec] : kListed) {
    if (name == report) return spec;
  }
  return nullptr;
}

// The refusal of a PDF or DOCX whose table has `rows` ("6000 rows") beyond kMaxPrintedRows.
Status TooLongToPrint(const std::string& rows) {
  return Status(Code::kTooLarge,
                fmt::format("the report has {}; PDF and DOCX hold at most {}: download it as "
                            "xlsx or csv",
                            rows, ReportService::kMaxPrintedRows),
                "format");
}

constexpr std::string_view kClassifications[] = {"Public", "Internal", "Confidential",
                                                 "Restricted"};

// The text a person reads for field `f` in row `row` of `sheet` (made by RecordsToSheet): the
// name of a person or of a referred-to record (its `<field>_name` column), a choice's label,
// Yes / No; lists and tables as the sheet writes them, one item per line.
std::string DisplayCell(const FieldSpec& f,
                        const std::map<std::string, size_t, std::less<>>& columns,
                        const std::vector<std::string>& row) {
  auto cell = [&](const std::string& name) -> std::string {
    const auto it = columns.find(name);
    return it != columns.end() && it->second < row.size() ? row[it->second] : std::string();
  };
  switch (f.type) {
    case FieldType::kUser:
    case FieldType::kRef:
    case FieldType::kRefs: {
      std::string name = cell(f.name + "_name");
      return name.empty() ? cell(f.name) : name;
    }
    case FieldType::kEnum:
      return f.ChoiceLabel(cell(f.name));
    case FieldType::kBool: {
      const std::string v = cell(f.name);
      return v == "true" ? "Yes" : v == "false" ? "No" : v;
    }
    case FieldType::kList: {
      if (f.choices.empty()) return cell(f.name);
      std::string out;
      for (const auto& item : SplitLines(cell(f.name))) {
        if (!out.empty()) out += '\n';
        out += f.ChoiceLabel(item);
      }
      return out;
    }
    default:
      return cell(f.name);
  }
}

std::map<std::string, size_t, std::less<>> ColumnsOf(const ExportSheet& sheet) {
  std::map<std::string, size_t, std::less<>> columns;
  for (size_t i = 0; i < sheet.header.size(); ++i) columns.emplace(sheet.header[i], i);
  return columns;
}

// `sheet`'s rows as a table of `fields`, labelled.
ReportTable TableOf(const std::vector<const FieldSpec*>& fields, const ExportSheet& sheet) {
  const auto columns = ColumnsOf(sheet);
  ReportTable t;
  for (const FieldSpec* f : fields) {
    t.header.push_back(f->label);
    t.numeric.push_back(f->type == FieldType::kInteger || f->type == FieldType::kDecimal);
  }
  t.rows.reserve(sheet.rows.size());
  for (const auto& row : sheet.rows) {
    std::vector<std::string> cells;
    cells.reserve(fields.size());
    for (const FieldSpec* f : fields) cells.push_back(DisplayCell(*f, columns, row));
    t.rows.push_back(std::move(cells));
  }
  return t;
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// Parses a positive id or number from a query parameter.
Result<int64_t> PositiveNumber(const std::string& text, const char* field, const char* what) {
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < 1) {
    return InvalidArgument(fmt::format("{} must be {}, a whole number from 1", field, what), field);
  }
  return n;
}

std::string FileStem(std::string_view name) { return std::string(name); }

}  // namespace

const std::vector<ReportInfo>& Reports() {
  static const std::vector<ReportInfo> kReports = {
      {"isms-scope", "ISMS scope", "4.3",
       "The approved scope statement: units, locations, services, processes, exclusions with "
       "their justification, interfaces and dependencies.",
       false},
      {"risk-register", "Risk register", "6.1.2",
       "Every risk with its owner, inherent and residual level, treatment and status."},
      {"risk-treatment-plan", "Risk treatment plan", "6.1.3 e)",
       "Every risk that needs treatment with its actions, owners and due dates."},
      {"statement-of-applicability", "Statement of Applicability", "6.1.3 d)",
       "The 93 Annex A controls: applicable or not and why, their status and the applied "
       "controls behind them."},
      {"objectives", "Information security objectives", "6.2",
       "The objectives with their measures, owners, due dates and status."},
      {"competence-records", "Competence records", "7.2 d)",
       "The evidence of each person's competence: training, qualifications, experience."},
      {"awareness-records", "Awareness records", "7.3",
       "Who was asked to complete which awareness campaign, and when they did."},
      {"nonconformities", "Nonconformity and corrective action log", "10.2",
       "Every nonconformity with its cause, corrective action and the review of its "
       "effectiveness."},
      {"document", "Document or policy", "7.5.3",
       "A document's published version, or a version chosen by its number, with its text.", false,
       false, &domain::Documents()},
      {"internal-audit", "Internal audit report", "9.2.2",
       "One internal audit: its scope, criteria, team, checklist, conclusion and findings.", false,
       false, &domain::InternalAudits()},
      {"management-review", "Management review minutes", "9.3",
       "One management review: its inputs, decisions and actions.", false, false,
       &domain::ManagementReviews()},
      {"readiness-summary", "Certification readiness summary", "4–10, Annex A",
       "How far each clause is met: every check, passed or not, and what fails it."},
      {"audit-trail", "Audit trail excerpt", "7.5.3",
       "Every recorded change of a period, with who made it and the hash chaining each event to "
       "the one before.",
       true, true},
  };
  return kReports;
}

const ReportInfo* FindReport(std::string_view name) {
  for (const auto& r : Reports()) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

Result<ReportFormat> ParseReportFormat(std::string_view format) {
  if (format.empty() || format == "pdf") return ReportFormat::kPdf;
  if (format == "docx") return ReportFormat::kDocx;
  if (format == "xlsx") return ReportFormat::kXlsx;
  if (format == "csv") return ReportFormat::kCsv;
  if (format == "html") return ReportFormat::kHtml;
  return InvalidArgument("format must be pdf, docx, xlsx, csv or html", "format");
}

const char* ReportFormatName(ReportFormat format) {
  switch (format) {
    case ReportFormat::kPdf:
      return "pdf";
    case ReportFormat::kDocx:
      return "docx";
    case ReportFormat::kXlsx:
      return "xlsx";
    case ReportFormat::kCsv:
      return "csv";
    case ReportFormat::kHtml:
      return "html";
  }
  return "pdf";
}

Result<std::string> ReportService::AsOfEvent(const Principal& p,
                                             const std::vector<std::string>& types,
                                             const Source& src) {
  if (src.past) return "As of the end of " + src.day;
  ASSIGN_OR_RETURN(const int64_t seq, store_.LastChange(p.org_id, types));
  return seq == 0 ? std::string("No changes recorded") : fmt::format("As of audit event {}", seq);
}

Result<ReportDocument> ReportService::Build(const Principal& p, std::string_view name,
                                            const ReportOptions& options) {
  return BuildFrom(p, name, options, nullptr);
}

Result<ReportDocument> ReportService::Build(const Principal& p, std::string_view name,
                                            const ReportOptions& options, RecordSource& records) {
  return BuildFrom(p, name, options, &records);
}

Result<ReportDocument> ReportService::BuildFrom(const Principal& p, std::string_view name,
                                                const ReportOptions& options,
                                                RecordSource* shared) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  const ReportInfo* info = FindReport(name);
  if (info == nullptr) {
    return Status(Code::kNotFound, fmt::format("there is no report \"{}\"", name));
  }
  std::string classification =
      options.classification.empty() ? std::string(kDefaultClassification) : options.classification;
  if (std::find(std::begin(kClassifications), std::end(kClassifications), classification) ==
      std::end(kClassifications)) {
    return InvalidArgument("classification must be Public, Internal, Confidential or Restricted",
                           "classification");
  }
  Source src;
  if (shared != nullptr) {
    src.day = shared->Day();
    src.past = src.day < FormatDate(clock_.Now());
    src.records = shared;
  } else {
    ASSIGN_OR_RETURN(src, SourceOf(p, options.as_of));
  }
  Result<ReportDocument> doc = Status(Code::kInternal, "no builder");
  if (info->name == "isms-scope") {
    doc = ScopeReport(p, *info, src);
  } else if (const RegisterSpec* listed = ListedRegister(info->name)) {
    doc = RegisterReport(p, *listed, *info, src);
  } else if (info->name == "risk-treatment-plan") {
    doc = TreatmentPlanReport(p, *info, src);
  } else if (info->name == "statement-of-applicability") {
    doc = SoaReport(p, *info, options, src);
  } else if (info->name == "readiness-summary") {
    doc = ReadinessReport(p, *info, src);
  } else if (info->name == "audit-trail") {
    doc = AuditTrailReport(p, *info, options, src);
  } else if (info->name == "document") {
    doc = DocumentReport(p, options, src);
  } else if (info->record != nullptr) {
    doc = OneRecordReport(p, *info->record, *info, options, src);
  }
  if (!doc.ok()) return doc.status();
  doc->control.organisation = p.org_name;
  if (doc->control.title.empty()) doc->control.title = info->title;
  // A document's own classification stands (whatever is asked); other reports take the one
  // asked for.
  if (doc->control.classification.empty()) {
    doc->control.classification = classification;
  }
  doc->control.generated_at = FormatUtc(clock_.Now());
  doc->control.source_sha256 = ContentDigest(*doc);
  return doc;
}

Result<ReportFile> ReportService::Render(const Principal& p, std::string_view name,
                                         ReportFormat format, const ReportOptions& options) {
  if (format == ReportFormat::kHtml) {
    return InvalidArgument("the print view is a page, not a file", "format");
  }
  const ReportInfo* info = FindReport(name);
  if (info != nullptr && !info->tabular &&
      (format == ReportFormat::kCsv || format == ReportFormat::kXlsx)) {
    return Status(Code::kFailedPrecondition,
                  fmt::format("{} has no table: it comes as pdf, docx or html", info->title),
                  "format");
  }
  // A printed report of today's records too long to print is refused before it is built (the
  // risk register of 100,000 risks took 1.7 s and 60 MB to build only to be refused): a register
  // report has a row per record, and the treatment plan at least one per risk in treatment.
  const bool printed = format == ReportFormat::kPdf || format == ReportFormat::kDocx;
  const bool plan = info != nullptr && info->name == "risk-treatment-plan";
  const RegisterSpec* counted =
      plan ? &domain::Risks() : (info != nullptr ? ListedRegister(info->name) : nullptr);
  if (printed && options.as_of.empty() && counted != nullptr) {
    domain::ListQuery query;
    if (plan) NarrowToTreatmentPlan(query);
    ASSIGN_OR_RETURN(const int64_t count, registers_.Count(p, *counted, query));
    if (count > static_cast<int64_t>(kMaxPrintedRows)) {
      return TooLongToPrint(
          fmt::format("at least {} rows, one per {}", count, ToLower(counted->singular)));
    }
  }
  ASSIGN_OR_RETURN(ReportDocument doc, Build(p, name, options));
  return Write(*info, doc, format);
}

Result<ReportFile> ReportService::Write(const ReportInfo& info, const ReportDocument& doc,
                                        ReportFormat format) {
  if (format == ReportFormat::kHtml) {
    return InvalidArgument("the print view is a page, not a file", "format");
  }
  const std::string_view name = info.name;
  ReportFile file;
  file.sha256 = doc.control.source_sha256;
  file.filename = FileStem(name) + "." + ReportFormatName(format);
  if (format == ReportFormat::kCsv || format == ReportFormat::kXlsx) {
    const ReportTable* t = doc.MainTable();
    if (t == nullptr) return Status(Code::kFailedPrecondition, "the report has no table", "format");
    if (format == ReportFormat::kCsv) {
      file.content_type = "text/csv; charset=utf-8";
      file.bytes = CsvRow(t->header);
      for (const auto& row : t->rows) file.bytes += CsvRow(row);
    } else {
      file.content_type = kXlsxContentType;
      std::string sheet = doc.control.title.substr(0, 31);
      // Row by row to the spreadsheet's file (constant memory), the columns sized from the
      // first rows: a table of 100,000 rows is not held twice.
      const auto sample_end =
          t->rows.begin() + static_cast<std::ptrdiff_t>(std::min<size_t>(t->rows.size(), 500));
      ASSIGN_OR_RETURN(auto xlsx, XlsxStream::Start(sheet, t->header, t->numeric,
                                                    std::vector<std::vector<std::string>>(
                                                        t->rows.begin(), sample_end)));
      for (const auto& row : t->rows) RETURN_IF_ERROR(xlsx->Add(row));
      ASSIGN_OR_RETURN(file.bytes, xlsx->Finish());
    }
    return file;
  }
  for (const auto& b : doc.blocks) {
    if (b.kind == ReportBlock::Kind::kTable && b.table.rows.size() > kMaxPrintedRows) {
      return TooLongToPrint(fmt::format("{} rows", b.table.rows.size()));
    }
  }
  if (format == ReportFormat::kPdf) {
    file.content_type = kPdfContentType;
    ASSIGN_OR_RETURN(file.bytes, PdfBytes(doc));
  } else {
    file.content_type = kDocxContentType;
    ASSIGN_OR_RETURN(file.bytes, DocxBytes(doc));
  }
  return file;
}

Result<ReportService::Source> ReportService::SourceOf(const Principal& p,
                                                      const std::string& as_of) {
  Source src;
  const std::string today = FormatDate(clock_.Now());
  src.day = as_of.empty() ? today : as_of;
  if (!as_of.empty()) RETURN_IF_ERROR(CheckAsOf(as_of, today));
  src.past = src.day < today;
  src.owned =
      src.past ? RecordsAsOf(store_, p.org_id, src.day) : LiveRecords(store_, p.org_id, src.day);
  src.records = src.owned.get();
  return src;
}

Result<domain::Record> ReportService::RecordOf(const Principal& p, const Source& src,
                                               const RegisterSpec& spec, int64_t id) {
  if (!src.past) return registers_.Get(p, spec, id);
  ASSIGN_OR_RETURN(auto records, src.records->All(spec, {}));
  for (auto& r : records) {
    if (r.id == id) return std::move(r);
  }
  return Status(Code::kNotFound,
                fmt::format("{} {} did not exist at the end of {}", spec.singular, id, src.day));
}

Result<ReportDocument> ReportService::RegisterReport(const Principal& p, const RegisterSpec& spec,
                                                     const ReportInfo& info, const Source& src) {
  ReportDocument doc;
  ASSIGN_OR_RETURN(doc.control.version, AsOfEvent(p, {spec.type}, src));  // before the records
  ASSIGN_OR_RETURN(const auto members, registers_.Members(p));
  std::vector<const FieldSpec*> fields;
  for (const auto& name : spec.list_columns) {
    if (const FieldSpec* f = spec.Field(name)) fields.push_back(f);
  }
  // The table is built a page of records at a time: only its text is held for the whole
  // register, never every record (100,000 risks as records took some 300 MB more).
  ReportTable table;
  auto add = [&](const std::vector<domain::Record>& records) -> Status {
    std::vector<const domain::Json*> rows;
    rows.reserve(records.size());
    for (const auto& r : records) rows.push_back(&r.fields);
    ASSIGN_OR_RETURN(const RefTitles titles, registers_.ReferencedTitles(p, spec, rows));
    ReportTable page = TableOf(fields, RecordsToSheet(spec, records, members, titles));
    if (table.header.empty()) {
      table.header = std::move(page.header);
      table.numeric = std::move(page.numeric);
    }
    std::move(page.rows.begin(), page.rows.end(), std::back_inserter(table.rows));
    return Status::Ok();
  };
  if (src.past) {
    // The records of an earlier day are reconstructed whole (RecordSource::All).
    ASSIGN_OR_RETURN(const auto records, src.records->All(spec, {}));
    RETURN_IF_ERROR(add(records));
  } else {
    domain::ListQuery query;
    query.limit = 500;
    RETURN_IF_ERROR(ForEachPage(store_, spec, p.org_id, query,
                                [&](std::vector<domain::Record>& page) { return add(page); }));
  }
  if (table.header.empty()) RETURN_IF_ERROR(add({}));
  doc.control.status = "Generated from the records";
  doc.Heading(spec.plural + " (clause " + info.clause + ")");
  doc.Paragraph(Plural(table.rows.size(), ToLower(spec.singular), ToLower(spec.plural)) + ".");
  doc.Table(std::move(table), /*main=*/true);
  return doc;
}

namespace {

// The columns of the SoA an auditor reads (the SoA's own export has every attribute column).
const std::vector<std::string>& SoaReportHeader() {
  static const std::vector<std::string> kHeader = {"Control",          "Title",
                                                   "Applicable",       "Reasons for inclusion",
                                                   "Justification",    "Implementation status",
                                                   "Applied controls", "Risks"};
  return kHeader;
}

// A line of an approved version's snapshot (domain::SoaLineJson) in SoaReportHeader's columns.
std::vector<std::string> SnapshotRow(const domain::Json& line) {
  auto text = [&](const char* name) {
    const domain::Json& v = line.value(name, domain::Json());
    return v.is_string() ? v.get<std::string>() : std::string();
  };
  const domain::Json& applicable = line.value("applicable", domain::Json());
  std::vector<std::string> reasons, controls, risks;
  for (const auto& r : line.value("reasons", domain::Json::array())) {
    if (r.is_string()) reasons.push_back(domain::SoaReasonLabel(r.get<std::string>()));
  }
  for (const auto& c : line.value("applied_controls", domain::Json::array())) {
    controls.push_back(
        fmt::format("{} ({})", c.value("name", std::string()),
                    ToLower(domain::SoaStatusLabel(c.value("status", std::string())))));
  }
  for (const auto& r : line.value("risks", domain::Json::array())) {
    if (r.is_number_integer()) risks.push_back(std::to_string(r.get<int64_t>()));
  }
  return {text("control_id"),
          text("title"),
          !applicable.is_boolean() ? "Undecided"
          : applicable.get<bool>() ? "Yes"
                                   : "No",
          fmt::format("{}", fmt::join(reasons, "; ")),
          text("justification"),
          domain::SoaStatusLabel(text("status")),
          fmt::format("{}", fmt::join(controls, "; ")),
          fmt::format("{}", fmt::join(risks, "; "))};
}

}  // namespace

Result<ReportDocument> ReportService::SoaReport(const Principal& p, const ReportInfo& info,
                                                const ReportOptions& options, const Source& src) {
  ReportDocument doc;
  ReportTable t{.header = SoaReportHeader(), .widths = {7, 17, 8, 10, 20, 11, 18, 7}};
  // An approved version: the one asked for, or the latest approved by the day of `as_of`.
  std::optional<domain::SoaVersion> approved;
  if (!options.version.empty()) {
    ASSIGN_OR_RETURN(const int64_t number,
                     PositiveNumber(options.version, "version", "a version number"));
    auto v = soa_.Version(p, number);
    if (!v.ok() && v.status().code() == Code::kNotFound) {
      return Status(Code::kNotFound,
                    fmt::format("the Statement of Applicability has no version {}", number),
                    "version");
    }
    if (!v.ok()) return v.status();
    approved = std::move(v).value();
  } else if (src.past) {
    ASSIGN_OR_RETURN(const auto versions, soa_.Versions(p));  // newest first
    for (const auto& v : versions) {
      if (v.approved_at.substr(0, 10) > src.day) continue;
      ASSIGN_OR_RETURN(approved, soa_.Version(p, v.number));
      break;
    }
    if (!approved) {
      return Status(Code::kNotFound,
                    fmt::format("no version of the Statement of Applicability was approved by the "
                                "end of {}",
                                src.day),
                    "as_of");
    }
  }
  if (approved) {
    doc.control.version = std::to_string(approved->number);
    doc.control.status = "Approved";
    doc.control.approver = approved->approver;
    doc.control.approved_at = approved->approved_at.substr(0, 10);
    if (approved->snapshot.is_array()) {
      for (const auto& line : approved->snapshot) t.rows.push_back(SnapshotRow(line));
    }
  } else {
    ASSIGN_OR_RETURN(
        const std::string as_of,
        AsOfEvent(
            p, {"soa_entry", "soa_version", domain::AppliedControls().type, domain::Risks().type},
            src));
    ASSIGN_OR_RETURN(const auto lines, soa_.Lines(p));
    ASSIGN_OR_RETURN(const auto versions, soa_.Versions(p));
    if (versions.empty()) {
      doc.control.version = "Draft (" + as_of + ")";
      doc.control.status = "Not yet approved";
    } else {
      const auto& last = versions.front();
      doc.control.version = fmt::format("{} with the changes since ({})", last.number, as_of);
      doc.control.status =
          fmt::format("Version {} approved; the current statement is shown", last.number);
      doc.control.approver = last.approver;
      doc.control.approved_at = last.approved_at.substr(0, 10);
    }
    const auto& header = domain::SoaExportHeader();
    std::vector<size_t> index;
    for (const auto& h : SoaReportHeader()) {
      index.push_back(
          static_cast<size_t>(std::find(header.begin(), header.end(), h) - header.begin()));
    }
    for (const auto& line : lines) {
      const auto row = domain::SoaExportRow(line);
      std::vector<std::string> cells;
      for (size_t i : index) cells.push_back(i < row.size() ? row[i] : "");
      t.rows.push_back(std::move(cells));
    }
  }
  size_t applicable = 0, undecided = 0;
  for (const auto& row : t.rows) {
    if (row[2] == "Yes") ++applicable;
    if (row[2] == "Undecided") ++undecided;
  }
  const size_t n = t.rows.size();
  doc.Heading("Statement of Applicability (clause " + info.clause + ")");
  doc.Paragraph(fmt::format("{} Annex A controls: {} applicable, {} excluded, {} undecided.", n,
                            applicable, n - applicable - undecided, undecided));
  doc.Table(std::move(t), /*main=*/true);
  return doc;
}

Result<ReportDocument> ReportService::TreatmentPlanReport(const Principal& p,
                                                          const ReportInfo& info,
                                                          const Source& src) {
  ReportDocument doc;
  ASSIGN_OR_RETURN(doc.control.version, AsOfEvent(p, {domain::Risks().type}, src));
  // The risks that need treatment (then, for a past day), by number, turned into the plan's
  // rows a page of risks at a time: only the rows are kept, not every risk's record.
  domain::ListQuery plan;
  NarrowToTreatmentPlan(plan);
  plan.sort = "number";
  plan.limit = static_cast<int>(kPlanPage);
  std::vector<std::vector<std::string>> rows;
  auto add = [&](std::vector<domain::Record> risks) -> Status {
    ASSIGN_OR_RETURN(ExportSheet sheet, risks_.TreatmentPlanSheet(p, std::move(risks), src.day));
    rows.insert(rows.end(), std::make_move_iterator(sheet.rows.begin()),
                std::make_move_iterator(sheet.rows.end()));
    return Status::Ok();
  };
  if (src.past) {
    // The past is reconstructed for all of them at once (app/record_source.h).
    ASSIGN_OR_RETURN(auto risks, src.records->All(domain::Risks(), plan.filters));
    std::sort(risks.begin(), risks.end(), [](const domain::Record& a, const domain::Record& b) {
      return a.fields.value("number", domain::Json()) < b.fields.value("number", domain::Json());
    });
    // A page at a time still: each page's rows hold a copy of its risks while they are made.
    for (size_t i = 0; i < risks.size(); i += kPlanPage) {
      const auto first = risks.begin() + static_cast<std::ptrdiff_t>(i);
      const auto last =
          risks.begin() + static_cast<std::ptrdiff_t>(std::min(risks.size(), i + kPlanPage));
      RETURN_IF_ERROR(add({std::make_move_iterator(first), std::make_move_iterator(last)}));
    }
  } else {
    for (;;) {
      ASSIGN_OR_RETURN(domain::Page page, registers_.List(p, domain::Risks(), plan));
      RETURN_IF_ERROR(add(std::move(page.records)));
      if (page.next_cursor.empty()) break;
      plan.cursor = std::move(page.next_cursor);
    }
  }
  doc.control.status = "Generated from the records";
  // TreatmentPlanSheet's columns, labelled in order.
  static const std::vector<std::string> kLabels = {
      "Risk",           "Title",     "Risk owner",    "Inherent level",
      "Residual level", "Treatment", "Risk status",   "Action",
      "Action owner",   "Due",       "Action status", "Overdue"};
  ReportTable t{.header = kLabels,
                .rows = std::move(rows),
                .numeric = std::vector<bool>(kLabels.size(), false),
                .widths = {4, 14, 7, 7, 7, 8, 7, 16, 7, 7, 7, 7}};
  size_t actions = 0, overdue = 0;  // a risk without actions has a row of its own
  for (const auto& row : t.rows) {
    actions += row.size() > 7 && !row[7].empty();
    overdue += !row.empty() && row.back() == "yes";
  }
  doc.Heading("Risk treatment plan (clause " + info.clause + ")");
  doc.Paragraph(fmt::format("{}, {} overdue.", Plural(actions, "action", "actions"), overdue));
  doc.Table(std::move(t), /*main=*/true);
  return doc;
}

namespace {

// A person's name, or their id as text when they are not a member.
std::string PersonName(const std::vector<domain::UserSummary>& members, const domain::Json& id) {
  if (!id.is_number_integer()) return id.is_string() ? id.get<std::string>() : "";
  for (const auto& m : members) {
    if (m.id == id.get<int64_t>()) return m.display_name.empty() ? m.username : m.display_name;
  }
  return "#" + std::to_string(id.get<int64_t>());
}

// A cell of a table field's row: a person's name, a choice's label, a list's items, text.
std::string TableCell(const FieldSpec& column, const domain::Json& v,
                      const std::vector<domain::UserSummary>& members) {
  if (v.is_null()) return "";
  if (column.type == FieldType::kUser) return PersonName(members, v);
  if (v.is_string()) return column.ChoiceLabel(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "Yes" : "No";
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) {
      if (!out.empty()) out += '\n';
      out += item.is_string() ? column.ChoiceLabel(item.get<std::string>()) : item.dump();
    }
    return out;
  }
  return v.dump();
}

// A text field's value, or `otherwise` when it is absent or null.
std::string TextOf(const domain::Json& fields, const std::string& name,
                   const std::string& otherwise = "") {
  const auto it = fields.find(name);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : otherwise;
}

}  // namespace

void ReportService::RecordBlocks(const RegisterSpec& spec, const domain::Record& record,
                                 const ExportSheet& sheet, size_t row,
                                 const std::vector<domain::UserSummary>& members,
                                 ReportDocument& doc, const std::vector<std::string>& skip) {
  const auto columns = ColumnsOf(sheet);
  const domain::Json& f = record.fields;
  std::vector<std::pair<std::string, std::string>> fields;
  auto flush = [&] {
    if (!fields.empty()) doc.Fields(std::move(fields));
    fields.clear();
  };
  for (const auto& field : spec.fields) {
    if (field.name == spec.title_field ||
        std::find(skip.begin(), skip.end(), field.name) != skip.end()) {
      continue;
    }
    if (field.type == FieldType::kTable) {
      const domain::Json rows = f.contains(field.name) ? f[field.name] : domain::Json();
      if (!rows.is_array() || rows.empty()) continue;
      flush();
      doc.Heading(field.label, 2);
      ReportTable t;
      for (const auto& c : field.columns) t.header.push_back(c.label);
      for (const auto& r : rows) {
        std::vector<std::string> cells;
        for (const auto& c : field.columns) {
          cells.push_back(TableCell(c, r.contains(c.name) ? r[c.name] : domain::Json(), members));
        }
        t.rows.push_back(std::move(cells));
      }
      doc.Table(std::move(t));
      continue;
    }
    const std::string value = DisplayCell(field, columns, sheet.rows[row]);
    if (!value.empty()) fields.emplace_back(field.label, value);
  }
  flush();
}

Result<ReportDocument> ReportService::ScopeReport(const Principal& p, const ReportInfo& info,
                                                  const Source& src) {
  const RegisterSpec& spec = domain::ScopeStatements();
  domain::Record current;
  if (src.past) {
    // The version in force then: approved by then, not yet superseded.
    ASSIGN_OR_RETURN(auto versions, src.records->All(spec, {}));
    const auto it = std::find_if(versions.begin(), versions.end(), [](const domain::Record& r) {
      return r.fields.value("status", std::string()) == domain::kVersionApproved;
    });
    if (it == versions.end()) {
      return Status(Code::kNotFound,
                    fmt::format("no ISMS scope was approved by the end of {}", src.day), "as_of");
    }
    current = std::move(*it);
  } else {
    ASSIGN_OR_RETURN(current, versions_.Current(p, spec));
  }
  ASSIGN_OR_RETURN(const ExportSheet sheet, registers_.SheetOf(p, spec, {current}));
  ASSIGN_OR_RETURN(const auto members, registers_.Members(p));
  const auto columns = ColumnsOf(sheet);
  const domain::Json& f = current.fields;
  ReportDocument doc;
  doc.control.title = info.title;
  doc.control.version = f.contains("version_number") ? f["version_number"].dump() : "";
  doc.control.status = "Approved";
  doc.control.approver = DisplayCell(*spec.Field("approved_by"), columns, sheet.rows[0]);
  doc.control.approved_at = DisplayCell(*spec.Field("approved_at"), columns, sheet.rows[0]);
  doc.Heading(TextOf(f, "title", info.title) + " (clause " + info.clause + ")");
  RecordBlocks(spec, current, sheet, 0, members, doc,
               {"version_number", "status", "approved_by", "approved_at"});
  return doc;
}

Result<ReportDocument> ReportService::DocumentReport(const Principal& p,
                                                     const ReportOptions& options,
                                                     const Source& src) {
  ASSIGN_OR_RETURN(const int64_t id, PositiveNumber(options.id, "id", "the document's id"));
  ASSIGN_OR_RETURN(const domain::Record document, RecordOf(p, src, domain::Documents(), id));
  int64_t number = 0;
  if (!options.version.empty()) {
    ASSIGN_OR_RETURN(number, PositiveNumber(options.version, "version", "a version number"));
  } else if (document.fields.value("published_version", domain::Json()).is_number_integer()) {
    number = document.fields["published_version"].get<int64_t>();
  } else {
    return Status(Code::kNotFound, "the document has no published version: choose one with version",
                  "version");
  }
  // The document's versions (then), for the one asked for.
  ASSIGN_OR_RETURN(auto versions, src.records->All(domain::DocumentVersions(),
                                                   {{"document", domain::Json::array({id})}}));
  std::optional<domain::Record> found;
  for (auto& v : versions) {
    if (v.fields.value("version_number", domain::Json()) == number) found = std::move(v);
  }
  const domain::Record* chosen = found ? &*found : nullptr;
  if (chosen == nullptr) {
    return Status(Code::kNotFound, fmt::format("the document has no version {}", number),
                  "version");
  }
  const RegisterSpec& spec = domain::DocumentVersions();
  ASSIGN_OR_RETURN(const ExportSheet sheet, registers_.SheetOf(p, spec, {*chosen}));
  ASSIGN_OR_RETURN(const ExportSheet doc_sheet,
                   registers_.SheetOf(p, domain::Documents(), {document}));
  const auto columns = ColumnsOf(sheet);
  const auto doc_columns = ColumnsOf(doc_sheet);
  const auto cell = [&](const char* name) {
    return DisplayCell(*spec.Field(name), columns, sheet.rows[0]);
  };
  ReportDocument doc;
  doc.control.title = TextOf(document.fields, "title", "Document");
  doc.control.version = std::to_string(number);
  doc.control.status = cell("status");
  doc.control.approver = cell("approved_by");
  doc.control.approved_at = cell("approved_at").substr(0, 10);
  doc.control.owner =
      DisplayCell(*domain::Documents().Field("owner"), doc_columns, doc_sheet.rows[0]);
  doc.control.classification =
      DisplayCell(*domain::Documents().Field("classification"), doc_columns, doc_sheet.rows[0]);
  const std::string summary = cell("change_summary");
  if (!summary.empty()) doc.Fields({{"What changed", summary}});
  MarkdownToReport(TextOf(chosen->fields, "body"), doc);
  return doc;
}

Result<ReportDocument> ReportService::OneRecordReport(const Principal& p, const RegisterSpec& spec,
                                                      const ReportInfo& info,
                                                      const ReportOptions& options,
                                                      const Source& src) {
  ASSIGN_OR_RETURN(
      const int64_t id,
      PositiveNumber(options.id, "id", ("the id of the " + ToLower(spec.singular)).c_str()));
  ReportDocument doc;
  ASSIGN_OR_RETURN(doc.control.version, AsOfEvent(p, {spec.type}, src));
  ASSIGN_OR_RETURN(const domain::Record record, RecordOf(p, src, spec, id));
  ASSIGN_OR_RETURN(const ExportSheet sheet, registers_.SheetOf(p, spec, {record}));
  ASSIGN_OR_RETURN(const auto members, registers_.Members(p));
  const std::string title = TextOf(record.fields, spec.title_field);
  doc.control.title = info.title + (title.empty() ? "" : ": " + title);
  const auto columns = ColumnsOf(sheet);
  if (const FieldSpec* status = spec.Field("status")) {
    doc.control.status = DisplayCell(*status, columns, sheet.rows[0]);
  }
  if (const FieldSpec* owner = spec.Field("owner")) {
    doc.control.owner = DisplayCell(*owner, columns, sheet.rows[0]);
  }
  doc.Heading(fmt::format("{} (clause {})", title.empty() ? info.title : title, info.clause));
  RecordBlocks(spec, record, sheet, 0, members, doc);
  if (&spec == &domain::InternalAudits()) {
    const RegisterSpec& findings = domain::AuditFindings();
    ASSIGN_OR_RETURN(const auto records,
                     src.records->All(findings, {{"audit", domain::Json::array({id})}}));
    ASSIGN_OR_RETURN(const ExportSheet found, registers_.SheetOf(p, findings, records));
    std::vector<const FieldSpec*> fields;
    for (const auto& name : findings.list_columns) {
      if (name == "audit") continue;
      if (const FieldSpec* f = findings.Field(name)) fields.push_back(f);
    }
    doc.Heading("Findings", 2);
    doc.Table(TableOf(fields, found));
  }
  return doc;
}

Result<ReportDocument> ReportService::ReadinessReport(const Principal& p, const ReportInfo& info,
                                                      const Source& src) {
  ASSIGN_OR_RETURN(const domain::Readiness r, readiness_.Assess(p, src.past ? src.day : ""));
  ReportDocument doc;
  doc.control.version = "As of " + r.as_of;
  doc.control.status = "Generated from the records";
  doc.Heading("Readiness by clause (" + info.clause + ")");
  doc.Paragraph(
      fmt::format("{}% ready: {} checks passed; {} blockers, {} major and {} minor "
                  "findings outstanding.",
                  r.Percent(), r.passed, r.blockers, r.majors, r.minors));
  ReportTable groups{.header = {"Clause", "Title", "Checks", "Passed", "Ready"},
                     .numeric = {false, false, true, true, true},
                     .widths = {4, 20, 4, 4, 4}};
  for (const auto& g : r.groups) {
    groups.rows.push_back({g.id, g.title, std::to_string(g.checks), std::to_string(g.passed),
                           std::to_string(g.Percent()) + "%"});
  }
  doc.Table(std::move(groups));
  doc.Heading("Checks", 2);
  ReportTable checks{
      .header = {"Check", "Clause", "Severity", "Result", "What must be true", "What fails it"},
      .widths = {10, 4, 5, 4, 16, 20}};
  for (const auto& c : r.results) {
    if (c.check == nullptr) continue;
    std::string offenders = c.detail;
    for (const auto& o : c.offenders) offenders += "\n" + o.title;
    checks.rows.push_back(
        {c.check->id, c.check->clause, std::string(domain::SeverityName(c.check->severity)),
         c.passed ? "passed" : "failed", c.check->title, c.passed ? "" : offenders});
  }
  doc.Table(std::move(checks), /*main=*/true);
  return doc;
}

Result<ReportDocument> ReportService::AuditTrailReport(const Principal& p, const ReportInfo& info,
                                                       const ReportOptions& options,
                                                       const Source& src) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadAuditTrail));
  domain::AuditQuery q;
  q.from = options.from;
  q.to = options.to;
  if (q.from.empty()) {
    return InvalidArgument("from must be the first day of the period, YYYY-MM-DD", "from");
  }
  if (q.to.empty()) q.to = src.day;
  ASSIGN_OR_RETURN(const ExportSheet sheet, registers_.AuditTrailSheet(p, q));
  ReportDocument doc;
  doc.control.version = fmt::format("{} to {}", q.from, q.to);
  doc.control.status = "Extracted from the audit trail";
  doc.Heading(fmt::format("Audit trail from {} to {} (clause {})", q.from, q.to, info.clause));
  doc.Paragraph(fmt::format(
      "{}, newest first. Each event's hash is the SHA-256 of its content and of the previous "
      "event's hash: `rampart audit verify` checks the whole chain.",
      Plural(sheet.rows.size(), "event", "events")));
  static const std::vector<std::string> kLabels = {
      "Event", "At", "Who", "Action", "Record type", "Id", "Record", "Changed", "Address", "Hash"};
  doc.Table({.header = kLabels,
             .rows = sheet.rows,
             .numeric = {true, false, false, false, false, true, false, false, false, false},
             .widths = {4, 10, 6, 5, 7, 3, 10, 10, 6, 14}},
            /*main=*/true);
  return doc;
}

}  // namespace rampart::app
