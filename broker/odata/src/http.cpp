#include "broker/odata/http.h"

#include "broker/core/text.h"

namespace broker::odata {

std::optional<std::string_view> findHeader(const std::vector<Header>& headers,
                                           std::string_view name) noexcept {
  for (const Header& h : headers) {
    if (core::equalsIgnoreCase(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

}  // namespace broker::odata
