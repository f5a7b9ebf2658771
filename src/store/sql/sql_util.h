// Statement helpers shared by the translation units of SqlStore (sql_store.cc: registers, audit
// trail, copying; sql_identity.cc: organisations, people, credentials; sql_evidence.cc: evidence
// files; sql_soa.cc: the Statement of Applicability). Internal to the store.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "store/sql/driver.h"
#include "store/store.h"

namespace rampart::store {

using Params = std::vector<SqlValue>;

// Runs a statement whose rows are not needed.
Status Run(SqlConnection& conn, const std::string& sql, const Params& params);
// Runs a query expected to give at most one row; `found` says whether it did.
Result<std::unique_ptr<SqlRows>> One(SqlConnection& conn, const std::string& sql,
                                     const Params& params, bool& found);
// Appends to the audit chain; the caller holds the write transaction, which serialises appends.
Status AppendAuditTx(SqlConnection& conn, const AuditDraft& d);

}  // namespace rampart::store
