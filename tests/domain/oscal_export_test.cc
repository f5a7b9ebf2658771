#include "domain/oscal_export.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "domain/annex_a.h"
#include "domain/oscal.h"
#include "domain/record.h"
#include "support/oscal_test_data.h"
#include "support/status_matchers.h"

namespace rampart::domain {
namespace {

using ::rampart::test::IsOk;
using ::rampart::test::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using ::rampart::test::ReadOscalTestData;

const OscalCatalog& Moderate() { return ::rampart::test::ModerateCatalog(); }

OscalExportMeta Meta() {
  return {.organisation = "Acme Ltd",
          .uuid_seed = "org:12",
          .generated_at = "2026-12-06T22:00:00Z",
          .version = "SoA version 3"};
}

// OSCAL's UUIDDatatype, as the schemas write it.
bool MatchesUuidPattern(const std::string& s) {
  static const std::regex kPattern(
      "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$");
  return std::regex_match(s, kPattern);
}

Json Parsed(const Result<std::string>& text) {
  if (!text.ok()) {
    ADD_FAILURE() << text.status().ToString();
    return Json::object();
  }
  return Json::parse(*text);
}

std::vector<std::string> Ids(const OscalCatalog& catalog) {
  std::vector<std::string> ids;
  for (const auto& c : catalog.controls) ids.push_back(c.id);
  return ids;
}

// The props named `name` of a JSON object's "props", as "ns|value".
std::vector<std::string> PropValues(const Json& obj, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& p : obj.value("props", Json::array())) {
    if (p["name"] == name) out.push_back(p.value("ns", "") + "|" + p["value"].get<std::string>());
  }
  return out;
}

// --- Every field of a control --------------------------------------------------------------------

void ExpectSameProps(const std::vector<OscalProperty>& a, const std::vector<OscalProperty>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].value, b[i].value);
    EXPECT_EQ(a[i].class_name, b[i].class_name);
    EXPECT_EQ(a[i].ns, b[i].ns);
  }
}

void ExpectSameParts(const std::vector<OscalPart>& a, const std::vector<OscalPart>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE("part " + a[i].id + " " + a[i].name);
    EXPECT_EQ(a[i].id, b[i].id);
    EXPECT_EQ(a[i].name, b[i].name);
    EXPECT_EQ(a[i].ns, b[i].ns);
    EXPECT_EQ(a[i].class_name, b[i].class_name);
    EXPECT_EQ(a[i].title, b[i].title);
    EXPECT_EQ(a[i].prose, b[i].prose);
    ExpectSameProps(a[i].props, b[i].props);
    ExpectSameParts(a[i].parts, b[i].parts);
  }
}

void ExpectSameControl(const OscalControl& a, const OscalControl& b) {
  SCOPED_TRACE("control " + a.id);
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.class_name, b.class_name);
  EXPECT_EQ(a.label, b.label);
  EXPECT_EQ(a.sort_id, b.sort_id);
  EXPECT_EQ(a.withdrawn, b.withdrawn);
  EXPECT_EQ(a.group_id, b.group_id);
  EXPECT_EQ(a.group_title, b.group_title);
  EXPECT_EQ(a.parent_id, b.parent_id);
  ASSERT_EQ(a.params.size(), b.params.size());
  for (size_t i = 0; i < a.params.size(); ++i) {
    const OscalParameter& p = a.params[i];
    const OscalParameter& q = b.params[i];
    SCOPED_TRACE("param " + p.id);
    EXPECT_EQ(p.id, q.id);
    EXPECT_EQ(p.class_name, q.class_name);
    EXPECT_EQ(p.label, q.label);
    EXPECT_EQ(p.values, q.values);
    EXPECT_EQ(p.guidelines, q.guidelines);
    ASSERT_EQ(p.select.has_value(), q.select.has_value());
    if (p.select.has_value()) {
      EXPECT_EQ(p.select->how_many, q.select->how_many);
      EXPECT_EQ(p.select->choices, q.select->choices);
    }
    ExpectSameProps(p.props, q.props);
  }
  ExpectSameProps(a.props, b.props);
  ExpectSameParts(a.parts, b.parts);
  EXPECT_EQ(a.statement, b.statement);
  EXPECT_EQ(a.guidance, b.guidance);
}

void ExpectSameControls(const OscalCatalog& a, const OscalCatalog& b) {
  ASSERT_EQ(Ids(a), Ids(b));
  for (size_t i = 0; i < a.controls.size(); ++i) ExpectSameControl(a.controls[i], b.controls[i]);
}

// --- What a document references ------------------------------------------------------------------

struct References {
  std::set<std::string> uuids;         // of the document's objects
  std::vector<std::string> uuid_refs;  // component-uuid, party-uuids, risk-uuid, ...
  std::set<std::string> roles;         // metadata.roles
  std::vector<std::string> role_refs;  // role-id, role-ids
};

void Collect(const Json& j, References& out) {
  if (j.is_array()) {
    for (const auto& e : j) Collect(e, out);
    return;
  }
  if (!j.is_object()) return;
  for (const auto& [key, v] : j.items()) {
    if (key == "uuid" && v.is_string()) out.uuids.insert(v.get<std::string>());
    if (key.ends_with("-uuid") && v.is_string()) out.uuid_refs.push_back(v.get<std::string>());
    if (key.ends_with("-uuids")) {
      for (const auto& u : v) out.uuid_refs.push_back(u.get<std::string>());
    }
    if (key == "role-id") out.role_refs.push_back(v.get<std::string>());
    if (key == "role-ids") {
      for (const auto& r : v) out.role_refs.push_back(r.get<std::string>());
    }
    Collect(v, out);
  }
}

// Every uuid and role id the document references is one it defines; every uuid is OSCAL's.
void ExpectReferencesResolve(const Json& root) {
  References refs;
  Collect(root, refs);
  const Json& metadata = root.begin().value()["metadata"];
  for (const auto& r : metadata["roles"]) refs.roles.insert(r["id"].get<std::string>());
  EXPECT_FALSE(refs.uuid_refs.empty());
  for (const auto& u : refs.uuids) EXPECT_TRUE(MatchesUuidPattern(u)) << u;
  for (const auto& u : refs.uuid_refs) EXPECT_TRUE(refs.uuids.contains(u)) << u;
  for (const auto& r : refs.role_refs) EXPECT_TRUE(refs.roles.contains(r)) << r;
}

// --- UUIDs ---------------------------------------------------------------------------------------

