// The organisation's people and settings over JSON (administrators change, members read):
//   GET    /api/v1/roles                         the role model: roles and their permissions
//   GET    /api/v1/users                         members with role, end date, second factor
//   POST   /api/v1/users                         {"username","display_name","role","expires_on"
//                                                 [,"password"]} -> 201 with a one-time password
//                                                 when the name is new; 202 {"status":"invited"}
//                                                 when it is taken (an invitation)
//   GET    /api/v1/users/{id}
//   PATCH  /api/v1/users/{id}                    {"role","expires_on","disabled"} or {"email"}
//   DELETE /api/v1/users/{id}                    remove from this organisation (access ends now)
//   POST   /api/v1/users/{id}/reset-password     -> new one-time password
//   GET    /api/v1/users/{id}/sessions; DELETE ends them all; DELETE …/sessions/{sid} ends one
//   DELETE /api/v1/users/{id}/second-factor      for a lost phone
//   GET    /api/v1/organisation; PATCH {"second_factor_roles": [...]}
//   GET    /api/v1/auth/invitations              the caller's pending invitations
//   POST   /api/v1/auth/invitations/{id}/accept  -> the membership offered; /decline ends it
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Permission;
using nlohmann::json;

namespace {

// A member's e-mail address is shown to administrators and to the member; null to others.
json MemberJson(const Request& r, const domain::UserSummary& m) {
  const bool email = r.principal.Can(Permission::kManageUsers) || r.principal.user_id == m.id;
  return {{"id", m.id},
          {"email", email && !m.email.empty() ? json(m.email) : json()},
          {"username", m.username},
          {"display_name", m.display_name},
          {"role", m.role},
          {"expires_on", m.expires_at.empty() ? json() : json(m.expires_at)},
          {"disabled", m.disabled},
          {"second_factor", m.second_factor}};
}

json InvitationJson(const domain::Invitation& i) {
  return {{"id", i.id},
          {"organisation", i.org_name},
          {"role", domain::RoleName(i.role)},
          {"expires_on", i.expires_at.empty() ? json() : json(i.expires_at)},
          {"invited_by", i.invited_by},
          {"created_at", i.created_at}};
}

json OrganisationJson(const domain::Organisation& o) {
  json roles = json::array();
  for (auto r : o.second_factor_roles) roles.push_back(domain::RoleName(r));
  return {
      {"id", o.id}, {"name", o.name}, {"created_at", o.created_at}, {"second_factor_roles", roles}};
}

Result<domain::Role> RoleField(const json& body, const std::string& fallback) {
  const std::string name = body.contains("role") ? StringField(body, "role") : fallback;
  const auto role = domain::ParseRole(name);
  if (!role) {
    std::string names;
    for (const auto& i : domain::AllRoles())
      names += (names.empty() ? "" : ", ") + std::string(i.name);
    return InvalidArgument("role must be one of " + names, "role");
  }
  return *role;
}

const Guard kManage = Guard::Needs(Permission::kManageUsers);

}  // namespace

