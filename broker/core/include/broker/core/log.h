// The broker's log: one line per event on stderr, with a UTC timestamp and a level, written
// whole (lines of concurrent threads never interleave). Secrets must never be passed in.
#pragma once

#include <string>
#include <string_view>

namespace broker::core {

enum class LogLevel { kDebug, kInfo, kWarning, kError, kOff };

/// "debug", "info", "warning", "error", "off" (any ASCII case); false for anything else.
bool parseLogLevel(std::string_view text, LogLevel& level) noexcept;

/// Lines below `level` are dropped. Default: info.
void setLogLevel(LogLevel level) noexcept;
bool logEnabled(LogLevel level) noexcept;

/// The current time as ISO 8601 UTC with milliseconds, "2026-11-21T10:00:00.123Z", as log lines
/// and the store's update times carry it.
std::string utcTimestamp();

/// Writes "2026-11-21T10:00:00.123Z INFO <line>" if the level is enabled.
void log(LogLevel level, std::string_view line);

}  // namespace broker::core
