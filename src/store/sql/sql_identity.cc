// SqlStore: organisations, users, memberships, the second factor, sign-in throttling, sessions
// and API tokens (store.h). Every change that matters to security appends its audit event in
// the same transaction.
#include <fmt/format.h>

#include "base/text.h"
#include "store/sql/sql_store.h"
#include "store/sql/sql_util.h"

namespace rampart::store {

namespace {

constexpr const char* kUserColumns =
    "id, username, display_name, password_hash, must_change_password, disabled, created_at, "
    "totp_secret IS NOT NULL, password_expires_at, email";

domain::User ReadUser(const SqlRows& r) {
  domain::User u;
  u.id = r.Int(0);
  u.username = r.Text(1);
  u.display_name = r.Text(2);
  u.password_hash = r.Text(3);
  u.must_change_password = r.Bool(4);
  u.disabled = r.Bool(5);
  u.created_at = r.Text(6);
  u.second_factor = r.Bool(7);
  u.password_expires_at = r.Text(8);
  u.email = r.IsNull(9) ? std::string() : r.Text(9);
  return u;
}

std::string JoinRoles(const std::vector<domain::Role>& roles) {
  std::string out;
  for (auto r : roles) out += (out.empty() ? "" : ",") + std::string(domain::RoleName(r));
  return out;
}

std::vector<domain::Role> SplitRoles(const std::string& text) {
  std::vector<domain::Role> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(',', pos);
    if (end == std::string::npos) end = text.size();
    if (auto r = domain::ParseRole(text.substr(pos, end - pos))) out.push_back(*r);
    pos = end + 1;
  }
  return out;
}

constexpr const char* kOrgColumns = "id, name, created_at, second_factor_roles";

domain::Organisation ReadOrganisationRow(const SqlRows& r, int first = 0) {
  return domain::Organisation{r.Int(first), r.Text(first + 1), r.Text(first + 2),
                              SplitRoles(r.Text(first + 3))};
}

Result<domain::Organisation> ReadOrganisation(SqlConnection& conn, const std::string& where,
                                              const Params& params) {
  bool found = false;
  ASSIGN_OR_RETURN(
      auto rows, One(conn, fmt::format("SELECT {} FROM organisations WHERE {}", kOrgColumns, where),
                     params, found));
  if (!found) return NotFound("no such organisation");
  return ReadOrganisationRow(*rows);
}

SqlValue OptionalText(const std::string& s) {
  if (s.empty()) return std::monostate{};
  return s;
}

Result<domain::Role> RoleOf(const std::string& name) {
  const auto role = domain::ParseRole(name);
  if (!role) return Internal("unknown role in the database: " + name);
  return *role;
}

// Requires the UPDATE/DELETE ... RETURNING statement to have touched a row.
Status Expect(Result<std::unique_ptr<SqlRows>> rows, bool found, std::string what) {
  RETURN_IF_ERROR(rows.status());
  if (!found) return NotFound(std::move(what));
  return Status::Ok();
}

}  // namespace

Status SqlStore::ChangeOneRow(const std::string& sql, const Params& params,
                              const std::string& missing, const AuditDraft& audit) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    auto rows = One(conn, sql, params, found);  // sets `found`: read it after this statement
    RETURN_IF_ERROR(Expect(std::move(rows), found, missing));
    return AppendAuditTx(conn, audit);
  });
}

// ---------------------------------------------------------------------------------------------
// Organisations

Result<domain::Organisation> SqlStore::CreateOrganisation(const std::string& name,
                                                          const AuditDraft& audit) {
  domain::Organisation org{0, name, audit.at, {}};
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    auto rows = One(conn, "INSERT INTO organisations (name, created_at) VALUES (?, ?) RETURNING id",
                    {name, audit.at}, found);
    if (rows.status().code() == Code::kAlreadyExists) {
      return AlreadyExists(fmt::format("an organisation named \"{}\" exists already", name),
                           "name");
    }
    RETURN_IF_ERROR(rows.status());
    org.id = (*rows)->Int(0);
    AuditDraft a = audit;
    a.org_id = org.id;
    a.record_id = org.id;
    return AppendAuditTx(conn, a);
  }));
  return org;
}

Result<domain::Organisation> SqlStore::FindOrganisation(const std::string& name) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  return ReadOrganisation(*conn, "name = ?", {name});
}

