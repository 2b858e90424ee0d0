#include "cluster/cluster_front.hpp"

#include <algorithm>
#include <memory>
#include <set>

#include <caf/actor_system.hpp>
#include <caf/node_id.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "cluster/cluster_system.hpp"
#include "messages/cluster.hpp"
#include "messages/error_code.hpp"
#include "messages/metrics.hpp"
#include "messages/replica.hpp"
#include "messages/secret.hpp"

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
  /// Static workers by address: the node name each answered with.
  std::map<std::string, std::string> dialled;

  static inline const char* name = "cluster_front";
};

using front_pointer = cluster_actor::stateful_pointer<front_state>;

/// Records `agent` as node `name` serving `models`, watches it, and returns
/// the pools its replicas join.
join_reply admit(front_pointer self, const std::string& name,
                 const std::vector<std::string>& models,
                 const worker_actor& agent) {
  auto& st = self->state;
  join_reply reply;
  reply.front = st.setup.node;
  reply.front_actor = caf::actor_cast<caf::actor>(self);
  for (const auto& model : models)
    if (auto pool = st.setup.pools.find(model); pool != st.setup.pools.end())
      reply.pools.emplace(model, pool->second);
  self->monitor(agent);
  auto& node = st.nodes[name];
  node.agent = agent;
  node.status.name = name;
  node.status.state = "joined";
  node.status.models = models;
  node.since = self->clock().now();
  ++st.joined;
  spdlog::info("cluster: node '{}' joined with {} model(s)", name,
               models.size());
  return reply;
}

caf::result<join_reply> join(front_pointer self, join_request& request,
                             worker_actor& agent) {
  auto& st = self->state;
  if (!secrets_equal(request.token, st.setup.token)) {
    ++st.refused;
    spdlog::warn("cluster: refused node '{}' from {}: wrong cluster token",
                 request.node, caf::to_string(agent.node()));
    return make_error(error_code::unauthorized, "wrong cluster token");
  }
  if (request.node.empty() || !agent)
    return make_error(error_code::invalid_request,
                      "a join names its node and its agent");
  return admit(self, request.node, request.models, agent);
}

bool joined_now(const front_state& st, const std::string& name) {
  auto node = st.nodes.find(name);
  return node != st.nodes.end() && node->second.status.state == "joined";
}

/// Dials every static worker that is not joined and offers it a join.
void dial_static_workers(front_pointer self) {
  auto& st = self->state;
  for (const auto& address : st.setup.static_workers) {
    auto known = st.dialled.find(address);
    if (known != st.dialled.end() && joined_now(st, known->second))
      continue;
    auto [host, port] = split_address(address);
    self->request(st.setup.connector, std::chrono::seconds(5),
                  caf::connect_atom::value, host, port)
        .then(
            [self, address](caf::node_id&, caf::strong_actor_ptr& ptr,
                            std::set<std::string>&) {
              if (!ptr)
                return;
              auto agent = caf::actor_cast<worker_actor>(ptr);
              self->request(agent, std::chrono::seconds(5), status_atom::value)
                  .then([self, address, agent](node_status& status) {
                    auto& st = self->state;
                    if (joined_now(st, status.name))
                      return;
                    st.dialled[address] = status.name;
                    auto reply = admit(self, status.name, status.models, agent);
                    self->send(agent, join_atom::value, std::move(reply),
                               st.setup.token);
                  });
            },
            [address](caf::error& err) {
              spdlog::debug("cluster: static worker {} not reachable: {}",
                            address, caf::to_string(err));
            });
  }
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
  for (auto& [name, pool] : st.setup.pools)
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
    if (!setup.static_workers.empty())
      self->send(self, caf::tick_atom::value);
    return {
        [self](caf::tick_atom) {
          dial_static_workers(self);
          self->delayed_send(self, self->state.setup.redial,
                             caf::tick_atom::value);
        },
        [self](join_atom, join_request& request, worker_actor& agent) {
          return join(self, request, agent);
        },
        [self](status_atom) { return status(self); },
        // Models loaded or unloaded at run time are offered to workers that
        // join from then on.
        [self](caf::put_atom, const std::string& name, pool_actor& pool) {
          self->state.setup.pools[name] = std::move(pool);
        },
        [self](caf::delete_atom, const std::string& name) {
          self->state.setup.pools.erase(name);
        },
        [self](stats_atom) { return counters(self->state); },
    };
  });
}

} // namespace parley
