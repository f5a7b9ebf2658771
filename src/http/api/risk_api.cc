// Risk assessment and treatment beyond the register routes (which /api/v1/assets, /risks,
// /controls, /risk-methodology, ... get from their descriptions):
//   GET  /api/v1/risk-methodology/current        the methodology in force (or the default)
//   (approving a draft, which re-evaluates every risk, a new draft and comparing versions are
//   the routes of every register of approved versions: version_api.cc)
//   POST /api/v1/risks/{id}/acceptance           accept (or reject) the residual risk
//   POST /api/v1/risks/{id}/actions/{row}/status  a treatment action's status (its owner may)
//   POST /api/v1/threats/catalogue, /api/v1/vulnerabilities/catalogue  add the shipped entries
//   GET  /api/v1/risks/heatmap?kind=inherent|residual&...filters
//   GET  /api/v1/risks/treatment-plan            (…/export?format=csv|xlsx)
//   POST /api/v1/risk-assessments/{id}/reviews   record a risk's review in a cycle
//   POST /api/v1/risk-assessments/{id}/close     close a cycle with its summary
#include <fmt/format.h>

#include "app/record_codec.h"
#include "base/text.h"
#include "base/xlsx.h"
#include "domain/risk.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/api/risk_api.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;

Json HeatMapToJson(const app::HeatMap& map, bool residual) {
  const auto& m = map.methodology;
  Json cells = Json::array();
  for (size_t l = 0; l < m.likelihood.size(); ++l) {
    for (size_t i = 0; i < m.impact.size(); ++i) {
      const auto& level = m.levels[m.matrix[l][i]];
      cells.push_back({{"likelihood", l + 1},
                       {"impact", i + 1},
                       {"level", level.name},
                       {"colour", level.colour},
                       {"count", map.counts[l][i]}});
    }
  }
  Json likelihood = Json::array();
  for (const auto& s : m.likelihood) likelihood.push_back(s.label);
  Json impact = Json::array();
  for (const auto& s : m.impact) impact.push_back(s.label);
  return {{"kind", residual ? "residual" : "inherent"},
          {"likelihood", likelihood},
          {"impact", impact},
          {"cells", cells},
          {"unrated", map.unrated}};
}

void AddRiskSchemas(Json& schemas) {
  const Json level_list = {{"type", "array"}, {"items", kString}};
  schemas["HeatMap"] =
      ObjectOfAll({{"kind", {{"type", "string"}, {"enum", {"inherent", "residual"}}}},
                   {"likelihood", Described(level_list, "likelihood scale labels, lowest first")},
                   {"impact", Described(level_list, "impact scale labels, lowest first")},
                   {"cells",
                    {{"type", "array"},
                     {"items", ObjectOfAll({{"likelihood", kInteger},
                                            {"impact", kInteger},
                                            {"level", kString},
                                            {"colour", kString},
                                            {"count", kInteger}})}}},
                   {"unrated", Described(kInteger, "matching risks without these ratings")}});
}

