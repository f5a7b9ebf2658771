// SqlStore: what spreadsheet import keeps (store.h, issue 16) — records' identifiers in other
// systems (external_keys, written by Write with the records), uploads kept between the steps of
// an import page, and saved column mappings. Every query takes the organisation.
#include <fmt/format.h>

#include "store/sql/sql_store.h"
#include "store/sql/sql_util.h"

namespace rampart::store {

namespace {

constexpr const char* kMappingColumns = "id, record_type, name, columns, updated_by, updated_at";

ImportMapping ReadMapping(const SqlRows& r) {
  ImportMapping m;
  m.id = r.Int(0);
  m.record_type = r.Text(1);
  m.name = r.Text(2);
  m.columns = Json::parse(r.Text(3), nullptr, false);
  if (m.columns.is_discarded()) m.columns = Json::object();
  m.updated_by = r.Int(4);
  m.updated_at = r.Text(5);
  return m;
}

}  // namespace

Status WriteExternalKey(SqlConnection& conn, int64_t org_id, const std::string& record_type,
                        int64_t record_id, const std::string& external_id, bool deleted) {
  if (deleted) {
    return Run(conn,
               "DELETE FROM external_keys WHERE org_id = ? AND record_type = ? AND record_id = ?",
               {org_id, record_type, record_id});
  }
  if (external_id.empty()) return Status::Ok();
  // The record's earlier key gives way; a key another record holds is refused by the primary
  // key (kAlreadyExists).
  RETURN_IF_ERROR(
      Run(conn, "DELETE FROM external_keys WHERE org_id = ? AND record_type = ? AND record_id = ?",
          {org_id, record_type, record_id}));
  return Run(conn,
             "INSERT INTO external_keys (org_id, record_type, external_id, record_id) VALUES "
             "(?, ?, ?, ?)",
             {org_id, record_type, external_id, record_id});
}

Result<std::map<std::string, int64_t>> SqlStore::ExternalIds(int64_t org_id,
                                                             const std::string& record_type) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT external_id, record_id FROM external_keys "
                                          "WHERE org_id = ? AND record_type = ?",
                                          {org_id, record_type}));
  std::map<std::string, int64_t> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    out.emplace(rows->Text(0), rows->Int(1));
  }
  return out;
}

Result<int64_t> SqlStore::PutImportUpload(const ImportUpload& upload, const std::string& content,
                                          const std::string& forget_before) {
  int64_t id = 0;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    RETURN_IF_ERROR(Run(conn, "DELETE FROM import_uploads WHERE created_at < ?", {forget_before}));
    bool found = false;
    ASSIGN_OR_RETURN(auto rows,
                     One(conn,
                         "INSERT INTO import_uploads (org_id, user_id, record_type, file_name, "
                         "size, sha256, content, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                         "RETURNING id",
                         {upload.org_id, upload.user_id, upload.record_type, upload.file_name,
                          upload.size, upload.sha256, SqlBlob{content}, upload.created_at},
                         found));
    if (!found) return Internal("keeping the upload returned no id");
    id = rows->Int(0);
    return Status::Ok();
  }));
  return id;
}

Result<std::pair<ImportUpload, std::string>> SqlStore::GetImportUpload(int64_t org_id,
                                                                       int64_t user_id,
                                                                       int64_t id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows,
                   conn->Query("SELECT id, org_id, user_id, record_type, file_name, size, sha256, "
                               "created_at, content FROM import_uploads WHERE org_id = ? AND "
                               "user_id = ? AND id = ?",
                               {org_id, user_id, id}));
  ASSIGN_OR_RETURN(bool row, rows->Next());
  if (!row) return NotFound("no such upload: upload the file again");
  ImportUpload u;
  u.id = rows->Int(0);
  u.org_id = rows->Int(1);
  u.user_id = rows->Int(2);
  u.record_type = rows->Text(3);
  u.file_name = rows->Text(4);
  u.size = rows->Int(5);
  u.sha256 = rows->Text(6);
  u.created_at = rows->Text(7);
  return std::make_pair(std::move(u), rows->Blob(8));
}

