// Fuzzes what a client controls of a request after the transport has read it: the target (path
// and query) and a multipart/form-data body with its Content-Type. The input's first line is the
// target, the second the Content-Type, the rest the body. Must never crash, leak or trip a
// sanitizer; a parsed body's parts must lie within it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto line = [&in] {
    const size_t end = in.find('\n');
    const std::string_view l = in.substr(0, end);
    in = end == std::string_view::npos ? std::string_view() : in.substr(end + 1);
    return std::string(l);
  };
  rampart::http::HttpRequest req;
  req.target = line();
  const std::string content_type = line();
  req.body = std::string(in);
  (void)rampart::http::ParseTarget(req);
  if (rampart::http::ParseMultipart(req, content_type).ok()) {
    size_t total = 0;
    for (const auto& [name, part] : req.files) total += part.content.size();
    if (total > req.body.size()) std::abort();
  }
  return 0;
}
