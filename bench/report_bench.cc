// Micro-benchmarks of the report formats (issue 16): the Statement of Applicability's 93 lines
// as PDF (the budget: within 500 ms) and DOCX, and a register of N rows as PDF, DOCX and XLSX.
// Only the rendering: building the document from the records is measured by the load scenarios.
// Google Benchmark; BM_ names.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "base/docx.h"
#include "base/pdf.h"
#include "base/report_document.h"
#include "base/xlsx.h"

namespace rampart {
namespace {

ReportDocument Soa(int rows) {
  ReportDocument doc;
  doc.control = {.organisation = "Northwind Health",
                 .title = "Statement of Applicability",
                 .version = "4 with the changes since (As of audit event 120344)",
                 .status = "Version 4 approved; the current statement is shown",
                 .approver = "Erin Executive",
                 .approved_at = "2026-11-30",
                 .classification = "Confidential",
                 .generated_at = "2026-12-06T12:00:00Z"};
  doc.Heading("Statement of Applicability (clause 6.1.3 d))");
  doc.Paragraph("93 Annex A controls: 88 applicable, 5 excluded, 0 undecided.");
  ReportTable t{.header = {"Control", "Title", "Applicable", "Reasons for inclusion",
                           "Justification", "Implementation status", "Applied controls", "Risks"},
                .widths = {7, 17, 8, 10, 20, 11, 18, 7}};
  for (int i = 0; i < rows; ++i) {
    t.rows.push_back(
        {"5." + std::to_string(i + 1), "Information security in supplier relationships", "Yes",
         "Risk treatment\nContractual obligation",
         "Suppliers handle customer data; contracts require the control.", "Implemented",
         "Supplier security clauses (implemented)\nSupplier reviews (partial)", "12, 48, 311"});
  }
  doc.Table(std::move(t), true);
  doc.control.source_sha256 = ContentDigest(doc);
  return doc;
}

void BM_SoaPdf(benchmark::State& state) {
  const ReportDocument doc = Soa(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(PdfBytes(doc));
}
BENCHMARK(BM_SoaPdf)->Arg(93)->Arg(5000)->Unit(benchmark::kMillisecond);

void BM_SoaDocx(benchmark::State& state) {
  const ReportDocument doc = Soa(static_cast<int>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(DocxBytes(doc));
}
BENCHMARK(BM_SoaDocx)->Arg(93)->Arg(5000)->Unit(benchmark::kMillisecond);

void BM_TableXlsx(benchmark::State& state) {
  const ReportDocument doc = Soa(static_cast<int>(state.range(0)));
  const ReportTable& t = *doc.MainTable();
  for (auto _ : state) benchmark::DoNotOptimize(XlsxBytes("Risk register", t.header, t.rows));
}
BENCHMARK(BM_TableXlsx)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace rampart

BENCHMARK_MAIN();
