// Clause 8.1 through the API and the pages: suppliers (refusals name their field and change
// nothing; filters), their assessments and the "Certificate expired on …" flag (from an
// assessment's own date or an evidence file attached to it), operational activities with their
// occurrences through /api/v1/operational-activities/{id}/occurrences and the "Missed since …"
// flag; each flag read with one statement however many records a list shows.
#include <string>
#include <vector>

#include "api_fixture.h"
#include "base/clock.h"
#include "domain/support.h"

namespace rampart::testing {
namespace {

class OperationApi : public SignedInTest {
 protected:
  void SetUp() override {
    SignedInTest::SetUp();
    if (HasFatalFailure()) return;
    alice_ = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
    today_ = FormatDate(clock_.Now());
  }

  std::string Day(int days_from_today) const { return domain::AddDays(today_, days_from_today); }

  int64_t Create(const std::string& path, const Json& body) {
    auto r = Post("/api/v1/" + path, body);
    EXPECT_EQ(r->status, 201) << r->body;
    return r->status == 201 ? Body(r)["id"].get<int64_t>() : 0;
  }

  int64_t Supplier(const std::string& name) {
    return Create(
        "suppliers",
        {{"name", name}, {"services", "Hosting."}, {"criticality", "medium"}, {"owner", alice_}});
  }

  int64_t Assessment(int64_t supplier, int days_ago, const Json& certificate_expires) {
    Json body = {{"supplier", supplier},
                 {"title", "Review " + std::to_string(days_ago)},
                 {"date", Day(-days_ago)},
                 {"method", certificate_expires.is_null() ? "questionnaire" : "certificate_review"},
                 {"rating", "satisfactory"}};
    if (!certificate_expires.is_null()) {
      body["certificate"] = "ISO/IEC 27001:2022";
      body["certificate_expires"] = certificate_expires;
    }
    return Create("supplier-assessments", body);
  }

  int64_t Activity(const std::string& title, const std::string& start, int every,
                   const std::string& period) {
    return Create("operational-activities", {{"title", title},
                                             {"applied_control", control_},
                                             {"owner", alice_},
                                             {"every", every},
                                             {"period", period},
                                             {"start_date", start}});
  }

  void MakeControl() { control_ = Create("controls", {{"name", "Access control"}}); }

  static size_t Count(const std::string& body, const std::string& what) {
    size_t n = 0;
    for (size_t at = body.find(what); at != std::string::npos; at = body.find(what, at + 1)) ++n;
    return n;
  }

  // The list page's statements, after a first request has warmed what is read once.
  uint64_t Statements(const std::string& page) {
    const uint64_t before = store_->StatementCount();
    EXPECT_EQ(Page(page)->status, 200);
    return store_->StatementCount() - before;
  }

