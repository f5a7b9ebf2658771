#include "app/installation_service.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "base/clock.h"
#include "base/file_digest.h"
#include "domain/record.h"
#include "store/backup.h"
#include "store/migrations.h"

namespace rampart::app {

Result<std::unique_ptr<store::Store>> InstallationService::Open(const std::string& url,
                                                                bool migrate,
                                                                store::DatabaseUse use) {
  RETURN_IF_ERROR(store::CheckBeforeOpen(url, use));
  ASSIGN_OR_RETURN(auto store, store::OpenStore(url, options_));
  if (migrate) RETURN_IF_ERROR(store->Migrate().status());
  return store;
}

bool InstallationService::IsPostgres(const std::string& url) { return store::IsPostgresUrl(url); }

Status InstallationService::MarkCleanStop(const std::string& url) {
  return store::MarkCleanStop(url);
}

Result<bool> InstallationService::CheckBeforeServing(const std::string& url, bool every_page) {
  RETURN_IF_ERROR(store::CheckBeforeOpen(url, store::DatabaseUse::kWrite));
  if (IsPostgres(url)) return false;
  // The mark is taken (removed) whatever is decided: it vouches for one start only.
  const bool unchanged = store::TakeCleanStop(url);
  if (unchanged && !every_page) return false;
  RETURN_IF_ERROR(store::CheckIntegrity(url));
  return true;
}

std::vector<std::pair<std::string, std::string>> InstallationService::Readiness(
    store::Store& store, const std::string& url) {
  std::vector<std::pair<std::string, std::string>> checks;
  auto outcome = [](const Status& st) { return st.ok() ? std::string("ok") : st.message(); };
  auto version = store.SchemaVersion();
  checks.emplace_back("database", outcome(version.status()));
  if (version.ok()) {
    // Both dialects' migrations carry the same numbers (make schema writes them together).
    const int newest = store::SqliteMigrations().back().number;
    checks.emplace_back("schema",
                        *version == newest
                            ? std::string("ok")
                            : fmt::format("at version {}, this Rampart's is {}", *version, newest));
  }
  checks.emplace_back("writable", outcome(store::CheckWritable(url)));
  auto free = store::FreeBytes(url);
  if (!free.ok()) {
    checks.emplace_back("disk", free.status().message());
  } else if (*free >= 0) {
    checks.emplace_back("disk",
                        *free >= kLowDiskBytes
                            ? std::string("ok")
                            : fmt::format("only {} MiB free beside the database", *free >> 20));
  }
  return checks;
}

Result<MigrationOutcome> InstallationService::Migrate(const std::string& url) {
  RETURN_IF_ERROR(store::CheckBeforeOpen(url, store::DatabaseUse::kWrite));
  ASSIGN_OR_RETURN(auto store, store::OpenStore(url, options_));
  MigrationOutcome out;
  ASSIGN_OR_RETURN(out.applied, store->Migrate());
  ASSIGN_OR_RETURN(out.version, store->SchemaVersion());
  return out;
}

Result<CopyOutcome> InstallationService::Copy(const std::string& from, const std::string& to) {
  if (from == to) return InvalidArgument("--from and --to name the same database", "to");
  RETURN_IF_ERROR(store::CheckBeforeOpen(from, store::DatabaseUse::kWrite));
  RETURN_IF_ERROR(store::CheckBeforeOpen(to, store::DatabaseUse::kCreate));
  ASSIGN_OR_RETURN(auto source, store::OpenStore(from, options_));
  ASSIGN_OR_RETURN(auto destination, store::OpenStore(to, options_));
  ASSIGN_OR_RETURN(int source_migrations, source->Migrate());
  (void)source_migrations;
  ASSIGN_OR_RETURN(int destination_migrations, destination->Migrate());
  (void)destination_migrations;
  RETURN_IF_ERROR(source->CopyTo(*destination));
  CopyOutcome out;
  ASSIGN_OR_RETURN(out.verified, VerifyAuditChain(*destination));
  if (!out.verified.intact) {
    return Internal(
        fmt::format("copied, but the audit trail at the destination is broken at event {}: {}",
                    out.verified.first_bad_seq, out.verified.problem));
  }
  ASSIGN_OR_RETURN(auto orgs, destination->ListOrganisations());
  out.organisations = orgs.size();
  return out;
}

}  // namespace rampart::app

namespace rampart::app {

namespace {

using domain::Json;

// Removes the SQLite file at `path` and what SQLite keeps beside it, if they are there.
void RemoveDatabaseFiles(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ec);
  }
}

// A file in the temporary directory, removed (with SQLite's -wal and -shm beside it) on
// destruction.
class TempFile {
 public:
  explicit TempFile(const std::string& stem) {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             fmt::format("rampart-{}-{}-{}.db", stem, ::getpid(), counter++))
                .string();
    Remove();
  }
  ~TempFile() { Remove(); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  void Remove() { RemoveDatabaseFiles(path_); }
  std::string path_;
};

