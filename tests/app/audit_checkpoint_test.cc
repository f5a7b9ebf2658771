#include "app/audit_checkpoint.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "app/app_fixture.h"
#include "app/audit_service.h"
#include "base/crypto.h"
#include "domain/context.h"

namespace rampart::app {
namespace {

using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Security assessment findings 5 and 12: dropping the no-delete trigger and deleting the newest
// events, or changing an event and recomputing every later hash, left `audit verify` "intact".
class AuditCheckpointTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    RegisterService registers(*store_, clock_);
    for (int i = 0; i < 30; ++i) {
      ASSERT_THAT(registers.Create(alice_, domain::ContextIssues(),
                                   {{"title", "Issue " + std::to_string(i)}, {"kind", "external"}}),
                  IsOk());
    }
    key_path_ = db_.path() + ".signing-key";
    auto key = SigningKey::Create(key_path_);
    ASSERT_THAT(key, IsOk());
    key_.emplace(*std::move(key));
  }
  void TearDown() override {
    for (const char* suffix : {"", ".pub.pem", ".checkpoints"}) {
      std::filesystem::remove(key_path_ + suffix);
    }
  }

  void Tamper(const std::string& sql) {
    test::RawDatabase raw(db_.path());
    std::string error;
    ASSERT_EQ(raw.Exec(sql, &error), SQLITE_OK) << sql << ": " << error;
  }

  CheckpointVerification VerifyWithCheckpoints() {
    auto v = VerifyCheckpoints(*store_, key_->CheckpointsPath(), key_->public_key());
    EXPECT_THAT(v, IsOk());
    return v.ok() ? *v : CheckpointVerification{};
  }

  std::string key_path_;
  std::optional<SigningKey> key_;
};

TEST_F(AuditCheckpointTest, TheKeyFileIsPrivateAndNeverReplaced) {
  struct stat st {};
  ASSERT_EQ(::stat(key_path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_THAT(SigningKey::Create(key_path_), StatusIs(Code::kAlreadyExists));
  auto loaded = SigningKey::Load(key_path_);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->public_key(), key_->public_key());
  EXPECT_EQ(ReadFile(key_path_ + ".pub.pem"), key_->PublicKeyPem());
  ASSERT_EQ(::chmod(key_path_.c_str(), 0644), 0);
  EXPECT_THAT(SigningKey::Load(key_path_), StatusIs(Code::kFailedPrecondition));
  EXPECT_THAT(SigningKey::Load(key_path_ + ".missing"), StatusIs(Code::kNotFound));
  EXPECT_THAT(DefaultSigningKeyPath("postgresql://u@h/db"),
              StatusIs(Code::kInvalidArgument, "signing-key"));
  EXPECT_EQ(*DefaultSigningKeyPath("sqlite:/var/lib/rampart.db"),
            "/var/lib/rampart.db.signing-key");
}

TEST_F(AuditCheckpointTest, AnUntouchedChainMatchesItsCheckpoints) {
  auto c = WriteCheckpoint(*store_, *key_, clock_, key_->CheckpointsPath());
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->seq, 32);
  EXPECT_EQ(c->hash, Events().back().hash);
  auto parsed = ParseCheckpointLine(ReadFile(key_->CheckpointsPath()));
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->seq, 32);
  EXPECT_EQ(parsed->signature, c->signature);
  RegisterService registers(*store_, clock_);
  ASSERT_THAT(
      registers.Create(alice_, domain::ContextIssues(), {{"title", "Later"}, {"kind", "internal"}}),
      IsOk());
  const auto v = VerifyWithCheckpoints();
  EXPECT_EQ(v.checkpoints, 1);
  EXPECT_EQ(v.head_seq, 33);
  EXPECT_TRUE(v.problems.empty()) << v.problems.front();
}