  int64_t alice_ = 0;
  int64_t control_ = 0;
  std::string today_;
};

TEST_F(OperationApi, ASupplierIsRefusedNamingTheFieldAndNothingIsWritten) {
  const int64_t asset = Create("assets", {{"name", "Customer database"}, {"type", "information"}});
  const Json supplier = {{"name", "Cloud host"},
                         {"services", "Hosting of the customer portal."},
                         {"outsourced_process", true},
                         {"criticality", "critical"},
                         {"assets", {asset}},
                         {"contract_start", "2026-01-01"},
                         {"contract_end", "2028-12-31"},
                         {"owner", alice_},
                         {"next_review", "2027-01-15"},
                         {"contacts",
                          {{{"name", "Ann Lee"},
                            {"role", "Security officer"},
                            {"email", "ann@host.example"},
                            {"phone", "+44 20 7946 0000"}}}}};
  auto no_requirements = Post("/api/v1/suppliers", supplier);
  EXPECT_EQ(no_requirements->status, 400);
  EXPECT_EQ(Error(no_requirements), "invalid_argument/security_requirements");
  Json with = supplier;
  with["security_requirements"] = "Incidents notified within 24 hours; yearly audit right.";
  Json ended_early = with;
  ended_early["contract_end"] = "2025-12-31";
  EXPECT_EQ(Error(Post("/api/v1/suppliers", ended_early)), "invalid_argument/contract_end");
  Json bad_mail = with;
  bad_mail["contacts"][0]["email"] = "ann at host";
  EXPECT_EQ(Error(Post("/api/v1/suppliers", bad_mail)), "invalid_argument/contacts[0].email");
  Json stranger = with;
  stranger["owner"] = alice_ + 1000;
  EXPECT_EQ(Error(Post("/api/v1/suppliers", stranger)), "invalid_argument/owner");
  EXPECT_EQ(Body(Get("/api/v1/suppliers"))["data"].size(), 0u);  // nothing was written

  const int64_t id = Create("suppliers", with);
  Supplier("Stationery shop");
  EXPECT_EQ(Body(Get("/api/v1/suppliers/" + std::to_string(id)))["contacts"][0]["email"],
            "ann@host.example");
  const Json critical = Body(Get("/api/v1/suppliers?criticality=critical"))["data"];
  ASSERT_EQ(critical.size(), 1u);
  EXPECT_EQ(critical[0]["name"], "Cloud host");
  EXPECT_EQ(Body(Get("/api/v1/suppliers?assets=" + std::to_string(asset)))["data"].size(), 1u);
  EXPECT_EQ(Body(Get("/api/v1/suppliers?outsourced_process=true"))["data"].size(), 1u);

  // An assessment names a supplier of the organisation.
  auto orphan = Post("/api/v1/supplier-assessments", {{"supplier", id + 1000},
                                                      {"title", "Review"},
                                                      {"date", today_},
                                                      {"method", "audit"},
                                                      {"rating", "satisfactory"}});
  EXPECT_EQ(orphan->status, 400);
  EXPECT_EQ(Error(orphan), "invalid_argument/supplier");
}

TEST_F(OperationApi, AnExpiredCertificateFlagsTheSupplier) {
  const int64_t lapsed = Supplier("Lapsed host");
  Assessment(lapsed, 400, Day(-30));
  const int64_t renewed = Supplier("Renewed host");
  Assessment(renewed, 400, Day(-30));
  Assessment(renewed, 20, Day(300));  // a newer certificate replaces the lapsed one
  const int64_t attached = Supplier("Attached host");
  const int64_t questionnaire = Assessment(attached, 10, Json());
  const int64_t never = Supplier("Never assessed");
  // The certificate is an evidence file of the assessment, expired yesterday.
  httplib::MultipartFormDataItems items = {
      {"file", "Certificate of registration", "certificate.txt", "text/plain"},
      {"title", "ISO 27001 certificate", "", ""},
      {"effective_date", Day(-365), "", ""},
      {"expires", Day(-1), "", ""}};
  auto up =
      Client().Post("/api/v1/supplier-assessments/" + std::to_string(questionnaire) + "/evidence",
                    Bearer(), items);
  ASSERT_EQ(up->status, 201) << up->body;

  const Json expired = Body(Get("/api/v1/suppliers/expired-certificates"))["data"];
  ASSERT_EQ(expired.size(), 2u) << expired;
  EXPECT_EQ(expired[0],
            Json({{"supplier", attached}, {"name", "Attached host"}, {"expired_on", Day(-1)}}));
  EXPECT_EQ(expired[1],
            Json({{"supplier", lapsed}, {"name", "Lapsed host"}, {"expired_on", Day(-30)}}));

  auto list = Page("/suppliers");
  ASSERT_EQ(list->status, 200);
  EXPECT_EQ(Count(list->body, "badge badge-flag"), 2u);
  const size_t flag = list->body.find("Certificate expired on " + Day(-30));
  const size_t title = list->body.find("Lapsed host");
  ASSERT_NE(flag, std::string::npos);
  ASSERT_NE(title, std::string::npos);
  EXPECT_EQ(list->body.find("</tr>", title), list->body.find("</tr>", flag));  // the same row

  // The supplier's page says so and lists its assessments, newest first.
  auto page = Page("/suppliers/" + std::to_string(lapsed));
  EXPECT_NE(page->body.find("Certificate expired on " + Day(-30)), std::string::npos);
  auto renewed_page = Page("/suppliers/" + std::to_string(renewed));
  EXPECT_EQ(renewed_page->body.find("Certificate expired"), std::string::npos);
  EXPECT_NE(renewed_page->body.find("Certificate valid until " + Day(300)), std::string::npos);
  const size_t newest = renewed_page->body.find("Review 20");
  const size_t oldest = renewed_page->body.find("Review 400");
  ASSERT_NE(newest, std::string::npos);
  EXPECT_LT(newest, oldest);
  EXPECT_NE(Page("/suppliers/" + std::to_string(never))->body.find("not been assessed yet"),
            std::string::npos);

  // A terminated supplier is not flagged.
  auto rec = Get("/api/v1/suppliers/" + std::to_string(lapsed));
  Json body = Body(rec);
  body["status"] = "terminated";
  auto put = Client().Put(
      "/api/v1/suppliers/" + std::to_string(lapsed),
      {{"Authorization", "Bearer " + token_}, {"If-Match", rec->get_header_value("ETag")}},
      body.dump(), "application/json");
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(Body(Get("/api/v1/suppliers/expired-certificates"))["data"].size(), 1u);

  // The flags are read with one statement, however many suppliers the list shows.
  Statements("/suppliers");
  const uint64_t few = Statements("/suppliers");
  for (int i = 0; i < 8; ++i) Assessment(Supplier("Host " + std::to_string(i)), 5, Day(-2));
  EXPECT_EQ(Statements("/suppliers"), few);
  EXPECT_EQ(Count(Page("/suppliers")->body, "badge badge-flag"), 9u);
}

TEST_F(OperationApi, AnActivityWhoseOccurrenceIsMissedIsFlaggedUntilOneIsRecorded) {
  MakeControl();
  const int64_t review = Activity("Quarterly access review", Day(-100), 3, "months");
  const int64_t restore = Activity("Weekly restore test", Day(-3), 1, "weeks");
  const std::string occurrences =
      "/api/v1/operational-activities/" + std::to_string(review) + "/occurrences";

  // Started 100 days ago, every three months: expected about ten days ago.
  const std::string expected = domain::AddMonths(Day(-100), 3);
  const Json missed = Body(Get("/api/v1/operational-activities/missed"))["data"];
  ASSERT_EQ(missed.size(), 1u);
  EXPECT_EQ(missed[0], Json({{"activity", review},
                             {"title", "Quarterly access review"},
                             {"missed_since", expected}}));
  EXPECT_EQ(Body(Get("/api/v1/operational-activities/" + std::to_string(restore) + "/schedule")),
            Json({{"last", nullptr}, {"next_due", Day(4)}, {"missed_since", nullptr}}));
  auto list = Page("/operational-activities");
  EXPECT_EQ(Count(list->body, "badge badge-flag"), 1u);
  EXPECT_NE(list->body.find("Missed since " + expected), std::string::npos);
  EXPECT_NE(Page("/operational-activities/" + std::to_string(review))
                ->body.find("Missed since " + expected),
            std::string::npos);

  // Refused occurrences name their field; one not performed leaves the activity missed.
  auto undated = Post(occurrences, {{"summary", "Q4 review"}});
  EXPECT_EQ(undated->status, 400);
  EXPECT_EQ(Error(undated), "invalid_argument/date");
  auto unexplained = Post(
      occurrences, {{"summary", "Q4 review"}, {"date", Day(-2)}, {"outcome", "not_performed"}});
  EXPECT_EQ(Error(unexplained), "invalid_argument/notes");
  EXPECT_EQ(Body(Get(occurrences))["data"].size(), 0u);
  auto skipped = Post(occurrences, {{"summary", "Q4 review"},
                                    {"date", Day(-2)},
                                    {"outcome", "not_performed"},
                                    {"notes", "The reviewer was away."}});
  ASSERT_EQ(skipped->status, 201) << skipped->body;
  EXPECT_EQ(Body(Get("/api/v1/operational-activities/missed"))["data"].size(), 1u);

  // Recorded: the route's activity wins over one in the body; the flag is gone.
  auto done = Post(occurrences, {{"summary", "Q4 review"},
                                 {"date", Day(-1)},
                                 {"performed_by", alice_},
                                 {"activity", restore}});
  ASSERT_EQ(done->status, 201) << done->body;
  EXPECT_EQ(Body(done)["activity"], review);
  EXPECT_EQ(done->get_header_value("Location"),
            "/api/v1/activity-occurrences/" + std::to_string(Body(done)["id"].get<int64_t>()));
  EXPECT_EQ(Body(Get("/api/v1/operational-activities/missed"))["data"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/operational-activities/" + std::to_string(review) + "/schedule")),
            Json({{"last", Day(-1)},
                  {"next_due", domain::AddMonths(Day(-1), 3)},
                  {"missed_since", nullptr}}));
  const Json entries = Body(Get(occurrences))["data"];
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0]["date"], Day(-1));  // newest first
  EXPECT_EQ(Count(Page("/operational-activities")->body, "badge badge-flag"), 0u);
  EXPECT_EQ(
      Body(Get("/api/v1/activity-occurrences?activity=" + std::to_string(review)))["data"].size(),
      2u);
  EXPECT_EQ(Get("/api/v1/operational-activities/99999/occurrences")->status, 404);

