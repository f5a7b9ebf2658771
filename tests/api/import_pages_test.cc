// The import pages of a register (import_pages.cc): a file uploaded from the register's list,
// its columns mapped, a dry run listing each row's errors, Apply only when there are none and
// then the list saying what was imported; another person's file and a viewer refused.
#include <gmock/gmock.h>

#include <string>

#include "api_fixture.h"
#include "base/text.h"

namespace rampart::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ImportPages : public SignedInTest {
 protected:
  // Uploads `csv` as `name` to the context issues' import page as `s`.
  httplib::Result UploadAs(const Session& s, const std::string& csv,
                           const std::string& name = "issues.csv",
                           const std::string& mapping_id = "") {
    httplib::MultipartFormDataItems items = {{"_csrf", s.csrf, "", ""},
                                             {"file", csv, name, "text/csv"}};
    if (!mapping_id.empty()) items.push_back({"mapping_id", mapping_id, "", ""});
    return Client().Post("/context-issues/import", {{"Cookie", s.cookie}}, items);
  }
  // Alice's upload of `csv`: the path of its mapping page.
  std::string Upload(const std::string& csv, const std::string& name = "issues.csv") {
    auto r = UploadAs(session_, csv, name);
    EXPECT_TRUE(r);
    if (!r) return "";
    EXPECT_EQ(r->status, 303) << r->body.substr(0, 500);
    return r->get_header_value("Location");
  }
  int64_t CountIssues() {
    return Body(Get("/api/v1/context-issues?total=true"))["total"].get<int64_t>();
  }
};

constexpr const char* kMapping = "col.0=title&col.1=kind&dates=day-first";

TEST_F(ImportPages, TheListOffersImportAndTheUploadPageSaysHow) {
  auto list = Page("/context-issues");
  ASSERT_EQ(list->status, 200);
  EXPECT_THAT(list->body, HasSubstr("href=\"/context-issues/import\""));
  auto page = Page("/context-issues/import");
  ASSERT_EQ(page->status, 200) << page->body.substr(0, 500);
  EXPECT_THAT(page->body, HasSubstr("<h1>Import context issues</h1>"));
  EXPECT_THAT(page->body, HasSubstr("accept=\".csv,.xlsx\""));
  EXPECT_THAT(page->body, HasSubstr("200,000 rows"));
  EXPECT_THAT(page->body, HasSubstr("href=\"/api/v1/context-issues/export?format=xlsx\""));
  // Registers of approved versions are drafted and approved one by one: no import.
  EXPECT_EQ(Page("/scope/import")->status, 404);
  EXPECT_THAT(Page("/scope")->body, Not(HasSubstr("/scope/import")));
}

TEST_F(ImportPages, ABadRowIsListedWithItsErrorAndNothingCanBeApplied) {
  const std::string page =
      Upload("Title,Internal or external\nSupplier outage,Internal\nNew regulation,Sideways\n");
  ASSERT_THAT(page, ::testing::MatchesRegex("/context-issues/import/[0-9]+"));
  // The proposal: each column with its first values and the field it is proposed to hold.
  auto mapping = Page(page);
  ASSERT_EQ(mapping->status, 200) << mapping->body.substr(0, 500);
  EXPECT_THAT(mapping->body, HasSubstr("<select id=\"col-1\" name=\"col.1\""));
  EXPECT_THAT(mapping->body, HasSubstr("<option value=\"kind\" selected>Internal or external"));
  EXPECT_THAT(mapping->body, HasSubstr("Proposed: the field&#39;s label"));
  EXPECT_THAT(mapping->body, HasSubstr("<li>Sideways</li>"));
  EXPECT_THAT(mapping->body, HasSubstr("value=\"dry-run\""));

  auto dry = Submit(page, std::string(kMapping) + "&action=dry-run");
  ASSERT_EQ(dry->status, 200) << dry->body.substr(0, 500);
  EXPECT_THAT(dry->body, HasSubstr("<h2 id=\"import-report-title\">Dry run</h2>"));
  EXPECT_THAT(dry->body, HasSubstr("1 row has errors"));
  EXPECT_THAT(dry->body,
              HasSubstr("Column &quot;Internal or external&quot;</span>: Internal or external: "
                        "&quot;Sideways&quot; is not one of Internal, External"));
  EXPECT_THAT(dry->body, HasSubstr("Nothing will be imported until they are fixed"));
  EXPECT_THAT(dry->body, Not(HasSubstr("value=\"apply\"")));
  // A row in error is named by its title as the file writes it.
  EXPECT_THAT(dry->body, HasSubstr("<td class=\"cell-title\">New regulation</td>"));
  // Errors first: row 3 before row 2.
  EXPECT_LT(dry->body.find(">3</td>"), dry->body.find(">2</td>"));

  // Applying anyway writes nothing.
  auto apply = Submit(page, std::string(kMapping) + "&action=apply");
  EXPECT_EQ(apply->status, 400);
  EXPECT_THAT(apply->body, HasSubstr("Nothing was imported"));
  EXPECT_EQ(CountIssues(), 0);
}

