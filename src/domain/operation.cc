#include "domain/operation.h"

#include <string>
#include <utility>
#include <vector>

#include "domain/record_steps.h"

namespace rampart::domain {
namespace {

// How far an incident has come (0 ... 4 closed); -1 for an unknown state.
int Stage(const Json& r) {
  return StepOf(r, {kIncidentReported, kIncidentTriaged, kIncidentContained, kIncidentResolved,
                    kIncidentClosed});
}

// An incident is reported (when, by whom, what happened), triaged (category and severity
// assessed, someone handling it), contained, resolved and closed with its lessons learned
// (Annex A 5.24-5.28). Its timeline records what was done when; it names the assets affected
// and the risks it bears on, whether personal data was involved, and the nonconformity raised
// from it when it showed one.
RegisterSpec MakeIncidents() {
  RegisterSpec s{.type = "incident",
                 .table = "incidents",
                 .path = "incidents",
                 .singular = "Incident",
                 .plural = "Incidents",
                 .clause = "8.1",
                 .title_field = "title"};
  FieldSpec number{.name = "number", .label = "No.", .type = FieldType::kInteger};
  number.read_only = number.sortable = number.sequence = true;
  FieldSpec owner = OwnerField();
  owner.label = "Handler";
  owner.help = "Who handles the incident until it is closed.";
  FieldSpec timeline{.name = "timeline",
                     .label = "Timeline",
                     .type = FieldType::kTable,
                     .help = "What was found and done, and when: one row each."};
  timeline.columns = {
      {.name = "date", .label = "Date", .type = FieldType::kDate, .required = true},
      {.name = "time", .label = "Time (UTC)", .max_length = 5},
      {.name = "entry", .label = "What happened or was done", .required = true, .max_length = 500},
  };
  s.fields = {
      number,
      {.name = "title", .label = "Title", .required = true, .sortable = true, .searchable = true},
      {.name = "description",
       .label = "Description",
       .type = FieldType::kLongText,
       .required = true,
       .help = "What was observed, where, and how it was noticed.",
       .searchable = true},
      {.name = "reported_on",
       .label = "Reported on",
       .type = FieldType::kDate,
       .required = true,
       .filterable = true,
       .sortable = true},
      {.name = "reported_by", .label = "Reported by", .type = FieldType::kUser, .filterable = true},
      {.name = "reporter",
       .label = "Reported by (outside)",
       .max_length = 200,
       .help = "Someone who is not a member: a customer, a supplier, a researcher."},
      {.name = "occurred_on",
       .label = "Occurred on",
       .type = FieldType::kDate,
       .help = "When it began, if known."},
      {.name = "category",
       .label = "Category",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"malware", "Malware"},
                   {"phishing", "Phishing or social engineering"},
                   {"unauthorised_access", "Unauthorised access"},
                   {"data_leak", "Data leak or disclosure"},
                   {"loss_theft", "Loss or theft of equipment"},
                   {"denial_of_service", "Denial of service"},
                   {"misconfiguration", "Misconfiguration"},
                   {"policy_violation", "Policy violation"},
                   {"physical", "Physical or environmental"},
                   {"supplier", "Supplier incident"},
                   {"other", "Other"}},
       .filterable = true,
       .sortable = true},
      {.name = "severity",
       .label = "Severity",
       .type = FieldType::kEnum,
       .required = true,
       .choices =
           {{"critical", "Critical"}, {"high", "High"}, {"medium", "Medium"}, {"low", "Low"}},
       .filterable = true,
       .sortable = true},
      {.name = "personal_data",
       .label = "Personal data involved",
       .type = FieldType::kBool,
       .help = "A breach of personal data may have to be notified within a deadline.",
       .filterable = true},
      owner,
      {.name = "assets",
       .label = "Affected assets",
       .type = FieldType::kRefs,
       .filterable = true,
       .ref = "asset"},
      timeline,
      {.name = "containment",
       .label = "Containment",
       .type = FieldType::kLongText,
       .help = "What was done to stop it spreading or doing more harm."},
      {.name = "resolution",
       .label = "Resolution",
       .type = FieldType::kLongText,
       .help = "How it was ended and normal operation restored."},
      {.name = "resolved_on", .label = "Resolved on", .type = FieldType::kDate, .sortable = true},
      {.name = "lessons_learned",
       .label = "Lessons learned",
       .type = FieldType::kLongText,
       .help = "What the incident taught, and what changes because of it (A.5.27).",
       .searchable = true},
      {.name = "risks",
       .label = "Related risks",
       .type = FieldType::kRefs,
       .filterable = true,
       .ref = "risk"},
      {.name = "nonconformity",
       .label = "Nonconformity raised",
       .type = FieldType::kRef,
       .help = "The nonconformity recorded because the incident showed one.",
       .filterable = true,
       .ref = "nonconformity"},
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{std::string(kIncidentReported), "Reported"},
                   {std::string(kIncidentTriaged), "Triaged"},
                   {std::string(kIncidentContained), "Contained"},
                   {std::string(kIncidentResolved), "Resolved"},
                   {std::string(kIncidentClosed), "Closed"}},
       .filterable = true,
       .sortable = true,
       .default_value = std::string(kIncidentReported)},
  };
  s.list_columns = {"number", "title", "severity", "category", "reported_on", "owner", "status"};
  s.default_sort = "-number";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"reported", "triaged"},
                                          {"reported", "closed"},
                                          {"triaged", "contained"},
                                          {"triaged", "resolved"},
                                          {"contained", "resolved"},
                                          {"resolved", "closed"},
                                          {"closed", "triaged"}},
                          .editable_in = {},
                          .closed = {"closed"}};
  s.rule = [](const Json& r, const Json* before, std::vector<FieldError>& errors) {
    const int stage = Stage(r);
    // Closed straight from reported: an event found not to be an incident, which says so.
    const bool dismissed =
        stage == 4 && before != nullptr && before->value("status", Json()) == kIncidentReported;
    if (stage >= 1 && !dismissed && !HasValue(r, "owner")) {
      errors.push_back({"owner", "name who handles the incident"});
    }
    if (stage >= 2 && !dismissed && !HasValue(r, "containment")) {
      errors.push_back({"containment", "say how the incident was contained"});
    }
    if (stage >= 3 && !dismissed && !HasValue(r, "resolution")) {
      errors.push_back({"resolution", "say how the incident was resolved"});
    }
    if (stage >= 3 && !dismissed && !HasValue(r, "resolved_on")) {
      errors.push_back({"resolved_on", "say when the incident was resolved"});
    }
    if (stage == 4 && !HasValue(r, "lessons_learned")) {
      errors.push_back({"lessons_learned",
                        dismissed ? "say why the event is not an incident"
                                  : "record the lessons learned before closing the incident"});
    }
    if (HasValue(r, "occurred_on") && HasValue(r, "reported_on") &&
        r["occurred_on"].get<std::string>() > r["reported_on"].get<std::string>()) {
      errors.push_back({"occurred_on", "an incident cannot occur after it was reported"});
    }
    if (HasValue(r, "resolved_on") && HasValue(r, "reported_on") &&
        r["resolved_on"].get<std::string>() < r["reported_on"].get<std::string>()) {
      errors.push_back({"resolved_on", "an incident cannot be resolved before it was reported"});
    }
  };
  return s;
}

}  // namespace

const RegisterSpec& Incidents() {
  static const RegisterSpec kSpec = MakeIncidents();
  return kSpec;
}

}  // namespace rampart::domain