// serve checkpoints at every start and interval: only when the head moved since the last
// checkpoint this key signed.
TEST_F(AuditCheckpointTest, ACheckpointIsAppendedOnlyWhenTheChainMoved) {
  const std::string path = key_->CheckpointsPath();
  auto first = WriteCheckpointIfMoved(*store_, *key_, clock_, path);
  ASSERT_THAT(first, IsOk());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->seq, 32);
  auto again = WriteCheckpointIfMoved(*store_, *key_, clock_, path);
  ASSERT_THAT(again, IsOk());
  EXPECT_FALSE(again->has_value());
  auto lines = ReadCheckpoints(path);
  ASSERT_THAT(lines, IsOk());
  EXPECT_EQ(lines->size(), 1u);
  EXPECT_EQ(ReadFile(path), CheckpointLine(**first) + "\n");

  RegisterService registers(*store_, clock_);
  ASSERT_THAT(
      registers.Create(alice_, domain::ContextIssues(), {{"title", "Later"}, {"kind", "internal"}}),
      IsOk());
  auto moved = WriteCheckpointIfMoved(*store_, *key_, clock_, path);
  ASSERT_THAT(moved, IsOk());
  ASSERT_TRUE(moved->has_value());
  EXPECT_EQ((*moved)->seq, 33);

  // A checkpoint of a newer head signed by another key does not stand in for this key's.
  ASSERT_THAT(registers.Create(alice_, domain::ContextIssues(),
                               {{"title", "Later still"}, {"kind", "internal"}}),
              IsOk());
  const std::string other_path = key_path_ + ".other";
  auto other = SigningKey::Create(other_path);
  ASSERT_THAT(other, IsOk());
  auto forged = other->Sign(Events().back().seq, Events().back().hash, "2026-12-31T00:00:00.000Z");
  ASSERT_THAT(forged, IsOk());
  std::ofstream(path, std::ios::app) << CheckpointLine(*forged) << "\n";
  std::filesystem::remove(other_path);
  std::filesystem::remove(other_path + ".pub.pem");
  auto after_forged = WriteCheckpointIfMoved(*store_, *key_, clock_, path);
  ASSERT_THAT(after_forged, IsOk());
  ASSERT_TRUE(after_forged->has_value());
  EXPECT_EQ((*after_forged)->seq, 34);
  EXPECT_NE((*after_forged)->signature, forged->signature);
  // WriteCheckpoint itself, which `rampart audit checkpoint` runs, always appends.
  ASSERT_THAT(WriteCheckpoint(*store_, *key_, clock_, path), IsOk());
  const std::string all = ReadFile(path);
  EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 5);
}

TEST_F(AuditCheckpointTest, DeletingTheNewestEventsIsFoundAsTruncation) {
  ASSERT_THAT(WriteCheckpoint(*store_, *key_, clock_, key_->CheckpointsPath()), IsOk());
  Tamper("DROP TRIGGER audit_events_no_delete");
  Tamper("DELETE FROM audit_events WHERE seq > 12");
  auto plain = VerifyAuditChain(*store_);
  ASSERT_THAT(plain, IsOk());
  EXPECT_TRUE(plain->intact);  // the chain alone cannot tell
  const auto v = VerifyWithCheckpoints();
  ASSERT_EQ(v.problems.size(), 1u);
  EXPECT_THAT(v.problems[0], HasSubstr("the chain ends at event 12, but the checkpoint of"));
  EXPECT_THAT(v.problems[0], HasSubstr("signed event 32: events were deleted from the end"));
}

TEST_F(AuditCheckpointTest, RewritingTheChainIsFoundAtTheCheckpoint) {
  ASSERT_THAT(WriteCheckpoint(*store_, *key_, clock_, key_->CheckpointsPath()), IsOk());
  // Change event 10 and recompute every later hash, as someone with the database would.
  Tamper("DROP TRIGGER audit_events_no_update");
  auto events = Events();
  std::string prev = events[8].hash;
  {
    test::RawDatabase raw(db_.path());
    for (size_t i = 9; i < events.size(); ++i) {
      auto e = events[i];
      if (e.seq == 10) e.diff = {{"title", {{"from", nullptr}, {"to", "Forged"}}}};
      e.prev_hash = prev;
      e.hash = domain::ComputeAuditHash(e);
      prev = e.hash;
      std::string sql = "UPDATE audit_events SET diff = '" + e.diff.dump() + "', prev_hash = '" +
                        e.prev_hash + "', hash = '" + e.hash +
                        "' WHERE seq = " + std::to_string(e.seq);
      ASSERT_EQ(raw.Exec(sql), SQLITE_OK) << sql;
    }
  }
  auto plain = VerifyAuditChain(*store_);
  ASSERT_THAT(plain, IsOk());
  EXPECT_TRUE(plain->intact);  // the chain alone cannot tell
  const auto v = VerifyWithCheckpoints();
  ASSERT_EQ(v.problems.size(), 1u);
  EXPECT_THAT(v.problems[0], HasSubstr("event 32 has hash " + prev));
  EXPECT_THAT(v.problems[0], HasSubstr("the chain was rewritten at or before event 32"));
}

TEST_F(AuditCheckpointTest, AForgedCheckpointDoesNotVerify) {
  auto c = WriteCheckpoint(*store_, *key_, clock_, key_->CheckpointsPath());
  ASSERT_THAT(c, IsOk());
  Checkpoint forged = *c;
  forged.seq = 5;
  forged.hash = Events()[4].hash;
  {
    std::ofstream out(key_->CheckpointsPath(), std::ios::app);
    out << CheckpointLine(forged) << "\n"
        << "not json\n";
  }
  const auto v = VerifyWithCheckpoints();
  EXPECT_EQ(v.checkpoints, 3);
  ASSERT_EQ(v.problems.size(), 2u);
  EXPECT_THAT(v.problems[0], HasSubstr("line 2 of"));
  EXPECT_THAT(v.problems[0], HasSubstr("the signature does not verify"));
  EXPECT_THAT(v.problems[1], HasSubstr("line 3 of"));
  // Another key's public key verifies none.
  const std::string other = *Ed25519PublicKey(NewEd25519Seed());
  auto with_other = VerifyCheckpoints(*store_, key_->CheckpointsPath(), other);
  ASSERT_THAT(with_other, IsOk());
  EXPECT_EQ(with_other->problems.size(), 3u);
}

