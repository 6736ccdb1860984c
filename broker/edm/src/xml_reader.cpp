#include "broker/edm/xml_reader.h"

#include <string>
#include <vector>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/sax/Locator.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/Attributes.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/XMLException.hpp>

#include "broker/core/error.h"
#include "secure_reader.h"
#include "vocabulary.h"
#include "xerces_init.h"

namespace broker::edm {
namespace {

using core::Error;
using core::ErrorCode;

std::string utf8(const XMLCh* text) {
  std::string out;
  if (text != nullptr) internal::appendUtf8(out, text);
  return out;
}

class Handler final : public xercesc::DefaultHandler {
 public:
  Handler(XmlEvents& events, std::size_t maxDepth) : events_(events), maxDepth_(maxDepth) {}

  void setDocumentLocator(const xercesc::Locator* locator) override { locator_ = locator; }

  void startElement(const XMLCh* uri, const XMLCh* localname, const XMLCh*,
                    const xercesc::Attributes& attributes) override {
    if (++depth_ > maxDepth_) fail("elements nested deeper than " + std::to_string(maxDepth_));
    const std::string ns = utf8(uri);
    const std::string name = utf8(localname);
    strings_.clear();
    strings_.reserve(attributes.getLength() * 3);
    for (XMLSize_t i = 0; i < attributes.getLength(); ++i) {
      strings_.push_back(utf8(attributes.getURI(i)));
      strings_.push_back(utf8(attributes.getLocalName(i)));
      strings_.push_back(utf8(attributes.getValue(i)));
    }
    attributes_.clear();
    for (std::size_t i = 0; i + 2 < strings_.size(); i += 3) {
      attributes_.push_back({strings_[i], strings_[i + 1], strings_[i + 2]});
    }
    events_.start(ns, name, attributes_);
  }

  void endElement(const XMLCh* uri, const XMLCh* localname, const XMLCh*) override {
    --depth_;
    events_.end(utf8(uri), utf8(localname));
  }

  void characters(const XMLCh* chars, const XMLSize_t length) override {
    text_.clear();
    internal::appendUtf8(text_, std::u16string_view(chars, length));
    events_.text(text_);
  }

  void startDTD(const XMLCh*, const XMLCh*, const XMLCh*) override {
    fail("a DOCTYPE declaration, which is refused (DTDs and entities)");
  }
  xercesc::InputSource* resolveEntity(const XMLCh*, const XMLCh* systemId) override {
    fail("an external entity '" + utf8(systemId) + "', which is refused");
  }
  void warning(const xercesc::SAXParseException&) override {}
  void error(const xercesc::SAXParseException& e) override { fatalError(e); }
  void fatalError(const xercesc::SAXParseException& e) override {
    throw Error(ErrorCode::kUpstreamFailure,
                "malformed XML at line " + std::to_string(e.getLineNumber()) + ", column " +
                    std::to_string(e.getColumnNumber()) + ": " + utf8(e.getMessage()));
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    const auto line = locator_ != nullptr ? locator_->getLineNumber() : 0;
    const auto column = locator_ != nullptr ? locator_->getColumnNumber() : 0;
    throw Error(ErrorCode::kUpstreamFailure, "malformed XML at line " + std::to_string(line) +
                                                 ", column " + std::to_string(column) + ": " +
                                                 what);
  }

  XmlEvents& events_;
  std::size_t maxDepth_;
  std::size_t depth_ = 0;
  const xercesc::Locator* locator_ = nullptr;
  std::vector<std::string> strings_;
  std::vector<XmlAttribute> attributes_;
  std::string text_;
};

}  // namespace

void readXml(std::string_view document, XmlEvents& events, std::size_t maxDepth) {
  internal::initializeXerces();
  Handler handler(events, maxDepth);
  xercesc::SecurityManager security;
  auto reader = internal::makeSecureReader(handler, security);
  xercesc::MemBufInputSource source(reinterpret_cast<const XMLByte*>(document.data()),
                                    document.size(), "payload", false);
  try {
    reader->parse(source);
  } catch (const xercesc::XMLException& e) {
    throw Error(ErrorCode::kUpstreamFailure, "malformed XML: " + utf8(e.getMessage()));
  } catch (const xercesc::OutOfMemoryException&) {
    throw Error(ErrorCode::kUpstreamFailure, "an XML answer exhausted the parser's memory");
  }
}

}  // namespace broker::edm
