// An export written page by page: the register exports and the risk treatment plan read their
// records a page at a time and hand each page's cells here, so only one page of records is
// held; the CSV text, or the XLSX stream's temporary file (base/xlsx.h), grows instead.
#pragma once

#include <memory>
#include <string>

#include "app/record_codec.h"
#include "app/register_service.h"
#include "base/status.h"
#include "base/xlsx.h"

namespace rampart::app {

class SheetWriter {
 public:
  // `sheet_name` names the XLSX sheet: cut to 31 characters, []:*?/\ replaced by spaces.
  SheetWriter(ExportFormat format, std::string_view sheet_name);

  // A page's cells. The first page's header is the file's; the first page's rows also size the
  // XLSX columns. A page without rows still gives the header (an empty export).
  Status Add(const ExportSheet& page);
  // The file's bytes. kInternal when the XLSX file cannot be written.
  Result<std::string> Finish();

 private:
  ExportFormat format_;
  std::string sheet_name_;
  bool started_ = false;
  std::string csv_;
  std::unique_ptr<XlsxStream> xlsx_;
};

}  // namespace rampart::app
