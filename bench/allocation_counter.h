// Counts heap bytes in use through replaced global operator new/delete, so a benchmark can
// report the memory a structure holds and the peak while it is built.
#pragma once

#include <cstddef>

namespace bench {

/// Bytes currently allocated through operator new.
std::size_t liveBytes() noexcept;
/// Highest liveBytes() since the last resetPeak().
std::size_t peakBytes() noexcept;
void resetPeak() noexcept;

}  // namespace bench
