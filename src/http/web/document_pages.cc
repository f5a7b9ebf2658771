// Pages of documented information (clause 7.5) beyond the generic register pages, and My work:
//   POST /documents/{id}/new-draft          a new draft, opened for editing
//   POST /documents/{id}/retire             retire the document
//   GET  /document-versions/{id}/edit       a draft's text and summary of changes
//   POST /document-versions/{id}/edit
//   POST /document-versions/{id}/{step}     submit, return, approve, publish
//   GET  /document-versions/compare?from=&to=   the text line by line, then the other fields
//   GET  /my                                what awaits the signed-in person (a staff member's
//                                           landing page)
//   GET  /my/documents/{id}                 a published document as its reader sees it
//   POST /my/acknowledgements/{id}          acknowledge it
// and the hooks the generic pages of documents and versions show: the published text, the
// version in preparation, the versions, who has acknowledged; a version's text and its steps.
#include <fmt/format.h>

#include "base/markdown.h"
#include "domain/documents.h"
#include "http/api/api_util.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

using app::DocumentService;
using domain::Json;
using domain::Record;

namespace {

const domain::RegisterSpec& Docs() { return domain::Documents(); }
const domain::RegisterSpec& VersionsSpec() { return domain::DocumentVersions(); }

std::string Str(const Json& fields, const char* name) {
  const Json v = fields.value(name, Json());
  return v.is_string() ? v.get<std::string>() : std::string();
}

int64_t Number(const Record& v) {
  const Json n = v.fields.value("version_number", Json());
  return n.is_number_integer() ? n.get<int64_t>() : 0;
}

// A version's text rendered from Markdown. cmark-gfm writes no raw HTML from the text and drops
// dangerous links (base/markdown.h).
void RenderedText(Html& h, const Record& v) {
  const std::string body = Str(v.fields, "body");
  h.Open("div", {{"class", "document-text"}});
  if (body.empty()) {
    h.Element("p", {{"class", "muted"}}, "No text yet.");
  } else {
    h.Append(SafeHtml::FromTrusted(MarkdownToHtml(body),
                                   "CommonMark rendered by cmark-gfm in safe mode: raw HTML in "
                                   "the text is omitted, dangerous URLs removed"));
  }
  h.Close("div");
}

std::string StateLabel(const Record& v) {
  return VersionsSpec().Field("status")->ChoiceLabel(Str(v.fields, "status"));
}

void Problem(Request& r, const std::string& title, const Status& st, const std::string& back,
             const std::string& back_label) {
  Html h;
  ErrorAlert(h, title, st.message());
  h.Open("p").Link(back, "← " + back_label).Close("p");
  RenderPage(
      r, {.title = title, .nav = Docs().path, .crumbs = {{"Documents", "/documents"}, {title, ""}}},
      h.Take(), HttpStatusFor(st.code()));
}

// --- A document's page -----------------------------------------------------------------------

void DocumentBanner(Html& h, Request& r, const Record& doc) {
  auto versions = r.services.documents.Versions(r.principal, doc.id);
  if (!versions.ok()) return;
  const Record* published = nullptr;
  const Record* preparing = nullptr;
  for (const auto& v : *versions) {
    const std::string s = Str(v.fields, "status");
    if (s == domain::kDocPublished && published == nullptr) published = &v;
    if ((s == domain::kDocDraft || s == domain::kDocInReview || s == domain::kDocApproved) &&
        preparing == nullptr) {
      preparing = &v;
    }
  }
  if (preparing != nullptr) {
    h.Open("div", {{"class", "callout"}});
    h.Text(fmt::format("Version {} is in preparation ({}). {} ", Number(*preparing),
                       ToLower(StateLabel(*preparing)),
                       published != nullptr
                           ? "Readers see the published version until it is published."
                           : "Nothing is published yet."));
    h.Link(fmt::format("/document-versions/{}", preparing->id),
           fmt::format("Open version {} →", Number(*preparing)));
    h.Close("div");
  }
  if (published != nullptr) {
    auto acks = r.services.documents.Acknowledgements(r.principal, doc.id);
    h.Open("section", {{"class", "card"}, {"aria-labelledby", "published-text"}});
    h.Element("h2", {{"id", "published-text"}},
              fmt::format("Published text — version {}", Number(*published)));
    h.Element("p", {{"class", "muted"}},
              fmt::format("Published {} · approved {} · SHA-256 of the approved content {}",
                          ShortTime(Str(published->fields, "published_at")),
                          ShortTime(Str(published->fields, "approved_at")),
                          Str(published->fields, "content_hash")));
    RenderedText(h, *published);
    h.Close("section");
    if (acks.ok() && acks->version_id != 0) {
      h.Open("section", {{"class", "card"}, {"aria-labelledby", "acks"}});
      h.Element("h2", {{"id", "acks"}}, "Acknowledgements");
      const int pct =
          acks->asked == 0 ? 0 : static_cast<int>(acks->acknowledged * 100 / acks->asked);
      h.Element("p", {{"class", "ack-rate"}},
                acks->asked == 0
                    ? std::string("Nobody was asked to acknowledge this version: its distribution "
                                  "names no one.")
                    : fmt::format("{} of {} acknowledged version {} ({} %).", acks->acknowledged,
                                  acks->asked, acks->version_number, pct));
      if (acks->asked > 0) {
        h.Open("progress", {{"class", "ack-progress"},
                            {"max", std::to_string(acks->asked)},
                            {"value", std::to_string(acks->acknowledged)},
                            {"aria-label", "Acknowledged"}});
        h.Close("progress");
      }
      if (!acks->waiting.empty()) {
        auto members = r.services.registers.Members(r.principal);
        h.Element("h3", {}, "Not yet acknowledged");
        h.Open("ul", {{"class", "work-list"}});
        for (const auto& a : acks->waiting) {
          h.Element("li", {},
                    members.ok() ? UserName(a.fields["person"].get<int64_t>(), *members) : "");
        }
        h.Close("ul");
      }
      h.Close("section");
    }
  }
  // Every version, newest first.
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "versions"}});
  h.Element("h2", {{"id", "versions"}}, "Versions");
  if (versions->empty()) {
    h.Element("p", {{"class", "muted"}}, "No version yet: start the first draft.");
  } else {
    Table t{.cls = "data-table",
            .caption = "Versions of the document",
            .columns = {{.label = "Version", .cls = "cell-num"},
                        {.label = "Status"},
                        {.label = "What changed"},
                        {.label = "Approved"},
                        {.label = "Published"}}};
    t.Open(h);
    const auto& status = *VersionsSpec().Field("status");
    for (const auto& v : *versions) {
      h.Open("tr");
      h.Open("td", {{"class", "cell-num"}})
          .Link(fmt::format("/document-versions/{}", v.id), std::to_string(Number(v)))
          .Close("td");
      h.Open("td");
      Badge(h, status, v.fields["status"]);
      h.Close("td");
      h.Element("td", {}, Str(v.fields, "change_summary"));
      h.Element("td", {}, ShortTime(Str(v.fields, "approved_at")));
      h.Element("td", {}, ShortTime(Str(v.fields, "published_at")));
      h.Close("tr");
    }
    t.Close(h);
    if (versions->size() > 1) {
      h.Open("p")
          .Link(fmt::format("/document-versions/compare?from={}&to={}", (*versions)[1].id,
                            (*versions)[0].id),
                "Compare the latest two versions")
          .Close("p");
    }
  }
  h.Close("section");
}

