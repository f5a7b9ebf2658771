// The Statement of Applicability's API:
//   GET  /api/v1/soa                       the 93 lines (?theme=&attribute=&applicable=)
//   GET  /api/v1/soa/export?format=csv|xlsx
//   GET  /api/v1/soa/versions              approved versions, newest first
//   POST /api/v1/soa/versions              approve the statement as it is ({"note"})
//   GET  /api/v1/soa/versions/{number}     one version with its snapshot
//   GET  /api/v1/soa/compare?from=N&to=M|current
//   GET  /api/v1/soa/{control_id}          one line (ETag: its entry's version, 0 if undecided)
//   PUT  /api/v1/soa/{control_id}          decide it (If-Match required; "0" when undecided)
#include <fmt/format.h>

#include "app/soa_service.h"
#include "base/text.h"
#include "base/xlsx.h"
#include "http/api/api.h"
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

void RegisterSoaApiRoutes(Router& router) {
  const Guard edit = Guard::Needs(domain::Permission::kEditRecords);
  const Guard approve = Guard::Needs(domain::Permission::kApprove);

  router.Get("/api/v1/soa", Surface::kApi, kRead, [](Request& r) {
    const domain::SoaFilter filter{.theme = r.Query("theme"),
                                   .attribute = r.Query("attribute"),
                                   .applicable = r.Query("applicable")};
    auto lines = r.services.soa.List(r.principal, filter);
    if (!lines.ok()) return WriteJsonError(r.res, lines.status());
    Json data = Json::array();
    for (const auto& l : *lines) data.push_back(domain::SoaLineJson(l));
    WriteJson(r.res, 200, Json{{"data", std::move(data)}});
  });

  router.Get("/api/v1/soa/export", Surface::kApi, kExport, [](Request& r) {
    const std::string format = r.Query("format").empty() ? "csv" : r.Query("format");
    if (format != "csv" && format != "xlsx") {
      return WriteJsonError(r.res, InvalidArgument("format must be csv or xlsx", "format"));
    }
    auto bytes = format == "csv" ? r.services.soa.ExportCsv(r.principal)
                                 : r.services.soa.ExportXlsx(r.principal);
    if (!bytes.ok()) return WriteJsonError(r.res, bytes.status());
    r.res.SetHeader("Content-Disposition",
                    fmt::format("attachment; filename=\"statement-of-applicability.{}\"", format));
    r.res.SetContent(*bytes, format == "csv" ? "text/csv; charset=utf-8" : kXlsxContentType);
  });

  router.Get("/api/v1/soa/versions", Surface::kApi, kRead, [](Request& r) {
    auto versions = r.services.soa.Versions(r.principal);
    if (!versions.ok()) return WriteJsonError(r.res, versions.status());
    Json data = Json::array();
    for (const auto& v : *versions) data.push_back(VersionJson(v));
    WriteJson(r.res, 200, Json{{"data", std::move(data)}});
  });

  router.Post("/api/v1/soa/versions", Surface::kApi, approve, [](Request& r) {
    auto body = ParseJsonBody(r.http);
    if (!body.ok()) return WriteJsonError(r.res, body.status());
    if (Status st = RequireStrings(*body, {"note"}); !st.ok()) return WriteJsonError(r.res, st);
    auto v = r.services.soa.Approve(r.principal, StringField(*body, "note"));
    if (!v.ok()) return WriteJsonError(r.res, v.status());
    r.res.SetHeader("Location", fmt::format("/api/v1/soa/versions/{}", v->number));
    WriteJson(r.res, 201, VersionJson(*v));
  });

  router.Get(R"(/api/v1/soa/versions/(\d+))", Surface::kApi, kRead, [](Request& r) {
    auto v = r.services.soa.Version(r.principal, r.PathId());
    if (!v.ok()) return WriteJsonError(r.res, v.status());
    WriteJson(r.res, 200, VersionJson(*v));
  });

  router.Get("/api/v1/soa/compare", Surface::kApi, kRead, [](Request& r) {
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

  router.Get(kControlPattern, Surface::kApi, kRead, [](Request& r) {
    auto line = r.services.soa.Get(r.principal, r.http.matches[1]);
    if (!line.ok()) return WriteJsonError(r.res, line.status());
    WriteLine(r, *line);
  });

  router.Put(kControlPattern, Surface::kApi, edit, [](Request& r) {
    auto version = EntryIfMatch(r.http);
    if (!version.ok()) return WriteJsonError(r.res, version.status());
    auto body = ParseJsonBody(r.http);
    if (!body.ok()) return WriteJsonError(r.res, body.status());
    auto line = r.services.soa.Update(r.principal, r.http.matches[1], *version, *body);
    if (!line.ok()) return WriteJsonError(r.res, line.status());
    WriteLine(r, *line);
  });
}

}  // namespace rampart::http
