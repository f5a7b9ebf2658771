#include "domain/internal_audit.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/annex_a.h"
#include "domain/documents.h"
#include "domain/record_steps.h"

namespace rampart::domain {
namespace {

FieldSpec Number() {
  FieldSpec number{.name = "number", .label = "No.", .type = FieldType::kInteger};
  number.read_only = number.sortable = number.sequence = true;
  return number;
}

FieldSpec Date(std::string name, std::string label, bool required = false) {
  return {.name = std::move(name),
          .label = std::move(label),
          .type = FieldType::kDate,
          .required = required,
          .filterable = true,
          .sortable = true};
}

// `later` not before `earlier`, when both are given; else an error on `later`.
void InOrder(const Json& r, const char* earlier, const char* later, const char* message,
             std::vector<FieldError>& errors) {
  if (HasValue(r, earlier) && HasValue(r, later) &&
      r[later].get<std::string>() < r[earlier].get<std::string>()) {
    errors.push_back({later, message});
  }
}

// A programme of internal audits over a period: what it is to achieve, who manages it, and
// (on its page) its audits and what their scopes leave uncovered.
RegisterSpec MakeAuditProgrammes() {
  RegisterSpec s{.type = "audit_programme",
                 .table = "audit_programmes",
                 .path = "audit-programmes",
                 .singular = "Audit programme",
                 .plural = "Audit programmes",
                 .clause = "9.2",
                 .title_field = "title"};
  FieldSpec owner = OwnerField();
  owner.required = true;
  owner.help = "Who manages the programme.";
  s.fields = {
      Number(),
      {.name = "title", .label = "Title", .required = true, .sortable = true, .searchable = true},
      Date("period_start", "Period from", true),
      Date("period_end", "Period to", true),
      {.name = "objectives",
       .label = "Objectives",
       .type = FieldType::kLongText,
       .required = true,
       .help = "What the programme is to achieve: cover every clause and applicable control "
               "over the period, follow up earlier findings, ...",
       .searchable = true},
      {.name = "method",
       .label = "Methods and reporting",
       .type = FieldType::kLongText,
       .help = "How audits are planned, conducted and reported, and to whom results go."},
      owner,
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"draft", "Draft"}, {"active", "Active"}, {"completed", "Completed"}},
       .filterable = true,
       .sortable = true,
       .default_value = "draft"},
  };
  s.list_columns = {"number", "title", "period_start", "period_end", "owner", "status"};
  s.write_permission = Permission::kWriteAudits;
  s.default_sort = "-number";
  s.lifecycle = Lifecycle{
      .field = "status",
      .transitions = {{"draft", "active"}, {"active", "completed"}, {"completed", "active"}},
      .editable_in = {},
      .closed = {"completed"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    InOrder(r, "period_start", "period_end", "the period cannot end before it starts", errors);
  };
  return s;
}

int Stage(const Json& r) {
  return StepOf(r, {kAuditPlanned, kAuditInProgress, kAuditReported, kAuditClosed});
}

