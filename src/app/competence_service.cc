#include "app/competence_service.h"

#include <string>
#include <vector>

#include "app/access_control.h"
#include "app/register_service.h"
#include "domain/leadership.h"

namespace rampart::app {

using domain::Json;
using domain::Record;

namespace {

// Every record of `spec` whose `field` is one of `values`.
Result<std::vector<Record>> ReadAll(store::Store& store, const domain::RegisterSpec& spec,
                                    int64_t org_id, const std::string& field, Json values) {
  domain::ListQuery q;
  q.filters.push_back({field, std::move(values)});
  std::vector<Record> out;
  RETURN_IF_ERROR(ForEachPage(store, spec, org_id, q, [&](std::vector<Record>& page) {
    for (auto& r : page) out.push_back(std::move(r));
    return Status::Ok();
  }));
  return out;
}

}  // namespace

std::string CompetenceService::Today() const { return FormatDate(clock_.Now()); }

Result<domain::CompetenceMatrix> CompetenceService::Matrix(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(auto roles, ReadAll(store_, domain::IsmsRoles(), p.org_id, "status",
                                       Json::array({"active"})));
  ASSIGN_OR_RETURN(auto requirements, ReadAll(store_, domain::CompetenceRequirements(), p.org_id,
                                              "status", Json::array({"active"})));
  ASSIGN_OR_RETURN(auto records, ReadAll(store_, domain::CompetenceRecords(), p.org_id, "status",
                                         Json::array({"planned", "completed"})));
  return domain::ComputeCompetenceMatrix(roles, requirements, records, Today());
}

}  // namespace rampart::app
