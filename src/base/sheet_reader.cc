#include "base/sheet_reader.h"

#include <fmt/format.h>
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include "base/formats_module.h"
#include "base/text.h"

namespace rampart {

namespace {

// Parts larger than this are checked for their compression ratio; below it a high ratio is
// harmless (a sheet of one repeated empty cell compresses 500 to 1).
constexpr uint64_t kRatioFloor = 1 << 20;
constexpr zip_int64_t kMaxEntries = 10000;
// The last column a worksheet may have (XFD).
constexpr size_t kMaxSheetColumn = 16384;

Status Refused(std::string message) { return InvalidArgument(std::move(message), "file"); }
Status TooLarge(std::string message) { return {Code::kTooLarge, std::move(message), "file"}; }

// 200000 -> "200,000".
std::string Count(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// A size as the limits are usually set: "50 MiB", else "1,000 bytes".
std::string Bytes(uint64_t n) {
  if (n >= (1 << 20) && n % (1 << 20) == 0) return fmt::format("{} MiB", n >> 20);
  return Count(n) + " bytes";
}

// Column index 0 -> "A", 25 -> "Z", 26 -> "AA".
std::string ColumnName(size_t index) {
  std::string out;
  for (size_t n = index + 1; n > 0; n = (n - 1) / 26) {
    out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return IsSpace(c); });
}

// The start of a cell for a message: at most 30 bytes, cut on a character boundary, control
// characters shown as spaces.
std::string Snippet(std::string_view s) {
  constexpr size_t kMax = 30;
  const bool cut = s.size() > kMax;
  size_t n = std::min(s.size(), kMax);
  while (cut && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  std::string out(s.substr(0, n));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return cut ? out + "..." : out;
}

// The integer `s` writes, or `otherwise` (an absent or malformed style or format id).
int IntOr(const std::optional<std::string>& s, int otherwise) {
  if (!s) return otherwise;
  int v = 0;
  const auto [p, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  return ec == std::errc() && p == s->data() + s->size() ? v : otherwise;
}

// Collects the rows as a reader finds them into a Sheet: the header, then data rows checked
// against it and against the limits. Rows come as their cells (at most Cap() of them kept by
// the reader) and their width: the index after the last cell that is not blank, counting the
// cells not kept.
class SheetBuilder {
 public:
  SheetBuilder(const SheetLimits& limits, const char* unit) : limits_(limits), unit_(unit) {}

  // How many cells of a row the reader keeps: the header's columns once it is known, the limit
  // of columns before (a header wider than that is refused by its width).
  size_t Cap() const { return has_header_ ? sheet_.header.size() : limits_.max_columns; }
  // "line 12" or "row 12".
  std::string Where(int64_t number) const { return fmt::format("{} {}", unit_, number); }

  Status Add(std::vector<std::string>& cells, size_t width, int64_t number) {
    if (width == 0) return Status::Ok();  // a blank row
    if (!has_header_) return SetHeader(cells, width, number);
    const size_t columns = sheet_.header.size();
    if (width > columns) {
      return Refused(fmt::format("{} has a value in column {}, but the header names {} column{}",
                                 Where(number), ColumnName(width - 1), columns,
                                 columns == 1 ? "" : "s"));
    }
    if (sheet_.rows.size() >= limits_.max_rows) {
      return TooLarge(fmt::format("the file has more than {} rows below the header (the limit)",
                                  Count(limits_.max_rows)));
    }
    if ((sheet_.rows.size() + 1) * columns > limits_.max_cells) {
      return TooLarge(fmt::format(
          "the file has more than {} cells below the header (the limit): {} rows of {} columns",
          Count(limits_.max_cells), Count(sheet_.rows.size() + 1), columns));
    }
    cells.resize(columns);
    sheet_.rows.push_back(std::move(cells));
    sheet_.lines.push_back(number);
    cells = {};
    return Status::Ok();
  }

  Result<Sheet> Finish(std::string format, std::string sheet_name) {
    if (!has_header_) return Refused("the first row names no columns");
    sheet_.format = std::move(format);
    sheet_.sheet_name = std::move(sheet_name);
    return std::move(sheet_);
  }

 private:
  Status SetHeader(std::vector<std::string>& cells, size_t width, int64_t number) {
    if (width > limits_.max_columns) {
      return TooLarge(fmt::format("the first row ({}) names more than {} columns (the limit)",
                                  Where(number), Count(limits_.max_columns)));
    }
    cells.resize(width);
    // Names are matched case-insensitively by importers, so "Owner" and "owner" clash too.
    std::map<std::string, size_t> seen;
    for (size_t c = 0; c < width; ++c) {
      cells[c] = std::string(Trim(cells[c]));
      if (cells[c].empty()) continue;
      const auto [it, inserted] = seen.emplace(ToLower(cells[c]), c);
      if (!inserted) {
        return Refused(fmt::format(
            "columns {} and {} of the first row ({}) are both named \"{}\": name each column once",
            ColumnName(it->second), ColumnName(c), Where(number), Snippet(cells[c])));
      }
    }
    sheet_.header = std::move(cells);
    cells = {};
    has_header_ = true;
    return Status::Ok();
  }

  const SheetLimits& limits_;
  const char* unit_;
  Sheet sheet_;
  bool has_header_ = false;
};

// ---------------------------------------------------------------------------------------------
// CSV

// The 1-based line of byte `pos`: line ends are LF, CRLF and a CR alone.
int64_t LineOf(std::string_view text, size_t pos) {
  int64_t line = 1;
  for (size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
    }
  }
  return line;
}

// The offset of the first byte of `s` that is not part of valid UTF-8 (overlong forms,
// surrogates and code points past U+10FFFF are invalid), or npos.
size_t FirstInvalidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t n = 0;
    unsigned char lo = 0x80;  // the range of the second byte, narrowed for the edge cases
    unsigned char hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      n = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 3;
      if (b == 0xE0) lo = 0xA0;  // overlong
      if (b == 0xED) hi = 0x9F;  // surrogates
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 4;
      if (b == 0xF0) lo = 0x90;  // overlong
      if (b == 0xF4) hi = 0x8F;  // past U+10FFFF
    } else {
      return i;
    }
    if (i + n > s.size()) return i;
    const auto second = static_cast<unsigned char>(s[i + 1]);
    if (second < lo || second > hi) return i;
    for (size_t k = 2; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
    }
    i += n;
  }
  return std::string_view::npos;
}

