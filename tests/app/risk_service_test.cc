// Risk levels under the methodology in force, re-evaluation on approval, acceptance (who may,
// the frozen snapshot, staleness) and assessment cycles.
#include "app/risk_service.h"

#include <gmock/gmock.h>

#include <algorithm>

#include "app/app_fixture.h"
#include "app/services.h"
#include "domain/risk.h"

namespace rampart::app {
namespace {

using domain::Json;
using test::IsOk;
using test::StatusIs;

class RiskServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    services_ = std::make_unique<Services>(*store_, clock_);
    owner_ = Member("olive", domain::Role::kContributor);
    executive_ = Member("ed", domain::Role::kExecutive);
    viewer_ = Member("vic", domain::Role::kViewer);
  }

  Principal Member(const std::string& name, domain::Role role) {
    auto added = services_->members.AddUser(
        "Acme", NewMember{.username = name, .role = role, .password = "a long passphrase 1"});
    EXPECT_THAT(added, IsOk());
    Principal p = alice_;
    p.user_id = added.ok() ? added->user.id : 0;
    p.username = name;
    p.role = role;
    return p;
  }

  Result<domain::Record> NewRisk(Json fields) {
    fields["title"] = "Laptop theft";
    fields["owner"] = owner_.user_id;
    return services_->registers.Create(alice_, domain::Risks(), fields);
  }

  std::unique_ptr<Services> services_;
  Principal owner_, executive_, viewer_;
};

// Deleting a record others refer to is refused with their names (it used to say only "referred
// to by 1 asset and 1 risk").
TEST_F(RiskServiceTest, ARefusedDeleteNamesTheRecordsThatReferToIt) {
  auto& registers = services_->registers;
  auto site =
      registers.Create(alice_, domain::Assets(), {{"name", "Data centre"}, {"type", "service"}});
  ASSERT_THAT(site, IsOk());
  ASSERT_THAT(registers.Create(alice_, domain::Assets(),
                               {{"name", "Server cluster"},
                                {"type", "service"},
                                {"depends_on", Json::array({site->id})}}),
              IsOk());
  auto risk = NewRisk({{"assets", Json::array({site->id})}});
  ASSERT_THAT(risk, IsOk());
  const Status refused = registers.Delete(alice_, domain::Assets(), site->id, site->version);
  EXPECT_THAT(refused, StatusIs(Code::kFailedPrecondition));
  EXPECT_EQ(refused.message(),
            "Asset " + std::to_string(site->id) +
                " is referred to by 1 asset (\"Server cluster\") and 1 risk (\"Laptop theft\"); "
                "remove those references first (or retire it)");
  auto referring = registers.ReferringRecords(alice_, domain::Assets(), site->id);
  ASSERT_THAT(referring, IsOk());
  ASSERT_EQ(referring->size(), 2u);
  EXPECT_EQ((*referring)[1].spec, &domain::Risks());
  EXPECT_EQ((*referring)[1].records.at(0), std::make_pair(risk->id, std::string("Laptop theft")));
  // Seven risks: five named, "and 2 more".
  for (int i = 0; i < 6; ++i) ASSERT_THAT(NewRisk({{"assets", Json::array({site->id})}}), IsOk());
  const Status many = registers.Delete(alice_, domain::Assets(), site->id, site->version);
  EXPECT_NE(many.message().find("7 risks (\"Laptop theft\", \"Laptop theft\", \"Laptop theft\", "
                                "\"Laptop theft\", \"Laptop theft\" and 2 more)"),
            std::string::npos)
      << many.message();
}

