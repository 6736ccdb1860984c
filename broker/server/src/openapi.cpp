#include "openapi.h"

#include <algorithm>
#include <string_view>

#include "broker/core/json_writer.h"
#include "broker/core/text.h"
#include "serviceobjects/service_object.h"

namespace broker::server {
namespace {

namespace so = serviceobjects;
using core::JsonWriter;

// The JSON Schema of a value of `property` as the REST API reads and writes it (API.md §4:
// Int64 and Decimal as strings, dates ISO 8601, File objects, complex values as JSON).
void writeSchema(JsonWriter& json, const so::Property& property) {
  const std::string_view edm = property.edmType;
  json.beginObject();
  const auto type = [&](std::string_view name) { json.key("type").beginArray().value(name); };
  const auto endType = [&] {
    if (property.nullable && !property.key) json.value("null");
    json.endArray();
  };
  if (property.type == so::SoType::kFile) {
    json.key("$ref").value("#/components/schemas/File");
  } else if (edm.starts_with("Collection(") || property.type == so::SoType::kMemo) {
    // JSON as it is (a complex value or collection), or its compressed text.
    json.key("description").value("JSON (" + std::string(edm) + ")");
  } else if (edm == "Edm.Int32" || edm == "Edm.Int16" || edm == "Edm.Byte" || edm == "Edm.SByte") {
    type("integer");
    endType();
  } else if (edm == "Edm.Double" || edm == "Edm.Single") {
    type("number");
    endType();
  } else if (edm == "Edm.Boolean") {
    type("boolean");
    endType();
  } else {
    type("string");
    endType();
    if (edm == "Edm.Guid") json.key("format").value("uuid");
    if (edm == "Edm.Date") json.key("format").value("date");
    if (edm == "Edm.DateTimeOffset" || edm == "Edm.DateTime") {
      json.key("format").value("date-time");
    }
    if (edm == "Edm.Int64" || edm == "Edm.Decimal") {
      json.key("pattern").value("^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$");
    }
    if (edm == "Edm.Binary") json.key("contentEncoding").value("base64");
    if (property.size) json.key("maxLength").value(static_cast<std::int64_t>(*property.size));
  }
  json.key("x-edm-type").value(edm);
  json.endObject();
}

bool listLike(so::MethodType type) {
  return type == so::MethodType::kList || type == so::MethodType::kListWithoutContent ||
         type == so::MethodType::kListToSerializedItem;
}

void writeRowSchema(JsonWriter& json, const so::ServiceObject& object, const so::Method& method) {
  json.beginObject().key("type").value("object").key("properties").beginObject();
  for (const std::string& name : method.returns) {
    if (const so::Property* p = object.findProperty(name)) {
      json.key(name);
      writeSchema(json, *p);
    }
  }
  json.endObject().endObject();
}

void writeOperation(JsonWriter& json, const so::ServiceObject& object, const so::Method& method) {
  json.key("post").beginObject();
  json.key("operationId").value(object.name + "." + method.name);
  json.key("summary").value(std::string(so::toString(method.type)) + " " + object.name);
  if (!object.description.empty()) json.key("description").value(object.description);
  json.key("tags").beginArray().value(object.name).endArray();
  // The execute body: the method's inputs, and for lists the filter and paging members.
  json.key("requestBody").beginObject().key("required").value(!method.required.empty());
  json.key("content").beginObject().key("application/json").beginObject().key("schema");
  json.beginObject().key("type").value("object").key("additionalProperties").value(false);
  json.key("properties").beginObject();
  json.key("inputs").beginObject().key("type").value("object");
  json.key("additionalProperties").value(false).key("properties").beginObject();
  for (const std::string& name : method.inputs) {
    if (const so::Property* p = object.findProperty(name)) {
      json.key(name);
      writeSchema(json, *p);
    }
  }
  json.endObject();
  if (!method.required.empty()) json.key("required").values(method.required);
  json.endObject();  // inputs
  json.key("returns").beginObject().key("type").value("array");
  json.key("items").beginObject().key("enum").values(method.returns).endObject().endObject();
  if (listLike(method.type)) {
    json.key("filter").beginObject().key("$ref").value("#/components/schemas/Filter").endObject();
    for (const char* count : {"top", "skip"}) {
      json.key(count).beginObject().key("type").value("integer").key("minimum").value(0);
      json.endObject();
    }
    json.key("orderBy").beginObject().key("type").value("string");
    json.key("examples").beginArray().value("Name desc, ID").endArray().endObject();
    json.key("includeTotalCount").beginObject().key("type").value("boolean").endObject();
  }
  if (method.type == so::MethodType::kList || method.type == so::MethodType::kLoad ||
      method.type == so::MethodType::kListWithoutContent ||
      method.type == so::MethodType::kLoadWithoutContent) {
    json.key("expand").beginObject().key("type").value("array");
    json.key("items").beginObject().key("type").value("string").endObject().endObject();
  }
  json.endObject();  // properties
  if (!method.required.empty()) json.key("required").beginArray().value("inputs").endArray();
  json.endObject();                          // schema
  json.endObject().endObject().endObject();  // requestBody
  json.key("responses").beginObject();
  json.key("200").beginObject().key("description").value(method.name + " result");
  json.key("content").beginObject().key("application/json").beginObject().key("schema");
  json.beginObject().key("type").value("object").key("properties").beginObject();
  if (listLike(method.type)) {
    json.key("rows").beginObject().key("type").value("array").key("items");
    writeRowSchema(json, object, method);
    json.endObject();
    json.key("count").beginObject().key("type").value("integer").endObject();
    json.key("totalCount").beginObject().key("type").value("integer").endObject();
  } else {
    json.key("row").beginObject().key("oneOf").beginArray();
    writeRowSchema(json, object, method);
    json.beginObject().key("type").value("null").endObject();
    json.endArray().endObject();
  }
  json.key("warnings").beginObject().key("type").value("array");
  json.key("items").beginObject().key("type").value("string").endObject().endObject();
  json.endObject().endObject().endObject().endObject().endObject();  // 200
  for (const char* status : {"400", "401", "403", "404", "409", "412", "502", "504"}) {
    json.key(status).beginObject().key("$ref").value(std::string("#/components/responses/Error"));
    json.endObject();
  }
  json.endObject();  // responses
  json.endObject();  // post
}

constexpr std::string_view kComponents = R"json({
  "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
    "description": "An API key of the broker (caller or admin)"}},
  "schemas": {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
      "type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "details": {"type": "array", "items": {"type": "string"}}}}}},
    "File": {"type": ["object", "null"], "properties": {
      "fileName": {"type": "string"}, "contentType": {"type": "string"},
      "content": {"type": "string", "contentEncoding": "base64"},
      "url": {"type": "string", "description": "lists give a link instead of the content"}}},
    "Filter": {"type": "object",
      "description": "A framework filter (API.md section 5), e.g. {\"equals\": [{\"property\": \"ID\"}, 1]}"}
  },
  "responses": {"Error": {"description": "An error naming what was wrong",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
})json";

