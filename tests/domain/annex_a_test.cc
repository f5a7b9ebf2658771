#include "domain/annex_a.h"

#include <gtest/gtest.h>

#include <set>

#include "base/text.h"

namespace rampart::domain {
namespace {

TEST(AnnexATest, ShipsTheNinetyThreeControlsOfTheFourThemes) {
  const auto& controls = AnnexAControls();
  ASSERT_EQ(controls.size(), 93u);
  EXPECT_EQ(controls.front().id, "5.1");
  EXPECT_EQ(controls.back().id, "8.34");
  std::set<std::string> ids;
  int counts[4] = {};
  for (const auto& c : controls) {
    ids.insert(c.id);
    for (int t = 0; t < 4; ++t) counts[t] += c.theme == AnnexAThemes()[t] ? 1 : 0;
  }
  EXPECT_EQ(ids.size(), 93u);
  EXPECT_EQ(AnnexAThemes(),
            (std::vector<std::string>{"Organizational", "People", "Physical", "Technological"}));
  EXPECT_EQ(counts[0], 37);
  EXPECT_EQ(counts[1], 8);
  EXPECT_EQ(counts[2], 14);
  EXPECT_EQ(counts[3], 34);
}

TEST(AnnexATest, QuotedTitlesAndAttributesAreParsed) {
  const AnnexAControl* c = FindAnnexAControl("5.22");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->title, "Monitoring, review and change management of supplier services");
  EXPECT_EQ(c->control_types, std::vector<std::string>{"Preventive"});
  EXPECT_TRUE(c->HasAttribute("Supplier_relationships_security"));
  EXPECT_FALSE(c->HasAttribute("Detective"));
  EXPECT_EQ(FindAnnexAControl("5.99"), nullptr);
  EXPECT_EQ(FindAnnexAControl("A.5.1"), nullptr);
  ASSERT_EQ(AnnexAAttributes().size(), 5u);
  EXPECT_EQ(AnnexAAttributes()[0].values,
            (std::vector<std::string>{"Preventive", "Corrective", "Detective"}));
}

TEST(CsvTest, ParsesQuotesDoubledQuotesAndLineEnds) {
  auto rows = ParseCsv("a,\"b, c\",\"say \"\"hi\"\"\"\r\n\nx,,\"multi\nline\"\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b, c", "say \"hi\""}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"x", "", "multi\nline"}));
  // CsvRow writes what ParseCsv reads (formulas neutralised with a leading apostrophe).
  const std::vector<std::string> cells = {"a", "b, c", "say \"hi\"", "multi\nline", "=1+1"};
  EXPECT_EQ(CsvRow(cells), "a,\"b, c\",\"say \"\"hi\"\"\",\"multi\nline\",'=1+1\r\n");
  EXPECT_EQ(ParseCsv(CsvRow(cells))[0],
            (std::vector<std::string>{"a", "b, c", "say \"hi\"", "multi\nline", "'=1+1"}));
}

}  // namespace
}  // namespace rampart::domain
