// Routing with authentication, authorisation, CSRF and origin checks applied before any handler
// runs.
//
// Every route is registered with a Guard saying who may call it; there is no default, so a route
// cannot be added without deciding. Public routes (sign-in, static assets) need nobody; the
// second-factor step needs a session waiting for its code; account-setup routes (password
// change, second-factor enrolment, sign-out) need a signed-in user who may still have a one-time
// password or a missing second factor; account routes need a fully signed-in user; every other
// route needs a permission of the domain's table (domain/access.h), checked against the role of
// the caller's membership. A read-only API token passes only read permissions and no
// state-changing method. A signed-in route resolves the caller from `Authorization: Bearer` or
// the session cookie; a state-changing request must come from the same origin and, when made
// with a session cookie, carry the session's CSRF token (X-CSRF-Token header or `_csrf` form
// field). Failures answer 401/403 as JSON on the API and as a redirect or page on the web. A
// known path asked with a method it does not have answers 405 with `Allow`.
#pragma once

#include <httplib.h>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/services.h"

namespace rampart::http {

enum class Surface { kApi, kWeb };
enum class Access {
  kPublic,
  kAnySignedIn,  // any credential in any stage of signing in: sign-out, who am I
  kSecondFactorStep,
  kAccountSetup,
  kAccount,
  kPermission,
};

struct Guard {
  Access access = Access::kPermission;
  domain::Permission permission = domain::Permission::kManageSettings;  // with kPermission

  static Guard Public() { return {Access::kPublic}; }
  static Guard AnySignedIn() { return {Access::kAnySignedIn}; }
  static Guard SecondFactorStep() { return {Access::kSecondFactorStep}; }
  static Guard AccountSetup() { return {Access::kAccountSetup}; }
  static Guard Account() { return {Access::kAccount}; }
  static Guard Needs(domain::Permission p) { return {Access::kPermission, p}; }
};

// Changing a register's records: its write permission, where records:edit is reached by
// records:edit-own too when the register's records can name people (the use case then checks
// the record names the caller).
inline Guard WriteGuard(const domain::RegisterSpec& spec) {
  return Guard::Needs(spec.EditableByOwners() ? domain::Permission::kEditOwnRecords
                                              : spec.write_permission);
}
inline const Guard kRead = Guard::Needs(domain::Permission::kReadRecords);

// What a principal's access allows on a route with this guard (ignoring CSRF and origin).
// kOk, or the kUnauthenticated/kPermissionDenied status the route answers.
Status Authorise(const Guard& guard, const app::Principal& p, bool state_changing);

// A registered route, for the role matrix test and the documentation.
struct RouteInfo {
  std::string method;
  std::string pattern;
  Surface surface;
  Guard guard;
};

inline constexpr const char* kSessionCookie = "rampart_session";
// Under TLS the cookie is host-only and Secure by name (RFC 6265bis `__Host-` prefix).
inline constexpr const char* kSecureSessionCookie = "__Host-rampart_session";

// One request as a handler sees it.
struct Request {
  const httplib::Request& http;
  httplib::Response& res;
  app::Services& services;
  app::Principal principal;                      // empty for public routes
  std::string session_token;                     // the cookie value, when signed in with a session
  std::multimap<std::string, std::string> form;  // parsed url-encoded body (web POSTs)
  // The client's address: the connection's, or behind a trusted proxy the one it appended to
  // X-Forwarded-For. Sign-in throttling counts failures per address.
  std::string client_address;

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
  bool trust_proxy = false;     // take the client's address from X-Forwarded-For
};

// The client's address (see Request::client_address).
std::string ClientAddress(const httplib::Request& req, bool trust_proxy);

class Router {
 public:
  Router(httplib::Server& server, app::Services& services, RouterOptions options = {})
      : server_(server), services_(services), options_(options) {}

  void Get(const std::string& pattern, Surface s, Guard g, Handler h);
  void Post(const std::string& pattern, Surface s, Guard g, Handler h);
  void Put(const std::string& pattern, Surface s, Guard g, Handler h);
  void Patch(const std::string& pattern, Surface s, Guard g, Handler h);
  void Delete(const std::string& pattern, Surface s, Guard g, Handler h);
  // After every route: a known pattern asked with another method answers 405 with `Allow`.
  void AnswerOtherMethods();

  const std::vector<RouteInfo>& routes() const { return routes_; }

  // The session cookie's name, Set-Cookie for a new session, and for clearing it.
  std::string CookieName() const;
  std::string SessionCookie(const std::string& token) const;
  std::string ClearSessionCookie() const;

 private:
  httplib::Server::Handler Wrap(Surface s, Guard g, bool state_changing, Handler h);
  void Add(const std::string& method, const std::string& pattern, Surface s, Guard g, Handler h);

  httplib::Server& server_;
  app::Services& services_;
  RouterOptions options_;
  std::vector<RouteInfo> routes_;
};

// The value of cookie `name` in the request, or empty.
std::string CookieValue(const httplib::Request& req, const std::string& name);

}  // namespace rampart::http