// The text of a CSV file: UTF-8 without its byte order mark, or why it is refused.
Result<std::string_view> CsvText(std::string_view bytes) {
  constexpr std::string_view kUtf16 = "the file is UTF-16 text: save it as CSV UTF-8";
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) return Refused(kUtf16.data());
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  if (const size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
    // UTF-16 without a byte order mark: every other byte of Latin text is NUL.
    const std::string_view head = bytes.substr(0, 4096);
    if (static_cast<size_t>(std::count(head.begin(), head.end(), '\0')) * 4 >= head.size()) {
      return Refused(kUtf16.data());
    }
    return Refused(fmt::format(
        "line {} holds a NUL byte: the file is binary, not CSV text; save it as CSV UTF-8",
        LineOf(bytes, nul)));
  }
  if (const size_t bad = FirstInvalidUtf8(bytes); bad != std::string_view::npos) {
    return Refused(fmt::format(
        "line {} is not UTF-8 text: the file looks like Windows-1252 or Latin-1 (what Excel "
        "writes as plain CSV); save it as CSV UTF-8",
        LineOf(bytes, bad)));
  }
  return bytes;
}

// The delimiter of the first record that holds a value: the most frequent of ',', ';' and tab
// outside quotes, ',' on a tie or when there is none; nullopt when no record holds a value.
std::optional<char> DetectDelimiter(std::string_view text) {
  constexpr std::string_view kDelimiters = ",;\t";
  size_t i = 0;
  while (i < text.size()) {
    std::array<size_t, 3> counts = {0, 0, 0};
    bool value = false;  // the record holds more than delimiters and white space
    bool quoted = false;
    for (; i < text.size(); ++i) {
      const char c = text[i];
      if (c == '"') {
        quoted = !quoted;  // a doubled quote toggles twice
      } else if (quoted) {
        if (!IsSpace(c)) value = true;
      } else if (c == '\n' || c == '\r') {
        break;
      } else if (const size_t d = kDelimiters.find(c); d != std::string_view::npos) {
        ++counts[d];
      } else if (c != ' ') {
        value = true;
      }
    }
    if (value) {
      size_t best = 0;
      for (size_t d = 1; d < 3; ++d) {
        if (counts[d] > counts[best]) best = d;
      }
      return kDelimiters[best];
    }
    ++i;  // past the line end; a CRLF leaves an empty record, which holds no value
  }
  return std::nullopt;
}

// A formula as Excel and LibreOffice would run it when opening the file: '=' anywhere after
// leading white space; '+', '-' or '@' followed by a call, a DDE link (cmd|' /C calc'!A0) or a
// reference to another sheet. "-3", "- item" and "+44 20 7946 0958" are values.
bool LooksLikeFormula(std::string_view cell) {
  while (!cell.empty() && IsSpace(cell.front())) cell.remove_prefix(1);
  if (cell.empty()) return false;
  if (cell.front() == '=') return true;
  if (cell.front() != '+' && cell.front() != '-' && cell.front() != '@') return false;
  return cell.find_first_of("(|!", 1) != std::string_view::npos;
}

}  // namespace

