// Use cases common to every register: list, read, create, update, delete, history. The one place
// where input is validated against a register's description, references are checked against the
// organisation's members, and a change becomes a versioned write with its audit diff.
//
// Errors: kPermissionDenied (the role does not allow it; a password change or second-factor
// enrolment is pending), kNotFound (no such record in the
// caller's organisation), kInvalidArgument with the field (bad input; `errors` receives every
// field error), kPreconditionRequired (update/delete without a version), kConflict (stale
// version), kFailedPrecondition (the record's state forbids editing). Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "app/principal.h"
#include "app/record_codec.h"
#include "base/clock.h"
#include "domain/register.h"
#include "store/store.h"

namespace rampart::app {

enum class UpdateMode { kReplace, kMerge };  // PUT replaces every field; PATCH merges

enum class ExportFormat { kCsv, kXlsx };
// "csv" (also an empty text) or "xlsx"; otherwise kInvalidArgument naming the field "format".
Result<ExportFormat> ParseExportFormat(std::string_view format);

// What an area adds to every write of one of its registers, after the fields are valid and
// their references checked: derived read-only fields (a risk's levels from the methodology),
// defaults that depend on stored state, rules that need the store. `before` is nullptr on create.
// Field problems go to `errors`; other failures are returned.
using WriteHook =
    std::function<Status(const Principal& p, domain::Json& fields, const domain::Json* before,
                         std::vector<domain::FieldError>& errors)>;

// Restates a refused write's field problems in the terms of what is in force for the caller's
// organisation (a rating's range under the approved risk methodology rather than the widest
// range the description allows). Runs whenever a create or update is refused with field errors.
using RefusalHook =
    std::function<void(const Principal& p, std::vector<domain::FieldError>& errors)>;

// What an area writes together with a record of one of its registers, in the same transaction:
// changes to other records the write brings about (a planned change's approval brings the review
// of the risks it affects forward). Given the record as it will be written and as it was
// (`before`: nullptr on create); appends to `mutations`, after the record's own, or puts before
// it a record the record refers to (inserted first, its id filled in by store::Mutation::ids_of
// into the record's own write, found again as the first mutation of the record's register).
using CompanionHook =
    std::function<Status(const Principal& p, const domain::Json& fields, const domain::Json* before,
                         std::vector<store::Mutation>& mutations)>;

// Every record of `spec` in the organisation that matches `query` (its cursor and limit aside),
// page by page in the query's order: `fn` gets each page's records. For use cases that read a
// whole register or selection (exports, re-evaluation); no permission check.
Status ForEachPage(store::Store& store, const domain::RegisterSpec& spec, int64_t org_id,
                   domain::ListQuery query,
                   const std::function<Status(std::vector<domain::Record>&)>& fn);

// An update of `before` to `after` by `action`, with its diff, checked against the version read.
store::Mutation UpdateOf(const domain::RegisterSpec& spec, const domain::Record& before,
                         domain::Json after, std::string action);

// Refuses a step taken on `rec` without the version the caller saw (kPreconditionRequired) or
// with another one (kConflict); `what` names the record in the messages ("campaign").
Status CheckVersionSeen(const domain::Record& rec, std::optional<int64_t> expected,
                        std::string_view what);

// Refuses a workflow step (publishing, completing) to someone still setting up their account or
// holding a read-only token; `what` names what a read-only token cannot change ("documents").
Status CheckMayTakeStep(const Principal& p, std::string_view what);

// A batch of writes validated together on one thread (an import's rows): while one is open, a
// write hook may keep what it reads for the rest of the batch (Memoised) instead of reading it
// again for each record — the risk methodology in force, read once per import, not per risk.
class WriteBatch {
 public:
  WriteBatch();
  ~WriteBatch();
  WriteBatch(const WriteBatch&) = delete;
  WriteBatch& operator=(const WriteBatch&) = delete;
  // The open batch of the calling thread; nullptr when none is.
  static WriteBatch* Current();
  std::map<std::string, std::shared_ptr<void>> values;

