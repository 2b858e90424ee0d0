#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/timespan.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// What a supervisor needs of its model's configuration.
struct supervisor_config {
  std::string model_name;
  /// Replicas kept running on this node.
  size_t replicas = 1;
  /// Consecutive failed starts of a replica, with none up, before the model
  /// is reported unavailable.
  size_t max_failed_starts = 3;
};

/// The wait before restarting a replica whose start failed once; it doubles
/// with each further failed start.
constexpr caf::timespan supervisor_first_backoff =
    std::chrono::milliseconds(100);

/// Starts one replica of a model; once loaded it announces itself to its pool
/// and reports `ready` to the supervisor it is given.
using replica_spawner =
    std::function<caf::actor(caf::actor_system&, const supervisor_actor&)>;

/// Spawns the supervisor of one model. It starts `config.replicas` replicas
/// with `spawn` and restarts any that dies: at once after a
/// crash in service, with growing backoff while starts keep failing. After
/// `config.max_failed_starts` failed starts with no replica up it tells the
/// dispatcher the model is unavailable, so queued requests are answered
/// instead of waiting. Its replicas stop when it stops.
supervisor_actor spawn_supervisor(caf::actor_system& sys,
                                  const supervisor_config& config,
                                  replica_spawner spawn,
                                  replica_dispatcher dispatcher);

} // namespace parley
