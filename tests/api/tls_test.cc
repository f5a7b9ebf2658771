// HTTPS: `rampart serve --tls-cert --tls-key` serves TLS; cookies are then `__Host-` prefixed
// and Secure, and HSTS is sent. The certificate is made here with OpenSSL, self-signed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/services.h"
#include "base/crypto.h"
#include "http/server.h"
#include "store/store.h"
#include "support/certificate.h"

namespace rampart::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using Json = nlohmann::json;

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    dir_ = std::filesystem::temp_directory_path() /
           ("rampart-tls-" + std::to_string(::getpid()) + "-" + RandomToken(6));
    std::filesystem::create_directories(dir_);
    cert_ = (dir_ / "cert.pem").string();
    key_ = (dir_ / "key.pem").string();
    ASSERT_TRUE(test::WriteSelfSignedCertificate(cert_, key_));
    auto store = store::OpenStore((dir_ / "rampart.db").string());
    ASSERT_TRUE(store.ok());
    store_ = std::move(store).value();
    ASSERT_TRUE(store_->Migrate().ok());
    services_ = std::make_unique<app::Services>(*store_, clock_);
    ASSERT_TRUE(services_->auth.Initialise("Acme").ok());
    ASSERT_TRUE(services_->members
                    .AddUser("", app::NewMember{.username = "alice",
                                                .role = domain::Role::kAdmin,
                                                .password = "correct horse battery"})
                    .ok());
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  int Start(const std::string& cert, const std::string& key) {
    server_ = std::make_unique<http::Server>(
        *services_,
        http::ServerOptions{
            .host = "127.0.0.1", .port = 0, .threads = 2, .tls_cert = cert, .tls_key = key});
    auto port = server_->Bind();
    if (!port.ok()) {
      status_ = port.status();
      return -1;
    }
    thread_ = std::thread([this] { (void)server_->Run(); });
    return *port;
  }

  SystemClock clock_;
  std::filesystem::path dir_;
  std::string cert_, key_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<app::Services> services_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  Status status_;
};

TEST_F(TlsTest, ServesHttpsWithHostOnlySecureCookiesAndHsts) {
  const int port = Start(cert_, key_);
  ASSERT_GT(port, 0) << status_.ToString();
  httplib::SSLClient c("127.0.0.1", port);
  c.enable_server_certificate_verification(false);  // self-signed
  auto login = c.Post("/api/v1/auth/login",
                      Json{{"username", "alice"}, {"password", "correct horse battery"}}.dump(),
                      "application/json");
  ASSERT_TRUE(login) << httplib::to_string(login.error());
  ASSERT_EQ(login->status, 200) << login->body;
  const std::string cookie = login->get_header_value("Set-Cookie");
  EXPECT_THAT(cookie, StartsWith("__Host-rampart_session="));
  EXPECT_THAT(cookie, HasSubstr("; Secure"));
  EXPECT_THAT(cookie, HasSubstr("; Path=/"));
  EXPECT_THAT(cookie, ::testing::Not(HasSubstr("Domain=")));
  EXPECT_EQ(login->get_header_value("Strict-Transport-Security"),
            "max-age=31536000; includeSubDomains");

  const std::string pair = cookie.substr(0, cookie.find(';'));
  auto me = c.Get("/api/v1/auth/me", {{"Cookie", pair}});
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_FALSE(me->get_header_value("Strict-Transport-Security").empty());
  // The cookie's plain-HTTP name is not accepted over HTTPS.
  const std::string value = pair.substr(pair.find('=') + 1);
  auto plain = c.Get("/api/v1/auth/me", {{"Cookie", "rampart_session=" + value}});
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 401);
  // Plain HTTP to the HTTPS port gets no answer.
  httplib::Client http("127.0.0.1", port);
  http.set_read_timeout(2);
  auto cleartext = http.Get("/healthz");
  EXPECT_TRUE(!cleartext || cleartext->status != 200);
}

TEST_F(TlsTest, RefusesToStartWithAMissingOrMismatchedKey) {
  EXPECT_EQ(Start(cert_, (dir_ / "missing.pem").string()), -1);
  EXPECT_EQ(status_.code(), Code::kInvalidArgument);
  EXPECT_THAT(status_.message(), HasSubstr("TLS certificate or key"));
  server_.reset();
  // Another key than the certificate's.
  const std::string other_cert = (dir_ / "other-cert.pem").string();
  const std::string other_key = (dir_ / "other-key.pem").string();
  ASSERT_TRUE(test::WriteSelfSignedCertificate(other_cert, other_key));
  EXPECT_EQ(Start(cert_, other_key), -1);
  EXPECT_EQ(status_.code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace rampart::testing