// One audit of a programme: its scope, criteria and auditors; when it is planned and was done;
// the checklist worked through; and the report (summary and conclusion) that makes it reported.
RegisterSpec MakeInternalAudits() {
  RegisterSpec s{.type = "internal_audit",
                 .table = "internal_audits",
                 .path = "internal-audits",
                 .singular = "Internal audit",
                 .plural = "Internal audits",
                 .clause = "9.2",
                 .title_field = "title"};
  FieldSpec team{.name = "team",
                 .label = "Audit team",
                 .type = FieldType::kTable,
                 .help = "The other auditors, one row each."};
  team.columns = {
      {.name = "auditor", .label = "Auditor", .type = FieldType::kUser, .required = true}};
  FieldSpec checklist{.name = "checklist",
                      .label = "Checklist",
                      .type = FieldType::kTable,
                      .help = "The questions asked and what was found: one row each."};
  checklist.columns = {
      {.name = "requirement",
       .label = "Clause or control",
       .required = true,
       .max_length = 20,
       .help = "\"9.2\", \"A.5.15\""},
      {.name = "question", .label = "Question", .required = true, .max_length = 500},
      {.name = "result",
       .label = "Result",
       .type = FieldType::kEnum,
       .choices = {{"conforming", "Conforming"},
                   {"minor_nonconformity", "Minor nonconformity"},
                   {"major_nonconformity", "Major nonconformity"},
                   {"observation", "Observation"},
                   {"opportunity", "Opportunity for improvement"},
                   {"not_audited", "Not audited"}}},
      {.name = "notes", .label = "Notes", .max_length = 1000},
  };
  FieldSpec processes{.name = "processes",
                      .label = "ISMS processes",
                      .type = FieldType::kRefs,
                      .help = "The ISMS processes audited.",
                      .filterable = true,
                      .ref = "isms_process"};
  s.fields = {
      Number(),
      {.name = "title", .label = "Title", .required = true, .sortable = true, .searchable = true},
      {.name = "programme",
       .label = "Programme",
       .type = FieldType::kRef,
       .required = true,
       .filterable = true,
       .ref = "audit_programme"},
      ClausesField("The clauses of ISO/IEC 27001 the audit covers."),
      AnnexControlsField("The Annex A controls the audit covers."),
      processes,
      {.name = "sites",
       .label = "Sites",
       .max_length = 500,
       .help = "Where the audit takes place (\"Head office, Lyon data centre\")."},
      {.name = "criteria",
       .label = "Audit criteria",
       .type = FieldType::kLongText,
       .required = true,
       .help = "What is audited against: ISO/IEC 27001:2022, the organisation's policies and "
               "procedures, contracts, legal requirements."},
      {.name = "lead_auditor",
       .label = "Lead auditor",
       .type = FieldType::kUser,
       .required = true,
       .filterable = true,
       .sortable = true},
      team,
      {.name = "impartiality_override",
       .label = "Impartiality override",
       .type = FieldType::kBool,
       .help = "Recorded when an auditor owns records in the audit's scope and audits it "
               "nevertheless (a small organisation); say why below.",
       .filterable = true,
       .default_value = false},
      {.name = "impartiality_reason",
       .label = "Reason for the override",
       .type = FieldType::kLongText,
       .max_length = 2000,
       .help = "Why the auditor audits records they own, and what keeps the audit objective."},
      Date("planned_start", "Planned start", true),
      Date("planned_end", "Planned end", true),
      Date("actual_start", "Actual start"),
      Date("actual_end", "Actual end"),
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{std::string(kAuditPlanned), "Planned"},
                   {std::string(kAuditInProgress), "In progress"},
                   {std::string(kAuditReported), "Reported"},
                   {std::string(kAuditClosed), "Closed"}},
       .filterable = true,
       .sortable = true,
       .default_value = std::string(kAuditPlanned)},
      checklist,
      {.name = "summary",
       .label = "Report: summary",
       .type = FieldType::kLongText,
       .help = "What was audited, how, and what was found.",
       .searchable = true},
      {.name = "conclusion",
       .label = "Report: conclusion",
       .type = FieldType::kLongText,
       .help = "Whether the audited part of the ISMS conforms and is effectively implemented "
               "and maintained."},
  };
  s.list_columns = {"number",        "title",       "programme", "lead_auditor",
                    "planned_start", "planned_end", "status"};
  s.default_sort = "-number";
  s.write_permission = Permission::kWriteAudits;
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"planned", "in_progress"},
                                          {"in_progress", "reported"},
                                          {"reported", "in_progress"},
                                          {"reported", "closed"}},
                          .editable_in = {},
                          .closed = {"closed"},
                          .due_field = "planned_end"};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    const int stage = Stage(r);
    if (!HasValue(r, "clauses") && !HasValue(r, "annex_controls") && !HasValue(r, "processes")) {
      errors.push_back(
          {"clauses", "name what the audit covers: clauses, Annex A controls or ISMS processes"});
    }
    if (r.value("impartiality_override", false) == true && !HasValue(r, "impartiality_reason")) {
      errors.push_back({"impartiality_reason", "say why the impartiality override is recorded"});
    }
    if (HasValue(r, "lead_auditor") && r["team"].is_array()) {
      for (const auto& row : r["team"]) {
        if (row.value("auditor", Json()) == r["lead_auditor"]) {
          errors.push_back({"team", "the lead auditor is not listed again in the team"});
          break;
        }
      }
    }
    if (stage >= 1 && !HasValue(r, "actual_start")) {
      errors.push_back({"actual_start", "say when the audit started"});
    }
    if (stage >= 2) {
      if (!HasValue(r, "actual_end")) {
        errors.push_back({"actual_end", "say when the audit ended"});
      }
      if (!HasValue(r, "summary")) {
        errors.push_back({"summary", "write the report's summary before reporting the audit"});
      }
      if (!HasValue(r, "conclusion")) {
        errors.push_back(
            {"conclusion", "write the report's conclusion before reporting the audit"});
      }
    }
    InOrder(r, "planned_start", "planned_end", "the audit cannot end before it starts", errors);
    InOrder(r, "actual_start", "actual_end", "the audit cannot end before it starts", errors);
  };
  return s;
}

