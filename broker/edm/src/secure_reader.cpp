// The loader's Xerces SAX2 reader settings.
#include "secure_reader.h"

#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/XMLUni.hpp>

namespace broker::edm::internal {

std::unique_ptr<xercesc::SAX2XMLReader> makeSecureReader(xercesc::DefaultHandler& handler,
                                                         xercesc::SecurityManager& security) {
  using xercesc::XMLUni;
  std::unique_ptr<xercesc::SAX2XMLReader> reader(xercesc::XMLReaderFactory::createXMLReader());
  reader->setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
  reader->setFeature(XMLUni::fgSAX2CoreNameSpacePrefixes, false);
  reader->setFeature(XMLUni::fgSAX2CoreValidation, false);
  reader->setFeature(XMLUni::fgXercesSchema, false);
  reader->setFeature(XMLUni::fgXercesLoadSchema, false);
  reader->setFeature(XMLUni::fgXercesLoadExternalDTD, false);
  reader->setFeature(XMLUni::fgXercesSkipDTDValidation, true);
  reader->setFeature(XMLUni::fgXercesDisableDefaultEntityResolution, true);
  reader->setFeature(XMLUni::fgXercesIdentityConstraintChecking, false);
  // Defence in depth: the loader's handler refuses any DTD before an entity is declared.
  security.setEntityExpansionLimit(16);
  reader->setProperty(XMLUni::fgXercesSecurityManager, &security);
  reader->setContentHandler(&handler);
  reader->setErrorHandler(&handler);
  reader->setLexicalHandler(&handler);
  reader->setEntityResolver(&handler);
  return reader;
}

}  // namespace broker::edm::internal
