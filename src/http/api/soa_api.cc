// The Statement of Applicability's API:
//   GET  /api/v1/soa                       the 93 lines (?theme=&attribute=&applicable=)
//   GET  /api/v1/soa/export?format=csv|xlsx
//   GET  /api/v1/soa/versions              approved versions, newest first
//   POST /api/v1/soa/versions              approve the statement as it is ({"note"})
//   GET  /api/v1/soa/versions/{number}     one version with its snapshot
//   GET  /api/v1/soa/compare?from=N&to=M|current
//   GET  /api/v1/soa/{control_id}          one line (ETag: its entry's version, 0 if undecided)
//   PUT  /api/v1/soa/{control_id}          decide it (If-Match required; "0" when undecided)
//   POST /api/v1/soa/decisions             decide several controls alike (each with its version)
#include <fmt/format.h>

#include "app/soa_service.h"
#include "base/text.h"
#include "base/xlsx.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;

namespace {

// An Annex A control id in a path: "5.1", "8.34".
constexpr const char* kControlPattern = R"(/api/v1/soa/(\d+\.\d+))";

void WriteLine(Request& r, const domain::SoaLine& line) {
  r.res.SetHeader("ETag", ETagFor(line.entry.version));
  WriteJson(r.res, 200, domain::SoaLineJson(line));
}

// If-Match as ParseIfMatch reads it, where "0" names the entry of an undecided control.
Result<std::optional<int64_t>> EntryIfMatch(const HttpRequest& req) {
  if (req.HasHeader("If-Match")) {
    const std::string header = req.Header("If-Match");
    std::string_view v = Trim(header);
    if (v.rfind("W/", 0) == 0) v.remove_prefix(2);
    if (v == "0" || v == "\"0\"") return std::optional<int64_t>(0);
  }
  return ParseIfMatch(req);
}

// The controls of a decision for several: [{"control_id": "5.1", "version": 0}, ...].
Result<std::vector<app::SoaService::ControlVersion>> ControlVersions(const Json& body) {
  const auto list = body.find("controls");
  if (list == body.end() || !list->is_array()) {
    return InvalidArgument(
        "controls must be a list of {\"control_id\", \"version\"}: the controls to decide and "
        "the version of each entry the decision is based on (0 while undecided)",
        "controls");
  }
  std::vector<app::SoaService::ControlVersion> out;
  for (const auto& c : *list) {
    if (!c.is_object() || !c.contains("control_id") || !c["control_id"].is_string() ||
        !c.contains("version") || !c["version"].is_number_integer() ||
        c["version"].get<int64_t>() < 0) {
      return InvalidArgument(
          fmt::format("controls[{}] must be {{\"control_id\": \"5.1\", \"version\": 0}}: an "
                      "Annex A control and the version of its entry (0 while undecided)",
                      out.size()),
          "controls");
    }
    out.push_back({c["control_id"].get<std::string>(), c["version"].get<int64_t>()});
  }
  return out;
}

Json VersionJson(const domain::SoaVersion& v) {
  Json j = {{"number", v.number},
            {"approved_by", v.approved_by},
            {"approver", v.approver},
            {"approved_at", v.approved_at},
            {"note", v.note.empty() ? Json() : Json(v.note)}};
  if (!v.snapshot.is_null()) j["entries"] = v.snapshot;
  return j;
}

}  // namespace

