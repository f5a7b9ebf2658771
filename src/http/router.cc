#include "http/router.h"

#include <fmt/format.h>
#include <charconv>
#include <chrono>
#include <map>
#include <set>

#include "app/access_control.h"
#include "base/crypto.h"
#include "base/text.h"
#include "http/errors.h"

namespace rampart::http {

std::string Request::Form(const std::string& name) const {
  auto it = form.find(name);
  return it == form.end() ? std::string() : it->second;
}

std::string Request::Query(const std::string& name) const {
  return http.has_param(name) ? http.get_param_value(name) : std::string();
}

int64_t Request::PathId(size_t match_index) const {
  int64_t id = 0;
  if (match_index >= http.matches.size()) return 0;
  const std::string s = http.matches[match_index];
  std::from_chars(s.data(), s.data() + s.size(), id);
  return id;
}

std::optional<int64_t> Request::FormVersion() const {
  const std::string v = Form("version");
  int64_t n = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
  return n;
}

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  const std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    const std::string_view part = Trim(std::string_view(header).substr(pos, end - pos));
    const size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      return std::string(part.substr(eq + 1));
    }
    pos = end + 1;
  }
  return {};
}

std::string ClientAddress(const httplib::Request& req, bool trust_proxy) {
  if (trust_proxy) {
    // The proxy appends the address it saw; earlier entries come from the client and may lie.
    const std::string forwarded = req.get_header_value("X-Forwarded-For");
    const std::string_view last = Trim(std::string_view(forwarded).substr(
        forwarded.rfind(',') == std::string::npos ? 0 : forwarded.rfind(',') + 1));
    if (!last.empty() && last.size() <= 64) return std::string(last);
  }
  return req.remote_addr;
}

std::string Router::CookieName() const {
  return options_.secure_cookies ? kSecureSessionCookie : kSessionCookie;
}

std::string Router::SessionCookie(const std::string& token) const {
  return CookieName() + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" +
         (options_.secure_cookies ? "; Secure" : "");
}

std::string Router::ClearSessionCookie() const {
  return CookieName() + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
         (options_.secure_cookies ? "; Secure" : "");
}

Status Authorise(const Guard& guard, const app::Principal& p, bool state_changing) {
  if (guard.access == Access::kPublic) return Status::Ok();
  if (p.read_only && state_changing) {
    return PermissionDenied("this API token is read-only");
  }
  if (guard.access == Access::kAnySignedIn) return Status::Ok();
  if (p.awaiting_second_factor) {
    if (guard.access == Access::kSecondFactorStep) return Status::Ok();
    return Unauthenticated("enter the code from your authenticator app to finish signing in");
  }
  if (guard.access == Access::kSecondFactorStep) {
    return FailedPrecondition("you are signed in already");
  }
  if (guard.access == Access::kAccountSetup) return Status::Ok();
  if (p.must_change_password) {
    return PermissionDenied("change your one-time password first (POST /api/v1/auth/password)");
  }
  if (p.needs_second_factor) {
    return PermissionDenied(
        "your organisation requires a second factor for your role: set it up first "
        "(/account/second-factor)");
  }
  if (guard.access == Access::kAccount) return Status::Ok();
  return app::Require(p, guard.permission);
}

namespace {

void Deny(Surface s, httplib::Response& res, const Status& st) {
  if (s == Surface::kApi) {
    WriteJsonError(res, st);
    return;
  }
  WriteHtmlError(res, HttpStatusFor(st.code()), st);
}

// A state-changing request must come from this site: an Origin header, when sent, must name the
// host the request was sent to, and the browser must not flag it cross-site.
bool SameOrigin(const httplib::Request& req) {
  const std::string origin = req.get_header_value("Origin");
  if (!origin.empty()) {
    const std::string host = req.get_header_value("Host");
    if (origin != "http://" + host && origin != "https://" + host) return false;
  }
  const std::string site = req.get_header_value("Sec-Fetch-Site");
  return site.empty() || site == "same-origin" || site == "none";
}

}  // namespace

