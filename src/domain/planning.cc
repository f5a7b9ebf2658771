#include "domain/planning.h"

#include <string>
#include <vector>

namespace rampart::domain {
namespace {

// A change to the ISMS is proposed with its purpose and possible consequences, approved (or
// rejected), carried out and closed. What it touches is named: the scope, risks and applied
// controls; a change touching risks says by when they are reassessed.
RegisterSpec MakePlannedChanges() {
  RegisterSpec s{.type = "planned_change",
                 .table = "planned_changes",
                 .path = "changes",
                 .singular = "Planned change",
                 .plural = "Planned changes",
                 .clause = "6.3",
                 .title_field = "title"};
  FieldSpec number{.name = "number", .label = "No.", .type = FieldType::kInteger};
  number.read_only = number.sortable = number.sequence = true;
  s.fields = {
      number,
      {.name = "title", .label = "Title", .required = true, .sortable = true, .searchable = true},
      {.name = "purpose",
       .label = "Purpose",
       .type = FieldType::kLongText,
       .required = true,
       .help = "Why the ISMS changes.",
       .searchable = true},
      {.name = "consequences",
       .label = "Possible consequences",
       .type = FieldType::kLongText,
       .help = "What the change could affect, and how that is handled.",
       .searchable = true},
      {.name = "affects_scope",
       .label = "Affects the ISMS scope",
       .type = FieldType::kBool,
       .filterable = true},
      {.name = "risks",
       .label = "Affected risks",
       .type = FieldType::kRefs,
       .filterable = true,
       .ref = "risk"},
      {.name = "controls",
       .label = "Affected applied controls",
       .type = FieldType::kRefs,
       .filterable = true,
       .ref = "applied_control"},
      {.name = "resources",
       .label = "Resources",
       .type = FieldType::kLongText,
       .help = "People, budget and tools the change needs."},
      OwnerField(),
      {.name = "planned_start",
       .label = "Planned start",
       .type = FieldType::kDate,
       .sortable = true},
      {.name = "planned_end",
       .label = "Planned completion",
       .type = FieldType::kDate,
       .filterable = true,
       .sortable = true},
      {.name = "reassess_by",
       .label = "Reassess risks by",
       .type = FieldType::kDate,
       .help = "When the affected risks are to be reassessed."},
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"proposed", "Proposed"},
                   {"approved", "Approved"},
                   {"in_progress", "In progress"},
                   {"done", "Done"},
                   {"rejected", "Rejected"},
                   {"cancelled", "Cancelled"}},
       .filterable = true,
       .sortable = true,
       .default_value = "proposed"},
      {.name = "approved_by", .label = "Approved by", .type = FieldType::kUser, .filterable = true},
      {.name = "approved_on", .label = "Approved on", .type = FieldType::kDate},
      {.name = "outcome",
       .label = "Outcome",
       .type = FieldType::kLongText,
       .help = "What was done, and whether the change achieved its purpose."},
  };
  s.list_columns = {"number", "title", "owner", "planned_end", "status", "risks"};
  s.default_sort = "-number";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"proposed", "approved"},
                                          {"proposed", "rejected"},
                                          {"approved", "in_progress"},
                                          {"approved", "cancelled"},
                                          {"in_progress", "done"},
                                          {"in_progress", "cancelled"},
                                          {"rejected", "proposed"}},
                          .editable_in = {},
                          .closed = {"done", "rejected", "cancelled"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    const bool decided = IsApprovedChange(r);
    if (decided && r["approved_by"].is_null()) {
      errors.push_back({"approved_by", "name who approved the change"});
    }
    if (decided && r["approved_on"].is_null()) {
      errors.push_back({"approved_on", "say when the change was approved"});
    }
    const bool touches_risks = r["risks"].is_array() && !r["risks"].empty();
    if (decided && touches_risks && r["reassess_by"].is_null()) {
      errors.push_back({"reassess_by", "say by when the affected risks are reassessed"});
    }
    if (r["planned_start"].is_string() && r["planned_end"].is_string() &&
        r["planned_end"].get<std::string>() < r["planned_start"].get<std::string>()) {
      errors.push_back({"planned_end", "the change cannot be completed before it starts"});
    }
    if (r["status"] == "done" && r["outcome"].is_null()) {
      errors.push_back({"outcome", "say what the change achieved before closing it"});
    }
  };
  return s;
}

}  // namespace

bool IsApprovedChange(const Json& fields) {
  const Json s = fields.is_object() ? fields.value("status", Json()) : Json();
  return s == "approved" || s == "in_progress" || s == "done";
}

const RegisterSpec& PlannedChanges() {
  static const RegisterSpec kSpec = MakePlannedChanges();
  return kSpec;
}

}  // namespace rampart::domain
