// Reports over HTTP (issue 16): every format opened by a real reader (pdftotext, LibreOffice),
// the document-control block and its content digest, the print view, what is refused and why,
// who may read what, and the reports page.
#include <fmt/format.h>
#include <gmock/gmock.h>

#include <functional>

#include "api_fixture.h"
#include "base/crypto.h"
#include "base/text.h"
#include "domain/planning.h"
#include "domain/support.h"
#include "support/document_readers.h"
#include "support/raw_records.h"

namespace rampart::testing {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class ReportApi : public SignedInTest {
 protected:
  void AddRisk(const std::string& title) {
    auto r = Post("/api/v1/risks", Json{{"title", title},
                                        {"inherent_likelihood", 4},
                                        {"inherent_impact", 5},
                                        {"treatment", "modify"},
                                        {"status", "analysed"},
                                        {"actions",
                                         {{{"action", "Encrypt every laptop disk"},
                                           {"status", "open"},
                                           {"due", "2026-01-31"}}}}});
    ASSERT_EQ(r->status, 201) << r->body;
  }

  // Risks 1..count-1 in one write: copies of the first risk (AddRisk), titled "Risk 0001", ...,
  // each changed by `shape` (with its number i).
  void AddCopiesOfTheFirstRisk(int count, const std::function<void(int, Json&)>& shape = {}) {
    const Json me = Body(Get("/api/v1/auth/me"));
    Json fields = Body(Get("/api/v1/risks"))["data"][0];
    for (const char* system : {"id", "version", "created_at", "updated_at", "created_by",
                               "updated_by", "ref", "number"}) {
      fields.erase(system);
    }
    std::vector<store::Mutation> many;
    for (int i = 1; i < count; ++i) {
      fields["title"] = fmt::format("Risk {:04d}", i);
      Json copy = fields;
      if (shape) shape(i, copy);
      many.push_back({.kind = store::Mutation::Kind::kInsert,
                      .spec = &domain::Risks(),
                      .fields = std::move(copy),
                      .action = "create",
                      .diff = Json::object()});
    }
    const store::Actor actor{.org_id = me["organisation"]["id"].get<int64_t>(),
                             .user_id = me["user_id"].get<int64_t>(),
                             .username = "alice",
                             .now = FormatUtc(clock_.Now())};
    ASSERT_TRUE(store_->Write(actor, many).ok());
  }
};

TEST_F(ReportApi, ListsEveryReportWithItsFormats) {
  const Json data = Body(Get("/api/v1/reports"))["data"];
  std::vector<std::string> names;
  for (const auto& r : data) names.push_back(r["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "isms-scope", "risk-register", "risk-treatment-plan",
                       "statement-of-applicability", "objectives", "competence-records",
                       "awareness-records", "nonconformities", "document", "internal-audit",
                       "management-review", "readiness-summary", "audit-trail"}));
  EXPECT_EQ(data[0]["formats"], Json({"pdf", "docx", "html"}));
  EXPECT_EQ(data[1]["formats"], Json({"pdf", "docx", "xlsx", "csv", "html"}));
  EXPECT_EQ(data[8]["record"], "documents");
  EXPECT_EQ(data[12]["period"], true);
}

