// The caller's notifications (issue 14):
//   GET  /notifications               newest first, 20 a page (?before=ID for older ones)
//   POST /notifications/{id}/read     one read (404 when it is not the caller's)
//   POST /notifications/read-all      every one read
// The unread count is in the navigation of every page (layout.cc).
#include <fmt/format.h>

#include "base/text.h"
#include "domain/digest_sections.h"
#include "http/api/api_util.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

namespace {

std::string Str(const domain::Json& j, const char* name) {
  const domain::Json v = j.is_object() ? j.value(name, domain::Json()) : domain::Json();
  return v.is_string() ? v.get<std::string>() : std::string();
}

void NotificationCard(Html& h, const Request& r, const domain::Notification& n) {
  const bool unread = n.read_at.empty();
  const std::string id = fmt::format("notification-{}", n.id);
  h.Open("section", {{"class", unread ? "card notification is-unread" : "card notification"},
                     {"aria-labelledby", id}});
  h.Open("h2", {{"id", id}}).Text(n.title);
  if (unread) h.Text(" ").Element("span", {{"class", "badge"}}, "Unread");
  h.Close("h2");
  h.Element("p", {{"class", "muted"}}, n.summary + " · " + ShortTime(n.created_at));
  for (const auto& words : domain::DigestSectionsInOrder()) {
    const std::string section = words.name;
    bool any = false;
    for (const auto& item : n.items) {
      if (Str(item, "section") != section) continue;
      if (!any) {
        h.Element("h3", {}, words.heading);
        h.Open("ul", {{"class", "notification-items"}});
        any = true;
      }
      h.Open("li");
      if (item.contains("more")) {  // the section was cut short (domain::ComposeDigest)
        h.Link("/my", fmt::format("{} more on My work", Grouped(item.value("more", int64_t{0}))));
        h.Close("li");
        continue;
      }
      const std::string what = Str(item, "what");
      if (!what.empty()) h.Text(what + ": ");
      const std::string href = Str(item, "href");
      // Only paths of this site become links (the items are Rampart's own, but stored).
      if (IsSafeLocalPath(href)) {
        h.Link(href, Str(item, "label"));
      } else {
        h.Text(Str(item, "label"));
      }
      const std::string due = Str(item, "due");
      if (!due.empty()) {
        const bool overdue = item.value("overdue", false);
        const std::string when = std::string(words.date_word) + " " + due;
        h.Element("span", {{"class", overdue ? "overdue" : "muted"}},
                  overdue ? " · overdue, " + when : " · " + when);
      }
      h.Close("li");
    }
    if (any) h.Close("ul");
  }
  if (unread) {
    ButtonForm(h, r, fmt::format("/notifications/{}/read", n.id),
               {.label = "Mark read", .aria_label = "Mark \"" + n.title + "\" read"});
  }
  h.Close("section");
}

void NotificationsPage(Request& r) {
  int64_t before = 0;
  if (!r.Query("before").empty() && (!ParseInt(r.Query("before"), before) || before < 1)) {
    before = 0;
  }
  auto page =
      r.services.notifications.List(r.principal, before, app::NotificationService::kDefaultLimit);
  auto unread = r.services.notifications.Unread(r.principal);
  Html h;
  if (!page.ok() || !unread.ok()) {
    ErrorAlert(h, "Notifications could not be read",
               std::string(!page.ok() ? page.status().message() : unread.status().message()));
    return RenderPage(r, {.title = "Notifications", .nav = "notifications"}, h.Take(), 503);
  }
  Html actions;
  if (*unread > 0) ButtonForm(actions, r, "/notifications/read-all", {.label = "Mark all read"});
  if (page->notifications.empty()) {
    h.Open("section", {{"class", "card"}});
    h.Element("p", {{"class", "muted"}},
              before == 0 ? "No notifications yet. Once a day Rampart tells you here what waits "
                            "for you: tasks due, reviews, documents to acknowledge, "
                            "measurements."
                          : "No older notifications.");
    h.Close("section");
  }
  for (const auto& n : page->notifications) NotificationCard(h, r, n);
  if (page->next_before != 0) {
    h.Open("p").Link(fmt::format("/notifications?before={}", page->next_before),
                     "Older notifications", "button button-secondary");
    h.Close("p");
  }
  std::string notice;
  if (r.Query("notice") == "read") notice = "Marked read.";
  if (r.Query("notice") == "all-read") notice = "Every notification is marked read.";
  RenderPage(
      r,
      {.title = "Notifications",
       .nav = "notifications",
       .subtitle = *unread == 0 ? std::string("Nothing unread") : fmt::format("{} unread", *unread),
       .actions = actions.Take(),
       .notice = notice},
      h.Take());
}

}  // namespace

void AddNotificationPages(Router& router) {
  const Guard account = Guard::Account();
  router.Get("/notifications", Surface::kWeb, account, NotificationsPage);
  router.Post(R"(/notifications/(\d+)/read)", Surface::kWeb, account, [](Request& r) {
    const Status st = r.services.notifications.MarkRead(r.principal, r.PathId());
    if (st.ok()) return r.res.SetRedirect("/notifications?notice=read", 303);
    Html h;
    ErrorAlert(h, "Not marked read", std::string(st.message()));
    h.Open("p").Link("/notifications", "Your notifications", "button button-secondary");
    h.Close("p");
    RenderPage(r, {.title = "Notification not found", .nav = "notifications"}, h.Take(),
               HttpStatusFor(st.code()));
  });
  router.Post("/notifications/read-all", Surface::kWeb, account, [](Request& r) {
    const auto n = r.services.notifications.MarkAllRead(r.principal);
    if (n.ok()) return r.res.SetRedirect("/notifications?notice=all-read", 303);
    Html h;
    ErrorAlert(h, "Not marked read", std::string(n.status().message()));
    RenderPage(r, {.title = "Notifications", .nav = "notifications"}, h.Take(),
               HttpStatusFor(n.status().code()));
  });
}

}  // namespace rampart::http
