#include "broker/odata/temporal.h"

#include <charconv>

namespace broker::odata {
namespace {

// Reads exactly `width` digits at `pos`.
bool digits(std::string_view text, std::size_t& pos, int width, int& out) {
  if (pos + width > text.size()) return false;
  int value = 0;
  for (int i = 0; i < width; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += width;
  out = value;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

bool leapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leapYear(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a civil date, and back (H. Hinnant's algorithms).
std::int64_t daysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

// hh:mm[:ss[.fff]] at pos.
bool parseClock(std::string_view text, std::size_t& pos, DateTime& v) {
  if (!digits(text, pos, 2, v.hour) || !expect(text, pos, ':') || !digits(text, pos, 2, v.minute))
    return false;
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!digits(text, pos, 2, v.second)) return false;
    if (pos < text.size() && text[pos] == '.') {
      const std::size_t start = ++pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == start) return false;
      v.fraction = std::string(text.substr(start, pos - start));
    }
  }
  v.hasTime = true;
  return v.hour < 24 && v.minute < 60 && v.second < 60;
}

// Writes `value` as `width` decimal digits (zero-padded; the lowest ones when it has more) and
// returns the position after them. Dates and times are formatted per value of every row, so
// this avoids printf's format parsing.
char* digits(char* at, int value, int width) {
  const bool negative = value < 0;
  unsigned magnitude = negative ? 0u - static_cast<unsigned>(value) : static_cast<unsigned>(value);
  if (negative) *at++ = '-';
  for (int i = width - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  }
  return at + width;
}

std::string fractionSuffix(const DateTime& v) {
  return v.fraction.empty() ? std::string() : "." + v.fraction;
}

}  // namespace

std::optional<DateTime> parseIsoDateTime(std::string_view text) {
  DateTime v;
  std::size_t pos = 0;
  if (!digits(text, pos, 4, v.year) || !expect(text, pos, '-') || !digits(text, pos, 2, v.month) ||
      !expect(text, pos, '-') || !digits(text, pos, 2, v.day)) {
    return std::nullopt;
  }
  if (v.month < 1 || v.month > 12 || v.day < 1 || v.day > daysInMonth(v.year, v.month)) {
    return std::nullopt;
  }
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't')) {
    ++pos;
    if (!parseClock(text, pos, v)) return std::nullopt;
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
      ++pos;
      v.hasOffset = true;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int sign = text[pos++] == '-' ? -1 : 1;
      int h = 0;
      int m = 0;
      if (!digits(text, pos, 2, h) || !expect(text, pos, ':') || !digits(text, pos, 2, m) ||
          h > 23 || m > 59) {
        return std::nullopt;
      }
      v.offsetMinutes = sign * (h * 60 + m);
      v.hasOffset = true;
    }
  }
  if (pos != text.size()) return std::nullopt;
  return v;
}

std::optional<DateTime> parseIsoTime(std::string_view text) {
  DateTime v;
  std::size_t pos = 0;
  if (!parseClock(text, pos, v) || pos != text.size()) return std::nullopt;
  return v;
}

std::optional<DateTime> parseMicrosoftDate(std::string_view text) {
  constexpr std::string_view kOpen = "/Date(";
  constexpr std::string_view kClose = ")/";
  if (!text.starts_with(kOpen) || !text.ends_with(kClose)) return std::nullopt;
  std::string_view inner = text.substr(kOpen.size(), text.size() - kOpen.size() - kClose.size());
  // The millis count UTC; an offset after them (a sign past the first character, which may
  // be the millis' own sign) only says where the value was written, so it is checked, not used.
  const std::size_t sign = inner.find_first_of("+-", 1);
  if (sign != std::string_view::npos) {
    const std::string_view zone = inner.substr(sign + 1);
    int minutes = 0;
    const auto [end, ec] = std::from_chars(zone.data(), zone.data() + zone.size(), minutes);
    if (ec != std::errc() || end != zone.data() + zone.size() || zone.size() != 4) {
      return std::nullopt;
    }
    inner = inner.substr(0, sign);
  }
  std::int64_t millis = 0;
  const auto [end, ec] = std::from_chars(inner.data(), inner.data() + inner.size(), millis);
  if (ec != std::errc() || end != inner.data() + inner.size()) return std::nullopt;
  std::int64_t days = millis / 86400000;
  std::int64_t rest = millis % 86400000;
  if (rest < 0) {
    rest += 86400000;
    --days;
  }
  DateTime v;
  civilFromDays(days, v.year, v.month, v.day);
  v.hour = static_cast<int>(rest / 3600000);
  v.minute = static_cast<int>(rest / 60000 % 60);
  v.second = static_cast<int>(rest / 1000 % 60);
  if (rest % 1000 != 0) {
    char buffer[3];
    v.fraction.assign(buffer, digits(buffer, static_cast<int>(rest % 1000), 3));
  }
  v.hasTime = true;
  v.hasOffset = true;
  return v;
}

