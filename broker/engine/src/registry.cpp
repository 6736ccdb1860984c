#include "broker/engine/registry.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <utility>

#include "broker/core/error.h"
#include "broker/core/log.h"
#include "broker/core/text.h"

namespace broker::engine {

namespace {

using core::Error;
using core::ErrorCode;

[[noreturn]] void notFound(std::string_view name) {
  throw Error(ErrorCode::kNotFound, "no instance named '" + std::string(name) + "'");
}

}  // namespace

// Serializes changes to one name; changes to other names and all lookups go on meanwhile.
class Registry::NameLock {
 public:
  NameLock(Registry& registry, std::string_view name) : registry_(registry), name_(name) {
    std::unique_lock lock(registry_.mutex_);
    registry_.idle_.wait(lock, [&] { return !registry_.busy_.contains(name_); });
    registry_.busy_.insert(name_);
  }
  // Only when no change to the name is in progress; owns() says whether it was taken.
  NameLock(Registry& registry, std::string_view name, std::try_to_lock_t)
      : registry_(registry), name_(name) {
    const std::lock_guard lock(registry_.mutex_);
    owns_ = registry_.busy_.insert(name_).second;
  }
  ~NameLock() {
    if (!owns_) return;
    {
      const std::lock_guard lock(registry_.mutex_);
      registry_.busy_.erase(name_);
    }
    registry_.idle_.notify_all();
  }
  bool owns() const { return owns_; }
  NameLock(const NameLock&) = delete;
  NameLock& operator=(const NameLock&) = delete;

 private:
  Registry& registry_;
  std::string name_;
  bool owns_ = true;
};

Registry::Registry(std::unique_ptr<config::Store> store, auth::SecretBox secrets,
                   ConnectionContext context)
    : store_(std::move(store)), secrets_(std::move(secrets)), context_(std::move(context)) {
  std::vector<config::StoredInstance> all = store_->loadAll();
  checkKey(all);
  for (config::StoredInstance& stored : all) {
    std::string name = stored.name;
    registrations_.emplace(std::move(name), restore(std::move(stored)));
  }
  std::unique_ptr<config::ChangeFeed> feed = store_->changes();
  if (feed) {
    follower_ = std::jthread([this, first = std::move(feed)](std::stop_token stop) mutable {
      follow(stop, std::move(first));
    });
  }
}

Registry::~Registry() = default;

void Registry::checkKey(const std::vector<config::StoredInstance>& stored) {
  const auto refuse = [this] {
    return Error(ErrorCode::kInvalidArgument,
                 "the secret key is not the one the secrets in store '" + store_->describe() +
                     "' were sealed with: every broker node on a store needs the same key file "
                     "(copy it from a node that uses this store, setting secretKeyFile)");
  };
  const auto opens = [this](std::string_view sealed) {
    try {
      secrets_.open(sealed);
      return true;
    } catch (const Error&) {
      return false;
    }
  };
  // A store written before it kept a check value: one sealed secret of its definitions tells
  // whether this is their key, before the check value is made from it.
  for (const config::StoredInstance& instance : stored) {
    const auto at = instance.definition.find("\"v1:");
    if (at == std::string::npos) continue;
    const auto end = instance.definition.find('"', at + 1);
    if (end != std::string::npos &&
        !opens(std::string_view(instance.definition).substr(at + 1, end - at - 1))) {
      throw refuse();
    }
    break;
  }
  constexpr std::string_view kCheckText = "odata-broker secret key check";
  const std::string kept = store_->keyCheck(secrets_.seal(kCheckText));
  if (!opens(kept) || secrets_.open(kept) != kCheckText) throw refuse();
}

std::shared_ptr<Registration> Registry::restore(config::StoredInstance stored) const {
  const auto readSecret = [this](std::string_view, std::string_view value) {
    return secrets_.open(value);
  };
  auto registration = std::make_shared<Registration>();
  registration->revision = stored.revision;
  registration->updatedAt = stored.updatedAt;
  try {
    auto definition = std::make_shared<config::InstanceDefinition>(
        config::InstanceDefinition::fromJson(stored.definition, readSecret));
    registration->definition = definition;
    registration->instance =
        openInstance(stored.name, definition->keys, std::move(stored.metadata),
                     transportFor(definition->keys, definition->auth, context_));
  } catch (const Error& e) {
    registration->problem = e.message();
    if (!registration->definition) {
      auto bare = std::make_shared<config::InstanceDefinition>();
      bare->name = stored.name;
      registration->definition = bare;
    }
    core::log(core::LogLevel::kError,
              "instance " + stored.name + " could not be restored: " + e.message());
  }
  return registration;
}

std::shared_ptr<const Registration> Registry::find(std::string_view name) const {
  const std::lock_guard lock(mutex_);
  const auto found = registrations_.find(name);
  if (found == registrations_.end()) notFound(name);
  return found->second;
}

std::shared_ptr<const Instance> Registry::instance(std::string_view name) const {
  std::shared_ptr<const Registration> registration = find(name);
  if (!registration->instance) {
    throw Error(ErrorCode::kUpstreamFailure, "instance '" + std::string(name) +
                                                 "' is not usable: " + registration->problem +
                                                 " (refresh or change it)");
  }
  return registration->instance;
}

std::vector<std::shared_ptr<const Registration>> Registry::list() const {
  const std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<const Registration>> all;
  all.reserve(registrations_.size());
  for (const auto& entry : registrations_) all.push_back(entry.second);
  return all;
}

StoreState Registry::storeState() const {
  StoreState state;
  state.location = store_->describe();
  state.shared = follower_.joinable();
  const std::lock_guard lock(mutex_);
  state.reachable = storeProblem_.empty();
  state.problem = storeProblem_;
  return state;
}

void Registry::checkStore() const {
  const std::lock_guard lock(mutex_);
  if (!storeProblem_.empty()) {
    throw Error(
        ErrorCode::kUnavailable,
        "changes are refused while the store cannot be reached (calls go on): " + storeProblem_);
  }
}

// Runs a store operation, recording whether the store could be reached.
template <typename F>
auto Registry::onStore(F&& work) {
  try {
    auto result = work();
    if (!follower_.joinable()) {
      const std::lock_guard lock(mutex_);
      storeProblem_.clear();
    }
    return result;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kUnavailable) {
      const std::lock_guard lock(mutex_);
      storeProblem_ = e.message();
    }
    throw;
  }
}

