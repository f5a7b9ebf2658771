#include "base/text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace rampart {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

// Issue 11 finding: "/\t/evil.example" passed as a sign-in redirect (browsers drop the tab).
TEST(IsSafeLocalPath, RefusesEveryWayOutOfTheSite) {
  const std::string hostile[] = {
      "",
      "evil.example",
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r/evil.example",
      std::string("/\0/evil.example", 16),
      "/\x7f/evil.example",
      "/%09/evil.example",
      "/%0a/evil.example",
      "%2f%2fevil.example",
      "/%2fevil.example",
      "/%2Fevil.example",
      "/%5cevil.example",
      "/%5Cevil.example",
      "/%252f/evil.example",
      "/%25252f%25252fevil.example",
      "/risks\\..\\..\\evil",
      " /risks",
      "javascript:alert(1)",
      std::string(2001, '/').replace(1, 2000, std::string(2000, 'a')),
  };
  for (const std::string& next : hostile) {
    EXPECT_FALSE(IsSafeLocalPath(next)) << "accepted: " << next;
  }
}

TEST(IsSafeLocalPath, AcceptsPathsOfThisSite) {
  for (const char* next : {"/", "/risks", "/risks/12?tab=history", "/risks?q=a%20b&sort=-title",
                           "/account/tokens", "/a/b//c", "/search?q=%2Fetc"}) {
    EXPECT_TRUE(IsSafeLocalPath(next)) << "refused: " << next;
  }
}

TEST(Trim, RemovesSpacesTabsAndLineBreaksAtBothEnds) {
  EXPECT_EQ(Trim("  \t title \r\n"), "title");
  EXPECT_EQ(Trim("a  b"), "a  b");
  EXPECT_EQ(Trim(" \n\t "), "");
  EXPECT_EQ(Trim(""), "");
}

TEST(SplitLines, TrimsEachLineAndDropsEmptyOnes) {
  EXPECT_THAT(SplitLines("  London \n\n Paris\r\n\t\nBerlin"),
              ElementsAre("London", "Paris", "Berlin"));
}

TEST(SplitLines, HandlesEmptyAndTrailingInput) {
  EXPECT_THAT(SplitLines(""), IsEmpty());
  EXPECT_THAT(SplitLines("\n\n  \n"), IsEmpty());
  EXPECT_THAT(SplitLines("one\n"), ElementsAre("one"));
  EXPECT_THAT(SplitLines("one"), ElementsAre("one"));
}

TEST(HtmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">Tom & Jerry's</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

TEST(HtmlEscape, LeavesOtherTextAlone) {
  EXPECT_EQ(HtmlEscape("Plain text, été"), "Plain text, été");
  EXPECT_EQ(HtmlEscape(""), "");
  EXPECT_EQ(HtmlEscape("&amp;"), "&amp;amp;");  // escapes again: no double-decoding
}

TEST(CsvField, LeavesPlainTextUnquoted) {
  EXPECT_EQ(CsvField("Data centre"), "Data centre");
  EXPECT_EQ(CsvField(""), "");
}

TEST(CsvField, QuotesCommasQuotesAndLineBreaks) {
  EXPECT_EQ(CsvField("London, Paris"), "\"London, Paris\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("one\ntwo"), "\"one\ntwo\"");
  EXPECT_EQ(CsvField("one\r\ntwo"), "\"one\r\ntwo\"");
}

TEST(CsvField, NeutralisesSpreadsheetFormulas) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("=1+1"), "'=1+1");
  EXPECT_EQ(CsvField("+41 22 000"), "'+41 22 000");
  EXPECT_EQ(CsvField("-2"), "'-2");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
}

TEST(CsvField, NeutralisesAFormulaThatAlsoNeedsQuoting) {
  EXPECT_EQ(CsvField("=1,2"), "\"'=1,2\"");
}

TEST(CsvField, LeavesFormulaCharactersAfterTheStartAlone) {
  EXPECT_EQ(CsvField("a=b"), "a=b");
  EXPECT_EQ(CsvField("x-y@z"), "x-y@z");
}

