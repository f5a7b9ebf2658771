#include "base/xlsx.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "base/text.h"

namespace rampart {

namespace {

namespace fs = std::filesystem;

// A directory of its own under the temporary directory, removed with everything in it.
class PrivateDir {
 public:
  PrivateDir() {
    std::error_code ec;
    std::string pattern = (fs::temp_directory_path(ec) / "rampart-xlsx-XXXXXX").string();
    if (ec) return;
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~PrivateDir() {
    if (path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  PrivateDir(const PrivateDir&) = delete;
  PrivateDir& operator=(const PrivateDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Status Check(lxw_error e, std::string_view what) {
  if (e == LXW_NO_ERROR) return Status::Ok();
  return Internal(fmt::format("could not write the spreadsheet ({}: {})", what, lxw_strerror(e)));
}

// Column width in characters: the longest value up to a limit, so long text wraps in Excel
// rather than making a column pages wide.
double Width(const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows, size_t col) {
  size_t w = col < header.size() ? header[col].size() : 8;
  for (const auto& r : rows) {
    if (col < r.size()) w = std::max(w, r[col].size());
  }
  return static_cast<double>(std::clamp<size_t>(w + 2, 8, 60));
}

}  // namespace

Result<std::string> XlsxBytes(std::string_view sheet_name, const std::vector<std::string>& header,
                              const std::vector<std::vector<std::string>>& rows,
                              const std::vector<bool>& numeric) {
  if (sheet_name.empty() || sheet_name.size() > 31 ||
      sheet_name.find_first_of("[]:*?/\\") != std::string_view::npos) {
    return InvalidArgument("a sheet name has 1 to 31 characters and none of []:*?/\\",
                           "sheet_name");
  }
  PrivateDir dir;
  if (dir.path().empty()) return Internal("could not create a temporary directory");
  const std::string file = (dir.path() / "export.xlsx").string();
  std::string tmpdir = dir.path().string();
  lxw_workbook_options options = {
      .constant_memory = LXW_FALSE, .tmpdir = tmpdir.data(), .use_zip64 = LXW_FALSE};
  lxw_workbook* workbook = workbook_new_opt(file.c_str(), &options);
  if (workbook == nullptr) return Internal("could not create the spreadsheet");
  const std::string name(sheet_name);
  lxw_worksheet* sheet = workbook_add_worksheet(workbook, name.c_str());
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  lxw_format* wrap = workbook_add_format(workbook);
  format_set_text_wrap(wrap);
  format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
  Status st = sheet != nullptr ? Status::Ok() : Internal("could not add the worksheet");
  for (size_t c = 0; st.ok() && c < header.size(); ++c) {
    const auto col = static_cast<lxw_col_t>(c);
    st = Check(worksheet_set_column(sheet, col, col, Width(header, rows, c), wrap), "column");
    if (st.ok())
      st = Check(worksheet_write_string(sheet, 0, col, header[c].c_str(), bold), "header");
  }
  for (size_t r = 0; st.ok() && r < rows.size(); ++r) {
    for (size_t c = 0; st.ok() && c < rows[r].size(); ++c) {
      if (rows[r][c].empty()) continue;
      const auto row = static_cast<lxw_row_t>(r + 1);
      const auto col = static_cast<lxw_col_t>(c);
      const auto number = c < numeric.size() && numeric[c] ? ParseNumber(rows[r][c]) : std::nullopt;
      st = Check(number ? worksheet_write_number(sheet, row, col, *number, nullptr)
                        : worksheet_write_string(sheet, row, col, rows[r][c].c_str(), nullptr),
                 "cell");
    }
  }
  if (st.ok() && !header.empty()) {
    worksheet_freeze_panes(sheet, 1, 0);
    st = Check(worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(rows.size()),
                                    static_cast<lxw_col_t>(header.size() - 1)),
               "autofilter");
  }
  // Closing writes the file and frees the workbook, also after an error above.
  const lxw_error closed = workbook_close(workbook);
  RETURN_IF_ERROR(st);
  RETURN_IF_ERROR(Check(closed, "close"));
  std::ifstream in(file, std::ios::binary);
  if (!in.is_open()) return Internal("could not read the spreadsheet back");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (bytes.str().empty()) return Internal("could not read the spreadsheet back");
  return bytes.str();
}

}  // namespace rampart
