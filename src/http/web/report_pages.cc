// Reports in the web UI:
//   GET /reports          every report with its formats, a classification and (the audit trail
//                         excerpt) a period; plain GET forms, no JavaScript needed
//   GET /reports/{name}   the file (format pdf, docx, xlsx, csv) or the print view (html); a
//                         problem shows the reports page again with what is wrong
#include <fmt/format.h>

#include "app/report_service.h"
#include "domain/documents.h"
#include "http/api/api.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

namespace {

constexpr std::string_view kClassifications[] = {"Internal", "Public", "Confidential",
                                                 "Restricted"};

void Rows(Html& h, const std::vector<std::pair<std::string, std::string>>& rows, const char* cls) {
  h.Open("table", {{"class", cls}});
  h.Open("tbody");
  for (const auto& [label, value] : rows) {
    h.Open("tr");
    h.Element("th", {{"scope", "row"}}, label);
    h.Element("td", {{"class", "report-text"}}, value);
    h.Close("tr");
  }
  h.Close("tbody");
  h.Close("table");
}

// Text with its line breaks kept (the stylesheet's pre-line).
void Lines(Html& h, const char* tag, const std::string& text) {
  h.Element(tag, {{"class", "report-text"}}, text);
}

void TableOf(Html& h, const ReportTable& t) {
  h.Open("div", {{"class", "table-scroll"}});
  h.Open("table", {{"class", "data-table report-table"}});
  h.Open("thead").Open("tr");
  for (const auto& c : t.header) h.Element("th", {{"scope", "col"}}, c);
  h.Close("tr").Close("thead");
  h.Open("tbody");
  if (t.rows.empty()) {
    h.Open("tr");
    h.Element("td", {{"colspan", std::to_string(std::max<size_t>(1, t.header.size()))}}, "None.");
    h.Close("tr");
  }
  for (const auto& row : t.rows) {
    h.Open("tr");
    for (size_t c = 0; c < t.header.size(); ++c) {
      const bool number = c < t.numeric.size() && t.numeric[c];
      h.Element("td", {{"class", number ? "num report-text" : "report-text"}},
                c < row.size() ? row[c] : "");
    }
    h.Close("tr");
  }
  h.Close("tbody");
  h.Close("table");
  h.Close("div");
}

void ReportsPage(Request& r, const Status& problem = Status::Ok(), int status = 200) {
  PageFrame frame{.title = "Reports",
                  .nav = "reports",
                  .crumbs = {{"Overview", "/"}, {"Reports", ""}},
                  .subtitle = "The documents an auditor asks for, built from the records now"};
  Html h;
  if (!problem.ok()) ErrorAlert(h, "The report could not be made", problem.message());
  h.Element("p", {{"class", "muted"}},
            "PDF and Word files open with a document-control block (organisation, version, "
            "approval, classification, when generated and the SHA-256 of the content) and "
            "number their pages. Excel and CSV hold the report's table.");
  h.Open("ul", {{"class", "report-list"}});
  const bool audit = r.principal.Can(domain::Permission::kReadAuditTrail);
  for (const auto& info : app::Reports()) {
    if (info.period && !audit) continue;
    const std::string id = "report-" + info.name;
    h.Open("li", {{"class", "card report-card"}, {"id", id}});
    h.Open("h2", {{"class", "report-title"}});
    h.Element("span", {{"class", "mandatory-ref"}}, info.clause);
    h.Text(info.title);
    h.Close("h2");
    h.Element("p", {{"class", "muted"}}, info.summary);
    h.Open("form",
           {{"method", "get"}, {"action", "/reports/" + info.name}, {"class", "report-form"}});
    if (info.record != nullptr) {
      // The records to choose from: the 200 most recently changed.
      domain::ListQuery q;
      q.sort = "updated_at";
      q.descending = true;
      q.limit = 200;
      auto page = r.services.registers.List(r.principal, *info.record, q);
      h.Open("label", {{"for", id + "-id"}}).Text(info.record->singular).Close("label");
      h.Open("select", {{"id", id + "-id"}, {"name", "id"}, Attr::Flag("required")});
      if (page.ok() && page->records.empty()) {
        h.Element("option", {{"value", ""}}, "None recorded yet");
      }
      if (page.ok()) {
        for (const auto& rec : page->records) {
          const std::string title = rec.fields.value(info.record->title_field, std::string());
          h.Element("option", {{"value", std::to_string(rec.id)}},
                    title.empty() ? "#" + std::to_string(rec.id) : title);
        }
      }
      h.Close("select");
    }
    if (info.period) {
      h.Open("label", {{"for", id + "-from"}}).Text("From").Close("label");
      h.Void("input",
             {{"type", "date"}, {"id", id + "-from"}, {"name", "from"}, Attr::Flag("required")});
      h.Open("label", {{"for", id + "-to"}}).Text("To").Close("label");
      h.Void("input", {{"type", "date"}, {"id", id + "-to"}, {"name", "to"}});
    }
    // A document carries its own classification.
    if (info.record != &domain::Documents()) {
      h.Open("label", {{"for", id + "-classification"}}).Text("Classification").Close("label");
      h.Open("select", {{"id", id + "-classification"}, {"name", "classification"}});
      for (auto c : kClassifications) h.Element("option", {{"value", c}}, c);
      h.Close("select");
    }
    h.Open("span", {{"class", "report-formats"}});
    auto button = [&](const char* format, const char* label, const char* cls) {
      h.Element("button",
                {{"type", "submit"}, {"name", "format"}, {"value", format}, {"class", cls}}, label);
    };
    button("pdf", "PDF", "button button-primary button-small");
    button("docx", "Word", "button button-secondary button-small");
    if (info.tabular) {
      button("xlsx", "Excel", "button button-secondary button-small");
      button("csv", "CSV", "button button-secondary button-small");
    }
    button("html", "Print view", "button button-ghost button-small");
    h.Close("span");
    h.Close("form");
    h.Close("li");
  }
  h.Close("ul");
  RenderPage(r, frame, h.Take(), status);
}

void ReportRoute(Request& r) {
  const std::string name = r.http.matches[1];
  auto format = app::ParseReportFormat(r.Query("format"));
  if (!format.ok()) return ReportsPage(r, format.status(), 400);
  if (*format == app::ReportFormat::kHtml) {
    auto doc = r.services.reports.Build(r.principal, name, ReportOptionsFrom(r));
    if (!doc.ok()) return ReportsPage(r, doc.status(), HttpStatusFor(doc.status().code()));
    r.res.SetHeader("X-Content-SHA256", doc->control.source_sha256);
    return r.res.SetContent(ReportPrintView(*doc).Release(), "text/html; charset=utf-8");
  }
  auto file = r.services.reports.Render(r.principal, name, *format, ReportOptionsFrom(r));
  if (!file.ok()) return ReportsPage(r, file.status(), HttpStatusFor(file.status().code()));
  WriteReportFile(r, *file);
}

}  // namespace

