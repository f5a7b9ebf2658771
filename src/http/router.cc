#include "http/router.h"

#include <fmt/format.h>
#include <charconv>
#include <chrono>

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

std::string Router::SessionCookie(const std::string& token) const {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" +
         (options_.secure_cookies ? "; Secure" : "");
}

std::string Router::ClearSessionCookie() const {
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
         (options_.secure_cookies ? "; Secure" : "");
}

namespace {

void Deny(Surface s, httplib::Response& res, const Status& st) {
  if (s == Surface::kApi) {
    WriteJsonError(res, st);
    return;
  }
  res.status = HttpStatusFor(st.code());
  res.set_content("<!doctype html><title>Refused</title><p>" + HtmlEscape(st.message()) + "</p>",
                  "text/html; charset=utf-8");
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

httplib::Server::Handler Router::Wrap(Surface surface, Access access, bool state_changing,
                                      Handler h) {
  auto wrapped = [this, surface, access, state_changing, h](const httplib::Request& hreq,
                                                            httplib::Response& res) {
    Request req{hreq, res, services_, {}, {}, {}};
    if (state_changing && !SameOrigin(hreq)) {
      Deny(surface, res, PermissionDenied("cross-site request refused"));
      return;
    }
    if (state_changing &&
        hreq.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0) {
      for (auto& [k, v] : ParseFormEncoded(hreq.body)) req.form.emplace(std::move(k), std::move(v));
    }
    if (access == Access::kPublic) {
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
      req.session_token = CookieValue(hreq, kSessionCookie);
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
    if (req.principal.must_change_password && access != Access::kPendingPasswordChange) {
      if (surface == Surface::kWeb && hreq.method == "GET") {
        res.set_redirect("/account/password", 303);
      } else {
        Deny(surface, res,
             PermissionDenied("change your one-time password first (POST /api/v1/auth/password)"));
      }
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

void Router::Get(const std::string& p, Surface s, Access a, Handler h) {
  server_.Get(p, Wrap(s, a, false, std::move(h)));
}
void Router::Post(const std::string& p, Surface s, Access a, Handler h) {
  server_.Post(p, Wrap(s, a, true, std::move(h)));
}
void Router::Put(const std::string& p, Surface s, Access a, Handler h) {
  server_.Put(p, Wrap(s, a, true, std::move(h)));
}
void Router::Patch(const std::string& p, Surface s, Access a, Handler h) {
  server_.Patch(p, Wrap(s, a, true, std::move(h)));
}
void Router::Delete(const std::string& p, Surface s, Access a, Handler h) {
  server_.Delete(p, Wrap(s, a, true, std::move(h)));
}

}  // namespace rampart::http
