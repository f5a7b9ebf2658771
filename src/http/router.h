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
//
// Every API route is also registered with its documentation (ApiDoc), from which the OpenAPI
// document is assembled (http/api/openapi.cc): an API route without it cannot be added.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/rate_limit.h"
#include "http/message.h"

#include "app/services.h"

namespace re2 {
class RE2;
}

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
  // An export: costly to make, so each caller may make a few of each at once and then one every
  // few seconds (429 with Retry-After beyond; Router::kExportBurst, kExportInterval).
  bool export_limited = false;

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
inline const Guard kExport = {Access::kPermission, domain::Permission::kReadRecords, true};

// What a principal's access allows on a route with this guard (ignoring CSRF and origin).
// kOk, or the kUnauthenticated/kPermissionDenied status the route answers.
Status Authorise(const Guard& guard, const app::Principal& p, bool state_changing);

// The OpenAPI documentation of an API route, stated where the route is registered: its Operation
// Object (summary, description, tags, operationId, parameters, requestBody, responses) without
// who may call it, which the document takes from the route's guard; and, in order, a Parameter
// Object (`in: path`) for each group of the route's pattern, whose name stands for the group in
// the documented path (`/api/v1/users/(\d+)` with one named "id": `/api/v1/users/{id}`).
struct ApiDoc {
  nlohmann::json operation;
  nlohmann::json path_parameters = nlohmann::json::array();
};

// A registered route, for the role matrix test and the documentation.
struct RouteInfo {
  std::string method;
  std::string pattern;
  Surface surface;
  Guard guard;
  ApiDoc doc;  // of an API route (Router::DocumentedRoutes); empty for the pages
};

inline constexpr const char* kSessionCookie = "rampart_session";
// A create sent again with the same app::IdempotencyService::kHeader (API POSTs of ISMS records;
// see Router::CarryOutOnce) gets its first answer; answers bigger than this are not kept whole.
inline constexpr size_t kMaxKeptAnswer = size_t{1} << 20;
// Under TLS the cookie is host-only and Secure by name (RFC 6265bis `__Host-` prefix).
inline constexpr const char* kSecureSessionCookie = "__Host-rampart_session";

// One request as a handler sees it.
struct Request {
  const HttpRequest& http;
  HttpResponse& res;
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
// A handler outside the access model: static files and the health check.
using RawHandler = std::function<void(HttpRequest&, HttpResponse&)>;

struct RouterOptions {
  bool secure_cookies = false;  // set under TLS
  bool trust_proxy = false;     // take the client's address from X-Forwarded-For
  // Server-Timing on every answer (the time spent in Rampart), for the benchmarks; off by default
  // so that timings do not leak to every client.
  bool server_timing = false;
};

// The client's address (see Request::client_address).
std::string ClientAddress(const HttpRequest& req, bool trust_proxy);

class Router {
 public:
  Router(app::Services& services, RouterOptions options = {})
      : services_(services), options_(options) {}

  // A page (Surface::kWeb). Surface::kApi here aborts: an API route needs its documentation.
  void Get(const std::string& pattern, Surface s, Guard g, Handler h);
  void Post(const std::string& pattern, Surface s, Guard g, Handler h);
  void Put(const std::string& pattern, Surface s, Guard g, Handler h);
  void Patch(const std::string& pattern, Surface s, Guard g, Handler h);
  void Delete(const std::string& pattern, Surface s, Guard g, Handler h);
  // An API route (Surface::kApi) with its documentation. Aborts when the documentation has no
  // operation or names a different number of path parameters than the pattern has groups: the
  // route table is fixed at start-up, so a mistake stops every test.
  void Get(const std::string& pattern, Guard g, ApiDoc doc, Handler h);
  void Post(const std::string& pattern, Guard g, ApiDoc doc, Handler h);
  void Put(const std::string& pattern, Guard g, ApiDoc doc, Handler h);
  void Patch(const std::string& pattern, Guard g, ApiDoc doc, Handler h);
  void Delete(const std::string& pattern, Guard g, ApiDoc doc, Handler h);
  // A route without authentication, CSRF or timing (static files, /healthz); not in routes().
  void Unguarded(const std::string& method, const std::string& pattern, RawHandler h);
  // After every route: a known pattern asked with another method answers 405 with `Allow`.
  void AnswerOtherMethods();

