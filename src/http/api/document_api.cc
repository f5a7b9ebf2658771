// clang-format off
// Routes of documented information (clause 7.5) beyond a register's own, and a person's work:
//   POST  /api/v1/documents/{id}/versions             a new draft (body {"from": version id})
//   GET   /api/v1/documents/{id}/versions             the document's versions, newest first
//   GET   /api/v1/documents/{id}/published            the published version (any reader of
//                                                     records; staff when distributed to them)
//   GET   /api/v1/documents/{id}/acknowledgements     who acknowledged the published version
//   POST  /api/v1/documents/{id}/retire               retire the document (If-Match)
//   PATCH /api/v1/document-versions/{id}/text         edit a draft's text (If-Match)
//   POST  /api/v1/document-versions/{id}/{step}       submit, return, approve, publish (If-Match)
//   GET   /api/v1/document-versions/compare?from=&to= text diff of the body, field diff
//   POST  /api/v1/document-acknowledgements/{id}/acknowledge   the caller's own
//   GET   /api/v1/mandatory-documentation             what the standard requires documented,
//                                                     and what meets each requirement
//   GET   /api/v1/my/work                             what awaits the caller
//   GET   /api/v1/my/documents                        published documents distributed to them
// clang-format on
#include <fmt/format.h>

#include <map>

#include "app/record_codec.h"
#include "domain/documents.h"
#include "domain/mandatory_documents.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;

namespace {

Json LineKind(domain::LineChange::Kind k) {
  switch (k) {
    case domain::LineChange::Kind::kSame:
      return "same";
    case domain::LineChange::Kind::kAdded:
      return "added";
    case domain::LineChange::Kind::kRemoved:
      return "removed";
  }
  return "same";
}

Json PublishedToJson(const app::PublishedDocument& d) {
  Json out = {{"document", app::RecordToJson(d.document)},
              {"reference", domain::DocumentReference(d.document.fields)},
              {"version", app::RecordToJson(d.version)}};
  out["acknowledgement"] =
      d.acknowledgement ? app::RecordToJson(*d.acknowledgement) : Json(nullptr);
  return out;
}

const Json kTags = Json::array({"Documents"});

Json MandatoryToJson(const domain::MandatoryAssessment& a, const std::string& today) {
  Json items = Json::array();
  for (const auto& st : a.items) {
    const auto& q = *st.requirement;
    Json met_by = Json::array();
    for (const auto& e : st.met_by) {
      met_by.push_back({{"type", e.type},
                        {"id", e.id == 0 ? Json() : Json(e.id)},
                        {"title", e.title},
                        {"count", e.id == 0 ? Json(e.count) : Json()},
                        {"date", e.date.empty() ? Json() : Json(e.date)},
                        {"overdue", e.overdue}});
    }
    items.push_back({{"id", q.id},
                     {"clause", q.clause},
                     {"annex_a", q.annex_a},
                     {"title", q.title},
                     {"what", q.what},
                     {"state", domain::MandatoryStateName(st.state)},
                     {"gap", st.gap.empty() ? Json() : Json(st.gap)},
                     {"met_by", std::move(met_by)}});
  }
  return {{"as_of", today},
          {"counts",
           {{"met", a.met},
            {"review_overdue", a.overdue},
            {"gap", a.gaps},
            {"not_applicable", a.not_applicable}}},
          {"requirements", std::move(items)}};
}

void AddMandatoryRoute(Router& router) {
  router.Get("/api/v1/mandatory-documentation", kRead,
             Doc({{"summary", "Mandatory documented information"},
                  {"description",
                   "What ISO/IEC 27001:2022 requires to be documented (its clauses, and the "
                   "Annex A controls asking for documented rules or procedures) and, for each, "
                   "the records or published documents that meet it today, or the gap."},
                  {"tags", kTags},
                  {"operationId", "mandatory_documentation"},
                  {"responses", Merge({{"200", JsonResponse("the requirements and what meets them",
                                                            Ref("MandatoryDocumentation"))}},
                                      ErrorResponses({401, 403}))}}),
             [](Request& r) {
               auto a = r.services.mandatory.Assess(r.principal);
               if (!a.ok()) return WriteJsonError(r.res, a.status());
               WriteJson(r.res, 200, MandatoryToJson(*a, r.services.mandatory.Today()));
             });
}

}  // namespace