Result<domain::Organisation> SqlStore::GetOrganisation(int64_t id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  return ReadOrganisation(*conn, "id = ?", {id});
}

Result<std::vector<domain::Organisation>> SqlStore::ListOrganisations() {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(
      auto rows,
      conn->Query(fmt::format("SELECT {} FROM organisations ORDER BY id", kOrgColumns), {}));
  std::vector<domain::Organisation> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    out.push_back(ReadOrganisationRow(*rows));
  }
  return out;
}

Result<domain::OrganisationProfile> SqlStore::GetOrganisationProfile(int64_t org_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows,
                   One(*conn, "SELECT size, sector, set_up_at FROM organisations WHERE id = ?",
                       {org_id}, found));
  if (!found) return NotFound("no such organisation");
  auto text = [&](int col) { return rows->IsNull(col) ? std::string() : rows->Text(col); };
  return domain::OrganisationProfile{text(0), text(1), text(2)};
}

Status SqlStore::SetOrganisationProfile(int64_t org_id, const std::string& name,
                                        const domain::OrganisationProfile& profile,
                                        const AuditDraft& audit) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    ASSIGN_OR_RETURN(auto taken,
                     One(conn, "SELECT id FROM organisations WHERE name = ? AND id <> ?",
                         {name, org_id}, found));
    (void)taken;
    if (found) {
      return Status(Code::kAlreadyExists,
                    fmt::format("an organisation named \"{}\" exists already", name), "name");
    }
    ASSIGN_OR_RETURN(auto rows,
                     conn.Query("UPDATE organisations SET name = ?, size = ?, sector = ?, "
                                "set_up_at = ? WHERE id = ? RETURNING id",
                                {name, OptionalText(profile.size), OptionalText(profile.sector),
                                 OptionalText(profile.set_up_at), org_id}));
    ASSIGN_OR_RETURN(bool updated, rows->Next());
    if (!updated) return NotFound("no such organisation");
    return AppendAuditTx(conn, audit);
  });
}

Status SqlStore::SetSecondFactorRoles(int64_t org_id, const std::vector<domain::Role>& roles,
                                      const AuditDraft& audit) {
  return ChangeOneRow("UPDATE organisations SET second_factor_roles = ? WHERE id = ? RETURNING id",
                      {JoinRoles(roles), org_id}, "no such organisation", audit);
}

// ---------------------------------------------------------------------------------------------
// Users and memberships

Result<domain::User> SqlStore::CreateUser(const domain::User& user,
                                          const domain::Membership& membership, AuditDraft audit) {
  domain::User out = user;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    auto rows =
        One(conn,
            "INSERT INTO users (username, display_name, password_hash, "
            "must_change_password, disabled, created_at, password_expires_at, "
            "home_org_id, email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {user.username, user.display_name, user.password_hash, user.must_change_password, false,
             user.created_at, OptionalText(user.password_expires_at), membership.org_id,
             OptionalText(user.email)},
            found);
    if (rows.status().code() == Code::kAlreadyExists) {
      return AlreadyExists(fmt::format("the user name \"{}\" is taken", user.username), "username");
    }
    RETURN_IF_ERROR(rows.status());
    out.id = (*rows)->Int(0);
    RETURN_IF_ERROR(Run(conn,
                        "INSERT INTO memberships (user_id, org_id, role, expires_at) VALUES (?, ?, "
                        "?, ?)",
                        {out.id, membership.org_id, std::string(domain::RoleName(membership.role)),
                         OptionalText(membership.expires_at)}));
    audit.record_id = out.id;
    return AppendAuditTx(conn, audit);
  }));
  return out;
}

Result<domain::User> SqlStore::FindUser(const std::string& username) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows,
                   One(*conn, fmt::format("SELECT {} FROM users WHERE username = ?", kUserColumns),
                       {username}, found));
  if (!found) return NotFound(fmt::format("no user named \"{}\"", username));
  return ReadUser(*rows);
}

Result<domain::User> SqlStore::GetUser(int64_t id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(
      auto rows,
      One(*conn, fmt::format("SELECT {} FROM users WHERE id = ?", kUserColumns), {id}, found));
  if (!found) return NotFound(fmt::format("no user with id {}", id));
  return ReadUser(*rows);
}

