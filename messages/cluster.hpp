#pragma once

// What crosses between a front and its worker nodes, besides the jobs and
// results themselves: the join handshake and the cluster's status.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/typed_actor.hpp>

#include "messages/fwd.hpp"
#include "messages/replica.hpp"

namespace parley {

/// A worker node asking a front to take its replicas.
struct join_request {
  /// The cluster's shared token; a wrong one is refused.
  std::string token;
  /// The worker's node name, unique in the cluster.
  std::string node;
  /// The models the worker serves, by name.
  std::vector<std::string> models;
};

/// The front's answer: the pools the worker's replicas join, by model name.
/// A model the front does not know is absent. The front also sends one to a
/// static worker it dialled itself, with its token.
struct join_reply {
  std::string front;
  /// The front's cluster actor, which the worker watches to notice its loss.
  caf::actor front_actor;
  /// The pool of every model the front serves, whatever its task.
  std::map<std::string, pool_actor> pools;
};

/// One node as the front sees it.
struct node_status {
  std::string name;
  /// `front`, `joined` or `lost`.
  std::string state;
  std::vector<std::string> models;
  /// Milliseconds since it joined (or since it was lost).
  uint64_t since_ms = 0;
};

/// The whole cluster: nodes, and every model's pool with its replicas per
/// node.
struct cluster_status {
  std::string front;
  std::vector<node_status> nodes;
  std::vector<pool_status> pools;
  uint64_t nodes_joined = 0;
  uint64_t nodes_lost = 0;
  uint64_t joins_refused = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, join_request& x) {
  return f(caf::meta::type_name("join_request"), x.token, x.node, x.models);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, join_reply& x) {
  return f(caf::meta::type_name("join_reply"), x.front, x.front_actor, x.pools);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_status& x) {
  return f(caf::meta::type_name("node_status"), x.name, x.state, x.models,
           x.since_ms);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cluster_status& x) {
  return f(caf::meta::type_name("cluster_status"), x.front, x.nodes, x.pools,
           x.nodes_joined, x.nodes_lost, x.joins_refused);
}

} // namespace parley