// Makes what was written to `path` (a file, or a rename in a directory) durable.
Status Sync(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return Internal(fmt::format("cannot open {} to sync it", path));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Internal(fmt::format("cannot sync {} to disk", path));
  return Status::Ok();
}

std::string DirectoryOf(const std::string& file) {
  std::error_code ec;
  auto dir = std::filesystem::absolute(file, ec).parent_path();
  return dir.empty() ? "." : dir.string();
}

// The tables whose counts differ, named ("risks: 120 in the manifest, 119 here").
std::string CountDifferences(const std::map<std::string, int64_t>& expected,
                             const std::map<std::string, int64_t>& found) {
  std::string out;
  auto add = [&](const std::string& line) {
    if (!out.empty()) out += "; ";
    out += line;
  };
  for (const auto& [table, n] : expected) {
    auto it = found.find(table);
    if (it == found.end()) {
      add(fmt::format("{}: {} rows expected, the table is missing", table, n));
    } else if (it->second != n) {
      add(fmt::format("{}: {} rows expected, {} found", table, n, it->second));
    }
  }
  for (const auto& [table, n] : found) {
    if (!expected.contains(table)) add(fmt::format("{}: not expected, {} rows found", table, n));
  }
  return out;
}

}  // namespace

std::string BackupManifestJson(const BackupManifest& m) {
  Json tables = Json::object();
  for (const auto& [name, n] : m.tables) tables[name] = n;
  return Json{{"format", "rampart-backup"},
              {"format_version", 1},
              {"created_at", m.created_at},
              {"schema_version", m.schema_version},
              {"source", m.source},
              {"tables", tables},
              {"audit", {{"events", m.audit_events}, {"head_hash", m.audit_head_hash}}}}
      .dump(2);
}

Result<BackupManifest> ParseBackupManifest(const std::string& json) {
  const Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("format", "") != "rampart-backup") {
    return InvalidArgument("the manifest is not that of a Rampart backup", "manifest");
  }
  if (j.value("format_version", 0) != 1) {
    return InvalidArgument(fmt::format("the backup's format version {} is not one this Rampart "
                                       "reads (1)",
                                       j.value("format_version", Json()).dump()),
                           "manifest");
  }
  BackupManifest m;
  const Json& tables = j.value("tables", Json());
  const Json& audit = j.value("audit", Json());
  if (!j.value("created_at", Json()).is_string() ||
      !j.value("schema_version", Json()).is_number_integer() ||
      !j.value("source", Json()).is_string() || !tables.is_object() || !audit.is_object() ||
      !audit.value("events", Json()).is_number_integer() ||
      !audit.value("head_hash", Json()).is_string()) {
    return InvalidArgument("the manifest lacks created_at, schema_version, source, tables or audit",
                           "manifest");
  }
  m.created_at = j["created_at"].get<std::string>();
  m.schema_version = j["schema_version"].get<int>();
  m.source = j["source"].get<std::string>();
  for (const auto& [name, n] : tables.items()) {
    if (!n.is_number_integer()) {
      return InvalidArgument(fmt::format("the manifest's count of {} is not a number", name),
                             "manifest");
    }
    m.tables[name] = n.get<int64_t>();
  }
  m.audit_events = audit["events"].get<int64_t>();
  m.audit_head_hash = audit["head_hash"].get<std::string>();
  return m;
}

Result<BackupOutcome> InstallationService::Backup(const std::string& url, const std::string& file) {
  if (file.empty()) return InvalidArgument("name the backup file with --to", "to");
  if (std::filesystem::exists(file)) {
    return AlreadyExists(
        fmt::format("{} exists: a backup never replaces a file; name a new one", file), "to");
  }
  const std::string partial = file + ".partial";
  RemoveDatabaseFiles(partial);  // what an interrupted backup left
  Result<BackupOutcome> outcome = [&]() -> Result<BackupOutcome> {
    const auto started = FormatUtc(std::chrono::system_clock::now());
    ASSIGN_OR_RETURN(const CopyOutcome copied, Copy(url, partial));
    BackupOutcome out;
    out.file = file;
    out.manifest.created_at = started;
    out.manifest.source = IsPostgres(url) ? "postgresql" : "sqlite";
    out.manifest.schema_version = store::SqliteMigrations().back().number;
    ASSIGN_OR_RETURN(out.manifest.tables, store::CountRows(partial));
    out.manifest.audit_events = copied.verified.events;
    out.manifest.audit_head_hash = copied.verified.head_hash;
    RETURN_IF_ERROR(store::WriteBackupManifest(partial, BackupManifestJson(out.manifest)));
    RETURN_IF_ERROR(Sync(partial));
    ASSIGN_OR_RETURN(out.sha256, FileSha256Hex(partial));
    std::error_code ec;
    std::filesystem::rename(partial, file, ec);
    if (ec) return Internal(fmt::format("cannot name the backup {}: {}", file, ec.message()));
    {
      std::ofstream sum(file + ".sha256", std::ios::trunc);
      sum << out.sha256 << "  " << std::filesystem::path(file).filename().string() << "\n";
      if (!sum.flush()) {
        return Internal(fmt::format("cannot write {}.sha256 (the backup itself is whole)", file));
      }
    }
    RETURN_IF_ERROR(Sync(file + ".sha256"));
    RETURN_IF_ERROR(Sync(DirectoryOf(file)));
    return out;
  }();
  RemoveDatabaseFiles(partial);
  return outcome;
}

