// A register whose records log what happened to another register's records: a communication's
// log entries (7.4), an operational activity's occurrences (8.1). The log's records name their
// record by a reference field and carry a date; they are listed and added through the record
// (GET and POST /api/v1/{record path}/{id}/{segment}, and the record's page), and the date of
// each record's last entry is read for all records in one grouped statement.
//
// Errors: kPermissionDenied (the role may not read, or add to the log), kNotFound (no such record
// in the caller's organisation), kInvalidArgument with the field (a refused entry), store
// failures as they come. Thread-safe: the functions keep no state.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "app/principal.h"
#include "app/register_service.h"
#include "domain/register.h"
#include "store/store.h"

namespace rampart::app {

struct RecordLog {
  const domain::RegisterSpec* record = nullptr;  // the register logged (communications)
  const domain::RegisterSpec* log = nullptr;     // the log (the communication log)
  std::string field;                             // the log's kRef naming the record
  std::string date;                              // the log's date field (filterable, sortable)
};

// The entries of record `id`'s log matching `query` (its filters, sort and page).
Result<domain::Page> LogEntries(RegisterService& registers, const Principal& p,
                                const RecordLog& log, int64_t id, domain::ListQuery query);
// Adds an entry to record `id`'s log (the input's own reference to a record is replaced);
// `errors` receives the field errors of a refusal.
Result<domain::Record> AddLogEntry(RegisterService& registers, const Principal& p,
                                   const RecordLog& log, int64_t id, domain::Json input,
                                   std::vector<domain::FieldError>* errors = nullptr);
// The date of each record's last entry among those matching `only` (its filters), by record id;
// records without entries are absent. One GROUP BY statement, whatever the number of records.
Result<std::map<int64_t, std::string>> LastLogDates(store::Store& store, const Principal& p,
                                                    const RecordLog& log,
                                                    const domain::ListQuery& only = {});

}  // namespace rampart::app
