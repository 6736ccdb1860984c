#include "filter_binding.h"

#include "broker/core/error.h"
#include "broker/odata/literal.h"

namespace broker::engine {

namespace {

using core::Error;
using core::ErrorCode;
using odata::FilterOp;
namespace so = serviceobjects;

[[noreturn]] void invalid(const odata::Filter& node, const std::string& what) {
  throw Error(ErrorCode::kInvalidArgument, "filter " + node.where + ": " + what);
}

struct Resolved {
  std::string path;
  const edm::TypeRef* type = nullptr;
  bool navigation = false;
};

// An OData path through to-one navigation properties and complex properties, such as `Name`,
// `Supplier/ID` or `Supplier/Address/City`; `shown` is how the filter named it.
Resolved resolvePath(std::string_view path, const std::string& shown, const odata::Filter& node,
                     const so::ServiceObject& object, const edm::StructuredType& type) {
  const edm::StructuredType* current = &type;
  std::string_view rest = path;
  bool navigation = false;
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    const edm::NavigationProperty* nav =
        slash == std::string_view::npos ? nullptr : current->findNavigationProperty(segment);
    if (nav == nullptr) break;
    if (nav->type.collection || nav->type.definition == nullptr) {
      invalid(node,
              "'" + shown + "' goes through the to-many navigation '" + std::string(segment) + "'");
    }
    current = static_cast<const edm::StructuredType*>(nav->type.definition);
    navigation = true;
    rest.remove_prefix(slash + 1);
  }
  const edm::Property* property = current->findPropertyPath(rest);
  if (property == nullptr) invalid(node, "'" + object.name + "' has no property '" + shown + "'");
  return {std::string(path), &property->type, navigation};
}

// An SO property name (`Name`, `Supplier_ID`) or else an OData path.
Resolved resolve(const odata::FilterOperand& operand, const odata::Filter& node,
                 const so::ServiceObject& object, const edm::StructuredType& type) {
  if (const so::Property* p = object.findProperty(operand.name)) {
    if (p->role != so::PropertyRole::kData && p->role != so::PropertyRole::kNavigationKey) {
      invalid(node, "'" + operand.name + "' cannot be filtered on");
    }
    return resolvePath(p->source, operand.name, node, object, type);
  }
  return resolvePath(operand.name, operand.name, node, object, type);
}

bool filterable(const edm::TypeRef& type) {
  if (type.collection) return false;
  if (type.kind == edm::TypeKind::kEnum) return true;
  if (type.kind != edm::TypeKind::kPrimitive && type.kind != edm::TypeKind::kTypeDefinition) {
    return false;
  }
  switch (type.primitive) {
    case edm::PrimitiveKind::kStream:
    case edm::PrimitiveKind::kBinary:
    case edm::PrimitiveKind::kNone:
      return false;
    default:
      return type.primitive < edm::PrimitiveKind::kGeography;
  }
}

void bindNode(odata::Filter& node, const so::ServiceObject& object, const edm::StructuredType& type,
              edm::ODataVersion version, odata::FieldMap* fields) {
  for (odata::Filter& child : node.children) bindNode(child, object, type, version, fields);
  const odata::FilterOperand* subject = nullptr;
  for (odata::FilterOperand& operand : node.operands) {
    if (!operand.property) continue;
    const Resolved resolved = resolve(operand, node, object, type);
    if (!filterable(*resolved.type)) {
      invalid(node, "'" + operand.name + "' (" + resolved.type->qualifiedName() +
                        ") cannot be filtered on");
    }
    operand.path = resolved.path;
    operand.type = *resolved.type;
    operand.bound = true;
    operand.slot = kNoSlot;
    if (fields != nullptr && !resolved.navigation) {
      const auto existing = fields->find(resolved.path);
      operand.slot = existing ? *existing : fields->add(resolved.path, *resolved.type);
    }
    if (subject == nullptr) subject = &operand;
  }
  const bool text = node.op == FilterOp::kStartsWith || node.op == FilterOp::kEndsWith ||
                    node.op == FilterOp::kContains;
  for (odata::FilterOperand& operand : node.operands) {
    if (operand.property) {
      if (text && operand.type.primitive != edm::PrimitiveKind::kString) {
        invalid(node, "'" + operand.name + "' is not text");
      }
      continue;
    }
    if (operand.value.isNull() && node.op != FilterOp::kEquals && node.op != FilterOp::kNotEquals) {
      invalid(node, "compare with null using equals, notEquals, isNull or isNotNull");
    }
    operand.type = subject->type;
    operand.bound = true;
    if (!operand.value.isNull())
      odata::formatLiteral(operand.type, version, operand.value, "filter " + node.where);
  }
}

bool evaluable(const odata::Filter& node) {
  for (const odata::FilterOperand& operand : node.operands) {
    if (operand.property && operand.slot == kNoSlot) return false;
  }
  for (const odata::Filter& child : node.children) {
    if (!evaluable(child)) return false;
  }
  return true;
}

}  // namespace

odata::Filter bindFilterTo(std::string_view json, const so::ServiceObject& object,
                           const edm::StructuredType& type, edm::ODataVersion version,
                           odata::FieldMap* fields) {
  odata::Filter filter = odata::parseFilter(json);
  bindNode(filter, object, type, version, fields);
  return filter;
}

bool evaluableByBroker(const odata::Filter& filter) { return evaluable(filter); }

}  // namespace broker::engine
