#include "app/evidence_service.h"

#include "domain/support.h"

#include <fmt/format.h>

#include "app/access_control.h"
#include "base/crypto.h"
#include "base/sniff.h"
#include "domain/registers.h"

namespace rampart::app {

using domain::EvidenceFile;
using domain::Json;

namespace {

constexpr const char* kRecordType = "evidence_file";

enum class Direction { kAdded, kRemoved };

// The audit diff of an upload (every field from null) or a deletion (every field to null), in
// the trail's usual {"field": {"from", "to"}} form; the record the file belongs to included.
Json AuditDiff(const EvidenceFile& f, Direction d) {
  const Json values = {
      {"record_type", f.record_type}, {"record_id", f.record_id},           {"title", f.title},
      {"file_name", f.file_name},     {"content_type", f.content_type},     {"size", f.size},
      {"sha256", f.sha256},           {"effective_date", f.effective_date}, {"expires", f.expires}};
  Json diff = Json::object();
  for (const auto& [k, v] : values.items()) {
    diff[k] = d == Direction::kAdded ? Change(Json(), v) : Change(v, Json());
  }
  return diff;
}

}  // namespace

Result<domain::Record> EvidenceService::WritableRecord(const Principal& p,
                                                       const std::string& record_type,
                                                       int64_t record_id) {
  const domain::RegisterSpec* spec = domain::FindRegisterByType(record_type);
  if (spec == nullptr) return NotFound("no such record");
  RETURN_IF_ERROR(registers_.CheckCanWrite(p, *spec, nullptr, nullptr));
  ASSIGN_OR_RETURN(domain::Record rec, store_.Get(*spec, p.org_id, record_id));
  RETURN_IF_ERROR(registers_.CheckCanWrite(p, *spec, &rec.fields, nullptr));
  return rec;
}

bool EvidenceService::MayWrite(const Principal& p, const domain::RegisterSpec& spec,
                               const domain::Record& rec) {
  return registers_.CheckCanWrite(p, spec, &rec.fields, nullptr).ok();
}

Result<EvidenceFile> EvidenceService::Upload(const Principal& p, const EvidenceUpload& upload) {
  ASSIGN_OR_RETURN(domain::Record rec, WritableRecord(p, upload.record_type, upload.record_id));
  ASSIGN_OR_RETURN(domain::EvidenceInput input, domain::ValidateEvidence(upload.input));
  RETURN_IF_ERROR(
      domain::CheckEvidenceSize(static_cast<int64_t>(upload.content.size()), options_.max_bytes));
  ASSIGN_OR_RETURN(std::string sniffed, SniffMediaType(upload.content));
  ASSIGN_OR_RETURN(std::string media_type, domain::MatchEvidenceType(input.file_name, sniffed));

  EvidenceFile f;
  f.org_id = p.org_id;
  f.record_type = upload.record_type;
  f.record_id = rec.id;
  f.title = std::move(input.title);
  f.file_name = std::move(input.file_name);
  f.content_type = std::move(media_type);
  f.size = static_cast<int64_t>(upload.content.size());
  f.sha256 = Sha256Hex(upload.content);
  f.effective_date = std::move(input.effective_date);
  f.expires = std::move(input.expires);
  f.uploaded_by = p.user_id;
  f.uploaded_at = FormatUtc(clock_.Now());
  return store_.AddEvidence(f, upload.content,
                            SecurityEvent(clock_, &p, p.org_id, "upload", kRecordType, 0,
                                          AuditDiff(f, Direction::kAdded)));
}

Result<std::vector<EvidenceFile>> EvidenceService::List(const Principal& p,
                                                        const domain::RegisterSpec& spec,
                                                        int64_t record_id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  RETURN_IF_ERROR(store_.Get(spec, p.org_id, record_id).status());
  return store_.ListEvidence(p.org_id, spec.type, record_id);
}

Result<EvidenceFile> EvidenceService::Get(const Principal& p, int64_t id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  return store_.GetEvidence(p.org_id, id);
}

Result<std::vector<EvidenceFile>> EvidenceService::Expiring(const Principal& p, int days,
                                                            int limit) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  const std::string today = FormatDate(clock_.Now());
  return store_.ExpiringEvidence(p.org_id, today, domain::AddDays(today, days), limit);
}

Result<EvidenceContent> EvidenceService::Download(const Principal& p, int64_t id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(EvidenceFile f, store_.GetEvidence(p.org_id, id));
  ASSIGN_OR_RETURN(std::string bytes, store_.ReadEvidenceContent(p.org_id, id));
  return EvidenceContent{std::move(f), std::move(bytes)};
}

Status EvidenceService::Delete(const Principal& p, int64_t id) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(EvidenceFile f, store_.GetEvidence(p.org_id, id));
  auto rec = WritableRecord(p, f.record_type, f.record_id);
  if (rec.status().code() == Code::kNotFound) {
    // The record was deleted: its files are for those who may change any record of its register.
    const domain::RegisterSpec* spec = domain::FindRegisterByType(f.record_type);
    if (spec == nullptr) return Internal("evidence of an unknown record type: " + f.record_type);
    RETURN_IF_ERROR(Require(p, spec->write_permission));
  } else {
    RETURN_IF_ERROR(rec.status());
  }
  return store_.DeleteEvidence(p.org_id, id,
                               SecurityEvent(clock_, &p, p.org_id, "delete", kRecordType, id,
                                             AuditDiff(f, Direction::kRemoved)));
}

}  // namespace rampart::app
