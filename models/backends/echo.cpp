// The `echo` backend answers every job with its own text. It costs nothing,
// which makes it the model to load-test the runtime with (queues, batching,
// cache, ZMQ) without measuring an inference engine. It is the smallest kind
// of "Adding a model actor" in the README: no options, no hooks.

#include <memory>

#include "models/model_kind.hpp"

namespace parley {

namespace {

class echo_backend final : public translation_backend {
public:
  std::vector<job_output> translate(const translation_batch& batch) override {
    std::vector<job_output> outputs;
    outputs.reserve(batch.jobs.size());
    for (const auto& job : batch.jobs)
      outputs.push_back({job.text, {job.source_lang, job.target_lang}, {}});
    return outputs;
  }

  language_routes routes() const override {
    return {}; // any pair
  }
};

std::unique_ptr<translation_backend> make_echo_backend(const backend_options&) {
  return std::make_unique<echo_backend>();
}

} // namespace

model_kind echo_kind() {
  model_kind kind;
  kind.name = "echo";
  kind.task = model_task::translation;
  kind.summary = "Answers every text unchanged: the loopback model for "
                 "load-testing the runtime";
  kind.translator = &make_echo_backend;
  return kind;
}

} // namespace parley