std::shared_ptr<const Registration> Registry::publish(
    std::shared_ptr<const config::InstanceDefinition> definition,
    const std::string& callerAuthorization, std::optional<std::int64_t> replacing) {
  checkStore();
  auto registration = std::make_shared<Registration>();
  registration->instance =
      openInstance(definition->name, definition->keys,
                   transportFor(definition->keys, definition->auth, context_), callerAuthorization);
  config::StoredInstance stored;
  stored.name = definition->name;
  stored.definition = definition->toJson(
      [this](std::string_view, std::string_view value) { return secrets_.seal(value); });
  stored.metadata = registration->instance->metadata;
  stored.revision = replacing.value_or(0);
  const config::StoredInstance written =
      onStore([&] { return replacing ? store_->replace(stored) : store_->insert(stored); });
  registration->revision = written.revision;
  registration->updatedAt = written.updatedAt;
  registration->definition = std::move(definition);
  const std::lock_guard lock(mutex_);
  registrations_[registration->definition->name] = registration;
  return registration;
}

std::shared_ptr<const Registration> Registry::add(config::InstanceDefinition definition,
                                                  const std::string& callerAuthorization) {
  const NameLock nameLock(*this, definition.name);
  {
    const std::lock_guard lock(mutex_);
    if (registrations_.contains(definition.name)) {
      throw Error(ErrorCode::kConflict,
                  "an instance named '" + definition.name + "' is already registered");
    }
  }
  return publish(std::make_shared<const config::InstanceDefinition>(std::move(definition)),
                 callerAuthorization, std::nullopt);
}

std::shared_ptr<const Registration> Registry::change(std::string_view name,
                                                     config::InstanceDefinition definition,
                                                     const std::string& callerAuthorization) {
  if (definition.name != name) {
    throw Error(ErrorCode::kInvalidArgument, "name: '" + definition.name +
                                                 "' differs from the instance being changed ('" +
                                                 std::string(name) + "')");
  }
  const NameLock nameLock(*this, name);
  const std::shared_ptr<const Registration> current = find(name);
  definition.keepMaskedSecrets(*current->definition);
  return publish(std::make_shared<const config::InstanceDefinition>(std::move(definition)),
                 callerAuthorization, current->revision);
}

std::shared_ptr<const Registration> Registry::refresh(std::string_view name,
                                                      const std::string& callerAuthorization) {
  const NameLock nameLock(*this, name);
  const std::shared_ptr<const Registration> current = find(name);
  return publish(current->definition, callerAuthorization, current->revision);
}