TEST(UrlEncode, PercentEncodesAllButUnreservedCharacters) {
  EXPECT_EQ(UrlEncode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(UrlEncode("a b/é?&="), "a%20b%2F%C3%A9%3F%26%3D");
}

TEST(UrlDecode, DecodesPercentEscapesAndPlus) {
  EXPECT_EQ(UrlDecode("a+b%20c%2Fd%C3%A9"), "a b c/d\xc3\xa9");
  EXPECT_EQ(UrlDecode("%41%4a%4A"), "AJJ");
  EXPECT_EQ(UrlDecode(""), "");
}

TEST(UrlDecode, KeepsMalformedEscapesAsTheyAre) {
  EXPECT_EQ(UrlDecode("100%"), "100%");
  EXPECT_EQ(UrlDecode("%4"), "%4");
  EXPECT_EQ(UrlDecode("%zz"), "%zz");
  EXPECT_EQ(UrlDecode("%%41"), "%A");
}

TEST(UrlDecode, RoundTripsUrlEncode) {
  const std::string text = "Tom & Jerry's = 100% \xc3\xa9t\xc3\xa9 + more/less?";
  EXPECT_EQ(UrlDecode(UrlEncode(text)), text);
}

TEST(ParseFormEncoded, SplitsPairsInOrderAndDecodes) {
  EXPECT_THAT(ParseFormEncoded("title=Energy+prices&kind=external&units=IT%0D%0AFinance"),
              ElementsAre(Pair("title", "Energy prices"), Pair("kind", "external"),
                          Pair("units", "IT\r\nFinance")));
}

TEST(ParseFormEncoded, KeepsRepeatedNamesAndEmptyValues) {
  EXPECT_THAT(ParseFormEncoded("a=1&a=2&b=&c"),
              ElementsAre(Pair("a", "1"), Pair("a", "2"), Pair("b", ""), Pair("c", "")));
}

TEST(ParseFormEncoded, SkipsEmptyPairs) {
  EXPECT_THAT(ParseFormEncoded(""), IsEmpty());
  EXPECT_THAT(ParseFormEncoded("&&a=1&"), ElementsAre(Pair("a", "1")));
}

TEST(ParseFormEncoded, SplitsOnTheFirstEqualsSignAndDecodesNames) {
  EXPECT_THAT(ParseFormEncoded("requirements%5B0%5D%5Btext%5D=a%3Db=c"),
              ElementsAre(Pair("requirements[0][text]", "a=b=c")));
}

TEST(ToLower, LowersAsciiOnly) {
  EXPECT_EQ(ToLower("Context ISSUE"), "context issue");
  EXPECT_EQ(ToLower("ÉTÉ"), "ÉtÉ");  // É is two bytes, neither of them ASCII
}

TEST(Utf8Length, CountsCodePoints) {
  EXPECT_EQ(Utf8Length(""), 0);
  EXPECT_EQ(Utf8Length("abc"), 3);
  EXPECT_EQ(Utf8Length("\xc3\xa9t\xc3\xa9"), 3);  // été
  EXPECT_EQ(Utf8Length("\xe2\x82\xac"), 1);       // €
  EXPECT_EQ(Utf8Length("\xf0\x9f\x98\x80"), 1);   // U+1F600
  EXPECT_EQ(Utf8Length("\xf4\x8f\xbf\xbf"), 1);   // U+10FFFF, the last code point
  EXPECT_EQ(Utf8Length("\xed\x9f\xbf"), 1);       // U+D7FF, just below the surrogates
  EXPECT_EQ(Utf8Length(std::string("a\0b", 3)), 3);
}

TEST(Utf8Length, RefusesStrayAndTruncatedBytes) {
  EXPECT_EQ(Utf8Length("\xff"), -1);
  EXPECT_EQ(Utf8Length("\x80"), -1);          // a continuation byte on its own
  EXPECT_EQ(Utf8Length("abc\xc3"), -1);       // truncated two-byte sequence
  EXPECT_EQ(Utf8Length("\xe2\x82"), -1);      // truncated three-byte sequence
  EXPECT_EQ(Utf8Length("\xc3\x28"), -1);      // second byte not a continuation
  EXPECT_EQ(Utf8Length("\xf0\x9f\x98"), -1);  // truncated four-byte sequence
}

// Regression: these were counted as characters. Overlong forms let "<" or "/" slip past filters
// that look for the plain byte; surrogates and values above U+10FFFF are not characters. None of
// them is valid UTF-8 (RFC 3629).
TEST(Utf8Length, RefusesOverlongEncodings) {
  EXPECT_EQ(Utf8Length("\xc0\xbc"), -1);  // "<" in two bytes
  EXPECT_EQ(Utf8Length("\xc1\xbf"), -1);
  EXPECT_EQ(Utf8Length("\xe0\x80\xaf"), -1);      // "/" in three bytes
  EXPECT_EQ(Utf8Length("\xf0\x80\x80\xaf"), -1);  // "/" in four bytes
}

TEST(Utf8Length, RefusesSurrogatesAndCodePointsAboveTheUnicodeRange) {
  EXPECT_EQ(Utf8Length("\xed\xa0\x80"), -1);      // U+D800
  EXPECT_EQ(Utf8Length("\xed\xbf\xbf"), -1);      // U+DFFF
  EXPECT_EQ(Utf8Length("\xf4\x90\x80\x80"), -1);  // U+110000
  EXPECT_EQ(Utf8Length("\xf5\x80\x80\x80"), -1);
  EXPECT_EQ(Utf8Length("\xf8\x88\x80\x80\x80"), -1);
}

TEST(FormatNumber, WritesTheShortestTextWithoutTrailingZeros) {
  EXPECT_EQ(FormatNumber(95.5), "95.5");
  EXPECT_EQ(FormatNumber(100.0), "100");
  EXPECT_EQ(FormatNumber(0.1), "0.1");
  EXPECT_EQ(FormatNumber(-3.25), "-3.25");
  EXPECT_EQ(FormatNumber(1000000.0), "1000000");
  EXPECT_EQ(FormatNumber(-0.0), "0");
  EXPECT_EQ(ParseNumber(FormatNumber(2.0 / 3)), 2.0 / 3);  // reads back exactly
}

TEST(ParseNumber, ReadsOnlyAWholeFiniteNumber) {
  EXPECT_EQ(ParseNumber("95.5"), 95.5);
  EXPECT_EQ(ParseNumber(" -3 "), -3.0);
  EXPECT_EQ(ParseNumber("1e3"), 1000.0);
  for (const char* bad : {"", " ", "ninety", "1,5", "95.5%", "0x10", "inf", "nan", "1e999"}) {
    EXPECT_EQ(ParseNumber(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace rampart
