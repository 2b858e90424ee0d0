// parleyd: the Parley server. It loads its configuration (a TOML file, then
// the environment, then flags), starts the actor graph and the gateway front
// end (ZMQ and HTTP), waits for the models to load, serves until SIGINT or
// SIGTERM, then drains accepted work and exits. With a cluster port it also
// takes worker nodes. With `--role worker` it runs model replicas only and
// joins a front.

#include <csignal>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <spdlog/fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "cluster/cluster_front.hpp"
#include "cluster/cluster_system.hpp"
#include "cluster/worker_node.hpp"
#include "server/runtime.hpp"
#include "io/audio_codec_actor.hpp"
#include "io/config_file.hpp"
#include "io/front_end.hpp"
#include "io/redis_tier.hpp"
#include "io/system_config.hpp"
#include "tools/arguments.hpp"
#include "tools/logging.hpp"
#include "tools/openmp_env.hpp"
#include "tools/stop_deadline.hpp"

namespace {

constexpr const char* usage = R"(usage: parleyd [OPTIONS]

  --config FILE            TOML configuration (default: embedded defaults)
  --bind ADDRESS           address of every socket (default 127.0.0.1;
                           0.0.0.0 in a container)
  --pull-port N            ZMQ PULL port for requests (default 5555, or
                           $TRANSLATOR_ZMQ_PULL_PORT)
  --pub-port N             ZMQ PUB port for results (default 5558, or
                           $TRANSLATOR_ZMQ_PUB_PORT)
  --http-port N            HTTP port (default 8000; 0 turns HTTP off)
  --set KEY=VALUE          override one setting, e.g. --set cache.capacity=5000
  --log-level LEVEL        trace, debug, info, warn, error, critical, off
  --threads N              actor scheduler threads (0: half the cores)
  --scheduler POLICY       sharing or stealing
  --cache-capacity N       translation cache entries
                           ($REDIS_URL and $TRANSLATION_CACHE_TTL set
                           cache.redis.url and cache.redis.ttl_s)
  --max-text-chars N       longest accepted text
  --drain-timeout-ms N     how long accepted requests may finish on shutdown
  --request-timeout-ms N   requests older than this are answered TIMEOUT

nodes (see docs/cluster.md):
  --role ROLE              front (default: everything in one process) or
                           worker (model replicas only; no gateway, no cache)
  --cluster-port N         front: open the cluster port for workers; worker:
                           wait there for a front that lists this worker
                           in [cluster] workers (binds cluster.bind,
                           127.0.0.1 by default)
  --join HOST:PORT[,...]   worker: the fronts to join, tried in turn
  --node-name NAME         this node's name (default: front, or HOST:PID)
  --cluster-token TOKEN    the shared token workers present
                           (or $PARLEY_CLUSTER_TOKEN)
)";

/// The overrides, weakest first: the environment variables of the service
/// Parley replaces, then `--set`, then the dedicated flags.
std::vector<std::string> collect_overrides(const parley::arguments& args) {
  std::vector<std::string> overrides;
  const std::vector<std::pair<const char*, const char*>> environment = {
    {"TRANSLATOR_ZMQ_PULL_PORT", "gateway.pull_port"},
    {"TRANSLATOR_ZMQ_PUB_PORT", "gateway.pub_port"},
    {"REDIS_URL", "cache.redis.url"},
    {"TRANSLATION_CACHE_TTL", "cache.redis.ttl_s"},
    {"PARLEY_CLUSTER_TOKEN", "cluster.token"},
    {"PARLEY_ADMIN_TOKEN", "http.admin_token"},
  };
  for (const auto& [variable, key] : environment)
    if (const char* value = std::getenv(variable))
      overrides.push_back(std::string{key} + "=" + value);
  for (const auto& assignment : args.all("set"))
    overrides.push_back(assignment);
  const std::vector<std::pair<const char*, const char*>> flags = {
    {"bind", "gateway.bind"},
    {"pull-port", "gateway.pull_port"},
    {"pub-port", "gateway.pub_port"},
    {"http-port", "gateway.http_port"},
    {"log-level", "server.log_level"},
    {"threads", "server.threads"},
    {"scheduler", "server.scheduler"},
    {"cache-capacity", "cache.capacity"},
    {"max-text-chars", "server.max_text_chars"},
    {"drain-timeout-ms", "server.drain_timeout_ms"},
    {"request-timeout-ms", "server.request_timeout_ms"},
    {"cluster-port", "cluster.port"},
    {"node-name", "cluster.node_name"},
    {"cluster-token", "cluster.token"},
  };
  for (const auto& [flag, key] : flags)
    if (args.has(flag))
      overrides.push_back(std::string{key} + "=" + args.get(flag, ""));
  if (args.has("join")) {
    // A TOML list of the comma-separated fronts.
    std::string list;
    std::stringstream fronts{args.get("join", "")};
    for (std::string front; std::getline(fronts, front, ',');)
      list += (list.empty() ? "\"" : ", \"") + front + "\"";
    overrides.push_back("cluster.join=[" + list + "]");
  }
  return overrides;
}

