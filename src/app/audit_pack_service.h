// The audit pack: one ZIP for an external auditor, built from the records as they were at the
// end of a day (`as_of`, today by default; see app/record_source.h for how the past is read).
//
// What it holds, each file in a folder per clause and every one listed in index.html with its
// size and SHA-256 (and in SHA256SUMS, for `sha256sum -c`):
//   - the ISMS scope in force (PDF); the ISMS policy and the topic-specific policies, each its
//     version published then (PDF);
//   - the Statement of Applicability (the latest version approved by then; today, the current
//     statement), the risk register, the risk treatment plan, the objectives, the competence and
//     awareness records and the nonconformity log, each as PDF and XLSX (PDF only up to
//     ReportService::kMaxPrintedRows rows);
//   - the internal audit reports (audits reported or closed then), the minutes of the last
//     management review held by then, the readiness summary (PDF);
//   - the audit trail of the period (`from` to `as_of`; by default the 365 days up to as_of): a
//     CSV to read, `chain.tsv` with each event's canonical encoding and hash, `verify.sh`, which
//     checks them with sh and sha256sum alone, and VERIFY.txt saying how and what it shows;
//     with the installation's audit signing key set (SetSigningKey), also `checkpoints.tsv`, the
//     signed checkpoints that fall on events of the excerpt, and the key's public half
//     (`signing-key.pub.pem`), which verify.sh checks with openssl when it is there;
//   - with `evidence`, the evidence files attached to the records of those registers, uploaded by
//     then (at most kMaxEvidenceBytes in all).
// A report with nothing to show then (no scope approved yet) is named in the index with the
// reason instead of a file.
//
// Permissions: records:read and audit-trail:read (an external auditor's membership has both).
// The download is an audit event (action "download", record type "audit_pack") naming as_of,
// the period, the number of files and the ZIP's SHA-256; no event, no pack.
//
// Errors: kPermissionDenied; kInvalidArgument naming "as_of" or "from"; kTooLarge naming "from"
// (more audit events than RegisterService::kAuditCsvLimit) or "evidence" (files over the limit);
// store failures as they come. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "app/principal.h"
#include "app/register_service.h"
#include "app/report_service.h"
#include "base/clock.h"
#include "store/store.h"

namespace rampart::app {

struct AuditPackOptions {
  std::string as_of;           // YYYY-MM-DD, today or before; empty: today
  std::string from;            // the audit trail's first day; empty: 364 days before as_of
  bool evidence = false;       // include the evidence files
  std::string classification;  // of the reports (Confidential by default)
};

struct AuditPack {
  std::string bytes;     // the ZIP
  std::string filename;  // "audit-pack-2026-12-06.zip"
  std::string sha256;    // of `bytes`
  int64_t files = 0;     // files in the ZIP
};

class AuditPackService {
 public:
  AuditPackService(store::Store& store, const Clock& clock, ReportService& reports)
      : store_(store), clock_(clock), reports_(reports) {}

  static constexpr int64_t kMaxEvidenceBytes = int64_t{256} << 20;

  Result<AuditPack> Build(const Principal& p, const AuditPackOptions& options);

  // The installation's audit signing key: its public key (PEM) and its checkpoints file, read at
  // every Build. Set before the service is shared between threads (`serve` sets it at start);
  // without it packs carry no checkpoints and VERIFY.txt says so.
  void SetSigningKey(std::string public_key_pem, std::string checkpoints_path) {
    public_key_pem_ = std::move(public_key_pem);
    checkpoints_path_ = std::move(checkpoints_path);
  }

 private:
  store::Store& store_;
  const Clock& clock_;
  ReportService& reports_;
  std::string public_key_pem_;
  std::string checkpoints_path_;
};

}  // namespace rampart::app
