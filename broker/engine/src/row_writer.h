// A call's rows: the properties it returns mapped to payload fields, and each entry read turned
// into a row for the sink (data values, ETag, stream links or contents, response headers, the
// members of related entities expanded).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "call_context.h"
#include "expansion.h"

namespace broker::engine::internal {

class RowWriter {
 public:
  explicit RowWriter(CallContext& call);

  /// Maps `properties` to payload members (data properties need the structured type).
  void prepare(std::vector<const so::Property*> properties);
  /// Maps the properties the call returns.
  void prepare() { prepare(call_.returned()); }
  /// Maps the i-th returned data property to a member of `type` when prepare() could not (an
  /// object without a structured type).
  void mapAs(std::size_t i, const edm::TypeRef& type);

  /// Emits `entry` (read from `response`) as a row to `sink`.
  void emit(const odata::Entry& entry, const odata::HttpResponse& response, RowSink& sink);
  /// Emits a row of `value` for every returned property (an operation's primitive result).
  void emitValue(const Value& value, RowSink& sink);

  /// Where a list finds a stream's content: the link the payload names, or the entity's own
  /// link followed by `$value` (media) or the stream's name (named stream); "" when none.
  static std::string payloadStreamLink(const odata::Entry& entry, const so::Property& content);

  odata::FieldMap fields;
  std::vector<const so::Property*> returned;
  /// Values the call found itself (a downloaded stream, its name and MIME type), emitted
  /// instead of what the entry holds.
  std::vector<std::pair<const so::Property*, Value>> overrides;
  /// `expand`: the related entities' members, and what was wrong with them.
  std::optional<Expansions> expansions;
  std::vector<std::string> expandWarnings;
  /// Complex values in rows are compressed (serializationCompress), except inside an item
  /// that is itself serialized.
  bool compressItems;
  /// A stream's link when the payload names none (an entity call builds it from the keys).
  std::function<std::string(const odata::Entry&, const so::Property&)> streamLink;

 private:
  static constexpr std::size_t kNoField = static_cast<std::size_t>(-1);

  void serializedOut(const Value& value, Value& out) const;

  CallContext& call_;
  std::vector<std::size_t> fieldOf_;
  Row row_;
};

}  // namespace broker::engine::internal
