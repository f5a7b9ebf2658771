// EvidenceService: the size limit, the type judged from the bytes, who may attach and delete,
// organisation scoping and the audit events.
#include "app/evidence_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/app_fixture.h"
#include "base/crypto.h"
#include "domain/context.h"

namespace rampart::app {
namespace {

using domain::ContextIssues;
using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;

const std::string kPdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const std::string kPng(
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89", 33);
const std::string kHtml = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";

class EvidenceServiceTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    registers_ = std::make_unique<RegisterService>(*store_, clock_);
    evidence_ = std::make_unique<EvidenceService>(*store_, clock_, *registers_,
                                                  EvidenceOptions{.max_bytes = 1024});
    auto issue = registers_->Create(alice_, ContextIssues(),
                                    {{"title", "Supplier insolvency"}, {"kind", "external"}});
    ASSERT_THAT(issue, IsOk());
    issue_id_ = issue->id;
  }

  EvidenceUpload Upload(const std::string& name, const std::string& content,
                        int64_t record_id = 0) const {
    return {.record_type = "context_issue",
            .record_id = record_id == 0 ? issue_id_ : record_id,
            .input = {.title = "Evidence", .file_name = name, .expires = "2026-12-31"},
            .content = content};
  }

  // A member of Acme with `role`.
  Principal Member(const std::string& name, domain::Role role) {
    const std::string now = FormatUtc(clock_.Now());
    auto u = test::AddMember(*store_, acme_.org.id, name, now);
    EXPECT_THAT(u, IsOk());
    EXPECT_THAT(store_->UpdateMembership(domain::Membership{u->id, acme_.org.id, role, {}, {}},
                                         store::AuditDraft{.org_id = acme_.org.id, .at = now}),
                IsOk());
    Principal p = alice_;
    p.user_id = u->id;
    p.username = name;
    p.role = role;
    return p;
  }

