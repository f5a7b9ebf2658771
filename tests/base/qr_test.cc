#include "base/qr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <qrencode.h>

#include <regex>
#include <string>

#include "support/status_matchers.h"

namespace rampart {
namespace {

using test::IsOk;
using test::StatusIs;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::string_view kUri =
    "otpauth://totp/Rampart:alice?secret=JBSWY3DPEHPK3PXP&issuer=Rampart&algorithm=SHA1&digits=6"
    "&period=30";

size_t Count(const std::string& haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

// Dark modules in the reference encoding, made directly with libqrencode.
struct Reference {
  int width = 0;
  int dark = 0;
};
Reference Encode(std::string_view text) {
  const std::string s(text);
  QRcode* code = QRcode_encodeString(s.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  Reference ref;
  if (code == nullptr) return ref;
  ref.width = code->width;
  for (int i = 0; i < code->width * code->width; ++i) ref.dark += code->data[i] & 1;
  QRcode_free(code);
  return ref;
}

TEST(QrSvg, IsOneSvgElementWithABackgroundAndOnePath) {
  const auto svg = QrSvg(kUri, "QR code");
  ASSERT_THAT(svg, IsOk());
  EXPECT_THAT(*svg, StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\" "));
  EXPECT_THAT(*svg, EndsWith("</svg>"));
  EXPECT_EQ(Count(*svg, "<svg"), 1u);
  EXPECT_EQ(Count(*svg, "<path"), 1u);
  EXPECT_EQ(Count(*svg, "<rect"), 1u);
  EXPECT_EQ(Count(*svg, "<"), 3u + 1u);  // <svg, <rect, <path and </svg>
  EXPECT_THAT(*svg, HasSubstr("shape-rendering=\"crispEdges\""));
  EXPECT_THAT(*svg, HasSubstr("role=\"img\""));
  EXPECT_THAT(*svg, HasSubstr("fill=\"#000\""));
  EXPECT_THAT(*svg, HasSubstr("fill=\"#fff\""));
}

TEST(QrSvg, HasNoInlineStyleSoTheCspAllowsIt) {
  const auto svg = QrSvg(kUri, "QR code");
  ASSERT_THAT(svg, IsOk());
  EXPECT_THAT(*svg, Not(HasSubstr("style")));
  EXPECT_THAT(*svg, Not(HasSubstr("script")));
}

TEST(QrSvg, ViewBoxIsTheSymbolWidthPlusAFourModuleQuietZone) {
  const Reference ref = Encode(kUri);
  ASSERT_GT(ref.width, 21);
  const int size = ref.width + 8;
  const auto svg = QrSvg(kUri, "QR code");
  ASSERT_THAT(svg, IsOk());
  EXPECT_THAT(
      *svg, HasSubstr("viewBox=\"0 0 " + std::to_string(size) + " " + std::to_string(size) + "\""));
  EXPECT_THAT(*svg, HasSubstr("width=\"" + std::to_string(size * 4) + "\""));
}

TEST(QrSvg, PathCoversExactlyTheDarkModulesInsideTheQuietZone) {
  const Reference ref = Encode(kUri);
  const auto svg = QrSvg(kUri, "QR code");
  ASSERT_THAT(svg, IsOk());
  const std::regex run("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
  int dark = 0;
  int runs = 0;
  const std::string& s = *svg;
  for (auto it = std::sregex_iterator(s.begin(), s.end(), run); it != std::sregex_iterator();
       ++it) {
    const int x = std::stoi((*it)[1]);
    const int y = std::stoi((*it)[2]);
    const int len = std::stoi((*it)[3]);
    EXPECT_EQ(len, std::stoi((*it)[4]));
    EXPECT_GE(x, 4);
    EXPECT_GE(y, 4);
    EXPECT_LE(x + len, 4 + ref.width);
    EXPECT_LT(y, 4 + ref.width);
    dark += len;
    ++runs;
  }
  EXPECT_GT(runs, 0);
  EXPECT_EQ(dark, ref.dark);
}

TEST(QrSvg, EscapesTheLabel) {
  const auto svg = QrSvg(kUri, "Scan \"me\" <now> & 'go'\n");
  ASSERT_THAT(svg, IsOk());
  EXPECT_THAT(*svg,
              HasSubstr("aria-label=\"Scan &quot;me&quot; &lt;now&gt; &amp; &#39;go&#39; \""));
  EXPECT_THAT(*svg, Not(HasSubstr("<now>")));
}

TEST(QrSvg, KeepsUtf8InTheLabelAndTheText) {
  const auto svg = QrSvg("otpauth://totp/J%C3%B6rg", "Jörg's code");
  ASSERT_THAT(svg, IsOk());
  EXPECT_THAT(*svg, HasSubstr("aria-label=\"Jörg&#39;s code\""));
  EXPECT_THAT(QrSvg("Jörg", "label"), IsOk());
}

TEST(QrSvg, RefusesALabelThatIsNotUtf8) {
  EXPECT_THAT(QrSvg(kUri, "\xff\xfe"), StatusIs(Code::kInvalidArgument));
}

TEST(QrSvg, HoldsLongTextInALargerSymbol) {
  const std::string text(2000, 'a');
  const Reference ref = Encode(text);
  ASSERT_GT(ref.width, 150);  // version 36 or more
  const auto svg = QrSvg(text, "long");
  ASSERT_THAT(svg, IsOk());
  const std::string size = std::to_string(ref.width + 8);
  EXPECT_NE(svg->find("viewBox=\"0 0 " + size + " " + size + "\""), std::string::npos);
}

TEST(QrSvg, RefusesTextTooLongForAQrCode) {
  const auto svg = QrSvg(std::string(3000, 'a'), "too long");
  EXPECT_THAT(svg, StatusIs(Code::kInvalidArgument));
  EXPECT_THAT(svg.status().message(), HasSubstr("3000 bytes are too many"));
}

TEST(QrSvg, RefusesEmptyTextAndNulBytes) {
  EXPECT_THAT(QrSvg("", "empty"), StatusIs(Code::kInvalidArgument));
  EXPECT_THAT(QrSvg(std::string("a\0b", 3), "nul"), StatusIs(Code::kInvalidArgument));
}

}  // namespace
}  // namespace rampart
