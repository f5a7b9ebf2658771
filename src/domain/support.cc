#include "domain/support.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"

namespace rampart::domain {
namespace {

constexpr std::string_view kNoEnd = "9999-12-31";

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

// How a competence is shown, for requirements (how it must be) and records (how it was).
std::vector<Choice> CompetenceEvidenceKinds() {
  return {{"training", "Training"},
          {"qualification", "Qualification"},
          {"certification", "Certification"},
          {"experience", "Experience"},
          {"assessment", "Assessment"}};
}

// What an ISMS role needs: the matrix's columns. A requirement belongs to one role; the people
// holding the role are measured against it.
RegisterSpec MakeCompetenceRequirements() {
  RegisterSpec s{.type = "competence_requirement",
                 .table = "competence_requirements",
                 .path = "competence-requirements",
                 .singular = "Competence requirement",
                 .plural = "Competence requirements",
                 .clause = "7.2",
                 .title_field = "title"};
  s.fields = {
      {.name = "role",
       .label = "ISMS role",
       .type = FieldType::kRef,
       .required = true,
       .help = "The role whose holders need this competence.",
       .filterable = true,
       .ref = "isms_role"},
      {.name = "title",
       .label = "Skill or qualification",
       .required = true,
       .help = "What the role needs: \"Risk assessment method\", \"ISO/IEC 27001 lead auditor\".",
       .sortable = true,
       .searchable = true},
      {.name = "level",
       .label = "Level",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"awareness", "Awareness"}, {"working", "Working"}, {"expert", "Expert"}},
       .help = "Awareness: knows it exists and when to ask; working: applies it unaided; expert: "
               "teaches it and judges others' work.",
       .filterable = true,
       .sortable = true,
       .default_value = "working"},
      {.name = "demonstrated_by",
       .label = "Demonstrated by",
       .type = FieldType::kEnum,
       .required = true,
       .choices = CompetenceEvidenceKinds(),
       .filterable = true},
      {.name = "demonstration",
       .label = "How it is demonstrated",
       .type = FieldType::kLongText,
       .help = "The course, certificate, years of practice or assessment that shows it.",
       .searchable = true},
      {.name = "validity_months",
       .label = "Valid for (months)",
       .type = FieldType::kInteger,
       .help = "How long a record of it stays valid; leave empty when it does not lapse.",
       .sortable = true,
       .min_value = 1,
       .max_value = 240},
      OwnerField(),
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"active", "Active"}, {"retired", "Retired"}},
       .filterable = true,
       .sortable = true,
       .default_value = "active"},
      NextReviewField(),
  };
  s.list_columns = {"title",           "role",   "level",      "demonstrated_by",
                    "validity_months", "status", "next_review"};
  s.default_sort = "title";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"active", "retired"}, {"retired", "active"}},
                          .editable_in = {},
                          .closed = {"retired"}};
  return s;
}

