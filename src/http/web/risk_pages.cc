// Pages of risk assessment and treatment beyond the generic register pages:
//   /risks/heatmap          inherent and residual heat maps (SVG drawn here), cells linking to
//                           the filtered risk list
//   /risks/treatment-plan   risks needing treatment with their actions; overdue ones marked
//   POST /risks/{id}/acceptance, /risks/{id}/actions/{row}/status (a treatment action's
//        status, offered to its owner), /risk-assessments/{id}/reviews,
//        /risk-assessments/{id}/close
// (the methodology's approval and drafts are those of every register of approved versions:
// version_pages.cc)
// and the hooks that add the acceptance panel and the actions' progress to a risk, the matrix to a
// methodology version, the close form to an assessment cycle and the frozen snapshot to an
// acceptance.
#include <fmt/format.h>

#include "base/text.h"
#include "domain/registers.h"
#include "domain/risk.h"
#include "http/api/api_util.h"
#include "http/api/risk_api.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

using domain::FieldType;
using domain::Json;
using domain::Record;

namespace {

std::string Str(const Json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

// A risk level's colour as a CSS class-free fill: the methodology's own colour (validated
// #rrggbb, so it is safe in an attribute).
void HeatMapSvg(Html& h, const app::HeatMap& map, bool residual) {
  const auto& m = map.methodology;
  const int cols = static_cast<int>(m.impact.size());
  const int rows = static_cast<int>(m.likelihood.size());
  // SVG is foreign content in HTML: elements are closed explicitly (a <rect> left open would
  // swallow the count drawn after it).
  const int cell = 84, left = 150, top = 10, bottom = 70;
  const std::string width = std::to_string(left + cols * cell + 10);
  const std::string height = std::to_string(top + rows * cell + bottom);
  const std::string prefix = residual ? "residual" : "inherent";
  const std::string title_id = prefix + "-heatmap-title";
  h.Open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                 {"class", "heatmap"},
                 {"viewBox", "0 0 " + width + " " + height},
                 {"role", "group"},
                 {"aria-labelledby", title_id}});
  for (int l = rows; l >= 1; --l) {
    const int y = top + (rows - l) * cell;
    const std::string ty = std::to_string(y + cell / 2 + 4);
    h.Element("text",
              {{"x", std::to_string(left - 8)},
               {"y", ty},
               {"class", "heatmap-axis"},
               {"text-anchor", "end"}},
              fmt::format("{} {}", l, m.likelihood[l - 1].label));
    for (int i = 1; i <= cols; ++i) {
      const int x = left + (i - 1) * cell;
      const auto& level = m.levels[m.matrix[l - 1][i - 1]];
      const int64_t count = map.counts[l - 1][i - 1];
      const std::string href =
          fmt::format("/risks?{0}_likelihood={1}&{0}_impact={2}", prefix, l, i);
      const std::string label = fmt::format("Likelihood {} ({}), impact {} ({}): {} {}, level {}",
                                            l, m.likelihood[l - 1].label, i, m.impact[i - 1].label,
                                            count, count == 1 ? "risk" : "risks", level.name);
      h.Open("a", {{"href", href}, {"aria-label", label}, {"class", "heatmap-cell"}});
      h.Element("title", {}, label);
      h.Open("rect", {{"x", std::to_string(x + 1)},
                      {"y", std::to_string(y + 1)},
                      {"width", std::to_string(cell - 2)},
                      {"height", std::to_string(cell - 2)},
                      {"rx", "4"},
                      {"fill", level.colour},
                      {"class", "heatmap-rect"}})
          .Close("rect");
      h.Element("text",
                {{"x", std::to_string(x + cell / 2)},
                 {"y", std::to_string(y + cell / 2 + 6)},
                 {"text-anchor", "middle"},
                 {"class", count > 0 ? "heatmap-count" : "heatmap-count is-zero"}},
                std::to_string(count));
      h.Close("a");
    }
  }
  for (int i = 1; i <= cols; ++i) {
    const int x = left + (i - 1) * cell + cell / 2;
    h.Element("text",
              {{"x", std::to_string(x)},
               {"y", std::to_string(top + rows * cell + 18)},
               {"text-anchor", "middle"},
               {"class", "heatmap-axis"}},
              fmt::format("{} {}", i, m.impact[i - 1].label));
  }
  h.Element("text",
            {{"x", std::to_string(left + cols * cell / 2)},
             {"y", std::to_string(top + rows * cell + 48)},
             {"text-anchor", "middle"},
             {"class", "heatmap-axis-title"}},
            "Impact →");
  h.Close("svg");
}

void Legend(Html& h, const domain::RiskMethodology& m) {
  h.Open("ul", {{"class", "heatmap-legend"}});
  for (const auto& l : m.levels) {
    h.Open("li");
    h.Open("svg", {{"width", "14"}, {"height", "14"}, {"aria-hidden", "true"}});
    h.Open("rect", {{"width", "14"}, {"height", "14"}, {"rx", "3"}, {"fill", l.colour}})
        .Close("rect");
    h.Close("svg");
    h.Text(" " + l.name + (l.may_retain ? " (owner may accept)" : ""));
    h.Close("li");
  }
  h.Close("ul");
}

