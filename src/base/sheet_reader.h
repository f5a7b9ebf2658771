// Reading the spreadsheets people upload to import records: CSV text and Excel workbooks
// (.xlsx), both turned into one table of text cells under a header row. The files are untrusted:
// every size is bounded by SheetLimits and checked while reading (a file is refused at the first
// value past a limit, without holding more than the limit), formulas are refused rather than
// imported (Rampart keeps values, and a formula in a cell is what CSV injection and DDE attacks
// deliver), and an .xlsx is read with no network, no DTD and no entity expansion.
//
// Errors: every refusal is kInvalidArgument on the field "file", except a limit passed, which is
// kTooLarge on "file". Messages say what is wrong and where, in the reader's words: "line 12" of
// a CSV file (the text line where the record starts), "row 7" and "cell C7" of a worksheet; and
// name the limit ("more than 200,000 rows (the limit)"). No partial result is returned.
//
// Thread-safe: the functions share no state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rampart {

struct SheetLimits {
  size_t max_bytes = 50 << 20;  // the file as uploaded
  size_t max_rows = 200000;     // data rows, the header excluded, blank rows not counted
  size_t max_columns = 500;     // the header's columns
  size_t max_cells = 5000000;   // data rows × header columns: what the result holds in memory
  size_t max_cell_bytes = 1 << 20;
  size_t max_unpacked_bytes = 512 << 20;  // XLSX: all the parts read, uncompressed
  size_t max_ratio = 200;  // XLSX: uncompressed / compressed size of a part over 1 MiB
};

struct Sheet {
  std::string format;      // "csv" or "xlsx"
  std::string sheet_name;  // XLSX: the worksheet read (the workbook's first); CSV: empty
  // The first row that is not blank, its cells trimmed of white space; blank cells at its end
  // are dropped (Excel writes "a,b,,," for a table that once was wider). A blank cell between
  // names stays as "": a column without a name, whose cells the caller may ignore. Never empty.
  std::vector<std::string> header;
  // Every later row that is not blank, each exactly header.size() cells: a shorter row padded
  // with "", blank cells past the header dropped (a value past the header is an error). Cells
  // keep their text as written, white space included.
  std::vector<std::vector<std::string>> rows;
  // Per row, where a person finds it: the CSV line on which the record starts (1-based; a
  // quoted cell holding line breaks spans several lines), the worksheet's row number.
  std::vector<int64_t> lines;
};

// Reads `bytes` as the format they are in: a ZIP archive as XLSX, an Excel 97-2003 (.xls) or
// password-protected workbook (an OLE2 compound file) is refused, anything else is read as CSV.
Result<Sheet> ReadSheet(std::string_view bytes, const SheetLimits& limits = {});

// CSV as RFC 4180 writes it (quoted cells, doubled quotes, line breaks inside quotes, CRLF, LF
// or CR line ends), the delimiter being the one of comma, semicolon and tab that the header row
// holds most often outside quotes (comma when none). Line breaks inside a quoted cell become
// "\n". Blank lines are skipped.
// The text must be UTF-8 (a byte order mark is dropped); UTF-16, other encodings and NUL bytes
// are refused. A cell starting with '=', or with '+', '-' or '@' and holding '(', '|' or '!',
// is refused as a formula; a cell written by Rampart's CSV export (CsvField), which puts an
// apostrophe before a leading = + - @, is read without that apostrophe ("'=x" is "=x"), so
// exports read back as they were.
Result<Sheet> ReadCsv(std::string_view bytes, const SheetLimits& limits = {});

// The first worksheet of an Office Open XML workbook. Cells read as Excel shows their values:
// shared and inline strings as written, booleans "true"/"false", numbers in their shortest form
// ("1.0E3" is "1000"), numbers with a date or time format "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]"
// or "HH:MM[:SS]" (1900 and 1904 date systems). Text that merely looks like a formula
// ("=HYPERLINK(...)" in a string cell) is a value, as in Excel; a cell holding a formula, or an
// error value (#REF!), is refused.
// Archive abuse is refused: more than 10,000 entries, parts whose declared or actual unpacked
// size passes max_unpacked_bytes or max_ratio, and XML with a document type declaration.
Result<Sheet> ReadXlsx(std::string_view bytes, const SheetLimits& limits = {});

}  // namespace rampart
