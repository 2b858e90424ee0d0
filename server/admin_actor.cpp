#include "server/admin_actor.hpp"

#include <functional>
#include <memory>
#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <spdlog/spdlog.h>

#include "messages/admin.hpp"
#include "messages/cluster.hpp"
#include "messages/error_code.hpp"
#include "messages/metrics.hpp"
#include "messages/telemetry.hpp"
#include "server/config_file.hpp"
#include "server/dashboard_summary.hpp"
#include "server/runtime.hpp"

namespace parley {

namespace {

using self_pointer = admin_dashboard_actor::pointer;

/// One answer made of one reply per model's pool: `done` gets it once the
/// last reply came or its deadline passed.
template <class Result> struct gathering {
  Result result;
  size_t pending = 0;
  std::function<void(Result)> done;

  void settle() {
    if (--pending == 0)
      done(std::move(result));
  }
};

/// Every model served now with its pool's status, each pool asked at once;
/// `done` gets the whole once the last pool answered or `within` passed.
void gather_status(self_pointer self, runtime& rt, caf::timespan within,
                   std::function<void(server_status)> done) {
  auto state = std::make_shared<gathering<server_status>>();
  state->result.routes = rt.routes();
  state->done = std::move(done);
  auto models = rt.served();
  if (models.empty()) {
    state->done(std::move(state->result));
    return;
  }
  state->pending = models.size();
  for (size_t i = 0; i < models.size(); ++i) {
    const auto& model = models[i];
    model_status entry;
    entry.name = model.config.name;
    entry.kind = model.config.kind;
    entry.local_replicas = model.config.replicas;
    state->result.models.push_back(std::move(entry));
    self->request(model.pool, within, status_atom::value)
        .then(
            [state, i](pool_status& status) {
              auto& entry = state->result.models[i];
              entry.task = status.task;
              entry.answered = true;
              entry.pool = std::move(status);
              state->settle();
            },
            [state](caf::error&) { state->settle(); });
  }
}

/// `/cluster` for a node without a cluster port: this node alone.
cluster_status single_node(const std::string& node, server_status status) {
  cluster_status result;
  result.front = node;
  node_status self_node;
  self_node.name = node;
  self_node.state = "front";
  result.nodes.push_back(self_node);
  for (auto& model : status.models)
    if (model.answered)
      result.pools.push_back(std::move(model.pool));
  return result;
}

/// The dashboard's summary: the pools, the cluster, the counters and the
/// telemetry, each asked at once; a part silent after `within` stays empty.
caf::result<dashboard_summary> gather_dashboard(self_pointer self, runtime& rt,
                                                caf::timespan within) {
  struct gathering {
    caf::typed_response_promise<dashboard_summary> promise;
    dashboard_parts parts;
    size_t pending = 4;

    void settle() {
      if (--pending == 0)
        promise.deliver(make_dashboard_summary(parts));
    }
  };
  auto state = std::make_shared<gathering>();
  state->promise = self->make_response_promise<dashboard_summary>();
  state->parts.node = rt.config().node_name;
  auto skip = [state](caf::error&) { state->settle(); };
  gather_status(self, rt, within, [state](server_status status) {
    state->parts.status = std::move(status);
    state->settle();
  });
  if (rt.cluster())
    self->request(rt.cluster(), within, status_atom::value)
        .then(
            [state](cluster_status& cluster) {
              state->parts.cluster = std::move(cluster);
              state->settle();
            },
            skip);
  else
    state->settle();
  self->request(rt.stats(), within, stats_atom::value)
      .then(
          [state](metrics& counters) {
            state->parts.counters = std::move(counters);
            state->settle();
          },
          skip);
  if (rt.telemetry()) {
    state->parts.histograms = true;
    self->request(rt.telemetry(), within, dashboard_atom::value)
        .then(
            [state](telemetry_snapshot& snapshot) {
              state->parts.telemetry = std::move(snapshot);
              state->settle();
            },
            skip);
  } else {
    state->settle();
  }
  return state->promise;
}

caf::result<done_atom> load_model(self_pointer self, runtime& rt,
                                  const std::string& name,
                                  const std::string& table) {
  pool_actor pool;
  model_config model;
  try {
    model = parse_model_table(name, table);
    pool = rt.start_model(model);
  } catch (const std::exception& e) {
    return make_error(error_code::invalid_request, e.what());
  }
  auto promise = self->make_response_promise<done_atom>();
  self->request(rt.router(), caf::infinite, caf::put_atom::value, name, pool)
      .then(
          [&rt, promise, model, pool](done_atom) mutable {
            if (rt.cluster())
              caf::anon_send(rt.cluster(), caf::put_atom::value, model.name,
                             pool);
            spdlog::info("model {} ({}) loaded at run time, {} local "
                         "replica(s)",
                         model.name, model.kind, model.replicas);
            promise.deliver(done_atom::value);
          },
          [&rt, promise, name](caf::error& err) mutable {
            spdlog::error("model {}: the router refused it ({}); stopped", name,
                          to_string(err));
            rt.stop_model(name);
            promise.deliver(std::move(err));
          });
  return promise;
}

caf::result<bool> unload_model(self_pointer self, runtime& rt,
                               const std::string& name) {
  pool_actor pool;
  for (const auto& model : rt.served())
    if (model.config.name == name)
      pool = model.pool;
  if (!pool)
    return false;
  auto promise = self->make_response_promise<bool>();
  auto unload = [&rt, name, promise]() mutable {
    rt.stop_model(name);
    spdlog::info("model {} unloaded", name);
    promise.deliver(true);
  };
  // No new request resolves to it; then its queue runs dry.
  self->request(rt.router(), caf::infinite, caf::delete_atom::value, name)
      .then(
          [self, &rt, name, pool, unload](done_atom) {
            if (rt.cluster())
              caf::anon_send(rt.cluster(), caf::delete_atom::value, name);
            spdlog::info("model {}: unloading once its queue is done", name);
            // No job outlives the request timeout: its request was answered
            // TIMEOUT by then.
            self->request(pool, rt.config().request_timeout, drain_atom::value)
                .then([unload](done_atom) mutable { unload(); },
                      [name, unload](caf::error& err) mutable {
                        spdlog::warn("model {}: queue not done in time ({}); "
                                     "unloading anyway",
                                     name, to_string(err));
                        unload();
                      });
          },
          [promise](caf::error& err) mutable {
            promise.deliver(std::move(err));
          });
  return promise;
}

} // namespace

admin_dashboard_actor spawn_admin(caf::actor_system& sys, runtime& rt) {
  return sys.spawn([&rt](self_pointer self)
                       -> admin_dashboard_actor::behavior_type {
    return {
        [self, &rt](stats_atom) {
          return self->delegate(rt.stats(), stats_atom::value);
        },
        [self, &rt](status_atom,
                    caf::timespan within) -> caf::result<server_status> {
          auto promise = self->make_response_promise<server_status>();
          gather_status(self, rt, within,
                        [promise](server_status status) mutable {
                          promise.deliver(std::move(status));
                        });
          return promise;
        },
        [self, &rt](cluster_atom,
                    caf::timespan within) -> caf::result<cluster_status> {
          if (rt.cluster())
            return self->delegate(rt.cluster(), status_atom::value);
          auto promise = self->make_response_promise<cluster_status>();
          auto node = rt.config().node_name;
          gather_status(self, rt, within,
                        [promise, node](server_status status) mutable {
                          promise.deliver(single_node(node, std::move(status)));
                        });
          return promise;
        },
        [self, &rt](dashboard_atom, caf::timespan within) {
          return gather_dashboard(self, rt, within);
        },
        [self, &rt](caf::put_atom, const std::string& name,
                    const std::string& table) {
          return load_model(self, rt, name, table);
        },
        [self, &rt](caf::delete_atom, const std::string& name) {
          return unload_model(self, rt, name);
        },
        [self, &rt](ready_atom, caf::timespan within)
            -> caf::result<std::vector<std::string>> {
          auto promise =
              self->make_response_promise<std::vector<std::string>>();
          auto state = std::make_shared<gathering<std::vector<std::string>>>();
          state->done = [promise](std::vector<std::string> waiting) mutable {
            promise.deliver(std::move(waiting));
          };
          for (const auto& model : rt.served()) {
            if (model.config.replicas == 0)
              continue; // waits for workers, which may come at any time
            ++state->pending;
            auto name = model.config.name;
            self->request(model.pool, within, ready_atom::value)
                .then([state](pool_status&) { state->settle(); },
                      [state, name](caf::error&) {
                        state->result.push_back(name);
                        state->settle();
                      });
          }
          if (state->pending == 0)
            promise.deliver(std::vector<std::string>{});
          return promise;
        },
    };
  });
}

} // namespace parley
