// The Store: every read and write of persistent state goes through this interface.
//
// Contract for every backend:
// - Every register query is scoped by organisation: a record of another organisation is
//   "not found", never visible.
// - A write is one transaction: the record changes, its `version` is checked (a stale version
//   fails with kConflict and changes nothing) and incremented, and one audit event per change is
//   appended to the hash chain, serialised with every other append.
// - Errors are Status values: kNotFound, kConflict, kAlreadyExists (unique values),
//   kInvalidArgument (a bad cursor, an unknown owner), kUnavailable (busy, unreachable).
// Implementations are thread-safe: one Store serves every request thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "domain/audit.h"
#include "domain/evidence.h"
#include "domain/identity.h"
#include "domain/record.h"
#include "domain/register.h"
#include "domain/register_query.h"
#include "domain/reminders.h"
#include "domain/soa.h"

namespace rampart::store {

using domain::Json;
// What is asked of a register, an audit trail or the people of an organisation, and what comes
// back: domain types, so that the layers above name them without the store.
using domain::AuditPage;
using domain::AuditQuery;
using domain::Filter;
using domain::GroupCount;
using domain::Invitation;
using domain::ListQuery;
using domain::Page;
using domain::Referrers;
using domain::UserSummary;

// Who makes a change, and when; carried into the audit event.
struct Actor {
  int64_t org_id = 0;
  int64_t user_id = 0;
  std::string username;
  std::string now;      // UTC ISO 8601
  std::string address;  // the client's address, for the audit event
};

// One change of a write. Inserts ignore `id` and `expected_version`.
struct Mutation {
  enum class Kind { kInsert, kUpdate, kDelete };
  Kind kind = Kind::kInsert;
  const domain::RegisterSpec* spec = nullptr;
  int64_t id = 0;
  int64_t expected_version = 0;
  Json fields;         // the complete record after the change (insert, update)
  std::string action;  // audit action: create, update, delete, approve, ...
  Json diff;           // audit diff
  // Fields that refer to a record inserted earlier in the same write (an audit finding's
  // nonconformity, raised with it; "/decisions/2/follow_up", a JSON pointer: a table's cell): each
  // is set, with its audit diff, to the id written by the mutation at that index before this one.
  std::vector<std::pair<std::string, size_t>> ids_of;
  // The record's identifier in another system (a spreadsheet's "Risk ID"), kept beside it so that
  // importing the same spreadsheet again updates the record: an insert or update with one sets it
  // (replacing the record's earlier key); kAlreadyExists when another record of the register
  // holds it. A delete forgets the record's key. Not part of the record or its audit diff.
  std::string external_id;
};

// An audit event before the store places it in the chain (seq, prev_hash, hash are assigned).
struct AuditDraft {
  int64_t org_id = 0;
  int64_t actor_id = 0;
  std::string actor;
  std::string at;
  std::string action;
  std::string record_type;
  int64_t record_id = 0;
  Json diff = Json::object();
  std::string address;  // the client's address; empty for the command line and the system
};

// A spreadsheet kept between the steps of an import page.
struct ImportUpload {
  int64_t id = 0;
  int64_t org_id = 0;
  int64_t user_id = 0;
  std::string record_type;
  std::string file_name;
  int64_t size = 0;
  std::string sha256;
  std::string created_at;
};

// A create sent with an Idempotency-Key (store/idempotency.h), and the answer it was given once
// that was sent (status 0 until then: the answer may have been lost).
struct IdempotentRequest {
  int64_t org_id = 0;
  std::string request_hash;
  std::string created_at;
  std::string record_type;
  int64_t record_id = 0;
  int status = 0;
  std::string content_type;
  std::string location;
  std::string body;
};

// A saved column mapping of a register: `columns` is a JSON object (spreadsheet column header ->
// what it holds), with the import's options.
struct ImportMapping {
  int64_t id = 0;
  std::string record_type;
  std::string name;
  Json columns = Json::object();
  int64_t updated_by = 0;
  std::string updated_at;
};

// A session or API token with what authentication needs about its holder, read in one
// statement (a request authenticates with one query, not four).
struct CredentialOwner {
  domain::User user;                             // password_hash left empty
  domain::Organisation org;                      // the organisation the credential acts in
  std::optional<domain::Membership> membership;  // empty when no longer a member
  domain::Session session;                       // sessions: every column but id_hash
  domain::ApiToken token;                        // tokens: every column but token_hash
};

// What the second factor needs of a user.
struct SecondFactorState {
  std::string secret;   // base32; empty when not enrolled
  std::string pending;  // offered at enrolment, not confirmed yet
  int64_t last_step = 0;
  int unused_recovery_codes = 0;
};

// A store's pool of database connections now, for monitoring.
struct PoolStats {
  int size = 0;        // the most connections it opens
  int open = 0;        // open now, in use or idle
  int idle = 0;        // open and waiting for a request
  uint64_t waits = 0;  // requests that waited for a connection because all were in use
};

class Store {
 public:
  virtual ~Store() = default;

