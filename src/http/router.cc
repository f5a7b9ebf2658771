#include "http/router.h"

#include <re2/re2.h>
#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdlib>
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
  return http.HasParam(name) ? http.Param(name) : std::string();
}

int64_t Request::PathId(size_t match_index) const {
  int64_t id = 0;
  if (match_index >= http.matches.size()) return 0;
  const std::string& s = http.matches[match_index];
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

std::optional<std::string> BearerToken(const HttpRequest& req) {
  const std::string auth = req.Header("Authorization");
  if (auth.rfind("Bearer ", 0) != 0) return std::nullopt;
  return std::string(Trim(std::string_view(auth).substr(7)));
}

std::string CookieValue(const HttpRequest& req, const std::string& name) {
  const std::string header = req.Header("Cookie");
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

std::string ClientAddress(const HttpRequest& req, bool trust_proxy) {
  if (trust_proxy) {
    // The proxy appends the address it saw; earlier entries come from the client and may lie.
    const std::string forwarded = req.Header("X-Forwarded-For");
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

// A route pattern has at most this many groups (the route table's have at most three).
constexpr int kMaxRouteGroups = 8;

void Deny(Surface s, HttpResponse& res, const Status& st) {
  if (s == Surface::kApi) {
    WriteJsonError(res, st);
    return;
  }
  WriteHtmlError(res, HttpStatusFor(st.code()), st);
}

// A state-changing request must come from this site: an Origin header, when sent, must name the
// host the request was sent to, and the browser must not flag it cross-site.
bool SameOrigin(const HttpRequest& req) {
  const std::string origin = req.Header("Origin");
  if (!origin.empty()) {
    const std::string host = req.Header("Host");
    if (origin != "http://" + host && origin != "https://" + host) return false;
  }
  const std::string site = req.Header("Sec-Fetch-Site");
  return site.empty() || site == "same-origin" || site == "none";
}

}  // namespace

RawHandler Router::Wrap(const std::string& pattern, Surface surface, Guard guard,
                        bool state_changing, Handler h) {
  auto wrapped = [this, pattern, surface, guard, state_changing, h](const HttpRequest& hreq,
                                                                    HttpResponse& res) {
    Request req{hreq, res, services_, {}, {}, {}, ClientAddress(hreq, options_.trust_proxy)};
    // A refusal is answered and becomes an audit event (rate-limited per address: anyone can
    // cause them).
    auto refuse = [&](const app::Principal* p, const Status& st) {
      // Only a denial is an access_denied event: a store that cannot be reached (503) refused
      // nobody, and its answer is logged instead.
      if (st.code() != Code::kUnauthenticated && st.code() != Code::kPermissionDenied) {
        spdlog::warn("refused {} {}: {}", hreq.method, hreq.path.substr(0, 200), st.message());
        Deny(surface, res, st);
        return;
      }
      // The refusal stands whether or not its record could be written; a failed write is an
      // error in the log, never silent.
      if (auto recorded = services_.auth.security_events().Denied(p, hreq.method, hreq.path, st,
                                                                  req.client_address);
          !recorded.ok()) {
        spdlog::error("could not write the audit event of a refused {} {}: {}", hreq.method,
                      hreq.path.substr(0, 200), recorded.status().message());
      }
      Deny(surface, res, st);
    };
    if (state_changing && !SameOrigin(hreq)) {
      refuse(nullptr, PermissionDenied("cross-site request refused"));
      return;
    }
    const std::string content_type = hreq.Header("Content-Type");
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
    Result<app::Principal> who = Unauthenticated("sign in first");
    if (const auto token = BearerToken(hreq)) {
      who = services_.auth.AuthenticateToken(*token);
    } else if (!hreq.Header("Authorization").empty()) {
      who = Unauthenticated("only Bearer tokens are accepted in Authorization");
    } else {
      req.session_token = CookieValue(hreq, CookieName());
      if (!req.session_token.empty()) who = services_.auth.AuthenticateSession(req.session_token);
    }
    if (!who.ok()) {
      if (who.status().code() != Code::kUnauthenticated) {
        refuse(nullptr, who.status());
      } else if (surface == Surface::kWeb && hreq.method == "GET") {
        res.SetRedirect("/signin?next=" + UrlEncode(hreq.path), 303);
      } else {
        if (surface == Surface::kApi) res.SetHeader("WWW-Authenticate", "Bearer");
        refuse(nullptr, who.status());
      }
      return;
    }
    req.principal = std::move(who).value();
    req.principal.address = req.client_address;  // recorded in the audit events it causes
    if (state_changing && req.principal.credential == app::Credential::kSession) {
      std::string token = hreq.Header("X-CSRF-Token");
      if (token.empty()) token = req.Form("_csrf");
      if (token.empty() || !ConstantTimeEquals(token, req.principal.csrf_token)) {
        refuse(&req.principal,
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
          res.SetRedirect("/", 303);
          return;
        }
        if (p.awaiting_second_factor) {
          res.SetRedirect("/signin/second-factor", 303);
          return;
        }
        if (p.must_change_password) {
          res.SetRedirect("/account/password", 303);
          return;
        }
        if (p.needs_second_factor) {
          res.SetRedirect("/account/second-factor", 303);
          return;
        }
      }
      refuse(&req.principal, allowed);
      return;
    }
    if (guard.export_limited) {
      const auto wait = exports_->Take(
          fmt::format("{}/{} {}", req.principal.user_id, req.principal.org_id, pattern),
          std::chrono::steady_clock::now());
      if (wait.count() > 0) {
        const auto seconds = (wait.count() + 999) / 1000;
        res.SetHeader("Retry-After", std::to_string(seconds));
        Deny(surface, res,
             Status(Code::kResourceExhausted,
                    fmt::format("too many exports, reports or imports in a short time; try "
                                "again in {} s",
                                seconds)));
        return;
      }
    }
    if (surface == Surface::kApi && hreq.method == "POST" && guard.access == Access::kPermission &&
        hreq.HasHeader(app::IdempotencyService::kHeader)) {
      CarryOutOnce(req, h);
      return;
    }
    h(req);
  };
  if (!options_.server_timing) {
    return [wrapped](HttpRequest& hreq, HttpResponse& res) { wrapped(hreq, res); };
  }
  // Server-Timing: the time spent in Rampart (authentication and handler), for measurements
  // without the client's and the network's share.
  return [wrapped](HttpRequest& hreq, HttpResponse& res) {
    const auto start = std::chrono::steady_clock::now();
    wrapped(hreq, res);
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    res.SetHeader("Server-Timing", fmt::format("app;dur={:.3f}", took.count()));
  };
}

void Router::CarryOutOnce(Request& req, const Handler& h) const {
  const HttpRequest& hreq = req.http;
  HttpResponse& res = req.res;
  const app::IdempotencyService& once = services_.idempotency;
  const std::string key = hreq.Header(app::IdempotencyService::kHeader);
  const std::string hash = app::IdempotencyService::RequestHash(
      req.principal, hreq.method, hreq.target, hreq.Header("Content-Type"), hreq.body);
  auto prior = once.Find(req.principal, key, hash);
  if (!prior.ok()) return WriteJsonError(res, prior.status());
  if (prior->has_value()) return Replay(req, **prior);
  app::IdempotencyClaim claim = once.Claim(req.principal, key, hash);
  {
    const app::IdempotencyScope scope(claim);
    h(req);
  }
  if (!claim.kept || res.status < 200 || res.status > 299) return;
  app::IdempotentRequest answer;
  answer.status = res.status;
  answer.location = res.Header("Location");
  if (!res.holds_credential && res.body.size() <= kMaxKeptAnswer) {
    answer.content_type = res.Header("Content-Type");
    answer.body = res.body;
  }
  // The record and its key are committed: an answer not kept only makes a replay read the record.
  if (Status st = once.KeepAnswer(claim, answer); !st.ok()) {
    spdlog::warn("could not keep the answer of {} {} for its Idempotency-Key: {}", hreq.method,
                 hreq.path.substr(0, 200), st.message());
  }
}

void Router::Replay(Request& req, const app::IdempotentRequest& prior) const {
  HttpResponse& res = req.res;
  const auto answered = [&] { res.SetHeader("Idempotent-Replayed", "true"); };
  if (prior.status != 0 && !prior.content_type.empty()) {
    res.status = prior.status;
    if (!prior.location.empty()) res.SetHeader("Location", prior.location);
    res.SetContent(prior.body, prior.content_type);
    return answered();
  }
  // The answer was lost (the commit's answer never reached the server) or not kept: the record the
  // request made, read as it is now, when the request's address has one for it.
  const std::string made = prior.record_id > 0
                               ? fmt::format(" (it made {} {})", prior.record_type, prior.record_id)
                               : "";
  if (prior.status == 0 && prior.record_id > 0) {
    HttpRequest get;
    get.method = "GET";
    get.path = req.http.path + "/" + std::to_string(prior.record_id);
    get.target = get.path;
    get.headers = req.http.headers;
    get.remote_addr = req.http.remote_addr;
    HttpResponse got;
    if (Dispatch(get, got) && got.status == 200) {
      res.status = 201;
      for (const auto& [name, value] : got.headers) res.SetHeader(name, value);
      res.SetHeader("Location", get.path);
      res.body = std::move(got.body);
      return answered();
    }
  }
  WriteJsonError(
      res, FailedPrecondition(fmt::format(
               "this request was already carried out with this Idempotency-Key{}; its answer was "
               "not kept{}",
               made,
               prior.status != 0 ? " because it held a credential shown only once or was over 1 MiB"
                                 : "")));
  answered();
}

size_t PatternGroups(const std::string& pattern) {
  size_t groups = 0;
  int depth = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;  // an escaped character, never a group
    } else if (pattern[i] == '(') {
      if (depth++ == 0) ++groups;
    } else if (pattern[i] == ')') {
      --depth;
    }
  }
  return groups;
}

void Router::Add(const std::string& method, const std::string& pattern, Surface s, Guard g,
                 ApiDoc doc, Handler h) {
  if (s == Surface::kApi) {
    // A programming error in the route table, found at start-up by every test.
    if (!doc.operation.is_object() || !doc.path_parameters.is_array()) {
      fmt::print(stderr, "API route {} {} has no documentation\n", method, pattern);
      std::abort();
    }
    if (doc.path_parameters.size() != PatternGroups(pattern)) {
      fmt::print(stderr, "API route {} {} documents {} path parameters for {} groups\n", method,
                 pattern, doc.path_parameters.size(), PatternGroups(pattern));
      std::abort();
    }
  }
  std::vector<std::string> names;
  for (const auto& p : doc.path_parameters) names.push_back(p.value("name", ""));
  std::string packed;
  if (s == Surface::kApi) {
    const auto bytes = nlohmann::json::to_msgpack(
        nlohmann::json{{"operation", std::move(doc.operation)},
                       {"path_parameters", std::move(doc.path_parameters)}});
    packed.assign(bytes.begin(), bytes.end());
  }
  routes_.push_back({method, pattern, s, g, {}});
  docs_.push_back(std::move(packed));
  AddEntry(method, pattern, Wrap(pattern, s, g, method != "GET", std::move(h)), names);
}

std::vector<RouteInfo> Router::DocumentedRoutes() const {
  std::vector<RouteInfo> out = routes_;
  for (size_t i = 0; i < out.size(); ++i) {
    if (docs_[i].empty()) continue;
    nlohmann::json doc = nlohmann::json::from_msgpack(docs_[i]);
    out[i].doc.operation = std::move(doc["operation"]);
    out[i].doc.path_parameters = std::move(doc["path_parameters"]);
  }
  return out;
}

void Router::Unguarded(const std::string& method, const std::string& pattern, RawHandler h) {
  AddEntry(method, pattern, std::move(h), {});
}

void Router::AddEntry(const std::string& method, const std::string& pattern, RawHandler h,
                      const std::vector<std::string>& names) {
  auto [it, added] = patterns_.try_emplace(pattern);
  Pattern& p = it->second;
  if (added) {
    const size_t literal = pattern.find_first_of("\\^$.|?*+()[]{}");
    p.prefix = pattern.substr(0, literal);
    if (literal != std::string::npos) {
      RE2::Options options;
      options.set_log_errors(false);
      auto re = std::make_shared<const RE2>(pattern, options);
      // A programming error in the route table, found at start-up by every test.
      if (!re->ok() || re->NumberOfCapturingGroups() > kMaxRouteGroups) {
        fmt::print(stderr, "route pattern {} is not a valid expression of at most {} groups: {}\n",
                   pattern, kMaxRouteGroups, re->error());
        std::abort();
      }
      p.expression = std::move(re);
    }
  }
  table_.push_back({method, &p, std::move(h), RouteTemplate(pattern, names)});
}

std::string RouteTemplate(const std::string& pattern, const std::vector<std::string>& names) {
  std::string out;
  size_t group = 0;
  int depth = 0;
  size_t opened = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      if (depth == 0 && i + 1 < pattern.size()) out += pattern[i + 1];
      ++i;
    } else if (c == '(') {
      if (depth++ == 0) opened = i;
    } else if (c == ')') {
      if (--depth == 0) {
        const std::string inner = pattern.substr(opened + 1, i - opened - 1);
        const std::string name = group < names.size() ? names[group]
                                 : inner == "\\d+"    ? "id"
                                                      : "param";
        out += "{" + name + "}";
        ++group;
      }
    } else if (depth == 0) {
      out += c;
    }
  }
  return out;
}

