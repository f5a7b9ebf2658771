// Fuzzes the XLSX reader of the record import with what a user may upload: the bytes as a
// workbook, with the default limits but a smaller unpacked size (a fuzzer's input should not
// inflate to 512 MiB), and with small limits. Must never crash, run without bound or return a
// sheet that breaks its contract.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/sheet_reader.h"

namespace {

void CheckSheet(const rampart::Result<rampart::Sheet>& r, const rampart::SheetLimits& limits) {
  if (!r.ok()) return;
  const rampart::Sheet& s = *r;
  if (s.format != "xlsx" || s.header.empty() || s.header.size() > limits.max_columns) std::abort();
  if (s.rows.size() != s.lines.size() || s.rows.size() > limits.max_rows) std::abort();
  for (size_t i = 0; i < s.rows.size(); ++i) {
    if (s.rows[i].size() != s.header.size()) std::abort();
    if (i > 0 && s.lines[i] <= s.lines[i - 1]) std::abort();
    for (const auto& cell : s.rows[i]) {
      if (cell.size() > limits.max_cell_bytes) std::abort();
    }
  }
}

}  // namespace

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