  // Applies pending migrations; returns how many were applied. Idempotent.
  virtual Result<int> Migrate() = 0;
  // The highest applied migration number.
  virtual Result<int> SchemaVersion() = 0;

  // --- Registers ---
  virtual Result<domain::Record> Get(const domain::RegisterSpec& spec, int64_t org_id,
                                     int64_t id) = 0;
  virtual Result<Page> List(const domain::RegisterSpec& spec, int64_t org_id,
                            const ListQuery& query) = 0;
  // How many records match the query's filters and search (its sort, cursor, limit are ignored),
  // counting at most total_limit + 1 when total_limit is set.
  virtual Result<int64_t> Count(const domain::RegisterSpec& spec, int64_t org_id,
                                const ListQuery& query) = 0;
  // Titles (the register's title field) of the records among `ids` that exist in the
  // organisation; ids of other organisations or of no record are absent. One statement.
  virtual Result<std::map<int64_t, std::string>> Titles(const domain::RegisterSpec& spec,
                                                        int64_t org_id,
                                                        const std::vector<int64_t>& ids) = 0;
  // The records of each register that refer to record `id` of `target` (by a reference or list
  // of references field): how many, and the ids of the first kReferrerIds of them by id;
  // registers with none are left out.
  virtual Result<std::vector<Referrers>> ReferrersOf(const domain::RegisterSpec& target,
                                                     int64_t org_id, int64_t id) = 0;
  // Number of records matching the query's filters and search for each combination of values
  // of `fields` (one or two filterable fields, or one list field, whose records count once per
  // item they hold: the documents serving each clause): one statement, for heat maps and
  // summaries. With `latest_of` (a sortable field), also its greatest value in each group (a
  // communication's last log entry).
  virtual Result<std::vector<GroupCount>> CountBy(const domain::RegisterSpec& spec, int64_t org_id,
                                                  const ListQuery& query,
                                                  const std::vector<std::string>& fields,
                                                  const std::string& latest_of = "") = 0;
  // For each value of `group_field` (a filterable reference) among the records of `spec`: how
  // many records name it and the latest expiry they record — the greatest of their `date_field`
  // (a date) and of the `expires` of the evidence files attached to them (`latest`, a date text;
  // null when none records one). One statement (a supplier's latest certificate expiry, from its
  // assessments and the certificates attached to them).
  virtual Result<std::vector<GroupCount>> LatestExpiryBy(const domain::RegisterSpec& spec,
                                                         int64_t org_id,
                                                         const std::string& group_field,
                                                         const std::string& date_field) = 0;
  // The latest record of each group among `group_ids` of a reference field (`group_field`, a
  // filterable kRef): the one with the greatest `order_field` (a sortable field), the greatest id
  // among equals — a metric's latest measurement. Groups without records are absent; ids of
  // other organisations give nothing. One statement, an index seek per group.
  virtual Result<std::vector<domain::Record>> LatestPerGroup(const domain::RegisterSpec& spec,
                                                             int64_t org_id,
                                                             const std::string& group_field,
                                                             const std::vector<int64_t>& group_ids,
                                                             const std::string& order_field) = 0;
  // The heat map of all the organisation's risks without reading them: the number of risks per
  // (likelihood, impact) of their inherent or residual rating, from counts the database keeps
  // (a part of a rating not given reads as null). One statement.
  virtual Result<std::vector<GroupCount>> RiskRatingCounts(int64_t org_id, bool residual) = 0;
  // Applies every mutation in one transaction (sequence fields of inserts are numbered here);
  // returns the records as written (deleted records as they were). All or nothing.
  virtual Result<std::vector<domain::Record>> Write(const Actor& actor,
                                                    const std::vector<Mutation>& mutations) = 0;
  // A write too large to hold whole (a spreadsheet import of 100,000 rows): the same changes in
  // one transaction, all or nothing, as one Write of them all would make them (audit events,
  // numbering, links), but handed over a batch at a time. `produce` gives each batch to the
  // writer it is passed, which writes it and answers the id each of its mutations wrote, in
  // order (the records are not read back); `ids_of` refers within a batch. An error `produce`
  // returns (or one of the writer's) rolls everything back and is returned. When the transaction
  // has to be run again (it lost to a concurrent one) `produce` is called again from the start and
  // must give the same changes. `produce` may read through the store meanwhile (its thread may
  // open one connection beyond the pool's size for that).
  using BatchWriter = std::function<Result<std::vector<int64_t>>(const std::vector<Mutation>&)>;
  virtual Status WriteInBatches(const Actor& actor,
                                const std::function<Status(const BatchWriter& write)>& produce) = 0;

