#include "domain/mandatory_documents.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>

#include "base/text.h"
#include "domain/annex_a.h"
#include "domain/context.h"
#include "domain/documents.h"
#include "domain/improvement.h"
#include "domain/internal_audit.h"
#include "domain/management_review.h"
#include "domain/monitoring.h"
#include "domain/operation.h"
#include "domain/planning.h"
#include "domain/risk.h"
#include "domain/support.h"

namespace rampart::domain {
namespace {

// The source of each item of the clauses' column (clause, item's index); items not named here
// are met by a published document serving the clause only.
MandatorySource ClauseSource(const std::string& clause, size_t item) {
  static const std::map<std::pair<std::string, size_t>, MandatorySource> kSources = {
      {{"4.3", 0}, MandatorySource::kScope},
      {{"5.2", 0}, MandatorySource::kIsmsPolicy},
      {{"6.1.2", 0}, MandatorySource::kMethodology},
      {{"6.1.3", 1}, MandatorySource::kSoa},
      {{"6.1.3", 2}, MandatorySource::kTreatmentPlan},
      {{"6.2", 0}, MandatorySource::kObjectives},
      {{"7.2", 0}, MandatorySource::kCompetence},
      {{"7.5.1", 0}, MandatorySource::kAnyDocument},
      {{"8.2", 0}, MandatorySource::kAssessmentCycle},
      {{"8.3", 0}, MandatorySource::kTreatedRisks},
      {{"8.1", 0}, MandatorySource::kOperationRecords},
      {{"9.1", 0}, MandatorySource::kMeasurements},
      {{"9.2.2", 0}, MandatorySource::kAuditResults},
      {{"9.3.3", 0}, MandatorySource::kReviewResults},
      {{"10.2", 0}, MandatorySource::kNonconformities},
  };
  auto it = kSources.find({clause, item});
  return it == kSources.end() ? MandatorySource::kDocument : it->second;
}

// The Annex A controls whose control asks for documented policies, rules or procedures, with
// what is documented.
struct AnnexItem {
  const char* control;
  const char* what;
  MandatorySource source;
};
constexpr AnnexItem kAnnexItems[] = {
    {"5.1", "topic-specific policies", MandatorySource::kTopicPolicies},
    {"5.10", "rules for the acceptable use of information and other associated assets",
     MandatorySource::kDocument},
    {"5.26", "procedures for responding to information security incidents",
     MandatorySource::kDocument},
    {"5.31", "legal, statutory, regulatory and contractual requirements",
     MandatorySource::kDocument},
    {"5.37", "operating procedures for information processing facilities",
     MandatorySource::kDocument},
    {"6.6", "confidentiality or non-disclosure agreements", MandatorySource::kDocument},
    {"8.9", "configurations, including security configurations", MandatorySource::kDocument},
};

std::vector<MandatoryRequirement> MakeRequirements() {
  std::vector<MandatoryRequirement> out;
  for (const auto& c : IsoClauses()) {
    if (c.mandatory_documented_information.empty()) continue;
    std::vector<std::string> items;
    std::string_view rest = c.mandatory_documented_information;
    while (!rest.empty()) {
      const size_t semi = rest.find(';');
      const std::string_view item = Trim(rest.substr(0, semi));
      if (!item.empty()) items.emplace_back(item);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
    }
    for (size_t i = 0; i < items.size(); ++i) {
      out.push_back({.id = items.size() == 1 ? c.id : fmt::format("{}-{}", c.id, i + 1),
                     .clause = c.id,
                     .title = c.title,
                     .what = items[i],
                     .source = ClauseSource(c.id, i)});
    }
  }
  for (const auto& a : kAnnexItems) {
    const AnnexAControl* control = FindAnnexAControl(a.control);
    if (control == nullptr) std::abort();  // the shipped catalogue has them all
    out.push_back({.id = std::string("A.") + a.control,
                   .clause = a.control,
                   .annex_a = true,
                   .title = control->title,
                   .what = a.what,
                   .source = a.source});
  }
  return out;
}

bool Holds(const Json& list, const std::string& value) {
  if (!list.is_array()) return false;
  return std::any_of(list.begin(), list.end(), [&](const Json& v) { return v == value; });
}

std::string Text(const Json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

MandatoryEvidence DocumentEvidence(const Record& d, std::string_view today) {
  const std::string next_review = Text(d.fields.value("next_review", Json()));
  return {.type = Documents().type,
          .id = d.id,
          .title = DocumentReference(d.fields) + " " + Text(d.fields.value("title", Json())),
          .date = Text(d.fields.value("published_on", Json())),
          .overdue = !next_review.empty() && next_review < today};
}

MandatoryEvidence Count(const RegisterSpec& spec, int64_t n, std::string status = {}) {
  std::string noun = n == 1 ? spec.singular : spec.plural;
  return {.type = spec.type,
          .title = fmt::format("{} {}", n, ToLower(noun)),
          .count = n,
          .status = std::move(status)};
}

MandatoryEvidence ApprovedVersion(const RegisterSpec& spec, const Record& r) {
  return {.type = spec.type,
          .id = r.id,
          .title = fmt::format("{} (version {})", Text(r.fields.value("title", Json())),
                               r.fields.value("version_number", Json(0)).dump()),
          .date = Text(r.fields.value("approved_at", Json())).substr(0, 10)};
}

// The evidence a requirement's own source gives (empty: the source does not meet it), and the
// gap to name when nothing meets it.
std::pair<std::vector<MandatoryEvidence>, std::string> FromSource(const MandatoryRequirement& q,
                                                                  const MandatoryInputs& in) {
  std::vector<MandatoryEvidence> ev;
  auto count = [&](const RegisterSpec& spec, int64_t n, std::string status = {}) {
    if (n > 0) ev.push_back(Count(spec, n, std::move(status)));
  };
  switch (q.source) {
    case MandatorySource::kScope:
      if (in.scope) ev.push_back(ApprovedVersion(ScopeStatements(), *in.scope));
      return {ev, "The ISMS scope has no approved version"};
    case MandatorySource::kMethodology:
      if (in.methodology) ev.push_back(ApprovedVersion(RiskMethodologies(), *in.methodology));
      return {ev, "The risk methodology has no approved version"};
    case MandatorySource::kSoa:
      if (in.soa_version > 0) {
        ev.push_back(
            {.type = "soa",
             .id = in.soa_version,
             .title = fmt::format("Statement of Applicability, version {}", in.soa_version),
             .date = in.soa_approved_at.substr(0, 10)});
      }
      return {ev, "The Statement of Applicability has no approved version"};
    case MandatorySource::kTreatmentPlan:
      if (in.risks_in_plan > 0) {
        ev.push_back({.type = "treatment_plan",
                      .title = fmt::format("Risk treatment plan: {} {}", in.risks_in_plan,
                                           in.risks_in_plan == 1 ? "risk" : "risks"),
                      .count = in.risks_in_plan});
      }
      return {ev, "No risk has a treatment planned or done"};
    case MandatorySource::kObjectives:
      count(Objectives(), in.objectives);
      return {ev, "No information security objective is recorded"};
    case MandatorySource::kCompetence:
      count(CompetenceRecords(), in.competence, "completed");
      return {ev, "No completed competence record"};
    case MandatorySource::kAssessmentCycle:
      count(RiskAssessments(), in.closed_cycles, "closed");
      return {ev, "No risk assessment cycle has been closed with its results"};
    case MandatorySource::kTreatedRisks:
      count(Risks(), in.risks_treated);
      return {ev, "No risk is treated or accepted yet"};
    case MandatorySource::kOperationRecords:
      count(ActivityOccurrences(), in.occurrences);
      return {ev, "No occurrence of a planned operational activity is recorded as performed"};
    case MandatorySource::kMeasurements:
      count(Measurements(), in.measurements);
      return {ev, "No measurement is recorded"};
    case MandatorySource::kAuditResults:
      count(InternalAudits(), in.audits_reported);
      return {ev, "No internal audit has been reported"};
    case MandatorySource::kReviewResults:
      count(ManagementReviews(), in.reviews_approved, std::string(kReviewApproved));
      return {ev, "No management review has approved minutes"};
    case MandatorySource::kNonconformities:
      count(Nonconformities(), in.nonconformities);
      return {ev, "No nonconformity is recorded"};
    case MandatorySource::kIsmsPolicy:
      return {ev, "No information security policy is published"};
    case MandatorySource::kTopicPolicies:
      return {ev, "No topic-specific policy is published"};
    case MandatorySource::kAnyDocument:
      return {ev, "No document is published"};
    case MandatorySource::kDocument:
      break;
  }
  return {ev, q.annex_a ? fmt::format("No published document serves Annex A control {}", q.clause)
                        : fmt::format("No published document serves clause {}", q.clause)};
}

// A published document as the requirements look at it, read from its fields once (an
// organisation may publish thousands: each requirement then walks these, not the records).
struct PublishedDocument {
  const Record* record = nullptr;
  const Json* type = nullptr;
  const Json* clauses = nullptr;
  const Json* controls = nullptr;
  bool overdue = false;  // past its next review
};

std::vector<PublishedDocument> Published(const std::vector<Record>& documents,
                                         std::string_view today) {
  static const Json kNull;
  auto field = [](const Record& d, const char* name) {
    const auto it = d.fields.find(name);
    return it == d.fields.end() ? &kNull : &*it;
  };
  std::vector<PublishedDocument> out;
  out.reserve(documents.size());
  for (const auto& d : documents) {
    const Json* next = field(d, "next_review");
    out.push_back({.record = &d,
                   .type = field(d, "type"),
                   .clauses = field(d, "clauses"),
                   .controls = field(d, "annex_controls"),
                   .overdue = next->is_string() && !next->get_ref<const std::string&>().empty() &&
                              next->get_ref<const std::string&>() < today});
  }
  return out;
}

// Whether published document `d` meets requirement `q`.
bool Serves(const MandatoryRequirement& q, const PublishedDocument& d) {
  switch (q.source) {
    case MandatorySource::kIsmsPolicy:
      return *d.type == "isms_policy";
    case MandatorySource::kTopicPolicies:
      return *d.type == "topic_policy";
    case MandatorySource::kAnyDocument:
      return true;
    default:
      return Holds(q.annex_a ? *d.controls : *d.clauses, q.clause);
  }
}

// The published documents meeting requirement `q`, as counted.
PublishedCount Counted(const MandatoryRequirement& q, const PublishedCounts& c) {
  auto of = [](const std::map<std::string, PublishedCount>& by, const std::string& key) {
    const auto it = by.find(key);
    return it == by.end() ? PublishedCount{} : it->second;
  };
  switch (q.source) {
    case MandatorySource::kIsmsPolicy:
      return of(c.by_type, "isms_policy");
    case MandatorySource::kTopicPolicies:
      return of(c.by_type, "topic_policy");
    case MandatorySource::kAnyDocument:
      return c.all;
    default:
      return of(q.annex_a ? c.by_control : c.by_clause, q.clause);
  }
}

constexpr size_t kDocumentsListed = 20;

}  // namespace

const std::vector<MandatoryRequirement>& MandatoryDocumentation() {
  static const std::vector<MandatoryRequirement> kRequirements = MakeRequirements();
  return kRequirements;
}

std::string_view MandatoryStateName(MandatoryState s) {
  switch (s) {
    case MandatoryState::kMet:
      return "met";
    case MandatoryState::kReviewOverdue:
      return "review_overdue";
    case MandatoryState::kGap:
      return "gap";
    case MandatoryState::kNotApplicable:
      return "not_applicable";
  }
  return "gap";
}

PublishedCounts CountPublished(const std::vector<Record>& documents, std::string_view today) {
  PublishedCounts out;
  for (const auto& d : Published(documents, today)) {
    if (d.record->fields.value("status", Json()) != "published") continue;
    auto count = [&](PublishedCount& c) { ++(d.overdue ? c.overdue : c.in_date); };
    count(out.all);
    if (d.type->is_string()) count(out.by_type[d.type->get<std::string>()]);
    for (const auto& [list, by] :
         {std::pair{d.clauses, &out.by_clause}, std::pair{d.controls, &out.by_control}}) {
      if (!list->is_array()) continue;
      for (const auto& item : *list) {
        if (item.is_string()) count((*by)[item.get<std::string>()]);
      }
    }
  }
  return out;
}

MandatoryAssessment AssessMandatoryDocumentation(const MandatoryInputs& in,
                                                 std::string_view today) {
  MandatoryAssessment out;
  const std::vector<PublishedDocument> published = Published(in.published_documents, today);
  for (const auto& q : MandatoryDocumentation()) {
    MandatoryStatus st{.requirement = &q};
    auto [source, gap] = FromSource(q, in);
    const bool source_met = !source.empty();
    st.met_by = std::move(source);
    const PublishedCount n = Counted(q, in.published);
    const int64_t in_date = n.in_date, overdue = n.overdue;
    if (q.source != MandatorySource::kAnyDocument) {
      for (const auto& d : published) {
        if (st.met_by.size() >= kDocumentsListed) break;
        if (Serves(q, d)) st.met_by.push_back(DocumentEvidence(*d.record, today));
      }
    }
    if (q.source == MandatorySource::kAnyDocument && in_date + overdue > 0) {
      MandatoryEvidence e = Count(Documents(), in_date + overdue, "published");
      e.title = fmt::format("{} published {}", in_date + overdue,
                            in_date + overdue == 1 ? "document" : "documents");
      st.met_by.push_back(std::move(e));
    }
    // Documents in date before those past their review.
    std::stable_partition(st.met_by.begin(), st.met_by.end(),
                          [](const MandatoryEvidence& e) { return !e.overdue; });
    if (q.annex_a && in.not_applicable.count(q.clause) != 0) {
      st.state = MandatoryState::kNotApplicable;
      ++out.not_applicable;
    } else if (source_met || in_date > 0) {
      st.state = MandatoryState::kMet;
      ++out.met;
    } else if (overdue > 0) {
      st.state = MandatoryState::kReviewOverdue;
      st.gap = overdue == 1 ? "The document meeting it is past its next review"
                            : "The documents meeting it are past their next review";
      ++out.overdue;
    } else {
      st.state = MandatoryState::kGap;
      st.gap = std::move(gap);
      ++out.gaps;
    }
    out.items.push_back(std::move(st));
  }
  return out;
}

}  // namespace rampart::domain
