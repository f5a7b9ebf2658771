// rampart user add|list|disable: people who may sign in.
#include <fmt/format.h>

#include <iostream>

#include "base/text.h"
#include "cli/cli.h"

namespace rampart::cli {

namespace {
struct UserOptions {
  std::string username;
  std::string role = "admin";
  std::string org;
  bool password_stdin = false;
};
}  // namespace

void AddUserCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto opts = std::make_shared<UserOptions>();  // shared with the actions, which outlive this call

  auto* add = user->add_subcommand("add", "Add a user to an organisation");
  AddDbOption(*add, ctx);
  add->add_option("--username", opts->username, "User name")->required();
  add->add_option("--role", opts->role, "Role: admin")->required();
  add->add_option("--org", opts->org, "Organisation (needed when there are several)");
  add->add_flag("--password-stdin", opts->password_stdin, "Read the password from standard input")
      ->required();
  add->callback([&ctx, &action, opts] {
    action = [&ctx, opts]() -> Status {
      const auto role = domain::ParseRole(opts->role);
      if (!role) return InvalidArgument("unknown role \"" + opts->role + "\"; use admin", "role");
      std::string password;
      std::getline(std::cin, password);
      while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
        password.pop_back();
      }
      RETURN_IF_ERROR(ctx.Open());
      ASSIGN_OR_RETURN(auto u,
                       ctx.services->auth.AddUser(opts->username, *role, password, opts->org));
      fmt::print("Added user {} (id {}) as {}.\n", u.username, u.id, opts->role);
      return Status::Ok();
    };
  });

  auto* list = user->add_subcommand("list", "List the users of an organisation");
  AddDbOption(*list, ctx);
  list->add_option("--org", opts->org, "Organisation (needed when there are several)");
  list->callback([&ctx, &action, opts] {
    action = [&ctx, opts]() -> Status {
      RETURN_IF_ERROR(ctx.Open());
      ASSIGN_OR_RETURN(auto users, ctx.services->auth.ListUsers(opts->org));
      fmt::print("{:<6} {:<24} {:<10} {}\n", "ID", "USERNAME", "ROLE", "STATUS");
      for (const auto& u : users) {
        fmt::print("{:<6} {:<24} {:<10} {}\n", u.id, u.username, u.role,
                   u.disabled ? "disabled" : "active");
      }
      return Status::Ok();
    };
  });

  auto* disable = user->add_subcommand("disable", "Disable a user: ends their sessions and tokens");
  AddDbOption(*disable, ctx);
  disable->add_option("--username", opts->username, "User name")->required();
  disable->callback([&ctx, &action, opts] {
    action = [&ctx, opts]() -> Status {
      RETURN_IF_ERROR(ctx.Open());
      RETURN_IF_ERROR(ctx.services->auth.DisableUser(opts->username));
      fmt::print("Disabled {}; their sessions and API tokens no longer work.\n", opts->username);
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
