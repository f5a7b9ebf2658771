// Clause 7 beyond the register routes (which /api/v1/resources, /competence-requirements and
// /competence-records get from their descriptions):
//   GET /api/v1/competence-matrix   the people holding ISMS roles against the competence their
//                                   roles require: met, expiring, planned, missing, not required
#include "http/api/support_api.h"

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
}

void RegisterSupportApiRoutes(Router& router) {
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
