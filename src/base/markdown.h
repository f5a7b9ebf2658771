// Markdown to HTML: CommonMark with GitHub's tables, strikethrough and autolinks (cmark-gfm).
// Raw HTML in the text is not rendered (cmark-gfm's safe mode replaces it with a comment), and
// links and images with javascript:, vbscript:, file: or data: (other than images) URLs lose
// them; what comes out has no script, no style attribute and no event handler, so it stays
// within the pages' Content Security Policy. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/report_document.h"

namespace rampart {

std::string MarkdownToHtml(std::string_view markdown);

// Appends the text to a report as its blocks: headings (# as level 1, deeper as level 2),
// paragraphs, lists as lines ("• item", "1. item", nested ones indented), block quotes and code
// as paragraphs, GitHub tables as tables. Inline markup is dropped, a link keeps its text and
// its address in brackets; raw HTML is left out, and so is what is nested more than 32 deep.
void MarkdownToReport(std::string_view markdown, ReportDocument& doc);

}  // namespace rampart
