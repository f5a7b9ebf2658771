#include "domain/tasks.h"

#include <algorithm>
#include <string>
#include <utility>

#include "base/clock.h"
#include "domain/registers.h"
#include "domain/support.h"

namespace rampart::domain {
namespace {

// A task names who does what by when, how urgent it is, and the record it serves (any register,
// by type and id: `record_type` "nonconformity", `record_id` 12). A recurring task (every N days,
// weeks, months or years, counted from its due date or from its completion) is followed by the
// next one when it is done.
RegisterSpec MakeTasks() {
  RegisterSpec s{.type = "task",
                 .table = "tasks",
                 .path = "tasks",
                 .singular = "Task",
                 .plural = "Tasks",
                 .clause = "8.1",
                 .title_field = "title"};
  FieldSpec owner = OwnerField();
  owner.required = true;
  owner.help = "Who does it.";
  FieldSpec record_id{.name = "record_id", .label = "Record id", .type = FieldType::kInteger};
  record_id.filterable = true;
  record_id.help = "The id of the record the task is for.";
  FieldSpec every{.name = "recurrence_every",
                  .label = "Repeat every",
                  .type = FieldType::kInteger,
                  .help = "Leave empty for a task done once.",
                  .min_value = 1,
                  .max_value = 999};
  FieldSpec completed{.name = "completed_on", .label = "Completed on", .type = FieldType::kDate};
  completed.read_only = completed.sortable = true;
  // The due date the series of a recurring task counts from, so that monthly tasks due on the
  // 31st stay on the last day of each month rather than drifting to the 28th.
  FieldSpec anchor{
      .name = "recurrence_anchor", .label = "Series due from", .type = FieldType::kDate};
  anchor.read_only = true;
  // Set when the task was done and the next one of its series created: doing it again (after it
  // was reopened) creates no other.
  FieldSpec recurred{.name = "recurred", .label = "Next task created", .type = FieldType::kBool};
  recurred.read_only = true;
  s.fields = {
      {.name = "title",
       .label = "Title",
       .required = true,
       .help = "What is to be done: \"Review access rights to the payroll system\".",
       .sortable = true,
       .searchable = true},
      {.name = "description",
       .label = "Description",
       .type = FieldType::kLongText,
       .help = "How, with what, and what shows it is done.",
       .searchable = true},
      owner,
      {.name = "due_date",
       .label = "Due date",
       .type = FieldType::kDate,
       .filterable = true,
       .sortable = true},
      {.name = "priority",
       .label = "Priority",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"high", "High"}, {"medium", "Medium"}, {"low", "Low"}},
       .filterable = true,
       .sortable = true,
       .default_value = "medium"},
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{std::string(kTaskOpen), "Open"},
                   {std::string(kTaskInProgress), "In progress"},
                   {std::string(kTaskDone), "Done"},
                   {std::string(kTaskCancelled), "Cancelled"}},
       .filterable = true,
       .sortable = true,
       .default_value = std::string(kTaskOpen)},
      {.name = "record_type",
       .label = "For a record of",
       .max_length = 40,
       .help = "The register of the record the task is for (its type: nonconformity, risk, ...).",
       .filterable = true},
      record_id,
      every,
      {.name = "recurrence_unit",
       .label = "Repeat unit",
       .type = FieldType::kEnum,
       .choices = {{"days", "Days"}, {"weeks", "Weeks"}, {"months", "Months"}, {"years", "Years"}}},
      {.name = "recurrence_from",
       .label = "Repeat from",
       .type = FieldType::kEnum,
       .choices = {{"due_date", "The due date"}, {"completion", "The completion"}},
       .help = "Whether the next task is due an interval after this one's due date or after it "
               "was done."},
      {.name = "recurrence_until",
       .label = "Repeat until",
       .type = FieldType::kDate,
       .help = "The last day a next task may fall due; leave empty to repeat until changed."},
      anchor,
      recurred,
      completed,
      {.name = "outcome",
       .label = "Outcome",
       .type = FieldType::kLongText,
       .help = "What was done; the evidence can be attached below.",
       .searchable = true},
  };
  s.list_columns = {"title", "owner", "due_date", "priority", "status", "record_type"};
  s.default_sort = "due_date";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"open", "in_progress"},
                                          {"open", "done"},
                                          {"open", "cancelled"},
                                          {"in_progress", "open"},
                                          {"in_progress", "done"},
                                          {"in_progress", "cancelled"},
                                          {"done", "open"},
                                          {"cancelled", "open"}},
                          .editable_in = {},
                          .closed = {"done", "cancelled"},
                          .due_field = "due_date"};
  s.write_permission = Permission::kEditRecords;
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    const bool has_type = r["record_type"].is_string();
    const bool has_id = r["record_id"].is_number_integer();
    if (has_type && !has_id) {
      errors.push_back({"record_id", "name the record the task is for by its id"});
    }
    if (has_id && !has_type) {
      errors.push_back({"record_type", "name the register of the record the task is for"});
    }
    if (has_type && TaskRecordType(r["record_type"].get<std::string>()) == nullptr) {
      errors.push_back({"record_type",
                        "not a register whose records take tasks (e.g. risk, "
                        "nonconformity)"});
    }
    const bool every = r["recurrence_every"].is_number_integer();
    if (every && r["recurrence_unit"].is_null()) {
      errors.push_back(
          {"recurrence_unit", "say whether it repeats in days, weeks, months or years"});
    }
    if (!every && !r["recurrence_unit"].is_null()) {
      errors.push_back({"recurrence_every", "say how many units apart the task repeats"});
    }
    if (every && r["recurrence_from"].is_null()) {
      errors.push_back(
          {"recurrence_from", "say whether the next task counts from the due date or completion"});
    }
    if (!every && !r["recurrence_from"].is_null()) {
      errors.push_back({"recurrence_every", "say how many units apart the task repeats"});
    }
    if (every && r["due_date"].is_null()) {
      errors.push_back({"due_date", "a recurring task needs a due date"});
    }
    if (!every && !r["recurrence_until"].is_null()) {
      errors.push_back({"recurrence_every", "say how many units apart the task repeats"});
    }
    if (every && r["recurrence_until"].is_string() && r["due_date"].is_string() &&
        r["recurrence_until"].get<std::string>() < r["due_date"].get<std::string>()) {
      errors.push_back({"recurrence_until", "the series cannot end before this task is due"});
    }
    if (r["status"] == kTaskDone && r["outcome"].is_null()) {
      errors.push_back({"outcome", "say what was done before marking the task done"});
    }
  };
  return s;
}

}  // namespace

