// Clause 9.3 beyond the register routes (which /api/v1/management-reviews gets from its
// description):
//   GET  /api/v1/management-reviews/inputs?date=          the inputs a review of that date
//                                                         would be given now (a preview)
//   POST /api/v1/management-reviews/{id}/approve          top management approves the minutes
//   POST /api/v1/management-reviews/{id}/decisions/{i}/follow-up
//                                                         decision i (from 0) becomes a task,
//                                                         planned change, objective or
//                                                         improvement, named by the decision
#include <fmt/format.h>

#include "base/clock.h"
#include "domain/management_review.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using domain::Json;

void AddManagementReviewSchemas(Json& schemas) {
  Json topics = Json::array();
  for (const auto& t : domain::ReviewTopics()) topics.push_back(std::string(t.value));
  schemas["ManagementReviewInputs"] = ObjectOfAll(
      {{"date", kDate},
       {"inputs",
        ArrayOf(ObjectOfAll(
            {{"topic", {{"type", "string"}, {"enum", topics}}},
             {"label", kString},
             {"clause", Described(kString, "the item of clause 9.3.2 (\"9.3.2 d) 1)\")")},
             {"summary", Described(kString, "Markdown linking the records (/register/id)")}}))}});
}

void RegisterManagementReviewApiRoutes(Router& router) {
  const domain::RegisterSpec& spec = domain::ManagementReviews();
  const std::string base = "/api/v1/" + spec.path;
  const Json tags = Json::array({spec.plural});
  const Json review = Ref(SchemaName(spec));
  router.Get(
      base + "/inputs", kRead,
      Doc({{"summary", "The inputs of a management review, as Rampart would write them now"},
           {"description",
            "One entry per input of clause 9.3.2, each a Markdown summary of the records: what "
            "happened since the previous review held before `date` and where things stand. A "
            "draft review's snapshot is this, taken at each change; a held review's is frozen."},
           {"tags", tags},
           {"operationId", "management_review_inputs"},
           {"parameters", Json::array({{{"name", "date"},
                                        {"in", "query"},
                                        {"required", true},
                                        {"description", "the review's date, YYYY-MM-DD"},
                                        {"schema", kDate}}})},
           {"responses", Merge({{"200", JsonResponse("the inputs", Ref("ManagementReviewInputs"))}},
                               ErrorResponses({400, 401, 403}))}}),
      [](Request& r) {
        const std::string date = r.Query("date");
        if (!IsValidDate(date)) {
          return WriteJsonError(r.res, Status(Code::kInvalidArgument,
                                              "give the review's date as YYYY-MM-DD", "date"));
        }
        auto rows = r.services.reviews.Inputs(r.principal, date);
        if (!rows.ok()) return WriteJsonError(r.res, rows.status());
        Json inputs = Json::array();
        for (size_t i = 0; i < rows->size(); ++i) {
          const auto& t = domain::ReviewTopics()[i];
          inputs.push_back({{"topic", std::string(t.value)},
                            {"label", std::string(t.label)},
                            {"clause", std::string(t.clause)},
                            {"summary", (*rows)[i]["summary"]}});
        }
        WriteJson(r.res, 200, {{"date", date}, {"inputs", std::move(inputs)}});
      });
  router.Post(
      base + R"(/(\d+)/approve)", Guard::Needs(domain::Permission::kApprove),
      Doc({{"summary", "Approve the minutes of a management review"},
           {"description",
            "Top management (documents:approve) approves the minutes of a held review: every "
            "input has a comment, the minutes are written and at least one decision is "
            "recorded. Stamps approved_by and approved_on and logs each executive attendee's "
            "attendance in the commitments log, in one write."},
           {"tags", tags},
           {"operationId", "approve_management_review"},
           {"parameters", Json::array({kIfMatch})},
           {"responses", Merge({{"200", JsonResponse("the approved review", review)}},
                               ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}},
          Json::array({kIdParam})),
      [](Request& r) {
        auto expected = ParseIfMatch(r.http);
        if (!expected.ok()) return WriteJsonError(r.res, expected.status());
        Respond(r, r.services.reviews.Approve(r.principal, r.PathId(), *expected));
      });
  router.Post(
      base + R"(/(\d+)/decisions/(\d+)/follow-up)",
      Guard::Needs(domain::Permission::kEditOwnRecords),
      Doc({{"summary", "Follow a management review's decision up"},
           {"description",
            "Creates the record the decision's kind asks for — a task of the review, a planned "
            "change, an objective or an improvement — titled by the decision, with its owner and "
            "due date, and names it in the decision's follow_up, in one write. The review is "
            "held or approved. A refusal of the created record's rules names the decision's "
            "column (decisions[2].due)."},
           {"tags", tags},
           {"operationId", "follow_up_management_review_decision"},
           {"parameters", Json::array({kIfMatch})},
           {"responses",
            Merge({{"201", JsonResponse("the created record: a task, planned change, objective or "
                                        "improvement",
                                        {{"type", "object"}})}},
                  ErrorResponses({400, 401, 403, 404, 409, 412, 428}))}},
          Json::array({kIdParam, PathParam("index", "the decision's place, from 0")})),
      [](Request& r) {
        auto expected = ParseIfMatch(r.http);
        if (!expected.ok()) return WriteJsonError(r.res, expected.status());
        const int64_t index = r.PathId(2);
        auto created = r.services.reviews.FollowUp(
            r.principal, r.PathId(), index > 10000 ? 10000 : static_cast<int>(index), *expected);
        Respond(r, created, 201);
      });
}

}  // namespace rampart::http
