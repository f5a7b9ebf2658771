// Reports as Word documents (Office Open XML, .docx): the parts written with libxml2's XML
// writer and packed with libzip (base/zip.h). The document opens with the title and the
// document-control block; headings use Word's Heading 1 and 2 styles (so the navigation pane
// and a table of contents find them); tables repeat their header row on each page; the header
// names the title and organisation, the footer the classification, the content's SHA-256 and
// "Page N of M" (Word fields). Landscape when a table has more than six columns.
// Thread-safe.
#pragma once

#include <string>

#include "base/report_document.h"
#include "base/status.h"

namespace rampart {

// The bytes of a .docx file. Errors: kInternal when the XML or the archive cannot be written.
Result<std::string> DocxBytes(const ReportDocument& doc);

inline constexpr const char* kDocxContentType =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

}  // namespace rampart