// Schemas of the organisation's people: members, invitations, roles and the organisation.
void AddPeopleSchemas(json& schemas) {
  const json role = Ref("RoleName");

  schemas["MemberSession"] = ObjectOfAll({{"id", kInteger},
                                          {"created_at", kDateTime},
                                          {"last_seen_at", kDateTime},
                                          {"address", kString},
                                          {"user_agent", kString}});
  schemas["Member"] =
      ObjectOfAll({{"id", Described(kInteger, "the user's id")},
                   {"username", kString},
                   {"display_name", kString},
                   {"role", role},
                   {"expires_on", Described(OrNull(kDate), "the last day of access; null: no end")},
                   {"disabled", kBoolean},
                   {"second_factor", Described(kBoolean, "a second factor is set up")},
                   {"email", Described(OrNull(kString),
                                       "where reminder digests go; shown to administrators and "
                                       "to the member, null to others or when none")}});
  schemas["MemberInput"] = Object(
      {{"username", {{"type", "string"}, {"pattern", "^[a-z0-9][a-z0-9._-]{0,63}$"}}},
       {"display_name",
        Described({{"type", "string"}, {"maxLength", 100}}, "the user name when absent")},
       {"role", role},
       {"expires_on", Described(kDate,
                                "the last day of access; required for a role whose needs_expiry "
                                "is true (GET /api/v1/roles)")},
       {"password", Described({{"type", "string"}, {"minLength", 8}, {"maxLength", 128}},
                              "for a new account only (400 when the user exists); absent: a "
                              "one-time password is made and returned")},
       {"email", Described({{"type", "string"}, {"maxLength", 254}},
                           "for a new account only (ignored for an invitation): where reminder "
                           "digests go")}},
      json::array({"username", "role"}));
  schemas["AddedMember"] =
      Extends("Member",
              Object({{"existing_user",
                       Described(kBoolean,
                                 "always false here: an administrator's add of a taken name is an "
                                 "invitation (202)")},
                      {"one_time_password",
                       Described(kString,
                                 "a new account without a chosen password: to be changed at first "
                                 "sign-in; shown in this answer only")},
                      {"one_time_password_expires_at",
                       Described(kString,
                                 "with one_time_password: when it stops working (UTC, 72 hours "
                                 "on); it works for one sign-in")}},
                     json::array({"existing_user"})));
  schemas["Invited"] =
      ObjectOfAll({{"status", Described(kString, "\"invited\"")},
                   {"username", Described(kString, "the name asked for, as given")}});
  schemas["Invitation"] =
      ObjectOfAll({{"id", kInteger},
                   {"organisation", Described(kString, "the inviting organisation's name")},
                   {"role", kString},
                   {"expires_on", Described(OrNull(kDate), "the last day of the access offered")},
                   {"invited_by", Described(kString, "the inviting administrator's user name")},
                   {"created_at", kString}});
  json change = Object({{"role", role},
                        {"expires_on", Described(OrNull(kDate), "null: access does not end")},
                        {"disabled", Described(kBoolean, "a disabled user cannot sign in")},
                        {"email", Described({{"type", "string"}, {"maxLength", 254}},
                                            "the account's e-mail address (\"\" clears it); "
                                            "administrators of the account's home organisation "
                                            "only, in a request of its own")}},
                       json::array());
  change["additionalProperties"] = false;
  schemas["MemberChange"] = change;
  schemas["OneTimePassword"] = ObjectOfAll(
      {{"one_time_password",
        Described(kString, "to be changed at first sign-in; shown in this answer only")},
       {"one_time_password_expires_at",
        Described(kString, "when it stops working (UTC, 72 hours on); it works for one sign-in")}});

  schemas["Role"] = ObjectOfAll({{"name", role},
                                 {"label", kString},
                                 {"summary", kString},
                                 {"needs_expiry", Described(kBoolean,
                                                            "a membership with this role must "
                                                            "end on a date (expires_on)")},
                                 {"permissions", ArrayOf(Ref("PermissionName"))}});
  schemas["Organisation"] = ObjectOfAll(
      {{"id", kInteger},
       {"name", kString},
       {"created_at", kDateTime},
       {"second_factor_roles",
        Described(ArrayOf(role), "members with these roles must set up a second factor")}});
  schemas["OrganisationChange"] =
      Object({{"second_factor_roles", ArrayOf(role)}}, json::array({"second_factor_roles"}));
}

