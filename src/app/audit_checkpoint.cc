#include "app/audit_checkpoint.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "app/audit_service.h"
#include "base/crypto.h"
#include "base/text.h"

namespace rampart::app {

namespace {

constexpr std::string_view kKeyHeader = "rampart-audit-signing-key ed25519 v1";

Status WriteWholeFile(const std::string& path, const std::string& content, mode_t mode,
                      bool exclusive) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
  const int fd = ::open(path.c_str(), flags, mode);
  if (fd < 0) {
    if (errno == EEXIST) return AlreadyExists(fmt::format("{} exists already", path));
    return Unavailable(fmt::format("cannot create {}: {}", path, std::strerror(errno)));
  }
  const ssize_t n = ::write(fd, content.data(), content.size());
  const bool ok = n == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Unavailable(fmt::format("cannot write {}", path));
  return Status::Ok();
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(fmt::format("cannot read {}", path));
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

std::string CheckpointMessage(const Checkpoint& c) {
  return fmt::format("rampart-audit-checkpoint\nseq={}\nhash={}\nat={}\n", c.seq, c.hash, c.at);
}

std::string CheckpointLine(const Checkpoint& c) {
  return domain::Json{{"seq", c.seq}, {"hash", c.hash}, {"at", c.at}, {"signature", c.signature}}
      .dump();
}

Result<Checkpoint> ParseCheckpointLine(const std::string& line) {
  const auto j = domain::Json::parse(line, nullptr, false);
  if (!j.is_object() || !j.contains("seq") || !j["seq"].is_number_integer() ||
      !j.contains("hash") || !j["hash"].is_string() || !j.contains("at") || !j["at"].is_string() ||
      !j.contains("signature") || !j["signature"].is_string()) {
    return InvalidArgument("not a checkpoint line");
  }
  return Checkpoint{j["seq"].get<int64_t>(), j["hash"].get<std::string>(),
                    j["at"].get<std::string>(), j["signature"].get<std::string>()};
}

Result<std::vector<Checkpoint>> ReadCheckpoints(const std::string& checkpoints_path) {
  ASSIGN_OR_RETURN(const std::string text, ReadWholeFile(checkpoints_path));
  std::vector<Checkpoint> out;
  std::set<int64_t> seen;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    auto c = ParseCheckpointLine(line);
    if (c.ok() && seen.insert(c->seq).second) out.push_back(*std::move(c));
  }
  return out;
}

Result<SigningKey> SigningKey::Create(const std::string& path) {
  const std::string seed = NewEd25519Seed();
  ASSIGN_OR_RETURN(std::string pk, Ed25519PublicKey(seed));
  RETURN_IF_ERROR(
      WriteWholeFile(path, fmt::format("{}\n{}\n", kKeyHeader, Base64Encode(seed)), 0600, true));
  SigningKey key(path, seed, pk);
  RETURN_IF_ERROR(WriteWholeFile(path + ".pub.pem", key.PublicKeyPem(), 0644, false));
  return key;
}

Result<SigningKey> SigningKey::Load(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return NotFound(fmt::format("no signing key at {}", path));
  }
  if ((st.st_mode & 077) != 0) {
    return FailedPrecondition(
        fmt::format("the signing key {} may be read by others: chmod 600 it", path));
  }
  ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  const auto newline = text.find('\n');
  if (newline == std::string::npos || text.substr(0, newline) != kKeyHeader) {
    return InvalidArgument(fmt::format("{} is not a Rampart audit signing key", path));
  }
  auto seed = Base64Decode(std::string(Trim(text.substr(newline + 1))));
  if (!seed.ok() || seed->size() != 32) {
    return InvalidArgument(fmt::format("{} is not a Rampart audit signing key", path));
  }
  ASSIGN_OR_RETURN(std::string pk, Ed25519PublicKey(*seed));
  return SigningKey(path, *seed, pk);
}

std::string SigningKey::PublicKeyPem() const { return Ed25519PublicKeyPem(public_key_); }
std::string SigningKey::PublicKeyBase64() const { return Base64Encode(public_key_); }

Result<Checkpoint> SigningKey::Sign(int64_t seq, const std::string& hash,
                                    const std::string& at) const {
  Checkpoint c{seq, hash, at, {}};
  ASSIGN_OR_RETURN(std::string sig, Ed25519Sign(seed_, CheckpointMessage(c)));
  c.signature = Base64Encode(sig);
  return c;
}

Result<std::string> DefaultSigningKeyPath(const std::string& db_url) {
  if (store::IsPostgresUrl(db_url)) {
    return InvalidArgument(
        "with PostgreSQL, name the audit signing key's file with --signing-key (keep it off the "
        "database server)",
        "signing-key");
  }
  std::string file = db_url;
  if (file.rfind("sqlite:", 0) == 0) file = file.substr(7);
  return file + ".signing-key";
}

