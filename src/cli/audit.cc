// rampart audit verify --db URL: exits 0 when the audit trail's hash chain is intact; otherwise
// names the first bad event and exits 1.
#include <fmt/format.h>

#include "app/audit_service.h"
#include "cli/cli.h"

namespace rampart::cli {

void AddAuditCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* audit = app.add_subcommand("audit", "The audit trail");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Verify the audit trail's hash chain");
  AddDbOption(*verify, ctx);
  verify->callback([&ctx, &action] {
    action = [&ctx]() -> Status {
      ASSIGN_OR_RETURN(ctx.store, store::OpenStore(ctx.db));
      ASSIGN_OR_RETURN(auto v, app::VerifyAuditChain(*ctx.store));
      if (!v.intact) {
        return Internal(fmt::format("audit trail broken at event {}: {} ({} events read)",
                                    v.first_bad_seq, v.problem, v.events));
      }
      fmt::print("Audit trail intact: {} events; head hash {}\n", v.events, v.head_hash);
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
