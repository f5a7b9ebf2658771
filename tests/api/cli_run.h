// Runs the command line in the test's process, as `rampart ARGS...` would run: its exit code and
// what it wrote to standard output and standard error (captured), with `input` as standard input.
#pragma once

#include <gtest/gtest.h>

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace rampart::testing {

struct CliOutcome {
  int code;
  std::string out;
  std::string err;
};

inline CliOutcome RunCli(std::vector<std::string> args, const std::string& input = "") {
  args.insert(args.begin(), "rampart");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::istringstream in(input);
  auto* old = std::cin.rdbuf(in.rdbuf());
  ::testing::internal::CaptureStderr();
  ::testing::internal::CaptureStdout();
  const int code = cli::Run(static_cast<int>(argv.size()), argv.data());
  std::string out = ::testing::internal::GetCapturedStdout();
  CliOutcome outcome{code, std::move(out), ::testing::internal::GetCapturedStderr()};
  std::cin.rdbuf(old);
  return outcome;
}

}  // namespace rampart::testing
