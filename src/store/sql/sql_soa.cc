// The Statement of Applicability in SQL: entries (one row per decided control), approved
// versions (immutable rows holding a snapshot) and the links the statement reads.
#include <fmt/format.h>

#include <algorithm>

#include "store/sql/sql_store.h"
#include "store/sql/sql_util.h"

namespace rampart::store {

using domain::SoaEntry;
using domain::SoaVersion;

namespace {

constexpr const char* kEntryColumns =
    "id, control_id, version, applicable, reasons, justification, status_override, "
    "override_reason, updated_at, updated_by";

std::string TextOrEmpty(const SqlRows& r, int col) { return r.IsNull(col) ? "" : r.Text(col); }
SqlValue EmptyAsNull(const std::string& s) {
  return s.empty() ? SqlValue(std::monostate{}) : SqlValue(s);
}

std::vector<std::string> StringList(const std::string& json) {
  std::vector<std::string> out;
  const Json v = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!v.is_array()) return out;
  for (const auto& s : v) {
    if (s.is_string()) out.push_back(s.get<std::string>());
  }
  return out;
}

SoaEntry ReadEntry(const SqlRows& r) {
  SoaEntry e;
  e.id = r.Int(0);
  e.control_id = r.Text(1);
  e.version = r.Int(2);
  e.applicable = r.Bool(3);
  e.reasons = StringList(r.Text(4));
  e.justification = TextOrEmpty(r, 5);
  e.status_override = TextOrEmpty(r, 6);
  e.override_reason = TextOrEmpty(r, 7);
  e.updated_at = r.Text(8);
  e.updated_by = r.Int(9);
  return e;
}

constexpr const char* kVersionColumns = "id, number, approved_by, approver, approved_at, note";

SoaVersion ReadVersion(const SqlRows& r) {
  SoaVersion v;
  v.id = r.Int(0);
  v.number = r.Int(1);
  v.approved_by = r.Int(2);
  v.approver = r.Text(3);
  v.approved_at = r.Text(4);
  v.note = TextOrEmpty(r, 5);
  return v;
}

Result<SoaEntry> GetEntryTx(SqlConnection& conn, int64_t org_id, const std::string& control_id) {
  bool found = false;
  ASSIGN_OR_RETURN(auto rows, One(conn,
                                  fmt::format("SELECT {} FROM soa_entries WHERE org_id = ? AND "
                                              "control_id = ?",
                                              kEntryColumns),
                                  {org_id, control_id}, found));
  if (!found) return NotFound(fmt::format("control {} has no entry yet", control_id));
  return ReadEntry(*rows);
}

}  // namespace

Result<std::vector<SoaEntry>> SqlStore::SoaEntries(int64_t org_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT {} FROM soa_entries WHERE org_id = "
                                                      "? ORDER BY control_id",
                                                      kEntryColumns),
                                          {org_id}));
  return ReadAll(*rows, ReadEntry);
}

Result<SoaEntry> SqlStore::GetSoaEntry(int64_t org_id, const std::string& control_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  return GetEntryTx(*conn, org_id, control_id);
}

Result<std::vector<SoaEntry>> SqlStore::PutSoaEntries(const Actor& actor,
                                                      const std::vector<SoaPut>& puts) {
  std::vector<SoaEntry> written;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    written.clear();
    for (const auto& [entry, expected_version, diff] : puts) {
      auto current = GetEntryTx(conn, actor.org_id, entry.control_id);
      if (!current.ok() && current.status().code() != Code::kNotFound) return current.status();
      const int64_t stored = current.ok() ? current->version : 0;
      if (stored != expected_version) {
        return Conflict(
            fmt::format("the entry of control {} is at version {}, not {}: it was changed by "
                        "someone else; reload and try again",
                        entry.control_id, stored, expected_version));
      }
      const std::string reasons = Json(entry.reasons).dump();
      const Params values = {*entry.applicable,
                             reasons,
                             EmptyAsNull(entry.justification),
                             EmptyAsNull(entry.status_override),
                             EmptyAsNull(entry.override_reason),
                             actor.now,
                             actor.user_id};
      if (current.ok()) {
        Params params = values;
        params.insert(params.end(), {actor.org_id, entry.control_id, expected_version});
        RETURN_IF_ERROR(Run(conn,
                            "UPDATE soa_entries SET version = version + 1, applicable = ?, "
                            "reasons = ?, justification = ?, status_override = ?, "
                            "override_reason = ?, updated_at = ?, updated_by = ? WHERE org_id = "
                            "? AND control_id = ? AND version = ?",
                            params));
      } else {
        Params params = {actor.org_id, entry.control_id};
        params.insert(params.end(), values.begin(), values.end());
        RETURN_IF_ERROR(Run(conn,
                            "INSERT INTO soa_entries (org_id, control_id, version, applicable, "
                            "reasons, justification, status_override, override_reason, "
                            "updated_at, updated_by) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)",
                            params));
      }
      ASSIGN_OR_RETURN(auto entry_now, GetEntryTx(conn, actor.org_id, entry.control_id));
      RETURN_IF_ERROR(AppendAuditTx(conn, AuditDraft{.org_id = actor.org_id,
                                                     .actor_id = actor.user_id,
                                                     .actor = actor.username,
                                                     .at = actor.now,
                                                     .action = current.ok() ? "update" : "create",
                                                     .record_type = "soa_entry",
                                                     .record_id = entry_now.id,
                                                     .diff = diff,
                                                     .address = actor.address}));
      written.push_back(std::move(entry_now));
    }
    return Status::Ok();
  }));
  return written;
}

