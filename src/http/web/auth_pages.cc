// Sign-in (with its second step when a second factor is set up), sign-out, the password change
// (required after a one-time password) and re-authentication (/account/confirm: the password,
// and a code when a second factor is set up, entered again before creating API tokens or
// enrolling a second factor).
#include "base/text.h"
#include "http/errors.h"
#include "http/web/web.h"

namespace rampart::http {

namespace {

// Only local paths are followed after sign-in, never another site (IsSafeLocalPath).
std::string SafeNext(const std::string& next) {
  if (!IsSafeLocalPath(next) || next.rfind("/signin", 0) == 0) return "/";
  return next;
}

}  // namespace

void RenderAuthPage(Request& r, const std::string& title, const SafeHtml& body, int status) {
  Html h;
  h.Raw(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
  h.Element("title", {}, title + " · Rampart");
  h.Raw(
      "<link rel=\"stylesheet\" href=\"/static/app.css\">"
      "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
      "<script src=\"/static/app.js\" defer></script></head><body class=\"auth-body\">");
  h.Open("main", {{"class", "auth-card"}, {"id", "main"}});
  h.Raw(
      "<div class=\"auth-brand\"><svg class=\"logo\" viewBox=\"0 0 32 32\" aria-hidden=\"true\">"
      "<path d=\"M4 26V9l4-3 4 3V6l4-3 4 3v3l4-3 4 3v17z\" fill=\"currentColor\"/>"
      "<path d=\"M13 26v-6a3 3 0 0 1 6 0v6z\" fill=\"var(--brand-ink)\"/></svg>"
      "<span>Rampart</span></div>");
  h.Element("h1", {}, title);
  h.Append(body);
  h.Close("main");
  h.Element("p", {{"class", "auth-foot"}},
            "Information security management for ISO/IEC 27001:2022");
  h.Raw("</body></html>");
  r.res.status = status;
  r.res.SetContent(h.Take().Release(), "text/html; charset=utf-8");
}

namespace {

void SignInForm(Request& r, const std::string& username, const std::string& error, int status) {
  Html h;
  if (!error.empty()) {
    h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}}).Text(error).Close("div");
  }
  h.Open("form", {{"method", "post"}, {"action", "/signin"}, {"class", "stack"}});
  h.Void("input",
         {{"type", "hidden"},
          {"name", "next"},
          {"value", SafeNext(r.Query("next").empty() ? r.Form("next") : r.Query("next"))}});
  h.Open("div", {{"class", "form-field"}});
  h.Element("label", {{"for", "username"}}, "User name");
  h.Void("input", {{"type", "text"},
                   {"id", "username"},
                   {"name", "username"},
                   {"value", username},
                   {"autocomplete", "username"},
                   Attr::Flag("required"),
                   Attr::Flag("autofocus"),
                   {"autocapitalize", "none"},
                   {"spellcheck", "false"}});
  h.Close("div");
  h.Open("div", {{"class", "form-field"}});
  h.Element("label", {{"for", "password"}}, "Password");
  h.Void("input", {{"type", "password"},
                   {"id", "password"},
                   {"name", "password"},
                   {"autocomplete", "current-password"},
                   Attr::Flag("required")});
  h.Close("div");
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary button-block"}},
            "Sign in");
  h.Close("form");
  RenderAuthPage(r, "Sign in", h.Take(), status);
}

// The second step of signing in: a code from the authenticator app or a recovery code.
void SecondFactorForm(Request& r, const std::string& error, int status) {
  Html h;
  h.Element("p", {{"class", "lede"}},
            "Enter the 6-digit code from your authenticator app, or one of your recovery codes.");
  if (!error.empty()) {
    h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}}).Text(error).Close("div");
  }
  OpenPostForm(h, r, "/signin/second-factor", "stack");
  h.Void("input",
         {{"type", "hidden"},
          {"name", "next"},
          {"value", SafeNext(r.Query("next").empty() ? r.Form("next") : r.Query("next"))}});
  h.Open("div", {{"class", "form-field"}});
  h.Element("label", {{"for", "code"}}, "Authentication code");
  h.Void("input", {{"type", "text"},
                   {"id", "code"},
                   {"name", "code"},
                   {"autocomplete", "one-time-code"},
                   {"inputmode", "numeric"},
                   {"maxlength", "20"},
                   Attr::Flag("required"),
                   Attr::Flag("autofocus"),
                   {"autocapitalize", "none"},
                   {"spellcheck", "false"}});
  h.Close("div");
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary button-block"}},
            "Verify");
  h.Close("form");
  ButtonForm(h, r, "/signout",
             {.label = "Cancel", .cls = "button button-ghost button-block", .form_class = "stack"});
  RenderAuthPage(r, "Two-step verification", h.Take(), status);
}

