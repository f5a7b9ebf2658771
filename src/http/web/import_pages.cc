// Spreadsheet import on the pages of every register records can be written to directly
// (app::ImportService::Imports), for those who may import (app::ImportService::CheckMayImport):
//   GET  /{path}/import         the file to upload (CSV or XLSX), a saved mapping to start from,
//                               what an import does and its limits
//   POST /{path}/import         keeps the file (ImportService::KeepUpload) once it reads, and
//                               sends to its mapping page; a file that does not read is refused
//                               at the file field
//   GET  /{path}/import/{id}    the file's columns, each with its first values and the field it
//                               is proposed to hold (a saved mapping's choices first, ?mapping=)
//   POST /{path}/import/mappings/{id}/delete
//                               deletes a saved mapping (listed on the upload page)
//   POST /{path}/import/{id}    action=dry-run: the report (counts, the rows, errors first);
//                               action=apply: the import, then the list with what was imported;
//                               action=save-mapping: the columns' choices saved under a name
// Nothing changes before Apply; Apply posts the mapping of the dry run the person read.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/import_service.h"
#include "base/text.h"
#include "domain/registers.h"
#include "http/api/api.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

using domain::RegisterSpec;

namespace {

// The report lists this many rows; a note says how many more there are.
constexpr size_t kShownRows = 1000;
// The first values of each column on the mapping page.
constexpr size_t kSampleRows = 3;

// Text in a short line: at most `max` bytes (whole UTF-8 characters), line breaks as spaces.
std::string Shortened(const std::string& text, size_t max = 60) {
  std::string s = text;
  std::replace(s.begin(), s.end(), '\n', ' ');
  if (s.size() <= max) return s;
  size_t cut = max - 3;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "…";
}

std::string ImportPath(const RegisterSpec& spec) { return "/" + spec.path + "/import"; }

std::string UploadPath(const RegisterSpec& spec, int64_t id) {
  return fmt::format("/{}/import/{}", spec.path, id);
}

std::string ImportTitle(const RegisterSpec& spec) { return "Import " + LowerNoun(spec.plural); }

// The name a browser sent for a file, without the folders some browsers put before it.
std::string BaseName(const std::string& name) {
  const auto slash = name.find_last_of("/\\");
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

// The largest file an import page accepts: the server's upload limit, or the reader's when lower.
int64_t MaxMiB(const Request& r) {
  const int64_t server = r.services.evidence.max_bytes();
  const auto reader = static_cast<int64_t>(app::ImportService::Limits().max_bytes);
  return std::min(server, reader) >> 20;
}

// The answer when the caller may not import into `spec` (a read-only token, a register of
// approved versions): why, and the way back to the list.
void Refuse(Request& r, const RegisterSpec& spec, const Status& why) {
  RenderRefusal(r,
                {.title = "Not allowed",
                 .nav = spec.path,
                 .crumbs = {{spec.plural, "/" + spec.path}, {"Import", ""}}},
                why, "/" + spec.path, "Back to " + LowerNoun(spec.plural));
}

// An upload that is not the caller's, or no longer kept.
void UploadGone(Request& r, const RegisterSpec& spec, const Status& why) {
  Html h;
  h.Open("div", {{"class", "card empty-state"}});
  h.Element("h2", {}, "This file is not available");
  h.Element("p", {},
            why.code() == Code::kNotFound
                ? "Files are kept a day, for the person who uploaded them. Upload it again."
                : why.message());
  h.Link(ImportPath(spec), "Upload a file", "button button-secondary");
  h.Close("div");
  RenderPage(
      r,
      {.title = "Not found",
       .nav = spec.path,
       .crumbs = {{spec.plural, "/" + spec.path}, {"Import", ImportPath(spec)}, {"Not found", ""}}},
      h.Take(), HttpStatusFor(why.code()));
}

// ---------------------------------------------------------------------------------------------
// Step 1: the file

void UploadPage(Request& r, const RegisterSpec& spec, const Status& error = Status::Ok(),
                const std::string& mapping_id = "") {
  const bool bad_file = !error.ok() && (error.field().empty() || error.field() == "file");
  PageFrame frame{.title = ImportTitle(spec),
                  .nav = spec.path,
                  .crumbs = {{spec.plural, "/" + spec.path}, {"Import", ""}},
                  .subtitle = "Clause " + spec.clause};
  if (error.ok() && r.Query("notice") == "mapping-deleted") {
    frame.notice = "The saved mapping was deleted.";
  }
  Html h;
  if (!error.ok()) {
    FormErrorSummary(h, {{bad_file ? "file" : error.field(), error.message()}}, "");
  }
  h.Open("div", {{"class", "import-layout"}});
  OpenPostForm(h, r, ImportPath(spec), "card record-form import-upload");
  h.Open("div", {{"class", "form-grid"}});
  h.Open("div", {{"class", bad_file ? "form-field form-field-wide has-error"
                                    : "form-field form-field-wide"}});
  h.Open("label", {{"for", "file"}}).Text("Spreadsheet");
  h.Element("span", {{"class", "req"}, {"aria-hidden", "true"}}, " *");
  h.Element("span", {{"class", "visually-hidden"}}, " (required)");
  h.Close("label");
  h.Void("input", {{"type", "file"},
                   {"id", "file"},
                   {"name", "file"},
                   {"accept", ".csv,.xlsx"},
                   {"required", "required"},
                   {"autofocus", bad_file ? "autofocus" : ""},
                   {"aria-invalid", bad_file ? "true" : "false"},
                   {"aria-describedby", bad_file ? "file-help file-error" : "file-help"}});
  h.Element("p", {{"class", "help"}, {"id", "file-help"}},
            fmt::format("CSV or Excel (.xlsx), up to {} MiB and {} rows.", MaxMiB(r),
                        Grouped(static_cast<int64_t>(app::ImportService::Limits().max_rows))));
  if (bad_file) h.Element("p", {{"class", "field-error"}, {"id", "file-error"}}, error.message());
  h.Close("div");
  auto mappings = r.services.imports.Mappings(r.principal, spec);
  if (mappings.ok() && !mappings->empty()) {
    h.Open("div", {{"class", "form-field form-field-wide"}});
    h.Element("label", {{"for", "mapping_id"}}, "Saved mapping");
    h.Open("select",
           {{"id", "mapping_id"}, {"name", "mapping_id"}, {"aria-describedby", "mapping_id-help"}});
    h.Element("option", {{"value", ""}}, "None: propose one from the column names");
    for (const auto& m : *mappings) {
      const std::string id = std::to_string(m.id);
      if (id == mapping_id) {
        h.Open("option", {{"value", id}, Attr::Flag("selected")}).Text(m.name).Close("option");
      } else {
        h.Element("option", {{"value", id}}, m.name);
      }
    }
    h.Close("select");
    h.Element("p", {{"class", "help"}, {"id", "mapping_id-help"}},
              "The columns a saved mapping names start with its choices.");
    h.Close("div");
  }
  h.Close("div");
  h.Open("div", {{"class", "form-actions"}});
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary"}},
            "Upload and map the columns");
  h.Link("/" + spec.path, "Cancel", "button button-ghost");
  h.Close("div").Close("form");

  h.Open("div", {{"class", "import-side"}});
  h.Open("section", {{"class", "card import-help"}, {"aria-labelledby", "import-help-title"}});
  h.Element("h2", {{"id", "import-help-title"}}, "How an import works");
  h.Open("ul", {{"class", "import-steps"}});
  h.Element("li", {},
            "The file is CSV (UTF-8, separated by commas, semicolons or tabs) or an Excel "
            "workbook (.xlsx), whose first sheet is read. Its first row names the columns.");
  h.Element("li", {},
            "Each column is matched to a field by its name or label; you can change the "
            "matching before anything is imported.");
  h.Element("li", {},
            "A dry run comes first: every row is checked with the same rules as the form, and "
            "nothing changes until you apply it. An import is all or nothing.");
  h.Element("li", {},
            "A column of record ids (the export's first column) updates those records; other "
            "rows create new ones.");
  h.Element("li", {},
            fmt::format("Limits: {} MiB, {} rows.", MaxMiB(r),
                        Grouped(static_cast<int64_t>(app::ImportService::Limits().max_rows))));
  h.Close("ul");
  h.Open("p");
  h.Link(fmt::format("/api/v1/{}/export?format=xlsx", spec.path),
         "Download the " + LowerNoun(spec.plural) + " as a template (XLSX)",
         "button button-secondary");
  h.Close("p");
  h.Close("section");
  if (mappings.ok() && !mappings->empty()) {
    h.Open("section", {{"class", "card import-help"}, {"aria-labelledby", "saved-mappings-title"}});
    h.Element("h2", {{"id", "saved-mappings-title"}}, "Saved mappings");
    h.Open("ul", {{"class", "saved-mappings"}});
    for (const auto& m : *mappings) {
      h.Open("li");
      h.Element("span", {{"class", "saved-mapping-name"}}, m.name);
      ButtonForm(h, r, fmt::format("{}/mappings/{}/delete", ImportPath(spec), m.id),
                 {.label = "Delete",
                  .cls = "button button-ghost button-small",
                  .confirm = fmt::format("Delete the saved mapping \"{}\"?", m.name),
                  .aria_label = "Delete the saved mapping " + m.name});
      h.Close("li");
    }
    h.Close("ul");
    h.Close("section");
  }
  h.Close("div");
  h.Close("div");
  RenderPage(r, frame, h.Take(), error.ok() ? 200 : HttpStatusFor(error.code()));
}

// ---------------------------------------------------------------------------------------------
// Step 2: the columns, and the dry run's report

struct MappingView {
  const RegisterSpec& spec;
  int64_t upload_id = 0;
  const store::ImportUpload& upload;
  const Sheet& sheet;
  std::vector<std::string> targets;  // per column of the sheet
  std::vector<std::string> whys;     // per column: why it holds its target
  bool month_first = false;
  const app::ImportResult* report = nullptr;
  bool apply_refused = false;  // the report is of an Apply refused for rows in error
  Status error;                // a problem of the whole form (the columns, a conflict)
  Status name_error;           // the mapping's name
  std::string mapping_name;
  std::string notice;
};

void Option(Html& h, const std::string& value, const std::string& label, bool selected) {
  if (selected) {
    h.Open("option", {{"value", value}, Attr::Flag("selected")}).Text(label).Close("option");
  } else {
    h.Element("option", {{"value", value}}, label);
  }
}

std::string OutcomeLabel(app::ImportRowResult::Outcome o) {
  switch (o) {
    case app::ImportRowResult::Outcome::kCreated:
      return "Created";
    case app::ImportRowResult::Outcome::kUpdated:
      return "Updated";
    case app::ImportRowResult::Outcome::kUnchanged:
      return "Unchanged";
    case app::ImportRowResult::Outcome::kError:
      return "Error";
  }
  return "";
}

const char* OutcomeBadge(app::ImportRowResult::Outcome o) {
  switch (o) {
    case app::ImportRowResult::Outcome::kCreated:
      return "badge badge-on";
    case app::ImportRowResult::Outcome::kUpdated:
      return "badge badge-write";
    case app::ImportRowResult::Outcome::kUnchanged:
      return "badge badge-off";
    case app::ImportRowResult::Outcome::kError:
      return "badge badge-danger";
  }
  return "badge";
}

// The column an error is about: its header when a column holds the field ("actions[2].status"
// is about the column holding "actions"), else the field's label, else the field as named.
std::string ErrorSource(const RegisterSpec& spec, const app::ImportResult& report,
                        const std::string& field) {
  const std::string name = field.substr(0, field.find_first_of("[."));
  for (const auto& [header, target] : report.columns) {
    if (!target.empty() && target == name) return fmt::format("Column \"{}\"", header);
  }
  if (const domain::FieldSpec* f = spec.Field(name); f != nullptr) return f->label;
  return name;
}

// "Title, Status": the fields an update changes, by label.
std::string ChangedFields(const RegisterSpec& spec, const std::vector<std::string>& changed) {
  std::string out;
  for (const auto& name : changed) {
    const domain::FieldSpec* f = spec.Field(name);
    out += (out.empty() ? "" : ", ") + (f != nullptr ? f->label : name);
  }
  return out;
}

// The mapping as the form posts it: one col.N per named column, and the dates.
std::vector<std::pair<std::string, std::string>> MappingFields(const MappingView& v) {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < v.sheet.header.size(); ++i) {
    if (v.sheet.header[i].empty()) continue;
    out.emplace_back(fmt::format("col.{}", i), v.targets[i]);
  }
  out.emplace_back("dates", v.month_first ? "month-first" : "day-first");
  return out;
}

