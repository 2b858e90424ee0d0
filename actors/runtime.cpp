#include "actors/runtime.hpp"

#include <chrono>
#include <map>
#include <stdexcept>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/scoped_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/audio_cache.hpp"
#include "actors/batcher.hpp"
#include "actors/cache.hpp"
#include "actors/router.hpp"
#include "actors/speech_pool.hpp"
#include "actors/stats.hpp"
#include "actors/supervisor.hpp"
#include "messages/metrics.hpp"
#include "models/detection/source_detection.hpp"
#include "models/model_actor.hpp"
#include "models/speech_actor.hpp"

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
  : sys_(sys), config_(std::move(config)), shared_(std::move(shared)) {
  std::map<std::string, model_task> tasks;
  for (const auto& model : config_.models) {
    registry.check_model(model.name, model.kind, model.options, model.replicas);
    auto task = registry.task_of(model.kind);
    if (!task)
      throw std::invalid_argument("model " + model.name
                                  + " has unknown kind '" + model.kind + "'");
    if (!tasks.emplace(model.name, *task).second)
      throw std::invalid_argument("model " + model.name
                                  + " is configured twice");
  }
  for (const auto& [alias, model] : config_.routes)
    if (tasks.count(model) == 0)
      throw std::invalid_argument("route " + alias + " names unknown model '"
                                  + model + "'");
  router_setup setup;
  setup.max_text_chars = config_.max_text_chars;
  setup.request_timeout = config_.request_timeout;
  setup.audio_timeout = config_.audio_timeout;
  setup.routes = config_.routes;
  setup.codec = codec;
  if (codec)
    stoppable_.push_back(caf::actor_cast<caf::actor>(codec));
  setup.window_seconds = config_.window_seconds;
  detect_ = make_detect_function(config_.detection);
  setup.detect = detect_;
  auto transcriber = pick(config_, registry, "transcription",
                          model_task::transcription);
  auto synthesizer = pick(config_, registry, "synthesis", model_task::synthesis);
  std::vector<stats_source> sources;
  for (const auto& model : config_.models) {
    auto capacity = model.batching.queue_capacity;
    auto name = model.name;
    auto options = model.options;
    switch (tasks[model.name]) {
      case model_task::translation: {
        auto factory = registry.find(model.kind);
        auto batcher = spawn_batcher(sys_, name, model.batching);
        setup.models.emplace(name, batcher);
        sources.push_back(batcher);
        stoppable_.push_back(caf::actor_cast<caf::actor>(batcher));
        supervisors_.push_back(spawn_supervisor(
          sys_, model,
          [=](caf::actor_system& sys, const supervisor_actor& supervisor) {
            return caf::actor_cast<caf::actor>(
              spawn_model_actor(sys, name, factory, options, supervisor));
          },
          batcher));
        break;
      }
      case model_task::transcription: {
        auto factory = registry.find_transcriber(model.kind);
        auto pool = spawn_transcriber_pool(sys_, name, capacity);
        if (name == transcriber)
          setup.transcriber = pool;
        sources.push_back(pool);
        stoppable_.push_back(caf::actor_cast<caf::actor>(pool));
        supervisors_.push_back(spawn_supervisor(
          sys_, model,
          [=](caf::actor_system& sys, const supervisor_actor& supervisor) {
            return spawn_transcription_replica(sys, name, factory, options,
                                               supervisor);
          },
          pool));
        break;
      }
      case model_task::synthesis: {
        auto factory = registry.find_synthesizer(model.kind);
        auto pool = spawn_synthesizer_pool(sys_, name, capacity);
        if (name == synthesizer)
          setup.synthesizer = pool;
        sources.push_back(pool);
        stoppable_.push_back(caf::actor_cast<caf::actor>(pool));
        supervisors_.push_back(spawn_supervisor(
          sys_, model,
          [=](caf::actor_system& sys, const supervisor_actor& supervisor) {
            return spawn_synthesis_replica(sys, name, factory, options,
                                           supervisor);
          },
          pool));
        break;
      }
    }
  }
  audio_available_ = codec && setup.transcriber && setup.synthesizer;
  cache_ = spawn_cache(sys_, config_.cache_capacity, shared_);
  setup.cache = cache_;
  if (config_.audio_cache_capacity > 0 || shared_) {
    audio_cache_ = spawn_audio_cache(sys_, config_.audio_cache_capacity,
                                     shared_);
    setup.audio_cache = audio_cache_;
    sources.push_back(audio_cache_);
  }
  setup.voice = synthesizer;
  if (shared_)
    sources.push_back(shared_);
  router_ = spawn_router(sys_, std::move(setup));
  sources.push_back(router_);
  sources.push_back(cache_);
  sources.insert(sources.end(), supervisors_.begin(), supervisors_.end());
  stats_ = spawn_stats(sys_, std::move(sources));
}

runtime::~runtime() {
  stop_actors();
}

void runtime::add_stats_source(const stats_source& source) {
  caf::anon_send(stats_, caf::add_atom::value, source);
}

metrics runtime::current_metrics() {
  caf::scoped_actor self{sys_};
  metrics current;
  self->request(stats_, std::chrono::seconds(2), stats_atom::value)
    .receive([&](metrics& m) { current = std::move(m); },
             [&](caf::error&) {});
  return current;
}

std::vector<std::string> runtime::wait_until_ready(caf::timespan timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::vector<std::string> waiting;
  for (;;) {
    auto current = current_metrics();
    waiting.clear();
    for (const auto& model : config_.models) {
      auto label = "{model=\"" + model.name + "\"}";
      if (current.values["model_replicas_ready" + label] < 1
          && current.values["model_unavailable" + label] < 1)
        waiting.push_back(model.name);
    }
    if (waiting.empty() || std::chrono::steady_clock::now() >= deadline)
      return waiting;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::map<std::string, language_routes> runtime::languages() {
  std::map<std::string, language_routes> result;
  caf::scoped_actor self{sys_};
  for (size_t i = 0; i < supervisors_.size(); ++i)
    self->request(supervisors_[i], std::chrono::seconds(2),
                  languages_atom::value)
      .receive(
        [&](language_routes& routes) {
          result.emplace(config_.models[i].name, std::move(routes));
        },
        [](caf::error&) {});
  return result;
}

language_detection runtime::detect(const std::string& text,
                                   const std::vector<std::string>& hints) const {
  if (detect_)
    return detect_(text, hints);
  language_detection off;
  off.method = detection_method::undetermined;
  off.note = "language detection is off";
  return off;
}

bool runtime::ready() {
  auto current = current_metrics();
  for (const auto& model : config_.models)
    if (current.values["model_replicas_ready{model=\"" + model.name + "\"}"]
        < 1)
      return false;
  return true;
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
  caf::anon_send_exit(cache_, reason);
  if (audio_cache_)
    caf::anon_send_exit(audio_cache_, reason);
  if (shared_)
    caf::anon_send_exit(shared_, reason);
  for (auto& supervisor : supervisors_)
    caf::anon_send_exit(supervisor, reason);
  for (auto& front : stoppable_)
    caf::anon_send_exit(front, reason);
}

} // namespace parley
