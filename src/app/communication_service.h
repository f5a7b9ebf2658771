// Clause 7.4 beyond its registers: the log of each communication and which communications are
// overdue (domain::IsCommunicationOverdue decides; this reads the last entries).
//
// Errors: kPermissionDenied (the role may not read, or add to the log), kNotFound (no such
// communication in the caller's organisation), kInvalidArgument with the field (a refused log
// entry), store failures as they come. Thread-safe.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "app/principal.h"
#include "app/register_service.h"
#include "base/clock.h"
#include "domain/support.h"
#include "store/store.h"

namespace rampart::app {

class CommunicationService {
 public:
  CommunicationService(store::Store& store, const Clock& clock, RegisterService& registers)
      : store_(store), clock_(clock), registers_(registers) {}

  // The date of each communication's last log entry, by communication id (those without entries
  // are absent): one GROUP BY statement, whatever the number of communications.
  Result<std::map<int64_t, std::string>> LastEntries(const Principal& p);
  // The ids among `communications` that are overdue today.
  Result<std::vector<int64_t>> Overdue(const Principal& p,
                                       const std::vector<domain::Record>& communications);
  // The log entries of communication `id` matching `query` (its filters, sort and page).
  Result<domain::Page> Log(const Principal& p, int64_t id, domain::ListQuery query);
  // Adds an entry to the log of communication `id` (the input's own `communication` is
  // replaced); `errors` receives the field errors of a refusal.
  Result<domain::Record> AddToLog(const Principal& p, int64_t id, domain::Json input,
                                  std::vector<domain::FieldError>* errors = nullptr);
  std::string Today() const;

 private:
  store::Store& store_;
  const Clock& clock_;
  RegisterService& registers_;
};

}  // namespace rampart::app