void Report(Html& h, Request& r, const MappingView& v) {
  const app::ImportResult& rep = *v.report;
  const auto rows = static_cast<int64_t>(rep.rows.size());
  h.Open("section", {{"class", "card table-card import-report"},
                     {"id", "import-report"},
                     {"aria-labelledby", "import-report-title"}});
  h.Open("div", {{"class", "card-head"}}).Open("div");
  h.Element("h2", {{"id", "import-report-title"}},
            v.apply_refused ? "Nothing was imported" : "Dry run");
  h.Element("p", {{"class", "muted"}},
            fmt::format("{} {} of {} checked with the mapping below. {}", Grouped(rows),
                        rows == 1 ? "row" : "rows", v.upload.file_name,
                        v.apply_refused ? "Some rows have errors, so nothing was written."
                                        : "Nothing has changed yet."));
  h.Close("div").Close("div");
  h.Open("dl", {{"class", "import-counts"}});
  const std::pair<const char*, int64_t> counts[] = {{"Created", rep.created},
                                                    {"Updated", rep.updated},
                                                    {"Unchanged", rep.unchanged},
                                                    {"Errors", rep.errors}};
  for (const auto& [label, n] : counts) {
    const bool bad = std::string_view(label) == "Errors" && n > 0;
    h.Open("div", {{"class", bad ? "import-count is-bad" : "import-count"}});
    h.Element("dt", {}, label).Element("dd", {}, Grouped(n));
    h.Close("div");
  }
  h.Close("dl");
  h.Open("div", {{"class", "card-body"}});
  if (rep.errors > 0) {
    ErrorAlert(h,
               rep.errors == 1 ? std::string("1 row has errors")
                               : fmt::format("{} rows have errors", Grouped(rep.errors)),
               "Nothing will be imported until they are fixed: fix the file and upload it "
               "again, or change the mapping below and run the dry run again.");
  } else if (rep.created + rep.updated == 0) {
    h.Open("div", {{"class", "alert alert-ok"}, {"role", "status"}});
    h.Element("p", {}, "Every row is as the records are already: there is nothing to import.");
    h.Close("div");
  } else {
    h.Open("div", {{"class", "alert alert-ok import-ready"}, {"role", "status"}});
    h.Element("p", {},
              fmt::format("No row has errors. Apply creates {}, updates {} and leaves {} "
                          "unchanged, in one step.",
                          Grouped(rep.created), Grouped(rep.updated), Grouped(rep.unchanged)));
    auto hidden = MappingFields(v);
    hidden.emplace_back("action", "apply");
    ButtonForm(h, r, UploadPath(v.spec, v.upload_id),
               {.label = "Apply", .cls = "button button-primary", .hidden = std::move(hidden)});
    h.Close("div");
  }
  h.Close("div");
  // The column holding the records' titles, for rows in error (the report names only valid ones).
  int title_column = -1;
  for (size_t c = 0; c < v.sheet.header.size(); ++c) {
    if (c < v.targets.size() && v.targets[c] == v.spec.title_field)
      title_column = static_cast<int>(c);
  }
  // Errors first, each group in file order.
  std::vector<const app::ImportRowResult*> order;
  order.reserve(rep.rows.size());
  for (const auto& row : rep.rows) order.push_back(&row);
  std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return (a->outcome == app::ImportRowResult::Outcome::kError) >
           (b->outcome == app::ImportRowResult::Outcome::kError);
  });
  const Table table{
      .cls = "data-table stack-narrow no-sort labelled-badges import-rows",
      .caption = rep.errors > 0 ? "Rows of the file, those with errors first" : "Rows of the file",
      .columns = {{.label = "Row", .cls = "cell-num"},
                  {.label = "Outcome"},
                  {.label = v.spec.singular},
                  {.label = "Details"}}};
  table.Open(h);
  for (size_t i = 0; i < order.size() && i < kShownRows; ++i) {
    const auto& row = *order[i];
    const bool error = row.outcome == app::ImportRowResult::Outcome::kError;
    h.Open("tr", {{"class", error ? "import-row-error" : ""}});
    h.Element("td", {{"class", "cell-num"}, {"data-label", "Row"}}, std::to_string(row.line));
    h.Open("td", {{"data-label", "Outcome"}});
    h.Element("span", {{"class", OutcomeBadge(row.outcome)}}, OutcomeLabel(row.outcome));
    h.Close("td");
    h.Open("td", {{"class", "cell-title"}});
    std::string title = row.title;
    if (title.empty()) {  // a row in error: its title as the file writes it, when mapped
      const auto index = static_cast<size_t>(order[i] - rep.rows.data());
      if (title_column >= 0 && index < v.sheet.rows.size()) {
        title = std::string(Trim(v.sheet.rows[index][title_column]));
      }
    }
    if (title.empty()) title = "—";
    if (row.id > 0) {
      h.Link(fmt::format("/{}/{}", v.spec.path, row.id), title);
    } else {
      h.Text(title);
    }
    h.Close("td");
    h.Open("td", {{"data-label", "Details"}});
    if (error) {
      h.Open("ul", {{"class", "import-errors"}});
      for (const auto& e : row.errors) {
        h.Open("li");
        h.Element("span", {{"class", "import-error-source"}}, ErrorSource(v.spec, rep, e.field));
        h.Text(": ").Text(e.message);
        h.Close("li");
      }
      h.Close("ul");
    } else if (row.outcome == app::ImportRowResult::Outcome::kUpdated) {
      h.Text("Changes " + ChangedFields(v.spec, row.changed));
    } else if (row.outcome == app::ImportRowResult::Outcome::kCreated) {
      h.Text("A new " + LowerNoun(v.spec.singular));
    } else {
      h.Element("span", {{"class", "muted"}}, "No change");
    }
    h.Close("td");
    h.Close("tr");
  }
  table.Close(h);
  if (order.size() > kShownRows) {
    const auto more = static_cast<int64_t>(order.size() - kShownRows);
    h.Element("p", {{"class", "card-body muted"}},
              fmt::format("The first {} rows are shown{}; {} more {} not.", Grouped(kShownRows),
                          rep.errors > 0 ? ", errors first" : "", Grouped(more),
                          more == 1 ? "is" : "are"));
  }
  h.Close("section");
}

