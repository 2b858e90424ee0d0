#pragma once

#include <functional>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/runtime_config.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// Starts one replica of a model; it reports `ready` to the supervisor it is
/// given once loaded.
using replica_spawner
  = std::function<caf::actor(caf::actor_system&, const supervisor_actor&)>;

/// Spawns the supervisor of one model. It starts `config.replicas` replicas
/// with `spawn`, announces each loaded one to `dispatcher` (the model's
/// batcher or speech pool), and restarts any that dies: at once after a
/// crash in service, with growing backoff while starts keep failing. After
/// `config.max_failed_starts` failed starts with no replica up it tells the
/// dispatcher the model is unavailable, so queued requests are answered
/// instead of waiting. Its replicas stop when it stops.
supervisor_actor spawn_supervisor(caf::actor_system& sys,
                                  const model_config& config,
                                  replica_spawner spawn,
                                  replica_dispatcher dispatcher);

} // namespace parley