void ErrorPage(Request& r, const std::string& title, const Status& st, const std::string& back,
               const std::string& back_label) {
  Html h;
  h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}});
  h.Element("h2", {}, title);
  h.Element("p", {}, st.message());
  h.Close("div");
  h.Open("p").Link(back, "← " + back_label).Close("p");
  RenderPage(r, {.title = title, .nav = "risks", .crumbs = {{"Risks", "/risks"}, {title, ""}}},
             h.Take(), HttpStatusFor(st.code()));
}

void HeatMapPage(Request& r) {
  auto q = ParseListQuery(domain::Risks(), r.http);
  Html h;
  if (!q.ok()) return ErrorPage(r, "Heat maps", q.status(), "/risks", "Risks");
  h.Open("div", {{"class", "heatmaps"}});
  for (const bool residual : {false, true}) {
    auto map = r.services.risks.Heat(r.principal, residual, *q);
    if (!map.ok()) return ErrorPage(r, "Heat maps", map.status(), "/risks", "Risks");
    const std::string prefix = residual ? "residual" : "inherent";
    h.Open("section",
           {{"class", "card heatmap-card"}, {"aria-labelledby", prefix + "-heatmap-title"}});
    h.Element("h2", {{"id", prefix + "-heatmap-title"}},
              residual ? "Residual risk" : "Inherent risk");
    h.Element("p", {{"class", "muted"}}, "Likelihood ↑ by impact →; each cell lists its risks.");
    h.Open("div", {{"class", "table-scroll"}});
    HeatMapSvg(h, *map, residual);
    h.Close("div");
    if (map->unrated > 0) {
      h.Open("p", {{"class", "muted"}});
      h.Link(fmt::format("/risks?{}_likelihood=", prefix),
             fmt::format("{} {} not rated", map->unrated, map->unrated == 1 ? "risk" : "risks"));
      h.Close("p");
    }
    if (!residual) Legend(h, map->methodology);
    h.Close("section");
  }
  h.Close("div");
  RenderPage(r,
             {.title = "Risk heat maps",
              .nav = "heatmap",
              .crumbs = {{"Risks", "/risks"}, {"Heat maps", ""}},
              .subtitle = "Clause 6.1.2 · levels from the approved risk methodology"},
             h.Take());
}