void MappingPage(Request& r, const MappingView& v, int status) {
  const std::string action = UploadPath(v.spec, v.upload_id);
  std::string about = fmt::format("{} · {} {}", v.sheet.format == "xlsx" ? "Excel" : "CSV",
                                  Grouped(static_cast<int64_t>(v.sheet.rows.size())),
                                  v.sheet.rows.size() == 1 ? "row" : "rows");
  if (!v.sheet.sheet_name.empty()) about += " · sheet " + v.sheet.sheet_name;
  PageFrame frame{.title = ImportTitle(v.spec),
                  .nav = v.spec.path,
                  .crumbs = {{v.spec.plural, "/" + v.spec.path},
                             {"Import", ImportPath(v.spec)},
                             {v.upload.file_name, ""}},
                  .subtitle = v.upload.file_name + " · " + about,
                  .notice = v.notice};
  Html h;
  if (!v.error.ok()) {
    ErrorAlert(
        h, v.error.code() == Code::kConflict ? "Nothing was imported" : "The import could not run",
        v.error.code() == Code::kConflict ? "Records changed since the dry run; run it again."
                                          : v.error.message());
  } else if (!v.name_error.ok()) {
    FormErrorSummary(h, {{"mapping_name", v.name_error.message()}}, "");
  }
  if (v.report != nullptr) Report(h, r, v);

  OpenPostForm(h, r, action, "card table-card import-form", "import-form");
  h.Open("div", {{"class", "card-head"}}).Open("div");
  h.Element("h2", {{"id", "import-columns-title"}}, "Columns");
  h.Element("p", {{"class", "muted"}},
            "What each column of the file holds. A column left as \"Not imported\" is ignored.");
  h.Close("div").Close("div");
  const Table table{
      .cls = "data-table stack-narrow no-sort import-columns",
      .caption = "Columns of " + v.upload.file_name,
      .columns = {{.label = "Column"}, {.label = "First values"}, {.label = "Imported as"}}};
  table.Open(h);
  const auto targets = app::ImportTargets(v.spec);
  for (size_t i = 0; i < v.sheet.header.size(); ++i) {
    const std::string& header = v.sheet.header[i];
    const std::string id = fmt::format("col-{}", i);
    h.Open("tr");
    h.Open("th", {{"scope", "row"}, {"class", "cell-title"}});
    if (header.empty()) {
      h.Element("span", {{"class", "muted"}}, fmt::format("Column {} (no name)", i + 1));
    } else {
      h.Text(header);
    }
    h.Close("th");
    h.Open("td", {{"data-label", "First values"}});
    h.Open("ul", {{"class", "import-sample"}});
    for (size_t row = 0; row < v.sheet.rows.size() && row < kSampleRows; ++row) {
      const std::string& cell = v.sheet.rows[row][i];
      if (Trim(cell).empty()) {
        h.Element("li", {{"class", "muted"}}, "(empty)");
      } else {
        h.Element("li", {}, Shortened(cell));
      }
    }
    h.Close("ul").Close("td");
    h.Open("td", {{"data-label", "Imported as"}});
    if (header.empty()) {
      h.Element("span", {{"class", "muted"}}, "Not imported: the column has no name");
    } else {
      h.Open("label", {{"for", id}, {"class", "visually-hidden"}})
          .Text("Column \"" + header + "\" imported as")
          .Close("label");
      const std::string help = id + "-help";
      h.Open("select", {{"id", id},
                        {"name", fmt::format("col.{}", i)},
                        {"aria-describedby", v.whys[i].empty() ? "" : help}});
      bool known = false;
      for (const auto& [value, label] : targets) {
        Option(h, value, label, value == v.targets[i]);
        known = known || value == v.targets[i];
      }
      // A saved mapping's choice this register no longer has: shown, so that it is not changed
      // silently (the dry run names it).
      if (!known) Option(h, v.targets[i], v.targets[i], true);
      h.Close("select");
      if (!v.whys[i].empty()) h.Element("p", {{"class", "help"}, {"id", help}}, v.whys[i]);
    }
    h.Close("td");
    h.Close("tr");
  }
  table.Close(h);
  h.Open("div", {{"class", "form-grid"}});
  h.Open("div", {{"class", "form-field"}});
  h.Element("label", {{"for", "dates"}}, "Dates written");
  h.Open("select", {{"id", "dates"}, {"name", "dates"}, {"aria-describedby", "dates-help"}});
  Option(h, "day-first", "Day first (31/12/2026)", !v.month_first);
  Option(h, "month-first", "Month first (12/31/2026)", v.month_first);
  h.Close("select");
  h.Element("p", {{"class", "help"}, {"id", "dates-help"}},
            "How a date such as 03/04/2026 is read. ISO dates (2026-04-03) and month names are "
            "read either way.");
  h.Close("div");
  h.Close("div");
  h.Open("div", {{"class", "form-actions"}});
  h.Element("button",
            {{"type", "submit"},
             {"name", "action"},
             {"value", "dry-run"},
             {"class", v.report == nullptr ? "button button-primary" : "button button-secondary"}},
            v.report == nullptr ? "Dry run" : "Dry run again");
  h.Link(ImportPath(v.spec), "Upload another file", "button button-ghost");
  h.Close("div");
  h.Open("fieldset", {{"class", "import-save-mapping"}});
  h.Element("legend", {}, "Save this mapping");
  h.Open("div", {{"class", "import-save-row"}});
  Input(h,
        {.name = "mapping_name",
         .label = "Name",
         .value = v.mapping_name,
         .help = "For the next file with these columns; a mapping of the same name is replaced.",
         .maxlength = "100"},
        v.name_error.ok() ? Status::Ok()
                          : Status(v.name_error.code(), v.name_error.message(), "mapping_name"));
  h.Element("button",
            {{"type", "submit"},
             {"name", "action"},
             {"value", "save-mapping"},
             {"class", "button button-secondary"}},
            "Save mapping as");
  h.Close("div");
  h.Close("fieldset");
  h.Close("form");
  RenderPage(r, frame, h.Take(), status);
}

