// Routes of every register, derived from its description:
//   GET    /api/v1/{path}                 list: filters, q, sort, limit, cursor
//   POST   /api/v1/{path}                 create
//   GET    /api/v1/{path}/export?format=csv|xlsx
//   GET    /api/v1/{path}/{id}            read (ETag: the version)
//   PUT    /api/v1/{path}/{id}            replace (If-Match required)
//   PATCH  /api/v1/{path}/{id}            change the given fields (If-Match required)
//   DELETE /api/v1/{path}/{id}            (If-Match required)
//   GET    /api/v1/{path}/{id}/history    audit events of the record
// plus the routes of registers of approved versions (version_api.cc), the audit trail and the
// OpenAPI document. Each route is registered with its documentation, derived from the same
// description.
#include <fmt/format.h>

#include <charconv>
#include <memory>
#include <mutex>

#include "app/audit_service.h"
#include "app/record_codec.h"
#include "base/xlsx.h"
#include "domain/context.h"
#include "domain/registers.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/api/internal_audit_api.h"
#include "http/api/leadership_api.h"
#include "http/api/risk_api.h"
#include "http/api/support_api.h"
#include "http/errors.h"

namespace rampart::http {

using domain::FieldSpec;
using domain::FieldType;
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

// A field's JSON Schema, from its description.
Json FieldSchema(const FieldSpec& f) {
  Json s;
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kLongText:
      s = {{"type", {"string", "null"}},
           {"maxLength",
            f.max_length > 0 ? f.max_length : (f.type == FieldType::kLongText ? 10000 : 200)}};
      break;
    case FieldType::kEnum: {
      Json values = Json::array();
      for (const auto& c : f.choices) values.push_back(c.value);
      values.push_back(nullptr);
      s = {{"type", {"string", "null"}}, {"enum", values}};
      break;
    }
    case FieldType::kDate:
      s = {{"type", {"string", "null"}}, {"format", "date"}};
      break;
    case FieldType::kColour:
      s = {{"type", {"string", "null"}}, {"pattern", "^#[0-9a-fA-F]{6}$"}};
      break;
    case FieldType::kBool:
      s = {{"type", "boolean"}};
      break;
    case FieldType::kInteger:
      s = {{"type", {"integer", "null"}}};
      break;
    case FieldType::kDecimal:
      // A form may also send the number as text ("95.5"), which is read as the number.
      s = {{"type", {"number", "null"}}};
      if (f.max_value > 0) {
        s["minimum"] = f.min_value;
        s["maximum"] = f.max_value;
      }
      break;
    case FieldType::kUser:
      s = {{"type", {"integer", "null"}}, {"description", "id of a user of the organisation"}};
      break;
    case FieldType::kList: {
      Json item = {{"type", "string"}, {"maxLength", 500}};
      if (!f.choices.empty()) {
        Json values = Json::array();
        for (const auto& c : f.choices) values.push_back(c.value);
        item = {{"type", "string"}, {"enum", values}};
      }
      s = {{"type", {"array", "null"}}, {"items", item}, {"uniqueItems", !f.choices.empty()}};
      // Also a string of the values separated by commas; its description (help) says so.
      if (f.accepts_joined_string) s["type"] = Json::array({"array", "string", "null"});
      break;
    }
    case FieldType::kRef:
      s = {{"type", {"integer", "null"}},
           {"description", fmt::format("id of a record of the {} register", f.ref)}};
      break;
    case FieldType::kRefs:
      s = {{"type", {"array", "null"}},
           {"items", {{"type", "integer"}, {"minimum", 1}}},
           {"uniqueItems", true},
           {"description", fmt::format("ids of records of the {} register", f.ref)}};
      break;
    case FieldType::kTable: {
      Json props = Json::object();
      Json required = Json::array();
      for (const auto& c : f.columns) {
        props[c.name] = FieldSchema(c);
        if (c.required) required.push_back(c.name);
      }
      s = {{"type", {"array", "null"}},
           {"items",
            {{"type", "object"},
             {"properties", props},
             {"required", required},
             {"additionalProperties", false}}}};
      break;
    }
  }
  s["title"] = f.label;
  if (!f.help.empty()) s["description"] = f.help;
  if (f.read_only) s["readOnly"] = true;
  return s;
}