TEST_F(ReportApi, TheRiskRegisterInEveryFormatCarriesTheSameRecordsAndDigest) {
  AddRisk("Ransomware on the file servers");
  AddRisk("Laptop theft — Zürich office");
  auto pdf = Get("/api/v1/reports/risk-register?format=pdf&classification=Confidential");
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->get_header_value("Content-Disposition"),
            "attachment; filename=\"risk-register.pdf\"");
  const std::string digest = pdf->get_header_value("X-Content-SHA256");
  ASSERT_EQ(digest.size(), 64u);
  std::string error;
  const auto text = test::PdfText(pdf->body, &error);
  ASSERT_TRUE(text) << error;
  EXPECT_THAT(*text, AllOf(HasSubstr("Risk register"), HasSubstr("Acme Ltd"),
                           HasSubstr("Confidential"), HasSubstr("As of audit event"),
                           HasSubstr("Generated from the records"), HasSubstr("Not approved"),
                           HasSubstr(digest), HasSubstr("Ransomware on the file servers"),
                           HasSubstr("Laptop theft — Zürich office"), HasSubstr("2 risks."),
                           HasSubstr("Page 1 of 1")));

  auto docx = Get("/api/v1/reports/risk-register?format=docx");
  ASSERT_EQ(docx->status, 200);
  EXPECT_EQ(docx->get_header_value("X-Content-SHA256"), digest);
  const auto words = test::DocxText(docx->body, &error);
  ASSERT_TRUE(words) << error;
  EXPECT_THAT(*words, AllOf(HasSubstr("Risk register"), HasSubstr("Internal"), HasSubstr(digest),
                            HasSubstr("Ransomware on the file servers"),
                            HasSubstr("Laptop theft — Zürich office")));

  auto csv = Get("/api/v1/reports/risk-register?format=csv");
  ASSERT_EQ(csv->status, 200);
  EXPECT_EQ(csv->get_header_value("X-Content-SHA256"), digest);
  const auto rows = ParseCsv(csv->body);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0][0], "No.");
  EXPECT_THAT(csv->body, HasSubstr("Ransomware on the file servers"));

  auto xlsx = Get("/api/v1/reports/risk-register?format=xlsx");
  ASSERT_EQ(xlsx->status, 200);
  const auto sheet = test::XlsxCsv(xlsx->body, &error);
  ASSERT_TRUE(sheet) << error;
  EXPECT_THAT(*sheet, AllOf(HasSubstr("Ransomware on the file servers"),
                            HasSubstr("Laptop theft — Zürich office")));
}

// The register is read a page of 500 records at a time: a register of several pages gives
// every record once, in the order of their ids, with the count stated, in CSV and XLSX alike.
TEST_F(ReportApi, ARegisterOfSeveralPagesIsReportedWholeInOrder) {
  AddRisk("Risk 0000");
  constexpr int kRisks = 1203;  // with the first: three pages and a few
  AddCopiesOfTheFirstRisk(kRisks);

  auto csv = Get("/api/v1/reports/risk-register?format=csv");
  ASSERT_EQ(csv->status, 200) << csv->body;
  const auto rows = ParseCsv(csv->body);
  ASSERT_EQ(rows.size(), kRisks + 1u);
  const auto title = std::find(rows[0].begin(), rows[0].end(), "Title") - rows[0].begin();
  ASSERT_LT(title, static_cast<std::ptrdiff_t>(rows[0].size()));
  for (int i = 0; i < kRisks; ++i) {
    ASSERT_EQ(rows[i + 1][title], fmt::format("Risk {:04d}", i)) << "row " << i + 1;
  }
  auto xlsx = Get("/api/v1/reports/risk-register?format=xlsx");
  ASSERT_EQ(xlsx->status, 200);
  EXPECT_EQ(xlsx->get_header_value("X-Content-SHA256"), csv->get_header_value("X-Content-SHA256"));
  std::string error;
  const auto sheet = test::XlsxCsv(xlsx->body, &error);
  ASSERT_TRUE(sheet) << error;
  EXPECT_EQ(ParseCsv(*sheet).size(), kRisks + 1u);
  EXPECT_THAT(*sheet,
              AllOf(HasSubstr("Risk 0000"), HasSubstr("Risk 0500"), HasSubstr("Risk 1202")));
}

