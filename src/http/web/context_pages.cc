// Pages beyond the generic register pages: the SWOT analysis (4.1), the ISMS
// scope's current version and approval workflow (4.3), and the audit trail.
#include <fmt/format.h>

#include <map>

#include "app/audit_service.h"
#include "base/text.h"
#include "domain/context.h"
#include "domain/registers.h"
#include "http/api/api_util.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

using domain::Json;
using domain::Record;

// "admin created context issue 4", "admin signed in": session events name no record.
EventWords DescribeEvent(const std::string& action) {
  // Actions on a record read "<who> <verb> <record>"; those about the person acting, alone.
  static const std::map<std::string, EventWords, std::less<>> kWords = {
      {"create", {"created"}},
      {"update", {"changed"}},
      {"delete", {"deleted"}},
      {"approve", {"approved"}},
      {"supersede", {"superseded"}},
      {"accept", {"accepted"}},
      {"assess", {"assessed"}},
      {"close", {"closed"}},
      {"raise", {"raised"}},
      {"recur", {"repeated"}},
      {"request", {"requested"}},
      {"review", {"reviewed"}},
      {"add_member", {"added"}},
      {"remove_member", {"removed"}},
      {"change_role", {"changed the role of"}},
      {"invite_member", {"invited"}},
      {"reset_password", {"reset the password of"}},
      {"reset_second_factor", {"reset the two-step sign-in of"}},
      {"disable", {"disabled"}},
      {"enable", {"enabled"}},
      {"end_session", {"ended"}},
      {"end_sessions", {"ended the sessions of"}},
      {"revoke", {"revoked"}},
      {"revoke_tokens", {"revoked the API tokens of"}},
      {"upload", {"uploaded evidence", false}},
      {"sign_in", {"signed in", false}},
      {"sign_in_failed", {"failed to sign in", false}},
      {"sign_in_throttled", {"was refused sign-in after too many attempts", false}},
      {"sign_out", {"signed out", false}},
      {"session_expired", {"was signed out at the session's end", false}},
      {"session_idle", {"was signed out after being idle", false}},
      {"change_password", {"changed their password", false}},
      {"change_password_failed", {"failed to change their password", false}},
      {"reauthenticate", {"confirmed their password", false}},
      {"reauthenticate_failed", {"failed to confirm their password", false}},
      {"enable_second_factor", {"turned on two-step sign-in", false}},
      {"disable_second_factor", {"turned off two-step sign-in", false}},
      {"second_factor_failed", {"failed the second sign-in step", false}},
      {"new_recovery_codes", {"made new recovery codes", false}},
      {"use_recovery_code", {"signed in with a recovery code", false}},
      {"accept_invitation", {"accepted an invitation", false}},
      {"decline_invitation", {"declined an invitation", false}},
      {"leave_organisation", {"left the organisation", false}},
      {"switch_organisation", {"switched organisation", false}},
      {"access_denied", {"was refused access", false}},
      {"set_up", {"set up Rampart", false}},
  };
  const auto it = kWords.find(action);
  if (it != kWords.end()) return it->second;
  std::string words = action;
  for (char& c : words) {
    if (c == '_') c = ' ';
  }
  return {words};
}

std::string RecordTypeName(const std::string& type) {
  if (type == "api_token") return "API token";
  std::string words = type;
  for (char& c : words) {
    if (c == '_') c = ' ';
  }
  return words;
}

int64_t CountRecords(Request& r, const domain::RegisterSpec& spec,
                     std::vector<domain::Filter> filters) {
  domain::ListQuery q;
  q.filters = std::move(filters);
  auto n = r.services.registers.Count(r.principal, spec, q);
  return n.ok() ? *n : 0;
}

