// Status and Result<T>: recoverable errors as values.
//
// A Status carries a code from a small fixed set, a human-readable message and, for validation
// errors, the name of the offending field. Codes are mapped to HTTP statuses once (http/) and to
// CLI exit codes once (cli/). Status and Result are cheap to move and thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace rampart {

enum class Code {
  kOk,
  kInvalidArgument,       // bad input; `field` names what is wrong
  kNotFound,              // no such record in the caller's organisation
  kAlreadyExists,         // a unique value is taken
  kFailedPrecondition,    // the record's state forbids the action (e.g. editing an approved scope)
  kConflict,              // optimistic concurrency: the version given is stale
  kPreconditionRequired,  // a write without the version it is based on
  kUnauthenticated,
  kPermissionDenied,
  // The action changes how the account signs in (API tokens, the second factor): the session's
  // holder must prove their password (and second factor) again first.
  kReauthenticationRequired,
  kTooLarge,           // request body over the limit
  kResourceExhausted,  // too many attempts; try again later (sign-in throttling)
  kUnavailable,        // the database is busy or unreachable; retry
  // The database or its disk is full: nothing was written; reads still work, and writes work
  // again once space is freed.
  kInsufficientStorage,
  kInternal,
};

// Stable snake_case name of a code, used in API error bodies ("invalid_argument").
std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // The input field the error is about, or empty.
  const std::string& field() const { return field_; }
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string field_;
};

inline Status InvalidArgument(std::string msg, std::string field = {}) {
  return {Code::kInvalidArgument, std::move(msg), std::move(field)};
}
inline Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
inline Status AlreadyExists(std::string msg, std::string field = {}) {
  return {Code::kAlreadyExists, std::move(msg), std::move(field)};
}
inline Status FailedPrecondition(std::string msg) {
  return {Code::kFailedPrecondition, std::move(msg)};
}
inline Status Conflict(std::string msg) { return {Code::kConflict, std::move(msg)}; }
inline Status Unauthenticated(std::string msg) { return {Code::kUnauthenticated, std::move(msg)}; }
inline Status PermissionDenied(std::string msg) {
  return {Code::kPermissionDenied, std::move(msg)};
}
inline Status ResourceExhausted(std::string msg) {
  return {Code::kResourceExhausted, std::move(msg)};
}
inline Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
inline Status InsufficientStorage(std::string msg) {
  return {Code::kInsufficientStorage, std::move(msg)};
}
inline Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

// Result<T> holds either a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace rampart

#define RAMPART_CONCAT_INNER(a, b) a##b
#define RAMPART_CONCAT(a, b) RAMPART_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)                                  \
  do {                                                         \
    auto _st = (expr);                                         \
    if (!_st.ok()) return ::rampart::ToStatus(std::move(_st)); \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(RAMPART_CONCAT(_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

namespace rampart {
inline Status ToStatus(Status s) { return s; }
template <typename T>
Status ToStatus(Result<T> r) {
  return r.status();
}
}  // namespace rampart
