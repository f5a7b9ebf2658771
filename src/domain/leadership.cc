#include "domain/leadership.h"

#include <set>
#include <string>
#include <vector>

namespace rampart::domain {
namespace {

// The ISMS processes a role can take part in (the RACI matrix's rows, when it comes).
std::vector<Choice> IsmsProcesses() {
  return {{"risk_assessment", "Risk assessment"},
          {"risk_treatment", "Risk treatment"},
          {"document_control", "Document control"},
          {"internal_audit", "Internal audit"},
          {"management_review", "Management review"},
          {"corrective_action", "Corrective action"},
          {"incident_management", "Incident management"},
          {"supplier_management", "Supplier management"},
          {"awareness", "Awareness and training"}};
}

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
      {.name = "processes",
       .label = "ISMS processes",
       .type = FieldType::kList,
       .choices = IsmsProcesses(),
       .help = "The ISMS processes the role takes part in."},
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

}  // namespace

const RegisterSpec& IsmsRoles() {
  static const RegisterSpec kSpec = MakeIsmsRoles();
  return kSpec;
}

}  // namespace rampart::domain