namespace {

// What VerifyBackup and Restore share: the checks, made on a copy of the backup in `copy`.
Result<BackupCheck> CheckBackupCopy(const std::string& file, const std::string& copy) {
  if (!std::filesystem::is_regular_file(file)) {
    return NotFound(fmt::format("there is no backup file {}", file));
  }
  BackupCheck check;
  ASSIGN_OR_RETURN(check.sha256, FileSha256Hex(file));
  if (std::ifstream sum(file + ".sha256"); sum) {
    std::string recorded;
    sum >> recorded;
    if (recorded != check.sha256) {
      return FailedPrecondition(fmt::format(
          "the backup's SHA-256 is {}, not {} as {}.sha256 records: the file was changed or "
          "damaged after it was written",
          check.sha256, recorded, file));
    }
    check.sha256_checked = true;
  }
  std::error_code ec;
  std::filesystem::copy_file(file, copy, std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) return Internal(fmt::format("cannot copy {} to check it: {}", file, ec.message()));
  RETURN_IF_ERROR(store::CheckIntegrity(copy));
  ASSIGN_OR_RETURN(const std::string manifest_text, store::ReadBackupManifest(copy));
  auto manifest = ParseBackupManifest(manifest_text);
  if (!manifest.ok()) {
    return FailedPrecondition(fmt::format("{}: {}", file, manifest.status().message()));
  }
  check.manifest = std::move(manifest).value();
  ASSIGN_OR_RETURN(const auto counts, store::CountRows(copy));
  if (const std::string diff = CountDifferences(check.manifest.tables, counts); !diff.empty()) {
    return FailedPrecondition(fmt::format("the backup's rows do not match its manifest: {}", diff));
  }
  return check;
}

}  // namespace

namespace {

// Every check of VerifyBackup, on a copy of `file` at `copy` (left there for Restore).
Result<BackupCheck> VerifyBackupCopy(InstallationService& installations, const std::string& file,
                                     const std::string& copy) {
  ASSIGN_OR_RETURN(BackupCheck check, CheckBackupCopy(file, copy));
  ASSIGN_OR_RETURN(auto store,
                   installations.Open(copy, /*migrate=*/false, store::DatabaseUse::kRead));
  ASSIGN_OR_RETURN(const auto chain, VerifyAuditChain(*store));
  if (!chain.intact) {
    return FailedPrecondition(fmt::format("the backup's audit trail is broken at event {}: {}",
                                          chain.first_bad_seq, chain.problem));
  }
  if (chain.events != check.manifest.audit_events ||
      chain.head_hash != check.manifest.audit_head_hash) {
    return FailedPrecondition(fmt::format(
        "the backup's audit trail has {} events ending in {}, its manifest says {} ending in {}",
        chain.events, chain.head_hash, check.manifest.audit_events,
        check.manifest.audit_head_hash));
  }
  return check;
}

}  // namespace

Result<BackupCheck> InstallationService::VerifyBackup(const std::string& file) {
  TempFile copy("verify");
  return VerifyBackupCopy(*this, file, copy.path());
}

Result<RestoreOutcome> InstallationService::Restore(const std::string& file,
                                                    const std::string& url) {
  TempFile copy("restore");
  ASSIGN_OR_RETURN(const BackupCheck check, VerifyBackupCopy(*this, file, copy.path()));
  // The copy is migrated (a backup of an earlier version restores into this one); the backup
  // itself is not touched.
  ASSIGN_OR_RETURN(const CopyOutcome copied, Copy(copy.path(), url));
  ASSIGN_OR_RETURN(const auto expected, store::CountRows(copy.path()));
  ASSIGN_OR_RETURN(const auto found, store::CountRows(url));
  if (const std::string diff = CountDifferences(expected, found); !diff.empty()) {
    return Internal(fmt::format("the restored database does not hold the backup's rows: {}", diff));
  }
  if (copied.verified.head_hash != check.manifest.audit_head_hash ||
      copied.verified.events != check.manifest.audit_events) {
    return Internal(fmt::format(
        "the restored audit trail has {} events ending in {}; the backup's has {} ending in {}",
        copied.verified.events, copied.verified.head_hash, check.manifest.audit_events,
        check.manifest.audit_head_hash));
  }
  RestoreOutcome out;
  out.manifest = check.manifest;
  out.organisations = copied.organisations;
  out.verified = copied.verified;
  return out;
}

}  // namespace rampart::app