Result<std::optional<domain::Membership>> SqlStore::GetMembership(int64_t user_id, int64_t org_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows,
                   One(*conn,
                       "SELECT m.role, m.expires_at, o.name FROM memberships m JOIN organisations "
                       "o ON o.id = m.org_id WHERE m.user_id = ? AND m.org_id = ?",
                       {user_id, org_id}, found));
  if (!found) return std::optional<domain::Membership>();
  ASSIGN_OR_RETURN(auto role, RoleOf(rows->Text(0)));
  return std::optional<domain::Membership>(
      domain::Membership{user_id, org_id, role, rows->Text(1), rows->Text(2)});
}

Result<std::vector<domain::Membership>> SqlStore::Memberships(int64_t user_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT m.org_id, m.role, m.expires_at, o.name FROM "
                                          "memberships m JOIN organisations o ON o.id = m.org_id "
                                          "WHERE m.user_id = ? ORDER BY m.org_id",
                                          {user_id}));
  std::vector<domain::Membership> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    ASSIGN_OR_RETURN(auto role, RoleOf(rows->Text(1)));
    out.push_back({user_id, rows->Int(0), role, rows->Text(2), rows->Text(3)});
  }
  return out;
}

Status SqlStore::AddMembership(const domain::Membership& m, const AuditDraft& audit) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    Status st = Run(
        conn, "INSERT INTO memberships (user_id, org_id, role, expires_at) VALUES (?, ?, ?, ?)",
        {m.user_id, m.org_id, std::string(domain::RoleName(m.role)), OptionalText(m.expires_at)});
    if (st.code() == Code::kAlreadyExists) {
      return AlreadyExists("the user is a member of this organisation already", "username");
    }
    RETURN_IF_ERROR(st);
    return AppendAuditTx(conn, audit);
  });
}

Status SqlStore::UpdateMembership(const domain::Membership& m, const AuditDraft& audit) {
  return ChangeOneRow(
      "UPDATE memberships SET role = ?, expires_at = ? WHERE user_id = ? AND org_id = ? "
      "RETURNING user_id",
      {std::string(domain::RoleName(m.role)), OptionalText(m.expires_at), m.user_id, m.org_id},
      "the user is not a member of this organisation", audit);
}

Result<std::vector<UserSummary>> SqlStore::ListMembers(int64_t org_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows,
                   conn->Query("SELECT u.id, u.username, u.display_name, u.disabled, m.role, "
                               "m.expires_at, u.totp_secret IS NOT NULL, u.email FROM users u "
                               "JOIN "
                               "memberships m ON m.user_id = u.id WHERE m.org_id = ? ORDER BY "
                               "u.username",
                               {org_id}));
  std::vector<UserSummary> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    out.push_back({rows->Int(0), rows->Text(1), rows->Text(2), rows->Bool(3), rows->Text(4),
                   rows->Text(5), rows->Bool(6), rows->IsNull(7) ? std::string() : rows->Text(7)});
  }
  return out;
}

Result<int64_t> SqlStore::AccountHome(int64_t user_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows,
                   One(*conn, "SELECT home_org_id FROM users WHERE id = ?", {user_id}, found));
  if (!found) return NotFound(fmt::format("no user with id {}", user_id));
  return rows->IsNull(0) ? int64_t{0} : rows->Int(0);
}

namespace {

constexpr const char* kInvitationColumns =
    "i.id, i.org_id, o.name, i.user_id, i.role, i.expires_at, i.invited_by, i.created_at";

Result<Invitation> ReadInvitation(const SqlRows& r) {
  ASSIGN_OR_RETURN(auto role, RoleOf(r.Text(4)));
  return Invitation{r.Int(0), r.Int(1), r.Text(2), r.Int(3), role, r.Text(5), r.Text(6), r.Text(7)};
}

Result<Invitation> InvitationTx(SqlConnection& conn, int64_t user_id, int64_t id) {
  bool found = false;
  ASSIGN_OR_RETURN(auto rows, One(conn,
                                  fmt::format("SELECT {} FROM invitations i JOIN organisations o "
                                              "ON o.id = i.org_id WHERE i.id = ? AND i.user_id = ?",
                                              kInvitationColumns),
                                  {id, user_id}, found));
  if (!found) return NotFound(fmt::format("you have no invitation with id {}", id));
  return ReadInvitation(*rows);
}

}  // namespace