  // --- Organisations, users, memberships ---
  // Every change below appends its `audit` event in the same transaction (record_id filled in
  // where the change creates the record).
  virtual Result<domain::Organisation> CreateOrganisation(const std::string& name,
                                                          const AuditDraft& audit) = 0;
  virtual Result<domain::Organisation> FindOrganisation(const std::string& name) = 0;
  virtual Result<domain::Organisation> GetOrganisation(int64_t id) = 0;
  // Every organisation, oldest first.
  virtual Result<std::vector<domain::Organisation>> ListOrganisations() = 0;
  // The organisation's profile (all empty until the guided setup).
  virtual Result<domain::OrganisationProfile> GetOrganisationProfile(int64_t org_id) = 0;
  // Renames the organisation and keeps its profile, with `audit`, in one transaction:
  // kAlreadyExists (field "name") when another organisation has the name, kNotFound when there is
  // no such organisation.
  virtual Status SetOrganisationProfile(int64_t org_id, const std::string& name,
                                        const domain::OrganisationProfile& profile,
                                        const AuditDraft& audit) = 0;
  virtual Status SetSecondFactorRoles(int64_t org_id, const std::vector<domain::Role>& roles,
                                      const AuditDraft& audit) = 0;
  // Creates the user with a first membership (its user_id is ignored).
  virtual Result<domain::User> CreateUser(const domain::User& user,
                                          const domain::Membership& membership,
                                          AuditDraft audit) = 0;
  virtual Result<domain::User> FindUser(const std::string& username) = 0;
  virtual Result<domain::User> GetUser(int64_t id) = 0;
  virtual Result<std::optional<domain::Membership>> GetMembership(int64_t user_id,
                                                                  int64_t org_id) = 0;
  // The user's memberships with their organisation's name, oldest organisation first.
  virtual Result<std::vector<domain::Membership>> Memberships(int64_t user_id) = 0;
  // kAlreadyExists when the user is a member already.
  virtual Status AddMembership(const domain::Membership& membership, const AuditDraft& audit) = 0;
  // Changes role and expiry; kNotFound when the user is not a member.
  virtual Status UpdateMembership(const domain::Membership& membership,
                                  const AuditDraft& audit) = 0;
  // The organisation that created the account (its administrators manage the account itself);
  // 0 when unknown (an account that belonged to no organisation when migration 0011 ran).
  virtual Result<int64_t> AccountHome(int64_t user_id) = 0;
  // Invites `invitation.user_id` to `invitation.org_id` (id, org_name ignored), replacing a
  // pending invitation of the same person to the same organisation. Appends `audit`.
  virtual Status PutInvitation(const Invitation& invitation, const AuditDraft& audit) = 0;
  // The user's pending invitations, oldest first, with their organisation's name.
  virtual Result<std::vector<Invitation>> Invitations(int64_t user_id) = 0;
  // Accepting makes (or renews) the membership the invitation offers and deletes the
  // invitation; declining only deletes it. Both append `audit` with the invitation's organisation
  // as org_id and return the invitation. kNotFound when the user has no such invitation.
  virtual Result<Invitation> AcceptInvitation(int64_t user_id, int64_t invitation_id,
                                              AuditDraft audit) = 0;
  virtual Result<Invitation> DeclineInvitation(int64_t user_id, int64_t invitation_id,
                                               AuditDraft audit) = 0;
  // The organisation's members ordered by user name.
  virtual Result<std::vector<UserSummary>> ListMembers(int64_t org_id) = 0;
  // Replaces password hash, must-change flag and expiry (`expires_at` empty: none; a one-time
  // password has one).
  virtual Status SetPassword(int64_t user_id, const std::string& password_hash, bool must_change,
                             const std::string& expires_at, const AuditDraft& audit) = 0;
  // Uses up the user's one-time password at sign-in: when it must be changed and has not expired
  // by `at`, its expiry becomes `at` and the result is true; otherwise false (used already, or
  // expired). Atomic across instances, so two sign-ins cannot both use it. No audit event.
  virtual Result<bool> UseOneTimePassword(int64_t user_id, const std::string& at) = 0;
  // Re-hashes a password with current parameters; no audit event (nothing the user chose).
  virtual Status RehashPassword(int64_t user_id, const std::string& password_hash) = 0;
  virtual Status SetDisplayName(int64_t user_id, const std::string& display_name,
                                const AuditDraft& audit) = 0;
  // The user's e-mail address (empty: none); the caller validates it.
  virtual Status SetEmail(int64_t user_id, const std::string& email, const AuditDraft& audit) = 0;
  // Disabling also deletes the user's sessions and revokes their tokens, in the same transaction.
  virtual Status SetUserDisabled(int64_t user_id, bool disabled, const AuditDraft& audit) = 0;