TEST_F(AuditCheckpointTest, ABrokenChainGetsNoCheckpoint) {
  Tamper("DROP TRIGGER audit_events_no_update");
  Tamper("UPDATE audit_events SET actor = 'mallory' WHERE seq = 7");
  EXPECT_THAT(WriteCheckpoint(*store_, *key_, clock_, key_->CheckpointsPath()),
              StatusIs(Code::kFailedPrecondition));
  EXPECT_FALSE(std::filesystem::exists(key_->CheckpointsPath()));
}

// The offline procedure of docs/audit-trail.md: OpenSSL checks a checkpoint with the PEM key.
TEST_F(AuditCheckpointTest, OpensslVerifiesACheckpointWithThePemKey) {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl";
  auto c = WriteCheckpoint(*store_, *key_, clock_, key_->CheckpointsPath());
  ASSERT_THAT(c, IsOk());
  const std::string dir = db_.path() + ".openssl";
  std::filesystem::create_directories(dir);
  { std::ofstream(dir + "/checkpoint.json") << CheckpointLine(*c) << "\n"; }
  // The documented commands, run by sh: rebuild the message, decode the signature, verify.
  const std::string script = fmt::format(
      "cd '{0}' && line=$(tail -n 1 checkpoint.json) && "
      "seq=$(printf '%s' \"$line\" | sed -E 's/.*\"seq\":([0-9]+).*/\\1/') && "
      "hash=$(printf '%s' \"$line\" | sed -E 's/.*\"hash\":\"([0-9a-f]+)\".*/\\1/') && "
      "at=$(printf '%s' \"$line\" | sed -E 's/.*\"at\":\"([^\"]+)\".*/\\1/') && "
      "sig=$(printf '%s' \"$line\" | sed -E 's/.*\"signature\":\"([^\"]+)\".*/\\1/') && "
      "printf 'rampart-audit-checkpoint\\nseq=%s\\nhash=%s\\nat=%s\\n' \"$seq\" \"$hash\" \"$at\" "
      "> message && printf '%s' \"$sig\" | base64 -d > signature && "
      "openssl pkeyutl -verify -pubin -inkey '{1}.pub.pem' -rawin -in message -sigfile signature "
      ">/dev/null 2>&1",
      dir, key_path_);
  EXPECT_EQ(std::system(script.c_str()), 0) << script;
  // A changed hash does not verify.
  const std::string tampered = fmt::format(
      "cd '{0}' && sed -i 's/hash=./hash=X/' message && openssl pkeyutl -verify "
      "-pubin -inkey '{1}.pub.pem' -rawin -in message -sigfile signature "
      ">/dev/null 2>&1",
      dir, key_path_);
  EXPECT_NE(std::system(tampered.c_str()), 0);
  std::filesystem::remove_all(dir);
}

// Events written before addresses were recorded (encoding 1) keep verifying; the address of a
// new event is covered by its hash.
TEST_F(AuditCheckpointTest, OldEventsVerifyAndTheAddressIsHashed) {
  Principal remote = alice_;
  remote.address = "198.51.100.7";
  RegisterService registers(*store_, clock_);
  ASSERT_THAT(registers.Create(remote, domain::ContextIssues(),
                               {{"title", "From afar"}, {"kind", "internal"}}),
              IsOk());
  const auto last = Events().back();
  EXPECT_EQ(last.address, "198.51.100.7");
  EXPECT_EQ(last.encoding, 2);
  // An event as the previous release wrote it: encoding 1, no address.
  Tamper("DROP TRIGGER audit_events_no_update");
  {
    auto events = Events();
    events[2].encoding = 1;
    events[2].address = "";
    for (size_t i = 2; i < events.size(); ++i) {
      if (i > 2) events[i].prev_hash = events[i - 1].hash;
      events[i].hash = domain::ComputeAuditHash(events[i]);
      Tamper(fmt::format(
          "UPDATE audit_events SET encoding = {}, prev_hash = '{}', hash = '{}' WHERE seq = {}",
          events[i].encoding, events[i].prev_hash, events[i].hash, events[i].seq));
    }
  }
  auto v = VerifyAuditChain(*store_);
  ASSERT_THAT(v, IsOk());
  EXPECT_TRUE(v->intact) << v->problem;
  // Changing the address of the encoding-2 event breaks it.
  Tamper("UPDATE audit_events SET address = '203.0.113.1' WHERE seq = " + std::to_string(last.seq));
  v = VerifyAuditChain(*store_);
  ASSERT_THAT(v, IsOk());
  EXPECT_FALSE(v->intact);
  EXPECT_EQ(v->first_bad_seq, last.seq);
}

}  // namespace
}  // namespace rampart::app
