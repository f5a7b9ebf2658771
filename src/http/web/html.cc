#include "http/web/html.h"

#include "base/text.h"

namespace rampart::http {

Html& Html::Text(std::string_view s) {
  out_ += HtmlEscape(s);
  return *this;
}

Html& Html::Raw(MarkupLiteral markup) {
  out_ += markup.text();
  return *this;
}

Html& Html::Append(const SafeHtml& fragment) {
  out_ += fragment.str();
  return *this;
}

Html& Html::Append(const Html& fragment) {
  out_ += fragment.out_;
  return *this;
}

SafeHtml Html::Take() {
  SafeHtml taken(SafeHtml::Made{}, std::move(out_));
  out_.clear();  // a moved-from string is valid but unspecified: the builder starts again empty
  return taken;
}

void Html::Attrs(std::initializer_list<Attr> attrs) {
  for (const auto& a : attrs) {
    // An empty attribute says nothing (aria-describedby=""), except where empty is a value.
    if (!a.bare && a.value.empty() && a.name != "value" && a.name != "alt") continue;
    out_ += ' ';
    out_ += a.name;
    if (a.bare) continue;
    out_ += "=\"";
    out_ += HtmlEscape(a.value);
    out_ += '"';
  }
}

Html& Html::Open(std::string_view tag, std::initializer_list<Attr> attrs) {
  out_ += '<';
  out_ += tag;
  Attrs(attrs);
  out_ += '>';
  return *this;
}

Html& Html::Close(std::string_view tag) {
  out_ += "</";
  out_ += tag;
  out_ += '>';
  return *this;
}

Html& Html::Void(std::string_view tag, std::initializer_list<Attr> attrs) {
  return Open(tag, attrs);
}

Html& Html::Element(std::string_view tag, std::initializer_list<Attr> attrs,
                    std::string_view text) {
  return Open(tag, attrs).Text(text).Close(tag);
}

Html& Html::Link(std::string_view href, std::string_view text, std::string_view cls) {
  if (cls.empty()) return Element("a", {{"href", href}}, text);
  return Element("a", {{"href", href}, {"class", cls}}, text);
}

}  // namespace rampart::http
