#include "domain/oscal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "support/oscal_test_data.h"
#include "support/status_matchers.h"

namespace rampart::domain {
namespace {

using ::rampart::test::IsOk;
using ::rampart::test::StatusIs;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using ::rampart::test::ReadOscalTestData;

const OscalCatalog& Moderate() { return ::rampart::test::ModerateCatalog(); }

const OscalControl& Control(const OscalCatalog& catalog, std::string_view id) {
  const OscalControl* c = FindOscalControl(catalog, id);
  if (c == nullptr) {
    ADD_FAILURE() << "no control " << id;
    static const OscalControl kNone;
    return kNone;
  }
  return *c;
}

std::vector<std::string> Ids(const OscalCatalog& catalog) {
  std::vector<std::string> ids;
  for (const auto& c : catalog.controls) ids.push_back(c.id);
  return ids;
}

// A profile of the MODERATE catalog from its imports and modify (JSON text).
Result<OscalCatalog> ResolveAgainstModerate(const std::string& imports,
                                            const std::string& modify = "") {
  auto profile = ParseOscalProfile(
      R"({"profile": {"uuid": "p-1", "metadata": {"title": "Tailored", "version": "2"},
          "imports": )" +
      imports + (modify.empty() ? "" : ", \"modify\": " + modify) + "}}");
  if (!profile.ok()) return profile.status();
  return ResolveOscalProfile(*profile, Moderate());
}

// --- Catalogs -------------------------------------------------------------------------------

// 287 controls (177 controls, 110 enhancements) in 18 families, counted independently with jq
// and node over groups[].controls[] and controls[].controls[].
TEST(OscalCatalogTest, ParsesTheNistModerateBaselineWithEveryControlFlattened) {
  const OscalCatalog& catalog = Moderate();
  EXPECT_EQ(catalog.uuid, "4b12cf47-447b-47bb-8653-0a9cf544b744");
  EXPECT_EQ(catalog.title,
            "NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE");
  EXPECT_EQ(catalog.version, "5.1.1+u4");
  EXPECT_EQ(catalog.oscal_version, "1.1.2");
  ASSERT_EQ(catalog.controls.size(), 287u);
  EXPECT_EQ(catalog.controls.front().id, "ac-1");
  EXPECT_EQ(catalog.controls.back().id, "sr-12");
  std::set<std::string> ids;
  std::set<std::string> groups;
  size_t enhancements = 0;
  size_t access_control = 0;
  size_t withdrawn = 0;
  for (const auto& c : catalog.controls) {
    ids.insert(c.id);
    groups.insert(c.group_id);
    enhancements += c.parent_id.empty() ? 0 : 1;
    access_control += c.group_id == "ac" ? 1 : 0;
    withdrawn += c.withdrawn ? 1 : 0;
    EXPECT_FALSE(c.statement.empty()) << c.id;
    EXPECT_THAT(c.statement, ::testing::Not(HasSubstr("{{"))) << c.id;
  }
  EXPECT_EQ(ids.size(), 287u);
  EXPECT_EQ(groups.size(), 18u);
  EXPECT_EQ(enhancements, 110u);
  EXPECT_EQ(access_control, 39u);
  EXPECT_EQ(withdrawn, 0u);
}

TEST(OscalCatalogTest, KeepsAControlsFamilyParametersAndItsEnhancementsParent) {
  const OscalCatalog& catalog = Moderate();
  const OscalControl& ac2 = Control(catalog, "ac-2");
  EXPECT_EQ(ac2.title, "Account Management");
  EXPECT_EQ(ac2.class_name, "SP800-53");
  EXPECT_EQ(ac2.label, "AC-2");
  EXPECT_EQ(ac2.sort_id, "ac-02");
  EXPECT_EQ(ac2.group_id, "ac");
  EXPECT_EQ(ac2.group_title, "Access Control");
  EXPECT_EQ(ac2.parent_id, "");
  ASSERT_EQ(ac2.params.size(), 10u);
  EXPECT_EQ(ac2.params[0].id, "ac-02_odp.01");
  EXPECT_EQ(ac2.params[0].label, "prerequisites and criteria");
  EXPECT_EQ(ac2.params[0].guidelines,
            std::vector<std::string>{
                "prerequisites and criteria for group and role membership are defined;"});
  EXPECT_THAT(ac2.guidance, StartsWith("Examples of system account types include individual"));

  // ac-2.1 follows ac-2 in document order and names it as its parent.
  const auto ids = Ids(catalog);
  const auto at = std::find(ids.begin(), ids.end(), "ac-2");
  ASSERT_NE(at, ids.end());
  EXPECT_EQ(*(at + 1), "ac-2.1");
  const OscalControl& ac21 = Control(catalog, "ac-2.1");
  EXPECT_EQ(ac21.title, "Automated System Account Management");
  EXPECT_EQ(ac21.class_name, "SP800-53-enhancement");
  EXPECT_EQ(ac21.label, "AC-2(1)");
  EXPECT_EQ(ac21.parent_id, "ac-2");
  EXPECT_EQ(ac21.group_id, "ac");
  EXPECT_EQ(ac21.statement,
            "Support the management of system accounts using [Assignment: automated "
            "mechanisms].");
}

TEST(OscalCatalogTest, StatementKeepsItemLabelsNestingAndInsertedParameters) {
  const OscalControl& ac2 = Control(Moderate(), "ac-2");
  EXPECT_THAT(ac2.statement,
              StartsWith("a. Define and document the types of accounts allowed and specifically "
                         "prohibited for use within the system;\nb. Assign account managers;\nc. "
                         "Require [Assignment: prerequisites and criteria] for group and role "
                         "membership;\nd. Specify:\n  1. Authorized users of the system;\n  2. "
                         "Group and role membership; and\n  3. Access authorizations (i.e., "
                         "privileges) and [Assignment: attributes (as required)] for each "
                         "account;\ne. Require approvals by [Assignment: personnel or roles] for "
                         "requests to create accounts;\n"));
  // Prose starting with a space before its insertion is trimmed.
  EXPECT_THAT(
      ac2.statement,
      HasSubstr("\n  1. [Assignment: time period] when accounts are no longer required;\n"));
  // ac-1 nests three levels: a. 1. (a).
  EXPECT_THAT(Control(Moderate(), "ac-1").statement,
              HasSubstr("\n    (a) Addresses purpose, scope, roles, responsibilities"));
}

TEST(OscalCatalogTest, SelectionListsItsChoicesWithTheParametersTheyInsert) {
  const OscalControl& ac7 = Control(Moderate(), "ac-7");
  EXPECT_EQ(ac7.statement,
            "a. Enforce a limit of [Assignment: number] consecutive invalid logon attempts by a "
            "user during a [Assignment: time period] ; and\n"
            "b. Automatically [Selection (one or more): lock the account or node for "
            "[Assignment: time period]; lock the account or node until released by an "
            "administrator; delay next logon prompt per [Assignment: delay algorithm]; notify "
            "system administrator; take other [Assignment: action]] when the maximum number of "
            "unsuccessful attempts is exceeded.");
}

constexpr char kSmallCatalog[] =
    R"({"catalog": {
  "uuid": "c-1",
  "metadata": {"title": "Small", "version": "1", "oscal-version": "1.1.2"},
  "controls": [{"id": "top-1", "title": "Top", "class": "policy",
                "props": [{"name": "label", "value": "T-01", "class": "zero-padded"},
                          {"name": "label", "value": "T-1"},
                          {"name": "status", "value": "withdrawn"}]}],
  "groups": [{"id": "fam", "title": "Family",
    "groups": [{"id": "sub", "title": "Subfamily",
      "controls": [{"id": "x-1", "title": "Reviews",
        "params": [
          {"id": "x-1_prm_1", "label": "frequency", "values": ["monthly", "on change"]},
          {"id": "x-1_prm_2", "label": "personnel"},
          {"id": "x-1_prm_3",
           "select": {"choice": ["all", "some {{ insert: param, x-1_prm_2 }}"]}}],
        "props": [{"name": "sort-id", "value": "x-01"}],
        "parts": [
          {"id": "x-1_smt", "name": "statement",
           "prose": "Review {{insert: param,x-1_prm_1}} with {{ insert: param, x-1_prm_2 }}, )"
    R"({{ insert: param, x-1_prm_3 }} and {{ insert: param, nowhere }}; keep {{ literal }}.",
           "parts": [{"id": "x-1_smt.a", "name": "item",
                      "props": [{"name": "label", "value": "a."}], "prose": "First;"},
                     {"id": "x-1_smt.b", "name": "item",
                      "props": [{"name": "label", "value": "b."}], "prose": "Second."}]},
          {"id": "x-1_gdn", "name": "guidance", "prose": "Why."}],
        "controls": [{"id": "x-1.1", "title": "Enhanced",
                      "parts": [{"name": "statement",
                                 "prose": "More {{ insert: param, x-1_prm_2 }}."}]}]}]}]},
    {"id": "empty", "title": "No controls"}]
}})";