namespace {

void SwotPage(Request& r) {
  const auto& spec = domain::ContextIssues();
  const domain::FieldSpec& swot = *spec.Field("swot");
  struct Quadrant {
    const char* value;
    const char* plural;
    const char* kind;
    const char* caption;
  };
  static constexpr Quadrant kQuadrants[] = {
      {"strength", "Strengths", "internal", "Internal · helpful"},
      {"weakness", "Weaknesses", "internal", "Internal · harmful"},
      {"opportunity", "Opportunities", "external", "External · helpful"},
      {"threat", "Threats", "external", "External · harmful"},
  };
  const bool may_create = MayCreate(r.principal, spec);
  Html h;
  h.Open("div", {{"class", "swot-grid"}});
  for (const auto& q : kQuadrants) {
    domain::ListQuery lq;
    lq.filters = {{"swot", q.value}};
    lq.sort = "title";
    lq.limit = 100;
    lq.with_total = true;
    auto page = r.services.registers.List(r.principal, spec, lq);
    const std::string label = swot.ChoiceLabel(q.value);
    const std::string id = std::string("swot-") + q.value;
    h.Open("section",
           {{"class", std::string("card swot swot-") + q.value}, {"aria-labelledby", id}});
    h.Open("header", {{"class", "swot-head"}});
    h.Open("div").Element("h2", {{"id", id}}, q.plural);
    h.Element("p", {{"class", "swot-caption"}}, q.caption).Close("div");
    h.Open("span", {{"class", "swot-count"}});
    h.Text(std::to_string(page.ok() && page->total ? *page->total : 0));
    h.Element("span", {{"class", "visually-hidden"}}, " recorded");
    h.Close("span");
    h.Close("header");
    if (!page.ok() || page->records.empty()) {
      h.Element("p", {{"class", "muted swot-empty"}}, "None recorded.");
    } else {
      h.Open("ul", {{"class", "swot-list"}});
      for (const auto& rec : page->records) {
        const bool closed = rec.fields["status"] == "closed";
        h.Open("li", {{"class", closed ? "is-closed" : ""}});
        h.Link(fmt::format("/context-issues/{}", rec.id), rec.fields["title"].get<std::string>());
        if (rec.fields["climate_related"] == true) {
          h.Element("span",
                    {{"class", "tag tag-climate"}, {"title", "Climate-change consideration"}},
                    "Climate");
        }
        if (rec.fields["pestle"].is_string()) {
          h.Element("span", {{"class", "tag"}},
                    spec.Field("pestle")->ChoiceLabel(rec.fields["pestle"].get<std::string>()));
        }
        if (closed) h.Element("span", {{"class", "tag"}}, "Closed");
        h.Close("li");
      }
      h.Close("ul");
      if (page->total && *page->total > static_cast<int64_t>(page->records.size())) {
        h.Link(std::string("/context-issues?swot=") + q.value,
               fmt::format("All {} {} →", *page->total, ToLower(q.plural)), "more-link");
      }
    }
    if (may_create) {
      h.Link(fmt::format("/context-issues/new?kind={}&swot={}", q.kind, q.value),
             "+ Add " + ToLower(label), "button button-ghost swot-add");
    }
    h.Close("section");
  }
  h.Close("div");
  const int64_t unplaced = CountRecords(r, spec, {{"swot", nullptr}});
  if (unplaced > 0) {
    h.Open("p", {{"class", "muted"}});
    h.Text(fmt::format("{} context {} not placed in a quadrant. ", unplaced,
                       unplaced == 1 ? "issue is" : "issues are"));
    h.Link("/context-issues?swot=", "Show them");
    h.Close("p");
  }
  Html actions;
  actions.Link("/context-issues", "All context issues", "button button-secondary");
  RenderPage(r,
             {.title = "SWOT analysis",
              .nav = "swot",
              .crumbs = {{"Context issues", "/context-issues"}, {"SWOT analysis", ""}},
              .subtitle = "Clause 4.1 · strengths and weaknesses inside the organisation, "
                          "opportunities and threats outside it",
              .actions = actions.Take()},
             h.Take());
}

// The filters, the events (readable actions, records by title) and the pager of the audit trail
// page. Returns the HTTP status: 400 for a refused filter.
int RenderAuditEvents(Html& h, Request& r) {
  auto members = r.services.registers.Members(r.principal);
  const std::vector<domain::UserSummary> people =
      members.ok() ? *members : std::vector<domain::UserSummary>();
  // The filter form.
  h.Open("form", {{"method", "get"}, {"action", "/audit"}, {"class", "card toolbar"}});
  h.Open("div", {{"class", "filter"}});
  h.Open("label", {{"for", "f-person"}}).Text("Person").Close("label");
  h.Open("select", {{"id", "f-person"}, {"name", "person"}});
  h.Element("option", {{"value", ""}}, "Anyone");
  h.Element("option", {{"value", "0"}, {"selected", r.Query("person") == "0" ? "selected" : ""}},
            "The system");
  for (const auto& m : people) {
    const std::string id = std::to_string(m.id);
    h.Element("option", {{"value", id}, {"selected", r.Query("person") == id ? "selected" : ""}},
              m.display_name.empty() ? m.username : m.display_name + " (" + m.username + ")");
  }
  h.Close("select").Close("div");
  h.Open("div", {{"class", "filter"}});
  h.Open("label", {{"for", "f-type"}}).Text("Record type").Close("label");
  h.Open("select", {{"id", "f-type"}, {"name", "record_type"}});
  h.Element("option", {{"value", ""}}, "Any");
  std::vector<std::pair<std::string, std::string>> types;
  for (const auto* spec : domain::AllRegisters()) types.emplace_back(spec->type, spec->singular);
  for (const char* t : {"user", "membership", "session", "api_token", "organisation",
                        "evidence_file", "soa_entry", "invitation", "route"}) {
    types.emplace_back(t, RecordTypeName(t));
  }
  for (const auto& [value, label] : types) {
    h.Element("option",
              {{"value", value}, {"selected", r.Query("record_type") == value ? "selected" : ""}},
              label);
  }
  h.Close("select").Close("div");
  Input(h, {.name = "action", .label = "Action", .id = "f-action", .value = r.Query("action")});
  Input(
      h,
      {.name = "from", .label = "From", .id = "f-from", .type = "date", .value = r.Query("from")});
  Input(h, {.name = "to", .label = "To", .id = "f-to", .type = "date", .value = r.Query("to")});
  if (!r.Query("record_id").empty()) {
    h.Void("input", {{"type", "hidden"}, {"name", "record_id"}, {"value", r.Query("record_id")}});
  }
  h.Open("div", {{"class", "filter filter-actions"}});
  h.Element("button", {{"type", "submit"}, {"class", "button button-secondary"}}, "Apply");
  h.Link("/audit", "Clear", "button button-ghost");
  h.Close("div").Close("form");

  auto q = AuditQueryFrom(r.http, 100);
  Result<domain::AuditPage> page = q.ok() ? r.services.registers.AuditTrail(r.principal, *q)
                                          : Result<domain::AuditPage>(q.status());
  h.Open("section", {{"class", "card table-card"}, {"aria-labelledby", "events"}});
  h.Open("div", {{"class", "table-meta"}});
  h.Element("h2", {{"id", "events"}, {"class", "count"}}, "Events, newest first");
  // CSV of the same filters (every matching event, not only this page).
  std::string filters;
  for (const char* k : {"person", "record_type", "record_id", "action", "from", "to"}) {
    if (!r.Query(k).empty()) {
      filters += (filters.empty() ? "?" : "&") + std::string(k) + "=" + UrlEncode(r.Query(k));
    }
  }
  h.Link("/api/v1/audit/export" + filters, "Export CSV", "button button-secondary button-small");
  h.Close("div");
  if (!page.ok()) {
    h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}, {"id", "error-summary"}});
    h.Text(page.status().message()).Close("div");
    h.Close("section");
    return HttpStatusFor(page.status().code());
  }
  if (page->events.empty()) {
    h.Element("p", {{"class", "card-body muted"}},
              filters.empty() ? "No events yet." : "No event matches these filters.");
    h.Close("section");
    return 200;
  }
  // Records are named by title where they still exist; by type and id otherwise.
  auto found = r.services.registers.TitlesOfEvents(r.principal, page->events);
  const app::RegisterService::EventTitles titles =
      found.ok() ? *found : app::RegisterService::EventTitles();
  const Table table{.cls = "data-table stack-narrow",
                    .caption = "Audit events",
                    .columns = {{.label = "#"},
                                {.label = "Time (UTC)"},
                                {.label = "Who"},
                                {.label = "Action"},
                                {.label = "Record"},
                                {.label = "Changed"},
                                {.label = "Address"}}};
  table.Open(h);
  for (const auto& e : page->events) {
    const auto* spec = domain::FindRegisterByType(e.record_type);
    h.Open("tr");
    h.Element("td", {{"class", "cell-num"}, {"data-label", "#"}}, std::to_string(e.seq));
    h.Element("td", {{"class", "cell-date"}, {"data-label", "Time (UTC)"}},
              e.at.substr(0, 19).replace(10, 1, " "));
    h.Element("td", {{"data-label", "Who"}}, e.actor);
    h.Element("td", {{"data-label", "Action"}, {"title", e.action}}, DescribeEvent(e.action).verb);
    h.Open("td", {{"data-label", "Record"}});
    const auto title = titles.find({e.record_type, e.record_id});
    const std::string kind = spec != nullptr ? spec->singular : RecordTypeName(e.record_type);
    if (spec != nullptr && title != titles.end()) {
      h.Text(kind + " ");
      h.Link(fmt::format("/{}/{}", spec->path, e.record_id), title->second);
    } else if (e.record_id != 0) {
      h.Text(fmt::format("{} {}", kind, e.record_id));
    } else {
      h.Text(kind);
    }
    h.Close("td");
    std::string fields;
    if (e.diff.is_object()) {
      for (const auto& [k, _] : e.diff.items()) {
        const domain::FieldSpec* f = spec != nullptr ? spec->Field(k) : nullptr;
        fields += (fields.empty() ? "" : ", ") + (f != nullptr ? f->label : k);
      }
    }
    h.Element("td", {{"class", "cell-muted"}, {"data-label", "Changed"}},
              fields.empty() ? "—" : fields);
    h.Element("td", {{"class", "cell-muted"}, {"data-label", "Address"}},
              e.address.empty() ? "—" : e.address);
    h.Close("tr");
  }
  table.Close(h);
  // Pager: newer and older pages keep the filters.
  const std::string base = "/audit" + (filters.empty() ? std::string("?") : filters + "&");
  h.Open("nav", {{"class", "pager"}, {"aria-label", "Pages"}});
  if (page->newer != 0) {
    h.Link("/audit" + filters, "« Newest", "button button-ghost");
    h.Link(fmt::format("{}after={}", base, page->newer), "← Newer events",
           "button button-secondary");
  }
  if (page->older != 0) {
    h.Link(fmt::format("{}before={}", base, page->older), "Older events →",
           "button button-secondary");
  }
  h.Close("nav").Close("section");
  return 200;
}

