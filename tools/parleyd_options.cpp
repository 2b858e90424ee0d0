// parleyd's options, their help, and the configuration they make (see
// parleyd_options.hpp).

#include "tools/parleyd_options.hpp"

#include <cstdlib>
#include <sstream>

#include "tools/cli.hpp"

namespace parley {

namespace {

/// A variable of the environment and the key it sets. The first four are
/// those of the Python service Parley replaces.
struct environment_setting {
  const char* variable;
  const char* key;
};

const environment_setting environment[] = {
    {"TRANSLATOR_ZMQ_PULL_PORT", "gateway.pull_port"},
    {"TRANSLATOR_ZMQ_PUB_PORT", "gateway.pub_port"},
    {"REDIS_URL", "cache.redis.url"},
    {"TRANSLATION_CACHE_TTL", "cache.redis.ttl_s"},
    {"PARLEY_CLUSTER_TOKEN", "cluster.token"},
    {"PARLEY_ADMIN_TOKEN", "http.admin_token"},
};

/// An option that sets one key to its value.
struct setting_option {
  const char* name;
  const char* key;
  const char* value_name;
  const char* description;
};

const setting_option server_options[] = {
    {"--bind", "gateway.bind", "ADDRESS",
     "address of every socket (default 127.0.0.1; 0.0.0.0 in a container)"},
    {"--pull-port", "gateway.pull_port", "N",
     "ZMQ PULL port for requests (default 5555, or $TRANSLATOR_ZMQ_PULL_PORT)"},
    {"--pub-port", "gateway.pub_port", "N",
     "ZMQ PUB port for results (default 5558, or $TRANSLATOR_ZMQ_PUB_PORT)"},
    {"--http-port", "gateway.http_port", "N",
     "HTTP port (default 8000; 0 turns HTTP off)"},
    {"--log-level", "server.log_level", "LEVEL",
     "trace, debug, info, warn, error, critical or off"},
    {"--threads", "server.threads", "N",
     "actor scheduler threads (0: half the cores)"},
    {"--scheduler", "server.scheduler", "POLICY", "sharing or stealing"},
    {"--cache-capacity", "cache.capacity", "N",
     "translation cache entries ($REDIS_URL and $TRANSLATION_CACHE_TTL set "
     "cache.redis.url and cache.redis.ttl_s)"},
    {"--max-text-chars", "server.max_text_chars", "N", "longest accepted text"},
    {"--drain-timeout-ms", "server.drain_timeout_ms", "N",
     "how long accepted requests may finish on shutdown"},
    {"--request-timeout-ms", "server.request_timeout_ms", "N",
     "requests older than this are answered TIMEOUT"},
};

const char* const nodes_group = "Nodes (see docs/cluster.md)";

const setting_option node_options[] = {
    {"--cluster-port", "cluster.port", "N",
     "front: open the cluster port for workers; worker: wait there for a front "
     "that lists this worker in [cluster] workers (binds cluster.bind, "
     "127.0.0.1 by default)"},
    {"--node-name", "cluster.node_name", "NAME",
     "this node's name (default: front, or HOST:PID)"},
    {"--cluster-token", "cluster.token", "TOKEN",
     "the shared token workers present (or $PARLEY_CLUSTER_TOKEN)"},
};

/// `--join a:1,b:2` as the TOML list `cluster.join=["a:1", "b:2"]`.
std::string join_setting(const std::string& fronts) {
  std::string list;
  std::stringstream items{fronts};
  for (std::string front; std::getline(items, front, ',');)
    list += (list.empty() ? "\"" : ", \"") + front + "\"";
  return "cluster.join=[" + list + "]";
}

/// The help's footer: the order of the sources, and the environment.
std::string footer() {
  std::string text =
      "Settings, weakest first: the embedded defaults, the --config file, "
      "the environment, --set in order, then the other options.\n\n"
      "Environment:\n";
  for (const auto& [variable, key] : environment) {
    std::string name = "  " + std::string{variable};
    text += name + std::string(name.size() < 30 ? 30 - name.size() : 1, ' ')
            + "sets " + key + "\n";
  }
  return text;
}

CLI::Option* add_setting(CLI::App& app, parleyd_options& options,
                         const setting_option& setting) {
  std::string key = setting.key;
  return app
      .add_option_function<std::string>(
          setting.name,
          [&options, key](const std::string& value) {
            options.settings.push_back(key + "=" + value);
          },
          setting.description)
      ->type_name(setting.value_name);
}

} // namespace

void add_parleyd_options(CLI::App& app, parleyd_options& options) {
  add_config_options(app, options.config);
  app.add_option("--check-config", options.check_config,
                 "check FILE as parleyd would read it at start (with the "
                 "environment and the other options), load no model, bind no "
                 "port, and exit: 0 when it is valid, 2 naming the bad key")
      ->type_name("FILE");
  for (const auto& setting : server_options)
    add_setting(app, options, setting);
  app.add_option("--role", options.role,
                 "front (everything in one process) or worker (model replicas "
                 "only; no gateway, no cache)")
      ->type_name("ROLE")
      ->check(CLI::IsMember({"front", "worker"}).description(""))
      ->capture_default_str()
      ->group(nodes_group);
  for (const auto& setting : node_options)
    add_setting(app, options, setting)->group(nodes_group);
  app.add_option_function<std::string>(
         "--join",
         [&options](const std::string& fronts) {
           options.settings.push_back(join_setting(fronts));
         },
         "worker: the fronts to join, tried in turn")
      ->type_name("HOST:PORT[,...]")
      ->group(nodes_group);
  app.footer(footer());
}

server_config load_parleyd_config(const parleyd_options& options) {
  auto config = options.config;
  config.overrides.clear();
  for (const auto& [variable, key] : environment)
    if (const char* value = std::getenv(variable))
      config.overrides.push_back(std::string{key} + "=" + value);
  config.overrides.insert(config.overrides.end(),
                          options.config.overrides.begin(),
                          options.config.overrides.end());
  config.overrides.insert(config.overrides.end(), options.settings.begin(),
                          options.settings.end());
  return load_config(config);
}

} // namespace parley
