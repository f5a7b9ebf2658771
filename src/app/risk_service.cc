#include "app/risk_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "app/access_control.h"
#include "app/sheet_writer.h"
#include "app/version_service.h"
#include "base/clock.h"
#include "base/text.h"
#include "base/xlsx.h"
#include "domain/catalogue.h"
#include "domain/planning.h"
#include "domain/risk.h"

namespace rampart::app {

using domain::FieldError;
using domain::Json;
using domain::Record;

namespace {

std::string Str(const Json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

// The level index of a risk's residual rating, or its inherent one when it has no residual.
std::optional<int> AcceptedLevel(const domain::RiskMethodology& m, const Json& risk) {
  const bool residual = risk["residual_likelihood"].is_number_integer();
  const char* prefix = residual ? "residual" : "inherent";
  const Json& l = risk[fmt::format("{}_likelihood", prefix)];
  const Json& i = risk[fmt::format("{}_impact", prefix)];
  if (!l.is_number_integer() || !i.is_number_integer()) return std::nullopt;
  return domain::LevelOf(m, l.get<int>(), i.get<int>());
}

// Who may decide on a risk's acceptance, as Accept decides: the risk must be ready (rated, with
// a treatment option and an owner); then the risk owner for a level the owner may accept, or a
// role the acceptance criteria name for the level. `level` receives the risk's level.
Status DecisionAllowed(const Principal& p, const domain::RiskMethodology& m, const Json& risk,
                       const domain::RiskLevel** level_out) {
  const auto problems = domain::AcceptanceProblems(risk);
  if (!problems.empty()) return FirstError(problems);
  const auto level_index = AcceptedLevel(m, risk);
  if (!level_index) {
    return InvalidArgument("the risk's ratings are outside the methodology's scales; reassess it",
                           "inherent_likelihood");
  }
  const domain::RiskLevel& level = m.levels[*level_index];
  if (level_out != nullptr) *level_out = &level;
  const bool owner = risk["owner"] == p.user_id;
  const bool by_role =
      std::find(level.may_accept.begin(), level.may_accept.end(), p.role) != level.may_accept.end();
  if ((owner && level.may_retain) || by_role) return Status::Ok();
  std::vector<std::string> who;
  if (level.may_retain) who.push_back("the risk owner");
  for (auto role : level.may_accept)
    who.push_back("a member with the role " + std::string(domain::InfoOf(role).label));
  std::string list;
  for (size_t i = 0; i < who.size(); ++i) {
    list += i == 0 ? "" : (i + 1 == who.size() ? " or " : ", ");
    list += who[i];
  }
  if (list.empty()) list = "nobody: the acceptance criteria allow no acceptance at this level";
  return PermissionDenied(
      fmt::format("a risk at level {} may be accepted by {}", level.name, list));
}

}  // namespace

std::string MethodologyName(const MethodologyInForce& m) {
  return m.record ? "the approved methodology" : "the default methodology (none is approved yet)";
}

std::string RatingRange(const domain::RiskMethodology& m, std::string_view field,
                        std::string_view methodology) {
  const bool likelihood = field.ends_with("_likelihood");
  return fmt::format("{} is from 1 to {} under {}", likelihood ? "likelihood" : "impact",
                     likelihood ? m.likelihood.size() : m.impact.size(), methodology);
}

bool ComputeLevels(const domain::RiskMethodology& m, Json& fields, std::vector<FieldError>& errors,
                   std::string_view methodology) {
  bool ok = true;
  for (const std::string prefix : {"inherent", "residual"}) {
    const std::string lf = prefix + "_likelihood";
    const std::string imf = prefix + "_impact";
    const Json& l = fields[lf];
    const Json& i = fields[imf];
    fields[prefix + "_level"] = nullptr;
    fields[prefix + "_level_rank"] = nullptr;  // the level's place in m, lowest 0: lists sort by it
    if (!l.is_number_integer() || !i.is_number_integer()) continue;
    if (l.get<int64_t>() > static_cast<int64_t>(m.likelihood.size())) {
      errors.push_back({lf, RatingRange(m, lf, methodology)});
      ok = false;
      continue;
    }
    if (i.get<int64_t>() > static_cast<int64_t>(m.impact.size())) {
      errors.push_back({imf, RatingRange(m, imf, methodology)});
      ok = false;
      continue;
    }
    const auto level = domain::LevelOf(m, l.get<int>(), i.get<int>());
    if (level) {
      fields[prefix + "_level"] = m.levels[*level].name;
      fields[prefix + "_level_rank"] = *level;
    }
  }
  return ok;
}

RiskService::RiskService(store::Store& store, const Clock& clock, RegisterService& registers)
    : store_(store), clock_(clock), registers_(registers) {
  registers_.SetWriteHook(
      domain::Risks(),
      [this](const Principal& p, Json& fields, const Json* before,
             std::vector<FieldError>& errors) { return OnRiskWrite(p, fields, before, errors); });
  // The description bounds ratings by the longest scale any methodology may have (the database
  // checks that); a refusal states the range of the methodology in force instead.
  registers_.SetRefusalHook(
      domain::Risks(), [this](const Principal& p, std::vector<FieldError>& errors) {
        auto in_force = InForce(p.org_id);
        if (!in_force.ok()) return;
        for (auto& e : errors) {
          const domain::FieldSpec* f = domain::Risks().Field(e.field);
          if (f == nullptr || f->max_value == 0 || f->name.find("_level") != std::string::npos)
            continue;
          if (e.message ==
              fmt::format("{} must be from {} to {}", f->label, f->min_value, f->max_value)) {
            e.message = RatingRange(in_force->methodology, f->name, MethodologyName(*in_force));
          }
        }
      });
}

Result<MethodologyInForce> RiskService::InForce(int64_t org_id) {
  MethodologyInForce out;
  auto current = ApprovedVersionInForce(store_, domain::RiskMethodologies(), org_id);
  if (!current.ok()) {
    if (current.status().code() != Code::kNotFound) return current.status();
    out.methodology = domain::DefaultMethodology();
    return out;
  }
  std::vector<FieldError> errors;
  out.methodology = domain::MethodologyFromRecord(current->fields, errors);
  if (!errors.empty()) {
    return Internal(fmt::format("the approved risk methodology is not valid: {}: {}",
                                errors.front().field, errors.front().message));
  }
  out.record = std::move(*current);
  return out;
}

Result<MethodologyInForce> RiskService::Methodology(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return InForce(p.org_id);
}

Status RiskService::OnRiskWrite(const Principal& p, Json& fields, const Json* before,
                                std::vector<FieldError>& errors) {
  ASSIGN_OR_RETURN(auto in_force,
                   Memoised<MethodologyInForce>(fmt::format("risk_methodology/{}", p.org_id),
                                                [&] { return InForce(p.org_id); }));
  if (!ComputeLevels(in_force.methodology, fields, errors, MethodologyName(in_force))) {
    return Status::Ok();
  }
  const bool was_accepted = before != nullptr && (*before)["status"] == domain::kRiskAccepted;
  if (fields["status"] == domain::kRiskAccepted && !was_accepted) {
    errors.push_back({"status", "a risk is accepted by recording an acceptance decision"});
    return Status::Ok();
  }
  if (fields["next_review"].is_null()) {
    fields["next_review"] =
        AddMonths(FormatDate(clock_.Now()), in_force.methodology.assessment_interval_months);
  }
  if (before != nullptr && (*before)["acceptance"] == domain::kAcceptanceCurrent) {
    for (const auto& f : domain::AcceptanceRelevantFields()) {
      if ((*before)[f] == fields[f]) continue;
      // What was accepted is no longer what the risk is: a new decision is needed.
      fields["acceptance"] = std::string(domain::kAcceptanceStale);
      if (fields["status"] == domain::kRiskAccepted) {
        const std::string option = Str(fields["treatment"]);
        fields["status"] =
            std::string(!option.empty() && option != "retain" ? domain::kRiskTreatmentPlanned
                                                              : domain::kRiskAnalysed);
      }
      break;
    }
  }
  return Status::Ok();
}

Status RiskService::ReviewRisksBeforeChange(const Principal& p, const Json& change,
                                            const Json* before,
                                            std::vector<store::Mutation>& mutations) {
  const auto decided = domain::IsApprovedChange;
  if (!decided(change) || !change["reassess_by"].is_string() || !change["risks"].is_array()) {
    return Status::Ok();
  }
  if (before != nullptr && decided(*before) && (*before)["risks"] == change["risks"] &&
      (*before)["reassess_by"] == change["reassess_by"]) {
    return Status::Ok();
  }
  const std::string by = change["reassess_by"].get<std::string>();
  const domain::RegisterSpec& risks = domain::Risks();
  for (const Json& id : change["risks"]) {
    if (!id.is_number_integer()) continue;
    ASSIGN_OR_RETURN(domain::Record risk, store_.Get(risks, p.org_id, id.get<int64_t>()));
    if (risk.fields["status"] == "closed") continue;
    const Json& next = risk.fields["next_review"];
    if (next.is_string() && next.get<std::string>() <= by) continue;
    Json fields = risk.fields;
    fields["next_review"] = by;
    mutations.push_back({.kind = store::Mutation::Kind::kUpdate,
                         .spec = &risks,
                         .id = risk.id,
                         .expected_version = risk.version,
                         .fields = fields,
                         .action = "update",
                         .diff = domain::DiffFields(risks, risk.fields, fields)});
  }
  return Status::Ok();
}

Status RiskService::ReevaluateOnApproval(const Principal& p, const Json& approved_fields,
                                         std::vector<store::Mutation>& mutations) {
  std::vector<FieldError> problems;
  const domain::RiskMethodology approved = domain::MethodologyFromRecord(approved_fields, problems);
  if (!problems.empty()) return FirstError(problems);
  ASSIGN_OR_RETURN(const MethodologyInForce previous, InForce(p.org_id));
  const auto rank_in = [](const domain::RiskMethodology& m, const Json& level) -> Json {
    for (size_t i = 0; i < m.levels.size(); ++i) {
      if (level.is_string() && m.levels[i].name == level.get<std::string>()) return i;
    }
    return nullptr;
  };
  const auto& risks = domain::Risks();
  return ForEachPage(store_, risks, p.org_id, {}, [&](std::vector<Record>& page) {
    for (const auto& r : page) {
      Json fields = r.fields;
      std::vector<FieldError> errors;
      if (!ComputeLevels(approved, fields, errors)) {
        // A rating beyond a shortened scale cannot be carried over: it is cleared for
        // reassessment (the audit diff records the old rating).
        for (const auto& e : errors) {
          const std::string prefix = e.field.substr(0, e.field.find('_'));
          fields[prefix + "_likelihood"] = nullptr;
          fields[prefix + "_impact"] = nullptr;
        }
        errors.clear();
        ComputeLevels(approved, fields, errors);
        if (fields["residual_likelihood"].is_null() && fields["status"] == domain::kRiskTreated) {
          fields["status"] = std::string(domain::kRiskAnalysed);
        }
        if (fields["inherent_likelihood"].is_null() && fields["status"] != domain::kRiskClosed) {
          fields["status"] = std::string(domain::kRiskIdentified);
        }
      }
      Json diff = domain::DiffFields(risks, r.fields, fields);
      // A level that keeps its name but moves in the order (a level added below it) is written
      // for its rank alone, so that lists keep sorting by the methodology in force.
      const bool moved =
          std::any_of(risks.fields.begin(), risks.fields.end(), [&](const domain::FieldSpec& f) {
            return !f.rank_column.empty() &&
                   rank_in(previous.methodology, r.fields[f.name]) != fields[f.rank_column];
          });
      if (diff.empty() && !moved) continue;
      mutations.push_back({.kind = store::Mutation::Kind::kUpdate,
                           .spec = &risks,
                           .id = r.id,
                           .expected_version = r.version,
                           .fields = fields,
                           .action = "re-evaluate",
                           .diff = diff});
    }
    return Status::Ok();
  });
}

Result<Record> RiskService::Accept(const Principal& p, int64_t id,
                                   std::optional<int64_t> expected_version,
                                   const AcceptanceInput& input) {
  if (p.InAccountSetup()) {
    return PermissionDenied("finish setting up your account before making changes");
  }
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  const auto& risks = domain::Risks();
  ASSIGN_OR_RETURN(Record risk, store_.Get(risks, p.org_id, id));
  if (!expected_version) {
    return Status(Code::kPreconditionRequired,
                  "say which version of the risk you are deciding on (If-Match)");
  }
  if (*expected_version != risk.version) {
    return Conflict(
        fmt::format("risk {} changed since you loaded it (it is at version {}); "
                    "read it again before deciding",
                    id, risk.version));
  }
  if (input.decision != "accepted" && input.decision != "rejected") {
    return InvalidArgument("decision must be accepted or rejected", "decision");
  }
  const long comment_length = Utf8Length(input.comment);
  if (comment_length < 0 || comment_length > 2000) {
    return InvalidArgument("comment must be valid text of at most 2,000 characters", "comment");
  }
  if (input.decision == "rejected" && Trim(input.comment).empty()) {
    return InvalidArgument("say why the risk is not accepted", "comment");
  }
  ASSIGN_OR_RETURN(auto in_force, InForce(p.org_id));
  const domain::RiskLevel* level_ptr = nullptr;
  RETURN_IF_ERROR(DecisionAllowed(p, in_force.methodology, risk.fields, &level_ptr));
  const domain::RiskLevel& level = *level_ptr;
  const store::Actor actor = registers_.ActorFor(p);
  // The scales' labels travel with the snapshot: it reads as it was decided on even after
  // another methodology is approved.
  Json snapshot = {{"risk_id", risk.id},
                   {"risk_version", risk.version},
                   {"fields", risk.fields},
                   {"level", level.name},
                   {"methodology_version",
                    in_force.record ? in_force.record->fields["version_number"] : Json("default")},
                   {"scales", domain::ScaleLabels(in_force.methodology)}};
  const auto& spec = domain::RiskAcceptances();
  Json acceptance = {{"risk", risk.id},
                     {"risk_title", risk.fields["title"]},
                     {"decision", input.decision},
                     {"level", level.name},
                     {"comment", Trim(input.comment).empty() ? Json() : Json(Trim(input.comment))},
                     {"decided_by", p.user_id},
                     {"decided_at", actor.now},
                     {"snapshot", snapshot.dump(-1, ' ', false, Json::error_handler_t::replace)}};
  std::vector<store::Mutation> mutations = {
      {.kind = store::Mutation::Kind::kInsert,
       .spec = &spec,
       .fields = acceptance,
       .action = input.decision == "accepted" ? "accept" : "reject",
       .diff = domain::DiffFields(spec, Json(), acceptance)}};
  if (input.decision == "accepted") {
    Json fields = risk.fields;
    fields["acceptance"] = std::string(domain::kAcceptanceCurrent);
    fields["status"] = std::string(domain::kRiskAccepted);
    mutations.push_back({.kind = store::Mutation::Kind::kUpdate,
                         .spec = &risks,
                         .id = risk.id,
                         .expected_version = risk.version,
                         .fields = fields,
                         .action = "accept",
                         .diff = domain::DiffFields(risks, risk.fields, fields)});
  }
  ASSIGN_OR_RETURN(auto written, store_.Write(actor, mutations));
  return written.front();
}

Status RiskService::CheckMayDecide(const Principal& p, const Record& risk) {
  if (p.InAccountSetup()) {
    return PermissionDenied("finish setting up your account before making changes");
  }
  if (p.read_only) return PermissionDenied("a read-only token cannot decide on a risk");
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(auto in_force, InForce(p.org_id));
  return DecisionAllowed(p, in_force.methodology, risk.fields, nullptr);
}

Status RiskService::CheckMayUpdateActionStatus(const Principal& p, const Record& risk,
                                               int64_t row) {
  const Json& actions = risk.fields["actions"];
  if (!actions.is_array() || row < 0 || row >= static_cast<int64_t>(actions.size())) {
    return Status(Code::kNotFound, fmt::format("risk {} has no treatment action {}", risk.id, row),
                  "row");
  }
  Status whole = RegisterService::CheckCanWrite(p, domain::Risks(), &risk.fields, nullptr);
  if (whole.ok() || p.InAccountSetup() || !p.Can(domain::Permission::kEditOwnRecords)) {
    return whole;
  }
  // records:edit-own reaches an action whose owner is the caller, though the risk names them
  // nowhere else: its status, not the risk.
  const Json& action = actions[static_cast<size_t>(row)];
  const Json owner = action.is_object() ? action.value("owner", Json()) : Json();
  if (owner.is_number_integer() && owner.get<int64_t>() == p.user_id) return Status::Ok();
  return PermissionDenied(
      fmt::format("your role ({}) may change the status only of treatment actions naming you as "
                  "their owner",
                  domain::InfoOf(p.role).label));
}

Result<Record> RiskService::UpdateTreatmentActionStatus(const Principal& p, int64_t risk_id,
                                                        int64_t row,
                                                        std::optional<int64_t> expected_version,
                                                        const std::string& status) {
  const auto& risks = domain::Risks();
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(Record risk, store_.Get(risks, p.org_id, risk_id));
  RETURN_IF_ERROR(CheckMayUpdateActionStatus(p, risk, row));
  if (!expected_version) {
    return Status(Code::kPreconditionRequired,
                  "say which version of the risk you are changing (If-Match: the risk's ETag)");
  }
  if (*expected_version != risk.version) {
    return Conflict(fmt::format(
        "risk {} is at version {}, not {}: it was changed by someone else; reload and try again",
        risk_id, risk.version, *expected_version));
  }
  const domain::FieldSpec* status_spec = nullptr;
  for (const auto& c : risks.Field("actions")->columns) {
    if (c.name == "status") status_spec = &c;
  }
  std::string allowed;
  bool known = false;
  for (const auto& c : status_spec->choices) {
    known = known || c.value == status;
    allowed += (allowed.empty() ? "" : ", ") + c.value;
  }
  if (!known) return InvalidArgument(fmt::format("status must be one of {}", allowed), "status");
  Json fields = risk.fields;
  fields["actions"][static_cast<size_t>(row)]["status"] = status;
  std::vector<FieldError> errors;
  RETURN_IF_ERROR(registers_.Prepare(p, risks, fields, &risk.fields, errors));
  if (!errors.empty()) return FirstError(errors);
  Json diff = domain::DiffFields(risks, risk.fields, fields);
  if (diff.empty()) return risk;  // already so: no new version, no event
  std::vector<store::Mutation> mutations = {{.kind = store::Mutation::Kind::kUpdate,
                                             .spec = &risks,
                                             .id = risk.id,
                                             .expected_version = risk.version,
                                             .fields = fields,
                                             .action = "update",
                                             .diff = diff}};
  ASSIGN_OR_RETURN(auto written, store_.Write(registers_.ActorFor(p), mutations));
  return written.front();
}

Result<Record> RiskService::RecordReview(const Principal& p, int64_t cycle_id, int64_t risk_id,
                                         const std::string& changes) {
  if (p.InAccountSetup()) {
    return PermissionDenied("finish setting up your account before making changes");
  }
  RETURN_IF_ERROR(Require(p, domain::Permission::kEditRecords));
  const auto& cycles = domain::RiskAssessments();
  const auto& risks = domain::Risks();
  const long length = Utf8Length(changes);
  if (length < 0 || length > 2000) {
    return InvalidArgument("what changed must be valid text of at most 2,000 characters",
                           "changes");
  }
  if (Trim(changes).empty()) {
    return InvalidArgument("say what changed (or that nothing did)", "changes");
  }
  ASSIGN_OR_RETURN(Record cycle, store_.Get(cycles, p.org_id, cycle_id));
  if (cycle.fields["status"] != "open") {
    return FailedPrecondition("this assessment cycle is closed");
  }
  ASSIGN_OR_RETURN(Record risk, store_.Get(risks, p.org_id, risk_id));
  ASSIGN_OR_RETURN(auto in_force, InForce(p.org_id));
  const std::string today = FormatDate(clock_.Now());
  Json cycle_fields = cycle.fields;
  Json reviews = cycle_fields["reviews"].is_array() ? cycle_fields["reviews"] : Json::array();
  const Json& level = risk.fields["residual_level"].is_null() ? risk.fields["inherent_level"]
                                                              : risk.fields["residual_level"];
  reviews.push_back({{"risk", risk.id},
                     {"title", risk.fields["title"]},
                     {"reviewed_on", today},
                     {"reviewed_by", p.user_id},
                     {"residual_level", level},
                     {"changes", std::string(Trim(changes))}});
  cycle_fields["reviews"] = reviews;
  Json risk_fields = risk.fields;
  risk_fields["last_assessed"] = today;
  risk_fields["next_review"] = AddMonths(today, in_force.methodology.assessment_interval_months);
  const store::Actor actor = registers_.ActorFor(p);
  std::vector<store::Mutation> mutations = {
      {.kind = store::Mutation::Kind::kUpdate,
       .spec = &cycles,
       .id = cycle.id,
       .expected_version = cycle.version,
       .fields = cycle_fields,
       .action = "review",
       .diff = domain::DiffFields(cycles, cycle.fields, cycle_fields)},
      {.kind = store::Mutation::Kind::kUpdate,
       .spec = &risks,
       .id = risk.id,
       .expected_version = risk.version,
       .fields = risk_fields,
       .action = "assess",
       .diff = domain::DiffFields(risks, risk.fields, risk_fields)}};
  ASSIGN_OR_RETURN(auto written, store_.Write(actor, mutations));
  return written.front();
}

Result<Record> RiskService::CloseCycle(const Principal& p, int64_t cycle_id,
                                       std::optional<int64_t> expected_version,
                                       const std::string& summary) {
  if (p.InAccountSetup()) {
    return PermissionDenied("finish setting up your account before making changes");
  }
  RETURN_IF_ERROR(Require(p, domain::Permission::kEditRecords));
  const auto& cycles = domain::RiskAssessments();
  ASSIGN_OR_RETURN(Record cycle, store_.Get(cycles, p.org_id, cycle_id));
  if (!expected_version) {
    return Status(Code::kPreconditionRequired, "say which version you are closing (If-Match)");
  }
  if (*expected_version != cycle.version) {
    return Conflict(fmt::format("assessment cycle {} changed since you loaded it", cycle_id));
  }
  if (cycle.fields["status"] != "open") {
    return FailedPrecondition("this assessment cycle is closed already");
  }
  Json fields = cycle.fields;
  if (!Trim(summary).empty()) fields["summary"] = std::string(Trim(summary));
  const long length = fields["summary"].is_string() ? Utf8Length(Str(fields["summary"])) : 0;
  if (length <= 0 || length > 10000) {
    return InvalidArgument("write the cycle's summary (at most 10,000 characters) to close it",
                           "summary");
  }
  fields["status"] = "closed";
  fields["closed_on"] = FormatDate(clock_.Now());
  const store::Actor actor = registers_.ActorFor(p);
  ASSIGN_OR_RETURN(
      auto written,
      store_.Write(actor, {{.kind = store::Mutation::Kind::kUpdate,
                            .spec = &cycles,
                            .id = cycle.id,
                            .expected_version = cycle.version,
                            .fields = fields,
                            .action = "close",
                            .diff = domain::DiffFields(cycles, cycle.fields, fields)}}));
  return written.front();
}

Result<int> RiskService::LoadCatalogue(const Principal& p, const domain::RegisterSpec& spec) {
  const bool threats = &spec == &domain::Threats();
  if (!threats && &spec != &domain::Vulnerabilities()) {
    return InvalidArgument("only threats and vulnerabilities have a shipped catalogue");
  }
  if (p.InAccountSetup()) {
    return PermissionDenied("finish setting up your account before making changes");
  }
  RETURN_IF_ERROR(Require(p, domain::Permission::kEditRecords));
  std::set<std::string> present;
  RETURN_IF_ERROR(ForEachPage(store_, spec, p.org_id, {}, [&](std::vector<Record>& page) {
    for (const auto& r : page) present.insert(Str(r.fields["ref"]));
    return Status::Ok();
  }));
  std::vector<store::Mutation> mutations;
  for (const auto& e : threats ? domain::ThreatCatalogue() : domain::VulnerabilityCatalogue()) {
    if (present.count(e.ref) != 0) continue;
    Json input = {{"ref", e.ref},
                  {"name", e.name},
                  {"category", e.category},
                  {"description", e.description},
                  {"annex_controls", e.controls}};
    std::vector<FieldError> errors;
    Json fields = domain::ValidateFields(spec, input, domain::WriteMode::kCreate, nullptr, errors);
    if (!errors.empty()) {
      return Internal(fmt::format("catalogue entry {}: {}: {}", e.ref, errors.front().field,
                                  errors.front().message));
    }
    mutations.push_back({.kind = store::Mutation::Kind::kInsert,
                         .spec = &spec,
                         .fields = fields,
                         .action = "create",
                         .diff = domain::DiffFields(spec, Json(), fields)});
  }
  if (mutations.empty()) return 0;
  RETURN_IF_ERROR(store_.Write(registers_.ActorFor(p), mutations).status());
  return static_cast<int>(mutations.size());
}

Result<HeatMap> RiskService::Heat(const Principal& p, bool residual,
                                  const domain::ListQuery& query) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(auto in_force, InForce(p.org_id));
  HeatMap out;
  out.methodology = std::move(in_force.methodology);
  const auto& m = out.methodology;
  out.counts.assign(m.likelihood.size(), std::vector<int64_t>(m.impact.size(), 0));
  const std::string prefix = residual ? "residual" : "inherent";
  // Every risk: from the counts the store keeps per organisation; a filtered map counts.
  const bool all = query.filters.empty() && query.search.empty();
  ASSIGN_OR_RETURN(auto groups, all ? store_.RiskRatingCounts(p.org_id, residual)
                                    : store_.CountBy(domain::Risks(), p.org_id, query,
                                                     {prefix + "_likelihood", prefix + "_impact"}));
  for (const auto& g : groups) {
    const Json& l = g.values[0];
    const Json& i = g.values[1];
    if (!l.is_number_integer() || !i.is_number_integer() || l.get<int64_t>() < 1 ||
        i.get<int64_t>() < 1 || l.get<size_t>() > m.likelihood.size() ||
        i.get<size_t>() > m.impact.size()) {
      out.unrated += g.count;
      continue;
    }
    out.counts[l.get<size_t>() - 1][i.get<size_t>() - 1] += g.count;
  }
  return out;
}

namespace {

// Appends the plan's rows of `r` when it needs treatment (one per action, or one without).
void AppendTreatmentRows(Record& r, const std::string& today, std::vector<TreatmentRow>& out) {
  if (!domain::NeedsTreatment(r.fields)) return;
  const Json actions = r.fields["actions"];
  if (!actions.is_array() || actions.empty()) {
    out.push_back({std::move(r), nullptr, false});
    return;
  }
  for (const auto& a : actions) out.push_back({r, a, domain::IsActionOverdue(a, today)});
}

bool InTreatment(const Record& r) {
  const std::string status = r.fields.value("status", std::string());
  return status == domain::kRiskAnalysed || status == domain::kRiskTreatmentPlanned ||
         status == domain::kRiskTreated;
}

}  // namespace

void NarrowToTreatmentPlan(domain::ListQuery& query) {
  query.filters.push_back({"status", Json::array({std::string(domain::kRiskAnalysed),
                                                  std::string(domain::kRiskTreatmentPlanned),
                                                  std::string(domain::kRiskTreated)})});
  Json options = Json::array({nullptr});  // not chosen yet
  for (const auto& c : domain::Risks().Field("treatment")->choices) {
    if (c.value != "retain") options.push_back(c.value);
  }
  query.filters.push_back({"treatment", std::move(options)});
}

Result<TreatmentPlanPage> RiskService::TreatmentPlan(const Principal& p, domain::ListQuery query) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  NarrowToTreatmentPlan(query);
  ASSIGN_OR_RETURN(auto page, store_.List(domain::Risks(), p.org_id, query));
  const std::string today = FormatDate(clock_.Now());
  TreatmentPlanPage out{.next_cursor = std::move(page.next_cursor),
                        .prev_cursor = std::move(page.prev_cursor),
                        .risks = page.total,
                        .risks_capped = page.total_capped};
  for (auto& r : page.records) AppendTreatmentRows(r, today, out.rows);
  return out;
}

