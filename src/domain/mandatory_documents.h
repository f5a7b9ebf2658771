// What ISO/IEC 27001:2022 requires an organisation to keep as documented information, and what in
// the organisation's records meets each requirement (clause 7.5.1 a).
//
// The requirements are the clauses' column `mandatory_documented_information` (one per item of
// the column, "; "-separated) and the Annex A controls whose control asks for documented rules or
// procedures. Each names a source in Rampart's records (an approved ISMS scope, the SoA's
// approved version, objectives, ...) and is also met by a published document, in date, that
// serves its clause or control. AssessMandatoryDocumentation decides from what the use case read:
// pure, no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "domain/record.h"

namespace rampart::domain {

// Where a requirement is met in the records, besides a published document serving it.
enum class MandatorySource {
  kDocument,          // only a published document serving the clause or control
  kIsmsPolicy,        // a published document of type "information security policy"
  kTopicPolicies,     // published topic-specific policies
  kAnyDocument,       // any published document (7.5.1: the documents the ISMS needs)
  kScope,             // the approved version of the ISMS scope
  kMethodology,       // the approved version of the risk methodology
  kSoa,               // an approved version of the Statement of Applicability
  kTreatmentPlan,     // risks whose treatment is planned or done (the risk treatment plan)
  kObjectives,        // objectives not cancelled
  kCompetence,        // completed competence records
  kAssessmentCycle,   // closed risk assessment cycles (the results of 8.2)
  kTreatedRisks,      // risks treated or accepted (the results of 8.3)
  kOperationRecords,  // occurrences of planned operational activities performed (8.1)
  kMeasurements,      // measurements recorded (the results of 9.1)
  kAuditResults,      // internal audits reported or closed (9.2.2)
  kReviewResults,     // management reviews whose minutes are approved (9.3.3)
  kNonconformities,   // nonconformities recorded (10.2)
};

struct MandatoryRequirement {
  std::string id;      // "4.3", "6.1.3-2" (the column's third item), "A.5.37"
  std::string clause;  // the clause ("6.1.3") or, for Annex A, the control ("5.37")
  bool annex_a = false;
  std::string title;  // the clause's or control's title
  std::string what;   // what is to be documented ("Statement of Applicability")
  MandatorySource source = MandatorySource::kDocument;
};

// In the order of the standard: clauses first, then Annex A.
const std::vector<MandatoryRequirement>& MandatoryDocumentation();

// Published documents counted: those in date, and those past their next review.
struct PublishedCount {
  int64_t in_date = 0;
  int64_t overdue = 0;
  bool operator==(const PublishedCount&) const = default;
};

// The published documents counted in all, and by the type, clauses and Annex A controls they
// serve (a document counts once under each clause and control it names): what the requirements
// look at, counted by the store without reading the documents.
struct PublishedCounts {
  PublishedCount all;
  std::map<std::string, PublishedCount> by_type, by_clause, by_control;
  bool operator==(const PublishedCounts&) const = default;
};

// The same counts from the documents themselves (those whose status is "published"), a next
// review before `today` being past it.
PublishedCounts CountPublished(const std::vector<Record>& documents, std::string_view today);

// What the use case read for the assessment.
struct MandatoryInputs {
  PublishedCounts published;
  // The published documents to name as what meets each requirement (the first 20 each, in the
  // order given); left empty when only the states are wanted (readiness).
  std::vector<Record> published_documents;
  std::optional<Record> scope;        // the approved ISMS scope in force
  std::optional<Record> methodology;  // the approved risk methodology in force
  int64_t soa_version = 0;            // the latest approved SoA version's number; 0: none
  std::string soa_approved_at;
  int64_t objectives = 0;                // not cancelled
  int64_t competence = 0;                // completed competence records
  int64_t closed_cycles = 0;             // closed risk assessment cycles
  int64_t risks_in_plan = 0;             // risks with treatment planned or treated
  int64_t risks_treated = 0;             // risks treated or accepted
  int64_t occurrences = 0;               // activity occurrences performed (with or without issues)
  int64_t measurements = 0;              // measurements recorded
  int64_t audits_reported = 0;           // internal audits reported or closed
  int64_t reviews_approved = 0;          // management reviews with approved minutes
  int64_t nonconformities = 0;           // nonconformities recorded
  std::set<std::string> not_applicable;  // Annex A controls the SoA excludes
};

enum class MandatoryState { kMet, kReviewOverdue, kGap, kNotApplicable };
std::string_view MandatoryStateName(MandatoryState s);  // "met", "review_overdue", ...

// What meets a requirement: one record (id > 0), or a count of a register's records (id 0).
struct MandatoryEvidence {
  std::string type;  // a register's record type ("document", "scope_statement"), or "soa" or
                     // "treatment_plan" for those pages
  int64_t id = 0;
  std::string title;     // "POL-001 Information security policy", "3 objectives"
  int64_t count = 0;     // for counts
  std::string status;    // for a register count: the status its records are filtered by
  std::string date;      // approval or review date shown beside it
  bool overdue = false;  // a document past its next review
};

struct MandatoryStatus {
  const MandatoryRequirement* requirement = nullptr;
  MandatoryState state = MandatoryState::kGap;
  std::vector<MandatoryEvidence> met_by;
  std::string gap;  // what is missing, when the state is a gap or overdue
};

struct MandatoryAssessment {
  std::vector<MandatoryStatus> items;
  int met = 0, overdue = 0, gaps = 0, not_applicable = 0;
};

MandatoryAssessment AssessMandatoryDocumentation(const MandatoryInputs& in, std::string_view today);

}  // namespace rampart::domain