std::optional<DateTime> parseTimeDuration(std::string_view text) {
  if (!text.starts_with("PT")) return std::nullopt;
  DateTime v;
  v.hasTime = true;
  std::size_t pos = 2;
  bool any = false;
  while (pos < text.size()) {
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    int number = 0;
    if (pos == start ||
        std::from_chars(text.data() + start, text.data() + pos, number).ec != std::errc()) {
      return std::nullopt;
    }
    std::string fraction;
    if (pos < text.size() && text[pos] == '.') {
      const std::size_t f = ++pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      fraction = std::string(text.substr(f, pos - f));
      if (fraction.empty() || pos >= text.size() || text[pos] != 'S') return std::nullopt;
    }
    if (pos >= text.size()) return std::nullopt;
    switch (text[pos++]) {
      case 'H':
        v.hour = number;
        break;
      case 'M':
        v.minute = number;
        break;
      case 'S':
        v.second = number;
        v.fraction = fraction;
        break;
      default:
        return std::nullopt;
    }
    any = true;
  }
  if (!any || v.hour > 23 || v.minute > 59 || v.second > 59) return std::nullopt;
  return v;
}

DateTime toUtc(const DateTime& value) {
  if (value.offsetMinutes == 0) {
    DateTime utc = value;
    utc.hasOffset = true;
    return utc;
  }
  const std::int64_t minutes = daysFromCivil(value.year, value.month, value.day) * 1440 +
                               value.hour * 60 + value.minute - value.offsetMinutes;
  std::int64_t days = minutes / 1440;
  std::int64_t rest = minutes % 1440;
  if (rest < 0) {
    rest += 1440;
    --days;
  }
  DateTime utc = value;
  civilFromDays(days, utc.year, utc.month, utc.day);
  utc.hour = static_cast<int>(rest / 60);
  utc.minute = static_cast<int>(rest % 60);
  utc.offsetMinutes = 0;
  utc.hasOffset = true;
  return utc;
}

std::int64_t toEpochMillis(const DateTime& value) {
  const DateTime utc = toUtc(value);
  int millis = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    millis = millis * 10 + (i < utc.fraction.size() ? utc.fraction[i] - '0' : 0);
  }
  return ((daysFromCivil(utc.year, utc.month, utc.day) * 24 + utc.hour) * 60 + utc.minute) * 60000 +
         utc.second * 1000 + millis;
}

std::string formatDate(const DateTime& value) {
  char buffer[16];
  char* at = digits(buffer, value.year, value.year > 9999 ? 5 : 4);
  *at++ = '-';
  at = digits(at, value.month, 2);
  *at++ = '-';
  at = digits(at, value.day, 2);
  return std::string(buffer, at);
}

std::string formatTime(const DateTime& value) {
  char buffer[16];
  char* at = digits(buffer, value.hour, 2);
  *at++ = ':';
  at = digits(at, value.minute, 2);
  *at++ = ':';
  at = digits(at, value.second, 2);
  return std::string(buffer, at) + fractionSuffix(value);
}

std::string formatIsoLocal(const DateTime& value) {
  const DateTime utc = toUtc(value);
  return formatDate(utc) + "T" + formatTime(utc);
}

std::string formatIsoUtc(const DateTime& value) { return formatIsoLocal(value) + "Z"; }

std::string formatTimeDuration(const DateTime& value) {
  return "PT" + std::to_string(value.hour) + "H" + std::to_string(value.minute) + "M" +
         std::to_string(value.second) + fractionSuffix(value) + "S";
}

}  // namespace broker::odata