void TreatmentPlanPage(Request& r) {
  const HttpRequest view = ListView(r.http);
  const auto& risks = domain::Risks();
  auto members = r.services.registers.Members(r.principal);
  if (!members.ok()) {
    return ErrorPage(r, "Risk treatment plan", members.status(), "/risks", "Risks");
  }
  const PageFrame frame{
      .title = "Risk treatment plan",
      .nav = "treatment-plan",
      .crumbs = {{"Risks", "/risks"}, {"Treatment plan", ""}},
      .subtitle = "Clauses 6.1.3 and 8.3",
      .actions = [&] {
        Html a;
        a.Link("/api/v1/risks/treatment-plan/export" + QueryWith(view, "format", "csv"),
               "Export CSV", "button button-secondary");
        a.Link("/api/v1/risks/treatment-plan/export" + QueryWith(view, "format", "xlsx"),
               "Export XLSX", "button button-secondary");
        return a.Take();
      }()};
  // Search and the owner, status and treatment filters (a GET form: the URL is the state).
  Html tb;
  OpenListToolbar(tb, r, "/risks/treatment-plan", "Search risks");
  const domain::FieldSpec* status = risks.Field("status");
  const std::vector<domain::Choice> in_plan = [&] {
    std::vector<domain::Choice> out;
    for (const auto& c : status->choices) {
      if (c.value == domain::kRiskAnalysed || c.value == domain::kRiskTreatmentPlanned ||
          c.value == domain::kRiskTreated) {
        out.push_back(c);
      }
    }
    return out;
  }();
  FilterControl(tb, view, *risks.Field("owner"), *members, nullptr);
  FilterControl(tb, view, *status, *members, &in_plan);
  FilterControl(tb, view, *risks.Field("treatment"), *members, nullptr);
  CloseListToolbar(tb, r, "/risks/treatment-plan");

  Html h;
  auto q = TreatmentPlanQuery(view);
  Result<app::TreatmentPlanPage> plan = app::TreatmentPlanPage{};
  if (q.ok()) {
    q->with_total = true;
    q->total_limit = kPageTotalLimit;
    q->limit = 50;
    plan = r.services.risks.TreatmentPlan(r.principal, *q);
  } else {
    plan = q.status();
  }
  if (!plan.ok()) {
    if (plan.status().code() != Code::kInvalidArgument) {
      return ErrorPage(r, "Risk treatment plan", plan.status(), "/risks", "Risks");
    }
    h.Append(tb);
    h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}});
    h.Text(plan.status().message()).Close("div");
    return RenderPage(r, frame, h.Take(), 400);
  }
  const bool filtered = !q->filters.empty() || !q->search.empty();
  if (filtered || !plan->rows.empty() || !q->cursor.empty()) h.Append(tb);
  if (plan->rows.empty() && q->cursor.empty()) {
    h.Open("div", {{"class", "card empty-state"}});
    if (filtered) {
      h.Element("h2", {}, "Nothing matches");
      h.Element("p", {}, "No risk in the treatment plan matches this search and these filters.");
      h.Link("/risks/treatment-plan", "Show the whole plan", "button button-secondary");
    } else {
      h.Element("h2", {}, "No risk needs treatment");
      h.Element("p", {},
                "Risks appear here once analysed with a treatment option other than retain.");
    }
    h.Close("div");
    return RenderPage(r, frame, h.Take());
  }
  const domain::FieldSpec* actions = risks.Field("actions");
  int64_t shown = 0;  // risks on this page
  size_t overdue = 0;
  for (size_t i = 0; i < plan->rows.size(); ++i) {
    shown += i == 0 || plan->rows[i].risk.id != plan->rows[i - 1].risk.id;
    overdue += plan->rows[i].overdue ? 1 : 0;
  }
  const int64_t page_no = PageNumber(r, *q);
  std::string count = PageCount(risks, *plan->risks, plan->risks_capped, page_no, q->limit, shown,
                                q->cursor.empty() && plan->next_cursor.empty());
  count += fmt::format(" · {} {}", plan->rows.size(), plan->rows.size() == 1 ? "row" : "rows");
  if (overdue > 0) count += fmt::format(" · {} overdue", overdue);
  h.Open("div", {{"class", "card table-card"}});
  h.Open("div", {{"class", "table-meta"}});
  h.Element("span", {{"class", "count"}, {"aria-live", "polite"}}, count);
  h.Close("div");
  const Table table{.cls = "data-table stack-narrow",
                    .caption = "Risk treatment plan",
                    .columns = {{.label = "No."},
                                {.label = "Risk"},
                                {.label = "Owner"},
                                {.label = "Residual level"},
                                {.label = "Treatment"},
                                {.label = "Action"},
                                {.label = "Action owner"},
                                {.label = "Due"},
                                {.label = "Status"}}};
  table.Open(h);
  for (const auto& row : plan->rows) {
    const Json& f = row.risk.fields;
    h.Open("tr", {{"class", row.overdue ? "is-overdue-row" : ""}});
    h.Element("td", {{"data-label", "No."}, {"class", "cell-num"}}, f["number"].dump());
    h.Open("td", {{"class", "cell-title"}, {"data-label", "Risk"}});
    h.Link(fmt::format("/risks/{}", row.risk.id), Str(f["title"]));
    h.Close("td");
    h.Element("td", {{"data-label", "Owner"}},
              f["owner"].is_number_integer() ? UserName(f["owner"].get<int64_t>(), *members) : "—");
    const Json& level = f["residual_level"].is_null() ? f["inherent_level"] : f["residual_level"];
    h.Element("td", {{"data-label", "Residual level"}}, level.is_null() ? "—" : Str(level));
    h.Open("td", {{"data-label", "Treatment"}});
    if (f["treatment"].is_string()) {
      Badge(h, *risks.Field("treatment"), f["treatment"]);
    } else {
      h.Text("Not chosen");
    }
    h.Close("td");
    const Json& act = row.action;
    if (act.is_null()) {
      h.Element("td", {{"data-label", "Action"}, {"class", "cell-empty"}}, "No action planned");
      h.Element("td", {{"data-label", "Action owner"}}, "—");
      h.Element("td", {{"data-label", "Due"}}, "—");
      h.Element("td", {{"data-label", "Status"}}, "—");
    } else {
      h.Element("td", {{"data-label", "Action"}}, Str(act["action"]));
      h.Element(
          "td", {{"data-label", "Action owner"}},
          act["owner"].is_number_integer() ? UserName(act["owner"].get<int64_t>(), *members) : "—");
      h.Open("td", {{"data-label", "Due"},
                    {"class", row.overdue ? "cell-date is-overdue" : "cell-date"}});
      h.Text(act["due"].is_string() ? Str(act["due"]) : "—");
      if (row.overdue) h.Element("span", {{"class", "badge badge-overdue"}}, "Overdue");
      h.Close("td");
      h.Open("td", {{"data-label", "Status"}});
      for (const auto& c : actions->columns) {
        if (c.name == "status") Badge(h, c, act["status"]);
      }
      h.Close("td");
    }
    h.Close("tr");
  }
  table.Close(h);
  Pager(h, "/risks/treatment-plan", view, plan->prev_cursor, plan->next_cursor, page_no);
  h.Close("div");
  RenderPage(r, frame, h.Take());
}

void MatrixTable(Html& h, const domain::RiskMethodology& m) {
  Table table{.cls = "data-table compact risk-matrix",
              .caption = "Risk matrix: likelihood (rows) by impact (columns)",
              .caption_shown = Visibility::kVisible,
              .columns = {{.label = "Likelihood \\ impact"}}};
  for (size_t i = 0; i < m.impact.size(); ++i) {
    table.columns.push_back({.label = fmt::format("{} {}", i + 1, m.impact[i].label)});
  }
  table.Open(h);
  for (size_t l = m.likelihood.size(); l >= 1; --l) {
    h.Open("tr");
    h.Element("th", {{"scope", "row"}}, fmt::format("{} {}", l, m.likelihood[l - 1].label));
    for (size_t i = 0; i < m.impact.size(); ++i) {
      const auto& level = m.levels[m.matrix[l - 1][i]];
      h.Open("td");
      h.Open("svg", {{"width", "12"}, {"height", "12"}, {"aria-hidden", "true"}});
      h.Open("rect", {{"width", "12"}, {"height", "12"}, {"rx", "2"}, {"fill", level.colour}})
          .Close("rect");
      h.Close("svg");
      h.Text(" " + level.name);
      h.Close("td");
    }
    h.Close("tr");
  }
  table.Close(h);
}

