// Giving memory back to the system after a large request.
//
// glibc's allocator keeps what a request freed in its arenas for the next allocation, so one
// export of 100,000 records leaves the server hundreds of MB larger long after it answered. The
// MemoryKeeper looks every second, from a background thread, at how much freed memory the
// allocator holds and, when that is more than `slack` after a second in which memory was
// allocated or freed, asks it to return its free pages to the system (malloc_trim). Large buffers
// (a report's body) are mapped and unmapped directly: TuneAllocator fixes the threshold above which
// glibc does that, which it otherwise raises after each large free.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

namespace rampart {

// The process's resident memory in bytes (/proc/self/statm); 0 when unreadable.
size_t ResidentBytes();

// The bytes the allocator holds freed, for reuse (glibc's mallinfo2().fordblks): pages returned by
// a trim are still counted.
size_t FreeHeldBytes();

// Allocations of `mmap_threshold` bytes or more are mapped on their own and given back when freed.
void TuneAllocator(size_t mmap_threshold = size_t{1} << 20);

class MemoryKeeper {
 public:
  explicit MemoryKeeper(std::chrono::milliseconds interval = std::chrono::seconds(1),
                        size_t slack = size_t{16} << 20);
  ~MemoryKeeper();  // stops the thread
  MemoryKeeper(const MemoryKeeper&) = delete;
  MemoryKeeper& operator=(const MemoryKeeper&) = delete;

  // Returns the allocator's free pages now; the resident memory before and after.
  static std::pair<size_t, size_t> Trim();

 private:
  void Watch(std::chrono::milliseconds interval, size_t slack);

  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace rampart
