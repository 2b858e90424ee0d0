#pragma once

// What the edges learn of the server as a whole through the admin actor
// (admin_actor in messages/fwd.hpp): the models served now, each with its
// pool's status, and the routes.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <caf/meta/type_name.hpp>

#include "messages/fwd.hpp"
#include "messages/replica.hpp"

namespace parley {

/// One model served now.
struct model_status {
  std::string name;
  /// Backend kind, a name from models/backend_kinds.def.
  std::string kind;
  model_task task = model_task::translation;
  /// Replicas on this node; 0: only worker nodes serve it.
  uint64_t local_replicas = 0;
  /// Whether its pool answered in time; `pool` is empty otherwise.
  bool answered = false;
  pool_status pool;

  /// Loaded: its pool answered and has a replica.
  bool ready() const {
    return answered && pool.ready();
  }
};

/// Every model served now, and the routes of model types to models.
struct server_status {
  std::vector<model_status> models;
  std::map<std::string, std::string> routes;

  /// True when every model has a loaded replica.
  bool ready() const {
    for (const auto& model : models)
      if (!model.ready())
        return false;
    return true;
  }
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, model_status& x) {
  return f(caf::meta::type_name("model_status"), x.name, x.kind, x.task,
           x.local_replicas, x.answered, x.pool);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, server_status& x) {
  return f(caf::meta::type_name("server_status"), x.models, x.routes);
}

} // namespace parley
