// The report formats opened by real readers: PDF by poppler (pdftotext, pdfinfo), DOCX by
// LibreOffice; and the ZIP container and the content digest on their own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/crypto.h"
#include "base/docx.h"
#include "base/markdown.h"
#include "base/pdf.h"
#include "base/report_document.h"
#include "base/zip.h"
#include "support/document_readers.h"
#include "support/status_matchers.h"

namespace rampart {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

ReportDocument Sample(int rows, int columns = 4) {
  ReportDocument doc;
  doc.control = {.organisation = "Zürich Bäckerei AG",
                 .title = "Statement of Applicability",
                 .version = "7",
                 .status = "Approved",
                 .approver = "Ada Lovelace",
                 .approved_at = "2026-11-30",
                 .owner = "Grace Hopper",
                 .classification = "Confidential",
                 .generated_at = "2026-12-06T10:00:00Z"};
  doc.Heading("Scope of the ISMS");
  doc.Paragraph("Öffentliche Kunden — Ελληνικά — 日本語\nSecond line of the paragraph");
  doc.Fields({{"Boundaries", "Head office, Lyon data centre"}});
  doc.Heading("Controls", 2);
  ReportTable t;
  for (int c = 0; c < columns; ++c) t.header.push_back("Column " + std::to_string(c + 1));
  t.numeric.assign(static_cast<size_t>(columns), false);
  t.numeric.back() = true;
  for (int r = 0; r < rows; ++r) {
    std::vector<std::string> row;
    for (int c = 0; c + 1 < columns; ++c)
      row.push_back("Row" + std::to_string(r + 1) + "-C" + std::to_string(c + 1));
    row.push_back(std::to_string(r + 1));
    t.rows.push_back(row);
  }
  doc.Table(t, /*main=*/true);
  doc.control.source_sha256 = ContentDigest(doc);
  return doc;
}

TEST(ContentDigestTest, SameContentSameDigestAnyChangeAnother) {
  const ReportDocument a = Sample(3);
  ReportDocument b = Sample(3);
  b.control.generated_at = "2030-01-01T00:00:00Z";  // the control block is not content
  EXPECT_EQ(ContentDigest(a), ContentDigest(b));
  EXPECT_EQ(ContentDigest(a).size(), 64u);
  b.blocks.back().table.rows[1][0] = "changed";
  EXPECT_NE(ContentDigest(a), ContentDigest(b));
  // Cells moved between columns change the encoding: ("ab","") is not ("a","b").
  ReportDocument c, d;
  c.Table({.header = {"x", "y"}, .rows = {{"ab", ""}}});
  d.Table({.header = {"x", "y"}, .rows = {{"a", "b"}}});
  EXPECT_NE(ContentDigest(c), ContentDigest(d));
  // The encoding, spelled out: kind, then each string length-prefixed (a table: its header's
  // size and cells, its rows' count, each row's size and cells).
  ReportDocument e;
  e.Heading("Scope", 2);
  e.Table({.header = {"x"}, .rows = {{"a"}}});
  EXPECT_EQ(ContentDigest(e), Sha256Hex("1:0"
                                        "1:2"
                                        "5:Scope"
                                        "1:3"
                                        "1:1"
                                        "1:x"
                                        "1:1"
                                        "1:1"
                                        "1:a"));
}

TEST(ColumnSharesTest, FollowTheTextsOrTheGivenWidths) {
  ReportTable t{.header = {"a", "b"}, .rows = {{"xxxxxxxxxxxxxxxxxxxx", "yyyy"}}};
  auto s = ColumnShares(t);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_DOUBLE_EQ(s[0], 22.0 / 28.0);  // each with two characters of padding
  t.widths = {1, 3};
  s = ColumnShares(t);
  EXPECT_DOUBLE_EQ(s[0], 0.25);
  EXPECT_DOUBLE_EQ(s[1], 0.75);
}

TEST(PdfTest, PopplerReadsTheControlBlockUnicodeAndEveryRow) {
  const ReportDocument doc = Sample(120);
  const auto pdf_result = PdfBytes(doc);
  ASSERT_THAT(pdf_result, test::IsOk());
  const std::string& pdf = *pdf_result;
  ASSERT_TRUE(pdf.starts_with("%PDF-"));
  std::string error;
  const auto text = test::PdfText(pdf, &error);
  ASSERT_TRUE(text) << error;
  EXPECT_THAT(
      *text, AllOf(HasSubstr("Statement of Applicability"), HasSubstr("Zürich Bäckerei AG"),
                   HasSubstr("Ada Lovelace"), HasSubstr("2026-11-30"), HasSubstr("Grace Hopper"),
                   HasSubstr("Confidential"), HasSubstr("2026-12-06T10:00:00Z"),
                   HasSubstr(doc.control.source_sha256), HasSubstr("Ελληνικά"), HasSubstr("日本語"),
                   HasSubstr("Öffentliche"), HasSubstr("Second line of the paragraph"),
                   HasSubstr("Head office, Lyon data centre"), HasSubstr("Row1-C1"),
                   HasSubstr("Row120-C3")));
  const auto info = test::PdfInfo(pdf, &error);
  ASSERT_TRUE(info) << error;
  EXPECT_THAT(*info, ::testing::ContainsRegex("Title: +Statement of Applicability"));
  EXPECT_THAT(*info, HasSubstr("595.276 x 841.89 pts (A4)"));  // portrait: four columns
  // 120 rows take several pages; each says which of how many it is, and repeats the header.
  const size_t pages = std::stoul(info->substr(info->find("Pages:") + 6));
  EXPECT_GE(pages, 3u);
  EXPECT_THAT(*text, HasSubstr("Page 1 of " + std::to_string(pages)));
  EXPECT_THAT(*text, HasSubstr("Page " + std::to_string(pages) + " of " + std::to_string(pages)));
  size_t headers = 0;
  for (size_t at = text->find("Column 1"); at != std::string::npos;
       at = text->find("Column 1", at + 1)) {
    ++headers;
  }
  EXPECT_EQ(headers, pages - 0) << "the table's header row on each page";
}

TEST(PdfTest, WideTablesAreLandscapeAndAnEmptyTableSaysNone) {
  ReportDocument doc = Sample(0, 9);
  const auto pdf_result = PdfBytes(doc);
  ASSERT_THAT(pdf_result, test::IsOk());
  const std::string& pdf = *pdf_result;
  const auto info = test::PdfInfo(pdf);
  ASSERT_TRUE(info);
  EXPECT_THAT(*info, HasSubstr("841.89 x 595.276 pts (A4)"));
  EXPECT_THAT(*info, ::testing::ContainsRegex("Pages: +1\n"));
  const auto text = test::PdfText(pdf);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, HasSubstr("None."));
}

