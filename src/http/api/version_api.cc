// Routes of every register of approved versions (domain::ApprovedVersions), derived from the
// option, with {path} the register's path:
//   GET  /api/v1/{path}/current               the approved version in force (unless the area
//                                             answers it: the methodology's built-in default)
//   POST /api/v1/{path}/{id}/approve          approve a draft (If-Match); the version in force
//                                             is superseded in the same write
//   POST /api/v1/{path}/{id}/new-draft        a new draft copying a version (0: the register's
//                                             first draft, when it has one)
//   GET  /api/v1/{path}/compare?from=ID&to=ID two versions field by field, table rows by row
#include <fmt/format.h>

#include "app/record_codec.h"
#include "base/text.h"
#include "domain/registers.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;
using domain::RegisterSpec;

namespace {

Json ComparisonToJson(const app::VersionComparison& c) {
  Json fields = Json::array();
  for (const auto& f : c.fields) {
    Json item = {{"name", f.field->name},
                 {"label", f.field->label},
                 {"changed", f.changed},
                 {"from", f.from},
                 {"to", f.to}};
    if (f.field->type == domain::FieldType::kTable) {
      Json rows = Json::array();
      for (const auto& row : f.rows) {
        rows.push_back({{"change", domain::RowChangeName(row.kind)},
                        {"from", row.from},
                        {"to", row.to},
                        {"changed_columns", row.changed_columns}});
      }
      item["rows"] = std::move(rows);
    }
    fields.push_back(std::move(item));
  }
  return {{"from", app::RecordToJson(c.from)},
          {"to", app::RecordToJson(c.to)},
          {"fields", std::move(fields)}};
}

void AddVersionRoutes(Router& router, const RegisterSpec& spec) {
  const RegisterSpec* s = &spec;
  const std::string base = "/api/v1/" + spec.path;
  const Json tags = Json::array({spec.plural});
  const Json record = Ref(SchemaName(spec));
  const std::string noun = LowerNoun(spec.plural);

  if (!spec.versions->own_current_route) {
    router.Get(base + "/current", kRead,
               Doc({{"summary", fmt::format("The approved version of the {} in force", noun)},
                    {"tags", tags},
                    {"operationId", "current_" + spec.type},
                    {"responses", Merge({{"200", JsonResponse("the version in force", record)}},
                                        ErrorResponses({401, 403, 404}))}}),
               [s](Request& r) { Respond(r, r.services.versions.Current(r.principal, *s)); });
  }
  router.Get(
      base + "/compare", kRead,
      Doc({{"summary", fmt::format("Compare two versions of the {}", noun)},
           {"description",
            "Every field of both versions, `changed` where they differ; the rows of a table "
            "field paired: equal rows in order, then removed and added rows between them as "
            "changed rows (`changed_columns`), the rest added or removed."},
           {"tags", tags},
           {"operationId", "compare_" + spec.type},
           {"parameters", Json::array({{{"name", "from"},
                                        {"in", "query"},
                                        {"required", true},
                                        {"schema", {{"type", "integer"}, {"minimum", 1}}},
                                        {"description", "the id of the earlier version"}},
                                       {{"name", "to"},
                                        {"in", "query"},
                                        {"required", true},
                                        {"schema", {{"type", "integer"}, {"minimum", 1}}},
                                        {"description", "the id of the later version"}}})},
           {"responses", Merge({{"200", JsonResponse("the comparison", Ref("VersionComparison"))}},
                               ErrorResponses({400, 401, 403, 404}))}}),
      [s](Request& r) {
        auto from = VersionIdParam(r, "from");
        if (!from.ok()) return WriteJsonError(r.res, from.status());
        auto to = VersionIdParam(r, "to");
        if (!to.ok()) return WriteJsonError(r.res, to.status());
        auto c = r.services.versions.Compare(r.principal, *s, *from, *to);
        if (!c.ok()) return WriteJsonError(r.res, c.status());
        WriteJson(r.res, 200, ComparisonToJson(*c));
      });
  router.Post(base + R"(/(\d+)/approve)", Guard::Needs(domain::Permission::kApprove),
              Doc({{"summary", fmt::format("Approve a draft of the {}; the version in force is "
                                           "superseded",
                                           noun)},
                   {"tags", tags},
                   {"operationId", "approve_" + spec.type},
                   {"parameters", Json::array({kIfMatch})},
                   {"responses", Merge({{"200", JsonResponse("approved", record)}},
                                       ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}},
                  Json::array({kIdParam})),
              [s](Request& r) {
                auto version = ParseIfMatch(r.http);
                if (!version.ok()) return WriteJsonError(r.res, version.status());
                Respond(r, r.services.versions.Approve(r.principal, *s, r.PathId(), *version));
              });
  router.Post(
      base + R"(/(\d+)/new-draft)", WriteGuard(spec),
      Doc({{"summary", fmt::format("Start a new draft of the {} from a version", noun)},
           {"description", spec.versions->first_draft
                               ? "Id 0 starts from the built-in default."
                               : "The draft copies every field of the version but its status "
                                 "and approval."},
           {"tags", tags},
           {"operationId", "new_" + spec.type + "_draft"},
           {"responses", Merge({{"201", JsonResponse("the new draft", record)}},
                               ErrorResponses({400, 401, 403, 404}))}},
          Json::array({kIdParam})),
      [s](Request& r) {
        Respond(r, r.services.versions.NewDraft(r.principal, *s, r.PathId()), 201);
      });
}

}  // namespace

void AddVersionSchemas(Json& schemas) {
  const Json any = Json::object();
  schemas["VersionComparison"] = ObjectOfAll(
      {{"from", {{"type", "object"}, {"description", "the earlier version"}}},
       {"to", {{"type", "object"}, {"description", "the later version"}}},
       {"fields",
        ArrayOf(Object(
            {{"name", kString},
             {"label", kString},
             {"changed", kBoolean},
             {"from", any},
             {"to", any},
             {"rows", ArrayOf(ObjectOfAll({{"change",
                                            {{"type", "string"},
                                             {"enum", {"same", "added", "removed", "changed"}}}},
                                           {"from", any},
                                           {"to", any},
                                           {"changed_columns", ArrayOf(kString)}}))}},
            Json::array({"name", "label", "changed", "from", "to"})))}});
}

void RegisterVersionApiRoutes(Router& router) {
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    if (spec->versions) AddVersionRoutes(router, *spec);
  }
}

}  // namespace rampart::http