TEST(OscalUuidTest, IsANameBasedVersionFiveUuidOfTheSeed) {
  // Computed independently: SHA-256 of the seed in Python, first 16 bytes, version and variant
  // set.
  EXPECT_EQ(OscalUuid("org:12/applied-control:7"), "307006a4-8475-522f-9d52-601f66452cc0");
  EXPECT_EQ(OscalUuid("org:12/applied-control:7"), OscalUuid("org:12/applied-control:7"));
  EXPECT_NE(OscalUuid("org:12/applied-control:7"), OscalUuid("org:12/applied-control:8"));
  EXPECT_NE(OscalUuid("org:12/applied-control:7"), OscalUuid("org:13/applied-control:7"));
  static const std::regex kLowerV5(
      "^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<char> variants;
  for (int i = 0; i < 200; ++i) {
    const std::string u = OscalUuid("seed " + std::to_string(i));
    EXPECT_TRUE(std::regex_match(u, kLowerV5)) << u;
    EXPECT_TRUE(MatchesUuidPattern(u)) << u;
    variants.insert(u[19]);
  }
  EXPECT_EQ(variants, (std::set<char>{'8', '9', 'a', 'b'}));
  EXPECT_TRUE(MatchesUuidPattern(OscalUuid("")));
}

// --- Annex A catalog -----------------------------------------------------------------------------

TEST(OscalAnnexACatalogTest, ParsesBackAsTheNinetyThreeControlsWithTheirLabelsAndThemes) {
  auto text = OscalAnnexACatalogJson(Meta());
  ASSERT_THAT(text, IsOk());
  auto catalog = ParseOscalCatalog(*text);
  ASSERT_THAT(catalog, IsOk());
  EXPECT_EQ(catalog->title, "ISO/IEC 27001:2022 Annex A controls");
  EXPECT_EQ(catalog->version, "ISO/IEC 27001:2022");
  EXPECT_EQ(catalog->oscal_version, "1.1.3");
  EXPECT_EQ(catalog->uuid, OscalUuid("org:12/annex-a-catalog"));
  const auto& annex = AnnexAControls();
  ASSERT_EQ(catalog->controls.size(), 93u);
  ASSERT_EQ(annex.size(), 93u);
  std::set<std::string> groups;
  for (size_t i = 0; i < annex.size(); ++i) {
    const OscalControl& c = catalog->controls[i];
    SCOPED_TRACE(annex[i].id);
    EXPECT_EQ(c.id, "a." + annex[i].id);
    EXPECT_EQ(c.id, OscalAnnexAControlId(annex[i].id));
    EXPECT_EQ(c.title, annex[i].title);
    EXPECT_EQ(c.label, "A." + annex[i].id);
    EXPECT_EQ(c.group_title, annex[i].theme + " controls");
    EXPECT_EQ(c.group_id, "a." + annex[i].id.substr(0, 1));
    EXPECT_EQ(c.parent_id, "");
    EXPECT_EQ(c.statement, "");  // no text of the standard
    EXPECT_TRUE(c.parts.empty());
    groups.insert(c.group_id + " " + c.group_title);
  }
  EXPECT_EQ(groups, (std::set<std::string>{"a.5 Organizational controls", "a.6 People controls",
                                           "a.7 Physical controls", "a.8 Technological controls"}));
  EXPECT_EQ(catalog->controls.front().sort_id, "a.05.01");
  EXPECT_EQ(catalog->controls.back().id, "a.8.34");
  EXPECT_EQ(catalog->controls.back().sort_id, "a.08.34");
  // Sort ids sort as the catalogue is ordered.
  for (size_t i = 1; i < catalog->controls.size(); ++i) {
    EXPECT_LT(catalog->controls[i - 1].sort_id, catalog->controls[i].sort_id);
  }
}

TEST(OscalAnnexACatalogTest, CarriesTheIso27002AttributesAsNamespacedProps) {
  const Json doc = Parsed(OscalAnnexACatalogJson(Meta()));
  const Json& a51 = doc["catalog"]["groups"][0]["controls"][0];
  ASSERT_EQ(a51["id"], "a.5.1");
  const AnnexAControl& c = *FindAnnexAControl("5.1");
  std::vector<std::string> types;
  for (const auto& t : c.control_types) types.push_back(std::string(kOscalIso27002Ns) + "|" + t);
  EXPECT_EQ(PropValues(a51, "control-type"), types);
  EXPECT_EQ(PropValues(a51, "control-type").front(),
            "https://rampart.example/ns/oscal/iso27002|Preventive");
  EXPECT_EQ(PropValues(a51, "security-property").size(), c.security_properties.size());
  EXPECT_EQ(PropValues(a51, "cybersecurity-concept").size(), c.cybersecurity_concepts.size());
  EXPECT_EQ(PropValues(a51, "operational-capability").size(), c.operational_capabilities.size());
  EXPECT_EQ(PropValues(a51, "security-domain").size(), c.security_domains.size());
  EXPECT_EQ(PropValues(a51, "label"), std::vector<std::string>{"|A.5.1"});
  const Json& metadata = doc["catalog"]["metadata"];
  EXPECT_EQ(metadata["last-modified"], "2026-12-06T22:00:00Z");
  EXPECT_THAT(metadata["remarks"].get<std::string>(), HasSubstr("No text of the standards"));
  EXPECT_EQ(metadata["parties"][0]["name"], "Acme Ltd");
  EXPECT_EQ(metadata["parties"][0]["type"], "organization");
  ExpectReferencesResolve(doc);
}

// --- Every writer --------------------------------------------------------------------------------

OscalSsp SampleSsp() {
  OscalSsp ssp{.meta = Meta(),
               .system_name = "Acme \"core\"\nISMS",
               .scope = "  Head office in Zürich,\nthe product Rampart Cloud and its staff.  ",
               .profile_href = "soa-profile.json"};
  ssp.roles = {{.id = "isms-manager",
                .title = "ISMS manager",
                .holders = {"Zoë O'Brien", "Ana \"Ann\" Silva"}},
               {.id = "role-12", .title = "Internal auditor", .holders = {}},
               {.id = "bad id!", .title = "Odd\none", .holders = {"Bob", "Bob"}}};
  ssp.components = {{.id = 7,
                     .name = "Access reviews",
                     .description = "Quarterly review of access rights.\nSigned by the owner.",
                     .status = "implemented",
                     .owner = "Zoë O'Brien",
                     .responsible_roles = {"isms-manager"}},
                    {.id = 8, .name = "MFA rollout", .status = "in_progress"},
                    {.id = 9,
                     .name = "Badge readers",
                     .description = "Doors",
                     .status = "not_effective",
                     .owner = "Bob",
                     .responsible_roles = {"role-12", "bad id!"}},
                    {.id = 10, .name = "", .description = "", .status = "planned"}};
  ssp.requirements = {{.control_id = "5.1",
                       .applicable = true,
                       .reasons = {"risk_treatment", "legal_regulatory"},
                       .justification = "Required by our board.",
                       .status = "implemented",
                       .components = {7}},
                      {.control_id = "5.15",
                       .applicable = true,
                       .reasons = {"risk_treatment"},
                       .status = "partially_implemented",
                       .components = {7, 8}},
                      {.control_id = "7.4",
                       .title = "Physical security monitoring",
                       .applicable = false,
                       .justification = "No premises\nof our own.",
                       .status = "not_implemented"},
                      {.control_id = "8.13",
                       .applicable = true,
                       .reasons = {"business_best_practice"},
                       .status = "planned",
                       .components = {10}},
                      {.control_id = "6.3",
                       .applicable = true,
                       .reasons = {"contractual"},
                       .status = "not_implemented"},
                      {.control_id = "7.2",
                       .applicable = true,
                       .reasons = {"risk_treatment"},
                       .status = "not_effective",
                       .components = {9}}};
  return ssp;
}

OscalPoam SamplePoam() {
  return {.meta = Meta(),
          .ssp_href = "ssp.json",
          .items = {{.kind = "treatment_action",
                     .id = 3,
                     .record_type = "risk",
                     .record_id = 12,
                     .record_title = "Phishing of staff",
                     .title = "Run phishing drills",
                     .description = "Monthly, for \"all\" staff.\nReport to the board.",
                     .status = "in_progress",
                     .due = "2027-03-31",
                     .owner = "Zoë O'Brien",
                     .controls = {"6.3"}},
                    {.kind = "treatment_action",
                     .id = 4,
                     .record_type = "risk",
                     .record_id = 12,
                     .record_title = "Phishing of staff",
                     .title = "Enforce MFA",
                     .status = "open",
                     .due = "2027-01-15",
                     .controls = {"5.17", "8.5"}},
                    {.kind = "corrective_action",
                     .id = 3,
                     .record_type = "nonconformity",
                     .record_id = 5,
                     .record_title = "",
                     .title = "",
                     .status = "open"}}};
}

std::vector<Result<std::string>> EveryDocument(const OscalExportMeta& meta) {
  OscalSsp ssp = SampleSsp();
  ssp.meta = meta;
  OscalPoam poam = SamplePoam();
  poam.meta = meta;
  OscalCatalog small{.uuid = "c-1", .title = "Small", .version = "1"};
  small.controls.push_back({.id = "x-1", .title = "X", .group_id = "g", .group_title = "G"});
  std::vector<Result<std::string>> out;
  out.push_back(OscalAnnexACatalogJson(meta));
  out.push_back(OscalSoaProfileJson(meta, {"5.1", "8.2"}, "annex-a-catalog.json"));
  out.push_back(OscalCatalogJson(small, meta));
  out.push_back(OscalSspJson(ssp));
  out.push_back(OscalPoamJson(poam));
  return out;
}

TEST(OscalExportTest, TheSameInputGivesTheSameBytes) {
  const auto first = EveryDocument(Meta());
  const auto again = EveryDocument(Meta());
  OscalExportMeta later = Meta();
  later.generated_at = "2026-12-07T08:30:00.250Z";
  const auto other = EveryDocument(later);
  ASSERT_EQ(first.size(), again.size());
  for (size_t i = 0; i < first.size(); ++i) {
    ASSERT_THAT(first[i], IsOk());
    ASSERT_THAT(other[i], IsOk());
    EXPECT_EQ(*first[i], *again[i]);
    EXPECT_TRUE(first[i]->ends_with("}\n"));
    EXPECT_THAT(*first[i], HasSubstr("\n \""));  // indented one space
    // Another time changes last-modified and nothing else.
    Json a = Json::parse(*first[i]);
    Json b = Json::parse(*other[i]);
    EXPECT_EQ(b.begin().value()["metadata"]["last-modified"], "2026-12-07T08:30:00.250Z");
    b.begin().value()["metadata"]["last-modified"] = a.begin().value()["metadata"]["last-modified"];
    EXPECT_EQ(a, b);
  }
  // The uuid and the metadata come first, as NIST writes them.
  EXPECT_TRUE(first[3]->starts_with("{\n \"system-security-plan\": {\n  \"uuid\": "));
}

TEST(OscalExportTest, RefusesAGeneratedAtThatIsNotAUtcDateTime) {
  for (const char* bad :
       {"", "2026-12-06", "2026-12-06 22:00:00Z", "2026-12-06T22:00:00",
        "2026-12-06T22:00:00+01:00", "2026-02-30T22:00:00Z", "2026-12-06T24:00:00Z",
        "3026-12-06T22:00:00Z", "2026-12-06T22:00:00.Z"}) {
    OscalExportMeta meta = Meta();
    meta.generated_at = bad;
    SCOPED_TRACE(bad);
    for (const auto& doc : EveryDocument(meta)) {
      EXPECT_THAT(doc, StatusIs(Code::kInvalidArgument, "meta.generated_at"));
    }
  }
  OscalExportMeta meta = Meta();
  meta.generated_at = "2026-11-29T20:57:45.123Z";  // FormatUtc's
  EXPECT_THAT(OscalAnnexACatalogJson(meta), IsOk());
}

// --- SoA profile ---------------------------------------------------------------------------------

TEST(OscalSoaProfileTest, ResolvesAgainstTheAnnexACatalogToExactlyTheApplicableControls) {
  auto catalog = ParseOscalCatalog(*OscalAnnexACatalogJson(Meta()));
  ASSERT_THAT(catalog, IsOk());
  auto text =
      OscalSoaProfileJson(Meta(), {"8.1", "5.1", "6.3", "5.1", "5.23"}, "annex-a-catalog.json");
  ASSERT_THAT(text, IsOk());
  auto profile = ParseOscalProfile(*text);
  ASSERT_THAT(profile, IsOk());
  EXPECT_EQ(profile->title, "Statement of Applicability of Acme Ltd");
  EXPECT_EQ(profile->version, "SoA version 3");
  ASSERT_EQ(profile->imports.size(), 1u);
  EXPECT_EQ(profile->imports[0].href, "annex-a-catalog.json");
  EXPECT_FALSE(profile->imports[0].include_all);
  ASSERT_EQ(profile->imports[0].include_controls.size(), 1u);
  EXPECT_THAT(profile->imports[0].include_controls[0].with_ids,
              ElementsAre("a.5.1", "a.5.23", "a.6.3", "a.8.1"));
  auto resolved = ResolveOscalProfile(*profile, *catalog);
  ASSERT_THAT(resolved, IsOk());
  EXPECT_THAT(Ids(*resolved), ElementsAre("a.5.1", "a.5.23", "a.6.3", "a.8.1"));
  EXPECT_EQ(resolved->controls[0].title, FindAnnexAControl("5.1")->title);

  // Every control applicable: the whole catalog.
  std::vector<std::string> all;
  for (const auto& c : AnnexAControls()) all.push_back(c.id);
  auto everything =
      ResolveOscalProfile(*ParseOscalProfile(*OscalSoaProfileJson(Meta(), all, "")), *catalog);
  ASSERT_THAT(everything, IsOk());
  EXPECT_EQ(everything->controls.size(), 93u);

  const Json doc = Parsed(text);
  EXPECT_EQ(doc["profile"]["merge"], Json::parse(R"({"as-is": true})"));
  ExpectReferencesResolve(doc);
}

TEST(OscalSoaProfileTest, PercentEncodesTheHrefAndRefusesWhatIsNotAnApplicableAnnexAControl) {
  const Json doc = Parsed(OscalSoaProfileJson(Meta(), {"5.1"}, "my catalog\"ä.json#a#b"));
  EXPECT_EQ(doc["profile"]["imports"][0]["href"], "my%20catalog%22%C3%A4.json#a%23b");
  EXPECT_EQ(Parsed(OscalSoaProfileJson(Meta(), {"5.1"}, ""))["profile"]["imports"][0]["href"],
            "annex-a-catalog.json");
  EXPECT_THAT(OscalSoaProfileJson(Meta(), {"5.1", "9.9"}, "c.json"),
              StatusIs(Code::kInvalidArgument, "applicable_control_ids[1]"));
  EXPECT_THAT(OscalSoaProfileJson(Meta(), {"a.5.1"}, "c.json"),
              StatusIs(Code::kInvalidArgument, "applicable_control_ids[0]"));
  EXPECT_THAT(OscalSoaProfileJson(Meta(), {}, "c.json"), StatusIs(Code::kFailedPrecondition));
}

// --- Catalogs written back -----------------------------------------------------------------------

TEST(OscalCatalogExportTest, WritesTheModerateBaselineBackWithEveryFieldOfEveryControl) {
  const OscalCatalog& moderate = Moderate();
  ASSERT_EQ(moderate.controls.size(), 287u);
  auto text = OscalCatalogJson(moderate, Meta());
  ASSERT_THAT(text, IsOk());
  auto again = ParseOscalCatalog(*text);
  ASSERT_THAT(again, IsOk());
  ExpectSameControls(moderate, *again);
  EXPECT_EQ(again->uuid, moderate.uuid);
  EXPECT_EQ(again->title, moderate.title);
  EXPECT_EQ(again->version, "5.1.1+u4");
  EXPECT_EQ(again->oscal_version, "1.1.3");
  // Written again, the same bytes: nothing is lost or added on the second pass.
  EXPECT_EQ(*OscalCatalogJson(*again, Meta()), *text);
  // Enhancements are nested in their parent, as NIST writes them.
  const Json doc = Json::parse(*text);
  const Json& ac = doc["catalog"]["groups"][0];
  EXPECT_EQ(ac["id"], "ac");
  EXPECT_EQ(ac["controls"][1]["id"], "ac-2");
  EXPECT_EQ(ac["controls"][1]["controls"][0]["id"], "ac-2.1");
}

constexpr char kSmallCatalog[] = R"({"catalog": {
  "uuid": "c-1",
  "metadata": {"title": "Small", "oscal-version": "1.1.2"},
  "controls": [{"id": "top-1", "title": "Top", "class": "policy",
                "props": [{"name": "label", "value": "T-01", "class": "zero-padded"},
                          {"name": "label", "value": "T-1"},
                          {"name": "status", "value": "withdrawn"},
                          {"name": "alt", "value": "x  y", "ns": "https://example.org/ns"}]}],
  "groups": [{"id": "fam", "title": "Family",
    "groups": [{"id": "sub", "title": "Subfamily",
      "controls": [{"id": "x-1", "title": "Reviews \"quoted\" ü",
        "params": [
          {"id": "x-1_prm_1", "label": "frequency", "values": ["monthly", "on change"],
           "class": "odp", "props": [{"name": "alt-identifier", "value": "p1"}],
           "guidelines": [{"prose": "How often?"}, {"prose": "Say it.\n\nTwice."}]},
          {"id": "x-1_prm_2", "label": "personnel"},
          {"id": "x-1_prm_3",
           "select": {"how-many": "one-or-more",
                      "choice": ["all", "some {{ insert: param, x-1_prm_2 }}"]}},
          {"id": "x-1_prm_4", "select": {}}],
        "props": [{"name": "sort-id", "value": "x-01"}],
        "parts": [
          {"id": "x-1_smt", "name": "statement", "ns": "https://example.org/ns", "class": "c",
           "title": "Statement",
           "prose": "Review {{ insert: param, x-1_prm_1 }} with {{ insert: param, x-1_prm_3 }}.",
           "parts": [{"id": "x-1_smt.a", "name": "item",
                      "props": [{"name": "label", "value": "a."}], "prose": "First;\nline two",
                      "parts": [{"name": "item", "prose": "deeper"}]}]},
          {"id": "x-1_gdn", "name": "guidance", "prose": "Why."}],
        "controls": [{"id": "x-1.1", "title": "Enhanced",
                      "controls": [{"id": "x-1.1.1", "title": "Twice enhanced"}],
                      "parts": [{"name": "statement",
                                 "prose": "More {{ insert: param, x-1_prm_2 }}."}]}]}]}]},
    {"id": "other", "title": "Other", "controls": [{"id": "o-1", "title": "O"}]}]
}})";

