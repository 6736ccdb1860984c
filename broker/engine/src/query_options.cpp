#include "query_options.h"

#include <charconv>

#include "broker/core/error.h"
#include "broker/core/text.h"
#include "broker/odata/literal.h"

namespace broker::engine {

namespace {

using core::Error;
using core::ErrorCode;

[[noreturn]] void invalid(const std::string& what) {
  throw Error(ErrorCode::kInvalidArgument, "Query Options: " + what);
}

// Splits at '&' outside single-quoted literals.
std::vector<std::string_view> options(std::string_view text) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] == '\'') quoted = !quoted;
    if (i == text.size() || (text[i] == '&' && !quoted)) {
      if (i > start) parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

std::int64_t count(std::string_view name, std::string_view value) {
  std::int64_t n = -1;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (error != std::errc() || end != value.data() + value.size() || n < 0) {
    invalid(std::string(name) + " must be a whole number of 0 or more, not '" + std::string(value) +
            "'");
  }
  return n;
}

// Quotes closed and parentheses balanced outside them: what can be checked without the
// service's own parser.
void checkFilter(const std::string& filter) {
  if (core::trim(filter).empty()) invalid("$filter is empty");
  int depth = 0;
  bool quoted = false;
  for (char c : filter) {
    if (c == '\'') quoted = !quoted;
    if (quoted) continue;
    depth += c == '(' ? 1 : c == ')' ? -1 : 0;
    if (depth < 0) invalid("$filter has a ')' without its '('");
  }
  if (quoted) invalid("$filter has a quote that is not closed");
  if (depth != 0) invalid("$filter has a '(' without its ')'");
}

std::vector<std::string> names(std::string_view option, std::string_view value) {
  std::vector<std::string> out;
  for (std::string_view item : core::split(value, ',')) {
    item = core::trim(item);
    if (item.empty()) invalid(std::string(option) + " has an empty item");
    out.emplace_back(item);
  }
  return out;
}

}  // namespace

QueryOptions parseQueryOptions(std::string_view text, bool list) {
  text = core::trim(text);
  if (!text.empty() && text.front() == '?') text.remove_prefix(1);
  QueryOptions out;
  for (std::string_view part : options(text)) {
    const std::size_t equals = part.find('=');
    if (equals == std::string_view::npos) invalid("'" + std::string(part) + "' is not name=value");
    const std::string name(core::trim(part.substr(0, equals)));
    const std::string value = core::percentDecode(core::trim(part.substr(equals + 1)));
    if (!list && name != "$select") {
      invalid("'" + name + "' does not apply to a Load (only $select does)");
    }
    if (name == "$filter") {
      checkFilter(value);
      out.filter = value;
    } else if (name == "$top" || name == "$take") {
      out.top = count(name, value);
    } else if (name == "$skip") {
      out.skip = count(name, value);
    } else if (name == "$orderby") {
      for (const std::string& item : names(name, value)) {
        const std::size_t space = item.find(' ');
        const std::string direction =
            space == std::string::npos ? "" : std::string(core::trim(item.substr(space)));
        if (!direction.empty() && direction != "asc" && direction != "desc") {
          invalid("$orderby: '" + item + "' is not 'Name', 'Name asc' or 'Name desc'");
        }
        out.orderBy.emplace_back(item.substr(0, space), direction == "desc");
      }
    } else if (name == "$select") {
      out.select = names(name, value);
    } else {
      invalid("'" + name +
              "' is not supported (use $filter, $top or $take, $skip, $orderby, $select)");
    }
  }
  return out;
}

}  // namespace broker::engine