void DocumentActions(Html& h, Request& r, const Record& doc) {
  const app::Principal& p = r.principal;
  if (p.InAccountSetup() || p.read_only || doc.fields["status"] == "retired") return;
  if (!doc.fields["draft_version"].is_number_integer() && MayChange(p, Docs(), doc)) {
    ButtonForm(h, r, fmt::format("/documents/{}/new-draft", doc.id),
               {.label = doc.fields["latest_version"].is_number_integer() ? "New draft"
                                                                          : "Write the first draft",
                .cls = "button button-primary"});
  }
  if (p.Can(domain::Permission::kEditRecords)) {
    ButtonForm(h, r, fmt::format("/documents/{}/retire", doc.id),
               {.label = "Retire",
                .confirm = "Retire this document? Readers no longer see it; its versions are kept.",
                .hidden = {{"version", std::to_string(doc.version)}}});
  }
}

// --- A version's page ------------------------------------------------------------------------

void VersionBanner(Html& h, Request& r, const Record& v) {
  const std::string s = Str(v.fields, "status");
  h.Open("div", {{"class", s == domain::kDocPublished ? "callout callout-ok"
                           : s == domain::kDocRetired ? "callout callout-warn"
                                                      : "callout"}});
  if (s == domain::kDocDraft) {
    h.Text("Draft: edit the text, then submit it for review.");
  } else if (s == domain::kDocInReview) {
    h.Text("In review: it can be approved, or returned to draft for changes.");
  } else if (s == domain::kDocApproved) {
    h.Text(
        "Approved: publishing it makes it what readers see and asks the distribution to "
        "acknowledge it.");
  } else if (s == domain::kDocPublished) {
    h.Text("Published: this is the version readers see.");
  } else {
    h.Text("Retired: kept as a record.");
  }
  h.Text(" ");
  h.Link(fmt::format("/documents/{}", v.fields["document"].get<int64_t>()), "The document →");
  h.Close("div");
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "version-text"}});
  h.Element("h2", {{"id", "version-text"}}, "Text");
  RenderedText(h, v);
  h.Close("section");
  static_cast<void>(r);
}