namespace {

// The risk methodology in force: the approved version or the built-in default.
void AddMethodologyRoutes(Router& router) {
  const Json tags = Json::array({"Risk assessment and treatment"});
  const Json methodology = Ref(SchemaName(domain::RiskMethodologies()));
  router.Get("/api/v1/risk-methodology/current", kRead,
             Doc({{"summary", "The risk methodology in force"},
                  {"description",
                   "The approved version, or the built-in default (`default`: true) until one is "
                   "approved; `methodology` is the computed matrix."},
                  {"tags", tags},
                  {"operationId", "current_risk_methodology"},
                  {"responses",
                   Merge({{"200", JsonResponse("the methodology",
                                               ObjectOfAll({{"methodology", {{"type", "object"}}},
                                                            {"default", {{"type", "boolean"}}},
                                                            {"record", methodology}}))}},
                         ErrorResponses({401, 403}))}}),
             [](Request& r) {
               auto in_force = r.services.risks.Methodology(r.principal);
               if (!in_force.ok()) return WriteJsonError(r.res, in_force.status());
               Json body = {
                   {"methodology", domain::MethodologyToJson(in_force->methodology)},
                   {"default", !in_force->record.has_value()},
                   {"record", in_force->record ? app::RecordToJson(*in_force->record) : Json()}};
               WriteJson(r.res, 200, body);
             });
}

// Accepting a risk's residual risk, and loading the shipped catalogues.
void AddAcceptanceAndCatalogueRoutes(Router& router) {
  const Json tags = Json::array({"Risk assessment and treatment"});
  const Guard edit = Guard::Needs(domain::Permission::kEditRecords);

  // Anyone may ask; the use case decides by the acceptance criteria (the risk owner, or a role
  // the criteria name for the risk's level).
  router.Post(
      R"(/api/v1/risks/(\d+)/acceptance)", kRead,
      Doc({{"summary", "Accept (or refuse to accept) a risk's residual risk"},
           {"description",
            "Allowed to the risk owner for levels the owner may accept, and to the roles "
            "the acceptance criteria name for the level (403 otherwise). Records the "
            "decision with a frozen snapshot of the risk."},
           {"tags", tags},
           {"operationId", "accept_risk"},
           {"parameters", Json::array({kIfMatch})},
           {"requestBody",
            JsonBody(Object({{"decision", {{"type", "string"}, {"enum", {"accepted", "rejected"}}}},
                             {"comment", {{"type", "string"}, {"maxLength", 2000}}}},
                            Json::array({"decision"})))},
           {"responses", Merge({{"201", JsonResponse("the acceptance recorded",
                                                     Ref(SchemaName(domain::RiskAcceptances())))}},
                               ErrorResponses({400, 401, 403, 404, 409, 428}))}},
          Json::array({kIdParam})),
      [](Request& r) {
        auto version = ParseIfMatch(r.http);
        if (!version.ok()) return WriteJsonError(r.res, version.status());
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        if (Status st = RequireStrings(*body, {"decision", "comment"}); !st.ok()) {
          return WriteJsonError(r.res, st);
        }
        app::AcceptanceInput input{.decision = StringField(*body, "decision"),
                                   .comment = StringField(*body, "comment")};
        Respond(r, r.services.risks.Accept(r.principal, r.PathId(), *version, input), 201);
      });

  // Whoever holds records:edit-own gets this far; the use case decides by the action's owner.
  Json statuses = Json::array();
  for (const auto& c : domain::Risks().Field("actions")->columns) {
    if (c.name != "status") continue;
    for (const auto& choice : c.choices) statuses.push_back(choice.value);
  }
  router.Post(
      R"(/api/v1/risks/(\d+)/actions/(\d+)/status)",
      Guard::Needs(domain::Permission::kEditOwnRecords),
      Doc({{"summary", "Set the status of one of a risk's treatment actions"},
           {"description",
            "Changes the status of the action at `row` (its place in the risk's `actions`, "
            "from 0) and nothing else, as an update of the risk (new version, audit event). "
            "Allowed to whoever may change the risk, and to a member with records:edit-own "
            "whom the action names as its owner (403 otherwise)."},
           {"tags", tags},
           {"operationId", "update_treatment_action_status"},
           {"parameters", Json::array({kIfMatch})},
           {"requestBody", JsonBody(Object({{"status", {{"type", "string"}, {"enum", statuses}}}},
                                           Json::array({"status"})))},
           {"responses",
            Merge({{"200", JsonResponse("the risk as changed", Ref(SchemaName(domain::Risks())))}},
                  ErrorResponses({400, 401, 403, 404, 412, 428}))}},
          Json::array({kIdParam, PathParam("row",
                                           "the action's place in the risk's actions, "
                                           "from 0")})),
      [](Request& r) {
        auto version = ParseIfMatch(r.http);
        if (!version.ok()) return WriteJsonError(r.res, version.status());
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        if (Status st = RequireStrings(*body, {"status"}); !st.ok()) {
          return WriteJsonError(r.res, st);
        }
        const std::string status = StringField(*body, "status");
        Respond(r, r.services.risks.UpdateTreatmentActionStatus(r.principal, r.PathId(),
                                                                r.PathId(2), *version, status));
      });

  for (const domain::RegisterSpec* spec : {&domain::Threats(), &domain::Vulnerabilities()}) {
    router.Post(
        "/api/v1/" + spec->path + "/catalogue", edit,
        Doc({{"summary", "Add the shipped catalogue's " + ToLower(spec->plural) +
                             " the organisation does not have yet"},
             {"tags", tags},
             {"operationId", "load_" + spec->type + "_catalogue"},
             {"responses", Merge({{"200", JsonResponse("how many were added",
                                                       ObjectOfAll({{"added", kInteger}}))}},
                                 ErrorResponses({401, 403}))}}),
        [spec](Request& r) {
          auto added = r.services.risks.LoadCatalogue(r.principal, *spec);
          if (!added.ok()) return WriteJsonError(r.res, added.status());
          WriteJson(r.res, 200, Json{{"added", *added}});
        });
  }
}

// The heat map and the treatment plan.
}  // namespace

