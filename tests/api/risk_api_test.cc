// The risk routes over HTTP: heat map (kind and the list's filters), acceptance with If-Match,
// treatment plan and its CSV.
#include <gmock/gmock.h>

#include "api_fixture.h"

namespace rampart::testing {
namespace {

using RiskApi = ApiTest;
using ::testing::HasSubstr;

TEST_F(RiskApi, HeatMapCountsTheFilteredRisksOfEachCell) {
  for (const char* treatment : {"modify", "retain"}) {
    auto r = Post("/api/v1/risks", Json{{"title", std::string("Ransomware ") + treatment},
                                        {"inherent_likelihood", 4},
                                        {"inherent_impact", 5},
                                        {"treatment", treatment}});
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    EXPECT_EQ(Body(r)["inherent_level"], "Critical");
  }
  auto all = Get("/api/v1/risks/heatmap?kind=inherent");
  ASSERT_TRUE(all);
  ASSERT_EQ(all->status, 200) << all->body;
  const Json map = Body(all);
  EXPECT_EQ(map["kind"], "inherent");
  ASSERT_EQ(map["cells"].size(), 25u);
  const Json& cell = map["cells"][3 * 5 + 4];  // likelihood 4, impact 5
  EXPECT_EQ(cell["likelihood"], 4);
  EXPECT_EQ(cell["impact"], 5);
  EXPECT_EQ(cell["count"], 2);
  EXPECT_EQ(cell["level"], "Critical");
  auto filtered = Get("/api/v1/risks/heatmap?kind=inherent&treatment=retain");
  EXPECT_EQ(Body(filtered)["cells"][3 * 5 + 4]["count"], 1);
  auto residual = Get("/api/v1/risks/heatmap?kind=residual");
  EXPECT_EQ(Body(residual)["unrated"], 2);
  auto bad = Get("/api/v1/risks/heatmap?kind=sideways");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "kind");
}

TEST_F(RiskApi, AcceptanceNeedsIfMatchAndShowsInTheTreatmentPlanUntilAccepted) {
  // The caller owns the risk: the owner may accept a low risk (an administrator as such may not:
  // the default criteria name the ISMS manager and executives).
  const Json me = Body(Get("/api/v1/auth/me"));
  auto r = Post("/api/v1/risks",
                Json{{"title", "Laptop theft"},
                     {"owner", me["user_id"]},
                     {"inherent_likelihood", 2},
                     {"inherent_impact", 2},
                     {"treatment", "modify"},
                     {"status", "analysed"},
                     {"actions",
                      {{{"action", "Encrypt disks"}, {"due", "2020-01-01"}, {"status", "open"}}}}});
  ASSERT_EQ(r->status, 201) << r->body;
  const std::string id = std::to_string(Body(r)["id"].get<int64_t>());
  auto plan = Body(Get("/api/v1/risks/treatment-plan"));
  ASSERT_EQ(plan["data"].size(), 1u);
  EXPECT_EQ(plan["data"][0]["overdue"], true);
  auto csv = Get("/api/v1/risks/treatment-plan/export?format=csv");
  EXPECT_THAT(csv->body, HasSubstr("Encrypt disks"));
  EXPECT_THAT(csv->get_header_value("Content-Disposition"), HasSubstr("attachment"));
  EXPECT_THAT(csv->body, ::testing::StartsWith("risk_number,risk,risk_owner,"));
  EXPECT_THAT(csv->body, HasSubstr(",yes\r\n"));  // the overdue action
  auto xlsx = Get("/api/v1/risks/treatment-plan/export?format=xlsx");
  ASSERT_EQ(xlsx->status, 200);
  EXPECT_EQ(xlsx->body.substr(0, 2), "PK");  // a zip container
  EXPECT_EQ(xlsx->get_header_value("Content-Type"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(Get("/api/v1/risks/treatment-plan/export?format=pdf")->status, 400);
  auto no_version = Post("/api/v1/risks/" + id + "/acceptance", Json{{"decision", "accepted"}});
  EXPECT_EQ(no_version->status, 428);
  httplib::Headers h = Bearer();
  h.emplace("If-Match", "\"1\"");
  auto bad = Post("/api/v1/risks/" + id + "/acceptance", Json{{"decision", "maybe"}}, h);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(bad)["error"]["field"], "decision");
  auto accepted = Post("/api/v1/risks/" + id + "/acceptance",
                       Json{{"decision", "accepted"}, {"comment", "Low after encryption"}}, h);
  ASSERT_EQ(accepted->status, 201) << accepted->body;
  EXPECT_EQ(Body(accepted)["level"], "Low");
  auto risk = Body(Get("/api/v1/risks/" + id));
  EXPECT_EQ(risk["status"], "accepted");
  EXPECT_EQ(risk["acceptance"], "accepted");
  EXPECT_EQ(Body(Get("/api/v1/risk-acceptances?risk=" + id))["data"].size(), 1u);
}

}  // namespace
}  // namespace rampart::testing
