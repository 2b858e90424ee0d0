#pragma once

// A configuration reload (SIGHUP): the settings that change while serving,
// applied to a running runtime. What is not listed here takes effect at the
// next start (see docs/configuration.md).

#include <string>
#include <vector>

#include <caf/fwd.hpp>

#include "models/registry.hpp"
#include "server/config_file.hpp"
#include "server/runtime_config.hpp"

namespace parley {

class runtime;

/// How the model table of a reload differs from the models served now.
struct model_changes {
  /// Translation models to load, as `POST /models` does.
  std::vector<model_config> added;
  /// Translation models whose table changed: unloaded, then loaded again,
  /// as `DELETE` then `POST /models` do.
  std::vector<model_config> changed;
  /// Translation models to unload, as `DELETE /models` does.
  std::vector<std::string> removed;
  /// Speech models added, changed or removed: only a restart changes them.
  std::vector<std::string> needs_restart;
};

/// Compares the models served now with those of the next configuration;
/// two models differ when their tables (`model_table_toml`) do.
model_changes compare_models(const std::vector<model_config>& served,
                             const std::vector<model_config>& next,
                             const backend_registry& registry);

/// Applies `next`, which passed `check_server_config`, to `rt`: the log
/// level, the capacities of the caches, the model table through the admin
/// actor (models loaded first, and waited for, so that routes to them
/// answer; then the routes; then models unloaded) and the routes. Logs each
/// step and what needs a restart; returns false when a step failed (the
/// steps before it stay applied). Blocks the caller.
bool reload_runtime(caf::actor_system& sys, runtime& rt,
                    const server_config& next);

} // namespace parley
