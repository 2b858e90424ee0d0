// Models started and stopped while serving (`POST` and `DELETE /models`,
// through server/admin_actor).

#include "server/runtime.hpp"

#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include "actors/replica_pool.hpp"
#include "messages/replica.hpp"
#include "server/replica_launch.hpp"

namespace parley {

pool_config runtime::pool_settings(const model_config& model,
                                   model_task task) const {
  auto settings = pool_config_of(model);
  settings.telemetry = telemetry_;
  if (task == model_task::translation)
    settings.on_languages =
        [candidates = candidates_](const language_routes& languages) {
          auto sources = languages.languages;
          for (const auto& route : languages.routes)
            sources.push_back(route.source_lang);
          candidates->add(sources);
        };
  return settings;
}

pool_actor runtime::start_model(const model_config& model) {
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
  auto pool = spawn_pool(sys_, *task, pool_settings(model, *task));
  start_replicas(model, registry_, pool);
  add_stats_source(pool);
  std::lock_guard<std::mutex> guard{models_mutex_};
  if (auto& supervisor = served_.at(model.name).supervisor)
    add_stats_source(supervisor);
  return pool;
}

bool runtime::stop_model(const std::string& name) {
  std::lock_guard<std::mutex> guard{models_mutex_};
  auto found = served_.find(name);
  if (found == served_.end())
    return false;
  auto reason = caf::exit_reason::user_shutdown;
  if (found->second.supervisor)
    caf::anon_send_exit(found->second.supervisor, reason);
  caf::anon_send_exit(found->second.pool, reason);
  served_.erase(found);
  return true;
}

std::vector<runtime::served_model> runtime::served() const {
  std::lock_guard<std::mutex> guard{models_mutex_};
  std::vector<served_model> result;
  for (const auto& [name, model] : served_)
    result.push_back(model);
  return result;
}

} // namespace parley
