#include "serialized.h"

#include <zlib.h>

#include <array>

#include "broker/core/error.h"
#include "broker/core/text.h"

namespace broker::engine::internal {
namespace {

using core::Error;
using core::ErrorCode;

constexpr int kGzipWindow = 15 + 16;  // zlib: 15-bit window, gzip header and trailer
constexpr std::size_t kMaxInflated = std::size_t{256} << 20;

std::string gzip(std::string_view data) {
  z_stream z{};
  if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, kGzipWindow, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error(ErrorCode::kInternal, "serializationCompress: zlib could not start");
  }
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(data.size())));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int status = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (status != Z_STREAM_END) {
    throw Error(ErrorCode::kInternal, "serializationCompress: zlib could not compress");
  }
  return out;
}

// The inflated bytes, or nullopt-like false when `data` is not one whole gzip stream.
bool gunzip(std::string_view data, std::string& out) {
  z_stream z{};
  if (inflateInit2(&z, kGzipWindow) != Z_OK) return false;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::array<char, 16384> buffer{};
  int status = Z_OK;
  while (status == Z_OK && out.size() <= kMaxInflated) {
    z.next_out = reinterpret_cast<Bytef*>(buffer.data());
    z.avail_out = static_cast<uInt>(buffer.size());
    status = inflate(&z, Z_NO_FLUSH);
    out.append(buffer.data(), buffer.size() - z.avail_out);
    if (status == Z_BUF_ERROR && z.avail_in == 0) break;
  }
  const bool whole = status == Z_STREAM_END && z.avail_in == 0;
  inflateEnd(&z);
  return whole;
}

bool looksLikeJson(std::string_view text) {
  text = core::trim(text);
  return text.empty() || text.front() == '{' || text.front() == '[' || text == "null";
}

}  // namespace

std::string encodeSerialized(std::string json, bool compress) {
  if (!compress) return json;
  return core::base64Encode(gzip(json));
}

std::string decodeSerialized(std::string_view text, std::string_view what) {
  if (looksLikeJson(text)) return std::string(text);
  std::string compressed;
  std::string json;
  const bool whole = core::base64Decode(core::trim(text), compressed) && gunzip(compressed, json);
  // Inflating stops at the limit: too large is told apart from not gzip at all.
  if (json.size() > kMaxInflated) {
    throw Error(ErrorCode::kPayloadTooLarge,
                std::string(what) + ": the serialized item inflates to more than 256 MiB");
  }
  if (!whole) {
    throw Error(ErrorCode::kInvalidArgument,
                std::string(what) +
                    ": expected a serialized item (JSON, or gzip+base64 JSON), got '" +
                    std::string(text.substr(0, 40)) + "'");
  }
  return json;
}

bool holdsSerializedItem(const serviceobjects::Property& property) noexcept {
  using serviceobjects::PropertyRole;
  if (property.role == PropertyRole::kSerializedItem) return true;
  if (property.role != PropertyRole::kData && property.role != PropertyRole::kParameter &&
      property.role != PropertyRole::kReturnValue) {
    return false;
  }
  return property.type == serviceobjects::SoType::kMemo &&
         (property.edmType.starts_with("Collection(") || !property.edmType.starts_with("Edm."));
}

}  // namespace broker::engine::internal