  // The flags are read with one statement, however many activities the list shows.
  Statements("/operational-activities");
  const uint64_t few = Statements("/operational-activities");
  for (int i = 0; i < 8; ++i) Activity("Check " + std::to_string(i), Day(-30), 1, "days");
  EXPECT_EQ(Statements("/operational-activities"), few);
  EXPECT_EQ(Count(Page("/operational-activities")->body, "badge badge-flag"), 8u);
}

TEST_F(OperationApi, AnotherOrganisationsRecordsAreNotFoundNorCounted) {
  MakeControl();
  const int64_t review = Activity("Quarterly access review", Day(-100), 3, "months");
  const int64_t supplier = Supplier("Lapsed host");
  Assessment(supplier, 400, Day(-30));
  ASSERT_TRUE(services_->members.AddOrganisation("Globex").ok());
  auto gary =
      services_->members.AddUser("Globex", app::NewMember{.username = "gary",
                                                          .role = domain::Role::kAdmin,
                                                          .password = "a long enough passphrase"});
  ASSERT_TRUE(gary.ok());
  auto token = services_->members.CreateToken("gary", "Globex", "t", false, "");
  ASSERT_TRUE(token.ok());
  const std::string occurrences =
      "/api/v1/operational-activities/" + std::to_string(review) + "/occurrences";
  EXPECT_EQ(Get(occurrences, Bearer(*token))->status, 404);
  EXPECT_EQ(Post(occurrences, {{"summary", "x"}, {"date", today_}}, Bearer(*token))->status, 404);
  EXPECT_EQ(
      Get("/api/v1/operational-activities/" + std::to_string(review) + "/schedule", Bearer(*token))
          ->status,
      404);
  EXPECT_EQ(Body(Get("/api/v1/operational-activities/missed", Bearer(*token)))["data"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/suppliers/expired-certificates", Bearer(*token)))["data"].size(), 0u);
  EXPECT_EQ(Body(Get(occurrences))["data"].size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/operational-activities/missed"))["data"].size(), 1u);
}

}  // namespace
}  // namespace rampart::testing
