// Readiness for certification (issue 15):
//   GET /api/v1/readiness[?as_of=YYYY-MM-DD]   every check with its result, the summary per
//                                              clause; as of an earlier day from the audit trail
//   GET /api/v1/readiness/history[?days=N]     the summaries kept, one per day, oldest first
#include <fmt/format.h>

#include "app/readiness_service.h"
#include "domain/readiness.h"
#include "http/api/api.h"
#include "http/api/api_doc.h"
#include "http/api/api_util.h"
#include "http/errors.h"

namespace rampart::http {

using nlohmann::json;

json ReadinessToJson(const domain::Readiness& r) {
  json checks = json::array();
  for (const auto& res : r.results) {
    const auto& c = *res.check;
    json offenders = json::array();
    for (const auto& o : res.offenders) {
      offenders.push_back({{"type", o.type},
                           {"id", o.id == 0 ? json() : json(o.id)},
                           {"key", o.key.empty() ? json() : json(o.key)},
                           {"title", o.title},
                           {"href", domain::OffenderHref(o)}});
    }
    checks.push_back({{"id", c.id},
                      {"clause", c.clause},
                      {"group", domain::ReadinessGroup(c)},
                      {"severity", domain::SeverityName(c.severity)},
                      {"title", c.title},
                      {"looks_at", c.looks_at},
                      {"fix", c.fix},
                      {"fix_href", c.fix_href},
                      {"register", c.spec != nullptr ? json(c.spec->type) : json()},
                      {"passed", res.passed},
                      {"count", res.count},
                      {"count_capped", res.count_capped},
                      {"detail", res.detail.empty() ? json() : json(res.detail)},
                      {"offenders", std::move(offenders)}});
  }
  json groups = json::array();
  for (const auto& g : r.groups) {
    groups.push_back({{"id", g.id},
                      {"title", g.title},
                      {"percent", g.Percent()},
                      {"checks", g.checks},
                      {"passed", g.passed},
                      {"blockers", g.blockers},
                      {"majors", g.majors},
                      {"minors", g.minors}});
  }
  return {{"as_of", r.as_of},
          {"historical", r.historical},
          {"percent", r.Percent()},
          {"checks_passed", r.passed},
          {"checks_total", static_cast<int64_t>(r.results.size())},
          {"outstanding", {{"blockers", r.blockers}, {"majors", r.majors}, {"minors", r.minors}}},
          {"groups", std::move(groups)},
          {"checks", std::move(checks)}};
}

void AddReadinessSchemas(json& schemas) {
  const json counts =
      ObjectOfAll({{"blockers", kInteger}, {"majors", kInteger}, {"minors", kInteger}});
  schemas["Readiness"] = ObjectOfAll(
      {{"as_of", Described(kDate, "the day described")},
       {"historical",
        Described(kBoolean, "reconstructed from the audit trail (as_of before today)")},
       {"percent", Described(kInteger,
                             "checks passed weighted by severity (blocker 5, major 3, "
                             "minor 1), 0-100")},
       {"checks_passed", kInteger},
       {"checks_total", kInteger},
       {"outstanding", Described(counts, "failed checks by severity")},
       {"groups", ArrayOf(ObjectOfAll({{"id", Described(kString,
                                                        "the clause \"4\" ... \"10\", or \"A\" "
                                                        "for Annex A")},
                                       {"title", kString},
                                       {"percent", kInteger},
                                       {"checks", kInteger},
                                       {"passed", kInteger},
                                       {"blockers", kInteger},
                                       {"majors", kInteger},
                                       {"minors", kInteger}}))},
       {"checks",
        ArrayOf(ObjectOfAll(
            {{"id", Described(kString, "stable: 6.1.3-soa-approved")},
             {"clause", Described(kString, "the clause, or the Annex A control (A.5.9)")},
             {"group", kString},
             {"severity", {{"type", "string"}, {"enum", {"blocker", "major", "minor"}}}},
             {"title", Described(kString, "what must be true")},
             {"looks_at", Described(kString, "what the check reads")},
             {"fix", Described(kString, "what to do when it fails")},
             {"fix_href", Described(kString, "where that is done in the app, a path")},
             {"register", Described(OrNull(kString), "the register a query check reads")},
             {"passed", kBoolean},
             {"count", Described(kInteger,
                                 "offending records, or those found when some must "
                                 "exist")},
             {"count_capped", Described(kBoolean, "more offenders than count (10,000)")},
             {"detail", Described(OrNull(kString), "a failure in words")},
             {"offenders",
              ArrayOf(ObjectOfAll(
                  {{"type", Described(kString, "a record type, soa, or mandatory")},
                   {"id", OrNull(kInteger)},
                   {"key", Described(OrNull(kString), "an Annex A control or requirement id")},
                   {"title", kString},
                   {"href", Described(kString, "its page in the app, a path")}}))}}))}});
  schemas["ReadinessHistory"] = ObjectOfAll(
      {{"data", ArrayOf(ObjectOfAll(
                    {{"day", kDate},
                     {"percent", kInteger},
                     {"blockers", kInteger},
                     {"majors", kInteger},
                     {"minors", kInteger},
                     {"groups", Described(json{{"type", "object"}},
                                          "percent per clause (\"4\" ... \"10\", \"A\")")}}))}});
}

void RegisterReadinessApiRoutes(Router& router) {
  const json tags = json::array({"Readiness"});
  router.Get(
      "/api/v1/readiness", kRead,
      Doc({{"summary", "Readiness for certification"},
           {"description",
            "Every readiness check over clauses 4 to 10 and the Statement of Applicability, "
            "computed from the records: whether it passes, the offending records (the first 5, "
            "linked) and the fix; per clause the share passed weighted by severity. With "
            "`as_of`, the readiness at the end of that day, reconstructed from the audit trail."},
           {"tags", tags},
           {"operationId", "readiness"},
           {"parameters",
            json::array({{{"name", "as_of"},
                          {"in", "query"},
                          {"description", "a day before today (YYYY-MM-DD); today when absent"},
                          {"schema", kDate}}})},
           {"responses",
            Merge({{"200", JsonResponse("the checks and the summary", Ref("Readiness"))}},
                  ErrorResponses({400, 401, 403}))}}),
      [](Request& r) {
        auto a = r.services.readiness.Assess(r.principal, r.Query("as_of"));
        if (!a.ok()) return WriteJsonError(r.res, a.status());
        WriteJson(r.res, 200, ReadinessToJson(*a));
      });
  router.Get(
      "/api/v1/readiness/history", kRead,
      Doc({{"summary", "Readiness history"},
           {"description",
            "The readiness summary kept for each day (the first assessment of the day, or the "
            "daily pass of `serve`), oldest first, over the last `days` days (90 by default)."},
           {"tags", tags},
           {"operationId", "readiness_history"},
           {"parameters",
            json::array({{{"name", "days"},
                          {"in", "query"},
                          {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 3660}}}}})},
           {"responses", Merge({{"200", JsonResponse("the days kept", Ref("ReadinessHistory"))}},
                               ErrorResponses({400, 401, 403}))}}),
      [](Request& r) {
        int64_t days = 90;
        if (r.http.HasParam("days") &&
            (!ParseInt(r.http.Param("days"), days) || days < 1 || days > 3660)) {
          return WriteJsonError(
              r.res, InvalidArgument("days must be a whole number from 1 to 3660", "days"));
        }
        auto h = r.services.readiness.History(r.principal, static_cast<int>(days));
        if (!h.ok()) return WriteJsonError(r.res, h.status());
        json data = json::array();
        for (const auto& d : *h) {
          json row = d.summary.is_object() ? d.summary : json::object();
          row["day"] = d.day;
          data.push_back(std::move(row));
        }
        WriteJson(r.res, 200, {{"data", std::move(data)}});
      });
}

}  // namespace rampart::http