// An asset's dependencies never loop: not onto itself, not back through other assets.
TEST_F(RiskServiceTest, AnAssetNeverDependsOnItselfDirectlyOrThroughOthers) {
  auto& registers = services_->registers;
  auto asset = [&](const std::string& name, Json depends) {
    auto a = registers.Create(alice_, domain::Assets(),
                              {{"name", name}, {"type", "service"}, {"depends_on", depends}});
    EXPECT_THAT(a, IsOk());
    return a.ok() ? a->id : 0;
  };
  const int64_t site = asset("Data centre", Json::array());
  const int64_t servers = asset("Server cluster", {site});
  const int64_t erp = asset("ERP", {servers});
  auto update = [&](int64_t id, Json depends, std::vector<domain::FieldError>* errors) {
    auto current = registers.Get(alice_, domain::Assets(), id);
    EXPECT_THAT(current, IsOk());
    return registers.Update(alice_, domain::Assets(), id, current->version,
                            {{"depends_on", std::move(depends)}}, UpdateMode::kMerge, errors);
  };
  std::vector<domain::FieldError> errors;
  auto refused = [&](int64_t id, Json depends, const std::string& says) {
    auto r = update(id, std::move(depends), &errors);
    EXPECT_THAT(r, StatusIs(Code::kInvalidArgument, "depends_on"));
    EXPECT_THAT(r.status().message(), ::testing::HasSubstr(says));
  };
  refused(site, {site}, "Depends on: this asset cannot name itself");
  refused(site, {erp},
          "Depends on: asset \"ERP\" already depends on this one, directly or "
          "through others: that would make a loop");
  refused(site, {servers}, "asset \"Server cluster\" already depends on this one");
  // Nothing changed; a dependency that does not loop is fine, also where paths meet.
  EXPECT_EQ(registers.Get(alice_, domain::Assets(), site)->fields["depends_on"], nullptr);
  const int64_t power = asset("Power supply", Json::array());
  EXPECT_THAT(update(site, {power}, &errors), IsOk());
  EXPECT_THAT(update(erp, {servers, site}, &errors), IsOk());
  // Replacing a record's own list: the old links do not count against the new ones.
  EXPECT_THAT(update(servers, {power}, &errors), IsOk());
  EXPECT_THAT(update(site, {power, servers}, &errors), IsOk());
}

TEST_F(RiskServiceTest, LevelsComeFromTheMethodologyInForceAndRatingsStayOnItsScales) {
  auto risk = NewRisk({{"inherent_likelihood", 5},
                       {"inherent_impact", 4},
                       {"residual_likelihood", 2},
                       {"residual_impact", 2}});
  ASSERT_THAT(risk, IsOk());
  EXPECT_EQ(risk->fields["inherent_level"], "Critical");  // 20 > 15 under the default
  EXPECT_EQ(risk->fields["residual_level"], "Low");       // 4 <= 4
  // The next review defaults from the interval (12 months) after today.
  EXPECT_EQ(risk->fields["next_review"], AddMonths(FormatDate(clock_.Now()), 12));
  std::vector<domain::FieldError> errors;
  auto six = services_->registers.Create(
      alice_, domain::Risks(), {{"title", "x"}, {"inherent_likelihood", 6}, {"inherent_impact", 1}},
      &errors);
  EXPECT_THAT(six, StatusIs(Code::kInvalidArgument, "inherent_likelihood"));
}

