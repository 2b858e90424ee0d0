// parleyd: the Parley server. It loads its configuration (a TOML file, then
// the environment, then flags), starts the actor graph and the gateway front
// end (ZMQ and HTTP), waits for the models to load, serves until SIGINT or
// SIGTERM, then drains accepted work and exits.

#include <csignal>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>
#include <spdlog/spdlog.h>

#include "actors/runtime.hpp"
#include "io/audio_codec_actor.hpp"
#include "io/config_file.hpp"
#include "io/front_end.hpp"
#include "io/redis_tier.hpp"
#include "io/system_config.hpp"
#include "tools/arguments.hpp"
#include "tools/logging.hpp"
#include "tools/openmp_env.hpp"

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
  };
  for (const auto& [flag, key] : flags)
    if (args.has(flag))
      overrides.push_back(std::string{key} + "=" + args.get(flag, ""));
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

int wait_for_stop_signal() {
  char byte = 0;
  while (read(stop_pipe[0], &byte, 1) != 1) {
  }
  return byte;
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
                      "scheduler",
                      "cache-capacity", "max-text-chars", "drain-timeout-ms",
                      "request-timeout-ms"});
    auto overrides = collect_overrides(args);
    auto cfg = args.has("config")
                 ? parley::load_config_file(args.get("config", ""), overrides)
                 : parley::parse_config("", overrides);
    parley::setup_logging(cfg.log_level);
    catch_stop_signals();
    parley::system_config sys_cfg{cfg.scheduler};
    caf::actor_system sys{sys_cfg};
    parley::audio_limits limits;
    limits.max_bytes = cfg.gateway.max_audio_bytes;
    limits.max_seconds = cfg.gateway.max_audio_seconds;
    parley::redis_tier_actor shared;
    if (cfg.redis)
      shared = parley::spawn_redis_tier(sys, *cfg.redis);
    parley::runtime rt{sys, cfg.runtime, parley::backend_registry::builtin(),
                       parley::spawn_audio_codec(sys, limits), shared};
    parley::front_end front{sys, rt, cfg};
    spdlog::info("parleyd: loading {} model(s)", cfg.runtime.models.size());
    auto waiting = rt.wait_until_ready(std::chrono::minutes(10));
    for (const auto& model : waiting)
      spdlog::warn("parleyd: model {} is not ready", model);
    spdlog::info("parleyd: ready ({} scheduler threads)",
                 sys.scheduler().num_workers());
    auto signal = wait_for_stop_signal();
    spdlog::info("parleyd: {} received; draining for up to {} ms",
                 signal == SIGINT ? "SIGINT" : "SIGTERM",
                 std::chrono::duration_cast<std::chrono::milliseconds>(
                   cfg.runtime.drain_timeout)
                   .count());
    front.stop_intake();
    rt.shutdown(cfg.runtime.drain_timeout);
    spdlog::info("parleyd: stopped");
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "parleyd: " << e.what() << '\n';
    return 2;
  }
}