void DocumentVersionActions(Html& h, Request& r, const Record& v) {
  auto doc = r.services.registers.Get(r.principal, Docs(), v.fields["document"].get<int64_t>());
  if (!doc.ok()) return;
  struct Offer {
    DocumentService::Step step;
    const char* label;
    const char* cls;
    const char* confirm;
  };
  static const Offer kOffers[] = {
      {DocumentService::Step::kSubmit, "Submit for review", "button button-primary", ""},
      {DocumentService::Step::kApprove, "Approve", "button button-approve",
       "Approve this version? What is approved is recorded with its SHA-256."},
      {DocumentService::Step::kPublish, "Publish", "button button-approve",
       "Publish this version? It replaces the published one, and everyone in the distribution is "
       "asked to acknowledge it."},
      {DocumentService::Step::kReturn, "Return to draft", "button button-secondary", ""},
  };
  for (const auto& o : kOffers) {
    if (!r.services.documents.MayAdvance(r.principal, *doc, v, o.step).ok()) continue;
    ButtonForm(h, r,
               fmt::format("/document-versions/{}/{}", v.id, DocumentService::StepName(o.step)),
               {.label = o.label,
                .cls = o.cls,
                .confirm = o.confirm,
                .hidden = {{"version", std::to_string(v.version)}}});
  }
  if (v.fields["status"] == domain::kDocDraft && MayChange(r.principal, Docs(), *doc)) {
    h.Link(fmt::format("/document-versions/{}/edit", v.id), "Edit text", "button button-secondary");
  }
  if (Number(v) > 1) {
    h.Link(fmt::format("/document-versions/compare?to={}", v.id), "Compare",
           "button button-secondary");
  }
}

// --- Editing a draft -------------------------------------------------------------------------

