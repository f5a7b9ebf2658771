// Evidence files over HTTP: upload, list, metadata and download with its headers; the size limit
// (413); disguised files; the record page's evidence section and its forms.
#include <gmock/gmock.h>

#include "api_fixture.h"
#include "base/text.h"

namespace rampart::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kPdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const std::string kPng(
    "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89", 33);
constexpr int64_t kLimit = 100 * 1024;

class EvidenceApi : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    // The same installation served with a 100 KiB upload limit. (Stopping before the first
    // server listens would leave its thread listening for ever: wait until it answers.)
    for (int i = 0; i < 100 && !Client().Get("/healthz"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    server_->Stop();
    thread_.join();
    server_.reset();
    services_ = std::make_unique<app::Services>(*store_, clock_, app::AuthOptions{},
                                                app::EvidenceOptions{.max_bytes = kLimit});
    server_ = std::make_unique<http::Server>(
        *services_, http::ServerOptions{
                        .host = "127.0.0.1", .port = 0, .max_body_bytes = 64 * 1024, .threads = 4});
    auto port = server_->Bind();
    ASSERT_TRUE(port.ok());
    port_ = *port;
    thread_ = std::thread([this] { (void)server_->Run(); });
    issue_ = CreateIssue("Supplier insolvency")["id"].get<int64_t>();
    base_ = "/api/v1/context-issues/" + std::to_string(issue_) + "/evidence";
  }

  httplib::Result Upload(const std::string& file_name, const std::string& content,
                         const std::string& title = "Evidence", const std::string& expires = "",
                         const std::string& effective = "2026-01-01") {
    httplib::MultipartFormDataItems items = {
        {"file", content, file_name, "application/octet-stream"},
        {"title", title, "", ""},
        {"effective_date", effective, "", ""},
        {"expires", expires, "", ""}};
    return Client().Post(base_, Bearer(), items);
  }

  int64_t issue_ = 0;
  std::string base_;
};

TEST_F(EvidenceApi, UploadsListsAndDownloadsAsAnAttachment) {
  auto up = Upload("../../etc/Prüfbericht \"final\".pdf", kPdf, "Audit report", "2099-12-31");
  ASSERT_TRUE(up);
  ASSERT_EQ(up->status, 201) << up->body;
  const Json file = Body(up);
  const int64_t id = file["id"].get<int64_t>();
  EXPECT_EQ(up->get_header_value("Location"), "/api/v1/evidence/" + std::to_string(id));
  EXPECT_EQ(file["file_name"], "Prüfbericht final.pdf");
  EXPECT_EQ(file["content_type"], "application/pdf");
  EXPECT_EQ(file["size"], kPdf.size());
  EXPECT_EQ(file["sha256"], Sha256Hex(kPdf));
  EXPECT_EQ(file["effective_date"], "2026-01-01");
  EXPECT_EQ(file["expires"], "2099-12-31");
  EXPECT_EQ(file["expired"], false);
  EXPECT_EQ(file["record_type"], "context_issue");
  EXPECT_EQ(file["record_id"], issue_);

  auto list = Get(base_);
  ASSERT_EQ(list->status, 200) << list->body;
  ASSERT_EQ(Body(list)["data"].size(), 1u);
  EXPECT_EQ(Body(list)["data"][0]["id"], id);
  auto meta = Get("/api/v1/evidence/" + std::to_string(id));
  ASSERT_EQ(meta->status, 200);
  EXPECT_EQ(Body(meta)["title"], "Audit report");

  auto content = Get("/api/v1/evidence/" + std::to_string(id) + "/content");
  ASSERT_EQ(content->status, 200);
  EXPECT_EQ(content->body, kPdf);
  EXPECT_EQ(content->get_header_value("Content-Type"), "application/pdf");
  // cpp-httplib's client percent-decodes header values: the server sent
  // filename*=UTF-8''Pr%C3%BCfbericht%20final.pdf (AttachmentDisposition's test checks the bytes).
  EXPECT_EQ(content->get_header_value("Content-Disposition"),
            "attachment; filename=\"Pr_fbericht final.pdf\"; "
            "filename*=UTF-8''Prüfbericht final.pdf");
  EXPECT_EQ(content->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(content->get_header_value("ETag"), "\"" + Sha256Hex(kPdf) + "\"");
  auto again = Get("/api/v1/evidence/" + std::to_string(id) + "/content",
                   With(Bearer(), "If-None-Match", "\"" + Sha256Hex(kPdf) + "\""));
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());

  auto del = Client().Delete("/api/v1/evidence/" + std::to_string(id), Bearer());
  EXPECT_EQ(del->status, 204);
  EXPECT_EQ(Get("/api/v1/evidence/" + std::to_string(id))->status, 404);
  EXPECT_EQ(Body(Get(base_))["data"].size(), 0u);
  // Both changes are in the audit trail, which still verifies.
  auto events = Body(Get("/api/v1/audit/events?limit=2"))["data"];
  EXPECT_EQ(events[0]["action"], "delete");
  EXPECT_EQ(events[0]["record_type"], "evidence_file");
  EXPECT_EQ(events[1]["action"], "upload");
  EXPECT_EQ(Body(Get("/api/v1/audit/verify"))["intact"], true);
}

