// Idempotency-Key: a create the client may send again (its answer was lost: a timeout, a 503 while
// the database restarted at the commit) without making a second record.
//
// The key is kept by the write it guards, in the same transaction: the caller sets an
// IdempotencyClaim for the thread that serves the request (IdempotencyScope), and the first write
// transaction that appends an audit event on that thread also inserts the key, naming the record
// of its first event. So the key is committed exactly when the create is, whatever happens to the
// answer. A second request with the key finds it (Store::FindIdempotencyKey) and is answered from
// it instead of being carried out again.
#pragma once

#include <cstdint>
#include <string>

namespace rampart::store {

struct IdempotencyClaim {
  // Set by the caller.
  int64_t user_id = 0;
  int64_t org_id = 0;
  std::string key;
  std::string request_hash;  // what the request asked (see the migration's comment)
  std::string at;            // now (UTC, ISO 8601): created_at of the key
  std::string expired;       // keys created before this are forgotten
  // Set by the store: the record of the first audit event of the transaction being written (kept
  // only when that transaction commits), and whether the key was committed with it.
  std::string pending_type;
  int64_t pending_id = 0;
  bool pending = false;
  bool kept = false;
  std::string record_type;
  int64_t record_id = 0;
};

// Sets the thread's claim for its lifetime (requests are served on one thread each).
class IdempotencyScope {
 public:
  explicit IdempotencyScope(IdempotencyClaim& claim);
  ~IdempotencyScope();
  IdempotencyScope(const IdempotencyScope&) = delete;
  IdempotencyScope& operator=(const IdempotencyScope&) = delete;

 private:
  IdempotencyClaim* previous_;
};

}  // namespace rampart::store
