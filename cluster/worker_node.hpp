#pragma once

#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"
#include "models/registry.hpp"
#include "server/cluster_config.hpp"
#include "server/runtime_config.hpp"

namespace parley {

/// What a worker node serves and whom it joins.
struct worker_setup {
  cluster_config cluster;
  /// This node's models, from its own configuration.
  std::vector<model_config> models;
  backend_registry registry;
};

/// Spawns a worker node's agent. It connects to the first reachable front of
/// `cluster.join` (in turn, with backoff between rounds), joins with the
/// token and its models, and starts its replicas, which announce themselves
/// to the front's pools. When the front is lost, the agent stops its
/// replicas, dropping work whose front is gone, and joins again with
/// backoff: a restarted front is rejoined without a human. A front that
/// refuses the token ends the agent with UNAUTHORIZED. A static worker (no
/// fronts to join, a cluster port of its own) waits for a front that lists
/// it to dial it and offer a join with the right token.
worker_actor spawn_worker_node(caf::actor_system& sys, worker_setup setup);

} // namespace parley
