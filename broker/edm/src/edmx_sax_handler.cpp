// Xerces events → ModelBuilder calls.
#include "edmx_sax_handler.h"

#include <string_view>
#include <xercesc/framework/XMLAttr.hpp>
#include <xercesc/framework/XMLElementDecl.hpp>
#include <xercesc/sax/Locator.hpp>
#include <xercesc/sax/SAXParseException.hpp>

#include "annotation_collector.h"
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

// URI ids are small indexes into the reader's pool; a larger one is classified every time.
constexpr unsigned int kCachedUriIds = 64;

// Events per batch: some ten kilobytes of records, well inside the L2 cache.
constexpr std::size_t kBatchEvents = 512;

}  // namespace

EdmxSaxHandler::EdmxSaxHandler(ModelBuilder& builder, std::size_t maxDepth)
    : builder_(builder), maxDepth_(maxDepth) {
  events_.reserve(kBatchEvents + 1);
  recordedAttributes_.reserve(4 * kBatchEvents);
  text_.reserve(32 * kBatchEvents);
}

void EdmxSaxHandler::attach(xercesc::SAX2XMLReader& reader) {
  reader_ = &reader;
  reader.installAdvDocHandler(this);
}

void EdmxSaxHandler::setDocumentLocator(const xercesc::Locator* locator) {
  locator_ = locator;
  // From here on the element events come only through the advanced handler.
  if (reader_ != nullptr) reader_->setContentHandler(nullptr);
}

SourcePosition EdmxSaxHandler::position() const {
  if (locator_ == nullptr) return {};
  return {static_cast<std::uint32_t>(locator_->getLineNumber()),
          static_cast<std::uint32_t>(locator_->getColumnNumber())};
}

XmlNamespace EdmxSaxHandler::namespaceOf(unsigned int uriId) {
  if (uriId >= kCachedUriIds) return classifyNamespace(view(reader_->getURIText(uriId)));
  if (uriId >= namespaces_.size()) namespaces_.resize(uriId + 1);
  std::optional<XmlNamespace>& ns = namespaces_[uriId];
  if (!ns) ns = classifyNamespace(view(reader_->getURIText(uriId)));
  return *ns;
}

bool EdmxSaxHandler::isRead(const xercesc::XMLAttr& attribute, AttrId& id) {
  return attributeFromName(namespaceOf(attribute.getURIId()), attribute.getName(), id);
}

void EdmxSaxHandler::recordAttributes(const xercesc::RefVectorOf<xercesc::XMLAttr>& attributes,
                                      XMLSize_t count) {
  for (XMLSize_t i = 0; i < count; ++i) {
    const xercesc::XMLAttr* attribute = attributes.elementAt(i);
    AttrId id{};
    if (!isRead(*attribute, id)) continue;
    const std::size_t offset = text_.size();
    appendUtf8(text_, attribute->getValue());
    recordedAttributes_.push_back({id, static_cast<std::uint32_t>(offset),
                                   static_cast<std::uint32_t>(text_.size() - offset)});
  }
}

bool EdmxSaxHandler::mayKeepAnnotation(const xercesc::RefVectorOf<xercesc::XMLAttr>& attributes,
                                       XMLSize_t count) {
  for (XMLSize_t i = 0; i < count; ++i) {
    const xercesc::XMLAttr* attribute = attributes.elementAt(i);
    AttrId id{};
    if (isRead(*attribute, id) && id == AttrId::kTerm) {
      term_.clear();
      appendUtf8(term_, attribute->getValue());
      return mayBeKeptTerm(term_);
    }
  }
  return true;  // no term: left to the builder
}

void EdmxSaxHandler::startElement(const xercesc::XMLElementDecl& element, unsigned int uriId,
                                  const XMLCh*,
                                  const xercesc::RefVectorOf<xercesc::XMLAttr>& attributes,
                                  XMLSize_t attributeCount, bool isEmpty, bool) {
  start(element, uriId, attributes, attributeCount);
  // An empty element gets no endElement event.
  if (isEmpty) end();
}

