#pragma once

#include <string>
#include <vector>

#include <caf/fwd.hpp>
#include <caf/timespan.hpp>

#include "actors/runtime_config.hpp"
#include "messages/fwd.hpp"
#include "models/registry.hpp"

namespace parley {

/// The actor graph of one Parley process: the cache, one batcher and one
/// supervisor per model, the router and the stats actor. Both the server and
/// the in-process CLI run requests through it.
class runtime {
public:
  /// Spawns every actor. Throws `std::invalid_argument` for an unknown backend
  /// kind, a duplicate model name or a route to an unknown model.
  runtime(caf::actor_system& sys, runtime_config config,
          const backend_registry& registry);

  /// Stops every actor without draining (see `shutdown`).
  ~runtime();

  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  const router_actor& router() const {
    return router_;
  }

  const stats_actor& stats() const {
    return stats_;
  }

  const runtime_config& config() const {
    return config_;
  }

  /// Blocks until every model has a loaded replica or was reported
  /// unavailable, or until `timeout`; returns the models not ready.
  std::vector<std::string> wait_until_ready(caf::timespan timeout);

  /// Lets accepted requests finish for at most `drain` (answering the rest
  /// with TIMEOUT), then stops every actor. Calling it again does nothing.
  void shutdown(caf::timespan drain);

private:
  void stop_actors();

  caf::actor_system& sys_;
  runtime_config config_;
  cache_actor cache_;
  std::vector<batcher_actor> batchers_;
  std::vector<supervisor_actor> supervisors_;
  router_actor router_;
  stats_actor stats_;
  bool stopped_ = false;
};

} // namespace parley