TEST(OscalCatalogExportTest, KeepsUngroupedControlsEnhancementsParametersAndParts) {
  auto small = ParseOscalCatalog(kSmallCatalog);
  ASSERT_THAT(small, IsOk());
  auto text = OscalCatalogJson(*small, Meta());
  ASSERT_THAT(text, IsOk());
  auto again = ParseOscalCatalog(*text);
  ASSERT_THAT(again, IsOk());
  ExpectSameControls(*small, *again);
  EXPECT_THAT(Ids(*again), ElementsAre("top-1", "x-1", "x-1.1", "x-1.1.1", "o-1"));
  EXPECT_EQ(again->controls[3].parent_id, "x-1.1");
  EXPECT_TRUE(again->controls[0].withdrawn);
  ASSERT_TRUE(again->controls[1].params[3].select.has_value());
  EXPECT_EQ(again->controls[1].params[2].select->how_many, "one-or-more");
  // The catalog's uuid is not a UUID: one is derived; its version is empty: meta's.
  EXPECT_TRUE(MatchesUuidPattern(again->uuid)) << again->uuid;
  EXPECT_EQ(again->version, "SoA version 3");
  EXPECT_EQ(again->title, "Small");
  // The innermost group is kept, the outer one is not (ParseOscalCatalog flattens groups).
  const Json doc = Json::parse(*text);
  EXPECT_EQ(doc["catalog"]["controls"][0]["id"], "top-1");
  EXPECT_EQ(doc["catalog"]["groups"][0]["id"], "sub");
  EXPECT_EQ(doc["catalog"]["groups"][1]["id"], "other");
}

