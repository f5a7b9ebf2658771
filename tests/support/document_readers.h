// Opens report files with the real readers an auditor's machine has: poppler's pdftotext and
// pdfinfo for PDF, LibreOffice (headless, its own profile per call so that tests run in
// parallel) for DOCX and XLSX. Each writes the bytes to a private temporary directory, runs the
// tool and returns what it printed or converted; nullopt when the tool failed (its output is
// then in `error`).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rampart::test {

// pdftotext -layout: the text, pages separated by form feeds.
std::optional<std::string> PdfText(std::string_view pdf, std::string* error = nullptr);
// pdfinfo: "Pages:", "Page size:", "Title:" ... lines.
std::optional<std::string> PdfInfo(std::string_view pdf, std::string* error = nullptr);
// LibreOffice's conversion of a .docx to plain text (UTF-8).
std::optional<std::string> DocxText(std::string_view docx, std::string* error = nullptr);
// LibreOffice's conversion of an .xlsx's first sheet to CSV (UTF-8, comma, quoted text).
std::optional<std::string> XlsxCsv(std::string_view xlsx, std::string* error = nullptr);

}  // namespace rampart::test
