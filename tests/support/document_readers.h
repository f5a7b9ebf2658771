// Opens report files with the real readers an auditor's machine has: poppler's pdftotext and
// pdfinfo for PDF, LibreOffice (headless, its own profile per call so that tests run in
// parallel) for DOCX and XLSX. Each writes the bytes to a private temporary directory, runs the
// tool and returns what it printed or converted; nullopt when the tool failed (its output is
// then in `error`).
#pragma once

#include <filesystem>
#include <map>
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

// A ZIP archive unpacked by Info-ZIP's unzip into a private directory that lives as long as the
// object: every file by its path, and commands run in that directory (sha256sum -c, a script the
// archive holds).
class Unzipped {
 public:
  explicit Unzipped(std::string_view zip);
  ~Unzipped();
  Unzipped(const Unzipped&) = delete;
  Unzipped& operator=(const Unzipped&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  const std::map<std::string, std::string>& files() const { return files_; }
  // Runs `command` through the shell in the directory: its output, or nullopt (and its output
  // in `error`) when it exits non-zero.
  std::optional<std::string> Run(const std::string& command, std::string* error = nullptr) const;
  // Overwrites file `path` in the directory (not in files()).
  bool Write(const std::string& path, std::string_view bytes) const;

 private:
  std::filesystem::path dir_;
  std::map<std::string, std::string> files_;
  std::string error_;
};

}  // namespace rampart::test