  // --- Second factor ---
  virtual Result<SecondFactorState> GetSecondFactor(int64_t user_id) = 0;
  // The secret offered at enrolment (empty clears it). No audit: nothing is in force yet.
  virtual Status SetPendingSecondFactor(int64_t user_id, const std::string& secret) = 0;
  // Puts the secret in force with `step` as the last used step, replacing the recovery codes.
  virtual Status EnableSecondFactor(int64_t user_id, const std::string& secret, int64_t step,
                                    const std::vector<std::string>& recovery_code_hashes,
                                    const AuditDraft& audit) = 0;
  virtual Status DisableSecondFactor(int64_t user_id, const AuditDraft& audit) = 0;
  virtual Status ReplaceRecoveryCodes(int64_t user_id, const std::vector<std::string>& code_hashes,
                                      const AuditDraft& audit) = 0;
  // Records `step` as used; false when it is not newer than the last used one (a replay). Atomic
  // across instances.
  virtual Result<bool> UseSecondFactorStep(int64_t user_id, int64_t step) = 0;
  // The stored hashes of the user's unused recovery codes (Argon2id strings, or SHA-256 hex
  // digests written before migration 0010), to verify a code against.
  virtual Result<std::vector<std::string>> UnusedRecoveryCodes(int64_t user_id) = 0;
  // Marks the unused recovery code stored as `code_hash` used; false when there is no such unused
  // code (used meanwhile).
  virtual Result<bool> UseRecoveryCode(int64_t user_id, const std::string& code_hash,
                                       const std::string& at, const AuditDraft& audit) = 0;

  // --- Sign-in throttling ---
  // Records a failure at `at` for each subject, and forgets every failure older than
  // `forget_before` (only the throttling window matters).
  virtual Status RecordSignInFailure(const std::vector<std::string>& subjects,
                                     const std::string& at, const std::string& forget_before) = 0;
  // Times of the subject's failures since `since`, oldest first.
  virtual Result<std::vector<std::string>> SignInFailures(const std::string& subject,
                                                          const std::string& since) = 0;
  virtual Status ClearSignInFailures(const std::string& subject) = 0;

