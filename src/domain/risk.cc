#include "domain/risk.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/clock.h"
#include "base/text.h"
#include "domain/annex_a.h"

namespace rampart::domain {

namespace {

FieldSpec Title(std::string name = "title", std::string label = "Title") {
  return {.name = std::move(name),
          .label = std::move(label),
          .required = true,
          .sortable = true,
          .searchable = true};
}

FieldSpec LongText(std::string name, std::string label, std::string help = "") {
  return {.name = std::move(name),
          .label = std::move(label),
          .type = FieldType::kLongText,
          .help = std::move(help),
          .searchable = true};
}

FieldSpec Enum(std::string name, std::string label, std::vector<Choice> choices, bool required,
               Json default_value = nullptr) {
  return {.name = std::move(name),
          .label = std::move(label),
          .type = FieldType::kEnum,
          .required = required,
          .choices = std::move(choices),
          .filterable = true,
          .sortable = true,
          .default_value = std::move(default_value)};
}

FieldSpec Ref(std::string name, std::string label, std::string ref, FieldType type) {
  FieldSpec f{.name = std::move(name), .label = std::move(label), .type = type};
  f.ref = std::move(ref);
  f.filterable = true;
  return f;
}

FieldSpec Rating(std::string name, std::string label) {
  FieldSpec f{.name = std::move(name), .label = std::move(label), .type = FieldType::kInteger};
  f.min_value = 1;
  f.max_value = kMaxScaleLevels;
  f.filterable = f.sortable = true;
  f.help = "A level of the scale of the risk methodology in force, lowest first.";
  return f;
}

FieldSpec Level(std::string name, std::string label) {
  FieldSpec f{.name = std::move(name), .label = std::move(label)};
  f.read_only = true;
  f.filterable = f.sortable = true;
  f.rank_column = f.name + "_rank";  // the level's place in the methodology, lowest 0
  f.help = "Computed from likelihood and impact by the approved risk methodology.";
  return f;
}

Lifecycle ActiveRetired() {
  return Lifecycle{.field = "status",
                   .transitions = {{"active", "retired"}, {"retired", "active"}},
                   .editable_in = {},
                   .closed = {"retired"}};
}

FieldSpec ActiveRetiredStatus() {
  return Enum("status", "Status", {{"active", "Active"}, {"retired", "Retired"}}, true, "active");
}

RegisterSpec MakeAssets() {
  RegisterSpec s{.type = "asset",
                 .table = "assets",
                 .path = "assets",
                 .singular = "Asset",
                 .plural = "Assets",
                 .clause = "6.1.2",
                 .title_field = "name"};
  auto cia = [](std::string name, std::string label) {
    FieldSpec f{.name = std::move(name), .label = std::move(label), .type = FieldType::kInteger};
    f.min_value = 1;
    f.max_value = 5;
    f.filterable = f.sortable = true;
    f.help = "1 (low) to 5 (very high): the harm if this property were lost.";
    return f;
  };
  FieldSpec custodian{.name = "custodian", .label = "Custodian", .type = FieldType::kUser};
  custodian.filterable = true;
  custodian.help = "Who looks after the asset day to day, when not the owner.";
  FieldSpec in_scope{.name = "in_scope", .label = "In the ISMS scope", .type = FieldType::kBool};
  in_scope.filterable = true;
  in_scope.default_value = true;
  FieldSpec depends = Ref("depends_on", "Depends on", "asset", FieldType::kRefs);
  depends.help =
      "Assets this one needs to work (a service on its servers, a process on a site); never "
      "itself, directly or through others.";
  depends.acyclic = true;
  s.fields = {
      Title("name", "Name"),
      Enum("type", "Type",
           {{"information", "Information"},
            {"software", "Software"},
            {"hardware", "Hardware"},
            {"service", "Service"},
            {"people", "People"},
            {"site", "Site"},
            {"supplier", "Supplier"},
            {"other", "Other"}},
           true),
      LongText("description", "Description"),
      OwnerField(),
      custodian,
      {.name = "location", .label = "Location", .searchable = true},
      Enum("classification", "Classification",
           {{"public", "Public"},
            {"internal", "Internal"},
            {"confidential", "Confidential"},
            {"restricted", "Restricted"}},
           false),
      cia("confidentiality", "Confidentiality"),
      cia("integrity", "Integrity"),
      cia("availability", "Availability"),
      in_scope,
      depends,
      ActiveRetiredStatus(),
      NextReviewField(),
  };
  s.list_columns = {"name",      "type",         "owner",    "classification", "confidentiality",
                    "integrity", "availability", "in_scope", "next_review"};
  s.default_sort = "name";
  s.lifecycle = ActiveRetired();
  return s;
}

RegisterSpec MakeCatalogue(bool threats) {
  RegisterSpec s{.type = threats ? "threat" : "vulnerability",
                 .table = threats ? "threats" : "vulnerabilities",
                 .path = threats ? "threats" : "vulnerabilities",
                 .singular = threats ? "Threat" : "Vulnerability",
                 .plural = threats ? "Threats" : "Vulnerabilities",
                 .clause = "6.1.2",
                 .title_field = "name"};
  std::vector<Choice> categories = threats ? std::vector<Choice>{{"deliberate", "Deliberate"},
                                                                 {"accidental", "Accidental"},
                                                                 {"environmental", "Environmental"},
                                                                 {"technical", "Technical failure"}}
                                           : std::vector<Choice>{{"people", "People"},
                                                                 {"process", "Process"},
                                                                 {"technology", "Technology"},
                                                                 {"physical", "Physical"},
                                                                 {"supplier", "Supplier"}};
  FieldSpec ref{.name = "ref", .label = "Reference", .max_length = 20};
  ref.sortable = ref.searchable = true;
  ref.help = "T01, V01, ... for the shipped catalogue; your own scheme for your entries.";
  s.fields = {
      ref,
      Title("name", "Name"),
      Enum("category", "Category", std::move(categories), true),
      LongText("description", "Description"),
      AnnexALinks(threats ? "The Annex A controls that address this threat."
                          : "The Annex A controls that remove or reduce this weakness."),
      ActiveRetiredStatus(),
  };
  s.list_columns = {"ref", "name", "category", "annex_controls", "status"};
  s.default_sort = "ref";
  s.lifecycle = ActiveRetired();
  return s;
}

RegisterSpec MakeRiskMethodologies() {
  RegisterSpec s{.type = "risk_methodology",
                 .table = "risk_methodologies",
                 .path = "risk-methodology",
                 .singular = "Risk methodology",
                 .plural = "Risk methodology",
                 .clause = "6.1.2",
                 .title_field = "title"};
  const Json defaults = DefaultMethodologyFields();
  auto scale = [&](std::string name, std::string label, std::string help) {
    FieldSpec f{.name = name,
                .label = std::move(label),
                .type = FieldType::kTable,
                .required = true,
                .help = std::move(help)};
    f.columns = {{.name = "label", .label = "Label", .required = true, .max_length = 60},
                 {.name = "criteria",
                  .label = "Criteria",
                  .type = FieldType::kLongText,
                  .max_length = 1000}};
    f.default_value = defaults[name];
    return f;
  };
  FieldSpec levels{.name = "risk_levels",
                   .label = "Risk levels and acceptance criteria",
                   .type = FieldType::kTable,
                   .required = true};
  levels.help =
      "Lowest first. A level's highest score (likelihood × impact) sets the matrix by the score "
      "rule; leave it empty on the top level. The risk owner may accept a risk at a level marked "
      "so; the roles ticked may accept it at any level.";
  levels.columns = {
      {.name = "name", .label = "Name", .required = true, .max_length = 40},
      {.name = "colour", .label = "Colour", .type = FieldType::kColour, .required = true},
      {.name = "max_score", .label = "Highest score", .type = FieldType::kInteger},
      {.name = "may_retain", .label = "Owner may accept", .type = FieldType::kBool},
      {.name = "accepted_by", .label = "Roles that may accept", .type = FieldType::kList},
  };
  // The roles by their labels; stored by their ids. A methodology written before this was a
  // list kept them as one comma-separated string, which MethodologyFromRecord still reads.
  FieldSpec& accepted_by = levels.columns.back();
  for (const auto& role : AllRoles()) {
    accepted_by.choices.push_back({std::string(role.name), std::string(role.label)});
  }
  accepted_by.accepts_joined_string = true;
  accepted_by.help =
      "Role ids, answered as a list. A string of role ids separated by commas (\"admin, "
      "executive\"), as this was before it became a list, is accepted too and read as the list.";
  levels.default_value = defaults["risk_levels"];
  FieldSpec cells{.name = "matrix_cells", .label = "Matrix cells", .type = FieldType::kTable};
  cells.help = "Cells whose level differs from the score rule, set one by one.";
  cells.columns = {
      {.name = "likelihood", .label = "Likelihood", .type = FieldType::kInteger, .required = true},
      {.name = "impact", .label = "Impact", .type = FieldType::kInteger, .required = true},
      {.name = "level", .label = "Level", .required = true, .max_length = 40},
  };
  FieldSpec interval{.name = "assessment_interval_months",
                     .label = "Reassessment interval (months)",
                     .type = FieldType::kInteger,
                     .required = true};
  interval.min_value = 1;
  interval.max_value = 36;
  interval.default_value = 12;
  interval.help = "How often each risk is reassessed; a risk's next review defaults from it.";
  s.fields = {
      Title(),
      scale("likelihood_scale", "Likelihood scale", "Lowest first, 3 to 6 levels."),
      scale("impact_scale", "Impact scale", "Lowest first, 3 to 6 levels."),
      levels,
      cells,
      interval,
      LongText("change_note", "What changed"),
  };
  for (auto& f : VersionFields()) s.fields.push_back(std::move(f));
  s.list_columns = {"version_number", "title", "status", "approved_by", "approved_at"};
  s.default_sort = "-version_number";
  s.write_permission = Permission::kEditRecords;
  s.lifecycle = VersionLifecycle();
  // Approving re-evaluates every risk under the new methodology (app/risk_service).
  s.versions = ApprovedVersions{.approval_problems =
                                    [](const Json& fields) {
                                      std::vector<FieldError> errors;
                                      MethodologyFromRecord(fields, errors);
                                      return errors;
                                    },
                                .reset_on_new_draft = {"change_note"},
                                .on_approval = "Every risk's level is recomputed under it.",
                                .first_draft =
                                    [] {
                                      Json fields = DefaultMethodologyFields();
                                      fields["title"] = "Risk methodology";
                                      return fields;
                                    },
                                .own_current_route = true};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    MethodologyFromRecord(r, errors);
  };
  return s;
}

RegisterSpec MakeAppliedControls() {
  RegisterSpec s{.type = "applied_control",
                 .table = "applied_controls",
                 .path = "controls",
                 .singular = "Applied control",
                 .plural = "Applied controls",
                 .clause = "6.1.3",
                 .title_field = "name"};
  s.fields = {
      Title("name", "Name"),
      LongText("description", "Description", "What is done, by whom, how often."),
      OwnerField(),
      Enum("status", "Status",
           {{"planned", "Planned"},
            {"in_progress", "In progress"},
            {"implemented", "Implemented"},
            {"not_effective", "Not effective"}},
           true, "planned"),
      AnnexALinks("The Annex A controls this implements (in whole or in part)."),
      LongText("effectiveness", "Effectiveness",
               "How the control is known to work: tests, measurements, audit results."),
      NextReviewField(),
  };
  s.list_columns = {"name", "status", "annex_controls", "owner", "next_review"};
  s.default_sort = "name";
  return s;
}

RegisterSpec MakeRisks() {
  RegisterSpec s{.type = "risk",
                 .table = "risks",
                 .path = "risks",
                 .singular = "Risk",
                 .plural = "Risks",
                 .clause = "6.1.2",
                 .title_field = "title"};
  FieldSpec number{.name = "number", .label = "No.", .type = FieldType::kInteger};
  number.read_only = number.sortable = number.sequence = true;
  FieldSpec actions{.name = "actions", .label = "Treatment actions", .type = FieldType::kTable};
  actions.help = "What will be done to treat the risk, by whom and when.";
  actions.columns = {
      {.name = "action", .label = "Action", .required = true, .max_length = 500},
      {.name = "owner", .label = "Owner", .type = FieldType::kUser},
      {.name = "due", .label = "Due", .type = FieldType::kDate},
      {.name = "status",
       .label = "Status",
       .type = FieldType::kEnum,
       .required = true,
       .choices = {{"open", "Open"},
                   {"in_progress", "In progress"},
                   {"done", "Done"},
                   {"cancelled", "Cancelled"}}},
  };
  FieldSpec acceptance = Enum("acceptance", "Acceptance",
                              {{"accepted", "Accepted"}, {"stale", "Stale: accept again"}}, false);
  acceptance.read_only = true;
  FieldSpec last_assessed{
      .name = "last_assessed", .label = "Last assessed", .type = FieldType::kDate};
  last_assessed.read_only = last_assessed.sortable = last_assessed.filterable = true;
  FieldSpec next_review = NextReviewField();
  next_review.help = "Defaults from the methodology's reassessment interval.";
  s.fields = {
      number,
      Title(),
      LongText("description", "Description"),
      Ref("assets", "Assets", "asset", FieldType::kRefs),
      Ref("threat", "Threat", "threat", FieldType::kRef),
      Ref("vulnerability", "Vulnerability", "vulnerability", FieldType::kRef),
      OwnerField(),
      Rating("inherent_likelihood", "Inherent likelihood"),
      Rating("inherent_impact", "Inherent impact"),
      Level("inherent_level", "Inherent level"),
      Ref("controls", "Applied controls", "applied_control", FieldType::kRefs),
      Rating("residual_likelihood", "Residual likelihood"),
      Rating("residual_impact", "Residual impact"),
      Level("residual_level", "Residual level"),
      Enum("treatment", "Treatment option",
           {{"modify", "Modify (reduce)"},
            {"retain", "Retain (accept)"},
            {"avoid", "Avoid"},
            {"share", "Share"}},
           false),
      actions,
      Enum("status", "Status",
           {{"identified", "Identified"},
            {"analysed", "Analysed"},
            {"treatment_planned", "Treatment planned"},
            {"treated", "Treated"},
            {"accepted", "Accepted"},
            {"closed", "Closed"}},
           true, "identified"),
      acceptance,
      last_assessed,
      next_review,
      LongText("rationale", "Rationale", "Why the ratings and the treatment are what they are."),
  };
  s.list_columns = {"number",    "title",  "owner",      "inherent_level", "residual_level",
                    "treatment", "status", "acceptance", "last_assessed",  "next_review"};
  s.default_sort = "number";
  // "accepted" is reached only by the acceptance workflow; leaving it by a new assessment.
  s.lifecycle = Lifecycle{.field = "status",
                          .transitions = {{"identified", "analysed"},
                                          {"analysed", "identified"},
                                          {"analysed", "treatment_planned"},
                                          {"treatment_planned", "analysed"},
                                          {"treatment_planned", "treated"},
                                          {"treated", "treatment_planned"},
                                          {"treated", "analysed"},
                                          {"accepted", "analysed"},
                                          {"accepted", "treatment_planned"},
                                          {"treated", "closed"},
                                          {"accepted", "closed"},
                                          {"identified", "closed"},
                                          {"analysed", "closed"},
                                          {"closed", "identified"}},
                          .editable_in = {},
                          .closed = {"closed"}};
  s.rule = [](const Json& r, const Json*, std::vector<FieldError>& errors) {
    const std::string state = r["status"].is_string() ? r["status"].get<std::string>() : "";
    const bool rated = !r["inherent_likelihood"].is_null() && !r["inherent_impact"].is_null();
    if (r["inherent_likelihood"].is_null() != r["inherent_impact"].is_null()) {
      errors.push_back(
          {r["inherent_likelihood"].is_null() ? "inherent_likelihood" : "inherent_impact",
           "rate inherent likelihood and impact together"});
    }
    if (r["residual_likelihood"].is_null() != r["residual_impact"].is_null()) {
      errors.push_back(
          {r["residual_likelihood"].is_null() ? "residual_likelihood" : "residual_impact",
           "rate residual likelihood and impact together"});
    }
    if (!rated && !r["residual_likelihood"].is_null()) {
      errors.push_back({"inherent_likelihood", "rate the inherent risk before the residual risk"});
    }
    if (state != kRiskIdentified && state != kRiskClosed && !rated) {
      errors.push_back({"inherent_likelihood",
                        fmt::format("a risk that is {} has its inherent likelihood and impact "
                                    "rated",
                                    state == kRiskAnalysed ? "analysed" : "past analysis")});
    }
    if ((state == kRiskTreatmentPlanned || state == kRiskTreated) && r["treatment"].is_null()) {
      errors.push_back({"treatment", "choose a treatment option before planning treatment"});
    }
    if (state == kRiskTreated && r["residual_likelihood"].is_null()) {
      errors.push_back({"residual_likelihood", "rate the residual risk of a treated risk"});
    }
  };
  return s;
}

RegisterSpec MakeRiskAcceptances() {
  RegisterSpec s{.type = "risk_acceptance",
                 .table = "risk_acceptances",
                 .path = "risk-acceptances",
                 .singular = "Risk acceptance",
                 .plural = "Risk acceptances",
                 .clause = "6.1.3",
                 .title_field = "risk_title"};
  FieldSpec decided_by{.name = "decided_by", .label = "Decided by", .type = FieldType::kUser};
  decided_by.filterable = true;
  FieldSpec decided_at{.name = "decided_at", .label = "Decided at"};
  decided_at.sortable = true;
  FieldSpec snapshot{.name = "snapshot",
                     .label = "The risk as accepted",
                     .type = FieldType::kLongText,
                     .max_length = 200000};
  s.fields = {
      Ref("risk", "Risk", "risk", FieldType::kRef),
      {.name = "risk_title", .label = "Risk", .max_length = 200, .searchable = true},
      Enum("decision", "Decision", {{"accepted", "Accepted"}, {"rejected", "Rejected"}}, true),
      {.name = "level", .label = "Level accepted", .filterable = true},
      LongText("comment", "Comment"),
      decided_by,
      decided_at,
      snapshot,
  };
  s.list_columns = {"decided_at", "risk_title", "decision", "level", "decided_by"};
  s.default_sort = "decided_at";
  s.workflow_only = true;
  s.write_permission = Permission::kAcceptRisk;
  return s;
}

RegisterSpec MakeRiskAssessments() {
  RegisterSpec s{.type = "risk_assessment",
                 .table = "risk_assessments",
                 .path = "risk-assessments",
                 .singular = "Risk assessment cycle",
                 .plural = "Risk assessment cycles",
                 .clause = "8.2",
                 .title_field = "title"};
  FieldSpec reviews{.name = "reviews", .label = "Risks reviewed", .type = FieldType::kTable};
  reviews.read_only = true;
  reviews.help = "Recorded from each risk's page: which risks were reviewed and what changed.";
  reviews.columns = {
      {.name = "risk", .label = "Risk", .type = FieldType::kInteger, .required = true},
      {.name = "title", .label = "Title", .max_length = 200},
      {.name = "reviewed_on", .label = "Reviewed on", .type = FieldType::kDate},
      {.name = "reviewed_by", .label = "Reviewed by", .type = FieldType::kUser},
      {.name = "residual_level", .label = "Residual level", .max_length = 40},
      {.name = "changes",
       .label = "What changed",
       .type = FieldType::kLongText,
       .max_length = 2000},
  };
  FieldSpec started{.name = "started", .label = "Started", .type = FieldType::kDate};
  started.required = started.sortable = true;
  FieldSpec closed_on{.name = "closed_on", .label = "Closed on", .type = FieldType::kDate};
  closed_on.read_only = closed_on.sortable = true;
  s.fields = {
      Title(),
      LongText("scope", "Scope of the cycle", "Which assets, processes or risks are reassessed."),
      OwnerField(),
      started,
      Enum("status", "Status", {{"open", "Open"}, {"closed", "Closed"}}, true, "open"),
      reviews,
      LongText("summary", "Summary", "What the cycle found and decided; required to close it."),
      closed_on,
  };
  s.list_columns = {"title", "started", "status", "owner", "closed_on"};
  s.default_sort = "-started";
  // Closed only through the workflow (which checks the summary and stamps the date).
  s.lifecycle = Lifecycle{
      .field = "status", .transitions = {}, .editable_in = {"open"}, .closed = {"closed"}};
  return s;
}

int ParseInt(const Json& v, int fallback) {
  return v.is_number_integer() ? v.get<int>() : fallback;
}

std::string Str(const Json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

// Field paths of ValidateMethodology ("likelihood[2].label") in terms of the record's fields.
std::string RecordPath(const std::string& path) {
  static const std::pair<std::string_view, std::string_view> kMap[] = {
      {"likelihood", "likelihood_scale"},
      {"impact", "impact_scale"},
      {"levels", "risk_levels"},
      {"matrix", "matrix_cells"},
  };
  for (const auto& [from, to] : kMap) {
    if (path.rfind(from, 0) == 0) {
      if (from == "matrix") return std::string(to);
      return std::string(to) + path.substr(from.size());
    }
  }
  return path;
}

}  // namespace

namespace {

// The Annex A controls as choices: "5.1" labelled "5.1 Policies for information security".
std::vector<Choice> AnnexAChoices() {
  std::vector<Choice> out;
  for (const auto& c : AnnexAControls()) out.push_back({c.id, c.id + " " + c.title});
  return out;
}

}  // namespace

FieldSpec AnnexALinks(std::string help) {
  FieldSpec f{.name = "annex_controls",
              .label = "Annex A controls",
              .type = FieldType::kList,
              .choices = AnnexAChoices(),
              .help = std::move(help)};
  return f;
}

RiskMethodology MethodologyFromRecord(const Json& r, std::vector<FieldError>& errors) {
  RiskMethodology m;
  auto scale = [](const Json& rows) {
    std::vector<ScaleLevel> out;
    if (!rows.is_array()) return out;
    for (const auto& row : rows) out.push_back({Str(row["label"]), Str(row["criteria"])});
    return out;
  };
  m.likelihood = scale(r.value("likelihood_scale", Json()));
  m.impact = scale(r.value("impact_scale", Json()));
  std::vector<int> upper;
  const Json levels = r.value("risk_levels", Json());
  if (levels.is_array()) {
    for (size_t i = 0; i < levels.size(); ++i) {
      const Json& row = levels[i];
      const std::string at = fmt::format("risk_levels[{}]", i);
      RiskLevel level{Str(row["name"]), Str(row["colour"]), row.value("may_retain", false), {}};
      // A list of role ids; before it was a list, one string of ids separated by commas.
      std::vector<std::string> names;
      const Json& accepted_by = row.value("accepted_by", Json());
      if (accepted_by.is_array()) {
        for (const auto& item : accepted_by) names.push_back(Str(item));
      } else {
        names = SplitWords(Str(accepted_by));
      }
      for (const auto& name : names) {
        auto role = ParseRole(name);
        if (!role) {
          errors.push_back({at + ".accepted_by", fmt::format("\"{}\" is not a role", name)});
        } else if (std::find(level.may_accept.begin(), level.may_accept.end(), *role) ==
                   level.may_accept.end()) {
          level.may_accept.push_back(*role);
        }
      }
      const bool last = i + 1 == levels.size();
      if (!last) {
        if (!row["max_score"].is_number_integer()) {
          errors.push_back(
              {at + ".max_score", "give the highest score of every level but the top one"});
        } else {
          const int score = row["max_score"].get<int>();
          if (!upper.empty() && score <= upper.back()) {
            errors.push_back({at + ".max_score", "scores must rise from level to level"});
          }
          upper.push_back(score);
        }
      } else if (!row["max_score"].is_null()) {
        errors.push_back({at + ".max_score",
                          "the top level takes every higher score; leave it "
                          "empty"});
      }
      m.levels.push_back(std::move(level));
    }
  }
  m.assessment_interval_months = ParseInt(r.value("assessment_interval_months", Json()), 0);
  if (!errors.empty()) return m;
  const size_t before = errors.size();
  if (m.likelihood.size() >= 1 && m.impact.size() >= 1 && upper.size() + 1 == m.levels.size()) {
    m.matrix = MatrixFromScores(static_cast<int>(m.likelihood.size()),
                                static_cast<int>(m.impact.size()), upper);
  }
  const Json cells = r.value("matrix_cells", Json());
  if (cells.is_array() && !m.matrix.empty()) {
    for (size_t i = 0; i < cells.size(); ++i) {
      const std::string at = fmt::format("matrix_cells[{}]", i);
      const int l = ParseInt(cells[i]["likelihood"], 0);
      const int im = ParseInt(cells[i]["impact"], 0);
      const std::string name = Str(cells[i]["level"]);
      if (l < 1 || static_cast<size_t>(l) > m.likelihood.size()) {
        errors.push_back(
            {at + ".likelihood", fmt::format("likelihood is from 1 to {}", m.likelihood.size())});
        continue;
      }
      if (im < 1 || static_cast<size_t>(im) > m.impact.size()) {
        errors.push_back({at + ".impact", fmt::format("impact is from 1 to {}", m.impact.size())});
        continue;
      }
      const auto it = std::find_if(m.levels.begin(), m.levels.end(), [&](const RiskLevel& x) {
        return ToLower(Trim(x.name)) == ToLower(Trim(name));
      });
      if (it == m.levels.end()) {
        errors.push_back(
            {at + ".level", fmt::format("\"{}\" is not one of the risk levels", name)});
        continue;
      }
      m.matrix[l - 1][im - 1] = static_cast<int>(it - m.levels.begin());
    }
  }
  if (errors.size() == before) {
    for (auto& e : ValidateMethodology(m)) {
      errors.push_back({RecordPath(e.field), e.message});
    }
  }
  return m;
}

Json DefaultMethodologyFields() {
  const RiskMethodology m = DefaultMethodology();
  const int upper[] = {4, 9, 15};
  Json out = Json::object();
  auto scale = [](const std::vector<ScaleLevel>& s) {
    Json rows = Json::array();
    for (const auto& l : s) rows.push_back({{"label", l.label}, {"criteria", l.criteria}});
    return rows;
  };
  out["likelihood_scale"] = scale(m.likelihood);
  out["impact_scale"] = scale(m.impact);
  Json levels = Json::array();
  for (size_t i = 0; i < m.levels.size(); ++i) {
    const auto& l = m.levels[i];
    Json roles = Json::array();
    for (auto r : l.may_accept) roles.push_back(std::string(RoleName(r)));
    levels.push_back({{"name", l.name},
                      {"colour", l.colour},
                      {"max_score", i < 3 ? Json(upper[i]) : Json()},
                      {"may_retain", l.may_retain},
                      {"accepted_by", roles.empty() ? Json() : roles}});
  }
  out["risk_levels"] = levels;
  out["assessment_interval_months"] = m.assessment_interval_months;
  return out;
}

const std::vector<std::string>& AcceptanceRelevantFields() {
  static const std::vector<std::string> kFields = {"inherent_likelihood",
                                                   "inherent_impact",
                                                   "residual_likelihood",
                                                   "residual_impact",
                                                   "controls",
                                                   "treatment",
                                                   "actions"};
  return kFields;
}

std::vector<FieldError> AcceptanceProblems(const Json& risk) {
  std::vector<FieldError> out;
  if (risk["inherent_likelihood"].is_null()) {
    out.push_back({"inherent_likelihood", "rate the risk before accepting it"});
  }
  if (risk["controls"].is_array() && !risk["controls"].empty() &&
      risk["residual_likelihood"].is_null()) {
    out.push_back({"residual_likelihood",
                   "rate the residual risk left after the applied controls before accepting it"});
  }
  if (risk["treatment"].is_null()) {
    out.push_back({"treatment", "choose the treatment option before accepting the risk"});
  }
  if (risk["status"] == kRiskClosed) {
    out.push_back({"status", "a closed risk is not accepted"});
  }
  return out;
}

bool IsActionOverdue(const Json& action, std::string_view today) {
  const std::string status = Str(action["status"]);
  const std::string due = Str(action["due"]);
  return !due.empty() && due < today && status != "done" && status != "cancelled";
}

bool NeedsTreatment(const Json& risk) {
  const std::string state = Str(risk["status"]);
  if (state == kRiskClosed || state == kRiskIdentified) return false;
  const std::string option = Str(risk["treatment"]);
  return option != "retain";
}

const RegisterSpec& Assets() {
  static const RegisterSpec kSpec = MakeAssets();
  return kSpec;
}
const RegisterSpec& Threats() {
  static const RegisterSpec kSpec = MakeCatalogue(true);
  return kSpec;
}
const RegisterSpec& Vulnerabilities() {
  static const RegisterSpec kSpec = MakeCatalogue(false);
  return kSpec;
}
const RegisterSpec& RiskMethodologies() {
  static const RegisterSpec kSpec = MakeRiskMethodologies();
  return kSpec;
}
const RegisterSpec& Risks() {
  static const RegisterSpec kSpec = MakeRisks();
  return kSpec;
}
const RegisterSpec& AppliedControls() {
  static const RegisterSpec kSpec = MakeAppliedControls();
  return kSpec;
}
const RegisterSpec& RiskAcceptances() {
  static const RegisterSpec kSpec = MakeRiskAcceptances();
  return kSpec;
}
const RegisterSpec& RiskAssessments() {
  static const RegisterSpec kSpec = MakeRiskAssessments();
  return kSpec;
}

}  // namespace rampart::domain
