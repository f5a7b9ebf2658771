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
