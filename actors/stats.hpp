#pragma once

#include <vector>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// Spawns the stats actor: asked for `stats`, it asks every source and answers
/// the merged counters. A source that does not answer within a second is left
/// out of that answer.
stats_actor spawn_stats(caf::actor_system& sys,
                        std::vector<stats_source> sources);

} // namespace parley
