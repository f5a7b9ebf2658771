// Evidence files of every register's records:
//   GET    /api/v1/{path}/{id}/evidence     the record's files
//   POST   /api/v1/{path}/{id}/evidence     upload (multipart/form-data: file, title,
//                                           effective_date, expires)
//   GET    /api/v1/evidence/{id}            one file's metadata
//   GET    /api/v1/evidence/{id}/content    download, as an attachment
//   DELETE /api/v1/evidence/{id}
#include <fmt/format.h>

#include "base/clock.h"
#include "domain/registers.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;

nlohmann::json EvidenceToJson(const domain::EvidenceFile& f, std::string_view today) {
  auto date = [](const std::string& d) { return d.empty() ? Json() : Json(d); };
  return Json{{"id", f.id},
              {"record_type", f.record_type},
              {"record_id", f.record_id},
              {"title", f.title},
              {"file_name", f.file_name},
              {"content_type", f.content_type},
              {"size", f.size},
              {"sha256", f.sha256},
              {"effective_date", date(f.effective_date)},
              {"expires", date(f.expires)},
              {"expired", domain::IsExpired(f, today)},
              {"uploaded_by", f.uploaded_by},
              {"uploaded_at", f.uploaded_at},
              {"content_url", fmt::format("/api/v1/evidence/{}/content", f.id)}};
}

Result<app::EvidenceUpload> EvidenceUploadFrom(const Request& r, const domain::RegisterSpec& spec) {
  if (!r.http.IsMultipartFormData()) {
    return InvalidArgument("send the file as multipart/form-data with a part named \"file\"",
                           "file");
  }
  if (!r.http.HasFile("file") || r.http.File("file").filename.empty()) {
    return InvalidArgument("choose a file to upload", "file");
  }
  const auto part = r.http.File("file");
  return app::EvidenceUpload{.record_type = spec.type,
                             .record_id = r.PathId(),
                             .input = {.title = r.Form("title"),
                                       .file_name = part.filename,
                                       .effective_date = r.Form("effective_date"),
                                       .expires = r.Form("expires")},
                             .content = part.content};
}

void WriteEvidenceContent(Request& r, const app::EvidenceContent& c) {
  const std::string etag = "\"" + c.file.sha256 + "\"";
  r.res.SetHeader("ETag", etag);
  r.res.SetHeader("Content-Disposition", domain::AttachmentDisposition(c.file.file_name));
  // Served as the type its bytes were checked to be, never rendered in Rampart's origin: the
  // attachment disposition and a sandboxing policy keep a hostile file from running as a page.
  r.res.SetHeader("Content-Security-Policy", "default-src 'none'; sandbox");
  if (r.http.Header("If-None-Match") == etag) {
    r.res.status = 304;
    return;
  }
  r.res.SetContent(c.bytes, c.file.content_type);
}

namespace {

std::string DateToday(const Request& r) { return FormatDate(r.services.clock.Now()); }

std::string EvidenceUploadDescription() {
  return fmt::format(
      "multipart/form-data. Up to the server's upload limit (20 MiB unless configured; 413 "
      "beyond). Accepted extensions: {}. The type is judged from the bytes: a file whose content "
      "is not what its extension says is refused (400, field `file`), as is an empty file. "
      "Identical content is stored once per organisation (by SHA-256).",
      domain::EvidenceExtensions());
}

Json EvidenceUploadBody() {
  return {
      {"required", true},
      {"content",
       {{"multipart/form-data",
         {{"schema",
           Object({{"file", {{"type", "string"}, {"contentMediaType", "application/octet-stream"}}},
                   {"title", {{"type", "string"}, {"maxLength", 200}}},
                   {"effective_date", {{"type", "string"}, {"format", "date"}}},
                   {"expires", Described({{"type", "string"}, {"format", "date"}},
                                         "the last day the evidence is valid")}},
                  {"file", "title"})}}}}}};
}

void AddRecordEvidenceRoutes(Router& router, const domain::RegisterSpec& spec) {
  const std::string route = "/api/v1/" + spec.path + R"(/(\d+)/evidence)";
  const domain::RegisterSpec* s = &spec;
  const Json tags = Json::array({spec.plural});
  router.Get(route, kRead,
             Doc({{"summary", "Evidence files of a " + s->singular},
                  {"tags", tags},
                  {"operationId", "list_evidence_" + s->type},
                  {"responses",
                   Merge({{"200", JsonResponse("files, oldest first", DataOf("EvidenceFile"))}},
                         ErrorResponses({401, 403, 404}))}},
                 Json::array({kIdParam})),
             [s](Request& r) {
               auto files = r.services.evidence.List(r.principal, *s, r.PathId());
               if (!files.ok()) return WriteJsonError(r.res, files.status());
               const std::string today = DateToday(r);
               Json data = Json::array();
               for (const auto& f : *files) data.push_back(EvidenceToJson(f, today));
               WriteJson(r.res, 200, Json{{"data", std::move(data)}});
             });
  router.Post(route, WriteGuard(spec),
              Doc({{"summary", "Attach an evidence file to a " + s->singular},
                   {"description", EvidenceUploadDescription()},
                   {"tags", tags},
                   {"operationId", "upload_evidence_" + s->type},
                   {"requestBody", EvidenceUploadBody()},
                   {"responses", Merge({{"201", JsonResponse("attached", Ref("EvidenceFile"))}},
                                       ErrorResponses({400, 401, 403, 404, 413}))}},
                  Json::array({kIdParam})),
              [s](Request& r) {
                auto upload = EvidenceUploadFrom(r, *s);
                if (!upload.ok()) return WriteJsonError(r.res, upload.status());
                auto file = r.services.evidence.Upload(r.principal, *upload);
                if (!file.ok()) return WriteJsonError(r.res, file.status());
                r.res.SetHeader("Location", fmt::format("/api/v1/evidence/{}", file->id));
                WriteJson(r.res, 201, EvidenceToJson(*file, DateToday(r)));
              });
}

}  // namespace

