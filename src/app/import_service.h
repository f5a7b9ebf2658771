// Spreadsheet import into a register (issue 16): a CSV or XLSX file read with base/sheet_reader,
// its columns mapped to the register's fields, every row validated with the register's own rules
// (the same validation, write hooks and companion writes as a create or update on its page), and
// then either reported (a dry run, the default: nothing changes) or applied all or nothing in one
// Store::Write, one audit event per record.
//
// What a column holds (ImportOptions::columns, by header):
//   a field name      the field's value: text as is; a choice by value or label; a date in ISO or
//                     a common local form ("31/12/2026", "31.12.2026", "31 Dec 2026"); a person by
//                     user name, name or e-mail; a record referred to by id ("12", "#12") or title;
//                     lists one item per line (choices also separated by commas or semicolons); a
//                     table's rows one per line as the export writes them ("name — label: value").
//   "id"              Rampart's id of the record (the export's first column): the row updates it.
//   "external_id"     the record's identifier in another system ("R-017"): the row updates the
//                     record that holds it, or creates one that will.
//   "" (or absent)    not imported.
// A row naming neither id nor external id creates a record; an update changes only the mapped
// fields, and a row that changes nothing is "unchanged" (no new version, no event). The export of
// a register imported back therefore changes nothing.
//
// Errors: kPermissionDenied (the role may not change the register's records: an import needs
// the register's write permission itself, not only the right to change one's own records),
// kFailedPrecondition (the register is written only by its workflow, or holds approved
// versions), kInvalidArgument naming "file", "columns" or "dates", kTooLarge naming "file" (a
// limit of the file), kConflict (a record changed between the dry run's read and the write:
// nothing was written). Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/principal.h"
#include "app/register_service.h"
#include "base/clock.h"
#include "base/sheet_reader.h"
#include "domain/register.h"
#include "store/store.h"

namespace rampart::app {

inline constexpr std::string_view kImportId = "id";
inline constexpr std::string_view kImportExternalId = "external_id";

struct ImportOptions {
  std::map<std::string, std::string> columns;  // header -> field name, "id", "external_id", ""
  bool month_first = false;                    // "03/04/2026" is 4 March unless month first
  bool apply = false;                          // false: a dry run
};

// The options as JSON ({"columns": {...}, "dates": "day-first" | "month-first"}), as an API
// client sends them and a saved mapping keeps them; kInvalidArgument naming "columns"/"dates".
Result<ImportOptions> ImportOptionsFromJson(const domain::Json& j);
domain::Json ImportOptionsToJson(const ImportOptions& options);

// The day a spreadsheet cell writes, as YYYY-MM-DD: ISO ("2026-12-31", also with a time after
// it), day-first or month-first numeric forms with '/', '.' or '-' ("31/12/2026", "31.12.26"),
// and month names in English ("31 Dec 2026", "December 31, 2026", "31-Dec-2026"). Two-digit years
// are 20xx. nullopt when it is none of these or not a real day.
std::optional<std::string> ParseSpreadsheetDate(std::string_view cell, bool month_first);

struct ImportRowResult {
  enum class Outcome { kCreated, kUpdated, kUnchanged, kError };
  int64_t line = 0;  // the row's number in the file
  Outcome outcome = Outcome::kError;
  int64_t id = 0;  // the record updated or unchanged; created: its id once applied
  std::string title;
  std::vector<std::string> changed;        // updated: the fields that change
  std::vector<domain::FieldError> errors;  // field: the register's field, or "id"/"external_id"
};
std::string_view OutcomeName(ImportRowResult::Outcome outcome);  // "created", ...

struct ImportResult {
  bool applied = false;
  std::string format;  // "csv", "xlsx"
  std::string sheet_name;
  std::map<std::string, std::string> columns;  // as used: header -> target ("" not imported)
  int64_t created = 0, updated = 0, unchanged = 0, errors = 0;
  std::vector<ImportRowResult> rows;  // in file order
};

// What a column is proposed to hold, and why ("the field's name", "the field's label", ...).
struct ColumnProposal {
  std::string header;
  std::string target;
  std::string why;
};

struct ImportProposal {
  std::string format;
  std::string sheet_name;
  int64_t rows = 0;
  std::vector<ColumnProposal> columns;
  std::vector<std::vector<std::string>> sample;  // the first rows, for the person to see
};

// The targets a column of `spec` can be given, as (value, label): "" not imported, "id",
// "external_id", then every field that input may set.
std::vector<std::pair<std::string, std::string>> ImportTargets(const domain::RegisterSpec& spec);

class ImportService {
 public:
  ImportService(store::Store& store, const Clock& clock, RegisterService& registers)
      : store_(store), clock_(clock), registers_(registers) {}

  // The limits every import is read under (a file over max_bytes is refused before reading).
  static SheetLimits Limits();

  // True for the registers records can be imported into: those written directly (not only by
  // their workflow) and not holding approved versions. What decides which import routes and
  // pages exist; CheckMayImport refuses the others.
  static bool Imports(const domain::RegisterSpec& spec);

  // Checks the caller may import into `spec` (see the errors above).
  Status CheckMayImport(const Principal& p, const domain::RegisterSpec& spec) const;

  // Reads a file under Limits(); kInvalidArgument / kTooLarge naming "file".
  static Result<Sheet> Read(std::string_view bytes);

  // The mapping proposed for the sheet's headers (by field name, then label; the export's own
  // columns as the export means them), with `saved`'s choices first when given.
  Result<ImportProposal> Propose(const Principal& p, const domain::RegisterSpec& spec,
                                 const Sheet& sheet, const ImportOptions* saved = nullptr);

  // Validates every row and, with options.apply and no row in error, writes them all in one
  // transaction. A dry run, or an apply refused for rows in error, changes nothing.
  Result<ImportResult> Run(const Principal& p, const domain::RegisterSpec& spec, const Sheet& sheet,
                           const ImportOptions& options);

  // Saved mappings of a register (anyone who may import may save, replace and delete them).
  Result<std::vector<store::ImportMapping>> Mappings(const Principal& p,
                                                     const domain::RegisterSpec& spec);
  Result<store::ImportMapping> SaveMapping(const Principal& p, const domain::RegisterSpec& spec,
                                           const std::string& name, const ImportOptions& options);
  Status DeleteMapping(const Principal& p, const domain::RegisterSpec& spec, int64_t id);

  // Files kept between the steps of an import page, for the person who uploaded them, a day.
  Result<int64_t> KeepUpload(const Principal& p, const domain::RegisterSpec& spec,
                             const std::string& file_name, const std::string& bytes);
  Result<std::pair<store::ImportUpload, std::string>> Upload(const Principal& p,
                                                             const domain::RegisterSpec& spec,
                                                             int64_t id);
  Status ForgetUpload(const Principal& p, int64_t id);

 private:
  store::Store& store_;
  const Clock& clock_;
  RegisterService& registers_;
};

}  // namespace rampart::app
