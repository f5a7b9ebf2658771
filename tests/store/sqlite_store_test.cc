// What only the SQLite backend does: its migration files and the SQLite forms of OpenStore's URL.
// Everything every backend does is in the store contract suite (tests/contract).
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <string>

#include "store/migrations.h"
#include "store/store.h"
#include "support/status_matchers.h"
#include "support/test_store.h"

namespace rampart::store {
namespace {

using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;

TEST(SqliteStoreMigrate, NumbersMigrationsFromTheirFileNames) {
  const auto& all = SqliteMigrations();
  ASSERT_GE(all.size(), 66u);
  // Numbered 1, 2, 3, ... in order, each by its file name.
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].number, static_cast<int>(i + 1));
    EXPECT_EQ(all[i].name.substr(0, 5), fmt::format("{:04d}_", all[i].number));
  }
  EXPECT_EQ(all[0].name, "0001_foundation");
  EXPECT_EQ(all[1].name, "0002_context");
  EXPECT_THAT(std::string(all[1].sql), HasSubstr("CREATE TABLE context_issues"));
  EXPECT_EQ(all[2].name, "0003_search");
  EXPECT_EQ(all[3].name, "0004_access");
  EXPECT_EQ(all[4].name, "0005_risk");
  EXPECT_THAT(std::string(all[4].sql), HasSubstr("CREATE TABLE record_links"));
  EXPECT_EQ(all[5].name, "0006_evidence");
  EXPECT_EQ(all[6].name, "0007_soa");
  EXPECT_EQ(all[7].name, "0008_risk_ratings");
  EXPECT_EQ(all[8].name, "0009_risk_rating_counts");
  EXPECT_EQ(all[9].name, "0010_account_security");
  EXPECT_EQ(all[10].name, "0011_invitations");
  EXPECT_EQ(all[11].name, "0012_audit_address");
  EXPECT_EQ(all[12].name, "0013_scope_statements_schema");  // written by `make schema`
  EXPECT_EQ(all[13].name, "0014_audit_filters");
  // Written by `make schema`: each field both filtered and sorted gets its sort index (org_id,
  // field, id), and a risk's levels their ranks (issue 12 B2).
  EXPECT_EQ(all[14].name, "0015_context_issues_schema");
  EXPECT_EQ(all[15].name, "0016_interested_parties_schema");
  EXPECT_EQ(all[16].name, "0017_scope_statements_schema");
  EXPECT_EQ(all[17].name, "0018_assets_schema");
  EXPECT_EQ(all[18].name, "0019_threats_schema");
  EXPECT_EQ(all[19].name, "0020_vulnerabilities_schema");
  EXPECT_EQ(all[20].name, "0021_risk_methodologies_schema");
  EXPECT_EQ(all[21].name, "0022_risks_schema");
  EXPECT_EQ(all[22].name, "0023_applied_controls_schema");
  EXPECT_EQ(all[23].name, "0024_risk_acceptances_schema");
  EXPECT_EQ(all[24].name, "0025_risk_assessments_schema");
  EXPECT_THAT(std::string(all[21].sql), HasSubstr("risks(org_id, inherent_level_rank, id)"));
  EXPECT_EQ(all[25].name, "0026_risk_level_ranks");         // the ranks of the risks that exist
  EXPECT_EQ(all[26].name, "0027_accepted_by_lists");        // the roles that may accept, a list
  EXPECT_EQ(all[27].name, "0028_resources");                // clause 7.1, written by `make schema`
  EXPECT_EQ(all[28].name, "0029_isms_roles");               // clause 5.3, the same
  EXPECT_EQ(all[29].name, "0030_planned_changes");          // clause 6.3, the same
  EXPECT_EQ(all[30].name, "0031_objectives");               // clause 6.2, the same
  EXPECT_EQ(all[31].name, "0032_competence_requirements");  // clause 7.2, the same
  EXPECT_EQ(all[32].name, "0033_competence_records");
  EXPECT_EQ(all[33].name, "0034_communications");  // clause 7.4, the same
  EXPECT_EQ(all[34].name, "0035_communication_log");
  EXPECT_EQ(all[35].name, "0036_documents");  // clause 7.5, the same
  EXPECT_EQ(all[36].name, "0037_document_versions");
  EXPECT_EQ(all[37].name, "0038_document_acknowledgements");
  EXPECT_EQ(all[38].name, "0039_communications_schema");
  EXPECT_EQ(all[39].name, "0040_objectives_schema");
  EXPECT_EQ(all[40].name, "0041_document_indexes");
  EXPECT_EQ(all[41].name, "0042_commitments");             // clause 5.1, written by `make schema`
  EXPECT_EQ(all[42].name, "0043_isms_processes");          // clause 5.3, the same
  EXPECT_EQ(all[43].name, "0044_objectives_approval");     // by hand: SQLite adds no composite key
  EXPECT_EQ(all[44].name, "0045_awareness_campaigns");     // clause 7.3, written by `make schema`
  EXPECT_EQ(all[45].name, "0046_awareness_completions");   // the same
  EXPECT_EQ(all[46].name, "0047_improvements");            // clause 10.1, by `make schema`
  EXPECT_EQ(all[47].name, "0048_nonconformities");         // clause 10.2, the same
  EXPECT_EQ(all[48].name, "0049_incidents");               // Annex A 5.24-5.28, the same
  EXPECT_EQ(all[49].name, "0050_tasks");                   // tasks, the same
  EXPECT_EQ(all[50].name, "0051_task_indexes");            // by hand: one person's open tasks
  EXPECT_EQ(all[51].name, "0052_tasks_schema");            // a series's first due date, last day
  EXPECT_EQ(all[52].name, "0053_suppliers");               // clause 8.1, by `make schema`
  EXPECT_EQ(all[53].name, "0054_supplier_assessments");    // the same
  EXPECT_EQ(all[54].name, "0055_operational_activities");  // the same
  EXPECT_EQ(all[55].name, "0056_activity_occurrences");    // the same
  EXPECT_EQ(all[56].name, "0057_metrics");                 // clause 9.1, the same
  EXPECT_EQ(all[57].name, "0058_measurements");            // the same
  EXPECT_EQ(all[58].name, "0059_audit_programmes");        // clause 9.2, the same
  EXPECT_EQ(all[59].name, "0060_internal_audits");         // the same
  EXPECT_EQ(all[60].name, "0061_audit_findings");          // the same
  EXPECT_EQ(all[61].name, "0062_management_reviews");      // the same
  EXPECT_EQ(all[62].name, "0063_reminders");               // by hand (issue 14)
  EXPECT_THAT(std::string(all[62].sql), HasSubstr("CREATE TABLE reminder_digests"));
  EXPECT_EQ(all[63].name, "0064_commitments_review_source");  // by hand: a CHECK, rebuilt
  EXPECT_EQ(all[64].name, "0065_readiness_history");          // by hand (issue 15)
  EXPECT_THAT(std::string(all[64].sql), HasSubstr("PRIMARY KEY (org_id, day)"));
  EXPECT_EQ(all[65].name, "0066_organisation_profile");  // by hand (issue 15)
}