// A person's competence: what they achieved (completed) or the action planned to close a gap.
// Its evidence (certificates, attendance lists) is attached to the record.
RegisterSpec MakeCompetenceRecords() {
  RegisterSpec s{.type = "competence_record",
                 .table = "competence_records",
                 .path = "competence-records",
                 .singular = "Competence record",
                 .plural = "Competence records",
                 .clause = "7.2",
                 .title_field = "title"};
  s.fields = {
      {.name = "person",
       .label = "Person",
       .type = FieldType::kUser,
       .required = true,
       .filterable = true,
       .sortable = true},
      {.name = "requirement",
       .label = "Requirement",
       .type = FieldType::kRef,
       .help = "The competence requirement this record meets or is planned to meet.",
       .filterable = true,
       .ref = "competence_requirement"},
      {.name = "kind",
       .label = "Kind",
       .type = FieldType::kEnum,
       .required = true,
       .choices = CompetenceEvidenceKinds(),
       .filterable = true,
       .sortable = true},
      {.name = "title",
       .label = "Title",
       .required = true,
       .help = "The course, qualification, certificate, assignment or assessment.",
       .sortable = true,
       .searchable = true},
      {.name = "provider",
       .label = "Provider",
       .help = "Who trained, certified or assessed.",
       .searchable = true},
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"planned", "Planned"}, {"completed", "Completed"}, {"cancelled", "Cancelled"}},
       .help = "Planned: an action to close a competence gap, due by a date.",
       .filterable = true,
       .sortable = true,
       .default_value = "completed"},
      {.name = "due",
       .label = "Due by",
       .type = FieldType::kDate,
       .help = "For a planned record: when the competence should be acquired.",
       .filterable = true,
       .sortable = true},
      {.name = "date_achieved",
       .label = "Date achieved",
       .type = FieldType::kDate,
       .sortable = true},
      {.name = "valid_until",
       .label = "Valid until",
       .type = FieldType::kDate,
       .help = "Leave empty to take the requirement's validity, or when it does not lapse.",
       .filterable = true,
       .sortable = true},
      {.name = "notes", .label = "Notes", .type = FieldType::kLongText, .searchable = true},
  };
  s.list_columns = {"person", "title",         "requirement", "kind",
                    "status", "date_achieved", "valid_until"};
  s.default_sort = "-date_achieved";
  s.lifecycle = Lifecycle{
      .field = "status",
      .transitions = {{"planned", "completed"}, {"planned", "cancelled"}, {"cancelled", "planned"}},
      .editable_in = {},
      .closed = {"completed", "cancelled"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    if (r["status"] == "completed" && r["date_achieved"].is_null()) {
      errors.push_back({"date_achieved", "say when the competence was achieved"});
    }
    if (r["status"] == "planned" && r["due"].is_null()) {
      errors.push_back({"due", "say by when the planned competence is due"});
    }
    if (r["date_achieved"].is_string() && r["valid_until"].is_string() &&
        r["valid_until"].get<std::string>() <= r["date_achieved"].get<std::string>()) {
      errors.push_back({"valid_until", "the validity must end after the date achieved"});
    }
    if (r["status"] == "planned" && r["date_achieved"].is_string()) {
      errors.push_back({"date_achieved", "a planned record has not been achieved yet"});
    }
  };
  return s;
}

// A communication of the ISMS planned (clause 7.4): on what, when, with whom, who communicates
// and how. Each time it takes place is an entry of the communication log.
RegisterSpec MakeCommunications() {
  RegisterSpec s{.type = "communication",
                 .table = "communications",
                 .path = "communications",
                 .singular = "Communication",
                 .plural = "Communications",
                 .clause = "7.4",
                 .title_field = "title"};
  FieldSpec people{.name = "people", .label = "People", .type = FieldType::kTable};
  people.help = "Named people it is communicated with, besides the parties and roles above.";
  people.columns = {
      {.name = "person", .label = "Person", .type = FieldType::kUser, .required = true}};
  s.fields = {
      {.name = "title", .label = "Title", .required = true, .sortable = true, .searchable = true},
      {.name = "subject",
       .label = "On what",
       .type = FieldType::kLongText,
       .help = "What is communicated: the policy, incidents, results, changes.",
       .searchable = true},
      {.name = "frequency",
       .label = "How often",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"once", "Once"},
                   {"weekly", "Weekly"},
                   {"monthly", "Monthly"},
                   {"quarterly", "Quarterly"},
                   {"half_yearly", "Half-yearly"},
                   {"yearly", "Yearly"},
                   {"on_event", "On event"}},
       .filterable = true,
       .sortable = true},
      {.name = "date",
       .label = "On",
       .type = FieldType::kDate,
       .help = "For a communication made once: when.",
       .sortable = true},
      {.name = "parties",
       .label = "Interested parties",
       .type = FieldType::kRefs,
       .filterable = true,
       .ref = "interested_party"},
      {.name = "roles",
       .label = "ISMS roles",
       .type = FieldType::kRefs,
       .filterable = true,
       .ref = "isms_role"},
      people,
      {.name = "audience",
       .label = "Audience",
       .help = "Whom else, in words: all staff, new joiners, the board.",
       .searchable = true},
      {.name = "communicator",
       .label = "Who communicates",
       .type = FieldType::kUser,
       .filterable = true},
      {.name = "channel",
       .label = "Channel",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"email", "Email"},
                   {"intranet", "Intranet"},
                   {"meeting", "Meeting"},
                   {"training", "Training"},
                   {"notice_board", "Notice board"},
                   {"report", "Report"},
                   {"other", "Other"}},
       .filterable = true,
       .sortable = true},
      OwnerField(),
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"active", "Active"}, {"ended", "Ended"}},
       .filterable = true,
       .sortable = true,
       .default_value = "active"},
  };
  s.list_columns = {"title", "frequency", "channel", "communicator", "parties", "status"};
  s.default_sort = "title";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"active", "ended"}, {"ended", "active"}},
                          .editable_in = {},
                          .closed = {"ended"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    if (r["frequency"] == "once" && r["date"].is_null()) {
      errors.push_back({"date", "say when a communication made once takes place"});
    }
  };
  return s;
}

