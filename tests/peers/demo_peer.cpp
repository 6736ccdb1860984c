#include "demo_peer.h"

namespace broker::testing {

DemoPeer::DemoPeer(const PeerOptions& options)
    : process_(
          {.name = "the demo service",
           .directory = sourceDir() / "samples" / "demo-service",
           .arguments = {"node_modules/@sap/cds/bin/serve.js"},
           .readyVariable = "DEMO_READY_FILE",
           .environment = {
               {"DEMO_MIDDLEWARE", (sourceDir() / "tests" / "peers" / "middleware.js").string()},
               {"PEER_FEATURES", options.features},
               {"DEMO_PRODUCT_COUNT", std::to_string(options.productCount)},
           }}) {}

LinksPeer::LinksPeer()
    : process_({.name = "the links service",
                .directory = sourceDir() / "tests" / "peers" / "links-service",
                .arguments = {"server.js"},
                .readyVariable = "LINKS_READY_FILE"}) {}

CapturePeer::CapturePeer(const std::filesystem::path& metadataFile, int keepAliveMs)
    : process_({.name = "the capture server",
                .directory = sourceDir() / "tests" / "peers",
                .arguments = {"capture-server.js"},
                .readyVariable = "CAPTURE_READY_FILE",
                .environment = {{"CAPTURE_METADATA", metadataFile.string()},
                                {"CAPTURE_KEEP_ALIVE_MS",
                                 keepAliveMs > 0 ? std::to_string(keepAliveMs) : ""}}}) {}

HostilePeer::HostilePeer()
    : process_({.name = "the hostile service",
                .directory = sourceDir() / "tests" / "peers",
                .arguments = {"hostile-service.js"},
                .readyVariable = "HOSTILE_READY_FILE"}) {}

OAuthPeer::OAuthPeer(const std::string& clientSecret, int tokenLifetime)
    : process_({.name = "the OAuth server",
                .directory = sourceDir() / "tests" / "peers" / "oauth-server",
                .arguments = {"server.js"},
                .readyVariable = "OAUTH_READY_FILE",
                .environment = {{"OAUTH_CLIENT_SECRET", clientSecret},
                                {"OAUTH_TOKEN_LIFETIME", std::to_string(tokenLifetime)}}}) {}

}  // namespace broker::testing
