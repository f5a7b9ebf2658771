// The pages of every register, derived from its description:
//   GET  /{path}                 table with search, filters, sortable columns, pages
//   GET  /{path}/new             form        POST /{path}              create
//   GET  /{path}/{id}            record and its history
//   GET  /{path}/{id}/edit       form        POST /{path}/{id}         update (version checked)
//   POST /{path}/{id}/delete     (version checked)
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "app/record_codec.h"
#include "app/report_service.h"
#include "base/text.h"
#include "domain/documents.h"
#include "domain/registers.h"
#include "http/api/api_util.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

using domain::FieldSpec;
using domain::FieldType;
using domain::Json;
using domain::Record;
using domain::RegisterSpec;
using Members = std::vector<domain::UserSummary>;
// The records a reference field may choose from, by register type: every record of a small
// register; of a large one only those chosen, the others found by searching on the server as
// the user types (GET /{path}/options, searched_at).
struct RefChoices {
  std::vector<std::pair<int64_t, std::string>> options;
  std::string searched_at;  // "/assets/options" for a large register; empty for a small one
};
using RefOptions = std::map<std::string, RefChoices>;
// A page's labelled choices by field name (RegisterPageHooks::field_choices).
using FieldChoices = std::map<std::string, std::vector<domain::Choice>>;

FieldChoices ChoicesOf(Request& r, const RegisterPageHooks& hooks) {
  return hooks.field_choices ? hooks.field_choices(r) : FieldChoices{};
}

const std::vector<domain::Choice>* ChoicesFor(const FieldChoices& all, const FieldSpec& f) {
  const auto it = all.find(f.name);
  return it == all.end() ? nullptr : &it->second;
}
// A referred-to register with more records than this is searched on the server (a form of a
// risk over 10,000 assets stays small); one with at most this many is embedded in the form and
// filtered in the browser.
constexpr int kEmbeddedRefOptions = 200;

bool IsRef(const FieldSpec& f) { return f.type == FieldType::kRef || f.type == FieldType::kRefs; }

RefTitles LoadRefTitles(Request& r, const RegisterSpec& spec,
                        const std::vector<const Json*>& rows) {
  auto titles = r.services.registers.ReferencedTitles(r.principal, spec, rows);
  return titles.ok() ? std::move(*titles) : RefTitles();
}

// One statement per referred-to register (a page of kEmbeddedRefOptions by title: a next page
// means the register is large), and one more per large register for the chosen records' titles.
RefOptions LoadRefOptions(Request& r, const RegisterSpec& spec, const Json& values) {
  RefOptions out;
  bool any_searched = false;
  for (const auto& f : spec.fields) {
    if (!IsRef(f) || f.read_only || out.count(f.ref) != 0) continue;
    const RegisterSpec* target = domain::FindRegisterByType(f.ref);
    if (target == nullptr) continue;
    domain::ListQuery q;
    q.limit = kEmbeddedRefOptions;
    if (target->IsSortable(target->title_field)) q.sort = target->title_field;
    auto page = r.services.registers.List(r.principal, *target, q);
    auto& choices = out[f.ref];
    if (!page.ok()) continue;
    if (!page->next_cursor.empty()) {
      choices.searched_at = "/" + target->path + "/options";
      any_searched = true;
      continue;
    }
    for (const auto& rec : page->records) {
      const Json& t = rec.fields[target->title_field];
      choices.options.emplace_back(rec.id,
                                   t.is_string() ? t.get<std::string>() : std::to_string(rec.id));
    }
  }
  if (any_searched) {
    const RefTitles titles = LoadRefTitles(r, spec, {&values});
    for (auto& [type, choices] : out) {
      const auto t = titles.find(type);
      if (choices.searched_at.empty() || t == titles.end()) continue;
      for (const auto& [id, title] : t->second) choices.options.emplace_back(id, title);
      // By title, as a small register's are.
      std::stable_sort(choices.options.begin(), choices.options.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
    }
  }
  return out;
}

void RefLinks(Html& h, const FieldSpec& f, const Json& v, const RefTitles& refs) {
  const RegisterSpec* target = domain::FindRegisterByType(f.ref);
  const auto titles = refs.find(f.ref);
  std::vector<int64_t> ids;
  if (v.is_number_integer()) ids.push_back(v.get<int64_t>());
  if (v.is_array()) {
    for (const auto& id : v) ids.push_back(id.get<int64_t>());
  }
  h.Open("span", {{"class", "ref-list"}});
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) h.Text(", ");
    std::string title = fmt::format("#{}", ids[i]);
    bool known = false;
    if (titles != refs.end()) {
      const auto t = titles->second.find(ids[i]);
      known = t != titles->second.end();
      if (known) title = t->second;
    }
    if (target != nullptr && known) {
      h.Link(fmt::format("/{}/{}", target->path, ids[i]), title);
    } else {
      h.Text(title);
    }
  }
  h.Close("span");
}
using Errors = std::map<std::string, std::string>;

namespace {

std::string NoticeText(const RegisterSpec& spec, const std::string& key) {
  if (key == "created") return "Created.";
  if (key == "saved") return "Saved.";
  if (key == "deleted") return "Deleted.";
  if (key == "approved") {
    return fmt::format("Approved: this is now the current {}.", ToLower(spec.singular));
  }
  if (key == "minutes-approved") return "Minutes approved.";
  if (key == "followed-up") return "Decision followed up: its record is created.";
  if (key == "draft") return "New draft created from the previous version.";
  if (key == "evidence-added") return "Evidence file attached.";
  if (key == "evidence-deleted") return "Evidence file deleted.";
  if (key.rfind("invited-", 0) == 0) {  // invited-N: N people asked to complete a campaign
    const std::string n = key.substr(8);
    if (n.empty() || n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos) {
      return "";
    }
    if (n == "0") return "Everyone in its audience was asked already: nobody new to ask.";
    return fmt::format("Asked {} {} to complete it.", n, n == "1" ? "person" : "people");
  }
  if (key.rfind("catalogue-", 0) == 0) {  // catalogue-N: N entries of the shipped catalogue added
    const std::string n = key.substr(10);
    if (n.empty() || n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos) {
      return "";
    }
    if (n == "0") return "The shipped catalogue is already here: nothing was added.";
    return fmt::format("Added {} {} from the shipped catalogue.", n,
                       ToLower(n == "1" ? spec.singular : spec.plural));
  }
  return "";
}

std::string RecordTitle(const RegisterSpec& spec, const Record& rec) {
  const Json& t = rec.fields[spec.title_field];
  std::string title = t.is_string() ? t.get<std::string>() : spec.singular;
  if (spec.Field("version_number") != nullptr && rec.fields["version_number"].is_number()) {
    title = fmt::format("Version {} — {}", rec.fields["version_number"].get<int64_t>(), title);
  }
  return title;
}

// Contributors (records:edit-own) change records that name them in a user field such as the
// owner; the use case applies the same rule (app/register_service.cc).
bool MayEditOwn(const app::Principal& p, const RegisterSpec& spec) {
  return spec.write_permission == domain::Permission::kEditRecords &&
         !p.Can(domain::Permission::kEditRecords) && p.Can(domain::Permission::kEditOwnRecords);
}

// The user field a contributor's new record names them in (the owner), or null.
const FieldSpec* OwnField(const RegisterSpec& spec) {
  for (const auto& f : spec.fields) {
    if (f.type == FieldType::kUser && !f.read_only) return &f;
  }
  return nullptr;
}

}  // namespace

