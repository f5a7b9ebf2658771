// Clause 7's registers: when a resource counts as granted, and what its amount and period need;
// what a competence record needs, and the competence matrix of roles, requirements and records;
// an awareness campaign's states and when a person's completion is overdue.
#include "domain/support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/field_errors.h"

namespace rampart::domain {
namespace {

using test::ErrorOn;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<FieldError> Errors(const Json& input, WriteMode mode = WriteMode::kCreate,
                               const Json* before = nullptr) {
  std::vector<FieldError> errors;
  (void)ValidateFields(Resources(), input, mode, before, errors);
  return errors;
}

Json Resource() { return {{"name", "Security analyst"}, {"kind", "people"}}; }

// --- 7.1 Resources ---

TEST(Resources, StartsAsRequested) {
  std::vector<FieldError> errors;
  const Json out = ValidateFields(Resources(), Resource(), WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(out["status"], "requested");
}

TEST(Resources, RefusesAGrantedResourceWithoutWhoAndWhen) {
  for (const char* status : {"granted", "in_place"}) {
    Json in = Resource();
    in["status"] = status;
    EXPECT_THAT(
        Errors(in),
        ElementsAre(ErrorOn("granted_by", "name who in top management granted this resource"),
                    ErrorOn("granted_on", "say when this resource was granted")))
        << status;
  }
}

TEST(Resources, AcceptsAGrantedResourceThatSaysWhoAndWhen) {
  Json in = Resource();
  in["status"] = "granted";
  in["granted_by"] = 7;
  in["granted_on"] = "2026-11-02";
  EXPECT_THAT(Errors(in), IsEmpty());
}

TEST(Resources, RefusesAnAmountWithoutItsUnit) {
  Json in = Resource();
  in["amount"] = 16;
  EXPECT_THAT(Errors(in), ElementsAre(ErrorOn(
                              "unit", "say what the amount counts: EUR, hours a week, licences")));
  in["unit"] = "hours a week";
  EXPECT_THAT(Errors(in), IsEmpty());
}

TEST(Resources, RefusesANegativeAmount) {
  Json in = Resource();
  in["amount"] = -1;
  in["unit"] = "EUR";
  EXPECT_THAT(Errors(in), ElementsAre(ErrorOn("amount")));
}

TEST(Resources, RefusesAPeriodEndingBeforeItStarts) {
  Json in = Resource();
  in["period_start"] = "2027-01-01";
  in["period_end"] = "2026-12-31";
  EXPECT_THAT(Errors(in),
              ElementsAre(ErrorOn("period_end", "the period cannot end before it starts")));
  in["period_end"] = "2027-01-01";
  EXPECT_THAT(Errors(in), IsEmpty());
}

TEST(Resources, GoesFromRequestedToInPlaceOnlyThroughGranted) {
  std::vector<FieldError> errors;
  const Json requested =
      ValidateFields(Resources(), Resource(), WriteMode::kCreate, nullptr, errors);
  ASSERT_THAT(errors, IsEmpty());
  Json in = requested;
  in["status"] = "in_place";
  in["granted_by"] = 7;
  in["granted_on"] = "2026-11-02";
  EXPECT_THAT(Errors(in, WriteMode::kUpdate, &requested), ElementsAre(ErrorOn("status")));
  in["status"] = "granted";
  EXPECT_THAT(Errors(in, WriteMode::kUpdate, &requested), IsEmpty());
}

TEST(Resources, IsNotReviewedOnceEndedOrDeclined) {
  for (const char* status : {"declined", "ended"}) {
    const Json fields = {{"status", status}, {"next_review", "2026-01-01"}};
    EXPECT_FALSE(IsReviewOverdue(Resources(), fields, "2026-12-04")) << status;
  }
  EXPECT_TRUE(IsReviewOverdue(Resources(), {{"status", "in_place"}, {"next_review", "2026-01-01"}},
                              "2026-12-04"));
}

TEST(Resources, DescribesClause71) {
  const RegisterSpec& s = Resources();
  EXPECT_EQ(s.type, "resource");
  EXPECT_EQ(s.table, "resources");
  EXPECT_EQ(s.path, "resources");
  EXPECT_EQ(s.clause, "7.1");
  EXPECT_EQ(s.title_field, "name");
}

// --- 7.2 Competence ---

std::vector<FieldError> RecordErrors(const Json& input) {
  std::vector<FieldError> errors;
  (void)ValidateFields(CompetenceRecords(), input, WriteMode::kCreate, nullptr, errors);
  return errors;
}

Json Training() {
  return {{"person", 7},
          {"kind", "training"},
          {"title", "Risk assessment workshop"},
          {"status", "completed"},
          {"date_achieved", "2026-03-01"}};
}

TEST(CompetenceRecords, AcceptsACompletedTraining) {
  EXPECT_THAT(RecordErrors(Training()), IsEmpty());
}

TEST(CompetenceRecords, RefusesACompletedRecordWithoutItsDate) {
  Json in = Training();
  in.erase("date_achieved");
  EXPECT_THAT(RecordErrors(in),
              ElementsAre(ErrorOn("date_achieved", "say when the competence was achieved")));
}

TEST(CompetenceRecords, RefusesAValidityEndingOnOrBeforeTheDateAchieved) {
  for (const char* until : {"2026-03-01", "2025-12-31"}) {
    Json in = Training();
    in["valid_until"] = until;
    EXPECT_THAT(
        RecordErrors(in),
        ElementsAre(ErrorOn("valid_until", "the validity must end after the date achieved")))
        << until;
  }
  Json in = Training();
  in["valid_until"] = "2026-03-02";
  EXPECT_THAT(RecordErrors(in), IsEmpty());
}

TEST(CompetenceRecords, APlannedRecordIsDueAndNotYetAchieved) {
  Json in = Training();
  in["status"] = "planned";
  EXPECT_THAT(RecordErrors(in),
              ElementsAre(ErrorOn("due", "say by when the planned competence is due"),
                          ErrorOn("date_achieved", "a planned record has not been achieved yet")));
  in.erase("date_achieved");
  in["due"] = "2027-01-31";
  EXPECT_THAT(RecordErrors(in), IsEmpty());
}

TEST(CompetenceRecords, RefusesAnUnknownKindAndAMissingPerson) {
  Json in = Training();
  in["kind"] = "rumour";
  in.erase("person");
  EXPECT_THAT(RecordErrors(in), ElementsAre(ErrorOn("person"), ErrorOn("kind")));
}

TEST(CompetenceRequirements, NeedAnIsmsRoleAndAValidityInRange) {
  std::vector<FieldError> errors;
  const Json out = ValidateFields(
      CompetenceRequirements(),
      {{"title", "Lead auditor"}, {"demonstrated_by", "certification"}, {"validity_months", 0}},
      WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, ElementsAre(ErrorOn("role"), ErrorOn("validity_months")));
  const FieldSpec* role = CompetenceRequirements().Field("role");
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->type, FieldType::kRef);
  EXPECT_EQ(role->ref, "isms_role");
}

TEST(CompetenceDates, AddDaysAndMonths) {
  EXPECT_EQ(AddDays("2026-12-04", 60), "2027-02-02");
  EXPECT_EQ(AddDays("2026-03-01", -1), "2026-02-28");
  EXPECT_EQ(AddMonths("2026-01-31", 1), "2026-02-28");
  EXPECT_EQ(AddMonths("2026-06-15", 24), "2028-06-15");
  EXPECT_EQ(AddMonths("not a date", 1), "");
}

Record Rec(int64_t id, Json fields) {
  Record r;
  r.id = id;
  r.fields = std::move(fields);
  return r;
}

Record Role(int64_t id, std::vector<int64_t> holders, const char* status = "active") {
  Json rows = Json::array();
  for (int64_t h : holders) rows.push_back({{"person", h}});
  return Rec(id, {{"name", "Role " + std::to_string(id)}, {"holders", rows}, {"status", status}});
}

Record Requirement(int64_t id, int64_t role, Json validity = nullptr,
                   const char* status = "active") {
  return Rec(id, {{"role", role},
                  {"title", "Skill " + std::to_string(id)},
                  {"validity_months", validity},
                  {"status", status}});
}

Record Achieved(int64_t id, int64_t person, int64_t requirement, const char* on,
                Json until = nullptr) {
  return Rec(id, {{"person", person},
                  {"requirement", requirement},
                  {"status", "completed"},
                  {"date_achieved", on},
                  {"valid_until", until}});
}

Record Planned(int64_t id, int64_t person, int64_t requirement, const char* due) {
  return Rec(
      id, {{"person", person}, {"requirement", requirement}, {"status", "planned"}, {"due", due}});
}

std::vector<std::string> States(const CompetenceMatrix& m, size_t row) {
  std::vector<std::string> out;
  for (const auto& c : m.cells[row]) out.push_back(CompetenceStateName(c.state));
  return out;
}

TEST(CompetenceMatrix, HasTheHoldersOfActiveRolesAndTheRequirementsOfTheirRoles) {
  // Role 1 held by people 10 and 11, role 2 by 11, role 3 retired (held by 12), role 4 unheld.
  const std::vector<Record> roles = {Role(1, {10, 11}), Role(2, {11}), Role(3, {12}, "retired"),
                                     Role(4, {})};
  const std::vector<Record> requirements = {Requirement(100, 1), Requirement(101, 2),
                                            Requirement(102, 3), Requirement(103, 4),
                                            Requirement(104, 1, nullptr, "retired")};
  const CompetenceMatrix m = ComputeCompetenceMatrix(roles, requirements, {}, "2026-12-04");
  EXPECT_THAT(m.people, ElementsAre(10, 11));
  ASSERT_EQ(m.requirements.size(), 2u);
  EXPECT_EQ(m.requirements[0].id, 100);
  EXPECT_EQ(m.requirements[1].id, 101);
  EXPECT_THAT(States(m, 0), ElementsAre("missing", "not_required"));
  EXPECT_THAT(States(m, 1), ElementsAre("missing", "missing"));
  EXPECT_EQ(m.missing, 3);
  EXPECT_EQ(m.Gaps(), 3);
  EXPECT_EQ(m.role_names.at(1), "Role 1");
}

TEST(CompetenceMatrix, TellsMetExpiringPlannedAndMissingApart) {
  const std::vector<Record> roles = {Role(1, {10, 11, 12, 13, 14})};
  // Requirement 100 lapses after 12 months; 101 does not lapse.
  const std::vector<Record> requirements = {Requirement(100, 1, 12), Requirement(101, 1)};
  const std::vector<Record> records = {
      Achieved(1, 10, 100, "2026-06-01"),                // valid until 2027-05-31: met
      Achieved(2, 11, 100, "2026-01-15"),                // until 2027-01-14, in 60 days: expiring
      Achieved(3, 12, 100, "2025-06-01"),                // lapsed 2026-05-31 ...
      Planned(4, 12, 100, "2027-01-31"),                 // ... and its renewal is planned
      Achieved(5, 13, 100, "2026-06-01", "2026-11-30"),  // its own end has passed: missing
      Achieved(6, 10, 101, "2020-01-01"),                // does not lapse: met
      Achieved(7, 11, 101, "2026-12-05"),                // not achieved yet: missing
      Rec(8, {{"person", 12}, {"requirement", 101}, {"status", "cancelled"}}),  // ignored
  };
  const CompetenceMatrix m = ComputeCompetenceMatrix(roles, requirements, records, "2026-12-04");
  ASSERT_THAT(m.people, ElementsAre(10, 11, 12, 13, 14));
  EXPECT_THAT(States(m, 0), ElementsAre("met", "met"));
  EXPECT_THAT(States(m, 1), ElementsAre("expiring", "missing"));
  EXPECT_THAT(States(m, 2), ElementsAre("planned", "missing"));
  EXPECT_THAT(States(m, 3), ElementsAre("missing", "missing"));
  EXPECT_THAT(States(m, 4), ElementsAre("missing", "missing"));
  EXPECT_EQ(m.cells[0][0].record, 1);
  EXPECT_EQ(m.cells[0][0].valid_until, "2027-05-31");
  EXPECT_EQ(m.cells[0][1].valid_until, "");  // does not end
  EXPECT_EQ(m.cells[1][0].valid_until, "2027-01-14");
  EXPECT_EQ(m.cells[2][0].record, 4);
  EXPECT_EQ(m.cells[2][0].due, "2027-01-31");
  EXPECT_EQ(m.cells[3][0].record, 0);
  EXPECT_EQ(m.met, 2);
  EXPECT_EQ(m.expiring, 1);
  EXPECT_EQ(m.planned, 1);
  EXPECT_EQ(m.missing, 6);
  EXPECT_EQ(m.Gaps(), 7);
}

TEST(CompetenceMatrix, TakesTheRecordThatLastsLongest) {
  const std::vector<Record> roles = {Role(1, {10})};
  const std::vector<Record> requirements = {Requirement(100, 1)};
  const std::vector<Record> records = {Achieved(1, 10, 100, "2026-01-01", "2027-01-10"),
                                       Achieved(2, 10, 100, "2026-02-01", "2028-01-10"),
                                       Planned(3, 10, 100, "2027-01-01")};
  const CompetenceMatrix m = ComputeCompetenceMatrix(roles, requirements, records, "2026-12-04");
  EXPECT_THAT(States(m, 0), ElementsAre("met"));
  EXPECT_EQ(m.cells[0][0].record, 2);
}

TEST(CompetenceRecords, DescribeClause72) {
  EXPECT_EQ(CompetenceRecords().table, "competence_records");
  EXPECT_EQ(CompetenceRecords().clause, "7.2");
  EXPECT_EQ(CompetenceRequirements().path, "competence-requirements");
  EXPECT_EQ(CompetenceRequirements().title_field, "title");
}

// --- 7.4 Communication ---

TEST(Communications, AOneOffCommunicationSaysWhen) {
  std::vector<FieldError> errors;
  const Json in = {{"title", "Policy launch"}, {"frequency", "once"}, {"channel", "email"}};
  (void)ValidateFields(Communications(), in, WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors,
              ElementsAre(ErrorOn("date", "say when a communication made once takes place")));
  errors.clear();
  Json dated = in;
  dated["date"] = "2027-01-15";
  const Json out = ValidateFields(Communications(), dated, WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(out["status"], "active");
}

TEST(Communications, ALogEntryNamesItsCommunicationAndDate) {
  std::vector<FieldError> errors;
  (void)ValidateFields(CommunicationLog(), {{"summary", "Newsletter sent"}}, WriteMode::kCreate,
                       nullptr, errors);
  EXPECT_THAT(errors, ElementsAre(ErrorOn("communication"), ErrorOn("date")));
}

Json Communication(const char* frequency, const char* status = "active") {
  return {{"frequency", frequency}, {"status", status}, {"date", nullptr}};
}

TEST(Communications, IsOverdueWhenItsLastEntryIsOlderThanItsFrequencyAllows) {
  const std::string today = "2026-12-04";
  EXPECT_FALSE(IsCommunicationOverdue(Communication("weekly"), "2026-11-27", today));
  EXPECT_TRUE(IsCommunicationOverdue(Communication("weekly"), "2026-11-26", today));
  EXPECT_FALSE(IsCommunicationOverdue(Communication("monthly"), "2026-11-04", today));
  EXPECT_TRUE(IsCommunicationOverdue(Communication("monthly"), "2026-11-03", today));
  EXPECT_FALSE(IsCommunicationOverdue(Communication("quarterly"), "2026-09-04", today));
  EXPECT_TRUE(IsCommunicationOverdue(Communication("quarterly"), "2026-09-03", today));
  EXPECT_FALSE(IsCommunicationOverdue(Communication("half_yearly"), "2026-06-04", today));
  EXPECT_TRUE(IsCommunicationOverdue(Communication("half_yearly"), "2026-06-03", today));
  EXPECT_FALSE(IsCommunicationOverdue(Communication("yearly"), "2025-12-04", today));
  EXPECT_TRUE(IsCommunicationOverdue(Communication("yearly"), "2025-12-03", today));
  EXPECT_TRUE(IsCommunicationOverdue(Communication("monthly"), "", today));  // never logged
}

TEST(Communications, IsNeverOverdueOnEventsOrEndedAndOnceOnlyAfterItsDate) {
  const std::string today = "2026-12-04";
  EXPECT_FALSE(IsCommunicationOverdue(Communication("on_event"), "", today));
  EXPECT_FALSE(IsCommunicationOverdue(Communication("weekly", "ended"), "", today));
  Json once = Communication("once");
  once["date"] = "2026-12-04";
  EXPECT_FALSE(IsCommunicationOverdue(once, "", today));
  once["date"] = "2026-12-03";
  EXPECT_TRUE(IsCommunicationOverdue(once, "", today));
  EXPECT_FALSE(IsCommunicationOverdue(once, "2026-12-03", today));
}

// --- 7.3 Awareness ---

TEST(AwarenessCampaigns, StartPlannedAndNeedATopicAndADueDate) {
  std::vector<FieldError> errors;
  const Json out = ValidateFields(AwarenessCampaigns(), {{"topic", "Phishing"}}, WriteMode::kCreate,
                                  nullptr, errors);
  EXPECT_THAT(errors, ElementsAre(ErrorOn("due_date")));
  errors.clear();
  const Json ok =
      ValidateFields(AwarenessCampaigns(), {{"topic", "Phishing"}, {"due_date", "2027-01-31"}},
                     WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  EXPECT_EQ(ok["status"], "planned");
  EXPECT_TRUE(ok["launched_on"].is_null());
}

TEST(AwarenessCampaigns, AreLaunchedAndClosedByTheirWorkflowOnly) {
  for (const char* field : {"status", "launched_on"}) {
    std::vector<FieldError> errors;
    (void)ValidateFields(AwarenessCampaigns(),
                         {{"topic", "Phishing"}, {"due_date", "2027-01-31"}, {field, "launched"}},
                         WriteMode::kCreate, nullptr, errors);
    EXPECT_THAT(errors, ElementsAre(ErrorOn(field)));
  }
  const auto& life = *AwarenessCampaigns().lifecycle;
  EXPECT_TRUE(life.IsEditableIn("planned"));
  EXPECT_TRUE(life.IsEditableIn("launched"));  // the audience may grow: newcomers are asked
  EXPECT_FALSE(life.IsEditableIn("closed"));
  EXPECT_TRUE(AwarenessCompletions().workflow_only);
}

TEST(AwarenessCompletions, AreOverdueWhenPendingAfterTheirDueDate) {
  const std::string today = "2026-12-04";
  const Json pending = {{"status", "pending"}, {"due_date", "2026-12-03"}};
  EXPECT_TRUE(IsAwarenessOverdue(pending, today));
  Json due_today = pending;
  due_today["due_date"] = today;
  EXPECT_FALSE(IsAwarenessOverdue(due_today, today));
  Json completed = pending;
  completed["status"] = "completed";
  EXPECT_FALSE(IsAwarenessOverdue(completed, today));
  Json missed = pending;
  missed["status"] = "missed";  // the campaign was closed: not overdue, not completed
  EXPECT_FALSE(IsAwarenessOverdue(missed, today));
  Json undated = pending;
  undated["due_date"] = nullptr;
  EXPECT_FALSE(IsAwarenessOverdue(undated, today));
}

}  // namespace
}  // namespace rampart::domain
