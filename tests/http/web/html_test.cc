#include "http/web/html.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <type_traits>

#include "http/web/web.h"

namespace rampart::http {
namespace {

// What the types refuse, checked by the compiler: a plain string never reaches a page unescaped.

template <typename T>
concept RawTakes = requires(Html& h, T markup) {
  h.Raw(markup);
};
static_assert(!RawTakes<std::string>);
static_assert(!RawTakes<const std::string&>);
static_assert(!RawTakes<std::string_view>);
static_assert(!RawTakes<const char*>);
static_assert(!RawTakes<SafeHtml>);  // a fragment is appended, not written raw
static_assert(RawTakes<const char (&)[5]>);

template <typename T>
concept AppendTakes = requires(Html& h, T fragment) {
  h.Append(fragment);
};
static_assert(AppendTakes<SafeHtml>);
static_assert(AppendTakes<const Html&>);
static_assert(!AppendTakes<std::string>);
static_assert(!AppendTakes<std::string_view>);
static_assert(!AppendTakes<const char*>);

static_assert(!std::is_convertible_v<std::string, SafeHtml>);
static_assert(!std::is_convertible_v<std::string_view, SafeHtml>);
static_assert(!std::is_convertible_v<const char*, SafeHtml>);
static_assert(!std::is_constructible_v<SafeHtml, std::string>);
static_assert(!std::is_constructible_v<SafeHtml, std::string_view>);
static_assert(!std::is_constructible_v<SafeHtml, const char*>);
static_assert(!std::is_assignable_v<SafeHtml&, std::string>);
static_assert(!std::is_constructible_v<MarkupLiteral, const char*>);
static_assert(!std::is_constructible_v<MarkupLiteral, std::string>);

template <typename Body>
concept RenderPageTakes = requires(Request& r, const PageFrame& f, Body body) {
  RenderPage(r, f, body, 200);
};
static_assert(!RenderPageTakes<std::string>);
static_assert(!RenderPageTakes<const std::string&>);
static_assert(!RenderPageTakes<std::string_view>);
static_assert(!RenderPageTakes<const char*>);
static_assert(RenderPageTakes<SafeHtml>);

template <typename Body>
concept RenderAuthPageTakes = requires(Request& r, Body body) {
  RenderAuthPage(r, "Sign in", body, 200);
};
static_assert(!RenderAuthPageTakes<std::string>);
static_assert(RenderAuthPageTakes<SafeHtml>);

static_assert(std::is_same_v<decltype(PageFrame::actions), SafeHtml>);
static_assert(!std::is_assignable_v<decltype(PageFrame::actions)&, std::string>);

constexpr char kRule[] = "<hr class=\"rule\">";

TEST(Html, RawWritesALiteralAsItIs) {
  Html h;
  h.Raw("<p>").Raw(kRule).Raw("</p>");
  EXPECT_EQ(h.str(), "<p><hr class=\"rule\"></p>");
}

TEST(Html, TextEscapesMarkup) {
  Html h;
  h.Text("<script>alert('x')</script>");
  EXPECT_EQ(h.str(), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
}

TEST(Html, AttributeValuesAreEscaped) {
  Html h;
  h.Element("a", {{"href", "/x?a=1&b=\"2\""}}, "<b>");
  EXPECT_EQ(h.str(), "<a href=\"/x?a=1&amp;b=&quot;2&quot;\">&lt;b&gt;</a>");
}

TEST(Html, AppendWritesABuiltFragment) {
  Html inner;
  inner.Open("p", {{"class", "note"}}).Text("a < b").Close("p");
  Html page;
  page.Open("div").Append(inner).Close("div");
  EXPECT_EQ(page.str(), "<div><p class=\"note\">a &lt; b</p></div>");
  page.Append(inner.Take());
  EXPECT_EQ(page.str(), "<div><p class=\"note\">a &lt; b</p></div><p class=\"note\">a &lt; b</p>");
}

TEST(Html, TakeLeavesTheBuilderEmpty) {
  Html h;
  h.Text("one");
  const SafeHtml taken = h.Take();
  EXPECT_EQ(taken.str(), "one");
  EXPECT_TRUE(h.empty());
  h.Text("two");
  EXPECT_EQ(h.str(), "two");
}

TEST(SafeHtml, IsMadeFromALiteralOrByTheEscapeHatch) {
  EXPECT_EQ(SafeHtml("<br>").str(), "<br>");
  EXPECT_TRUE(SafeHtml().empty());
  std::string svg = "<svg></svg>";
  EXPECT_EQ(SafeHtml::FromTrusted(svg, "made by the test").str(), "<svg></svg>");
}

TEST(Table, WritesTheWrapperCaptionAndHeaders) {
  Html h;
  const Table table{.cls = "data-table stack-narrow",
                    .caption = "People & roles",
                    .columns = {{.label = "Name"},
                                {.label = "Size", .cls = "cell-num"},
                                {.label = "Action", .shown = Visibility::kVisuallyHidden}}};
  table.Open(h);
  h.Raw("<tr><td>x</td></tr>");
  table.Close(h);
  EXPECT_EQ(h.str(),
            "<div class=\"table-scroll\"><table class=\"data-table stack-narrow\">"
            "<caption class=\"visually-hidden\">People &amp; roles</caption>"
            "<thead><tr><th scope=\"col\">Name</th><th scope=\"col\" class=\"cell-num\">Size</th>"
            "<th scope=\"col\"><span class=\"visually-hidden\">Action</span></th></tr></thead>"
            "<tbody><tr><td>x</td></tr></tbody></table></div>");
}

TEST(Table, WithoutWrapperOrCaption) {
  Html h;
  const Table table{.cls = "diff", .columns = {{.label = "Field"}}, .scroll = TableScroll::kNone};
  table.Open(h);
  table.Close(h);
  EXPECT_EQ(h.str(),
            "<table class=\"diff\"><thead><tr><th scope=\"col\">Field</th></tr></thead>"
            "<tbody></tbody></table>");
}

TEST(Table, VisibleCaption) {
  Html h;
  const Table table{.cls = "risk-matrix",
                    .caption = "Risk matrix",
                    .caption_shown = Visibility::kVisible,
                    .scroll = TableScroll::kNone};
  table.Open(h);
  EXPECT_EQ(h.str(),
            "<table class=\"risk-matrix\"><caption>Risk matrix</caption><thead><tr></tr></thead>"
            "<tbody>");
}

TEST(Table, SortableHeadersLinkAndSayHowTheRowsAreSorted) {
  Html h;
  const Table table{
      .cls = "data-table",
      .columns = {{.label = "Title", .sort = ColumnSort::kAscending, .sort_href = "/r?sort=-t"},
                  {.label = "Owner", .sort = ColumnSort::kUnsorted, .sort_href = "/r?sort=o"}},
      .scroll = TableScroll::kNone};
  table.Open(h);
  EXPECT_EQ(h.str(),
            "<table class=\"data-table\"><thead><tr>"
            "<th scope=\"col\" aria-sort=\"ascending\"><a href=\"/r?sort=-t\" "
            "class=\"sort is-active\">Title<span class=\"sort-arrow\" "
            "aria-hidden=\"true\">↑</span></a></th>"
            "<th scope=\"col\" aria-sort=\"none\"><a href=\"/r?sort=o\" class=\"sort\">Owner"
            "<span class=\"sort-arrow\" aria-hidden=\"true\">↕</span></a></th>"
            "</tr></thead><tbody>");
}

}  // namespace
}  // namespace rampart::http
