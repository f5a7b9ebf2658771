// Clause 8.1 beyond the register routes (which /api/v1/suppliers, /supplier-assessments,
// /operational-activities and /activity-occurrences get from their descriptions):
//   GET  /api/v1/suppliers/expired-certificates        suppliers whose certificate has expired
//   GET  /api/v1/operational-activities/missed         active activities whose occurrence is
//                                                      missed, and since when
//   GET  /api/v1/operational-activities/{id}/schedule  an activity's last occurrence, when the
//                                                      next is expected, since when it is missed
//   GET  /api/v1/operational-activities/{id}/occurrences   its occurrences, newest first, and
//   POST /api/v1/operational-activities/{id}/occurrences   recording one
#include <fmt/format.h>

#include "app/record_codec.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;

namespace {

Json OrNullText(const std::string& s) { return s.empty() ? Json() : Json(s); }

// {"data": [{<id field>, <title field>, <date field>}]} of flagged records, and its schema.
void WriteFlagged(Request& r,
                  const Result<std::vector<std::pair<domain::Record, std::string>>>& flagged,
                  const domain::RegisterSpec& spec, const char* id_name, const char* date_name) {
  if (!flagged.ok()) return WriteJsonError(r.res, flagged.status());
  Json data = Json::array();
  for (const auto& [rec, date] : *flagged) {
    data.push_back({{id_name, rec.id},
                    {spec.title_field, rec.fields.value(spec.title_field, Json())},
                    {date_name, date}});
  }
  WriteJson(r.res, 200, {{"data", std::move(data)}});
}

Json FlaggedSchema(const domain::RegisterSpec& spec, const char* id_name, const char* date_name,
                   const std::string& date_description) {
  return Object({{"data", ArrayOf(ObjectOfAll({{id_name, kInteger},
                                               {spec.title_field, kString},
                                               {date_name, Described(kDate, date_description)}}))}},
                Json::array({"data"}));
}

}  // namespace

void RegisterOperationApiRoutes(Router& router) {
  const domain::RegisterSpec& suppliers = domain::Suppliers();
  const domain::RegisterSpec& activities = domain::OperationalActivities();
  router.Get(
      "/api/v1/suppliers/expired-certificates", kRead,
      Doc({{"summary", "Suppliers whose certificate has expired"},
           {"description",
            "Every supplier, not terminated, whose latest certificate expiry — the latest "
            "\"certificate valid until\" of its assessments and expiry of the evidence files "
            "attached to them — is before today, by name."},
           {"tags", Json::array({suppliers.plural})},
           {"operationId", "suppliers_with_expired_certificates"},
           {"responses",
            Merge({{"200", JsonResponse("the suppliers",
                                        FlaggedSchema(suppliers, "supplier", "expired_on",
                                                      "the last day the certificate was valid"))}},
                  ErrorResponses({401, 403}))}}),
      [&suppliers](Request& r) {
        WriteFlagged(r, r.services.operation.SuppliersWithExpiredCertificates(r.principal),
                     suppliers, "supplier", "expired_on");
      });
  router.Get(
      "/api/v1/operational-activities/missed", kRead,
      Doc({{"summary", "Operational activities missed"},
           {"description",
            "Every active operational activity whose next occurrence — its last occurrence "
            "carried out, or else its start date, plus its frequency — is before today, by "
            "title, with the day it was expected."},
           {"tags", Json::array({activities.plural})},
           {"operationId", "missed_operational_activities"},
           {"responses",
            Merge({{"200", JsonResponse("the activities",
                                        FlaggedSchema(activities, "activity", "missed_since",
                                                      "the day its occurrence was expected"))}},
                  ErrorResponses({401, 403}))}}),
      [&activities](Request& r) {
        WriteFlagged(r, r.services.operation.MissedActivities(r.principal), activities, "activity",
                     "missed_since");
      });
  router.Get(
      R"(/api/v1/operational-activities/(\d+)/schedule)", kRead,
      Doc({{"summary", "An operational activity's schedule"},
           {"description",
            "Its last occurrence carried out (completed, with or without issues), the day the "
            "next is expected, and since when it is missed (null when it is not)."},
           {"tags", Json::array({activities.plural})},
           {"operationId", "operational_activity_schedule"},
           {"responses",
            Merge({{"200",
                    JsonResponse("the schedule", ObjectOfAll({{"last", OrNull(kDate)},
                                                              {"next_due", OrNull(kDate)},
                                                              {"missed_since", OrNull(kDate)}}))}},
                  ErrorResponses({401, 403, 404}))}},
          Json::array({PathParam("id", "the operational activity")})),
      [&activities](Request& r) {
        auto rec = r.services.registers.Get(r.principal, activities, r.PathId());
        if (!rec.ok()) return WriteJsonError(r.res, rec.status());
        auto s = r.services.operation.Schedule(r.principal, *rec);
        if (!s.ok()) return WriteJsonError(r.res, s.status());
        WriteJson(r.res, 200,
                  {{"last", OrNullText(s->last)},
                   {"next_due", OrNullText(s->next_due)},
                   {"missed_since", OrNullText(s->missed_since)}});
      });
  AddRecordLogRoutes(router, app::OccurrencesOf(),
                     {.segment = "occurrences",
                      .list_summary = "The occurrences of an operational activity",
                      .add_summary = "Record an occurrence of an operational activity"});
}

}  // namespace rampart::http
