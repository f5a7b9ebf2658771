// rampart serve --db URL --listen HOST:PORT [--signing-key FILE] [--config FILE]: migrates, then
// serves the web UI and API until SIGINT or SIGTERM. Every option may also be set in the file of
// --config (cli/config_file.h); the command line and the environment override it. With an audit
// signing key (--signing-key, or for SQLite the default <db>.signing-key when it exists) a
// checkpoint of the audit trail is signed at start and then every --checkpoint-hours by a
// background thread, stopped on shutdown. Reminders: another background thread wakes every
// --reminder-interval seconds and, from --reminder-hour (UTC) on, records the day's digests
// (in-app notifications) and sends their e-mails when --smtp-url is given (cli/reminders.h); it
// is stopped on shutdown too. Each run of these jobs and of the scheduled backups is counted in
// GET /metrics, served when --metrics-token-file names the token scrapes must bear.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>

#include "app/audit_checkpoint.h"
#include "base/formats_module.h"
#include "cli/backups.h"
#include "cli/cli.h"
#include "cli/config_file.h"
#include "cli/reminders.h"
#include "domain/evidence.h"
#include "http/log.h"
#include "http/server.h"

namespace rampart::cli {

namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  int threads = 16;
  size_t max_body = 1 << 20;
  int64_t max_upload_mb = domain::kDefaultMaxEvidenceBytes >> 20;
  std::string tls_cert;
  std::string tls_key;
  int idle_minutes = 30;
  bool trust_proxy = false;
  int lifetime_hours = 12;
  bool server_timing = false;
  http::TransportLimits limits;
  int idle_seconds = static_cast<int>(limits.idle_timeout.count() / 1000);
  std::string signing_key;
  int checkpoint_hours = 24;
  ReminderCliOptions reminders;
  int reminder_interval = 900;  // seconds
  int reminder_hour = 6;        // UTC
  bool no_reminders = false;
  std::string log_format = "text";
  std::string backup_dir;
  std::string backup_every;
  int backup_keep = 14;
  std::string metrics_token_file;
  bool check_pages = false;
};

// Signs a checkpoint now and then every `interval` until Stop(); failures are logged (a broken
// chain is worth a loud log line, not a stopped server).
class Checkpointer {
 public:
  Checkpointer(store::Store& store, const Clock& clock, app::SigningKey key,
               std::chrono::hours interval, JobRun on_run)
      : store_(store),
        clock_(clock),
        key_(std::move(key)),
        interval_(interval),
        on_run_(std::move(on_run)) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~Checkpointer() { Stop(); }
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      auto c = app::WriteCheckpointIfMoved(store_, key_, clock_, key_.CheckpointsPath());
      if (c.ok() && c->has_value()) {
        spdlog::info("audit checkpoint of event {} appended to {}", (*c)->seq,
                     key_.CheckpointsPath());
      } else if (c.ok()) {
        spdlog::info("the audit trail has not moved since the last checkpoint in {}",
                     key_.CheckpointsPath());
      } else {
        spdlog::error("audit checkpoint not written: {}", c.status().message());
      }
      if (on_run_) on_run_(c.ok());
      lock.lock();
      cv_.wait_for(lock, interval_, [this] { return stop_; });
    }
  }

  store::Store& store_;
  const Clock& clock_;
  app::SigningKey key_;
  std::chrono::hours interval_;
  JobRun on_run_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// The token of --metrics-token-file: its first line, at least 16 characters (a scrape is
// authenticated by it alone).
Result<std::string> ReadMetricsToken(const std::string& file) {
  std::ifstream in(file);
  std::string token;
  if (!in || !std::getline(in, token)) {
    return InvalidArgument(fmt::format("--metrics-token-file {} cannot be read", file),
                           "metrics-token-file");
  }
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.size() < 16) {
    return InvalidArgument(
        fmt::format("the metrics token in {} is shorter than 16 characters", file),
        "metrics-token-file");
  }
  return token;
}

Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgument("--listen must be HOST:PORT, e.g. 127.0.0.1:8080", "listen");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = -1;
  try {
    size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) return InvalidArgument("the port must be 0 to 65535", "listen");
  return std::make_pair(host, port);
}

}  // namespace

