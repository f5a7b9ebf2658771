// rampart copy --from URL --to URL: copies a whole installation between databases (SQLite and
// PostgreSQL, either direction) and verifies the audit chain at the destination
// (app::InstallationService::Copy).
#include <fmt/format.h>

#include "app/installation_service.h"
#include "cli/cli.h"

namespace rampart::cli {

namespace {
struct CopyOptions {
  std::string from;
  std::string to;
};
}  // namespace

void AddCopyCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* cmd = app.add_subcommand("copy", "Copy a whole installation into an empty database");
  auto opts = std::make_shared<CopyOptions>();  // shared with the action
  cmd->add_option("--from", opts->from, "Source database URL")->required();
  cmd->add_option("--to", opts->to, "Destination database URL (empty or new)")->required();
  cmd->callback([&ctx, &action, opts] {
    action = [&ctx, opts]() -> Status {
      app::InstallationService installations(ctx.store_options);
      ASSIGN_OR_RETURN(auto copied, installations.Copy(opts->from, opts->to));
      fmt::print(
          "Copied {} organisation(s) and {} audit events; the audit trail verifies at the "
          "destination (head hash {}).\n",
          copied.organisations, copied.verified.events, copied.verified.head_hash);
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
