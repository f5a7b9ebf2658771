// What an assessment computed from the records reads (readiness, mandatory documentation), as
// of a day: today's records from the store, or the records as they were at the end of an earlier
// day, reconstructed from the audit trail ("time travel").
//
// The past is today's records with every change made since undone: the audit events after the
// day about a register are read once (one page of 500 at a time), each record they name is read
// once, and its fields before them are its fields now with each event's "from" put back. A
// record created after the day did not exist; one deleted since is its fields before the
// deletion. A count is today's count (dates compared with the day) less the changed records that
// match now, plus those that matched then: the work grows with the changes since the day, not
// with the register.
//
// Errors: store failures as they come; kInvalidArgument for a filter the register does not
// allow. Not thread-safe: one assessment at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/evidence.h"
#include "domain/register.h"
#include "domain/register_query.h"
#include "domain/soa.h"
#include "store/store.h"

namespace rampart::app {

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // The day described (YYYY-MM-DD).
  const std::string& Day() const { return day_; }
  // How many records match, counting at most `cap` + 1 (0: all). One or two statements.
  virtual Result<int64_t> Count(const domain::RegisterSpec& spec,
                                const std::vector<domain::Filter>& filters, int64_t cap = 0) = 0;
  // How many records match for each value of `field` (an enum, or a list whose records count
  // once per item they hold), by value; values no record holds, and null, are absent. One
  // statement.
  virtual Result<std::map<std::string, int64_t>> Tally(const domain::RegisterSpec& spec,
                                                       const std::vector<domain::Filter>& filters,
                                                       const std::string& field) = 0;
  // For each record of another register that records matching name in `group_field` (a
  // filterable reference), the greatest `date_field` (a sortable date) among them: a
  // communication's last log entry, an activity's last occurrence. Records naming none, or
  // without the date, count in no group.
  virtual Result<std::map<int64_t, std::string>> Latest(const domain::RegisterSpec& spec,
                                                        const std::vector<domain::Filter>& filters,
                                                        const std::string& group_field,
                                                        const std::string& date_field) = 0;
  // The evidence files of each record of `spec` that has some, by record id. The files are
  // today's (those uploaded after the day left out; a file deleted since is not brought back).
  // One statement.
  virtual Result<std::map<int64_t, domain::EvidenceExpiry>> EvidenceExpiries(
      const domain::RegisterSpec& spec) = 0;
  // The first `limit` records matching, in the order of `sort` ("id", or a sortable date field:
  // ascending, empty values first, then by id).
  virtual Result<std::vector<domain::Record>> First(const domain::RegisterSpec& spec,
                                                    const std::vector<domain::Filter>& filters,
                                                    int limit, const std::string& sort) = 0;
  // Every record matching, by id (for registers that stay small, or filters that keep few).
  virtual Result<std::vector<domain::Record>> All(const domain::RegisterSpec& spec,
                                                  const std::vector<domain::Filter>& filters) = 0;
  // The Statement of Applicability's decisions, and its approved versions (newest first,
  // without snapshots).
  virtual Result<std::vector<domain::SoaEntry>> SoaEntries() = 0;
  virtual Result<std::vector<domain::SoaVersion>> SoaVersions() = 0;
  // The applied controls as the SoA links them.
  virtual Result<std::vector<domain::SoaAppliedControl>> SoaAppliedControls() = 0;
  // When a record of `record_type` last changed (the newest audit event's time); empty: never.
  virtual Result<std::string> LastChange(const std::string& record_type) = 0;

 protected:
  explicit RecordSource(std::string day) : day_(std::move(day)) {}

 private:
  std::string day_;
};

// Today's records of organisation `org_id`.
std::unique_ptr<RecordSource> LiveRecords(store::Store& store, int64_t org_id, std::string today);
// The records of organisation `org_id` at the end of `day` (before today).
std::unique_ptr<RecordSource> RecordsAsOf(store::Store& store, int64_t org_id, std::string day);

// A day the records can be described as of: kInvalidArgument naming "as_of" when `day` is not a
// date (YYYY-MM-DD) or comes after `today`.
Status CheckAsOf(const std::string& day, const std::string& today);

}  // namespace rampart::app
