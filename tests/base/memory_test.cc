// base/memory.h: what the server's memory keeper reads and does. (Whether memory really goes back
// is measured on the Release build by bench/memory_load.py: under the sanitizers' allocator,
// glibc's trimming has nothing to act on.)
#include "base/memory.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

namespace rampart {
namespace {

TEST(Memory, ReadsTheResidentMemoryOfTheProcess) {
  const size_t before = ResidentBytes();
  EXPECT_GT(before, size_t{1} << 20);  // a test binary holds more than 1 MiB
  // 64 MiB touched page by page is resident.
  std::vector<char> block(size_t{64} << 20);
  for (size_t i = 0; i < block.size(); i += 4096) block[i] = 1;
  EXPECT_GE(ResidentBytes(), before + (size_t{60} << 20));
}

TEST(Memory, TheKeeperStopsAtOnce) {
  const auto start = std::chrono::steady_clock::now();
  {
    MemoryKeeper keeper(std::chrono::milliseconds(10), 1);
    const auto [before, after] = MemoryKeeper::Trim();
    EXPECT_GT(before, 0u);
    EXPECT_GT(after, 0u);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

}  // namespace
}  // namespace rampart
