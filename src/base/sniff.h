// The media type of a file judged from its bytes, not from its name: libmagic (the `file`
// command's database, Debian's libmagic-mgc) behind one function.
//
// Thread-safe: each thread loads its own copy of the database on first use (a magic_t may not be
// shared between threads) and keeps it for later calls.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace rampart {

// The MIME type libmagic reports for `bytes` ("application/pdf", "text/plain"), without
// parameters. kInternal when the magic database cannot be loaded.
Result<std::string> SniffMediaType(std::string_view bytes);

}  // namespace rampart
