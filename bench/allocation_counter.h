// Counts heap bytes in use through replaced global operator new/delete, so a benchmark can
// report the memory a structure holds and the peak while it is built.
#pragma once

#include <cstddef>

namespace bench {

/// Counting costs time on every allocation: it is on only between these calls, so timed loops
/// run uninstrumented. Memory allocated while off is not counted when freed either.
void startCounting() noexcept;
void stopCounting() noexcept;

/// Bytes currently allocated through operator new while counting.
std::size_t liveBytes() noexcept;
/// Highest liveBytes() since the last resetPeak().
std::size_t peakBytes() noexcept;
void resetPeak() noexcept;

}  // namespace bench
