#include "domain/leadership.h"

#include <fmt/format.h>

#include <algorithm>

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace rampart::domain {
namespace {

// A role is held by people (rows: who, since when), may have a deputy, and reports to another
// role. Assigning it is top management's (5.3); the record says who assigned it.
RegisterSpec MakeIsmsRoles() {
  RegisterSpec s{.type = "isms_role",
                 .table = "isms_roles",
                 .path = "isms-roles",
                 .singular = "ISMS role",
                 .plural = "ISMS roles",
                 .clause = "5.3",
                 .title_field = "name"};
  FieldSpec holders{.name = "holders", .label = "Holders", .type = FieldType::kTable};
  holders.help = "The people who hold the role, and since when.";
  holders.columns = {
      {.name = "person", .label = "Person", .type = FieldType::kUser, .required = true},
      {.name = "since", .label = "Since", .type = FieldType::kDate},
      {.name = "note", .label = "Note", .max_length = 200},
  };
  s.fields = {
      {.name = "name", .label = "Name", .required = true, .sortable = true, .searchable = true},
      {.name = "responsibilities",
       .label = "Responsibilities",
       .type = FieldType::kLongText,
       .required = true,
       .help = "What the role is responsible for in the ISMS.",
       .searchable = true},
      {.name = "authorities",
       .label = "Authorities",
       .type = FieldType::kLongText,
       .help = "What the role may decide or approve.",
       .searchable = true},
      {.name = "top_management",
       .label = "Top management",
       .type = FieldType::kBool,
       .help = "The role is part of top management (clause 5.1).",
       .filterable = true},
      holders,
      {.name = "deputy", .label = "Deputy", .type = FieldType::kUser, .filterable = true},
      {.name = "reports_to", .label = "Reports to", .type = FieldType::kRef, .ref = "isms_role"},
      {.name = "assigned_by",
       .label = "Assigned by",
       .type = FieldType::kUser,
       .help = "Who in top management assigned the role and its authorities."},
      {.name = "assigned_on", .label = "Assigned on", .type = FieldType::kDate},
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
  s.list_columns = {"name", "holders", "deputy", "top_management", "status", "next_review"};
  s.default_sort = "name";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"active", "retired"}, {"retired", "active"}},
                          .editable_in = {},
                          .closed = {"retired"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    std::set<int64_t> seen;
    if (r["holders"].is_array()) {
      for (size_t i = 0; i < r["holders"].size(); ++i) {
        const Json& person = r["holders"][i]["person"];
        if (!person.is_number_integer()) continue;
        if (!seen.insert(person.get<int64_t>()).second) {
          errors.push_back(
              {"holders[" + std::to_string(i) + "].person", "this person already holds the role"});
        }
      }
    }
    if (r["deputy"].is_number_integer() && seen.count(r["deputy"].get<int64_t>()) != 0) {
      errors.push_back({"deputy", "the deputy cannot also hold the role"});
    }
    if (r["assigned_on"].is_string() && r["assigned_by"].is_null()) {
      errors.push_back({"assigned_by", "name who in top management assigned the role"});
    }
  };
  return s;
}

std::vector<int64_t> Ids(const Json& v) {
  std::vector<int64_t> out;
  if (v.is_number_integer()) out.push_back(v.get<int64_t>());
  if (v.is_array()) {
    for (const auto& id : v) {
      if (id.is_number_integer()) out.push_back(id.get<int64_t>());
    }
  }
  return out;
}

bool Names(const Json& list, const Json& id) {
  return id.is_number_integer() && list.is_array() &&
         std::find(list.begin(), list.end(), id) != list.end();
}

// An ISMS process (risk assessment, internal audit, ...) and the roles that take part in it: one
// role responsible for doing it, one accountable for it, others consulted or informed. The
// processes are records, so an organisation keeps its own list; together they are the RACI
// matrix of clause 5.3.
RegisterSpec MakeIsmsProcesses() {
  RegisterSpec s{.type = "isms_process",
                 .table = "isms_processes",
                 .path = "isms-processes",
                 .singular = "ISMS process",
                 .plural = "ISMS processes",
                 .clause = "5.3",
                 .title_field = "name"};
  auto roles = [](std::string name, std::string label, FieldType type, std::string help) {
    return FieldSpec{.name = std::move(name),
                     .label = std::move(label),
                     .type = type,
                     .help = std::move(help),
                     .filterable = true,
                     .ref = "isms_role"};
  };
  s.fields = {
      {.name = "name",
       .label = "Name",
       .required = true,
       .help = "Unique within the organisation.",
       .filterable = true,
       .sortable = true,
       .searchable = true},
      {.name = "description",
       .label = "Description",
       .type = FieldType::kLongText,
       .help = "What the process covers, from its trigger to its output.",
       .searchable = true},
      roles("responsible", "Responsible (R)", FieldType::kRef,
            "The one role that carries the process out."),
      roles("accountable", "Accountable (A)", FieldType::kRef,
            "The one role answerable for the process; it may be the responsible role too."),
      roles("consulted", "Consulted (C)", FieldType::kRefs,
            "Roles asked for their view before the process decides."),
      roles("informed", "Informed (I)", FieldType::kRefs, "Roles told of the process's results."),
      OwnerField(),
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"draft", "Being defined"}, {"active", "Active"}, {"retired", "Retired"}},
       .filterable = true,
       .sortable = true,
       .default_value = "draft"},
      NextReviewField(),
  };
  s.list_columns = {"name", "responsible", "accountable", "owner", "status", "next_review"};
  s.default_sort = "name";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"draft", "active"},
                                          {"draft", "retired"},
                                          {"active", "retired"},
                                          {"retired", "active"}},
                          .editable_in = {},
                          .closed = {"retired"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    if (r["status"] == "active" && r["responsible"].is_null()) {
      errors.push_back({"responsible", "name the role responsible for an active process"});
    }
    for (const char* key : {"responsible", "accountable"}) {
      const Json& role = r[key];
      if (Names(r["consulted"], role)) {
        errors.push_back(
            {"consulted", fmt::format("the {} role cannot also be consulted", std::string(key))});
      }
      if (Names(r["informed"], role)) {
        errors.push_back(
            {"informed", fmt::format("the {} role cannot also be informed", std::string(key))});
      }
    }
    for (const int64_t id : Ids(r["consulted"])) {
      if (Names(r["informed"], Json(id))) {
        errors.push_back({"informed", "a consulted role cannot also be listed as informed"});
        break;
      }
    }
  };
  return s;
}

