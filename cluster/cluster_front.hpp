#pragma once

#include <map>
#include <string>
#include <vector>

#include <caf/io/middleman_actor.hpp>
#include <caf/timespan.hpp>

#include <caf/fwd.hpp>

#include "messages/fwd.hpp"

namespace parley {

/// What the front's cluster actor hands to joining workers and reads for
/// `/cluster`.
struct cluster_front_setup {
  /// The front's node name.
  std::string node;
  /// Empty: workers join without a token.
  std::string token;
  /// The pool of every model, whatever its task.
  std::map<std::string, pool_actor> pools;
  /// Static workers (`[cluster] workers`, HOST:PORT): the front dials each
  /// through `connector` and offers it a join, again every `redial` while
  /// it is not joined.
  std::vector<std::string> static_workers;
  caf::io::middleman_actor connector;
  caf::timespan redial = std::chrono::seconds(1);
};

/// Spawns the front's cluster actor. A worker joins with its token, its node
/// name and the models it serves; it gets the pools of those models, which
/// its replicas then join. A wrong token is refused with UNAUTHORIZED and
/// logged. The actor watches each worker's agent: a lost node (down, or
/// silent past the middleman's peer timeout) is marked lost, and the pools,
/// which watch the replicas themselves, requeue its batches. A node that
/// joins again under the same name replaces its lost entry. Static workers
/// are dialled by the front, which offers them the same join.
cluster_actor spawn_cluster_front(caf::actor_system& sys,
                                  cluster_front_setup setup);

} // namespace parley