Result<Sheet> formats::ReadCsv(std::string_view bytes, const SheetLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return TooLarge(fmt::format("the file is larger than {} (the limit)", Bytes(limits.max_bytes)));
  }
  ASSIGN_OR_RETURN(const std::string_view text, CsvText(bytes));
  SheetBuilder builder(limits, "line");
  const std::optional<char> detected = DetectDelimiter(text);
  if (!detected) return builder.Finish("csv", "");  // blank: refused for naming no columns
  const char delimiter = *detected;
  const std::array<char, 3> stops = {delimiter, '\r', '\n'};
  const std::string_view unquoted_stops(stops.data(), stops.size());

  size_t i = 0;
  int64_t line = 1;
  std::vector<std::string> cells;
  std::string field;
  while (i < text.size()) {
    const int64_t record_line = line;
    const size_t cap = builder.Cap();
    size_t width = 0;
    size_t column = 0;
    cells.clear();
    for (;;) {
      field.clear();
      auto check_size = [&]() -> Status {
        if (field.size() <= limits.max_cell_bytes) return Status::Ok();
        return TooLarge(fmt::format("{}, column {} holds more than {} (the limit)",
                                    builder.Where(record_line), ColumnName(column),
                                    Bytes(limits.max_cell_bytes)));
      };
      if (i < text.size() && text[i] == '"') {
        const int64_t quote_line = line;
        ++i;
        for (;;) {
          const size_t stop = text.find_first_of("\"\r\n", i);
          if (stop == std::string_view::npos) {
            return Refused(fmt::format(
                "the quoted cell that starts on line {} (column {}) has no closing quote",
                quote_line, ColumnName(column)));
          }
          field.append(text.substr(i, stop - i));
          i = stop;
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          field += '\n';
          ++line;
          i += text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n' ? 2 : 1;
          RETURN_IF_ERROR(check_size());
        }
      }
      // The unquoted cell, or what follows a closing quote before the delimiter (kept, as
      // spreadsheets do with "a"b).
      const size_t stop = std::min(text.find_first_of(unquoted_stops, i), text.size());
      field.append(text.substr(i, stop - i));
      i = stop;
      RETURN_IF_ERROR(check_size());

      if (field.size() >= 2 && field[0] == '\'' &&
          std::string_view("=+-@").find(field[1]) != std::string_view::npos) {
        field.erase(0, 1);  // neutralised by Rampart's export: the value is the rest
      } else if (LooksLikeFormula(field)) {
        return Refused(fmt::format(
            "{}, column {} starts like a formula ({}): Rampart imports values only (start the "
            "cell with an apostrophe to import it as text)",
            builder.Where(record_line), ColumnName(column), Snippet(field)));
      }
      if (!IsBlank(field)) width = column + 1;
      if (column < cap) cells.push_back(std::move(field));
      ++column;
      if (i < text.size() && text[i] == delimiter) {
        ++i;
        continue;
      }
      break;
    }
    if (i < text.size()) {
      i += text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n' ? 2 : 1;
      ++line;
    }
    RETURN_IF_ERROR(builder.Add(cells, width, record_line));
  }
  return builder.Finish("csv", "");
}

// ---------------------------------------------------------------------------------------------
// XLSX

namespace {

constexpr std::string_view kRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr std::string_view kStrictRelNs = "http://purl.oclc.org/ooxml/officeDocument/relationships";

void InitXmlOnce() {
  // libxml2 wants its globals set up once before threads use it.
  static const bool done = [] {
    xmlInitParser();
    return true;
  }();
  (void)done;
}

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

// An attribute's value as an owned string (libxml2 allocates it), or nullopt when absent.
std::optional<std::string> Owned(xmlChar* s) {
  if (s == nullptr) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(s));
  xmlFree(s);
  return out;
}

