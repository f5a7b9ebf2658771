// Incidents (Annex A 5.24-5.28): what each step of handling one needs, a dismissed event, and
// the order of its dates.
#include "domain/operation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "support/field_errors.h"

namespace rampart::domain {
namespace {

using test::ErrorOn;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<FieldError> Errors(const Json& input, const Json* before = nullptr) {
  std::vector<FieldError> errors;
  (void)ValidateFields(Incidents(), input,
                       before == nullptr ? WriteMode::kCreate : WriteMode::kUpdate, before, errors);
  return errors;
}

Json Reported() {
  std::vector<FieldError> errors;
  Json r = ValidateFields(Incidents(),
                          {{"title", "Invoice phishing mail clicked"},
                           {"description", "A finance clerk entered credentials on a fake page."},
                           {"reported_on", "2026-11-30"},
                           {"category", "phishing"},
                           {"severity", "high"}},
                          WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  return r;
}

Json With(Json r, const Json& changes) {
  for (const auto& [k, v] : changes.items()) r[k] = v;
  return r;
}

TEST(Incidents, AreReportedWithWhatHappenedItsCategoryAndSeverity) {
  EXPECT_EQ(Reported()["status"], "reported");
  EXPECT_THAT(Errors({{"title", "Something odd"}}),
              ElementsAre(ErrorOn("description"), ErrorOn("reported_on"), ErrorOn("category"),
                          ErrorOn("severity")));
}

TEST(Incidents, EachStepNeedsWhatItSays) {
  const Json reported = Reported();
  const Json triaged = With(reported, {{"status", "triaged"}});
  EXPECT_THAT(Errors(triaged, &reported), ElementsAre(ErrorOn("owner", "handles")));
  const Json handled = With(triaged, {{"owner", 2}});
  EXPECT_THAT(Errors(handled, &reported), IsEmpty());
  const Json contained = With(handled, {{"status", "contained"}});
  EXPECT_THAT(Errors(contained, &handled), ElementsAre(ErrorOn("containment")));
  const Json contained_ok = With(contained, {{"containment", "Password reset, sessions ended."}});
  const Json resolved = With(contained_ok, {{"status", "resolved"}});
  EXPECT_THAT(Errors(resolved, &contained_ok),
              ElementsAre(ErrorOn("resolution"), ErrorOn("resolved_on")));
  const Json resolved_ok = With(resolved, {{"resolution", "No data left; mailbox rules removed."},
                                           {"resolved_on", "2026-12-01"}});
  EXPECT_THAT(Errors(resolved_ok, &contained_ok), IsEmpty());
  const Json closed = With(resolved_ok, {{"status", "closed"}});
  EXPECT_THAT(Errors(closed, &resolved_ok),
              ElementsAre(ErrorOn("lessons_learned", "before closing")));
  EXPECT_THAT(
      Errors(With(closed, {{"lessons_learned", "MFA for the finance team."}}), &resolved_ok),
      IsEmpty());
}

TEST(Incidents, SkippingContainmentIsNotAStepButAnEventCanBeDismissed) {
  const Json reported = Reported();
  EXPECT_THAT(Errors(With(reported, {{"status", "contained"}}), &reported),
              ElementsAre(ErrorOn("status", "cannot change")));
  // Found not to be an incident: closed from reported, saying why.
  const Json dismissed = With(reported, {{"status", "closed"}});
  EXPECT_THAT(Errors(dismissed, &reported),
              ElementsAre(ErrorOn("lessons_learned", "not an incident")));
  EXPECT_THAT(
      Errors(With(dismissed, {{"lessons_learned", "A legitimate vendor mail."}}), &reported),
      IsEmpty());
}

TEST(Incidents, DatesComeInOrder) {
  EXPECT_THAT(Errors(With(Reported(), {{"occurred_on", "2026-12-02"}})),
              ElementsAre(ErrorOn("occurred_on", "after it was reported")));
  EXPECT_THAT(Errors(With(Reported(), {{"resolved_on", "2026-11-01"}})),
              ElementsAre(ErrorOn("resolved_on", "before it was reported")));
}

TEST(Incidents, TimelineRowsNeedADateAndAnEntry) {
  EXPECT_THAT(Errors(With(Reported(), {{"timeline", {{{"entry", "Mail reported"}}}}})),
              ElementsAre(ErrorOn("timeline[0].date")));
  EXPECT_THAT(Errors(With(Reported(), {{"timeline",
                                        {{{"date", "2026-11-30"},
                                          {"time", "09:12"},
                                          {"entry", "Mail reported to the service desk"}}}}})),
              IsEmpty());
}

}  // namespace
}  // namespace rampart::domain

// Clause 8.1: suppliers and outsourced processes, their assessments, and planned operational
// activities with their occurrences.
namespace rampart::domain {
namespace {

using test::ErrorOn;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<FieldError> ErrorsOf(const RegisterSpec& spec, const Json& input) {
  std::vector<FieldError> errors;
  (void)ValidateFields(spec, input, WriteMode::kCreate, nullptr, errors);
  return errors;
}

Json Valid(const RegisterSpec& spec, const Json& input) {
  std::vector<FieldError> errors;
  Json r = ValidateFields(spec, input, WriteMode::kCreate, nullptr, errors);
  EXPECT_THAT(errors, IsEmpty());
  return r;
}

const Json kCloudHost = {{"name", "Cloud host"},
                         {"services", "Hosting of the customer portal."},
                         {"criticality", "medium"},
                         {"owner", 2}};

TEST(Suppliers, AreActiveWithWhatTheyProvideAndWhoManagesThem) {
  const Json s = Valid(Suppliers(), kCloudHost);
  EXPECT_EQ(s["status"], "active");
  EXPECT_EQ(s["outsourced_process"], false);
  EXPECT_THAT(ErrorsOf(Suppliers(), {{"name", "Cloud host"}}),
              ElementsAre(ErrorOn("services"), ErrorOn("criticality")));
  Json proposed = kCloudHost;
  proposed.erase("owner");
  EXPECT_THAT(ErrorsOf(Suppliers(), proposed), ElementsAre(ErrorOn("owner", "active supplier")));
  proposed["status"] = "proposed";  // being selected: nobody manages it yet
  EXPECT_THAT(ErrorsOf(Suppliers(), proposed), IsEmpty());
}

TEST(Suppliers, AContractCannotEndBeforeItStarts) {
  Json s = kCloudHost;
  s["contract_start"] = "2026-01-01";
  s["contract_end"] = "2025-12-31";
  EXPECT_THAT(ErrorsOf(Suppliers(), s), ElementsAre(ErrorOn("contract_end", "before it starts")));
  s["contract_end"] = "2026-01-01";
  EXPECT_THAT(ErrorsOf(Suppliers(), s), IsEmpty());
}

TEST(Suppliers, ACriticalSupplierNeedsSecurityRequirementsAndAReviewDate) {
  Json s = kCloudHost;
  s["criticality"] = "critical";
  EXPECT_THAT(ErrorsOf(Suppliers(), s),
              ElementsAre(ErrorOn("security_requirements"), ErrorOn("next_review")));
  s["security_requirements"] = "Incidents notified within 24 hours; yearly audit right.";
  s["next_review"] = "2027-03-01";
  EXPECT_THAT(ErrorsOf(Suppliers(), s), IsEmpty());
  s["criticality"] = "high";
  s.erase("security_requirements");
  EXPECT_THAT(ErrorsOf(Suppliers(), s), ElementsAre(ErrorOn("security_requirements")));
}

TEST(Suppliers, ContactsNeedANameAndAnEmailAddressThatIsOne) {
  Json s = kCloudHost;
  s["contacts"] = {{{"name", "Ann Lee"},
                    {"role", "Security officer"},
                    {"email", "ann@host.example"},
                    {"phone", "+44 20 7946 0000"}},
                   {{"name", "Desk"}, {"email", "desk at host"}},
                   {{"role", "Account manager"}}};
  EXPECT_THAT(ErrorsOf(Suppliers(), s), ElementsAre(ErrorOn("contacts[2].name")));
  s["contacts"][2]["name"] = "Bob Ray";
  EXPECT_THAT(ErrorsOf(Suppliers(), s), ElementsAre(ErrorOn("contacts[1].email", "e-mail")));
  s["contacts"][1]["email"] = "desk@host.example";
  EXPECT_THAT(ErrorsOf(Suppliers(), s), IsEmpty());
}

TEST(SupplierAssessments, NeedTheSupplierDateMethodAndResult) {
  EXPECT_THAT(
      ErrorsOf(SupplierAssessments(), {{"title", "2026 review"}}),
      ElementsAre(ErrorOn("supplier"), ErrorOn("date"), ErrorOn("method"), ErrorOn("rating")));
  const Json ok = Valid(SupplierAssessments(), {{"supplier", 1},
                                                {"title", "2026 review"},
                                                {"date", "2026-06-01"},
                                                {"method", "questionnaire"},
                                                {"rating", "satisfactory"}});
  EXPECT_EQ(ok["certificate_expires"], Json());
}

TEST(SupplierAssessments, ACertificateReviewNamesTheCertificateAndItsValidity) {
  Json a = {{"supplier", 1},
            {"title", "ISO 27001 certificate"},
            {"date", "2026-06-01"},
            {"method", "certificate_review"},
            {"rating", "satisfactory"}};
  EXPECT_THAT(ErrorsOf(SupplierAssessments(), a), ElementsAre(ErrorOn("certificate_expires")));
  a["certificate_expires"] = "2027-05-31";
  EXPECT_THAT(ErrorsOf(SupplierAssessments(), a), ElementsAre(ErrorOn("certificate")));
  a["certificate"] = "ISO/IEC 27001:2022, no. 12345";
  EXPECT_THAT(ErrorsOf(SupplierAssessments(), a), IsEmpty());
}

TEST(SupplierAssessments, AResultShortOfSatisfactorySaysWhatWasFound) {
  Json a = {{"supplier", 1},     {"title", "Audit"},     {"date", "2026-06-01"},
            {"method", "audit"}, {"rating", "findings"}, {"next_assessment", "2026-06-01"}};
  EXPECT_THAT(ErrorsOf(SupplierAssessments(), a),
              ElementsAre(ErrorOn("findings"), ErrorOn("next_assessment", "after")));
  a["findings"] = "No MFA on the admin console.";
  a["next_assessment"] = "2026-12-01";
  EXPECT_THAT(ErrorsOf(SupplierAssessments(), a), IsEmpty());
}

TEST(CertificateExpiredOn, IsTheExpiryWhenItIsPastAndTheSupplierNotTerminated) {
  const Json active = {{"status", "active"}};
  EXPECT_EQ(CertificateExpiredOn(active, "2026-11-30", "2026-12-01"), "2026-11-30");
  EXPECT_EQ(CertificateExpiredOn(active, "2026-12-01", "2026-12-01"), "");  // its last day
  EXPECT_EQ(CertificateExpiredOn(active, "", "2026-12-01"), "");
  EXPECT_EQ(CertificateExpiredOn({{"status", "terminated"}}, "2026-01-01", "2026-12-01"), "");
}

const Json kAccessReview = {{"title", "Quarterly access review"},
                            {"applied_control", 3},
                            {"owner", 2},
                            {"every", 3},
                            {"period", "months"},
                            {"start_date", "2026-01-31"}};

TEST(OperationalActivities, OperateAnAppliedControlWithAnOwnerAndAFrequency) {
  const Json a = Valid(OperationalActivities(), kAccessReview);
  EXPECT_EQ(a["status"], "active");
  EXPECT_THAT(ErrorsOf(OperationalActivities(), {{"title", "Restore test"}, {"every", 0}}),
              ElementsAre(ErrorOn("applied_control"), ErrorOn("every"), ErrorOn("start_date")));
  Json retired = kAccessReview;
  retired.erase("owner");
  EXPECT_THAT(ErrorsOf(OperationalActivities(), retired), ElementsAre(ErrorOn("owner")));
  retired["status"] = "retired";
  EXPECT_THAT(ErrorsOf(OperationalActivities(), retired), IsEmpty());
}

TEST(NextOccurrenceDue, IsTheLastOccurrenceOrTheStartPlusTheFrequency) {
  const Json a = Valid(OperationalActivities(), kAccessReview);
  EXPECT_EQ(NextOccurrenceDue(a, ""), "2026-04-30");  // from the start, three months on
  EXPECT_EQ(NextOccurrenceDue(a, "2026-05-31"), "2026-08-31");
  Json weekly = a;
  weekly["every"] = 2;
  weekly["period"] = "weeks";
  EXPECT_EQ(NextOccurrenceDue(weekly, "2026-12-25"), "2027-01-08");
  weekly["period"] = "days";
  EXPECT_EQ(NextOccurrenceDue(weekly, "2026-12-31"), "2027-01-02");
  weekly["period"] = "years";
  EXPECT_EQ(NextOccurrenceDue(weekly, "2024-02-29"), "2026-02-28");
}

TEST(MissedSince, IsTheExpectedDayOnceItHasPassedForAnActiveActivity) {
  const Json a = Valid(OperationalActivities(), kAccessReview);
  EXPECT_EQ(MissedSince(a, "", "2026-04-30"), "");  // due today: not missed yet
  EXPECT_EQ(MissedSince(a, "", "2026-05-01"), "2026-04-30");
  EXPECT_EQ(MissedSince(a, "2026-04-15", "2026-05-01"), "");  // carried out: next in July
  Json retired = a;
  retired["status"] = "retired";
  EXPECT_EQ(MissedSince(retired, "", "2027-01-01"), "");
}

TEST(ActivityOccurrences, SayWhatWasFoundOrWhyTheyWereNotPerformed) {
  Json o = {{"activity", 1}, {"summary", "Q1 review"}, {"date", "2026-03-30"}};
  EXPECT_EQ(Valid(ActivityOccurrences(), o)["outcome"], "completed");
  o["outcome"] = "issues_found";
  EXPECT_THAT(ErrorsOf(ActivityOccurrences(), o), ElementsAre(ErrorOn("notes", "issues")));
  o["outcome"] = "not_performed";
  EXPECT_THAT(ErrorsOf(ActivityOccurrences(), o), ElementsAre(ErrorOn("notes", "why")));
  o["notes"] = "The reviewer was ill; moved to April.";
  EXPECT_THAT(ErrorsOf(ActivityOccurrences(), o), IsEmpty());
}

}  // namespace
}  // namespace rampart::domain
