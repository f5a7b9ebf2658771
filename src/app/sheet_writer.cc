#include "app/sheet_writer.h"

#include <string_view>

#include "base/text.h"

namespace rampart::app {

SheetWriter::SheetWriter(ExportFormat format, std::string_view sheet_name)
    : format_(format), sheet_name_(sheet_name.substr(0, 31)) {
  for (char& c : sheet_name_) {
    if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) c = ' ';
  }
}

Status SheetWriter::Add(const ExportSheet& page) {
  if (format_ == ExportFormat::kCsv) {
    if (!started_) csv_ = CsvRow(page.header);
    started_ = true;
    for (const auto& row : page.rows) csv_ += CsvRow(row);
    return Status::Ok();
  }
  if (!started_) {
    ASSIGN_OR_RETURN(xlsx_, XlsxStream::Start(sheet_name_, page.header, page.numeric, page.rows));
  }
  started_ = true;
  for (const auto& row : page.rows) RETURN_IF_ERROR(xlsx_->Add(row));
  return Status::Ok();
}

Result<std::string> SheetWriter::Finish() {
  if (!started_) return Status(Code::kInternal, "an export was finished before its header");
  if (format_ == ExportFormat::kCsv) return std::move(csv_);
  return xlsx_->Finish();
}

}  // namespace rampart::app