// Decodes the _xHHHH_ escapes of Office Open XML strings (Excel writes a carriage return as
// _x000D_, and a literal "_x" as _x005F_x); NUL and surrogates stay as written.
std::string DecodeEscapes(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    uint32_t cp = 0;
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
      const auto [p, ec] = std::from_chars(s.data() + i + 2, s.data() + i + 6, cp, 16);
      if (ec == std::errc() && p == s.data() + i + 6 && cp != 0 &&
          !(cp >= 0xD800 && cp <= 0xDFFF)) {
        AppendUtf8(out, cp);
        i += 6;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// The archive and what has been unpacked from it so far, over all parts.
struct Budget {
  const SheetLimits& limits;
  uint64_t declared = 0;
  uint64_t unpacked = 0;
};

// What the XML reader pulls from one archive entry: inflated bytes, counted against the budget
// as they come, since the sizes the archive declares may lie.
struct EntryStream {
  zip_file_t* file = nullptr;
  std::string name;
  uint64_t compressed = 0;
  uint64_t read = 0;
  Budget* budget = nullptr;
  std::string tail;  // the last bytes read, to find a declaration split between two reads
  Status failure;
};

constexpr std::string_view kDoctype = "<!DOCTYPE";

Status DoctypeRefused(const std::string& part) {
  // Spreadsheet parts never declare a document type; one that does is an attack on the parser
  // (entity expansion, "billion laughs", or external entities).
  return Refused(fmt::format(
      "{} holds a document type declaration (DOCTYPE), which workbooks never do: the file is "
      "refused",
      part));
}

int ReadEntry(void* context, char* buffer, int len) {
  auto* s = static_cast<EntryStream*>(context);
  const zip_int64_t n = zip_fread(s->file, buffer, static_cast<zip_uint64_t>(len));
  if (n < 0) {
    s->failure = Refused(fmt::format("the workbook is damaged: {} cannot be unpacked ({})", s->name,
                                     zip_file_strerror(s->file)));
    return -1;
  }
  // A declaration is refused before libxml2 parses it: the reader reports the DOCTYPE node
  // only once it has parsed what follows, entity references included. (UTF-16 parts, which
  // this does not see, are caught at the DOCTYPE node.)
  const std::string_view chunk(buffer, static_cast<size_t>(n));
  const std::string seam = s->tail + std::string(chunk.substr(0, kDoctype.size()));
  if (chunk.find(kDoctype) != std::string_view::npos || seam.find(kDoctype) != std::string::npos) {
    s->failure = DoctypeRefused(s->name);
    return -1;
  }
  s->tail.append(chunk.substr(chunk.size() - std::min(chunk.size(), kDoctype.size())));
  if (s->tail.size() > kDoctype.size()) s->tail.erase(0, s->tail.size() - kDoctype.size());
  s->read += static_cast<uint64_t>(n);
  s->budget->unpacked += static_cast<uint64_t>(n);
  const SheetLimits& limits = s->budget->limits;
  if (s->budget->unpacked > limits.max_unpacked_bytes) {
    s->failure = TooLarge(fmt::format("the workbook unpacks to more than {} (the limit)",
                                      Bytes(limits.max_unpacked_bytes)));
    return -1;
  }
  if (s->read > kRatioFloor && s->read > limits.max_ratio * std::max<uint64_t>(s->compressed, 1)) {
    s->failure = TooLarge(fmt::format(
        "{} unpacks to more than {} times its packed size (the limit): the file looks like a "
        "ZIP bomb",
        s->name, limits.max_ratio));
    return -1;
  }
  return static_cast<int>(n);
}

int CloseEntry(void* /*context*/) { return 0; }  // the entry is closed by its XmlPart

void IgnoreXmlError(void* /*arg*/, const char* /*msg*/, xmlParserSeverities /*severity*/,
                    xmlTextReaderLocatorPtr /*locator*/) {}

// One XML part of the archive, read node by node with libxml2's streaming reader: memory stays
// flat whatever the size of the part.
class XmlPart {
 public:
  XmlPart() = default;
  ~XmlPart() {
    if (reader_ != nullptr) xmlFreeTextReader(reader_);
    if (stream_.file != nullptr) zip_fclose(stream_.file);
  }
  XmlPart(const XmlPart&) = delete;
  XmlPart& operator=(const XmlPart&) = delete;

  // Opens entry `index` named `name`; its declared sizes are checked against the budget first.
  static Result<std::unique_ptr<XmlPart>> Open(zip_t* zip, zip_uint64_t index,
                                               const std::string& name, Budget& budget) {
    const SheetLimits& limits = budget.limits;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zip, index, 0, &st) < 0) {
      return Refused(fmt::format("the workbook is damaged: {} cannot be read", name));
    }
    const uint64_t size = (st.valid & ZIP_STAT_SIZE) != 0 ? st.size : 0;
    const uint64_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) != 0 ? st.comp_size : 0;
    budget.declared += size;
    if (size > limits.max_unpacked_bytes || budget.declared > limits.max_unpacked_bytes) {
      return TooLarge(fmt::format("the workbook unpacks to more than {} (the limit)",
                                  Bytes(limits.max_unpacked_bytes)));
    }
    if (size > kRatioFloor && size > limits.max_ratio * std::max<uint64_t>(compressed, 1)) {
      return TooLarge(fmt::format(
          "{} unpacks to more than {} times its packed size (the limit): the file looks like a "
          "ZIP bomb",
          name, limits.max_ratio));
    }
    auto part = std::make_unique<XmlPart>();
    part->stream_.name = name;
    part->stream_.compressed = compressed;
    part->stream_.budget = &budget;
    part->stream_.file = zip_fopen_index(zip, index, 0);
    if (part->stream_.file == nullptr) {
      return Refused(fmt::format("the workbook is damaged or encrypted: {} cannot be unpacked ({})",
                                 name, zip_strerror(zip)));
    }
    InitXmlOnce();
    // No network, no DTD loaded, no entities substituted, no XInclude: none of XML_PARSE_NOENT,
    // XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_XINCLUDE; without XML_PARSE_HUGE,
    // libxml2 also bounds the size of one text node and of entity amplification.
    part->reader_ = xmlReaderForIO(ReadEntry, CloseEntry, &part->stream_, name.c_str(), nullptr,
                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (part->reader_ == nullptr) {
      if (!part->stream_.failure.ok()) return part->stream_.failure;
      return Refused(fmt::format("{} is not XML", name));
    }
    xmlTextReaderSetErrorHandler(part->reader_, IgnoreXmlError, nullptr);
    return part;
  }

  // Moves to the next node: true, false at the end of the part, or why it cannot be read.
  Result<bool> Next() {
    const int rc = xmlTextReaderRead(reader_);
    if (rc == 0) return false;
    if (rc < 0) {
      if (!stream_.failure.ok()) return stream_.failure;
      return Refused(fmt::format("the workbook is damaged: {} is not well-formed XML (line {})",
                                 stream_.name, xmlTextReaderGetParserLineNumber(reader_)));
    }
    const int type = xmlTextReaderNodeType(reader_);
    if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE) {
      return DoctypeRefused(stream_.name);
    }
    return true;
  }

  bool IsStart() const { return xmlTextReaderNodeType(reader_) == XML_READER_TYPE_ELEMENT; }
  bool IsEnd() const { return xmlTextReaderNodeType(reader_) == XML_READER_TYPE_END_ELEMENT; }
  bool IsEmpty() const { return xmlTextReaderIsEmptyElement(reader_) == 1; }
  bool IsText() const {
    const int t = xmlTextReaderNodeType(reader_);
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
           t == XML_READER_TYPE_WHITESPACE || t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
  }
  // The element's name without its namespace prefix ("c" for <x:c>).
  std::string_view Name() const {
    const xmlChar* n = xmlTextReaderConstLocalName(reader_);
    return n == nullptr ? std::string_view() : reinterpret_cast<const char*>(n);
  }
  std::string_view Value() const {
    const xmlChar* v = xmlTextReaderConstValue(reader_);
    return v == nullptr ? std::string_view() : reinterpret_cast<const char*>(v);
  }
  std::optional<std::string> Attr(const char* name) const {
    return Owned(xmlTextReaderGetAttribute(reader_, X(name)));
  }
  // The relationship id (r:id) of the element, in the transitional or the strict namespace.
  std::optional<std::string> RelationshipId() const {
    for (std::string_view ns : {kRelNs, kStrictRelNs}) {
      if (auto v = Owned(xmlTextReaderGetAttributeNs(reader_, X("id"), X(ns.data())))) return v;
    }
    return std::nullopt;
  }
  const std::string& name() const { return stream_.name; }

 private:
  xmlTextReaderPtr reader_ = nullptr;
  EntryStream stream_;
};

