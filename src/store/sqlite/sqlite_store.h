// The SQLite adapter of the Store: one database file, WAL, foreign keys on, synchronous=FULL.
// Connections come from a small pool (one per concurrent thread); writes take the write lock
// up front (BEGIN IMMEDIATE) so the version check, the change and the audit append are atomic.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.h"

struct sqlite3;

namespace rampart::store {

class SqliteConnection;

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path);
  ~SqliteStore() override;

  Result<int> Migrate() override;
  Result<int> SchemaVersion() override;

  Result<domain::Record> Get(const domain::RegisterSpec& spec, int64_t org_id, int64_t id) override;
  Result<Page> List(const domain::RegisterSpec& spec, int64_t org_id,
                    const ListQuery& query) override;
  Result<int64_t> Count(const domain::RegisterSpec& spec, int64_t org_id,
                        const ListQuery& query) override;
  Result<std::vector<domain::Record>> Write(const Actor& actor,
                                            const std::vector<Mutation>& mutations) override;

  Result<domain::Organisation> CreateOrganisation(const std::string& name,
                                                  const AuditDraft& audit) override;
  Result<domain::Organisation> FindOrganisation(const std::string& name) override;
  Result<domain::Organisation> GetOrganisation(int64_t id) override;
  Result<std::vector<domain::Organisation>> ListOrganisations() override;
  Result<domain::User> CreateUser(const domain::User& user, int64_t org_id, domain::Role role,
                                  AuditDraft audit) override;
  Result<domain::User> FindUser(const std::string& username) override;
  Result<domain::User> GetUser(int64_t id) override;
  Result<std::optional<domain::Membership>> GetMembership(int64_t user_id, int64_t org_id) override;
  Result<std::vector<domain::Membership>> Memberships(int64_t user_id) override;
  Result<std::vector<UserSummary>> ListMembers(int64_t org_id) override;
  Status SetPassword(int64_t user_id, const std::string& password_hash, bool must_change,
                     const AuditDraft& audit) override;
  Status DisableUser(int64_t user_id, const AuditDraft& audit) override;

  Status CreateSession(const domain::Session& session, const AuditDraft& audit) override;
  Result<domain::Session> FindSession(const std::string& id_hash) override;
  Result<CredentialOwner> FindSessionOwner(const std::string& id_hash) override;
  Result<CredentialOwner> FindTokenOwner(const std::string& token_hash) override;
  Status DeleteSession(const std::string& id_hash, const AuditDraft& audit) override;
  Result<domain::ApiToken> CreateToken(const domain::ApiToken& token, AuditDraft audit) override;
  Result<domain::ApiToken> FindToken(const std::string& token_hash) override;

  Status AppendAudit(const AuditDraft& audit) override;
  Result<std::vector<domain::AuditEvent>> RecordHistory(int64_t org_id,
                                                        const std::string& record_type,
                                                        int64_t record_id) override;
  Result<std::vector<domain::AuditEvent>> RecentEvents(int64_t org_id, int limit) override;
  Status ScanAudit(const std::function<bool(const domain::AuditEvent&)>& fn) override;

  // Used by SqliteConnection to count every statement it steps.
  void Counted() { CountStatement(); }

 private:
  explicit SqliteStore(std::string path);

  // A pooled connection: returned to the pool when the pointer goes out of scope.
  struct ReturnToPool {
    SqliteStore* store;
    void operator()(SqliteConnection* conn) const;
  };
  using ConnPtr = std::unique_ptr<SqliteConnection, ReturnToPool>;
  Result<ConnPtr> Acquire();

  std::string path_;
  std::mutex mu_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
};

}  // namespace rampart::store
