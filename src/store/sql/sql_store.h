// The Store over any SQL database reached through a SqlDriver: the one implementation of the
// store contract (store.h). Connections come from a pool of at most `pool_size`; a broken
// connection is dropped and replaced on the next request, so the store keeps serving after the
// database restarts. A connection idle for `idle_close` is closed by a thread of the store's own,
// all but the most recently used one, so that what a burst of concurrent requests opened (on
// SQLite each connection keeps the parsed schema, ~3 MB, and its page cache) is given back.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/sql/driver.h"
#include "store/store.h"

namespace rampart::store {

class SqlStore final : public Store {
 public:
  static constexpr std::chrono::milliseconds kIdleClose{30000};
  SqlStore(std::unique_ptr<SqlDriver> driver, int pool_size,
           std::chrono::milliseconds idle_close = kIdleClose);
  ~SqlStore() override;  // stops the closing thread; every connection must be back

  Result<int> Migrate() override;
  Result<int> SchemaVersion() override;

  Result<domain::Record> Get(const domain::RegisterSpec& spec, int64_t org_id, int64_t id) override;
  Result<Page> List(const domain::RegisterSpec& spec, int64_t org_id,
                    const ListQuery& query) override;
  Result<int64_t> Count(const domain::RegisterSpec& spec, int64_t org_id,
                        const ListQuery& query) override;
  Result<std::map<int64_t, std::string>> Titles(const domain::RegisterSpec& spec, int64_t org_id,
                                                const std::vector<int64_t>& ids) override;
  Result<std::vector<Referrers>> ReferrersOf(const domain::RegisterSpec& target, int64_t org_id,
                                             int64_t id) override;
  Result<std::vector<GroupCount>> RiskRatingCounts(int64_t org_id, bool residual) override;
  Result<std::vector<GroupCount>> CountBy(const domain::RegisterSpec& spec, int64_t org_id,
                                          const ListQuery& query,
                                          const std::vector<std::string>& fields,
                                          const std::string& latest_of = "") override;
  Result<std::vector<GroupCount>> LatestExpiryBy(const domain::RegisterSpec& spec, int64_t org_id,
                                                 const std::string& group_field,
                                                 const std::string& date_field) override;
  Result<std::vector<domain::Record>> LatestPerGroup(const domain::RegisterSpec& spec,
                                                     int64_t org_id, const std::string& group_field,
                                                     const std::vector<int64_t>& group_ids,
                                                     const std::string& order_field) override;
  Result<std::vector<domain::Record>> Write(const Actor& actor,
                                            const std::vector<Mutation>& mutations) override;
  Status WriteInBatches(const Actor& actor,
                        const std::function<Status(const BatchWriter& write)>& produce) override;

