// GET /metrics: what an operator's Prometheus scrapes, in its text exposition format.
//
// Requests by route template (never by path: a path holds record ids), method and status, with
// latency histograms; connections open; the database pool; SQL statements run; the audit chain's
// length; runs of the background jobs (checkpoints, reminders, backups) by outcome; the process's
// resident memory. Kept with prometheus-cpp's registry and serialiser (the library stays inside
// metrics.cc). Thread-safe: requests are counted from every transport thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "app/services.h"

namespace rampart::http {

class Metrics {
 public:
  // The database's gauges (pool, statements, chain length) and `open_connections` (the
  // transport's count) are read at each scrape.
  Metrics(app::Services& services, std::function<size_t()> open_connections);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One answered request: the template of the route that answered ("" when none did), its
  // method, status and time taken.
  void CountRequest(std::string_view route, std::string_view method, int status, double seconds);
  // One run of background job `job` ("checkpoint", "reminders", "backup"): ok or failed.
  void CountJobRun(std::string_view job, bool ok);
  // The exposition (text format 0.0.4) as of now.
  std::string Render();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace rampart::http