TEST(OscalCatalogTest, SetValuesLabelsAndSelectionsReplaceTheirInsertions) {
  auto r = ParseOscalCatalog(kSmallCatalog);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(Ids(*r), (std::vector<std::string>{"top-1", "x-1", "x-1.1"}));
  const OscalControl& x1 = Control(*r, "x-1");
  EXPECT_EQ(x1.statement,
            "Review monthly, on change with [Assignment: personnel], [Selection: all; some "
            "[Assignment: personnel]] and [Assignment: nowhere]; keep {{ literal }}.\n"
            "a. First;\n"
            "b. Second.");
  EXPECT_EQ(x1.guidance, "Why.");
  EXPECT_EQ(x1.group_id, "sub");
  EXPECT_EQ(x1.group_title, "Subfamily");
  EXPECT_EQ(x1.sort_id, "x-01");
  EXPECT_FALSE(x1.withdrawn);
  ASSERT_EQ(x1.params.size(), 3u);
  EXPECT_EQ(x1.params[0].values, (std::vector<std::string>{"monthly", "on change"}));
  ASSERT_TRUE(x1.params[2].select.has_value());
  EXPECT_EQ(x1.params[2].select->how_many, "");
  EXPECT_EQ(x1.params[2].select->choices.size(), 2u);
  // An enhancement inserting its parent's parameter.
  EXPECT_EQ(Control(*r, "x-1.1").statement, "More [Assignment: personnel].");
  EXPECT_EQ(Control(*r, "x-1.1").parent_id, "x-1");
  const OscalControl& top = Control(*r, "top-1");
  EXPECT_TRUE(top.withdrawn);
  EXPECT_EQ(top.label, "T-1");  // the label without a class
  EXPECT_EQ(top.group_id, "");
  EXPECT_EQ(top.class_name, "policy");
  EXPECT_EQ(top.statement, "");
}