TEST(PdfTest, ALongParagraphFlowsOntoTheNextPage) {
  ReportDocument doc;
  doc.control.title = "Policy";
  std::string text;
  for (int i = 1; i <= 400; ++i)
    text += "Sentence number " + std::to_string(i) + " of the policy. ";
  doc.Paragraph(text);
  const auto pdf_result = PdfBytes(doc);
  ASSERT_THAT(pdf_result, test::IsOk());
  const auto plain = test::PdfText(*pdf_result);
  ASSERT_TRUE(plain);
  const size_t first_page_end = plain->find('\f');
  ASSERT_NE(first_page_end, std::string::npos);
  EXPECT_LT(plain->find("Sentence number 1 "), first_page_end);
  EXPECT_GT(plain->find("Sentence number 400 "), first_page_end);  // on a later page
  EXPECT_THAT(*plain, HasSubstr("Page 1 of "));
}

TEST(PdfTest, InvalidUtf8AndControlCharactersStillRender) {
  ReportDocument doc;
  doc.control.title = "Broken \xff\xfe bytes";
  doc.Paragraph("tab\there \x01 and a very long word " + std::string(3000, 'x'));
  const auto pdf_result = PdfBytes(doc);
  ASSERT_THAT(pdf_result, test::IsOk());
  const std::string& pdf = *pdf_result;
  const auto text = test::PdfText(pdf);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, HasSubstr("Broken"));
  EXPECT_THAT(*text, HasSubstr("xxxxxxxx"));
}

TEST(DocxTest, LibreOfficeReadsTheControlBlockUnicodeAndEveryRow) {
  const ReportDocument doc = Sample(120);
  const auto docx_result = DocxBytes(doc);
  ASSERT_THAT(docx_result, test::IsOk());
  const std::string& docx = *docx_result;
  ASSERT_TRUE(docx.starts_with("PK"));
  std::string error;
  const auto text = test::DocxText(docx, &error);
  ASSERT_TRUE(text) << error;
  EXPECT_THAT(
      *text,
      AllOf(HasSubstr("Statement of Applicability"), HasSubstr("Organisation"),
            HasSubstr("Zürich Bäckerei AG"), HasSubstr("Approved by"), HasSubstr("Ada Lovelace"),
            HasSubstr("Approval date"), HasSubstr("2026-11-30"), HasSubstr("Classification"),
            HasSubstr("Confidential"), HasSubstr(doc.control.source_sha256), HasSubstr("Ελληνικά"),
            HasSubstr("日本語"), HasSubstr("Second line of the paragraph"),
            HasSubstr("Scope of the ISMS"), HasSubstr("Row1-C1"), HasSubstr("Row120-C3")));
}