Status TooManyEntries() {
  return TooLarge(fmt::format(
      "the file holds more than {} archive entries (the limit): it is not a workbook Rampart "
      "reads",
      Count(kMaxEntries)));
}

// The number of entries the end of central directory record of `bytes` declares (the record is
// in the last 64 KiB and 22 bytes); 0 when there is none or it defers to ZIP64, which libzip
// reads and the count after opening checks.
uint64_t DeclaredEntries(std::string_view bytes) {
  constexpr size_t kRecord = 22;
  if (bytes.size() < kRecord) return 0;
  const size_t from = bytes.size() > kRecord + 0xFFFF ? bytes.size() - kRecord - 0xFFFF : 0;
  const size_t at = bytes.rfind("PK\x05\x06");
  if (at == std::string_view::npos || at < from || at + kRecord > bytes.size()) return 0;
  const auto byte = [&](size_t i) { return static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])); };
  const uint64_t total = byte(at + 10) | (byte(at + 11) << 8);
  return total == 0xFFFF ? 0 : total;
}

// A workbook archive opened from memory.
class Archive {
 public:
  explicit Archive(zip_t* zip, const SheetLimits& limits) : zip_(zip), budget_{limits} {}
  ~Archive() { zip_discard(zip_); }
  Archive(const Archive&) = delete;
  Archive& operator=(const Archive&) = delete;

  static Result<std::unique_ptr<Archive>> Open(std::string_view bytes, const SheetLimits& limits) {
    // libzip reads the whole central directory when it opens an archive: count the entries the
    // end record declares first, so that a million empty entries are refused before that.
    if (DeclaredEntries(bytes) > static_cast<uint64_t>(kMaxEntries)) return TooManyEntries();
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source == nullptr) {
      zip_error_fini(&error);
      return Internal("cannot read the workbook: out of memory");
    }
    zip_t* zip = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (zip == nullptr) {
      const bool not_zip = zip_error_code_zip(&error) == ZIP_ER_NOZIP;
      const std::string why = zip_error_strerror(&error);
      zip_error_fini(&error);
      zip_source_free(source);
      if (not_zip) return Refused("the file is not an .xlsx workbook (it is not a ZIP archive)");
      return Refused(fmt::format("the workbook is damaged: {}", why));
    }
    zip_error_fini(&error);
    auto archive = std::make_unique<Archive>(zip, limits);
    if (zip_get_num_entries(zip, 0) > kMaxEntries) return TooManyEntries();
    return archive;
  }

  // Part `name` (matched case-insensitively, as Office does), or nullptr when the archive has
  // none.
  Result<std::unique_ptr<XmlPart>> Part(const std::string& name) {
    const zip_int64_t index = zip_name_locate(zip_, name.c_str(), ZIP_FL_NOCASE);
    if (index < 0) return std::unique_ptr<XmlPart>();
    return XmlPart::Open(zip_, static_cast<zip_uint64_t>(index), name, budget_);
  }

 private:
  zip_t* zip_;
  Budget budget_;
};

// The part a relationship of xl/workbook.xml points at: its Target relative to xl/, or absolute
// from the archive's root ("/xl/worksheets/sheet1.xml").
std::string ResolveTarget(std::string_view target) {
  std::vector<std::string> parts;
  if (!target.starts_with('/')) parts.emplace_back("xl");
  size_t start = 0;
  while (start <= target.size()) {
    size_t end = target.find('/', start);
    if (end == std::string_view::npos) end = target.size();
    const std::string_view segment = target.substr(start, end - start);
    if (segment == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!segment.empty() && segment != ".") {
      parts.emplace_back(segment);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

struct Relationship {
  std::string type;
  std::string target;
  bool external = false;
};

Result<std::map<std::string, Relationship>> ReadRelationships(XmlPart& part) {
  std::map<std::string, Relationship> out;
  for (;;) {
    ASSIGN_OR_RETURN(const bool more, part.Next());
    if (!more) break;
    if (!part.IsStart() || part.Name() != "Relationship") continue;
    auto id = part.Attr("Id");
    if (!id) continue;
    Relationship& r = out[*id];
    r.type = part.Attr("Type").value_or("");
    r.target = part.Attr("Target").value_or("");
    r.external = part.Attr("TargetMode").value_or("") == "External";
  }
  return out;
}

struct WorkbookInfo {
  std::string sheet_name;
  std::string sheet_id;  // the r:id of the first sheet
  bool date1904 = false;
};

Result<WorkbookInfo> ReadWorkbook(XmlPart& part) {
  WorkbookInfo info;
  bool found = false;
  for (;;) {
    ASSIGN_OR_RETURN(const bool more, part.Next());
    if (!more) break;
    if (!part.IsStart()) continue;
    if (part.Name() == "workbookPr") {
      const std::string v = part.Attr("date1904").value_or("");
      info.date1904 = v == "1" || v == "true";
    } else if (part.Name() == "sheet" && !found) {
      info.sheet_name = part.Attr("name").value_or("");
      info.sheet_id = part.RelationshipId().value_or("");
      found = true;
    }
  }
  if (!found) return Refused("the workbook has no worksheet");
  return info;
}

// How a number format shows a number: as a date, a time of day, both, or neither.
struct DateFormat {
  bool date = false;
  bool time = false;
  bool seconds = false;
  bool any() const { return date || time; }
};

// The date and time parts of a custom number format code ("dd/mm/yyyy", "h:mm AM/PM"): the
// letters y, m, d, h and s outside quoted text, [brackets] and escaped characters; m is minutes
// after h or before s, else the month.
DateFormat AnalyseFormatCode(std::string_view code) {
  std::vector<char> runs;  // one letter per run of the same letter: "dd/mm/yyyy" -> d m y
  char previous = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(code[i])));
    if (c == '"') {
      const size_t close = code.find('"', i + 1);
      i = close == std::string_view::npos ? code.size() : close;
    } else if (c == '[') {
      const size_t close = code.find(']', i + 1);
      i = close == std::string_view::npos ? code.size() : close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (or padding)
    } else if (ToLower(code.substr(i, 5)) == "am/pm") {
      i += 4;
    } else if (ToLower(code.substr(i, 3)) == "a/p") {
      i += 2;
    } else if (c == 'y' || c == 'm' || c == 'd' || c == 'h' || c == 's') {
      if (c != previous) runs.push_back(c);
      previous = c;
      continue;
    }
    previous = 0;
  }
  DateFormat f;
  for (size_t k = 0; k < runs.size(); ++k) {
    switch (runs[k]) {
      case 'y':
      case 'd':
        f.date = true;
        break;
      case 'h':
        f.time = true;
        break;
      case 's':
        f.time = f.seconds = true;
        break;
      case 'm':
        if ((k > 0 && runs[k - 1] == 'h') || (k + 1 < runs.size() && runs[k + 1] == 's')) {
          f.time = true;
        } else {
          f.date = true;
        }
        break;
    }
  }
  return f;
}