Status SqlStore::PutInvitation(const Invitation& inv, const AuditDraft& audit) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    RETURN_IF_ERROR(Run(conn,
                        "INSERT INTO invitations (org_id, user_id, role, expires_at, invited_by, "
                        "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, user_id) DO "
                        "UPDATE SET role = excluded.role, expires_at = excluded.expires_at, "
                        "invited_by = excluded.invited_by, created_at = excluded.created_at",
                        {inv.org_id, inv.user_id, std::string(domain::RoleName(inv.role)),
                         OptionalText(inv.expires_at), inv.invited_by, inv.created_at}));
    return AppendAuditTx(conn, audit);
  });
}

Result<std::vector<Invitation>> SqlStore::Invitations(int64_t user_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT {} FROM invitations i JOIN "
                                                      "organisations o ON o.id = i.org_id WHERE "
                                                      "i.user_id = ? ORDER BY i.id",
                                                      kInvitationColumns),
                                          {user_id}));
  std::vector<Invitation> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    ASSIGN_OR_RETURN(auto inv, ReadInvitation(*rows));
    out.push_back(std::move(inv));
  }
  return out;
}

Result<Invitation> SqlStore::AnswerInvitation(
    int64_t user_id, int64_t id, AuditDraft audit,
    const std::function<Status(SqlConnection&, const Invitation&)>& first) {
  Invitation out;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    ASSIGN_OR_RETURN(out, InvitationTx(conn, user_id, id));
    RETURN_IF_ERROR(first(conn, out));
    RETURN_IF_ERROR(Run(conn, "DELETE FROM invitations WHERE id = ?", {id}));
    audit.org_id = out.org_id;
    return AppendAuditTx(conn, audit);
  }));
  return out;
}

Result<Invitation> SqlStore::AcceptInvitation(int64_t user_id, int64_t invitation_id,
                                              AuditDraft audit) {
  return AnswerInvitation(
      user_id, invitation_id, std::move(audit),
      [user_id](SqlConnection& conn, const Invitation& inv) -> Status {
        const std::string role(domain::RoleName(inv.role));
        // A membership that ended (removed earlier) comes back with the role offered.
        bool found = false;
        auto rows = One(conn,
                        "UPDATE memberships SET role = ?, expires_at = ? WHERE user_id = ? AND "
                        "org_id = ? RETURNING user_id",
                        {role, OptionalText(inv.expires_at), user_id, inv.org_id}, found);
        RETURN_IF_ERROR(rows.status());
        rows->reset();
        if (found) return Status::Ok();
        return Run(conn,
                   "INSERT INTO memberships (user_id, org_id, role, expires_at) VALUES (?, ?, ?, "
                   "?)",
                   {user_id, inv.org_id, role, OptionalText(inv.expires_at)});
      });
}

Result<Invitation> SqlStore::DeclineInvitation(int64_t user_id, int64_t invitation_id,
                                               AuditDraft audit) {
  return AnswerInvitation(user_id, invitation_id, std::move(audit),
                          [](SqlConnection&, const Invitation&) { return Status::Ok(); });
}

Status SqlStore::SetPassword(int64_t user_id, const std::string& password_hash, bool must_change,
                             const std::string& expires_at, const AuditDraft& audit) {
  return ChangeOneRow(
      "UPDATE users SET password_hash = ?, must_change_password = ?, password_expires_at = ? "
      "WHERE id = ? RETURNING id",
      {password_hash, must_change, OptionalText(expires_at), user_id}, "no such user", audit);
}

Result<bool> SqlStore::UseOneTimePassword(int64_t user_id, const std::string& at) {
  bool used = false;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    // Passwords issued before migration 0010 have no expiry: they are used up the same way.
    auto rows = One(conn,
                    "UPDATE users SET password_expires_at = ? WHERE id = ? AND "
                    "must_change_password = ? AND (password_expires_at IS NULL OR "
                    "password_expires_at > ?) RETURNING id",
                    {at, user_id, true, at}, used);
    return rows.status();
  }));
  return used;
}

Status SqlStore::RehashPassword(int64_t user_id, const std::string& password_hash) {
  return InWriteTx([&](SqlConnection& conn) {
    return Run(conn, "UPDATE users SET password_hash = ? WHERE id = ?", {password_hash, user_id});
  });
}

Status SqlStore::SetDisplayName(int64_t user_id, const std::string& display_name,
                                const AuditDraft& audit) {
  return ChangeOneRow("UPDATE users SET display_name = ? WHERE id = ? RETURNING id",
                      {display_name, user_id}, "no such user", audit);
}

