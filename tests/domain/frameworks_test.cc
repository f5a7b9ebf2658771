#include "domain/frameworks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "domain/annex_a.h"
#include "domain/oscal.h"

namespace rampart::domain {
namespace {

using ::testing::ElementsAre;

Record ControlRecord(int64_t id, Json annex, Json controls, bool withdrawn = false) {
  Record r{.id = id};
  r.fields = {{"control_id", "c-" + std::to_string(id)},
              {"title", "Control " + std::to_string(id)},
              {"withdrawn", withdrawn},
              {"annex_controls", std::move(annex)},
              {"controls", std::move(controls)}};
  return r;
}

std::vector<std::string> Names(const FrameworkCoverageLine& line) {
  std::vector<std::string> out;
  for (const auto& a : line.applied_controls) out.push_back(a.name);
  return out;
}

TEST(FrameworkCoverageTest, CountsTheAppliedControlsNamedAndThoseOfItsAnnexAControls) {
  const std::vector<SoaAppliedControl> applied = {
      {.id = 1, .name = "MFA", .status = "implemented", .annex_controls = {"5.17", "8.5"}},
      {.id = 2, .name = "Access reviews", .status = "planned", .annex_controls = {"5.18"}},
      {.id = 3, .name = "Backups", .status = "in_progress", .annex_controls = {"8.13"}},
      {.id = 4, .name = "Awareness", .status = "not_effective", .annex_controls = {}},
  };
  const std::vector<Record> controls = {
      ControlRecord(10, Json::array({"8.5"}), Json::array()),           // MFA: implemented
      ControlRecord(11, Json::array({"5.17", "5.18"}), Json::array()),  // MFA + reviews
      ControlRecord(12, Json::array({"8.13"}), Json::array({3})),       // backups once
      ControlRecord(13, Json::array(), Json::array({2})),               // planned only
      ControlRecord(14, Json::array(), Json::array()),                  // nothing
      ControlRecord(15, Json::array({"8.5"}), Json::array(), true),     // withdrawn
      ControlRecord(16, Json::array(), Json::array({4})),               // not effective
      ControlRecord(17, Json::array({"5.1"}), Json::array({99})),       // mapped, nothing there
  };
  const FrameworkCoverage c = DeriveFrameworkCoverage(controls, applied);
  ASSERT_EQ(c.lines.size(), controls.size());
  EXPECT_EQ(c.lines[0].coverage, "implemented");
  EXPECT_THAT(Names(c.lines[0]), ElementsAre("MFA"));
  EXPECT_EQ(c.lines[1].coverage, "partial");
  EXPECT_THAT(Names(c.lines[1]), ElementsAre("Access reviews", "MFA"));
  EXPECT_EQ(c.lines[1].derived_status, "partially_implemented");
  EXPECT_EQ(c.lines[2].coverage, "partial");  // in progress
  EXPECT_THAT(Names(c.lines[2]), ElementsAre("Backups"));
  EXPECT_EQ(c.lines[3].coverage, "none");
  EXPECT_EQ(c.lines[3].derived_status, "planned");
  EXPECT_EQ(c.lines[4].coverage, "none");
  EXPECT_EQ(c.lines[4].derived_status, "not_implemented");
  EXPECT_EQ(c.lines[5].coverage, "withdrawn");
  EXPECT_EQ(c.lines[6].coverage, "none");
  EXPECT_EQ(c.lines[6].derived_status, "not_effective");
  EXPECT_EQ(c.lines[7].coverage, "none");
  EXPECT_TRUE(c.lines[7].applied_controls.empty());
  EXPECT_EQ(c.lines[7].control, &controls[7]);
  EXPECT_EQ(c.implemented, 1);
  EXPECT_EQ(c.partial, 2);
  EXPECT_EQ(c.none, 4);
  EXPECT_EQ(c.withdrawn, 1);
  EXPECT_EQ(c.unmapped, 1);               // control 14 only; 17 is mapped though nothing meets it
  EXPECT_EQ(c.ImplementedPercent(), 14);  // 1 of 7 that count
}

TEST(FrameworkCoverageTest, CoverageOfStatuses) {
  EXPECT_EQ(CoverageOf({}), "none");
  EXPECT_EQ(CoverageOf({"implemented", "implemented"}), "implemented");
  EXPECT_EQ(CoverageOf({"implemented", "not_effective"}), "partial");
  EXPECT_EQ(CoverageOf({"planned", "in_progress"}), "partial");
  EXPECT_EQ(CoverageOf({"planned", "not_effective"}), "none");
  EXPECT_EQ(FrameworkCoverage{}.ImplementedPercent(), 0);
  EXPECT_EQ(CoverageLabel("partial"), "Partial");
  EXPECT_EQ(CoverageLabel("withdrawn"), "Withdrawn");
}

TEST(FrameworksTest, RegistersAreDescribedForTheirUse) {
  // Where a framework came from is written by its import only; a framework written by hand is
  // "written".
  const RegisterSpec& f = Frameworks();
  EXPECT_FALSE(f.workflow_only);
  for (const char* name : {"source", "oscal_uuid", "built_in", "control_count", "file_sha256"}) {
    ASSERT_NE(f.Field(name), nullptr) << name;
    EXPECT_TRUE(f.Field(name)->read_only) << name;
  }
  std::vector<FieldError> errors;
  const Json written =
      ValidateFields(f, {{"title", "Customer questionnaire"}}, WriteMode::kCreate, nullptr, errors);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(written["source"], "written");
  ValidateFields(f, {{"title", "X"}, {"source", "built_in"}}, WriteMode::kCreate, nullptr, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "source");
  // A control names its framework, and the Annex A and applied controls that meet it.
  const RegisterSpec& s = FrameworkControls();
  ASSERT_NE(s.Field("framework"), nullptr);
  EXPECT_TRUE(s.Field("framework")->required);
  EXPECT_EQ(s.Field("framework")->ref, "framework");
  EXPECT_EQ(s.Field("controls")->ref, "applied_control");
  EXPECT_EQ(s.Field("annex_controls")->choices.size(), AnnexAControls().size());
  errors.clear();
  ValidateFields(s,
                 {{"framework", 1},
                  {"control_id", "Q-1"},
                  {"title", "Backups tested"},
                  {"annex_controls", {"8.13", "9.9"}}},
                 WriteMode::kCreate, nullptr, errors);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "annex_controls[1]");
}

TEST(FrameworksTest, ControlFieldsRoundTripThroughOscal) {
  OscalControl c{.id = "ac-2.1",
                 .title = "Automated System Account Management",
                 .label = "AC-2(1)",
                 .withdrawn = false,
                 .group_id = "ac",
                 .group_title = "Access Control",
                 .parent_id = "ac-2",
                 .statement = "Support the management of accounts.",
                 .guidance = "Automated mechanisms include e-mail."};
  const Json f = FrameworkControlFields(c, 7);
  EXPECT_EQ(f["position"], 7);
  EXPECT_EQ(f["control_id"], "ac-2.1");
  EXPECT_EQ(f["label"], "AC-2(1)");
  EXPECT_EQ(f["group_id"], "ac");
  EXPECT_EQ(f["parent"], "ac-2");
  EXPECT_TRUE(f["framework"].is_null());
  EXPECT_EQ(f["annex_controls"], Json::array());
  const OscalControl back = FrameworkControlAsOscal(f);
  EXPECT_EQ(back.id, c.id);
  EXPECT_EQ(back.title, c.title);
  EXPECT_EQ(back.label, c.label);
  EXPECT_EQ(back.group_id, c.group_id);
  EXPECT_EQ(back.group_title, c.group_title);
  EXPECT_EQ(back.parent_id, c.parent_id);
  EXPECT_EQ(back.statement, c.statement);
  EXPECT_EQ(back.guidance, c.guidance);
  ASSERT_EQ(back.parts.size(), 2u);
  EXPECT_EQ(back.parts[0].name, "statement");
  EXPECT_EQ(back.parts[1].name, "guidance");
  // Withdrawn survives as the status prop OSCAL uses.
  c.withdrawn = true;
  c.statement.clear();
  const OscalControl w = FrameworkControlAsOscal(FrameworkControlFields(c, 1));
  EXPECT_TRUE(w.withdrawn);
  ASSERT_EQ(w.parts.size(), 1u);
  EXPECT_EQ(w.parts[0].name, "guidance");
}

TEST(Iso2013Test, ShipsTheWholeAnnexMappedTo2022) {
  const auto& controls = Iso27001_2013Controls();
  ASSERT_EQ(controls.size(), 114u);
  EXPECT_EQ(controls.front().id, "5.1.1");
  EXPECT_EQ(controls.front().title, "Policies for information security");
  EXPECT_EQ(controls.front().group, "A.5 Information security policies");
  EXPECT_THAT(controls.front().annex_2022, ElementsAre("5.1"));
  EXPECT_EQ(controls.back().id, "18.2.3");
  EXPECT_THAT(controls.back().annex_2022, ElementsAre("5.36", "8.8"));
  EXPECT_THAT(Iso27001_2022NewControls(), ElementsAre("5.7", "5.23", "5.30", "7.4", "8.9", "8.10",
                                                      "8.11", "8.12", "8.16", "8.23", "8.28"));
  // Every 2022 control is reached: from a 2013 control or as new; every target is one of them.
  std::set<std::string> reached(Iso27001_2022NewControls().begin(),
                                Iso27001_2022NewControls().end());
  std::set<std::string> ids;
  for (const auto& c : controls) {
    EXPECT_TRUE(ids.insert(c.id).second) << c.id;
    EXPECT_FALSE(c.annex_2022.empty()) << c.id;
    for (const auto& n : c.annex_2022) {
      EXPECT_NE(FindAnnexAControl(n), nullptr) << c.id << " -> " << n;
      reached.insert(n);
    }
  }
  EXPECT_EQ(reached.size(), AnnexAControls().size());
}

}  // namespace
}  // namespace rampart::domain
