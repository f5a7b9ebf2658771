// The command line's identity commands: `org add`, `user add --org --role`, `user list`,
// `user disable` and `token create --org --read-only --expires`, against the server's database.
#include <gmock/gmock.h>

#include <sstream>

#include "api/api_fixture.h"
#include "api/cli_run.h"

namespace rampart::testing {
namespace {

using ::testing::HasSubstr;

class CliAccessTest : public ApiTest {
 protected:
  // Runs `rampart ARGS --db DB` with `input` on standard input.
  CliOutcome Cli(std::vector<std::string> args, const std::string& input = "") {
    args.push_back("--db");
    args.push_back(db_path_);
    return RunCli(std::move(args), input);
  }
  // The last line of the output: the token or one-time password.
  static std::string LastLine(const std::string& out) {
    std::string s = out;
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s.substr(s.rfind('\n') + 1);
  }
};

TEST_F(CliAccessTest, AddsOrganisationsMembershipsAndScopedTokens) {
  auto org = Cli({"org", "add", "--name", "Globex"});
  ASSERT_EQ(org.code, 0) << org.err;
  EXPECT_THAT(org.out, HasSubstr("Added organisation \"Globex\""));
  EXPECT_EQ(Cli({"org", "add", "--name", "Globex"}).code, 4);  // exists already

  // A new user without --password-stdin gets a one-time password.
  auto vic = Cli({"user", "add", "--org", "Globex", "--username", "vic", "--role", "viewer"});
  ASSERT_EQ(vic.code, 0) << vic.err;
  const std::string otp = LastLine(vic.out);
  EXPECT_EQ(otp.size(), 23u);
  // Issue 11: it expires in 72 hours, and says when ("expires 2026-12-07 06:00 UTC").
  const std::string expires =
      FormatUtc(std::chrono::system_clock::now() + domain::kOneTimePasswordLifetime);
  EXPECT_THAT(vic.out, ::testing::ContainsRegex("expires [0-9]{4}-[0-9]{2}-[0-9]{2} "
                                                "[0-9]{2}:[0-9]{2} UTC"));
  EXPECT_THAT(vic.out, HasSubstr("expires " + expires.substr(0, 10)));
  auto signed_in =
      Client().Post("/api/v1/auth/login", Json{{"username", "vic"}, {"password", otp}}.dump(),
                    "application/json");
  ASSERT_EQ(signed_in->status, 200);
  EXPECT_EQ(Body(signed_in)["must_change_password"], true);
  EXPECT_EQ(Body(signed_in)["role"], "viewer");

  // An existing user gets a membership of another organisation, with its own role.
  auto alice = Cli({"user", "add", "--org", "Globex", "--username", "alice", "--role", "auditor"});
  ASSERT_EQ(alice.code, 0) << alice.err;
  EXPECT_THAT(alice.out, HasSubstr("Added alice"));
  EXPECT_THAT(alice.out, ::testing::Not(HasSubstr("One-time password")));

  // A read-only token acting in Globex.
  auto token = Cli({"token", "create", "--user", "alice", "--org", "Globex", "--read-only",
                    "--expires", "2099-12-31", "--name", "dashboard"});
  ASSERT_EQ(token.code, 0) << token.err;
  EXPECT_THAT(token.out, HasSubstr("Read-only API token for alice"));
  const std::string t = LastLine(token.out);
  auto me = Get("/api/v1/auth/me", Bearer(t));
  ASSERT_EQ(me->status, 200);
  EXPECT_EQ(Body(me)["organisation"]["name"], "Globex");
  EXPECT_EQ(Body(me)["role"], "auditor");
  EXPECT_EQ(Body(me)["read_only"], true);
  EXPECT_EQ(
      Post("/api/v1/context-issues", Json{{"title", "x"}, {"kind", "internal"}}, Bearer(t))->status,
      403);

  auto list = Cli({"user", "list", "--org", "Globex"});
  ASSERT_EQ(list.code, 0);
  EXPECT_THAT(list.out, HasSubstr("alice"));
  EXPECT_THAT(list.out, HasSubstr("auditor"));
  EXPECT_THAT(list.out, HasSubstr("vic"));
  EXPECT_THAT(list.out, ::testing::Not(HasSubstr("admin ")));
}

TEST_F(CliAccessTest, NamesWhatIsWrong) {
  auto role = Cli({"user", "add", "--username", "x", "--role", "root"});
  EXPECT_EQ(role.code, 2);
  EXPECT_THAT(role.err, HasSubstr("unknown role \"root\""));
  EXPECT_THAT(role.err, HasSubstr("external_auditor"));
  auto ext = Cli({"user", "add", "--username", "ext", "--role", "external_auditor"});
  EXPECT_EQ(ext.code, 2);
  EXPECT_THAT(ext.err, HasSubstr("expires_on"));
  auto org = Cli({"user", "add", "--username", "x", "--role", "viewer", "--org", "Initech"});
  EXPECT_EQ(org.code, 2);
  EXPECT_THAT(org.err, HasSubstr("no organisation named \"Initech\""));
  auto weak = Cli({"user", "add", "--username", "x", "--role", "viewer", "--password-stdin"},
                  "password1\n");
  EXPECT_EQ(weak.code, 2);
  EXPECT_THAT(weak.err, HasSubstr("most common passwords"));
  auto not_member = Cli({"token", "create", "--user", "alice", "--org", "Nowhere"});
  EXPECT_EQ(not_member.code, 2);
  auto date = Cli({"token", "create", "--user", "alice", "--expires", "31/12/2099"});
  EXPECT_EQ(date.code, 2);
  EXPECT_THAT(date.err, HasSubstr("YYYY-MM-DD"));
  EXPECT_EQ(store_->FindUser("x").status().code(), Code::kNotFound);
}

TEST_F(CliAccessTest, DisablingFromTheCommandLineEndsTokensAtOnce) {
  ASSERT_EQ(Get("/api/v1/context-issues")->status, 200);
  auto r = Cli({"user", "disable", "--username", "alice"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(Get("/api/v1/context-issues")->status, 401);
}

// `rampart export`: a register, the SoA and the treatment plan, as the API exports them; only the
// named organisation's records.
TEST_F(CliAccessTest, ExportsRegistersTheSoaAndTheTreatmentPlan) {
  auto created = Post("/api/v1/risks",
                      Json{{"title", "Phishing of payroll"},
                           {"inherent_likelihood", 3},
                           {"inherent_impact", 4},
                           {"treatment", "modify"},
                           {"status", "analysed"},
                           {"actions", {{{"action", "Train payroll staff"}, {"status", "open"}}}}});
  ASSERT_EQ(created->status, 201) << created->body;
  ASSERT_EQ(Cli({"org", "add", "--name", "Globex"}).code, 0);
  auto risks = Cli({"export", "risks", "--org", "Acme Ltd"});
  ASSERT_EQ(risks.code, 0) << risks.err;
  EXPECT_THAT(risks.out, ::testing::StartsWith("id,version,number,title,"));
  EXPECT_THAT(risks.out, HasSubstr("Phishing of payroll"));
  auto other = Cli({"export", "risks", "--org", "Globex"});
  ASSERT_EQ(other.code, 0) << other.err;
  EXPECT_THAT(other.out, ::testing::Not(HasSubstr("Phishing of payroll")));
  auto plan = Cli({"export", "treatment-plan", "--org", "Acme Ltd"});
  ASSERT_EQ(plan.code, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("Train payroll staff"));
  auto soa = Cli({"export", "soa", "--org", "Acme Ltd", "--format", "xlsx"});
  ASSERT_EQ(soa.code, 0) << soa.err;
  EXPECT_EQ(soa.out.substr(0, 2), "PK");
  auto unknown = Cli({"export", "budgets", "--org", "Acme Ltd"});
  EXPECT_EQ(unknown.code, 3);
  EXPECT_THAT(unknown.err, HasSubstr("nothing to export named \"budgets\""));
  EXPECT_EQ(Cli({"export", "risks"}).code, 2);  // two organisations: say which
}

}  // namespace
}  // namespace rampart::testing
