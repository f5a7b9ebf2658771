// Text helpers: trimming, escaping for HTML and CSV, URL decoding. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rampart {

std::string_view Trim(std::string_view s);
std::vector<std::string> SplitLines(std::string_view s);  // trimmed, empty lines dropped
// The words of `s` separated by commas or white space ("admin, isms_manager"), none empty.
std::vector<std::string> SplitWords(std::string_view s);
std::string HtmlEscape(std::string_view s);
// One RFC 4180 CSV field; also neutralises spreadsheet formulas (=, +, -, @ at the start).
std::string CsvField(std::string_view s);
// One CSV line of those fields, ending with CRLF.
std::string CsvRow(const std::vector<std::string>& cells);
// Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF) into rows of fields. Blank
// lines are skipped. For the shipped reference tables, which are trusted.
std::vector<std::vector<std::string>> ParseCsv(std::string_view text);
std::string UrlEncode(std::string_view s);
// Number of Unicode code points in valid UTF-8; -1 when `s` is not valid UTF-8.
long Utf8Length(std::string_view s);
std::string ToLower(std::string_view s);
// 1234567 as "1,234,567".
std::string Grouped(int64_t n);
// Appends code point `cp` (at most U+10FFFF) to `out` as UTF-8.
void AppendUtf8(std::string& out, uint32_t cp);
// A name inside a sentence: lower case, except acronyms ("ISMS scope", "risk methodology").
std::string LowerNoun(std::string_view name);
// A finite number as people write it: the shortest text that reads back as the same value, with
// no trailing zeros ("95.5", "100", "0.25", "-3"); an exponent only for very large or small ones.
std::string FormatNumber(double v);
// The finite number that all of `s` writes ("95.5", "-3", "1e3", " 7 " trimmed); nullopt for
// anything else, including "inf", "nan", "0x10" and an empty string.
std::optional<double> ParseNumber(std::string_view s);

}  // namespace rampart

namespace rampart {
// Percent-decoding with '+' as space (application/x-www-form-urlencoded).
std::string UrlDecode(std::string_view s);
// True when `next` (a redirect target taken from a request) is a path on this site: it starts
// with exactly one '/', followed by neither '/' nor a backslash, and holds no backslash and no
// control character — checked as given and after each round of percent-decoding (browsers drop tabs
// and newlines and read a backslash as '/', so "/\t/evil.example" would lead to another site). At
// most 2000 characters.
bool IsSafeLocalPath(std::string_view next);
// Parses "a=1&b=2" into (name, value) pairs in order, decoded.
std::vector<std::pair<std::string, std::string>> ParseFormEncoded(std::string_view body);
}  // namespace rampart
