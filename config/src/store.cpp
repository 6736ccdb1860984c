#include "config/store.h"

#include "config/settings.h"

namespace config {

std::unique_ptr<Store> openStore(const BrokerSettings& settings) {
  if (const auto file = settings.storeFile()) return openSqliteStore(*file);
  return openPostgresqlStore(settings.store, settings.storePassword);
}

}  // namespace config
