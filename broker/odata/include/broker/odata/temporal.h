// Dates and times as OData writes them: ISO 8601 (V3/V4 JSON, inputs) and the V2 verbose
// JSON form "/Date(ms)/" or "/Date(ms+hhmm)/". Proleptic Gregorian calendar, no time zone
// database: offsets are explicit or UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace broker::odata {

struct DateTime {
  int year = 1970;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  std::string fraction;    ///< fractional-second digits as given, without the dot
  int offsetMinutes = 0;   ///< east of UTC
  bool hasTime = false;    ///< a time part was present
  bool hasOffset = false;  ///< "Z" or ±hh:mm was present
};

/// "2026-11-21", "2026-11-21T11:52", "2026-11-21T11:52:18.998Z", "…+01:00"; nullopt when
/// malformed or out of range (month 13, 25:00, Feb 30).
std::optional<DateTime> parseIsoDateTime(std::string_view text);

/// "11:52", "11:52:18", "11:52:18.5"; nullopt when malformed.
std::optional<DateTime> parseIsoTime(std::string_view text);

/// "/Date(1602115200000)/" or "/Date(1795261938998+0060)/" (minutes offset); nullopt when not
/// that form. The result is UTC with the offset noted.
std::optional<DateTime> parseMicrosoftDate(std::string_view text);

/// "PT11H30M5.5S" (an xs:duration holding a time of day, V2 Edm.Time) → 11:30:05.5.
std::optional<DateTime> parseTimeDuration(std::string_view text);

/// The same instant in UTC (offset 0). A value without an offset is taken as UTC.
DateTime toUtc(const DateTime& value);

/// Milliseconds since 1970-01-01T00:00:00Z (fraction truncated to milliseconds).
std::int64_t toEpochMillis(const DateTime& value);

/// "2026-11-21T11:52:18.998Z" (UTC, fraction as given), "2026-11-21", "11:52:18.998".
std::string formatIsoUtc(const DateTime& value);
std::string formatDate(const DateTime& value);
std::string formatTime(const DateTime& value);
/// "2026-11-21T11:52:18.998" without a zone (V2/V3 Edm.DateTime literals): UTC wall time.
std::string formatIsoLocal(const DateTime& value);
/// "PT11H52M18.998S" (V2 Edm.Time literals and payloads).
std::string formatTimeDuration(const DateTime& value);

}  // namespace broker::odata