Status SqlStore::SetEmail(int64_t user_id, const std::string& email, const AuditDraft& audit) {
  return ChangeOneRow("UPDATE users SET email = ? WHERE id = ? RETURNING id",
                      {OptionalText(email), user_id}, "no such user", audit);
}

Status SqlStore::SetUserDisabled(int64_t user_id, bool disabled, const AuditDraft& audit) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    auto rows = One(conn, "UPDATE users SET disabled = ? WHERE id = ? RETURNING id",
                    {disabled, user_id}, found);
    RETURN_IF_ERROR(Expect(std::move(rows), found, "no such user"));
    if (disabled) {
      RETURN_IF_ERROR(Run(conn, "DELETE FROM sessions WHERE user_id = ?", {user_id}));
      RETURN_IF_ERROR(
          Run(conn, "UPDATE api_tokens SET revoked = ? WHERE user_id = ?", {true, user_id}));
    }
    return AppendAuditTx(conn, audit);
  });
}

// ---------------------------------------------------------------------------------------------
// Second factor

Result<SecondFactorState> SqlStore::GetSecondFactor(int64_t user_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows,
                   One(*conn,
                       "SELECT totp_secret, totp_pending, totp_last_step, (SELECT COUNT(*) FROM "
                       "recovery_codes r WHERE r.user_id = users.id AND r.used_at IS NULL) FROM "
                       "users WHERE id = ?",
                       {user_id}, found));
  if (!found) return NotFound("no such user");
  return SecondFactorState{rows->Text(0), rows->Text(1), rows->Int(2),
                           static_cast<int>(rows->Int(3))};
}

Status SqlStore::SetPendingSecondFactor(int64_t user_id, const std::string& secret) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    auto rows = One(conn, "UPDATE users SET totp_pending = ? WHERE id = ? RETURNING id",
                    {OptionalText(secret), user_id}, found);
    return Expect(std::move(rows), found, "no such user");
  });
}

namespace {

Status InsertRecoveryCodes(SqlConnection& conn, int64_t user_id,
                           const std::vector<std::string>& hashes) {
  RETURN_IF_ERROR(Run(conn, "DELETE FROM recovery_codes WHERE user_id = ?", {user_id}));
  for (const auto& h : hashes) {
    RETURN_IF_ERROR(
        Run(conn, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)", {user_id, h}));
  }
  return Status::Ok();
}

}  // namespace

Status SqlStore::EnableSecondFactor(int64_t user_id, const std::string& secret, int64_t step,
                                    const std::vector<std::string>& recovery_code_hashes,
                                    const AuditDraft& audit) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    auto rows = One(conn,
                    "UPDATE users SET totp_secret = ?, totp_pending = NULL, totp_last_step = ? "
                    "WHERE id = ? RETURNING id",
                    {secret, step, user_id}, found);
    RETURN_IF_ERROR(Expect(std::move(rows), found, "no such user"));
    RETURN_IF_ERROR(InsertRecoveryCodes(conn, user_id, recovery_code_hashes));
    return AppendAuditTx(conn, audit);
  });
}

Status SqlStore::DisableSecondFactor(int64_t user_id, const AuditDraft& audit) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    auto rows = One(conn,
                    "UPDATE users SET totp_secret = NULL, totp_pending = NULL WHERE id = ? "
                    "RETURNING id",
                    {user_id}, found);
    RETURN_IF_ERROR(Expect(std::move(rows), found, "no such user"));
    RETURN_IF_ERROR(InsertRecoveryCodes(conn, user_id, {}));
    return AppendAuditTx(conn, audit);
  });
}

Status SqlStore::ReplaceRecoveryCodes(int64_t user_id, const std::vector<std::string>& hashes,
                                      const AuditDraft& audit) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    RETURN_IF_ERROR(InsertRecoveryCodes(conn, user_id, hashes));
    return AppendAuditTx(conn, audit);
  });
}

Result<bool> SqlStore::UseSecondFactorStep(int64_t user_id, int64_t step) {
  bool used = false;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    auto rows = One(conn,
                    "UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ? "
                    "RETURNING id",
                    {step, user_id, step}, used);
    return rows.status();
  }));
  return used;
}

