// Clause 7.5, documented information: the descriptions and rules of its registers.
//   documents                  a controlled document: its number, type, owner, distribution
//   document versions          the text of one version and where it is in its life
//   document acknowledgements  a person asked to read a published version, and their answer
//
// A version moves draft -> in review -> approved -> published -> retired, and only by the use
// cases of app/document_service (a draft goes back from review to draft). The version published
// stays what readers see until another is published, which retires it. Approving a policy takes
// top management (NeedsTopManagement); the approval records the SHA-256 of what was approved.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "domain/register.h"

namespace rampart::domain {

const RegisterSpec& Documents();
const RegisterSpec& DocumentVersions();
const RegisterSpec& DocumentAcknowledgements();

// The requirements a record is about, as a document names the clauses and Annex A controls it
// serves: `clauses` (a set of the clauses 4 ... 10.2) and `annex_controls` (a set of the 93
// Annex A controls), each a multiple choice with `help`. An internal audit's scope names them
// alike, which is how an audit finds the documents in its scope.
FieldSpec ClausesField(std::string help);
FieldSpec AnnexControlsField(std::string help);

// A version's states.
inline constexpr std::string_view kDocDraft = "draft";
inline constexpr std::string_view kDocInReview = "in_review";
inline constexpr std::string_view kDocApproved = "approved";
inline constexpr std::string_view kDocPublished = "published";
inline constexpr std::string_view kDocRetired = "retired";

// The series a document type is numbered in ("POL" for both kinds of policy, "PRO" for
// procedures, ...): documents are numbered per organisation and series, shown as "POL-001".
std::string DocumentSeries(std::string_view type);
// "POL-001" for series "POL" and number 1.
std::string DocumentReference(const Json& document_fields);
// True for the document types whose versions top management approves (the information security
// policy and topic-specific policies: clauses 5.1 and 5.2).
bool NeedsTopManagement(std::string_view type);

// What an approval's hash covers, as one canonical text: the document's controlled fields and
// the version's own (number, body, summary of changes). Equal texts mean the same approved content.
std::string ApprovedContent(const Json& document_fields, const Json& version_fields);

// The lines of `to` compared with those of `from`: a longest common subsequence of equal lines
// kept, the rest removed or added (in the order a reader expects: removals before additions).
struct LineChange {
  enum class Kind { kSame, kAdded, kRemoved };
  Kind kind = Kind::kSame;
  std::string text;
};
std::vector<LineChange> DiffLines(std::string_view from, std::string_view to);

}  // namespace rampart::domain
