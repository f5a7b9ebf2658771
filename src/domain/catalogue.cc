#include "domain/catalogue.h"

#include <cstdlib>
#include <sstream>
#include <string_view>

#include "base/embedded.h"
#include "base/text.h"

namespace rampart {
extern const EmbeddedFile kReferenceFiles[];
}

namespace rampart::domain {

namespace {

std::vector<std::string> Words(const std::string& cell) {
  std::vector<std::string> out;
  std::istringstream in(cell);
  std::string word;
  while (in >> word) out.push_back(word);
  return out;
}

// Columns: ref,name,category,description,controls (the first row is the header).
std::vector<CatalogueEntry> Load(std::string_view path) {
  const EmbeddedFile* file = FindEmbedded(kReferenceFiles, path);
  if (file == nullptr) std::abort();  // the build embeds it; nothing works without it
  auto rows = ParseCsv(file->data);
  std::vector<CatalogueEntry> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    auto& r = rows[i];
    if (r.size() < 5) std::abort();
    out.push_back({.ref = std::string(Trim(r[0])),
                   .name = std::string(Trim(r[1])),
                   .category = std::string(Trim(r[2])),
                   .description = std::string(Trim(r[3])),
                   .controls = Words(r[4])});
  }
  return out;
}

}  // namespace

const std::vector<CatalogueEntry>& ThreatCatalogue() {
  static const std::vector<CatalogueEntry> kThreats = Load("catalogue/threats.csv");
  return kThreats;
}

const std::vector<CatalogueEntry>& VulnerabilityCatalogue() {
  static const std::vector<CatalogueEntry> kVulnerabilities = Load("catalogue/vulnerabilities.csv");
  return kVulnerabilities;
}

}  // namespace rampart::domain