void AcceptancePanel(Html& h, Request& r, const Record& rec) {
  const Json& acceptance = rec.fields["acceptance"];
  h.Open("section", {{"class", "card acceptance"}, {"aria-labelledby", "acceptance-title"}});
  h.Element("h2", {{"id", "acceptance-title"}}, "Risk acceptance");
  if (acceptance == domain::kAcceptanceStale) {
    h.Open("div", {{"class", "callout callout-warn"}, {"role", "status"}});
    h.Text(
        "The acceptance is stale: the ratings, controls or treatment changed after it was "
        "given. A new decision is needed.");
    h.Close("div");
  } else if (acceptance == domain::kAcceptanceCurrent) {
    h.Element("p", {{"class", "callout callout-ok"}},
              "The residual risk is accepted as it stands.");
  }
  domain::ListQuery q;
  q.filters.push_back({"risk", rec.id});
  q.sort = "decided_at";
  q.descending = true;
  q.limit = 20;
  auto past = r.services.registers.List(r.principal, domain::RiskAcceptances(), q);
  auto members = r.services.registers.Members(r.principal);
  if (past.ok() && members.ok() && !past->records.empty()) {
    h.Open("ol", {{"class", "acceptance-list"}});
    for (const auto& a : past->records) {
      h.Open("li");
      h.Link(fmt::format("/risk-acceptances/{}", a.id),
             fmt::format("{} at level {}",
                         a.fields["decision"] == "accepted" ? "Accepted" : "Not accepted",
                         Str(a.fields["level"])));
      h.Text(fmt::format(" by {} on {}",
                         a.fields["decided_by"].is_number_integer()
                             ? UserName(a.fields["decided_by"].get<int64_t>(), *members)
                             : "—",
                         ShortTime(Str(a.fields["decided_at"]))));
      if (a.fields["comment"].is_string()) {
        h.Element("div", {{"class", "muted"}}, Str(a.fields["comment"]));
      }
      h.Close("li");
    }
    h.Close("ol");
  }
  // The decision is offered to those the acceptance criteria allow at the risk's level (the
  // rule Accept applies); others read who may decide, or what the risk still needs.
  const bool undecided = rec.fields["status"] != domain::kRiskClosed &&
                         acceptance != domain::kAcceptanceCurrent && !r.principal.read_only &&
                         !r.principal.InAccountSetup();
  const Status may_decide =
      undecided ? r.services.risks.CheckMayDecide(r.principal, rec) : Status::Ok();
  if (undecided && !may_decide.ok()) {
    h.Element("p", {{"class", "muted"}},
              may_decide.code() == Code::kPermissionDenied
                  ? "Not yours to decide: " + may_decide.message() + "."
                  : "Not ready for a decision: " + may_decide.message() + ".");
  }
  if (undecided && may_decide.ok()) {
    OpenPostForm(h, r, fmt::format("/risks/{}/acceptance", rec.id), "stack-form");
    h.Void("input",
           {{"type", "hidden"}, {"name", "version"}, {"value", std::to_string(rec.version)}});
    h.Open("div", {{"class", "form-field"}});
    h.Element("label", {{"for", "decision"}}, "Decision");
    h.Open("select", {{"id", "decision"}, {"name", "decision"}});
    h.Element("option", {{"value", "accepted"}}, "Accept the residual risk");
    h.Element("option", {{"value", "rejected"}}, "Do not accept: treat further");
    h.Close("select").Close("div");
    h.Open("div", {{"class", "form-field"}});
    h.Element("label", {{"for", "comment"}}, "Comment");
    h.Open("textarea",
           {{"id", "comment"}, {"name", "comment"}, {"rows", "3"}, {"maxlength", "2000"}});
    h.Close("textarea").Close("div");
    h.Element("p", {{"class", "help"}},
              "The risk owner may accept levels the methodology allows; higher levels need the "
              "roles its acceptance criteria name. The risk is recorded as it stands now.");
    h.Element("button", {{"type", "submit"}, {"class", "button button-approve"}},
              "Record decision");
    h.Close("form");
  }
  h.Close("section");

  // Assessment cycles: record this risk's review in an open cycle.
  if (!r.principal.Can(domain::Permission::kEditRecords) || r.principal.InAccountSetup()) return;
  domain::ListQuery open;
  open.filters.push_back({"status", "open"});
  open.limit = 20;
  auto cycles = r.services.registers.List(r.principal, domain::RiskAssessments(), open);
  if (!cycles.ok() || cycles->records.empty()) return;
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "review-title"}});
  h.Element("h2", {{"id", "review-title"}}, "Record a review");
  OpenPostForm(h, r, "/risk-assessments/review", "stack-form");
  h.Void("input", {{"type", "hidden"}, {"name", "risk"}, {"value", std::to_string(rec.id)}});
  h.Open("div", {{"class", "form-field"}});
  h.Element("label", {{"for", "cycle"}}, "Assessment cycle");
  h.Open("select", {{"id", "cycle"}, {"name", "cycle"}});
  for (const auto& c : cycles->records) {
    h.Element("option", {{"value", std::to_string(c.id)}}, Str(c.fields["title"]));
  }
  h.Close("select").Close("div");
  h.Open("div", {{"class", "form-field"}});
  h.Element("label", {{"for", "changes"}}, "What changed");
  h.Open("textarea", {{"id", "changes"},
                      {"name", "changes"},
                      {"rows", "3"},
                      {"maxlength", "2000"},
                      Attr::Flag("required")});
  h.Close("textarea").Close("div");
  h.Element("button", {{"type", "submit"}, {"class", "button button-secondary"}}, "Record review");
  h.Close("form");
  h.Close("section");
}