void AddDocumentSchemas(Json& schemas) {
  const Json any = {{"type", "object"}};
  schemas["MandatoryDocumentation"] = ObjectOfAll(
      {{"as_of", Described(kDate, "the day the assessment describes")},
       {"counts", ObjectOfAll({{"met", kInteger},
                               {"review_overdue", kInteger},
                               {"gap", kInteger},
                               {"not_applicable", kInteger}})},
       {"requirements",
        ArrayOf(ObjectOfAll(
            {{"id", Described(kString, "4.3, 6.1.3-2 (the clause's second item), A.5.37")},
             {"clause", Described(kString, "the clause, or the Annex A control")},
             {"annex_a", kBoolean},
             {"title", Described(kString, "the clause's or control's title")},
             {"what", Described(kString, "what is to be documented")},
             {"state",
              {{"type", "string"},
               {"enum", {"met", "review_overdue", "gap", "not_applicable"}},
               {"description",
                "met: a record or a published document in date meets it; review_overdue: only "
                "documents past their next review do; gap: nothing does; not_applicable: an "
                "Annex A control the SoA excludes"}}},
             {"gap", Described(OrNull(kString), "what is missing")},
             {"met_by",
              ArrayOf(ObjectOfAll(
                  {{"type", Described(kString,
                                      "a record type, or soa (id: the version number) or "
                                      "treatment_plan")},
                   {"id", Described(OrNull(kInteger), "null for a count of records")},
                   {"title", kString},
                   {"count", OrNull(kInteger)},
                   {"date", Described(OrNull(kDate), "published or approved on")},
                   {"overdue", Described(kBoolean, "a document past its next review")}}))}}))}});
  schemas["PublishedDocument"] =
      ObjectOfAll({{"document", Described(any, "the document")},
                   {"reference", Described(kString, "its number, e.g. POL-001")},
                   {"version", Described(any, "its published version")},
                   {"acknowledgement", OrNull(any)}});
  schemas["AcknowledgementSummary"] = ObjectOfAll(
      {{"version_id", OrNull(kInteger)},
       {"version_number", OrNull(kInteger)},
       {"asked", kInteger},
       {"acknowledged", kInteger},
       {"rate", Described(OrNull({{"type", "number"}}), "acknowledged / asked, 0 to 1")},
       {"waiting", ArrayOf(any)}});
  schemas["DocumentVersionComparison"] = ObjectOfAll(
      {{"from", any},
       {"to", any},
       {"fields", ArrayOf(ObjectOfAll({{"name", kString},
                                       {"label", kString},
                                       {"changed", kBoolean},
                                       {"from", Json::object()},
                                       {"to", Json::object()}}))},
       {"text", ArrayOf(ObjectOfAll(
                    {{"change", {{"type", "string"}, {"enum", {"same", "added", "removed"}}}},
                     {"line", kString}}))}});
  schemas["MyWork"] = ObjectOfAll(
      {{"acknowledgements", ArrayOf(any)},
       {"awareness", Described(ArrayOf(any), "awareness campaigns to complete, soonest due first")},
       {"tasks", Described(ArrayOf(any),
                           "the caller's open and in-progress tasks, soonest due first (readers of "
                           "records)")},
       {"approvals", ArrayOf(any)},
       {"reviews", ArrayOf(ObjectOfAll({{"register", kString}, {"record", any}}))}});
}

