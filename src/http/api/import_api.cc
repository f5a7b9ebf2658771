// Spreadsheet import into every register records can be written to directly (issue 16):
//   POST   /api/v1/{path}/import                a dry run (the default) or, with apply=true, the
//                                               import (multipart/form-data: file, mapping,
//                                               mapping_id, apply)
//   POST   /api/v1/{path}/import/mapping        the mapping proposed for a file's columns
//   GET    /api/v1/{path}/import-mappings       saved mappings
//   POST   /api/v1/{path}/import-mappings       save (or replace by name) a mapping
//   DELETE /api/v1/{path}/import-mappings/{id}
#include <fmt/format.h>

#include "app/import_service.h"
#include "base/text.h"
#include "domain/registers.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;
using domain::RegisterSpec;

Json ImportResultToJson(const app::ImportResult& result) {
  Json rows = Json::array();
  for (const auto& row : result.rows) {
    Json errors = Json::array();
    for (const auto& e : row.errors) errors.push_back({{"field", e.field}, {"message", e.message}});
    rows.push_back({{"row", row.line},
                    {"outcome", app::OutcomeName(row.outcome)},
                    {"id", row.id > 0 ? Json(row.id) : Json()},
                    {"title", row.title},
                    {"changed", row.changed},
                    {"errors", std::move(errors)}});
  }
  Json columns = Json::object();
  for (const auto& [header, target] : result.columns) columns[header] = target;
  return {{"applied", result.applied},
          {"format", result.format},
          {"sheet", result.sheet_name.empty() ? Json() : Json(result.sheet_name)},
          {"columns", std::move(columns)},
          {"summary",
           {{"rows", result.rows.size()},
            {"created", result.created},
            {"updated", result.updated},
            {"unchanged", result.unchanged},
            {"errors", result.errors}}},
          {"rows", std::move(rows)}};
}

Json ImportMappingToJson(const store::ImportMapping& m) {
  return {{"id", m.id},
          {"name", m.name},
          {"columns", m.columns.value("columns", Json::object())},
          {"dates", m.columns.value("dates", "day-first")},
          {"updated_by", m.updated_by},
          {"updated_at", m.updated_at}};
}

