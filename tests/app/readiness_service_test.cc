// ReadinessService (issue 15) against a real store: every query check one by one (a record that
// makes it fail is named, and without it the check passes), the rules reading their facts, time
// travel against changes made after the chosen day, the history, the statements per assessment
// and organisations kept apart.
#include "app/readiness_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "app/mandatory_service.h"
#include "app/record_source.h"
#include "app/services.h"
#include "app_fixture.h"
#include "domain/context.h"
#include "domain/readiness.h"
#include "domain/registers.h"
#include "domain/risk.h"
#include "support/raw_records.h"

namespace rampart::app {
namespace {

using domain::Json;
using domain::ReadinessCheck;
using test::IsOk;

class ReadinessServiceTest : public ServicesTest {
 protected:
  // A new organisation with its administrator.
  Principal NewOrg(const std::string& name) {
    auto t = test::CreateTenant(*store_, name, "admin-" + std::to_string(++orgs_),
                                FormatUtc(clock_.Now()));
    EXPECT_THAT(t, IsOk());
    return PrincipalOf(t->org, t->admin);
  }

  // Field values that meet every condition of a query check (in organisation `p`: a published
  // policy is made for a condition naming the policies).
  Json Meeting(const Principal& p, const ReadinessCheck& c) {
    Json out = Json::object();
    for (const auto& cond : c.where) {
      using M = domain::Filter::Match;
      if (cond.match == M::kBefore) {
        out[cond.field] = "2000-01-01";
      } else if (cond.match == M::kOnOrAfter) {
        out[cond.field] = Today();
      } else if (cond.isms_policies) {
        out[cond.field] =
            Insert(p, domain::Documents(), {{"type", "isms_policy"}, {"status", "published"}});
      } else if (cond.levels_to_treat) {
        out[cond.field] = "High";  // the default methodology retains low and medium only
      } else if (cond.open) {
        for (const auto& choice : c.spec->Field(cond.field)->choices) {
          const auto& closed = c.spec->lifecycle->closed;
          if (std::find(closed.begin(), closed.end(), choice.value) == closed.end()) {
            out[cond.field] = choice.value;
            break;
          }
        }
      } else {
        out[cond.field] = cond.value.is_array() ? cond.value.front() : cond.value;
      }
    }
    return out;
  }

  domain::Readiness Assess(const Principal& p, const std::string& as_of = "") {
    auto a = services_->readiness.Assess(p, as_of);
    EXPECT_THAT(a, IsOk());
    return a.ok() ? std::move(a).value() : domain::Readiness{};
  }

  static const domain::CheckResult& Result(const domain::Readiness& a, std::string_view id) {
    for (const auto& r : a.results) {
      if (r.check->id == id) return r;
    }
    std::abort();
  }

  static std::vector<int64_t> OffenderIds(const domain::CheckResult& r) {
    std::vector<int64_t> out;
    for (const auto& o : r.offenders) out.push_back(o.id);
    return out;
  }

