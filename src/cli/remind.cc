// rampart remind --db URL [--date YYYY-MM-DD] [--smtp-url ...]: one reminder pass now — the
// digests of the day for every organisation's members who have none yet, then the e-mails
// waiting — what `serve` does on its own every --reminder-interval (for cron, and for tests).
// Also the options and the scheduler thread `serve` shares (cli/reminders.h).
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "base/crypto.h"
#include "cli/cli.h"
#include "cli/reminders.h"

namespace rampart::cli {

namespace {

class SmtpSender final : public app::MailSender {
 public:
  explicit SmtpSender(SmtpOptions options) : client_(std::move(options)) {}
  Status Send(const app::OutgoingMail& mail) override {
    return client_.Send(mail.to, mail.subject, mail.text);
  }

 private:
  SmtpClient client_;
};

}  // namespace

void AddReminderOptions(CLI::App& cmd, ReminderCliOptions& o) {
  cmd.add_option("--smtp-url", o.smtp_url,
                 "Send reminder e-mails through this server: smtp://HOST:PORT (STARTTLS "
                 "required) or smtps://HOST:PORT; no e-mail without it")
      ->envname("RAMPART_SMTP_URL");
  cmd.add_option("--smtp-from", o.smtp_from, "The sender of reminder e-mails (with --smtp-url)")
      ->envname("RAMPART_SMTP_FROM");
  cmd.add_option("--smtp-credentials", o.smtp_credentials,
                 "A file (mode 0600) holding the SMTP user name on its first line and the "
                 "password on its second")
      ->envname("RAMPART_SMTP_CREDENTIALS")
      ->check(CLI::ExistingFile);
  cmd.add_option("--smtp-ca", o.smtp_ca,
                 "PEM certificates to trust for the SMTP server instead of the system's")
      ->envname("RAMPART_SMTP_CA")
      ->check(CLI::ExistingFile);
  cmd.add_flag("--smtp-insecure", o.smtp_insecure,
               "smtp:// without STARTTLS, in clear text: only for a relay on this host");
  cmd.add_option("--public-url", o.public_url,
                 "The address people open Rampart at (https://isms.example.org), for the links "
                 "in e-mails")
      ->envname("RAMPART_PUBLIC_URL");
}

Result<std::unique_ptr<app::MailSender>> MakeMailSender(const ReminderCliOptions& o) {
  if (o.smtp_url.empty()) {
    if (!o.smtp_from.empty() || !o.smtp_credentials.empty() || o.smtp_insecure) {
      return InvalidArgument("the --smtp-... options need --smtp-url", "smtp-url");
    }
    return std::unique_ptr<app::MailSender>();
  }
  SmtpOptions smtp{.url = o.smtp_url,
                   .from = o.smtp_from,
                   .ca_file = o.smtp_ca,
                   .insecure_plaintext = o.smtp_insecure};
  RETURN_IF_ERROR(CheckSmtpOptions(smtp));
  if (o.smtp_insecure && o.smtp_url.rfind("smtps://", 0) == 0) {
    return InvalidArgument("--smtp-insecure is for smtp:// (smtps:// is always TLS)",
                           "smtp-insecure");
  }
  if (!o.smtp_credentials.empty()) {
    RETURN_IF_ERROR(ReadSmtpCredentials(o.smtp_credentials, smtp));
    if (o.smtp_insecure) {
      return InvalidArgument(
          "--smtp-insecure would send the SMTP password in clear text; use STARTTLS or smtps://",
          "smtp-insecure");
    }
  }
  if (o.smtp_insecure) {
    spdlog::warn("--smtp-insecure: reminder e-mails go to {} without TLS", o.smtp_url);
  }
  if (o.public_url.empty()) {
    spdlog::warn("no --public-url: reminder e-mails name the app's paths without its address");
  }
  return std::unique_ptr<app::MailSender>(std::make_unique<SmtpSender>(std::move(smtp)));
}

std::string InstanceName() {
  char host[256] = {0};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = 0;
  return fmt::format("{}:{}:{}", host, getpid(), HexEncode(RandomBytes(4)));
}

void LogPass(const app::ReminderPass& pass) {
  if (!pass.ran) {
    spdlog::info("reminders: another instance is running a pass");
    return;
  }
  if (pass.digests > 0 || pass.emails_sent > 0 || pass.emails_failed > 0) {
    spdlog::info("reminders of {}: {} digests recorded, {} e-mails sent, {} failed", pass.day,
                 pass.digests, pass.emails_sent, pass.emails_failed);
  }
  for (const auto& e : pass.errors) spdlog::warn("reminder e-mail not sent: {}", e);
}

ReminderScheduler::ReminderScheduler(app::ReminderService& reminders, const Clock& clock,
                                     app::ReminderOptions options, std::chrono::seconds interval,
                                     int hour, app::ReadinessService* readiness, JobRun on_run)
    : reminders_(reminders),
      readiness_(readiness),
      on_run_(std::move(on_run)),
      clock_(clock),
      options_(std::move(options)),
      interval_(interval),
      hour_(hour) {
  options_.stopping = &stopping_;
  thread_ = std::thread([this] { Loop(); });
}

void ReminderScheduler::Stop() {
  stopping_ = true;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReminderScheduler::Loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    const std::string now = FormatUtc(clock_.Now());  // 2026-11-29T20:57:45.123Z
    const int hour = std::stoi(now.substr(11, 2));
    const auto build = hour >= hour_ ? app::ReminderService::Build::kDigestsAndEmails
                                     : app::ReminderService::Build::kEmailsOnly;
    auto pass = reminders_.RunPass(options_, "", build);
    bool ok = pass.ok() && pass->errors.empty();
    if (pass.ok()) {
      LogPass(*pass);
    } else {
      spdlog::error("reminder pass failed: {}", pass.status().message());
    }
    if (readiness_ != nullptr && !stopping_) {
      auto kept = readiness_->RecordDay();
      if (!kept.ok()) {
        ok = false;
        spdlog::error("readiness history not kept: {}", kept.status().message());
      } else if (*kept > 0) {
        spdlog::info("readiness kept for the day: {} organisation(s)", *kept);
      }
    }
    if (on_run_) on_run_(ok);
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

void AddRemindCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* cmd = app.add_subcommand(
      "remind",
      "Send the day's reminder digests and keep the day's readiness now (serve does both on its "
      "own every day)");
  AddDbOption(*cmd, ctx);
  auto opts = std::make_shared<ReminderCliOptions>();
  auto date = std::make_shared<std::string>();
  cmd->add_option("--date", *date, "The day of the digests (YYYY-MM-DD; default today, UTC)");
  AddReminderOptions(*cmd, *opts);
  cmd->callback([&ctx, &action, opts, date] {
    action = [&ctx, opts, date]() -> Status {
      ASSIGN_OR_RETURN(auto mail, MakeMailSender(*opts));
      RETURN_IF_ERROR(ctx.Open());
      ASSIGN_OR_RETURN(auto pass, ctx.services->reminders.RunPass({.public_url = opts->public_url,
                                                                   .mail = mail.get(),
                                                                   .holder = InstanceName()},
                                                                  *date));
      if (!pass.ran) {
        return Unavailable("another instance is running a reminder pass; try again shortly");
      }
      fmt::print("Reminders of {}: {} digests recorded, {} e-mails sent, {} failed.\n", pass.day,
                 pass.digests, pass.emails_sent, pass.emails_failed);
      for (const auto& e : pass.errors) fmt::print(stderr, "not sent: {}\n", e);
      // The day's readiness too, as serve's pass keeps it (for instances run with
      // --no-reminders and this command from cron); its failure said, after the e-mails'.
      const auto kept = ctx.services->readiness.RecordDay();
      if (kept.ok()) {
        fmt::print("Readiness kept for the day: {} organisation(s).\n", *kept);
      } else {
        fmt::print(stderr, "readiness not kept for the day: {}\n", kept.status().message());
      }
      if (pass.emails_failed > 0) {
        return Unavailable(
            fmt::format("{} e-mails were not sent (they are tried again on the "
                        "next pass)",
                        pass.emails_failed));
      }
      return kept.status();
    };
  });
}

}  // namespace rampart::cli