namespace {

Result<Sheet> SheetFrom(const Request& r) {
  if (!r.http.IsMultipartFormData() || !r.http.HasFile("file")) {
    return InvalidArgument("send the spreadsheet as multipart/form-data with a part named \"file\"",
                           "file");
  }
  return app::ImportService::Read(r.http.File("file").content);
}

// The saved mapping `mapping_id` names, when it does.
Result<std::optional<app::ImportOptions>> SavedOptions(Request& r, const RegisterSpec& spec) {
  const std::string id = r.Form("mapping_id");
  if (id.empty()) return std::optional<app::ImportOptions>();
  ASSIGN_OR_RETURN(auto mappings, r.services.imports.Mappings(r.principal, spec));
  for (const auto& m : mappings) {
    if (std::to_string(m.id) != id) continue;
    ASSIGN_OR_RETURN(auto options, app::ImportOptionsFromJson(m.columns));
    return std::optional<app::ImportOptions>(std::move(options));
  }
  return InvalidArgument(
      fmt::format("there is no saved mapping {} of {}", id, ToLower(spec.plural)), "mapping_id");
}

// The options of an import request: `mapping` (JSON) as given; else a saved mapping, its choices
// first and the proposal for columns it does not name; else the proposal.
Result<app::ImportOptions> OptionsFrom(Request& r, const RegisterSpec& spec, const Sheet& sheet) {
  app::ImportOptions options;
  const std::string mapping = r.Form("mapping");
  if (!mapping.empty()) {
    const Json j = Json::parse(mapping, nullptr, false);
    if (j.is_discarded()) return InvalidArgument("mapping is not valid JSON", "mapping");
    ASSIGN_OR_RETURN(options, app::ImportOptionsFromJson(j));
  } else {
    ASSIGN_OR_RETURN(auto saved, SavedOptions(r, spec));
    ASSIGN_OR_RETURN(auto proposal, r.services.imports.Propose(r.principal, spec, sheet,
                                                               saved ? &*saved : nullptr));
    for (const auto& c : proposal.columns) options.columns[c.header] = c.target;
    if (saved) options.month_first = saved->month_first;
  }
  const std::string apply = r.Form("apply");
  if (apply == "true") {
    options.apply = true;
  } else if (!apply.empty() && apply != "false") {
    return InvalidArgument("apply must be true or false", "apply");
  }
  const std::string dates = r.Form("dates");
  if (dates == "month-first") {
    options.month_first = true;
  } else if (dates == "day-first") {
    options.month_first = false;
  } else if (!dates.empty()) {
    return InvalidArgument("dates must be day-first or month-first", "dates");
  }
  return options;
}

Json MultipartBody(const Json& properties, const Json& required) {
  return {{"required", true},
          {"content", {{"multipart/form-data", {{"schema", Object(properties, required)}}}}}};
}

const Json kFilePart = {{"type", "string"},
                        {"contentMediaType", "application/octet-stream"},
                        {"description",
                         "the spreadsheet: CSV (UTF-8; comma, semicolon or tab) or XLSX (its "
                         "first sheet); the first row names the columns"}};

void AddImportRoutes(Router& router, const RegisterSpec& spec) {
  const RegisterSpec* s = &spec;
  const std::string base = "/api/v1/" + spec.path;
  const Json tags = Json::array({spec.plural});
  // An import writes any of the register's records: its write permission itself. Costly to run,
  // so rate-limited like an export.
  const Guard guard{Access::kPermission, spec.write_permission, /*export_limited=*/true};
  router.Post(
      base + "/import", guard,
      Doc({{"summary", "Import " + s->plural + " from a spreadsheet (a dry run unless applied)"},
           {"description",
            "Every row is validated with the register's rules and reported as created, updated, "
            "unchanged or error (with the field and message). Without apply=true nothing "
            "changes. With apply=true and no row in error, every row is written in one "
            "transaction, one audit event per record; with errors, nothing is written (400, the "
            "report in `import`). A column mapped to `id` updates the record with that id (the "
            "export's first column), one mapped to `external_id` updates the record an earlier "
            "import gave that identifier, or creates one that keeps it. Limits: the server's "
            "upload limit, 200,000 rows, 500 columns (413 naming `file`)."},
           {"tags", tags},
           {"operationId", "import_" + s->type},
           {"requestBody",
            MultipartBody(
                {{"file", kFilePart},
                 {"mapping", Described({{"type", "string"}},
                                       "JSON: {\"columns\": {header: field name, \"id\", "
                                       "\"external_id\" or \"\"}, \"dates\": \"day-first\" | "
                                       "\"month-first\"}; by default the proposed mapping")},
                 {"mapping_id", Described({{"type", "string"}}, "a saved mapping to use")},
                 {"dates", {{"type", "string"}, {"enum", {"day-first", "month-first"}}}},
                 {"apply", {{"type", "string"}, {"enum", {"true", "false"}}}}},
                {"file"})},
           {"responses", Merge({{"200", JsonResponse("the report", Ref("ImportReport"))}},
                               ErrorResponses({400, 401, 403, 409, 412, 413, 429}))}}),
      [s](Request& r) {
        auto sheet = SheetFrom(r);
        if (!sheet.ok()) return WriteJsonError(r.res, sheet.status());
        auto options = OptionsFrom(r, *s, *sheet);
        if (!options.ok()) return WriteJsonError(r.res, options.status());
        auto result = r.services.imports.Run(r.principal, *s, *sheet, *options);
        if (!result.ok()) return WriteJsonError(r.res, result.status());
        if (options->apply && !result->applied && result->errors > 0) {
          WriteJson(r.res, 400,
                    {{"error",
                      {{"code", "invalid_argument"},
                       {"message", fmt::format("{} of {} rows have errors: nothing was imported",
                                               result->errors, result->rows.size())},
                       {"field", "file"}}},
                     {"import", ImportResultToJson(*result)}});
          return;
        }
        WriteJson(r.res, 200, ImportResultToJson(*result));
      });
  router.Post(
      base + "/import/mapping", guard,
      Doc({{"summary", "The mapping proposed for a spreadsheet's columns"},
           {"description",
            "Each column with the field it is proposed to hold (by field name, then label; the "
            "export's own columns as the export means them) and why, the first rows, and the "
            "targets a column can be given. With mapping_id, that saved mapping's choices first."},
           {"tags", tags},
           {"operationId", "propose_import_mapping_" + s->type},
           {"requestBody",
            MultipartBody({{"file", kFilePart}, {"mapping_id", {{"type", "string"}}}}, {"file"})},
           {"responses", Merge({{"200", JsonResponse("the proposal", Ref("ImportProposal"))}},
                               ErrorResponses({400, 401, 403, 413, 429}))}}),
      [s](Request& r) {
        auto sheet = SheetFrom(r);
        if (!sheet.ok()) return WriteJsonError(r.res, sheet.status());
        auto saved = SavedOptions(r, *s);
        if (!saved.ok()) return WriteJsonError(r.res, saved.status());
        auto proposal =
            r.services.imports.Propose(r.principal, *s, *sheet, *saved ? &**saved : nullptr);
        if (!proposal.ok()) return WriteJsonError(r.res, proposal.status());
        Json columns = Json::array();
        for (const auto& c : proposal->columns) {
          columns.push_back({{"header", c.header}, {"target", c.target}, {"why", c.why}});
        }
        Json targets = Json::array();
        for (const auto& [value, label] : app::ImportTargets(*s)) {
          targets.push_back({{"value", value}, {"label", label}});
        }
        WriteJson(r.res, 200,
                  {{"format", proposal->format},
                   {"sheet", proposal->sheet_name.empty() ? Json() : Json(proposal->sheet_name)},
                   {"rows", proposal->rows},
                   {"columns", std::move(columns)},
                   {"sample", proposal->sample},
                   {"targets", std::move(targets)}});
      });
  const std::string mappings = base + "/import-mappings";
  router.Get(mappings, kRead,
             Doc({{"summary", "Saved import mappings of " + s->plural},
                  {"tags", tags},
                  {"operationId", "list_import_mappings_" + s->type},
                  {"responses", Merge({{"200", JsonResponse("by name", DataOf("ImportMapping"))}},
                                      ErrorResponses({401, 403}))}}),
             [s](Request& r) {
               auto list = r.services.imports.Mappings(r.principal, *s);
               if (!list.ok()) return WriteJsonError(r.res, list.status());
               Json data = Json::array();
               for (const auto& m : *list) data.push_back(ImportMappingToJson(m));
               WriteJson(r.res, 200, {{"data", std::move(data)}});
             });
  router.Post(mappings, Guard::Needs(spec.write_permission),
              Doc({{"summary", "Save an import mapping of " + s->plural},
                   {"description", "A mapping with the same name is replaced. Audited."},
                   {"tags", tags},
                   {"operationId", "save_import_mapping_" + s->type},
                   {"requestBody",
                    JsonBody(Object(
                        {{"name", {{"type", "string"}, {"maxLength", 100}}},
                         {"columns", {{"type", "object"}}},
                         {"dates", {{"type", "string"}, {"enum", {"day-first", "month-first"}}}}},
                        {"name", "columns"}))},
                   {"responses", Merge({{"200", JsonResponse("saved", Ref("ImportMapping"))}},
                                       ErrorResponses({400, 401, 403, 413}))}}),
              [s](Request& r) {
                auto body = ParseJsonBody(r.http);
                if (!body.ok()) return WriteJsonError(r.res, body.status());
                if (!body->is_object() || !(*body)["name"].is_string()) {
                  return WriteJsonError(r.res, InvalidArgument("name the mapping", "name"));
                }
                Json options = *body;
                options.erase("name");
                auto parsed = app::ImportOptionsFromJson(options);
                if (!parsed.ok()) return WriteJsonError(r.res, parsed.status());
                auto saved = r.services.imports.SaveMapping(
                    r.principal, *s, (*body)["name"].get<std::string>(), *parsed);
                if (!saved.ok()) return WriteJsonError(r.res, saved.status());
                WriteJson(r.res, 200, ImportMappingToJson(*saved));
              });
  router.Delete(
      mappings + R"(/(\d+))", Guard::Needs(spec.write_permission),
      Doc({{"summary", "Delete a saved import mapping of " + s->plural},
           {"tags", tags},
           {"operationId", "delete_import_mapping_" + s->type},
           {"responses", Merge({{"204", NoContent("deleted")}}, ErrorResponses({401, 403, 404}))}},
          Json::array({kIdParam})),
      [s](Request& r) {
        const Status st = r.services.imports.DeleteMapping(r.principal, *s, r.PathId());
        if (!st.ok()) return WriteJsonError(r.res, st);
        r.res.status = 204;
      });
}

}  // namespace

