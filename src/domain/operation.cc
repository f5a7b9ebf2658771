#include "domain/operation.h"

#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "domain/record_steps.h"
#include "domain/support.h"

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

std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

// True when `a` (YYYY-MM-DD) and `b` are both given and `a` is before `b`.
bool Before(const Json& r, std::string_view a, std::string_view b) {
  return HasValue(r, a) && HasValue(r, b) && Text(r[std::string(a)]) < Text(r[std::string(b)]);
}

std::vector<Choice> CriticalityChoices() {
  return {{"critical", "Critical"}, {"high", "High"}, {"medium", "Medium"}, {"low", "Low"}};
}

// A supplier or an outsourced process (clause 8.1 asks that externally provided processes
// relevant to the ISMS be controlled; A.5.19-5.22 the supplier relationship): what it provides,
// how critical it is, what of ours it reaches, the contract and the security requirements it
// sets, whom to call, who manages the relationship, and the risks and controls that concern it.
RegisterSpec MakeSuppliers() {
  RegisterSpec s{.type = "supplier",
                 .table = "suppliers",
                 .path = "suppliers",
                 .singular = "Supplier",
                 .plural = "Suppliers",
                 .clause = "8.1",
                 .title_field = "name"};
  FieldSpec contacts{.name = "contacts",
                     .label = "Contacts",
                     .type = FieldType::kTable,
                     .help =
                         "Whom to call at the supplier: for security matters and incidents "
                         "above all."};
  contacts.columns = {
      {.name = "name", .label = "Name", .required = true, .max_length = 200},
      {.name = "role", .label = "Role", .max_length = 200},
      {.name = "email", .label = "E-mail", .max_length = 254},
      {.name = "phone", .label = "Phone", .max_length = 50},
  };
  FieldSpec owner = OwnerField();
  owner.label = "Relationship owner";
  owner.help = "Who manages the relationship with the supplier and reviews it.";
  FieldSpec next_review = NextReviewField();
  next_review.help = "When the supplier's service and security are next reviewed (A.5.22).";
  s.fields = {
      {.name = "name", .label = "Name", .required = true, .sortable = true, .searchable = true},
      {.name = "services",
       .label = "Services provided or process outsourced",
       .type = FieldType::kLongText,
       .required = true,
       .help = "What the supplier provides or performs for the organisation.",
       .searchable = true},
      {.name = "outsourced_process",
       .label = "Outsourced process",
       .type = FieldType::kBool,
       .help = "The supplier performs a process of the ISMS's scope, which stays the "
               "organisation's to control (clause 8.1).",
       .filterable = true},
      {.name = "criticality",
       .label = "Criticality",
       .type = FieldType::kEnum,
       .required = true,
       .choices = CriticalityChoices(),
       .help = "How much the organisation's information security depends on the supplier.",
       .filterable = true,
       .sortable = true},
      {.name = "assets",
       .label = "Data and systems accessed",
       .type = FieldType::kRefs,
       .help = "The assets the supplier reaches, holds or processes.",
       .filterable = true,
       .ref = "asset"},
      {.name = "access_details",
       .label = "Access",
       .type = FieldType::kLongText,
       .help = "How the supplier reaches them: accounts, connections, premises, data exchanged."},
      {.name = "contract_start",
       .label = "Contract start",
       .type = FieldType::kDate,
       .sortable = true},
      {.name = "contract_end", .label = "Contract end", .type = FieldType::kDate, .sortable = true},
      {.name = "security_requirements",
       .label = "Security requirements in the contract",
       .type = FieldType::kLongText,
       .help = "What the agreement requires of the supplier for information security "
               "(A.5.20): confidentiality, access, incident notification, audit rights, "
               "subcontracting, return of data at the end.",
       .searchable = true},
      contacts,
      owner,
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
      next_review,
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"proposed", "Proposed"}, {"active", "Active"}, {"terminated", "Terminated"}},
       .filterable = true,
       .sortable = true,
       .default_value = "active"},
  };
  s.list_columns = {"name",        "criticality", "outsourced_process", "contract_end", "owner",
                    "next_review", "status"};
  s.default_sort = "name";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"proposed", "active"},
                                          {"proposed", "terminated"},
                                          {"active", "terminated"},
                                          {"terminated", "active"}},
                          .editable_in = {},
                          .closed = {"terminated"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    if (Before(r, "contract_end", "contract_start")) {
      errors.push_back({"contract_end", "the contract cannot end before it starts"});
    }
    const bool important = r["criticality"] == "critical" || r["criticality"] == "high";
    if (important && !HasValue(r, "security_requirements")) {
      errors.push_back({"security_requirements",
                        "say what the contract requires for security of a critical or "
                        "high-criticality supplier"});
    }
    if (r["status"] == "active" && !HasValue(r, "owner")) {
      errors.push_back({"owner", "name who manages the relationship with an active supplier"});
    }
    if (r["status"] == "active" && important && !HasValue(r, "next_review")) {
      errors.push_back(
          {"next_review", "plan when a critical or high-criticality supplier is next reviewed"});
    }
    const Json& rows = r["contacts"];
    for (size_t i = 0; rows.is_array() && i < rows.size(); ++i) {
      const std::string email = Text(rows[i].value("email", Json()));
      const size_t at = email.find('@');
      if (!email.empty() && (at == 0 || at == std::string::npos || at + 1 == email.size() ||
                             email.find_first_of(" \t") != std::string::npos)) {
        errors.push_back(
            {fmt::format("contacts[{}].email", i), "write an e-mail address: name@example.org"});
      }
    }
  };
  return s;
}

