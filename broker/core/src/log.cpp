#include "broker/core/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <string>

#include "broker/core/text.h"

namespace broker::core {

namespace {

std::atomic<LogLevel> gLevel{LogLevel::kInfo};
std::mutex gWrite;

constexpr std::string_view kNames[] = {"DEBUG", "INFO", "WARNING", "ERROR", "OFF"};

}  // namespace

std::string utcTimestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return text;
}

bool parseLogLevel(std::string_view text, LogLevel& level) noexcept {
  for (int i = 0; i <= static_cast<int>(LogLevel::kOff); ++i) {
    if (equalsIgnoreCase(text, kNames[i])) {
      level = static_cast<LogLevel>(i);
      return true;
    }
  }
  return false;
}

void setLogLevel(LogLevel level) noexcept { gLevel.store(level); }

bool logEnabled(LogLevel level) noexcept {
  return level != LogLevel::kOff && level >= gLevel.load();
}

void log(LogLevel level, std::string_view line) {
  if (!logEnabled(level)) return;
  std::string text = utcTimestamp();
  text += ' ';
  text += kNames[static_cast<int>(level)];
  text += ' ';
  text += line;
  text += '\n';
  const std::lock_guard lock(gWrite);
  for (std::size_t written = 0; written < text.size();) {
    const ssize_t n = ::write(STDERR_FILENO, text.data() + written, text.size() - written);
    if (n <= 0) return;
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace broker::core