TEST(OscalCatalogTest, RefusesWhatIsNotACatalog) {
  EXPECT_THAT(ParseOscalCatalog("{\"catalog\": "), StatusIs(Code::kInvalidArgument, "catalog"));
  EXPECT_THAT(ParseOscalCatalog(""), StatusIs(Code::kInvalidArgument, "catalog"));
  EXPECT_THAT(ParseOscalCatalog("[1, 2]"), StatusIs(Code::kInvalidArgument, "catalog"));
  EXPECT_THAT(ParseOscalCatalog(R"({"profile": {}})"), StatusIs(Code::kInvalidArgument, "catalog"));
  EXPECT_THAT(ParseOscalCatalog(R"({"catalog": "x"})"),
              StatusIs(Code::kInvalidArgument, "catalog"));
  EXPECT_THAT(ParseOscalCatalog(R"({"catalog": {"metadata": {"title": "T"}}})"),
              StatusIs(Code::kInvalidArgument, "catalog.uuid"));
  EXPECT_THAT(ParseOscalCatalog(R"({"catalog": {"uuid": "u"}})"),
              StatusIs(Code::kInvalidArgument, "catalog.metadata"));
  EXPECT_THAT(ParseOscalCatalog(R"({"catalog": {"uuid": "u", "metadata": {"version": "1"}}})"),
              StatusIs(Code::kInvalidArgument, "catalog.metadata.title"));
  EXPECT_THAT(ParseOscalCatalog(R"({"catalog": {"uuid": "u", "metadata": {"title": 7}}})"),
              StatusIs(Code::kInvalidArgument, "catalog.metadata.title"));
  // Invalid UTF-8 is not JSON.
  EXPECT_THAT(ParseOscalCatalog("{\"catalog\": {\"uuid\": \"\xff\"}}"),
              StatusIs(Code::kInvalidArgument, "catalog"));
}

std::string CatalogWith(const std::string& body) {
  return R"({"catalog": {"uuid": "u", "metadata": {"title": "T"}, )" + body + "}}";
}

TEST(OscalCatalogTest, RefusesControlsWithoutIdOrTitleOrWithADuplicateId) {
  EXPECT_THAT(ParseOscalCatalog(CatalogWith(
                  R"("groups": [{"title": "G", "controls": [{"id": "a", "title": "A"},
                                                          {"title": "No id"}]}])")),
              StatusIs(Code::kInvalidArgument, "controls[1].id"));
  EXPECT_THAT(ParseOscalCatalog(CatalogWith(R"("controls": [{"id": "a", "title": ""}])")),
              StatusIs(Code::kInvalidArgument, "controls[0].title"));
  auto dup = ParseOscalCatalog(CatalogWith(
      R"("controls": [{"id": "a", "title": "A", "controls": [{"id": "a.1", "title": "A1"}]},
                      {"id": "a.1", "title": "Again"}])"));
  EXPECT_THAT(dup, StatusIs(Code::kInvalidArgument, "controls[2].id"));
  EXPECT_THAT(dup.status().message(), HasSubstr("controls[1]"));
  EXPECT_THAT(ParseOscalCatalog(CatalogWith(R"("groups": [{"id": "g"}])")),
              StatusIs(Code::kInvalidArgument, "catalog.groups[0].title"));
  EXPECT_THAT(ParseOscalCatalog(CatalogWith(R"("groups": {"id": "g"})")),
              StatusIs(Code::kInvalidArgument, "catalog.groups"));
  EXPECT_THAT(ParseOscalCatalog(CatalogWith(R"("controls": [{"id": "a", "title": "A",
                                                              "params": {"id": "p"}}])")),
              StatusIs(Code::kInvalidArgument, "controls[0].params"));
  EXPECT_THAT(ParseOscalCatalog(CatalogWith(R"("controls": [{"id": "a", "title": "A",
                                                "parts": [{"name": "statement",
                                                           "parts": [{"prose": "x"}]}]}])")),
              StatusIs(Code::kInvalidArgument, "controls[0].parts[0].parts[0].name"));
  EXPECT_THAT(ParseOscalCatalog(CatalogWith(R"("controls": [3])")),
              StatusIs(Code::kInvalidArgument, "controls[0]"));
}

// `levels` controls, each the enhancement of the one before.
std::string NestedControls(int levels) {
  std::string body = "\"controls\": ";
  for (int i = 0; i < levels; ++i) {
    body += R"([{"id": "c)" + std::to_string(i) + R"(", "title": "t")";
    if (i + 1 < levels) body += ", \"controls\": ";
  }
  for (int i = 0; i < levels; ++i) body += "}]";
  return CatalogWith(body);
}

