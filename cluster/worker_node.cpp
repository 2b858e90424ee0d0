#include "cluster/worker_node.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <caf/actor_system.hpp>
#include <caf/io/middleman_actor.hpp>
#include <caf/node_id.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "cluster/cluster_system.hpp"
#include "messages/cluster.hpp"
#include "messages/error_code.hpp"
#include "messages/secret.hpp"
#include "server/replica_launch.hpp"

namespace parley {

namespace {

struct worker_state {
  worker_setup setup;
  caf::io::middleman_actor connector;
  /// The front joined, watched for its loss; invalid while joining.
  caf::actor front;
  std::string front_name;
  /// What this node serves for the front: per model, the supervisor of its
  /// replicas and the front's pool they joined (watched: a pool that stops
  /// means the front unloaded the model).
  struct served {
    supervisor_actor supervisor;
    caf::actor_addr pool;
  };
  std::map<std::string, served> serving;
  /// Supervisors told to stop whose replicas still run.
  std::set<caf::actor_addr> stopping;
  /// Told to stop: it quits, with `exit_reason`, once `stopping` is empty.
  bool exiting = false;
  caf::error exit_reason;
  size_t next_front = 0;
  caf::timespan backoff{0};

  static inline const char* name = "worker_node";
};

using worker_pointer = worker_actor::stateful_pointer<worker_state>;

void try_again_later(worker_pointer self) {
  auto& st = self->state;
  st.backoff = st.backoff.count() == 0
                   ? st.setup.cluster.reconnect_min
                   : std::min(st.backoff * 2, st.setup.cluster.reconnect_max);
  self->delayed_send(self, st.backoff, caf::connect_atom::value);
}

void stop_supervisor(worker_pointer self, const supervisor_actor& supervisor) {
  self->state.stopping.insert(supervisor.address());
  self->send_exit(supervisor, caf::exit_reason::user_shutdown);
}

void stop_replicas(worker_pointer self) {
  auto& st = self->state;
  for (auto& [name, model] : st.serving)
    stop_supervisor(self, model.supervisor);
  st.serving.clear();
}

/// Quits once every replica is down and the middleman has read their down
/// messages. A remote pool monitors each replica, so the middleman's broker
/// receives a down message from it, whose sender is a strong reference to
/// the replica. Left unread in the broker's mailbox when the actor system
/// stops, it keeps the replica's thread waiting for ever: the round trip
/// through the broker below reads it first.
void quit_when_stopped(worker_pointer self) {
  auto& st = self->state;
  if (!st.exiting || !st.stopping.empty())
    return;
  auto quit = [self] { self->quit(self->state.exit_reason); };
  self->request(st.connector, std::chrono::seconds(2), caf::get_atom::value,
                self->node())
      .then([quit](caf::node_id&, std::string&, uint16_t) { quit(); },
            [quit](caf::error&) { quit(); });
}

void supervisor_down(worker_pointer self, const caf::actor_addr& supervisor) {
  self->state.stopping.erase(supervisor);
  quit_when_stopped(self);
}

/// Stops the replicas of the model whose pool at the front stopped.
void pool_gone(worker_pointer self, const caf::actor_addr& pool) {
  auto& st = self->state;
  for (auto i = st.serving.begin(); i != st.serving.end(); ++i)
    if (i->second.pool == pool) {
      spdlog::info("worker {}: the front unloaded model {}; its replicas here "
                   "stop",
                   st.setup.cluster.node_name, i->first);
      stop_supervisor(self, i->second.supervisor);
      st.serving.erase(i);
      return;
    }
}

/// Starts the replicas of `model` for the front's pool of that name, if the
/// front has one.
void serve(worker_pointer self, const model_config& model,
           const std::map<std::string, pool_actor>& pools) {
  auto& st = self->state;
  auto pool = pools.find(model.name);
  if (pool == pools.end())
    return;
  self->monitor(pool->second);
  auto supervisor = launch_replicas(self->system(), model, st.setup.registry,
                                    st.setup.cluster.node_name, pool->second);
  self->monitor(supervisor);
  st.serving[model.name] = {supervisor, pool->second.address()};
}

void joined(worker_pointer self, const caf::actor& front, join_reply& reply) {
  auto& st = self->state;
  st.front = front;
  st.front_name = reply.front;
  st.backoff = caf::timespan{0};
  self->monitor(front);
  for (const auto& model : st.setup.models) {
    auto before = st.serving.size();
    serve(self, model, reply.pools);
    if (st.serving.size() == before)
      spdlog::warn("worker: the front has no model '{}'; not serving it",
                   model.name);
  }
  spdlog::info("worker {}: joined front '{}', serving {} model(s)",
               st.setup.cluster.node_name, reply.front, st.serving.size());
}

/// A front that lists this worker dialled it and offers a join.
void offered(worker_pointer self, join_reply& reply, const std::string& token) {
  auto& st = self->state;
  if (!secrets_equal(token, st.setup.cluster.token)) {
    spdlog::warn("worker: refused a join offered by front '{}': wrong cluster "
                 "token",
                 reply.front);
    return;
  }
  if (st.exiting || st.front || !reply.front_actor)
    return; // stopping, or already serving a front
  auto front = reply.front_actor;
  joined(self, front, reply);
}

void connect(worker_pointer self) {
  auto& st = self->state;
  if (st.exiting || st.front || st.setup.cluster.join.empty())
    return; // joined, or a static worker: its front dials it
  auto& fronts = st.setup.cluster.join;
  auto address = fronts[st.next_front++ % fronts.size()];
  auto [host, port] = split_address(address);
  self->request(st.connector, std::chrono::seconds(10),
                caf::connect_atom::value, host, port)
      .then(
          [self, address](caf::node_id&, caf::strong_actor_ptr& ptr,
                          std::set<std::string>&) {
            if (!ptr) {
              spdlog::warn("worker: {} published no cluster actor", address);
              try_again_later(self);
              return;
            }
            auto front = caf::actor_cast<cluster_actor>(ptr);
            auto& st = self->state;
            join_request request;
            request.token = st.setup.cluster.token;
            request.node = st.setup.cluster.node_name;
            for (const auto& model : st.setup.models)
              request.models.push_back(model.name);
            self->request(front, std::chrono::seconds(10), join_atom::value,
                          std::move(request),
                          caf::actor_cast<worker_actor>(self))
                .then(
                    [self, front](join_reply& reply) {
                      if (self->state.exiting)
                        return;
                      joined(self, caf::actor_cast<caf::actor>(front), reply);
                    },
                    [self, address](caf::error& err) {
                      if (code_of(err) == error_code::unauthorized) {
                        spdlog::critical("worker: front {} refused to join: {}",
                                         address, explanation_of(err));
                        self->quit(err);
                        return;
                      }
                      spdlog::warn("worker: joining {} failed: {}", address,
                                   self->system().render(err));
                      try_again_later(self);
                    });
          },
          [self, address](caf::error& err) {
            spdlog::warn("worker: cannot reach front {}: {}", address,
                         self->system().render(err));
            try_again_later(self);
          });
}

} // namespace

worker_actor spawn_worker_node(caf::actor_system& sys, worker_setup setup) {
  if (setup.cluster.join.empty() && !setup.cluster.listen)
    throw std::invalid_argument(
        "a worker needs a front to join (--join) or a port its front dials "
        "(--cluster-port)");
  for (const auto& address : setup.cluster.join)
    split_address(address); // throws on a malformed address
  auto connector_handle = connector(sys, setup.cluster);
  return sys.spawn([setup, connector_handle](
                       worker_pointer self) -> worker_actor::behavior_type {
    auto& st = self->state;
    st.setup = setup;
    st.connector = connector_handle;
    self->set_down_handler([self](caf::down_msg& msg) {
      auto& st = self->state;
      if (st.stopping.count(msg.source) > 0)
        return supervisor_down(self, msg.source);
      if (msg.source != st.front.address())
        return pool_gone(self, msg.source);
      spdlog::warn("worker {}: lost front '{}' ({}); dropping its work and "
                   "joining again",
                   st.setup.cluster.node_name, st.front_name,
                   caf::to_string(msg.reason));
      st.front = nullptr;
      stop_replicas(self);
      try_again_later(self);
    });
    self->set_exit_handler([self](caf::exit_msg& msg) {
      auto& st = self->state;
      if (st.exiting)
        return;
      st.exiting = true;
      st.exit_reason = msg.reason;
      stop_replicas(self);
      quit_when_stopped(self);
    });
    self->send(self, caf::connect_atom::value);
    return {
        [self](caf::connect_atom) { connect(self); },
        [self](join_atom, join_reply& reply, const std::string& token) {
          offered(self, reply, token);
        },
        [self](status_atom) {
          auto& st = self->state;
          node_status status;
          status.name = st.setup.cluster.node_name;
          status.state = st.front ? "joined" : "joining";
          // What it serves once joined: its own configuration's models.
          for (const auto& model : st.setup.models)
            status.models.push_back(model.name);
          return status;
        },
    };
  });
}

} // namespace parley
