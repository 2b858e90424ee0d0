// The dashboard's summary of what the admin actor gathered: pools with their
// timings, cache tiers, and the caps that keep it small whatever the server
// serves.

#include <catch2/catch.hpp>

#include <string>

#include "server/dashboard_summary.hpp"

using namespace parley;

namespace {

model_status served_model(std::string name, std::vector<std::string> nodes,
                          uint32_t max_batch) {
  model_status model;
  model.name = std::move(name);
  model.answered = true;
  model.pool.model = model.name;
  model.pool.queued = 3;
  model.pool.in_flight = 2;
  for (auto& node : nodes)
    model.pool.replicas.push_back(
        replica_status{std::move(node), "apertium", max_batch, 0, 1, 10});
  return model;
}

pair_traffic traffic(std::string pair, int answers) {
  pair_traffic result;
  result.pair = std::move(pair);
  for (int i = 0; i < answers; ++i)
    result.latency_seconds.observe(0.004);
  result.characters = 40 * static_cast<uint64_t>(answers);
  return result;
}

} // namespace

TEST_CASE("a dashboard pool counts replicas and jobs per node and its batch "
          "fill is the mean batch over the largest its replicas take",
          "[server][dashboard]") {
  dashboard_parts parts;
  parts.node = "front-1";
  parts.status.models.push_back(served_model("m", {"a", "a", "b"}, 8));
  model_timings timings;
  timings.model = "m";
  timings.batch_size.observe(2);
  timings.batch_size.observe(6);
  timings.queue_seconds.observe(0.003);
  parts.telemetry.models.push_back(timings);
  auto summary = make_dashboard_summary(parts);
  REQUIRE(summary.pools.size() == 1);
  const auto& pool = summary.pools.front();
  CHECK(pool.replicas_per_node
        == std::map<std::string, uint64_t>{{"a", 2}, {"b", 1}});
  CHECK(pool.jobs_per_node
        == std::map<std::string, uint64_t>{{"a", 20}, {"b", 10}});
  CHECK(pool.queued == 3);
  CHECK(pool.batch_fill == Approx(4.0 / 8.0));
  CHECK(pool.queue_p50_s > 0.0025);
  CHECK(pool.queue_p50_s <= 0.005);
  // Without a cluster port the node is listed alone, as the front.
  REQUIRE(summary.nodes.size() == 1);
  CHECK(summary.nodes.front().name == "front-1");
}

TEST_CASE("a dashboard summary reads each cache tier's hits and misses and "
          "lists Redis only when the shared tier counts",
          "[server][dashboard]") {
  dashboard_parts parts;
  parts.counters.values["cache_hits_total"] = 3;
  parts.counters.values["cache_misses_total"] = 9;
  auto local_only = make_dashboard_summary(parts);
  REQUIRE(local_only.cache.size() == 1);
  CHECK(local_only.cache[0].name == "local");
  CHECK(local_only.cache[0].hits == 3);
  CHECK(local_only.cache[0].misses == 9);
  parts.counters.values["cache_shared_hits_total"] = 4;
  parts.counters.values["cache_shared_misses_total"] = 5;
  auto both = make_dashboard_summary(parts);
  REQUIRE(both.cache.size() == 2);
  CHECK(both.cache[1].name == "redis");
  CHECK(both.cache[1].hits == 4);
}

TEST_CASE("a dashboard summary stays within its caps however many pairs, "
          "nodes and pools there are, and keeps the busiest pairs",
          "[server][dashboard]") {
  dashboard_limits limits;
  dashboard_parts parts;
  const int pairs = 200;
  for (int i = 0; i < pairs; ++i)
    parts.telemetry.pairs.push_back(traffic("p" + std::to_string(i), i + 1));
  const size_t nodes = limits.nodes + 40;
  for (size_t i = 0; i < nodes; ++i)
    parts.cluster.nodes.push_back(
        node_status{"n" + std::to_string(i), "joined", {}, 0});
  const size_t models = limits.pools + 5;
  for (size_t i = 0; i < models; ++i)
    parts.status.models.push_back(
        served_model("m" + std::to_string(i), {"a"}, 8));
  auto summary = make_dashboard_summary(parts, limits);
  REQUIRE(summary.top_pairs.size() == limits.top_pairs);
  CHECK(summary.pairs_left_out == pairs - limits.top_pairs);
  // The busiest first: p199 answered most.
  CHECK(summary.top_pairs.front().pair == "p" + std::to_string(pairs - 1));
  CHECK(summary.top_pairs.front().answers == static_cast<uint64_t>(pairs));
  CHECK(summary.top_pairs.front().characters_per_s == Approx(40 / 0.004));
  CHECK(summary.nodes.size() == limits.nodes);
  CHECK(summary.nodes_left_out == nodes - limits.nodes);
  CHECK(summary.pools.size() == limits.pools);
  CHECK(summary.pools_left_out == models - limits.pools);
}