 private:
  WriteBatch* outer_;
};

// `read()`'s value, read once per open WriteBatch under `key` (every call when none is open).
template <typename T, typename Read>
Result<T> Memoised(const std::string& key, Read read) {
  WriteBatch* batch = WriteBatch::Current();
  if (batch == nullptr) return read();
  const auto it = batch->values.find(key);
  if (it != batch->values.end()) return *std::static_pointer_cast<T>(it->second);
  Result<T> value = read();
  if (value.ok()) batch->values[key] = std::make_shared<T>(*value);
  return value;
}

class RegisterService {
 public:
  RegisterService(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<domain::Page> List(const Principal& p, const domain::RegisterSpec& spec,
                            const domain::ListQuery& query);
  Result<int64_t> Count(const Principal& p, const domain::RegisterSpec& spec,
                        const domain::ListQuery& query);
  Result<domain::Record> Get(const Principal& p, const domain::RegisterSpec& spec, int64_t id);
  Result<domain::Record> Create(const Principal& p, const domain::RegisterSpec& spec,
                                const domain::Json& input,
                                std::vector<domain::FieldError>* errors = nullptr);
  Result<domain::Record> Update(const Principal& p, const domain::RegisterSpec& spec, int64_t id,
                                std::optional<int64_t> expected_version, const domain::Json& input,
                                UpdateMode mode, std::vector<domain::FieldError>* errors = nullptr);
  Status Delete(const Principal& p, const domain::RegisterSpec& spec, int64_t id,
                std::optional<int64_t> expected_version);
  // The record's audit events, oldest first (also after it was deleted).
  Result<std::vector<domain::AuditEvent>> History(const Principal& p,
                                                  const domain::RegisterSpec& spec, int64_t id);
  // Every record matching `query`'s filters, search and order, as CSV or XLSX with the same
  // columns (app::RecordsToSheet): what the API's export and `rampart export` write. Reads the
  // members once, then the records page by page with the titles of each page's referred-to
  // records (one statement per register referred to, for up to kTitlesPerStatement ids), writing
  // each page before the next is read (XLSX through XlsxStream).
  Result<std::string> Export(const Principal& p, const domain::RegisterSpec& spec,
                             const domain::ListQuery& query, ExportFormat format);
  // The cells Export writes of records already read (reports lay them out themselves).
  Result<ExportSheet> SheetOf(const Principal& p, const domain::RegisterSpec& spec,
                              const std::vector<domain::Record>& records);
  // The titles of the records the reference fields of `rows` (records' fields) name, by register
  // type: one statement per register referred to (per kTitlesPerStatement ids).
  static constexpr size_t kTitlesPerStatement = 10000;
  Result<RefTitles> ReferencedTitles(const Principal& p, const domain::RegisterSpec& spec,
                                     const std::vector<const domain::Json*>& rows);
  // The organisation's members: owners to choose from, names to show.
  Result<std::vector<domain::UserSummary>> Members(const Principal& p);
  // Newest audit events of the organisation.
  // The records that refer to record `id` of `spec`, by register: how many, and the first few
  // by id with their titles (what a refused delete names).
  struct Referring {
    const domain::RegisterSpec* spec = nullptr;
    int64_t count = 0;
    std::vector<std::pair<int64_t, std::string>> records;  // id, title
  };
  Result<std::vector<Referring>> ReferringRecords(const Principal& p,
                                                  const domain::RegisterSpec& spec, int64_t id);
  Result<std::vector<domain::AuditEvent>> RecentEvents(const Principal& p, int limit);
  // A page of the organisation's audit trail matching `q` (audit trail readers only). Dates must
  // be YYYY-MM-DD and in order, the limit 1 to 1,000, names plain short text; each refusal names
  // the field ("from", "to", "limit", "action", "record_type").
  Result<domain::AuditPage> AuditTrail(const Principal& p, const domain::AuditQuery& q);
  // The titles of the register records `events` are about, by (record type, id): one query per
  // register. Events about other things (users, sessions) and deleted records have none.
  using EventTitles = std::map<std::pair<std::string, int64_t>, std::string>;
  Result<EventTitles> TitlesOfEvents(const Principal& p,
                                     const std::vector<domain::AuditEvent>& events);
  // Every event matching `q`'s filters as CSV, newest first: sequence number, time, who, action,
  // record type, record id, record title, changed fields, client address and hash. kTooLarge
  // beyond kAuditCsvLimit events (narrow the dates).
  static constexpr int kAuditCsvLimit = 100000;
  Result<std::string> AuditTrailCsv(const Principal& p, domain::AuditQuery q);
  // The same rows as cells (header first), for reports.
  Result<ExportSheet> AuditTrailSheet(const Principal& p, domain::AuditQuery q);

  // Converts list-query parameters given as text (a query string) into a typed filter, checking
  // the field is filterable and the value allowed. Errors name the parameter.
  static Result<domain::Filter> ParseFilter(const domain::RegisterSpec& spec,
                                            const std::string& field, const std::string& value);

  store::Actor ActorFor(const Principal& p) const;

  // Installs the write hook of a register (at wiring time, before any request).
  void SetWriteHook(const domain::RegisterSpec& spec, WriteHook hook);
  // Installs the companion hook of a register (at wiring time, before any request).
  void SetCompanionHook(const domain::RegisterSpec& spec, CompanionHook hook);
  // Installs the refusal hook of a register (at wiring time, before any request).
  void SetRefusalHook(const domain::RegisterSpec& spec, RefusalHook hook);
  // Titles of the records among `ids` of register `spec` in the caller's organisation (for
  // showing references); one statement.
  Result<std::map<int64_t, std::string>> Titles(const Principal& p,
                                                const domain::RegisterSpec& spec,
                                                const std::vector<int64_t>& ids);
  // Checks that `fields` may be written by `p` with its references, then runs the register's
  // write hook: the validation a use case that writes records itself (approval, acceptance)
  // shares with Create and Update.
  Status Prepare(const Principal& p, const domain::RegisterSpec& spec, domain::Json& fields,
                 const domain::Json* before, std::vector<domain::FieldError>& errors);

  // The register's write hook alone (Prepare without the reference checks), for a use case that
  // resolved and checked the references itself (an import resolves them in bulk).
  Status RunWriteHook(const Principal& p, const domain::RegisterSpec& spec, domain::Json& fields,
                      const domain::Json* before, std::vector<domain::FieldError>& errors);
  // What the register's companion hook writes with the record (`fields`, as it will be written;
  // `before` nullptr on create), appended to `mutations` after the record's own mutation, which
  // the caller appended last.
  Status AddCompanions(const Principal& p, const domain::RegisterSpec& spec,
                       const domain::Json& fields, const domain::Json* before,
                       std::vector<store::Mutation>& mutations);
  // Restates refused field problems in the terms in force (the register's refusal hook).
  void Restate(const Principal& p, const domain::RegisterSpec& spec,
               std::vector<domain::FieldError>& errors) const;

  // Appends an error for each acyclic list of references (FieldSpec::acyclic) in which record
  // `id` would name itself or a record that leads back to it. One statement per such field.
  Status CheckAcyclic(const Principal& p, const domain::RegisterSpec& spec, int64_t id,
                      const domain::Json& fields, std::vector<domain::FieldError>& errors);

  // The caller may change the record (`before`: as stored; `after`: as it will be created).
  // Called first with neither, then again once the record is known. (Also what attaching
  // evidence to a record needs, and what the web pages ask before offering a form.) Reads
  // nothing: the answer follows from the principal, the description and the fields.
  static Status CheckCanWrite(const Principal& p, const domain::RegisterSpec& spec,
                              const domain::Json* before, const domain::Json* after);

 private:
  Status CheckReferences(const Principal& p, const domain::RegisterSpec& spec,
                         const domain::Json& fields, const domain::Json* before,
                         std::vector<domain::FieldError>& errors);

  store::Store& store_;
  const Clock& clock_;
  std::map<const domain::RegisterSpec*, WriteHook> hooks_;
  std::map<const domain::RegisterSpec*, RefusalHook> refusal_hooks_;
  std::map<const domain::RegisterSpec*, CompanionHook> companion_hooks_;
  // The record's own mutation followed by its companion hook's.
  Result<std::vector<domain::Record>> WriteWithCompanions(const Principal& p,
                                                          const domain::RegisterSpec& spec,
                                                          store::Mutation own,
                                                          const domain::Json* before);
};

// First error of a list as a Status (kInvalidArgument naming the field).
Status FirstError(const std::vector<domain::FieldError>& errors);

}  // namespace rampart::app
