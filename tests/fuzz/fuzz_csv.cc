// Fuzzes the CSV reader of the record import with what a user may upload: the bytes read with
// the default limits and with small ones (so that every limit is reached), and through
// ReadSheet's detection of the format. Must never crash, run without bound or return a sheet that
// breaks its contract.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/sheet_reader.h"
#include "fuzz/sheet_contract.h"

using rampart::fuzz::CheckSheet;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  rampart::SheetLimits defaults;
  CheckSheet(rampart::ReadCsv(bytes, defaults), defaults);
  defaults.max_unpacked_bytes = 16 << 20;  // a ZIP goes to the XLSX reader: keep runs short
  CheckSheet(rampart::ReadSheet(bytes, defaults), defaults);
  rampart::SheetLimits small;
  small.max_rows = 3;
  small.max_columns = 4;
  small.max_cells = 10;
  small.max_cell_bytes = 16;
  CheckSheet(rampart::ReadCsv(bytes, small), small);
  return 0;
}
