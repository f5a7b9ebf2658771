// The register machinery's description of a record type.
//
// A register (context issues, interested parties, the ISMS scope, ...) is described once by a
// RegisterSpec: its fields with type, label, constraints and allowed values; list columns; which
// fields filter, sort and search; its lifecycle; and its own rules. From that description the
// rest of the product derives validation with field-level errors (here), the storage mapping
// (store/), JSON in and out, forms, tables and CSV (app/, http/) and the audit diff (here).
// Specs are immutable statics; safe to share between threads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/access.h"
#include "domain/record.h"

namespace rampart::domain {

enum class FieldType {
  kText,      // one line, trimmed; max_length code points (default 200)
  kLongText,  // multi-line (default max 10,000)
  kEnum,      // one of `choices`
  kDate,      // YYYY-MM-DD
  kBool,
  kInteger,
  kDecimal,  // a finite number (95.5); JSON numbers, or a string writing one (a form's input)
  kUser,     // a user of the organisation, by id
  kList,     // list of one-line strings (a textarea, one item per line); with `choices`, a
             // set of choices (a multiple select), kept in the order of the choices
  kTable,    // list of rows, each an object with the sub-fields in `columns`
  kRef,      // a record of register `ref` in the same organisation, by id
  kRefs,     // records of register `ref` in the same organisation, by id (ascending, no repeats);
             // stored as a list and as rows of record_links, which filters use
  kColour,   // a colour "#rrggbb" (lower case), picked with a colour input
};

struct Choice {
  std::string value;  // stored and sent over the API
  std::string label;  // shown to people
};

struct FieldSpec {
  std::string name;  // snake_case: JSON key, column name, form field name
  std::string label;
  FieldType type = FieldType::kText;
  bool required = false;
  int max_length = 0;  // 0: the type's default
  std::vector<Choice> choices;
  std::vector<FieldSpec> columns;  // kTable only
  std::string help;
  bool filterable = false;  // ?name=value on lists
  bool sortable = false;    // ?sort=name / -name
  bool searchable = false;  // matched by ?q=
  bool read_only = false;   // set by workflows (approval), never by input
  Json default_value;       // applied on create when the field is absent
  bool sequence = false;    // kInteger, read-only: numbered 1, 2, 3 ... per organisation on create
  // A sequence counted per organisation and value of this other field (a document's number
  // within its series): the pages show it as "<that value>-<number, three digits>" ("POL-001").
  std::string sequence_within;
  std::string ref;  // kRef, kRefs: the `type` of the register referred to
  // kRefs to its own register: no record may name itself, directly or through others (an asset's
  // dependencies). Checked when a record changes; a new record cannot close a loop.
  bool acyclic = false;
  int min_value = 0;  // kInteger, kDecimal: bounds when max_value > 0
  int max_value = 0;
  // A sortable field whose order is not its value's (a risk level, "High", sorts by its place in
  // the methodology): lists sort by this hidden INTEGER column instead, and cursors carry its
  // value. The register's write hook sets it in the fields it writes (fields[rank_column]); the
  // store writes it beside the field when present and never reads it into a record, so it is in
  // no page, export, diff or API answer.
  std::string rank_column;
  // kList with choices: a string is also accepted and read as the list of its words separated by
  // commas or white space ("admin, isms_manager"), for a field that once was such a string (the
  // roles that may accept a risk level) and the API clients that still send one.
  bool accepts_joined_string = false;

  const Choice* FindChoice(std::string_view value) const;
  // The label of `value` for kEnum fields, or `value` itself.
  std::string ChoiceLabel(std::string_view value) const;
};

// Lifecycle: the field holding the state and the allowed transitions. A transition listed as
// workflow-only can be made by a use case (approve) but not by editing the field.
struct Lifecycle {
  std::string field = "status";
  std::vector<std::pair<std::string, std::string>> transitions;
  // When not empty, records can be edited or deleted only in these states (an approved scope
  // statement is frozen; a new version is drafted instead).
  std::vector<std::string> editable_in;
  // States in which a record is no longer in use: its periodic review is not due.
  std::vector<std::string> closed;
  // A date field by which a record is to reach a closed state (an objective's due date): past
  // it and still open, the record is overdue, which its list and its page say.
  std::string due_field;
  bool IsEditableIn(std::string_view state) const;
  bool AllowsTransition(std::string_view from, std::string_view to) const;
};

// Rules of a register beyond what field descriptions say. Called with the complete, field-valid
// record and the record before the change (nullptr on create); appends errors.
using RecordRule =
    std::function<void(const Json& fields, const Json* before, std::vector<FieldError>& errors)>;

// The option of a register of approved versions (the ISMS scope, the risk methodology; policies
// and documents next). Each record is one version of one document: `version_number` (a
// sequence), `status` draft -> approved -> superseded (changed only by approval), `approved_by`
// and `approved_at` stamped by approval; only drafts are edited (VersionFields() and
// VersionLifecycle() give these). From the option the product derives, per register: POST
// {path}/{id}/approve, POST {path}/{id}/new-draft, GET {path}/current and GET
// {path}/compare?from=&to= in the API and the web UI, the Approve / New draft / Compare buttons
// and banners of the pages, and their OpenAPI entries (app/version_service, http/).
struct ApprovedVersions {
  // What stops a draft from being approved (the scope must say what is in scope); the first
  // problem refuses the approval with its field.
  std::function<std::vector<FieldError>(const Json& fields)> approval_problems;
  // Fields a new draft starts without, although copied versions have them ("what changed").
  std::vector<std::string> reset_on_new_draft;
  // Said before approving, after "It cannot be changed afterwards." ("Every risk's level is
  // recomputed under it.").
  std::string on_approval;
  // The fields of a first draft made from nothing (`new-draft` of id 0), e.g. a built-in
  // default; when empty, a draft is made from an existing version only.
  std::function<Json()> first_draft;
  // The area answers GET {path}/current itself (the methodology answers with its built-in
  // default until one is approved).
  bool own_current_route = false;
};

// The fields every register of approved versions has (version_number, status, approved_by,
// approved_at), appended after the register's own, and its lifecycle (editable as a draft,
// status changed only by approval).
std::vector<FieldSpec> VersionFields();
Lifecycle VersionLifecycle();
inline constexpr std::string_view kVersionDraft = "draft";
inline constexpr std::string_view kVersionApproved = "approved";
inline constexpr std::string_view kVersionSuperseded = "superseded";

struct RegisterSpec {
  std::string type;         // record type in the audit trail: "context_issue"
  std::string table;        // SQL table: "context_issues"
  std::string path;         // URL segment under /api/v1 and the web UI: "context-issues"
  std::string singular;     // "Context issue"
  std::string plural;       // "Context issues"
  std::string clause;       // ISO/IEC 27001 clause: "4.1"
  std::string title_field;  // the field that names a record in lists and history
  std::vector<FieldSpec> fields;
  std::vector<std::string> list_columns;
  std::string default_sort;  // a sortable field, "-" prefix for descending
  std::optional<Lifecycle> lifecycle;
  RecordRule rule;  // optional
  // What changing a record takes. With records:edit (the default), a role holding only
  // records:edit-own may change the records that name it in a user field (owner, assignee).
  Permission write_permission = Permission::kEditRecords;
  // Records are written only by the area's use cases (risk acceptances): the register can be
  // read, listed and exported, but not created, changed or deleted as such.
  bool workflow_only = false;
  // Set for a register of approved versions (see ApprovedVersions).
  std::optional<ApprovedVersions> versions;