  // --- Sessions and tokens ---
  // Returns the session with its id.
  virtual Result<domain::Session> CreateSession(const domain::Session& session,
                                                const AuditDraft& audit) = 0;
  // kNotFound when no session or token has this hash.
  virtual Result<CredentialOwner> FindSessionOwner(const std::string& id_hash) = 0;
  virtual Result<CredentialOwner> FindTokenOwner(const std::string& token_hash) = 0;
  // Activity: last seen (sessions), last used (tokens). No audit event.
  virtual Status TouchSession(const std::string& id_hash, const std::string& at) = 0;
  virtual Status TouchToken(int64_t token_id, const std::string& at) = 0;
  // The second factor was given: the session becomes active, under a new id (`new_id_hash`),
  // ending at `expires_at` (its absolute lifetime counts from here).
  virtual Status ActivateSession(const std::string& id_hash, const std::string& new_id_hash,
                                 const std::string& expires_at, const AuditDraft& audit) = 0;
  // The holder proved their password (and second factor) at `at`. No audit event (the caller
  // records the re-authentication); kNotFound when there is no such session.
  virtual Status SetSessionReauthenticated(const std::string& id_hash, const std::string& at) = 0;
  virtual Status SwitchSessionOrganisation(const std::string& id_hash, int64_t org_id,
                                           const AuditDraft& audit) = 0;
  // The user's sessions, newest first.
  virtual Result<std::vector<domain::Session>> ListSessions(int64_t user_id) = 0;
  virtual Status DeleteSession(const std::string& id_hash, const AuditDraft& audit) = 0;
  // Ends session `session_id` of `user_id`; kNotFound when the user has no such session.
  virtual Status EndSession(int64_t user_id, int64_t session_id, const AuditDraft& audit) = 0;
  // Ends every session of the user but `keep_id_hash` (may be empty) — only those acting in
  // `org_id` unless it is 0; returns how many.
  virtual Result<int> EndSessions(int64_t user_id, const std::string& keep_id_hash,
                                  const AuditDraft& audit, int64_t org_id = 0) = 0;
  virtual Result<domain::ApiToken> CreateToken(const domain::ApiToken& token, AuditDraft audit) = 0;
  // The user's tokens, newest first, without their hashes.
  virtual Result<std::vector<domain::ApiToken>> ListTokens(int64_t user_id) = 0;
  // kNotFound when the user has no such token.
  virtual Status RevokeToken(int64_t user_id, int64_t token_id, const AuditDraft& audit) = 0;
  // Revokes every token of the user not revoked yet; returns how many. The audit event (its diff
  // gets "tokens_revoked") is appended only when there were some.
  virtual Result<int> RevokeTokens(int64_t user_id, const AuditDraft& audit) = 0;

  // --- Evidence files ---
  // Stores `content` (once per organisation and SHA-256: the same bytes attached twice are kept
  // once) and the file's row, and appends `audit` (record_id filled in), in one transaction.
  // `file.id` is ignored; returns the file with its id. The caller computes `file.sha256` and
  // `file.size` from `content`.
  virtual Result<domain::EvidenceFile> AddEvidence(const domain::EvidenceFile& file,
                                                   const std::string& content,
                                                   AuditDraft audit) = 0;
  // The files attached to one record, oldest first.
  virtual Result<std::vector<domain::EvidenceFile>> ListEvidence(int64_t org_id,
                                                                 const std::string& record_type,
                                                                 int64_t record_id) = 0;
  // kNotFound when the organisation has no such file.
  virtual Result<domain::EvidenceFile> GetEvidence(int64_t org_id, int64_t id) = 0;
  virtual Result<std::string> ReadEvidenceContent(int64_t org_id, int64_t id) = 0;
  // The organisation's files whose expiry falls from `from` to `to` (YYYY-MM-DD, inclusive),
  // soonest first, at most `limit`. One statement (the overview's "evidence expiring").
  virtual Result<std::vector<domain::EvidenceFile>> ExpiringEvidence(int64_t org_id,
                                                                     const std::string& from,
                                                                     const std::string& to,
                                                                     int limit) = 0;
  // For each record of `record_type` with evidence files uploaded before `uploaded_before` (UTC,
  // ISO 8601, or a day; empty: all): `values` its id and how many of its files never expire,
  // `count` how many files, `latest` their latest expiry (a date text; null when none has one).
  // One statement (readiness: implemented controls whose evidence has all expired).
  virtual Result<std::vector<GroupCount>> EvidenceExpiryBy(int64_t org_id,
                                                           const std::string& record_type,
                                                           const std::string& uploaded_before) = 0;
  // Deletes the file's row and, when no other file of the organisation has the same content, the
  // content; appends `audit`. kNotFound when the organisation has no such file.
  virtual Status DeleteEvidence(int64_t org_id, int64_t id, const AuditDraft& audit) = 0;