void RegisterDocumentApiRoutes(Router& router) {
  const std::string docs = "/api/v1/documents";
  const std::string versions = "/api/v1/document-versions";
  const Json version = Ref(SchemaName(domain::DocumentVersions()));
  const Json document = Ref(SchemaName(domain::Documents()));
  AddMandatoryRoute(router);

  router.Post(
      docs + R"(/(\d+)/versions)", Guard::Needs(domain::Permission::kEditOwnRecords),
      Doc({{"summary", "Start a new draft of a document"},
           {"description",
            "One version is in preparation at a time. The draft copies the text of `from` (a "
            "version of the document), else of the published version, else of the latest."},
           {"tags", kTags},
           {"operationId", "new_document_draft"},
           {"requestBody",
            JsonBody(
                Object({{"from", Described(kInteger, "a version to start from")}}, Json::array()))},
           {"responses", Merge({{"201", JsonResponse("the new draft", version)}},
                               ErrorResponses({400, 401, 403, 404, 409}))}},
          Json::array({kIdParam})),
      [](Request& r) {
        int64_t from = 0;
        if (!r.http.body.empty()) {
          auto body = ParseJsonBody(r.http);
          if (!body.ok()) return WriteJsonError(r.res, body.status());
          if (body->contains("from")) {
            if (!(*body)["from"].is_number_integer()) {
              return WriteJsonError(r.res,
                                    InvalidArgument("from must be the id of a version", "from"));
            }
            from = (*body)["from"].get<int64_t>();
          }
        }
        Respond(r, r.services.documents.NewDraft(r.principal, r.PathId(), from), 201);
      });
  router.Get(docs + R"(/(\d+)/versions)", kRead,
             Doc({{"summary", "The versions of a document, newest first"},
                  {"tags", kTags},
                  {"operationId", "list_document_versions_of"},
                  {"responses",
                   Merge({{"200", JsonResponse("the versions",
                                               DataOf(SchemaName(domain::DocumentVersions())))}},
                         ErrorResponses({401, 403, 404}))}},
                 Json::array({kIdParam})),
             [](Request& r) {
               auto list = r.services.documents.Versions(r.principal, r.PathId());
               if (!list.ok()) return WriteJsonError(r.res, list.status());
               WriteJson(r.res, 200, {{"data", Records(std::move(*list))}});
             });
  router.Get(docs + R"(/(\d+)/published)", Guard::Account(),
             Doc({{"summary", "The published version of a document"},
                  {"description",
                   "For readers of records; for others (staff) only a document distributed to "
                   "them, with their acknowledgement of this version."},
                  {"tags", kTags},
                  {"operationId", "published_document"},
                  {"responses", Merge({{"200", JsonResponse("the document and its published "
                                                            "version",
                                                            Ref("PublishedDocument"))}},
                                      ErrorResponses({401, 404}))}},
                 Json::array({kIdParam})),
             [](Request& r) {
               auto d = r.services.documents.Published(r.principal, r.PathId());
               if (!d.ok()) return WriteJsonError(r.res, d.status());
               WriteJson(r.res, 200, PublishedToJson(*d));
             });
  router.Get(docs + R"(/(\d+)/acknowledgements)", kRead,
             Doc({{"summary", "Who has acknowledged the published version"},
                  {"tags", kTags},
                  {"operationId", "document_acknowledgements_summary"},
                  {"responses",
                   Merge({{"200", JsonResponse("the summary", Ref("AcknowledgementSummary"))}},
                         ErrorResponses({401, 403, 404}))}},
                 Json::array({kIdParam})),
             [](Request& r) {
               auto s = r.services.documents.Acknowledgements(r.principal, r.PathId());
               if (!s.ok()) return WriteJsonError(r.res, s.status());
               Json out = {
                   {"version_id", s->version_id == 0 ? Json() : Json(s->version_id)},
                   {"version_number", s->version_id == 0 ? Json() : Json(s->version_number)},
                   {"asked", s->asked},
                   {"acknowledged", s->acknowledged},
                   {"waiting", Records(s->waiting)}};
               out["rate"] =
                   s->asked == 0
                       ? Json()
                       : Json(static_cast<double>(s->acknowledged) / static_cast<double>(s->asked));
               WriteJson(r.res, 200, out);
             });
  router.Post(docs + R"(/(\d+)/retire)", Guard::Needs(domain::Permission::kEditRecords),
              Doc({{"summary", "Retire a document and its versions"},
                   {"tags", kTags},
                   {"operationId", "retire_document"},
                   {"parameters", Json::array({kIfMatch})},
                   {"responses", Merge({{"200", JsonResponse("the retired document", document)}},
                                       ErrorResponses({401, 403, 404, 409, 412, 428}))}},
                  Json::array({kIdParam})),
              [](Request& r) {
                auto expected = ParseIfMatch(r.http);
                if (!expected.ok()) return WriteJsonError(r.res, expected.status());
                Respond(r, r.services.documents.Retire(r.principal, r.PathId(), *expected));
              });

  router.Get(
      versions + "/compare", kRead,
      Doc({{"summary", "Compare two versions of a document"},
           {"description",
            "The text line by line (`same`, `removed`, `added`) and every other field."},
           {"tags", kTags},
           {"operationId", "compare_document_versions"},
           {"parameters", Json::array({{{"name", "from"},
                                        {"in", "query"},
                                        {"required", true},
                                        {"schema", {{"type", "integer"}, {"minimum", 1}}}},
                                       {{"name", "to"},
                                        {"in", "query"},
                                        {"required", true},
                                        {"schema", {{"type", "integer"}, {"minimum", 1}}}}})},
           {"responses",
            Merge({{"200", JsonResponse("the comparison", Ref("DocumentVersionComparison"))}},
                  ErrorResponses({400, 401, 403, 404}))}}),
      [](Request& r) {
        auto from = VersionIdParam(r, "from");
        if (!from.ok()) return WriteJsonError(r.res, from.status());
        auto to = VersionIdParam(r, "to");
        if (!to.ok()) return WriteJsonError(r.res, to.status());
        auto c = r.services.documents.Compare(r.principal, *from, *to);
        if (!c.ok()) return WriteJsonError(r.res, c.status());
        Json fields = Json::array();
        for (const auto& f : c->fields) {
          fields.push_back({{"name", f.field->name},
                            {"label", f.field->label},
                            {"changed", f.changed},
                            {"from", f.from},
                            {"to", f.to}});
        }
        Json text = Json::array();
        for (const auto& l : c->text)
          text.push_back({{"change", LineKind(l.kind)}, {"line", l.text}});
        WriteJson(r.res, 200,
                  {{"from", app::RecordToJson(c->from)},
                   {"to", app::RecordToJson(c->to)},
                   {"fields", std::move(fields)},
                   {"text", std::move(text)}});
      });
  router.Patch(
      versions + R"(/(\d+)/text)", Guard::Needs(domain::Permission::kEditOwnRecords),
      Doc({{"summary", "Edit a draft's text and summary of changes"},
           {"tags", kTags},
           {"operationId", "edit_document_draft"},
           {"parameters", Json::array({kIfMatch})},
           {"requestBody",
            JsonBody(Object({{"body", kString}, {"change_summary", kString}}, Json::array()))},
           {"responses", Merge({{"200", JsonResponse("the draft", version)}},
                               ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}},
          Json::array({kIdParam})),
      [](Request& r) {
        auto expected = ParseIfMatch(r.http);
        if (!expected.ok()) return WriteJsonError(r.res, expected.status());
        auto body = ParseJsonBody(r.http);
        if (!body.ok()) return WriteJsonError(r.res, body.status());
        Respond(r, r.services.documents.EditDraft(r.principal, r.PathId(), *expected, *body));
      });
  for (const auto step :
       {app::DocumentService::Step::kSubmit, app::DocumentService::Step::kReturn,
        app::DocumentService::Step::kApprove, app::DocumentService::Step::kPublish}) {
    const std::string name = app::DocumentService::StepName(step);
    static const std::map<std::string, std::string> kSummaries = {
        {"submit", "Submit a draft for review"},
        {"return", "Return a version in review or approved to draft"},
        {"approve",
         "Approve a version in review (policies by top management; never by who submitted it), "
         "recording the SHA-256 of what was approved"},
        {"publish",
         "Publish an approved version: readers see it, the one published before is retired, and "
         "everyone in the document's distribution is asked to acknowledge it"}};
    router.Post(versions + R"(/(\d+)/)" + name, Guard::Needs(domain::Permission::kReadRecords),
                Doc({{"summary", kSummaries.at(name)},
                     {"tags", kTags},
                     {"operationId", name + "_document_version"},
                     {"parameters", Json::array({kIfMatch})},
                     {"responses", Merge({{"200", JsonResponse("the version", version)}},
                                         ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}},
                    Json::array({kIdParam})),
                [step](Request& r) {
                  auto expected = ParseIfMatch(r.http);
                  if (!expected.ok()) return WriteJsonError(r.res, expected.status());
                  Respond(r,
                          r.services.documents.Advance(r.principal, r.PathId(), *expected, step));
                });
  }
  router.Post(
      "/api/v1/document-acknowledgements" + std::string(R"(/(\d+)/acknowledge)"), Guard::Account(),
      Doc({{"summary", "Acknowledge a published document you were asked to read"},
           {"tags", kTags},
           {"operationId", "acknowledge_document"},
           {"responses",
            Merge({{"200", JsonResponse("the acknowledgement",
                                        Ref(SchemaName(domain::DocumentAcknowledgements())))}},
                  ErrorResponses({401, 403, 404, 409}))}},
          Json::array({kIdParam})),
      [](Request& r) { Respond(r, r.services.documents.Acknowledge(r.principal, r.PathId())); });

  router.Get(
      "/api/v1/my/work", Guard::Account(),
      Doc({{"summary", "What awaits the caller"},
           {"description",
            "Documents to acknowledge and awareness campaigns to complete; for readers of "
            "records also their open tasks, versions in review "
            "they may approve and records they own whose review is due."},
           {"tags", Json::array({"My work"})},
           {"operationId", "my_work"},
           {"responses", Merge({{"200", JsonResponse("the caller's work", Ref("MyWork"))}},
                               ErrorResponses({401}))}}),
      [](Request& r) {
        auto w = r.services.documents.Work(r.principal);
        if (!w.ok()) return WriteJsonError(r.res, w.status());
        auto awareness = r.services.awareness.Mine(r.principal);
        if (!awareness.ok()) return WriteJsonError(r.res, awareness.status());
        auto tasks = r.services.tasks.Mine(r.principal);
        if (!tasks.ok()) return WriteJsonError(r.res, tasks.status());
        Json reviews = Json::array();
        for (const auto& d : w->reviews) {
          reviews.push_back({{"register", d.spec->path}, {"record", app::RecordToJson(d.record)}});
        }
        WriteJson(r.res, 200,
                  {{"acknowledgements", Records(w->acknowledgements)},
                   {"awareness", Records(*awareness)},
                   {"tasks", Records(*tasks)},
                   {"approvals", Records(w->approvals)},
                   {"reviews", std::move(reviews)}});
      });
  router.Get(
      "/api/v1/my/documents", Guard::Account(),
      Doc({{"summary", "The published documents distributed to the caller"},
           {"tags", Json::array({"My work"})},
           {"operationId", "my_documents"},
           {"responses",
            Merge({{"200",
                    JsonResponse("the documents",
                                 {{"type", "object"},
                                  {"properties", {{"data", ArrayOf(Ref("PublishedDocument"))}}}})}},
                  ErrorResponses({401}))}}),
      [](Request& r) {
        auto docs = r.services.documents.MyDocuments(r.principal);
        if (!docs.ok()) return WriteJsonError(r.res, docs.status());
        Json data = Json::array();
        for (const auto& d : *docs) data.push_back(PublishedToJson(d));
        WriteJson(r.res, 200, {{"data", std::move(data)}});
      });
}

}  // namespace rampart::http
