// The TLS client context of one transport (POCO NetSSL over OpenSSL): peers verified against
// the system's CAs and the instance's CA bundle, host names checked (also for localhost), TLS
// 1.2 or newer, and the client certificate presented when there is one. Kept in src/: no POCO
// type crosses a public header.
#pragma once

#include <Poco/Net/Context.h>

#include "broker/odata/http.h"

namespace broker::odata {

/// Builds the context for `options`. Throws core::Error(kInvalidArgument) naming the setting
/// when the CA bundle, the certificate or its key cannot be read or do not belong together.
Poco::Net::Context::Ptr makeTlsContext(const TransportOptions& options);

}  // namespace broker::odata