TEST(OscalCatalogTest, RefusesGroupsAndControlsNestedDeeperThanSixtyFourLevels) {
  auto deepest = ParseOscalCatalog(NestedControls(64));
  ASSERT_THAT(deepest, IsOk());
  EXPECT_EQ(deepest->controls.size(), 64u);
  EXPECT_EQ(deepest->controls.back().parent_id, "c62");
  EXPECT_THAT(ParseOscalCatalog(NestedControls(65)),
              StatusIs(Code::kTooLarge, "controls[63].controls"));

  // 64 levels of groups, the innermost with a group of its own.
  std::string body = "\"groups\": ";
  std::string field = "catalog";
  for (int i = 0; i < 65; ++i) {
    body += R"([{"title": "g", "groups": )";
    if (i < 64) field += ".groups[0]";
  }
  body += "[]";
  for (int i = 0; i < 65; ++i) body += "}]";
  EXPECT_THAT(ParseOscalCatalog(CatalogWith(body)), StatusIs(Code::kTooLarge, field + ".groups"));

  // JSON itself nested beyond any use, refused before it is parsed.
  EXPECT_THAT(
      ParseOscalCatalog(CatalogWith("\"x\": " + std::string(600, '[') + std::string(600, ']'))),
      StatusIs(Code::kTooLarge, "catalog"));
  // Brackets inside strings do not count.
  EXPECT_THAT(ParseOscalCatalog(CatalogWith("\"x\": \"" + std::string(600, '[') + "\"")), IsOk());
}

TEST(OscalCatalogTest, RefusesPartsNestedDeeperThanThirtyTwoLevels) {
  auto nested = [](int levels) {
    std::string parts;
    for (int i = 0; i < levels; ++i) parts += R"("parts": [{"name": "item", )";
    parts += R"("prose": "x")";
    for (int i = 0; i < levels; ++i) parts += "}]";
    return CatalogWith(R"("controls": [{"id": "a", "title": "A", )" + parts + "}]");
  };
  EXPECT_THAT(ParseOscalCatalog(nested(32)), IsOk());
  std::string field = "controls[0]";
  for (int i = 0; i < 32; ++i) field += ".parts[0]";
  EXPECT_THAT(ParseOscalCatalog(nested(33)), StatusIs(Code::kTooLarge, field + ".parts"));
}

TEST(OscalCatalogTest, RefusesMoreThanFiftyThousandControlsAndOver64MiB) {
  std::string body = "\"controls\": [";
  for (size_t i = 0; i <= kOscalMaxControls; ++i) {
    if (i > 0) body += ',';
    body += R"({"id":"c)" + std::to_string(i) + R"(","title":"t"})";
  }
  body += ']';
  EXPECT_THAT(ParseOscalCatalog(CatalogWith(body)), StatusIs(Code::kTooLarge, "controls[50000]"));

  // A group's 1 MiB title repeated in each of its controls: 64 copies pass 64 MiB.
  std::string many =
      R"("groups": [{"id": "g", "title": ")" + std::string(1u << 20, 't') + R"(", "controls": [)";
  for (int i = 0; i < 100; ++i) {
    if (i > 0) many += ',';
    many += R"({"id":"c)" + std::to_string(i) + R"(","title":"t"})";
  }
  many += "]}]";
  EXPECT_THAT(ParseOscalCatalog(CatalogWith(many)), StatusIs(Code::kTooLarge, "controls[63]"));

  std::string huge = CatalogWith("\"x\": \"\"");
  huge.insert(huge.size() - 3, kOscalMaxDocumentBytes, ' ');
  EXPECT_THAT(ParseOscalCatalog(huge), StatusIs(Code::kTooLarge, "catalog"));
}

TEST(OscalCatalogTest, RefusesParameterInsertionsMultiplyingTextBeyondTheLimit) {
  // One 1 MiB label inserted 130 times: 130 MiB of statement.
  std::string prose;
  for (int i = 0; i < 130; ++i) prose += "{{ insert: param, p }} ";
  auto r = ParseOscalCatalog(CatalogWith(R"("controls": [{"id": "a", "title": "A",
      "params": [{"id": "p", "label": ")" +
                                         std::string(1u << 20, 'x') + R"("}],
      "parts": [{"name": "statement", "prose": ")" +
                                         prose + R"("}]}])"));
  EXPECT_THAT(r, StatusIs(Code::kTooLarge, "controls[0]"));
}

// --- Profiles -------------------------------------------------------------------------------

TEST(OscalProfileTest, ParsesTheNistLowBaseline) {
  auto r = ParseOscalProfile(ReadOscalTestData("NIST_SP-800-53_rev5_LOW-baseline_profile.json"));
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->uuid, "7eca4589-7ed9-4552-9da6-738126660be3");
  EXPECT_EQ(r->title, "NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE");
  EXPECT_EQ(r->version, "5.1.1+u4");
  EXPECT_EQ(r->oscal_version, "1.1.2");
  ASSERT_EQ(r->imports.size(), 1u);
  const OscalImport& import = r->imports[0];
  EXPECT_EQ(import.href, "#84cbf061-eb87-4ec1-8112-1f529232e907");
  EXPECT_FALSE(import.include_all);
  EXPECT_TRUE(import.exclude_controls.empty());
  ASSERT_EQ(import.include_controls.size(), 1u);
  // 149 ids, counted with jq (.profile.imports[0]["include-controls"][0]["with-ids"] | length).
  EXPECT_EQ(import.include_controls[0].with_ids.size(), 149u);
  EXPECT_EQ(import.include_controls[0].with_ids.front(), "ac-1");
  EXPECT_EQ(import.include_controls[0].with_ids.back(), "sr-12");
  EXPECT_FALSE(import.include_controls[0].with_child_controls);
  EXPECT_TRUE(import.include_controls[0].matching.empty());
  EXPECT_TRUE(r->set_parameters.empty());
  EXPECT_TRUE(r->alters.empty());
}

