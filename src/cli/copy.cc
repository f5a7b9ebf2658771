// rampart copy --from URL --to URL: copies a whole installation between databases (SQLite and
// PostgreSQL, either direction) and verifies the audit chain at the destination.
#include <fmt/format.h>

#include "app/audit_service.h"
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
      if (opts->from == opts->to) {
        return InvalidArgument("--from and --to name the same database", "to");
      }
      ASSIGN_OR_RETURN(auto from, store::OpenStore(opts->from, ctx.store_options));
      ASSIGN_OR_RETURN(auto to, store::OpenStore(opts->to, ctx.store_options));
      ASSIGN_OR_RETURN(int source_migrations, from->Migrate());
      (void)source_migrations;
      ASSIGN_OR_RETURN(int destination_migrations, to->Migrate());
      (void)destination_migrations;
      RETURN_IF_ERROR(from->CopyTo(*to));
      ASSIGN_OR_RETURN(auto verified, app::VerifyAuditChain(*to));
      if (!verified.intact) {
        return Internal(
            fmt::format("copied, but the audit trail at the destination is broken at "
                        "event {}: {}",
                        verified.first_bad_seq, verified.problem));
      }
      ASSIGN_OR_RETURN(auto orgs, to->ListOrganisations());
      fmt::print(
          "Copied {} organisation(s) and {} audit events; the audit trail verifies at the "
          "destination (head hash {}).\n",
          orgs.size(), verified.events, verified.head_hash);
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
