// Clause 7's registers: when a resource counts as granted, and what its amount and period need.
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

}  // namespace
}  // namespace rampart::domain