  // --- Audit trail ---
  virtual Status AppendAudit(const AuditDraft& audit) = 0;
  // Events of one record, oldest first.
  virtual Result<std::vector<domain::AuditEvent>> RecordHistory(int64_t org_id,
                                                                const std::string& record_type,
                                                                int64_t record_id) = 0;
  // Newest events of an organisation, newest first.
  virtual Result<std::vector<domain::AuditEvent>> RecentEvents(int64_t org_id, int limit) = 0;
  // A page of the organisation's events matching `q`, newest first. One statement, served by an
  // index for each filter.
  virtual Result<AuditPage> ListAudit(int64_t org_id, const AuditQuery& q) = 0;
  // The organisation's events after sequence number `after` about records of one of
  // `record_types`, oldest first, at most `limit`. One statement.
  virtual Result<std::vector<domain::AuditEvent>> EventsSince(
      int64_t org_id, const std::vector<std::string>& record_types, int64_t after, int limit) = 0;
  // Calls `fn` with every event in chain order; stops early when `fn` returns false.
  virtual Status ScanAudit(const std::function<bool(const domain::AuditEvent&)>& fn) = 0;

  // --- Statement of Applicability ---
  // The organisation's written entries, by control id (a control never decided has none).
  virtual Result<std::vector<domain::SoaEntry>> SoaEntries(int64_t org_id) = 0;
  // kNotFound when the control has no entry in the organisation yet.
  virtual Result<domain::SoaEntry> GetSoaEntry(int64_t org_id, const std::string& control_id) = 0;
  // One decision to write: `entry` (control_id, applicable, reasons, justification, override
  // and its reason) when the stored version is `expected_version` (0: no entry yet), with `diff`
  // for its audit event.
  struct SoaPut {
    domain::SoaEntry entry;
    int64_t expected_version = 0;
    Json diff;
  };
  // Writes every decision of `puts` in one transaction, each as its entry's next version with its
  // audit event (record type "soa_entry", the entry's id, action "create" or "update"), or none
  // of them: kConflict naming the control when a stored version differs. Returns the entries as
  // written, in the order of `puts`.
  virtual Result<std::vector<domain::SoaEntry>> PutSoaEntries(const Actor& actor,
                                                              const std::vector<SoaPut>& puts) = 0;
  // PutSoaEntries for one decision.
  Result<domain::SoaEntry> PutSoaEntry(const Actor& actor, const domain::SoaEntry& entry,
                                       int64_t expected_version, const Json& diff) {
    ASSIGN_OR_RETURN(auto written, PutSoaEntries(actor, {SoaPut{entry, expected_version, diff}}));
    return std::move(written.front());
  }
  // Every applied control of the organisation that names Annex A controls, with its id, name,
  // status and annex_controls. One statement.
  virtual Result<std::vector<domain::SoaAppliedControl>> AnnexLinkedControls(int64_t org_id) = 0;
  // Every (record id, target id) link of field `field` of the records of type `record_type`
  // (a list-of-references field: a risk's "controls"), in no particular order; only those to
  // `targets` when it is not empty. One statement.
  virtual Result<std::vector<std::pair<int64_t, int64_t>>> RecordLinks(
      int64_t org_id, const std::string& record_type, const std::string& field,
      const std::vector<int64_t>& targets = {}) = 0;
  // The lowest `limit` ids of records of type `record_type` whose list `field` names one of
  // `targets` (not empty), ascending. One statement. `many` chooses how: walk the records in id
  // order until `limit` are found (quick when many records link to the targets), or read every
  // link to the targets and sort them (quick when few do; SQLite, without statistics, would
  // walk every record for a target that a few recent records name).
  virtual Result<std::vector<int64_t>> FirstLinking(int64_t org_id, const std::string& record_type,
                                                    const std::string& field,
                                                    const std::vector<int64_t>& targets, int limit,
                                                    bool many) = 0;
  // The sequence number of the organisation's newest audit event about a record of one of
  // `record_types` (0 when there is none). Every change appends one in its transaction, and
  // writes are serialised, so a figure derived from those records after reading this number is
  // current for as long as the number stays the same. One statement.
  virtual Result<int64_t> LastChange(int64_t org_id,
                                     const std::vector<std::string>& record_types) = 0;
  // Stores an approved version (approved_by, approver, approved_at, note, snapshot of `version`;
  // its number is the organisation's next) with its audit event (record type "soa_version",
  // action "approve"), provided the sum of the versions of the organisation's entries is still
  // `entries_version_sum`: kConflict when an entry changed after the snapshot was taken.
  // Returns the version with its id and number. Versions are immutable.
  virtual Result<domain::SoaVersion> AddSoaVersion(const Actor& actor, domain::SoaVersion version,
                                                   int64_t entries_version_sum) = 0;
  // The organisation's approved versions, newest first, without their snapshots.
  virtual Result<std::vector<domain::SoaVersion>> ListSoaVersions(int64_t org_id) = 0;
  // kNotFound when the organisation has no version `number`.
  virtual Result<domain::SoaVersion> GetSoaVersion(int64_t org_id, int64_t number) = 0;