// Top management's commitment (5.1) shown by what it signed: policies approved, resources
// granted, objectives and changes approved, management reviews attended. Approvals made in
// Rampart add their entry themselves (origin "automatic", naming the approved record), and such
// entries are kept as they are; others are logged by hand.
RegisterSpec MakeCommitments() {
  RegisterSpec s{.type = "commitment",
                 .table = "commitments",
                 .path = "commitments",
                 .singular = "Commitment",
                 .plural = "Commitments",
                 .clause = "5.1",
                 .title_field = "statement"};
  FieldSpec source_type{.name = "source_type",
                        .label = "Related register",
                        .type = FieldType::kEnum,
                        .choices = {{"document_version", "Document version"},
                                    {"resource", "Resource"},
                                    {"objective", "Objective"},
                                    {"planned_change", "Planned change"},
                                    {"management_review", "Management review"}},
                        .filterable = true};
  source_type.read_only = true;
  FieldSpec source_id{.name = "source_id", .label = "Related record", .type = FieldType::kInteger};
  source_id.read_only = true;
  FieldSpec origin{.name = "origin",
                   .label = "Origin",
                   .type = FieldType::kEnum,
                   .choices = {{std::string(kCommitmentManual), "Logged by hand"},
                               {std::string(kCommitmentAutomatic), "Recorded automatically"}},
                   .filterable = true,
                   .default_value = std::string(kCommitmentManual)};
  origin.read_only = true;
  s.fields = {
      {.name = "kind",
       .label = "Kind",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"policy_approval", "Policy approval"},
                   {"resources_granted", "Resources granted"},
                   {"objectives_approved", "Objectives approved"},
                   {"change_approved", "Change approved"},
                   {"management_review_attendance", "Management review attendance"},
                   {"other", "Other"}},
       .filterable = true,
       .sortable = true},
      {.name = "statement",
       .label = "Statement",
       .type = FieldType::kLongText,
       .required = true,
       .help = "What top management committed to or signed off.",
       .searchable = true},
      {.name = "committed_by",
       .label = "By",
       .type = FieldType::kUser,
       .required = true,
       .filterable = true,
       .sortable = true},
      {.name = "committed_on",
       .label = "Date",
       .type = FieldType::kDate,
       .required = true,
       .filterable = true,
       .sortable = true},
      source_type,
      source_id,
      origin,
  };
  s.list_columns = {"committed_on", "kind", "statement", "committed_by", "origin"};
  s.default_sort = "-committed_on";
  // Automatic entries are kept as the approval wrote them: "editable" only when logged by hand.
  s.lifecycle = Lifecycle{.field = "origin",
                          .transitions = {},
                          .editable_in = {std::string(kCommitmentManual)},
                          .closed = {}};
  return s;
}

}  // namespace

const RegisterSpec& IsmsRoles() {
  static const RegisterSpec kSpec = MakeIsmsRoles();
  return kSpec;
}

const RegisterSpec& IsmsProcesses() {
  static const RegisterSpec kSpec = MakeIsmsProcesses();
  return kSpec;
}

const RegisterSpec& Commitments() {
  static const RegisterSpec kSpec = MakeCommitments();
  return kSpec;
}

const std::vector<StandardProcess>& StandardIsmsProcesses() {
  static const std::vector<StandardProcess> kAll = {
      {"Risk assessment", "Identifying, analysing and evaluating information security risks."},
      {"Risk treatment", "Choosing treatment options and controls, and the treatment plan."},
      {"Document control", "Drafting, approving, publishing and retiring documented information."},
      {"Internal audit", "Planning and running the audit programme, and reporting its results."},
      {"Management review", "Top management's periodic review of the ISMS and its decisions."},
      {"Corrective action", "Handling nonconformities: containment, root cause, correction."},
      {"Incident management", "Reporting, assessing and responding to security incidents."},
      {"Supplier management", "Selecting, contracting and monitoring suppliers."},
      {"Awareness", "Awareness and training of the people doing work under the ISMS."}};
  return kAll;
}

std::string RaciLetters(const Json& process, int64_t role) {
  const Json id(role);
  std::string out;
  auto add = [&](const char* letter) {
    if (!out.empty()) out += "/";
    out += letter;
  };
  if (process.value("accountable", Json()) == id) add("A");
  if (process.value("responsible", Json()) == id) add("R");
  if (Names(process.value("consulted", Json()), id)) add("C");
  if (Names(process.value("informed", Json()), id)) add("I");
  return out;
}

}  // namespace rampart::domain
