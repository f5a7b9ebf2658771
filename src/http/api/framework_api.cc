// Control frameworks and the ISMS in OSCAL (issue 16), beside the frameworks' register routes
// (GET /api/v1/frameworks, /api/v1/frameworks/{id}, export, history; the framework controls'
// routes, where their mapping is changed):
//   POST   /api/v1/frameworks                  import an OSCAL catalog or profile (multipart:
//                                              file, catalog), add a built-in framework
//                                              (JSON {"built_in": "iso27001-2013"}), or write
//                                              one (any other JSON: the register's create)
//   DELETE /api/v1/frameworks/{id}             the framework and its controls (If-Match)
//   GET    /api/v1/frameworks/{id}/controls    its controls with their coverage (?coverage=)
//   GET    /api/v1/frameworks/{id}/oscal       the framework as an OSCAL catalog
//   GET    /api/v1/oscal/{catalog|profile|ssp|poam}
//                                              Annex A as a catalog, the Statement of
//                                              Applicability as a profile of it, the system
//                                              security plan, the plan of action and milestones
#include <fmt/format.h>

#include "app/framework_service.h"
#include "app/record_codec.h"
#include "domain/frameworks.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;

namespace {

Json FrameworkControlLineJson(const domain::FrameworkCoverageLine& line) {
  const Json& f = line.control->fields;
  Json applied = Json::array();
  for (const auto& a : line.applied_controls) {
    applied.push_back({{"id", a.id}, {"name", a.name}, {"status", a.status}});
  }
  return {{"id", line.control->id},
          {"version", line.control->version},
          {"control_id", f["control_id"]},
          {"label", f["label"]},
          {"title", f["title"]},
          {"group", f["group_title"]},
          {"parent", f["parent"]},
          {"withdrawn", f["withdrawn"]},
          {"annex_controls", f["annex_controls"].is_array() ? f["annex_controls"] : Json::array()},
          {"controls", f["controls"].is_array() ? f["controls"] : Json::array()},
          {"applied_controls", std::move(applied)},
          {"derived_status", line.derived_status},
          {"coverage", line.coverage}};
}

Json FrameworkSummaryJson(const domain::FrameworkCoverage& c) {
  return {{"controls", c.lines.size()},
          {"implemented", c.implemented},
          {"partial", c.partial},
          {"none", c.none},
          {"withdrawn", c.withdrawn},
          {"unmapped", c.unmapped},
          {"implemented_percent", c.ImplementedPercent()}};
}

Result<std::string> CoverageParam(std::string_view value) {
  for (auto v : {domain::kCoverageImplemented, domain::kCoveragePartial, domain::kCoverageNone,
                 domain::kCoverageWithdrawn}) {
    if (value == v) return std::string(v);
  }
  if (value.empty()) return std::string();
  return InvalidArgument("coverage must be implemented, partial, none or withdrawn", "coverage");
}

}  // namespace

void AddFrameworkSchemas(Json& schemas) {
  const Json coverage = {{"type", "string"},
                         {"enum", {"implemented", "partial", "none", "withdrawn"}}};
  schemas["FrameworkControlCoverage"] = ObjectOfAll(
      {{"id", Described(kInteger, "the framework control's record id")},
       {"version", kInteger},
       {"control_id", Described(kString, "its identifier in the framework, e.g. \"ac-2.1\"")},
       {"label", OrNull(kString)},
       {"title", kString},
       {"group", OrNull(kString)},
       {"parent", Described(OrNull(kString), "for an enhancement: the control it enhances")},
       {"withdrawn", kBoolean},
       {"annex_controls", Described(ArrayOf(kString), "the Annex A controls it maps to")},
       {"controls", Described(ArrayOf(kInteger), "the applied controls it names itself")},
       {"applied_controls",
        Described(ArrayOf(ObjectOfAll({{"id", kInteger}, {"name", kString}, {"status", kString}})),
                  "every applied control that counts: those it names and those of its Annex A "
                  "controls, by name")},
       {"derived_status", Described(kString, "as the SoA derives an Annex A control's status")},
       {"coverage", Described(coverage,
                              "implemented: every linked applied control is implemented; "
                              "partial: some are implemented or in progress; none: nothing "
                              "linked, or all planned or not effective")}});
  schemas["FrameworkCoverage"] = ObjectOfAll(
      {{"framework", Ref("Framework")},
       {"summary",
        ObjectOfAll({{"controls", kInteger},
                     {"implemented", kInteger},
                     {"partial", kInteger},
                     {"none", kInteger},
                     {"withdrawn", kInteger},
                     {"unmapped", Described(kInteger, "not withdrawn, mapped to nothing")},
                     {"implemented_percent", kInteger}})},
       {"data", ArrayOf(Ref("FrameworkControlCoverage"))}});
}

