#pragma once

#include <cstddef>
#include <string>

#include <caf/fwd.hpp>
#include <caf/timespan.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// How the pool of one model queues and batches its work.
struct pool_config {
  std::string model_name;
  /// Largest batch handed to a replica that names none of its own. Speech
  /// pools always hand one job at a time.
  size_t max_batch = 8;
  /// Longest a job waits for a fuller batch while a replica is idle.
  caf::timespan max_delay = caf::timespan{0};
  /// Jobs queued beyond this are refused with OVERLOADED.
  size_t queue_capacity = 1024;
};

/// Spawns the pool of a translation model: a bounded queue with priority
/// lanes in front of its replicas. See the flush contract at the top of
/// actors/replica_pool.cpp.
batcher_actor spawn_translation_pool(caf::actor_system& sys, pool_config config);

/// Spawns the pool of a speech recognizer. Recordings arrive as windows, one
/// job each, so a long recording does not hold a replica for its whole
/// length: other requests' windows interleave.
transcriber_actor spawn_transcription_pool(caf::actor_system& sys,
                                           pool_config config);

/// Spawns the pool of a speech synthesizer: one text per job.
synthesizer_actor spawn_synthesis_pool(caf::actor_system& sys,
                                       pool_config config);

} // namespace parley
