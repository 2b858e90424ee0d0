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
/// front) as running on `node`. The replicas are those of the model kind's
/// task in `registry`; a pool of another task refuses them. Throws
/// `std::invalid_argument` for a kind `registry` does not know.
supervisor_actor launch_replicas(caf::actor_system& sys,
                                 const model_config& model,
                                 const backend_registry& registry,
                                 const std::string& node,
                                 const pool_actor& pool);

/// The pool settings of `model`.
pool_config pool_config_of(const model_config& model);

} // namespace parley
