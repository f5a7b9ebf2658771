// Clause 9.2 beyond the register routes (which /api/v1/audit-programmes, /internal-audits and
// /findings get from their descriptions):
//   GET /api/v1/audit-programmes/{id}/coverage   what the programme's audits cover: the clauses
//                                                and the applicable Annex A controls against its
//                                                audits, and what is left uncovered
#include "http/api/internal_audit_api.h"

#include "domain/internal_audit.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;

Json AuditCoverageToJson(const domain::AuditCoverage& c) {
  Json audits = Json::array();
  for (const auto& a : c.audits) {
    audits.push_back({{"id", a.id},
                      {"title", a.title},
                      {"status", a.status},
                      {"planned_start", a.planned_start.empty() ? Json() : Json(a.planned_start)}});
  }
  Json rows = Json::array();
  Json uncovered = Json::array();
  for (const auto& row : c.rows) {
    rows.push_back({{"kind", row.kind},
                    {"id", row.id},
                    {"title", row.title},
                    {"heading", row.heading},
                    {"audits", row.audits}});
    if (row.audits.empty() && !row.heading)
      uncovered.push_back({{"kind", row.kind}, {"id", row.id}});
  }
  return {{"audits", std::move(audits)},
          {"rows", std::move(rows)},
          {"uncovered", std::move(uncovered)},
          {"counts",
           {{"uncovered_clauses", c.uncovered_clauses},
            {"uncovered_controls", c.uncovered_controls},
            {"undecided_controls", c.undecided_controls}}}};
}

void AddInternalAuditSchemas(Json& schemas) {
  const Json kind = {{"type", "string"}, {"enum", Json::array({"clause", "control"})}};
  schemas["AuditCoverage"] = ObjectOfAll(
      {{"audits", ArrayOf(ObjectOfAll({{"id", kInteger},
                                       {"title", kString},
                                       {"status", kString},
                                       {"planned_start", OrNull(kDate)}}))},
       {"rows",
        ArrayOf(ObjectOfAll(
            {{"kind", kind},
             {"id", Described(kString, "the clause (\"9.2\") or Annex A control (\"5.15\")")},
             {"title", kString},
             {"heading",
              Described(kBoolean, "a clause with clauses below it, not counted as uncovered")},
             {"audits", Described(ArrayOf(kInteger), "the audits covering it")}}))},
       {"uncovered", ArrayOf(ObjectOfAll({{"kind", kind}, {"id", kString}}))},
       {"counts", ObjectOfAll({{"uncovered_clauses", kInteger},
                               {"uncovered_controls", kInteger},
                               {"undecided_controls",
                                Described(kInteger,
                                          "Annex A controls the Statement of Applicability "
                                          "has not decided (not among the rows)")}})}});
}

void RegisterInternalAuditApiRoutes(Router& router) {
  router.Get(
      R"(/api/v1/audit-programmes/(\d+)/coverage)", kRead,
      Doc({{"summary", "What an audit programme covers"},
           {"description",
            "One row per clause of ISO/IEC 27001 (4 to 10.2) and per Annex A control the "
            "Statement of Applicability includes; for each, the programme's audits whose scope "
            "covers it (a clause is covered by an audit naming it or a clause above it). "
            "`uncovered` lists what no audit of the programme covers."},
           {"tags", Json::array({domain::AuditProgrammes().plural})},
           {"operationId", "audit_programme_coverage"},
           {"responses", Merge({{"200", JsonResponse("the coverage", Ref("AuditCoverage"))}},
                               ErrorResponses({401, 403, 404}))}},
          Json::array({PathParam("id", "the audit programme")})),
      [](Request& r) {
        auto coverage = r.services.internal_audits.Coverage(r.principal, r.PathId());
        if (!coverage.ok()) return WriteJsonError(r.res, coverage.status());
        WriteJson(r.res, 200, AuditCoverageToJson(*coverage));
      });
}

}  // namespace rampart::http
