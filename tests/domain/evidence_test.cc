#include "domain/evidence.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/status_matchers.h"

namespace rampart::domain {
namespace {

using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;

TEST(SafeFileName, KeepsOnlyTheLastPathComponent) {
  EXPECT_EQ(SafeFileName("../../etc/passwd"), "passwd");
  EXPECT_EQ(SafeFileName("C:\\Users\\me\\report.pdf"), "report.pdf");
  EXPECT_EQ(SafeFileName("/var/tmp/../x.png"), "x.png");
  EXPECT_EQ(SafeFileName(".."), "evidence");
  EXPECT_EQ(SafeFileName("dir/"), "evidence");
}

TEST(SafeFileName, DropsQuotesControlsAndHeaderBreakers) {
  EXPECT_EQ(SafeFileName("a\"b'c.pdf"), "abc.pdf");
  EXPECT_EQ(SafeFileName("report.pdf\r\nSet-Cookie: x=1"), "report.pdfSet-Cookie x=1");
  EXPECT_EQ(SafeFileName("a;b%20c.txt"), "ab20c.txt");
  EXPECT_EQ(SafeFileName(std::string("a\0b.pdf", 7)), "ab.pdf");
  EXPECT_EQ(SafeFileName("  .hidden.txt  "), "hidden.txt");
  EXPECT_EQ(SafeFileName("name.pdf..."), "name.pdf");
  EXPECT_EQ(SafeFileName(""), "evidence");
}

TEST(SafeFileName, KeepsLettersOfEveryScriptAndRemovesDirectionOverrides) {
  EXPECT_EQ(SafeFileName("Richtlinie_Überprüfung.pdf"), "Richtlinie_Überprüfung.pdf");
  EXPECT_EQ(SafeFileName("政策.docx"), "政策.docx");
  // U+202E RIGHT-TO-LEFT OVERRIDE would show "invoice\u202Efdp.exe" as "invoiceexe.pdf".
  EXPECT_EQ(SafeFileName("invoice\u202Efdp.exe"), "invoicefdp.exe");
  // Invalid UTF-8 becomes '_'.
  EXPECT_EQ(SafeFileName("a\xff\xfe.txt"), "a__.txt");
}

TEST(SafeFileName, ShortensLongNamesKeepingTheExtension) {
  const std::string safe = SafeFileName(std::string(300, 'a') + ".pdf");
  EXPECT_EQ(safe.size(), 150u);
  EXPECT_EQ(safe.substr(safe.size() - 4), ".pdf");
  // A multi-byte character is not cut in two.
  std::string umlauts;
  for (int i = 0; i < 100; ++i) umlauts += "ü";
  const std::string cut = SafeFileName(umlauts + ".txt");
  EXPECT_LE(cut.size(), 150u);
  EXPECT_EQ(cut.substr(cut.size() - 4), ".txt");
  EXPECT_EQ((cut.size() - 4) % 2, 0u);
}

TEST(AttachmentDisposition, GivesAnAsciiNameAndTheUtf8Name) {
  EXPECT_EQ(AttachmentDisposition("report.pdf"),
            "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
  EXPECT_EQ(AttachmentDisposition("Überprüfung 2026.pdf"),
            "attachment; filename=\"_berpr_fung 2026.pdf\"; "
            "filename*=UTF-8''%C3%9Cberpr%C3%BCfung%202026.pdf");
  // Whatever the stored name, nothing can end the header or the quoted string.
  const std::string h = AttachmentDisposition("x\"\r\n.pdf");
  EXPECT_EQ(h, "attachment; filename=\"x.pdf\"; filename*=UTF-8''x.pdf");
}

TEST(MatchEvidenceType, AcceptsBytesThatAreWhatTheExtensionSays) {
  EXPECT_EQ(*MatchEvidenceType("a.PDF", "application/pdf"), "application/pdf");
  EXPECT_EQ(*MatchEvidenceType("a.jpeg", "image/jpeg"), "image/jpeg");
  EXPECT_EQ(*MatchEvidenceType("a.csv", "text/plain"), "text/csv");
  EXPECT_EQ(*MatchEvidenceType("a.docx", "application/zip"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(*MatchEvidenceType("mail.eml", "message/rfc822"), "message/rfc822");
}

TEST(MatchEvidenceType, RefusesDisguisedAndUnknownFilesNamingTheFileField) {
  EXPECT_THAT(MatchEvidenceType("a.pdf", "text/html"), StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(MatchEvidenceType("a.pdf", "image/png"), StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(MatchEvidenceType("a.png", "text/plain"), StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(MatchEvidenceType("a.txt", "text/html"), StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(MatchEvidenceType("a.pdf", "application/x-dosexec"),
              StatusIs(Code::kInvalidArgument, "file"));
  auto exe = MatchEvidenceType("setup.exe", "application/x-dosexec");
  EXPECT_THAT(exe, StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(exe.status().message(), HasSubstr(".exe are not accepted"));
  EXPECT_THAT(MatchEvidenceType("README", "text/plain"), StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(MatchEvidenceType("page.html", "text/html"),
              StatusIs(Code::kInvalidArgument, "file"));
}

TEST(CheckEvidenceSize, RefusesEmptyAndOversizedFiles) {
  EXPECT_THAT(CheckEvidenceSize(0, 100), StatusIs(Code::kInvalidArgument, "file"));
  EXPECT_THAT(CheckEvidenceSize(101, 100), StatusIs(Code::kTooLarge, "file"));
  EXPECT_THAT(CheckEvidenceSize(100, 100), IsOk());
}

TEST(ValidateEvidence, NamesTheFieldOfEachProblem) {
  const EvidenceInput ok{.title = " Policy ",
                         .file_name = "a/p.pdf",
                         .effective_date = "2026-01-01",
                         .expires = "2026-12-31"};
  auto v = ValidateEvidence(ok);
  ASSERT_THAT(v, IsOk());
  EXPECT_EQ(v->title, "Policy");
  EXPECT_EQ(v->file_name, "p.pdf");
  auto bad = ok;
  bad.title = "  ";
  EXPECT_THAT(ValidateEvidence(bad), StatusIs(Code::kInvalidArgument, "title"));
  bad = ok;
  bad.title = std::string(201, 'x');
  EXPECT_THAT(ValidateEvidence(bad), StatusIs(Code::kInvalidArgument, "title"));
  bad = ok;
  bad.file_name = "";
  EXPECT_THAT(ValidateEvidence(bad), StatusIs(Code::kInvalidArgument, "file"));
  bad = ok;
  bad.effective_date = "2026-02-30";
  EXPECT_THAT(ValidateEvidence(bad), StatusIs(Code::kInvalidArgument, "effective_date"));
  bad = ok;
  bad.expires = "31.12.2026";
  EXPECT_THAT(ValidateEvidence(bad), StatusIs(Code::kInvalidArgument, "expires"));
  bad = ok;
  bad.expires = "2025-12-31";
  EXPECT_THAT(ValidateEvidence(bad), StatusIs(Code::kInvalidArgument, "expires"));
  bad = ok;
  bad.effective_date = "";
  bad.expires = "";
  EXPECT_THAT(ValidateEvidence(bad), IsOk());
}

TEST(IsExpired, TheExpiryDateIsTheLastValidDay) {
  EvidenceFile f;
  EXPECT_FALSE(IsExpired(f, "2030-01-01"));  // no expiry
  f.expires = "2026-06-30";
  EXPECT_FALSE(IsExpired(f, "2026-06-29"));
  EXPECT_FALSE(IsExpired(f, "2026-06-30"));
  EXPECT_TRUE(IsExpired(f, "2026-07-01"));
}

}  // namespace
}  // namespace rampart::domain
