// framework_load: OSCAL frameworks at the size of NIST SP 800-53 rev. 5 (issue 16;
// docs/performance.md, "Frameworks and OSCAL").
//
// On a temporary SQLite database (the default) or a fresh database on a PostgreSQL cluster
// (--pg-url URL), through app::FrameworkService as the API calls it (no HTTP):
//   1. a generated catalog of --controls controls (20 groups; each base control with three
//      enhancements, two parameters inserted in a statement of three items, and guidance of some
//      5 KB, as SP 800-53's are), imported --runs times: parse and write, each a framework;
//   2. the coverage of one of them (every control, the applied controls that count);
//   3. the framework written back as an OSCAL catalog; Annex A's catalog; the system security
//      plan with every Annex A control decided and 200 applied controls.
// Wall-clock milliseconds (median and worst of the runs), the document's size, and one line of
// JSON starting with {"bench":"framework_load".
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "app/services.h"
#include "base/clock.h"
#include "domain/annex_a.h"
#include "domain/risk.h"
#include "load_support.h"

namespace rampart::bench {
namespace {

using domain::Json;

std::string Guidance(int i) {
  std::string out;
  while (out.size() < 5000) {
    out += fmt::format(
        "Control {} is supported by organisational processes that define, document and review "
        "how the requirement is met, by whom and how often; records show it was done. ",
        i);
  }
  return out;
}

Json Control(const std::string& id, const std::string& title, int n, bool enhancement) {
  const std::string p1 = id + "_odp.01";
  const std::string p2 = id + "_odp.02";
  Json statement = {
      {"id", id + "_smt"},
      {"name", "statement"},
      {"parts",
       Json::array(
           {{{"id", id + "_smt.a"},
             {"name", "item"},
             {"props", {{{"name", "label"}, {"value", "a."}}}},
             {"prose", "Define and document {{ insert: param, " + p1 + " }} for the system;"}},
            {{"id", id + "_smt.b"},
             {"name", "item"},
             {"props", {{{"name", "label"}, {"value", "b."}}}},
             {"prose", "Review the definition {{ insert: param, " + p2 + " }}; and"}},
            {{"id", id + "_smt.c"},
             {"name", "item"},
             {"props", {{{"name", "label"}, {"value", "c."}}}},
             {"prose", "Keep records of each review."}}})}};
  Json c = {{"id", id},
            {"class", enhancement ? "SP800-53-enhancement" : "SP800-53"},
            {"title", title},
            {"params", Json::array({{{"id", p1}, {"label", "personnel or roles"}},
                                    {{"id", p2},
                                     {"select",
                                      {{"how-many", "one-or-more"},
                                       {"choice", {"monthly", "quarterly", "yearly"}}}}}})},
            {"props", {{{"name", "label"}, {"value", fmt::format("{}", id)}}}},
            {"parts",
             Json::array({statement,
                          {{"id", id + "_gdn"}, {"name", "guidance"}, {"prose", Guidance(n)}}})}};
  return c;
}

// A catalog of about `controls` controls: 20 groups of base controls, each with 3 enhancements.
std::string Catalog(int controls) {
  Json groups = Json::array();
  const int per_group = std::max(1, controls / 80);  // base controls per group (4 each with enh.)
  int n = 0;
  for (int g = 0; g < 20; ++g) {
    const std::string gid = fmt::format("g{:02}", g);
    Json list = Json::array();
    for (int i = 1; i <= per_group; ++i) {
      const std::string id = fmt::format("{}-{}", gid, i);
      Json c = Control(id, fmt::format("Control {} of group {}", i, g), ++n, false);
      c["controls"] = Json::array();
      for (int e = 1; e <= 3; ++e) {
        c["controls"].push_back(Control(fmt::format("{}.{}", id, e),
                                        fmt::format("Enhancement {} of {}", e, id), ++n, true));
      }
      list.push_back(std::move(c));
    }
    groups.push_back({{"id", gid}, {"title", fmt::format("Family {}", g)}, {"controls", list}});
  }
  return Json{{"catalog",
               {{"uuid", "8d1f2c5e-9a3b-4c7d-8e6f-0a1b2c3d4e5f"},
                {"metadata",
                 {{"title", "Generated catalog"},
                  {"last-modified", "2026-12-06T00:00:00Z"},
                  {"version", "1"},
                  {"oscal-version", "1.1.2"}}},
                {"groups", groups}}}}
      .dump();
}

}  // namespace

int Main(int argc, char** argv) {
  RunOptions o;
  int controls = 1200;
  int runs = 5;
  ParseRunOptions(
      argc, argv, o,
      [&](const std::string& a, const std::function<std::string()>& next) {
        if (a == "--controls") {
          controls = std::clamp(std::atoi(next().c_str()), 80, 40000);
          return true;
        }
        if (a == "--runs") {
          runs = std::clamp(std::atoi(next().c_str()), 1, 50);
          return true;
        }
        return false;
      },
      "framework_load [--controls N] [--runs N] [--backend sqlite|postgres] [--pg-url URL] "
      "[--keep-db PATH]");
  BenchDatabase db(o);
  SystemClock clock;
  auto st = Check(store::OpenStore(db.url()), "opening the store");
  (void)Check(st->Migrate(), "migrating");
  app::Services services(*st, clock);
  const BenchTenant tenant = SetUpTenant(*st, services, clock, "framework_load");
  const app::Principal p{.user_id = tenant.actor.user_id,
                         .username = tenant.actor.username,
                         .org_id = tenant.actor.org_id,
                         .org_name = "framework_load",
                         .role = domain::Role::kAdmin,
                         .credential = app::Credential::kToken};
  const std::string catalog = Catalog(controls);
  fmt::print("catalog: {:.1f} MB\n", catalog.size() / 1e6);

  std::vector<double> imports;
  int64_t id = 0, written = 0;
  for (int i = 0; i < runs; ++i) {
    const auto start = SteadyClock::now();
    auto f = Check(services.frameworks.Import(p, {.file = catalog}), "importing");
    imports.push_back(MsSince(start));
    id = f.id;
    written = f.fields["control_count"].get<int64_t>();
  }
  const Percentiles imp = Summarise(imports);
  fmt::print("{:<40} {:>8} controls  p50 {:>7.0f} ms  max {:>7.0f} ms\n", "import (parse + write)",
             written, imp.p50, imp.max);

  // Applied controls over Annex A, a decided SoA.
  std::vector<store::Mutation> applied;
  const auto& annex = domain::AnnexAControls();
  for (int i = 0; i < 200; ++i) {
    applied.push_back(Insert(
        domain::AppliedControls(),
        Normalised(domain::AppliedControls(), {{"name", fmt::format("Applied control {}", i)},
                                               {"status", i % 3 == 0 ? "planned" : "implemented"},
                                               {"annex_controls", {annex[i % annex.size()].id}}})));
  }
  double write_s = 0;
  WriteAll(*st, tenant.actor, applied, 500, write_s);
  for (const auto& c : annex) {
    (void)Check(
        services.soa.Update(p, c.id, 0, {{"applicable", true}, {"reasons", {"risk_treatment"}}}),
        "deciding");
  }
  auto timed = [&](const char* name, const char* unit, const auto& fn) {
    std::vector<double> ms;
    size_t size = 0;
    for (int i = 0; i < runs; ++i) {
      const auto start = SteadyClock::now();
      size = fn();
      ms.push_back(MsSince(start));
    }
    const Percentiles s = Summarise(ms);
    fmt::print("{:<40} {:>8} {:<9} p50 {:>7.0f} ms  max {:>7.0f} ms\n", name, size, unit, s.p50,
               s.max);
    return s;
  };
  const Percentiles cov = timed("coverage of every control", "controls", [&] {
    return Check(services.frameworks.Coverage(p, id), "coverage").controls.size();
  });
  const Percentiles back = timed("framework as an OSCAL catalog", "bytes", [&] {
    return Check(services.frameworks.ExportCatalog(p, id), "exporting").size();
  });
  const Percentiles ssp = timed("system security plan (93 controls)", "bytes", [&] {
    return Check(services.frameworks.SystemSecurityPlan(p), "ssp").size();
  });
  fmt::print("{}\n", Json{{"bench", "framework_load"},
                          {"controls", written},
                          {"catalog_bytes", catalog.size()},
                          {"import", ToJson(imp)},
                          {"coverage", ToJson(cov)},
                          {"export_catalog", ToJson(back)},
                          {"ssp", ToJson(ssp)}}
                         .dump());
  return 0;
}

}  // namespace rampart::bench

int main(int argc, char** argv) { return rampart::bench::Main(argc, argv); }
