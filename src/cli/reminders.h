// Reminders on the command line: the e-mail options `serve` and `remind` share, the SMTP sender
// they build from them, and the scheduler thread of `serve`.
#pragma once

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/readiness_service.h"
#include "app/reminder_service.h"
#include "base/smtp.h"
#include "cli/jobs.h"

namespace rampart::cli {

struct ReminderCliOptions {
  std::string smtp_url;  // empty: no e-mail
  std::string smtp_from;
  std::string smtp_credentials;  // a file: user name, then password (mode 0600)
  std::string smtp_ca;
  bool smtp_insecure = false;
  std::string public_url;
};

// --smtp-url, --smtp-from, --smtp-credentials, --smtp-ca, --smtp-insecure, --public-url.
void AddReminderOptions(CLI::App& cmd, ReminderCliOptions& options);

// The SMTP sender the options describe; nullptr when no --smtp-url is given. kInvalidArgument
// naming the option that is wrong; kPermissionDenied for a credentials file others may read.
Result<std::unique_ptr<app::MailSender>> MakeMailSender(const ReminderCliOptions& options);

// This process's name in the reminder lease: host, process id and a random part.
std::string InstanceName();

// `serve`'s reminder thread: wakes every `interval`; from `hour` (UTC) on, a pass builds the
// day's digests, and every pass sends the e-mails waiting (retrying failed ones) and, with
// `readiness`, keeps the day's readiness of the organisations that have none yet. Stop() wakes
// it and waits for a pass in progress to end.
class ReminderScheduler {
 public:
  ReminderScheduler(app::ReminderService& reminders, const Clock& clock,
                    app::ReminderOptions options, std::chrono::seconds interval, int hour,
                    app::ReadinessService* readiness = nullptr, JobRun on_run = {});
  ~ReminderScheduler() { Stop(); }
  ReminderScheduler(const ReminderScheduler&) = delete;
  ReminderScheduler& operator=(const ReminderScheduler&) = delete;
  void Stop();

 private:
  void Loop();

  app::ReminderService& reminders_;
  app::ReadinessService* readiness_;
  JobRun on_run_;
  const Clock& clock_;
  app::ReminderOptions options_;
  std::chrono::seconds interval_;
  int hour_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<bool> stopping_{false};  // read by a pass in progress
  std::thread thread_;
};

// Logs what a pass did (and why e-mails failed).
void LogPass(const app::ReminderPass& pass);

}  // namespace rampart::cli
