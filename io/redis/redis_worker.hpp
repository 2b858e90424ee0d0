#pragma once

#include <chrono>

#include <caf/fwd.hpp>

#include "io/redis/redis_client.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// Spawns a detached actor owning one blocking Redis connection: `run`
/// sends a pipeline and answers its replies, `connect` (re)connects. A
/// failed pipeline closes the connection and answers the error; the next
/// `connect` opens a fresh one. Blocking here never blocks another actor.
redis_worker_actor spawn_redis_worker(caf::actor_system& sys,
                                      redis_endpoint endpoint,
                                      std::chrono::milliseconds connect_timeout,
                                      std::chrono::milliseconds io_timeout);

} // namespace parley