httplib::Server::Handler Router::Wrap(Surface surface, Guard guard, bool state_changing,
                                      Handler h) {
  auto wrapped = [this, surface, guard, state_changing, h](const httplib::Request& hreq,
                                                           httplib::Response& res) {
    Request req{hreq, res, services_, {}, {}, {}, ClientAddress(hreq, options_.trust_proxy)};
    if (state_changing && !SameOrigin(hreq)) {
      Deny(surface, res, PermissionDenied("cross-site request refused"));
      return;
    }
    const std::string content_type = hreq.get_header_value("Content-Type");
    if (state_changing && content_type.rfind("application/x-www-form-urlencoded", 0) == 0) {
      for (auto& [k, v] : ParseFormEncoded(hreq.body)) req.form.emplace(std::move(k), std::move(v));
    } else if (state_changing && content_type.rfind("multipart/form-data", 0) == 0) {
      // The pages' forms (see OpenPostForm); parts with a file name are uploads, not fields.
      for (const auto& [name, part] : hreq.files) {
        if (part.filename.empty()) req.form.emplace(name, part.content);
      }
    }
    if (guard.access == Access::kPublic) {
      h(req);
      return;
    }
    const std::string auth = hreq.get_header_value("Authorization");
    Result<app::Principal> who = Unauthenticated("sign in first");
    if (auth.rfind("Bearer ", 0) == 0) {
      who = services_.auth.AuthenticateToken(std::string(Trim(auth.substr(7))));
    } else if (!auth.empty()) {
      who = Unauthenticated("only Bearer tokens are accepted in Authorization");
    } else {
      req.session_token = CookieValue(hreq, CookieName());
      if (!req.session_token.empty()) who = services_.auth.AuthenticateSession(req.session_token);
    }
    if (!who.ok()) {
      if (who.status().code() != Code::kUnauthenticated) {
        Deny(surface, res, who.status());
      } else if (surface == Surface::kWeb && hreq.method == "GET") {
        res.set_redirect("/signin?next=" + UrlEncode(hreq.path), 303);
      } else {
        if (surface == Surface::kApi) res.set_header("WWW-Authenticate", "Bearer");
        Deny(surface, res, who.status());
      }
      return;
    }
    req.principal = std::move(who).value();
    if (state_changing && req.principal.credential == app::Credential::kSession) {
      std::string token = hreq.get_header_value("X-CSRF-Token");
      if (token.empty()) token = req.Form("_csrf");
      if (token.empty() || !ConstantTimeEquals(token, req.principal.csrf_token)) {
        Deny(surface, res,
             PermissionDenied("the form has expired or did not come from Rampart (CSRF token "
                              "missing or wrong); reload the page and try again"));
        return;
      }
    }
    const Status allowed = Authorise(guard, req.principal, state_changing);
    if (!allowed.ok()) {
      const app::Principal& p = req.principal;
      if (surface == Surface::kWeb && hreq.method == "GET" &&
          guard.access != Access::kAccountSetup) {
        // Send the browser to the step that is missing.
        if (guard.access == Access::kSecondFactorStep && !p.awaiting_second_factor) {
          res.set_redirect("/", 303);
          return;
        }
        if (p.awaiting_second_factor) {
          res.set_redirect("/signin/second-factor", 303);
          return;
        }
        if (p.must_change_password) {
          res.set_redirect("/account/password", 303);
          return;
        }
        if (p.needs_second_factor) {
          res.set_redirect("/account/second-factor", 303);
          return;
        }
      }
      Deny(surface, res, allowed);
      return;
    }
    h(req);
  };
  // Server-Timing: the time spent in Rampart (authentication and handler), for measurements
  // without the client's and the network's share.
  return [wrapped](const httplib::Request& hreq, httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    wrapped(hreq, res);
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    res.set_header("Server-Timing", fmt::format("app;dur={:.3f}", took.count()));
  };
}

void Router::Add(const std::string& method, const std::string& pattern, Surface s, Guard g,
                 Handler h) {
  routes_.push_back({method, pattern, s, g});
  auto handler = Wrap(s, g, method != "GET", std::move(h));
  if (method == "GET") server_.Get(pattern, std::move(handler));
  if (method == "POST") server_.Post(pattern, std::move(handler));
  if (method == "PUT") server_.Put(pattern, std::move(handler));
  if (method == "PATCH") server_.Patch(pattern, std::move(handler));
  if (method == "DELETE") server_.Delete(pattern, std::move(handler));
}

void Router::Get(const std::string& p, Surface s, Guard g, Handler h) { Add("GET", p, s, g, h); }
void Router::Post(const std::string& p, Surface s, Guard g, Handler h) { Add("POST", p, s, g, h); }
void Router::Put(const std::string& p, Surface s, Guard g, Handler h) { Add("PUT", p, s, g, h); }
void Router::Patch(const std::string& p, Surface s, Guard g, Handler h) {
  Add("PATCH", p, s, g, h);
}
void Router::Delete(const std::string& p, Surface s, Guard g, Handler h) {
  Add("DELETE", p, s, g, h);
}

void Router::AnswerOtherMethods() {
  std::map<std::string, std::pair<Surface, std::set<std::string>>> methods;
  for (const auto& r : routes_) {
    auto& entry = methods[r.pattern];
    entry.first = r.surface;
    entry.second.insert(r.method);
  }
  for (const auto& [pattern, entry] : methods) {
    std::string allow;
    for (const auto& m : entry.second) allow += (allow.empty() ? "" : ", ") + m;
    const Surface surface = entry.first;
    auto answer = [allow, surface](const httplib::Request& req, httplib::Response& res) {
      res.set_header("Allow", allow);
      const Status st(
          Code::kInvalidArgument,
          fmt::format("{} is not allowed here; this address accepts {}", req.method, allow));
      Deny(surface, res, st);
      res.status = 405;
    };
    for (const char* m : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
      if (entry.second.count(m) != 0) continue;
      if (std::string(m) == "GET") server_.Get(pattern, answer);
      if (std::string(m) == "POST") server_.Post(pattern, answer);
      if (std::string(m) == "PUT") server_.Put(pattern, answer);
      if (std::string(m) == "PATCH") server_.Patch(pattern, answer);
      if (std::string(m) == "DELETE") server_.Delete(pattern, answer);
    }
  }
}

}  // namespace rampart::http
