// Damaging a database file on purpose, as a failing disk or a stray write would: for the tests of
// what refuses a damaged database.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace rampart::test {

// Overwrites 64 KiB in the middle of the file at `path` (from a page boundary) with noise.
inline void OverwriteMiddle(const std::string& path) {
  const auto size = std::filesystem::file_size(path);
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(size / 2 / 4096 * 4096));
  std::string noise(64 * 1024, '\0');
  for (size_t i = 0; i < noise.size(); ++i) noise[i] = static_cast<char>((i * 131 + 7) % 251);
  f.write(noise.data(), static_cast<std::streamsize>(noise.size()));
}

}  // namespace rampart::test
