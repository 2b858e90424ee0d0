#pragma once

#include <nlohmann/json.hpp>

#include "messages/cluster.hpp"

namespace parley {

/// `GET /cluster`: nodes, then each model's queue, in-flight jobs and
/// replicas per node.
nlohmann::json cluster_json(const cluster_status& status);

} // namespace parley
