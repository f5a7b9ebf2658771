#include "base/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/status_matchers.h"

namespace rampart {
namespace {

using test::IsOk;
using test::StatusIs;

TEST(Status, DefaultIsOkWithoutMessageOrField) {
  const Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Code::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.field(), "");
  EXPECT_EQ(s.ToString(), "ok");
  EXPECT_TRUE(Status::Ok().ok());
}

TEST(Status, InvalidArgumentCarriesMessageAndField) {
  const Status s = InvalidArgument("Title is required", "title");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "Title is required");
  EXPECT_EQ(s.field(), "title");
  EXPECT_EQ(s.ToString(), "invalid_argument: Title is required (field title)");
}

TEST(Status, ToStringOmitsAnEmptyField) {
  EXPECT_EQ(NotFound("no context issue with id 7").ToString(),
            "not_found: no context issue with id 7");
}

TEST(Status, ConstructorsSetTheirCodes) {
  EXPECT_EQ(NotFound("m").code(), Code::kNotFound);
  EXPECT_EQ(AlreadyExists("m", "name").code(), Code::kAlreadyExists);
  EXPECT_EQ(AlreadyExists("m", "name").field(), "name");
  EXPECT_EQ(FailedPrecondition("m").code(), Code::kFailedPrecondition);
  EXPECT_EQ(Conflict("m").code(), Code::kConflict);
  EXPECT_EQ(Unauthenticated("m").code(), Code::kUnauthenticated);
  EXPECT_EQ(PermissionDenied("m").code(), Code::kPermissionDenied);
  EXPECT_EQ(Unavailable("m").code(), Code::kUnavailable);
  EXPECT_EQ(InsufficientStorage("m").code(), Code::kInsufficientStorage);
  EXPECT_EQ(Internal("m").code(), Code::kInternal);
}

TEST(Status, CodeNamesAreStableSnakeCase) {
  EXPECT_EQ(CodeName(Code::kOk), "ok");
  EXPECT_EQ(CodeName(Code::kInvalidArgument), "invalid_argument");
  EXPECT_EQ(CodeName(Code::kNotFound), "not_found");
  EXPECT_EQ(CodeName(Code::kAlreadyExists), "already_exists");
  EXPECT_EQ(CodeName(Code::kFailedPrecondition), "failed_precondition");
  EXPECT_EQ(CodeName(Code::kConflict), "conflict");
  EXPECT_EQ(CodeName(Code::kPreconditionRequired), "precondition_required");
  EXPECT_EQ(CodeName(Code::kUnauthenticated), "unauthenticated");
  EXPECT_EQ(CodeName(Code::kPermissionDenied), "permission_denied");
  EXPECT_EQ(CodeName(Code::kTooLarge), "too_large");
  EXPECT_EQ(CodeName(Code::kUnavailable), "unavailable");
  EXPECT_EQ(CodeName(Code::kInsufficientStorage), "insufficient_storage");
  EXPECT_EQ(CodeName(Code::kInternal), "internal");
}

TEST(Result, HoldsAValue) {
  Result<std::string> r = std::string("scope");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "scope");
  EXPECT_EQ(r->size(), 5u);
  EXPECT_THAT(r.status(), IsOk());
}

TEST(Result, HoldsAnError) {
  const Result<int> r = Conflict("stale");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
  EXPECT_EQ(r.status().message(), "stale");
}

TEST(Result, MovesAMoveOnlyValueOut) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(42);
  std::unique_ptr<int> p = std::move(r).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 42);
}

// --- The macros ---

int g_calls = 0;

Status Fails(Code code) {
  ++g_calls;
  return Status(code, "failed", "field_a");
}
Status Succeeds() {
  ++g_calls;
  return Status::Ok();
}
Result<int> Number(int n) {
  ++g_calls;
  if (n < 0) return InvalidArgument("negative", "n");
  return n;
}

Status TwoSteps(bool first_fails) {
  RETURN_IF_ERROR(first_fails ? Fails(Code::kNotFound) : Succeeds());
  RETURN_IF_ERROR(Fails(Code::kConflict));
  return Status::Ok();
}

Status CheckNumber(int n) {
  RETURN_IF_ERROR(Number(n));
  return Status::Ok();
}

Result<std::string> Doubled(int n) {
  ASSIGN_OR_RETURN(int v, Number(n));
  ASSIGN_OR_RETURN(const int w, Number(v));  // two uses in one function
  return std::to_string(v + w);
}

TEST(ReturnIfError, ReturnsTheFirstErrorAndSkipsTheRest) {
  g_calls = 0;
  const Status s = TwoSteps(/*first_fails=*/true);
  EXPECT_THAT(s, StatusIs(Code::kNotFound, "field_a"));
  EXPECT_EQ(g_calls, 1);
}

TEST(ReturnIfError, ContinuesPastSuccess) {
  g_calls = 0;
  EXPECT_THAT(TwoSteps(/*first_fails=*/false), StatusIs(Code::kConflict));
  EXPECT_EQ(g_calls, 2);
}

TEST(ReturnIfError, PropagatesAResultsStatus) {
  EXPECT_THAT(CheckNumber(3), IsOk());
  EXPECT_THAT(CheckNumber(-1), StatusIs(Code::kInvalidArgument, "n"));
}

TEST(AssignOrReturn, AssignsTheValue) {
  g_calls = 0;
  const auto r = Doubled(21);
  ASSERT_THAT(r, IsOk());
  EXPECT_EQ(*r, "42");
  EXPECT_EQ(g_calls, 2);  // each expression evaluated once
}

TEST(AssignOrReturn, PropagatesTheErrorIntoAnotherResultType) {
  g_calls = 0;
  const auto r = Doubled(-5);
  EXPECT_THAT(r, StatusIs(Code::kInvalidArgument, "n"));
  EXPECT_EQ(r.status().message(), "negative");
  EXPECT_EQ(g_calls, 1);
}

}  // namespace
}  // namespace rampart