// The treatment plan report reads the risks a page of 500 at a time: every risk that needs
// treatment once, by number, with its action, and none of those retained, in CSV and XLSX alike.
TEST_F(ReportApi, TheTreatmentPlanReportHoldsEveryRiskInTreatmentAcrossPages) {
  AddRisk("Risk 0000");
  constexpr int kRisks = 1203;  // with the first: three pages of risks and a few
  int in_plan = 1;
  AddCopiesOfTheFirstRisk(kRisks, [&](int i, Json& fields) {
    const bool retained = i % 3 == 0;  // accepted as it is: not in the plan
    fields["treatment"] = retained ? "retain" : "modify";
    in_plan += retained ? 0 : 1;
  });

  auto csv = Get("/api/v1/reports/risk-treatment-plan?format=csv");
  ASSERT_EQ(csv->status, 200) << csv->body;
  const auto rows = ParseCsv(csv->body);
  ASSERT_EQ(rows.size(), static_cast<size_t>(in_plan) + 1u);
  EXPECT_EQ(rows[0][0], "Risk");
  EXPECT_EQ(rows[0][7], "Action");
  int64_t previous = 0;
  for (size_t r = 1; r < rows.size(); ++r) {
    const int64_t number = std::stoll(rows[r][0]);
    ASSERT_GT(number, previous) << "row " << r;  // by number, each risk once
    previous = number;
    const int i = std::stoi(rows[r][1].substr(5));  // "Risk 0042"
    ASSERT_NE(i % 3 == 0 && i > 0, true) << rows[r][1] << " is retained";
    ASSERT_EQ(rows[r][7], "Encrypt every laptop disk") << "row " << r;
  }
  auto xlsx = Get("/api/v1/reports/risk-treatment-plan?format=xlsx");
  ASSERT_EQ(xlsx->status, 200);
  EXPECT_EQ(xlsx->get_header_value("X-Content-SHA256"), csv->get_header_value("X-Content-SHA256"));
  std::string error;
  const auto sheet = test::XlsxCsv(xlsx->body, &error);
  ASSERT_TRUE(sheet) << error;
  EXPECT_EQ(ParseCsv(*sheet).size(), rows.size());
}

// A printed report longer than PDF and DOCX hold is refused naming the format, before the risks
// are read (reading them takes a statement per 500); the spreadsheet formats still come whole.
TEST_F(ReportApi, APrintedReportTooLongIsRefusedBeforeItIsBuilt) {
  AddRisk("Risk 0000");
  constexpr int kRisks = static_cast<int>(app::ReportService::kMaxPrintedRows) + 1;
  AddCopiesOfTheFirstRisk(kRisks);
  for (const char* report : {"risk-register", "risk-treatment-plan"}) {
    for (const char* format : {"pdf", "docx"}) {
      const uint64_t before = store_->StatementCount();
      auto r = Get(fmt::format("/api/v1/reports/{}?format={}", report, format));
      const uint64_t statements = store_->StatementCount() - before;
      EXPECT_EQ(r->status, 413) << report << " " << format;
      EXPECT_EQ(Error(r), "too_large/format");
      EXPECT_THAT(Body(r)["error"]["message"].get<std::string>(),
                  AllOf(HasSubstr("at least 5001 rows"), HasSubstr("xlsx or csv")));
      EXPECT_LT(statements, 8u) << report << " " << format;  // the caller and one count
    }
  }
  auto xlsx = Get("/api/v1/reports/risk-register?format=xlsx");
  ASSERT_EQ(xlsx->status, 200) << xlsx->body;
  std::string error;
  const auto sheet = test::XlsxCsv(xlsx->body, &error);
  ASSERT_TRUE(sheet) << error;
  EXPECT_EQ(ParseCsv(*sheet).size(), kRisks + 1u);
}

