// Management review (clause 9.3) on the pages. A review's page shows its inputs (the snapshot
// Rampart wrote, rendered from Markdown, each with the review's comment), its decisions with
// their follow-ups (a button creating the task, planned change, objective or improvement), the
// approval of the minutes, and a link to the minutes ready to print:
//   GET  /management-reviews/{id}/minutes                     the minutes as a document
//   POST /management-reviews/{id}/approve                     top management approves them
//   POST /management-reviews/{id}/decisions/{i}/follow-up     decision i (from 0) followed up
#include <fmt/format.h>

#include <map>
#include <string>

#include "base/markdown.h"
#include "domain/management_review.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {
namespace {

using domain::Json;
using domain::Record;

const domain::RegisterSpec& Reviews() { return domain::ManagementReviews(); }

std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : ""; }

void Markdown(Html& h, const std::string& md) {
  h.Append(SafeHtml::FromTrusted(MarkdownToHtml(md),
                                 "CommonMark rendered by cmark-gfm in safe mode: raw HTML in "
                                 "the text is omitted, dangerous URLs removed"));
}

std::map<std::string, std::string> Comments(const Record& rec) {
  std::map<std::string, std::string> out;
  const Json rows = rec.fields.value("input_comments", Json());
  if (!rows.is_array()) return out;
  for (const auto& c : rows) out[Text(c.value("topic", Json()))] = Text(c.value("comment", Json()));
  return out;
}

// The inputs, one per topic: the snapshot's summary and the review's comment.
void Inputs(Html& h, const Record& rec, bool print) {
  const Json snapshot = rec.fields.value("input_snapshot", Json());
  const auto comments = Comments(rec);
  const std::string state = Text(rec.fields["status"]);
  h.Open("section", {{"class", print ? "print-section" : "card"}, {"aria-labelledby", "inputs"}});
  h.Element("h2", {{"id", "inputs"}}, "Inputs (clause 9.3.2)");
  if (!print) {
    h.Element("p", {{"class", "muted"}},
              state == domain::kReviewDraft
                  ? "Written by Rampart from the records, as of the review's date, each time the "
                    "review is saved; frozen when it is held. Comment on each input in the form."
                  : "Frozen when the review was held: what the records said then.");
  }
  if (!snapshot.is_array() || snapshot.empty()) {
    h.Element("p", {{"class", "muted"}}, "No input is recorded.");
  }
  for (const auto& topic : domain::ReviewTopics()) {
    const Json* row = nullptr;
    if (snapshot.is_array()) {
      for (const auto& s : snapshot) {
        if (s.value("topic", Json()) == topic.value) row = &s;
      }
    }
    if (row == nullptr) continue;
    h.Open("article", {{"class", "review-input"}, {"id", "input-" + std::string(topic.value)}});
    h.Open("h3");
    h.Text(std::string(topic.label));
    h.Text(" ");
    h.Element("span", {{"class", "muted"}}, std::string(topic.clause));
    h.Close("h3");
    h.Open("div", {{"class", "review-input-summary"}});
    Markdown(h, Text(row->value("summary", Json())));
    h.Close("div");
    const auto it = comments.find(std::string(topic.value));
    h.Open("div", {{"class", "review-input-comment"}});
    h.Element("strong", {}, "Comment: ");
    if (it == comments.end() || it->second.empty()) {
      h.Element("span", {{"class", "muted"}}, "none yet");
    } else {
      h.Text(it->second);
    }
    h.Close("div");
    h.Close("article");
  }
  h.Close("section");
}

