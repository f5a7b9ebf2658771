// Readiness (issue 15): the registry of checks, the filters they resolve to, the in-memory
// matching that time travel relies on, the rules, the summary, and undoing changes.
#include "domain/readiness.h"

#include <gtest/gtest.h>

#include <set>

#include "domain/annex_a.h"
#include "domain/documents.h"
#include "domain/internal_audit.h"
#include "domain/leadership.h"
#include "domain/registers.h"
#include "domain/risk.h"

namespace rampart::domain {
namespace {

const ReadinessCheck& Check(std::string_view id) {
  const ReadinessCheck* c = FindReadinessCheck(id);
  if (c == nullptr) std::abort();
  return *c;
}

TEST(ReadinessChecks, AreAtLeastSixtyWithUniqueIdsInTheOrderOfTheStandard) {
  const auto& all = ReadinessChecks();
  EXPECT_GE(all.size(), 60u);
  std::set<std::string> ids;
  for (const auto& c : all) {
    EXPECT_TRUE(ids.insert(c.id).second) << "duplicate id " << c.id;
    EXPECT_FALSE(c.title.empty()) << c.id;
    EXPECT_FALSE(c.looks_at.empty()) << c.id;
    EXPECT_FALSE(c.fix.empty()) << c.id;
    EXPECT_EQ(c.fix_href.rfind('/', 0), 0u) << c.id << " fix_href " << c.fix_href;
  }
  // Clauses first, by number (10 after 9), Annex A last.
  EXPECT_EQ(all.front().clause.substr(0, 2), "4.");
  EXPECT_EQ(ReadinessGroup(all.back()), "A");
  const auto nine = std::find_if(all.begin(), all.end(), [](auto& c) { return c.clause == "9.3"; });
  const auto ten = std::find_if(all.begin(), all.end(), [](auto& c) { return c.clause == "10.2"; });
  EXPECT_LT(nine - all.begin(), ten - all.begin());
}

TEST(ReadinessChecks, QueryChecksFilterOnlyFieldsTheirRegisterFilters) {
  ReadinessFacts facts;
  facts.levels_to_treat = {"High"};
  for (const auto& c : ReadinessChecks()) {
    if (c.expect == Expect::kRule) {
      EXPECT_EQ(c.spec, nullptr) << c.id;
      EXPECT_NE(c.rule, Rule::kNone) << c.id;
      continue;
    }
    ASSERT_NE(c.spec, nullptr) << c.id;
    for (const auto& f : ReadinessFilters(c, facts, "2026-03-14")) {
      const FieldSpec* fs = c.spec->Field(f.field);
      ASSERT_NE(fs, nullptr) << c.id << " filters " << f.field;
      EXPECT_TRUE(fs->filterable) << c.id << " filters " << f.field;
      if (f.match != Filter::Match::kEquals) {
        EXPECT_EQ(fs->type, FieldType::kDate) << c.id << " compares " << f.field;
      }
    }
  }
}

TEST(ReadinessChecks, CoverEveryClauseFromFourToTenAndTheAnnex) {
  std::set<std::string> groups;
  for (const auto& c : ReadinessChecks()) groups.insert(ReadinessGroup(c));
  EXPECT_EQ(groups, (std::set<std::string>{"4", "5", "6", "7", "8", "9", "10", "A"}));
}

TEST(ReadinessChecks, GenerateAReviewCheckForEveryRegisterWithAReviewDate) {
  for (const auto* spec : AllRegisters()) {
    const FieldSpec* next = spec->Field("next_review");
    if (next == nullptr || !next->filterable) continue;
    const ReadinessCheck* c = FindReadinessCheck(spec->path + "-reviews");
    ASSERT_NE(c, nullptr) << spec->path;
    EXPECT_EQ(c->spec, spec);
    EXPECT_EQ(c->expect, Expect::kNone);
  }
  EXPECT_EQ(Check("risks-reviews").severity, Severity::kMajor);
  EXPECT_EQ(Check("objectives-due").severity, Severity::kMajor);
  // Nonconformities have their own due checks, by grade.
  EXPECT_EQ(FindReadinessCheck("nonconformities-due"), nullptr);
}

// Offenders past a date are named the most overdue first; others by id.
TEST(OffenderOrder, IsTheDatePassedWhenItSortsElseTheId) {
  EXPECT_EQ(OffenderOrder(Check("risks-reviews")), "next_review");
  EXPECT_EQ(OffenderOrder(Check("6.1.2-risk-owner")), "id");
  EXPECT_EQ(OffenderOrder(Check("4.3-scope-approved")), "id");
  EXPECT_EQ(OffenderOrder(Check("10.2-major-overdue")), "action_due");
}

TEST(ReadinessFilters, ResolveOpenStatesDaysAndLevels) {
  ReadinessFacts facts;
  facts.levels_to_treat = {"High", "Critical"};
  const auto risk = ReadinessFilters(Check("6.1.3-risk-treated"), facts, "2026-03-14");
  ASSERT_EQ(risk.size(), 2u);
  EXPECT_EQ(risk[1].field, "inherent_level");
  EXPECT_EQ(risk[1].value, Json::array({"High", "Critical"}));

  const auto reviews = ReadinessFilters(Check("risks-reviews"), facts, "2026-03-14");
  ASSERT_EQ(reviews.size(), 2u);
  EXPECT_EQ(reviews[0].field, "status");
  EXPECT_EQ(reviews[0].value,
            Json::array({"identified", "analysed", "treatment_planned", "treated", "accepted"}));
  EXPECT_EQ(reviews[1].match, Filter::Match::kBefore);
  EXPECT_EQ(reviews[1].value, "2026-03-14");

  const auto held = ReadinessFilters(Check("9.3-review-held"), facts, "2026-03-14");
  EXPECT_EQ(held[1].field, "review_date");
  EXPECT_EQ(held[1].match, Filter::Match::kOnOrAfter);
  EXPECT_EQ(held[1].value, "2025-03-14");
  const auto triaged = ReadinessFilters(Check("A.5.24-incidents-triaged"), facts, "2026-03-14");
  EXPECT_EQ(triaged[1].value, "2026-02-12");
}

TEST(MatchesFilters, MirrorsTheStoresEqualityEmptyAnyOfListsAndDates) {
  const auto& risks = Risks();
  const Json risk = {{"status", "analysed"},
                     {"owner", nullptr},
                     {"controls", Json::array({4, 9})},
                     {"next_review", "2026-03-01"}};
  EXPECT_TRUE(MatchesFilters(risks, {{"status", "analysed"}}, risk));
  EXPECT_FALSE(MatchesFilters(risks, {{"status", "treated"}}, risk));
  EXPECT_TRUE(MatchesFilters(risks, {{"status", Json::array({"identified", "analysed"})}}, risk));
  EXPECT_TRUE(MatchesFilters(risks, {{"owner", Json()}}, risk));
  EXPECT_FALSE(MatchesFilters(risks, {{"owner", 3}}, risk));
  EXPECT_TRUE(MatchesFilters(risks, {{"controls", 9}}, risk));
  EXPECT_FALSE(MatchesFilters(risks, {{"controls", 5}}, risk));
  using M = Filter::Match;
  EXPECT_TRUE(MatchesFilters(risks, {{"next_review", "2026-03-14", M::kBefore}}, risk));
  EXPECT_FALSE(MatchesFilters(risks, {{"next_review", "2026-03-01", M::kBefore}}, risk));
  EXPECT_TRUE(MatchesFilters(risks, {{"next_review", "2026-03-01", M::kOnOrAfter}}, risk));
  // A date not set is neither before nor after.
  EXPECT_FALSE(MatchesFilters(risks, {{"last_assessed", "2026-03-14", M::kBefore}}, risk));
  EXPECT_FALSE(MatchesFilters(risks, {{"last_assessed", "2026-03-14", M::kOnOrAfter}}, risk));
  // Every filter must hold.
  EXPECT_FALSE(MatchesFilters(risks, {{"status", "analysed"}, {"owner", 3}}, risk));
}

TEST(QueryResult, FailsNamingTheOffendersOrPassesWhenSomeAreFound) {
  const auto& owner = Check("6.1.2-risk-owner");
  const auto failed = QueryResult(owner, 7, false,
                                  {{"risk", 1, "", "A"},
                                   {"risk", 2, "", "B"},
                                   {"risk", 3, "", "C"},
                                   {"risk", 4, "", "D"},
                                   {"risk", 5, "", "E"},
                                   {"risk", 6, "", "F"}});
  EXPECT_FALSE(failed.passed);
  EXPECT_EQ(failed.count, 7);
  ASSERT_EQ(failed.offenders.size(), 5u);  // the first kReadinessOffenders
  EXPECT_EQ(failed.offenders[0].id, 1);
  EXPECT_EQ(failed.detail, "7 risks: risks not closed without an owner.");
  EXPECT_EQ(OffenderHref(failed.offenders[0]), "/risks/1");
  EXPECT_TRUE(QueryResult(owner, 0, false, {}).passed);

  const auto& scope = Check("4.3-scope-approved");
  EXPECT_TRUE(QueryResult(scope, 1, false, {}).passed);
  const auto none = QueryResult(scope, 0, false, {});
  EXPECT_FALSE(none.passed);
  EXPECT_EQ(none.detail, "None found: the approved version of the ISMS scope.");
}

SoaLine Line(const std::string& id, std::optional<bool> applicable,
             std::vector<std::string> statuses = {}) {
  SoaLine l;
  l.control = FindAnnexAControl(id);
  l.entry.control_id = id;
  l.entry.applicable = applicable;
  for (size_t i = 0; i < statuses.size(); ++i) {
    l.applied_controls.push_back({.id = static_cast<int64_t>(i + 1), .status = statuses[i]});
  }
  l.derived_status = DeriveSoaStatus(statuses);
  return l;
}

TEST(ReadinessRules, SoaRulesNameTheControls) {
  ReadinessFacts f;
  f.soa = {Line("5.1", true, {"implemented"}), Line("5.2", std::nullopt), Line("5.3", true),
           Line("5.4", false), Line("5.5", true, {"not_effective"})};
  const auto decided = EvaluateRule(Check("6.1.3-soa-decided"), f);
  EXPECT_FALSE(decided.passed);
  ASSERT_EQ(decided.offenders.size(), 1u);
  EXPECT_EQ(decided.offenders[0].key, "5.2");
  EXPECT_EQ(OffenderHref(decided.offenders[0]), "/soa/5.2");

  const auto covered = EvaluateRule(Check("6.1.3-soa-covered"), f);
  ASSERT_EQ(covered.offenders.size(), 1u);
  EXPECT_EQ(covered.offenders[0].key, "5.3");
  const auto effective = EvaluateRule(Check("8.1-soa-effective"), f);
  ASSERT_EQ(effective.offenders.size(), 1u);
  EXPECT_EQ(effective.offenders[0].key, "5.5");
  const auto implemented = EvaluateRule(Check("8.1-soa-implemented"), f);
  EXPECT_EQ(implemented.count, 2);  // 5.3 (nothing applied) and 5.5

  EXPECT_FALSE(EvaluateRule(Check("6.1.3-soa-approved"), f).passed);
  f.soa_version = 2;
  f.soa_approved_at = "2026-03-10T09:00:00.000Z";
  EXPECT_TRUE(EvaluateRule(Check("6.1.3-soa-approved"), f).passed);
  f.last_risk_change = "2026-03-09T10:00:00.000Z";
  EXPECT_TRUE(EvaluateRule(Check("6.1.3-soa-current"), f).passed);
  f.last_risk_change = "2026-03-11T10:00:00.000Z";
  const auto stale = EvaluateRule(Check("6.1.3-soa-current"), f);
  EXPECT_FALSE(stale.passed);
  EXPECT_EQ(stale.detail,
            "Version 2 was approved at 2026-03-10T09:00; a risk changed at "
            "2026-03-11T10:00.");
}

Record Role(int64_t id, const std::string& status, bool top, bool held) {
  Record r;
  r.id = id;
  r.fields = {{"name", "Role " + std::to_string(id)},
              {"status", status},
              {"top_management", top},
              {"holders", held ? Json::array({{{"person", 1}}}) : Json()}};
  return r;
}

TEST(ReadinessRules, RolesNeedHoldersAndTopManagement) {
  ReadinessFacts f;
  const auto none = EvaluateRule(Check("5.3-roles-held"), f);
  EXPECT_FALSE(none.passed);
  EXPECT_EQ(none.detail, "No active ISMS role is defined.");
  f.roles = {Role(1, "active", true, true), Role(2, "active", false, false),
             Role(3, "retired", false, false)};
  const auto held = EvaluateRule(Check("5.3-roles-held"), f);
  EXPECT_FALSE(held.passed);
  ASSERT_EQ(held.offenders.size(), 1u);
  EXPECT_EQ(held.offenders[0].id, 2);
  EXPECT_EQ(OffenderHref(held.offenders[0]), "/isms-roles/2");
  EXPECT_TRUE(EvaluateRule(Check("5.3-top-management"), f).passed);
  f.roles[0].fields["holders"] = Json();
  EXPECT_FALSE(EvaluateRule(Check("5.3-top-management"), f).passed);

  Record process;
  process.id = 8;
  process.fields = {{"name", "Internal audit"}, {"status", "active"}, {"accountable", nullptr}};
  f.processes = {process};
  const auto raci = EvaluateRule(Check("5.3-raci"), f);
  ASSERT_EQ(raci.offenders.size(), 1u);
  EXPECT_EQ(raci.offenders[0].title, "Internal audit");
  f.processes[0].fields["accountable"] = 1;
  EXPECT_TRUE(EvaluateRule(Check("5.3-raci"), f).passed);
}

TEST(ReadinessRules, MandatoryCompetenceAndCoverage) {
  ReadinessFacts f;
  const auto& reqs = MandatoryDocumentation();
  f.mandatory.items = {{.requirement = &reqs[0], .state = MandatoryState::kGap},
                       {.requirement = &reqs[1], .state = MandatoryState::kReviewOverdue},
                       {.requirement = &reqs[2], .state = MandatoryState::kMet}};
  const auto met = EvaluateRule(Check("7.5.1-mandatory-met"), f);
  ASSERT_EQ(met.offenders.size(), 1u);
  EXPECT_EQ(met.offenders[0].key, "4.3");
  EXPECT_EQ(OffenderHref(met.offenders[0]), "/mandatory-documentation#req-4.3");
  const auto in_date = EvaluateRule(Check("7.5.1-mandatory-in-date"), f);
  ASSERT_EQ(in_date.offenders.size(), 1u);
  EXPECT_EQ(in_date.offenders[0].key, "5.2");

  Record req;
  req.id = 4;
  req.fields = {{"title", "Risk assessment"}};
  f.competence.people = {7};
  f.competence.requirements = {req};
  f.competence.cells = {{CompetenceCell{.state = CompetenceState::kMissing}}};
  f.people[7] = "Carol";
  const auto gaps = EvaluateRule(Check("7.2-competence-gaps"), f);
  ASSERT_EQ(gaps.offenders.size(), 1u);
  EXPECT_EQ(gaps.offenders[0].title, "Carol: Risk assessment");
  f.competence.cells[0][0].state = CompetenceState::kPlanned;  // an action closes the gap
  EXPECT_TRUE(EvaluateRule(Check("7.2-competence-gaps"), f).passed);

  EXPECT_EQ(EvaluateRule(Check("9.2-coverage"), f).detail, "No audit programme is active.");
  f.programme_id = 3;
  f.programme_title = "Programme 2026";
  f.coverage.rows = {{.kind = "clause", .id = "9", .heading = true},
                     {.kind = "clause", .id = "9.1", .title = "Monitoring", .audits = {1}},
                     {.kind = "clause", .id = "9.2.1", .title = "General"},
                     {.kind = "control", .id = "5.1"}};
  const auto coverage = EvaluateRule(Check("9.2-coverage"), f);
  ASSERT_EQ(coverage.offenders.size(), 1u);
  EXPECT_EQ(coverage.offenders[0].key, "9.2.1");
  EXPECT_EQ(OffenderHref(coverage.offenders[0]), "/audit-programmes/3/coverage");
}

TEST(ReadinessRules, ObjectivesChangesAndAssessmentCycles) {
  ReadinessFacts f;
  f.day = "2026-03-14";
  Record target, none, change, cycle;
  target.id = 1;
  target.fields = {{"title", "Phishing"}, {"target_value", 95.0}};
  none.id = 2;
  none.fields = {{"title", "Patching"}, {"target_value", nullptr}};
  f.objectives = {target, none};
  const auto targets = EvaluateRule(Check("6.2-objective-target"), f);
  ASSERT_EQ(targets.offenders.size(), 1u);
  EXPECT_EQ(targets.offenders[0].id, 2);
  EXPECT_EQ(OffenderHref(targets.offenders[0]), "/objectives/2");
  change.id = 5;
  change.fields = {{"title", "New ERP"}, {"reassess_by", "2026-03-13"}};
  f.changes = {change};
  EXPECT_EQ(EvaluateRule(Check("6.3-changes-reassessed"), f).offenders.size(), 1u);
  f.changes[0].fields["reassess_by"] = "2026-03-14";
  EXPECT_TRUE(EvaluateRule(Check("6.3-changes-reassessed"), f).passed);
  EXPECT_FALSE(EvaluateRule(Check("8.2-assessment-cycle"), f).passed);
  cycle.id = 9;
  cycle.fields = {{"closed_on", "2025-03-13"}};  // a day more than 12 months ago
  f.cycles = {cycle};
  EXPECT_FALSE(EvaluateRule(Check("8.2-assessment-cycle"), f).passed);
  f.cycles[0].fields["closed_on"] = "2025-03-14";
  EXPECT_TRUE(EvaluateRule(Check("8.2-assessment-cycle"), f).passed);
}

// The recurring work: a communication overdue by its frequency, an activity missed since its
// expected date, a supplier's certificate expired, a control's evidence all expired — each on
// the day assessed, and each named with the date that makes it fail.
TEST(ReadinessRules, CommunicationsActivitiesCertificatesAndEvidenceOnTheDay) {
  ReadinessFacts f;
  f.day = "2026-03-14";
  Record monthly, on_event;
  monthly.id = 3;
  monthly.fields = {{"title", "Newsletter"}, {"status", "active"}, {"frequency", "monthly"}};
  on_event.id = 4;
  on_event.fields = {
      {"title", "Incident notices"}, {"status", "active"}, {"frequency", "on_event"}};
  f.communications = {monthly, on_event};
  f.last_communicated = {{3, "2026-02-13"}};  // due again on 2026-03-13
  const auto made = EvaluateRule(Check("7.4-communications-made"), f);
  EXPECT_FALSE(made.passed);
  ASSERT_EQ(made.offenders.size(), 1u);
  EXPECT_EQ(made.offenders[0].id, 3);
  EXPECT_EQ(made.offenders[0].title, "Newsletter (last made 2026-02-13)");
  EXPECT_EQ(OffenderHref(made.offenders[0]), "/communications/3");
  f.last_communicated[3] = "2026-02-14";  // due on the day itself: not overdue yet
  EXPECT_TRUE(EvaluateRule(Check("7.4-communications-made"), f).passed);
  f.last_communicated.clear();  // never made
  EXPECT_EQ(EvaluateRule(Check("7.4-communications-made"), f).offenders.at(0).title,
            "Newsletter (never made)");
  f.last_communicated = {{3, "2026-02-14"}};

  Record backup;
  backup.id = 7;
  backup.fields = {{"title", "Restore test"},
                   {"status", "active"},
                   {"start_date", "2026-01-01"},
                   {"every", 1},
                   {"period", "months"}};
  f.activities = {backup};
  f.last_performed = {{7, "2026-02-10"}};  // next expected 2026-03-10
  const auto performed = EvaluateRule(Check("8.1-activities-performed"), f);
  ASSERT_EQ(performed.offenders.size(), 1u);
  EXPECT_EQ(performed.offenders[0].title, "Restore test (missed since 2026-03-10)");
  EXPECT_EQ(performed.offenders[0].type, "operational_activity");
  f.last_performed[7] = "2026-03-01";
  EXPECT_TRUE(EvaluateRule(Check("8.1-activities-performed"), f).passed);

  Record cloud, gone;
  cloud.id = 11;
  cloud.fields = {{"name", "Cloud host"}, {"status", "active"}};
  gone.id = 12;
  gone.fields = {{"name", "Old host"}, {"status", "terminated"}};
  f.suppliers = {cloud, gone};
  f.certificates_expire = {{11, "2026-03-13"}, {12, "2020-01-01"}};
  const auto certs = EvaluateRule(Check("A.5.22-supplier-certificates"), f);
  ASSERT_EQ(certs.offenders.size(), 1u);
  EXPECT_EQ(certs.offenders[0].id, 11);
  EXPECT_NE(certs.offenders[0].title.find("certificate expired 2026-03-13"), std::string::npos);
  f.certificates_expire[11] = "2026-03-14";  // valid through the day
  EXPECT_TRUE(EvaluateRule(Check("A.5.22-supplier-certificates"), f).passed);

  Record firewall, backups;
  firewall.id = 20;
  firewall.fields = {{"name", "Firewall rules"}, {"status", "implemented"}};
  backups.id = 21;
  backups.fields = {{"name", "Backups"}, {"status", "implemented"}};
  f.implemented_controls = {firewall, backups};
  f.control_evidence = {{20, {.files = 2, .latest = "2026-03-13"}},
                        {21, {.files = 2, .never_expire = 1, .latest = "2025-01-01"}}};
  const auto evidence = EvaluateRule(Check("8.1-evidence-current"), f);
  ASSERT_EQ(evidence.offenders.size(), 1u);
  EXPECT_EQ(evidence.offenders[0].id, 20);  // the other has a file that never expires
  EXPECT_EQ(OffenderHref(evidence.offenders[0]), "/controls/20");
  f.control_evidence[20].latest = "2026-03-14";
  EXPECT_TRUE(EvaluateRule(Check("8.1-evidence-current"), f).passed);
  // A control without evidence is not this check's concern.
  f.control_evidence.clear();
  EXPECT_TRUE(EvaluateRule(Check("8.1-evidence-current"), f).passed);
}

// The policy's acknowledgements are those of the published policies, whatever they are.
TEST(ReadinessFilters, NameThePublishedPoliciesForTheirAcknowledgements) {
  ReadinessFacts f;
  f.isms_policies = {4, 9};
  const auto filters = ReadinessFilters(Check("5.2-policy-acknowledged"), f, "2026-03-14");
  ASSERT_EQ(filters.size(), 2u);
  EXPECT_EQ(filters[1].field, "document");
  EXPECT_EQ(filters[1].value, Json::array({4, 9}));
  Json ack = {{"status", "pending"}, {"document", 9}};
  EXPECT_TRUE(MatchesFilters(DocumentAcknowledgements(), filters, ack));
  ack["document"] = 5;
  EXPECT_FALSE(MatchesFilters(DocumentAcknowledgements(), filters, ack));
  f.isms_policies.clear();  // none published: no acknowledgement is the policy's
  EXPECT_FALSE(MatchesFilters(DocumentAcknowledgements(),
                              ReadinessFilters(Check("5.2-policy-acknowledged"), f, "2026-03-14"),
                              {{"status", "pending"}, {"document", 9}}));
}

TEST(SummariseReadiness, WeighsBlockersMajorsAndMinorsPerClause) {
  std::vector<CheckResult> results;
  results.push_back({.check = &Check("4.3-scope-approved"), .passed = false});     // blocker 5
  results.push_back({.check = &Check("4.1-issues"), .passed = true});              // major 3
  results.push_back({.check = &Check("context-issues-reviews"), .passed = true});  // minor 1
  results.push_back({.check = &Check("10.2-reacted"), .passed = false});           // minor 1
  const auto r = SummariseReadiness("2026-03-14", results);
  EXPECT_EQ(r.blockers, 1);
  EXPECT_EQ(r.majors, 0);
  EXPECT_EQ(r.minors, 1);
  EXPECT_EQ(r.passed, 2);
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].id, "4");
  EXPECT_EQ(r.groups[0].Percent(), 4 * 100 / 9);  // (3 + 1) of (5 + 3 + 1)
  EXPECT_EQ(r.groups[0].blockers, 1);
  EXPECT_EQ(r.groups[1].id, "10");
  EXPECT_EQ(r.groups[1].Percent(), 0);
  EXPECT_EQ(r.Percent(), 4 * 100 / 10);
  const Json s = ReadinessSummaryJson(r);
  EXPECT_EQ(s["percent"], 40);
  EXPECT_EQ(s["groups"]["4"], 44);
  EXPECT_EQ(s["blockers"], 1);
}

