#include "domain/evidence.h"

#include <fmt/format.h>

#include "base/clock.h"
#include "base/text.h"

namespace rampart::domain {

namespace {

constexpr size_t kMaxFileNameBytes = 150;
constexpr long kMaxTitleLength = 200;

// The next code point of UTF-8 `s` at `i`, advancing `i`; -1 (advancing one byte) when the bytes
// there are not valid UTF-8.
int32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  int len = 0;
  int32_t cp = 0;
  if (c < 0x80) {
    ++i;
    return c;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    cp = c & 0x07;
  } else {
    ++i;
    return -1;
  }
  if (i + len > s.size()) {
    ++i;
    return -1;
  }
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  // Overlong encodings, surrogates and values past Unicode are not valid UTF-8.
  static constexpr int32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += len;
  return cp;
}

// Characters a file name must not carry: controls (C0, DEL, C1), quotes and characters that are
// special in paths or forbidden on Windows, and the invisible marks that reorder text (a name
// shown as "invoice_fdp.exe" that is really "invoice_exe.pdf", or the reverse).
bool Unsafe(int32_t cp) {
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
  switch (cp) {
    case '"':
    case '\'':
    case '\\':
    case '/':
    case ':':
    case '*':
    case '?':
    case '<':
    case '>':
    case '|':
    case ';':
    case '%':
    case '`':
      return true;
    default:
      break;
  }
  return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0xFEFF;
}

// The first `max` bytes of UTF-8 `s`, not cutting a character in two.
std::string_view Utf8Prefix(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

}  // namespace

const std::vector<EvidenceType>& EvidenceTypes() {
  // What libmagic 5.44 (Debian 12) reports for each. An Office Open XML file is a ZIP archive:
  // libmagic names the OOXML type when the archive starts with [Content_Types].xml as Office
  // writes it, and application/zip for other writers; both are accepted for the Office
  // extensions. Text formats are accepted as the plain text they are, never as HTML.
  static const std::vector<EvidenceType> kTypes = {
      {"pdf", "application/pdf", {"application/pdf"}},
      {"png", "image/png", {"image/png"}},
      {"jpg", "image/jpeg", {"image/jpeg"}},
      {"jpeg", "image/jpeg", {"image/jpeg"}},
      {"gif", "image/gif", {"image/gif"}},
      {"webp", "image/webp", {"image/webp"}},
      {"txt", "text/plain", {"text/plain"}},
      {"csv", "text/csv", {"text/csv", "text/plain"}},
      {"md", "text/markdown", {"text/markdown", "text/plain"}},
      {"json", "application/json", {"application/json", "text/plain"}},
      {"xml", "application/xml", {"text/xml", "application/xml"}},
      {"docx",
       "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
       {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip"}},
      {"xlsx",
       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
       {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}},
      {"pptx",
       "application/vnd.openxmlformats-officedocument.presentationml.presentation",
       {"application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/zip"}},
      {"odt",
       "application/vnd.oasis.opendocument.text",
       {"application/vnd.oasis.opendocument.text"}},
      {"ods",
       "application/vnd.oasis.opendocument.spreadsheet",
       {"application/vnd.oasis.opendocument.spreadsheet"}},
      {"zip", "application/zip", {"application/zip"}},
      {"eml", "message/rfc822", {"message/rfc822", "text/plain"}},
  };
  return kTypes;
}

std::string EvidenceExtensions() {
  std::string out;
  for (const auto& t : EvidenceTypes()) out += (out.empty() ? "" : ", ") + std::string(t.extension);
  return out;
}

std::string ExtensionOf(std::string_view file_name) {
  const auto dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == file_name.size()) return {};
  return ToLower(file_name.substr(dot + 1));
}

Result<std::string> MatchEvidenceType(std::string_view file_name, std::string_view sniffed) {
  const std::string ext = ExtensionOf(file_name);
  for (const auto& t : EvidenceTypes()) {
    if (t.extension != ext) continue;
    for (const auto& s : t.sniffed) {
      if (s == sniffed) return std::string(t.media_type);
    }
    return InvalidArgument(fmt::format("the file's content ({}) is not what its extension .{} "
                                       "says; rename it or upload the right file",
                                       sniffed, ext),
                           "file");
  }
  return InvalidArgument(
      ext.empty()
          ? fmt::format("the file name has no extension; accepted: {}", EvidenceExtensions())
          : fmt::format("files of type .{} are not accepted; accepted: {}", ext,
                        EvidenceExtensions()),
      "file");
}

Status CheckEvidenceSize(int64_t size, int64_t max_bytes) {
  if (size <= 0) return InvalidArgument("the file is empty", "file");
  if (size > max_bytes) {
    return Status(Code::kTooLarge,
                  fmt::format("the file is larger than {} bytes ({} MiB), the most accepted",
                              max_bytes, max_bytes >> 20),
                  "file");
  }
  return Status::Ok();
}

Result<EvidenceInput> ValidateEvidence(const EvidenceInput& input) {
  EvidenceInput out;
  out.title = std::string(Trim(input.title));
  const long title_length = Utf8Length(out.title);
  if (out.title.empty()) return InvalidArgument("Title is required", "title");
  if (title_length < 0) return InvalidArgument("Title is not valid UTF-8 text", "title");
  if (title_length > kMaxTitleLength) {
    return InvalidArgument(fmt::format("Title is longer than {} characters", kMaxTitleLength),
                           "title");
  }
  if (Trim(input.file_name).empty()) return InvalidArgument("a file is required", "file");
  out.file_name = SafeFileName(input.file_name);
  auto date = [](const std::string& typed, const char* label, const char* field,
                 std::string& into) -> Status {
    into = std::string(Trim(typed));
    if (!into.empty() && !IsValidDate(into)) {
      return InvalidArgument(fmt::format("{} must be a date (YYYY-MM-DD)", label), field);
    }
    return Status::Ok();
  };
  RETURN_IF_ERROR(
      date(input.effective_date, "Effective date", "effective_date", out.effective_date));
  RETURN_IF_ERROR(date(input.expires, "Expiry date", "expires", out.expires));
  if (!out.effective_date.empty() && !out.expires.empty() && out.expires < out.effective_date) {
    return InvalidArgument("Expiry date is before the effective date", "expires");
  }
  return out;
}

std::string SafeFileName(std::string_view name) {
  // Only the last component of a path, whichever separator the client's system uses.
  if (const auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name = name.substr(slash + 1);
  }
  std::string clean;
  for (size_t i = 0; i < name.size();) {
    const int32_t cp = NextCodePoint(name, i);
    if (cp < 0) {
      clean += '_';
    } else if (!Unsafe(cp)) {
      AppendUtf8(clean, static_cast<uint32_t>(cp));
    }
  }
  std::string_view s = Trim(clean);
  while (!s.empty() && (s.front() == '.' || s.front() == ' ')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.remove_suffix(1);
  if (s.empty()) return "evidence";
  if (s.size() <= kMaxFileNameBytes) return std::string(s);
  // Too long: shorten the stem, keep the extension.
  const auto dot = s.rfind('.');
  const std::string_view ext =
      dot != std::string_view::npos && s.size() - dot <= 16 ? s.substr(dot) : std::string_view();
  const std::string_view stem = ext.empty() ? s : s.substr(0, dot);
  return std::string(Utf8Prefix(stem, kMaxFileNameBytes - ext.size())) + std::string(ext);
}

std::string AsciiFileName(std::string_view safe_name) {
  std::string out;
  for (size_t i = 0; i < safe_name.size();) {
    const int32_t cp = NextCodePoint(safe_name, i);
    out += cp >= 0x20 && cp < 0x7F && !Unsafe(cp) ? static_cast<char>(cp) : '_';
  }
  return out.empty() ? "evidence" : out;
}

std::string AttachmentDisposition(std::string_view file_name) {
  const std::string safe = SafeFileName(file_name);
  return fmt::format("attachment; filename=\"{}\"; filename*=UTF-8''{}", AsciiFileName(safe),
                     UrlEncode(safe));
}

bool IsExpired(const EvidenceFile& file, std::string_view today) {
  return !file.expires.empty() && file.expires < today;
}

}  // namespace rampart::domain
