// rampart init --db URL --org NAME: creates the database and the first organisation, and prints
// the first administrator's user name and one-time password (shown once).
#include <fmt/format.h>

#include "cli/cli.h"
#include "domain/risk.h"

namespace rampart::cli {

void AddInitCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* cmd = app.add_subcommand(
      "init", "Create the database, the organisation and its first administrator");
  AddDbOption(*cmd, ctx);
  auto org = std::make_shared<std::string>();  // shared with the action, which outlives this call
  cmd->add_option("--org", *org, "Name of the organisation")->required();
  cmd->callback([&ctx, &action, org] {
    action = [&ctx, org]() -> Status {
      RETURN_IF_ERROR(ctx.Open());
      ASSIGN_OR_RETURN(auto init, ctx.services->auth.Initialise(*org));
      // The shipped threat and vulnerability catalogues, recorded as the administrator's.
      const app::Principal admin{.user_id = init.user_id,
                                 .username = init.username,
                                 .org_id = init.org.id,
                                 .role = domain::Role::kAdmin};
      for (const auto* spec : {&domain::Threats(), &domain::Vulnerabilities()}) {
        RETURN_IF_ERROR(ctx.services->risks.LoadCatalogue(admin, *spec).status());
      }
      fmt::print("Rampart is set up for {}.\n\n", init.org.name);
      fmt::print("  First administrator:  {}\n", init.username);
      fmt::print("  One-time password:    {} ({})\n\n", init.one_time_password,
                 ExpiresText(init.one_time_password_expires_at));
      fmt::print(
          "This password is shown once and works for one sign-in, at which it must be changed.\n");
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
