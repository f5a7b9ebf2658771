// rampart migrate --db URL: applies pending schema migrations (serve does this on start too),
// through app::InstallationService::Migrate.
#include <fmt/format.h>

#include "app/installation_service.h"
#include "cli/cli.h"

namespace rampart::cli {

void AddMigrateCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* cmd = app.add_subcommand("migrate", "Apply pending database migrations");
  AddDbOption(*cmd, ctx);
  cmd->callback([&ctx, &action] {
    action = [&ctx]() -> Status {
      app::InstallationService installations;
      ASSIGN_OR_RETURN(auto migrated, installations.Migrate(ctx.db));
      fmt::print("Applied {} migration(s); the schema is at version {}.\n", migrated.applied,
                 migrated.version);
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
