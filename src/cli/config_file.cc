#include "cli/config_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace rampart::cli {

ConfigFile::ConfigFile(CLI::App& cmd) : cmd_(cmd) {
  for (CLI::Option* opt : cmd_.get_options()) {
    if (opt->get_required()) {
      opt->required(false);
      required_.push_back(opt);
    }
  }
  config_option_ = cmd_.add_option("--config", path_,
                                   "Read settings from this file: `name = value` lines, each name "
                                   "a long option of this command without its dashes; the command "
                                   "line and the environment override it");
}

Status ConfigFile::Apply() {
  if (!path_.empty()) {
    std::error_code ec;
    const auto type = std::filesystem::status(path_, ec).type();
    if (type == std::filesystem::file_type::not_found) {
      return NotFound(fmt::format("the configuration file {} does not exist (--config)", path_));
    }
    if (type != std::filesystem::file_type::regular) {
      return InvalidArgument(
          fmt::format("the configuration file {} is not a regular file (--config)", path_),
          "config");
    }
    std::ifstream in(path_);
    if (!in) {
      return PermissionDenied(
          fmt::format("the configuration file {} cannot be read: {}", path_, std::strerror(errno)));
    }
    std::vector<CLI::ConfigItem> items;
    try {
      items = CLI::ConfigTOML().from_config(in);
    } catch (const CLI::Error& e) {
      return InvalidArgument(fmt::format("the configuration file {}: {}", path_, e.what()),
                             "config");
    }
    std::vector<std::string> seen;
    for (const auto& item : items) RETURN_IF_ERROR(ApplySetting(item, seen));
  }
  for (const CLI::Option* opt : required_) {
    if (opt->count() == 0) {
      const std::string name = opt->get_lnames().empty() ? opt->get_name() : opt->get_lnames()[0];
      return InvalidArgument(
          fmt::format("--{} is required: give it on the command line{}, or as `{} = ...` in the "
                      "file of --config",
                      name, opt->get_envname().empty() ? "" : ", in " + opt->get_envname(), name),
          name);
    }
  }
  return Status::Ok();
}

Status ConfigFile::ApplySetting(const CLI::ConfigItem& item, std::vector<std::string>& seen) {
  if (!item.parents.empty()) {
    return InvalidArgument(
        fmt::format("the configuration file {} has a section ([{}]); its settings are plain "
                    "`name = value` lines without sections",
                    path_, item.parents.front()),
        "config");
  }
  CLI::Option* opt = nullptr;
  if (!item.name.empty() && item.name.front() != '-') {
    opt = cmd_.get_option_no_throw("--" + item.name);
  }
  if (opt == nullptr || opt == config_option_ || opt == cmd_.get_help_ptr() ||
      opt == cmd_.get_help_all_ptr()) {
    return InvalidArgument(
        fmt::format("unknown setting \"{}\" in the configuration file {}: each setting is a long "
                    "option of `rampart {}` without its dashes (see `rampart {} --help`)",
                    item.name, path_, cmd_.get_name(), cmd_.get_name()),
        "config");
  }
  if (std::find(seen.begin(), seen.end(), item.name) != seen.end()) {
    return InvalidArgument(
        fmt::format("the setting \"{}\" appears twice in the configuration file {}", item.name,
                    path_),
        item.name);
  }
  seen.push_back(item.name);
  // Given on the command line or in the environment: that value stands.
  if (opt->count() > 0) return Status::Ok();
  try {
    if (opt->get_expected_min() == 0) {  // a flag: true or false
      if (item.inputs.size() != 1) throw CLI::ConversionError::TooManyInputsFlag(item.name);
      opt->add_result(opt->get_flag_value(item.name, item.inputs.front()));
    } else {
      opt->add_result(item.inputs);
    }
    opt->run_callback();
  } catch (const CLI::Error& e) {
    return InvalidArgument(
        fmt::format("the setting \"{}\" in the configuration file {} is refused: {}", item.name,
                    path_, e.what()),
        item.name);
  }
  return Status::Ok();
}

}  // namespace rampart::cli