void EditPage(Request& r, const Record& v, const std::vector<domain::FieldError>& errors,
              const Json& values, int status) {
  Html h;
  if (!errors.empty()) FormErrorSummary(h, errors, "The draft was not saved.");
  OpenPostForm(h, r, fmt::format("/document-versions/{}/edit", v.id), "card record-form");
  h.Void("input", {{"type", "hidden"}, {"name", "version"}, {"value", std::to_string(v.version)}});
  auto error_of = [&](const char* field) -> std::string {
    for (const auto& e : errors) {
      if (e.field == field) return e.message;
    }
    return "";
  };
  for (const auto* name : {"body", "change_summary"}) {
    const domain::FieldSpec& f = *VersionsSpec().Field(name);
    const std::string error = error_of(name);
    h.Open("div", {{"class", "form-field"}});
    h.Element("label", {{"for", name}}, f.label);
    if (!f.help.empty())
      h.Element("p", {{"class", "help"}, {"id", std::string(name) + "-help"}}, f.help);
    if (!error.empty()) {
      h.Element("p", {{"class", "field-error"}, {"id", std::string(name) + "-error"}}, error);
    }
    h.Open("textarea", {{"id", name},
                        {"name", name},
                        {"rows", std::string(name) == "body" ? "24" : "3"},
                        {"class", std::string(name) == "body" ? "document-source" : ""},
                        {"aria-invalid", error.empty() ? "false" : "true"},
                        {"aria-describedby", !error.empty()    ? std::string(name) + "-error"
                                             : !f.help.empty() ? std::string(name) + "-help"
                                                               : std::string()}});
    h.Text(Str(values, name)).Close("textarea");
    h.Close("div");
  }
  h.Open("div", {{"class", "form-actions"}});
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary"}}, "Save draft");
  h.Link(fmt::format("/document-versions/{}", v.id), "Cancel", "button button-secondary");
  h.Close("div").Close("form");
  const std::string title = Str(v.fields, "title");
  RenderPage(r,
             {.title = "Edit " + title,
              .nav = Docs().path,
              .crumbs = {{"Documents", "/documents"},
                         {title, fmt::format("/document-versions/{}", v.id)},
                         {"Edit", ""}}},
             h.Take(), status);
}

// --- Comparing versions ----------------------------------------------------------------------

int64_t QueryId(const Request& r, const char* name) {
  int64_t id = 0;
  return ParseInt(r.Query(name), id) && id > 0 ? id : 0;
}