TEST(GuidedStages, NameExistingChecksInTheOrderOfACertification) {
  const auto& stages = GuidedStages();
  ASSERT_EQ(stages.size(), 13u);
  EXPECT_EQ(stages.front().title, "Context and scope");
  EXPECT_EQ(stages[11].id, "stage1");
  EXPECT_EQ(stages.back().id, "stage2");
  for (const auto& st : stages) {
    EXPECT_EQ(st.checks.empty(), st.clear_to.has_value()) << st.id;
    for (const auto& id : st.checks) EXPECT_NE(FindReadinessCheck(id), nullptr) << id;
  }
}

TEST(GuidedProgress, AStageIsDoneWhenItsChecksPassAndStagesOneAndTwoBySeverity) {
  std::vector<CheckResult> results;
  for (const auto& c : ReadinessChecks()) results.push_back({.check = &c, .passed = true});
  auto fail = [&](std::string_view id) {
    for (auto& r : results) {
      if (r.check->id == id) r.passed = false;
    }
  };
  fail("4.3-scope-approved");  // a blocker of the first stage
  fail("5.3-raci");            // a major of the second
  auto readiness = SummariseReadiness("2026-03-14", results);
  auto progress = GuidedProgress(readiness);
  ASSERT_EQ(progress.size(), 13u);
  EXPECT_FALSE(progress[0].done);
  EXPECT_EQ(progress[0].checks, 3);
  EXPECT_EQ(progress[0].passed, 2);
  ASSERT_EQ(progress[0].failed.size(), 1u);
  EXPECT_EQ(progress[0].failed[0]->check->id, "4.3-scope-approved");
  EXPECT_FALSE(progress[1].done);
  EXPECT_TRUE(progress[2].done);
  EXPECT_FALSE(progress[11].done);  // stage 1: a blocker is outstanding
  EXPECT_FALSE(progress[12].done);
  fail("4.3-scope-approved");
  for (auto& r : results) r.passed = r.check->id == "5.3-raci" ? false : true;
  readiness = SummariseReadiness("2026-03-14", results);
  progress = GuidedProgress(readiness);
  EXPECT_TRUE(progress[11].done);   // no blocker
  EXPECT_FALSE(progress[12].done);  // a major remains
  ASSERT_EQ(progress[12].failed.size(), 1u);
  EXPECT_EQ(progress[12].failed[0]->check->id, "5.3-raci");
}

