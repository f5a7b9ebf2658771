// Routing with authentication, CSRF and origin checks applied before any handler runs.
//
// Every route says who may call it: kPublic (sign-in, /healthz, static assets), kSignedIn, or
// kPendingPasswordChange (the few routes a user with a one-time password may use). A signed-in
// route resolves the caller from `Authorization: Bearer` or the session cookie; a state-changing
// request must come from the same origin and, when made with a session cookie, carry the
// session's CSRF token (X-CSRF-Token header or `_csrf` form field). Failures answer 401/403 as
// JSON on the API and as a redirect or page on the web.
#pragma once

#include <httplib.h>

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "app/services.h"

namespace rampart::http {

enum class Surface { kApi, kWeb };
enum class Access { kPublic, kSignedIn, kPendingPasswordChange };

inline constexpr const char* kSessionCookie = "rampart_session";

// One request as a handler sees it.
struct Request {
  const httplib::Request& http;
  httplib::Response& res;
  app::Services& services;
  app::Principal principal;                      // empty for public routes
  std::string session_token;                     // the cookie value, when signed in with a session
  std::multimap<std::string, std::string> form;  // parsed url-encoded body (web POSTs)

  // The first value of a form field or query parameter; empty when absent.
  std::string Form(const std::string& name) const;
  std::string Query(const std::string& name) const;
  int64_t PathId(size_t match_index = 1) const;
  // The record version a form was based on (its hidden `version` field); nullopt when absent
  // or not a number.
  std::optional<int64_t> FormVersion() const;
};

using Handler = std::function<void(Request&)>;

struct RouterOptions {
  bool secure_cookies = false;  // set under TLS
};

class Router {
 public:
  Router(httplib::Server& server, app::Services& services, RouterOptions options = {})
      : server_(server), services_(services), options_(options) {}

  void Get(const std::string& pattern, Surface s, Access a, Handler h);
  void Post(const std::string& pattern, Surface s, Access a, Handler h);
  void Put(const std::string& pattern, Surface s, Access a, Handler h);
  void Patch(const std::string& pattern, Surface s, Access a, Handler h);
  void Delete(const std::string& pattern, Surface s, Access a, Handler h);

  // Set-Cookie for a new session, and for clearing it.
  std::string SessionCookie(const std::string& token) const;
  std::string ClearSessionCookie() const;

 private:
  httplib::Server::Handler Wrap(Surface s, Access a, bool state_changing, Handler h);

  httplib::Server& server_;
  app::Services& services_;
  RouterOptions options_;
};

// The value of cookie `name` in the request, or empty.
std::string CookieValue(const httplib::Request& req, const std::string& name);

}  // namespace rampart::http