Result<std::string> RiskService::ExportTreatmentPlan(const Principal& p, std::string_view format,
                                                     domain::ListQuery query) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(const ExportFormat kind, ParseExportFormat(format));
  ASSIGN_OR_RETURN(const auto members, store_.ListMembers(p.org_id));
  NarrowToTreatmentPlan(query);
  const std::string today = FormatDate(clock_.Now());
  SheetWriter out(kind, "Risk treatment plan");
  std::vector<TreatmentRow> rows;
  RETURN_IF_ERROR(ForEachPage(store_, domain::Risks(), p.org_id, query, [&](auto& page) {
    rows.clear();
    for (auto& r : page) AppendTreatmentRows(r, today, rows);
    return out.Add(SheetOfPlan(rows, members));
  }));
  RETURN_IF_ERROR(out.Add(SheetOfPlan({}, members)));  // the header of an empty plan
  return out.Finish();
}

Result<ExportSheet> RiskService::TreatmentPlanSheet(const Principal& p, std::vector<Record> risks,
                                                    const std::string& day) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(const auto members, store_.ListMembers(p.org_id));
  std::vector<TreatmentRow> plan;
  for (auto& r : risks) {
    if (InTreatment(r)) AppendTreatmentRows(r, day, plan);
  }
  return SheetOfPlan(plan, members);
}

