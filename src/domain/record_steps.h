// What the rules of a register whose records move through ordered steps (a nonconformity, an
// incident) ask of a record: whether a field holds a value, and how far the record has come.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "domain/record.h"

namespace rampart::domain {

// True when `field` of `r` holds something: not null, not an empty text, not an empty list.
inline bool HasValue(const Json& r, std::string_view field) {
  const Json v = r.value(std::string(field), Json());
  return !v.is_null() && !(v.is_string() && v.get<std::string>().empty()) &&
         !(v.is_array() && v.empty());
}

// The place of `r`'s state (its `field`) in `steps`, from 0; -1 for a state not among them.
inline int StepOf(const Json& r, std::initializer_list<std::string_view> steps,
                  std::string_view field = "status") {
  const Json s = r.value(std::string(field), Json());
  int i = 0;
  for (const std::string_view step : steps) {
    if (s == step) return i;
    ++i;
  }
  return -1;
}

}  // namespace rampart::domain
