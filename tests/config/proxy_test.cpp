// Proxy URLs and noProxy lists as the settings, the environment and the proxyUrl key give them.
#include "config/proxy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "broker/core/error.h"
#include "config/service_keys.h"
#include "config/settings.h"

namespace config {
namespace {

using ::testing::HasSubstr;

std::string errorOf(std::string_view url) {
  try {
    parseProxyUrl(url, "setting 'httpsProxy'");
  } catch (const broker::core::Error& e) {
    return e.message();
  }
  return "";
}

TEST(ProxyTest, ParsesProxyUrls) {
  const ProxyUrl full = parseProxyUrl("http://us%40er:p%3Ass@proxy.corp:8080/", "x");
  EXPECT_EQ(full.host, "proxy.corp");
  EXPECT_EQ(full.port, 8080);
  EXPECT_EQ(full.username, "us@er");
  EXPECT_EQ(full.password, "p:ss");
  EXPECT_EQ(full.display(), "http://proxy.corp:8080");  // never the credentials
  EXPECT_EQ(parseProxyUrl("proxy.corp", "x").port, 3128);
  EXPECT_EQ(parseProxyUrl("http://[::1]:3128", "x").display(), "http://[::1]:3128");
  EXPECT_THAT(errorOf("https://proxy:443"), HasSubstr("uses https://"));
  EXPECT_THAT(errorOf("socks5://proxy:1080"), HasSubstr("scheme other than http://"));
  EXPECT_THAT(errorOf("http://proxy:99999"), HasSubstr("port that is not 1 to 65535"));
  EXPECT_THAT(errorOf("http://proxy:3128/path"), HasSubstr("has a path"));
  EXPECT_THAT(errorOf("http://:3128"), HasSubstr("has no host"));
  EXPECT_THAT(errorOf("http://u:%zz@proxy"), HasSubstr("malformed %-escape"));
  EXPECT_THAT(errorOf("http://proxy:x"), HasSubstr("setting 'httpsProxy'"));
}

TEST(ProxyTest, NoProxyMatchesHostsDomainsAndPorts) {
  const std::string list = "localhost, .internal.example,corp.example 10.0.0.7,svc.example:8443";
  EXPECT_TRUE(bypassesProxy(list, "LOCALHOST", 80));
  EXPECT_TRUE(bypassesProxy(list, "a.b.internal.example", 443));
  EXPECT_TRUE(bypassesProxy(list, "internal.example", 443));
  EXPECT_TRUE(bypassesProxy(list, "corp.example", 443));
  EXPECT_TRUE(bypassesProxy(list, "x.corp.example", 443));
  EXPECT_FALSE(bypassesProxy(list, "notcorp.example", 443));
  EXPECT_TRUE(bypassesProxy(list, "10.0.0.7", 80));
  EXPECT_TRUE(bypassesProxy(list, "svc.example", 8443));
  EXPECT_FALSE(bypassesProxy(list, "svc.example", 443));
  EXPECT_FALSE(bypassesProxy(list, "example.com", 80));
  EXPECT_TRUE(bypassesProxy("*", "anything", 1));
  EXPECT_FALSE(bypassesProxy("", "anything", 1));
}

TEST(ProxyTest, SettingsTakeTheEnvironmentAndTheFileOverridesIt) {
  ::setenv("https_proxy", "http://env-proxy:3128", 1);
  ::setenv("NO_PROXY", "localhost", 1);
  ::setenv("HTTP_PROXY", "http://ignored:1", 1);  // upper case: not taken for http (as curl)
  BrokerSettings settings = loadSettings(std::nullopt, {});
  ASSERT_TRUE(settings.proxy.https);
  EXPECT_EQ(settings.proxy.https->host, "env-proxy");
  EXPECT_FALSE(settings.proxy.http);
  EXPECT_EQ(settings.proxy.noProxy, "localhost");
  const std::vector<std::pair<std::string, std::string>> flags = {{"httpsProxy", ""}};
  EXPECT_FALSE(loadSettings(std::nullopt, flags).proxy.https);  // emptied: none
  ::setenv("https_proxy", "ftp://nope", 1);
  try {
    loadSettings(std::nullopt, {});
    ADD_FAILURE() << "a bad proxy in the environment was taken";
  } catch (const broker::core::Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("the environment (https_proxy)"));
  }
  ::unsetenv("https_proxy");
  ::unsetenv("NO_PROXY");
  ::unsetenv("HTTP_PROXY");
}

TEST(ProxyTest, TheProxyUrlKeyKeepsCredentialsOut) {
  const auto parse = [](const std::string& value) {
    const std::vector<std::pair<std::string, std::string>> keys = {{"serviceUrl", "http://svc/"},
                                                                   {"proxyUrl", value}};
    return ServiceKeys::parse(keys);
  };
  EXPECT_EQ(parse("direct").proxyUrl, "direct");
  EXPECT_EQ(parse("http://proxy:3128").proxyUrl, "http://proxy:3128");
  try {
    parse("http://user:secret@proxy:3128");
    ADD_FAILURE();
  } catch (const broker::core::Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("auth.proxyUsername"));
  }
}

}  // namespace
}  // namespace config
