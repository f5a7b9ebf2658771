#include "http/message.h"

#include <gtest/gtest.h>

#include <string>

#include "support/status_matchers.h"

namespace rampart::http {
namespace {

TEST(ParseTarget, DecodesThePathButKeepsPlusSigns) {
  HttpRequest req;
  req.target = "/a%20b+c/%2e?q=x+y&sort=-title&empty=&q=second";
  ASSERT_TRUE(ParseTarget(req).ok());
  EXPECT_EQ(req.path, "/a b+c/.");
  EXPECT_EQ(req.Param("q"), "x y");  // the first of two
  EXPECT_EQ(req.params.count("q"), 2u);
  EXPECT_EQ(req.Param("sort"), "-title");
  EXPECT_TRUE(req.HasParam("empty"));
  EXPECT_FALSE(req.HasParam("missing"));
}

TEST(ParseTarget, RefusesATargetThatIsNotAPath) {
  HttpRequest req;
  req.target = "http://evil.example/";
  EXPECT_EQ(ParseTarget(req).code(), Code::kInvalidArgument);
  req.target = "*";
  EXPECT_EQ(ParseTarget(req).code(), Code::kInvalidArgument);
}

TEST(HttpRequest, HeaderNamesIgnoreCase) {
  HttpRequest req;
  req.headers.emplace("content-TYPE", "application/json");
  EXPECT_TRUE(req.HasHeader("Content-Type"));
  EXPECT_EQ(req.Header("CONTENT-type"), "application/json");
  EXPECT_EQ(req.Header("Accept"), "");
}

TEST(HttpResponse, SetHeaderReplacesEveryValue) {
  HttpResponse res;
  res.headers.emplace("Cache-Control", "no-store");
  res.headers.emplace("cache-control", "private");
  res.SetHeader("Cache-Control", "public, max-age=300");
  EXPECT_EQ(res.headers.count("CACHE-CONTROL"), 1u);
  EXPECT_EQ(res.Header("Cache-Control"), "public, max-age=300");
  res.SetRedirect("/signin", 303);
  EXPECT_EQ(res.status, 303);
  EXPECT_EQ(res.Header("Location"), "/signin");
}

void ExpectRefused(const Status& st, const std::string& why) {
  EXPECT_EQ(st.code(), Code::kInvalidArgument) << st.ToString();
  EXPECT_NE(st.message().find(why), std::string::npos) << st.message();
}

constexpr const char* kType = "multipart/form-data; boundary=----xyz";

TEST(ParseMultipart, ReadsFieldsAndFiles) {
  HttpRequest req;
  req.headers.emplace("Content-Type", kType);
  req.body =
      "preamble\r\n------xyz\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntoken\r\n"
      "------xyz\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a; b.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n%PDF\r\n--not the boundary\r\n------xyz--\r\n";
  ASSERT_TRUE(ParseMultipart(req, kType).ok());
  EXPECT_TRUE(req.IsMultipartFormData());
  ASSERT_EQ(req.files.size(), 2u);
  EXPECT_EQ(req.File("_csrf").content, "token");
  EXPECT_EQ(req.File("_csrf").filename, "");
  const FormPart file = req.File("file");
  EXPECT_EQ(file.filename, "a; b.pdf");
  EXPECT_EQ(file.content_type, "application/pdf");
  EXPECT_EQ(file.content, "%PDF\r\n--not the boundary");
  EXPECT_FALSE(req.HasFile("other"));
}

// Every page form is multipart: a risk methodology's draft (scales, levels, each level's roles
// ticked one by one) sends a few hundred parts, and all of them are read.
TEST(ParseMultipart, ReadsTheHundredsOfPartsOfALargeForm) {
  HttpRequest req;
  std::string body;
  for (int i = 0; i < 2000; ++i) {
    body += "------xyz\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) +
            "\"\r\n\r\nx\r\n";
  }
  req.body = body + "------xyz--";
  ASSERT_TRUE(ParseMultipart(req, kType).ok());
  EXPECT_EQ(req.files.size(), 2000u);
  EXPECT_EQ(req.File("f1999").content, "x");
}

TEST(ParseMultipart, RefusesMalformedBodiesNamingWhy) {
  HttpRequest req;
  req.body = "------xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n------xyz--";
  ExpectRefused(ParseMultipart(req, "multipart/form-data"), "boundary");
  req.body = "------xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnever closed";
  ExpectRefused(ParseMultipart(req, kType), "closing boundary");
  req.body = "------xyz\r\nContent-Disposition: form-data\r\n\r\nx\r\n------xyz--";
  ExpectRefused(ParseMultipart(req, kType), "no name");
  std::string many;
  for (int i = 0; i < 2001; ++i) {
    many += "------xyz\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  }
  req.body = many + "------xyz--";
  ExpectRefused(ParseMultipart(req, kType), "more than 2000 parts");
}

}  // namespace
}  // namespace rampart::http