// The refusal states the range of the methodology in force, not the widest any could have
// (it said "1 to 6" on a 5-level scale: issue 12 B1).
TEST_F(RiskServiceTest, ARatingOutsideTheScaleIsRefusedWithTheMethodologysRange) {
  auto refused = [&](const Json& ratings) {
    Json in = ratings;
    in["title"] = "Laptop theft";
    auto r = services_->registers.Create(alice_, domain::Risks(), in);
    EXPECT_THAT(r, StatusIs(Code::kInvalidArgument));
    return r.ok() ? std::string() : r.status().field() + ": " + r.status().message();
  };
  const std::string none = "under the default methodology (none is approved yet)";
  EXPECT_EQ(refused({{"inherent_likelihood", 6}, {"inherent_impact", 1}}),
            "inherent_likelihood: likelihood is from 1 to 5 " + none);
  EXPECT_EQ(refused({{"inherent_likelihood", 1}, {"inherent_impact", 7}}),
            "inherent_impact: impact is from 1 to 5 " + none);  // beyond every scale
  EXPECT_EQ(refused({{"inherent_likelihood", 0}, {"inherent_impact", 1}}),
            "inherent_likelihood: likelihood is from 1 to 5 " + none);
  // An approved methodology with a 4-level likelihood scale.
  Json fields = domain::DefaultMethodologyFields();
  fields["title"] = "Four likelihoods";
  fields["likelihood_scale"].erase(fields["likelihood_scale"].size() - 1);
  fields["risk_levels"][0]["max_score"] = 3;
  auto draft = services_->registers.Create(alice_, domain::RiskMethodologies(), fields);
  ASSERT_THAT(draft, IsOk());
  ASSERT_THAT(services_->versions.Approve(executive_, domain::RiskMethodologies(), draft->id,
                                          draft->version),
              IsOk());
  EXPECT_EQ(refused({{"residual_likelihood", 5},
                     {"residual_impact", 1},
                     {"inherent_likelihood", 4},
                     {"inherent_impact", 4}}),
            "residual_likelihood: likelihood is from 1 to 4 under the approved methodology");
}

// Levels sort by the methodology's order (lowest first), not by name: the list used to give
// Medium, Medium, High, Critical for -inherent_level (issue 12 B2). Approval keeps the order
// when a level keeps its name but moves.
TEST_F(RiskServiceTest, LevelsSortByTheMethodologysOrderAlsoAfterApproval) {
  for (const auto& [l, i] : std::vector<std::pair<int, int>>{{3, 3}, {5, 5}, {1, 1}, {4, 3}}) {
    ASSERT_THAT(NewRisk({{"inherent_likelihood", l}, {"inherent_impact", i}}), IsOk());
  }
  ASSERT_THAT(NewRisk({}), IsOk());  // unrated
  auto levels = [&](bool descending) {
    domain::ListQuery q;
    q.sort = "inherent_level";
    q.descending = descending;
    auto page = services_->registers.List(alice_, domain::Risks(), q);
    EXPECT_THAT(page, IsOk());
    std::vector<std::string> out;
    for (const auto& r : page->records) {
      out.push_back(r.fields["inherent_level"].is_null() ? "-" : r.fields["inherent_level"]);
    }
    return out;
  };
  EXPECT_EQ(levels(true), (std::vector<std::string>{"Critical", "High", "Medium", "Low", "-"}));
  EXPECT_EQ(levels(false), (std::vector<std::string>{"-", "Low", "Medium", "High", "Critical"}));
  // A methodology whose levels keep their names in a different place: a new lowest level
  // "Negligible" (scores up to 2) moves Low from first to second.
  Json fields = domain::DefaultMethodologyFields();
  fields["title"] = "Five levels";
  Json negligible = fields["risk_levels"][0];
  negligible["name"] = "Negligible";
  negligible["max_score"] = 1;
  fields["risk_levels"].insert(fields["risk_levels"].begin(), negligible);
  auto draft = services_->registers.Create(alice_, domain::RiskMethodologies(), fields);
  ASSERT_THAT(draft, IsOk());
  ASSERT_THAT(services_->versions.Approve(executive_, domain::RiskMethodologies(), draft->id,
                                          draft->version),
              IsOk());
  ASSERT_THAT(NewRisk({{"inherent_likelihood", 2}, {"inherent_impact", 2}}), IsOk());  // Low, 4
  EXPECT_EQ(levels(true),
            (std::vector<std::string>{"Critical", "High", "Medium", "Low", "Negligible", "-"}));
}

