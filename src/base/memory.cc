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
  // What was held freed when pages were last returned (or less, once reused): memory freed since
  // is resident until returned.
  size_t mark = FreeHeldBytes();
  std::unique_lock lock(mu_);
  while (!wake_.wait_for(lock, interval, [this] { return stop_; })) {
    const size_t held = FreeHeldBytes();
    if (held > mark + slack) {
      Trim();
      mark = FreeHeldBytes();
    } else if (held < mark) {
      mark = held;
    }
  }
}

}  // namespace rampart
