// Replaced global allocation functions that keep a byte count while counting is on. Blocks
// allocated before counting started and freed during it are subtracted without having been
// added; the measurements (model bytes, peaks) only span allocations made while counting.
#include "allocation_counter.h"

#include <malloc.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace {

std::atomic<std::int64_t> live{0};
std::atomic<std::int64_t> peak{0};
std::atomic<bool> counting{false};

void* allocate(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  if (counting.load(std::memory_order_relaxed)) {
    const auto bytes = static_cast<std::int64_t>(malloc_usable_size(p));
    const std::int64_t now = live.fetch_add(bytes) + bytes;
    std::int64_t seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
  }
  return p;
}

void release(void* p) noexcept {
  if (p == nullptr) return;
  if (counting.load(std::memory_order_relaxed)) {
    live.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(p)));
  }
  std::free(p);
}

std::size_t nonNegative(std::int64_t bytes) {
  return bytes < 0 ? 0 : static_cast<std::size_t>(bytes);
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }

namespace bench {

void startCounting() noexcept {
  live.store(0);
  peak.store(0);
  counting.store(true);
}

void stopCounting() noexcept { counting.store(false); }

std::size_t liveBytes() noexcept { return nonNegative(live.load()); }
std::size_t peakBytes() noexcept { return nonNegative(peak.load()); }
void resetPeak() noexcept { peak.store(live.load()); }

}  // namespace bench
