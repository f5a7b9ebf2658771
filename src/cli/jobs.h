// The background jobs of `serve` (audit checkpoints, reminder passes, scheduled backups) tell how
// each run went, for GET /metrics (rampart_scheduler_runs_total).
#pragma once

#include <functional>

namespace rampart::cli {

// Called after each run of a job: whether it did all it had to.
using JobRun = std::function<void(bool ok)>;

}  // namespace rampart::cli
