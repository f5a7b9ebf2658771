// Store::Write on SQLite as a spreadsheet import uses it: every row of the sheet an insert
// mutation with its audit event, all of them in one Write (one transaction), on a database file
// opened as the product opens it (store::OpenStore: WAL, synchronous=FULL, foreign keys on).
// Also one row per Write, the shape of a form's save (one transaction and fsync each).
// Google Benchmark; BM_ names; items_per_second is rows per second.
//
//   BM_Write_ContextIssues/N      a plain register (text, enums, a user; searchable text)
//   BM_Write_Risks/N              risks: a sequence number, levels with ranks, lists of
//                                 references to assets and applied controls (record_links rows),
//                                 a treatment-actions table
//   BM_Write_ContextIssuesWithExternalIds/N  as an import sends them: each with its row's
//                                 identifier in the sheet (Mutation::external_id)
//   BM_WriteEach_ContextIssues/N  N context issues, one Write each
// Rates are of wall-clock time (UseRealTime: commits wait for the disk). After each benchmark the
// audit chain is verified as `rampart audit verify` does (app::VerifyAuditChain).
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "app/audit_service.h"
#include "app/risk_service.h"
#include "domain/context.h"
#include "domain/register.h"
#include "domain/risk.h"
#include "domain/risk_methodology.h"
#include "store/store.h"

namespace rampart {
namespace {

using domain::Json;

constexpr const char* kNow = "2026-03-01T09:15:00.123Z";

template <typename T>
T Check(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "store_write_bench: %s: %s\n", what, r.status().message().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

// A migrated database in a temporary file with an organisation and its administrator; removed
// with its WAL and SHM files when destroyed.
class BenchDatabase {
 public:
  BenchDatabase() {
    static int counter = 0;
    path_ = (std::filesystem::temp_directory_path() /
             fmt::format("rampart-write-bench-{}-{}.db", ::getpid(), counter++))
                .string();
    Remove();
    store_ = Check(store::OpenStore(path_, store::StoreOptions{}), "opening the store");
    Check(store_->Migrate(), "migrating");
    store::AuditDraft org_event{
        .actor = "system", .at = kNow, .action = "create", .record_type = "organisation"};
    const auto org = Check(store_->CreateOrganisation("Bench Ltd", org_event), "organisation");
    domain::User u{
        .username = "bench", .display_name = "Bench", .password_hash = "x", .created_at = kNow};
    store::AuditDraft user_event{
        .org_id = org.id, .actor = "system", .at = kNow, .action = "create", .record_type = "user"};
    const auto user =
        Check(store_->CreateUser(u, domain::Membership{0, org.id, domain::Role::kAdmin, {}, {}},
                                 user_event),
              "user");
    actor_ = store::Actor{.org_id = org.id,
                          .user_id = user.id,
                          .username = user.username,
                          .now = kNow,
                          .address = "192.0.2.10"};
  }
  ~BenchDatabase() {
    store_.reset();
    Remove();
  }
  BenchDatabase(const BenchDatabase&) = delete;
  BenchDatabase& operator=(const BenchDatabase&) = delete;

  store::Store& store() { return *store_; }

  // Stops the benchmark unless the audit chain verifies (as `rampart audit verify` does) and
  // holds one event per record written besides those of the set-up.
  void CheckAuditChain(int64_t records) {
    const auto v = Check(app::VerifyAuditChain(*store_), "verifying the audit chain");
    if (!v.intact) {
      std::fprintf(stderr, "store_write_bench: the audit chain breaks at %lld: %s\n",
                   static_cast<long long>(v.first_bad_seq), v.problem.c_str());
      std::exit(1);
    }
    if (v.events != records + 2) {  // the organisation's and the user's events
      std::fprintf(stderr, "store_write_bench: %lld events for %lld records\n",
                   static_cast<long long>(v.events), static_cast<long long>(records));
      std::exit(1);
    }
  }
  const store::Actor& actor() const { return actor_; }

 private:
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_ + suffix);
    }
  }

