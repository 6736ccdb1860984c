// Xerces SAX2 events → ModelBuilder calls.
#include "edmx_sax_handler.h"

#include <string_view>
#include <xercesc/sax/Locator.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/Attributes.hpp>

#include "broker/core/error.h"

namespace broker::edm::internal {

namespace {

std::u16string_view view(const XMLCh* text) {
  return text == nullptr ? std::u16string_view() : std::u16string_view(text);
}

std::string utf8(const XMLCh* text) {
  std::string out;
  appendUtf8(out, view(text));
  return out;
}

bool belongsToEdmx(ElementId id) {
  return id == ElementId::kEdmx || id == ElementId::kDataServices || id == ElementId::kReference ||
         id == ElementId::kInclude;
}

}  // namespace

SourcePosition EdmxSaxHandler::position() const {
  if (locator_ == nullptr) return {};
  return {static_cast<std::uint32_t>(locator_->getLineNumber()),
          static_cast<std::uint32_t>(locator_->getColumnNumber())};
}

XmlNamespace EdmxSaxHandler::namespaceOf(const XMLCh* uri) {
  for (const auto& [pointer, ns] : namespaces_) {
    if (pointer == uri) return ns;
  }
  const XmlNamespace ns = classifyNamespace(view(uri));
  namespaces_.emplace_back(uri, ns);
  return ns;
}

void EdmxSaxHandler::readAttributes(const xercesc::Attributes& attributes) {
  attributes_.clear();
  const XMLSize_t count = attributes.getLength();
  for (XMLSize_t i = 0; i < count; ++i) {
    AttrId id{};
    if (attributeFromName(namespaceOf(attributes.getURI(i)), view(attributes.getLocalName(i)),
                          id)) {
      attributes_.setRaw(id, view(attributes.getValue(i)));
    }
  }
}

void EdmxSaxHandler::startElement(const XMLCh* uri, const XMLCh* localName, const XMLCh* qName,
                                  const xercesc::Attributes& attributes) {
  if (open_.size() + skipDepth_ >= maxDepth_) {
    failAt(position(), "elements nest deeper than " + std::to_string(maxDepth_) + " levels");
  }
  if (skipDepth_ > 0) {
    ++skipDepth_;
    return;
  }
  const XmlNamespace ns = namespaceOf(uri);
  const std::u16string_view name = view(localName);
  if (!sawRoot_) {
    sawRoot_ = true;
    if (!isEdmx(ns) || name != u"Edmx") {
      failAt(position(), "the root element must be edmx:Edmx, not '" + utf8(qName) + "'");
    }
  }
  ElementId id = ElementId::kUnknown;
  if (isEdmx(ns) || isCsdl(ns)) {
    id = elementFromName(name);
    if (id != ElementId::kUnknown && belongsToEdmx(id) != isEdmx(ns)) id = ElementId::kUnknown;
  }
  if (id == ElementId::kUnknown) {
    ++skipDepth_;
    return;
  }
  readAttributes(attributes);
  const ElementContext context{open_.empty() ? ElementId::kNone : open_.back(), ns, position()};
  if (builder_.start(id, attributes_, context) == Flow::kSkip) {
    ++skipDepth_;
    return;
  }
  open_.push_back(id);
}

void EdmxSaxHandler::endElement(const XMLCh*, const XMLCh*, const XMLCh*) {
  if (skipDepth_ > 0) {
    --skipDepth_;
    return;
  }
  const ElementId id = open_.back();
  open_.pop_back();
  builder_.end(id);
}

void EdmxSaxHandler::characters(const XMLCh* chars, XMLSize_t length) {
  if (skipDepth_ > 0 || !builder_.wantsText()) return;
  text_.clear();
  appendUtf8(text_, std::u16string_view(chars, length));
  builder_.text(text_);
}

void EdmxSaxHandler::startDTD(const XMLCh*, const XMLCh*, const XMLCh*) {
  failAt(position(),
         "DOCTYPE declarations are not allowed in metadata (DTDs and entities are refused)");
}

xercesc::InputSource* EdmxSaxHandler::resolveEntity(const XMLCh*, const XMLCh* systemId) {
  failAt(position(), "external entity '" + utf8(systemId) + "' refused");
}

void EdmxSaxHandler::error(const xercesc::SAXParseException& e) { fatalError(e); }

void EdmxSaxHandler::fatalError(const xercesc::SAXParseException& e) {
  throw core::Error(core::ErrorCode::kInvalidArgument,
                    "malformed XML at line " + std::to_string(e.getLineNumber()) + ", column " +
                        std::to_string(e.getColumnNumber()) + ": " + utf8(e.getMessage()));
}

}  // namespace broker::edm::internal