  int orgs_ = 0;
};

TEST_F(ReadinessServiceTest, EveryQueryCheckFailsNamingItsRecordAndPassesWithoutIt) {
  int tested = 0;
  for (const auto& c : domain::ReadinessChecks()) {
    if (c.expect != domain::Expect::kNone) continue;
    SCOPED_TRACE(c.id);
    const Principal p = NewOrg("Org " + c.id);
    const int64_t id = Insert(p, *c.spec, Meeting(p, c));
    const auto failed = Result(Assess(p), c.id);
    EXPECT_FALSE(failed.passed);
    EXPECT_EQ(failed.count, 1);
    EXPECT_THAT(OffenderIds(failed), ::testing::ElementsAre(id));
    ASSERT_EQ(failed.offenders.size(), 1u);
    EXPECT_EQ(failed.offenders[0].type, c.spec->type);
    EXPECT_EQ(domain::OffenderHref(failed.offenders[0]),
              "/" + c.spec->path + "/" + std::to_string(id));
    Delete(p, *c.spec, id);
    EXPECT_TRUE(Result(Assess(p), c.id).passed);
    ++tested;
  }
  EXPECT_GE(tested, 30);
}

TEST_F(ReadinessServiceTest, EveryCheckAskingForRecordsFailsWithoutThemAndPassesWithOne) {
  int tested = 0;
  for (const auto& c : domain::ReadinessChecks()) {
    if (c.expect != domain::Expect::kSome) continue;
    SCOPED_TRACE(c.id);
    const Principal p = NewOrg("Org " + c.id);
    const auto none = Result(Assess(p), c.id);
    EXPECT_FALSE(none.passed);
    EXPECT_EQ(none.count, 0);
    EXPECT_EQ(none.detail, "None found: " + c.looks_at + ".");
    Insert(p, *c.spec, Meeting(p, c));
    const auto found = Result(Assess(p), c.id);
    EXPECT_TRUE(found.passed);
    EXPECT_EQ(found.count, 1);
    ++tested;
  }
  EXPECT_GE(tested, 15);
}

// The published policy's own acknowledgements count for 5.2; another document's only for 7.3.
TEST_F(ReadinessServiceTest, ThePolicyIsAcknowledgedByItsOwnDistribution) {
  const int64_t policy =
      Insert(alice_, domain::Documents(), {{"type", "isms_policy"}, {"status", "published"}});
  const int64_t procedure =
      Insert(alice_, domain::Documents(), {{"type", "procedure"}, {"status", "published"}});
  const int64_t other = Insert(alice_, domain::DocumentAcknowledgements(),
                               {{"document", procedure}, {"status", "pending"}});
  auto a = Assess(alice_);
  EXPECT_TRUE(Result(a, "5.2-policy-acknowledged").passed);
  EXPECT_THAT(OffenderIds(Result(a, "7.3-acknowledged")), ::testing::ElementsAre(other));
  const int64_t ack = Insert(alice_, domain::DocumentAcknowledgements(),
                             {{"document", policy}, {"status", "pending"}});
  a = Assess(alice_);
  EXPECT_THAT(OffenderIds(Result(a, "5.2-policy-acknowledged")), ::testing::ElementsAre(ack));
  EXPECT_EQ(Result(a, "7.3-acknowledged").count, 2);
  Update(alice_, domain::DocumentAcknowledgements(), ack, {{"status", "acknowledged"}});
  EXPECT_TRUE(Result(Assess(alice_), "5.2-policy-acknowledged").passed);
}

// Communications, activities, certificates and evidence are judged on the day assessed: what
// was overdue then stays so when asked about that day, though it was made good since.
TEST_F(ReadinessServiceTest, RecurringWorkCertificatesAndEvidenceOnTheDayAndAsOfIt) {
  const std::string day1 = Today();
  const int64_t newsletter =
      Insert(alice_, domain::Communications(), {{"status", "active"}, {"frequency", "monthly"}});
  Insert(alice_, domain::CommunicationLog(),
         {{"communication", newsletter}, {"date", domain::AddDays(day1, -40)}});
  const int64_t restore = Insert(alice_, domain::OperationalActivities(),
                                 {{"status", "active"},
                                  {"start_date", domain::AddDays(day1, -60)},
                                  {"every", 1},
                                  {"period", "months"}});
  const int64_t host = Insert(alice_, domain::Suppliers(), {{"status", "active"}});
  Insert(alice_, domain::SupplierAssessments(),
         {{"supplier", host}, {"certificate_expires", domain::AddDays(day1, -1)}});
  const int64_t control = Insert(alice_, domain::AppliedControls(), {{"status", "implemented"}});
  auto evidence = [&](const std::string& expires) {
    const std::string now = FormatUtc(clock_.Now());
    domain::EvidenceFile f{.org_id = alice_.org_id,
                           .record_type = domain::AppliedControls().type,
                           .record_id = control,
                           .title = "Report",
                           .file_name = "report.pdf",
                           .content_type = "application/pdf",
                           .size = 6,
                           .sha256 = std::string(64, 'a'),
                           .expires = expires,
                           .uploaded_by = alice_.user_id,
                           .uploaded_at = now};
    ASSERT_THAT(store_->AddEvidence(f, "report",
                                    {.org_id = alice_.org_id,
                                     .actor_id = alice_.user_id,
                                     .actor = alice_.username,
                                     .at = now,
                                     .action = "upload",
                                     .record_type = "evidence_file"}),
                IsOk());
  };
  evidence(domain::AddDays(day1, -1));
  const auto before = Assess(alice_);
  EXPECT_THAT(OffenderIds(Result(before, "7.4-communications-made")),
              ::testing::ElementsAre(newsletter));
  EXPECT_THAT(OffenderIds(Result(before, "8.1-activities-performed")),
              ::testing::ElementsAre(restore));
  EXPECT_THAT(OffenderIds(Result(before, "A.5.22-supplier-certificates")),
              ::testing::ElementsAre(host));
  EXPECT_THAT(OffenderIds(Result(before, "8.1-evidence-current")), ::testing::ElementsAre(control));

  // Two days on, each is made good.
  clock_.Advance(std::chrono::hours(48));
  Insert(alice_, domain::CommunicationLog(), {{"communication", newsletter}, {"date", Today()}});
  Insert(alice_, domain::ActivityOccurrences(),
         {{"activity", restore}, {"date", Today()}, {"outcome", "completed"}});
  Insert(alice_, domain::SupplierAssessments(),
         {{"supplier", host}, {"certificate_expires", domain::AddMonths(Today(), 12)}});
  evidence(domain::AddMonths(Today(), 12));
  const auto now = Assess(alice_);
  for (const char* id : {"7.4-communications-made", "8.1-activities-performed",
                         "A.5.22-supplier-certificates", "8.1-evidence-current"}) {
    EXPECT_TRUE(Result(now, id).passed) << id;
    EXPECT_FALSE(Result(Assess(alice_, day1), id).passed) << id << " on " << day1;
  }
}

TEST_F(ReadinessServiceTest, DateConditionsAreComparedWithTheDayAssessed) {
  // A review held 13 months ago no longer counts; one held 11 months ago does.
  Insert(alice_, domain::ManagementReviews(),
         {{"status", "held"}, {"review_date", domain::AddMonths(Today(), -13)}});
  EXPECT_FALSE(Result(Assess(alice_), "9.3-review-held").passed);
  Insert(alice_, domain::ManagementReviews(),
         {{"status", "approved"}, {"review_date", domain::AddMonths(Today(), -11)}});
  EXPECT_TRUE(Result(Assess(alice_), "9.3-review-held").passed);
  // A risk whose review is today is not overdue; yesterday's is.
  const int64_t today = Insert(alice_, domain::Risks(), {{"next_review", Today()}});
  EXPECT_TRUE(Result(Assess(alice_), "risks-reviews").passed);
  Update(alice_, domain::Risks(), today, {{"next_review", domain::AddDays(Today(), -1)}});
  EXPECT_THAT(OffenderIds(Result(Assess(alice_), "risks-reviews")), ::testing::ElementsAre(today));
  // A closed risk is not reviewed any more.
  Update(alice_, domain::Risks(), today, {{"status", "closed"}});
  EXPECT_TRUE(Result(Assess(alice_), "risks-reviews").passed);
}

TEST_F(ReadinessServiceTest, RulesReadTheRecords) {
  auto a = Assess(alice_);
  const auto& decided = Result(a, "6.1.3-soa-decided");
  EXPECT_FALSE(decided.passed);
  EXPECT_EQ(decided.count, 93);
  EXPECT_EQ(Result(a, "5.3-roles-held").detail, "No active ISMS role is defined.");
  EXPECT_FALSE(Result(a, "7.5.1-mandatory-met").passed);
  EXPECT_FALSE(Result(a, "9.2-coverage").passed);

  const int64_t role =
      Insert(alice_, domain::IsmsRoles(),
             {{"name", "ISMS manager"}, {"status", "active"}, {"holders", nullptr}});
  a = Assess(alice_);
  EXPECT_THAT(OffenderIds(Result(a, "5.3-roles-held")), ::testing::ElementsAre(role));
  Update(alice_, domain::IsmsRoles(), role,
         {{"holders", Json::array({{{"person", alice_.user_id}, {"since", "2026-01-01"}}})},
          {"top_management", true}});
  a = Assess(alice_);
  EXPECT_TRUE(Result(a, "5.3-roles-held").passed);
  EXPECT_TRUE(Result(a, "5.3-top-management").passed);

  // A control decided applicable without an applied control is not covered.
  ASSERT_THAT(services_->soa.Update(alice_, "5.1", 0,
                                    {{"applicable", true}, {"reasons", {"risk_treatment"}}}),
              IsOk());
  a = Assess(alice_);
  EXPECT_EQ(Result(a, "6.1.3-soa-decided").count, 92);
  const auto& covered = Result(a, "6.1.3-soa-covered");
  ASSERT_EQ(covered.offenders.size(), 1u);
  EXPECT_EQ(covered.offenders[0].key, "5.1");
  Insert(alice_, domain::AppliedControls(),
         {{"annex_controls", Json::array({"5.1"})}, {"status", "planned"}});
  EXPECT_TRUE(Result(Assess(alice_), "6.1.3-soa-covered").passed);

  // An active programme whose audit covers 4.1 only.
  const int64_t programme = Insert(alice_, domain::AuditProgrammes(), {{"status", "active"}});
  Insert(alice_, domain::InternalAudits(),
         {{"programme", programme}, {"clauses", Json::array({"4.1"})}});
  const auto coverage = Result(Assess(alice_), "9.2-coverage");
  EXPECT_FALSE(coverage.passed);
  ASSERT_FALSE(coverage.offenders.empty());
  EXPECT_EQ(coverage.offenders[0].key, "4.2");
}

TEST_F(ReadinessServiceTest, TimeTravelUndoesWhatChangedAfterTheDay) {
  const std::string day1 = Today();
  const int64_t early = Insert(alice_, domain::Risks(), {{"title", "Early"}, {"owner", nullptr}});
  const int64_t issue = Insert(alice_, domain::ContextIssues(), {{"status", "active"}});
  clock_.Advance(std::chrono::hours(48));
  // After the day: the early risk gets an owner, a late one comes without, the issue goes.
  Update(alice_, domain::Risks(), early, {{"owner", alice_.user_id}});
  const int64_t late = Insert(alice_, domain::Risks(), {{"title", "Late"}, {"owner", nullptr}});
  Delete(alice_, domain::ContextIssues(), issue);

  const auto now = Assess(alice_);
  EXPECT_FALSE(now.historical);
  EXPECT_THAT(OffenderIds(Result(now, "6.1.2-risk-owner")), ::testing::ElementsAre(late));
  EXPECT_FALSE(Result(now, "4.1-issues").passed);

  const auto then = Assess(alice_, day1);
  EXPECT_TRUE(then.historical);
  EXPECT_EQ(then.as_of, day1);
  const auto& owner = Result(then, "6.1.2-risk-owner");
  EXPECT_THAT(OffenderIds(owner), ::testing::ElementsAre(early));
  EXPECT_EQ(owner.offenders[0].title, "Early");
  EXPECT_EQ(owner.count, 1);
  EXPECT_TRUE(Result(then, "4.1-issues").passed);
  EXPECT_TRUE(Result(then, "6.1.2-risks").passed);

  // The day before anything: nothing existed.
  const auto before = Assess(alice_, domain::AddDays(day1, -1));
  EXPECT_FALSE(Result(before, "6.1.2-risks").passed);
  EXPECT_TRUE(Result(before, "6.1.2-risk-owner").passed);
}

// The mandatory documentation reads no document for readiness: the store counts the published
// ones by type, clause and control, today and as they were on a day (clauses changed since,
// a document unpublished, another published later).
TEST_F(ReadinessServiceTest, CountsPublishedDocumentsTodayAndAsTheyWere) {
  const std::string day1 = Today();
  auto doc = [&](const char* type, Json clauses, const std::string& next_review) {
    return Insert(alice_, domain::Documents(),
                  {{"type", type},
                   {"status", "published"},
                   {"clauses", std::move(clauses)},
                   {"annex_controls", Json::array({"5.37"})},
                   {"next_review", next_review}});
  };
  const int64_t a = doc("procedure", {"8.1", "9.1"}, domain::AddDays(day1, 30));
  const int64_t b = doc("isms_policy", {"5.2"}, day1);  // due for review on day 1
  clock_.Advance(std::chrono::hours(48));
  Update(alice_, domain::Documents(), a, {{"clauses", Json::array({"9.1"})}});
  Update(alice_, domain::Documents(), b, {{"status", "retired"}});
  doc("topic_policy", {"8.1"}, domain::AddDays(Today(), 30));

  using domain::PublishedCount;
  auto counts = [&](std::unique_ptr<RecordSource> src) {
    auto in = ReadMandatoryInputs(*src, /*name_documents=*/false);
    EXPECT_THAT(in, IsOk());
    EXPECT_TRUE(in.ok() && in->published_documents.empty());
    return in.ok() ? in->published : domain::PublishedCounts{};
  };
  const auto now = counts(LiveRecords(*store_, alice_.org_id, Today()));
  EXPECT_EQ(now.all, (PublishedCount{.in_date = 2}));
  EXPECT_EQ(now.by_clause.at("8.1"), (PublishedCount{.in_date = 1}));  // the topic policy
  EXPECT_EQ(now.by_clause.at("9.1"), (PublishedCount{.in_date = 1}));
  EXPECT_EQ(now.by_control.at("5.37"), (PublishedCount{.in_date = 2}));
  EXPECT_EQ(now.by_type.count("isms_policy"), 0u);
  const auto then = counts(RecordsAsOf(*store_, alice_.org_id, day1));
  EXPECT_EQ(then.all, (PublishedCount{.in_date = 2}));
  EXPECT_EQ(then.by_clause.at("8.1"), (PublishedCount{.in_date = 1}));  // a, as it was
  EXPECT_EQ(then.by_clause.at("5.2"), (PublishedCount{.in_date = 1}));
  EXPECT_EQ(then.by_type.at("isms_policy"), (PublishedCount{.in_date = 1}));
  EXPECT_EQ(then.by_type.count("topic_policy"), 0u);
  // Counted by the store as the documents themselves count.
  auto live = LiveRecords(*store_, alice_.org_id, Today());
  auto docs = live->All(domain::Documents(), {});
  ASSERT_THAT(docs, IsOk());
  EXPECT_EQ(now, domain::CountPublished(*docs, Today()));
  // The day after the policy's review date, before it was retired: past its review.
  const auto late = counts(RecordsAsOf(*store_, alice_.org_id, domain::AddDays(day1, 1)));
  EXPECT_EQ(late.by_type.at("isms_policy"), (PublishedCount{.overdue = 1}));
  EXPECT_EQ(late.all, (PublishedCount{.in_date = 1, .overdue = 1}));
}

// Risks past their review are named the most overdue first, today and as of an earlier day
// (a review date changed since is put back).
TEST_F(ReadinessServiceTest, NamesTheMostOverdueFirst) {
  const std::string day1 = Today();
  const int64_t a = Insert(alice_, domain::Risks(), {{"next_review", domain::AddDays(day1, -10)}});
  const int64_t b = Insert(alice_, domain::Risks(), {{"next_review", domain::AddDays(day1, -30)}});
  const int64_t c = Insert(alice_, domain::Risks(), {{"next_review", domain::AddDays(day1, -20)}});
  EXPECT_THAT(OffenderIds(Result(Assess(alice_), "risks-reviews")),
              ::testing::ElementsAre(b, c, a));
  clock_.Advance(std::chrono::hours(48));
  Update(alice_, domain::Risks(), b, {{"next_review", domain::AddDays(day1, -5)}});
  EXPECT_THAT(OffenderIds(Result(Assess(alice_), "risks-reviews")),
              ::testing::ElementsAre(c, a, b));
  EXPECT_THAT(OffenderIds(Result(Assess(alice_, day1), "risks-reviews")),
              ::testing::ElementsAre(b, c, a));
}

// Two writes at midnight may reach the trail out of their times' order (a time is taken before
// the transaction numbers the event): a change stamped after the day, numbered before one
// stamped in the day's last minutes, is still undone.
TEST_F(ReadinessServiceTest, TimeTravelUndoesAChangeNumberedBeforeOneOfTheDaysEnd) {
  const std::string day1 = Today();  // 2026-03-14, 09:26
  const int64_t risk = Insert(alice_, domain::Risks(), {{"owner", nullptr}});
  clock_.Advance(std::chrono::hours(15));  // 00:26 the next day
  Update(alice_, domain::Risks(), risk, {{"owner", alice_.user_id}});
  clock_.Advance(-std::chrono::minutes(30));  // 23:56 on the day, numbered after
  Update(alice_, domain::Risks(), risk, {{"title", "Renamed on the day"}});
  clock_.Advance(std::chrono::hours(48));
  EXPECT_TRUE(Result(Assess(alice_), "6.1.2-risk-owner").passed);
  const auto then = Result(Assess(alice_, day1), "6.1.2-risk-owner");
  EXPECT_THAT(OffenderIds(then), ::testing::ElementsAre(risk));
  ASSERT_EQ(then.offenders.size(), 1u);
  EXPECT_EQ(then.offenders[0].title, "Renamed on the day");  // the day's own change stays
}

TEST_F(ReadinessServiceTest, TimeTravelSeesTheSoaAsDecidedAndApprovedThen) {
  const std::string day1 = Today();
  ASSERT_THAT(services_->soa.Update(alice_, "5.1", 0,
                                    {{"applicable", false}, {"justification", "Not ours."}}),
              IsOk());
  clock_.Advance(std::chrono::hours(48));
  ASSERT_THAT(services_->soa.Update(alice_, "5.1", 1,
                                    {{"applicable", true}, {"reasons", {"risk_treatment"}}}),
              IsOk());
  ASSERT_THAT(services_->soa.Update(alice_, "5.2", 0,
                                    {{"applicable", true}, {"reasons", {"risk_treatment"}}}),
              IsOk());
  const auto now = Assess(alice_);
  EXPECT_EQ(Result(now, "6.1.3-soa-decided").count, 91);
  EXPECT_EQ(Result(now, "6.1.3-soa-covered").count, 2);
  const auto then = Assess(alice_, day1);
  EXPECT_EQ(Result(then, "6.1.3-soa-decided").count, 92);
  EXPECT_TRUE(Result(then, "6.1.3-soa-covered").passed);  // 5.1 was excluded then
}

TEST_F(ReadinessServiceTest, RefusesADayThatIsNotADateOrIsAfterToday) {
  auto bad = services_->readiness.Assess(alice_, "2026-02-30");
  EXPECT_THAT(bad, test::StatusIs(Code::kInvalidArgument, "as_of"));
  auto future = services_->readiness.Assess(alice_, domain::AddDays(Today(), 1));
  EXPECT_THAT(future, test::StatusIs(Code::kInvalidArgument, "as_of"));
  // Today given as such is today's readiness.
  EXPECT_FALSE(Assess(alice_, Today()).historical);
}

TEST_F(ReadinessServiceTest, KeepsTheFirstAssessmentOfEachDay) {
  Assess(alice_);
  Insert(alice_, domain::ContextIssues(), {{"status", "active"}});
  Assess(alice_);  // the day is kept already
  auto history = services_->readiness.History(alice_);
  ASSERT_THAT(history, IsOk());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].day, Today());
  const int before = (*history)[0].summary["groups"]["4"].get<int>();  // before the issue
  // The scheduler's pass keeps the day of organisations nobody looked at.
  const Principal globex = Globex();
  auto kept = services_->readiness.RecordDay();
  ASSERT_THAT(kept, IsOk());
  EXPECT_EQ(*kept, 1);
  clock_.Advance(std::chrono::hours(24));
  Assess(alice_);
  history = services_->readiness.History(alice_);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].summary["groups"]["4"].get<int>(), before);  // the first one stands
  EXPECT_GT((*history)[1].summary["groups"]["4"].get<int>(), before);
  // Another organisation's history is its own.
  auto other = services_->readiness.History(globex);
  ASSERT_THAT(other, IsOk());
  ASSERT_EQ(other->size(), 1u);
}

