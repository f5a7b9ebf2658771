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

void AddRecordEvidenceRoutes(Router& router, const domain::RegisterSpec& spec) {
  const std::string route = "/api/v1/" + spec.path + R"(/(\d+)/evidence)";
  const domain::RegisterSpec* s = &spec;
  router.Get(route, Surface::kApi, kRead, [s](Request& r) {
    auto files = r.services.evidence.List(r.principal, *s, r.PathId());
    if (!files.ok()) return WriteJsonError(r.res, files.status());
    const std::string today = DateToday(r);
    Json data = Json::array();
    for (const auto& f : *files) data.push_back(EvidenceToJson(f, today));
    WriteJson(r.res, 200, Json{{"data", std::move(data)}});
  });
  router.Post(route, Surface::kApi, WriteGuard(spec), [s](Request& r) {
    auto upload = EvidenceUploadFrom(r, *s);
    if (!upload.ok()) return WriteJsonError(r.res, upload.status());
    auto file = r.services.evidence.Upload(r.principal, *upload);
    if (!file.ok()) return WriteJsonError(r.res, file.status());
    r.res.SetHeader("Location", fmt::format("/api/v1/evidence/{}", file->id));
    WriteJson(r.res, 201, EvidenceToJson(*file, DateToday(r)));
  });
}

}  // namespace

void RegisterEvidenceApiRoutes(Router& router) {
  for (const domain::RegisterSpec* spec : domain::AllRegisters()) {
    AddRecordEvidenceRoutes(router, *spec);
  }
  const std::string item = R"(/api/v1/evidence/(\d+))";
  router.Get(item, Surface::kApi, kRead, [](Request& r) {
    auto file = r.services.evidence.Get(r.principal, r.PathId());
    if (!file.ok()) return WriteJsonError(r.res, file.status());
    WriteJson(r.res, 200, EvidenceToJson(*file, DateToday(r)));
  });
  router.Get(item + "/content", Surface::kApi, kRead, [](Request& r) {
    auto content = r.services.evidence.Download(r.principal, r.PathId());
    if (!content.ok()) return WriteJsonError(r.res, content.status());
    WriteEvidenceContent(r, *content);
  });
  // records:edit-own is the least that may delete a file (a contributor's own record's); the use
  // case decides with the file's record.
  router.Delete(item, Surface::kApi, Guard::Needs(domain::Permission::kEditOwnRecords),
                [](Request& r) {
                  Status st = r.services.evidence.Delete(r.principal, r.PathId());
                  if (!st.ok()) return WriteJsonError(r.res, st);
                  r.res.status = 204;
                });
}

}  // namespace rampart::http
