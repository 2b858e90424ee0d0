#pragma once

#include <string>

#include <caf/fwd.hpp>

#include "actors/runtime_config.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// Spawns the batcher of model `model_name`: a bounded queue with priority
/// lanes in front of the model's replicas. See the flush contract at the top
/// of actors/batcher.cpp.
batcher_actor spawn_batcher(caf::actor_system& sys, std::string model_name,
                            batching_config config);

} // namespace parley