TEST(DocxTest, ControlCharactersAreDroppedNotAnInvalidDocument) {
  ReportDocument doc;
  doc.control.title = "Title";
  doc.Paragraph(
      "before\x01\x02"
      "after <b>&amp;</b>");
  // U+FFFF and a stray byte may not make the document unreadable either.
  doc.Paragraph("nonchar \xEF\xBF\xBF and stray \xFF byte");
  const auto docx_result = DocxBytes(doc);
  ASSERT_THAT(docx_result, test::IsOk());
  const std::string& docx = *docx_result;
  const auto text = test::DocxText(docx);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, HasSubstr("beforeafter <b>&amp;</b>"));
  EXPECT_THAT(*text, HasSubstr("nonchar  and stray \xEF\xBF\xBD byte"));
}

TEST(ZipTest, RefusesRepeatedNames) {
  const auto repeated = ZipBytes({{"a.txt", "1"}, {"a.txt", "2"}});
  EXPECT_THAT(repeated, test::StatusIs(Code::kInvalidArgument, "name"));
  EXPECT_THAT(repeated.status().message(), HasSubstr("\"a.txt\""));
  EXPECT_THAT(ZipBytes({{"", "1"}}), test::StatusIs(Code::kInvalidArgument, "name"));
  const auto zip_result = ZipBytes({{"dir/a.txt", "hello"}});
  ASSERT_THAT(zip_result, test::IsOk());
  const std::string& zip = *zip_result;
  EXPECT_TRUE(zip.starts_with("PK\x03\x04"));
  EXPECT_THAT(zip, HasSubstr("dir/a.txt"));  // the entry's name, in its header
  // Entries are deflated: 100,000 repeated bytes take a few hundred.
  const auto big = ZipBytes({{"big.txt", std::string(100000, 'a')}});
  ASSERT_THAT(big, test::IsOk());
  EXPECT_LT(big->size(), 1000u);
}

}  // namespace
}  // namespace rampart

namespace rampart {
namespace {

TEST(MarkdownToReportTest, HeadingsParagraphsListsTablesAndLinks) {
  ReportDocument doc;
  MarkdownToReport(
      "# Access control policy\n\nAccess is *granted* on a need-to-know\nbasis.\n\n"
      "## Rules\n\n- first rule\n- second rule\n  1. nested one\n\n"
      "See [the standard](https://example.org/iso).\n\n"
      "| Role | Right |\n|---|---|\n| Admin | all |\n\n<script>alert(1)</script>\n\n"
      "```\ncode line\n```\n",
      doc);
  ASSERT_EQ(doc.blocks.size(), 7u);
  EXPECT_EQ(doc.blocks[0].kind, ReportBlock::Kind::kHeading);
  EXPECT_EQ(doc.blocks[0].text, "Access control policy");
  EXPECT_EQ(doc.blocks[0].level, 1);
  EXPECT_EQ(doc.blocks[1].text, "Access is granted on a need-to-know basis.");
  EXPECT_EQ(doc.blocks[2].level, 2);
  EXPECT_EQ(doc.blocks[3].text, "• first rule\n• second rule\n    1. nested one");
  EXPECT_EQ(doc.blocks[4].text, "See the standard <https://example.org/iso>.");
  EXPECT_EQ(doc.blocks[5].kind, ReportBlock::Kind::kTable);
  EXPECT_EQ(doc.blocks[5].table.header, (std::vector<std::string>{"Role", "Right"}));
  EXPECT_EQ(doc.blocks[5].table.rows, (std::vector<std::vector<std::string>>{{"Admin", "all"}}));
  EXPECT_EQ(doc.blocks[6].text, "code line");  // the raw HTML is left out
}

TEST(MarkdownToReportTest, DeepNestingIsCutNotFollowedToTheEnd) {
  ReportDocument doc;
  MarkdownToReport(std::string(200000, '>') + " deep\n\n" + std::string(50000, '*') + "x\n", doc);
  for (const auto& b : doc.blocks) EXPECT_THAT(b.text, Not(HasSubstr("deep")));
}

}  // namespace
}  // namespace rampart
