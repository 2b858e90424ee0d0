#include "server/replica_launch.hpp"

#include <algorithm>
#include <stdexcept>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>

#include "actors/replica_pool.hpp"
#include "actors/supervisor.hpp"
#include "messages/replica.hpp"
#include "models/model_actor.hpp"
#include "models/speech_actor.hpp"

namespace parley {

namespace {

replica_info announcement(const model_config& model, const model_kind& kind,
                          const std::string& node) {
  replica_info info;
  info.model = model.name;
  info.kind = model.kind;
  info.task = kind.task();
  info.node = node;
  info.max_batch = static_cast<uint32_t>(model.batching.max_batch);
  // A replica on a GPU takes larger batches than the pool's default: the
  // pool fills what it announces.
  if (kind.announced_batch != nullptr)
    info.max_batch =
        std::max(info.max_batch,
                 static_cast<uint32_t>(kind.announced_batch(model.options)));
  return info;
}

} // namespace

pool_config pool_config_of(const model_config& model) {
  pool_config config;
  config.model_name = model.name;
  config.max_batch = model.batching.max_batch;
  config.max_delay = model.batching.max_delay;
  config.queue_capacity = model.batching.queue_capacity;
  return config;
}

supervisor_actor launch_replicas(caf::actor_system& sys,
                                 const model_config& model,
                                 const backend_registry& registry,
                                 const std::string& node,
                                 const pool_actor& pool) {
  const auto* kind = registry.find_kind(model.kind);
  if (kind == nullptr)
    throw std::invalid_argument("models." + model.name + ": unknown kind '"
                                + model.kind + "'");
  auto info = announcement(model, *kind, node);
  // One way to start a replica, whatever the task: the kind's factory
  // decides which replica runs it.
  auto spawn_replica = [info, kind = *kind, options = model.options,
                        pool](caf::actor_system& sys,
                              const supervisor_actor& supervisor) {
    switch (kind.task()) {
    case model_task::translation:
      return spawn_model_actor(sys, info,
                               std::get<backend_factory>(kind.factory), options,
                               supervisor, pool);
    case model_task::transcription:
      return spawn_transcription_replica(
          sys, info, std::get<transcription_factory>(kind.factory), options,
          supervisor, pool);
    case model_task::synthesis:
      break;
    }
    return spawn_synthesis_replica(sys, info,
                                   std::get<synthesis_factory>(kind.factory),
                                   options, supervisor, pool);
  };
  supervisor_config supervision{model.name, model.replicas,
                                model.max_failed_starts};
  return spawn_supervisor(
      sys, supervision,
      [spawn_replica](caf::actor_system& sys, const supervisor_actor& sv) {
        return caf::actor_cast<caf::actor>(spawn_replica(sys, sv));
      },
      pool);
}

} // namespace parley