// What an audit found, against which requirement, on what evidence, and whose it is to deal
// with. A nonconformity raises a record of the nonconformities register, linked here.
RegisterSpec MakeAuditFindings() {
  RegisterSpec s{.type = "audit_finding",
                 .table = "audit_findings",
                 .path = "findings",
                 .singular = "Audit finding",
                 .plural = "Audit findings",
                 .clause = "9.2",
                 .title_field = "title"};
  FieldSpec owner = OwnerField();
  owner.label = "Auditee (owner)";
  owner.help = "Who answers for the finding; a nonconformity raised from it is theirs.";
  FieldSpec nonconformity{.name = "nonconformity",
                          .label = "Nonconformity raised",
                          .type = FieldType::kRef,
                          .help = "Recorded when a nonconformity finding is created.",
                          .filterable = true,
                          .ref = "nonconformity"};
  nonconformity.read_only = true;
  s.fields = {
      Number(),
      {.name = "title", .label = "Title", .required = true, .sortable = true, .searchable = true},
      {.name = "audit",
       .label = "Internal audit",
       .type = FieldType::kRef,
       .required = true,
       .filterable = true,
       .ref = "internal_audit"},
      {.name = "type",
       .label = "Type",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"observation", "Observation"},
                   {"opportunity", "Opportunity for improvement"},
                   {std::string(kFindingMinor), "Minor nonconformity"},
                   {std::string(kFindingMajor), "Major nonconformity"}},
       .filterable = true,
       .sortable = true,
       .default_value = "observation"},
      {.name = "requirement",
       .label = "Clause or control",
       .required = true,
       .max_length = 120,
       .help = "\"7.5.3\", \"A.5.15\"",
       .filterable = true,
       .searchable = true},
      {.name = "description",
       .label = "Description",
       .type = FieldType::kLongText,
       .required = true,
       .searchable = true},
      {.name = "evidence",
       .label = "Evidence",
       .type = FieldType::kLongText,
       .help = "The records, interviews and observations the finding rests on."},
      Date("found_on", "Found on", true),
      owner,
      nonconformity,
  };
  s.list_columns = {"number", "title", "audit", "type", "requirement", "owner", "nonconformity"};
  s.write_permission = Permission::kWriteAudits;
  s.default_sort = "-number";
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    if (!IsNonconformityFinding(r)) return;
    if (!HasValue(r, "evidence")) {
      errors.push_back({"evidence", "a nonconformity rests on evidence: record it"});
    }
    if (!HasValue(r, "owner")) {
      errors.push_back({"owner", "name the auditee who owns the nonconformity it raises"});
    }
  };
  return s;
}

}  // namespace

