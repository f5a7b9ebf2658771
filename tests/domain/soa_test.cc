#include "domain/soa.h"

#include <gmock/gmock.h>

namespace rampart::domain {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "field: message" of each error, for exact assertions.
std::vector<std::string> Fields(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

SoaEntry Parse(const Json& input, std::vector<FieldError>& errors) {
  return SoaEntryFromInput("5.1", input, errors);
}

TEST(SoaEntryTest, AnIncludedControlNeedsAReasonButNoText) {
  std::vector<FieldError> errors;
  Parse({{"applicable", true}}, errors);
  EXPECT_THAT(Fields(errors), ElementsAre("reasons"));
  errors.clear();
  const SoaEntry e =
      Parse({{"applicable", true}, {"reasons", {"contractual", "risk_treatment", "contractual"}}},
            errors);
  EXPECT_THAT(errors, IsEmpty());
  // Canonical order, no duplicates.
  EXPECT_THAT(e.reasons, ElementsAre("risk_treatment", "contractual"));
}

TEST(SoaEntryTest, AnExclusionWithoutJustificationIsRefused) {
  std::vector<FieldError> errors;
  Parse({{"applicable", false}}, errors);
  EXPECT_THAT(Fields(errors), ElementsAre("justification"));
  errors.clear();
  Parse({{"applicable", false}, {"justification", "   "}}, errors);  // blank is no text
  EXPECT_THAT(Fields(errors), ElementsAre("justification"));
  errors.clear();
  const SoaEntry e =
      Parse({{"applicable", false}, {"justification", " No outsourced development. "}}, errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(e.justification, "No outsourced development.");
}

TEST(SoaEntryTest, AnExcludedControlGivesNoReasonsAndNoOverride) {
  std::vector<FieldError> errors;
  Parse({{"applicable", false},
         {"justification", "not relevant"},
         {"reasons", {"contractual"}},
         {"status_override", "implemented"},
         {"override_reason", "x"}},
        errors);
  EXPECT_THAT(Fields(errors), ElementsAre("reasons", "status_override"));
}

TEST(SoaEntryTest, ApplicabilityMustBeDecided) {
  std::vector<FieldError> errors;
  Parse(Json::object(), errors);
  EXPECT_THAT(Fields(errors), ElementsAre("applicable"));
  errors.clear();
  Parse({{"applicable", "yes"}, {"reasons", {"contractual"}}}, errors);
  EXPECT_THAT(Fields(errors), ElementsAre("applicable"));
}

TEST(SoaEntryTest, AnOverrideNeedsAKnownStatusAndAReason) {
  std::vector<FieldError> errors;
  Parse({{"applicable", true}, {"reasons", {"contractual"}}, {"status_override", "implemented"}},
        errors);
  EXPECT_THAT(Fields(errors), ElementsAre("override_reason"));
  errors.clear();
  Parse({{"applicable", true},
         {"reasons", {"contractual"}},
         {"status_override", "done"},
         {"override_reason", "because"}},
        errors);
  EXPECT_THAT(Fields(errors), ElementsAre("status_override"));
  errors.clear();
  // A reason without an override is dropped, not refused.
  const SoaEntry e =
      Parse({{"applicable", true}, {"reasons", {"contractual"}}, {"override_reason", "left over"}},
            errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(e.override_reason, "");
}

TEST(SoaEntryTest, MalformedValuesNameTheirField) {
  std::vector<FieldError> errors;
  Parse({{"applicable", true}, {"reasons", "contractual"}}, errors);
  EXPECT_THAT(Fields(errors), ElementsAre("reasons"));
  errors.clear();
  Parse({{"applicable", true}, {"reasons", {"gut_feeling"}}}, errors);
  EXPECT_THAT(Fields(errors), ElementsAre("reasons"));
  errors.clear();
  Parse({{"applicable", false}, {"justification", std::string(kSoaMaxJustification + 1, 'x')}},
        errors);
  EXPECT_THAT(Fields(errors), ElementsAre("justification"));
  errors.clear();
  Parse({{"applicable", false}, {"justification", 12}}, errors);
  EXPECT_THAT(Fields(errors), ElementsAre("justification"));
}

TEST(DeriveSoaStatusTest, FollowsTheLinkedAppliedControls) {
  EXPECT_EQ(DeriveSoaStatus({}), "not_implemented");
  EXPECT_EQ(DeriveSoaStatus({"planned"}), "planned");
  EXPECT_EQ(DeriveSoaStatus({"planned", "planned"}), "planned");
  EXPECT_EQ(DeriveSoaStatus({"planned", "in_progress"}), "in_progress");
  EXPECT_EQ(DeriveSoaStatus({"implemented", "planned"}), "partially_implemented");
  EXPECT_EQ(DeriveSoaStatus({"implemented", "in_progress"}), "partially_implemented");
  EXPECT_EQ(DeriveSoaStatus({"implemented", "implemented"}), "implemented");
  EXPECT_EQ(DeriveSoaStatus({"implemented", "not_effective"}), "not_effective");
  EXPECT_EQ(DeriveSoaStatus({"not_effective"}), "not_effective");
}

TEST(BuildSoaLinesTest, GivesEveryControlItsEntryLinksAndStatus) {
  SoaEntry decided{.control_id = "5.1", .id = 7, .version = 2, .applicable = true};
  decided.reasons = {"risk_treatment"};
  decided.status_override = "implemented";
  decided.override_reason = "audited";
  const std::vector<SoaAppliedControl> controls = {
      {1, "Policy set", "implemented", {"5.1", "5.2"}},
      {2, "Access reviews", "in_progress", {"5.1"}},
      {3, "Backups", "implemented", {"8.13", "8.13"}},
  };
  // (risk, applied control): risk 10 via two controls counts once.
  const std::vector<std::pair<int64_t, int64_t>> links = {{10, 1}, {10, 2}, {11, 2}, {12, 3}};
  const auto lines = BuildSoaLines({decided}, controls, links);
  ASSERT_EQ(lines.size(), 93u);
  const SoaLine& l51 = lines[0];
  EXPECT_EQ(l51.control->id, "5.1");
  EXPECT_EQ(l51.entry.version, 2);
  ASSERT_EQ(l51.applied_controls.size(), 2u);
  EXPECT_EQ(l51.applied_controls[0].name, "Access reviews");  // by name
  EXPECT_THAT(l51.risks, ElementsAre(10, 11));
  EXPECT_EQ(l51.derived_status, "partially_implemented");
  EXPECT_EQ(l51.Status(), "implemented");  // the override
  const SoaLine& l52 = lines[1];
  EXPECT_FALSE(l52.entry.applicable.has_value());
  EXPECT_EQ(l52.entry.version, 0);
  EXPECT_EQ(l52.derived_status, "implemented");
  EXPECT_THAT(l52.risks, ElementsAre(10));
  const auto backups = std::find_if(lines.begin(), lines.end(),
                                    [](const SoaLine& l) { return l.control->id == "8.13"; });
  EXPECT_EQ(backups->applied_controls.size(), 1u);  // listed twice, linked once
  EXPECT_EQ(lines[2].derived_status, "not_implemented");

  const Json j = SoaLineJson(l51);
  EXPECT_EQ(j["control_id"], "5.1");
  EXPECT_EQ(j["status"], "implemented");
  EXPECT_EQ(j["derived_status"], "partially_implemented");
  EXPECT_EQ(j["risk_count"], 2);
  EXPECT_EQ(SoaLineJson(l52)["applicable"], nullptr);
}

TEST(SoaFilterTest, FiltersByThemeAttributeAndApplicability) {
  const auto lines =
      BuildSoaLines({SoaEntry{.control_id = "8.7", .version = 1, .applicable = false}}, {}, {});
  auto count = [&](const SoaFilter& f) {
    return std::count_if(lines.begin(), lines.end(),
                         [&](const SoaLine& l) { return SoaLineMatches(l, f); });
  };
  EXPECT_EQ(count({}), 93);
  EXPECT_EQ(count({.theme = "People"}), 8);
  EXPECT_EQ(count({.attribute = "#Preventive"}), count({.attribute = "Preventive"}));
  EXPECT_GT(count({.attribute = "Preventive"}), 0);
  EXPECT_LT(count({.attribute = "Preventive"}), 93);
  EXPECT_EQ(count({.applicable = "no"}), 1);
  EXPECT_EQ(count({.applicable = "undecided"}), 92);
  EXPECT_EQ(count({.applicable = "yes"}), 0);
  EXPECT_EQ(CheckSoaFilter({.theme = "Cosmic"}).field(), "theme");
  EXPECT_EQ(CheckSoaFilter({.attribute = "Telepathy"}).field(), "attribute");
  EXPECT_EQ(CheckSoaFilter({.applicable = "maybe"}).field(), "applicable");
  EXPECT_TRUE(CheckSoaFilter({.theme = "Physical", .attribute = "Detective"}).ok());
}

TEST(CompareSoaTest, NamesEachChangedFieldOfEachChangedControl) {
  SoaEntry e51{.control_id = "5.1", .version = 1, .applicable = true};
  e51.reasons = {"contractual"};
  SoaEntry e87{.control_id = "8.7", .version = 1, .applicable = true};
  e87.reasons = {"risk_treatment"};
  Json before = Json::array();
  for (const auto& l : BuildSoaLines({e51, e87}, {}, {})) before.push_back(SoaLineJson(l));

  e51.reasons = {"contractual", "legal_regulatory"};
  e87.applicable = false;
  e87.reasons = {};
  e87.justification = "no malware-prone systems";
  Json after = Json::array();
  for (const auto& l : BuildSoaLines({e51, e87}, {{4, "AV", "implemented", {"5.1"}}}, {{9, 4}})) {
    after.push_back(SoaLineJson(l));
  }
  const auto changes = CompareSoa(before, after);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].control_id, "5.1");
  std::vector<std::string> fields;
  for (const auto& c : changes[0].changes) fields.push_back(c.field);
  EXPECT_THAT(fields, ElementsAre("reasons", "status", "applied_controls", "risks"));
  EXPECT_EQ(changes[0].changes[0].from, Json({"contractual"}));
  EXPECT_EQ(changes[0].changes[0].to, Json({"contractual", "legal_regulatory"}));
  EXPECT_EQ(changes[0].changes[1].from, "not_implemented");
  EXPECT_EQ(changes[0].changes[1].to, "implemented");
  EXPECT_EQ(changes[0].changes[2].to, Json({4}));
  EXPECT_EQ(changes[1].control_id, "8.7");
  fields.clear();
  for (const auto& c : changes[1].changes) fields.push_back(c.field);
  EXPECT_THAT(fields, ElementsAre("applicable", "reasons", "justification"));
  EXPECT_EQ(changes[1].changes[0].from, true);
  EXPECT_EQ(changes[1].changes[0].to, false);
  // Identical snapshots: nothing.
  EXPECT_THAT(CompareSoa(after, after), IsEmpty());
  // A control missing from a snapshot compares as undecided.
  EXPECT_EQ(CompareSoa(Json::array(), after).size(), 2u);
}

TEST(SoaExportTest, EveryColumnForEveryLine) {
  SoaEntry e{.control_id = "5.1", .version = 1, .applicable = true};
  e.reasons = {"risk_treatment", "contractual"};
  const auto lines = BuildSoaLines({e}, {{1, "Policy set", "in_progress", {"5.1"}}}, {{3, 1}});
  const auto row = SoaExportRow(lines[0]);
  ASSERT_EQ(row.size(), SoaExportHeader().size());
  EXPECT_EQ(row[0], "5.1");
  EXPECT_EQ(row[2], "Organizational");
  EXPECT_EQ(row[8], "Yes");
  EXPECT_EQ(row[9], "Risk treatment; Contractual");
  EXPECT_EQ(row[11], "In progress");
  EXPECT_EQ(row[15], "Policy set (in progress)");
  EXPECT_EQ(row[16], "3");
  EXPECT_EQ(SoaExportRow(lines[1])[8], "Undecided");
}

}  // namespace
}  // namespace rampart::domain