Result<std::vector<std::string>> SqlStore::UnusedRecoveryCodes(int64_t user_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT code_hash FROM recovery_codes WHERE user_id = ? "
                                          "AND used_at IS NULL ORDER BY code_hash",
                                          {user_id}));
  return ReadAll(*rows, [](const SqlRows& r) { return r.Text(0); });
}

Result<bool> SqlStore::UseRecoveryCode(int64_t user_id, const std::string& code_hash,
                                       const std::string& at, const AuditDraft& audit) {
  bool used = false;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    auto rows = One(conn,
                    "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND "
                    "used_at IS NULL RETURNING user_id",
                    {at, user_id, code_hash}, used);
    RETURN_IF_ERROR(rows.status());
    return used ? AppendAuditTx(conn, audit) : Status::Ok();
  }));
  return used;
}

// ---------------------------------------------------------------------------------------------
// Sign-in throttling

Status SqlStore::RecordSignInFailure(const std::vector<std::string>& subjects,
                                     const std::string& at, const std::string& forget_before) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    RETURN_IF_ERROR(Run(conn, "DELETE FROM sign_in_failures WHERE at < ?", {forget_before}));
    for (const auto& s : subjects) {
      RETURN_IF_ERROR(
          Run(conn, "INSERT INTO sign_in_failures (subject, at) VALUES (?, ?)", {s, at}));
    }
    return Status::Ok();
  });
}

Result<std::vector<std::string>> SqlStore::SignInFailures(const std::string& subject,
                                                          const std::string& since) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query("SELECT at FROM sign_in_failures WHERE subject = ? AND "
                                          "at > ? ORDER BY at LIMIT 100",
                                          {subject, since}));
  return ReadAll(*rows, [](const SqlRows& r) { return r.Text(0); });
}

Status SqlStore::ClearSignInFailures(const std::string& subject) {
  return InWriteTx([&](SqlConnection& conn) {
    return Run(conn, "DELETE FROM sign_in_failures WHERE subject = ?", {subject});
  });
}

// ---------------------------------------------------------------------------------------------
// Sessions and tokens

namespace {

constexpr const char* kSessionColumns =
    "s.id, s.user_id, s.org_id, s.csrf_token, s.created_at, s.expires_at, s.last_seen_at, "
    "s.stage, s.address, s.user_agent, s.reauthenticated_at";

domain::Session ReadSession(const SqlRows& r, int first) {
  domain::Session s;
  s.id = r.Int(first);
  s.user_id = r.Int(first + 1);
  s.org_id = r.Int(first + 2);
  s.csrf_token = r.Text(first + 3);
  s.created_at = r.Text(first + 4);
  s.expires_at = r.Text(first + 5);
  s.last_seen_at = r.Text(first + 6);
  s.stage = r.Text(first + 7) == "second_factor" ? domain::Session::Stage::kSecondFactor
                                                 : domain::Session::Stage::kActive;
  s.address = r.Text(first + 8);
  s.user_agent = r.Text(first + 9);
  s.reauthenticated_at = r.Text(first + 10);
  return s;
}

constexpr const char* kTokenColumns =
    "t.id, t.user_id, t.org_id, t.name, t.created_at, t.revoked, t.read_only, t.expires_at, "
    "t.last_used_at";

domain::ApiToken ReadToken(const SqlRows& r, int first) {
  domain::ApiToken t;
  t.id = r.Int(first);
  t.user_id = r.Int(first + 1);
  t.org_id = r.Int(first + 2);
  t.name = r.Text(first + 3);
  t.created_at = r.Text(first + 4);
  t.revoked = r.Bool(first + 5);
  t.read_only = r.Bool(first + 6);
  t.expires_at = r.Text(first + 7);
  t.last_used_at = r.Text(first + 8);
  return t;
}

// Columns 0-6: user (id, username, display_name, must_change_password, disabled, second
// factor), 6-9: organisation, 10-11: membership role and expiry, then the credential's own.
constexpr const char* kOwnerColumns =
    "u.id, u.username, u.display_name, u.must_change_password, u.disabled, "
    "u.totp_secret IS NOT NULL, o.id, o.name, o.created_at, o.second_factor_roles, m.role, "
    "m.expires_at";
constexpr int kOwnerColumnCount = 12;

Result<CredentialOwner> ReadOwner(const SqlRows& r) {
  CredentialOwner c;
  c.user.id = r.Int(0);
  c.user.username = r.Text(1);
  c.user.display_name = r.Text(2);
  c.user.must_change_password = r.Bool(3);
  c.user.disabled = r.Bool(4);
  c.user.second_factor = r.Bool(5);
  c.org = ReadOrganisationRow(r, 6);
  if (!r.IsNull(10)) {
    ASSIGN_OR_RETURN(auto role, RoleOf(r.Text(10)));
    c.membership = domain::Membership{c.user.id, c.org.id, role, r.Text(11), c.org.name};
  }
  return c;
}

std::string_view StageName(domain::Session::Stage s) {
  return s == domain::Session::Stage::kSecondFactor ? "second_factor" : "active";
}

}  // namespace

