#include "app/record_log.h"

#include "app/access_control.h"

namespace rampart::app {

using domain::Json;

Result<domain::Page> LogEntries(RegisterService& registers, const Principal& p,
                                const RecordLog& log, int64_t id, domain::ListQuery query) {
  RETURN_IF_ERROR(registers.Get(p, *log.record, id).status());
  query.filters.push_back({log.field, Json(id)});
  return registers.List(p, *log.log, query);
}

Result<domain::Record> AddLogEntry(RegisterService& registers, const Principal& p,
                                   const RecordLog& log, int64_t id, Json input,
                                   std::vector<domain::FieldError>* errors) {
  RETURN_IF_ERROR(registers.Get(p, *log.record, id).status());
  if (!input.is_object()) input = Json::object();
  input[log.field] = id;
  return registers.Create(p, *log.log, input, errors);
}

Result<std::map<int64_t, std::string>> LastLogDates(store::Store& store, const Principal& p,
                                                    const RecordLog& log,
                                                    const domain::ListQuery& only) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(auto groups, store.CountBy(*log.log, p.org_id, only, {log.field}, log.date));
  std::map<int64_t, std::string> out;
  for (const auto& g : groups) {
    if (g.values[0].is_number_integer() && g.latest.is_string()) {
      out[g.values[0].get<int64_t>()] = g.latest.get<std::string>();
    }
  }
  return out;
}

}  // namespace rampart::app
