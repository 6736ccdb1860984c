// The Xerces adapter of the loader: turns Xerces events (UTF-16 names, attributes, locator
// positions) into ModelBuilder calls, enforces the depth limit, refuses DTDs and external
// entities, and translates parse errors into core::Error. Xerces types stay here.
//
// Element events arrive through the SAX2 reader's advanced document handler
// (XMLDocumentHandler): names come with their namespace as a number and attributes as Xerces'
// own records, so no namespace URI is looked up per element or attribute and the reader skips
// its translation into SAX2 ContentHandler calls. The SAX2 handler interfaces serve errors,
// DTD and entity refusal, and the Locator; the ContentHandler is detached once the Locator is
// known.
//
// The elements the loader knows are recorded in a small batch (ids, positions, the attributes
// it reads as UTF-8) and handed to the builder a batch at a time. Calling the builder per
// element made its code and Xerces' evict each other from the instruction cache; a batch is
// bounded, so the pass stays a stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <xercesc/framework/XMLDocumentHandler.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>

#include "model_builder.h"
#include "vocabulary.h"

namespace broker::edm::internal {

class EdmxSaxHandler final : public xercesc::DefaultHandler, public xercesc::XMLDocumentHandler {
 public:
  EdmxSaxHandler(ModelBuilder& builder, std::size_t maxDepth);

  /// Installs the handler on a reader made by makeSecureReader(*this, …).
  void attach(xercesc::SAX2XMLReader& reader);

  /// True once the root element has been seen.
  bool sawRoot() const noexcept { return sawRoot_; }

  // SAX2: the Locator, DTD and entity refusal, errors.
  void setDocumentLocator(const xercesc::Locator* locator) override;
  void startDTD(const XMLCh* name, const XMLCh* publicId, const XMLCh* systemId) override;
  xercesc::InputSource* resolveEntity(const XMLCh* publicId, const XMLCh* systemId) override;
  void warning(const xercesc::SAXParseException&) override {}
  void error(const xercesc::SAXParseException& e) override;
  void fatalError(const xercesc::SAXParseException& e) override;

  // Advanced document handler: the element events. The SAX2 ones of the same names stay the
  // DefaultHandler's (no-ops: the reader delivers elements through this interface only).
  using xercesc::DefaultHandler::endElement;
  using xercesc::DefaultHandler::ignorableWhitespace;
  using xercesc::DefaultHandler::startElement;
  void startElement(const xercesc::XMLElementDecl& element, unsigned int uriId, const XMLCh* prefix,
                    const xercesc::RefVectorOf<xercesc::XMLAttr>& attributes,
                    XMLSize_t attributeCount, bool isEmpty, bool isRoot) override;
  void endElement(const xercesc::XMLElementDecl& element, unsigned int uriId, bool isRoot,
                  const XMLCh* prefix) override;
  void docCharacters(const XMLCh* chars, XMLSize_t length, bool cdataSection) override;
  void startDocument() override {}
  void endDocument() override { flush(); }
  void resetDocument() override {}
  void docComment(const XMLCh*) override {}
  void docPI(const XMLCh*, const XMLCh*) override {}
  void ignorableWhitespace(const XMLCh*, XMLSize_t, bool) override {}
  void startEntityReference(const xercesc::XMLEntityDecl&) override {}
  void endEntityReference(const xercesc::XMLEntityDecl&) override {}
  void XMLDecl(const XMLCh*, const XMLCh*, const XMLCh*, const XMLCh*) override {}

 private:
  SourcePosition position() const;
  XmlNamespace namespaceOf(unsigned int uriId);
  void start(const xercesc::XMLElementDecl& element, unsigned int uriId,
             const xercesc::RefVectorOf<xercesc::XMLAttr>& attributes, XMLSize_t attributeCount);
  void end();
  /// True, with its id, for an attribute the loader reads.
  bool isRead(const xercesc::XMLAttr& attribute, AttrId& id);
  void recordAttributes(const xercesc::RefVectorOf<xercesc::XMLAttr>& attributes, XMLSize_t count);
  /// False for an Annotation whose term the loader never keeps: it is dropped here with its
  /// subtree, unrecorded. Such annotations are most of some documents.
  bool mayKeepAnnotation(const xercesc::RefVectorOf<xercesc::XMLAttr>& attributes, XMLSize_t count);
  /// Hands the recorded events to the builder and empties the batch.
  void flush();

  enum class EventKind : std::uint8_t { kStart, kEnd, kText };
  struct Event {
    EventKind kind = EventKind::kStart;
    ElementId id = ElementId::kNone;
    XmlNamespace ns = XmlNamespace::kNone;
    SourcePosition position;
    std::uint32_t first = 0;  // kStart: first of its attributes; kText: offset in text_
    std::uint32_t count = 0;  // kStart: number of attributes; kText: length
  };
  struct RecordedAttribute {
    AttrId id{};
    std::uint32_t offset = 0;  // in text_
    std::uint32_t length = 0;
  };

  ModelBuilder& builder_;
  std::size_t maxDepth_;
  xercesc::SAX2XMLReader* reader_ = nullptr;
  const xercesc::Locator* locator_ = nullptr;
  bool sawRoot_ = false;

  // Recording: the known elements open in the document, and the depth inside an unknown one.
  std::vector<ElementId> recordedOpen_;
  std::size_t unknownDepth_ = 0;
  std::vector<Event> events_;
  std::vector<RecordedAttribute> recordedAttributes_;
  std::string text_;  // UTF-8 of the batch's attribute values and text
  std::string term_;  // an Annotation's term, while deciding whether to record it

  // Replay: the elements the builder entered, and the depth inside one it skipped.
  std::vector<ElementId> entered_;
  std::size_t skippedDepth_ = 0;
  Attributes attributes_;

  // The namespace of each URI id of the reader's pool, classified on first sight.
  std::vector<std::optional<XmlNamespace>> namespaces_;
};

}  // namespace broker::edm::internal