// An assessment of a supplier (A.5.22: monitoring, reviewing and evaluating its security
// practice): how (a questionnaire, a review of its certificate, an audit), with what result and
// findings, the validity of the certificate it holds, and when it is assessed next. Its evidence
// (the certificate, the completed questionnaire, the audit report) is attached as files.
RegisterSpec MakeSupplierAssessments() {
  RegisterSpec s{.type = "supplier_assessment",
                 .table = "supplier_assessments",
                 .path = "supplier-assessments",
                 .singular = "Supplier assessment",
                 .plural = "Supplier assessments",
                 .clause = "8.1",
                 .title_field = "title"};
  s.fields = {
      {.name = "supplier",
       .label = "Supplier",
       .type = FieldType::kRef,
       .required = true,
       .filterable = true,
       .ref = "supplier"},
      {.name = "title",
       .label = "Title",
       .required = true,
       .help = "Which assessment: \"2026 annual review\", \"ISO 27001 certificate check\".",
       .sortable = true,
       .searchable = true},
      {.name = "date",
       .label = "Date",
       .type = FieldType::kDate,
       .required = true,
       .filterable = true,
       .sortable = true},
      {.name = "method",
       .label = "Method",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"questionnaire", "Questionnaire"},
                   {"certificate_review", "Certificate review"},
                   {"audit", "Audit"},
                   {"other", "Other"}},
       .filterable = true,
       .sortable = true},
      {.name = "assessed_by", .label = "Assessed by", .type = FieldType::kUser, .filterable = true},
      {.name = "rating",
       .label = "Result",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"satisfactory", "Satisfactory"},
                   {"findings", "Acceptable with findings"},
                   {"unsatisfactory", "Unsatisfactory"}},
       .filterable = true,
       .sortable = true},
      {.name = "findings",
       .label = "Findings",
       .type = FieldType::kLongText,
       .help = "What falls short, and what the supplier is to do about it.",
       .searchable = true},
      {.name = "certificate",
       .label = "Certificate",
       .max_length = 200,
       .help = "The certificate the supplier holds: standard, number, certification body."},
      {.name = "certificate_expires",
       .label = "Certificate valid until",
       .type = FieldType::kDate,
       .help = "The last day of the certificate's validity; past it, the supplier is flagged.",
       .filterable = true,
       .sortable = true},
      {.name = "next_assessment",
       .label = "Next assessment",
       .type = FieldType::kDate,
       .sortable = true},
  };
  s.list_columns = {"date", "title", "supplier", "method", "rating", "certificate_expires"};
  s.default_sort = "-date";
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    if (r["rating"] != "satisfactory" && r["rating"].is_string() && !HasValue(r, "findings")) {
      errors.push_back({"findings", "say what was found when the result is not satisfactory"});
    }
    if (r["method"] == "certificate_review" && !HasValue(r, "certificate_expires")) {
      errors.push_back({"certificate_expires", "say until when the reviewed certificate is valid"});
    }
    if (HasValue(r, "certificate_expires") && !HasValue(r, "certificate") &&
        r["method"] == "certificate_review") {
      errors.push_back({"certificate", "name the certificate reviewed"});
    }
    if (HasValue(r, "next_assessment") && HasValue(r, "date") &&
        Text(r["next_assessment"]) <= Text(r["date"])) {
      errors.push_back({"next_assessment", "the next assessment comes after this one"});
    }
  };
  return s;
}

