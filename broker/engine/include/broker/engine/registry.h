// The registry of service instances: their definitions, their opened catalogs and clients,
// and the store that keeps both. Lookups copy a shared_ptr under a short lock, so a call keeps
// the snapshot it started with while a refresh or change swaps in a new one; changes to one
// name are serialized, and no change holds the lock while it talks to an upstream service.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "auth/secret_box.h"
#include "broker/engine/instance.h"
#include "config/instance.h"
#include "config/settings.h"
#include "config/store.h"

namespace broker::engine {

/// One registered instance: what was registered and what it opened to. Immutable.
struct Registration {
  std::shared_ptr<const config::InstanceDefinition> definition;
  /// Null when the stored metadata could not be opened on restore; `problem` says why.
  std::shared_ptr<const Instance> instance;
  std::string problem;
  std::int64_t revision = 0;
  std::string updatedAt;
};

class Registry {
 public:
  /// Restores every instance of `store` from its stored metadata (no upstream is called), so
  /// instances come back even when their services are down. A stored instance that no longer
  /// opens is kept with its problem, to be changed or refreshed.
  Registry(std::unique_ptr<config::Store> store, auth::SecretBox secrets,
           ConnectionContext context = {});

  /// The registration of `name`; throws core::Error(kNotFound).
  std::shared_ptr<const Registration> find(std::string_view name) const;
  /// The opened instance of `name`, for calls; throws kNotFound, or kUpstreamFailure for an
  /// instance whose restore failed.
  std::shared_ptr<const Instance> instance(std::string_view name) const;
  /// Every registration, by name.
  std::vector<std::shared_ptr<const Registration>> list() const;

  /// Registers a new instance: loads its metadata (with the instance's credentials; in the
  /// forwarding modes, `callerAuthorization`), stores it, publishes it. Throws kConflict when
  /// the name is taken, kInvalidArgument for bad metadata or auth settings that cannot be
  /// applied (a client certificate not found, …), upstream errors when the metadata cannot be
  /// fetched.
  std::shared_ptr<const Registration> add(config::InstanceDefinition definition,
                                          const std::string& callerAuthorization = {});
  /// Replaces the definition of `name` and re-discovers it. Secrets sent back masked keep
  /// their stored values.
  std::shared_ptr<const Registration> change(std::string_view name,
                                             config::InstanceDefinition definition,
                                             const std::string& callerAuthorization = {});
  /// Reloads the metadata of `name`; on failure the old catalog stays.
  std::shared_ptr<const Registration> refresh(std::string_view name,
                                              const std::string& callerAuthorization = {});
  /// Removes `name`; throws kNotFound.
  void remove(std::string_view name);

  const config::Store& store() const { return *store_; }

 private:
  class NameLock;

  // Opens the instance (fetching its metadata), stores it, and swaps it in.
  std::shared_ptr<const Registration> publish(
      std::shared_ptr<const config::InstanceDefinition> definition,
      const std::string& callerAuthorization);

  std::unique_ptr<config::Store> store_;
  auth::SecretBox secrets_;
  ConnectionContext context_;
  mutable std::mutex mutex_;  // guards registrations_ and busy_
  std::condition_variable idle_;
  std::map<std::string, std::shared_ptr<const Registration>, std::less<>> registrations_;
  std::set<std::string, std::less<>> busy_;  // names with a change in progress
};

/// The broker's registry as its settings describe it: the store (SQLite under dataDir), the
/// secret key (its key file, made on first start), and what every instance's connections share
/// (the service account, the limits on answers, the proxies, the certificate folders). Throws
/// core::Error naming what cannot be opened.
std::unique_ptr<Registry> openRegistry(const config::BrokerSettings& settings);

}  // namespace broker::engine