// Excel's built-in date and time formats (ECMA-376 Part 1, 18.8.30).
DateFormat BuiltInFormat(int id) {
  if (id >= 14 && id <= 17) return {true, false, false};
  if (id == 18 || id == 20) return {false, true, false};
  if (id == 19 || id == 21 || (id >= 45 && id <= 47)) return {false, true, true};
  if (id == 22) return {true, true, false};
  return {};
}

// Per cell style (the s attribute of a cell, an index into cellXfs): how its numbers show.
Result<std::vector<DateFormat>> ReadStyles(XmlPart& part) {
  std::map<int, std::string> custom;
  std::vector<int> xf_formats;
  bool in_cell_xfs = false;
  for (;;) {
    ASSIGN_OR_RETURN(const bool more, part.Next());
    if (!more) break;
    if (part.IsEnd() && part.Name() == "cellXfs") in_cell_xfs = false;
    if (!part.IsStart()) continue;
    if (part.Name() == "numFmt") {
      const int id = IntOr(part.Attr("numFmtId"), -1);
      custom[id] = part.Attr("formatCode").value_or("");
    } else if (part.Name() == "cellXfs") {
      in_cell_xfs = !part.IsEmpty();
    } else if (part.Name() == "xf" && in_cell_xfs) {
      xf_formats.push_back(IntOr(part.Attr("numFmtId"), 0));
    }
  }
  std::vector<DateFormat> out;
  out.reserve(xf_formats.size());
  for (int id : xf_formats) {
    const auto it = custom.find(id);
    out.push_back(it != custom.end() ? AnalyseFormatCode(it->second) : BuiltInFormat(id));
  }
  return out;
}

Result<std::vector<std::string>> ReadSharedStrings(XmlPart& part, const SheetLimits& limits) {
  std::vector<std::string> out;
  const size_t max_strings = limits.max_cells + limits.max_columns;
  std::string current;
  bool in_si = false;
  bool in_t = false;
  int in_phonetic = 0;  // <rPh> runs: the reading of East Asian text, not the text itself
  for (;;) {
    ASSIGN_OR_RETURN(const bool more, part.Next());
    if (!more) break;
    const std::string_view name = part.Name();
    if (part.IsStart()) {
      if (name == "si") {
        if (out.size() >= max_strings) {
          return TooLarge(fmt::format("the workbook holds more than {} shared strings (the limit)",
                                      Count(max_strings)));
        }
        current.clear();
        if (part.IsEmpty()) {
          out.emplace_back();
        } else {
          in_si = true;
        }
      } else if (name == "rPh" && !part.IsEmpty()) {
        ++in_phonetic;
      } else if (name == "t" && !part.IsEmpty()) {
        in_t = true;
      }
    } else if (part.IsEnd()) {
      if (name == "si" && in_si) {
        out.push_back(DecodeEscapes(std::move(current)));
        current = {};
        in_si = false;
      } else if (name == "rPh" && in_phonetic > 0) {
        --in_phonetic;
      } else if (name == "t") {
        in_t = false;
      }
    } else if (part.IsText() && in_si && in_t && in_phonetic == 0) {
      current.append(part.Value());
      if (current.size() > limits.max_cell_bytes) {
        return TooLarge(
            fmt::format("shared string {} of the workbook holds more than {} (the limit)",
                        out.size(), Bytes(limits.max_cell_bytes)));
      }
    }
  }
  return out;
}

// "C7" -> column index 2; nullopt unless letters then digits, within XFD.
std::optional<size_t> ColumnOfReference(std::string_view ref) {
  size_t column = 0;
  size_t i = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
    column = column * 26 + static_cast<size_t>(ref[i] - 'A' + 1);
    if (column > kMaxSheetColumn) return std::nullopt;
    ++i;
  }
  if (i == 0) return std::nullopt;
  for (size_t k = i; k < ref.size(); ++k) {
    if (ref[k] < '0' || ref[k] > '9') return std::nullopt;
  }
  return column - 1;
}

std::optional<int64_t> PositiveInteger(std::string_view s) {
  int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || v < 1) return std::nullopt;
  return v;
}

