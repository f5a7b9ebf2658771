#include "app/communication_service.h"

namespace rampart::app {

const RecordLog& CommunicationLogOf() {
  static const RecordLog kLog{.record = &domain::Communications(),
                              .log = &domain::CommunicationLog(),
                              .field = "communication",
                              .date = "date"};
  return kLog;
}

std::string CommunicationService::Today() const { return FormatDate(clock_.Now()); }

Result<std::map<int64_t, std::string>> CommunicationService::LastEntries(const Principal& p) {
  return LastLogDates(store_, p, CommunicationLogOf());
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

}  // namespace rampart::app
