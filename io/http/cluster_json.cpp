#include "io/http/cluster_json.hpp"

#include <map>

namespace parley {

nlohmann::json cluster_json(const cluster_status& status) {
  using nlohmann::json;
  auto nodes = json::array();
  for (const auto& node : status.nodes)
    nodes.push_back({{"name", node.name},
                     {"state", node.state},
                     {"models", node.models},
                     {"since_ms", node.since_ms}});
  auto models = json::array();
  for (const auto& pool : status.pools) {
    auto replicas = json::array();
    std::map<std::string, size_t> per_node;
    for (const auto& replica : pool.replicas) {
      ++per_node[replica.node];
      replicas.push_back({{"node", replica.node},
                          {"kind", replica.kind},
                          {"max_batch", replica.max_batch},
                          {"in_flight", replica.in_flight},
                          {"batches", replica.batches},
                          {"jobs", replica.jobs}});
    }
    models.push_back({{"name", pool.model},
                      {"task", to_string(pool.task)},
                      {"queued", pool.queued},
                      {"in_flight", pool.in_flight},
                      {"ready", pool.ready()},
                      {"unavailable", pool.unavailable},
                      {"draining", pool.draining},
                      {"replicas_per_node", per_node},
                      {"replicas", std::move(replicas)}});
  }
  return {{"front", status.front},
          {"nodes", std::move(nodes)},
          {"models", std::move(models)},
          {"nodes_joined", status.nodes_joined},
          {"nodes_lost", status.nodes_lost},
          {"joins_refused", status.joins_refused}};
}

} // namespace parley
