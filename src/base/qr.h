// QR codes as SVG images, for enrolling an authenticator app from a page (libqrencode).
// Pure and thread-safe (Debian builds libqrencode thread-safe).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace rampart {

// `text` as a QR code (error correction level M, the smallest version that holds it) rendered as
// a self-contained SVG document: a white background with a 4-module quiet zone and one black
// <path> of the dark modules, one SVG unit per module (`viewBox`), 4 px per module by default,
// `shape-rendering="crispEdges"`. Colours are presentation attributes, never `style`, so the
// image passes a Content-Security-Policy without 'unsafe-inline'. `role="img"` and
// `aria-label="<label>"` (escaped) describe it to screen readers.
// Errors: kInvalidArgument when `text` is empty, holds a NUL byte or is longer than the largest
// QR code holds (about 2,300 bytes at level M), or when `label` is not valid UTF-8;
// kInternal when libqrencode runs out of memory.
Result<std::string> QrSvg(std::string_view text, std::string_view label);

}  // namespace rampart
