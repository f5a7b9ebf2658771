// rampart token create --db URL --user NAME: prints a new API token alone on the last line.
#include <fmt/format.h>

#include "cli/cli.h"

namespace rampart::cli {

void AddTokenCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto* create = token->add_subcommand("create", "Create an API token for a user");
  AddDbOption(*create, ctx);
  auto user = std::make_shared<std::string>();  // shared with the action
  auto name = std::make_shared<std::string>("cli");
  create->add_option("--user", *user, "User name")->required();
  create->add_option("--name", *name, "A label for the token");
  create->callback([&ctx, &action, user, name] {
    action = [&ctx, user, name]() -> Status {
      RETURN_IF_ERROR(ctx.Open());
      ASSIGN_OR_RETURN(std::string t, ctx.services->auth.CreateToken(*user, *name));
      fmt::print("API token for {} (shown once; use as Authorization: Bearer TOKEN):\n{}\n", *user,
                 t);
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
