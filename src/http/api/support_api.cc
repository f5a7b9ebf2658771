// Clause 7 beyond the register routes (which /api/v1/resources, /competence-requirements and
// /competence-records get from their descriptions):
//   GET /api/v1/competence-matrix   the people holding ISMS roles against the competence their
//                                   roles require: met, expiring, planned, missing, not required
//   GET  /api/v1/communications/{id}/log   the log of one communication (its entries, newest
//   POST /api/v1/communications/{id}/log   first), and adding an entry to it
//   POST /api/v1/awareness-campaigns/{id}/launch    ask the campaign's audience to complete it
//                                                   (again: ask those who joined it since)
//   POST /api/v1/awareness-campaigns/{id}/close     nobody more asked; pending ones not completed
//   GET  /api/v1/awareness-campaigns/{id}/progress  asked, completed, overdue, who has not
//   POST /api/v1/awareness-completions/{id}/complete  the caller completes their own
//   GET  /api/v1/my/awareness                       the caller's awareness record
#include "http/api/support_api.h"

#include <fmt/format.h>

#include "app/record_codec.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;

namespace {

Json OrNullText(const std::string& s) { return s.empty() ? Json() : Json(s); }

std::string NameOf(int64_t id, const std::vector<domain::UserSummary>& members) {
  for (const auto& m : members) {
    if (m.id == id) return m.display_name.empty() ? m.username : m.display_name;
  }
  return "user " + std::to_string(id);
}

}  // namespace

Json CompetenceMatrixToJson(const domain::CompetenceMatrix& m,
                            const std::vector<domain::UserSummary>& members,
                            const std::string& today) {
  Json people = Json::array();
  for (const int64_t id : m.people) people.push_back({{"id", id}, {"name", NameOf(id, members)}});
  Json requirements = Json::array();
  for (const auto& q : m.requirements) {
    const int64_t role = q.fields["role"].get<int64_t>();
    requirements.push_back({{"id", q.id},
                            {"title", q.fields["title"]},
                            {"level", q.fields["level"]},
                            {"role", role},
                            {"role_name", m.role_names.at(role)}});
  }
  Json rows = Json::array();
  for (size_t i = 0; i < m.people.size(); ++i) {
    Json cells = Json::array();
    for (size_t j = 0; j < m.requirements.size(); ++j) {
      const auto& c = m.cells[i][j];
      cells.push_back({{"requirement", m.requirements[j].id},
                       {"state", domain::CompetenceStateName(c.state)},
                       {"record", c.record == 0 ? Json() : Json(c.record)},
                       {"valid_until", OrNullText(c.valid_until)},
                       {"due", OrNullText(c.due)}});
    }
    rows.push_back({{"person", m.people[i]}, {"cells", cells}});
  }
  return {{"as_of", today},
          {"people", people},
          {"requirements", requirements},
          {"rows", rows},
          {"counts",
           {{"met", m.met},
            {"expiring", m.expiring},
            {"planned", m.planned},
            {"missing", m.missing},
            {"gaps", m.Gaps()}}}};
}

void AddAwarenessSchemas(Json& schemas);

void AddSupportSchemas(Json& schemas) {
  const Json state = {
      {"type", "string"},
      {"enum", {"met", "expiring", "planned", "missing", "not_required"}},
      {"description",
       "met: a completed record valid today; expiring: its validity ends within 60 days; "
       "planned: not met, a planned record is the action; missing: not met, nothing planned; "
       "not_required: the person does not hold the requirement's role"}};
  schemas["CompetenceMatrix"] = ObjectOfAll(
      {{"as_of", Described(kDate, "the day the matrix describes")},
       {"people", ArrayOf(ObjectOfAll({{"id", kInteger}, {"name", kString}}))},
       {"requirements", ArrayOf(ObjectOfAll({{"id", kInteger},
                                             {"title", kString},
                                             {"level", kString},
                                             {"role", kInteger},
                                             {"role_name", kString}}))},
       {"rows",
        ArrayOf(ObjectOfAll(
            {{"person", kInteger},
             {"cells", ArrayOf(ObjectOfAll({{"requirement", kInteger},
                                            {"state", state},
                                            {"record", Described(OrNull(kInteger),
                                                                 "the record deciding the state")},
                                            {"valid_until", OrNull(kDate)},
                                            {"due", OrNull(kDate)}}))}}))},
       {"counts", ObjectOfAll({{"met", kInteger},
                               {"expiring", kInteger},
                               {"planned", kInteger},
                               {"missing", kInteger},
                               {"gaps", Described(kInteger, "planned and missing cells")}})}});
  AddAwarenessSchemas(schemas);
}

