// Fuzzes the CSV reader of the record import with what a user may upload: the bytes read with
// the default limits and with small ones (so that every limit is reached), and through
// ReadSheet's detection of the format. Must never crash, run without bound or return a sheet that
// breaks its contract.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/sheet_reader.h"

namespace {

// The contract of a Sheet read: a header, and rows of exactly its width with ascending lines.
void CheckSheet(const rampart::Result<rampart::Sheet>& r, const rampart::SheetLimits& limits) {
  if (!r.ok()) return;
  const rampart::Sheet& s = *r;
  if (s.header.empty() || s.header.size() > limits.max_columns) std::abort();
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
