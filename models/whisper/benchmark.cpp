#include "models/whisper/benchmark.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <vector>

#include <c10/core/InferenceMode.h>

#include "models/whisper/model.hpp"

namespace parley::whisper {

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// The encoder and `new_tokens` greedy steps; returns each step's time.
std::vector<double> timed_steps(const model& m, const at::Tensor& mel,
                                int64_t new_tokens, double* encode_seconds) {
  const auto& c = m.config();
  auto rows = mel.size(0);
  auto encode_start = clock_type::now();
  auto state = m.start(m.encode(mel));
  // A 4-token prompt: the start token and three ordinary ids.
  auto prompt = at::full({rows, 4}, c.decoder_start_id, at::kLong);
  prompt.narrow(1, 1, 3).fill_(std::min<int64_t>(c.vocab_size - 1, 220));
  auto logits = m.step(state, prompt); // on the CPU: waits for the device
  *encode_seconds = seconds_since(encode_start);
  std::vector<double> steps;
  for (int64_t step = 0; step < new_tokens; ++step) {
    auto start = clock_type::now();
    logits = m.step(state, logits.argmax(-1).view({rows, 1}));
    steps.push_back(seconds_since(start));
  }
  return steps;
}

} // namespace

decode_timing time_decoding(const std::string& dir,
                            const std::string& compute_type, int64_t batch,
                            int64_t new_tokens, const std::string& device,
                            uint64_t seed) {
  c10::InferenceMode inference;
  auto type = transformer::parse_compute_type(compute_type);
  if (!type)
    throw std::invalid_argument("no compute type '" + compute_type + "'");
  if (transformer::uses_int8(*type))
    nllb::select_quantized_engine();
  model m{shared_weights(dir, load_options{*type, c10::Device{device}})};
  const auto& c = m.config();
  auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  // Log-mel values lie in about [-1, 1.5] after Whisper's scaling.
  auto mel =
      at::rand({batch, c.num_mel_bins, c.input_frames()}, generator, at::kFloat)
          .mul_(2.5)
          .sub_(1.0);
  decode_timing timing;
  timed_steps(m, mel, std::min<int64_t>(new_tokens, 4),
              &timing.encode_seconds); // warm-up
  auto start = clock_type::now();
  auto steps = timed_steps(m, mel, new_tokens, &timing.encode_seconds);
  timing.batch = batch;
  timing.seconds = seconds_since(start);
  timing.tokens = batch * new_tokens;
  std::nth_element(steps.begin(), steps.begin() + steps.size() / 2,
                   steps.end());
  timing.step_seconds = steps.empty() ? 0 : steps[steps.size() / 2];
  return timing;
}

} // namespace parley::whisper
