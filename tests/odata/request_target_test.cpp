// URLs as the transport reads them, and redirect locations as it resolves them.
#include "request_target.h"

#include <gtest/gtest.h>

#include "broker/odata/http.h"

namespace broker::odata {
namespace {

TEST(RequestTargetTest, ReadsSchemeHostPortAndPath) {
  struct Case {
    const char* url;
    bool https;
    const char* host;
    int port;
    const char* origin;
    const char* path;
  };
  const Case cases[] = {
      {"http://Example.COM/svc/Items?$top=1", false, "Example.COM", 80, "http://example.com:80",
       "/svc/Items?$top=1"},
      {"https://h:8443", true, "h", 8443, "https://h:8443", "/"},
      {"http://h?sap-client=100", false, "h", 80, "http://h:80", "/?sap-client=100"},
      {"http://[::1]:9/a#frag", false, "::1", 9, "http://[::1]:9", "/a"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url);
    const Target target = parseTarget(c.url);
    EXPECT_EQ(target.https, c.https);
    EXPECT_EQ(target.host, c.host);
    EXPECT_EQ(target.port, c.port);
    EXPECT_EQ(target.origin, c.origin);
    EXPECT_EQ(target.path, c.path);
  }
  for (const char* bad : {"ftp://h/", "http://", "http://u:p@h/", "http://h:0/", "http://h:65536/",
                          "http://h:8x/", "http://[::1/", "//h/x"}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW(parseTarget(bad), TransportError);
  }
}

TEST(RequestTargetTest, ResolvesRedirectLocations) {
  const Target target = parseTarget("https://h/svc/v1/Items?$top=1");
  EXPECT_EQ(resolveLocation(target, "http://other/x"), "http://other/x");
  EXPECT_EQ(resolveLocation(target, "//other/x"), "https://other/x");
  EXPECT_EQ(resolveLocation(target, "/root"), "https://h:443/root");
  EXPECT_EQ(resolveLocation(target, " Products "), "https://h:443/svc/v1/Products");
}

}  // namespace
}  // namespace broker::odata
