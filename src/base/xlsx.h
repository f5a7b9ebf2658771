// Spreadsheets in the Office Open XML format (.xlsx) through libxlsxwriter: one worksheet of
// text cells with a bold, frozen header row and an autofilter. Every value is written as a
// string cell, never as a formula, so text such as "=HYPERLINK(...)" stays text; in the columns
// said to hold numbers, a value that is one finite number is a number cell. A cell holds at
// most 32,767 characters (Excel's limit): a longer text is cut there, at a character boundary,
// and ends with a note giving its length and pointing to the CSV export, which has it whole.
//
// libxlsxwriter 1.1.4 (Debian 12) writes only to files: the workbook is written to a private
// directory under the system's temporary directory, read back and removed, also on failure.
// Thread-safe (each call has its own directory).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rampart {

// The bytes of an .xlsx file holding `header` and `rows` on sheet `sheet_name` (at most 31
// characters, none of []:*?/\). Rows may be shorter than the header. `numeric[c]` true: the
// values of column c that are numbers ("95.5", "-3") are written as number cells.
// Errors: kInvalidArgument for a bad sheet name; kInternal when the file cannot be written or
// read back (disk full, no temporary directory).
Result<std::string> XlsxBytes(std::string_view sheet_name, const std::vector<std::string>& header,
                              const std::vector<std::vector<std::string>>& rows,
                              const std::vector<bool>& numeric = {});

// A spreadsheet written row by row in libxlsxwriter's constant-memory mode: each row goes to a
// temporary file as it is added, so memory stays flat whatever the number of rows (a register
// of 100,000 records is paged through, not held). The layout is XlsxBytes': column widths from
// the header and the rows given to Start, a bold frozen header row, an autofilter over all rows.
// Finish returns the file's bytes; an unfinished stream removes its files. Not thread-safe.
class XlsxStream {
 public:
  // kInvalidArgument for a bad sheet name (see XlsxBytes); kInternal when the file cannot be
  // made. `sample` sizes the columns (e.g. the first page of rows); it is not written.
  static Result<std::unique_ptr<XlsxStream>> Start(
      std::string_view sheet_name, const std::vector<std::string>& header,
      const std::vector<bool>& numeric = {},
      const std::vector<std::vector<std::string>>& sample = {});
  ~XlsxStream();
  XlsxStream(const XlsxStream&) = delete;
  XlsxStream& operator=(const XlsxStream&) = delete;

  Status Add(const std::vector<std::string>& row);
  Result<std::string> Finish();

 private:
  struct State;
  explicit XlsxStream(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The media type of an .xlsx file.
inline constexpr const char* kXlsxContentType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

}  // namespace rampart
