// Authentication as a decorator of the HTTP transport: before each request the instance's
// credential provider gives the Authorization header; after a 401 the provider may renew its
// credentials (an OAuth token) and the request is sent once more. Token requests go through the
// undecorated transport.
#pragma once

#include <memory>

#include "auth/credentials.h"
#include "broker/odata/http.h"

namespace broker::odata {

/// `inner` with credentials from `provider` on every request.
std::shared_ptr<HttpTransport> authenticate(std::shared_ptr<HttpTransport> inner,
                                            std::shared_ptr<auth::CredentialProvider> provider);

/// A token poster (auth::TokenPoster) that sends through `transport`.
auth::TokenPoster tokenPoster(std::shared_ptr<HttpTransport> transport);

}  // namespace broker::odata