TEST(OscalCatalogExportTest, MakesWhatTheSchemaRequiresOfACatalogBuiltInMemory) {
  OscalCatalog catalog;  // no uuid, title or version
  catalog.controls.push_back({.id = "1st control", .title = "", .group_title = "Only a title"});
  catalog.controls.push_back({.id = "x",
                              .title = "X",
                              .group_id = "g",
                              .parent_id = "nowhere",
                              .props = {{.name = "label", .value = "  ", .ns = "not a uri"}},
                              .parts = {{.name = "", .ns = "urn:x:y"}}});
  const Json doc = Parsed(OscalCatalogJson(catalog, Meta()));
  const Json& c = doc["catalog"];
  EXPECT_TRUE(MatchesUuidPattern(c["uuid"].get<std::string>()));
  EXPECT_EQ(c["metadata"]["title"], "Catalog");
  EXPECT_FALSE(c["groups"][0].contains("id"));
  EXPECT_EQ(c["groups"][0]["title"], "Only a title");
  EXPECT_EQ(c["groups"][0]["controls"][0]["id"], "_1st_control");
  EXPECT_EQ(c["groups"][0]["controls"][0]["title"], "_1st_control");
  EXPECT_EQ(c["groups"][1]["title"], "g");        // a group's title is required
  const Json& x = c["groups"][1]["controls"][0];  // its parent is not in the catalog: beside it
  EXPECT_EQ(x["props"][0], Json::parse(R"j({"name": "label", "value": "(none)"})j"));
  EXPECT_EQ(x["parts"][0], Json::parse(R"({"name": "part", "ns": "urn:x:y"})"));

  catalog.controls.push_back({.id = "x", .title = "Again"});
  EXPECT_THAT(OscalCatalogJson(catalog, Meta()),
              StatusIs(Code::kInvalidArgument, "controls[2].id"));
}

