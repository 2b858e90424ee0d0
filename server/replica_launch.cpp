#include "server/replica_launch.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>

#include "actors/replica_pool.hpp"
#include "actors/supervisor.hpp"
#include "messages/replica.hpp"
#include "models/model_actor.hpp"
#include "models/speech_actor.hpp"

namespace parley {

namespace {

replica_info announcement(const model_config& model, model_task task,
                          const std::string& node) {
  replica_info info;
  info.model = model.name;
  info.kind = model.kind;
  info.task = task;
  info.node = node;
  info.max_batch = static_cast<uint32_t>(model.batching.max_batch);
  return info;
}

/// Supervises replicas made by `spawn_replica(sys, supervisor)`.
template <class Pool, class Spawn>
supervisor_actor supervise(caf::actor_system& sys, const model_config& model,
                           const Pool& pool, Spawn spawn_replica) {
  supervisor_config supervision{model.name, model.replicas,
                                model.max_failed_starts};
  return spawn_supervisor(
    sys, supervision,
    [spawn_replica](caf::actor_system& sys, const supervisor_actor& supervisor) {
      return caf::actor_cast<caf::actor>(spawn_replica(sys, supervisor));
    },
    pool);
}

} // namespace

pool_config pool_config_of(const model_config& model) {
  return pool_config{model.name, model.batching.max_batch,
                     model.batching.max_delay, model.batching.queue_capacity};
}

supervisor_actor launch_replicas(caf::actor_system& sys,
                                 const model_config& model,
                                 const backend_registry& registry,
                                 const std::string& node,
                                 const batcher_actor& pool) {
  auto info = announcement(model, model_task::translation, node);
  auto factory = registry.find(model.kind);
  return supervise(sys, model, pool,
                   [=](caf::actor_system& sys, const supervisor_actor& sv) {
                     return spawn_model_actor(sys, info, factory,
                                              model.options, sv, pool);
                   });
}

supervisor_actor launch_replicas(caf::actor_system& sys,
                                 const model_config& model,
                                 const backend_registry& registry,
                                 const std::string& node,
                                 const transcriber_actor& pool) {
  auto info = announcement(model, model_task::transcription, node);
  auto factory = registry.find_transcriber(model.kind);
  return supervise(sys, model, pool,
                   [=](caf::actor_system& sys, const supervisor_actor& sv) {
                     return spawn_transcription_replica(sys, info, factory,
                                                        model.options, sv,
                                                        pool);
                   });
}

supervisor_actor launch_replicas(caf::actor_system& sys,
                                 const model_config& model,
                                 const backend_registry& registry,
                                 const std::string& node,
                                 const synthesizer_actor& pool) {
  auto info = announcement(model, model_task::synthesis, node);
  auto factory = registry.find_synthesizer(model.kind);
  return supervise(sys, model, pool,
                   [=](caf::actor_system& sys, const supervisor_actor& sv) {
                     return spawn_synthesis_replica(sys, info, factory,
                                                    model.options, sv, pool);
                   });
}

} // namespace parley