// A record as answered, or (input) as accepted on create and replace.
Json RecordSchema(const RegisterSpec& spec, bool input) {
  Json props = Json::object();
  Json required = Json::array();
  if (!input) {
    props["id"] = {{"type", "integer"}};
    props["version"] = {{"type", "integer"}, {"description", "also the ETag"}};
    props["created_at"] = {{"type", "string"}, {"format", "date-time"}};
    props["updated_at"] = {{"type", "string"}, {"format", "date-time"}};
    props["created_by"] = {{"type", "integer"}};
    props["updated_by"] = {{"type", "integer"}};
    for (const char* f :
         {"id", "version", "created_at", "updated_at", "created_by", "updated_by"}) {
      required.push_back(f);
    }
  }
  for (const auto& f : spec.fields) {
    if (input && f.read_only) continue;
    props[f.name] = FieldSchema(f);
    if (!input || (f.required && f.default_value.is_null())) required.push_back(f.name);
  }
  Json s = {
      {"type", "object"}, {"title", spec.singular}, {"properties", props}, {"required", required}};
  if (input) s["additionalProperties"] = true;  // system fields are accepted and ignored
  return s;
}

}  // namespace

Json ListParameters(const RegisterSpec& spec) {
  Json sorts = Json::array();
  for (const std::string n : {"id", "created_at", "updated_at"}) {
    sorts.push_back(n);
    sorts.push_back("-" + n);
  }
  for (const auto& f : spec.fields) {
    if (f.sortable) {
      sorts.push_back(f.name);
      sorts.push_back("-" + f.name);
    }
  }
  Json params = Json::array({
      {{"name", "limit"},
       {"in", "query"},
       {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 500}, {"default", 50}}}},
      {{"name", "cursor"},
       {"in", "query"},
       {"schema", {{"type", "string"}}},
       {"description",
        "next_cursor of a page for the page after it, or prev_cursor for the page before it"}},
      {{"name", "sort"}, {"in", "query"}, {"schema", {{"type", "string"}, {"enum", sorts}}}},
      {{"name", "q"},
       {"in", "query"},
       {"schema", {{"type", "string"}, {"maxLength", 200}}},
       {"description", "text to search for"}},
      {{"name", "total"},
       {"in", "query"},
       {"schema", {{"type", "boolean"}}},
       {"description", "also count the matching records"}},
  });
  for (const auto& f : spec.fields) {
    if (!f.filterable) continue;
    Json schema = FieldSchema(f);
    schema.erase("readOnly");
    params.push_back({{"name", f.name},
                      {"in", "query"},
                      {"schema", schema},
                      {"description", "only records whose " + f.label + " is this value"}});
  }
  return params;
}

Json ExportParameters(const RegisterSpec& spec) {
  return Merge(
      ListParameters(spec),
      Json::array(
          {{{"name", "format"},
            {"in", "query"},
            {"description", "csv (the default) or xlsx"},
            {"schema", {{"type", "string"}, {"enum", {"csv", "xlsx"}}, {"default", "csv"}}}}}));
}