// The same for the other registers listed whole (objectives, competence and awareness records,
// nonconformities): refused on one count, before any record is read.
TEST_F(ReportApi, APrintedRegisterReportTooLongIsRefusedBeforeItIsBuilt) {
  const Json me = Body(Get("/api/v1/auth/me"));
  const store::Actor actor{.org_id = me["organisation"]["id"].get<int64_t>(),
                           .user_id = me["user_id"].get<int64_t>(),
                           .username = "alice",
                           .now = FormatUtc(clock_.Now())};
  const int64_t first = test::InsertRaw(*store_, actor, domain::Objectives());
  ASSERT_NE(first, 0);
  auto record = store_->Get(domain::Objectives(), actor.org_id, first);
  ASSERT_TRUE(record.ok());
  std::vector<store::Mutation> many;
  for (size_t i = 1; i <= app::ReportService::kMaxPrintedRows; ++i) {
    Json fields = record->fields;
    fields["title"] = fmt::format("Objective {:04d}", i);
    many.push_back({.kind = store::Mutation::Kind::kInsert,
                    .spec = &domain::Objectives(),
                    .fields = std::move(fields),
                    .action = "create",
                    .diff = Json::object()});
  }
  ASSERT_TRUE(store_->Write(actor, many).ok());
  for (const char* format : {"pdf", "docx"}) {
    const uint64_t before = store_->StatementCount();
    auto r = Get(fmt::format("/api/v1/reports/objectives?format={}", format));
    const uint64_t statements = store_->StatementCount() - before;
    EXPECT_EQ(r->status, 413) << format;
    EXPECT_EQ(Error(r), "too_large/format");
    EXPECT_THAT(
        Body(r)["error"]["message"].get<std::string>(),
        AllOf(HasSubstr("at least 5001 rows, one per objective"), HasSubstr("xlsx or csv")));
    EXPECT_LT(statements, 8u) << format;  // the caller and one count
  }
  auto csv = Get("/api/v1/reports/objectives?format=csv");
  ASSERT_EQ(csv->status, 200) << csv->body.substr(0, 300);
  EXPECT_EQ(ParseCsv(csv->body).size(), app::ReportService::kMaxPrintedRows + 2);
}

TEST_F(ReportApi, TheTreatmentPlanAndTheStatementOfApplicability) {
  AddRisk("Ransomware on the file servers");
  auto plan = Get("/api/v1/reports/risk-treatment-plan?format=pdf");
  ASSERT_EQ(plan->status, 200) << plan->body;
  const auto text = test::PdfText(plan->body);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, AllOf(HasSubstr("Risk treatment plan"), HasSubstr("Encrypt every laptop disk"),
                           HasSubstr("1 overdue")));

  auto decided = Put("/api/v1/soa/5.1",
                     {{"applicable", true},
                      {"reasons", {"risk_treatment"}},
                      {"justification", "Policies set the direction of the ISMS"}},
                     "\"0\"");
  ASSERT_EQ(decided->status, 200) << decided->body;
  auto soa = Get("/api/v1/reports/statement-of-applicability?format=pdf");
  ASSERT_EQ(soa->status, 200) << soa->body;
  const auto soa_text = test::PdfText(soa->body);
  ASSERT_TRUE(soa_text);
  EXPECT_THAT(*soa_text, AllOf(HasSubstr("Not yet approved"), HasSubstr("Policies for information"),
                               HasSubstr("Policies set the direction of the ISMS"),
                               HasSubstr("93 Annex A controls: 1 applicable, 0 excluded, 92 "
                                         "undecided.")));
  const auto csv = ParseCsv(Get("/api/v1/reports/statement-of-applicability?format=csv")->body);
  ASSERT_EQ(csv.size(), 94u);
  EXPECT_EQ(csv[0], (std::vector<std::string>{
                        "Control", "Title", "Applicable", "Reasons for inclusion", "Justification",
                        "Implementation status", "Applied controls", "Risks"}));
  EXPECT_EQ(csv[1][0], "5.1");
  EXPECT_EQ(csv[1][2], "Yes");
}