void Registry::remove(std::string_view name) {
  const NameLock nameLock(*this, name);
  find(name);
  checkStore();
  onStore([&] { return store_->remove(name); });
  const std::lock_guard lock(mutex_);
  registrations_.erase(registrations_.find(name));
}

bool Registry::synchronize() {
  bool complete = true;
  const std::vector<config::StoredRevision> stored = onStore([&] { return store_->revisions(); });
  std::map<std::string, std::int64_t, std::less<>> local;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [name, registration] : registrations_) local[name] = registration->revision;
  }
  for (const config::StoredRevision& row : stored) {
    const auto known = local.find(row.name);
    const bool same = known != local.end() && known->second == row.revision;
    if (known != local.end()) local.erase(known);
    if (same) continue;
    // A change in progress here writes its own row; the name is looked at again after it.
    const NameLock nameLock(*this, row.name, std::try_to_lock);
    if (!nameLock.owns()) {
      complete = false;
      continue;
    }
    std::optional<config::StoredInstance> current = onStore([&] { return store_->load(row.name); });
    if (!current) continue;  // removed meanwhile: the next pass sees it gone
    core::log(core::LogLevel::kInfo, "instance " + row.name + " revision " +
                                         std::to_string(current->revision) +
                                         " taken from the store");
    auto registration = restore(std::move(*current));
    const std::lock_guard lock(mutex_);
    registrations_[row.name] = std::move(registration);
  }
  for (const auto& entry : local) {  // what the store no longer has
    const std::string& name = entry.first;
    const NameLock nameLock(*this, name, std::try_to_lock);
    if (!nameLock.owns()) {
      complete = false;
      continue;
    }
    if (onStore([&] { return store_->load(name); })) continue;  // added again meanwhile
    core::log(core::LogLevel::kInfo, "instance " + name + " removed from the store");
    const std::lock_guard lock(mutex_);
    registrations_.erase(name);
  }
  return complete;
}

void Registry::follow(std::stop_token stop, std::unique_ptr<config::ChangeFeed> feed) {
  // Without a notification, the store is read again this often anyway: a notification can be
  // lost with a connection, and a silent network is noticed this way.
  constexpr auto kResync = std::chrono::seconds(5);
  constexpr auto kWait = std::chrono::milliseconds(250);
  constexpr auto kReconnectEvery = std::chrono::seconds(1);
  auto lastSync = std::chrono::steady_clock::now();
  bool due = true;  // what was written between the restore and the feed's start
  while (!stop.stop_requested()) {
    try {
      if (!feed) {
        feed = store_->changes();  // after a lost connection: catch up once reconnected
        due = true;
      }
      due = feed->wait(kWait) || due || std::chrono::steady_clock::now() - lastSync > kResync;
      if (!due) continue;
      due = !synchronize();
      lastSync = std::chrono::steady_clock::now();
      const std::lock_guard lock(mutex_);
      if (!storeProblem_.empty()) {
        core::log(core::LogLevel::kInfo, "store " + store_->describe() + " reachable again");
        storeProblem_.clear();
      }
    } catch (const std::exception& e) {
      feed.reset();
      bool first = false;
      {
        const std::lock_guard lock(mutex_);
        first = storeProblem_.empty();
        storeProblem_ = e.what();
      }
      if (first) core::log(core::LogLevel::kError, std::string("store: ") + e.what());
      const auto retry = std::chrono::steady_clock::now() + kReconnectEvery;
      while (!stop.stop_requested() && std::chrono::steady_clock::now() < retry) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
  }
}

namespace {

ConnectionContext connectionContext(const config::BrokerSettings& settings) {
  ConnectionContext context;
  context.serviceAccount = {settings.serviceAccountUsername, settings.serviceAccountPassword};
  context.maxResponseBytes = settings.maxUpstreamResponseBytes;
  context.maxDownloadBytes = settings.maxStreamBytes;
  context.maxInflationRatio = settings.maxUpstreamInflationRatio;
  context.proxy = settings.proxy;
  context.certificates.localMachine = settings.dataDir / "certificates";
  const char* home = std::getenv("HOME");
  context.certificates.currentUser =
      std::filesystem::path(home != nullptr && *home != '\0' ? home : "/nonexistent") /
      ".odata-broker" / "certificates";
  return context;
}

}  // namespace

std::unique_ptr<Registry> openRegistry(const config::BrokerSettings& settings) {
  return std::make_unique<Registry>(config::openStore(settings),
                                    auth::SecretBox::openKeyFile(settings.keyFile()),
                                    connectionContext(settings));
}

}  // namespace broker::engine
