// The JSON form of service objects and catalogs, as the REST API and `describe --json` show it.
#pragma once

#include <string>

#include "broker/core/json_writer.h"
#include "serviceobjects/catalog.h"

namespace serviceobjects {

/// {"name", "folder", "description", "properties": [...], "methods": [...]}.
void writeJson(broker::core::JsonWriter& json, const ServiceObject& object);

/// {"odataVersion", "objects": [...]}, indented by `indent` spaces (0: compact).
std::string toJson(const Catalog& catalog, int indent = 2);

}  // namespace serviceobjects
