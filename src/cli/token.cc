// rampart token create --db URL --user NAME [--org NAME] [--read-only] [--expires DATE]: prints a
// new API token alone on the last line. A token acts for one membership (user in organisation).
#include <fmt/format.h>

#include "cli/cli.h"

namespace rampart::cli {

namespace {
struct TokenOptions {
  std::string user;
  std::string org;
  std::string name = "cli";
  std::string expires;
  bool read_only = false;
};
}  // namespace

void AddTokenCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  auto* create = token->add_subcommand("create", "Create an API token for a user");
  AddDbOption(*create, ctx);
  auto opts = std::make_shared<TokenOptions>();  // shared with the action
  create->add_option("--user", opts->user, "User name")->required();
  create->add_option("--org", opts->org,
                     "Organisation the token acts in (default: the user's first)");
  create->add_option("--name", opts->name, "A label for the token");
  create->add_flag("--read-only", opts->read_only, "The token may only read");
  create->add_option("--expires", opts->expires, "Last day the token works, YYYY-MM-DD");
  create->callback([&ctx, &action, opts] {
    action = [&ctx, opts]() -> Status {
      RETURN_IF_ERROR(ctx.Open());
      ASSIGN_OR_RETURN(std::string t,
                       ctx.services->members.CreateToken(opts->user, opts->org, opts->name,
                                                         opts->read_only, opts->expires));
      fmt::print("{} API token for {} (shown once; use as Authorization: Bearer TOKEN):\n{}\n",
                 opts->read_only ? "Read-only" : "Read-write", opts->user, t);
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