TEST_F(RiskServiceTest, ApprovingAMethodologyReevaluatesEveryRiskWithAnEventEach) {
  auto risk = NewRisk({{"inherent_likelihood", 3}, {"inherent_impact", 3}});
  ASSERT_THAT(risk, IsOk());
  EXPECT_EQ(risk->fields["inherent_level"], "Medium");  // 9 under the default
  // A stricter draft: medium ends at 6.
  Json fields = domain::DefaultMethodologyFields();
  fields["title"] = "Stricter";
  fields["risk_levels"][1]["max_score"] = 6;
  auto draft = services_->registers.Create(alice_, domain::RiskMethodologies(), fields);
  ASSERT_THAT(draft, IsOk());
  EXPECT_THAT(
      services_->versions.Approve(viewer_, domain::RiskMethodologies(), draft->id, draft->version),
      StatusIs(Code::kPermissionDenied));
  auto approved = services_->versions.Approve(executive_, domain::RiskMethodologies(), draft->id,
                                              draft->version);
  ASSERT_THAT(approved, IsOk());
  EXPECT_EQ(approved->fields["status"], "approved");
  auto after = services_->registers.Get(alice_, domain::Risks(), risk->id);
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->fields["inherent_level"], "High");
  const auto events = Events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().action, "re-evaluate");
  EXPECT_EQ(events.back().record_id, risk->id);
  EXPECT_EQ(events.back().diff["inherent_level"]["from"], "Medium");
  EXPECT_EQ(events.back().diff["inherent_level"]["to"], "High");
  // A cell set by hand overrides the score rule; one that makes a level fall as ratings rise
  // is refused.
  auto small = NewRisk({{"inherent_likelihood", 2}, {"inherent_impact", 2}});
  ASSERT_THAT(small, IsOk());
  EXPECT_EQ(small->fields["inherent_level"], "Low");
  auto next = services_->versions.NewDraft(alice_, domain::RiskMethodologies(), approved->id);
  ASSERT_THAT(next, IsOk());
  Json cells = next->fields;
  cells["matrix_cells"] = Json::array({{{"likelihood", 3}, {"impact", 3}, {"level", "Critical"}}});
  EXPECT_THAT(services_->registers.Update(alice_, domain::RiskMethodologies(), next->id,
                                          next->version, cells, UpdateMode::kReplace),
              StatusIs(Code::kInvalidArgument, "matrix_cells"));
  cells["matrix_cells"] = Json::array({{{"likelihood", 2}, {"impact", 2}, {"level", "Medium"}}});
  auto edited = services_->registers.Update(alice_, domain::RiskMethodologies(), next->id,
                                            next->version, cells, UpdateMode::kReplace);
  ASSERT_THAT(edited, IsOk());
  ASSERT_THAT(services_->versions.Approve(executive_, domain::RiskMethodologies(), next->id,
                                          edited->version),
              IsOk());
  EXPECT_EQ(services_->registers.Get(alice_, domain::Risks(), small->id)->fields["inherent_level"],
            "Medium");
}

