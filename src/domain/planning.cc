#include "domain/planning.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rampart::domain {
namespace {

bool Number(const Json& r, const char* field) { return r.value(field, Json()).is_number(); }

// True when `current` meets the target in the objective's direction (increase to at least,
// decrease to at most). A level to maintain is judged by the evaluation method, not here.
bool MeetsTarget(const Json& r) {
  const double current = r["current_value"].get<double>();
  const double target = r["target_value"].get<double>();
  if (r["direction"] == "increase") return current >= target;
  if (r["direction"] == "decrease") return current <= target;
  return true;
}

// An objective says what will be done, what it needs, who is responsible, when it will be
// completed and how its results are evaluated (the planning of clause 6.2). Where it can be
// measured, it carries a target (a value, its unit, the direction it is reached in) with the
// baseline it starts from and the value measured last. It is planned, worked on, and closed as
// achieved, not achieved or cancelled; a closed one may be planned again.
RegisterSpec MakeObjectives() {
  RegisterSpec s{.type = "objective",
                 .table = "objectives",
                 .path = "objectives",
                 .singular = "Objective",
                 .plural = "Objectives",
                 .clause = "6.2",
                 .title_field = "title"};
  auto decimal = [](std::string name, std::string label, std::string help, bool sortable) {
    return FieldSpec{.name = std::move(name),
                     .label = std::move(label),
                     .type = FieldType::kDecimal,
                     .help = std::move(help),
                     .sortable = sortable};
  };
  FieldSpec owner = OwnerField();
  owner.help = "Who is responsible for reaching it.";
  s.fields = {
      {.name = "title",
       .label = "Title",
       .required = true,
       .help = "What will be done: \"Phishing reports within 1 hour of delivery\".",
       .sortable = true,
       .searchable = true},
      {.name = "description",
       .label = "Description",
       .type = FieldType::kLongText,
       .help = "Why it matters: the policy, requirement or risks it serves.",
       .searchable = true},
      {.name = "policies",
       .label = "Consistent with policies",
       .type = FieldType::kRefs,
       .help = "The information security policy and topic-specific policies the objective is "
               "consistent with.",
       .filterable = true,
       .ref = "document"},
      {.name = "resources",
       .label = "Resources required",
       .type = FieldType::kLongText,
       .help = "People, budget and tools the objective needs."},
      owner,
      {.name = "due_date",
       .label = "Due date",
       .type = FieldType::kDate,
       .required = true,
       .help = "When it will be completed.",
       .filterable = true,
       .sortable = true},
      {.name = "evaluation",
       .label = "Evaluation method",
       .type = FieldType::kLongText,
       .help = "How the results will be evaluated: the measurement, its source, who judges it.",
       .searchable = true},
      {.name = "risks",
       .label = "Related risks",
       .type = FieldType::kRefs,
       .filterable = true,
       .ref = "risk"},
      {.name = "controls",
       .label = "Applied controls",
       .type = FieldType::kRefs,
       .filterable = true,
       .ref = "applied_control"},
      decimal("target_value", "Target value", "The value to reach or keep, in the unit below.",
              true),
      {.name = "unit",
       .label = "Unit",
       .max_length = 40,
       .help = "What the values count: %, hours, incidents a quarter."},
      {.name = "direction",
       .label = "Direction",
       .type = FieldType::kEnum,
       .choices = {{"increase", "Increase to at least"},
                   {"decrease", "Decrease to at most"},
                   {"maintain", "Maintain"}},
       .filterable = true},
      decimal("baseline_value", "Baseline", "The value when the objective was set.", false),
      decimal("current_value", "Current value", "The value measured last.", true),
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"planned", "Planned"},
                   {"in_progress", "In progress"},
                   {"achieved", "Achieved"},
                   {"not_achieved", "Not achieved"},
                   {"cancelled", "Cancelled"}},
       .filterable = true,
       .sortable = true,
       .default_value = "planned"},
      {.name = "approved_by",
       .label = "Approved by",
       .type = FieldType::kUser,
       .help = "Who in top management approved the objective.",
       .filterable = true},
      {.name = "approved_on", .label = "Approved on", .type = FieldType::kDate},
      NextReviewField(),
  };
  s.list_columns = {"title",         "owner", "due_date", "target_value",
                    "current_value", "unit",  "status",   "next_review"};
  s.default_sort = "due_date";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"planned", "in_progress"},
                                          {"planned", "cancelled"},
                                          {"in_progress", "achieved"},
                                          {"in_progress", "not_achieved"},
                                          {"in_progress", "cancelled"},
                                          {"not_achieved", "planned"},
                                          {"cancelled", "planned"}},
                          .editable_in = {},
                          .closed = {"achieved", "not_achieved", "cancelled"},
                          .due_field = "due_date"};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    // Objectives written before approvals were recorded have neither field.
    const Json by = r.value("approved_by", Json());
    const Json on = r.value("approved_on", Json());
    if (on.is_string() && by.is_null()) {
      errors.push_back({"approved_by", "name who approved the objective"});
    }
    if (by.is_number_integer() && on.is_null()) {
      errors.push_back({"approved_on", "say when the objective was approved"});
    }
    const bool target = Number(r, "target_value");
    if (target && r["unit"].is_null()) {
      errors.push_back({"unit", "say what the target counts: %, hours, incidents"});
    }
    if (target && r["direction"].is_null()) {
      errors.push_back({"direction", "say whether the target is to reach, stay under or keep"});
    }
    if (!target && (Number(r, "baseline_value") || Number(r, "current_value"))) {
      errors.push_back({"target_value", "set the target the baseline and current value lead to"});
    }
    const bool closing = r["status"] == "achieved" || r["status"] == "not_achieved";
    if (closing && target && !Number(r, "current_value")) {
      errors.push_back({"current_value", "record the value measured before closing"});
    } else if (r["status"] == "achieved" && target && !r["direction"].is_null() &&
               !MeetsTarget(r)) {
      errors.push_back({"current_value", "the current value does not meet the target yet"});
    }
  };
  return s;
}

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

bool IsApprovedObjective(const Json& fields) {
  return fields.is_object() && fields.value("approved_by", Json()).is_number_integer();
}

bool IsApprovedChange(const Json& fields) {
  const Json s = fields.is_object() ? fields.value("status", Json()) : Json();
  return s == "approved" || s == "in_progress" || s == "done";
}

const RegisterSpec& Objectives() {
  static const RegisterSpec kSpec = MakeObjectives();
  return kSpec;
}

std::optional<double> ObjectiveProgress(const Json& fields) {
  if (!fields.is_object() || !Number(fields, "target_value") || !Number(fields, "baseline_value") ||
      !Number(fields, "current_value") || fields.value("direction", Json()) == "maintain") {
    return std::nullopt;
  }
  const double target = fields["target_value"].get<double>();
  const double baseline = fields["baseline_value"].get<double>();
  if (target == baseline) return std::nullopt;
  return (fields["current_value"].get<double>() - baseline) / (target - baseline) * 100;
}

const RegisterSpec& PlannedChanges() {
  static const RegisterSpec kSpec = MakePlannedChanges();
  return kSpec;
}

}  // namespace rampart::domain
