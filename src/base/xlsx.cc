#include "base/xlsx.h"

#include <fmt/format.h>
#include <stdlib.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "base/formats_module.h"
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

// A cell holds at most this many characters (Excel's limit, which libxlsxwriter enforces).
constexpr size_t kCellChars = 32767;

size_t Utf8Chars(std::string_view s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// `text` cut to what a cell holds, at a character boundary, ending with a note that says so;
// nullopt when it fits as it is.
std::optional<std::string> FitCell(std::string_view text) {
  const size_t chars = Utf8Chars(text);
  if (chars <= kCellChars) return std::nullopt;
  const std::string note = fmt::format(
      " … [cut: the text has {} characters, more than a spreadsheet cell holds; the CSV export "
      "has it whole]",
      chars);
  size_t keep = kCellChars - Utf8Chars(note);
  size_t end = 0;
  for (; end < text.size(); ++end) {
    if ((text[end] & 0xC0) != 0x80 && keep-- == 0) break;
  }
  return std::string(text.substr(0, end)) + note;
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

// A workbook of one worksheet written with libxlsxwriter's constant-memory mode: each row goes
// to a temporary file as it comes, and Finish reads the finished file back.
class LxwSheet final : public formats::SheetStream {
 public:
  ~LxwSheet() override {
    if (workbook_ != nullptr) workbook_close(workbook_);  // the directory goes with it
  }

  static Result<std::unique_ptr<formats::SheetStream>> Start(
      std::string_view sheet_name, const std::vector<std::string>& header,
      const std::vector<bool>& numeric, const std::vector<std::vector<std::string>>& sample) {
    if (sheet_name.empty() || sheet_name.size() > 31 ||
        sheet_name.find_first_of("[]:*?/\\") != std::string_view::npos) {
      return InvalidArgument("a sheet name has 1 to 31 characters and none of []:*?/\\",
                             "sheet_name");
    }
    auto st = std::unique_ptr<LxwSheet>(new LxwSheet());
    if (st->dir_.path().empty()) return Internal("could not create a temporary directory");
    st->file_ = (st->dir_.path() / "export.xlsx").string();
    st->tmpdir_ = st->dir_.path().string();
    st->columns_ = header.size();
    st->numeric_ = numeric;
    lxw_workbook_options options = {
        .constant_memory = LXW_TRUE, .tmpdir = st->tmpdir_.data(), .use_zip64 = LXW_FALSE};
    st->workbook_ = workbook_new_opt(st->file_.c_str(), &options);
    if (st->workbook_ == nullptr) return Internal("could not create the spreadsheet");
    const std::string name(sheet_name);
    st->sheet_ = workbook_add_worksheet(st->workbook_, name.c_str());
    if (st->sheet_ == nullptr) return Internal("could not add the worksheet");
    lxw_format* bold = workbook_add_format(st->workbook_);
    format_set_bold(bold);
    lxw_format* wrap = workbook_add_format(st->workbook_);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    for (size_t c = 0; c < header.size(); ++c) {
      const auto col = static_cast<lxw_col_t>(c);
      RETURN_IF_ERROR(Check(
          worksheet_set_column(st->sheet_, col, col, Width(header, sample, c), wrap), "column"));
    }
    for (size_t c = 0; c < header.size(); ++c) {
      RETURN_IF_ERROR(Check(
          worksheet_write_string(st->sheet_, 0, static_cast<lxw_col_t>(c), header[c].c_str(), bold),
          "header"));
    }
    if (!header.empty()) worksheet_freeze_panes(st->sheet_, 1, 0);
    return std::unique_ptr<formats::SheetStream>(std::move(st));
  }

  Status Add(const std::vector<std::string>& row) override {
    if (workbook_ == nullptr) return Internal("the spreadsheet was already finished");
    RETURN_IF_ERROR(status_);
    for (size_t c = 0; c < row.size(); ++c) {
      if (row[c].empty()) continue;
      const auto col = static_cast<lxw_col_t>(c);
      const auto number = c < numeric_.size() && numeric_[c] ? ParseNumber(row[c]) : std::nullopt;
      const auto cut = number ? std::nullopt : FitCell(row[c]);
      const char* text = cut ? cut->c_str() : row[c].c_str();
      status_ = Check(number ? worksheet_write_number(sheet_, next_row_, col, *number, nullptr)
                             : worksheet_write_string(sheet_, next_row_, col, text, nullptr),
                      "cell");
      RETURN_IF_ERROR(status_);
    }
    ++next_row_;
    return Status::Ok();
  }

  Result<std::string> Finish() override {
    if (workbook_ == nullptr) return Internal("the spreadsheet was already finished");
    if (status_.ok() && columns_ > 0) {
      status_ = Check(
          worksheet_autofilter(sheet_, 0, 0, next_row_ - 1, static_cast<lxw_col_t>(columns_ - 1)),
          "autofilter");
    }
    // Closing writes the file and frees the workbook, also after an error above.
    const lxw_error closed = workbook_close(workbook_);
    workbook_ = nullptr;
    RETURN_IF_ERROR(status_);
    RETURN_IF_ERROR(Check(closed, "close"));
    std::ifstream in(file_, std::ios::binary);
    if (!in.is_open()) return Internal("could not read the spreadsheet back");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (bytes.str().empty()) return Internal("could not read the spreadsheet back");
    return bytes.str();
  }

 private:
  LxwSheet() = default;

  PrivateDir dir_;
  std::string file_;
  std::string tmpdir_;
  lxw_workbook* workbook_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  size_t columns_ = 0;
  std::vector<bool> numeric_;
  lxw_row_t next_row_ = 1;
  Status status_ = Status::Ok();
};

}  // namespace

Result<std::unique_ptr<formats::SheetStream>> formats::StartXlsx(
    std::string_view sheet_name, const std::vector<std::string>& header,
    const std::vector<bool>& numeric, const std::vector<std::vector<std::string>>& sample) {
  return LxwSheet::Start(sheet_name, header, numeric, sample);
}

}  // namespace rampart
