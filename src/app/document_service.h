// Documented information (clause 7.5): the life of a document's versions, what readers see,
// acknowledgements, and a person's own work.
//
// A document (domain::Documents, an ordinary register) has versions (domain::DocumentVersions),
// written only here: a new draft (one at a time per document: the document's draft_version),
// edited, submitted for review, returned, approved (policies by top management: an executive, or
// a holder of an ISMS role marked top management; other documents by whoever may approve
// documents or runs the ISMS; never by the person who submitted it), and published. Publishing
// retires the version published before, in the same write, and asks everyone in the document's
// distribution (roles, holders of ISMS roles, people) to acknowledge it: one acknowledgement
// record per person. Until then the version published earlier stays what readers see.
//
// Errors: as RegisterService, and kFailedPrecondition when a version's state does not allow the
// step (naming the state), kPermissionDenied naming what the step needs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/register_service.h"
#include "domain/documents.h"

namespace rampart::app {

// A document as a reader sees it: the document and its published version.
struct PublishedDocument {
  domain::Record document;
  domain::Record version;
  std::optional<domain::Record> acknowledgement;  // the reader's own, for this version
};

// Who has acknowledged the published version of a document.
struct AcknowledgementSummary {
  int64_t version_id = 0;  // 0: nothing published
  int64_t version_number = 0;
  int64_t asked = 0;
  int64_t acknowledged = 0;
  std::vector<domain::Record> waiting;  // the first kWaitingShown still to acknowledge
};

struct VersionChanges {
  domain::Record from;
  domain::Record to;
  std::vector<domain::FieldComparison> fields;  // every field but the text
  std::vector<domain::LineChange> text;         // the text, line by line
};

// One person's work: what awaits them across the ISMS.
struct MyWork {
  std::vector<domain::Record> acknowledgements;  // documents to acknowledge
  // Document versions in review that this person may approve.
  std::vector<domain::Record> approvals;
  struct DueReview {
    const domain::RegisterSpec* spec = nullptr;
    domain::Record record;
  };
  std::vector<DueReview> reviews;  // records they own whose review is due (today or earlier)
};

// The active members of organisation `org_id` that an audience names: everyone whose membership
// has one of `roles` (names), the holders of `isms_roles` (ISMS role ids) and `people` (rows with
// a "person"), each once, ascending; disabled members are left out. A document's distribution
// and an awareness campaign's audience. Two statements at most.
Result<std::vector<int64_t>> ResolveAudience(store::Store& store, int64_t org_id,
                                             const domain::Json& roles,
                                             const domain::Json& isms_roles,
                                             const domain::Json& people);

class DocumentService {
 public:
  DocumentService(store::Store& store, const Clock& clock, RegisterService& registers)
      : store_(store), clock_(clock), registers_(registers) {}

  static constexpr int kWaitingShown = 200;
  static constexpr int kMyWorkLimit = 100;

  // Numbers a new document within the series of its type (the write hook of the register).
  Status OnDocumentWrite(const Principal& p, domain::Json& fields, const domain::Json* before,
                         std::vector<domain::FieldError>& errors);
  // The policies an objective is consistent with are policies (information security or
  // topic-specific), not other documents: a field error on `policies` otherwise. One statement
  // when the list changed, none otherwise (the write hook of objectives).
  Status CheckPolicies(const Principal& p, domain::Json& fields, const domain::Json* before,
                       std::vector<domain::FieldError>& errors);

  // A new draft of document `document_id`: the text of version `from_version_id` (0: of the
  // published version, else of the latest, else empty).
  Result<domain::Record> NewDraft(const Principal& p, int64_t document_id, int64_t from_version_id);
  // Changes a draft's text and summary of changes (the only fields a draft's editor writes).
  Result<domain::Record> EditDraft(const Principal& p, int64_t version_id,
                                   std::optional<int64_t> expected_version,
                                   const domain::Json& input,
                                   std::vector<domain::FieldError>* errors = nullptr);
  // The steps of a version's life. Each needs the version the caller saw (If-Match).
  enum class Step { kSubmit, kReturn, kApprove, kPublish };
  Result<domain::Record> Advance(const Principal& p, int64_t version_id,
                                 std::optional<int64_t> expected_version, Step step);
  // Retires a document: its published version is retired and nobody is asked to read it.
  Result<domain::Record> Retire(const Principal& p, int64_t document_id,
                                std::optional<int64_t> expected_version);
  // Whether `p` may take `step` on `version` (for offering buttons); reads at most one list.
  Status MayAdvance(const Principal& p, const domain::Record& document,
                    const domain::Record& version, Step step);
  // "submit", "return", "approve", "publish": the step's route and audit action.
  static const char* StepName(Step step);

  // The caller's own pending acknowledgement `ack_id` becomes acknowledged.
  Result<domain::Record> Acknowledge(const Principal& p, int64_t ack_id);

  // The published documents distributed to the caller (those they were asked to acknowledge),
  // with their published versions: what a staff member may read.
  Result<std::vector<PublishedDocument>> MyDocuments(const Principal& p);
  // Document `document_id` as the caller may read it: its published version (any reader of
  // records; others only when it is distributed to them).
  Result<PublishedDocument> Published(const Principal& p, int64_t document_id);
  Result<AcknowledgementSummary> Acknowledgements(const Principal& p, int64_t document_id);
  // The versions of a document, newest first.
  Result<std::vector<domain::Record>> Versions(const Principal& p, int64_t document_id);
  Result<VersionChanges> Compare(const Principal& p, int64_t from_id, int64_t to_id);

  Result<MyWork> Work(const Principal& p);

 private:
  Result<domain::Record> VersionForStep(const Principal& p, int64_t version_id,
                                        std::optional<int64_t> expected_version);
  Status CheckMayApprove(const Principal& p, const domain::Record& document,
                         const domain::Record& version);
  Result<bool> IsTopManagement(const Principal& p);
  // The members asked to acknowledge a document's published version: its distribution resolved.
  Result<std::vector<int64_t>> Distribution(const Principal& p, const domain::Json& document);

  store::Store& store_;
  const Clock& clock_;
  RegisterService& registers_;
};

}  // namespace rampart::app
