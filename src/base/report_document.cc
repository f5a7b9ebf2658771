#include "base/report_document.h"

#include <algorithm>
#include <numeric>

namespace rampart {

namespace {

// Characters, not bytes: the lead bytes of UTF-8.
size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> DocumentControlRows(const DocumentControl& c) {
  auto or_dash = [](const std::string& v) { return v.empty() ? std::string("—") : v; };
  return {{"Organisation", or_dash(c.organisation)},
          {"Title", or_dash(c.title)},
          {"Version", or_dash(c.version)},
          {"Status", or_dash(c.status)},
          {"Approved by", c.approver.empty() ? std::string("Not approved") : c.approver},
          {"Approval date", or_dash(c.approved_at)},
          {"Owner", or_dash(c.owner)},
          {"Classification", or_dash(c.classification)},
          {"Generated at", or_dash(c.generated_at)},
          {"Content SHA-256", or_dash(c.source_sha256)}};
}

void ReportDocument::Heading(std::string text, int level) {
  ReportBlock b;
  b.kind = ReportBlock::Kind::kHeading;
  b.level = std::clamp(level, 1, 2);
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}

void ReportDocument::Paragraph(std::string text) {
  ReportBlock b;
  b.kind = ReportBlock::Kind::kParagraph;
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}

void ReportDocument::Fields(std::vector<std::pair<std::string, std::string>> fields) {
  ReportBlock b;
  b.kind = ReportBlock::Kind::kFields;
  b.fields = std::move(fields);
  blocks.push_back(std::move(b));
}

void ReportDocument::Table(ReportTable table, bool main) {
  ReportBlock b;
  b.kind = ReportBlock::Kind::kTable;
  b.table = std::move(table);
  if (main) main_table = static_cast<int>(blocks.size());
  blocks.push_back(std::move(b));
}

const ReportTable* ReportDocument::MainTable() const {
  if (main_table < 0 || main_table >= static_cast<int>(blocks.size())) return nullptr;
  return &blocks[static_cast<size_t>(main_table)].table;
}

bool ReportDocument::HasWideTable(size_t columns) const {
  return std::any_of(blocks.begin(), blocks.end(), [&](const ReportBlock& b) {
    return b.kind == ReportBlock::Kind::kTable && b.table.header.size() > columns;
  });
}

std::vector<double> ColumnShares(const ReportTable& t) {
  const size_t n = std::max(t.header.size(), t.rows.empty() ? 0 : t.rows.front().size());
  std::vector<double> w(n, 1.0);
  if (t.widths.size() == n) {
    w = t.widths;
  } else {
    for (size_t c = 0; c < n; ++c) {
      size_t longest = c < t.header.size() ? std::min<size_t>(Utf8Length(t.header[c]), 16) : 0;
      for (size_t r = 0; r < t.rows.size() && r < 500; ++r) {
        if (c < t.rows[r].size()) longest = std::max(longest, Utf8Length(t.rows[r][c]));
      }
      w[c] = static_cast<double>(std::clamp<size_t>(longest, 4, 40) + 2);  // + padding
    }
  }
  const double sum = std::accumulate(w.begin(), w.end(), 0.0);
  for (double& x : w) x = sum > 0 ? x / sum : 1.0 / static_cast<double>(n);
  return w;
}

}  // namespace rampart