// Both ask the rule the use cases apply (app::RegisterService::CheckCanWrite), so that what is
// offered is what will be allowed.
bool MayCreate(const app::Principal& p, const RegisterSpec& spec) {
  return app::RegisterService::CheckCanWrite(p, spec, nullptr, nullptr).ok();
}

bool MayChange(const app::Principal& p, const RegisterSpec& spec, const Record& rec) {
  return app::RegisterService::CheckCanWrite(p, spec, &rec.fields, nullptr).ok();
}

void RenderRefusal(Request& r, const PageFrame& frame, const Status& why, const std::string& back,
                   const std::string& back_label) {
  Html h;
  h.Open("div", {{"class", "card empty-state"}, {"role", "alert"}});
  h.Element("h2", {}, "You cannot do this");
  h.Element("p", {}, why.message());
  h.Link(back, back_label, "button button-secondary");
  h.Close("div");
  RenderPage(r, frame, h.Take(), HttpStatusFor(why.code()));
}

namespace {

bool IsEditable(const RegisterSpec& spec, const Record& rec) {
  if (!spec.lifecycle) return true;
  const Json& state = rec.fields[spec.lifecycle->field];
  return !state.is_string() || spec.lifecycle->IsEditableIn(state.get<std::string>());
}

// ---------------------------------------------------------------------------------------------
// The table

bool IsDueField(const RegisterSpec& spec, const FieldSpec& f) {
  return spec.lifecycle && f.name == spec.lifecycle->due_field;
}

// Beside the due date of a record still open after it (domain::IsPastDue).
void OverdueBadge(Html& h) {
  h.Text(" ");
  h.Element("span", {{"class", "badge badge-overdue"}}, "Overdue");
}

}  // namespace

std::string QueryWith(const HttpRequest& req, const std::string& key, const std::string& value,
                      bool drop_cursor) {
  std::string out;
  bool replaced = false;
  for (const auto& [k, v] : req.params) {
    if (k == key) {
      if (replaced || value.empty()) continue;
      replaced = true;
      out += (out.empty() ? "?" : "&") + UrlEncode(k) + "=" + UrlEncode(value);
      continue;
    }
    if (drop_cursor && k == "cursor") continue;
    if (k == "notice") continue;
    out += (out.empty() ? "?" : "&") + UrlEncode(k) + "=" + UrlEncode(v);
  }
  if (!replaced && !value.empty()) {
    out += (out.empty() ? "?" : "&") + UrlEncode(key) + "=" + UrlEncode(value);
  }
  return out;
}

int64_t PageNumber(const Request& r, const domain::ListQuery& q) {
  if (q.cursor.empty()) return 1;
  const std::string text = r.Query("page");
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  return ec == std::errc() && end == text.data() + text.size() && n >= 2 && n <= 1'000'000 ? n : 0;
}

std::string PageCount(const RegisterSpec& spec, int64_t total, bool capped, int64_t page_no,
                      int limit, int64_t shown, bool one_page) {
  if (one_page || page_no == 0) {
    return capped ? fmt::format("More than {} {}", Grouped(total), LowerNoun(spec.plural))
                  : CountOf(spec, total);
  }
  const int64_t first = (page_no - 1) * limit + 1;
  // CountOf's noun after its number: " context issues".
  const std::string noun = CountOf(spec, total).substr(std::to_string(total).size());
  return fmt::format("{}–{} of {}{}{}", Grouped(first), Grouped(first + shown - 1),
                     capped ? "more than " : "", Grouped(total), noun);
}

void Pager(Html& h, const std::string& path, const HttpRequest& view,
           const std::string& prev_cursor, const std::string& next_cursor, int64_t page_no) {
  // The links carry the cursor and the number of the page they lead to.
  const std::string first_page = path + QueryWith(view, "cursor", "");
  auto page_link = [&](const std::string& cursor, int64_t n) {
    std::string url = path + QueryWith(view, "cursor", cursor, false);
    if (n >= 2) url += fmt::format("&page={}", n);
    return url;
  };
  h.Open("nav", {{"class", "pager"}, {"aria-label", "Pages"}});
  if (!prev_cursor.empty()) {
    if (page_no != 2) h.Link(first_page, "« First page", "button button-ghost");
    h.Link(page_no == 2 ? first_page : page_link(prev_cursor, page_no - 1), "← Previous page",
           "button button-secondary");
  }
  if (!next_cursor.empty()) {
    h.Link(page_link(next_cursor, page_no == 0 ? 0 : page_no + 1), "Next page →",
           "button button-secondary");
  }
  h.Close("nav");
}

void OpenListToolbar(Html& tb, const Request& r, const std::string& action,
                     const std::string& placeholder) {
  tb.Open("form",
          {{"method", "get"}, {"action", action}, {"class", "toolbar"}, {"role", "search"}});
  tb.Open("div", {{"class", "filter filter-search"}});
  tb.Element("label", {{"for", "q"}}, "Search");
  tb.Void("input", {{"type", "search"},
                    {"id", "q"},
                    {"name", "q"},
                    {"value", r.Query("q")},
                    {"placeholder", placeholder},
                    {"maxlength", "200"}});
  tb.Close("div");
}

void CloseListToolbar(Html& tb, const Request& r, const std::string& action) {
  if (!r.Query("sort").empty()) {
    tb.Void("input", {{"type", "hidden"}, {"name", "sort"}, {"value", r.Query("sort")}});
  }
  tb.Open("div", {{"class", "filter filter-actions"}});
  tb.Element("button", {{"type", "submit"}, {"class", "button button-secondary"}}, "Apply");
  tb.Link(action, "Clear", "button button-ghost");
  tb.Close("div").Close("form");
}