// Each time a communication took place: what was said, when, by whom; evidence (the mail, the
// slides, the attendance list) attached.
RegisterSpec MakeCommunicationLog() {
  RegisterSpec s{.type = "communication_log_entry",
                 .table = "communication_log",
                 .path = "communication-log",
                 .singular = "Communication log entry",
                 .plural = "Communication log",
                 .clause = "7.4",
                 .title_field = "summary"};
  s.fields = {
      {.name = "communication",
       .label = "Communication",
       .type = FieldType::kRef,
       .required = true,
       .filterable = true,
       .ref = "communication"},
      {.name = "summary",
       .label = "What was communicated",
       .required = true,
       .sortable = true,
       .searchable = true},
      {.name = "date",
       .label = "Date",
       .type = FieldType::kDate,
       .required = true,
       .filterable = true,
       .sortable = true},
      {.name = "communicated_by", .label = "By", .type = FieldType::kUser, .filterable = true},
      {.name = "details", .label = "Details", .type = FieldType::kLongText, .searchable = true},
  };
  s.list_columns = {"date", "summary", "communication", "communicated_by"};
  s.default_sort = "-date";
  return s;
}

// A topic people are made aware of (7.3): the policy, phishing, clean desk, incident reporting;
// what they read or follow, who is to complete it and by when. Its status is the campaign's
// life, moved by AwarenessService (launch, close); a closed campaign is kept as written.
RegisterSpec MakeAwarenessCampaigns() {
  RegisterSpec s{.type = "awareness_campaign",
                 .table = "awareness_campaigns",
                 .path = "awareness-campaigns",
                 .singular = "Awareness campaign",
                 .plural = "Awareness campaigns",
                 .clause = "7.3",
                 .title_field = "topic"};
  FieldSpec status{.name = "status",
                   .label = "Status",
                   .type = FieldType::kEnum,
                   .choices = {{std::string(kCampaignPlanned), "Planned"},
                               {std::string(kCampaignLaunched), "Launched"},
                               {std::string(kCampaignClosed), "Closed"}},
                   .help = "Set by launching and closing the campaign.",
                   .filterable = true,
                   .sortable = true,
                   .default_value = std::string(kCampaignPlanned)};
  status.read_only = true;
  FieldSpec launched{.name = "launched_on", .label = "Launched on", .type = FieldType::kDate};
  launched.read_only = launched.sortable = true;
  s.fields = {
      {.name = "topic",
       .label = "Topic",
       .required = true,
       .max_length = 200,
       .help = "What people are made aware of: the information security policy, phishing, "
               "reporting an incident.",
       .sortable = true,
       .searchable = true},
      {.name = "description",
       .label = "What is asked",
       .type = FieldType::kLongText,
       .help = "What each person does to complete it: read, watch, attend, pass a quiz.",
       .searchable = true},
      {.name = "material",
       .label = "Material",
       .type = FieldType::kRef,
       .help = "The document people read or follow; those asked may read its published version.",
       .filterable = true,
       .ref = "document"},
      {.name = "due_date",
       .label = "Due",
       .type = FieldType::kDate,
       .required = true,
       .help = "By when each person is to have completed it.",
       .filterable = true,
       .sortable = true},
      OwnerField(),
      status,
      launched,
  };
  const auto audience =
      AudienceFields("audience", "Audience",
                     "Named people asked to complete it, besides those of the roles above.");
  s.fields.insert(std::find_if(s.fields.begin(), s.fields.end(),
                               [](const FieldSpec& f) { return f.name == "due_date"; }),
                  audience.begin(), audience.end());
  s.list_columns = {"topic", "material", "due_date", "owner", "status"};
  s.default_sort = "-due_date";
  s.lifecycle =
      Lifecycle{.field = "status",
                .transitions = {},
                .editable_in = {std::string(kCampaignPlanned), std::string(kCampaignLaunched)},
                .closed = {std::string(kCampaignClosed)},
                .due_field = "due_date"};
  return s;
}