TEST_F(ImportPages, AGoodFileIsAppliedAndTheListSaysWhatWasImported) {
  const std::string page =
      Upload("Title,Internal or external\nSupplier outage,Internal\nNew regulation,External\n",
             "issues.csv");
  auto dry = Submit(page, std::string(kMapping) + "&action=dry-run");
  ASSERT_EQ(dry->status, 200) << dry->body.substr(0, 500);
  EXPECT_THAT(dry->body, HasSubstr("No row has errors. Apply creates 2, updates 0"));
  EXPECT_THAT(dry->body, HasSubstr("name=\"action\" value=\"apply\""));
  EXPECT_EQ(CountIssues(), 0);  // a dry run changes nothing

  auto apply = Submit(page, std::string(kMapping) + "&action=apply");
  ASSERT_EQ(apply->status, 303) << apply->body.substr(0, 500);
  const std::string to = apply->get_header_value("Location");
  EXPECT_EQ(to, "/context-issues?notice=imported-2-0-0");
  auto list = Page(to);
  ASSERT_EQ(list->status, 200);
  EXPECT_THAT(list->body, HasSubstr("Imported: 2 created, 0 updated, 0 unchanged."));
  EXPECT_THAT(list->body, HasSubstr(">Supplier outage</a>"));
  EXPECT_THAT(list->body, HasSubstr(">New regulation</a>"));
  EXPECT_EQ(CountIssues(), 2);
  const Json found = Body(Get("/api/v1/context-issues?q=regulation"));
  ASSERT_EQ(found["data"].size(), 1u);
  EXPECT_EQ(found["data"][0]["kind"], "external");
  // The file has served: it is no longer kept.
  EXPECT_EQ(Page(page)->status, 404);
}

TEST_F(ImportPages, AFileThatDoesNotReadIsRefusedAtTheFileField) {
  auto bad = UploadAs(session_, std::string("Title\n=HYPERLINK(\"x\")\n"));
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, HasSubstr("class=\"field-error\" id=\"file-error\""));
  EXPECT_THAT(bad->body, HasSubstr("aria-invalid=\"true\""));
  std::string many = "Title\n";
  for (int i = 0; i < 200001; ++i) many += "x\n";
  auto large = UploadAs(session_, many);
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, 413);
  EXPECT_THAT(large->body, HasSubstr("more than 200,000 rows"));
  auto none = Client().Post("/context-issues/import", {{"Cookie", session_.cookie}},
                            httplib::MultipartFormDataItems{{"_csrf", session_.csrf, "", ""}});
  EXPECT_EQ(none->status, 400);
  EXPECT_THAT(none->body, HasSubstr("choose the spreadsheet to import"));
}

