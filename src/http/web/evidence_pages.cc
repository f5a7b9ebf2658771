// The evidence section of every record's page (files with their dates, an "Expired" badge, the
// upload form and delete buttons for those who may change the record) and the two form posts
// behind it. Downloads link to the API's content route, which answers the session cookie too.
#include <fmt/format.h>

#include "base/text.h"
#include "domain/registers.h"
#include "http/api/api.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

namespace {

std::string SizeText(int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  if (bytes < 1024 * 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024 * 1024));
}

std::string AcceptList() {
  std::string out;
  for (const auto& t : domain::EvidenceTypes()) {
    out += (out.empty() ? "." : ",.") + std::string(t.extension);
  }
  return out;
}

// The page a failed deletion answers with: what went wrong, and the way back.
void NotDone(Request& r, const std::string& title, const std::string& back, const Status& st) {
  Html h;
  ErrorAlert(h, title, st.message());
  h.Open("p").Link(back, "Back to the record", "button button-secondary").Close("p");
  RenderPage(r, {.title = title, .crumbs = {{title, ""}}}, h.Take(), HttpStatusFor(st.code()));
}

void AddUploadPage(Router& router, const domain::RegisterSpec& spec) {
  const domain::RegisterSpec* s = &spec;
  router.Post(
      "/" + spec.path + R"(/(\d+)/evidence)", Surface::kWeb, WriteGuard(spec), [s](Request& r) {
        const std::string back = fmt::format("/{}/{}", s->path, r.PathId());
        auto upload = EvidenceUploadFrom(r, *s);
        Result<domain::EvidenceFile> file = upload.ok()
                                                ? r.services.evidence.Upload(r.principal, *upload)
                                                : Result<domain::EvidenceFile>(upload.status());
        if (!file.ok()) {
          // The record's page again, the error at the form and what was typed kept.
          const RefusedUpload refused{.status = file.status(),
                                      .title = r.Form("title"),
                                      .effective_date = r.Form("effective_date"),
                                      .expires = r.Form("expires")};
          return RecordPage(r, *s, &refused);
        }
        r.res.SetRedirect(back + "?notice=evidence-added#evidence", 303);
      });
}

}  // namespace

