// Reports in the web UI:
//   GET /reports          every report with its formats, a classification and (the audit trail
//                         excerpt) a period; plain GET forms, no JavaScript needed
//   GET /reports/{name}   the file (format pdf, docx, xlsx, csv) or the print view (html); a
//                         problem shows the reports page again with what is wrong
//   GET /audit-pack       the audit pack (ZIP), for readers of the audit trail: its form leads
//                         the reports page
#include <fmt/format.h>

#include "app/audit_pack_service.h"
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
                  .subtitle = "The documents an auditor asks for, built from the records"};
  Html h;
  if (!problem.ok()) ErrorAlert(h, "The report could not be made", problem.message());
  const std::string today = FormatDate(r.services.clock.Now());
  if (r.principal.Can(domain::Permission::kReadAuditTrail) &&
      r.principal.Can(domain::Permission::kReadRecords)) {
    h.Open("section", {{"class", "card report-card audit-pack"},
                       {"id", "audit-pack"},
                       {"aria-labelledby", "audit-pack-title"}});
    h.Element("h2", {{"class", "report-title"}, {"id", "audit-pack-title"}}, "Audit pack");
    h.Element("p", {{"class", "muted"}},
              "One ZIP for an external auditor: the scope, the published policies, the "
              "Statement of Applicability, the risk register and treatment plan, objectives, "
              "competence and awareness records, internal audit reports, the last management "
              "review, the nonconformity log and the readiness summary as they were on the day "
              "chosen, with the audit trail of the period, a script to verify it offline and an "
              "index. The download is recorded in the audit trail.");
    h.Open("form", {{"method", "get"}, {"action", "/audit-pack"}, {"class", "report-form"}});
    h.Open("label", {{"for", "audit-pack-as-of"}}).Text("As of").Close("label");
    h.Void("input", {{"type", "date"},
                     {"id", "audit-pack-as-of"},
                     {"name", "as_of"},
                     {"value", today},
                     {"max", today},
                     Attr::Flag("required")});
    h.Open("label", {{"for", "audit-pack-from"}}).Text("Audit trail from").Close("label");
    h.Void("input", {{"type", "date"}, {"id", "audit-pack-from"}, {"name", "from"}});
    h.Open("label", {{"class", "check"}, {"for", "audit-pack-evidence"}});
    h.Void("input", {{"type", "checkbox"},
                     {"id", "audit-pack-evidence"},
                     {"name", "evidence"},
                     {"value", "true"}});
    h.Text(" With the evidence files").Close("label");
    h.Open("span", {{"class", "report-formats"}});
    h.Element("button", {{"type", "submit"}, {"class", "button button-primary button-small"}},
              "Download the audit pack");
    h.Close("span");
    h.Close("form");
    h.Close("section");
  }
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
    if (!info.period) {
      h.Open("label", {{"for", id + "-as-of"}}).Text("As of").Close("label");
      h.Void("input", {{"type", "date"}, {"id", id + "-as-of"}, {"name", "as_of"}, {"max", today}});
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

void AuditPackRoute(Request& r) {
  auto options = AuditPackOptionsFrom(r);
  if (!options.ok()) return ReportsPage(r, options.status(), 400);
  auto pack = r.services.audit_pack.Build(r.principal, *options);
  if (!pack.ok()) return ReportsPage(r, pack.status(), HttpStatusFor(pack.status().code()));
  WriteAuditPack(r, *pack);
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
  router.Get("/audit-pack", Surface::kWeb,
             Guard{Access::kPermission, domain::Permission::kReadAuditTrail, true}, AuditPackRoute);
}

}  // namespace rampart::http
