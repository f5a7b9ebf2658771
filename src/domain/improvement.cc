#include "domain/improvement.h"

#include <string>
#include <utility>
#include <vector>

#include "domain/record_steps.h"

namespace rampart::domain {
namespace {

// How far a nonconformity has come (0 ... 4 closed); -1 for an unknown state.
int Stage(const Json& r) {
  return StepOf(r, {kNcOpen, kNcActionPlanned, kNcActionDone, kNcVerified, kNcClosed});
}

// A nonconformity is recorded with where it came from, what happened and which requirement
// (a clause or an Annex A control) it did not meet; then the reaction (control, contain, deal
// with the consequences), the root cause with the method that found it and whether similar
// nonconformities exist or could occur; the corrective actions are its tasks; when they are done
// someone reviews their effectiveness by a date, with evidence. Not effective sends it back to
// planning with its actions reopened; only an effective review lets it close.
RegisterSpec MakeNonconformities() {
  RegisterSpec s{.type = "nonconformity",
                 .table = "nonconformities",
                 .path = "nonconformities",
                 .singular = "Nonconformity",
                 .plural = "Nonconformities",
                 .clause = "10.2",
                 .title_field = "title"};
  FieldSpec number{.name = "number", .label = "No.", .type = FieldType::kInteger};
  number.read_only = number.sortable = number.sequence = true;
  FieldSpec owner = OwnerField();
  owner.required = true;
  owner.help = "Who sees the nonconformity through to closure.";
  s.fields = {
      number,
      {.name = "title", .label = "Title", .required = true, .sortable = true, .searchable = true},
      {.name = "source",
       .label = "Source",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"internal_audit", "Internal audit finding"},
                   {"external_audit", "External audit"},
                   {"incident", "Incident"},
                   {"complaint", "Complaint"},
                   {"monitoring", "Monitoring and measurement"},
                   {"management_review", "Management review"},
                   {"other", "Other"}},
       .filterable = true,
       .sortable = true},
      {.name = "source_reference",
       .label = "Source reference",
       .max_length = 200,
       .help = "The finding, audit report, incident or complaint it came from.",
       .searchable = true},
      {.name = "grade",
       .label = "Grade",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"major", "Major"}, {"minor", "Minor"}},
       .filterable = true,
       .sortable = true},
      {.name = "description",
       .label = "Description",
       .type = FieldType::kLongText,
       .required = true,
       .help = "What was found, where and when, with the facts that show it.",
       .searchable = true},
      {.name = "requirement",
       .label = "Requirement not met",
       .required = true,
       .max_length = 120,
       .help = "The clause or Annex A control, or the policy or procedure: \"7.5.3\", \"A.5.15\".",
       .filterable = true,
       .searchable = true},
      {.name = "detected_on",
       .label = "Detected on",
       .type = FieldType::kDate,
       .required = true,
       .filterable = true,
       .sortable = true},
      {.name = "reported_by", .label = "Reported by", .type = FieldType::kUser, .filterable = true},
      owner,
      {.name = "reaction",
       .label = "Reaction and containment",
       .type = FieldType::kLongText,
       .help = "What was done to control and correct it and to deal with its consequences."},
      {.name = "root_cause_method",
       .label = "Root cause analysis method",
       .type = FieldType::kEnum,
       .choices = {{"five_whys", "Five whys"},
                   {"fishbone", "Cause and effect (fishbone) diagram"},
                   {"fault_tree", "Fault tree analysis"},
                   {"other", "Other"}}},
      {.name = "root_cause",
       .label = "Root cause",
       .type = FieldType::kLongText,
       .help = "Why it happened, found with the method above.",
       .searchable = true},
      {.name = "similar_nonconformities",
       .label = "Similar nonconformities",
       .type = FieldType::kLongText,
       .help = "Whether similar nonconformities exist or could occur, and where."},
      {.name = "action_due",
       .label = "Corrective action due",
       .type = FieldType::kDate,
       .help = "When the corrective actions are to be done.",
       .filterable = true,
       .sortable = true},
      {.name = "effectiveness_due",
       .label = "Effectiveness review due",
       .type = FieldType::kDate,
       .filterable = true,
       .sortable = true},
      {.name = "effectiveness_reviewer",
       .label = "Effectiveness reviewer",
       .type = FieldType::kUser,
       .filterable = true},
      {.name = "effectiveness",
       .label = "Effectiveness",
       .type = FieldType::kEnum,
       .choices = {{"effective", "Effective"}, {"not_effective", "Not effective"}},
       .filterable = true},
      {.name = "effectiveness_reviewed_on",
       .label = "Effectiveness reviewed on",
       .type = FieldType::kDate},
      {.name = "effectiveness_evidence",
       .label = "Effectiveness evidence",
       .type = FieldType::kLongText,
       .help = "What shows the actions worked (or did not): records checked, results, samples."},
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{std::string(kNcOpen), "Open"},
                   {std::string(kNcActionPlanned), "Action planned"},
                   {std::string(kNcActionDone), "Action done"},
                   {std::string(kNcVerified), "Effectiveness verified"},
                   {std::string(kNcClosed), "Closed"}},
       .filterable = true,
       .sortable = true,
       .default_value = std::string(kNcOpen)},
  };
  s.list_columns = {"number", "title", "grade", "source", "owner", "action_due", "status"};
  s.default_sort = "-number";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"open", "action_planned"},
                                          {"action_planned", "action_done"},
                                          {"action_done", "action_planned"},
                                          {"action_done", "effectiveness_verified"},
                                          {"effectiveness_verified", "closed"},
                                          {"closed", "action_planned"}},
                          .editable_in = {},
                          .closed = {"closed"},
                          .due_field = "action_due"};
  s.rule = [](const Json& r, const Json* before, std::vector<FieldError>& errors) {
    const int stage = Stage(r);
    if (before == nullptr && stage >= 2) {
      errors.push_back({"status",
                        "a nonconformity is recorded open or with its action planned; its "
                        "corrective actions are then recorded as its tasks"});
    }
    if (stage >= 1) {
      if (!HasValue(r, "reaction")) {
        errors.push_back({"reaction", "say how the nonconformity was reacted to and contained"});
      }
      if (!HasValue(r, "root_cause_method")) {
        errors.push_back({"root_cause_method", "say how the root cause was analysed"});
      }
      if (!HasValue(r, "root_cause")) {
        errors.push_back({"root_cause", "record the root cause before planning the action"});
      }
      if (!HasValue(r, "similar_nonconformities")) {
        errors.push_back({"similar_nonconformities",
                          "say whether similar nonconformities exist or could occur"});
      }
      if (!HasValue(r, "action_due")) {
        errors.push_back({"action_due", "say when the corrective actions are to be done"});
      }
      if (!HasValue(r, "effectiveness_due")) {
        errors.push_back({"effectiveness_due", "say when their effectiveness will be reviewed"});
      }
      if (!HasValue(r, "effectiveness_reviewer")) {
        errors.push_back({"effectiveness_reviewer", "name who reviews their effectiveness"});
      }
    }
    const bool reviewed = HasValue(r, "effectiveness");
    const bool newly_reviewed =
        reviewed && (before == nullptr ||
                     before->value("effectiveness", Json()) != r.value("effectiveness", Json()));
    if (newly_reviewed && (before == nullptr || before->value("status", Json()) != kNcActionDone)) {
      errors.push_back({"effectiveness",
                        "the effectiveness is reviewed once the corrective actions are done "
                        "(status Action done)"});
    }
    if (reviewed && !HasValue(r, "effectiveness_reviewed_on")) {
      errors.push_back({"effectiveness_reviewed_on", "say when the effectiveness was reviewed"});
    }
    if (reviewed && !HasValue(r, "effectiveness_evidence")) {
      errors.push_back({"effectiveness_evidence", "record what the review of effectiveness found"});
    }
    if (HasValue(r, "effectiveness_reviewed_on") && HasValue(r, "detected_on") &&
        r["effectiveness_reviewed_on"].get<std::string>() < r["detected_on"].get<std::string>()) {
      errors.push_back(
          {"effectiveness_reviewed_on", "the review cannot come before the nonconformity"});
    }
    if (stage >= 3 && r.value("effectiveness", Json()) != "effective") {
      errors.push_back(
          {"effectiveness",
           stage == 3 ? "only a review that found the corrective action effective verifies it"
                      : "a nonconformity closes only after its corrective action was reviewed "
                        "and found effective"});
    }
    if (FoundNotEffective(r, before) && r["status"] != kNcActionPlanned) {
      errors.push_back({"status",
                        "a corrective action found not effective is planned again: set the "
                        "status to Action planned"});
    }
  };
  return s;
}