// --- System security plan ------------------------------------------------------------------------

const Json* FindBy(const Json& list, const std::string& key, const std::string& value) {
  for (const auto& item : list) {
    if (item.contains(key) && item[key] == value) return &item;
  }
  return nullptr;
}

std::string ComponentUuid(int64_t id) {
  return OscalUuid("org:12/applied-control:" + std::to_string(id));
}

TEST(OscalSspTest, ImplementsEachApplicableControlByItsLinkedAppliedControls) {
  const Json doc = Parsed(OscalSspJson(SampleSsp()));
  const Json& ssp = doc["system-security-plan"];
  EXPECT_EQ(ssp["uuid"], OscalUuid("org:12/ssp"));
  EXPECT_EQ(ssp["import-profile"]["href"], "soa-profile.json");
  const Json& requirements = ssp["control-implementation"]["implemented-requirements"];
  std::vector<std::string> ids;
  for (const auto& r : requirements) ids.push_back(r["control-id"].get<std::string>());
  EXPECT_THAT(ids, ElementsAre("a.5.1", "a.5.15", "a.8.13", "a.6.3", "a.7.2"));

  const Json& a515 = requirements[1];
  EXPECT_EQ(a515["uuid"], OscalUuid("org:12/requirement:5.15"));
  ASSERT_EQ(a515["by-components"].size(), 2u);
  EXPECT_EQ(a515["by-components"][0]["component-uuid"], ComponentUuid(7));
  EXPECT_EQ(a515["by-components"][0]["description"],
            "Quarterly review of access rights.\nSigned by the owner.");
  EXPECT_EQ(a515["by-components"][0]["implementation-status"]["state"], "implemented");
  EXPECT_EQ(a515["by-components"][1]["component-uuid"], ComponentUuid(8));
  EXPECT_EQ(a515["by-components"][1]["description"], "MFA rollout");  // no description: its name
  EXPECT_EQ(a515["by-components"][1]["implementation-status"]["state"], "partial");
  EXPECT_EQ(PropValues(a515, "soa-status"),
            std::vector<std::string>{"https://rampart.example/ns/oscal|partially_implemented"});

  const Json& a51 = requirements[0];
  EXPECT_EQ(PropValues(a51, "soa-reason"),
            (std::vector<std::string>{"https://rampart.example/ns/oscal|risk_treatment",
                                      "https://rampart.example/ns/oscal|legal_regulatory"}));
  EXPECT_EQ(a51["remarks"], "Required by our board.");
  EXPECT_FALSE(requirements[1].contains("remarks"));
  // The owner's role, with the owner, and the applied control's own roles.
  EXPECT_EQ(a51["by-components"][0]["responsible-roles"],
            Json::parse(R"([{"role-id": "isms-manager"},
                            {"role-id": "control-owner", "party-uuids": [")" +
                        OscalUuid("org:12/person:Zoë O'Brien") + R"("]}])"));
  ExpectReferencesResolve(doc);
}

TEST(OscalSspTest, MapsStatusesAsDocumented) {
  const Json doc = Parsed(OscalSspJson(SampleSsp()));
  const Json& ssp = doc["system-security-plan"];
  const Json& components = ssp["system-implementation"]["components"];
  ASSERT_EQ(components.size(), 5u);
  EXPECT_EQ(components[0]["type"], "this-system");
  EXPECT_EQ(components[0]["status"]["state"], "operational");
  const auto state = [&](int64_t id) {
    const Json* c = FindBy(components, "uuid", ComponentUuid(id));
    return c == nullptr ? std::string("missing") : (*c)["status"]["state"].get<std::string>();
  };
  EXPECT_EQ(state(7), "operational");         // implemented
  EXPECT_EQ(state(8), "under-development");   // in_progress
  EXPECT_EQ(state(9), "other");               // not_effective
  EXPECT_EQ(state(10), "under-development");  // planned
  EXPECT_EQ((*FindBy(components, "uuid", ComponentUuid(10)))["title"], "Applied control 10");
  EXPECT_EQ(PropValues(*FindBy(components, "uuid", ComponentUuid(9)), "status"),
            std::vector<std::string>{"https://rampart.example/ns/oscal|not_effective"});

  const Json& requirements = ssp["control-implementation"]["implemented-requirements"];
  const auto by = [&](const std::string& control) -> const Json& {
    return (*FindBy(requirements, "control-id", control))["by-components"][0];
  };
  EXPECT_EQ(by("a.8.13")["implementation-status"]["state"], "planned");
  EXPECT_EQ(by("a.7.2")["implementation-status"]["state"], "partial");
  EXPECT_THAT(by("a.7.2")["implementation-status"]["remarks"].get<std::string>(),
              HasSubstr("not effective"));
  // No applied control linked: the ISMS itself, with the SoA's status.
  EXPECT_EQ(by("a.6.3")["component-uuid"], OscalUuid("org:12/this-system"));
  EXPECT_EQ(by("a.6.3")["implementation-status"]["state"], "planned");
  EXPECT_THAT(by("a.6.3")["implementation-status"]["remarks"].get<std::string>(),
              HasSubstr("not implemented"));
}

TEST(OscalSspTest, LeavesExcludedControlsOutAndGivesTheirJustificationInTheDescription) {
  const Json doc = Parsed(OscalSspJson(SampleSsp()));
  const Json& implementation = doc["system-security-plan"]["control-implementation"];
  EXPECT_EQ(FindBy(implementation["implemented-requirements"], "control-id", "a.7.4"), nullptr);
  const std::string description = implementation["description"];
  EXPECT_THAT(description, HasSubstr("5 controls are applicable and 1 is excluded."));
  EXPECT_THAT(description,
              HasSubstr("\n- A.7.4 Physical security monitoring: No premises of our own."));
}

