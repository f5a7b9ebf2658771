// The web UI, rendered on the server. Pages are built with Html (escaping by default) inside
// one layout; a little JavaScript (web/static/app.js) improves forms but no flow needs it.
// Whatever a page writes as markup is SafeHtml (html.h): a builder's output or a literal, never
// a plain string. The building blocks shared by the pages are here: the layout (RenderPage,
// RenderAuthPage), forms (OpenPostForm, ButtonForm, Input, FormErrorSummary), tables (Table,
// SessionsTable) and values (DisplayValue, Badge, RefLinks, RenderHistory).
#pragma once

#include "http/message.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/record_codec.h"
#include "base/report_document.h"
#include "base/text.h"  // LowerNoun
#include "domain/identity.h"
#include "domain/register.h"
#include "domain/register_query.h"
#include "http/router.h"
#include "http/web/html.h"

namespace rampart::http {

void RegisterWebRoutes(Router& router);

// Pieces of the web UI, one file each.
void AddStaticRoutes(Router& router);
void AddAuthPages(Router& router);
void AddRegisterPages(Router& router, const domain::RegisterSpec& spec);
void AddContextPages(Router& router);
void AddRiskPages(Router& router);
void AddAccountPages(Router& router);
void AddNotificationPages(Router& router);  // notification_pages.cc: /notifications
void AddAdminPages(Router& router);
void AddEvidencePages(Router& router);
void AddSoaPages(Router& router);
void AddDocumentPages(Router& router);   // documents' workflow, My work
void AddMandatoryPages(Router& router);  // mandatory documented information (7.5.1)
void AddReadinessPages(Router& router);  // readiness_pages.cc: /readiness
void AddReportPages(Router& router);     // report_pages.cc: /reports, /reports/{name}
void AddOverviewPages(Router& router);   // overview_pages.cc: / by role, /getting-started
// framework_pages.cc: /frameworks/oscal-import, /frameworks/built-in, /frameworks/{id}/coverage and
// /frameworks/{id}/delete.
void AddFrameworkPages(Router& router);
// import_pages.cc: /{path}/import and /{path}/import/{upload} of every register records can be
// imported into (app::ImportService::Imports), for those who may import
// (app::ImportService::CheckMayImport).
void AddImportPages(Router& router);
// Whether to offer a register's Import button: the rule the import applies.
bool MayImport(Request& r, const domain::RegisterSpec& spec);
// The list's confirmation after an import (?notice=imported-C-U-K-FILE): "Imported from
// assets.csv: 3 created, 1 updated, 0 unchanged."; empty for any other notice.
std::string ImportedNotice(const Request& r);

// How an audit event reads in the activity lists: its verb ("created", "signed in") and whether
// it names a record (context_pages.cc, with the audit trail page).
struct EventWords {
  std::string verb;
  bool names_record = true;
};
EventWords DescribeEvent(const std::string& action);
// A record type in words where no register names it ("API token", "soa entry").
std::string RecordTypeName(const std::string& type);
// How many records of `spec` match `filters` for the signed-in person (0 when they may not read
// them): the counts of the overview's and the context's cards (context_pages.cc).
int64_t CountRecords(Request& r, const domain::RegisterSpec& spec,
                     std::vector<domain::Filter> filters);
void AddSupportPages(Router& router);
void AddLeadershipPages(Router& router);        // leadership_pages.cc: /raci
void AddInternalAuditPages(Router& router);     // internal_audit_pages.cc: a programme's coverage
void AddManagementReviewPages(Router& router);  // management_review_pages.cc: minutes, approval
// My work's awareness (support_pages.cc): the campaigns waiting for the signed-in person, each
// with its "I have completed it" button, and their awareness record.
void MyAwarenessSections(Html& h, Request& r);
void MyAwarenessRecord(Html& h, Request& r);

// A report's print view: a page of its own (print-doc) with the document-control block and
// the content, also the API's format=html (report_pages.cc).
SafeHtml ReportPrintView(const ReportDocument& doc);

struct Crumb {
  std::string label;
  std::string href;  // empty for the current page
};

struct PageFrame {
  std::string title;
  std::string nav;  // the navigation entry to highlight: a register path, "overview", ...
  std::vector<Crumb> crumbs;
  std::string subtitle;
  SafeHtml actions;    // the header's buttons and links, built with Html
  std::string notice;  // a confirmation shown once (plain text)
};

// Writes a complete page in the layout (navigation by clause, user menu) to r.res: the frame's
// texts escaped, its actions and the body as built.
void RenderPage(Request& r, const PageFrame& frame, const SafeHtml& body, int status = 200);
// A page of the signing-in flow: one card without navigation, for the sign-in steps and for
// setting up an account (the one-time password, a required second factor) before anything else.
void RenderAuthPage(Request& r, const std::string& title, const SafeHtml& body, int status);
// The tabs of the account pages (profile, password, second factor, sessions, tokens); `current`
// is the path of the page shown.
void AccountTabs(Html& h, std::string_view current);

// A one-line form field (label, input, help) whose error, when `error` names its field, is shown
// under it with aria-invalid and aria-describedby; the invalid input takes the focus.
struct InputField {
  std::string name;  // the form field, and the Status field that marks it invalid
  std::string label;
  std::string id;  // unique on the page; `name` when empty
  std::string type = "text";
  std::string value;
  std::string help;
  std::string autocomplete;
  std::string inputmode;
  std::string maxlength;
  std::string min;  // dates
  bool required = false;
  bool autofocus = false;
};
void Input(Html& h, const InputField& field, const Status& error = Status::Ok());
// The problems of a refused form above it: an alert app.js focuses (id "error-summary"), each
// field's problem a link to its field ("risk_levels[2].colour" to #risk_levels-2--colour);
// nothing when there are none.
void FormErrorSummary(Html& h, const std::vector<domain::FieldError>& errors,
                      const std::string& message);
// An error not about one field: an alert that app.js focuses (id "error-summary").
void ErrorAlert(Html& h, const std::string& title, const std::string& message);
// A data table's opening and closing: the `<div class="table-scroll">` around it (unless
// kNone), `<table class>`, the caption, the column headers (`<th scope="col">`) and `<tbody>`;
// Close writes `</tbody></table>` and the wrapper's end. The rows between are the caller's.
// Every table of the pages is made with it (lists, with their sortable headers; the history's
// diffs; the risk matrix) except two whose headers are more than labels: the record form's table
// field (register_pages.cc: headers mark required columns, and the table carries data-rows for
// app.js) and the side-by-side comparison of two versions (version_pages.cc: its headers link to
// the versions compared).
enum class TableScroll { kWrapped, kNone };
// Whether a caption or header is seen, or only read by screen readers.
enum class Visibility { kVisible, kVisuallyHidden };
// A column a list can be sorted by: how it is sorted now (aria-sort), and where its header
// links (the list sorted by it, or the other way round).
enum class ColumnSort { kNotSortable, kUnsorted, kAscending, kDescending };
struct TableColumn {
  std::string label;
  // kVisuallyHidden: read by screen readers only, for a column of buttons ("Action").
  Visibility shown = Visibility::kVisible;
  std::string cls;  // the header cell's class ("cell-num")
  ColumnSort sort = ColumnSort::kNotSortable;
  std::string sort_href;  // with `sort`
};
struct Table {
  std::string cls;      // the table's class: "data-table stack-narrow"
  std::string caption;  // none when empty
  Visibility caption_shown = Visibility::kVisuallyHidden;
  std::vector<TableColumn> columns;
  TableScroll scroll = TableScroll::kWrapped;

