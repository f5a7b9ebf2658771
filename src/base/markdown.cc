#include "base/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace rampart {

namespace {

// CMARK_OPT_DEFAULT is safe: raw HTML and dangerous URLs are left out. Invalid UTF-8 is
// replaced rather than passed through.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;

using Parser = std::unique_ptr<cmark_parser, decltype(&cmark_parser_free)>;
using Node = std::unique_ptr<cmark_node, decltype(&cmark_node_free)>;

// The parser with GitHub's extensions, and the document it parsed.
std::pair<Parser, Node> Parse(std::string_view markdown) {
  static std::once_flag registered;
  std::call_once(registered, [] { cmark_gfm_core_extensions_ensure_registered(); });
  Parser parser(cmark_parser_new(kOptions), &cmark_parser_free);
  for (const char* name : {"table", "strikethrough", "autolink"}) {
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  cmark_parser_feed(parser.get(), markdown.data(), markdown.size());
  Node doc(cmark_parser_finish(parser.get()), &cmark_node_free);
  return {std::move(parser), std::move(doc)};
}

std::string_view TypeOf(cmark_node* n) { return cmark_node_get_type_string(n); }

// How deep quotes, lists and inline markup are followed: a text of 200,000 ">" would otherwise
// recurse 200,000 times. Deeper content is left out.
constexpr int kMaxDepth = 32;

// The text of inline content: soft breaks as spaces, hard breaks as line feeds.
void InlineText(cmark_node* n, std::string& out, int depth = 0) {
  if (depth > kMaxDepth) return;
  for (cmark_node* c = cmark_node_first_child(n); c != nullptr; c = cmark_node_next(c)) {
    switch (cmark_node_get_type(c)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        if (const char* t = cmark_node_get_literal(c)) out += t;
        break;
      case CMARK_NODE_SOFTBREAK:
        out += ' ';
        break;
      case CMARK_NODE_LINEBREAK:
        out += '\n';
        break;
      case CMARK_NODE_LINK: {
        const size_t start = out.size();
        InlineText(c, out, depth + 1);
        const char* url = cmark_node_get_url(c);
        if (url != nullptr && *url != '\0' && out.compare(start, std::string::npos, url) != 0) {
          out += " <";
          out += url;
          out += '>';
        }
        break;
      }
      case CMARK_NODE_HTML_INLINE:
        break;
      default:
        InlineText(c, out, depth + 1);
    }
  }
}

std::string InlineText(cmark_node* n) {
  std::string out;
  InlineText(n, out);
  return out;
}

// A list's items as lines, nested lists indented.
void ListLines(cmark_node* list, const std::string& indent, std::string& out, int depth = 0) {
  if (depth > kMaxDepth) return;
  int number = cmark_node_get_list_start(list);
  const bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
  for (cmark_node* item = cmark_node_first_child(list); item != nullptr;
       item = cmark_node_next(item)) {
    bool first = true;
    for (cmark_node* b = cmark_node_first_child(item); b != nullptr; b = cmark_node_next(b)) {
      if (cmark_node_get_type(b) == CMARK_NODE_LIST) {
        ListLines(b, indent + "    ", out, depth + 1);
        continue;
      }
      if (!out.empty()) out += '\n';
      out += indent;
      if (first) {
        out += ordered ? std::to_string(number) + ". " : "• ";
      } else {
        out += "  ";
      }
      out += cmark_node_get_type(b) == CMARK_NODE_CODE_BLOCK
                 ? std::string(cmark_node_get_literal(b) ? cmark_node_get_literal(b) : "")
                 : InlineText(b);
      first = false;
    }
    ++number;
  }
}

void Blocks(cmark_node* parent, ReportDocument& doc, int depth = 0) {
  if (depth > kMaxDepth) return;
  for (cmark_node* n = cmark_node_first_child(parent); n != nullptr; n = cmark_node_next(n)) {
    switch (cmark_node_get_type(n)) {
      case CMARK_NODE_HEADING:
        doc.Heading(InlineText(n), cmark_node_get_heading_level(n) <= 1 ? 1 : 2);
        break;
      case CMARK_NODE_PARAGRAPH:
        doc.Paragraph(InlineText(n));
        break;
      case CMARK_NODE_LIST: {
        std::string lines;
        ListLines(n, "", lines);
        doc.Paragraph(std::move(lines));
        break;
      }
      case CMARK_NODE_CODE_BLOCK: {
        std::string code = cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "";
        while (!code.empty() && code.back() == '\n') code.pop_back();
        doc.Paragraph(std::move(code));
        break;
      }
      case CMARK_NODE_BLOCK_QUOTE:
        Blocks(n, doc, depth + 1);
        break;
      default:
        if (TypeOf(n) == "table") {
          ReportTable t;
          for (cmark_node* row = cmark_node_first_child(n); row != nullptr;
               row = cmark_node_next(row)) {
            std::vector<std::string> cells;
            for (cmark_node* cell = cmark_node_first_child(row); cell != nullptr;
                 cell = cmark_node_next(cell)) {
              cells.push_back(InlineText(cell));
            }
            if (TypeOf(row) == "table_header") {
              t.header = std::move(cells);
            } else {
              t.rows.push_back(std::move(cells));
            }
          }
          doc.Table(std::move(t));
        }
        break;  // thematic breaks and raw HTML: nothing
    }
  }
}

}  // namespace

void MarkdownToReport(std::string_view markdown, ReportDocument& doc) {
  auto [parser, root] = Parse(markdown);
  Blocks(root.get(), doc);
}

std::string MarkdownToHtml(std::string_view markdown) {
  auto [parser, doc] = Parse(markdown);
  const int options = kOptions;
  char* html =
      cmark_render_html(doc.get(), options, cmark_parser_get_syntax_extensions(parser.get()));
  std::string out(html);
  std::free(html);
  return out;
}

}  // namespace rampart
