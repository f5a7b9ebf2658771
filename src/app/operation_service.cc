#include "app/operation_service.h"

#include "app/access_control.h"

namespace rampart::app {

using domain::Json;

const RecordLog& OccurrencesOf() {
  static const RecordLog kLog{.record = &domain::OperationalActivities(),
                              .log = &domain::ActivityOccurrences(),
                              .field = "activity",
                              .date = "date"};
  return kLog;
}

const RecordLog& AssessmentsOf() {
  static const RecordLog kLog{.record = &domain::Suppliers(),
                              .log = &domain::SupplierAssessments(),
                              .field = "supplier",
                              .date = "date"};
  return kLog;
}

std::string OperationService::Today() const { return FormatDate(clock_.Now()); }

Result<std::map<int64_t, std::string>> OperationService::CertificateExpiries(const Principal& p) {
  RETURN_IF_ERROR(Require(p, domain::Permission::kReadRecords));
  ASSIGN_OR_RETURN(auto groups, store_.LatestExpiryBy(domain::SupplierAssessments(), p.org_id,
                                                      "supplier", "certificate_expires"));
  std::map<int64_t, std::string> out;
  for (const auto& g : groups) {
    if (g.values[0].is_number_integer() && g.latest.is_string()) {
      out[g.values[0].get<int64_t>()] = g.latest.get<std::string>();
    }
  }
  return out;
}

Result<std::map<int64_t, std::string>> OperationService::ExpiredCertificates(
    const Principal& p, const std::vector<domain::Record>& suppliers) {
  ASSIGN_OR_RETURN(auto expiries, CertificateExpiries(p));
  const std::string today = Today();
  std::map<int64_t, std::string> out;
  for (const auto& s : suppliers) {
    const auto it = expiries.find(s.id);
    if (it == expiries.end()) continue;
    std::string on = domain::CertificateExpiredOn(s.fields, it->second, today);
    if (!on.empty()) out[s.id] = std::move(on);
  }
  return out;
}

Result<std::vector<domain::Record>> OperationService::All(const Principal& p,
                                                          const domain::RegisterSpec& spec,
                                                          domain::ListQuery query) {
  query.limit = 500;
  std::vector<domain::Record> out;
  while (true) {
    ASSIGN_OR_RETURN(auto page, store_.List(spec, p.org_id, query));
    for (auto& rec : page.records) out.push_back(std::move(rec));
    if (page.next_cursor.empty()) return out;
    query.cursor = page.next_cursor;
  }
}

Result<std::vector<std::pair<domain::Record, std::string>>>
OperationService::SuppliersWithExpiredCertificates(const Principal& p) {
  ASSIGN_OR_RETURN(auto expiries, CertificateExpiries(p));
  const std::string today = Today();
  Json ids = Json::array();
  for (const auto& [id, expires] : expiries) {
    if (expires < today) ids.push_back(id);
  }
  std::vector<std::pair<domain::Record, std::string>> out;
  if (ids.empty()) return out;
  domain::ListQuery query;
  query.filters.push_back({"id", ids});
  query.sort = "name";
  ASSIGN_OR_RETURN(auto suppliers, All(p, domain::Suppliers(), query));
  for (auto& s : suppliers) {
    std::string on = domain::CertificateExpiredOn(s.fields, expiries[s.id], today);
    if (!on.empty()) out.emplace_back(std::move(s), std::move(on));
  }
  return out;
}

Result<std::vector<std::pair<domain::Record, std::string>>> OperationService::MissedActivities(
    const Principal& p) {
  ASSIGN_OR_RETURN(auto last, LastOccurrences(p));
  domain::ListQuery query;
  query.filters.push_back({"status", Json("active")});
  query.sort = "title";
  ASSIGN_OR_RETURN(auto activities, All(p, domain::OperationalActivities(), query));
  const std::string today = Today();
  std::vector<std::pair<domain::Record, std::string>> out;
  for (auto& a : activities) {
    const auto it = last.find(a.id);
    std::string since = domain::MissedSince(a.fields, it == last.end() ? "" : it->second, today);
    if (!since.empty()) out.emplace_back(std::move(a), std::move(since));
  }
  return out;
}

Result<std::map<int64_t, std::string>> OperationService::LastOccurrences(const Principal& p) {
  domain::ListQuery carried_out;
  carried_out.filters.push_back(
      {"outcome", Json::array({domain::kOccurrenceCompleted, domain::kOccurrenceIssuesFound})});
  return LastLogDates(store_, p, OccurrencesOf(), carried_out);
}

Result<std::map<int64_t, std::string>> OperationService::Missed(
    const Principal& p, const std::vector<domain::Record>& activities) {
  ASSIGN_OR_RETURN(auto last, LastOccurrences(p));
  const std::string today = Today();
  std::map<int64_t, std::string> out;
  for (const auto& a : activities) {
    const auto it = last.find(a.id);
    std::string since = domain::MissedSince(a.fields, it == last.end() ? "" : it->second, today);
    if (!since.empty()) out[a.id] = std::move(since);
  }
  return out;
}

Result<ActivitySchedule> OperationService::Schedule(const Principal& p,
                                                    const domain::Record& activity) {
  ASSIGN_OR_RETURN(auto last, LastOccurrences(p));
  ActivitySchedule s;
  const auto it = last.find(activity.id);
  if (it != last.end()) s.last = it->second;
  s.next_due = domain::NextOccurrenceDue(activity.fields, s.last);
  s.missed_since = domain::MissedSince(activity.fields, s.last, Today());
  return s;
}

}  // namespace rampart::app
