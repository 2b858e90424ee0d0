#pragma once

// The checks a configuration passes before anything starts: what the reader
// (server/config_file) cannot know alone, such as backend kinds and routes
// to models. `parleyd --check-config`, the runtime and reloads share them.

#include <map>
#include <string>

#include "messages/replica.hpp"
#include "models/registry.hpp"
#include "server/config_file.hpp"
#include "server/runtime_config.hpp"

namespace parley {

/// The task of each model of `config`, once every model has a known kind
/// and valid options, no name is used twice and every route names a model.
/// Throws `std::invalid_argument` naming the model or route.
std::map<std::string, model_task>
check_runtime_config(const runtime_config& config,
                     const backend_registry& registry);

/// Checks a configuration read by server/config_file as parleyd would
/// before starting, with the kinds Parley builds in; loads no model and
/// binds no port. Throws `config_error` naming the culprit.
void check_server_config(const server_config& config);

} // namespace parley