// The status of each treatment action the caller may update (the rule of
// RiskService::UpdateTreatmentActionStatus): whoever may change the risk, and the action's own
// owner, who may change nothing else of the risk.
void ActionStatusPanel(Html& h, Request& r, const Record& rec) {
  const Json& actions = rec.fields["actions"];
  if (!actions.is_array() || actions.empty() || r.principal.read_only) return;
  const domain::FieldSpec* status = nullptr;
  for (const auto& c : domain::Risks().Field("actions")->columns) {
    if (c.name == "status") status = &c;
  }
  bool any = false;
  for (size_t row = 0; row < actions.size(); ++row) {
    if (!app::RiskService::CheckMayUpdateActionStatus(r.principal, rec, static_cast<int64_t>(row))
             .ok()) {
      continue;
    }
    if (!any) {
      h.Open("section", {{"class", "card"}, {"aria-labelledby", "action-status-title"}});
      h.Element("h2", {{"id", "action-status-title"}}, "Progress of treatment actions");
      any = true;
    }
    const std::string id = fmt::format("action-status-{}", row);
    OpenPostForm(h, r, fmt::format("/risks/{}/actions/{}/status", rec.id, row), "action-status");
    h.Void("input",
           {{"type", "hidden"}, {"name", "version"}, {"value", std::to_string(rec.version)}});
    h.Element("label", {{"for", id}}, Str(actions[row].value("action", Json())));
    h.Open("select", {{"id", id}, {"name", "status"}});
    const std::string current = Str(actions[row].value("status", Json()));
    for (const auto& c : status->choices) {
      if (c.value == current) {
        h.Open("option", {{"value", c.value}, Attr::Flag("selected")}).Text(c.label);
        h.Close("option");
      } else {
        h.Element("option", {{"value", c.value}}, c.label);
      }
    }
    h.Close("select");
    h.Element("button", {{"type", "submit"}, {"class", "button button-secondary"}}, "Save status");
    h.Close("form");
  }
  if (any) h.Close("section");
}

}  // namespace

namespace {

// A rating in the words of its scale: "3 — Possible".
std::string RatingText(int value, const std::string& label) {
  return fmt::format("{} — {}", value, label);
}

// The ratings as the levels of the methodology in force ("3 — Possible") and the risk levels by
// name, for the risk form, the list's filters and the risk's page.
std::map<std::string, std::vector<domain::Choice>> RatingChoices(Request& r) {
  std::map<std::string, std::vector<domain::Choice>> out;
  auto in_force = r.services.risks.Methodology(r.principal);
  if (!in_force.ok()) return out;
  const auto& m = in_force->methodology;
  auto scale = [](const std::vector<domain::ScaleLevel>& levels) {
    std::vector<domain::Choice> choices;
    for (size_t i = 0; i < levels.size(); ++i) {
      choices.push_back(
          {std::to_string(i + 1), RatingText(static_cast<int>(i) + 1, levels[i].label)});
    }
    return choices;
  };
  std::vector<domain::Choice> levels;
  for (const auto& level : m.levels) levels.push_back({level.name, level.name});
  for (const std::string prefix : {"inherent", "residual"}) {
    out[prefix + "_likelihood"] = scale(m.likelihood);
    out[prefix + "_impact"] = scale(m.impact);
    out[prefix + "_level"] = levels;
  }
  return out;
}

int RatingValue(const Json& v) {
  if (v.is_number_integer()) return v.get<int>();
  if (!v.is_string()) return 0;
  const std::string s = v.get<std::string>();
  return s.size() == 1 && s[0] >= '1' && s[0] <= '9' ? s[0] - '0' : 0;
}

// After the impact of each pair of ratings: the level they give, computed here for what the
// form shows and by static/app.js as ratings are chosen (from the matrix in data attributes).
void LevelPreview(Html& h, Request& r, const domain::FieldSpec& f, const Json& values) {
  if (!f.name.ends_with("_impact")) return;
  const std::string prefix = f.name.substr(0, f.name.size() - std::string("_impact").size());
  auto in_force = r.services.risks.Methodology(r.principal);
  if (!in_force.ok()) return;
  const auto& m = in_force->methodology;
  Json names = Json::array(), colours = Json::array();
  for (const auto& level : m.levels) {
    names.push_back(level.name);
    colours.push_back(level.colour);
  }
  const Json in = values.is_object() ? values : Json::object();
  const auto level = domain::LevelOf(m, RatingValue(in.value(prefix + "_likelihood", Json())),
                                     RatingValue(in.value(f.name, Json())));
  const std::string label = prefix == "inherent" ? "Inherent level" : "Residual level";
  h.Open("p", {{"class", "level-preview"},
               {"data-level-preview", prefix},
               {"data-matrix", Json(m.matrix).dump()},
               {"data-levels", names.dump()},
               {"data-colours", colours.dump()}});
  h.Text(label + ": ");
  h.Open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                 {"class", "level-swatch"},
                 {"width", "12"},
                 {"height", "12"},
                 {"viewBox", "0 0 12 12"},
                 {"aria-hidden", "true"}});
  h.Open("rect", {{"width", "12"},
                  {"height", "12"},
                  {"rx", "2"},
                  {"fill", level ? m.levels[*level].colour : "none"}})
      .Close("rect");
  h.Close("svg");
  h.Element("output", {{"id", prefix + "_level-preview"}, {"aria-live", "polite"}},
            level ? m.levels[*level].name : "choose likelihood and impact");
  h.Close("p");
}