TEST(OscalProfileTest, ParsesSelectionsParameterSettingsAndAlterations) {
  auto r = ParseOscalProfile(R"({"profile": {"uuid": "p", "metadata": {"title": "P"},
    "imports": [{"href": "cat.json", "include-all": {},
                 "exclude-controls": [{"with-ids": ["a"], "with-child-controls": "yes"}]},
                {"href": "#res", "include-controls": [{"matching": [{"pattern": "ac-*"}]}]},
                {"href": "#bare"}],
    "modify": {
      "set-parameters": [{"param-id": "p1", "values": ["daily"], "label": "how often",
                          "select": {"how-many": "one-or-more", "choice": ["x", "y"]}}],
      "alters": [{"control-id": "a",
                  "removes": [{"by-name": "guidance"},
                              {"by-id": "a_smt.b", "by-item-name": "part"}],
                  "adds": [{"position": "after", "by-id": "a_smt.a", "title": "T",
                            "props": [{"name": "priority", "value": "P1"}],
                            "parts": [{"name": "item", "prose": "New."}]},
                           {"params": [{"id": "a_prm_9", "label": "extra"}]}]}]}}})");
  ASSERT_THAT(r, IsOk());
  ASSERT_EQ(r->imports.size(), 3u);
  EXPECT_TRUE(r->imports[0].include_all);
  ASSERT_EQ(r->imports[0].exclude_controls.size(), 1u);
  EXPECT_EQ(r->imports[0].exclude_controls[0].with_ids, std::vector<std::string>{"a"});
  EXPECT_TRUE(r->imports[0].exclude_controls[0].with_child_controls);
  EXPECT_FALSE(r->imports[1].include_all);
  ASSERT_EQ(r->imports[1].include_controls.size(), 1u);
  EXPECT_EQ(r->imports[1].include_controls[0].matching, std::vector<std::string>{"ac-*"});
  EXPECT_FALSE(r->imports[2].include_all);
  EXPECT_TRUE(r->imports[2].include_controls.empty());

  ASSERT_EQ(r->set_parameters.size(), 1u);
  const OscalParameterSetting& s = r->set_parameters[0];
  EXPECT_EQ(s.param_id, "p1");
  EXPECT_EQ(s.values, std::vector<std::string>{"daily"});
  EXPECT_EQ(s.label, "how often");
  ASSERT_TRUE(s.select.has_value());
  EXPECT_EQ(s.select->how_many, "one-or-more");
  EXPECT_EQ(s.select->choices, (std::vector<std::string>{"x", "y"}));

  ASSERT_EQ(r->alters.size(), 1u);
  const OscalAlteration& a = r->alters[0];
  EXPECT_EQ(a.control_id, "a");
  ASSERT_EQ(a.removes.size(), 2u);
  EXPECT_EQ(a.removes[0].by_name, "guidance");
  EXPECT_EQ(a.removes[1].by_id, "a_smt.b");
  EXPECT_EQ(a.removes[1].by_item_name, "part");
  ASSERT_EQ(a.adds.size(), 2u);
  EXPECT_EQ(a.adds[0].position, OscalPosition::kAfter);
  EXPECT_EQ(a.adds[0].by_id, "a_smt.a");
  EXPECT_EQ(a.adds[0].title, "T");
  ASSERT_EQ(a.adds[0].props.size(), 1u);
  EXPECT_EQ(a.adds[0].props[0].value, "P1");
  ASSERT_EQ(a.adds[0].parts.size(), 1u);
  EXPECT_EQ(a.adds[0].parts[0].prose, "New.");
  EXPECT_EQ(a.adds[1].position, OscalPosition::kEnding);
  ASSERT_EQ(a.adds[1].params.size(), 1u);
  EXPECT_EQ(a.adds[1].params[0].label, "extra");
}

std::string ProfileWith(const std::string& body) {
  return R"({"profile": {"uuid": "p", "metadata": {"title": "P"}, )" + body + "}}";
}

