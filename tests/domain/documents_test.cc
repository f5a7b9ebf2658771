// Clause 7.5's rules that need no store: document numbers within their series, who approves
// which type, what an approval's hash covers, and the line comparison of two versions' texts.
#include "domain/documents.h"

#include <gtest/gtest.h>

#include "domain/annex_a.h"

namespace rampart::domain {
namespace {

TEST(Documents, TypesAreNumberedWithinTheirSeries) {
  EXPECT_EQ(DocumentSeries("isms_policy"), "POL");
  EXPECT_EQ(DocumentSeries("topic_policy"), "POL");
  EXPECT_EQ(DocumentSeries("procedure"), "PRO");
  EXPECT_EQ(DocumentSeries("record_template"), "TPL");
  EXPECT_EQ(DocumentSeries("other"), "DOC");
  EXPECT_EQ(DocumentReference({{"series", "POL"}, {"number", 7}}), "POL-007");
  EXPECT_EQ(DocumentReference({{"series", "PRO"}, {"number", 1234}}), "PRO-1234");
  EXPECT_EQ(Documents().Field("number")->sequence_within, "series");
  EXPECT_TRUE(Documents().Field("series")->read_only);
}

TEST(Documents, PoliciesAreApprovedByTopManagement) {
  EXPECT_TRUE(NeedsTopManagement("isms_policy"));
  EXPECT_TRUE(NeedsTopManagement("topic_policy"));
  EXPECT_FALSE(NeedsTopManagement("procedure"));
  EXPECT_FALSE(NeedsTopManagement("plan"));
}

TEST(Documents, TheApprovedContentCoversTheTextAndTheControlledFields) {
  const Json doc = {{"series", "POL"},       {"number", 1}, {"title", "Policy"},
                    {"type", "isms_policy"}, {"owner", 3},  {"distribution_roles", {"staff"}}};
  const Json v = {
      {"document", 9}, {"version_number", 2}, {"body", "Text"}, {"status", "in_review"}};
  const std::string base = ApprovedContent(doc, v);
  Json other_owner = doc;
  other_owner["owner"] = 4;  // who keeps it current is not what was approved
  EXPECT_EQ(ApprovedContent(other_owner, v), base);
  Json approved = v;
  approved["status"] = "approved";
  EXPECT_EQ(ApprovedContent(doc, approved), base);
  Json wider = doc;
  wider["distribution_roles"] = {"staff", "viewer"};
  EXPECT_NE(ApprovedContent(wider, v), base);
  Json edited = v;
  edited["body"] = "Text.";
  EXPECT_NE(ApprovedContent(doc, edited), base);
}

TEST(Documents, LinesAreComparedByALongestCommonSubsequence) {
  using K = LineChange::Kind;
  const auto d = DiffLines("a\nb\nc\nd\n", "a\nc\nx\nd\n");
  ASSERT_EQ(d.size(), 5u);
  EXPECT_EQ(d[0].kind, K::kSame);
  EXPECT_EQ(d[1].kind, K::kRemoved);
  EXPECT_EQ(d[1].text, "b");
  EXPECT_EQ(d[2].kind, K::kSame);
  EXPECT_EQ(d[2].text, "c");
  EXPECT_EQ(d[3].kind, K::kAdded);
  EXPECT_EQ(d[3].text, "x");
  EXPECT_EQ(d[4].text, "d");
  // Windows line ends read as lines; an empty text is no lines.
  const auto crlf = DiffLines("one\r\ntwo", "one\ntwo");
  ASSERT_EQ(crlf.size(), 2u);
  EXPECT_EQ(crlf[1].kind, K::kSame);
  EXPECT_TRUE(DiffLines("", "").empty());
  const auto added = DiffLines("", "new");
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].kind, K::kAdded);
}

TEST(Documents, TwoLongRewrittenTextsAreShownRemovedAndAddedWhole) {
  std::string from, to;
  for (int i = 0; i < 3000; ++i) {
    from += "old " + std::to_string(i) + "\n";
    to += "new " + std::to_string(i) + "\n";
  }
  const auto d = DiffLines(from, to);
  ASSERT_EQ(d.size(), 6000u);
  EXPECT_EQ(d.front().kind, LineChange::Kind::kRemoved);
  EXPECT_EQ(d.back().kind, LineChange::Kind::kAdded);
}

TEST(Documents, ClausesComeFromTheShippedTable) {
  const auto& clauses = IsoClauses();
  ASSERT_GE(clauses.size(), 40u);
  EXPECT_EQ(clauses.front().id, "4");
  bool scope = false;
  for (const auto& c : clauses) {
    if (c.id == "4.3") scope = c.mandatory_documented_information == "ISMS scope";
  }
  EXPECT_TRUE(scope);
}

}  // namespace
}  // namespace rampart::domain
