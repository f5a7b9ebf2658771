#include "app/metric_service.h"

#include <algorithm>

#include "app/access_control.h"
#include "domain/planning.h"

namespace rampart::app {

using domain::Json;

std::string MetricService::Today() const { return FormatDate(clock_.Now()); }

Result<std::map<int64_t, domain::MetricStatus>> MetricService::Statuses(
    const Principal& p, const std::vector<domain::Record>& metrics) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  std::map<int64_t, domain::MetricStatus> out;
  if (metrics.empty()) return out;
  std::vector<int64_t> ids;
  for (const auto& m : metrics) ids.push_back(m.id);
  ASSIGN_OR_RETURN(auto latest, store_.LatestPerGroup(domain::Measurements(), p.org_id, "metric",
                                                      ids, "measured_on"));
  std::map<int64_t, const Json*> by_metric;
  for (const auto& m : latest) by_metric[m.fields["metric"].get<int64_t>()] = &m.fields;
  const std::string today = Today();
  for (const auto& m : metrics) {
    const auto it = by_metric.find(m.id);
    out[m.id] = domain::ComputeMetricStatus(m.fields, it == by_metric.end() ? nullptr : it->second,
                                            m.created_at, today);
  }
  return out;
}

Result<MetricService::MetricWithStatus> MetricService::StatusOf(const Principal& p, int64_t id) {
  ASSIGN_OR_RETURN(auto metric, registers_.Get(p, domain::Metrics(), id));
  ASSIGN_OR_RETURN(auto statuses, Statuses(p, {metric}));
  return MetricWithStatus{std::move(metric), statuses[id]};
}

Result<domain::Page> MetricService::MeasurementsOf(const Principal& p, int64_t id,
                                                   domain::ListQuery query) {
  RETURN_IF_ERROR(registers_.Get(p, domain::Metrics(), id).status());
  query.filters.push_back({"metric", Json(id)});
  return registers_.List(p, domain::Measurements(), query);
}

Result<domain::Record> MetricService::AddMeasurement(const Principal& p, int64_t id, Json input,
                                                     std::vector<domain::FieldError>* errors) {
  RETURN_IF_ERROR(registers_.Get(p, domain::Metrics(), id).status());
  if (!input.is_object()) input = Json::object();
  input["metric"] = id;
  return registers_.Create(p, domain::Measurements(), input, errors);
}

Result<MetricService::Series> MetricService::Recent(const Principal& p, int64_t id, int limit) {
  domain::ListQuery q;
  q.sort = "measured_on";
  q.descending = true;
  q.limit = std::clamp(limit, 1, 500);
  q.with_total = true;
  ASSIGN_OR_RETURN(auto page, MeasurementsOf(p, id, q));
  Series out;
  out.measurements = std::move(page.records);
  std::reverse(out.measurements.begin(), out.measurements.end());
  out.total = page.total.value_or(static_cast<int64_t>(out.measurements.size()));
  return out;
}

Result<std::vector<domain::Record>> MetricService::OfObjective(const Principal& p,
                                                               int64_t objective_id) {
  RETURN_IF_ERROR(registers_.Get(p, domain::Objectives(), objective_id).status());
  domain::ListQuery q;
  q.filters.push_back({"objective", Json(objective_id)});
  q.sort = "title";
  q.limit = 100;
  ASSIGN_OR_RETURN(auto page, registers_.List(p, domain::Metrics(), q));
  return std::move(page.records);
}

Status MetricService::OnMeasurementWrite(const Principal& p, Json& fields, const Json*,
                                         std::vector<domain::FieldError>& errors) {
  const Json on = fields.value("measured_on", Json());
  if (on.is_string() && on.get<std::string>() > Today()) {
    errors.push_back({"measured_on", "a measurement cannot be dated in the future"});
  }
  const Json metric = fields.value("metric", Json());
  if (metric.is_number_integer()) {
    auto m = store_.Get(domain::Metrics(), p.org_id, metric.get<int64_t>());
    if (m.ok() && m->fields["status"] == "retired") {
      errors.push_back({"metric", "the metric is retired: make it active to measure it again"});
    }
  }
  return Status::Ok();
}

}  // namespace rampart::app
