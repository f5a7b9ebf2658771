// Reports as PDF through cairo (the PDF surface) and pango (text shaping, any script, line
// breaking): A4, landscape when a table has more than six columns. The first page opens with
// the title and the document-control block; every page has a running head (title,
// organisation) and a foot (classification, "Page N of M", the content's SHA-256). Table
// headers repeat on each page; a row never splits (a cell too tall for one page is cut short
// with an ellipsis). Fonts come from fontconfig: DejaVu Sans (Debian fonts-dejavu-core).
//
// Pages are laid out twice, the first time only to count them. Thread-safe: each call has its
// own surface, and pango's cairo font map is per thread.
#pragma once

#include <string>

#include "base/report_document.h"
#include "base/status.h"

namespace rampart {

// The bytes of a PDF file. Errors: kInternal when cairo cannot write it.
Result<std::string> PdfBytes(const ReportDocument& doc);

inline constexpr const char* kPdfContentType = "application/pdf";

}  // namespace rampart
