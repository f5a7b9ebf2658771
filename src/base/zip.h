// ZIP archives built in memory through libzip (deflate): the DOCX container now, the audit pack
// next. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace rampart {

struct ZipEntry {
  std::string name;  // path inside the archive, "/"-separated, UTF-8
  std::string bytes;
};

// The bytes of an archive holding `entries` in order. Errors: kInvalidArgument for an empty or
// repeated name; kInternal when libzip fails.
Result<std::string> ZipBytes(const std::vector<ZipEntry>& entries);

}  // namespace rampart