Result<domain::Session> SqlStore::CreateSession(const domain::Session& s, const AuditDraft& audit) {
  domain::Session out = s;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    ASSIGN_OR_RETURN(
        auto rows,
        One(conn,
            "INSERT INTO sessions (id_hash, user_id, org_id, csrf_token, created_at, expires_at, "
            "last_seen_at, stage, address, user_agent, reauthenticated_at) VALUES (?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {s.id_hash, s.user_id, s.org_id, s.csrf_token, s.created_at, s.expires_at,
             s.last_seen_at, std::string(StageName(s.stage)), s.address, s.user_agent,
             OptionalText(s.reauthenticated_at)},
            found));
    out.id = rows->Int(0);
    return AppendAuditTx(conn, audit);
  }));
  return out;
}

Result<CredentialOwner> SqlStore::FindSessionOwner(const std::string& id_hash) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows, One(*conn,
                                  fmt::format("SELECT {}, {} FROM sessions s JOIN users u ON "
                                              "u.id = s.user_id JOIN organisations o ON o.id = "
                                              "s.org_id LEFT JOIN memberships m ON m.user_id = "
                                              "s.user_id AND m.org_id = s.org_id WHERE s.id_hash "
                                              "= ?",
                                              kOwnerColumns, kSessionColumns),
                                  {id_hash}, found));
  if (!found) return NotFound("no such session");
  ASSIGN_OR_RETURN(CredentialOwner c, ReadOwner(*rows));
  c.session = ReadSession(*rows, kOwnerColumnCount);
  return c;
}

Result<CredentialOwner> SqlStore::FindTokenOwner(const std::string& token_hash) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  bool found = false;
  ASSIGN_OR_RETURN(auto rows, One(*conn,
                                  fmt::format("SELECT {}, {} FROM api_tokens t JOIN users u ON "
                                              "u.id = t.user_id JOIN organisations o ON o.id = "
                                              "t.org_id LEFT JOIN memberships m ON m.user_id = "
                                              "t.user_id AND m.org_id = t.org_id WHERE "
                                              "t.token_hash = ?",
                                              kOwnerColumns, kTokenColumns),
                                  {token_hash}, found));
  if (!found) return NotFound("no such token");
  ASSIGN_OR_RETURN(CredentialOwner c, ReadOwner(*rows));
  c.token = ReadToken(*rows, kOwnerColumnCount);
  return c;
}

Status SqlStore::TouchSession(const std::string& id_hash, const std::string& at) {
  return InWriteTx([&](SqlConnection& conn) {
    return Run(conn, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", {at, id_hash});
  });
}

Status SqlStore::TouchToken(int64_t token_id, const std::string& at) {
  return InWriteTx([&](SqlConnection& conn) {
    return Run(conn, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {at, token_id});
  });
}

Status SqlStore::ActivateSession(const std::string& id_hash, const std::string& new_id_hash,
                                 const std::string& expires_at, const AuditDraft& audit) {
  return ChangeOneRow(
      "UPDATE sessions SET stage = 'active', id_hash = ?, expires_at = ? WHERE id_hash = ? AND "
      "stage = 'second_factor' RETURNING id",
      {new_id_hash, expires_at, id_hash}, "no sign-in is waiting for a second factor", audit);
}

Status SqlStore::SetSessionReauthenticated(const std::string& id_hash, const std::string& at) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    auto rows =
        One(conn, "UPDATE sessions SET reauthenticated_at = ? WHERE id_hash = ? RETURNING id",
            {at, id_hash}, found);
    return Expect(std::move(rows), found, "no such session");
  });
}

Status SqlStore::SwitchSessionOrganisation(const std::string& id_hash, int64_t org_id,
                                           const AuditDraft& audit) {
  return ChangeOneRow("UPDATE sessions SET org_id = ? WHERE id_hash = ? RETURNING id",
                      {org_id, id_hash}, "no such session", audit);
}

