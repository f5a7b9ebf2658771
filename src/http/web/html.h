// Building HTML with escaping by default: Text() and attribute values are escaped; only Raw()
// writes markup as given, and it takes nothing but string literals (MarkupLiteral).
//
// What a page is made of is SafeHtml: markup that is safe to write into a page as it is. Only an
// Html builder (Take) and string literals make it; a std::string does not convert to it, so text
// from a request, a record or the database cannot reach a page without passing through Text().
// The one exception is SafeHtml::FromTrusted, for markup built by trusted code outside Html (the
// QR code's SVG, base/qr.h): every use names why it is safe, and `grep FromTrusted` lists them.
//
// Not thread-safe: one builder per page being rendered.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace rampart::http {

struct Attr {
  Attr(std::string_view n, std::string_view v) : name(n), value(v) {}
  // A boolean attribute (`required`, `selected`), written without a value.
  static Attr Flag(std::string_view n) {
    Attr a(n, "");
    a.bare = true;
    return a;
  }
  std::string_view name;
  std::string_view value;
  bool bare = false;
};

// Markup written in the source: a string literal or a constexpr char array (`constexpr char
// kLogo[] = "<svg…"`). The constructor is consteval, so only a constant of the program
// converts; a string made at run time, even in a char array, does not.
class MarkupLiteral {
 public:
  template <size_t N>
  consteval MarkupLiteral(const char (&literal)[N])  // NOLINT(google-explicit-constructor)
      : text_(literal) {}
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

// Markup that may be written into a page as it is (see the top of this file).
class SafeHtml {
 public:
  SafeHtml() = default;
  SafeHtml(MarkupLiteral literal)  // NOLINT(google-explicit-constructor): a literal is markup
      : markup_(literal.text()) {}

  // The escape hatch: markup made by trusted code that does not build it with Html, taken as it
  // is. `why` says at the call why the markup cannot carry anyone's input unescaped; it is not
  // used otherwise. Used twice: the enrolment's QR code (account_pages.cc), an SVG that base/qr.h
  // draws from the otpauth URI; and a document version's text rendered from Markdown by
  // base/markdown.h in cmark-gfm's safe mode (document_pages.cc).
  static SafeHtml FromTrusted(std::string markup, std::string_view why) {
    static_cast<void>(why);
    return SafeHtml(Made{}, std::move(markup));
  }

  const std::string& str() const { return markup_; }
  bool empty() const { return markup_.empty(); }
  // The markup, to send as a response body.
  std::string Release() && { return std::move(markup_); }

 private:
  friend class Html;
  // The tag keeps this constructor out of every conversion from one argument (a literal would
  // otherwise find it through std::string).
  struct Made {};
  SafeHtml(Made, std::string markup) : markup_(std::move(markup)) {}
  std::string markup_;
};

class Html {
 public:
  Html& Text(std::string_view s);
  // Markup written in the source. A std::string or std::string_view does not convert: text goes
  // through Text(), built fragments through Append().
  Html& Raw(MarkupLiteral markup);
  // A fragment built elsewhere (another builder, a page's actions).
  Html& Append(const SafeHtml& fragment);
  Html& Append(const Html& fragment);
  Html& Open(std::string_view tag, std::initializer_list<Attr> attrs = {});
  Html& Close(std::string_view tag);
  // A void element: <input ...>, <meta ...>.
  Html& Void(std::string_view tag, std::initializer_list<Attr> attrs);
  // <tag attrs>text</tag>
  Html& Element(std::string_view tag, std::initializer_list<Attr> attrs, std::string_view text);
  // A link: <a href=...>text</a>.
  Html& Link(std::string_view href, std::string_view text, std::string_view cls = {});

  // The markup so far, to inspect (tests, "is anything written?"); Take() to use it.
  const std::string& str() const { return out_; }
  bool empty() const { return out_.empty(); }
  // The markup built, leaving the builder empty.
  SafeHtml Take();

 private:
  void Attrs(std::initializer_list<Attr> attrs);
  std::string out_;
};

}  // namespace rampart::http