TEST_F(RiskServiceTest, OnlyTheOwnerForALowLevelOrARoleTheCriteriaNameMayAccept) {
  auto low = NewRisk({{"inherent_likelihood", 2},
                      {"inherent_impact", 2},
                      {"treatment", "retain"},
                      {"status", "analysed"}});
  ASSERT_THAT(low, IsOk());
  EXPECT_THAT(services_->risks.Accept(viewer_, low->id, low->version, {}),
              StatusIs(Code::kPermissionDenied));
  auto accepted = services_->risks.Accept(owner_, low->id, low->version, {.comment = "fine"});
  ASSERT_THAT(accepted, IsOk());
  EXPECT_EQ(accepted->fields["decision"], "accepted");
  EXPECT_EQ(accepted->fields["level"], "Low");
  const Json snapshot = Json::parse(accepted->fields["snapshot"].get<std::string>());
  EXPECT_EQ(snapshot["fields"]["title"], "Laptop theft");
  EXPECT_EQ(snapshot["risk_version"], low->version);

  auto high = NewRisk({{"inherent_likelihood", 5},
                       {"inherent_impact", 5},
                       {"treatment", "retain"},
                       {"status", "analysed"}});
  ASSERT_THAT(high, IsOk());
  auto denied = services_->risks.Accept(owner_, high->id, high->version, {});
  EXPECT_THAT(denied, StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(denied.status().message(), ::testing::HasSubstr("Critical"));
  EXPECT_THAT(services_->risks.Accept(executive_, high->id, high->version, {}), IsOk());
  // Not ready: no treatment option chosen.
  auto unready = NewRisk({{"inherent_likelihood", 1}, {"inherent_impact", 1}});
  ASSERT_THAT(unready, IsOk());
  EXPECT_THAT(services_->risks.Accept(owner_, unready->id, unready->version, {}),
              StatusIs(Code::kInvalidArgument, "treatment"));
  // A stale version is refused.
  EXPECT_THAT(services_->risks.Accept(executive_, unready->id, unready->version + 1, {}),
              StatusIs(Code::kConflict));
}

// What the risk's page asks before offering the decision is what Accept decides (issue 12 B5).
TEST_F(RiskServiceTest, WhoMayDecideIsAskedByTheRuleAcceptApplies) {
  auto low = NewRisk({{"inherent_likelihood", 2},
                      {"inherent_impact", 2},
                      {"treatment", "retain"},
                      {"status", "analysed"}});
  auto high = NewRisk({{"inherent_likelihood", 5},
                       {"inherent_impact", 5},
                       {"treatment", "retain"},
                       {"status", "analysed"}});
  auto unready = NewRisk({{"inherent_likelihood", 1}, {"inherent_impact", 1}});
  ASSERT_THAT(low, IsOk());
  ASSERT_THAT(high, IsOk());
  ASSERT_THAT(unready, IsOk());
  auto& risks = services_->risks;
  EXPECT_THAT(risks.CheckMayDecide(owner_, *low), IsOk());
  EXPECT_THAT(risks.CheckMayDecide(executive_, *low), IsOk());
  EXPECT_THAT(risks.CheckMayDecide(viewer_, *low), StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(risks.CheckMayDecide(alice_, *low), StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(risks.CheckMayDecide(owner_, *high), StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(risks.CheckMayDecide(executive_, *high), IsOk());
  EXPECT_THAT(risks.CheckMayDecide(executive_, *unready),
              StatusIs(Code::kInvalidArgument, "treatment"));
  Principal token = executive_;
  token.read_only = true;
  EXPECT_THAT(risks.CheckMayDecide(token, *high), StatusIs(Code::kPermissionDenied));
  // And Accept agrees.
  EXPECT_THAT(risks.Accept(alice_, low->id, low->version, {}), StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(risks.Accept(owner_, high->id, high->version, {}), StatusIs(Code::kPermissionDenied));
}

// A treatment action's owner sets its status and nothing else; the risk's owner sets any.
TEST_F(RiskServiceTest, ATreatmentActionsOwnerSetsOnlyItsStatus) {
  const Principal doer = Member("dora", domain::Role::kContributor);
  auto risk = NewRisk(
      {{"treatment", "modify"},
       {"inherent_likelihood", 3},
       {"inherent_impact", 3},
       {"status", "treatment_planned"},
       {"actions",
        Json::array({{{"action", "Patch servers"}, {"owner", doer.user_id}, {"status", "open"}},
                     {{"action", "Buy a safe"}, {"status", "open"}}})}});
  ASSERT_THAT(risk, IsOk());
  auto& risks = services_->risks;
  EXPECT_THAT(risks.UpdateTreatmentActionStatus(doer, risk->id, 1, risk->version, "done"),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(risks.UpdateTreatmentActionStatus(viewer_, risk->id, 0, risk->version, "done"),
              StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(risks.UpdateTreatmentActionStatus(doer, risk->id, 2, risk->version, "done"),
              StatusIs(Code::kNotFound, "row"));
  EXPECT_THAT(risks.UpdateTreatmentActionStatus(doer, risk->id, 0, risk->version, "over"),
              StatusIs(Code::kInvalidArgument, "status"));
  EXPECT_THAT(risks.UpdateTreatmentActionStatus(doer, risk->id, 0, std::nullopt, "done"),
              StatusIs(Code::kPreconditionRequired));
  EXPECT_THAT(services_->registers.Update(doer, domain::Risks(), risk->id, risk->version,
                                          {{"title", "Taken"}}, UpdateMode::kMerge),
              StatusIs(Code::kPermissionDenied));
  auto done = risks.UpdateTreatmentActionStatus(doer, risk->id, 0, risk->version, "done");
  ASSERT_THAT(done, IsOk());
  EXPECT_EQ(done->version, risk->version + 1);
  EXPECT_EQ(done->fields["actions"][0]["status"], "done");
  EXPECT_EQ(done->fields["actions"][1]["status"], "open");
  EXPECT_EQ(done->fields["title"], "Laptop theft");
  auto by_owner =
      risks.UpdateTreatmentActionStatus(owner_, risk->id, 1, done->version, "cancelled");
  ASSERT_THAT(by_owner, IsOk());
  EXPECT_EQ(by_owner->fields["actions"][1]["status"], "cancelled");
  // Setting what is already set writes nothing.
  auto again = risks.UpdateTreatmentActionStatus(doer, risk->id, 0, by_owner->version, "done");
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->version, by_owner->version);
}

TEST_F(RiskServiceTest, AChangeToRatingsMakesTheAcceptanceStaleAndKeepsItInTheHistory) {
  auto risk = NewRisk({{"inherent_likelihood", 2},
                       {"inherent_impact", 2},
                       {"treatment", "retain"},
                       {"status", "analysed"}});
  ASSERT_THAT(risk, IsOk());
  ASSERT_THAT(services_->risks.Accept(owner_, risk->id, risk->version, {}), IsOk());
  auto accepted = services_->registers.Get(alice_, domain::Risks(), risk->id);
  ASSERT_THAT(accepted, IsOk());
  EXPECT_EQ(accepted->fields["acceptance"], "accepted");
  EXPECT_EQ(accepted->fields["status"], "accepted");
  // The rationale is not what was accepted: no effect.
  auto noted = services_->registers.Update(alice_, domain::Risks(), risk->id, accepted->version,
                                           {{"rationale", "Checked again"}}, UpdateMode::kMerge);
  ASSERT_THAT(noted, IsOk());
  EXPECT_EQ(noted->fields["acceptance"], "accepted");
  // A new impact is.
  auto changed = services_->registers.Update(alice_, domain::Risks(), risk->id, noted->version,
                                             {{"inherent_impact", 3}}, UpdateMode::kMerge);
  ASSERT_THAT(changed, IsOk());
  EXPECT_EQ(changed->fields["acceptance"], "stale");
  EXPECT_EQ(changed->fields["status"], "analysed");
  // Accepted directly by editing: refused.
  auto direct = services_->registers.Update(alice_, domain::Risks(), risk->id, changed->version,
                                            {{"status", "accepted"}}, UpdateMode::kMerge);
  EXPECT_THAT(direct, StatusIs(Code::kInvalidArgument, "status"));
  domain::ListQuery q;
  q.filters.push_back({"risk", risk->id});
  auto history = services_->registers.List(alice_, domain::RiskAcceptances(), q);
  ASSERT_THAT(history, IsOk());
  EXPECT_EQ(history->records.size(), 1u);
  // Accepting again adds a second decision.
  ASSERT_THAT(services_->risks.Accept(owner_, risk->id, changed->version, {}), IsOk());
  EXPECT_EQ(services_->registers.List(alice_, domain::RiskAcceptances(), q)->records.size(), 2u);
}

TEST_F(RiskServiceTest, ACycleRecordsReviewsAndClosesWithASummary) {
  auto risk = NewRisk({{"inherent_likelihood", 2}, {"inherent_impact", 2}});
  ASSERT_THAT(risk, IsOk());
  auto cycle =
      services_->registers.Create(alice_, domain::RiskAssessments(),
                                  {{"title", "2026 reassessment"}, {"started", "2026-11-01"}});
  ASSERT_THAT(cycle, IsOk());
  EXPECT_THAT(services_->risks.RecordReview(alice_, cycle->id, risk->id, ""),
              StatusIs(Code::kInvalidArgument, "changes"));
  auto reviewed = services_->risks.RecordReview(alice_, cycle->id, risk->id, "No change");
  ASSERT_THAT(reviewed, IsOk());
  ASSERT_EQ(reviewed->fields["reviews"].size(), 1u);
  EXPECT_EQ(reviewed->fields["reviews"][0]["risk"], risk->id);
  const std::string today = FormatDate(clock_.Now());
  auto after = services_->registers.Get(alice_, domain::Risks(), risk->id);
  EXPECT_EQ(after->fields["last_assessed"], today);
  EXPECT_EQ(after->fields["next_review"], AddMonths(today, 12));
  EXPECT_THAT(services_->risks.CloseCycle(alice_, cycle->id, reviewed->version, ""),
              StatusIs(Code::kInvalidArgument, "summary"));
  auto closed = services_->risks.CloseCycle(alice_, cycle->id, reviewed->version, "All reviewed");
  ASSERT_THAT(closed, IsOk());
  EXPECT_EQ(closed->fields["status"], "closed");
  EXPECT_EQ(closed->fields["closed_on"], today);
  EXPECT_THAT(services_->risks.RecordReview(alice_, cycle->id, risk->id, "late"),
              StatusIs(Code::kFailedPrecondition));
}

TEST_F(RiskServiceTest, HeatMapCountsRisksPerCellInTwoStatements) {
  ASSERT_THAT(NewRisk({{"inherent_likelihood", 5}, {"inherent_impact", 4}}), IsOk());
  ASSERT_THAT(NewRisk({{"inherent_likelihood", 5}, {"inherent_impact", 4}}), IsOk());
  ASSERT_THAT(NewRisk({}), IsOk());
  const uint64_t before = store_->StatementCount();
  auto map = services_->risks.Heat(alice_, false, {});
  ASSERT_THAT(map, IsOk());
  EXPECT_EQ(store_->StatementCount() - before, 2u);
  EXPECT_EQ(map->counts[4][3], 2);
  EXPECT_EQ(map->unrated, 1);
}

// The treatment plan is paged by risk: a page of `limit` risks, each with one row per action (or
// one without an action); risks retained, only identified or closed are not in it.
TEST_F(RiskServiceTest, TheTreatmentPlanIsPagedByRiskWithEachRisksActions) {
  auto risk = [&](const std::string& title, Json fields) {
    fields["title"] = title;
    fields["owner"] = owner_.user_id;
    fields["inherent_likelihood"] = 3;
    fields["inherent_impact"] = 3;
    auto r = services_->registers.Create(alice_, domain::Risks(), fields);
    EXPECT_THAT(r, IsOk());
    return r.ok() ? r->id : 0;
  };
  const int64_t a = risk(
      "Ransomware",
      {{"status", "treatment_planned"},
       {"treatment", "modify"},
       {"actions",
        Json::array({{{"action", "Offline backups"}, {"due", "2020-01-01"}, {"status", "open"}},
                     {{"action", "EDR"}, {"due", "2999-01-01"}, {"status", "open"}}})}});
  const int64_t b = risk("Phishing", {{"status", "analysed"}});  // no option chosen yet
  risk("Flood", {{"status", "analysed"}, {"treatment", "retain"}});
  risk("Fire", {});  // identified
  const int64_t e =
      risk("Supplier failure",
           {{"status", "treated"},
            {"treatment", "share"},
            {"residual_likelihood", 2},
            {"residual_impact", 2},
            {"actions", Json::array({{{"action", "Insurance"}, {"status", "done"}}})}});
  auto& risks = services_->risks;
  domain::ListQuery q{.sort = "number", .limit = 2, .with_total = true};
  const uint64_t before = store_->StatementCount();
  auto first = risks.TreatmentPlan(alice_, q);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(store_->StatementCount() - before, 2u);  // the page and its total
  ASSERT_EQ(first->rows.size(), 3u);
  EXPECT_EQ(first->rows[0].risk.id, a);
  EXPECT_EQ(first->rows[0].action["action"], "Offline backups");
  EXPECT_TRUE(first->rows[0].overdue);
  EXPECT_EQ(first->rows[1].action["action"], "EDR");
  EXPECT_FALSE(first->rows[1].overdue);
  EXPECT_EQ(first->rows[2].risk.id, b);
  EXPECT_TRUE(first->rows[2].action.is_null());
  EXPECT_EQ(first->risks, 3);
  EXPECT_TRUE(first->prev_cursor.empty());
  ASSERT_FALSE(first->next_cursor.empty());

  q.cursor = first->next_cursor;
  auto second = risks.TreatmentPlan(alice_, q);
  ASSERT_THAT(second, IsOk());
  ASSERT_EQ(second->rows.size(), 1u);
  EXPECT_EQ(second->rows[0].risk.id, e);
  EXPECT_EQ(second->rows[0].action["action"], "Insurance");
  EXPECT_TRUE(second->next_cursor.empty());
  EXPECT_FALSE(second->prev_cursor.empty());

  // The list's filters and search narrow the plan; a status outside it finds nothing.
  auto treated = risks.TreatmentPlan(alice_, {.filters = {{"status", "treated"}}});
  ASSERT_THAT(treated, IsOk());
  ASSERT_EQ(treated->rows.size(), 1u);
  EXPECT_EQ(treated->rows[0].risk.id, e);
  auto searched = risks.TreatmentPlan(alice_, {.search = "phish"});
  ASSERT_THAT(searched, IsOk());
  ASSERT_EQ(searched->rows.size(), 1u);
  EXPECT_EQ(searched->rows[0].risk.id, b);
  auto closed = risks.TreatmentPlan(alice_, {.filters = {{"status", "identified"}}});
  ASSERT_THAT(closed, IsOk());
  EXPECT_TRUE(closed->rows.empty());
  EXPECT_THAT(risks.TreatmentPlan(alice_, {.sort = "colour"}),
              StatusIs(Code::kInvalidArgument, "sort"));

  // The export holds the whole plan, one row per action, in the query's order.
  auto csv = risks.ExportTreatmentPlan(alice_, "csv", {.sort = "number"});
  ASSERT_THAT(csv, IsOk());
  EXPECT_THAT(*csv, ::testing::StartsWith("risk_number,risk,risk_owner,"));
  EXPECT_EQ(std::count(csv->begin(), csv->end(), '\n'), 5);  // the header and 4 rows
  EXPECT_THAT(*csv, ::testing::HasSubstr(",Ransomware,olive,"));
  EXPECT_THAT(*csv, ::testing::HasSubstr(",Offline backups,,2020-01-01,open,yes\r\n"));
  EXPECT_THAT(*csv, ::testing::Not(::testing::HasSubstr("Flood")));
  EXPECT_THAT(*csv, ::testing::Not(::testing::HasSubstr("Fire")));
  EXPECT_LT(csv->find("Ransomware"), csv->find("Supplier failure"));
  auto none = risks.ExportTreatmentPlan(alice_, "csv", {.search = "nothing like it"});
  ASSERT_THAT(none, IsOk());
  EXPECT_EQ(*none,
            "risk_number,risk,risk_owner,inherent_level,residual_level,treatment,risk_status,"
            "action,action_owner,due,action_status,overdue\r\n");
  EXPECT_THAT(risks.ExportTreatmentPlan(alice_, "pdf", {}),
              StatusIs(Code::kInvalidArgument, "format"));
}

}  // namespace
}  // namespace rampart::app