// The risk as it was accepted (an acceptance's frozen snapshot: the risk's fields, its version
// and the methodology version in force), labelled like the risk's own page: choices by their
// labels, people by name, applied controls by title, "—" where nothing was set.
// The labels of the scales a snapshot was rated on: those it carries, or (a snapshot from before
// they travelled with it) the methodology in force when that is the one it was rated under.
Json SnapshotScales(Request& r, const Json& snapshot) {
  if (snapshot.contains("scales") && snapshot["scales"].is_object()) return snapshot["scales"];
  auto in_force = r.services.risks.Methodology(r.principal);
  if (!in_force.ok()) return Json::object();
  const Json in_force_version =
      in_force->record ? in_force->record->fields["version_number"] : Json("default");
  if (snapshot.value("methodology_version", Json()) != in_force_version) return Json::object();
  return domain::ScaleLabels(in_force->methodology);
}

void SnapshotSection(Html& h, Request& r, const Json& snapshot) {
  const Json& f = snapshot["fields"];
  const auto& spec = domain::Risks();
  const auto members = r.services.registers.Members(r.principal);
  const std::vector<domain::UserSummary> none;
  const auto& people = members.ok() ? *members : none;
  const Json scales = SnapshotScales(r, snapshot);
  auto text = [&](const domain::FieldSpec& fs, const Json& v) {
    if (v.is_null() || (v.is_array() && v.empty()) || (v.is_string() && Str(v).empty())) {
      return std::string("—");
    }
    // A rating as the scale's words: "3 — Possible".
    const bool likelihood = fs.name.ends_with("_likelihood");
    if ((likelihood || fs.name.ends_with("_impact")) && v.is_number_integer()) {
      const Json& labels = scales.value(likelihood ? "likelihood" : "impact", Json::array());
      const auto i = v.get<int64_t>();
      if (i >= 1 && static_cast<size_t>(i) <= labels.size() && labels[i - 1].is_string()) {
        return RatingText(static_cast<int>(i), labels[i - 1].get<std::string>());
      }
    }
    return DisplayValue(fs, v, people);
  };
  // The referred-to records by title, one statement per register (not per record).
  auto titles_of = [&](const domain::FieldSpec& fs) {
    std::vector<int64_t> ids;
    const Json& v = f.value(fs.name, Json());
    if (v.is_number_integer()) ids.push_back(v.get<int64_t>());
    if (v.is_array()) {
      for (const auto& id : v) {
        if (id.is_number_integer()) ids.push_back(id.get<int64_t>());
      }
    }
    std::map<int64_t, std::string> out;
    const domain::RegisterSpec* target = domain::FindRegisterByType(fs.ref);
    if (ids.empty() || target == nullptr) return out;
    auto titles = r.services.registers.Titles(r.principal, *target, ids);
    if (titles.ok()) out = std::move(*titles);
    return out;
  };
  h.Open("section", {{"class", "card"}, {"aria-labelledby", "snapshot-title"}});
  h.Element("h2", {{"id", "snapshot-title"}}, "The risk as decided on");
  h.Open("p", {{"class", "muted"}});
  const Json& version = snapshot["methodology_version"];
  h.Text(fmt::format("Revision {} of ", snapshot.value("risk_version", Json()).is_number()
                                            ? snapshot["risk_version"].dump()
                                            : std::string("?")));
  if (snapshot["risk_id"].is_number_integer()) {
    h.Link(fmt::format("/risks/{}", snapshot["risk_id"].get<int64_t>()), "the risk");
  } else {
    h.Text("the risk");
  }
  h.Text(version.is_number_integer()
             ? fmt::format(", rated under methodology version {}.", version.get<int64_t>())
             : ", rated under the built-in default methodology.");
  h.Close("p");
  h.Open("dl", {{"class", "fields"}});
  for (const char* name :
       {"title", "description", "assets", "threat", "vulnerability", "owner", "inherent_likelihood",
        "inherent_impact", "inherent_level", "controls", "residual_likelihood", "residual_impact",
        "residual_level", "treatment", "status", "rationale"}) {
    const auto* fs = spec.Field(name);
    if (fs == nullptr) continue;
    const Json& v = f.value(name, Json());
    h.Open("div", {{"class", fs->type == FieldType::kLongText ? "field field-wide" : "field"}});
    h.Element("dt", {}, fs->label);
    const bool ref = fs->type == FieldType::kRef || fs->type == FieldType::kRefs;
    const bool any = v.is_number_integer() || (v.is_array() && !v.empty());
    if (ref && any) {
      const auto titles = titles_of(*fs);
      const domain::RegisterSpec* target = domain::FindRegisterByType(fs->ref);
      h.Open("dd").Open("ul", {{"class", "value-list"}});
      for (const auto& id : v.is_array() ? v : Json::array({v})) {
        if (!id.is_number_integer()) continue;
        const auto t = titles.find(id.get<int64_t>());
        h.Open("li");
        if (t != titles.end() && target != nullptr) {
          h.Link(fmt::format("/{}/{}", target->path, id.get<int64_t>()), t->second);
        } else {
          h.Text(fmt::format("#{} (deleted since)", id.get<int64_t>()));
        }
        h.Close("li");
      }
      h.Close("ul").Close("dd");
    } else {
      h.Element("dd", {}, text(*fs, v));
    }
    h.Close("div");
  }
  const auto* actions = spec.Field("actions");
  const Json& rows = f.value("actions", Json());
  h.Open("div", {{"class", "field field-wide"}});
  h.Element("dt", {}, actions->label);
  h.Open("dd");
  if (!rows.is_array() || rows.empty()) {
    h.Text("—");
  } else {
    Table table{.cls = "data-table compact"};
    for (const auto& c : actions->columns) table.columns.push_back({.label = c.label});
    table.Open(h);
    for (const auto& row : rows) {
      h.Open("tr");
      for (const auto& c : actions->columns) {
        h.Element("td", {}, text(c, row.is_object() ? row.value(c.name, Json()) : Json()));
      }
      h.Close("tr");
    }
    table.Close(h);
  }
  h.Close("dd").Close("div");
  h.Close("dl");
  h.Close("section");
}

}  // namespace

