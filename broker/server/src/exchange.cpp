#include "exchange.h"

#include <Poco/JSON/Parser.h>

#include <istream>
#include <ostream>

#include "http_message.h"

namespace broker::server {

namespace {

using core::Error;
using core::ErrorCode;

Error tooLarge(std::size_t limit) {
  return Error(
      ErrorCode::kPayloadTooLarge,
      "the request body is larger than " + std::to_string(limit) + " bytes (setting maxBodyBytes)");
}

}  // namespace

void checkJsonShape(std::string_view json, const JsonLimits& limits) {
  std::size_t depth = 0;
  std::size_t values = 1;
  bool inString = false;
  bool escaped = false;
  for (const char c : json) {
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        break;
      case '[':
      case '{':
        if (++depth > limits.maxDepth) {
          throw Error(ErrorCode::kInvalidArgument,
                      "the body nests arrays and objects deeper than " +
                          std::to_string(limits.maxDepth) + " levels (setting maxJsonDepth)");
        }
        ++values;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      case ',':
        if (++values > limits.maxValues) {
          throw Error(ErrorCode::kInvalidArgument, "the body has more than " +
                                                       std::to_string(limits.maxValues) +
                                                       " JSON values (setting maxJsonValues)");
        }
        break;
      default:
        break;
    }
  }
}

void writeError(core::JsonWriter& json, const Error& error) {
  writeErrorObject(json, core::errorCodeName(error.code()), error.message(), error.details());
}

std::string errorJson(const Error& error) {
  return errorBody(core::errorCodeName(error.code()), error.message(), error.details());
}

SpooledBody Exchange::spooledBody(std::uint64_t maxStreamBytes, std::size_t maxFiles) {
  // The JSON and the base64 of the largest contents, announced: refused before reading.
  const std::uint64_t most = maxBodyBytes_ + (maxStreamBytes + 2) / 3 * 4;
  if (request_.hasContentLength() &&
      static_cast<std::uint64_t>(request_.getContentLength64()) > most) {
    throw Error(ErrorCode::kPayloadTooLarge,
                "the request body is larger than " + std::to_string(most) +
                    " bytes (settings maxBodyBytes and maxStreamBytes)");
  }
  SpooledBody body =
      readSpooled(request_.stream(), maxBodyBytes_, maxStreamBytes, jsonLimits_.maxDepth, maxFiles);
  checkJsonShape(body.json, jsonLimits_);
  return body;
}

std::string Exchange::body() {
  if (request_.hasContentLength() &&
      request_.getContentLength64() > static_cast<std::int64_t>(maxBodyBytes_)) {
    throw tooLarge(maxBodyBytes_);
  }
  std::string body;
  std::istream& in = request_.stream();
  char buffer[16384];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > maxBodyBytes_) throw tooLarge(maxBodyBytes_);
  }
  checkJsonShape(body, jsonLimits_);
  return body;
}

Poco::JSON::Object::Ptr Exchange::jsonBody() {
  const std::string text = body();
  if (text.empty()) throw Error(ErrorCode::kInvalidArgument, "the request needs a JSON body");
  try {
    Poco::JSON::Parser parser;
    parser.setDepth(jsonLimits_.maxDepth + 1);
    const Poco::Dynamic::Var root = parser.parse(text);
    if (root.type() != typeid(Poco::JSON::Object::Ptr)) {
      throw Error(ErrorCode::kInvalidArgument, "the body must be a JSON object");
    }
    return root.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    throw Error(ErrorCode::kInvalidArgument, "the body is not valid JSON: " + e.message());
  }
}

void Exchange::reply(int status, const std::string& json) {
  replyText(status, "application/json; charset=utf-8", json);
}

void Exchange::replyText(int status, std::string_view contentType, const std::string& text) {
  status_ = status;
  response_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response_.setContentType(std::string(contentType));
  if (!response_.has("Cache-Control")) response_.set("Cache-Control", "no-store");
  response_.set("X-Content-Type-Options", "nosniff");
  response_.sendBuffer(text.data(), text.size());
}

void Exchange::replyEmpty(int status) {
  status_ = status;
  response_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response_.sendBuffer(nullptr, 0);
}

void Exchange::replyError(const Error& error) {
  if (error.code() == ErrorCode::kUnauthenticated) {
    response_.set("WWW-Authenticate", "Bearer realm=\"odata-broker\"");
  }
  reply(core::httpStatus(error.code()), errorJson(error));
}

std::ostream& Exchange::beginStream() {
  status_ = 200;
  response_.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
  response_.setContentType("application/json; charset=utf-8");
  response_.set("Cache-Control", "no-store");
  response_.setChunkedTransferEncoding(true);
  return response_.send();
}

std::string optionalString(const Poco::JSON::Object& object, const std::string& member) {
  if (!object.has(member) || object.isNull(member)) return {};
  const Poco::Dynamic::Var value = object.get(member);
  if (!value.isString()) {
    throw Error(ErrorCode::kInvalidArgument, member + " must be a string");
  }
  return value.extract<std::string>();
}

}  // namespace broker::server
