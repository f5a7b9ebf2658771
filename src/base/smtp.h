// Sending e-mail over SMTP (libcurl), and writing the message itself (RFC 5322 headers, a MIME
// text/plain UTF-8 body in quoted-printable).
//
// Security: smtp:// requires STARTTLS (the connection is refused when the server does not offer
// it) unless `insecure_plaintext` is set, for a relay on the same host; smtps:// is TLS from the
// first byte. The server's certificate and name are always verified (against `ca_file` when
// given, else the system's store). Credentials are never part of an error message.
// Thread-safe: each Send uses its own connection.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace rampart {

struct SmtpOptions {
  std::string url;       // smtp://host[:port] or smtps://host[:port]
  std::string from;      // the envelope and header sender: rampart@example.org
  std::string username;  // empty: no authentication
  std::string password;
  std::string ca_file;               // PEM certificates to trust instead of the system's
  bool insecure_plaintext = false;   // smtp:// without STARTTLS (a local relay only)
  std::chrono::seconds timeout{20};  // the whole exchange; connecting: half of it
};

// kInvalidArgument naming "smtp-url" / "smtp-from" when the options cannot work: a URL that is
// not smtp:// or smtps:// with a host, a sender that is not one e-mail address.
Status CheckSmtpOptions(const SmtpOptions& options);

// Reads SMTP credentials from a file: the user name on the first line, the password on the
// second. kPermissionDenied when the file may be read by others than its owner (group or world
// bits set), kInvalidArgument naming "smtp-credentials" when it does not hold both lines.
Status ReadSmtpCredentials(const std::string& path, SmtpOptions& options);

// A message as it goes over the wire: headers (Date, From, To, Subject — RFC 2047 encoded when
// not ASCII —, Message-ID, MIME-Version, Content-Type text/plain UTF-8, Content-Transfer-Encoding
// quoted-printable, Auto-Submitted: auto-generated), a blank line and the body, CRLF line ends.
// CR and LF in `subject` become spaces, so a subject cannot add a header.
std::string FormatMailMessage(std::string_view from, std::string_view to, std::string_view subject,
                              std::string_view text, TimePoint date, std::string_view message_id);

// Quoted-printable (RFC 2045) of UTF-8 text with "\n" line ends: CRLF lines, soft breaks before
// 76 characters.
std::string QuotedPrintable(std::string_view text);

class SmtpClient {
 public:
  explicit SmtpClient(SmtpOptions options) : options_(std::move(options)) {}
  // Sends `text` with `subject` to `to`. kUnavailable with curl's reason when it failed.
  Status Send(std::string_view to, std::string_view subject, std::string_view text) const;
  const SmtpOptions& options() const { return options_; }

 private:
  SmtpOptions options_;
};

}  // namespace rampart