TEST_F(ImportPages, AMappingIsSavedByNameAndOfferedForTheNextFile) {
  const std::string page = Upload("Heading,Scope\nSupplier outage,Internal\n");
  auto nameless = Submit(page, "col.0=title&col.1=kind&action=save-mapping&mapping_name=");
  EXPECT_EQ(nameless->status, 400);
  EXPECT_THAT(nameless->body, HasSubstr("id=\"mapping_name-error\""));
  auto saved = Submit(page, "col.0=title&col.1=kind&action=save-mapping&mapping_name=Our+sheet");
  ASSERT_EQ(saved->status, 200) << saved->body.substr(0, 500);
  EXPECT_THAT(saved->body, HasSubstr("Mapping &quot;Our sheet&quot; saved"));
  auto mappings = Body(Get("/api/v1/context-issues/import-mappings"));
  ASSERT_EQ(mappings["data"].size(), 1u);
  const std::string id = std::to_string(mappings["data"][0]["id"].get<int64_t>());
  auto upload_page = Page("/context-issues/import");
  EXPECT_THAT(upload_page->body, HasSubstr("<option value=\"" + id + "\">Our sheet</option>"));
  auto next = UploadAs(session_, "Heading,Scope\nNew regulation,External\n", "next.csv", id);
  ASSERT_EQ(next->status, 303);
  const std::string to = next->get_header_value("Location");
  EXPECT_THAT(to, HasSubstr("?mapping=" + id));
  auto proposed = Page(to);
  EXPECT_THAT(proposed->body, HasSubstr("<option value=\"kind\" selected>"));
  EXPECT_THAT(proposed->body, HasSubstr("Proposed: the saved mapping"));

  // Deleted from the upload page: gone from the list and the API, audited.
  EXPECT_THAT(upload_page->body, HasSubstr("Delete the saved mapping Our sheet"));
  auto deleted = SignedInTest::Submit("/context-issues/import/mappings/" + id + "/delete", "");
  ASSERT_EQ(deleted->status, 303) << deleted->body.substr(0, 500);
  EXPECT_EQ(deleted->get_header_value("Location"), "/context-issues/import?notice=mapping-deleted");
  auto after = Page("/context-issues/import?notice=mapping-deleted");
  EXPECT_THAT(after->body, HasSubstr("The saved mapping was deleted."));
  EXPECT_THAT(after->body, ::testing::Not(HasSubstr("Our sheet")));
  EXPECT_EQ(Body(Get("/api/v1/context-issues/import-mappings"))["data"].size(), 0u);
  EXPECT_EQ(SignedInTest::Submit("/context-issues/import/mappings/" + id + "/delete", "")->status,
            404);
}

TEST_F(ImportPages, AnotherPersonsFileIsNotFound) {
  const Session manager = Member("mona", domain::Role::kIsmsManager);
  auto theirs = UploadAs(manager, "Title\nSupplier outage\n");
  ASSERT_EQ(theirs->status, 303) << theirs->body.substr(0, 500);
  const std::string page = theirs->get_header_value("Location");
  EXPECT_EQ(Client().Get(page, {{"Cookie", manager.cookie}})->status, 200);
  auto seen = Page(page);
  EXPECT_EQ(seen->status, 404);
  EXPECT_THAT(seen->body, HasSubstr("This file is not available"));
  EXPECT_EQ(Submit(page, "col.0=title&action=apply")->status, 404);
  EXPECT_EQ(CountIssues(), 0);
}

TEST_F(ImportPages, AViewerIsRefusedAndNotOfferedTheImport) {
  const Session viewer = Member("vera", domain::Role::kViewer);
  const Session manager = Member("mona", domain::Role::kIsmsManager);
  EXPECT_EQ(Client().Get("/context-issues/import", {{"Cookie", viewer.cookie}})->status, 403);
  EXPECT_EQ(Client().Get("/context-issues/import", {{"Cookie", manager.cookie}})->status, 200);
  EXPECT_EQ(UploadAs(viewer, "Title\nSupplier outage\n")->status, 403);
  auto list = Client().Get("/context-issues", {{"Cookie", viewer.cookie}});
  ASSERT_EQ(list->status, 200);
  EXPECT_THAT(list->body, Not(HasSubstr("/context-issues/import")));
  EXPECT_THAT(Client().Get("/context-issues", {{"Cookie", manager.cookie}})->body,
              HasSubstr("href=\"/context-issues/import\""));
  EXPECT_EQ(CountIssues(), 0);
}

}  // namespace
}  // namespace rampart::testing