void AddAwarenessSchemas(Json& schemas) {
  const Json completion = Ref(SchemaName(domain::AwarenessCompletions()));
  schemas["AwarenessLaunch"] =
      ObjectOfAll({{"campaign", Ref(SchemaName(domain::AwarenessCampaigns()))},
                   {"invited", Described(kInteger, "people asked to complete it by this call")}});
  schemas["AwarenessProgress"] = ObjectOfAll(
      {{"asked", kInteger},
       {"completed", kInteger},
       {"rate",
        Described(OrNull({{"type", "number"}}), "completed / asked; null when nobody was asked")},
       {"overdue", Described(kInteger, "still to complete after the due date")},
       {"waiting", Described(ArrayOf(completion),
                             "who has not completed it (to complete, or not completed when "
                             "closed), by person; the first 200")}});
}

void AddAwarenessRoutes(Router& router) {
  const std::string campaigns = "/api/v1/" + domain::AwarenessCampaigns().path;
  const Json tags = Json::array({domain::AwarenessCampaigns().plural});
  const Json campaign = Ref(SchemaName(domain::AwarenessCampaigns()));
  router.Post(
      campaigns + R"(/(\d+)/launch)", Guard::Needs(domain::Permission::kEditOwnRecords),
      Doc({{"summary", "Launch an awareness campaign, or invite who joined its audience since"},
           {"description",
            "A planned campaign becomes launched and each active member of its audience "
            "(membership roles, holders of its ISMS roles, named people) is asked to complete "
            "it, in one write. On a launched campaign, asks only those not asked yet; "
            "invited 0 when there is nobody new."},
           {"tags", tags},
           {"operationId", "launch_awareness_campaign"},
           {"parameters", Json::array({kIfMatch})},
           {"responses", Merge({{"200", JsonResponse("the campaign", Ref("AwarenessLaunch"))}},
                               ErrorResponses({401, 403, 404, 409, 412, 428}))}},
          Json::array({kIdParam})),
      [](Request& r) {
        auto expected = ParseIfMatch(r.http);
        if (!expected.ok()) return WriteJsonError(r.res, expected.status());
        auto done = r.services.awareness.Launch(r.principal, r.PathId(), *expected);
        if (!done.ok()) return WriteJsonError(r.res, done.status());
        r.res.SetHeader("ETag", ETagFor(done->campaign.version));
        WriteJson(r.res, 200,
                  {{"campaign", app::RecordToJson(done->campaign)}, {"invited", done->invited}});
      });
  router.Post(campaigns + R"(/(\d+)/close)", Guard::Needs(domain::Permission::kEditOwnRecords),
              Doc({{"summary", "Close an awareness campaign"},
                   {"description",
                    "Nobody more is asked; who has not completed it is recorded as not "
                    "completed, in the same write."},
                   {"tags", tags},
                   {"operationId", "close_awareness_campaign"},
                   {"parameters", Json::array({kIfMatch})},
                   {"responses", Merge({{"200", JsonResponse("the closed campaign", campaign)}},
                                       ErrorResponses({401, 403, 404, 409, 412, 428}))}},
                  Json::array({kIdParam})),
              [](Request& r) {
                auto expected = ParseIfMatch(r.http);
                if (!expected.ok()) return WriteJsonError(r.res, expected.status());
                Respond(r, r.services.awareness.Close(r.principal, r.PathId(), *expected));
              });
  router.Get(
      campaigns + R"(/(\d+)/progress)", kRead,
      Doc({{"summary", "Who has completed an awareness campaign"},
           {"tags", tags},
           {"operationId", "awareness_campaign_progress"},
           {"responses", Merge({{"200", JsonResponse("the progress", Ref("AwarenessProgress"))}},
                               ErrorResponses({401, 403, 404}))}},
          Json::array({kIdParam})),
      [](Request& r) {
        auto p = r.services.awareness.Progress(r.principal, r.PathId());
        if (!p.ok()) return WriteJsonError(r.res, p.status());
        WriteJson(r.res, 200,
                  {{"asked", p->asked},
                   {"completed", p->completed},
                   {"rate", p->asked == 0 ? Json()
                                          : Json(static_cast<double>(p->completed) /
                                                 static_cast<double>(p->asked))},
                   {"overdue", p->overdue},
                   {"waiting", Records(p->waiting)}});
      });
  const Json completion = Ref(SchemaName(domain::AwarenessCompletions()));
  router.Post(
      "/api/v1/" + domain::AwarenessCompletions().path + R"(/(\d+)/complete)", Guard::Account(),
      Doc({{"summary", "Complete an awareness campaign you were asked to complete"},
           {"tags", Json::array({"My work"})},
           {"operationId", "complete_awareness"},
           {"responses", Merge({{"200", JsonResponse("the completion", completion)}},
                               ErrorResponses({401, 403, 404, 409}))}},
          Json::array({kIdParam})),
      [](Request& r) { Respond(r, r.services.awareness.Complete(r.principal, r.PathId())); });
  router.Get(
      "/api/v1/my/awareness", Guard::Account(),
      Doc({{"summary", "The caller's awareness record"},
           {"description",
            "Every awareness campaign the caller was asked to complete, newest first "
            "(the last 100): to complete, completed, or not completed."},
           {"tags", Json::array({"My work"})},
           {"operationId", "my_awareness"},
           {"responses",
            Merge({{"200", JsonResponse("the completions",
                                        DataOf(SchemaName(domain::AwarenessCompletions())))}},
                  ErrorResponses({401}))}}),
      [](Request& r) {
        auto mine = r.services.awareness.History(r.principal);
        if (!mine.ok()) return WriteJsonError(r.res, mine.status());
        WriteJson(r.res, 200, {{"data", Records(std::move(*mine))}});
      });
}

