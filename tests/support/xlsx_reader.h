// Reads back the cells of an .xlsx file that base/xlsx.h wrote, so that tests can check what an
// export holds: the ZIP package is read with zlib, the first worksheet's cells resolved through
// the shared strings. Enough for Rampart's own files (text cells, one sheet), not a general
// reader. Returns the rows top to bottom, each as its cells left to right (a missing cell is "");
// nullopt when the bytes are not such a package.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::test {

std::optional<std::vector<std::vector<std::string>>> ReadXlsxCells(std::string_view bytes);
// The same cells' types: "s" a shared string, "inlineStr", "n" a number (no type attribute).
std::optional<std::vector<std::vector<std::string>>> ReadXlsxCellTypes(std::string_view bytes);

}  // namespace rampart::test