// Schemas of the Statement of Applicability: its entries, their input and approved versions.
void AddSoaSchemas(Json& schemas) {
  Json reasons = Json::array();
  for (const auto& c : domain::SoaReasons()) reasons.push_back(c.value);
  Json statuses = Json::array();
  for (const auto& c : domain::SoaStatuses()) statuses.push_back(c.value);
  const Json status = {{"type", "string"}, {"enum", statuses}};
  const Json reason_list = ArrayOf({{"type", "string"}, {"enum", reasons}});
  schemas["SoaEntry"] = ObjectOfAll(
      {{"control_id", Described(kString, "the Annex A control, e.g. \"5.1\"")},
       {"title", kString},
       {"theme", kString},
       {"attributes",
        Described({{"type", "object"}}, "ISO/IEC 27002 attribute values by attribute name")},
       {"applicable", Described(OrNull(kBoolean), "null while undecided")},
       {"reasons", reason_list},
       {"justification", OrNull(kString)},
       {"status", Described(status, "the override when given, else the derived status")},
       {"derived_status", Described(status, "from the linked applied controls")},
       {"status_override", OrNull(status)},
       {"override_reason", OrNull(kString)},
       {"applied_controls",
        ArrayOf(ObjectOfAll({{"id", kInteger}, {"name", kString}, {"status", kString}}))},
       {"risks", Described(ArrayOf(kInteger),
                           "ids of the risks treated by the linked applied controls, ascending: "
                           "all of them when one entry is read, exported or approved; the first "
                           "five in the list of all entries")},
       {"risk_count", Described(kInteger, "how many risks the linked applied controls treat")},
       {"version", Described(kInteger, "of the entry; 0 while undecided")},
       {"updated_at", OrNull(kDateTime)},
       {"updated_by", OrNull(kInteger)}});
  schemas["SoaEntryInput"] = Object(
      {{"applicable", kBoolean},
       {"reasons", Described(reason_list, "at least one when applicable; none when excluded")},
       {"justification", Described(OrNull(kString), "required when excluded")},
       {"status_override", OrNull(status)},
       {"override_reason", Described(OrNull(kString), "required with an override")}},
      Json::array({"applicable"}));
  schemas["SoaDecisions"] = Object(
      {{"controls",
        Described(ArrayOf(ObjectOfAll({{"control_id", Described(kString, "e.g. \"5.1\"")},
                                       {"version", Described(kInteger,
                                                             "of the entry the decision is "
                                                             "based on; 0 while undecided")}})),
                  "the controls to decide, each at most once")},
       {"applicable", kBoolean},
       {"reasons", Described(reason_list, "at least one when applicable; none when excluded")},
       {"justification", Described(OrNull(kString), "required when excluded")}},
      Json::array({"controls", "applicable"}));
  schemas["SoaVersion"] =
      Object({{"number", kInteger},
              {"approved_by", kInteger},
              {"approver", kString},
              {"approved_at", kDateTime},
              {"note", OrNull(kString)},
              {"entries", ArrayOf(Ref("SoaEntry"))}},
             Json::array({"number", "approved_by", "approver", "approved_at", "note"}));
}

