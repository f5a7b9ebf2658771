// A report as a format-neutral document: the document-control block and the content (headings,
// paragraphs, label/value lists and tables). base/pdf.h, base/docx.h and the print view render
// it; CSV and XLSX take its main table. Built by app/report_service from the records.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace rampart {

// What an auditor reads first on every report: who it belongs to, which version of what, who
// approved it, and the SHA-256 of the content it was built from (ContentDigest).
struct DocumentControl {
  std::string organisation;
  std::string title;
  std::string version;   // "3", or what identifies a generated report ("as of audit event 1234")
  std::string status;    // "Approved", "Draft", "Generated from the records"
  std::string approver;  // empty: not approved
  std::string approved_at;
  std::string owner;
  std::string classification;  // "Internal"
  std::string generated_at;    // UTC, ISO 8601
  std::string source_sha256;   // ContentDigest of the document
};

// The block's rows in the order shown, labelled ("Organisation", ...); an empty value reads "—".
std::vector<std::pair<std::string, std::string>> DocumentControlRows(const DocumentControl& c);

struct ReportTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // may be shorter than the header
  std::vector<bool> numeric;                   // per column: numbers (right-aligned, XLSX numbers)
  // Per column: a relative width (any positive numbers); empty: from the texts' lengths.
  std::vector<double> widths;
};

struct ReportBlock {
  enum class Kind { kHeading, kParagraph, kFields, kTable };
  Kind kind = Kind::kParagraph;
  int level = 1;     // kHeading: 1 or 2
  std::string text;  // kHeading, kParagraph (plain text; a blank line separates paragraphs)
  std::vector<std::pair<std::string, std::string>> fields;  // kFields: label, value
  ReportTable table;                                        // kTable
};

struct ReportDocument {
  DocumentControl control;
  std::vector<ReportBlock> blocks;
  // The table CSV and XLSX export (`blocks[main_table]`); -1: the report has none.
  int main_table = -1;

  void Heading(std::string text, int level = 1);
  void Paragraph(std::string text);
  void Fields(std::vector<std::pair<std::string, std::string>> fields);
  // Appends a table; `main` makes it the one CSV and XLSX export.
  void Table(ReportTable table, bool main = false);
  const ReportTable* MainTable() const;
  // True when some table has more than `columns` columns (rendered on landscape pages).
  bool HasWideTable(size_t columns = 6) const;
};

// The share of the width each column of `t` takes (they sum to 1): `t.widths` when given for
// every column, else each column's longest text (of the first 500 rows) between 4 and 40
// characters, plus two for the cell's padding.
std::vector<double> ColumnShares(const ReportTable& t);

// Hex SHA-256 of an unambiguous encoding of the blocks (every string length-prefixed), the
// control block left out: the same records give the same digest in every format.
std::string ContentDigest(const ReportDocument& doc);

}  // namespace rampart
