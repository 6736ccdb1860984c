// Xerces is initialized once per process, by whichever reader comes first.
#pragma once

namespace broker::edm::internal {

/// Throws core::Error(kInternal) when Xerces cannot be initialized.
void initializeXerces();

}  // namespace broker::edm::internal
