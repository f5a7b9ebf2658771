// Fuzzes the XLSX reader of the record import with what a user may upload: the bytes as a
// workbook, with the default limits but a smaller unpacked size (a fuzzer's input should not
// inflate to 512 MiB), and with small limits. Must never crash, run without bound or return a
// sheet that breaks its contract.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/sheet_reader.h"
#include "fuzz/sheet_contract.h"

using rampart::fuzz::CheckSheet;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  rampart::SheetLimits limits;
  limits.max_unpacked_bytes = 16 << 20;
  CheckSheet(rampart::ReadXlsx(bytes, limits), limits);
  rampart::SheetLimits small;
  small.max_rows = 3;
  small.max_columns = 4;
  small.max_cells = 10;
  small.max_cell_bytes = 16;
  small.max_unpacked_bytes = 1 << 20;
  CheckSheet(rampart::ReadXlsx(bytes, small), small);
  return 0;
}
