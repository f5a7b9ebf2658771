// Frameworks (issue 16): OSCAL catalogs and profiles imported as frameworks, the built-in
// ISO/IEC 27001:2013 framework, coverage from applied controls, deletion, the framework written
// back as a catalog and imported again, and the OSCAL exports of the ISMS.
#include "app/framework_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "app/app_fixture.h"
#include "domain/frameworks.h"
#include "domain/improvement.h"
#include "domain/risk.h"
#include "domain/tasks.h"
#include "support/oscal_test_data.h"

namespace rampart::app {
namespace {

using domain::Json;
using domain::Record;
using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;

using test::ReadOscalTestData;

const std::string& Moderate() { return test::ModerateCatalogText(); }

class FrameworkServiceTest : public ServicesTest {
 protected:
  std::vector<Record> ControlsOf(const Principal& p, int64_t framework) {
    auto view = services_->frameworks.Coverage(p, framework);
    EXPECT_THAT(view, IsOk());
    return view.ok() ? std::move(view->controls) : std::vector<Record>{};
  }
  int64_t Count(const domain::RegisterSpec& spec) {
    auto n = store_->Count(spec, acme_.org.id, {});
    return n.ok() ? *n : -1;
  }
  FrameworkService& frameworks() { return services_->frameworks; }
};

TEST_F(FrameworkServiceTest, ImportsACatalogWithEveryControlInOrder) {
  const size_t events_before = Events().size();
  auto f = frameworks().Import(alice_,
                               {.file = Moderate(), .file_name = "C:\\Downloads\\moderate.json"});
  ASSERT_THAT(f, IsOk());
  EXPECT_EQ(f->fields["description"], "Imported from moderate.json.");
  EXPECT_EQ(f->fields["source"], "oscal_catalog");
  EXPECT_THAT(f->fields["title"].get<std::string>(), HasSubstr("MODERATE"));
  EXPECT_EQ(f->fields["edition"], "5.1.1+u4");
  EXPECT_EQ(f->fields["file_sha256"].get<std::string>().size(), 64u);
  const int64_t n = f->fields["control_count"].get<int64_t>();
  EXPECT_EQ(n, 287);
  const auto controls = ControlsOf(alice_, f->id);
  ASSERT_EQ(static_cast<int64_t>(controls.size()), n);
  EXPECT_EQ(controls[0].fields["control_id"], "ac-1");
  EXPECT_EQ(controls[0].fields["label"], "AC-1");
  EXPECT_EQ(controls[0].fields["group_title"], "Access Control");
  EXPECT_EQ(controls[0].fields["position"], 1);
  EXPECT_THAT(controls[0].fields["statement"].get<std::string>(), HasSubstr("a. Develop"));
  const auto ac21 = std::find_if(controls.begin(), controls.end(), [](const Record& r) {
    return r.fields["control_id"] == "ac-2.1";
  });
  ASSERT_NE(ac21, controls.end());
  EXPECT_EQ(ac21->fields["parent"], "ac-2");
  // One audit event per record written.
  EXPECT_EQ(Events().size(), events_before + 1 + static_cast<size_t>(n));
  // Another organisation sees none of it.
  const Principal bob = Globex();
  EXPECT_THAT(frameworks().Coverage(bob, f->id), StatusIs(Code::kNotFound));
  auto theirs = store_->Count(domain::FrameworkControls(), bob.org_id, {});
  ASSERT_THAT(theirs, IsOk());
  EXPECT_EQ(*theirs, 0);
}

TEST_F(FrameworkServiceTest, ResolvesAProfileAgainstItsCatalog) {
  const std::string low = ReadOscalTestData("NIST_SP-800-53_rev5_LOW-baseline_profile.json");
  // A profile alone names what to resolve it against.
  EXPECT_THAT(frameworks().Import(alice_, {.file = low}),
              StatusIs(Code::kInvalidArgument, "catalog"));
  auto f = frameworks().Import(alice_, {.file = low, .catalog = Moderate()});
  ASSERT_THAT(f, IsOk());
  EXPECT_EQ(f->fields["source"], "oscal_profile");
  EXPECT_EQ(f->fields["control_count"], 149);
  EXPECT_THAT(f->fields["catalog"].get<std::string>(), HasSubstr("MODERATE"));
  EXPECT_THAT(f->fields["title"].get<std::string>(), HasSubstr("LOW IMPACT BASELINE"));
  // A catalog comes alone.
  EXPECT_THAT(frameworks().Import(alice_, {.file = Moderate(), .catalog = Moderate()}),
              StatusIs(Code::kInvalidArgument, "catalog"));
}

TEST_F(FrameworkServiceTest, RefusesWhatIsNotOscalNamingWhereAndChangesNothing) {
  const size_t events_before = Events().size();
  auto not_json = frameworks().Import(alice_, {.file = "not json"});
  EXPECT_THAT(not_json, StatusIs(Code::kInvalidArgument, "file"));
  auto neither = frameworks().Import(alice_, {.file = R"({"component-definition": {}})"});
  EXPECT_THAT(neither, StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(neither.status().message(), HasSubstr("neither"));
  auto bad_control = frameworks().Import(
      alice_, {.file = R"({"catalog": {"uuid": "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724",
        "metadata": {"title": "T", "last-modified": "2026-01-01T00:00:00Z", "version": "1",
                     "oscal-version": "1.1.2"},
        "controls": [{"id": "x-1", "title": "One"}, {"title": "No id"}]}})"});
  EXPECT_THAT(bad_control, StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(bad_control.status().message(), HasSubstr("controls[1].id"));
  auto empty = frameworks().Import(
      alice_, {.file = R"({"catalog": {"uuid": "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724",
        "metadata": {"title": "T", "last-modified": "2026-01-01T00:00:00Z", "version": "1",
                     "oscal-version": "1.1.2"}}})"});
  EXPECT_THAT(empty, StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(frameworks().Import(alice_, {}), StatusIs(Code::kInvalidArgument, "file"));
  // A viewer imports nothing.
  Principal viewer = alice_;
  viewer.role = domain::Role::kViewer;
  EXPECT_THAT(frameworks().Import(viewer, {.file = Moderate()}), StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(frameworks().AddBuiltIn(viewer, domain::kIso27001_2013),
              StatusIs(Code::kPermissionDenied));
  EXPECT_EQ(Count(domain::Frameworks()), 0);
  EXPECT_EQ(Events().size(), events_before);
}

TEST_F(FrameworkServiceTest, Iso2013ComesMappedAndOnlyOnce) {
  EXPECT_THAT(frameworks().AddBuiltIn(alice_, "iso27001-2005"),
              StatusIs(Code::kInvalidArgument, "built_in"));
  auto f = frameworks().AddBuiltIn(alice_, domain::kIso27001_2013);
  ASSERT_THAT(f, IsOk());
  EXPECT_EQ(f->fields["title"], "ISO/IEC 27001:2013 Annex A");
  EXPECT_EQ(f->fields["control_count"], 114);
  EXPECT_THAT(f->fields["description"].get<std::string>(), HasSubstr("5.7, 5.23"));
  EXPECT_THAT(frameworks().AddBuiltIn(alice_, domain::kIso27001_2013),
              StatusIs(Code::kAlreadyExists, "built_in"));
  const auto controls = ControlsOf(alice_, f->id);
  ASSERT_EQ(controls.size(), 114u);
  EXPECT_EQ(controls[0].fields["label"], "A.5.1.1");
  EXPECT_EQ(controls[0].fields["group_title"], "A.5 Information security policies");
  EXPECT_EQ(controls[0].fields["annex_controls"], Json::array({"5.1"}));
  EXPECT_EQ(controls.back().fields["annex_controls"], Json::array({"5.36", "8.8"}));
}

TEST_F(FrameworkServiceTest, CoverageFollowsTheAppliedControlsAndTheMappingPeopleKeep) {
  auto f = frameworks().AddBuiltIn(alice_, domain::kIso27001_2013);
  ASSERT_THAT(f, IsOk());
  auto before = frameworks().Coverage(alice_, f->id);
  ASSERT_THAT(before, IsOk());
  EXPECT_EQ(before->coverage.none, 114);
  EXPECT_EQ(before->coverage.unmapped, 0);
  // 5.1.1 and 5.1.2 both became 5.1: one implemented applied control meets both.
  const int64_t policy = Insert(alice_, domain::AppliedControls(),
                                {{"name", "Policy set"},
                                 {"status", "implemented"},
                                 {"annex_controls", Json::array({"5.1"})}});
  const int64_t review =
      Insert(alice_, domain::AppliedControls(), {{"name", "Policy review"}, {"status", "planned"}});
  auto after = frameworks().Coverage(alice_, f->id);
  ASSERT_THAT(after, IsOk());
  EXPECT_EQ(after->coverage.implemented, 2);
  EXPECT_EQ(after->coverage.lines[0].coverage, "implemented");
  EXPECT_EQ(after->coverage.lines[1].coverage, "implemented");
  // Mapping a planned applied control to 5.1.2 itself makes it partial; a control of another
  // organisation cannot be named.
  const Record& c512 = after->controls[1];
  auto changed = services_->registers.Update(
      alice_, domain::FrameworkControls(), c512.id, c512.version,
      {{"controls", Json::array({review})}, {"notes", "Reviewed yearly from 2027"}},
      UpdateMode::kMerge);
  ASSERT_THAT(changed, IsOk());
  auto mapped = frameworks().Coverage(alice_, f->id);
  ASSERT_THAT(mapped, IsOk());
  EXPECT_EQ(mapped->coverage.lines[1].coverage, "partial");
  ASSERT_EQ(mapped->coverage.lines[1].applied_controls.size(), 2u);
  EXPECT_EQ(mapped->coverage.lines[1].applied_controls[0].id, review);
  EXPECT_EQ(mapped->coverage.lines[1].applied_controls[1].id, policy);
  // A control written by hand into the imported framework counts like the others.
  auto added = services_->registers.Create(alice_, domain::FrameworkControls(),
                                           {{"framework", f->id},
                                            {"control_id", "X.1"},
                                            {"title", "Our own extra control"},
                                            {"position", 115},
                                            {"controls", Json::array({policy})}});
  ASSERT_THAT(added, IsOk());
  auto extended = frameworks().Coverage(alice_, f->id);
  ASSERT_THAT(extended, IsOk());
  ASSERT_EQ(extended->coverage.lines.size(), 115u);
  EXPECT_EQ(extended->coverage.lines.back().coverage, "implemented");
  const Principal bob = Globex();
  const int64_t theirs = Insert(bob, domain::AppliedControls(),
                                {{"name", "Globex control"}, {"status", "implemented"}});
  auto foreign =
      services_->registers.Update(alice_, domain::FrameworkControls(), c512.id, changed->version,
                                  {{"controls", Json::array({theirs})}}, UpdateMode::kMerge);
  EXPECT_THAT(foreign, StatusIs(Code::kInvalidArgument, "controls"));
}

TEST_F(FrameworkServiceTest, DeletingAFrameworkDeletesItsControlsWithIt) {
  auto f = frameworks().AddBuiltIn(alice_, domain::kIso27001_2013);
  ASSERT_THAT(f, IsOk());
  EXPECT_THAT(frameworks().Delete(alice_, f->id, std::nullopt),
              StatusIs(Code::kPreconditionRequired));
  EXPECT_THAT(frameworks().Delete(alice_, f->id, f->version + 1), StatusIs(Code::kConflict));
  EXPECT_THAT(frameworks().Delete(Globex(), f->id, f->version), StatusIs(Code::kNotFound));
  EXPECT_EQ(Count(domain::FrameworkControls()), 114);
  const size_t events_before = Events().size();
  ASSERT_THAT(frameworks().Delete(alice_, f->id, f->version), IsOk());
  EXPECT_EQ(Count(domain::Frameworks()), 0);
  EXPECT_EQ(Count(domain::FrameworkControls()), 0);
  EXPECT_EQ(Events().size(), events_before + 115);
  // Added again once deleted.
  EXPECT_THAT(frameworks().AddBuiltIn(alice_, domain::kIso27001_2013), IsOk());
}

// The round trip: a framework written as an OSCAL catalog and imported again gives the same
// controls, field by field.
TEST_F(FrameworkServiceTest, AFrameworkWrittenAsOscalImportsBackUnchanged) {
  for (const bool built_in : {false, true}) {
    SCOPED_TRACE(built_in ? "ISO/IEC 27001:2013" : "NIST SP 800-53 MODERATE");
    auto f = built_in ? frameworks().AddBuiltIn(alice_, domain::kIso27001_2013)
                      : frameworks().Import(alice_, {.file = Moderate()});
    ASSERT_THAT(f, IsOk());
    auto catalog = frameworks().ExportCatalog(alice_, f->id);
    ASSERT_THAT(catalog, IsOk());
    auto again = frameworks().Import(alice_, {.file = *catalog});
    ASSERT_THAT(again, IsOk());
    EXPECT_EQ(again->fields["title"], f->fields["title"]);
    EXPECT_EQ(again->fields["control_count"], f->fields["control_count"]);
    const auto first = ControlsOf(alice_, f->id);
    const auto second = ControlsOf(alice_, again->id);
    ASSERT_EQ(first.size(), second.size());
    for (size_t i = 0; i < first.size(); ++i) {
      for (const char* field : {"position", "control_id", "label", "title", "group_id",
                                "group_title", "parent", "withdrawn", "statement", "guidance"}) {
        EXPECT_EQ(first[i].fields[field], second[i].fields[field])
            << first[i].fields["control_id"] << " " << field;
      }
    }
  }
}

TEST_F(FrameworkServiceTest, ExportsTheIsmsAsOscal) {
  // Nothing decided: no profile, plan or POA&M to speak of, said plainly.
  EXPECT_THAT(frameworks().SoaProfile(alice_), StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(frameworks().SystemSecurityPlan(alice_), StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(frameworks().PlanOfActionAndMilestones(alice_), StatusIs(Code::kFailedPrecondition));
  auto catalog = frameworks().AnnexACatalog(alice_);
  ASSERT_THAT(catalog, IsOk());
  EXPECT_THAT(*catalog, HasSubstr("\"a.8.34\""));

  const int64_t mfa = Insert(alice_, domain::AppliedControls(),
                             {{"name", "MFA \"everywhere\""},
                              {"status", "implemented"},
                              {"owner", acme_.admin.id},
                              {"annex_controls", Json::array({"8.5"})}});
  auto decided = services_->soa.Update(alice_, "8.5", 0,
                                       {{"applicable", true}, {"reasons", {"risk_treatment"}}});
  ASSERT_THAT(decided, IsOk());
  ASSERT_THAT(
      services_->soa.Update(alice_, "7.4", 0,
                            {{"applicable", false}, {"justification", "No premises of our own"}}),
      IsOk());
  Insert(alice_, domain::Risks(),
         {{"title", "Phishing"},
          {"controls", Json::array({mfa})},
          {"actions",
           Json::array({{{"action", "Roll out keys"}, {"status", "open"}, {"due", "2027-03-31"}},
                        {{"action", "Done already"}, {"status", "done"}}})}});
  const int64_t nc = Insert(alice_, domain::Nonconformities(), {{"title", "Late reviews"}});
  Insert(alice_, domain::Tasks(),
         {{"title", "Schedule reviews"}, {"record_type", "nonconformity"}, {"record_id", nc}});

  auto profile = frameworks().SoaProfile(alice_);
  ASSERT_THAT(profile, IsOk());
  EXPECT_THAT(*profile, HasSubstr("\"a.8.5\""));
  EXPECT_THAT(*profile, ::testing::Not(HasSubstr("\"a.7.4\"")));
  auto ssp = frameworks().SystemSecurityPlan(alice_);
  ASSERT_THAT(ssp, IsOk());
  const Json s = Json::parse(*ssp);
  const Json& reqs =
      s["system-security-plan"]["control-implementation"]["implemented-requirements"];
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0]["control-id"], "a.8.5");
  EXPECT_THAT(*ssp, HasSubstr("MFA \\\"everywhere\\\""));
  EXPECT_THAT(*ssp, HasSubstr("No premises of our own"));
  auto poam = frameworks().PlanOfActionAndMilestones(alice_);
  ASSERT_THAT(poam, IsOk());
  const Json p = Json::parse(*poam);
  const Json& items = p["plan-of-action-and-milestones"]["poam-items"];
  ASSERT_EQ(items.size(), 2u);  // the open treatment action and the corrective action
  EXPECT_EQ(items[0]["title"], "Roll out keys");
  EXPECT_EQ(items[1]["title"], "Schedule reviews");
  EXPECT_THAT(*poam, HasSubstr("\"a.8.5\""));
  EXPECT_THAT(*poam, ::testing::Not(HasSubstr("Done already")));

  // The round trip through Rampart's own import: the SoA's profile resolved against the Annex A
  // catalog is the framework of the applicable controls.
  auto soa_framework = frameworks().Import(alice_, {.file = *profile, .catalog = *catalog});
  ASSERT_THAT(soa_framework, IsOk());
  EXPECT_EQ(soa_framework->fields["control_count"], 1);
  const auto applicable = ControlsOf(alice_, soa_framework->id);
  ASSERT_EQ(applicable.size(), 1u);
  EXPECT_EQ(applicable[0].fields["control_id"], "a.8.5");
  EXPECT_EQ(applicable[0].fields["label"], "A.8.5");
  EXPECT_EQ(applicable[0].fields["title"], "Secure authentication");

  // A framework written back, for the schema check.
  auto built_in = frameworks().AddBuiltIn(alice_, domain::kIso27001_2013);
  ASSERT_THAT(built_in, IsOk());
  auto framework = frameworks().ExportCatalog(alice_, built_in->id);
  ASSERT_THAT(framework, IsOk());
  // With RAMPART_OSCAL_OUT set (the ctest fixture oscal_app_samples), the documents are written
  // there for NIST's schemas to judge (oscal_schema_validation_*).
  if (const char* out = std::getenv("RAMPART_OSCAL_OUT"); out != nullptr && *out != '\0') {
    std::filesystem::create_directories(out);
    for (const auto& [name, doc] : std::vector<std::pair<std::string, const std::string*>>{
             {"app-catalog.json", &*catalog},
             {"app-profile.json", &*profile},
             {"app-ssp.json", &*ssp},
             {"app-poam.json", &*poam},
             {"app-framework-catalog.json", &*framework}}) {
      std::ofstream(std::filesystem::path(out) / name, std::ios::binary) << *doc;
    }
  }
}

}  // namespace
}  // namespace rampart::app