TEST_F(ReportApi, TheScopeReportIsTheApprovedVersionWithItsApprover) {
  auto none = Get("/api/v1/reports/isms-scope?format=pdf");
  EXPECT_EQ(none->status, 404);
  EXPECT_THAT(Body(none)["error"]["message"].get<std::string>(), HasSubstr("scope"));

  auto draft = Post("/api/v1/scope", {{"title", "ISMS scope 2026"}});
  ASSERT_EQ(draft->status, 201);
  const std::string path = "/api/v1/scope/" + std::to_string(Body(draft)["id"].get<int64_t>());
  ASSERT_EQ(Patch(path,
                  {{"statement", "Design and operation of the Acme platform."},
                   {"locations", {"London office", "eu-west-1"}},
                   {"exclusions",
                    {{{"item", "Physical security of the cloud data centres"},
                      {"justification", "Provided by the cloud provider"}}}}},
                  "\"1\"")
                ->status,
            200);
  ASSERT_EQ(
      Client()
          .Post(path + "/approve", With(Bearer(), "If-Match", "\"2\""), "", "application/json")
          ->status,
      200);
  auto pdf = Get("/api/v1/reports/isms-scope?format=pdf");
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  const auto text = test::PdfText(pdf->body);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, AllOf(HasSubstr("ISMS scope 2026"), HasSubstr("Approved"), HasSubstr("alice"),
                           HasSubstr("London office"), HasSubstr("eu-west-1"),
                           HasSubstr("Physical security of the cloud data centres"),
                           HasSubstr("Provided by the cloud provider"),
                           HasSubstr("Design and operation of the Acme platform.")));
  EXPECT_THAT(*text, Not(HasSubstr("Not approved")));
  // The scope has no table to export.
  EXPECT_EQ(Error(Get("/api/v1/reports/isms-scope?format=csv")), "failed_precondition/format");
}

TEST_F(ReportApi, RefusesWhatIsWrongNamingIt) {
  EXPECT_EQ(Error(Get("/api/v1/reports/risk-register?format=odt")), "invalid_argument/format");
  EXPECT_EQ(Error(Get("/api/v1/reports/risk-register?classification=Secret")),
            "invalid_argument/classification");
  EXPECT_EQ(Get("/api/v1/reports/no-such-report")->status, 404);
  EXPECT_EQ(Error(Get("/api/v1/reports/audit-trail?format=csv")), "invalid_argument/from");
  EXPECT_EQ(Error(Get("/api/v1/reports/audit-trail?format=csv&from=2026-13-01")),
            "invalid_argument/from");
  EXPECT_EQ(Error(Get("/api/v1/reports/audit-trail?format=csv&from=2026-05-02&to=2026-05-01")),
            "invalid_argument/to");
  EXPECT_EQ(Error(Get("/api/v1/reports/risk-register?as_of=2026-02-30")), "invalid_argument/as_of");
  EXPECT_EQ(Error(Get("/api/v1/reports/risk-register?as_of=2999-01-01")), "invalid_argument/as_of");
  EXPECT_EQ(Error(Get("/api/v1/reports/statement-of-applicability?version=7")),
            "not_found/version");
  EXPECT_EQ(Error(Get("/api/v1/reports/isms-scope?as_of=2020-01-01")), "not_found/as_of");
}

TEST_F(ReportApi, AsOfAnEarlierDayReportsTheRecordsThen) {
  AddRisk("Ransomware on the file servers");
  const std::string yesterday = domain::AddDays(FormatDate(clock_.Now()), -1);
  auto then = Get("/api/v1/reports/risk-register?format=csv&as_of=" + yesterday);
  ASSERT_EQ(then->status, 200) << then->body;
  EXPECT_EQ(ParseCsv(then->body).size(), 1u);  // the header: no risk existed yet
  auto now = Get("/api/v1/reports/risk-register?format=pdf&as_of=" + FormatDate(clock_.Now()));
  ASSERT_EQ(now->status, 200);
  const auto text = test::PdfText(now->body);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, HasSubstr("Ransomware on the file servers"));
}