// Migration 0027: a level's roles that may accept, stored as one string before issue 12 B12,
// become the list of role ids in the order of the roles; lists, nulls and other fields stay.
TEST(SqliteStoreMigrate, TheRolesThatMayAcceptALevelBecomeAList) {
  const auto& all = SqliteMigrations();
  ASSERT_GE(all.size(), 27u);
  ASSERT_EQ(all[26].name, "0027_accepted_by_lists");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
  const std::string setup = R"sql(
    CREATE TABLE risk_methodologies (id INTEGER PRIMARY KEY, risk_levels TEXT NOT NULL);
    INSERT INTO risk_methodologies (id, risk_levels) VALUES
      (1, '[{"name":"Low","colour":"#15803d","accepted_by":"executive, isms_manager"},' ||
          '{"name":"High","accepted_by":"  "},{"name":"Top","accepted_by":"admin executive"},' ||
          '{"name":"None","accepted_by":null}]'),
      (2, '[{"name":"Low","accepted_by":["executive"]}]');
  )sql";
  ASSERT_EQ(sqlite3_exec(db, setup.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  ASSERT_EQ(sqlite3_exec(db, std::string(all[26].sql).c_str(), nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  std::vector<std::string> rows;
  ASSERT_EQ(sqlite3_exec(
                db, "SELECT risk_levels FROM risk_methodologies ORDER BY id",
                [](void* out, int, char** values, char**) {
                  static_cast<std::vector<std::string>*>(out)->push_back(values[0]);
                  return 0;
                },
                &rows, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(
      rows[0],
      R"([{"name":"Low","colour":"#15803d","accepted_by":["isms_manager","executive"]},)"
      R"({"name":"High","accepted_by":null},{"name":"Top","accepted_by":["admin","executive"]},)"
      R"({"name":"None","accepted_by":null}])");
  EXPECT_EQ(rows[1], R"([{"name":"Low","accepted_by":["executive"]}])");
}

TEST(OpenStore, RefusesAnEmptyUrlOrSqliteUrl) {
  EXPECT_THAT(OpenStore(""), StatusIs(Code::kInvalidArgument, "db"));
  EXPECT_THAT(OpenStore("sqlite:"), StatusIs(Code::kInvalidArgument, "db"));
}

TEST(OpenStore, AcceptsASqliteUrl) {
  test::TempDatabase db;
  auto store = OpenStore("sqlite:" + db.path());
  ASSERT_THAT(store, IsOk());
  EXPECT_THAT((*store)->Migrate(), IsOk());
}

}  // namespace
}  // namespace rampart::store
