// Micro-benchmarks of the register machinery's per-record work: what a list request, an import
// and an audited write spend per record outside SQLite. Google Benchmark; BM_ names.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "app/record_codec.h"
#include "base/text.h"
#include "domain/audit.h"
#include "domain/context.h"
#include "domain/register.h"

namespace rampart {
namespace {

using domain::Json;

Json IssueInput() {
  return Json{{"title", "Supplier concentration in cloud hosting (EU) #004211"},
              {"description",
               "Issue 4211 observed in the EU area; it affects how the ISMS protects information "
               "and is reviewed by the ISMS manager."},
              {"kind", "external"},
              {"swot", "threat"},
              {"pestle", "economic"},
              {"climate_related", false},
              {"effect", "Raises the likelihood of related risks."},
              {"owner", 2},
              {"status", "active"},
              {"next_review", "2026-09-14"}};
}

Json ValidIssue() {
  std::vector<domain::FieldError> errors;
  return domain::ValidateFields(domain::ContextIssues(), IssueInput(), domain::WriteMode::kCreate,
                                nullptr, errors);
}

domain::Record IssueRecord() {
  domain::Record r;
  r.id = 4211;
  r.org_id = 1;
  r.version = 3;
  r.created_at = "2026-03-01T09:15:00.123Z";
  r.updated_at = "2026-04-11T16:02:47.901Z";
  r.created_by = 2;
  r.updated_by = 2;
  r.fields = ValidIssue();
  return r;
}

void BM_ValidateFields_ContextIssue(benchmark::State& state) {
  const Json input = IssueInput();
  for (auto _ : state) {
    std::vector<domain::FieldError> errors;
    Json out = domain::ValidateFields(domain::ContextIssues(), input, domain::WriteMode::kCreate,
                                      nullptr, errors);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_ValidateFields_ContextIssue);

void BM_DiffFields_Create(benchmark::State& state) {
  const Json after = ValidIssue();
  const Json before;
  for (auto _ : state) {
    Json d = domain::DiffFields(domain::ContextIssues(), before, after);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_DiffFields_Create);

void BM_RecordToJson(benchmark::State& state) {
  const domain::Record r = IssueRecord();
  for (auto _ : state) {
    Json j = app::RecordToJson(r);
    benchmark::DoNotOptimize(j);
  }
}
BENCHMARK(BM_RecordToJson);

// What a list response spends per row: the JSON object and its serialisation.
void BM_RecordToJson_Dump(benchmark::State& state) {
  const domain::Record r = IssueRecord();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string s = app::RecordToJson(r).dump();
    bytes += s.size();
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_RecordToJson_Dump);

void BM_AuditHash(benchmark::State& state) {
  domain::AuditEvent e{.seq = 100000,
                       .at = "2026-03-01T09:15:00.123Z",
                       .org_id = 1,
                       .actor_id = 2,
                       .actor = "bench",
                       .action = "create",
                       .record_type = "context_issue",
                       .record_id = 4211,
                       .diff = domain::DiffFields(domain::ContextIssues(), Json(), ValidIssue()),
                       .prev_hash = std::string(domain::kGenesisHash)};
  for (auto _ : state) {
    std::string h = domain::ComputeAuditHash(e);
    benchmark::DoNotOptimize(h);
  }
}
BENCHMARK(BM_AuditHash);

void BM_HtmlEscape(benchmark::State& state) {
  // A title-sized string with a few characters to escape, repeated to the requested length.
  const std::string unit = "Supplier <concentration> & \"cloud\" hosting's risk; ";
  std::string text;
  while (text.size() < static_cast<size_t>(state.range(0))) text += unit;
  text.resize(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    std::string out = HtmlEscape(text);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_HtmlEscape)->Arg(64)->Arg(4096);

}  // namespace
}  // namespace rampart

BENCHMARK_MAIN();
