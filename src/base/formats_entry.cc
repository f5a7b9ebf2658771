// The formats module's table (base/formats_module.h): the one symbol rampart-formats.so exports
// (base/formats_module.map), and what executables that link rampart_formats find directly.
#include "base/formats_module.h"

extern "C" __attribute__((visibility("default"))) const rampart::formats::Module*
rampart_formats_module() {
  namespace f = rampart::formats;
  static const f::Module module{
      .abi = f::kAbi,
      .version = RAMPART_VERSION,
      .pdf = &f::PdfBytes,
      .docx = &f::DocxBytes,
      .xlsx_start = &f::StartXlsx,
      .zip = &f::ZipBytes,
      .read_sheet = &f::ReadSheet,
      .read_csv = &f::ReadCsv,
      .read_xlsx = &f::ReadXlsx,
      .smtp_send = &f::SmtpSend,
  };
  return &module;
}
