#include "base/qr.h"

#include <fmt/format.h>
#include <qrencode.h>

#include <cerrno>
#include <memory>

#include "base/text.h"

namespace rampart {
namespace {

constexpr int kQuietZone = 4;  // modules of light border the standard requires
constexpr int kPixelsPerModule = 4;

struct QrCodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

// The label for an XML attribute: escaped, with control characters (not allowed in XML 1.0,
// even as references) turned into spaces.
std::string AttributeText(std::string_view label) {
  std::string clean(label);
  for (char& c : clean) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return HtmlEscape(clean);
}

}  // namespace

Result<std::string> QrSvg(std::string_view text, std::string_view label) {
  if (text.empty()) return InvalidArgument("nothing to put in the QR code");
  if (text.find('\0') != std::string_view::npos) {
    return InvalidArgument("the text of a QR code cannot hold a NUL byte");
  }
  if (Utf8Length(label) < 0) return InvalidArgument("the QR code's label is not valid UTF-8");

  const std::string input(text);  // libqrencode wants a NUL-terminated string
  errno = 0;
  // Version 0: the smallest symbol that holds the text. Case-sensitive, 8-bit for what is neither
  // digits nor upper-case alphanumerics (UTF-8 passes through as bytes).
  const std::unique_ptr<QRcode, QrCodeFree> code(
      QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (code == nullptr) {
    const int error = errno;
    if (error == ERANGE) {
      return InvalidArgument(fmt::format(
          "{} bytes are too many for a QR code (at most about 2,300 at error correction level M)",
          text.size()));
    }
    if (error == EINVAL) return InvalidArgument("libqrencode refused the text of the QR code");
    return Internal("libqrencode failed to make a QR code (out of memory)");
  }

  const int width = code->width;
  const int size = width + 2 * kQuietZone;
  std::string path;
  // One horizontal run of dark modules per subpath: "M x y h n v 1 h -n z".
  for (int y = 0; y < width; ++y) {
    const unsigned char* row = code->data + static_cast<ptrdiff_t>(y) * width;
    for (int x = 0; x < width;) {
      if ((row[x] & 1) == 0) {  // bit 0 is the module's colour: 1 dark, 0 light
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < width && (row[x + run] & 1) != 0) ++run;
      path += fmt::format("M{} {}h{}v1h-{}z", x + kQuietZone, y + kQuietZone, run, run);
      x += run;
    }
  }
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {0}\" width=\"{1}\" "
      "height=\"{1}\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"{2}\">"
      "<rect width=\"{0}\" height=\"{0}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{3}\"/></svg>",
      size, size * kPixelsPerModule, AttributeText(label), path);
}

}  // namespace rampart
