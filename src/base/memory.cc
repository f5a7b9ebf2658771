#include "base/memory.h"

#include <malloc.h>
#include <unistd.h>

#include <fstream>
#include <utility>

namespace rampart {

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0;
  size_t resident = 0;
  if (!(statm >> pages >> resident)) return 0;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

size_t FreeHeldBytes() { return mallinfo2().fordblks; }

void TuneAllocator(size_t mmap_threshold) {
  // Setting it also stops glibc from raising it (and the trim threshold) on its own.
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmap_threshold));
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(2 * mmap_threshold));
}

MemoryKeeper::MemoryKeeper(std::chrono::milliseconds interval, size_t slack)
    : thread_([this, interval, slack] { Watch(interval, slack); }) {}

MemoryKeeper::~MemoryKeeper() {
  {
    const std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::pair<size_t, size_t> MemoryKeeper::Trim() {
  const size_t before = ResidentBytes();
  malloc_trim(0);
  return {before, ResidentBytes()};
}

void MemoryKeeper::Watch(std::chrono::milliseconds interval, size_t slack) {
  // A trim after each second in which the allocator was busy (what it holds freed, or the
  // resident memory, moved by more than 1 MiB) while holding more than `slack` freed: idle, it is
  // left alone; a request that freed much is followed by a trim within `interval`, also when an
  // earlier trim ran while the request was still building its answer.
  constexpr size_t kMoved = size_t{1} << 20;
  const auto moved = [](size_t a, size_t b) { return (a > b ? a - b : b - a) > kMoved; };
  size_t last_held = FreeHeldBytes();
  size_t last_resident = ResidentBytes();
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, interval, [this] { return stop_; })) {
    const size_t held = FreeHeldBytes();
    const size_t resident = ResidentBytes();
    if (held > slack && (moved(held, last_held) || moved(resident, last_resident))) Trim();
    last_held = FreeHeldBytes();
    last_resident = ResidentBytes();
  }
}

}  // namespace rampart
