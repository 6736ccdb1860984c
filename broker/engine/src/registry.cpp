#include "broker/engine/registry.h"

#include <cstdlib>
#include <filesystem>
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
  ~NameLock() {
    {
      const std::lock_guard lock(registry_.mutex_);
      registry_.busy_.erase(name_);
    }
    registry_.idle_.notify_all();
  }
  NameLock(const NameLock&) = delete;
  NameLock& operator=(const NameLock&) = delete;

 private:
  Registry& registry_;
  std::string name_;
};

Registry::Registry(std::unique_ptr<config::Store> store, auth::SecretBox secrets,
                   ConnectionContext context)
    : store_(std::move(store)), secrets_(std::move(secrets)), context_(std::move(context)) {
  const auto readSecret = [this](std::string_view, std::string_view value) {
    return secrets_.open(value);
  };
  for (config::StoredInstance& stored : store_->loadAll()) {
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
    registrations_.emplace(stored.name, std::move(registration));
  }
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

std::shared_ptr<const Registration> Registry::publish(
    std::shared_ptr<const config::InstanceDefinition> definition,
    const std::string& callerAuthorization) {
  auto registration = std::make_shared<Registration>();
  registration->instance =
      openInstance(definition->name, definition->keys,
                   transportFor(definition->keys, definition->auth, context_), callerAuthorization);
  config::StoredInstance stored;
  stored.name = definition->name;
  stored.definition = definition->toJson(
      [this](std::string_view, std::string_view value) { return secrets_.seal(value); });
  stored.metadata = registration->instance->metadata;
  const config::StoredInstance written = store_->put(stored);
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
                 callerAuthorization);
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
  definition.keepMaskedSecrets(*find(name)->definition);
  return publish(std::make_shared<const config::InstanceDefinition>(std::move(definition)),
                 callerAuthorization);
}

std::shared_ptr<const Registration> Registry::refresh(std::string_view name,
                                                      const std::string& callerAuthorization) {
  const NameLock nameLock(*this, name);
  return publish(find(name)->definition, callerAuthorization);
}

void Registry::remove(std::string_view name) {
  const NameLock nameLock(*this, name);
  find(name);
  store_->remove(name);
  const std::lock_guard lock(mutex_);
  registrations_.erase(registrations_.find(name));
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
  return std::make_unique<Registry>(config::openSqliteStore(settings.storeFile()),
                                    auth::SecretBox::openKeyFile(settings.keyFile()),
                                    connectionContext(settings));
}

}  // namespace broker::engine
