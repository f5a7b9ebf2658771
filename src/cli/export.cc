// rampart export --db URL --org NAME WHAT [--format csv|xlsx]: writes a register (by its path:
// assets, risks, controls, threats, ...), the Statement of Applicability (soa) or the risk
// treatment plan (treatment-plan) to standard output, as the web UI and the API export them.
// A read: it acts as the organisation's system reader and leaves no audit event.
#include <fmt/format.h>

#include <cstdio>

#include "cli/cli.h"
#include "domain/registers.h"

namespace rampart::cli {

Result<app::Principal> OrganisationReader(Context& ctx, const std::string& org) {
  ASSIGN_OR_RETURN(auto orgs, ctx.services->members.ListOrganisations());
  const domain::Organisation* chosen = nullptr;
  for (const auto& o : orgs) {
    if (o.name == org || (org.empty() && orgs.size() == 1)) chosen = &o;
  }
  if (chosen == nullptr) {
    return org.empty() ? InvalidArgument("say which organisation (--org)", "org")
                       : NotFound(fmt::format("no organisation named \"{}\"", org));
  }
  // A reader of the organisation: it reads, and needs no person behind it.
  return app::Principal{.org_id = chosen->id,
                        .org_name = chosen->name,
                        .role = domain::Role::kViewer,
                        .read_only = true,
                        .credential = app::Credential::kSystem};
}

void AddExportCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* cmd = app.add_subcommand(
      "export", "Export a register, the Statement of Applicability or the treatment plan");
  AddDbOption(*cmd, ctx);
  auto org = std::make_shared<std::string>();
  auto what = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("csv");
  cmd->add_option("--org", *org, "Organisation (needed when there are several)");
  cmd->add_option("what", *what,
                  "A register's path (assets, risks, controls, threats, vulnerabilities, ...), "
                  "soa or treatment-plan")
      ->required();
  cmd->add_option("--format", *format, "csv or xlsx");
  cmd->callback([&ctx, &action, org, what, format] {
    action = [&ctx, org, what, format]() -> Status {
      if (*format != "csv" && *format != "xlsx") {
        return InvalidArgument("--format must be csv or xlsx", "format");
      }
      RETURN_IF_ERROR(ctx.Open());
      ASSIGN_OR_RETURN(const app::Principal reader, OrganisationReader(ctx, *org));
      std::string out;
      if (*what == "soa") {
        ASSIGN_OR_RETURN(out, *format == "xlsx" ? ctx.services->soa.ExportXlsx(reader)
                                                : ctx.services->soa.ExportCsv(reader));
      } else if (*what == "treatment-plan") {
        ASSIGN_OR_RETURN(
            out, ctx.services->risks.ExportTreatmentPlan(reader, *format, {.sort = "number"}));
      } else {
        const domain::RegisterSpec* spec = domain::FindRegisterByPath(*what);
        if (spec == nullptr) {
          return NotFound(fmt::format("nothing to export named \"{}\"", *what));
        }
        ASSIGN_OR_RETURN(const auto as, app::ParseExportFormat(*format));
        ASSIGN_OR_RETURN(out, ctx.services->registers.Export(reader, *spec, {}, as));
      }
      std::fwrite(out.data(), 1, out.size(), stdout);
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
