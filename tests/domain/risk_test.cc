// The rules of the risk registers (domain/risk.h): reading a methodology from its record, what a
// risk needs before it is accepted, overdue treatment actions and which risks call for treatment.
#include "domain/risk.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/field_errors.h"

namespace rampart::domain {
namespace {

using ::rampart::test::ErrorOn;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// ---------------------------------------------------------------------------------------------
// MethodologyFromRecord: the one reader of a methodology.

TEST(MethodologyFromRecord, ReadsTheDefaultRecordAsTheDefaultMethodology) {
  std::vector<FieldError> errors;
  const RiskMethodology m = MethodologyFromRecord(DefaultMethodologyFields(), errors);
  ASSERT_THAT(errors, IsEmpty());
  EXPECT_EQ(MethodologyToJson(m), MethodologyToJson(DefaultMethodology()));
  ASSERT_EQ(m.levels.size(), 4u);
  EXPECT_EQ(m.levels[0].name, "Low");
  EXPECT_EQ(m.levels[0].may_accept, (std::vector<Role>{Role::kIsmsManager, Role::kExecutive}));
  EXPECT_EQ(m.assessment_interval_months, 12);
  // Scores 1-4 low, 5-9 medium, 10-15 high, 16-25 critical on a 5 x 5 matrix.
  EXPECT_EQ(LevelOf(m, 2, 2), 0);
  EXPECT_EQ(LevelOf(m, 1, 5), 1);
  EXPECT_EQ(LevelOf(m, 3, 5), 2);
  EXPECT_EQ(LevelOf(m, 4, 4), 3);
}

TEST(MethodologyFromRecord, NamesTheRecordFieldOfEachProblem) {
  Json r = DefaultMethodologyFields();
  r["risk_levels"][0]["accepted_by"] = "isms_manager, chief";
  std::vector<FieldError> errors;
  MethodologyFromRecord(r, errors);
  EXPECT_THAT(errors,
              ElementsAre(ErrorOn("risk_levels[0].accepted_by", "\"chief\" is not a role")));

  r = DefaultMethodologyFields();
  r["risk_levels"][1]["max_score"] = 3;  // below the first level's 4
  errors.clear();
  MethodologyFromRecord(r, errors);
  EXPECT_THAT(errors, ElementsAre(ErrorOn("risk_levels[1].max_score", "must rise")));

  r = DefaultMethodologyFields();
  r["risk_levels"][3]["max_score"] = 25;  // the top level takes every higher score
  errors.clear();
  MethodologyFromRecord(r, errors);
  EXPECT_THAT(errors, ElementsAre(ErrorOn("risk_levels[3].max_score", "leave it empty")));
}

TEST(MethodologyFromRecord, ChecksEachMatrixCellAgainstTheScalesAndLevels) {
  Json r = DefaultMethodologyFields();
  r["matrix_cells"] = Json::array({{{"likelihood", 6}, {"impact", 1}, {"level", "Low"}},
                                   {{"likelihood", 1}, {"impact", 0}, {"level", "Low"}},
                                   {{"likelihood", 1}, {"impact", 1}, {"level", "Severe"}}});
  std::vector<FieldError> errors;
  MethodologyFromRecord(r, errors);
  EXPECT_THAT(errors,
              ElementsAre(ErrorOn("matrix_cells[0].likelihood", "likelihood is from 1 to 5"),
                          ErrorOn("matrix_cells[1].impact", "impact is from 1 to 5"),
                          ErrorOn("matrix_cells[2].level", "\"Severe\" is not one of")));
}

TEST(MethodologyFromRecord, AMatrixCellOverridesTheScoreRule) {
  Json r = DefaultMethodologyFields();
  r["matrix_cells"] = Json::array({{{"likelihood", 5}, {"impact", 1}, {"level", "high"}}});
  std::vector<FieldError> errors;
  const RiskMethodology m = MethodologyFromRecord(r, errors);
  ASSERT_THAT(errors, IsEmpty());
  EXPECT_EQ(LevelOf(m, 5, 1), 2);  // by score (5) it would be medium
  EXPECT_EQ(LevelOf(m, 1, 5), 1);
}

// ---------------------------------------------------------------------------------------------
// AcceptanceProblems

Json RatedRisk() {
  return {{"status", "analysed"},           {"inherent_likelihood", 3},  {"inherent_impact", 2},
          {"residual_likelihood", nullptr}, {"controls", Json::array()}, {"treatment", "retain"}};
}

TEST(AcceptanceProblems, NoneForARatedRiskWithATreatmentOption) {
  EXPECT_THAT(AcceptanceProblems(RatedRisk()), IsEmpty());
}

TEST(AcceptanceProblems, AnUnratedRiskWithoutAnOptionHasTwo) {
  Json r = RatedRisk();
  r["inherent_likelihood"] = nullptr;
  r["treatment"] = nullptr;
  EXPECT_THAT(AcceptanceProblems(r),
              ElementsAre(ErrorOn("inherent_likelihood", "rate the risk"),
                          ErrorOn("treatment", "choose the treatment option")));
}

TEST(AcceptanceProblems, ControlsCallForTheResidualRating) {
  Json r = RatedRisk();
  r["controls"] = Json::array({7});
  EXPECT_THAT(AcceptanceProblems(r), ElementsAre(ErrorOn("residual_likelihood", "residual")));
  r["residual_likelihood"] = 2;
  EXPECT_THAT(AcceptanceProblems(r), IsEmpty());
}

TEST(AcceptanceProblems, AClosedRiskIsNotAccepted) {
  Json r = RatedRisk();
  r["status"] = "closed";
  EXPECT_THAT(AcceptanceProblems(r), ElementsAre(ErrorOn("status", "closed")));
}

TEST(AcceptanceRelevantFields, AreTheRatingsControlsAndTreatment) {
  EXPECT_THAT(AcceptanceRelevantFields(),
              UnorderedElementsAre("inherent_likelihood", "inherent_impact", "residual_likelihood",
                                   "residual_impact", "controls", "treatment", "actions"));
}

// ---------------------------------------------------------------------------------------------
// IsActionOverdue, NeedsTreatment

TEST(IsActionOverdue, OnlyAnOpenActionDueBeforeToday) {
  const std::string today = "2026-12-04";
  EXPECT_TRUE(IsActionOverdue({{"status", "open"}, {"due", "2026-12-03"}}, today));
  EXPECT_TRUE(IsActionOverdue({{"status", "in_progress"}, {"due", "2025-01-31"}}, today));
  EXPECT_FALSE(IsActionOverdue({{"status", "open"}, {"due", "2026-12-04"}}, today));
  EXPECT_FALSE(IsActionOverdue({{"status", "open"}, {"due", "2027-01-01"}}, today));
  EXPECT_FALSE(IsActionOverdue({{"status", "done"}, {"due", "2026-01-01"}}, today));
  EXPECT_FALSE(IsActionOverdue({{"status", "cancelled"}, {"due", "2026-01-01"}}, today));
  EXPECT_FALSE(IsActionOverdue({{"status", "open"}, {"due", nullptr}}, today));
}

TEST(NeedsTreatment, EveryOptionButRetainOnceAnalysedAndNotClosed) {
  EXPECT_TRUE(NeedsTreatment({{"status", "analysed"}, {"treatment", "modify"}}));
  EXPECT_TRUE(NeedsTreatment({{"status", "analysed"}, {"treatment", nullptr}}));
  EXPECT_TRUE(NeedsTreatment({{"status", "treatment_planned"}, {"treatment", "share"}}));
  EXPECT_FALSE(NeedsTreatment({{"status", "analysed"}, {"treatment", "retain"}}));
  EXPECT_FALSE(NeedsTreatment({{"status", "identified"}, {"treatment", "modify"}}));
  EXPECT_FALSE(NeedsTreatment({{"status", "closed"}, {"treatment", "avoid"}}));
}

}  // namespace
}  // namespace rampart::domain
