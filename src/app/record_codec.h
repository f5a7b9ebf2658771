// A record's representations derived from its register description: JSON for the API, form
// input for the web UI, CSV for export. Pure functions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "domain/register.h"
#include "store/store.h"

namespace rampart::app {

// {"id":..,"version":..,"created_at":..,"updated_at":..,"created_by":..,"updated_by":.., fields}
domain::Json RecordToJson(const domain::Record& r);

// Form fields as posted (name -> values) to the JSON input ValidateFields expects: text as
// strings, a checkbox as a boolean, a user choice as an integer, a list textarea split into
// lines, table rows from names like "requirements[2][text]". Unconvertible values are passed on
// as strings so that validation names the field.
domain::Json FormToInput(const domain::RegisterSpec& spec,
                         const std::multimap<std::string, std::string>& form);

// CSV with a header row of field names, one row per record; users as user names, lists as lines,
// tables as JSON, so that an export loses nothing.
std::string RecordsToCsv(const domain::RegisterSpec& spec,
                         const std::vector<domain::Record>& records,
                         const std::vector<store::UserSummary>& members);

}  // namespace rampart::app
