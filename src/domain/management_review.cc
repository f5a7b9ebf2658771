#include "domain/management_review.h"

#include <fmt/format.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/improvement.h"
#include "domain/planning.h"
#include "domain/record_steps.h"
#include "domain/tasks.h"

namespace rampart::domain {
namespace {

std::vector<Choice> TopicChoices() {
  std::vector<Choice> out;
  for (const auto& t : ReviewTopics()) out.push_back({std::string(t.value), std::string(t.label)});
  return out;
}

FieldSpec Date(std::string name, std::string label, std::string help, bool required = false) {
  return {.name = std::move(name),
          .label = std::move(label),
          .type = FieldType::kDate,
          .required = required,
          .help = std::move(help),
          .filterable = true,
          .sortable = true};
}

RegisterSpec MakeManagementReviews() {
  RegisterSpec s{.type = "management_review",
                 .table = "management_reviews",
                 .path = "management-reviews",
                 .singular = "Management review",
                 .plural = "Management reviews",
                 .clause = "9.3",
                 .title_field = "title"};
  FieldSpec number{.name = "number", .label = "No.", .type = FieldType::kInteger};
  number.read_only = number.sortable = number.sequence = true;
  FieldSpec attendees{.name = "attendees",
                      .label = "Attendees",
                      .type = FieldType::kTable,
                      .help =
                          "Who took part, one row each; at least one member of top "
                          "management (an executive) for the review to be held."};
  attendees.columns = {
      {.name = "attendee", .label = "Attendee", .type = FieldType::kUser, .required = true},
      {.name = "capacity",
       .label = "In the capacity of",
       .max_length = 100,
       .help = "\"Chief executive\", \"ISMS manager\""},
  };
  FieldSpec snapshot{.name = "input_snapshot",
                     .label = "Inputs",
                     .type = FieldType::kTable,
                     .help =
                         "What the records said on the review's date, one row per input of "
                         "clause 9.3.2: written by Rampart while the review is a draft, "
                         "frozen when it is held."};
  snapshot.columns = {
      {.name = "topic", .label = "Input", .type = FieldType::kEnum, .choices = TopicChoices()},
      {.name = "summary", .label = "Summary", .type = FieldType::kLongText, .max_length = 20000},
  };
  snapshot.read_only = true;
  FieldSpec comments{.name = "input_comments",
                     .label = "Comments on the inputs",
                     .type = FieldType::kTable,
                     .help =
                         "What the review made of each input, one row per input (Rampart "
                         "keeps one for each); every input has a comment before the minutes "
                         "are approved."};
  comments.columns = {
      {.name = "topic",
       .label = "Input",
       .type = FieldType::kEnum,
       .required = true,
       .choices = TopicChoices()},
      {.name = "comment", .label = "Comment", .type = FieldType::kLongText, .max_length = 5000},
  };
  FieldSpec decisions{.name = "decisions",
                      .label = "Decisions and actions",
                      .type = FieldType::kTable,
                      .help =
                          "The outputs of the review (clause 9.3.3): opportunities for "
                          "improvement and changes to the ISMS decided, one row each. A "
                          "decision is followed up as a task, a planned change, an objective "
                          "or an improvement from the review's page."};
  decisions.columns = {
      {.name = "decision", .label = "Decision", .required = true, .max_length = 500},
      {.name = "kind",
       .label = "Follow up as",
       .type = FieldType::kEnum,
       .choices = {{"task", "Task"},
                   {"planned_change", "Planned change"},
                   {"objective", "Objective"},
                   {"improvement", "Improvement"},
                   {"none", "Nothing to follow up"}}},
      {.name = "owner", .label = "Owner", .type = FieldType::kUser},
      {.name = "due", .label = "Due", .type = FieldType::kDate},
      {.name = "follow_up",
       .label = "Follow-up record",
       .type = FieldType::kInteger,
       .help = "The record created for the decision (set by Rampart)."},
  };
  FieldSpec approved_by{.name = "approved_by",
                        .label = "Minutes approved by",
                        .type = FieldType::kUser,
                        .filterable = true};
  approved_by.read_only = true;
  FieldSpec approved_on{
      .name = "approved_on", .label = "Minutes approved on", .type = FieldType::kDate};
  approved_on.read_only = true;
  s.fields = {
      number,
      {.name = "title",
       .label = "Title",
       .required = true,
       .help = "\"Management review 2026\", \"Q4 ISMS review\"",
       .sortable = true,
       .searchable = true},
      Date("review_date", "Date", "When top management meets to review the ISMS.", true),
      {.name = "chair",
       .label = "Chair",
       .type = FieldType::kUser,
       .help = "Who leads the review.",
       .filterable = true,
       .sortable = true},
      attendees,
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{std::string(kReviewDraft), "Draft"},
                   {std::string(kReviewHeld), "Held"},
                   {std::string(kReviewApproved), "Minutes approved"}},
       .filterable = true,
       .sortable = true,
       .default_value = std::string(kReviewDraft)},
      snapshot,
      comments,
      {.name = "minutes",
       .label = "Minutes",
       .type = FieldType::kLongText,
       .help = "What was discussed and concluded, including the suitability, adequacy and "
               "effectiveness of the ISMS.",
       .searchable = true},
      decisions,
      Date("next_review", "Next review planned", "When the next management review is to be held."),
      approved_by,
      approved_on,
  };
  s.list_columns = {"number", "title", "review_date", "chair", "status", "next_review"};
  s.default_sort = "-review_date";
  s.lifecycle = Lifecycle{.field = "status",
                          // Held -> approved is the approval's (a use case), never an edit.
                          .transitions = {{std::string(kReviewDraft), std::string(kReviewHeld)}},
                          .editable_in = {std::string(kReviewDraft), std::string(kReviewHeld)},
                          .closed = {std::string(kReviewApproved)}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    if (r.value("status", Json()) != kReviewDraft && !HasValue(r, "attendees")) {
      errors.push_back({"attendees", "a review is held with its attendees: name who took part"});
    }
    if (HasValue(r, "review_date") && HasValue(r, "next_review") &&
        r["next_review"].get<std::string>() <= r["review_date"].get<std::string>()) {
      errors.push_back({"next_review", "the next review comes after this one"});
    }
    std::set<std::string> seen;
    const Json comments = r.value("input_comments", Json());
    for (size_t i = 0; comments.is_array() && i < comments.size(); ++i) {
      const Json topic = comments[i].value("topic", Json());
      if (topic.is_string() && !seen.insert(topic.get<std::string>()).second) {
        errors.push_back({fmt::format("input_comments[{}].topic", i),
                          "this input has a comment already: one row per input"});
      }
    }
    const Json decisions = r.value("decisions", Json());
    for (size_t i = 0; decisions.is_array() && i < decisions.size(); ++i) {
      const Json& d = decisions[i];
      if (d.value("follow_up", Json()).is_null()) continue;
      if (FollowUpRegister(d.value("kind", std::string())) == nullptr) {
        errors.push_back({fmt::format("decisions[{}].kind", i),
                          "a decision with a follow-up record says which register it is in"});
      }
    }
  };
  return s;
}

}  // namespace