void FilterControl(Html& h, const HttpRequest& req, const FieldSpec& f, const Members& members,
                   const std::vector<domain::Choice>* choices) {
  const std::string current = req.HasParam(f.name) ? req.Param(f.name) : "";
  const std::string id = "filter-" + f.name;
  h.Open("div", {{"class", "filter"}});
  h.Element("label", {{"for", id}}, f.label);
  h.Open("select", {{"id", id}, {"name", f.name}});
  h.Element("option", {{"value", ""}}, "Any");
  auto option = [&](const std::string& value, const std::string& label) {
    if (value == current) {
      h.Open("option", {{"value", value}, Attr::Flag("selected")}).Text(label).Close("option");
    } else {
      h.Element("option", {{"value", value}}, label);
    }
  };
  if (choices != nullptr) {
    for (const auto& c : *choices) option(c.value, c.label);
  } else if (f.type == FieldType::kEnum) {
    for (const auto& c : f.choices) option(c.value, c.label);
  } else if (f.type == FieldType::kBool) {
    option("true", "Yes");
    option("false", "No");
  } else if (f.type == FieldType::kUser) {
    for (const auto& m : members) option(std::to_string(m.id), UserName(m.id, members));
  } else if (f.type == FieldType::kInteger) {
    for (int v = f.min_value; v <= f.max_value; ++v) option(std::to_string(v), std::to_string(v));
  }
  h.Close("select").Close("div");
}

// The list's query parameters as the page reads them. `notice` (the confirmation after a
// delete) belongs to the page, not to the query. The toolbar form submits every control, so
// "Any" arrives as an empty value; for the API an empty value asks for records where the field
// is not set. A toolbar submission (recognised by its search box, `q`) therefore drops empty
// values, while a link such as /context-issues?swot= (no `q`) still lists the unset ones.
HttpRequest ListView(const HttpRequest& req) {
  HttpRequest view;
  view.path = req.path;
  view.params = req.params;
  const bool from_toolbar = req.HasParam("q");
  for (auto it = view.params.begin(); it != view.params.end();) {
    // The page number travels beside the cursor for the "51–100 of 1,234" line only.
    const bool drop =
        it->first == "notice" || it->first == "page" || (from_toolbar && it->second.empty());
    it = drop ? view.params.erase(it) : std::next(it);
  }
  return view;
}

namespace {

void Cell(Html& h, const RegisterSpec& spec, const FieldSpec& f, const Record& rec,
          const Members& members, const std::string& today, const RefTitles& refs,
          const std::string& flag) {
  const Json& v = rec.fields[f.name];
  if (f.name == spec.title_field) {
    h.Open("td", {{"class", "cell-title"}});
    h.Link(fmt::format("/{}/{}", spec.path, rec.id), v.is_string() ? v.get<std::string>() : "—");
    if (!flag.empty()) {
      h.Text(" ");
      h.Element("span", {{"class", "badge badge-flag"}}, flag);
    }
    h.Close("td");
    return;
  }
  if (v.is_null() || (f.type == FieldType::kBool && !v.get<bool>())) {
    h.Element("td", {{"class", "cell-empty"}, {"data-label", f.label}}, "—");
    return;
  }
  switch (f.type) {
    case FieldType::kEnum:
      h.Open("td", {{"data-label", f.label}});
      Badge(h, f, v);
      h.Close("td");
      return;
    case FieldType::kRef:
    case FieldType::kRefs:
      h.Open("td", {{"data-label", f.label}});
      RefLinks(h, f, v, refs);
      h.Close("td");
      return;
    case FieldType::kDate: {
      const std::string d = v.get<std::string>();
      const bool review_overdue =
          f.name == "next_review" && domain::IsReviewOverdue(spec, rec.fields, today);
      const bool past_due = IsDueField(spec, f) && domain::IsPastDue(spec, rec.fields, today);
      h.Open("td", {{"class", review_overdue || past_due ? "cell-date is-overdue" : "cell-date"},
                    {"data-label", f.label}});
      h.Text(d);
      if (review_overdue) h.Element("span", {{"class", "visually-hidden"}}, " (review overdue)");
      if (past_due) OverdueBadge(h);
      h.Close("td");
      return;
    }
    case FieldType::kTable: {
      size_t addressed = 0;
      for (const auto& row : v) addressed += row.value("addressed", false) ? 1 : 0;
      const bool has_addressed =
          !f.columns.empty() &&
          std::any_of(f.columns.begin(), f.columns.end(),
                      [](const FieldSpec& c) { return c.name == "addressed"; });
      std::string text = fmt::format("{} {}", v.size(), v.size() == 1 ? "entry" : "entries");
      if (has_addressed) text += fmt::format(" · {} addressed", addressed);
      h.Element("td", {{"class", "cell-count"}, {"data-label", f.label}}, text);
      return;
    }
    case FieldType::kInteger:
    case FieldType::kDecimal:
      h.Element("td", {{"class", "cell-num"}, {"data-label", f.label}},
                f.sequence ? domain::SequenceText(f, rec.fields) : DisplayValue(f, v, members));
      return;
    default:
      h.Element("td", {{"data-label", f.label}}, DisplayValue(f, v, members));
  }
}

void ListPage(Request& r, const RegisterSpec& spec) {
  const HttpRequest view = ListView(r.http);
  auto members = r.services.registers.Members(r.principal);
  if (!members.ok())
    return RenderPage(r, {.title = "Error"}, Html().Text(members.status().message()).Take(), 500);
  PageFrame frame{.title = spec.plural,
                  .nav = spec.path,
                  .crumbs = {},
                  .subtitle = "Clause " + spec.clause,
                  .actions = {},
                  .notice = ImportedNotice(r)};
  if (frame.notice.empty()) frame.notice = NoticeText(spec, r.Query("notice"));
  {
    Html a;
    a.Link(fmt::format("/api/v1/{}/export{}", spec.path, QueryWith(view, "format", "csv")),
           "Export CSV", "button button-secondary");
    a.Link(fmt::format("/api/v1/{}/export{}", spec.path, QueryWith(view, "format", "xlsx")),
           "Export XLSX", "button button-secondary");
    if (MayImport(r, spec)) {
      a.Link("/" + spec.path + "/import", "Import", "button button-secondary");
    }
    if (MayCreate(r.principal, spec)) {
      a.Link("/" + spec.path + "/new", "New " + ToLower(spec.singular), "button button-primary");
    }
    frame.actions = a.Take();
  }
  Html h;
  if (spec.versions) VersionListBanner(h, r, spec);
  const auto& hooks = PageHooksFor(spec);
  if (hooks.list_banner) hooks.list_banner(h, r);
  const FieldChoices choices = ChoicesOf(r, hooks);

  // Search and filters (a GET form: the URL is the state, so it can be shared and bookmarked).
  // Left out while the register is still empty: there is nothing to search.
  Html tb;
  OpenListToolbar(tb, r, "/" + spec.path, "Search " + LowerNoun(spec.plural));
  for (const auto& f : spec.fields) {
    if (!f.filterable) continue;
    const bool offered =
        f.type == FieldType::kEnum || f.type == FieldType::kBool || f.type == FieldType::kUser ||
        (f.type == FieldType::kInteger && f.max_value > 0) || ChoicesFor(choices, f) != nullptr;
    if (offered) {
      FilterControl(tb, view, f, *members, ChoicesFor(choices, f));
    } else if (view.HasParam(f.name) && !view.Param(f.name).empty()) {
      // A filter the toolbar has no control for (a level, a referred-to record, reached from a
      // heat map or a record's page) is kept when the toolbar is applied.
      tb.Void("input", {{"type", "hidden"}, {"name", f.name}, {"value", view.Param(f.name)}});
    }
  }
  CloseListToolbar(tb, r, "/" + spec.path);

  auto q = ParseListQuery(spec, view);
  if (!q.ok()) {
    h.Append(tb);
    h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}});
    h.Text(q.status().message()).Close("div");
    return RenderPage(r, frame, h.Take(), 400);
  }
  q->with_total = true;
  q->total_limit = kPageTotalLimit;
  q->limit = 50;
  auto page = r.services.registers.List(r.principal, spec, *q);
  if (!page.ok()) {
    h.Append(tb);
    h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}});
    h.Text(page.status().message()).Close("div");
    return RenderPage(r, frame, h.Take(),
                      page.status().code() == Code::kInvalidArgument ? 400 : 500);
  }
  const bool filtered = !q->filters.empty() || !q->search.empty();
  if (filtered || !page->records.empty() || !q->cursor.empty()) h.Append(tb);
  if (page->records.empty() && q->cursor.empty()) {
    h.Open("div", {{"class", "empty-state card"}});
    if (filtered) {
      h.Element("h2", {}, "Nothing matches");
      h.Element("p", {}, "No " + LowerNoun(spec.plural) + " match this search and these filters.");
      h.Link("/" + spec.path, "Show all", "button button-secondary");
    } else {
      h.Element("h2", {}, "No " + LowerNoun(spec.plural) + " yet");
      if (MayCreate(r.principal, spec)) {
        h.Element("p", {},
                  "Record the first one; it will be versioned and its every change kept in the "
                  "audit trail.");
        h.Link("/" + spec.path + "/new", "New " + ToLower(spec.singular), "button button-primary");
      } else {
        h.Element("p", {}, "Nothing has been recorded here yet.");
      }
    }
    h.Close("div");
    return RenderPage(r, frame, h.Take());
  }

  const std::string today = Today(r);
  h.Open("div", {{"class", "card table-card"}});
  const int64_t page_no = PageNumber(r, *q);
  const std::string count = PageCount(spec, *page->total, page->total_capped, page_no, q->limit,
                                      static_cast<int64_t>(page->records.size()),
                                      q->cursor.empty() && page->next_cursor.empty());
  h.Open("div", {{"class", "table-meta"}});
  h.Element("span", {{"class", "count"}, {"aria-live", "polite"}}, count);
  h.Close("div");
  // On narrow screens each row becomes a stacked entry (app.css), labelled by data-label.
  Table table{.cls = "data-table stack-narrow", .caption = spec.plural};
  for (const auto& col : spec.list_columns) {
    const FieldSpec* f = spec.Field(col);
    if (f == nullptr) continue;
    if (!f->sortable) {
      table.columns.push_back({.label = f->label});
      continue;
    }
    const bool active = q->sort == col;
    const std::string next_sort = active && !q->descending ? "-" + col : col;
    table.columns.push_back({.label = f->label,
                             .sort = !active         ? ColumnSort::kUnsorted
                                     : q->descending ? ColumnSort::kDescending
                                                     : ColumnSort::kAscending,
                             .sort_href = "/" + spec.path + QueryWith(view, "sort", next_sort)});
  }
  table.Open(h);
  std::vector<const Json*> rows;
  for (const auto& rec : page->records) rows.push_back(&rec.fields);
  const RefTitles refs = LoadRefTitles(r, spec, rows);
  const std::map<int64_t, std::string> flags =
      hooks.row_flags ? hooks.row_flags(r, page->records) : std::map<int64_t, std::string>();
  for (const auto& rec : page->records) {
    h.Open("tr");
    const auto flag = flags.find(rec.id);
    for (const auto& col : spec.list_columns) {
      const FieldSpec* f = spec.Field(col);
      if (f != nullptr) {
        Cell(h, spec, *f, rec, *members, today, refs, flag == flags.end() ? "" : flag->second);
      }
    }
    h.Close("tr");
  }
  table.Close(h);
  Pager(h, "/" + spec.path, view, page->prev_cursor, page->next_cursor, page_no);
  h.Close("div");
  RenderPage(r, frame, h.Take());
}

