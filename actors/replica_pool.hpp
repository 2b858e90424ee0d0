#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include <caf/fwd.hpp>
#include <caf/timespan.hpp>

#include "messages/fwd.hpp"
#include "messages/replica.hpp"
#include "messages/telemetry.hpp"

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
  /// Told the languages each joining replica announces (the detector's
  /// candidates grow with the served languages); may be empty. Called from
  /// the pool's thread, so it must be thread-safe and must not block.
  std::function<void(const language_routes&)> on_languages;
  /// Hears each batch's size and timings and the announced languages
  /// (actors/telemetry); invalid: histograms are off.
  telemetry_actor telemetry;
};

/// Spawns the pool of one model of `task`: a bounded queue in front of its
/// replicas (see the flush contract at the top of actors/replica_pool.cpp).
/// Translation jobs batch, with priority lanes; speech pools take one job
/// per batch (a recording arrives as windows, one job each, so a long one
/// does not hold a replica for its whole length).
pool_actor spawn_pool(caf::actor_system& sys, model_task task,
                      pool_config config);

} // namespace parley
