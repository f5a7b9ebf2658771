#include "app/monitoring.h"

namespace rampart::app {

StoreGauges ReadStoreGauges(store::Store& store) {
  StoreGauges g;
  g.pool = store.Pool();
  auto length = store.AuditChainLength();
  if (length.ok()) g.chain_length = *length;
  g.statements = store.StatementCount();  // after the statement above: it is counted
  return g;
}

}  // namespace rampart::app
