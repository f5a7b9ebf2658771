// Clause 7, support: the descriptions and rules of its registers, and the competence matrix.
//   7.1 resources                  (Resources): people, budget, tools and services for the ISMS
//   7.2 competence requirements    (CompetenceRequirements): what an ISMS role needs to know or
//                                  hold, at what level, how it is shown and how long it lasts
//   7.2 competence records         (CompetenceRecords): a person's training, qualification,
//                                  certification, experience or assessment; planned ones are the
//                                  actions that close a gap
//   7.3 awareness campaigns        (AwarenessCampaigns): a topic people are to be made aware of,
//                                  its material, its audience and when by; launched, it asks
//                                  each person of its audience to complete it
//   7.3 awareness completions      (AwarenessCompletions): one person asked to complete a
//                                  campaign, and when they did (written by its use cases only)
//   7.4 communications             (Communications): what is communicated, how often, to whom,
//                                  by whom and how
//   7.4 communication log          (CommunicationLog): each time a communication took place
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/record.h"
#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& Resources();
const RegisterSpec& CompetenceRequirements();
const RegisterSpec& CompetenceRecords();
const RegisterSpec& AwarenessCampaigns();
const RegisterSpec& AwarenessCompletions();
const RegisterSpec& Communications();
const RegisterSpec& CommunicationLog();

// True when an active communication is overdue on `today` (YYYY-MM-DD): its last log entry
// (`last_entry`, a date; empty when there is none) is older than its frequency allows — a
// week, a month, three, six or twelve months — or, for a communication made once, its date has
// passed without an entry. One made on events is never overdue.
bool IsCommunicationOverdue(const Json& communication, std::string_view last_entry,
                            std::string_view today);

// An awareness campaign's states: planned (being prepared, nobody asked yet), launched (its
// audience asked to complete it; newcomers to the audience can be invited), closed (nobody
// more is asked; who did not complete stays recorded as not completed).
inline constexpr std::string_view kCampaignPlanned = "planned";
inline constexpr std::string_view kCampaignLaunched = "launched";
inline constexpr std::string_view kCampaignClosed = "closed";

// True when a person's completion is still pending after its due date (`today` YYYY-MM-DD).
bool IsAwarenessOverdue(const Json& completion, std::string_view today);

// How many days before its end a competence counts as expiring on the matrix.
inline constexpr int kCompetenceExpiringDays = 60;

// The date `days` after `date` (YYYY-MM-DD; negative goes back), and `months` after it (the 31st
// of a shorter month becomes its last day). An invalid date gives an empty text.
std::string AddDays(std::string_view date, int days);
std::string AddMonths(std::string_view date, int months);
// The date `n` days, weeks, months or years (`unit`: "days", "weeks", "months", "years") after
// `date`: a task's recurrence, a metric's frequency. Empty for an invalid date or unit.
std::string AddPeriod(std::string_view date, int n, std::string_view unit);
// The days from 1970-01-01 to `date` (YYYY-MM-DD); nullopt for an invalid date.
std::optional<int64_t> DayNumber(std::string_view date);

// Where one person stands against one requirement.
enum class CompetenceState {
  kMet,          // a completed record that is valid today
  kExpiring,     // met, but its validity ends within kCompetenceExpiringDays
  kPlanned,      // not met; a planned record is the action that closes the gap
  kMissing,      // not met and nothing planned (no record, or only expired ones)
  kNotRequired,  // the person does not hold the requirement's role
};
const char* CompetenceStateName(CompetenceState s);  // "met", "expiring", ..., "not_required"

struct CompetenceCell {
  CompetenceState state = CompetenceState::kMissing;
  int64_t record = 0;       // the record that decides the state (met, expiring, planned); 0: none
  std::string valid_until;  // met and expiring: the last valid day, empty when it does not end
  std::string due;          // planned: the plan's due date, when it has one
};

// Rows are the people who hold an active ISMS role (by user id, ascending); columns the active
// requirements of active roles that someone holds, in the order given; cells[row][column].
struct CompetenceMatrix {
  std::vector<int64_t> people;
  std::vector<Record> requirements;
  std::vector<std::vector<CompetenceCell>> cells;
  std::map<int64_t, std::string> role_names;  // the roles the columns name, by id
  int64_t met = 0;
  int64_t expiring = 0;
  int64_t planned = 0;
  int64_t missing = 0;
  // Gaps: cells whose competence is not met today (missing and planned).
  int64_t Gaps() const { return planned + missing; }
};

// The matrix of `roles` (ISMS role records), `requirements` (competence requirement records) and
// `records` (competence records) as of `today` (YYYY-MM-DD). A completed record is valid until
// its own "valid until", else until its achievement plus the requirement's validity in months,
// else without end; it is met from its date achieved. Retired roles and requirements, and
// cancelled records, are left out. Pure: no I/O.
CompetenceMatrix ComputeCompetenceMatrix(const std::vector<Record>& roles,
                                         const std::vector<Record>& requirements,
                                         const std::vector<Record>& records,
                                         std::string_view today);

}  // namespace rampart::domain