// The password change: a step of its own after a one-time password, otherwise a page of the
// account.
void PasswordForm(Request& r, const Status& error, int status) {
  const bool forced = r.principal.must_change_password;
  Html h;
  if (forced) {
    h.Element("p", {{"class", "lede"}},
              "You signed in with a one-time password. Choose your own password to continue.");
  } else {
    AccountTabs(h, "/account/password");
  }
  // A refusal that names no field (a throttled or expired session) is shown above the form.
  if (!error.ok() && error.field() != "current_password" && error.field() != "new_password") {
    h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}})
        .Text(error.message())
        .Close("div");
  }
  OpenPostForm(h, r, "/account/password", forced ? "stack" : "card stack narrow-form");
  if (!forced) {
    h.Element("p", {{"class", "muted"}},
              "Changing your password signs you out everywhere else and revokes your API tokens, "
              "unless you keep them below.");
  }
  Input(h,
        {.name = "current_password",
         .label = "Current password",
         .type = "password",
         .autocomplete = "current-password",
         .required = true,
         .autofocus = forced},
        error);
  Input(h,
        {.name = "new_password",
         .label = "New password",
         .type = "password",
         .help = "8 to 128 characters, not one of the most common passwords. A passphrase "
                 "works well.",
         .autocomplete = "new-password",
         .required = true},
        error);
  if (!forced) {
    h.Open("div", {{"class", "form-field form-field-check"}});
    h.Open("label", {{"class", "check"}});
    h.Void("input", {{"type", "checkbox"},
                     {"id", "keep_tokens"},
                     {"name", "keep_tokens"},
                     {"value", "true"},
                     {"aria-describedby", "keep_tokens-help"}});
    h.Element("span", {}, "Keep my API tokens working");
    h.Close("label");
    h.Element("p", {{"class", "help"}, {"id", "keep_tokens-help"}},
              "Only if you are sure nobody else has your tokens: they were made with the old "
              "password.");
    h.Close("div");
  }
  h.Element("button",
            {{"type", "submit"},
             {"class", forced ? "button button-primary button-block" : "button button-primary"}},
            "Change password");
  h.Close("form");
  if (forced) {
    RenderAuthPage(r, "Change your password", h.Take(), status);
    return;
  }
  RenderPage(r,
             {.title = "Password",
              .nav = "account",
              .crumbs = {{"Account", "/account"}, {"Password", ""}},
              .subtitle = r.principal.display_name + " · " + r.principal.username},
             h.Take(), status);
}

// Re-authentication: the password (and a code) again, then back to `next`.
void ConfirmForm(Request& r, const Status& error, int status) {
  Html h;
  h.Element("p", {{"class", "lede"}},
            r.principal.second_factor
                ? "Enter your password and a code from your authenticator app to continue."
                : "Enter your password to continue.");
  if (!error.ok() && error.field() != "password" && error.field() != "code") {
    h.Open("div", {{"class", "alert alert-error"}, {"role", "alert"}})
        .Text(error.message())
        .Close("div");
  }
  OpenPostForm(h, r, "/account/confirm", "stack");
  h.Void("input",
         {{"type", "hidden"},
          {"name", "next"},
          {"value", SafeNext(r.Query("next").empty() ? r.Form("next") : r.Query("next"))}});
  Input(h,
        {.name = "password",
         .label = "Password",
         .type = "password",
         .autocomplete = "current-password",
         .required = true,
         .autofocus = true},
        error);
  if (r.principal.second_factor) {
    Input(h,
          {.name = "code",
           .label = "Authentication code",
           .autocomplete = "one-time-code",
           .inputmode = "numeric",
           .maxlength = "20",
           .required = true},
          error);
  }
  h.Element("button", {{"type", "submit"}, {"class", "button button-primary button-block"}},
            "Confirm");
  h.Close("form");
  RenderAuthPage(r, "Confirm it is you", h.Take(), status);
}

}  // namespace