void ComparePage(Request& r) {
  int64_t to = QueryId(r, "to");
  int64_t from = QueryId(r, "from");
  if (to == 0)
    return Problem(r, "Nothing to compare", InvalidArgument("choose a version", "to"), "/documents",
                   "Documents");
  auto later = r.services.registers.Get(r.principal, VersionsSpec(), to);
  if (!later.ok())
    return Problem(r, "Nothing to compare", later.status(), "/documents", "Documents");
  const int64_t doc_id = later->fields["document"].get<int64_t>();
  auto versions = r.services.documents.Versions(r.principal, doc_id);
  if (!versions.ok())
    return Problem(r, "Nothing to compare", versions.status(), "/documents", "Documents");
  if (from == 0) {  // the version before `to`
    for (const auto& v : *versions) {
      if (Number(v) < Number(*later)) {
        from = v.id;
        break;
      }
    }
    if (from == 0) from = to;
  }
  auto c = r.services.documents.Compare(r.principal, from, to);
  if (!c.ok())
    return Problem(r, "Not compared", c.status(), fmt::format("/documents/{}", doc_id),
                   "The document");
  Html h;
  h.Open("form", {{"method", "get"},
                  {"action", "/document-versions/compare"},
                  {"class", "card compare-form"}});
  for (const auto& [name, label, chosen] :
       {std::tuple{"from", "Earlier version", from}, std::tuple{"to", "Later version", to}}) {
    h.Open("div", {{"class", "form-field"}});
    h.Element("label", {{"for", std::string("compare-") + name}}, label);
    h.Open("select", {{"id", std::string("compare-") + name}, {"name", name}});
    for (const auto& v : *versions) {
      const std::string text = fmt::format("Version {} — {}", Number(v), StateLabel(v));
      if (v.id == chosen) {
        h.Element("option", {{"value", std::to_string(v.id)}, Attr::Flag("selected")}, text);
      } else {
        h.Element("option", {{"value", std::to_string(v.id)}}, text);
      }
    }
    h.Close("select").Close("div");
  }
  h.Element("button", {{"type", "submit"}, {"class", "button button-secondary"}}, "Compare");
  h.Close("form");

  int added = 0, removed = 0;
  for (const auto& l : c->text) {
    added += l.kind == domain::LineChange::Kind::kAdded;
    removed += l.kind == domain::LineChange::Kind::kRemoved;
  }
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "text-changes"}});
  h.Element(
      "h2", {{"id", "text-changes"}},
      fmt::format("Text: {} {} added, {} removed", added, added == 1 ? "line" : "lines", removed));
  h.Open("div", {{"class", "text-diff"}, {"role", "list"}});
  for (const auto& l : c->text) {
    const char* cls = l.kind == domain::LineChange::Kind::kAdded     ? "diff-line diff-added"
                      : l.kind == domain::LineChange::Kind::kRemoved ? "diff-line diff-removed"
                                                                     : "diff-line";
    const char* mark = l.kind == domain::LineChange::Kind::kAdded     ? "+"
                       : l.kind == domain::LineChange::Kind::kRemoved ? "−"
                                                                      : " ";
    const char* said = l.kind == domain::LineChange::Kind::kAdded     ? "Added: "
                       : l.kind == domain::LineChange::Kind::kRemoved ? "Removed: "
                                                                      : "";
    h.Open("div", {{"class", cls}, {"role", "listitem"}});
    h.Element("span", {{"class", "diff-mark"}, {"aria-hidden", "true"}}, mark);
    if (*said != '\0') h.Element("span", {{"class", "visually-hidden"}}, said);
    h.Element("span", {{"class", "diff-text"}}, l.text.empty() ? " " : l.text);
    h.Close("div");
  }
  h.Close("div").Close("section");

  auto members = r.services.registers.Members(r.principal);
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "field-changes"}});
  h.Element("h2", {{"id", "field-changes"}}, "Other fields");
  Table t{.cls = "data-table",
          .caption = "Fields of both versions",
          .columns = {{.label = "Field"},
                      {.label = fmt::format("Version {}", Number(c->from))},
                      {.label = fmt::format("Version {}", Number(c->to))}}};
  t.Open(h);
  for (const auto& f : c->fields) {
    if (f.field->name == "document" || f.field->name == "title") continue;
    h.Open("tr", {{"class", f.changed ? "row-changed" : ""}});
    h.Element("th", {{"scope", "row"}}, f.field->label);
    h.Element("td", {}, members.ok() ? DisplayValue(*f.field, f.from, *members) : "");
    h.Element("td", {}, members.ok() ? DisplayValue(*f.field, f.to, *members) : "");
    h.Close("tr");
  }
  t.Close(h);
  h.Close("section");
  const std::string title = Str(c->to.fields, "title");
  RenderPage(r,
             {.title = "Compare versions",
              .nav = Docs().path,
              .crumbs = {{"Documents", "/documents"},
                         {title, fmt::format("/documents/{}", doc_id)},
                         {"Compare", ""}},
              .subtitle = fmt::format("Version {} → version {}", Number(c->from), Number(c->to))},
             h.Take());
}

// --- My work ---------------------------------------------------------------------------------

void AckButton(Html& h, Request& r, const Record& ack) {
  ButtonForm(h, r, fmt::format("/my/acknowledgements/{}", ack.id),
             {.label = "I have read and understood it",
              .cls = "button button-primary",
              .aria_label = "Acknowledge " + Str(ack.fields, "title")});
}

