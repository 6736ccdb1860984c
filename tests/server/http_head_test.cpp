// The strict request-head parser: what it accepts, and each framing a lenient parser would
// guess at, refused with its status.
#include "http_head.h"

#include <gtest/gtest.h>

#include <string>

namespace broker::server {
namespace {

RequestHead parse(const std::string& text) { return parseHead(text, HeadLimits{}); }

int statusOf(const std::string& text) {
  try {
    parse(text);
  } catch (const ProtocolError& e) {
    return e.status();
  }
  return 0;
}

TEST(HttpHead, ReadsRequestLineFieldsAndFraming) {
  const RequestHead head = parse(
      "POST /api/v1/instances?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 12\r\n"
      "X-Thing:  spaced value \t\r\n\r\n");
  EXPECT_EQ(head.method, "POST");
  EXPECT_EQ(head.target, "/api/v1/instances?x=1");
  EXPECT_EQ(head.minorVersion, 1);
  EXPECT_EQ(head.framing, BodyFraming::kLength);
  EXPECT_EQ(head.contentLength, 12u);
  EXPECT_TRUE(head.keepAlive);
  ASSERT_EQ(head.fields.size(), 3u);
  EXPECT_EQ(head.fields[2].second, "spaced value");
}

struct Accepted {
  const char* name;
  std::string head;
  BodyFraming framing;
  std::uint64_t length;
  bool keepAlive;
};

TEST(HttpHead, AcceptsWhatRfc9112Allows) {
  const Accepted cases[] = {
      {"no body", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", BodyFraming::kNone, 0, true},
      {"bare LF lines", "GET / HTTP/1.1\nHost: a\n\n", BodyFraming::kNone, 0, true},
      {"zero length", "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", BodyFraming::kNone, 0, true},
      {"repeated equal lengths",
       "POST / HTTP/1.1\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\n", BodyFraming::kLength,
       5, true},
      {"chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n", BodyFraming::kChunked, 0,
       true},
      {"close", "GET / HTTP/1.1\r\nConnection: close\r\n\r\n", BodyFraming::kNone, 0, false},
      {"HTTP/1.0", "GET / HTTP/1.0\r\n\r\n", BodyFraming::kNone, 0, false},
      {"HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
       BodyFraming::kNone, 0, true},
  };
  for (const Accepted& c : cases) {
    SCOPED_TRACE(c.name);
    const RequestHead head = parse(c.head);
    EXPECT_EQ(head.framing, c.framing);
    EXPECT_EQ(head.contentLength, c.length);
    EXPECT_EQ(head.keepAlive, c.keepAlive);
  }
}

struct Refused {
  const char* name;
  std::string head;
  int status;
};

TEST(HttpHead, RefusesAmbiguousOrMalformedHeads) {
  const Refused cases[] = {
      {"negative length", "POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400},
      {"exponent length", "POST / HTTP/1.1\r\nContent-Length: 1e23\r\n\r\n", 400},
      {"huge length", "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", 400},
      {"empty length", "POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", 400},
      {"conflicting list", "POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n", 400},
      {"conflicting fields", "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
       400},
      {"length and chunked",
       "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"chunked not last", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400},
      {"chunked twice",
       "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
       "Transfer-Encoding: chunked\r\n\r\n",
       400},
      {"unknown coding", "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"identity only", "POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n", 400},
      {"chunked in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"folded line", "GET / HTTP/1.1\r\nX-A: b\r\n c\r\n\r\n", 400},
      {"space before colon", "GET / HTTP/1.1\r\nContent-Length : 5\r\n\r\n", 400},
      {"no colon", "GET / HTTP/1.1\r\nHost\r\n\r\n", 400},
      {"bare CR", "GET / HTTP/1.1\r\nX-A: b\rc\r\n\r\n", 400},
      {"NUL in a value", std::string("GET / HTTP/1.1\r\nX-A: b\0c\r\n\r\n", 28), 400},
      {"two hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"double space", "GET  / HTTP/1.1\r\n\r\n", 400},
      {"no version", "GET /\r\n\r\n", 400},
      {"lower-case version", "GET / http/1.1\r\n\r\n", 400},
      {"HTTP/2", "GET / HTTP/2.0\r\n\r\n", 505},
      {"method with a slash", "G/T / HTTP/1.1\r\n\r\n", 400},
      {"unknown expectation", "POST / HTTP/1.1\r\nExpect: 200-ok\r\n\r\n", 417},
  };
  for (const Refused& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(statusOf(c.head), c.status);
  }
}

TEST(HttpHead, CountsFields) {
  std::string head = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 101; ++i) head += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(statusOf(head + "\r\n"), 431);
}

TEST(HttpHead, FindsTheEndOfAHeadArrivingInPieces) {
  const HeadLimits limits;
  const std::string head = "GET / HTTP/1.1\r\nHost: a\r\n\r\nNEXT";
  std::size_t scanned = 0;
  for (std::size_t size = 0; size < head.size() - 4; ++size) {
    EXPECT_EQ(findHeadEnd(std::string_view(head).substr(0, size), scanned, limits), 0u) << size;
  }
  EXPECT_EQ(findHeadEnd(head, scanned, limits), head.size() - 4);
}

TEST(HttpHead, LimitsTheHeadWhileItArrives) {
  HeadLimits limits;
  limits.maxBytes = 1024;
  std::size_t scanned = 0;
  const std::string longLine = "GET /" + std::string(2000, 'a');
  try {
    findHeadEnd(longLine, scanned, limits);
    FAIL() << "no error";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.status(), 414);
    EXPECT_NE(e.message().find("maxHeaderBytes"), std::string::npos);
  }
  scanned = 0;
  const std::string manyFields = "GET / HTTP/1.1\r\n" + std::string(2000, 'x');
  try {
    findHeadEnd(manyFields, scanned, limits);
    FAIL() << "no error";
  } catch (const ProtocolError& e) {
    EXPECT_EQ(e.status(), 431);
  }
}

TEST(HttpHead, ParsesChunkSizes) {
  EXPECT_EQ(parseChunkSize("1a"), 26u);
  EXPECT_EQ(parseChunkSize("1A;name=value"), 26u);
  EXPECT_EQ(parseChunkSize("0"), 0u);
  EXPECT_EQ(parseChunkSize("10 ;ext"), 16u);
  for (const char* bad : {"", "g", "-1", "1 x", "0x10", "1000000000000000"}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW(parseChunkSize(bad), ProtocolError);
  }
}

}  // namespace
}  // namespace broker::server