Status SqlStore::DeleteImportUpload(int64_t org_id, int64_t user_id, int64_t id) {
  return InWriteTx([&](SqlConnection& conn) {
    return Run(conn, "DELETE FROM import_uploads WHERE org_id = ? AND user_id = ? AND id = ?",
               {org_id, user_id, id});
  });
}

Result<std::vector<ImportMapping>> SqlStore::ImportMappings(int64_t org_id,
                                                            const std::string& record_type) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT {} FROM import_mappings WHERE "
                                                      "org_id = ? AND record_type = ? ORDER BY "
                                                      "name",
                                                      kMappingColumns),
                                          {org_id, record_type}));
  return ReadAll(*rows, ReadMapping);
}

Result<ImportMapping> SqlStore::PutImportMapping(const Actor& actor, ImportMapping mapping) {
  mapping.updated_by = actor.user_id;
  mapping.updated_at = actor.now;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    ASSIGN_OR_RETURN(auto existing,
                     One(conn,
                         "SELECT id, columns FROM import_mappings WHERE org_id = ? AND "
                         "record_type = ? AND name = ?",
                         {actor.org_id, mapping.record_type, mapping.name}, found));
    Json from;
    std::string action = "create";
    if (found) {
      mapping.id = existing->Int(0);
      from = Json::parse(existing->Text(1), nullptr, false);
      if (from.is_discarded()) from = Json();
      action = "update";
      existing.reset();
      RETURN_IF_ERROR(
          Run(conn,
              "UPDATE import_mappings SET columns = ?, updated_by = ?, updated_at = "
              "? WHERE org_id = ? AND id = ?",
              {mapping.columns.dump(), actor.user_id, actor.now, actor.org_id, mapping.id}));
    } else {
      existing.reset();
      ASSIGN_OR_RETURN(auto rows,
                       One(conn,
                           "INSERT INTO import_mappings (org_id, record_type, name, columns, "
                           "updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                           {actor.org_id, mapping.record_type, mapping.name, mapping.columns.dump(),
                            actor.user_id, actor.now},
                           found));
      if (!found) return Internal("saving the mapping returned no id");
      mapping.id = rows->Int(0);
    }
    Json diff = Json::object();
    if (!found) {
      diff["record_type"] = {{"from", nullptr}, {"to", mapping.record_type}};
      diff["name"] = {{"from", nullptr}, {"to", mapping.name}};
    }
    if (from != mapping.columns) diff["columns"] = {{"from", from}, {"to", mapping.columns}};
    return AppendAuditTx(conn, AuditDraft{.org_id = actor.org_id,
                                          .actor_id = actor.user_id,
                                          .actor = actor.username,
                                          .at = actor.now,
                                          .action = action,
                                          .record_type = "import_mapping",
                                          .record_id = mapping.id,
                                          .diff = std::move(diff),
                                          .address = actor.address});
  }));
  return mapping;
}

Status SqlStore::DeleteImportMapping(const Actor& actor, int64_t id) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    ASSIGN_OR_RETURN(auto rows,
                     One(conn,
                         fmt::format("SELECT {} FROM import_mappings WHERE org_id = ? AND id = ?",
                                     kMappingColumns),
                         {actor.org_id, id}, found));
    if (!found) return NotFound("no such import mapping");
    const ImportMapping m = ReadMapping(*rows);
    rows.reset();
    RETURN_IF_ERROR(
        Run(conn, "DELETE FROM import_mappings WHERE org_id = ? AND id = ?", {actor.org_id, id}));
    return AppendAuditTx(
        conn, AuditDraft{.org_id = actor.org_id,
                         .actor_id = actor.user_id,
                         .actor = actor.username,
                         .at = actor.now,
                         .action = "delete",
                         .record_type = "import_mapping",
                         .record_id = id,
                         .diff = {{"record_type", {{"from", m.record_type}, {"to", nullptr}}},
                                  {"name", {{"from", m.name}, {"to", nullptr}}},
                                  {"columns", {{"from", m.columns}, {"to", nullptr}}}},
                         .address = actor.address});
  });
}

}  // namespace rampart::store
