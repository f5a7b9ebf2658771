// `--config FILE` of a sub-command (`rampart serve --config /etc/rampart/rampart.conf`): a file of
// `name = value` lines whose names are the sub-command's long options without their dashes
// (`db`, `listen`, `backup-dir`, `trust-proxy = true`, ...), read with CLI11's TOML/INI reader.
//
// CLI11's own set_config belongs to the top-level command and wants a sub-command's settings
// under a [serve] section, so the file is applied here instead, after parsing: an option given
// on the command line or through its environment variable keeps that value; the file sets the
// others; defaults apply to the rest. Every value goes through the option's own checks (ranges,
// existing files). The file's errors are a Status naming the file and the setting: a missing
// file kNotFound (exit 3), an unknown or refused setting kInvalidArgument (exit 2).
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "base/status.h"

namespace rampart::cli {

class ConfigFile {
 public:
  // Adds --config FILE to `cmd`, whose options must all be added already. Required options may
  // then come from the file instead: Apply() checks them.
  explicit ConfigFile(CLI::App& cmd);
  ConfigFile(const ConfigFile&) = delete;
  ConfigFile& operator=(const ConfigFile&) = delete;

  // After parsing: sets the options the command line and the environment left unset from the
  // file named by --config (nothing when none was given), then checks that each required option
  // has a value.
  Status Apply();

 private:
  Status ApplySetting(const CLI::ConfigItem& item, std::vector<std::string>& seen);

  CLI::App& cmd_;
  std::string path_;
  CLI::Option* config_option_ = nullptr;
  std::vector<CLI::Option*> required_;
};

}  // namespace rampart::cli