// An opportunity for improvement from any source, the decision on it (with who decided, when
// and why) and, once taken up, what it achieved.
RegisterSpec MakeImprovements() {
  RegisterSpec s{.type = "improvement",
                 .table = "improvements",
                 .path = "improvements",
                 .singular = "Improvement",
                 .plural = "Improvements",
                 .clause = "10.1",
                 .title_field = "title"};
  FieldSpec number{.name = "number", .label = "No.", .type = FieldType::kInteger};
  number.read_only = number.sortable = number.sequence = true;
  s.fields = {
      number,
      {.name = "title", .label = "Title", .required = true, .sortable = true, .searchable = true},
      {.name = "description",
       .label = "Description",
       .type = FieldType::kLongText,
       .help = "The opportunity: what could be better, and the benefit expected.",
       .searchable = true},
      {.name = "source",
       .label = "Source",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"management_review", "Management review"},
                   {"internal_audit", "Internal audit"},
                   {"external_audit", "External audit"},
                   {"nonconformity", "Nonconformity"},
                   {"incident", "Incident"},
                   {"monitoring", "Monitoring and measurement"},
                   {"risk_assessment", "Risk assessment"},
                   {"suggestion", "Suggestion"},
                   {"other", "Other"}},
       .filterable = true,
       .sortable = true},
      {.name = "raised_on",
       .label = "Raised on",
       .type = FieldType::kDate,
       .required = true,
       .filterable = true,
       .sortable = true},
      {.name = "raised_by", .label = "Raised by", .type = FieldType::kUser, .filterable = true},
      OwnerField(),
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"proposed", "Proposed"},
                   {"accepted", "Accepted"},
                   {"rejected", "Rejected"},
                   {"in_progress", "In progress"},
                   {"implemented", "Implemented"}},
       .filterable = true,
       .sortable = true,
       .default_value = "proposed"},
      {.name = "decision",
       .label = "Decision",
       .type = FieldType::kLongText,
       .help = "What was decided and why."},
      {.name = "decided_by", .label = "Decided by", .type = FieldType::kUser, .filterable = true},
      {.name = "decided_on", .label = "Decided on", .type = FieldType::kDate},
      {.name = "due_date",
       .label = "Due date",
       .type = FieldType::kDate,
       .filterable = true,
       .sortable = true},
      {.name = "outcome",
       .label = "Outcome",
       .type = FieldType::kLongText,
       .help = "What the improvement achieved."},
  };
  s.list_columns = {"number", "title", "source", "owner", "due_date", "status"};
  s.default_sort = "-number";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"proposed", "accepted"},
                                          {"proposed", "rejected"},
                                          {"accepted", "in_progress"},
                                          {"accepted", "implemented"},
                                          {"in_progress", "implemented"},
                                          {"rejected", "proposed"}},
                          .editable_in = {},
                          .closed = {"rejected", "implemented"},
                          .due_field = "due_date"};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    const bool decided = r["status"] != "proposed";
    if (decided && !HasValue(r, "decision")) {
      errors.push_back({"decision", "record the decision and its reason"});
    }
    if (decided && !HasValue(r, "decided_by")) {
      errors.push_back({"decided_by", "name who decided"});
    }
    if (decided && !HasValue(r, "decided_on")) {
      errors.push_back({"decided_on", "say when it was decided"});
    }
    if (r["status"] == "implemented" && !HasValue(r, "outcome")) {
      errors.push_back({"outcome", "say what the improvement achieved"});
    }
    if (HasValue(r, "decided_on") && HasValue(r, "raised_on") &&
        r["decided_on"].get<std::string>() < r["raised_on"].get<std::string>()) {
      errors.push_back({"decided_on", "the decision cannot come before the opportunity"});
    }
  };
  return s;
}

}  // namespace

bool FoundNotEffective(const Json& fields, const Json* before) {
  if (!fields.is_object() || fields.value("effectiveness", Json()) != "not_effective") {
    return false;
  }
  return before == nullptr || before->value("effectiveness", Json()) != "not_effective";
}

void ClearCarriedOverReview(Json& fields, const Json* before) {
  if (before == nullptr || fields.value("status", Json()) != kNcActionDone ||
      before->value("status", Json()) == kNcActionDone) {
    return;
  }
  static constexpr std::string_view kReview[] = {"effectiveness", "effectiveness_reviewed_on",
                                                 "effectiveness_evidence"};
  for (const auto name : kReview) {
    const std::string key(name);
    if (fields.value(key, Json()) != before->value(key, Json())) return;
  }
  for (const auto name : kReview) fields[std::string(name)] = nullptr;
}

const RegisterSpec& Nonconformities() {
  static const RegisterSpec kSpec = MakeNonconformities();
  return kSpec;
}

const RegisterSpec& Improvements() {
  static const RegisterSpec kSpec = MakeImprovements();
  return kSpec;
}

}  // namespace rampart::domain