void RegisterSupportApiRoutes(Router& router) {
  AddRecordLogRoutes(router, app::CommunicationLogOf(),
                     {.segment = "log",
                      .list_summary = "The log of a communication",
                      .add_summary = "Add an entry to a communication's log"});
  AddAwarenessRoutes(router);
  router.Get(
      "/api/v1/competence-matrix", kRead,
      Doc({{"summary", "The competence matrix"},
           {"description",
            "One row per person holding an active ISMS role, one column per active "
            "competence requirement of such a role; each cell says whether the person's "
            "competence records meet it today. Gaps are the planned and missing cells."},
           {"tags", Json::array({domain::CompetenceRecords().plural})},
           {"operationId", "competence_matrix"},
           {"responses", Merge({{"200", JsonResponse("the matrix", Ref("CompetenceMatrix"))}},
                               ErrorResponses({401, 403}))}}),
      [](Request& r) {
        auto matrix = r.services.competence.Matrix(r.principal);
        if (!matrix.ok()) return WriteJsonError(r.res, matrix.status());
        auto members = r.services.registers.Members(r.principal);
        if (!members.ok()) return WriteJsonError(r.res, members.status());
        WriteJson(r.res, 200,
                  CompetenceMatrixToJson(*matrix, *members, r.services.competence.Today()));
      });
}

}  // namespace rampart::http
