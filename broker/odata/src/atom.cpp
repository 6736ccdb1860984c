#include "atom.h"

#include <charconv>
#include <memory>

#include "broker/core/error.h"
#include "broker/core/json_writer.h"
#include "broker/core/text.h"
#include "broker/edm/xml_reader.h"
#include "value_text.h"

namespace broker::odata::internal {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view kAtom = "http://www.w3.org/2005/Atom";
constexpr std::string_view kData = "http://schemas.microsoft.com/ado/2007/08/dataservices";
constexpr std::string_view kMeta = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata";
constexpr std::string_view kStreamRel =
    "http://schemas.microsoft.com/ado/2007/08/dataservices/mediaresource/";

std::string_view attribute(std::span<const edm::XmlAttribute> attributes, std::string_view ns,
                           std::string_view name) {
  for (const edm::XmlAttribute& a : attributes) {
    if (a.name == name && a.ns == ns) return a.value;
  }
  return {};
}

// A property's element as read: its text or its child elements (complex values, collections).
struct Node {
  std::string name;
  std::string type;  // m:type, as written
  bool null = false;
  std::string text;
  std::vector<std::unique_ptr<Node>> children;
};

class AtomReader final : public edm::XmlEvents {
 public:
  AtomReader(const FieldMap& fields, const ReadOptions& options,
             std::function<void(const Entry&)> onEntry)
      : fields_(fields), options_(options), onEntry_(std::move(onEntry)) {}

  std::string root;  // "feed" or "entry" once read
  FeedPage page;

  void start(std::string_view ns, std::string_view name,
             std::span<const edm::XmlAttribute> attributes) override {
    ++depth_;
    if (depth_ == 1) {
      root = name;
      if (ns != kAtom || (name != "feed" && name != "entry")) {
        throw Error(ErrorCode::kUpstreamFailure,
                    "the service's answer is neither JSON nor an Atom feed or entry (its root "
                    "element is <" +
                        std::string(name) + ">)");
      }
    }
    if (skipFrom_ != 0) return;
    if (ns == kMeta && name == "inline") {  // expanded entries: not this page's
      skipFrom_ = depth_;
      return;
    }
    if (property_ != nullptr) {  // inside a property: a member or an element
      auto child = std::make_unique<Node>();
      child->name = name;
      child->type = attribute(attributes, kMeta, "type");
      child->null = attribute(attributes, kMeta, "null") == "true";
      Node* raw = child.get();
      nodes_.back()->children.push_back(std::move(child));
      nodes_.push_back(raw);
      return;
    }
    if (ns == kAtom && name == "entry" && entryDepth_ == 0) {
      entryDepth_ = depth_;
      entry_.values.assign(fields_.size(), Value::null());
      entry_.etag = attribute(attributes, kMeta, "etag");
      entry_.editLink.clear();
      entry_.mediaReadLink.clear();
      entry_.mediaContentType.clear();
      entry_.streams.clear();
      unmappable_.reset();
      return;
    }
    const bool inEntry = entryDepth_ != 0;
    if (ns == kAtom && name == "link") {
      const std::string_view rel = attribute(attributes, "", "rel");
      const std::string_view href = attribute(attributes, "", "href");
      if (!inEntry && depth_ == 2 && rel == "next") page.nextLink = href;
      if (inEntry && depth_ == entryDepth_ + 1) {
        if (rel == "edit") entry_.editLink = href;
        if (rel.starts_with(kStreamRel)) {
          entry_.streams.push_back({std::string(rel.substr(kStreamRel.size())), std::string(href),
                                    std::string(attribute(attributes, "", "type"))});
        }
      }
      return;
    }
    if (inEntry && ns == kAtom && name == "content") {
      if (const std::string_view src = attribute(attributes, "", "src"); !src.empty()) {
        entry_.mediaReadLink = src;
        entry_.mediaContentType = attribute(attributes, "", "type");
      }
      return;
    }
    if (inEntry && ns == kMeta && name == "properties") {
      propertiesDepth_ = depth_;
      return;
    }
    if (propertiesDepth_ != 0 && depth_ == propertiesDepth_ + 1 && ns == kData) {
      property_ = std::make_unique<Node>();
      property_->name = name;
      property_->type = attribute(attributes, kMeta, "type");
      property_->null = attribute(attributes, kMeta, "null") == "true";
      nodes_ = {property_.get()};
      return;
    }
    if (!inEntry && ns == kMeta && name == "count") counting_ = true;
  }

  void text(std::string_view text) override {
    if (skipFrom_ != 0) return;
    if (!nodes_.empty()) nodes_.back()->text += text;
    if (counting_) count_ += text;
  }

  void end(std::string_view ns, std::string_view name) override {
    const std::size_t depth = depth_--;
    if (skipFrom_ != 0) {
      if (depth == skipFrom_) skipFrom_ = 0;
      return;
    }
    if (property_ != nullptr) {
      nodes_.pop_back();
      if (nodes_.empty()) {
        finishProperty(*property_);
        property_.reset();
      }
      return;
    }
    if (counting_ && ns == kMeta && name == "count") {
      counting_ = false;
      std::int64_t n = 0;
      const std::string_view digits = core::trim(count_);
      if (std::from_chars(digits.data(), digits.data() + digits.size(), n).ec == std::errc()) {
        page.count = n;
      }
      count_.clear();
    }
    if (depth == propertiesDepth_) propertiesDepth_ = 0;
    if (depth == entryDepth_) {
      entryDepth_ = 0;
      ++page.entries;
      if (finishEntry(entry_, fields_, options_,
                      unmappable_ ? &unmappable_->description : nullptr)) {
        onEntry_(entry_);
      }
    }
  }