TEST(OscalProfileTest, RefusesWhatIsNotAProfile) {
  EXPECT_THAT(ParseOscalProfile("profile"), StatusIs(Code::kInvalidArgument, "profile"));
  EXPECT_THAT(ParseOscalProfile(R"({"catalog": {}})"), StatusIs(Code::kInvalidArgument, "profile"));
  EXPECT_THAT(ParseOscalProfile(R"({"profile": {"metadata": {"title": "P"}}})"),
              StatusIs(Code::kInvalidArgument, "profile.uuid"));
  EXPECT_THAT(ParseOscalProfile(R"({"profile": {"uuid": "p", "metadata": {}}})"),
              StatusIs(Code::kInvalidArgument, "profile.metadata.title"));
  EXPECT_THAT(ParseOscalProfile(ProfileWith(R"("merge": {})")),
              StatusIs(Code::kInvalidArgument, "imports"));
  EXPECT_THAT(ParseOscalProfile(ProfileWith(R"("imports": [])")),
              StatusIs(Code::kInvalidArgument, "imports"));
  EXPECT_THAT(ParseOscalProfile(ProfileWith(R"("imports": [{"include-all": {}}])")),
              StatusIs(Code::kInvalidArgument, "imports[0].href"));
  EXPECT_THAT(ParseOscalProfile(ProfileWith(R"("imports": [{"href": "#", "include-all": true}])")),
              StatusIs(Code::kInvalidArgument, "imports[0].include-all"));
  EXPECT_THAT(
      ParseOscalProfile(ProfileWith(
          R"("imports": [{"href": "#", "include-controls": [{"with-ids": ["a"],
                                                            "with-child-controls": "maybe"}]}])")),
      StatusIs(Code::kInvalidArgument, "imports[0].include-controls[0].with-child-controls"));
  EXPECT_THAT(ParseOscalProfile(ProfileWith(
                  R"("imports": [{"href": "#", "exclude-controls": [{"with-ids": "a"}]}])")),
              StatusIs(Code::kInvalidArgument, "imports[0].exclude-controls[0].with-ids"));
  EXPECT_THAT(ParseOscalProfile(ProfileWith(R"("imports": [{"href": "#"}],
                  "modify": {"set-parameters": [{"values": ["x"]}]})")),
              StatusIs(Code::kInvalidArgument, "modify.set-parameters[0].param-id"));
  EXPECT_THAT(ParseOscalProfile(ProfileWith(R"("imports": [{"href": "#"}],
                  "modify": {"alters": [{"adds": []}]})")),
              StatusIs(Code::kInvalidArgument, "modify.alters[0].control-id"));
  EXPECT_THAT(ParseOscalProfile(ProfileWith(R"("imports": [{"href": "#"}],
                  "modify": {"alters": [{"control-id": "a", "adds": [{"position": "middle"}]}]})")),
              StatusIs(Code::kInvalidArgument, "modify.alters[0].adds[0].position"));
  EXPECT_THAT(ParseOscalProfile(ProfileWith(R"("imports": [{"href": "#"}],
                  "modify": {"alters": [{"control-id": "a", "removes": [{}]}]})")),
              StatusIs(Code::kInvalidArgument, "modify.alters[0].removes[0]"));
  EXPECT_THAT(ParseOscalProfile(ProfileWith(R"("imports": [{"href": "#"}],
                  "modify": {"alters": [{"control-id": "a",
                                         "removes": [{"by-item-name": "title"}]}]})")),
              StatusIs(Code::kInvalidArgument, "modify.alters[0].removes[0].by-item-name"));
}

// --- Resolution -----------------------------------------------------------------------------

// 149 controls: every id of the LOW profile is in the MODERATE catalog (checked with node), none
// of its imports takes child controls, and 18 of them are enhancements.
TEST(OscalResolveTest, ResolvesTheNistLowBaselineAgainstTheModerateCatalog) {
  auto profile =
      ParseOscalProfile(ReadOscalTestData("NIST_SP-800-53_rev5_LOW-baseline_profile.json"));
  ASSERT_THAT(profile, IsOk());
  auto r = ResolveOscalProfile(*profile, Moderate());
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(r->title, "NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE");
  EXPECT_EQ(r->uuid, profile->uuid);
  EXPECT_EQ(r->version, "5.1.1+u4");
  ASSERT_EQ(r->controls.size(), 149u);
  // The profile lists its ids in catalog order, so the result lists the same ids.
  EXPECT_EQ(Ids(*r), profile->imports[0].include_controls[0].with_ids);
  size_t enhancements = 0;
  for (const auto& c : r->controls) enhancements += c.parent_id.empty() ? 0 : 1;
  EXPECT_EQ(enhancements, 18u);
  EXPECT_EQ(FindOscalControl(*r, "ac-2.1"), nullptr);
  EXPECT_EQ(Control(*r, "ac-2").statement, Control(Moderate(), "ac-2").statement);
  EXPECT_EQ(Control(*r, "ac-2").group_id, "ac");
}

TEST(OscalResolveTest, WithChildControlsTakesEveryEnhancement) {
  auto without = ResolveAgainstModerate(R"([{"href": "#m",
      "include-controls": [{"with-ids": ["ac-2"], "with-child-controls": "no"}]}])");
  ASSERT_THAT(without, IsOk());
  EXPECT_EQ(Ids(*without), std::vector<std::string>{"ac-2"});
  auto with = ResolveAgainstModerate(R"([{"href": "#m",
      "include-controls": [{"with-ids": ["ac-2"], "with-child-controls": "yes"}]}])");
  ASSERT_THAT(with, IsOk());
  EXPECT_EQ(Ids(*with), (std::vector<std::string>{"ac-2", "ac-2.1", "ac-2.2", "ac-2.3", "ac-2.4",
                                                  "ac-2.5", "ac-2.13"}));
  EXPECT_EQ(with->title, "Tailored");
  EXPECT_EQ(with->version, "2");
}

TEST(OscalResolveTest, ExcludeControlsDropsThemFromTheImport) {
  auto one = ResolveAgainstModerate(R"([{"href": "#m", "include-all": {},
      "exclude-controls": [{"with-ids": ["ac-2"]}]}])");
  ASSERT_THAT(one, IsOk());
  EXPECT_EQ(one->controls.size(), 286u);
  EXPECT_EQ(FindOscalControl(*one, "ac-2"), nullptr);
  EXPECT_NE(FindOscalControl(*one, "ac-2.1"), nullptr);
  auto family = ResolveAgainstModerate(R"([{"href": "#m", "include-all": {},
      "exclude-controls": [{"with-ids": ["ac-2"], "with-child-controls": "yes"}]}])");
  ASSERT_THAT(family, IsOk());
  EXPECT_EQ(family->controls.size(), 280u);
  EXPECT_EQ(FindOscalControl(*family, "ac-2.13"), nullptr);
  // An import without include-all or include-controls takes every control.
  auto implicit = ResolveAgainstModerate(R"([{"href": "#m"}])");
  ASSERT_THAT(implicit, IsOk());
  EXPECT_EQ(implicit->controls.size(), 287u);
}

