// Clause 9.1 beyond the register routes (which /api/v1/metrics and /api/v1/measurements get
// from their descriptions):
//   GET  /api/v1/metrics/status              the status of a page of metrics (the metrics list's
//                                            parameters): on target, warning, off target, due
//   GET  /api/v1/metrics/{id}/status         one metric's status
//   GET  /api/v1/metrics/{id}/measurements   its measurements, newest first
//   POST /api/v1/metrics/{id}/measurements   adding one
#include <fmt/format.h>

#include "app/record_codec.h"
#include "domain/monitoring.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;

namespace {

Json OrNullText(const std::string& s) { return s.empty() ? Json() : Json(s); }

Json StatusToJson(const domain::MetricStatus& s) {
  return {{"result", domain::MetricResultName(s.result)},
          {"due", s.due},
          {"next_due", OrNullText(s.next_due)},
          {"value", s.value ? Json(*s.value) : Json()},
          {"measured_on", OrNullText(s.measured_on)}};
}

Json PageParams() {
  return Json::array({{{"name", "cursor"}, {"in", "query"}, {"schema", kString}},
                      {{"name", "limit"},
                       {"in", "query"},
                       {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}}}}});
}

Json PageOf(const Json& item) {
  return Object({{"data", ArrayOf(item)}, {"next_cursor", OrNull(kString)}},
                Json::array({"data", "next_cursor"}));
}

}  // namespace

void AddMetricSchemas(Json& schemas) {
  schemas["MetricStatus"] = ObjectOfAll(
      {{"result",
        {{"type", "string"},
         {"enum", {"no_data", "on_target", "warning", "off_target"}},
         {"description",
          "the latest measurement against the target in the metric's direction: off target "
          "past the warning threshold (or without one), warning short of the target"}}},
       {"due", Described(kBoolean, "an active metric whose next measurement is today or past")},
       {"next_due", Described(OrNull(kString),
                              "the latest measurement (or the start) plus the "
                              "frequency")},
       {"value", Described(OrNull({{"type", "number"}}), "the latest measurement's value")},
       {"measured_on", Described(OrNull(kString), "the latest measurement's date")}});
  schemas["MetricWithStatus"] =
      ObjectOfAll({{"id", kInteger}, {"title", kString}, {"status", Ref("MetricStatus")}});
}

void RegisterMetricApiRoutes(Router& router) {
  const domain::RegisterSpec& metrics = domain::Metrics();
  const domain::RegisterSpec& measurements = domain::Measurements();
  const Json tags = Json::array({metrics.plural});
  router.Get("/api/v1/metrics/status", kRead,
             Doc({{"summary", "The status of metrics"},
                  {"description",
                   "A page of metrics (the metrics list's filters, sort and cursor) each with its "
                   "status today; their latest measurements are read in one statement."},
                  {"tags", tags},
                  {"operationId", "metric_statuses"},
                  {"parameters", PageParams()},
                  {"responses", Merge({{"200", JsonResponse("a page of metrics with their status",
                                                            PageOf(Ref("MetricWithStatus")))}},
                                      ErrorResponses({400, 401, 403}))}}),
             [&metrics](Request& r) {
               auto q = ParseListQuery(metrics, r.http);
               if (!q.ok()) return WriteJsonError(r.res, q.status());
               auto page = r.services.registers.List(r.principal, metrics, *q);
               if (!page.ok()) return WriteJsonError(r.res, page.status());
               auto statuses = r.services.metrics.Statuses(r.principal, page->records);
               if (!statuses.ok()) return WriteJsonError(r.res, statuses.status());
               Json data = Json::array();
               for (const auto& m : page->records) {
                 data.push_back({{"id", m.id},
                                 {"title", m.fields["title"]},
                                 {"status", StatusToJson(statuses->at(m.id))}});
               }
               WriteJson(
                   r.res, 200,
                   {{"data", std::move(data)},
                    {"next_cursor", page->next_cursor.empty() ? Json() : Json(page->next_cursor)}});
             });
  router.Get(R"(/api/v1/metrics/(\d+)/status)", kRead,
             Doc({{"summary", "A metric's status"},
                  {"description",
                   "Where the metric stands today: its latest measurement against the target, "
                   "and whether a measurement is due."},
                  {"tags", tags},
                  {"operationId", "metric_status"},
                  {"responses",
                   Merge({{"200", JsonResponse("the metric's status", Ref("MetricWithStatus"))}},
                         ErrorResponses({401, 403, 404}))}},
                 Json::array({PathParam("id", "the metric")})),
             [](Request& r) {
               auto s = r.services.metrics.StatusOf(r.principal, r.PathId());
               if (!s.ok()) return WriteJsonError(r.res, s.status());
               WriteJson(r.res, 200,
                         {{"id", s->metric.id},
                          {"title", s->metric.fields["title"]},
                          {"status", StatusToJson(s->status)}});
             });
  const std::string path = R"(/api/v1/metrics/(\d+)/measurements)";
  const std::string entry = SchemaName(measurements);
  router.Get(path, kRead,
             Doc({{"summary", "A metric's measurements"},
                  {"description",
                   "The measurements of this metric, newest first; takes the measurements "
                   "register's list parameters."},
                  {"tags", tags},
                  {"operationId", "metric_measurements"},
                  {"parameters", PageParams()},
                  {"responses",
                   Merge({{"200", JsonResponse("a page of measurements", PageOf(Ref(entry)))}},
                         ErrorResponses({400, 401, 403, 404}))}},
                 Json::array({PathParam("id", "the metric")})),
             [&measurements](Request& r) {
               HttpRequest params = r.http;
               if (!params.HasParam("sort")) params.params.emplace("sort", "-measured_on");
               auto q = ParseListQuery(measurements, params);
               if (!q.ok()) return WriteJsonError(r.res, q.status());
               auto page = r.services.metrics.MeasurementsOf(r.principal, r.PathId(), *q);
               if (!page.ok()) return WriteJsonError(r.res, page.status());
               WriteJson(
                   r.res, 200,
                   {{"data", Records(std::move(page->records))},
                    {"next_cursor", page->next_cursor.empty() ? Json() : Json(page->next_cursor)}});
             });
  router.Post(path, WriteGuard(measurements),
              Doc({{"summary", "Add a measurement to a metric"},
                   {"description",
                    "Creates a measurement of this metric (a `metric` in the body is replaced). "
                    "Refused: a value that is not a number (`value`), a date after today "
                    "(`measured_on`), a retired metric (`metric`)."},
                   {"tags", tags},
                   {"operationId", "add_measurement"},
                   {"requestBody", JsonBody(Ref(entry + "Input"))},
                   {"responses", Merge({{"201", JsonResponse("the measurement", Ref(entry))}},
                                       ErrorResponses({400, 401, 403, 404, 413}))}},
                  Json::array({PathParam("id", "the metric")})),
              [](Request& r) {
                auto body = ParseJsonBody(r.http);
                if (!body.ok()) return WriteJsonError(r.res, body.status());
                auto rec = r.services.metrics.AddMeasurement(r.principal, r.PathId(), *body);
                if (rec.ok()) {
                  r.res.SetHeader("Location", fmt::format("/api/v1/measurements/{}", rec->id));
                }
                Respond(r, rec, 201);
              });
}

}  // namespace rampart::http