// The decisions with their follow-ups: a link to the record made, or a button making it.
void Decisions(Html& h, Request& r, const Record& rec, bool print) {
  const Json decisions = rec.fields.value("decisions", Json());
  auto members = r.services.registers.Members(r.principal);
  const std::vector<domain::UserSummary> none;
  const auto& people = members.ok() ? *members : none;
  // Titles of the follow-ups, one statement per register.
  std::map<std::string, std::vector<int64_t>> ids;
  for (const auto& d : decisions.is_array() ? decisions : Json::array()) {
    if (d.value("follow_up", Json()).is_number_integer()) {
      ids[Text(d.value("kind", Json()))].push_back(d["follow_up"].get<int64_t>());
    }
  }
  std::map<std::string, std::map<int64_t, std::string>> titles;
  for (const auto& [kind, list] : ids) {
    const auto* spec = domain::FollowUpRegister(kind);
    if (spec == nullptr) continue;
    auto t = r.services.registers.Titles(r.principal, *spec, list);
    if (t.ok()) titles[kind] = std::move(*t);
  }
  const std::string state = Text(rec.fields["status"]);
  const bool may_follow =
      !print && state != domain::kReviewDraft && !r.principal.read_only &&
      !r.principal.InAccountSetup() &&
      app::RegisterService::CheckCanWrite(r.principal, Reviews(), &rec.fields, &rec.fields).ok();
  h.Open("section",
         {{"class", print ? "print-section" : "card"}, {"aria-labelledby", "decisions"}});
  h.Element("h2", {{"id", "decisions"}}, "Decisions and actions (clause 9.3.3)");
  if (!decisions.is_array() || decisions.empty()) {
    h.Element("p", {{"class", "muted"}}, "No decision is recorded yet.");
    h.Close("section");
    return;
  }
  const auto& kind_field = *Reviews().Field("decisions");
  const domain::FieldSpec* kind_spec = nullptr;
  for (const auto& c : kind_field.columns) {
    if (c.name == "kind") kind_spec = &c;
  }
  const Table t{
      .cls = "data-table stack-narrow",
      .caption = "Decisions of this review",
      .columns = {
          {.label = "Decision"}, {.label = "Owner"}, {.label = "Due"}, {.label = "Follow-up"}}};
  t.Open(h);
  for (size_t i = 0; i < decisions.size(); ++i) {
    const Json& d = decisions[i];
    h.Open("tr");
    h.Element("td", {{"class", "cell-title"}, {"data-label", "Decision"}},
              Text(d.value("decision", Json())));
    h.Element("td", {{"data-label", "Owner"}},
              d.value("owner", Json()).is_number_integer()
                  ? UserName(d["owner"].get<int64_t>(), people)
                  : "—");
    h.Element("td", {{"class", "cell-date"}, {"data-label", "Due"}},
              d.value("due", Json()).is_string() ? Text(d["due"]) : "—");
    h.Open("td", {{"data-label", "Follow-up"}});
    const std::string kind = Text(d.value("kind", Json()));
    const auto* spec = domain::FollowUpRegister(kind);
    if (spec != nullptr && d.value("follow_up", Json()).is_number_integer()) {
      const int64_t id = d["follow_up"].get<int64_t>();
      const auto& known = titles[kind];
      const auto it = known.find(id);
      h.Text(spec->singular + ": ");
      if (it == known.end()) {
        h.Text(fmt::format("#{} (deleted)", id));
      } else if (print) {
        h.Text(it->second);
      } else {
        h.Link(fmt::format("/{}/{}", spec->path, id), it->second);
      }
    } else if (spec != nullptr && may_follow) {
      ButtonForm(h, r, fmt::format("/management-reviews/{}/decisions/{}/follow-up", rec.id, i),
                 {.label = "Create " + domain::FieldSpec(*kind_spec).ChoiceLabel(kind),
                  .cls = "button button-secondary button-small",
                  .aria_label = fmt::format("Create a {} for decision {}", spec->singular, i + 1),
                  .hidden = {{"version", std::to_string(rec.version)}}});
    } else if (kind_spec != nullptr && !kind.empty()) {
      h.Text(kind_spec->ChoiceLabel(kind));
    } else {
      h.Text("—");
    }
    h.Close("td");
    h.Close("tr");
  }
  t.Close(h);
  h.Close("section");
}

std::string ApprovalText(Request& r, const Record& rec) {
  if (Text(rec.fields["status"]) != domain::kReviewApproved) {
    return Text(rec.fields["status"]) == domain::kReviewHeld ? "Minutes not approved yet."
                                                             : "Draft: the review is not held yet.";
  }
  auto members = r.services.registers.Members(r.principal);
  const std::string who = members.ok() && rec.fields["approved_by"].is_number_integer()
                              ? UserName(rec.fields["approved_by"].get<int64_t>(), *members)
                              : "top management";
  return fmt::format("Minutes approved by {} on {}.", who, Text(rec.fields["approved_on"]));
}

void ReviewBanner(Html& h, Request& r, const Record& rec) {
  const std::string state = Text(rec.fields["status"]);
  h.Open("div", {{"class", state == domain::kReviewApproved ? "callout callout-ok" : "callout"},
                 {"role", "note"},
                 {"id", "review-state"}});
  h.Text(ApprovalText(r, rec));
  if (state == domain::kReviewHeld) {
    const auto missing = domain::UncommentedTopics(rec.fields);
    if (!missing.empty()) {
      h.Text(fmt::format(" {} {} no comment yet.", missing.size(),
                         missing.size() == 1 ? "input has" : "inputs have"));
    }
  }
  h.Close("div");
}

void ReviewActions(Html& h, Request& r, const Record& rec) {
  h.Link(fmt::format("/management-reviews/{}/minutes", rec.id), "Print minutes",
         "button button-secondary");
  const app::Principal& p = r.principal;
  if (Text(rec.fields["status"]) != domain::kReviewHeld || p.read_only || p.InAccountSetup() ||
      !p.Can(domain::Permission::kApprove)) {
    return;
  }
  ButtonForm(h, r, fmt::format("/management-reviews/{}/approve", rec.id),
             {.label = "Approve minutes",
              .cls = "button button-primary",
              .confirm = "Approve the minutes of this review? They cannot be changed afterwards.",
              .hidden = {{"version", std::to_string(rec.version)}}});
}

void ReviewSections(Html& h, Request& r, const Record& rec) {
  Inputs(h, rec, false);
  Decisions(h, r, rec, false);
}

