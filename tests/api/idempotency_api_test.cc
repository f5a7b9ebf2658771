// Idempotency-Key on the API's creates (issue 17): a create sent again with the same key gets the
// first answer instead of making a second record.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "api/api_fixture.h"
#include "app/idempotency_service.h"
#include "domain/context.h"
#include "store/idempotency.h"

namespace rampart::testing {
namespace {

using ::testing::HasSubstr;

class IdempotencyApi : public ApiTest {
 protected:
  httplib::Headers Keyed(const std::string& key, httplib::Headers h = {}) const {
    if (h.empty()) h = Bearer();
    h.emplace("Idempotency-Key", key);
    return h;
  }
  size_t Issues() { return Body(Get("/api/v1/context-issues?limit=100"))["data"].size(); }
  int64_t Events(const std::string& action) {
    return Body(Get("/api/v1/audit/events?limit=1000&record_type=context_issue&action=" +
                    action))["data"]
        .size();
  }
  static const Json& IssueBody() {
    static const Json body = {{"title", "Supplier concentration"}, {"kind", "external"}};
    return body;
  }
};

// The same create sent twice with one key: one record, and the second answer is the first one,
// marked as replayed.
TEST_F(IdempotencyApi, ACreateSentTwiceMakesOneRecordAndGivesTheFirstAnswer) {
  auto first = Post("/api/v1/context-issues", IssueBody(), Keyed("create-issue-1"));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 201) << first->body;
  EXPECT_FALSE(first->has_header("Idempotent-Replayed"));
  auto second = Post("/api/v1/context-issues", IssueBody(), Keyed("create-issue-1"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 201) << second->body;
  EXPECT_EQ(second->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_EQ(second->body, first->body);
  EXPECT_EQ(second->get_header_value("Location"), first->get_header_value("Location"));
  EXPECT_EQ(second->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(Issues(), 1u);
  // Without a key, the same request is another create.
  auto third = Post("/api/v1/context-issues", IssueBody());
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, 201);
  EXPECT_EQ(Issues(), 2u);
}

// The key stands for one request: sent with another body it is refused, naming the header, and
// nothing is made.
TEST_F(IdempotencyApi, TheKeyWithAnotherRequestIsRefused) {
  ASSERT_EQ(Post("/api/v1/context-issues", IssueBody(), Keyed("k"))->status, 201);
  auto other =
      Post("/api/v1/context-issues", Json{{"title", "Other"}, {"kind", "internal"}}, Keyed("k"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 400);
  EXPECT_EQ(Error(other), "invalid_argument/Idempotency-Key");
  EXPECT_THAT(Body(other)["error"]["message"].get<std::string>(),
              HasSubstr("sent with another request"));
  // Another address with the same key is another request too.
  auto elsewhere = Post("/api/v1/interested-parties", Json{{"name", "Regulator"}}, Keyed("k"));
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ(Error(elsewhere), "invalid_argument/Idempotency-Key");
  EXPECT_EQ(Issues(), 1u);
}

// Keys are the caller's own: another person's request with the same key is carried out.
TEST_F(IdempotencyApi, KeysArePerCaller) {
  const Session bob = Member("bob", domain::Role::kIsmsManager);
  ASSERT_EQ(Post("/api/v1/context-issues", IssueBody(), Keyed("shared"))->status, 201);
  auto theirs = Post("/api/v1/context-issues", IssueBody(), Keyed("shared", SessionHeaders(bob)));
  ASSERT_TRUE(theirs);
  EXPECT_EQ(theirs->status, 201) << theirs->body;
  EXPECT_FALSE(theirs->has_header("Idempotent-Replayed"));
  EXPECT_EQ(Issues(), 2u);
}

// A malformed key is refused before anything is done.
TEST_F(IdempotencyApi, MalformedKeysAreRefused) {
  for (const std::string& key : {std::string(256, 'k'), std::string("caf\xc3\xa9")}) {
    auto r = Post("/api/v1/context-issues", IssueBody(), Keyed(key));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << key;
    EXPECT_EQ(Error(r), "invalid_argument/Idempotency-Key") << key;
  }
  EXPECT_EQ(Issues(), 0u);
}

// A refused create keeps no key: corrected and sent again with the same key, it is carried out.
TEST_F(IdempotencyApi, ARefusedCreateKeepsNoKey) {
  auto refused = Post("/api/v1/context-issues", Json{{"title", ""}}, Keyed("retry-me"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  auto refused_again = Post("/api/v1/context-issues", Json{{"title", ""}}, Keyed("retry-me"));
  EXPECT_EQ(refused_again->status, 400);
  EXPECT_FALSE(refused_again->has_header("Idempotent-Replayed"));
  auto carried_out = Post("/api/v1/context-issues", IssueBody(), Keyed("retry-me"));
  ASSERT_TRUE(carried_out);
  EXPECT_EQ(carried_out->status, 201) << carried_out->body;
  EXPECT_EQ(Issues(), 1u);
}

// The case the key is for: the create was committed but its answer never reached the client (the
// database restarted at the commit). Sent again, the request gets the record it made, read as it
// is now, with its address — not a second record.
TEST_F(IdempotencyApi, ACommittedCreateWhoseAnswerWasLostGivesItsRecord) {
  auto who = services_->auth.AuthenticateToken(token_);
  ASSERT_TRUE(who.ok());
  const std::string body = IssueBody().dump();
  const std::string hash = app::IdempotencyService::RequestHash(
      *who, "POST", "/api/v1/context-issues", "application/json", body);
  // Committed under the key; the answer is never kept (what a lost commit answer leaves).
  app::IdempotencyClaim claim = services_->idempotency.Claim(*who, "lost-answer", hash);
  int64_t id = 0;
  {
    const app::IdempotencyScope scope(claim);
    auto made = services_->registers.Create(*who, domain::ContextIssues(), IssueBody());
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    id = made->id;
  }
  ASSERT_TRUE(claim.kept);
  auto again = Post("/api/v1/context-issues", IssueBody(), Keyed("lost-answer"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 201) << again->body;
  EXPECT_EQ(again->get_header_value("Idempotent-Replayed"), "true");
  EXPECT_EQ(again->get_header_value("Location"), "/api/v1/context-issues/" + std::to_string(id));
  EXPECT_EQ(Body(again)["id"], id);
  EXPECT_EQ(Body(again)["title"], "Supplier concentration");
  EXPECT_EQ(Issues(), 1u);
}

// An answer that hands out a one-time password is never kept: sent again, the request says it
// was carried out and makes no second member.
TEST_F(IdempotencyApi, AnAnswerWithACredentialIsNotKept) {
  const Json member = {{"username", "carol"}, {"role", "viewer"}};
  auto first = Post("/api/v1/users", member, Keyed("add-carol"));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 201) << first->body;
  const std::string otp = Body(first)["one_time_password"].get<std::string>();
  ASSERT_FALSE(otp.empty());
  auto second = Post("/api/v1/users", member, Keyed("add-carol"));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 409);
  EXPECT_EQ(Error(second), "failed_precondition/");
  EXPECT_THAT(second->body, HasSubstr("already carried out"));
  EXPECT_THAT(second->body, HasSubstr("credential shown only once"));
  EXPECT_THAT(second->body, ::testing::Not(HasSubstr(otp)));
  // The password is nowhere in the database's kept answers.
  auto alice = services_->auth.AuthenticateToken(token_);
  ASSERT_TRUE(alice.ok());
  auto kept = store_->FindIdempotencyKey(alice->user_id, "add-carol", "2000-01-01T00:00:00.000Z");
  ASSERT_TRUE(kept.ok());
  ASSERT_TRUE(kept->has_value());
  EXPECT_EQ((*kept)->status, 201);
  EXPECT_EQ((*kept)->body, "");
  EXPECT_EQ(Body(Get("/api/v1/users"))["data"].size(), 3u);  // the administrator, alice, carol
}

// Requests sent at once with one key make one record; each answer is the record's or says to
// send the request again; sent again, it gives the record.
TEST_F(IdempotencyApi, RequestsSentAtOnceMakeOneRecord) {
  constexpr int kClients = 6;
  std::vector<int> statuses(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      auto r = Post("/api/v1/context-issues", IssueBody(), Keyed("at-once"));
      statuses[i] = r ? r->status : -1;
    });
  }
  for (auto& t : clients) t.join();
  for (int s : statuses) EXPECT_TRUE(s == 201 || s == 409) << s;
  EXPECT_EQ(Issues(), 1u);
  EXPECT_EQ(Events("create"), 1);
  auto again = Post("/api/v1/context-issues", IssueBody(), Keyed("at-once"));
  EXPECT_EQ(again->status, 201);
  EXPECT_EQ(again->get_header_value("Idempotent-Replayed"), "true");
}

// The key does not get round access control: a viewer's create is refused as without it.
TEST_F(IdempotencyApi, AccessIsCheckedFirst) {
  ASSERT_EQ(Post("/api/v1/context-issues", IssueBody(), Keyed("mine"))->status, 201);
  const Session viewer = Member("vera", domain::Role::kViewer);
  auto r = Post("/api/v1/context-issues", IssueBody(), Keyed("mine", SessionHeaders(viewer)));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_FALSE(r->has_header("Idempotent-Replayed"));
}

// The API's description names the header on the creates it applies to, and not elsewhere.
TEST_F(IdempotencyApi, TheOpenApiDocumentDescribesTheHeader) {
  const Json doc = Body(Get("/api/v1/openapi.json"));
  const Json& param = doc["components"]["parameters"]["IdempotencyKey"];
  EXPECT_EQ(param["name"], "Idempotency-Key");
  EXPECT_EQ(param["in"], "header");
  const Json ref = {{"$ref", "#/components/parameters/IdempotencyKey"}};
  const Json& create = doc["paths"]["/api/v1/context-issues"]["post"]["parameters"];
  EXPECT_NE(std::find(create.begin(), create.end(), ref), create.end());
  const Json& list = doc["paths"]["/api/v1/context-issues"]["get"];
  EXPECT_FALSE(list.contains("parameters") &&
               std::find(list["parameters"].begin(), list["parameters"].end(), ref) !=
                   list["parameters"].end());
  const Json& login = doc["paths"]["/api/v1/auth/login"]["post"];  // not a create of a record
  EXPECT_FALSE(login.contains("parameters"));
}

}  // namespace
}  // namespace rampart::testing