// Recurring work planned to operate an applied control (clause 8.1: processes carried out as
// planned, with the documented information to show it): a quarterly access review, a monthly
// restore test, a yearly supplier review. Each time it is carried out is an occurrence.
RegisterSpec MakeOperationalActivities() {
  RegisterSpec s{.type = "operational_activity",
                 .table = "operational_activities",
                 .path = "operational-activities",
                 .singular = "Operational activity",
                 .plural = "Operational activities",
                 .clause = "8.1",
                 .title_field = "title"};
  FieldSpec every{.name = "every",
                  .label = "Every",
                  .type = FieldType::kInteger,
                  .required = true,
                  .help = "How many days, weeks, months or years between two occurrences."};
  every.min_value = 1;
  every.max_value = 999;
  every.default_value = 1;
  s.fields = {
      {.name = "title", .label = "Title", .required = true, .sortable = true, .searchable = true},
      {.name = "description",
       .label = "What is done",
       .type = FieldType::kLongText,
       .help = "The steps, the scope, what is recorded each time.",
       .searchable = true},
      {.name = "applied_control",
       .label = "Applied control",
       .type = FieldType::kRef,
       .required = true,
       .help = "The control the activity operates.",
       .filterable = true,
       .ref = "applied_control"},
      OwnerField(),
      every,
      {.name = "period",
       .label = "Period",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"days", "Days"}, {"weeks", "Weeks"}, {"months", "Months"}, {"years", "Years"}},
       .filterable = true,
       .default_value = "months"},
      {.name = "start_date",
       .label = "Start date",
       .type = FieldType::kDate,
       .required = true,
       .help = "The first period begins here: its occurrence is expected one period later.",
       .sortable = true},
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"active", "Active"}, {"retired", "Retired"}},
       .filterable = true,
       .sortable = true,
       .default_value = "active"},
  };
  s.list_columns = {"title", "applied_control", "every", "period", "owner", "status"};
  s.default_sort = "title";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"active", "retired"}, {"retired", "active"}},
                          .editable_in = {},
                          .closed = {"retired"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    if (r["status"] == "active" && !HasValue(r, "owner")) {
      errors.push_back({"owner", "name who carries out an active activity"});
    }
  };
  return s;
}

// One occurrence of an operational activity: when, by whom, how it went and what was noted;
// its evidence (the review's export, the signed checklist) attached as files.
RegisterSpec MakeActivityOccurrences() {
  RegisterSpec s{.type = "activity_occurrence",
                 .table = "activity_occurrences",
                 .path = "activity-occurrences",
                 .singular = "Activity occurrence",
                 .plural = "Activity occurrences",
                 .clause = "8.1",
                 .title_field = "summary"};
  s.fields = {
      {.name = "activity",
       .label = "Activity",
       .type = FieldType::kRef,
       .required = true,
       .filterable = true,
       .ref = "operational_activity"},
      {.name = "summary",
       .label = "What was done",
       .required = true,
       .sortable = true,
       .searchable = true},
      {.name = "date",
       .label = "Date",
       .type = FieldType::kDate,
       .required = true,
       .filterable = true,
       .sortable = true},
      {.name = "performed_by", .label = "By", .type = FieldType::kUser, .filterable = true},
      {.name = "outcome",
       .label = "Outcome",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{std::string(kOccurrenceCompleted), "Completed"},
                   {std::string(kOccurrenceIssuesFound), "Completed, issues found"},
                   {std::string(kOccurrenceNotPerformed), "Not performed"}},
       .filterable = true,
       .sortable = true,
       .default_value = std::string(kOccurrenceCompleted)},
      {.name = "notes",
       .label = "Notes",
       .type = FieldType::kLongText,
       .help = "What was found, what follows from it.",
       .searchable = true},
  };
  s.list_columns = {"date", "summary", "activity", "performed_by", "outcome"};
  s.default_sort = "-date";
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    if (r["outcome"] == kOccurrenceIssuesFound && !HasValue(r, "notes")) {
      errors.push_back({"notes", "say which issues were found"});
    }
    if (r["outcome"] == kOccurrenceNotPerformed && !HasValue(r, "notes")) {
      errors.push_back({"notes", "say why the activity was not performed"});
    }
  };
  return s;
}

}  // namespace

const RegisterSpec& Incidents() {
  static const RegisterSpec kSpec = MakeIncidents();
  return kSpec;
}

const RegisterSpec& Suppliers() {
  static const RegisterSpec kSpec = MakeSuppliers();
  return kSpec;
}

const RegisterSpec& SupplierAssessments() {
  static const RegisterSpec kSpec = MakeSupplierAssessments();
  return kSpec;
}

const RegisterSpec& OperationalActivities() {
  static const RegisterSpec kSpec = MakeOperationalActivities();
  return kSpec;
}

const RegisterSpec& ActivityOccurrences() {
  static const RegisterSpec kSpec = MakeActivityOccurrences();
  return kSpec;
}

std::string NextOccurrenceDue(const Json& activity, std::string_view last) {
  const std::string from =
      last.empty() ? Text(activity.value("start_date", Json())) : std::string(last);
  const Json every = activity.value("every", Json());
  if (from.empty() || !every.is_number_integer() || every.get<int64_t>() < 1) return "";
  const int n = static_cast<int>(every.get<int64_t>());
  const std::string period = Text(activity.value("period", Json()));
  if (period == "days") return AddDays(from, n);
  if (period == "weeks") return AddDays(from, 7 * n);
  if (period == "months") return AddMonths(from, n);
  if (period == "years") return AddMonths(from, 12 * n);
  return "";
}

std::string MissedSince(const Json& activity, std::string_view last, std::string_view today) {
  if (activity.value("status", Json()) != "active") return "";
  std::string due = NextOccurrenceDue(activity, last);
  return !due.empty() && due < today ? due : "";
}

std::string CertificateExpiredOn(const Json& supplier, std::string_view expires,
                                 std::string_view today) {
  if (supplier.value("status", Json()) == "terminated" || expires.empty() || expires >= today) {
    return "";
  }
  return std::string(expires);
}

}  // namespace rampart::domain
