// parleyd: the Parley server. It loads its configuration (a TOML file, then
// the environment, then flags), starts the actor graph and the gateway front
// end (ZMQ and HTTP), waits for the models to load, serves until SIGINT or
// SIGTERM, then drains accepted work and exits. SIGHUP reloads the
// configuration. With a cluster port it also takes worker nodes. With
// `--role worker` it runs model replicas only and joins a front.
// `--check-config FILE` only checks a configuration.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <caf/actor_system.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <spdlog/fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "cluster/cluster_front.hpp"
#include "cluster/cluster_system.hpp"
#include "cluster/worker_node.hpp"
#include "io/media/audio_codec_actor.hpp"
#include "io/redis/redis_tier.hpp"
#include "server/config_check.hpp"
#include "server/config_reload.hpp"
#include "server/front_end.hpp"
#include "server/runtime.hpp"
#include "server/system_config.hpp"
#include "tools/cli.hpp"
#include "tools/logging.hpp"
#include "tools/openmp_env.hpp"
#include "tools/parleyd_options.hpp"
#include "tools/service_notify.hpp"
#include "tools/stop_deadline.hpp"

namespace {

/// The self-pipe that the stop signals and SIGHUP write to; the main thread
/// reads it and does the work. A handler rather than a blocked mask:
/// libraries start threads before main() (libtorch, OpenMP), and a signal
/// delivered to one of those would otherwise kill the process.
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
  sigaction(SIGHUP, &action, nullptr);
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

/// The next signal the pipe carries (SIGHUP included).
int wait_for_signal() {
  char byte = 0;
  while (read(stop_pipe[0], &byte, 1) != 1) {
  }
  return byte;
}

/// The next signal that stops the process; a worker has nothing to reload,
/// so it only says so on SIGHUP.
int wait_for_stop_signal() {
  for (;;) {
    auto signal = wait_for_signal();
    if (signal != SIGHUP)
      return signal;
    spdlog::info("parleyd: SIGHUP received; a worker has nothing to reload");
  }
}

/// `--check-config FILE`: reads and checks the file as a start would, with
/// the environment and the other options; returns the exit status.
int check_config(const parley::parleyd_options& options) {
  auto checked = options;
  checked.config.file = options.check_config;
  try {
    parley::check_server_config(parley::load_parleyd_config(checked));
  } catch (const std::exception& e) {
    std::cerr << "parleyd: " << *options.check_config << ": " << e.what()
              << '\n';
    return 2;
  }
  std::cout << "parleyd: " << *options.check_config
            << ": the configuration is valid\n";
  return 0;
}

/// SIGHUP: reads the configuration again as at start and applies what
/// changes while serving (server/config_reload). One that does not check is
/// refused, and the running one stays.
void reload(const parley::parleyd_options& options, caf::actor_system& sys,
            parley::runtime& rt) {
  parley::notify_service("RELOADING=1");
  spdlog::info("parleyd: SIGHUP received; reloading {}",
               options.config.file ? *options.config.file : "the defaults");
  try {
    auto next = parley::load_parleyd_config(options);
    parley::check_server_config(next);
    if (parley::reload_runtime(sys, rt, next))
      spdlog::info("parleyd: reloaded");
    else
      spdlog::warn("parleyd: reloaded in part (see above)");
  } catch (const std::exception& e) {
    spdlog::error("parleyd: reload refused, the running configuration stays: "
                  "{}",
                  e.what());
  }
  parley::notify_service("READY=1");
}

/// A worker node: model replicas joined to a front, nothing else. Returns
/// the exit status.
int run_worker(parley::server_config& cfg) {
  if (cfg.cluster.node_name.empty())
    cfg.cluster.node_name =
        parley::host_name() + ":" + std::to_string(getpid());
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
  parley::notify_service("READY=1");
  auto signal = wait_for_stop_signal();
  parley::notify_service("STOPPING=1");
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
               cluster.token.empty() ? " (no token: any worker may join)" : "");
}

/// Runs the node `options` describe until a stop signal; returns the exit
/// status.
int serve(const parley::parleyd_options& options) {
  if (options.check_config)
    return check_config(options);
  try {
    auto cfg = parley::load_parleyd_config(options);
    parley::setup_logging(cfg.log_level);
    catch_stop_signals();
    if (options.role == "worker")
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
    parley::notify_service("READY=1");
    auto signal = wait_for_signal();
    for (; signal == SIGHUP; signal = wait_for_signal())
      reload(options, sys, rt);
    parley::notify_service("STOPPING=1");
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

} // namespace

int main(int argc, char** argv) {
  parley::ensure_passive_openmp(argv);
  CLI::App app{"parleyd: the Parley server. It serves the gateway (ZeroMQ) "
               "and HTTP until SIGINT or SIGTERM, then drains accepted work "
               "and exits; SIGHUP reloads the configuration; with --role "
               "worker it runs model replicas only and joins a front.",
               "parleyd"};
  parley::setup_command_line(app, "parleyd " PARLEY_VERSION);
  parley::parleyd_options options;
  parley::add_parleyd_options(app, options);
  parley::set_action(app, [&options] { return serve(options); });
  return parley::run_command_line(app, argc, argv);
}