void AddRiskPageHooks(PageHooks& all) {
  {
    RegisterPageHooks& hooks = all[&domain::Risks()];
    hooks.views = {{"heatmap", "/risks/heatmap", "Heat maps", ""},
                   {"treatment-plan", "/risks/treatment-plan", "Treatment plan", "6.1.3"}};
    hooks.list_banner = [](Html& h, Request&) {
      h.Open("div", {{"class", "callout"}});
      h.Link("/risks/heatmap", "Heat maps");
      h.Text(" · ");
      h.Link("/risks/treatment-plan", "Treatment plan");
      h.Text(" · ");
      h.Link("/risk-methodology", "Risk methodology");
      h.Close("div");
    };
    hooks.detail_banner = [](Html& h, Request& r, const Record& rec) {
      AcceptancePanel(h, r, rec);
      ActionStatusPanel(h, r, rec);
    };
    hooks.field_choices = [](Request& r) { return RatingChoices(r); };
    hooks.after_form_field = [](Html& h, Request& r, const domain::FieldSpec& f,
                                const Json& values) { LevelPreview(h, r, f, values); };
  }
  {
    RegisterPageHooks& hooks = all[&domain::RiskMethodologies()];
    hooks.list_banner = [](Html& h, Request& r) {
      auto in_force = r.services.risks.Methodology(r.principal);
      if (!in_force.ok()) return;
      h.Open("section", {{"class", "card"}});
      if (in_force->record) {
        h.Element("h2", {},
                  fmt::format("Matrix in force (version {})",
                              in_force->record->fields["version_number"].dump()));
      } else {
        h.Element("h2", {}, "In force: the built-in default");
        h.Element(
            "p", {{"class", "muted"}},
            "No methodology has been approved yet: risks are rated on the default 5 × 5 "
            "scales. Create a version (it starts from the default), adapt it and approve it.");
      }
      MatrixTable(h, in_force->methodology);
      Legend(h, in_force->methodology);
      h.Close("section");
    };
    hooks.detail_banner = [](Html& h, Request&, const Record& rec) {
      std::vector<domain::FieldError> errors;
      const auto m = domain::MethodologyFromRecord(rec.fields, errors);
      if (!errors.empty()) return;
      h.Open("section", {{"class", "card"}});
      MatrixTable(h, m);
      Legend(h, m);
      h.Element("p", {{"class", "muted"}},
                fmt::format("Risks are reassessed every {} months.", m.assessment_interval_months));
      h.Close("section");
    };
  }
  for (const domain::RegisterSpec* catalogued : {&domain::Threats(), &domain::Vulnerabilities()}) {
    const domain::RegisterSpec& spec = *catalogued;
    all[catalogued].list_banner = [&spec](Html& h, Request& r) {
      if (!r.principal.Can(domain::Permission::kEditRecords) || r.principal.InAccountSetup())
        return;
      h.Open("div", {{"class", "callout"}});
      h.Text(
          fmt::format("Rampart ships a catalogue of {} linked to the Annex A controls that "
                      "address them; entries you have already are kept as they are. ",
                      ToLower(spec.plural)));
      ButtonForm(h, r, "/" + spec.path + "/catalogue", {.label = "Add the shipped catalogue"});
      h.Close("div");
    };
  }
  {
    RegisterPageHooks& hooks = all[&domain::RiskAssessments()];
    hooks.detail_actions = [](Html& h, Request& r, const Record& rec) {
      if (rec.fields["status"] != "open" || !r.principal.Can(domain::Permission::kEditRecords) ||
          r.principal.InAccountSetup()) {
        return;
      }
      ButtonForm(h, r, fmt::format("/risk-assessments/{}/close", rec.id),
                 {.label = "Close cycle",
                  .cls = "button button-approve",
                  .confirm = "Close this cycle? Write its summary first (Edit).",
                  .hidden = {{"version", std::to_string(rec.version)}}});
    };
  }
  {
    RegisterPageHooks& hooks = all[&domain::RiskAcceptances()];
    // The snapshot is shown read as the risk's page would show it, not as the JSON it is kept in.
    // The title is the risk's, shown by the link to it.
    hooks.detail_hidden = {"snapshot", "risk_title"};
    hooks.detail_banner = [](Html& h, Request& r, const Record& rec) {
      const Json snapshot = Json::parse(Str(rec.fields["snapshot"]), nullptr, false);
      if (!snapshot.is_object() || !snapshot["fields"].is_object()) return;
      SnapshotSection(h, r, snapshot);
    };
  }
}

