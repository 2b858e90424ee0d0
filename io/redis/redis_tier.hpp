#pragma once

#include <caf/fwd.hpp>

#include "io/redis/redis_config.hpp"
#include "messages/fwd.hpp"

namespace parley {

/// Spawns the shared cache tier: an actor that never blocks, in front of two
/// detached workers that each own one Redis connection, one for lookups and
/// one for writes, so a lookup never waits behind a write. Lookups queued
/// while the reader is busy go out together as one pipeline.
///
/// Redis trouble is never the caller's trouble: a lookup not answered within
/// `timeout` is a miss; when Redis fails the tier logs once, answers every
/// lookup as a miss at once, drops writes, and reconnects with backoff
/// (`redis_up` reads 0 meanwhile). A value that is not what its key should
/// hold is a miss. Throws `std::invalid_argument` for a bad URL.
///
/// The tier is also the conversation memory that fronts share
/// (io/redis/redis_languages): pass it to `spawn_conversation_memory`.
redis_tier_actor spawn_redis_tier(caf::actor_system& sys,
                                  redis_tier_config config);

/// The same tier in front of workers spawned elsewhere (io/redis/redis_worker,
/// or a test's doubles of them), which it links to. It connects both at once,
/// the reader first.
redis_tier_actor spawn_redis_tier(caf::actor_system& sys,
                                  redis_tier_config config,
                                  redis_worker_actor reader,
                                  redis_worker_actor writer);

} // namespace parley
