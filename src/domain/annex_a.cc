#include "domain/annex_a.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include "base/embedded.h"
#include "base/text.h"

namespace rampart {
extern const EmbeddedFile kReferenceFiles[];
}

namespace rampart::domain {

namespace {

std::vector<std::string> Tags(const std::string& cell) {
  std::vector<std::string> out;
  std::istringstream in(cell);
  std::string word;
  while (in >> word) {
    if (!word.empty() && word[0] == '#') word.erase(0, 1);
    if (!word.empty()) out.push_back(word);
  }
  return out;
}

std::vector<AnnexAControl> Load() {
  const EmbeddedFile* file = FindEmbedded(kReferenceFiles, "iso27001/iso27001-2022-annex-a.csv");
  if (file == nullptr) std::abort();  // the build embeds it; nothing works without it
  auto rows = ParseCsv(file->data);
  std::vector<AnnexAControl> out;
  for (size_t i = 1; i < rows.size(); ++i) {
    auto& r = rows[i];
    if (r.size() < 8) std::abort();
    out.push_back({.id = r[0],
                   .title = r[1],
                   .theme = r[2],
                   .control_types = Tags(r[3]),
                   .security_properties = Tags(r[4]),
                   .cybersecurity_concepts = Tags(r[5]),
                   .operational_capabilities = Tags(r[6]),
                   .security_domains = Tags(r[7])});
  }
  return out;
}

void AddValues(std::vector<std::string>& values, const std::vector<std::string>& add) {
  for (const auto& v : add) {
    if (std::find(values.begin(), values.end(), v) == values.end()) values.push_back(v);
  }
}

}  // namespace

bool AnnexAControl::HasAttribute(std::string_view value) const {
  for (const auto* list : {&control_types, &security_properties, &cybersecurity_concepts,
                           &operational_capabilities, &security_domains}) {
    if (std::find(list->begin(), list->end(), value) != list->end()) return true;
  }
  return false;
}

const std::vector<AnnexAControl>& AnnexAControls() {
  static const std::vector<AnnexAControl> kControls = Load();
  return kControls;
}

const AnnexAControl* FindAnnexAControl(std::string_view id) {
  for (const auto& c : AnnexAControls()) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const std::vector<IsoClause>& IsoClauses() {
  static const std::vector<IsoClause> kClauses = [] {
    const EmbeddedFile* file = FindEmbedded(kReferenceFiles, "iso27001/iso27001-2022-clauses.csv");
    if (file == nullptr) std::abort();  // the build embeds it
    auto rows = ParseCsv(file->data);
    std::vector<IsoClause> out;
    for (size_t i = 1; i < rows.size(); ++i) {
      auto& r = rows[i];
      if (r.size() < 4) std::abort();
      out.push_back(
          {.id = r[0], .title = r[1], .parent = r[2], .mandatory_documented_information = r[3]});
    }
    return out;
  }();
  return kClauses;
}

const std::vector<std::string>& AnnexAThemes() {
  static const std::vector<std::string> kThemes = [] {
    std::vector<std::string> t;
    for (const auto& c : AnnexAControls()) AddValues(t, {c.theme});
    return t;
  }();
  return kThemes;
}

const std::vector<AnnexAAttribute>& AnnexAAttributes() {
  static const std::vector<AnnexAAttribute> kAttributes = [] {
    std::vector<AnnexAAttribute> a = {
        {"control_type", "Control type", {}},
        {"security_property", "Information security property", {}},
        {"cybersecurity_concept", "Cybersecurity concept", {}},
        {"operational_capability", "Operational capability", {}},
        {"security_domain", "Security domain", {}},
    };
    for (const auto& c : AnnexAControls()) {
      AddValues(a[0].values, c.control_types);
      AddValues(a[1].values, c.security_properties);
      AddValues(a[2].values, c.cybersecurity_concepts);
      AddValues(a[3].values, c.operational_capabilities);
      AddValues(a[4].values, c.security_domains);
    }
    return a;
  }();
  return kAttributes;
}

}  // namespace rampart::domain
