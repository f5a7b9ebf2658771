// rampart audit verify --db URL [--checkpoints FILE --public-key FILE]: exits 0 when the audit
// trail's hash chain is intact (and, with checkpoints, matches every signed checkpoint);
// otherwise names what is wrong and exits 1.
// rampart audit checkpoint --db URL [--signing-key FILE] [--checkpoints FILE]: signs the chain's
// head and appends it to the checkpoints file (default <key>.checkpoints).
// rampart audit export-key [--db URL] [--signing-key FILE]: prints the public key (base64 and
// PEM) for an auditor.
#include <fmt/format.h>

#include "app/audit_checkpoint.h"
#include "app/audit_service.h"
#include "base/crypto.h"
#include "cli/cli.h"

#include <fstream>
#include <sstream>

namespace rampart::cli {

namespace {

struct AuditOptions {
  std::string signing_key;
  std::string checkpoints;
  std::string public_key;
};

Result<app::SigningKey> LoadKey(const Context& ctx, const AuditOptions& o) {
  std::string path = o.signing_key;
  if (path.empty()) {
    if (ctx.db.empty()) return InvalidArgument("name the key with --signing-key", "signing-key");
    ASSIGN_OR_RETURN(path, app::DefaultSigningKeyPath(ctx.db));
  }
  return app::SigningKey::Load(path);
}

void AddSigningKeyOption(CLI::App& cmd, AuditOptions& o) {
  cmd.add_option("--signing-key", o.signing_key,
                 "The audit signing key's file (default: <db file>.signing-key for SQLite)")
      ->envname("RAMPART_SIGNING_KEY");
}

}  // namespace

void AddAuditCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* audit = app.add_subcommand("audit", "The audit trail");
  audit->require_subcommand(1);
  auto opts = std::make_shared<AuditOptions>();  // shared with the actions

  auto* verify = audit->add_subcommand("verify", "Verify the audit trail's hash chain");
  AddDbOption(*verify, ctx);
  verify->add_option("--checkpoints", opts->checkpoints,
                     "Also compare the chain with these signed checkpoints (JSON lines)");
  verify->add_option("--public-key", opts->public_key,
                     "The signing key's public key (PEM or base64) that checks the checkpoints");
  verify->callback([&ctx, &action, opts] {
    action = [&ctx, opts]() -> Status {
      if (opts->checkpoints.empty() != opts->public_key.empty()) {
        return InvalidArgument("--checkpoints and --public-key go together",
                               opts->checkpoints.empty() ? "checkpoints" : "public-key");
      }
      std::string public_key;
      if (!opts->public_key.empty()) {
        std::ifstream in(opts->public_key);
        if (!in) return NotFound(fmt::format("cannot read {}", opts->public_key));
        std::ostringstream text;
        text << in.rdbuf();
        ASSIGN_OR_RETURN(public_key, ParseEd25519PublicKey(text.str()));
      }
      ASSIGN_OR_RETURN(ctx.store, app::InstallationService().Open(ctx.db, /*migrate=*/false,
                                                                  store::DatabaseUse::kRead));
      ASSIGN_OR_RETURN(auto v, app::VerifyAuditChain(*ctx.store));
      if (!v.intact) {
        return Internal(fmt::format("audit trail broken at event {}: {} ({} events read)",
                                    v.first_bad_seq, v.problem, v.events));
      }
      if (!public_key.empty()) {
        ASSIGN_OR_RETURN(auto c, app::VerifyCheckpoints(*ctx.store, opts->checkpoints, public_key));
        if (!c.problems.empty()) {
          std::string all;
          for (const auto& p : c.problems) all += "\n  " + p;
          return Internal(fmt::format(
              "audit trail does not match its signed checkpoints ({} checkpoints, chain of {} "
              "events):{}",
              c.checkpoints, c.head_seq, all));
        }
        fmt::print("Audit trail intact: {} events; head hash {}; matches {} signed checkpoints\n",
                   v.events, v.head_hash, c.checkpoints);
        return Status::Ok();
      }
      fmt::print("Audit trail intact: {} events; head hash {}\n", v.events, v.head_hash);
      return Status::Ok();
    };
  });

  auto* checkpoint =
      audit->add_subcommand("checkpoint", "Sign the chain's head and append it to the checkpoints");
  AddDbOption(*checkpoint, ctx);
  AddSigningKeyOption(*checkpoint, *opts);
  checkpoint->add_option("--checkpoints", opts->checkpoints,
                         "The checkpoints file (default: <signing key>.checkpoints)");
  checkpoint->callback([&ctx, &action, opts] {
    action = [&ctx, opts]() -> Status {
      ASSIGN_OR_RETURN(auto key, LoadKey(ctx, *opts));
      ASSIGN_OR_RETURN(ctx.store, app::InstallationService().Open(ctx.db, /*migrate=*/false,
                                                                  store::DatabaseUse::kRead));
      const std::string file =
          opts->checkpoints.empty() ? key.CheckpointsPath() : opts->checkpoints;
      ASSIGN_OR_RETURN(auto c, app::WriteCheckpoint(*ctx.store, key, ctx.clock, file));
      fmt::print("Checkpoint of event {} (hash {}) appended to {}\n", c.seq, c.hash, file);
      return Status::Ok();
    };
  });

  auto* export_key =
      audit->add_subcommand("export-key", "Print the audit signing key's public key for auditors");
  export_key->add_option("--db", ctx.db, "The database (for the default key file)")
      ->envname("RAMPART_DB");
  AddSigningKeyOption(*export_key, *opts);
  export_key->callback([&ctx, &action, opts] {
    action = [&ctx, opts]() -> Status {
      ASSIGN_OR_RETURN(auto key, LoadKey(ctx, *opts));
      fmt::print("Ed25519 public key (base64): {}\n\n{}", key.PublicKeyBase64(),
                 key.PublicKeyPem());
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