void MyPage(Request& r) {
  auto work = r.services.documents.Work(r.principal);
  auto docs = r.services.documents.MyDocuments(r.principal);
  if (!work.ok() || !docs.ok()) {
    return Problem(r, "My work", !work.ok() ? work.status() : docs.status(), "/account", "Account");
  }
  Html h;
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "to-ack"}});
  h.Element("h2", {{"id", "to-ack"}},
            fmt::format("Documents to acknowledge ({})", work->acknowledgements.size()));
  if (work->acknowledgements.empty()) {
    h.Element("p", {{"class", "muted"}}, "Nothing waits for your acknowledgement.");
  } else {
    h.Open("ul", {{"class", "work-list"}});
    for (const auto& a : work->acknowledgements) {
      h.Open("li");
      h.Link(fmt::format("/my/documents/{}", a.fields["document"].get<int64_t>()),
             Str(a.fields, "title"));
      h.Element("span", {{"class", "muted"}},
                " · asked " + ShortTime(Str(a.fields, "requested_at")));
      h.Close("li");
    }
    h.Close("ul");
  }
  h.Close("section");
  MyAwarenessSections(h, r);
  MyTasksSection(h, r);

  if (r.principal.Can(domain::Permission::kReadRecords)) {
    h.Open("section", {{"class", "card"}, {"aria-labelledby", "to-approve"}});
    h.Element("h2", {{"id", "to-approve"}},
              fmt::format("Approvals waiting for you ({})", work->approvals.size()));
    if (work->approvals.empty()) {
      h.Element("p", {{"class", "muted"}}, "No document waits for your approval.");
    } else {
      h.Open("ul", {{"class", "work-list"}});
      for (const auto& v : work->approvals) {
        h.Open("li").Link(fmt::format("/document-versions/{}", v.id), Str(v.fields, "title"));
        h.Close("li");
      }
      h.Close("ul");
    }
    h.Close("section");
    h.Open("section", {{"class", "card"}, {"aria-labelledby", "to-review"}});
    h.Element("h2", {{"id", "to-review"}},
              fmt::format("Your records due for review ({})", work->reviews.size()));
    if (work->reviews.empty()) {
      h.Element("p", {{"class", "muted"}}, "None of your records is due for review.");
    } else {
      h.Open("ul", {{"class", "work-list"}});
      for (const auto& d : work->reviews) {
        const Json t = d.record.fields.value(d.spec->title_field, Json());
        h.Open("li");
        h.Link(fmt::format("/{}/{}", d.spec->path, d.record.id),
               t.is_string() ? t.get<std::string>() : d.spec->singular);
        h.Element("span", {{"class", "muted"}},
                  fmt::format(" · {} · review due {}", d.spec->singular,
                              Str(d.record.fields, "next_review")));
        h.Close("li");
      }
      h.Close("ul");
    }
    h.Close("section");
  }

  h.Open("section", {{"class", "card"}, {"aria-labelledby", "my-docs"}});
  h.Element("h2", {{"id", "my-docs"}}, "Documents for you");
  if (docs->empty()) {
    h.Element("p", {{"class", "muted"}}, "No published document is distributed to you yet.");
  } else {
    Table t{.cls = "data-table",
            .caption = "Published documents distributed to you",
            .columns = {{.label = "No."},
                        {.label = "Title"},
                        {.label = "Version"},
                        {.label = "Your acknowledgement"}}};
    t.Open(h);
    for (const auto& d : *docs) {
      h.Open("tr");
      h.Element("td", {}, domain::DocumentReference(d.document.fields));
      h.Open("td", {{"class", "cell-title"}})
          .Link(fmt::format("/my/documents/{}", d.document.id), Str(d.document.fields, "title"))
          .Close("td");
      h.Element("td", {{"class", "cell-num"}}, std::to_string(Number(d.version)));
      const bool done = d.acknowledgement && d.acknowledgement->fields["status"] == "acknowledged";
      h.Element("td", {},
                done
                    ? "Acknowledged " + ShortTime(Str(d.acknowledgement->fields, "acknowledged_at"))
                : d.acknowledgement ? std::string("Waiting")
                                    : std::string("—"));
      h.Close("tr");
    }
    t.Close(h);
  }
  h.Close("section");
  MyAwarenessRecord(h, r);
  const std::string notice = r.Query("notice");
  RenderPage(r,
             {.title = "My work",
              .nav = "my",
              .subtitle = "What waits for you",
              .notice = notice == "acknowledged" ? "Acknowledged. Thank you."
                        : notice == "completed"  ? "Completed. Thank you."
                                                 : ""},
             h.Take());
}