bool Router::Matches(const Pattern& p, HttpRequest& req) {
  if (req.path.compare(0, p.prefix.size(), p.prefix) != 0) return false;
  if (p.expression == nullptr) {
    if (req.path.size() != p.prefix.size()) return false;
    req.matches.assign(1, req.path);
    return true;
  }
  std::array<re2::StringPiece, kMaxRouteGroups + 1> groups;
  const int n = p.expression->NumberOfCapturingGroups() + 1;
  if (!p.expression->Match(req.path, 0, req.path.size(), RE2::ANCHOR_BOTH, groups.data(), n)) {
    return false;
  }
  req.matches.clear();
  for (int i = 0; i < n; ++i) {
    req.matches.push_back(groups[i].empty() ? std::string()
                                            : std::string(groups[i].data(), groups[i].size()));
  }
  return true;
}

bool Router::Dispatch(HttpRequest& req, HttpResponse& res) const {
  for (const auto& e : table_) {
    if (e.method != req.method || !Matches(*e.pattern, req)) continue;
    req.route = e.route;
    e.handler(req, res);
    return true;
  }
  // No route of this method: a known pattern answers which methods it has.
  static constexpr std::array<std::string_view, 5> kAnswered = {"GET", "POST", "PUT", "PATCH",
                                                                "DELETE"};
  if (std::find(kAnswered.begin(), kAnswered.end(), req.method) == kAnswered.end()) return false;
  for (const auto& [text, p] : patterns_) {
    if (!p.answers_other_methods || !Matches(p, req)) continue;
    req.route = p.route;
    res.SetHeader("Allow", p.allow);
    Deny(p.surface, res,
         Status(
             Code::kInvalidArgument,
             fmt::format("{} is not allowed here; this address accepts {}", req.method, p.allow)));
    res.status = 405;
    return true;
  }
  return false;
}

