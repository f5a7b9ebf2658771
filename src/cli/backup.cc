// rampart backup --db URL --to FILE: a consistent online backup of the whole installation (either
// backend) into one SQLite file with its manifest, and FILE.sha256 beside it.
// rampart backup verify FILE: checks a backup without restoring it.
// rampart restore --from FILE --db URL: verifies the backup, restores it into an empty database
// (either backend) and checks the rows and the audit chain there.
// (app::InstallationService::Backup, VerifyBackup, Restore.)
#include <fmt/format.h>

#include "app/installation_service.h"
#include "cli/cli.h"

namespace rampart::cli {

namespace {

struct BackupOptions {
  std::string db;
  std::string to;
  std::string file;  // backup verify FILE
  std::string from;  // restore --from FILE
};

int64_t TotalRows(const app::BackupManifest& m) {
  int64_t n = 0;
  for (const auto& [table, rows] : m.tables) n += rows;
  return n;
}

}  // namespace

void AddBackupCommands(CLI::App& app, Context& ctx, Action& action) {
  auto opts = std::make_shared<BackupOptions>();  // shared with the actions
  auto* backup = app.add_subcommand(
      "backup",
      "Back up the whole installation into one file while it serves (`backup verify FILE` checks "
      "one)");
  backup->add_option("--db", opts->db, "Database to back up (a SQLite file or a PostgreSQL URL)")
      ->envname("RAMPART_DB");
  backup->add_option("--to", opts->to, "The backup file to write (must not exist)");
  auto* verify = backup->add_subcommand("verify", "Check a backup without restoring it");
  verify->add_option("file", opts->file, "The backup file")->required();
  verify->callback([&action, opts] {
    action = [opts]() -> Status {
      ASSIGN_OR_RETURN(auto check, app::InstallationService().VerifyBackup(opts->file));
      fmt::print(
          "Backup {} is sound: taken {} from {} (schema version {}); {} rows in {} tables match "
          "its manifest; the audit trail verifies: {} events, head hash {}.\n",
          opts->file, check.manifest.created_at, check.manifest.source,
          check.manifest.schema_version, TotalRows(check.manifest), check.manifest.tables.size(),
          check.manifest.audit_events, check.manifest.audit_head_hash);
      if (check.sha256_checked) {
        fmt::print("SHA-256 {} matches {}.sha256.\n", check.sha256, opts->file);
      } else {
        fmt::print(
            "SHA-256 {}: there is no {}.sha256 beside it, so the file's digest was not compared.\n",
            check.sha256, opts->file);
      }
      return Status::Ok();
    };
  });
  backup->callback([&ctx, &action, opts, verify] {
    if (verify->parsed()) return;
    action = [&ctx, opts]() -> Status {
      if (opts->db.empty()) return InvalidArgument("name the database with --db", "db");
      if (opts->to.empty()) return InvalidArgument("name the backup file with --to", "to");
      ASSIGN_OR_RETURN(auto out,
                       app::InstallationService(ctx.store_options).Backup(opts->db, opts->to));
      fmt::print(
          "Backed up {} rows in {} tables and {} audit events (head hash {}) into {}.\n"
          "SHA-256 {} (written to {}.sha256). Check it with `rampart backup verify {}`.\n",
          TotalRows(out.manifest), out.manifest.tables.size(), out.manifest.audit_events,
          out.manifest.audit_head_hash, out.file, out.sha256, out.file, out.file);
      return Status::Ok();
    };
  });

  auto* restore = app.add_subcommand(
      "restore", "Restore a backup into an empty database (a SQLite file is created)");
  restore->add_option("--from", opts->from, "The backup file")->required();
  AddDbOption(*restore, ctx);
  restore->callback([&ctx, &action, opts] {
    action = [&ctx, opts]() -> Status {
      ASSIGN_OR_RETURN(auto out,
                       app::InstallationService(ctx.store_options).Restore(opts->from, ctx.db));
      fmt::print(
          "Restored {} organisation(s), {} rows in {} tables, from the backup taken {}; the "
          "audit trail verifies at the destination: {} events, head hash {}.\n",
          out.organisations, TotalRows(out.manifest), out.manifest.tables.size(),
          out.manifest.created_at, out.verified.events, out.verified.head_hash);
      fmt::print(
          "If the database's signing key holds checkpoints signed after the backup was taken, "
          "`rampart serve` refuses the restored database as rolled back: move that checkpoints "
          "file aside (keep it) before serving.\n");
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
