#include "io/http/dashboard_json.hpp"

namespace parley {

namespace {

using nlohmann::json;

json histogram_json(const histogram& h) {
  auto bounds = json::array();
  auto cumulative = json::array();
  uint64_t below = 0;
  for (size_t i = 0; i < h.bounds.size() && i < h.counts.size(); ++i) {
    below += h.counts[i];
    bounds.push_back(h.bounds[i]);
    cumulative.push_back(below);
  }
  return {{"le", std::move(bounds)},
          {"cumulative", std::move(cumulative)},
          {"count", h.count},
          {"sum_s", h.sum}};
}

json pool_json(const dashboard_pool& pool) {
  return {{"model", pool.model},
          {"task", pool.task},
          {"ready", pool.ready},
          {"unavailable", pool.unavailable},
          {"replicas_per_node", pool.replicas_per_node},
          {"jobs_per_node", pool.jobs_per_node},
          {"queued", pool.queued},
          {"in_flight", pool.in_flight},
          {"batch_fill", pool.batch_fill},
          {"queue_p50_s", pool.queue_p50_s},
          {"queue_p95_s", pool.queue_p95_s},
          {"compute_p50_s", pool.compute_p50_s},
          {"compute_p95_s", pool.compute_p95_s}};
}

} // namespace

json dashboard_json(const dashboard_summary& summary) {
  auto nodes = json::array();
  for (const auto& node : summary.nodes)
    nodes.push_back({{"name", node.name},
                     {"state", node.state},
                     {"since_ms", node.since_ms}});
  auto pools = json::array();
  for (const auto& pool : summary.pools)
    pools.push_back(pool_json(pool));
  auto cache = json::array();
  for (const auto& tier : summary.cache)
    cache.push_back(
        {{"tier", tier.name}, {"hits", tier.hits}, {"misses", tier.misses}});
  auto pairs = json::array();
  for (const auto& pair : summary.top_pairs)
    pairs.push_back({{"pair", pair.pair},
                     {"answers", pair.answers},
                     {"characters", pair.characters},
                     {"latency_p50_s", pair.latency_p50_s},
                     {"latency_p95_s", pair.latency_p95_s},
                     {"characters_per_s", pair.characters_per_s}});
  return {{"node", summary.node},
          {"histograms", summary.histograms},
          {"nodes", std::move(nodes)},
          {"nodes_left_out", summary.nodes_left_out},
          {"pools", std::move(pools)},
          {"pools_left_out", summary.pools_left_out},
          {"answers", summary.answers},
          {"characters", summary.characters},
          {"latency_p50_s", summary.latency_p50_s},
          {"latency_p95_s", summary.latency_p95_s},
          {"latency_p99_s", summary.latency_p99_s},
          {"latency", histogram_json(summary.latency_seconds)},
          {"cache", std::move(cache)},
          {"top_pairs", std::move(pairs)},
          {"pairs_left_out", summary.pairs_left_out},
          {"errors", summary.errors},
          {"detections", summary.detections}};
}

} // namespace parley
