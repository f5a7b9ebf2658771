// The `rampart` command line: one sub-command per file, all sharing --db (or RAMPART_DB).
// Errors print one line naming what is wrong and exit with the code of their Status:
// 2 bad input, 3 not found, 4 conflict with the current state, 5 refused, 6 unavailable,
// 1 anything else (and a broken audit chain).
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

#include "app/installation_service.h"
#include "app/services.h"
#include "base/clock.h"

namespace rampart::cli {

// What every sub-command needs; filled in by the options, then by Open().
struct Context {
  std::string db;
  store::StoreOptions store_options;
  app::AuthOptions auth_options;          // serve sets session timeouts
  app::EvidenceOptions evidence_options;  // serve sets the upload limit
  SystemClock clock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<app::Services> services;
  // Opens and migrates the database named by `db`, which must exist unless `use` is kCreate
  // (`rampart init`).
  Status Open(store::DatabaseUse use = store::DatabaseUse::kWrite);
};

// A sub-command's body; its Status becomes the exit code.
using Action = std::function<Status()>;

void AddDbOption(CLI::App& cmd, Context& ctx);
void AddInitCommand(CLI::App& app, Context& ctx, Action& action);
void AddServeCommand(CLI::App& app, Context& ctx, Action& action);
void AddMigrateCommand(CLI::App& app, Context& ctx, Action& action);
void AddOrgCommand(CLI::App& app, Context& ctx, Action& action);
void AddUserCommand(CLI::App& app, Context& ctx, Action& action);
void AddTokenCommand(CLI::App& app, Context& ctx, Action& action);
void AddAuditCommand(CLI::App& app, Context& ctx, Action& action);
void AddCopyCommand(CLI::App& app, Context& ctx, Action& action);
void AddBackupCommands(CLI::App& app, Context& ctx, Action& action);
void AddExportCommand(CLI::App& app, Context& ctx, Action& action);
void AddRemindCommand(CLI::App& app, Context& ctx, Action& action);
void AddCheckCommand(CLI::App& app, Context& ctx, Action& action);

// The system reader of organisation `org` (by name; empty when there is only one), for the
// commands that read an organisation's records (export, check). Needs ctx.Open() first.
Result<app::Principal> OrganisationReader(Context& ctx, const std::string& org);

int ExitCodeFor(const Status& st);
// "expires 2026-12-07 06:00 UTC" for a UTC ISO 8601 time such as "2026-12-07T06:00:00.000Z".
std::string ExpiresText(const std::string& utc);
int Run(int argc, char** argv);

}  // namespace rampart::cli
