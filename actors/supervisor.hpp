#pragma once

#include <caf/fwd.hpp>

#include "actors/runtime_config.hpp"
#include "messages/fwd.hpp"
#include "models/backend.hpp"

namespace parley {

/// Spawns the supervisor of one model. It starts `config.replicas` model
/// actors, announces each loaded one to `batcher`, and restarts any that
/// dies: at once after a crash in service, with growing backoff while starts
/// keep failing. After `config.max_failed_starts` failed starts with no replica
/// up it tells the batcher the model is unavailable, so queued requests are
/// answered instead of waiting. Its replicas stop when it stops.
supervisor_actor spawn_supervisor(caf::actor_system& sys,
                                  const model_config& config,
                                  backend_factory factory,
                                  batcher_actor batcher);

} // namespace parley
