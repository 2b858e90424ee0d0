#include "server/runtime.hpp"

#include <chrono>
#include <map>
#include <stdexcept>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/audio_cache.hpp"
#include "actors/cache.hpp"
#include "actors/conversation_memory.hpp"
#include "actors/replica_pool.hpp"
#include "actors/router.hpp"
#include "actors/stats.hpp"
#include "actors/supervisor.hpp"
#include "actors/telemetry.hpp"
#include "messages/admin.hpp"
#include "messages/cluster.hpp"
#include "messages/metrics.hpp"
#include "models/detection/source_detection.hpp"
#include "server/admin_actor.hpp"
#include "server/config_check.hpp"
#include "server/replica_launch.hpp"

namespace parley {

namespace {

/// The model the route `alias` names, or else the first model of `task`.
std::string pick(const runtime_config& config, const backend_registry& registry,
                 const char* alias, model_task task) {
  auto route = config.routes.find(alias);
  if (route != config.routes.end())
    return route->second;
  for (const auto& model : config.models)
    if (registry.task_of(model.kind) == task)
      return model.name;
  return {};
}

} // namespace

runtime::runtime(caf::actor_system& sys, runtime_config config,
                 const backend_registry& registry, codec_actor codec,
                 redis_tier_actor shared)
    : sys_(sys), config_(std::move(config)), shared_(std::move(shared)),
      registry_(registry) {
  auto tasks = check_runtime_config(config_, registry);
  routes_ = config_.routes;
  if (config_.histograms) {
    telemetry_ = spawn_telemetry(sys_);
    sources_.push_back(telemetry_);
  }
  router_setup setup;
  setup.telemetry = telemetry_;
  setup.max_text_chars = config_.max_text_chars;
  setup.request_timeout = config_.request_timeout;
  setup.audio_timeout = config_.audio_timeout;
  setup.routes = config_.routes;
  setup.codec = codec;
  if (codec)
    stoppable_.push_back(caf::actor_cast<caf::actor>(codec));
  setup.window_seconds = config_.window_seconds;
  candidates_ = std::make_shared<detection::candidate_set>();
  detect_ = make_detect_function(config_.detection, candidates_);
  setup.detect = detect_;
  auto transcriber =
      pick(config_, registry, "transcription", model_task::transcription);
  auto synthesizer =
      pick(config_, registry, "synthesis", model_task::synthesis);
  for (const auto& model : config_.models) {
    auto task = tasks[model.name];
    auto pool = spawn_pool(sys_, task, pool_settings(model, task));
    if (task == model_task::translation)
      setup.models.emplace(model.name, pool);
    else if (model.name == transcriber)
      setup.transcriber = pool;
    else if (model.name == synthesizer)
      setup.synthesizer = pool;
    start_replicas(model, registry, pool);
  }
  audio_available_ = codec && setup.transcriber && setup.synthesizer;
  synthesizer_ = setup.synthesizer;
  codec_ = codec;
  cache_ = spawn_cache(sys_, config_.cache_capacity, shared_);
  setup.cache = cache_;
  if (config_.audio_cache_capacity > 0 || shared_) {
    audio_cache_ =
        spawn_audio_cache(sys_, config_.audio_cache_capacity, shared_);
    setup.audio_cache = audio_cache_;
    sources_.push_back(audio_cache_);
  }
  setup.voice = synthesizer;
  if (shared_)
    sources_.push_back(shared_);
  if (detect_ && config_.detection.conversations > 0) {
    conversation_memory_config memory;
    memory.capacity = config_.detection.conversations;
    memory.depth = config_.detection.conversation_depth;
    memory_ = spawn_conversation_memory(sys_, memory, shared_);
    setup.memory = memory_;
    sources_.push_back(memory_);
  }
  router_ = spawn_router(sys_, std::move(setup));
  sources_.push_back(router_);
  sources_.push_back(cache_);
  for (const auto& [name, model] : served_)
    if (model.supervisor)
      sources_.push_back(model.supervisor);
  stats_ = spawn_stats(sys_, sources_);
  auto admin = spawn_admin(sys_, *this);
  admin_ = admin;
  dashboard_ = admin;
}

void runtime::start_replicas(const model_config& model,
                             const backend_registry& registry,
                             const pool_actor& pool) {
  sources_.push_back(pool);
  served_model served{model, pool, {}};
  if (model.replicas > 0) // else served by replicas on worker nodes
    served.supervisor =
        launch_replicas(sys_, model, registry, config_.node_name, pool);
  std::lock_guard<std::mutex> guard{models_mutex_};
  served_.emplace(model.name, std::move(served));
}

runtime::~runtime() {
  stop_actors();
}

void runtime::add_stats_source(const stats_source& source) {
  caf::anon_send(stats_, caf::add_atom::value, source);
}

metrics runtime::current_metrics(caf::timespan timeout) {
  caf::scoped_actor self{sys_};
  metrics current;
  self->request(stats_, timeout, stats_atom::value)
      .receive([&](metrics& m) { current = std::move(m); },
               [&](caf::error&) {});
  return current;
}

std::map<std::string, pool_actor> runtime::pool_directory() const {
  std::lock_guard<std::mutex> guard{models_mutex_};
  std::map<std::string, pool_actor> result;
  for (const auto& [name, model] : served_)
    result.emplace(name, model.pool);
  return result;
}

std::vector<std::string> runtime::wait_until_ready(caf::timespan timeout) {
  caf::scoped_actor self{sys_};
  std::vector<std::string> waiting;
  // The admin actor answers by `timeout` whatever the pools do.
  self->request(admin_, caf::infinite, ready_atom::value, timeout)
      .receive([&](std::vector<std::string>& names) { waiting = names; },
               [&](caf::error& err) {
                 waiting = {"(admin: " + sys_.render(err) + ")"};
               });
  return waiting;
}

std::map<std::string, pool_status> runtime::pools(caf::timespan timeout) {
  caf::scoped_actor self{sys_};
  std::map<std::string, pool_status> result;
  self->request(admin_, caf::infinite, status_atom::value, timeout)
      .receive(
          [&](server_status& status) {
            for (auto& model : status.models)
              if (model.answered)
                result.emplace(model.name, std::move(model.pool));
          },
          [](caf::error&) {});
  return result;
}

language_detection
runtime::detect(const std::string& text,
                const std::vector<std::string>& hints) const {
  return detect_or_off(detect_, text, {hints, {}});
}

void runtime::attach_cluster(cluster_actor cluster) {
  cluster_ = std::move(cluster);
  add_stats_source(cluster_);
}

void runtime::shutdown(caf::timespan drain) {
  if (stopped_)
    return;
  caf::scoped_actor self{sys_};
  self->request(router_, drain + std::chrono::seconds(5), shutdown_atom::value,
                drain)
      .receive([](done_atom) {},
               [](caf::error& err) {
                 spdlog::warn("router did not drain: {}", caf::to_string(err));
               });
  stop_actors();
}

void runtime::stop_actors() {
  if (stopped_)
    return;
  stopped_ = true;
  auto reason = caf::exit_reason::user_shutdown;
  caf::anon_send_exit(router_, reason);
  caf::anon_send_exit(stats_, reason);
  caf::anon_send_exit(admin_, reason);
  if (telemetry_)
    caf::anon_send_exit(telemetry_, reason);
  if (cluster_)
    caf::anon_send_exit(cluster_, reason);
  caf::anon_send_exit(cache_, reason);
  if (audio_cache_)
    caf::anon_send_exit(audio_cache_, reason);
  if (shared_)
    caf::anon_send_exit(shared_, reason);
  if (memory_)
    caf::anon_send_exit(memory_, reason);
  std::lock_guard<std::mutex> guard{models_mutex_};
  for (auto& [name, model] : served_) {
    if (model.supervisor)
      caf::anon_send_exit(model.supervisor, reason);
    caf::anon_send_exit(model.pool, reason);
  }
  for (auto& front : stoppable_)
    caf::anon_send_exit(front, reason);
}

} // namespace parley
