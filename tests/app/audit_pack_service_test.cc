// The audit pack (issue 16): unpacked by Info-ZIP's unzip, its checksums checked by sha256sum,
// its audit trail excerpt checked by the pack's own verify.sh (and a tampered event caught), its
// reports read by pdftotext; its signed checkpoints checked by verify.sh with openssl (a chain
// rewritten with new hashes caught); the records as they were on an earlier day; the download
// recorded; one organisation's pack without another's records; what is refused.
#include "app/audit_pack_service.h"

#include <fmt/format.h>
#include <gmock/gmock.h>

#include <filesystem>
#include <regex>

#include "app/audit_checkpoint.h"
#include "app/services.h"
#include "app_fixture.h"
#include "base/crypto.h"
#include "domain/annex_a.h"
#include "domain/context.h"
#include "domain/documents.h"
#include "domain/internal_audit.h"
#include "domain/management_review.h"
#include "domain/risk.h"
#include "support/document_readers.h"
#include "support/raw_records.h"

namespace rampart::app {
namespace {

using domain::Json;
using test::IsOk;
using test::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

class AuditPackTest : public ServicesTest {
 protected:
  // Every control decided (excluded), then the statement approved.
  void ApproveSoa(const Principal& p) {
    std::vector<SoaService::ControlVersion> all;
    for (const auto& c : domain::AnnexAControls()) all.push_back({c.id, 0});
    ASSERT_THAT(services_->soa.DecideMany(
                    p, all, {{"applicable", false}, {"justification", "Not in scope yet"}}),
                IsOk());
    ASSERT_THAT(services_->soa.Approve(p, "first statement"), IsOk());
  }

