#include "expansion.h"

#include <algorithm>

#include "broker/core/error.h"
#include "broker/core/json_writer.h"

namespace broker::engine::internal {
namespace {

using core::Error;
using core::ErrorCode;
using edm::ODataVersion;
using odata::Value;
namespace so = serviceobjects;

void writeValue(core::JsonWriter& json, const Value& value) {
  switch (value.kind) {
    case Value::Kind::kNull:
      json.null();
      break;
    case Value::Kind::kString:
      json.value(value.text);
      break;
    default:
      json.raw(value.text);
      break;
  }
}

}  // namespace

Expansions::Expansions(const std::vector<std::string>& names, const edm::StructuredType& type,
                       const std::string& objectName, odata::FieldMap& fields) {
  for (const std::string& name : names) {
    const edm::NavigationProperty* nav = type.findNavigationProperty(name);
    if (nav == nullptr || nav->type.definition == nullptr) {
      throw Error(ErrorCode::kInvalidArgument,
                  "expand: '" + name + "' is not a navigation property of '" + objectName + "'");
    }
    if (std::any_of(navs_.begin(), navs_.end(), [&](const Nav& n) { return n.nav == nav; })) {
      throw Error(ErrorCode::kInvalidArgument, "expand: '" + name + "' is named twice");
    }
    Nav& expanded = navs_.emplace_back();
    expanded.nav = nav;
    expanded.field = fields.add(nav->name, nav->type);
    const auto& related = static_cast<const edm::StructuredType&>(*nav->type.definition);
    for (const edm::Property* p : related.allProperties()) {
      if (p->type.kind == edm::TypeKind::kPrimitive &&
          p->type.primitive == edm::PrimitiveKind::kStream) {
        continue;
      }
      expanded.related.add(p->name, p->type);
      if (!nav->type.collection) {
        so::Property& member = expanded.members.emplace_back();
        member.name = nav->name + "/" + p->name;
        member.source = member.name;
      }
    }
    if (nav->type.collection) {
      so::Property& member = expanded.members.emplace_back();
      member.name = nav->name;
      member.source = nav->name;
    }
  }
}

std::string Expansions::option() const {
  std::string out;
  for (const Nav& n : navs_) out += (out.empty() ? "" : ",") + n.nav->name;
  return out;
}

std::vector<std::string> Expansions::names() const {
  std::vector<std::string> out;
  for (const Nav& n : navs_) out.push_back(n.nav->name);
  return out;
}

void Expansions::append(const odata::Entry& entry, Row& row, std::size_t at,
                        const odata::ReadOptions& options, std::vector<std::string>& warnings) {
  std::size_t count = 0;
  for (const Nav& n : navs_) count += n.members.size();
  row.resize(at + count);
  for (Nav& n : navs_) {
    const Value& value = entry.values[n.field];
    const bool v4 = options.version >= ODataVersion::kV4;
    if (!n.nav->type.collection) {
      std::optional<odata::Entry> related;
      if (value.kind == Value::Kind::kJson) {
        // The related entity's members, converted by their types as a row's are.
        scratch_ = v4 ? value.text : "{\"d\":" + value.text + "}";
        related = odata::readEntity(scratch_, n.related, options);
      }
      for (std::size_t i = 0; i < n.members.size(); ++i) {
        row[at].first = &n.members[i];
        row[at].second = related ? related->values[i] : Value::null();
        ++at;
      }
      continue;
    }
    std::string items;
    if (value.kind == Value::Kind::kJson) {
      scratch_ = v4 || options.version == ODataVersion::kV3
                     ? "{\"value\":" + value.text + "}"
                     : "{\"d\":{\"results\":" + value.text + "}}";
      core::JsonWriter json(items);
      json.beginArray();
      odata::readFeed(scratch_, n.related, options, [&](const odata::Entry& item) {
        json.beginObject();
        for (std::size_t i = 0; i < n.related.size(); ++i) {
          json.key(n.related[i].name);
          writeValue(json, item.values[i]);
        }
        json.endObject();
      });
      json.endArray();
    }
    row[at].first = &n.members.front();
    row[at].second = items.empty() ? Value::null() : Value::json(items);
    ++at;
    if (!warnedPartial_ &&
        std::find(entry.partial.begin(), entry.partial.end(), n.nav->name) != entry.partial.end()) {
      warnedPartial_ = true;
      warnings.push_back("expand: the service sent only the first part of '" + n.nav->name +
                         "' for some rows (a next link inside the expansion, not followed)");
    }
  }
}

}  // namespace broker::engine::internal
