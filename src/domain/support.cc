#include "domain/support.h"

#include <string>
#include <vector>

namespace rampart::domain {
namespace {

// A resource is asked for, granted (or declined), then in place until it ends. Granting is a
// commitment of top management (clause 5.1 c): the record names who granted it.
RegisterSpec MakeResources() {
  RegisterSpec s{.type = "resource",
                 .table = "resources",
                 .path = "resources",
                 .singular = "Resource",
                 .plural = "Resources",
                 .clause = "7.1",
                 .title_field = "name"};
  s.fields = {
      {.name = "name", .label = "Name", .required = true, .sortable = true, .searchable = true},
      {.name = "kind",
       .label = "Kind",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"people", "People"},
                   {"budget", "Budget"},
                   {"tool", "Tool"},
                   {"service", "Service"},
                   {"facility", "Facility"},
                   {"other", "Other"}},
       .filterable = true,
       .sortable = true},
      {.name = "purpose",
       .label = "Purpose",
       .type = FieldType::kLongText,
       .help = "What the ISMS needs it for: the processes, objectives or controls it serves.",
       .searchable = true},
      OwnerField(),
      {.name = "amount",
       .label = "Amount",
       .type = FieldType::kInteger,
       .help = "How much, in the unit below: 40000 (EUR), 16 (hours a week), 25 (licences).",
       .sortable = true,
       .min_value = 0,
       .max_value = 2000000000},
      {.name = "unit",
       .label = "Unit",
       .max_length = 40,
       .help = "The unit of the amount: EUR, hours a week, licences, days."},
      {.name = "period_start", .label = "From", .type = FieldType::kDate, .sortable = true},
      {.name = "period_end",
       .label = "Until",
       .type = FieldType::kDate,
       .help = "Leave empty for a resource without an end.",
       .filterable = true,
       .sortable = true},
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"requested", "Requested"},
                   {"granted", "Granted"},
                   {"in_place", "In place"},
                   {"declined", "Declined"},
                   {"ended", "Ended"}},
       .filterable = true,
       .sortable = true,
       .default_value = "requested"},
      {.name = "granted_by",
       .label = "Granted by",
       .type = FieldType::kUser,
       .help = "The member of top management who committed the resource.",
       .filterable = true},
      {.name = "granted_on", .label = "Granted on", .type = FieldType::kDate},
      NextReviewField(),
  };
  s.list_columns = {"name", "kind",   "owner",      "amount",
                    "unit", "status", "period_end", "next_review"};
  s.default_sort = "name";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"requested", "granted"},
                                          {"requested", "declined"},
                                          {"granted", "in_place"},
                                          {"granted", "declined"},
                                          {"in_place", "ended"},
                                          {"declined", "requested"},
                                          {"ended", "in_place"}},
                          .editable_in = {},
                          .closed = {"declined", "ended"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    const bool committed = r["status"] == "granted" || r["status"] == "in_place";
    if (committed && r["granted_by"].is_null()) {
      errors.push_back({"granted_by", "name who in top management granted this resource"});
    }
    if (committed && r["granted_on"].is_null()) {
      errors.push_back({"granted_on", "say when this resource was granted"});
    }
    if (r["amount"].is_number() && r["unit"].is_null()) {
      errors.push_back({"unit", "say what the amount counts: EUR, hours a week, licences"});
    }
    if (r["period_start"].is_string() && r["period_end"].is_string() &&
        r["period_end"].get<std::string>() < r["period_start"].get<std::string>()) {
      errors.push_back({"period_end", "the period cannot end before it starts"});
    }
  };
  return s;
}

}  // namespace

const RegisterSpec& Resources() {
  static const RegisterSpec kSpec = MakeResources();
  return kSpec;
}

}  // namespace rampart::domain
