// `describe --metadata FILE`: a readable summary of a metadata document's model.
#include "describe_command.h"

#include <ostream>
#include <string>

#include "broker/core/error.h"
#include "broker/edm/edmx_loader.h"

namespace broker::server {

namespace {

std::string keyOf(const edm::EntityType& type) {
  std::string key;
  for (const edm::PropertyRef& ref : type.key()) {
    if (!key.empty()) key += ", ";
    key += ref.name;
  }
  return key;
}

void printModel(const edm::Model& model, std::ostream& out) {
  out << "OData " << edm::toString(model.version) << ", " << model.schemas.size() << " schema(s)\n";
  const edm::EntityContainer* container = model.defaultContainer();
  if (container == nullptr) {
    out << "no entity container\n";
    return;
  }
  out << "container " << container->fullName << "\n";
  for (const edm::EntitySet& set : container->entitySets) {
    const edm::EntityType& type = set.type();
    out << "  " << (set.singleton ? "singleton  " : "entity set ") << set.name << " : "
        << type.fullName << " (key: " << keyOf(type) << "; " << type.allProperties().size()
        << " properties, " << type.allNavigationProperties().size() << " navigation"
        << (type.hasStream ? "; media" : "") << ")\n";
  }
  for (const edm::OperationImport& import : container->operationImports) {
    out << "  operation  " << import.name << " (" << import.overloads.size() << " overload"
        << (import.overloads.size() == 1 ? "" : "s") << ")\n";
  }
}

}  // namespace

int runDescribe(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  std::string_view metadata;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--metadata" && i + 1 < args.size()) {
      metadata = args[++i];
    } else {
      err << "describe: unknown argument '" << args[i] << "'\n";
      return 2;
    }
  }
  if (metadata.empty()) {
    err << "describe: --metadata FILE is required\n";
    return 2;
  }
  try {
    printModel(*edm::EdmxLoader::loadFile(std::string(metadata)), out);
    return 0;
  } catch (const core::Error& e) {
    err << "describe: " << e.message() << "\n";
    return 1;
  }
}

}  // namespace broker::server
