// The program's side of the formats module (base/formats_module.h): finding and loading
// rampart-formats.so, and the public functions of base/pdf.h, docx.h, xlsx.h, zip.h and
// sheet_reader.h calling through its table. SmtpClient::Send (base/smtp.cc) calls it too.
#include "base/formats_module.h"

#include <dlfcn.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "base/docx.h"
#include "base/pdf.h"
#include "base/xlsx.h"

// Weak: defined only where rampart_formats is linked in (tests, benchmarks); null in `rampart`.
extern "C" const rampart::formats::Module* rampart_formats_module() __attribute__((weak));

namespace rampart {

namespace formats {

namespace {

namespace fs = std::filesystem;

// Beside the program (the build tree: build/rampart and build/rampart-formats.so), then in
// ../lib/rampart/ from it (installed: /usr/bin/rampart and /usr/lib/rampart/rampart-formats.so,
// whatever the prefix).
std::vector<std::string> Candidates() {
  std::error_code ec;
  const fs::path program = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const fs::path dir = program.parent_path();
  return {(dir / kModuleFile).string(),
          (dir.parent_path() / "lib" / "rampart" / kModuleFile).string()};
}

// Whether `path` can be read; when not, why is added to `failures`.
bool Readable(const std::string& path, std::vector<std::string>& failures) {
  if (access(path.c_str(), R_OK) == 0) return true;
  failures.push_back(fmt::format("{}: {}", path, std::strerror(errno)));
  return false;
}

std::string Tried(const std::vector<std::string>& failures) {
  if (failures.empty()) return "the program's own path, /proc/self/exe, cannot be read";
  std::string out;
  for (const auto& f : failures) out += (out.empty() ? "" : "; ") + f;
  return out;
}

std::mutex load_mutex;
std::atomic<const Module*> loaded{nullptr};

}  // namespace

Result<std::string> Locate() {
  if (rampart_formats_module != nullptr) return std::string("linked in");
  std::vector<std::string> failures;
  for (const auto& path : Candidates()) {
    if (Readable(path, failures)) return path;
  }
  return NotFound(fmt::format(
      "the module for reports, spreadsheets and e-mail ({}) is missing ({}): reinstall Rampart, "
      "or keep the file beside the program",
      kModuleFile, Tried(failures)));
}

Result<const Module*> Load() {
  if (rampart_formats_module != nullptr) return rampart_formats_module();
  if (const Module* m = loaded.load(std::memory_order_acquire)) return m;
  std::lock_guard lock(load_mutex);
  if (const Module* m = loaded.load(std::memory_order_relaxed)) return m;
  std::vector<std::string> failures;
  for (const auto& path : Candidates()) {
    if (!Readable(path, failures)) continue;
    // Never unloaded: the module's code may still be on some thread's stack.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (handle == nullptr) {
      const char* why = dlerror();  // names the file
      failures.push_back(why != nullptr ? why : path + ": dlopen failed");
      continue;
    }
    using Entry = const Module* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, "rampart_formats_module"));
    const Module* m = entry != nullptr ? entry() : nullptr;
    if (m == nullptr) {
      failures.push_back(fmt::format("{}: not a Rampart formats module", path));
      continue;
    }
    if (m->abi != kAbi || std::string_view(m->version) != RAMPART_VERSION) {
      failures.push_back(
          fmt::format("{}: built for Rampart {} (interface {}), this program is {} (interface {})",
                      path, m->version, m->abi, RAMPART_VERSION, kAbi));
      continue;
    }
    loaded.store(m, std::memory_order_release);
    return m;
  }
  return Internal(fmt::format(
      "the module for reports, spreadsheets and e-mail ({}) cannot be loaded ({}): reinstall "
      "Rampart",
      kModuleFile, Tried(failures)));
}

}  // namespace formats

Result<std::string> PdfBytes(const ReportDocument& doc) {
  ASSIGN_OR_RETURN(const formats::Module* m, formats::Load());
  return m->pdf(doc);
}

Result<std::string> DocxBytes(const ReportDocument& doc) {
  ASSIGN_OR_RETURN(const formats::Module* m, formats::Load());
  return m->docx(doc);
}

Result<std::string> ZipBytes(const std::vector<ZipEntry>& entries) {
  ASSIGN_OR_RETURN(const formats::Module* m, formats::Load());
  return m->zip(entries);
}

Result<Sheet> ReadSheet(std::string_view bytes, const SheetLimits& limits) {
  ASSIGN_OR_RETURN(const formats::Module* m, formats::Load());
  return m->read_sheet(bytes, limits);
}

Result<Sheet> ReadCsv(std::string_view bytes, const SheetLimits& limits) {
  ASSIGN_OR_RETURN(const formats::Module* m, formats::Load());
  return m->read_csv(bytes, limits);
}

Result<Sheet> ReadXlsx(std::string_view bytes, const SheetLimits& limits) {
  ASSIGN_OR_RETURN(const formats::Module* m, formats::Load());
  return m->read_xlsx(bytes, limits);
}

struct XlsxStream::State {
  std::unique_ptr<formats::SheetStream> sheet;
};

XlsxStream::XlsxStream(std::unique_ptr<State> state) : state_(std::move(state)) {}
XlsxStream::~XlsxStream() = default;

Result<std::unique_ptr<XlsxStream>> XlsxStream::Start(
    std::string_view sheet_name, const std::vector<std::string>& header,
    const std::vector<bool>& numeric, const std::vector<std::vector<std::string>>& sample) {
  ASSIGN_OR_RETURN(const formats::Module* m, formats::Load());
  ASSIGN_OR_RETURN(auto sheet, m->xlsx_start(sheet_name, header, numeric, sample));
  return std::unique_ptr<XlsxStream>(
      new XlsxStream(std::make_unique<State>(State{std::move(sheet)})));
}

Status XlsxStream::Add(const std::vector<std::string>& row) { return state_->sheet->Add(row); }

Result<std::string> XlsxStream::Finish() { return state_->sheet->Finish(); }

Result<std::string> XlsxBytes(std::string_view sheet_name, const std::vector<std::string>& header,
                              const std::vector<std::vector<std::string>>& rows,
                              const std::vector<bool>& numeric) {
  ASSIGN_OR_RETURN(auto stream, XlsxStream::Start(sheet_name, header, numeric, rows));
  for (const auto& row : rows) RETURN_IF_ERROR(stream->Add(row));
  return stream->Finish();
}

}  // namespace rampart

// Fontconfig (loaded with the module, for PDF) keeps its configuration and font cache for the
// life of the process, which the leak checker of the sanitizer builds reports at exit; nothing
// of Rampart's is hidden by this. It must be the program's: LSan asks the executable.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RAMPART_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(RAMPART_ASAN)
extern "C" const char* __lsan_default_suppressions() { return "leak:libfontconfig.so\n"; }
#endif
