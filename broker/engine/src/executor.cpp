#include "broker/engine/executor.h"

#include "calls.h"
#include "entity_call.h"
#include "object_type_call.h"
#include "operation_call.h"

namespace broker::engine {
namespace internal {

std::unique_ptr<MethodCall> openCall(const Instance& instance, const CallRequest& request,
                                     CallStats& stats) {
  const so::ServiceObject* object = instance.catalog->find(request.object);
  if (object == nullptr) {
    throw Error(ErrorCode::kNotFound,
                "instance '" + instance.name + "' has no service object '" + request.object + "'");
  }
  const so::Method* method = object->findMethod(request.method);
  if (method == nullptr) {
    throw Error(ErrorCode::kNotFound,
                "'" + object->name + "' has no method '" + request.method + "'");
  }
  switch (object->folder) {
    case so::Folder::kOperations:
      return operationCall(instance, *object, *method, request, stats);
    case so::Folder::kObjectTypes:
      return objectTypeCall(instance, *object, *method, request, stats);
    default:
      return std::make_unique<EntityCall>(instance, *object, *method, request, stats);
  }
}

}  // namespace internal

CallResult execute(const Instance& instance, const CallRequest& request, RowSink& sink,
                   CallStats* stats) {
  CallStats unused;
  return internal::openCall(instance, request, stats ? *stats : unused)->run(sink);
}

}  // namespace broker::engine