namespace {

const Json kOscalJson = {{"description", "an OSCAL 1.1 JSON document"},
                         {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}};

void WriteOscal(Request& r, const Result<std::string>& doc, const std::string& file_name) {
  if (!doc.ok()) return WriteJsonError(r.res, doc.status());
  r.res.SetHeader("Content-Disposition", fmt::format("attachment; filename=\"{}\"", file_name));
  r.res.SetContent(*doc, "application/json");
}

}  // namespace

void RegisterFrameworkApiRoutes(Router& router) {
  const Json tags = Json::array({"Frameworks"});
  const std::string base = "/api/v1/frameworks";
  const std::string item = base + R"(/(\d+))";
  const Json file_part = {{"type", "string"},
                          {"contentMediaType", "application/json"},
                          {"description", "an OSCAL 1.1 catalog or profile (JSON)"}};
  // Importing needs records:edit (the use case checks); writing one by hand, the register's
  // write permission. Not rate-limited as an export is: the route also creates records by hand
  // (the import page, which only imports, is).
  const Guard create = WriteGuard(domain::Frameworks());
  router.Post(
      base, create,
      Doc({{"summary",
            "Import a framework (an OSCAL catalog or profile, or a built-in one), or write one"},
           {"description",
            "multipart/form-data: `file`, an OSCAL 1.1 catalog or profile in JSON, and with a "
            "profile `catalog`, the catalog it imports, against which it is resolved "
            "(include-all, include-controls and exclude-controls with ids and patterns, "
            "with-child-controls, set-parameters, alters). Or JSON {\"built_in\": "
            "\"iso27001-2013\"}: ISO/IEC 27001:2013 Annex A, each control mapped to the 2022 "
            "controls it became. One audit event per record written. A document that is not "
            "OSCAL is refused with the place of the problem in it (\"file: "
            "controls[12].id: ...\"). Limits: the server's upload limit, 50,000 controls. "
            "Importing and adding need records:edit. Any other JSON body (without built_in) is "
            "a framework written by hand (FrameworkInput), its controls added through "
            "/api/v1/framework-controls."},
           {"tags", tags},
           {"operationId", "import_oscal_framework"},
           {"requestBody",
            {{"required", true},
             {"content",
              {{"multipart/form-data",
                {{"schema", Object({{"file", file_part}, {"catalog", file_part}}, {"file"})}}},
               {"application/json",
                {{"schema",
                  {{"oneOf", Json::array({Object({{"built_in",
                                                   {{"type", "string"},
                                                    {"enum", {domain::kIso27001_2013}}}}},
                                                 {"built_in"}),
                                          Ref("FrameworkInput")})}}}}}}}}},
           {"responses", Merge({{"201", JsonResponse("the framework", Ref("Framework"))}},
                               ErrorResponses({400, 401, 403, 409, 413}))}}),
      [base](Request& r) {
        Result<domain::Record> rec = Status(Code::kInternal, "not run");
        if (r.http.IsMultipartFormData()) {
          if (!r.http.HasFile("file")) {
            return WriteJsonError(
                r.res, InvalidArgument("send the OSCAL document as a part named \"file\"", "file"));
          }
          app::FrameworkUpload upload{.file = r.http.File("file").content,
                                      .file_name = r.http.File("file").filename};
          if (r.http.HasFile("catalog")) upload.catalog = r.http.File("catalog").content;
          rec = r.services.frameworks.Import(r.principal, upload);
        } else {
          auto body = ParseJsonBody(r.http);
          if (!body.ok()) return WriteJsonError(r.res, body.status());
          if (body->contains("built_in")) {
            if (!(*body)["built_in"].is_string()) {
              return WriteJsonError(
                  r.res, InvalidArgument("built_in must be the name of a built-in framework "
                                         "(iso27001-2013)",
                                         "built_in"));
            }
            rec = r.services.frameworks.AddBuiltIn(r.principal,
                                                   (*body)["built_in"].get<std::string>());
          } else {
            rec = r.services.registers.Create(r.principal, domain::Frameworks(), *body);
          }
        }
        if (rec.ok()) r.res.SetHeader("Location", fmt::format("{}/{}", base, rec->id));
        Respond(r, rec, 201);
      });
  router.Delete(item, WriteGuard(domain::Frameworks()),
                Doc({{"summary", "Delete a framework with its controls and their mapping"},
                     {"description",
                      "What deleting the framework as a record needs, and records:edit when it "
                      "has controls (deleted with it, one audit event each)."},
                     {"tags", tags},
                     {"operationId", "delete_framework"},
                     {"parameters", Json::array({kIfMatch})},
                     {"responses", Merge({{"204", NoContent("deleted")}},
                                         ErrorResponses({401, 403, 404, 412, 428}))}},
                    Json::array({kIdParam})),
                [](Request& r) {
                  auto version = ParseIfMatch(r.http);
                  if (!version.ok()) return WriteJsonError(r.res, version.status());
                  const Status st = r.services.frameworks.Delete(r.principal, r.PathId(), *version);
                  if (!st.ok()) return WriteJsonError(r.res, st);
                  r.res.status = 204;
                });
  router.Get(
      item + "/controls", kRead,
      Doc({{"summary", "A framework's controls with their coverage"},
           {"description",
            "Every control in the framework's order with the applied controls that count for "
            "it (named by it, or linked to one of its Annex A controls) and its coverage, "
            "derived as the Statement of Applicability derives an Annex A control's status. "
            "The summary counts every control; ?coverage= narrows the list."},
           {"tags", tags},
           {"operationId", "framework_coverage"},
           {"parameters",
            Json::array({{{"name", "coverage"},
                          {"in", "query"},
                          {"schema",
                           {{"type", "string"},
                            {"enum", {"implemented", "partial", "none", "withdrawn"}}}}}})},
           {"responses", Merge({{"200", JsonResponse("the coverage", Ref("FrameworkCoverage"))}},
                               ErrorResponses({400, 401, 403, 404}))}},
          Json::array({kIdParam})),
      [](Request& r) {
        auto only = CoverageParam(r.Query("coverage"));
        if (!only.ok()) return WriteJsonError(r.res, only.status());
        auto view = r.services.frameworks.Coverage(r.principal, r.PathId());
        if (!view.ok()) return WriteJsonError(r.res, view.status());
        Json data = Json::array();
        for (const auto& line : view->coverage.lines) {
          if (only->empty() || line.coverage == *only) {
            data.push_back(FrameworkControlLineJson(line));
          }
        }
        WriteJson(r.res, 200,
                  {{"framework", app::RecordToJson(view->framework)},
                   {"summary", FrameworkSummaryJson(view->coverage)},
                   {"data", std::move(data)}});
      });
  router.Get(
      item + "/oscal", kExport,
      Doc({{"summary", "A framework as an OSCAL catalog"},
           {"description",
            "Its controls with their groups, enhancements, statements and guidance; "
            "imported again, it gives the same controls."},
           {"tags", tags},
           {"operationId", "framework_oscal_catalog"},
           {"responses", Merge({{"200", kOscalJson}}, ErrorResponses({400, 401, 403, 404, 429}))}},
          Json::array({kIdParam})),
      [](Request& r) {
        WriteOscal(r, r.services.frameworks.ExportCatalog(r.principal, r.PathId()),
                   fmt::format("framework-{}-catalog.json", r.PathId()));
      });

  struct OscalExport {
    const char* name;
    const char* summary;
    const char* description;
    Result<std::string> (app::FrameworkService::*make)(const app::Principal&);
  };
  static const OscalExport kExports[] = {
      {"catalog", "ISO/IEC 27001:2022 Annex A as an OSCAL catalog",
       "The 93 controls in their four themes with labels and ISO/IEC 27002 attributes "
       "(identifiers and titles only): what the profile and the system security plan refer to.",
       &app::FrameworkService::AnnexACatalog},
      {"profile", "The Statement of Applicability as an OSCAL profile",
       "The applicable Annex A controls selected from the catalog (GET /api/v1/oscal/catalog).",
       &app::FrameworkService::SoaProfile},
      {"ssp", "The ISMS as an OSCAL system security plan",
       "One implemented requirement per applicable Annex A control, implemented by the "
       "applied controls linked to it (their statements, status and responsible roles).",
       &app::FrameworkService::SystemSecurityPlan},
      {"poam", "An OSCAL plan of action and milestones",
       "One item per open treatment action of a risk and per open corrective action of a "
       "nonconformity.",
       &app::FrameworkService::PlanOfActionAndMilestones},
  };
  for (const auto& e : kExports) {
    router.Get(
        std::string("/api/v1/oscal/") + e.name, kExport,
        Doc({{"summary", e.summary},
             {"description",
              std::string(e.description) +
                  " Valid against NIST's OSCAL 1.1 JSON schemas; uuids are derived from "
                  "the records, so an unchanged ISMS exports the same document."},
             {"tags", Json::array({"OSCAL"})},
             {"operationId", std::string("oscal_") + e.name},
             {"responses", Merge({{"200", kOscalJson}}, ErrorResponses({401, 403, 409, 429}))}}),
        [&e](Request& r) {
          WriteOscal(r, (r.services.frameworks.*e.make)(r.principal),
                     fmt::format("rampart-{}.json", e.name));
        });
  }
}

}  // namespace rampart::http
