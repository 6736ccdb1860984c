// A registered service instance ready to be called: its name, catalog and OData client.
// Immutable once opened; a refresh opens a new one and swaps it in (calls in flight keep
// the one they started with through their shared_ptr).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "auth/certificate_store.h"
#include "auth/credentials.h"
#include "broker/odata/client.h"
#include "broker/odata/http.h"
#include "config/instance.h"
#include "config/service_keys.h"
#include "serviceobjects/catalog.h"

namespace broker::engine {

struct Instance {
  std::string name;
  std::string metadata;  ///< the $metadata document the catalog was built from
  std::shared_ptr<const serviceobjects::Catalog> catalog;
  std::shared_ptr<odata::ODataClient> client;
};

/// What the broker brings to every instance's connections: its own credentials (mode
/// serviceAccount) and where the client-certificate stores are.
struct ConnectionContext {
  auth::ServiceAccount serviceAccount{};
  auth::CertificateLocations certificates{};
  std::uint64_t maxResponseBytes = std::uint64_t{64} << 20;  ///< see odata::TransportOptions
  std::uint64_t maxDownloadBytes = std::uint64_t{4} << 30;
  std::uint64_t maxInflationRatio = 100;
  config::ProxySettings proxy{};  ///< the broker's proxies, for instances without a proxyUrl
};

/// The transport for an instance's requests (metadata and calls alike): its keys'
/// requestTimeoutSeconds; its proxyUrl, else the broker's proxies (with auth.proxyUsername and
/// auth.proxyPassword when given); TLS verified unless auth.skipTlsVerification (logged),
/// with auth.caBundleFile trusted too; the client certificate its certificate* keys find; its
/// auth mode's credentials on every request. Throws core::Error(kInvalidArgument) naming what
/// is wrong (a certificate not found, expired or untrusted, a mode that cannot be applied).
std::shared_ptr<odata::HttpTransport> transportFor(const config::ServiceKeys& keys,
                                                   const config::AuthSettings& auth = {},
                                                   const ConnectionContext& context = {});

/// The $metadata document of an instance: from `metadataUrlOrFilePath` (a URL or a local
/// file) when set, else `<serviceUrl>/$metadata`, fetched with the instance's default headers
/// and credentials (`callerAuthorization`: the caller's own, for the modes that forward it).
/// Throws core::Error: kInvalidArgument for an unreadable file, upstream errors as the client
/// maps them.
std::string fetchMetadata(const config::ServiceKeys& keys,
                          std::shared_ptr<odata::HttpTransport> transport,
                          const std::string& callerAuthorization = {});

/// Builds an instance from a metadata document already at hand (a stored copy, a file).
/// Throws core::Error(kInvalidArgument) naming the problem when the metadata does not load.
std::shared_ptr<const Instance> openInstance(std::string name, const config::ServiceKeys& keys,
                                             std::string metadata,
                                             std::shared_ptr<odata::HttpTransport> transport);

/// Fetches the metadata and builds the instance.
std::shared_ptr<const Instance> openInstance(std::string name, const config::ServiceKeys& keys,
                                             std::shared_ptr<odata::HttpTransport> transport,
                                             const std::string& callerAuthorization = {});

/// The same on a transport of its own, with the keys' requestTimeoutSeconds.
std::shared_ptr<const Instance> openInstance(std::string name, const config::ServiceKeys& keys);

}  // namespace broker::engine