TEST(OscalSspTest, DefinesEveryRolePartyAndUserItReferences) {
  const Json doc = Parsed(OscalSspJson(SampleSsp()));
  const Json& ssp = doc["system-security-plan"];
  std::vector<std::string> roles;
  for (const auto& r : ssp["metadata"]["roles"]) roles.push_back(r["id"].get<std::string>());
  EXPECT_THAT(roles,
              ElementsAre("prepared-by", "control-owner", "isms-manager", "role-12", "bad_id_"));
  std::vector<std::string> parties;
  for (const auto& p : ssp["metadata"]["parties"]) {
    parties.push_back(p["type"].get<std::string>() + " " + p["name"].get<std::string>());
  }
  EXPECT_THAT(parties, ElementsAre("organization Acme Ltd", "person Zoë O'Brien",
                                   "person Ana \"Ann\" Silva", "person Bob"));
  // Roles without holders hold no party.
  EXPECT_EQ(ssp["metadata"]["responsible-parties"].size(), 3u);
  const Json& users = ssp["system-implementation"]["users"];
  ASSERT_EQ(users.size(), 3u);
  EXPECT_EQ(users[2]["title"], "Odd one");
  EXPECT_EQ(users[2]["role-ids"], Json::array({"bad_id_"}));
  const Json* badges = FindBy(ssp["system-implementation"]["components"], "uuid", ComponentUuid(9));
  ASSERT_NE(badges, nullptr);
  EXPECT_EQ((*badges)["responsible-roles"][1]["role-id"], "bad_id_");
  ExpectReferencesResolve(doc);
}

