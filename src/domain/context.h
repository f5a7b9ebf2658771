// Clause 4, context of the organisation: the descriptions and rules of its three registers.
//   4.1 context issues        (ContextIssues)
//   4.2 interested parties    (InterestedParties), their requirements held as rows
//   4.3 the ISMS scope        (ScopeStatements), one record per version of the statement
#pragma once

#include <string_view>

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& ContextIssues();
const RegisterSpec& InterestedParties();
const RegisterSpec& ScopeStatements();

// Why a scope statement cannot be approved yet (empty when it can): it must say what is in scope.
std::vector<FieldError> ScopeApprovalProblems(const Json& fields);

}  // namespace rampart::domain