TEST(OscalResolveTest, MatchingPatternsAndSeveralImportsKeepCatalogOrder) {
  auto r = ResolveAgainstModerate(R"([
      {"href": "#m", "include-controls": [{"matching": [{"pattern": "ia-2.*"}]}]},
      {"href": "#m", "include-controls": [{"matching": [{"pattern": "ac-1?"}]},
                                          {"with-ids": ["ac-1"]}],
                     "exclude-controls": [{"with-ids": ["ac-12"]}]}])");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(Ids(*r), (std::vector<std::string>{"ac-1", "ac-11", "ac-14", "ac-17", "ac-18", "ac-19",
                                               "ia-2.1", "ia-2.2", "ia-2.8", "ia-2.12"}));
}

TEST(OscalResolveTest, SetParametersChangeTheRenderedStatement) {
  auto r = ResolveAgainstModerate(
      R"([{"href": "#m", "include-controls": [{"with-ids": ["ac-2", "ac-2.1", "ac-7"]}]}])",
      R"({"set-parameters": [
          {"param-id": "ac-02.01_odp", "values": ["the identity governance system"]},
          {"param-id": "ac-02_odp.01", "label": "approval by the asset owner"},
          {"param-id": "ac-07_odp.03", "values": ["lock the account for 15 minutes"]},
          {"param-id": "ac-07_odp.01", "select": {"choice": ["three", "five"]}},
          {"param-id": "sc-7_prm_1", "values": ["not selected: ignored"]}]})");
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(Control(*r, "ac-2.1").statement,
            "Support the management of system accounts using the identity governance system.");
  ASSERT_EQ(Control(*r, "ac-2.1").params.size(), 1u);
  EXPECT_EQ(Control(*r, "ac-2.1").params[0].values,
            std::vector<std::string>{"the identity governance system"});
  EXPECT_THAT(Control(*r, "ac-2").statement,
              HasSubstr("\nc. Require [Assignment: approval by the asset owner] for group"));
  EXPECT_EQ(Control(*r, "ac-7").statement,
            "a. Enforce a limit of [Selection: three; five] consecutive invalid logon attempts "
            "by a user during a [Assignment: time period] ; and\n"
            "b. Automatically lock the account for 15 minutes when the maximum number of "
            "unsuccessful attempts is exceeded.");
  // The catalog is not changed.
  EXPECT_EQ(Control(Moderate(), "ac-2.1").statement,
            "Support the management of system accounts using [Assignment: automated "
            "mechanisms].");
}

Result<OscalCatalog> ResolveAgainstSmall(const std::string& modify) {
  auto catalog = ParseOscalCatalog(kSmallCatalog);
  if (!catalog.ok()) return catalog.status();
  auto profile = ParseOscalProfile(
      ProfileWith(R"("imports": [{"href": "#small", "include-all": {}}], "modify": )" + modify));
  if (!profile.ok()) return profile.status();
  return ResolveOscalProfile(*profile, *catalog);
}

TEST(OscalResolveTest, AltersAddAndRemovePartsPropsAndParameters) {
  auto r = ResolveAgainstSmall(R"json({"alters": [{"control-id": "x-1",
      "removes": [{"by-name": "guidance"}, {"by-id": "x-1_smt.b"}, {"by-name": "sort-id"}],
      "adds": [
        {"position": "after", "by-id": "x-1_smt.a",
         "parts": [{"id": "x-1_smt.a2", "name": "item",
                    "props": [{"name": "label", "value": "a2."}],
                    "prose": "Added after a, for {{ insert: param, x-1_prm_4 }}."}]},
        {"position": "starting", "by-id": "x-1_smt.a",
         "parts": [{"name": "item", "props": [{"name": "label", "value": "(i)"}],
                    "prose": "Inside a, first."
}]
},
        {"position": "before", "by-id": "x-1_smt.a",
         "parts": [{"name": "item", "prose": "Before a."}]},
        {"parts": [{"name": "guidance", "prose": "The organisation's own guidance."}],
         "props": [{"name": "priority", "value": "P1"}],
         "params": [{"id": "x-1_prm_4", "label": "scope"}]},
        {"position": "starting", "title": "Reviews, tailored"}]
}],
    "set-parameters": [{"param-id": "x-1_prm_4", "values": ["the whole ISMS"]}]
})json");
  ASSERT_THAT(r, IsOk());
  const OscalControl& x1 = Control(*r, "x-1");
  EXPECT_EQ(x1.title, "Reviews, tailored");
  EXPECT_EQ(x1.statement,
            "Review monthly, on change with [Assignment: personnel], [Selection: all; some "
            "[Assignment: personnel]] and [Assignment: nowhere]; keep {{ literal }}.\n"
            "Before a.\n"
            "a. First;\n"
            "  (i) Inside a, first.\n"
            "a2. Added after a, for the whole ISMS.");
  EXPECT_EQ(x1.guidance, "The organisation's own guidance.");
  EXPECT_EQ(x1.sort_id, "");  // its prop removed
  ASSERT_EQ(x1.props.size(), 1u);
  EXPECT_EQ(x1.props[0].name, "priority");
  ASSERT_EQ(x1.params.size(), 4u);
  EXPECT_EQ(x1.params[3].values, std::vector<std::string>{"the whole ISMS"});
  // Other controls are as in the catalog.
  EXPECT_EQ(Control(*r, "x-1.1").statement, "More [Assignment: personnel].");
}