// ---------------------------------------------------------------------------------------------
// The record

void ValueBlock(Html& h, const FieldSpec& f, const Json& v, const Members& members,
                const RefTitles& refs, const std::vector<domain::Choice>* choices = nullptr) {
  if (v.is_null()) {
    h.Element("span", {{"class", "muted"}}, "Not set");
    return;
  }
  if (choices != nullptr) {  // "3 — Possible"
    const std::string value = v.is_string() ? v.get<std::string>() : v.dump();
    const auto it = std::find_if(choices->begin(), choices->end(),
                                 [&](const domain::Choice& c) { return c.value == value; });
    h.Text(it != choices->end() ? it->label : value);
    return;
  }
  switch (f.type) {
    case FieldType::kRef:
    case FieldType::kRefs:
      RefLinks(h, f, v, refs);
      return;
    case FieldType::kEnum:
      Badge(h, f, v);
      return;
    case FieldType::kLongText:
      h.Element("div", {{"class", "prose"}}, v.get<std::string>());
      return;
    case FieldType::kList:
      h.Open("ul", {{"class", "value-list"}});
      // Choices by their labels ("8.7 Protection against malware").
      for (const auto& item : v) h.Element("li", {}, f.ChoiceLabel(item.get<std::string>()));
      h.Close("ul");
      return;
    case FieldType::kTable: {
      Table table{.cls = "data-table compact"};
      for (const auto& c : f.columns) table.columns.push_back({.label = c.label});
      table.Open(h);
      for (const auto& row : v) {
        h.Open("tr");
        for (const auto& c : f.columns) {
          const Json& cv = row.value(c.name, Json());
          if (c.type == FieldType::kEnum && cv.is_string()) {
            h.Open("td");
            Badge(h, c, cv);
            h.Close("td");
          } else {
            h.Element("td", {{"class", c.type == FieldType::kLongText ? "prose" : ""}},
                      cv.is_null() ? "—" : DisplayValue(c, cv, members));
          }
        }
        h.Close("tr");
      }
      table.Close(h);
      return;
    }
    default:
      h.Text(DisplayValue(f, v, members));
  }
}

void DetailPage(Request& r, const RegisterSpec& spec) { RecordPage(r, spec); }

}  // namespace