TEST_F(ReportApi, AnExternalAuditorDownloadsTheAuditPack) {
  AddRisk("Ransomware on the file servers");
  const Session eve = Member("eve", domain::Role::kExternalAuditor);
  auto pack = Client().Get("/api/v1/audit-pack?evidence=false", SessionHeaders(eve));
  ASSERT_EQ(pack->status, 200) << pack->body;
  EXPECT_EQ(pack->get_header_value("Content-Type"), "application/zip");
  const std::string today = FormatDate(clock_.Now());
  EXPECT_EQ(pack->get_header_value("Content-Disposition"),
            "attachment; filename=\"audit-pack-" + today + ".zip\"");
  EXPECT_EQ(pack->get_header_value("X-Content-SHA256"), Sha256Hex(pack->body));
  test::Unzipped z(pack->body);
  ASSERT_TRUE(z.ok()) << z.error();
  EXPECT_TRUE(z.files().contains("index.html"));
  EXPECT_TRUE(z.Run("sha256sum -c --strict --quiet SHA256SUMS"));
  // The download is in the audit trail, with the pack's digest.
  const Json events = Body(Get("/api/v1/audit/events?record_type=audit_pack"))["data"];
  ASSERT_EQ(events.size(), 1u) << events.dump();
  EXPECT_EQ(events[0]["actor"], "eve");
  EXPECT_EQ(events[0]["action"], "download");
  EXPECT_EQ(events[0]["diff"]["sha256"]["to"], Sha256Hex(pack->body));

  const Session vera = Member("vera", domain::Role::kViewer);
  EXPECT_EQ(Client().Get("/api/v1/audit-pack", SessionHeaders(vera))->status, 403);
  const Session sam = Member("sam", domain::Role::kStaff);
  EXPECT_EQ(Client().Get("/api/v1/audit-pack", SessionHeaders(sam))->status, 403);
  EXPECT_EQ(Error(Get("/api/v1/audit-pack?evidence=yes")), "invalid_argument/evidence");
  EXPECT_EQ(Error(Get("/api/v1/audit-pack?as_of=2026-02-30")), "invalid_argument/as_of");
  EXPECT_EQ(Error(Get("/api/v1/audit-pack?from=2999-01-01")), "invalid_argument/from");
}

TEST_F(ReportApi, TheAuditPackFormLeadsTheReportsPageForAuditTrailReaders) {
  auto page = Page("/reports");
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, AllOf(HasSubstr("id=\"audit-pack\""), HasSubstr("action=\"/audit-pack\""),
                                HasSubstr("name=\"evidence\""), HasSubstr("name=\"as_of\"")));
  auto zip = Page("/audit-pack?as_of=" + FormatDate(clock_.Now()));
  ASSERT_EQ(zip->status, 200);
  EXPECT_EQ(zip->get_header_value("Content-Type"), "application/zip");
  auto bad = Page("/audit-pack?as_of=2999-01-01");
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, AllOf(HasSubstr("The report could not be made"),
                               HasSubstr("2999-01-01 is after today")));
}

TEST_F(ReportApi, TheAuditTrailExcerptListsThePeriodsEventsWithTheirHashes) {
  AddRisk("Ransomware on the file servers");
  const std::string today = FormatDate(clock_.Now());
  auto csv = Get("/api/v1/reports/audit-trail?format=csv&from=" + today);
  ASSERT_EQ(csv->status, 200) << csv->body;
  const auto rows = ParseCsv(csv->body);
  ASSERT_GE(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"Event", "At", "Who", "Action", "Record type", "Id",
                                               "Record", "Changed", "Address", "Hash"}));
  bool found = false;
  for (const auto& row : rows) {
    if (row.size() == 10 && row[4] == "risk" && row[3] == "create") {
      found = true;
      EXPECT_EQ(row[6], "Ransomware on the file servers");
      EXPECT_EQ(row[9].size(), 64u);
    }
  }
  EXPECT_TRUE(found) << csv->body;
  // A period before anything happened has no events.
  const auto empty =
      ParseCsv(Get("/api/v1/reports/audit-trail?format=csv&from=2020-01-01&to=2020-01-31")->body);
  EXPECT_EQ(empty.size(), 1u);
}

