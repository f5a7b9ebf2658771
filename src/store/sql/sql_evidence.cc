// SqlStore: evidence files (store.h). Content is a row of evidence_blobs per organisation and
// SHA-256; each attachment a row of evidence_files naming it. Every query takes the organisation.
#include <fmt/format.h>

#include "store/sql/sql_store.h"
#include "store/sql/sql_util.h"

namespace rampart::store {

namespace {

constexpr const char* kEvidenceColumns =
    "id, org_id, record_type, record_id, title, file_name, content_type, size, sha256, "
    "effective_date, expires, uploaded_by, uploaded_at";

domain::EvidenceFile ReadEvidenceRow(const SqlRows& r) {
  domain::EvidenceFile f;
  f.id = r.Int(0);
  f.org_id = r.Int(1);
  f.record_type = r.Text(2);
  f.record_id = r.Int(3);
  f.title = r.Text(4);
  f.file_name = r.Text(5);
  f.content_type = r.Text(6);
  f.size = r.Int(7);
  f.sha256 = r.Text(8);
  f.effective_date = r.IsNull(9) ? "" : r.Text(9);
  f.expires = r.IsNull(10) ? "" : r.Text(10);
  f.uploaded_by = r.Int(11);
  f.uploaded_at = r.Text(12);
  return f;
}

SqlValue DateOrNull(const std::string& date) {
  if (date.empty()) return std::monostate{};
  return date;
}

constexpr const char* kNoSuchFile = "no such evidence file";

}  // namespace

Result<domain::EvidenceFile> SqlStore::AddEvidence(const domain::EvidenceFile& file,
                                                   const std::string& content, AuditDraft audit) {
  domain::EvidenceFile out = file;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    RETURN_IF_ERROR(Run(conn,
                        "INSERT INTO evidence_blobs (org_id, sha256, size, content) VALUES (?, ?, "
                        "?, ?) ON CONFLICT (org_id, sha256) DO NOTHING",
                        {file.org_id, file.sha256, file.size, SqlBlob{content}}));
    bool found = false;
    ASSIGN_OR_RETURN(
        auto rows,
        One(conn,
            "INSERT INTO evidence_files (org_id, record_type, record_id, title, file_name, "
            "content_type, size, sha256, effective_date, expires, uploaded_by, uploaded_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {file.org_id, file.record_type, file.record_id, file.title, file.file_name,
             file.content_type, file.size, file.sha256, DateOrNull(file.effective_date),
             DateOrNull(file.expires), file.uploaded_by, file.uploaded_at},
            found));
    if (!found) return Internal("inserting the evidence file returned no id");
    out.id = rows->Int(0);
    audit.record_id = out.id;
    return AppendAuditTx(conn, audit);
  }));
  return out;
}

Result<std::vector<domain::EvidenceFile>> SqlStore::ListEvidence(int64_t org_id,
                                                                 const std::string& record_type,
                                                                 int64_t record_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT {} FROM evidence_files WHERE org_id "
                                                      "= ? AND record_type = ? AND record_id = ? "
                                                      "ORDER BY id",
                                                      kEvidenceColumns),
                                          {org_id, record_type, record_id}));
  std::vector<domain::EvidenceFile> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    out.push_back(ReadEvidenceRow(*rows));
  }
  return out;
}

Result<std::vector<domain::EvidenceFile>> SqlStore::ExpiringEvidence(int64_t org_id,
                                                                     const std::string& from,
                                                                     const std::string& to,
                                                                     int limit) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows,
                   conn->Query(fmt::format("SELECT {} FROM evidence_files WHERE org_id = ? AND "
                                           "expires >= ? AND expires <= ? ORDER BY expires, id "
                                           "LIMIT ?",
                                           kEvidenceColumns),
                               {org_id, from, to, int64_t{limit}}));
  std::vector<domain::EvidenceFile> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    out.push_back(ReadEvidenceRow(*rows));
  }
  return out;
}

Result<std::vector<GroupCount>> SqlStore::EvidenceExpiryBy(int64_t org_id,
                                                           const std::string& record_type,
                                                           const std::string& uploaded_before) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  // COUNT(*) less COUNT(expires): the files without an expiry, which never expire.
  ASSIGN_OR_RETURN(auto rows,
                   conn->Query("SELECT record_id, COUNT(*), MAX(expires), COUNT(expires) FROM "
                               "evidence_files WHERE org_id = ? AND record_type = ? AND "
                               "(? = '' OR uploaded_at < ?) GROUP BY record_id",
                               {org_id, record_type, uploaded_before, uploaded_before}));
  std::vector<GroupCount> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    GroupCount g;
    g.count = rows->Int(1);
    g.values = {rows->Int(0), g.count - rows->Int(3)};
    if (!rows->IsNull(2)) g.latest = rows->Text(2);
    out.push_back(std::move(g));
  }
  return out;
}

Result<domain::EvidenceFile> SqlStore::GetEvidence(int64_t org_id, int64_t id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows,
                   One(*conn,
                       fmt::format("SELECT {} FROM evidence_files WHERE org_id = ? AND id = ?",
                                   kEvidenceColumns),
                       {org_id, id}, found));
  if (!found) return NotFound(kNoSuchFile);
  return ReadEvidenceRow(*rows);
}

Result<std::string> SqlStore::ReadEvidenceContent(int64_t org_id, int64_t id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows, One(*conn,
                                  "SELECT b.content FROM evidence_files f JOIN evidence_blobs b "
                                  "ON b.org_id = f.org_id AND b.sha256 = f.sha256 WHERE f.org_id "
                                  "= ? AND f.id = ?",
                                  {org_id, id}, found));
  if (!found) return NotFound(kNoSuchFile);
  return rows->Blob(0);
}

Status SqlStore::DeleteEvidence(int64_t org_id, int64_t id, const AuditDraft& audit) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    std::string sha256;
    {
      ASSIGN_OR_RETURN(
          auto rows,
          One(conn, "DELETE FROM evidence_files WHERE org_id = ? AND id = ? RETURNING sha256",
              {org_id, id}, found));
      if (!found) return NotFound(kNoSuchFile);
      sha256 = rows->Text(0);
    }
    RETURN_IF_ERROR(Run(conn,
                        "DELETE FROM evidence_blobs WHERE org_id = ? AND sha256 = ? AND NOT "
                        "EXISTS (SELECT 1 FROM evidence_files WHERE org_id = ? AND sha256 = ?)",
                        {org_id, sha256, org_id, sha256}));
    return AppendAuditTx(conn, audit);
  });
}

}  // namespace rampart::store