  std::unique_ptr<RegisterService> registers_;
  std::unique_ptr<EvidenceService> evidence_;
  int64_t issue_id_ = 0;
};

TEST_F(EvidenceServiceTest, StoresAFileWithItsCheckedTypeHashAndAnAuditEvent) {
  auto f = evidence_->Upload(alice_, Upload("../Policy \"v2\".PDF", kPdf));
  ASSERT_THAT(f, IsOk());
  EXPECT_EQ(f->file_name, "Policy v2.PDF");
  EXPECT_EQ(f->content_type, "application/pdf");
  EXPECT_EQ(f->sha256, Sha256Hex(kPdf));
  EXPECT_EQ(f->size, static_cast<int64_t>(kPdf.size()));
  EXPECT_EQ(f->expires, "2026-12-31");
  EXPECT_EQ(f->uploaded_by, alice_.user_id);
  auto content = evidence_->Download(alice_, f->id);
  ASSERT_THAT(content, IsOk());
  EXPECT_EQ(content->bytes, kPdf);
  const auto e = Events().back();
  EXPECT_EQ(e.action, "upload");
  EXPECT_EQ(e.record_type, "evidence_file");
  EXPECT_EQ(e.record_id, f->id);
  EXPECT_EQ(e.diff["record_id"]["to"], issue_id_);
  EXPECT_EQ(e.diff["sha256"]["to"], Sha256Hex(kPdf));

  ASSERT_THAT(evidence_->Delete(alice_, f->id), IsOk());
  EXPECT_EQ(Events().back().action, "delete");
  EXPECT_EQ(Events().back().diff["title"]["from"], "Evidence");
  EXPECT_THAT(evidence_->Get(alice_, f->id), StatusIs(Code::kNotFound));
}

TEST_F(EvidenceServiceTest, RefusesFilesOverTheLimitAndEmptyFiles) {
  EXPECT_THAT(evidence_->Upload(alice_, Upload("big.txt", std::string(1025, 'a'))),
              StatusIs(Code::kTooLarge, "file"));
  EXPECT_THAT(evidence_->Upload(alice_, Upload("limit.txt", std::string(1024, 'a'))), IsOk());
  EXPECT_THAT(evidence_->Upload(alice_, Upload("empty.txt", "")),
              StatusIs(Code::kInvalidArgument, "file"));
}

TEST_F(EvidenceServiceTest, RefusesFilesWhoseBytesAreNotWhatTheirNameSays) {
  const size_t events = Events().size();
  auto png_as_pdf = evidence_->Upload(alice_, Upload("scan.pdf", kPng));
  EXPECT_THAT(png_as_pdf, StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(png_as_pdf.status().message(), HasSubstr("image/png"));
  EXPECT_THAT(evidence_->Upload(alice_, Upload("report.pdf", kHtml)),
              StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(evidence_->Upload(alice_, Upload("notes.png", "plain words\n")),
              StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(evidence_->Upload(alice_, Upload("page.txt", kHtml)),
              StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(evidence_->Upload(alice_, Upload("tool.exe", std::string("MZ\x90\0\x03\0\0\0", 8))),
              StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(evidence_->Upload(alice_, Upload("noextension", kPdf)),
              StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(evidence_->Upload(alice_, Upload("diagram.png", kPng)), IsOk());
  EXPECT_EQ(Events().size(), events + 1);  // refusals change nothing
}

TEST_F(EvidenceServiceTest, ValidatesTheMetadataNamingTheField) {
  auto u = Upload("a.pdf", kPdf);
  u.input.title = " ";
  EXPECT_THAT(evidence_->Upload(alice_, u), StatusIs(Code::kInvalidArgument, "title"));
  u = Upload("a.pdf", kPdf);
  u.input.effective_date = "2027-01-01";
  EXPECT_THAT(evidence_->Upload(alice_, u), StatusIs(Code::kInvalidArgument, "expires"));
  u = Upload("a.pdf", kPdf);
  u.input.effective_date = "tomorrow";
  EXPECT_THAT(evidence_->Upload(alice_, u), StatusIs(Code::kInvalidArgument, "effective_date"));
}

TEST_F(EvidenceServiceTest, AttachesOnlyToAnExistingRecordOfTheCallersOrganisation) {
  EXPECT_THAT(evidence_->Upload(alice_, Upload("a.pdf", kPdf, 999)), StatusIs(Code::kNotFound));
  auto bad_type = Upload("a.pdf", kPdf);
  bad_type.record_type = "users";
  EXPECT_THAT(evidence_->Upload(alice_, bad_type), StatusIs(Code::kNotFound));
  auto f = evidence_->Upload(alice_, Upload("a.pdf", kPdf));
  ASSERT_THAT(f, IsOk());
  const Principal bob = Globex();
  EXPECT_THAT(evidence_->Upload(bob, Upload("a.pdf", kPdf)), StatusIs(Code::kNotFound));
  EXPECT_THAT(evidence_->List(bob, ContextIssues(), issue_id_), StatusIs(Code::kNotFound));
  EXPECT_THAT(evidence_->Get(bob, f->id), StatusIs(Code::kNotFound));
  EXPECT_THAT(evidence_->Download(bob, f->id), StatusIs(Code::kNotFound));
  EXPECT_THAT(evidence_->Delete(bob, f->id), StatusIs(Code::kNotFound));
  EXPECT_THAT(evidence_->Get(alice_, f->id), IsOk());
}

TEST_F(EvidenceServiceTest, WritingNeedsWhatChangingTheRecordNeeds) {
  const Principal viewer = Member("vera", domain::Role::kViewer);
  const Principal carl = Member("carl", domain::Role::kContributor);
  EXPECT_THAT(evidence_->Upload(viewer, Upload("a.pdf", kPdf)), StatusIs(Code::kPermissionDenied));
  // The contributor attaches to records naming them, not to others.
  EXPECT_THAT(evidence_->Upload(carl, Upload("a.pdf", kPdf)), StatusIs(Code::kPermissionDenied));
  auto theirs =
      registers_->Create(alice_, ContextIssues(),
                         {{"title", "Carl's"}, {"kind", "internal"}, {"owner", carl.user_id}});
  ASSERT_THAT(theirs, IsOk());
  auto f = evidence_->Upload(carl, Upload("a.pdf", kPdf, theirs->id));
  ASSERT_THAT(f, IsOk());
  auto alices = evidence_->Upload(alice_, Upload("b.pdf", kPdf));
  ASSERT_THAT(alices, IsOk());
  EXPECT_THAT(evidence_->Delete(carl, alices->id), StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(evidence_->Delete(viewer, f->id), StatusIs(Code::kPermissionDenied));
  // Everyone who reads records reads the files.
  EXPECT_THAT(evidence_->List(viewer, ContextIssues(), issue_id_), IsOk());
  EXPECT_THAT(evidence_->Download(viewer, alices->id), IsOk());
  EXPECT_THAT(evidence_->Delete(carl, f->id), IsOk());
  // A read-only token reads but does not write.
  Principal reader = alice_;
  reader.read_only = true;
  EXPECT_THAT(evidence_->Upload(reader, Upload("c.pdf", kPdf)), StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(evidence_->Get(reader, alices->id), IsOk());
}

}  // namespace
}  // namespace rampart::app
