// Evidence files (ISO/IEC 27001 7.5, and "evidence" wherever a clause asks for it): a file
// attached to any register record, stored once per organisation by its SHA-256, with the date
// it takes effect and the date it expires.
//
// The rules as typed code: which file types are accepted and what their bytes must look like,
// the metadata's validation (errors name the field), a file name that is safe to send back in a
// Content-Disposition header, and when a file is expired. Pure functions, no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace rampart::domain {

// Uploads larger than this are refused unless the server is configured otherwise.
inline constexpr int64_t kDefaultMaxEvidenceBytes = int64_t{20} << 20;  // 20 MiB

struct EvidenceFile {
  int64_t id = 0;
  int64_t org_id = 0;
  std::string record_type;  // the register's record type: "context_issue"
  int64_t record_id = 0;
  std::string title;
  std::string file_name;       // as SafeFileName made it
  std::string content_type;    // the accepted type's media type
  int64_t size = 0;            // bytes
  std::string sha256;          // hex, of the content
  std::string effective_date;  // YYYY-MM-DD, or empty
  std::string expires;         // YYYY-MM-DD, the last day the evidence is valid; or empty
  int64_t uploaded_by = 0;
  std::string uploaded_at;  // UTC ISO 8601
};

// The evidence files attached to one record, as their expiry goes.
struct EvidenceExpiry {
  int64_t files = 0;
  int64_t never_expire = 0;  // files without an expiry
  std::string latest;        // the latest expiry among the others (YYYY-MM-DD); empty: none
  // Every file has expired by `day`: none is valid on it (a file is valid to its expiry).
  bool ExpiredBy(std::string_view day) const {
    return files > 0 && never_expire == 0 && !latest.empty() && latest < day;
  }
};

// What the uploader says about a file (the bytes travel separately).
struct EvidenceInput {
  std::string title;
  std::string file_name;
  std::string effective_date;
  std::string expires;
};

// An accepted file type: the extension, the media type the file is served with, and the types
// libmagic may report for such a file's bytes.
struct EvidenceType {
  std::string_view extension;  // lower case, without the dot
  std::string_view media_type;
  std::vector<std::string_view> sniffed;
};

// Every accepted type, in the order the documentation lists them.
const std::vector<EvidenceType>& EvidenceTypes();
// "pdf, png, ..." for messages and documentation.
std::string EvidenceExtensions();

// The file name's extension in lower case ("PDF" -> "pdf"); empty when it has none.
std::string ExtensionOf(std::string_view file_name);

// The media type to store for a file named `file_name` whose bytes libmagic calls `sniffed`.
// kInvalidArgument naming `file` when the extension is not accepted or the bytes are not what the
// extension says (an executable or a web page named .pdf, a picture named .txt).
Result<std::string> MatchEvidenceType(std::string_view file_name, std::string_view sniffed);

// An upload's size: kInvalidArgument naming `file` when it is empty, kTooLarge naming `file` when
// it is over `max_bytes`.
Status CheckEvidenceSize(int64_t size, int64_t max_bytes);

// Validates and normalises what the uploader says: the title trimmed (required, at most 200
// characters), the file name made safe (SafeFileName), the dates YYYY-MM-DD and `expires` not
// before `effective_date`. kInvalidArgument naming `title`, `file`, `effective_date` or `expires`.
Result<EvidenceInput> ValidateEvidence(const EvidenceInput& input);

// A file name safe to store and send back: only the last path component (no directories, no
// "..") with control characters, quotes, backslashes, characters Windows forbids and Unicode
// direction overrides removed, invalid UTF-8 replaced by '_', leading dots and surrounding spaces
// dropped, at most 150 bytes (keeping the extension). Letters of every script are kept.
// "evidence" when nothing is left.
std::string SafeFileName(std::string_view name);
// SafeFileName's result in ASCII: every other character becomes '_' (for the plain `filename=`
// parameter that old clients read).
std::string AsciiFileName(std::string_view safe_name);
// `attachment; filename="ASCII"; filename*=UTF-8''PERCENT-ENCODED` (RFC 6266, RFC 5987).
std::string AttachmentDisposition(std::string_view file_name);

// True when the file has an expiry date and `today` (YYYY-MM-DD) is after it.
bool IsExpired(const EvidenceFile& file, std::string_view today);

}  // namespace rampart::domain