namespace {

// An answer of audit events.
Json EventsSchema() {
  return {{"type", "object"},
          {"properties", {{"data", {{"type", "array"}, {"items", Ref("AuditEvent")}}}}}};
}

// True when an area registered `method` on `pattern` itself (frameworks answer POST {path}, an
// OSCAL upload or a record, and DELETE {path}/{id}, with the framework's controls): the generic
// route is then left out of the table and the document.
bool AreaAnswers(const Router& router, std::string_view method, const std::string& pattern) {
  for (const auto& route : router.routes()) {
    if (route.method == method && route.pattern == pattern) return true;
  }
  return false;
}

void AddRegisterRoutes(Router& router, const RegisterSpec& spec) {
  const std::string base = "/api/v1/" + spec.path;
  const std::string item = base + R"(/(\d+))";
  const RegisterSpec* s = &spec;
  const std::string name = SchemaName(spec);
  const Json tags = Json::array({spec.plural});
  const Json list_schema = {{"type", "object"},
                            {"properties",
                             {{"data", {{"type", "array"}, {"items", Ref(name)}}},
                              {"next_cursor", {{"type", {"string", "null"}}}},
                              {"prev_cursor", {{"type", {"string", "null"}}}},
                              {"total", {{"type", "integer"}}}}}};
  const Json item_ok = JsonResponse("the record", Ref(name));

  router.Get(base, kRead,
             Doc({{"summary", "List " + s->plural + " (clause " + s->clause + ")"},
                  {"tags", tags},
                  {"operationId", "list_" + s->type},
                  {"parameters", ListParameters(*s)},
                  {"responses", Merge({{"200", JsonResponse("a page of records", list_schema)}},
                                      ErrorResponses({400, 401, 403}))}}),
             [s](Request& r) {
               auto q = ParseListQuery(*s, r.http);
               if (!q.ok()) return WriteJsonError(r.res, q.status());
               auto page = r.services.registers.List(r.principal, *s, *q);
               if (!page.ok()) return WriteJsonError(r.res, page.status());
               Json data = Json::array();
               data.get_ref<Json::array_t&>().reserve(page->records.size());
               for (auto& rec : page->records) data.push_back(app::RecordToJson(std::move(rec)));
               Json body = {
                   {"data", std::move(data)},
                   {"next_cursor", page->next_cursor.empty() ? Json() : Json(page->next_cursor)}};
               if (page->total) body["total"] = *page->total;
               WriteJson(r.res, 200, body);
             });

  // A workflow-only register (risk acceptances) is written by its area's routes only.
  const bool writable = !spec.workflow_only;
  if (writable && !AreaAnswers(router, "POST", base))
    router.Post(base, WriteGuard(spec),
                Doc({{"summary", "Create a " + s->singular},
                     {"tags", tags},
                     {"operationId", "create_" + s->type},
                     {"requestBody", JsonBody(Ref(name + "Input"))},
                     {"responses", Merge({{"201", JsonResponse("created", Ref(name))}},
                                         ErrorResponses({400, 401, 403, 409, 413}))}}),
                [s, base](Request& r) {
                  auto body = ParseJsonBody(r.http);
                  if (!body.ok()) return WriteJsonError(r.res, body.status());
                  auto rec = r.services.registers.Create(r.principal, *s, *body);
                  if (rec.ok()) r.res.SetHeader("Location", fmt::format("{}/{}", base, rec->id));
                  Respond(r, rec, 201);
                });

  router.Get(
      base + "/export", kExport,
      Doc({{"summary", "Export " + s->plural + " as CSV or XLSX"},
           {"description",
            "Every record matching the list's filters, search and order, one row each. "
            "Users, references and lists of references are followed by a `<field>_name` "
            "column (the person's name, the records' titles); lists and tables are one "
            "line per item or row. Both formats have the same columns."},
           {"tags", tags},
           {"operationId", "export_" + s->type},
           {"parameters", ExportParameters(*s)},
           {"responses", Merge({{"200",
                                 {{"description", "CSV or XLSX file"},
                                  {"content",
                                   {{"text/csv", {{"schema", {{"type", "string"}}}}},
                                    {kXlsxContentType,
                                     {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}}}},
                               ErrorResponses({400, 401, 403, 429}))}}),
      [s](Request& r) {
        auto format = app::ParseExportFormat(r.Query("format"));
        if (!format.ok()) return WriteJsonError(r.res, format.status());
        auto q = ParseListQuery(*s, r.http);
        if (!q.ok()) return WriteJsonError(r.res, q.status());
        auto bytes = r.services.registers.Export(r.principal, *s, *q, *format);
        if (!bytes.ok()) return WriteJsonError(r.res, bytes.status());
        const bool csv = *format == app::ExportFormat::kCsv;
        r.res.SetHeader("Content-Disposition", fmt::format("attachment; filename=\"{}.{}\"",
                                                           s->path, csv ? "csv" : "xlsx"));
        r.res.SetContent(*bytes, csv ? "text/csv; charset=utf-8" : kXlsxContentType);
      });

  router.Get(
      item, kRead,
      Doc({{"summary", "Read a " + s->singular},
           {"tags", tags},
           {"operationId", "get_" + s->type},
           {"responses", Merge({{"200", item_ok}}, ErrorResponses({401, 403, 404}))}},
          Json::array({kIdParam})),
      [s](Request& r) { Respond(r, r.services.registers.Get(r.principal, *s, r.PathId())); });

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
    router.Put(item, WriteGuard(spec),
               Doc({{"summary", "Replace a " + s->singular},
                    {"tags", tags},
                    {"operationId", "replace_" + s->type},
                    {"parameters", Json::array({kIfMatch})},
                    {"requestBody", JsonBody(Ref(name + "Input"))},
                    {"responses", Merge({{"200", item_ok}},
                                        ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}},
                   Json::array({kIdParam})),
               update(app::UpdateMode::kReplace));
    router.Patch(item, WriteGuard(spec),
                 Doc({{"summary", "Change fields of a " + s->singular},
                      {"tags", tags},
                      {"operationId", "update_" + s->type},
                      {"parameters", Json::array({kIfMatch})},
                      {"requestBody", JsonBody({{"type", "object"}})},
                      {"responses", Merge({{"200", item_ok}},
                                          ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}},
                     Json::array({kIdParam})),
                 update(app::UpdateMode::kMerge));
    if (!AreaAnswers(router, "DELETE", item))
      router.Delete(item, WriteGuard(spec),
                    Doc({{"summary", "Delete a " + s->singular},
                         {"tags", tags},
                         {"operationId", "delete_" + s->type},
                         {"parameters", Json::array({kIfMatch})},
                         {"responses", Merge({{"204", {{"description", "deleted"}}}},
                                             ErrorResponses({401, 403, 404, 409, 412, 428}))}},
                        Json::array({kIdParam})),
                    [s](Request& r) {
                      auto version = ParseIfMatch(r.http);
                      if (!version.ok()) return WriteJsonError(r.res, version.status());
                      Status st =
                          r.services.registers.Delete(r.principal, *s, r.PathId(), *version);
                      if (!st.ok()) return WriteJsonError(r.res, st);
                      r.res.status = 204;
                    });
  }

  router.Get(item + "/history", kRead,
             Doc({{"summary", "History of a " + s->singular},
                  {"tags", tags},
                  {"operationId", "history_" + s->type},
                  {"responses",
                   Merge({{"200", JsonResponse("audit events, oldest first", EventsSchema())}},
                         ErrorResponses({401, 403, 404}))}},
                 Json::array({kIdParam})),
             [s](Request& r) {
               // Deleted records keep their history, so this reads the trail, not the record.
               auto events = r.services.registers.History(r.principal, *s, r.PathId());
               if (!events.ok()) return WriteJsonError(r.res, events.status());
               if (events->empty()) return WriteJsonError(r.res, NotFound("no such record"));
               Json data = Json::array();
               for (const auto& e : *events) data.push_back(EventToJson(e));
               WriteJson(r.res, 200, Json{{"data", data}});
             });
}

void AddOrganisationRoutes(Router& router) {
  const Json events = EventsSchema();
  const auto query_param = [](const char* name, Json schema, const char* description) {
    return Json{{"name", name},
                {"in", "query"},
                {"schema", std::move(schema)},
                {"description", description}};
  };
  const Json integer = {{"type", "integer"}, {"minimum", 0}};
  const Json date = {{"type", "string"}, {"format", "date"}};
  const Json filters = Json::array(
      {query_param("person", integer, "the user who acted (0: the system)"),
       query_param("record_type", {{"type", "string"}}, "the kind of record: risk, user, ..."),
       query_param("record_id", integer, "with record_type: one record"),
       query_param("action", {{"type", "string"}}, "create, update, sign_in_failed, ..."),
       query_param("from", date, "first day (UTC), inclusive"),
       query_param("to", date, "last day (UTC), inclusive")});
  Json page_params = filters;
  page_params.push_back(query_param(
      "limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000}}, "events per page (100)"));
  page_params.push_back(query_param("before", integer, "older: the page's `older`"));
  page_params.push_back(query_param("after", integer, "newer: the page's `newer`"));
  Json page_schema = events;
  page_schema["properties"]["older"] = {{"type", {"integer", "null"}},
                                        {"description", "`before` of the page of older events"}};
  page_schema["properties"]["newer"] = {{"type", {"integer", "null"}},
                                        {"description", "`after` of the page of newer events"}};
  router.Get(
      "/api/v1/audit/events", Guard::Needs(domain::Permission::kReadAuditTrail),
      Doc({{"summary", "The organisation's audit events, newest first, filtered and paged"},
           {"tags", Json::array({"Audit trail"})},
           {"operationId", "list_audit_events"},
           {"parameters", page_params},
           {"responses", Merge({{"200", JsonResponse("events, newest first", page_schema)}},
                               ErrorResponses({400, 401, 403}))}}),
      [](Request& r) {
        int limit = 100;
        if (!r.Query("limit").empty()) {
          const std::string text = r.Query("limit");
          const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
          if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > 1000) {
            return WriteJsonError(r.res, InvalidArgument("limit must be from 1 to 1000", "limit"));
          }
        }
        auto q = AuditQueryFrom(r.http, limit);
        if (!q.ok()) return WriteJsonError(r.res, q.status());
        auto page = r.services.registers.AuditTrail(r.principal, *q);
        if (!page.ok()) return WriteJsonError(r.res, page.status());
        Json data = Json::array();
        for (const auto& e : page->events) data.push_back(EventToJson(e));
        WriteJson(r.res, 200,
                  Json{{"data", data},
                       {"older", page->older != 0 ? Json(page->older) : Json()},
                       {"newer", page->newer != 0 ? Json(page->newer) : Json()}});
      });
  router.Get(
      "/api/v1/audit/export",
      Guard{Access::kPermission, domain::Permission::kReadAuditTrail, /*export_limited=*/true},
      Doc({{"summary", "Every audit event matching the filters, as CSV (at most 100,000)"},
           {"tags", Json::array({"Audit trail"})},
           {"operationId", "export_audit_events"},
           {"parameters", filters},
           {"responses",
            Merge({{"200",
                    {{"description", "CSV, newest first"},
                     {"content", {{"text/csv", {{"schema", {{"type", "string"}}}}}}}}}},
                  ErrorResponses({400, 401, 403, 413, 429}))}}),
      [](Request& r) {
        auto q = AuditQueryFrom(r.http, 1000);
        if (!q.ok()) return WriteJsonError(r.res, q.status());
        q->before_seq = q->after_seq = 0;
        auto csv = r.services.registers.AuditTrailCsv(r.principal, *q);
        if (!csv.ok()) return WriteJsonError(r.res, csv.status());
        r.res.SetHeader("Content-Disposition", "attachment; filename=\"audit-trail.csv\"");
        r.res.SetContent(*csv, "text/csv; charset=utf-8");
      });
  router.Get(
      "/api/v1/audit/verify", Guard::Needs(domain::Permission::kReadAuditTrail),
      Doc({{"summary", "Verify the audit trail's hash chain"},
           {"tags", Json::array({"Audit trail"})},
           {"operationId", "verify_audit_chain"},
           {"responses",
            Merge({{"200", JsonResponse("verification result",
                                        {{"type", "object"},
                                         {"properties",
                                          {{"intact", {{"type", "boolean"}}},
                                           {"events", {{"type", "integer"}}},
                                           {"first_bad_seq", {{"type", {"integer", "null"}}}},
                                           {"problem", {{"type", {"string", "null"}}}},
                                           {"head_hash", {{"type", "string"}}}}}})}},
                  ErrorResponses({401, 403}))}}),
      [](Request& r) {
        auto v = r.services.VerifyAudit(r.principal.org_id);
        if (!v.ok()) return WriteJsonError(r.res, v.status());
        WriteJson(r.res, 200,
                  Json{{"intact", v->intact},
                       {"events", v->events},
                       {"first_bad_seq", v->first_bad_seq == 0 ? Json() : Json(v->first_bad_seq)},
                       {"problem", v->problem.empty() ? Json() : Json(v->problem)},
                       {"head_hash", v->head_hash}});
      });
}

}  // namespace

void AddRegisterSchemas(Json& schemas) {
  schemas["AuditEvent"] = {{"type", "object"},
                           {"properties",
                            {{"seq", {{"type", "integer"}}},
                             {"at", {{"type", "string"}}},
                             {"actor", {{"type", "string"}}},
                             {"actor_id", {{"type", "integer"}}},
                             {"action", {{"type", "string"}}},
                             {"record_type", {{"type", "string"}}},
                             {"record_id", {{"type", "integer"}}},
                             {"diff", {{"type", "object"}}},
                             {"hash", {{"type", "string"}}},
                             {"prev_hash", {{"type", "string"}}},
                             {"address",
                              {{"type", Json::array({"string", "null"})},
                               {"description",
                                "the client's address; null for the command line and events "
                                "written before addresses were recorded"}}},
                             {"encoding",
                              {{"type", "integer"},
                               {"description",
                                "version of the canonical encoding the hash covers (1: without "
                                "the address; 2: with it), see docs/audit-trail.md"}}}}}};
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    const std::string name = SchemaName(*spec);
    schemas[name] = RecordSchema(*spec, false);
    schemas[name + "Input"] = RecordSchema(*spec, true);
  }
}

void RegisterApiRoutes(Router& router) {
  // The document is assembled from the routes on its first request, when all have been added.
  // Shared: the router keeps copies of the handler, and they must build it once between them.
  struct Document {
    std::once_flag once;
    Json json;
  };
  auto document = std::make_shared<Document>();
  const Router* rt = &router;
  router.Get("/api/v1/openapi.json", Guard::Account(),
             Doc({{"summary", "This document"},
                  {"tags", Json::array({"Meta"})},
                  {"operationId", "openapi"},
                  {"responses", Merge({{"200", JsonResponse("OpenAPI 3.1", {{"type", "object"}})}},
                                      ErrorResponses({401, 403}))}}),
             [document, rt](Request& r) {
               std::call_once(document->once,
                              [&] { document->json = OpenApiDocument(rt->DocumentedRoutes()); });
               WriteJson(r.res, 200, document->json);
             });
  RegisterAuthApiRoutes(router);
  RegisterMemberApiRoutes(router);
  RegisterEvidenceApiRoutes(router);
  RegisterImportApiRoutes(router);
  RegisterVersionApiRoutes(router);
  RegisterDocumentApiRoutes(router);
  RegisterRiskApiRoutes(router);
  RegisterSoaApiRoutes(router);
  RegisterFrameworkApiRoutes(router);
  RegisterSupportApiRoutes(router);
  RegisterOperationApiRoutes(router);
  RegisterMetricApiRoutes(router);
  RegisterNotificationApiRoutes(router);
  RegisterReadinessApiRoutes(router);
  RegisterReportApiRoutes(router);
  RegisterInternalAuditApiRoutes(router);
  RegisterManagementReviewApiRoutes(router);
  RegisterLeadershipApiRoutes(router);
  AddOrganisationRoutes(router);
  for (const RegisterSpec* spec : domain::AllRegisters()) AddRegisterRoutes(router, *spec);
}

}  // namespace rampart::http