Result<std::vector<domain::Session>> SqlStore::ListSessions(int64_t user_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT {} FROM sessions s WHERE "
                                                      "s.user_id = ? ORDER BY s.id DESC",
                                                      kSessionColumns),
                                          {user_id}));
  std::vector<domain::Session> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    out.push_back(ReadSession(*rows, 0));
  }
  return out;
}

Status SqlStore::DeleteSession(const std::string& id_hash, const AuditDraft& audit) {
  return InWriteTx([&](SqlConnection& conn) -> Status {
    RETURN_IF_ERROR(Run(conn, "DELETE FROM sessions WHERE id_hash = ?", {id_hash}));
    return AppendAuditTx(conn, audit);
  });
}

Status SqlStore::EndSession(int64_t user_id, int64_t session_id, const AuditDraft& audit) {
  return ChangeOneRow("DELETE FROM sessions WHERE id = ? AND user_id = ? RETURNING id",
                      {session_id, user_id}, "no such session", audit);
}

Result<int> SqlStore::EndSessions(int64_t user_id, const std::string& keep_id_hash,
                                  const AuditDraft& audit, int64_t org_id) {
  int ended = 0;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    ended = 0;
    ASSIGN_OR_RETURN(
        auto rows, conn.Query("DELETE FROM sessions WHERE user_id = ? AND id_hash <> ? AND (? = 0 "
                              "OR org_id = ?) RETURNING id",
                              {user_id, keep_id_hash, org_id, org_id}));
    while (true) {
      ASSIGN_OR_RETURN(bool row, rows->Next());
      if (!row) break;
      ++ended;
    }
    rows.reset();
    AuditDraft a = audit;
    a.diff["sessions_ended"] = ended;
    return AppendAuditTx(conn, a);
  }));
  return ended;
}

Result<domain::ApiToken> SqlStore::CreateToken(const domain::ApiToken& t, AuditDraft audit) {
  domain::ApiToken out = t;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    bool found = false;
    ASSIGN_OR_RETURN(
        auto rows, One(conn,
                       "INSERT INTO api_tokens (token_hash, user_id, org_id, name, created_at, "
                       "revoked, read_only, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                       "RETURNING id",
                       {t.token_hash, t.user_id, t.org_id, t.name, t.created_at, false, t.read_only,
                        OptionalText(t.expires_at)},
                       found));
    out.id = rows->Int(0);
    audit.record_id = out.id;
    return AppendAuditTx(conn, audit);
  }));
  return out;
}

Result<std::vector<domain::ApiToken>> SqlStore::ListTokens(int64_t user_id) {
  ASSIGN_OR_RETURN(auto conn, Acquire());
  ASSIGN_OR_RETURN(auto rows, conn->Query(fmt::format("SELECT {} FROM api_tokens t WHERE "
                                                      "t.user_id = ? ORDER BY t.id DESC",
                                                      kTokenColumns),
                                          {user_id}));
  std::vector<domain::ApiToken> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, rows->Next());
    if (!row) break;
    out.push_back(ReadToken(*rows, 0));
  }
  return out;
}

Status SqlStore::RevokeToken(int64_t user_id, int64_t token_id, const AuditDraft& audit) {
  return ChangeOneRow("UPDATE api_tokens SET revoked = ? WHERE id = ? AND user_id = ? RETURNING id",
                      {true, token_id, user_id}, "no such API token", audit);
}

Result<int> SqlStore::RevokeTokens(int64_t user_id, const AuditDraft& audit) {
  int revoked = 0;
  RETURN_IF_ERROR(InWriteTx([&](SqlConnection& conn) -> Status {
    revoked = 0;
    ASSIGN_OR_RETURN(
        auto rows, conn.Query("UPDATE api_tokens SET revoked = ? WHERE user_id = ? AND revoked = ? "
                              "RETURNING id",
                              {true, user_id, false}));
    while (true) {
      ASSIGN_OR_RETURN(bool row, rows->Next());
      if (!row) break;
      ++revoked;
    }
    rows.reset();
    if (revoked == 0) return Status::Ok();
    AuditDraft a = audit;
    a.diff["tokens_revoked"] = revoked;
    return AppendAuditTx(conn, a);
  }));
  return revoked;
}

}  // namespace rampart::store