void RecordPage(Request& r, const RegisterSpec& spec, const RefusedUpload* refused) {
  const int64_t id = r.PathId();
  auto rec = r.services.registers.Get(r.principal, spec, id);
  if (!rec.ok()) {
    const int status = HttpStatusFor(rec.status().code());
    Html h;
    h.Open("div", {{"class", "card empty-state"}});
    h.Element("h2", {},
              status == 404 ? "This record does not exist" : "This record cannot be shown");
    h.Element("p", {}, rec.status().message());
    h.Link("/" + spec.path, "All " + LowerNoun(spec.plural), "button button-secondary");
    h.Close("div");
    return RenderPage(r,
                      {.title = "Not found",
                       .nav = spec.path,
                       .crumbs = {{spec.plural, "/" + spec.path}, {"Not found", ""}}},
                      h.Take(), status);
  }
  auto members = r.services.registers.Members(r.principal);
  auto history = r.services.registers.History(r.principal, spec, id);
  if (!members.ok() || !history.ok()) {
    return RenderPage(r, {.title = "Error"}, SafeHtml("<p>The record could not be loaded.</p>"),
                      500);
  }
  const std::string title = RecordTitle(spec, *rec);
  const auto& hooks = PageHooksFor(spec);
  Html actions;
  if (hooks.detail_actions) hooks.detail_actions(actions, r, *rec);
  if (spec.versions) VersionActions(actions, r, spec, *rec);
  const bool may_change = MayChange(r.principal, spec, *rec);
  if (may_change && IsEditable(spec, *rec)) {
    // Where the register adds its own step (approve a draft), that step is the primary action.
    actions.Link(fmt::format("/{}/{}/edit", spec.path, id), "Edit",
                 actions.empty() ? "button button-primary" : "button button-secondary");
  }
  if (spec.versions) {
    actions.Link(fmt::format("/{}/compare?to={}", spec.path, id), "Compare",
                 "button button-secondary");
  }
  // The record's report (an internal audit, a management review's minutes, a published
  // document) as PDF.
  for (const auto& info : app::Reports()) {
    if (info.record != &spec) continue;
    if (&spec == &domain::Documents() &&
        !rec->fields.value("published_version", Json()).is_number_integer()) {
      break;
    }
    actions.Link(fmt::format("/reports/{}?id={}&format=pdf", info.name, id), "PDF",
                 "button button-secondary");
  }
  PageFrame frame{
      .title = title,
      .nav = spec.path,
      .crumbs = {{spec.plural, "/" + spec.path}, {title, ""}},
      .subtitle = fmt::format("{} · clause {} · revision {} · updated {}", spec.singular,
                              spec.clause, rec->version, rec->updated_at.substr(0, 10)),
      .actions = actions.Take(),
      .notice = NoticeText(spec, r.Query("notice"))};
  Html h;
  if (spec.versions) VersionDetailBanner(h, r, spec, *rec);
  if (hooks.detail_banner) hooks.detail_banner(h, r, *rec);
  h.Open("div", {{"class", "record-layout"}});
  h.Open("section", {{"class", "card record"}, {"aria-label", "Details"}});
  h.Open("dl", {{"class", "fields"}});
  // The record's references and those its history names, in one read per register referred to.
  std::vector<Json> named;
  for (const auto& e : *history) {
    if (!e.diff.is_object()) continue;
    Json from = Json::object(), to = Json::object();
    for (const auto& [name, change] : e.diff.items()) {
      if (!change.is_object()) continue;
      from[name] = change.value("from", Json());
      to[name] = change.value("to", Json());
    }
    named.push_back(std::move(from));
    named.push_back(std::move(to));
  }
  std::vector<const Json*> rows = {&rec->fields};
  for (const auto& n : named) rows.push_back(&n);
  const RefTitles refs = LoadRefTitles(r, spec, rows);
  const FieldChoices choices = ChoicesOf(r, hooks);
  for (const auto& f : spec.fields) {
    if (std::find(hooks.detail_hidden.begin(), hooks.detail_hidden.end(), f.name) !=
        hooks.detail_hidden.end()) {
      continue;
    }
    const bool wide =
        f.type == FieldType::kLongText || f.type == FieldType::kTable || f.type == FieldType::kList;
    h.Open("div", {{"class", wide ? "field field-wide" : "field"}});
    h.Element("dt", {}, f.label);
    h.Open("dd");
    if (f.sequence && !f.sequence_within.empty()) {
      h.Text(domain::SequenceText(f, rec->fields));
    } else {
      ValueBlock(h, f, rec->fields[f.name], *members, refs, ChoicesFor(choices, f));
      if (IsDueField(spec, f) && domain::IsPastDue(spec, rec->fields, Today(r))) OverdueBadge(h);
    }
    h.Close("dd").Close("div");
  }
  h.Close("dl");
  h.Open("p", {{"class", "record-meta muted"}});
  h.Text(fmt::format("Created {} by {} · last changed {} by {}", rec->created_at.substr(0, 10),
                     UserName(rec->created_by, *members), rec->updated_at.substr(0, 10),
                     UserName(rec->updated_by, *members)));
  h.Close("p");
  if (may_change && IsEditable(spec, *rec)) {
    ButtonForm(h, r, fmt::format("/{}/{}/delete", spec.path, id),
               {.label = "Delete",
                .cls = "button button-danger",
                .confirm = "Delete this " + ToLower(spec.singular) + "? Its history is kept.",
                .hidden = {{"version", std::to_string(rec->version)}},
                .form_class = "danger-zone"});
  }
  h.Close("section");
  RenderEvidenceSection(h, r, spec, *rec, *members, refused);
  RenderTasksSection(h, r, spec, *rec, *members);
  if (hooks.detail_sections) hooks.detail_sections(h, r, *rec);
  RenderHistory(h, spec, *history, *members, refs);
  h.Close("div");
  RenderPage(r, frame, h.Take(), refused != nullptr ? HttpStatusFor(refused->status.code()) : 200);
}