TEST(OscalSspTest, EscapesQuotesNewlinesAndUnicodeAndKeepsSingleLinesOnOneLine) {
  auto text = OscalSspJson(SampleSsp());
  ASSERT_THAT(text, IsOk());
  EXPECT_THAT(*text, HasSubstr(R"("name": "Ana \"Ann\" Silva")"));
  EXPECT_THAT(*text, HasSubstr("\"name\": \"Zoë O'Brien\""));  // UTF-8 as it is
  EXPECT_THAT(*text, HasSubstr(R"(access rights.\nSigned)"));
  const Json ssp = Json::parse(*text)["system-security-plan"];
  EXPECT_EQ(ssp["system-characteristics"]["system-name"], "Acme \"core\" ISMS");
  EXPECT_EQ(ssp["metadata"]["title"], "System security plan: Acme \"core\" ISMS");
  EXPECT_EQ(ssp["system-characteristics"]["description"],
            "Head office in Zürich,\nthe product Rampart Cloud and its staff.");
  EXPECT_THAT(
      ssp["system-characteristics"]["authorization-boundary"]["description"].get<std::string>(),
      HasSubstr("Head office in Zürich"));

  // Invalid UTF-8 is replaced, never refused.
  OscalSsp bad = SampleSsp();
  bad.system_name = "Bad \xff byte";
  bad.components[0].description = "also \xc3";
  auto replaced = OscalSspJson(bad);
  ASSERT_THAT(replaced, IsOk());
  const Json again = Json::parse(*replaced)["system-security-plan"];
  EXPECT_EQ(again["system-characteristics"]["system-name"], "Bad \xEF\xBF\xBD byte");
}

TEST(OscalSspTest, WritesAPlanOfOnlyWhatIsRequired) {
  OscalSsp ssp{.meta = {.generated_at = "2026-12-06T22:00:00Z"}};
  ssp.requirements = {{.control_id = "5.1", .applicable = true, .status = ""}};
  const Json doc = Parsed(OscalSspJson(ssp));
  const Json& plan = doc["system-security-plan"];
  EXPECT_EQ(plan["metadata"]["version"], "current");
  EXPECT_EQ(plan["metadata"]["parties"][0]["name"], "Organisation");
  EXPECT_EQ(plan["import-profile"]["href"], "soa-profile.json");
  EXPECT_EQ(plan["system-characteristics"]["system-name"], "the organisation ISMS");
  EXPECT_EQ(plan["system-characteristics"]["authorization-boundary"]["description"],
            "The scope of the ISMS is not recorded in Rampart yet.");
  ASSERT_EQ(plan["system-implementation"]["users"].size(), 1u);
  EXPECT_EQ(plan["system-implementation"]["users"][0]["title"], "ISMS users");
  EXPECT_EQ(plan["system-implementation"]["components"].size(), 1u);
  const Json& requirement = plan["control-implementation"]["implemented-requirements"][0];
  EXPECT_EQ(requirement["by-components"][0]["implementation-status"]["state"], "planned");
  EXPECT_EQ(PropValues(requirement, "soa-status"),
            std::vector<std::string>{"https://rampart.example/ns/oscal|(none)"});
  ExpectReferencesResolve(doc);
}

TEST(OscalSspTest, RefusesReferencesThatDoNotResolveAndAPlanWithoutApplicableControls) {
  OscalSsp ssp = SampleSsp();
  ssp.components[2].id = 7;
  EXPECT_THAT(OscalSspJson(ssp), StatusIs(Code::kInvalidArgument, "components[2].id"));
  ssp = SampleSsp();
  ssp.components[2].responsible_roles.push_back("nobody");
  EXPECT_THAT(OscalSspJson(ssp),
              StatusIs(Code::kInvalidArgument, "components[2].responsible_roles[2]"));
  ssp = SampleSsp();
  ssp.requirements[3].control_id = "5.99";
  EXPECT_THAT(OscalSspJson(ssp), StatusIs(Code::kInvalidArgument, "requirements[3].control_id"));
  ssp = SampleSsp();
  ssp.requirements[3].control_id = "5.1";
  EXPECT_THAT(OscalSspJson(ssp), StatusIs(Code::kInvalidArgument, "requirements[3].control_id"));
  ssp = SampleSsp();
  ssp.requirements[1].components.push_back(99);
  EXPECT_THAT(OscalSspJson(ssp), StatusIs(Code::kInvalidArgument, "requirements[1].components[2]"));
  ssp = SampleSsp();
  for (auto& r : ssp.requirements) r.applicable = false;
  EXPECT_THAT(OscalSspJson(ssp), StatusIs(Code::kFailedPrecondition));
}

// --- Plan of action and milestones ---------------------------------------------------------------

TEST(OscalPoamTest, PlansEachActionAgainstTheRiskOrNonconformityItActsOn) {
  const Json doc = Parsed(OscalPoamJson(SamplePoam()));
  const Json& poam = doc["plan-of-action-and-milestones"];
  EXPECT_EQ(poam["import-ssp"]["href"], "ssp.json");
  EXPECT_FALSE(poam.contains("system-id"));
  const Json& risks = poam["risks"];
  ASSERT_EQ(risks.size(), 2u);
  const Json& phishing = risks[0];
  EXPECT_EQ(phishing["uuid"], OscalUuid("org:12/risk:12"));
  EXPECT_EQ(phishing["title"], "Phishing of staff");
  EXPECT_EQ(phishing["status"], "remediating");             // one of its actions is in progress
  EXPECT_EQ(phishing["deadline"], "2027-03-31T23:59:59Z");  // the later due date
  EXPECT_EQ(PropValues(phishing, "record-type"),
            std::vector<std::string>{"https://rampart.example/ns/oscal|risk"});
  ASSERT_EQ(phishing["remediations"].size(), 2u);
  const Json& drills = phishing["remediations"][0];
  EXPECT_EQ(drills["lifecycle"], "planned");
  EXPECT_EQ(drills["title"], "Run phishing drills");
  EXPECT_EQ(drills["tasks"][0]["type"], "milestone");
  EXPECT_EQ(drills["tasks"][0]["timing"]["on-date"]["date"], "2027-03-31T23:59:59Z");
  EXPECT_EQ(drills["tasks"][0]["responsible-roles"][0]["role-id"], "action-owner");
  EXPECT_FALSE(phishing["remediations"][1]["tasks"][0].contains("responsible-roles"));

  const Json& nonconformity = risks[1];
  EXPECT_EQ(nonconformity["uuid"], OscalUuid("org:12/nonconformity:5"));
  EXPECT_EQ(nonconformity["title"], "Nonconformity 5");  // no title recorded
  EXPECT_EQ(nonconformity["description"], "Recorded in Rampart as nonconformity 5.");
  EXPECT_EQ(nonconformity["status"], "open");
  EXPECT_FALSE(nonconformity.contains("deadline"));
  EXPECT_FALSE(nonconformity["remediations"][0].contains("tasks"));  // no due date, no owner

  const Json& items = poam["poam-items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["uuid"], OscalUuid("org:12/treatment_action:3"));
  EXPECT_EQ(items[2]["uuid"], OscalUuid("org:12/corrective_action:3"));
  EXPECT_EQ(items[0]["description"], "Monthly, for \"all\" staff.\nReport to the board.");
  EXPECT_EQ(items[1]["related-risks"][0]["risk-uuid"], phishing["uuid"]);
  EXPECT_EQ(items[2]["related-risks"][0]["risk-uuid"], nonconformity["uuid"]);
  EXPECT_EQ(items[2]["title"], "Corrective action 3");
  EXPECT_EQ(items[2]["description"], "Corrective action 3");
  EXPECT_EQ(PropValues(items[1], "control-id"),
            (std::vector<std::string>{"https://rampart.example/ns/oscal|a.5.17",
                                      "https://rampart.example/ns/oscal|a.8.5"}));
  EXPECT_EQ(PropValues(items[0], "due"),
            std::vector<std::string>{"https://rampart.example/ns/oscal|2027-03-31"});
  EXPECT_EQ(PropValues(items[0], "status"),
            std::vector<std::string>{"https://rampart.example/ns/oscal|in_progress"});
  ExpectReferencesResolve(doc);
}

TEST(OscalPoamTest, NamesTheSspsSystemWithoutAnHref) {
  OscalPoam poam = SamplePoam();
  poam.ssp_href.clear();
  const Json doc = Parsed(OscalPoamJson(poam));
  const Json& plan = doc["plan-of-action-and-milestones"];
  EXPECT_FALSE(plan.contains("import-ssp"));
  const Json ssp = Parsed(OscalSspJson(SampleSsp()));
  EXPECT_EQ(plan["system-id"],
            ssp["system-security-plan"]["system-characteristics"]["system-ids"][0]);
}

TEST(OscalPoamTest, RefusesRepeatedActionsBadDatesUnknownControlsAndAnEmptyPlan) {
  OscalPoam poam = SamplePoam();
  poam.items[1].id = 3;
  EXPECT_THAT(OscalPoamJson(poam), StatusIs(Code::kInvalidArgument, "items[1].id"));
  poam = SamplePoam();
  poam.items[2].id = 3;  // the same id, another kind: another action
  EXPECT_THAT(OscalPoamJson(poam), IsOk());
  poam.items[0].due = "2027-02-30";
  EXPECT_THAT(OscalPoamJson(poam), StatusIs(Code::kInvalidArgument, "items[0].due"));
  poam.items[0].due = "3000-01-01";
  EXPECT_THAT(OscalPoamJson(poam), StatusIs(Code::kInvalidArgument, "items[0].due"));
  poam = SamplePoam();
  poam.items[1].controls.push_back("A.5.1");
  EXPECT_THAT(OscalPoamJson(poam), StatusIs(Code::kInvalidArgument, "items[1].controls[2]"));
  poam.items.clear();
  EXPECT_THAT(OscalPoamJson(poam), StatusIs(Code::kFailedPrecondition));
}

// --- Samples for the schema validation -----------------------------------------------------------

// Text made of the pieces that trouble OSCAL's patterns: every kind of white space ECMAScript
// knows (line terminators among them), control characters, invalid UTF-8 (a stray byte, a
// surrogate, an overlong form), astral characters, quotes, Markdown and URI delimiters.
// Deterministic: the same sequence on every run.
class TrickyText {
 public:
  std::string Next(size_t max_pieces = 6) {
    static const char* const kPieces[] = {" ",
                                          "\t",
                                          "\n",
                                          "\r",
                                          "\v",
                                          "\f",
                                          "\xC2\xA0",
                                          "\xE2\x80\xA8",
                                          "\xE2\x80\xA9",
                                          "\xEF\xBB\xBF",
                                          "\xE3\x80\x80",
                                          "\xE2\x80\x8B",
                                          "\x01",
                                          "\x7F",
                                          "\xC3\xA9",
                                          "\xF0\x9D\x94\x98",
                                          "\xFF",
                                          "\xED\xA0\x80",
                                          "\xC0\xAF",
                                          "\xE2\x82",
                                          "a",
                                          "Z",
                                          "0",
                                          "-",
                                          "_",
                                          ".",
                                          "\"",
                                          "\\",
                                          "/",
                                          "#",
                                          "%",
                                          "%4",
                                          ":",
                                          "{{",
                                          "}}",
                                          "<b>",
                                          "*",
                                          "[x](y)"};
    std::string out;
    const size_t n = engine_() % (max_pieces + 1);
    for (size_t i = 0; i < n; ++i) out += kPieces[engine_() % std::size(kPieces)];
    return out;
  }
  size_t Below(size_t n) { return engine_() % n; }

 private:
  std::mt19937 engine_{20261206};  // the engine's sequence is fixed by the standard
};

// Every text field of every writer from TrickyText: the documents must still validate.
std::vector<std::pair<std::string, Result<std::string>>> TrickyDocuments() {
  TrickyText t;
  OscalExportMeta meta{.organisation = t.Next(),
                       .uuid_seed = t.Next(),
                       .generated_at = "2026-12-06T22:00:00Z",
                       .version = t.Next()};
  OscalSsp ssp{.meta = meta, .system_name = t.Next(), .scope = t.Next(), .profile_href = t.Next()};
  for (int i = 0; i < 8; ++i) {
    ssp.roles.push_back({.id = t.Next(), .title = t.Next(), .holders = {t.Next(), t.Next()}});
  }
  for (int i = 0; i < 12; ++i) {
    OscalSspComponent c{
        .id = i, .name = t.Next(), .description = t.Next(), .status = t.Next(), .owner = t.Next()};
    c.responsible_roles.push_back(ssp.roles[t.Below(ssp.roles.size())].id);
    ssp.components.push_back(std::move(c));
  }
  for (size_t i = 0; i < 20; ++i) {
    OscalSspRequirement r{.control_id = AnnexAControls()[i * 4].id,
                          .title = t.Next(),
                          .applicable = i % 5 != 4,
                          .reasons = {t.Next(), t.Next()},
                          .justification = t.Next(),
                          .status = t.Next()};
    if (i % 3 != 0) r.components = {static_cast<int64_t>(t.Below(12))};
    ssp.requirements.push_back(std::move(r));
  }
  OscalPoam poam{.meta = meta, .ssp_href = t.Next()};
  for (int i = 0; i < 12; ++i) {
    poam.items.push_back({.kind = t.Next(),
                          .id = i,
                          .record_type = t.Next(),
                          .record_id = static_cast<int64_t>(t.Below(4)),
                          .record_title = t.Next(),
                          .title = t.Next(),
                          .description = t.Next(),
                          .status = t.Next(),
                          .due = i % 2 == 0 ? "2027-0" + std::to_string(1 + i / 2) + "-28" : "",
                          .owner = t.Next(),
                          .controls = {AnnexAControls()[t.Below(93)].id}});
  }
  OscalCatalog catalog{.uuid = t.Next(), .title = t.Next(), .version = t.Next()};
  for (int i = 0; i < 30; ++i) {
    OscalControl c{.id = t.Next() + "~" + std::to_string(i),  // "~" is in no piece: unique
                   .title = t.Next(),
                   .class_name = t.Next(),
                   .group_id = i % 7 == 0 ? "" : t.Next(2),
                   .group_title = t.Next(2),
                   .parent_id = i > 0 && i % 3 == 0 ? catalog.controls[i - 1].id : ""};
    c.props = {{.name = t.Next(), .value = t.Next(), .class_name = t.Next(), .ns = t.Next()}};
    c.params = {{.id = t.Next(),
                 .class_name = t.Next(),
                 .label = t.Next(),
                 .values = {t.Next(), t.Next()},
                 .select = OscalSelection{.how_many = t.Next(), .choices = {t.Next()}},
                 .guidelines = {t.Next()},
                 .props = {{.name = t.Next(), .value = t.Next()}}}};
    c.parts = {{.id = t.Next(),
                .name = t.Next(),
                .ns = t.Next(),
                .class_name = t.Next(),
                .title = t.Next(),
                .props = {{.name = t.Next(), .value = t.Next(), .ns = "urn:" + t.Next()}},
                .prose = t.Next(),
                .parts = {{.name = t.Next(), .prose = t.Next()}}}};
    catalog.controls.push_back(std::move(c));
  }
  std::vector<std::string> applicable;
  for (int i = 0; i < 10; ++i) applicable.push_back(AnnexAControls()[t.Below(93)].id);
  std::vector<std::pair<std::string, Result<std::string>>> out;
  out.emplace_back("tricky-annex-a-catalog.json", OscalAnnexACatalogJson(meta));
  out.emplace_back("tricky-profile.json", OscalSoaProfileJson(meta, applicable, t.Next()));
  out.emplace_back("tricky-catalog.json", OscalCatalogJson(catalog, meta));
  out.emplace_back("tricky-ssp.json", OscalSspJson(ssp));
  out.emplace_back("tricky-poam.json", OscalPoamJson(poam));
  return out;
}

// Writes a document of every kind into $RAMPART_OSCAL_OUT, which tests/CMakeLists.txt's
// oscal_export_samples fixture sets for oscal_schema_validation_* to check them against NIST's
// schemas with ajv (tests/oscal/validate.mjs); also broken-ssp.json, which must fail. Without
// the variable only the documents' making is checked.
TEST(OscalExportSamples, WritesADocumentOfEveryKind) {
  std::vector<std::pair<std::string, Result<std::string>>> docs;
  docs.emplace_back("annex-a-catalog.json", OscalAnnexACatalogJson(Meta()));
  std::vector<std::string> applicable;
  for (const auto& c : AnnexAControls()) {
    if (c.id != "7.4") applicable.push_back(c.id);
  }
  docs.emplace_back("soa-profile.json",
                    OscalSoaProfileJson(Meta(), applicable, "annex-a-catalog.json"));
  docs.emplace_back("moderate-catalog.json", OscalCatalogJson(Moderate(), Meta()));
  auto small = ParseOscalCatalog(kSmallCatalog);
  ASSERT_THAT(small, IsOk());
  docs.emplace_back("small-catalog.json", OscalCatalogJson(*small, Meta()));
  OscalCatalog odd;
  odd.controls.push_back({.id = "1st control", .title = "", .group_title = "Only a title"});
  odd.controls.push_back({.id = "x",
                          .title = "X",
                          .group_id = "g",
                          .parent_id = "nowhere",
                          .props = {{.name = "", .value = "  ", .class_name = "a b", .ns = "no"}},
                          .parts = {{.name = "", .ns = "urn:x:y", .prose = "p"}}});
  docs.emplace_back("odd-catalog.json", OscalCatalogJson(odd, Meta()));
  docs.emplace_back("ssp.json", OscalSspJson(SampleSsp()));
  OscalSsp minimal{.meta = {.generated_at = "2026-12-06T22:00:00.5Z"}};
  minimal.requirements = {{.control_id = "5.1", .applicable = true},
                          {.control_id = "5.2", .applicable = false}};
  docs.emplace_back("ssp-minimal.json", OscalSspJson(minimal));
  OscalSsp unusual = SampleSsp();
  unusual.meta.organisation = "\xE2\x80\xA8 Ünïcödé \"Org\"\t\n";
  unusual.system_name = "\xE3\x80\x80";  // only white space
  unusual.profile_href = "profiles/SoA v3.json";
  unusual.roles[0].title = "";
  unusual.components[0].owner = " \n ";
  unusual.requirements[0].reasons = {"", "a\nb"};
  unusual.components[3].status = "retired";
  docs.emplace_back("ssp-unusual.json", OscalSspJson(unusual));
  docs.emplace_back("poam.json", OscalPoamJson(SamplePoam()));
  OscalPoam without_ssp = SamplePoam();
  without_ssp.ssp_href.clear();
  without_ssp.items[0].kind = "";
  without_ssp.items[0].record_type = "ça va?";
  without_ssp.items[1].owner = "Ana \"Ann\" Silva";
  docs.emplace_back("poam-without-ssp.json", OscalPoamJson(without_ssp));
  for (auto& tricky : TrickyDocuments()) docs.push_back(std::move(tricky));

  for (const auto& [name, doc] : docs) {
    ASSERT_THAT(doc, IsOk()) << name;
    ExpectReferencesResolve(Json::parse(*doc));
  }
  // Broken on purpose: no import-profile, a uuid that is not one, an empty system name.
  Json broken = Json::parse(*docs[5].second);
  broken["system-security-plan"].erase("import-profile");
  broken["system-security-plan"]["uuid"] = "not-a-uuid";
  broken["system-security-plan"]["system-characteristics"]["system-name"] = " ";

  const char* out = std::getenv("RAMPART_OSCAL_OUT");
  if (out == nullptr) return;
  std::filesystem::create_directories(out);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream f(std::filesystem::path(out) / name, std::ios::binary | std::ios::trunc);
    f << text;
    ASSERT_TRUE(f.good()) << name;
  };
  for (const auto& [name, doc] : docs) write(name, *doc);
  write("broken-ssp.json", broken.dump(1));
}

}  // namespace
}  // namespace rampart::domain
