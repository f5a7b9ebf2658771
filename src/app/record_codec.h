// A record's representations derived from its register description: JSON for the API, form
// input for the web UI, CSV for export. Pure functions.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "domain/register.h"
#include "store/store.h"

namespace rampart::app {

// {"id":..,"version":..,"created_at":..,"updated_at":..,"created_by":..,"updated_by":.., fields}
domain::Json RecordToJson(const domain::Record& r);
// The same for a record not needed afterwards: its fields are moved, not copied (copying a page
// of 50 risks' fields was a tenth of a list's server time). `r.fields` is left an empty object.
domain::Json RecordToJson(domain::Record&& r);

// Form fields as posted (name -> values) to the JSON input ValidateFields expects: text as
// strings, a checkbox as a boolean, a user choice as an integer, a list textarea split into
// lines, table rows from names like "requirements[2][text]". Unconvertible values are passed on
// as strings so that validation names the field.
domain::Json FormToInput(const domain::RegisterSpec& spec,
                         const std::multimap<std::string, std::string>& form);

// Titles of referred-to records by register type and id.
using RefTitles = std::map<std::string, std::map<int64_t, std::string>>;

// The ids the reference fields (kRef, kRefs) of `rows` (records' fields) name, by the register
// type referred to: ascending, without repeats.
std::map<std::string, std::vector<int64_t>> ReferencedIds(
    const domain::RegisterSpec& spec, const std::vector<const domain::Json*>& rows);

// The column that names a row of table `table`: its first text or person column (a role's
// holder, by the person), its first column when it has none. Rows are matched between versions
// and named in history by it.
const domain::FieldSpec& RowNameColumn(const domain::FieldSpec& table);

// What became of a table's rows between two versions. Rows are matched by the value of their
// naming column (RowNameColumn), in order when several share it; a row whose name changed is
// one removed and one added. Rows that did not change are left out.
struct RowChange {
  enum class Kind { kAdded, kRemoved, kChanged };
  Kind kind = Kind::kChanged;
  domain::Json before;                            // kRemoved, kChanged
  domain::Json after;                             // kAdded, kChanged
  std::vector<const domain::FieldSpec*> columns;  // kChanged: the columns that differ
};
// `before` and `after` are the table's values (arrays of rows, or null); changes come in the
// order of the rows before, then the added rows in their order. Pointers in `columns` point into
// `table`.
std::vector<RowChange> DiffTableRows(const domain::FieldSpec& table, const domain::Json& before,
                                     const domain::Json& after);

// The cell texts of a record export: a header row of field names and one row per record. Users
// are user names followed by a `<field>_name` column with the person's name; a reference is the
// record's id followed by `<field>_name` with its title (lists of references: ids and titles one
// per line); lists are one item per line; a table is one line per row, "Deploy EDR — owner:
// alice — due: 2026-05-01 — status: open" (its naming column first, then every other non-empty
// column by label). `titles` holds the referred-to records' titles (an id without one is
// written "#id"). Values are as stored: CSV writing neutralises formulas, XLSX writes text cells.
struct ExportSheet {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // per column: the values are numbers (integer and decimal fields)
};
ExportSheet RecordsToSheet(const domain::RegisterSpec& spec,
                           const std::vector<domain::Record>& records,
                           const std::vector<domain::UserSummary>& members,
                           const RefTitles& titles = {});

// A sheet as CSV (RFC 4180, CRLF, formulas neutralised).
std::string SheetToCsv(const ExportSheet& sheet);

// RecordsToSheet as CSV.
std::string RecordsToCsv(const domain::RegisterSpec& spec,
                         const std::vector<domain::Record>& records,
                         const std::vector<domain::UserSummary>& members,
                         const RefTitles& titles = {});

}  // namespace rampart::app