namespace {

// A query parameter.
Json QueryParam(const char* name, Json schema, const char* description) {
  return Json{
      {"name", name}, {"in", "query"}, {"schema", std::move(schema)}, {"description", description}};
}

// The entries: the list, its export, and one entry read and decided.
void AddSoaEntryRoutes(Router& router) {
  const Json tags = Json::array({"Statement of Applicability"});
  const Guard edit = Guard::Needs(domain::Permission::kEditRecords);
  const Json control_param = {{"name", "control_id"},
                              {"in", "path"},
                              {"required", true},
                              {"description", "an Annex A control, e.g. 5.1"},
                              {"schema", {{"type", "string"}, {"pattern", "^[0-9]+\\.[0-9]+$"}}}};

  router.Get(
      "/api/v1/soa", kRead,
      Doc({{"summary", "The Statement of Applicability: one entry per Annex A control"},
           {"tags", tags},
           {"operationId", "list_soa"},
           {"parameters",
            Json::array({QueryParam("theme", kString,
                                    "Organizational, People, Physical or "
                                    "Technological"),
                         QueryParam("attribute", kString,
                                    "an ISO/IEC 27002 attribute value, e.g. Preventive"),
                         QueryParam("applicable",
                                    {{"type", "string"}, {"enum", {"yes", "no", "undecided"}}},
                                    "only decided or undecided entries")})},
           {"responses", Merge({{"200", JsonResponse("the entries", DataOf("SoaEntry"))}},
                               ErrorResponses({400, 401, 403}))}}),
      [](Request& r) {
        const domain::SoaFilter filter{.theme = r.Query("theme"),
                                       .attribute = r.Query("attribute"),
                                       .applicable = r.Query("applicable")};
        auto lines = r.services.soa.List(r.principal, filter);
        if (!lines.ok()) return WriteJsonError(r.res, lines.status());
        Json data = Json::array();
        for (const auto& l : *lines) data.push_back(domain::SoaLineJson(l));
        WriteJson(r.res, 200, Json{{"data", std::move(data)}});
      });

  router.Get(
      "/api/v1/soa/export", kExport,
      Doc({{"summary", "Export every entry with every column"},
           {"tags", tags},
           {"operationId", "export_soa"},
           {"parameters",
            Json::array({QueryParam("format", {{"type", "string"}, {"enum", {"csv", "xlsx"}}},
                                    "csv (default) or xlsx")})},
           {"responses", Merge({{"200",
                                 {{"description", "the file"},
                                  {"content",
                                   {{"text/csv", {{"schema", kString}}},
                                    {kXlsxContentType,
                                     {{"schema", {{"type", "string"}, {"format", "binary"}}}}}}}}}},
                               ErrorResponses({400, 401, 403, 429}))}}),
      [](Request& r) {
        const auto kind = app::ParseExportFormat(r.Query("format"));
        if (!kind.ok()) return WriteJsonError(r.res, kind.status());
        const std::string format = *kind == app::ExportFormat::kCsv ? "csv" : "xlsx";
        auto bytes = format == "csv" ? r.services.soa.ExportCsv(r.principal)
                                     : r.services.soa.ExportXlsx(r.principal);
        if (!bytes.ok()) return WriteJsonError(r.res, bytes.status());
        r.res.SetHeader(
            "Content-Disposition",
            fmt::format("attachment; filename=\"statement-of-applicability.{}\"", format));
        r.res.SetContent(*bytes, format == "csv" ? "text/csv; charset=utf-8" : kXlsxContentType);
      });

  const Json entry_ok = JsonResponse("the entry", Ref("SoaEntry"));
  router.Get(kControlPattern, kRead,
             Doc({{"summary", "One entry of the Statement of Applicability"},
                  {"tags", tags},
                  {"operationId", "get_soa_entry"},
                  {"responses", Merge({{"200", entry_ok}}, ErrorResponses({401, 403, 404}))}},
                 Json::array({control_param})),
             [](Request& r) {
               auto line = r.services.soa.Get(r.principal, r.http.matches[1]);
               if (!line.ok()) return WriteJsonError(r.res, line.status());
               WriteLine(r, *line);
             });

  router.Put(kControlPattern, edit,
             Doc({{"summary", "Decide whether a control is applicable, and why"},
                  {"tags", tags},
                  {"operationId", "update_soa_entry"},
                  {"parameters", Json::array({Merge(kIfMatch, {{"description",
                                                                "the entry's ETag; \"0\" while "
                                                                "undecided; 412 when stale"}})})},
                  {"requestBody", JsonBody(Ref("SoaEntryInput"))},
                  {"responses",
                   Merge({{"200", entry_ok}}, ErrorResponses({400, 401, 403, 404, 412, 428}))}},
                 Json::array({control_param})),
             [](Request& r) {
               auto version = EntryIfMatch(r.http);
               if (!version.ok()) return WriteJsonError(r.res, version.status());
               auto body = ParseJsonBody(r.http);
               if (!body.ok()) return WriteJsonError(r.res, body.status());
               auto line = r.services.soa.Update(r.principal, r.http.matches[1], *version, *body);
               if (!line.ok()) return WriteJsonError(r.res, line.status());
               WriteLine(r, *line);
             });

  router.Post(
      "/api/v1/soa/decisions", edit,
      Doc({{"summary", "Decide several controls alike, with one justification"},
           {"description",
            "All or nothing. Each control keeps its own implementation status override; "
            "excluding a control that has one is refused (remove the override first). A "
            "control already decided so keeps its version. 409 names a control changed since "
            "its given version."},
           {"tags", tags},
           {"operationId", "decide_soa_entries"},
           {"requestBody", JsonBody(Ref("SoaDecisions"))},
           {"responses", Merge({{"200", JsonResponse("the decided entries, in catalogue order",
                                                     DataOf("SoaEntry"))}},
                               ErrorResponses({400, 401, 403, 409}))}}),
      [](Request& r) {
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        auto controls = ControlVersions(*body);
        if (!controls.ok()) return WriteJsonError(r.res, controls.status());
        Json decision = *body;
        decision.erase("controls");
        auto lines = r.services.soa.DecideMany(r.principal, *controls, decision);
        if (!lines.ok()) return WriteJsonError(r.res, lines.status());
        Json data = Json::array();
        for (const auto& l : *lines) data.push_back(domain::SoaLineJson(l));
        WriteJson(r.res, 200, Json{{"data", std::move(data)}});
      });
}

// Approved versions: the list, approving one, reading one, comparing two.
void AddSoaVersionRoutes(Router& router) {
  const Json tags = Json::array({"Statement of Applicability"});
  const Guard approve = Guard::Needs(domain::Permission::kApprove);

  router.Get("/api/v1/soa/versions", kRead,
             Doc({{"summary", "Approved versions, newest first"},
                  {"tags", tags},
                  {"operationId", "list_soa_versions"},
                  {"responses", Merge({{"200", JsonResponse("the versions (without "
                                                            "entries)",
                                                            DataOf("SoaVersion"))}},
                                      ErrorResponses({401, 403}))}}),
             [](Request& r) {
               auto versions = r.services.soa.Versions(r.principal);
               if (!versions.ok()) return WriteJsonError(r.res, versions.status());
               Json data = Json::array();
               for (const auto& v : *versions) data.push_back(VersionJson(v));
               WriteJson(r.res, 200, Json{{"data", std::move(data)}});
             });

  router.Post(
      "/api/v1/soa/versions", approve,
      Doc({{"summary", "Approve the statement as it is now; every control must be decided"},
           {"tags", tags},
           {"operationId", "approve_soa"},
           {"requestBody", JsonBody(Object({{"note", OrNull(kString)}}, Json::array()))},
           {"responses", Merge({{"201", JsonResponse("the new version", Ref("SoaVersion"))}},
                               ErrorResponses({400, 401, 403, 409, 412}))}}),
      [](Request& r) {
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        if (Status st = RequireStrings(*body, {"note"}); !st.ok()) return WriteJsonError(r.res, st);
        auto v = r.services.soa.Approve(r.principal, StringField(*body, "note"));
        if (!v.ok()) return WriteJsonError(r.res, v.status());
        r.res.SetHeader("Location", fmt::format("/api/v1/soa/versions/{}", v->number));
        WriteJson(r.res, 201, VersionJson(*v));
      });

  router.Get(R"(/api/v1/soa/versions/(\d+))", kRead,
             Doc({{"summary", "An approved version with its entries"},
                  {"tags", tags},
                  {"operationId", "get_soa_version"},
                  {"responses", Merge({{"200", JsonResponse("the version", Ref("SoaVersion"))}},
                                      ErrorResponses({401, 403, 404}))}},
                 Json::array({PathParam("number", "the version number")})),
             [](Request& r) {
               auto v = r.services.soa.Version(r.principal, r.PathId());
               if (!v.ok()) return WriteJsonError(r.res, v.status());
               WriteJson(r.res, 200, VersionJson(*v));
             });

  const Json ref = {{"type", "string"}, {"description", "a version number or \"current\""}};
  router.Get(
      "/api/v1/soa/compare", kRead,
      Doc({{"summary", "What changed between two versions, control by control"},
           {"tags", tags},
           {"operationId", "compare_soa"},
           {"parameters",
            Json::array(
                {Merge(QueryParam("from", ref, "the earlier version"), {{"required", true}}),
                 QueryParam("to", ref, "the later version; current by default")})},
           {"responses",
            Merge({{"200",
                    JsonResponse(
                        "the changed controls",
                        ObjectOfAll(
                            {{"from", kString},
                             {"to", kString},
                             {"controls", ArrayOf(ObjectOfAll(
                                              {{"control_id", kString},
                                               {"title", kString},
                                               {"changes", ArrayOf(ObjectOfAll(
                                                               {{"field", kString},
                                                                {"from", Json::object()},
                                                                {"to", Json::object()}}))}}))}}))}},
                  ErrorResponses({400, 401, 403, 404}))}}),
      [](Request& r) {
        auto c = r.services.soa.Compare(r.principal, r.Query("from"),
                                        r.Query("to").empty() ? "current" : r.Query("to"));
        if (!c.ok()) return WriteJsonError(r.res, c.status());
        Json changes = Json::array();
        for (const auto& control : c->changes) {
          Json fields = Json::array();
          for (const auto& f : control.changes) {
            fields.push_back({{"field", f.field}, {"from", f.from}, {"to", f.to}});
          }
          changes.push_back(
              {{"control_id", control.control_id}, {"title", control.title}, {"changes", fields}});
        }
        WriteJson(r.res, 200, Json{{"from", c->from}, {"to", c->to}, {"controls", changes}});
      });
}

}  // namespace

void RegisterSoaApiRoutes(Router& router) {
  AddSoaEntryRoutes(router);
  AddSoaVersionRoutes(router);
}

}  // namespace rampart::http