void AddServeCommand(CLI::App& app, Context& ctx, Action& action) {
  auto* cmd = app.add_subcommand("serve", "Serve the web UI and the API");
  AddDbOption(*cmd, ctx);
  auto opts = std::make_shared<ServeOptions>();  // shared with the action
  cmd->add_option("--listen", opts->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->envname("RAMPART_LISTEN");
  cmd->add_option("--threads", opts->threads, "Request threads")->check(CLI::Range(1, 256));
  cmd->add_option("--db-pool", ctx.store_options.pool_size,
                  "Database connections at most (PostgreSQL: per instance)")
      ->envname("RAMPART_DB_POOL")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--max-body", opts->max_body, "Largest request body in bytes")
      ->check(CLI::Range(1024, 64 << 20));
  cmd->add_option("--max-upload-mb", opts->max_upload_mb, "Largest evidence file in MiB")
      ->envname("RAMPART_MAX_UPLOAD_MB")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--tls-cert", opts->tls_cert, "Serve HTTPS with this PEM certificate (chain)")
      ->envname("RAMPART_TLS_CERT")
      ->check(CLI::ExistingFile);
  cmd->add_option("--tls-key", opts->tls_key, "The PEM private key of --tls-cert")
      ->envname("RAMPART_TLS_KEY")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--trust-proxy", opts->trust_proxy,
                "Behind a reverse proxy: the client's address is the last X-Forwarded-For entry")
      ->envname("RAMPART_TRUST_PROXY");
  cmd->add_option("--max-connections", opts->limits.max_connections,
                  "Open connections at most; more are answered 503")
      ->envname("RAMPART_MAX_CONNECTIONS")
      ->check(CLI::Range(1, 1'000'000));
  cmd->add_option("--max-connections-per-address", opts->limits.max_connections_per_address,
                  "Open connections from one client address at most; more are answered 503")
      ->envname("RAMPART_MAX_CONNECTIONS_PER_ADDRESS")
      ->check(CLI::Range(1, 1'000'000));
  cmd->add_option("--keep-alive-idle", opts->idle_seconds,
                  "Seconds an idle keep-alive connection stays open")
      ->check(CLI::Range(1, 3600));
  cmd->add_flag("--server-timing", opts->server_timing,
                "Send Server-Timing (time spent in Rampart) with every answer, for benchmarks");
  cmd->add_option("--session-idle", opts->idle_minutes,
                  "Minutes without a request after which a session ends")
      ->check(CLI::Range(1, 24 * 60));
  cmd->add_option("--session-lifetime", opts->lifetime_hours,
                  "Hours after sign-in after which a session ends, active or not")
      ->check(CLI::Range(1, 30 * 24));
  cmd->add_option("--signing-key", opts->signing_key,
                  "The audit signing key: sign a checkpoint of the audit trail at start and "
                  "every --checkpoint-hours (default for SQLite: <db>.signing-key when it exists)")
      ->envname("RAMPART_SIGNING_KEY");
  cmd->add_option("--checkpoint-hours", opts->checkpoint_hours,
                  "Hours between signed audit checkpoints")
      ->check(CLI::Range(1, 24));
  AddReminderOptions(*cmd, opts->reminders);
  cmd->add_option("--reminder-interval", opts->reminder_interval,
                  "Seconds between reminder passes (digests once a day; failed e-mails retried)")
      ->envname("RAMPART_REMINDER_INTERVAL")
      ->check(CLI::Range(1, 24 * 3600));
  cmd->add_option("--reminder-hour", opts->reminder_hour,
                  "Hour of the day (UTC) from which the day's reminder digests go out")
      ->envname("RAMPART_REMINDER_HOUR")
      ->check(CLI::Range(0, 23));
  cmd->add_flag("--no-reminders", opts->no_reminders,
                "Do not run reminder passes, nor keep the day's readiness, in this instance "
                "(another instance or `rampart remind` from cron does)");
  cmd->add_flag("--check-pages", opts->check_pages,
                "Check every page of the SQLite file at start even when it is as the last clean "
                "stop left it (a damaged file is refused either way when Rampart did not stop "
                "cleanly, or the file changed since)")
      ->envname("RAMPART_CHECK_PAGES");
  cmd->add_option("--log-format", opts->log_format,
                  "Log lines as text or as JSON lines (with each request's X-Request-Id)")
      ->envname("RAMPART_LOG_FORMAT");
  cmd->add_option("--backup-dir", opts->backup_dir,
                  "Write a backup into this directory every --backup-every (rampart backup)")
      ->envname("RAMPART_BACKUP_DIR");
  cmd->add_option("--backup-every", opts->backup_every,
                  "Time between scheduled backups: 24h, 30m, 7d, ...")
      ->envname("RAMPART_BACKUP_EVERY");
  cmd->add_option("--backup-keep", opts->backup_keep,
                  "Scheduled backups kept in --backup-dir; older ones are removed")
      ->envname("RAMPART_BACKUP_KEEP")
      ->check(CLI::Range(1, 10000));
  cmd->add_option("--metrics-token-file", opts->metrics_token_file,
                  "Serve GET /metrics to scrapes bearing the token in this file (one line); "
                  "without it /metrics is off")
      ->envname("RAMPART_METRICS_TOKEN_FILE");
  // Last, so that every option above may be set in the file (the packaged unit's
  // /etc/rampart/rampart.conf).
  auto config = std::make_shared<ConfigFile>(*cmd);
  cmd->callback([&ctx, &action, opts, config] {
    action = [&ctx, opts, config]() -> Status {
      RETURN_IF_ERROR(config->Apply());
      ASSIGN_OR_RETURN(auto hostport, ParseListen(opts->listen));
      ASSIGN_OR_RETURN(const http::LogFormat log_format, http::ParseLogFormat(opts->log_format));
      http::UseLogFormat(log_format);
      BackupSchedule backups{.dir = opts->backup_dir, .keep = opts->backup_keep};
      if (!opts->backup_every.empty()) {
        ASSIGN_OR_RETURN(backups.every, ParseInterval(opts->backup_every, "backup-every"));
        if (backups.dir.empty()) {
          return InvalidArgument("--backup-every needs --backup-dir", "backup-dir");
        }
      }
      if (opts->tls_cert.empty() != opts->tls_key.empty()) {
        return InvalidArgument("HTTPS needs both --tls-cert and --tls-key",
                               opts->tls_cert.empty() ? "tls-cert" : "tls-key");
      }
      // Reports, spreadsheets and e-mail load their module on first use (base/formats_module.h):
      // a missing one is said now rather than at the first report.
      RETURN_IF_ERROR(formats::Locate().status());
      ctx.auth_options.session_idle = std::chrono::minutes(opts->idle_minutes);
      ctx.auth_options.session_lifetime = std::chrono::hours(opts->lifetime_hours);
      ctx.evidence_options.max_bytes = opts->max_upload_mb << 20;
      opts->limits.idle_timeout = std::chrono::seconds(opts->idle_seconds);
      // Block the stop signals in every thread; one thread waits for them below.
      sigset_t signals;
      sigemptyset(&signals);
      sigaddset(&signals, SIGINT);
      sigaddset(&signals, SIGTERM);
      pthread_sigmask(SIG_BLOCK, &signals, nullptr);

      std::string key_file = opts->signing_key;
      if (key_file.empty() && !app::InstallationService::IsPostgres(ctx.db)) {
        auto fallback = app::DefaultSigningKeyPath(ctx.db);
        if (fallback.ok() && std::filesystem::exists(*fallback)) key_file = *fallback;
      }
      std::optional<app::SigningKey> key;
      if (!key_file.empty()) {
        ASSIGN_OR_RETURN(key, app::SigningKey::Load(key_file));
      }
      ASSIGN_OR_RETURN(auto mail, MakeMailSender(opts->reminders));
      // Before serving: the file is there and writable, its pages are sound, and the audit
      // trail still ends where its signed checkpoints say (a damaged or rewound database is
      // refused rather than served and written to).
      ASSIGN_OR_RETURN(const bool pages_checked,
                       app::InstallationService::CheckBeforeServing(ctx.db, opts->check_pages));
      if (!app::InstallationService::IsPostgres(ctx.db)) {
        if (pages_checked) {
          spdlog::info("every page of {} checked", ctx.db);
        } else {
          spdlog::info(
              "{} is as its clean stop left it: its pages were not checked again (--check-pages "
              "checks them at every start)",
              ctx.db);
        }
      }
      RETURN_IF_ERROR(ctx.Open());
      if (key) {
        // Audit packs carry the checkpoints of their excerpt and the key's public half.
        ctx.services->audit_pack.SetSigningKey(key->PublicKeyPem(), key->CheckpointsPath());
        auto checked =
            app::VerifyCheckpoints(*ctx.store, key->CheckpointsPath(), key->public_key());
        if (!checked.ok() && checked.status().code() != Code::kNotFound) return checked.status();
        if (checked.ok() && !checked->problems.empty()) {
          std::string all;
          for (const auto& p : checked->problems) all += "\n  " + p;
          return FailedPrecondition(fmt::format(
              "the audit trail does not match its signed checkpoints in {}: the database was "
              "damaged, rolled back or rewritten; restore it from a backup, and run `rampart "
              "audit verify` for the whole chain:{}",
              key->CheckpointsPath(), all));
        }
      }
      ASSIGN_OR_RETURN(auto orgs, ctx.services->members.ListOrganisations());
      std::string metrics_token;
      if (!opts->metrics_token_file.empty()) {
        ASSIGN_OR_RETURN(metrics_token, ReadMetricsToken(opts->metrics_token_file));
      }
      std::optional<ReminderScheduler> reminders;
      std::optional<http::Server> server;
      server.emplace(
          *ctx.services,
          http::ServerOptions{
              .host = hostport.first,
              .port = hostport.second,
              .max_body_bytes = opts->max_body,
              .threads = opts->threads,
              .tls_cert = opts->tls_cert,
              .tls_key = opts->tls_key,
              .access_log = true,
              .trust_proxy = opts->trust_proxy,
              .server_timing = opts->server_timing,
              .limits = opts->limits,
              .readiness =
                  [&ctx] { return app::InstallationService::Readiness(*ctx.store, ctx.db); },
              .metrics_token = metrics_token});
      http::Metrics& metrics = server->metrics();
      auto counted = [&metrics](const char* job) -> JobRun {
        return [&metrics, job](bool ok) { metrics.CountJobRun(job, ok); };
      };
      std::optional<Checkpointer> checkpointer;
      if (key) {
        checkpointer.emplace(*ctx.store, ctx.clock, std::move(*key),
                             std::chrono::hours(opts->checkpoint_hours), counted("checkpoint"));
      } else {
        spdlog::warn(
            "no audit signing key (--signing-key): the audit trail is not checkpointed outside "
            "the database");
      }
      ASSIGN_OR_RETURN(int port, server->Bind());
      const std::string host = hostport.first.find(':') != std::string::npos
                                   ? "[" + hostport.first + "]"
                                   : hostport.first;
      const std::string serving =
          fmt::format("Rampart is serving on {}://{}:{}/",
                      opts->tls_cert.empty() ? "http" : "https", host, port);
      if (log_format == http::LogFormat::kJson) {
        spdlog::info("{}", serving);  // every line of the output is JSON
      } else {
        fmt::print("{}\n", serving);
      }
      if (orgs.empty()) {
        fmt::print("The database has no organisation yet: run `rampart init --db {} --org NAME`.\n",
                   ctx.db);
      }
      std::fflush(stdout);
      // After the bind: an instance that cannot serve sends no reminders either.
      if (!opts->no_reminders) {
        reminders.emplace(ctx.services->reminders, ctx.clock,
                          app::ReminderOptions{.public_url = opts->reminders.public_url,
                                               .mail = mail.get(),
                                               .holder = InstanceName()},
                          std::chrono::seconds(opts->reminder_interval), opts->reminder_hour,
                          &ctx.services->readiness, counted("reminders"));
      }
      std::unique_ptr<BackupScheduler> backup_scheduler;
      if (!backups.dir.empty()) {
        ASSIGN_OR_RETURN(backup_scheduler, BackupScheduler::Start(ctx.db, ctx.store_options,
                                                                  backups, counted("backup")));
      }
      std::thread waiter([&server, signals] {
        int sig = 0;
        sigwait(&signals, &sig);
        spdlog::info("signal {} received; finishing requests in flight, then stopping", sig);
        server->Stop();
      });
      Status st = server->Run();
      spdlog::info("stopped");
      // Wake the waiter if the server stopped on its own.
      pthread_kill(waiter.native_handle(), SIGTERM);
      waiter.join();
      if (checkpointer) checkpointer->Stop();
      if (reminders) reminders->Stop();
      if (backup_scheduler) backup_scheduler->Stop();
      if (!st.ok()) return st;
      // A clean stop: everything that used the database closed, the last connection's close
      // folds the write-ahead log into the file; then the file's state is marked, so the next
      // start need not check every page again (store::MarkCleanStop).
      backup_scheduler.reset();
      reminders.reset();
      checkpointer.reset();
      server.reset();
      ctx.services.reset();
      ctx.store.reset();
      if (Status marked = app::InstallationService::MarkCleanStop(ctx.db); !marked.ok()) {
        spdlog::warn("{}: the next start checks every page", marked.message());
      }
      return Status::Ok();
    };
  });
}

}  // namespace rampart::cli
