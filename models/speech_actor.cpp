#include "models/speech_actor.hpp"

#include <memory>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "messages/error_code.hpp"
#include "messages/replica.hpp"
#include "messages/speech.hpp"
#include "messages/translation.hpp"
#include "models/thread_priority.hpp"

namespace parley {

namespace {

template <class Backend> struct replica_state {
  std::unique_ptr<Backend> backend;

  static inline const char* name = "speech_replica";
};

/// Runs `work` on the backend, turning exceptions into typed errors; a
/// fatal one ends the replica without an answer (its pool retries).
template <class Result, class Self, class Work>
caf::result<Result> guarded(Self* self, const std::string& model_name,
                            error_code failure, Work work) {
  try {
    return work();
  } catch (const backend_fatal& e) {
    spdlog::error("model {}: backend failed beyond repair: {}", model_name,
                  e.what());
    self->quit(make_error(error_code::model_unavailable, e.what()));
    return caf::delegated<Result>{};
  } catch (const unsupported_language& e) {
    return make_error(error_code::unsupported_language, e.what());
  } catch (const std::exception& e) {
    spdlog::warn("model {}: {}", model_name, e.what());
    return make_error(failure, e.what());
  }
}

/// Speech runs at the lowest priority unless configured otherwise: text must
/// never wait behind audio (see thread_priority.hpp).
constexpr int64_t speech_nice = 19;

/// Builds the backend on the replica's own thread and reports `ready` with
/// its languages, or quits with MODEL_UNAVAILABLE.
template <class Self, class Factory>
bool load(Self* self, replica_info info, Factory factory,
          const backend_options& options, const supervisor_actor& supervisor,
          const pool_actor& pool) {
  try {
    lower_thread_priority(
        static_cast<int>(options.get_int("nice", speech_nice)));
    self->state.backend = factory(options);
    info.languages.languages = self->state.backend->languages();
    self->send(supervisor, ready_atom::value, info);
    self->send(pool, ready_atom::value, info,
               caf::actor_cast<replica_actor>(self));
    spdlog::info("model {}: replica loaded", info.model);
    return true;
  } catch (const std::exception& e) {
    spdlog::error("model {}: loading failed: {}", info.model, e.what());
    self->quit(make_error(error_code::model_unavailable, e.what()));
    return false;
  }
}

} // namespace

replica_actor spawn_transcription_replica(
    caf::actor_system& sys, replica_info info, transcription_factory factory,
    backend_options options, supervisor_actor supervisor, pool_actor pool) {
  using state = replica_state<transcription_backend>;
  using pointer = replica_actor::stateful_pointer<state>;
  auto init = [=](pointer self) -> replica_actor::behavior_type {
    load(self, info, factory, options, supervisor, pool);
    auto model_name = info.model;
    return {
        [model_name](infer_atom,
                     const translation_batch&) -> caf::result<batch_output> {
          return other_task_error(model_name, model_task::transcription,
                                  model_task::translation);
        },
        [model_name](infer_atom,
                     const synthesize_request&) -> caf::result<synthesis> {
          return other_task_error(model_name, model_task::transcription,
                                  model_task::synthesis);
        },
        [self, model_name](infer_atom, const audio_window& window) {
          return guarded<transcription>(
              self, model_name, error_code::transcription_failed, [&] {
                auto result = self->state.backend->transcribe(window);
                if (result.model.empty())
                  result.model = model_name;
                return result;
              });
        },
    };
  };
  return sys.spawn<caf::detached>(std::move(init));
}

replica_actor spawn_synthesis_replica(caf::actor_system& sys, replica_info info,
                                      synthesis_factory factory,
                                      backend_options options,
                                      supervisor_actor supervisor,
                                      pool_actor pool) {
  using state = replica_state<synthesis_backend>;
  using pointer = replica_actor::stateful_pointer<state>;
  auto init = [=](pointer self) -> replica_actor::behavior_type {
    load(self, info, factory, options, supervisor, pool);
    auto model_name = info.model;
    return {
        [model_name](infer_atom,
                     const translation_batch&) -> caf::result<batch_output> {
          return other_task_error(model_name, model_task::synthesis,
                                  model_task::translation);
        },
        [model_name](infer_atom,
                     const audio_window&) -> caf::result<transcription> {
          return other_task_error(model_name, model_task::synthesis,
                                  model_task::transcription);
        },
        [self, model_name](infer_atom, const synthesize_request& request) {
          return guarded<synthesis>(
              self, model_name, error_code::internal_error, [&] {
                auto result = self->state.backend->synthesize(
                    request.text, request.language, request.speed);
                result.request_id = request.id;
                return result;
              });
        },
    };
  };
  return sys.spawn<caf::detached>(std::move(init));
}

} // namespace parley