TEST_F(ReportApi, ReadersMayReadReportsOnlyAuditTrailReadersTheExcerpt) {
  const Session viewer = Member("vera", domain::Role::kViewer);
  auto pdf = Client().Get("/api/v1/reports/readiness-summary?format=pdf", SessionHeaders(viewer));
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  const auto text = test::PdfText(pdf->body);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, AllOf(HasSubstr("Certification readiness summary"), HasSubstr("ready"),
                           HasSubstr("6.1.3-soa-approved")));
  auto excerpt = Client().Get("/api/v1/reports/audit-trail?format=csv&from=2026-01-01",
                              SessionHeaders(viewer));
  EXPECT_EQ(excerpt->status, 403);
  const Session staff = Member("sam", domain::Role::kStaff);
  EXPECT_EQ(Client().Get("/api/v1/reports/risk-register", SessionHeaders(staff))->status, 403);
  const Session auditor = Member("eve", domain::Role::kExternalAuditor);
  EXPECT_EQ(
      Client()
          .Get("/api/v1/reports/audit-trail?format=csv&from=2026-01-01", SessionHeaders(auditor))
          ->status,
      200);
}

TEST_F(ReportApi, ThePrintViewAndTheReportsPage) {
  AddRisk("Ransomware <script>alert(1)</script>");
  auto view = Get("/api/v1/reports/risk-register?format=html");
  ASSERT_EQ(view->status, 200);
  EXPECT_THAT(view->get_header_value("Content-Type"), HasSubstr("text/html"));
  EXPECT_THAT(view->body, AllOf(HasSubstr("class=\"print-doc\""), HasSubstr("Document control"),
                                HasSubstr("Content SHA-256"),
                                HasSubstr("Ransomware &lt;script&gt;alert(1)&lt;/script&gt;")));
  EXPECT_THAT(view->body, Not(HasSubstr("<script>alert")));

  auto page = Page("/reports");
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body, AllOf(HasSubstr("action=\"/reports/statement-of-applicability\""),
                                HasSubstr("name=\"classification\""), HasSubstr("value=\"docx\""),
                                HasSubstr("Print view")));
  auto file = Page("/reports/risk-register?format=csv&classification=Public");
  ASSERT_EQ(file->status, 200);
  EXPECT_THAT(file->body, HasSubstr("Ransomware"));
  // A problem shows the page again, saying what is wrong.
  auto bad = Page("/reports/audit-trail?format=pdf");
  EXPECT_EQ(bad->status, 400);
  EXPECT_THAT(bad->body, AllOf(HasSubstr("The report could not be made"),
                               HasSubstr("from must be the first day of the period")));
}

