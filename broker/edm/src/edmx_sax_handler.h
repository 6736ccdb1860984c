// The Xerces SAX2 adapter of the loader: turns Xerces events (UTF-16 names, attributes,
// locator positions) into ModelBuilder calls, enforces the depth limit, refuses DTDs and
// external entities, and translates parse errors into core::Error. Xerces types stay here.
#pragma once

#include <cstddef>
#include <string>
#include <vector>
#include <xercesc/sax2/DefaultHandler.hpp>

#include "model_builder.h"
#include "vocabulary.h"

namespace broker::edm::internal {

class EdmxSaxHandler : public xercesc::DefaultHandler {
 public:
  EdmxSaxHandler(ModelBuilder& builder, std::size_t maxDepth)
      : builder_(builder), maxDepth_(maxDepth) {}

  void setDocumentLocator(const xercesc::Locator* locator) override { locator_ = locator; }
  void startElement(const XMLCh* uri, const XMLCh* localName, const XMLCh* qName,
                    const xercesc::Attributes& attributes) override;
  void endElement(const XMLCh* uri, const XMLCh* localName, const XMLCh* qName) override;
  void characters(const XMLCh* chars, XMLSize_t length) override;

  void startDTD(const XMLCh* name, const XMLCh* publicId, const XMLCh* systemId) override;
  xercesc::InputSource* resolveEntity(const XMLCh* publicId, const XMLCh* systemId) override;

  void warning(const xercesc::SAXParseException&) override {}
  void error(const xercesc::SAXParseException& e) override;
  void fatalError(const xercesc::SAXParseException& e) override;

  /// True once the root element has been seen.
  bool sawRoot() const noexcept { return sawRoot_; }

 private:
  SourcePosition position() const;
  XmlNamespace namespaceOf(const XMLCh* uri);
  void readAttributes(const xercesc::Attributes& attributes);

  ModelBuilder& builder_;
  std::size_t maxDepth_;
  const xercesc::Locator* locator_ = nullptr;
  bool sawRoot_ = false;
  std::size_t skipDepth_ = 0;  // > 0 while inside a skipped subtree
  std::vector<ElementId> open_;
  Attributes attributes_;
  std::string text_;
  // Xerces hands out the same pointer for every occurrence of a namespace URI.
  std::vector<std::pair<const XMLCh*, XmlNamespace>> namespaces_;
};

}  // namespace broker::edm::internal