TEST(OscalResolveTest, RemovalsMatchEveryCriterionGiven) {
  auto r = ResolveAgainstSmall(R"({"alters": [{"control-id": "x-1",
      "removes": [{"by-name": "item", "by-id": "x-1_smt.a"},
                  {"by-item-name": "param", "by-id": "x-1_prm_1"},
                  {"by-name": "statement", "by-item-name": "prop"}]}]})");
  ASSERT_THAT(r, IsOk());
  const OscalControl& x1 = Control(*r, "x-1");
  // Only item a went; the parameter went, so its insertion shows its id; no prop is named
  // "statement", so the statement stays.
  EXPECT_EQ(x1.statement,
            "Review [Assignment: x-1_prm_1] with [Assignment: personnel], [Selection: all; some "
            "[Assignment: personnel]] and [Assignment: nowhere]; keep {{ literal }}.\n"
            "b. Second.");
  EXPECT_EQ(x1.params.size(), 2u);
}

TEST(OscalResolveTest, RefusesIdsTheCatalogDoesNotHave) {
  EXPECT_THAT(ResolveAgainstModerate(R"([{"href": "#m", "include-controls": [
                  {"with-ids": ["ac-2", "zz-99"]}]}])"),
              StatusIs(Code::kInvalidArgument, "imports[0].include-controls"));
  EXPECT_THAT(ResolveAgainstModerate(R"([{"href": "#m", "include-all": {}},
                  {"href": "#m", "include-all": {},
                   "exclude-controls": [{"with-ids": ["ac-99"]}]}])"),
              StatusIs(Code::kInvalidArgument, "imports[1].exclude-controls"));
  EXPECT_THAT(ResolveAgainstModerate(R"([{"href": "#m"}])",
                                     R"({"alters": [{"control-id": "ac-2"},
                                                    {"control-id": "ac-99"}]})"),
              StatusIs(Code::kInvalidArgument, "modify.alters[1].control-id"));
  // Alterations of a control in the catalog but not selected are no error.
  EXPECT_THAT(ResolveAgainstModerate(R"([{"href": "#m", "include-controls": [
                                          {"with-ids": ["ac-1"]}]}])",
                                     R"({"alters": [{"control-id": "ac-2",
                                         "adds": [{"by-id": "nothing-here"}]}]})"),
              IsOk());
  EXPECT_THAT(ResolveAgainstModerate(R"([{"href": "#m"}])",
                                     R"({"alters": [{"control-id": "ac-2",
                                         "adds": [{"by-id": "ac-2_smt.zz", "props": []}]}]})"),
              StatusIs(Code::kInvalidArgument, "modify.alters[0].adds[0].by-id"));
  OscalProfile empty{.uuid = "p", .title = "P"};
  EXPECT_THAT(ResolveOscalProfile(empty, Moderate()), StatusIs(Code::kInvalidArgument, "imports"));
}

TEST(OscalResolveTest, RefusesAdditionsNestingPartsTooDeep) {
  // Item a is at level 2; 31 levels added inside it reach 33.
  std::string parts = R"({"name": "item", "prose": "x"})";
  for (int i = 1; i < 31; ++i) parts = R"({"name": "item", "parts": [)" + parts + "]}";
  EXPECT_THAT(ResolveAgainstSmall(R"({"alters": [{"control-id": "x-1", "adds": [
                  {"position": "ending", "by-id": "x-1_smt.a", "parts": [)" +
                                  parts + "]}]}]}"),
              StatusIs(Code::kTooLarge, "modify.alters[0].adds[0].parts"));
  // Beside item a they reach 32, the limit.
  EXPECT_THAT(ResolveAgainstSmall(R"({"alters": [{"control-id": "x-1", "adds": [
                  {"position": "after", "by-id": "x-1_smt.a", "parts": [)" +
                                  parts + "]}]}]}"),
              IsOk());
}

}  // namespace
}  // namespace rampart::domain
