// A real Rampart server on a free loopback port, over a fresh SQLite database, for API tests.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/services.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "base/text.h"
#include "domain/register.h"
#include "http/router.h"
#include "http/server.h"
#include "store/store.h"
#include "support/sample_record.h"

namespace rampart::testing {

using Json = nlohmann::json;
using test::RefsByType;
using test::SampleRecord;

// A signed-in browser-like client: session cookie plus CSRF token.
struct Session {
  std::string cookie;  // "rampart_session=..."
  std::string csrf;
};

inline bool HasWritableUserField(const domain::RegisterSpec& spec) {
  for (const auto& f : spec.fields) {
    if (f.type == domain::FieldType::kUser && !f.read_only) return true;
  }
  return false;
}

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    dir_ = std::filesystem::temp_directory_path() /
           ("rampart-api-" + std::to_string(::getpid()) + "-" + RandomToken(6));
    std::filesystem::create_directories(dir_);
    db_path_ = (dir_ / "rampart.db").string();
    auto store = store::OpenStore(db_path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->Migrate().ok());
    services_ = std::make_unique<app::Services>(*store_, clock_);
    auto init = services_->auth.Initialise("Acme Ltd");
    ASSERT_TRUE(init.ok()) << init.status().ToString();
    admin_otp_ = init->one_time_password;
    ASSERT_TRUE(services_->members
                    .AddUser("", app::NewMember{.username = "alice",
                                                .role = domain::Role::kAdmin,
                                                .password = kAlicePassword})
                    .ok());
    auto token = services_->members.CreateToken("alice", "", "tests", false, "");
    ASSERT_TRUE(token.ok());
    token_ = *token;
    server_ = std::make_unique<http::Server>(*services_, options_);
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Run(); });
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    services_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30);
    return c;
  }
  httplib::Headers Bearer(const std::string& token = {}) const {
    return {{"Authorization", "Bearer " + (token.empty() ? token_ : token)}};
  }
  static httplib::Headers With(httplib::Headers h, const std::string& k, const std::string& v) {
    h.emplace(k, v);
    return h;
  }

  // Requests as alice (API token) with a JSON body.
  httplib::Result Post(const std::string& path, const Json& body,
                       const httplib::Headers& headers = {}) {
    auto h = headers.empty() ? Bearer() : headers;
    return Client().Post(path, h, body.dump(), "application/json");
  }
  httplib::Result Patch(const std::string& path, const Json& body, const std::string& if_match) {
    auto h = Bearer();
    if (!if_match.empty()) h.emplace("If-Match", if_match);
    return Client().Patch(path, h, body.dump(), "application/json");
  }
  httplib::Result Put(const std::string& path, const Json& body, const std::string& if_match) {
    auto h = Bearer();
    if (!if_match.empty()) h.emplace("If-Match", if_match);
    return Client().Put(path, h, body.dump(), "application/json");
  }
  httplib::Result Get(const std::string& path, const httplib::Headers& headers = {}) {
    return Client().Get(path, headers.empty() ? Bearer() : headers);
  }
  httplib::Result Delete(const std::string& path, const std::string& if_match) {
    auto h = Bearer();
    if (!if_match.empty()) h.emplace("If-Match", if_match);
    return Client().Delete(path, h);
  }

  static Json Body(const httplib::Result& r) {
    return Json::parse(r->body, nullptr, /*allow_exceptions=*/false);
  }
  // The error code and field of an error response, "code/field".
  static std::string Error(const httplib::Result& r) {
    const Json j = Body(r);
    if (!j.is_object() || !j.contains("error")) return "no error body: " + r->body;
    const Json& e = j["error"];
    return e["code"].get<std::string>() + "/" +
           (e["field"].is_string() ? e["field"].get<std::string>() : std::string());
  }

  // Signs in over JSON; returns the session cookie and CSRF token.
  // A member of the organisation in `role` (with an end date where the role needs one), with
  // password kMemberPassword, signed in.
  static constexpr const char* kMemberPassword = "a member's own passphrase";
  Session Member(const std::string& username, domain::Role role) {
    auto added = services_->members.AddUser(
        "", app::NewMember{.username = username,
                           .role = role,
                           .expires_on = domain::InfoOf(role).needs_expiry ? "2099-12-31" : "",
                           .password = kMemberPassword});
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return SignIn(username, kMemberPassword);
  }
  Session SignIn(const std::string& username, const std::string& password) {
    auto r = Client().Post("/api/v1/auth/login",
                           Json{{"username", username}, {"password", password}}.dump(),
                           "application/json");
    EXPECT_TRUE(r);
    if (!r || r->status != 200) {
      ADD_FAILURE() << "sign-in failed: " << (r ? r->body : "no response");
      return {};
    }
    std::string cookie = r->get_header_value("Set-Cookie");
    cookie = cookie.substr(0, cookie.find(';'));
    return {cookie, Body(r)["csrf_token"].get<std::string>()};
  }
  static httplib::Headers SessionHeaders(const Session& s, bool with_csrf = true) {
    httplib::Headers h = {{"Cookie", s.cookie}};
    if (with_csrf) h.emplace("X-CSRF-Token", s.csrf);
    return h;
  }

  // A member of each role, "u-<role>" (with an end date where the role needs one), signed in.
  void AddMemberOfEachRole(const std::string& password, std::map<domain::Role, int64_t>& ids,
                           std::map<domain::Role, Session>& sessions) {
    for (const auto& info : domain::AllRoles()) {
      const std::string name = "u-" + std::string(info.name);
      auto added = services_->members.AddUser(
          "", app::NewMember{.username = name,
                             .role = info.role,
                             .expires_on = info.needs_expiry ? "2099-12-31" : "",
                             .password = password});
      ASSERT_TRUE(added.ok()) << added.status().ToString();
      ids[info.role] = added->user.id;
      sessions[info.role] = SignIn(name, password);
    }
  }

  Json CreateIssue(const std::string& title, const std::string& kind = "internal",
                   const Json& extra = Json::object()) {
    Json body = {{"title", title}, {"kind", kind}};
    for (const auto& [k, v] : extra.items()) body[k] = v;
    auto r = Post("/api/v1/context-issues", body);
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 201) << r->body;
    return Body(r);
  }

  static constexpr const char* kAlicePassword = "correct horse battery";
  // The server's options; a suite's constructor may change them before SetUp.
  http::ServerOptions options_{.host = "127.0.0.1",
                               .port = 0,
                               .max_body_bytes = 64 * 1024,
                               .threads = 4,
                               .access_log = true};
  SystemClock clock_;
  std::filesystem::path dir_;
  std::string db_path_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::Services> services_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string token_;
  std::string admin_otp_;
};

// A browser signed in as alice beside the API token: pages with her session cookie, forms with
// her CSRF token.
class SignedInTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    session_ = SignIn("alice", kAlicePassword);
  }
  httplib::Result Page(const std::string& path) {
    return Client().Get(path, {{"Cookie", session_.cookie}});
  }
  // A url-encoded form, with the CSRF token added.
  httplib::Result Submit(const std::string& path, const std::string& form) {
    return Client().Post(path, {{"Cookie", session_.cookie}},
                         form + "&_csrf=" + UrlEncode(session_.csrf),
                         "application/x-www-form-urlencoded");
  }

  Session session_;
};

}  // namespace rampart::testing
