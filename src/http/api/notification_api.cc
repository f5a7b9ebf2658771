// The caller's own notifications (issue 14: reminder digests in the app):
//   GET  /api/v1/notifications            newest first: ?before=ID&limit=N (1-100, default 20),
//                                         with the unread count
//   POST /api/v1/notifications/{id}/read  one read (404 when it is not the caller's)
//   POST /api/v1/notifications/read-all   every one read
#include "app/reminder_service.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using nlohmann::json;

namespace {

void RespondNoContent(Request& r, const Status& st) {
  if (!st.ok()) return WriteJsonError(r.res, st);
  r.res.status = 204;
}

}  // namespace

json NotificationToJson(const domain::Notification& n) {
  return {{"id", n.id},
          {"kind", n.kind},
          {"title", n.title},
          {"summary", n.summary},
          {"items", n.items},
          {"created_at", n.created_at},
          {"read_at", n.read_at.empty() ? json() : json(n.read_at)}};
}

void AddNotificationSchemas(json& schemas) {
  schemas["NotificationItem"] = ObjectOfAll(
      {{"section",
        {{"type", "string"}, {"enum", {"task", "review", "acknowledgement", "measurement"}}}},
       {"label", Described(kString, "the record's title")},
       {"due", Described(kString, "due date, review date, next measurement, or when asked")},
       {"what", Described(kString, "the register of a review (\"Risk\"); empty otherwise")},
       {"href", Described(kString, "the record's page in the app, a path")},
       {"overdue", kBoolean}});
  schemas["NotificationItem"]["properties"]["more"] =
      Described(kInteger,
                "only on the last item of a section cut short (50 items are kept of each): how "
                "many more the section held; its href is My work, which lists them all");
  schemas["Notification"] =
      ObjectOfAll({{"id", kInteger},
                   {"kind", {{"type", "string"}, {"enum", {"digest"}}}},
                   {"title", kString},
                   {"summary", kString},
                   {"items", ArrayOf(Ref("NotificationItem"))},
                   {"created_at", kString},
                   {"read_at", Described(OrNull(kString), "null while unread")}});
  schemas["NotificationPage"] = ObjectOfAll(
      {{"data", ArrayOf(Ref("Notification"))},
       {"unread", Described(kInteger, "how many of the caller's notifications are unread")},
       {"next_before", Described(OrNull(kInteger),
                                 "pass as `before` for the next (older) page; null on the last")}});
}

void RegisterNotificationApiRoutes(Router& router) {
  const json tags = json::array({"Notifications"});
  router.Get(
      "/api/v1/notifications", Guard::Account(),
      Doc({{"summary", "The caller's notifications"},
           {"description",
            "The caller's own notifications in the organisation they act in (reminder digests), "
            "newest first, with how many are unread."},
           {"tags", tags},
           {"operationId", "list_notifications"},
           {"parameters",
            json::array({{{"name", "before"},
                          {"in", "query"},
                          {"description",
                           "only notifications with a smaller id (the previous page's "
                           "next_before)"},
                          {"schema", {{"type", "integer"}, {"minimum", 1}}}},
                         {{"name", "limit"},
                          {"in", "query"},
                          {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}}}})},
           {"responses",
            Merge({{"200", JsonResponse("a page of notifications", Ref("NotificationPage"))}},
                  ErrorResponses({400, 401, 403}))}}),
      [](Request& r) {
        int64_t before = 0;
        int64_t limit = app::NotificationService::kDefaultLimit;
        if (r.http.HasParam("before") &&
            (!ParseInt(r.http.Param("before"), before) || before < 1)) {
          return WriteJsonError(r.res,
                                InvalidArgument("before must be a notification id", "before"));
        }
        if (r.http.HasParam("limit") && (!ParseInt(r.http.Param("limit"), limit) || limit < 1 ||
                                         limit > app::NotificationService::kMaxLimit)) {
          return WriteJsonError(
              r.res, InvalidArgument("limit must be a whole number from 1 to 100", "limit"));
        }
        auto page = r.services.notifications.List(r.principal, before, static_cast<int>(limit));
        if (!page.ok()) return WriteJsonError(r.res, page.status());
        auto unread = r.services.notifications.Unread(r.principal);
        if (!unread.ok()) return WriteJsonError(r.res, unread.status());
        json data = json::array();
        for (const auto& n : page->notifications) data.push_back(NotificationToJson(n));
        WriteJson(r.res, 200,
                  {{"data", std::move(data)},
                   {"unread", *unread},
                   {"next_before", page->next_before == 0 ? json() : json(page->next_before)}});
      });
  router.Post(
      R"(/api/v1/notifications/(\d+)/read)", Guard::Account(),
      Doc({{"summary", "Mark a notification read"},
           {"description", "404 when the caller has no such notification in this organisation."},
           {"tags", tags},
           {"operationId", "read_notification"},
           {"responses", Merge({{"204", NoContent("read")}}, ErrorResponses({401, 403, 404}))}},
          json::array({PathParam("id", "the notification")})),
      [](Request& r) {
        RespondNoContent(r, r.services.notifications.MarkRead(r.principal, r.PathId()));
      });
  router.Post("/api/v1/notifications/read-all", Guard::Account(),
              Doc({{"summary", "Mark every notification read"},
                   {"tags", tags},
                   {"operationId", "read_all_notifications"},
                   {"responses", Merge({{"200", JsonResponse("how many were unread",
                                                             ObjectOfAll({{"read", kInteger}}))}},
                                       ErrorResponses({401, 403}))}}),
              [](Request& r) {
                auto n = r.services.notifications.MarkAllRead(r.principal);
                if (!n.ok()) return WriteJsonError(r.res, n.status());
                WriteJson(r.res, 200, {{"read", *n}});
              });
}

}  // namespace rampart::http
