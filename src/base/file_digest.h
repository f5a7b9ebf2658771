// The SHA-256 of a file, read a block at a time (a backup of gigabytes is never held whole).
#pragma once

#include <string>

#include "base/status.h"

namespace rampart {

// Hex SHA-256 of the bytes of the file at `path`. kNotFound when it cannot be opened; kInternal
// when reading fails.
Result<std::string> FileSha256Hex(const std::string& path);

}  // namespace rampart
