// rampart user add|list|disable|email: people who may sign in, their roles per organisation and
// the e-mail addresses their reminders go to.
#include <fmt/format.h>

#include <iostream>

#include "base/text.h"
#include "cli/cli.h"

namespace rampart::cli {

namespace {

struct UserOptions {
  std::string username;
  std::string display_name;
  std::string role;
  std::string org;
  std::string expires;
  std::string email;
  bool password_stdin = false;
};

std::string RoleNames() {
  std::string out;
  for (const auto& r : domain::AllRoles()) out += (out.empty() ? "" : ", ") + std::string(r.name);
  return out;
}

}  // namespace

void AddUserCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  auto opts = std::make_shared<UserOptions>();  // shared with the actions, which outlive this call

  auto* add = user->add_subcommand(
      "add", "Add a user to an organisation with a role; an existing user gets a membership of it");
  AddDbOption(*add, ctx);
  add->add_option("--username", opts->username, "User name")->required();
  add->add_option("--role", opts->role, "Role: " + RoleNames())->required();
  add->add_option("--org", opts->org, "Organisation (needed when there are several)");
  add->add_option("--display-name", opts->display_name, "Full name shown in Rampart");
  add->add_option("--expires", opts->expires,
                  "Last day of access, YYYY-MM-DD (required for external_auditor)");
  add->add_option("--email", opts->email, "E-mail address for reminders (a new account only)");
  add->add_flag("--password-stdin", opts->password_stdin,
                "Read the password from standard input (otherwise a one-time password is "
                "printed, to be changed at first sign-in)");
  add->callback([&ctx, &action, opts] {
    action = [&ctx, opts]() -> Status {
      const auto role = domain::ParseRole(opts->role);
      if (!role) {
        return InvalidArgument("unknown role \"" + opts->role + "\"; use one of " + RoleNames(),
                               "role");
      }
      std::string password;
      if (opts->password_stdin) {
        std::getline(std::cin, password);
        while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
          password.pop_back();
        }
        if (password.empty()) return InvalidArgument("no password on standard input", "password");
      }
      RETURN_IF_ERROR(ctx.Open());
      ASSIGN_OR_RETURN(auto added, ctx.services->members.AddUser(
                                       opts->org, app::NewMember{.username = opts->username,
                                                                 .display_name = opts->display_name,
                                                                 .role = *role,
                                                                 .expires_on = opts->expires,
                                                                 .password = password,
                                                                 .email = opts->email}));
      if (added.existing_user) {
        fmt::print("Added {} (id {}) to the organisation as {}.\n", added.user.username,
                   added.user.id, opts->role);
      } else {
        fmt::print("Added user {} (id {}) as {}.\n", added.user.username, added.user.id,
                   opts->role);
      }
      if (!added.one_time_password.empty()) {
        // The password alone on the last line, for scripts.
        fmt::print(
            "One-time password (shown once; {}; works for one sign-in, at which it must be "
            "changed):\n{}\n",
            ExpiresText(added.one_time_password_expires_at), added.one_time_password);
      }
      return Status::Ok();
    };
  });

  auto* list = user->add_subcommand("list", "List the users of an organisation");
  AddDbOption(*list, ctx);
  list->add_option("--org", opts->org, "Organisation (needed when there are several)");
  list->callback([&ctx, &action, opts] {
    action = [&ctx, opts]() -> Status {
      RETURN_IF_ERROR(ctx.Open());
      ASSIGN_OR_RETURN(auto users, ctx.services->members.ListUsers(opts->org));
      fmt::print("{:<6} {:<24} {:<17} {:<11} {:<9} {:<9} {}\n", "ID", "USERNAME", "ROLE", "UNTIL",
                 "2FA", "STATUS", "EMAIL");
      for (const auto& u : users) {
        fmt::print("{:<6} {:<24} {:<17} {:<11} {:<9} {:<9} {}\n", u.id, u.username, u.role,
                   u.expires_at.empty() ? "-" : u.expires_at, u.second_factor ? "on" : "off",
                   u.disabled ? "disabled" : "active", u.email.empty() ? "-" : u.email);
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
      RETURN_IF_ERROR(ctx.services->members.DisableUser(opts->username));
      fmt::print("Disabled {}; their sessions and API tokens no longer work.\n", opts->username);
      return Status::Ok();
    };
  });

  auto* email = user->add_subcommand(
      "email", "Set a user's e-mail address, where their reminders go (empty clears it)");
  AddDbOption(*email, ctx);
  email->add_option("--username", opts->username, "User name")->required();
  email->add_option("--email", opts->email, "The address; \"\" clears it")->required();
  email->callback([&ctx, &action, opts] {
    action = [&ctx, opts]() -> Status {
      RETURN_IF_ERROR(ctx.Open());
      RETURN_IF_ERROR(ctx.services->members.SetUserEmail(opts->username, opts->email));
      if (opts->email.empty()) {
        fmt::print("{} has no e-mail address now: reminders in Rampart only.\n", opts->username);
      } else {
        fmt::print("Reminders of {} go to {}.\n", opts->username, opts->email);
      }
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
