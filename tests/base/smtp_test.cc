#include "base/smtp.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/status_matchers.h"

namespace rampart {
namespace {

using test::IsOk;
using test::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(QuotedPrintable, KeepsTextReadableAndEncodesTheRest) {
  EXPECT_EQ(QuotedPrintable("Hello\nworld"), "Hello\r\nworld");
  EXPECT_EQ(QuotedPrintable("a=b"), "a=3Db");
  EXPECT_EQ(QuotedPrintable("Stra\xc3\x9f" "e"), "Stra=C3=9Fe");
  EXPECT_EQ(QuotedPrintable("trailing \nx"), "trailing=20\r\nx");
  const std::string qp = QuotedPrintable(std::string(200, 'x'));
  for (size_t start = 0; start < qp.size();) {
    size_t end = qp.find("\r\n", start);
    if (end == std::string::npos) end = qp.size();
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
}

TEST(FormatMailMessage, HasTheHeadersAMailServerAndReaderExpect) {
  const std::string m = FormatMailMessage(
      "rampart@example.org", "alice@example.org", "Reminders \xe2\x80\x94 Acme\r\nBcc: eve@x.org",
      "Line one\n.Line with a dot\n", TimePoint(std::chrono::seconds(1773480413)), "abc@example.org");
  EXPECT_THAT(m, StartsWith("Date: Sat, 14 Mar 2026 09:26:53 +0000\r\n"));
  EXPECT_THAT(m, HasSubstr("From: Rampart <rampart@example.org>\r\n"));
  EXPECT_THAT(m, HasSubstr("To: <alice@example.org>\r\n"));
  EXPECT_THAT(m, HasSubstr("Subject: =?UTF-8?B?"));
  EXPECT_THAT(m, Not(HasSubstr("\r\nBcc:")));  // a subject cannot add a header
  EXPECT_THAT(m, HasSubstr("Message-ID: <abc@example.org>\r\n"));
  EXPECT_THAT(m, HasSubstr("MIME-Version: 1.0\r\n"));
  EXPECT_THAT(m, HasSubstr("Content-Type: text/plain; charset=UTF-8\r\n"));
  EXPECT_THAT(m, HasSubstr("Content-Transfer-Encoding: quoted-printable\r\n"));
  EXPECT_THAT(m, HasSubstr("\r\n\r\nLine one\r\n.Line with a dot\r\n"));  // curl dot-stuffs
}

TEST(CheckSmtpOptions, NamesWhatIsWrong) {
  EXPECT_THAT(CheckSmtpOptions({.url = "smtp://mail.example.org:587", .from = "r@example.org"}),
              IsOk());
  EXPECT_THAT(CheckSmtpOptions({.url = "smtps://mail.example.org", .from = "r@example.org"}),
              IsOk());
  EXPECT_THAT(CheckSmtpOptions({.url = "http://mail.example.org", .from = "r@example.org"}),
              StatusIs(Code::kInvalidArgument, "smtp-url"));
  EXPECT_THAT(CheckSmtpOptions({.url = "smtp://", .from = "r@example.org"}),
              StatusIs(Code::kInvalidArgument, "smtp-url"));
  EXPECT_THAT(CheckSmtpOptions({.url = "smtp://user:secret@mail.example.org",
                                .from = "r@example.org"}),
              StatusIs(Code::kInvalidArgument, "smtp-url"));
  EXPECT_THAT(CheckSmtpOptions({.url = "smtp://mail.example.org", .from = ""}),
              StatusIs(Code::kInvalidArgument, "smtp-from"));
  EXPECT_THAT(CheckSmtpOptions({.url = "smtp://mail.example.org", .from = "a@b.org\r\nX: y"}),
              StatusIs(Code::kInvalidArgument, "smtp-from"));
}

TEST(ReadSmtpCredentials, ReadsAFileOnlyItsOwnerMayReadAndNeverSaysThePassword) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("rampart-smtp-" + std::to_string(getpid()) + ".cred");
  {
    std::ofstream out(path);
    out << "mailer\ns3cret-Pa55\n";
  }
  SmtpOptions o;
  ::chmod(path.c_str(), 0644);
  Status st = ReadSmtpCredentials(path.string(), o);
  EXPECT_THAT(st, StatusIs(Code::kPermissionDenied));
  EXPECT_THAT(std::string(st.message()), Not(HasSubstr("s3cret")));
  ::chmod(path.c_str(), 0600);
  ASSERT_THAT(ReadSmtpCredentials(path.string(), o), IsOk());
  EXPECT_EQ(o.username, "mailer");
  EXPECT_EQ(o.password, "s3cret-Pa55");
  {
    std::ofstream out(path);
    out << "only-a-user\n";
  }
  ::chmod(path.c_str(), 0600);
  EXPECT_THAT(ReadSmtpCredentials(path.string(), o),
              StatusIs(Code::kInvalidArgument, "smtp-credentials"));
  std::filesystem::remove(path);
}

TEST(SmtpClient, ReportsAServerThatIsNotThere) {
  // Port 9 on loopback: nothing listens (connection refused).
  SmtpClient client({.url = "smtp://127.0.0.1:9", .from = "r@example.org",
                     .timeout = std::chrono::seconds(5)});
  EXPECT_THAT(client.Send("alice@example.org", "s", "t"), StatusIs(Code::kUnavailable));
  EXPECT_THAT(client.Send("alice@example.org\r\nRCPT TO:<eve@x.org>", "s", "t"),
              StatusIs(Code::kInvalidArgument, "email"));
}

}  // namespace
}  // namespace rampart
