#include "domain/catalogue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "base/text.h"
#include "domain/annex_a.h"

namespace rampart::domain {
namespace {

bool WellFormedRef(const std::string& ref, char prefix) {
  return ref.size() == 3 && ref[0] == prefix && std::isdigit(static_cast<unsigned char>(ref[1])) &&
         std::isdigit(static_cast<unsigned char>(ref[2])) && ref != std::string{prefix, '0', '0'};
}

// What both catalogues promise: well-formed unique refs, unique short names, a known category,
// a description of a sensible length and 1-8 distinct real Annex A controls per entry.
void ExpectWellFormed(const std::vector<CatalogueEntry>& entries, char prefix,
                      const std::set<std::string>& categories) {
  EXPECT_GE(entries.size(), 35u);
  EXPECT_LE(entries.size(), 45u);
  std::set<std::string> refs, names, used_categories;
  for (const auto& e : entries) {
    SCOPED_TRACE(e.ref);
    EXPECT_TRUE(WellFormedRef(e.ref, prefix)) << e.ref;
    EXPECT_TRUE(refs.insert(e.ref).second) << "duplicate ref";
    EXPECT_FALSE(e.name.empty());
    EXPECT_GE(Utf8Length(e.name), 1);
    EXPECT_LE(Utf8Length(e.name), 80);
    EXPECT_TRUE(names.insert(ToLower(e.name)).second) << "duplicate name " << e.name;
    EXPECT_TRUE(categories.contains(e.category)) << e.category;
    used_categories.insert(e.category);
    EXPECT_FALSE(e.description.empty());
    EXPECT_GE(Utf8Length(e.description), 1);  // -1: not valid UTF-8
    EXPECT_LE(Utf8Length(e.description), 400);
    EXPECT_GE(e.controls.size(), 1u);
    EXPECT_LE(e.controls.size(), 8u);
    std::set<std::string> ids;
    for (const auto& id : e.controls) {
      EXPECT_NE(FindAnnexAControl(id), nullptr) << "not an Annex A control: " << id;
      EXPECT_TRUE(ids.insert(id).second) << "duplicate control " << id;
    }
  }
  EXPECT_EQ(used_categories, categories);  // every category has entries
}

TEST(CatalogueTest, ThreatsAreWellFormed) {
  ExpectWellFormed(ThreatCatalogue(), 'T',
                   {"deliberate", "accidental", "environmental", "technical"});
}

TEST(CatalogueTest, VulnerabilitiesAreWellFormed) {
  ExpectWellFormed(VulnerabilityCatalogue(), 'V',
                   {"people", "process", "technology", "physical", "supplier"});
}

TEST(CatalogueTest, EveryAnnexAThemeIsAddressedByAThreat) {
  std::set<std::string> themes;
  for (const auto& t : ThreatCatalogue()) {
    for (const auto& id : t.controls) {
      if (const AnnexAControl* c = FindAnnexAControl(id)) themes.insert(c->theme);
    }
  }
  for (const auto& theme : AnnexAThemes()) EXPECT_TRUE(themes.contains(theme)) << theme;
}

TEST(CatalogueTest, QuotedDescriptionsAndControlListsAreParsed) {
  const auto& threats = ThreatCatalogue();
  ASSERT_FALSE(threats.empty());
  const CatalogueEntry& first = threats.front();
  EXPECT_EQ(first.ref, "T01");
  EXPECT_EQ(first.name, "Ransomware");
  EXPECT_EQ(first.category, "deliberate");
  EXPECT_NE(first.description.find(", "), std::string::npos);  // a comma inside quotes
  EXPECT_NE(std::find(first.controls.begin(), first.controls.end(), "8.7"), first.controls.end());
  EXPECT_NE(std::find(first.controls.begin(), first.controls.end(), "8.13"), first.controls.end());
  EXPECT_EQ(VulnerabilityCatalogue().front().ref, "V01");
  EXPECT_EQ(VulnerabilityCatalogue().front().name, "Unpatched software");
  for (const auto* list : {&ThreatCatalogue(), &VulnerabilityCatalogue()}) {
    for (const auto& e : *list) {
      EXPECT_NE(e.description.front(), '"') << e.ref;
      EXPECT_NE(e.description.back(), '"') << e.ref;
    }
  }
}

}  // namespace
}  // namespace rampart::domain
