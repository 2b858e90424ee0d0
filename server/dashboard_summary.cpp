#include "server/dashboard_summary.hpp"

#include <algorithm>

namespace parley {

namespace {

/// The cache's counters (actors/cache.cpp), per tier.
constexpr const char* local_hits = "cache_hits_total";
constexpr const char* local_misses = "cache_misses_total";
constexpr const char* shared_hits = "cache_shared_hits_total";
constexpr const char* shared_misses = "cache_shared_misses_total";

uint64_t counter(const metrics& counters, const char* name, bool& found) {
  auto i = counters.values.find(name);
  if (i == counters.values.end())
    return 0;
  found = true;
  return static_cast<uint64_t>(i->second);
}

std::vector<dashboard_tier> cache_tiers(const metrics& counters) {
  std::vector<dashboard_tier> tiers;
  bool local = false;
  dashboard_tier entry{"local", counter(counters, local_hits, local),
                       counter(counters, local_misses, local)};
  if (local)
    tiers.push_back(entry);
  bool shared = false;
  entry = {"redis", counter(counters, shared_hits, shared),
           counter(counters, shared_misses, shared)};
  if (shared)
    tiers.push_back(entry);
  return tiers;
}

const model_timings* timings_of(const telemetry_snapshot& telemetry,
                                const std::string& model) {
  for (const auto& entry : telemetry.models)
    if (entry.model == model)
      return &entry;
  return nullptr;
}

dashboard_pool pool_of(const model_status& model,
                       const telemetry_snapshot& telemetry) {
  dashboard_pool result;
  result.model = model.name;
  result.task = to_string(model.task);
  result.ready = model.ready();
  result.unavailable = model.answered && model.pool.unavailable;
  result.queued = model.pool.queued;
  result.in_flight = model.pool.in_flight;
  double max_batch = 0;
  for (const auto& replica : model.pool.replicas) {
    ++result.replicas_per_node[replica.node];
    result.jobs_per_node[replica.node] += replica.jobs;
    max_batch += replica.max_batch;
  }
  if (!model.pool.replicas.empty())
    max_batch /= static_cast<double>(model.pool.replicas.size());
  if (const auto* timings = timings_of(telemetry, model.name)) {
    const auto& batches = timings->batch_size;
    if (batches.count > 0 && max_batch > 0)
      result.batch_fill = std::min(
          1.0, batches.sum / static_cast<double>(batches.count) / max_batch);
    result.queue_p50_s = timings->queue_seconds.quantile(0.5);
    result.queue_p95_s = timings->queue_seconds.quantile(0.95);
    result.compute_p50_s = timings->compute_seconds.quantile(0.5);
    result.compute_p95_s = timings->compute_seconds.quantile(0.95);
  }
  return result;
}

std::vector<dashboard_pair> busiest_pairs(const telemetry_snapshot& telemetry,
                                          size_t limit, uint64_t& left_out) {
  std::vector<const pair_traffic*> sorted;
  for (const auto& pair : telemetry.pairs)
    sorted.push_back(&pair);
  std::stable_sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) {
    return a->latency_seconds.count > b->latency_seconds.count;
  });
  std::vector<dashboard_pair> result;
  for (const auto* pair : sorted) {
    if (result.size() == limit) {
      ++left_out;
      continue;
    }
    const auto& latency = pair->latency_seconds;
    dashboard_pair entry;
    entry.pair = pair->pair;
    entry.answers = latency.count;
    entry.characters = pair->characters;
    entry.latency_p50_s = latency.quantile(0.5);
    entry.latency_p95_s = latency.quantile(0.95);
    if (latency.sum > 0)
      entry.characters_per_s =
          static_cast<double>(pair->characters) / latency.sum;
    result.push_back(std::move(entry));
  }
  return result;
}

} // namespace

dashboard_summary make_dashboard_summary(const dashboard_parts& parts,
                                         const dashboard_limits& limits) {
  dashboard_summary summary;
  summary.node = parts.node;
  summary.histograms = parts.histograms;
  auto nodes = parts.cluster.nodes;
  if (nodes.empty())
    nodes.push_back(node_status{parts.node, "front", {}, 0});
  for (auto& node : nodes) {
    if (summary.nodes.size() == limits.nodes) {
      ++summary.nodes_left_out;
      continue;
    }
    summary.nodes.push_back(std::move(node));
  }
  for (const auto& model : parts.status.models) {
    if (summary.pools.size() == limits.pools) {
      ++summary.pools_left_out;
      continue;
    }
    summary.pools.push_back(pool_of(model, parts.telemetry));
  }
  const auto& latency = parts.telemetry.latency_seconds;
  summary.answers = latency.count;
  summary.characters = parts.telemetry.characters;
  summary.latency_seconds = latency;
  summary.latency_p50_s = latency.quantile(0.5);
  summary.latency_p95_s = latency.quantile(0.95);
  summary.latency_p99_s = latency.quantile(0.99);
  summary.cache = cache_tiers(parts.counters);
  summary.top_pairs =
      busiest_pairs(parts.telemetry, limits.top_pairs, summary.pairs_left_out);
  summary.errors = parts.telemetry.errors;
  summary.detections = parts.telemetry.detections;
  return summary;
}

} // namespace parley
