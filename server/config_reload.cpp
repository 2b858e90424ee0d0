#include "server/config_reload.hpp"

#include <chrono>
#include <map>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <spdlog/spdlog.h>

#include "messages/admin.hpp"
#include "server/runtime.hpp"

namespace parley {

namespace {

/// How long the reload waits for models it loaded, and for each answer of
/// the actors it asks.
constexpr auto load_timeout = std::chrono::minutes(2);
constexpr auto answer_timeout = std::chrono::seconds(10);

bool is_translation(const backend_registry& registry,
                    const model_config& model) {
  return registry.task_of(model.kind) == model_task::translation;
}

/// Loads `model` through the admin actor, as `POST /models` does.
bool load(caf::actor_system& sys, runtime& rt, const model_config& model) {
  caf::scoped_actor self{sys};
  bool loaded = false;
  self->request(rt.admin(), answer_timeout, caf::put_atom::value, model.name,
                model_table_toml(model))
      .receive([&](done_atom) { loaded = true; },
               [&](caf::error& err) {
                 spdlog::error("reload: model {} not loaded: {}", model.name,
                               sys.render(err));
               });
  return loaded;
}

/// Unloads `name` through the admin actor, as `DELETE /models` does: once
/// its queue is done, which takes at most the request timeout.
bool unload(caf::actor_system& sys, runtime& rt, const std::string& name) {
  caf::scoped_actor self{sys};
  bool unloaded = false;
  self->request(rt.admin(), rt.config().request_timeout + answer_timeout,
                caf::delete_atom::value, name)
      .receive([&](bool found) { unloaded = found; },
               [&](caf::error& err) {
                 spdlog::error("reload: model {} not unloaded: {}", name,
                               sys.render(err));
               });
  return unloaded;
}

} // namespace

model_changes compare_models(const std::vector<model_config>& served,
                             const std::vector<model_config>& next,
                             const backend_registry& registry) {
  model_changes changes;
  std::map<std::string, const model_config*> now;
  for (const auto& model : served)
    now.emplace(model.name, &model);
  for (const auto& model : next) {
    auto found = now.find(model.name);
    bool speech =
        !is_translation(registry, model)
        || (found != now.end() && !is_translation(registry, *found->second));
    if (found != now.end()
        && model_table_toml(*found->second) == model_table_toml(model)) {
      now.erase(found);
      continue;
    }
    if (speech)
      changes.needs_restart.push_back(model.name);
    else if (found == now.end())
      changes.added.push_back(model);
    else
      changes.changed.push_back(model);
    if (found != now.end())
      now.erase(found);
  }
  for (const auto& [name, model] : now) {
    if (is_translation(registry, *model))
      changes.removed.push_back(name);
    else
      changes.needs_restart.push_back(name);
  }
  return changes;
}

bool reload_runtime(caf::actor_system& sys, runtime& rt,
                    const server_config& next) {
  spdlog::set_level(spdlog::level::from_str(next.log_level));
  bool ok = true;
  if (!rt.apply_cache_capacities(next.runtime.cache_capacity,
                                 next.runtime.audio_cache_capacity,
                                 answer_timeout)) {
    spdlog::error("reload: a cache did not take its new capacity");
    ok = false;
  }
  std::vector<model_config> served;
  for (const auto& model : rt.served())
    served.push_back(model.config);
  auto changes =
      compare_models(served, next.runtime.models, backend_registry::builtin());
  for (const auto& name : changes.needs_restart)
    spdlog::warn("reload: speech model {} changes only at the next start",
                 name);
  for (const auto& model : changes.added)
    ok = load(sys, rt, model) && ok;
  for (const auto& model : changes.changed)
    ok = unload(sys, rt, model.name) && load(sys, rt, model) && ok;
  if (!changes.added.empty() || !changes.changed.empty())
    for (const auto& model : rt.wait_until_ready(load_timeout)) {
      spdlog::warn("reload: model {} is not ready", model);
      ok = false;
    }
  if (!rt.apply_routes(next.runtime.routes, answer_timeout)) {
    spdlog::error("reload: the router did not take the new routes");
    ok = false;
  }
  for (const auto& name : changes.removed)
    ok = unload(sys, rt, name) && ok;
  spdlog::info("reload: {} model(s) loaded, {} reloaded, {} unloaded",
               changes.added.size(), changes.changed.size(),
               changes.removed.size());
  return ok;
}

} // namespace parley
