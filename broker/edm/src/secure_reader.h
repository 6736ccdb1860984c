// The Xerces SAX2 reader settings of the loader: namespaces on; no validation, schemas, external
// DTDs or default entity resolution; an entity expansion limit. Shared with the benchmark so
// its baseline scan parses exactly as the loader does.
#pragma once

#include <memory>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/util/SecurityManager.hpp>

namespace broker::edm::internal {

/// A reader with the loader's settings whose content, error, lexical and entity handler is
/// `handler`. `security` must outlive the reader. Xerces must be initialized.
std::unique_ptr<xercesc::SAX2XMLReader> makeSecureReader(xercesc::DefaultHandler& handler,
                                                         xercesc::SecurityManager& security);

}  // namespace broker::edm::internal