// The minutes as a document: no navigation, who attended, the inputs, the minutes, the
// decisions and the approval.
void MinutesPage(Request& r) {
  auto rec = r.services.registers.Get(r.principal, Reviews(), r.PathId());
  if (!rec.ok()) {
    Html h;
    ErrorAlert(h, "The review could not be read", rec.status().message());
    return RenderPage(r,
                      {.title = "Minutes",
                       .nav = Reviews().path,
                       .crumbs = {{Reviews().plural, "/" + Reviews().path}, {"Minutes", ""}}},
                      h.Take(), HttpStatusFor(rec.status().code()));
  }
  auto members = r.services.registers.Members(r.principal);
  const std::vector<domain::UserSummary> none;
  const auto& people = members.ok() ? *members : none;
  const std::string title = Text(rec->fields["title"]);
  Html h;
  h.Raw(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
  h.Element("title", {}, "Minutes: " + title + " · " + r.principal.org_name);
  h.Raw("<link rel=\"stylesheet\" href=\"/static/app.css\"></head><body class=\"print-doc\">");
  h.Open("main", {{"class", "print-main"}});
  h.Open("header", {{"class", "print-header"}});
  h.Element("p", {{"class", "print-org"}}, r.principal.org_name);
  h.Element("h1", {}, "Management review: " + title);
  h.Element(
      "p", {},
      fmt::format("ISO/IEC 27001:2022, clause 9.3 · held on {}", Text(rec->fields["review_date"])));
  h.Element("p", {{"class", "print-approval"}}, ApprovalText(r, *rec));
  h.Close("header");
  h.Open("section", {{"class", "print-section"}});
  h.Element("h2", {}, "Attendees");
  const Json attendees = rec->fields.value("attendees", Json());
  h.Open("ul");
  const Json chair = rec->fields.value("chair", Json());
  bool chair_attended = false;
  for (const auto& a : attendees.is_array() ? attendees : Json::array()) {
    std::string line = a.value("attendee", Json()).is_number_integer()
                           ? UserName(a["attendee"].get<int64_t>(), people)
                           : "—";
    const std::string capacity = Text(a.value("capacity", Json()));
    if (!capacity.empty()) line += ", " + capacity;
    if (chair.is_number_integer() && a.value("attendee", Json()) == chair) {
      line += " (chair)";
      chair_attended = true;
    }
    h.Element("li", {}, line);
  }
  if (chair.is_number_integer() && !chair_attended) {
    h.Element("li", {}, UserName(chair.get<int64_t>(), people) + " (chair)");
  }
  h.Close("ul");
  h.Close("section");
  Inputs(h, *rec, true);
  h.Open("section", {{"class", "print-section"}});
  h.Element("h2", {}, "Minutes");
  const std::string minutes = Text(rec->fields.value("minutes", Json()));
  if (minutes.empty()) {
    h.Element("p", {{"class", "muted"}}, "No minutes are written yet.");
  } else {
    h.Element("p", {{"class", "prose"}}, minutes);
  }
  h.Close("section");
  Decisions(h, r, *rec, true);
  if (rec->fields["next_review"].is_string()) {
    h.Element("p", {}, "Next review planned on " + Text(rec->fields["next_review"]) + ".");
  }
  h.Close("main").Raw("</body></html>");
  r.res.SetContent(h.Take().Release(), "text/html; charset=utf-8");
}

PageFrame StepFrame(const std::string& title) {
  return {.title = title,
          .nav = Reviews().path,
          .crumbs = {{Reviews().plural, "/" + Reviews().path}, {title, ""}}};
}

}  // namespace

void AddManagementReviewPageHooks(PageHooks& all) {
  auto& hooks = all[&Reviews()];
  hooks.detail_banner = ReviewBanner;
  hooks.detail_actions = ReviewActions;
  hooks.detail_sections = ReviewSections;
  hooks.detail_hidden = {"input_snapshot", "input_comments", "decisions"};
}

void AddManagementReviewPages(Router& router) {
  router.Get(R"(/management-reviews/(\d+)/minutes)", Surface::kWeb, kRead, MinutesPage);
  const auto back = [](Request& r) { return fmt::format("/management-reviews/{}", r.PathId()); };
  router.Post(R"(/management-reviews/(\d+)/approve)", Surface::kWeb,
              Guard::Needs(domain::Permission::kApprove), [back](Request& r) {
                auto done = r.services.reviews.Approve(r.principal, r.PathId(), r.FormVersion());
                if (done.ok()) return r.res.SetRedirect(back(r) + "?notice=minutes-approved", 303);
                RenderRefusal(r, StepFrame("Minutes not approved"), done.status(), back(r),
                              "Back to the review");
              });
  router.Post(R"(/management-reviews/(\d+)/decisions/(\d+)/follow-up)", Surface::kWeb,
              Guard::Needs(domain::Permission::kEditOwnRecords), [back](Request& r) {
                const int64_t index = r.PathId(2);
                auto done = r.services.reviews.FollowUp(
                    r.principal, r.PathId(), index > 10000 ? 10000 : static_cast<int>(index),
                    r.FormVersion());
                if (done.ok())
                  return r.res.SetRedirect(back(r) + "?notice=followed-up#decisions", 303);
                RenderRefusal(r, StepFrame("Not followed up"), done.status(), back(r),
                              "Back to the review");
              });
}

}  // namespace rampart::http
