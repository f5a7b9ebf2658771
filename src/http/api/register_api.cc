// Routes of every register, derived from its description:
//   GET    /api/v1/{path}                 list: filters, q, sort, limit, cursor
//   POST   /api/v1/{path}                 create
//   GET    /api/v1/{path}/export?format=csv
//   GET    /api/v1/{path}/{id}            read (ETag: the version)
//   PUT    /api/v1/{path}/{id}            replace (If-Match required)
//   PATCH  /api/v1/{path}/{id}            change the given fields (If-Match required)
//   DELETE /api/v1/{path}/{id}            (If-Match required)
//   GET    /api/v1/{path}/{id}/history    audit events of the record
// plus the ISMS scope's workflow, the organisation's users and the audit trail.
#include <fmt/format.h>

#include <charconv>

#include "app/audit_service.h"
#include "app/record_codec.h"
#include "domain/context.h"
#include "domain/registers.h"
#include "http/api/api.h"
#include "http/api/api_util.h"
#include "http/api/risk_api.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;
using domain::RegisterSpec;

namespace {

Json EventToJson(const domain::AuditEvent& e) {
  return Json{{"seq", e.seq},
              {"at", e.at},
              {"actor", e.actor},
              {"actor_id", e.actor_id},
              {"action", e.action},
              {"record_type", e.record_type},
              {"record_id", e.record_id},
              {"diff", e.diff},
              {"hash", e.hash},
              {"prev_hash", e.prev_hash},
              {"address", e.address.empty() ? Json() : Json(e.address)},
              {"encoding", e.encoding}};
}

void AddRegisterRoutes(Router& router, const RegisterSpec& spec) {
  const std::string base = "/api/v1/" + spec.path;
  const std::string item = base + R"(/(\d+))";
  const RegisterSpec* s = &spec;

  router.Get(base, Surface::kApi, kRead, [s](Request& r) {
    auto q = ParseListQuery(*s, r.http);
    if (!q.ok()) return WriteJsonError(r.res, q.status());
    auto page = r.services.registers.List(r.principal, *s, *q);
    if (!page.ok()) return WriteJsonError(r.res, page.status());
    Json data = Json::array();
    for (const auto& rec : page->records) data.push_back(app::RecordToJson(rec));
    Json body = {{"data", std::move(data)},
                 {"next_cursor", page->next_cursor.empty() ? Json() : Json(page->next_cursor)},
                 {"prev_cursor", page->prev_cursor.empty() ? Json() : Json(page->prev_cursor)}};
    if (page->total) body["total"] = *page->total;
    WriteJson(r.res, 200, body);
  });

  // A workflow-only register (risk acceptances) is written by its area's routes only.
  const bool writable = !spec.workflow_only;
  if (writable)
    router.Post(base, Surface::kApi, WriteGuard(spec), [s, base](Request& r) {
      auto body = ParseJsonBody(r.http);
      if (!body.ok()) return WriteJsonError(r.res, body.status());
      auto rec = r.services.registers.Create(r.principal, *s, *body);
      if (rec.ok()) r.res.SetHeader("Location", fmt::format("{}/{}", base, rec->id));
      Respond(r, rec, 201);
    });

  router.Get(base + "/export", Surface::kApi, kExport, [s](Request& r) {
    const std::string format = r.Query("format").empty() ? "csv" : r.Query("format");
    if (format != "csv") {
      return WriteJsonError(r.res, InvalidArgument("format must be csv", "format"));
    }
    auto q = ParseListQuery(*s, r.http);
    if (!q.ok()) return WriteJsonError(r.res, q.status());
    auto csv = r.services.registers.ExportCsv(r.principal, *s, *q);
    if (!csv.ok()) return WriteJsonError(r.res, csv.status());
    r.res.SetHeader("Content-Disposition", fmt::format("attachment; filename=\"{}.csv\"", s->path));
    r.res.SetContent(*csv, "text/csv; charset=utf-8");
  });

  router.Get(item, Surface::kApi, kRead, [s](Request& r) {
    Respond(r, r.services.registers.Get(r.principal, *s, r.PathId()));
  });

  auto update = [s](app::UpdateMode mode) {
    return [s, mode](Request& r) {
      auto version = ParseIfMatch(r.http);
      if (!version.ok()) return WriteJsonError(r.res, version.status());
      auto body = ParseJsonBody(r.http);
      if (!body.ok()) return WriteJsonError(r.res, body.status());
      Respond(r, r.services.registers.Update(r.principal, *s, r.PathId(), *version, *body, mode));
    };
  };
  if (writable) {
    router.Put(item, Surface::kApi, WriteGuard(spec), update(app::UpdateMode::kReplace));
    router.Patch(item, Surface::kApi, WriteGuard(spec), update(app::UpdateMode::kMerge));
    router.Delete(item, Surface::kApi, WriteGuard(spec), [s](Request& r) {
      auto version = ParseIfMatch(r.http);
      if (!version.ok()) return WriteJsonError(r.res, version.status());
      Status st = r.services.registers.Delete(r.principal, *s, r.PathId(), *version);
      if (!st.ok()) return WriteJsonError(r.res, st);
      r.res.status = 204;
    });
  }

  router.Get(item + "/history", Surface::kApi, kRead, [s](Request& r) {
    // Deleted records keep their history, so this reads the trail, not the record.
    auto events = r.services.registers.History(r.principal, *s, r.PathId());
    if (!events.ok()) return WriteJsonError(r.res, events.status());
    if (events->empty()) return WriteJsonError(r.res, NotFound("no such record"));
    Json data = Json::array();
    for (const auto& e : *events) data.push_back(EventToJson(e));
    WriteJson(r.res, 200, Json{{"data", data}});
  });
}

void AddScopeRoutes(Router& router) {
  router.Get("/api/v1/scope/current", Surface::kApi, kRead,
             [](Request& r) { Respond(r, r.services.scope.Current(r.principal)); });
  router.Post(R"(/api/v1/scope/(\d+)/approve)", Surface::kApi,
              Guard::Needs(domain::Permission::kApprove), [](Request& r) {
                auto version = ParseIfMatch(r.http);
                if (!version.ok()) return WriteJsonError(r.res, version.status());
                Respond(r, r.services.scope.Approve(r.principal, r.PathId(), *version));
              });
  router.Post(
      R"(/api/v1/scope/(\d+)/new-draft)", Surface::kApi, WriteGuard(domain::ScopeStatements()),
      [](Request& r) { Respond(r, r.services.scope.NewDraftFrom(r.principal, r.PathId()), 201); });
}

void AddOrganisationRoutes(Router& router) {
  router.Get(
      "/api/v1/audit/events", Surface::kApi, Guard::Needs(domain::Permission::kReadAuditTrail),
      [](Request& r) {
        int limit = 100;
        if (!r.Query("limit").empty()) {
          const std::string text = r.Query("limit");
          const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
          if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > 1000) {
            return WriteJsonError(r.res, InvalidArgument("limit must be from 1 to 1000", "limit"));
          }
        }
        auto events = r.services.registers.RecentEvents(r.principal, limit);
        if (!events.ok()) return WriteJsonError(r.res, events.status());
        Json data = Json::array();
        for (const auto& e : *events) data.push_back(EventToJson(e));
        WriteJson(r.res, 200, Json{{"data", data}});
      });
  router.Get("/api/v1/audit/verify", Surface::kApi,
             Guard::Needs(domain::Permission::kReadAuditTrail), [](Request& r) {
               auto v = r.services.VerifyAudit(r.principal.org_id);
               if (!v.ok()) return WriteJsonError(r.res, v.status());
               WriteJson(
                   r.res, 200,
                   Json{{"intact", v->intact},
                        {"events", v->events},
                        {"first_bad_seq", v->first_bad_seq == 0 ? Json() : Json(v->first_bad_seq)},
                        {"problem", v->problem.empty() ? Json() : Json(v->problem)},
                        {"head_hash", v->head_hash}});
             });
}

}  // namespace

void RegisterApiRoutes(Router& router) {
  router.Get("/api/v1/openapi.json", Surface::kApi, Guard::Account(),
             [](Request& r) { WriteJson(r.res, 200, OpenApiDocument()); });
  RegisterAuthApiRoutes(router);
  RegisterMemberApiRoutes(router);
  RegisterEvidenceApiRoutes(router);
  AddScopeRoutes(router);
  RegisterRiskApiRoutes(router);
  RegisterSoaApiRoutes(router);
  AddOrganisationRoutes(router);
  for (const RegisterSpec* spec : domain::AllRegisters()) AddRegisterRoutes(router, *spec);
}

}  // namespace rampart::http
