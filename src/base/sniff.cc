#include "base/sniff.h"

#include <magic.h>

#include <memory>

namespace rampart {

namespace {

struct MagicCloser {
  void operator()(magic_set* m) const { magic_close(m); }
};
using Magic = std::unique_ptr<magic_set, MagicCloser>;

// Loaded once per thread: libmagic's handles are not thread-safe, and loading costs a few
// milliseconds. MAGIC_NO_CHECK_COMPRESS: a gzip's type is its own, not its content's.
Result<magic_t> ThreadMagic() {
  thread_local Magic magic;
  thread_local std::string error;
  if (magic) return magic.get();
  if (!error.empty()) return Internal(error);
  Magic m(magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR));
  if (!m) {
    error = "libmagic could not be initialised";
    return Internal(error);
  }
  if (magic_load(m.get(), nullptr) != 0) {
    const char* why = magic_error(m.get());
    error = std::string("the file type database (libmagic-mgc) could not be loaded: ") +
            (why != nullptr ? why : "unknown error");
    return Internal(error);
  }
  magic = std::move(m);
  return magic.get();
}

}  // namespace

Result<std::string> SniffMediaType(std::string_view bytes) {
  ASSIGN_OR_RETURN(magic_t m, ThreadMagic());
  const char* type = magic_buffer(m, bytes.data(), bytes.size());
  if (type == nullptr) {
    const char* why = magic_error(m);
    return Internal(std::string("the file type could not be determined: ") +
                    (why != nullptr ? why : "unknown error"));
  }
  std::string out(type);
  if (const auto semi = out.find(';'); semi != std::string::npos) out.resize(semi);
  return out;
}

}  // namespace rampart