TEST_F(EvidenceApi, FlagsExpiredEvidence) {
  auto up = Upload("old.pdf", kPdf, "Old certificate", "2020-12-31", "2019-01-01");
  ASSERT_EQ(up->status, 201) << up->body;
  EXPECT_EQ(Body(up)["expired"], true);
  EXPECT_EQ(Body(Get(base_))["data"][0]["expired"], true);
}

TEST_F(EvidenceApi, RefusesFilesOverTheLimitWith413) {
  // Over the evidence limit, within what the server reads: the use case refuses.
  auto over = Upload("big.txt", std::string(kLimit + 1, 'a'));
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 413);
  EXPECT_EQ(Error(over), "too_large/file");
  // Far over it: the server refuses before reading the body.
  auto far = Upload("huge.txt", std::string(kLimit * 3, 'a'));
  ASSERT_TRUE(far);
  EXPECT_EQ(far->status, 413);
  EXPECT_EQ(Error(far), "too_large/file");
  // Other requests keep the body limit of 64 KiB.
  auto json = Post("/api/v1/context-issues",
                   Json{{"title", std::string(70 * 1024, 'a')}, {"kind", "internal"}});
  ASSERT_TRUE(json);
  EXPECT_EQ(json->status, 413);
  EXPECT_EQ(Error(json), "too_large/");
  EXPECT_EQ(Upload("limit.txt", std::string(kLimit, 'a'))->status, 201);
  EXPECT_EQ(Body(Get(base_))["data"].size(), 1u);
}

TEST_F(EvidenceApi, RefusesDisguisedEmptyAndUnknownFilesNamingTheFileField) {
  const std::string html = "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>";
  for (const auto& [name, content] : std::vector<std::pair<std::string, std::string>>{
           {"scan.pdf", kPng},
           {"report.pdf", html},
           {"notes.png", "plain words\n"},
           {"tool.exe", std::string("MZ\x90\0\x03\0\0\0", 8)},
           {"page.html", html},
           {"empty.txt", ""}}) {
    auto r = Upload(name, content);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400) << name << ": " << r->body;
    EXPECT_EQ(Error(r), "invalid_argument/file") << name;
  }
  auto untitled = Upload("a.pdf", kPdf, "");
  EXPECT_EQ(Error(untitled), "invalid_argument/title");
  auto not_multipart = Client().Post(base_, Bearer(), "{}", "application/json");
  EXPECT_EQ(Error(not_multipart), "invalid_argument/file");
  EXPECT_EQ(Body(Get(base_))["data"].size(), 0u);
  // No such record.
  auto missing =
      Client().Post("/api/v1/context-issues/999/evidence", Bearer(),
                    httplib::MultipartFormDataItems{{"file", kPdf, "a.pdf", "application/pdf"},
                                                    {"title", "x", "", ""}});
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(Get("/api/v1/context-issues/999/evidence")->status, 404);
}

TEST_F(EvidenceApi, TheRecordPageListsFilesAndTakesUploads) {
  const Session s = SignIn("alice", kAlicePassword);
  const std::string page = "/context-issues/" + std::to_string(issue_);
  auto empty = Client().Get(page, {{"Cookie", s.cookie}});
  ASSERT_EQ(empty->status, 200);
  EXPECT_THAT(empty->body, HasSubstr("No evidence is attached to this record yet."));
  EXPECT_THAT(empty->body, HasSubstr("action=\"" + page + "/evidence\""));
  EXPECT_THAT(empty->body, HasSubstr("enctype=\"multipart/form-data\""));

  httplib::MultipartFormDataItems items = {{"_csrf", s.csrf, "", ""},
                                           {"title", "Expired <b>cert</b>", "", ""},
                                           {"expires", "2020-01-31", "", ""},
                                           {"file", kPng, "diagram.png", "image/png"}};
  auto posted = Client().Post(page + "/evidence", {{"Cookie", s.cookie}}, items);
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 303) << posted->body;
  EXPECT_EQ(posted->get_header_value("Location"), page + "?notice=evidence-added#evidence");
  auto shown = Client().Get(page, {{"Cookie", s.cookie}});
  EXPECT_THAT(shown->body, HasSubstr("Expired &lt;b&gt;cert&lt;/b&gt;"));
  EXPECT_THAT(shown->body, HasSubstr(">Expired</span>"));
  EXPECT_THAT(shown->body, HasSubstr("diagram.png"));
  const int64_t id = Body(Get(base_))["data"][0]["id"].get<int64_t>();
  EXPECT_THAT(shown->body, HasSubstr("/api/v1/evidence/" + std::to_string(id) + "/content"));
  // The download link works with the session.
  EXPECT_EQ(Client()
                .Get("/api/v1/evidence/" + std::to_string(id) + "/content", {{"Cookie", s.cookie}})
                ->body,
            kPng);

  // Without the CSRF token nothing is attached; a disguised file is refused with the reason.
  httplib::MultipartFormDataItems forged = {{"title", "x", "", ""},
                                            {"file", kPdf, "a.pdf", "application/pdf"}};
  EXPECT_EQ(Client().Post(page + "/evidence", {{"Cookie", s.cookie}}, forged)->status, 403);
  httplib::MultipartFormDataItems disguised = {{"_csrf", s.csrf, "", ""},
                                               {"title", "x", "", ""},
                                               {"file", kPng, "a.pdf", "application/pdf"}};
  auto refused = Client().Post(page + "/evidence", {{"Cookie", s.cookie}}, disguised);
  EXPECT_EQ(refused->status, 400);
  EXPECT_THAT(refused->body, HasSubstr("File not attached"));
  EXPECT_EQ(Body(Get(base_))["data"].size(), 1u);

  auto deleted =
      Client().Post("/evidence/" + std::to_string(id) + "/delete", {{"Cookie", s.cookie}},
                    httplib::MultipartFormDataItems{{"_csrf", s.csrf, "", ""}});
  EXPECT_EQ(deleted->status, 303);
  EXPECT_EQ(deleted->get_header_value("Location"), page + "?notice=evidence-deleted#evidence");
  EXPECT_EQ(Body(Get(base_))["data"].size(), 0u);
}