Result<domain::ListQuery> TreatmentPlanQuery(const HttpRequest& req) {
  ASSIGN_OR_RETURN(auto q, ParseListQuery(domain::Risks(), req));
  if (!req.HasParam("sort")) {
    q.sort = "number";
    q.descending = false;
  }
  return q;
}

namespace {

void AddRiskViewRoutes(Router& router) {
  const Json tags = Json::array({"Risk assessment and treatment"});
  const Json plan_row = ObjectOfAll({{"risk", Ref(SchemaName(domain::Risks()))},
                                     {"action", {{"type", {"object", "null"}}}},
                                     {"overdue", {{"type", "boolean"}}}});

  router.Get(
      "/api/v1/risks/heatmap", kRead,
      Doc({{"summary", "Risks counted by likelihood and impact"},
           {"description", "Takes the risk list's filters and search."},
           {"tags", tags},
           {"operationId", "risk_heatmap"},
           {"parameters",
            Json::array({{{"name", "kind"},
                          {"in", "query"},
                          {"schema", {{"type", "string"}, {"enum", {"inherent", "residual"}}}}}})},
           {"responses", Merge({{"200", JsonResponse("the heat map", Ref("HeatMap"))}},
                               ErrorResponses({400, 401, 403}))}}),
      [](Request& r) {
        const std::string kind = r.Query("kind").empty() ? "inherent" : r.Query("kind");
        if (kind != "inherent" && kind != "residual") {
          return WriteJsonError(r.res,
                                InvalidArgument("kind must be inherent or residual", "kind"));
        }
        // `kind` chooses the map; every other parameter filters the risks as on their list.
        HttpRequest filters = r.http;
        filters.params.erase("kind");
        auto q = ParseListQuery(domain::Risks(), filters);
        if (!q.ok()) return WriteJsonError(r.res, q.status());
        auto map = r.services.risks.Heat(r.principal, kind == "residual", *q);
        if (!map.ok()) return WriteJsonError(r.res, map.status());
        WriteJson(r.res, 200, HeatMapToJson(*map, kind == "residual"));
      });

  router.Get(
      "/api/v1/risks/treatment-plan", kRead,
      Doc({{"summary", "The risk treatment plan"},
           {"description",
            "The risks that need treatment (analysed, treatment planned or treated, with a "
            "treatment option other than retain or none chosen yet), one row per action and one "
            "for a risk without actions. Paged by risk: `limit` and the cursors count risks, so "
            "a page may hold more rows than `limit`. Takes the risk list's filters, search and "
            "sort (by number unless `sort` is given); `total=true` counts the plan's risks."},
           {"tags", tags},
           {"operationId", "risk_treatment_plan"},
           {"parameters", ListParameters(domain::Risks())},
           {"responses",
            Merge({{"200",
                    JsonResponse("a page of the plan",
                                 Object({{"data", ArrayOf(plan_row)},
                                         {"next_cursor", OrNull(kString)},
                                         {"prev_cursor", OrNull(kString)},
                                         {"total", Described(kInteger,
                                                             "with total=true: how many risks "
                                                             "the plan holds")}},
                                        Json::array({"data", "next_cursor", "prev_cursor"})))}},
                  ErrorResponses({400, 401, 403}))}}),
      [](Request& r) {
        auto q = TreatmentPlanQuery(r.http);
        if (!q.ok()) return WriteJsonError(r.res, q.status());
        auto plan = r.services.risks.TreatmentPlan(r.principal, *q);
        if (!plan.ok()) return WriteJsonError(r.res, plan.status());
        Json data = Json::array();
        for (const auto& row : plan->rows) {
          data.push_back({{"risk", app::RecordToJson(row.risk)},
                          {"action", row.action},
                          {"overdue", row.overdue}});
        }
        auto cursor = [](const std::string& c) { return c.empty() ? Json() : Json(c); };
        Json body{{"data", std::move(data)},
                  {"next_cursor", cursor(plan->next_cursor)},
                  {"prev_cursor", cursor(plan->prev_cursor)}};
        if (plan->risks) body["total"] = *plan->risks;
        WriteJson(r.res, 200, body);
      });
  router.Get(
      "/api/v1/risks/treatment-plan/export", kExport,
      Doc({{"summary", "The risk treatment plan as CSV or XLSX"},
           {"description",
            "The whole plan (or the risks the risk list's filters and search select), one row "
            "per action, written a page of risks at a time."},
           {"tags", tags},
           {"operationId", "export_risk_treatment_plan"},
           {"parameters", ExportParameters(domain::Risks())},
           {"responses", Merge({{"200", {{"description", "the file"}}}},
                               ErrorResponses({400, 401, 403, 429}))}}),
      [](Request& r) {
        const std::string format = r.Query("format").empty() ? "csv" : r.Query("format");
        auto q = TreatmentPlanQuery(r.http);
        if (!q.ok()) return WriteJsonError(r.res, q.status());
        auto file = r.services.risks.ExportTreatmentPlan(r.principal, format, *q);
        if (!file.ok()) return WriteJsonError(r.res, file.status());
        r.res.SetHeader("Content-Disposition",
                        fmt::format("attachment; filename=\"risk-treatment-plan.{}\"", format));
        r.res.SetContent(*file, format == "xlsx" ? kXlsxContentType : "text/csv; charset=utf-8");
      });
}

// Risk assessment cycles: reviews recorded in them, closing them.
void AddAssessmentCycleRoutes(Router& router) {
  const Json tags = Json::array({"Risk assessment and treatment"});
  const Json cycle = Ref(SchemaName(domain::RiskAssessments()));
  const Guard edit = Guard::Needs(domain::Permission::kEditRecords);

  router.Post(
      R"(/api/v1/risk-assessments/(\d+)/reviews)", edit,
      Doc({{"summary", "Record a risk's review in an open assessment cycle"},
           {"tags", tags},
           {"operationId", "record_risk_review"},
           {"requestBody", JsonBody(Object({{"risk", kInteger},
                                            {"changes", {{"type", "string"}, {"maxLength", 2000}}}},
                                           Json::array({"risk", "changes"})))},
           {"responses", Merge({{"201", JsonResponse("the cycle", cycle)}},
                               ErrorResponses({400, 401, 403, 404, 412}))}},
          Json::array({kIdParam})),
      [](Request& r) {
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        if (Status st = RequireStrings(*body, {"changes"}); !st.ok())
          return WriteJsonError(r.res, st);
        const Json& risk = body->value("risk", Json());
        if (!risk.is_number_integer()) {
          return WriteJsonError(r.res, InvalidArgument("risk must be the id of a risk", "risk"));
        }
        Respond(r,
                r.services.risks.RecordReview(r.principal, r.PathId(), risk.get<int64_t>(),
                                              StringField(*body, "changes")),
                201);
      });
  router.Post(R"(/api/v1/risk-assessments/(\d+)/close)", edit,
              Doc({{"summary", "Close an assessment cycle with its summary"},
                   {"tags", tags},
                   {"operationId", "close_risk_assessment"},
                   {"parameters", Json::array({kIfMatch})},
                   {"requestBody",
                    JsonBody(Object({{"summary", {{"type", "string"}, {"maxLength", 10000}}}},
                                    Json::array()))},
                   {"responses", Merge({{"200", JsonResponse("the closed cycle", cycle)}},
                                       ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}},
                  Json::array({kIdParam})),
              [](Request& r) {
                auto version = ParseIfMatch(r.http);
                if (!version.ok()) return WriteJsonError(r.res, version.status());
                auto body = ParseJsonBody(r.http);
                if (!body.ok()) return WriteJsonError(r.res, body.status());
                if (Status st = RequireStrings(*body, {"summary"}); !st.ok())
                  return WriteJsonError(r.res, st);
                Respond(r, r.services.risks.CloseCycle(r.principal, r.PathId(), *version,
                                                       StringField(*body, "summary")));
              });
}

}  // namespace

void RegisterRiskApiRoutes(Router& router) {
  AddMethodologyRoutes(router);
  AddAcceptanceAndCatalogueRoutes(router);
  AddRiskViewRoutes(router);
  AddAssessmentCycleRoutes(router);
}

}  // namespace rampart::http
