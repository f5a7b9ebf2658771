// The audit trail's event and its hash chain.
//
// Every change appends one event. Events form one chain per installation: each holds the
// previous event's hash and its own SHA-256 over a canonical encoding of every other column, so
// editing or deleting an event breaks the chain at that point.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/record.h"

namespace rampart::domain {

struct AuditEvent {
  int64_t seq = 0;          // 1, 2, 3, ... in append order
  std::string at;           // UTC, ISO 8601 with milliseconds
  int64_t org_id = 0;       // 0 for installation-wide events
  int64_t actor_id = 0;     // 0 for the system (e.g. `rampart init`)
  std::string actor;        // user name at the time
  std::string action;       // create, update, delete, approve, sign_in, ...
  std::string record_type;  // register type or "user", "session", "api_token"
  int64_t record_id = 0;
  Json diff = Json::object();  // {"field": {"from": x, "to": y}}
  std::string prev_hash;       // hex; 64 zeros for the first event
  std::string hash;            // hex SHA-256 of CanonicalEncoding()
  std::string address;         // the client's address; empty for the command line (encoding 2+)
  int encoding = 1;            // version of CanonicalEncoding() the hash covers
};

// Encoding 1: events written before addresses were recorded (the address is not hashed).
// Encoding 2: the version number and the address are hashed too. New events use the current one;
// an event's stored encoding says which one its hash covers, so older chains still verify.
inline constexpr int kCurrentAuditEncoding = 2;

inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The bytes hashed: a JSON array of every column but `hash`, in a fixed order. Encoding 1 leaves
// out `address` and `encoding`; encoding 2 starts with the version and adds the address after the
// actor. Any other encoding number yields an encoding no stored hash can match.
std::string CanonicalEncoding(const AuditEvent& e);
std::string ComputeAuditHash(const AuditEvent& e);

// Which of an organisation's audit events to read (the audit trail page and API), newest first.
struct AuditQuery {
  std::optional<int64_t> actor_id;  // who made them (0: the system)
  std::string record_type;          // about which kind of record ("risk", "user", ...)
  int64_t record_id = 0;            // with record_type: about which record
  std::string action;               // create, update, sign_in_failed, ...
  std::string from;                 // first day, YYYY-MM-DD (UTC), inclusive
  std::string to;                   // last day, inclusive
  int64_t before_seq = 0;           // only events older than this one (the next page)
  int64_t after_seq = 0;            // only events newer than this one (the page before)
  int limit = 100;
};

struct AuditPage {
  std::vector<domain::AuditEvent> events;  // newest first
  int64_t older = 0;  // before_seq of the page of older events; 0 when there is none
  int64_t newer = 0;  // after_seq of the page of newer events; 0 when there is none
};

}  // namespace rampart::domain