namespace {

// ---------------------------------------------------------------------------------------------
// Forms

void Control(Html& h, const FieldSpec& f, const std::string& name, const std::string& id,
             const Json& value, bool invalid, const std::string& described_by,
             const Members& members, const RefOptions* ref_options = nullptr,
             const std::vector<domain::Choice>* choices = nullptr) {
  const std::string str = value.is_string()   ? value.get<std::string>()
                          : value.is_number() ? value.dump()
                                              : std::string();
  const std::string aria_invalid = invalid ? "true" : "false";
  const bool multiple =
      f.type == FieldType::kRefs || (f.type == FieldType::kList && !f.choices.empty());
  const bool labelled = choices != nullptr && !multiple;  // a rating: "3 — Possible"
  if (IsRef(f) || multiple || labelled) {
    // A select of the choices or of the referred-to register's records; a multiple select
    // is preceded by an empty value so that choosing nothing clears the field.
    std::vector<std::pair<std::string, std::string>> options;
    std::string searched_at;
    if (labelled) {
      for (const auto& c : *choices) options.emplace_back(c.value, c.label);
    } else if (f.type == FieldType::kList) {
      for (const auto& c : f.choices) options.emplace_back(c.value, c.label);
    } else if (ref_options != nullptr && ref_options->count(f.ref) != 0) {
      for (const auto& [oid, title] : ref_options->at(f.ref).options) {
        options.emplace_back(std::to_string(oid), title);
      }
      searched_at = ref_options->at(f.ref).searched_at;
    }
    std::set<std::string> chosen;
    if (value.is_array()) {
      for (const auto& item : value)
        chosen.insert(item.is_string() ? item.get<std::string>() : item.dump());
    } else if (!str.empty()) {
      chosen.insert(str);
    }
    // A chosen record beyond the options offered stays chosen.
    for (const auto& c : chosen) {
      if (std::none_of(options.begin(), options.end(),
                       [&](const auto& o) { return o.first == c; })) {
        options.emplace_back(c, labelled ? c : "#" + c);
      }
    }
    if (multiple) h.Void("input", {{"type", "hidden"}, {"name", name}, {"value", ""}});
    const std::string size =
        std::to_string(std::min<size_t>(8, std::max<size_t>(3, options.size())));
    // app.js turns a reference or multiple choice (not a rating) into a combobox with chips
    // (data-picker), searching the server for a large register (data-picker-source); the select
    // stays the form's field.
    const std::string picker = labelled ? "" : multiple ? "multiple" : "single";
    if (multiple) {
      h.Open("select", {{"id", id},
                        {"name", name},
                        Attr::Flag("multiple"),
                        {"size", size},
                        {"aria-invalid", aria_invalid},
                        {"aria-describedby", described_by},
                        {"data-picker", picker},
                        {"data-picker-label", picker.empty() ? "" : f.label},
                        {"data-picker-source", searched_at}});
    } else {
      h.Open("select", {{"id", id},
                        {"name", name},
                        {"aria-invalid", aria_invalid},
                        {"aria-describedby", described_by},
                        {"data-picker", picker},
                        {"data-picker-label", picker.empty() ? "" : f.label},
                        {"data-picker-source", searched_at}});
    }
    if (!multiple) h.Element("option", {{"value", ""}}, "—");
    for (const auto& [v, label] : options) {
      if (chosen.count(v) != 0) {
        h.Open("option", {{"value", v}, Attr::Flag("selected")}).Text(label).Close("option");
      } else {
        h.Element("option", {{"value", v}}, label);
      }
    }
    h.Close("select");
    return;
  }
  switch (f.type) {
    case FieldType::kLongText:
      h.Open("textarea", {{"id", id},
                          {"name", name},
                          {"rows", "4"},
                          {"aria-invalid", aria_invalid},
                          {"aria-describedby", described_by}});
      h.Text(str).Close("textarea");
      return;
    case FieldType::kList: {
      std::string lines;
      if (value.is_array()) {
        for (const auto& item : value) {
          if (item.is_string()) lines += item.get<std::string>() + "\n";
        }
      }
      h.Open("textarea", {{"id", id},
                          {"name", name},
                          {"rows", "4"},
                          {"aria-invalid", aria_invalid},
                          {"aria-describedby", described_by}});
      h.Text(lines).Close("textarea");
      return;
    }
    case FieldType::kEnum:
    case FieldType::kUser: {
      h.Open("select", {{"id", id},
                        {"name", name},
                        {"aria-invalid", aria_invalid},
                        {"aria-describedby", described_by}});
      h.Element("option", {{"value", ""}}, f.required ? "Choose…" : "—");
      auto option = [&](const std::string& v, const std::string& label) {
        if (v == str) {
          h.Open("option", {{"value", v}, Attr::Flag("selected")}).Text(label).Close("option");
        } else {
          h.Element("option", {{"value", v}}, label);
        }
      };
      if (f.type == FieldType::kEnum) {
        for (const auto& c : f.choices) option(c.value, c.label);
      } else {
        for (const auto& m : members) {
          if (!m.disabled || std::to_string(m.id) == str) {
            option(std::to_string(m.id), UserName(m.id, members));
          }
        }
      }
      h.Close("select");
      return;
    }
    case FieldType::kBool:
      if (value.is_boolean() && value.get<bool>()) {
        h.Void("input", {{"type", "checkbox"},
                         {"id", id},
                         {"name", name},
                         {"value", "true"},
                         Attr::Flag("checked"),
                         {"aria-describedby", described_by}});
      } else {
        h.Void("input", {{"type", "checkbox"},
                         {"id", id},
                         {"name", name},
                         {"value", "true"},
                         {"aria-describedby", described_by}});
      }
      return;
    default: {
      // One-line inputs differ only in their type (and a text box's length limit).
      const bool decimal = f.type == FieldType::kDecimal;
      const char* type = f.type == FieldType::kDate                 ? "date"
                         : f.type == FieldType::kInteger || decimal ? "number"
                         : f.type == FieldType::kColour             ? "color"
                                                                    : "text";
      const std::string max =
          f.type == FieldType::kText ? std::to_string(f.max_length > 0 ? f.max_length : 200) : "";
      // A decimal shows as people write it (95.5, 100); what was typed and refused, as typed.
      h.Void("input",
             {{"type", type},
              {"id", id},
              {"name", name},
              {"value", decimal && value.is_number() ? FormatNumber(value.get<double>()) : str},
              {"step", decimal ? "any" : ""},
              {"maxlength", max},
              {"aria-invalid", aria_invalid},
              {"aria-describedby", described_by}});
    }
  }
}

void TableControl(Html& h, const FieldSpec& f, const Json& value, const Errors& errors,
                  const Members& members) {
  const size_t existing = value.is_array() ? value.size() : 0;
  const size_t rows = existing + 2;  // spare rows for adding without JavaScript
  h.Open("div", {{"class", "table-scroll"}});
  h.Open("table", {{"class", "form-table"}, {"data-rows", f.name}});
  h.Open("thead").Open("tr");
  for (const auto& c : f.columns) {
    h.Open("th", {{"scope", "col"}}).Text(c.label);
    if (c.required) h.Element("span", {{"class", "req"}, {"aria-hidden", "true"}}, " *");
    h.Close("th");
  }
  h.Close("tr").Close("thead").Open("tbody");
  for (size_t i = 0; i < rows; ++i) {
    h.Open("tr", {{"data-row", std::to_string(i)}});
    for (const auto& c : f.columns) {
      const std::string path = fmt::format("{}[{}].{}", f.name, i, c.name);
      const std::string name = fmt::format("{}[{}][{}]", f.name, i, c.name);
      const std::string id = fmt::format("{}-{}-{}", f.name, i, c.name);
      const Json cv =
          i < existing && value[i].is_object() ? value[i].value(c.name, Json()) : Json();
      const auto err = errors.find(path);
      h.Open("td");
      if (c.type == FieldType::kBool) {
        h.Open("label", {{"class", "check"}});
        Control(h, c, name, id, cv, false, "", members);
        h.Element("span", {{"class", "visually-hidden"}}, c.label);
        h.Close("label");
      } else if (c.type == FieldType::kList && !c.choices.empty()) {
        // A set of choices in a row: a checkbox each, every ticked value sent under the name.
        h.Open("fieldset", {{"class", "check-group"},
                            {"id", id},
                            {"aria-describedby", err != errors.end() ? id + "-error" : ""}});
        h.Element("legend", {{"class", "visually-hidden"}}, c.label);
        for (const auto& choice : c.choices) {
          const bool ticked =
              cv.is_array() && std::find(cv.begin(), cv.end(), Json(choice.value)) != cv.end();
          h.Open("label", {{"class", "check"}});
          if (ticked) {
            h.Void("input", {{"type", "checkbox"},
                             {"name", name},
                             {"value", choice.value},
                             Attr::Flag("checked")});
          } else {
            h.Void("input", {{"type", "checkbox"}, {"name", name}, {"value", choice.value}});
          }
          h.Text(" " + choice.label);
          h.Close("label");
        }
        h.Close("fieldset");
      } else {
        h.Element("label", {{"for", id}, {"class", "visually-hidden"}}, c.label);
        Control(h, c, name, id, cv, err != errors.end(), err != errors.end() ? id + "-error" : "",
                members);
      }
      if (err != errors.end()) {
        h.Element("p", {{"class", "field-error"}, {"id", id + "-error"}}, err->second);
      }
      h.Close("td");
    }
    h.Close("tr");
  }
  h.Close("tbody").Close("table").Close("div");
  h.Element("button",
            {{"type", "button"},
             {"class", "button button-ghost add-row"},
             {"data-add-row", f.name},
             {"hidden", "hidden"}},
            "+ Add a row");
}

// The answer to a form page or post for a record the caller may not change: why, and the way
// back to the record.
void Refused(Request& r, const RegisterSpec& spec, const Record& rec, const Status& why) {
  const std::string title = RecordTitle(spec, rec);
  const std::string href = fmt::format("/{}/{}", spec.path, rec.id);
  RenderRefusal(r,
                {.title = "Not allowed",
                 .nav = spec.path,
                 .crumbs = {{spec.plural, "/" + spec.path}, {title, href}, {"Not allowed", ""}}},
                why, href, "Back to the record");
}

void FormPage(Request& r, const RegisterSpec& spec, const Record* rec, const Json& values,
              const std::vector<domain::FieldError>& field_errors, const std::string& message,
              int status) {
  auto members = r.services.registers.Members(r.principal);
  if (!members.ok())
    return RenderPage(r, {.title = "Error"}, SafeHtml("<p>Could not load members.</p>"), 500);
  Errors errors;
  for (const auto& e : field_errors) errors.emplace(e.field, e.message);
  const std::string title =
      rec != nullptr ? "Edit: " + RecordTitle(spec, *rec) : "New " + ToLower(spec.singular);
  std::vector<Crumb> crumbs = {{spec.plural, "/" + spec.path}};
  if (rec != nullptr)
    crumbs.push_back({RecordTitle(spec, *rec), fmt::format("/{}/{}", spec.path, rec->id)});
  crumbs.push_back({rec != nullptr ? "Edit" : "New", ""});
  PageFrame frame{
      .title = title, .nav = spec.path, .crumbs = crumbs, .subtitle = "Clause " + spec.clause};
  Html h;
  FormErrorSummary(h, field_errors, message);
  const std::string action =
      rec != nullptr ? fmt::format("/{}/{}", spec.path, rec->id) : "/" + spec.path;
  OpenPostForm(h, r, action, "card record-form");
  if (rec != nullptr) {
    h.Void("input",
           {{"type", "hidden"}, {"name", "version"}, {"value", std::to_string(rec->version)}});
  }
  h.Open("div", {{"class", "form-grid"}});
  const RefOptions ref_options = LoadRefOptions(r, spec, values);
  const auto hooks = PageHooksFor(spec);
  const FieldChoices choices = ChoicesOf(r, hooks);
  for (const auto& f : spec.fields) {
    if (f.read_only) continue;
    const auto err = errors.find(f.name);
    const bool wide =
        f.type == FieldType::kLongText || f.type == FieldType::kTable || f.type == FieldType::kList;
    std::string cls = wide ? "form-field form-field-wide" : "form-field";
    if (err != errors.end()) cls += " has-error";
    const std::string help_id = f.name + "-help";
    const std::string error_id = f.name + "-error";
    std::string described;
    if (!f.help.empty()) described = help_id;
    if (err != errors.end()) described += (described.empty() ? "" : " ") + error_id;
    const Json v = values.is_object() && values.contains(f.name) ? values[f.name] : Json();
    if (f.type == FieldType::kTable) {
      h.Open("fieldset", {{"class", cls}, {"id", f.name}});
      h.Element("legend", {}, f.label);
      if (!f.help.empty()) h.Element("p", {{"class", "help"}, {"id", help_id}}, f.help);
      if (err != errors.end())
        h.Element("p", {{"class", "field-error"}, {"id", error_id}}, err->second);
      TableControl(h, f, v, errors, *members);
      h.Close("fieldset");
      continue;
    }
    h.Open("div", {{"class", cls}});
    if (f.type == FieldType::kBool) {
      h.Open("label", {{"class", "check"}});
      Control(h, f, f.name, f.name, v, err != errors.end(), described, *members, &ref_options);
      h.Element("span", {}, f.label);
      h.Close("label");
    } else {
      h.Open("label", {{"for", f.name}}).Text(f.label);
      if (f.required) h.Element("span", {{"class", "req"}, {"aria-hidden", "true"}}, " *");
      if (f.required) h.Element("span", {{"class", "visually-hidden"}}, " (required)");
      h.Close("label");
      Control(h, f, f.name, f.name, v, err != errors.end(), described, *members, &ref_options,
              ChoicesFor(choices, f));
    }
    if (!f.help.empty()) h.Element("p", {{"class", "help"}, {"id", help_id}}, f.help);
    if (err != errors.end())
      h.Element("p", {{"class", "field-error"}, {"id", error_id}}, err->second);
    if (hooks.after_form_field) hooks.after_form_field(h, r, f, values);
    h.Close("div");
  }
  h.Close("div");
  h.Open("div", {{"class", "form-actions"}});
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary"}},
            rec != nullptr ? "Save changes" : "Create " + ToLower(spec.singular));
  h.Link(rec != nullptr ? fmt::format("/{}/{}", spec.path, rec->id) : "/" + spec.path, "Cancel",
         "button button-ghost");
  h.Close("div").Close("form");
  RenderPage(r, frame, h.Take(), status);
}

