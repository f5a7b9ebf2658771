// rampart org add|list: organisations of this installation (each with its own ISMS).
#include <fmt/format.h>

#include "cli/cli.h"

namespace rampart::cli {

void AddOrgCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* org = app.add_subcommand("org", "Manage organisations");
  org->require_subcommand(1);
  auto name = std::make_shared<std::string>();  // shared with the actions

  auto* add = org->add_subcommand("add", "Add an organisation; then add its users with `user add`");
  AddDbOption(*add, ctx);
  add->add_option("--name", *name, "Name of the organisation")->required();
  add->callback([&ctx, &action, name] {
    action = [&ctx, name]() -> Status {
      RETURN_IF_ERROR(ctx.Open());
      ASSIGN_OR_RETURN(auto o, ctx.services->members.AddOrganisation(*name));
      fmt::print(
          "Added organisation \"{}\" (id {}). Add its first administrator with:\n"
          "  rampart user add --db DB --org \"{}\" --username NAME --role admin\n",
          o.name, o.id, o.name);
      return Status::Ok();
    };
  });

  auto* list = org->add_subcommand("list", "List the organisations");
  AddDbOption(*list, ctx);
  list->callback([&ctx, &action] {
    action = [&ctx]() -> Status {
      RETURN_IF_ERROR(ctx.Open());
      ASSIGN_OR_RETURN(auto orgs, ctx.services->members.ListOrganisations());
      fmt::print("{:<6} {}\n", "ID", "NAME");
      for (const auto& o : orgs) fmt::print("{:<6} {}\n", o.id, o.name);
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