// A serial date-time as the format shows it; nullopt outside 0001..9999-12-31 days.
std::optional<std::string> DateText(double serial, DateFormat format, bool date1904) {
  using namespace std::chrono;
  if (serial < 0 || serial >= 2958466) return std::nullopt;
  double whole = std::floor(serial);
  auto seconds = static_cast<int64_t>(std::llround((serial - whole) * 86400));
  if (seconds >= 86400) {
    whole += 1;
    seconds -= 86400;
  }
  // The 1900 system counts 1900-02-29, which did not exist (Lotus 1-2-3's bug, kept by Excel):
  // from 1 March 1900 on, day 0 is 1899-12-30.
  const sys_days epoch = date1904       ? sys_days{year{1904} / January / 1}
                         : whole < 61.0 ? sys_days{year{1899} / December / 31}
                                        : sys_days{year{1899} / December / 30};
  const year_month_day ymd{epoch + days{static_cast<int64_t>(whole)}};
  std::string out;
  if (format.date) {
    out = fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  }
  if (format.time) {
    if (!out.empty()) out += ' ';
    out += fmt::format("{:02}:{:02}", seconds / 3600, seconds / 60 % 60);
    if (format.seconds) out += fmt::format(":{:02}", seconds % 60);
  }
  return out;
}