void ReaderPage(Request& r) {
  auto d = r.services.documents.Published(r.principal, r.PathId());
  if (!d.ok()) return Problem(r, "Not found", d.status(), "/my", "My work");
  const std::string title =
      domain::DocumentReference(d->document.fields) + " " + Str(d->document.fields, "title");
  Html h;
  h.Open("div", {{"class", "callout"}});
  h.Text(fmt::format("Version {}, published {}.", Number(d->version),
                     ShortTime(Str(d->version.fields, "published_at"))));
  h.Close("div");
  h.Open("article", {{"class", "card"}, {"aria-label", "Text"}});
  RenderedText(h, d->version);
  h.Close("article");
  h.Open("section", {{"class", "card ack-panel"}, {"aria-label", "Acknowledgement"}});
  if (!d->acknowledgement) {
    h.Element("p", {{"class", "muted"}}, "You are not asked to acknowledge this version.");
  } else if (d->acknowledgement->fields["status"] == "acknowledged") {
    h.Element("p", {{"class", "ack-done"}},
              "You acknowledged this version " +
                  ShortTime(Str(d->acknowledgement->fields, "acknowledged_at")) + ".");
  } else {
    h.Element("p", {}, "Please read this version and confirm that you have understood it.");
    AckButton(h, r, *d->acknowledgement);
  }
  h.Close("section");
  RenderPage(r,
             {.title = title,
              .nav = "my",
              .crumbs = {{"My work", "/my"}, {title, ""}},
              .subtitle = Docs().Field("type")->ChoiceLabel(Str(d->document.fields, "type")),
              .notice = r.Query("notice") == "acknowledged" ? "Acknowledged. Thank you." : ""},
             h.Take());
}

}  // namespace

void AddDocumentPageHooks(PageHooks& all) {
  all[&Docs()].views = {
      {"mandatory-documentation", "/mandatory-documentation", "Mandatory documentation", "7.5.1"}};
  all[&Docs()].detail_banner = DocumentBanner;
  all[&Docs()].detail_actions = DocumentActions;
  auto& versions = all[&VersionsSpec()];
  versions.detail_banner = VersionBanner;
  versions.detail_actions = DocumentVersionActions;
  versions.detail_hidden = {"body"};
}

