#include "broker/engine/instance.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "broker/core/error.h"
#include "broker/core/log.h"
#include "broker/edm/edmx_loader.h"
#include "broker/odata/authenticating_transport.h"

namespace broker::engine {

std::shared_ptr<odata::HttpTransport> transportFor(const config::ServiceKeys& keys,
                                                   const config::AuthSettings& auth,
                                                   const ConnectionContext& context) {
  odata::TransportOptions options;
  options.timeout = keys.requestTimeout;
  options.maxResponseBytes = context.maxResponseBytes;
  options.maxDownloadBytes = context.maxDownloadBytes;
  options.maxInflationRatio = context.maxInflationRatio;
  if (keys.proxyUrl) {
    if (*keys.proxyUrl != "direct") {
      options.proxy.http = config::parseProxyUrl(*keys.proxyUrl, "service key 'proxyUrl'");
      options.proxy.https = options.proxy.http;
    }
  } else {
    options.proxy = context.proxy;
  }
  for (std::optional<config::ProxyUrl>* proxy : {&options.proxy.http, &options.proxy.https}) {
    if (*proxy && !auth.proxyUsername.empty()) {
      (*proxy)->username = auth.proxyUsername;
      (*proxy)->password = auth.proxyPassword;
    }
  }
  options.verifyTls = !auth.skipTlsVerification;
  options.caBundlePath = auth.caBundleFile;
  if (auth.skipTlsVerification) {
    core::log(core::LogLevel::kWarning,
              "TLS VERIFICATION IS OFF for " + keys.serviceUrl +
                  " (auth.skipTlsVerification): any server can pose as this service");
  }
  if (keys.certificateSearchValue) {
    auth::CertificateSearch search;
    search.storeName = keys.certificateStoreName;
    search.storeLocation = keys.certificateStoreLocation;
    search.method = keys.certificateSearchMethod;
    search.value = *keys.certificateSearchValue;
    search.passphrase = auth.certificateKeyPassphrase;
    const auth::ClientCertificate certificate =
        auth::findClientCertificate(search, context.certificates);
    options.clientCertificatePem = certificate.certificatePem;
    options.clientKeyPem = certificate.privateKeyPem;
    core::log(core::LogLevel::kInfo, "client certificate for " + keys.serviceUrl + ": " +
                                         certificate.subject + " (" + certificate.thumbprint + ")");
  }
  std::shared_ptr<odata::HttpTransport> transport = odata::makeHttpTransport(options);
  if (auth.mode == config::AuthMode::kNone) return transport;
  return odata::authenticate(
      transport,
      auth::makeCredentialProvider(auth, context.serviceAccount, odata::tokenPoster(transport)));
}

namespace {

// The document and where it came from (`source`: the URL or file).
std::string fetchMetadataFrom(const config::ServiceKeys& keys,
                              std::shared_ptr<odata::HttpTransport> transport,
                              const std::string& callerAuthorization, std::string& source) {
  const std::optional<std::string>& override = keys.metadataUrlOrFilePath;
  const bool url =
      override && (override->starts_with("http://") || override->starts_with("https://"));
  if (override && !url) {
    // A regular file within the loader's limit, checked before reading (a device such as
    // /dev/zero, or a file of gigabytes, is never read into memory).
    const std::size_t limit = edm::LoadOptions{}.maxDocumentBytes;
    const auto refuse = [&override](const std::string& why) {
      return core::Error(core::ErrorCode::kInvalidArgument,
                         "metadataUrlOrFilePath: the file '" + *override + "' " + why);
    };
    std::error_code error;
    if (!std::filesystem::is_regular_file(*override, error)) {
      throw refuse(error || !std::filesystem::exists(*override, error) ? "cannot be read"
                                                                       : "is not a regular file");
    }
    const auto size = std::filesystem::file_size(*override, error);
    if (error) throw refuse("cannot be read");
    if (size > limit) {
      throw refuse("is " + std::to_string(size) + " bytes; metadata documents may have at most " +
                   std::to_string(limit));
    }
    source = *override;
    std::ifstream file(*override, std::ios::binary);
    std::string text(static_cast<std::size_t>(size), '\0');
    if (!file.read(text.data(), static_cast<std::streamsize>(size))) throw refuse("cannot be read");
    return text;
  }
  // A client of its own: the version is not known before the metadata is read.
  odata::ODataClient client(keys, edm::ODataVersion::kV4, std::move(transport));
  odata::Call call;
  call.url = url ? *override : client.resolve("$metadata");
  call.configuredUrl = url;
  call.headers = {{"Accept", "application/xml"}};
  call.protocolHeaders = false;
  call.callerAuthorization = callerAuthorization;
  source = call.url;
  try {
    return client.send(call).body;
  } catch (const core::Error& e) {
    // Whatever status the service answered (404 included), it is the service that failed;
    // a URL that cannot be used stays bad input.
    const bool answered =
        std::any_of(e.details().begin(), e.details().end(),
                    [](const std::string& d) { return d.starts_with("upstream status"); });
    const core::ErrorCode code = answered ? core::ErrorCode::kUpstreamFailure : e.code();
    throw core::Error(code, "metadata from " + call.url + ": " + e.message(), e.details());
  }
}

}  // namespace

std::string fetchMetadata(const config::ServiceKeys& keys,
                          std::shared_ptr<odata::HttpTransport> transport,
                          const std::string& callerAuthorization) {
  std::string source;
  return fetchMetadataFrom(keys, std::move(transport), callerAuthorization, source);
}

std::shared_ptr<const Instance> openInstance(std::string name, const config::ServiceKeys& keys,
                                             std::string metadata,
                                             std::shared_ptr<odata::HttpTransport> transport) {
  auto model = edm::EdmxLoader::load(metadata);
  auto instance = std::make_shared<Instance>();
  instance->name = std::move(name);
  instance->catalog = serviceobjects::Catalog::build(model, keys);
  instance->client =
      std::make_shared<odata::ODataClient>(keys, model->version, std::move(transport));
  instance->metadata = std::move(metadata);
  return instance;
}

std::shared_ptr<const Instance> openInstance(std::string name, const config::ServiceKeys& keys,
                                             std::shared_ptr<odata::HttpTransport> transport,
                                             const std::string& callerAuthorization) {
  std::string source;
  std::string metadata = fetchMetadataFrom(keys, transport, callerAuthorization, source);
  try {
    return openInstance(std::move(name), keys, std::move(metadata), std::move(transport));
  } catch (const core::Error& e) {
    // Name where the document came from: a service URL that answers with a web page gets
    // "metadata from …/$metadata: malformed XML …", not the parser's words alone.
    if (e.code() != core::ErrorCode::kInvalidArgument) throw;
    throw core::Error(e.code(), "metadata from " + source + ": " + e.message(), e.details());
  }
}

std::shared_ptr<const Instance> openInstance(std::string name, const config::ServiceKeys& keys) {
  return openInstance(std::move(name), keys, transportFor(keys));
}

}  // namespace broker::engine