// The options of a picker of a large register (app.js), as JSON:
//   GET /{path}/options?q=text&limit=N   {"data": [{"id", "title"}], "more": bool}
// The records whose searchable fields contain q (the list's search; every record when q is
// empty) by title, at most kMaxOptions (a larger limit answers that many), in one statement.
constexpr int kDefaultOptions = 20;
constexpr int kMaxOptions = 50;

void OptionsJson(Request& r, const RegisterSpec& spec) {
  // Its own page size (a picker shows a few; a larger limit answers kMaxOptions), then the
  // list's own reading of the search text and filters.
  int limit = kDefaultOptions;
  if (r.http.HasParam("limit")) {
    int64_t n = 0;
    if (!ParseInt(r.Query("limit"), n) || n < 1) {
      return WriteJsonError(
          r.res,
          InvalidArgument(fmt::format("limit must be a whole number from 1 to {}", kMaxOptions),
                          "limit"));
    }
    limit = static_cast<int>(std::min<int64_t>(n, kMaxOptions));
  }
  HttpRequest without_limit = r.http;
  without_limit.params.erase("limit");
  auto parsed = ParseListQuery(spec, without_limit);
  if (!parsed.ok()) return WriteJsonError(r.res, parsed.status());
  domain::ListQuery q = *std::move(parsed);
  q.limit = limit;
  q.descending = false;
  q.sort = "id";
  if (spec.IsSortable(spec.title_field)) q.sort = spec.title_field;
  auto page = r.services.registers.List(r.principal, spec, q);
  if (!page.ok()) return WriteJsonError(r.res, page.status());
  Json data = Json::array();
  for (const auto& rec : page->records) {
    const Json& t = rec.fields[spec.title_field];
    data.push_back(Json{{"id", rec.id},
                        {"title", t.is_string() ? t.get<std::string>() : std::to_string(rec.id)}});
  }
  WriteJson(r.res, 200, Json{{"data", std::move(data)}, {"more", !page->next_cursor.empty()}});
}

}  // namespace

