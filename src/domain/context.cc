#include "domain/context.h"

namespace rampart::domain {

namespace {

RegisterSpec MakeContextIssues() {
  RegisterSpec s{.type = "context_issue",
                 .table = "context_issues",
                 .path = "context-issues",
                 .singular = "Context issue",
                 .plural = "Context issues",
                 .clause = "4.1",
                 .title_field = "title"};
  s.fields = {
      {.name = "title", .label = "Title", .required = true, .sortable = true, .searchable = true},
      {.name = "description",
       .label = "Description",
       .type = FieldType::kLongText,
       .searchable = true},
      {.name = "kind",
       .label = "Internal or external",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"internal", "Internal"}, {"external", "External"}},
       .filterable = true,
       .sortable = true},
      {.name = "swot",
       .label = "SWOT quadrant",
       .type = FieldType::kEnum,
       .choices = {{"strength", "Strength"},
                   {"weakness", "Weakness"},
                   {"opportunity", "Opportunity"},
                   {"threat", "Threat"}},
       .help = "Strengths and weaknesses are internal; opportunities and threats are external.",
       .filterable = true,
       .sortable = true},
      {.name = "pestle",
       .label = "PESTLE category",
       .type = FieldType::kEnum,
       .choices = {{"political", "Political"},
                   {"economic", "Economic"},
                   {"social", "Social"},
                   {"technological", "Technological"},
                   {"legal", "Legal"},
                   {"environmental", "Environmental"}},
       .help = "For external issues only.",
       .filterable = true,
       .sortable = true},
      {.name = "climate_related",
       .label = "Climate-change consideration",
       .type = FieldType::kBool,
       .help = "Whether climate change is relevant to this issue (ISO/IEC 27001:2022/Amd 1:2024).",
       .filterable = true},
      {.name = "effect",
       .label = "Effect on the ISMS",
       .type = FieldType::kLongText,
       .searchable = true},
      OwnerField(),
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"active", "Active"}, {"monitoring", "Monitoring"}, {"closed", "Closed"}},
       .filterable = true,
       .sortable = true,
       .default_value = "active"},
      NextReviewField(),
  };
  s.list_columns = {"title", "kind", "swot", "pestle", "owner", "status", "next_review"};
  s.default_sort = "title";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"active", "monitoring"},
                                          {"monitoring", "active"},
                                          {"active", "closed"},
                                          {"monitoring", "closed"},
                                          {"closed", "active"}},
                          .editable_in = {},
                          .closed = {"closed"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    const bool external = r["kind"] == "external";
    if (r["swot"].is_string()) {
      const auto& q = r["swot"].get_ref<const std::string&>();
      const bool external_quadrant = q == "opportunity" || q == "threat";
      if (external_quadrant != external) {
        errors.push_back({"swot", external ? "an external issue is an opportunity or a threat"
                                           : "an internal issue is a strength or a weakness"});
      }
    }
    if (!external && !r["pestle"].is_null()) {
      errors.push_back({"pestle", "a PESTLE category applies to external issues only"});
    }
  };
  return s;
}

