// Matching and printing domain::FieldError in tests.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "domain/record.h"

namespace rampart::domain {

inline void PrintTo(const FieldError& e, std::ostream* os) {
  *os << "{" << e.field << ": " << e.message << "}";
}

}  // namespace rampart::domain

namespace rampart::test {

// A FieldError on `field` whose message contains `text`.
inline ::testing::Matcher<domain::FieldError> ErrorOn(const std::string& field,
                                                      const std::string& text = "") {
  return ::testing::AllOf(
      ::testing::Field(&domain::FieldError::field, field),
      ::testing::Field(&domain::FieldError::message, ::testing::HasSubstr(text)));
}

}  // namespace rampart::test
