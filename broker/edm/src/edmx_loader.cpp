// The EDMX loader: a secured Xerces SAX2 reader feeding the model builder, then the resolver.
#include "broker/edm/edmx_loader.h"

#include <fstream>
#include <mutex>
#include <sstream>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/XMLException.hpp>

#include "broker/core/error.h"
#include "edmx_sax_handler.h"
#include "model_builder.h"
#include "model_resolver.h"
#include "secure_reader.h"
#include "xerces_init.h"

namespace broker::edm {

namespace {

using core::Error;
using core::ErrorCode;

std::string message(const xercesc::XMLException& e) {
  std::string text;
  internal::appendUtf8(text, e.getMessage());
  return text;
}

}  // namespace

std::shared_ptr<const Model> EdmxLoader::load(std::string_view document,
                                              const LoadOptions& options) {
  if (document.size() > options.maxDocumentBytes) {
    throw Error(ErrorCode::kInvalidArgument,
                "metadata document is " + std::to_string(document.size()) +
                    " bytes; the limit is " + std::to_string(options.maxDocumentBytes));
  }
  if (document.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw Error(ErrorCode::kInvalidArgument, "metadata document is empty");
  }
  internal::initializeXerces();
  auto model = std::make_shared<Model>();
  internal::ModelBuilder builder(*model);
  internal::EdmxSaxHandler handler(builder, options.maxDepth);
  xercesc::SecurityManager security;
  auto reader = internal::makeSecureReader(handler, security);
  handler.attach(*reader);
  xercesc::MemBufInputSource source(reinterpret_cast<const XMLByte*>(document.data()),
                                    document.size(), "metadata", false);
  try {
    reader->parse(source);
  } catch (const xercesc::XMLException& e) {
    throw Error(ErrorCode::kInvalidArgument, "malformed XML: " + message(e));
  } catch (const xercesc::OutOfMemoryException&) {
    throw Error(ErrorCode::kInvalidArgument, "metadata document exhausted the parser's memory");
  }
  if (!handler.sawRoot()) {
    throw Error(ErrorCode::kInvalidArgument, "metadata document has no root element");
  }
  internal::ModelResolver(*model, builder.csdlNamespace()).resolve(builder.annotations());
  return model;
}

std::shared_ptr<const Model> EdmxLoader::loadFile(const std::filesystem::path& path,
                                                  const LoadOptions& options) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  if (error) {
    throw Error(ErrorCode::kInvalidArgument,
                "cannot read metadata file '" + path.string() + "': " + error.message());
  }
  if (size > options.maxDocumentBytes) {
    throw Error(ErrorCode::kInvalidArgument, "metadata file '" + path.string() + "' is " +
                                                 std::to_string(size) + " bytes; the limit is " +
                                                 std::to_string(options.maxDocumentBytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::string document(size, '\0');
  if (!in.read(document.data(), static_cast<std::streamsize>(size))) {
    throw Error(ErrorCode::kInvalidArgument, "cannot read metadata file '" + path.string() + "'");
  }
  try {
    return load(document, options);
  } catch (const Error& e) {
    throw Error(e.code(), path.filename().string() + ": " + e.message(), e.details());
  }
}

}  // namespace broker::edm
