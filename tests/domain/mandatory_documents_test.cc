// Clause 7.5.1: what the standard requires documented, and how the records meet it.
#include "domain/mandatory_documents.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace rampart::domain {
namespace {

const MandatoryStatus& Item(const MandatoryAssessment& a, const std::string& id) {
  auto it = std::find_if(a.items.begin(), a.items.end(),
                         [&](const MandatoryStatus& s) { return s.requirement->id == id; });
  if (it == a.items.end()) std::abort();
  return *it;
}

Record PublishedDocument(int64_t id, Json fields) {
  Record r;
  r.id = id;
  fields["status"] = "published";
  if (!fields.contains("series")) fields["series"] = "DOC";
  if (!fields.contains("number")) fields["number"] = id;
  if (!fields.contains("published_on")) fields["published_on"] = "2026-01-10";
  r.fields = std::move(fields);
  return r;
}

TEST(MandatoryDocumentation, ListsEveryItemOfTheClausesColumnAndTheAnnexControls) {
  const auto& all = MandatoryDocumentation();
  std::vector<std::string> ids;
  for (const auto& q : all) ids.push_back(q.id);
  const std::vector<std::string> expected = {
      "4.3",   "5.2",    "6.1.2",  "6.1.3-1", "6.1.3-2", "6.1.3-3", "6.2",   "7.2",
      "7.5.1", "8.1",    "8.2",    "8.3",     "9.1",     "9.2.2",   "9.3.3", "10.2",
      "A.5.1", "A.5.10", "A.5.26", "A.5.31",  "A.5.37",  "A.6.6",   "A.8.9"};
  EXPECT_EQ(ids, expected);
  const auto soa = std::find_if(all.begin(), all.end(), [](auto& q) { return q.id == "6.1.3-2"; });
  EXPECT_EQ(soa->what, "Statement of Applicability");
  EXPECT_EQ(soa->source, MandatorySource::kSoa);
  EXPECT_EQ(soa->clause, "6.1.3");
  EXPECT_EQ(all.back().title, "Configuration management");
  EXPECT_TRUE(all.back().annex_a);
}

TEST(MandatoryDocumentation, NothingRecordedIsAGapNamingWhatIsMissing) {
  const auto a = AssessMandatoryDocumentation({}, "2026-12-05");
  EXPECT_EQ(a.met, 0);
  EXPECT_EQ(a.gaps, static_cast<int>(MandatoryDocumentation().size()));
  EXPECT_EQ(Item(a, "4.3").gap, "The ISMS scope has no approved version");
  EXPECT_EQ(Item(a, "5.2").gap, "No information security policy is published");
  EXPECT_EQ(Item(a, "9.2.2").gap, "No internal audit has been reported");
  EXPECT_EQ(Item(a, "A.5.26").gap, "No published document serves Annex A control 5.26");
  EXPECT_EQ(Item(a, "A.5.37").gap, "No published document serves Annex A control 5.37");
  EXPECT_TRUE(Item(a, "6.2").met_by.empty());
}

TEST(MandatoryDocumentation, RecordsMeetTheirRequirements) {
  MandatoryInputs in;
  Record scope;
  scope.id = 4;
  scope.fields = {
      {"title", "Head office"}, {"version_number", 2}, {"approved_at", "2026-03-01T10:00:00Z"}};
  in.scope = scope;
  in.soa_version = 3;
  in.soa_approved_at = "2026-04-02T09:00:00Z";
  in.objectives = 1;
  in.competence = 5;
  in.risks_in_plan = 0;
  const auto a = AssessMandatoryDocumentation(in, "2026-12-05");
  const auto& s = Item(a, "4.3");
  EXPECT_EQ(s.state, MandatoryState::kMet);
  ASSERT_EQ(s.met_by.size(), 1u);
  EXPECT_EQ(s.met_by[0].type, "scope_statement");
  EXPECT_EQ(s.met_by[0].id, 4);
  EXPECT_EQ(s.met_by[0].title, "Head office (version 2)");
  EXPECT_EQ(s.met_by[0].date, "2026-03-01");
  EXPECT_EQ(Item(a, "6.1.3-2").met_by[0].title, "Statement of Applicability, version 3");
  EXPECT_EQ(Item(a, "6.2").met_by[0].title, "1 objective");
  EXPECT_EQ(Item(a, "7.2").met_by[0].title, "5 competence records");
  EXPECT_EQ(Item(a, "7.2").met_by[0].status, "completed");
  EXPECT_EQ(Item(a, "6.1.3-3").state, MandatoryState::kGap);
  EXPECT_EQ(a.met, 4);
}

TEST(MandatoryDocumentation, TheRecordsOfOperationEvaluationAndImprovementMeetTheirClauses) {
  MandatoryInputs in;
  in.occurrences = 3;
  in.measurements = 120;
  in.audits_reported = 1;
  in.reviews_approved = 2;
  in.nonconformities = 1;
  const auto a = AssessMandatoryDocumentation(in, "2026-12-05");
  EXPECT_EQ(a.met, 5);
  EXPECT_EQ(Item(a, "8.1").met_by[0].title, "3 activity occurrences");
  EXPECT_EQ(Item(a, "8.1").met_by[0].type, "activity_occurrence");
  EXPECT_EQ(Item(a, "9.1").met_by[0].title, "120 measurements");
  EXPECT_EQ(Item(a, "9.2.2").met_by[0].title, "1 internal audit");
  EXPECT_EQ(Item(a, "9.3.3").met_by[0].title, "2 management reviews");
  EXPECT_EQ(Item(a, "9.3.3").met_by[0].status, "approved");
  EXPECT_EQ(Item(a, "10.2").met_by[0].title, "1 nonconformity");
  EXPECT_EQ(Item(a, "10.2").state, MandatoryState::kMet);

  // None of them: each gap says which record is missing.
  const auto none = AssessMandatoryDocumentation({}, "2026-12-05");
  EXPECT_EQ(Item(none, "8.1").gap,
            "No occurrence of a planned operational activity is recorded as performed");
  EXPECT_EQ(Item(none, "9.1").gap, "No measurement is recorded");
  EXPECT_EQ(Item(none, "9.3.3").gap, "No management review has approved minutes");
  EXPECT_EQ(Item(none, "10.2").gap, "No nonconformity is recorded");
}

TEST(MandatoryDocumentation, APublishedDocumentInDateServesItsClausesAndControls) {
  MandatoryInputs in;
  in.published_documents = {
      PublishedDocument(1, {{"title", "Audit programme"},
                            {"type", "plan"},
                            {"series", "PLN"},
                            {"clauses", {"9.2.2", "9.1"}},
                            {"next_review", "2027-01-01"}}),
      PublishedDocument(2, {{"title", "Operations"},
                            {"type", "procedure"},
                            {"series", "PRO"},
                            {"annex_controls", {"5.37"}},
                            {"next_review", "2026-11-30"}}),  // past its review
      PublishedDocument(3, {{"title", "Policy"}, {"type", "isms_policy"}, {"series", "POL"}}),
  };
  in.published = CountPublished(in.published_documents, "2026-12-05");
  const auto a = AssessMandatoryDocumentation(in, "2026-12-05");
  const auto& audit = Item(a, "9.2.2");
  EXPECT_EQ(audit.state, MandatoryState::kMet);
  ASSERT_EQ(audit.met_by.size(), 1u);
  EXPECT_EQ(audit.met_by[0].title, "PLN-001 Audit programme");
  EXPECT_EQ(audit.met_by[0].type, "document");
  EXPECT_FALSE(audit.met_by[0].overdue);
  EXPECT_EQ(Item(a, "9.1").state, MandatoryState::kMet);
  EXPECT_EQ(Item(a, "9.3.3").state, MandatoryState::kGap);
  const auto& ops = Item(a, "A.5.37");
  EXPECT_EQ(ops.state, MandatoryState::kReviewOverdue);
  EXPECT_TRUE(ops.met_by[0].overdue);
  EXPECT_EQ(ops.gap, "The document meeting it is past its next review");
  // The policy meets 5.2 by its type, whatever clauses it names; a plan does not.
  EXPECT_EQ(Item(a, "5.2").state, MandatoryState::kMet);
  EXPECT_EQ(Item(a, "5.2").met_by.size(), 1u);
  EXPECT_EQ(Item(a, "A.5.1").state, MandatoryState::kGap);  // no topic-specific policy
  // 7.5.1 counts every published document.
  EXPECT_EQ(Item(a, "7.5.1").met_by[0].title, "3 published documents");
  EXPECT_EQ(a.overdue, 1);
}

// The states come from the counts alone (readiness reads no document); the documents only
// name what meets each requirement.
TEST(MandatoryDocumentation, TheCountsDecideTheStatesWithoutTheDocuments) {
  std::vector<Record> docs = {
      PublishedDocument(1, {{"type", "procedure"},
                            {"clauses", {"4.3", "8.1"}},
                            {"annex_controls", {"5.26"}},
                            {"next_review", "2026-12-04"}}),  // past its review on the 5th
      PublishedDocument(2, {{"type", "procedure"},
                            {"clauses", {"8.1"}},
                            {"next_review", "2026-12-05"}}),  // due that day: in date
      PublishedDocument(3, {{"type", "topic_policy"}}),
  };
  Record draft = PublishedDocument(4, {{"type", "isms_policy"}, {"clauses", {"6.2"}}});
  draft.fields["status"] = "unpublished";
  docs.push_back(draft);
  const PublishedCounts counts = CountPublished(docs, "2026-12-05");
  EXPECT_EQ(counts.all, (PublishedCount{.in_date = 2, .overdue = 1}));
  EXPECT_EQ(counts.by_clause.at("8.1"), (PublishedCount{.in_date = 1, .overdue = 1}));
  EXPECT_EQ(counts.by_clause.at("4.3"), (PublishedCount{.in_date = 0, .overdue = 1}));
  EXPECT_EQ(counts.by_control.at("5.26"), (PublishedCount{.in_date = 0, .overdue = 1}));
  EXPECT_EQ(counts.by_type.at("topic_policy"), (PublishedCount{.in_date = 1, .overdue = 0}));
  EXPECT_EQ(counts.by_clause.count("6.2"), 0u);  // not published
  EXPECT_EQ(counts.by_type.count("isms_policy"), 0u);

  MandatoryInputs counted;
  counted.published = counts;
  MandatoryInputs named = counted;
  named.published_documents = docs;
  const auto a = AssessMandatoryDocumentation(counted, "2026-12-05");
  const auto b = AssessMandatoryDocumentation(named, "2026-12-05");
  ASSERT_EQ(a.items.size(), b.items.size());
  for (size_t i = 0; i < a.items.size(); ++i) {
    EXPECT_EQ(a.items[i].state, b.items[i].state) << a.items[i].requirement->id;
    EXPECT_EQ(a.items[i].gap, b.items[i].gap) << a.items[i].requirement->id;
  }
  EXPECT_EQ(Item(a, "8.1").state, MandatoryState::kMet);
  EXPECT_EQ(Item(a, "A.5.26").state, MandatoryState::kReviewOverdue);
  EXPECT_EQ(Item(a, "A.5.1").state, MandatoryState::kMet);
  EXPECT_EQ(Item(a, "6.2").state, MandatoryState::kGap);
  EXPECT_TRUE(Item(a, "A.5.26").met_by.empty());
  ASSERT_EQ(Item(b, "8.1").met_by.size(), 2u);
  EXPECT_EQ(Item(b, "8.1").met_by[0].id, 2);  // in date first
  EXPECT_TRUE(Item(b, "8.1").met_by[1].overdue);
  EXPECT_EQ(Item(a, "7.5.1").met_by[0].title, "3 published documents");
  EXPECT_EQ(a.met, b.met);
  EXPECT_EQ(a.overdue, b.overdue);
}

TEST(MandatoryDocumentation, AnnexControlsTheSoaExcludesAreNotApplicable) {
  MandatoryInputs in;
  in.not_applicable = {"8.9"};
  const auto a = AssessMandatoryDocumentation(in, "2026-12-05");
  EXPECT_EQ(Item(a, "A.8.9").state, MandatoryState::kNotApplicable);
  EXPECT_TRUE(Item(a, "A.8.9").gap.empty());
  EXPECT_EQ(a.not_applicable, 1);
  EXPECT_EQ(MandatoryStateName(MandatoryState::kReviewOverdue), "review_overdue");
}

}  // namespace
}  // namespace rampart::domain
