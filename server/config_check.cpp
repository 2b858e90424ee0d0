#include "server/config_check.hpp"

#include <stdexcept>

namespace parley {

std::map<std::string, model_task>
check_runtime_config(const runtime_config& config,
                     const backend_registry& registry) {
  std::map<std::string, model_task> tasks;
  for (const auto& model : config.models) {
    registry.check_model(model.name, model.kind, model.options, model.replicas);
    auto task = registry.task_of(model.kind);
    if (!task)
      throw std::invalid_argument("model " + model.name + " has unknown kind '"
                                  + model.kind + "'");
    if (!tasks.emplace(model.name, *task).second)
      throw std::invalid_argument("model " + model.name
                                  + " is configured twice");
  }
  for (const auto& [alias, model] : config.routes)
    if (tasks.count(model) == 0)
      throw std::invalid_argument("route " + alias + " names unknown model '"
                                  + model + "'");
  return tasks;
}

void check_server_config(const server_config& config) {
  try {
    check_runtime_config(config.runtime, backend_registry::builtin());
  } catch (const std::invalid_argument& e) {
    throw config_error(e.what());
  }
}

} // namespace parley
