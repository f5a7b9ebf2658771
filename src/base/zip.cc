#include "base/zip.h"

#include <fmt/format.h>
#include <zip.h>

#include <cstdio>
#include <set>

#include "base/formats_module.h"

namespace rampart {

namespace {

std::string ErrorText(zip_error_t* e) {
  const char* s = zip_error_strerror(e);
  return s != nullptr ? s : "unknown error";
}

}  // namespace

Result<std::string> formats::ZipBytes(const std::vector<ZipEntry>& entries) {
  std::set<std::string, std::less<>> names;
  for (const auto& e : entries) {
    if (e.name.empty() || !names.insert(e.name).second) {
      return InvalidArgument(fmt::format("archive entry name \"{}\" is empty or repeated", e.name),
                             "name");
    }
  }
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (buffer == nullptr) {
    const std::string msg = ErrorText(&error);
    zip_error_fini(&error);
    return Internal("cannot create an archive: " + msg);
  }
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) {
    const std::string msg = ErrorText(&error);
    zip_error_fini(&error);
    zip_source_free(buffer);
    return Internal("cannot create an archive: " + msg);
  }
  zip_error_fini(&error);
  zip_source_keep(buffer);  // read back after zip_close
  auto fail = [&](const std::string& what) -> Status {
    const std::string msg =
        fmt::format("cannot write the archive ({}): {}", what, zip_strerror(archive));
    zip_discard(archive);
    zip_source_free(buffer);
    return Internal(msg);
  };
  for (const auto& e : entries) {
    zip_source_t* s = zip_source_buffer(archive, e.bytes.data(), e.bytes.size(), 0);
    if (s == nullptr) return fail(e.name);
    if (zip_file_add(archive, e.name.c_str(), s, ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(s);
      return fail(e.name);
    }
  }
  if (zip_close(archive) < 0) return fail("closing");
  std::string out;
  if (zip_source_open(buffer) < 0 || zip_source_seek(buffer, 0, SEEK_END) < 0) {
    zip_source_free(buffer);
    return Internal("cannot read the archive back");
  }
  const zip_int64_t size = zip_source_tell(buffer);
  zip_source_seek(buffer, 0, SEEK_SET);
  out.resize(size > 0 ? static_cast<size_t>(size) : 0);
  const zip_int64_t read = zip_source_read(buffer, out.data(), out.size());
  zip_source_close(buffer);
  zip_source_free(buffer);
  if (read != size) return Internal("cannot read the archive back");
  return out;
}

}  // namespace rampart