  Result<domain::Organisation> CreateOrganisation(const std::string& name,
                                                  const AuditDraft& audit) override;
  Result<domain::Organisation> FindOrganisation(const std::string& name) override;
  Result<domain::Organisation> GetOrganisation(int64_t id) override;
  Result<std::vector<domain::Organisation>> ListOrganisations() override;
  Result<domain::OrganisationProfile> GetOrganisationProfile(int64_t org_id) override;
  Status SetOrganisationProfile(int64_t org_id, const std::string& name,
                                const domain::OrganisationProfile& profile,
                                const AuditDraft& audit) override;
  Status SetSecondFactorRoles(int64_t org_id, const std::vector<domain::Role>& roles,
                              const AuditDraft& audit) override;
  Result<domain::User> CreateUser(const domain::User& user, const domain::Membership& membership,
                                  AuditDraft audit) override;
  Result<domain::User> FindUser(const std::string& username) override;
  Result<domain::User> GetUser(int64_t id) override;
  Result<std::optional<domain::Membership>> GetMembership(int64_t user_id, int64_t org_id) override;
  Result<std::vector<domain::Membership>> Memberships(int64_t user_id) override;
  Status AddMembership(const domain::Membership& membership, const AuditDraft& audit) override;
  Status UpdateMembership(const domain::Membership& membership, const AuditDraft& audit) override;
  Result<std::vector<UserSummary>> ListMembers(int64_t org_id) override;
  Result<int64_t> AccountHome(int64_t user_id) override;
  Status PutInvitation(const Invitation& invitation, const AuditDraft& audit) override;
  Result<std::vector<Invitation>> Invitations(int64_t user_id) override;
  Result<Invitation> AcceptInvitation(int64_t user_id, int64_t invitation_id,
                                      AuditDraft audit) override;
  Result<Invitation> DeclineInvitation(int64_t user_id, int64_t invitation_id,
                                       AuditDraft audit) override;
  Status SetPassword(int64_t user_id, const std::string& password_hash, bool must_change,
                     const std::string& expires_at, const AuditDraft& audit) override;
  Result<bool> UseOneTimePassword(int64_t user_id, const std::string& at) override;
  Status RehashPassword(int64_t user_id, const std::string& password_hash) override;
  Status SetDisplayName(int64_t user_id, const std::string& display_name,
                        const AuditDraft& audit) override;
  Status SetEmail(int64_t user_id, const std::string& email, const AuditDraft& audit) override;
  Status SetUserDisabled(int64_t user_id, bool disabled, const AuditDraft& audit) override;

  Result<SecondFactorState> GetSecondFactor(int64_t user_id) override;
  Status SetPendingSecondFactor(int64_t user_id, const std::string& secret) override;
  Status EnableSecondFactor(int64_t user_id, const std::string& secret, int64_t step,
                            const std::vector<std::string>& recovery_code_hashes,
                            const AuditDraft& audit) override;
  Status DisableSecondFactor(int64_t user_id, const AuditDraft& audit) override;
  Status ReplaceRecoveryCodes(int64_t user_id, const std::vector<std::string>& code_hashes,
                              const AuditDraft& audit) override;
  Result<bool> UseSecondFactorStep(int64_t user_id, int64_t step) override;
  Result<std::vector<std::string>> UnusedRecoveryCodes(int64_t user_id) override;
  Result<bool> UseRecoveryCode(int64_t user_id, const std::string& code_hash, const std::string& at,
                               const AuditDraft& audit) override;

  Status RecordSignInFailure(const std::vector<std::string>& subjects, const std::string& at,
                             const std::string& forget_before) override;
  Result<std::vector<std::string>> SignInFailures(const std::string& subject,
                                                  const std::string& since) override;
  Status ClearSignInFailures(const std::string& subject) override;

  Result<domain::Session> CreateSession(const domain::Session& session,
                                        const AuditDraft& audit) override;
  Result<CredentialOwner> FindSessionOwner(const std::string& id_hash) override;
  Result<CredentialOwner> FindTokenOwner(const std::string& token_hash) override;
  Status TouchSession(const std::string& id_hash, const std::string& at) override;
  Status TouchToken(int64_t token_id, const std::string& at) override;
  Status ActivateSession(const std::string& id_hash, const std::string& new_id_hash,
                         const std::string& expires_at, const AuditDraft& audit) override;
  Status SetSessionReauthenticated(const std::string& id_hash, const std::string& at) override;
  Status SwitchSessionOrganisation(const std::string& id_hash, int64_t org_id,
                                   const AuditDraft& audit) override;
  Result<std::vector<domain::Session>> ListSessions(int64_t user_id) override;
  Status DeleteSession(const std::string& id_hash, const AuditDraft& audit) override;
  Status EndSession(int64_t user_id, int64_t session_id, const AuditDraft& audit) override;
  Result<int> EndSessions(int64_t user_id, const std::string& keep_id_hash, const AuditDraft& audit,
                          int64_t org_id = 0) override;
  Result<domain::ApiToken> CreateToken(const domain::ApiToken& token, AuditDraft audit) override;
  Result<std::vector<domain::ApiToken>> ListTokens(int64_t user_id) override;
  Status RevokeToken(int64_t user_id, int64_t token_id, const AuditDraft& audit) override;
  Result<int> RevokeTokens(int64_t user_id, const AuditDraft& audit) override;