const RegisterSpec& Tasks() {
  static const RegisterSpec kSpec = MakeTasks();
  return kSpec;
}

const RegisterSpec* TaskRecordType(std::string_view type) {
  for (const auto* spec : RegistersTasksServe()) {
    if (spec->type == type) return spec;
  }
  return nullptr;
}

std::vector<Choice> TaskRecordTypeChoices() {
  std::vector<Choice> out;
  for (const auto* spec : RegistersTasksServe()) out.push_back({spec->type, spec->singular});
  return out;
}

bool IsTaskClosed(const Json& task) {
  const Json s = task.is_object() ? task.value("status", Json()) : Json();
  return s == kTaskDone || s == kTaskCancelled;
}

std::string NextTaskDue(const Json& task, std::string_view completed_on) {
  if (!task.is_object()) return "";
  const Json every = task.value("recurrence_every", Json());
  const Json unit = task.value("recurrence_unit", Json());
  const Json due = task.value("due_date", Json());
  if (!every.is_number_integer() || !unit.is_string() || !due.is_string()) return "";
  const bool from_completion = task.value("recurrence_from", Json()) == "completion";
  const std::string from = from_completion ? std::string(completed_on) : due.get<std::string>();
  const int n = every.get<int>();
  std::string next;
  if (unit == "days" || unit == "weeks") next = AddPeriod(from, n, unit.get<std::string>());
  if (unit == "months" || unit == "years") {
    const int months = unit == "years" ? 12 * n : n;
    const Json anchor = task.value("recurrence_anchor", Json());
    if (!from_completion && anchor.is_string() && IsValidDate(anchor.get<std::string>()) &&
        anchor.get<std::string>() <= from) {
      // Counted from the series' first due date: the first step of the series after `from`.
      const std::string a = anchor.get<std::string>();
      const int elapsed = (std::stoi(from.substr(0, 4)) - std::stoi(a.substr(0, 4))) * 12 +
                          std::stoi(from.substr(5, 2)) - std::stoi(a.substr(5, 2));
      for (int k = std::max(1, elapsed / months);; ++k) {
        next = rampart::AddMonths(a, k * months);
        if (next.empty() || next > from) break;
      }
    } else {
      next = rampart::AddMonths(from, months);
    }
  }
  if (next.empty() || !IsValidDate(next)) return "";
  const Json until = task.value("recurrence_until", Json());
  if (until.is_string() && next > until.get<std::string>()) return "";
  return next;
}

}  // namespace rampart::domain
