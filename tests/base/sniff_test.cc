#include "base/sniff.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace rampart {
namespace {

TEST(SniffMediaType, JudgesTheBytesNotTheName) {
  EXPECT_EQ(*SniffMediaType("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
            "application/pdf");
  EXPECT_EQ(*SniffMediaType(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), "image/png");
  EXPECT_EQ(*SniffMediaType("<!DOCTYPE html><html><body>x</body></html>"), "text/html");
  EXPECT_EQ(*SniffMediaType("just some words\n"), "text/plain");
  EXPECT_EQ(*SniffMediaType(std::string("MZ\x90\0\x03\0\0\0", 8)), "application/octet-stream");
}

// Each thread has its own libmagic handle.
TEST(SniffMediaType, IsSafeFromManyThreads) {
  std::vector<std::thread> threads;
  std::vector<std::string> got(8);
  for (size_t i = 0; i < got.size(); ++i) {
    threads.emplace_back([&got, i] {
      for (int n = 0; n < 20; ++n) got[i] = SniffMediaType("GIF89a\x01\0\x01\0\0\0\0;").value();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, "image/gif");
}

}  // namespace
}  // namespace rampart