// Why a column holds what the proposal gave it: "Proposed: the field's label", "Not imported: kept
// by Rampart".
std::string Why(const app::ColumnProposal& c) {
  return (c.target.empty() ? "Not imported: " : "Proposed: ") + c.why;
}

// The upload `r.PathId()` and its sheet, or the page answering why there is none (false).
struct LoadedUpload {
  store::ImportUpload upload;
  Sheet sheet;
};
std::optional<LoadedUpload> LoadUpload(Request& r, const RegisterSpec& spec) {
  auto upload = r.services.imports.Upload(r.principal, spec, r.PathId());
  if (!upload.ok()) {
    UploadGone(r, spec, upload.status());
    return std::nullopt;
  }
  auto sheet = app::ImportService::Read(upload->second);
  if (!sheet.ok()) {  // read once already; a reader changed since
    UploadPage(r, spec, sheet.status());
    return std::nullopt;
  }
  return LoadedUpload{std::move(upload->first), std::move(sheet).value()};
}

// The saved mapping `id` names, when it is one of the register's.
std::optional<app::ImportOptions> SavedMapping(Request& r, const RegisterSpec& spec,
                                               const std::string& id) {
  if (id.empty()) return std::nullopt;
  auto mappings = r.services.imports.Mappings(r.principal, spec);
  if (!mappings.ok()) return std::nullopt;
  for (const auto& m : *mappings) {
    if (std::to_string(m.id) != id) continue;
    auto options = app::ImportOptionsFromJson(m.columns);
    if (options.ok()) return std::move(options).value();
  }
  return std::nullopt;
}

