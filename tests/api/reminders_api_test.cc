// Reminders end to end (issue 14): the notifications API and page (own only, organisation
// isolation, the unread badge), e-mail addresses (account, administrators, validation), and
// `rampart remind` sending digests through a local SMTP sink (Debian's python3-aiosmtpd,
// tests/support/smtp_sink.py) with STARTTLS and credentials: the exact recipient, subject and
// the overdue task's title; a second pass sends nothing; no e-mail without --smtp-url; a person
// without an address gets the notification only; STARTTLS is required unless --smtp-insecure.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "api/api_fixture.h"
#include "api/cli_run.h"
#include "base/text.h"
#include "domain/support.h"
#include "support/certificate.h"

namespace rampart::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The SMTP sink as a child process, stopped when destroyed.
class SmtpSink {
 public:
  SmtpSink(const std::filesystem::path& dir, std::vector<std::string> extra) {
    port_file_ = (dir / fmt::format("sink-{}.port", ++count_)).string();
    out_ = (dir / fmt::format("sink-{}.jsonl", count_)).string();
    std::vector<std::string> args = {"/usr/bin/python3", RAMPART_SMTP_SINK, "--port-file",
                                     port_file_,         "--out",           out_};
    args.insert(args.end(), extra.begin(), extra.end());
    pid_ = fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    for (int i = 0; i < 200 && !std::filesystem::exists(port_file_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::ifstream in(port_file_);
    in >> port_;
  }
  ~SmtpSink() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  std::string Url() const { return fmt::format("smtp://127.0.0.1:{}", port_); }
  // Every message received, in order.
  std::vector<Json> Messages() const {
    std::vector<Json> out;
    std::ifstream in(out_);
    std::string line;
    while (std::getline(in, line)) out.push_back(Json::parse(line));
    return out;
  }

 private:
  static inline int count_ = 0;
  std::string port_file_;
  std::string out_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// Quoted-printable undone (soft line breaks and =XX).
std::string DecodeQp(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '=' && i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') {
      i += 2;
    } else if (s[i] == '=' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

class RemindersApiTest : public SignedInTest {
 protected:
  void SetUp() override {
    SignedInTest::SetUp();
    if (HasFatalFailure()) return;
    alice_ = Body(Get("/api/v1/auth/me"))["user_id"].get<int64_t>();
    auto bob = services_->members.AddUser(
        "", app::NewMember{
                .username = "bob", .role = domain::Role::kContributor, .password = kAlicePassword});
    ASSERT_TRUE(bob.ok());
    bob_ = bob->user.id;
    auto token = services_->members.CreateToken("bob", "", "tests", false, "");
    ASSERT_TRUE(token.ok());
    bob_token_ = *token;
    today_ = FormatDate(clock_.Now());
  }

  int64_t Task(const std::string& title, int64_t owner, int due_in_days) {
    auto r = Post(
        "/api/v1/tasks",
        {{"title", title}, {"owner", owner}, {"due_date", domain::AddDays(today_, due_in_days)}});
    EXPECT_EQ(r->status, 201) << r->body;
    return r->status == 201 ? Body(r)["id"].get<int64_t>() : 0;
  }

  CliOutcome Cli(std::vector<std::string> args) {
    args.push_back("--db");
    args.push_back(db_path_);
    return RunCli(std::move(args));
  }

  int64_t alice_ = 0;
  int64_t bob_ = 0;
  std::string bob_token_;
  std::string today_;
};

TEST_F(RemindersApiTest, NotificationsAreListedReadAndCountedForTheirOwnerOnly) {
  Task("Rotate the backup keys", alice_, -2);
  Task("Bob's review of access rights", bob_, 1);
  ASSERT_TRUE(services_->reminders.RunPass({}).ok());

  auto mine = Get("/api/v1/notifications");
  ASSERT_EQ(mine->status, 200) << mine->body;
  const Json page = Body(mine);
  EXPECT_EQ(page["unread"], 1);
  EXPECT_TRUE(page["next_before"].is_null());
  ASSERT_EQ(page["data"].size(), 1u);
  const Json n = page["data"][0];
  EXPECT_EQ(n["title"], "1 reminder for " + today_);
  EXPECT_EQ(n["items"][0]["label"], "Rotate the backup keys");
  EXPECT_EQ(n["items"][0]["overdue"], true);
  EXPECT_TRUE(n["read_at"].is_null());
  const int64_t id = n["id"].get<int64_t>();

  // Bob sees his own, and another person's notification is "not found" to him.
  auto bobs = Client().Get("/api/v1/notifications", Bearer(bob_token_));
  ASSERT_EQ(bobs->status, 200);
  ASSERT_EQ(Body(bobs)["data"].size(), 1u);
  EXPECT_EQ(Body(bobs)["data"][0]["items"][0]["label"], "Bob's review of access rights");
  EXPECT_EQ(Client()
                .Post(fmt::format("/api/v1/notifications/{}/read", id), Bearer(bob_token_), "",
                      "application/json")
                ->status,
            404);

  // The badge in every page's navigation, then read.
  auto my = Page("/my");
  ASSERT_EQ(my->status, 200);
  EXPECT_THAT(my->body, HasSubstr("<span class=\"nav-count\" aria-hidden=\"true\">1</span>"));
  auto list = Page("/notifications");
  ASSERT_EQ(list->status, 200);
  EXPECT_THAT(list->body, HasSubstr("Rotate the backup keys"));
  EXPECT_THAT(list->body, HasSubstr("overdue"));
  EXPECT_THAT(list->body, Not(HasSubstr("Bob&#39;s review")));
  auto read = Submit(fmt::format("/notifications/{}/read", id), "x=1");
  EXPECT_EQ(read->status, 303);
  EXPECT_EQ(Body(Get("/api/v1/notifications"))["unread"], 0);
  EXPECT_THAT(Page("/my")->body, Not(HasSubstr("nav-count")));
  // Bob marks his all read.
  auto all =
      Client().Post("/api/v1/notifications/read-all", Bearer(bob_token_), "", "application/json");
  ASSERT_EQ(all->status, 200);
  EXPECT_EQ(Body(all)["read"], 1);
  // Bad paging parameters are named.
  EXPECT_EQ(Error(Get("/api/v1/notifications?limit=0")), "invalid_argument/limit");
  EXPECT_EQ(Error(Get("/api/v1/notifications?before=x")), "invalid_argument/before");
}

TEST_F(RemindersApiTest, EmailAddressesAreSetByTheirOwnersAndAdministratorsAndValidated) {
  auto bad = Client().Patch("/api/v1/auth/profile", Bearer(bob_token_),
                            Json{{"email", "bob at example"}}.dump(), "application/json");
  ASSERT_EQ(bad->status, 400);
  EXPECT_EQ(Error(bad), "invalid_argument/email");
  auto ok = Client().Patch("/api/v1/auth/profile", Bearer(bob_token_),
                           Json{{"email", "bob@example.org"}}.dump(), "application/json");
  ASSERT_EQ(ok->status, 204) << ok->body;
  auto profile = Client().Get("/api/v1/auth/profile", Bearer(bob_token_));
  EXPECT_EQ(Body(profile)["email"], "bob@example.org");

  // An administrator sees it and changes it; others do not see it.
  auto member = Get(fmt::format("/api/v1/users/{}", bob_));
  EXPECT_EQ(Body(member)["email"], "bob@example.org");
  auto alice_seen_by_bob =
      Client().Get(fmt::format("/api/v1/users/{}", alice_), Bearer(bob_token_));
  EXPECT_TRUE(Body(alice_seen_by_bob)["email"].is_null());
  auto change = Client().Patch(fmt::format("/api/v1/users/{}", bob_), Bearer(),
                               Json{{"email", "robert@example.org"}}.dump(), "application/json");
  ASSERT_EQ(change->status, 200) << change->body;
  EXPECT_EQ(Body(change)["email"], "robert@example.org");
  auto refused = Client().Patch(fmt::format("/api/v1/users/{}", bob_), Bearer(),
                                Json{{"email", "robert@"}}.dump(), "application/json");
  EXPECT_EQ(Error(refused), "invalid_argument/email");

  // The account page's form, and the people page's column.
  auto form = Submit("/account/email", "email=" + UrlEncode("not-an-address"));
  EXPECT_EQ(form->status, 400);
  EXPECT_THAT(form->body, HasSubstr("aria-invalid"));
  auto saved = Submit("/account/email", "email=" + UrlEncode("alice@example.org"));
  EXPECT_EQ(saved->status, 303);
  EXPECT_THAT(Page("/account")->body, HasSubstr("value=\"alice@example.org\""));
  EXPECT_THAT(Page("/admin/users")->body, HasSubstr("robert@example.org"));
}

class RemindersSmtpTest : public RemindersApiTest {
 protected:
  void SetUp() override {
    RemindersApiTest::SetUp();
    if (HasFatalFailure()) return;
    cert_ = (dir_ / "smtp-cert.pem").string();
    key_ = (dir_ / "smtp-key.pem").string();
    ASSERT_TRUE(test::WriteSelfSignedCertificate(cert_, key_));
    credentials_ = (dir_ / "smtp.credentials").string();
    std::ofstream(credentials_) << "rampart-mailer\nsink-pa55word\n";
    ::chmod(credentials_.c_str(), 0600);
    auto email = Client().Patch("/api/v1/auth/profile", Bearer(),
                                Json{{"email", "alice@example.org"}}.dump(), "application/json");
    ASSERT_EQ(email->status, 204) << email->body;
  }
  std::vector<std::string> SmtpArgs(const SmtpSink& sink) const {
    return {"--smtp-url",         sink.Url(),
            "--smtp-from",        "rampart@example.org",
            "--smtp-ca",          cert_,
            "--smtp-credentials", credentials_,
            "--public-url",       "https://isms.example.org"};
  }
  std::string cert_;
  std::string key_;
  std::string credentials_;
};

TEST_F(RemindersSmtpTest, RemindSendsOneDigestOverStartTlsAndASecondPassNothing) {
  SmtpSink sink(dir_,
                {"--tls-cert", cert_, "--tls-key", key_, "--auth", "rampart-mailer:sink-pa55word"});
  ASSERT_GT(sink.port(), 0);
  const int64_t task = Task("Rotate the backup keys", alice_, -2);
  Task("Bob's review of access rights", bob_, 1);  // bob has no e-mail address

  std::vector<std::string> args = {"remind"};
  for (const auto& a : SmtpArgs(sink)) args.push_back(a);
  auto first = Cli(args);
  ASSERT_EQ(first.code, 0) << first.out << first.err;
  EXPECT_THAT(first.out, HasSubstr("2 digests recorded, 1 e-mails sent, 0 failed"));
  EXPECT_THAT(first.err, Not(HasSubstr("sink-pa55word")));

  const auto messages = sink.Messages();
  ASSERT_EQ(messages.size(), 1u);
  const Json& m = messages[0];
  EXPECT_EQ(m["rcpt_tos"], Json::array({"alice@example.org"}));
  EXPECT_EQ(m["mail_from"], "rampart@example.org");
  EXPECT_EQ(m["tls"], true);
  EXPECT_EQ(m["auth"], "rampart-mailer");
  const std::string data = m["data"].get<std::string>();
  EXPECT_THAT(data,
              HasSubstr(fmt::format("Subject: [Rampart] Acme Ltd: 1 reminder for {}\r\n", today_)));
  EXPECT_THAT(data, HasSubstr("To: <alice@example.org>\r\n"));
  EXPECT_THAT(data, HasSubstr("Message-ID: <"));
  EXPECT_THAT(data, HasSubstr("Content-Type: text/plain; charset=UTF-8"));
  const std::string body = DecodeQp(data.substr(data.find("\r\n\r\n")));
  EXPECT_THAT(body, HasSubstr("Rotate the backup keys (overdue: due"));
  EXPECT_THAT(body, HasSubstr(fmt::format("https://isms.example.org/tasks/{}", task)));
  EXPECT_THAT(body, Not(HasSubstr("Bob's review")));

  // Bob has the notification in the app only.
  auto bobs = Client().Get("/api/v1/notifications", Bearer(bob_token_));
  EXPECT_EQ(Body(bobs)["unread"], 1);

  // A second pass the same day: nothing more.
  auto second = Cli(args);
  ASSERT_EQ(second.code, 0) << second.err;
  EXPECT_THAT(second.out, HasSubstr("0 digests recorded, 0 e-mails sent"));
  EXPECT_EQ(sink.Messages().size(), 1u);
  EXPECT_EQ(Body(Get("/api/v1/notifications"))["data"].size(), 1u);
}

TEST_F(RemindersSmtpTest, NoEmailWithoutSmtpUrl) {
  SmtpSink sink(dir_, {"--tls-cert", cert_, "--tls-key", key_});
  Task("Rotate the backup keys", alice_, -2);
  auto pass = Cli({"remind"});
  ASSERT_EQ(pass.code, 0) << pass.err;
  EXPECT_THAT(pass.out, HasSubstr("1 digests recorded, 0 e-mails sent"));
  EXPECT_EQ(sink.Messages().size(), 0u);
  EXPECT_EQ(Body(Get("/api/v1/notifications"))["unread"], 1);
  // The day's readiness is kept by the same pass (for instances serving with --no-reminders),
  // once a day.
  EXPECT_THAT(pass.out, HasSubstr("Readiness kept for the day: "));
  EXPECT_THAT(pass.out, Not(HasSubstr("Readiness kept for the day: 0 ")));
  const Json history = Body(Get("/api/v1/readiness/history"));
  ASSERT_EQ(history["data"].size(), 1u) << history.dump();
  EXPECT_THAT(Cli({"remind"}).out, HasSubstr("Readiness kept for the day: 0 organisation(s)."));
}

TEST_F(RemindersSmtpTest, StartTlsIsRequiredUnlessInsecureIsAsked) {
  SmtpSink plain(dir_, {});  // offers no STARTTLS
  Task("Rotate the backup keys", alice_, -2);
  std::vector<std::string> args = {"remind", "--smtp-url", plain.Url(), "--smtp-from",
                                   "rampart@example.org"};
  auto refused = Cli(args);
  EXPECT_EQ(refused.code, 6) << refused.out << refused.err;  // unavailable: not sent
  EXPECT_THAT(refused.out, HasSubstr("1 digests recorded, 0 e-mails sent, 1 failed"));
  EXPECT_EQ(plain.Messages().size(), 0u);
  // Credentials are never sent in clear text.
  auto with_password = args;
  with_password.insert(with_password.end(),
                       {"--smtp-insecure", "--smtp-credentials", credentials_});
  EXPECT_EQ(Cli(with_password).code, 2);
  // A world-readable credentials file is refused.
  ::chmod(credentials_.c_str(), 0644);
  auto readable = args;
  readable.insert(readable.end(), {"--smtp-credentials", credentials_});
  EXPECT_EQ(Cli(readable).code, 5);
  // Asked for, a local relay without TLS gets the e-mail (retried, not a second notification).
  args.push_back("--smtp-insecure");
  auto relayed = Cli(args);
  ASSERT_EQ(relayed.code, 0) << relayed.err;
  EXPECT_THAT(relayed.out, HasSubstr("0 digests recorded, 1 e-mails sent"));
  ASSERT_EQ(plain.Messages().size(), 1u);
  EXPECT_EQ(plain.Messages()[0]["tls"], false);
  EXPECT_EQ(Body(Get("/api/v1/notifications"))["data"].size(), 1u);
}

}  // namespace
}  // namespace rampart::testing
