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
// The newest event of the chain as a transaction appended it: a write appending many events
// reads the chain's end once (seq 0: not known yet; read it).
struct AuditTip {
  int64_t seq = 0;
  std::string hash;
};
// "?, ?, ?": one placeholder per value, each value appended to `params` in order.
template <typename T>
std::string BindList(const std::vector<T>& values, Params& params) {
  std::string out;
  for (const auto& v : values) {
    out += out.empty() ? "?" : ", ?";
    params.emplace_back(v);
  }
  return out;
}

// Every row of `rows`, each read by `read`.
template <typename Read>
auto ReadAll(SqlRows& rows, Read read) -> Result<std::vector<decltype(read(rows))>> {
  std::vector<decltype(read(rows))> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows.Next());
    if (!row) return out;
    out.push_back(read(rows));
  }
}

// Appends to the audit chain; the caller holds the write transaction, which serialises appends.
// With `tip`, starts from it when known and leaves it at the appended event.
Status AppendAuditTx(SqlConnection& conn, const AuditDraft& d, AuditTip* tip = nullptr);

// The Idempotency-Key of the request being served (sql_idempotency.cc), kept by its first write:
// an audit event of the transaction names its record; the claim is inserted before the commit;
// and the outcome of the commit is told.
void NoteAuditedRecord(const std::string& record_type, int64_t record_id);
Status KeepIdempotencyClaimTx(SqlConnection& conn);
void IdempotencyClaimCommitted(bool committed);

// Keeps `external_id` as the identifier in another system of record `record_id` (replacing its
// earlier one), or forgets the record's identifier when it was `deleted`; nothing when the
// identifier is empty and the record not deleted (sql_import.cc).
Status WriteExternalKey(SqlConnection& conn, int64_t org_id, const std::string& record_type,
                        int64_t record_id, const std::string& external_id, bool deleted);

}  // namespace rampart::store