// The REST API (API.md section 4), as it is routed in api.cpp.
constexpr std::string_view kBrokerApi = R"json({
 "openapi": "3.1.0",
 "info": {
  "title": "OData Broker REST API",
  "version": "1",
  "description": "Registers OData service instances and calls their service objects (API.md). Every instance also has its own typed document at /instances/{name}/openapi.json."
 },
 "servers": [
  {
   "url": "/api/v1"
  }
 ],
 "security": [
  {
   "bearer": []
  }
 ],
 "paths": {
  "/health": {
   "get": {
    "operationId": "health",
    "summary": "Liveness and readiness",
    "security": [],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "status": {
           "type": "string",
           "enum": [
            "ok",
            "degraded"
           ],
           "description": "degraded: the store cannot be reached; calls go on, changes are refused with 503"
          },
          "ready": {
           "type": "boolean"
          },
          "instances": {
           "type": "integer"
          },
          "unusableInstances": {
           "type": "integer"
          },
          "store": {
           "type": "object",
           "properties": {
            "location": {
             "type": "string",
             "description": "sqlite:PATH or postgresql://user@host:port/db (never a password)"
            },
            "shared": {
             "type": "boolean",
             "description": "other broker nodes share it; their changes are followed"
            },
            "state": {
             "type": "string",
             "enum": [
              "reachable",
              "unreachable"
             ]
            },
            "problem": {
             "type": "string"
            }
           }
          }
         }
        }
       }
      },
      "description": "The broker is up"
     }
    }
   }
  },
  "/openapi.json": {
   "get": {
    "operationId": "openApi",
    "summary": "This document",
    "security": [],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      },
      "description": "OpenAPI 3.1"
     }
    }
   }
  },
  "/service-types/odata": {
   "get": {
    "operationId": "serviceType",
    "summary": "Every service key and the auth modes",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      },
      "description": "The service-key schema"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/instances": {
   "get": {
    "operationId": "listInstances",
    "summary": "The registered instances",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "instances": {
           "type": "array",
           "items": {
            "$ref": "#/components/schemas/InstanceSummary"
           }
          }
         }
        }
       }
      },
      "description": "Instances"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     }
    }
   },
   "post": {
    "operationId": "registerInstance",
    "summary": "Register an instance (admin)",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/InstanceDefinition"
       }
      }
     },
     "required": true
    },
    "responses": {
     "201": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/InstanceSummary"
        }
       }
      },
      "description": "Registered, with its objects"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "413": {
      "$ref": "#/components/responses/Error"
     },
     "502": {
      "$ref": "#/components/responses/Error"
     },
     "504": {
      "$ref": "#/components/responses/Error"
     },
     "503": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/instances/{name}": {
   "parameters": [
    {
     "$ref": "#/components/parameters/Instance"
    }
   ],
   "get": {
    "operationId": "readInstance",
    "summary": "The definition (secrets masked) and its status",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/InstanceDefinition"
        }
       }
      },
      "description": "The instance"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    }
   },
   "put": {
    "operationId": "changeInstance",
    "summary": "Replace the definition and re-discover (admin)",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/InstanceDefinition"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/InstanceSummary"
        }
       }
      },
      "description": "Changed"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "502": {
      "$ref": "#/components/responses/Error"
     },
     "504": {
      "$ref": "#/components/responses/Error"
     },
     "503": {
      "$ref": "#/components/responses/Error"
     }
    }
   },
   "delete": {
    "operationId": "removeInstance",
    "summary": "Remove (admin)",
    "responses": {
     "204": {
      "description": "Removed"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "503": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/instances/{name}/refresh": {
   "parameters": [
    {
     "$ref": "#/components/parameters/Instance"
    }
   ],
   "post": {
    "operationId": "refreshInstance",
    "summary": "Reload the metadata (admin); calls in flight finish on the old catalog",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/InstanceSummary"
        }
       }
      },
      "description": "Refreshed"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "502": {
      "$ref": "#/components/responses/Error"
     },
     "504": {
      "$ref": "#/components/responses/Error"
     },
     "503": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/instances/{name}/openapi.json": {
   "parameters": [
    {
     "$ref": "#/components/parameters/Instance"
    }
   ],
   "get": {
    "operationId": "instanceOpenApi",
    "summary": "OpenAPI 3.1 with one typed operation per method of the instance's service objects",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      },
      "description": "OpenAPI 3.1"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/instances/{name}/objects": {
   "parameters": [
    {
     "$ref": "#/components/parameters/Instance"
    }
   ],
   "get": {
    "operationId": "listObjects",
    "summary": "Service objects: name, folder, method names",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "objects": {
           "type": "array",
           "items": {
            "type": "object",
            "properties": {
             "name": {
              "type": "string"
             },
             "folder": {
              "type": "string"
             },
             "methods": {
              "type": "array",
              "items": {
               "type": "string"
              }
             }
            }
           }
          }
         }
        }
       }
      },
      "description": "Objects"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/instances/{name}/objects/{so}": {
   "parameters": [
    {
     "$ref": "#/components/parameters/Instance"
    },
    {
     "$ref": "#/components/parameters/ServiceObject"
    }
   ],
   "get": {
    "operationId": "readObject",
    "summary": "A service object: properties, methods with inputs, required inputs, returns",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      },
      "description": "The object"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/instances/{name}/objects/{so}/methods/{method}": {
   "parameters": [
    {
     "$ref": "#/components/parameters/Instance"
    },
    {
     "$ref": "#/components/parameters/ServiceObject"
    },
    {
     "name": "method",
     "in": "path",
     "required": true,
     "schema": {
      "type": "string"
     },
     "description": "a method of the service object"
    }
   ],
   "post": {
    "operationId": "execute",
    "summary": "Execute a method",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/ExecuteBody"
       }
      }
     }
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ExecuteResult"
        }
       }
      },
      "description": "Rows (List-like methods) or one row"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "409": {
      "$ref": "#/components/responses/Error"
     },
     "412": {
      "$ref": "#/components/responses/Error"
     },
     "413": {
      "$ref": "#/components/responses/Error"
     },
     "502": {
      "$ref": "#/components/responses/Error"
     },
     "504": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/instances/{name}/objects/{so}/filter": {
   "parameters": [
    {
     "$ref": "#/components/parameters/Instance"
    },
    {
     "$ref": "#/components/parameters/ServiceObject"
    }
   ],
   "post": {
    "operationId": "translateFilter",
    "summary": "The $filter a framework filter becomes",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "type": "object",
        "required": [
         "filter"
        ],
        "properties": {
         "filter": {
          "$ref": "#/components/schemas/Filter"
         }
        }
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "filter": {
           "type": "string"
          },
          "url": {
           "type": "string"
          },
          "evaluatedBy": {
           "enum": [
            "service",
            "broker"
           ]
          }
         }
        }
       }
      },
      "description": "The translation"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  },
  "/instances/{name}/batch": {
   "parameters": [
    {
     "$ref": "#/components/parameters/Instance"
    }
   ],
   "post": {
    "operationId": "batch",
    "summary": "Several method calls as one OData $batch (API.md section 6)",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/BatchBody"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object",
         "properties": {
          "responses": {
           "type": "array",
           "items": {
            "type": "object"
           }
          }
         }
        }
       }
      },
      "description": "Each call's result, in order"
     },
     "400": {
      "$ref": "#/components/responses/Error"
     },
     "401": {
      "$ref": "#/components/responses/Error"
     },
     "403": {
      "$ref": "#/components/responses/Error"
     },
     "404": {
      "$ref": "#/components/responses/Error"
     },
     "502": {
      "$ref": "#/components/responses/Error"
     },
     "504": {
      "$ref": "#/components/responses/Error"
     }
    }
   }
  }
 },
 "components": {
  "securitySchemes": {
   "bearer": {
    "type": "http",
    "scheme": "bearer",
    "description": "An admin or caller API key"
   }
  },
  "responses": {
   "Error": {
    "description": "An error naming what was wrong",
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    }
   }
  },
  "schemas": {
   "Error": {
    "type": "object",
    "required": [
     "error"
    ],
    "properties": {
     "error": {
      "type": "object",
      "required": [
       "code",
       "message"
      ],
      "properties": {
       "code": {
        "type": "string"
       },
       "message": {
        "type": "string"
       },
       "details": {
        "type": "array",
        "items": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "InstanceSummary": {
    "type": "object",
    "properties": {
     "name": {
      "type": "string"
     },
     "description": {
      "type": "string"
     },
     "serviceUrl": {
      "type": "string"
     },
     "status": {
      "type": "string"
     },
     "odataVersion": {
      "type": "string"
     },
     "objectCount": {
      "type": "integer"
     },
     "revision": {
      "type": "integer"
     },
     "updatedAt": {
      "type": "string",
      "format": "date-time"
     },
     "warnings": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "objects": {
      "type": "array",
      "items": {
       "type": "object"
      }
     }
    }
   },
   "InstanceDefinition": {
    "type": "object",
    "required": [
     "name",
     "serviceKeys"
    ],
    "properties": {
     "name": {
      "type": "string",
      "pattern": "^[A-Za-z0-9_.-]{1,100}$"
     },
     "description": {
      "type": "string"
     },
     "serviceKeys": {
      "type": "object",
      "required": [
       "serviceUrl"
      ],
      "properties": {
       "serviceUrl": {
        "type": "string"
       }
      },
      "additionalProperties": true
     },
     "auth": {
      "type": "object",
      "properties": {
       "mode": {
        "enum": [
         "none",
         "static",
         "serviceAccount",
         "oauth",
         "impersonate",
         "sso"
        ]
       }
      },
      "additionalProperties": true
     }
    }
   },
   "Filter": {
    "type": "object",
    "description": "A framework filter (API.md section 5), e.g. {\"equals\": [{\"property\": \"ID\"}, 1]}"
   },
   "ExecuteBody": {
    "type": "object",
    "additionalProperties": false,
    "properties": {
     "inputs": {
      "type": "object"
     },
     "filter": {
      "$ref": "#/components/schemas/Filter"
     },
     "returns": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "top": {
      "type": "integer",
      "minimum": 0
     },
     "skip": {
      "type": "integer",
      "minimum": 0
     },
     "orderBy": {
      "type": [
       "string",
       "array"
      ]
     },
     "includeTotalCount": {
      "type": "boolean"
     },
     "expand": {
      "type": [
       "string",
       "array"
      ]
     }
    }
   },
   "ExecuteResult": {
    "type": "object",
    "properties": {
     "rows": {
      "type": "array",
      "items": {
       "type": "object"
      }
     },
     "row": {
      "type": [
       "object",
       "null"
      ]
     },
     "count": {
      "type": "integer"
     },
     "totalCount": {
      "type": "integer"
     },
     "warnings": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "error": {
      "$ref": "#/components/schemas/Error"
     }
    }
   },
   "BatchBody": {
    "type": "object",
    "required": [
     "requests"
    ],
    "additionalProperties": false,
    "properties": {
     "requests": {
      "type": "array",
      "minItems": 1,
      "items": {
       "type": "object"
      }
     },
     "sequentialFallback": {
      "type": "boolean"
     }
    }
   }
  },
  "parameters": {
   "Instance": {
    "name": "name",
    "in": "path",
    "required": true,
    "schema": {
     "type": "string"
    },
    "description": "the instance's name"
   },
   "ServiceObject": {
    "name": "so",
    "in": "path",
    "required": true,
    "schema": {
     "type": "string"
    },
    "description": "a service object's name (percent-encoded)"
   }
  }
 }
}
)json";

}  // namespace

const std::string& brokerOpenApi() {
  static const std::string text(kBrokerApi);
  return text;
}

std::string instanceOpenApi(const engine::Instance& instance, std::int64_t revision) {
  std::string text;
  JsonWriter json(text);
  json.beginObject().key("openapi").value("3.1.0");
  json.key("info").beginObject().key("title").value("OData Broker: " + instance.name);
  json.key("version").value(std::to_string(revision));
  json.key("description")
      .value("One operation per service-object method of the instance '" + instance.name +
             "'; inputs and returns carry their EDM types (x-edm-type).");
  json.endObject();
  json.key("servers").beginArray().beginObject();
  json.key("url").value("/api/v1/instances/" + core::percentEncode(instance.name));
  json.endObject().endArray();
  json.key("security").beginArray().beginObject().key("bearer").beginArray().endArray();
  json.endObject().endArray();
  json.key("paths").beginObject();
  for (const so::ServiceObject& object : instance.catalog->objects()) {
    for (const so::Method& method : object.methods) {
      json.key("/objects/" + core::percentEncode(object.name) + "/methods/" +
               core::percentEncode(method.name));
      json.beginObject();
      writeOperation(json, object, method);
      json.endObject();
    }
  }
  json.endObject();
  json.key("components").raw(kComponents);
  json.endObject();
  return text;
}

}  // namespace broker::server