// One person asked to complete a campaign: inserted when the campaign is launched (or the
// person invited later), completed by that person.
RegisterSpec MakeAwarenessCompletions() {
  RegisterSpec s{.type = "awareness_completion",
                 .table = "awareness_completions",
                 .path = "awareness-completions",
                 .singular = "Awareness completion",
                 .plural = "Awareness completions",
                 .clause = "7.3",
                 .title_field = "title"};
  s.fields = {
      {.name = "campaign",
       .label = "Campaign",
       .type = FieldType::kRef,
       .required = true,
       .filterable = true,
       .ref = "awareness_campaign"},
      {.name = "title", .label = "Topic", .max_length = 200, .sortable = true, .searchable = true},
      {.name = "material",
       .label = "Material",
       .type = FieldType::kRef,
       .filterable = true,
       .ref = "document"},
      {.name = "person",
       .label = "Person",
       .type = FieldType::kUser,
       .required = true,
       .filterable = true,
       .sortable = true},
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"pending", "To complete"},
                   {"completed", "Completed"},
                   {"missed", "Not completed"}},
       .help = "Not completed: the campaign was closed before the person completed it.",
       .filterable = true,
       .sortable = true,
       .default_value = "pending"},
      {.name = "due_date", .label = "Due", .type = FieldType::kDate, .sortable = true},
      {.name = "requested_at", .label = "Asked at", .sortable = true},
      {.name = "completed_at", .label = "Completed at", .sortable = true},
  };
  s.list_columns = {"title", "person", "status", "due_date", "completed_at"};
  s.default_sort = "-requested_at";
  s.workflow_only = true;
  return s;
}

std::chrono::year_month_day ParseYmd(std::string_view date) {
  if (!IsValidDate(date)) return {};
  const auto num = [&](size_t pos, size_t len) {
    return std::stoi(std::string(date.substr(pos, len)));
  };
  return {std::chrono::year(num(0, 4)), std::chrono::month(num(5, 2)), std::chrono::day(num(8, 2))};
}

std::string FormatYmd(std::chrono::year_month_day d) {
  if (!d.ok()) return "";
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : ""; }
int64_t Id(const Json& v) { return v.is_number_integer() ? v.get<int64_t>() : 0; }

// The last day a completed record is valid: its own end, else its achievement plus the
// requirement's validity; "9999-12-31" when it does not end.
std::string ValidityEnd(const Json& record, const Json& requirement) {
  if (record["valid_until"].is_string()) return record["valid_until"].get<std::string>();
  const Json& months = requirement["validity_months"];
  if (months.is_number_integer() && record["date_achieved"].is_string()) {
    return AddDays(AddMonths(Text(record["date_achieved"]), months.get<int>()), -1);
  }
  return std::string(kNoEnd);
}

}  // namespace

const RegisterSpec& Resources() {
  static const RegisterSpec kSpec = MakeResources();
  return kSpec;
}

const RegisterSpec& CompetenceRequirements() {
  static const RegisterSpec kSpec = MakeCompetenceRequirements();
  return kSpec;
}

const RegisterSpec& CompetenceRecords() {
  static const RegisterSpec kSpec = MakeCompetenceRecords();
  return kSpec;
}

const RegisterSpec& AwarenessCampaigns() {
  static const RegisterSpec kSpec = MakeAwarenessCampaigns();
  return kSpec;
}

const RegisterSpec& AwarenessCompletions() {
  static const RegisterSpec kSpec = MakeAwarenessCompletions();
  return kSpec;
}

bool IsAwarenessOverdue(const Json& completion, std::string_view today) {
  return completion.value("status", Json()) == "pending" &&
         Text(completion.value("due_date", Json())) < today &&
         !Text(completion.value("due_date", Json())).empty();
}

const RegisterSpec& Communications() {
  static const RegisterSpec kSpec = MakeCommunications();
  return kSpec;
}

const RegisterSpec& CommunicationLog() {
  static const RegisterSpec kSpec = MakeCommunicationLog();
  return kSpec;
}

bool IsCommunicationOverdue(const Json& c, std::string_view last_entry, std::string_view today) {
  if (c["status"] != "active") return false;
  const std::string frequency = Text(c["frequency"]);
  if (frequency == "on_event") return false;
  if (frequency == "once")
    return last_entry.empty() && !Text(c["date"]).empty() && Text(c["date"]) < today;
  if (last_entry.empty()) return true;
  const std::string next = frequency == "weekly"        ? AddDays(last_entry, 7)
                           : frequency == "monthly"     ? AddMonths(last_entry, 1)
                           : frequency == "quarterly"   ? AddMonths(last_entry, 3)
                           : frequency == "half_yearly" ? AddMonths(last_entry, 6)
                                                        : AddMonths(last_entry, 12);
  return next < today;
}