  // Runs the first route (in the order added) whose method and pattern match the request's,
  // with req.matches set to the pattern's groups; after AnswerOtherMethods, a GET, POST, PUT,
  // PATCH or DELETE of a known pattern without that method is answered 405. False when none
  // matches.
  bool Dispatch(HttpRequest& req, HttpResponse& res) const;

  // The routes in the order added, without their documentation (kept packed: the trees of every
  // route's documentation were a quarter of the idle server's heap).
  const std::vector<RouteInfo>& routes() const { return routes_; }
  // The same with each API route's documentation, unpacked (the OpenAPI document, the tests).
  std::vector<RouteInfo> DocumentedRoutes() const;

  // Exports per caller: this many at once, then one more per interval.
  static constexpr int kExportBurst = 10;
  static constexpr std::chrono::seconds kExportInterval{6};

  // The session cookie's name, Set-Cookie for a new session, and for clearing it.
  std::string CookieName() const;
  std::string SessionCookie(const std::string& token) const;
  std::string ClearSessionCookie() const;

 private:
  // A pattern, shared by the routes of its methods, and its 405 answer.
  struct Pattern {
    std::string prefix;  // the literal start: a cheap test before the expression
    // Compiled once; null for a pattern that is all literal (the path must equal it).
    std::shared_ptr<const re2::RE2> expression;
    bool answers_other_methods = false;  // set by AnswerOtherMethods for the routes' patterns
    Surface surface = Surface::kWeb;
    std::string allow;  // "GET, POST": the methods of its routes
    std::string route;  // RouteTemplate without names, for the 405 answer
  };
  struct Entry {
    std::string method;
    const Pattern* pattern;  // in patterns_, whose nodes stay where they are
    RawHandler handler;
    std::string route;  // RouteTemplate of the pattern with this route's names
  };
  void AddEntry(const std::string& method, const std::string& pattern, RawHandler h,
                const std::vector<std::string>& names);
  // True when `p` matches req.path, with req.matches set to its groups (group 0 the path).
  static bool Matches(const Pattern& p, HttpRequest& req);

  RawHandler Wrap(const std::string& pattern, Surface s, Guard g, bool state_changing, Handler h);
  // A create sent with an Idempotency-Key (app/idempotency_service.h): answered as the first
  // request with the key was, or carried out with the key claimed and its answer kept.
  void CarryOutOnce(Request& req, const Handler& h) const;
  void Replay(Request& req, const app::IdempotentRequest& prior) const;
  void Add(const std::string& method, const std::string& pattern, Surface s, Guard g, ApiDoc doc,
           Handler h);

  app::Services& services_;
  RouterOptions options_;
  std::vector<RouteInfo> routes_;  // without documentation: docs_ holds it
  std::vector<std::string> docs_;  // per route, its ApiDoc as MessagePack; empty for pages
  std::vector<Entry> table_;
  std::map<std::string, Pattern> patterns_;  // by pattern text
  std::unique_ptr<RateLimiter> exports_ =
      std::make_unique<RateLimiter>(kExportBurst, kExportInterval);
};

// A route pattern as a template, for documentation and metrics: each group replaced by "{name}",
// with `names` in order (an API route's path parameters) and beyond them "{id}" for a number and
// "{param}" for anything else; escaped characters unescaped. `/api/v1/users/(\d+)` with "id":
// `/api/v1/users/{id}`.
std::string RouteTemplate(const std::string& pattern, const std::vector<std::string>& names = {});

// How many groups a route pattern has (not counting groups within groups): the path parameters
// its documentation names.
size_t PatternGroups(const std::string& pattern);

// The value of cookie `name` in the request, or empty.
std::string CookieValue(const HttpRequest& req, const std::string& name);
// The token of an `Authorization: Bearer <token>` header, trimmed; nullopt without such a header
// (none, or another scheme).
std::optional<std::string> BearerToken(const HttpRequest& req);

}  // namespace rampart::http