Result<std::vector<domain::SoaAppliedControl>> SqlStore::AnnexLinkedControls(int64_t org_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT id, name, status, annex_controls FROM "
                                          "applied_controls WHERE org_id = ? AND annex_controls "
                                          "IS NOT NULL ORDER BY id",
                                          {org_id}));
  return ReadAll(*rows, [](const SqlRows& r) {
    return domain::SoaAppliedControl{r.Int(0), r.Text(1), r.Text(2), StringList(r.Text(3))};
  });
}

Result<std::vector<std::pair<int64_t, int64_t>>> SqlStore::RecordLinks(
    int64_t org_id, const std::string& record_type, const std::string& field,
    const std::vector<int64_t>& targets) {
  std::string sql =
      "SELECT record_id, target_id FROM record_links WHERE org_id = ? AND record_type = ? AND "
      "field = ?";
  Params params = {org_id, record_type, field};
  if (!targets.empty()) sql += " AND target_id IN (" + BindList(targets, params) + ")";
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query(sql, params));
  return ReadAll(*rows, [](const SqlRows& r) { return std::make_pair(r.Int(0), r.Int(1)); });
}

Result<std::vector<int64_t>> SqlStore::FirstLinking(int64_t org_id, const std::string& record_type,
                                                    const std::string& field,
                                                    const std::vector<int64_t>& targets, int limit,
                                                    bool many) {
  if (targets.empty()) return InvalidArgument("name at least one target");
  Params params = {org_id, record_type, field};
  const std::string in = BindList(targets, params);
  params.emplace_back(int64_t{limit});
  ASSIGN_OR_RETURN(auto conn, Acquire());
  // "+record_id" cannot come from an index in id order, so SQLite reads the targets' links
  // instead of walking the records.
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT DISTINCT {}record_id AS linked FROM "
                                                      "record_links WHERE org_id = ? AND "
                                                      "record_type = ? AND field = ? AND "
                                                      "target_id IN ({}) ORDER BY linked LIMIT ?",
                                                      many ? "" : "+", in),
                                          params));
  return ReadAll(*rows, [](const SqlRows& r) { return r.Int(0); });
}

Result<int64_t> SqlStore::LastChange(int64_t org_id, const std::vector<std::string>& record_types) {
  if (record_types.empty()) return InvalidArgument("name at least one record type");
  // One indexed MAX per type (audit_events_type), the greatest of them.
  std::string sql = "SELECT ";
  Params params;
  for (size_t i = 0; i < record_types.size(); ++i) {
    sql += fmt::format(
        "{}COALESCE((SELECT MAX(seq) FROM audit_events WHERE org_id = ? AND record_type = ?), 0)",
        i == 0 ? "" : ", ");
    params.emplace_back(org_id);
    params.emplace_back(record_types[i]);
  }
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows, One(*conn, sql, params, found));
  if (!found) return Internal("the query returned no row");
  int64_t last = 0;
  for (size_t i = 0; i < record_types.size(); ++i) {
    last = std::max(last, rows->Int(static_cast<int>(i)));
  }
  return last;
}

Result<SoaVersion> SqlStore::AddSoaVersion(const Actor& actor, SoaVersion version,
                                           int64_t entries_version_sum) {
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    ASSIGN_OR_RETURN(auto sum, One(conn,
                                   "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM "
                                   "soa_entries WHERE org_id = ?",
                                   {actor.org_id}, found));
    if (found && sum->Int(0) != entries_version_sum) {
      return Conflict(
          "the Statement of Applicability changed while it was being approved; review it again "
          "and approve");
    }
    sum.reset();
    ASSIGN_OR_RETURN(
        auto rows,
        One(conn,
            "INSERT INTO soa_versions (org_id, number, approved_by, approver, approved_at, note, "
            "snapshot) VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM soa_versions WHERE "
            "org_id = ?), ?, ?, ?, ?, ?) RETURNING id, number",
            {actor.org_id, actor.org_id, version.approved_by, version.approver, version.approved_at,
             EmptyAsNull(version.note),
             version.snapshot.dump(-1, ' ', false, Json::error_handler_t::replace)},
            found));
    if (!found) return Internal("the insert returned no id");
    version.id = rows->Int(0);
    version.number = rows->Int(1);
    rows.reset();
    Json diff = {{"number", {{"from", nullptr}, {"to", version.number}}}};
    if (!version.note.empty()) diff["note"] = {{"from", nullptr}, {"to", version.note}};
    return AppendAuditTx(conn, AuditDraft{.org_id = actor.org_id,
                                          .actor_id = actor.user_id,
                                          .actor = actor.username,
                                          .at = actor.now,
                                          .action = "approve",
                                          .record_type = "soa_version",
                                          .record_id = version.id,
                                          .diff = diff,
                                          .address = actor.address});
  }));
  return version;
}

Result<std::vector<SoaVersion>> SqlStore::ListSoaVersions(int64_t org_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT {} FROM soa_versions WHERE org_id "
                                                      "= ? ORDER BY number DESC",
                                                      kVersionColumns),
                                          {org_id}));
  return ReadAll(*rows, ReadVersion);
}

Result<SoaVersion> SqlStore::GetSoaVersion(int64_t org_id, int64_t number) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows, One(*conn,
                                  fmt::format("SELECT {}, snapshot FROM soa_versions WHERE org_id "
                                              "= ? AND number = ?",
                                              kVersionColumns),
                                  {org_id, number}, found));
  if (!found) {
    return NotFound(fmt::format("the Statement of Applicability has no version {}", number));
  }
  SoaVersion v = ReadVersion(*rows);
  v.snapshot = Json::parse(rows->Text(6), nullptr, /*allow_exceptions=*/false);
  return v;
}

}  // namespace rampart::store