void EdmxSaxHandler::start(const xercesc::XMLElementDecl& element, unsigned int uriId,
                           const xercesc::RefVectorOf<xercesc::XMLAttr>& attributes,
                           XMLSize_t attributeCount) {
  if (recordedOpen_.size() + unknownDepth_ >= maxDepth_) {
    failAt(position(), "elements nest deeper than " + std::to_string(maxDepth_) + " levels");
  }
  if (unknownDepth_ > 0) {
    ++unknownDepth_;
    return;
  }
  const XmlNamespace ns = namespaceOf(uriId);
  const XMLCh* name = element.getElementName()->getLocalPart();
  if (!sawRoot_) {
    sawRoot_ = true;
    if (!isEdmx(ns) || view(name) != u"Edmx") {
      failAt(position(),
             "the root element must be edmx:Edmx, not '" + utf8(element.getFullName()) + "'");
    }
  }
  ElementId id = ElementId::kUnknown;
  if (isEdmx(ns) || isCsdl(ns)) {
    id = elementFromName(name);
    if (id != ElementId::kUnknown && belongsToEdmx(id) != isEdmx(ns)) id = ElementId::kUnknown;
  }
  if (id == ElementId::kUnknown ||
      (id == ElementId::kAnnotation && !mayKeepAnnotation(attributes, attributeCount))) {
    ++unknownDepth_;
    return;
  }
  const auto first = static_cast<std::uint32_t>(recordedAttributes_.size());
  recordAttributes(attributes, attributeCount);
  events_.push_back({EventKind::kStart, id, ns, position(), first,
                     static_cast<std::uint32_t>(recordedAttributes_.size()) - first});
  recordedOpen_.push_back(id);
}

void EdmxSaxHandler::endElement(const xercesc::XMLElementDecl&, unsigned int, bool, const XMLCh*) {
  end();
}

void EdmxSaxHandler::end() {
  if (unknownDepth_ > 0) {
    --unknownDepth_;
    return;
  }
  recordedOpen_.pop_back();
  events_.push_back({EventKind::kEnd, ElementId::kNone, XmlNamespace::kNone, {}, 0, 0});
  if (events_.size() >= kBatchEvents) flush();
}

void EdmxSaxHandler::docCharacters(const XMLCh* chars, XMLSize_t length, bool) {
  if (unknownDepth_ > 0 || recordedOpen_.empty() || !carriesText(recordedOpen_.back())) return;
  const std::size_t offset = text_.size();
  appendUtf8(text_, std::u16string_view(chars, length));
  events_.push_back({EventKind::kText,
                     ElementId::kNone,
                     XmlNamespace::kNone,
                     {},
                     static_cast<std::uint32_t>(offset),
                     static_cast<std::uint32_t>(text_.size() - offset)});
}

void EdmxSaxHandler::flush() {
  const std::string_view text = text_;
  for (const Event& event : events_) {
    switch (event.kind) {
      case EventKind::kStart: {
        if (skippedDepth_ > 0) {
          ++skippedDepth_;
          break;
        }
        attributes_.clear();
        for (std::uint32_t i = event.first; i < event.first + event.count; ++i) {
          const RecordedAttribute& a = recordedAttributes_[i];
          attributes_.set(a.id, text.substr(a.offset, a.length));
        }
        const ElementContext context{entered_.empty() ? ElementId::kNone : entered_.back(),
                                     event.ns, event.position};
        if (builder_.start(event.id, attributes_, context) == Flow::kSkip) {
          skippedDepth_ = 1;
        } else {
          entered_.push_back(event.id);
        }
        break;
      }
      case EventKind::kEnd:
        if (skippedDepth_ > 0) {
          --skippedDepth_;
        } else {
          const ElementId id = entered_.back();
          entered_.pop_back();
          builder_.end(id);
        }
        break;
      case EventKind::kText:
        if (skippedDepth_ == 0 && builder_.wantsText()) {
          builder_.text(text.substr(event.first, event.count));
        }
        break;
    }
  }
  events_.clear();
  recordedAttributes_.clear();
  text_.clear();
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
  flush();  // a model error earlier in the document is reported first
  throw core::Error(core::ErrorCode::kInvalidArgument,
                    "malformed XML at line " + std::to_string(e.getLineNumber()) + ", column " +
                        std::to_string(e.getColumnNumber()) + ": " + utf8(e.getMessage()));
}

}  // namespace broker::edm::internal