/// The self-pipe that the stop signals write to. A handler rather than a
/// blocked mask: libraries start threads before main() (libtorch, OpenMP),
/// and a signal delivered to one of those would otherwise kill the process.
int stop_pipe[2] = {-1, -1};

extern "C" void on_stop_signal(int signal) {
  auto byte = static_cast<char>(signal);
  [[maybe_unused]] auto written = write(stop_pipe[1], &byte, 1);
}

void catch_stop_signals() {
  if (pipe2(stop_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("cannot create the signal pipe");
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

/// The exit status of a process whose shutdown passed its deadline.
constexpr int forced_exit_status = 4;

/// From the stop signal to the exit: `server.drain_timeout_ms`.
std::chrono::milliseconds stop_budget(const parley::server_config& cfg) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
    cfg.runtime.drain_timeout);
}

/// How long accepted work may finish: the stop budget less what closing
/// takes (the PUB socket's linger and a second for the rest), and never
/// less than a quarter of the budget.
std::chrono::milliseconds drain_budget(const parley::server_config& cfg) {
  auto budget = stop_budget(cfg);
  auto closing = cfg.gateway.pub_linger + std::chrono::seconds(1);
  return std::max(budget - closing, budget / 4);
}

/// What the stop pipe reads when a worker's agent ended on its own.
constexpr char agent_ended = 0;

int wait_for_stop_signal() {
  char byte = 0;
  while (read(stop_pipe[0], &byte, 1) != 1) {
  }
  return byte;
}

/// A worker node: model replicas joined to a front, nothing else. Returns
/// the exit status.
int run_worker(parley::server_config& cfg) {
  if (cfg.cluster.node_name.empty())
    cfg.cluster.node_name
      = parley::host_name() + ":" + std::to_string(getpid());
  parley::system_config sys_cfg{cfg.scheduler};
  parley::enable_cluster(sys_cfg, cfg.cluster);
  // Declared before the actor system, so that it outlives its teardown.
  std::optional<parley::stop_deadline> deadline;
  caf::actor_system sys{sys_cfg};
  parley::worker_setup setup{cfg.cluster, cfg.runtime.models,
                             parley::backend_registry::builtin()};
  auto agent = parley::spawn_worker_node(sys, std::move(setup));
  if (cfg.cluster.listen) {
    auto port = parley::open_cluster_port(
      sys, caf::actor_cast<caf::actor>(agent), cfg.cluster);
    spdlog::info("parleyd: worker {} waits for its front on {}:{}",
                 cfg.cluster.node_name, cfg.cluster.bind, port);
  }
  if (!cfg.cluster.join.empty())
    spdlog::info("parleyd: worker {} joining {}", cfg.cluster.node_name,
                 fmt::join(cfg.cluster.join, ", "));
  // The agent ends on its own only when a front refused it.
  caf::error ended;
  std::thread watcher{[&] {
    caf::scoped_actor self{sys};
    self->monitor(agent);
    self->receive([&](caf::down_msg& msg) { ended = msg.reason; });
    on_stop_signal(agent_ended);
  }};
  auto signal = wait_for_stop_signal();
  deadline.emplace(stop_budget(cfg), forced_exit_status);
  caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  watcher.join();
  if (signal == agent_ended) {
    std::cerr << "parleyd: worker stopped: " << sys.render(ended) << '\n';
    return 3;
  }
  spdlog::info("parleyd: worker stopped");
  return 0;
}

/// Starts the front's cluster actor, which hands the runtime's pools to
/// workers, and opens its cluster port when one is configured.
void open_cluster(caf::actor_system& sys, parley::runtime& rt,
                  const parley::cluster_config& cluster) {
  parley::cluster_front_setup setup;
  setup.node = rt.config().node_name;
  setup.token = cluster.token;
  setup.pools = rt.pool_directory();
  setup.static_workers = cluster.workers;
  setup.connector = parley::connector(sys, cluster);
  setup.redial = cluster.reconnect_max / 5;
  auto front = parley::spawn_cluster_front(sys, std::move(setup));
  rt.attach_cluster(front);
  if (!cluster.workers.empty())
    spdlog::info("parleyd: dialling static workers {}",
                 fmt::join(cluster.workers, ", "));
  if (!cluster.listen)
    return;
  auto port = parley::open_cluster_port(sys, caf::actor_cast<caf::actor>(front),
                                        cluster);
  spdlog::info("parleyd: cluster port {}:{}{}{}", cluster.bind, port,
               cluster.tls() ? " (TLS)" : "",
               cluster.token.empty() ? " (no token: any worker may join)"
                                     : "");
}

} // namespace

