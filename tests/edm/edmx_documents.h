// Builders of small EDMX documents for loader tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "broker/core/error.h"
#include "broker/edm/edmx_loader.h"

namespace broker::edm::testing {

/// An EDMX 4.0 document whose DataServices hold `schemas` (complete Schema elements).
inline std::string v4Document(std::string_view schemas, std::string_view references = "") {
  return R"(<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">)" +
         std::string(references) + R"(
  <edmx:DataServices>)" +
         std::string(schemas) + R"(
  </edmx:DataServices>
</edmx:Edmx>)";
}

/// A V4 Schema element in namespace `ns` with the given body.
inline std::string v4Schema(std::string_view ns, std::string_view body,
                            std::string_view alias = "") {
  std::string aliasAttribute = alias.empty() ? "" : " Alias=\"" + std::string(alias) + "\"";
  return R"(
    <Schema Namespace=")" +
         std::string(ns) + "\"" + aliasAttribute +
         R"( xmlns="http://docs.oasis-open.org/odata/ns/edm">)" + std::string(body) +
         "\n    </Schema>";
}

/// An EDMX 1.0 document with one Schema (CSDL namespace `csdl`) and DataServiceVersion `dsv`.
inline std::string v2Document(
    std::string_view ns, std::string_view body, std::string_view dsv = "2.0",
    std::string_view csdl = "http://schemas.microsoft.com/ado/2008/09/edm",
    std::string_view maxDsv = "") {
  std::string versions = dsv.empty() ? "" : " m:DataServiceVersion=\"" + std::string(dsv) + "\"";
  if (!maxDsv.empty()) versions += " m:MaxDataServiceVersion=\"" + std::string(maxDsv) + "\"";
  return R"(<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx"
    xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
    xmlns:sap="http://www.sap.com/Protocols/SAPData">
  <edmx:DataServices)" +
         versions + R"(>
    <Schema Namespace=")" +
         std::string(ns) + R"(" xmlns=")" + std::string(csdl) + R"(">)" + std::string(body) +
         R"(
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>)";
}

/// The message of the InvalidArgument error that loading `document` throws; a test failure
/// when it loads.
inline std::string loadError(std::string_view document, const LoadOptions& options = {}) {
  try {
    EdmxLoader::load(document, options);
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::kInvalidArgument) << e.message();
    return e.message();
  }
  ADD_FAILURE() << "document loaded without error";
  return {};
}

}  // namespace broker::edm::testing
