// The routes of a register that logs another's records (app/record_log.h):
//   GET  /api/v1/{record path}/{id}/{segment}   the record's entries, newest first
//   POST /api/v1/{record path}/{id}/{segment}   adding an entry to it
// used by communications (7.4: /log) and operational activities (8.1: /occurrences).
#include <fmt/format.h>

#include "app/record_codec.h"
#include "base/text.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;

void AddRecordLogRoutes(Router& router, const app::RecordLog& log, const RecordLogDoc& doc) {
  const domain::RegisterSpec& record = *log.record;
  const domain::RegisterSpec& entries = *log.log;
  const Json tags = Json::array({record.plural});
  const std::string entry = SchemaName(entries);
  const std::string path = fmt::format(R"(/api/v1/{}/(\d+)/{})", record.path, doc.segment);
  const Json id = Json::array({PathParam("id", "the " + ToLower(record.singular))});
  router.Get(
      path, kRead,
      Doc({{"summary", doc.list_summary},
           {"description",
            fmt::format("The records of the {} register that name this {}, newest first; takes "
                        "that register's list parameters.",
                        entries.path, ToLower(record.singular))},
           {"tags", tags},
           {"operationId", fmt::format("{}_{}", record.type, doc.segment)},
           {"parameters",
            Json::array({{{"name", "cursor"}, {"in", "query"}, {"schema", kString}},
                         {{"name", "limit"},
                          {"in", "query"},
                          {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}}}}})},
           {"responses",
            Merge({{"200", JsonResponse("a page of entries",
                                        Object({{"data", ArrayOf(Ref(entry))},
                                                {"next_cursor", OrNull(kString)}},
                                               Json::array({"data", "next_cursor"})))}},
                  ErrorResponses({400, 401, 403, 404}))}},
          id),
      [&log](Request& r) {
        HttpRequest params = r.http;
        if (!params.HasParam("sort")) params.params.emplace("sort", "-" + log.date);
        auto q = ParseListQuery(*log.log, params);
        if (!q.ok()) return WriteJsonError(r.res, q.status());
        auto page = app::LogEntries(r.services.registers, r.principal, log, r.PathId(), *q);
        if (!page.ok()) return WriteJsonError(r.res, page.status());
        Json data = Json::array();
        for (auto& rec : page->records) data.push_back(app::RecordToJson(std::move(rec)));
        WriteJson(
            r.res, 200,
            Json{{"data", std::move(data)},
                 {"next_cursor", page->next_cursor.empty() ? Json() : Json(page->next_cursor)}});
      });
  router.Post(path, WriteGuard(entries),
              Doc({{"summary", doc.add_summary},
                   {"description", fmt::format("Creates a record of the {} register naming this "
                                               "{} (a `{}` in the body is replaced).",
                                               entries.path, ToLower(record.singular), log.field)},
                   {"tags", tags},
                   {"operationId", "add_" + entries.type},
                   {"requestBody", JsonBody(Ref(entry + "Input"))},
                   {"responses", Merge({{"201", JsonResponse("the entry", Ref(entry))}},
                                       ErrorResponses({400, 401, 403, 404, 413}))}},
                  id),
              [&log](Request& r) {
                auto body = ParseJsonBody(r.http);
                if (!body.ok()) return WriteJsonError(r.res, body.status());
                auto rec =
                    app::AddLogEntry(r.services.registers, r.principal, log, r.PathId(), *body);
                if (rec.ok()) {
                  r.res.SetHeader("Location", fmt::format("/api/v1/{}/{}", log.log->path, rec->id));
                }
                Respond(r, rec, 201);
              });
}

}  // namespace rampart::http