 private:
  // Which EDM type an m:type names, for values inside complex values: primitives only.
  static edm::TypeRef typeNamed(std::string_view name) {
    edm::TypeRef type;
    type.primitive = edm::primitiveKindFromName(name);
    if (type.primitive == edm::PrimitiveKind::kNone) type.primitive = edm::PrimitiveKind::kString;
    return type;
  }

  Value primitive(const edm::TypeRef& type, const Node& node, std::string_view member) {
    const bool string =
        type.kind == edm::TypeKind::kPrimitive && type.primitive == edm::PrimitiveKind::kString;
    const std::string_view text = string ? std::string_view(node.text) : core::trim(node.text);
    Value value;
    if (primitiveValue(type, text, TextKind::kXmlText, options_.version, value)) return value;
    return unfit(type, member, text);
  }

  Value unfit(const edm::TypeRef& type, std::string_view member, std::string_view text) {
    std::string description = describeUnfit(type, member, text);
    if (options_.problems != nullptr) {
      options_.problems->push_back("the service sent " + description + "; it is null here");
    } else if (!options_.ignoreUnmappable && !unmappable_) {
      unmappable_ = Unmappable{std::move(description)};
    }
    return Value::null();
  }

  // A complex value or a collection's element as JSON: members by their m:type, else text.
  void writeNode(const Node& node, core::JsonWriter& out) {
    if (node.null) {
      out.null();
    } else if (!node.children.empty()) {
      const bool array = node.children.front()->name == "element";
      array ? out.beginArray() : out.beginObject();
      for (const auto& child : node.children) {
        if (!array) out.key(child->name);
        writeNode(*child, out);
      }
      array ? out.endArray() : out.endObject();
    } else {
      writeValue(primitive(typeNamed(node.type), node, node.name), out);
    }
  }

  void finishProperty(const Node& node) {
    const std::optional<std::size_t> index = fields_.find(node.name);
    if (!index) return;
    const edm::TypeRef& type = fields_[*index].type;
    Value& out = entry_.values[*index];
    if (node.null) {
      out = Value::null();
    } else if (type.collection) {
      edm::TypeRef element = type;
      element.collection = false;
      const bool primitives =
          element.kind == edm::TypeKind::kPrimitive || element.kind == edm::TypeKind::kEnum;
      std::string json;
      core::JsonWriter writer(json);
      writer.beginArray();
      for (const auto& child : node.children) {
        if (primitives && child->children.empty() && !child->null) {
          writeValue(primitive(element, *child, node.name), writer);
        } else {
          writeNode(*child, writer);
        }
      }
      writer.endArray();
      out = Value::json(json);
    } else if (type.kind == edm::TypeKind::kComplex || type.kind == edm::TypeKind::kEntity) {
      std::string json;
      core::JsonWriter writer(json);
      writer.beginObject();
      for (const auto& child : node.children) {
        writer.key(child->name);
        writeNode(*child, writer);
      }
      writer.endObject();
      out = Value::json(json);
    } else {
      out = primitive(type, node, node.name);
    }
  }

  const FieldMap& fields_;
  const ReadOptions& options_;
  std::function<void(const Entry&)> onEntry_;
  std::size_t depth_ = 0;
  std::size_t skipFrom_ = 0;
  std::size_t entryDepth_ = 0;
  std::size_t propertiesDepth_ = 0;
  bool counting_ = false;
  std::string count_;
  Entry entry_;
  std::optional<Unmappable> unmappable_;
  std::unique_ptr<Node> property_;
  std::vector<Node*> nodes_;
};

// Reads `body` into `reader`; XML that breaks before its root element is named as what it is.
void readDocument(std::string_view body, AtomReader& reader) {
  try {
    edm::readXml(body, reader);
  } catch (const Error& e) {
    if (!reader.root.empty()) throw;
    throw Error(
        ErrorCode::kUpstreamFailure,
        "the service's answer is neither JSON nor an Atom feed or entry (" + e.message() + ")");
  }
}

}  // namespace

bool looksLikeXml(std::string_view body) noexcept {
  const std::size_t first = body.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string_view::npos && body[first] == '<';
}

FeedPage readAtomFeed(std::string_view body, const FieldMap& fields, const ReadOptions& options,
                      const std::function<void(const Entry&)>& onEntry) {
  AtomReader reader(fields, options, onEntry);
  readDocument(body, reader);
  if (reader.root != "feed") {
    throw Error(ErrorCode::kUpstreamFailure,
                "the service answered with one Atom entry where a feed was expected");
  }
  return reader.page;
}

std::optional<Entry> readAtomEntry(std::string_view body, const FieldMap& fields,
                                   const ReadOptions& options) {
  std::optional<Entry> read;
  AtomReader reader(fields, options, [&entry = read](const Entry& e) { entry = e; });
  readDocument(body, reader);
  if (reader.root != "entry") {
    throw Error(ErrorCode::kUpstreamFailure,
                "the service answered with a collection where one entity was expected");
  }
  return read;
}

}  // namespace broker::odata::internal
