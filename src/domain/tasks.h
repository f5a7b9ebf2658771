// Tasks: what someone is to do by when, on any record of the ISMS (a corrective action of a
// nonconformity, the follow-up of a management review's decision, the next access review), and
// the rules of their recurrence.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& Tasks();

// A task's states: open and in progress are to be done; done and cancelled are closed.
inline constexpr std::string_view kTaskOpen = "open";
inline constexpr std::string_view kTaskInProgress = "in_progress";
inline constexpr std::string_view kTaskDone = "done";
inline constexpr std::string_view kTaskCancelled = "cancelled";

// The register a task's `record_type` names (every register but tasks); nullptr for another.
// Checked when a task is written rather than stored as choices: a register added later takes
// tasks without a migration.
const RegisterSpec* TaskRecordType(std::string_view type);
// Those registers as choices (type, singular), for the form and the list's filter.
std::vector<Choice> TaskRecordTypeChoices();

// True when the task's fields say it is done or cancelled.
bool IsTaskClosed(const Json& task);

// The due date of the task that follows a recurring task completed on `completed_on`
// (YYYY-MM-DD): its due date (or, when it recurs from completion, the completion date) moved on
// by its interval (every N days, weeks, months or years). Months and years counted from the due
// date step from the series' first due date (`recurrence_anchor`), so a task due on 31 January
// is next due on 28 February, then 31 March. Empty when the task does not recur, when the next
// date would pass `recurrence_until`, or fall after 9999-12-31.
std::string NextTaskDue(const Json& task, std::string_view completed_on);

}  // namespace rampart::domain
