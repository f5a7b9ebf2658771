#include "base/status.h"

namespace rampart {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kNotFound:
      return "not_found";
    case Code::kAlreadyExists:
      return "already_exists";
    case Code::kFailedPrecondition:
      return "failed_precondition";
    case Code::kConflict:
      return "conflict";
    case Code::kPreconditionRequired:
      return "precondition_required";
    case Code::kUnauthenticated:
      return "unauthenticated";
    case Code::kPermissionDenied:
      return "permission_denied";
    case Code::kReauthenticationRequired:
      return "reauthentication_required";
    case Code::kTooLarge:
      return "too_large";
    case Code::kResourceExhausted:
      return "too_many_attempts";
    case Code::kUnavailable:
      return "unavailable";
    case Code::kInsufficientStorage:
      return "insufficient_storage";
    case Code::kInternal:
      return "internal";
  }
  return "internal";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string s(CodeName(code_));
  s += ": ";
  s += message_;
  if (!field_.empty()) s += " (field " + field_ + ")";
  return s;
}

}  // namespace rampart
