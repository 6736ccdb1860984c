// The registry of service instances: their definitions, their opened catalogs and clients,
// and the store that keeps both. Lookups copy a shared_ptr under a short lock, so a call keeps
// the snapshot it started with while a refresh or change swaps in a new one; changes to one
// name are serialized, and no change holds the lock while it talks to an upstream service.
// On a store that other nodes share, a thread follows the store's change feed and swaps in
// what they wrote, the same way.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
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

/// The store as health reports it.
struct StoreState {
  std::string location;  ///< config::Store::describe()
  bool shared = false;   ///< other nodes write it too (a change feed is followed)
  bool reachable = true;
  std::string problem;  ///< why not, when not reachable
};

class Registry {
 public:
  /// Restores every instance of `store` from its stored metadata (no upstream is called), so
  /// instances come back even when their services are down. A stored instance that no longer
  /// opens is kept with its problem, to be changed or refreshed. Throws
  /// core::Error(kInvalidArgument) when `secrets` is not the key the store's secrets were
  /// sealed with (its check value in the store says so). When the store has a change feed,
  /// follows it until destroyed.
  Registry(std::unique_ptr<config::Store> store, auth::SecretBox secrets,
           ConnectionContext context = {});
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

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

  /// Brings the registrations up to the store: what other nodes added, changed or removed.
  /// False when a change in progress here kept a name from it (to be looked at again). Throws
  /// core::Error(kUnavailable) when the store cannot be reached.
  bool synchronize();

  const config::Store& store() const { return *store_; }
  StoreState storeState() const;

 private:
  class NameLock;

  // Opens the instance (fetching its metadata), stores it (as a new name, or `replacing` the
  // row at that revision: kConflict when another node wrote it since), and swaps it in.
  std::shared_ptr<const Registration> publish(
      std::shared_ptr<const config::InstanceDefinition> definition,
      const std::string& callerAuthorization, std::optional<std::int64_t> replacing);
  // A registration from its stored row (no upstream is called).
  std::shared_ptr<Registration> restore(config::StoredInstance stored) const;
  // Refuses a change while the store is known to be unreachable; records a failure to reach
  // it.
  void checkStore() const;
  template <typename F>
  auto onStore(F&& work);
  void follow(std::stop_token stop, std::unique_ptr<config::ChangeFeed> feed);
  // Throws unless the store's key check value (made now if it has none, once a sealed secret
  // of `stored` opened) opens with secrets_.
  void checkKey(const std::vector<config::StoredInstance>& stored);

  std::unique_ptr<config::Store> store_;
  auth::SecretBox secrets_;
  ConnectionContext context_;
  mutable std::mutex mutex_;  // guards registrations_ and busy_
  std::condition_variable idle_;
  std::map<std::string, std::shared_ptr<const Registration>, std::less<>> registrations_;
  std::set<std::string, std::less<>> busy_;  // names with a change in progress
  std::string storeProblem_;                 // guarded by mutex_; empty while reachable
  std::jthread follower_;                    // last: stopped and joined first
};

/// The broker's registry as its settings describe it: the store (setting `store`), the
/// secret key (its key file, made on first start), and what every instance's connections share
/// (the service account, the limits on answers, the proxies, the certificate folders). Throws
/// core::Error naming what cannot be opened.
std::unique_ptr<Registry> openRegistry(const config::BrokerSettings& settings);

}  // namespace broker::engine
