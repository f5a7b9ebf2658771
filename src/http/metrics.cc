#include "http/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <mutex>
#include <string>

#include "app/monitoring.h"
#include "base/memory.h"

namespace rampart::http {

namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

// Seconds: the list budget is 5 ms, a report's 10 s.
const Histogram::BucketBoundaries& LatencyBuckets() {
  static const Histogram::BucketBoundaries buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,    1,     2.5,  5,     10,   30};
  return buckets;
}

}  // namespace

struct Metrics::State {
  app::Services& services;
  std::function<size_t()> open_connections;
  prometheus::Registry registry;
  Family<Counter>& requests = prometheus::BuildCounter()
                                  .Name("rampart_http_requests_total")
                                  .Help("Requests answered, by route template, method and status")
                                  .Register(registry);
  Family<Histogram>& latency = prometheus::BuildHistogram()
                                   .Name("rampart_http_request_duration_seconds")
                                   .Help("Time to answer a request, by route template and method")
                                   .Register(registry);
  Family<Gauge>& connections = prometheus::BuildGauge()
                                   .Name("rampart_http_connections_open")
                                   .Help("Client connections open now")
                                   .Register(registry);
  Family<Gauge>& pool = prometheus::BuildGauge()
                            .Name("rampart_db_pool_connections")
                            .Help(
                                "Database connections: the most the pool opens (size), open "
                                "now (open) and open but unused (idle)")
                            .Register(registry);
  Family<Counter>& pool_waits = prometheus::BuildCounter()
                                    .Name("rampart_db_pool_waits_total")
                                    .Help("Requests that waited for a database connection")
                                    .Register(registry);
  Family<Counter>& statements = prometheus::BuildCounter()
                                    .Name("rampart_db_statements_total")
                                    .Help("SQL statements run")
                                    .Register(registry);
  Family<Gauge>& chain = prometheus::BuildGauge()
                             .Name("rampart_audit_chain_length")
                             .Help("Events in the audit trail's hash chain (-1: unreadable)")
                             .Register(registry);
  Family<Counter>& jobs = prometheus::BuildCounter()
                              .Name("rampart_scheduler_runs_total")
                              .Help("Runs of the background jobs, by job and outcome")
                              .Register(registry);
  Family<Gauge>& memory = prometheus::BuildGauge()
                              .Name("process_resident_memory_bytes")
                              .Help("Resident memory of the process")
                              .Register(registry);
  // Counters read from the store as totals: what was added to the exposition so far.
  std::mutex mu;
  uint64_t statements_seen = 0;
  uint64_t waits_seen = 0;

  State(app::Services& s, std::function<size_t()> open)
      : services(s), open_connections(std::move(open)) {}
};

Metrics::Metrics(app::Services& services, std::function<size_t()> open_connections)
    : state_(std::make_unique<State>(services, std::move(open_connections))) {
  // The jobs' series exist from the start, at 0, so a rate over them is defined at once.
  for (const char* job : {"checkpoint", "reminders", "backup"}) {
    for (const char* outcome : {"ok", "failed"}) {
      state_->jobs.Add({{"job", job}, {"outcome", outcome}});
    }
  }
}

Metrics::~Metrics() = default;

void Metrics::CountRequest(std::string_view route, std::string_view method, int status,
                           double seconds) {
  const std::string r = route.empty() ? "(none)" : std::string(route);
  const std::string m(method);
  state_->requests.Add({{"route", r}, {"method", m}, {"status", std::to_string(status)}})
      .Increment();
  state_->latency.Add({{"route", r}, {"method", m}}, LatencyBuckets()).Observe(seconds);
}

void Metrics::CountJobRun(std::string_view job, bool ok) {
  state_->jobs.Add({{"job", std::string(job)}, {"outcome", ok ? "ok" : "failed"}}).Increment();
}

std::string Metrics::Render() {
  State& s = *state_;
  const app::StoreGauges g = app::ReadStoreGauges(s.services.store);
  {
    const std::lock_guard lock(s.mu);
    s.connections.Add({}).Set(static_cast<double>(s.open_connections ? s.open_connections() : 0));
    s.pool.Add({{"state", "size"}}).Set(g.pool.size);
    s.pool.Add({{"state", "open"}}).Set(g.pool.open);
    s.pool.Add({{"state", "idle"}}).Set(g.pool.idle);
    s.pool_waits.Add({}).Increment(static_cast<double>(g.pool.waits - s.waits_seen));
    s.waits_seen = g.pool.waits;
    s.statements.Add({}).Increment(static_cast<double>(g.statements - s.statements_seen));
    s.statements_seen = g.statements;
    s.chain.Add({}).Set(static_cast<double>(g.chain_length));
    s.memory.Add({}).Set(static_cast<double>(ResidentBytes()));
  }
  return prometheus::TextSerializer().Serialize(s.registry.Collect());
}

}  // namespace rampart::http