std::string AddDays(std::string_view date, int days) {
  const auto d = ParseYmd(date);
  if (!d.ok()) return "";
  return FormatYmd(std::chrono::sys_days(d) + std::chrono::days(days));
}

std::string AddMonths(std::string_view date, int months) {
  return rampart::AddMonths(date, months);
}

std::string AddPeriod(std::string_view date, int n, std::string_view unit) {
  if (unit == "days") return AddDays(date, n);
  if (unit == "weeks") return AddDays(date, 7 * n);
  if (unit == "months") return AddMonths(date, n);
  if (unit == "years") return AddMonths(date, 12 * n);
  return "";
}

std::optional<int64_t> DayNumber(std::string_view date) {
  const auto d = ParseYmd(date);
  if (!d.ok()) return std::nullopt;
  return std::chrono::sys_days(d).time_since_epoch().count();
}

const char* CompetenceStateName(CompetenceState s) {
  switch (s) {
    case CompetenceState::kMet:
      return "met";
    case CompetenceState::kExpiring:
      return "expiring";
    case CompetenceState::kPlanned:
      return "planned";
    case CompetenceState::kMissing:
      return "missing";
    case CompetenceState::kNotRequired:
      return "not_required";
  }
  return "missing";
}

CompetenceMatrix ComputeCompetenceMatrix(const std::vector<Record>& roles,
                                         const std::vector<Record>& requirements,
                                         const std::vector<Record>& records,
                                         std::string_view today) {
  CompetenceMatrix m;
  std::map<int64_t, std::set<int64_t>> roles_of;  // person -> active roles held
  std::set<int64_t> people;
  for (const auto& role : roles) {
    if (role.fields["status"] != "active" || !role.fields["holders"].is_array()) continue;
    for (const auto& h : role.fields["holders"]) {
      const int64_t person = Id(h.value("person", Json()));
      if (person == 0) continue;
      people.insert(person);
      roles_of[person].insert(role.id);
      m.role_names[role.id] = Text(role.fields["name"]);
    }
  }
  m.people.assign(people.begin(), people.end());
  for (const auto& q : requirements) {
    if (q.fields["status"] == "active" && m.role_names.count(Id(q.fields["role"])) != 0) {
      m.requirements.push_back(q);
    }
  }
  // The records of each (person, requirement), in the order given.
  std::map<std::pair<int64_t, int64_t>, std::vector<const Record*>> by_cell;
  for (const auto& rec : records) {
    const int64_t requirement = Id(rec.fields["requirement"]);
    if (requirement != 0) by_cell[{Id(rec.fields["person"]), requirement}].push_back(&rec);
  }
  const std::string expiring_from = AddDays(today, kCompetenceExpiringDays);
  for (const int64_t person : m.people) {
    auto& row = m.cells.emplace_back();
    for (const auto& q : m.requirements) {
      CompetenceCell& cell = row.emplace_back();
      if (roles_of[person].count(Id(q.fields["role"])) == 0) {
        cell.state = CompetenceState::kNotRequired;
        continue;
      }
      const Record* best = nullptr;  // the valid completed record lasting longest
      std::string best_end;
      const Record* plan = nullptr;  // the planned record due first
      for (const Record* rec : by_cell[{person, q.id}]) {
        const Json& f = rec->fields;
        if (f["status"] == "planned") {
          if (plan == nullptr || Text(f["due"]) < Text(plan->fields["due"])) plan = rec;
          continue;
        }
        if (f["status"] != "completed" || Text(f["date_achieved"]) > today) continue;
        const std::string end = ValidityEnd(f, q.fields);
        if (end < today || (best != nullptr && end <= best_end)) continue;
        best = rec;
        best_end = end;
      }
      if (best != nullptr) {
        cell.record = best->id;
        cell.valid_until = best_end == kNoEnd ? "" : best_end;
        cell.state = best_end <= expiring_from ? CompetenceState::kExpiring : CompetenceState::kMet;
        ++(cell.state == CompetenceState::kMet ? m.met : m.expiring);
      } else if (plan != nullptr) {
        cell.state = CompetenceState::kPlanned;
        cell.record = plan->id;
        cell.due = Text(plan->fields["due"]);
        ++m.planned;
      } else {
        cell.state = CompetenceState::kMissing;
        ++m.missing;
      }
    }
  }
  return m;
}

}  // namespace rampart::domain