void AddAuthPages(Router& router) {
  Router* rt = &router;
  router.Get("/signin", Surface::kWeb, Guard::Public(),
             [](Request& r) { SignInForm(r, "", "", 200); });
  router.Post("/signin", Surface::kWeb, Guard::Public(), [rt](Request& r) {
    app::SignInRequest in{.username = std::string(Trim(r.Form("username"))),
                          .password = r.Form("password"),
                          .address = r.client_address,
                          .user_agent = r.http.Header("User-Agent"),
                          .allow_second_step = true};
    auto result = r.services.auth.SignIn(in);
    if (!result.ok()) {
      if (result.status().code() == Code::kResourceExhausted) {
        r.res.SetHeader("Retry-After",
                        std::to_string(r.services.auth.ThrottledFor(in.username, in.address)));
      }
      return SignInForm(r, in.username, result.status().message(),
                        HttpStatusFor(result.status().code()));
    }
    r.res.SetHeader("Set-Cookie", rt->SessionCookie(result->session_token));
    const std::string next = SafeNext(r.Form("next"));
    if (result->principal.awaiting_second_factor) {
      return r.res.SetRedirect("/signin/second-factor?next=" + UrlEncode(next), 303);
    }
    r.res.SetRedirect(result->principal.must_change_password ? "/account/password" : next, 303);
  });
  router.Get("/signin/second-factor", Surface::kWeb, Guard::SecondFactorStep(),
             [](Request& r) { SecondFactorForm(r, "", 200); });
  router.Post("/signin/second-factor", Surface::kWeb, Guard::SecondFactorStep(), [rt](Request& r) {
    auto result = r.services.auth.CompleteSecondFactor(r.principal, r.session_token, r.Form("code"),
                                                       r.client_address);
    if (!result.ok()) {
      if (result.status().code() == Code::kResourceExhausted) {
        r.res.SetHeader("Retry-After", std::to_string(r.services.auth.ThrottledFor(
                                           r.principal.username, r.client_address)));
      }
      return SecondFactorForm(r, result.status().message(), HttpStatusFor(result.status().code()));
    }
    r.res.SetHeader("Set-Cookie", rt->SessionCookie(result->session_token));
    r.res.SetRedirect(
        result->principal.must_change_password ? "/account/password" : SafeNext(r.Form("next")),
        303);
  });
  router.Post("/signout", Surface::kWeb, Guard::AnySignedIn(), [rt](Request& r) {
    (void)r.services.auth.SignOut(r.principal, r.session_token);
    r.res.SetHeader("Set-Cookie", rt->ClearSessionCookie());
    r.res.SetRedirect("/signin", 303);
  });
  router.Get("/account/password", Surface::kWeb, Guard::AccountSetup(),
             [](Request& r) { PasswordForm(r, Status::Ok(), 200); });
  router.Post("/account/password", Surface::kWeb, Guard::AccountSetup(), [](Request& r) {
    Status st = r.services.auth.ChangePassword(
        r.principal, r.session_token, r.Form("current_password"), r.Form("new_password"),
        r.client_address,
        r.Form("keep_tokens") == "true" ? app::ApiTokensOnPasswordChange::kKeep
                                        : app::ApiTokensOnPasswordChange::kRevoke);
    if (!st.ok()) {
      if (st.code() == Code::kResourceExhausted) {
        r.res.SetHeader("Retry-After", std::to_string(r.services.auth.ThrottledFor(
                                           r.principal.username, r.client_address)));
      }
      return PasswordForm(r, st, HttpStatusFor(st.code()));
    }
    r.res.SetRedirect(
        r.principal.must_change_password ? "/?notice=password" : "/account?notice=password", 303);
  });
  router.Get("/account/confirm", Surface::kWeb, Guard::AccountSetup(),
             [](Request& r) { ConfirmForm(r, Status::Ok(), 200); });
  router.Post("/account/confirm", Surface::kWeb, Guard::AccountSetup(), [](Request& r) {
    Status st = r.services.auth.Reauthenticate(r.principal, r.session_token, r.Form("password"),
                                               r.Form("code"), r.client_address);
    if (!st.ok()) {
      if (st.code() == Code::kResourceExhausted) {
        r.res.SetHeader("Retry-After", std::to_string(r.services.auth.ThrottledFor(
                                           r.principal.username, r.client_address)));
      }
      return ConfirmForm(r, st, HttpStatusFor(st.code()));
    }
    r.res.SetRedirect(SafeNext(r.Form("next")), 303);
  });
}

}  // namespace rampart::http