std::vector<std::string> TextsOf(const Json& r, std::string_view field) {
  std::vector<std::string> out;
  const Json v = r.value(std::string(field), Json());
  if (!v.is_array()) return out;
  for (const auto& s : v) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

bool ClauseWithin(std::string_view clause, std::string_view scope) {
  return clause == scope ||
         (clause.size() > scope.size() && clause.starts_with(scope) && clause[scope.size()] == '.');
}

bool IsNonconformityFinding(const Json& f) {
  const Json t = f.value("type", Json());
  return t == kFindingMajor || t == kFindingMinor;
}

std::vector<int64_t> AuditorsOf(const Json& a) {
  std::vector<int64_t> out;
  auto add = [&out](const Json& v) {
    if (!v.is_number_integer()) return;
    const int64_t id = v.get<int64_t>();
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  };
  add(a.value("lead_auditor", Json()));
  const Json team = a.value("team", Json());
  if (team.is_array()) {
    for (const auto& row : team) add(row.value("auditor", Json()));
  }
  return out;
}

AuditCoverage ComputeAuditCoverage(const std::vector<AuditColumnInput>& audits,
                                   const std::vector<std::string>& applicable_controls,
                                   int undecided) {
  AuditCoverage c;
  c.undecided_controls = undecided;
  std::vector<std::vector<std::string>> clauses, controls;
  for (const auto& a : audits) {
    const Json& f = *a.fields;
    c.audits.push_back({.id = a.id,
                        .title = f.value("title", std::string()),
                        .status = f.value("status", std::string()),
                        .planned_start = f.value("planned_start", Json()).is_string()
                                             ? f["planned_start"].get<std::string>()
                                             : std::string()});
    clauses.push_back(TextsOf(f, "clauses"));
    controls.push_back(TextsOf(f, "annex_controls"));
  }
  std::set<std::string> parents;
  for (const auto& clause : IsoClauses()) {
    if (!clause.parent.empty()) parents.insert(clause.parent);
  }
  for (const auto& clause : IsoClauses()) {
    CoverageRow row{.kind = "clause",
                    .id = clause.id,
                    .title = clause.title,
                    .heading = parents.contains(clause.id)};
    for (size_t i = 0; i < audits.size(); ++i) {
      for (const auto& scoped : clauses[i]) {
        if (ClauseWithin(clause.id, scoped)) {
          row.audits.push_back(audits[i].id);
          break;
        }
      }
    }
    if (row.audits.empty() && !row.heading) ++c.uncovered_clauses;
    c.rows.push_back(std::move(row));
  }
  const std::set<std::string> applicable(applicable_controls.begin(), applicable_controls.end());
  for (const auto& control : AnnexAControls()) {
    if (!applicable.contains(control.id)) continue;
    CoverageRow row{.kind = "control", .id = control.id, .title = control.title};
    for (size_t i = 0; i < audits.size(); ++i) {
      if (std::find(controls[i].begin(), controls[i].end(), control.id) != controls[i].end()) {
        row.audits.push_back(audits[i].id);
      }
    }
    if (row.audits.empty()) ++c.uncovered_controls;
    c.rows.push_back(std::move(row));
  }
  return c;
}

const RegisterSpec& AuditProgrammes() {
  static const RegisterSpec kSpec = MakeAuditProgrammes();
  return kSpec;
}

const RegisterSpec& InternalAudits() {
  static const RegisterSpec kSpec = MakeInternalAudits();
  return kSpec;
}

const RegisterSpec& AuditFindings() {
  static const RegisterSpec kSpec = MakeAuditFindings();
  return kSpec;
}

}  // namespace rampart::domain