  std::string path_;
  std::unique_ptr<store::Store> store_;
  store::Actor actor_;
};

// An insert of `fields` (validated as the import validates a row) with its audit diff.
store::Mutation Insert(const domain::RegisterSpec& spec, const Json& input, bool risk = false) {
  std::vector<domain::FieldError> errors;
  Json fields = domain::ValidateFields(spec, input, domain::WriteMode::kCreate, nullptr, errors);
  if (risk && errors.empty()) {
    static const auto methodology = domain::DefaultMethodology();
    app::ComputeLevels(methodology, fields, errors);
  }
  if (!errors.empty()) {
    std::fprintf(stderr, "store_write_bench: invalid %s: %s: %s\n", spec.type.c_str(),
                 errors[0].field.c_str(), errors[0].message.c_str());
    std::exit(1);
  }
  Json diff = domain::DiffFields(spec, Json(), fields);
  return store::Mutation{.kind = store::Mutation::Kind::kInsert,
                         .spec = &spec,
                         .fields = std::move(fields),
                         .action = "create",
                         .diff = std::move(diff)};
}

Json ContextIssue(int i, int64_t owner) {
  static const char* kKinds[] = {"internal", "external"};
  // Strengths and weaknesses are internal, opportunities and threats external.
  static const char* kSwot[] = {"strength", "opportunity", "weakness", "threat"};
  return Json{{"title", fmt::format("Supplier concentration in cloud hosting (EU) #{:06d}", i)},
              {"description",
               fmt::format("Issue {} observed in the EU area; it affects how the ISMS protects "
                           "information and is reviewed by the ISMS manager.",
                           i)},
              {"kind", kKinds[i % 2]},
              {"swot", kSwot[i % 4]},
              {"climate_related", i % 7 == 0},
              {"effect", "Raises the likelihood of related risks."},
              {"owner", owner},
              {"status", "active"},
              {"next_review", "2026-09-14"}};
}

std::vector<store::Mutation> ContextIssues(int n, int64_t owner) {
  std::vector<store::Mutation> ms;
  ms.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) ms.push_back(Insert(domain::ContextIssues(), ContextIssue(i, owner)));
  return ms;
}

std::vector<int64_t> Seed(BenchDatabase& db, const domain::RegisterSpec& spec, int n,
                          const std::function<Json(int)>& make) {
  std::vector<store::Mutation> ms;
  for (int i = 0; i < n; ++i) ms.push_back(Insert(spec, make(i)));
  std::vector<int64_t> ids;
  for (const auto& r : Check(db.store().Write(db.actor(), ms), "seeding")) ids.push_back(r.id);
  return ids;
}

// Risks as an import of a risk register gives them: a few assets and controls each, most rated,
// some with a treatment action (the spread of bench/risk_load).
std::vector<store::Mutation> Risks(int n, int64_t owner, const std::vector<int64_t>& assets,
                                   const std::vector<int64_t>& controls) {
  std::mt19937_64 rng(42);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  auto pick = [&](const std::vector<int64_t>& v) {
    return v[static_cast<size_t>(uniform(0, static_cast<int>(v.size()) - 1))];
  };
  std::vector<store::Mutation> ms;
  ms.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    Json in = Json::object();
    in["title"] = fmt::format("Ransomware on asset group {} #{:06d}", uniform(1, 400), i);
    in["description"] = "Identified in the annual assessment; see the asset owners' notes.";
    Json a = Json::array();
    for (int k = uniform(1, 3); k > 0; --k) {
      const int64_t id = pick(assets);
      if (std::find(a.begin(), a.end(), Json(id)) == a.end()) a.push_back(id);
    }
    in["assets"] = a;
    in["owner"] = owner;
    const int s = uniform(0, 9);
    const std::string status = s < 1 ? "identified" : s < 4 ? "analysed" : "treatment_planned";
    in["status"] = status;
    in["inherent_likelihood"] = uniform(1, 5);
    in["inherent_impact"] = uniform(1, 5);
    if (status == "treatment_planned") {
      in["treatment"] = "modify";
      in["actions"] = Json::array({{{"action", "Implement the planned control"},
                                    {"owner", owner},
                                    {"due", "2026-06-30"},
                                    {"status", "open"}}});
    }
    if (status != "identified") {
      Json c = Json::array();
      for (int k = uniform(1, 3); k > 0; --k) {
        const int64_t id = pick(controls);
        if (std::find(c.begin(), c.end(), Json(id)) == c.end()) c.push_back(id);
      }
      in["controls"] = c;
      in["residual_likelihood"] = std::max(1, in["inherent_likelihood"].get<int>() - 1);
      in["residual_impact"] = in["inherent_impact"];
    }
    in["next_review"] = "2027-03-01";
    in["rationale"] = "Rated by the asset owner with the ISMS manager.";
    ms.push_back(Insert(domain::Risks(), in, /*risk=*/true));
  }
  return ms;
}