  Result<domain::EvidenceFile> AddEvidence(const domain::EvidenceFile& file,
                                           const std::string& content, AuditDraft audit) override;
  Result<std::vector<domain::EvidenceFile>> ListEvidence(int64_t org_id,
                                                         const std::string& record_type,
                                                         int64_t record_id) override;
  Result<std::vector<domain::EvidenceFile>> ExpiringEvidence(int64_t org_id,
                                                             const std::string& from,
                                                             const std::string& to,
                                                             int limit) override;
  Result<std::vector<GroupCount>> EvidenceExpiryBy(int64_t org_id, const std::string& record_type,
                                                   const std::string& uploaded_before) override;
  Result<domain::EvidenceFile> GetEvidence(int64_t org_id, int64_t id) override;
  Result<std::string> ReadEvidenceContent(int64_t org_id, int64_t id) override;
  Status DeleteEvidence(int64_t org_id, int64_t id, const AuditDraft& audit) override;

  Status AppendAudit(const AuditDraft& audit) override;
  Result<std::vector<domain::AuditEvent>> RecordHistory(int64_t org_id,
                                                        const std::string& record_type,
                                                        int64_t record_id) override;
  Result<std::vector<domain::AuditEvent>> RecentEvents(int64_t org_id, int limit) override;
  Result<AuditPage> ListAudit(int64_t org_id, const AuditQuery& q) override;
  Result<std::vector<domain::AuditEvent>> EventsSince(int64_t org_id,
                                                      const std::vector<std::string>& record_types,
                                                      int64_t after, int limit) override;
  Status ScanAudit(const std::function<bool(const domain::AuditEvent&)>& fn) override;

  Result<std::vector<domain::SoaEntry>> SoaEntries(int64_t org_id) override;
  Result<domain::SoaEntry> GetSoaEntry(int64_t org_id, const std::string& control_id) override;
  Result<std::vector<domain::SoaEntry>> PutSoaEntries(const Actor& actor,
                                                      const std::vector<SoaPut>& puts) override;
  Result<std::vector<domain::SoaAppliedControl>> AnnexLinkedControls(int64_t org_id) override;
  Result<std::vector<std::pair<int64_t, int64_t>>> RecordLinks(
      int64_t org_id, const std::string& record_type, const std::string& field,
      const std::vector<int64_t>& targets) override;
  Result<std::vector<int64_t>> FirstLinking(int64_t org_id, const std::string& record_type,
                                            const std::string& field,
                                            const std::vector<int64_t>& targets, int limit,
                                            bool many) override;
  Result<int64_t> LastChange(int64_t org_id, const std::vector<std::string>& record_types) override;
  Result<domain::SoaVersion> AddSoaVersion(const Actor& actor, domain::SoaVersion version,
                                           int64_t entries_version_sum) override;
  Result<std::vector<domain::SoaVersion>> ListSoaVersions(int64_t org_id) override;
  Result<domain::SoaVersion> GetSoaVersion(int64_t org_id, int64_t number) override;

  Result<bool> RecordDigest(const DigestRecord& digest) override;
  Result<std::vector<int64_t>> DigestsOn(int64_t org_id, const std::string& day) override;
  Result<std::vector<domain::DigestEmail>> ClaimDigestEmails(const std::string& now,
                                                             const std::string& claim_until,
                                                             int max_attempts,
                                                             const std::string& oldest_day,
                                                             int64_t after_id, int limit) override;
  Status FinishDigestEmail(int64_t digest_id, domain::EmailStatus status, const std::string& error,
                           const std::string& at) override;
  Result<domain::NotificationPage> ListNotifications(int64_t org_id, int64_t user_id,
                                                     int64_t before, int limit) override;
  Result<int64_t> CountUnreadNotifications(int64_t org_id, int64_t user_id) override;
  Status MarkNotificationRead(int64_t org_id, int64_t user_id, int64_t id,
                              const std::string& at) override;
  Result<int> MarkAllNotificationsRead(int64_t org_id, int64_t user_id,
                                       const std::string& at) override;
  Result<bool> TakeLease(const std::string& name, const std::string& holder, const std::string& now,
                         const std::string& until) override;
  Status ReleaseLease(const std::string& name, const std::string& holder) override;

