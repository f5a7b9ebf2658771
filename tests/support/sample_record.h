// The smallest valid record of any register, for tests that go over every register (access,
// pages by role, copies of every table): a register added later is covered without a line here.
#pragma once

#include <cstdint>

#include "domain/register.h"

namespace rampart::test {

using Json = domain::Json;

// The smallest valid record of a register: its required fields, and every user field naming
// `user_id` (so a contributor owns it).
inline Json SampleRecord(const domain::RegisterSpec& spec, int64_t user_id) {
  Json body = Json::object();
  for (const auto& f : spec.fields) {
    if (f.read_only) continue;
    if (f.type == domain::FieldType::kUser) {
      body[f.name] = user_id;
      continue;
    }
    if (!f.required) continue;
    if (!f.default_value.is_null()) {
      body[f.name] = f.default_value;
      continue;
    }
    switch (f.type) {
      case domain::FieldType::kEnum:
        body[f.name] = f.default_value.is_null() ? Json(f.choices.front().value) : f.default_value;
        break;
      case domain::FieldType::kDate:
        body[f.name] = "2030-01-01";
        break;
      case domain::FieldType::kBool:
        body[f.name] = false;
        break;
      case domain::FieldType::kInteger:
        body[f.name] = 1;
        break;
      case domain::FieldType::kDecimal:
        body[f.name] = 1.5;
        break;
      case domain::FieldType::kList:
      case domain::FieldType::kTable:
        body[f.name] = Json::array();
        break;
      default:
        body[f.name] = "Sample " + f.label;
    }
  }
  return body;
}

}  // namespace rampart::test