// A refused upload answers the record's page with the error at the form and the title and dates
// kept (it used to answer a dead-end page that lost them).
TEST_F(EvidenceApi, ARefusedUploadKeepsWhatWasEnteredOnTheRecordsPage) {
  const Session s = SignIn("alice", kAlicePassword);
  const std::string page = "/context-issues/" + std::to_string(issue_);
  httplib::MultipartFormDataItems disguised = {{"_csrf", s.csrf, "", ""},
                                               {"title", "Pen test <report> 2026", "", ""},
                                               {"effective_date", "2026-11-02", "", ""},
                                               {"expires", "2027-11-01", "", ""},
                                               {"file", kPng, "report.pdf", "application/pdf"}};
  auto refused = Client().Post(page + "/evidence", {{"Cookie", s.cookie}}, disguised);
  ASSERT_EQ(refused->status, 400);
  // The record's own page, with its evidence section and upload form ...
  EXPECT_THAT(refused->body, HasSubstr("<title>"));
  EXPECT_THAT(refused->body, HasSubstr("action=\"" + page + "/evidence\""));
  EXPECT_THAT(refused->body, HasSubstr("No evidence is attached to this record yet."));
  // ... the reason in an alert, and the input kept (escaped).
  EXPECT_THAT(refused->body, HasSubstr("id=\"error-summary\""));
  EXPECT_THAT(refused->body, HasSubstr("Choose the file again; the rest is kept."));
  EXPECT_THAT(refused->body, HasSubstr("value=\"Pen test &lt;report&gt; 2026\""));
  EXPECT_THAT(refused->body, HasSubstr("value=\"2026-11-02\""));
  EXPECT_THAT(refused->body, HasSubstr("value=\"2027-11-01\""));
  EXPECT_EQ(Body(Get(base_))["data"].size(), 0u);

  // An error of one field marks that field.
  httplib::MultipartFormDataItems bad_date = {{"_csrf", s.csrf, "", ""},
                                              {"title", "Certificate", "", ""},
                                              {"expires", "2027-02-30", "", ""},
                                              {"file", kPng, "cert.png", "image/png"}};
  auto refused_date = Client().Post(page + "/evidence", {{"Cookie", s.cookie}}, bad_date);
  ASSERT_EQ(refused_date->status, 400);
  EXPECT_THAT(refused_date->body, HasSubstr("id=\"evidence-expires-error\""));
  EXPECT_THAT(refused_date->body, HasSubstr("value=\"Certificate\""));
  EXPECT_EQ(Body(Get(base_))["data"].size(), 0u);
}

TEST_F(EvidenceApi, ReadersSeeFilesButNoUploadForm) {
  ASSERT_TRUE(services_->members
                  .AddUser("", app::NewMember{.username = "vera",
                                              .role = domain::Role::kViewer,
                                              .password = "a long enough passphrase"})
                  .ok());
  ASSERT_EQ(Upload("a.pdf", kPdf)->status, 201);
  const Session s = SignIn("vera", "a long enough passphrase");
  auto page = Client().Get("/context-issues/" + std::to_string(issue_), {{"Cookie", s.cookie}});
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr("1 evidence file"));
  EXPECT_THAT(page->body, Not(HasSubstr("/evidence\" class=\"evidence-upload\"")));
  EXPECT_THAT(page->body, Not(HasSubstr("Attach file")));
}

}  // namespace
}  // namespace rampart::testing
