// The smallest valid record of any register, for tests that go over every register (access,
// pages by role, copies of every table): a register added later is covered without a line here.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "domain/register.h"
#include "domain/registers.h"

namespace rampart::test {

using Json = domain::Json;

// Record ids by register type (`isms_role`): what a sample's required references name.
using SampleRefs = std::map<std::string, int64_t>;

// The ids of `records` (register path -> id, as the suites keep them) by register type.
inline SampleRefs RefsByType(const std::map<std::string, int64_t>& ids_by_path) {
  SampleRefs out;
  for (const auto& [path, id] : ids_by_path) {
    for (const auto* spec : domain::AllRegisters()) {
      if (spec->path == path) out[spec->type] = id;
    }
  }
  return out;
}

// The smallest valid record of a register: its required fields (a required reference names the
// record of its register in `refs`), every user field naming `user_id` (so a contributor owns
// it), and a date, a text or a first choice in each such field the register's rules ask for (a
// completed competence record says when it was achieved, a critical supplier what its contract
// requires, an audit what it covers).
inline Json SampleRecord(const domain::RegisterSpec& spec, int64_t user_id,
                         const SampleRefs& refs = {}) {
  Json body = Json::object();
  for (const auto& f : spec.fields) {
    if (f.read_only) continue;
    if (f.type == domain::FieldType::kUser) {
      body[f.name] = user_id;
      continue;
    }
    if (!f.required) continue;
    if (f.type == domain::FieldType::kRef) {
      if (refs.count(f.ref) != 0) body[f.name] = refs.at(f.ref);
      continue;
    }
    if (!f.default_value.is_null()) {
      body[f.name] = f.default_value;
      continue;
    }
    switch (f.type) {
      case domain::FieldType::kEnum:
        body[f.name] = f.default_value.is_null() ? Json(f.choices.front().value) : f.default_value;
        break;
      case domain::FieldType::kDate:
        // A measurement cannot be dated after today (app::MetricService).
        body[f.name] = f.name == "measured_on" ? "2020-01-01" : "2030-01-01";
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
  std::vector<domain::FieldError> errors;
  (void)domain::ValidateFields(spec, body, domain::WriteMode::kCreate, nullptr, errors);
  for (const auto& e : errors) {
    const domain::FieldSpec* f = spec.Field(e.field);
    if (f == nullptr || body.contains(f->name)) continue;
    if (f->type == domain::FieldType::kDate) {
      body[f->name] = "2030-01-01";
    } else if (f->type == domain::FieldType::kList && !f->choices.empty()) {
      body[f->name] = Json::array({f->choices.front().value});  // an audit's scope
    } else if (f->type == domain::FieldType::kText || f->type == domain::FieldType::kLongText) {
      body[f->name] = "Sample " + f->label;  // a nonconformity finding's evidence
    }
  }
  return body;
}

}  // namespace rampart::test
