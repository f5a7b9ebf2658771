// ContentDigest (base/report_document.h), apart from the rest of report_document.cc so that the
// formats module (base/formats_module.h), which renders documents, does not need base/crypto.
#include "base/crypto.h"
#include "base/report_document.h"

namespace rampart {

std::string ContentDigest(const ReportDocument& doc) {
  // Hashed as it is encoded: the encoding of a large table is never held.
  Sha256 hash;
  auto put = [&](std::string_view s) {
    const std::string length = std::to_string(s.size());
    hash.Update(length);
    hash.Update(":");
    hash.Update(s);
  };
  for (const auto& b : doc.blocks) {
    put(std::to_string(static_cast<int>(b.kind)));
    switch (b.kind) {
      case ReportBlock::Kind::kHeading:
        put(std::to_string(b.level));
        put(b.text);
        break;
      case ReportBlock::Kind::kParagraph:
        put(b.text);
        break;
      case ReportBlock::Kind::kFields:
        put(std::to_string(b.fields.size()));
        for (const auto& [k, v] : b.fields) {
          put(k);
          put(v);
        }
        break;
      case ReportBlock::Kind::kTable:
        put(std::to_string(b.table.header.size()));
        for (const auto& h : b.table.header) put(h);
        put(std::to_string(b.table.rows.size()));
        for (const auto& row : b.table.rows) {
          put(std::to_string(row.size()));
          for (const auto& cell : row) put(cell);
        }
        break;
    }
  }
  return hash.HexDigest();
}

}  // namespace rampart
