#include "domain/risk_methodology.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/field_errors.h"

namespace rampart::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<ScaleLevel> Scale(int n, const std::string& prefix) {
  std::vector<ScaleLevel> out;
  for (int i = 1; i <= n; ++i) out.push_back({prefix + " " + std::to_string(i), ""});
  return out;
}

RiskMethodology Square(int n, std::vector<RiskLevel> levels, const std::vector<int>& uppers) {
  RiskMethodology m;
  m.likelihood = Scale(n, "L");
  m.impact = Scale(n, "I");
  m.levels = std::move(levels);
  m.matrix = MatrixFromScores(n, n, uppers);
  return m;
}

const std::vector<RiskLevel> kThree = {{"Low", "#00aa00", true, {}},
                                       {"Medium", "#ffaa00", false, {Role::kExecutive}},
                                       {"High", "#ff0000", false, {Role::kExecutive}}};

std::vector<std::string> Fields(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

TEST(RiskMethodology, ThreeByThreeByScore) {
  const auto m = Square(3, kThree, {2, 4});  // 1-2 low, 3-4 medium, 6-9 high
  ASSERT_THAT(ValidateMethodology(m), IsEmpty());
  EXPECT_EQ(LevelOf(m, 1, 1), 0);
  EXPECT_EQ(LevelOf(m, 1, 2), 0);
  EXPECT_EQ(LevelOf(m, 3, 1), 1);
  EXPECT_EQ(LevelOf(m, 2, 2), 1);
  EXPECT_EQ(LevelOf(m, 2, 3), 2);
  EXPECT_EQ(LevelOf(m, 3, 3), 2);
}

TEST(RiskMethodology, FourByFourWithFourLevels) {
  auto levels = kThree;
  levels.push_back({"Critical", "#880000", false, {Role::kAdmin}});
  const auto m = Square(4, levels, {3, 6, 9});
  ASSERT_THAT(ValidateMethodology(m), IsEmpty());
  EXPECT_EQ(LevelOf(m, 1, 3), 0);  // 3
  EXPECT_EQ(LevelOf(m, 2, 2), 1);  // 4
  EXPECT_EQ(LevelOf(m, 2, 3), 1);  // 6
  EXPECT_EQ(LevelOf(m, 3, 3), 2);  // 9
  EXPECT_EQ(LevelOf(m, 4, 3), 3);  // 12
  EXPECT_EQ(LevelOf(m, 4, 4), 3);  // 16
}

TEST(RiskMethodology, TheDefaultIsFiveByFiveAndValid) {
  const auto m = DefaultMethodology();
  ASSERT_THAT(ValidateMethodology(m), IsEmpty());
  EXPECT_EQ(m.likelihood.size(), 5u);
  EXPECT_EQ(m.impact.size(), 5u);
  EXPECT_EQ(LevelOf(m, 2, 2), 0);  // 4: low
  EXPECT_EQ(LevelOf(m, 1, 5), 1);  // 5: medium
  EXPECT_EQ(LevelOf(m, 3, 3), 1);  // 9: medium
  EXPECT_EQ(LevelOf(m, 2, 5), 2);  // 10: high
  EXPECT_EQ(LevelOf(m, 4, 4), 3);  // 16: critical
  EXPECT_EQ(LevelOf(m, 5, 5), 3);
  EXPECT_EQ(m.levels[3].name, "Critical");
  EXPECT_FALSE(m.levels[2].may_retain);
}

TEST(RiskMethodology, CustomCellsOverrideTheScoreRule) {
  // Severe impact is always high, whatever the likelihood: not what a product would give.
  auto m = Square(3, kThree, {2, 4});
  m.matrix = {{0, 0, 2}, {0, 1, 2}, {1, 1, 2}};
  ASSERT_THAT(ValidateMethodology(m), IsEmpty());
  EXPECT_EQ(LevelOf(m, 1, 3), 2);
  EXPECT_EQ(LevelOf(m, 3, 2), 1);
  EXPECT_EQ(LevelOf(m, 3, 1), 1);
}

TEST(RiskMethodology, RatingsOutsideTheScalesHaveNoLevel) {
  const auto m = Square(3, kThree, {2, 4});
  EXPECT_EQ(LevelOf(m, 0, 1), std::nullopt);
  EXPECT_EQ(LevelOf(m, 4, 1), std::nullopt);
  EXPECT_EQ(LevelOf(m, 1, 4), std::nullopt);
  EXPECT_EQ(LevelOf(m, 1, -1), std::nullopt);
}

TEST(RiskMethodology, NamesEveryProblem) {
  RiskMethodology m;
  m.likelihood = Scale(2, "L");  // too few
  m.impact = Scale(7, "I");      // too many
  m.impact[1].label = "";
  m.levels = {{"Low", "green", true, {}}, {"High", "#ff0000", true, {}}};
  m.matrix = {{0, 1}, {1}};
  m.assessment_interval_months = 0;
  EXPECT_THAT(Fields(ValidateMethodology(m)),
              ElementsAre("likelihood", "impact", "impact[1].label", "levels[0].colour",
                          "matrix[0]", "matrix[1]", "assessment_interval_months"));
}

TEST(RiskMethodology, RefusesAMatrixWhoseLevelFallsAsRatingsRise) {
  auto m = Square(3, kThree, {2, 4});
  m.matrix = {{0, 1, 1}, {0, 0, 2}, {1, 2, 2}};
  EXPECT_THAT(Fields(ValidateMethodology(m)), ElementsAre("matrix[1][1]"));
  m.matrix = {{0, 1, 1}, {1, 1, 2}, {1, 2, 3}};
  EXPECT_THAT(Fields(ValidateMethodology(m)), ElementsAre("matrix[2][2]"));  // no level 3
}

TEST(RiskMethodology, RetainingAHigherLevelNeedsEveryLowerOneRetainable) {
  auto levels = kThree;
  levels[0].may_retain = false;
  levels[1].may_retain = true;
  EXPECT_THAT(Fields(ValidateMethodology(Square(3, levels, {2, 4}))),
              ElementsAre("levels[1].may_retain"));
}

TEST(RiskMethodology, RefusesDuplicateLabelsOnAScale) {
  auto m = Square(3, kThree, {2, 4});
  m.likelihood[2].label = " l 1 ";
  EXPECT_THAT(Fields(ValidateMethodology(m)), ElementsAre("likelihood[2].label"));
}

// What an acceptance keeps of the scales with its snapshot: each scale's labels, lowest first.
TEST(ScaleLabels, ListsEachScalesLabelsLowestFirst) {
  RiskMethodology m = DefaultMethodology();
  const Json labels = ScaleLabels(m);
  ASSERT_EQ(labels["likelihood"].size(), m.likelihood.size());
  ASSERT_EQ(labels["impact"].size(), m.impact.size());
  EXPECT_EQ(labels["likelihood"][0], m.likelihood[0].label);
  EXPECT_EQ(labels["impact"].back(), m.impact.back().label);
  m.likelihood[2].label = "Even odds";
  EXPECT_EQ(ScaleLabels(m)["likelihood"][2], "Even odds");
}

}  // namespace
}  // namespace rampart::domain