  // --- Spreadsheet import (issue 16) ---
  // The organisation's records of `record_type` that have an identifier in another system
  // (Mutation::external_id): identifier -> record id. One statement.
  virtual Result<std::map<std::string, int64_t>> ExternalIds(int64_t org_id,
                                                             const std::string& record_type) = 0;
  // Keeps an uploaded spreadsheet for the steps of an import page (`upload.id` ignored) and
  // forgets every upload made before `forget_before` (UTC, ISO 8601); returns its id.
  virtual Result<int64_t> PutImportUpload(const ImportUpload& upload, const std::string& content,
                                          const std::string& forget_before) = 0;
  // The upload `id` of `user_id` in `org_id`, with its content; kNotFound for anyone else's.
  virtual Result<std::pair<ImportUpload, std::string>> GetImportUpload(int64_t org_id,
                                                                       int64_t user_id,
                                                                       int64_t id) = 0;
  virtual Status DeleteImportUpload(int64_t org_id, int64_t user_id, int64_t id) = 0;
  // The organisation's saved column mappings of `record_type`, by name.
  virtual Result<std::vector<ImportMapping>> ImportMappings(int64_t org_id,
                                                            const std::string& record_type) = 0;
  // Saves `mapping` under its name (replacing a mapping of the register with that name) with its
  // audit event (record type "import_mapping", action "create" or "update"); returns it with its
  // id. `updated_by`, `updated_at` come from `actor`.
  virtual Result<ImportMapping> PutImportMapping(const Actor& actor, ImportMapping mapping) = 0;
  // Deletes the organisation's mapping `id` with its audit event; kNotFound when there is none.
  virtual Status DeleteImportMapping(const Actor& actor, int64_t id) = 0;

  // --- Idempotency-Key (issue 17): the key itself is kept by the write it guards ---
  // The request `user_id` sent with `key` at or after `not_before` (UTC, ISO 8601); nullopt when
  // there is none. One statement.
  virtual Result<std::optional<IdempotentRequest>> FindIdempotencyKey(
      int64_t user_id, const std::string& key, const std::string& not_before) = 0;
  // Adds the answer sent to the request kept under `key` (one statement; nothing when the key
  // was not kept).
  virtual Status KeepIdempotentAnswer(int64_t user_id, const std::string& key,
                                      const IdempotentRequest& answer) = 0;

