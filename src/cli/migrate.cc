// rampart migrate --db URL: applies pending schema migrations (serve does this on start too).
#include <fmt/format.h>

#include "cli/cli.h"

namespace rampart::cli {

void AddMigrateCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* cmd = app.add_subcommand("migrate", "Apply pending database migrations");
  AddDbOption(*cmd, ctx);
  cmd->callback([&ctx, &action] {
    action = [&ctx]() -> Status {
      ASSIGN_OR_RETURN(ctx.store, store::OpenStore(ctx.db));
      ASSIGN_OR_RETURN(int applied, ctx.store->Migrate());
      ASSIGN_OR_RETURN(int version, ctx.store->SchemaVersion());
      fmt::print("Applied {} migration(s); the schema is at version {}.\n", applied, version);
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