// The options the form posted: col.N for the N-th column of the sheet, and the dates.
Result<app::ImportOptions> OptionsFromForm(const Request& r, const Sheet& sheet) {
  app::ImportOptions options;
  for (size_t i = 0; i < sheet.header.size(); ++i) {
    if (sheet.header[i].empty()) continue;
    options.columns.emplace(sheet.header[i], r.Form(fmt::format("col.{}", i)));
  }
  const std::string dates = r.Form("dates");
  if (dates == "month-first") {
    options.month_first = true;
  } else if (!dates.empty() && dates != "day-first") {
    return InvalidArgument("dates: say whether dates are written day first or month first",
                           "dates");
  }
  return options;
}

void AddImportPagesOf(Router& router, const RegisterSpec& spec) {
  const RegisterSpec* s = &spec;
  const std::string base = ImportPath(spec);
  const std::string upload = base + R"(/(\d+))";
  // An import changes any of the register's records: its write permission itself. Reading and
  // checking a file is costly, so the posts are rate-limited like the API's import.
  const Guard page{Access::kPermission, spec.write_permission};
  const Guard run{Access::kPermission, spec.write_permission, /*export_limited=*/true};

  router.Get(base, Surface::kWeb, page, [s](Request& r) {
    if (Status may = r.services.imports.CheckMayImport(r.principal, *s); !may.ok()) {
      return Refuse(r, *s, may);
    }
    UploadPage(r, *s, Status::Ok(), r.Query("mapping"));
  });

  router.Post(base, Surface::kWeb, run, [s](Request& r) {
    if (Status may = r.services.imports.CheckMayImport(r.principal, *s); !may.ok()) {
      return Refuse(r, *s, may);
    }
    const std::string mapping_id = r.Form("mapping_id");
    if (!r.http.HasFile("file") || r.http.File("file").filename.empty()) {
      return UploadPage(r, *s, InvalidArgument("choose the spreadsheet to import", "file"),
                        mapping_id);
    }
    const FormPart file = r.http.File("file");
    // Read before it is kept: a file that is not a spreadsheet is refused at once.
    if (auto sheet = app::ImportService::Read(file.content); !sheet.ok()) {
      return UploadPage(r, *s, sheet.status(), mapping_id);
    }
    auto kept =
        r.services.imports.KeepUpload(r.principal, *s, BaseName(file.filename), file.content);
    if (!kept.ok()) return UploadPage(r, *s, kept.status(), mapping_id);
    std::string to = UploadPath(*s, *kept);
    if (!mapping_id.empty() && mapping_id.find_first_not_of("0123456789") == std::string::npos) {
      to += "?mapping=" + mapping_id;
    }
    r.res.SetRedirect(to, 303);
  });

  // A saved mapping deleted (the API's DELETE …/import-mappings/{id}), back to the upload page.
  router.Post(base + R"(/mappings/(\d+)/delete)", Surface::kWeb,
              Guard::Needs(spec.write_permission), [s](Request& r) {
                if (Status may = r.services.imports.CheckMayImport(r.principal, *s); !may.ok()) {
                  return Refuse(r, *s, may);
                }
                const Status st = r.services.imports.DeleteMapping(r.principal, *s, r.PathId());
                if (!st.ok()) return UploadPage(r, *s, st);
                r.res.SetRedirect(ImportPath(*s) + "?notice=mapping-deleted", 303);
              });

  router.Get(upload, Surface::kWeb, page, [s](Request& r) {
    if (Status may = r.services.imports.CheckMayImport(r.principal, *s); !may.ok()) {
      return Refuse(r, *s, may);
    }
    auto loaded = LoadUpload(r, *s);
    if (!loaded) return;
    const std::string mapping_id = r.Query("mapping");
    const auto saved = SavedMapping(r, *s, mapping_id);
    auto proposal =
        r.services.imports.Propose(r.principal, *s, loaded->sheet, saved ? &*saved : nullptr);
    if (!proposal.ok()) return UploadPage(r, *s, proposal.status());
    MappingView v{.spec = *s,
                  .upload_id = r.PathId(),
                  .upload = loaded->upload,
                  .sheet = loaded->sheet,
                  .month_first = saved ? saved->month_first : false};
    for (size_t i = 0; i < loaded->sheet.header.size(); ++i) {
      const bool proposed = i < proposal->columns.size();
      v.targets.push_back(proposed ? proposal->columns[i].target : "");
      v.whys.push_back(proposed ? Why(proposal->columns[i]) : "");
    }
    if (!mapping_id.empty() && !saved) {
      v.notice = "That saved mapping is no longer there: the columns are matched by their names.";
    }
    MappingPage(r, v, 200);
  });

  router.Post(upload, Surface::kWeb, run, [s](Request& r) {
    if (Status may = r.services.imports.CheckMayImport(r.principal, *s); !may.ok()) {
      return Refuse(r, *s, may);
    }
    auto loaded = LoadUpload(r, *s);
    if (!loaded) return;
    const Sheet& sheet = loaded->sheet;
    MappingView v{.spec = *s, .upload_id = r.PathId(), .upload = loaded->upload, .sheet = sheet};
    // The page shows the columns as posted; why each holds its target: the proposal's reason
    // when it is the proposal's choice.
    auto proposal = r.services.imports.Propose(r.principal, *s, sheet);
    for (size_t i = 0; i < sheet.header.size(); ++i) {
      v.targets.push_back(sheet.header[i].empty() ? "" : r.Form(fmt::format("col.{}", i)));
      const bool proposed = proposal.ok() && i < proposal->columns.size() &&
                            proposal->columns[i].target == v.targets[i];
      v.whys.push_back(proposed ? Why(proposal->columns[i]) : "Chosen by you");
    }
    v.month_first = r.Form("dates") == "month-first";
    v.mapping_name = r.Form("mapping_name");
    auto options = OptionsFromForm(r, sheet);
    if (!options.ok()) {
      v.error = options.status();
      return MappingPage(r, v, HttpStatusFor(v.error.code()));
    }
    const std::string action = r.Form("action");
    if (action == "save-mapping") {
      auto saved = r.services.imports.SaveMapping(r.principal, *s, v.mapping_name, *options);
      if (!saved.ok()) {
        if (saved.status().field() == "name") {
          v.name_error = saved.status();
        } else {
          v.error = saved.status();
        }
        return MappingPage(r, v, HttpStatusFor(saved.status().code()));
      }
      v.notice = fmt::format("Mapping \"{}\" saved: choose it when you import the next file.",
                             saved->name);
      v.mapping_name = saved->name;
      return MappingPage(r, v, 200);
    }
    if (action != "dry-run" && action != "apply") {
      v.error = InvalidArgument("choose Dry run, Apply or Save mapping as", "action");
      return MappingPage(r, v, 400);
    }
    options->apply = action == "apply";
    auto result = r.services.imports.Run(r.principal, *s, sheet, *options);
    if (!result.ok()) {
      v.error = result.status();
      return MappingPage(r, v, HttpStatusFor(v.error.code()));
    }
    if (result->applied) {
      // The file has served; the list says what was imported.
      (void)r.services.imports.ForgetUpload(r.principal, r.PathId());
      return r.res.SetRedirect(fmt::format("/{}?notice={}", s->path,
                                           fmt::format("imported-{}-{}-{}", result->created,
                                                       result->updated, result->unchanged)),
                               303);
    }
    v.report = &*result;
    v.apply_refused = options->apply;
    MappingPage(r, v, options->apply ? 400 : 200);
  });
}

}  // namespace