void AddEvidenceSchemas(Json& schemas) {
  const Json date = {{"type", {"string", "null"}}, {"format", "date"}};
  schemas["EvidenceFile"] = ObjectOfAll(
      {{"id", {{"type", "integer"}}},
       {"record_type", {{"type", "string"}}},
       {"record_id", {{"type", "integer"}}},
       {"title", {{"type", "string"}}},
       {"file_name", Described({{"type", "string"}}, "made safe: no path, quotes or controls")},
       {"content_type", {{"type", "string"}}},
       {"size", {{"type", "integer"}}},
       {"sha256", {{"type", "string"}}},
       {"effective_date", date},
       {"expires", date},
       {"expired", Described({{"type", "boolean"}}, "the expiry date has passed")},
       {"uploaded_by", {{"type", "integer"}}},
       {"uploaded_at", {{"type", "string"}}},
       {"content_url", {{"type", "string"}}}});
}

void RegisterEvidenceApiRoutes(Router& router) {
  const Json tags = Json::array({"Evidence files"});
  for (const domain::RegisterSpec* spec : domain::AllRegisters()) {
    AddRecordEvidenceRoutes(router, *spec);
  }
  const std::string item = R"(/api/v1/evidence/(\d+))";
  router.Get(item, kRead,
             Doc({{"summary", "An evidence file's metadata"},
                  {"tags", tags},
                  {"operationId", "get_evidence"},
                  {"responses", Merge({{"200", JsonResponse("the file", Ref("EvidenceFile"))}},
                                      ErrorResponses({401, 403, 404}))}},
                 Json::array({kIdParam})),
             [](Request& r) {
               auto file = r.services.evidence.Get(r.principal, r.PathId());
               if (!file.ok()) return WriteJsonError(r.res, file.status());
               WriteJson(r.res, 200, EvidenceToJson(*file, DateToday(r)));
             });
  router.Get(item + "/content", kRead,
             Doc({{"summary", "Download an evidence file"},
                  {"description",
                   "As an attachment (Content-Disposition with an ASCII `filename` and a UTF-8 "
                   "`filename*`), with the checked content type, X-Content-Type-Options: nosniff "
                   "and the SHA-256 as ETag (If-None-Match answers 304)."},
                  {"tags", tags},
                  {"operationId", "download_evidence"},
                  {"responses",
                   Merge({{"200",
                           {{"description", "the file's bytes"},
                            {"content",
                             {{"application/octet-stream", {{"schema", {{"type", "string"}}}}}}}}},
                          {"304", NoContent("not modified")}},
                         ErrorResponses({401, 403, 404}))}},
                 Json::array({kIdParam})),
             [](Request& r) {
               auto content = r.services.evidence.Download(r.principal, r.PathId());
               if (!content.ok()) return WriteJsonError(r.res, content.status());
               WriteEvidenceContent(r, *content);
             });
  // records:edit-own is the least that may delete a file (a contributor's own record's); the use
  // case decides with the file's record.
  router.Delete(
      item, Guard::Needs(domain::Permission::kEditOwnRecords),
      Doc({{"summary", "Delete an evidence file"},
           {"description",
            "Needs what changing the file's record needs. The content is deleted when no "
            "other file of the organisation has it."},
           {"tags", tags},
           {"operationId", "delete_evidence"},
           {"responses", Merge({{"204", NoContent("deleted")}}, ErrorResponses({401, 403, 404}))}},
          Json::array({kIdParam})),
      [](Request& r) {
        Status st = r.services.evidence.Delete(r.principal, r.PathId());
        if (!st.ok()) return WriteJsonError(r.res, st);
        r.res.status = 204;
      });
}

}  // namespace rampart::http
