// What the spreadsheet fuzzers (fuzz_csv, fuzz_xlsx) check of every sheet read: a header within
// the limits, and rows of exactly its width with ascending line numbers and cells within the
// limit. A broken contract aborts, which the fuzzer reports.
#pragma once

#include <cstdlib>

#include "base/sheet_reader.h"

namespace rampart::fuzz {

inline void CheckSheet(const Result<Sheet>& r, const SheetLimits& limits) {
  if (!r.ok()) return;
  const Sheet& s = *r;
  if (s.format != "csv" && s.format != "xlsx") std::abort();
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

}  // namespace rampart::fuzz
