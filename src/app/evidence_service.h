// Evidence files attached to register records: upload, list, read, download and delete, for the
// caller's organisation only.
//
// Uploading to a record needs what changing that record needs (RegisterService::CheckCanWrite:
// the register's write permission, or records:edit-own on a record naming the caller); reading
// needs records:read; deleting a file needs what changing its record needs. The bytes decide the
// type: an extension that is not accepted, or bytes that are not what the extension says, are
// refused (domain/evidence.h). Every upload and deletion appends an audit event
// (record type "evidence_file", the diff naming the record, file, size and SHA-256).
//
// Errors: kPermissionDenied, kNotFound (no such record or file in the caller's organisation),
// kInvalidArgument naming `title`, `file`, `effective_date` or `expires`, kTooLarge naming `file`
// (over the limit). Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "app/principal.h"
#include "app/register_service.h"
#include "base/clock.h"
#include "domain/evidence.h"
#include "store/store.h"

namespace rampart::app {

struct EvidenceOptions {
  int64_t max_bytes = domain::kDefaultMaxEvidenceBytes;  // largest file accepted
};

// An upload: what the uploader says about the file, and its bytes.
struct EvidenceUpload {
  std::string record_type;  // the register's record type ("context_issue")
  int64_t record_id = 0;
  domain::EvidenceInput input;
  std::string content;
};

struct EvidenceContent {
  domain::EvidenceFile file;
  std::string bytes;
};

class EvidenceService {
 public:
  EvidenceService(store::Store& store, const Clock& clock, RegisterService& registers,
                  EvidenceOptions options = {})
      : store_(store), clock_(clock), registers_(registers), options_(options) {}

  int64_t max_bytes() const { return options_.max_bytes; }

  Result<domain::EvidenceFile> Upload(const Principal& p, const EvidenceUpload& upload);
  // The record's files, oldest first; kNotFound when the record does not exist.
  Result<std::vector<domain::EvidenceFile>> List(const Principal& p,
                                                 const domain::RegisterSpec& spec,
                                                 int64_t record_id);
  Result<domain::EvidenceFile> Get(const Principal& p, int64_t id);
  // The organisation's files expiring from today to `days` ahead (inclusive), soonest first, at
  // most `limit` (the overview).
  Result<std::vector<domain::EvidenceFile>> Expiring(const Principal& p, int days, int limit);
  Result<EvidenceContent> Download(const Principal& p, int64_t id);
  Status Delete(const Principal& p, int64_t id);
  // The caller may attach files to the record and delete its files (for offering the controls).
  bool MayWrite(const Principal& p, const domain::RegisterSpec& spec, const domain::Record& rec);

 private:
  // The record a file belongs to, with the write check for it.
  Result<domain::Record> WritableRecord(const Principal& p, const std::string& record_type,
                                        int64_t record_id);

  store::Store& store_;
  const Clock& clock_;
  RegisterService& registers_;
  EvidenceOptions options_;
};

}  // namespace rampart::app