void BM_Write_ContextIssues(benchmark::State& state) {
  BenchDatabase db;
  const auto ms = ContextIssues(static_cast<int>(state.range(0)), db.actor().user_id);
  for (auto _ : state) {
    auto written = Check(db.store().Write(db.actor(), ms), "writing");
    benchmark::DoNotOptimize(written);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  db.CheckAuditChain(state.iterations() * state.range(0));
}
BENCHMARK(BM_Write_ContextIssues)
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Write_ContextIssuesWithExternalIds(benchmark::State& state) {
  BenchDatabase db;
  auto ms = ContextIssues(static_cast<int>(state.range(0)), db.actor().user_id);
  int64_t round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ++round;
    for (size_t i = 0; i < ms.size(); ++i) ms[i].external_id = fmt::format("CI-{}-{}", round, i);
    state.ResumeTiming();
    auto written = Check(db.store().Write(db.actor(), ms), "writing");
    benchmark::DoNotOptimize(written);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  db.CheckAuditChain(state.iterations() * state.range(0));
}
BENCHMARK(BM_Write_ContextIssuesWithExternalIds)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Write_Risks(benchmark::State& state) {
  BenchDatabase db;
  const int64_t owner = db.actor().user_id;
  const auto assets = Seed(db, domain::Assets(), 200, [&](int i) {
    return Json{{"name", fmt::format("Customer database {:05d}", i)},
                {"type", "information"},
                {"classification", "confidential"},
                {"confidentiality", 1 + i % 5},
                {"integrity", 1 + i % 4},
                {"availability", 1 + i % 3},
                {"owner", owner},
                {"status", "active"}};
  });
  const auto controls = Seed(db, domain::AppliedControls(), 100, [&](int i) {
    return Json{{"name", fmt::format("Access review #{:04d}", i)},
                {"description", "Carried out by the IT team and recorded in the ticket system."},
                {"annex_controls", Json::array({"5.15", "8.2"})},
                {"status", "implemented"},
                {"owner", owner},
                {"next_review", "2026-12-01"}};
  });
  const auto ms = Risks(static_cast<int>(state.range(0)), owner, assets, controls);
  for (auto _ : state) {
    auto written = Check(db.store().Write(db.actor(), ms), "writing");
    benchmark::DoNotOptimize(written);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  db.CheckAuditChain(static_cast<int64_t>(assets.size() + controls.size()) +
                     state.iterations() * state.range(0));
}
BENCHMARK(BM_Write_Risks)->Arg(1000)->Arg(10000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_WriteEach_ContextIssues(benchmark::State& state) {
  BenchDatabase db;
  const auto ms = ContextIssues(static_cast<int>(state.range(0)), db.actor().user_id);
  for (auto _ : state) {
    for (const auto& m : ms) {
      auto written = Check(db.store().Write(db.actor(), {m}), "writing");
      benchmark::DoNotOptimize(written);
    }
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  db.CheckAuditChain(state.iterations() * state.range(0));
}
BENCHMARK(BM_WriteEach_ContextIssues)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace rampart

BENCHMARK_MAIN();
