// Clause 9.1 through the API and the pages: a metric and its measurements through
// /api/v1/metrics/{id}/measurements (refusals name their field and change nothing), its status
// (on target, warning, off target, due) on /status, the list and the page with its trend chart,
// an objective's metrics, who may add measurements, another organisation's metric not found,
// and the statuses read with one statement however many metrics a list shows.
#include <gmock/gmock.h>

#include <string>

#include "api_fixture.h"
#include "base/clock.h"
#include "domain/support.h"

namespace rampart::testing {
namespace {

class MetricApi : public SignedInTest {
 protected:
  void SetUp() override {
    SignedInTest::SetUp();
    if (HasFatalFailure()) return;
    alice_ = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
    today_ = FormatDate(clock_.Now());
  }

  Json Fields(const std::string& title) const {
    return {{"title", title},
            {"method", "Endpoint manager's patch report, first working day of the month."},
            {"measured_by", alice_},
            {"unit", "%"},
            {"direction", "higher"},
            {"target_value", 95},
            {"warning_threshold", 90},
            {"start_date", domain::AddDays(today_, -10)}};
  }
  int64_t Metric(const std::string& title, Json changes = Json::object()) {
    Json fields = Fields(title);
    for (const auto& [k, v] : changes.items()) fields[k] = v;
    auto r = Post("/api/v1/metrics", fields);
    EXPECT_EQ(r->status, 201) << r->body;
    return r->status == 201 ? Body(r)["id"].get<int64_t>() : 0;
  }
  static std::string Of(int64_t id, const std::string& rest = "/measurements") {
    return "/api/v1/metrics/" + std::to_string(id) + rest;
  }
  void Measure(int64_t id, double value, int days_ago) {
    auto r = Post(Of(id), {{"value", value}, {"measured_on", domain::AddDays(today_, -days_ago)}});
    EXPECT_EQ(r->status, 201) << r->body;
  }