TEST(FieldsBefore, UndoesEachChangeNewestFirst) {
  AuditEvent second{.seq = 9,
                    .action = "update",
                    .diff = {{"status", {{"from", "analysed"}, {"to", "treated"}}}}};
  AuditEvent first{.seq = 5,
                   .action = "update",
                   .diff = {{"status", {{"from", "identified"}, {"to", "analysed"}}},
                            {"owner", {{"from", nullptr}, {"to", 3}}}}};
  const Json now = {{"title", "Phishing"}, {"status", "treated"}, {"owner", 3}};
  const Json then = FieldsBefore(now, {&second, &first});
  EXPECT_EQ(then["status"], "identified");
  EXPECT_TRUE(then["owner"].is_null());
  EXPECT_EQ(then["title"], "Phishing");
  // Deleted since: the deletion's diff holds every field as it was.
  AuditEvent deleted{.seq = 12,
                     .action = "delete",
                     .diff = {{"title", {{"from", "Old"}, {"to", nullptr}}},
                              {"status", {{"from", "analysed"}, {"to", nullptr}}}}};
  const Json gone = FieldsBefore(std::nullopt, {&deleted});
  EXPECT_EQ(gone["title"], "Old");
  EXPECT_EQ(gone["status"], "analysed");
}

}  // namespace
}  // namespace rampart::domain