TEST_F(ReadinessServiceTest, StatementsDoNotGrowWithTheRecords) {
  for (int i = 0; i < 3; ++i) Insert(alice_, domain::Risks(), {{"owner", nullptr}});
  Assess(alice_);                                         // the day is kept
  Insert(alice_, domain::Risks(), {{"owner", nullptr}});  // a change: assessed afresh
  uint64_t before = store_->StatementCount();
  Assess(alice_);
  const uint64_t few = store_->StatementCount() - before;
  for (int i = 0; i < 60; ++i) Insert(alice_, domain::Risks(), {{"owner", nullptr}});
  before = store_->StatementCount();
  Assess(alice_);
  EXPECT_EQ(store_->StatementCount() - before, few);
  EXPECT_LE(few, 170u);
}

TEST_F(ReadinessServiceTest, TodaysReadinessIsKeptUntilARecordChangesOrTheDayEnds) {
  const int64_t risk = Insert(alice_, domain::Risks(), {{"owner", nullptr}});
  EXPECT_FALSE(Result(Assess(alice_), "6.1.2-risk-owner").passed);
  // Nothing changed: one statement (the newest change) answers.
  uint64_t before = store_->StatementCount();
  EXPECT_FALSE(Result(Assess(alice_), "6.1.2-risk-owner").passed);
  EXPECT_EQ(store_->StatementCount() - before, 1u);
  // A change of any record read: assessed afresh.
  Update(alice_, domain::Risks(), risk, {{"owner", alice_.user_id}});
  EXPECT_TRUE(Result(Assess(alice_), "6.1.2-risk-owner").passed);
  // A decision in the SoA too.
  EXPECT_EQ(Result(Assess(alice_), "6.1.3-soa-decided").count, 93);
  ASSERT_THAT(services_->soa.Update(alice_, "5.1", 0,
                                    {{"applicable", true}, {"reasons", {"risk_treatment"}}}),
              IsOk());
  EXPECT_EQ(Result(Assess(alice_), "6.1.3-soa-decided").count, 92);
  // A new day: a review due today is overdue tomorrow, without any change.
  Update(alice_, domain::Risks(), risk, {{"next_review", Today()}});
  EXPECT_TRUE(Result(Assess(alice_), "risks-reviews").passed);
  clock_.Advance(std::chrono::hours(24));
  EXPECT_FALSE(Result(Assess(alice_), "risks-reviews").passed);
}

TEST_F(ReadinessServiceTest, NamesOnlyTheOrganisationsOwnRecords) {
  const Principal globex = Globex();
  const int64_t theirs = Insert(globex, domain::Risks(), {{"owner", nullptr}});
  const auto mine = Result(Assess(alice_), "6.1.2-risk-owner");
  EXPECT_TRUE(mine.passed);
  EXPECT_THAT(OffenderIds(Result(Assess(globex), "6.1.2-risk-owner")),
              ::testing::ElementsAre(theirs));
  // Nor in the past.
  clock_.Advance(std::chrono::hours(48));
  Update(globex, domain::Risks(), theirs, {{"owner", globex.user_id}});
  EXPECT_TRUE(Result(Assess(alice_, domain::AddDays(Today(), -1)), "6.1.2-risk-owner").passed);
}

TEST_F(ReadinessServiceTest, NeedsReadingRecords) {
  Principal staff = alice_;
  staff.role = domain::Role::kStaff;
  EXPECT_THAT(services_->readiness.Assess(staff), test::StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(services_->readiness.History(staff), test::StatusIs(Code::kPermissionDenied));
}

}  // namespace
}  // namespace rampart::app