RegisterSpec MakeInterestedParties() {
  RegisterSpec s{.type = "interested_party",
                 .table = "interested_parties",
                 .path = "interested-parties",
                 .singular = "Interested party",
                 .plural = "Interested parties",
                 .clause = "4.2",
                 .title_field = "name"};
  FieldSpec requirements{
      .name = "requirements", .label = "Requirements", .type = FieldType::kTable};
  requirements.help = "What this party requires of the organisation's information security.";
  requirements.columns = {
      {.name = "text",
       .label = "Requirement",
       .type = FieldType::kLongText,
       .required = true,
       .max_length = 2000},
      {.name = "source",
       .label = "Source",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"legal", "Legal"},
                   {"regulatory", "Regulatory"},
                   {"contractual", "Contractual"},
                   {"other", "Other"}}},
      {.name = "addressed", .label = "Addressed by the ISMS", .type = FieldType::kBool},
      {.name = "how",
       .label = "How it is addressed",
       .type = FieldType::kLongText,
       .max_length = 2000},
  };
  s.fields = {
      {.name = "name", .label = "Name", .required = true, .sortable = true, .searchable = true},
      {.name = "type",
       .label = "Type",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"customer", "Customer"},
                   {"regulator", "Regulator"},
                   {"employee", "Employee"},
                   {"supplier", "Supplier"},
                   {"partner", "Partner"},
                   {"shareholder", "Shareholder"},
                   {"public", "Public"},
                   {"other", "Other"}},
       .filterable = true,
       .sortable = true},
      {.name = "description",
       .label = "Description",
       .type = FieldType::kLongText,
       .searchable = true},
      requirements,
      OwnerField(),
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"active", "Active"}, {"inactive", "No longer relevant"}},
       .filterable = true,
       .sortable = true,
       .default_value = "active"},
      NextReviewField(),
  };
  s.list_columns = {"name", "type", "requirements", "owner", "status", "next_review"};
  s.default_sort = "name";
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"active", "inactive"}, {"inactive", "active"}},
                          .editable_in = {},
                          .closed = {"inactive"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    if (!r["requirements"].is_array()) return;
    for (size_t i = 0; i < r["requirements"].size(); ++i) {
      const Json& row = r["requirements"][i];
      if (row["addressed"] == true && row["how"].is_null()) {
        errors.push_back({"requirements[" + std::to_string(i) + "].how",
                          "say how the ISMS addresses this requirement"});
      }
    }
  };
  return s;
}

RegisterSpec MakeScopeStatements() {
  RegisterSpec s{.type = "scope_statement",
                 .table = "scope_statements",
                 .path = "scope",
                 .singular = "Scope statement",
                 .plural = "ISMS scope",
                 .clause = "4.3",
                 .title_field = "title"};
  auto list = [](std::string name, std::string label, std::string help) {
    return FieldSpec{.name = std::move(name),
                     .label = std::move(label),
                     .type = FieldType::kList,
                     .help = std::move(help),
                     .searchable = false};
  };
  FieldSpec exclusions{.name = "exclusions", .label = "Exclusions", .type = FieldType::kTable};
  exclusions.help = "What is left out of the ISMS, each with the reason it may be left out.";
  exclusions.columns = {
      {.name = "item", .label = "Excluded", .required = true},
      {.name = "justification",
       .label = "Justification",
       .type = FieldType::kLongText,
       .required = true,
       .max_length = 2000},
  };
  s.fields = {
      {.name = "title", .label = "Title", .required = true, .sortable = true, .searchable = true},
      {.name = "statement",
       .label = "Scope statement",
       .type = FieldType::kLongText,
       .help = "The scope in a few sentences, as it will appear in the documented scope.",
       .searchable = true},
      list("units", "Organisational units", "One per line."),
      list("locations", "Locations", "Sites, offices and data centres; one per line."),
      list("services", "Services", "One per line."),
      list("processes", "Processes", "One per line."),
      exclusions,
      list("interfaces", "Interfaces", "Where the ISMS meets activities outside it; one per line."),
      list("dependencies", "Dependencies",
           "What the ISMS relies on that others provide; one per line."),
  };
  for (auto& f : VersionFields()) s.fields.push_back(std::move(f));
  s.list_columns = {"version_number", "title", "status", "approved_by", "approved_at"};
  s.default_sort = "-version_number";
  s.lifecycle = VersionLifecycle();
  s.versions = ApprovedVersions{.approval_problems = ScopeApprovalProblems};
  return s;
}

}  // namespace

const RegisterSpec& ContextIssues() {
  static const RegisterSpec kSpec = MakeContextIssues();
  return kSpec;
}
const RegisterSpec& InterestedParties() {
  static const RegisterSpec kSpec = MakeInterestedParties();
  return kSpec;
}
const RegisterSpec& ScopeStatements() {
  static const RegisterSpec kSpec = MakeScopeStatements();
  return kSpec;
}

std::vector<FieldError> ScopeApprovalProblems(const Json& r) {
  std::vector<FieldError> out;
  if (r["statement"].is_null()) {
    out.push_back({"statement", "write the scope statement before approving"});
  }
  const bool any_in_scope = !r["units"].is_null() || !r["locations"].is_null() ||
                            !r["services"].is_null() || !r["processes"].is_null();
  if (!any_in_scope) {
    out.push_back({"units", "name at least one unit, location, service or process in scope"});
  }
  return out;
}

}  // namespace rampart::domain