void RenderEvidenceSection(Html& h, Request& r, const domain::RegisterSpec& spec,
                           const domain::Record& rec,
                           const std::vector<domain::UserSummary>& members,
                           const RefusedUpload* refused) {
  auto files = r.services.evidence.List(r.principal, spec, rec.id);
  if (!files.ok()) return;
  const bool may_write = r.services.evidence.MayWrite(r.principal, spec, rec);
  const std::string today = Today(r);
  h.Open("section", {{"class", "card table-card evidence"},
                     {"id", "evidence"},
                     {"aria-labelledby", "evidence-title"}});
  h.Open("div", {{"class", "table-meta"}});
  h.Element("h2", {{"id", "evidence-title"}, {"class", "count"}},
            files->size() == 1 ? std::string("1 evidence file")
                               : fmt::format("{} evidence files", files->size()));
  h.Close("div");
  if (files->empty()) {
    h.Element("p", {{"class", "card-body muted"}}, "No evidence is attached to this record yet.");
  } else {
    Table table{.cls = "data-table stack-narrow no-sort labelled-badges",
                .caption = "Evidence files",
                .columns = {{.label = "Title"},
                            {.label = "File"},
                            {.label = "Size", .cls = "cell-num"},
                            {.label = "Effective"},
                            {.label = "Expires"},
                            {.label = "Uploaded"}}};
    if (may_write) {
      table.columns.push_back({.label = "Actions", .shown = Visibility::kVisuallyHidden});
    }
    table.Open(h);
    for (const auto& f : *files) {
      const bool expired = domain::IsExpired(f, today);
      h.Open("tr");
      h.Open("td", {{"class", "cell-title"}}).Open("div", {{"class", "cell-line"}});
      h.Text(f.title);
      if (expired) h.Element("span", {{"class", "badge badge-danger"}}, "Expired");
      h.Close("div").Close("td");
      h.Open("td", {{"data-label", "File"}});
      h.Link(fmt::format("/api/v1/evidence/{}/content", f.id), f.file_name);
      h.Close("td");
      h.Element("td", {{"class", "cell-num"}, {"data-label", "Size"}}, SizeText(f.size));
      h.Element("td", {{"class", "cell-date"}, {"data-label", "Effective"}},
                f.effective_date.empty() ? "—" : f.effective_date);
      h.Element("td", {{"class", "cell-date"}, {"data-label", "Expires"}},
                f.expires.empty() ? "—" : f.expires);
      h.Element(
          "td", {{"data-label", "Uploaded"}},
          fmt::format("{} by {}", f.uploaded_at.substr(0, 10), UserName(f.uploaded_by, members)));
      if (may_write) {
        h.Open("td");
        ButtonForm(h, r, fmt::format("/evidence/{}/delete", f.id),
                   {.label = "Delete",
                    .cls = "button button-danger button-small",
                    .confirm = "Delete the evidence file \"" + f.title + "\"?"});
        h.Close("td");
      }
      h.Close("tr");
    }
    table.Close(h);
  }
  if (may_write) {
    const Status error = refused != nullptr ? refused->status : Status::Ok();
    const auto kept = [&](std::string RefusedUpload::*value) {
      return refused != nullptr ? refused->*value : std::string();
    };
    OpenPostForm(h, r, fmt::format("/{}/{}/evidence", spec.path, rec.id), "evidence-upload");
    if (refused != nullptr) {
      const bool on_file = error.field().empty() || error.field() == "file";
      ErrorAlert(h, "File not attached",
                 on_file ? error.message() + ". Choose the file again; the rest is kept."
                         : error.message());
    }
    h.Open("div", {{"class", "form-grid form-grid-flush"}});
    Input(h,
          {.name = "title",
           .label = "Title",
           .id = "evidence-title-input",
           .value = kept(&RefusedUpload::title),
           .maxlength = "200",
           .required = true},
          error);
    h.Open("div", {{"class", "form-field"}});
    h.Open("label", {{"for", "evidence-file"}}).Text("File");
    h.Element("span", {{"class", "req"}, {"aria-hidden", "true"}}, " *");
    h.Element("span", {{"class", "visually-hidden"}}, " (required)");
    h.Close("label");
    h.Void("input", {{"type", "file"},
                     {"id", "evidence-file"},
                     {"name", "file"},
                     {"accept", AcceptList()},
                     {"required", "required"},
                     {"aria-describedby", "evidence-file-help"}});
    h.Element("p", {{"class", "help"}, {"id", "evidence-file-help"}},
              fmt::format("Up to {} MiB: {}. The content must match the extension.",
                          r.services.evidence.max_bytes() >> 20, domain::EvidenceExtensions()));
    h.Close("div");
    Input(h,
          {.name = "effective_date",
           .label = "Effective date",
           .id = "evidence-effective",
           .type = "date",
           .value = kept(&RefusedUpload::effective_date)},
          error);
    Input(h,
          {.name = "expires",
           .label = "Expires",
           .id = "evidence-expires",
           .type = "date",
           .value = kept(&RefusedUpload::expires),
           .help = "The last day this evidence is valid."},
          error);
    h.Close("div");
    h.Open("div", {{"class", "form-actions form-actions-flush"}});
    h.Element("button", {{"type", "submit"}, {"class", "button button-secondary"}}, "Attach file");
    h.Close("div").Close("form");
  }
  h.Close("section");
}

void AddEvidencePages(Router& router) {
  for (const domain::RegisterSpec* spec : domain::AllRegisters()) AddUploadPage(router, *spec);
  // records:edit-own is the least that may delete a file; the use case decides with its record.
  router.Post(R"(/evidence/(\d+)/delete)", Surface::kWeb,
              Guard::Needs(domain::Permission::kEditOwnRecords), [](Request& r) {
                auto file = r.services.evidence.Get(r.principal, r.PathId());
                const domain::RegisterSpec* spec =
                    file.ok() ? domain::FindRegisterByType(file->record_type) : nullptr;
                const std::string back =
                    spec != nullptr ? fmt::format("/{}/{}", spec->path, file->record_id) : "/";
                Status st =
                    file.ok() ? r.services.evidence.Delete(r.principal, r.PathId()) : file.status();
                if (!st.ok()) return NotDone(r, "File not deleted", back, st);
                r.res.SetRedirect(back + "?notice=evidence-deleted#evidence", 303);
              });
}

}  // namespace rampart::http
