#pragma once

#include <string>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"
#include "messages/replica.hpp"
#include "models/backend.hpp"

namespace parley {

/// Spawns a model actor on its own thread (`detached`, because inference
/// blocks). It builds its backend with `factory`, then announces itself to
/// `pool` with `info` (its languages added), reports `ready` to `supervisor`,
/// and answers one batch at a time: its mailbox is the only
/// serialization the backend needs. When loading fails, or the backend throws
/// `backend_fatal`, the actor quits with MODEL_UNAVAILABLE and the supervisor
/// starts a fresh one.
/// It answers audio windows and texts to speak with INVALID_REQUEST.
replica_actor spawn_model_actor(caf::actor_system& sys, replica_info info,
                                backend_factory factory,
                                backend_options options,
                                supervisor_actor supervisor, pool_actor pool);

} // namespace parley
