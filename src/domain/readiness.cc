#include "domain/readiness.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "domain/annex_a.h"
#include "domain/context.h"
#include "domain/documents.h"
#include "domain/improvement.h"
#include "domain/internal_audit.h"
#include "domain/leadership.h"
#include "domain/management_review.h"
#include "domain/monitoring.h"
#include "domain/operation.h"
#include "domain/planning.h"
#include "domain/registers.h"
#include "domain/risk.h"
#include "domain/support.h"
#include "domain/tasks.h"

namespace rampart::domain {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kBlocker:
      return "blocker";
    case Severity::kMajor:
      return "major";
    case Severity::kMinor:
      return "minor";
  }
  return "";
}

int SeverityWeight(Severity s) {
  switch (s) {
    case Severity::kBlocker:
      return 5;
    case Severity::kMajor:
      return 3;
    case Severity::kMinor:
      return 1;
  }
  return 0;
}

namespace {

using M = Filter::Match;

Condition Is(std::string field, Json value) { return {.field = std::move(field), .value = value}; }
Condition Empty(std::string field) { return {.field = std::move(field), .value = Json()}; }
Condition Open() { return {.field = "status", .open = true}; }
Condition Before(std::string field, Day day) {
  return {.field = std::move(field), .match = M::kBefore, .day = day};
}
Condition Since(std::string field, Day day) {
  return {.field = std::move(field), .match = M::kOnOrAfter, .day = day};
}

ReadinessCheck Query(std::string id, std::string clause, Severity sev, const RegisterSpec& spec,
                     std::vector<Condition> where, Expect expect, std::string title,
                     std::string looks_at, std::string fix, std::string fix_href) {
  return {.id = std::move(id),
          .clause = std::move(clause),
          .severity = sev,
          .title = std::move(title),
          .looks_at = std::move(looks_at),
          .fix = std::move(fix),
          .fix_href = std::move(fix_href),
          .spec = &spec,
          .where = std::move(where),
          .expect = expect};
}

ReadinessCheck RuleCheck(std::string id, std::string clause, Severity sev, Rule rule,
                         std::string title, std::string looks_at, std::string fix,
                         std::string fix_href) {
  return {.id = std::move(id),
          .clause = std::move(clause),
          .severity = sev,
          .title = std::move(title),
          .looks_at = std::move(looks_at),
          .fix = std::move(fix),
          .fix_href = std::move(fix_href),
          .expect = Expect::kRule,
          .rule = rule};
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

constexpr auto kBlocker = Severity::kBlocker;
constexpr auto kMajor = Severity::kMajor;
constexpr auto kMinor = Severity::kMinor;
constexpr auto kNone = Expect::kNone;
constexpr auto kSome = Expect::kSome;

// Registers whose overdue records have a check of their own above (not generated).
bool HasOwnDueCheck(const RegisterSpec& spec) { return &spec == &Nonconformities(); }

// Periodic reviews whose lapse is more than a minor finding.
Severity ReviewSeverity(const RegisterSpec& spec) { return &spec == &Risks() ? kMajor : kMinor; }
Severity DueSeverity(const RegisterSpec& spec) {
  return &spec == &Objectives() || &spec == &InternalAudits() ? kMajor : kMinor;
}

std::vector<ReadinessCheck> MakeChecks() {
  std::vector<ReadinessCheck> c;
  // --- Clause 4: context, interested parties, scope
  c.push_back(Query("4.1-issues", "4.1", kMajor, ContextIssues(), {Open()}, kSome,
                    "Internal and external issues are determined",
                    "context issues that are active or monitored",
                    "Record the issues relevant to the ISMS's purpose.", "/context-issues/new"));
  c.push_back(Query("4.2-parties", "4.2", kMajor, InterestedParties(), {Open()}, kSome,
                    "Interested parties and their requirements are determined",
                    "interested parties still relevant",
                    "Record the interested parties and what they require.",
                    "/interested-parties/new"));
  c.push_back(Query("4.3-scope-approved", "4.3", kBlocker, ScopeStatements(),
                    {Is("status", "approved")}, kSome, "The ISMS scope is approved",
                    "the approved version of the ISMS scope",
                    "Write the scope statement and have it approved.", "/scope"));
  // --- Clause 5: leadership
  c.push_back(Query("5.1-commitment", "5.1", kMajor, Commitments(), {}, kSome,
                    "Top management's commitment is on record",
                    "the commitments log (approvals and sign-offs by top management)",
                    "Have top management approve the policy, grant resources or sign off "
                    "objectives; each approval is logged.",
                    "/commitments"));
  c.push_back(Query("5.2-policy-published", "5.2", kBlocker, Documents(),
                    {Is("type", "isms_policy"), Is("status", "published")}, kSome,
                    "The information security policy is approved and published",
                    "published documents of type information security policy",
                    "Write the policy, have top management approve it and publish it.",
                    "/documents/new?type=isms_policy"));
  c.push_back(
      Query("5.2-policy-acknowledged", "5.2", kMajor, DocumentAcknowledgements(),
            {Is("status", "pending"), Condition{.field = "document", .isms_policies = true}}, kNone,
            "The information security policy is acknowledged by its distribution",
            "acknowledgements of the published information security policy still waiting",
            "Remind the people named to read and acknowledge the policy.",
            "/document-acknowledgements?status=pending"));
  c.push_back(Query("7.3-acknowledged", "7.3", kMinor, DocumentAcknowledgements(),
                    {Is("status", "pending")}, kNone,
                    "Published documents are acknowledged by their distribution",
                    "acknowledgements of any published document still waiting",
                    "Remind the people named to read and acknowledge what was published to them.",
                    "/document-acknowledgements?status=pending"));
  c.push_back(RuleCheck("5.3-roles-held", "5.3", kBlocker, Rule::kRolesHeld,
                        "Every ISMS role is assigned", "active ISMS roles and their holders",
                        "Name at least one holder for each active role (or retire the role).",
                        "/isms-roles"));
  c.push_back(RuleCheck("5.3-top-management", "5.1", kMajor, Rule::kTopManagement,
                        "Top management holds a role in the ISMS",
                        "active ISMS roles marked top management, and their holders",
                        "Mark the roles of top management and name who holds them.",
                        "/isms-roles"));
  c.push_back(RuleCheck("5.3-raci", "5.3", kMajor, Rule::kRaci,
                        "Every active ISMS process has a role accountable",
                        "active ISMS processes and their accountable role",
                        "Name the role accountable for each process (the RACI matrix).", "/raci"));
  // --- Clause 6: risk assessment and treatment, SoA, objectives, changes
  c.push_back(Query("6.1.2-methodology", "6.1.2", kBlocker, RiskMethodologies(),
                    {Is("status", "approved")}, kSome,
                    "The risk assessment method and acceptance criteria are approved",
                    "the approved version of the risk methodology",
                    "Set the scales, levels and acceptance criteria and have them approved.",
                    "/risk-methodology"));
  c.push_back(Query("6.1.2-risks", "6.1.2", kBlocker, Risks(), {Open()}, kSome,
                    "Information security risks are identified", "risks not closed",
                    "Identify the risks to the assets in scope.", "/risks/new"));
  c.push_back(Query("6.1.2-risk-owner", "6.1.2", kMajor, Risks(), {Open(), Empty("owner")}, kNone,
                    "Every risk has an owner", "risks not closed without an owner",
                    "Name the owner of each risk.", "/risks?owner="));
  c.push_back(Query("6.1.2-risk-level", "6.1.2", kMajor, Risks(), {Open(), Empty("inherent_level")},
                    kNone, "Every risk is analysed to a level",
                    "risks not closed without an inherent likelihood and impact",
                    "Rate each risk's likelihood and impact.", "/risks?status=identified"));
  c.push_back(
      Query("6.1.3-risk-treated", "6.1.3", kMajor, Risks(),
            {Is("status", Json::array({std::string(kRiskIdentified), std::string(kRiskAnalysed)})),
             Condition{.field = "inherent_level", .levels_to_treat = true}},
            kNone, "Every risk above the acceptance criteria is treated or accepted",
            "risks identified or analysed at a level the criteria do not let be retained",
            "Choose a treatment and plan it, or have the risk accepted by whom the "
            "criteria name.",
            "/risks/treatment-plan"));
  c.push_back(Query("6.1.3-acceptance-current", "6.1.3", kMajor, Risks(),
                    {Is("acceptance", "stale")}, kNone, "Every risk acceptance is current",
                    "risks changed since they were accepted",
                    "Have each risk accepted again, or treat it.", "/risks?acceptance=stale"));
  c.push_back(RuleCheck("6.1.3-soa-decided", "6.1.3", kBlocker, Rule::kSoaDecided,
                        "Every Annex A control is decided in the SoA",
                        "the Statement of Applicability's 93 lines",
                        "Decide whether each control applies, with reasons or a justification.",
                        "/soa?applicable=undecided"));
  c.push_back(RuleCheck("6.1.3-soa-approved", "6.1.3", kBlocker, Rule::kSoaApproved,
                        "The Statement of Applicability is approved", "the SoA's approved versions",
                        "Have top management approve the statement as a version.",
                        "/soa/versions"));
  c.push_back(RuleCheck("6.1.3-soa-current", "6.1.3", kMajor, Rule::kSoaCurrent,
                        "The SoA's approved version is newer than the last change to risks",
                        "when the SoA was last approved and when a risk last changed",
                        "Review the statement against the risks and approve it again.",
                        "/soa/versions"));
  c.push_back(RuleCheck("6.1.3-soa-covered", "6.1.3", kMajor, Rule::kSoaCovered,
                        "Every applicable control is applied or planned",
                        "applicable Annex A controls and the applied controls naming them",
                        "Link an applied control (planned, if not in place yet) to each "
                        "applicable Annex A control.",
                        "/controls/new"));
  c.push_back(
      Query("6.2-objectives", "6.2", kBlocker, Objectives(),
            {Is("status", Json::array({"planned", "in_progress", "achieved", "not_achieved"}))},
            kSome, "Information security objectives are set", "objectives not cancelled",
            "Set measurable objectives consistent with the policy.", "/objectives/new"));
  c.push_back(Query("6.2-objective-owner", "6.2", kMajor, Objectives(),
                    {Is("status", Json::array({"planned", "in_progress"})), Empty("owner")}, kNone,
                    "Every objective has someone responsible",
                    "planned or ongoing objectives without an owner",
                    "Name who is responsible for each objective.", "/objectives"));
  c.push_back(RuleCheck("6.2-objective-target", "6.2", kMinor, Rule::kObjectiveTargets,
                        "Every objective has a measurable target",
                        "planned or ongoing objectives and their target value",
                        "Give each objective a target, its unit and direction.", "/objectives"));
  c.push_back(RuleCheck("6.3-changes-reassessed", "6.3", kMinor, Rule::kChangesReassessed,
                        "Risks affected by planned changes are reassessed on time",
                        "approved changes and the date their risks were to be reassessed by",
                        "Reassess the affected risks and move the change on.", "/changes"));
  // --- Clause 7: support
  c.push_back(Query("7.1-resources", "7.1", kMajor, Resources(),
                    {Is("status", Json::array({"granted", "in_place"}))}, kSome,
                    "Resources for the ISMS are provided", "resources granted or in place",
                    "Record the people, budget and tools the ISMS is given.", "/resources/new"));
  c.push_back(Query("7.2-requirements", "7.2", kMajor, CompetenceRequirements(), {Open()}, kSome,
                    "The competence the ISMS roles need is determined",
                    "active competence requirements",
                    "Say what each ISMS role needs to know and how it is shown.",
                    "/competence-requirements/new"));
  c.push_back(RuleCheck("7.2-competence-gaps", "7.2", kMajor, Rule::kCompetenceGaps,
                        "Every competence gap has an action",
                        "the competence matrix: people holding roles against their requirements",
                        "Plan a training or other action for each missing competence.",
                        "/competence-matrix"));
  c.push_back(Query("7.2-planned-on-time", "7.2", kMinor, CompetenceRecords(),
                    {Is("status", "planned"), Before("due", Day::kToday)}, kNone,
                    "Planned competence actions are completed on time",
                    "planned competence records past their due date",
                    "Complete the action, or plan it again with a new date.",
                    "/competence-records?status=planned"));
  c.push_back(Query(
      "7.3-awareness", "7.3", kMajor, AwarenessCampaigns(),
      {Is("status", Json::array({std::string(kCampaignLaunched), std::string(kCampaignClosed)}))},
      kSome, "People are made aware of the policy and their part", "awareness campaigns launched",
      "Launch an awareness campaign on the policy for all staff.", "/awareness-campaigns/new"));
  c.push_back(Query("7.4-communications", "7.4", kMajor, Communications(), {Open()}, kSome,
                    "Communication of the ISMS is planned", "active communications",
                    "Plan what is communicated, when, with whom and by whom.",
                    "/communications/new"));
  c.push_back(RuleCheck("7.4-communications-made", "7.4", kMajor, Rule::kCommunicationsMade,
                        "Planned communications are made on time",
                        "active communications, their frequency and their log",
                        "Make each overdue communication and record it in its log.",
                        "/communications"));
  c.push_back(RuleCheck("7.5.1-mandatory-met", "7.5.1", kBlocker, Rule::kMandatoryMet,
                        "Every mandatory documented information exists",
                        "what the standard requires documented, and what meets it",
                        "Close each gap: the page names what is missing.",
                        "/mandatory-documentation"));
  c.push_back(RuleCheck("7.5.1-mandatory-in-date", "7.5.1", kMajor, Rule::kMandatoryInDate,
                        "Mandatory documents are reviewed in time",
                        "mandatory documented information met only by documents past review",
                        "Review the documents and publish them again, or set their next review.",
                        "/mandatory-documentation"));
  c.push_back(Query("7.5-documents-published", "7.5", kMinor, Documents(),
                    {Is("status", "unpublished")}, kNone, "Every controlled document is in force",
                    "documents never published", "Approve and publish each document, or retire it.",
                    "/documents?status=unpublished"));
  // --- Clause 8: operation
  c.push_back(Query("8.1-activities", "8.1", kMajor, OperationalActivities(), {Open()}, kSome,
                    "Operational processes are planned",
                    "active operational activities (the recurring work of the controls)",
                    "Plan the recurring activities that operate the controls.",
                    "/operational-activities/new"));
  c.push_back(Query("8.1-controls-effective", "8.1", kMajor, AppliedControls(),
                    {Is("status", "not_effective")}, kNone, "No applied control is ineffective",
                    "applied controls found not effective",
                    "Correct the control (a nonconformity) and record it effective again.",
                    "/controls?status=not_effective"));
  c.push_back(RuleCheck("8.1-activities-performed", "8.1", kMajor, Rule::kActivitiesPerformed,
                        "Planned operational activities are carried out on time",
                        "active operational activities, their frequency and their occurrences",
                        "Carry out each missed activity and record its occurrence.",
                        "/operational-activities"));
  c.push_back(RuleCheck("8.1-evidence-current", "8.1", kMajor, Rule::kEvidenceCurrent,
                        "Evidence of implemented controls is in date",
                        "implemented applied controls and the expiry of their evidence files",
                        "Upload current evidence for each control (its expiry set).",
                        "/controls?status=implemented"));
  c.push_back(RuleCheck("8.1-soa-effective", "8.1", kMajor, Rule::kSoaEffective,
                        "No applicable Annex A control is ineffective",
                        "the SoA's implementation status of applicable controls",
                        "Correct the applied controls found not effective.",
                        "/soa?status=not_effective"));
  c.push_back(RuleCheck("8.1-soa-implemented", "8.1", kMinor, Rule::kSoaImplemented,
                        "Every applicable Annex A control is implemented",
                        "the SoA's implementation status of applicable controls",
                        "Carry out the planned controls and record them implemented.", "/soa"));
  c.push_back(RuleCheck("8.2-assessment-cycle", "8.2", kMajor, Rule::kAssessmentCycle,
                        "Risks were assessed within the last 12 months",
                        "risk assessment cycles and when they were closed",
                        "Run an assessment cycle: review each risk and close the cycle.",
                        "/risk-assessments/new"));
  c.push_back(Query("A.5.9-assets", "A.5.9", kMajor, Assets(), {}, kSome,
                    "An inventory of information and assets is kept", "the asset register",
                    "Record the assets in scope with their owners.", "/assets/new"));
  c.push_back(Query("A.5.9-asset-owner", "A.5.9", kMinor, Assets(), {Empty("owner")}, kNone,
                    "Every asset has an owner", "assets without an owner",
                    "Name the owner of each asset.", "/assets"));
  c.push_back(
      Query("A.5.24-incidents-triaged", "A.5.24", kMinor, Incidents(),
            {Is("status", std::string(kIncidentReported)), Before("reported_on", Day::kMonthAgo)},
            kNone, "Reported incidents are assessed promptly",
            "incidents reported more than 30 days ago and not yet triaged",
            "Triage each incident: name its handler and assess it.", "/incidents?status=reported"));
  c.push_back(
      RuleCheck("A.5.22-supplier-certificates", "A.5.22", kMinor, Rule::kSupplierCertificates,
                "Suppliers' certificates are in date",
                "active suppliers and the latest certificate expiry their assessments record",
                "Obtain each renewed certificate and record it with an assessment.", "/suppliers"));
  // --- Clause 9: performance evaluation
  c.push_back(Query("9.1-metrics", "9.1", kMajor, Metrics(), {Open()}, kSome,
                    "What is monitored and measured is determined", "active metrics",
                    "Define metrics: what, how, how often, who measures and evaluates.",
                    "/metrics/new"));
  c.push_back(
      Query("9.1-measured", "9.1", kMinor, Measurements(), {Since("measured_on", Day::kQuarterAgo)},
            kSome, "Measurements were taken in the last 3 months",
            "measurements of the last 3 months", "Record the metrics' measurements.", "/metrics"));
  c.push_back(Query("9.2-programme", "9.2", kBlocker, AuditProgrammes(), {Is("status", "active")},
                    kSome, "An internal audit programme is in force", "active audit programmes",
                    "Plan the programme: period, objectives, methods, reporting; activate it.",
                    "/audit-programmes/new"));
  c.push_back(
      Query("9.2-audit-done", "9.2", kBlocker, InternalAudits(),
            {Is("status", Json::array({std::string(kAuditReported), std::string(kAuditClosed)})),
             Since("actual_end", Day::kYearAgo)},
            kSome, "An internal audit was completed in the last 12 months",
            "internal audits reported or closed that ended in the last 12 months",
            "Carry out an internal audit and report it.", "/internal-audits/new"));
  c.push_back(RuleCheck("9.2-coverage", "9.2", kMajor, Rule::kAuditCoverage,
                        "The audit programme covers every clause",
                        "the coverage of the active programme's audits",
                        "Plan audits for the clauses no audit covers.", "/audit-programmes"));
  c.push_back(
      Query("9.3-review-held", "9.3", kBlocker, ManagementReviews(),
            {Is("status", Json::array({std::string(kReviewHeld), std::string(kReviewApproved)})),
             Since("review_date", Day::kYearAgo)},
            kSome, "A management review was held in the last 12 months",
            "management reviews held in the last 12 months",
            "Hold a management review with top management.", "/management-reviews/new"));
  c.push_back(Query("9.3-minutes-approved", "9.3", kMinor, ManagementReviews(),
                    {Is("status", std::string(kReviewHeld)), Before("review_date", Day::kMonthAgo)},
                    kNone, "Management review minutes are approved within 30 days",
                    "reviews held more than 30 days ago whose minutes are not approved",
                    "Comment every input, record the decisions and approve the minutes.",
                    "/management-reviews?status=held"));
  // --- Clause 10: improvement
  const Json nc_open = Json::array({std::string(kNcOpen), std::string(kNcActionPlanned),
                                    std::string(kNcActionDone), std::string(kNcVerified)});
  c.push_back(
      Query("10.2-major-overdue", "10.2", kBlocker, Nonconformities(),
            {Is("grade", "major"), Is("status", nc_open), Before("action_due", Day::kToday)}, kNone,
            "No major nonconformity is open past its due date",
            "major nonconformities not closed after their corrective actions were due",
            "Complete the corrective actions, review their effectiveness and close.",
            "/nonconformities?grade=major"));
  c.push_back(
      Query("10.2-minor-overdue", "10.2", kMajor, Nonconformities(),
            {Is("grade", "minor"), Is("status", nc_open), Before("action_due", Day::kToday)}, kNone,
            "No minor nonconformity is open past its due date",
            "minor nonconformities not closed after their corrective actions were due",
            "Complete the corrective actions, review their effectiveness and close.",
            "/nonconformities?grade=minor"));
  c.push_back(Query("10.2-reacted", "10.2", kMinor, Nonconformities(),
                    {Is("status", std::string(kNcOpen)), Before("detected_on", Day::kMonthAgo)},
                    kNone, "Nonconformities are acted on within 30 days",
                    "nonconformities detected more than 30 days ago still open without a plan",
                    "Record the reaction and root cause and plan the corrective action.",
                    "/nonconformities?status=open"));
  c.push_back(
      Query("10.2-effectiveness-reviewed", "10.2", kMinor, Nonconformities(),
            {Is("status", std::string(kNcActionDone)), Before("effectiveness_due", Day::kToday)},
            kNone, "Corrective actions are reviewed for effectiveness on time",
            "nonconformities whose action is done and whose review is past due",
            "Review the effectiveness of the corrective actions.",
            "/nonconformities?status=action_done"));
  c.push_back(Query("10.1-improvements-decided", "10.1", kMinor, Improvements(),
                    {Is("status", "proposed"), Before("raised_on", Day::kQuarterAgo)}, kNone,
                    "Opportunities for improvement are decided within 3 months",
                    "improvements proposed more than 3 months ago and not decided",
                    "Accept or reject each opportunity, saying why.",
                    "/improvements?status=proposed"));
  // --- Generated from the register descriptions: periodic reviews and due dates.
  for (const RegisterSpec* spec : AllRegisters()) {
    if (spec->Field("next_review") != nullptr && spec->Field("next_review")->filterable) {
      c.push_back(Query(spec->path + "-reviews", spec->clause, ReviewSeverity(*spec), *spec,
                        {Open(), Before("next_review", Day::kToday)}, kNone,
                        fmt::format("{} are reviewed on time", spec->plural),
                        fmt::format("{} past their next review", Lower(spec->plural)),
                        "Review each one and set its next review.",
                        fmt::format("/{}?sort=next_review", spec->path)));
    }
    if (spec->lifecycle && !spec->lifecycle->due_field.empty() && !HasOwnDueCheck(*spec)) {
      c.push_back(Query(spec->path + "-due", spec->clause, DueSeverity(*spec), *spec,
                        {Open(), Before(spec->lifecycle->due_field, Day::kToday)}, kNone,
                        fmt::format("{} are completed by their due date", spec->plural),
                        fmt::format("{} still open after their due date", Lower(spec->plural)),
                        "Complete each one, or agree a new date and record it.",
                        fmt::format("/{}", spec->path)));
    }
  }
  // In the order of the standard: clauses by number, Annex A last, stable within a clause.
  auto key = [](const ReadinessCheck& k) {
    std::vector<int> parts;
    const bool annex = k.clause.rfind("A.", 0) == 0;
    std::string rest = annex ? k.clause.substr(2) : k.clause;
    size_t at = 0;
    while (at < rest.size()) {
      size_t dot = rest.find('.', at);
      if (dot == std::string::npos) dot = rest.size();
      parts.push_back(std::atoi(rest.substr(at, dot - at).c_str()));
      at = dot + 1;
    }
    return std::pair{annex, parts};
  };
  std::stable_sort(c.begin(), c.end(), [&](const ReadinessCheck& a, const ReadinessCheck& b) {
    return key(a) < key(b);
  });
  return c;
}

std::string DayOf(Day d, std::string_view today) {
  switch (d) {
    case Day::kNone:
      return "";
    case Day::kToday:
      return std::string(today);
    case Day::kYearAgo:
      return AddMonths(today, -12);
    case Day::kQuarterAgo:
      return AddMonths(today, -3);
    case Day::kMonthAgo:
      return AddDays(today, -30);
  }
  return "";
}

Json OpenStates(const RegisterSpec& spec) {
  Json out = Json::array();
  const std::string field = spec.lifecycle ? spec.lifecycle->field : "status";
  const FieldSpec* f = spec.Field(field);
  if (f == nullptr) return out;
  for (const auto& choice : f->choices) {
    const auto& closed = spec.lifecycle ? spec.lifecycle->closed : std::vector<std::string>{};
    if (std::find(closed.begin(), closed.end(), choice.value) == closed.end()) {
      out.push_back(choice.value);
    }
  }
  return out;
}

bool Scalar(const Json& have, const Json& want) {
  if (have.is_number() && want.is_number()) return have.get<double>() == want.get<double>();
  return have == want;
}

bool ListHolds(const Json& list, const Json& want) {
  if (!list.is_array()) return false;
  return std::any_of(list.begin(), list.end(), [&](const Json& v) { return Scalar(v, want); });
}

bool IsEmptyValue(const Json& v) {
  return v.is_null() || (v.is_string() && v.get_ref<const std::string&>().empty()) ||
         (v.is_array() && v.empty());
}

}  // namespace

const std::vector<ReadinessCheck>& ReadinessChecks() {
  static const std::vector<ReadinessCheck> kChecks = MakeChecks();
  return kChecks;
}

const ReadinessCheck* FindReadinessCheck(std::string_view id) {
  for (const auto& c : ReadinessChecks()) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

std::string ReadinessGroup(const ReadinessCheck& c) {
  if (c.clause.rfind("A.", 0) == 0) return "A";
  return c.clause.substr(0, c.clause.find('.'));
}

const std::vector<ReadinessGroupTitle>& ReadinessGroups() {
  static const std::vector<ReadinessGroupTitle> kGroups = [] {
    std::vector<ReadinessGroupTitle> out;
    for (const auto& clause : IsoClauses()) {
      if (clause.parent.empty()) out.push_back({clause.id, clause.title});
    }
    out.push_back({"A", "Annex A controls"});
    return out;
  }();
  return kGroups;
}

std::vector<Filter> ReadinessFilters(const ReadinessCheck& c, const ReadinessFacts& facts,
                                     std::string_view day) {
  std::vector<Filter> out;
  for (const auto& cond : c.where) {
    Filter f{.field = cond.field, .value = cond.value, .match = cond.match};
    if (cond.open && c.spec != nullptr) f.value = OpenStates(*c.spec);
    if (cond.levels_to_treat) {
      f.value = Json::array();
      for (const auto& level : facts.levels_to_treat) f.value.push_back(level);
    }
    if (cond.isms_policies) f.value = Json(facts.isms_policies);
    if (cond.day != Day::kNone) f.value = DayOf(cond.day, day);
    out.push_back(std::move(f));
  }
  return out;
}

std::string OffenderOrder(const ReadinessCheck& c) {
  for (const auto& cond : c.where) {
    if (cond.match != Filter::Match::kBefore || c.spec == nullptr) continue;
    const FieldSpec* f = c.spec->Field(cond.field);
    return f != nullptr && f->sortable ? cond.field : "id";
  }
  return "id";
}

bool MatchesFilters(const RegisterSpec& spec, const std::vector<Filter>& filters,
                    const Json& fields) {
  for (const auto& f : filters) {
    const Json v = fields.is_object() ? fields.value(f.field, Json()) : Json();
    const FieldSpec* fs = spec.Field(f.field);
    if (f.match != Filter::Match::kEquals) {
      if (!v.is_string() || !f.value.is_string() || v.get_ref<const std::string&>().empty()) {
        return false;
      }
      const bool before = v.get_ref<const std::string&>() < f.value.get_ref<const std::string&>();
      if (before != (f.match == Filter::Match::kBefore)) return false;
      continue;
    }
    if (f.value.is_null()) {
      if (fs != nullptr && fs->type == FieldType::kBool) {
        if (v.is_boolean() && v.get<bool>()) return false;
        continue;
      }
      if (!IsEmptyValue(v)) return false;
      continue;
    }
    const bool list = fs != nullptr && fs->type == FieldType::kRefs;
    auto one = [&](const Json& want) {
      if (want.is_null()) return IsEmptyValue(v);  // in a list of values: or empty
      return list ? ListHolds(v, want) : Scalar(v, want);
    };
    if (f.value.is_array()) {
      if (!std::any_of(f.value.begin(), f.value.end(), one)) return false;
    } else if (!one(f.value)) {
      return false;
    }
  }
  return true;
}

std::string OffenderHref(const Offender& o) {
  if (o.type == "soa") return "/soa/" + o.key;
  if (o.type == "mandatory") return "/mandatory-documentation#req-" + o.key;
  if (o.type == "competence_requirement" && !o.key.empty()) return "/competence-matrix";
  if (o.type == "audit_programme" && !o.key.empty()) {
    return fmt::format("/audit-programmes/{}/coverage", o.id);
  }
  const RegisterSpec* spec = FindRegisterByType(o.type);
  return spec == nullptr ? std::string() : fmt::format("/{}/{}", spec->path, o.id);
}

CheckResult QueryResult(const ReadinessCheck& c, int64_t count, bool capped,
                        std::vector<Offender> offenders) {
  CheckResult r{.check = &c, .count = count, .count_capped = capped};
  const std::string plural = c.spec != nullptr ? Lower(c.spec->plural) : "records";
  const std::string singular = c.spec != nullptr ? Lower(c.spec->singular) : "record";
  if (c.expect == Expect::kSome) {
    r.passed = count > 0;
    if (!r.passed) r.detail = fmt::format("None found: {}.", c.looks_at);
    return r;
  }
  r.passed = count == 0;
  if (!r.passed) {
    r.offenders = std::move(offenders);
    if (r.offenders.size() > kReadinessOffenders) r.offenders.resize(kReadinessOffenders);
    r.detail = fmt::format("{}{} {}: {}.", count, capped ? "+" : "", count == 1 ? singular : plural,
                           c.looks_at);
  }
  return r;
}

namespace {

Offender SoaOffender(const SoaLine& l) {
  return {.type = "soa", .key = l.control->id, .title = l.control->id + " " + l.control->title};
}

Offender RecordOffender(const RegisterSpec& spec, const Record& r) {
  const Json& t = r.fields.value(spec.title_field, Json());
  return {.type = spec.type,
          .id = r.id,
          .title = t.is_string() ? t.get<std::string>() : fmt::format("#{}", r.id)};
}

CheckResult Listed(const ReadinessCheck& c, std::vector<Offender> all, std::string what) {
  CheckResult r{.check = &c, .passed = all.empty(), .count = static_cast<int64_t>(all.size())};
  if (!r.passed) {
    r.detail = fmt::format("{} {}.", all.size(), what);
    if (all.size() > kReadinessOffenders) all.resize(kReadinessOffenders);
    r.offenders = std::move(all);
  }
  return r;
}

bool Active(const Record& r) { return r.fields.value("status", Json()) == "active"; }

// The records of `spec` that `said` finds wanting, from their fields and what `by_id` holds
// for them (null: nothing): each named with what it says ("missed since 2026-03-10").
template <typename Map, typename Said>
std::vector<Offender> DatedOffenders(const RegisterSpec& spec, const std::vector<Record>& records,
                                     const Map& by_id, Said said) {
  std::vector<Offender> out;
  for (const auto& r : records) {
    const auto it = by_id.find(r.id);
    const std::string why = said(r.fields, it == by_id.end() ? nullptr : &it->second);
    if (why.empty()) continue;
    Offender o = RecordOffender(spec, r);
    o.title += " (" + why + ")";
    out.push_back(std::move(o));
  }
  return out;
}
bool Held(const Record& r) {
  const Json& h = r.fields.value("holders", Json());
  return h.is_array() && !h.empty();
}

}  // namespace

CheckResult EvaluateRule(const ReadinessCheck& c, const ReadinessFacts& f) {
  std::vector<Offender> out;
  switch (c.rule) {
    case Rule::kNone:
      break;
    case Rule::kSoaDecided:
      for (const auto& l : f.soa) {
        if (!l.entry.applicable) out.push_back(SoaOffender(l));
      }
      return Listed(c, std::move(out), "Annex A controls not decided");
    case Rule::kSoaApproved: {
      CheckResult r{.check = &c, .passed = f.soa_version > 0, .count = f.soa_version};
      if (!r.passed) r.detail = "No version of the statement has been approved.";
      return r;
    }
    case Rule::kSoaCurrent: {
      CheckResult r{.check = &c};
      r.passed = f.soa_version > 0 && f.last_risk_change <= f.soa_approved_at;
      if (f.soa_version == 0) {
        r.detail = "No version of the statement has been approved.";
      } else if (!r.passed) {
        r.detail =
            fmt::format("Version {} was approved at {}; a risk changed at {}.", f.soa_version,
                        f.soa_approved_at.substr(0, 16), f.last_risk_change.substr(0, 16));
      }
      return r;
    }
    case Rule::kSoaCovered:
      for (const auto& l : f.soa) {
        if (l.entry.applicable == true && l.applied_controls.empty()) {
          out.push_back(SoaOffender(l));
        }
      }
      return Listed(c, std::move(out), "applicable controls without an applied control");
    case Rule::kSoaEffective:
      for (const auto& l : f.soa) {
        if (l.entry.applicable == true && l.Status() == "not_effective") {
          out.push_back(SoaOffender(l));
        }
      }
      return Listed(c, std::move(out), "applicable controls not effective");
    case Rule::kSoaImplemented:
      for (const auto& l : f.soa) {
        if (l.entry.applicable == true && l.Status() != "implemented") {
          out.push_back(SoaOffender(l));
        }
      }
      return Listed(c, std::move(out), "applicable controls not implemented yet");
    case Rule::kRolesHeld: {
      int active = 0;
      for (const auto& r : f.roles) {
        if (!Active(r)) continue;
        ++active;
        if (!Held(r)) out.push_back(RecordOffender(IsmsRoles(), r));
      }
      if (active == 0) {
        CheckResult r{.check = &c, .passed = false};
        r.detail = "No active ISMS role is defined.";
        return r;
      }
      return Listed(c, std::move(out), "active ISMS roles without a holder");
    }
    case Rule::kTopManagement: {
      CheckResult r{.check = &c};
      for (const auto& role : f.roles) {
        if (Active(role) && role.fields.value("top_management", false) == true && Held(role)) {
          r.passed = true;
          r.count += 1;
        }
      }
      if (!r.passed) r.detail = "No active role marked top management has a holder.";
      return r;
    }
    case Rule::kRaci:
      for (const auto& p : f.processes) {
        if (Active(p) && p.fields.value("accountable", Json()).is_null()) {
          out.push_back(RecordOffender(IsmsProcesses(), p));
        }
      }
      return Listed(c, std::move(out), "active ISMS processes without a role accountable");
    case Rule::kMandatoryMet:
    case Rule::kMandatoryInDate: {
      const auto want =
          c.rule == Rule::kMandatoryMet ? MandatoryState::kGap : MandatoryState::kReviewOverdue;
      for (const auto& st : f.mandatory.items) {
        if (st.state != want) continue;
        const auto& q = *st.requirement;
        out.push_back(
            {.type = "mandatory",
             .key = q.id,
             .title = fmt::format("{} {}", q.annex_a ? "A." + q.clause : q.clause, q.what)});
      }
      return Listed(c, std::move(out),
                    c.rule == Rule::kMandatoryMet
                        ? "requirements for documented information not met"
                        : "requirements met only by documents past their review");
    }
    case Rule::kCompetenceGaps: {
      const auto& m = f.competence;
      for (size_t row = 0; row < m.cells.size(); ++row) {
        for (size_t col = 0; col < m.cells[row].size(); ++col) {
          if (m.cells[row][col].state != CompetenceState::kMissing) continue;
          const Json& title = m.requirements[col].fields.value("title", Json());
          out.push_back({.type = "competence_requirement",
                         .id = m.requirements[col].id,
                         .key = std::to_string(m.people[row]),
                         .title = fmt::format("{}: {}",
                                              f.people.count(m.people[row]) != 0
                                                  ? f.people.at(m.people[row])
                                                  : fmt::format("person #{}", m.people[row]),
                                              title.is_string() ? title.get<std::string>() : "")});
        }
      }
      return Listed(c, std::move(out), "competences missing without a planned action");
    }
    case Rule::kObjectiveTargets:
      for (const auto& o : f.objectives) {
        if (o.fields.value("target_value", Json()).is_null()) {
          out.push_back(RecordOffender(Objectives(), o));
        }
      }
      return Listed(c, std::move(out), "planned or ongoing objectives without a target");
    case Rule::kCommunicationsMade:
      return Listed(c,
                    DatedOffenders(Communications(), f.communications, f.last_communicated,
                                   [&](const Json& m, const std::string* last) -> std::string {
                                     if (!IsCommunicationOverdue(m, last ? *last : "", f.day)) {
                                       return "";
                                     }
                                     return last ? "last made " + *last : "never made";
                                   }),
                    "active communications overdue");
    case Rule::kActivitiesPerformed:
      return Listed(c,
                    DatedOffenders(OperationalActivities(), f.activities, f.last_performed,
                                   [&](const Json& a, const std::string* last) -> std::string {
                                     const std::string since =
                                         MissedSince(a, last ? *last : "", f.day);
                                     return since.empty() ? "" : "missed since " + since;
                                   }),
                    "active operational activities missed");
    case Rule::kEvidenceCurrent:
      return Listed(c,
                    DatedOffenders(AppliedControls(), f.implemented_controls, f.control_evidence,
                                   [&](const Json&, const EvidenceExpiry* ev) -> std::string {
                                     return ev != nullptr && ev->ExpiredBy(f.day)
                                                ? "evidence expired " + ev->latest
                                                : "";
                                   }),
                    "implemented controls whose evidence has all expired");
    case Rule::kSupplierCertificates:
      return Listed(c,
                    DatedOffenders(Suppliers(), f.suppliers, f.certificates_expire,
                                   [&](const Json& sup, const std::string* expires) -> std::string {
                                     const std::string on =
                                         expires ? CertificateExpiredOn(sup, *expires, f.day) : "";
                                     return on.empty() ? "" : "certificate expired " + on;
                                   }),
                    "active suppliers whose certificate has expired");
    case Rule::kChangesReassessed:
      for (const auto& ch : f.changes) {
        const Json& by = ch.fields.value("reassess_by", Json());
        if (by.is_string() && by.get<std::string>() < f.day) {
          out.push_back(RecordOffender(PlannedChanges(), ch));
        }
      }
      return Listed(c, std::move(out), "approved changes past their reassessment date");
    case Rule::kAssessmentCycle: {
      CheckResult r{.check = &c};
      const std::string year_ago = AddMonths(f.day, -12);
      for (const auto& cycle : f.cycles) {
        const Json& on = cycle.fields.value("closed_on", Json());
        if (on.is_string() && on.get<std::string>() >= year_ago) ++r.count;
      }
      r.passed = r.count > 0;
      if (!r.passed) r.detail = "No risk assessment cycle was closed in the last 12 months.";
      return r;
    }
    case Rule::kAuditCoverage: {
      if (f.programme_id == 0) {
        CheckResult r{.check = &c, .passed = false};
        r.detail = "No audit programme is active.";
        return r;
      }
      for (const auto& row : f.coverage.rows) {
        if (row.kind == "clause" && !row.heading && row.audits.empty()) {
          out.push_back({.type = "audit_programme",
                         .id = f.programme_id,
                         .key = row.id,
                         .title = row.id + " " + row.title});
        }
      }
      return Listed(c, std::move(out),
                    fmt::format("clauses no audit of {} covers", f.programme_title));
    }
  }
  return {.check = &c, .passed = true};
}

Readiness SummariseReadiness(std::string as_of, std::vector<CheckResult> results) {
  Readiness out{.as_of = std::move(as_of)};
  std::map<std::string, GroupReadiness> groups;
  for (const auto& g : ReadinessGroups()) groups[g.id] = {.id = g.id, .title = g.title};
  for (const auto& r : results) {
    auto& g = groups[ReadinessGroup(*r.check)];
    const int w = SeverityWeight(r.check->severity);
    g.checks += 1;
    g.weight += w;
    out.weight += w;
    if (r.passed) {
      g.passed += 1;
      g.weight_passed += w;
      out.weight_passed += w;
      out.passed += 1;
      continue;
    }
    switch (r.check->severity) {
      case Severity::kBlocker:
        g.blockers += 1;
        out.blockers += 1;
        break;
      case Severity::kMajor:
        g.majors += 1;
        out.majors += 1;
        break;
      case Severity::kMinor:
        g.minors += 1;
        out.minors += 1;
        break;
    }
  }
  for (const auto& g : ReadinessGroups()) {
    if (groups[g.id].checks > 0) out.groups.push_back(groups[g.id]);
  }
  out.results = std::move(results);
  return out;
}

Json ReadinessSummaryJson(const Readiness& r) {
  Json groups = Json::object();
  for (const auto& g : r.groups) groups[g.id] = g.Percent();
  return {{"percent", r.Percent()},
          {"blockers", r.blockers},
          {"majors", r.majors},
          {"minors", r.minors},
          {"groups", std::move(groups)}};
}

const std::vector<GuidedStage>& GuidedStages() {
  static const std::vector<GuidedStage> kStages = {
      {"context",
       "Context and scope",
       "The issues and interested parties that shape the ISMS, and its approved scope.",
       {"4.1-issues", "4.2-parties", "4.3-scope-approved"}},
      {"leadership",
       "Policy and roles",
       "The information security policy approved and published; roles assigned and accountable.",
       {"5.2-policy-published", "5.1-commitment", "5.3-roles-held", "5.3-top-management",
        "5.3-raci"}},
      {"method",
       "Risk method",
       "How risks are assessed and which levels may be accepted.",
       {"6.1.2-methodology"}},
      {"risks",
       "Assets and risks",
       "The assets in scope and their risks, owned and analysed.",
       {"A.5.9-assets", "6.1.2-risks", "6.1.2-risk-owner", "6.1.2-risk-level"}},
      {"treatment",
       "Treatment and SoA",
       "Each risk treated or accepted; every Annex A control decided, applied and approved.",
       {"6.1.3-risk-treated", "6.1.3-acceptance-current", "6.1.3-soa-decided", "6.1.3-soa-covered",
        "6.1.3-soa-approved"}},
      {"objectives",
       "Objectives",
       "Measurable objectives with someone responsible.",
       {"6.2-objectives", "6.2-objective-owner", "6.2-objective-target"}},
      {"support",
       "Support",
       "Resources, competence, awareness, communication and the mandatory documents.",
       {"7.1-resources", "7.2-requirements", "7.2-competence-gaps", "7.3-awareness",
        "7.4-communications", "7.5.1-mandatory-met"}},
      {"operation",
       "Operation",
       "The controls operated as planned, and the risks reassessed within the year.",
       {"8.1-activities", "8.1-controls-effective", "8.2-assessment-cycle", "9.1-metrics"}},
      {"audit",
       "Internal audit",
       "A programme covering every clause, and an audit completed.",
       {"9.2-programme", "9.2-audit-done", "9.2-coverage"}},
      {"review",
       "Management review",
       "Top management's review held and its minutes approved.",
       {"9.3-review-held", "9.3-minutes-approved"}},
      {"improvement",
       "Corrective actions",
       "Nonconformities acted on, on time, and their actions found effective.",
       {"10.2-major-overdue", "10.2-minor-overdue", "10.2-reacted", "10.2-effectiveness-reviewed"}},
      {"stage1",
       "Stage 1 readiness",
       "The documentation review: no blocker outstanding.",
       {},
       Severity::kBlocker},
      {"stage2",
       "Stage 2 readiness",
       "The certification audit: no blocker or major finding outstanding.",
       {},
       Severity::kMajor},
  };
  return kStages;
}

std::vector<StageProgress> GuidedProgress(const Readiness& r) {
  std::vector<StageProgress> out;
  for (const auto& stage : GuidedStages()) {
    StageProgress p{.stage = &stage};
    for (const auto& res : r.results) {
      const bool counts = stage.clear_to ? res.check->severity <= *stage.clear_to
                                         : std::find(stage.checks.begin(), stage.checks.end(),
                                                     res.check->id) != stage.checks.end();
      if (!counts) continue;
      ++p.checks;
      if (res.passed) {
        ++p.passed;
      } else {
        p.failed.push_back(&res);
      }
    }
    std::stable_sort(p.failed.begin(), p.failed.end(), [](const auto* a, const auto* b) {
      return a->check->severity < b->check->severity;
    });
    p.done = p.failed.empty();
    out.push_back(std::move(p));
  }
  return out;
}

const std::vector<SetupChoice>& OrganisationSizes() {
  static const std::vector<SetupChoice> kSizes = {{"1-10", "1 to 10 people"},
                                                  {"11-50", "11 to 50 people"},
                                                  {"51-250", "51 to 250 people"},
                                                  {"251-1000", "251 to 1,000 people"},
                                                  {"1001+", "More than 1,000 people"}};
  return kSizes;
}

const std::vector<SetupChoice>& OrganisationSectors() {
  static const std::vector<SetupChoice> kSectors = {{"software", "Software and IT services"},
                                                    {"finance", "Finance and insurance"},
                                                    {"health", "Health and care"},
                                                    {"public", "Public sector"},
                                                    {"manufacturing", "Manufacturing"},
                                                    {"retail", "Retail and e-commerce"},
                                                    {"telecom", "Telecommunications"},
                                                    {"energy", "Energy and utilities"},
                                                    {"education", "Education and research"},
                                                    {"professional", "Professional services"},
                                                    {"other", "Other"}};
  return kSectors;
}

Json FieldsBefore(const std::optional<Json>& now,
                  const std::vector<const AuditEvent*>& since_newest_first) {
  Json state = now ? *now : Json::object();
  for (const AuditEvent* e : since_newest_first) {
    if (!e->diff.is_object()) continue;
    for (const auto& [field, change] : e->diff.items()) {
      if (change.is_object() && change.contains("from")) state[field] = change["from"];
    }
  }
  return state;
}

}  // namespace rampart::domain
