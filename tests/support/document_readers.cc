#include "support/document_readers.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace rampart::test {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "rampart-reader-XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

bool WriteFile(const fs::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

std::optional<std::string> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `command` through the shell; its standard output, or nullopt (and its output in
// `error`) when it exits non-zero.
std::optional<std::string> Run(const std::string& command, std::string* error) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    if (error != nullptr) *error = "cannot run " + command;
    return std::nullopt;
  }
  std::string out;
  char buf[4096];
  size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = pclose(pipe);
  if (status != 0) {
    if (error != nullptr) *error = command + " failed: " + out;
    return std::nullopt;
  }
  return out;
}

std::string Quoted(const fs::path& p) { return "'" + p.string() + "'"; }

std::optional<std::string> Pdf(std::string_view pdf, const std::string& tool, std::string* error) {
  TempDir dir;
  const fs::path file = dir.path() / "report.pdf";
  if (dir.path().empty() || !WriteFile(file, pdf)) return std::nullopt;
  return Run(tool + " " + Quoted(file) + (tool.starts_with("pdftotext") ? " -" : ""), error);
}

std::optional<std::string> Office(std::string_view bytes, const std::string& ext,
                                  const std::string& to, const std::string& out_ext,
                                  std::string* error) {
  TempDir dir;
  const fs::path file = dir.path() / ("report." + ext);
  if (dir.path().empty() || !WriteFile(file, bytes)) return std::nullopt;
  const std::string command = "soffice -env:UserInstallation=file://" +
                              (dir.path() / "profile").string() +
                              " --headless --norestore --convert-to '" + to + "' --outdir " +
                              Quoted(dir.path()) + " " + Quoted(file);
  if (!Run(command, error)) return std::nullopt;
  auto out = ReadFile(dir.path() / ("report." + out_ext));
  if (!out && error != nullptr) *error = "LibreOffice wrote no " + out_ext + " file";
  return out;
}

}  // namespace

std::optional<std::string> PdfText(std::string_view pdf, std::string* error) {
  return Pdf(pdf, "pdftotext -layout", error);
}

std::optional<std::string> PdfInfo(std::string_view pdf, std::string* error) {
  return Pdf(pdf, "pdfinfo", error);
}

std::optional<std::string> DocxText(std::string_view docx, std::string* error) {
  return Office(docx, "docx", "txt:Text (encoded):UTF8", "txt", error);
}

std::optional<std::string> XlsxCsv(std::string_view xlsx, std::string* error) {
  return Office(xlsx, "xlsx", "csv:Text - txt - csv (StarCalc):44,34,76,1", "csv", error);
}

Unzipped::Unzipped(std::string_view zip) {
  std::string pattern = (fs::temp_directory_path() / "rampart-unzip-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    error_ = "cannot make a temporary directory";
    return;
  }
  dir_ = pattern;
  const fs::path archive = dir_ / ".archive.zip";
  if (!WriteFile(archive, zip)) {
    error_ = "cannot write the archive";
    return;
  }
  const fs::path out = dir_ / "files";
  std::string error;
  if (!test::Run("unzip -q " + Quoted(archive) + " -d " + Quoted(out), &error)) {
    error_ = error.empty() ? "unzip failed" : error;
    return;
  }
  dir_ = out;
  for (const auto& entry : fs::recursive_directory_iterator(out)) {
    if (!entry.is_regular_file()) continue;
    auto bytes = ReadFile(entry.path());
    if (!bytes) {
      error_ = "cannot read " + entry.path().string();
      return;
    }
    files_[fs::relative(entry.path(), out).generic_string()] = std::move(*bytes);
  }
}

Unzipped::~Unzipped() {
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_.filename() == "files" ? dir_.parent_path() : dir_, ec);
}

std::optional<std::string> Unzipped::Run(const std::string& command, std::string* error) const {
  return test::Run("cd " + Quoted(dir_) + " && " + command, error);
}

bool Unzipped::Write(const std::string& path, std::string_view bytes) const {
  return WriteFile(dir_ / path, bytes);
}

}  // namespace rampart::test
