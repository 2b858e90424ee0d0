#include "cluster/cluster_front.hpp"

#include <algorithm>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "messages/cluster.hpp"
#include "messages/error_code.hpp"
#include "messages/metrics.hpp"
#include "messages/replica.hpp"

namespace parley {

namespace {

struct known_node {
  worker_actor agent;
  node_status status;
  caf::actor_clock::time_point since;
};

struct front_state {
  cluster_front_setup setup;
  std::map<std::string, known_node> nodes;
  uint64_t joined = 0;
  uint64_t lost = 0;
  uint64_t refused = 0;

  static inline const char* name = "cluster_front";
};

using front_pointer = cluster_actor::stateful_pointer<front_state>;

template <class Pool>
void offer(const std::map<std::string, Pool>& pools, const std::string& model,
           std::map<std::string, Pool>& offered) {
  auto pool = pools.find(model);
  if (pool != pools.end())
    offered.emplace(model, pool->second);
}

caf::result<join_reply> join(front_pointer self, join_request& request,
                             worker_actor& agent) {
  auto& st = self->state;
  if (request.token != st.setup.token) {
    ++st.refused;
    spdlog::warn("cluster: refused node '{}' from {}: wrong cluster token",
                 request.node, caf::to_string(agent.node()));
    return make_error(error_code::unauthorized, "wrong cluster token");
  }
  if (request.node.empty() || !agent)
    return make_error(error_code::invalid_request,
                      "a join names its node and its agent");
  join_reply reply;
  reply.front = st.setup.node;
  for (const auto& model : request.models) {
    offer(st.setup.translation, model, reply.translation);
    offer(st.setup.transcription, model, reply.transcription);
    offer(st.setup.synthesis, model, reply.synthesis);
  }
  self->monitor(agent);
  auto& node = st.nodes[request.node];
  node.agent = agent;
  node.status.name = request.node;
  node.status.state = "joined";
  node.status.models = request.models;
  node.since = self->clock().now();
  ++st.joined;
  spdlog::info("cluster: node '{}' joined with {} model(s)", request.node,
               request.models.size());
  return reply;
}

void lose(front_pointer self, const caf::down_msg& msg) {
  auto& st = self->state;
  for (auto& [name, node] : st.nodes)
    if (node.agent && node.agent.address() == msg.source
        && node.status.state == "joined") {
      ++st.lost;
      node.status.state = "lost";
      node.since = self->clock().now();
      spdlog::warn("cluster: lost node '{}' ({})", name,
                   caf::to_string(msg.reason));
    }
}

/// Gathers every pool's status, then answers with the whole cluster.
caf::result<cluster_status> status(front_pointer self) {
  auto& st = self->state;
  auto result = std::make_shared<cluster_status>();
  result->front = st.setup.node;
  result->nodes_joined = st.joined;
  result->nodes_lost = st.lost;
  result->joins_refused = st.refused;
  auto now = self->clock().now();
  node_status front;
  front.name = st.setup.node;
  front.state = "front";
  result->nodes.push_back(front);
  for (auto& [name, node] : st.nodes) {
    node.status.since_ms = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(now - node.since)
        .count());
    result->nodes.push_back(node.status);
  }
  std::vector<pool_status_source> pools;
  for (auto& [name, pool] : st.setup.translation)
    pools.push_back(pool);
  for (auto& [name, pool] : st.setup.transcription)
    pools.push_back(pool);
  for (auto& [name, pool] : st.setup.synthesis)
    pools.push_back(pool);
  auto promise = self->make_response_promise<cluster_status>();
  if (pools.empty()) {
    promise.deliver(std::move(*result));
    return promise;
  }
  auto pending = std::make_shared<size_t>(pools.size());
  auto finish = [result, pending, promise]() mutable {
    if (--*pending == 0) {
      std::sort(result->pools.begin(), result->pools.end(),
                [](const pool_status& a, const pool_status& b) {
                  return a.model < b.model;
                });
      promise.deliver(std::move(*result));
    }
  };
  for (auto& pool : pools)
    self->request(pool, std::chrono::seconds(2), status_atom::value)
      .then(
        [result, finish](pool_status& s) mutable {
          result->pools.push_back(std::move(s));
          finish();
        },
        [finish](caf::error&) mutable { finish(); });
  return promise;
}

metrics counters(const front_state& st) {
  metrics result;
  double joined_now = 0;
  for (const auto& [name, node] : st.nodes)
    if (node.status.state == "joined")
      ++joined_now;
  result.values["cluster_nodes{state=\"joined\"}"] = joined_now;
  result.values["cluster_nodes_joined_total"] = st.joined;
  result.values["cluster_nodes_lost_total"] = st.lost;
  result.values["cluster_joins_refused_total"] = st.refused;
  return result;
}

} // namespace

cluster_actor spawn_cluster_front(caf::actor_system& sys,
                                  cluster_front_setup setup) {
  return sys.spawn([setup](front_pointer self) -> cluster_actor::behavior_type {
    self->state.setup = setup;
    self->set_down_handler([self](caf::down_msg& msg) { lose(self, msg); });
    return {
      [self](join_atom, join_request& request, worker_actor& agent) {
        return join(self, request, agent);
      },
      [self](status_atom) { return status(self); },
      // Models loaded or unloaded at run time are offered to workers that
      // join from then on.
      [self](caf::put_atom, const std::string& name, batcher_actor& pool) {
        self->state.setup.translation[name] = std::move(pool);
      },
      [self](caf::delete_atom, const std::string& name) {
        auto& setup = self->state.setup;
        setup.translation.erase(name);
        setup.transcription.erase(name);
        setup.synthesis.erase(name);
      },
      [self](stats_atom) { return counters(self->state); },
    };
  });
}

} // namespace parley