  // --- Notifications and reminder digests (issue 14) ---
  // A person's digest of one day in one organisation, with its notification and e-mail.
  struct DigestRecord {
    int64_t org_id = 0;
    int64_t user_id = 0;
    std::string day;                    // YYYY-MM-DD
    std::string created_at;             // UTC ISO 8601
    domain::Notification notification;  // org_id, user_id, created_at, read_at ignored
    std::string email_to;               // empty: no e-mail (no address, or no SMTP configured)
    std::string email_subject;
    std::string email_body;
  };
  // Records the digest and inserts its notification in one transaction, unless a digest of the
  // same (org_id, user_id, day) is recorded already (by another pass or instance): true when this
  // call recorded it, false when it did nothing. The unique key decides, so two concurrent calls
  // never both record.
  virtual Result<bool> RecordDigest(const DigestRecord& digest) = 0;
  // The people of the organisation who have a digest of `day` already. One statement.
  virtual Result<std::vector<int64_t>> DigestsOn(int64_t org_id, const std::string& day) = 0;
  // Claims at most `limit` digest e-mails to send: pending ones, failed ones tried fewer than
  // `max_attempts` times, and ones claimed by a pass whose claim ran out before `now` (it
  // stopped), of `oldest_day` or later, with ids above `after_id` (a pass claims in batches and
  // does not try again what failed in it), by id. Each is marked sending until `claim_until` with
  // its attempts counted, in one write transaction, so no other pass or instance claims it
  // meanwhile.
  virtual Result<std::vector<domain::DigestEmail>> ClaimDigestEmails(
      const std::string& now, const std::string& claim_until, int max_attempts,
      const std::string& oldest_day, int64_t after_id, int limit) = 0;
  // The outcome of sending a claimed e-mail: sent (at `at`), or failed with `error`.
  virtual Status FinishDigestEmail(int64_t digest_id, domain::EmailStatus status,
                                   const std::string& error, const std::string& at) = 0;
  // The person's notifications in the organisation, newest first, with ids below `before` (0:
  // from the newest), at most `limit`. One statement.
  virtual Result<domain::NotificationPage> ListNotifications(int64_t org_id, int64_t user_id,
                                                             int64_t before, int limit) = 0;
  // How many of the person's notifications in the organisation are unread. One indexed COUNT.
  virtual Result<int64_t> CountUnreadNotifications(int64_t org_id, int64_t user_id) = 0;
  // Marks the person's notification `id` read at `at` (kept when read already). kNotFound when
  // the person has no such notification in the organisation.
  virtual Status MarkNotificationRead(int64_t org_id, int64_t user_id, int64_t id,
                                      const std::string& at) = 0;
  // Marks every unread notification of the person in the organisation read; returns how many.
  virtual Result<int> MarkAllNotificationsRead(int64_t org_id, int64_t user_id,
                                               const std::string& at) = 0;
  // A lease on the background job `name` for `holder` until `until`: true when taken — nobody
  // held it, their lease ran out before `now`, or `holder` holds it already (renewed) — false
  // when another holder's lease still runs. Atomic across instances.
  virtual Result<bool> TakeLease(const std::string& name, const std::string& holder,
                                 const std::string& now, const std::string& until) = 0;
  // Gives the lease up when `holder` holds it.
  virtual Status ReleaseLease(const std::string& name, const std::string& holder) = 0;

  // --- Readiness history (issue 15) ---
  // Keeps `summary` as organisation `org_id`'s readiness on `day` (YYYY-MM-DD), recorded at
  // `at`, unless that day is kept already: the first recording of a day stands. True when kept
  // now. Atomic across instances.
  virtual Result<bool> PutReadinessDay(int64_t org_id, const std::string& day, const Json& summary,
                                       const std::string& at) = 0;
  // The days kept from `from` (inclusive) on, oldest first, with their summaries.
  virtual Result<std::vector<std::pair<std::string, Json>>> ReadinessDays(
      int64_t org_id, const std::string& from) = 0;

  // --- Whole installations ---
  // Copies everything this store holds (organisations, users, memberships, sessions, tokens,
  // every register's records with their versions, evidence files, the audit trail) into
  // `destination`, keeping ids, in one transaction there. kFailedPrecondition when the destination
  // holds data already.
  virtual Status CopyTo(Store& destination) = 0;

  // The audit chain's length: the sequence number of its last event, 0 when it is empty. One
  // statement.
  virtual Result<int64_t> AuditChainLength() = 0;
  // The pool of connections now.
  virtual PoolStats Pool() = 0;

  // Number of SQL statements this store has executed; tests use it to catch N+1 queries.
  uint64_t StatementCount() const { return statements_.load(std::memory_order_relaxed); }

 protected:
  void CountStatement() { statements_.fetch_add(1, std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> statements_{0};
};

struct StoreOptions {
  int pool_size = 16;  // database connections at most (one per concurrent request)
};

// Opens the store named by `url`: a SQLite file path or `sqlite:PATH` (the file is created when
// absent), or PostgreSQL as a `postgresql://USER:PASS@HOST:PORT/DB` URI or a libpq keyword
// string (`host=/run/postgresql dbname=rampart`). Does not migrate. kUnavailable when the
// database cannot be reached.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options = {});
// True when `url` names a PostgreSQL database.
bool IsPostgresUrl(const std::string& url);
// `url` (a PostgreSQL URI or keyword string) as a keyword string naming database `dbname`
// instead: host, hostaddr, port, dbname and user first, then every other keyword `url` sets.
// kInvalidArgument when libpq cannot parse `url`. (Tests and benchmarks make databases of their
// own on one cluster with it.)
Result<std::string> PostgresUrlWithDatabase(const std::string& url, const std::string& dbname);

}  // namespace rampart::store
