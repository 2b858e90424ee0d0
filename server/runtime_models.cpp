// Models loaded and unloaded while serving (`POST` and `DELETE /models`).

#include "server/runtime.hpp"

#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/replica_pool.hpp"
#include "messages/cluster.hpp"
#include "messages/replica.hpp"
#include "server/replica_launch.hpp"

namespace parley {

void runtime::add_model(const model_config& model) {
  registry_.check_model(model.name, model.kind, model.options, model.replicas);
  auto task = registry_.task_of(model.kind);
  if (!task)
    throw std::invalid_argument("model " + model.name + " has unknown kind '"
                                + model.kind + "'");
  if (*task != model_task::translation)
    throw std::invalid_argument("model " + model.name + " is a "
                                + to_string(*task)
                                + " model; speech models are configured at "
                                  "start");
  {
    std::lock_guard<std::mutex> guard{models_mutex_};
    if (served_.count(model.name) > 0)
      throw std::invalid_argument("model " + model.name + " is already served");
  }
  auto pool = spawn_pool(sys_, *task, pool_config_of(model));
  start_replicas(model, registry_, pool);
  add_stats_source(pool);
  {
    std::lock_guard<std::mutex> guard{models_mutex_};
    if (auto& supervisor = served_.at(model.name).supervisor)
      add_stats_source(supervisor);
  }
  caf::scoped_actor self{sys_};
  self->request(router_, std::chrono::seconds(5), caf::put_atom::value,
                model.name, pool)
      .receive([](done_atom) {}, [](caf::error&) {});
  if (cluster_)
    self->send(cluster_, caf::put_atom::value, model.name, pool);
  spdlog::info("model {} ({}) loaded at run time, {} local replica(s)",
               model.name, model.kind, model.replicas);
}

bool runtime::remove_model(const std::string& name) {
  served_model model;
  {
    std::lock_guard<std::mutex> guard{models_mutex_};
    auto found = served_.find(name);
    if (found == served_.end())
      return false;
    model = found->second;
  }
  caf::scoped_actor self{sys_};
  // No new request resolves to it; then its queue runs dry.
  self->request(router_, std::chrono::seconds(5), caf::delete_atom::value, name)
      .receive([](done_atom) {}, [](caf::error&) {});
  if (cluster_)
    self->send(cluster_, caf::delete_atom::value, name);
  spdlog::info("model {}: unloading once its queue is done", name);
  self->request(model.pool, config_.request_timeout + std::chrono::seconds(5),
                drain_atom::value)
      .receive([](done_atom) {},
               [&](caf::error& err) {
                 spdlog::warn("model {}: queue not done in time ({}); "
                              "unloading anyway",
                              name, sys_.render(err));
               });
  if (model.supervisor)
    self->send_exit(model.supervisor, caf::exit_reason::user_shutdown);
  self->send_exit(model.pool, caf::exit_reason::user_shutdown);
  {
    std::lock_guard<std::mutex> guard{models_mutex_};
    served_.erase(name);
  }
  spdlog::info("model {} unloaded", name);
  return true;
}

std::vector<model_config> runtime::models() const {
  std::lock_guard<std::mutex> guard{models_mutex_};
  std::vector<model_config> result;
  for (const auto& [name, model] : served_)
    result.push_back(model.config);
  return result;
}

} // namespace parley
