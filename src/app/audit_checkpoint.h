// Signed checkpoints of the audit trail's head, kept outside the database.
//
// The hash chain shows an edit of one event, but not someone who rewrites the database: deletes
// the newest events, or changes an event and recomputes every later hash. A checkpoint is the
// chain's head (sequence number, hash) at a time, signed with an Ed25519 key kept in a file
// outside the database, and appended as one JSON line to a checkpoints file beside the key:
//
//   {"seq":130,"hash":"<hex>","at":"2026-12-04T05:00:00.000Z","signature":"<base64>"}
//
// The signature covers CheckpointMessage(): the bytes
//   "rampart-audit-checkpoint\nseq=<seq>\nhash=<hash>\nat=<at>\n"
// so an auditor can check a line with standard tools (docs/audit-trail.md). Verification against
// the checkpoints finds truncation (the chain ends before a checkpoint's event) and re-chaining
// (the event at a checkpoint's number has another hash).
//
// Files: the key file holds the 32-byte seed in base64 behind a header line and is created with
// mode 0600; the public key is written beside it as PEM (`<key>.pub.pem`); the checkpoints file
// defaults to `<key>.checkpoints`. Appends are whole lines, flushed and fsync'ed. Thread-safe as
// long as one process appends to a checkpoints file at a time (appends use O_APPEND).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "store/store.h"

namespace rampart::app {

struct Checkpoint {
  int64_t seq = 0;
  std::string hash;
  std::string at;         // UTC ISO 8601
  std::string signature;  // base64 of the 64-byte Ed25519 signature
};

// The bytes a checkpoint's signature covers.
std::string CheckpointMessage(const Checkpoint& c);
// One JSON line (without the newline) and back; kInvalidArgument for a malformed line.
std::string CheckpointLine(const Checkpoint& c);
Result<Checkpoint> ParseCheckpointLine(const std::string& line);

// The checkpoints of a checkpoints file in the order they were written, each seq once (the first
// signed: a start with no new event signs the same head again). Lines that are not checkpoints
// are left out (VerifyCheckpoints names them). kNotFound when the file does not exist.
Result<std::vector<Checkpoint>> ReadCheckpoints(const std::string& checkpoints_path);

class SigningKey {
 public:
  // Makes a new key at `path` (mode 0600, in an existing directory) and writes the public key
  // beside it as `<path>.pub.pem`. kAlreadyExists when `path` exists: a key is never replaced.
  static Result<SigningKey> Create(const std::string& path);
  // kNotFound when there is no file; kInvalidArgument when it is not a Rampart signing key;
  // kFailedPrecondition when others may read it (group or world permissions).
  static Result<SigningKey> Load(const std::string& path);

  const std::string& path() const { return path_; }
  const std::string& public_key() const { return public_key_; }  // raw 32 bytes
  std::string PublicKeyPem() const;
  std::string PublicKeyBase64() const;
  // The checkpoints file that goes with this key: `<path>.checkpoints`.
  std::string CheckpointsPath() const { return path_ + ".checkpoints"; }
  Result<Checkpoint> Sign(int64_t seq, const std::string& hash, const std::string& at) const;

 private:
  SigningKey(std::string path, std::string seed, std::string public_key)
      : path_(std::move(path)), seed_(std::move(seed)), public_key_(std::move(public_key)) {}
  std::string path_;
  std::string seed_;
  std::string public_key_;
};

// The default key file for a database URL: `<file>.signing-key` beside a SQLite file; for
// PostgreSQL there is no default (kInvalidArgument: name one with --signing-key).
Result<std::string> DefaultSigningKeyPath(const std::string& db_url);

// Verifies the whole chain and, when it is intact, signs its head and appends the checkpoint to
// `checkpoints_path`. kFailedPrecondition when the chain is broken (a checkpoint must never
// vouch for a tampered trail) or empty.
Result<Checkpoint> WriteCheckpoint(store::Store& store, const SigningKey& key, const Clock& clock,
                                   const std::string& checkpoints_path);

// As WriteCheckpoint, but appends nothing (nullopt) when the file already holds `key`'s
// checkpoint of the chain's head (its newest event's first line, with a valid signature): `serve`
// checkpoints at every start and interval, and an installation with no new event would otherwise
// add the same checkpoint each time.
Result<std::optional<Checkpoint>> WriteCheckpointIfMoved(store::Store& store, const SigningKey& key,
                                                         const Clock& clock,
                                                         const std::string& checkpoints_path);

struct CheckpointVerification {
  int64_t checkpoints = 0;            // lines read
  int64_t head_seq = 0;               // the chain's last event
  std::vector<std::string> problems;  // empty when every checkpoint matches the chain
};

// Checks every checkpoint's signature with `public_key` (raw 32 bytes) and compares it with the
// chain: a checkpoint past the chain's end is truncation; a different hash at its number is a
// rewritten chain; a bad signature or line is a forged or damaged checkpoints file.
// kNotFound when the file does not exist.
Result<CheckpointVerification> VerifyCheckpoints(store::Store& store,
                                                 const std::string& checkpoints_path,
                                                 const std::string& public_key);

}  // namespace rampart::app
