// Building HTML with escaping by default: Text() and attribute values are escaped; only Raw()
// writes markup as given, and it is used with literals and already-built fragments.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

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

class Html {
 public:
  Html& Text(std::string_view s);
  Html& Raw(std::string_view markup);
  Html& Open(std::string_view tag, std::initializer_list<Attr> attrs = {});
  Html& Close(std::string_view tag);
  // A void element: <input ...>, <meta ...>.
  Html& Void(std::string_view tag, std::initializer_list<Attr> attrs);
  // <tag attrs>text</tag>
  Html& Element(std::string_view tag, std::initializer_list<Attr> attrs, std::string_view text);
  // A link: <a href=...>text</a>.
  Html& Link(std::string_view href, std::string_view text, std::string_view cls = {});

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void Attrs(std::initializer_list<Attr> attrs);
  std::string out_;
};

}  // namespace rampart::http