const RegisterSpec& ManagementReviews() {
  static const RegisterSpec kSpec = MakeManagementReviews();
  return kSpec;
}

const std::vector<ReviewTopic>& ReviewTopics() {
  static const std::vector<ReviewTopic> kAll = {
      {"previous_actions", "Actions from previous management reviews", "9.3.2 a)"},
      {"issues", "Changes in external and internal issues", "9.3.2 b)"},
      {"interested_parties", "Changes in the needs and expectations of interested parties",
       "9.3.2 c)"},
      {"nonconformities", "Nonconformities and corrective actions", "9.3.2 d) 1)"},
      {"monitoring", "Monitoring and measurement results", "9.3.2 d) 2)"},
      {"audits", "Audit results", "9.3.2 d) 3)"},
      {"objectives", "Fulfilment of information security objectives", "9.3.2 d) 4)"},
      {"incidents", "Information security incidents", "9.3.2 d)"},
      {"feedback", "Feedback from interested parties", "9.3.2 e)"},
      {"risks", "Risk assessment results and the risk treatment plan", "9.3.2 f)"},
      {"improvement", "Opportunities for continual improvement", "9.3.2 g)"},
  };
  return kAll;
}

const RegisterSpec* FollowUpRegister(std::string_view kind) {
  if (kind == "task") return &Tasks();
  if (kind == "planned_change") return &PlannedChanges();
  if (kind == "objective") return &Objectives();
  if (kind == "improvement") return &Improvements();
  return nullptr;
}

std::vector<std::string> UncommentedTopics(const Json& fields) {
  std::set<std::string> commented;
  const Json comments = fields.value("input_comments", Json());
  if (comments.is_array()) {
    for (const auto& c : comments) {
      if (c.value("comment", Json()).is_string()) commented.insert(c["topic"].get<std::string>());
    }
  }
  std::vector<std::string> out;
  const Json snapshot = fields.value("input_snapshot", Json());
  if (!snapshot.is_array()) return out;
  for (const auto& row : snapshot) {
    const std::string topic = row.value("topic", std::string());
    if (!commented.contains(topic)) out.push_back(topic);
  }
  return out;
}

}  // namespace rampart::domain
