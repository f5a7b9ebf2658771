#include "cli/cli.h"

#include <fmt/format.h>

#include "base/crypto.h"

namespace rampart::cli {

Status Context::Open(store::DatabaseUse use) {
  ASSIGN_OR_RETURN(store, app::InstallationService(store_options).Open(db, /*migrate=*/true, use));
  services = std::make_unique<app::Services>(*store, clock, auth_options, evidence_options);
  return Status::Ok();
}

void AddDbOption(CLI::App& cmd, Context& ctx) {
  cmd.add_option(
         "--db", ctx.db,
         "Database: a SQLite file path or sqlite:PATH, or postgresql://USER:PASS@HOST:PORT/DB "
         "(or a libpq string such as \"host=/run/postgresql dbname=rampart\")")
      ->envname("RAMPART_DB")
      ->required();
}

int ExitCodeFor(const Status& st) {
  switch (st.code()) {
    case Code::kOk:
      return 0;
    case Code::kInvalidArgument:
    case Code::kTooLarge:
      return 2;
    case Code::kNotFound:
      return 3;
    case Code::kAlreadyExists:
    case Code::kFailedPrecondition:
    case Code::kConflict:
    case Code::kPreconditionRequired:
      return 4;
    case Code::kUnauthenticated:
    case Code::kPermissionDenied:
    case Code::kReauthenticationRequired:
      return 5;
    case Code::kUnavailable:
    case Code::kResourceExhausted:
    case Code::kInsufficientStorage:
      return 6;
    case Code::kInternal:
      return 1;
  }
  return 1;
}

std::string ExpiresText(const std::string& utc) {
  if (utc.size() < 16) return "expires " + utc;
  return "expires " + utc.substr(0, 10) + " " + utc.substr(11, 5) + " UTC";
}

int Run(int argc, char** argv) {
  if (Status st = InitCrypto(); !st.ok()) {
    fmt::print(stderr, "rampart: {}\n", st.message());
    return 1;
  }
  CLI::App app{"Rampart: an ISMS for ISO/IEC 27001:2022", "rampart"};
  app.require_subcommand(1);
  Context ctx;
  Action action;
  AddInitCommand(app, ctx, action);
  AddServeCommand(app, ctx, action);
  AddMigrateCommand(app, ctx, action);
  AddOrgCommand(app, ctx, action);
  AddUserCommand(app, ctx, action);
  AddTokenCommand(app, ctx, action);
  AddAuditCommand(app, ctx, action);
  AddCopyCommand(app, ctx, action);
  AddBackupCommands(app, ctx, action);
  AddExportCommand(app, ctx, action);
  AddRemindCommand(app, ctx, action);
  AddCheckCommand(app, ctx, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  Status st = action ? action() : InvalidArgument("no command given");
  if (!st.ok()) {
    fmt::print(stderr, "rampart: {}{}\n", st.message(),
               st.field().empty() ? "" : fmt::format(" ({})", st.field()));
  }
  return ExitCodeFor(st);
}

}  // namespace rampart::cli
