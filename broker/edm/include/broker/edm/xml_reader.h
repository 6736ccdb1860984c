// XML documents other than metadata (Atom payloads) read with the loader's secure settings:
// no DOCTYPE, no entities, nothing fetched, depth bounded. Events carry UTF-8 views that are
// valid during the call only.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace broker::edm {

struct XmlAttribute {
  std::string_view ns;  ///< namespace URI; empty for an unqualified attribute
  std::string_view name;
  std::string_view value;
};

class XmlEvents {
 public:
  virtual ~XmlEvents() = default;
  virtual void start(std::string_view ns, std::string_view name,
                     std::span<const XmlAttribute> attributes) = 0;
  /// Character data (in parts: several calls may make one text).
  virtual void text(std::string_view text) = 0;
  virtual void end(std::string_view ns, std::string_view name) = 0;
};

/// Reads `document`, calling `events`. Throws core::Error(kUpstreamFailure) "malformed XML at
/// line L, column C: …" for what is not well-formed, a DOCTYPE, or elements nested deeper than
/// `maxDepth`; exceptions thrown by `events` pass through.
void readXml(std::string_view document, XmlEvents& events, std::size_t maxDepth = 100);

}  // namespace broker::edm
