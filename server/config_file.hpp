#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "io/gateway/gateway_protocol.hpp"
#include "io/http/api_keys.hpp"
#include "io/http/http_guard.hpp"
#include "io/redis/redis_config.hpp"
#include "server/cluster_config.hpp"
#include "server/runtime_config.hpp"
#include "server/system_config.hpp"

namespace parley {

/// Everything `parleyd` reads from its TOML file and flags.
struct server_config {
  runtime_config runtime = default_runtime_config();
  /// spdlog level name: trace, debug, info, warn, error, critical, off.
  std::string log_level = "info";
  /// Scheduler of the actor system.
  scheduler_settings scheduler;
  /// Sockets and limits of the gateway front end.
  gateway_config gateway;
  /// Limits of the HTTP front end.
  http_limits http;
  /// Guards the model admin API (`/models`); empty: the API is off.
  std::string admin_token;
  /// Keys of the HTTP APIs and their limits; empty: any key or none.
  std::vector<api_key_config> api_keys;
  /// Nodes: the front's cluster port, or whom a worker joins.
  cluster_config cluster;
  /// The shared cache tier: set when `[cache.redis]` names a `url`.
  std::optional<redis_tier_config> redis;
};

/// A configuration that cannot be used; the message names the key.
class config_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// Reads a configuration from TOML text (see docs/parley.example.toml, the
/// annotated reference), then applies `overrides` in order. Each override is a
/// dotted assignment such as `cache.capacity=5` or
/// `models.apertium.replicas=2`; a value that is not TOML is taken as a string.
/// Throws `config_error`.
server_config parse_config(const std::string& toml_text,
                           const std::vector<std::string>& overrides = {});

/// Reads one model table (the body of `[models.NAME]`) as `parse_config`
/// does, for models loaded at run time. Throws `config_error`.
model_config parse_model_table(const std::string& name,
                               const std::string& toml_text);

/// The model table (the body of `[models.NAME]`) that `parse_model_table`
/// reads back as `model`: what a reload hands the admin actor, as `POST
/// /models` does.
std::string model_table_toml(const model_config& model);

/// Reads the file at `path`, then as `parse_config`.
server_config load_config_file(const std::string& path,
                               const std::vector<std::string>& overrides = {});

} // namespace parley
