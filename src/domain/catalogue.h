// The threat and vulnerability catalogues Rampart ships, from data/catalogue/threats.csv and
// data/catalogue/vulnerabilities.csv (embedded). The text was written for Rampart; each entry
// names the ISO/IEC 27001:2022 Annex A controls that address it. Loaded once; immutable.
#pragma once

#include <string>
#include <vector>

namespace rampart::domain {

struct CatalogueEntry {
  std::string ref;       // "T01", "V01": unique and stable
  std::string name;      // "Ransomware"
  std::string category;  // threats: deliberate, accidental, environmental, technical;
                         // vulnerabilities: people, process, technology, physical, supplier
  std::string description;
  std::vector<std::string> controls;  // Annex A control ids: "5.7", "8.13"
};

// The entries in file order (T01 ..., V01 ...).
const std::vector<CatalogueEntry>& ThreatCatalogue();
const std::vector<CatalogueEntry>& VulnerabilityCatalogue();

}  // namespace rampart::domain
