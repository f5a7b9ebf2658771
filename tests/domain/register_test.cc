// The register machinery (domain/register.h), exercised through the clause-4 descriptions.
#include "domain/register.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/context.h"
#include "support/field_errors.h"

namespace rampart::domain {
namespace {

using test::ErrorOn;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// The outcome of one ValidateFields call.
struct Validation {
  Json fields;
  std::vector<FieldError> errors;
};

Validation Validate(const RegisterSpec& spec, const Json& input,
                    WriteMode mode = WriteMode::kCreate, const Json* before = nullptr) {
  Validation v;
  v.fields = ValidateFields(spec, input, mode, before, v.errors);
  return v;
}

// A valid context issue; tests change one thing at a time.
Json Issue() { return {{"title", "Supply-chain disruption"}, {"kind", "external"}}; }

// Normalised fields of a valid record, as the store would hold them.
Json StoredIssue(const std::string& status) {
  Json in = Issue();
  in["status"] = status;
  auto v = Validate(ContextIssues(), in);
  EXPECT_THAT(v.errors, IsEmpty());
  return v.fields;
}

// --- Normalisation ---

TEST(ValidateFields, ReturnsEveryFieldNormalised) {
  Json in = Issue();
  in["title"] = "  Supply-chain disruption \t";
  in["swot"] = " threat ";
  in["next_review"] = "2026-09-30";
  const auto v = Validate(ContextIssues(), in);
  ASSERT_THAT(v.errors, IsEmpty());
  EXPECT_EQ(v.fields.size(), ContextIssues().fields.size());
  EXPECT_EQ(v.fields["title"], "Supply-chain disruption");
  EXPECT_EQ(v.fields["swot"], "threat");
  EXPECT_EQ(v.fields["next_review"], "2026-09-30");
  EXPECT_TRUE(v.fields["description"].is_null());
  EXPECT_TRUE(v.fields["pestle"].is_null());
  EXPECT_TRUE(v.fields["owner"].is_null());
  EXPECT_EQ(v.fields["climate_related"], false);  // an absent box is "no"
}

TEST(ValidateFields, TurnsEmptyTextIntoNull) {
  Json in = Issue();
  in["description"] = "   ";
  in["swot"] = "";
  in["next_review"] = " ";
  const auto v = Validate(ContextIssues(), in);
  ASSERT_THAT(v.errors, IsEmpty());
  EXPECT_TRUE(v.fields["description"].is_null());
  EXPECT_TRUE(v.fields["swot"].is_null());
  EXPECT_TRUE(v.fields["next_review"].is_null());
}

TEST(ValidateFields, IgnoresSystemFields) {
  Json in = Issue();
  in["id"] = 99;
  in["version"] = 3;
  in["created_at"] = "2020-01-01T00:00:00.000Z";
  in["updated_by"] = 7;
  const auto v = Validate(ContextIssues(), in);
  EXPECT_THAT(v.errors, IsEmpty());
  EXPECT_FALSE(v.fields.contains("id"));
  EXPECT_FALSE(v.fields.contains("version"));
}

TEST(ValidateFields, AppliesDefaultsOnCreate) {
  const auto issue = Validate(ContextIssues(), Issue());
  ASSERT_THAT(issue.errors, IsEmpty());
  EXPECT_EQ(issue.fields["status"], "active");

  const auto scope = Validate(ScopeStatements(), {{"title", "ISMS scope"}});
  ASSERT_THAT(scope.errors, IsEmpty());
  EXPECT_EQ(scope.fields["status"], "draft");
  EXPECT_TRUE(scope.fields["version_number"].is_null());  // numbered by the store
  EXPECT_TRUE(scope.fields["approved_by"].is_null());
}

TEST(ValidateFields, DoesNotApplyDefaultsOnUpdate) {
  const Json before = StoredIssue("monitoring");
  const auto v = Validate(ContextIssues(), Issue(), WriteMode::kUpdate, &before);
  EXPECT_THAT(v.errors, ElementsAre(ErrorOn("status", "Status is required")));
}

TEST(ValidateFields, ExplicitValueOverridesTheDefault) {
  Json in = Issue();
  in["status"] = "monitoring";
  const auto v = Validate(ContextIssues(), in);
  ASSERT_THAT(v.errors, IsEmpty());
  EXPECT_EQ(v.fields["status"], "monitoring");
}

// --- Field errors ---

TEST(ValidateFields, RefusesAnUnknownFieldByName) {
  Json in = Issue();
  in["colour"] = "red";
  const auto v = Validate(ContextIssues(), in);
  EXPECT_THAT(v.errors,
              ElementsAre(ErrorOn("colour", "unknown field \"colour\" for a context issue")));
}

TEST(ValidateFields, RefusesABodyThatIsNotAnObject) {
  const auto v = Validate(ContextIssues(), Json::array({1, 2}));
  EXPECT_THAT(v.errors, ElementsAre(ErrorOn("", "must be a JSON object")));
}

TEST(ValidateFields, RefusesTextOfTheWrongJsonType) {
  Json in = Issue();
  in["title"] = 42;
  EXPECT_THAT(Validate(ContextIssues(), in).errors,
              ElementsAre(ErrorOn("title", "Title must be a string")));
}

TEST(ValidateFields, RefusesAnEnumOfTheWrongJsonType) {
  Json in = Issue();
  in["kind"] = true;
  EXPECT_THAT(Validate(ContextIssues(), in).errors,
              ElementsAre(ErrorOn("kind", "must be a string")));
}

TEST(ValidateFields, RefusesABooleanGivenAsText) {
  Json in = Issue();
  in["climate_related"] = "yes";
  EXPECT_THAT(Validate(ContextIssues(), in).errors,
              ElementsAre(ErrorOn("climate_related", "must be true or false")));
}

TEST(ValidateFields, RefusesAUserThatIsNotAPositiveInteger) {
  for (const Json& owner : {Json("alice"), Json(0), Json(-3), Json(1.5), Json::object()}) {
    Json in = Issue();
    in["owner"] = owner;
    EXPECT_THAT(Validate(ContextIssues(), in).errors,
                ElementsAre(ErrorOn("owner", "Owner must be a user id")))
        << owner.dump();
  }
}

TEST(ValidateFields, AcceptsAUserId) {
  Json in = Issue();
  in["owner"] = 12;
  const auto v = Validate(ContextIssues(), in);
  ASSERT_THAT(v.errors, IsEmpty());
  EXPECT_EQ(v.fields["owner"], 12);
}

TEST(ValidateFields, RefusesADateOfTheWrongJsonType) {
  Json in = Issue();
  in["next_review"] = 20260930;
  EXPECT_THAT(Validate(ContextIssues(), in).errors,
              ElementsAre(ErrorOn("next_review", "date string YYYY-MM-DD")));
}

TEST(ValidateFields, ReportsEveryMissingRequiredField) {
  const auto v = Validate(ContextIssues(), Json::object());
  EXPECT_THAT(v.errors, ElementsAre(ErrorOn("title", "Title is required"),
                                    ErrorOn("kind", "Internal or external is required")));
}

TEST(ValidateFields, TreatsBlankRequiredTextAsMissing) {
  Json in = Issue();
  in["title"] = " \t ";
  EXPECT_THAT(Validate(ContextIssues(), in).errors,
              ElementsAre(ErrorOn("title", "Title is required")));
}

TEST(ValidateFields, TreatsNullRequiredValueAsMissing) {
  Json in = Issue();
  in["kind"] = nullptr;
  EXPECT_THAT(Validate(ContextIssues(), in).errors, ElementsAre(ErrorOn("kind", "is required")));
}

TEST(ValidateFields, ReportsOneErrorPerFieldNotAlsoRequired) {
  Json in = Issue();
  in["kind"] = "sideways";  // invalid and therefore empty: one error, not two
  EXPECT_THAT(Validate(ContextIssues(), in).errors, ElementsAre(ErrorOn("kind", "must be one of")));
}

TEST(ValidateFields, NamesTheAllowedValuesOfAnEnum) {
  Json in = Issue();
  in["swot"] = "risk";
  EXPECT_THAT(
      Validate(ContextIssues(), in).errors,
      ElementsAre(ErrorOn(
          "swot",
          "SWOT quadrant must be one of: strength, weakness, opportunity, threat (got \"risk\")")));
}

TEST(ValidateFields, MatchesEnumValuesExactly) {
  Json in = Issue();
  in["kind"] = "External";
  EXPECT_THAT(Validate(ContextIssues(), in).errors,
              ElementsAre(ErrorOn("kind", "(got \"External\")")));
}

TEST(ValidateFields, RefusesAnInvalidCalendarDate) {
  Json in = Issue();
  in["next_review"] = "2023-02-29";
  EXPECT_THAT(Validate(ContextIssues(), in).errors,
              ElementsAre(ErrorOn("next_review", "Next review must be a valid date YYYY-MM-DD")));
  in["next_review"] = "2024-02-29";
  EXPECT_THAT(Validate(ContextIssues(), in).errors, IsEmpty());
  in["next_review"] = "29/02/2024";
  EXPECT_THAT(Validate(ContextIssues(), in).errors, ElementsAre(ErrorOn("next_review")));
}

TEST(ValidateFields, LimitsOneLineTextTo200CodePoints) {
  Json in = Issue();
  in["title"] = std::string(200, 'x');
  EXPECT_THAT(Validate(ContextIssues(), in).errors, IsEmpty());
  in["title"] = std::string(201, 'x');
  EXPECT_THAT(Validate(ContextIssues(), in).errors,
              ElementsAre(ErrorOn("title", "Title is longer than 200 characters")));
}

TEST(ValidateFields, CountsLengthInCodePointsNotBytes) {
  std::string title;
  for (int i = 0; i < 200; ++i) title += "\xc3\xa9";  // 200 x "é": 400 bytes
  Json in = Issue();
  in["title"] = title;
  EXPECT_THAT(Validate(ContextIssues(), in).errors, IsEmpty());
}

TEST(ValidateFields, LimitsLongTextTo10000CodePoints) {
  Json in = Issue();
  in["description"] = std::string(10000, 'x');
  EXPECT_THAT(Validate(ContextIssues(), in).errors, IsEmpty());
  in["description"] = std::string(10001, 'x');
  EXPECT_THAT(Validate(ContextIssues(), in).errors,
              ElementsAre(ErrorOn("description", "longer than 10000 characters")));
}

TEST(ValidateFields, MeasuresLengthAfterTrimming) {
  Json in = Issue();
  in["title"] = "   " + std::string(200, 'x') + "   ";
  EXPECT_THAT(Validate(ContextIssues(), in).errors, IsEmpty());
}

TEST(ValidateFields, RefusesControlCharactersInOneLineText) {
  const std::vector<std::string> titles = {"a\x01z", "a\x1b[31mz", "a\tz", "a\nz",
                                           std::string("a\0z", 3)};
  for (const std::string& title : titles) {
    Json in = Issue();
    in["title"] = title;
    EXPECT_THAT(Validate(ContextIssues(), in).errors,
                ElementsAre(ErrorOn("title", "Title contains a control character")));
  }
}

TEST(ValidateFields, AllowsLineBreaksAndTabsOnlyInLongText) {
  Json in = Issue();
  in["description"] = "First line\n\tindented\r\nthird";
  const auto v = Validate(ContextIssues(), in);
  ASSERT_THAT(v.errors, IsEmpty());
  EXPECT_EQ(v.fields["description"], "First line\n\tindented\r\nthird");

  in["description"] = "bell\x07";
  EXPECT_THAT(Validate(ContextIssues(), in).errors,
              ElementsAre(ErrorOn("description", "control character")));
}

TEST(ValidateFields, RefusesInvalidUtf8) {
  Json in = Issue();
  in["title"] = "caf\xc3";
  EXPECT_THAT(Validate(ContextIssues(), in).errors,
              ElementsAre(ErrorOn("title", "Title is not valid UTF-8 text")));
}

// --- Read-only fields ---

TEST(ValidateFields, RefusesAReadOnlyFieldOnCreate) {
  const auto v = Validate(ScopeStatements(), {{"title", "Scope"}, {"status", "approved"}});
  EXPECT_THAT(v.errors, ElementsAre(ErrorOn(
                            "status", "Status is set by the workflow and cannot be changed")));
  EXPECT_THAT(Validate(ScopeStatements(), {{"title", "Scope"}, {"approved_by", 1}}).errors,
              ElementsAre(ErrorOn("approved_by", "set by the workflow")));
  EXPECT_THAT(Validate(ScopeStatements(), {{"title", "Scope"}, {"version_number", 7}}).errors,
              ElementsAre(ErrorOn("version_number", "set by the workflow")));
}

TEST(ValidateFields, AcceptsAReadOnlyFieldEqualToItsInitialValue) {
  const auto v = Validate(ScopeStatements(),
                          {{"title", "Scope"}, {"status", "draft"}, {"approved_by", nullptr}});
  ASSERT_THAT(v.errors, IsEmpty());
  EXPECT_EQ(v.fields["status"], "draft");
}

TEST(ValidateFields, KeepsReadOnlyValuesOnUpdate) {
  const auto created = Validate(ScopeStatements(), {{"title", "Scope"}});
  ASSERT_THAT(created.errors, IsEmpty());
  Json before = created.fields;
  before["version_number"] = 3;

  // Absent read-only fields keep the stored value; equal values are accepted.
  const auto kept = Validate(ScopeStatements(), {{"title", "Scope v3"}, {"version_number", 3}},
                             WriteMode::kUpdate, &before);
  ASSERT_THAT(kept.errors, IsEmpty());
  EXPECT_EQ(kept.fields["version_number"], 3);
  EXPECT_EQ(kept.fields["status"], "draft");

  const auto changed = Validate(ScopeStatements(), {{"title", "Scope v3"}, {"version_number", 4}},
                                WriteMode::kUpdate, &before);
  EXPECT_THAT(changed.errors, ElementsAre(ErrorOn("version_number", "set by the workflow")));
}

// --- Lifecycle ---

TEST(ValidateFields, RefusesATransitionTheLifecycleDoesNotAllow) {
  const Json before = StoredIssue("closed");
  Json in = Issue();
  in["status"] = "monitoring";
  const auto v = Validate(ContextIssues(), in, WriteMode::kUpdate, &before);
  EXPECT_THAT(v.errors, ElementsAre(ErrorOn(
                            "status", "Status cannot change from \"closed\" to \"monitoring\"")));
}

TEST(ValidateFields, AllowsTheLifecyclesTransitions) {
  const std::vector<std::pair<std::string, std::string>> allowed = {
      {"active", "monitoring"}, {"monitoring", "active"}, {"active", "closed"},
      {"monitoring", "closed"}, {"closed", "active"},     {"closed", "closed"}};
  for (const auto& [from, to] : allowed) {
    const Json before = StoredIssue(from);
    Json in = Issue();
    in["status"] = to;
    EXPECT_THAT(Validate(ContextIssues(), in, WriteMode::kUpdate, &before).errors, IsEmpty())
        << from << " -> " << to;
  }
}

TEST(ValidateFields, DoesNotCheckTransitionsOnCreate) {
  Json in = Issue();
  in["status"] = "closed";
  EXPECT_THAT(Validate(ContextIssues(), in).errors, IsEmpty());
}

TEST(Lifecycle, AllowsStayingInTheSameState) {
  EXPECT_TRUE(ContextIssues().lifecycle->AllowsTransition("closed", "closed"));
  EXPECT_FALSE(ContextIssues().lifecycle->AllowsTransition("closed", "monitoring"));
}

TEST(Lifecycle, FreezesAnApprovedScopeStatement) {
  const Lifecycle& scope = *ScopeStatements().lifecycle;
  EXPECT_TRUE(scope.IsEditableIn("draft"));
  EXPECT_FALSE(scope.IsEditableIn("approved"));
  EXPECT_FALSE(scope.IsEditableIn("superseded"));
  EXPECT_TRUE(ContextIssues().lifecycle->IsEditableIn("closed"));  // no restriction
}

// --- Tables ---

TEST(ValidateFields, RefusesBlankTableRowsNamingTheRow) {
  const Json in = {{"name", "Regulator"},
                   {"type", "regulator"},
                   {"requirements",
                    {Json::object(),
                     {{"text", "  "}, {"source", ""}, {"addressed", false}, {"how", nullptr}},
                     {{"text", " Report breaches within 72 hours "}, {"source", "legal"}}}}};
  EXPECT_THAT(
      Validate(InterestedParties(), in).errors,
      ElementsAre(ErrorOn("requirements[0]", "empty"), ErrorOn("requirements[1]", "empty")));
}

TEST(ValidateFields, RowNumbersOfRuleErrorsMatchTheRowsAsSent) {
  const Json in = {{"name", "Regulator"},
                   {"type", "regulator"},
                   {"requirements",
                    {{{"text", "Keep records"}, {"source", "legal"}},
                     {{"text", "Report breaches"}, {"source", "legal"}, {"addressed", true}}}}};
  EXPECT_THAT(Validate(InterestedParties(), in).errors,
              ElementsAre(ErrorOn("requirements[1].how", "how")));
}

TEST(ValidateFields, TrimsTableCellsAndStoresAnEmptyTableAsNull) {
  const Json in = {
      {"name", "Regulator"},
      {"type", "regulator"},
      {"requirements", {{{"text", " Report breaches within 72 hours "}, {"source", "legal"}}}}};
  const auto v = Validate(InterestedParties(), in);
  ASSERT_THAT(v.errors, IsEmpty());
  EXPECT_EQ(v.fields["requirements"],
            Json::parse(R"([{"text": "Report breaches within 72 hours", "source": "legal",
                            "addressed": false, "how": null}])"));
  const auto empty =
      Validate(ScopeStatements(), {{"title", "Scope"}, {"exclusions", Json::array()}});
  ASSERT_THAT(empty.errors, IsEmpty());
  EXPECT_TRUE(empty.fields["exclusions"].is_null());
}

TEST(ValidateFields, NamesTheRowAndColumnOfAMissingSubField) {
  const Json in = {{"title", "Scope"}, {"exclusions", {{{"item", "Physical security of HQ"}}}}};
  EXPECT_THAT(Validate(ScopeStatements(), in).errors,
              ElementsAre(ErrorOn("exclusions[0].justification", "Justification is required")));
}

TEST(ValidateFields, NamesTheRowOfAnInvalidSubField) {
  const Json in = {{"name", "Customers"},
                   {"type", "customer"},
                   {"requirements",
                    {{{"text", "Availability"}, {"source", "contractual"}},
                     {{"text", "Confidentiality"}, {"source", "law"}}}}};
  EXPECT_THAT(Validate(InterestedParties(), in).errors,
              ElementsAre(ErrorOn("requirements[1].source",
                                  "Source must be one of: legal, "
                                  "regulatory, contractual, other")));
}

// Regression: an invalid sub-field value was reported twice, also as "required".
TEST(ValidateFields, ReportsOneErrorPerSubFieldNotAlsoRequired) {
  const Json in = {{"name", "Customers"},
                   {"type", "customer"},
                   {"requirements", {{{"text", 5}, {"source", "contractual"}}}}};
  EXPECT_THAT(Validate(InterestedParties(), in).errors,
              ElementsAre(ErrorOn("requirements[0].text", "Requirement must be a string")));
}

TEST(ValidateFields, RefusesAnUnknownSubField) {
  const Json in = {{"title", "Scope"},
                   {"exclusions", {{{"item", "HQ"}, {"justification", "Leased"}, {"why", "x"}}}}};
  EXPECT_THAT(Validate(ScopeStatements(), in).errors,
              ElementsAre(ErrorOn("exclusions[0].why", "unknown field \"why\"")));
}

TEST(ValidateFields, RefusesATableRowThatIsNotAnObject) {
  const Json in = {{"title", "Scope"}, {"exclusions", {"HQ"}}};
  EXPECT_THAT(Validate(ScopeStatements(), in).errors,
              ElementsAre(ErrorOn("exclusions[0]", "must be an object")));
}

TEST(ValidateFields, RefusesATableThatIsNotAList) {
  const Json in = {{"title", "Scope"}, {"exclusions", "HQ"}};
  EXPECT_THAT(Validate(ScopeStatements(), in).errors,
              ElementsAre(ErrorOn("exclusions", "Exclusions must be a list of objects")));
}

TEST(ValidateFields, LimitsATableTo500Rows) {
  Json rows = Json::array();
  for (int i = 0; i < 501; ++i) rows.push_back({{"item", "x"}, {"justification", "y"}});
  EXPECT_THAT(Validate(ScopeStatements(), {{"title", "Scope"}, {"exclusions", rows}}).errors,
              ElementsAre(ErrorOn("exclusions", "more than 500 entries")));
}

// --- Lists ---

TEST(ValidateFields, TrimsListItemsAndDropsBlankOnes) {
  const Json in = {{"title", "Scope"}, {"units", {"  IT operations ", "", "   ", "Finance\t"}}};
  const auto v = Validate(ScopeStatements(), in);
  ASSERT_THAT(v.errors, IsEmpty());
  EXPECT_EQ(v.fields["units"], Json({"IT operations", "Finance"}));
}

TEST(ValidateFields, StoresAListOfOnlyBlankItemsAsNull) {
  const auto v = Validate(ScopeStatements(), {{"title", "Scope"}, {"units", {" ", ""}}});
  ASSERT_THAT(v.errors, IsEmpty());
  EXPECT_TRUE(v.fields["units"].is_null());
  EXPECT_TRUE(Validate(ScopeStatements(), {{"title", "Scope"}, {"units", Json::array()}})
                  .fields["units"]
                  .is_null());
}

TEST(ValidateFields, NamesTheItemOfAnInvalidListEntry) {
  EXPECT_THAT(Validate(ScopeStatements(), {{"title", "Scope"}, {"units", {"IT", 7}}}).errors,
              ElementsAre(ErrorOn("units[1]", "must be a string")));
  EXPECT_THAT(
      Validate(ScopeStatements(), {{"title", "Scope"}, {"units", {std::string(501, 'u')}}}).errors,
      ElementsAre(ErrorOn("units[0]", "longer than 500 characters")));
  EXPECT_THAT(Validate(ScopeStatements(), {{"title", "Scope"}, {"units", {"a\nb"}}}).errors,
              ElementsAre(ErrorOn("units[0]", "control character")));
}

TEST(ValidateFields, RefusesAListThatIsNotAList) {
  EXPECT_THAT(Validate(ScopeStatements(), {{"title", "Scope"}, {"units", "IT"}}).errors,
              ElementsAre(ErrorOn("units", "Organisational units must be a list of strings")));
}

TEST(ValidateFields, LimitsAListTo500Items) {
  const Json items(std::vector<std::string>(501, "x"));
  EXPECT_THAT(Validate(ScopeStatements(), {{"title", "Scope"}, {"units", items}}).errors,
              ElementsAre(ErrorOn("units", "more than 500 items")));
}

// --- CompareVersions ---

// The rows of the scope's exclusions table compared between two lists of (item, justification).
std::vector<RowComparison> CompareExclusions(const Json& from, const Json& to) {
  const Json a = Validate(ScopeStatements(), {{"title", "S"}, {"exclusions", from}}).fields;
  const Json b = Validate(ScopeStatements(), {{"title", "S"}, {"exclusions", to}}).fields;
  for (auto& c : CompareVersions(ScopeStatements(), a, b)) {
    if (c.field->name == "exclusions") return c.rows;
  }
  ADD_FAILURE() << "no exclusions field";
  return {};
}

Json Row(const char* item, const char* why) { return {{"item", item}, {"justification", why}}; }

std::string Kinds(const std::vector<RowComparison>& rows) {
  std::string out;
  for (const auto& r : rows) out += std::string(out.empty() ? "" : " ") + RowChangeName(r.kind);
  return out;
}

TEST(CompareVersions, KeepsARowInsertedInTheMiddleFromChangingTheRowsAfterIt) {
  const auto rows = CompareExclusions({Row("Shop", "a"), Row("Canteen", "b")},
                                      {Row("Shop", "a"), Row("Garage", "c"), Row("Canteen", "b")});
  EXPECT_EQ(Kinds(rows), "same added same");
  EXPECT_EQ(rows[1].to["item"], "Garage");
}

TEST(CompareVersions, PairsARemovedAndAnAddedRowAsAChangedRowNamingItsColumns) {
  const auto rows = CompareExclusions({Row("Shop", "a"), Row("Canteen", "b"), Row("Yard", "d")},
                                      {Row("Shop", "a"), Row("Canteen", "B"), Row("Yard", "d")});
  EXPECT_EQ(Kinds(rows), "same changed same");
  EXPECT_THAT(rows[1].changed_columns, ElementsAre("justification"));
  EXPECT_EQ(rows[1].from["justification"], "b");
  EXPECT_EQ(rows[1].to["justification"], "B");
}

TEST(CompareVersions, ListsRemovedRowsAndRowsOfAnEmptyTable) {
  // (Json::array: a braced list of one Json would be that Json itself.)
  EXPECT_EQ(Kinds(CompareExclusions({Row("Shop", "a"), Row("Yard", "d")},
                                    Json::array({Row("Yard", "d")}))),
            "removed same");
  EXPECT_EQ(Kinds(CompareExclusions(Json(), Json::array({Row("Shop", "a")}))), "added");
  EXPECT_EQ(Kinds(CompareExclusions(Json::array({Row("Shop", "a")}), Json())), "removed");
  EXPECT_EQ(Kinds(CompareExclusions(Json(), Json())), "");
}

TEST(CompareVersions, ListsEveryFieldOnceWithTheWorkflowFieldsLast) {
  const Json a = Validate(ScopeStatements(), {{"title", "S"}}).fields;
  Json b = a;
  b["title"] = "T";
  const auto fields = CompareVersions(ScopeStatements(), a, b);
  ASSERT_EQ(fields.size(), ScopeStatements().fields.size());
  EXPECT_EQ(fields.front().field->name, "title");
  EXPECT_TRUE(fields.front().changed);
  EXPECT_EQ(fields.back().field->name, "approved_at");
  EXPECT_FALSE(fields.back().changed);
  int changed = 0;
  for (const auto& f : fields) changed += f.changed ? 1 : 0;
  EXPECT_EQ(changed, 1);
}

// --- DiffFields ---

TEST(DiffFields, IsEmptyForEqualRecords) {
  const Json a = StoredIssue("active");
  EXPECT_EQ(DiffFields(ContextIssues(), a, a), Json::object());
}

TEST(DiffFields, NamesOnlyTheChangedFields) {
  const Json before = StoredIssue("active");
  Json after = before;
  after["title"] = "Energy prices";
  after["owner"] = 4;
  EXPECT_EQ(DiffFields(ContextIssues(), before, after),
            Json::parse(R"({"title": {"from": "Supply-chain disruption", "to": "Energy prices"},
                            "owner": {"from": null, "to": 4}})"));
}

TEST(DiffFields, ComparesTablesAsWholeValues) {
  const Json row = {{"item", "HQ"}, {"justification", "Leased"}};
  Json before = Validate(ScopeStatements(), {{"title", "S"}, {"exclusions", {row}}}).fields;
  Json after = before;
  after["exclusions"][0]["justification"] = "Leased and managed by the landlord";
  const Json diff = DiffFields(ScopeStatements(), before, after);
  ASSERT_EQ(diff.size(), 1u);
  EXPECT_EQ(diff["exclusions"]["to"][0]["justification"], "Leased and managed by the landlord");
}

TEST(DiffFields, ListsEveryNonEmptyFieldOnCreateAndDelete) {
  const Json fields = StoredIssue("active");
  const Json created = DiffFields(ContextIssues(), Json(), fields);
  EXPECT_EQ(created, Json::parse(R"({"title": {"from": null, "to": "Supply-chain disruption"},
                                     "kind": {"from": null, "to": "external"},
                                     "climate_related": {"from": null, "to": false},
                                     "status": {"from": null, "to": "active"}})"));
  const Json deleted = DiffFields(ContextIssues(), fields, Json());
  EXPECT_EQ(deleted["title"], Json::parse(R"({"from": "Supply-chain disruption", "to": null})"));
  EXPECT_EQ(deleted.size(), created.size());
}

TEST(DiffFields, IgnoresKeysThatAreNotFields) {
  Json before = StoredIssue("active");
  Json after = before;
  after["version"] = 9;
  before["id"] = 1;
  EXPECT_EQ(DiffFields(ContextIssues(), before, after), Json::object());
}

// --- Descriptions ---

TEST(RegisterSpec, FindsFieldsByName) {
  ASSERT_NE(ContextIssues().Field("swot"), nullptr);
  EXPECT_EQ(ContextIssues().Field("swot")->label, "SWOT quadrant");
  EXPECT_EQ(ContextIssues().Field("colour"), nullptr);
}

TEST(RegisterSpec, SortsBySystemColumnsAndSortableFieldsOnly) {
  const RegisterSpec& s = ContextIssues();
  EXPECT_TRUE(s.IsSortable("id"));
  EXPECT_TRUE(s.IsSortable("created_at"));
  EXPECT_TRUE(s.IsSortable("updated_at"));
  EXPECT_TRUE(s.IsSortable("title"));
  EXPECT_TRUE(s.IsSortable("next_review"));
  EXPECT_FALSE(s.IsSortable("description"));
  EXPECT_FALSE(s.IsSortable("climate_related"));
  EXPECT_FALSE(s.IsSortable("version"));
  EXPECT_FALSE(s.IsSortable("title; DROP TABLE users"));
}

TEST(FieldSpec, LabelsEnumValues) {
  const FieldSpec& status = *InterestedParties().Field("status");
  EXPECT_EQ(status.ChoiceLabel("inactive"), "No longer relevant");
  EXPECT_EQ(status.ChoiceLabel("unknown"), "unknown");
  EXPECT_EQ(status.FindChoice("unknown"), nullptr);
}

TEST(IsSystemField, NamesTheColumnsEveryRecordHas) {
  for (const char* name :
       {"id", "version", "created_at", "updated_at", "created_by", "updated_by"}) {
    EXPECT_TRUE(IsSystemField(name)) << name;
  }
  EXPECT_FALSE(IsSystemField("org_id"));
  EXPECT_FALSE(IsSystemField("title"));
  EXPECT_FALSE(IsSystemField(""));
}

// --- Decimals ---

// A register with a free decimal and one bounded from 0 to 100.
RegisterSpec Measures() {
  RegisterSpec s{.type = "measure", .table = "measures", .path = "measures", .title_field = "name"};
  s.fields = {{.name = "name", .label = "Name", .required = true},
              {.name = "value", .label = "Value", .type = FieldType::kDecimal},
              {.name = "share",
               .label = "Share",
               .type = FieldType::kDecimal,
               .min_value = 0,
               .max_value = 100}};
  return s;
}

TEST(ValidateFields, KeepsADecimalAsANumber) {
  const auto v = Validate(Measures(), {{"name", "n"}, {"value", 95.5}, {"share", 40}});
  ASSERT_THAT(v.errors, IsEmpty());
  EXPECT_EQ(v.fields["value"], 95.5);
  EXPECT_TRUE(v.fields["value"].is_number_float());
  EXPECT_EQ(v.fields["share"], 40.0);
  EXPECT_TRUE(v.fields["share"].is_number_float());  // an integer is read as the decimal
}

TEST(ValidateFields, ReadsADecimalWrittenAsText) {
  const auto v = Validate(Measures(), {{"name", "n"}, {"value", " -0.25 "}, {"share", ""}});
  ASSERT_THAT(v.errors, IsEmpty());
  EXPECT_EQ(v.fields["value"], -0.25);
  EXPECT_TRUE(v.fields["share"].is_null());  // an empty form input is no value
}

TEST(ValidateFields, RefusesADecimalThatIsNotAFiniteNumberNamingTheField) {
  for (const Json& bad : {Json("ninety"), Json("inf"), Json("nan"), Json("1,5"), Json("0x10"),
                          Json(true), Json::array({1})}) {
    EXPECT_THAT(Validate(Measures(), {{"name", "n"}, {"value", bad}}).errors,
                ElementsAre(ErrorOn("value", "Value must be a number")))
        << bad.dump();
  }
}

TEST(ValidateFields, KeepsADecimalWithinItsBounds) {
  EXPECT_THAT(Validate(Measures(), {{"name", "n"}, {"share", 100.5}}).errors,
              ElementsAre(ErrorOn("share", "Share must be from 0 to 100")));
  EXPECT_THAT(Validate(Measures(), {{"name", "n"}, {"share", -0.1}}).errors,
              ElementsAre(ErrorOn("share", "Share must be from 0 to 100")));
  EXPECT_THAT(Validate(Measures(), {{"name", "n"}, {"share", 0}}).errors, IsEmpty());
  EXPECT_THAT(Validate(Measures(), {{"name", "n"}, {"share", "99.99"}}).errors, IsEmpty());
}

TEST(IsPastDue, IsTrueOnlyForAnOpenRecordAfterItsDueDate) {
  RegisterSpec spec = Measures();
  spec.fields.push_back({.name = "due", .label = "Due", .type = FieldType::kDate});
  spec.fields.push_back({.name = "status",
                         .label = "Status",
                         .type = FieldType::kEnum,
                         .choices = {{"open", "Open"}, {"done", "Done"}}});
  EXPECT_FALSE(IsPastDue(spec, {{"due", "2026-01-31"}, {"status", "open"}}, "2026-02-01"));
  spec.lifecycle = Lifecycle{.field = "status", .closed = {"done"}, .due_field = "due"};
  EXPECT_TRUE(IsPastDue(spec, {{"due", "2026-01-31"}, {"status", "open"}}, "2026-02-01"));
  EXPECT_FALSE(IsPastDue(spec, {{"due", "2026-01-31"}, {"status", "open"}}, "2026-01-31"));
  EXPECT_FALSE(IsPastDue(spec, {{"due", "2026-01-31"}, {"status", "done"}}, "2026-02-01"));
  EXPECT_FALSE(IsPastDue(spec, {{"due", nullptr}, {"status", "open"}}, "2026-02-01"));
}

}  // namespace
TEST(IsReviewOverdue, IsTrueOnlyForAPastReviewDateOfARecordInUse) {
  const auto& spec = ContextIssues();
  const Json due = {{"next_review", "2026-01-31"}, {"status", "active"}};
  EXPECT_TRUE(IsReviewOverdue(spec, due, "2026-02-01"));
  EXPECT_FALSE(IsReviewOverdue(spec, due, "2026-01-31"));  // due today is not overdue
  EXPECT_FALSE(
      IsReviewOverdue(spec, {{"next_review", nullptr}, {"status", "active"}}, "2026-02-01"));
  EXPECT_FALSE(
      IsReviewOverdue(spec, {{"next_review", "2026-01-31"}, {"status", "closed"}}, "2026-02-01"));
  EXPECT_FALSE(IsReviewOverdue(
      InterestedParties(), {{"next_review", "2020-01-01"}, {"status", "inactive"}}, "2026-02-01"));
  EXPECT_TRUE(IsReviewOverdue(InterestedParties(),
                              {{"next_review", "2020-01-01"}, {"status", "active"}}, "2026-02-01"));
}

}  // namespace rampart::domain