void AuditPage(Request& r) {
  Html h;
  int status = 200;
  h.Open("section", {{"class", "card chain-status"}, {"aria-labelledby", "chain"}});
  h.Element("h2", {{"id", "chain"}}, "Integrity of the audit trail");
  if (r.Query("verify") == "1") {
    auto v = r.services.VerifyAudit(r.principal.org_id);
    if (!v.ok()) {
      h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}})
          .Text(v.status().message())
          .Close("div");
    } else if (v->intact) {
      h.Open("div", {{"class", "alert alert-ok"}, {"role", "status"}});
      h.Text(
          fmt::format("Intact: {} events of this organisation; every event's hash matches its "
                      "content and links to the one before. Newest event's hash ",
                      v->events));
      h.Element("code", {}, v->head_hash).Close("div");
    } else {
      h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}});
      h.Text(v->first_bad_seq == 0
                 ? fmt::format("Broken: {}.", v->problem)
                 : fmt::format("Broken at event {}: {}.", v->first_bad_seq, v->problem))
          .Close("div");
    }
  } else {
    h.Element("p", {{"class", "muted"}},
              "Every change is an event holding the SHA-256 of the event before it. "
              "Verification recomputes the whole chain.");
  }
  h.Open("p").Link("/audit?verify=1", "Verify the chain now", "button button-secondary").Close("p");
  h.Close("section");

  status = RenderAuditEvents(h, r);
  RenderPage(r, {.title = "Audit trail", .nav = "audit", .subtitle = "Append-only, hash-chained"},
             h.Take(), status);
}

}  // namespace

void AddContextPageHooks(PageHooks& all) {
  all[&domain::ContextIssues()].views = {{"swot", "/context-issues/swot", "SWOT analysis", ""}};
}

void AddContextPages(Router& router) {
  router.Get("/context-issues/swot", Surface::kWeb, kRead, SwotPage);
  router.Get("/audit", Surface::kWeb, Guard::Needs(domain::Permission::kReadAuditTrail), AuditPage);
}

}  // namespace rampart::http
