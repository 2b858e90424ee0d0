#include "server/config_file.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <spdlog/spdlog.h>
#include <toml++/toml.h>

#include "io/redis/redis_client.hpp"
#include "models/registry.hpp"

namespace parley {

namespace {

std::string describe(const toml::parse_error& err) {
  std::ostringstream out;
  out << err.description() << " (line " << err.source().begin.line << ")";
  return out.str();
}

/// Copies every key of `from` into `into`, merging nested tables.
void deep_merge(toml::table& into, const toml::table& from) {
  for (const auto& [key, node] : from) {
    auto* source_table = node.as_table();
    auto* target_table = into[key].as_table();
    if (source_table != nullptr && target_table != nullptr)
      deep_merge(*target_table, *source_table);
    else
      into.insert_or_assign(key, node);
  }
}

void apply_override(toml::table& root, const std::string& assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw config_error("override '" + assignment + "' is not key=value");
  auto key = assignment.substr(0, eq);
  auto value = assignment.substr(eq + 1);
  toml::table parsed;
  try {
    parsed = toml::parse(key + " = " + value);
  } catch (const toml::parse_error&) {
    // Not a TOML value: take it as a string.
    toml::table quoted;
    try {
      quoted = toml::parse(key + " = " + std::string{"'''"} + value
                           + std::string{"'''"});
    } catch (const toml::parse_error& err) {
      throw config_error("override '" + assignment + "': " + describe(err));
    }
    parsed = std::move(quoted);
  }
  deep_merge(root, parsed);
}

template <class T>
T read_integer(const toml::node& node, const std::string& key) {
  auto value = node.value<int64_t>();
  if (!value || *value < 0)
    throw config_error(key + " must be a non-negative integer");
  return static_cast<T>(*value);
}

std::string read_string(const toml::node& node, const std::string& key) {
  auto value = node.value<std::string>();
  if (!value)
    throw config_error(key + " must be a string");
  return *value;
}

std::string scalar_text(const toml::node& node, const std::string& key) {
  if (auto text = node.value_exact<std::string>())
    return *text;
  if (auto flag = node.value_exact<bool>())
    return *flag ? "true" : "false";
  if (auto integer = node.value_exact<int64_t>())
    return std::to_string(*integer);
  if (auto real = node.value_exact<double>())
    return std::to_string(*real);
  throw config_error(key + " must be a string, number or boolean");
}

void read_server(const toml::table& table, server_config& cfg) {
  for (const auto& [name, node] : table) {
    std::string key{name.str()};
    auto where = "server." + key;
    if (key == "log_level") {
      cfg.log_level = read_string(node, where);
      // spdlog reads an unknown name as `off`.
      if (spdlog::level::from_str(cfg.log_level) == spdlog::level::off
          && cfg.log_level != "off")
        throw config_error(where
                           + " must be trace, debug, info, warn, error, "
                             "critical or off");
    } else if (key == "threads")
      cfg.scheduler.threads = read_integer<size_t>(node, where);
    else if (key == "scheduler")
      cfg.scheduler.policy = read_string(node, where);
    else if (key == "max_text_chars")
      cfg.runtime.max_text_chars = read_integer<size_t>(node, where);
    else if (key == "request_timeout_ms")
      cfg.runtime.request_timeout =
          std::chrono::milliseconds(read_integer<int64_t>(node, where));
    else if (key == "audio_timeout_ms")
      cfg.runtime.audio_timeout =
          std::chrono::milliseconds(read_integer<int64_t>(node, where));
    else if (key == "drain_timeout_ms")
      cfg.runtime.drain_timeout =
          std::chrono::milliseconds(read_integer<int64_t>(node, where));
    else if (key == "audio_window_seconds") {
      auto seconds = node.value<double>();
      // Whisper hears at most 30 s at once; a longer window would be cut.
      if (!seconds || *seconds <= 0 || *seconds > 30)
        throw config_error(where + " must be a number of seconds in (0, 30]");
      cfg.runtime.window_seconds = *seconds;
    } else
      throw config_error("unknown key " + where);
  }
}

std::chrono::milliseconds read_ms(const toml::node& node,
                                  const std::string& key) {
  return std::chrono::milliseconds(read_integer<int64_t>(node, key));
}

/// `[cache.redis]`; the tier is on when a `url` is given and `enabled` is
/// not false.
void read_redis(const toml::table& table, server_config& cfg) {
  redis_tier_config redis;
  bool has_url = false;
  bool enabled = true;
  for (const auto& [name, node] : table) {
    std::string key{name.str()};
    auto where = "cache.redis." + key;
    if (key == "url") {
      redis.url = read_string(node, where);
      has_url = true;
      try {
        parse_redis_url(redis.url);
      } catch (const std::invalid_argument& e) {
        throw config_error(where + ": " + e.what());
      }
    } else if (key == "enabled") {
      auto flag = node.value<bool>();
      if (!flag)
        throw config_error(where + " must be true or false");
      enabled = *flag;
    } else if (key == "password")
      redis.password = read_string(node, where);
    else if (key == "database")
      redis.database = read_integer<int64_t>(node, where);
    else if (key == "key_prefix")
      redis.key_prefix = read_string(node, where);
    else if (key == "ttl_s")
      redis.ttl_s = read_integer<int64_t>(node, where);
    else if (key == "audio_ttl_s")
      redis.audio_ttl_s = read_integer<int64_t>(node, where);
    else if (key == "timeout_ms")
      redis.timeout = read_ms(node, where);
    else if (key == "connect_timeout_ms")
      redis.connect_timeout = read_ms(node, where);
    else if (key == "lock_ttl_ms")
      redis.lock_ttl = read_ms(node, where);
    else if (key == "lock_wait_ms")
      redis.lock_wait = read_ms(node, where);
    else if (key == "lock_poll_ms")
      redis.lock_poll = read_ms(node, where);
    else if (key == "max_backoff_ms")
      redis.max_backoff = read_ms(node, where);
    else if (key == "max_pending_writes")
      redis.max_pending_writes = read_integer<size_t>(node, where);
    else
      throw config_error("unknown key " + where);
  }
  if (redis.ttl_s <= 0 || redis.audio_ttl_s <= 0)
    throw config_error("cache.redis.ttl_s and audio_ttl_s must be positive");
  if (redis.timeout.count() <= 0)
    throw config_error("cache.redis.timeout_ms must be positive");
  if (redis.lock_poll.count() <= 0)
    throw config_error("cache.redis.lock_poll_ms must be positive");
  if (redis.lock_ttl.count() <= 0)
    throw config_error("cache.redis.lock_ttl_ms must be positive");
  if (has_url && enabled)
    cfg.redis = std::move(redis);
}

void read_cache(const toml::table& table, server_config& cfg) {
  for (const auto& [name, node] : table) {
    std::string key{name.str()};
    if (key == "capacity")
      cfg.runtime.cache_capacity = read_integer<size_t>(node, "cache." + key);
    else if (key == "audio_capacity")
      cfg.runtime.audio_cache_capacity =
          read_integer<size_t>(node, "cache." + key);
    else if (key == "redis" && node.as_table() != nullptr)
      read_redis(*node.as_table(), cfg);
    else
      throw config_error("unknown key cache." + key);
  }
}

void read_metrics(const toml::table& table, runtime_config& cfg) {
  for (const auto& [name, node] : table) {
    std::string key{name.str()};
    if (key != "histograms")
      throw config_error("unknown key metrics." + key);
    auto flag = node.value_exact<bool>();
    if (!flag)
      throw config_error("metrics.histograms must be true or false");
    cfg.histograms = *flag;
  }
}

void read_detection(const toml::table& table, detection_config& cfg) {
  for (const auto& [name, node] : table) {
    std::string key{name.str()};
    auto where = "detection." + key;
    if (key == "engine")
      cfg.engine = read_string(node, where);
    else if (key == "default_language")
      cfg.default_language = read_string(node, where);
    else if (key == "min_confidence") {
      auto value = node.value<double>();
      if (!value || *value < 0 || *value > 1)
        throw config_error(where + " must be a number between 0 and 1");
      cfg.min_confidence = *value;
    } else if (key == "min_letters")
      cfg.min_letters = read_integer<size_t>(node, where);
    else if (key == "conversations")
      cfg.conversations = read_integer<size_t>(node, where);
    else if (key == "conversation_depth") {
      cfg.conversation_depth = read_integer<size_t>(node, where);
      if (cfg.conversation_depth == 0)
        throw config_error(where + " must be at least 1");
    } else if (key == "languages") {
      auto* list = node.as_array();
      if (list == nullptr)
        throw config_error(where + " must be a list of language codes");
      cfg.languages.clear();
      for (const auto& item : *list)
        cfg.languages.push_back(read_string(item, where));
    } else
      throw config_error("unknown key " + where);
  }
}

uint16_t read_port(const toml::node& node, const std::string& key) {
  auto port = read_integer<int64_t>(node, key);
  if (port > 65535)
    throw config_error(key + " must be a port number (0-65535)");
  return static_cast<uint16_t>(port);
}

void read_gateway(const toml::table& table, gateway_config& cfg) {
  for (const auto& [name, node] : table) {
    std::string key{name.str()};
    auto where = "gateway." + key;
    if (key == "bind")
      cfg.bind = read_string(node, where);
    else if (key == "pull_port")
      cfg.pull_port = read_port(node, where);
    else if (key == "pub_port")
      cfg.pub_port = read_port(node, where);
    else if (key == "http_port")
      cfg.http_port = read_port(node, where);
    else if (key == "max_frames")
      cfg.max_frames = read_integer<size_t>(node, where);
    else if (key == "max_json_bytes")
      cfg.max_json_bytes = read_integer<size_t>(node, where);
    else if (key == "max_audio_bytes")
      cfg.max_audio_bytes = read_integer<size_t>(node, where);
    else if (key == "audio_dir")
      cfg.audio_dir = read_string(node, where);
    else if (key == "output_audio_format") {
      cfg.output_audio_format = read_string(node, where);
      if (cfg.output_audio_format != "opus" && cfg.output_audio_format != "mp3"
          && cfg.output_audio_format != "wav")
        throw config_error(where + " must be opus, mp3 or wav");
    } else if (key == "max_audio_seconds") {
      auto seconds = node.value<double>();
      if (!seconds || *seconds <= 0)
        throw config_error(where + " must be a positive number");
      cfg.max_audio_seconds = *seconds;
    } else if (key == "pub_hwm") {
      cfg.pub_hwm = read_integer<size_t>(node, where);
      if (cfg.pub_hwm == 0 || cfg.pub_hwm > 100000000)
        throw config_error(where + " must be from 1 to 100000000");
    } else if (key == "pub_linger_ms") {
      cfg.pub_linger =
          std::chrono::milliseconds(read_integer<int64_t>(node, where));
    } else if (key == "audio_url_fetch") {
      auto flag = node.value<bool>();
      if (!flag)
        throw config_error(where + " must be true or false");
      cfg.audio_url_fetch = *flag;
    } else
      throw config_error("unknown key " + where);
  }
}

/// The secret of one `[[http.api_keys]]` entry, from `key`, `key_env` (a
/// variable of the environment) or `key_file` (a file holding only the key,
/// as container secrets are mounted).
std::string read_key_secret(const std::string& source, const toml::node& node,
                            const std::string& where) {
  auto value = read_string(node, where);
  if (source == "key")
    return value;
  if (source == "key_env") {
    const char* secret = std::getenv(value.c_str());
    if (secret == nullptr)
      throw config_error(where + ": $" + value + " is not set");
    return secret;
  }
  std::ifstream in{value};
  if (!in)
    throw config_error(where + ": cannot read " + value);
  std::ostringstream text;
  text << in.rdbuf();
  auto secret = text.str();
  secret.erase(secret.find_last_not_of(" \t\r\n") + 1);
  return secret;
}

/// `[[http.api_keys]]`: each entry one key, with optional limits.
std::vector<api_key_config> read_api_keys(const toml::node& node,
                                          const std::string& where) {
  auto* list = node.as_array();
  if (list == nullptr)
    throw config_error(where + " must be a list of tables ([[" + where + "]])");
  std::vector<api_key_config> keys;
  std::set<std::string> seen;
  for (size_t i = 0; i < list->size(); ++i) {
    auto entry = where + "[" + std::to_string(i) + "]";
    auto* table = (*list)[i].as_table();
    if (table == nullptr)
      throw config_error(entry + " must be a table");
    api_key_config key;
    size_t secrets = 0;
    for (const auto& [name, value] : *table) {
      std::string field{name.str()};
      auto at = entry + "." + field;
      if (field == "key" || field == "key_env" || field == "key_file") {
        key.key = read_key_secret(field, value, at);
        ++secrets;
      } else if (field == "requests_per_minute") {
        key.requests_per_minute = read_integer<uint64_t>(value, at);
      } else if (field == "characters_per_day") {
        key.characters_per_day = read_integer<uint64_t>(value, at);
      } else {
        throw config_error("unknown key " + at);
      }
    }
    if (secrets != 1)
      throw config_error(entry + " needs one of key, key_env and key_file");
    if (key.key.empty())
      throw config_error(entry + ": the key is empty");
    // The message names the entry, never the secret.
    if (!seen.insert(key.key).second)
      throw config_error(entry + ": the same key as an earlier entry");
    keys.push_back(std::move(key));
  }
  return keys;
}

void read_http(const toml::table& table, server_config& server) {
  auto& cfg = server.http;
  for (const auto& [name, node] : table) {
    std::string key{name.str()};
    auto where = "http." + key;
    auto millis = [&] {
      auto ms = read_integer<int64_t>(node, where);
      if (ms == 0)
        throw config_error(where + " must be at least 1");
      return std::chrono::milliseconds(ms);
    };
    auto count = [&] {
      auto n = read_integer<size_t>(node, where);
      if (n == 0)
        throw config_error(where + " must be at least 1");
      return n;
    };
    if (key == "max_body_bytes")
      cfg.max_body_bytes = count();
    else if (key == "header_timeout_ms")
      cfg.header_timeout = millis();
    else if (key == "body_timeout_ms")
      cfg.body_timeout = millis();
    else if (key == "write_timeout_ms")
      cfg.write_timeout = millis();
    else if (key == "status_timeout_ms")
      cfg.status_timeout = millis();
    else if (key == "workers")
      cfg.workers = count();
    else if (key == "max_connections")
      cfg.max_connections = count();
    else if (key == "keep_alive_max_requests")
      cfg.keep_alive_max_requests = count();
    else if (key == "admin_token")
      server.admin_token = read_string(node, where);
    else if (key == "api_keys")
      server.api_keys = read_api_keys(node, where);
    else
      throw config_error("unknown key " + where);
  }
}

void read_cluster(const toml::table& table, cluster_config& cfg) {
  for (const auto& [name, node] : table) {
    std::string key{name.str()};
    auto where = "cluster." + key;
    auto millis = [&] {
      auto ms = read_integer<int64_t>(node, where);
      if (ms == 0)
        throw config_error(where + " must be at least 1");
      return caf::timespan{std::chrono::milliseconds(ms)};
    };
    if (key == "port") {
      cfg.port = read_port(node, where);
      cfg.listen = true;
    } else if (key == "bind")
      cfg.bind = read_string(node, where);
    else if (key == "token")
      cfg.token = read_string(node, where);
    else if (key == "node_name")
      cfg.node_name = read_string(node, where);
    else if (key == "join" || key == "workers") {
      auto& addresses = key == "join" ? cfg.join : cfg.workers;
      addresses.clear();
      auto* list = node.as_array();
      if (list == nullptr)
        throw config_error(where + " must be a list of \"HOST:PORT\"");
      for (const auto& item : *list) {
        auto address = read_string(item, where);
        try {
          split_address(address);
        } catch (const std::invalid_argument& e) {
          throw config_error(where + ": " + e.what());
        }
        addresses.push_back(std::move(address));
      }
    } else if (key == "heartbeat_ms")
      cfg.heartbeat = millis();
    else if (key == "peer_timeout_ms")
      cfg.peer_timeout = millis();
    else if (key == "reconnect_min_ms")
      cfg.reconnect_min = millis();
    else if (key == "reconnect_max_ms")
      cfg.reconnect_max = millis();
    else if (key == "tls_certificate")
      cfg.tls_certificate = read_string(node, where);
    else if (key == "tls_key")
      cfg.tls_key = read_string(node, where);
    else if (key == "tls_ca")
      cfg.tls_ca = read_string(node, where);
    else
      throw config_error("unknown key " + where);
  }
  if (cfg.tls() != !cfg.tls_key.empty())
    throw config_error(
        "cluster.tls_certificate and cluster.tls_key go together");
}

bool toml_type_fits(const option_declaration& declared,
                    const toml::node& node) {
  switch (declared.type) {
  case option_type::integer:
    return node.is_integer();
  case option_type::real:
    return node.is_integer() || node.is_floating_point();
  case option_type::boolean:
    return node.is_boolean();
  case option_type::text:
  case option_type::choice:
    return node.is_string();
  }
  return false;
}

/// Checks a model's backend options against the declaration of its kind:
/// unknown keys, values of another type, replicas beyond the kind's limit.
/// A kind Parley does not build in is left to the runtime's registry.
void check_model_table(
    const model_config& model,
    const std::map<std::string, const toml::node*>& options) {
  auto kinds = backend_registry::builtin();
  const auto* kind = kinds.find_kind(model.kind);
  if (kind == nullptr)
    return;
  try {
    for (const auto& [key, node] : options) {
      const auto* declared = kind->option(key);
      if (declared != nullptr && !toml_type_fits(*declared, *node))
        throw std::invalid_argument("models." + model.name + "." + key
                                    + " must be " + expected_value(*declared));
    }
    check_model_options(*kind, model.name, model.options, model.replicas);
  } catch (const std::invalid_argument& e) {
    throw config_error(e.what());
  }
}

model_config read_model(const std::string& name, const toml::table& table) {
  model_config model;
  model.name = name;
  std::map<std::string, const toml::node*> options;
  for (const auto& [entry, node] : table) {
    std::string key{entry.str()};
    auto where = "models." + name + "." + key;
    if (key == "kind")
      model.kind = read_string(node, where);
    else if (key == "replicas")
      model.replicas = read_integer<size_t>(node, where);
    else if (key == "max_batch")
      model.batching.max_batch = read_integer<size_t>(node, where);
    else if (key == "max_delay_ms")
      model.batching.max_delay =
          std::chrono::milliseconds(read_integer<int64_t>(node, where));
    else if (key == "queue_capacity")
      model.batching.queue_capacity = read_integer<size_t>(node, where);
    else if (key == "max_failed_starts")
      model.max_failed_starts = read_integer<size_t>(node, where);
    else {
      model.options.set(key, scalar_text(node, where));
      options.emplace(key, &node);
    }
  }
  if (model.kind.empty())
    throw config_error("models." + name + ".kind is missing");
  check_model_table(model, options);
  return model;
}

} // namespace

server_config parse_config(const std::string& toml_text,
                           const std::vector<std::string>& overrides) {
  toml::table root;
  try {
    root = toml::parse(toml_text);
  } catch (const toml::parse_error& err) {
    throw config_error("invalid TOML: " + describe(err));
  }
  for (const auto& assignment : overrides)
    apply_override(root, assignment);
  server_config cfg;
  for (const auto& [name, node] : root) {
    std::string section{name.str()};
    auto* table = node.as_table();
    if (table == nullptr)
      throw config_error("top-level key " + section + " must be a table");
    if (section == "server") {
      read_server(*table, cfg);
    } else if (section == "cache") {
      read_cache(*table, cfg);
    } else if (section == "gateway") {
      read_gateway(*table, cfg.gateway);
    } else if (section == "http") {
      read_http(*table, cfg);
    } else if (section == "cluster") {
      read_cluster(*table, cfg.cluster);
    } else if (section == "metrics") {
      read_metrics(*table, cfg.runtime);
    } else if (section == "detection") {
      read_detection(*table, cfg.runtime.detection);
    } else if (section == "models") {
      cfg.runtime.models.clear();
      for (const auto& [model_name, model_node] : *table) {
        std::string model{model_name.str()};
        auto* model_table = model_node.as_table();
        if (model_table == nullptr)
          throw config_error("models." + model + " must be a table");
        cfg.runtime.models.push_back(read_model(model, *model_table));
      }
      if (root["routes"].as_table() == nullptr) {
        // Models replaced the defaults: route everything to the first one.
        cfg.runtime.routes.clear();
        if (!cfg.runtime.models.empty())
          cfg.runtime.routes["default"] = cfg.runtime.models.front().name;
      }
    } else if (section == "routes") {
      cfg.runtime.routes.clear();
      for (const auto& [alias, target] : *table)
        cfg.runtime.routes[std::string{alias.str()}] =
            read_string(target, "routes." + std::string{alias.str()});
    } else {
      throw config_error("unknown section [" + section + "]");
    }
  }
  for (const auto& model : cfg.runtime.models)
    if (model.replicas == 0 && !cfg.cluster.listen
        && cfg.cluster.workers.empty())
      throw config_error("models." + model.name
                         + ".replicas is 0, which only a front with workers "
                           "([cluster] port or workers) can serve");
  return cfg;
}

model_config parse_model_table(const std::string& name,
                               const std::string& toml_text) {
  toml::table table;
  try {
    table = toml::parse(toml_text);
  } catch (const toml::parse_error& err) {
    throw config_error("models." + name + ": invalid TOML: " + describe(err));
  }
  return read_model(name, table);
}

std::string model_table_toml(const model_config& model) {
  toml::table table;
  auto whole = [](auto count) { return static_cast<int64_t>(count); };
  table.insert("kind", model.kind);
  table.insert("replicas", whole(model.replicas));
  table.insert("max_batch", whole(model.batching.max_batch));
  table.insert("max_delay_ms",
               whole(std::chrono::duration_cast<std::chrono::milliseconds>(
                         model.batching.max_delay)
                         .count()));
  table.insert("queue_capacity", whole(model.batching.queue_capacity));
  table.insert("max_failed_starts", whole(model.max_failed_starts));
  auto kinds = backend_registry::builtin();
  const auto* kind = kinds.find_kind(model.kind);
  for (const auto& [key, value] : model.options.values()) {
    const auto* declared = kind != nullptr ? kind->option(key) : nullptr;
    // Written as the type the kind declares, so that reading it back passes
    // the same type checks; undeclared options stay text.
    auto type = declared != nullptr ? declared->type : option_type::text;
    if (type == option_type::integer)
      table.insert(key, static_cast<int64_t>(std::stoll(value)));
    else if (type == option_type::real)
      table.insert(key, std::stod(value));
    else if (type == option_type::boolean)
      table.insert(key, value == "true");
    else
      table.insert(key, value);
  }
  std::ostringstream out;
  out << table;
  return out.str();
}

server_config load_config_file(const std::string& path,
                               const std::vector<std::string>& overrides) {
  std::ifstream in{path};
  if (!in)
    throw config_error("cannot read configuration file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), overrides);
}

} // namespace parley
