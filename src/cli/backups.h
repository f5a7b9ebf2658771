// Scheduled backups of a serving instance: `serve --backup-dir DIR --backup-every 24h
// --backup-keep 14`. Each backup is app::InstallationService::Backup into
// DIR/rampart-YYYYMMDDTHHMMSSZ.backup (with its .sha256); after each, the oldest beyond the
// number kept are removed. The first is due one interval after the newest backup already in DIR
// (at once when there is none), so restarts do not skip or repeat backups.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "app/installation_service.h"
#include "base/status.h"
#include "cli/jobs.h"

namespace rampart::cli {

struct BackupSchedule {
  std::string dir;
  std::chrono::seconds every{0};
  int keep = 14;
};

// "24h", "30m", "90s", "7d" (a positive whole number and a unit); kInvalidArgument naming
// `field` otherwise.
Result<std::chrono::seconds> ParseInterval(const std::string& text, const std::string& field);

// The backup files of DIR this schedule wrote, oldest first.
std::vector<std::string> ScheduledBackups(const std::string& dir);

class BackupScheduler {
 public:
  // Checks `schedule` (the directory is created when missing, and must be writable); starts the
  // thread. Errors: kInvalidArgument naming the option.
  static Result<std::unique_ptr<BackupScheduler>> Start(std::string db_url,
                                                        store::StoreOptions options,
                                                        BackupSchedule schedule,
                                                        JobRun on_run = {});
  ~BackupScheduler() { Stop(); }
  BackupScheduler(const BackupScheduler&) = delete;
  BackupScheduler& operator=(const BackupScheduler&) = delete;
  void Stop();

 private:
  BackupScheduler(std::string db_url, store::StoreOptions options, BackupSchedule schedule,
                  JobRun on_run)
      : db_url_(std::move(db_url)),
        options_(options),
        schedule_(std::move(schedule)),
        on_run_(std::move(on_run)) {}
  void Loop();
  bool RunOnce();

  std::string db_url_;
  store::StoreOptions options_;
  BackupSchedule schedule_;
  JobRun on_run_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace rampart::cli
