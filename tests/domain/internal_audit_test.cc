// Internal audit (clause 9.2): a programme's period, an audit's lifecycle and report, the
// override of the impartiality check, findings, and a programme's coverage.
#include "domain/internal_audit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "domain/annex_a.h"
#include "support/field_errors.h"

namespace rampart::domain {
namespace {

using test::ErrorOn;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<FieldError> Errors(const RegisterSpec& spec, const Json& input,
                               const Json* before = nullptr) {
  std::vector<FieldError> errors;
  (void)ValidateFields(spec, input, before == nullptr ? WriteMode::kCreate : WriteMode::kUpdate,
                       before, errors);
  return errors;
}

Json With(Json r, const Json& changes) {
  for (const auto& [k, v] : changes.items()) r[k] = v;
  return r;
}

Json Planned() {
  std::vector<FieldError> errors;
  Json r = ValidateFields(InternalAudits(),
                          {{"title", "Access control audit"},
                           {"programme", 1},
                           {"clauses", {"9.1"}},
                           {"annex_controls", {"5.15", "8.5"}},
                           {"criteria", "ISO/IEC 27001:2022; the access control policy"},
                           {"lead_auditor", 2},
                           {"team", {{{"auditor", 3}}}},
                           {"planned_start", "2026-03-02"},
                           {"planned_end", "2026-03-04"}},
                          WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  return r;
}

TEST(AuditProgrammes, CoverAPeriodThatEndsAfterItStarts) {
  const Json p = {{"title", "2026-2028"},
                  {"period_start", "2026-01-01"},
                  {"period_end", "2028-12-31"},
                  {"objectives", "Cover every clause and applicable control in three years."},
                  {"owner", 2}};
  EXPECT_THAT(Errors(AuditProgrammes(), p), IsEmpty());
  EXPECT_THAT(Errors(AuditProgrammes(), With(p, {{"period_end", "2025-12-31"}})),
              ElementsAre(ErrorOn("period_end", "before it starts")));
  EXPECT_THAT(Errors(AuditProgrammes(), {{"title", "x"}}),
              ElementsAre(ErrorOn("period_start"), ErrorOn("period_end"), ErrorOn("objectives"),
                          ErrorOn("owner")));
}

TEST(InternalAudits, AreRecordedPlannedWithAScopeCriteriaAndALeadAuditor) {
  const Json audit = Planned();
  EXPECT_EQ(audit["status"], "planned");
  EXPECT_EQ(audit["impartiality_override"], false);
  EXPECT_THAT(
      Errors(InternalAudits(),
             With(audit, {{"clauses", Json()}, {"annex_controls", Json()}, {"processes", Json()}})),
      ElementsAre(ErrorOn("clauses", "name what the audit covers")));
  EXPECT_THAT(Errors(InternalAudits(), {{"title", "x"}}),
              ElementsAre(ErrorOn("programme"), ErrorOn("criteria"), ErrorOn("lead_auditor"),
                          ErrorOn("planned_start"), ErrorOn("planned_end")));
}

TEST(InternalAudits, MoveFromPlannedThroughInProgressAndReportedToClosed) {
  const Json planned = Planned();
  EXPECT_THAT(Errors(InternalAudits(), With(planned, {{"status", "reported"}}), &planned),
              ::testing::Contains(ErrorOn("status")));
  const Json started = With(planned, {{"status", "in_progress"}});
  EXPECT_THAT(Errors(InternalAudits(), started, &planned), ElementsAre(ErrorOn("actual_start")));
  const Json running = With(started, {{"actual_start", "2026-03-02"}});
  EXPECT_THAT(Errors(InternalAudits(), running, &planned), IsEmpty());
  const Json closed_early = With(running, {{"status", "closed"}});
  EXPECT_THAT(Errors(InternalAudits(), closed_early, &running),
              ::testing::Contains(ErrorOn("status")));
}

TEST(InternalAudits, ReachReportedOnlyWithTheReportsSummaryAndConclusion) {
  const Json running = With(Planned(), {{"status", "in_progress"}, {"actual_start", "2026-03-02"}});
  const Json reported = With(running, {{"status", "reported"}, {"actual_end", "2026-03-04"}});
  EXPECT_THAT(Errors(InternalAudits(), reported, &running),
              ElementsAre(ErrorOn("summary"), ErrorOn("conclusion")));
  const Json written = With(reported, {{"summary", "Access reviews sampled."},
                                       {"conclusion", "Conforms, one minor nonconformity."}});
  EXPECT_THAT(Errors(InternalAudits(), written, &running), IsEmpty());
  EXPECT_THAT(Errors(InternalAudits(), With(written, {{"actual_end", "2026-03-01"}}), &running),
              ElementsAre(ErrorOn("actual_end", "before it starts")));
  const Json closed = With(written, {{"status", "closed"}});
  EXPECT_THAT(Errors(InternalAudits(), closed, &written), IsEmpty());
}

TEST(InternalAudits, AnImpartialityOverrideNeedsItsReason) {
  const Json audit = With(Planned(), {{"impartiality_override", true}});
  EXPECT_THAT(Errors(InternalAudits(), audit), ElementsAre(ErrorOn("impartiality_reason", "why")));
  EXPECT_THAT(Errors(InternalAudits(),
                     With(audit, {{"impartiality_reason", "Two people; the other is away."}})),
              IsEmpty());
}

TEST(InternalAudits, DoNotListTheLeadAuditorAgainInTheTeam) {
  EXPECT_THAT(Errors(InternalAudits(), With(Planned(), {{"team", {{{"auditor", 2}}}}})),
              ElementsAre(ErrorOn("team", "lead auditor")));
  EXPECT_EQ(AuditorsOf(Planned()), (std::vector<int64_t>{2, 3}));
}

TEST(AuditFindings, NonconformitiesNeedEvidenceAndAnAuditee) {
  const Json observation = {{"title", "Reviews late"},
                            {"audit", 1},
                            {"type", "observation"},
                            {"requirement", "A.5.18"},
                            {"description", "Two access reviews were a week late."},
                            {"found_on", "2026-03-03"}};
  EXPECT_THAT(Errors(AuditFindings(), observation), IsEmpty());
  EXPECT_FALSE(IsNonconformityFinding(observation));
  const Json nc = With(observation, {{"type", "minor_nonconformity"}});
  EXPECT_TRUE(IsNonconformityFinding(nc));
  EXPECT_THAT(Errors(AuditFindings(), nc), ElementsAre(ErrorOn("evidence"), ErrorOn("owner")));
  EXPECT_THAT(Errors(AuditFindings(), With(nc, {{"evidence", "Review log Q1"}, {"owner", 4}})),
              IsEmpty());
  EXPECT_THAT(Errors(AuditFindings(), With(observation, {{"nonconformity", 7}})),
              ElementsAre(ErrorOn("nonconformity")));
}

TEST(AuditCoverage, MarksWhatEachAuditCoversAndCountsWhatNoneDoes) {
  const Json a = {
      {"title", "A"}, {"status", "planned"}, {"clauses", {"9"}}, {"annex_controls", {"5.15"}}};
  const Json b = {{"title", "B"}, {"status", "planned"}, {"clauses", {"4.1", "9.2.1"}}};
  const auto c = ComputeAuditCoverage({{.id = 10, .fields = &a}, {.id = 11, .fields = &b}},
                                      {"5.15", "8.5"}, 91);
  auto row = [&c](const std::string& kind, const std::string& id) {
    for (const auto& r : c.rows) {
      if (r.kind == kind && r.id == id) return r;
    }
    ADD_FAILURE() << id;
    return CoverageRow{};
  };
  EXPECT_EQ(row("clause", "9.2.1").audits, (std::vector<int64_t>{10, 11}));
  EXPECT_EQ(row("clause", "9.3").audits, (std::vector<int64_t>{10}));
  EXPECT_EQ(row("clause", "4.1").audits, (std::vector<int64_t>{11}));
  EXPECT_TRUE(row("clause", "4.2").audits.empty());
  EXPECT_TRUE(row("clause", "4").heading);
  EXPECT_EQ(row("control", "5.15").audits, (std::vector<int64_t>{10}));
  EXPECT_TRUE(row("control", "8.5").audits.empty());
  EXPECT_EQ(c.uncovered_controls, 1);
  EXPECT_EQ(c.undecided_controls, 91);
  int leaves_outside_9_and_4_1 = 0;
  std::set<std::string> parents;
  for (const auto& cl : IsoClauses()) {
    if (!cl.parent.empty()) parents.insert(cl.parent);
  }
  for (const auto& cl : IsoClauses()) {
    if (parents.contains(cl.id) || cl.id == "4.1") continue;
    if (cl.id == "9" || cl.id.starts_with("9.")) continue;
    ++leaves_outside_9_and_4_1;
  }
  EXPECT_EQ(c.uncovered_clauses, leaves_outside_9_and_4_1);
  EXPECT_EQ(c.rows.size(), IsoClauses().size() + 2);
}

}  // namespace
}  // namespace rampart::domain