void Router::Get(const std::string& p, Surface s, Guard g, Handler h) {
  Add("GET", p, s, g, {}, std::move(h));
}
void Router::Post(const std::string& p, Surface s, Guard g, Handler h) {
  Add("POST", p, s, g, {}, std::move(h));
}
void Router::Put(const std::string& p, Surface s, Guard g, Handler h) {
  Add("PUT", p, s, g, {}, std::move(h));
}
void Router::Patch(const std::string& p, Surface s, Guard g, Handler h) {
  Add("PATCH", p, s, g, {}, std::move(h));
}
void Router::Delete(const std::string& p, Surface s, Guard g, Handler h) {
  Add("DELETE", p, s, g, {}, std::move(h));
}
void Router::Get(const std::string& p, Guard g, ApiDoc doc, Handler h) {
  Add("GET", p, Surface::kApi, g, std::move(doc), std::move(h));
}
void Router::Post(const std::string& p, Guard g, ApiDoc doc, Handler h) {
  Add("POST", p, Surface::kApi, g, std::move(doc), std::move(h));
}
void Router::Put(const std::string& p, Guard g, ApiDoc doc, Handler h) {
  Add("PUT", p, Surface::kApi, g, std::move(doc), std::move(h));
}
void Router::Patch(const std::string& p, Guard g, ApiDoc doc, Handler h) {
  Add("PATCH", p, Surface::kApi, g, std::move(doc), std::move(h));
}
void Router::Delete(const std::string& p, Guard g, ApiDoc doc, Handler h) {
  Add("DELETE", p, Surface::kApi, g, std::move(doc), std::move(h));
}

void Router::AnswerOtherMethods() {
  std::map<std::string, std::set<std::string>> methods;
  for (const auto& r : routes_) {
    methods[r.pattern].insert(r.method);
    patterns_.at(r.pattern).surface = r.surface;
  }
  for (const auto& [pattern, of_pattern] : methods) {
    Pattern& p = patterns_.at(pattern);
    p.allow.clear();
    for (const auto& m : of_pattern) p.allow += (p.allow.empty() ? "" : ", ") + m;
    p.route = RouteTemplate(pattern);
    p.answers_other_methods = true;
  }
}

}  // namespace rampart::http
