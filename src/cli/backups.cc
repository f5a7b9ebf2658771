#include "cli/backups.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <ctime>
#include <filesystem>
#include <regex>

#include "app/installation_service.h"

namespace rampart::cli {

namespace {

namespace fs = std::filesystem;

const std::regex& BackupName() {
  static const std::regex kName(R"(rampart-(\d{8}T\d{6}Z)\.backup)");
  return kName;
}

// The UTC time in a backup's name; nullopt when the name is not one this schedule writes.
std::optional<std::chrono::system_clock::time_point> TimeOfName(const std::string& name) {
  std::smatch m;
  if (!std::regex_match(name, m, BackupName())) return std::nullopt;
  std::tm tm{};
  const std::string t = m[1].str();
  if (::strptime(t.c_str(), "%Y%m%dT%H%M%SZ", &tm) == nullptr) return std::nullopt;
  return std::chrono::system_clock::from_time_t(::timegm(&tm));
}

std::string NameAt(std::chrono::system_clock::time_point at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "rampart-%Y%m%dT%H%M%SZ.backup", &tm);
  return buf;
}

}  // namespace

Result<std::chrono::seconds> ParseInterval(const std::string& text, const std::string& field) {
  int64_t n = 0;
  const char* end = text.data() + text.size();
  const auto [unit, ec] = std::from_chars(text.data(), end, n);
  const std::string_view suffix(unit, static_cast<size_t>(end - unit));
  int64_t scale = 0;
  if (suffix == "s") scale = 1;
  if (suffix == "m") scale = 60;
  if (suffix == "h") scale = 3600;
  if (suffix == "d") scale = 86400;
  if (ec != std::errc() || n < 1 || scale == 0 || n > 366 * 86400 / scale) {
    return InvalidArgument(
        fmt::format("{} must be a whole number and a unit (s, m, h or d), such as 24h, at most a "
                    "year; \"{}\" is not",
                    field, text),
        field);
  }
  return std::chrono::seconds(n * scale);
}

std::vector<std::string> ScheduledBackups(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file(ec) && TimeOfName(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());  // the names sort by time
  return names;
}

Result<std::unique_ptr<BackupScheduler>> BackupScheduler::Start(std::string db_url,
                                                                store::StoreOptions options,
                                                                BackupSchedule schedule,
                                                                JobRun on_run) {
  if (schedule.keep < 1) return InvalidArgument("--backup-keep must be at least 1", "backup-keep");
  if (schedule.every.count() < 1) {
    return InvalidArgument("--backup-every is needed with --backup-dir", "backup-every");
  }
  std::error_code ec;
  fs::create_directories(schedule.dir, ec);
  if (ec || !fs::is_directory(schedule.dir) || ::access(schedule.dir.c_str(), W_OK) != 0) {
    return InvalidArgument(
        fmt::format("--backup-dir {} is not a directory Rampart can write", schedule.dir),
        "backup-dir");
  }
  std::unique_ptr<BackupScheduler> s(
      new BackupScheduler(std::move(db_url), options, std::move(schedule), std::move(on_run)));
  s->thread_ = std::thread([raw = s.get()] { raw->Loop(); });
  return s;
}

void BackupScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackupScheduler::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    const auto names = ScheduledBackups(schedule_.dir);
    auto due = std::chrono::system_clock::now();
    if (!names.empty()) {
      if (auto newest = TimeOfName(names.back())) due = std::max(due, *newest + schedule_.every);
    }
    if (cv_.wait_until(lock, due, [this] { return stop_; })) break;
    lock.unlock();
    const bool ok = RunOnce();
    if (on_run_) on_run_(ok);
    lock.lock();
    // Two backups are never named for the same second.
    cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; });
  }
}

bool BackupScheduler::RunOnce() {
  const std::string file =
      (fs::path(schedule_.dir) / NameAt(std::chrono::system_clock::now())).string();
  const auto started = std::chrono::steady_clock::now();
  auto out = app::InstallationService(options_).Backup(db_url_, file);
  if (!out.ok()) {
    spdlog::error("scheduled backup into {} failed: {}", file, out.status().message());
    return false;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  spdlog::info("backup {} written in {} ms ({} audit events, SHA-256 {})", file, ms,
               out->manifest.audit_events, out->sha256);
  auto names = ScheduledBackups(schedule_.dir);
  while (names.size() > static_cast<size_t>(schedule_.keep)) {
    const fs::path old = fs::path(schedule_.dir) / names.front();
    std::error_code ec;
    fs::remove(old, ec);
    fs::remove(old.string() + ".sha256", ec);
    spdlog::info("backup {} removed (--backup-keep {})", old.string(), schedule_.keep);
    names.erase(names.begin());
  }
  return true;
}

}  // namespace rampart::cli
