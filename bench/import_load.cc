// import_load: spreadsheet import at scale (issue 16; docs/performance.md, "Spreadsheet import").
//
// On a temporary SQLite database (the default) or a fresh database on a PostgreSQL cluster
// (--pg-url URL), through app::ImportService as the API calls it (no HTTP):
//   1. context issues, a plain register: a CSV of --rows rows (title, kind, SWOT, owner,
//      description) read, dry-run and applied; rows per second of the apply (reading included);
//   2. 1,000 assets imported, then risks: a CSV of --rows rows naming an asset by title, an owner
//      by user name and inherent ratings (levels computed by the risk write hook) read, dry-run and
//      applied; the same rows as XLSX read;
//   3. the applied risks' export imported back as a dry run: every row unchanged.
// Wall-clock milliseconds of each step, the server's peak resident memory growth (VmHWM), and one
// line of JSON starting with {"bench":"import_load".
#include <fmt/format.h>
#include <unistd.h>

#include <string>

#include "app/services.h"
#include "base/clock.h"
#include "base/sheet_reader.h"
#include "base/xlsx.h"
#include "domain/context.h"
#include "domain/risk.h"
#include "load_support.h"

namespace rampart::bench {
namespace {

struct Step {
  std::string name;
  double ms = 0;
  int64_t rows = 0;
};

}  // namespace

int Main(int argc, char** argv) {
  RunOptions o;
  int rows = 100000;
  ParseRunOptions(
      argc, argv, o,
      [&](const std::string& a, const std::function<std::string()>& next) {
        if (a != "--rows") return false;
        rows = std::clamp(std::atoi(next().c_str()), 10, 200000);
        return true;
      },
      "import_load [--rows N] [--backend sqlite|postgres] [--pg-url URL] [--keep-db PATH]");
  BenchDatabase db(o);
  SystemClock clock;
  auto st = Check(store::OpenStore(db.url()), "opening the store");
  (void)Check(st->Migrate(), "migrating");
  app::Services services(*st, clock);
  const BenchTenant tenant = SetUpTenant(*st, services, clock, "import_load");
  const app::Principal p{.user_id = tenant.actor.user_id,
                         .username = tenant.actor.username,
                         .org_id = tenant.actor.org_id,
                         .role = domain::Role::kAdmin,
                         .credential = app::Credential::kToken};
  const long hwm_start = VmKb("self", "VmHWM");
  std::vector<Step> steps;
  auto timed = [&](const std::string& name, int64_t n, const auto& fn) {
    const auto start = SteadyClock::now();
    auto out = fn();
    steps.push_back({name, MsSince(start), n});
    fmt::print("{:<44} {:>10.0f} ms  {:>9.0f} rows/s\n", name, steps.back().ms,
               n / (steps.back().ms / 1000.0));
    return out;
  };
  auto import = [&](const domain::RegisterSpec& spec, const Sheet& sheet, bool apply) {
    auto proposal = Check(services.imports.Propose(p, spec, sheet), "proposing");
    app::ImportOptions options{.apply = apply};
    for (const auto& c : proposal.columns) options.columns[c.header] = c.target;
    auto result = Check(services.imports.Run(p, spec, sheet, options), "importing");
    if (result.errors > 0) {
      for (const auto& r : result.rows) {
        if (!r.errors.empty()) {
          Die(fmt::format("row {}: {}: {}", r.line, r.errors[0].field, r.errors[0].message));
        }
      }
    }
    return result;
  };

  // 1. A plain register.
  std::string csv = "Title,Kind,SWOT,Owner,Description\n";
  for (int i = 0; i < rows; ++i) {
    // Internal issues are strengths or weaknesses, external ones opportunities or threats.
    static constexpr const char* kSwot[] = {"strength", "opportunity", "weakness", "threat"};
    csv += fmt::format("Issue {},{},{},bench,\"What issue {} is about, in a sentence or two.\"\n",
                       i, i % 2 == 0 ? "internal" : "external", kSwot[i % 4], i);
  }
  const Sheet issues = timed("context issues: read CSV", rows,
                             [&] { return Check(app::ImportService::Read(csv), "reading"); });
  timed("context issues: dry run", rows,
        [&] { return import(domain::ContextIssues(), issues, false); });
  const auto apply_start = SteadyClock::now();
  timed("context issues: apply", rows,
        [&] { return import(domain::ContextIssues(), issues, true); });
  const double plain_ms = MsSince(apply_start) + steps[0].ms;
  fmt::print("{:<44} {:>10.0f} ms  {:>9.0f} rows/s\n", "context issues: read + apply", plain_ms,
             rows / (plain_ms / 1000.0));

  // 2. Risks naming assets by title.
  std::string assets = "Name,Type\n";
  for (int i = 0; i < 1000; ++i) assets += fmt::format("Asset {},hardware\n", i);
  import(domain::Assets(), Check(app::ImportService::Read(assets), "reading assets"), true);
  std::string risks = "Title,Assets,Owner,Inherent likelihood,Inherent impact,Treatment\n";
  std::vector<std::vector<std::string>> xlsx_rows;
  for (int i = 0; i < rows; ++i) {
    const std::vector<std::string> row = {fmt::format("Risk {}", i),
                                          fmt::format("Asset {}", i % 1000),
                                          "bench",
                                          std::to_string(1 + i % 5),
                                          std::to_string(1 + (i / 5) % 5),
                                          i % 3 == 0 ? "modify" : "retain"};
    risks += fmt::format("{},{},{},{},{},{}\n", row[0], row[1], row[2], row[3], row[4], row[5]);
    xlsx_rows.push_back(row);
  }
  const Sheet risk_sheet = timed("risks: read CSV", rows,
                                 [&] { return Check(app::ImportService::Read(risks), "reading"); });
  const std::string xlsx = Check(
      XlsxBytes("Risks",
                {"Title", "Assets", "Owner", "Inherent likelihood", "Inherent impact", "Treatment"},
                xlsx_rows),
      "writing the XLSX");
  xlsx_rows.clear();
  timed("risks: read XLSX", rows, [&] { return Check(app::ImportService::Read(xlsx), "reading"); });
  timed("risks: dry run", rows, [&] { return import(domain::Risks(), risk_sheet, false); });
  const auto risks_start = SteadyClock::now();
  timed("risks: apply", rows, [&] { return import(domain::Risks(), risk_sheet, true); });
  const double risks_ms = MsSince(risks_start) + steps[3].ms;
  fmt::print("{:<44} {:>10.0f} ms  {:>9.0f} rows/s\n", "risks: read CSV + apply", risks_ms,
             rows / (risks_ms / 1000.0));

  // 3. The export imported back: nothing changes.
  const std::string exported = Check(
      services.registers.Export(p, domain::Risks(), {}, app::ExportFormat::kCsv), "exporting");
  const Sheet back = Check(app::ImportService::Read(exported), "reading the export");
  const auto again = timed("risks: export imported back (dry run)", rows,
                           [&] { return import(domain::Risks(), back, false); });
  if (again.unchanged != rows) Die(fmt::format("{} of {} rows unchanged", again.unchanged, rows));
  const long hwm_growth_mb = (VmKb("self", "VmHWM") - hwm_start) / 1024;
  fmt::print("peak resident memory growth: {} MB\n", hwm_growth_mb);

  Json out = {{"bench", "import_load"},
              {"backend", o.postgres ? "postgres" : "sqlite"},
              {"rows", rows},
              {"plain_read_apply_rows_per_s", rows / (plain_ms / 1000.0)},
              {"risks_read_apply_ms", risks_ms},
              {"peak_growth_mb", hwm_growth_mb}};
  for (const auto& s : steps) out["steps"][s.name] = s.ms;
  fmt::print("{}\n", out.dump());
  db.Finish();
  return 0;
}

}  // namespace rampart::bench

int main(int argc, char** argv) { return rampart::bench::Main(argc, argv); }