  int64_t alice_ = 0;
  std::string today_;
};

TEST_F(MetricApi, AddsMeasurementsThroughTheMetricsRouteNewestFirst) {
  const int64_t id = Metric("Critical patches within 14 days");
  auto first = Post(Of(id), {{"value", "93.5"},
                             {"measured_on", domain::AddDays(today_, -3)},
                             {"comment", "Two servers waited for a maintenance window."},
                             {"metric", 99999}});
  ASSERT_EQ(first->status, 201) << first->body;
  EXPECT_EQ(Body(first)["metric"], id);  // the route's metric wins
  EXPECT_EQ(Body(first)["value"], 93.5);
  EXPECT_EQ(first->get_header_value("Location"),
            "/api/v1/measurements/" + std::to_string(Body(first)["id"].get<int64_t>()));
  Measure(id, 97, 1);
  const Json list = Body(Get(Of(id)));
  ASSERT_EQ(list["data"].size(), 2u);
  EXPECT_EQ(list["data"][0]["value"], 97.0);
  EXPECT_EQ(list["data"][1]["value"], 93.5);
  // The same records in the measurements register.
  EXPECT_EQ(Body(Get("/api/v1/measurements?metric=" + std::to_string(id)))["data"].size(), 2u);
}

TEST_F(MetricApi, RefusesAMeasurementNamingTheFieldAndChangesNothing) {
  const int64_t id = Metric("Critical patches within 14 days");
  auto words = Post(Of(id), {{"value", "ninety"}, {"measured_on", today_}});
  EXPECT_EQ(words->status, 400);
  EXPECT_EQ(Error(words), "invalid_argument/value");
  auto missing = Post(Of(id), {{"measured_on", today_}});
  EXPECT_EQ(Error(missing), "invalid_argument/value");
  auto future = Post(Of(id), {{"value", 90}, {"measured_on", domain::AddDays(today_, 1)}});
  EXPECT_EQ(future->status, 400);
  EXPECT_EQ(Error(future), "invalid_argument/measured_on");
  auto bad_date = Post(Of(id), {{"value", 90}, {"measured_on", "2026-02-30"}});
  EXPECT_EQ(Error(bad_date), "invalid_argument/measured_on");
  // Nor through the register's own route.
  auto direct = Post("/api/v1/measurements",
                     {{"metric", id}, {"value", 90}, {"measured_on", domain::AddDays(today_, 2)}});
  EXPECT_EQ(Error(direct), "invalid_argument/measured_on");
  auto stranger = Post(Of(id), {{"value", 90}, {"measured_on", today_}, {"measured_by", 99999}});
  EXPECT_EQ(Error(stranger), "invalid_argument/measured_by");
  EXPECT_EQ(Body(Get(Of(id)))["data"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/measurements"))["data"].size(), 0u);

  // A retired metric takes no measurement.
  auto metric = Get("/api/v1/metrics/" + std::to_string(id));
  auto retired = Patch("/api/v1/metrics/" + std::to_string(id), {{"status", "retired"}},
                       metric->get_header_value("ETag"));
  ASSERT_EQ(retired->status, 200) << retired->body;
  EXPECT_EQ(Error(Post(Of(id), {{"value", 90}, {"measured_on", today_}})),
            "invalid_argument/metric");
}

TEST_F(MetricApi, RefusesAMetricWithoutItsTargetNamingTheField) {
  Json fields = Fields("Phishing click rate");
  fields["direction"] = "lower";
  auto above = Post("/api/v1/metrics", fields);  // warning 90 is not above the target 95
  EXPECT_EQ(above->status, 400);
  EXPECT_EQ(Error(above), "invalid_argument/warning_threshold");
  fields["direction"] = "range";
  fields.erase("warning_threshold");
  EXPECT_EQ(Error(Post("/api/v1/metrics", fields)), "invalid_argument/target_high");
  fields.erase("target_value");
  fields["target_high"] = 99;
  EXPECT_EQ(Error(Post("/api/v1/metrics", fields)), "invalid_argument/target_value");
  EXPECT_EQ(Body(Get("/api/v1/metrics"))["data"].size(), 0u);
}

TEST_F(MetricApi, StatusFollowsTheLatestMeasurementAndTheFrequency) {
  const int64_t id = Metric("Critical patches within 14 days");
  Json s = Body(Get(Of(id, "/status")));
  EXPECT_EQ(s["id"], id);
  EXPECT_EQ(s["status"]["result"], "no_data");
  EXPECT_EQ(s["status"]["due"], false);  // started 10 days ago, monthly
  EXPECT_EQ(s["status"]["value"], nullptr);

  Measure(id, 92, 40);  // before the start: the start still counts
  Measure(id, 96, 2);
  s = Body(Get(Of(id, "/status")))["status"];
  EXPECT_EQ(s["result"], "on_target");
  EXPECT_EQ(s["value"], 96.0);
  EXPECT_EQ(s["measured_on"], domain::AddDays(today_, -2));
  EXPECT_EQ(s["next_due"], domain::AddMonths(domain::AddDays(today_, -2), 1));
  EXPECT_EQ(s["due"], false);

  const int64_t warning =
      Metric("Backups restored", {{"frequency_unit", "days"}, {"frequency_every", 7}});
  Measure(warning, 91, 8);
  s = Body(Get(Of(warning, "/status")))["status"];
  EXPECT_EQ(s["result"], "warning");
  EXPECT_EQ(s["due"], true);
  const int64_t off = Metric("Laptops encrypted");
  Measure(off, 80, 0);
  EXPECT_EQ(Body(Get(Of(off, "/status")))["status"]["result"], "off_target");

  // The statuses of a page of metrics.
  const Json page = Body(Get("/api/v1/metrics/status?sort=title"));
  ASSERT_EQ(page["data"].size(), 3u);
  EXPECT_EQ(page["data"][0]["title"], "Backups restored");
  EXPECT_EQ(page["data"][0]["status"]["result"], "warning");
  EXPECT_EQ(page["data"][1]["status"]["result"], "on_target");
  EXPECT_EQ(page["data"][2]["status"]["result"], "off_target");
  EXPECT_EQ(Get(Of(99999, "/status"))->status, 404);
}

TEST_F(MetricApi, AnotherOrganisationsMetricIsNotFound) {
  const int64_t id = Metric("Critical patches within 14 days");
  Measure(id, 96, 1);
  ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
  auto gary =
      services_->members.AddUser("Globex", app::NewMember{.username = "gary",
                                                          .role = domain::Role::kAdmin,
                                                          .password = "a long enough passphrase"});
  ASSERT_TRUE(gary.ok());
  auto token = services_->members.CreateToken("gary", "Globex", "t", false, "");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(Get(Of(id), Bearer(*token))->status, 404);
  EXPECT_EQ(Get(Of(id, "/status"), Bearer(*token))->status, 404);
  EXPECT_EQ(Post(Of(id), {{"value", 1}, {"measured_on", today_}}, Bearer(*token))->status, 404);
  // Its measurements name a metric of its own organisation only.
  auto direct = Post("/api/v1/measurements",
                     {{"metric", id}, {"value", 1}, {"measured_on", today_}}, Bearer(*token));
  EXPECT_EQ(direct->status, 400);
  EXPECT_EQ(Error(direct), "invalid_argument/metric");
  EXPECT_EQ(Body(Get("/api/v1/metrics/status", Bearer(*token)))["data"].size(), 0u);
  EXPECT_EQ(Body(Get(Of(id)))["data"].size(), 1u);
}

TEST_F(MetricApi, AViewerReadsButDoesNotMeasure) {
  const int64_t id = Metric("Critical patches within 14 days");
  ASSERT_TRUE(services_->members
                  .AddUser("", app::NewMember{.username = "vera",
                                              .role = domain::Role::kViewer,
                                              .password = "a long enough passphrase"})
                  .ok());
  auto token = services_->members.CreateToken("vera", "", "t", false, "");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(Get(Of(id), Bearer(*token))->status, 200);
  EXPECT_EQ(Get(Of(id, "/status"), Bearer(*token))->status, 200);
  auto refused = Post(Of(id), {{"value", 1}, {"measured_on", today_}}, Bearer(*token));
  EXPECT_EQ(refused->status, 403);
  EXPECT_EQ(Body(Get(Of(id)))["data"].size(), 0u);
}

TEST_F(MetricApi, ThePageDrawsTheTrendAndTheListFlagsWhatNeedsAttention) {
  const int64_t good = Metric("Critical patches within 14 days");
  Measure(good, 91, 20);
  Measure(good, 96, 2);
  const int64_t off = Metric("Laptops encrypted");
  Measure(off, 70, 1);

  auto page = Page("/metrics/" + std::to_string(good));
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<svg"), std::string::npos);
  EXPECT_NE(page->body.find("role=\"img\""), std::string::npos);
  EXPECT_NE(page->body.find("<title id=\"trend-title\">Trend of Critical patches"),
            std::string::npos);
  EXPECT_NE(page->body.find("class=\"chart-target\""), std::string::npos);
  EXPECT_NE(page->body.find("class=\"chart-warning\""), std::string::npos);
  EXPECT_NE(page->body.find("<polyline"), std::string::npos);
  EXPECT_NE(page->body.find("badge-metric-on_target"), std::string::npos);
  EXPECT_EQ(page->body.find("style="), std::string::npos);  // nothing the CSP would block
  EXPECT_NE(page->body.find(domain::AddDays(today_, -20)), std::string::npos);  // the table

  auto list = Page("/metrics");
  ASSERT_EQ(list->status, 200);
  const size_t title = list->body.find("Laptops encrypted");
  const size_t flag = list->body.find("Off target", title);
  ASSERT_NE(flag, std::string::npos);
  EXPECT_EQ(list->body.find("</tr>", title), list->body.find("</tr>", flag));
  const size_t patched = list->body.find("Critical patches within 14 days");
  EXPECT_EQ(list->body.find("badge-flag", patched), list->body.find("badge-flag", title));

  // The statuses are read with one statement, however many metrics the list shows.
  auto statements = [&](const std::string& path) {
    const uint64_t before = store_->StatementCount();
    EXPECT_EQ(Page(path)->status, 200);
    return store_->StatementCount() - before;
  };
  statements("/metrics");
  const uint64_t few = statements("/metrics");
  const uint64_t api_few = [&] {
    const uint64_t before = store_->StatementCount();
    EXPECT_EQ(Get("/api/v1/metrics/status")->status, 200);
    return store_->StatementCount() - before;
  }();
  for (int i = 0; i < 8; ++i) Measure(Metric("Metric " + std::to_string(i)), 50 + i, i);
  EXPECT_EQ(statements("/metrics"), few);
  const uint64_t before = store_->StatementCount();
  EXPECT_EQ(Get("/api/v1/metrics/status")->status, 200);
  EXPECT_EQ(store_->StatementCount() - before, api_few);
  // A metric's page reads the same statements whatever the number of measurements.
  const uint64_t one = statements("/metrics/" + std::to_string(off));
  for (int i = 2; i < 12; ++i) Measure(off, 60 + i, i);
  EXPECT_EQ(statements("/metrics/" + std::to_string(off)), one);
}

TEST_F(MetricApi, AnObjectivesPageShowsItsMetricsWithTheirStatus) {
  auto objective = Post("/api/v1/objectives", {{"title", "Patch critical vulnerabilities fast"},
                                               {"due_date", domain::AddDays(today_, 90)}});
  ASSERT_EQ(objective->status, 201) << objective->body;
  const int64_t oid = Body(objective)["id"].get<int64_t>();
  const int64_t id = Metric("Critical patches within 14 days", {{"objective", oid}});
  Measure(id, 80, 1);
  Metric("Unrelated metric");
  auto page = Page("/objectives/" + std::to_string(oid));
  ASSERT_EQ(page->status, 200);
  const size_t section = page->body.find("id=\"objective-metrics\"");
  ASSERT_NE(section, std::string::npos);
  EXPECT_NE(page->body.find("Critical patches within 14 days", section), std::string::npos);
  EXPECT_NE(page->body.find("badge-metric-off_target", section), std::string::npos);
  EXPECT_EQ(page->body.find("Unrelated metric"), std::string::npos);
}

}  // namespace
}  // namespace rampart::testing
