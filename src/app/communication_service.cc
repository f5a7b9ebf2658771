#include "app/communication_service.h"

#include "app/access_control.h"

namespace rampart::app {

using domain::Json;

std::string CommunicationService::Today() const { return FormatDate(clock_.Now()); }

Result<std::map<int64_t, std::string>> CommunicationService::LastEntries(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(auto groups, store_.CountBy(domain::CommunicationLog(), p.org_id, {},
                                               {"communication"}, "date"));
  std::map<int64_t, std::string> out;
  for (const auto& g : groups) {
    if (g.values[0].is_number_integer() && g.latest.is_string()) {
      out[g.values[0].get<int64_t>()] = g.latest.get<std::string>();
    }
  }
  return out;
}

Result<std::vector<int64_t>> CommunicationService::Overdue(
    const Principal& p, const std::vector<domain::Record>& communications) {
  ASSIGN_OR_RETURN(auto last, LastEntries(p));
  const std::string today = Today();
  std::vector<int64_t> out;
  for (const auto& c : communications) {
    const auto it = last.find(c.id);
    if (domain::IsCommunicationOverdue(c.fields, it == last.end() ? "" : it->second, today)) {
      out.push_back(c.id);
    }
  }
  return out;
}

Result<domain::Page> CommunicationService::Log(const Principal& p, int64_t id,
                                               domain::ListQuery query) {
  RETURN_IF_ERROR(registers_.Get(p, domain::Communications(), id).status());
  query.filters.push_back({"communication", Json(id)});
  return registers_.List(p, domain::CommunicationLog(), query);
}

Result<domain::Record> CommunicationService::AddToLog(const Principal& p, int64_t id, Json input,
                                                      std::vector<domain::FieldError>* errors) {
  RETURN_IF_ERROR(registers_.Get(p, domain::Communications(), id).status());
  if (!input.is_object()) input = Json::object();
  input["communication"] = id;
  return registers_.Create(p, domain::CommunicationLog(), input, errors);
}

}  // namespace rampart::app
