// The `echo` backend answers every job with its own text. It costs nothing,
// which makes it the model to load-test the runtime with (queues, batching,
// cache, ZMQ, nodes) without measuring an inference engine. With `batch_ms`
// each batch takes that long, whatever its size, as a batch on an
// accelerator does: the time is spent waiting, not computing, so replicas on
// several nodes scale even on a 2-core machine (`parley bench cluster`). It
// is also the worked example of "Adding a model actor" in docs/architecture.md.

#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "models/model_kind.hpp"

namespace parley {

namespace {

class echo_backend final : public translation_backend {
public:
  explicit echo_backend(std::chrono::milliseconds batch_time)
      : batch_time_(batch_time) {
  }

  std::vector<job_output> translate(const translation_batch& batch) override {
    if (batch_time_.count() > 0)
      std::this_thread::sleep_for(batch_time_);
    std::vector<job_output> outputs;
    outputs.reserve(batch.jobs.size());
    for (const auto& job : batch.jobs)
      outputs.push_back({job.text, {job.source_lang, job.target_lang}, {}});
    return outputs;
  }

  language_routes routes() const override {
    return {}; // any pair
  }

private:
  std::chrono::milliseconds batch_time_;
};

std::unique_ptr<translation_backend>
make_echo_backend(const backend_options& options) {
  auto batch_ms = options.get_int("batch_ms", 0);
  if (batch_ms < 0)
    throw std::invalid_argument("batch_ms must not be negative");
  return std::make_unique<echo_backend>(std::chrono::milliseconds(batch_ms));
}

} // namespace

model_kind echo_kind() {
  model_kind kind;
  kind.name = "echo";
  kind.summary = "Answers every text unchanged: the loopback model for "
                 "load-testing the runtime";
  kind.factory = &make_echo_backend;
  kind.options = {
      {"batch_ms", option_type::integer, "0",
       "each batch takes this long, whatever its size, as on an accelerator"},
  };
  return kind;
}

} // namespace parley
