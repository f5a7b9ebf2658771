// rampart init --db URL --org NAME [--signing-key FILE]: creates the database and the first
// organisation, and prints the first administrator's user name and one-time password (shown
// once). Also creates the audit trail's signing key (mode 0600; for SQLite by default beside the
// database as <db>.signing-key; for PostgreSQL --signing-key is required, since the key must live
// apart from the database) and writes the first signed checkpoint.
#include <fmt/format.h>

#include <filesystem>

#include "app/audit_checkpoint.h"
#include "cli/cli.h"
#include "domain/risk.h"

namespace rampart::cli {

void AddInitCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* cmd = app.add_subcommand(
      "init", "Create the database, the organisation and its first administrator");
  AddDbOption(*cmd, ctx);
  auto org = std::make_shared<std::string>();  // shared with the action, which outlives this call
  cmd->add_option("--org", *org, "Name of the organisation")->required();
  auto key_path = std::make_shared<std::string>();
  cmd->add_option("--signing-key", *key_path,
                  "File for the audit trail's signing key (default for SQLite: <db>.signing-key; "
                  "required for PostgreSQL)")
      ->envname("RAMPART_SIGNING_KEY");
  cmd->callback([&ctx, &action, org, key_path] {
    action = [&ctx, org, key_path]() -> Status {
      std::string key_file = *key_path;
      if (key_file.empty()) {
        ASSIGN_OR_RETURN(key_file, app::DefaultSigningKeyPath(ctx.db));
      }
      // Checkpoints of an earlier database would read as this one's truncation: refuse before
      // creating anything.
      std::error_code ec;
      const std::string checkpoints = key_file + ".checkpoints";
      if (std::filesystem::file_size(checkpoints, ec) > 0 && !ec) {
        return FailedPrecondition(fmt::format(
            "{} holds checkpoints of an earlier database; move it away (keep it for that "
            "database's audits) or name another key with --signing-key",
            checkpoints));
      }
      auto key = app::SigningKey::Create(key_file);
      const bool created = key.ok();
      if (!key.ok() && key.status().code() == Code::kAlreadyExists) {
        key = app::SigningKey::Load(key_file);
      }
      if (!key.ok()) return key.status();
      RETURN_IF_ERROR(ctx.Open(store::DatabaseUse::kCreate));
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
      fmt::print("  Audit signing key:    {} ({})\n", key_file,
                 created ? "new; keep it and back it up apart from the database" : "existing");
      fmt::print("  Public key (PEM):     {}.pub.pem\n", key_file);
      fmt::print("  Checkpoints:          {}\n", key->CheckpointsPath());
      fmt::print("  First administrator:  {}\n", init.username);
      fmt::print("  One-time password:    {} ({})\n\n", init.one_time_password,
                 ExpiresText(init.one_time_password_expires_at));
      fmt::print(
          "This password is shown once and works for one sign-in, at which it must be changed.\n");
      std::fflush(stdout);
      // The first checkpoint, after the credentials are out (a failure here leaves them usable).
      return app::WriteCheckpoint(*ctx.store, *key, ctx.clock, key->CheckpointsPath()).status();
    };
  });
}

}  // namespace rampart::cli