int main(int argc, char** argv) {
  parley::ensure_passive_openmp(argv);
  try {
    parley::arguments args{argc, argv, 1, {"help"}};
    if (args.has("help")) {
      std::cout << usage;
      return 0;
    }
    args.expect_only({"help", "config", "set", "bind", "pull-port",
                      "pub-port", "http-port", "log-level", "threads",
                      "scheduler", "cache-capacity", "max-text-chars",
                      "drain-timeout-ms", "request-timeout-ms", "role",
                      "cluster-port", "join", "node-name", "cluster-token"});
    auto role = args.get("role", "front");
    if (role != "front" && role != "worker")
      throw std::invalid_argument("--role must be front or worker");
    auto overrides = collect_overrides(args);
    auto cfg = args.has("config")
                 ? parley::load_config_file(args.get("config", ""), overrides)
                 : parley::parse_config("", overrides);
    parley::setup_logging(cfg.log_level);
    catch_stop_signals();
    if (role == "worker")
      return run_worker(cfg);
    if (cfg.cluster.node_name.empty())
      cfg.cluster.node_name = "front";
    cfg.runtime.node_name = cfg.cluster.node_name;
    parley::system_config sys_cfg{cfg.scheduler};
    bool clustered = cfg.cluster.listen || !cfg.cluster.workers.empty();
    if (clustered)
      parley::enable_cluster(sys_cfg, cfg.cluster);
    // Declared before the actor system, so that it outlives its teardown.
    std::optional<parley::stop_deadline> deadline;
    caf::actor_system sys{sys_cfg};
    parley::audio_limits limits;
    limits.max_bytes = cfg.gateway.max_audio_bytes;
    limits.max_seconds = cfg.gateway.max_audio_seconds;
    parley::redis_tier_actor shared;
    if (cfg.redis)
      shared = parley::spawn_redis_tier(sys, *cfg.redis);
    parley::runtime rt{sys, cfg.runtime, parley::backend_registry::builtin(),
                       parley::spawn_audio_codec(sys, limits), shared};
    if (clustered)
      open_cluster(sys, rt, cfg.cluster);
    parley::front_end front{sys, rt, cfg};
    spdlog::info("parleyd: loading {} model(s)", cfg.runtime.models.size());
    auto waiting = rt.wait_until_ready(std::chrono::minutes(10));
    for (const auto& model : waiting)
      spdlog::warn("parleyd: model {} is not ready", model);
    spdlog::info("parleyd: ready ({} scheduler threads)",
                 sys.scheduler().num_workers());
    auto signal = wait_for_stop_signal();
    deadline.emplace(stop_budget(cfg), forced_exit_status);
    auto drain = drain_budget(cfg);
    spdlog::info("parleyd: {} received; draining for up to {} ms",
                 signal == SIGINT ? "SIGINT" : "SIGTERM", drain.count());
    front.stop_intake();
    rt.shutdown(drain);
    spdlog::info("parleyd: stopped");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parleyd: " << e.what() << '\n';
    return 2;
  }
}