// Reads the worksheet's rows into `builder`. Cells come in order within a row and rows in order
// within the sheet, each placed by its reference (r="C7") when it has one.
Status ReadWorksheet(XmlPart& part, const std::vector<std::string>& shared,
                     const std::vector<DateFormat>& styles, bool date1904,
                     const SheetLimits& limits, SheetBuilder& builder) {
  bool in_data = false;
  bool in_row = false;
  int64_t row = 0;
  std::vector<std::string> cells;
  size_t width = 0;
  size_t cap = 0;
  std::optional<size_t> last_column;

  // The cell being read.
  bool in_cell = false;
  size_t column = 0;
  std::string type;
  int style = 0;
  std::string value;
  bool in_v = false;
  bool in_inline = false;
  bool in_t = false;
  int in_phonetic = 0;

  auto cell_name = [&] { return ColumnName(column) + std::to_string(row); };
  auto end_row = [&]() -> Status {
    in_row = false;
    return builder.Add(cells, width, row);
  };
  auto end_cell = [&]() -> Status {
    in_cell = false;
    std::string text;
    if (type == "s") {
      size_t i = shared.size();
      const std::string_view digits = Trim(value);
      const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
      if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size()) {
        i = shared.size();
      }
      if (i >= shared.size()) {
        return Refused(fmt::format(
            "the workbook is damaged: cell {} refers to shared string \"{}\", which it does not "
            "hold",
            cell_name(), Snippet(value)));
      }
      text = shared[i];
    } else if (type == "inlineStr") {
      text = DecodeEscapes(std::move(value));
    } else if (type == "str" || type == "d") {
      text = std::move(value);
    } else if (type == "b") {
      const std::string_view v = Trim(value);
      text = v == "1" ? "true" : v == "0" ? "false" : std::string(v);
    } else if (type == "e") {
      return Refused(fmt::format(
          "cell {} holds the error {}: correct the cell or clear it, then upload the file again",
          cell_name(), Snippet(Trim(value))));
    } else {  // "n", or no type
      const auto number = ParseNumber(value);
      if (!number) {
        text = std::string(Trim(value));
      } else {
        const bool dated = style >= 0 && static_cast<size_t>(style) < styles.size() &&
                           styles[static_cast<size_t>(style)].any();
        std::optional<std::string> date;
        if (dated) date = DateText(*number, styles[static_cast<size_t>(style)], date1904);
        text = date ? std::move(*date) : FormatNumber(*number);
      }
    }
    if (text.size() > limits.max_cell_bytes) {
      return TooLarge(fmt::format("cell {} holds more than {} (the limit)", cell_name(),
                                  Bytes(limits.max_cell_bytes)));
    }
    if (!IsBlank(text)) width = std::max(width, column + 1);
    if (column < cap) {
      if (cells.size() <= column) cells.resize(column + 1);
      cells[column] = std::move(text);
    }
    return Status::Ok();
  };

  for (;;) {
    ASSIGN_OR_RETURN(const bool more, part.Next());
    if (!more) break;
    const std::string_view name = part.Name();
    if (name == "sheetData") {
      in_data = part.IsStart() && !part.IsEmpty();
      continue;
    }
    if (!in_data) continue;
    if (part.IsStart()) {
      if (name == "row") {
        int64_t number = row + 1;
        if (auto r = part.Attr("r")) {
          const auto n = PositiveInteger(*r);
          if (!n) {
            return Refused(fmt::format("the workbook is damaged: row number \"{}\" after row {}",
                                       Snippet(*r), row));
          }
          number = *n;
        }
        if (number <= row) {
          return Refused(fmt::format(
              "the workbook is damaged: row {} comes after row {} in the worksheet", number, row));
        }
        row = number;
        cells.clear();
        width = 0;
        cap = builder.Cap();
        last_column.reset();
        in_row = true;
        if (part.IsEmpty()) RETURN_IF_ERROR(end_row());
      } else if (name == "c" && in_row) {
        column = last_column ? *last_column + 1 : 0;
        if (auto r = part.Attr("r")) {
          const auto c = ColumnOfReference(*r);
          if (!c) {
            return Refused(fmt::format("the workbook is damaged: row {} has a cell named \"{}\"",
                                       row, Snippet(*r)));
          }
          column = *c;
        }
        if (last_column && column <= *last_column) {
          return Refused(
              fmt::format("the workbook is damaged: cell {} comes after column {} in its row",
                          cell_name(), ColumnName(*last_column)));
        }
        if (column >= kMaxSheetColumn) {
          return Refused(fmt::format("the workbook is damaged: row {} has a cell past column {}",
                                     row, ColumnName(kMaxSheetColumn - 1)));
        }
        last_column = column;
        type = part.Attr("t").value_or("n");
        style = IntOr(part.Attr("s"), 0);
        value.clear();
        in_v = in_inline = in_t = false;
        in_phonetic = 0;
        in_cell = true;
        if (part.IsEmpty()) RETURN_IF_ERROR(end_cell());
      } else if (!in_cell) {
        continue;
      } else if (name == "f") {
        return Refused(fmt::format(
            "cell {} holds a formula: Rampart imports values only; copy the cells and paste them "
            "as values, then upload the file again",
            cell_name()));
      } else if (name == "v") {
        in_v = !part.IsEmpty();
      } else if (name == "is") {
        in_inline = !part.IsEmpty();
      } else if (name == "rPh" && !part.IsEmpty()) {
        ++in_phonetic;
      } else if (name == "t" && in_inline) {
        in_t = !part.IsEmpty();
      }
    } else if (part.IsEnd()) {
      if (name == "row" && in_row) {
        if (in_cell) RETURN_IF_ERROR(end_cell());
        RETURN_IF_ERROR(end_row());
      } else if (name == "c" && in_cell) {
        RETURN_IF_ERROR(end_cell());
      } else if (name == "v") {
        in_v = false;
      } else if (name == "is") {
        in_inline = false;
      } else if (name == "rPh" && in_phonetic > 0) {
        --in_phonetic;
      } else if (name == "t") {
        in_t = false;
      }
    } else if (part.IsText() && in_cell && (in_v || (in_inline && in_t && in_phonetic == 0))) {
      value.append(part.Value());
      if (value.size() > limits.max_cell_bytes) {
        return TooLarge(fmt::format("cell {} holds more than {} (the limit)", cell_name(),
                                    Bytes(limits.max_cell_bytes)));
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<Sheet> formats::ReadXlsx(std::string_view bytes, const SheetLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return TooLarge(fmt::format("the file is larger than {} (the limit)", Bytes(limits.max_bytes)));
  }
  ASSIGN_OR_RETURN(auto archive, Archive::Open(bytes, limits));

  ASSIGN_OR_RETURN(auto workbook_part, archive->Part("xl/workbook.xml"));
  if (workbook_part == nullptr) {
    return Refused("the file is not an .xlsx workbook: it has no xl/workbook.xml");
  }
  ASSIGN_OR_RETURN(const WorkbookInfo workbook, ReadWorkbook(*workbook_part));
  workbook_part.reset();

  ASSIGN_OR_RETURN(auto rels_part, archive->Part("xl/_rels/workbook.xml.rels"));
  if (rels_part == nullptr) {
    return Refused("the workbook is damaged: it has no xl/_rels/workbook.xml.rels");
  }
  ASSIGN_OR_RETURN(const auto rels, ReadRelationships(*rels_part));
  rels_part.reset();

  const auto sheet_rel = rels.find(workbook.sheet_id);
  if (sheet_rel == rels.end() || sheet_rel->second.external || sheet_rel->second.target.empty()) {
    return Refused(fmt::format("the workbook is damaged: its first sheet, \"{}\", has no part",
                               Snippet(workbook.sheet_name)));
  }
  if (!sheet_rel->second.type.ends_with("/worksheet")) {
    return Refused(fmt::format(
        "the first sheet of the workbook, \"{}\", is not a worksheet (a chart or dialog sheet): "
        "move the table to the first sheet",
        Snippet(workbook.sheet_name)));
  }

  std::vector<std::string> shared;
  std::vector<DateFormat> styles;
  for (const auto& [id, rel] : rels) {
    if (rel.external) continue;
    const bool strings = rel.type.ends_with("/sharedStrings");
    if (!strings && !rel.type.ends_with("/styles")) continue;
    ASSIGN_OR_RETURN(auto part, archive->Part(ResolveTarget(rel.target)));
    if (part == nullptr) continue;  // Excel opens such a workbook: strings are then missing
    if (strings) {
      ASSIGN_OR_RETURN(shared, ReadSharedStrings(*part, limits));
    } else {
      ASSIGN_OR_RETURN(styles, ReadStyles(*part));
    }
  }

  const std::string sheet_path = ResolveTarget(sheet_rel->second.target);
  ASSIGN_OR_RETURN(auto sheet_part, archive->Part(sheet_path));
  if (sheet_part == nullptr) {
    return Refused(fmt::format("the workbook is damaged: it has no {}", sheet_path));
  }
  SheetBuilder builder(limits, "row");
  RETURN_IF_ERROR(ReadWorksheet(*sheet_part, shared, styles, workbook.date1904, limits, builder));
  return builder.Finish("xlsx", workbook.sheet_name);
}

Result<Sheet> formats::ReadSheet(std::string_view bytes, const SheetLimits& limits) {
  if (bytes.starts_with("PK\x03\x04") || bytes.starts_with("PK\x05\x06")) {
    return formats::ReadXlsx(bytes, limits);
  }
  if (bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    return Refused(
        "the file is an Excel 97-2003 workbook (.xls) or a password-protected one: .xls is not "
        "read; save it without a password as .xlsx or CSV UTF-8");
  }
  return formats::ReadCsv(bytes, limits);
}

}  // namespace rampart
