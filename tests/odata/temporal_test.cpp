#include "broker/odata/temporal.h"

#include <gtest/gtest.h>

namespace broker::odata {
namespace {

TEST(TemporalTest, ParsesIsoDatesTimesAndOffsets) {
  auto v = parseIsoDateTime("2026-11-21T23:30:05.25+01:30");
  ASSERT_TRUE(v);
  EXPECT_EQ(formatIsoUtc(*v), "2026-11-21T22:00:05.25Z");
  EXPECT_EQ(formatIsoUtc(*parseIsoDateTime("2026-01-01T00:10:00-02:00")), "2026-01-01T02:10:00Z");
  EXPECT_EQ(formatIsoUtc(*parseIsoDateTime("2026-03-01T00:10:00+01:00")), "2026-02-28T23:10:00Z");
  EXPECT_EQ(formatDate(*parseIsoDateTime("2024-02-29")), "2024-02-29");
  EXPECT_EQ(formatTime(*parseIsoTime("07:05")), "07:05:00");
  for (const char* bad : {"2026-13-01", "2025-02-29", "2026-11-21T24:00", "2026-1-1", "21.11.2026",
                          "2026-11-21T10:00Zjunk", "2026-11-21T10:00+1"}) {
    EXPECT_FALSE(parseIsoDateTime(bad)) << bad;
  }
}

TEST(TemporalTest, ReadsAndWritesTheV2DateForm) {
  EXPECT_EQ(formatIsoUtc(*parseMicrosoftDate("/Date(1602115200000)/")), "2020-10-08T00:00:00Z");
  EXPECT_EQ(formatIsoUtc(*parseMicrosoftDate("/Date(1795261938998+0060)/")),
            "2026-11-21T11:52:18.998Z");  // the millis are UTC; the offset only annotates
  EXPECT_EQ(formatIsoUtc(*parseMicrosoftDate("/Date(-86400000)/")), "1969-12-31T00:00:00Z");
  EXPECT_FALSE(parseMicrosoftDate("/Date(abc)/"));
  EXPECT_FALSE(parseMicrosoftDate("Date(1)"));
  EXPECT_EQ(toEpochMillis(*parseIsoDateTime("2020-10-08T00:00:00.5Z")), 1602115200500);
  EXPECT_EQ(toEpochMillis(*parseIsoDateTime("1969-12-31")), -86400000);
}

TEST(TemporalTest, TimeDurations) {
  EXPECT_EQ(formatTime(*parseTimeDuration("PT11H30M5.5S")), "11:30:05.5");
  EXPECT_EQ(formatTime(*parseTimeDuration("PT45M")), "00:45:00");
  EXPECT_EQ(formatTimeDuration(*parseIsoTime("08:05:09")), "PT8H5M9S");
  EXPECT_FALSE(parseTimeDuration("P1D"));
  EXPECT_FALSE(parseTimeDuration("PT25H"));
}

}  // namespace
}  // namespace broker::odata
