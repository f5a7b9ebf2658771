#include "domain/reminders.h"

#include "domain/digest_sections.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rampart::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Digest Sample() {
  return Digest{.day = "2026-03-14",
                .org_name = "Acme",
                .person = "Alice",
                .items = {{.section = DigestSection::kTask,
                           .label = "Rotate the backup keys",
                           .due = "2026-03-11",
                           .href = "/tasks/7"},
                          {.section = DigestSection::kReview,
                           .label = "Cloud migration",
                           .due = "2026-03-14",
                           .what = "Context issue",
                           .href = "/context-issues/3"},
                          {.section = DigestSection::kAcknowledgement,
                           .label = "Access control policy",
                           .due = "2026-03-01",
                           .href = "/my/documents/2"}}};
}

TEST(ComposeDigest, SaysWhatWaitsWithAbsoluteLinks) {
  const ComposedDigest c = ComposeDigest(Sample(), "https://isms.example.org/");
  EXPECT_EQ(c.title, "3 reminders for 2026-03-14");
  EXPECT_EQ(c.subject, "[Rampart] Acme: 3 reminders for 2026-03-14");
  EXPECT_EQ(c.summary, "1 task (1 overdue), 1 review due, 1 document to acknowledge");
  EXPECT_THAT(c.text, HasSubstr("Hello Alice,"));
  EXPECT_THAT(c.text, HasSubstr("  - Rotate the backup keys (overdue: due 2026-03-11)\n"
                                "    https://isms.example.org/tasks/7\n"));
  EXPECT_THAT(c.text, HasSubstr("Context issue: Cloud migration (review due 2026-03-14)"));
  // An acknowledgement is never "overdue": its date is when it was asked for.
  EXPECT_THAT(c.text, HasSubstr("Access control policy (asked on 2026-03-01)"));
  EXPECT_THAT(c.text, HasSubstr("https://isms.example.org/notifications"));
  ASSERT_EQ(c.items.size(), 3u);
  EXPECT_EQ(c.items[0]["section"], "task");
  EXPECT_EQ(c.items[0]["overdue"], true);
  EXPECT_EQ(c.items[2]["overdue"], false);
}

TEST(ComposeDigest, KeepsATitleWithALineBreakOnOneLine) {
  Digest d = Sample();
  d.items[0].label = "Rotate\r\nBcc: someone@example.org";
  d.org_name = "Acme\nX-Injected: yes";
  const ComposedDigest c = ComposeDigest(d, "");
  EXPECT_THAT(c.text, Not(HasSubstr("\nBcc:")));
  EXPECT_THAT(c.subject, Not(HasSubstr("\n")));
  // Without a public URL the links are paths.
  EXPECT_THAT(c.text, HasSubstr("    /tasks/7\n"));
}

TEST(ComposeDigest, CountsWhatItDoesNotList) {
  Digest d{.day = "2026-03-14", .org_name = "Acme", .person = "Alice"};
  for (int i = 0; i < kDigestLinesPerSection + 5; ++i) {
    d.items.push_back({.section = DigestSection::kTask,
                       .label = "Task " + std::to_string(i),
                       .due = "2026-03-15",
                       .href = "/tasks/1"});
  }
  const ComposedDigest c = ComposeDigest(d, "");
  EXPECT_THAT(c.text, HasSubstr("... and 5 more"));
  EXPECT_EQ(c.items.size(), d.items.size());  // the notification lists all 25 (up to 50)
}

// The notification keeps 50 items of a section and then says how many more there are, so a
// person owning thousands of risks past review gets kilobytes, not megabytes.
TEST(ComposeDigest, KeepsFiftyItemsOfASectionAndCountsTheRest) {
  Digest d{.day = "2026-03-14", .org_name = "Acme", .person = "Alice"};
  d.items.push_back({.section = DigestSection::kTask, .label = "Rotate keys", .due = "2026-03-15"});
  for (int i = 0; i < 1234; ++i) {
    d.items.push_back({.section = DigestSection::kReview,
                       .label = "Risk " + std::to_string(i),
                       .due = "2026-03-01",
                       .what = "Risk",
                       .href = "/risks/" + std::to_string(i + 1)});
  }
  d.items.push_back(
      {.section = DigestSection::kAcknowledgement, .label = "Policy", .due = "2026-03-10"});
  const ComposedDigest c = ComposeDigest(d, "");
  ASSERT_EQ(c.items.size(), 1u + kDigestItemsPerSection + 1u + 1u);
  EXPECT_EQ(c.items[0]["label"], "Rotate keys");
  EXPECT_EQ(c.items[1]["label"], "Risk 0");
  EXPECT_EQ(c.items[kDigestItemsPerSection]["label"], "Risk 49");
  const auto& more = c.items[kDigestItemsPerSection + 1];
  EXPECT_EQ(more["section"], "review");
  EXPECT_EQ(more["more"], 1234 - kDigestItemsPerSection);
  EXPECT_EQ(more["label"], "1,184 more");
  EXPECT_EQ(more["href"], "/my");
  EXPECT_EQ(c.items.back()["label"], "Policy");
  EXPECT_FALSE(c.items[0].contains("more"));
  EXPECT_THAT(c.summary, HasSubstr("1,234 reviews due"));
}

TEST(IsValidEmailAddress, AcceptsOneAddressAndNothingThatAddsARecipientOrHeader) {
  EXPECT_TRUE(IsValidEmailAddress("alice@example.org"));
  EXPECT_TRUE(IsValidEmailAddress("a.b+isms@sub.example-1.org"));
  EXPECT_TRUE(IsValidEmailAddress("root@localhost"));
  EXPECT_FALSE(IsValidEmailAddress(""));
  EXPECT_FALSE(IsValidEmailAddress("alice"));
  EXPECT_FALSE(IsValidEmailAddress("@example.org"));
  EXPECT_FALSE(IsValidEmailAddress("alice@"));
  EXPECT_FALSE(IsValidEmailAddress("alice example@example.org"));
  EXPECT_FALSE(IsValidEmailAddress("alice@example.org\r\nBcc: eve@example.org"));
  EXPECT_FALSE(IsValidEmailAddress("alice@example.org, eve@example.org"));
  EXPECT_FALSE(IsValidEmailAddress("<alice@example.org>"));
  EXPECT_FALSE(IsValidEmailAddress("alice@-example.org"));
  EXPECT_FALSE(IsValidEmailAddress("alice@example..org"));
  EXPECT_FALSE(IsValidEmailAddress(".alice@example.org"));
  EXPECT_FALSE(IsValidEmailAddress(std::string(250, 'a') + "@example.org"));
}

}  // namespace
}  // namespace rampart::domain

namespace rampart::domain {
namespace {

TEST(DigestSections, ThePagesWordsAreTheDigestsInItsOrder) {
  const auto words = DigestSectionsInOrder();
  const DigestSection order[] = {DigestSection::kTask, DigestSection::kReview,
                                 DigestSection::kAcknowledgement, DigestSection::kAwareness,
                                 DigestSection::kMeasurement};
  ASSERT_EQ(words.size(), std::size(order));
  for (size_t i = 0; i < words.size(); ++i) {
    EXPECT_STREQ(words[i].name, DigestSectionName(order[i]));
  }
  EXPECT_STREQ(words[2].heading, "Documents to acknowledge");
  EXPECT_STREQ(words[2].date_word, "asked on");
  EXPECT_STREQ(words[3].heading, "Awareness to complete");
}

}  // namespace
}  // namespace rampart::domain