  void Open(Html& h) const;
  void Close(Html& h) const;
};

// A person's sessions as a table (their own on the account page, a member's for an
// administrator): browser (marked "This session" for `current_session`, "Waiting for a code"
// in the second step of signing in), address, signed in, last active, optionally the end, and a
// button to end each, posting to `{sessions_url}/{id}/end`. The current session's button signs
// out instead when `sign_out_current` is set.
struct SessionsTableOptions {
  std::string caption;          // visually hidden: "Your sessions", "Sessions of Alice"
  int64_t current_session = 0;  // 0: none of them is the caller's
  std::string sessions_url;     // "/account/sessions", "/admin/users/12/sessions"
  bool show_ends = false;
  bool sign_out_current = false;
};
void SessionsTable(Html& h, const Request& r, const std::vector<domain::Session>& sessions,
                   const SessionsTableOptions& o);

// "2026-11-29 20:57 UTC" for a stored ISO 8601 UTC time; "—" when empty.
std::string ShortTime(const std::string& utc);
// "Chrome on Linux" from a User-Agent header, for session lists.
std::string BrowserName(const std::string& user_agent);

// What the principal may do, to offer only the controls that will work: one question per
// action, each answered by the rule its use case applies (the use cases decide again: this is
// presentation, not access control). Creating and changing a register's records
// (app::RegisterService::CheckCanWrite); approving versions, loading catalogues, recording
// reviews and deciding the Statement of Applicability ask Principal::Can for the permission their
// route and use case need; deciding on a risk's acceptance asks app::RiskService::CheckMayDecide;
// a treatment action's status app::RiskService::CheckMayUpdateActionStatus; evidence
// app::EvidenceService::MayWrite. tests/api/page_roles_test.cc renders every page as every role
// and holds each offered form and link to the route table's permissions.
bool MayCreate(const app::Principal& p, const domain::RegisterSpec& spec);
// Whether to offer a link to `href`: a form creating a record ("/risks/new") only to whoever may
// create one; other places are pages every reader may see (mandatory_pages.cc).
bool MayFollow(const app::Principal& p, const std::string& href);
bool MayChange(const app::Principal& p, const domain::RegisterSpec& spec,
               const domain::Record& rec);
// A page answering that the caller may not do what they asked (403 for a permission refusal):
// the reason and a way back.
void RenderRefusal(Request& r, const PageFrame& frame, const Status& why, const std::string& back,
                   const std::string& back_label);

// Register-specific additions to the generic register pages (a risk's acceptance panel, the
// methodology's matrix, ...). Each area fills the hooks of its registers in its
// Add…PageHooks; PageHooksFor reads the map they make, built once on first use.
// A page of an area beyond a register's list (the SWOT view, heat maps), listed in the
// navigation under its register.
struct NavView {
  std::string key;  // PageFrame::nav of the page
  std::string href;
  std::string label;
  std::string clause;  // shown beside the label; may be empty
};

struct RegisterPageHooks {
  std::vector<NavView> views;
  std::function<void(Html&, Request&, const domain::Record&)> detail_banner;
  std::function<void(Html&, Request&, const domain::Record&)> detail_actions;
  // Sections after the record's details, evidence and tasks (a programme's audits, an audit's
  // findings).
  std::function<void(Html&, Request&, const domain::Record&)> detail_sections;
  std::function<void(Html&, Request&)> list_banner;
  // Flags shown beside a listed record's title ("Overdue"), by record id, given the page's
  // records: read once per page.
  std::function<std::map<int64_t, std::string>(Request&, const std::vector<domain::Record>&)>
      row_flags;
  // Fields the record's page leaves out of its details because a hook shows them itself (an
  // acceptance's snapshot, shown readably by its banner).
  std::vector<std::string> detail_hidden;
  // Labelled choices of fields whose choices depend on the organisation, by field name: a risk's
  // ratings as the levels of the methodology in force ("3 — Possible"). Read once per page and
  // offered in the form and the list's filters, and shown on the record's page.
  std::function<std::map<std::string, std::vector<domain::Choice>>(Request&)> field_choices;
  // Added after a field of the form, given the values the form shows (the level a risk's
  // ratings give, which the script updates as they are chosen).
  std::function<void(Html&, Request&, const domain::FieldSpec&, const domain::Json& values)>
      after_form_field;
};
using PageHooks = std::map<const domain::RegisterSpec*, RegisterPageHooks>;
void AddContextPageHooks(PageHooks& hooks);     // context_pages.cc
void AddRiskPageHooks(PageHooks& hooks);        // risk_pages.cc
void AddPlanningPageHooks(PageHooks& hooks);    // planning_pages.cc
void AddSupportPageHooks(PageHooks& hooks);     // support_pages.cc
void AddDocumentPageHooks(PageHooks& hooks);    // document_pages.cc
void AddLeadershipPageHooks(PageHooks& hooks);  // leadership_pages.cc
void AddTaskPageHooks(PageHooks& hooks);        // task_pages.cc
void AddOperationPageHooks(PageHooks& hooks);   // operation_pages.cc
// metric_pages.cc; after the planning hooks, whose objective banner it extends.
void AddMetricPageHooks(PageHooks& hooks);
void AddInternalAuditPageHooks(PageHooks& hooks);     // internal_audit_pages.cc
void AddManagementReviewPageHooks(PageHooks& hooks);  // management_review_pages.cc
void AddFrameworkPageHooks(PageHooks& hooks);         // framework_pages.cc
// The hooks of `spec` (empty ones when its area adds nothing).
const RegisterPageHooks& PageHooksFor(const domain::RegisterSpec& spec);

// A record's log on its page (record_log_pages.cc): its latest 20 entries newest first, in the
// log's `columns` (its title field links to the entry), a link adding an entry for the record
// dated today offered to those who may, and one to the whole log when there are more.
struct RecordLogView {
  std::string heading;    // "Log"
  std::string caption;    // "Log of this communication" (for screen readers)
  std::string add_label;  // "Add to the log"
  std::string empty;      // "Nothing is logged yet."
  std::string all_label;  // "The whole log"
  std::vector<std::string> columns;
};
void RecordLogSection(Html& h, Request& r, const app::RecordLog& log, const domain::Record& rec,
                      const RecordLogView& view);

// What every register of approved versions (domain::ApprovedVersions) adds to the generic
// pages (version_pages.cc): its routes (approve, new draft, current, compare), the list's
// banner naming the version in force, a version's banner (in force, superseded, draft) and its
// Approve or New draft button, offered to those who may.
void AddVersionPages(Router& router, const domain::RegisterSpec& spec);
void VersionListBanner(Html& h, Request& r, const domain::RegisterSpec& spec);
void VersionDetailBanner(Html& h, Request& r, const domain::RegisterSpec& spec,
                         const domain::Record& rec);
void VersionActions(Html& h, Request& r, const domain::RegisterSpec& spec,
                    const domain::Record& rec);

// A form posting to `action` with the CSRF token: the opening tag (with `id` when not empty, for
// controls elsewhere on the page that belong to it) and hidden field.
void OpenPostForm(Html& h, const Request& r, std::string_view action,
                  std::string_view cls = "inline-form", std::string_view id = "");
// A form that is one button (end a session, revoke a token, approve a version): the form posting
// to `action` with the CSRF token, the hidden fields, and the submit button.
struct ButtonFormOptions {
  std::string label;
  std::string cls = "button button-secondary";  // the button's class
  std::string confirm;     // the question app.js asks before posting (data-confirm); none if empty
  std::string aria_label;  // the button's name when its label alone is ambiguous ("End" in a list)
  std::vector<std::pair<std::string, std::string>> hidden;  // (name, value): `version`, `org_id`
  std::string form_class = "inline-form";                   // the form's class; none if empty
};
void ButtonForm(Html& h, const Request& r, std::string_view action, const ButtonFormOptions& b);
// A field value for people: enum labels, user names, "Yes"/"No", lists joined.
std::string DisplayValue(const domain::FieldSpec& f, const domain::Json& v,
                         const std::vector<domain::UserSummary>& members);
std::string UserName(int64_t id, const std::vector<domain::UserSummary>& members);
// "1 context issue", "13 context issues", "3 scope statements".
std::string CountOf(const domain::RegisterSpec& spec, int64_t n);

// Paged lists (register_pages.cc: the register lists; the risk treatment plan). A list page
// counts the matching records up to kPageTotalLimit; beyond, it says "More than 1,000" (a
// person narrows such a list rather than reads it; counting further is what made the page miss
// its budget on PostgreSQL). The API's `total=true` counts them all.
inline constexpr int64_t kPageTotalLimit = 1000;
// The list's query parameters as the page reads them: without `notice` and `page`, and, when
// the toolbar was submitted (it sends `q`), without the empty values its "Any" choices send.
HttpRequest ListView(const HttpRequest& req);
// `req`'s query string ("?a=1&b=2", or empty) with `key` set to `value` (left out when empty),
// without `notice`, and without the cursor unless `drop_cursor` is false.
std::string QueryWith(const HttpRequest& req, const std::string& key, const std::string& value,
                      bool drop_cursor = true);
// The number of the page shown: 1 without a cursor, else the `page` its pager link carried; 0
// when it is not known.
int64_t PageNumber(const Request& r, const domain::ListQuery& q);
// The count over a list's table: "1,234 risks" on a single page (or an unknown page number),
// "51–100 of 1,234 risks" otherwise, "more than 10,000" when the total was capped. `shown`
// records on this page of `limit`.
std::string PageCount(const domain::RegisterSpec& spec, int64_t total, bool capped, int64_t page_no,
                      int limit, int64_t shown, bool one_page);
// The pager under a list at `path`: first, previous and next page, each link carrying the
// cursor and the number of the page it leads to, and the view's other parameters.
void Pager(Html& h, const std::string& path, const HttpRequest& view,
           const std::string& prev_cursor, const std::string& next_cursor, int64_t page_no);
// A list's toolbar, a GET form to `action` (the URL is the state, so it can be shared and
// bookmarked): OpenListToolbar opens it with the search box (`q`); the filters follow;
// CloseListToolbar keeps the list's sort and ends it with Apply and Clear (back to `action`).
void OpenListToolbar(Html& tb, const Request& r, const std::string& action,
                     const std::string& placeholder);
void CloseListToolbar(Html& tb, const Request& r, const std::string& action);
// A toolbar filter of `f`: a select of its choices (`choices` when given, else the enum's, Yes
// and No, the members, or the integer scale) with "Any" first, `req`'s value chosen.
void FilterControl(Html& h, const HttpRequest& req, const domain::FieldSpec& f,
                   const std::vector<domain::UserSummary>& members,
                   const std::vector<domain::Choice>* choices);

// A status badge for an enum value.
void Badge(Html& h, const domain::FieldSpec& f, const domain::Json& v);
// Titles of referred-to records by register type, loaded once per page (one statement per
// referred-to register, whatever the number of rows).
using RefTitles = app::RefTitles;
// References as links to the records, by title; "#12", not linked, when the record is gone.
void RefLinks(Html& h, const domain::FieldSpec& f, const domain::Json& v, const RefTitles& refs);
// The record's history as a timeline: references by title, linked (`refs`: their titles),
// changes of a table row by row ("action 'Deploy EDR': owner Alice → Bob").
void RenderHistory(Html& h, const domain::RegisterSpec& spec,
                   const std::vector<domain::AuditEvent>& events,
                   const std::vector<domain::UserSummary>& members, const RefTitles& refs);
// An evidence upload that was refused: why, and what was entered, to show again on the form.
struct RefusedUpload {
  Status status;
  std::string title;
  std::string effective_date;
  std::string expires;
};
// The record's evidence files and, for those who may change the record, the upload form
// (evidence_pages.cc); with `refused`, the form shows its error and keeps its input.
void RenderEvidenceSection(Html& h, Request& r, const domain::RegisterSpec& spec,
                           const domain::Record& rec,
                           const std::vector<domain::UserSummary>& members,
                           const RefusedUpload* refused = nullptr);
// The page of the record `r.PathId()` of `spec` (register_pages.cc); with `refused`, answered
// with the refusal's status and its error at the evidence form.
void RecordPage(Request& r, const domain::RegisterSpec& spec,
                const RefusedUpload* refused = nullptr);
// The tasks of a record (a nonconformity's corrective actions) on its page, with "Add a task"
// for those who may (task_pages.cc); nothing on a task's own page.
void RenderTasksSection(Html& h, Request& r, const domain::RegisterSpec& spec,
                        const domain::Record& rec, const std::vector<domain::UserSummary>& members);
// The caller's open tasks on My work (readers of records).
void MyTasksSection(Html& h, Request& r);
// Today's date in the server's clock (for overdue reviews).
std::string Today(const Request& r);

}  // namespace rampart::http
