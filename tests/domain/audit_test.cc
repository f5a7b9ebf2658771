#include "domain/audit.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "base/crypto.h"

namespace rampart::domain {
namespace {

AuditEvent Sample() {
  AuditEvent e;
  e.seq = 7;
  e.at = "2026-03-14T09:26:53.589Z";
  e.org_id = 2;
  e.actor_id = 5;
  e.actor = "alice";
  e.action = "update";
  e.record_type = "context_issue";
  e.record_id = 41;
  e.diff = {{"title", {{"from", "Old"}, {"to", "New"}}}};
  e.prev_hash = std::string(64, 'a');
  return e;
}

TEST(CanonicalEncoding, IsAJsonArrayOfEveryColumnButTheHashInAFixedOrder) {
  EXPECT_EQ(CanonicalEncoding(Sample()),
            "[7,\"2026-03-14T09:26:53.589Z\",2,5,\"alice\",\"update\",\"context_issue\",41,"
            "{\"title\":{\"from\":\"Old\",\"to\":\"New\"}},\"" +
                std::string(64, 'a') + "\"]");
}

// Encoding 2 (events written since addresses are recorded) starts with its number and covers the
// address; encoding 1 above stays byte for byte what earlier releases hashed.
TEST(CanonicalEncoding, VersionTwoCoversTheAddress) {
  AuditEvent e = Sample();
  e.encoding = 2;
  e.address = "198.51.100.7";
  EXPECT_EQ(CanonicalEncoding(e),
            "[2,7,\"2026-03-14T09:26:53.589Z\",2,5,\"alice\",\"198.51.100.7\",\"update\","
            "\"context_issue\",41,{\"title\":{\"from\":\"Old\",\"to\":\"New\"}},\"" +
                std::string(64, 'a') + "\"]");
  AuditEvent moved = e;
  moved.address = "203.0.113.1";
  EXPECT_NE(ComputeAuditHash(moved), ComputeAuditHash(e));
  AuditEvent downgraded = e;
  downgraded.encoding = 1;
  EXPECT_NE(ComputeAuditHash(downgraded), ComputeAuditHash(e));
}

TEST(CanonicalEncoding, DoesNotDependOnTheOrderDiffKeysWereAdded) {
  AuditEvent a = Sample();
  AuditEvent b = Sample();
  a.diff = Json::object();
  a.diff["title"] = {{"from", 1}, {"to", 2}};
  a.diff["owner"] = {{"from", 3}, {"to", 4}};
  b.diff = Json::object();
  b.diff["owner"] = {{"to", 4}, {"from", 3}};
  b.diff["title"] = {{"to", 2}, {"from", 1}};
  EXPECT_EQ(CanonicalEncoding(a), CanonicalEncoding(b));
}

TEST(CanonicalEncoding, SurvivesAStoreRoundTripOfTheDiff) {
  AuditEvent e = Sample();
  AuditEvent back = e;
  back.diff = Json::parse(e.diff.dump());
  EXPECT_EQ(CanonicalEncoding(e), CanonicalEncoding(back));
}

TEST(ComputeAuditHash, IsTheSha256OfTheCanonicalEncoding) {
  const AuditEvent e = Sample();
  EXPECT_EQ(ComputeAuditHash(e), Sha256Hex(CanonicalEncoding(e)));
  EXPECT_EQ(ComputeAuditHash(e).size(), 64u);
}

TEST(ComputeAuditHash, IsDeterministic) {
  EXPECT_EQ(ComputeAuditHash(Sample()), ComputeAuditHash(Sample()));
}

TEST(ComputeAuditHash, IgnoresTheStoredHash) {
  AuditEvent e = Sample();
  const std::string h = ComputeAuditHash(e);
  e.hash = "tampered";
  EXPECT_EQ(ComputeAuditHash(e), h);
}

TEST(ComputeAuditHash, ChangesWithEveryColumn) {
  const std::string original = ComputeAuditHash(Sample());
  const std::vector<std::pair<std::string, std::function<void(AuditEvent&)>>> edits = {
      {"seq", [](AuditEvent& e) { e.seq = 8; }},
      {"at", [](AuditEvent& e) { e.at = "2026-03-14T09:26:53.590Z"; }},
      {"org_id", [](AuditEvent& e) { e.org_id = 3; }},
      {"actor_id", [](AuditEvent& e) { e.actor_id = 6; }},
      {"actor", [](AuditEvent& e) { e.actor = "mallory"; }},
      {"action", [](AuditEvent& e) { e.action = "delete"; }},
      {"record_type", [](AuditEvent& e) { e.record_type = "interested_party"; }},
      {"record_id", [](AuditEvent& e) { e.record_id = 42; }},
      {"diff", [](AuditEvent& e) { e.diff["title"]["to"] = "Newer"; }},
      {"diff emptied", [](AuditEvent& e) { e.diff = Json::object(); }},
      {"prev_hash", [](AuditEvent& e) { e.prev_hash = std::string(64, 'b'); }},
  };
  for (const auto& [column, edit] : edits) {
    AuditEvent e = Sample();
    edit(e);
    EXPECT_NE(ComputeAuditHash(e), original) << column;
  }
}

TEST(ComputeAuditHash, DistinguishesValuesMovedBetweenColumns) {
  AuditEvent a = Sample();
  AuditEvent b = Sample();
  a.actor = "ab";
  a.action = "c";
  b.actor = "a";
  b.action = "bc";
  EXPECT_NE(ComputeAuditHash(a), ComputeAuditHash(b));
}

TEST(GenesisHash, IsSixtyFourZeros) { EXPECT_EQ(kGenesisHash, std::string(64, '0')); }

}  // namespace
}  // namespace rampart::domain
