// A register record: system columns plus the register's own fields as a JSON object.
//
// Field values are JSON values whose kind follows the field's type (see register.h): strings for
// text, enum and date fields, integers for user references and integers, booleans, arrays for
// lists and tables; null for an empty field. nlohmann::json keeps object keys sorted, so a
// record's JSON form is canonical.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace rampart::domain {

using Json = nlohmann::json;

struct Record {
  int64_t id = 0;
  int64_t org_id = 0;
  int64_t version = 0;
  std::string created_at;  // ISO 8601 UTC
  std::string updated_at;
  int64_t created_by = 0;  // user id
  int64_t updated_by = 0;
  Json fields = Json::object();
};

// A validation error about one input field. `field` is a path: "title",
// "exclusions[2].justification".
struct FieldError {
  std::string field;
  std::string message;
};

}  // namespace rampart::domain