void AddDocumentPages(Router& router) {
  router.Post(R"(/documents/(\d+)/new-draft)", Surface::kWeb,
              Guard::Needs(domain::Permission::kEditOwnRecords), [](Request& r) {
                auto draft = r.services.documents.NewDraft(r.principal, r.PathId(), 0);
                if (draft.ok()) {
                  return r.res.SetRedirect(fmt::format("/document-versions/{}/edit", draft->id),
                                           303);
                }
                Problem(r, "No draft created", draft.status(),
                        fmt::format("/documents/{}", r.PathId()), "Back to the document");
              });
  router.Post(R"(/documents/(\d+)/retire)", Surface::kWeb,
              Guard::Needs(domain::Permission::kEditRecords), [](Request& r) {
                auto done = r.services.documents.Retire(r.principal, r.PathId(), r.FormVersion());
                if (done.ok()) {
                  return r.res.SetRedirect(fmt::format("/documents/{}?notice=saved", done->id),
                                           303);
                }
                Problem(r, "Not retired", done.status(), fmt::format("/documents/{}", r.PathId()),
                        "Back to the document");
              });
  router.Get("/document-versions/compare", Surface::kWeb, kRead, ComparePage);
  router.Get(R"(/document-versions/(\d+)/edit)", Surface::kWeb,
             Guard::Needs(domain::Permission::kEditOwnRecords), [](Request& r) {
               auto v = r.services.registers.Get(r.principal, VersionsSpec(), r.PathId());
               if (!v.ok()) return Problem(r, "Not found", v.status(), "/documents", "Documents");
               auto doc = r.services.registers.Get(r.principal, Docs(),
                                                   v->fields["document"].get<int64_t>());
               Status may = doc.ok() ? app::RegisterService::CheckCanWrite(r.principal, Docs(),
                                                                           &doc->fields, nullptr)
                                     : doc.status();
               if (may.ok() && v->fields["status"] != domain::kDocDraft) {
                 may = FailedPrecondition("only a draft is edited: start a new draft");
               }
               if (!may.ok()) {
                 return Problem(r, "Not editable", may, fmt::format("/document-versions/{}", v->id),
                                "Back to the version");
               }
               EditPage(r, *v, {}, v->fields, 200);
             });
  router.Post(
      R"(/document-versions/(\d+)/edit)", Surface::kWeb,
      Guard::Needs(domain::Permission::kEditOwnRecords), [](Request& r) {
        Json input = {{"body", r.Form("body")}, {"change_summary", r.Form("change_summary")}};
        for (const char* name : {"body", "change_summary"}) {
          if (input[name].get<std::string>().empty()) input[name] = nullptr;
        }
        std::vector<domain::FieldError> errors;
        auto done = r.services.documents.EditDraft(r.principal, r.PathId(), r.FormVersion(), input,
                                                   &errors);
        if (done.ok()) {
          return r.res.SetRedirect(fmt::format("/document-versions/{}?notice=saved", done->id),
                                   303);
        }
        auto v = r.services.registers.Get(r.principal, VersionsSpec(), r.PathId());
        if (!errors.empty() && v.ok()) {
          return EditPage(r, *v, errors, input, 422);
        }
        Problem(r, "Not saved", done.status(), fmt::format("/document-versions/{}", r.PathId()),
                "Back to the version");
      });
  for (const auto step : {DocumentService::Step::kSubmit, DocumentService::Step::kReturn,
                          DocumentService::Step::kApprove, DocumentService::Step::kPublish}) {
    router.Post(R"(/document-versions/(\d+)/)" + std::string(DocumentService::StepName(step)),
                Surface::kWeb, Guard::Needs(domain::Permission::kReadRecords), [step](Request& r) {
                  auto done =
                      r.services.documents.Advance(r.principal, r.PathId(), r.FormVersion(), step);
                  if (done.ok()) {
                    return r.res.SetRedirect(
                        fmt::format("/document-versions/{}?notice=saved", done->id), 303);
                  }
                  Problem(r, "Not done", done.status(),
                          fmt::format("/document-versions/{}", r.PathId()), "Back to the version");
                });
  }
  router.Get("/my", Surface::kWeb, Guard::Account(), MyPage);
  router.Get(R"(/my/documents/(\d+))", Surface::kWeb, Guard::Account(), ReaderPage);
  router.Post(R"(/my/acknowledgements/(\d+))", Surface::kWeb, Guard::Account(), [](Request& r) {
    auto done = r.services.documents.Acknowledge(r.principal, r.PathId());
    if (done.ok()) {
      return r.res.SetRedirect(fmt::format("/my/documents/{}?notice=acknowledged",
                                           done->fields["document"].get<int64_t>()),
                               303);
    }
    Problem(r, "Not acknowledged", done.status(), "/my", "My work");
  });
}

}  // namespace rampart::http
