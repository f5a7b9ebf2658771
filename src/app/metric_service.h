// Clause 9.1 beyond its registers: a metric's measurements, read and added to through it, and
// where each metric stands (domain::ComputeMetricStatus decides; this reads the latest
// measurements, one statement for any number of metrics).
//
// Errors: kPermissionDenied (the role may not read, or add measurements), kNotFound (no such
// metric or objective in the caller's organisation), kInvalidArgument with the field (a refused
// measurement: "value", "measured_on", "metric"), store failures as they come. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app/principal.h"
#include "app/register_service.h"
#include "base/clock.h"
#include "domain/monitoring.h"
#include "store/store.h"

namespace rampart::app {

class MetricService {
 public:
  MetricService(store::Store& store, const Clock& clock, RegisterService& registers)
      : store_(store), clock_(clock), registers_(registers) {}

  // The status of each of `metrics` today, by id: their latest measurements read in one
  // statement, whatever the number of metrics.
  Result<std::map<int64_t, domain::MetricStatus>> Statuses(
      const Principal& p, const std::vector<domain::Record>& metrics);
  // Metric `id` and its status.
  struct MetricWithStatus {
    domain::Record metric;
    domain::MetricStatus status;
  };
  Result<MetricWithStatus> StatusOf(const Principal& p, int64_t id);
  // The measurements of metric `id` matching `query` (its filters, sort and page).
  Result<domain::Page> MeasurementsOf(const Principal& p, int64_t id, domain::ListQuery query);
  // Adds a measurement to metric `id` (the input's own `metric` is replaced); `errors` receives
  // the field errors of a refusal.
  Result<domain::Record> AddMeasurement(const Principal& p, int64_t id, domain::Json input,
                                        std::vector<domain::FieldError>* errors = nullptr);
  // What the trend chart draws: the latest `limit` measurements of metric `id`, oldest first,
  // and how many it has in all. Two statements, whatever the number of measurements.
  struct Series {
    std::vector<domain::Record> measurements;
    int64_t total = 0;
  };
  Result<Series> Recent(const Principal& p, int64_t id, int limit);
  // The metrics that measure objective `id` (the first 100 by title). kNotFound for an
  // objective of no record or of another organisation.
  Result<std::vector<domain::Record>> OfObjective(const Principal& p, int64_t objective_id);

  // The write hook of measurements: refuses one dated after today ("measured_on") or of a
  // retired metric ("metric").
  Status OnMeasurementWrite(const Principal& p, domain::Json& fields, const domain::Json* before,
                            std::vector<domain::FieldError>& errors);
  std::string Today() const;

 private:
  store::Store& store_;
  const Clock& clock_;
  RegisterService& registers_;
};

}  // namespace rampart::app