SafeHtml ReportPrintView(const ReportDocument& doc) {
  Html h;
  h.Raw(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
  h.Element("title", {}, doc.control.title + " · " + doc.control.organisation);
  h.Raw("<link rel=\"stylesheet\" href=\"/static/app.css\"></head><body class=\"print-doc\">");
  h.Open("main", {{"class", "print-main"}});
  h.Open("header", {{"class", "print-header"}});
  h.Element("p", {{"class", "print-org"}}, doc.control.organisation);
  h.Element("h1", {}, doc.control.title);
  h.Close("header");
  h.Open("section", {{"aria-label", "Document control"}});
  Rows(h, DocumentControlRows(doc.control), "report-control");
  h.Close("section");
  for (const auto& b : doc.blocks) {
    switch (b.kind) {
      case ReportBlock::Kind::kHeading:
        h.Element(b.level == 1 ? "h2" : "h3", {}, b.text);
        break;
      case ReportBlock::Kind::kParagraph:
        Lines(h, "p", b.text);
        break;
      case ReportBlock::Kind::kFields:
        Rows(h, b.fields, "report-fields");
        break;
      case ReportBlock::Kind::kTable:
        TableOf(h, b.table);
        break;
    }
  }
  h.Close("main").Raw("</body></html>");
  return h.Take();
}

void AddReportPages(Router& router) {
  router.Get("/reports", Surface::kWeb, kRead, [](Request& r) { ReportsPage(r); });
  router.Get(R"(/reports/([a-z0-9-]+))", Surface::kWeb, kExport, ReportRoute);
}

}  // namespace rampart::http