void AddRegisterPages(Router& router, const RegisterSpec& spec) {
  const RegisterSpec* s = &spec;
  const std::string base = "/" + spec.path;
  const std::string item = base + R"(/(\d+))";

  if (spec.versions) AddVersionPages(router, spec);
  router.Get(base, Surface::kWeb, kRead, [s](Request& r) { ListPage(r, *s); });

  router.Get(item, Surface::kWeb, kRead, [s](Request& r) { DetailPage(r, *s); });
  // Any register may be referred to, a workflow-only one too.
  router.Get(base + "/options", Surface::kWeb, kRead, [s](Request& r) { OptionsJson(r, *s); });
  if (spec.workflow_only) return;  // written by its area's pages only

  router.Get(base + "/new", Surface::kWeb, WriteGuard(*s), [s](Request& r) {
    Json initial = Json::object();
    // A contributor's record must name them: start with them as its owner.
    if (MayEditOwn(r.principal, *s) && OwnField(*s) != nullptr) {
      initial[OwnField(*s)->name] = r.principal.user_id;
    }
    for (const auto& f : s->fields) {
      if (!f.default_value.is_null()) initial[f.name] = f.default_value;
      if (!f.read_only && f.type != FieldType::kTable && r.http.HasParam(f.name)) {
        std::multimap<std::string, std::string> one = {{f.name, r.Query(f.name)}};
        initial[f.name] = app::FormToInput(*s, one)[f.name];
      }
    }
    FormPage(r, *s, nullptr, initial, {}, "", 200);
  });

  router.Post(base, Surface::kWeb, WriteGuard(*s), [s](Request& r) {
    const Json input = app::FormToInput(*s, r.form);
    std::vector<domain::FieldError> errors;
    auto rec = r.services.registers.Create(r.principal, *s, input, &errors);
    if (rec.ok()) {
      return r.res.SetRedirect(fmt::format("/{}/{}?notice=created", s->path, rec->id), 303);
    }
    FormPage(r, *s, nullptr, input, errors, errors.empty() ? rec.status().message() : "",
             HttpStatusFor(rec.status().code()));
  });

  router.Get(item + "/edit", Surface::kWeb, WriteGuard(*s), [s](Request& r) {
    auto rec = r.services.registers.Get(r.principal, *s, r.PathId());
    if (!rec.ok()) return DetailPage(r, *s);
    // A record the caller may not change (a contributor's look at someone else's) gets no form
    // that would fail on save.
    if (Status may = app::RegisterService::CheckCanWrite(r.principal, *s, &rec->fields, nullptr);
        !may.ok()) {
      return Refused(r, *s, *rec, may);
    }
    if (!IsEditable(*s, *rec)) {
      return r.res.SetRedirect(fmt::format("/{}/{}", s->path, rec->id), 303);
    }
    FormPage(r, *s, &*rec, rec->fields, {}, "", 200);
  });

  router.Post(item, Surface::kWeb, WriteGuard(*s), [s](Request& r) {
    auto rec = r.services.registers.Get(r.principal, *s, r.PathId());
    if (!rec.ok()) return DetailPage(r, *s);
    if (Status may = app::RegisterService::CheckCanWrite(r.principal, *s, &rec->fields, nullptr);
        !may.ok()) {
      return Refused(r, *s, *rec, may);
    }
    const Json input = app::FormToInput(*s, r.form);
    std::vector<domain::FieldError> errors;
    auto updated = r.services.registers.Update(r.principal, *s, rec->id, r.FormVersion(), input,
                                               app::UpdateMode::kReplace, &errors);
    if (updated.ok()) {
      return r.res.SetRedirect(fmt::format("/{}/{}?notice=saved", s->path, rec->id), 303);
    }
    std::string message = errors.empty() ? updated.status().message() : "";
    if (updated.status().code() == Code::kConflict) {
      // The form is re-rendered with the current version: saving again is a deliberate
      // decision to overwrite, taken after reading the history.
      message =
          "Someone else changed this record while you were editing. Your changes are "
          "below; check the record's history, then save again to overwrite theirs.";
    }
    FormPage(r, *s, &*rec, input, errors, message, HttpStatusFor(updated.status().code()));
  });

  router.Post(item + "/delete", Surface::kWeb, WriteGuard(*s), [s](Request& r) {
    Status st = r.services.registers.Delete(r.principal, *s, r.PathId(), r.FormVersion());
    if (st.ok()) return r.res.SetRedirect(fmt::format("/{}?notice=deleted", s->path), 303);
    Html h;
    h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}});
    h.Element("p", {}, st.message());
    // Still referred to: link the records to change first.
    if (st.code() == Code::kFailedPrecondition) {
      auto referring = r.services.registers.ReferringRecords(r.principal, *s, r.PathId());
      if (referring.ok() && !referring->empty()) {
        h.Open("ul");
        for (const auto& by : *referring) {
          for (const auto& [rid, title] : by.records) {
            h.Open("li").Text(by.spec->singular + " ");
            h.Link(fmt::format("/{}/{}", by.spec->path, rid), title);
            h.Close("li");
          }
        }
        h.Close("ul");
      }
    }
    h.Close("div");
    h.Open("p").Link(fmt::format("/{}/{}", s->path, r.PathId()), "← Back to the record").Close("p");
    RenderPage(r,
               {.title = "Not deleted",
                .nav = s->path,
                .crumbs = {{s->plural, "/" + s->path}, {"Not deleted", ""}}},
               h.Take(), HttpStatusFor(st.code()));
  });
}

}  // namespace rampart::http