  Result<bool> PutReadinessDay(int64_t org_id, const std::string& day, const Json& summary,
                               const std::string& at) override;
  Result<std::vector<std::pair<std::string, Json>>> ReadinessDays(int64_t org_id,
                                                                  const std::string& from) override;
  Status CopyTo(Store& destination) override;

  Result<std::map<std::string, int64_t>> ExternalIds(int64_t org_id,
                                                     const std::string& record_type) override;
  Result<int64_t> PutImportUpload(const ImportUpload& upload, const std::string& content,
                                  const std::string& forget_before) override;
  Result<std::pair<ImportUpload, std::string>> GetImportUpload(int64_t org_id, int64_t user_id,
                                                               int64_t id) override;
  Status DeleteImportUpload(int64_t org_id, int64_t user_id, int64_t id) override;
  Result<std::vector<ImportMapping>> ImportMappings(int64_t org_id,
                                                    const std::string& record_type) override;
  Result<ImportMapping> PutImportMapping(const Actor& actor, ImportMapping mapping) override;
  Status DeleteImportMapping(const Actor& actor, int64_t id) override;
  Result<int64_t> AuditChainLength() override;
  PoolStats Pool() override;
  Result<std::optional<IdempotentRequest>> FindIdempotencyKey(
      int64_t user_id, const std::string& key, const std::string& not_before) override;
  Status KeepIdempotentAnswer(int64_t user_id, const std::string& key,
                              const IdempotentRequest& answer) override;

 private:
  // CountBy over a list field: each record counted once per item of its list.
  Result<std::vector<GroupCount>> CountByItem(const domain::RegisterSpec& spec, int64_t org_id,
                                              const ListQuery& q, const domain::FieldSpec& list);
  // A pooled connection, returned to the pool (or dropped when broken) when it goes out of scope.
  struct ReturnToPool {
    SqlStore* store;
    void operator()(SqlConnection* conn) const;
  };
  using ConnPtr = std::unique_ptr<SqlConnection, ReturnToPool>;
  Result<ConnPtr> Acquire();
  // Runs `body` in a write transaction: committed when it returns OK, rolled back otherwise.
  Status InWriteTx(const std::function<Status(SqlConnection&)>& body);
  // Answers the user's invitation `id` in one transaction: `first` runs on it (accepting makes
  // the membership), then it is deleted and `audit` appended in the inviting organisation.
  Result<Invitation> AnswerInvitation(
      int64_t user_id, int64_t id, AuditDraft audit,
      const std::function<Status(SqlConnection&, const Invitation&)>& first);
  // One write transaction: `sql` (an UPDATE or DELETE ... RETURNING a column) and, when it
  // matched a row, `audit`; kNotFound with `missing` when it matched none.
  Status ChangeOneRow(const std::string& sql, const std::vector<SqlValue>& params,
                      const std::string& missing, const AuditDraft& audit);

  // The closing thread: every `idle_close_`, closes the idle connections returned more than
  // `idle_close_` ago, all but the most recently returned.
  void CloseIdle();

  struct IdleConnection {
    std::unique_ptr<SqlConnection> conn;
    std::chrono::steady_clock::time_point since;  // when it was returned
  };

  std::unique_ptr<SqlDriver> driver_;
  const int pool_size_;
  const std::chrono::milliseconds idle_close_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<IdleConnection> idle_;  // the most recently returned last
  int open_ = 0;                      // connections in use or idle
  uint64_t waits_ = 0;
  bool stop_ = false;
  std::condition_variable stop_changed_;
  std::thread closer_;
};

}  // namespace rampart::store