namespace {

// The caller's invitations to organisations.
void AddInvitationRoutes(Router& router) {
  const json account = json::array({"Account"});
  router.Get("/api/v1/auth/invitations", Guard::Account(),
             Doc({{"summary", "The caller's pending invitations to organisations"},
                  {"tags", account},
                  {"operationId", "list_own_invitations"},
                  {"responses", Merge({{"200", JsonResponse("invitations", DataOf("Invitation"))}},
                                      ErrorResponses({401, 403}))}}),
             [](Request& r) {
               auto mine = r.services.members.Invitations(r.principal);
               if (!mine.ok()) return WriteJsonError(r.res, mine.status());
               json data = json::array();
               for (const auto& i : *mine) data.push_back(InvitationJson(i));
               WriteJson(r.res, 200, json{{"data", data}});
             });
  // Answering an invitation: accepting becomes a member, declining ends it.
  auto answer = [&account](const std::string& verb) {
    const bool accept = verb == "accept";
    return Doc(
        {{"summary", accept ? "Accept an invitation: become a member with the role offered"
                            : "Decline an invitation"},
         {"tags", account},
         {"operationId", verb + "_invitation"},
         {"responses",
          Merge({{"200", JsonResponse(accept ? "accepted" : "declined", Ref("Invitation"))}},
                accept ? ErrorResponses({401, 403, 404, 409}) : ErrorResponses({401, 403, 404}))}},
        json::array({PathParam("id", "the invitation's id")}));
  };
  router.Post(R"(/api/v1/auth/invitations/(\d+)/accept)", Guard::Account(), answer("accept"),
              [](Request& r) {
                auto i = r.services.members.AcceptInvitation(r.principal, r.PathId());
                if (!i.ok()) return WriteJsonError(r.res, i.status());
                WriteJson(r.res, 200, InvitationJson(*i));
              });
  router.Post(R"(/api/v1/auth/invitations/(\d+)/decline)", Guard::Account(), answer("decline"),
              [](Request& r) {
                auto i = r.services.members.DeclineInvitation(r.principal, r.PathId());
                if (!i.ok()) return WriteJsonError(r.res, i.status());
                WriteJson(r.res, 200, InvitationJson(*i));
              });
}

// The organisation's members: list, add, read, change, remove.
void AddMemberRoutes(Router& router) {
  const json people = json::array({"People"});
  const json user_id = json::array({PathParam("id", "the user's id")});
  router.Get(
      "/api/v1/users", kRead,
      Doc({{"summary", "Members of the organisation (owners to choose from)"},
           {"tags", people},
           {"operationId", "list_users"},
           {"responses", Merge({{"200", JsonResponse("members by user name", DataOf("Member"))}},
                               ErrorResponses({401, 403}))}}),
      [](Request& r) {
        auto members = r.services.members.List(r.principal);
        if (!members.ok()) return WriteJsonError(r.res, members.status());
        json data = json::array();
        for (const auto& m : *members) data.push_back(MemberJson(r, m));
        WriteJson(r.res, 200, json{{"data", data}});
      });
  router.Post(
      "/api/v1/users", kManage,
      Doc({{"summary",
            "Add a member: a new account, or an existing one to this "
            "organisation"},
           {"description",
            "409 when the user is a member already. A name free in the whole "
            "installation makes a new account (201); one without a chosen password gets "
            "a one-time password, in this answer only. A taken name makes an invitation "
            "the account's holder accepts or declines (202), with the same answer "
            "whoever holds it: nothing about accounts outside the organisation is "
            "shown."},
           {"tags", people},
           {"operationId", "add_user"},
           {"requestBody", JsonBody(Ref("MemberInput"))},
           {"responses",
            Merge({{"201",
                    Merge(JsonResponse("added", Ref("AddedMember")),
                          {{"headers",
                            {{"Location",
                              {{"description", "/api/v1/users/{id}"}, {"schema", kString}}}}}})},
                   {"202", JsonResponse("invited", Ref("Invited"))}},
                  ErrorResponses({400, 401, 403, 409}))}}),
      [](Request& r) {
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        if (Status st = RequireStrings(
                *body, {"username", "display_name", "role", "expires_on", "password", "email"});
            !st.ok()) {
          return WriteJsonError(r.res, st);
        }
        auto role = RoleField(*body, "");
        if (!role.ok()) return WriteJsonError(r.res, role.status());
        app::NewMember nm{.username = StringField(*body, "username"),
                          .display_name = StringField(*body, "display_name"),
                          .role = *role,
                          .expires_on = StringField(*body, "expires_on"),
                          .password = StringField(*body, "password"),
                          .email = StringField(*body, "email")};
        auto added = r.services.members.Add(r.principal, nm);
        if (!added.ok()) return WriteJsonError(r.res, added.status());
        if (added->invited) {
          // The same answer for every taken name: nothing about the account or where it belongs.
          return WriteJson(r.res, 202, json{{"status", "invited"}, {"username", nm.username}});
        }
        auto member = r.services.members.Get(r.principal, added->user.id);
        if (!member.ok()) return WriteJsonError(r.res, member.status());
        json out = MemberJson(r, *member);
        out["existing_user"] = added->existing_user;
        if (!added->one_time_password.empty()) {
          r.res.holds_credential = true;
          out["one_time_password"] = added->one_time_password;
          out["one_time_password_expires_at"] = added->one_time_password_expires_at;
        }
        r.res.SetHeader("Location", "/api/v1/users/" + std::to_string(added->user.id));
        WriteJson(r.res, 201, out);
      });
  router.Get(R"(/api/v1/users/(\d+))", kRead,
             Doc({{"summary", "A member"},
                  {"tags", people},
                  {"operationId", "get_user"},
                  {"responses", Merge({{"200", JsonResponse("the member", Ref("Member"))}},
                                      ErrorResponses({401, 403, 404}))}},
                 user_id),
             [](Request& r) {
               auto m = r.services.members.Get(r.principal, r.PathId());
               if (!m.ok()) return WriteJsonError(r.res, m.status());
               WriteJson(r.res, 200, MemberJson(r, *m));
             });
  router.Patch(
      R"(/api/v1/users/(\d+))", kManage,
      Doc({{"summary", "Change a member's role, end of access, or disable the account"},
           {"description",
            "409 when the change would leave the organisation without an active "
            "administrator, or disables the caller."},
           {"tags", people},
           {"operationId", "update_user"},
           {"requestBody", JsonBody(Ref("MemberChange"))},
           {"responses", Merge({{"200", JsonResponse("the member", Ref("Member"))}},
                               ErrorResponses({400, 401, 403, 404, 409}))}},
          user_id),
      [](Request& r) {
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        auto m = r.services.members.Get(r.principal, r.PathId());
        if (!m.ok()) return WriteJsonError(r.res, m.status());
        for (const auto& [key, value] : body->items()) {
          if (key != "role" && key != "expires_on" && key != "disabled" && key != "email") {
            return WriteJsonError(r.res, InvalidArgument("unknown field \"" + key +
                                                             "\": role, expires_on, disabled and "
                                                             "email can be changed",
                                                         key));
          }
        }
        if (body->contains("email")) {
          if (body->size() != 1) {
            return WriteJsonError(
                r.res,
                InvalidArgument("change the e-mail address in a request of its own", "email"));
          }
          if (!(*body)["email"].is_string()) {
            return WriteJsonError(r.res, InvalidArgument("email must be a string", "email"));
          }
          Status st = r.services.members.SetEmail(r.principal, m->id, StringField(*body, "email"));
          if (!st.ok()) return WriteJsonError(r.res, st);
        }
        if (body->contains("disabled") && !(*body)["disabled"].is_boolean()) {
          return WriteJsonError(r.res,
                                InvalidArgument("disabled must be true or false", "disabled"));
        }
        if (Status st = RequireStrings(*body, {"role", "expires_on"}); !st.ok()) {
          return WriteJsonError(r.res, st);
        }
        // One change per request, so a refused part never leaves the other applied.
        if (body->contains("disabled") &&
            (body->contains("role") || body->contains("expires_on"))) {
          return WriteJsonError(
              r.res,
              InvalidArgument("change the role and end date, or disable or enable, in separate "
                              "requests",
                              "disabled"));
        }
        if (body->contains("role") || body->contains("expires_on")) {
          auto role = RoleField(*body, m->role);
          if (!role.ok()) return WriteJsonError(r.res, role.status());
          const std::string expires =
              body->contains("expires_on") ? StringField(*body, "expires_on") : m->expires_at;
          Status st = r.services.members.SetRole(r.principal, m->id, *role, expires);
          if (!st.ok()) return WriteJsonError(r.res, st);
        }
        if (body->contains("disabled")) {
          Status st = r.services.members.SetDisabled(r.principal, m->id, (*body)["disabled"]);
          if (!st.ok()) return WriteJsonError(r.res, st);
        }
        auto after = r.services.members.Get(r.principal, m->id);
        if (!after.ok()) return WriteJsonError(r.res, after.status());
        WriteJson(r.res, 200, MemberJson(r, *after));
      });
  router.Delete(R"(/api/v1/users/(\d+))", kManage,
                Doc({{"summary", "Remove a member from this organisation"},
                     {"description",
                      "Their access here ends now (the membership ends yesterday and is kept, so "
                      "records and history still name them); their sessions here end and their "
                      "tokens for it stop working. 409 for the caller or the last administrator."},
                     {"tags", people},
                     {"operationId", "remove_user"},
                     {"responses", Merge({{"204", {{"description", "removed"}}}},
                                         ErrorResponses({401, 403, 404, 409}))}},
                    user_id),
                [](Request& r) {
                  Status st = r.services.members.RemoveFromOrganisation(r.principal, r.PathId());
                  if (!st.ok()) return WriteJsonError(r.res, st);
                  r.res.status = 204;
                });
}

// A member's credentials an administrator resets: password, sessions, second factor.
void AddMemberCredentialRoutes(Router& router) {
  const json people = json::array({"People"});
  const json user_id = json::array({PathParam("id", "the user's id")});
  router.Post(R"(/api/v1/users/(\d+)/reset-password)", kManage,
              Doc({{"summary", "Give a member a new one-time password; their sessions end"},
                   {"description", "409 for the caller's own account."},
                   {"tags", people},
                   {"operationId", "reset_user_password"},
                   {"responses",
                    Merge({{"200", JsonResponse("the one-time password", Ref("OneTimePassword"))}},
                          ErrorResponses({401, 403, 404, 409}))}},
                  user_id),
              [](Request& r) {
                auto otp = r.services.members.ResetPassword(r.principal, r.PathId());
                if (!otp.ok()) return WriteJsonError(r.res, otp.status());
                r.res.holds_credential = true;
                WriteJson(r.res, 200,
                          json{{"one_time_password", otp->password},
                               {"one_time_password_expires_at", otp->expires_at}});
              });
  router.Get(R"(/api/v1/users/(\d+)/sessions)", kManage,
             Doc({{"summary", "A member's sessions"},
                  {"tags", people},
                  {"operationId", "list_user_sessions"},
                  {"responses", Merge({{"200", JsonResponse("sessions", DataOf("MemberSession"))}},
                                      ErrorResponses({401, 403, 404}))}},
                 user_id),
             [](Request& r) {
               auto sessions = r.services.members.Sessions(r.principal, r.PathId());
               if (!sessions.ok()) return WriteJsonError(r.res, sessions.status());
               json data = json::array();
               for (const auto& s : *sessions) {
                 data.push_back({{"id", s.id},
                                 {"created_at", s.created_at},
                                 {"last_seen_at", s.last_seen_at},
                                 {"address", s.address},
                                 {"user_agent", s.user_agent}});
               }
               WriteJson(r.res, 200, json{{"data", data}});
             });
  router.Delete(R"(/api/v1/users/(\d+)/sessions)", kManage,
                Doc({{"summary", "End every session of a member"},
                     {"tags", people},
                     {"operationId", "end_user_sessions"},
                     {"responses", Merge({{"200", JsonResponse("ended", Ref("Ended"))}},
                                         ErrorResponses({401, 403, 404}))}},
                    user_id),
                [](Request& r) {
                  auto ended = r.services.members.EndSessions(r.principal, r.PathId());
                  if (!ended.ok()) return WriteJsonError(r.res, ended.status());
                  WriteJson(r.res, 200, json{{"ended", *ended}});
                });
  router.Delete(
      R"(/api/v1/users/(\d+)/sessions/(\d+))", kManage,
      Doc({{"summary", "End one session of a member"},
           {"tags", people},
           {"operationId", "end_user_session"},
           {"responses", Merge({{"204", NoContent("ended")}}, ErrorResponses({401, 403, 404}))}},
          Merge(user_id, json::array({PathParam("session_id", "the session's id")}))),
      [](Request& r) {
        Status st = r.services.members.EndSession(r.principal, r.PathId(1), r.PathId(2));
        if (!st.ok()) return WriteJsonError(r.res, st);
        r.res.status = 204;
      });
  router.Delete(R"(/api/v1/users/(\d+)/second-factor)", kManage,
                Doc({{"summary", "Remove a member's second factor (a lost phone)"},
                     {"description",
                      "The member sets one up again at next sign-in when the role requires it. 409 "
                      "when none is set up."},
                     {"tags", people},
                     {"operationId", "reset_user_second_factor"},
                     {"responses", Merge({{"204", NoContent("removed")}},
                                         ErrorResponses({401, 403, 404, 409}))}},
                    user_id),
                [](Request& r) {
                  Status st = r.services.members.ResetSecondFactor(r.principal, r.PathId());
                  if (!st.ok()) return WriteJsonError(r.res, st);
                  r.res.status = 204;
                });
}

// The role model and the organisation's settings.
void AddOrganisationSettingsRoutes(Router& router) {
  const json organisation = json::array({"Organisation"});
  router.Get("/api/v1/roles", kRead,
             Doc({{"summary", "The roles and the permissions of each"},
                  {"tags", organisation},
                  {"operationId", "list_roles"},
                  {"responses", Merge({{"200", JsonResponse("roles, most powerful "
                                                            "first",
                                                            DataOf("Role"))}},
                                      ErrorResponses({401, 403}))}}),
             [](Request& r) {
               json data = json::array();
               for (const auto& role : domain::AllRoles()) {
                 json permissions = json::array();
                 for (const auto& p : domain::AllPermissions()) {
                   if (domain::Can(role.role, p.permission)) permissions.push_back(p.name);
                 }
                 data.push_back({{"name", role.name},
                                 {"label", role.label},
                                 {"summary", role.summary},
                                 {"needs_expiry", role.needs_expiry},
                                 {"permissions", permissions}});
               }
               WriteJson(r.res, 200, json{{"data", data}});
             });

  router.Get(
      "/api/v1/organisation", kRead,
      Doc({{"summary", "The organisation acted for"},
           {"tags", organisation},
           {"operationId", "get_organisation"},
           {"responses", Merge({{"200", JsonResponse("the organisation", Ref("Organisation"))}},
                               ErrorResponses({401, 403}))}}),
      [](Request& r) {
        auto org = r.services.members.Organisation(r.principal);
        if (!org.ok()) return WriteJsonError(r.res, org.status());
        WriteJson(r.res, 200, OrganisationJson(*org));
      });
  router.Patch(
      "/api/v1/organisation", Guard::Needs(Permission::kManageSettings),
      Doc({{"summary", "Choose the roles that must use a second factor"},
           {"tags", organisation},
           {"operationId", "update_organisation"},
           {"requestBody", JsonBody(Ref("OrganisationChange"))},
           {"responses", Merge({{"200", JsonResponse("the organisation", Ref("Organisation"))}},
                               ErrorResponses({400, 401, 403}))}}),
      [](Request& r) {
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        const auto it = body->find("second_factor_roles");
        if (it == body->end() || !it->is_array()) {
          return WriteJsonError(r.res,
                                InvalidArgument("second_factor_roles must be a list of role names",
                                                "second_factor_roles"));
        }
        std::vector<domain::Role> roles;
        for (const auto& v : *it) {
          const auto role = v.is_string() ? domain::ParseRole(v.get<std::string>()) : std::nullopt;
          if (!role) {
            return WriteJsonError(
                r.res, InvalidArgument("unknown role " + v.dump(), "second_factor_roles"));
          }
          roles.push_back(*role);
        }
        Status st = r.services.members.SetSecondFactorRoles(r.principal, roles);
        if (!st.ok()) return WriteJsonError(r.res, st);
        auto org = r.services.members.Organisation(r.principal);
        if (!org.ok()) return WriteJsonError(r.res, org.status());
        WriteJson(r.res, 200, OrganisationJson(*org));
      });
}

}  // namespace

void RegisterMemberApiRoutes(Router& router) {
  AddInvitationRoutes(router);
  AddOrganisationSettingsRoutes(router);
  AddMemberRoutes(router);
  AddMemberCredentialRoutes(router);
}

}  // namespace rampart::http
