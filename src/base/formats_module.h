// The document formats and the mail transport as a module of their own (issue 17: idle memory).
//
// PDF (cairo, pango), DOCX and ZIP (libzip), XLSX written (libxlsxwriter) and read (libzip,
// libxml2), CSV read, and SMTP (libcurl) need some fifty shared libraries — GLib, GnuTLS,
// Kerberos, fontconfig, ICU … — that a server at rest never uses but whose pages it would hold
// from start (about 8 MB of its 36). So the `rampart` program does not link them: it loads
// `rampart-formats.so` with dlopen when a report, an export, an import or a mail first needs it,
// and keeps it loaded. Tests and benchmarks link the same code into their executables instead
// (the target rampart_formats), which base/formats.cc finds before looking for the file.
//
// The public functions stay where they were (base/pdf.h, docx.h, xlsx.h, zip.h, sheet_reader.h,
// smtp.h); their definitions in base/formats.cc call through the table below. Only this header
// is shared by the program and the module, both built from the same tree: `abi` changes with any
// change of this table or of the types it passes, and a module of another version is refused.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/report_document.h"
#include "base/sheet_reader.h"
#include "base/smtp.h"
#include "base/status.h"
#include "base/zip.h"

namespace rampart::formats {

// Raise with every change of Module or of a type it passes by reference.
inline constexpr int kAbi = 1;
// The file's name, looked for beside the program and in RAMPART_MODULE_DIR (the installed
// library directory, e.g. /usr/lib/x86_64-linux-gnu/rampart).
inline constexpr const char* kModuleFile = "rampart-formats.so";

// An XLSX sheet written row by row (base/xlsx.h's XlsxStream is its owner in the program).
class SheetStream {
 public:
  virtual ~SheetStream() = default;
  virtual Status Add(const std::vector<std::string>& row) = 0;
  virtual Result<std::string> Finish() = 0;
};

struct Module {
  int abi;
  const char* version;  // the project's version it was built as
  Result<std::string> (*pdf)(const ReportDocument& doc);
  Result<std::string> (*docx)(const ReportDocument& doc);
  Result<std::unique_ptr<SheetStream>> (*xlsx_start)(
      std::string_view sheet_name, const std::vector<std::string>& header,
      const std::vector<bool>& numeric, const std::vector<std::vector<std::string>>& sample);
  Result<std::string> (*zip)(const std::vector<ZipEntry>& entries);
  Result<Sheet> (*read_sheet)(std::string_view bytes, const SheetLimits& limits);
  Result<Sheet> (*read_csv)(std::string_view bytes, const SheetLimits& limits);
  Result<Sheet> (*read_xlsx)(std::string_view bytes, const SheetLimits& limits);
  // Sends `message` (a whole RFC 5322 message, base/smtp.h's FormatMailMessage) to `to`.
  Status (*smtp_send)(const SmtpOptions& options, std::string_view to, std::string_view message);
};

// The module's implementations (rampart_formats), named here so the table can be built.
Result<std::string> PdfBytes(const ReportDocument& doc);
Result<std::string> DocxBytes(const ReportDocument& doc);
Result<std::unique_ptr<SheetStream>> StartXlsx(std::string_view sheet_name,
                                               const std::vector<std::string>& header,
                                               const std::vector<bool>& numeric,
                                               const std::vector<std::vector<std::string>>& sample);
Result<std::string> ZipBytes(const std::vector<ZipEntry>& entries);
Result<Sheet> ReadSheet(std::string_view bytes, const SheetLimits& limits);
Result<Sheet> ReadCsv(std::string_view bytes, const SheetLimits& limits);
Result<Sheet> ReadXlsx(std::string_view bytes, const SheetLimits& limits);
Status SmtpSend(const SmtpOptions& options, std::string_view to, std::string_view message);

// The module, loaded on the first call (thread-safe) and kept. kInternal naming every path tried
// and why it failed when no module can be loaded (the next call tries again).
Result<const Module*> Load();

// Where the module would be loaded from, without loading it: "linked in", or the path of the
// file found. kNotFound naming the paths tried when there is none (`serve` checks this at
// start rather than failing on the first report).
Result<std::string> Locate();

}  // namespace rampart::formats

// The module's one exported symbol; also defined in executables that link rampart_formats.
extern "C" const rampart::formats::Module* rampart_formats_module();