TEST_F(ReportApi, ADocumentsPublishedVersionWithItsTextApprovalAndClassification) {
  const Session erin = Member("erin", domain::Role::kExecutive);
  auto doc = Post(
      "/api/v1/documents",
      {{"title", "Backup procedure"}, {"type", "procedure"}, {"classification", "confidential"}});
  ASSERT_EQ(doc->status, 201) << doc->body;
  const std::string id = std::to_string(Body(doc)["id"].get<int64_t>());
  EXPECT_EQ(Error(Get("/api/v1/reports/document?id=" + id)), "not_found/version");
  auto draft = Post("/api/v1/documents/" + id + "/versions", Json::object());
  ASSERT_EQ(draft->status, 201) << draft->body;
  const std::string v1 =
      "/api/v1/document-versions/" + std::to_string(Body(draft)["id"].get<int64_t>());
  // A first draft has no text yet: its report says so much, no more.
  auto empty = Get("/api/v1/reports/document?format=pdf&version=1&id=" + id);
  ASSERT_EQ(empty->status, 200) << empty->body;
  auto edited = Patch(v1 + "/text",
                      {{"body",
                        "# Backups\n\nDaily backups of every server.\n\n- encrypted\n"
                        "- kept offsite\n\n| System | Kept |\n|---|---|\n| ERP | 90 days |\n"},
                       {"change_summary", "First issue"}},
                      draft->get_header_value("ETag"));
  ASSERT_EQ(edited->status, 200) << edited->body;
  auto step = [&](const httplib::Headers& who, const std::string& action,
                  const httplib::Result& before) {
    auto h = who;
    h.emplace("If-Match", before->get_header_value("ETag"));
    return Client().Post(v1 + "/" + action, h, "{}", "application/json");
  };
  auto submitted = step(Bearer(), "submit", edited);
  ASSERT_EQ(submitted->status, 200) << submitted->body;
  auto approved = step(SessionHeaders(erin), "approve", submitted);
  ASSERT_EQ(approved->status, 200) << approved->body;
  auto published = step(Bearer(), "publish", approved);
  ASSERT_EQ(published->status, 200) << published->body;

  auto pdf = Get("/api/v1/reports/document?format=pdf&id=" + id);
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  const auto text = test::PdfText(pdf->body);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, AllOf(HasSubstr("Backup procedure"), HasSubstr("Confidential"),
                           HasSubstr("erin"), HasSubstr("First issue"), HasSubstr("Backups"),
                           HasSubstr("Daily backups of every server."), HasSubstr("• encrypted"),
                           HasSubstr("• kept offsite"), HasSubstr("90 days")));
  EXPECT_THAT(*text, Not(HasSubstr("Not approved")));
  // The document's own classification stands, whatever is asked.
  const auto asked = test::PdfText(
      Get("/api/v1/reports/document?format=pdf&classification=Public&id=" + id)->body);
  ASSERT_TRUE(asked);
  EXPECT_THAT(*asked, HasSubstr("Confidential"));
  EXPECT_THAT(*asked, Not(HasSubstr("Public")));
  auto docx = Get("/api/v1/reports/document?format=docx&id=" + id + "&version=1");
  ASSERT_EQ(docx->status, 200);
  EXPECT_EQ(docx->get_header_value("X-Content-SHA256"), pdf->get_header_value("X-Content-SHA256"));
  const auto words = test::DocxText(docx->body);
  ASSERT_TRUE(words);
  EXPECT_THAT(*words, AllOf(HasSubstr("Daily backups of every server."), HasSubstr("ERP")));
  EXPECT_EQ(Error(Get("/api/v1/reports/document?id=" + id + "&version=2")), "not_found/version");
  EXPECT_EQ(Error(Get("/api/v1/reports/document?id=abc")), "invalid_argument/id");
  EXPECT_EQ(Error(Get("/api/v1/reports/document")), "invalid_argument/id");
  EXPECT_EQ(Get("/api/v1/reports/document?id=99999")->status, 404);
}

TEST_F(ReportApi, ManagementReviewMinutesNameTheChairAndAttendees) {
  const Session erin = Member("erin", domain::Role::kExecutive);
  const Json me = Body(Get("/api/v1/auth/me"));
  const int64_t ceo =
      Body(Client().Get("/api/v1/auth/me", SessionHeaders(erin)))["user_id"].get<int64_t>();
  auto review = Post("/api/v1/management-reviews",
                     {{"title", "Management review 2026"},
                      {"review_date", FormatDate(clock_.Now())},
                      {"chair", ceo},
                      {"attendees",
                       {{{"attendee", ceo}, {"capacity", "Chief executive"}},
                        {{"attendee", me["user_id"]}, {"capacity", "ISMS manager"}}}}});
  ASSERT_EQ(review->status, 201) << review->body;
  const std::string id = std::to_string(Body(review)["id"].get<int64_t>());
  auto pdf = Get("/api/v1/reports/management-review?format=pdf&id=" + id);
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  const auto text = test::PdfText(pdf->body);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, AllOf(HasSubstr("Management review minutes: Management review 2026"),
                           HasSubstr("Attendees"), HasSubstr("Chief executive"),
                           HasSubstr("ISMS manager"), HasSubstr("erin"), HasSubstr("alice")));
  // The id of a review is no internal audit's.
  EXPECT_EQ(Get("/api/v1/reports/internal-audit?id=" + id)->status, 404);
  // The review's page links its minutes as PDF.
  auto page = Page("/management-reviews/" + id);
  ASSERT_EQ(page->status, 200);
  EXPECT_THAT(page->body,
              HasSubstr("href=\"/reports/management-review?id=" + id + "&amp;format=pdf\""));
}

}  // namespace
}  // namespace rampart::testing
