// What monitoring (GET /metrics) reads of the database at each scrape.
#pragma once

#include <cstdint>

#include "store/store.h"

namespace rampart::app {

struct StoreGauges {
  store::PoolStats pool;
  uint64_t statements = 0;    // SQL statements run since start
  int64_t chain_length = -1;  // events in the audit chain; -1 when it could not be read
};

// One statement (the chain's length); the rest is counted in memory.
StoreGauges ReadStoreGauges(store::Store& store);

}  // namespace rampart::app
