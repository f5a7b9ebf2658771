// Clause 5 beyond the register routes (which /api/v1/isms-roles, /isms-processes and
// /commitments get from their descriptions):
//   GET  /api/v1/raci                        the ISMS processes against the ISMS roles: who is
//                                            responsible, accountable, consulted, informed
//   POST /api/v1/isms-processes/standard     adds the standard ISMS processes the organisation
//                                            has none of that name for (idempotent)
#include "http/api/leadership_api.h"

#include "app/record_codec.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;

Json RaciToJson(const app::RaciMatrix& m) {
  Json roles = Json::array();
  for (const auto& role : m.roles) {
    roles.push_back({{"id", role.id}, {"name", role.fields["name"]}});
  }
  Json processes = Json::array();
  for (size_t i = 0; i < m.processes.size(); ++i) {
    const auto& process = m.processes[i];
    Json cells = Json::array();
    for (size_t j = 0; j < m.roles.size(); ++j) {
      cells.push_back({{"role", m.roles[j].id}, {"letters", m.cells[i][j]}});
    }
    processes.push_back({{"id", process.id},
                         {"name", process.fields["name"]},
                         {"status", process.fields["status"]},
                         {"missing_responsible", m.MissingResponsible(i)},
                         {"missing_accountable", m.MissingAccountable(i)},
                         {"cells", cells}});
  }
  return {{"roles", roles}, {"processes", processes}, {"truncated", m.truncated}};
}

void AddLeadershipSchemas(Json& schemas) {
  schemas["RaciMatrix"] = ObjectOfAll(
      {{"roles", ArrayOf(ObjectOfAll({{"id", kInteger}, {"name", kString}}))},
       {"processes",
        ArrayOf(ObjectOfAll(
            {{"id", kInteger},
             {"name", kString},
             {"status", kString},
             {"missing_responsible",
              Described(kBoolean, "no active role is responsible for the process")},
             {"missing_accountable",
              Described(kBoolean, "no active role is accountable for the process")},
             {"cells", ArrayOf(ObjectOfAll(
                           {{"role", kInteger},
                            {"letters", Described(kString,
                                                  "\"A\", \"R\", \"C\", \"I\" joined "
                                                  "by \"/\" (\"A/R\"); empty: no part")}}))}}))},
       {"truncated",
        Described(kBoolean, "more processes or roles than one matrix shows (500 of each)")}});
}

void RegisterLeadershipApiRoutes(Router& router) {
  router.Get("/api/v1/raci", kRead,
             Doc({{"summary", "The RACI matrix"},
                  {"description",
                   "One row per ISMS process in use or being defined, one column per active ISMS "
                   "role; each cell says whether the role is responsible, accountable, consulted "
                   "or informed. A process without an active responsible or accountable role is "
                   "flagged."},
                  {"tags", Json::array({domain::IsmsProcesses().plural})},
                  {"operationId", "raci_matrix"},
                  {"responses", Merge({{"200", JsonResponse("the matrix", Ref("RaciMatrix"))}},
                                      ErrorResponses({401, 403}))}}),
             [](Request& r) {
               auto matrix = r.services.leadership.Raci(r.principal);
               if (!matrix.ok()) return WriteJsonError(r.res, matrix.status());
               WriteJson(r.res, 200, RaciToJson(*matrix));
             });
  const std::string process = SchemaName(domain::IsmsProcesses());
  router.Post(
      "/api/v1/isms-processes/standard", Guard::Needs(domain::Permission::kEditRecords),
      Doc({{"summary", "Add the standard ISMS processes"},
           {"description",
            "Creates, in one write, each standard ISMS process (risk assessment, risk "
            "treatment, document control, internal audit, management review, corrective "
            "action, incident management, supplier management, awareness) the "
            "organisation has no process of that name for, being defined. Calling it "
            "again adds nothing."},
           {"tags", Json::array({domain::IsmsProcesses().plural})},
           {"operationId", "add_standard_isms_processes"},
           {"responses", Merge({{"200", JsonResponse("the processes created", DataOf(process))}},
                               ErrorResponses({401, 403}))}}),
      [](Request& r) {
        auto created = r.services.leadership.AddStandardProcesses(r.principal);
        if (!created.ok()) return WriteJsonError(r.res, created.status());
        Json data = Json::array();
        for (const auto& rec : *created) data.push_back(app::RecordToJson(rec));
        WriteJson(r.res, 200, {{"data", data}});
      });
}

}  // namespace rampart::http
