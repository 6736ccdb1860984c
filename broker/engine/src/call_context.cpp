#include "call_context.h"

#include <chrono>

#include "request_headers.h"
#include "serialized.h"

namespace broker::engine::internal {

CallContext::CallContext(const Instance& instance, const so::ServiceObject& object,
                         const so::Method& method, const CallRequest& request, CallStats& stats,
                         const edm::StructuredType* type)
    : client(*instance.client),
      stats(stats),
      object(object),
      method(method),
      request(request),
      version(client.version()),
      structured(type) {
  checkInputs();
}

bool CallContext::listing() const {
  return method.type == so::MethodType::kList || method.type == so::MethodType::kListWithoutContent;
}

const edm::StructuredType& CallContext::type() const {
  if (structured == nullptr) {
    throw Error(ErrorCode::kInternal, "'" + object.name + "' has no structured type");
  }
  return *structured;
}

void CallContext::checkInputs() {
  const bool lenient = client.keys().ignoreUnmappableProperties;
  for (const auto& [name, value] : request.inputs) {
    const so::Property* property = object.findProperty(name);
    // Deep insert: a navigation property's name takes the related entities inline.
    const edm::NavigationProperty* nav =
        property != nullptr || structured == nullptr || method.type != so::MethodType::kCreate
            ? nullptr
            : structured->findNavigationProperty(name);
    if (nav != nullptr) {
      if (value.kind != Value::Kind::kJson || value.text.empty() ||
          value.text.front() != (nav->type.collection ? '[' : '{')) {
        throw Error(ErrorCode::kInvalidArgument,
                    "input '" + name + "': the related " +
                        (nav->type.collection ? "entities go as an array of objects"
                                              : "entity goes as an object") +
                        " of their inputs (deep insert)");
      }
      deepInputs.emplace_back(nav, &value);
      continue;
    }
    if (property == nullptr || !contains(method.inputs, name)) {
      if (lenient) continue;
      throw Error(ErrorCode::kInvalidArgument,
                  property == nullptr
                      ? "'" + object.name + "' has no property '" + name + "'"
                      : "'" + name + "' is not an input of " + object.name + "." + method.name);
    }
    // A serialized item may come compressed; the engine works on its JSON.
    if (holdsSerializedItem(*property) && value.kind == Value::Kind::kString) {
      owned_.push_back(Value::json(decodeSerialized(value.text, "'" + name + "'")));
      inputs.emplace_back(property, &owned_.back());
    } else {
      inputs.emplace_back(property, &value);
    }
  }
  for (const std::string& required : method.required) {
    const Value* value = input(required);
    if (value == nullptr || value->isNull()) {
      throw Error(ErrorCode::kInvalidArgument,
                  object.name + "." + method.name + " needs a value for '" + required + "'");
    }
  }
  for (const std::string& name : request.returns) {
    if (!contains(method.returns, name)) {
      throw Error(ErrorCode::kInvalidArgument,
                  "'" + name + "' is not returned by " + object.name + "." + method.name);
    }
  }
}

const Value* CallContext::input(std::string_view name) const {
  for (const auto& [property, value] : inputs) {
    if (property->name == name) return value;
  }
  return nullptr;
}

const Value* CallContext::inputWithRole(Role role) const {
  for (const auto& [property, value] : inputs) {
    if (property->role == role) return value;
  }
  return nullptr;
}

void CallContext::addInput(const so::Property& property, Value value) {
  owned_.push_back(std::move(value));
  inputs.emplace_back(&property, &owned_.back());
}

const edm::Property& CallContext::edmProperty(const so::Property& property) const {
  const edm::Property* p = type().findPropertyPath(property.source);
  if (p == nullptr && property.role == Role::kNavigationKey) {
    const std::size_t slash = property.source.find('/');
    const edm::NavigationProperty* nav =
        type().findNavigationProperty(std::string_view(property.source).substr(0, slash));
    if (nav != nullptr && nav->type.definition != nullptr) {
      p = static_cast<const edm::StructuredType*>(nav->type.definition)
              ->findPropertyPath(property.source.substr(slash + 1));
    }
  }
  if (p == nullptr) {
    throw Error(ErrorCode::kInternal, "property '" + property.source + "' of '" + object.name +
                                          "' is not in the metadata");
  }
  return *p;
}

void CallContext::checkPath(std::string_view option, const std::string& path) const {
  if (type().findPropertyPath(path) == nullptr &&
      type().findNavigationProperty(path.substr(0, path.find('/'))) == nullptr) {
    throw Error(ErrorCode::kInvalidArgument, "Query Options: " + std::string(option) + ": '" +
                                                 object.name + "' has no property '" + path + "'");
  }
}

std::vector<odata::Header> CallContext::callHeaders() const {
  std::vector<odata::Header> headers;
  if (const Value* given = inputWithRole(Role::kRequestHeaders)) {
    headers = parseRequestHeaders(*given);
  }
  return headers;
}

std::vector<const so::Property*> CallContext::returned() const {
  std::vector<const so::Property*> out;
  for (const std::string& name : method.returns) {
    if (!request.returns.empty() && !contains(request.returns, name)) continue;
    const so::Property* p = object.findProperty(name);
    // Query Options $select narrows the data properties when the call names none.
    if (request.returns.empty() && !options.select.empty() && p->role == Role::kData &&
        !contains(options.select, p->source.substr(0, p->source.find('/')))) {
      continue;
    }
    out.push_back(p);
  }
  return out;
}

odata::ReadOptions CallContext::readOptions() const {
  return {version, client.keys().ignoreUnmappableProperties};
}

odata::ReadOptions CallContext::writtenReadOptions(CallResult& result) const {
  return {version, true, &result.warnings};
}

odata::HttpResponse CallContext::send(odata::Call call) {
  call.callerAuthorization = request.callerAuthorization;
  const auto start = std::chrono::steady_clock::now();
  struct Timer {
    CallStats& stats;
    std::chrono::steady_clock::time_point start;
    ~Timer() {
      stats.upstreamTime += std::chrono::steady_clock::now() - start;
      ++stats.upstreamRequests;
    }
  } timer{stats, start};
  odata::HttpResponse response = client.send(call);
  count(response);
  return response;
}

void CallContext::count(const odata::HttpResponse& response) {
  // Each answer is bounded by the transport as it is read; the call's answers together here.
  stats.upstreamBytes += response.body.size();
  if (stats.upstreamBytes > request.maxUpstreamBytes) {
    throw core::Error(core::ErrorCode::kUpstreamFailure,
                      "the service's answers to this call passed " +
                          std::to_string(request.maxUpstreamBytes) +
                          " bytes (setting maxUpstreamCallBytes)");
  }
}

}  // namespace broker::engine::internal