ExportSheet RiskService::SheetOfPlan(const std::vector<TreatmentRow>& plan,
                                     const std::vector<domain::UserSummary>& members) {
  auto name = [&](const Json& id) -> std::string {
    if (!id.is_number_integer()) return "";
    for (const auto& m : members) {
      if (m.id == id.get<int64_t>()) return m.username;
    }
    return std::to_string(id.get<int64_t>());
  };
  auto text = [](const Json& v) -> std::string {
    return v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump();
  };
  ExportSheet sheet;
  sheet.header = {"risk_number",    "risk",      "risk_owner",    "inherent_level",
                  "residual_level", "treatment", "risk_status",   "action",
                  "action_owner",   "due",       "action_status", "overdue"};
  auto& rows = sheet.rows;
  for (const auto& row : plan) {
    const Json& f = row.risk.fields;
    const Json& a = row.action.is_null() ? Json::object() : row.action;
    rows.push_back({text(f["number"]), text(f["title"]), name(f["owner"]),
                    text(f["inherent_level"]), text(f["residual_level"]), text(f["treatment"]),
                    text(f["status"]), text(a.value("action", Json())),
                    name(a.value("owner", Json())), text(a.value("due", Json())),
                    text(a.value("status", Json())), row.overdue ? "yes" : "no"});
  }
  return sheet;
}

}  // namespace rampart::app