void AddImportSchemas(Json& schemas) {
  schemas["ImportReport"] = ObjectOfAll(
      {{"applied", Described({{"type", "boolean"}}, "false: a dry run, nothing changed")},
       {"format", {{"type", "string"}, {"enum", {"csv", "xlsx"}}}},
       {"sheet", OrNull({{"type", "string"}})},
       {"columns", Described({{"type", "object"}},
                             "header -> what the column held (\"\": not "
                             "imported)")},
       {"summary", ObjectOfAll({{"rows", {{"type", "integer"}}},
                                {"created", {{"type", "integer"}}},
                                {"updated", {{"type", "integer"}}},
                                {"unchanged", {{"type", "integer"}}},
                                {"errors", {{"type", "integer"}}}})},
       {"rows", ArrayOf(ObjectOfAll(
                    {{"row", Described({{"type", "integer"}}, "the row's number in the file")},
                     {"outcome",
                      {{"type", "string"}, {"enum", {"created", "updated", "unchanged", "error"}}}},
                     {"id", OrNull({{"type", "integer"}})},
                     {"title", {{"type", "string"}}},
                     {"changed", ArrayOf({{"type", "string"}})},
                     {"errors", ArrayOf(ObjectOfAll({{"field", {{"type", "string"}}},
                                                     {"message", {{"type", "string"}}}}))}}))}});
  schemas["ImportProposal"] = ObjectOfAll(
      {{"format", {{"type", "string"}}},
       {"sheet", OrNull({{"type", "string"}})},
       {"rows", {{"type", "integer"}}},
       {"columns", ArrayOf(ObjectOfAll({{"header", {{"type", "string"}}},
                                        {"target", {{"type", "string"}}},
                                        {"why", {{"type", "string"}}}}))},
       {"sample", ArrayOf(ArrayOf({{"type", "string"}}))},
       {"targets",
        ArrayOf(ObjectOfAll({{"value", {{"type", "string"}}}, {"label", {{"type", "string"}}}}))}});
  schemas["ImportMapping"] = ObjectOfAll({{"id", {{"type", "integer"}}},
                                          {"name", {{"type", "string"}}},
                                          {"columns", {{"type", "object"}}},
                                          {"dates", {{"type", "string"}}},
                                          {"updated_by", {{"type", "integer"}}},
                                          {"updated_at", {{"type", "string"}}}});
}

void RegisterImportApiRoutes(Router& router) {
  for (const RegisterSpec* spec : domain::AllRegisters()) {
    if (app::ImportService::Imports(*spec)) AddImportRoutes(router, *spec);
  }
}

}  // namespace rampart::http
