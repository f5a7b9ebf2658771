// Markdown to HTML: CommonMark with GitHub's tables, strikethrough and autolinks (cmark-gfm).
// Raw HTML in the text is not rendered (cmark-gfm's safe mode replaces it with a comment), and
// links and images with javascript:, vbscript:, file: or data: (other than images) URLs lose
// them; what comes out has no script, no style attribute and no event handler, so it stays
// within the pages' Content Security Policy. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace rampart {

std::string MarkdownToHtml(std::string_view markdown);

}  // namespace rampart