void AddRiskPages(Router& router) {
  for (const domain::RegisterSpec* spec : {&domain::Threats(), &domain::Vulnerabilities()}) {
    router.Post("/" + spec->path + "/catalogue", Surface::kWeb,
                Guard::Needs(domain::Permission::kEditRecords), [spec](Request& r) {
                  auto added = r.services.risks.LoadCatalogue(r.principal, *spec);
                  if (added.ok()) {
                    return r.res.SetRedirect(
                        fmt::format("/{}?notice=catalogue-{}", spec->path, *added), 303);
                  }
                  ErrorPage(r, "Catalogue not added", added.status(), "/" + spec->path, "Back");
                });
  }
  router.Get("/risks/heatmap", Surface::kWeb, kRead, HeatMapPage);
  router.Get("/risks/treatment-plan", Surface::kWeb, kRead, TreatmentPlanPage);
  router.Post(R"(/risks/(\d+)/acceptance)", Surface::kWeb, kRead, [](Request& r) {
    const std::string decision = r.Form("decision");
    app::AcceptanceInput input{.decision = decision, .comment = r.Form("comment")};
    auto done = r.services.risks.Accept(r.principal, r.PathId(), r.FormVersion(), input);
    if (done.ok()) return r.res.SetRedirect(fmt::format("/risks/{}?notice=saved", r.PathId()), 303);
    ErrorPage(r, "Decision not recorded", done.status(), fmt::format("/risks/{}", r.PathId()),
              "Back to the risk");
  });
  // Whoever holds records:edit-own gets this far; the use case decides by the action's owner.
  router.Post(R"(/risks/(\d+)/actions/(\d+)/status)", Surface::kWeb,
              Guard::Needs(domain::Permission::kEditOwnRecords), [](Request& r) {
                auto done = r.services.risks.UpdateTreatmentActionStatus(
                    r.principal, r.PathId(), r.PathId(2), r.FormVersion(), r.Form("status"));
                if (done.ok()) {
                  return r.res.SetRedirect(fmt::format("/risks/{}?notice=saved", r.PathId()), 303);
                }
                ErrorPage(r, "Status not saved", done.status(),
                          fmt::format("/risks/{}", r.PathId()), "Back to the risk");
              });
  router.Post("/risk-assessments/review", Surface::kWeb,
              Guard::Needs(domain::Permission::kEditRecords), [](Request& r) {
                const int64_t risk = std::atoll(r.Form("risk").c_str());
                const int64_t cycle = std::atoll(r.Form("cycle").c_str());
                auto done =
                    r.services.risks.RecordReview(r.principal, cycle, risk, r.Form("changes"));
                if (done.ok()) {
                  return r.res.SetRedirect(fmt::format("/risks/{}?notice=saved", risk), 303);
                }
                ErrorPage(r, "Review not recorded", done.status(), fmt::format("/risks/{}", risk),
                          "Back to the risk");
              });
  router.Post(R"(/risk-assessments/(\d+)/close)", Surface::kWeb,
              Guard::Needs(domain::Permission::kEditRecords), [](Request& r) {
                auto done = r.services.risks.CloseCycle(r.principal, r.PathId(), r.FormVersion(),
                                                        r.Form("summary"));
                if (done.ok()) {
                  return r.res.SetRedirect(
                      fmt::format("/risk-assessments/{}?notice=saved", r.PathId()), 303);
                }
                ErrorPage(r, "Cycle not closed", done.status(),
                          fmt::format("/risk-assessments/{}", r.PathId()), "Back to the cycle");
              });
}

}  // namespace rampart::http
