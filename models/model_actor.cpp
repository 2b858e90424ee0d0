#include "models/model_actor.hpp"

#include <chrono>
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
#include "models/structured_translation.hpp"
#include "models/thread_priority.hpp"

namespace parley {

namespace {

struct model_state {
  std::string model_name;
  std::unique_ptr<translation_backend> backend;

  static inline const char* name = "model";
};

using model_pointer = replica_actor::stateful_pointer<model_state>;

std::vector<job_output> fail_all(const translation_batch& batch,
                                 const caf::error& reason) {
  std::vector<job_output> outputs(batch.jobs.size());
  for (auto& output : outputs)
    output.error = reason;
  return outputs;
}

caf::result<batch_output> run_batch(model_pointer self,
                                    const translation_batch& batch) {
  auto& st = self->state;
  auto start = std::chrono::steady_clock::now();
  batch_output result;
  try {
    result.outputs = translate_structured(*st.backend, batch);
    if (result.outputs.size() != batch.jobs.size())
      result.outputs = fail_all(
          batch, make_error(error_code::internal_error,
                            "backend returned the wrong number of outputs"));
  } catch (const backend_fatal& e) {
    spdlog::error("model {}: backend failed beyond repair: {}", st.model_name,
                  e.what());
    // No answer: its pool sees this replica go down and retries the batch.
    self->quit(make_error(error_code::model_unavailable, e.what()));
    return caf::delegated<batch_output>{};
  } catch (const std::exception& e) {
    spdlog::warn("model {}: batch of {} failed: {}", st.model_name,
                 batch.jobs.size(), e.what());
    result.outputs =
        fail_all(batch, make_error(error_code::translation_failed, e.what()));
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  result.inference_us = static_cast<uint32_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count());
  return result;
}

} // namespace

replica_actor spawn_model_actor(caf::actor_system& sys, replica_info info,
                                backend_factory factory,
                                backend_options options,
                                supervisor_actor supervisor, pool_actor pool) {
  auto init = [info, factory, options, supervisor, pool](
                  model_pointer self) mutable -> replica_actor::behavior_type {
    auto& st = self->state;
    st.model_name = info.model;
    try {
      lower_thread_priority(static_cast<int>(options.get_int("nice", 0)));
      st.backend = factory(options);
      info.languages = st.backend->routes();
      self->send(supervisor, ready_atom::value, info);
      self->send(pool, ready_atom::value, info,
                 caf::actor_cast<replica_actor>(self));
      spdlog::info("model {}: replica loaded", info.model);
    } catch (const std::exception& e) {
      spdlog::error("model {}: loading failed: {}", info.model, e.what());
      self->quit(make_error(error_code::model_unavailable, e.what()));
    }
    auto name = info.model;
    return {
        [self](infer_atom, const translation_batch& batch) {
          return run_batch(self, batch);
        },
        [name](infer_atom, const audio_window&) -> caf::result<transcription> {
          return other_task_error(name, model_task::translation,
                                  model_task::transcription);
        },
        [name](infer_atom,
               const synthesize_request&) -> caf::result<synthesis> {
          return other_task_error(name, model_task::translation,
                                  model_task::synthesis);
        },
    };
  };
  return sys.spawn<caf::detached>(std::move(init));
}

} // namespace parley