  AuditPack Pack(const Principal& p, AuditPackOptions o = {}) {
    auto pack = services_->audit_pack.Build(p, o);
    EXPECT_THAT(pack, IsOk());
    return pack.ok() ? std::move(pack).value() : AuditPack{};
  }
};

// The file of `z` whose path matches `pattern`; fails the test when there is none.
std::string FileLike(const test::Unzipped& z, const std::string& pattern) {
  const std::regex re(pattern);
  for (const auto& [path, bytes] : z.files()) {
    if (std::regex_match(path, re)) return path;
  }
  std::string paths;
  for (const auto& [path, bytes] : z.files()) paths += "\n  " + path;
  ADD_FAILURE() << "no file matches " << pattern << "; the files:" << paths;
  return "";
}

TEST_F(AuditPackTest, EveryFileIsIndexedChecksummedAndTheTrailVerifiesOffline) {
  Insert(alice_, domain::ScopeStatements(),
         {{"title", "ISMS scope"}, {"version_number", 1}, {"status", "approved"}});
  const int64_t policy = Insert(alice_, domain::Documents(),
                                {{"title", "Information security policy"},
                                 {"type", "isms_policy"},
                                 {"status", "published"},
                                 {"published_version", 1}});
  Insert(alice_, domain::DocumentVersions(),
         {{"document", policy},
          {"version_number", 1},
          {"status", "published"},
          {"body", "# Purpose\n\nWe protect the information we hold."}});
  Insert(alice_, domain::Risks(), {{"title", "Ransomware on the file servers"}});
  Insert(alice_, domain::InternalAudits(),
         {{"title", "Access control audit"}, {"status", "reported"}});
  ApproveSoa(alice_);

  const AuditPack pack = Pack(alice_);
  EXPECT_EQ(pack.filename, "audit-pack-" + Today() + ".zip");
  EXPECT_EQ(pack.sha256, Sha256Hex(pack.bytes));
  test::Unzipped z(pack.bytes);
  ASSERT_TRUE(z.ok()) << z.error();
  EXPECT_EQ(static_cast<int64_t>(z.files().size()), pack.files);

  // Every file is in SHA256SUMS, and sha256sum agrees with it.
  std::string error;
  const auto sums = z.Run("sha256sum -c --strict SHA256SUMS", &error);
  ASSERT_TRUE(sums) << error;
  for (const auto& [path, bytes] : z.files()) {
    if (path != "SHA256SUMS") {
      EXPECT_THAT(*sums, HasSubstr(path + ": OK"));
    }
  }
  // The index links every file but itself and the checksums.
  const std::string index = z.files().at("index.html");
  for (const auto& [path, bytes] : z.files()) {
    if (path == "index.html" || path == "SHA256SUMS") continue;
    EXPECT_THAT(index, HasSubstr("href=\"" + path + "\"")) << path;
    EXPECT_THAT(index, HasSubstr(Sha256Hex(bytes))) << path;
  }
  EXPECT_THAT(index, AllOf(HasSubstr("Audit pack: Acme"), HasSubstr("Risk register"),
                           HasSubstr("Statement of Applicability"),
                           HasSubstr("No management review was held by the end of " + Today())));

  // The reports, read by pdftotext.
  auto text = [&](const std::string& pattern) {
    auto t = test::PdfText(z.files().at(FileLike(z, pattern)), &error);
    EXPECT_TRUE(t) << error;
    return t.value_or("");
  };
  EXPECT_THAT(text("[0-9]+-isms-scope/isms-scope\\.pdf"), HasSubstr("ISMS scope"));
  EXPECT_THAT(text("[0-9]+-information-security-policy[a-z-]*/"
                   "[a-z0-9-]*information-security-policy-v1\\.pdf"),
              HasSubstr("We protect the information we hold."));
  EXPECT_THAT(text("[0-9]+-risk-register/risk-register\\.pdf"),
              HasSubstr("Ransomware on the file servers"));
  EXPECT_THAT(text("[0-9]+-statement-of-applicability/statement-of-applicability\\.pdf"),
              AllOf(HasSubstr("93 Annex A controls: 0 applicable, 93 excluded"),
                    HasSubstr("Not in scope yet")));
  EXPECT_THAT(text("[0-9]+-internal-audit-reports/audit-[0-9]+-access-control-audit\\.pdf"),
              HasSubstr("Access control audit"));
  FileLike(z, "[0-9]+-risk-register/risk-register\\.xlsx");

  // The audit trail excerpt verifies with sh and sha256sum alone ...
  const std::string chain = FileLike(z, "[0-9]+-audit-trail-excerpt/chain\\.tsv");
  const std::string dir = chain.substr(0, chain.find('/'));
  const auto verified = z.Run("sh " + dir + "/verify.sh", &error);
  ASSERT_TRUE(verified) << error;
  EXPECT_THAT(*verified, HasSubstr("every hash matches its event"));
  EXPECT_THAT(z.files().at(dir + "/VERIFY.txt"), HasSubstr("The server verified the whole chain"));
  EXPECT_THAT(z.files().at(dir + "/VERIFY.txt"), HasSubstr(": intact,"));
  EXPECT_THAT(z.files().at(dir + "/VERIFY.txt"),
              HasSubstr("Signed checkpoints: none. The server that built this pack has no audit "
                        "signing key"));
  EXPECT_FALSE(z.files().contains(dir + "/checkpoints.tsv"));
  // ... and an event changed after the fact is caught.
  std::string tampered = z.files().at(chain);
  const size_t at = tampered.find("\"create\"");
  ASSERT_NE(at, std::string::npos);
  tampered.replace(at, 8, "\"delete\"");
  ASSERT_TRUE(z.Write(chain, tampered));
  const auto refused = z.Run("sh " + dir + "/verify.sh", &error);
  EXPECT_FALSE(refused);
  EXPECT_THAT(error, HasSubstr("its content does not match its hash"));
  // Without the excerpt it checks nothing, and says so.
  ASSERT_TRUE(z.Run("rm " + chain));
  EXPECT_FALSE(z.Run("sh " + dir + "/verify.sh", &error));
  EXPECT_THAT(error, HasSubstr("chain.tsv is missing"));

  // The download is an audit event naming the pack's digest.
  const auto events = Events();
  ASSERT_FALSE(events.empty());
  const auto& e = events.back();
  EXPECT_EQ(e.action, "download");
  EXPECT_EQ(e.record_type, "audit_pack");
  EXPECT_EQ(e.org_id, alice_.org_id);
  EXPECT_EQ(e.diff["sha256"]["to"], pack.sha256);
  EXPECT_EQ(e.diff["as_of"]["to"], Today());
  EXPECT_EQ(e.diff["files"]["to"], pack.files);
}

// The lines of chain.tsv with the event whose canonical encoding holds `needle` changed and every
// later hash recomputed, as someone rewriting the trail would: each line's own checks still pass.
std::string RewriteChain(const std::string& chain, const std::string& needle,
                         const std::string& replacement) {
  std::string out;
  std::string old_prev, new_prev;  // the previous event's hash before and after the rewrite
  bool rewriting = false;
  size_t start = 0;
  while (start < chain.size()) {
    const size_t end = chain.find('\n', start);
    std::string line = chain.substr(start, end - start);
    start = end + 1;
    const size_t tab1 = line.find('\t'), tab2 = line.find('\t', tab1 + 1);
    const std::string seq = line.substr(0, tab1), hash = line.substr(tab1 + 1, tab2 - tab1 - 1);
    std::string canonical = line.substr(tab2 + 1);
    if (!rewriting && canonical.find(needle) != std::string::npos) {
      rewriting = true;
      canonical.replace(canonical.find(needle), needle.size(), replacement);
    } else if (rewriting) {
      const size_t at = canonical.rfind(old_prev);
      if (at != std::string::npos) canonical.replace(at, old_prev.size(), new_prev);
    }
    old_prev = hash;
    new_prev = rewriting ? Sha256Hex(canonical) : hash;
    out += seq + "\t" + new_prev + "\t" + canonical + "\n";
  }
  return out;
}

// Issue 16: with the installation's audit signing key, the excerpt carries the checkpoints signed
// on its events (not those on another organisation's) and the key's public half; verify.sh checks
// each signature with openssl and the signed hash against chain.tsv, so a trail rewritten with
// every later hash recomputed, which passes the hash checks, is caught, and so is a forged
// signature.
TEST_F(AuditPackTest, SignedCheckpointsOfTheExcerptCatchARewrittenChain) {
  const std::string key_path = db_.path() + ".signing-key";
  struct Cleanup {
    std::string path;
    ~Cleanup() {
      for (const char* suffix : {"", ".pub.pem", ".checkpoints"}) {
        std::filesystem::remove(path + suffix);
      }
    }
  } cleanup{key_path};
  auto key = SigningKey::Create(key_path);
  ASSERT_THAT(key, IsOk());
  Insert(alice_, domain::Risks(), {{"title", "Ransomware on the file servers"}});
  Insert(alice_, domain::Risks(), {{"title", "Laptop theft"}});
  const auto checkpoint = WriteCheckpoint(*store_, *key, clock_, key->CheckpointsPath());
  ASSERT_THAT(checkpoint, IsOk());
  // Signed again with no new event (a restart): the event is in the pack once.
  ASSERT_THAT(WriteCheckpoint(*store_, *key, clock_, key->CheckpointsPath()), IsOk());
  Insert(alice_, domain::Risks(), {{"title", "Phishing of the finance team"}});
  const Principal globex = Globex();
  Insert(globex, domain::Risks(), {{"title", "Globex's own risk"}});
  ASSERT_THAT(WriteCheckpoint(*store_, *key, clock_, key->CheckpointsPath()), IsOk());
  services_->audit_pack.SetSigningKey(key->PublicKeyPem(), key->CheckpointsPath());

  const AuditPack pack = Pack(alice_);
  test::Unzipped z(pack.bytes);
  ASSERT_TRUE(z.ok()) << z.error();
  const std::string chain = FileLike(z, "[0-9]+-audit-trail-excerpt/chain\\.tsv");
  const std::string dir = chain.substr(0, chain.find('/'));
  EXPECT_EQ(z.files().at(dir + "/checkpoints.tsv"),
            fmt::format("{}\t{}\t{}\t{}\n", checkpoint->seq, checkpoint->hash, checkpoint->at,
                        checkpoint->signature));
  EXPECT_EQ(z.files().at(dir + "/signing-key.pub.pem"), key->PublicKeyPem());
  EXPECT_THAT(z.files().at(dir + "/VERIFY.txt"),
              AllOf(HasSubstr("Signed checkpoints: 1 in checkpoints.tsv, the newest on event " +
                              std::to_string(checkpoint->seq)),
                    HasSubstr(Sha256Hex(key->PublicKeyPem()))));
  std::string error;
  const auto verified = z.Run("sh " + dir + "/verify.sh", &error);
  ASSERT_TRUE(verified) << error;
  EXPECT_THAT(*verified,
              AllOf(HasSubstr("1 signed checkpoint(s) verify with signing-key.pub.pem"),
                    HasSubstr(fmt::format("the newest signed event: {} (", checkpoint->seq))));

  // The first risk's event changed, every later hash recomputed: the hashes and links check, the
  // checkpoint does not.
  const std::string original = z.files().at(chain);
  ASSERT_TRUE(z.Write(chain, RewriteChain(original, "Ransomware", "Ransomwary")));
  EXPECT_FALSE(z.Run("sh " + dir + "/verify.sh", &error));
  EXPECT_THAT(error, HasSubstr(fmt::format("event {}: its hash is not the one its checkpoint of {} "
                                           "signed",
                                           checkpoint->seq, checkpoint->at)));
  EXPECT_THAT(error, Not(HasSubstr("does not match its hash")));
  EXPECT_THAT(error, Not(HasSubstr("does not name the hash")));

  // A checkpoint signed by another key (a forged one) does not verify.
  ASSERT_TRUE(z.Write(chain, original));
  auto other = SigningKey::Create(key_path + "-other");
  ASSERT_THAT(other, IsOk());
  const Cleanup other_cleanup{key_path + "-other"};
  const auto forged = other->Sign(checkpoint->seq, checkpoint->hash, checkpoint->at);
  ASSERT_THAT(forged, IsOk());
  ASSERT_TRUE(z.Write(
      dir + "/checkpoints.tsv",
      fmt::format("{}\t{}\t{}\t{}\n", forged->seq, forged->hash, forged->at, forged->signature)));
  EXPECT_FALSE(z.Run("sh " + dir + "/verify.sh", &error));
  EXPECT_THAT(error, HasSubstr(fmt::format("checkpoint of event {} ({}): its signature does not "
                                           "verify with signing-key.pub.pem",
                                           checkpoint->seq, checkpoint->at)));
}

TEST_F(AuditPackTest, AsOfAnEarlierDayHoldsTheRecordsAsTheyWereThen) {
  const int64_t risk = Insert(alice_, domain::Risks(), {{"title", "Laptop theft"}});
  ApproveSoa(alice_);
  const std::string day1 = Today();
  clock_.Advance(std::chrono::hours(48));
  Update(alice_, domain::Risks(), risk, {{"title", "Laptop theft in transit"}});
  Insert(alice_, domain::Risks(), {{"title", "Phishing of the finance team"}});
  ASSERT_THAT(services_->soa.Update(alice_, "5.1", 1,
                                    {{"applicable", true}, {"reasons", {"risk_treatment"}}}),
              IsOk());

  std::string error;
  {
    test::Unzipped z(Pack(alice_, {.as_of = day1}).bytes);
    ASSERT_TRUE(z.ok()) << z.error();
    const auto register_text = test::PdfText(
        z.files().at(FileLike(z, "[0-9]+-risk-register/risk-register\\.pdf")), &error);
    ASSERT_TRUE(register_text) << error;
    EXPECT_THAT(*register_text,
                AllOf(HasSubstr("Laptop theft"), Not(HasSubstr("in transit")),
                      Not(HasSubstr("Phishing")), HasSubstr("As of the end of " + day1)));
    const auto soa = test::PdfText(
        z.files().at(FileLike(z, "[0-9]+-statement-of-applicability/.*\\.pdf")), &error);
    ASSERT_TRUE(soa) << error;
    EXPECT_THAT(*soa, HasSubstr("0 applicable, 93 excluded"));
    // The audit trail ends with the day.
    const std::string chain = z.files().at(FileLike(z, ".*/chain\\.tsv"));
    EXPECT_THAT(chain, Not(HasSubstr("Phishing")));
  }
  {
    test::Unzipped z(Pack(alice_).bytes);
    ASSERT_TRUE(z.ok()) << z.error();
    const auto register_text = test::PdfText(
        z.files().at(FileLike(z, "[0-9]+-risk-register/risk-register\\.pdf")), &error);
    ASSERT_TRUE(register_text) << error;
    EXPECT_THAT(*register_text, AllOf(HasSubstr("Laptop theft in transit"), HasSubstr("Phishing")));
    const auto soa = test::PdfText(
        z.files().at(FileLike(z, "[0-9]+-statement-of-applicability/.*\\.pdf")), &error);
    ASSERT_TRUE(soa) << error;
    EXPECT_THAT(*soa, HasSubstr("1 applicable, 92 excluded"));
  }
}

TEST_F(AuditPackTest, EvidenceFilesOnlyWhenAskedAndOnlyTheOrganisationsOwn) {
  const int64_t risk = Insert(alice_, domain::Risks(), {{"title", "Ransomware"}});
  ASSERT_THAT(services_->evidence.Upload(alice_, {.record_type = "risk",
                                                  .record_id = risk,
                                                  .input = {.title = "Backup restore test",
                                                            .file_name = "restore-test.txt"},
                                                  .content = "Restored 12 files on 2026-11-30.\n"}),
              IsOk());
  // A deleted record's files stay in the store, but not in the pack.
  const int64_t gone = Insert(alice_, domain::Risks(), {{"title", "Retired risk"}});
  ASSERT_THAT(services_->evidence.Upload(
                  alice_, {.record_type = "risk",
                           .record_id = gone,
                           .input = {.title = "Old scan", .file_name = "old-scan.txt"},
                           .content = "Scanned before retirement.\n"}),
              IsOk());
  Delete(alice_, domain::Risks(), gone);
  const Principal bob = Globex();
  Insert(bob, domain::Risks(), {{"title", "Globex only: flood in the data centre"}});

  test::Unzipped without(Pack(alice_).bytes);
  ASSERT_TRUE(without.ok());
  for (const auto& [path, bytes] : without.files()) {
    EXPECT_THAT(path, Not(HasSubstr("evidence")));
  }
  test::Unzipped with(Pack(alice_, {.evidence = true}).bytes);
  ASSERT_TRUE(with.ok());
  const std::string file =
      FileLike(with, "[0-9]+-evidence-files/risk-[0-9]+/[0-9]+-restore-test\\.txt");
  EXPECT_EQ(with.files().at(file), "Restored 12 files on 2026-11-30.\n");
  EXPECT_THAT(with.files().at("index.html"),
              AllOf(HasSubstr("Backup restore test"), Not(HasSubstr("Old scan"))));
  for (const auto& [path, bytes] : with.files()) {
    EXPECT_THAT(bytes, Not(HasSubstr("Globex only"))) << path;
  }
  // Globex's pack has its own risk and no file of Acme's.
  test::Unzipped globex(Pack(bob, {.evidence = true}).bytes);
  ASSERT_TRUE(globex.ok());
  std::string error;
  const auto text = test::PdfText(
      globex.files().at(FileLike(globex, "[0-9]+-risk-register/risk-register\\.pdf")), &error);
  ASSERT_TRUE(text) << error;
  EXPECT_THAT(*text, AllOf(HasSubstr("Globex only"), Not(HasSubstr("Ransomware"))));
  for (const auto& [path, bytes] : globex.files()) {
    EXPECT_THAT(bytes, Not(HasSubstr("Restored 12 files"))) << path;
  }
}

TEST_F(AuditPackTest, RefusesWhatIsWrongNamingItAndRecordsNothing) {
  const size_t before = Events().size();
  EXPECT_THAT(services_->audit_pack.Build(alice_, {.as_of = "2026-02-30"}),
              StatusIs(Code::kInvalidArgument, "as_of"));
  EXPECT_THAT(services_->audit_pack.Build(alice_, {.as_of = "2999-01-01"}),
              StatusIs(Code::kInvalidArgument, "as_of"));
  EXPECT_THAT(services_->audit_pack.Build(alice_, {.from = "yesterday"}),
              StatusIs(Code::kInvalidArgument, "from"));
  EXPECT_THAT(services_->audit_pack.Build(alice_, {.as_of = "2020-01-01", .from = "2020-01-02"}),
              StatusIs(Code::kInvalidArgument, "from"));
  EXPECT_THAT(services_->audit_pack.Build(alice_, {.classification = "Secret"}),
              StatusIs(Code::kInvalidArgument, "classification"));
  Principal viewer = alice_;
  viewer.role = domain::Role::kViewer;
  EXPECT_THAT(services_->audit_pack.Build(viewer, {}), StatusIs(Code::kPermissionDenied));
  Principal external = alice_;
  external.role = domain::Role::kExternalAuditor;
  EXPECT_EQ(Events().size(), before);
  EXPECT_THAT(services_->audit_pack.Build(external, {}), IsOk());
  EXPECT_EQ(Events().size(), before + 1);
}

}  // namespace
}  // namespace rampart::app