namespace {

// The whole chain, verified: a checkpoint must never vouch for a tampered trail.
Result<AuditVerification> IntactChain(store::Store& store) {
  ASSIGN_OR_RETURN(auto v, VerifyAuditChain(store));
  if (!v.intact) {
    return FailedPrecondition(
        fmt::format("the audit trail is broken at event {} ({}): no checkpoint is signed for it",
                    v.first_bad_seq, v.problem));
  }
  if (v.head_seq == 0) return FailedPrecondition("the audit trail is empty");
  return v;
}

Result<Checkpoint> AppendCheckpoint(const AuditVerification& v, const SigningKey& key,
                                    const Clock& clock, const std::string& checkpoints_path) {
  ASSIGN_OR_RETURN(Checkpoint c, key.Sign(v.head_seq, v.head_hash, FormatUtc(clock.Now())));
  const std::string line = CheckpointLine(c) + "\n";
  const int fd = ::open(checkpoints_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Unavailable(fmt::format("cannot open {}: {}", checkpoints_path, std::strerror(errno)));
  }
  const ssize_t n = ::write(fd, line.data(), line.size());
  const bool ok = n == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Unavailable(fmt::format("cannot append to {}", checkpoints_path));
  return c;
}

}  // namespace

Result<Checkpoint> WriteCheckpoint(store::Store& store, const SigningKey& key, const Clock& clock,
                                   const std::string& checkpoints_path) {
  ASSIGN_OR_RETURN(const auto v, IntactChain(store));
  return AppendCheckpoint(v, key, clock, checkpoints_path);
}

Result<std::optional<Checkpoint>> WriteCheckpointIfMoved(store::Store& store, const SigningKey& key,
                                                         const Clock& clock,
                                                         const std::string& checkpoints_path) {
  ASSIGN_OR_RETURN(const auto v, IntactChain(store));
  auto written = ReadCheckpoints(checkpoints_path);
  if (!written.ok() && written.status().code() != Code::kNotFound) return written.status();
  if (written.ok() && !written->empty()) {
    // Only a checkpoint this key signed counts: a line someone else appended does not stop ours.
    const Checkpoint& last = written->back();
    auto sig = Base64Decode(last.signature);
    if (last.seq == v.head_seq && last.hash == v.head_hash && sig.ok() &&
        Ed25519Verify(key.public_key(), CheckpointMessage(last), *sig)) {
      return std::optional<Checkpoint>();
    }
  }
  ASSIGN_OR_RETURN(Checkpoint c, AppendCheckpoint(v, key, clock, checkpoints_path));
  return std::optional<Checkpoint>(std::move(c));
}

Result<CheckpointVerification> VerifyCheckpoints(store::Store& store,
                                                 const std::string& checkpoints_path,
                                                 const std::string& public_key) {
  ASSIGN_OR_RETURN(std::string text, ReadWholeFile(checkpoints_path));
  CheckpointVerification out;
  std::multimap<int64_t, Checkpoint> by_seq;
  std::istringstream lines(text);
  std::string line;
  int64_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (Trim(line).empty()) continue;
    ++out.checkpoints;
    auto c = ParseCheckpointLine(line);
    if (!c.ok()) {
      out.problems.push_back(
          fmt::format("line {} of {} is not a checkpoint", number, checkpoints_path));
      continue;
    }
    auto sig = Base64Decode(c->signature);
    if (!sig.ok() || !Ed25519Verify(public_key, CheckpointMessage(*c), *sig)) {
      out.problems.push_back(
          fmt::format("line {} of {}: the signature does not verify with this public key (a "
                      "forged or damaged checkpoint)",
                      number, checkpoints_path));
      continue;
    }
    by_seq.emplace(c->seq, *std::move(c));
  }
  RETURN_IF_ERROR(store.ScanAudit([&](const domain::AuditEvent& e) {
    out.head_seq = e.seq;
    auto [first, last] = by_seq.equal_range(e.seq);
    for (auto it = first; it != last; ++it) {
      if (it->second.hash != e.hash) {
        out.problems.push_back(fmt::format(
            "event {} has hash {}, but the checkpoint of {} signed {}: the chain was rewritten "
            "at or before event {}",
            e.seq, e.hash, it->second.at, it->second.hash, e.seq));
      }
    }
    return true;
  }));
  for (auto it = by_seq.upper_bound(out.head_seq); it != by_seq.end(); ++it) {
    out.problems.push_back(fmt::format(
        "the chain ends at event {}, but the checkpoint of {} signed event {}: events were "
        "deleted from the end (truncation)",
        out.head_seq, it->second.at, it->first));
    break;  // one message: the newest events are gone
  }
  return out;
}

}  // namespace rampart::app