  const FieldSpec* Field(std::string_view name) const;
  // True for the sortable system columns and sortable fields.
  bool IsSortable(std::string_view name) const;
  // True when a role holding only records:edit-own may change some of this register's records
  // (those naming it): the register is changed with records:edit and its records can name
  // people in a writable user field (owner, assignee).
  bool EditableByOwners() const;
};

// Fields several registers share.
FieldSpec OwnerField();       // "owner": who keeps the record current (filterable, sortable)
FieldSpec NextReviewField();  // "next_review": the date of the record's next periodic review
// The roles of a membership as choices ("isms_manager", "ISMS manager"), most powerful first:
// a document's distribution and an awareness campaign's audience name them.
std::vector<Choice> MembershipRoleChoices();
// The three fields saying whom a record reaches (a document's distribution, an awareness
// campaign's audience): `<prefix>_roles` (membership roles), `<prefix>_isms_roles` (the holders
// of ISMS roles) and `<prefix>_people` (named people), labelled "<label>: roles", ...;
// app::ResolveAudience turns them into the people they name.
std::vector<FieldSpec> AudienceFields(const std::string& prefix, const std::string& label,
                                      std::string people_help);

enum class WriteMode { kCreate, kUpdate };

// Validates and normalises `input` (a JSON object of field values) against `spec`. Unknown keys,
// wrong JSON types, missing required fields, values over their length, unknown enum values and
// invalid dates each give a FieldError. System keys (id, version, created_at, ...) are ignored.
// Read-only fields must be absent or equal to `before`'s value. On create, defaults are applied.
// Returns the normalised field object (every field present, null when empty); `errors` receives
// every problem (the result is then unusable).
Json ValidateFields(const RegisterSpec& spec, const Json& input, WriteMode mode, const Json* before,
                    std::vector<FieldError>& errors);

// Field-level difference between two field objects: {"field": {"from": x, "to": y}} for every
// field whose value differs. `before` or `after` may be null (create, delete).
Json DiffFields(const RegisterSpec& spec, const Json& before, const Json& after);

// True when the record has a `next_review` date before `today` (YYYY-MM-DD) and is not in a
// closed state of its lifecycle.
bool IsReviewOverdue(const RegisterSpec& spec, const Json& fields, std::string_view today);
// True when the register's lifecycle names a due field, the record's is before `today` and the
// record is not in a closed state.
bool IsPastDue(const RegisterSpec& spec, const Json& fields, std::string_view today);

// Two versions of a record compared field by field, and a table field row by row: rows equal in
// both are paired in order (a longest common subsequence); between two such pairs, removed and
// added rows are paired as changed rows, and the rest are added or removed.
struct RowComparison {
  enum class Kind { kSame, kAdded, kRemoved, kChanged };
  Kind kind = Kind::kSame;
  Json from;                                 // the row in the earlier version (null when added)
  Json to;                                   // the row in the later version (null when removed)
  std::vector<std::string> changed_columns;  // kChanged: the columns that differ
};
struct FieldComparison {
  const FieldSpec* field = nullptr;
  Json from;
  Json to;
  bool changed = false;
  std::vector<RowComparison> rows;  // kTable fields only
};
// Every field of `spec` in order, with read-only workflow fields (status, approval stamps) last.
std::vector<FieldComparison> CompareVersions(const RegisterSpec& spec, const Json& from,
                                             const Json& to);
const char* RowChangeName(RowComparison::Kind kind);  // "same", "added", "removed", "changed"

// A sequence field's value as shown: "POL-001" for one counted within another field (the
// series' value, the number in three digits at least), else the number; empty when unset.
std::string SequenceText(const FieldSpec& f, const Json& fields);

// True for the columns every record has: id, version, created_at, updated_at, created_by,
// updated_by.
bool IsSystemField(std::string_view name);

}  // namespace rampart::domain
