// GET /metrics (issue 17): the Prometheus exposition, behind its own token, read by Prometheus'
// own parser (`promtool check metrics`).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "api/api_fixture.h"

namespace rampart::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kMetricsToken = "a-metrics-token-of-the-operator";

class MetricsTest : public ApiTest {
 protected:
  MetricsTest() { options_.metrics_token = kMetricsToken; }

  std::string Scrape() {
    auto r = Client().Get("/metrics", {{"Authorization", std::string("Bearer ") + kMetricsToken}});
    EXPECT_TRUE(r);
    if (!r) return "";
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    return r->body;
  }
  // promtool's verdict on `text`: its exit status and output.
  static std::pair<int, std::string> Promtool(const std::string& text) {
    const std::string file = ::testing::TempDir() + "metrics-" + std::to_string(::getpid());
    FILE* f = std::fopen(file.c_str(), "w");
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
    FILE* p = ::popen(("promtool check metrics < " + file + " 2>&1").c_str(), "r");
    std::string out;
    char buf[4096];
    size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    const int status = ::pclose(p);
    std::remove(file.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
  }
};

// Requests are counted by route template, method and status, timed in a histogram; the
// database's pool, statements and audit chain and the process's memory are there; promtool
// parses the whole exposition without a complaint.
TEST_F(MetricsTest, CountsRequestsByRouteTemplateAndPassesPromtool) {
  const Json issue = CreateIssue("Supplier concentration");
  const std::string path = "/api/v1/context-issues/" + std::to_string(issue["id"].get<int64_t>());
  ASSERT_EQ(Get(path)->status, 200);
  ASSERT_EQ(Get(path)->status, 200);
  ASSERT_EQ(Get("/api/v1/context-issues/999999")->status, 404);
  ASSERT_EQ(Get("/no/such/route")->status, 404);

  const std::string text = Scrape();
  EXPECT_THAT(text, HasSubstr("rampart_http_requests_total{method=\"POST\",route=\"/api/v1/"
                              "context-issues\",status=\"201\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("rampart_http_requests_total{method=\"GET\",route=\"/api/v1/"
                              "context-issues/{id}\",status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("rampart_http_requests_total{method=\"GET\",route=\"/api/v1/"
                              "context-issues/{id}\",status=\"404\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("rampart_http_requests_total{method=\"GET\",route=\"(none)\","
                              "status=\"404\"} 1\n"));
  // No path with a record id becomes a series.
  EXPECT_THAT(text, Not(HasSubstr(path + "\"")));
  EXPECT_THAT(text, Not(HasSubstr("/no/such/route")));
  EXPECT_THAT(text, HasSubstr("rampart_http_request_duration_seconds_bucket{method=\"GET\","
                              "route=\"/api/v1/context-issues/{id}\",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("rampart_db_pool_connections{state=\"size\"} 16\n"));
  EXPECT_THAT(text, HasSubstr("rampart_scheduler_runs_total{job=\"backup\",outcome=\"ok\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE rampart_db_statements_total counter"));
  EXPECT_THAT(text, HasSubstr("# TYPE process_resident_memory_bytes gauge"));
  // The chain: as long as the audit trail says.
  const Json newest = Body(Get("/api/v1/audit/events?limit=1"))["data"][0];
  const int64_t seq = newest["seq"].get<int64_t>();
  EXPECT_THAT(text,
              ::testing::ContainsRegex("rampart_audit_chain_length " + std::to_string(seq) + "\n"));

  const auto [status, said] = Promtool(text);
  EXPECT_EQ(status, 0) << said;
  EXPECT_EQ(said, "") << said;
}

// A client cannot make series without end: unknown methods are one label, unmatched paths one
// route.
TEST_F(MetricsTest, ClientsCannotMakeSeriesWithoutEnd) {
  for (int i = 0; i < 5; ++i) {
    httplib::Request req;
    req.method = "BREW" + std::to_string(i);
    req.path = "/coffee/" + std::to_string(i);
    auto r = Client().send(req);
    ASSERT_TRUE(r);
  }
  const std::string text = Scrape();
  EXPECT_THAT(text, Not(HasSubstr("BREW")));
  EXPECT_THAT(text, Not(HasSubstr("/coffee")));
  EXPECT_THAT(text, HasSubstr("method=\"other\",route=\"(none)\""));
}

// Only the metrics token makes a request for /metrics a scrape: without it, or with another
// token (a person's API token), /metrics is the page of the measurement metrics (clause 9.1),
// which needs a signed-in person, and nothing of the exposition is given.
TEST_F(MetricsTest, OnlyTheMetricsTokenGetsTheExposition) {
  auto none = Client().Get("/metrics");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 303);
  EXPECT_EQ(none->get_header_value("Location"), "/signin?next=/metrics");
  auto wrong = Client().Get("/metrics", {{"Authorization", "Bearer not-the-metrics-token"}});
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 303);
  const Session alice = SignIn("alice", kAlicePassword);
  auto page = Client().Get("/metrics", SessionHeaders(alice, false));
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->get_header_value("Content-Type"), HasSubstr("text/html"));
  for (const auto* r : {&none, &wrong, &page}) {
    EXPECT_THAT((*r)->body, Not(HasSubstr("rampart_http")));
  }
}

class MetricsOffTest : public ApiTest {};

// Without --metrics-token-file there are no scrapes: /metrics is only the metrics page.
TEST_F(MetricsOffTest, NoTokenNoScrapes) {
  auto r = Client().Get("/metrics", {{"Authorization", "Bearer anything-at-all-long-enough"}});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_THAT(r->body, Not(HasSubstr("rampart_http")));
}

}  // namespace
}  // namespace rampart::testing
