#pragma once

#include <string>

#include <caf/fwd.hpp>

#include "actors/replica_pool.hpp"
#include "messages/fwd.hpp"
#include "models/registry.hpp"
#include "server/runtime_config.hpp"

namespace parley {

/// Starts `model.replicas` replicas of `model` on this node under a new
/// supervisor. Each announces itself to `pool` (on this node or on the
/// front) as running on `node`. The overload is chosen by the pool's task;
/// the model's kind must have that task in `registry`.
supervisor_actor launch_replicas(caf::actor_system& sys,
                                 const model_config& model,
                                 const backend_registry& registry,
                                 const std::string& node,
                                 const batcher_actor& pool);
supervisor_actor launch_replicas(caf::actor_system& sys,
                                 const model_config& model,
                                 const backend_registry& registry,
                                 const std::string& node,
                                 const transcriber_actor& pool);
supervisor_actor launch_replicas(caf::actor_system& sys,
                                 const model_config& model,
                                 const backend_registry& registry,
                                 const std::string& node,
                                 const synthesizer_actor& pool);

/// The pool settings of `model`.
pool_config pool_config_of(const model_config& model);

} // namespace parley
