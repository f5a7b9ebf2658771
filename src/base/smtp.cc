#include "base/smtp.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <fstream>

#include "base/crypto.h"
#include "base/formats_module.h"
#include "base/text.h"

namespace rampart {

namespace {

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

std::string NoLineBreaks(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

// RFC 2047: "=?UTF-8?B?...?=" words of at most 45 bytes of text each (whole UTF-8 sequences).
std::string EncodeHeaderWord(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = std::min(text.size(), start + 45);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64Encode(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

// An address fit for a header and the envelope: one address, nothing that ends a line or adds
// another recipient.
bool PlainAddress(std::string_view a) {
  if (a.size() < 3 || a.size() > 254 || a.find('@') == std::string_view::npos) return false;
  for (unsigned char c : a) {
    if (c <= ' ' || c >= 0x7f || c == '<' || c == '>' || c == ',' || c == ';' || c == '"') {
      return false;
    }
  }
  return true;
}

std::string RfcDate(TimePoint t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02d} {} {:04d} {:02d}:{:02d}:{:02d} +0000", kDays[tm.tm_wday],
                     tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                     tm.tm_sec);
}

}  // namespace

std::string QuotedPrintable(std::string_view text) {
  std::string out;
  size_t line_length = 0;
  auto put = [&](const std::string& token) {
    if (line_length + token.size() > 75) {
      out += "=\r\n";
      line_length = 0;
    }
    out += token;
    line_length += token.size();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      out += "\r\n";
      line_length = 0;
      continue;
    }
    if (c == '\r') continue;
    const bool line_end = i + 1 == text.size() || text[i + 1] == '\n' || text[i + 1] == '\r';
    const bool plain = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !line_end);
    put(plain ? std::string(1, static_cast<char>(c)) : fmt::format("={:02X}", c));
  }
  return out;
}

std::string FormatMailMessage(std::string_view from, std::string_view to, std::string_view subject,
                              std::string_view text, TimePoint date, std::string_view message_id) {
  std::string m;
  m += "Date: " + RfcDate(date) + "\r\n";
  m += fmt::format("From: Rampart <{}>\r\n", from);
  m += fmt::format("To: <{}>\r\n", to);
  m += "Subject: " + EncodeHeaderWord(NoLineBreaks(subject)) + "\r\n";
  m += fmt::format("Message-ID: <{}>\r\n", message_id);
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: quoted-printable\r\n";
  m += "Auto-Submitted: auto-generated\r\n";
  m += "\r\n";
  m += QuotedPrintable(text);
  if (m.size() < 2 || m.substr(m.size() - 2) != "\r\n") m += "\r\n";
  return m;
}

Status CheckSmtpOptions(const SmtpOptions& o) {
  const bool smtp = o.url.rfind("smtp://", 0) == 0;
  const bool smtps = o.url.rfind("smtps://", 0) == 0;
  const size_t host_at = smtp ? 7 : 8;
  if ((!smtp && !smtps) || o.url.size() <= host_at || o.url[host_at] == ':' ||
      o.url[host_at] == '/') {
    return InvalidArgument("--smtp-url must be smtp://HOST[:PORT] or smtps://HOST[:PORT]",
                           "smtp-url");
  }
  if (o.url.find('@') != std::string::npos) {
    return InvalidArgument(
        "--smtp-url must not carry credentials: put them in a file given to --smtp-credentials",
        "smtp-url");
  }
  if (!PlainAddress(o.from)) {
    return InvalidArgument("--smtp-from must be one e-mail address, such as rampart@example.org",
                           "smtp-from");
  }
  return Status::Ok();
}

Status ReadSmtpCredentials(const std::string& path, SmtpOptions& options) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return InvalidArgument(fmt::format("cannot read {}", path), "smtp-credentials");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return PermissionDenied(
        fmt::format("{} may be read by others: make it readable by its owner alone (chmod 600 {})",
                    path, path));
  }
  std::ifstream in(path);
  std::string user;
  std::string password;
  if (!std::getline(in, user) || !std::getline(in, password)) {
    return InvalidArgument(
        fmt::format("{} must hold the user name on its first line and the password on its "
                    "second",
                    path),
        "smtp-credentials");
  }
  auto trim_cr = [](std::string& s) {
    if (!s.empty() && s.back() == '\r') s.pop_back();
  };
  trim_cr(user);
  trim_cr(password);
  if (user.empty() || password.empty()) {
    return InvalidArgument(fmt::format("{}: the user name or the password is empty", path),
                           "smtp-credentials");
  }
  options.username = std::move(user);
  options.password = std::move(password);
  return Status::Ok();
}

Status SmtpClient::Send(std::string_view to, std::string_view subject,
                        std::string_view text) const {
  if (!PlainAddress(to)) return InvalidArgument("not an e-mail address", "email");
  ASSIGN_OR_RETURN(const formats::Module* module, formats::Load());
  const std::string domain = options_.from.substr(options_.from.rfind('@') + 1);
  const std::string message_id = fmt::format("{}@{}", HexEncode(RandomBytes(16)), domain);
  return module->smtp_send(options_, to,
                           FormatMailMessage(options_.from, to, subject, text,
                                             std::chrono::system_clock::now(), message_id));
}

}  // namespace rampart
