// Clauses 6.1.2, 6.1.3, 8.2 and 8.3, risk assessment and treatment: the descriptions and rules of
// their registers.
//   assets                 (Assets), with dependencies on other assets
//   threats, vulnerabilities (Threats, Vulnerabilities), seeded from the shipped catalogues
//   the risk methodology   (RiskMethodologies), one record per version, approved as a document
//   risks                  (Risks), inherent and residual ratings, treatment and its actions
//   applied controls       (AppliedControls), what the organisation does, linked to Annex A
//   risk acceptances       (RiskAcceptances), written only by the acceptance workflow
//   risk assessments       (RiskAssessments), the assessment cycles of 8.2
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/register.h"
#include "domain/risk_methodology.h"

namespace rampart::domain {

const RegisterSpec& Assets();
const RegisterSpec& Threats();
const RegisterSpec& Vulnerabilities();
const RegisterSpec& RiskMethodologies();
const RegisterSpec& Risks();
const RegisterSpec& AppliedControls();
const RegisterSpec& RiskAcceptances();
const RegisterSpec& RiskAssessments();

// The field `annex_controls` of a register whose records link to Annex A controls (applied
// controls, threats, a framework's controls): a set of the 93 controls, `help` saying what the
// link means.
FieldSpec AnnexALinks(std::string help);

// Risk lifecycle states.
inline constexpr std::string_view kRiskIdentified = "identified";
inline constexpr std::string_view kRiskAnalysed = "analysed";
inline constexpr std::string_view kRiskTreatmentPlanned = "treatment_planned";
inline constexpr std::string_view kRiskTreated = "treated";
inline constexpr std::string_view kRiskAccepted = "accepted";
inline constexpr std::string_view kRiskClosed = "closed";

// Acceptance state of a risk (its `acceptance` field).
inline constexpr std::string_view kAcceptanceCurrent = "accepted";
inline constexpr std::string_view kAcceptanceStale = "stale";

// The methodology a methodology record describes; `errors` receives every problem, each naming
// the record's field ("risk_levels[2].colour", "matrix_cells[0].level").
RiskMethodology MethodologyFromRecord(const Json& fields, std::vector<FieldError>& errors);
// The record fields that describe `m` (the score rule is not recoverable from a matrix, so every
// cell is written out as a cell; DefaultMethodologyFields keeps the default's score rule).
Json DefaultMethodologyFields();

// The fields of a risk whose change makes its current acceptance stale: ratings, applied
// controls, treatment option and actions.
const std::vector<std::string>& AcceptanceRelevantFields();

// What a risk needs before it can be accepted (empty when it can): residual ratings (or
// inherent ones when there are no controls), a treatment option, an owner.
std::vector<FieldError> AcceptanceProblems(const Json& risk);

// Treatment actions not done or cancelled whose due date is before `today`.
bool IsActionOverdue(const Json& action, std::string_view today);
// True when the risk calls for treatment: an option other than retain, or no option yet once
// analysed, and the risk is not closed.
bool NeedsTreatment(const Json& risk);

}  // namespace rampart::domain
