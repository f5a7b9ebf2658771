// SqlStore: creates sent with an Idempotency-Key (store/idempotency.h). The key is inserted by the
// write transaction it guards (KeepIdempotencyClaimTx, called by InWriteTx before its commit);
// the answer is added after it is sent.
#include "store/idempotency.h"

#include <fmt/format.h>

#include "store/sql/sql_store.h"
#include "store/sql/sql_util.h"

namespace rampart::store {

namespace {
thread_local IdempotencyClaim* t_claim = nullptr;
}  // namespace

IdempotencyScope::IdempotencyScope(IdempotencyClaim& claim) : previous_(t_claim) {
  t_claim = &claim;
}
IdempotencyScope::~IdempotencyScope() { t_claim = previous_; }

void NoteAuditedRecord(const std::string& record_type, int64_t record_id) {
  IdempotencyClaim* c = t_claim;
  if (c == nullptr || c->kept || c->pending) return;
  c->pending = true;
  c->pending_type = record_type;
  c->pending_id = record_id;
}

Status KeepIdempotencyClaimTx(SqlConnection& conn) {
  IdempotencyClaim* c = t_claim;
  if (c == nullptr || c->kept || !c->pending) return Status::Ok();
  // Keys past their day are forgotten here, by the writes that add keys (an index on created_at).
  RETURN_IF_ERROR(Run(conn, "DELETE FROM idempotency_keys WHERE created_at < ?", {c->expired}));
  Status st =
      Run(conn,
          "INSERT INTO idempotency_keys (user_id, idem_key, org_id, request_hash, "
          "created_at, record_type, record_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {c->user_id, c->key, c->org_id, c->request_hash, c->at, c->pending_type, c->pending_id});
  if (st.code() == Code::kAlreadyExists) {
    // A request with the same key was carried out meanwhile (requests sent at once): this one is
    // rolled back, and sending it again gives the other's answer.
    return FailedPrecondition(
        "a request with this Idempotency-Key was carried out meanwhile; send it again to get "
        "its answer");
  }
  return st;
}

void IdempotencyClaimCommitted(bool committed) {
  IdempotencyClaim* c = t_claim;
  if (c == nullptr || c->kept || !c->pending) return;
  if (committed) {
    c->kept = true;
    c->record_type = c->pending_type;
    c->record_id = c->pending_id;
  }
  c->pending = false;
}

Result<std::optional<IdempotentRequest>> SqlStore::FindIdempotencyKey(
    int64_t user_id, const std::string& key, const std::string& not_before) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto row, One(*conn,
                                 "SELECT org_id, request_hash, created_at, record_type, "
                                 "record_id, status, content_type, location, body FROM "
                                 "idempotency_keys WHERE user_id = ? AND idem_key = ? AND "
                                 "created_at >= ?",
                                 {user_id, key, not_before}, found));
  if (!found) return std::optional<IdempotentRequest>();
  IdempotentRequest r;
  r.org_id = row->Int(0);
  r.request_hash = row->Text(1);
  r.created_at = row->Text(2);
  r.record_type = row->Text(3);
  r.record_id = row->Int(4);
  if (!row->IsNull(5)) {
    r.status = static_cast<int>(row->Int(5));
    r.content_type = row->Text(6);
    r.location = row->Text(7);
    r.body = row->Blob(8);
  }
  return std::optional<IdempotentRequest>(std::move(r));
}

Status SqlStore::KeepIdempotentAnswer(int64_t user_id, const std::string& key,
                                      const IdempotentRequest& answer) {
  return InWriteTx([&](SqlConnection& conn) {
    return Run(conn,
               "UPDATE idempotency_keys SET status = ?, content_type = ?, location = ?, body = ? "
               "WHERE user_id = ? AND idem_key = ?",
               {int64_t{answer.status}, answer.content_type, answer.location, SqlBlob{answer.body},
                user_id, key});
  });
}

}  // namespace rampart::store