bool MayImport(Request& r, const RegisterSpec& spec) {
  return app::ImportService::Imports(spec) &&
         r.services.imports.CheckMayImport(r.principal, spec).ok();
}

std::string ImportedNotice(const Request& r) {
  // imported-C-U-K: created, updated, unchanged; numbers only, so that a crafted link cannot make
  // the list say anything else.
  const std::string key = r.Query("notice");
  if (!key.starts_with("imported-")) return "";
  int64_t n[3] = {0, 0, 0};
  size_t at = 9;
  for (int i = 0; i < 3; ++i) {
    size_t end = key.find('-', at);
    if (end == std::string::npos) end = key.size();
    if (end == at || end - at > 7 ||
        key.substr(at, end - at).find_first_not_of("0123456789") != std::string::npos) {
      return "";
    }
    n[i] = std::stoll(key.substr(at, end - at));
    at = end + 1;
  }
  if (at <= key.size()) return "";  // something after the third number
  return fmt::format("Imported: {} created, {} updated, {} unchanged.", Grouped(n[0]),
                     Grouped(n[1]), Grouped(n[2]));
}

void AddImportPages(Router& router) {
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    if (app::ImportService::Imports(*spec)) AddImportPagesOf(router, *spec);
  }
}

}  // namespace rampart::http
