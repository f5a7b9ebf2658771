// Status matchers for tests: EXPECT_THAT(result, StatusIs(Code::kConflict)),
// EXPECT_THAT(status, StatusIs(Code::kInvalidArgument, "owner")), ASSERT_THAT(r, IsOk()); and
// readable printing of Status and Result in failure messages.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "base/status.h"

namespace rampart {

// Readable failure messages: "conflict: ... (field owner)" instead of object bytes.
inline void PrintTo(Code code, std::ostream* os) { *os << CodeName(code); }
inline void PrintTo(const Status& s, std::ostream* os) { *os << s.ToString(); }
template <typename T>
void PrintTo(const Result<T>& r, std::ostream* os) {
  *os << (r.ok() ? std::string("ok (a value)") : r.status().ToString());
}

namespace test {

inline const Status& StatusOf(const Status& s) { return s; }
template <typename T>
const Status& StatusOf(const Result<T>& r) {
  return r.status();
}

MATCHER(IsOk, "is ok") {
  const Status& s = ::rampart::test::StatusOf(arg);
  *result_listener << "status is " << s.ToString();
  return s.ok();
}

// StatusIs(code) and StatusIs(code, field) match a Status or a Result's status.
MATCHER_P(StatusIs, code, "has code " + std::string(::rampart::CodeName(code))) {
  const Status& s = ::rampart::test::StatusOf(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code;
}
MATCHER_P2(StatusIs, code, field,
           "has code " + std::string(::rampart::CodeName(code)) + " on field \"" +
               std::string(field) + "\"") {
  const Status& s = ::rampart::test::StatusOf(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code && s.field() == field;
}

}  // namespace test
}  // namespace rampart
