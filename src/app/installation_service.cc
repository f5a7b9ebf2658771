#include "app/installation_service.h"

#include <fmt/format.h>

namespace rampart::app {

Result<std::unique_ptr<store::Store>> InstallationService::Open(const std::string& url,
                                                                bool migrate) {
  ASSIGN_OR_RETURN(auto store, store::OpenStore(url, options_));
  if (migrate) RETURN_IF_ERROR(store->Migrate().status());
  return store;
}

bool InstallationService::IsPostgres(const std::string& url) { return store::IsPostgresUrl(url); }

Result<MigrationOutcome> InstallationService::Migrate(const std::string& url) {
  ASSIGN_OR_RETURN(auto store, store::OpenStore(url, options_));
  MigrationOutcome out;
  ASSIGN_OR_RETURN(out.applied, store->Migrate());
  ASSIGN_OR_RETURN(out.version, store->SchemaVersion());
  return out;
}

Result<CopyOutcome> InstallationService::Copy(const std::string& from, const std::string& to) {
  if (from == to) return InvalidArgument("--from and --to name the same database", "to");
  ASSIGN_OR_RETURN(auto source, store::OpenStore(from, options_));
  ASSIGN_OR_RETURN(auto destination, store::OpenStore(to, options_));
  ASSIGN_OR_RETURN(int source_migrations, source->Migrate());
  (void)source_migrations;
  ASSIGN_OR_RETURN(int destination_migrations, destination->Migrate());
  (void)destination_migrations;
  RETURN_IF_ERROR(source->CopyTo(*destination));
  CopyOutcome out;
  ASSIGN_OR_RETURN(out.verified, VerifyAuditChain(*destination));
  if (!out.verified.intact) {
    return Internal(
        fmt::format("copied, but the audit trail at the destination is broken at event {}: {}",
                    out.verified.first_bad_seq, out.verified.problem));
  }
  ASSIGN_OR_RETURN(auto orgs, destination->ListOrganisations());
  out.organisations = orgs.size();
  return out;
}

}  // namespace rampart::app
